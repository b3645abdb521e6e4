//! safer's HTTP layer: server-rendered pages in GOV.UK Design System patterns, and a JSON API
//! under `/api/v1` that mirrors them.
//!
//! A request flows: [`routes`] (the one route table) → [`session`] middleware (who is asking,
//! CSRF check on every unsafe method) → handler in [`pages`] or [`api`] (parse input with the
//! core, check permission with the core, call the store) → page or JSON. Errors become a page
//! (or `application/problem+json`) in one place, [`error`].

pub mod api;
mod assets;
pub mod components;
pub mod error;
mod layout;
mod pages;
pub mod performance;
pub use pages::papers::render_block;
pub use pages::performance::{Report, build_report, report_document};
pub mod routes;
mod security;
pub mod session;
pub mod spreadsheet;

use safer_store::Db;
use safer_store::sessions::SessionPolicy;
use std::sync::Arc;

/// Settings for the web application.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The organisation whose name appears in the header.
    pub organisation_name: String,
    /// Mark cookies `Secure` with the `__Host-` prefix. Browsers accept secure cookies from
    /// `http://localhost` and `127.0.0.1`; turn this off only for plain HTTP on other hosts.
    pub secure_cookies: bool,
    /// How long sessions last.
    pub sessions: SessionPolicy,
    /// Failed sign-ins for one address within [`WebConfig::throttle_window`] before it is refused.
    pub throttle_after: i64,
    /// The window over which failed sign-ins are counted.
    pub throttle_window: jiff::SignedDuration,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            organisation_name: "safer".to_owned(),
            secure_cookies: true,
            sessions: SessionPolicy::default(),
            throttle_after: 5,
            throttle_window: jiff::SignedDuration::from_mins(15),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The settings.
    pub config: Arc<WebConfig>,
}

impl AppState {
    /// State over a database with the given settings.
    pub fn new(db: Db, config: WebConfig) -> Self {
        Self {
            db,
            config: Arc::new(config),
        }
    }
}

pub use routes::app;

/// Serves the application on `listener` until `shutdown` completes, then finishes the requests
/// in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
