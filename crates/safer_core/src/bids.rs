//! Bidding rounds and bids (business cases): the forms that define a round, a bid's text and
//! cost lines, a reviewer's scores, and the decision on a round's bids. A bid's amounts are
//! always computed from its cost lines.

use crate::forms::{FormErrors, optional_text, required_text};
use crate::funds::{Pence, Spending};
use crate::time::required_date;
use jiff::civil::Date;

stored_enum! {
    /// Where a bid is in its life.
    BidState {
        /// Being written by the applicant; only they see it.
        Draft = "draft", "Draft";
        /// Sent to the OPCC.
        Submitted = "submitted", "Submitted";
        /// At least one reviewer has looked at it.
        UnderReview = "under_review", "Under review";
        /// Approved at the amount asked for.
        Approved = "approved", "Approved in full";
        /// Approved at less than was asked for.
        Reduced = "reduced", "Approved at a reduced amount";
        /// Not funded.
        Declined = "declined", "Declined";
        /// Taken back by the applicant.
        Withdrawn = "withdrawn", "Withdrawn";
    }
}

impl BidState {
    /// Whether the bid waits for a decision.
    pub fn awaits_decision(self) -> bool {
        matches!(self, BidState::Submitted | BidState::UnderReview)
    }

    /// Whether the applicant may still withdraw it.
    pub fn may_withdraw(self) -> bool {
        matches!(
            self,
            BidState::Draft | BidState::Submitted | BidState::UnderReview
        )
    }

    /// The GOV.UK tag colour for the state.
    pub fn tag_class(self) -> &'static str {
        match self {
            BidState::Draft => "govuk-tag--grey",
            BidState::Submitted | BidState::UnderReview => "govuk-tag--blue",
            BidState::Approved | BidState::Reduced => "govuk-tag--green",
            BidState::Declined => "govuk-tag--red",
            BidState::Withdrawn => "govuk-tag--grey",
        }
    }
}

/// Lines of text, one item per non-empty line.
pub fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A round as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundForm {
    /// Its name.
    pub name: String,
    /// Opening date: day, month, year.
    pub opens: [String; 3],
    /// Closing date: day, month, year.
    pub closes: [String; 3],
    /// Criteria, one per line.
    pub criteria: String,
    /// Questions a business case must answer, one per line.
    pub questions: String,
    /// The most a cost line may ask for (optional).
    pub line_limit: String,
}

/// A round as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundDetails {
    /// Its name.
    pub name: String,
    /// The first day bids may be submitted.
    pub opens_on: Date,
    /// The last day bids may be submitted.
    pub closes_on: Date,
    /// What reviewers score against.
    pub criteria: Vec<String>,
    /// What a business case must answer.
    pub questions: Vec<String>,
    /// The most one cost line may ask for.
    pub line_limit: Option<Pence>,
}

impl RoundForm {
    /// The round, or what to fix.
    pub fn parse(&self) -> Result<RoundDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let name = required_text(
            &mut errors,
            "name",
            &self.name,
            "Enter the round's name",
            200,
        );
        let opens = required_date(
            &mut errors,
            "opens",
            self.opens.each_ref().map(String::as_str),
            "Enter the date the round opens",
        );
        let closes = required_date(
            &mut errors,
            "closes",
            self.closes.each_ref().map(String::as_str),
            "Enter the date the round closes",
        );
        if let (Some(o), Some(c)) = (opens, closes)
            && c < o
        {
            errors.add(
                "closes-day",
                "The closing date must be on or after the opening date",
            );
        }
        let criteria = lines_of(&self.criteria);
        if criteria.is_empty() {
            errors.add(
                "criteria",
                "Enter at least one criterion that reviewers will score bids against",
            );
        } else if criteria.len() > 12 {
            errors.add("criteria", "Enter 12 criteria or fewer");
        }
        let questions = lines_of(&self.questions);
        let line_limit = if self.line_limit.trim().is_empty() {
            None
        } else {
            let limit = Pence::parse(&self.line_limit).filter(|p| p.0 > 0);
            if limit.is_none() {
                errors.add(
                    "line-limit",
                    "Enter the most one cost line may ask for in pounds, like £50,000, or leave it empty",
                );
            }
            limit
        };
        match (opens, closes) {
            (Some(opens_on), Some(closes_on)) if errors.is_empty() => Ok(RoundDetails {
                name,
                opens_on,
                closes_on,
                criteria,
                questions,
                line_limit,
            }),
            _ => Err(errors),
        }
    }
}

