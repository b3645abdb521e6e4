//! Bodies (boards, panels, sub-groups), their meetings, minute items numbered in a yearly
//! sequence per body, and actions with their dated updates, carried forward from meeting to
//! meeting until closed.
//!
//! A minute number is taken from `minute_sequences` inside the transaction that adds the item:
//! the sequence row is locked by the UPDATE (PostgreSQL) or the whole database by `BEGIN
//! IMMEDIATE` (SQLite), so two secretaries drafting at once get consecutive numbers, and a
//! number is never given back when a draft item is deleted. `UNIQUE (body_id, year, number)`
//! refuses a duplicate even if that reasoning were ever wrong.

use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use jiff::civil::{Date, DateTime};
use safer_core::boards::{ActionStatus, BodyKind, MeetingStatus, MinuteNumber, Standing, standing};
use serde::Serialize;
use serde_json::json;

async fn audited(
    tx: &mut Tx,
    author: &Author,
    action: &'static str,
    record_type: &'static str,
    record_id: i64,
    after: serde_json::Value,
) -> Result<(), StoreError> {
    audit::record(
        tx,
        author,
        Change {
            action,
            record_type,
            record_id: Some(record_id),
            organisation_id: None,
            before: None,
            after: Some(after),
        },
    )
    .await
}

/// Adds a body to an organisation.
pub async fn create_body(
    db: &Db,
    author: &Author,
    organisation_id: i64,
    kind: BodyKind,
    name: &str,
    description: &str,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO bodies (organisation_id, kind, name, description, created_at) \
        VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let mut tx = db.begin().await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(organisation_id)
        .bind(kind.as_str())
        .bind(name)
        .bind(description)
        .bind(now_text())
        .fetch_one(c)
        .await)
    .map_err(StoreError::unique("That body's name"))?;
    let after = json!({ "organisation_id": organisation_id, "kind": kind, "name": name });
    audited(&mut tx, author, "create", "body", id, after).await?;
    tx.commit().await?;
    Ok(id)
}

/// Schedules a meeting of a body.
pub async fn create_meeting(
    db: &Db,
    author: &Author,
    body_id: i64,
    starts_at: DateTime,
    place: &str,
    status: MeetingStatus,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO meetings (body_id, starts_at, place, status, created_at) \
        VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let starts = starts_at.strftime("%Y-%m-%dT%H:%M").to_string();
    let mut tx = db.begin().await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(body_id)
        .bind(&starts)
        .bind(place)
        .bind(status.as_str())
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let after =
        json!({ "body_id": body_id, "starts_at": starts, "place": place, "status": status });
    audited(&mut tx, author, "create", "meeting", id, after).await?;
    tx.commit().await?;
    Ok(id)
}

/// A meeting as the minute and action queries need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    /// Its id.
    pub id: i64,
    /// The body.
    pub body_id: i64,
    /// When it starts, UK civil time.
    pub starts_at: DateTime,
    /// Where.
    pub place: String,
    /// Its status.
    pub status: MeetingStatus,
}

/// One meeting.
pub async fn meeting(db: &Db, id: i64) -> Result<Option<Meeting>, StoreError> {
    const SQL: &str = "SELECT id, body_id, starts_at, place, status FROM meetings WHERE id = $1";
    let row: Option<(i64, i64, String, String, String)> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(id).fetch_optional(c).await)?;
    row.map(meeting_from).transpose()
}

fn meeting_from(row: (i64, i64, String, String, String)) -> Result<Meeting, StoreError> {
    let bad = || StoreError::Invalid(format!("meeting {} holds a bad time or status", row.0));
    Ok(Meeting {
        id: row.0,
        body_id: row.1,
        starts_at: DateTime::strptime("%Y-%m-%dT%H:%M", &row.2).map_err(|_| bad())?,
        place: row.3,
        status: MeetingStatus::parse(&row.4).ok_or_else(bad)?,
    })
}

/// A numbered item of a meeting's notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinuteItem {
    /// Its id.
    pub id: i64,
    /// Its number, `012/22`.
    pub number: MinuteNumber,
    /// Its heading.
    pub title: String,
    /// What was said and agreed.
    pub notes: String,
}

