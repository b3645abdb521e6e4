//! Funds and their commitments. What a fund has left is always computed from its budget and
//! its commitments.
//!
//! A commitment is checked against what is left inside the transaction that adds it, after
//! locking the fund's row (an UPDATE that changes nothing: a row lock on PostgreSQL; on SQLite
//! `BEGIN IMMEDIATE` already serialises writers), so concurrent commitments can never add up to
//! more than the fund holds.

use crate::audit::Author;
use crate::audit::audited;
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use jiff::civil::Date;
use safer_core::funds::{FinancialYear, FundDetails, Pence, Spending};
use serde::Serialize;
use serde_json::json;

/// A fund with what is committed from it and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fund {
    /// Its id.
    pub id: i64,
    /// The organisation that holds the money.
    pub organisation_id: i64,
    /// Its name.
    pub name: String,
    /// Where the money comes from.
    pub source: String,
    /// The first financial year.
    pub first_year: FinancialYear,
    /// The last financial year.
    pub last_year: FinancialYear,
    /// What it may be spent on.
    pub spending: Spending,
    /// The budget.
    pub budget: Pence,
    /// The sum of its commitments.
    pub committed: Pence,
    /// The budget less what is committed.
    pub remaining: Pence,
}

impl Fund {
    /// "2013/14", or "2015/16 to 2017/18".
    pub fn years(&self) -> String {
        if self.first_year == self.last_year {
            self.first_year.to_string()
        } else {
            format!("{} to {}", self.first_year, self.last_year)
        }
    }
}

/// Money committed from a fund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commitment {
    /// Its id.
    pub id: i64,
    /// What it is for.
    pub description: String,
    /// Who receives it, where safer knows the organisation.
    pub recipient_id: Option<i64>,
    /// The recipient's name.
    pub recipient_name: Option<String>,
    /// How much.
    pub amount: Pence,
    /// When it was committed.
    pub committed_on: Date,
}

type FundRow = (i64, i64, String, String, i64, i64, String, i64, i64);

macro_rules! fund_select {
    () => {
        "SELECT f.id, f.organisation_id, f.name, f.source, f.first_year, f.last_year, f.spending, \
         f.budget_pence, CAST(COALESCE((SELECT SUM(c.amount_pence) FROM fund_commitments c \
         WHERE c.fund_id = f.id), 0) AS BIGINT) FROM funds f "
    };
}

fn fund_from(r: FundRow) -> Result<Fund, StoreError> {
    let bad = || StoreError::Invalid(format!("fund {} holds a bad value", r.0));
    let year = |y: i64| i16::try_from(y).map(FinancialYear).map_err(|_| bad());
    Ok(Fund {
        id: r.0,
        organisation_id: r.1,
        name: r.2,
        source: r.3,
        first_year: year(r.4)?,
        last_year: year(r.5)?,
        spending: Spending::parse(&r.6).ok_or_else(bad)?,
        budget: Pence(r.7),
        committed: Pence(r.8),
        remaining: Pence(r.7 - r.8),
    })
}

/// Adds a fund held by an organisation.
pub async fn create_fund(
    db: &Db,
    author: &Author,
    organisation_id: i64,
    f: &FundDetails,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO funds (organisation_id, name, source, first_year, last_year, \
        spending, budget_pence, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    const TAKEN: &str = "SELECT COUNT(*) FROM funds WHERE name = $1";
    let mut tx = db.begin().await?;
    let taken: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(TAKEN)
        .bind(&f.name)
        .fetch_one(c)
        .await)?;
    if taken > 0 {
        return Err(StoreError::Invalid(format!(
            "there is already a fund called {}",
            f.name
        )));
    }
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(organisation_id)
        .bind(&f.name)
        .bind(&f.source)
        .bind(i64::from(f.first_year.0))
        .bind(i64::from(f.last_year.0))
        .bind(f.spending.as_str())
        .bind(f.budget.0)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let after =
        json!({ "organisation_id": organisation_id, "name": f.name, "budget_pence": f.budget.0 });
    let event = audited(&mut tx, author, "create", "fund", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Every fund, by name.
pub async fn funds(db: &Db) -> Result<Vec<Fund>, StoreError> {
    const SQL: &str = concat!(fund_select!(), "ORDER BY f.name");
    let rows: Vec<FundRow> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await)?;
    rows.into_iter().map(fund_from).collect()
}

/// One fund.
pub async fn fund(db: &Db, id: i64) -> Result<Option<Fund>, StoreError> {
    const SQL: &str = concat!(fund_select!(), "WHERE f.id = $1");
    let row: Option<FundRow> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(id).fetch_optional(c).await)?;
    row.map(fund_from).transpose()
}

