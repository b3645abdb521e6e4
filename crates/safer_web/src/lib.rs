//! safer's HTTP layer: server-rendered pages in GOV.UK Design System patterns, and a JSON API
//! under `/api/v1` that mirrors them.
//!
//! A request flows: [`routes`] (the one route table) → [`session`] middleware (who is asking,
//! CSRF check on every unsafe method) → handler in [`pages`] or [`api`] (parse input with the
//! core, check permission with the core, call the store) → page or JSON. Errors become a page
//! (or `application/problem+json`) in one place, [`error`].

pub mod api;
mod assets;
pub mod body;
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
    /// When failed sign-ins stop a client trying an account.
    pub throttle: safer_store::sessions::ThrottlePolicy,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            organisation_name: "safer".to_owned(),
            secure_cookies: true,
            sessions: SessionPolicy::default(),
            throttle: safer_store::sessions::ThrottlePolicy::default(),
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
    // The client's address is kept on each request: sign-in throttling counts failures by it.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
