//! What the performance pages show of a measure in an area: its series analysed with the SPC
//! engine, the narrative, the Making Data Count variation and assurance markers, the year to
//! date, and the chart's geometry. Pure: the handlers load the series, this shapes them.

use safer_core::measures::{Polarity, SeriesPoint, Unit, YearToDate, year_to_date};
use safer_core::numbers::thousands;
use safer_core::police::YearMonth;
use safer_spc::analysis::Observation;
use safer_spc::narrative::{format_value, narrative};
use safer_spc::{Analysis, Assurance, Chart, Improvement, Method, Options, Period, Variation};
use safer_store::measures::Measure;

/// The fewest values a chart is drawn from: fewer give limits that mean nothing.
pub const MIN_POINTS: usize = 5;

/// A measure in an area, analysed.
#[derive(Debug, Clone)]
pub struct MeasureView {
    /// The measure.
    pub measure: Measure,
    /// Every period, missing ones included.
    pub series: Vec<SeriesPoint>,
    /// The analysis of the periods with values, where there are enough of them.
    pub analysis: Option<Analysis>,
    /// The narrative paragraph, or why there is none.
    pub narrative: String,
    /// The target level in this area, where there is a target.
    pub target: Option<f64>,
    /// The latest financial year to date against the year before, for counts.
    pub ytd: Option<YearToDate>,
}

/// A Making Data Count marker: a label that says it in words, and a tag colour that repeats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// What it says.
    pub label: &'static str,
    /// The GOV.UK tag modifier class.
    pub tag: &'static str,
}

impl MeasureView {
    /// Analyses `series` of `measure`.
    pub fn new(measure: Measure, series: Vec<SeriesPoint>) -> MeasureView {
        let target = measure.details.target.and_then(|t| t.level(&series));
        let observations: Vec<Observation> = series
            .iter()
            .filter_map(|p| {
                Some(Observation {
                    period: period(p.period)?,
                    value: p.value?,
                    denominator: None,
                })
            })
            .collect();
        let (analysis, narrative) = if observations.len() < MIN_POINTS {
            (
                None,
                format!(
                    "Not enough data for a control chart: {} {} with a value, and at least {MIN_POINTS} are needed.",
                    observations.len(),
                    if observations.len() == 1 {
                        "period"
                    } else {
                        "periods"
                    }
                ),
            )
        } else {
            let mut options = Options::new(Chart::Xmr, Method::Mdc);
            options.improvement = match measure.details.polarity {
                Polarity::HigherIsBetter => Improvement::Increase,
                Polarity::LowerIsBetter => Improvement::Decrease,
                Polarity::Neither => Improvement::Neither,
            };
            options.target = target;
            // Limits follow the process through sustained changes, as seed 003 reads them
            // ("a step change up in January 2016").
            options.auto_rebase = true;
            match safer_spc::analyse(&observations, &options) {
                Ok(a) => {
                    let text = narrative(&a);
                    (Some(a), text)
                }
                Err(e) => (None, format!("No control chart: {e}.")),
            }
        };
        let ytd = match (
            measure.details.unit,
            series.iter().rev().find(|p| p.value.is_some()),
        ) {
            (Unit::Count, Some(last)) => year_to_date(&series, last.period),
            _ => None,
        };
        MeasureView {
            measure,
            series,
            analysis,
            narrative,
            target,
            ytd,
        }
    }

    /// The latest period with a value.
    pub fn latest(&self) -> Option<(YearMonth, f64)> {
        self.series
            .iter()
            .rev()
            .find_map(|p| Some((p.period, p.value?)))
    }

    /// "3,180 in January 2016", or that there is no data.
    pub fn latest_text(&self) -> String {
        match self.latest() {
            Some((month, value)) => format!("{} in {}", self.format(value), month.long()),
            None => "No data for this area".to_owned(),
        }
    }

    /// The target in words, with its level here: "Reduce by 5 per cent against April 2018 to
    /// March 2019: 702 a month here".
    pub fn target_text(&self) -> String {
        let Some(target) = self.measure.details.target else {
            return "No target".to_owned();
        };
        let words = target.describe(self.measure.details.polarity);
        match self.target {
            Some(level) => format!("{words}: {} a month here", self.format(level)),
            None => words,
        }
    }

