//! The analysis of one series: phases and their limits, the special-cause rules on every
//! point, what each signal means, the assurance against a target, and the runs analysis.

use crate::SpcError;
use crate::options::{Chart, Improvement, Method, Options, TwoOfThree};
use crate::period::Period;
use crate::stats::{D2, average_moving_range, crossings_min, longest_run_max, mean, median};
use serde::Serialize;

/// One observation: a period's value and, for p, u, pp and up charts, its denominator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// The period.
    pub period: Period,
    /// The value (a count for p, u, pp, up and c charts).
    pub value: f64,
    /// The denominator: the number of cases (p) or the exposure (u).
    pub denominator: Option<f64>,
}

/// What a special-cause point means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    /// No rule fired.
    CommonCause,
    /// A signal in the better direction.
    Improvement,
    /// A signal in the worse direction.
    Concern,
    /// A signal, with no direction set as better.
    Neither,
}

/// Whether the process will meet its target, from where the target sits against the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// The target is beyond the worse limit: the process will meet it every time.
    ConsistentlyMet,
    /// The target is beyond the better limit: the process will miss it every time.
    ConsistentlyMissed,
    /// The target is within the limits: sometimes met, sometimes missed.
    HitAndMiss,
}

/// Why a phase begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PhaseStart {
    /// The first point of the series.
    First,
    /// A rebase period that was asked for.
    Rebase,
    /// An automatic step change: a sustained shift began here.
    StepChange {
        /// Whether the shift was above the previous phase's centre.
        up: bool,
        /// How many points in a row were on that side, from here.
        run: usize,
    },
}

/// The Anhøj runs analysis of one phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Runs {
    /// Points not on the centre line.
    pub useful: usize,
    /// The longest run of useful points on one side of the centre.
    pub longest_run: usize,
    /// A longer run than this is a signal.
    pub longest_run_max: usize,
    /// How often consecutive useful points change side.
    pub crossings: usize,
    /// Fewer crossings than this is a signal.
    pub crossings_min: usize,
    /// Whether either signal fired.
    pub signal: bool,
}

/// A stretch of the series with its own centre and limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// The first period.
    pub start: Period,
    /// The last period.
    pub end: Period,
    /// The centre line.
    pub centre: f64,
    /// The upper limit, where one limit serves the whole phase.
    pub upper: Option<f64>,
    /// The lower limit, where one limit serves the whole phase.
    pub lower: Option<f64>,
    /// The number of points.
    pub n: usize,
    /// Why it begins.
    pub started_by: PhaseStart,
    /// The runs analysis.
    pub runs: Runs,
    /// The index of its first point.
    #[serde(skip)]
    pub first: usize,
}

/// One point's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointResult {
    /// The period.
    pub period: Period,
    /// The plotted value (a proportion on p charts, a rate on u charts).
    pub value: f64,
    /// The centre line at this point.
    pub centre: f64,
    /// The upper limit at this point.
    pub upper: Option<f64>,
    /// The lower limit at this point.
    pub lower: Option<f64>,
    /// Beyond a limit.
    pub outside_limits: bool,
    /// Part of a run of points on one side of the centre.
    pub shift: bool,
    /// Part of a run of points rising or falling.
    pub trend: bool,
    /// One of two out of three points beyond the near-limit line.
    pub two_of_three: bool,
    /// Any rule fired.
    pub special_cause: bool,
    /// What the signal means.
    pub variation: Variation,
    /// Whether the signal is high (true) or low; `None` for common cause.
    #[serde(skip)]
    pub high: Option<bool>,
    /// The index of the phase the point is in.
    #[serde(skip)]
    pub phase: usize,
}

/// The analysis of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// The chart.
    pub chart: Chart,
    /// The phases, in order.
    pub phases: Vec<Phase>,
    /// Every point, in order.
    pub points: Vec<PointResult>,
    /// The assurance against the target, where there is a target and a better direction.
    pub assurance: Option<Assurance>,
}

