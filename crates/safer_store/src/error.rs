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
    /// The database failed.
    #[error("database error: {0}")]
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
