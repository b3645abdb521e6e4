//! Boards and their meetings: minute numbers (`012/22`), and which actions a meeting's
//! "actions outstanding" list carries forward.

use jiff::civil::Date;
use serde::Serialize;
use std::fmt;

/// A minute number: the item's place in its body's sequence for a year, printed `NNN/YY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MinuteNumber {
    /// The year the sequence belongs to.
    pub year: i16,
    /// The place in the year's sequence, from 1.
    pub number: i64,
}

impl fmt::Display for MinuteNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}/{:02}", self.number, self.year.rem_euclid(100))
    }
}

stored_enum! {
    /// What kind of body meets.
    BodyKind {
        /// A board, such as the Strategic Policing and Crime Board or a CSP's board.
        Board = "board", "Board";
        /// A Police and Crime Panel.
        Panel = "panel", "Police and Crime Panel";
        /// A council's Crime and Disorder Scrutiny Panel.
        ScrutinyPanel = "scrutiny_panel", "Scrutiny panel";
        /// A sub-group of a board.
        SubGroup = "sub_group", "Sub-group";
    }
}

stored_enum! {
    /// Where a meeting stands.
    MeetingStatus {
        /// In the calendar.
        Scheduled = "scheduled", "Scheduled";
        /// Confirmed to go ahead.
        Confirmed = "confirmed", "Confirmed";
        /// It took place.
        Held = "held", "Held";
        /// It will not take place.
        Cancelled = "cancelled", "Cancelled";
    }
}

stored_enum! {
    /// What an agenda item is.
    ItemKind {
        /// Spoken at the meeting.
        Verbal = "verbal", "Verbal";
        /// A paper.
        WrittenReport = "written_report", "Written report";
        /// To note, without discussion.
        ForNoting = "for_noting", "For noting";
        /// A presentation.
        Presentation = "presentation", "Presentation";
    }
}

stored_enum! {
    /// How someone took part in a meeting.
    Attendance {
        /// Attended.
        Present = "present", "Present";
        /// Sent apologies.
        Apologies = "apologies", "Apologies";
        /// Attended in a member's place.
        Substitute = "substitute", "Substitute";
        /// Attended to observe.
        Observer = "observer", "Observer";
    }
}

stored_enum! {
    /// Whether an action is still to do.
    ActionStatus {
        /// Still to do.
        Open = "open", "Open";
        /// Done.
        Closed = "closed", "Closed";
    }
}

/// How an action stands on a meeting's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Raised at an earlier meeting and not closed by this one: carried forward.
    Outstanding,
    /// Closed since the body's previous meeting, up to and including this one: shown once
    /// more, as closed.
    ClosedHere,
}

/// How an action raised on `raised_on` and closed on `closed_on` (if it has been) stands at a
/// meeting held on `meeting_on`, whose body last met on `previous_on`; `None` if it is not on
/// that meeting's list (raised at this meeting or later, or closed before the previous one).
/// An action stays on every later meeting's list until it is closed, appears once as closed,
/// and is absent afterwards.
pub fn standing(
    raised_on: Date,
    closed_on: Option<Date>,
    previous_on: Option<Date>,
    meeting_on: Date,
) -> Option<Standing> {
    if raised_on >= meeting_on {
        return None;
    }
    match closed_on {
        None => Some(Standing::Outstanding),
        Some(closed) if closed > meeting_on => Some(Standing::Outstanding),
        Some(closed) if previous_on.is_none_or(|p| closed > p) => Some(Standing::ClosedHere),
        Some(_) => None,
    }
}

/// A meeting as a calendar event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// A stable, unique id, such as `meeting-12@safer`.
    pub uid: String,
    /// When it starts, UK civil time.
    pub starts_at: jiff::civil::DateTime,
    /// What it is.
    pub summary: String,
    /// Where.
    pub location: String,
    /// Whether it is cancelled.
    pub cancelled: bool,
}

