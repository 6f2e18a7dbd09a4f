//! The one SQL interface the storage logic is written against, so that the same statements and the
//! same Rust around them serve SQLite today and PostgreSQL next (docs/adr/0004, "Porting
//! inventory"). It is deliberately small: prepared (and cached) statements with positional
//! parameters `?1, ?2, …`, rows read by column index, and the handful of value types the schema
//! uses.
//!
//! Its shape follows rusqlite's (`prepare_cached(sql)?.query_row(params, |r| r.get(0))`), because
//! the SQLite backend was written against rusqlite first; the PostgreSQL connection will answer the
//! same calls. Rows are read eagerly (`query_map` returns the rows already read), which is what a
//! PostgreSQL driver does anyway and keeps a statement from being held across other queries.

use std::fmt;

use super::postgres::PgConn;
use super::{Result, StorageError};

/// A parameter or column value, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    I64(i64),
    F64(f64),
    Text(&'a str),
    Bytes(&'a [u8]),
}

/// A parameter value built at run time (a filter's list of conditions and their values).
#[derive(Debug, Clone, PartialEq)]
pub enum Owned {
    Null,
    Bool(bool),
    I64(i64),
    F64(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl From<String> for Owned {
    fn from(s: String) -> Self {
        Owned::Text(s)
    }
}

impl From<i64> for Owned {
    fn from(i: i64) -> Self {
        Owned::I64(i)
    }
}

/// What can be bound as a parameter.
pub trait ToValue {
    fn to_value(&self) -> Value<'_>;
}

impl ToValue for Owned {
    fn to_value(&self) -> Value<'_> {
        match self {
            Owned::Null => Value::Null,
            Owned::Bool(b) => Value::Bool(*b),
            Owned::I64(i) => Value::I64(*i),
            Owned::F64(f) => Value::F64(*f),
            Owned::Text(s) => Value::Text(s),
            Owned::Bytes(b) => Value::Bytes(b),
        }
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Bytes(self)
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Bytes(self)
    }
}

impl<const N: usize> ToValue for [u8; N] {
    fn to_value(&self) -> Value<'_> {
        Value::Bytes(self)
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Bool(*self)
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::F64(*self)
    }
}

macro_rules! integer_values {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value<'_> {
                // Every integer the schema keeps fits an i64 (times in ms, counts, cursors).
                Value::I64(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
integer_values!(i64, i32, u32, u64, usize);

/// The parameters of one statement: `params![a, b]`, an array of one type, a slice of
/// [`Owned`] values, or `()` for none.
pub trait Params {
    fn values(&self) -> Vec<Value<'_>>;
}

impl Params for () {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

impl<T: ToValue> Params for [T] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl<T: ToValue, const N: usize> Params for [T; N] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl<T: ToValue> Params for Vec<T> {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl<P: Params + ?Sized> Params for &P {
    fn values(&self) -> Vec<Value<'_>> {
        (**self).values()
    }
}

/// Parameters of different types: `params![id, name, version]`.
#[macro_export]
macro_rules! sql_params {
    () => { &[] as &[&dyn $crate::storage::sql::ToValue] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::storage::sql::ToValue),+] as &[&dyn $crate::storage::sql::ToValue] };
}
pub use crate::sql_params as params;

/// What a column can be read as.
pub trait FromValue: Sized {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String>;
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl FromValue for String {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Text(s) => Ok(s.to_string()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Bytes(b) => Ok(b.to_vec()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

impl FromValue for i64 {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::I64(i) => Ok(i),
            // `EXISTS (…)` is a boolean on PostgreSQL, an integer on SQLite.
            Value::Bool(b) => Ok(i64::from(b)),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

impl FromValue for u32 {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String> {
        let i = i64::from_value(value)?;
        u32::try_from(i).map_err(|_| format!("{i} is out of range"))
    }
}

impl FromValue for f64 {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::F64(f) => Ok(f),
            // SQLite keeps a whole REAL such as 42.0 as written; it reads back as a REAL, but an
            // integer bound into a REAL column stays an integer.
            Value::I64(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: Value<'_>) -> std::result::Result<Self, String> {
        match value {
            Value::Bool(b) => Ok(b),
            // SQLite has no boolean type: 0 and 1.
            Value::I64(i) => Ok(i != 0),
            other => Err(format!("expected a boolean, found {other:?}")),
        }
    }
}

/// One row of an answer, read by column index.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r ::postgres::Row),
}

impl Row<'_> {
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T> {
        let value = match &self.inner {
            RowInner::Sqlite(row) => sqlite_value(row.get_ref(index)?)?,
            RowInner::Postgres(row) => super::postgres::column(row, index)?,
        };
        T::from_value(value).map_err(|e| StorageError::Internal(format!("column {index}: {e}")))
    }
}

fn sqlite_value(value: rusqlite::types::ValueRef<'_>) -> Result<Value<'_>> {
    use rusqlite::types::ValueRef;
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::I64(i),
        ValueRef::Real(f) => Value::F64(f),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t)
                .map_err(|e| StorageError::Internal(format!("stored text is not UTF-8: {e}")))?,
        ),
        ValueRef::Blob(b) => Value::Bytes(b),
    })
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Bool(b) => ValueRef::Integer(i64::from(b)),
            Value::I64(i) => ValueRef::Integer(i),
            Value::F64(f) => ValueRef::Real(f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Bytes(b) => ValueRef::Blob(b),
        }))
    }
}

