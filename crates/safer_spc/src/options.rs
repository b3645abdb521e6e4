//! What to analyse and how.

use crate::period::Period;
use serde::Serialize;

/// The kind of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Chart {
    /// Individuals with moving ranges.
    #[default]
    Xmr,
    /// Proportions, limits per point from each denominator.
    P,
    /// Rates, limits per point from each denominator.
    U,
    /// Laney's p′: a p chart with limits widened by the between-point variation.
    Pp,
    /// Laney's u′.
    Up,
    /// Counts of events in equal areas of opportunity.
    C,
    /// A run chart: the median, with the Anhøj runs analysis.
    Run,
}

impl Chart {
    /// Parses `xmr`, `p`, `u`, `pp`, `up`, `c` or `run`.
    pub fn parse(s: &str) -> Option<Chart> {
        Some(match s {
            "xmr" | "i" => Chart::Xmr,
            "p" => Chart::P,
            "u" => Chart::U,
            "pp" => Chart::Pp,
            "up" => Chart::Up,
            "c" => Chart::C,
            "run" => Chart::Run,
            _ => return None,
        })
    }

    /// The chart's short name.
    pub fn name(self) -> &'static str {
        match self {
            Chart::Xmr => "xmr",
            Chart::P => "p",
            Chart::U => "u",
            Chart::Pp => "pp",
            Chart::Up => "up",
            Chart::C => "c",
            Chart::Run => "run",
        }
    }

    /// Whether each point needs a denominator.
    pub fn needs_denominator(self) -> bool {
        matches!(self, Chart::P | Chart::U | Chart::Pp | Chart::Up)
    }
}

/// Which reference implementation's defaults to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// NHSRplotthedots (Making Data Count).
    #[default]
    Mdc,
    /// qicharts2.
    Qic,
}

/// Which direction of change is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Improvement {
    /// Higher is better.
    Increase,
    /// Lower is better.
    Decrease,
    /// Neither: signals are only high or low.
    #[default]
    Neither,
}

/// The two-of-three rule's variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoOfThree {
    /// Not applied.
    Off,
    /// Two of three points beyond the near-limit line but inside the limits (NHSRplotthedots).
    Classic,
    /// As Making Data Count from 2023: points beyond the limits count towards the two.
    Since2023,
}

/// Everything that shapes an analysis. [`Options::new`] gives a method's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The chart.
    pub chart: Chart,
    /// Whose defaults these are.
    pub method: Method,
    /// Leave moving ranges of 3.267 × the average or more out of the limits.
    pub screen_moving_ranges: bool,
    /// Points in a row on one side of the centre that make a shift; `None` turns the rule off.
    pub shift: Option<usize>,
    /// Points in a row rising or falling that make a trend; `None` turns the rule off.
    pub trend: Option<usize>,
    /// The two-of-three rule.
    pub two_of_three: TwoOfThree,
    /// Which direction is better.
    pub improvement: Improvement,
    /// A target, for the assurance.
    pub target: Option<f64>,
    /// Compute each phase's limits from its first N points (N ≥ 12).
    pub baseline: Option<usize>,
    /// Start a new phase at each of these periods.
    pub rebase: Vec<Period>,
    /// Start a new phase at the first point of each sustained shift.
    pub auto_rebase: bool,
    /// The fewest points a phase may have when phases are found automatically.
    pub min_phase: usize,
}

impl Options {
    /// The defaults of `method` for `chart`.
    pub fn new(chart: Chart, method: Method) -> Options {
        let (shift, trend, two_of_three) = match method {
            Method::Mdc => (Some(7), Some(7), TwoOfThree::Classic),
            Method::Qic => (None, None, TwoOfThree::Off),
        };
        Options {
            chart,
            method,
            screen_moving_ranges: true,
            shift,
            trend,
            two_of_three,
            improvement: Improvement::Neither,
            target: None,
            baseline: None,
            rebase: Vec::new(),
            auto_rebase: false,
            min_phase: 12,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options::new(Chart::Xmr, Method::Mdc)
    }
}
