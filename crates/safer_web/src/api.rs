//! The JSON API under `/api/v1`, mirroring the pages: organisations, plans and milestones, with
//! the same scoping (a partnership's plan is "not found" to anyone outside it); and, for
//! signed-in callers, areas, measures, their observations and SPC analyses. Errors are
//! `application/problem+json`.
//!
//! The OpenAPI document is written out here rather than derived by a macro crate: the API is
//! small, and a test checks that it documents exactly the routes the router serves.

use crate::AppState;
use crate::error::ApiError;
use crate::pages::boards::{MeetingView, meeting_view};
use crate::pages::papers::readable;
use crate::performance::MeasureView;
use crate::session::Viewer;
use axum::Json;
use axum::extract::{Path, Query, State};
use safer_core::measures::SeriesPoint;
use safer_store::areas::{self, AreaKind};
use safer_store::bids::{self, Bid, BidSummary, Notice, Round};
use safer_store::boards::{self, Action, Body, Decision, Meeting};
use safer_store::funds::{Commitment, Fund};
use safer_store::grants::{self, Grant, GrantMonitoring, MonitoringReturn};
use safer_store::measures::{self, AreaData, Measure};
use safer_store::organisations::{self, Organisation};
use safer_store::papers::Paper;
use safer_store::plans::{self, MilestoneDocument, PlanDocument, PlanSummary};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

fn id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

/// Every organisation.
pub async fn organisations(
    State(state): State<AppState>,
) -> Result<Json<Vec<Organisation>>, ApiError> {
    Ok(Json(organisations::list(&state.db).await?))
}

/// An organisation with its areas.
#[derive(Serialize)]
pub struct OrganisationDetail {
    #[serde(flatten)]
    organisation: Organisation,
    local_authority_areas: Vec<Area>,
}

/// A local authority area.
#[derive(Serialize)]
pub struct Area {
    code: String,
    name: String,
}

