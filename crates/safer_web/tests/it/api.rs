//! The JSON API: scoping, problem+json errors, and an OpenAPI document that matches the routes.

use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use safer_web::routes::routes;
use serde_json::Value;

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_api_routes() {
    let app = TestApp::new().await;
    let mut c = Client::default();
    let page = app.get(&mut c, "/api/v1/openapi.json").await;
    assert_eq!(page.status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let mut served: Vec<String> = routes()
        .into_iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| r.path.to_owned())
        .collect();
    documented.sort();
    served.sort();
    assert_eq!(documented, served);
    // Every $ref points at a schema that exists.
    let text = page.body.clone();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref to {name}"
        );
    }
}

#[tokio::test]
async fn plans_through_the_api_follow_the_same_scoping_as_the_pages() {
    let app = TestApp::new().await;
    let solihull = app.plan_id("Safer Solihull Partnership Plan 2015/16").await;
    let mut public = Client::default();
    let listed: Value =
        serde_json::from_str(&app.get(&mut public, "/api/v1/plans").await.body).unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["kind"] == "police_and_crime")
    );
    let hidden = app
        .get(&mut public, &format!("/api/v1/plans/{solihull}"))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(
        hidden.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    let problem: Value = serde_json::from_str(&hidden.body).unwrap();
    assert_eq!(problem["status"], 404);
    let mut manager = app.sign_in("manager@solihull.example").await;
    let plan: Value = serde_json::from_str(
        &app.get(&mut manager, &format!("/api/v1/plans/{solihull}"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(plan["organisation_name"], "Safer Solihull Partnership");
    assert_eq!(plan["priorities"].as_array().unwrap().len(), 4);
    assert_eq!(
        plan["priorities"][0]["title"],
        "Better protecting people from harm"
    );
    let unknown = app.get(&mut public, "/api/v1/nothing-here").await;
    assert_eq!(
        unknown.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    let orgs: Value =
        serde_json::from_str(&app.get(&mut public, "/api/v1/organisations").await.body).unwrap();
    assert_eq!(
        orgs.as_array()
            .unwrap()
            .iter()
            .filter(|o| o["kind"] == "partnership")
            .count(),
        8
    );
}
