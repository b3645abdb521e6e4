//! Bodies (boards, panels, sub-groups), their meetings, minute items numbered in a yearly
//! sequence per body, and actions with their dated updates, carried forward from meeting to
//! meeting until closed.
//!
//! A minute number is taken from `minute_sequences` inside the transaction that adds the item:
//! the sequence row is locked by the UPDATE (PostgreSQL) or the whole database by `BEGIN
//! IMMEDIATE` (SQLite), so two secretaries drafting at once get consecutive numbers, and a
//! number is never given back when a draft item is deleted. `UNIQUE (body_id, year, number)`
//! refuses a duplicate even if that reasoning were ever wrong.

use crate::audit::{self, Author, audited};
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use jiff::civil::{Date, DateTime};
use safer_core::access::ReadScope;
use safer_core::boards::{
    ActionStatus, Attendance, BodyKind, ItemKind, MeetingStatus, MinuteNumber, QuestionKind,
    Standing, standing,
};
use serde::Serialize;
use serde_json::json;

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
    let event = audited(&mut tx, author, "create", "body", id, after).await?;
    tx.commit(event).await?;
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
    let event = audited(&mut tx, author, "create", "meeting", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// A body as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Body {
    /// Its id.
    pub id: i64,
    /// The organisation whose body it is.
    pub organisation_id: i64,
    /// What kind of body.
    pub kind: BodyKind,
    /// Its name.
    pub name: String,
    /// What it does.
    pub description: String,
}

type BodyRow = (i64, i64, String, String, String);

fn body_from(row: BodyRow) -> Result<Body, StoreError> {
    Ok(Body {
        kind: BodyKind::parse(&row.2)
            .ok_or_else(|| StoreError::Invalid(format!("body {} has a bad kind", row.0)))?,
        id: row.0,
        organisation_id: row.1,
        name: row.3,
        description: row.4,
    })
}

/// Every body, by name.
pub async fn bodies(db: &Db) -> Result<Vec<Body>, StoreError> {
    const SQL: &str =
        "SELECT id, organisation_id, kind, name, description FROM bodies ORDER BY name";
    let rows: Vec<BodyRow> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await)?;
    rows.into_iter().map(body_from).collect()
}

/// One body.
pub async fn body(db: &Db, id: i64) -> Result<Option<Body>, StoreError> {
    const SQL: &str =
        "SELECT id, organisation_id, kind, name, description FROM bodies WHERE id = $1";
    let row: Option<BodyRow> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(id).fetch_optional(c).await)?;
    row.map(body_from).transpose()
}

/// A meeting.
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
    /// Whether the agenda is published.
    pub agenda_published: bool,
    /// `none`, `draft` or `approved`: the notes are public once approved.
    pub notes_status: String,
    /// Where the meeting is broadcast, or empty.
    pub webcast_url: String,
}

type MeetingRow = (i64, i64, String, String, String, String, String, String);

macro_rules! meeting_select {
    () => {
        "SELECT id, body_id, starts_at, place, status, agenda_status, notes_status, webcast_url \
         FROM meetings "
    };
}

/// One meeting.
pub async fn meeting(db: &Db, id: i64) -> Result<Option<Meeting>, StoreError> {
    const SQL: &str = concat!(meeting_select!(), "WHERE id = $1");
    let row: Option<MeetingRow> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(id).fetch_optional(c).await)?;
    row.map(meeting_from).transpose()
}

/// A body's meetings, latest first.
pub async fn meetings(db: &Db, body_id: i64) -> Result<Vec<Meeting>, StoreError> {
    const SQL: &str = concat!(
        meeting_select!(),
        "WHERE body_id = $1 ORDER BY starts_at DESC"
    );
    let rows: Vec<MeetingRow> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(body_id).fetch_all(c).await)?;
    rows.into_iter().map(meeting_from).collect()
}

fn meeting_from(row: MeetingRow) -> Result<Meeting, StoreError> {
    let bad = || StoreError::Invalid(format!("meeting {} holds a bad time or status", row.0));
    Ok(Meeting {
        id: row.0,
        body_id: row.1,
        starts_at: DateTime::strptime("%Y-%m-%dT%H:%M", &row.2).map_err(|_| bad())?,
        place: row.3,
        status: MeetingStatus::parse(&row.4).ok_or_else(bad)?,
        agenda_published: row.5 == "published",
        notes_status: row.6,
        webcast_url: row.7,
    })
}

