//! Plans: the Police and Crime Plan and each Partnership Plan, with ordered priorities,
//! objectives, deliverables and milestones, and the progress recorded against them.

use crate::forms::{FormErrors, optional_text, required_text};
use crate::time::{long_date, long_month, month_bounds, month_number, parse_date_input};
use jiff::civil::Date;
use serde::Serialize;

/// Whose plan it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// The Police and Crime Commissioner's plan for the force area.
    PoliceAndCrime,
    /// A Community Safety Partnership's plan.
    Partnership,
}

impl PlanKind {
    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PoliceAndCrime => "police_and_crime",
            Self::Partnership => "partnership",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "police_and_crime" => Some(Self::PoliceAndCrime),
            "partnership" => Some(Self::Partnership),
            _ => None,
        }
    }
}

/// Where a milestone stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Work has not begun.
    NotStarted,
    /// Progressing as planned.
    OnTrack,
    /// May miss its date.
    AtRisk,
    /// Has missed its date.
    Late,
    /// Complete.
    Done,
}

impl MilestoneStatus {
    /// Every status, in the order they are shown.
    pub const ALL: [MilestoneStatus; 5] = [
        Self::NotStarted,
        Self::OnTrack,
        Self::AtRisk,
        Self::Late,
        Self::Done,
    ];

    /// The value stored in the database and submitted by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::OnTrack => "on_track",
            Self::AtRisk => "at_risk",
            Self::Late => "late",
            Self::Done => "done",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// How the status reads on a page.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::OnTrack => "On track",
            Self::AtRisk => "At risk",
            Self::Late => "Late",
            Self::Done => "Done",
        }
    }

    /// The GOV.UK tag colour modifier for the status; the tag always carries the text too.
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::NotStarted => "govuk-tag--grey",
            Self::OnTrack => "govuk-tag--blue",
            Self::AtRisk => "govuk-tag--yellow",
            Self::Late => "govuk-tag--red",
            Self::Done => "govuk-tag--green",
        }
    }
}

/// When a milestone is due: a day, a span of days (often whole months, "March–June 2016"),
/// or a recurring commitment with no end ("Monthly").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The first day of the due period; `None` for a recurring milestone.
    pub from: Option<Date>,
    /// The last day of the due period; `None` for a recurring milestone.
    pub to: Option<Date>,
    /// How the due date reads, as it was written or as safer writes a date.
    pub text: String,
}

impl Due {
    /// Due on one day.
    pub fn on(date: Date) -> Self {
        Self {
            from: Some(date),
            to: Some(date),
            text: long_date(date),
        }
    }

    /// Whether the milestone is overdue on `today`: its period has ended and it is not done.
    pub fn is_overdue(&self, status: MilestoneStatus, today: Date) -> bool {
        status != MilestoneStatus::Done && self.to.is_some_and(|to| to < today)
    }

    /// Parses a due period as written in the papers: "June 2016", "March–June 2016",
    /// "March 2016 to July 2016", "7 March 2016", "2016-03-07", "Monthly".
    pub fn parse_period(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        let recurring = [
            "monthly",
            "quarterly",
            "weekly",
            "annually",
            "ongoing",
            "bi-monthly",
            "monthly/bi monthly",
            "monthly/bi-monthly",
        ];
        if recurring.contains(&lower.as_str()) {
            return Some(Self {
                from: None,
                to: None,
                text: text.to_owned(),
            });
        }
        if let Ok(date) = text.parse::<Date>() {
            return Some(Self::on(date));
        }
        let normalised = lower.replace(['–', '—'], "-").replace(" to ", "-");
        let (first, second) = match normalised.split_once('-') {
            Some((a, b)) => (a.trim().to_owned(), Some(b.trim().to_owned())),
            None => (normalised.trim().to_owned(), None),
        };
        let end = parse_month_or_day(second.as_deref().unwrap_or(&first), None)?;
        let start = match second {
            Some(_) => parse_month_or_day(&first, Some(end.year))?,
            None => end,
        };
        let from = start.first;
        let to = end.last;
        if from > to {
            return None;
        }
        let text = if from == to {
            long_date(from)
        } else {
            text.to_owned()
        };
        Some(Self {
            from: Some(from),
            to: Some(to),
            text,
        })
    }
}

#[derive(Clone, Copy)]
struct Span {
    first: Date,
    last: Date,
    year: i16,
}

/// "June 2016", "7 March 2016", or with `default_year`, "March" and "7 March".
fn parse_month_or_day(text: &str, default_year: Option<i16>) -> Option<Span> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (day, month, year) = match words.as_slice() {
        [m] => (None, *m, default_year?),
        [m, y] if month_number(m).is_some() => (None, *m, y.parse().ok()?),
        [d, m] => (Some(d.parse::<i8>().ok()?), *m, default_year?),
        [d, m, y] => (Some(d.parse::<i8>().ok()?), *m, y.parse().ok()?),
        _ => return None,
    };
    let month = month_number(month)?;
    if !(1000..=9999).contains(&year) {
        return None;
    }
    match day {
        Some(d) => {
            let date = Date::new(year, month, d).ok()?;
            Some(Span {
                first: date,
                last: date,
                year,
            })
        }
        None => {
            let (first, last) = month_bounds(year, month)?;
            Some(Span { first, last, year })
        }
    }
}

