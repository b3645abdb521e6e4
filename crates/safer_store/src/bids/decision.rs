//! Deciding a round: each bid approved, reduced or declined, the approved amounts committed
//! from the fund under its lock, and the numbered Notice of Decision that records it.

use super::*;
use crate::audit::Author;
use crate::audit::audited;
use crate::clock::now_text;
use crate::db::{Db, with_conn, with_tx};
use crate::error::StoreError;
use crate::funds::{self, NewCommitment};
use crate::grants;
use jiff::civil::Date;
use safer_core::bids::{BidState, Outcome, notice_number};
use safer_core::funds::Pence;
use safer_core::grants::{GrantDetails, Monitoring, PaymentBasis, end_of_financial_year};
use serde_json::json;

/// Decides a round: each bid in `outcomes` (which must await a decision) is approved in full,
/// at a reduced amount or declined; each approved amount is committed from the fund; a draft
/// Notice of Decision is numbered for the year of `decided_on`. All of it or none: refused,
/// saying by how much, when the approved total is more than the fund has left.
pub async fn decide_round(
    db: &Db,
    author: &Author,
    round_id: i64,
    decided_on: Date,
    title: &str,
    outcomes: &[(i64, Outcome)],
) -> Result<i64, StoreError> {
    // Numbering is serialised on the OPCC's row, as commitments are on the fund's.
    const NUMBERING: &str = "UPDATE organisations SET name = name WHERE id = $1";
    const NEXT: &str = "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM notices \
        WHERE opcc_id = $1 AND year = $2";
    const NOTICE: &str = "INSERT INTO notices (round_id, opcc_id, year, number, title, decided_on, \
        created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    const DECIDE: &str = "UPDATE bids SET state = $1, approved_pence = $2, commitment_id = $3, \
        notice_id = $4, version = version + 1, updated_by = $5, updated_at = $6 \
        WHERE id = $7 AND state IN ('submitted', 'under_review')";
    if outcomes.is_empty() {
        return Err(StoreError::Invalid(
            "choose an outcome for at least one bid".into(),
        ));
    }
    let round = round(db, round_id).await?.ok_or(StoreError::NotFound)?;
    let all = all_bids(db, round_id).await?;
    let fund = funds::fund(db, round.fund_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let grant_end =
        end_of_financial_year(decided_on).max(jiff::civil::date(fund.last_year.0 + 1, 3, 31));
    let mut tx = db.begin().await?;
    let mut left = funds::lock_fund(&mut tx, round.fund_id).await?;
    let mut decided = Vec::with_capacity(outcomes.len());
    for (bid_id, outcome) in outcomes {
        let bid = all
            .iter()
            .find(|(b, _)| b.id == *bid_id)
            .map(|(b, _)| b)
            .ok_or_else(|| StoreError::Invalid(format!("bid {bid_id} is not in this round")))?;
        decided.push((bid, *outcome));
    }
    let total = Pence(decided.iter().map(|(b, o)| o.amount(b.requested).0).sum());
    if total > left {
        return Err(funds::over_commitment(total, left));
    }
    let year = i64::from(decided_on.year());
    with_tx!(&mut tx, |c| sqlx::query(NUMBERING)
        .bind(round.opcc_id)
        .execute(c)
        .await
        .map(|_| ()))?;
    let number: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(NEXT)
        .bind(round.opcc_id)
        .bind(year)
        .fetch_one(c)
        .await)?;
    let notice_id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(NOTICE)
        .bind(round_id)
        .bind(round.opcc_id)
        .bind(year)
        .bind(number)
        .bind(title)
        .bind(decided_on.to_string())
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    for (bid, outcome) in &decided {
        let amount = outcome.amount(bid.requested);
        let (state, commitment) = match outcome {
            Outcome::Declined => (BidState::Declined, None),
            Outcome::Full | Outcome::Reduced(_) => {
                let description = format!(
                    "{}{}: {} (Notice of Decision {})",
                    bid.reference,
                    if bid.reference.is_empty() { "" } else { " " },
                    bid.title,
                    notice_number(number, year)
                );
                let commitment = NewCommitment {
                    description: description.trim_start_matches(' '),
                    recipient_id: Some(bid.partnership_id),
                    amount,
                    committed_on: decided_on,
                };
                let (id, _) =
                    funds::commit_in(&mut tx, author, round.fund_id, left, &commitment).await?;
                left = Pence(left.0 - amount.0);
                // The award follows the decision: quarterly returns to the fund's last year.
                let grant = GrantDetails {
                    title: bid.title.clone(),
                    recipient_id: bid.partnership_id,
                    amount,
                    awarded_on: decided_on,
                    starts_on: decided_on,
                    ends_on: grant_end,
                    payment_basis: PaymentBasis::Advance,
                    monitoring: Monitoring::Quarterly,
                };
                grants::award_in(
                    &mut tx,
                    author,
                    round.fund_id,
                    left,
                    Some(bid.id),
                    Some(id),
                    &grant,
                )
                .await?;
                let state = if matches!(outcome, Outcome::Full) {
                    BidState::Approved
                } else {
                    BidState::Reduced
                };
                (state, Some(id))
            }
        };
        let n = with_tx!(&mut tx, |c| sqlx::query(DECIDE)
            .bind(state.as_str())
            .bind(commitment.map(|_| amount.0))
            .bind(commitment)
            .bind(notice_id)
            .bind(&author.label)
            .bind(now_text())
            .bind(bid.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::Invalid(format!(
                "bid {} is not waiting for a decision",
                if bid.reference.is_empty() {
                    &bid.title
                } else {
                    &bid.reference
                }
            )));
        }
    }
    let after = json!({ "round_id": round_id, "number": notice_number(number, year),
        "approved_pence": total.0,
        "outcomes": decided.iter().map(|(b, o)| json!({ "bid_id": b.id,
            "approved_pence": o.amount(b.requested).0 })).collect::<Vec<_>>() });
    let event = audited(&mut tx, author, "create", "notice", notice_id, after).await?;
    tx.commit(event).await?;
    Ok(notice_id)
}

