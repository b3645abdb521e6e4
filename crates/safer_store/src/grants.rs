//! Grants: awards from a fund (from a decided bid, or made directly), their conditions,
//! payment schedule, approved variations, monitoring returns and end-of-year evaluation.
//!
//! Awarding a grant commits its money from the fund and schedules its returns in the same
//! transaction. A variation that adds money commits it under the fund's lock, like any
//! commitment. What a grant is worth (its award plus approved variations) and what it has been
//! paid are computed.

use crate::audit::Author;
use crate::audit::audited;
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use crate::funds::{self, NewCommitment};
use jiff::civil::Date;
use safer_core::access::{GrantParties, ReadScope};
use safer_core::funds::Pence;
use safer_core::giving::GrantRecord;
use safer_core::grants::{
    GrantDetails, Monitoring, PaymentBasis, ReturnReport, ReturnStatus, Variation, return_schedule,
};
use serde::Serialize;
use serde_json::json;

/// A grant, with what it is worth and what has been paid computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// Its id.
    pub id: i64,
    /// The fund it comes from.
    pub fund_id: i64,
    /// The fund's name.
    pub fund_name: String,
    /// The OPCC that holds the fund.
    pub opcc_id: i64,
    /// The bid it was awarded on.
    pub bid_id: Option<i64>,
    /// Who receives it.
    pub recipient_id: i64,
    /// The recipient's name.
    pub recipient_name: String,
    /// What it is for.
    pub title: String,
    /// The amount awarded.
    pub awarded: Pence,
    /// The award plus approved variations.
    pub amount: Pence,
    /// What has been paid.
    pub paid: Pence,
    /// When it was awarded.
    pub awarded_on: Date,
    /// When the funded work starts.
    pub starts_on: Date,
    /// When it ends, after any variation.
    pub ends_on: Date,
    /// When it is paid.
    pub payment_basis: PaymentBasis,
    /// How often it is reported on.
    pub monitoring: Monitoring,
}

/// A condition of a grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// Its id.
    pub id: i64,
    /// What must be done.
    pub condition: String,
    /// By when.
    pub due_on: Date,
    /// When it was met.
    pub met_on: Option<Date>,
    /// The evidence that met it.
    pub evidence: String,
}

/// A scheduled payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payment {
    /// Its id.
    pub id: i64,
    /// When it is due.
    pub due_on: Date,
    /// How much.
    pub amount: Pence,
    /// When it was paid.
    pub paid_on: Option<Date>,
}

/// An approved variation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariationRecord {
    /// The variation.
    #[serde(flatten)]
    pub variation: Variation,
    /// Who approved it.
    pub approved_by: String,
}

/// A monitoring return, scheduled or submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonitoringReturn {
    /// Its id.
    pub id: i64,
    /// The grant.
    pub grant_id: i64,
    /// "Q2 2017/18".
    pub period: String,
    /// The last day it covers.
    pub period_end: Date,
    /// When it is due.
    pub due_on: Date,
    /// Whether it is the final return.
    pub is_final: bool,
    /// The day it was submitted.
    pub submitted_on: Option<Date>,
    /// What it reports, once submitted.
    pub report: Option<ReturnReport>,
}

/// The end-of-year evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// What was spent.
    pub spend: Pence,
    /// What was delivered.
    pub outputs: String,
    /// What changed as a result.
    pub outcomes: String,
}

/// A return not in on time, for the flags on the partnership's and the OPCC's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueReturn {
    /// The return.
    pub return_id: i64,
    /// The grant.
    pub grant_id: i64,
    /// The grant's title.
    pub grant_title: String,
    /// Who owes it.
    pub recipient_name: String,
    /// Its period.
    pub period: String,
    /// When it was due.
    pub due_on: Date,
}

fn bad(what: &str, id: i64) -> StoreError {
    StoreError::Invalid(format!("{what} {id} holds a bad value"))
}

fn day(text: &str, what: &str, id: i64) -> Result<Date, StoreError> {
    text.parse().map_err(|_| bad(what, id))
}

