//! Plain-English narrative in the style of West Midlands Police's board reporting: "Stable since
//! March 2014 at a monthly average of 3,180. The last three months have been below average but
//! within normal limits."
//!
//! Every sentence comes from a [`Fact`] found in the analysis; [`facts`] finds them and
//! [`sentence`] words each one, so a test can check each sentence against the numbers.

use crate::analysis::{Analysis, PhaseStart, PointResult};
use crate::options::Chart;
use crate::period::Period;

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
    let (Some(phase), Some(last)) = (analysis.phases.last(), analysis.points.last()) else {
        return out;
    };
    let current: &[PointResult] = &analysis.points[phase.first..];
    let previous = analysis
        .phases
        .len()
        .checked_sub(2)
        .and_then(|i| analysis.phases.get(i));
    if let (PhaseStart::StepChange { up, run }, Some(previous)) = (phase.started_by, previous) {
        out.push(Fact::StepChange {
            at: phase.start,
            up,
            after: run,
            from: previous.centre,
            to: phase.centre,
        });
    }
    if current.iter().any(|p| p.special_cause) {
        out.push(Fact::AverageSince {
            start: phase.start,
            average: phase.centre,
        });
    } else {
        out.push(Fact::StableSince {
            start: phase.start,
            average: phase.centre,
        });
    }
    let above = last.value > last.centre;
    let run = current
        .iter()
        .rev()
        .take_while(|p| p.value != p.centre && (p.value > p.centre) == above)
        .count();
    if run >= 2 {
        let within = current.iter().rev().take(run).all(|p| !p.outside_limits);
        out.push(Fact::RecentRun {
            above,
            count: run,
            within_limits: within,
        });
    }
    if let Some(breach) = current.iter().rev().find(|p| p.outside_limits) {
        out.push(Fact::Breach {
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
        out.push(Fact::Consecutive {
            increases: rising > falling,
            count: rising.max(falling),
        });
    }
    let said_of_latest = out.iter().any(|f| {
        matches!(f, Fact::RecentRun { .. } | Fact::Consecutive { .. })
            || matches!(f, Fact::Breach { at, .. } if *at == last.period)
    });
    if !said_of_latest && !last.outside_limits && analysis.chart != Chart::Run {
        out.push(Fact::LatestWithinLimits {
            at: last.period,
            value: last.value,
        });
    }
    out
}

fn count_word(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A number as a report prints it: whole numbers with thousands separators from 100 up, one
/// decimal place from 10, two below; proportions on p charts as percentages.
pub fn format_value(value: f64, chart: Chart) -> String {
    if matches!(chart, Chart::P | Chart::Pp) {
        return format!("{}%", format_number(value * 100.0, 1));
    }
    let magnitude = value.abs();
    let decimals = if magnitude >= 100.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else {
        2
    };
    format_number(value, decimals)
}

fn format_number(value: f64, decimals: usize) -> String {
    // Integer arithmetic rather than float formatting: this runs for every sentence of every series.
    let scale = [1.0, 10.0, 100.0][decimals.min(2)];
    let scaled = (value.abs() * scale).round();
    if !scaled.is_finite() || scaled >= 1e18 {
        return format!("{value:.decimals$}");
    }
    let scaled = scaled as u64;
    let divisor = scale as u64;
    let (whole, fraction) = (scaled / divisor, scaled % divisor);
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    if value < 0.0 && scaled > 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if decimals > 0 {
        out.push('.');
        let fraction = fraction.to_string();
        for _ in fraction.len()..decimals.min(2) {
            out.push('0');
        }
        out.push_str(&fraction);
    }
    out
}

/// How the series' periods are named: months, or periods.
fn unit(analysis: &Analysis) -> (&'static str, &'static str, &'static str) {
    if analysis.points.iter().all(|p| p.period.day.is_none()) {
        ("month", "months", "monthly ")
    } else {
        ("period", "periods", "")
    }
}

/// One fact, as a sentence.
pub fn sentence(fact: &Fact, analysis: &Analysis) -> String {
    let chart = analysis.chart;
    let (one, many, adjective) = unit(analysis);
    let plural = |n: usize| if n == 1 { one } else { many };
    match fact {
        Fact::StableSince { start, average } => format!(
            "Stable since {} at a {adjective}average of {}.",
            start.long(),
            format_value(*average, chart)
        ),
        Fact::AverageSince { start, average } => format!(
            "Since {} the {adjective}average has been {}.",
            start.long(),
            format_value(*average, chart)
        ),
        Fact::StepChange {
            at,
            up,
            after,
            from,
            to,
        } => format!(
            "A step change {} in {} after {} {} {} average: the {adjective}average {} from {} to {}.",
            if *up { "up" } else { "down" },
            at.long(),
            count_word(*after),
            plural(*after),
            if *up { "above" } else { "below" },
            if *up { "rose" } else { "fell" },
            format_value(*from, chart),
            format_value(*to, chart)
        ),
        Fact::RecentRun {
            above,
            count,
            within_limits,
        } => format!(
            "The last {} {} have been {} average{}.",
            count_word(*count),
            plural(*count),
            if *above { "above" } else { "below" },
            if *within_limits && chart != Chart::Run {
                " but within normal limits"
            } else {
                ""
            }
        ),
        Fact::Breach { at, upper } => format!(
            "The {} control limit was breached in {}.",
            if *upper { "upper" } else { "lower" },
            at.long()
        ),
        Fact::Consecutive { increases, count } => format!(
            "{} for {} consecutive {}.",
            if *increases { "Increased" } else { "Decreased" },
            count_word(*count),
            plural(*count)
        ),
        Fact::LatestWithinLimits { at, value } => format!(
            "{}, at {}, is within normal limits.",
            capitalise(&at.long()),
            format_value(*value, chart)
        ),
    }
}

/// The whole narrative: one sentence per fact.
pub fn narrative(analysis: &Analysis) -> String {
    facts(analysis)
        .iter()
        .map(|f| sentence(f, analysis))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(count_word(8), "eight");
        assert_eq!(count_word(14), "14");
    }
}
