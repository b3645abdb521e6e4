//! `bench-boards`: listing outstanding actions across 10,000 actions, and drawing a meeting's
//! page with a 20-item agenda and 20 numbered notes.
//!
//! The database is a fresh SQLite file with the demo data and a board with 120 monthly
//! meetings and 10,080 actions, half of them closed along the way. Prints medians of 21 runs:
//! every open action across bodies; one late meeting's "actions outstanding" list; and the
//! meeting page, fetched over HTTP from a running server as the public would. Targets: the
//! action lists under 20 ms; the agenda pack under 100 ms (papers are not built yet, so the
//! page stands in for the pack).
//!
//! Run with `cargo run --profile bench -p safer_bench --bin bench-boards`.

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use jiff::civil::date;
use safer_bench::median;
use safer_core::boards::{ActionStatus, BodyKind, ItemKind, MeetingStatus};
use safer_store::boards::{self, NewAgendaItem};
use safer_store::{Author, Db, demo, organisations};
use safer_web::{AppState, WebConfig};
use std::time::{Duration, Instant};

const MEETINGS: i64 = 120;
const ACTIONS_PER_MEETING: i64 = 84;
const RUNS: usize = 21;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = Db::connect(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await
    .expect("a database");
    db.migrate().await.expect("migrations");
    demo::load(&db).await.expect("the demo data");
    let a = Author::system("bench");
    let owner = organisations::list(&db).await.expect("organisations")[0].id;
    let body = boards::create_body(&db, &a, owner, BodyKind::Board, "Bench Board", "")
        .await
        .expect("a body");
    let started = Instant::now();
    let mut meetings = Vec::new();
    for m in 0..MEETINGS {
        let month = date(2016, 1, 12)
            .checked_add(jiff::Span::new().months(m))
            .expect("a month");
        let id = boards::create_meeting(
            &db,
            &a,
            body,
            month.at(10, 0, 0, 0),
            "Lloyd House",
            MeetingStatus::Held,
        )
        .await
        .expect("a meeting");
        boards::approve_notes(&db, &a, id).await.expect("approved");
        meetings.push((id, month));
    }
    let mut raised = 0;
    for (k, (meeting, _)) in meetings.iter().enumerate() {
        for i in 0..ACTIONS_PER_MEETING {
            let action = boards::raise_action(
                &db,
                &a,
                *meeting,
                None,
                &format!("Action {i} of meeting {k}"),
                "Chief Finance Officer",
                None,
            )
            .await
            .expect("an action");
            raised += 1;
            // Half are closed, at a meeting one to twelve months later.
            if i % 2 == 0 {
                let later = (k + 1 + (i as usize % 12)).min(meetings.len() - 1);
                boards::update_action(
                    &db,
                    &a,
                    action,
                    meetings[later].1,
                    ActionStatus::Closed,
                    "Done",
                )
                .await
                .expect("closed");
            }
        }
    }
    println!(
        "{raised} actions on {MEETINGS} meetings, made in {:.1} s; {RUNS} runs each, medians",
        started.elapsed().as_secs_f64()
    );

    let mut open = Vec::new();
    let mut count = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        count = boards::open_actions(&db).await.expect("open actions").len();
        open.push(t.elapsed());
    }
    let open = median(open);
    let (last, _) = meetings[meetings.len() - 1];
    let mut outstanding = Vec::new();
    let mut listed = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        listed = boards::actions_for_meeting(&db, last)
            .await
            .expect("the list")
            .len();
        outstanding.push(t.elapsed());
    }
    let outstanding = median(outstanding);
    println!(
        "  every open action across bodies: {:.2} ms ({count} actions)",
        ms(open)
    );
    println!(
        "  the last meeting's actions outstanding: {:.2} ms ({listed} listed); target under 20 ms: {}",
        ms(outstanding),
        if open.max(outstanding) < Duration::from_millis(20) {
            "met"
        } else {
            "NOT met"
        }
    );

    // A meeting with a 20-item agenda and 20 numbered notes, as the public sees it.
    let (page_meeting, _) = meetings[meetings.len() - 2];
    for i in 1..=20 {
        let title = format!("Report {i}: performance against the Police and Crime Plan");
        boards::add_agenda_item(
            &db,
            &a,
            page_meeting,
            &NewAgendaItem {
                section: "Police and Crime Plan",
                starts_at: "10:00",
                title: &title,
                description: "A written report to the Board, with the Chief Constable's response.",
                presenter: "Assistant Chief Constable",
                kind: ItemKind::WrittenReport,
                exemption: None,
            },
        )
        .await
        .expect("an agenda item");
        boards::add_minute_item(
            &db,
            &a,
            page_meeting,
            &title,
            "The Board discussed the report.",
        )
        .await
        .expect("a note");
    }
    boards::publish_agenda(&db, &a, page_meeting)
        .await
        .expect("published");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!(
        "http://127.0.0.1:{}/meetings/{page_meeting}",
        listener.local_addr().expect("an address").port()
    );
    let state = AppState::new(db.clone(), WebConfig::default());
    tokio::spawn(safer_web::serve(listener, state, std::future::pending()));
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut page = Vec::new();
    let mut bytes = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let response = client
            .request(Request::get(&url).body(Full::default()).expect("a request"))
            .await
            .expect("the page");
        assert!(response.status().is_success());
        bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body")
            .to_bytes()
            .len();
        page.push(t.elapsed());
    }
    let page = median(page);
    println!(
        "  a meeting's page with 20 agenda items and 20 numbered notes, over HTTP: {:.2} ms ({} KB); target under 100 ms: {}",
        ms(page),
        bytes / 1024,
        if page < Duration::from_millis(100) {
            "met"
        } else {
            "NOT met"
        }
    );
}