/// A database connection, inside a transaction or not. Cheap to copy (it borrows the driver's).
#[derive(Clone, Copy)]
pub struct Db<'c> {
    inner: DbInner<'c>,
}

/// A connection inside a write transaction: what the write paths take, to say they write.
pub type Tx<'c> = Db<'c>;

#[derive(Clone, Copy)]
enum DbInner<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(&'c PgConn),
}

impl fmt::Debug for Db<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner {
            DbInner::Sqlite(_) => f.write_str("Db(sqlite)"),
            DbInner::Postgres(_) => f.write_str("Db(postgres)"),
        }
    }
}

impl<'c> Db<'c> {
    pub fn sqlite(conn: &'c rusqlite::Connection) -> Db<'c> {
        Db {
            inner: DbInner::Sqlite(conn),
        }
    }

    pub fn postgres(conn: &'c PgConn) -> Db<'c> {
        Db {
            inner: DbInner::Postgres(conn),
        }
    }

    /// A statement, prepared once per connection and kept for the next call with the same text.
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'c>> {
        Ok(Stmt {
            inner: match self.inner {
                DbInner::Sqlite(conn) => StmtInner::Sqlite(conn.prepare_cached(sql)?),
                DbInner::Postgres(conn) => StmtInner::Postgres {
                    conn,
                    stmt: conn.statement(sql)?,
                },
            },
        })
    }

    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T, QueryError> {
        self.prepare_cached(sql)
            .map_err(QueryError::Failed)?
            .query_row(params, f)
    }

    /// Runs `f` inside one read transaction: every statement in it sees the same committed state.
    pub fn read_snapshot<T>(&self, f: impl FnOnce(&Db<'c>) -> Result<T>) -> Result<T> {
        self.begin(match self.inner {
            // A deferred transaction reads one snapshot of the WAL.
            DbInner::Sqlite(_) => "BEGIN DEFERRED",
            DbInner::Postgres(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        })?;
        let out = f(self);
        let ended = self.end("COMMIT");
        let value = out?;
        ended?;
        Ok(value)
    }

    /// Starts a transaction. A connection left in it (the code in it panicked) is not used
    /// again: SQLite's readers are pooled only in autocommit (`SqliteStorage::read`), PostgreSQL's
    /// connections are dropped (`PgConn::begin`).
    fn begin(&self, sql: &str) -> Result<()> {
        match self.inner {
            DbInner::Sqlite(_) => self.execute_batch(sql),
            DbInner::Postgres(conn) => conn.begin(sql),
        }
    }

    fn end(&self, sql: &str) -> Result<()> {
        match self.inner {
            DbInner::Sqlite(_) => self.execute_batch(sql),
            DbInner::Postgres(conn) => conn.end(sql),
        }
    }

    /// The newest sync cursor handed out: the change log's highest `seq`, also when the row that
    /// had it was pruned since.
    pub fn last_seq(&self) -> Result<i64> {
        let sql = match self.inner {
            DbInner::Sqlite(_) => "SELECT seq FROM sqlite_sequence WHERE name = 'changes'",
            // Only committed rows are visible, and every change is committed in seq order (see
            // `append_change_sql`). Pruning never drops the newest row but as a tombstone, which
            // raises the sync floor to it.
            DbInner::Postgres(_) => {
                "SELECT greatest(
                     (SELECT max(seq) FROM changes),
                     (SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'sync_floor'))"
            }
        };
        let seq: Option<Option<i64>> = self.query_row(sql, (), |r| r.get(0)).optional()?;
        Ok(seq.flatten().unwrap_or(0))
    }

    /// The statement that appends one change (parameters: kind, record id, op, device, time) and
    /// answers its `seq`. On PostgreSQL it first takes the change log's lock, held until the
    /// transaction ends, so that changes commit in the order of their `seq` (docs/sync-protocol.md,
    /// "The cursor"), in the same round trip as the insert, which keeps the time the lock is held
    /// short. SQLite has one writer at a time already.
    pub fn append_change_sql(&self) -> &'static str {
        match self.inner {
            DbInner::Sqlite(_) => {
                "INSERT INTO changes(kind, record_id, op, device_id, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 RETURNING seq"
            }
            DbInner::Postgres(_) => super::postgres::APPEND_CHANGE,
        }
    }

    /// Locks the row of `table` with this `id` until the transaction ends, before a write that
    /// depends on what the transaction read of it (a version check, a count). One writer at a
    /// time on SQLite already; on PostgreSQL, where processes write at once, `FOR NO KEY UPDATE`:
    /// it keeps other writers of the row waiting but not inserts that refer to it (their
    /// foreign-key check takes a key-share lock), so a transaction that inserted a report and then
    /// locks the building cannot deadlock with another doing the same.
    pub fn lock_row(&self, table: &'static str, id: &str) -> Result<()> {
        match self.inner {
            DbInner::Sqlite(_) => Ok(()),
            DbInner::Postgres(_) => self.lock_existing_row(table, id).map(drop),
        }
    }

    /// [`Db::lock_row`] that also says whether the row exists, in one statement.
    pub fn lock_existing_row(&self, table: &'static str, id: &str) -> Result<bool> {
        let lock = match self.inner {
            DbInner::Sqlite(_) => "",
            DbInner::Postgres(_) => " FOR NO KEY UPDATE",
        };
        self.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1{lock}"))?
            .exists([id])
    }

    /// Serializes the transactions of one key (a pushing device or user) until this one ends.
    pub fn lock_key(&self, key: &str) -> Result<()> {
        match self.inner {
            DbInner::Sqlite(_) => Ok(()),
            DbInner::Postgres(_) => self
                .prepare_cached("SELECT pg_advisory_xact_lock(hashtextextended(?1, 0))")?
                .exists([key])
                .map(drop),
        }
    }

    /// Statements separated by `;`, without parameters (migrations, transaction control).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self.inner {
            DbInner::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            DbInner::Postgres(conn) => conn.batch(sql),
        }
    }
}

