//! Sign-in, sessions, CSRF, throttling and the security headers, over HTTP in process.

use crate::support::{Client, TestApp};
use axum::http::{StatusCode, header};
use jiff::{SignedDuration, Timestamp};
use safer_store::{Author, demo, sessions, users};
use safer_web::WebConfig;

#[tokio::test]
async fn signing_in_starts_a_session_with_a_secure_cookie_and_signing_out_ends_it() {
    let app = TestApp::new().await;
    let mut c = Client::default();
    let form = app.get(&mut c, "/sign-in").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("__Host-safer-csrf="))
    );
    let page = app
        .post(
            &mut c,
            "/sign-in",
            &[
                ("email", "Manager@Solihull.example"),
                ("password", demo::DEMO_PASSWORD),
                ("next", "/plans"),
            ],
        )
        .await;
    assert_eq!(
        (page.status, page.location()),
        (StatusCode::SEE_OTHER, "/plans")
    );
    let cookie = page
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-safer-session="), "{cookie}");
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(
            cookie.contains(attribute),
            "the session cookie lacks {attribute}: {cookie}"
        );
    }
    let home = app.get(&mut c, "/").await;
    assert!(home.body.contains("Signed in as Priya Manager"));
    let stolen = c.clone();
    let out = app.post(&mut c, "/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let mut replay = stolen;
    let page = app.get(&mut replay, "/account").await;
    assert!(
        page.location().starts_with("/sign-in"),
        "a copied cookie is useless once signed out"
    );
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_and_an_off_site_next_is_ignored() {
    let app = TestApp::new().await;
    let mut c = Client::default();
    app.get(&mut c, "/sign-in").await;
    let page = app
        .post(
            &mut c,
            "/sign-in",
            &[
                ("email", "manager@solihull.example"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.text(".govuk-error-summary__title"),
        "There is a problem"
    );
    assert!(page.text("title").starts_with("Error: "));
    assert!(
        page.body
            .contains("Enter a correct email address and password")
    );
    let empty = app.post(&mut c, "/sign-in", &[]).await;
    assert!(
        empty
            .text(".govuk-error-summary__list")
            .contains("Enter your email address")
    );
    assert!(
        empty
            .text("#password-error")
            .contains("Enter your password")
    );
    let page = app
        .post(
            &mut c,
            "/sign-in",
            &[
                ("email", "manager@solihull.example"),
                ("password", demo::DEMO_PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(page.location(), "/");
}

#[tokio::test]
async fn forms_without_this_sessions_token_or_from_another_site_are_refused() {
    let app = TestApp::new().await;
    let plan = app.plan_id("Safer Solihull Partnership Plan 2015/16").await;
    let mut c = app.sign_in("manager@solihull.example").await;
    let path = format!("/plans/{plan}/priorities");
    let missing = app
        .post_raw(&mut c, &path, "title=Injected".into(), None)
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("Your form could not be accepted"));
    let wrong = app
        .post_raw(
            &mut c,
            &path,
            "csrf=not-the-token&title=Injected".into(),
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let body = format!("csrf={}&title=Injected", c.csrf);
    let cross_site = app
        .post_raw(&mut c, &path, body.clone(), Some("https://evil.example"))
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    // Another person's token does not work either.
    let other = app.sign_in("manager@dudley.example").await;
    let borrowed = app
        .post_raw(
            &mut c,
            &path,
            format!("csrf={}&title=Injected", other.csrf),
            None,
        )
        .await;
    assert_eq!(borrowed.status, StatusCode::FORBIDDEN);
    let doc = app.get(&mut c, &format!("/plans/{plan}")).await;
    assert!(!doc.body.contains("Injected"), "nothing refused was stored");
    let same_site = app
        .post_raw(&mut c, &path, body, Some("http://localhost"))
        .await;
    assert_eq!(same_site.status, StatusCode::SEE_OTHER);
    // Signing in needs the anonymous token too.
    let mut stranger = Client::default();
    let page = app
        .post_raw(
            &mut stranger,
            "/sign-in",
            format!(
                "email=manager%40solihull.example&password={}",
                demo::DEMO_PASSWORD
            ),
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_expired_session_asks_the_person_to_sign_in_again() {
    let app = TestApp::new().await;
    let mut c = app.sign_in("manager@solihull.example").await;
    assert_eq!(app.get(&mut c, "/account").await.status, StatusCode::OK);
    let token = c
        .cookies
        .iter()
        .find(|(k, _)| k == "__Host-safer-session")
        .unwrap()
        .1
        .clone();
    sessions::set_expiry(
        &app.state.db,
        &sessions::hash_token(&token),
        Timestamp::now() - SignedDuration::from_secs(1),
    )
    .await
    .unwrap();
    let page = app.get(&mut c, "/account").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/sign-in?next=%2Faccount");
}

#[tokio::test]
async fn sessions_end_after_the_idle_timeout() {
    let config = WebConfig {
        sessions: sessions::SessionPolicy {
            idle: SignedDuration::from_secs(1),
            absolute: SignedDuration::from_hours(1),
        },
        ..WebConfig::default()
    };
    let app = TestApp::with_config(config).await;
    let mut c = app.sign_in("manager@solihull.example").await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert!(
        app.get(&mut c, "/account")
            .await
            .location()
            .starts_with("/sign-in")
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_address_even_for_the_right_password() {
    let app = TestApp::new().await;
    let mut c = Client::default();
    app.get(&mut c, "/sign-in").await;
    for _ in 0..5 {
        let page = app
            .post(
                &mut c,
                "/sign-in",
                &[("email", "member@solihull.example"), ("password", "guess")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = app
        .post(
            &mut c,
            "/sign-in",
            &[
                ("email", "member@solihull.example"),
                ("password", demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("Too many attempts to sign in"));
    // Other addresses are unaffected.
    app.sign_in("board@solihull.example").await;
    let failures = safer_store::audit::list(
        &app.state.db,
        &safer_store::audit::AuditFilter {
            action: Some("sign_in_failed".into()),
            ..Default::default()
        },
        10,
        0,
    )
    .await
    .unwrap();
    assert_eq!(failures.len(), 5);
}

#[tokio::test]
async fn a_disabled_user_cannot_sign_in_and_loses_their_session() {
    let app = TestApp::new().await;
    let mut c = app.sign_in("member@solihull.example").await;
    let user = users::find_by_email(&app.state.db, "member@solihull.example")
        .await
        .unwrap()
        .unwrap();
    users::set_disabled(&app.state.db, &Author::system("test"), user.id, true)
        .await
        .unwrap();
    assert!(
        app.get(&mut c, "/account")
            .await
            .location()
            .starts_with("/sign-in")
    );
    let mut fresh = Client::default();
    app.get(&mut fresh, "/sign-in").await;
    let page = app
        .post(
            &mut fresh,
            "/sign-in",
            &[
                ("email", "member@solihull.example"),
                ("password", demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::new().await;
    let mut here = app.sign_in("manager@solihull.example").await;
    let mut elsewhere = app.sign_in("manager@solihull.example").await;
    app.get(&mut here, "/account/password").await;
    let bad = app
        .post(
            &mut here,
            "/account/password",
            &[("current", "nope"), ("new", "short"), ("confirm", "short")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text("#current-error")
            .contains("Your current password is not correct")
    );
    assert!(bad.text("#new-error").contains("12 characters or more"));
    let new = "a much longer new password";
    let ok = app
        .post(
            &mut here,
            "/account/password",
            &[
                ("current", demo::DEMO_PASSWORD),
                ("new", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("Your password has been changed"));
    assert_eq!(app.get(&mut here, "/account").await.status, StatusCode::OK);
    assert!(
        app.get(&mut elsewhere, "/account")
            .await
            .location()
            .starts_with("/sign-in")
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    let mut c = Client::default();
    for path in [
        "/",
        "/plans",
        "/no-such-page",
        "/api/v1/plans",
        "/assets/app.css",
    ] {
        let page = app.get(&mut c, path).await;
        let csp = page
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        assert!(
            csp.contains("default-src 'self'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            page.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            page.headers.get(header::X_FRAME_OPTIONS).unwrap(),
            "DENY",
            "{path}"
        );
        assert!(page.headers.contains_key(header::REFERRER_POLICY), "{path}");
    }
    // Pages link to their stylesheet with a content version, which may be cached for a year.
    let home = app.get(&mut c, "/").await;
    let css = home
        .html()
        .select(&scraper::Selector::parse("link[rel=stylesheet]").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    assert!(css.starts_with("/assets/app.css?v="), "{css}");
    let versioned = app.get(&mut c, &css).await;
    assert_eq!(
        versioned.headers.get(header::CACHE_CONTROL).unwrap(),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        app.get(&mut c, "/assets/app.css")
            .await
            .headers
            .get(header::CACHE_CONTROL)
            .unwrap(),
        "public, max-age=3600"
    );
    let missing = app.get(&mut c, "/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.text("h1"), "Page not found");
    assert!(
        missing
            .text(".govuk-generic-header")
            .contains("West Midlands Office of the Police and Crime Commissioner")
    );
    assert_eq!(
        app.get(&mut c, "/plans/not-a-number").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_stale_milestone_edit_is_refused_with_a_clear_message() {
    let app = TestApp::new().await;
    let plan = app.plan_id("Safer Solihull Partnership Plan 2015/16").await;
    let mut c = app.sign_in("manager@solihull.example").await;
    let doc = safer_store::plans::document(
        &app.state.db,
        &app.actor("manager@solihull.example").await.scope(),
        plan,
    )
    .await
    .unwrap()
    .unwrap();
    let milestone = doc.priorities[0].deliverables[0].milestones[0].id;
    let form = app
        .get(&mut c, &format!("/milestones/{milestone}/edit"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let fields = |title: &'static str| {
        vec![
            ("title", title),
            ("due-period", "September 2015"),
            ("status", "on_track"),
            ("version", "1"),
        ]
    };
    let first = app
        .post(
            &mut c,
            &format!("/milestones/{milestone}/edit"),
            &fields("First tab's title"),
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = app
        .post(
            &mut c,
            &format!("/milestones/{milestone}/edit"),
            &fields("Second tab's title"),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("Someone else changed this first"));
    let page = app.get(&mut c, &format!("/milestones/{milestone}")).await;
    assert_eq!(page.text("h1"), "First tab's title");
}

#[tokio::test]
async fn administrators_filter_the_audit_log_and_export_it_as_csv() {
    let app = TestApp::new().await;
    let mut admin = app.sign_in("admin@west-midlands.example").await;
    let page = app
        .get(
            &mut admin,
            "/admin/audit?record_type=milestone&action=record_progress",
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page
        .html()
        .select(&scraper::Selector::parse("tbody tr").unwrap())
        .count();
    assert_eq!(
        rows, 7,
        "the demo records progress on the seven Commission milestones that have started"
    );
    let bad = app.get(&mut admin, "/admin/audit?from=yesterday").await;
    assert!(
        bad.text(".govuk-error-summary")
            .contains("The ‘from’ date must be a real date")
    );
    assert!(bad.body.contains("href=\"#from\""));
    assert!(
        bad.text("#from-error").contains("must be a real date"),
        "the message also stands beside the field"
    );
    assert_eq!(
        page.text("#record_type option[selected]"),
        "milestone",
        "the filter keeps its choice"
    );

    let csv = app
        .get(
            &mut admin,
            "/admin/audit.csv?record_type=milestone&action=record_progress",
        )
        .await;
    assert_eq!(
        csv.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/csv; charset=utf-8"
    );
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "id");
    assert_eq!(&headers[9], "after");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 7);
    assert!(
        records
            .iter()
            .all(|r| &r[4] == "record_progress" && &r[5] == "milestone")
    );
    assert!(
        records
            .iter()
            .any(|r| r[9].contains("Launched at a public event")),
        "the after-image is in the export"
    );
}