/// A milestone as submitted on the add or edit form, before parsing.
#[derive(Debug, Clone, Default)]
pub struct MilestoneForm {
    /// What will be delivered.
    pub title: String,
    /// More detail, optional.
    pub description: String,
    /// The due date's day box.
    pub due_day: String,
    /// The due date's month box.
    pub due_month: String,
    /// The due date's year box.
    pub due_year: String,
    /// A due period instead of a date, e.g. "March–June 2016" or "Monthly".
    pub due_period: String,
    /// The status, as submitted.
    pub status: String,
}

/// A milestone's details, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneDetails {
    /// What will be delivered.
    pub title: String,
    /// More detail.
    pub description: String,
    /// When it is due.
    pub due: Due,
    /// Where it stands.
    pub status: MilestoneStatus,
}

impl MilestoneForm {
    /// Parses the form, with a message for each field that needs fixing.
    pub fn parse(&self) -> Result<MilestoneDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let title = required_text(
            &mut errors,
            "title",
            &self.title,
            "Enter what the milestone will deliver",
            300,
        );
        let description = optional_text(&mut errors, "description", &self.description, 2000);
        let date = match parse_date_input(&self.due_day, &self.due_month, &self.due_year) {
            Ok(date) => date,
            Err(message) => {
                errors.add("due-day", message);
                None
            }
        };
        let period = self.due_period.trim();
        let due = match (date, period.is_empty()) {
            (Some(_), false) => {
                errors.add("due-period", "Enter a due date or a period, not both");
                None
            }
            (Some(date), true) => Some(Due::on(date)),
            (None, false) => {
                let due = Due::parse_period(period);
                if due.is_none() {
                    errors.add(
                        "due-period",
                        "Enter the period as a month or a range of months, such as March–June 2016, or as Monthly",
                    );
                }
                due
            }
            (None, true) => {
                if errors.get("due-day").is_none() {
                    errors.add(
                        "due-day",
                        "Enter a due date, or a period such as March–June 2016",
                    );
                }
                None
            }
        };
        let status = MilestoneStatus::parse(&self.status);
        if status.is_none() {
            errors.add("status", "Select the milestone's status");
        }
        match (due, status) {
            (Some(due), Some(status)) if errors.is_empty() => Ok(MilestoneDetails {
                title,
                description,
                due,
                status,
            }),
            _ => Err(errors),
        }
    }
}

/// A progress update as submitted, before parsing.
#[derive(Debug, Clone, Default)]
pub struct ProgressForm {
    /// The status after this update.
    pub status: String,
    /// What happened.
    pub note: String,
}

/// A progress update, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The status after this update.
    pub status: MilestoneStatus,
    /// What happened.
    pub note: String,
}

impl ProgressForm {
    /// Parses the form, with a message for each field that needs fixing.
    pub fn parse(&self) -> Result<Progress, FormErrors> {
        let mut errors = FormErrors::default();
        let status = MilestoneStatus::parse(&self.status);
        if status.is_none() {
            errors.add("status", "Select the milestone's status");
        }
        let note = required_text(
            &mut errors,
            "note",
            &self.note,
            "Enter what progress has been made",
            4000,
        );
        match status {
            Some(status) if errors.is_empty() => Ok(Progress { status, note }),
            _ => Err(errors),
        }
    }
}

/// A title-only item (priority, objective, deliverable) as submitted.
pub fn parse_title(
    title: &str,
    description: &str,
    missing: &str,
) -> Result<(String, String), FormErrors> {
    let mut errors = FormErrors::default();
    let title = required_text(&mut errors, "title", title, missing, 300);
    let description = optional_text(&mut errors, "description", description, 4000);
    errors.into_result((title, description))
}

/// Progress at a glance: how many milestones have each status, and which are overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanProgress {
    /// Milestone counts in the order of [`MilestoneStatus::ALL`].
    pub by_status: Vec<(MilestoneStatus, usize)>,
    /// Ids of milestones whose due period has ended and which are not done.
    pub overdue: Vec<i64>,
    /// All milestones.
    pub total: usize,
}

impl PlanProgress {
    /// Summarises `(id, status, due)` for each milestone as of `today`.
    pub fn summarise<'a>(
        milestones: impl IntoIterator<Item = (i64, MilestoneStatus, &'a Due)>,
        today: Date,
    ) -> Self {
        let mut counts = [0usize; 5];
        let mut overdue = Vec::new();
        let mut total = 0;
        for (id, status, due) in milestones {
            total += 1;
            if let Some(i) = MilestoneStatus::ALL.iter().position(|s| *s == status) {
                counts[i] += 1;
            }
            if due.is_overdue(status, today) {
                overdue.push(id);
            }
        }
        Self {
            by_status: MilestoneStatus::ALL.into_iter().zip(counts).collect(),
            overdue,
            total,
        }
    }
}

