//! Grants: how they are paid and monitored, the schedule of monitoring returns a grant's
//! period and frequency give, when a return is overdue, and the forms for a return, a
//! condition, a payment and a variation.

use crate::forms::{FormErrors, required_text};
use crate::funds::Pence;
use crate::time::{optional_date, required_date};
use jiff::ToSpan;
use jiff::civil::{Date, date};

stored_enum! {
    /// When the money is paid.
    PaymentBasis {
        /// Before the work, on the schedule.
        Advance = "advance", "In advance";
        /// After the work, once the returns due by then are in.
        Arrears = "arrears", "In arrears, against returns";
    }
}

stored_enum! {
    /// How often the recipient reports.
    Monitoring {
        /// A return for each financial quarter, and the last one final.
        Quarterly = "quarterly", "Quarterly";
        /// A return for each financial year.
        Annual = "annual", "Annual";
        /// Returns when the OPCC asks, and a final one.
        AdHoc = "ad_hoc", "Ad hoc, with a final return";
        /// One return at the end.
        Final = "final", "Final return only";
    }
}

stored_enum! {
    /// How the recipient says the work is going.
    ReturnStatus {
        /// Delivering as planned.
        OnTrack = "on_track", "On track";
        /// Some delivery at risk.
        AtRisk = "at_risk", "At risk";
        /// Not delivering as planned.
        OffTrack = "off_track", "Off track";
    }
}

impl ReturnStatus {
    /// The GOV.UK tag colour.
    pub fn tag_class(self) -> &'static str {
        match self {
            ReturnStatus::OnTrack => "govuk-tag--green",
            ReturnStatus::AtRisk => "govuk-tag--yellow",
            ReturnStatus::OffTrack => "govuk-tag--red",
        }
    }
}

/// A return the schedule asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledReturn {
    /// How the period is named: "Q2 2013/14", "2013/14", "Final return".
    pub period: String,
    /// The last day the return covers.
    pub period_end: Date,
    /// The day it is due: a month after the period ends.
    pub due_on: Date,
    /// Whether it is the final return.
    pub is_final: bool,
}

/// How long after the end of its period a return is due.
fn due_after(period_end: Date) -> Date {
    period_end.checked_add(1.month()).unwrap_or(period_end)
}

/// The financial year a day falls in, by the year it starts.
fn financial_year(d: Date) -> i16 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

fn year_label(start: i16) -> String {
    format!("{start}/{:02}", (start + 1).rem_euclid(100))
}

/// The returns a grant running from `starts_on` to `ends_on` owes: by quarter or year of the
/// financial year (the last period ending with the grant and marked final), or one final
/// return. Nothing for a grant that ends before it starts.
pub fn return_schedule(
    monitoring: Monitoring,
    starts_on: Date,
    ends_on: Date,
) -> Vec<ScheduledReturn> {
    if ends_on < starts_on {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut push = |period: String, end: Date| {
        out.push(ScheduledReturn {
            period,
            period_end: end,
            due_on: due_after(end),
            is_final: false,
        });
    };
    match monitoring {
        Monitoring::Quarterly => {
            // Quarter ends: 30 June (Q1), 30 September, 31 December, 31 March (Q4).
            let mut year = financial_year(starts_on);
            'years: loop {
                for (q, end) in [
                    (1, date(year, 6, 30)),
                    (2, date(year, 9, 30)),
                    (3, date(year, 12, 31)),
                    (4, date(year + 1, 3, 31)),
                ] {
                    if end < starts_on {
                        continue;
                    }
                    let end = end.min(ends_on);
                    push(format!("Q{q} {}", year_label(year)), end);
                    if end == ends_on {
                        break 'years;
                    }
                }
                year += 1;
            }
        }
        Monitoring::Annual => {
            let mut year = financial_year(starts_on);
            loop {
                let end = date(year + 1, 3, 31).min(ends_on);
                push(year_label(year), end);
                if end == ends_on {
                    break;
                }
                year += 1;
            }
        }
        Monitoring::AdHoc | Monitoring::Final => push("Final return".to_owned(), ends_on),
    }
    if let Some(last) = out.last_mut() {
        last.is_final = true;
    }
    out
}

/// Whether a return due on `due_on` is overdue on `today`: not submitted and past its date.
pub fn is_overdue(due_on: Date, submitted_on: Option<Date>, today: Date) -> bool {
    submitted_on.is_none() && due_on < today
}

/// How a return stands, as its tag reads.
pub fn return_standing(
    due_on: Date,
    submitted_on: Option<Date>,
    today: Date,
) -> (&'static str, &'static str) {
    match submitted_on {
        Some(on) if on > due_on => ("Submitted late", "govuk-tag--yellow"),
        Some(_) => ("Submitted", "govuk-tag--green"),
        None if due_on < today => ("Overdue", "govuk-tag--red"),
        None => ("Due", "govuk-tag--grey"),
    }
}