/// The text of a business case. Only the title is needed for a draft; the rest before it is
/// submitted ([`BidText::missing_for_submission`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BidText {
    /// The applicant's own reference, such as "B2".
    pub reference: String,
    /// Its title.
    pub title: String,
    /// What it aims to do.
    pub aims: String,
    /// Why it is needed.
    pub background: String,
    /// Outputs, and how each will be measured.
    pub outputs: String,
    /// Outcomes, and how each will be measured.
    pub outcomes: String,
    /// Risks to delivery.
    pub risks: String,
    /// When it will be done.
    pub timeline: String,
    /// What happens when the money ends.
    pub exit_strategy: String,
}

/// The business case's fields: form name, label, and the message when one is missing at
/// submission.
pub const BID_SECTIONS: &[(&str, &str, &str)] = &[
    ("aims", "Aims", "Enter the bid's aims"),
    (
        "background",
        "Background",
        "Enter the background to the bid",
    ),
    (
        "outputs",
        "Outputs and how each will be measured",
        "Enter the outputs and how each will be measured",
    ),
    (
        "outcomes",
        "Outcomes and how each will be measured",
        "Enter the outcomes and how each will be measured",
    ),
    ("risks", "Risks", "Enter the risks to delivery"),
    ("timeline", "Timeline", "Enter the timeline"),
    (
        "exit-strategy",
        "Exit or succession strategy",
        "Enter what will happen when the funding ends",
    ),
];

impl BidText {
    /// The text of the section named as in [`BID_SECTIONS`].
    pub fn section(&self, name: &str) -> &str {
        match name {
            "aims" => &self.aims,
            "background" => &self.background,
            "outputs" => &self.outputs,
            "outcomes" => &self.outcomes,
            "risks" => &self.risks,
            "timeline" => &self.timeline,
            "exit-strategy" => &self.exit_strategy,
            _ => "",
        }
    }

    /// Checks the text as entered: a title, nothing too long. Trims every field.
    pub fn parse(&self) -> Result<BidText, FormErrors> {
        let mut errors = FormErrors::default();
        let mut long = |field: &str, value: &str| optional_text(&mut errors, field, value, 20_000);
        let text = BidText {
            reference: String::new(),
            title: String::new(),
            aims: long("aims", &self.aims),
            background: long("background", &self.background),
            outputs: long("outputs", &self.outputs),
            outcomes: long("outcomes", &self.outcomes),
            risks: long("risks", &self.risks),
            timeline: long("timeline", &self.timeline),
            exit_strategy: long("exit-strategy", &self.exit_strategy),
        };
        let reference = optional_text(&mut errors, "reference", &self.reference, 20);
        let title = required_text(
            &mut errors,
            "title",
            &self.title,
            "Enter the bid's title",
            300,
        );
        errors.into_result(BidText {
            reference,
            title,
            ..text
        })
    }

    /// What must still be written before the bid can be submitted.
    pub fn missing_for_submission(&self) -> FormErrors {
        let mut errors = FormErrors::default();
        for (field, _, message) in BID_SECTIONS {
            if self.section(field).trim().is_empty() {
                errors.add(field, *message);
            }
        }
        errors
    }
}

/// A cost line as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CostLineForm {
    /// What it pays for.
    pub description: String,
    /// How much.
    pub amount: String,
    /// `revenue` or `capital`.
    pub spending: String,
    /// The least the project could work with (optional).
    pub minimum: String,
}

/// A cost line as parsed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CostLine {
    /// What it pays for.
    pub description: String,
    /// How much.
    pub amount: Pence,
    /// Capital or revenue.
    pub spending: Spending,
    /// The least the project could work with, where given.
    pub minimum: Option<Pence>,
}

