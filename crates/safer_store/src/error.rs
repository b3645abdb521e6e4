use thiserror::Error;

/// Why a store operation failed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The record does not exist, or is outside the caller's scope.
    #[error("not found")]
    NotFound,
    /// The record was changed by someone else since it was read.
    #[error("the record was changed by someone else since it was read")]
    Conflict,
    /// A value that must be unique is already taken; the string says which.
    #[error("{0} is already in use")]
    Duplicate(&'static str),
    /// The request cannot be carried out as asked; the message says why.
    #[error("{0}")]
    Invalid(String),
    /// The database failed. Said without the values involved, so it can be logged: see
    /// [`describe`].
    #[error("database error: {}", describe(.0))]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Maps a unique violation to [`StoreError::Duplicate`], naming what was duplicated.
    pub(crate) fn unique(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |e| match e.as_database_error().map(|d| d.kind()) {
            Some(sqlx::error::ErrorKind::UniqueViolation) => StoreError::Duplicate(what),
            _ => StoreError::Database(e),
        }
    }
}

/// What a database error says, without any value from the statement. PostgreSQL's messages can
/// quote a value ("invalid input syntax for type integer: \"…\"", and its details quote whole
/// rows), so only its SQLSTATE code, constraint and table are kept; SQLite's messages name
/// tables, columns and constraints, never values, and are kept whole.
pub fn describe(e: &sqlx::Error) -> String {
    let sqlx::Error::Database(d) = e else {
        return e.to_string();
    };
    if d.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_none()
    {
        return d.message().to_owned();
    }
    let mut out = format!(
        "PostgreSQL refused the statement (SQLSTATE {})",
        d.code().unwrap_or_default()
    );
    if let Some(table) = d.table() {
        out.push_str(&format!(", table {table}"));
    }
    if let Some(constraint) = d.constraint() {
        out.push_str(&format!(", constraint {constraint}"));
    }
    out
}