/// A monitoring return as the recipient reports it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReturnReport {
    /// Spend to date on each cost line, in the grant's order (description, amount).
    pub spend: Vec<(String, Pence)>,
    /// Outputs delivered against plan.
    pub outputs: String,
    /// How the work is going, in words.
    pub narrative: String,
    /// How the work is going.
    pub status: ReturnStatus,
}

impl ReturnReport {
    /// The spend to date in all.
    pub fn total_spend(&self) -> Pence {
        Pence(self.spend.iter().map(|(_, p)| p.0).sum())
    }
}

/// Parses a return: `lines` are the cost lines to report spend on, `spend[i]` as typed for
/// line `i` (field `spend-{i+1}`).
pub fn parse_return(
    lines: &[String],
    spend: &[&str],
    outputs: &str,
    narrative: &str,
    status: &str,
) -> Result<ReturnReport, FormErrors> {
    let mut errors = FormErrors::default();
    let mut parsed = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let typed = spend.get(i).copied().unwrap_or("").trim();
        match Pence::parse(typed) {
            Some(p) => parsed.push((line.clone(), p)),
            None => errors.add(
                &format!("spend-{}", i + 1),
                format!("Enter the spend to date on ‘{line}’ in pounds, or 0"),
            ),
        }
    }
    let outputs = required_text(
        &mut errors,
        "outputs",
        outputs,
        "Enter the outputs delivered against plan",
        20_000,
    );
    let narrative = required_text(
        &mut errors,
        "narrative",
        narrative,
        "Enter how the work is going",
        20_000,
    );
    let status = ReturnStatus::parse(status);
    if status.is_none() {
        errors.add("status", "Select whether the work is on track");
    }
    match status {
        Some(status) if errors.is_empty() => Ok(ReturnReport {
            spend: parsed,
            outputs,
            narrative,
            status,
        }),
        _ => Err(errors),
    }
}

/// An approved variation as entered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Variation {
    /// What changes, and why.
    pub description: String,
    /// Extra money, committed from the fund.
    pub extra: Pence,
    /// The grant's new end, if it moves.
    pub new_ends_on: Option<Date>,
    /// When it was approved.
    pub approved_on: Date,
}

/// Parses a variation: it must add money or move the end, or both.
pub fn parse_variation(
    description: &str,
    extra: &str,
    new_end: [&str; 3],
    approved: [&str; 3],
) -> Result<Variation, FormErrors> {
    let mut errors = FormErrors::default();
    let description = required_text(
        &mut errors,
        "description",
        description,
        "Enter what the variation changes and why",
        2000,
    );
    let extra = if extra.trim().is_empty() {
        Some(Pence(0))
    } else {
        let p = Pence::parse(extra);
        if p.is_none() {
            errors.add(
                "extra",
                "Enter the extra amount in pounds, like £5,000, or leave it empty",
            );
        }
        p
    };
    let new_ends_on = optional_date(&mut errors, "new-end", new_end);
    let approved_on = required_date(
        &mut errors,
        "approved-on",
        approved,
        "Enter the date the variation was approved",
    );
    if extra == Some(Pence(0)) && new_ends_on.is_none() && errors.is_empty() {
        errors.add(
            "extra",
            "A variation must add money, move the end date, or both",
        );
    }
    match (extra, approved_on) {
        (Some(extra), Some(approved_on)) if errors.is_empty() => Ok(Variation {
            description,
            extra,
            new_ends_on,
            approved_on,
        }),
        _ => Err(errors),
    }
}

/// A grant made directly, as entered (not through a round).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantDetails {
    /// What it is for.
    pub title: String,
    /// The organisation that receives it.
    pub recipient_id: i64,
    /// How much.
    pub amount: Pence,
    /// When it was awarded.
    pub awarded_on: Date,
    /// When the funded work starts.
    pub starts_on: Date,
    /// When it ends.
    pub ends_on: Date,
    /// When it is paid.
    pub payment_basis: PaymentBasis,
    /// How often it is reported on.
    pub monitoring: Monitoring,
}