/// Sets a meeting's status and webcast link.
pub async fn update_meeting(
    db: &Db,
    author: &Author,
    meeting_id: i64,
    status: MeetingStatus,
    webcast_url: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE meetings SET status = $1, webcast_url = $2 WHERE id = $3";
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(status.as_str())
        .bind(webcast_url)
        .bind(meeting_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    let after = json!({ "status": status.as_str(), "webcast_url": webcast_url });
    let event = audited(&mut tx, author, "update", "meeting", meeting_id, after).await?;
    tx.commit(event).await?;
    Ok(())
}

/// An agenda item to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgendaItem<'a> {
    /// The heading it sits under, or empty.
    pub section: &'a str,
    /// "10:35", or empty.
    pub starts_at: &'a str,
    /// Its title.
    pub title: &'a str,
    /// What it is about.
    pub description: &'a str,
    /// Who presents it.
    pub presenter: &'a str,
    /// What kind of item.
    pub kind: ItemKind,
    /// Why it is exempt from publication, if it is.
    pub exemption: Option<&'a str>,
}

/// An agenda item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    /// Its id.
    pub id: i64,
    /// Its number on the agenda.
    pub position: i64,
    /// The heading it sits under, or empty.
    pub section: String,
    /// "10:35", or empty.
    pub starts_at: String,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// Who presents it.
    pub presenter: String,
    /// What kind of item.
    pub kind: ItemKind,
    /// Why it is exempt, if it is.
    pub exemption: Option<String>,
}

/// Adds an item at the end of a meeting's agenda.
pub async fn add_agenda_item(
    db: &Db,
    author: &Author,
    meeting_id: i64,
    item: &NewAgendaItem<'_>,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO agenda_items (meeting_id, position, section, starts_at, title, \
        description, presenter, kind, exempt, exemption_reason) \
        VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1), \
        $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(meeting_id)
        .bind(item.section)
        .bind(item.starts_at)
        .bind(item.title)
        .bind(item.description)
        .bind(item.presenter)
        .bind(item.kind.as_str())
        .bind(item.exemption.is_some())
        .bind(item.exemption.unwrap_or(""))
        .fetch_one(c)
        .await)?;
    let after = json!({ "meeting_id": meeting_id, "title": item.title, "exempt": item.exemption.is_some() });
    let event = audited(&mut tx, author, "create", "agenda_item", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

pub use safer_core::access::Audience;

/// A meeting's agenda as `audience` may see it, in order.
pub async fn agenda(
    db: &Db,
    meeting: &Meeting,
    audience: Audience,
) -> Result<Vec<AgendaItem>, StoreError> {
    const SQL: &str = "SELECT id, position, section, starts_at, title, description, presenter, \
        kind, exempt, exemption_reason FROM agenda_items WHERE meeting_id = $1 ORDER BY position";
    if audience == Audience::Public && !meeting.agenda_published {
        return Ok(Vec::new());
    }
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        bool,
        String,
    );
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(meeting.id)
        .fetch_all(c)
        .await)?;
    let mut out = Vec::new();
    for r in rows {
        if r.8 && audience == Audience::Public {
            continue;
        }
        out.push(AgendaItem {
            kind: ItemKind::parse(&r.7).ok_or_else(|| {
                StoreError::Invalid(format!("agenda item {} has a bad kind", r.0))
            })?,
            id: r.0,
            position: r.1,
            section: r.2,
            starts_at: r.3,
            title: r.4,
            description: r.5,
            presenter: r.6,
            exemption: r.8.then_some(r.9),
        });
    }
    Ok(out)
}

/// Publishes a meeting's agenda.
pub async fn publish_agenda(db: &Db, author: &Author, meeting_id: i64) -> Result<(), StoreError> {
    set_meeting_field(
        db,
        author,
        meeting_id,
        "UPDATE meetings SET agenda_status = 'published' WHERE id = $1",
        "publish_agenda",
    )
    .await
}

/// Records that a meeting's notes were accepted as a correct record (at a later meeting); they
/// are public from then on.
pub async fn approve_notes(db: &Db, author: &Author, meeting_id: i64) -> Result<(), StoreError> {
    set_meeting_field(
        db,
        author,
        meeting_id,
        "UPDATE meetings SET notes_status = 'approved' WHERE id = $1",
        "approve_notes",
    )
    .await
}