/// A plan's period as the papers write it: "2017–20" or "2015/16".
pub fn plan_period_label(starts_on: Date, ends_on: Date) -> String {
    let (a, b) = (starts_on.year(), ends_on.year());
    if a == b {
        return a.to_string();
    }
    if b - a == 1 && starts_on.month() == 4 {
        return format!("{a}/{:02}", b % 100);
    }
    format!("{a}–{:02}", b % 100)
}

/// A month label for a date, exposed for pages that show periods.
pub fn month_label(date: Date) -> String {
    long_month(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_from_the_commission_on_gangs_and_violence() {
        let p = Due::parse_period("March-June 2016").unwrap();
        assert_eq!(
            (p.from, p.to),
            (Some(date(2016, 3, 1)), Some(date(2016, 6, 30)))
        );
        assert_eq!(p.text, "March-June 2016");
        let p = Due::parse_period("March–July 2016").unwrap();
        assert_eq!(p.to, Some(date(2016, 7, 31)));
        let p = Due::parse_period("June 2016").unwrap();
        assert_eq!(
            (p.from, p.to),
            (Some(date(2016, 6, 1)), Some(date(2016, 6, 30)))
        );
        let p = Due::parse_period("March 2016 to July 2016").unwrap();
        assert_eq!(
            (p.from, p.to),
            (Some(date(2016, 3, 1)), Some(date(2016, 7, 31)))
        );
        let p = Due::parse_period("7 March 2016").unwrap();
        assert_eq!(
            (p.from, p.text.as_str()),
            (Some(date(2016, 3, 7)), "7 March 2016")
        );
        let p = Due::parse_period("Monthly").unwrap();
        assert_eq!((p.from, p.to), (None, None));
        let p = Due::parse_period("November 2015 - February 2016").unwrap();
        assert_eq!(
            (p.from, p.to),
            (Some(date(2015, 11, 1)), Some(date(2016, 2, 29)))
        );
    }

    #[test]
    fn nonsense_periods_are_refused() {
        for text in [
            "",
            "soon",
            "June-March 2016",
            "Smarch 2016",
            "32 March 2016",
            "June 16",
        ] {
            assert_eq!(Due::parse_period(text), None, "{text}");
        }
    }

    #[test]
    fn overdue_means_the_period_ended_and_it_is_not_done() {
        let due = Due::parse_period("June 2016").unwrap();
        let july = date(2016, 7, 1);
        assert!(due.is_overdue(MilestoneStatus::OnTrack, july));
        assert!(!due.is_overdue(MilestoneStatus::Done, july));
        assert!(!due.is_overdue(MilestoneStatus::OnTrack, date(2016, 6, 30)));
        assert!(
            !Due::parse_period("Monthly")
                .unwrap()
                .is_overdue(MilestoneStatus::Late, july)
        );
    }

    fn form() -> MilestoneForm {
        MilestoneForm {
            title: "Launch of the Commission".into(),
            due_day: "7".into(),
            due_month: "3".into(),
            due_year: "2016".into(),
            status: "on_track".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_milestone_needs_a_due_date_or_period() {
        let mut f = form();
        assert_eq!(f.parse().unwrap().due, Due::on(date(2016, 3, 7)));
        f.due_day.clear();
        f.due_month.clear();
        f.due_year.clear();
        let errors = f.parse().unwrap_err();
        assert_eq!(
            errors.get("due-day"),
            Some("Enter a due date, or a period such as March–June 2016")
        );
        f.due_period = "March–June 2016".into();
        assert_eq!(f.parse().unwrap().due.to, Some(date(2016, 6, 30)));
        f.due_day = "7".into();
        assert!(f.parse().unwrap_err().get("due-day").is_some());
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let errors = MilestoneForm::default().parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["title", "due-day", "status"]);
    }

    #[test]
    fn progress_summary_counts_and_finds_overdue() {
        let june = Due::parse_period("June 2016").unwrap();
        let monthly = Due::parse_period("Monthly").unwrap();
        let p = PlanProgress::summarise(
            [
                (1, MilestoneStatus::OnTrack, &june),
                (2, MilestoneStatus::Done, &june),
                (3, MilestoneStatus::Late, &monthly),
            ],
            date(2016, 8, 1),
        );
        assert_eq!(p.total, 3);
        assert_eq!(p.overdue, vec![1]);
        assert_eq!(p.by_status[1], (MilestoneStatus::OnTrack, 1));
        assert_eq!(p.by_status[4], (MilestoneStatus::Done, 1));
    }

    #[test]
    fn plan_periods_read_as_in_the_papers() {
        assert_eq!(
            plan_period_label(date(2017, 4, 1), date(2020, 3, 31)),
            "2017–20"
        );
        assert_eq!(
            plan_period_label(date(2015, 4, 1), date(2016, 3, 31)),
            "2015/16"
        );
    }
}