/// One organisation.
pub async fn organisation(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<OrganisationDetail>, ApiError> {
    let id = id(&raw)?;
    let organisation = organisations::get(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let local_authority_areas = organisations::areas(&state.db, id)
        .await?
        .into_iter()
        .map(|(code, name)| Area { code, name })
        .collect();
    Ok(Json(OrganisationDetail {
        organisation,
        local_authority_areas,
    }))
}

/// The plans the caller may read.
pub async fn plans(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<PlanSummary>>, ApiError> {
    Ok(Json(plans::list(&state.db, &viewer.scope()).await?))
}

/// One plan, whole.
pub async fn plan(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<PlanDocument>, ApiError> {
    let doc = plans::document(&state.db, &viewer.scope(), id(&raw)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(doc))
}

/// One milestone with its history.
pub async fn milestone(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<MilestoneDocument>, ApiError> {
    let doc = plans::milestone(&state.db, &viewer.scope(), id(&raw)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(doc))
}

fn signed_in(viewer: &Viewer) -> Result<(), ApiError> {
    viewer
        .actor
        .as_ref()
        .map(|_| ())
        .ok_or_else(ApiError::sign_in_required)
}

/// `?kind=force|csp|local_authority|ward|lsoa` (force areas when absent) or `?parent=CODE`.
#[derive(Debug, Default, Deserialize)]
pub struct AreaQuery {
    kind: Option<String>,
    parent: Option<String>,
}

/// Areas of one kind, or the areas within one.
pub async fn areas(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<AreaQuery>,
) -> Result<Json<Vec<safer_store::areas::Area>>, ApiError> {
    signed_in(&viewer)?;
    if let Some(parent) = &query.parent {
        return Ok(Json(areas::children(&state.db, parent).await?));
    }
    let kind = match query.kind.as_deref() {
        None => AreaKind::Force,
        Some(text) => AreaKind::parse(text).ok_or_else(ApiError::not_found)?,
    };
    Ok(Json(areas::of_kind(&state.db, kind).await?))
}

/// One area.
pub async fn area(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Json<safer_store::areas::Area>, ApiError> {
    signed_in(&viewer)?;
    let area = areas::find(&state.db, &code)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(area))
}

/// Every measure.
pub async fn measures(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<Measure>>, ApiError> {
    signed_in(&viewer)?;
    Ok(Json(measures::list(&state.db).await?))
}

/// A measure's series in an area: every period from the first to the last, with `null` for a
/// period with no data.
#[derive(Serialize)]
pub struct Observations {
    measure: Measure,
    area: safer_store::areas::Area,
    observations: Vec<SeriesPoint>,
}

async fn series_in(
    state: &AppState,
    id: &str,
    code: &str,
) -> Result<(Measure, safer_store::areas::Area, Vec<SeriesPoint>), ApiError> {
    let measure = measures::find(&state.db, self::id(id)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let area = areas::find(&state.db, code)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let data = AreaData::load(&state.db, &area, &[&area], std::slice::from_ref(&measure)).await?;
    let series = data.series(&measure, &area);
    Ok((measure, area, series))
}

/// A measure's values in an area.
pub async fn observations(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, code)): Path<(String, String)>,
) -> Result<Json<Observations>, ApiError> {
    signed_in(&viewer)?;
    let (measure, area, observations) = series_in(&state, &id, &code).await?;
    Ok(Json(Observations {
        measure,
        area,
        observations,
    }))
}

/// A measure's SPC analysis in an area, in the format of `safer spc analyse --format json`,
/// with the target level in the area. `analysis` is `null` where there are too few values.
pub async fn analysis(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, code)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    signed_in(&viewer)?;
    let (measure, area, series) = series_in(&state, &id, &code).await?;
    let name = measure.details.name.clone();
    let view = MeasureView::new(measure, series);
    let analysis = view.analysis.as_ref().map(|a| a.report(&name));
    Ok(Json(json!({
        "measure_id": view.measure.id,
        "area_code": area.code,
        "target": view.target,
        "narrative": view.narrative,
        "analysis": analysis,
    })))
}

/// Every board, panel and sub-group.
pub async fn bodies(State(state): State<AppState>) -> Result<Json<Vec<Body>>, ApiError> {
    Ok(Json(boards::bodies(&state.db).await?))
}

/// A body's meetings, latest first.
pub async fn body_meetings(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Meeting>>, ApiError> {
    let id = id(&raw)?;
    boards::body(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(boards::meetings(&state.db, id).await?))
}

/// A meeting as the caller may see it: the published agenda (without exempt items) and the
/// approved notes for the public; everything for the body's own organisation.
pub async fn meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<MeetingView>, ApiError> {
    Ok(Json(meeting_view(&state, &viewer, id(&raw)?).await?))
}

/// A paper: anyone's once public, the body's organisation's always; not found otherwise.
/// Published sections carry their frozen blocks' HTML; a draft's blocks are named, not rendered.
pub async fn paper(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<Paper>, ApiError> {
    let (paper, _, _) = readable(&state, &viewer, id(&raw)?).await?;
    Ok(Json(paper))
}

/// Every fund, with what it has committed and left (computed).
pub async fn funds(State(state): State<AppState>) -> Result<Json<Vec<Fund>>, ApiError> {
    Ok(Json(safer_store::funds::funds(&state.db).await?))
}

/// A fund with its commitments.
#[derive(Serialize)]
pub struct FundDocument {
    #[serde(flatten)]
    fund: Fund,
    commitments: Vec<Commitment>,
}

/// One fund and its commitments.
pub async fn fund(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<FundDocument>, ApiError> {
    let id = id(&raw)?;
    let fund = safer_store::funds::fund(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let commitments = safer_store::funds::commitments(&state.db, id).await?;
    Ok(Json(FundDocument { fund, commitments }))
}

/// A round with the bids the caller may see, their amounts computed from their lines.
#[derive(Serialize)]
pub struct RoundDocument {
    #[serde(flatten)]
    round: Round,
    bids: Vec<BidSummary>,
}

/// One round and the bids in it the caller may see.
pub async fn round(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<RoundDocument>, ApiError> {
    let id = id(&raw)?;
    let round = bids::round(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let bids = bids::bids(&state.db, &viewer.scope(), id).await?;
    Ok(Json(RoundDocument { round, bids }))
}

/// One bid, whole, if the caller may see it.
pub async fn bid(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<Bid>, ApiError> {
    let bid = bids::bid(&state.db, &viewer.scope(), id(&raw)?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(bid))
}

/// The published Notices of Decision, latest first.
pub async fn notices(State(state): State<AppState>) -> Result<Json<Vec<Notice>>, ApiError> {
    Ok(Json(bids::notices(&state.db).await?))
}

/// A notice with the bids it decided.
#[derive(Serialize)]
pub struct NoticeDocument {
    #[serde(flatten)]
    notice: Notice,
    bids: Vec<BidSummary>,
}

/// One notice: published, or the caller's own OPCC's.
pub async fn notice(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<NoticeDocument>, ApiError> {
    let (notice, _) = crate::pages::notices::readable(&state, &viewer, id(&raw)?).await?;
    let bids = bids::notice_bids(&state.db, notice.id).await?;
    Ok(Json(NoticeDocument { notice, bids }))
}

/// Every grant, latest award first.
pub async fn grants(State(state): State<AppState>) -> Result<Json<Vec<Grant>>, ApiError> {
    Ok(Json(grants::grants(&state.db).await?))
}

/// A grant with its conditions, payments and variations; and its returns and evaluation for
/// the recipient's people and the fund's OPCC.
#[derive(Serialize)]
pub struct GrantDocument {
    #[serde(flatten)]
    grant: Grant,
    conditions: Vec<grants::Condition>,
    payments: Vec<grants::Payment>,
    variations: Vec<grants::VariationRecord>,
    returns: Option<Vec<MonitoringReturn>>,
    evaluation: Option<grants::Evaluation>,
}

/// One grant.
pub async fn grant(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<GrantDocument>, ApiError> {
    let id = id(&raw)?;
    let grant = grants::grant(&state.db, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let monitoring = grants::monitoring(&state.db, &viewer.scope(), &grant).await?;
    let (returns, evaluation) = GrantMonitoring::parts(monitoring);
    Ok(Json(GrantDocument {
        conditions: grants::conditions(&state.db, id).await?,
        payments: grants::payments(&state.db, id).await?,
        variations: grants::variations(&state.db, id).await?,
        returns,
        evaluation,
        grant,
    }))
}

/// One monitoring return, for the recipient's people and the fund's OPCC.
pub async fn monitoring_return(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Json<MonitoringReturn>, ApiError> {
    let (ret, _) = crate::pages::grants::readable_return(&state, &viewer, id(&raw)?).await?;
    Ok(Json(ret))
}

/// An open action with its body's name.
#[derive(Serialize)]
pub struct OpenAction {
    #[serde(flatten)]
    action: Action,
    body_name: String,
}

/// Every open action the caller may see.
pub async fn actions(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<Vec<OpenAction>>, ApiError> {
    Ok(Json(
        boards::open_actions(&state.db, &viewer.scope())
            .await?
            .into_iter()
            .map(|(action, body_name)| OpenAction { action, body_name })
            .collect(),
    ))
}

/// The published decisions register, latest first.
pub async fn decisions(State(state): State<AppState>) -> Result<Json<Vec<Decision>>, ApiError> {
    Ok(Json(boards::decisions(&state.db).await?))
}

/// The OpenAPI 3.1 description of this API.
pub async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

fn get_op(summary: &str, schema: Value, with_id: bool) -> Value {
    let mut op = json!({
        "summary": summary,
        "responses": {
            "200": { "description": "OK", "content": { "application/json": { "schema": schema } } },
            "404": { "description": "Not found, or not visible to the caller", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
        }
    });
    if with_id {
        op["parameters"] = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } }]);
    }
    json!({ "get": op })
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } })
}

fn code_param() -> Value {
    json!({ "name": "code", "in": "path", "required": true, "schema": { "type": "string" }, "description": "The area's ONS code" })
}

fn signed_in_responses(schema: Value) -> Value {
    json!({
        "200": { "description": "OK", "content": { "application/json": { "schema": schema } } },
        "401": { "description": "Not signed in", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
        "404": { "description": "Not found", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
    })
}

/// The OpenAPI document, as a value.
pub fn openapi_document() -> Value {
    let mut doc = core_document();
    let (paths, schemas) = performance_document();
    merge(&mut doc["paths"], paths);
    merge(&mut doc["components"]["schemas"], schemas);
    let (paths, schemas) = boards_document();
    merge(&mut doc["paths"], paths);
    merge(&mut doc["components"]["schemas"], schemas);
    let (paths, schemas) = commissioning_document();
    merge(&mut doc["paths"], paths);
    merge(&mut doc["components"]["schemas"], schemas);
    doc
}

/// Rounds, bids, notices, grants and returns: their paths and schemas. Amounts are pence.
fn commissioning_document() -> (Value, Value) {
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let list = |name: &str| json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } });
    let pence = json!({ "type": "integer", "description": "Pence" });
    let date = json!({ "type": "string", "format": "date" });
    let maybe_date = json!({ "type": ["string", "null"], "format": "date" });
    let paths = json!({
        "/api/v1/rounds/{id}": get_op("A bidding round and the bids in it the caller may see (a draft only to its partnership; the rest to the fund's OPCC too)", r("RoundDocument"), true),
        "/api/v1/bids/{id}": get_op("A bid (business case) with its cost lines; its amounts are computed from them", r("Bid"), true),
        "/api/v1/notices": get_op("The published Notices of Decision, latest first", list("Notice"), false),
        "/api/v1/notices/{id}": get_op("A Notice of Decision with the bids it decided: published, or the caller's own OPCC's", r("NoticeDocument"), true),
        "/api/v1/grants": get_op("The grants register: every grant, latest award first", list("Grant"), false),
        "/api/v1/grants/{id}": get_op("A grant with its conditions, payments and variations; its returns and evaluation for the recipient's people and the fund's OPCC", r("GrantDocument"), true),
        "/api/v1/returns/{id}": get_op("A monitoring return, for the recipient's people and the fund's OPCC", r("MonitoringReturn"), true)
    });
    let state = json!({ "type": "string", "enum": ["draft", "submitted", "under_review", "approved", "reduced", "declined", "withdrawn"] });
    let schemas = json!({
        "Round": { "type": "object", "properties": {
            "id": { "type": "integer" }, "fund_id": { "type": "integer" }, "fund_name": { "type": "string" }, "opcc_id": { "type": "integer" },
            "name": { "type": "string" }, "opens_on": date, "closes_on": date,
            "criteria": { "type": "array", "items": { "type": "string" } }, "questions": { "type": "array", "items": { "type": "string" } },
            "line_limit": { "type": ["integer", "null"], "description": "Pence: the most one cost line may ask for" },
            "eligible": { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "integer" }, { "type": "string" }] }, "description": "Partnerships that may bid; empty when any in the area may" },
            "objectives": { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "integer" }, { "type": "string" }] } }
        }, "required": ["id", "fund_id", "name", "opens_on", "closes_on", "criteria", "eligible"] },
        "BidSummary": { "type": "object", "properties": {
            "id": { "type": "integer" }, "round_id": { "type": "integer" }, "partnership_id": { "type": "integer" },
            "partnership_name": { "type": "string" }, "applicant_name": { "type": "string" }, "reference": { "type": "string" },
            "title": { "type": "string" }, "state": state, "requested": pence, "least": pence,
            "approved": { "type": ["integer", "null"], "description": "Pence" }, "mean_score": { "type": ["number", "null"] }
        }, "required": ["id", "round_id", "partnership_id", "title", "state", "requested", "least"] },
        "RoundDocument": { "allOf": [r("Round"), { "type": "object", "properties": { "bids": list("BidSummary") }, "required": ["bids"] }] },
        "Bid": { "allOf": [r("BidSummary"), { "type": "object", "properties": {
            "applicant_id": { "type": "integer" }, "version": { "type": "integer" },
            "text": { "type": "object", "properties": {
                "reference": { "type": "string" }, "title": { "type": "string" }, "aims": { "type": "string" }, "background": { "type": "string" },
                "outputs": { "type": "string" }, "outcomes": { "type": "string" }, "risks": { "type": "string" }, "timeline": { "type": "string" },
                "exit_strategy": { "type": "string" } } },
            "lines": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "description": { "type": "string" }, "amount": pence,
                "spending": { "type": "string", "enum": ["revenue", "capital"] }, "minimum": { "type": ["integer", "null"], "description": "Pence" } } } },
            "objectives": { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "integer" }, { "type": "string" }] } },
            "priorities": { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "integer" }, { "type": "string" }] }, "description": "Partnership plan priorities it supports" },
            "submitted_at": { "type": ["string", "null"] }, "notice_id": { "type": ["integer", "null"] }
        }, "required": ["text", "lines", "version"] }] },
        "Notice": { "type": "object", "properties": {
            "id": { "type": "integer" }, "round_id": { "type": "integer" }, "opcc_id": { "type": "integer" },
            "number": { "type": "string", "description": "NNN/YYYY" }, "title": { "type": "string" },
            "executive_summary": { "type": "string" }, "financial": { "type": "string" }, "legal": { "type": "string" },
            "equality": { "type": "string" }, "interests": { "type": "string" }, "decided_on": date,
            "confidential": { "type": "boolean" }, "signatory": { "type": "string" }, "signed_on": maybe_date,
            "published_at": { "type": ["string", "null"] }
        }, "required": ["id", "number", "title", "decided_on", "confidential"] },
        "NoticeDocument": { "allOf": [r("Notice"), { "type": "object", "properties": { "bids": list("BidSummary") }, "required": ["bids"] }] },
        "Grant": { "type": "object", "properties": {
            "id": { "type": "integer" }, "fund_id": { "type": "integer" }, "fund_name": { "type": "string" }, "opcc_id": { "type": "integer" },
            "bid_id": { "type": ["integer", "null"] }, "recipient_id": { "type": "integer" }, "recipient_name": { "type": "string" },
            "title": { "type": "string" }, "awarded": pence, "amount": { "type": "integer", "description": "Pence: the award plus approved variations" },
            "paid": pence, "awarded_on": date, "starts_on": date, "ends_on": date,
            "payment_basis": { "type": "string", "enum": ["advance", "arrears"] },
            "monitoring": { "type": "string", "enum": ["quarterly", "annual", "ad_hoc", "final"] }
        }, "required": ["id", "fund_id", "recipient_id", "title", "awarded", "amount", "paid", "awarded_on", "starts_on", "ends_on"] },
        "MonitoringReturn": { "type": "object", "properties": {
            "id": { "type": "integer" }, "grant_id": { "type": "integer" }, "period": { "type": "string" },
            "period_end": date, "due_on": date, "is_final": { "type": "boolean" }, "submitted_on": maybe_date,
            "report": { "oneOf": [{ "type": "null" }, { "type": "object", "properties": {
                "spend": { "type": "array", "items": { "type": "array", "prefixItems": [{ "type": "string" }, pence] } },
                "outputs": { "type": "string" }, "narrative": { "type": "string" },
                "status": { "type": "string", "enum": ["on_track", "at_risk", "off_track"] } } }] }
        }, "required": ["id", "grant_id", "period", "period_end", "due_on", "is_final"] },
        "GrantDocument": { "allOf": [r("Grant"), { "type": "object", "properties": {
            "conditions": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "condition": { "type": "string" }, "due_on": date, "met_on": maybe_date, "evidence": { "type": "string" } } } },
            "payments": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "due_on": date, "amount": pence, "paid_on": maybe_date } } },
            "variations": { "type": "array", "items": { "type": "object", "properties": {
                "description": { "type": "string" }, "extra": pence, "new_ends_on": maybe_date, "approved_on": date, "approved_by": { "type": "string" } } } },
            "returns": { "oneOf": [{ "type": "null" }, list("MonitoringReturn")] },
            "evaluation": { "oneOf": [{ "type": "null" }, { "type": "object", "properties": {
                "spend": pence, "outputs": { "type": "string" }, "outcomes": { "type": "string" } } }] }
        }, "required": ["conditions", "payments", "variations"] }] }
    });
    (paths, schemas)
}