/// Awards a grant inside a transaction that holds the fund's lock: commits its money (with
/// `left` what the fund has left) unless `commitment_id` already did, and schedules its
/// returns. Returns the grant's id.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn award_in(
    tx: &mut Tx,
    author: &Author,
    fund_id: i64,
    left: Pence,
    bid_id: Option<i64>,
    commitment_id: Option<i64>,
    g: &GrantDetails,
) -> Result<(i64, crate::audit::Audited), StoreError> {
    const GRANT: &str = "INSERT INTO grants (fund_id, bid_id, commitment_id, recipient_id, title, \
        amount_pence, awarded_on, starts_on, ends_on, payment_basis, monitoring, created_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
    const RETURN: &str = "INSERT INTO monitoring_returns (grant_id, period, period_end, due_on, \
        is_final) VALUES ($1, $2, $3, $4, $5)";
    let commitment_id = match commitment_id {
        Some(id) => id,
        None => {
            let c = NewCommitment {
                description: &g.title,
                recipient_id: Some(g.recipient_id),
                amount: g.amount,
                committed_on: g.awarded_on,
            };
            funds::commit_in(tx, author, fund_id, left, &c).await?.0
        }
    };
    let id: i64 = with_tx!(&mut *tx, |c| sqlx::query_scalar(GRANT)
        .bind(fund_id)
        .bind(bid_id)
        .bind(commitment_id)
        .bind(g.recipient_id)
        .bind(&g.title)
        .bind(g.amount.0)
        .bind(g.awarded_on.to_string())
        .bind(g.starts_on.to_string())
        .bind(g.ends_on.to_string())
        .bind(g.payment_basis.as_str())
        .bind(g.monitoring.as_str())
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    for r in return_schedule(g.monitoring, g.starts_on, g.ends_on) {
        with_tx!(&mut *tx, |c| sqlx::query(RETURN)
            .bind(id)
            .bind(&r.period)
            .bind(r.period_end.to_string())
            .bind(r.due_on.to_string())
            .bind(r.is_final)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    let after = json!({ "fund_id": fund_id, "bid_id": bid_id, "recipient_id": g.recipient_id,
        "title": g.title, "amount_pence": g.amount.0, "awarded_on": g.awarded_on,
        "starts_on": g.starts_on, "ends_on": g.ends_on });
    let event = audited(tx, author, "create", "grant", id, after).await?;
    Ok((id, event))
}

/// Makes a grant directly from a fund (not through a round): refused, saying by how much, when
/// the fund has too little left.
pub async fn create_grant(
    db: &Db,
    author: &Author,
    fund_id: i64,
    g: &GrantDetails,
) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let left = funds::lock_fund(&mut tx, fund_id).await?;
    let (id, event) = award_in(&mut tx, author, fund_id, left, None, None, g).await?;
    tx.commit(event).await?;
    Ok(id)
}

type GrantRow = (
    i64,
    i64,
    String,
    i64,
    Option<i64>,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
);

macro_rules! grant_select {
    () => {
        "SELECT g.id, g.fund_id, f.name, f.organisation_id, g.bid_id, g.recipient_id, o.name, g.title, \
         g.amount_pence, \
         CAST(g.amount_pence + COALESCE((SELECT SUM(v.extra_pence) FROM grant_variations v \
           WHERE v.grant_id = g.id), 0) AS BIGINT), \
         CAST(COALESCE((SELECT SUM(p.amount_pence) FROM grant_payments p \
           WHERE p.grant_id = g.id AND p.paid_on IS NOT NULL), 0) AS BIGINT), \
         g.awarded_on, g.starts_on, g.ends_on, g.payment_basis, g.monitoring \
         FROM grants g JOIN funds f ON f.id = g.fund_id JOIN organisations o ON o.id = g.recipient_id "
    };
}

fn grant_from(r: GrantRow) -> Result<Grant, StoreError> {
    Ok(Grant {
        awarded_on: day(&r.11, "grant", r.0)?,
        starts_on: day(&r.12, "grant", r.0)?,
        ends_on: day(&r.13, "grant", r.0)?,
        payment_basis: PaymentBasis::parse(&r.14).ok_or_else(|| bad("grant", r.0))?,
        monitoring: Monitoring::parse(&r.15).ok_or_else(|| bad("grant", r.0))?,
        id: r.0,
        fund_id: r.1,
        fund_name: r.2,
        opcc_id: r.3,
        bid_id: r.4,
        recipient_id: r.5,
        recipient_name: r.6,
        title: r.7,
        awarded: Pence(r.8),
        amount: Pence(r.9),
        paid: Pence(r.10),
    })
}

/// Every grant, latest award first: the public grants register.
pub async fn grants(db: &Db) -> Result<Vec<Grant>, StoreError> {
    const SQL: &str = concat!(grant_select!(), "ORDER BY g.awarded_on DESC, g.id DESC");
    let rows: Vec<GrantRow> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await?);
    rows.into_iter().map(grant_from).collect()
}

/// A fund's grants.
pub async fn fund_grants(db: &Db, fund_id: i64) -> Result<Vec<Grant>, StoreError> {
    const SQL: &str = concat!(
        grant_select!(),
        "WHERE g.fund_id = $1 ORDER BY o.name, g.id"
    );
    let rows: Vec<GrantRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(fund_id)
        .fetch_all(c)
        .await?);
    rows.into_iter().map(grant_from).collect()
}

