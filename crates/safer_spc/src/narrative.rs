//! Plain-English narrative in the style of West Midlands Police's board reporting: "Stable since
//! March 2014 at a monthly average of 3,180. The last three months have been below average but
//! within normal limits."
//!
//! Every sentence comes from a [`Fact`] found in the analysis; [`facts`] finds them and
//! [`sentence`] words each one, so a test can check each sentence against the numbers.

use crate::analysis::{Analysis, PhaseStart, PointResult};
use crate::options::Chart;
use crate::period::{Period, push_whole};
use std::fmt::Write;

/// Something true of a series that is worth saying.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// The current phase has had no special cause since it began.
    StableSince {
        /// Where the current phase begins.
        start: Period,
        /// Its centre.
        average: f64,
    },
    /// The current phase's centre, when it has had special causes.
    AverageSince {
        /// Where the current phase begins.
        start: Period,
        /// Its centre.
        average: f64,
    },
    /// The current phase began with an automatic step change.
    StepChange {
        /// Where.
        at: Period,
        /// Up or down.
        up: bool,
        /// How many points in a row were above (or below) the previous average from there.
        after: usize,
        /// The previous phase's average.
        from: f64,
        /// The new average.
        to: f64,
    },
    /// The latest points are all on one side of the average.
    RecentRun {
        /// Above or below.
        above: bool,
        /// How many.
        count: usize,
        /// None of them is outside the limits.
        within_limits: bool,
    },
    /// The most recent point outside the limits in the current phase.
    Breach {
        /// Where.
        at: Period,
        /// The upper limit (or the lower).
        upper: bool,
    },
    /// The latest values have risen (or fallen) each period.
    Consecutive {
        /// Rises (or falls).
        increases: bool,
        /// How many rises or falls in a row.
        count: usize,
    },
    /// The latest value, when it is within the limits and nothing else is worth saying of it.
    LatestWithinLimits {
        /// Where.
        at: Period,
        /// The value.
        value: f64,
    },
}

/// The facts worth saying about an analysis, in the order they are said.
pub fn facts(analysis: &Analysis) -> Vec<Fact> {
    let mut out = Vec::new();
    each_fact(analysis, |fact| out.push(fact));
    out
}

/// Finds the facts worth saying, in order, and hands each to `say`: the narrative words them as
/// they come, without collecting them first.
fn each_fact(analysis: &Analysis, mut say: impl FnMut(Fact)) {
    let (Some(phase), Some(last)) = (analysis.phases.last(), analysis.points.last()) else {
        return;
    };
    let current: &[PointResult] = &analysis.points[phase.first..];
    let previous = analysis
        .phases
        .len()
        .checked_sub(2)
        .and_then(|i| analysis.phases.get(i));
    if let (PhaseStart::StepChange { up, run }, Some(previous)) = (phase.started_by, previous) {
        say(Fact::StepChange {
            at: phase.start,
            up,
            after: run,
            from: previous.centre,
            to: phase.centre,
        });
    }
    // One pass from the latest point back finds both whether the phase has had a special
    // cause and its latest breach of a limit.
    let mut special_cause = false;
    let mut breach = None;
    for p in current.iter().rev() {
        special_cause |= p.special_cause;
        if p.outside_limits {
            breach = Some(p);
            break;
        }
    }
    if special_cause || breach.is_some() {
        say(Fact::AverageSince {
            start: phase.start,
            average: phase.centre,
        });
    } else {
        say(Fact::StableSince {
            start: phase.start,
            average: phase.centre,
        });
    }
    // Whether a sentence has been said of the latest point already.
    let mut said_of_latest = false;
    let above = last.value > last.centre;
    let run = current
        .iter()
        .rev()
        .take_while(|p| p.value != p.centre && (p.value > p.centre) == above)
        .count();
    if run >= 2 {
        let within = current.iter().rev().take(run).all(|p| !p.outside_limits);
        said_of_latest = true;
        say(Fact::RecentRun {
            above,
            count: run,
            within_limits: within,
        });
    }
    if let Some(breach) = breach {
        said_of_latest |= breach.period == last.period;
        say(Fact::Breach {
            at: breach.period,
            upper: breach.upper.is_some_and(|u| breach.value > u),
        });
    }
    let rising = current
        .windows(2)
        .rev()
        .take_while(|w| w[1].value > w[0].value)
        .count();
    let falling = current
        .windows(2)
        .rev()
        .take_while(|w| w[1].value < w[0].value)
        .count();
    if rising.max(falling) >= 3 {
        said_of_latest = true;
        say(Fact::Consecutive {
            increases: rising > falling,
            count: rising.max(falling),
        });
    }
    if !said_of_latest && !last.outside_limits && analysis.chart != Chart::Run {
        say(Fact::LatestWithinLimits {
            at: last.period,
            value: last.value,
        });
    }
}

