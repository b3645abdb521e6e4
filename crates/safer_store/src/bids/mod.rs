//! Bidding rounds, bids with their cost lines, reviews, board comments, and the decision on a
//! round with its numbered Notice of Decision.
//!
//! A bid's amounts are computed from its lines in every query. A bid carries a version raised
//! by every change to it or its lines, so a save made from a stale copy is refused
//! ([`StoreError::Conflict`]). Deciding a round commits each approved amount from the fund in
//! the one transaction that holds the fund's lock ([`funds::lock_fund`]), so a decision can
//! never commit more than the fund has left, whatever else is committed at the same time.
//!
//! This module holds rounds and bids with their lines; [`reviews`], [`decision`] (with the
//! notice) and [`attachments`] hold the rest, and everything is re-exported here.

use crate::audit::Author;
use crate::audit::{self, audited};
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use jiff::civil::Date;
use safer_core::access::{BidParties, ReadScope};
use safer_core::bids::{BidState, BidText, CostLine, Review, RoundDetails, lines_of};
use safer_core::funds::{Pence, Spending};
use serde::Serialize;
use serde_json::json;

/// A bidding round on a fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    /// Its id.
    pub id: i64,
    /// The fund it allocates.
    pub fund_id: i64,
    /// The fund's name.
    pub fund_name: String,
    /// The OPCC that holds the fund.
    pub opcc_id: i64,
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
    /// The partnerships that may bid (id, name); empty when every partnership of the OPCC may.
    pub eligible: Vec<(i64, String)>,
    /// The Plan objectives it serves (id, title).
    pub objectives: Vec<(i64, String)>,
}

impl Round {
    /// Whether bids may be submitted on `day`.
    pub fn is_open_on(&self, day: Date) -> bool {
        self.opens_on <= day && day <= self.closes_on
    }

    /// Whether `partnership_id` may bid.
    pub fn admits(&self, partnership_id: i64) -> bool {
        self.eligible.is_empty() || self.eligible.iter().any(|(id, _)| *id == partnership_id)
    }
}

/// A bid as lists show it, with its amounts computed from its lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BidSummary {
    /// Its id.
    pub id: i64,
    /// The round.
    pub round_id: i64,
    /// The partnership it comes through.
    pub partnership_id: i64,
    /// The partnership's name.
    pub partnership_name: String,
    /// The organisation that would receive the money.
    pub applicant_name: String,
    /// The applicant's reference (S1, B2).
    pub reference: String,
    /// Its title.
    pub title: String,
    /// Where it is.
    pub state: BidState,
    /// What it asks for: the sum of its lines.
    pub requested: Pence,
    /// The least it could work with.
    pub least: Pence,
    /// What was approved, once decided.
    pub approved: Option<Pence>,
    /// The mean of the reviewers' scores (1 to 5) across criteria, where any scored it.
    pub mean_score: Option<f64>,
}

impl BidSummary {
    /// How the bid is named in lists: "B1 Youth violence", or its title alone.
    pub fn name(&self) -> String {
        if self.reference.is_empty() {
            self.title.clone()
        } else {
            format!("{} {}", self.reference, self.title)
        }
    }
}

/// A cost line with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Its id.
    pub id: i64,
    /// The line.
    #[serde(flatten)]
    pub line: CostLine,
}

/// A whole bid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bid {
    /// The bid as lists show it.
    #[serde(flatten)]
    pub summary: BidSummary,
    /// The applicant organisation's id.
    pub applicant_id: i64,
    /// The business case.
    pub text: BidText,
    /// Raised by every change; a save must name the version it was made from.
    pub version: i64,
    /// Its cost lines.
    pub lines: Vec<Line>,
    /// The Plan objectives it supports (id, title).
    pub objectives: Vec<(i64, String)>,
    /// The partnership plan priorities it supports (id, title).
    pub priorities: Vec<(i64, String)>,
    /// When it was submitted.
    pub submitted_at: Option<String>,
    /// The notice that decided it.
    pub notice_id: Option<i64>,
    /// Who last changed it.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
}