/// One grant.
pub async fn grant(db: &Db, id: i64) -> Result<Option<Grant>, StoreError> {
    const SQL: &str = concat!(grant_select!(), "WHERE g.id = $1");
    let row: Option<GrantRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(id)
        .fetch_optional(c)
        .await?);
    row.map(grant_from).transpose()
}

impl Grant {
    /// Who the grant is between, for the access rules.
    pub fn parties(&self) -> GrantParties {
        GrantParties {
            opcc_id: self.opcc_id,
            recipient_id: self.recipient_id,
        }
    }
}

/// A grant's monitoring: what only its recipient and the fund's OPCC may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantMonitoring {
    /// Its returns, by due date.
    pub returns: Vec<MonitoringReturn>,
    /// Its end-of-year evaluation, if made.
    pub evaluation: Option<Evaluation>,
}

impl GrantMonitoring {
    /// The returns and the evaluation of monitoring a viewer may or may not read, for pages
    /// and documents that show each part or nothing.
    pub fn parts(m: Option<Self>) -> (Option<Vec<MonitoringReturn>>, Option<Evaluation>) {
        match m {
            Some(m) => (Some(m.returns), m.evaluation),
            None => (None, None),
        }
    }
}

/// A grant's monitoring, if `scope` may read it (`None` otherwise).
pub async fn monitoring(
    db: &Db,
    scope: &ReadScope,
    grant: &Grant,
) -> Result<Option<GrantMonitoring>, StoreError> {
    if !scope.monitors_grant(&grant.parties()) {
        return Ok(None);
    }
    Ok(Some(GrantMonitoring {
        returns: all_returns(db, grant.id).await?,
        evaluation: evaluation(db, grant.id).await?,
    }))
}

/// The cost lines a grant's returns report spend on: its bid's lines, or the grant as one line.
pub async fn spend_lines(db: &Db, g: &Grant) -> Result<Vec<String>, StoreError> {
    const SQL: &str = "SELECT description FROM bid_lines WHERE bid_id = $1 ORDER BY id";
    let lines: Vec<String> = match g.bid_id {
        Some(bid) => with_conn!(db, |c| sqlx::query_scalar(SQL)
            .bind(bid)
            .fetch_all(c)
            .await?),
        None => Vec::new(),
    };
    Ok(if lines.is_empty() {
        vec![g.title.clone()]
    } else {
        lines
    })
}

/// A grant's conditions, by due date.
pub async fn conditions(db: &Db, grant_id: i64) -> Result<Vec<Condition>, StoreError> {
    const SQL: &str = "SELECT id, condition, due_on, met_on, evidence FROM grant_conditions \
        WHERE grant_id = $1 ORDER BY due_on, id";
    let rows: Vec<(i64, String, String, Option<String>, String)> =
        with_conn!(db, |c| sqlx::query_as(SQL)
            .bind(grant_id)
            .fetch_all(c)
            .await?);
    rows.into_iter()
        .map(|r| {
            Ok(Condition {
                due_on: day(&r.2, "condition", r.0)?,
                met_on: r
                    .3
                    .as_deref()
                    .map(|d| day(d, "condition", r.0))
                    .transpose()?,
                id: r.0,
                condition: r.1,
                evidence: r.4,
            })
        })
        .collect()
}

