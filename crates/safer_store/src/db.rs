//! The connection to one of the two backends, and transactions on it.

use crate::error::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A pool of connections to the database.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite.
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool is active; each arm is type-checked on its own.
macro_rules! with_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Takes one connection from the pool and runs the expression with it as `$conn`, so that a
/// read made of several queries pays for one pool acquisition, not one per query.
macro_rules! with_conn {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(pool) => {
                let mut held = pool.acquire().await?;
                let $conn = &mut *held;
                $body
            }
            $crate::db::Db::Postgres(pool) => {
                let mut held = pool.acquire().await?;
                let $conn = &mut *held;
                $body
            }
        }
    };
}
pub(crate) use with_conn;

/// Runs the same expression against whichever transaction is open; `$conn` is the connection.
macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

/// An open transaction. Dropped without [`Tx::commit`], it rolls back. Only the store opens one.
pub(crate) enum Tx {
    /// On SQLite.
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    /// On PostgreSQL.
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    /// Commits the transaction, which has written its audit event: the event's token says so.
    pub(crate) async fn commit(self, _event: crate::audit::Audited) -> Result<(), StoreError> {
        self.commit_housekeeping().await
    }

    /// Commits bookkeeping that is no change anyone audits: the audit chain's own sealing, a
    /// session's last use, failed sign-ins counted. Every change to a record commits with
    /// [`Tx::commit`] instead.
    pub(crate) async fn commit_housekeeping(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

impl Db {
    /// Connects to `url`: `sqlite://PATH` (created if missing), a bare file path, or
    /// `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        Db::open(url, true).await
    }

    /// Connects to `url` as [`Db::connect`] does, but refuses an SQLite file that does not
    /// exist, naming it: a mistyped path must not become a new, empty database.
    pub async fn connect_existing(url: &str) -> Result<Db, StoreError> {
        Db::open(url, false).await
    }

    async fn open(url: &str, create: bool) -> Result<Db, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            return Ok(Db::Postgres(pool));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(StoreError::Invalid(format!(
                "cannot use database URL {url:?}: give sqlite://PATH or postgres://USER@HOST/NAME"
            )));
        }
        if !create && !std::path::Path::new(path).is_file() {
            return Err(StoreError::Invalid(format!(
                "there is no database at {path}: check the path, or create one with safer migrate --database sqlite://{path}"
            )));
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(create)
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL is durable across application crashes in WAL mode; only a power cut can
            // lose the last transactions, never corrupt the file.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            // Rows come from SQLite's worker thread over a channel; with room for only the
            // default 50, a long list wakes the reading task every few rows, and the thread
            // switches cost more than the rows (10,000 actions: 25 ms, most of it switching).
            .row_buffer_size(1024);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool))
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        crate::audit::seal_unsealed(self).await?;
        Ok(())
    }

    /// Starts a transaction for a write.
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            // IMMEDIATE takes the write lock at the start, so two writers wait for each other
            // (up to the busy timeout) instead of failing when a reader tries to become a writer.
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            // Every write ends with its audit event, chained to the one before: taking the
            // chain's head first puts writers in one order, as SQLite's lock does, so events
            // chain in commit order and no two writers deadlock over the head.
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT id FROM audit_chain WHERE id = 1 FOR UPDATE")
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }

    /// Closes every connection.
    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }

    /// The tables and their columns, with whether each may be NULL, for comparing the schemas
    /// of the two backends.
    pub async fn schema_columns(&self) -> Result<Vec<(String, String, bool)>, StoreError> {
        let mut columns: Vec<(String, String, bool)> = match self {
            Db::Sqlite(pool) => {
                const SQL: &str = "SELECT m.name, p.name, p.\"notnull\", p.pk FROM sqlite_master m \
                    JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                    AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'";
                sqlx::query_as::<_, (String, String, i64, i64)>(SQL)
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    // A primary key column is never NULL, whatever SQLite's pragma says.
                    .map(|(t, c, notnull, pk)| (t, c, notnull == 0 && pk == 0))
                    .collect()
            }
            Db::Postgres(pool) => {
                const SQL: &str = "SELECT table_name::text, column_name::text, is_nullable::text \
                    FROM information_schema.columns WHERE table_schema = current_schema() \
                    AND table_name <> '_sqlx_migrations'";
                sqlx::query_as::<_, (String, String, String)>(SQL)
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .map(|(t, c, n)| (t, c, n == "YES"))
                    .collect()
            }
        };
        columns.sort();
        Ok(columns)
    }
}
