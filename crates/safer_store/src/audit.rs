//! The audit log: who changed what, when, with the record before and after.
//!
//! Every write in the store calls [`record`] inside the same transaction as the change, so a
//! change is never stored without its event and an event never describes a change that was
//! rolled back. Events are never updated or deleted.

use crate::clock::now_text;
use crate::db::{Db, Tx, with_pool, with_tx};
use crate::error::StoreError;
use serde_json::Value;

/// Who made a change: a signed-in person, or a command or process acting for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// The person's user id, if a person made the change.
    pub user_id: Option<i64>,
    /// How the author reads in the log: a name, or e.g. "command line: safer user add".
    pub label: String,
}

impl Author {
    /// A signed-in person.
    pub fn user(user_id: i64, name: &str) -> Self {
        Self {
            user_id: Some(user_id),
            label: name.to_owned(),
        }
    }

    /// A command or process, not a person.
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_owned(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// What was done: "create", "update", "delete", "sign_in", …
    pub action: &'a str,
    /// The kind of record: "milestone", "user", …
    pub record_type: &'a str,
    /// The record's id, where it has one.
    pub record_id: Option<i64>,
    /// The organisation that owns the record, where there is one.
    pub organisation_id: Option<i64>,
    /// The record before the change (never secrets).
    pub before: Option<Value>,
    /// The record after the change (never secrets).
    pub after: Option<Value>,
}

/// Writes one audit event in `tx`.
pub async fn record(tx: &mut Tx, author: &Author, change: Change<'_>) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO audit_events (occurred_at, actor_user_id, actor_label, action, \
        record_type, record_id, organisation_id, before_json, after_json) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let now = now_text();
    let before = change.before.map(|v| v.to_string());
    let after = change.after.map(|v| v.to_string());
    with_tx!(tx, |conn| sqlx::query(SQL)
        .bind(&now)
        .bind(author.user_id)
        .bind(&author.label)
        .bind(change.action)
        .bind(change.record_type)
        .bind(change.record_id)
        .bind(change.organisation_id)
        .bind(&before)
        .bind(&after)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One event as read back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    /// The event's id; later events have larger ids.
    pub id: i64,
    /// When, as stored (UTC).
    pub occurred_at: String,
    /// The person, if a person made the change.
    pub actor_user_id: Option<i64>,
    /// Who, as recorded.
    pub actor_label: String,
    /// What was done.
    pub action: String,
    /// The kind of record.
    pub record_type: String,
    /// The record's id.
    pub record_id: Option<i64>,
    /// The owning organisation.
    pub organisation_id: Option<i64>,
    /// The record before, as JSON text.
    pub before_json: Option<String>,
    /// The record after, as JSON text.
    pub after_json: Option<String>,
}

type AuditRow = (
    i64,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        Self {
            id: r.0,
            occurred_at: r.1,
            actor_user_id: r.2,
            actor_label: r.3,
            action: r.4,
            record_type: r.5,
            record_id: r.6,
            organisation_id: r.7,
            before_json: r.8,
            after_json: r.9,
        }
    }
}

/// Which events to list. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this kind of record.
    pub record_type: Option<String>,
    /// Only this record (with `record_type`).
    pub record_id: Option<i64>,
    /// Only this action.
    pub action: Option<String>,
    /// Only events whose author's label contains this text.
    pub actor: Option<String>,
    /// Only events on or after this instant (stored form, UTC).
    pub from: Option<String>,
    /// Only events before this instant (stored form, UTC).
    pub before: Option<String>,
}

/// Events matching `filter`, newest first, at most `limit` after skipping `offset`.
pub async fn list(
    db: &Db,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditEvent>, StoreError> {
    let rows = with_pool!(db, |pool| {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT id, occurred_at, actor_user_id, actor_label, action, record_type, record_id, \
             organisation_id, before_json, after_json FROM audit_events WHERE 1 = 1",
        );
        if let Some(v) = &filter.record_type {
            q.push(" AND record_type = ").push_bind(v.clone());
        }
        if let Some(v) = filter.record_id {
            q.push(" AND record_id = ").push_bind(v);
        }
        if let Some(v) = &filter.action {
            q.push(" AND action = ").push_bind(v.clone());
        }
        if let Some(v) = &filter.actor {
            // LOWER on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
            q.push(" AND LOWER(actor_label) LIKE ")
                .push_bind(format!("%{}%", v.to_lowercase()));
        }
        if let Some(v) = &filter.from {
            q.push(" AND occurred_at >= ").push_bind(v.clone());
        }
        if let Some(v) = &filter.before {
            q.push(" AND occurred_at < ").push_bind(v.clone());
        }
        q.push(" ORDER BY id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        q.build_query_as::<AuditRow>().fetch_all(pool).await
    })?;
    Ok(rows.into_iter().map(AuditEvent::from).collect())
}

/// The distinct record types and actions in the log, for the filter form.
pub async fn facets(db: &Db) -> Result<(Vec<String>, Vec<String>), StoreError> {
    const TYPES: &str = "SELECT DISTINCT record_type FROM audit_events ORDER BY record_type";
    const ACTIONS: &str = "SELECT DISTINCT action FROM audit_events ORDER BY action";
    let types = with_pool!(db, |pool| sqlx::query_scalar::<_, String>(TYPES)
        .fetch_all(pool)
        .await)?;
    let actions = with_pool!(db, |pool| sqlx::query_scalar::<_, String>(ACTIONS)
        .fetch_all(pool)
        .await)?;
    Ok((types, actions))
}
