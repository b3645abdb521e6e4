//! Reviews of a submitted bid against the round's criteria (with any conflict of interest
//! declared), and the comments a board records on it.

use super::*;
use crate::audit::Author;
use crate::audit::audited;
use crate::clock::now_text;
use crate::db::{Db, with_conn, with_tx};
use crate::error::StoreError;
use safer_core::access::ReadScope;
use safer_core::bids::Review;
use serde_json::json;

/// Records a reviewer's view of a submitted bid, which is then under review. One review per
/// reviewer.
pub async fn review_bid(
    db: &Db,
    author: &Author,
    bid_id: i64,
    reviewer_id: i64,
    review: &Review,
) -> Result<i64, StoreError> {
    const INSERT: &str = "INSERT INTO bid_reviews (bid_id, reviewer_id, conflict, scores, comment, \
        created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    const STATE: &str =
        "UPDATE bids SET state = 'under_review' WHERE id = $1 AND state = 'submitted'";
    const AWAITS: &str =
        "SELECT COUNT(*) FROM bids WHERE id = $1 AND state IN ('submitted', 'under_review')";
    const DONE: &str = "SELECT COUNT(*) FROM bid_reviews WHERE bid_id = $1 AND reviewer_id = $2";
    let (conflict, scores, comment) = match review {
        Review::Conflict { interest } => (interest.as_str(), String::new(), ""),
        Review::Scored { scores, comment } => (
            "",
            scores
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(","),
            comment.as_str(),
        ),
    };
    let mut tx = db.begin().await?;
    let awaits: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(AWAITS)
        .bind(bid_id)
        .fetch_one(c)
        .await)?;
    if awaits == 0 {
        return Err(StoreError::Invalid(
            "only a submitted bid that is not yet decided can be reviewed".into(),
        ));
    }
    let done: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(DONE)
        .bind(bid_id)
        .bind(reviewer_id)
        .fetch_one(c)
        .await)?;
    if done > 0 {
        return Err(StoreError::Invalid(
            "you have already reviewed this bid".into(),
        ));
    }
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(INSERT)
        .bind(bid_id)
        .bind(reviewer_id)
        .bind(conflict)
        .bind(&scores)
        .bind(comment)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    with_tx!(&mut tx, |c| sqlx::query(STATE)
        .bind(bid_id)
        .execute(c)
        .await
        .map(|_| ()))?;
    let event = audited(
        &mut tx,
        author,
        "create",
        "bid_review",
        id,
        json!({ "bid_id": bid_id, "review": review }),
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// A bid's reviews, in the order they were made, if `scope` may read them (`None` otherwise):
/// the OPCC's, never the applicant's.
pub async fn reviews(
    db: &Db,
    scope: &ReadScope,
    bid_id: i64,
) -> Result<Option<Vec<ReviewRecord>>, StoreError> {
    if !parties(db, bid_id)
        .await?
        .is_some_and(|p| scope.reads_reviews(&p))
    {
        return Ok(None);
    }
    const SQL: &str = "SELECT v.reviewer_id, u.display_name, v.conflict, v.scores, v.comment, \
        v.created_at FROM bid_reviews v JOIN users u ON u.id = v.reviewer_id WHERE v.bid_id = $1 \
        ORDER BY v.id";
    type Row = (i64, String, String, String, String, String);
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(bid_id)
        .fetch_all(c)
        .await?);
    Ok(Some(
        rows.into_iter()
            .map(|r| ReviewRecord {
                reviewer_id: r.0,
                reviewer_name: r.1,
                review: if r.2.is_empty() {
                    Review::Scored {
                        scores: r.3.split(',').filter_map(|s| s.parse().ok()).collect(),
                        comment: r.4,
                    }
                } else {
                    Review::Conflict { interest: r.2 }
                },
                created_at: r.5,
            })
            .collect(),
    ))
}

/// Records a board's comment on a bid against the meeting that gave it.
pub async fn comment_on_bid(
    db: &Db,
    author: &Author,
    bid_id: i64,
    meeting_id: i64,
    comment: &str,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO bid_comments (bid_id, meeting_id, comment, created_at) \
        VALUES ($1, $2, $3, $4) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = with_tx!(&mut tx, |c| sqlx::query_scalar(SQL)
        .bind(bid_id)
        .bind(meeting_id)
        .bind(comment)
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let after = json!({ "bid_id": bid_id, "meeting_id": meeting_id, "comment": comment });
    let event = audited(&mut tx, author, "create", "bid_comment", id, after).await?;
    tx.commit(event).await?;
    Ok(id)
}

/// A bid's board comments, by meeting: none if `scope` may not read the bid.
pub async fn board_comments(
    db: &Db,
    scope: &ReadScope,
    bid_id: i64,
) -> Result<Vec<BoardComment>, StoreError> {
    if !parties(db, bid_id)
        .await?
        .is_some_and(|p| scope.reads_bid(&p))
    {
        return Ok(Vec::new());
    }
    const SQL: &str = "SELECT c.meeting_id, b.name, m.starts_at, c.comment FROM bid_comments c \
        JOIN meetings m ON m.id = c.meeting_id JOIN bodies b ON b.id = m.body_id \
        WHERE c.bid_id = $1 ORDER BY m.starts_at, c.id";
    let rows: Vec<(i64, String, String, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(bid_id)
        .fetch_all(c)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| BoardComment {
            meeting_id: r.0,
            body_name: r.1,
            meeting_starts_at: r.2,
            comment: r.3,
        })
        .collect())
}