impl CostLineForm {
    /// The line, or what to fix; `limit` is the most the round lets one line ask for.
    pub fn parse(&self, limit: Option<Pence>) -> Result<CostLine, FormErrors> {
        let mut errors = FormErrors::default();
        let description = required_text(
            &mut errors,
            "description",
            &self.description,
            "Enter what this cost line pays for",
            300,
        );
        let amount = if self.amount.trim().is_empty() {
            errors.add("amount", "Enter the amount for this cost line");
            None
        } else {
            match Pence::parse(&self.amount).filter(|p| p.0 > 0) {
                Some(a) => match limit {
                    Some(limit) if a > limit => {
                        errors.add(
                            "amount",
                            format!(
                                "A cost line must be {limit} or less in this round: ask for less, or split the cost"
                            ),
                        );
                        None
                    }
                    _ => Some(a),
                },
                None => {
                    errors.add(
                        "amount",
                        "Enter the amount in pounds, like £10,000 or 10000",
                    );
                    None
                }
            }
        };
        let spending = Spending::parse(&self.spending).filter(|s| *s != Spending::Both);
        if spending.is_none() {
            errors.add(
                "spending",
                "Select whether this is capital or revenue spending",
            );
        }
        let minimum = if self.minimum.trim().is_empty() {
            None
        } else {
            match (Pence::parse(&self.minimum), amount) {
                (None, _) => {
                    errors.add(
                        "minimum",
                        "Enter the least the project could work with in pounds, or leave it empty",
                    );
                    None
                }
                (Some(m), Some(a)) if m > a => {
                    errors.add(
                        "minimum",
                        "The least the project could work with must not be more than the amount",
                    );
                    None
                }
                (m, _) => m,
            }
        };
        match (amount, spending) {
            (Some(amount), Some(spending)) if errors.is_empty() => Ok(CostLine {
                description,
                amount,
                spending,
                minimum,
            }),
            _ => Err(errors),
        }
    }
}

/// What a bid asks for in all: the sum of its lines.
pub fn requested(lines: &[CostLine]) -> Pence {
    Pence(lines.iter().map(|l| l.amount.0).sum())
}

/// The least a bid could work with: each line's minimum, or its amount where none is given.
pub fn least(lines: &[CostLine]) -> Pence {
    Pence(lines.iter().map(|l| l.minimum.unwrap_or(l.amount).0).sum())
}

/// The kinds of file a bid may attach, by extension, with the type they are served as.
const ATTACHMENT_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

/// An attachment's content type, or what to fix: the file's kind must be one a board can open,
/// and it must not be empty or over [`limits::ATTACHMENT_BYTES`](crate::limits::ATTACHMENT_BYTES).
pub fn attachment_type(file_name: &str, size: usize) -> Result<&'static str, String> {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, content_type)) = ATTACHMENT_TYPES.iter().find(|(e, _)| *e == extension) else {
        return Err(
            "The file must be a PDF, Word, Excel, OpenDocument, CSV, text, PNG or JPEG file"
                .to_owned(),
        );
    };
    if size == 0 {
        return Err("The selected file is empty".to_owned());
    }
    if size > crate::limits::ATTACHMENT_BYTES {
        return Err(attachment_too_large());
    }
    Ok(content_type)
}

/// What the bid page says of an attachment over the limit.
pub fn attachment_too_large() -> String {
    format!(
        "The file must be smaller than {}",
        crate::limits::size(crate::limits::ATTACHMENT_BYTES as u64)
    )
}

/// A reviewer's view of a bid.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Review {
    /// The reviewer has a conflict of interest, so scores nothing.
    Conflict {
        /// What the interest is.
        interest: String,
    },
    /// Scores (1 to 5) against each criterion in the round's order, and a comment.
    Scored {
        /// One score per criterion.
        scores: Vec<u8>,
        /// The reviewer's comment.
        comment: String,
    },
}

/// A review as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewForm {
    /// `yes` when the reviewer has a conflict of interest, `no` when not.
    pub conflict: String,
    /// The interest, when there is one.
    pub interest: String,
    /// One score per criterion, as typed or chosen.
    pub scores: Vec<String>,
    /// A comment.
    pub comment: String,
}

impl ReviewForm {
    /// The review, or what to fix; `criteria` are the round's.
    pub fn parse(&self, criteria: &[String]) -> Result<Review, FormErrors> {
        let mut errors = FormErrors::default();
        match self.conflict.as_str() {
            "yes" => {
                let interest = required_text(
                    &mut errors,
                    "interest",
                    &self.interest,
                    "Describe your interest in this bid",
                    1000,
                );
                errors.into_result(Review::Conflict { interest })
            }
            "no" => {
                let mut scores = Vec::with_capacity(criteria.len());
                for (i, criterion) in criteria.iter().enumerate() {
                    let given = self.scores.get(i).map(|s| s.trim()).unwrap_or("");
                    match given.parse::<u8>().ok().filter(|s| (1..=5).contains(s)) {
                        Some(s) => scores.push(s),
                        None => errors.add(
                            &format!("score-{}", i + 1),
                            format!("Score the bid from 1 to 5 against ‘{criterion}’"),
                        ),
                    }
                }
                let comment = required_text(
                    &mut errors,
                    "comment",
                    &self.comment,
                    "Enter your comments on the bid",
                    5000,
                );
                errors.into_result(Review::Scored { scores, comment })
            }
            _ => {
                errors.add(
                    "conflict",
                    "Select whether you have a conflict of interest in this bid",
                );
                Err(errors)
            }
        }
    }
}

