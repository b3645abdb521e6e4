//! Organisations: who is who. Names, kinds and areas are public; each page lists only the plans
//! the viewer may read.

use crate::AppState;
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::Id;
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use safer_core::organisations::OrganisationKind;
use safer_store::organisations::{self, Organisation};
use safer_store::plans::{self, PlanSummary};

/// A policing body with the partnerships and partners in its area.
pub(crate) struct Area {
    body: Organisation,
    partnerships: Vec<Organisation>,
    partners: Vec<Organisation>,
}

#[derive(Template, WebTemplate)]
#[template(path = "organisations.html")]
pub(crate) struct OrganisationsPage {
    layout: Layout,
    areas: Vec<Area>,
}

/// Every organisation, grouped by police force area.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<OrganisationsPage, AppError> {
    let all = organisations::list(&state.db).await?;
    let areas = all
        .iter()
        .filter(|o| o.kind == OrganisationKind::PolicingBody)
        .map(|body| Area {
            body: body.clone(),
            partnerships: all
                .iter()
                .filter(|o| {
                    o.kind == OrganisationKind::Partnership && o.policing_body_id == Some(body.id)
                })
                .cloned()
                .collect(),
            partners: all
                .iter()
                .filter(|o| {
                    o.kind == OrganisationKind::Partner && o.policing_body_id == Some(body.id)
                })
                .cloned()
                .collect(),
        })
        .collect();
    Ok(OrganisationsPage {
        layout: Layout::new(&state, &viewer, "Organisations", Section::Organisations),
        areas,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "organisation.html")]
pub(crate) struct OrganisationPage {
    layout: Layout,
    org: Organisation,
    policing_body: Option<Organisation>,
    areas: Vec<(String, String)>,
    partners: Vec<Organisation>,
    plans: Vec<PlanSummary>,
    overdue: Vec<safer_store::grants::OverdueReturn>,
}

/// One organisation.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<OrganisationPage, AppError> {
    let org = organisations::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let policing_body = match org.policing_body_id {
        Some(pb) => organisations::get(&state.db, pb).await?,
        None => None,
    };
    let plans = plans::list(&state.db, &viewer.scope())
        .await?
        .into_iter()
        .filter(|p| p.organisation_id == id)
        .collect();
    let overdue = crate::pages::grants::overdue_for(&state, &viewer, &org).await?;
    Ok(OrganisationPage {
        layout: Layout::new(&state, &viewer, org.name.clone(), Section::Organisations),
        overdue,
        areas: organisations::areas(&state.db, id).await?,
        partners: organisations::partners(&state.db, id).await?,
        policing_body,
        plans,
        org,
    })
}