/// An iCalendar (RFC 5545) feed of events. Times are written in UTC, so the feed needs no
/// time zone definitions; `stamp` is when the feed was made.
pub fn icalendar(name: &str, events: &[CalendarEvent], stamp: jiff::Timestamp) -> String {
    let utc = |t: jiff::Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//safer//boards and meetings//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    for e in events {
        let Ok(start) = e.starts_at.in_tz("Europe/London") else {
            continue;
        };
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape(&e.uid)),
            format!("DTSTAMP:{}", utc(stamp)),
            format!("DTSTART:{}", utc(start.timestamp())),
            format!("SUMMARY:{}", escape(&e.summary)),
            format!("LOCATION:{}", escape(&e.location)),
            format!(
                "STATUS:{}",
                if e.cancelled {
                    "CANCELLED"
                } else {
                    "CONFIRMED"
                }
            ),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// Escapes a TEXT value: backslash, semicolon, comma and newline.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded at 75 octets, never inside a character, ending in CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn calendar_lines_are_escaped_folded_and_in_utc() {
        let event = CalendarEvent {
            uid: "meeting-1@safer".into(),
            starts_at: jiff::civil::datetime(2022, 3, 22, 10, 0, 0, 0),
            summary: "Strategic Policing and Crime Board; March, with a very long title that must be folded".into(),
            location: "Lloyd House, Birmingham".into(),
            cancelled: false,
        };
        let text = icalendar("Boards", &[event], jiff::Timestamp::UNIX_EPOCH);
        assert!(text.contains("DTSTART:20220322T100000Z\r\n"), "{text}");
        assert!(text.contains("SUMMARY:Strategic Policing and Crime Board\\; March\\, with"));
        assert!(text.contains("LOCATION:Lloyd House\\, Birmingham"));
        assert!(text.lines().all(|l| l.len() <= 76));
        // Summer time: 10:00 in London is 09:00 UTC.
        let summer = CalendarEvent {
            starts_at: jiff::civil::datetime(2022, 6, 28, 10, 0, 0, 0),
            ..CalendarEvent {
                uid: "m@safer".into(),
                starts_at: jiff::civil::datetime(2022, 1, 1, 0, 0, 0, 0),
                summary: String::new(),
                location: String::new(),
                cancelled: true,
            }
        };
        let text = icalendar("Boards", &[summer], jiff::Timestamp::UNIX_EPOCH);
        assert!(text.contains("DTSTART:20220628T090000Z"));
        assert!(text.contains("STATUS:CANCELLED"));
    }

    #[test]
    fn minute_numbers_print_as_the_notes_do() {
        let n = MinuteNumber {
            year: 2022,
            number: 12,
        };
        assert_eq!(n.to_string(), "012/22");
        assert_eq!(
            MinuteNumber {
                year: 2100,
                number: 1234
            }
            .to_string(),
            "1234/00"
        );
    }

    #[test]
    fn an_action_is_carried_forward_until_the_meeting_that_closes_it() {
        let (feb, mar, apr, may) = (
            date(2022, 2, 22),
            date(2022, 3, 22),
            date(2022, 4, 26),
            date(2022, 5, 24),
        );
        // Raised in February, closed at the April meeting.
        let closed = Some(apr);
        assert_eq!(
            standing(feb, closed, None, feb),
            None,
            "not outstanding where raised"
        );
        assert_eq!(
            standing(feb, closed, Some(feb), mar),
            Some(Standing::Outstanding)
        );
        assert_eq!(
            standing(feb, closed, Some(mar), apr),
            Some(Standing::ClosedHere)
        );
        assert_eq!(standing(feb, closed, Some(apr), may), None);
        // Still open: on every later list.
        assert_eq!(
            standing(feb, None, Some(apr), may),
            Some(Standing::Outstanding)
        );
        // Closed between meetings: outstanding in March, shown closed in April, then gone.
        let between = Some(date(2022, 4, 1));
        assert_eq!(
            standing(feb, between, Some(feb), mar),
            Some(Standing::Outstanding)
        );
        assert_eq!(
            standing(feb, between, Some(mar), apr),
            Some(Standing::ClosedHere)
        );
        assert_eq!(standing(feb, between, Some(apr), may), None);
    }
}
