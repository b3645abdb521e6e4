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

/// A phase's centre and limits: one set for the whole phase, or one per point (p, u, pp, up).
struct Lines {
    centre: f64,
    limits: Limits,
}

enum Limits {
    /// A run chart has no limits.
    None,
    /// (upper, lower, near upper, near lower) for every point.
    Constant([f64; 4]),
    /// (upper, lower, near upper, near lower) for each point.
    PerPoint(Vec<[f64; 4]>),
}

impl Lines {
    fn at(&self, i: usize) -> Option<[f64; 4]> {
        match &self.limits {
            Limits::None => None,
            Limits::Constant(l) => Some(*l),
            Limits::PerPoint(v) => v.get(i).copied(),
        }
    }
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

/// The centre line from the given (baseline) points.
fn centre(options: &Options, values: &[f64], counts: &[f64], denominators: &[f64]) -> f64 {
    match options.chart {
        Chart::Run => median(values),
        Chart::Xmr | Chart::C => mean(values),
        Chart::P | Chart::U | Chart::Pp | Chart::Up => {
            counts.iter().sum::<f64>() / denominators.iter().sum::<f64>()
        }
    }
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
    let (c, d) = if denominators.is_empty() {
        (counts, denominators)
    } else {
        (&counts[..b], &denominators[..b])
    };
    let centre = centre(options, &values[..b], c, d);
    let around = |sigma: f64, floor: Option<f64>, ceiling: Option<f64>| -> [f64; 4] {
        let clip = |x: f64| {
            let x = floor.map_or(x, |f| x.max(f));
            ceiling.map_or(x, |c| x.min(c))
        };
        [
            clip(centre + 3.0 * sigma),
            clip(centre - 3.0 * sigma),
            clip(centre + 2.0 * sigma),
            clip(centre - 2.0 * sigma),
        ]
    };
    let limits = match options.chart {
        Chart::Run => Limits::None,
        Chart::Xmr => {
            let amr = average_moving_range(&values[..b], options.screen_moving_ranges);
            // NHSRplotthedots rounds 3 / d2 to 2.66; qicharts2 keeps 3σ with σ = AMR / d2.
            let sigma = match options.method {
                Method::Mdc => 2.66 / 3.0 * amr,
                Method::Qic => amr / D2,
            };
            Limits::Constant(around(sigma, None, None))
        }
        Chart::C => Limits::Constant(around(centre.sqrt(), Some(0.0), None)),
        Chart::P | Chart::U | Chart::Pp | Chart::Up => {
            let proportion = matches!(options.chart, Chart::P | Chart::Pp);
            let sigma_of = |d: f64| {
                if proportion {
                    (centre * (1.0 - centre) / d).sqrt()
                } else {
                    (centre / d).sqrt()
                }
            };
            let mut scale = 1.0;
            if matches!(options.chart, Chart::Pp | Chart::Up) {
                // Laney: scale by the variation of the standardised values between points.
                let z: Vec<f64> = values[..b]
                    .iter()
                    .zip(&denominators[..b])
                    .map(|(y, d)| {
                        let s = sigma_of(*d);
                        if s > 0.0 { (y - centre) / s } else { 0.0 }
                    })
                    .collect();
                let sigma_z = average_moving_range(&z, true) / D2;
                if sigma_z.is_finite() {
                    scale = sigma_z;
                }
            }
            let ceiling = proportion.then_some(1.0);
            Limits::PerPoint(
                denominators
                    .iter()
                    .map(|d| around(sigma_of(*d) * scale, Some(0.0), ceiling))
                    .collect(),
            )
        }
    };
    Lines { centre, limits }
}

/// 1 above, -1 below, 0 on the centre. Branch-free: on noisy data the sign is unpredictable,
/// and this is the engine's hottest line.
#[inline]
fn side(y: f64, centre: f64) -> i8 {
    i8::from(y > centre) - i8::from(y < centre)
}

/// Calls `f(start, end exclusive, sign)` for each run of the same non-zero sign among
/// `sign(0..n)`, without allocating.
fn for_each_run(n: usize, sign: impl Fn(usize) -> i8, mut f: impl FnMut(usize, usize, i8)) {
    if n == 0 {
        return;
    }
    let mut start = 0;
    let mut current = sign(0);
    for i in 1..=n {
        let next = if i < n { sign(i) } else { 0 };
        if i == n || next != current {
            if current != 0 {
                f(start, i, current);
            }
            start = i;
            current = next;
        }
    }
}

/// The rules' findings for one point: for each rule, the direction (true = high) if it fired.
#[derive(Clone, Copy, Default)]
struct Signals {
    outside: Option<bool>,
    shift: Option<bool>,
    trend: Option<bool>,
    two_of_three: Option<bool>,
}

/// The rules on one phase's points, and its runs analysis, in one pass: each rule follows its
/// current run and flags it when it ends; two-of-three looks back over the last three points.
fn rules(options: &Options, y: &[f64], l: &Lines) -> (Vec<Signals>, Runs) {
    let n = y.len();
    let mut f = vec![Signals::default(); n];
    let constant = match l.limits {
        Limits::Constant(lines) => Some(lines),
        _ => None,
    };
    let shift_len = options.shift.unwrap_or(usize::MAX);
    let trend_len = options.trend.unwrap_or(usize::MAX);
    let two_of_three = options.two_of_three;
    // Side of the centre and beyond-the-near-line of the last three points, for two-of-three.
    let mut window_sign = [0i8; 3];
    let mut window_near = [0i8; 3];
    let (mut shift_start, mut shift_sign) = (0usize, 0i8);
    let (mut trend_start, mut trend_sign) = (0usize, 0i8);
    let (mut useful, mut longest, mut current, mut crossings, mut last) =
        (0usize, 0usize, 0usize, 0usize, 0i8);
    for i in 0..=n {
        // A sentinel step at i == n closes the last runs.
        let s = if i < n { side(y[i], l.centre) } else { 0 };
        if i == n || s != shift_sign {
            if shift_sign != 0 && i - shift_start >= shift_len {
                f[shift_start..i]
                    .iter_mut()
                    .for_each(|x| x.shift = Some(shift_sign > 0));
            }
            shift_start = i;
            shift_sign = s;
        }
        if i < n && i > 0 {
            let d = side(y[i], y[i - 1]);
            if d != trend_sign {
                // Slopes trend_start+1..i joined points trend_start..i-1.
                if trend_sign != 0 && i - trend_start >= trend_len {
                    for x in &mut f[trend_start..i] {
                        x.trend.get_or_insert(trend_sign > 0);
                    }
                }
                trend_start = i - 1;
                trend_sign = d;
            }
        } else if i == n && trend_sign != 0 && n - trend_start >= trend_len {
            for x in &mut f[trend_start..n] {
                x.trend.get_or_insert(trend_sign > 0);
            }
        }
        if i == n {
            break;
        }
        if s != 0 {
            useful += 1;
            if s == last {
                current += 1;
            } else {
                if last != 0 {
                    crossings += 1;
                }
                current = 1;
                last = s;
            }
            longest = longest.max(current);
        }
        let lines = constant.or_else(|| l.at(i));
        let mut near = 0;
        if let Some([upper, lower, near_upper, near_lower]) = lines {
            let v = y[i];
            const OUTSIDE: [Option<bool>; 3] = [Some(false), None, Some(true)];
            f[i].outside = OUTSIDE[(1 + i8::from(v > upper) - i8::from(v < lower)) as usize];
            near = i8::from(v > near_upper) - i8::from(v < near_lower);
        }
        window_sign = [window_sign[1], window_sign[2], s];
        window_near = [window_near[1], window_near[2], near];
        if two_of_three != TwoOfThree::Off && i >= 2 && s != 0 && window_sign == [s, s, s] {
            let w = i - 2;
            let counts = (0..3)
                .filter(|&k| {
                    window_near[k] == s
                        && (two_of_three == TwoOfThree::Since2023 || f[w + k].outside.is_none())
                })
                .count();
            if counts >= 2 {
                for k in 0..3 {
                    if window_near[k] == s && f[w + k].outside.is_none() {
                        f[w + k].two_of_three = Some(s > 0);
                    }
                }
            }
        }
    }
    let (max, min) = (longest_run_max(useful), crossings_min(useful));
    let runs = Runs {
        useful,
        longest_run: longest,
        longest_run_max: max,
        crossings,
        crossings_min: min,
        signal: longest > max || crossings < min,
    };
    (f, runs)
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
    fn slices(&self, a: usize, b: usize) -> (&[f64], &[f64], &[f64]) {
        if self.denominators.is_empty() {
            (&self.values[a..b], &[], &[])
        } else {
            (
                &self.values[a..b],
                &self.counts[a..b],
                &self.denominators[a..b],
            )
        }
    }

    fn phase_lines(&self, a: usize, b: usize) -> Lines {
        let baseline = self.options.baseline.unwrap_or(b - a);
        let (v, c, d) = self.slices(a, b);
        lines(self.options, v, c, d, baseline)
    }

    fn phase_centre(&self, a: usize, b: usize) -> f64 {
        let e = a + self.options.baseline.unwrap_or(b - a).min(b - a).max(1);
        let (v, c, d) = self.slices(a, e);
        centre(self.options, v, c, d)
    }

    /// Splits `a..b` at its first sustained shift that leaves both sides at least the minimum
    /// length, then each side likewise, pushing the step changes found in order. A phase's split
    /// depends only on its own points, so the order of splitting does not change the result.
    fn split(&self, a: usize, b: usize, out: &mut Vec<(usize, PhaseStart)>) {
        let len = self.options.shift.unwrap_or(7);
        let min = self.options.min_phase;
        if b - a < 2 * min {
            return;
        }
        let centre = self.phase_centre(a, b);
        let mut found = None;
        for_each_run(
            b - a,
            |i| side(self.values[a + i], centre),
            |ra, rb, s| {
                let start = a + ra;
                if found.is_none() && rb - ra >= len && start - a >= min && b - start >= min {
                    found = Some((
                        start,
                        PhaseStart::StepChange {
                            up: s > 0,
                            run: rb - ra,
                        },
                    ));
                }
            },
        );
        if let Some(step) = found {
            self.split(a, step.0, out);
            out.push(step);
            self.split(step.0, b, out);
        }
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
        counts: if rate {
            observations.iter().map(|o| o.value).collect()
        } else {
            Vec::new()
        },
        denominators: if rate {
            observations
                .iter()
                .map(|o| o.denominator.unwrap_or(1.0))
                .collect()
        } else {
            Vec::new()
        },
    };
    let manual = manual_starts(observations, options)?;
    let starts = if options.auto_rebase {
        let mut all = Vec::with_capacity(manual.len() + 2);
        for (k, start) in manual.iter().enumerate() {
            let b = manual.get(k + 1).map_or(observations.len(), |s| s.0);
            all.push(*start);
            series.split(start.0, b, &mut all);
        }
        all
    } else {
        manual
    };

    let mut phases = Vec::with_capacity(starts.len());
    let mut points = Vec::with_capacity(observations.len());
    for (k, (a, started_by)) in starts.iter().enumerate() {
        let b = starts.get(k + 1).map_or(observations.len(), |s| s.0);
        let y = &series.values[*a..b];
        let l = series.phase_lines(*a, b);
        let (f, runs) = rules(options, y, &l);
        let (upper, lower) = match &l.limits {
            Limits::Constant([u, lo, _, _]) => (Some(*u), Some(*lo)),
            Limits::PerPoint(v) if v.windows(2).all(|w| w[0] == w[1]) => {
                (v.first().map(|x| x[0]), v.first().map(|x| x[1]))
            }
            _ => (None, None),
        };
        phases.push(Phase {
            start: observations[*a].period,
            end: observations[b - 1].period,
            centre: l.centre,
            upper,
            lower,
            n: b - a,
            started_by: *started_by,
            runs,
            first: *a,
        });
        for (i, s) in f.iter().enumerate() {
            // Which rule names the direction: outside, then trend, then two-of-three, then shift.
            let high = s.outside.or(s.trend).or(s.two_of_three).or(s.shift);
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
            let limits = l.at(i);
            points.push(PointResult {
                period: observations[a + i].period,
                value: y[i],
                centre: l.centre,
                upper: limits.map(|x| x[0]),
                lower: limits.map(|x| x[1]),
                outside_limits: s.outside.is_some(),
                shift: s.shift.is_some(),
                trend: s.trend.is_some(),
                two_of_three: s.two_of_three.is_some(),
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
