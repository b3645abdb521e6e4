//! Plans: the list, the plan page with progress at a glance, and the forms that add
//! priorities, objectives and deliverables and link priorities to Police and Crime Plan objectives.

use crate::AppState;
use crate::components::{Choice, Choices, ErrorSummary, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::Id;
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::{PlanAccess, plan_access};
use safer_core::forms::FormErrors;
use safer_core::plans::{MilestoneStatus, PlanKind, PlanProgress, parse_title, plan_period_label};
use safer_store::plans::{self, PlanDocument, PlanPart, PlanSummary};
use safer_store::{Author, clock};
use serde::Deserialize;

/// Checks the viewer may act on `plan` at the `needed` level. Someone who cannot read the plan
/// gets "not found"; a reader who may not change it is asked to sign in, or refused.
pub(crate) fn require(
    viewer: &Viewer,
    plan: &PlanSummary,
    needed: PlanAccess,
    path: &str,
) -> Result<(), AppError> {
    let access = plan_access(viewer.actor.as_ref(), &plan.owner);
    if access >= needed {
        Ok(())
    } else if access == PlanAccess::None {
        Err(AppError::NotFound)
    } else if viewer.actor.is_none() {
        Err(AppError::SignInRequired(path.to_owned()))
    } else {
        Err(AppError::Forbidden)
    }
}

/// The author of a change: the signed-in person.
pub(crate) fn author(viewer: &Viewer) -> Result<Author, AppError> {
    viewer
        .actor
        .as_ref()
        .map(|a| Author::user(a.user_id, &a.display_name))
        .ok_or(AppError::NotFound)
}

#[derive(Template, WebTemplate)]
#[template(path = "plans.html")]
pub(crate) struct PlansPage {
    layout: Layout,
    plans: Vec<PlanSummary>,
}

impl PlansPage {
    fn period(&self, plan: &PlanSummary) -> String {
        plan_period_label(plan.starts_on, plan.ends_on)
    }
}

/// The plans this viewer may read.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<PlansPage, AppError> {
    let plans = plans::list(&state.db, &viewer.scope()).await?;
    Ok(PlansPage {
        layout: Layout::new(&state, &viewer, "Plans", Section::Plans),
        plans,
    })
}

/// A milestone that is overdue, for the list at the top of a plan.
pub(crate) struct OverdueMilestone {
    id: i64,
    title: String,
    due: String,
    status: MilestoneStatus,
}

#[derive(Template, WebTemplate)]
#[template(path = "plan.html")]
pub(crate) struct PlanPage {
    layout: Layout,
    doc: PlanDocument,
    period: String,
    progress: PlanProgress,
    overdue: Vec<OverdueMilestone>,
    can_edit: bool,
    is_partnership: bool,
}

/// A plan, with progress at a glance and every milestone.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<PlanPage, AppError> {
    let doc = plans::document(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = plan_access(viewer.actor.as_ref(), &doc.plan.owner);
    let today = clock::today();
    let milestones: Vec<_> = doc
        .priorities
        .iter()
        .flat_map(|p| &p.deliverables)
        .flat_map(|d| &d.milestones)
        .collect();
    let progress =
        PlanProgress::summarise(milestones.iter().map(|m| (m.id, m.status, &m.due)), today);
    let overdue = milestones
        .iter()
        .filter(|m| progress.overdue.contains(&m.id))
        .map(|m| OverdueMilestone {
            id: m.id,
            title: m.title.clone(),
            due: m.due.text.clone(),
            status: m.status,
        })
        .collect();
    Ok(PlanPage {
        layout: Layout::new(&state, &viewer, doc.plan.title.clone(), Section::Plans),
        period: plan_period_label(doc.plan.starts_on, doc.plan.ends_on),
        is_partnership: doc.plan.kind == PlanKind::Partnership,
        can_edit: access >= PlanAccess::Edit,
        progress,
        overdue,
        doc,
    })
}

/// What is being added with a title-and-description form.
#[derive(Clone, Copy)]
enum Part {
    Priority,
    Objective,
    Deliverable,
}