async fn set_meeting_field(
    db: &Db,
    author: &Author,
    meeting_id: i64,
    sql: &'static str,
    action: &'static str,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let changed = with_tx!(&mut tx, |c| sqlx::query(sql)
        .bind(meeting_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    let event = audited(
        &mut tx,
        author,
        "update",
        "meeting",
        meeting_id,
        json!({ "change": action }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// One person's part in a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attendee {
    /// Their name.
    pub name: String,
    /// Their role, such as "Board Member".
    pub role: String,
    /// How they took part.
    pub attendance: Attendance,
}

/// Records who attended a meeting, replacing any list before.
pub async fn set_attendance(
    db: &Db,
    author: &Author,
    meeting_id: i64,
    attendees: &[Attendee],
) -> Result<(), StoreError> {
    const CLEAR: &str = "DELETE FROM attendances WHERE meeting_id = $1";
    const ADD: &str = "INSERT INTO attendances (meeting_id, position, name, role, attendance) \
        VALUES ($1, $2, $3, $4, $5)";
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(CLEAR)
        .bind(meeting_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    for (i, a) in attendees.iter().enumerate() {
        with_tx!(&mut tx, |c| sqlx::query(ADD)
            .bind(meeting_id)
            .bind(i as i64 + 1)
            .bind(&a.name)
            .bind(&a.role)
            .bind(a.attendance.as_str())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let event = audited(
        &mut tx,
        author,
        "update",
        "attendance",
        meeting_id,
        json!({ "attendees": attendees.len() }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Who attended a meeting, in the order recorded.
pub async fn attendance(db: &Db, meeting_id: i64) -> Result<Vec<Attendee>, StoreError> {
    const SQL: &str =
        "SELECT name, role, attendance FROM attendances WHERE meeting_id = $1 ORDER BY position";
    let rows: Vec<(String, String, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(meeting_id)
        .fetch_all(c)
        .await)?;
    rows.into_iter()
        .map(|(name, role, a)| {
            Ok(Attendee {
                attendance: Attendance::parse(&a)
                    .ok_or_else(|| StoreError::Invalid(format!("bad attendance {a:?}")))?,
                name,
                role,
            })
        })
        .collect()
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
    let mut tx = db.begin().await?;
    let (item, event) = add_minute_item_in(&mut tx, author, meeting_id, title, notes).await?;
    tx.commit(event).await?;
    Ok(item)
}

async fn add_minute_item_in(
    tx: &mut Tx,
    author: &Author,
    meeting_id: i64,
    title: &str,
    notes: &str,
) -> Result<(MinuteItem, audit::Audited), StoreError> {
    const MEETING: &str = "SELECT body_id, starts_at FROM meetings WHERE id = $1";
    const SEQUENCE: &str = "INSERT INTO minute_sequences (body_id, year, next_number) \
        VALUES ($1, $2, 1) ON CONFLICT (body_id, year) DO NOTHING";
    const TAKE: &str = "UPDATE minute_sequences SET next_number = next_number + 1 \
        WHERE body_id = $1 AND year = $2 RETURNING next_number - 1";
    const INSERT: &str = "INSERT INTO minute_items (meeting_id, body_id, year, number, title, \
        notes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    const DRAFTED: &str =
        "UPDATE meetings SET notes_status = 'draft' WHERE id = $1 AND notes_status = 'none'";
    let (body_id, starts_at): (i64, String) = with_tx!(tx, |c| sqlx::query_as(MEETING)
        .bind(meeting_id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    let year: i64 = starts_at
        .get(..4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| StoreError::Invalid(format!("meeting {meeting_id} has no year")))?;
    with_tx!(tx, |c| sqlx::query(SEQUENCE)
        .bind(body_id)
        .bind(year)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let number: i64 = with_tx!(tx, |c| sqlx::query_scalar(TAKE)
        .bind(body_id)
        .bind(year)
        .fetch_one(c)
        .await)?;
    let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(INSERT)
        .bind(meeting_id)
        .bind(body_id)
        .bind(year)
        .bind(number)
        .bind(title)
        .bind(notes)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    // The first item starts the meeting's notes as a draft.
    with_tx!(tx, |c| sqlx::query(DRAFTED)
        .bind(meeting_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let number = MinuteNumber {
        year: i16::try_from(year).unwrap_or(i16::MAX),
        number,
    };
    let after = json!({ "meeting_id": meeting_id, "number": number.to_string(), "title": title });
    let event = audited(tx, author, "create", "minute_item", id, after).await?;
    Ok((
        MinuteItem {
            id,
            number,
            title: title.to_owned(),
            notes: notes.to_owned(),
        },
        event,
    ))
}

/// The body's meeting before this one (not counting cancelled meetings).
pub async fn previous_meeting(db: &Db, meeting: &Meeting) -> Result<Option<Meeting>, StoreError> {
    const SQL: &str = concat!(
        meeting_select!(),
        "WHERE body_id = $1 AND starts_at < $2 AND status <> 'cancelled' ORDER BY starts_at DESC LIMIT 1"
    );
    let starts = meeting.starts_at.strftime("%Y-%m-%dT%H:%M").to_string();
    let row: Option<MeetingRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(meeting.body_id)
        .bind(&starts)
        .fetch_optional(c)
        .await)?;
    row.map(meeting_from).transpose()
}

/// At a meeting, accepts the previous meeting's notes as a correct record: they are approved
/// (and so published), and this meeting's notes record it as an item, in one transaction.
pub async fn accept_previous_notes(
    db: &Db,
    author: &Author,
    meeting: &Meeting,
) -> Result<MinuteItem, StoreError> {
    const APPROVE: &str = "UPDATE meetings SET notes_status = 'approved' WHERE id = $1";
    let Some(previous) = previous_meeting(db, meeting).await? else {
        return Err(StoreError::Invalid(
            "there is no earlier meeting whose notes could be accepted".to_owned(),
        ));
    };
    if previous.notes_status == "approved" {
        return Err(StoreError::Invalid(
            "the notes of the last meeting are already accepted".to_owned(),
        ));
    }
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(APPROVE)
        .bind(previous.id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    audited(
        &mut tx,
        author,
        "update",
        "meeting",
        previous.id,
        json!({ "change": "approve_notes", "at_meeting": meeting.id }),
    )
    .await?;
    let title = format!(
        "Notes of the Last Meeting: {}",
        safer_core::time::long_date(previous.starts_at.date())
    );
    let (item, event) = add_minute_item_in(
        &mut tx,
        author,
        meeting.id,
        &title,
        "The notes were accepted as a correct record of the meeting.",
    )
    .await?;
    tx.commit(event).await?;
    Ok(item)
}

/// Continues a body's numbering for a year from `next` (for a body that moves to safer part way
/// through a year). Refused if it would give out a number already taken.
pub async fn continue_numbering(
    db: &Db,
    author: &Author,
    body_id: i64,
    year: i64,
    next: i64,
) -> Result<(), StoreError> {
    const TAKEN: &str =
        "SELECT COALESCE(MAX(number), 0) FROM minute_items WHERE body_id = $1 AND year = $2";
    const SET: &str = "INSERT INTO minute_sequences (body_id, year, next_number) VALUES ($1, $2, $3) \
        ON CONFLICT (body_id, year) DO UPDATE SET next_number = excluded.next_number";
    let mut tx = db.begin().await?;
    let taken: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(TAKEN)
        .bind(body_id)
        .bind(year)
        .fetch_one(c)
        .await)?;
    if next <= taken {
        return Err(StoreError::Invalid(format!(
            "{year}'s numbers up to {taken} are already taken: continue from {} or later",
            taken + 1
        )));
    }
    with_tx!(&mut tx, |c| sqlx::query(SET)
        .bind(body_id)
        .bind(year)
        .bind(next)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let event = audited(
        &mut tx,
        author,
        "update",
        "minute_sequence",
        body_id,
        json!({ "year": year, "next": next }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// A meeting's notes as `audience` may see them: the public only once approved.
pub async fn notes(
    db: &Db,
    meeting: &Meeting,
    audience: Audience,
) -> Result<Vec<MinuteItem>, StoreError> {
    if audience == Audience::Public && meeting.notes_status != "approved" {
        return Ok(Vec::new());
    }
    minute_items(db, meeting.id).await
}

/// Deletes a draft item; its number is not given out again.
pub async fn delete_minute_item(db: &Db, author: &Author, id: i64) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM minute_items WHERE id = $1 \
        AND meeting_id IN (SELECT id FROM meetings WHERE notes_status = 'draft') \
        AND NOT EXISTS (SELECT 1 FROM declarations WHERE minute_item_id = $1) \
        AND NOT EXISTS (SELECT 1 FROM actions WHERE minute_item_id = $1)";
    const EXISTS: &str = "SELECT COUNT(*) FROM minute_items WHERE id = $1";
    let mut tx = db.begin().await?;
    // Its owner is found before it is gone.
    let owner = audit::owner_of(&mut tx, "minute_item", id).await?;
    let deleted = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if deleted == 0 {
        let exists: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(EXISTS)
            .bind(id)
            .fetch_one(c)
            .await)?;
        return Err(if exists == 0 {
            StoreError::NotFound
        } else {
            StoreError::Invalid(
                "only an item of draft notes, with no action or declaration on it, can be deleted"
                    .into(),
            )
        });
    }
    let event = audit::record(
        &mut tx,
        author,
        audit::Change {
            action: "delete",
            record_type: "minute_item",
            record_id: Some(id),
            organisation_id: owner,
            before: None,
            after: Some(json!({})),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// The meeting a numbered item belongs to.
pub async fn minute_item_meeting(db: &Db, id: i64) -> Result<Option<i64>, StoreError> {
    const SQL: &str = "SELECT meeting_id FROM minute_items WHERE id = $1";
    Ok(with_conn!(db, |c| sqlx::query_scalar(SQL)
        .bind(id)
        .fetch_optional(c)
        .await)?)
}

/// Drafts a meeting's notes from its agenda: one numbered item per agenda item, in order, in
/// one transaction. Refused once the notes have items, so nothing is numbered twice.
pub async fn draft_notes_from_agenda(
    db: &Db,
    author: &Author,
    meeting_id: i64,
) -> Result<Vec<MinuteItem>, StoreError> {
    const ITEMS: &str = "SELECT COUNT(*) FROM minute_items WHERE meeting_id = $1";
    const AGENDA: &str =
        "SELECT position, title FROM agenda_items WHERE meeting_id = $1 ORDER BY position";
    let mut tx = db.begin().await?;
    let existing: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(ITEMS)
        .bind(meeting_id)
        .fetch_one(c)
        .await)?;
    if existing > 0 {
        return Err(StoreError::Invalid(
            "the notes already have numbered items; add any more one by one".into(),
        ));
    }
    let agenda: Vec<(i64, String)> = with_tx!(&mut tx, |c| sqlx::query_as(AGENDA)
        .bind(meeting_id)
        .fetch_all(c)
        .await)?;
    if agenda.is_empty() {
        return Err(StoreError::Invalid(
            "the agenda has no items to draft the notes from".into(),
        ));
    }
    let mut items = Vec::with_capacity(agenda.len());
    let mut event = None;
    for (position, title) in agenda {
        let heading = format!("Item {position}: {title}");
        let (item, written) = add_minute_item_in(&mut tx, author, meeting_id, &heading, "").await?;
        items.push(item);
        event = Some(written);
    }
    // The agenda is not empty (checked above), so an item, and its event, was written.
    let Some(event) = event else {
        return Err(StoreError::Invalid(
            "the agenda has no items to draft the notes from".into(),
        ));
    };
    tx.commit(event).await?;
    Ok(items)
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
    /// Whether the notes of the meeting that raised it are approved, and so public.
    pub public: bool,
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
    let event = audited(&mut tx, author, "create", "action", id, after).await?;
    tx.commit(event).await?;
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
    let event = audited(&mut tx, author, "update", "action", action_id, after).await?;
    tx.commit(event).await?;
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
    String,
);

macro_rules! action_select {
    () => {
        "SELECT a.id, a.body_id, a.raised_at_meeting_id, m.starts_at, a.description, a.owner, \
         a.due_on, a.status, a.closed_on, m.notes_status FROM actions a \
         JOIN meetings m ON m.id = a.raised_at_meeting_id "
    };
}

/// A parameter of [`action_rows`].
#[derive(Clone, Copy)]
enum Bind<'a> {
    Int(i64),
    Text(&'a str),
}

/// Wraps an [`action_select!`] query (closed with `)`) so that SQLite returns its rows as one
/// JSON array.
macro_rules! actions_as_json {
    () => {
        "SELECT json_group_array(json_array(id, body_id, raised_at_meeting_id, starts_at, \
         description, owner, due_on, status, closed_on, notes_status)) FROM ("
    };
}

/// The rows of an action query: `rows_sql` as rows on PostgreSQL; on SQLite `json_sql`, the
/// same query as one JSON array, sorted here by meeting and id as `rows_sql` orders them.
/// Why: sqlx hands SQLite rows over one at a time from its worker thread, and for a body's
/// thousands of actions that cost six times the query itself. `binds` are bound in order.
async fn action_rows(
    db: &Db,
    rows_sql: &'static str,
    json_sql: &'static str,
    binds: &[Bind<'_>],
) -> Result<Vec<ActionRow>, StoreError> {
    match db {
        Db::Sqlite(pool) => {
            let mut query = sqlx::query_scalar::<_, String>(json_sql);
            for b in binds {
                query = match *b {
                    Bind::Int(n) => query.bind(n),
                    Bind::Text(t) => query.bind(t.to_owned()),
                };
            }
            let json = query.fetch_one(pool).await?;
            let mut rows: Vec<ActionRow> = serde_json::from_str(&json)
                .map_err(|e| StoreError::Invalid(format!("actions as JSON: {e}")))?;
            rows.sort_by(|a, b| a.3.cmp(&b.3).then(a.0.cmp(&b.0)));
            Ok(rows)
        }
        Db::Postgres(pool) => {
            let mut query = sqlx::query_as::<_, ActionRow>(rows_sql);
            for b in binds {
                query = match *b {
                    Bind::Int(n) => query.bind(n),
                    Bind::Text(t) => query.bind(t.to_owned()),
                };
            }
            Ok(query.fetch_all(pool).await?)
        }
    }
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
        public: row.9 == "approved",
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
    // Actions closed before the previous meeting are left to the database to pass over.
    const ACTIONS: &str = concat!(
        action_select!(),
        "WHERE a.body_id = $1 AND m.starts_at < $2 AND (a.closed_on IS NULL OR a.closed_on > $3) \
         ORDER BY m.starts_at, a.id"
    );
    const SQLITE: &str = concat!(
        actions_as_json!(),
        action_select!(),
        "WHERE a.body_id = $1 AND m.starts_at < $2 AND (a.closed_on IS NULL OR a.closed_on > $3))"
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
    let after = previous_on.map(|d| d.to_string()).unwrap_or_default();
    let rows = action_rows(
        db,
        ACTIONS,
        SQLITE,
        &[
            Bind::Int(this.body_id),
            Bind::Text(&starts),
            Bind::Text(&after),
        ],
    )
    .await?;
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

/// Every open action across bodies that `scope` may see (public ones, and all of its own
/// organisations' bodies), with its body's name; oldest first.
pub async fn open_actions(db: &Db, scope: &ReadScope) -> Result<Vec<(Action, String)>, StoreError> {
    let bodies = bodies(db).await?;
    let mut out = Vec::new();
    for action in all_open_actions(db).await? {
        let Some(body) = bodies.iter().find(|b| b.id == action.body_id) else {
            continue;
        };
        if action.public || scope.audience_for(body.organisation_id) == Audience::Secretariat {
            out.push((action, body.name.clone()));
        }
    }
    Ok(out)
}

/// Every open action across bodies, oldest first, whoever asks.
async fn all_open_actions(db: &Db) -> Result<Vec<Action>, StoreError> {
    const SQL: &str = concat!(
        action_select!(),
        "WHERE a.status = 'open' ORDER BY m.starts_at, a.id"
    );
    const SQLITE: &str = concat!(
        actions_as_json!(),
        action_select!(),
        "WHERE a.status = 'open')"
    );
    let rows = action_rows(db, SQL, SQLITE, &[]).await?;
    rows.into_iter().map(action_from).collect()
}

/// A question put at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// From the public, or from a member.
    pub kind: QuestionKind,
    /// The question.
    pub question: String,
    /// Who submitted it (public questions).
    pub submitted_by: String,
    /// Who asked it at the meeting.
    pub asked_by: String,
    /// The answer given.
    pub answer: String,
}

/// Records a question put at a meeting, after any before it.
pub async fn add_question(
    db: &Db,
    author: &Author,
    meeting_id: i64,
    q: &Question,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO questions (meeting_id, position, kind, question, submitted_by, \
        asked_by, answer) VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM questions \
        WHERE meeting_id = $1), $2, $3, $4, $5, $6) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(meeting_id)
        .bind(q.kind.as_str())
        .bind(&q.question)
        .bind(&q.submitted_by)
        .bind(&q.asked_by)
        .bind(&q.answer)
        .fetch_one(c)
        .await)?;
    let event = audited(&mut tx, author, "create", "question", id, json!(q)).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// A meeting's questions, in the order put.
pub async fn questions(db: &Db, meeting_id: i64) -> Result<Vec<Question>, StoreError> {
    const SQL: &str = "SELECT kind, question, submitted_by, asked_by, answer FROM questions \
        WHERE meeting_id = $1 ORDER BY position";
    let rows: Vec<(String, String, String, String, String)> =
        with_conn!(db, |c| sqlx::query_as(SQL)
            .bind(meeting_id)
            .fetch_all(c)
            .await)?;
    rows.into_iter()
        .map(|(kind, question, submitted_by, asked_by, answer)| {
            Ok(Question {
                kind: QuestionKind::parse(&kind)
                    .ok_or_else(|| StoreError::Invalid(format!("bad question kind {kind:?}")))?,
                question,
                submitted_by,
                asked_by,
                answer,
            })
        })
        .collect()
}

/// A petition to a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Petition {
    /// The meeting it is heard at, if one is set.
    pub meeting_id: Option<i64>,
    /// What it asks.
    pub title: String,
    /// Who leads it.
    pub lead_petitioner: String,
    /// Signatures, where known.
    pub signatures: Option<i64>,
    /// The signatures that oblige a debate or response, where one applies.
    pub threshold: Option<i64>,
    /// When the response is due.
    pub response_due: Option<Date>,
    /// The response, once given.
    pub response: String,
}

/// Records a petition to a body.
pub async fn add_petition(
    db: &Db,
    author: &Author,
    body_id: i64,
    p: &Petition,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO petitions (body_id, meeting_id, title, lead_petitioner, \
        signatures, threshold, response_due, response) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
        RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(body_id)
        .bind(p.meeting_id)
        .bind(&p.title)
        .bind(&p.lead_petitioner)
        .bind(p.signatures)
        .bind(p.threshold)
        .bind(p.response_due.map(|d| d.to_string()))
        .bind(&p.response)
        .fetch_one(c)
        .await)?;
    let event = audited(&mut tx, author, "create", "petition", id, json!(p)).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// The petitions heard at a meeting.
pub async fn petitions(db: &Db, meeting_id: i64) -> Result<Vec<Petition>, StoreError> {
    const SQL: &str = "SELECT meeting_id, title, lead_petitioner, signatures, threshold, \
        response_due, response FROM petitions WHERE meeting_id = $1 ORDER BY id";
    type Row = (
        Option<i64>,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        String,
    );
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(meeting_id)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| Petition {
            meeting_id: r.0,
            title: r.1,
            lead_petitioner: r.2,
            signatures: r.3,
            threshold: r.4,
            response_due: r.5.and_then(|d| d.parse().ok()),
            response: r.6,
        })
        .collect())
}

/// A decision in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Its id (0 before it is stored).
    pub id: i64,
    /// The body it was taken by or reported to.
    pub body_id: i64,
    /// The meeting, if taken at one.
    pub meeting_id: Option<i64>,
    /// What it is about.
    pub title: String,
    /// What was decided.
    pub decision: String,
    /// Why.
    pub reasons: String,
    /// Who decided.
    pub decided_by: String,
    /// When.
    pub decided_on: Date,
    /// Whether it is on the public register.
    pub published: bool,
}

/// Records a decision.
pub async fn add_decision(db: &Db, author: &Author, d: &Decision) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO decisions (body_id, meeting_id, title, decision, reasons, \
        decided_by, decided_on, published, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
        RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(d.body_id)
        .bind(d.meeting_id)
        .bind(&d.title)
        .bind(&d.decision)
        .bind(&d.reasons)
        .bind(&d.decided_by)
        .bind(d.decided_on.to_string())
        .bind(d.published)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let event = audited(&mut tx, author, "create", "decision", id, json!(d)).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// The register of published decisions, latest first.
pub async fn decisions(db: &Db) -> Result<Vec<Decision>, StoreError> {
    const SQL: &str = "SELECT id, body_id, meeting_id, title, decision, reasons, decided_by, \
        decided_on, published FROM decisions WHERE published ORDER BY decided_on DESC, id DESC";
    type Row = (
        i64,
        i64,
        Option<i64>,
        String,
        String,
        String,
        String,
        String,
        bool,
    );
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await)?;
    rows.into_iter()
        .map(|r| {
            Ok(Decision {
                decided_on: r
                    .7
                    .parse()
                    .map_err(|_| StoreError::Invalid(format!("decision {} has a bad date", r.0)))?,
                id: r.0,
                body_id: r.1,
                meeting_id: r.2,
                title: r.3,
                decision: r.4,
                reasons: r.5,
                decided_by: r.6,
                published: r.8,
            })
        })
        .collect()
}

/// An item of a body's forward work plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkPlanItem {
    /// The month it is planned for.
    pub planned_for: safer_core::police::YearMonth,
    /// What.
    pub title: String,
    /// Who leads it.
    pub lead: String,
}

/// Plans an item for a future meeting.
pub async fn plan_item(
    db: &Db,
    author: &Author,
    body_id: i64,
    item: &WorkPlanItem,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO work_plan_items (body_id, planned_for, title, lead) \
        VALUES ($1, $2, $3, $4) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(body_id)
        .bind(item.planned_for.to_string())
        .bind(&item.title)
        .bind(&item.lead)
        .fetch_one(c)
        .await)?;
    let event = audited(&mut tx, author, "create", "work_plan_item", id, json!(item)).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// A body's work plan, by month.
pub async fn work_plan(db: &Db, body_id: i64) -> Result<Vec<WorkPlanItem>, StoreError> {
    const SQL: &str = "SELECT planned_for, title, lead FROM work_plan_items WHERE body_id = $1 \
        ORDER BY planned_for, id";
    let rows: Vec<(String, String, String)> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(body_id).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, title, lead)| {
            Some(WorkPlanItem {
                planned_for: safer_core::police::YearMonth::parse(&m)?,
                title,
                lead,
            })
        })
        .collect())
}

/// A dated step taken on an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionUpdate {
    /// When.
    pub recorded_on: Date,
    /// The action's status after it.
    pub status: ActionStatus,
    /// What was done.
    pub note: String,
}

/// The steps taken on the actions `action_ids` of the body `body_id`, ordered by action and
/// then as recorded. One query over the body's steps, not one per action.
pub async fn action_updates(
    db: &Db,
    body_id: i64,
    action_ids: &[i64],
) -> Result<Vec<(i64, ActionUpdate)>, StoreError> {
    const SQL: &str = "SELECT u.action_id, u.recorded_on, u.status, u.note FROM action_updates u \
        JOIN actions a ON a.id = u.action_id WHERE a.body_id = $1 \
        ORDER BY u.action_id, u.recorded_on, u.id";
    let wanted: std::collections::HashSet<i64> = action_ids.iter().copied().collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String, String, String)> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(body_id).fetch_all(c).await)?;
    let mut out = Vec::new();
    for (action_id, on, status, note) in rows {
        if !wanted.contains(&action_id) {
            continue;
        }
        let bad = || StoreError::Invalid(format!("action update of {action_id} is malformed"));
        out.push((
            action_id,
            ActionUpdate {
                recorded_on: on.parse().map_err(|_| bad())?,
                status: ActionStatus::parse(&status).ok_or_else(bad)?,
                note,
            },
        ));
    }
    Ok(out)
}

/// One action.
pub async fn action(db: &Db, id: i64) -> Result<Option<Action>, StoreError> {
    const SQL: &str = concat!(action_select!(), "WHERE a.id = $1");
    let row: Option<ActionRow> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(id).fetch_optional(c).await)?;
    row.map(action_from).transpose()
}

/// A member of a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Their name.
    pub name: String,
    /// Their role on the body, such as "Chair" or "Independent member".
    pub role: String,
    /// When their term began, where known.
    pub term_from: Option<Date>,
    /// When it ends, where set.
    pub term_to: Option<Date>,
}

/// Sets a body's members, replacing the list before.
pub async fn set_members(
    db: &Db,
    author: &Author,
    body_id: i64,
    members: &[Member],
) -> Result<(), StoreError> {
    const CLEAR: &str = "DELETE FROM body_members WHERE body_id = $1";
    const ADD: &str = "INSERT INTO body_members (body_id, position, name, role, term_from, \
        term_to) VALUES ($1, $2, $3, $4, $5, $6)";
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(CLEAR)
        .bind(body_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    for (i, m) in members.iter().enumerate() {
        with_tx!(&mut tx, |c| sqlx::query(ADD)
            .bind(body_id)
            .bind(i as i64 + 1)
            .bind(&m.name)
            .bind(&m.role)
            .bind(m.term_from.map(|d| d.to_string()))
            .bind(m.term_to.map(|d| d.to_string()))
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let event = audited(
        &mut tx,
        author,
        "update",
        "body_members",
        body_id,
        json!(members),
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// A body's members, in the order set.
pub async fn members(db: &Db, body_id: i64) -> Result<Vec<Member>, StoreError> {
    const SQL: &str = "SELECT name, role, term_from, term_to FROM body_members \
        WHERE body_id = $1 ORDER BY position";
    let rows: Vec<(String, String, Option<String>, Option<String>)> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(body_id).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(name, role, from, to)| Member {
            name,
            role,
            term_from: from.and_then(|d| d.parse().ok()),
            term_to: to.and_then(|d| d.parse().ok()),
        })
        .collect())
}

/// An interest declared on an item of the notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Declaration {
    /// The item.
    pub minute_item_id: i64,
    /// Who declared it.
    pub member: String,
    /// The interest.
    pub interest: String,
}

/// Records an interest declared on an item.
pub async fn declare(db: &Db, author: &Author, d: &Declaration) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO declarations (minute_item_id, member, interest) \
        VALUES ($1, $2, $3) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(d.minute_item_id)
        .bind(&d.member)
        .bind(&d.interest)
        .fetch_one(c)
        .await)?;
    let event = audited(&mut tx, author, "create", "declaration", id, json!(d)).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// The interests declared on a meeting's items.
pub async fn declarations(db: &Db, meeting_id: i64) -> Result<Vec<Declaration>, StoreError> {
    const SQL: &str = "SELECT d.minute_item_id, d.member, d.interest FROM declarations d \
        JOIN minute_items i ON i.id = d.minute_item_id WHERE i.meeting_id = $1 ORDER BY d.id";
    let rows: Vec<(i64, String, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(meeting_id)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(minute_item_id, member, interest)| Declaration {
            minute_item_id,
            member,
            interest,
        })
        .collect())
}