/// A bid as the decision screen weighs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidToDecide {
    /// The bid's id.
    pub id: i64,
    /// What it asks for.
    pub requested: Pence,
    /// The least it could work with.
    pub least: Pence,
}

/// What is decided for one bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Approved at the amount asked for.
    Full,
    /// Approved at a lower amount.
    Reduced(Pence),
    /// Not funded.
    Declined,
}

impl Outcome {
    /// The amount approved, given what was asked.
    pub fn amount(self, requested: Pence) -> Pence {
        match self {
            Outcome::Full => requested,
            Outcome::Reduced(p) => p,
            Outcome::Declined => Pence(0),
        }
    }
}

/// The decision screen's choices as submitted: `choice-ID` is `full`, `reduced`, `decline` or
/// empty, and `amount-ID` the reduced amount.
pub fn parse_decision(
    bids: &[BidToDecide],
    fields: &[(String, String)],
) -> (Vec<(i64, Option<Outcome>)>, FormErrors) {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    };
    let mut errors = FormErrors::default();
    let mut outcomes = Vec::with_capacity(bids.len());
    for bid in bids {
        let outcome = match field(&format!("choice-{}", bid.id)) {
            "full" => Some(Outcome::Full),
            "decline" => Some(Outcome::Declined),
            "reduced" => {
                let amount_field = format!("amount-{}", bid.id);
                match Pence::parse(field(&amount_field)) {
                    Some(p) if p.0 > 0 && p < bid.requested => Some(Outcome::Reduced(p)),
                    Some(_) => {
                        errors.add(
                            &amount_field,
                            format!(
                                "A reduced amount must be more than £0 and less than the {} asked for",
                                bid.requested
                            ),
                        );
                        None
                    }
                    None => {
                        errors.add(
                            &amount_field,
                            "Enter the reduced amount in pounds, like £75,000",
                        );
                        None
                    }
                }
            }
            _ => None,
        };
        outcomes.push((bid.id, outcome));
    }
    (outcomes, errors)
}

/// The total approved by a set of outcomes.
pub fn total_approved(bids: &[BidToDecide], outcomes: &[(i64, Option<Outcome>)]) -> Pence {
    Pence(
        bids.iter()
            .zip(outcomes)
            .filter_map(|(b, (_, o))| o.map(|o| o.amount(b.requested).0))
            .sum(),
    )
}

