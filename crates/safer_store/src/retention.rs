//! Retention: personal values erased when the period a record type keeps them for has passed.
//!
//! A record type that holds personal data declares a [`RetentionRule`]: its table, the personal
//! columns, the date its retention counts from (a case's closing date, say; empty while it has
//! not started) and for how many years. [`due`] lists the records past it; [`erase`] clears
//! their personal columns and the personal payloads of their audit events, one transaction a
//! record, each erasure itself audited. The audit chain still verifies afterwards: it holds only
//! the payloads' hashes.

use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, with_pool, with_tx};
use crate::error::StoreError;
use jiff::civil::Date;

/// How long a record type keeps its personal values, and where they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRule {
    /// The record type, as its audit events name it.
    pub record_type: &'static str,
    /// Its table, with an `id` column.
    pub table: &'static str,
    /// The columns that hold personal values; each must allow NULL, which erasing sets.
    pub personal_columns: &'static [&'static str],
    /// The date column retention counts from (`YYYY-MM-DD…`); NULL while it has not started.
    pub counted_from: &'static str,
    /// Years the values are kept after that date.
    pub years: i16,
    /// The column that records when the values were erased (NULL until then).
    pub erased_at: &'static str,
}

/// The rules of every record type safer holds personal values in, for `safer retention`. The
/// anti-social behaviour casework adds its people and cases here.
pub const RULES: &[RetentionRule] = &[];

/// A record whose retention has ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// Its record type.
    pub record_type: &'static str,
    /// Its id.
    pub id: i64,
    /// The date its retention counted from.
    pub counted_from: String,
}

impl RetentionRule {
    /// The first date on which a record counted from `from` is no longer kept: `years` later.
    fn cutoff(&self, today: Date) -> Result<String, StoreError> {
        today
            .checked_sub(jiff::Span::new().years(self.years))
            .map(|d| d.to_string())
            .map_err(|e| {
                StoreError::Invalid(format!("no date {} years before {today}: {e}", self.years))
            })
    }
}

/// The records past their retention on `today`, under each of `rules`, oldest first.
pub async fn due(db: &Db, rules: &[RetentionRule], today: Date) -> Result<Vec<Due>, StoreError> {
    let mut out = Vec::new();
    for rule in rules {
        // Names come from the rules, which are constants in the code, never from input.
        let sql = format!(
            "SELECT id, {from} FROM {table} WHERE {erased} IS NULL AND {from} IS NOT NULL \
             AND {from} < $1 ORDER BY {from}, id",
            from = rule.counted_from,
            table = rule.table,
            erased = rule.erased_at,
        );
        let cutoff = rule.cutoff(today)?;
        let rows = with_pool!(db, |p| sqlx::query_as::<_, (i64, String)>(
            sqlx::AssertSqlSafe(sql.clone())
        )
        .bind(&cutoff)
        .fetch_all(p)
        .await)?;
        out.extend(rows.into_iter().map(|(id, counted_from)| Due {
            record_type: rule.record_type,
            id,
            counted_from,
        }));
    }
    Ok(out)
}

/// Erases the personal values of each record past its retention on `today`: its personal
/// columns set to NULL and the personal payloads of its audit events removed, in one transaction
/// a record with an audit event of its own. Returns the records erased.
pub async fn erase(
    db: &Db,
    rules: &[RetentionRule],
    today: Date,
    author: &Author,
) -> Result<Vec<Due>, StoreError> {
    const PAYLOADS: &str = "DELETE FROM audit_payloads WHERE event_id IN \
        (SELECT id FROM audit_events WHERE record_type = $1 AND record_id = $2)";
    let due = due(db, rules, today).await?;
    for record in &due {
        let Some(rule) = rules.iter().find(|r| r.record_type == record.record_type) else {
            continue;
        };
        let cleared: Vec<String> = rule
            .personal_columns
            .iter()
            .map(|c| format!("{c} = NULL"))
            .collect();
        let sql = format!(
            "UPDATE {table} SET {cleared}, {erased} = $1 WHERE id = $2 AND {erased} IS NULL",
            table = rule.table,
            cleared = cleared.join(", "),
            erased = rule.erased_at,
        );
        let mut tx = db.begin().await?;
        with_tx!(&mut tx, |c| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(now_text())
            .bind(record.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        with_tx!(&mut tx, |c| sqlx::query(PAYLOADS)
            .bind(rule.record_type)
            .bind(record.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        let event = audit::record(
            &mut tx,
            author,
            Change {
                action: "erase",
                record_type: rule.record_type,
                record_id: Some(record.id),
                organisation_id: None,
                before: None,
                after: Some(serde_json::json!({
                    "erased": rule.personal_columns,
                    "retention_counted_from": record.counted_from,
                    "years": rule.years,
                })),
            },
        )
        .await?;
        tx.commit(event).await?;
    }
    Ok(due)
}