/// Adds the members of the object `from` to the object `into`.
fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

/// Bodies, meetings and actions: their paths and schemas.
fn boards_document() -> (Value, Value) {
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let list = |name: &str| json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } });
    let paths = json!({
        "/api/v1/bodies": get_op("Every board, panel and sub-group", list("Body"), false),
        "/api/v1/bodies/{id}/meetings": get_op("A body's meetings, latest first", list("Meeting"), true),
        "/api/v1/papers/{id}": get_op("A paper with its sections; a published paper's live blocks as they were frozen when it was published", r("Paper"), true),
        "/api/v1/meetings/{id}": get_op("A meeting: the published agenda without exempt items and the approved notes, with attendance and the actions carried forward (everything, for the body's own organisation)", r("MeetingView"), true),
        "/api/v1/actions": get_op("Every open action the caller may see", list("Action"), false),
        "/api/v1/decisions": get_op("The published decisions register, latest first", list("Decision"), false),
        "/api/v1/funds": get_op("Every fund, with its budget, what is committed and what is left (computed), in pence", list("Fund"), false),
        "/api/v1/funds/{id}": get_op("A fund and the money committed from it", r("FundDocument"), true)
    });
    let schemas = json!({
        "Body": { "type": "object", "properties": {
            "id": { "type": "integer" }, "organisation_id": { "type": "integer" },
            "kind": { "type": "string", "enum": ["board", "panel", "scrutiny_panel", "sub_group"] },
            "name": { "type": "string" }, "description": { "type": "string" }
        }, "required": ["id", "organisation_id", "kind", "name", "description"] },
        "Meeting": { "type": "object", "properties": {
            "id": { "type": "integer" }, "body_id": { "type": "integer" },
            "starts_at": { "type": "string", "description": "UK civil date and time" },
            "place": { "type": "string" },
            "status": { "type": "string", "enum": ["scheduled", "confirmed", "held", "cancelled"] },
            "agenda_published": { "type": "boolean" },
            "notes_status": { "type": "string", "enum": ["none", "draft", "approved"] },
            "webcast_url": { "type": "string", "description": "Where the meeting is broadcast, or empty" }
        }, "required": ["id", "body_id", "starts_at", "place", "status", "agenda_published", "notes_status", "webcast_url"] },
        "Action": { "type": "object", "properties": {
            "id": { "type": "integer" }, "body_id": { "type": "integer" }, "raised_at_meeting_id": { "type": "integer" },
            "raised_on": { "type": "string", "format": "date" }, "description": { "type": "string" }, "owner": { "type": "string" },
            "due_on": { "type": ["string", "null"], "format": "date" }, "status": { "type": "string", "enum": ["open", "closed"] },
            "closed_on": { "type": ["string", "null"], "format": "date" }, "public": { "type": "boolean" }
        }, "required": ["id", "body_id", "raised_at_meeting_id", "raised_on", "description", "owner", "status"] },
        "Decision": { "type": "object", "properties": {
            "id": { "type": "integer" }, "body_id": { "type": "integer" }, "meeting_id": { "type": ["integer", "null"] },
            "title": { "type": "string" }, "decision": { "type": "string" }, "reasons": { "type": "string" },
            "decided_by": { "type": "string" }, "decided_on": { "type": "string", "format": "date" }, "published": { "type": "boolean" }
        }, "required": ["id", "body_id", "title", "decision", "reasons", "decided_by", "decided_on", "published"] },
        "Paper": { "type": "object", "properties": {
            "id": { "type": "integer" }, "agenda_item_id": { "type": "integer" }, "meeting_id": { "type": "integer" },
            "item_position": { "type": "integer" }, "item_title": { "type": "string" }, "title": { "type": "string" },
            "published": { "type": "boolean" }, "published_at": { "type": ["string", "null"] },
            "sections": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "position": { "type": "integer" }, "heading": { "type": "string" }, "body": { "type": "string" },
                "block": { "oneOf": [ { "type": "null" },
                    { "type": "object", "properties": { "kind": { "const": "measure" }, "measure_id": { "type": "integer" }, "area": { "type": "string" } }, "required": ["kind", "measure_id", "area"] },
                    { "type": "object", "properties": { "kind": { "const": "plan_milestones" }, "plan_id": { "type": "integer" } }, "required": ["kind", "plan_id"] },
                    { "type": "object", "properties": { "kind": { "const": "fund_allocations" }, "fund_id": { "type": "integer" } }, "required": ["kind", "fund_id"] } ] },
                "frozen_html": { "type": ["string", "null"], "description": "The block as published" }
            }, "required": ["id", "position", "heading", "body", "block", "frozen_html"] } }
        }, "required": ["id", "agenda_item_id", "meeting_id", "item_position", "item_title", "title", "published", "published_at", "sections"] },
        "Fund": { "type": "object", "properties": {
            "id": { "type": "integer" }, "organisation_id": { "type": "integer" }, "name": { "type": "string" }, "source": { "type": "string" },
            "first_year": { "type": "integer", "description": "The calendar year the first financial year starts in" },
            "last_year": { "type": "integer" }, "spending": { "type": "string", "enum": ["revenue", "capital", "both"] },
            "budget": { "type": "integer", "description": "Pence" }, "committed": { "type": "integer", "description": "Pence" },
            "remaining": { "type": "integer", "description": "Pence: the budget less what is committed" }
        }, "required": ["id", "organisation_id", "name", "source", "first_year", "last_year", "spending", "budget", "committed", "remaining"] },
        "FundDocument": { "allOf": [r("Fund"), { "type": "object", "properties": {
            "commitments": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "description": { "type": "string" }, "recipient_id": { "type": ["integer", "null"] },
                "recipient_name": { "type": ["string", "null"] }, "amount": { "type": "integer", "description": "Pence" },
                "committed_on": { "type": "string", "format": "date" } } } } }, "required": ["commitments"] }] },
        "MeetingView": { "type": "object", "properties": {
            "body": r("Body"), "meeting": r("Meeting"), "drafts_shown": { "type": "boolean" },
            "agenda": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "position": { "type": "integer" }, "section": { "type": "string" },
                "starts_at": { "type": "string" }, "title": { "type": "string" }, "description": { "type": "string" },
                "presenter": { "type": "string" }, "kind": { "type": "string", "enum": ["verbal", "written_report", "for_noting", "presentation"] },
                "exemption": { "type": ["string", "null"] } } } },
            "notes_shown": { "type": "boolean" },
            "attendance": { "type": "array", "items": { "type": "object", "properties": { "name": { "type": "string" }, "role": { "type": "string" }, "attendance": { "type": "string", "enum": ["present", "apologies", "substitute", "observer"] } } } },
            "notes": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "integer" }, "number": { "type": "object", "properties": { "year": { "type": "integer" }, "number": { "type": "integer" } } }, "title": { "type": "string" }, "notes": { "type": "string" } } } },
            "actions": { "type": "array", "items": { "type": "array", "prefixItems": [r("Action"), { "type": "string", "enum": ["outstanding", "closed_here"] }] } },
            "questions": { "type": "array", "items": { "type": "object", "properties": { "kind": { "type": "string", "enum": ["public", "member"] }, "question": { "type": "string" }, "submitted_by": { "type": "string" }, "asked_by": { "type": "string" }, "answer": { "type": "string" } } } },
            "papers": { "type": "array", "items": r("Paper") },
            "declarations": { "type": "array", "items": { "type": "object", "properties": { "minute_item_id": { "type": "integer" }, "member": { "type": "string" }, "interest": { "type": "string" } } } },
            "petitions": { "type": "array", "items": { "type": "object", "properties": { "meeting_id": { "type": ["integer", "null"] }, "title": { "type": "string" }, "lead_petitioner": { "type": "string" }, "signatures": { "type": ["integer", "null"] }, "threshold": { "type": ["integer", "null"] }, "response_due": { "type": ["string", "null"], "format": "date" }, "response": { "type": "string" } } } }
        }, "required": ["body", "meeting", "drafts_shown", "agenda", "notes_shown", "attendance", "notes", "actions"] }
    });
    (paths, schemas)
}

