//! Statistical process control for safer: control charts, special-cause rules, automatic step
//! changes and plain-English narrative.
//!
//! **Invariant:** this crate does no I/O. It takes observations (parsed from CSV text by
//! [`input`], or built by the caller) and returns an [`Analysis`]; [`narrative`] turns an
//! analysis into sentences. No input makes it panic: bad input is an [`SpcError`].
//!
//! # Method
//!
//! * Charts ([`Chart`]): XmR (individuals with moving ranges); p and u with a limit per point
//!   from its denominator, and Laney's p′ and u′ which widen those limits by the between-point
//!   variation; c; and run charts (median, with the Anhøj runs analysis).
//! * [`Method::Mdc`] (the default) reproduces NHSRplotthedots, the reference implementation of NHS
//!   England's Making Data Count: XmR limits at the mean ± 2.66 × the average moving range, moving
//!   ranges screened (those of 3.267 × the average or more are left out), rules of 7 points for a
//!   shift and a trend, and the two-of-three rule in its pre-2023 form.
//!   [`Method::Qic`] reproduces qicharts2: limits at ± 3σ with σ = AMR / 1.128, screened moving
//!   ranges, points outside the limits and the Anhøj runs analysis, no shift, trend or
//!   two-of-three rules unless asked for.
//! * Phases: limits come from all of a phase's points, from its first N points (a fixed baseline,
//!   N ≥ 12), and a new phase starts at each rebase period given, or, with automatic step changes,
//!   at the first point of each sustained shift, as long as both phases keep the minimum length.
//!
//! # JSON output
//!
//! `safer spc analyse --format json` prints an array with one object per series:
//!
//! ```text
//! {
//!   "series": "Total recorded crime",          // from the `series` column, or "" if absent
//!   "chart": "xmr",                            // xmr | p | u | pp | up | c | run
//!   "phases": [ { "start": "2014-03", "end": "2016-01", "centre": 3180.2,
//!                 "upper": 3530.1, "lower": 2830.3,   // null for per-point limits (p, u, pp, up) and run charts
//!                 "n": 23, "started_by": "first",     // first | rebase | step_change
//!                 "runs": { "useful": 22, "longest_run": 5, "longest_run_max": 7,
//!                           "crossings": 10, "crossings_min": 7, "signal": false } } ],
//!   "points": [ { "period": "2014-03", "value": 3101.0, "centre": 3180.2,
//!                 "upper": 3530.1, "lower": 2830.3,   // null on run charts
//!                 "outside_limits": false, "shift": false, "trend": false, "two_of_three": false,
//!                 "special_cause": false,
//!                 "variation": "common_cause" } ],   // common_cause | improvement | concern | neither
//!   "assurance": "hit_and_miss",               // consistently_met | consistently_missed | hit_and_miss | null
//!   "narrative": "Stable since March 2014 at a monthly average of 3,180. …"
//! }
//! ```
//!
//! For p and pp charts, values, centres and limits are proportions (0–1); for u and up, rates per
//! unit of the denominator.

pub mod analysis;
mod bits;
pub mod input;
pub mod narrative;
pub mod options;
pub mod period;
mod stats;

pub use analysis::{
    Analysis, Assurance, Phase, PhaseStart, PointResult, Runs, SeriesReport, Variation, analyse,
    analyse_into,
};
pub use options::{Chart, Improvement, Method, Options, TwoOfThree};
pub use period::Period;

/// Why a series could not be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpcError {
    /// Too few points for the chart.
    #[error("{needed} points are needed for this chart; the series has {got}")]
    TooFewPoints {
        /// The points the chart needs.
        needed: usize,
        /// The points there are.
        got: usize,
    },
    /// A value or denominator is not a finite number.
    #[error("the value for {period} is not a finite number")]
    NotFinite {
        /// Where.
        period: Period,
    },
    /// A p, u, pp or up chart needs a denominator for every point.
    #[error("the {chart} chart needs a denominator for every point; {period} has none")]
    MissingDenominator {
        /// The chart.
        chart: &'static str,
        /// Where.
        period: Period,
    },
    /// A denominator is zero or negative.
    #[error("the denominator for {period} must be more than zero")]
    BadDenominator {
        /// Where.
        period: Period,
    },
    /// A p chart's count exceeds its denominator, or a count is negative.
    #[error("the value for {period} must be a count between 0 and its denominator")]
    BadCount {
        /// Where.
        period: Period,
    },
    /// A rebase period is not in the series.
    #[error("the rebase period {period} is not in the series")]
    UnknownRebase {
        /// The period asked for.
        period: Period,
    },
    /// An option is out of range.
    #[error("{0}")]
    BadOption(String),
}