/// Per-point lines for one phase.
struct Lines {
    centre: f64,
    upper: Vec<Option<f64>>,
    lower: Vec<Option<f64>>,
    near_upper: Vec<Option<f64>>,
    near_lower: Vec<Option<f64>>,
}

fn validate(observations: &[Observation], options: &Options) -> Result<(), SpcError> {
    if observations.len() < 2 {
        return Err(SpcError::TooFewPoints {
            needed: 2,
            got: observations.len(),
        });
    }
    if let Some(n) = options.baseline {
        if n < 12 {
            return Err(SpcError::BadOption(format!(
                "a baseline needs at least 12 points; {n} were asked for"
            )));
        }
        if n > observations.len() {
            return Err(SpcError::BadOption(format!(
                "a baseline of {n} points is longer than the series of {}",
                observations.len()
            )));
        }
    }
    if options.shift.is_some_and(|n| n < 2) || options.trend.is_some_and(|n| n < 3) {
        return Err(SpcError::BadOption(
            "a shift needs at least 2 points and a trend at least 3".into(),
        ));
    }
    if options.min_phase < 2 {
        return Err(SpcError::BadOption(
            "a phase needs at least 2 points".into(),
        ));
    }
    if options.target.is_some_and(|t| !t.is_finite()) {
        return Err(SpcError::BadOption(
            "the target must be a finite number".into(),
        ));
    }
    for w in observations.windows(2) {
        if w[1].period <= w[0].period {
            return Err(SpcError::BadOption(format!(
                "periods must be in order without repeats; {} follows {}",
                w[1].period, w[0].period
            )));
        }
    }
    for o in observations {
        if !o.value.is_finite() {
            return Err(SpcError::NotFinite { period: o.period });
        }
        if options.chart.needs_denominator() {
            let n = o.denominator.ok_or(SpcError::MissingDenominator {
                chart: options.chart.name(),
                period: o.period,
            })?;
            if !n.is_finite() {
                return Err(SpcError::NotFinite { period: o.period });
            }
            if n <= 0.0 {
                return Err(SpcError::BadDenominator { period: o.period });
            }
            if o.value < 0.0 || (matches!(options.chart, Chart::P | Chart::Pp) && o.value > n) {
                return Err(SpcError::BadCount { period: o.period });
            }
        }
        if options.chart == Chart::C && o.value < 0.0 {
            return Err(SpcError::BadCount { period: o.period });
        }
    }
    Ok(())
}

