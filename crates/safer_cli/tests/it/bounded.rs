//! Input that would once have eaten the machine, given to the command as a careless user or an
//! attacker would: each is refused or reported in a line, quickly, and in bounded memory.

use crate::{safer, text};
use safer_store::{Db, demo, measures};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The most memory (resident set) any command run by these tests may reach.
const MEMORY_BOUND_MIB: i64 = 300;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn zip_bomb() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../safer_import/tests/data/bomb.xlsx")
}

/// The largest resident set of any child process this test has waited for, in MiB. nextest
/// runs each test in a process of its own, so the children are this test's.
fn children_peak_mib() -> i64 {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    usage.max_rss() / 1024
}

/// A demo database in `dir`, and the id of its entered survey measure and of a police.uk one.
async fn demo_database(dir: &Path) -> (String, i64, i64) {
    let url = format!("sqlite://{}", dir.join("bounded.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    demo::load(&db).await.unwrap();
    let all = measures::list(&db).await.unwrap();
    let entered = all
        .iter()
        .find(|m| m.details.source == safer_core::measures::Source::Entered)
        .unwrap()
        .id;
    let counted = all
        .iter()
        .find(|m| m.details.source != safer_core::measures::Source::Entered)
        .unwrap()
        .id;
    db.close().await;
    (url, entered, counted)
}

#[tokio::test]
async fn values_files_that_would_eat_memory_are_refused_in_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let (db, entered, counted) = demo_database(dir.path()).await;
    let entered = entered.to_string();
    let values = |file: &Path, measure: &str| {
        let started = Instant::now();
        let out = safer(
            &[
                "import",
                "values",
                "--database",
                &db,
                "--measure",
                measure,
                file.to_str().unwrap(),
            ],
            "",
        );
        (out, started.elapsed())
    };

    // An 761 KB workbook whose one cell is 800,000,000 letters.
    let (out, took) = values(&zip_bomb(), &entered);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("unpacks to more than 50 MB"), "{err}");
    assert!(err.len() < 500, "{} bytes of messages", err.len());
    assert!(took < Duration::from_secs(1), "took {took:?}");
    let peak = children_peak_mib();
    assert!(peak < MEMORY_BOUND_MIB, "the command reached {peak} MiB");

    // A CSV with one 10 MB value: larger than a values file may be.
    let big = dir.path().join("big.csv");
    std::fs::write(
        &big,
        format!(
            "area,period,value\nE23000014,2015-07,{}\n",
            "9".repeat(10_000_000)
        ),
    )
    .unwrap();
    let (out, _) = values(&big, &entered);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("is larger than 5 MB"), "{err}");
    assert!(err.len() < 500, "{} bytes of messages", err.len());

    // A CSV whose rows are all refused saves nothing and says so, failing.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "area,period,value\nE23000014,Apr-17,1\n").unwrap();
    let (out, _) = values(&bad, &entered);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no values were saved"),
        "{}",
        text(&out.stderr)
    );

    // A police.uk measure takes no values, said once.
    let (out, _) = values(&bad, &counted.to_string());
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert_eq!(
        err.matches("is counted from police.uk records").count(),
        1,
        "{err}"
    );
    assert!(!err.contains("database"), "{err}");

    // Every import reads .gz, values too (the lookup of force areas places E23000014).
    let lookup = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../demo-data/ons/Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_Areas__January_2017__Lookup_in_England_and_Wales_Version_2.csv.gz",
    );
    let out = safer(
        &[
            "import",
            "--database",
            &db,
            "ons-lookup",
            lookup.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let good = dir.path().join("good.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"area,period,value\nE23000014,2015-07,83.6\n").unwrap();
    std::fs::write(&good, gz.finish().unwrap()).unwrap();
    let (out, _) = values(&good, &entered);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 values of"),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test]
async fn a_gigabyte_line_in_a_police_uk_file_is_reported_and_not_held() {
    let dir = tempfile::tempdir().unwrap();
    let (db, _, _) = demo_database(dir.path()).await;
    let out = safer(
        &[
            "import",
            "--database",
            &db,
            "police-uk",
            data("2019-05-long-line-street.csv.gz").to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "line 2: is 1,000,000,000 bytes long, and a line may be at most 64 KB: it was left out"
        ),
        "{err}"
    );
    assert!(err.len() < 2_000, "{} bytes of messages", err.len());
    assert!(
        text(&out.stdout).contains("Imported 1 rows from 1 files"),
        "{}",
        text(&out.stdout)
    );
    let peak = children_peak_mib();
    assert!(peak < MEMORY_BOUND_MIB, "the command reached {peak} MiB");
}

#[test]
fn commands_refuse_a_database_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("mistyped.db");
    let url = format!("sqlite://{}", missing.display());
    let out = safer(
        &[
            "backup",
            "--database",
            &url,
            dir.path().join("copy.db").to_str().unwrap(),
        ],
        "",
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("there is no database at {}", missing.display())),
        "{err}"
    );
    assert!(!missing.exists(), "no database is made by a backup");
    assert!(!dir.path().join("copy.db").exists());
}