/// Checks the parts of a grant that are not its recipient.
#[allow(clippy::too_many_arguments)]
pub fn parse_grant(
    title: &str,
    recipient_id: Option<i64>,
    amount: &str,
    awarded: [&str; 3],
    starts: [&str; 3],
    ends: [&str; 3],
    payment_basis: &str,
    monitoring: &str,
) -> Result<GrantDetails, FormErrors> {
    let mut errors = FormErrors::default();
    let title = required_text(
        &mut errors,
        "title",
        title,
        "Enter what the grant is for",
        300,
    );
    if recipient_id.is_none() {
        errors.add(
            "recipient",
            "Select the organisation that receives the grant",
        );
    }
    let amount = Pence::parse(amount).filter(|p| p.0 > 0);
    if amount.is_none() {
        errors.add("amount", "Enter the amount in pounds, like £25,000");
    }
    let awarded_on = required_date(
        &mut errors,
        "awarded-on",
        awarded,
        "Enter the date the grant was awarded",
    );
    let starts_on = required_date(
        &mut errors,
        "starts-on",
        starts,
        "Enter the date the funded work starts",
    );
    let ends_on = required_date(
        &mut errors,
        "ends-on",
        ends,
        "Enter the date the funded work ends",
    );
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add("ends-on-day", "The end must be on or after the start");
    }
    let payment_basis = PaymentBasis::parse(payment_basis);
    if payment_basis.is_none() {
        errors.add("payment-basis", "Select when the grant is paid");
    }
    let monitoring = Monitoring::parse(monitoring);
    if monitoring.is_none() {
        errors.add("monitoring", "Select how often the recipient reports");
    }
    match (
        recipient_id,
        amount,
        awarded_on,
        starts_on,
        ends_on,
        payment_basis,
        monitoring,
    ) {
        (
            Some(recipient_id),
            Some(amount),
            Some(awarded_on),
            Some(starts_on),
            Some(ends_on),
            Some(payment_basis),
            Some(monitoring),
        ) if errors.is_empty() => Ok(GrantDetails {
            title,
            recipient_id,
            amount,
            awarded_on,
            starts_on,
            ends_on,
            payment_basis,
            monitoring,
        }),
        _ => Err(errors),
    }
}

/// The last day of the financial year a day falls in (31 March).
pub fn end_of_financial_year(d: Date) -> Date {
    date(financial_year(d) + 1, 3, 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarterly_grant_reports_each_financial_quarter_and_the_last_is_final() {
        // Seed 004's NWCSP grants run for 2017/18.
        let s = return_schedule(Monitoring::Quarterly, date(2017, 4, 1), date(2018, 3, 31));
        let periods: Vec<&str> = s.iter().map(|r| r.period.as_str()).collect();
        assert_eq!(
            periods,
            ["Q1 2017/18", "Q2 2017/18", "Q3 2017/18", "Q4 2017/18"]
        );
        assert_eq!(s[0].period_end, date(2017, 6, 30));
        assert_eq!(s[0].due_on, date(2017, 7, 30));
        assert_eq!(s[3].due_on, date(2018, 4, 30));
        assert!(s[3].is_final && !s[2].is_final);
        // Starting mid-quarter and ending mid-quarter: the periods are cut to the grant.
        let s = return_schedule(Monitoring::Quarterly, date(2013, 11, 12), date(2014, 5, 15));
        let ends: Vec<Date> = s.iter().map(|r| r.period_end).collect();
        assert_eq!(
            ends,
            [date(2013, 12, 31), date(2014, 3, 31), date(2014, 5, 15)]
        );
        assert_eq!(s[2].period, "Q1 2014/15");
        let annual = return_schedule(Monitoring::Annual, date(2015, 4, 1), date(2018, 3, 31));
        assert_eq!(annual.len(), 3);
        assert_eq!(annual[2].period, "2017/18");
        assert_eq!(
            return_schedule(Monitoring::Final, date(2015, 4, 1), date(2016, 3, 31)).len(),
            1
        );
        assert!(return_schedule(Monitoring::Final, date(2016, 4, 1), date(2016, 3, 31)).is_empty());
    }

    #[test]
    fn a_return_is_overdue_once_past_due_and_late_if_submitted_after() {
        let due = date(2017, 10, 30);
        assert!(!is_overdue(due, None, due));
        assert!(is_overdue(due, None, date(2017, 10, 31)));
        assert!(!is_overdue(due, Some(date(2017, 11, 20)), date(2018, 1, 1)));
        assert_eq!(
            return_standing(due, Some(date(2017, 11, 20)), date(2018, 1, 1)).0,
            "Submitted late"
        );
        assert_eq!(return_standing(due, None, date(2018, 1, 1)).0, "Overdue");
    }

    #[test]
    fn a_return_says_what_to_fix() {
        let lines = ["Marshals".to_owned(), "Radios".to_owned()];
        let errors = parse_return(&lines, &["£4,000", "lots"], "", "Going well", "").unwrap_err();
        assert_eq!(
            errors.get("spend-2"),
            Some("Enter the spend to date on ‘Radios’ in pounds, or 0")
        );
        assert!(errors.get("outputs").is_some() && errors.get("status").is_some());
        let ok = parse_return(
            &lines,
            &["£4,000", "0"],
            "10 nights",
            "Going well",
            "on_track",
        )
        .unwrap();
        assert_eq!(ok.total_spend(), Pence(400_000));
    }

    #[test]
    fn a_variation_changes_money_or_time() {
        let today = ["1", "2", "2014"];
        assert!(parse_variation("More nights", "", ["", "", ""], today).is_err());
        let v = parse_variation("More nights", "£2,000", ["", "", ""], today).unwrap();
        assert_eq!(v.extra, Pence(200_000));
        let v = parse_variation("Later", "", ["30", "6", "2014"], today).unwrap();
        assert_eq!(v.new_ends_on, Some(date(2014, 6, 30)));
        assert_eq!(end_of_financial_year(date(2013, 11, 12)), date(2014, 3, 31));
    }
}