type NoticeRow = (
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    String,
    Option<String>,
    Option<String>,
);

macro_rules! notice_select {
    () => {
        "SELECT n.id, n.round_id, f.organisation_id, n.number, n.year, n.title, n.executive_summary, \
         n.financial, n.legal, n.equality, n.interests, n.decided_on, n.confidential, n.signatory, \
         n.signed_on, n.published_at FROM notices n JOIN rounds r ON r.id = n.round_id \
         JOIN funds f ON f.id = r.fund_id "
    };
}

fn notice_from(r: NoticeRow) -> Result<Notice, StoreError> {
    Ok(Notice {
        decided_on: date_of(&r.11, "notice", r.0)?,
        signed_on: r
            .14
            .as_deref()
            .map(|d| date_of(d, "notice", r.0))
            .transpose()?,
        id: r.0,
        round_id: r.1,
        opcc_id: r.2,
        number: notice_number(r.3, r.4),
        title: r.5,
        executive_summary: r.6,
        financial: r.7,
        legal: r.8,
        equality: r.9,
        interests: r.10,
        confidential: r.12,
        signatory: r.13,
        published_at: r.15,
    })
}

/// One notice, if published or `scope` includes its OPCC.
pub async fn notice(db: &Db, scope: &ReadScope, id: i64) -> Result<Option<Notice>, StoreError> {
    Ok(any_notice(db, id)
        .await?
        .filter(|n| n.published_at.is_some() || scope.reads_unpublished_of(n.opcc_id)))
}

/// One notice, whoever asks: for the writes on it.
async fn any_notice(db: &Db, id: i64) -> Result<Option<Notice>, StoreError> {
    const SQL: &str = concat!(notice_select!(), "WHERE n.id = $1");
    let row: Option<NoticeRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(id)
        .fetch_optional(c)
        .await?);
    row.map(notice_from).transpose()
}

/// The published notices, latest first.
pub async fn notices(db: &Db) -> Result<Vec<Notice>, StoreError> {
    const SQL: &str = concat!(
        notice_select!(),
        "WHERE n.published_at IS NOT NULL ORDER BY n.decided_on DESC, n.id DESC"
    );
    let rows: Vec<NoticeRow> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await?);
    rows.into_iter().map(notice_from).collect()
}

/// The bids a notice decided, with what each was given.
pub async fn notice_bids(db: &Db, notice_id: i64) -> Result<Vec<BidSummary>, StoreError> {
    const SQL: &str = concat!(
        summary_select!(),
        "WHERE b.notice_id = $1 GROUP BY b.id, p.name, a.name, f.organisation_id \
         ORDER BY p.name, b.reference, b.id"
    );
    let rows: Vec<SummaryRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(notice_id)
        .fetch_all(c)
        .await?);
    rows.into_iter()
        .map(|r| summary_from(r).map(|(s, _)| s))
        .collect()
}

/// Saves a notice's text; refused once it is published.
pub async fn update_notice(
    db: &Db,
    author: &Author,
    id: i64,
    t: &NoticeText,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE notices SET title = $1, executive_summary = $2, financial = $3, \
        legal = $4, equality = $5, interests = $6, confidential = $7, signatory = $8, \
        signed_on = $9 WHERE id = $10 AND published_at IS NULL";
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(&t.title)
        .bind(&t.executive_summary)
        .bind(&t.financial)
        .bind(&t.legal)
        .bind(&t.equality)
        .bind(&t.interests)
        .bind(t.confidential)
        .bind(&t.signatory)
        .bind(t.signed_on.map(|d| d.to_string()))
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Invalid(
            "the notice is published, so it can no longer be changed".into(),
        ));
    }
    let event = audited(&mut tx, author, "update", "notice", id, json!(t)).await?;
    tx.commit(event).await?;
    Ok(())
}

/// Publishes a notice: refused while it is confidential or unsigned, or once published.
pub async fn publish_notice(db: &Db, author: &Author, id: i64) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE notices SET published_at = $1 WHERE id = $2 AND published_at IS NULL";
    let n = any_notice(db, id).await?.ok_or(StoreError::NotFound)?;
    if n.published_at.is_some() {
        return Err(StoreError::Invalid(
            "the notice is already published".into(),
        ));
    }
    if n.confidential {
        return Err(StoreError::Invalid(
            "mark the notice non-confidential before you publish it".into(),
        ));
    }
    if n.signatory.trim().is_empty() || n.signed_on.is_none() {
        return Err(StoreError::Invalid(
            "the notice must be signed, with the signatory's name and the date, before it is published"
                .into(),
        ));
    }
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(now_text())
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Invalid(
            "the notice is already published".into(),
        ));
    }
    let event = audited(
        &mut tx,
        author,
        "publish",
        "notice",
        id,
        json!({ "number": n.number }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}