/// A reviewer's view of a bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRecord {
    /// The reviewer's user id.
    pub reviewer_id: i64,
    /// The reviewer's name.
    pub reviewer_name: String,
    /// The review.
    pub review: Review,
    /// When it was recorded.
    pub created_at: String,
}

/// A board's comment on a bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardComment {
    /// The meeting that gave it.
    pub meeting_id: i64,
    /// The body that met.
    pub body_name: String,
    /// When the meeting began (stored text).
    pub meeting_starts_at: String,
    /// The comment.
    pub comment: String,
}

/// The PCC's Notice of Decision on a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// Its id.
    pub id: i64,
    /// The round it decides.
    pub round_id: i64,
    /// The OPCC whose decision it is.
    pub opcc_id: i64,
    /// "001/2013".
    pub number: String,
    /// What it is about.
    pub title: String,
    /// The executive summary.
    pub executive_summary: String,
    /// Financial implications.
    pub financial: String,
    /// Legal implications.
    pub legal: String,
    /// Equality implications.
    pub equality: String,
    /// The decision maker's declaration of interests.
    pub interests: String,
    /// The day it was decided.
    pub decided_on: Date,
    /// Whether it is confidential (never published while it is).
    pub confidential: bool,
    /// Who signed it.
    pub signatory: String,
    /// When it was signed.
    pub signed_on: Option<Date>,
    /// When it was published.
    pub published_at: Option<String>,
}

/// The parts of a notice its author writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NoticeText {
    /// What it is about.
    pub title: String,
    /// The executive summary.
    pub executive_summary: String,
    /// Financial implications.
    pub financial: String,
    /// Legal implications.
    pub legal: String,
    /// Equality implications.
    pub equality: String,
    /// The declaration of interests.
    pub interests: String,
    /// Whether it is confidential.
    pub confidential: bool,
    /// Who signed it (empty when not yet signed).
    pub signatory: String,
    /// When it was signed.
    pub signed_on: Option<Date>,
}

fn bad(what: &str, id: i64) -> StoreError {
    StoreError::Invalid(format!("{what} {id} holds a bad value"))
}

fn date_of(text: &str, what: &str, id: i64) -> Result<Date, StoreError> {
    text.parse().map_err(|_| bad(what, id))
}