/// Small counts in words, as the papers write them ("eight months"); larger ones in figures.
fn write_count(out: &mut String, n: usize) {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match WORDS.get(n) {
        Some(w) => out.push_str(w),
        None => push_whole(out, n as u64),
    }
}

/// A number as a report prints it: whole numbers with thousands separators from 100 up, one
/// decimal place from 10, two below; proportions on p charts as percentages.
pub fn format_value(value: f64, chart: Chart) -> String {
    let mut out = String::new();
    write_value(&mut out, value, chart);
    out
}

fn write_value(out: &mut String, value: f64, chart: Chart) {
    if matches!(chart, Chart::P | Chart::Pp) {
        write_number(out, value * 100.0, 1);
        out.push('%');
        return;
    }
    let magnitude = value.abs();
    let decimals = if magnitude >= 100.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else {
        2
    };
    write_number(out, value, decimals);
}

fn write_number(out: &mut String, value: f64, decimals: usize) {
    // Integer arithmetic rather than float formatting: this runs for every sentence of every series.
    let scale = [1.0, 10.0, 100.0][decimals.min(2)];
    let scaled = (value.abs() * scale).round();
    if !scaled.is_finite() || scaled >= 1e18 {
        let _ = write!(out, "{value:.decimals$}");
        return;
    }
    let scaled = scaled as u64;
    let divisor = scale as u64;
    let (whole, fraction) = (scaled / divisor, scaled % divisor);
    if value < 0.0 && scaled > 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = whole;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        out.push(char::from(digits[i]));
        if i > 0 && i % 3 == 0 {
            out.push(',');
        }
    }
    if decimals > 0 {
        out.push('.');
        if decimals == 2 && fraction < 10 {
            out.push('0');
        }
        push_whole(out, fraction);
    }
}

/// How a series' periods are named in its sentences: whole phrases, so that each sentence is a
/// few pieces (and a daily series reads "at an average of", not "at a average of").
struct Unit {
    one: &'static str,
    many: &'static str,
    at_average: &'static str,
    average_has_been: &'static str,
    average_rose: &'static str,
    average_fell: &'static str,
}

const MONTHS: Unit = Unit {
    one: "month",
    many: "months",
    at_average: " at a monthly average of ",
    average_has_been: " the monthly average has been ",
    average_rose: " above average: the monthly average rose from ",
    average_fell: " below average: the monthly average fell from ",
};

const PERIODS: Unit = Unit {
    one: "period",
    many: "periods",
    at_average: " at an average of ",
    average_has_been: " the average has been ",
    average_rose: " above average: the average rose from ",
    average_fell: " below average: the average fell from ",
};

/// Months when every period is a month; periods otherwise.
fn unit(analysis: &Analysis) -> &'static Unit {
    if analysis.points.iter().all(|p| p.period.day.is_none()) {
        &MONTHS
    } else {
        &PERIODS
    }
}

/// One fact, as a sentence.
pub fn sentence(fact: &Fact, analysis: &Analysis) -> String {
    let mut out = String::new();
    write_sentence(&mut out, fact, analysis.chart, unit(analysis));
    out
}