/// Areas, measures, observations and analyses: their paths and schemas.
fn performance_document() -> (Value, Value) {
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let list = |name: &str| json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } });
    let paths = json!({
            "/api/v1/areas": { "get": {
                "summary": "Areas of one kind (force areas by default), or the areas within one",
                "parameters": [
                    { "name": "kind", "in": "query", "required": false, "schema": { "type": "string", "enum": ["force", "csp", "local_authority", "ward", "lsoa"] } },
                    { "name": "parent", "in": "query", "required": false, "schema": { "type": "string" }, "description": "ONS code of the area whose parts to list" }
                ],
                "responses": signed_in_responses(list("Area"))
            } },
            "/api/v1/areas/{code}": { "get": {
                "summary": "One area",
                "parameters": [code_param()],
                "responses": signed_in_responses(r("Area"))
            } },
            "/api/v1/measures": { "get": { "summary": "Every measure", "responses": signed_in_responses(list("Measure")) } },
            "/api/v1/measures/{id}/areas/{code}/observations": { "get": {
                "summary": "A measure's series in an area: every period from the first to the last, value null where nothing was published",
                "parameters": [id_param(), code_param()],
                "responses": signed_in_responses(r("Observations"))
            } },
            "/api/v1/measures/{id}/areas/{code}/analysis": { "get": {
                "summary": "A measure's SPC analysis in an area, as safer spc analyse --format json gives it",
                "parameters": [id_param(), code_param()],
                "responses": signed_in_responses(r("MeasureAnalysis"))
            } }
    });
    let schemas = json!({
            "Area": { "type": "object", "properties": {
                "code": { "type": "string", "description": "ONS code" },
                "kind": { "type": "string", "enum": ["force", "csp", "local_authority", "ward", "lsoa"] },
                "name": { "type": "string" },
                "parent_code": { "type": ["string", "null"] },
                "population": { "type": ["integer", "null"], "description": "Residents, ONS mid-2017 estimate" }
            }, "required": ["code", "kind", "name", "parent_code", "population"] },
            "Measure": { "type": "object", "properties": {
                "id": { "type": "integer", "format": "int64" },
                "organisation_id": { "type": "integer", "format": "int64" },
                "name": { "type": "string" },
                "description": { "type": "string" },
                "source": { "type": "object", "properties": { "kind": { "type": "string", "enum": ["street", "stop_and_search", "entered"] }, "categories": { "type": "array", "items": { "type": "string" }, "description": "police.uk category slugs, for street measures" } }, "required": ["kind"] },
                "unit": { "type": "string", "enum": ["count", "percentage", "rate_per_1000"] },
                "polarity": { "type": "string", "enum": ["higher_is_better", "lower_is_better", "neither"] },
                "frequency": { "type": "string", "enum": ["monthly", "quarterly", "annual"] },
                "target": { "type": ["object", "null"], "properties": { "kind": { "type": "string", "enum": ["level", "change"] }, "value": { "type": "number" }, "percent": { "type": "number" }, "from": { "type": "string" }, "to": { "type": "string" } } },
                "objective_id": { "type": ["integer", "null"] }
            }, "required": ["id", "organisation_id", "name", "description", "source", "unit", "polarity", "frequency", "target", "objective_id"] },
            "Observations": { "type": "object", "properties": {
                "measure": r("Measure"), "area": r("Area"),
                "observations": { "type": "array", "items": { "type": "object", "properties": {
                    "period": { "type": "string", "description": "YYYY-MM" },
                    "value": { "type": ["number", "null"], "description": "null: nothing published or entered (never zero)" },
                    "denominator": { "type": ["number", "null"] }
                }, "required": ["period", "value", "denominator"] } }
            }, "required": ["measure", "area", "observations"] },
            "MeasureAnalysis": { "type": "object", "properties": {
                "measure_id": { "type": "integer" }, "area_code": { "type": "string" },
                "target": { "type": ["number", "null"], "description": "The target level in this area" },
                "narrative": { "type": "string" },
                "analysis": { "type": ["object", "null"], "description": "series, chart, phases, points, assurance and narrative, as documented for safer spc analyse; null with too few values" }
            }, "required": ["measure_id", "area_code", "target", "narrative", "analysis"] }
    });
    (paths, schemas)
}

