//! Keeping secrets private on a shared machine.
//!
//! The database file holds this device's sign-in token (and the user's saved jobs and reports), so
//! it is readable by its owner only: created 0600 before SQLite opens it, and tightened if an older
//! `teng` left it group- or world-readable. SQLite creates `-wal`, `-shm` and `-journal` with the
//! database file's permissions, so they follow; existing ones are tightened too.
//!
//! A token given with `--token` shows in `ps` to every user of the machine; `--token-file` and
//! `TENG_TOKEN` keep it out of the process list.

use std::io::Read;
use std::path::Path;

use teng_core::accessibility::Lang;

use crate::error::CliError;
use crate::words::{self, say};

/// Longest token file read: tokens are a few dozen characters, and a mistaken `--token-file
/// /dev/zero` must not read forever.
const MAX_TOKEN_FILE_BYTES: u64 = 4096;

/// Creates the database file owner-only if it does not exist yet and tightens the permissions of
/// an existing one and of its SQLite side files. A failure to tighten is a warning on stderr (the
/// file may belong to someone else, e.g. a read-only copy), not a reason to refuse the command.
pub fn prepare_db(db: &Path, lang: Lang) {
    #[cfg(unix)]
    unix::prepare_db(db, lang);
    #[cfg(not(unix))]
    let _ = (db, lang);
}

/// The token in `path`, without surrounding whitespace (a trailing newline from `echo`).
pub fn read_token_file(path: &Path, lang: Lang) -> Result<String, CliError> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        CliError::usage(say(
            lang,
            words::TOKEN_FILE_UNREADABLE,
            &[&shown, &e.to_string()],
        ))
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(unreadable)?
        .take(MAX_TOKEN_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(unreadable)?;
    if text.len() as u64 > MAX_TOKEN_FILE_BYTES {
        return Err(CliError::usage(say(
            lang,
            words::TOKEN_FILE_TOO_LONG,
            &[&shown],
        )));
    }
    let token = text.trim();
    if token.is_empty() {
        return Err(CliError::usage(say(
            lang,
            words::TOKEN_FILE_EMPTY,
            &[&shown],
        )));
    }
    Ok(token.to_string())
}

#[cfg(unix)]
mod unix {
    use std::fs::{OpenOptions, Permissions};
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    use std::path::{Path, PathBuf};

    use teng_core::accessibility::Lang;

    use crate::words::{self, say};

    /// Group and others: the bits that must be off.
    const NOT_OWNER: u32 = 0o077;

    pub fn prepare_db(db: &Path, lang: Lang) {
        if !db.exists() {
            // create_new: never truncate or re-permission a file that appeared meanwhile. An error
            // here (no such directory, no permission) is left to SQLite's open, which reports it.
            let _ = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(db);
        }
        for path in side_files(db) {
            if let Err(e) = tighten(&path) {
                let mut stderr = std::io::stderr().lock();
                let _ = writeln!(
                    stderr,
                    "{}",
                    say(
                        lang,
                        words::DB_NOT_PRIVATE,
                        &[&path.display().to_string(), &e.to_string()]
                    )
                );
            }
        }
    }

    /// The database file and the files SQLite keeps next to it.
    fn side_files(db: &Path) -> Vec<PathBuf> {
        let mut files = vec![db.to_path_buf()];
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = db.as_os_str().to_os_string();
            name.push(suffix);
            files.push(PathBuf::from(name));
        }
        files
    }

    /// Clears the group and other bits of `path` if it exists and has any.
    fn tighten(path: &Path) -> std::io::Result<()> {
        let mode = match std::fs::metadata(path) {
            Ok(meta) => meta.permissions().mode(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if mode & NOT_OWNER == 0 {
            return Ok(());
        }
        std::fs::set_permissions(path, Permissions::from_mode(mode & !NOT_OWNER & 0o7777))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_file_is_read_trimmed_and_an_empty_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "  abc123\n").unwrap();
        assert_eq!(read_token_file(&path, Lang::English).unwrap(), "abc123");
        std::fs::write(&path, "\n \n").unwrap();
        let err = read_token_file(&path, Lang::English).unwrap_err();
        assert!(err.message.contains("--token-file"), "{}", err.message);
        assert!(err.message.contains("empty"), "{}", err.message);
        std::fs::write(&path, "x".repeat(5000)).unwrap();
        assert!(read_token_file(&path, Lang::English).is_err());
        let missing = read_token_file(&dir.path().join("nope"), Lang::English).unwrap_err();
        assert!(missing.message.contains("nope"), "{}", missing.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_database_file_is_owner_only_and_an_old_one_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("new.db");
        prepare_db(&db, Lang::English);
        assert_eq!(mode(&db), 0o600);

        let old = dir.path().join("old.db");
        let wal = dir.path().join("old.db-wal");
        for p in [&old, &wal] {
            std::fs::write(p, b"").unwrap();
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o664)).unwrap();
        }
        prepare_db(&old, Lang::English);
        assert_eq!(mode(&old), 0o600);
        assert_eq!(mode(&wal), 0o600);
    }
}
