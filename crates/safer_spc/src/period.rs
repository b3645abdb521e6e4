//! Reporting periods: a month (`2016-01`) or a day (`2016-01-07`).

use serde::{Serialize, Serializer};
use std::fmt;

/// A reporting period. Months sort before any day within them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u8,
    /// The day, for daily or irregular series.
    pub day: Option<u8>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl Period {
    /// A month.
    pub fn month(year: i32, month: u8) -> Option<Period> {
        (1..=12).contains(&month).then_some(Period {
            year,
            month,
            day: None,
        })
    }

    /// Parses `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let mut parts = text.split('-');
        let year = parts.next()?;
        let month = parts.next()?;
        let day = parts.next();
        if parts.next().is_some()
            || year.len() != 4
            || month.len() != 2
            || day.is_some_and(|d| d.len() != 2)
        {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u8 = month.parse().ok()?;
        if !(1..=12).contains(&month) {
            return None;
        }
        let day = match day {
            Some(d) => {
                let d: u8 = d.parse().ok()?;
                if d == 0 || d > days_in_month(year, month) {
                    return None;
                }
                Some(d)
            }
            None => None,
        };
        Some(Period { year, month, day })
    }

    /// As people read it: "January 2016", or "7 January 2016" for a day.
    pub fn long(&self) -> String {
        let mut out = String::with_capacity(17);
        self.write_long(&mut out);
        out
    }

    /// Appends the period as people read it to a larger text. Pieces are pushed rather than
    /// formatted: the narrative writes a period into most sentences of every series.
    pub fn write_long(&self, out: &mut String) {
        if let Some(d) = self.day {
            push_whole(out, u64::from(d));
            out.push(' ');
        }
        out.push_str(MONTHS[usize::from(self.month.clamp(1, 12) - 1)]);
        out.push(' ');
        if self.year < 0 {
            out.push('-');
        }
        push_whole(out, u64::from(self.year.unsigned_abs()));
    }
}

/// Appends a whole number's digits, without the formatting machinery.
pub(crate) fn push_whole(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for d in &digits[start..] {
        out.push(char::from(*d));
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(d) => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, d),
            None => write!(f, "{:04}-{:02}", self.year, self.month),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_days_parse_and_print() {
        let m = Period::parse("2016-01").unwrap();
        assert_eq!(
            (m.to_string(), m.long()),
            ("2016-01".to_owned(), "January 2016".to_owned())
        );
        let d = Period::parse("2016-02-29").unwrap();
        assert_eq!(d.long(), "29 February 2016");
        for bad in [
            "2016-13",
            "2015-02-29",
            "16-01",
            "2016-1",
            "2016-01-00",
            "2016-01-01-01",
            "",
            "January",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert!(Period::parse("2016-01").unwrap() < Period::parse("2016-01-01").unwrap());
    }
}