impl Part {
    fn noun(self) -> &'static str {
        match self {
            Part::Priority => "priority",
            Part::Objective => "objective",
            Part::Deliverable => "deliverable",
        }
    }

    fn missing(self) -> &'static str {
        match self {
            Part::Priority => "Enter the priority",
            Part::Objective => "Enter the objective",
            Part::Deliverable => "Enter what will be delivered",
        }
    }

    fn action(self, parent: i64) -> String {
        match self {
            Part::Priority => format!("/plans/{parent}/priorities"),
            Part::Objective => format!("/priorities/{parent}/objectives"),
            Part::Deliverable => format!("/priorities/{parent}/deliverables"),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "title_form.html")]
pub(crate) struct TitleFormPage {
    layout: Layout,
    caption: String,
    heading: String,
    action: String,
    back: String,
    summary: ErrorSummary,
    title: TextInput,
    description: Option<Textarea>,
}

/// A title-and-description form as submitted.
#[derive(Deserialize, Default)]
pub struct TitleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

/// A part being added, and where: the plan or priority it goes under.
struct Adding {
    part: Part,
    parent: i64,
    context: String,
    plan: PlanSummary,
}

fn title_page(
    state: &AppState,
    viewer: &Viewer,
    adding: &Adding,
    form: &TitleForm,
    errors: &FormErrors,
) -> TitleFormPage {
    let heading = format!("Add a {}", adding.part.noun());
    let label = match adding.part {
        Part::Deliverable => "What will be delivered",
        _ => "Title",
    };
    TitleFormPage {
        layout: Layout::new(state, viewer, heading.clone(), Section::Plans)
            .with_errors(!errors.is_empty()),
        caption: adding.context.clone(),
        heading,
        action: adding.part.action(adding.parent),
        back: format!("/plans/{}", adding.plan.id),
        summary: ErrorSummary::of(errors),
        title: TextInput::new("title", label, &form.title, errors),
        description: (!matches!(adding.part, Part::Objective)).then(|| {
            Textarea::new(
                "description",
                "Description (optional)",
                &form.description,
                errors,
            )
        }),
    }
}

/// The plan or priority a part is being added to, checked for permission.
async fn adding(
    state: &AppState,
    viewer: &Viewer,
    part: Part,
    parent: i64,
    path: &str,
) -> Result<Adding, AppError> {
    let scope = viewer.scope();
    let (plan, context) = match part {
        Part::Priority => {
            let plan = plans::summary(&state.db, &scope, parent)
                .await?
                .ok_or(AppError::NotFound)?;
            let title = plan.title.clone();
            (plan, title)
        }
        Part::Objective | Part::Deliverable => {
            let PlanPart { plan, title, .. } = plans::priority(&state.db, &scope, parent)
                .await?
                .ok_or(AppError::NotFound)?;
            (plan, title)
        }
    };
    require(viewer, &plan, PlanAccess::Edit, path)?;
    Ok(Adding {
        part,
        parent,
        context,
        plan,
    })
}

async fn part_form(
    state: AppState,
    viewer: Viewer,
    part: Part,
    id: i64,
    path: String,
) -> Result<TitleFormPage, AppError> {
    let adding = adding(&state, &viewer, part, id, &path).await?;
    Ok(title_page(
        &state,
        &viewer,
        &adding,
        &TitleForm::default(),
        &FormErrors::default(),
    ))
}

async fn add_part(
    state: AppState,
    viewer: Viewer,
    part: Part,
    id: i64,
    form: TitleForm,
) -> Result<Response, AppError> {
    let adding = adding(&state, &viewer, part, id, &part.action(id)).await?;
    let (title, description) = match parse_title(&form.title, &form.description, part.missing()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                title_page(&state, &viewer, &adding, &form, &errors),
            )
                .into_response());
        }
    };
    let author = author(&viewer)?;
    match part {
        Part::Priority => plans::add_priority(&state.db, &author, id, &title, &description).await?,
        Part::Objective => plans::add_objective(&state.db, &author, id, &title).await?,
        Part::Deliverable => {
            plans::add_deliverable(&state.db, &author, id, &title, &description).await?
        }
    };
    Ok(Redirect::to(&format!("/plans/{}", adding.plan.id)).into_response())
}

