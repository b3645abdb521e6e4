//! The web layer's tests: in-process HTTP through the router, and browser journeys (module
//! `e2e`, run one at a time). Each runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

mod api;
mod authz;
mod boards;
mod bounded;
mod commissioning;
mod components;
mod e2e;
mod funds;
mod http;
mod performance;
mod privacy;
mod support;
