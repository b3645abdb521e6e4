//! The current time, as the store writes it and as people in England and Wales read it.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// An instant as stored: RFC 3339 in UTC to whole seconds, so it sorts and compares as text.
pub fn instant_text(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Now, as stored.
pub fn now_text() -> String {
    instant_text(Timestamp::now())
}

/// The time zone people read times in.
pub fn london() -> TimeZone {
    TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC)
}

/// Today's date in England and Wales.
pub fn today() -> Date {
    Timestamp::now().to_zoned(london()).date()
}

/// A stored instant as people read it: "23 November 2026, 6:17am" in Europe/London.
pub fn display_instant(stored: &str) -> String {
    match stored.parse::<Timestamp>() {
        Ok(ts) => {
            let local = ts.to_zoned(london());
            let hour = local.hour();
            let (h12, ampm) = match hour {
                0 => (12, "am"),
                1..=11 => (hour, "am"),
                12 => (12, "pm"),
                _ => (hour - 12, "pm"),
            };
            format!(
                "{} {} {}, {}:{:02}{}",
                local.day(),
                safer_core::time::month_name(local.month()),
                local.year(),
                h12,
                local.minute(),
                ampm
            )
        }
        Err(_) => stored.to_owned(),
    }
}