/// The centre and limits of one phase, from its first `baseline` points.
fn lines(
    options: &Options,
    values: &[f64],
    counts: &[f64],
    denominators: &[f64],
    baseline: usize,
) -> Lines {
    let n = values.len();
    let b = baseline.min(n).max(1);
    let all = |v: Option<f64>| vec![v; n];
    let sym = |centre: f64,
               spread: Vec<f64>,
               k: f64,
               floor: Option<f64>,
               ceiling: Option<f64>|
     -> (Vec<Option<f64>>, Vec<Option<f64>>) {
        let up = spread
            .iter()
            .map(|s| Some(ceiling.map_or(centre + k * s, |c| (centre + k * s).min(c))))
            .collect();
        let down = spread
            .iter()
            .map(|s| Some(floor.map_or(centre - k * s, |f| (centre - k * s).max(f))))
            .collect();
        (up, down)
    };
    match options.chart {
        Chart::Run => {
            let centre = median(&values[..b]);
            Lines {
                centre,
                upper: all(None),
                lower: all(None),
                near_upper: all(None),
                near_lower: all(None),
            }
        }
        Chart::Xmr => {
            let centre = mean(&values[..b]);
            let amr = average_moving_range(&values[..b], options.screen_moving_ranges);
            // NHSRplotthedots rounds 3 / d2 to 2.66; qicharts2 keeps 3σ with σ = AMR / d2.
            let sigma = match options.method {
                Method::Mdc => 2.66 / 3.0 * amr,
                Method::Qic => amr / D2,
            };
            let (upper, lower) = sym(centre, vec![sigma; n], 3.0, None, None);
            let (near_upper, near_lower) = sym(centre, vec![sigma; n], 2.0, None, None);
            Lines {
                centre,
                upper,
                lower,
                near_upper,
                near_lower,
            }
        }
        Chart::C => {
            let centre = mean(&values[..b]);
            let sigma = vec![centre.sqrt(); n];
            let (upper, lower) = sym(centre, sigma.clone(), 3.0, Some(0.0), None);
            let (near_upper, near_lower) = sym(centre, sigma, 2.0, Some(0.0), None);
            Lines {
                centre,
                upper,
                lower,
                near_upper,
                near_lower,
            }
        }
        Chart::P | Chart::U | Chart::Pp | Chart::Up => {
            let total: f64 = denominators[..b].iter().sum();
            let centre = counts[..b].iter().sum::<f64>() / total;
            let proportion = matches!(options.chart, Chart::P | Chart::Pp);
            let mut sigma: Vec<f64> = denominators
                .iter()
                .map(|d| {
                    if proportion {
                        (centre * (1.0 - centre) / d).sqrt()
                    } else {
                        (centre / d).sqrt()
                    }
                })
                .collect();
            if matches!(options.chart, Chart::Pp | Chart::Up) {
                // Laney: scale by the variation of the standardised values between points.
                let z: Vec<f64> = values[..b]
                    .iter()
                    .zip(&sigma)
                    .map(|(y, s)| if *s > 0.0 { (y - centre) / s } else { 0.0 })
                    .collect();
                let sigma_z = average_moving_range(&z, true) / D2;
                if sigma_z.is_finite() {
                    sigma.iter_mut().for_each(|s| *s *= sigma_z);
                }
            }
            let ceiling = proportion.then_some(1.0);
            let (upper, lower) = sym(centre, sigma.clone(), 3.0, Some(0.0), ceiling);
            let (near_upper, near_lower) = sym(centre, sigma, 2.0, Some(0.0), ceiling);
            Lines {
                centre,
                upper,
                lower,
                near_upper,
                near_lower,
            }
        }
    }
}

fn side(y: f64, centre: f64) -> i8 {
    if y > centre {
        1
    } else if y < centre {
        -1
    } else {
        0
    }
}

/// Runs of the same non-zero sign as (start, end exclusive, sign).
fn sign_runs(signs: &[i8]) -> Vec<(usize, usize, i8)> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=signs.len() {
        if i == signs.len() || signs[i] != signs[start] {
            if signs[start] != 0 {
                runs.push((start, i, signs[start]));
            }
            start = i;
        }
    }
    runs
}

struct Flags {
    outside: Vec<Option<bool>>,
    shift: Vec<Option<bool>>,
    trend: Vec<Option<bool>>,
    two_of_three: Vec<Option<bool>>,
}

