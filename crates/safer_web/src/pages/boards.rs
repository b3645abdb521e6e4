//! Boards and scrutiny, as anyone may read them: bodies, their meetings, published agendas
//! without their exempt items, approved notes with their numbered items, attendance and the
//! actions carried forward, and every open action. The body's own organisation also sees
//! drafts.

use crate::AppState;
use crate::components::{Choices, DateInput, ErrorSummary, Select, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::Id;
use crate::pages::plans::author;
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::http::header;
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use safer_core::boards::{
    ActionForm, ActionStatus, AgendaItemForm, CalendarEvent, FeedEntry, ItemKind, MeetingForm,
    MeetingStatus, Standing, atom, icalendar,
};
use safer_core::forms::{FormErrors, capitalise, optional_text, required_text};
use safer_core::time::long_date;
use safer_store::boards::{
    self, Action, ActionUpdate, AgendaItem, Attendee, Audience, Body, Decision, Declaration,
    Meeting, Member, MinuteItem, NewAgendaItem, Petition, Question, WorkPlanItem,
};
use safer_store::papers::{self, Paper};
use safer_store::{StoreError, organisations};
use serde::Deserialize;
use serde::Serialize;

/// Whether the viewer belongs to the organisation whose body it is.
pub(crate) fn audience(viewer: &Viewer, body: &Body) -> Audience {
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
pub(crate) fn when(meeting: &Meeting) -> String {
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
    /// The form to schedule a meeting, for those who run the body's business.
    schedule: Option<ScheduleForm>,
    /// Items planned for future meetings.
    work_plan: Vec<WorkPlanItem>,
    /// Its members.
    members: Vec<Member>,
}

/// The fields of the form to schedule a meeting.
pub(crate) struct ScheduleForm {
    summary: ErrorSummary,
    date: DateInput,
    time: TextInput,
    place: TextInput,
}

/// The form to schedule a meeting, as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct ScheduleFields {
    #[serde(default, rename = "date-day")]
    day: String,
    #[serde(default, rename = "date-month")]
    month: String,
    #[serde(default, rename = "date-year")]
    year: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    place: String,
}

/// One body and its meetings.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<BodyPage, AppError> {
    body_page(
        &state,
        &viewer,
        id,
        &ScheduleFields::default(),
        &FormErrors::default(),
    )
    .await
}

