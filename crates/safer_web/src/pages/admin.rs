//! Administration: the users and the audit log. Only administrators; anyone else gets
//! "not found". People's accounts are personal records: every list, view and export of them is
//! in the access log.

use crate::AppState;
use crate::components::{ErrorSummary, Pagination, Select, TextInput};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::plans::author;
use crate::pages::{DataTable, Id, csv_response};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use safer_core::access::{AccessKind, admin_access};
use safer_core::forms::FormErrors;
use safer_store::audit::{self, AuditEvent, AuditFilter};
use safer_store::clock;
use safer_store::users::{self, UserSummary};
use serde::Deserialize;

fn require_admin(viewer: &Viewer, path: &str) -> Result<(), AppError> {
    let actor = viewer.require(path)?;
    if admin_access(Some(actor)).manage_users {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub(crate) struct UsersPage {
    layout: Layout,
    users: Vec<UserSummary>,
}

/// Every user and their roles; each is recorded as shown in the access log.
pub async fn users(State(state): State<AppState>, viewer: Viewer) -> Result<UsersPage, AppError> {
    require_admin(&viewer, "/admin/users")?;
    let author = author(&viewer)?;
    let looking = viewer.looking(&author, None);
    let users = users::list(&state.db, &looking, AccessKind::Search).await?;
    Ok(UsersPage {
        layout: Layout::new(&state, &viewer, "Users", Section::Admin),
        users,
    })
}

/// Every user and their roles as CSV; each is recorded as exported in the access log.
pub async fn users_csv(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Response, AppError> {
    require_admin(&viewer, "/admin/users.csv")?;
    let author = author(&viewer)?;
    let looking = viewer.looking(&author, None);
    let users = users::list(&state.db, &looking, AccessKind::Export).await?;
    let columns = ["id", "name", "email", "roles", "status"];
    let mut table = DataTable::new("users", "Users".to_owned(), &columns.map(|c| (c, false)));
    for u in users {
        table.push(vec![
            u.id.to_string().into(),
            u.display_name.clone().into(),
            u.email.clone().into(),
            u.roles_text().into(),
            u.status().to_owned().into(),
        ]);
    }
    csv_response("safer-users.csv", &table)
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user.html")]
pub(crate) struct UserPage {
    layout: Layout,
    user: UserSummary,
    reads_access_log: bool,
}

/// One person's account; the view is recorded in the access log.
pub async fn user(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<UserPage, AppError> {
    require_admin(&viewer, &format!("/admin/users/{id}"))?;
    let author = author(&viewer)?;
    let looking = viewer.looking(&author, None);
    let user = users::account(&state.db, &looking, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(UserPage {
        layout: Layout::new(&state, &viewer, user.display_name.clone(), Section::Admin),
        reads_access_log: admin_access(viewer.actor.as_ref()).read_access_log,
        user,
    })
}

/// The audit log's filters as they arrive in the query string.
#[derive(Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    record_type: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<i64>,
}

impl AuditQuery {
    /// The store filter. Dates are whole days in UTC; a date that does not parse is ignored and
    /// reported back.
    fn filter(&self) -> (AuditFilter, FormErrors) {
        let mut problems = FormErrors::default();
        let mut day = |s: &str, field: &str, message: &str| -> Option<jiff::civil::Date> {
            if s.trim().is_empty() {
                return None;
            }
            let parsed = s.trim().parse().ok();
            if parsed.is_none() {
                problems.add(field, message);
            }
            parsed
        };
        let from = day(
            &self.from,
            "from",
            "The ‘from’ date must be a real date, like 2026-11-01",
        );
        let to = day(
            &self.to,
            "to",
            "The ‘to’ date must be a real date, like 2026-11-30",
        );
        let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let filter = AuditFilter {
            record_type: non_empty(&self.record_type),
            record_id: None,
            action: non_empty(&self.action),
            actor: non_empty(&self.actor),
            from: from.map(|d| format!("{d}T00:00:00Z")),
            before: to
                .and_then(|d| d.tomorrow().ok())
                .map(|d| format!("{d}T00:00:00Z")),
        };
        (filter, problems)
    }

    fn query_string(&self, page: i64) -> String {
        serde_urlencoded::to_string([
            ("record_type", self.record_type.as_str()),
            ("action", self.action.as_str()),
            ("actor", self.actor.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("page", &page.to_string()),
        ])
        .unwrap_or_default()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_audit.html")]
pub(crate) struct AuditPage {
    layout: Layout,
    summary: ErrorSummary,
    record_type: Select,
    action: Select,
    actor: TextInput,
    from: TextInput,
    to: TextInput,
    events: Vec<AuditEvent>,
    pagination: Pagination,
    csv: String,
}

impl AuditPage {
    fn when(&self, stored: &str) -> String {
        clock::display_instant(stored)
    }
}

/// Filter choices: "Any", then each value found in the log.
fn any_of(values: Vec<String>) -> Vec<(String, String)> {
    std::iter::once((String::new(), "Any".to_owned()))
        .chain(values.into_iter().map(|v| (v.clone(), v)))
        .collect()
}

/// The audit log, newest first, filtered.
pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<AuditQuery>,
) -> Result<AuditPage, AppError> {
    require_admin(&viewer, "/admin/audit")?;
    let (filter, problems) = query.filter();
    let (page, limit, offset) = Pagination::window(query.page);
    let mut events = audit::list(&state.db, &filter, limit, offset).await?;
    let pagination = Pagination::cut(&mut events, page, "the audit log", "events", |p| {
        format!("/admin/audit?{}", query.query_string(p))
    });
    let (record_types, actions) = audit::facets(&state.db).await?;
    Ok(AuditPage {
        layout: Layout::new(&state, &viewer, "Audit log", Section::Admin),
        csv: format!("/admin/audit.csv?{}", query.query_string(1)),
        summary: ErrorSummary::of(&problems),
        record_type: Select::new(
            "record_type",
            "Record type",
            any_of(record_types),
            &query.record_type,
            &problems,
        ),
        action: Select::new(
            "action",
            "Action",
            any_of(actions),
            &query.action,
            &problems,
        ),
        actor: TextInput::new("actor", "Who", &query.actor, &problems),
        from: TextInput::new("from", "From (YYYY-MM-DD)", &query.from, &problems),
        to: TextInput::new("to", "To (YYYY-MM-DD)", &query.to, &problems),
        events,
        pagination,
    })
}

/// The filtered audit log as CSV, every matching event.
pub async fn audit_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    require_admin(&viewer, "/admin/audit.csv")?;
    let (filter, _) = query.filter();
    let events = audit::list(&state.db, &filter, i64::MAX, 0).await?;
    let columns = [
        "id",
        "occurred_at_utc",
        "actor_user_id",
        "actor",
        "action",
        "record_type",
        "record_id",
        "organisation_id",
        "before",
        "after",
    ];
    let mut table = DataTable::new(
        "audit",
        "Audit log".to_owned(),
        &columns.map(|c| (c, false)),
    );
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    for e in events {
        table.push(vec![
            e.id.to_string().into(),
            e.occurred_at.into(),
            opt(e.actor_user_id).into(),
            e.actor_label.into(),
            e.action.into(),
            e.record_type.into(),
            opt(e.record_id).into(),
            opt(e.organisation_id).into(),
            e.before_json.unwrap_or_default().into(),
            e.after_json.unwrap_or_default().into(),
        ]);
    }
    csv_response("safer-audit-log.csv", &table)
}
