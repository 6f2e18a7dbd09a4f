//! Throwaway databases for the integration tests on PostgreSQL.

use postgres::{Client, NoTls};

use crate::storage::{Result, StorageError};

/// A database of its own on a PostgreSQL server, for one test (the integration tests run once
/// per backend: `TENG_TEST_POSTGRES_URL` names the server, `scripts/lib/postgres.sh` starts one).
/// Dropped, with whatever connections it still has, when the guard goes.
pub struct ScratchDatabase {
    server: String,
    name: String,
    pub url: String,
}

impl ScratchDatabase {
    /// The server to make test databases on, when the tests run against PostgreSQL.
    pub fn server_from_env() -> Option<String> {
        std::env::var("TENG_TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
    }

    /// Creates an empty database on the server at `server` (an address whose user may create
    /// databases). Blocks; call it off the async threads.
    pub fn create(server: &str) -> Result<ScratchDatabase> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!(
            "teng_test_{}_{n}_{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        );
        let mut client = admin_client(server)?;
        client.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
        Ok(ScratchDatabase {
            server: server.to_string(),
            url: format!("{base}/{name}"),
            name,
        })
    }
}

fn admin_client(server: &str) -> Result<Client> {
    let config: postgres::Config = server
        .parse()
        .map_err(|e| StorageError::Internal(format!("database address {server:?}: {e}")))?;
    Ok(config.connect(NoTls)?)
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        // On a plain thread: the client cannot run on an async one.
        let dropped = std::thread::spawn(move || {
            admin_client(&server)?
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .map_err(StorageError::from)
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "could not drop the test database {}: {dropped:?}",
                self.name
            );
        }
    }
}
