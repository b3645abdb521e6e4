//! Boards and scrutiny, as anyone may read them: bodies, their meetings, published agendas
//! without their exempt items, approved notes with their numbered items, attendance and the
//! actions carried forward, and every open action. The body's own organisation also sees
//! drafts.

use crate::AppState;
use crate::components::{Choices, DateInput, ErrorSummary, Select, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::plans::author;
use crate::pages::{Id, refusal, unprocessable};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::header;
use axum::response::Redirect;
use axum::response::{IntoResponse, Response};
use safer_core::access::board_access;
use safer_core::boards::{
    ActionForm, ActionStatus, AgendaItemForm, Attendance, CalendarEvent, FeedEntry, ItemKind,
    MeetingForm, MeetingStatus, QuestionKind, Standing, atom, icalendar,
};
use safer_core::forms::{FormErrors, optional_text, required_text};
use safer_core::time::long_date;
use safer_store::boards::{
    self, Action, ActionUpdate, AgendaItem, Attendee, Audience, Body, Decision, Declaration,
    Meeting, Member, MinuteItem, NewAgendaItem, Petition, Question, WorkPlanItem,
};
use safer_store::papers::{self, Paper};
use safer_store::{StoreError, organisations};
use serde::Deserialize;
use serde::Serialize;

/// What the viewer may see of a body's business, by the one rule in `safer_core::access`.
pub(crate) fn audience(viewer: &Viewer, body: &Body) -> Audience {
    board_access(viewer.actor.as_ref(), body.organisation_id).audience
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
    member_name: TextInput,
    member_role: TextInput,
    term_from: DateInput,
    term_to: DateInput,
    plan_title: TextInput,
    plan_month: TextInput,
    plan_lead: TextInput,
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
    #[serde(default, rename = "member-name")]
    member_name: String,
    #[serde(default, rename = "member-role")]
    member_role: String,
    #[serde(default, rename = "term-from-day")]
    term_from_day: String,
    #[serde(default, rename = "term-from-month")]
    term_from_month: String,
    #[serde(default, rename = "term-from-year")]
    term_from_year: String,
    #[serde(default, rename = "term-to-day")]
    term_to_day: String,
    #[serde(default, rename = "term-to-month")]
    term_to_month: String,
    #[serde(default, rename = "term-to-year")]
    term_to_year: String,
    #[serde(default, rename = "plan-title")]
    plan_title: String,
    #[serde(default, rename = "plan-month")]
    plan_month: String,
    #[serde(default, rename = "plan-lead")]
    plan_lead: String,
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
    for_body_secretariat(&state, &viewer, id).await?;
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
        Err(errors) => invalid_body_form(&state, &viewer, id, &fields, &errors).await,
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
        member_name: TextInput::new("member-name", "Name", &fields.member_name, errors),
        member_role: TextInput::new(
            "member-role",
            "Role (optional)",
            &fields.member_role,
            errors,
        )
        .hint("For example, Chair or Independent Member"),
        term_from: DateInput::new(
            "term-from",
            "Term began (optional)",
            [
                &fields.term_from_day,
                &fields.term_from_month,
                &fields.term_from_year,
            ],
            errors,
        ),
        term_to: DateInput::new(
            "term-to",
            "Term ends (optional)",
            [
                &fields.term_to_day,
                &fields.term_to_month,
                &fields.term_to_year,
            ],
            errors,
        ),
        plan_title: TextInput::new("plan-title", "Item", &fields.plan_title, errors),
        plan_month: TextInput::new("plan-month", "Month", &fields.plan_month, errors)
            .hint("For example, 2022-06 for June 2022"),
        plan_lead: TextInput::new("plan-lead", "Lead (optional)", &fields.plan_lead, errors),
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
    attendee_name: TextInput,
    attendee_role: TextInput,
    attendance: Choices,
    question_kind: Choices,
    question: Textarea,
    submitted_by: TextInput,
    asked_by: TextInput,
    answer: Textarea,
    petition_title: TextInput,
    lead_petitioner: TextInput,
    signatures: TextInput,
    threshold: TextInput,
    response_due: DateInput,
    petition_response: Textarea,
    declaration_item: Select,
    declaration_member: TextInput,
    interest: TextInput,
    decision_title: TextInput,
    decision: Textarea,
    reasons: Textarea,
    decided_by: TextInput,
    decided_on: DateInput,
    decision_publish: Choices,
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
    #[serde(default, rename = "attendee-name")]
    attendee_name: String,
    #[serde(default, rename = "attendee-role")]
    attendee_role: String,
    #[serde(default)]
    attendance: String,
    #[serde(default, rename = "question-kind")]
    question_kind: String,
    #[serde(default)]
    question: String,
    #[serde(default, rename = "submitted-by")]
    submitted_by: String,
    #[serde(default, rename = "asked-by")]
    asked_by: String,
    #[serde(default)]
    answer: String,
    #[serde(default, rename = "petition-title")]
    petition_title: String,
    #[serde(default, rename = "lead-petitioner")]
    lead_petitioner: String,
    #[serde(default)]
    signatures: String,
    #[serde(default)]
    threshold: String,
    #[serde(default, rename = "response-due-day")]
    response_due_day: String,
    #[serde(default, rename = "response-due-month")]
    response_due_month: String,
    #[serde(default, rename = "response-due-year")]
    response_due_year: String,
    #[serde(default, rename = "petition-response")]
    petition_response: String,
    #[serde(default, rename = "declaration-item")]
    declaration_item: String,
    #[serde(default, rename = "declaration-member")]
    declaration_member: String,
    #[serde(default)]
    interest: String,
    #[serde(default, rename = "decision-title")]
    decision_title: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reasons: String,
    #[serde(default, rename = "decided-by")]
    decided_by: String,
    #[serde(default, rename = "decided-day")]
    decided_day: String,
    #[serde(default, rename = "decided-month")]
    decided_month: String,
    #[serde(default, rename = "decided-year")]
    decided_year: String,
    #[serde(default, rename = "decision-publish")]
    decision_publish: String,
}

fn secretariat_forms(
    f: &SecretariatFields,
    errors: &FormErrors,
    meeting: &Meeting,
    agenda: &[AgendaItem],
    notes: &[MinuteItem],
) -> SecretariatForms {
    let options = |all: &[(&str, &str)]| -> Vec<(String, String)> {
        all.iter()
            .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
            .collect()
    };
    let attendances: Vec<(String, String)> = Attendance::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), a.label().to_owned()))
        .collect();
    let question_kinds: Vec<(String, String)> = QuestionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect();
    let mut note_items = vec![(String::new(), "Choose an item".to_owned())];
    note_items.extend(
        notes
            .iter()
            .map(|n| (n.id.to_string(), format!("{} {}", n.number, n.title))),
    );
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
        attendee_name: TextInput::new("attendee-name", "Name", &f.attendee_name, errors),
        attendee_role: TextInput::new("attendee-role", "Role (optional)", &f.attendee_role, errors)
            .hint("For example, Board Member or Chief Constable"),
        attendance: Choices::radios(
            "attendance",
            "How they took part",
            attendances,
            &f.attendance,
            errors,
        ),
        question_kind: Choices::radios(
            "question-kind",
            "Who put the question",
            question_kinds,
            &f.question_kind,
            errors,
        ),
        question: Textarea::new("question", "Question", &f.question, errors),
        submitted_by: TextInput::new(
            "submitted-by",
            "Submitted by (optional)",
            &f.submitted_by,
            errors,
        ),
        asked_by: TextInput::new("asked-by", "Asked by (optional)", &f.asked_by, errors),
        answer: Textarea::new("answer", "Answer (optional)", &f.answer, errors),
        petition_title: TextInput::new(
            "petition-title",
            "What the petition asks",
            &f.petition_title,
            errors,
        ),
        lead_petitioner: TextInput::new(
            "lead-petitioner",
            "Lead petitioner",
            &f.lead_petitioner,
            errors,
        ),
        signatures: TextInput::new("signatures", "Signatures (optional)", &f.signatures, errors)
            .kind("text", "off")
            .hint("A whole number, like 1200"),
        threshold: TextInput::new(
            "threshold",
            "Signatures needed for a response or debate (optional)",
            &f.threshold,
            errors,
        ),
        response_due: DateInput::new(
            "response-due",
            "Response due (optional)",
            [
                &f.response_due_day,
                &f.response_due_month,
                &f.response_due_year,
            ],
            errors,
        )
        .hint("For example, 19 4 2022"),
        petition_response: Textarea::new(
            "petition-response",
            "Response (optional)",
            &f.petition_response,
            errors,
        ),
        declaration_item: Select::new(
            "declaration-item",
            "Item of the notes",
            note_items,
            &f.declaration_item,
            errors,
        ),
        declaration_member: TextInput::new(
            "declaration-member",
            "Member declaring",
            &f.declaration_member,
            errors,
        ),
        interest: TextInput::new("interest", "The interest", &f.interest, errors),
        decision_title: TextInput::new("decision-title", "Title", &f.decision_title, errors),
        decision: Textarea::new("decision", "What was decided", &f.decision, errors),
        reasons: Textarea::new("reasons", "Reasons (optional)", &f.reasons, errors),
        decided_by: TextInput::new("decided-by", "Decided by", &f.decided_by, errors)
            .hint("For example, Police and Crime Commissioner"),
        decided_on: DateInput::new(
            "decided",
            "Date of the decision",
            [&f.decided_day, &f.decided_month, &f.decided_year],
            errors,
        )
        .hint("For example, 22 2 2022"),
        decision_publish: Choices::radios(
            "decision-publish",
            "Publish it in the decisions register now?",
            options(&[("yes", "Yes"), ("no", "No, not yet")]),
            &f.decision_publish,
            errors,
        ),
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
        forms: runs
            .then(|| secretariat_forms(fields, errors, &view.meeting, &view.agenda, &view.notes)),
        previous_to_accept,
        when,
        view,
    })
}