/// The rules on one phase's points. Each flag holds the direction (true = high) when set.
fn rules(options: &Options, y: &[f64], l: &Lines) -> Flags {
    let n = y.len();
    let mut f = Flags {
        outside: vec![None; n],
        shift: vec![None; n],
        trend: vec![None; n],
        two_of_three: vec![None; n],
    };
    let outside_at = |i: usize| -> Option<bool> {
        match (l.upper[i], l.lower[i]) {
            (Some(u), _) if y[i] > u => Some(true),
            (_, Some(lo)) if y[i] < lo => Some(false),
            _ => None,
        }
    };
    for (i, slot) in f.outside.iter_mut().enumerate() {
        *slot = outside_at(i);
    }
    let signs: Vec<i8> = y.iter().map(|v| side(*v, l.centre)).collect();
    if let Some(len) = options.shift {
        for (a, b, s) in sign_runs(&signs) {
            if b - a >= len {
                f.shift[a..b].iter_mut().for_each(|x| *x = Some(s > 0));
            }
        }
    }
    if let Some(len) = options.trend {
        let slopes: Vec<i8> = y.windows(2).map(|w| side(w[1], w[0])).collect();
        for (a, b, s) in sign_runs(&slopes) {
            // `b - a` rises or falls join `b - a + 1` points.
            if b - a + 1 >= len {
                for slot in &mut f.trend[a..=b] {
                    slot.get_or_insert(s > 0);
                }
            }
        }
    }
    if options.two_of_three != TwoOfThree::Off && options.chart != Chart::Run {
        let beyond_near = |i: usize, s: i8| match s {
            1 => l.near_upper[i].is_some_and(|u| y[i] > u),
            _ => l.near_lower[i].is_some_and(|lo| y[i] < lo),
        };
        for w in 0..n.saturating_sub(2) {
            let s = signs[w];
            if s == 0 || signs[w + 1] != s || signs[w + 2] != s {
                continue;
            }
            let counts = |i: usize| {
                beyond_near(i, s)
                    && (options.two_of_three == TwoOfThree::Since2023 || f.outside[i].is_none())
            };
            if (w..w + 3).filter(|i| counts(*i)).count() >= 2 {
                for i in w..w + 3 {
                    if beyond_near(i, s) && f.outside[i].is_none() {
                        f.two_of_three[i] = Some(s > 0);
                    }
                }
            }
        }
    }
    f
}

fn runs(y: &[f64], centre: f64) -> Runs {
    let useful: Vec<i8> = y
        .iter()
        .map(|v| side(*v, centre))
        .filter(|s| *s != 0)
        .collect();
    let longest_run = sign_runs(&useful)
        .iter()
        .map(|(a, b, _)| b - a)
        .max()
        .unwrap_or(0);
    let crossings = useful.windows(2).filter(|w| w[0] != w[1]).count();
    let (max, min) = (longest_run_max(useful.len()), crossings_min(useful.len()));
    Runs {
        useful: useful.len(),
        longest_run,
        longest_run_max: max,
        crossings,
        crossings_min: min,
        signal: longest_run > max || crossings < min,
    }
}

/// The phase boundaries: (first index, why), in order.
fn manual_starts(
    observations: &[Observation],
    options: &Options,
) -> Result<Vec<(usize, PhaseStart)>, SpcError> {
    let mut starts = vec![(0, PhaseStart::First)];
    for period in &options.rebase {
        let i = observations
            .iter()
            .position(|o| o.period == *period)
            .ok_or(SpcError::UnknownRebase { period: *period })?;
        if i > 0 && !starts.iter().any(|(s, _)| *s == i) {
            starts.push((i, PhaseStart::Rebase));
        }
    }
    starts.sort_by_key(|(i, _)| *i);
    Ok(starts)
}

struct Series<'a> {
    options: &'a Options,
    values: Vec<f64>,
    counts: Vec<f64>,
    denominators: Vec<f64>,
}

impl Series<'_> {
    fn phase_lines(&self, a: usize, b: usize) -> Lines {
        let baseline = self.options.baseline.unwrap_or(b - a);
        let d = if self.denominators.is_empty() {
            &[][..]
        } else {
            &self.denominators[a..b]
        };
        lines(
            self.options,
            &self.values[a..b],
            &self.counts[a..b],
            d,
            baseline,
        )
    }

    /// The first sustained shift in any phase that leaves both sides at least the minimum length.
    fn next_step_change(&self, starts: &[(usize, PhaseStart)]) -> Option<(usize, PhaseStart)> {
        let len = self.options.shift.unwrap_or(7);
        let min = self.options.min_phase;
        for (k, (a, _)) in starts.iter().enumerate() {
            let b = starts.get(k + 1).map_or(self.values.len(), |s| s.0);
            let centre = self.phase_lines(*a, b).centre;
            let signs: Vec<i8> = self.values[*a..b]
                .iter()
                .map(|v| side(*v, centre))
                .collect();
            for (ra, rb, s) in sign_runs(&signs) {
                let start = a + ra;
                if rb - ra >= len && start - a >= min && b - start >= min {
                    return Some((
                        start,
                        PhaseStart::StepChange {
                            up: s > 0,
                            run: rb - ra,
                        },
                    ));
                }
            }
        }
        None
    }
}

