//! Input that would once have eaten the server or locked people out, sent as a careless user or
//! an attacker would: each is refused with a message that says what to fix, quickly, in bounded
//! memory, and nothing of it is stored.

use crate::commissioning::{invest_to_save, open_round};
use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use safer_core::limits;
use safer_core::measures::Source;
use safer_store::demo;
use std::time::{Duration, Instant};

/// The most memory (resident set) the test process, server included, may reach.
const MEMORY_BOUND_MIB: u64 = 300;

/// The peak resident set of this process so far, in MiB. nextest runs each test in a process of
/// its own, so this is the peak of this test.
fn peak_memory_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib / 1024
}

async fn survey_measure(app: &TestApp) -> i64 {
    safer_store::measures::list(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.details.source == Source::Entered)
        .unwrap()
        .id
}

#[tokio::test]
async fn a_zip_bomb_of_values_is_refused_in_under_a_second_in_bounded_memory() {
    let app = TestApp::new().await;
    let measure = survey_measure(&app).await;
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let bomb = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../safer_import/tests/data/bomb.xlsx"
    ))
    .unwrap();
    let started = Instant::now();
    let page = app
        .post_file(
            &mut officer,
            &format!("/performance/measures/{measure}/values"),
            "bomb.xlsx",
            &bomb,
        )
        .await;
    let took = started.elapsed();
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-summary")
            .contains("unpacks to more than 50 MB")
    );
    assert!(
        page.body.len() < 100_000,
        "the page is {} bytes",
        page.body.len()
    );
    assert!(took < Duration::from_secs(1), "took {took:?}");
    let peak = peak_memory_mib();
    assert!(peak < MEMORY_BOUND_MIB, "the process reached {peak} MiB");
}

#[tokio::test]
async fn bodies_over_their_routes_limits_get_413_saying_the_limit() {
    let app = TestApp::new().await;
    let measure = survey_measure(&app).await;
    let mut officer = app.sign_in("officer@west-midlands.example").await;

    // A values file over 5 MB: the measure's page again, with the limit on the file field.
    let values = format!("/performance/measures/{measure}/values");
    let big = vec![b'1'; limits::VALUES_FILE_BYTES + limits::FORM_FRAMING_BYTES];
    let page = app
        .post_file(&mut officer, &values, "waves.csv", &big)
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        page.text(".govuk-error-message"),
        "Error: The file must be smaller than 5 MB"
    );
    assert!(
        page.body.contains("action=\"/performance/measures/"),
        "the form is there again"
    );

    // A text form over 1 MB: a page that says how much a form may send.
    let plan = app.plan_id("Safer Solihull Partnership Plan 2015/16").await;
    let mut manager = app.sign_in("manager@solihull.example").await;
    let long = "a".repeat(limits::FORM_BYTES);
    let page = app
        .post(
            &mut manager,
            &format!("/plans/{plan}/priorities"),
            &[("title", &long)],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.body.contains("A form can send at most 1 MB"),
        "{}",
        page.text("main")
    );
}

#[tokio::test]
async fn an_attachment_of_1_5_mb_is_taken_and_one_of_3_mb_gets_the_form_with_the_limit() {
    let app = TestApp::new().await;
    let fund = invest_to_save(&app).await;
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let round = open_round(&app, &mut officer, fund).await;
    let mut manager = app.sign_in("manager@solihull.example").await;
    let page = app
        .post(
            &mut manager,
            &format!("{round}/bids"),
            &[("title", "Street marshals"), ("reference", "S2")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let bid = page.location().trim_end_matches("/edit").to_owned();
    let attach = format!("{bid}/attachments");
    let page = app
        .post_file(&mut manager, &attach, "plan.pdf", &vec![b'%'; 1_572_864])
        .await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "{}",
        page.text(".govuk-error-summary")
    );
    let page = app
        .post_file(
            &mut manager,
            &attach,
            "budget.pdf",
            &vec![b'%'; 3 * 1024 * 1024],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.text(".govuk-error-summary")
            .contains("The file must be smaller than 2 MB"),
        "{}",
        page.text("main")
    );
    let applicant = app.actor("manager@solihull.example").await;
    let files = safer_store::bids::attachments(
        &app.state.db,
        &applicant.scope(),
        bid.rsplit('/').next().unwrap().parse().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(files.len(), 1, "only the 1.5 MB file is attached");
}

#[tokio::test]
async fn text_with_a_null_byte_or_bytes_that_are_not_utf8_is_refused_on_its_field() {
    let app = TestApp::new().await;
    let plan = app.plan_id("Safer Solihull Partnership Plan 2015/16").await;
    let mut manager = app.sign_in("manager@solihull.example").await;
    let path = format!("/plans/{plan}/priorities");
    let page = app
        .post(&mut manager, &path, &[("title", "Safer\0 streets")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-message").contains("null byte"),
        "{}",
        page.text("main")
    );
    let body = format!("csrf={}&title=Caf%E9+culture", manager.csrf);
    let page = app.post_raw(&mut manager, &path, body, None).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-message").contains("not UTF-8"),
        "{}",
        page.text("main")
    );
    let stored = app.get(&mut manager, &format!("/plans/{plan}")).await;
    assert!(!stored.body.contains("Safer\0") && !stored.body.contains('\u{fffd}'));
}

#[tokio::test]
async fn a_stranger_guessing_cannot_lock_the_owner_out() {
    let app = TestApp::new().await;
    let email = "member@solihull.example";
    // The owner has signed in on this browser before, so it carries a device cookie.
    let mut owner = Client {
        address: Some("192.0.2.10:50000".parse().unwrap()),
        ..Client::default()
    };
    let sign_in = |password: &'static str| [("email", email), ("password", password)];
    app.get(&mut owner, "/sign-in").await;
    let page = app
        .post(&mut owner, "/sign-in", &sign_in(demo::DEMO_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.get(&mut owner, "/").await;
    let page = app.post(&mut owner, "/sign-out", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    let mut stranger = Client {
        address: Some("203.0.113.66:41000".parse().unwrap()),
        ..Client::default()
    };
    app.get(&mut stranger, "/sign-in").await;
    for _ in 0..5 {
        let page = app.post(&mut stranger, "/sign-in", &sign_in("guess")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = app
        .post(&mut stranger, "/sign-in", &sign_in(demo::DEMO_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.text("main").contains("Wait 15 minutes"),
        "{}",
        page.text("main")
    );

    // The owner's browser signs in while the stranger is throttled; so does the owner on a
    // new browser from another address.
    app.get(&mut owner, "/sign-in").await;
    let page = app
        .post(&mut owner, "/sign-in", &sign_in(demo::DEMO_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text("main"));
    let mut phone = Client {
        address: Some("198.51.100.20:52000".parse().unwrap()),
        ..Client::default()
    };
    app.get(&mut phone, "/sign-in").await;
    let page = app
        .post(&mut phone, "/sign-in", &sign_in(demo::DEMO_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.text("main"));
    let page = app
        .post(&mut stranger, "/sign-in", &sign_in(demo::DEMO_PASSWORD))
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}
