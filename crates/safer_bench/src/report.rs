//! `bench-report`: how long the board's performance report takes for a police force area with
//! all its Community Safety Partnerships: every measure's chart, narrative, year to date and
//! comparison, and each partnership's variation and narrative.
//!
//! The database is a fresh SQLite file with the demo's seed data and all of its open data
//! (ONS lookups, and the police.uk files in `demo-data/`: 153,205 rows). Each force area's
//! report is built and drawn as the standalone HTML document 15 times; the median is printed.
//! Target: under one second.
//!
//! Run with `cargo run --profile bench -p safer_bench --bin bench-report`.

use safer_bench::{demo_database, median};
use safer_store::{Author, areas};
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

#[tokio::main]
async fn main() {
    let loading = Instant::now();
    let (_dir, db) = demo_database().await;
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo-data");
    let report = safer_import::demo::load(&db, &data, &Author::system("bench"), &mut |_| {})
        .await
        .expect("the demo's open data");
    println!(
        "loaded the demo: {} police.uk rows in {} files, in {:.1} s",
        report.rows(),
        report.files.len(),
        loading.elapsed().as_secs_f64()
    );
    let measures = safer_store::measures::list(&db)
        .await
        .expect("measures")
        .len();
    println!("{measures} measures; {RUNS} runs each; times are medians\n");
    println!(
        "{:<18} {:>5} {:>10} {:>10} {:>10} {:>9}",
        "force area", "CSPs", "build", "draw", "total", "HTML"
    );
    let mut worst = Duration::ZERO;
    for name in [
        "West Mercia",
        "Staffordshire",
        "Warwickshire",
        "London, City of",
    ] {
        let force = areas::of_kind(&db, areas::AreaKind::Force)
            .await
            .expect("areas")
            .into_iter()
            .find(|a| a.name == name)
            .expect("the force area");
        let csps = areas::children(&db, &force.code).await.expect("CSPs").len();
        let mut build = Vec::with_capacity(RUNS);
        let mut draw = Vec::with_capacity(RUNS);
        let mut total = Vec::with_capacity(RUNS);
        let mut bytes = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let report = safer_web::build_report(&db, &force.code, None)
                .await
                .expect("the report");
            let built = start.elapsed();
            let html = safer_web::report_document(&report).expect("the document");
            let all = start.elapsed();
            bytes = html.len();
            build.push(built);
            draw.push(all - built);
            total.push(all);
        }
        let total = median(total);
        worst = worst.max(total);
        println!(
            "{:<18} {:>5} {:>8.1}ms {:>8.1}ms {:>8.1}ms {:>7}KB",
            name,
            csps,
            ms(median(build)),
            ms(median(draw)),
            ms(total),
            bytes / 1024
        );
    }
    println!(
        "\nslowest force area: {:.1} ms (target: under 1,000 ms) {}",
        ms(worst),
        if worst < Duration::from_secs(1) {
            "met"
        } else {
            "NOT met"
        }
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
