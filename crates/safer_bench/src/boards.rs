//! `bench-boards`: listing outstanding actions across 10,000 actions, and rendering a meeting's
//! page and its full agenda pack of 20 papers.
//!
//! The database is a fresh SQLite file with the demo data and a board with 120 monthly
//! meetings and 10,080 actions, half of them closed along the way. One meeting has a 20-item
//! agenda, 20 numbered notes, and a published paper for each item with two paragraphs, a
//! measure's chart, narrative and table, and the Police and Crime Plan's milestones, frozen as
//! the web layer renders them. Prints medians of 21 runs: every open action across bodies; one
//! late meeting's "actions outstanding" list; the meeting page and its agenda pack, fetched over
//! HTTP from a running server as the public would. Targets: the action lists under 20 ms; the
//! pack under 100 ms.
//!
//! Run with `cargo run --profile bench -p safer_bench --bin bench-boards`.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use jiff::civil::date;
use safer_bench::{demo_database, median, time_get};
use safer_core::access::ReadScope;
use safer_core::boards::{ActionStatus, BodyKind, ItemKind, MeetingStatus};
use safer_core::papers::LiveBlock;
use safer_core::police::YearMonth;
use safer_store::boards::{self, Audience, NewAgendaItem};
use safer_store::measures::{self, Observation};
use safer_store::{Author, organisations};
use safer_store::{papers, plans};
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
    let (_dir, db) = demo_database().await;
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

    // The bench board's own officers see every one of its open actions.
    let holder = organisations::get(&db, owner)
        .await
        .expect("the owner")
        .expect("the owner exists");
    let scope = safer_core::access::Actor {
        user_id: 0,
        display_name: "Bench officer".into(),
        memberships: vec![safer_core::access::Membership {
            organisation: holder.owner(),
            role: safer_core::access::Role::OpccOfficer,
        }],
    }
    .scope();
    let mut open = Vec::new();
    let mut count = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        count = boards::open_actions(&db, &scope)
            .await
            .expect("open actions")
            .len();
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
    let state = AppState::new(db.clone(), WebConfig::default());
    let papers_made = papers_for(&state, &a, page_meeting).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!(
        "http://127.0.0.1:{}/meetings/{page_meeting}",
        listener.local_addr().expect("an address").port()
    );
    tokio::spawn(safer_web::serve(listener, state, std::future::pending()));
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let (page, bytes) = time_get(&client, &url, None, RUNS).await;
    println!(
        "  a meeting's page with 20 agenda items and 20 numbered notes, over HTTP: {:.2} ms ({} KB); target under 100 ms: {}",
        ms(page),
        bytes / 1024,
        verdict(page)
    );
    let (pack, bytes) = time_get(&client, &format!("{url}/pack"), None, RUNS).await;
    println!(
        "  its agenda pack with {papers_made} published papers (each with a measure's chart and table and a plan's milestones, frozen), over HTTP: {:.2} ms ({} KB); target under 100 ms: {}",
        ms(pack),
        bytes / 1024,
        verdict(pack)
    );
}

fn verdict(t: Duration) -> &'static str {
    if t < Duration::from_millis(100) {
        "met"
    } else {
        "NOT met"
    }
}

/// Writes and publishes a paper for each of the meeting's agenda items: two paragraphs, a
/// survey measure's chart, narrative and 24-row table in the West Midlands, and the Police and
/// Crime Plan's milestones, frozen as the web layer renders them. Returns how many.
async fn papers_for(state: &AppState, a: &Author, meeting: i64) -> usize {
    let db = &state.db;
    let ons = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo-data/ons");
    safer_import::demo::load_lookups(db, &ons, a)
        .await
        .expect("the ONS lookups");
    let measure = measures::list(db)
        .await
        .expect("measures")
        .into_iter()
        .find(|m| m.details.name == "Confidence in local policing")
        .expect("the survey measure");
    let waves: Vec<Observation> = (0..24)
        .map(|q| Observation {
            area_code: "E23000014".to_owned(),
            period: YearMonth::parse(&format!("{}-{:02}", 2010 + q / 4, 1 + 3 * (q % 4)))
                .expect("a month"),
            value: 78.0 + f64::from(q % 7) * 0.8,
            denominator: None,
        })
        .collect();
    measures::save_observations(db, a, &measure, &waves)
        .await
        .expect("the waves");
    let plan = plans::list(db, &ReadScope::default())
        .await
        .expect("plans")
        .into_iter()
        .find(|p| p.title == "Police and Crime Plan 2015/16")
        .expect("the Police and Crime Plan");
    let meeting = boards::meeting(db, meeting)
        .await
        .expect("the meeting")
        .expect("it exists");
    let items = boards::agenda(db, &meeting, Audience::Secretariat)
        .await
        .expect("the agenda");
    for item in &items {
        let paper = papers::create_paper(db, a, item.id, &item.title)
            .await
            .expect("a paper");
        papers::add_section(
            db,
            a,
            paper,
            "Purpose",
            "To update the Board on performance against the Police and Crime Plan.\n\nThe Board is asked to note the report.",
            None,
        )
        .await
        .expect("a section");
        let blocks = [
            LiveBlock::Measure {
                measure_id: measure.id,
                area: "E23000014".to_owned(),
            },
            LiveBlock::PlanMilestones { plan_id: plan.id },
        ];
        let mut frozen = Vec::new();
        for block in &blocks {
            let section = papers::add_section(db, a, paper, "Performance", "", Some(block))
                .await
                .expect("a section");
            let html = safer_web::render_block(state, &ReadScope::default(), section, block)
                .await
                .expect("the block renders");
            frozen.push((section, html));
        }
        papers::publish_paper(db, a, paper, &frozen)
            .await
            .expect("published");
    }
    items.len()
}
