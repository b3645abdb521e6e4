//! Papers for agenda items: the secretariat writes sections, some carrying live blocks (a
//! measure's chart and narrative, a plan's milestones) that show today's figures while the paper
//! is a draft and are frozen as rendered when it is published. A meeting's published papers
//! make up its agenda pack, one printable document.

use crate::AppState;
use crate::components::{Choices, ErrorSummary, Select, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::boards::{
    SecretariatFields, audience, for_secretariat, invalid as invalid_meeting_form, runs, when,
};
use crate::pages::performance::{chart_description, series_table};
use crate::pages::plans::author;
use crate::pages::{DataTable, Id, refusal, unprocessable};
use crate::performance::{ChartDrawing, MeasureView};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::ReadScope;
use safer_core::forms::FormErrors;
use safer_core::papers::{LiveBlock, PaperForm, SectionForm, paragraphs};
use safer_store::areas::{self, AreaKind};
use safer_store::boards::{self, AgendaItem, Audience, Body, Meeting};
use safer_store::papers::{self, Paper};
use safer_store::{measures, plans};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "paper_measure_block.html")]
struct MeasureBlock {
    view: MeasureView,
    area_name: String,
    drawing: Option<ChartDrawing>,
    chart_id: String,
    chart_description: String,
    table: DataTable,
    as_at: String,
}

#[derive(Template)]
#[template(path = "paper_table_block.html")]
struct TableBlock {
    table: DataTable,
    as_at: String,
}

/// A live block as it stands now, as HTML. A block whose source has gone (or that `scope` may
/// not read) renders as a sentence saying so, so a paper always shows. Ids inside the block
/// carry the section's id, so a pack of many papers has no id twice.
pub async fn render_block(
    state: &AppState,
    scope: &ReadScope,
    section_id: i64,
    block: &LiveBlock,
) -> Result<String, AppError> {
    let as_at = safer_core::time::long_date(safer_store::clock::today());
    let unavailable = |what: &str| {
        Ok(format!(
            "<p class=\"govuk-body\"><strong>{what} is no longer available.</strong></p>"
        ))
    };
    let html = match block {
        LiveBlock::Measure { measure_id, area } => {
            let (Some(measure), Some(area)) = (
                measures::find(&state.db, *measure_id).await?,
                areas::find(&state.db, area).await?,
            ) else {
                return unavailable("The measure or area this section showed");
            };
            let data = measures::AreaData::load(
                &state.db,
                &area,
                &[&area],
                std::slice::from_ref(&measure),
            )
            .await?;
            let view = MeasureView::new(measure.clone(), data.series(&measure, &area));
            MeasureBlock {
                drawing: view.drawing(),
                chart_id: format!("section-{section_id}-chart"),
                chart_description: chart_description(&view, &area),
                table: series_table(&view, &area).with_id(format!("section-{section_id}")),
                area_name: area.name,
                view,
                as_at,
            }
            .render()
        }
        LiveBlock::PlanMilestones { plan_id } => {
            let Some(plan) = plans::document(&state.db, scope, *plan_id).await? else {
                return unavailable("The plan this section showed");
            };
            let mut table = DataTable::new(
                "milestones",
                format!("Milestones of {}", plan.plan.title),
                &[
                    ("Milestone", false),
                    ("Priority", false),
                    ("Deliverable", false),
                    ("Due", false),
                    ("Status", false),
                ],
            )
            .with_id(format!("section-{section_id}"));
            for priority in &plan.priorities {
                for deliverable in &priority.deliverables {
                    for m in &deliverable.milestones {
                        table.push(vec![
                            m.title.clone().into(),
                            priority.title.clone().into(),
                            deliverable.title.clone().into(),
                            m.due.text.clone().into(),
                            DataTable::tag(m.status.label(), m.status.tag_class()),
                        ]);
                    }
                }
            }
            TableBlock { table, as_at }.render()
        }
        LiveBlock::FundAllocations { fund_id } => {
            let Some(tables) =
                crate::pages::funds::allocation_tables(state, scope, *fund_id).await?
            else {
                return unavailable("The fund this section showed");
            };
            let mut html = String::new();
            for (i, table) in tables.into_iter().enumerate() {
                let table = table.with_id(format!("section-{section_id}-{}", i + 1));
                let block = TableBlock {
                    table,
                    as_at: as_at.clone(),
                };
                html.push_str(
                    &block
                        .render()
                        .map_err(|e| AppError::Internal(e.to_string()))?,
                );
            }
            Ok(html)
        }
    };
    html.map_err(|e| AppError::Internal(e.to_string()))
}

