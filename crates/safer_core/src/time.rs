//! Dates as people write them in the papers, and how safer shows them.

use crate::forms::FormErrors;
use jiff::civil::Date;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month number (1–12) for an English month name or its three-letter abbreviation.
pub fn month_number(name: &str) -> Option<i8> {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == name
                || (name.len() == 3 && m.starts_with(&name))
                || (name == "sept" && *m == "september")
        })
        .and_then(|i| i8::try_from(i + 1).ok())
}

/// A date as the papers print it: "7 March 2016".
pub fn long_date(date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(date.month()),
        date.year()
    )
}

/// A month as the papers print it: "March 2016".
pub fn long_month(date: Date) -> String {
    format!("{} {}", month_name(date.month()), date.year())
}

/// The English name of a month numbered 1–12.
pub fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
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
    usize::try_from(month - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("")
}

/// The first and last day of a month, or `None` if the month is out of range.
pub fn month_bounds(year: i16, month: i8) -> Option<(Date, Date)> {
    let first = Date::new(year, month, 1).ok()?;
    Some((first, first.last_of_month()))
}

/// Parses a date from the three boxes of a GOV.UK date input.
///
/// Returns the message to show when the boxes do not make a real date.
pub fn parse_date_input(day: &str, month: &str, year: &str) -> Result<Option<Date>, &'static str> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Ok(None);
    }
    if day.is_empty() {
        return Err("Date must include a day");
    }
    if month.is_empty() {
        return Err("Date must include a month");
    }
    if year.is_empty() {
        return Err("Date must include a year");
    }
    let d: i8 = day.parse().map_err(|_| "Date must be a real date")?;
    let m: i8 = match month.parse() {
        Ok(m) => m,
        Err(_) => month_number(month).ok_or("Date must be a real date")?,
    };
    let y: i16 = year.parse().map_err(|_| "Year must include 4 numbers")?;
    if !(1000..=9999).contains(&y) {
        return Err("Year must include 4 numbers");
    }
    Date::new(y, m, d)
        .map(Some)
        .map_err(|_| "Date must be a real date")
}

/// A date from the three boxes `{id}-day`, `{id}-month` and `{id}-year`, required: what to fix
/// is reported against `{id}-day`.
pub fn required_date(
    errors: &mut FormErrors,
    id: &str,
    parts: [&str; 3],
    missing: &str,
) -> Option<Date> {
    match parse_date_input(parts[0], parts[1], parts[2]) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add(&format!("{id}-day"), missing);
            None
        }
        Err(message) => {
            errors.add(&format!("{id}-day"), message);
            None
        }
    }
}

/// A date from the three boxes, optional; what to fix is reported against `{id}-day`.
pub fn optional_date(errors: &mut FormErrors, id: &str, parts: [&str; 3]) -> Option<Date> {
    match parse_date_input(parts[0], parts[1], parts[2]) {
        Ok(d) => d,
        Err(message) => {
            errors.add(&format!("{id}-day"), message);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_and_abbreviations() {
        assert_eq!(month_number("March"), Some(3));
        assert_eq!(month_number("sep"), Some(9));
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Smarch"), None);
    }

    #[test]
    fn date_input_messages() {
        assert_eq!(parse_date_input("", "", ""), Ok(None));
        assert_eq!(
            parse_date_input("7", "3", "2016"),
            Ok(Some(jiff::civil::date(2016, 3, 7)))
        );
        assert_eq!(
            parse_date_input("7", "March", "2016"),
            Ok(Some(jiff::civil::date(2016, 3, 7)))
        );
        assert_eq!(
            parse_date_input("", "3", "2016"),
            Err("Date must include a day")
        );
        assert_eq!(
            parse_date_input("31", "2", "2016"),
            Err("Date must be a real date")
        );
        assert_eq!(
            parse_date_input("1", "2", "16"),
            Err("Year must include 4 numbers")
        );
    }

    #[test]
    fn long_forms() {
        let d = jiff::civil::date(2016, 3, 7);
        assert_eq!(long_date(d), "7 March 2016");
        assert_eq!(long_month(d), "March 2016");
    }
}
