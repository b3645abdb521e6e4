//! Benchmark of the tamper-evident audit log: appending 100,000 events with their hash chain
//! (one transaction, as a large import or a retention run writes them), then verifying the whole
//! chain as `safer audit verify` does, on SQLite. Prints the median of 5 runs of each, on a fresh
//! database each run. Targets: each under 2 s.

use safer_bench::median;
use safer_store::audit::{self, Change};
use safer_store::{Author, Db};
use std::time::{Duration, Instant};

const EVENTS: usize = 100_000;
const RUNS: usize = 5;

fn changes() -> Vec<Change<'static>> {
    (0..EVENTS)
        .map(|i| Change {
            action: "update",
            record_type: "milestone",
            record_id: Some(i as i64),
            organisation_id: None,
            before: Some(serde_json::json!({ "status": "on_track", "note": "As planned" })),
            after: Some(serde_json::json!({ "status": "late", "note": format!("Slipped {i}") })),
        })
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (mut appends, mut verifies): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("audit.db").display());
        let (append, verify) = runtime.block_on(async {
            let db = Db::connect(&url).await.expect("a database");
            db.migrate().await.expect("migrations");
            let changes = changes();
            let start = Instant::now();
            audit::record_all(&db, &Author::system("bench"), changes)
                .await
                .expect("the events are written");
            let append = start.elapsed();
            let start = Instant::now();
            let report = audit::verify(&db).await.expect("the chain is read");
            let verify = start.elapsed();
            assert_eq!((report.verified, report.broken), (EVENTS as u64, None));
            db.close().await;
            (append, verify)
        });
        appends.push(append);
        verifies.push(verify);
    }
    let (append, verify) = (median(appends), median(verifies));
    println!("safer audit benchmark: {EVENTS} events with their hash chain, on SQLite");
    println!(
        "  append in one transaction: median of {RUNS} runs {:.2} s, {:.0} events/s (target: under 2 s)",
        append.as_secs_f64(),
        EVENTS as f64 / append.as_secs_f64()
    );
    println!(
        "  verify the whole chain: median of {RUNS} runs {:.2} s, {:.0} events/s (target: under 2 s)",
        verify.as_secs_f64(),
        EVENTS as f64 / verify.as_secs_f64()
    );
}
