//! Files attached to a bid, served only to those who may read the bid.

use super::*;
use crate::audit::Author;
use crate::audit::audited;
use crate::clock::now_text;
use crate::db::{Db, with_conn, with_tx};
use crate::error::StoreError;
use safer_core::access::ReadScope;
use serde::Serialize;
use serde_json::json;

/// An attachment as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    /// Its id.
    pub id: i64,
    /// The file's name as uploaded.
    pub file_name: String,
    /// Its size in bytes.
    pub size_bytes: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
}

/// An attachment's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentFile {
    /// The bid it belongs to.
    pub bid_id: i64,
    /// The file's name as uploaded.
    pub file_name: String,
    /// The type it is served as.
    pub content_type: String,
    /// The bytes.
    pub content: Vec<u8>,
}

/// Attaches a file to a draft bid, made from `version`. The caller has checked the file's kind
/// and size ([`safer_core::bids::attachment_type`]).
pub async fn attach(
    db: &Db,
    author: &Author,
    bid_id: i64,
    version: i64,
    file_name: &str,
    content_type: &str,
    content: &[u8],
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO bid_attachments (bid_id, file_name, content_type, size_bytes, \
        content, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let size = i64::try_from(content.len())
        .map_err(|_| StoreError::Invalid("the file is too large".into()))?;
    let mut tx = db.begin().await?;
    touch_draft(&mut tx, author, bid_id, version).await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(bid_id)
        .bind(file_name)
        .bind(content_type)
        .bind(size)
        .bind(content)
        .bind(&author.label)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let after = json!({ "bid_id": bid_id, "file_name": file_name, "size_bytes": size });
    let event = audited(&mut tx, author, "create", "bid_attachment", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// A bid's attachments, in the order they were added: none if `scope` may not read the bid.
pub async fn attachments(
    db: &Db,
    scope: &ReadScope,
    bid_id: i64,
) -> Result<Vec<AttachmentInfo>, StoreError> {
    if !parties(db, bid_id)
        .await?
        .is_some_and(|p| scope.reads_bid(&p))
    {
        return Ok(Vec::new());
    }
    const SQL: &str = "SELECT id, file_name, size_bytes, uploaded_by FROM bid_attachments \
        WHERE bid_id = $1 ORDER BY id";
    let rows: Vec<(i64, String, i64, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(bid_id)
        .fetch_all(c)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| AttachmentInfo {
            id: r.0,
            file_name: r.1,
            size_bytes: r.2,
            uploaded_by: r.3,
        })
        .collect())
}

/// An attachment's file, if `scope` may read its bid.
pub async fn attachment(
    db: &Db,
    scope: &ReadScope,
    id: i64,
) -> Result<Option<AttachmentFile>, StoreError> {
    const SQL: &str = "SELECT bid_id, file_name, content_type, content FROM bid_attachments \
        WHERE id = $1";
    let row: Option<(i64, String, String, Vec<u8>)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(id)
        .fetch_optional(c)
        .await?);
    let Some(row) = row else {
        return Ok(None);
    };
    if bid(db, scope, row.0).await?.is_none() {
        return Ok(None);
    }
    Ok(Some(AttachmentFile {
        bid_id: row.0,
        file_name: row.1,
        content_type: row.2,
        content: row.3,
    }))
}