/// Analyses one series. Observations must be in period order, without repeats.
pub fn analyse(observations: &[Observation], options: &Options) -> Result<Analysis, SpcError> {
    validate(observations, options)?;
    let rate = options.chart.needs_denominator();
    let series = Series {
        options,
        values: observations
            .iter()
            .map(|o| {
                if rate {
                    o.value / o.denominator.unwrap_or(1.0)
                } else {
                    o.value
                }
            })
            .collect(),
        counts: observations.iter().map(|o| o.value).collect(),
        denominators: if rate {
            observations
                .iter()
                .map(|o| o.denominator.unwrap_or(1.0))
                .collect()
        } else {
            Vec::new()
        },
    };
    let mut starts = manual_starts(observations, options)?;
    if options.auto_rebase {
        while let Some(step) = series.next_step_change(&starts) {
            starts.push(step);
            starts.sort_by_key(|(i, _)| *i);
        }
    }

    let mut phases = Vec::new();
    let mut points = Vec::with_capacity(observations.len());
    for (k, (a, started_by)) in starts.iter().enumerate() {
        let b = starts.get(k + 1).map_or(observations.len(), |s| s.0);
        let y = &series.values[*a..b];
        let l = series.phase_lines(*a, b);
        let f = rules(options, y, &l);
        let constant =
            |v: &[Option<f64>]| v.windows(2).all(|w| w[0] == w[1]).then(|| v[0]).flatten();
        phases.push(Phase {
            start: observations[*a].period,
            end: observations[b - 1].period,
            centre: l.centre,
            upper: constant(&l.upper),
            lower: constant(&l.lower),
            n: b - a,
            started_by: *started_by,
            runs: runs(y, l.centre),
            first: *a,
        });
        for i in 0..y.len() {
            // Which rule names the direction: outside, then trend, then two-of-three, then shift.
            let high = f.outside[i]
                .or(f.trend[i])
                .or(f.two_of_three[i])
                .or(f.shift[i]);
            let variation = match (high, options.improvement) {
                (None, _) => Variation::CommonCause,
                (Some(_), Improvement::Neither) => Variation::Neither,
                (Some(h), Improvement::Increase) => {
                    if h {
                        Variation::Improvement
                    } else {
                        Variation::Concern
                    }
                }
                (Some(h), Improvement::Decrease) => {
                    if h {
                        Variation::Concern
                    } else {
                        Variation::Improvement
                    }
                }
            };
            points.push(PointResult {
                period: observations[a + i].period,
                value: y[i],
                centre: l.centre,
                upper: l.upper[i],
                lower: l.lower[i],
                outside_limits: f.outside[i].is_some(),
                shift: f.shift[i].is_some(),
                trend: f.trend[i].is_some(),
                two_of_three: f.two_of_three[i].is_some(),
                special_cause: high.is_some(),
                variation,
                high,
                phase: k,
            });
        }
    }
    let assurance = match (options.target, points.last()) {
        (Some(target), Some(last)) => {
            assurance(target, last.upper, last.lower, options.improvement)
        }
        _ => None,
    };
    Ok(Analysis {
        chart: options.chart,
        phases,
        points,
        assurance,
    })
}

fn assurance(
    target: f64,
    upper: Option<f64>,
    lower: Option<f64>,
    improvement: Improvement,
) -> Option<Assurance> {
    let (upper, lower) = (upper?, lower?);
    let above = target > upper;
    let below = target < lower;
    Some(match improvement {
        Improvement::Neither => return None,
        Improvement::Increase if above => Assurance::ConsistentlyMissed,
        Improvement::Increase if below => Assurance::ConsistentlyMet,
        Improvement::Decrease if below => Assurance::ConsistentlyMissed,
        Improvement::Decrease if above => Assurance::ConsistentlyMet,
        _ => Assurance::HitAndMiss,
    })
}
