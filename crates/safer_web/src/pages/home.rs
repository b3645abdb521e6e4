//! The start page and the health check.

use crate::AppState;
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use safer_core::access::Role;
use safer_store::plans::{self, PlanSummary};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    layout: Layout,
    plans: Vec<PlanSummary>,
    roles: Vec<(Role, String)>,
}

/// The start page: what safer is, and the plans this viewer can see.
pub async fn home(State(state): State<AppState>, viewer: Viewer) -> Result<HomePage, AppError> {
    let plans = plans::list(&state.db, &viewer.scope()).await?;
    let mut roles = Vec::new();
    if let Some(actor) = &viewer.actor {
        let orgs = safer_store::organisations::list(&state.db).await?;
        for m in &actor.memberships {
            let name = orgs
                .iter()
                .find(|o| o.id == m.organisation.id)
                .map(|o| o.name.clone())
                .unwrap_or_default();
            roles.push((m.role, name));
        }
    }
    Ok(HomePage {
        layout: Layout::new(
            &state,
            &viewer,
            "Community safety plans, funding and performance",
            Section::Home,
        ),
        plans,
        roles,
    })
}

/// Liveness and database reachability, for load balancers.
pub async fn healthz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    safer_store::organisations::get(&state.db, 0).await?;
    Ok("ok")
}
