//! The JSON API under `/api/v1`, mirroring the pages: organisations, plans and milestones, with
//! the same scoping (a partnership's plan is "not found" to anyone outside it). Errors are
//! `application/problem+json`.
//!
//! The OpenAPI document is written out here rather than derived by a macro crate: the API is
//! small, and a test checks that it documents exactly the routes the router serves.

use crate::AppState;
use crate::error::ApiError;
use crate::session::Viewer;
use axum::Json;
use axum::extract::{Path, State};
use safer_store::organisations::{self, Organisation};
use safer_store::plans::{self, MilestoneDocument, PlanDocument, PlanSummary};
use serde::Serialize;
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

/// The OpenAPI document, as a value.
pub fn openapi_document() -> Value {
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
            "description": "Organisations, plans and milestones. Partnership records are visible only to the partnership's members and to officers of the policing body for its area (sign in with the web form; the session cookie authenticates API calls). Errors are application/problem+json."
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
