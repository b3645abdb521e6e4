//! Benchmark of the police.uk import: at least 2 million street-level rows, made by repeating
//! the real sample files in `../shared/data/police-uk` with their months shifted, so every copy
//! is a new force-month. Prints, each as the median of three runs:
//!
//! * parse and count alone, the peer's task: every file read with the import's parser and its
//!   rows counted by month, LSOA and category, on one thread;
//! * parse and group as the import does before storing: the counts, and each group's rows
//!   written out for drill-down;
//! * end to end: `safer import police-uk` into a new SQLite database, one transaction a file;
//! * with `--peer PYTHON`: pandas (`read_csv`, then a group-by to the same counts) on the same
//!   files in the same run, and the ratio to parse and count;
//!
//! and the peak memory (resident set) of each phase. `--parse-only` stops after the parsing
//! phases, for profiling the parser. `scripts/bench-import` installs pandas in a virtual
//! environment and runs this.

use safer_bench::{median, peer_arg, run_peer};
use safer_core::police::{CrimeCategory, YearMonth};
use safer_import::police_uk::read_street;
use safer_import::run::{find_files, import_police_uk};
use safer_store::police_uk::StreetCounts;
use safer_store::{Author, Db};
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

const TARGET_ROWS: u64 = 2_000_000;

fn shared_data() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/police-uk"
    ))
}

/// Writes copies of the sample street files, each copy's months moved on by 100 years × copy,
/// until there are at least `TARGET_ROWS` rows. Returns the row count.
fn make_files(into: &Path) -> u64 {
    let (files, _) = find_files(&[shared_data()]);
    let street: Vec<_> = files
        .into_iter()
        .filter(|(_, n)| n.kind.suffix() == "street")
        .collect();
    assert!(
        !street.is_empty(),
        "the sample files are in ../shared/data/police-uk"
    );
    let mut rows = 0u64;
    let mut copy = 0;
    while rows < TARGET_ROWS {
        for (path, name) in &street {
            let text = std::fs::read_to_string(path).expect("read a sample file");
            let shift = |m: &str| {
                YearMonth::parse(m)
                    .map(|m| m.plus(1200 * copy).to_string())
                    .unwrap_or_else(|| m.to_owned())
            };
            let month = shift(&name.month.to_string());
            let mut out = String::with_capacity(text.len());
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    // The Month column is the second: the first is a 64-character id or empty.
                    if let Some((id, rest)) = line.split_once(',')
                        && let Some((m, rest)) = rest.split_once(',')
                    {
                        out.push_str(id);
                        out.push(',');
                        out.push_str(&shift(m));
                        out.push(',');
                        out.push_str(rest);
                        out.push('\n');
                        rows += 1;
                        continue;
                    }
                }
                out.push_str(line);
                out.push('\n');
            }
            let file = into.join(format!("{month}-{}-street.csv", name.force));
            std::fs::write(file, out).expect("write a benchmark file");
        }
        copy += 1;
    }
    rows
}

/// Parses every file and counts its rows by month, LSOA and category (the peer's task);
/// returns (rows, groups).
fn parse_and_count(folder: &Path) -> (u64, usize) {
    let (files, _) = find_files(&[folder.to_path_buf()]);
    // By LSOA code first, so that a row is counted without allocating a key.
    let mut counts: HashMap<String, HashMap<(YearMonth, CrimeCategory), u64>> = HashMap::new();
    let mut rows = 0;
    for (path, name) in files {
        let reader = BufReader::with_capacity(1 << 16, File::open(&path).expect("open"));
        let mut street = read_street("bench", name.month, reader).expect("a street file");
        while let Some(row) = street.next_row() {
            let row = row.expect("a valid row");
            let code = row.lsoa.map_or("", |(code, _)| code);
            let by_lsoa = match counts.get_mut(code) {
                Some(c) => c,
                None => counts.entry(code.to_owned()).or_default(),
            };
            *by_lsoa.entry((row.month, row.category)).or_insert(0) += 1;
            rows += 1;
        }
    }
    (rows, counts.values().map(HashMap::len).sum())
}

