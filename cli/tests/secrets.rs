//! Secrets on a shared machine: the database (which holds the device's token) is readable by its
//! owner only, and a user token can come from a file or `TENG_TOKEN` instead of the command line,
//! where `ps` shows it to everyone.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use common::{Fixture, Run};

/// A loopback "server" that answers every request with an empty pull page (and has no first-sync
/// snapshot) and keeps the request heads it was sent.
fn recording_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("local address"));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = String::new();
            let mut reader = BufReader::new(&mut stream);
            while let Ok(n) = reader.read_line(&mut head) {
                if n == 0 || head.ends_with("\r\n\r\n") {
                    break;
                }
            }
            let (status, body) = if head.starts_with("GET /v1/sync/snapshot") {
                (
                    "404 Not Found",
                    r#"{"error":{"code":"not_found","message":"no snapshot"}}"#,
                )
            } else {
                ("200 OK", r#"{"changes":[],"next":0,"has_more":false}"#)
            };
            seen.lock().unwrap().push(head);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, heads)
}

/// `teng --db <db> <args>` with exactly the TENG_* variables given.
fn teng_with_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_teng"));
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TENG_DB")
        .env_remove("TENG_LANG")
        .env_remove("TENG_SERVER")
        .env_remove("TENG_TOKEN");
    for (name, value) in env {
        command.env(name, value);
    }
    Run::from(command.output().expect("run the teng binary"))
}

/// The distinct bearer tokens the requests carried (a first sync asks for the snapshot manifest,
/// then pulls: two requests, one token).
fn bearers(heads: &Mutex<Vec<String>>) -> Vec<String> {
    let mut seen: Vec<String> = heads
        .lock()
        .unwrap()
        .iter()
        .filter_map(|h| {
            h.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                .map(|l| l["authorization:".len()..].trim().to_string())
        })
        .collect();
    seen.dedup();
    seen
}

#[test]
fn a_token_file_is_read_and_wins_over_teng_token() {
    let (url, heads) = recording_server();
    let f = Fixture::empty();
    let file = f.dir.path().join("token");
    std::fs::write(&file, "from-the-file\n").unwrap();
    let file = file.to_str().unwrap();

    teng_with_env(
        &f.db,
        &["sync", "--server", &url, "--token-file", file],
        &[],
    )
    .ok();
    assert_eq!(bearers(&heads), ["Bearer from-the-file"]);

    heads.lock().unwrap().clear();
    teng_with_env(
        &f.db,
        &["sync", "--server", &url, "--token-file", file],
        &[("TENG_TOKEN", "from-the-environment")],
    )
    .ok();
    assert_eq!(bearers(&heads), ["Bearer from-the-file"]);

    let both = teng_with_env(
        &f.db,
        &[
            "sync",
            "--server",
            &url,
            "--token-file",
            file,
            "--token",
            "x",
        ],
        &[],
    )
    .expect_code(2);
    assert!(both.stderr.contains("--token-file"), "{}", both.stderr);
}

#[test]
fn teng_token_is_used_when_no_flag_names_a_token() {
    let (url, heads) = recording_server();
    let f = Fixture::empty();
    teng_with_env(
        &f.db,
        &["sync", "--server", &url],
        &[("TENG_TOKEN", " from-the-environment ")],
    )
    .ok();
    assert_eq!(bearers(&heads), ["Bearer from-the-environment"]);
}

#[test]
fn an_empty_or_missing_token_file_is_refused_naming_the_flag() {
    let (url, heads) = recording_server();
    let f = Fixture::empty();
    let empty = f.dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    for (file, says) in [
        (empty, "is empty"),
        (f.dir.path().join("nope"), "cannot read"),
    ] {
        let run = teng_with_env(
            &f.db,
            &[
                "sync",
                "--server",
                &url,
                "--token-file",
                file.to_str().unwrap(),
            ],
            &[],
        )
        .expect_code(2);
        assert!(run.stderr.contains("--token-file"), "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}", run.stderr);
    }
    assert!(heads.lock().unwrap().is_empty(), "nothing was sent");
}

#[test]
fn help_warns_that_a_token_on_the_command_line_is_visible() {
    let f = Fixture::empty();
    let help = f.teng(&["sync", "--help"]).ok();
    assert!(help.stdout.contains("--token-file"), "{}", help.stdout);
    assert!(
        help.stdout.contains("visible to other users"),
        "{}",
        help.stdout
    );
    assert!(help.stdout.contains("TENG_TOKEN"), "{}", help.stdout);
}

#[test]
fn plain_http_to_another_machine_is_refused() {
    let f = Fixture::empty();
    let run = f
        .teng(&["sync", "--server", "http://example.org"])
        .expect_code(2);
    assert!(run.stderr.contains("--server"), "{}", run.stderr);
    assert!(run.stderr.contains("https://"), "{}", run.stderr);
}

#[cfg(unix)]
mod permissions {
    use std::os::unix::fs::PermissionsExt;
    use std::path::{Path, PathBuf};

    use super::common::{teng_in, Fixture};

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    }

    fn side(db: &Path, suffix: &str) -> PathBuf {
        let mut name = db.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    }

    #[test]
    fn a_database_created_by_sync_is_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new.db");
        // No server: the sync fails, but the file (and the queue) exist afterwards.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        teng_in(
            dir.path(),
            &[
                "--db",
                db.to_str().unwrap(),
                "sync",
                "--server",
                &url,
                "--tries",
                "1",
            ],
        )
        .expect_code(3);
        assert_eq!(mode(&db), 0o600);

        // SQLite gives the WAL and shared-memory files the database file's permissions.
        let store = teng_core::Store::open(&db).unwrap();
        store.save_job(uuid::Uuid::new_v4(), None).unwrap();
        assert_eq!(mode(&side(&db, "-wal")), 0o600);
        assert_eq!(mode(&side(&db, "-shm")), 0o600);
    }

    #[test]
    fn an_older_world_readable_database_is_tightened() {
        let f = Fixture::with_listings(5);
        // The fixture's store keeps -wal and -shm in place while teng runs.
        let files = [f.db.clone(), side(&f.db, "-wal"), side(&f.db, "-shm")];
        for file in &files {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        f.teng(&["status"]).ok();
        for file in &files {
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
    }
}