/// Organisations, plans and milestones.
fn core_document() -> Value {
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let list = |name: &str| json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } });
    let due = json!({ "type": "object", "properties": { "from": { "type": ["string", "null"], "format": "date" }, "to": { "type": ["string", "null"], "format": "date" }, "text": { "type": "string" } }, "required": ["from", "to", "text"] });
    let status =
        json!({ "type": "string", "enum": ["not_started", "on_track", "at_risk", "late", "done"] });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "safer API",
            "version": "1",
            "description": "Organisations, plans and milestones; areas, measures, observations and SPC analyses. Partnership records are visible only to the partnership's members and to officers of the policing body for its area (sign in with the web form; the session cookie authenticates API calls). Errors are application/problem+json."
        },
        "paths": {
            "/api/v1/organisations": get_op("Every organisation", list("Organisation"), false),
            "/api/v1/organisations/{id}": get_op("One organisation with its local authority areas", r("OrganisationDetail"), true),
            "/api/v1/plans": get_op("The plans visible to the caller", list("PlanSummary"), false),
            "/api/v1/plans/{id}": get_op("One plan with its priorities, objectives, deliverables and milestones", r("PlanDocument"), true),
            "/api/v1/milestones/{id}": get_op("One milestone with its history", r("MilestoneDocument"), true),
            "/api/v1/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "OK", "content": { "application/json": {} } } } } }
        },
        "components": { "schemas": {
            "Problem": { "type": "object", "properties": { "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" }, "detail": { "type": "string" } }, "required": ["type", "title", "status"] },
            "Organisation": { "type": "object", "properties": {
                "id": { "type": "integer", "format": "int64" },
                "kind": { "type": "string", "enum": ["policing_body", "partnership", "partner"] },
                "name": { "type": "string" },
                "policing_body_id": { "type": ["integer", "null"], "format": "int64" },
                "force_area_code": { "type": ["string", "null"], "description": "ONS code of the police force area" },
                "force_area_name": { "type": ["string", "null"] }
            }, "required": ["id", "kind", "name"] },
            "OrganisationDetail": { "allOf": [r("Organisation"), { "type": "object", "properties": { "local_authority_areas": { "type": "array", "items": { "type": "object", "properties": { "code": { "type": "string" }, "name": { "type": "string" } }, "required": ["code", "name"] } } }, "required": ["local_authority_areas"] }] },
            "PlanSummary": { "type": "object", "properties": {
                "id": { "type": "integer", "format": "int64" },
                "title": { "type": "string" },
                "kind": { "type": "string", "enum": ["police_and_crime", "partnership"] },
                "organisation_id": { "type": "integer", "format": "int64" },
                "organisation_name": { "type": "string" },
                "starts_on": { "type": "string", "format": "date" },
                "ends_on": { "type": "string", "format": "date" }
            }, "required": ["id", "title", "kind", "organisation_id", "organisation_name", "starts_on", "ends_on"] },
            "Milestone": { "type": "object", "properties": {
                "id": { "type": "integer", "format": "int64" }, "deliverable_id": { "type": "integer", "format": "int64" }, "position": { "type": "integer" },
                "title": { "type": "string" }, "description": { "type": "string" }, "due": due, "status": status,
                "version": { "type": "integer" }, "updated_at": { "type": "string", "format": "date-time" }
            }, "required": ["id", "deliverable_id", "position", "title", "description", "due", "status", "version", "updated_at"] },
            "PlanDocument": { "allOf": [r("PlanSummary"), { "type": "object", "properties": { "priorities": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "position": { "type": "integer" }, "title": { "type": "string" }, "description": { "type": "string" },
                "objectives": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "integer" }, "position": { "type": "integer" }, "title": { "type": "string" } } } },
                "supports": { "type": "array", "items": { "type": "object", "properties": { "objective_id": { "type": "integer" }, "title": { "type": "string" }, "priority_title": { "type": "string" }, "plan_id": { "type": "integer" } } } },
                "deliverables": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "integer" }, "position": { "type": "integer" }, "title": { "type": "string" }, "description": { "type": "string" }, "milestones": list("Milestone") } } }
            } } } }, "required": ["priorities"] }] },
            "MilestoneDocument": { "type": "object", "properties": {
                "milestone": r("Milestone"), "deliverable_title": { "type": "string" }, "priority_title": { "type": "string" }, "plan": r("PlanSummary"),
                "updates": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "integer" }, "recorded_on": { "type": "string", "format": "date" }, "status": status, "note": { "type": "string" }, "author": { "type": "string" } } } }
            }, "required": ["milestone", "deliverable_title", "priority_title", "plan", "updates"] }
        } }
    })
}