/// A prepared statement.
pub struct Stmt<'c> {
    inner: StmtInner<'c>,
}

enum StmtInner<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Postgres {
        conn: &'c PgConn,
        stmt: ::postgres::Statement,
    },
}

impl Stmt<'_> {
    /// Runs it; returns how many rows it changed.
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        let values = params.values();
        match &mut self.inner {
            StmtInner::Sqlite(stmt) => Ok(stmt.execute(rusqlite::params_from_iter(values))?),
            StmtInner::Postgres { conn, stmt } => Ok(conn.execute(stmt, &values)? as usize),
        }
    }

    /// The first row, mapped; [`QueryError::NoRows`] when there is none (see
    /// [`OptionalExtension::optional`]).
    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T, QueryError> {
        let values = params.values();
        match &mut self.inner {
            StmtInner::Sqlite(stmt) => {
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(values))
                    .map_err(|e| QueryError::Failed(e.into()))?;
                match rows.next().map_err(|e| QueryError::Failed(e.into()))? {
                    Some(row) => f(&Row {
                        inner: RowInner::Sqlite(row),
                    })
                    .map_err(QueryError::Failed),
                    None => Err(QueryError::NoRows),
                }
            }
            StmtInner::Postgres { conn, stmt } => {
                let rows = conn.query(stmt, &values).map_err(QueryError::Failed)?;
                match rows.first() {
                    Some(row) => f(&Row {
                        inner: RowInner::Postgres(row),
                    })
                    .map_err(QueryError::Failed),
                    None => Err(QueryError::NoRows),
                }
            }
        }
    }

    /// Every row, mapped (read to the end before it returns).
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let values = params.values();
        let mut out = Vec::new();
        match &mut self.inner {
            StmtInner::Sqlite(stmt) => {
                let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
                while let Some(row) = rows.next()? {
                    out.push(f(&Row {
                        inner: RowInner::Sqlite(row),
                    }));
                }
            }
            StmtInner::Postgres { conn, stmt } => {
                for row in conn.query(stmt, &values)? {
                    out.push(f(&Row {
                        inner: RowInner::Postgres(&row),
                    }));
                }
            }
        }
        Ok(out.into_iter())
    }

    /// Whether the query answers at least one row.
    pub fn exists(&mut self, params: impl Params) -> Result<bool> {
        let values = params.values();
        match &mut self.inner {
            StmtInner::Sqlite(stmt) => Ok(stmt.exists(rusqlite::params_from_iter(values))?),
            StmtInner::Postgres { conn, stmt } => Ok(!conn.query(stmt, &values)?.is_empty()),
        }
    }
}

