//! `safer spc analyse`: control charts, rules and narrative for series in a CSV file.

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use safer_core::limits;
use safer_spc::input::{SeriesInput, read_csv};
use safer_spc::narrative::{format_value, narrative};
use safer_spc::{Analysis, Chart, Improvement, Method, Options, Period, TwoOfThree, analyse_into};
use serde::ser::{SerializeSeq, Serializer as _};
use std::io::{Read, Write};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
enum ChartArg {
    Xmr,
    P,
    U,
    Pp,
    Up,
    C,
    Run,
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodArg {
    /// NHSRplotthedots (Making Data Count).
    Mdc,
    /// qicharts2.
    Qic,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImprovementArg {
    Increase,
    Decrease,
    Neither,
}

#[derive(Clone, Copy, ValueEnum)]
enum TwoOfThreeArg {
    /// Points beyond the limits do not count (NHSRplotthedots).
    Classic,
    /// Points beyond the limits count towards the two (Making Data Count, 2023).
    #[value(name = "2023")]
    Since2023,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
    Text,
}

/// Options of `safer spc analyse`.
#[derive(Args)]
pub struct AnalyseArgs {
    /// CSV with columns period,value and optionally denominator and series; standard input when absent.
    #[arg(long)]
    input: Option<PathBuf>,
    /// The chart.
    #[arg(long, value_enum, default_value = "xmr")]
    chart: ChartArg,
    /// Whose defaults to follow.
    #[arg(long, value_enum, default_value = "mdc")]
    method: MethodArg,
    /// Leave unusually large moving ranges out of the limits (default: on, as both methods do).
    #[arg(long, value_enum)]
    screen_moving_ranges: Option<OnOff>,
    /// Points in a row on one side of the centre that make a shift (default 7 with mdc; off with qic).
    #[arg(long)]
    shift: Option<usize>,
    /// Points in a row rising or falling that make a trend (default 7 with mdc; off with qic).
    #[arg(long)]
    trend: Option<usize>,
    /// The two-of-three rule (default classic with mdc; off with qic).
    #[arg(long, value_enum)]
    two_of_three: Option<TwoOfThreeArg>,
    /// Which direction is better.
    #[arg(long, value_enum, default_value = "neither")]
    improvement: ImprovementArg,
    /// A target, for the assurance.
    #[arg(long, allow_hyphen_values = true)]
    target: Option<f64>,
    /// Compute limits from each phase's first N points (N ≥ 12).
    #[arg(long)]
    baseline: Option<usize>,
    /// Start a new phase at each of these periods (YYYY-MM or YYYY-MM-DD), comma-separated.
    #[arg(long, value_delimiter = ',')]
    rebase: Vec<String>,
    /// Start a new phase at each sustained shift (automatic step changes).
    #[arg(long)]
    auto_rebase: bool,
    /// The fewest points in an automatically found phase.
    #[arg(long, default_value_t = 12)]
    min_phase: usize,
    /// The output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
}

fn options(args: &AnalyseArgs) -> Result<Options> {
    let chart = match args.chart {
        ChartArg::Xmr => Chart::Xmr,
        ChartArg::P => Chart::P,
        ChartArg::U => Chart::U,
        ChartArg::Pp => Chart::Pp,
        ChartArg::Up => Chart::Up,
        ChartArg::C => Chart::C,
        ChartArg::Run => Chart::Run,
    };
    let method = match args.method {
        MethodArg::Mdc => Method::Mdc,
        MethodArg::Qic => Method::Qic,
    };
    let mut o = Options::new(chart, method);
    if let Some(s) = args.screen_moving_ranges {
        o.screen_moving_ranges = matches!(s, OnOff::On);
    }
    if args.shift.is_some() {
        o.shift = args.shift;
    }
    if args.trend.is_some() {
        o.trend = args.trend;
    }
    if let Some(t) = args.two_of_three {
        o.two_of_three = match t {
            TwoOfThreeArg::Classic => TwoOfThree::Classic,
            TwoOfThreeArg::Since2023 => TwoOfThree::Since2023,
            TwoOfThreeArg::Off => TwoOfThree::Off,
        };
    }
    o.improvement = match args.improvement {
        ImprovementArg::Increase => Improvement::Increase,
        ImprovementArg::Decrease => Improvement::Decrease,
        ImprovementArg::Neither => Improvement::Neither,
    };
    o.target = args.target;
    o.baseline = args.baseline;
    o.auto_rebase = args.auto_rebase;
    o.min_phase = args.min_phase;
    for text in &args.rebase {
        let period = Period::parse(text).with_context(|| {
            format!("--rebase {text:?}: give a period as YYYY-MM or YYYY-MM-DD")
        })?;
        o.rebase.push(period);
    }
    Ok(o)
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// Runs `safer spc analyse`; returns whether every series was analysed.
pub fn analyse_command(args: &AnalyseArgs) -> Result<bool> {
    let options = options(args)?;
    let (source, text) = match &args.input {
        Some(path) => (
            path.display().to_string(),
            safer_import::read_text(path, limits::SPC_INPUT_BYTES)?,
        ),
        None => {
            let mut text = String::new();
            safer_import::Bounded::new(std::io::stdin().lock(), limits::SPC_INPUT_BYTES)
                .read_to_string(&mut text)
                .context("could not read standard input")?;
            ("standard input".to_owned(), text)
        }
    };
    let series: Vec<SeriesInput> = match read_csv(&text) {
        Ok(s) => s,
        Err(errors) => {
            for e in errors.iter().take(limits::PROBLEMS_SHOWN) {
                eprintln!("{source}: {e}");
            }
            if errors.len() > limits::PROBLEMS_SHOWN {
                eprintln!(
                    "{source}: … and {} more",
                    errors.len() - limits::PROBLEMS_SHOWN
                );
            }
            bail!(
                "{} problem(s) in {source}; nothing was analysed",
                errors.len()
            );
        }
    };
    // Each series is written as soon as it is analysed, into one analysis refilled each time:
    // a file of many series needs neither all their results in memory nor an allocation each.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let all_ok = match args.format {
        Format::Json => {
            let mut json = serde_json::Serializer::pretty(&mut out);
            let mut array = (&mut json).serialize_seq(None)?;
            let all_ok = each_analysed(&series, &options, &source, |name, analysis| {
                Ok(array.serialize_element(&analysis.report(name))?)
            })?;
            array.end()?;
            writeln!(out)?;
            all_ok
        }
        Format::Csv => {
            writeln!(
                out,
                "series,period,value,centre,upper,lower,outside_limits,shift,trend,two_of_three,special_cause,variation,phase"
            )?;
            each_analysed(&series, &options, &source, |name, analysis| {
                write_csv(&mut out, name, analysis)
            })?
        }
        Format::Text => each_analysed(&series, &options, &source, |name, analysis| {
            write_text(&mut out, name, analysis)
        })?,
    };
    out.flush()?;
    Ok(all_ok)
}

/// Analyses each series in turn and hands it to `emit`, reporting those that cannot be analysed
/// on standard error; returns whether every series was analysed.
fn each_analysed(
    series: &[SeriesInput],
    options: &Options,
    source: &str,
    mut emit: impl FnMut(&str, &Analysis) -> Result<()>,
) -> Result<bool> {
    let mut all_ok = true;
    let mut analysis = Analysis::default();
    for s in series {
        match analyse_into(&s.observations, options, &mut analysis) {
            Ok(()) => emit(&s.name, &analysis)?,
            Err(e) => {
                all_ok = false;
                let label = if s.name.is_empty() {
                    "the series".to_owned()
                } else {
                    format!("series {:?}", s.name)
                };
                eprintln!("{source}: {label}: {e}");
            }
        }
    }
    Ok(all_ok)
}

/// One series' points as CSV rows.
fn write_csv(out: &mut impl Write, name: &str, a: &Analysis) -> Result<()> {
    let name = if name.contains([',', '"', '\n']) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_owned()
    };
    for p in &a.points {
        let variation = serde_json::to_value(p.variation)?;
        writeln!(
            out,
            "{name},{},{},{},{},{},{},{},{},{},{},{},{}",
            p.period,
            p.value,
            p.centre,
            opt(p.upper),
            opt(p.lower),
            p.outside_limits,
            p.shift,
            p.trend,
            p.two_of_three,
            p.special_cause,
            variation.as_str().unwrap_or_default(),
            p.phase + 1
        )?;
    }
    Ok(())
}

/// One series as text: its name, narrative, phases, special causes and assurance.
fn write_text(out: &mut impl Write, name: &str, a: &Analysis) -> Result<()> {
    writeln!(out, "{}", if name.is_empty() { "Series" } else { name })?;
    writeln!(out, "  {}", narrative(a))?;
    for (i, phase) in a.phases.iter().enumerate() {
        let limits = match (phase.lower, phase.upper) {
            (Some(l), Some(u)) => format!(
                ", limits {} to {}",
                format_value(l, a.chart),
                format_value(u, a.chart)
            ),
            _ => String::new(),
        };
        writeln!(
            out,
            "  phase {}: {} to {}, {} points, centre {}{limits}",
            i + 1,
            phase.start,
            phase.end,
            phase.n,
            format_value(phase.centre, a.chart)
        )?;
    }
    let signals: Vec<String> = a
        .points
        .iter()
        .filter(|p| p.special_cause)
        .map(|p| p.period.to_string())
        .collect();
    if !signals.is_empty() {
        writeln!(out, "  special cause: {}", signals.join(", "))?;
    }
    if let Some(assurance) = a.assurance {
        writeln!(
            out,
            "  assurance: {}",
            serde_json::to_value(assurance)?
                .as_str()
                .unwrap_or_default()
        )?;
    }
    writeln!(out)?;
    Ok(())
}