/// Opens a round on a fund, for the partnerships in `eligible` (every partnership of the OPCC
/// when empty), serving the objectives in `objectives`.
pub async fn create_round(
    db: &Db,
    author: &Author,
    fund_id: i64,
    r: &RoundDetails,
    eligible: &[i64],
    objectives: &[i64],
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO rounds (fund_id, name, opens_on, closes_on, criteria, questions, \
        line_limit_pence, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    const ELIGIBLE: &str = "INSERT INTO round_eligible (round_id, organisation_id) VALUES ($1, $2)";
    const OBJECTIVE: &str = "INSERT INTO round_objectives (round_id, objective_id) VALUES ($1, $2)";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(fund_id)
        .bind(&r.name)
        .bind(r.opens_on.to_string())
        .bind(r.closes_on.to_string())
        .bind(r.criteria.join("\n"))
        .bind(r.questions.join("\n"))
        .bind(r.line_limit.map(|p| p.0))
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    for (sql, ids) in [(ELIGIBLE, eligible), (OBJECTIVE, objectives)] {
        for other in ids {
            with_tx!(&mut tx, |c| sqlx::query(sql)
                .bind(id)
                .bind(*other)
                .execute(c)
                .await
                .map(|_| ()))?;
        }
    }
    let after = json!({ "fund_id": fund_id, "name": r.name, "opens_on": r.opens_on,
        "closes_on": r.closes_on, "eligible": eligible, "objectives": objectives });
    let event = audited(&mut tx, author, "create", "round", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

type RoundRow = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
);

macro_rules! round_select {
    () => {
        "SELECT r.id, r.fund_id, f.name, f.organisation_id, r.name, r.opens_on, r.closes_on, \
         r.criteria, r.questions, r.line_limit_pence FROM rounds r JOIN funds f ON f.id = r.fund_id "
    };
}

async fn round_from(db: &Db, r: RoundRow) -> Result<Round, StoreError> {
    const ELIGIBLE: &str = "SELECT o.id, o.name FROM round_eligible e \
        JOIN organisations o ON o.id = e.organisation_id WHERE e.round_id = $1 ORDER BY o.name";
    const OBJECTIVES: &str = "SELECT o.id, o.title FROM round_objectives r \
        JOIN objectives o ON o.id = r.objective_id WHERE r.round_id = $1 ORDER BY o.id";
    let (eligible, objectives) = with_conn!(db, |c| {
        let eligible: Vec<(i64, String)> = sqlx::query_as(ELIGIBLE)
            .bind(r.0)
            .fetch_all(&mut *c)
            .await?;
        let objectives: Vec<(i64, String)> = sqlx::query_as(OBJECTIVES)
            .bind(r.0)
            .fetch_all(&mut *c)
            .await?;
        (eligible, objectives)
    });
    Ok(Round {
        opens_on: date_of(&r.5, "round", r.0)?,
        closes_on: date_of(&r.6, "round", r.0)?,
        id: r.0,
        fund_id: r.1,
        fund_name: r.2,
        opcc_id: r.3,
        name: r.4,
        criteria: lines_of(&r.7),
        questions: lines_of(&r.8),
        line_limit: r.9.map(Pence),
        eligible,
        objectives,
    })
}

/// One round.
pub async fn round(db: &Db, id: i64) -> Result<Option<Round>, StoreError> {
    const SQL: &str = concat!(round_select!(), "WHERE r.id = $1");
    let row: Option<RoundRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(id)
        .fetch_optional(c)
        .await?);
    match row {
        Some(r) => Ok(Some(round_from(db, r).await?)),
        None => Ok(None),
    }
}

/// A fund's rounds, latest first.
pub async fn rounds(db: &Db, fund_id: i64) -> Result<Vec<Round>, StoreError> {
    const SQL: &str = concat!(
        round_select!(),
        "WHERE r.fund_id = $1 ORDER BY r.opens_on DESC, r.id DESC"
    );
    let rows: Vec<RoundRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(fund_id)
        .fetch_all(c)
        .await?);
    let mut rounds = Vec::with_capacity(rows.len());
    for r in rows {
        rounds.push(round_from(db, r).await?);
    }
    Ok(rounds)
}