/// Why [`Stmt::query_row`] has no value: no row, or a failure.
#[derive(Debug)]
pub enum QueryError {
    NoRows,
    Failed(StorageError),
}

impl From<QueryError> for StorageError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::NoRows => {
                StorageError::Internal("a query expected a row and found none".into())
            }
            QueryError::Failed(e) => e,
        }
    }
}

/// `query_row(..).optional()`: no row is `None`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for std::result::Result<T, QueryError> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(QueryError::NoRows) => Ok(None),
            Err(QueryError::Failed(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, x REAL, flag INTEGER, blob BLOB)",
        )
        .unwrap();
        conn
    }

    #[test]
    fn values_go_in_and_come_back_as_written() {
        let conn = db();
        let db = Db::sqlite(&conn);
        let hash = [7u8; 32];
        let note: Option<&str> = None;
        db.execute(
            "INSERT INTO t (id, n, x, flag, blob) VALUES (?1, ?2, ?3, ?4, ?5)",
            params!["a", 42i64, 1.5f64, true, hash],
        )
        .unwrap();
        db.execute(
            "INSERT INTO t (id, n, x, flag, blob) VALUES (?1, ?2, ?3, ?4, ?5)",
            params!["b".to_string(), 7u32, 2f64, false, note],
        )
        .unwrap();
        let (id, n, x, flag, blob): (String, i64, f64, bool, Vec<u8>) = db
            .query_row(
                "SELECT id, n, x, flag, blob FROM t WHERE id = ?1",
                ["a"],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            (id.as_str(), n, x, flag, blob),
            ("a", 42, 1.5, true, hash.to_vec())
        );
        let missing: Option<Vec<u8>> = db
            .query_row("SELECT blob FROM t WHERE id = ?1", ["b"], |r| r.get(0))
            .unwrap();
        assert_eq!(missing, None);
        let flag: bool = db
            .query_row("SELECT flag FROM t WHERE id = 'b'", (), |r| r.get(0))
            .unwrap();
        assert!(!flag);
    }

    #[test]
    fn no_row_is_none_when_optional_and_an_error_otherwise() {
        let conn = db();
        let db = Db::sqlite(&conn);
        let none: Option<i64> = db
            .query_row("SELECT n FROM t WHERE id = ?1", ["zz"], |r| r.get(0))
            .optional()
            .unwrap();
        assert_eq!(none, None);
        let err: Result<i64> = db
            .query_row("SELECT n FROM t WHERE id = ?1", ["zz"], |r| r.get(0))
            .map_err(StorageError::from);
        assert!(matches!(err, Err(StorageError::Internal(_))));
        // A column of another type is a clear error, not a panic.
        db.execute("INSERT INTO t (id, n) VALUES ('c', 1)", ())
            .unwrap();
        let wrong: Result<String> = db
            .query_row("SELECT n FROM t WHERE id = 'c'", (), |r| r.get(0))
            .map_err(StorageError::from);
        assert!(matches!(wrong, Err(StorageError::Internal(m)) if m.contains("column 0")));
    }

    #[test]
    fn rows_are_mapped_in_order_and_dynamic_parameters_bind() {
        let conn = db();
        let db = Db::sqlite(&conn);
        for (i, id) in ["x", "y", "z"].iter().enumerate() {
            db.execute("INSERT INTO t (id, n) VALUES (?1, ?2)", params![id, i])
                .unwrap();
        }
        let filter = vec![Owned::I64(0), Owned::Text("z".into())];
        let ids: Vec<String> = db
            .prepare_cached("SELECT id FROM t WHERE n > ?1 AND id <> ?2 ORDER BY id")
            .unwrap()
            .query_map(&filter, |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(ids, ["y"]);
        let mut stmt = db.prepare_cached("SELECT 1 FROM t WHERE id = ?1").unwrap();
        assert!(stmt.exists(["x"]).unwrap());
        assert!(!stmt.exists(["w"]).unwrap());
        assert_eq!(db.execute("DELETE FROM t WHERE n >= ?1", [1]).unwrap(), 2);
    }
}
