//! The access log, for auditors and administrators: every look at a personal record, the looks
//! at one record ("who has looked at this?") and the looks by one person ("what has this person
//! looked at?"). Anyone else gets "not found".

use crate::AppState;
use crate::components::Pagination;
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::Id;
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use safer_core::access::{PersonalRecord, admin_access};
use safer_store::access_log::{self, AccessEvent, Looks};
use safer_store::clock;
use serde::Deserialize;

/// Which page of the log.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "access_log.html")]
pub(crate) struct AccessLogPage {
    layout: Layout,
    heading: String,
    intro: String,
    events: Vec<AccessEvent>,
    pagination: Pagination,
}

impl AccessLogPage {
    fn when(&self, stored: &str) -> String {
        clock::display_instant(stored)
    }
}

/// One page of `looks`, newest first, headed `heading`.
async fn page(
    state: &AppState,
    viewer: &Viewer,
    path: &str,
    looks: Looks,
    query: &PageQuery,
    heading: String,
    intro: String,
) -> Result<AccessLogPage, AppError> {
    let actor = viewer.require(path)?;
    if !admin_access(Some(actor)).read_access_log {
        return Err(AppError::NotFound);
    }
    let (page, limit, offset) = Pagination::window(query.page);
    let mut events = access_log::list(&state.db, looks, limit, offset).await?;
    let pagination = Pagination::cut(&mut events, page, "the access log", "looks", |p| {
        format!("{path}?page={p}")
    });
    Ok(AccessLogPage {
        layout: Layout::new(state, viewer, heading.clone(), Section::AccessLog),
        heading,
        intro,
        events,
        pagination,
    })
}

/// Every look at a personal record.
pub async fn all(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PageQuery>,
) -> Result<AccessLogPage, AppError> {
    let intro = "Every time someone opened a personal record, saw it in a list of results or \
        downloaded it: who, when, from where and why. Nobody can change or remove an entry."
        .to_owned();
    page(
        &state,
        &viewer,
        "/audit/access",
        Looks::All,
        &query,
        "Access log".into(),
        intro,
    )
    .await
}

/// Who has looked at one personal record.
pub async fn record(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((record_type, id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Result<AccessLogPage, AppError> {
    let path = format!("/audit/records/{record_type}/{id}");
    viewer.require(&path)?;
    let record = PersonalRecord::named(&record_type).ok_or(AppError::NotFound)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let heading = format!("Who has looked at {} {id}", record.label);
    let intro = format!("Every look at {} {id}, newest first.", record.label);
    let looks = Looks::AtRecord(record, id);
    page(&state, &viewer, &path, looks, &query, heading, intro).await
}

/// What one person has looked at.
pub async fn person(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(query): Query<PageQuery>,
) -> Result<AccessLogPage, AppError> {
    let path = format!("/audit/people/{id}");
    let mut page = page(
        &state,
        &viewer,
        &path,
        Looks::By(id),
        &query,
        String::new(),
        String::new(),
    )
    .await?;
    let who = page.events.first().map(|e| e.who.clone());
    page.heading = match &who {
        Some(name) => format!("What {name} has looked at"),
        None => format!("What person {id} has looked at"),
    };
    page.layout.title.clone_from(&page.heading);
    page.intro = "Every personal record this person opened, saw in a list of results or \
        downloaded, newest first."
        .to_owned();
    Ok(page)
}