/// Adds an item to a meeting's notes with the next number of its body's year.
pub async fn add_minute_item(
    db: &Db,
    author: &Author,
    meeting_id: i64,
    title: &str,
    notes: &str,
) -> Result<MinuteItem, StoreError> {
    const MEETING: &str = "SELECT body_id, starts_at FROM meetings WHERE id = $1";
    const SEQUENCE: &str = "INSERT INTO minute_sequences (body_id, year, next_number) \
        VALUES ($1, $2, 1) ON CONFLICT (body_id, year) DO NOTHING";
    const TAKE: &str = "UPDATE minute_sequences SET next_number = next_number + 1 \
        WHERE body_id = $1 AND year = $2 RETURNING next_number - 1";
    const INSERT: &str = "INSERT INTO minute_items (meeting_id, body_id, year, number, title, \
        notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let mut tx = db.begin().await?;
    let (body_id, starts_at): (i64, String) = with_tx!(&mut tx, |c| sqlx::query_as(MEETING)
        .bind(meeting_id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    let year: i64 = starts_at
        .get(..4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| StoreError::Invalid(format!("meeting {meeting_id} has no year")))?;
    with_tx!(&mut tx, |c| sqlx::query(SEQUENCE)
        .bind(body_id)
        .bind(year)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let number: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(TAKE)
        .bind(body_id)
        .bind(year)
        .fetch_one(c)
        .await)?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(INSERT)
        .bind(meeting_id)
        .bind(body_id)
        .bind(year)
        .bind(number)
        .bind(title)
        .bind(notes)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let number = MinuteNumber {
        year: i16::try_from(year).unwrap_or(i16::MAX),
        number,
    };
    let after = json!({ "meeting_id": meeting_id, "number": number.to_string(), "title": title });
    audited(&mut tx, author, "create", "minute_item", id, after).await?;
    tx.commit().await?;
    Ok(MinuteItem {
        id,
        number,
        title: title.to_owned(),
        notes: notes.to_owned(),
    })
}

/// Deletes a draft item; its number is not given out again.
pub async fn delete_minute_item(db: &Db, author: &Author, id: i64) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM minute_items WHERE id = $1";
    let mut tx = db.begin().await?;
    let deleted = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    audited(&mut tx, author, "delete", "minute_item", id, json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// A meeting's items, in number order.
pub async fn minute_items(db: &Db, meeting_id: i64) -> Result<Vec<MinuteItem>, StoreError> {
    const SQL: &str = "SELECT id, year, number, title, notes FROM minute_items \
        WHERE meeting_id = $1 ORDER BY year, number";
    let rows: Vec<(i64, i64, i64, String, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(meeting_id)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, year, number, title, notes)| MinuteItem {
            id,
            number: MinuteNumber {
                year: i16::try_from(year).unwrap_or(i16::MAX),
                number,
            },
            title,
            notes,
        })
        .collect())
}

/// An action as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// Its id.
    pub id: i64,
    /// The body.
    pub body_id: i64,
    /// The meeting it was raised at, and that meeting's date.
    pub raised_at_meeting_id: i64,
    /// The date of that meeting.
    pub raised_on: Date,
    /// What is to be done.
    pub description: String,
    /// Who is to do it.
    pub owner: String,
    /// By when.
    pub due_on: Option<Date>,
    /// Open or closed.
    pub status: ActionStatus,
    /// When it was closed.
    pub closed_on: Option<Date>,
}

/// Raises an action at a meeting, optionally under one of its items.
pub async fn raise_action(
    db: &Db,
    author: &Author,
    meeting_id: i64,
    minute_item_id: Option<i64>,
    description: &str,
    owner: &str,
    due_on: Option<Date>,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO actions (body_id, raised_at_meeting_id, minute_item_id, \
        description, owner, due_on, status, created_at) \
        SELECT body_id, id, CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS TEXT), \
        CAST($5 AS TEXT), 'open', CAST($6 AS TEXT) FROM meetings WHERE id = $1 RETURNING id";
    // The casts tell PostgreSQL the parameters' types, which a SELECT list cannot.
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(meeting_id)
        .bind(minute_item_id)
        .bind(description)
        .bind(owner)
        .bind(due_on.map(|d| d.to_string()))
        .bind(now_text())
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    let after = json!({ "meeting_id": meeting_id, "description": description, "owner": owner });
    audited(&mut tx, author, "create", "action", id, after).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records a dated step on an action; closing it records the date it was closed.
