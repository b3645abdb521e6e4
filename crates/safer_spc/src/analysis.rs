//! The analysis of one series: phases and their limits, the special-cause rules on every
//! point, what each signal means, the assurance against a target, and the runs analysis.

use crate::SpcError;
use crate::bits::{self, Bits, Wide};
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

/// A series' analysis as the JSON output documented in the crate root: the series' name, the
/// chart's name, phases, points, assurance and narrative.
#[derive(Debug, Clone, Serialize)]
pub struct SeriesReport<'a> {
    /// The series' name.
    pub series: &'a str,
    /// The chart's short name.
    pub chart: &'static str,
    /// The phases.
    pub phases: &'a [Phase],
    /// The points.
    pub points: &'a [PointResult],
    /// The assurance.
    pub assurance: Option<Assurance>,
    /// The narrative paragraph.
    pub narrative: String,
}

impl Analysis {
    /// This analysis as the documented JSON object for the series `name`.
    pub fn report<'a>(&'a self, name: &'a str) -> SeriesReport<'a> {
        SeriesReport {
            series: name,
            chart: self.chart.name(),
            phases: &self.phases,
            points: &self.points,
            assurance: self.assurance,
            narrative: crate::narrative::narrative(self),
        }
    }
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

/// Which side of the centre each point is on: (above, below). Points on the centre are in
/// neither.
fn sides<B: Bits>(y: &[f64], centre: f64) -> (B, B) {
    let [above, below] = B::from_fns(y.len(), |i| [y[i] > centre, y[i] < centre]);
    (above, below)
}

/// The points above the upper limit, below the lower, above the near-upper line and below the
/// near-lower, given each point's lines.
fn beyond<'a, B: Bits>(y: &[f64], lines: impl Fn(usize) -> &'a [f64; 4]) -> [B; 4] {
    let n = y.len();
    B::from_fns(n, |i| {
        let [upper, lower, near_upper, near_lower] = *lines(i);
        [
            y[i] > upper,
            y[i] < lower,
            y[i] > near_upper,
            y[i] < near_lower,
        ]
    })
}

/// The points each rule flags in one phase, high and low.
struct Flags<B> {
    outside: (B, B),
    shift: (B, B),
    trend: (B, B),
    /// The rising slopes (bit i: from point i - 1 to i) within a trend, to tell which trend a
    /// peak shared by a rise and a fall belongs to: the earlier one.
    rising_trend_slopes: B,
    two_of_three: (B, B),
    /// The points any rule flags.
    any: B,
}

/// The rules' findings for one point: for each rule, the direction (true = high) if it fired.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct Signals {
    outside: Option<bool>,
    shift: Option<bool>,
    trend: Option<bool>,
    two_of_three: Option<bool>,
}

impl<B: Bits> Flags<B> {
    fn at(&self, i: usize) -> Signals {
        let direction = |(high, low): &(B, B)| {
            if high.has(i) {
                Some(true)
            } else if low.has(i) {
                Some(false)
            } else {
                None
            }
        };
        let trend = match (self.trend.0.has(i), self.trend.1.has(i)) {
            (true, true) => Some(self.rising_trend_slopes.has(i)),
            (true, false) => Some(true),
            (false, true) => Some(false),
            (false, false) => None,
        };
        Signals {
            outside: direction(&self.outside),
            shift: direction(&self.shift),
            trend,
            two_of_three: direction(&self.two_of_three),
        }
    }
}

