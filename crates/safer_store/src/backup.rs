//! Backing up and restoring the embedded SQLite database.
//!
//! A backup is taken with SQLite's `VACUUM INTO`, which copies the database as of one read
//! transaction: consistent even while the application goes on writing, and holding every
//! transaction committed before it began. PostgreSQL deployments use `pg_dump` and `pg_restore`.

use crate::db::{Backend, Db};
use crate::error::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::path::Path;

const POSTGRES_BACKUP: &str = "safer backs up SQLite only; for PostgreSQL, use pg_dump \
    (for example `pg_dump --format=custom --file=safer.dump DATABASE_URL`) and pg_restore";

/// Writes a consistent copy of the live database to `dest`, which must not exist yet.
pub async fn backup(db: &Db, dest: &Path) -> Result<(), StoreError> {
    let Db::Sqlite(pool) = db else {
        return Err(StoreError::Invalid(POSTGRES_BACKUP.into()));
    };
    if dest.exists() {
        return Err(StoreError::Invalid(format!(
            "{} already exists; choose a new file for the backup",
            dest.display()
        )));
    }
    let dest = dest
        .to_str()
        .ok_or_else(|| StoreError::Invalid("the backup path must be valid UTF-8".into()))?;
    sqlx::query("VACUUM INTO $1")
        .bind(dest)
        .execute(pool)
        .await?;
    Ok(())
}

/// Checks that `file` is a whole, uncorrupted safer database, returning SQLite's report if not.
pub async fn check(file: &Path) -> Result<(), StoreError> {
    if !file.is_file() {
        return Err(StoreError::Invalid(format!(
            "{} is not a file",
            file.display()
        )));
    }
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&pool)
        .await?;
    let migrations: Result<i64, _> =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&pool)
            .await;
    pool.close().await;
    if report != ["ok"] {
        return Err(StoreError::Invalid(format!(
            "{} failed its integrity check: {}",
            file.display(),
            report.join("; ")
        )));
    }
    match migrations {
        Ok(n) if n > 0 => Ok(()),
        _ => Err(StoreError::Invalid(format!(
            "{} is not a safer database",
            file.display()
        ))),
    }
}

/// Replaces the SQLite database at `target_url` with the backup `file`, after checking it.
/// safer must not be running against the target while this happens.
pub async fn restore(
    file: &Path,
    target_url: &str,
    target_backend: Backend,
) -> Result<(), StoreError> {
    if target_backend == Backend::Postgres {
        return Err(StoreError::Invalid(POSTGRES_BACKUP.into()));
    }
    check(file).await?;
    let target = target_url
        .strip_prefix("sqlite://")
        .or_else(|| target_url.strip_prefix("sqlite:"))
        .unwrap_or(target_url);
    let target = Path::new(target);
    let staging = target.with_extension("restoring");
    let io = |e: std::io::Error| {
        StoreError::Invalid(format!("could not restore into {}: {e}", target.display()))
    };
    std::fs::copy(file, &staging).map_err(io)?;
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    // The old database's write-ahead log belongs to the old file; left in place it would be
    // replayed onto the restored one.
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", target.display());
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
    }
    std::fs::rename(&staging, target).map_err(io)?;
    Ok(())
}