pub async fn update_action(
    db: &Db,
    author: &Author,
    action_id: i64,
    recorded_on: Date,
    status: ActionStatus,
    note: &str,
) -> Result<(), StoreError> {
    const UPDATE: &str = "INSERT INTO action_updates (action_id, recorded_on, status, note) \
        VALUES ($1, $2, $3, $4)";
    const SET: &str = "UPDATE actions SET status = $2, closed_on = $3 WHERE id = $1";
    let closed_on = (status == ActionStatus::Closed).then(|| recorded_on.to_string());
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, |c| sqlx::query(SET)
        .bind(action_id)
        .bind(status.as_str())
        .bind(&closed_on)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    with_tx!(&mut tx, |c| sqlx::query(UPDATE)
        .bind(action_id)
        .bind(recorded_on.to_string())
        .bind(status.as_str())
        .bind(note)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = json!({ "recorded_on": recorded_on, "status": status, "note": note });
    audited(&mut tx, author, "update", "action", action_id, after).await?;
    tx.commit().await?;
    Ok(())
}

type ActionRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
);

macro_rules! action_select {
    () => {
        "SELECT a.id, a.body_id, a.raised_at_meeting_id, m.starts_at, a.description, a.owner, \
         a.due_on, a.status, a.closed_on FROM actions a \
         JOIN meetings m ON m.id = a.raised_at_meeting_id "
    };
}

fn action_from(row: ActionRow) -> Result<Action, StoreError> {
    let bad = || StoreError::Invalid(format!("action {} holds a bad date or status", row.0));
    let date = |text: &str| text.get(..10).and_then(|d| d.parse::<Date>().ok());
    Ok(Action {
        id: row.0,
        body_id: row.1,
        raised_at_meeting_id: row.2,
        raised_on: date(&row.3).ok_or_else(bad)?,
        description: row.4,
        owner: row.5,
        due_on: row
            .6
            .as_deref()
            .map(|d| date(d).ok_or_else(bad))
            .transpose()?,
        status: ActionStatus::parse(&row.7).ok_or_else(bad)?,
        closed_on: row
            .8
            .as_deref()
            .map(|d| date(d).ok_or_else(bad))
            .transpose()?,
    })
}

/// The actions on a meeting's "actions outstanding" list: every action of its body raised at
/// an earlier meeting and still open, or closed since the body's previous meeting (shown once
/// as closed), oldest first.
pub async fn actions_for_meeting(
    db: &Db,
    meeting_id: i64,
) -> Result<Vec<(Action, Standing)>, StoreError> {
    const PREVIOUS: &str = "SELECT MAX(starts_at) FROM meetings \
        WHERE body_id = $1 AND starts_at < $2 AND status <> 'cancelled'";
    const ACTIONS: &str = concat!(
        action_select!(),
        "WHERE a.body_id = $1 AND m.starts_at < $2 ORDER BY m.starts_at, a.id"
    );
    let this = meeting(db, meeting_id).await?.ok_or(StoreError::NotFound)?;
    let starts = this.starts_at.strftime("%Y-%m-%dT%H:%M").to_string();
    let previous: Option<String> = with_conn!(db, |c| sqlx::query_scalar(PREVIOUS)
        .bind(this.body_id)
        .bind(&starts)
        .fetch_one(c)
        .await)?;
    let previous_on = previous
        .as_deref()
        .and_then(|p| p.get(..10))
        .and_then(|d| d.parse::<Date>().ok());
    let rows: Vec<ActionRow> = with_conn!(db, |c| sqlx::query_as(ACTIONS)
        .bind(this.body_id)
        .bind(&starts)
        .fetch_all(c)
        .await)?;
    let meeting_on = this.starts_at.date();
    let mut out = Vec::new();
    for row in rows {
        let action = action_from(row)?;
        if let Some(s) = standing(action.raised_on, action.closed_on, previous_on, meeting_on) {
            out.push((action, s));
        }
    }
    Ok(out)
}

/// Every open action across bodies, oldest first.
pub async fn open_actions(db: &Db) -> Result<Vec<Action>, StoreError> {
    const SQL: &str = concat!(
        action_select!(),
        "WHERE a.status = 'open' ORDER BY m.starts_at, a.id"
    );
    let rows: Vec<ActionRow> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await)?;
    rows.into_iter().map(action_from).collect()
}