/// Parses every file and groups its rows exactly as the import does before storing (each
/// group's count, and its rows written out for drill-down); returns the rows.
fn parse_and_group(folder: &Path) -> u64 {
    let (files, _) = find_files(&[folder.to_path_buf()]);
    let mut rows = 0;
    for (path, name) in files {
        let reader = BufReader::with_capacity(1 << 16, File::open(&path).expect("open"));
        let mut street = read_street("bench", name.month, reader).expect("a street file");
        let mut counts = StreetCounts::default();
        while let Some(row) = street.next_row() {
            counts.add(&row.expect("a valid row"));
            rows += 1;
        }
    }
    rows
}

/// The peak resident set since the last reset, in MiB, and resets it.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    // Writing 5 to clear_refs resets the peak, so each phase is measured on its own.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    Some(kib / 1024.0)
}

fn main() {
    let peer = peer_arg();
    let dir = tempfile::tempdir().expect("a scratch folder");
    let files = dir.path().join("police-uk");
    std::fs::create_dir(&files).expect("a folder for the files");
    eprintln!("Writing the benchmark files…");
    let rows = make_files(&files);
    let file_count = find_files(std::slice::from_ref(&files)).0.len();
    println!(
        "safer import benchmark: {rows} street-level rows in {file_count} files (the samples repeated with months shifted)"
    );
    let _ = peak_memory_mib();

    let mut parse_times = Vec::new();
    let mut groups = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let (n, g) = parse_and_count(&files);
        parse_times.push(start.elapsed());
        assert_eq!(n, rows);
        groups = g;
    }
    let parse = median(parse_times);
    println!(
        "  parse and count: median of 3 runs {:.2} s, {:.0} rows/s ({groups} month × LSOA × category counts); peak memory {:.0} MiB",
        parse.as_secs_f64(),
        rows as f64 / parse.as_secs_f64(),
        peak_memory_mib().unwrap_or(f64::NAN)
    );
    let mut group_times = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        assert_eq!(parse_and_group(&files), rows);
        group_times.push(start.elapsed());
    }
    let grouping = median(group_times);
    println!(
        "  parse and group as the import does (counts, and rows kept for drill-down): median of 3 runs {:.2} s, {:.0} rows/s; peak memory {:.0} MiB",
        grouping.as_secs_f64(),
        rows as f64 / grouping.as_secs_f64(),
        peak_memory_mib().unwrap_or(f64::NAN)
    );
    // `--parse-only`: stop here, for profiling the parser.
    if std::env::args().any(|a| a == "--parse-only") {
        return;
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut import_times = Vec::new();
    for run in 0..3 {
        let url = format!(
            "sqlite://{}",
            dir.path().join(format!("bench-{run}.db")).display()
        );
        let elapsed = runtime.block_on(async {
            let db = Db::connect(&url).await.expect("open SQLite");
            db.migrate().await.expect("migrate");
            let start = Instant::now();
            let report = import_police_uk(
                &db,
                std::slice::from_ref(&files),
                &Author::system("bench"),
                &mut |_| {},
            )
            .await
            .expect("the import runs");
            let elapsed = start.elapsed();
            assert_eq!(report.rows(), rows);
            db.close().await;
            elapsed
        });
        import_times.push(elapsed);
        let _ = std::fs::remove_file(dir.path().join(format!("bench-{run}.db")));
    }
    let import = median(import_times);
    println!(
        "  end to end into SQLite: median of 3 runs {:.2} s, {:.0} rows/s (target: at least 300,000); peak memory {:.0} MiB",
        import.as_secs_f64(),
        rows as f64 / import.as_secs_f64(),
        peak_memory_mib().unwrap_or(f64::NAN)
    );

    let Some(python) = peer else {
        println!("  (no peer: pass --peer PYTHON, or run scripts/bench-import)");
        return;
    };
    let report = run_peer(&python, "pandas_street.py", &files);
    let seconds = report.median_seconds();
    println!(
        "  pandas {} (read_csv, then group-by) on the same files: median of 3 runs {:.2} s ({} rows, {} groups)",
        report.field("version"),
        seconds,
        report.field("rows"),
        report.field("groups")
    );
    println!(
        "  ratio: safer parses and counts {:.1} times as fast as pandas (target: at least 3)",
        seconds / parse.as_secs_f64()
    );
}
