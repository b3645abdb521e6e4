//! The domain core of safer: what organisations, people, roles and plans are, how input is
//! parsed into them, and who may see or change what.
//!
//! **Invariant:** this crate does no I/O. It knows nothing of HTTP, SQL or files, so every rule
//! here can be tested as a plain function.

pub mod access;
pub mod boards;
pub mod forms;
pub mod measures;
pub mod numbers;
pub mod organisations;
pub mod plans;
pub mod police;
pub mod time;
