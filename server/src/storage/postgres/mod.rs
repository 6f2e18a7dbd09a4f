//! The PostgreSQL engine (docs/adr/0004): chosen by `--db postgres://…`, for several server
//! processes on one database. The storage logic is the shared one (`storage::logic`); this module
//! gives it connections and transactions, speaks the SQL interface's dialect, and migrates the
//! schema.
//!
//! - Connections come from an r2d2 pool; each keeps its prepared statements (by SQL text).
//! - Writes are READ COMMITTED transactions. Every transaction that appends to the change log
//!   first takes one advisory lock (`APPEND_CHANGE`), held to its commit, so changes commit in
//!   the order of their `seq`, as on SQLite, and a pull never skips a change that commits later
//!   with a lower cursor (docs/sync-protocol.md, "The cursor").
//! - Consistent reads (`Db::read_snapshot`) are REPEATABLE READ READ ONLY transactions.
//! - The statements are written in SQLite's dialect with `?N` parameters; [`translate`] turns the
//!   few SQLite-only spellings into PostgreSQL's once per statement text.
//!
//! The `postgres` client drives a small runtime of its own, which must not be entered from a
//! thread running async tasks: the server calls storage on the blocking pool (`AppState::db`), and
//! a connection dropped on an async thread is closed on a plain thread instead.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::logic::Engine;
use super::sql::{Db, Tx, Value};
use super::{Result, StorageError};

mod scratch;
pub use scratch::ScratchDatabase;

const MIGRATIONS: &[&str] = &[include_str!("migrations/001_schema.sql")];
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Appends one change under the change log's advisory lock (key 7355608), taken in the same
/// statement: see `Db::append_change_sql`.
pub(crate) const APPEND_CHANGE: &str = "WITH lock AS (SELECT pg_advisory_xact_lock(7355608))
    INSERT INTO changes(kind, record_id, op, device_id, at)
    SELECT CAST(?1 AS TEXT), CAST(?2 AS TEXT), CAST(?3 AS TEXT), CAST(?4 AS TEXT), CAST(?5 AS BIGINT)
    FROM lock RETURNING seq";
/// Held while migrating, so processes starting together migrate once.
const LOCK_MIGRATE: &str = "SELECT pg_advisory_lock(7355609)";
const UNLOCK_MIGRATE: &str = "SELECT pg_advisory_unlock(7355609)";

/// Connections a process keeps open at most.
pub const DEFAULT_POOL_SIZE: u32 = 16;
/// Prepared statements kept per connection (the city and Open311 queries come in many variants).
const MAX_STATEMENTS: usize = 256;

pub struct PostgresStorage {
    pool: r2d2::Pool<Manager>,
    device_building_reports: i64,
}

impl PostgresStorage {
    /// Connects to `url` (`postgres://user@host:port/database`), creating or upgrading the schema.
    pub fn open(url: &str, busy_timeout: Duration) -> Result<Self> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e| StorageError::Internal(format!("database address {url:?}: {e}")))?;
        let pool = r2d2::Pool::builder()
            .max_size(DEFAULT_POOL_SIZE)
            .min_idle(Some(1))
            .connection_timeout(busy_timeout.max(Duration::from_secs(1)))
            .build(Manager {
                config,
                busy_timeout,
            })
            .map_err(|e| StorageError::Internal(format!("cannot connect to {url}: {e}")))?;
        let storage = PostgresStorage {
            pool,
            device_building_reports: i64::from(super::logic::DEVICE_BUILDING_REPORTS),
        };
        storage.migrate()?;
        Ok(storage)
    }

    /// Sets the per-device, per-building report cap.
    pub fn with_device_building_reports(mut self, cap: u32) -> Self {
        self.device_building_reports = i64::from(cap.max(1));
        self
    }

    /// Runs `f` in one write transaction on the calling thread (which must not drive async
    /// tasks: the admin commands). The server's own calls go through `Storage`.
    pub fn transaction<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.connection()?.transaction(f)
    }

    fn connection(&self) -> Result<r2d2::PooledConnection<Manager>> {
        // Every connection busy for the whole wait: the database is overloaded; clients retry.
        self.pool.get().map_err(|_| StorageError::Busy)
    }

    fn migrate(&self) -> Result<()> {
        let conn = self.connection()?;
        conn.batch(LOCK_MIGRATE)?;
        let result = (|| {
            conn.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
            let db = Db::postgres(&conn);
            let found: Option<i64> =
                db.query_row("SELECT max(version) FROM schema_version", (), |r| r.get(0))?;
            let found = found.unwrap_or(0);
            if found > SCHEMA_VERSION {
                return Err(StorageError::Internal(format!(
                    "the database has schema version {found}; this build knows up to {SCHEMA_VERSION}: update teng-server"
                )));
            }
            for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
                conn.transaction(|tx| {
                    tx.execute_batch(sql)?;
                    tx.execute(
                        "INSERT INTO schema_version (version) VALUES (?1)",
                        [i as i64 + 1],
                    )
                    .map(drop)
                })?;
            }
            Ok(())
        })();
        let unlocked = conn.batch(UNLOCK_MIGRATE);
        result?;
        unlocked
    }
}