/// A notice's number as it is cited: "001/2013".
pub fn notice_number(number: i64, year: i64) -> String {
    format!("{number:03}/{year}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(amount: i64, minimum: Option<i64>) -> CostLine {
        CostLine {
            description: "x".into(),
            amount: Pence(amount),
            spending: Spending::Revenue,
            minimum: minimum.map(Pence),
        }
    }

    #[test]
    fn attachments_are_files_a_board_can_open_and_not_too_big() {
        assert_eq!(
            attachment_type("Business case.PDF", 10),
            Ok("application/pdf")
        );
        assert!(
            attachment_type("run.exe", 10)
                .unwrap_err()
                .contains("must be a PDF")
        );
        assert!(attachment_type("noextension", 10).is_err());
        assert_eq!(
            attachment_type("a.csv", 0),
            Err("The selected file is empty".to_owned())
        );
        assert!(
            attachment_type("a.csv", crate::limits::ATTACHMENT_BYTES + 1)
                .unwrap_err()
                .contains("2 MB")
        );
    }

    #[test]
    fn a_bids_amounts_come_from_its_lines() {
        // Seed 002's B1: £100,000, which could be reduced to £90,000 by trimming the cameras.
        let b1 = [
            line(3_000_000, None),
            line(1_000_000, None),
            line(3_500_000, Some(2_500_000)),
            line(1_000_000, None),
            line(1_500_000, None),
        ];
        assert_eq!(requested(&b1), Pence(10_000_000));
        assert_eq!(least(&b1), Pence(9_000_000));
    }

    #[test]
    fn a_cost_line_says_what_to_fix() {
        let missing = CostLineForm {
            description: "Cameras".into(),
            spending: "capital".into(),
            ..CostLineForm::default()
        }
        .parse(None)
        .unwrap_err();
        assert_eq!(
            missing.get("amount"),
            Some("Enter the amount for this cost line")
        );
        let over = CostLineForm {
            description: "Cameras".into(),
            amount: "£60,000".into(),
            spending: "capital".into(),
            minimum: String::new(),
        }
        .parse(Some(Pence(5_000_000)))
        .unwrap_err();
        assert_eq!(
            over.get("amount"),
            Some(
                "A cost line must be £50,000 or less in this round: ask for less, or split the cost"
            )
        );
        let both = CostLineForm {
            description: "Cameras".into(),
            amount: "£35,000".into(),
            spending: "both".into(),
            minimum: "£40,000".into(),
        }
        .parse(None)
        .unwrap_err();
        assert!(both.get("spending").is_some());
        assert_eq!(
            both.get("minimum"),
            Some("The least the project could work with must not be more than the amount")
        );
        let ok = CostLineForm {
            description: "Trial of 4G re-deployable cameras".into(),
            amount: "£35,000".into(),
            spending: "capital".into(),
            minimum: "25000".into(),
        }
        .parse(Some(Pence(5_000_000)))
        .unwrap();
        assert_eq!(ok.minimum, Some(Pence(2_500_000)));
    }

    #[test]
    fn a_round_needs_dates_in_order_and_criteria() {
        let errors = RoundForm {
            name: "Invest to Save".into(),
            opens: ["1".into(), "10".into(), "2013".into()],
            closes: ["1".into(), "9".into(), "2013".into()],
            ..RoundForm::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors.get("closes-day"),
            Some("The closing date must be on or after the opening date")
        );
        assert!(errors.get("criteria").is_some());
        let round = RoundForm {
            name: "Invest to Save".into(),
            opens: ["1".into(), "9".into(), "2013".into()],
            closes: ["18".into(), "10".into(), "2013".into()],
            criteria: "Saves money later\n\n  Fits the Plan  ".into(),
            questions: String::new(),
            line_limit: "£100,000".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(round.criteria, ["Saves money later", "Fits the Plan"]);
        assert_eq!(round.line_limit, Some(Pence(10_000_000)));
    }

    #[test]
    fn a_bid_needs_its_whole_case_before_it_is_submitted() {
        let text = BidText {
            title: "Youth Violence".into(),
            aims: "Fewer young victims".into(),
            ..BidText::default()
        }
        .parse()
        .unwrap();
        let missing = text.missing_for_submission();
        assert_eq!(missing.get("aims"), None);
        assert_eq!(missing.get("risks"), Some("Enter the risks to delivery"));
        assert_eq!(missing.iter().count(), 6);
        assert!(BidText::default().parse().is_err());
    }

    #[test]
    fn a_review_scores_every_criterion_unless_the_reviewer_has_an_interest() {
        let criteria = ["Saves money".to_owned(), "Fits the Plan".to_owned()];
        let errors = ReviewForm {
            conflict: "no".into(),
            scores: vec!["4".into(), "6".into()],
            ..ReviewForm::default()
        }
        .parse(&criteria)
        .unwrap_err();
        assert_eq!(
            errors.get("score-2"),
            Some("Score the bid from 1 to 5 against ‘Fits the Plan’")
        );
        assert!(errors.get("comment").is_some());
        let conflict = ReviewForm {
            conflict: "yes".into(),
            interest: "I chair the applicant's board".into(),
            ..ReviewForm::default()
        }
        .parse(&criteria)
        .unwrap();
        assert!(matches!(conflict, Review::Conflict { .. }));
        assert!(ReviewForm::default().parse(&criteria).is_err());
    }

    #[test]
    fn the_decision_reads_each_bids_choice() {
        let bids = [
            BidToDecide {
                id: 1,
                requested: Pence(10_000_000),
                least: Pence(9_000_000),
            },
            BidToDecide {
                id: 2,
                requested: Pence(9_500_000),
                least: Pence(7_500_000),
            },
            BidToDecide {
                id: 3,
                requested: Pence(150_000),
                least: Pence(150_000),
            },
        ];
        let f = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let (outcomes, errors) = parse_decision(
            &bids,
            &[
                f("choice-1", "full"),
                f("choice-2", "reduced"),
                f("amount-2", "£75,000"),
                f("choice-3", "decline"),
            ],
        );
        assert!(errors.is_empty());
        assert_eq!(total_approved(&bids, &outcomes), Pence(17_500_000));
        let (_, errors) =
            parse_decision(&bids, &[f("choice-2", "reduced"), f("amount-2", "£95,000")]);
        assert!(errors.get("amount-2").is_some());
        assert_eq!(notice_number(1, 2013), "001/2013");
    }
}
