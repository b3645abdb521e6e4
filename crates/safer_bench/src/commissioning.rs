//! `bench-commissioning`: the decision screen and the fund report for a round of 1,000 bids
//! with 10,000 cost lines, and the 360Giving export of 100,000 grants.
//!
//! The database is a fresh SQLite file with the demo data, a £100m fund and a round on it with
//! 1,000 submitted bids from the seven West Midlands partnerships, ten cost lines each (one in
//! three with a lower amount it could work with) and one reviewer's scores on each. The bids,
//! lines and grants are written with bulk SQL, as a bench's set-up, not through the forms. The
//! decision screen is fetched over HTTP as the decision maker; the fund report and the round's
//! page as an officer. Then 100,000 grants with a payment each are added and exported as a
//! 360Giving JSON package, as `safer export 360giving` does (reading the grants and building
//! the package; writing the file is left out). Prints medians; targets: each page under 50 ms,
//! the export under 2 seconds.
//!
//! Run with `cargo run --profile bench -p safer_bench --bin bench-commissioning`.

use http_body_util::Full;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use jiff::civil::date;
use safer_bench::{demo_database, median, time_get};
use safer_core::bids::RoundDetails;
use safer_core::funds::{FinancialYear, FundDetails, Pence, Spending};
use safer_store::{Author, Db, bids, demo, funds, organisations, sessions, users};
use safer_web::{AppState, WebConfig};
use std::time::{Duration, Instant};

const BIDS: i64 = 1_000;
const LINES_PER_BID: i64 = 10;
const GRANTS: i64 = 100_000;
const RUNS: usize = 21;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs one bulk statement of the bench's set-up.
async fn bulk(db: &Db, sql: &str, binds: &[i64]) {
    let Db::Sqlite(pool) = db else {
        panic!("the bench runs on SQLite")
    };
    // The bench's own fixed statements, with the format! only adding fixed subqueries.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(pool).await.expect("the bench's set-up");
}