/// A paper's section as a page shows it: its text in paragraphs and its block's HTML (frozen,
/// or rendered now for a draft).
pub(crate) struct ShownSection {
    heading: String,
    paragraphs: Vec<String>,
    /// What a block rendered now (in a draft) shows; `None` for a frozen block or none.
    live_label: Option<&'static str>,
    block_html: Option<String>,
}

/// A paper's sections as shown: frozen blocks as published, a draft's blocks as they stand now.
async fn shown_sections(
    state: &AppState,
    scope: &ReadScope,
    paper: &Paper,
) -> Result<Vec<ShownSection>, AppError> {
    let mut out = Vec::with_capacity(paper.sections.len());
    for s in &paper.sections {
        let block_html = match (&s.frozen_html, &s.block) {
            (Some(html), _) => Some(html.clone()),
            (None, Some(block)) => Some(render_block(state, scope, s.id, block).await?),
            (None, None) => None,
        };
        out.push(ShownSection {
            heading: s.heading.clone(),
            paragraphs: paragraphs(&s.body).into_iter().map(str::to_owned).collect(),
            live_label: s
                .block
                .as_ref()
                .filter(|_| s.frozen_html.is_none())
                .map(LiveBlock::label),
            block_html,
        });
    }
    Ok(out)
}

/// The paper, its meeting and body, if `viewer` may read it: anyone once it is public, the
/// body's own organisation always. Otherwise it is not found, so its existence is not told.
pub(crate) async fn readable(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(Paper, Meeting, Body), AppError> {
    let paper = papers::paper(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let meeting = boards::meeting(&state.db, paper.meeting_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = boards::body(&state.db, meeting.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !paper.is_public() && audience(viewer, &body) != Audience::Secretariat {
        return Err(AppError::NotFound);
    }
    Ok((paper, meeting, body))
}

#[derive(Template, WebTemplate)]
#[template(path = "paper.html")]
pub(crate) struct PaperPage {
    layout: Layout,
    paper: Paper,
    body: Body,
    meeting: Meeting,
    when: String,
    sections: Vec<ShownSection>,
    /// What to fix, after a refused change.
    summary: ErrorSummary,
    /// The sections' heading element.
    section_tag: &'static str,
    /// The forms to add a section and publish, while a draft, for those who run the body.
    forms: Option<SectionForms>,
}

/// The form to add a section, with what was entered and what to fix.
pub(crate) struct SectionForms {
    heading: TextInput,
    body: Textarea,
    block: Choices,
    measure: Select,
    area: Select,
    plan: Select,
    fund: Select,
}

/// The section form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct SectionFields {
    #[serde(default)]
    heading: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    block: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    fund: String,
}

/// One paper.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<PaperPage, AppError> {
    paper_page(
        &state,
        &viewer,
        id,
        &SectionFields::default(),
        &FormErrors::default(),
    )
    .await
}

async fn paper_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    fields: &SectionFields,
    errors: &FormErrors,
) -> Result<PaperPage, AppError> {
    let (paper, meeting, body) = readable(state, viewer, id).await?;
    let scope = viewer.scope();
    let forms = if !paper.published && runs(viewer, &body) {
        Some(section_forms(state, &scope, fields, errors).await?)
    } else {
        None
    };
    Ok(PaperPage {
        layout: Layout::new(state, viewer, paper.title.clone(), Section::Boards)
            .with_errors(!errors.is_empty()),
        sections: shown_sections(state, &scope, &paper).await?,
        summary: ErrorSummary::of(errors),
        section_tag: "h2",
        when: when(&meeting),
        paper,
        body,
        meeting,
        forms,
    })
}

async fn section_forms(
    state: &AppState,
    scope: &ReadScope,
    f: &SectionFields,
    errors: &FormErrors,
) -> Result<SectionForms, AppError> {
    let blocks = vec![
        ("none".to_owned(), "Text only".to_owned()),
        (
            "measure".to_owned(),
            "A performance measure's chart, narrative and table".to_owned(),
        ),
        (
            "plan_milestones".to_owned(),
            "A plan's milestones".to_owned(),
        ),
        (
            "fund_allocations".to_owned(),
            "A fund's allocations: requested against approved".to_owned(),
        ),
    ];
    let selected_block = if f.block.is_empty() { "none" } else { &f.block };
    let mut measure_items = vec![(String::new(), "Choose a measure".to_owned())];
    measure_items.extend(
        measures::list(&state.db)
            .await?
            .into_iter()
            .map(|m| (m.id.to_string(), m.details.name)),
    );
    let mut area_items = vec![(String::new(), "Choose an area".to_owned())];
    for kind in [AreaKind::Force, AreaKind::Csp] {
        area_items.extend(
            areas::of_kind(&state.db, kind)
                .await?
                .into_iter()
                .map(|a| (a.code, a.name)),
        );
    }
    let mut plan_items = vec![(String::new(), "Choose a plan".to_owned())];
    plan_items.extend(
        plans::list(&state.db, scope)
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), p.title)),
    );
    let mut fund_items = vec![(String::new(), "Choose a fund".to_owned())];
    fund_items.extend(
        safer_store::funds::funds(&state.db)
            .await?
            .into_iter()
            .map(|f| (f.id.to_string(), f.name)),
    );
    Ok(SectionForms {
        heading: TextInput::new("heading", "Heading (optional)", &f.heading, errors),
        body: Textarea::new("body", "Text", &f.body, errors)
            .hint("Leave a blank line between paragraphs."),
        block: Choices::radios(
            "block",
            "Live content from safer",
            blocks,
            selected_block,
            errors,
        )
        .hint(
            "Shows today's figures while the paper is a draft. Publishing the paper freezes them.",
        ),
        measure: Select::new("measure", "Measure", measure_items, &f.measure, errors),
        area: Select::new("area", "Area", area_items, &f.area, errors),
        plan: Select::new("plan", "Plan", plan_items, &f.plan, errors),
        fund: Select::new("fund", "Fund", fund_items, &f.fund, errors),
    })
}