/// Sets a condition on a grant.
pub async fn add_condition(
    db: &Db,
    author: &Author,
    grant_id: i64,
    condition: &str,
    due_on: Date,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO grant_conditions (grant_id, condition, due_on) VALUES ($1, $2, $3) \
        RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(grant_id)
        .bind(condition)
        .bind(due_on.to_string())
        .fetch_one(c)
        .await)?;
    let after = json!({ "grant_id": grant_id, "condition": condition, "due_on": due_on });
    let event = audited(&mut tx, author, "create", "grant_condition", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Records that a condition of the grant was met, with the evidence. Once.
pub async fn meet_condition(
    db: &Db,
    author: &Author,
    grant_id: i64,
    condition_id: i64,
    met_on: Date,
    evidence: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE grant_conditions SET met_on = $1, evidence = $2 \
        WHERE id = $3 AND grant_id = $4 AND met_on IS NULL";
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(met_on.to_string())
        .bind(evidence)
        .bind(condition_id)
        .bind(grant_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Invalid("that condition is already met".into()));
    }
    let after = json!({ "met_on": met_on, "evidence": evidence });
    let event = audited(
        &mut tx,
        author,
        "update",
        "grant_condition",
        condition_id,
        after,
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// A grant's payments, by due date.
pub async fn payments(db: &Db, grant_id: i64) -> Result<Vec<Payment>, StoreError> {
    const SQL: &str = "SELECT id, due_on, amount_pence, paid_on FROM grant_payments \
        WHERE grant_id = $1 ORDER BY due_on, id";
    let rows: Vec<(i64, String, i64, Option<String>)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(grant_id)
        .fetch_all(c)
        .await?);
    rows.into_iter()
        .map(|r| {
            Ok(Payment {
                due_on: day(&r.1, "payment", r.0)?,
                paid_on: r.3.as_deref().map(|d| day(d, "payment", r.0)).transpose()?,
                id: r.0,
                amount: Pence(r.2),
            })
        })
        .collect()
}

/// Schedules a payment: refused, saying by how much, beyond what the grant is worth.
pub async fn schedule_payment(
    db: &Db,
    author: &Author,
    grant_id: i64,
    due_on: Date,
    amount: Pence,
) -> Result<i64, StoreError> {
    const LOCK: &str = "UPDATE grants SET amount_pence = amount_pence WHERE id = $1";
    const INSERT: &str = "INSERT INTO grant_payments (grant_id, due_on, amount_pence) \
        VALUES ($1, $2, $3) RETURNING id";
    const SCHEDULED: &str = "SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM grant_payments \
        WHERE grant_id = $1";
    let worth = grant(db, grant_id)
        .await?
        .ok_or(StoreError::NotFound)?
        .amount;
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(LOCK)
        .bind(grant_id)
        .execute(c)
        .await
        .map(|_| ()))?;
    let scheduled: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SCHEDULED)
        .bind(grant_id)
        .fetch_one(c)
        .await)?;
    if scheduled + amount.0 > worth.0 {
        return Err(StoreError::Invalid(format!(
            "that is {} more than is left to schedule ({} of the grant's {} is not yet scheduled)",
            Pence(scheduled + amount.0 - worth.0),
            Pence(worth.0 - scheduled),
            worth
        )));
    }
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(INSERT)
        .bind(grant_id)
        .bind(due_on.to_string())
        .bind(amount.0)
        .fetch_one(c)
        .await)?;
    let after = json!({ "grant_id": grant_id, "due_on": due_on, "amount_pence": amount.0 });
    let event = audited(&mut tx, author, "create", "grant_payment", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Records a scheduled payment as paid. A grant paid in arrears is paid only once every
/// return due by the payment's date is in.
pub async fn pay(
    db: &Db,
    author: &Author,
    grant_id: i64,
    payment_id: i64,
    paid_on: Date,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE grant_payments SET paid_on = $1 WHERE id = $2 AND grant_id = $3 \
        AND paid_on IS NULL";
    const OWED: &str = "SELECT COUNT(*) FROM monitoring_returns r JOIN grant_payments p \
        ON p.grant_id = r.grant_id WHERE p.id = $1 AND r.submitted_at IS NULL AND r.due_on <= p.due_on";
    let g = grant(db, grant_id).await?.ok_or(StoreError::NotFound)?;
    let mut tx = db.begin().await?;
    if g.payment_basis == PaymentBasis::Arrears {
        let owed: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(OWED)
            .bind(payment_id)
            .fetch_one(c)
            .await)?;
        if owed > 0 {
            return Err(StoreError::Invalid(
                "this grant is paid in arrears: every return due by the payment's date must be in first"
                    .into(),
            ));
        }
    }
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(paid_on.to_string())
        .bind(payment_id)
        .bind(grant_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Invalid("that payment is already paid".into()));
    }
    let event = audited(
        &mut tx,
        author,
        "update",
        "grant_payment",
        payment_id,
        json!({ "paid_on": paid_on }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// A grant's approved variations, in order.
pub async fn variations(db: &Db, grant_id: i64) -> Result<Vec<VariationRecord>, StoreError> {
    const SQL: &str = "SELECT id, description, extra_pence, new_ends_on, approved_on, approved_by \
        FROM grant_variations WHERE grant_id = $1 ORDER BY approved_on, id";
    let rows: Vec<(i64, String, i64, Option<String>, String, String)> =
        with_conn!(db, |c| sqlx::query_as(SQL)
            .bind(grant_id)
            .fetch_all(c)
            .await?);
    rows.into_iter()
        .map(|r| {
            Ok(VariationRecord {
                variation: Variation {
                    description: r.1,
                    extra: Pence(r.2),
                    new_ends_on: r
                        .3
                        .as_deref()
                        .map(|d| day(d, "variation", r.0))
                        .transpose()?,
                    approved_on: day(&r.4, "variation", r.0)?,
                },
                approved_by: r.5,
            })
        })
        .collect()
}

/// Records an approved variation: extra money is committed from the fund under its lock
/// (refused, saying by how much, beyond what is left); a later end moves the grant's end and
/// its final return (the variation keeps the record of the change).
pub async fn vary(
    db: &Db,
    author: &Author,
    grant_id: i64,
    v: &Variation,
) -> Result<i64, StoreError> {
    const INSERT: &str = "INSERT INTO grant_variations (grant_id, description, extra_pence, \
        commitment_id, new_ends_on, approved_on, approved_by) VALUES ($1, $2, $3, $4, $5, $6, $7) \
        RETURNING id";
    const ENDS: &str = "UPDATE grants SET ends_on = $1 WHERE id = $2";
    const FINAL: &str = "UPDATE monitoring_returns SET period_end = $1, due_on = $2 \
        WHERE grant_id = $3 AND is_final AND submitted_at IS NULL";
    let g = grant(db, grant_id).await?.ok_or(StoreError::NotFound)?;
    if let Some(end) = v.new_ends_on
        && end <= g.ends_on
    {
        return Err(StoreError::Invalid(format!(
            "the new end must be after the grant's current end, {}",
            safer_core::time::long_date(g.ends_on)
        )));
    }
    let mut tx = db.begin().await?;
    let commitment = if v.extra.0 > 0 {
        let left = funds::lock_fund(&mut tx, g.fund_id).await?;
        let description = format!("Variation to {}: {}", g.title, v.description);
        let c = NewCommitment {
            description: &description,
            recipient_id: Some(g.recipient_id),
            amount: v.extra,
            committed_on: v.approved_on,
        };
        Some(
            funds::commit_in(&mut tx, author, g.fund_id, left, &c)
                .await?
                .0,
        )
    } else {
        None
    };
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(INSERT)
        .bind(grant_id)
        .bind(&v.description)
        .bind(v.extra.0)
        .bind(commitment)
        .bind(v.new_ends_on.map(|d| d.to_string()))
        .bind(v.approved_on.to_string())
        .bind(&author.label)
        .fetch_one(c)
        .await)?;
    if let Some(end) = v.new_ends_on {
        with_tx!(&mut tx, |c| sqlx::query(ENDS)
            .bind(end.to_string())
            .bind(grant_id)
            .execute(c)
            .await
            .map(|_| ()))?;
        let due = end.checked_add(jiff::Span::new().months(1)).unwrap_or(end);
        with_tx!(&mut tx, |c| sqlx::query(FINAL)
            .bind(end.to_string())
            .bind(due.to_string())
            .bind(grant_id)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    let event = audited(
        &mut tx,
        author,
        "create",
        "grant_variation",
        id,
        json!({ "grant_id": grant_id, "variation": v }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

type ReturnRow = (
    i64,
    i64,
    String,
    String,
    String,
    bool,
    Option<String>,
    Option<i64>,
    String,
    String,
    Option<String>,
);

macro_rules! return_select {
    () => {
        "SELECT r.id, r.grant_id, r.period, r.period_end, r.due_on, r.is_final, r.submitted_on, \
         r.spend_to_date_pence, r.outputs, r.narrative, r.status FROM monitoring_returns r "
    };
}

async fn returns_from(db: &Db, rows: Vec<ReturnRow>) -> Result<Vec<MonitoringReturn>, StoreError> {
    const SPEND: &str = "SELECT description, spend_pence FROM return_spend WHERE return_id = $1 \
        ORDER BY position";
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let report = match (&r.6, r.10.as_deref()) {
            (Some(_), Some(status)) => {
                let spend: Vec<(String, i64)> =
                    with_conn!(db, |c| sqlx::query_as(SPEND).bind(r.0).fetch_all(c).await?);
                Some(ReturnReport {
                    spend: spend.into_iter().map(|(d, p)| (d, Pence(p))).collect(),
                    outputs: r.8.clone(),
                    narrative: r.9.clone(),
                    status: ReturnStatus::parse(status).ok_or_else(|| bad("return", r.0))?,
                })
            }
            _ => None,
        };
        out.push(MonitoringReturn {
            period_end: day(&r.3, "return", r.0)?,
            due_on: day(&r.4, "return", r.0)?,
            submitted_on: r.6.as_deref().map(|d| day(d, "return", r.0)).transpose()?,
            id: r.0,
            grant_id: r.1,
            period: r.2,
            is_final: r.5,
            report,
        });
    }
    Ok(out)
}

/// A grant's returns, by due date, whoever asks: for [`monitoring`] and the demo.
pub(crate) async fn all_returns(
    db: &Db,
    grant_id: i64,
) -> Result<Vec<MonitoringReturn>, StoreError> {
    const SQL: &str = concat!(
        return_select!(),
        "WHERE r.grant_id = $1 ORDER BY r.due_on, r.id"
    );
    let rows: Vec<ReturnRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(grant_id)
        .fetch_all(c)
        .await?);
    returns_from(db, rows).await
}

/// One return with its grant, if `scope` may read the grant's monitoring.
pub async fn monitoring_return(
    db: &Db,
    scope: &ReadScope,
    id: i64,
) -> Result<Option<(MonitoringReturn, Grant)>, StoreError> {
    const SQL: &str = concat!(return_select!(), "WHERE r.id = $1");
    let rows: Vec<ReturnRow> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(id).fetch_all(c).await?);
    let Some(ret) = returns_from(db, rows).await?.pop() else {
        return Ok(None);
    };
    let grant = grant(db, ret.grant_id).await?;
    Ok(grant
        .filter(|g| scope.monitors_grant(&g.parties()))
        .map(|g| (ret, g)))
}

/// Asks for a return on a grant monitored ad hoc (or any other), due on `due_on`.
pub async fn request_return(
    db: &Db,
    author: &Author,
    grant_id: i64,
    period: &str,
    period_end: Date,
    due_on: Date,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO monitoring_returns (grant_id, period, period_end, due_on, is_final) \
        VALUES ($1, $2, $3, $4, FALSE) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(grant_id)
        .bind(period)
        .bind(period_end.to_string())
        .bind(due_on.to_string())
        .fetch_one(c)
        .await)?;
    let after = json!({ "grant_id": grant_id, "period": period, "due_on": due_on });
    let event = audited(&mut tx, author, "create", "monitoring_return", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Submits a return on `on`. Once.
pub async fn submit_return(
    db: &Db,
    author: &Author,
    return_id: i64,
    on: Date,
    report: &ReturnReport,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE monitoring_returns SET submitted_at = $1, submitted_on = $2, \
        spend_to_date_pence = $3, outputs = $4, narrative = $5, status = $6 \
        WHERE id = $7 AND submitted_at IS NULL";
    const SPEND: &str = "INSERT INTO return_spend (return_id, position, description, spend_pence) \
        VALUES ($1, $2, $3, $4)";
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(now_text())
        .bind(on.to_string())
        .bind(report.total_spend().0)
        .bind(&report.outputs)
        .bind(&report.narrative)
        .bind(report.status.as_str())
        .bind(return_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Invalid(
            "this return is already submitted".into(),
        ));
    }
    for (i, (description, spend)) in report.spend.iter().enumerate() {
        with_tx!(&mut tx, |c| sqlx::query(SPEND)
            .bind(return_id)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(description)
            .bind(spend.0)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    let event = audited(
        &mut tx,
        author,
        "submit",
        "monitoring_return",
        return_id,
        json!({ "submitted_on": on, "report": report }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Returns not in by their due date as of `today`, for grants from funds of `opcc_id` or (when
/// `recipient_id` is given) to that recipient only, of those `scope` monitors; oldest first.
pub async fn overdue_returns(
    db: &Db,
    scope: &ReadScope,
    today: Date,
    opcc_id: Option<i64>,
    recipient_id: Option<i64>,
) -> Result<Vec<OverdueReturn>, StoreError> {
    const SQL: &str = "SELECT r.id, g.id, g.title, o.name, r.period, r.due_on, f.organisation_id, \
        g.recipient_id FROM monitoring_returns r \
        JOIN grants g ON g.id = r.grant_id JOIN funds f ON f.id = g.fund_id \
        JOIN organisations o ON o.id = g.recipient_id \
        WHERE r.submitted_at IS NULL AND r.due_on < $1 \
        AND (f.organisation_id = $2 OR g.recipient_id = $3) ORDER BY r.due_on, r.id";
    type Row = (i64, i64, String, String, String, String, i64, i64);
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(today.to_string())
        .bind(opcc_id.unwrap_or(-1))
        .bind(recipient_id.unwrap_or(-1))
        .fetch_all(c)
        .await?);
    rows.into_iter()
        .filter(|r| {
            scope.monitors_grant(&GrantParties {
                opcc_id: r.6,
                recipient_id: r.7,
            })
        })
        .map(|r| {
            Ok(OverdueReturn {
                due_on: day(&r.5, "return", r.0)?,
                return_id: r.0,
                grant_id: r.1,
                grant_title: r.2,
                recipient_name: r.3,
                period: r.4,
            })
        })
        .collect()
}

/// A grant's end-of-year evaluation, if made, whoever asks: for [`monitoring`].
async fn evaluation(db: &Db, grant_id: i64) -> Result<Option<Evaluation>, StoreError> {
    const SQL: &str =
        "SELECT spend_pence, outputs, outcomes FROM grant_evaluations WHERE grant_id = $1";
    let row: Option<(i64, String, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(grant_id)
        .fetch_optional(c)
        .await?);
    Ok(row.map(|r| Evaluation {
        spend: Pence(r.0),
        outputs: r.1,
        outcomes: r.2,
    }))
}

/// Records the end-of-year evaluation. Once.
pub async fn evaluate(
    db: &Db,
    author: &Author,
    grant_id: i64,
    e: &Evaluation,
) -> Result<(), StoreError> {
    const DONE: &str = "SELECT COUNT(*) FROM grant_evaluations WHERE grant_id = $1";
    const SQL: &str = "INSERT INTO grant_evaluations (grant_id, spend_pence, outputs, outcomes, \
        submitted_at) VALUES ($1, $2, $3, $4, $5)";
    let mut tx = db.begin().await?;
    let done: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(DONE)
        .bind(grant_id)
        .fetch_one(c)
        .await)?;
    if done > 0 {
        return Err(StoreError::Invalid(
            "the grant's evaluation is already recorded".into(),
        ));
    }
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(grant_id)
        .bind(e.spend.0)
        .bind(&e.outputs)
        .bind(&e.outcomes)
        .bind(now_text())
        .execute(c)
        .await
        .map(|_| ()))?;
    let event = audited(
        &mut tx,
        author,
        "create",
        "grant_evaluation",
        grant_id,
        json!(e),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Every grant as the 360Giving export needs it, by id: amounts after variations, what the bid
/// asked for, payments made, and the local authority areas of the recipient.
pub async fn giving_records(db: &Db) -> Result<Vec<GrantRecord>, StoreError> {
    macro_rules! grants_select {
        () => {
            "SELECT g.id AS c1, g.title AS c2, COALESCE(b.aims, '') AS c3, \
             CAST(g.amount_pence + COALESCE((SELECT SUM(v.extra_pence) FROM grant_variations v \
               WHERE v.grant_id = g.id), 0) AS BIGINT) AS c4, \
             (SELECT CAST(SUM(l.amount_pence) AS BIGINT) FROM bid_lines l WHERE l.bid_id = g.bid_id) AS c5, \
             CAST(COALESCE((SELECT SUM(p.amount_pence) FROM grant_payments p \
               WHERE p.grant_id = g.id AND p.paid_on IS NOT NULL), 0) AS BIGINT) AS c6, \
             g.awarded_on AS c7, g.starts_on AS c8, g.ends_on AS c9, g.recipient_id AS c10, \
             o.name AS c11, f.organisation_id AS c12, fo.name AS c13, f.id AS c14, f.name AS c15, \
             CAST(CASE WHEN g.bid_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS c16 \
             FROM grants g JOIN funds f ON f.id = g.fund_id JOIN organisations o ON o.id = g.recipient_id \
             JOIN organisations fo ON fo.id = f.organisation_id LEFT JOIN bids b ON b.id = g.bid_id"
        };
    }
    const GRANTS: &str = concat!(grants_select!(), " ORDER BY g.id");
    // On SQLite, every row as one JSON array: sqlx hands SQLite rows over one at a time from
    // its worker thread, which for 100,000 grants cost several times the query itself.
    const GRANTS_JSON: &str = concat!(
        "SELECT json_group_array(json_array(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, \
         c13, c14, c15, c16)) FROM (",
        grants_select!(),
        ") AS t"
    );
    const AREAS: &str = "SELECT partnership_id, local_authority_code, local_authority_name \
        FROM partnership_areas ORDER BY partnership_id, local_authority_code";
    const PAID: &str = "SELECT grant_id, id, paid_on, amount_pence FROM grant_payments \
        WHERE paid_on IS NOT NULL ORDER BY grant_id, due_on, id";
    const PAID_JSON: &str = "SELECT json_group_array(json_array(grant_id, id, paid_on, amount_pence)) \
        FROM (SELECT grant_id, id, paid_on, amount_pence FROM grant_payments WHERE paid_on IS NOT NULL)";
    type Row = (
        i64,
        String,
        String,
        i64,
        Option<i64>,
        i64,
        String,
        String,
        String,
        i64,
        String,
        i64,
        String,
        i64,
        String,
        i64,
    );
    type Areas = Vec<(i64, String, String)>;
    type Paid = Vec<(i64, i64, String, i64)>;
    let (mut rows, areas, mut paid): (Vec<Row>, Areas, Paid) = match db {
        Db::Sqlite(pool) => {
            let mut c = pool.acquire().await?;
            let parse = |what: &str, json: String| {
                StoreError::Invalid(format!("{what} as JSON: {json:.0}"))
            };
            let grants: String = sqlx::query_scalar(GRANTS_JSON).fetch_one(&mut *c).await?;
            let rows = serde_json::from_str(&grants).map_err(|e| parse("grants", e.to_string()))?;
            let areas = sqlx::query_as(AREAS).fetch_all(&mut *c).await?;
            let paid: String = sqlx::query_scalar(PAID_JSON).fetch_one(&mut *c).await?;
            let paid = serde_json::from_str(&paid).map_err(|e| parse("payments", e.to_string()))?;
            (rows, areas, paid)
        }
        Db::Postgres(pool) => {
            let mut c = pool.acquire().await?;
            let rows = sqlx::query_as(GRANTS).fetch_all(&mut *c).await?;
            let areas = sqlx::query_as(AREAS).fetch_all(&mut *c).await?;
            let paid = sqlx::query_as(PAID).fetch_all(&mut *c).await?;
            (rows, areas, paid)
        }
    };
    rows.sort_unstable_by_key(|r| r.0);
    paid.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.2.cmp(&b.2))
            .then(a.1.cmp(&b.1))
    });
    let mut areas_of: std::collections::HashMap<i64, Vec<(String, String)>> =
        std::collections::HashMap::new();
    for (partnership, code, name) in areas {
        areas_of.entry(partnership).or_default().push((code, name));
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let start = paid.partition_point(|p| p.0 < r.0);
        let disbursements = paid[start..]
            .iter()
            .take_while(|p| p.0 == r.0)
            .map(|p| Ok((p.1, day(&p.2, "payment", p.1)?, Pence(p.3))))
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(GrantRecord {
            award_date: day(&r.6, "grant", r.0)?,
            starts_on: day(&r.7, "grant", r.0)?,
            ends_on: day(&r.8, "grant", r.0)?,
            id: r.0,
            title: r.1,
            description: r.2,
            amount_awarded: Pence(r.3),
            amount_applied_for: r.4.map(Pence),
            amount_disbursed: Pence(r.5),
            locations: areas_of.get(&r.9).cloned().unwrap_or_default(),
            recipient: (r.9, r.10),
            funder: (r.11, r.12),
            programme: (r.13, r.14),
            from_open_call: r.15 != 0,
            disbursements,
        });
    }
    Ok(out)
}

/// How a grant stands against its award: the spend its latest submitted return reports, and
/// its returns not yet in (all, and those past due on `today`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantProgress {
    /// The grant.
    pub grant_id: i64,
    /// Spend to date in the latest submitted return.
    pub spend: Option<Pence>,
    /// Returns scheduled and not yet in.
    pub outstanding: i64,
    /// Of those, past their due date.
    pub overdue: i64,
}

/// The progress of each of a fund's grants whose monitoring `scope` may read, by grant id.
pub async fn fund_progress(
    db: &Db,
    scope: &ReadScope,
    fund_id: i64,
    today: Date,
) -> Result<Vec<GrantProgress>, StoreError> {
    const SQL: &str = "SELECT g.id, f.organisation_id, g.recipient_id, \
        (SELECT r.spend_to_date_pence FROM monitoring_returns r WHERE r.grant_id = g.id \
          AND r.submitted_at IS NOT NULL ORDER BY r.period_end DESC, r.id DESC LIMIT 1), \
        (SELECT COUNT(*) FROM monitoring_returns r WHERE r.grant_id = g.id AND r.submitted_at IS NULL), \
        (SELECT COUNT(*) FROM monitoring_returns r WHERE r.grant_id = g.id AND r.submitted_at IS NULL \
          AND r.due_on < $2) \
        FROM grants g JOIN funds f ON f.id = g.fund_id WHERE g.fund_id = $1 ORDER BY g.id";
    type Row = (i64, i64, i64, Option<i64>, i64, i64);
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(fund_id)
        .bind(today.to_string())
        .fetch_all(c)
        .await?);
    Ok(rows
        .into_iter()
        .filter(|r| {
            scope.monitors_grant(&GrantParties {
                opcc_id: r.1,
                recipient_id: r.2,
            })
        })
        .map(|r| GrantProgress {
            grant_id: r.0,
            spend: r.3.map(Pence),
            outstanding: r.4,
            overdue: r.5,
        })
        .collect())
}