/// Starts a draft bid in a round. Refused for a partnership the round does not admit.
pub async fn create_bid(
    db: &Db,
    author: &Author,
    round_id: i64,
    partnership_id: i64,
    applicant_id: i64,
    text: &BidText,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO bids (round_id, partnership_id, applicant_id, reference, title, \
        aims, background, outputs, outcomes, risks, timeline, exit_strategy, state, updated_by, \
        updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', \
        $13, $14, $14) RETURNING id";
    let round = round(db, round_id).await?.ok_or(StoreError::NotFound)?;
    if !round.admits(partnership_id) {
        return Err(StoreError::Invalid(
            "this round does not take bids from that partnership".into(),
        ));
    }
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(round_id)
        .bind(partnership_id)
        .bind(applicant_id)
        .bind(&text.reference)
        .bind(&text.title)
        .bind(&text.aims)
        .bind(&text.background)
        .bind(&text.outputs)
        .bind(&text.outcomes)
        .bind(&text.risks)
        .bind(&text.timeline)
        .bind(&text.exit_strategy)
        .bind(&author.label)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let after = json!({ "round_id": round_id, "partnership_id": partnership_id,
        "applicant_id": applicant_id, "text": text });
    let event = audited(&mut tx, author, "create", "bid", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

type SummaryRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    i64,
);

macro_rules! summary_select {
    () => {
        "SELECT b.id, b.round_id, b.partnership_id, p.name, a.name, b.reference, b.title, b.state, \
         CAST(COALESCE(SUM(l.amount_pence), 0) AS BIGINT), \
         CAST(COALESCE(SUM(COALESCE(l.minimum_pence, l.amount_pence)), 0) AS BIGINT), \
         b.approved_pence, f.organisation_id \
         FROM bids b JOIN organisations p ON p.id = b.partnership_id \
         JOIN organisations a ON a.id = b.applicant_id \
         JOIN rounds r ON r.id = b.round_id JOIN funds f ON f.id = r.fund_id \
         LEFT JOIN bid_lines l ON l.bid_id = b.id "
    };
}

/// Who a bid is between and where it stands, for the access rules: `None` if there is no such
/// bid.
pub(crate) async fn parties(db: &Db, bid_id: i64) -> Result<Option<BidParties>, StoreError> {
    const SQL: &str = "SELECT b.partnership_id, f.organisation_id, b.state FROM bids b \
        JOIN rounds r ON r.id = b.round_id JOIN funds f ON f.id = r.fund_id WHERE b.id = $1";
    let row: Option<(i64, i64, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(bid_id)
        .fetch_optional(c)
        .await?);
    row.map(|(partnership_id, opcc_id, state)| {
        Ok(BidParties {
            partnership_id,
            opcc_id,
            state: BidState::parse(&state).ok_or_else(|| bad("bid", bid_id))?,
        })
    })
    .transpose()
}

fn readable(scope: &ReadScope, partnership_id: i64, opcc_id: i64, state: BidState) -> bool {
    scope.reads_bid(&BidParties {
        partnership_id,
        opcc_id,
        state,
    })
}

fn summary_from(r: SummaryRow) -> Result<(BidSummary, i64), StoreError> {
    Ok((
        BidSummary {
            state: BidState::parse(&r.7).ok_or_else(|| bad("bid", r.0))?,
            id: r.0,
            round_id: r.1,
            partnership_id: r.2,
            partnership_name: r.3,
            applicant_name: r.4,
            reference: r.5,
            title: r.6,
            requested: Pence(r.8),
            least: Pence(r.9),
            approved: r.10.map(Pence),
            mean_score: None,
        },
        r.11,
    ))
}

/// The mean of a set of stored score lists, `None` when there are none.
fn mean_of<'a>(lists: impl Iterator<Item = &'a str>) -> Option<f64> {
    let (mut sum, mut n) = (0u32, 0u32);
    for list in lists {
        for s in list.split(',').filter_map(|s| s.parse::<u8>().ok()) {
            sum += u32::from(s);
            n += 1;
        }
    }
    (n > 0).then(|| f64::from(sum) / f64::from(n))
}

/// A round's bids that `scope` may read, by partnership and reference, with amounts and mean
/// scores computed.
pub async fn bids(
    db: &Db,
    scope: &ReadScope,
    round_id: i64,
) -> Result<Vec<BidSummary>, StoreError> {
    Ok(all_bids(db, round_id)
        .await?
        .into_iter()
        .filter(|(b, opcc)| readable(scope, b.partnership_id, *opcc, b.state))
        .map(|(b, _)| b)
        .collect())
}

/// Every bid in a round with the OPCC that holds its fund, for [`bids`] to filter and for
/// the decision to weigh.
async fn all_bids(db: &Db, round_id: i64) -> Result<Vec<(BidSummary, i64)>, StoreError> {
    const SQL: &str = concat!(
        summary_select!(),
        "WHERE b.round_id = $1 GROUP BY b.id, p.name, a.name, f.organisation_id \
         ORDER BY p.name, b.reference, b.id"
    );
    const SCORES: &str = "SELECT v.bid_id, v.scores FROM bid_reviews v JOIN bids b ON b.id = v.bid_id \
        WHERE b.round_id = $1 AND v.scores <> '' ORDER BY v.bid_id";
    let (rows, scores) = with_conn!(db, |c| {
        let rows: Vec<SummaryRow> = sqlx::query_as(SQL)
            .bind(round_id)
            .fetch_all(&mut *c)
            .await?;
        let scores: Vec<(i64, String)> = sqlx::query_as(SCORES)
            .bind(round_id)
            .fetch_all(&mut *c)
            .await?;
        (rows, scores)
    });
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (mut summary, opcc) = summary_from(r)?;
        let start = scores.partition_point(|(id, _)| *id < summary.id);
        summary.mean_score = mean_of(
            scores[start..]
                .iter()
                .take_while(|(id, _)| *id == summary.id)
                .map(|(_, s)| s.as_str()),
        );
        out.push((summary, opcc));
    }
    Ok(out)
}