/// The rules on one phase's points, and its runs analysis, as set arithmetic on the points
/// above and below the centre, beyond the limits and the near-limit lines, rising and falling.
fn rules<B: Bits>(options: &Options, y: &[f64], l: &Lines) -> (Flags<B>, Runs) {
    let n = y.len();
    let centre = l.centre;
    let [above, below, rising, falling] = B::from_fns(n, |i| {
        let previous = if i > 0 { y[i - 1] } else { y[i] };
        [
            y[i] > centre,
            y[i] < centre,
            y[i] > previous,
            y[i] < previous,
        ]
    });
    let [outside_high, outside_low, near_high, near_low] = match &l.limits {
        Limits::None => std::array::from_fn(|_| B::empty(n)),
        Limits::Constant(lines) => beyond(y, |_| lines),
        Limits::PerPoint(lines) => beyond(y, |i| &lines[i]),
    };
    let none = || (B::empty(n), B::empty(n));

    let shift = options.shift.map_or_else(none, |len| {
        (bits::in_runs(&above, len), bits::in_runs(&below, len))
    });
    // A trend of N points is N - 1 slopes the same way; each slope flags the point before it too.
    let (trend, rising_trend_slopes) = match options.trend {
        Some(len) => {
            let up = bits::in_runs(&rising, len - 1);
            let down = bits::in_runs(&falling, len - 1);
            ((up.or(&up.down(1)), down.or(&down.down(1))), up)
        }
        None => (none(), B::empty(n)),
    };
    let outside_any = outside_high.or(&outside_low);
    let two_of_three = match options.two_of_three {
        TwoOfThree::Off => none(),
        variant => {
            let side = |side: &B, near: &B| {
                let counted = if variant == TwoOfThree::Since2023 {
                    near.clone()
                } else {
                    near.and_not(&outside_any)
                };
                // Windows of three points on the same side, two of them beyond the near line.
                let windows = side
                    .and(&side.down(1))
                    .and(&side.down(2))
                    .and(&bits::two_of_three_windows(&counted));
                windows
                    .or(&windows.up(1))
                    .or(&windows.up(2))
                    .and(&near.and_not(&outside_any))
                    .and(side)
            };
            (side(&above, &near_high), side(&below, &near_low))
        }
    };

    let useful = above.or(&below);
    let m = useful.count();
    // Points on the centre line neither break nor add to a run: close them up.
    let above_useful = if m == n {
        above.clone()
    } else {
        bits::compact(&above, &useful, n)
    };
    let below_useful = B::all(m).and_not(&above_useful);
    let changes = above_useful
        .xor(&above_useful.down(1))
        .and(&B::all(m.saturating_sub(1)));
    let longest = bits::longest_run(&above_useful).max(bits::longest_run(&below_useful));
    let crossings = changes.count();
    let (max, min) = (longest_run_max(m), crossings_min(m));
    let runs = Runs {
        useful: m,
        longest_run: longest,
        longest_run_max: max,
        crossings,
        crossings_min: min,
        signal: longest > max || crossings < min,
    };
    let any = [&shift, &trend, &two_of_three]
        .iter()
        .fold(outside_any, |any, (high, low)| any.or(high).or(low));
    let flags = Flags {
        any,
        outside: (outside_high, outside_low),
        shift,
        trend,
        rising_trend_slopes,
        two_of_three,
    };
    (flags, runs)
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

/// The first sustained shift in `y` (a run of at least `len` points on one side of `centre`)
/// that leaves at least `min` points before it and from it: (start, whether up, run length).
fn first_shift<B: Bits>(
    y: &[f64],
    centre: f64,
    len: usize,
    min: usize,
) -> Option<(usize, bool, usize)> {
    let n = y.len();
    let (above, below) = sides::<B>(y, centre);
    let allowed = B::all((n + 1).saturating_sub(min)).and_not(&B::all(min));
    let up = bits::first_run_start(&above, len, &allowed);
    let down = bits::first_run_start(&below, len, &allowed);
    match (up, down) {
        (Some((u, ru)), Some((d, _))) if u < d => Some((u, true, ru)),
        (_, Some((d, rd))) => Some((d, false, rd)),
        (Some((u, ru)), None) => Some((u, true, ru)),
        (None, None) => None,
    }
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
        let y = &self.values[a..b];
        let found = if y.len() <= 128 {
            first_shift::<u128>(y, centre, len, min)
        } else {
            first_shift::<Wide>(y, centre, len, min)
        };
        let found = found.map(|(start, up, run)| (a + start, PhaseStart::StepChange { up, run }));
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
        let runs = if y.len() <= 128 {
            push_points::<u128>(options, &observations[*a..b], y, &l, k, &mut points)
        } else {
            push_points::<Wide>(options, &observations[*a..b], y, &l, k, &mut points)
        };
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

/// Runs the rules on one phase and appends its points' results; returns its runs analysis.
fn push_points<B: Bits>(
    options: &Options,
    observations: &[Observation],
    y: &[f64],
    l: &Lines,
    phase: usize,
    points: &mut Vec<PointResult>,
) -> Runs {
    let (flags, runs) = rules::<B>(options, y, l);
    // Most points are common cause: look up the rules only at the flagged ones.
    let mut next_flagged = flags.any.first();
    // `extend` from an iterator of known length writes the points in place.
    points.extend(
        observations
            .iter()
            .zip(y)
            .enumerate()
            .map(|(i, (observation, value))| {
                let s = if next_flagged == Some(i) {
                    next_flagged = flags.any.and_not(&B::all(i + 1)).first();
                    flags.at(i)
                } else {
                    Signals::default()
                };
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
                PointResult {
                    period: observation.period,
                    value: *value,
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
                    phase,
                }
            }),
    );
    runs
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn options() -> impl Strategy<Value = Options> {
        (
            3usize..9,
            3usize..9,
            prop_oneof![
                Just(TwoOfThree::Off),
                Just(TwoOfThree::Classic),
                Just(TwoOfThree::Since2023)
            ],
        )
            .prop_map(|(shift, trend, two_of_three)| Options {
                shift: Some(shift),
                trend: Some(trend),
                two_of_three,
                ..Options::default()
            })
    }

    proptest! {
        // The one-word and the many-word sets must find the same signals, runs and shifts; small
        // integer values make ties and points on the centre line common.
        #[test]
        fn one_word_and_many_word_sets_agree(
            ys in prop::collection::vec((0u8..6).prop_map(f64::from), 2..128),
            options in options(),
        ) {
            let l = lines(&options, &ys, &[], &[], ys.len());
            let (small, small_runs) = rules::<u128>(&options, &ys, &l);
            let (wide, wide_runs) = rules::<Wide>(&options, &ys, &l);
            prop_assert_eq!(small_runs, wide_runs);
            for i in 0..ys.len() {
                prop_assert_eq!(small.at(i), wide.at(i), "point {}", i);
                prop_assert_eq!(small.any.has(i), wide.any.has(i));
            }
            prop_assert_eq!(
                first_shift::<u128>(&ys, l.centre, 4, 3),
                first_shift::<Wide>(&ys, l.centre, 4, 3)
            );
        }
    }
}
