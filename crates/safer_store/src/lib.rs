//! safer's persistence: one set of portable SQL queries over SQLite (the embedded default) and
//! PostgreSQL (for several app instances sharing one database).
//!
//! **Invariants:**
//! - every write runs in one transaction together with its audit event ([`audit`]);
//! - every read of partnership-owned records takes a [`safer_core::access::ReadScope`] and returns
//!   nothing outside it;
//! - no query names a backend: where the backends differ, the method has an arm for each, with a
//!   comment saying why.

pub mod access_log;
pub mod areas;
pub mod audit;
pub mod backup;
pub mod bids;
pub mod boards;
pub mod clock;
mod db;
pub mod demo;
mod error;
pub mod funds;
pub mod grants;
pub mod measures;
pub mod organisations;
pub mod papers;
pub mod passwords;
pub mod plans;
pub mod police_uk;
pub mod retention;
pub mod sessions;
pub mod users;

pub use audit::Author;
pub use db::{Backend, Db};
pub use error::StoreError;
