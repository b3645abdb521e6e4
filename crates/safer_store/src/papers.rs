//! Papers for agenda items, and their sections with live blocks frozen at publication.
//!
//! Publishing takes the blocks as the web layer rendered them and stores them in the same
//! transaction that marks the paper published, after locking the paper's row (an UPDATE that
//! only a draft satisfies), so a section added meanwhile cannot slip in unfrozen: adding one
//! takes the same lock and refuses a published paper.

use crate::audit::Author;
use crate::audit::audited;
use crate::boards::Audience;
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use safer_core::papers::LiveBlock;
use serde::Serialize;
use serde_json::json;

/// A paper with its sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paper {
    /// Its id.
    pub id: i64,
    /// The agenda item it is for.
    pub agenda_item_id: i64,
    /// The meeting.
    pub meeting_id: i64,
    /// The item's number on the agenda.
    pub item_position: i64,
    /// The item's title.
    pub item_title: String,
    /// Whether the item is exempt from publication.
    #[serde(skip)]
    pub item_exempt: bool,
    /// Whether the meeting's agenda is published.
    #[serde(skip)]
    pub agenda_published: bool,
    /// Its title.
    pub title: String,
    /// Whether it is published (and so frozen).
    pub published: bool,
    /// When it was published.
    pub published_at: Option<String>,
    /// Its sections, in order.
    pub sections: Vec<PaperSection>,
}

impl Paper {
    /// Whether anyone may read it: published, for a public item of a published agenda.
    pub fn is_public(&self) -> bool {
        self.published && !self.item_exempt && self.agenda_published
    }

    /// The day it was published (UTC), if it is.
    pub fn published_on(&self) -> Option<jiff::civil::Date> {
        self.published_at.as_deref()?.get(..10)?.parse().ok()
    }
}

/// A section of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaperSection {
    /// Its id.
    pub id: i64,
    /// Its place in the paper, from 1.
    pub position: i64,
    /// Its heading, or empty.
    pub heading: String,
    /// Its text: paragraphs separated by blank lines.
    pub body: String,
    /// The live block it carries, if any.
    pub block: Option<LiveBlock>,
    /// The block as published; `None` while the paper is a draft.
    pub frozen_html: Option<String>,
}

macro_rules! paper_select {
    () => {
        "SELECT p.id, p.agenda_item_id, a.meeting_id, a.position, a.title, a.exempt, \
         m.agenda_status, p.title, p.status, p.published_at FROM papers p \
         JOIN agenda_items a ON a.id = p.agenda_item_id JOIN meetings m ON m.id = a.meeting_id "
    };
}
macro_rules! section_select {
    () => {
        "SELECT s.id, s.paper_id, s.position, s.heading, s.body, s.block, s.block_ref, \
         s.frozen_html FROM paper_sections s "
    };
}

type PaperRow = (
    i64,
    i64,
    i64,
    i64,
    String,
    bool,
    String,
    String,
    String,
    Option<String>,
);
type SectionRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn assemble(papers: Vec<PaperRow>, sections: Vec<SectionRow>) -> Result<Vec<Paper>, StoreError> {
    let mut out: Vec<Paper> = papers
        .into_iter()
        .map(|r| Paper {
            id: r.0,
            agenda_item_id: r.1,
            meeting_id: r.2,
            item_position: r.3,
            item_title: r.4,
            item_exempt: r.5,
            agenda_published: r.6 == "published",
            title: r.7,
            published: r.8 == "published",
            published_at: r.9,
            sections: Vec::new(),
        })
        .collect();
    for s in sections {
        let block = LiveBlock::from_stored(&s.5, &s.6)
            .map_err(|e| StoreError::Invalid(format!("paper section {}: {e}", s.0)))?;
        if let Some(paper) = out.iter_mut().find(|p| p.id == s.1) {
            paper.sections.push(PaperSection {
                id: s.0,
                position: s.2,
                heading: s.3,
                body: s.4,
                block,
                frozen_html: s.7,
            });
        }
    }
    Ok(out)
}

/// A paper, whoever may see it; callers check [`Paper::is_public`] or the viewer's organisation.
pub async fn paper(db: &Db, id: i64) -> Result<Option<Paper>, StoreError> {
    let papers: Vec<PaperRow> = with_conn!(db, |c| sqlx::query_as(concat!(
        paper_select!(),
        "WHERE p.id = $1"
    ))
    .bind(id)
    .fetch_all(c)
    .await)?;
    let sections: Vec<SectionRow> = with_conn!(db, |c| sqlx::query_as(concat!(
        section_select!(),
        "WHERE s.paper_id = $1 ORDER BY s.position"
    ))
    .bind(id)
    .fetch_all(c)
    .await)?;
    Ok(assemble(papers, sections)?.pop())
}