/// One bid, whole, if `scope` may read it.
pub async fn bid(db: &Db, scope: &ReadScope, id: i64) -> Result<Option<Bid>, StoreError> {
    Ok(whole_bid(db, id)
        .await?
        .filter(|(b, opcc)| readable(scope, b.summary.partnership_id, *opcc, b.summary.state))
        .map(|(b, _)| b))
}

/// One bid, whole, with the OPCC that holds its fund.
async fn whole_bid(db: &Db, id: i64) -> Result<Option<(Bid, i64)>, StoreError> {
    const SUMMARY: &str = concat!(
        summary_select!(),
        "WHERE b.id = $1 GROUP BY b.id, p.name, a.name, f.organisation_id"
    );
    const REST: &str = "SELECT applicant_id, aims, background, outputs, outcomes, risks, timeline, \
        exit_strategy, version, submitted_at, notice_id, updated_by, updated_at FROM bids WHERE id = $1";
    const LINES: &str = "SELECT id, description, amount_pence, spending, minimum_pence FROM bid_lines \
        WHERE bid_id = $1 ORDER BY id";
    const OBJECTIVES: &str = "SELECT o.id, o.title FROM bid_objectives b \
        JOIN objectives o ON o.id = b.objective_id WHERE b.bid_id = $1 ORDER BY o.id";
    const SCORES: &str = "SELECT scores FROM bid_reviews WHERE bid_id = $1 AND scores <> ''";
    const PRIORITIES: &str = "SELECT p.id, p.title FROM bid_priorities b \
        JOIN priorities p ON p.id = b.priority_id WHERE b.bid_id = $1 ORDER BY p.id";
    type Rest = (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
        Option<i64>,
        String,
        String,
    );
    type LineRow = (i64, String, i64, String, Option<i64>);
    let found = with_conn!(db, |c| {
        let Some(row) = sqlx::query_as::<_, SummaryRow>(SUMMARY)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
        else {
            return Ok(None);
        };
        let rest: Rest = sqlx::query_as(REST).bind(id).fetch_one(&mut *c).await?;
        let lines: Vec<LineRow> = sqlx::query_as(LINES).bind(id).fetch_all(&mut *c).await?;
        let objectives: Vec<(i64, String)> = sqlx::query_as(OBJECTIVES)
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
        let scores: Vec<String> = sqlx::query_scalar(SCORES)
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
        let priorities: Vec<(i64, String)> = sqlx::query_as(PRIORITIES)
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
        (row, rest, lines, objectives, scores, priorities)
    });
    let (row, rest, lines, objectives, scores, priorities) = found;
    let (mut summary, opcc) = summary_from(row)?;
    summary.mean_score = mean_of(scores.iter().map(String::as_str));
    let lines = lines
        .into_iter()
        .map(|l| {
            Ok(Line {
                id: l.0,
                line: CostLine {
                    description: l.1,
                    amount: Pence(l.2),
                    spending: Spending::parse(&l.3).ok_or_else(|| bad("cost line", l.0))?,
                    minimum: l.4.map(Pence),
                },
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let text = BidText {
        reference: summary.reference.clone(),
        title: summary.title.clone(),
        aims: rest.1,
        background: rest.2,
        outputs: rest.3,
        outcomes: rest.4,
        risks: rest.5,
        timeline: rest.6,
        exit_strategy: rest.7,
    };
    Ok(Some((
        Bid {
            summary,
            applicant_id: rest.0,
            text,
            version: rest.8,
            lines,
            objectives,
            priorities,
            submitted_at: rest.9,
            notice_id: rest.10,
            updated_by: rest.11,
            updated_at: rest.12,
        },
        opcc,
    )))
}

/// Raises a draft bid's version, refusing a stale one (someone saved since) or a bid that is no
/// longer a draft.
async fn touch_draft(
    tx: &mut Tx,
    author: &Author,
    bid_id: i64,
    version: i64,
) -> Result<(), StoreError> {
    const TOUCH: &str = "UPDATE bids SET version = version + 1, updated_by = $1, updated_at = $2 \
        WHERE id = $3 AND version = $4 AND state = 'draft'";
    const STATE: &str = "SELECT state FROM bids WHERE id = $1";
    let n = with_tx!(&mut *tx, |c| sqlx::query(TOUCH)
        .bind(&author.label)
        .bind(now_text())
        .bind(bid_id)
        .bind(version)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 1 {
        return Ok(());
    }
    let state: Option<String> = with_tx!(&mut *tx, |c| sqlx::query_scalar(STATE)
        .bind(bid_id)
        .fetch_optional(c)
        .await)?;
    match state.as_deref() {
        None => Err(StoreError::NotFound),
        Some("draft") => Err(StoreError::Conflict),
        Some(_) => Err(StoreError::Invalid(
            "the bid has been submitted, so it can no longer be changed".into(),
        )),
    }
}

/// Saves a draft bid's business case and the objectives it supports, made from `version`.
pub async fn update_bid(
    db: &Db,
    author: &Author,
    bid_id: i64,
    version: i64,
    text: &BidText,
    objectives: &[i64],
    priorities: &[i64],
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE bids SET reference = $1, title = $2, aims = $3, background = $4, \
        outputs = $5, outcomes = $6, risks = $7, timeline = $8, exit_strategy = $9 WHERE id = $10";
    const CLEAR: &str = "DELETE FROM bid_objectives WHERE bid_id = $1";
    const LINK: &str = "INSERT INTO bid_objectives (bid_id, objective_id) VALUES ($1, $2)";
    const CLEAR_PRIORITIES: &str = "DELETE FROM bid_priorities WHERE bid_id = $1";
    const LINK_PRIORITY: &str = "INSERT INTO bid_priorities (bid_id, priority_id) VALUES ($1, $2)";
    let mut tx = db.begin().await?;
    touch_draft(&mut tx, author, bid_id, version).await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(&text.reference)
        .bind(&text.title)
        .bind(&text.aims)
        .bind(&text.background)
        .bind(&text.outputs)
        .bind(&text.outcomes)
        .bind(&text.risks)
        .bind(&text.timeline)
        .bind(&text.exit_strategy)
        .bind(bid_id)
        .execute(c)
        .await
        .map(|_| ()))?;
    for (clear, link, ids) in [
        (CLEAR, LINK, objectives),
        (CLEAR_PRIORITIES, LINK_PRIORITY, priorities),
    ] {
        with_tx!(&mut tx, |c| sqlx::query(clear)
            .bind(bid_id)
            .execute(c)
            .await
            .map(|_| ()))?;
        for other in ids {
            with_tx!(&mut tx, |c| sqlx::query(link)
                .bind(bid_id)
                .bind(*other)
                .execute(c)
                .await
                .map(|_| ()))?;
        }
    }
    let after = json!({ "text": text, "objectives": objectives, "priorities": priorities });
    let event = audited(&mut tx, author, "update", "bid", bid_id, after).await?;
    tx.commit(event).await?;
    Ok(())
}

/// Adds a cost line to a draft bid, made from `version`.
pub async fn add_line(
    db: &Db,
    author: &Author,
    bid_id: i64,
    version: i64,
    line: &CostLine,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO bid_lines (bid_id, description, amount_pence, spending, \
        minimum_pence) VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let mut tx = db.begin().await?;
    touch_draft(&mut tx, author, bid_id, version).await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(bid_id)
        .bind(&line.description)
        .bind(line.amount.0)
        .bind(line.spending.as_str())
        .bind(line.minimum.map(|p| p.0))
        .fetch_one(c)
        .await)?;
    let event = audited(
        &mut tx,
        author,
        "create",
        "bid_line",
        id,
        json!({ "bid_id": bid_id, "line": line }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Removes a cost line from a draft bid, made from `version`.
pub async fn remove_line(
    db: &Db,
    author: &Author,
    bid_id: i64,
    version: i64,
    line_id: i64,
) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM bid_lines WHERE id = $1 AND bid_id = $2";
    let mut tx = db.begin().await?;
    touch_draft(&mut tx, author, bid_id, version).await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(line_id)
        .bind(bid_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    // The line is gone; its bid says whose it was.
    let owner = audit::owner_of(&mut tx, "bid", bid_id).await?;
    let event = audit::record(
        &mut tx,
        author,
        audit::Change {
            action: "delete",
            record_type: "bid_line",
            record_id: Some(line_id),
            organisation_id: owner,
            before: None,
            after: Some(json!({ "bid_id": bid_id })),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Submits a draft bid made from `version`: refused, saying what is missing, without its whole
/// case or a cost line, or outside the round's dates (`on` is the day of submission).
pub async fn submit_bid(
    db: &Db,
    author: &Author,
    bid_id: i64,
    version: i64,
    on: Date,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE bids SET state = 'submitted', submitted_at = $1 WHERE id = $2";
    let (bid, _) = whole_bid(db, bid_id).await?.ok_or(StoreError::NotFound)?;
    let round = round(db, bid.summary.round_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    if on < round.opens_on {
        return Err(StoreError::Invalid(format!(
            "the round opens on {}, so the bid cannot be submitted yet",
            safer_core::time::long_date(round.opens_on)
        )));
    }
    if on > round.closes_on {
        return Err(StoreError::Invalid(format!(
            "the round closed on {}, so the bid can no longer be submitted",
            safer_core::time::long_date(round.closes_on)
        )));
    }
    if bid.lines.is_empty() {
        return Err(StoreError::Invalid(
            "add at least one cost line before you submit the bid".into(),
        ));
    }
    if let Some((_, message)) = bid.text.missing_for_submission().iter().next() {
        return Err(StoreError::Invalid(format!(
            "{} before you submit the bid",
            message.to_lowercase()
        )));
    }
    let mut tx = db.begin().await?;
    touch_draft(&mut tx, author, bid_id, version).await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(now_text())
        .bind(bid_id)
        .execute(c)
        .await
        .map(|_| ()))?;
    let after = json!({ "state": "submitted", "requested_pence": bid.summary.requested.0 });
    let event = audited(&mut tx, author, "submit", "bid", bid_id, after).await?;
    tx.commit(event).await?;
    Ok(())
}

/// Withdraws a bid that is not yet decided.
pub async fn withdraw_bid(db: &Db, author: &Author, bid_id: i64) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE bids SET state = 'withdrawn', version = version + 1, updated_by = $1, \
        updated_at = $2 WHERE id = $3 AND state IN ('draft', 'submitted', 'under_review')";
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(&author.label)
        .bind(now_text())
        .bind(bid_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Invalid(
            "only a bid that is not yet decided can be withdrawn".into(),
        ));
    }
    let event = audited(
        &mut tx,
        author,
        "withdraw",
        "bid",
        bid_id,
        json!({ "state": "withdrawn" }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

mod attachments;
mod decision;
mod reviews;
pub use attachments::*;
pub use decision::*;
pub use reviews::*;