/// Schedules a meeting of the body.
pub async fn schedule(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<ScheduleFields>,
) -> Result<Response, AppError> {
    viewer.require(&format!("/bodies/{id}"))?;
    let body = boards::body(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(&viewer, &body) {
        return Err(AppError::Forbidden);
    }
    let form = MeetingForm {
        day: fields.day.clone(),
        month: fields.month.clone(),
        year: fields.year.clone(),
        time: fields.time.clone(),
        place: fields.place.clone(),
    };
    match form.parse() {
        Ok((starts_at, place)) => {
            let meeting = boards::create_meeting(
                &state.db,
                &author(&viewer)?,
                id,
                starts_at,
                &place,
                MeetingStatus::Scheduled,
            )
            .await?;
            Ok(back_to(meeting))
        }
        Err(errors) => {
            let page = body_page(&state, &viewer, id, &fields, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn body_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    fields: &ScheduleFields,
    errors: &FormErrors,
) -> Result<BodyPage, AppError> {
    let body = boards::body(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let schedule = runs(viewer, &body).then(|| ScheduleForm {
        summary: ErrorSummary::of(errors),
        date: DateInput::new(
            "date",
            "Date",
            [&fields.day, &fields.month, &fields.year],
            errors,
        )
        .hint("For example, 24 5 2022"),
        time: TextInput::new("time", "Start time", &fields.time, errors).hint("For example, 10:00"),
        place: TextInput::new("place", "Place", &fields.place, errors),
    });
    let meetings = boards::meetings(&state.db, id)
        .await?
        .into_iter()
        .map(|m| {
            let w = when(&m);
            (m, w)
        })
        .collect();
    Ok(BodyPage {
        layout: Layout::new(state, viewer, body.name.clone(), Section::Boards)
            .with_errors(!errors.is_empty()),
        work_plan: boards::work_plan(&state.db, id).await?,
        members: boards::members(&state.db, id).await?,
        body,
        meetings,
        schedule,
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
    /// The questions put, published with the notes.
    pub questions: Vec<Question>,
    /// The petitions heard, published with the agenda.
    pub petitions: Vec<Petition>,
    /// The steps taken on the actions carried forward, by action id (ordered by it).
    pub steps: Vec<(i64, ActionUpdate)>,
    /// Interests declared on the items of the notes.
    pub declarations: Vec<Declaration>,
    /// The papers for the agenda's items (the public sees published ones for public items).
    pub papers: Vec<Paper>,
}

impl MeetingView {
    /// The interests declared on one item.
    pub fn declarations_on(&self, item_id: &i64) -> impl Iterator<Item = &Declaration> {
        self.declarations
            .iter()
            .filter(move |d| d.minute_item_id == *item_id)
    }

    /// The papers for one agenda item.
    pub fn papers_for(&self, item_id: &i64) -> impl Iterator<Item = &Paper> {
        self.papers
            .iter()
            .filter(move |p| p.agenda_item_id == *item_id)
    }

    /// The steps taken on one action.
    pub fn steps_of(&self, action_id: &i64) -> impl Iterator<Item = &ActionUpdate> {
        // The steps are ordered by action: a meeting may list thousands of actions.
        let first = self.steps.partition_point(|(id, _)| id < action_id);
        self.steps[first..]
            .iter()
            .take_while(move |(id, _)| id == action_id)
            .map(|(_, u)| u)
    }
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
    let (attendance, actions, questions, declarations) = if notes_shown {
        (
            boards::attendance(&state.db, id).await?,
            boards::actions_for_meeting(&state.db, id).await?,
            boards::questions(&state.db, id).await?,
            boards::declarations(&state.db, id).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new(), Vec::new())
    };
    let ids: Vec<i64> = actions.iter().map(|(a, _)| a.id).collect();
    let steps = boards::action_updates(&state.db, body.id, &ids).await?;
    let petitions = if audience == Audience::Secretariat || meeting.agenda_published {
        boards::petitions(&state.db, id).await?
    } else {
        Vec::new()
    };
    Ok(MeetingView {
        papers: papers::meeting_papers(&state.db, id, audience).await?,
        declarations,
        questions,
        petitions,
        steps,
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
    /// The secretariat's forms, for those who run the body's business.
    forms: Option<SecretariatForms>,
    /// The previous meeting's date, when its notes await acceptance here.
    previous_to_accept: Option<String>,
}

/// The forms on a meeting's page for its secretariat, with what was entered and what to fix.
pub(crate) struct SecretariatForms {
    summary: ErrorSummary,
    section: TextInput,
    starts_at: TextInput,
    title: TextInput,
    description: Textarea,
    presenter: TextInput,
    kind: Choices,
    exemption: TextInput,
    note_title: TextInput,
    note_text: Textarea,
    action: Textarea,
    owner: TextInput,
    due: DateInput,
    paper_item: Select,
    paper_title: TextInput,
    status: Choices,
    webcast: TextInput,
}

/// Everything a secretariat form may submit; each form fills its own fields.
#[derive(Debug, Default, Deserialize)]
pub struct SecretariatFields {
    #[serde(default)]
    section: String,
    #[serde(default, rename = "starts-at")]
    starts_at: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    presenter: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    exemption: String,
    #[serde(default, rename = "note-title")]
    note_title: String,
    #[serde(default, rename = "note-text")]
    note_text: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    owner: String,
    #[serde(default, rename = "due-day")]
    due_day: String,
    #[serde(default, rename = "due-month")]
    due_month: String,
    #[serde(default, rename = "due-year")]
    due_year: String,
    #[serde(default, rename = "paper-item")]
    pub(crate) paper_item: String,
    #[serde(default, rename = "paper-title")]
    pub(crate) paper_title: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    webcast: String,
}

fn secretariat_forms(
    f: &SecretariatFields,
    errors: &FormErrors,
    meeting: &Meeting,
    agenda: &[AgendaItem],
) -> SecretariatForms {
    let statuses = MeetingStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .collect();
    // Before anything is submitted, the form shows the meeting as it is.
    let (status, webcast) = if f.status.is_empty() {
        (meeting.status.as_str(), meeting.webcast_url.as_str())
    } else {
        (f.status.as_str(), f.webcast.as_str())
    };
    let mut items = vec![(String::new(), "Choose an item".to_owned())];
    items.extend(
        agenda
            .iter()
            .map(|i| (i.id.to_string(), format!("{}. {}", i.position, i.title))),
    );
    let kinds = ItemKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    SecretariatForms {
        summary: ErrorSummary::of(errors),
        section: TextInput::new("section", "Heading (optional)", &f.section, errors)
            .hint("For example, Police and Crime Plan"),
        starts_at: TextInput::new("starts-at", "Time (optional)", &f.starts_at, errors)
            .hint("For example, 10:35"),
        title: TextInput::new("title", "Title", &f.title, errors),
        description: Textarea::new(
            "description",
            "Description (optional)",
            &f.description,
            errors,
        ),
        presenter: TextInput::new("presenter", "Presented by (optional)", &f.presenter, errors),
        kind: Choices::radios("kind", "Kind of item", kinds, &f.kind, errors),
        exemption: TextInput::new(
            "exemption",
            "Reason it is exempt from publication (optional)",
            &f.exemption,
            errors,
        )
        .hint("Leave empty for a public item. An exempt item never appears on the public site."),
        note_title: TextInput::new("note-title", "Item heading", &f.note_title, errors),
        note_text: Textarea::new(
            "note-text",
            "What was said and agreed",
            &f.note_text,
            errors,
        ),
        action: Textarea::new("action", "Action", &f.action, errors),
        owner: TextInput::new("owner", "Owner", &f.owner, errors),
        due: DateInput::new(
            "due",
            "Due date (optional)",
            [&f.due_day, &f.due_month, &f.due_year],
            errors,
        )
        .hint("For example, 26 4 2022"),
        paper_item: Select::new("paper-item", "Agenda item", items, &f.paper_item, errors),
        paper_title: TextInput::new("paper-title", "Title of the paper", &f.paper_title, errors),
        status: Choices::radios("status", "Status", statuses, status, errors),
        webcast: TextInput::new("webcast", "Webcast link (optional)", webcast, errors)
            .hint("The full address, starting https://"),
    }
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
    meeting_page(
        &state,
        &viewer,
        id,
        &SecretariatFields::default(),
        &FormErrors::default(),
    )
    .await
}

async fn meeting_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    fields: &SecretariatFields,
    errors: &FormErrors,
) -> Result<MeetingPage, AppError> {
    let view = meeting_view(state, viewer, id).await?;
    let when = when(&view.meeting);
    let runs = runs(viewer, &view.body);
    let previous_to_accept = match boards::previous_meeting(&state.db, &view.meeting).await? {
        Some(p) if runs && p.notes_status != "approved" => Some(long_date(p.starts_at.date())),
        _ => None,
    };
    Ok(MeetingPage {
        layout: Layout::new(
            state,
            viewer,
            format!("{}: {when}", view.body.name),
            Section::Boards,
        )
        .with_errors(!errors.is_empty()),
        forms: runs.then(|| secretariat_forms(fields, errors, &view.meeting, &view.agenda)),
        previous_to_accept,
        when,
        view,
    })
}

/// Whether the viewer runs the body's business.
pub(crate) fn runs(viewer: &Viewer, body: &Body) -> bool {
    viewer
        .actor
        .as_ref()
        .is_some_and(|a| a.runs(body.organisation_id))
}

/// The meeting and its body, if the viewer runs the body's business.
pub(crate) async fn for_secretariat(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(Meeting, Body), AppError> {
    viewer.require(&format!("/meetings/{id}"))?;
    let meeting = boards::meeting(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = boards::body(&state.db, meeting.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(viewer, &body) {
        return Err(AppError::Forbidden);
    }
    Ok((meeting, body))
}

fn back_to(id: i64) -> Response {
    Redirect::to(&format!("/meetings/{id}")).into_response()
}

pub(crate) async fn invalid(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    fields: &SecretariatFields,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let page = meeting_page(state, viewer, id, fields, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Adds an item to the agenda.
pub async fn add_agenda_item(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    let form = AgendaItemForm {
        section: fields.section.clone(),
        starts_at: fields.starts_at.clone(),
        title: fields.title.clone(),
        description: fields.description.clone(),
        presenter: fields.presenter.clone(),
        kind: fields.kind.clone(),
        exemption: fields.exemption.clone(),
    };
    let item = match form.parse() {
        Ok(item) => item,
        Err(errors) => return invalid(&state, &viewer, id, &fields, &errors).await,
    };
    boards::add_agenda_item(
        &state.db,
        &author(&viewer)?,
        id,
        &NewAgendaItem {
            section: &item.section,
            starts_at: &item.starts_at,
            title: &item.title,
            description: &item.description,
            presenter: &item.presenter,
            kind: item.kind,
            exemption: item.exemption.as_deref(),
        },
    )
    .await?;
    Ok(back_to(id))
}

/// Sets the meeting's status and webcast link.
pub async fn update_details(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let status = MeetingStatus::parse(&fields.status);
    if status.is_none() {
        errors.add("status", "Select the meeting's status");
    }
    let webcast = optional_text(&mut errors, "webcast", &fields.webcast, 500);
    if !webcast.is_empty() && !webcast.starts_with("https://") && !webcast.starts_with("http://") {
        errors.add(
            "webcast",
            "Enter the webcast link as a full address, like https://example.org/live",
        );
    }
    let Some(status) = status.filter(|_| errors.is_empty()) else {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    };
    boards::update_meeting(&state.db, &author(&viewer)?, id, status, &webcast).await?;
    Ok(back_to(id))
}

/// Publishes the agenda.
pub async fn publish_agenda(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    boards::publish_agenda(&state.db, &author(&viewer)?, id).await?;
    Ok(back_to(id))
}

/// Adds a numbered item to the notes.
pub async fn add_note(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let title = required_text(
        &mut errors,
        "note-title",
        &fields.note_title,
        "Enter the item's heading",
        300,
    );
    let text = optional_text(&mut errors, "note-text", &fields.note_text, 20_000);
    if !errors.is_empty() {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    }
    boards::add_minute_item(&state.db, &author(&viewer)?, id, &title, &text).await?;
    Ok(back_to(id))
}

/// Raises an action at the meeting.
pub async fn raise_action(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    let form = ActionForm {
        description: fields.action.clone(),
        owner: fields.owner.clone(),
        due_day: fields.due_day.clone(),
        due_month: fields.due_month.clone(),
        due_year: fields.due_year.clone(),
    };
    let (description, owner, due) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return invalid(&state, &viewer, id, &fields, &errors).await,
    };
    boards::raise_action(
        &state.db,
        &author(&viewer)?,
        id,
        None,
        &description,
        &owner,
        due,
    )
    .await?;
    Ok(back_to(id))
}

/// Accepts the previous meeting's notes as a correct record.
pub async fn accept_previous_notes(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    let (meeting, _) = for_secretariat(&state, &viewer, id).await?;
    match boards::accept_previous_notes(&state.db, &author(&viewer)?, &meeting).await {
        Ok(_) => Ok(back_to(id)),
        Err(StoreError::Invalid(message)) => {
            let mut errors = FormErrors::default();
            errors.add("accept-notes", capitalise(&message));
            invalid(&state, &viewer, id, &SecretariatFields::default(), &errors).await
        }
        Err(e) => Err(e.into()),
    }
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

#[derive(Template, WebTemplate)]
#[template(path = "decisions.html")]
pub(crate) struct DecisionsPage {
    layout: Layout,
    decisions: Vec<(Decision, String)>,
}

/// The public decisions register.
pub async fn decisions(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<DecisionsPage, AppError> {
    let bodies = boards::bodies(&state.db).await?;
    let decisions = boards::decisions(&state.db, false)
        .await?
        .into_iter()
        .map(|d| {
            let body = bodies
                .iter()
                .find(|b| b.id == d.body_id)
                .map(|b| b.name.clone())
                .unwrap_or_default();
            (d, body)
        })
        .collect();
    Ok(DecisionsPage {
        layout: Layout::new(&state, &viewer, "Decisions register", Section::Boards),
        decisions,
    })
}

/// An Atom feed of published decisions and published agendas, newest first.
pub async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut entries: Vec<FeedEntry> = boards::decisions(&state.db, false)
        .await?
        .into_iter()
        .map(|d| FeedEntry {
            id: format!("urn:safer:decision:{}", d.id),
            title: format!("Decision: {}", d.title),
            updated: d.decided_on,
            summary: format!(
                "{} ({}, {})",
                d.decision,
                d.decided_by,
                long_date(d.decided_on)
            ),
            link: "/decisions".to_owned(),
        })
        .collect();
    for body in boards::bodies(&state.db).await? {
        for m in boards::meetings(&state.db, body.id).await? {
            if m.agenda_published {
                entries.push(FeedEntry {
                    id: format!("urn:safer:agenda:{}", m.id),
                    title: format!("Agenda: {}, {}", body.name, when(&m)),
                    updated: m.starts_at.date(),
                    summary: format!(
                        "The agenda of the {} meeting of {}.",
                        long_date(m.starts_at.date()),
                        body.name
                    ),
                    link: format!("/meetings/{}", m.id),
                });
            }
        }
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    let text = atom(
        "Decisions and papers",
        "urn:safer:feed:decisions-and-papers",
        &entries,
    );
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        text,
    )
        .into_response())
}

/// A step taken on an action, as submitted from a meeting's page.
#[derive(Debug, Default, Deserialize)]
pub struct StepFields {
    #[serde(default)]
    note: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    meeting: i64,
}

/// Records a step taken on an action, dated today; "closed" closes it.
pub async fn record_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<StepFields>,
) -> Result<Response, AppError> {
    viewer.require("/actions")?;
    let action = boards::action(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = boards::body(&state.db, action.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(&viewer, &body) {
        return Err(AppError::Forbidden);
    }
    let back = if fields.meeting > 0 {
        fields.meeting
    } else {
        action.raised_at_meeting_id
    };
    let mut errors = FormErrors::default();
    let note = required_text(
        &mut errors,
        &format!("step-{id}"),
        &fields.note,
        "Enter the step taken",
        2000,
    );
    let status = ActionStatus::parse(&fields.status).unwrap_or(ActionStatus::Open);
    if !errors.is_empty() {
        return invalid(
            &state,
            &viewer,
            back,
            &SecretariatFields::default(),
            &errors,
        )
        .await;
    }
    boards::update_action(
        &state.db,
        &author(&viewer)?,
        id,
        safer_store::clock::today(),
        status,
        &note,
    )
    .await?;
    Ok(back_to(back))
}