/// A meeting's papers in agenda order, as `audience` may see them: the public sees only
/// [`Paper::is_public`] ones.
pub async fn meeting_papers(
    db: &Db,
    meeting_id: i64,
    audience: Audience,
) -> Result<Vec<Paper>, StoreError> {
    let papers: Vec<PaperRow> = with_conn!(db, |c| sqlx::query_as(concat!(
        paper_select!(),
        "WHERE a.meeting_id = $1 ORDER BY a.position, p.id"
    ))
    .bind(meeting_id)
    .fetch_all(c)
    .await)?;
    let sections: Vec<SectionRow> = with_conn!(db, |c| sqlx::query_as(concat!(
        section_select!(),
        "JOIN papers p ON p.id = s.paper_id JOIN agenda_items a ON a.id = p.agenda_item_id \
         WHERE a.meeting_id = $1 ORDER BY s.paper_id, s.position"
    ))
    .bind(meeting_id)
    .fetch_all(c)
    .await)?;
    let mut papers = assemble(papers, sections)?;
    if audience == Audience::Public {
        papers.retain(Paper::is_public);
    }
    Ok(papers)
}

/// Starts a draft paper for an agenda item.
pub async fn create_paper(
    db: &Db,
    author: &Author,
    agenda_item_id: i64,
    title: &str,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO papers (agenda_item_id, title, status, created_at) \
        VALUES ($1, $2, 'draft', $3) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(agenda_item_id)
        .bind(title)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let after = json!({ "agenda_item_id": agenda_item_id, "title": title });
    let event = audited(&mut tx, author, "create", "paper", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Locks a draft paper's row for the rest of the transaction; a published or missing paper is
/// refused.
async fn lock_draft(tx: &mut Tx, paper_id: i64) -> Result<(), StoreError> {
    const LOCK: &str = "UPDATE papers SET title = title WHERE id = $1 AND status = 'draft'";
    const EXISTS: &str = "SELECT COUNT(*) FROM papers WHERE id = $1";
    let locked = with_tx!(tx, |c| sqlx::query(LOCK)
        .bind(paper_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if locked == 1 {
        return Ok(());
    }
    let exists: i64 = with_tx!(tx, |c| sqlx::query_scalar(EXISTS)
        .bind(paper_id)
        .fetch_one(c)
        .await)?;
    if exists == 0 {
        Err(StoreError::NotFound)
    } else {
        Err(StoreError::Invalid(
            "the paper is published, and a published paper does not change".into(),
        ))
    }
}

/// Adds a section at the end of a draft paper.
pub async fn add_section(
    db: &Db,
    author: &Author,
    paper_id: i64,
    heading: &str,
    body: &str,
    block: Option<&LiveBlock>,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO paper_sections (paper_id, position, heading, body, block, block_ref) \
        VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM paper_sections WHERE paper_id = $1), \
        $2, $3, $4, $5) RETURNING id";
    let (kind, reference) = LiveBlock::stored(block);
    let mut tx = db.begin().await?;
    lock_draft(&mut tx, paper_id).await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(paper_id)
        .bind(heading)
        .bind(body)
        .bind(kind)
        .bind(&reference)
        .fetch_one(c)
        .await)?;
    let after =
        json!({ "paper_id": paper_id, "heading": heading, "block": kind, "block_ref": reference });
    let event = audited(&mut tx, author, "create", "paper_section", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Publishes a draft paper with each live block as rendered now (`frozen`: section id and
/// HTML, one for every section with a block). Refused when the paper has no sections, is
/// already published, or gained or lost a block since `frozen` was rendered.
pub async fn publish_paper(
    db: &Db,
    author: &Author,
    paper_id: i64,
    frozen: &[(i64, String)],
) -> Result<(), StoreError> {
    const SECTIONS: &str = "SELECT id, block FROM paper_sections WHERE paper_id = $1 ORDER BY id";
    const FREEZE: &str =
        "UPDATE paper_sections SET frozen_html = $1 WHERE id = $2 AND paper_id = $3";
    const PUBLISH: &str = "UPDATE papers SET status = 'published', published_at = $1 WHERE id = $2";
    let mut tx = db.begin().await?;
    lock_draft(&mut tx, paper_id).await?;
    let sections: Vec<(i64, String)> = with_tx!(&mut tx, |c| sqlx::query_as(SECTIONS)
        .bind(paper_id)
        .fetch_all(c)
        .await)?;
    if sections.is_empty() {
        return Err(StoreError::Invalid(
            "add at least one section before publishing the paper".into(),
        ));
    }
    let mut with_blocks: Vec<i64> = sections
        .iter()
        .filter(|(_, block)| block != "none")
        .map(|(id, _)| *id)
        .collect();
    let mut given: Vec<i64> = frozen.iter().map(|(id, _)| *id).collect();
    with_blocks.sort_unstable();
    given.sort_unstable();
    if with_blocks != given {
        return Err(StoreError::Invalid(
            "the paper changed while it was being published; publish it again".into(),
        ));
    }
    for (section_id, html) in frozen {
        with_tx!(&mut tx, |c| sqlx::query(FREEZE)
            .bind(html)
            .bind(section_id)
            .bind(paper_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let now = now_text();
    with_tx!(&mut tx, |c| sqlx::query(PUBLISH)
        .bind(&now)
        .bind(paper_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = json!({ "published_at": now, "frozen_blocks": frozen.len() });
    let event = audited(&mut tx, author, "publish", "paper", paper_id, after).await?;
    tx.commit(event).await?;
    Ok(())
}