    /// The centre line of the latest phase.
    pub fn average(&self) -> Option<f64> {
        self.analysis
            .as_ref()
            .and_then(|a| a.phases.last())
            .map(|p| p.centre)
    }

    /// The variation marker of the latest point.
    pub fn variation(&self) -> Marker {
        let Some(last) = self.analysis.as_ref().and_then(|a| a.points.last()) else {
            return Marker {
                label: "Not enough data",
                tag: "govuk-tag--grey",
            };
        };
        let high = last.high == Some(true);
        match (last.variation, high) {
            (Variation::CommonCause, _) => Marker {
                label: "Common cause variation",
                tag: "govuk-tag--grey",
            },
            (Variation::Improvement, true) => Marker {
                label: "Special cause: improving, high",
                tag: "govuk-tag--blue",
            },
            (Variation::Improvement, false) => Marker {
                label: "Special cause: improving, low",
                tag: "govuk-tag--blue",
            },
            (Variation::Concern, true) => Marker {
                label: "Special cause: concerning, high",
                tag: "govuk-tag--orange",
            },
            (Variation::Concern, false) => Marker {
                label: "Special cause: concerning, low",
                tag: "govuk-tag--orange",
            },
            (Variation::Neither, true) => Marker {
                label: "Special cause: high",
                tag: "govuk-tag--purple",
            },
            (Variation::Neither, false) => Marker {
                label: "Special cause: low",
                tag: "govuk-tag--purple",
            },
        }
    }

    /// The assurance marker, where there is a target.
    pub fn assurance(&self) -> Option<Marker> {
        self.target?;
        Some(match self.analysis.as_ref().and_then(|a| a.assurance) {
            Some(Assurance::ConsistentlyMet) => Marker {
                label: "Consistently meeting the target",
                tag: "govuk-tag--blue",
            },
            Some(Assurance::ConsistentlyMissed) => Marker {
                label: "Consistently missing the target",
                tag: "govuk-tag--orange",
            },
            Some(Assurance::HitAndMiss) => Marker {
                label: "Hit and miss: may meet or miss the target",
                tag: "govuk-tag--grey",
            },
            None => Marker {
                label: "Target set; not enough data to assure it",
                tag: "govuk-tag--grey",
            },
        })
    }

    /// A value as the measure's unit prints it.
    pub fn format(&self, value: f64) -> String {
        format_measure_value(self.measure.details.unit, value)
    }

