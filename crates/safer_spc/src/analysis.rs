//! The analysis of one series: phases and their limits, the special-cause rules on every
//! point, what each signal means, the assurance against a target, and the runs analysis.

use crate::SpcError;
use crate::bits::{self, Bits, with_width};
use crate::options::{Chart, Improvement, Method, Options, TwoOfThree};
use crate::period::Period;
use crate::stats::{D2, average_moving_range, crossings_min, longest_run_max, mean, median, sum};
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

/// An empty analysis of no points, for [`analyse_into`] to fill.
impl Default for Analysis {
    fn default() -> Self {
        Analysis {
            chart: Chart::Xmr,
            phases: Vec::new(),
            points: Vec::new(),
            assurance: None,
        }
    }
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
    if let Some(w) = observations.windows(2).find(|w| w[1].period <= w[0].period) {
        return Err(SpcError::BadOption(format!(
            "periods must be in order without repeats; {} follows {}",
            w[1].period, w[0].period
        )));
    }
    Ok(())
}

/// The values to plot (rates for p, u, pp and up charts), checked: each finite, with a
/// denominator above zero where the chart needs one, and counts within range.
fn plotted_values(observations: &[Observation], chart: Chart) -> Result<Vec<f64>, SpcError> {
    if !chart.needs_denominator() {
        // The common case: check, then copy in a loop the compiler can make tight.
        let negative_is_bad = chart == Chart::C;
        let bad = observations
            .iter()
            .find(|o| !o.value.is_finite() || (negative_is_bad && o.value < 0.0));
        return match bad {
            Some(o) if !o.value.is_finite() => Err(SpcError::NotFinite { period: o.period }),
            Some(o) => Err(SpcError::BadCount { period: o.period }),
            None => Ok(observations.iter().map(|o| o.value).collect()),
        };
    }
    let mut values = Vec::with_capacity(observations.len());
    for o in observations {
        if !o.value.is_finite() {
            return Err(SpcError::NotFinite { period: o.period });
        }
        let n = o.denominator.ok_or(SpcError::MissingDenominator {
            chart: chart.name(),
            period: o.period,
        })?;
        if !n.is_finite() {
            return Err(SpcError::NotFinite { period: o.period });
        }
        if n <= 0.0 {
            return Err(SpcError::BadDenominator { period: o.period });
        }
        if o.value < 0.0 || (matches!(chart, Chart::P | Chart::Pp) && o.value > n) {
            return Err(SpcError::BadCount { period: o.period });
        }
        values.push(o.value / n);
    }
    Ok(values)
}

/// The centre line from the given (baseline) points.
fn centre(options: &Options, values: &[f64], counts: &[f64], denominators: &[f64]) -> f64 {
    match options.chart {
        Chart::Run => median(values),
        Chart::Xmr | Chart::C => mean(values),
        Chart::P | Chart::U | Chart::Pp | Chart::Up => sum(counts) / sum(denominators),
    }
}

