//! The store's tests. Each runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

mod audit;
mod backup;
mod bids;
mod boards;
mod funds;
mod grants;
mod plans;
mod retention;
mod schema;
mod sessions;
mod users;