/// The form to add a priority to a plan.
pub async fn new_priority(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<TitleFormPage, AppError> {
    part_form(
        state,
        viewer,
        Part::Priority,
        id,
        format!("/plans/{id}/priorities/new"),
    )
    .await
}

/// Adds a priority to a plan.
pub async fn add_priority(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<TitleForm>,
) -> Result<Response, AppError> {
    add_part(state, viewer, Part::Priority, id, form).await
}

/// The form to add an objective to a priority.
pub async fn new_objective(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<TitleFormPage, AppError> {
    part_form(
        state,
        viewer,
        Part::Objective,
        id,
        format!("/priorities/{id}/objectives/new"),
    )
    .await
}

/// Adds an objective to a priority.
pub async fn add_objective(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<TitleForm>,
) -> Result<Response, AppError> {
    add_part(state, viewer, Part::Objective, id, form).await
}

/// The form to add a deliverable to a priority.
pub async fn new_deliverable(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<TitleFormPage, AppError> {
    part_form(
        state,
        viewer,
        Part::Deliverable,
        id,
        format!("/priorities/{id}/deliverables/new"),
    )
    .await
}

/// Adds a deliverable to a priority.
pub async fn add_deliverable(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(form): Form<TitleForm>,
) -> Result<Response, AppError> {
    add_part(state, viewer, Part::Deliverable, id, form).await
}

#[derive(Template, WebTemplate)]
#[template(path = "links.html")]
pub(crate) struct LinksPage {
    layout: Layout,
    priority: String,
    plan: PlanSummary,
    action: String,
    choices: Choices,
}

/// The partnership priority and its plan, for linking; only partnership plans link upwards.
async fn linkable(state: &AppState, viewer: &Viewer, id: i64) -> Result<PlanPart, AppError> {
    let part = plans::priority(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    require(
        viewer,
        &part.plan,
        PlanAccess::Edit,
        &format!("/priorities/{id}/links"),
    )?;
    if part.plan.kind != PlanKind::Partnership {
        return Err(AppError::NotFound);
    }
    Ok(part)
}

async fn links_page(
    state: &AppState,
    viewer: &Viewer,
    part: PlanPart,
    selected: &[i64],
) -> Result<LinksPage, AppError> {
    let objectives =
        plans::police_and_crime_objectives(&state.db, part.plan.owner.policing_body_id).await?;
    let items = objectives
        .into_iter()
        .map(|(id, priority, title)| Choice {
            value: id.to_string(),
            label: title,
            hint: Some(priority),
            checked: selected.contains(&id),
        })
        .collect();
    let choices = Choices::checkboxes(
        "objectives",
        "Police and Crime Plan objectives",
        items,
        &FormErrors::default(),
    )
    .hint("Select every objective this priority supports.");
    Ok(LinksPage {
        layout: Layout::new(
            state,
            viewer,
            "Objectives this priority supports",
            Section::Plans,
        ),
        action: format!("/priorities/{}/links", part.id),
        priority: part.title,
        plan: part.plan,
        choices,
    })
}

/// The form to choose which Police and Crime Plan objectives a partnership priority supports.
pub async fn links_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<LinksPage, AppError> {
    let part = linkable(&state, &viewer, id).await?;
    let doc = plans::document(&state.db, &viewer.scope(), part.plan.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let selected: Vec<i64> = doc
        .priorities
        .iter()
        .filter(|p| p.id == id)
        .flat_map(|p| p.supports.iter().map(|s| s.objective_id))
        .collect();
    links_page(&state, &viewer, part, &selected).await
}

/// Saves which objectives a priority supports. The body is read by hand because checkboxes
/// repeat a field name, which typed form decoding does not allow.
pub async fn save_links(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    body: Bytes,
) -> Result<Response, AppError> {
    let part = linkable(&state, &viewer, id).await?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadForm)?;
    let selected: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "objectives")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let available: Vec<i64> =
        plans::police_and_crime_objectives(&state.db, part.plan.owner.policing_body_id)
            .await?
            .into_iter()
            .map(|o| o.0)
            .collect();
    if selected.iter().any(|s| !available.contains(s)) {
        return Err(AppError::BadForm);
    }
    plans::set_priority_links(&state.db, &author(&viewer)?, id, &selected).await?;
    Ok(Redirect::to(&format!("/plans/{}", part.plan.id)).into_response())
}