    /// The table beside the chart: each period with its value (or "Missing"), centre, limits
    /// and signal.
    pub fn rows(&self) -> Vec<SeriesRow> {
        let points = self.analysis.as_ref().map(|a| a.points.as_slice());
        self.series
            .iter()
            .map(|p| {
                let result =
                    period(p.period).and_then(|period| points?.iter().find(|r| r.period == period));
                SeriesRow {
                    month: p.period,
                    value: p.value.map(|v| self.format(v)),
                    centre: result.map(|r| self.format(r.centre)),
                    lower: result.and_then(|r| r.lower).map(|v| self.format(v)),
                    upper: result.and_then(|r| r.upper).map(|v| self.format(v)),
                    signal: result.map(signal).unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// A value in a measure's unit: "3,180", "83.6%", "4.52 per 1,000".
pub fn format_measure_value(unit: Unit, value: f64) -> String {
    let number = format_number(value);
    match unit {
        Unit::Count => number,
        Unit::Percentage => format!("{number}%"),
        Unit::RatePer1000 => format!("{number} per 1,000"),
    }
}

/// A whole number as a whole number ("5", not "5.00"); anything else as the narrative rounds it.
fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let digits = thousands(value.abs() as u64);
        if value < 0.0 {
            format!("-{digits}")
        } else {
            digits
        }
    } else {
        format_value(value, Chart::Xmr)
    }
}

/// One row of a measure's data table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRow {
    /// The month.
    pub month: YearMonth,
    /// The value, or `None` for a missing period.
    pub value: Option<String>,
    /// The centre line.
    pub centre: Option<String>,
    /// The lower limit.
    pub lower: Option<String>,
    /// The upper limit.
    pub upper: Option<String>,
    /// The rules that fired, in words, or empty.
    pub signal: String,
}

fn signal(r: &safer_spc::PointResult) -> String {
    let mut rules = Vec::new();
    if r.outside_limits {
        rules.push("outside the limits");
    }
    if r.shift {
        rules.push("shift");
    }
    if r.trend {
        rules.push("trend");
    }
    if r.two_of_three {
        rules.push("two of three near a limit");
    }
    if rules.is_empty() {
        return String::new();
    }
    let meaning = match r.variation {
        Variation::Improvement => "Improvement: ",
        Variation::Concern => "Concern: ",
        _ => "",
    };
    format!("{meaning}{}", rules.join(", "))
}

fn period(month: YearMonth) -> Option<Period> {
    Period::month(i32::from(month.year), u8::try_from(month.month).ok()?)
}

/// A phase's lines on the chart: (x1, x2, centre y, lower y, upper y).
pub type PhaseLines = (f64, f64, f64, Option<f64>, Option<f64>);

/// The chart's drawing: everything in SVG user units, computed here so the template only
/// places elements.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartDrawing {
    /// The viewBox width.
    pub width: f64,
    /// The viewBox height.
    pub height: f64,
    /// The data line: one `points` attribute per unbroken run (a missing period breaks it).
    pub lines: Vec<String>,
    /// The points: x, y, and the kind of point ("common", "improvement", "concern",
    /// "neither").
    pub dots: Vec<(f64, f64, &'static str)>,
    /// Each phase's centre and limits.
    pub phases: Vec<PhaseLines>,
    /// The target line's y.
    pub target: Option<f64>,
    /// Horizontal gridlines: y and label.
    pub y_ticks: Vec<(f64, String)>,
    /// Axis labels: x and label.
    pub x_ticks: Vec<(f64, String)>,
    /// The plot area's left, top, right and bottom.
    pub frame: (f64, f64, f64, f64),
}

impl MeasureView {
    /// The chart, where there is an analysis.
    pub fn drawing(&self) -> Option<ChartDrawing> {
        let analysis = self.analysis.as_ref()?;
        let (width, height) = (760.0, 320.0);
        let (left, top, right, bottom) = (64.0, 16.0, width - 16.0, height - 40.0);
        let n = self.series.len().max(2);
        let x = |i: usize| left + (right - left) * i as f64 / (n - 1) as f64;
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        let mut include = |v: f64| {
            lo = lo.min(v);
            hi = hi.max(v);
        };
        for p in &analysis.points {
            include(p.value);
            p.lower.into_iter().chain(p.upper).for_each(&mut include);
        }
        if let Some(t) = self.target {
            include(t);
        }
        let (ticks, lo, hi) = nice_ticks(lo, hi);
        let y = |v: f64| bottom - (bottom - top) * (v - lo) / (hi - lo);
        let index_of = |period: Period| {
            self.series
                .iter()
                .position(|s| self::period(s.period) == Some(period))
        };
        let mut lines = Vec::new();
        let mut run = String::new();
        let mut dots = Vec::new();
        let mut previous: Option<usize> = None;
        for p in &analysis.points {
            let Some(i) = index_of(p.period) else {
                continue;
            };
            if previous.is_some_and(|prev| prev + 1 != i) && !run.is_empty() {
                lines.push(std::mem::take(&mut run));
            }
            if !run.is_empty() {
                run.push(' ');
            }
            run.push_str(&format!("{:.1},{:.1}", x(i), y(p.value)));
            let kind = match p.variation {
                Variation::CommonCause => "common",
                Variation::Improvement => "improvement",
                Variation::Concern => "concern",
                Variation::Neither => "neither",
            };
            dots.push((x(i), y(p.value), kind));
            previous = Some(i);
        }
        if !run.is_empty() {
            lines.push(run);
        }
        let phases = analysis
            .phases
            .iter()
            .filter_map(|ph| {
                let (a, b) = (index_of(ph.start)?, index_of(ph.end)?);
                Some((x(a), x(b), y(ph.centre), ph.lower.map(y), ph.upper.map(y)))
            })
            .collect();
        let step = (self.series.len() / 8).max(1);
        let x_ticks = self
            .series
            .iter()
            .enumerate()
            .filter(|(i, _)| i % step == 0)
            .map(|(i, p)| {
                (
                    x(i),
                    format!(
                        "{} {}",
                        &safer_core::time::month_name(p.period.month)[..3],
                        p.period.year
                    ),
                )
            })
            .collect();
        Some(ChartDrawing {
            width,
            height,
            lines,
            dots,
            phases,
            target: self.target.map(y),
            y_ticks: ticks
                .into_iter()
                .map(|t| (y(t), format_number(t)))
                .collect(),
            x_ticks,
            frame: (left, top, right, bottom),
        })
    }
}

/// Gridline values spanning `lo`–`hi` at a round step (1, 2 or 5 × a power of ten), with the
/// axis range they give.
fn nice_ticks(lo: f64, hi: f64) -> (Vec<f64>, f64, f64) {
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor() * step;
    let last = (hi / step).ceil() * step;
    let count = ((last - first) / step).round() as usize;
    let ticks = (0..=count).map(|k| first + step * k as f64).collect();
    (ticks, first, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safer_core::measures::{Frequency, MeasureDetails, Source};

    fn measure(polarity: Polarity) -> Measure {
        Measure {
            id: 1,
            organisation_id: 1,
            details: MeasureDetails {
                name: "Total recorded crime".into(),
                description: String::new(),
                source: Source::total_recorded_crime(),
                unit: Unit::Count,
                polarity,
                frequency: Frequency::Monthly,
                target: None,
                objective_id: None,
            },
        }
    }

    fn series(values: &[Option<f64>]) -> Vec<SeriesPoint> {
        let first = YearMonth::parse("2018-04").unwrap();
        values
            .iter()
            .enumerate()
            .map(|(i, &value)| SeriesPoint {
                period: first.plus(i as i32),
                value,
                denominator: None,
            })
            .collect()
    }

    #[test]
    fn whole_numbers_print_whole() {
        assert_eq!(format_measure_value(Unit::Count, 5.0), "5");
        assert_eq!(format_measure_value(Unit::Count, 3180.0), "3,180");
        assert_eq!(format_measure_value(Unit::Count, 53.75), "53.8");
        assert_eq!(format_measure_value(Unit::Percentage, 83.6), "83.6%");
        assert_eq!(format_number(-2.0), "-2");
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let (ticks, lo, hi) = nice_ticks(2_830.0, 3_530.0);
        assert_eq!((lo, hi), (2_800.0, 3_600.0));
        assert_eq!(ticks.len(), 5);
        let (_, lo, hi) = nice_ticks(5.0, 5.0);
        assert!(lo < 5.0 && hi > 5.0);
    }

    #[test]
    fn a_missing_month_breaks_the_line_and_reads_missing_in_the_table() {
        let mut values: Vec<Option<f64>> =
            (0..14).map(|i| Some(100.0 + f64::from(i % 3))).collect();
        values[6] = None;
        let view = MeasureView::new(measure(Polarity::LowerIsBetter), series(&values));
        let drawing = view.drawing().expect("enough points");
        assert_eq!(drawing.lines.len(), 2);
        assert_eq!(drawing.dots.len(), 13);
        let rows = view.rows();
        assert_eq!(rows.len(), 14);
        assert_eq!(rows[6].value, None);
        assert_eq!(rows[6].centre, None);
        assert_eq!(view.variation().label, "Common cause variation");
        assert!(view.narrative.contains("average"), "{}", view.narrative);
    }

    #[test]
    fn too_few_points_say_so_rather_than_draw() {
        let view = MeasureView::new(
            measure(Polarity::HigherIsBetter),
            series(&[Some(83.6), None, Some(83.2)]),
        );
        assert!(view.drawing().is_none());
        assert_eq!(view.variation().label, "Not enough data");
        assert_eq!(
            view.narrative,
            "Not enough data for a control chart: 2 periods with a value, and at least 5 are needed."
        );
        assert_eq!(view.latest().map(|(_, v)| v), Some(83.2));
    }

    #[test]
    fn a_rise_in_crime_is_a_concern_and_marked_high() {
        let mut values: Vec<Option<f64>> = vec![Some(100.0), Some(102.0), Some(98.0), Some(101.0)];
        values.extend([99.0, 100.0, 103.0, 97.0, 100.0, 101.0, 99.0, 100.0].map(Some));
        values.push(Some(160.0));
        let view = MeasureView::new(measure(Polarity::LowerIsBetter), series(&values));
        assert_eq!(view.variation().label, "Special cause: concerning, high");
        let rows = view.rows();
        assert_eq!(rows.last().unwrap().signal, "Concern: outside the limits");
    }
}
