//! Milestones: adding and editing them, recording dated progress, and each one's history.
//!
//! An edit carries the version it started from; if someone else saved in between, nothing is
//! overwritten and the person is told to reload.

use crate::AppState;
use crate::components::{Choices, DateInput, ErrorSummary, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::Id;
use crate::pages::plans::{author, require};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::{PlanAccess, plan_access};
use safer_core::forms::FormErrors;
use safer_core::plans::{MilestoneForm, MilestoneStatus, ProgressForm};
use safer_store::plans::{self, MilestoneDocument, PlanSummary};
use safer_store::{StoreError, clock};
use serde::Deserialize;

fn status_items() -> Vec<(String, String)> {
    MilestoneStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .collect()
}

/// The milestone form as submitted.
#[derive(Deserialize, Default)]
pub struct MilestoneFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "due-day")]
    due_day: String,
    #[serde(default, rename = "due-month")]
    due_month: String,
    #[serde(default, rename = "due-year")]
    due_year: String,
    #[serde(default, rename = "due-period")]
    due_period: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: i64,
}

impl MilestoneFields {
    fn parse(&self) -> Result<safer_core::plans::MilestoneDetails, FormErrors> {
        MilestoneForm {
            title: self.title.clone(),
            description: self.description.clone(),
            due_day: self.due_day.clone(),
            due_month: self.due_month.clone(),
            due_year: self.due_year.clone(),
            due_period: self.due_period.clone(),
            status: self.status.clone(),
        }
        .parse()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "milestone_form.html")]
pub(crate) struct MilestoneFormPage {
    layout: Layout,
    caption: String,
    heading: String,
    action: String,
    back: String,
    version: i64,
    summary: ErrorSummary,
    title: TextInput,
    description: Textarea,
    due: DateInput,
    due_period: TextInput,
    status: Choices,
}

struct FormContext<'a> {
    heading: &'static str,
    caption: &'a str,
    action: String,
    back: String,
}

fn form_page(
    state: &AppState,
    viewer: &Viewer,
    cx: FormContext<'_>,
    fields: &MilestoneFields,
    errors: &FormErrors,
) -> MilestoneFormPage {
    MilestoneFormPage {
        layout: Layout::new(state, viewer, cx.heading, Section::Plans).with_errors(!errors.is_empty()),
        caption: cx.caption.to_owned(),
        heading: cx.heading.to_owned(),
        action: cx.action,
        back: cx.back,
        version: fields.version,
        summary: ErrorSummary::of(errors),
        title: TextInput::new("title", "What will the milestone deliver?", &fields.title, errors),
        description: Textarea::new("description", "Description (optional)", &fields.description, errors),
        due: DateInput::new("due", "Due date", [&fields.due_day, &fields.due_month, &fields.due_year], errors).hint("For example, 7 3 2016"),
        due_period: TextInput::new("due-period", "Or a due period", &fields.due_period, errors).hint("If it is due over a period rather than on a date: a month, a range of months such as March–June 2016, or Monthly"),
        status: Choices::radios("status", "Status", status_items(), &fields.status, errors),
    }
}

async fn deliverable(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(PlanSummary, String), AppError> {
    let part = plans::deliverable(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        viewer,
        &part.plan,
        PlanAccess::Edit,
        &format!("/deliverables/{id}/milestones/new"),
    )?;
    Ok((part.plan, part.title))
}

/// The form to add a milestone to a deliverable.
pub async fn new(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<MilestoneFormPage, AppError> {
    let (plan, title) = deliverable(&state, &viewer, id).await?;
    let fields = MilestoneFields {
        status: MilestoneStatus::NotStarted.as_str().into(),
        ..Default::default()
    };
    let cx = FormContext {
        heading: "Add a milestone",
        caption: &title,
        action: format!("/deliverables/{id}/milestones"),
        back: format!("/plans/{}", plan.id),
    };
    Ok(form_page(
        &state,
        &viewer,
        cx,
        &fields,
        &FormErrors::default(),
    ))
}

/// Adds a milestone, or shows the form again with what to fix.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<MilestoneFields>,
) -> Result<Response, AppError> {
    let (plan, title) = deliverable(&state, &viewer, id).await?;
    let details = match fields.parse() {
        Ok(d) => d,
        Err(errors) => {
            let cx = FormContext {
                heading: "Add a milestone",
                caption: &title,
                action: format!("/deliverables/{id}/milestones"),
                back: format!("/plans/{}", plan.id),
            };
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, &viewer, cx, &fields, &errors),
            )
                .into_response());
        }
    };
    plans::add_milestone(&state.db, &author(&viewer)?, id, &details).await?;
    Ok(Redirect::to(&format!("/plans/{}", plan.id)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "milestone.html")]