#[tokio::main]
async fn main() {
    let (_dir, db) = demo_database().await;
    let a = Author::system("bench");
    let wm = organisations::find_by_name(&db, demo::HOST_ORGANISATION)
        .await
        .expect("organisations")
        .expect("the West Midlands OPCC")
        .id;
    let fund = funds::create_fund(
        &db,
        &a,
        wm,
        &FundDetails {
            name: "Bench fund".into(),
            source: "PCC budget".into(),
            first_year: FinancialYear(2020),
            last_year: FinancialYear(2030),
            spending: Spending::Both,
            budget: Pence(10_000_000_000),
        },
    )
    .await
    .expect("a fund");
    let round = bids::create_round(
        &db,
        &a,
        fund,
        &RoundDetails {
            name: "Bench round".into(),
            opens_on: date(2020, 4, 1),
            closes_on: date(2030, 3, 31),
            criteria: vec![
                "Saves money later".into(),
                "Fits the Plan".into(),
                "Can be delivered".into(),
            ],
            questions: Vec::new(),
            line_limit: None,
        },
        &[],
        &[],
    )
    .await
    .expect("a round");
    let officer = users::find_by_email(&db, "officer@west-midlands.example")
        .await
        .expect("users")
        .expect("the officer");
    let started = Instant::now();
    // The West Midlands partnerships in turn, as a CASE over their (integer) ids.
    let ids: Vec<i64> = organisations::list(&db)
        .await
        .expect("organisations")
        .into_iter()
        .filter(|o| {
            o.kind == safer_core::organisations::OrganisationKind::Partnership
                && o.policing_body_id == Some(wm)
        })
        .map(|o| o.id)
        .collect();
    let partnerships = format!(
        "(CASE n.i % {} {} END)",
        ids.len(),
        ids.iter()
            .enumerate()
            .map(|(k, id)| format!("WHEN {k} THEN {id}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    bulk(
        &db,
        &format!(
            "INSERT INTO bids (round_id, partnership_id, applicant_id, reference, title, aims, \
             background, outputs, outcomes, risks, timeline, exit_strategy, state, version, \
             submitted_at, updated_by, updated_at, created_at) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3) \
             SELECT ?1, {partnerships}, {partnerships}, 'B' || n.i, 'Bid number ' || n.i, 'Aims', \
             'Background', 'Outputs', 'Outcomes', 'Risks', 'Timeline', 'Exit', 'submitted', 1, \
             '2024-01-01T00:00:00Z', 'bench', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z' FROM n"
        ),
        &[round, wm, BIDS],
    )
    .await;
    bulk(
        &db,
        "INSERT INTO bid_lines (bid_id, description, amount_pence, spending, minimum_pence) \
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?2 - 1) \
         SELECT b.id, 'Cost line ' || n.i, 100000 + 10000 * n.i, \
         CASE WHEN n.i % 2 = 0 THEN 'revenue' ELSE 'capital' END, \
         CASE WHEN (b.id + n.i) % 3 = 0 THEN 50000 ELSE NULL END \
         FROM bids b, n WHERE b.round_id = ?1",
        &[round, LINES_PER_BID],
    )
    .await;
    bulk(
        &db,
        "INSERT INTO bid_reviews (bid_id, reviewer_id, conflict, scores, comment, created_at) \
         SELECT b.id, ?2, '', ((b.id % 5) + 1) || ',3,4', 'Reviewed', '2024-02-01T00:00:00Z' \
         FROM bids b WHERE b.round_id = ?1",
        &[round, officer.id],
    )
    .await;
    println!(
        "Set up a round of {BIDS} bids with {} cost lines in {:.1} s.",
        BIDS * LINES_PER_BID,
        started.elapsed().as_secs_f64()
    );

    let config = WebConfig {
        secure_cookies: false,
        ..WebConfig::default()
    };
    let cookie = |token: String| format!("safer-session={token}");
    let pcc = users::find_by_email(&db, "pcc@west-midlands.example")
        .await
        .expect("users")
        .expect("the decision maker");
    let (pcc_token, _) = sessions::create(&db, &config.sessions, pcc.id, &pcc.display_name)
        .await
        .expect("a session");
    let (officer_token, _) =
        sessions::create(&db, &config.sessions, officer.id, &officer.display_name)
            .await
            .expect("a session");
    let state = AppState::new(db.clone(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("an address").port()
    );
    tokio::spawn(safer_web::serve(listener, state, std::future::pending()));
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();

    println!("Medians of {RUNS} requests over HTTP:");
    let (decision, bytes) = time_get(
        &client,
        &format!("{base}/rounds/{round}/decision"),
        Some(&cookie(pcc_token)),
        RUNS,
    )
    .await;
    report(
        "the decision screen (1,000 bids awaiting a decision, with the live total)",
        decision,
        bytes,
        Duration::from_millis(50),
    );
    let officer_cookie = cookie(officer_token);
    let (fund_report, bytes) = time_get(
        &client,
        &format!("{base}/funds/{fund}/report"),
        Some(&officer_cookie),
        RUNS,
    )
    .await;
    report(
        "the fund report (requested against approved by partnership)",
        fund_report,
        bytes,
        Duration::from_millis(50),
    );
    let (round_page, bytes) = time_get(
        &client,
        &format!("{base}/rounds/{round}"),
        Some(&officer_cookie),
        RUNS,
    )
    .await;
    report(
        "the round's page (every bid, and the same table)",
        round_page,
        bytes,
        Duration::from_millis(50),
    );

    let started = Instant::now();
    let commitment = funds::commit(
        &db,
        &a,
        fund,
        &funds::NewCommitment {
            description: "The bench's grants",
            recipient_id: None,
            amount: Pence(1),
            committed_on: date(2024, 4, 1),
        },
    )
    .await
    .expect("a commitment");
    bulk(
        &db,
        &format!(
            "INSERT INTO grants (fund_id, bid_id, commitment_id, recipient_id, title, amount_pence, \
             awarded_on, starts_on, ends_on, payment_basis, monitoring, created_at) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?4) \
             SELECT ?1, CASE WHEN n.i <= ?5 THEN (SELECT MIN(id) FROM bids WHERE round_id = ?3) \
             + n.i - 1 END, ?6, {partnerships}, 'Grant number ' || n.i, \
             100000 + n.i, '2024-04-01', '2024-04-01', '2025-03-31', 'advance', 'quarterly', \
             '2024-04-01T00:00:00Z' FROM n"
        ),
        &[fund, wm, round, GRANTS, BIDS, commitment],
    )
    .await;
    bulk(
        &db,
        "INSERT INTO grant_payments (grant_id, due_on, amount_pence, paid_on) \
         SELECT id, '2024-04-30', amount_pence, '2024-04-30' FROM grants WHERE fund_id = ?1",
        &[fund],
    )
    .await;
    println!(
        "Added {GRANTS} grants with a payment each in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    let (mut totals, mut reads, mut builds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut size, mut count) = (0, 0);
    for _ in 0..5 {
        let t = Instant::now();
        let records = safer_store::grants::giving_records(&db)
            .await
            .expect("the grants");
        let read = t.elapsed();
        let json =
            safer_core::giving::package_json(&records, "360G-bench", "Bench", date(2026, 11, 23));
        totals.push(t.elapsed());
        builds.push(t.elapsed() - read);
        reads.push(read);
        size = json.len();
        count = records.len();
    }
    let export = median(totals);
    println!(
        "  the 360Giving export of {count} grants ({} MB of JSON), median of 5: {:.0} ms (reading {:.0} ms, building {:.0} ms); target under 2 s: {}",
        size / 1_000_000,
        ms(export),
        ms(median(reads)),
        ms(median(builds)),
        if export < Duration::from_secs(2) {
            "met"
        } else {
            "NOT met"
        }
    );
}

fn report(what: &str, t: Duration, bytes: usize, target: Duration) {
    println!(
        "  {what}: {:.2} ms ({} KB); target under {} ms: {}",
        ms(t),
        bytes / 1024,
        target.as_millis(),
        if t < target { "met" } else { "NOT met" }
    );
}