/// Whether the viewer runs the body's business.
pub(crate) fn runs(viewer: &Viewer, body: &Body) -> bool {
    board_access(viewer.actor.as_ref(), body.organisation_id).runs
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
    Ok(unprocessable(page))
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
        Err(e) => refused(&state, &viewer, id, "accept-notes", e).await,
    }
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
        actions: boards::open_actions(&state.db, &viewer.scope()).await?,
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
    notices: Vec<safer_store::bids::Notice>,
}

/// The public decisions register.
pub async fn decisions(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<DecisionsPage, AppError> {
    let bodies = boards::bodies(&state.db).await?;
    let decisions = boards::decisions(&state.db)
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
        notices: safer_store::bids::notices(&state.db).await?,
    })
}

/// An Atom feed of published decisions, agendas and papers, newest first.
pub async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut entries: Vec<FeedEntry> = boards::decisions(&state.db)
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
    for n in safer_store::bids::notices(&state.db).await? {
        entries.push(FeedEntry {
            id: format!("urn:safer:notice:{}", n.id),
            title: format!("Notice of Decision {}: {}", n.number, n.title),
            updated: n.decided_on,
            summary: format!(
                "The Notice of Decision {} of {}.",
                n.number,
                long_date(n.decided_on)
            ),
            link: format!("/notices/{}", n.id),
        });
    }
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
            for paper in papers::meeting_papers(&state.db, m.id, Audience::Public).await? {
                let published_on = paper.published_on().unwrap_or(m.starts_at.date());
                entries.push(FeedEntry {
                    id: format!("urn:safer:paper:{}", paper.id),
                    title: format!("Paper: {}", paper.title),
                    updated: published_on,
                    summary: format!(
                        "A paper for item {} ({}) of the {} meeting of {}.",
                        paper.item_position,
                        paper.item_title,
                        long_date(m.starts_at.date()),
                        body.name
                    ),
                    link: format!("/papers/{}", paper.id),
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

/// A whole number from an optional field, or what to fix.
fn optional_count(errors: &mut FormErrors, field: &str, text: &str, what: &str) -> Option<i64> {
    let text = text.trim().replace(',', "");
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        _ => {
            errors.add(
                field,
                format!("Enter the {what} as a whole number, like 1200"),
            );
            None
        }
    }
}

/// A date from a GOV.UK date input, or what to fix against `field`.
fn optional_date(
    errors: &mut FormErrors,
    field: &str,
    [day, month, year]: [&str; 3],
) -> Option<jiff::civil::Date> {
    match safer_core::time::parse_date_input(day, month, year) {
        Ok(d) => d,
        Err(message) => {
            errors.add(field, message);
            None
        }
    }
}

/// Records how someone took part in the meeting, after those already listed.
pub async fn record_attendance(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let name = required_text(
        &mut errors,
        "attendee-name",
        &fields.attendee_name,
        "Enter the person's name",
        200,
    );
    let role = optional_text(&mut errors, "attendee-role", &fields.attendee_role, 200);
    let attendance = Attendance::parse(&fields.attendance);
    if attendance.is_none() {
        errors.add("attendance", "Select how they took part");
    }
    let Some(attendance) = attendance.filter(|_| errors.is_empty()) else {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    };
    let mut all = boards::attendance(&state.db, id).await?;
    all.push(Attendee {
        name,
        role,
        attendance,
    });
    boards::set_attendance(&state.db, &author(&viewer)?, id, &all).await?;
    Ok(back_to(id))
}

/// Records a question put at the meeting, with its answer.
pub async fn record_question(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let kind = QuestionKind::parse(&fields.question_kind);
    if kind.is_none() {
        errors.add("question-kind", "Select who put the question");
    }
    let question = required_text(
        &mut errors,
        "question",
        &fields.question,
        "Enter the question",
        5000,
    );
    let submitted_by = optional_text(&mut errors, "submitted-by", &fields.submitted_by, 200);
    let asked_by = optional_text(&mut errors, "asked-by", &fields.asked_by, 200);
    let answer = optional_text(&mut errors, "answer", &fields.answer, 20_000);
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    };
    let q = Question {
        kind,
        question,
        submitted_by,
        asked_by,
        answer,
    };
    boards::add_question(&state.db, &author(&viewer)?, id, &q).await?;
    Ok(back_to(id))
}

/// Records a petition heard at the meeting.
pub async fn record_petition(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    let (meeting, _) = for_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let title = required_text(
        &mut errors,
        "petition-title",
        &fields.petition_title,
        "Enter what the petition asks",
        500,
    );
    let lead_petitioner = required_text(
        &mut errors,
        "lead-petitioner",
        &fields.lead_petitioner,
        "Enter the lead petitioner's name",
        200,
    );
    let signatures = optional_count(&mut errors, "signatures", &fields.signatures, "signatures");
    let threshold = optional_count(&mut errors, "threshold", &fields.threshold, "threshold");
    let response_due = optional_date(
        &mut errors,
        "response-due-day",
        [
            &fields.response_due_day,
            &fields.response_due_month,
            &fields.response_due_year,
        ],
    );
    let response = optional_text(
        &mut errors,
        "petition-response",
        &fields.petition_response,
        20_000,
    );
    if !errors.is_empty() {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    }
    let petition = Petition {
        meeting_id: Some(id),
        title,
        lead_petitioner,
        signatures,
        threshold,
        response_due,
        response,
    };
    boards::add_petition(&state.db, &author(&viewer)?, meeting.body_id, &petition).await?;
    Ok(back_to(id))
}

/// Records an interest declared on an item of the meeting's notes.
pub async fn record_declaration(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let items = boards::minute_items(&state.db, id).await?;
    let item = fields
        .declaration_item
        .parse::<i64>()
        .ok()
        .filter(|i| items.iter().any(|m| m.id == *i));
    if item.is_none() {
        errors.add("declaration-item", "Select the item of the notes");
    }
    let member = required_text(
        &mut errors,
        "declaration-member",
        &fields.declaration_member,
        "Enter the name of the member declaring",
        200,
    );
    let interest = required_text(
        &mut errors,
        "interest",
        &fields.interest,
        "Enter the interest declared",
        1000,
    );
    let Some(minute_item_id) = item.filter(|_| errors.is_empty()) else {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    };
    let d = Declaration {
        minute_item_id,
        member,
        interest,
    };
    boards::declare(&state.db, &author(&viewer)?, &d).await?;
    Ok(back_to(id))
}

/// Records a decision taken at the meeting in the decisions register.
pub async fn record_decision(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    let (meeting, _) = for_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let title = required_text(
        &mut errors,
        "decision-title",
        &fields.decision_title,
        "Enter the decision's title",
        300,
    );
    let decision = required_text(
        &mut errors,
        "decision",
        &fields.decision,
        "Enter what was decided",
        20_000,
    );
    let reasons = optional_text(&mut errors, "reasons", &fields.reasons, 20_000);
    let decided_by = required_text(
        &mut errors,
        "decided-by",
        &fields.decided_by,
        "Enter who took the decision",
        200,
    );
    let decided_on = optional_date(
        &mut errors,
        "decided-day",
        [
            &fields.decided_day,
            &fields.decided_month,
            &fields.decided_year,
        ],
    );
    if decided_on.is_none() && errors.get("decided-day").is_none() {
        errors.add("decided-day", "Enter the date of the decision");
    }
    let published = match fields.decision_publish.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            errors.add(
                "decision-publish",
                "Select whether to publish the decision now",
            );
            false
        }
    };
    let Some(decided_on) = decided_on.filter(|_| errors.is_empty()) else {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    };
    let d = Decision {
        id: 0,
        body_id: meeting.body_id,
        meeting_id: Some(id),
        title,
        decision,
        reasons,
        decided_by,
        decided_on,
        published,
    };
    boards::add_decision(&state.db, &author(&viewer)?, &d).await?;
    Ok(back_to(id))
}