pub(crate) struct MilestonePage {
    layout: Layout,
    doc: MilestoneDocument,
    can_edit: bool,
    can_report: bool,
    overdue: bool,
    summary: ErrorSummary,
    status: Choices,
    note: Textarea,
}

impl MilestonePage {
    fn when(&self, date: &jiff::civil::Date) -> String {
        safer_core::time::long_date(*date)
    }
}

async fn milestone_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    progress: &ProgressForm,
    errors: &FormErrors,
) -> Result<MilestonePage, AppError> {
    let doc = plans::milestone(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = plan_access(viewer.actor.as_ref(), &doc.plan.owner);
    let selected = if progress.status.is_empty() {
        doc.milestone.status.as_str().to_owned()
    } else {
        progress.status.clone()
    };
    Ok(MilestonePage {
        layout: Layout::new(state, viewer, doc.milestone.title.clone(), Section::Plans)
            .with_errors(!errors.is_empty()),
        can_edit: access >= PlanAccess::Edit,
        can_report: access >= PlanAccess::Report,
        overdue: doc
            .milestone
            .due
            .is_overdue(doc.milestone.status, clock::today()),
        summary: ErrorSummary::of(errors),
        status: Choices::radios(
            "status",
            "Status after this update",
            status_items(),
            &selected,
            errors,
        ),
        note: Textarea::new(
            "note",
            "What progress has been made?",
            &progress.note,
            errors,
        ),
        doc,
    })
}

/// A milestone: where it sits, when it is due, its status and its history.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<MilestonePage, AppError> {
    milestone_page(
        &state,
        &viewer,
        id,
        &ProgressForm::default(),
        &FormErrors::default(),
    )
    .await
}

/// The progress form as submitted.
#[derive(Deserialize, Default)]
pub struct ProgressFields {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
}

/// Records dated progress on a milestone.
pub async fn record_progress(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<ProgressFields>,
) -> Result<Response, AppError> {
    let doc = plans::milestone(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        &viewer,
        &doc.plan,
        PlanAccess::Report,
        &format!("/milestones/{id}"),
    )?;
    let form = ProgressForm {
        status: fields.status,
        note: fields.note,
    };
    match form.parse() {
        Ok(progress) => {
            plans::record_progress(&state.db, &author(&viewer)?, id, &progress, clock::today())
                .await?;
            Ok(Redirect::to(&format!("/milestones/{id}")).into_response())
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            milestone_page(&state, &viewer, id, &form, &errors).await?,
        )
            .into_response()),
    }
}

async fn editable(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<MilestoneDocument, AppError> {
    let doc = plans::milestone(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        viewer,
        &doc.plan,
        PlanAccess::Edit,
        &format!("/milestones/{id}/edit"),
    )?;
    Ok(doc)
}

fn edit_context(doc: &MilestoneDocument) -> FormContext<'_> {
    FormContext {
        heading: "Change a milestone",
        caption: &doc.deliverable_title,
        action: format!("/milestones/{}/edit", doc.milestone.id),
        back: format!("/milestones/{}", doc.milestone.id),
    }
}

/// The form to change a milestone, filled with its current details.
pub async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<MilestoneFormPage, AppError> {
    let doc = editable(&state, &viewer, id).await?;
    let m = &doc.milestone;
    let single_day = m
        .due
        .from
        .filter(|from| Some(*from) == m.due.to && m.due.text == safer_core::time::long_date(*from));
    let fields = MilestoneFields {
        title: m.title.clone(),
        description: m.description.clone(),
        due_day: single_day.map(|d| d.day().to_string()).unwrap_or_default(),
        due_month: single_day
            .map(|d| d.month().to_string())
            .unwrap_or_default(),
        due_year: single_day.map(|d| d.year().to_string()).unwrap_or_default(),
        due_period: if single_day.is_some() {
            String::new()
        } else {
            m.due.text.clone()
        },
        status: m.status.as_str().to_owned(),
        version: m.version,
    };
    Ok(form_page(
        &state,
        &viewer,
        edit_context(&doc),
        &fields,
        &FormErrors::default(),
    ))
}

/// Saves changes to a milestone, unless someone else changed it first.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<MilestoneFields>,
) -> Result<Response, AppError> {
    let doc = editable(&state, &viewer, id).await?;
    let details = match fields.parse() {
        Ok(d) => d,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&state, &viewer, edit_context(&doc), &fields, &errors),
            )
                .into_response());
        }
    };
    match plans::update_milestone(&state.db, &author(&viewer)?, id, fields.version, &details).await
    {
        Ok(()) => Ok(Redirect::to(&format!("/milestones/{id}")).into_response()),
        Err(StoreError::Conflict) => Err(AppError::Conflict),
        Err(e) => Err(e.into()),
    }
}