async fn invalid(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    fields: &SectionFields,
    errors: &FormErrors,
) -> Result<Response, AppError> {
    let page = paper_page(state, viewer, id, fields, errors).await?;
    Ok(unprocessable(page))
}

/// The paper and its body, if the viewer runs the body's business.
async fn for_author(state: &AppState, viewer: &Viewer, id: i64) -> Result<Paper, AppError> {
    viewer.require(&format!("/papers/{id}"))?;
    let (paper, _, body) = readable(state, viewer, id).await?;
    if !runs(viewer, &body) {
        return Err(AppError::Forbidden);
    }
    Ok(paper)
}

/// Adds a section to a draft paper.
pub async fn add_section(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SectionFields>,
) -> Result<Response, AppError> {
    for_author(&state, &viewer, id).await?;
    let form = SectionForm {
        heading: fields.heading.clone(),
        body: fields.body.clone(),
        block: fields.block.clone(),
        measure: fields.measure.clone(),
        area: fields.area.clone(),
        plan: fields.plan.clone(),
        fund: fields.fund.clone(),
    };
    let mut section = match form.parse() {
        Ok(s) => s,
        Err(errors) => return invalid(&state, &viewer, id, &fields, &errors).await,
    };
    // The block must name something that exists and that the author may read.
    let mut errors = FormErrors::default();
    match &mut section.block {
        Some(LiveBlock::Measure { measure_id, area }) => {
            if measures::find(&state.db, *measure_id).await?.is_none() {
                errors.add("measure", "Select a measure");
            }
            match areas::find(&state.db, area).await? {
                Some(a) => *area = a.code,
                None => errors.add("area", "Select the area"),
            }
        }
        Some(LiveBlock::PlanMilestones { plan_id }) => {
            let readable = plans::document(&state.db, &viewer.scope(), *plan_id).await?;
            if readable.is_none() {
                errors.add("plan", "Select a plan");
            }
        }
        Some(LiveBlock::FundAllocations { fund_id }) => {
            let found = safer_store::funds::fund(&state.db, *fund_id).await?;
            if found.is_none() {
                errors.add("fund", "Select a fund");
            }
        }
        None => {}
    }
    if !errors.is_empty() {
        return invalid(&state, &viewer, id, &fields, &errors).await;
    }
    match papers::add_section(
        &state.db,
        &author(&viewer)?,
        id,
        &section.heading,
        &section.body,
        section.block.as_ref(),
    )
    .await
    {
        Ok(_) => Ok(paper_href(id)),
        Err(e) => {
            // A published paper takes no section: the message points at its sections.
            let errors = refusal(e, "paper-sections")?;
            invalid(&state, &viewer, id, &fields, &errors).await
        }
    }
}

