//! Measures: defining one, and uploading the values of an entered measure as CSV or XLSX.
//!
//! OPCC officers and partnership managers define measures for their organisation and enter their
//! values; any signed-in person reads them.

use crate::AppState;
use crate::body::Upload;
use crate::components::{Choice, Choices, ErrorSummary, Select, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::plans::author;
use crate::pages::{DataTable, Id};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::{Actor, measure_access};
use safer_core::forms::FormErrors;
use safer_core::limits;
use safer_core::measures::{Frequency, MeasureForm, Polarity, Source, Unit};
use safer_core::organisations::Owner;
use safer_core::police::CrimeCategory;
use safer_import::observations::{self, Uploaded};
use safer_store::measures::{self, Measure};
use safer_store::{StoreError, areas, plans};

/// The organisation a new measure is defined for, or why the viewer may not define one.
fn owner(viewer: &Viewer, path: &str) -> Result<Owner, AppError> {
    let actor = viewer.require(path)?;
    actor
        .measure_owners()
        .into_iter()
        .next()
        .ok_or(AppError::Forbidden)
}

fn may_enter_values(actor: Option<&Actor>, measure: &Measure) -> bool {
    measure_access(actor, measure.organisation_id).enter_values
}

fn items<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|&x| (value(x).to_owned(), label(x).to_owned()))
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "measure_form.html")]
pub(crate) struct MeasureFormPage {
    layout: Layout,
    summary: ErrorSummary,
    name: TextInput,
    description: Textarea,
    source: Choices,
    categories: Choices,
    unit: Choices,
    polarity: Choices,
    frequency: Choices,
    target: Choices,
    target_value: TextInput,
    target_percent: TextInput,
    target_from: TextInput,
    target_to: TextInput,
    objective: Select,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    owner: Owner,
    form: &MeasureForm,
    errors: &FormErrors,
) -> Result<MeasureFormPage, AppError> {
    let objectives = plans::police_and_crime_objectives(&state.db, owner.policing_body_id).await?;
    let mut objective_items = vec![(String::new(), "None".to_owned())];
    objective_items.extend(
        objectives
            .into_iter()
            .map(|(id, priority, title)| (id.to_string(), format!("{title} ({priority})"))),
    );
    let categories = CrimeCategory::ALL
        .iter()
        .map(|c| Choice {
            value: c.slug().to_owned(),
            label: c.name().to_owned(),
            hint: None,
            checked: form.categories.iter().any(|s| s == c.slug()),
        })
        .collect();
    Ok(MeasureFormPage {
        layout: Layout::new(state, viewer, "Define a measure", Section::Performance)
            .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        name: TextInput::new("name", "Name", &form.name, errors)
            .hint("As a board paper names it, for example Total recorded crime"),
        description: Textarea::new("description", "What it is (optional)", &form.description, errors),
        source: Choices::radios(
            "source",
            "Where do its values come from?",
            vec![
                ("street".into(), "police.uk street-level records, counted by the LSOA they lie in".into()),
                ("stop_and_search".into(), "police.uk stop and search records (force areas only)".into()),
                ("entered".into(), "Values entered or uploaded here, such as survey results".into()),
            ],
            &form.source,
            errors,
        ),
        categories: Choices::checkboxes(
            "categories",
            "Which police.uk categories does it count?",
            categories,
            errors,
        )
        .hint("Only for police.uk street-level measures. Total recorded crime is every category but anti-social behaviour."),
        unit: Choices::radios("unit", "What is a value?", items(Unit::ALL, Unit::as_str, Unit::label), &form.unit, errors),
        polarity: Choices::radios("polarity", "Which way is better?", items(Polarity::ALL, Polarity::as_str, Polarity::label), &form.polarity, errors),
        frequency: Choices::radios("frequency", "How often is it reported?", items(Frequency::ALL, Frequency::as_str, Frequency::label), &form.frequency, errors)
            .hint("Quarterly and annual values are entered against the period's first month."),
        target: Choices::radios(
            "target",
            "Does it have a target?",
            vec![
                ("none".into(), "No target".into()),
                ("level".into(), "A level each period should reach".into()),
                ("change".into(), "A change in per cent against a baseline period".into()),
            ],
            if form.target.is_empty() { "none" } else { &form.target },
            errors,
        ),
        target_value: TextInput::new("target-value", "Target level", &form.target_value, errors)
            .hint("For a level target, for example 1200 or 80"),
        target_percent: TextInput::new("target-percent", "Change in per cent", &form.target_percent, errors)
            .hint("For a change target: negative for a reduction, for example -5"),
        target_from: TextInput::new("target-from", "Baseline's first month", &form.target_from, errors)
            .hint("YYYY-MM, for example 2018-04"),
        target_to: TextInput::new("target-to", "Baseline's last month", &form.target_to, errors)
            .hint("YYYY-MM, for example 2019-03"),
        objective: Select::new(
            "objective",
            "Police and Crime Plan objective the target serves (optional)",
            objective_items,
            &form.objective,
            errors,
        ),
    })
}