fn write_sentence(out: &mut String, fact: &Fact, chart: Chart, unit: &Unit) {
    // Pieces are pushed rather than formatted with `write!`: this runs for every sentence of
    // every series, and the formatting machinery was most of the narrative's time.
    let plural = |n: usize| if n == 1 { unit.one } else { unit.many };
    let side = |above: bool| if above { "above" } else { "below" };
    match fact {
        Fact::StableSince { start, average } => {
            out.push_str("Stable since ");
            start.write_long(out);
            out.push_str(unit.at_average);
            write_value(out, *average, chart);
            out.push('.');
        }
        Fact::AverageSince { start, average } => {
            out.push_str("Since ");
            start.write_long(out);
            out.push_str(unit.average_has_been);
            write_value(out, *average, chart);
            out.push('.');
        }
        Fact::StepChange {
            at,
            up,
            after,
            from,
            to,
        } => {
            out.push_str(if *up {
                "A step change up in "
            } else {
                "A step change down in "
            });
            at.write_long(out);
            out.push_str(" after ");
            write_count(out, *after);
            out.push(' ');
            out.push_str(plural(*after));
            out.push_str(if *up {
                unit.average_rose
            } else {
                unit.average_fell
            });
            write_value(out, *from, chart);
            out.push_str(" to ");
            write_value(out, *to, chart);
            out.push('.');
        }
        Fact::RecentRun {
            above,
            count,
            within_limits,
        } => {
            out.push_str("The last ");
            write_count(out, *count);
            out.push(' ');
            out.push_str(plural(*count));
            out.push_str(" have been ");
            out.push_str(side(*above));
            out.push_str(" average");
            if *within_limits && chart != Chart::Run {
                out.push_str(" but within normal limits");
            }
            out.push('.');
        }
        Fact::Breach { at, upper } => {
            out.push_str(if *upper {
                "The upper control limit was breached in "
            } else {
                "The lower control limit was breached in "
            });
            at.write_long(out);
            out.push('.');
        }
        Fact::Consecutive { increases, count } => {
            out.push_str(if *increases {
                "Increased for "
            } else {
                "Decreased for "
            });
            write_count(out, *count);
            out.push_str(" consecutive ");
            out.push_str(plural(*count));
            out.push('.');
        }
        Fact::LatestWithinLimits { at, value } => {
            // Month names and day numbers need no capitalising at the start of a sentence.
            at.write_long(out);
            out.push_str(", at ");
            write_value(out, *value, chart);
            out.push_str(", is within normal limits.");
        }
    }
}

/// The whole narrative: one sentence per fact.
pub fn narrative(analysis: &Analysis) -> String {
    let mut out = String::with_capacity(256);
    write_narrative(analysis, &mut out);
    out
}

/// Appends the whole narrative to `out`, for callers that reuse one text for many series.
pub fn write_narrative(analysis: &Analysis, out: &mut String) {
    let unit = unit(analysis);
    let mut first = true;
    each_fact(analysis, |fact| {
        if !first {
            out.push(' ');
        }
        first = false;
        write_sentence(out, &fact, analysis.chart, unit);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(n: usize) -> String {
        let mut s = String::new();
        write_count(&mut s, n);
        s
    }

    #[test]
    fn numbers_read_as_in_the_papers() {
        assert_eq!(format_value(3180.4, Chart::Xmr), "3,180");
        assert_eq!(format_value(1_234_567.0, Chart::Xmr), "1,234,567");
        assert_eq!(format_value(83.24, Chart::Xmr), "83.2");
        assert_eq!(format_value(4.456, Chart::Xmr), "4.46");
        assert_eq!(format_value(0.832, Chart::P), "83.2%");
        assert_eq!(format_value(-1500.0, Chart::Xmr), "-1,500");
        assert_eq!(format_value(10.04, Chart::Xmr), "10.0");
        assert_eq!(format_value(0.05, Chart::Xmr), "0.05");
        assert_eq!(format_value(-0.001, Chart::Xmr), "0.00");
        assert_eq!(format_value(999.6, Chart::Xmr), "1,000");
        assert_eq!(format_value(100.0, Chart::Xmr), "100");
        assert_eq!(count(8), "eight");
        assert_eq!(count(14), "14");
    }
}
