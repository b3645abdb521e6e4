//! Boards and their meetings: minute numbers (`012/22`), and which actions a meeting's
//! "actions outstanding" list carries forward.

use crate::forms::{FormErrors, optional_text, required_text};
use crate::time::parse_date_input;
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
    /// Who put a question.
    QuestionKind {
        /// A member of the public.
        Public = "public", "Question from a member of the public";
        /// A member of the body.
        Member = "member", "Question from a member of the board";
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

/// An entry of an Atom feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// A permanent id, such as `urn:safer:decision:3`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The date it is about.
    pub updated: Date,
    /// A sentence or two.
    pub summary: String,
    /// Its page, relative to the site.
    pub link: String,
}

/// An Atom (RFC 4287) feed of `entries`, newest first.
pub fn atom(title: &str, id: &str, entries: &[FeedEntry]) -> String {
    let stamp = |d: Date| format!("{d}T00:00:00Z");
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), stamp);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{}</id>\n<updated>{updated}</updated>\n<author><name>safer</name></author>\n",
        xml(title),
        xml(id)
    );
    for e in entries {
        out.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n<link href=\"{}\"/>\n<summary>{}</summary>\n</entry>\n",
            xml(&e.id),
            xml(&e.title),
            stamp(e.updated),
            xml(&e.link),
            xml(&e.summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// Escapes text for XML content and attributes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A new meeting as the secretariat enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingForm {
    /// The date's day box.
    pub day: String,
    /// The date's month box.
    pub month: String,
    /// The date's year box.
    pub year: String,
    /// "10:00".
    pub time: String,
    /// Where.
    pub place: String,
}

impl MeetingForm {
    /// The meeting's start and place, or what to fix.
    pub fn parse(&self) -> Result<(jiff::civil::DateTime, String), FormErrors> {
        let mut errors = FormErrors::default();
        let date = match parse_date_input(&self.day, &self.month, &self.year) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.add("date-day", "Enter the date of the meeting");
                None
            }
            Err(message) => {
                errors.add("date-day", message);
                None
            }
        };
        let time = jiff::civil::Time::strptime("%H:%M", self.time.trim()).ok();
        if time.is_none() {
            errors.add(
                "time",
                "Enter the start time as hours and minutes, such as 10:00",
            );
        }
        let place = required_text(
            &mut errors,
            "place",
            &self.place,
            "Enter where the meeting is held",
            300,
        );
        match (date, time) {
            (Some(d), Some(t)) => errors.into_result((d.to_datetime(t), place)),
            _ => Err(errors),
        }
    }
}

/// An agenda item as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgendaItemForm {
    /// The heading it sits under, optional.
    pub section: String,
    /// "10:35", optional.
    pub starts_at: String,
    /// Its title.
    pub title: String,
    /// What it is about, optional.
    pub description: String,
    /// Who presents it, optional.
    pub presenter: String,
    /// An [`ItemKind`]'s stored name.
    pub kind: String,
    /// Why it is exempt from publication; empty for a public item.
    pub exemption: String,
}

/// An agenda item, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItemDetails {
    /// The heading it sits under.
    pub section: String,
    /// "10:35", or empty.
    pub starts_at: String,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// Who presents it.
    pub presenter: String,
    /// What kind of item.
    pub kind: ItemKind,
    /// Why it is exempt, if it is.
    pub exemption: Option<String>,
}

impl AgendaItemForm {
    /// The item, or what to fix.
    pub fn parse(&self) -> Result<AgendaItemDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let title = required_text(
            &mut errors,
            "title",
            &self.title,
            "Enter the item's title",
            300,
        );
        let section = optional_text(&mut errors, "section", &self.section, 200);
        let description = optional_text(&mut errors, "description", &self.description, 2000);
        let presenter = optional_text(&mut errors, "presenter", &self.presenter, 300);
        let starts_at = self.starts_at.trim().to_owned();
        if !starts_at.is_empty() && jiff::civil::Time::strptime("%H:%M", &starts_at).is_err() {
            errors.add(
                "starts-at",
                "Enter the time as hours and minutes, such as 10:35",
            );
        }
        let exemption = optional_text(&mut errors, "exemption", &self.exemption, 500);
        let kind = ItemKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Select what kind of item it is");
        }
        match kind {
            Some(kind) => errors.into_result(AgendaItemDetails {
                section,
                starts_at,
                title,
                description,
                presenter,
                kind,
                exemption: (!exemption.is_empty()).then_some(exemption),
            }),
            None => Err(errors),
        }
    }
}

/// An action as raised at a meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionForm {
    /// What is to be done.
    pub description: String,
    /// Who is to do it.
    pub owner: String,
    /// The due date's day box.
    pub due_day: String,
    /// The due date's month box.
    pub due_month: String,
    /// The due date's year box.
    pub due_year: String,
}

impl ActionForm {
    /// (description, owner, due date), or what to fix.
    pub fn parse(&self) -> Result<(String, String, Option<Date>), FormErrors> {
        let mut errors = FormErrors::default();
        let description = required_text(
            &mut errors,
            "action",
            &self.description,
            "Enter the action",
            1000,
        );
        let owner = required_text(
            &mut errors,
            "owner",
            &self.owner,
            "Enter who owns the action",
            300,
        );
        let due = match parse_date_input(&self.due_day, &self.due_month, &self.due_year) {
            Ok(d) => d,
            Err(message) => {
                errors.add("due-day", message);
                None
            }
        };
        errors.into_result((description, owner, due))
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
    fn the_secretariat_s_forms_say_what_to_fix() {
        let fields = |e: FormErrors| e.iter().map(|(f, _)| f.to_owned()).collect::<Vec<_>>();
        assert_eq!(
            fields(MeetingForm::default().parse().unwrap_err()),
            ["date-day", "time", "place"]
        );
        let meeting = MeetingForm {
            day: "26".into(),
            month: "4".into(),
            year: "2022".into(),
            time: "10:00".into(),
            place: "Lloyd House".into(),
        };
        assert_eq!(
            meeting.parse().unwrap().0,
            jiff::civil::datetime(2022, 4, 26, 10, 0, 0, 0)
        );
        assert_eq!(
            fields(
                AgendaItemForm {
                    starts_at: "ten".into(),
                    ..Default::default()
                }
                .parse()
                .unwrap_err()
            ),
            ["title", "starts-at", "kind"]
        );
        let exempt = AgendaItemForm {
            title: "Contract award".into(),
            kind: "written_report".into(),
            exemption: " Paragraph 3 ".into(),
            ..Default::default()
        };
        assert_eq!(
            exempt.parse().unwrap().exemption.as_deref(),
            Some("Paragraph 3")
        );
        assert_eq!(
            fields(ActionForm::default().parse().unwrap_err()),
            ["action", "owner"]
        );
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
