//! Benchmark of the SPC engine: 10,000 series of 60 monthly points from a fixed seed, analysed
//! in full (every rule, automatic step changes and the narrative) on one thread. Prints the
//! median time over repeated runs, the time for 100,000 series, and, with `--peer PYTHON`, runs
//! the Python package shewhart (`imr` with its Nelson rules) on the same series in the same run
//! and prints the ratio.
//!
//! `scripts/bench-spc` installs the peer in a virtual environment and runs this. `--quick`
//! analyses 1,000 series once, for profiling (for example under `valgrind --tool=callgrind`).

use safer_bench::{median, peer_arg, run_peer};
use safer_spc::analysis::Observation;
use safer_spc::narrative::write_narrative;
use safer_spc::{Analysis, Options, Period, analyse, analyse_into};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const POINTS: usize = 60;

/// SplitMix64: a tiny, well-known generator, so the series are the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// A standard normal value (Box–Muller).
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Monthly counts of the shapes a force's measures take: stable, stepped, trending, with spikes.
fn generate(series: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = SplitMix(seed);
    (0..series)
        .map(|i| {
            let level = 50.0 + (i % 97) as f64 * 40.0;
            let sd = level.sqrt() * 1.5;
            (0..POINTS)
                .map(|t| {
                    let mut y = level + sd * rng.normal();
                    if i % 3 == 0 && t >= 30 {
                        y += 3.0 * sd; // a step change
                    }
                    if i % 7 == 0 {
                        y += t as f64 * sd * 0.05; // a slow trend
                    }
                    if i % 5 == 0 && t == 45 {
                        y += 5.0 * sd; // a spike
                    }
                    y.round().max(0.0)
                })
                .collect()
        })
        .collect()
}

fn observations(values: &[f64], periods: &[Period]) -> Vec<Observation> {
    values
        .iter()
        .zip(periods)
        .map(|(v, p)| Observation {
            period: *p,
            value: *v,
            denominator: None,
        })
        .collect()
}

/// Analyses every series (with its narrative when `with_narrative`) and returns the time taken
/// and a checksum of the output. The observations are built before the clock starts: the
/// benchmark times the analysis, not the making of its input.
fn run_with(
    all: &[Vec<f64>],
    periods: &[Period],
    options: &Options,
    with_narrative: bool,
) -> (Duration, usize) {
    let inputs: Vec<Vec<Observation>> = all.iter().map(|v| observations(v, periods)).collect();
    let start = Instant::now();
    let mut checksum = 0usize;
    // One analysis and one text, refilled for each series, as `safer spc analyse` does.
    let mut analysis = Analysis::default();
    let mut text = String::new();
    for obs in &inputs {
        analyse_into(obs, options, &mut analysis).expect("generated series analyse");
        if with_narrative {
            text.clear();
            write_narrative(&analysis, &mut text);
            checksum += text.len();
        }
        checksum +=
            analysis.phases.len() + analysis.points.iter().filter(|p| p.special_cause).count();
    }
    (start.elapsed(), checksum)
}

/// Analyses every series in full, narrative included.
fn run(all: &[Vec<f64>], periods: &[Period], options: &Options) -> (Duration, usize) {
    run_with(all, periods, options, true)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let peer = peer_arg();
    // --quick: 1,000 series analysed once, for profiling under callgrind.
    let quick = args.iter().any(|a| a == "--quick");
    if quick {
        let periods: Vec<Period> = (0..POINTS)
            .filter_map(|i| Period::month(2020 + (i / 12) as i32, (i % 12) as u8 + 1))
            .collect();
        let (t, checksum) = run(
            &generate(1_000, 20_261_123),
            &periods,
            &Options {
                auto_rebase: true,
                ..Options::default()
            },
        );
        println!(
            "1,000 series in {:.2} ms (checksum {checksum})",
            t.as_secs_f64() * 1e3
        );
        return;
    }
    // This machine kind's speed drifts over seconds; more runs make the median steadier.
    let repeats = 21;
    let periods: Vec<Period> = (0..POINTS)
        .filter_map(|i| Period::month(2020 + (i / 12) as i32, (i % 12) as u8 + 1))
        .collect();
    let options = Options {
        auto_rebase: true,
        ..Options::default()
    };

    let series = generate(10_000, 20_261_123);
    let mut times = Vec::new();
    let mut checksum = 0;
    for _ in 0..repeats {
        let (t, c) = run(&series, &periods, &options);
        times.push(t);
        checksum = c;
    }
    let ours = median(times);
    let phases: usize = series
        .iter()
        .map(|v| {
            analyse(&observations(v, &periods), &options)
                .map(|a| a.phases.len())
                .unwrap_or(0)
        })
        .sum();
    println!(
        "safer SPC benchmark: 10,000 series x {POINTS} months, XmR with every rule, automatic step changes and narrative, one thread"
    );
    println!(
        "  median of {repeats} runs: {:.2} ms ({:.2} µs a series; {phases} phases found; checksum {checksum})",
        ours.as_secs_f64() * 1e3,
        ours.as_secs_f64() * 1e6 / 10_000.0
    );

    let without: Vec<Duration> = (0..repeats)
        .map(|_| run_with(&series, &periods, &options, false).0)
        .collect();
    println!(
        "  of which the narrative: {:.2} ms (analysis alone {:.2} ms)",
        (ours.saturating_sub(median(without.clone()))).as_secs_f64() * 1e3,
        median(without).as_secs_f64() * 1e3
    );

    let big = generate(100_000, 20_261_124);
    let big_times: Vec<Duration> = (0..5).map(|_| run(&big, &periods, &options).0).collect();
    println!(
        "  100,000 series: median of 5 runs {:.1} ms",
        median(big_times).as_secs_f64() * 1e3
    );

    let Some(python) = peer else {
        println!("  (no peer: pass --peer PYTHON, or run scripts/bench-spc)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("safer-bench-spc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let data = dir.join("series.csv");
    let mut csv = String::with_capacity(series.len() * POINTS * 8);
    for values in &series {
        let row: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let _ = writeln!(csv, "{}", row.join(","));
    }
    std::fs::write(&data, csv).expect("write the series for the peer");
    let report = run_peer(&python, "shewhart_imr.py", &data);
    let _ = std::fs::remove_dir_all(&dir);
    let seconds = report.median_seconds();
    let version = report.field("version");
    println!(
        "  shewhart {version} (imr, Nelson rules) on the same 10,000 series: median {:.0} ms",
        seconds * 1e3
    );
    println!(
        "  ratio: safer is {:.0} times faster (target: at least 500)",
        seconds / ours.as_secs_f64()
    );
}
