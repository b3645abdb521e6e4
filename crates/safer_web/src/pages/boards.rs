//! Boards and scrutiny, as anyone may read them: bodies, their meetings, published agendas
//! without their exempt items, approved notes with their numbered items, attendance and the
//! actions carried forward, and every open action. The body's own organisation also sees
//! drafts.

use crate::AppState;
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::Id;
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use safer_core::boards::{CalendarEvent, MeetingStatus, Standing, icalendar};
use safer_store::boards::{
    self, Action, AgendaItem, Attendee, Audience, Body, Meeting, MinuteItem,
};
use safer_store::{StoreError, organisations};
use serde::Serialize;

/// Whether the viewer belongs to the organisation whose body it is.
fn audience(viewer: &Viewer, body: &Body) -> Audience {
    let member = viewer.actor.as_ref().is_some_and(|a| {
        a.memberships
            .iter()
            .any(|m| m.organisation.id == body.organisation_id)
    });
    if member {
        Audience::Secretariat
    } else {
        Audience::Public
    }
}

/// "Tuesday 22 February 2022, 10:00".
fn when(meeting: &Meeting) -> String {
    meeting
        .starts_at
        .strftime("%A %-d %B %Y, %H:%M")
        .to_string()
}

#[derive(Template, WebTemplate)]
#[template(path = "bodies.html")]
pub(crate) struct BodiesPage {
    layout: Layout,
    bodies: Vec<(Body, String)>,
}

/// Every body.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<BodiesPage, AppError> {
    let mut bodies = Vec::new();
    for body in boards::bodies(&state.db).await? {
        let owner = organisations::get(&state.db, body.organisation_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        bodies.push((body, owner));
    }
    Ok(BodiesPage {
        layout: Layout::new(&state, &viewer, "Boards and meetings", Section::Boards),
        bodies,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "body.html")]
pub(crate) struct BodyPage {
    layout: Layout,
    body: Body,
    meetings: Vec<(Meeting, String)>,
}

/// One body and its meetings.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<BodyPage, AppError> {
    let body = boards::body(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let meetings = boards::meetings(&state.db, id)
        .await?
        .into_iter()
        .map(|m| {
            let w = when(&m);
            (m, w)
        })
        .collect();
    Ok(BodyPage {
        layout: Layout::new(&state, &viewer, body.name.clone(), Section::Boards),
        body,
        meetings,
    })
}

/// A meeting as one viewer may see it: the page and the API both show this.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    /// The body.
    pub body: Body,
    /// The meeting.
    pub meeting: Meeting,
    /// Whether drafts and exempt items are shown (the body's own organisation).
    pub drafts_shown: bool,
    /// The agenda.
    pub agenda: Vec<AgendaItem>,
    /// Whether the notes, attendance and actions are shown.
    pub notes_shown: bool,
    /// Who attended.
    pub attendance: Vec<Attendee>,
    /// The numbered items.
    pub notes: Vec<MinuteItem>,
    /// The actions carried forward to it.
    pub actions: Vec<(Action, Standing)>,
}

/// A meeting as `viewer` may see it.
pub async fn meeting_view(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<MeetingView, StoreError> {
    let meeting = boards::meeting(&state.db, id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let body = boards::body(&state.db, meeting.body_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let audience = audience(viewer, &body);
    let notes_shown = audience == Audience::Secretariat || meeting.notes_status == "approved";
    let (attendance, actions) = if notes_shown {
        (
            boards::attendance(&state.db, id).await?,
            boards::actions_for_meeting(&state.db, id).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(MeetingView {
        agenda: boards::agenda(&state.db, &meeting, audience).await?,
        notes: boards::notes(&state.db, &meeting, audience).await?,
        drafts_shown: audience == Audience::Secretariat,
        notes_shown,
        attendance,
        actions,
        meeting,
        body,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "meeting.html")]
pub(crate) struct MeetingPage {
    layout: Layout,
    when: String,
    view: MeetingView,
}

impl MeetingPage {
    fn present(&self) -> impl Iterator<Item = &Attendee> {
        self.view
            .attendance
            .iter()
            .filter(|a| a.attendance != safer_core::boards::Attendance::Apologies)
    }

    fn apologies(&self) -> impl Iterator<Item = &Attendee> {
        self.view
            .attendance
            .iter()
            .filter(|a| a.attendance == safer_core::boards::Attendance::Apologies)
    }

    fn outstanding_count(&self) -> usize {
        self.view
            .actions
            .iter()
            .filter(|(_, s)| *s == Standing::Outstanding)
            .count()
    }
}

/// One meeting: its agenda, and its notes once approved.
pub async fn meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<MeetingPage, AppError> {
    let view = meeting_view(&state, &viewer, id).await?;
    let when = when(&view.meeting);
    Ok(MeetingPage {
        layout: Layout::new(
            &state,
            &viewer,
            format!("{}: {when}", view.body.name),
            Section::Boards,
        ),
        when,
        view,
    })
}

/// The open actions `viewer` may see, with their bodies' names: those from approved notes,
/// and for a body's own organisation those from its drafts too.
pub async fn visible_open_actions(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<(Action, String)>, StoreError> {
    let bodies = boards::bodies(&state.db).await?;
    let mut out = Vec::new();
    for action in boards::open_actions(&state.db).await? {
        let Some(body) = bodies.iter().find(|b| b.id == action.body_id) else {
            continue;
        };
        if action.public || audience(viewer, body) == Audience::Secretariat {
            out.push((action, body.name.clone()));
        }
    }
    Ok(out)
}

#[derive(Template, WebTemplate)]
#[template(path = "actions.html")]
pub(crate) struct ActionsPage {
    layout: Layout,
    actions: Vec<(Action, String)>,
}

/// Every open action across bodies that the viewer may see.
pub async fn actions(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<ActionsPage, AppError> {
    Ok(ActionsPage {
        layout: Layout::new(&state, &viewer, "Open actions", Section::Boards),
        actions: visible_open_actions(&state, &viewer).await?,
    })
}

/// An iCalendar feed of every body's meetings, or (`/bodies/{id}/meetings.ics`) one body's.
async fn calendar(state: &AppState, only: Option<i64>) -> Result<Response, AppError> {
    let mut events = Vec::new();
    let mut name = "Boards and meetings".to_owned();
    for body in boards::bodies(&state.db).await? {
        if only.is_some_and(|id| id != body.id) {
            continue;
        }
        if only.is_some() {
            name = body.name.clone();
        }
        for m in boards::meetings(&state.db, body.id).await? {
            events.push(CalendarEvent {
                uid: format!("meeting-{}@safer", m.id),
                starts_at: m.starts_at,
                summary: body.name.clone(),
                location: m.place.clone(),
                cancelled: m.status == MeetingStatus::Cancelled,
            });
        }
    }
    if let Some(id) = only
        && boards::body(&state.db, id).await?.is_none()
    {
        return Err(AppError::NotFound);
    }
    let text = icalendar(&name, &events, jiff::Timestamp::now());
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        text,
    )
        .into_response())
}

/// Every meeting as iCalendar.
pub async fn all_meetings_ics(State(state): State<AppState>) -> Result<Response, AppError> {
    calendar(&state, None).await
}

/// One body's meetings as iCalendar.
pub async fn body_meetings_ics(
    State(state): State<AppState>,
    Id(id): Id,
) -> Result<Response, AppError> {
    calendar(&state, Some(id)).await
}