/// The body, if the viewer runs its business.
async fn for_body_secretariat(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<Body, AppError> {
    viewer.require(&format!("/bodies/{id}"))?;
    let body = boards::body(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !runs(viewer, &body) {
        return Err(AppError::Forbidden);
    }
    Ok(body)
}

async fn invalid_body_form(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    fields: &ScheduleFields,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let page = body_page(state, viewer, id, fields, errors).await?;
    Ok(unprocessable(page))
}

/// Adds a member to the body, after those already listed.
pub async fn add_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<ScheduleFields>,
) -> Result<Response, AppError> {
    for_body_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let name = required_text(
        &mut errors,
        "member-name",
        &fields.member_name,
        "Enter the member's name",
        200,
    );
    let role = optional_text(&mut errors, "member-role", &fields.member_role, 200);
    let term_from = optional_date(
        &mut errors,
        "term-from-day",
        [
            &fields.term_from_day,
            &fields.term_from_month,
            &fields.term_from_year,
        ],
    );
    let term_to = optional_date(
        &mut errors,
        "term-to-day",
        [
            &fields.term_to_day,
            &fields.term_to_month,
            &fields.term_to_year,
        ],
    );
    if let (Some(from), Some(to)) = (term_from, term_to)
        && to < from
    {
        errors.add("term-to-day", "The end of the term must be after its start");
    }
    if !errors.is_empty() {
        return invalid_body_form(&state, &viewer, id, &fields, &errors).await;
    }
    let mut members = boards::members(&state.db, id).await?;
    members.push(Member {
        name,
        role,
        term_from,
        term_to,
    });
    boards::set_members(&state.db, &author(&viewer)?, id, &members).await?;
    Ok(Redirect::to(&format!("/bodies/{id}")).into_response())
}

/// Plans an item for a future meeting of the body.
pub async fn plan_work(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<ScheduleFields>,
) -> Result<Response, AppError> {
    for_body_secretariat(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let title = required_text(
        &mut errors,
        "plan-title",
        &fields.plan_title,
        "Enter the item",
        300,
    );
    let month = safer_core::police::YearMonth::parse(fields.plan_month.trim());
    if month.is_none() {
        errors.add(
            "plan-month",
            "Enter the month as a year and month, like 2022-06",
        );
    }
    let lead = optional_text(&mut errors, "plan-lead", &fields.plan_lead, 200);
    let Some(planned_for) = month.filter(|_| errors.is_empty()) else {
        return invalid_body_form(&state, &viewer, id, &fields, &errors).await;
    };
    let item = WorkPlanItem {
        planned_for,
        title,
        lead,
    };
    boards::plan_item(&state.db, &author(&viewer)?, id, &item).await?;
    Ok(Redirect::to(&format!("/bodies/{id}")).into_response())
}

/// A refusal from the store as a message on the meeting's page, against `field`.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    meeting_id: i64,
    field: &str,
    e: StoreError,
) -> Result<Response, AppError> {
    let errors = refusal(e, field)?;
    invalid(
        state,
        viewer,
        meeting_id,
        &SecretariatFields::default(),
        &errors,
    )
    .await
}

/// Drafts the meeting's notes from its agenda, one numbered item per agenda item.
pub async fn draft_notes(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    for_secretariat(&state, &viewer, id).await?;
    match boards::draft_notes_from_agenda(&state.db, &author(&viewer)?, id).await {
        Ok(_) => Ok(back_to(id)),
        Err(e) => refused(&state, &viewer, id, "draft-notes", e).await,
    }
}

/// Deletes an item of draft notes; its number is not given out again.
pub async fn delete_note(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    viewer.require("/bodies")?;
    let meeting = boards::minute_item_meeting(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    for_secretariat(&state, &viewer, meeting).await?;
    match boards::delete_minute_item(&state.db, &author(&viewer)?, id).await {
        Ok(()) => Ok(back_to(meeting)),
        Err(e) => refused(&state, &viewer, meeting, "notes", e).await,
    }
}
