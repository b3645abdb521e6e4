//! The audit log: who changed what, when, with the record before and after.
//!
//! Every write in the store calls [`record`] inside the same transaction as the change, so a
//! change is never stored without its event and an event never describes a change that was
//! rolled back. Events are never updated or deleted: the database refuses it (triggers on both
//! backends), and each event carries a hash of its content and of the event before it, so that
//! [`verify`] finds any event changed, removed or inserted behind the store's back.

use crate::clock::now_text;
use crate::db::{Db, Tx, with_pool, with_tx};
use crate::error::StoreError;
use serde_json::Value;
use sha2::{Digest, Sha256};

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

/// Proof that a transaction has written its audit event: only [`record`] makes one, and
/// [`Tx::commit`] takes one, so a write without an audit event does not compile.
pub(crate) struct Audited(());

/// The hash of the last event in the chain, and moving it on.
const HEAD: &str = "SELECT last_hash FROM audit_chain WHERE id = 1";
const MOVE_HEAD: &str = "UPDATE audit_chain SET last_hash = $1 WHERE id = 1";

/// Writes one audit event in `tx`, chained to the one before it.
pub(crate) async fn record(
    tx: &mut Tx,
    author: &Author,
    change: Change<'_>,
) -> Result<Audited, StoreError> {
    record_with_personal(tx, author, change, None).await
}