/// The form to define a measure.
pub async fn new(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<MeasureFormPage, AppError> {
    let owner = owner(&viewer, "/performance/measures/new")?;
    let form = MeasureForm {
        source: "street".into(),
        unit: Unit::Count.as_str().into(),
        polarity: Polarity::LowerIsBetter.as_str().into(),
        frequency: Frequency::Monthly.as_str().into(),
        ..MeasureForm::default()
    };
    form_page(&state, &viewer, owner, &form, &FormErrors::default()).await
}

/// Defines a measure, or shows the form again with what to fix.
pub async fn add(
    State(state): State<AppState>,
    viewer: Viewer,
    body: Bytes,
) -> Result<Response, AppError> {
    let owner = owner(&viewer, "/performance/measures/new")?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadForm)?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let form = MeasureForm {
        name: field("name"),
        description: field("description"),
        source: field("source"),
        categories: pairs
            .iter()
            .filter(|(k, _)| k == "categories")
            .map(|(_, v)| v.clone())
            .collect(),
        unit: field("unit"),
        polarity: field("polarity"),
        frequency: field("frequency"),
        target: field("target"),
        target_value: field("target-value"),
        target_percent: field("target-percent"),
        target_from: field("target-from"),
        target_to: field("target-to"),
        objective: field("objective"),
    };
    let mut result = form.parse();
    if let Ok(details) = &result
        && let Some(objective) = details.objective_id
    {
        let allowed = plans::police_and_crime_objectives(&state.db, owner.policing_body_id).await?;
        if !allowed.iter().any(|(id, _, _)| *id == objective) {
            let mut errors = FormErrors::default();
            errors.add(
                "objective",
                "Select an objective of your Police and Crime Plan",
            );
            result = Err(errors);
        }
    }
    let details = match result {
        Ok(details) => details,
        Err(errors) => return invalid(&state, &viewer, owner, &form, &errors).await,
    };
    match measures::add(&state.db, &author(&viewer)?, owner.id, &details).await {
        Ok(id) => Ok(Redirect::to(&format!("/performance/measures/{id}")).into_response()),
        Err(StoreError::Duplicate(_)) => {
            let mut errors = FormErrors::default();
            errors.add(
                "name",
                "A measure with this name already exists: choose another name",
            );
            invalid(&state, &viewer, owner, &form, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn invalid(
    state: &AppState,
    viewer: &Viewer,
    owner: Owner,
    form: &MeasureForm,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let page = form_page(state, viewer, owner, form, errors).await?;
    Ok(crate::pages::unprocessable(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "measure.html")]
pub(crate) struct MeasurePage {
    layout: Layout,
    measure: Measure,
    objective: Option<String>,
    can_upload: bool,
    summary: ErrorSummary,
    uploaded: Option<Uploaded>,
    values: Option<DataTable>,
}

async fn measure_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: &FormErrors,
    uploaded: Option<Uploaded>,
) -> Result<MeasurePage, AppError> {
    viewer.require(&format!("/performance/measures/{id}"))?;
    let measure = measures::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let objective = match measure.details.objective_id {
        Some(o) => plans::objective_title(&state.db, o).await?,
        None => None,
    };
    let values = if measure.details.source == Source::Entered {
        let mut t = DataTable::new(
            "values",
            format!("Values of {}", measure.details.name),
            &[
                ("Area", false),
                ("Period", false),
                ("Value", true),
                ("Denominator", true),
            ],
        );
        for o in measures::observations(&state.db, id, None).await? {
            let name = areas::find(&state.db, &o.area_code)
                .await?
                .map_or_else(|| o.area_code.clone(), |a| a.name);
            t.push(vec![
                DataTable::link(
                    name,
                    format!("/performance/areas/{}/measures/{id}", o.area_code),
                ),
                o.period.long().into(),
                crate::performance::format_measure_value(measure.details.unit, o.value).into(),
                o.denominator
                    .map(|d| crate::performance::format_measure_value(Unit::Count, d))
                    .unwrap_or_default()
                    .into(),
            ]);
        }
        Some(t)
    } else {
        None
    };
    Ok(MeasurePage {
        layout: Layout::new(
            state,
            viewer,
            measure.details.name.clone(),
            Section::Performance,
        )
        .with_errors(!errors.is_empty()),
        can_upload: measure.details.source == Source::Entered
            && may_enter_values(viewer.actor.as_ref(), &measure),
        measure,
        objective,
        summary: ErrorSummary::of(errors),
        uploaded,
        values,
    })
}

/// A measure's definition and, for entered measures, its values and the upload form.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<MeasurePage, AppError> {
    measure_page(&state, &viewer, id, &FormErrors::default(), None).await
}

/// Saves the values in an uploaded CSV or XLSX file; the page then says what was saved and which
/// rows were left out, by line.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    upload: Upload,
) -> Result<Response, AppError> {
    viewer.require(&format!("/performance/measures/{id}"))?;
    let measure = measures::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if measure.details.source != Source::Entered
        || !may_enter_values(viewer.actor.as_ref(), &measure)
    {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let uploaded = match upload {
        Upload::Missing => {
            errors.add("file", "Select a CSV or XLSX file of values");
            None
        }
        Upload::TooLarge => {
            errors.add("file", Upload::too_large_message(limits::VALUES_FILE_BYTES));
            status = StatusCode::PAYLOAD_TOO_LARGE;
            None
        }
        Upload::File { name, bytes, .. } => {
            match observations::upload(&state.db, &author(&viewer)?, &measure, &name, &bytes).await
            {
                Ok(u) => Some(u),
                Err(safer_import::FileError::Store(e)) => return Err(e.into()),
                Err(e) => {
                    errors.add("file", e.to_string());
                    None
                }
            }
        }
    };
    if errors.is_empty() {
        status = StatusCode::OK;
    }
    let page = measure_page(&state, &viewer, id, &errors, uploaded).await?;
    Ok((status, page).into_response())
}