/// A phase's lines: its `centre` (from its first `baseline` points) and its limits, from the
/// same points.
fn limits_around(
    options: &Options,
    centre: f64,
    values: &[f64],
    denominators: &[f64],
    baseline: usize,
) -> Lines {
    let b = baseline.min(values.len()).max(1);
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

/// The points above the upper limit, below the lower, above the near-upper line and below the
/// near-lower, given each point's own lines (p, u, pp and up charts).
fn beyond_each<B: Bits>(y: &[f64], lines: &[[f64; 4]]) -> [B; 4] {
    B::from_fns(y.len(), |i| {
        let [upper, lower, near_upper, near_lower] = lines.get(i).copied().unwrap_or([f64::NAN; 4]);
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
fn rules<B: Bits>(options: &Options, y: &[f64], l: &Lines, above: B, below: B) -> (Flags<B>, Runs) {
    let n = y.len();
    let [rising, falling] = bits::rising_and_falling::<B>(y);
    let [outside_high, outside_low, near_high, near_low] = match &l.limits {
        Limits::None => std::array::from_fn(|_| B::empty(n)),
        Limits::Constant(lines) => bits::beyond(y, *lines),
        Limits::PerPoint(lines) => beyond_each(y, lines),
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

/// Where the rebases asked for begin phases: (first index, why), in order, without the first
/// phase. Empty (and unallocated) when no rebase is asked for.
fn rebase_starts(
    observations: &[Observation],
    options: &Options,
) -> Result<Vec<(usize, PhaseStart)>, SpcError> {
    let mut starts = Vec::new();
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

/// The first sustained shift in a phase of `n` points (a run of at least `len` points on one
/// side of its centre) that leaves at least `min` points before it and from it: (start, whether
/// up, run length).
fn first_shift<B: Bits>(
    above: &B,
    below: &B,
    n: usize,
    len: usize,
    min: usize,
) -> Option<(usize, bool, usize)> {
    let allowed = B::all((n + 1).saturating_sub(min)).and_not(&B::all(min));
    let up = bits::first_run_start(above, len, &allowed);
    let down = bits::first_run_start(below, len, &allowed);
    match (up, down) {
        (Some((u, ru)), Some((d, _))) if u < d => Some((u, true, ru)),
        (_, Some((d, rd))) => Some((d, false, rd)),
        (Some((u, ru)), None) => Some((u, true, ru)),
        (None, None) => None,
    }
}

/// A series being analysed: its plotted values (and counts and denominators for p, u, pp and
/// up charts), and the phases and points found so far.
struct Series<'a> {
    options: &'a Options,
    observations: &'a [Observation],
    values: Vec<f64>,
    counts: Vec<f64>,
    denominators: Vec<f64>,
    phases: Vec<Phase>,
    points: Vec<PointResult>,
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

    /// Analyses the points `a..b` as one phase, or, with automatic step changes, splits it at
    /// its first sustained shift that leaves both sides at least the minimum length and analyses
    /// each side likewise. A phase's split depends only on its own points, so splitting from the
    /// left gives the phases in order. The side after a split is taken in a loop rather than by
    /// recursion, so a long staircase of step changes does not run deep.
    fn phases_in(&mut self, mut a: usize, b: usize, mut started_by: PhaseStart) {
        loop {
            let baseline = self.options.baseline.unwrap_or(b - a).min(b - a).max(1);
            let (v, c, d) = self.slices(a, a + baseline);
            let centre = centre(self.options, v, c, d);
            let split = with_width!(b - a, |B| self
                .phase_or_split::<B>(a, b, started_by, centre));
            let Some((start, up, run)) = split else {
                return;
            };
            self.phases_in(a, a + start, started_by);
            a += start;
            started_by = PhaseStart::StepChange { up, run };
        }
    }

    /// Finds the first step change in `a..b`, or, when there is none to find, analyses it as a
    /// phase with the given centre.
    fn phase_or_split<B: Bits>(
        &mut self,
        a: usize,
        b: usize,
        started_by: PhaseStart,
        centre: f64,
    ) -> Option<(usize, bool, usize)> {
        let y = &self.values[a..b];
        // Which side of the centre each point is on; points on the centre are on neither. The
        // split's search and the rules share these.
        let [above, below] = bits::sides::<B>(y, centre);
        let min = self.options.min_phase;
        if self.options.auto_rebase && b - a >= 2 * min {
            let len = self.options.shift.unwrap_or(7);
            let found = first_shift(&above, &below, b - a, len, min);
            if found.is_some() {
                return found;
            }
        }
        let baseline = self.options.baseline.unwrap_or(b - a);
        let (v, _, d) = self.slices(a, b);
        let l = limits_around(self.options, centre, v, d, baseline);
        let (flags, runs) = rules::<B>(self.options, y, &l, above, below);
        let phase = self.phases.len();
        push_points(
            self.options,
            &self.observations[a..b],
            y,
            &l,
            &flags,
            phase,
            &mut self.points,
        );
        let (upper, lower) = match &l.limits {
            Limits::Constant([u, lo, _, _]) => (Some(*u), Some(*lo)),
            Limits::PerPoint(v) if v.windows(2).all(|w| w[0] == w[1]) => {
                (v.first().map(|x| x[0]), v.first().map(|x| x[1]))
            }
            _ => (None, None),
        };
        self.phases.push(Phase {
            start: self.observations[a].period,
            end: self.observations[b - 1].period,
            centre,
            upper,
            lower,
            n: b - a,
            started_by,
            runs,
            first: a,
        });
        None
    }
}

/// Analyses one series. Observations must be in period order, without repeats.
pub fn analyse(observations: &[Observation], options: &Options) -> Result<Analysis, SpcError> {
    let mut analysis = Analysis {
        points: Vec::with_capacity(observations.len()),
        ..Analysis::default()
    };
    analyse_into(observations, options, &mut analysis)?;
    Ok(analysis)
}

/// Analyses one series into `analysis`, replacing what it held and reusing its storage, for
/// analysing many series in turn (`safer spc analyse` reads any number) without allocating the
/// points of each. On an error, `analysis` is left as it was.
pub fn analyse_into(
    observations: &[Observation],
    options: &Options,
    analysis: &mut Analysis,
) -> Result<(), SpcError> {
    validate(observations, options)?;
    let values = plotted_values(observations, options.chart)?;
    let rebases = rebase_starts(observations, options)?;
    let rate = options.chart.needs_denominator();
    let mut series = Series {
        options,
        observations,
        values,
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
        phases: std::mem::take(&mut analysis.phases),
        points: std::mem::take(&mut analysis.points),
    };
    series.phases.clear();
    series.points.clear();
    let mut start = (0, PhaseStart::First);
    for next in rebases
        .iter()
        .chain([&(observations.len(), PhaseStart::First)])
    {
        series.phases_in(start.0, next.0, start.1);
        start = *next;
    }
    analysis.assurance = match (options.target, series.points.last()) {
        (Some(target), Some(last)) => {
            assurance(target, last.upper, last.lower, options.improvement)
        }
        _ => None,
    };
    analysis.chart = options.chart;
    analysis.phases = series.phases;
    analysis.points = series.points;
    Ok(())
}

/// Appends one phase's points' results, from its lines and the rules' flags.
fn push_points<B: Bits>(
    options: &Options,
    observations: &[Observation],
    y: &[f64],
    l: &Lines,
    flags: &Flags<B>,
    phase: usize,
    points: &mut Vec<PointResult>,
) {
    let first = points.len();
    let common = |(observation, value): (&Observation, &f64), (upper, lower)| PointResult {
        period: observation.period,
        value: *value,
        centre: l.centre,
        upper,
        lower,
        outside_limits: false,
        shift: false,
        trend: false,
        two_of_three: false,
        special_cause: false,
        variation: Variation::CommonCause,
        high: None,
        phase,
    };
    // Every point as common cause first, in one tight pass for each kind of limits.
    let pairs = observations.iter().zip(y);
    match &l.limits {
        Limits::None => points.extend(pairs.map(|p| common(p, (None, None)))),
        Limits::Constant([upper, lower, _, _]) => {
            points.extend(pairs.map(|p| common(p, (Some(*upper), Some(*lower)))))
        }
        Limits::PerPoint(lines) => points.extend(
            pairs
                .zip(lines)
                .map(|(p, line)| common(p, (Some(line[0]), Some(line[1])))),
        ),
    }
    // Then the few points a rule flags.
    let mut flagged = flags.any.clone();
    while let Some(i) = flagged.first() {
        flagged = flagged.without_first();
        let s = flags.at(i);
        // Which rule names the direction: outside, then trend, then two-of-three, then shift.
        let high = s.outside.or(s.trend).or(s.two_of_three).or(s.shift);
        if let Some(point) = points.get_mut(first + i) {
            point.outside_limits = s.outside.is_some();
            point.shift = s.shift.is_some();
            point.trend = s.trend.is_some();
            point.two_of_three = s.two_of_three.is_some();
            point.special_cause = high.is_some();
            point.variation = variation(high, options.improvement);
            point.high = high;
        }
    }
}

/// What a signal means, given which way is better: `high` is the signal's direction, `None`
/// for common cause.
fn variation(high: Option<bool>, improvement: Improvement) -> Variation {
    match (high, improvement) {
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
    }
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
    use crate::bits::Wide;
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

    /// The rules' flags and runs, and the first shift of four that leaves three points either
    /// side, with sets of type `B`.
    fn flags_of<B: Bits>(
        options: &Options,
        ys: &[f64],
        l: &Lines,
    ) -> (Flags<B>, Runs, Option<(usize, bool, usize)>) {
        let [above, below] = bits::sides::<B>(ys, l.centre);
        let shift = first_shift(&above, &below, ys.len(), 4, 3);
        let (flags, runs) = rules(options, ys, l, above, below);
        (flags, runs, shift)
    }

    proptest! {
        // The one-word, two-word and many-word sets must find the same signals, runs and shifts; small
        // integer values make ties and points on the centre line common.
        #[test]
        fn one_word_and_many_word_sets_agree(
            ys in prop::collection::vec((0u8..6).prop_map(f64::from), 2..128),
            options in options(),
        ) {
            let centre = mean(&ys);
            let l = limits_around(&options, centre, &ys, &[], ys.len());
            let (small, small_runs, small_shift) = flags_of::<u128>(&options, &ys, &l);
            let (wide, wide_runs, wide_shift) = flags_of::<Wide>(&options, &ys, &l);
            prop_assert_eq!(small_runs, wide_runs);
            prop_assert_eq!(small_shift, wide_shift);
            for i in 0..ys.len() {
                prop_assert_eq!(small.at(i), wide.at(i), "point {}", i);
                prop_assert_eq!(small.any.has(i), wide.any.has(i));
            }
            if ys.len() <= 64 {
                let (word, word_runs, word_shift) = flags_of::<u64>(&options, &ys, &l);
                prop_assert_eq!(word_runs, wide_runs);
                prop_assert_eq!(word_shift, wide_shift);
                for i in 0..ys.len() {
                    prop_assert_eq!(word.at(i), wide.at(i), "point {}", i);
                    prop_assert_eq!(word.any.has(i), wide.any.has(i));
                }
            }
        }
    }
}