/// A fund's commitments, oldest first.
pub async fn commitments(db: &Db, fund_id: i64) -> Result<Vec<Commitment>, StoreError> {
    const SQL: &str = "SELECT c.id, c.description, c.recipient_id, o.name, c.amount_pence, \
        c.committed_on FROM fund_commitments c LEFT JOIN organisations o ON o.id = c.recipient_id \
        WHERE c.fund_id = $1 ORDER BY c.committed_on, c.id";
    type Row = (i64, String, Option<i64>, Option<String>, i64, String);
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL).bind(fund_id).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Commitment {
                committed_on: r.5.parse().map_err(|_| {
                    StoreError::Invalid(format!("commitment {} has a bad date", r.0))
                })?,
                id: r.0,
                description: r.1,
                recipient_id: r.2,
                recipient_name: r.3,
                amount: Pence(r.4),
            })
        })
        .collect()
}

/// A commitment to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommitment<'a> {
    /// What it is for.
    pub description: &'a str,
    /// Who receives it, if an organisation safer knows.
    pub recipient_id: Option<i64>,
    /// How much.
    pub amount: Pence,
    /// When.
    pub committed_on: Date,
}

/// Commits money from a fund. Refused, saying by how much, when it is more than the fund has
/// left; concurrent commitments are checked one after another.
pub async fn commit(
    db: &Db,
    author: &Author,
    fund_id: i64,
    c: &NewCommitment<'_>,
) -> Result<i64, StoreError> {
    let mut tx = db.begin().await?;
    let left = lock_fund(&mut tx, fund_id).await?;
    let (id, event) = commit_in(&mut tx, author, fund_id, left, c).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Locks the fund's row for the rest of the transaction and returns what it has left.
pub(crate) async fn lock_fund(tx: &mut Tx, fund_id: i64) -> Result<Pence, StoreError> {
    const LOCK: &str = "UPDATE funds SET budget_pence = budget_pence WHERE id = $1";
    const LEFT: &str = "SELECT f.budget_pence - CAST(COALESCE((SELECT SUM(c.amount_pence) \
        FROM fund_commitments c WHERE c.fund_id = f.id), 0) AS BIGINT) FROM funds f WHERE f.id = $1";
    let locked = with_tx!(&mut *tx, |conn| sqlx::query(LOCK)
        .bind(fund_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    if locked == 0 {
        return Err(StoreError::NotFound);
    }
    let left: i64 = with_tx!(&mut *tx, |conn| sqlx::query_scalar(LEFT)
        .bind(fund_id)
        .fetch_one(conn)
        .await)?;
    Ok(Pence(left))
}

/// The message refusing `asked` from a fund with `left`.
pub(crate) fn over_commitment(asked: Pence, left: Pence) -> StoreError {
    StoreError::Invalid(format!(
        "that is {} more than the fund has left ({} of its budget is uncommitted)",
        Pence(asked.0 - left.0),
        left
    ))
}

/// Commits money inside a transaction that holds the fund's lock ([`lock_fund`]), `left` being
/// what the fund had when locked less anything committed since in the same transaction.
pub(crate) async fn commit_in(
    tx: &mut Tx,
    author: &Author,
    fund_id: i64,
    left: Pence,
    c: &NewCommitment<'_>,
) -> Result<(i64, crate::audit::Audited), StoreError> {
    const INSERT: &str = "INSERT INTO fund_commitments (fund_id, description, recipient_id, \
        amount_pence, committed_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    if c.amount.0 <= 0 {
        return Err(StoreError::Invalid(
            "a commitment must be more than £0".into(),
        ));
    }
    if c.amount > left {
        return Err(over_commitment(c.amount, left));
    }
    let id: i64 = with_tx!(&mut *tx, |conn| sqlx::query_scalar(INSERT)
        .bind(fund_id)
        .bind(c.description)
        .bind(c.recipient_id)
        .bind(c.amount.0)
        .bind(c.committed_on.to_string())
        .bind(now_text())
        .fetch_one(conn)
        .await)?;
    let after =
        json!({ "fund_id": fund_id, "description": c.description, "amount_pence": c.amount.0 });
    let event = audited(tx, author, "create", "fund_commitment", id, after).await?;
    Ok((id, event))
}