/// Publishes a draft paper, freezing each live block as it stands now.
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    let paper = for_author(&state, &viewer, id).await?;
    let scope = viewer.scope();
    let mut frozen = Vec::new();
    for s in &paper.sections {
        if let Some(block) = &s.block {
            frozen.push((s.id, render_block(&state, &scope, s.id, block).await?));
        }
    }
    match papers::publish_paper(&state.db, &author(&viewer)?, id, &frozen).await {
        Ok(()) => Ok(paper_href(id)),
        Err(e) => {
            let errors = refusal(e, "publish")?;
            invalid(&state, &viewer, id, &SectionFields::default(), &errors).await
        }
    }
}

fn paper_href(id: i64) -> Response {
    Redirect::to(&format!("/papers/{id}")).into_response()
}

/// Starts a draft paper for one of the meeting's agenda items (the form is on the meeting's
/// page).
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<SecretariatFields>,
) -> Result<Response, AppError> {
    let (meeting, _) = for_secretariat(&state, &viewer, id).await?;
    let form = PaperForm {
        item: fields.paper_item.clone(),
        title: fields.paper_title.clone(),
    };
    let agenda = boards::agenda(&state.db, &meeting, Audience::Secretariat).await?;
    let (item, title) = match form.parse() {
        Ok((item, title)) if agenda.iter().any(|a| a.id == item) => (item, title),
        Ok(_) => {
            let mut errors = FormErrors::default();
            errors.add("paper-item", "Select the agenda item the paper is for");
            return invalid_meeting_form(&state, &viewer, id, &fields, &errors).await;
        }
        Err(errors) => return invalid_meeting_form(&state, &viewer, id, &fields, &errors).await,
    };
    let paper = papers::create_paper(&state.db, &author(&viewer)?, item, &title).await?;
    Ok(paper_href(paper))
}

/// The pack's inline stylesheet.
const PACK_STYLE: &str = include_str!("../../templates/document.css");

#[derive(Template)]
#[template(path = "meeting_pack.html")]
struct PackDocument {
    body: Body,
    meeting: Meeting,
    when: String,
    agenda: Vec<AgendaItem>,
    papers: Vec<(Paper, Vec<ShownSection>)>,
    /// Drafts left out, for the secretariat's note.
    drafts: usize,
    /// The sections' heading element.
    section_tag: &'static str,
    style: &'static str,
}

/// A meeting's agenda and its published papers as one printable, self-contained document:
/// to anyone once the agenda is published, to the body's organisation before.
pub async fn pack(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    static POLICY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| crate::security::policy_with_style(PACK_STYLE));
    let html = pack_html(&state, &viewer, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, POLICY.as_str()),
        ],
        html,
    )
        .into_response())
}

/// The agenda pack's HTML.
pub async fn pack_html(state: &AppState, viewer: &Viewer, id: i64) -> Result<String, AppError> {
    let meeting = boards::meeting(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = boards::body(&state.db, meeting.body_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let audience = audience(viewer, &body);
    if audience == Audience::Public && !meeting.agenda_published {
        return Err(AppError::NotFound);
    }
    let agenda = boards::agenda(&state.db, &meeting, audience).await?;
    let all = papers::meeting_papers(&state.db, id, audience).await?;
    let drafts = all.iter().filter(|p| !p.published).count();
    let scope = viewer.scope();
    let mut shown = Vec::new();
    for paper in all.into_iter().filter(|p| p.published) {
        let sections = shown_sections(state, &scope, &paper).await?;
        shown.push((paper, sections));
    }
    PackDocument {
        when: when(&meeting),
        body,
        meeting,
        agenda,
        papers: shown,
        drafts,
        section_tag: "h3",
        style: PACK_STYLE,
    }
    .render()
    .map_err(|e| AppError::Internal(e.to_string()))
}
