//! The access log: who looked at which personal record, when, from where and why.
//!
//! A read of a record type marked personal ([`PersonalRecord`]) takes a [`Looking`] and writes
//! its access events before it returns anything, so personal data cannot be read without
//! leaving a trace. Access events are audit events (actions `view`, `search` and `export`), so
//! they are append-only and chained like every other: nobody can remove the trace of a look.

use crate::audit::{self, AuditEvent, Author, Change};
use crate::db::{Db, with_pool};
use crate::error::StoreError;
use safer_core::access::{AccessKind, PersonalRecord};
use serde_json::json;

/// Who is looking at personal records, from where, and why.
#[derive(Debug, Clone, Copy)]
pub struct Looking<'a> {
    /// The person (or command) looking.
    pub author: &'a Author,
    /// Where from: the client's address, or "command line".
    pub from: &'a str,
    /// Why, where the record asks for a reason.
    pub reason: Option<&'a str>,
}

/// Records that `looking` did `kind` with the records `ids` of the personal kind `record`.
/// Refused, with nothing recorded, when the kind asks for a reason and none was given.
pub async fn record(
    db: &Db,
    looking: &Looking<'_>,
    kind: AccessKind,
    record: PersonalRecord,
    ids: &[i64],
) -> Result<(), StoreError> {
    let reason = looking.reason.map(str::trim).filter(|r| !r.is_empty());
    if record.asks_reason && reason.is_none() {
        return Err(StoreError::Invalid(format!(
            "say why you need to see this {}",
            record.label
        )));
    }
    if ids.is_empty() {
        return Ok(());
    }
    let after = json!({ "from": looking.from, "reason": reason });
    let changes = ids
        .iter()
        .map(|id| Change {
            action: kind.as_str(),
            record_type: record.record_type,
            record_id: Some(*id),
            organisation_id: None,
            before: None,
            after: Some(after.clone()),
        })
        .collect();
    audit::record_all(db, looking.author, changes).await
}

/// One look at a personal record, as the auditor reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEvent {
    /// The event's id.
    pub id: i64,
    /// When, as stored (UTC).
    pub occurred_at: String,
    /// The person, if a person looked.
    pub user_id: Option<i64>,
    /// Who, as recorded.
    pub who: String,
    /// What they did.
    pub kind: AccessKind,
    /// The kind of record, as the audit log names it.
    pub record_type: String,
    /// How the kind reads in a sentence: "account".
    pub record_label: String,
    /// The record's id.
    pub record_id: i64,
    /// Where from.
    pub from: String,
    /// Why, where they said.
    pub reason: Option<String>,
}

impl AccessEvent {
    fn from_audit(e: AuditEvent) -> Option<Self> {
        let after: serde_json::Value = serde_json::from_str(e.after_json.as_deref()?).ok()?;
        let text = |k: &str| after.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        Some(Self {
            id: e.id,
            occurred_at: e.occurred_at,
            user_id: e.actor_user_id,
            who: e.actor_label,
            kind: AccessKind::parse(&e.action)?,
            record_label: PersonalRecord::named(&e.record_type)
                .map_or_else(|| e.record_type.clone(), |r| r.label.to_owned()),
            record_type: e.record_type,
            record_id: e.record_id?,
            from: text("from").unwrap_or_default(),
            reason: text("reason"),
        })
    }
}

/// Which looks to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Looks {
    /// Every look, newest first.
    All,
    /// The looks at one record.
    AtRecord(PersonalRecord, i64),
    /// The looks by one person.
    By(i64),
}

/// Looks at personal records, newest first, at most `limit` after skipping `offset`.
pub async fn list(
    db: &Db,
    looks: Looks,
    limit: i64,
    offset: i64,
) -> Result<Vec<AccessEvent>, StoreError> {
    let rows = with_pool!(db, |pool| {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT id, occurred_at, actor_user_id, actor_label, action, record_type, record_id, \
             organisation_id, before_json, after_json FROM audit_events \
             WHERE action IN ('view', 'search', 'export')",
        );
        match looks {
            Looks::All => {}
            Looks::AtRecord(record, id) => {
                q.push(" AND record_type = ")
                    .push_bind(record.record_type)
                    .push(" AND record_id = ")
                    .push_bind(id);
            }
            Looks::By(user_id) => {
                q.push(" AND actor_user_id = ").push_bind(user_id);
            }
        }
        q.push(" ORDER BY id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        q.build_query_as::<audit::AuditRow>().fetch_all(pool).await
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|r| AccessEvent::from_audit(AuditEvent::from(r)))
        .collect())
}
