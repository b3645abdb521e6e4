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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

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