impl Engine for PostgresStorage {
    fn write<T: Send>(&self, f: impl FnOnce(&Tx) -> Result<T> + Send) -> Result<T> {
        off_async(|| self.transaction(f))
    }

    fn read<T: Send>(&self, f: impl FnOnce(&Db) -> Result<T> + Send) -> Result<T> {
        off_async(|| {
            let conn = self.connection()?;
            f(&Db::postgres(&conn))
        })
    }

    fn device_building_reports(&self) -> i64 {
        self.device_building_reports
    }

    fn backup(&self, _destination: &Path) -> Result<()> {
        Err(StorageError::InvalidState {
            field: "db",
            message: "back up a PostgreSQL database with pg_dump (README, \"Backups\"); \
                      `admin backup` copies SQLite files"
                .into(),
        })
    }
}

thread_local! {
    /// Set on threads of the blocking pool while they run storage calls (`AppState::db`).
    static ON_BLOCKING_POOL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` as a storage call from the blocking pool: the client may block there. Marks the
/// current thread for the duration.
pub fn on_blocking_pool<T>(f: impl FnOnce() -> T) -> T {
    let before = ON_BLOCKING_POOL.replace(true);
    let out = f();
    ON_BLOCKING_POOL.set(before);
    out
}

/// Runs `f` here, or on a thread of its own when this thread drives async tasks (a test calling
/// storage from `#[tokio::test]`, startup code), where the client's runtime cannot start.
fn off_async<T: Send>(f: impl FnOnce() -> Result<T> + Send) -> Result<T> {
    let in_async = tokio::runtime::Handle::try_current().is_ok() && !ON_BLOCKING_POOL.get();
    if !in_async {
        return f();
    }
    std::thread::scope(|scope| {
        scope
            .spawn(f)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Opens connections for the pool and checks them before reuse.
struct Manager {
    config: postgres::Config,
    busy_timeout: Duration,
}

impl r2d2::ManageConnection for Manager {
    type Connection = PgConn;
    type Error = postgres::Error;

    fn connect(&self) -> std::result::Result<PgConn, postgres::Error> {
        let mut client = self.config.connect(NoTls)?;
        // A lock waited for longer than a request may wait answers 503, as SQLite's busy timeout.
        let ms = self.busy_timeout.as_millis().max(1);
        client.batch_execute(&format!(
            "SET lock_timeout = {ms}; SET idle_in_transaction_session_timeout = 60000;
             SET plan_cache_mode = force_custom_plan;"
        ))?;
        Ok(PgConn {
            inner: RefCell::new(Inner {
                client: Some(client),
                statements: HashMap::new(),
                in_transaction: false,
            }),
        })
    }

    fn is_valid(&self, conn: &mut PgConn) -> std::result::Result<(), postgres::Error> {
        conn.with_client(|c| c.simple_query("").map(drop))
    }

    fn has_broken(&self, conn: &mut PgConn) -> bool {
        let inner = conn.inner.borrow();
        inner.in_transaction || inner.client.as_ref().is_none_or(Client::is_closed)
    }
}

/// A pooled connection and its prepared statements.
pub struct PgConn {
    inner: RefCell<Inner>,
}

struct Inner {
    client: Option<Client>,
    statements: HashMap<String, Statement>,
    /// Between `begin` and a successful `end`. A connection handed back to the pool so (the
    /// code in the transaction panicked) is dropped, not reused: the next user's COMMIT would
    /// commit the half-done writes, and the locks taken (the change log's) would stay held.
    in_transaction: bool,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing talks to the server through the client's own runtime, which cannot start on a
        // thread that runs async tasks.
        if let Some(client) = self.client.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                std::thread::spawn(move || drop(client));
            }
        }
    }
}

impl PgConn {
    fn with_client<T>(
        &self,
        f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
    ) -> std::result::Result<T, postgres::Error> {
        let mut inner = self.inner.borrow_mut();
        let client = inner
            .client
            .as_mut()
            .expect("a pooled connection keeps its client until dropped");
        f(client)
    }

    /// Runs `f` in one transaction on this connection: committed if `f` succeeds, rolled back
    /// (and `f`'s error returned) otherwise.
    fn transaction<T>(&self, f: impl FnOnce(&Tx) -> Result<T>) -> Result<T> {
        self.begin("BEGIN")?;
        match f(&Db::postgres(self)) {
            Ok(value) => {
                self.end("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                // A connection that cannot roll back is broken; the pool drops it.
                let _ = self.end("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Starts a transaction with `sql` (`BEGIN …`).
    pub(crate) fn begin(&self, sql: &str) -> Result<()> {
        self.batch(sql)?;
        self.inner.borrow_mut().in_transaction = true;
        Ok(())
    }

    /// Ends the transaction with `sql` (`COMMIT` or `ROLLBACK`). One that fails leaves the
    /// connection marked, and the pool drops it.
    pub(crate) fn end(&self, sql: &str) -> Result<()> {
        self.batch(sql)?;
        self.inner.borrow_mut().in_transaction = false;
        Ok(())
    }

    /// The prepared statement for `sql` (in SQLite's dialect), prepared on first use.
    pub(crate) fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(found) = self.inner.borrow().statements.get(sql) {
            return Ok(found.clone());
        }
        let translated = translate(sql);
        let stmt = self.with_client(|c| c.prepare(&translated))?;
        let mut inner = self.inner.borrow_mut();
        if inner.statements.len() >= MAX_STATEMENTS {
            inner.statements.clear();
        }
        inner.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn execute(&self, stmt: &Statement, values: &[Value<'_>]) -> Result<u64> {
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        Ok(self.with_client(|c| c.execute(stmt, &params))?)
    }

    pub(crate) fn query(
        &self,
        stmt: &Statement,
        values: &[Value<'_>],
    ) -> Result<Vec<postgres::Row>> {
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        Ok(self.with_client(|c| c.query(stmt, &params))?)
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.with_client(|c| c.batch_execute(sql))?)
    }
}

/// A statement in SQLite's dialect, as PostgreSQL reads it: `?N` parameters become `$N`, and the
/// few SQLite functions the logic uses become PostgreSQL's (JSON lists and paths, `instr`).
pub(crate) fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 32);
    let mut rest = sql;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("json_each(") {
            // json_each(?N): a JSON list of text bound as one parameter.
            if let Some((param, tail)) = parameter_then(after, ')') {
                out.push_str(&format!(
                    "json_array_elements_text(CAST(${param} AS TEXT)::json)"
                ));
                rest = tail;
                continue;
            }
            // json_each(<column>, '$.key') AS alias: the keys of an object in a column.
            if let Some((column, key, alias, tail)) = column_path_alias(after) {
                out.push_str(&format!(
                    "LATERAL json_each(CAST({column} AS json) -> '{key}') AS {alias} ON TRUE"
                ));
                rest = tail;
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("json_extract(") {
            if let Some((column, path, tail)) = column_path(after) {
                let keys = path.replace('.', ",");
                out.push_str(&format!("(CAST({column} AS json) #>> '{{{keys}}}')"));
                rest = tail;
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("instr(") {
            out.push_str("strpos(");
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix('?') {
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                out.push('$');
                out.push_str(&after[..digits]);
                rest = &after[digits..];
                continue;
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// `?N<close>…`: the parameter's number and what follows `close`.
fn parameter_then(s: &str, close: char) -> Option<(&str, &str)> {
    let digits = s.strip_prefix('?')?;
    let n = digits.chars().take_while(char::is_ascii_digit).count();
    let tail = digits[n..].strip_prefix(close)?;
    (n > 0).then(|| (&digits[..n], tail))
}

/// `<column>, '$.<path>')…`
fn column_path(s: &str) -> Option<(&str, &str, &str)> {
    let (column, rest) = s.split_once(", '$.")?;
    let (path, tail) = rest.split_once("')")?;
    let identifier = |t: &str| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    };
    (identifier(column) && identifier(path)).then_some((column, path, tail))
}

/// `<column>, '$.<key>') AS <alias>…`
fn column_path_alias(s: &str) -> Option<(&str, &str, &str, &str)> {
    let (column, key, rest) = column_path(s)?;
    let rest = rest.strip_prefix(" AS ")?;
    let n = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .count();
    (n > 0).then(|| (column, key, &rest[..n], &rest[n..]))
}

/// One column of a row, as the SQL interface's value.
pub(crate) fn column(row: &postgres::Row, index: usize) -> Result<Value<'_>> {
    let ty = row
        .columns()
        .get(index)
        .ok_or_else(|| StorageError::Internal(format!("no column {index}")))?
        .type_()
        .clone();
    let value = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(Value::I64),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)?
            .map(|v| Value::I64(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)?
            .map(|v| Value::I64(v.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(index)?.map(Value::Bool),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(Value::F64),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(index)?
            .map(|v| Value::F64(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<&str>>(index)?.map(Value::Text)
        }
        Type::BYTEA => row.try_get::<_, Option<&[u8]>>(index)?.map(Value::Bytes),
        other => {
            return Err(StorageError::Internal(format!(
                "column {index} has type {other}, which storage does not read (cast it)"
            )))
        }
    };
    Ok(value.unwrap_or(Value::Null))
}

impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        // The type is the one PostgreSQL inferred for the parameter; integers and booleans cross
        // over as SQLite would have taken them.
        match (*self, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::I64(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::I64(i), &Type::INT4) => i32::try_from(i)?.to_sql(ty, out),
            (Value::I64(i), &Type::INT2) => i16::try_from(i)?.to_sql(ty, out),
            (Value::I64(i), &Type::FLOAT8) => (i as f64).to_sql(ty, out),
            (Value::I64(i), &Type::BOOL) => (i != 0).to_sql(ty, out),
            (Value::I64(i), &Type::TEXT) => i.to_string().to_sql(ty, out),
            (Value::Bool(b), &Type::BOOL) => b.to_sql(ty, out),
            (Value::Bool(b), &Type::INT8) => i64::from(b).to_sql(ty, out),
            (Value::Bool(b), &Type::INT4) => i32::from(b).to_sql(ty, out),
            (Value::F64(f), &Type::FLOAT8) => f.to_sql(ty, out),
            (Value::F64(f), &Type::FLOAT4) => (f as f32).to_sql(ty, out),
            (Value::Text(s), &Type::TEXT | &Type::VARCHAR | &Type::BPCHAR | &Type::NAME) => {
                s.to_sql(ty, out)
            }
            (Value::Bytes(b), &Type::BYTEA) => b.to_sql(ty, out),
            (value, ty) => Err(format!("cannot bind {value:?} as a parameter of type {ty}").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::translate;
    use super::{PostgresStorage, ScratchDatabase, DEFAULT_POOL_SIZE};
    use crate::storage::logic::Engine;
    use crate::storage::sql::params;

    /// A panic inside a transaction must not hand its connection on with the transaction open:
    /// the next user's COMMIT would commit the half-done write. PostgreSQL only.
    #[test]
    fn a_transaction_that_panicked_leaves_nothing_behind_for_the_next_user() {
        let Some(server) = ScratchDatabase::server_from_env() else {
            eprintln!("skipped: PostgreSQL only (set TENG_TEST_POSTGRES_URL)");
            return;
        };
        let database = ScratchDatabase::create(&server).unwrap();
        let storage =
            PostgresStorage::open(&database.url, std::time::Duration::from_secs(5)).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            storage.write(|tx| -> crate::storage::Result<()> {
                tx.execute(
                    "INSERT INTO meta(key, value) VALUES (?1, ?2)",
                    params!["half", "done"],
                )?;
                panic!("a bug in the middle of a write");
            })
        }));
        assert!(panicked.is_err());
        // Every pooled connection in turn (the pool hands out the last one returned first).
        for _ in 0..2 * DEFAULT_POOL_SIZE {
            storage.write(|_| Ok(())).unwrap();
        }
        let half: Option<String> = storage
            .read(|c| {
                use crate::storage::sql::OptionalExtension;
                c.query_row("SELECT value FROM meta WHERE key = ?1", ["half"], |r| {
                    r.get(0)
                })
                .optional()
            })
            .unwrap();
        assert_eq!(half, None, "the panicked transaction's write was committed");
    }

    #[test]
    fn sqlite_spellings_become_postgresql_ones() {
        assert_eq!(
            translate("SELECT a FROM t WHERE x = ?1 AND y IN (SELECT value FROM json_each(?12))"),
            "SELECT a FROM t WHERE x = $1 AND y IN (SELECT value FROM \
             json_array_elements_text(CAST($12 AS TEXT)::json))"
        );
        assert_eq!(
            translate("ORDER BY json_extract(b.body, '$.name'), b.id"),
            "ORDER BY (CAST(b.body AS json) #>> '{name}'), b.id"
        );
        assert_eq!(
            translate("SELECT json_extract(body, '$.address.street') FROM b"),
            "SELECT (CAST(body AS json) #>> '{address,street}') FROM b"
        );
        assert_eq!(
            translate("FROM r LEFT JOIN json_each(r.body, '$.facts') AS f WHERE ?2"),
            "FROM r LEFT JOIN LATERAL json_each(CAST(r.body AS json) -> 'facts') AS f ON TRUE WHERE $2"
        );
        assert_eq!(
            translate("instr(r.features, ' ' || ?4 || ' ') > 0"),
            "strpos(r.features, ' ' || $4 || ' ') > 0"
        );
        // Text that only looks like the functions stays.
        assert_eq!(
            translate("SELECT '?' , json_each"),
            "SELECT '?' , json_each"
        );
    }
}