/// Writes the audit event of a change to a record of a partnership-owned kind, with the
/// organisation that owns the record, found by [`owner_of`].
pub(crate) async fn audited(
    tx: &mut Tx,
    author: &Author,
    action: &'static str,
    record_type: &'static str,
    record_id: i64,
    after: Value,
) -> Result<Audited, StoreError> {
    let organisation_id = owner_of(tx, record_type, record_id).await?;
    record(
        tx,
        author,
        Change {
            action,
            record_type,
            record_id: Some(record_id),
            organisation_id,
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// Writes the audit event of something done to a person's account that changes no record of
/// theirs as such: a sign-in, a sign-out, a failed attempt, a device trusted, a password set.
pub(crate) async fn on_user(
    tx: &mut Tx,
    author: &Author,
    action: &'static str,
    user_id: Option<i64>,
) -> Result<Audited, StoreError> {
    record(
        tx,
        author,
        Change {
            action,
            record_type: "user",
            record_id: user_id,
            organisation_id: None,
            before: None,
            after: None,
        },
    )
    .await
}

/// Who owns a record of each kind: boards' business belongs to the body's organisation, money
/// to the fund's, a bid to the partnership that writes it.
const OWNERS: &[(&str, &str)] = &[
    ("body", "SELECT organisation_id FROM bodies WHERE id = $1"),
    (
        "meeting",
        "SELECT b.organisation_id FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = $1",
    ),
    (
        "agenda_item",
        "SELECT b.organisation_id FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id JOIN bodies b ON b.id = m.body_id WHERE a.id = $1",
    ),
    (
        "minute_item",
        "SELECT b.organisation_id FROM minute_items i JOIN bodies b ON b.id = i.body_id WHERE i.id = $1",
    ),
    (
        "action",
        "SELECT b.organisation_id FROM actions x JOIN bodies b ON b.id = x.body_id WHERE x.id = $1",
    ),
    (
        "question",
        "SELECT b.organisation_id FROM questions q JOIN meetings m ON m.id = q.meeting_id JOIN bodies b ON b.id = m.body_id WHERE q.id = $1",
    ),
    (
        "petition",
        "SELECT b.organisation_id FROM petitions p JOIN bodies b ON b.id = p.body_id WHERE p.id = $1",
    ),
    (
        "decision",
        "SELECT b.organisation_id FROM decisions d JOIN bodies b ON b.id = d.body_id WHERE d.id = $1",
    ),
    (
        "declaration",
        "SELECT b.organisation_id FROM declarations d JOIN minute_items i ON i.id = d.minute_item_id JOIN bodies b ON b.id = i.body_id WHERE d.id = $1",
    ),
    (
        "work_plan_item",
        "SELECT b.organisation_id FROM work_plan_items w JOIN bodies b ON b.id = w.body_id WHERE w.id = $1",
    ),
    (
        "paper",
        "SELECT b.organisation_id FROM papers p JOIN agenda_items a ON a.id = p.agenda_item_id JOIN meetings m ON m.id = a.meeting_id JOIN bodies b ON b.id = m.body_id WHERE p.id = $1",
    ),
    (
        "paper_section",
        "SELECT b.organisation_id FROM paper_sections s JOIN papers p ON p.id = s.paper_id JOIN agenda_items a ON a.id = p.agenda_item_id JOIN meetings m ON m.id = a.meeting_id JOIN bodies b ON b.id = m.body_id WHERE s.id = $1",
    ),
    ("fund", "SELECT organisation_id FROM funds WHERE id = $1"),
    (
        "fund_commitment",
        "SELECT f.organisation_id FROM fund_commitments c JOIN funds f ON f.id = c.fund_id WHERE c.id = $1",
    ),
    (
        "round",
        "SELECT f.organisation_id FROM rounds r JOIN funds f ON f.id = r.fund_id WHERE r.id = $1",
    ),
    (
        "notice",
        "SELECT f.organisation_id FROM notices n JOIN rounds r ON r.id = n.round_id JOIN funds f ON f.id = r.fund_id WHERE n.id = $1",
    ),
    ("bid", "SELECT partnership_id FROM bids WHERE id = $1"),
    (
        "bid_attachment",
        "SELECT b.partnership_id FROM bid_attachments a JOIN bids b ON b.id = a.bid_id WHERE a.id = $1",
    ),
    (
        "bid_comment",
        "SELECT b.partnership_id FROM bid_comments c JOIN bids b ON b.id = c.bid_id WHERE c.id = $1",
    ),
    (
        "bid_line",
        "SELECT b.partnership_id FROM bid_lines l JOIN bids b ON b.id = l.bid_id WHERE l.id = $1",
    ),
    (
        "grant",
        "SELECT f.organisation_id FROM grants g JOIN funds f ON f.id = g.fund_id WHERE g.id = $1",
    ),
    (
        "grant_condition",
        "SELECT f.organisation_id FROM grant_conditions x JOIN grants g ON g.id = x.grant_id JOIN funds f ON f.id = g.fund_id WHERE x.id = $1",
    ),
    (
        "grant_payment",
        "SELECT f.organisation_id FROM grant_payments x JOIN grants g ON g.id = x.grant_id JOIN funds f ON f.id = g.fund_id WHERE x.id = $1",
    ),
    (
        "monitoring_return",
        "SELECT f.organisation_id FROM monitoring_returns x JOIN grants g ON g.id = x.grant_id JOIN funds f ON f.id = g.fund_id WHERE x.id = $1",
    ),
];

/// The organisation that owns a record, by its kind; `None` for a kind no organisation owns,
/// or a record already removed.
pub(crate) async fn owner_of(
    tx: &mut Tx,
    record_type: &str,
    record_id: i64,
) -> Result<Option<i64>, StoreError> {
    let Some((_, sql)) = OWNERS.iter().find(|(t, _)| *t == record_type) else {
        return Ok(None);
    };
    Ok(with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(*sql)
        .bind(record_id)
        .fetch_optional(c)
        .await)?)
}

/// Records an event that goes with no change to a record: a person's view of a personal record,
/// say. `personal` values are kept apart from the event, their hash in the chain.
pub async fn record_event(
    db: &Db,
    author: &Author,
    change: Change<'_>,
    personal: Option<&Value>,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let event = record_with_personal(&mut tx, author, change, personal).await?;
    tx.commit(event).await
}

/// Writes one audit event in `tx` whose personal values (a person's name, say) are kept apart
/// from it: only their hash is in the chain, so erasing them when their retention ends leaves the
/// chain verifiable.
pub(crate) async fn record_with_personal(
    tx: &mut Tx,
    author: &Author,
    change: Change<'_>,
    personal: Option<&Value>,
) -> Result<Audited, StoreError> {
    let previous = with_tx!(tx, |c| sqlx::query_scalar::<_, String>(HEAD)
        .fetch_one(c)
        .await)?;
    let event = NewEvent::new(author, change, personal);
    let hash = chain_hash(&previous, &event.content);
    insert(tx, &[(event, hash.clone())]).await?;
    with_tx!(tx, |c| sqlx::query(MOVE_HEAD)
        .bind(&hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(Audited(()))
}

/// Writes many events in one transaction, each chained to the one before: for work that makes
/// many changes at once.
pub async fn record_all(
    db: &Db,
    author: &Author,
    changes: Vec<Change<'_>>,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let mut hash = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, String>(HEAD)
        .fetch_one(c)
        .await)?;
    let mut events = Vec::with_capacity(changes.len());
    for change in changes {
        let event = NewEvent::new(author, change, None);
        hash = chain_hash(&hash, &event.content);
        events.push((event, hash.clone()));
    }
    insert(&mut tx, &events).await?;
    with_tx!(&mut tx, |c| sqlx::query(MOVE_HEAD)
        .bind(&hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    tx.commit(Audited(())).await
}

/// An event about to be written, as it will be stored.
struct NewEvent {
    content: Content,
    personal: Option<String>,
}

impl NewEvent {
    fn new(author: &Author, change: Change<'_>, personal: Option<&Value>) -> NewEvent {
        let personal = personal.map(Value::to_string);
        NewEvent {
            content: Content {
                occurred_at: now_text(),
                actor_user_id: author.user_id,
                actor_label: author.label.clone(),
                action: change.action.to_owned(),
                record_type: change.record_type.to_owned(),
                record_id: change.record_id,
                organisation_id: change.organisation_id,
                before_json: change.before.map(|v| v.to_string()),
                after_json: change.after.map(|v| v.to_string()),
                personal_hash: personal.as_deref().map(sha256_hex),
            },
            personal,
        }
    }
}

/// Inserts events with their hashes, many rows a statement (one statement per event would cost
/// more than the events), and their personal payloads apart.
async fn insert(tx: &mut Tx, events: &[(NewEvent, String)]) -> Result<(), StoreError> {
    const PAYLOAD: &str = "INSERT INTO audit_payloads (event_id, payload) VALUES ($1, $2)";
    for chunk in events.chunks(500) {
        let ids = with_tx!(&mut *tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO audit_events (occurred_at, actor_user_id, actor_label, action, \
                 record_type, record_id, organisation_id, before_json, after_json, \
                 personal_hash, chain_hash) ",
            );
            q.push_values(chunk, |mut b, (event, hash)| {
                let e = &event.content;
                b.push_bind(&e.occurred_at)
                    .push_bind(e.actor_user_id)
                    .push_bind(&e.actor_label)
                    .push_bind(&e.action)
                    .push_bind(&e.record_type)
                    .push_bind(e.record_id)
                    .push_bind(e.organisation_id)
                    .push_bind(&e.before_json)
                    .push_bind(&e.after_json)
                    .push_bind(&e.personal_hash)
                    .push_bind(hash);
            });
            q.push(" RETURNING id");
            q.build_query_scalar::<i64>().fetch_all(c).await
        })?;
        for (id, (event, _)) in ids.into_iter().zip(chunk) {
            if let Some(payload) = &event.personal {
                with_tx!(&mut *tx, |c| sqlx::query(PAYLOAD)
                    .bind(id)
                    .bind(payload)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))?;
            }
        }
    }
    Ok(())
}

/// What an event's hash covers: everything stored of it but its id and its personal payload
/// (whose hash stands in for it).
#[derive(sqlx::FromRow)]
struct Content {
    occurred_at: String,
    actor_user_id: Option<i64>,
    actor_label: String,
    action: String,
    record_type: String,
    record_id: Option<i64>,
    organisation_id: Option<i64>,
    before_json: Option<String>,
    after_json: Option<String>,
    personal_hash: Option<String>,
}

/// SHA-256 over the previous event's hash and this event's content, written as one JSON array
/// (a form with one reading for every value), in hex.
fn chain_hash(previous: &str, c: &Content) -> String {
    let text = serde_json::to_string(&(
        previous,
        &c.occurred_at,
        c.actor_user_id,
        &c.actor_label,
        &c.action,
        &c.record_type,
        c.record_id,
        c.organisation_id,
        &c.before_json,
        &c.after_json,
        &c.personal_hash,
    ))
    .unwrap_or_default();
    sha256_hex(&text)
}

fn sha256_hex(text: &str) -> String {
    use std::fmt::Write;
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Events whose hashes matched, in order, up to the first that did not.
    pub verified: u64,
    /// Of those, events whose personal payload has been erased (their hash still chains).
    pub erased_payloads: u64,
    /// The first event that does not match, and why; `None` when the whole chain holds.
    pub broken: Option<(i64, String)>,
    /// The hash of the last event: recorded elsewhere (a board's minutes, say), it shows later
    /// that nothing was rewritten since.
    pub head: String,
}

/// Walks the chain from the first event, recomputing each hash, and stops at the first event
/// that does not match. Reads in pages, so the log can be any length.
pub async fn verify(db: &Db) -> Result<Verification, StoreError> {
    const PAGE: &str = "SELECT e.id, e.occurred_at, e.actor_user_id, e.actor_label, e.action, \
        e.record_type, e.record_id, e.organisation_id, e.before_json, e.after_json, \
        e.personal_hash, e.chain_hash, p.payload FROM audit_events e \
        LEFT JOIN audit_payloads p ON p.event_id = e.id WHERE e.id > $1 ORDER BY e.id LIMIT $2";
    const PAGE_SIZE: i64 = 10_000;
    let mut out = Verification {
        verified: 0,
        erased_payloads: 0,
        broken: None,
        head: String::new(),
    };
    let mut previous = String::new();
    let mut after = 0i64;
    loop {
        let rows = with_pool!(db, |p| sqlx::query_as::<_, StoredEvent>(PAGE)
            .bind(after)
            .bind(PAGE_SIZE)
            .fetch_all(p)
            .await)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            let broken = |why: &str| Some((r.id, why.to_owned()));
            out.broken = if chain_hash(&previous, &r.content) != r.chain_hash {
                broken(
                    "its content or its place in the chain has been changed: it, or an event before it, was edited, removed or inserted",
                )
            } else {
                match (&r.content.personal_hash, &r.payload) {
                    (Some(hash), Some(payload)) if sha256_hex(payload) != *hash => {
                        broken("its personal payload has been changed")
                    }
                    (None, Some(_)) => broken("it has a personal payload it was not written with"),
                    _ => None,
                }
            };
            if out.broken.is_some() {
                return Ok(out);
            }
            out.erased_payloads +=
                u64::from(r.content.personal_hash.is_some() && r.payload.is_none());
            out.verified += 1;
            previous.clone_from(&r.chain_hash);
        }
    }
    let head = with_pool!(db, |p| sqlx::query_scalar::<_, String>(HEAD)
        .fetch_one(p)
        .await)?;
    if head != previous {
        out.broken = Some((
            after + 1,
            "the chain's recorded head is not the last event's hash: events after it were removed"
                .to_owned(),
        ));
    }
    out.head = head;
    Ok(out)
}

/// An event as stored, with its personal payload where it still has one.
#[derive(sqlx::FromRow)]
struct StoredEvent {
    id: i64,
    #[sqlx(flatten)]
    content: Content,
    chain_hash: String,
    payload: Option<String>,
}

/// Seals the events written before the chain began (a database from before migration 0012), in
/// order, once; afterwards every event is chained as it is written.
pub async fn seal_unsealed(db: &Db) -> Result<u64, StoreError> {
    const THROUGH: &str = "SELECT unsealed_through FROM audit_chain WHERE id = 1";
    const PAGE: &str = "SELECT id, occurred_at, actor_user_id, actor_label, action, record_type, \
        record_id, organisation_id, before_json, after_json, personal_hash, chain_hash, \
        CAST(NULL AS TEXT) AS payload FROM audit_events \
        WHERE chain_hash = '' AND id <= $1 ORDER BY id";
    const SEAL: &str = "UPDATE audit_events SET chain_hash = $1 WHERE id = $2";
    const DONE: &str = "UPDATE audit_chain SET last_hash = $1, unsealed_through = 0 WHERE id = 1";
    let through = with_pool!(db, |p| sqlx::query_scalar::<_, i64>(THROUGH)
        .fetch_one(p)
        .await)?;
    if through == 0 {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let rows = with_tx!(&mut tx, |c| sqlx::query_as::<_, StoredEvent>(PAGE)
        .bind(through)
        .fetch_all(c)
        .await)?;
    let mut hash = String::new();
    for r in &rows {
        hash = chain_hash(&hash, &r.content);
        with_tx!(&mut tx, |c| sqlx::query(SEAL)
            .bind(&hash)
            .bind(r.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    with_tx!(&mut tx, |c| sqlx::query(DONE)
        .bind(&hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    // Sealing adds the hashes of events already written; it is no change of its own to audit.
    tx.commit_housekeeping().await?;
    Ok(rows.len() as u64)
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

pub(crate) type AuditRow = (
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
