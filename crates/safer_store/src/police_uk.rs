//! police.uk records: each file's rows, kept for drill-down, and its street rows counted by
//! month, LSOA and category for the measures.
//!
//! A file is the unit of replacement: [`begin_file`] removes what an earlier import of the same
//! force, month and kind held, inside the caller's transaction, so a re-issued month replaces
//! the old one whole or not at all.

use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use safer_core::police::{CrimeCategory, CrimeOutcome, FileName, StopSearch, StreetCrime};
use serde_json::json;
use std::collections::HashMap;

/// Rows per INSERT statement: few enough for SQLite's limit on bound values (32,766), many
/// enough that statements cost little per row.
pub const BATCH: usize = 1_000;

/// Street rows counted by (month, LSOA code or none, category).
pub type StreetCounts = HashMap<(String, Option<String>, CrimeCategory), i64>;

/// Starts replacing one file's data: deletes what the same force, month and kind held before
/// and records the file. Returns the new file's id.
pub async fn begin_file(tx: &mut Tx, name: &FileName, file_name: &str) -> Result<i64, StoreError> {
    let (force, month, kind) = (&name.force, name.month.to_string(), name.kind.suffix());
    let previous: Option<i64> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM police_uk_files WHERE force = $1 AND month = $2 AND kind = $3"
    )
    .bind(force)
    .bind(&month)
    .bind(kind)
    .fetch_optional(c)
    .await)?;
    if let Some(id) = previous {
        for sql in [
            "DELETE FROM street_crimes WHERE file_id = $1",
            "DELETE FROM street_counts WHERE file_id = $1",
            "DELETE FROM crime_outcomes WHERE file_id = $1",
            "DELETE FROM stop_searches WHERE file_id = $1",
            "DELETE FROM police_uk_files WHERE id = $1",
        ] {
            with_tx!(tx, |c| sqlx::query(sql)
                .bind(id)
                .execute(c)
                .await
                .map(|r| r.rows_affected()))?;
        }
    }
    let id = with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO police_uk_files (force, month, kind, file_name, row_count, rejected_count, imported_at) \
         VALUES ($1, $2, $3, $4, 0, 0, $5) RETURNING id"
    )
    .bind(force)
    .bind(&month)
    .bind(kind)
    .bind(file_name)
    .bind(now_text())
    .fetch_one(c)
    .await
    })?;
    Ok(id)
}

fn point_parts(point: Option<(f64, f64)>) -> (Option<f64>, Option<f64>) {
    (point.map(|p| p.0), point.map(|p| p.1))
}

/// Adds street rows to a file begun with [`begin_file`].
pub async fn insert_street(
    tx: &mut Tx,
    file_id: i64,
    rows: &[StreetCrime],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(BATCH) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO street_crimes (file_id, month, category, crime_id, longitude, latitude, location, lsoa_code, outcome) ",
            );
            q.push_values(chunk, |mut b, row| {
                let (longitude, latitude) = point_parts(row.point);
                b.push_bind(file_id)
                    .push_bind(row.month.to_string())
                    .push_bind(row.category.slug())
                    .push_bind(row.crime_id.as_deref())
                    .push_bind(longitude)
                    .push_bind(latitude)
                    .push_bind(row.location.as_str())
                    .push_bind(row.lsoa.as_ref().map(|l| l.code.as_str()))
                    .push_bind(row.outcome.as_deref());
            });
            q.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Adds outcome rows to a file begun with [`begin_file`].
pub async fn insert_outcomes(
    tx: &mut Tx,
    file_id: i64,
    rows: &[CrimeOutcome],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(BATCH) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO crime_outcomes (file_id, month, crime_id, longitude, latitude, location, lsoa_code, outcome) ",
            );
            q.push_values(chunk, |mut b, row| {
                let (longitude, latitude) = point_parts(row.point);
                b.push_bind(file_id)
                    .push_bind(row.month.to_string())
                    .push_bind(row.crime_id.as_deref())
                    .push_bind(longitude)
                    .push_bind(latitude)
                    .push_bind(row.location.as_str())
                    .push_bind(row.lsoa.as_ref().map(|l| l.code.as_str()))
                    .push_bind(row.outcome.as_str());
            });
            q.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Adds stop-and-search rows to a file begun with [`begin_file`].
pub async fn insert_stop_searches(
    tx: &mut Tx,
    file_id: i64,
    rows: &[StopSearch],
) -> Result<(), StoreError> {
    // 17 values a row: half the batch keeps within SQLite's limit.
    for chunk in rows.chunks(BATCH / 2) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO stop_searches (file_id, month, occurred_at, search_type, part_of_operation, operation, \
                 longitude, latitude, gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, \
                 legislation, object_of_search, outcome, outcome_linked_to_object, removal_of_more_than_outer_clothing) ",
            );
            q.push_values(chunk, |mut b, row| {
                let (longitude, latitude) = point_parts(row.point);
                b.push_bind(file_id)
                    .push_bind(row.month.to_string())
                    .push_bind(row.occurred_at.as_str())
                    .push_bind(row.search_type.as_str())
                    .push_bind(row.part_of_operation)
                    .push_bind(row.operation.as_deref())
                    .push_bind(longitude)
                    .push_bind(latitude)
                    .push_bind(row.gender.as_deref())
                    .push_bind(row.age_range.as_deref())
                    .push_bind(row.self_defined_ethnicity.as_deref())
                    .push_bind(row.officer_defined_ethnicity.as_deref())
                    .push_bind(row.legislation.as_deref())
                    .push_bind(row.object_of_search.as_deref())
                    .push_bind(row.outcome.as_deref())
                    .push_bind(row.outcome_linked_to_object)
                    .push_bind(row.removal_of_more_than_outer_clothing);
            });
            q.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// What a finished file held.
#[derive(Debug, Clone, Default)]
pub struct FileTotals {
    /// Rows kept.
    pub rows: i64,
    /// Rows rejected as malformed.
    pub rejected: i64,
    /// For street files: rows counted by month, LSOA and category.
    pub counts: StreetCounts,
    /// The LSOAs the file names, with their names, so areas not in a lookup can still be shown.
    pub lsoa_names: HashMap<String, String>,
}

/// Finishes a file: its counts, the names of the LSOAs it met, its totals, and the audit event.
pub async fn finish_file(
    tx: &mut Tx,
    file_id: i64,
    name: &FileName,
    totals: &FileTotals,
    author: &Author,
) -> Result<(), StoreError> {
    let counts: Vec<_> = totals.counts.iter().collect();
    for chunk in counts.chunks(BATCH) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO street_counts (file_id, month, lsoa_code, category, row_count) ",
            );
            q.push_values(chunk, |mut b, ((month, lsoa, category), n)| {
                b.push_bind(file_id)
                    .push_bind(month.as_str())
                    .push_bind(lsoa.as_deref())
                    .push_bind(category.slug())
                    .push_bind(**n);
            });
            q.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    let names: Vec<_> = totals.lsoa_names.iter().collect();
    for chunk in names.chunks(BATCH) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO areas (code, kind, name, parent_code, population, vintage) ",
            );
            q.push_values(chunk, |mut b, (code, name)| {
                b.push_bind(code.as_str())
                    .push_bind("lsoa")
                    .push_bind(name.as_str())
                    .push_bind(None::<String>)
                    .push_bind(None::<i64>)
                    .push_bind("police.uk");
            });
            // A lookup names an LSOA by its code only; the files give it a name.
            q.push(
                " ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE areas.name = areas.code",
            );
            q.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    with_tx!(tx, |c| sqlx::query(
        "UPDATE police_uk_files SET row_count = $1, rejected_count = $2 WHERE id = $3"
    )
    .bind(totals.rows)
    .bind(totals.rejected)
    .bind(file_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    audit::record(
        tx,
        author,
        Change {
            action: "import",
            record_type: "police_uk_file",
            record_id: Some(file_id),
            organisation_id: None,
            before: None,
            after: Some(json!({
                "force": name.force,
                "month": name.month.to_string(),
                "kind": name.kind.suffix(),
                "rows": totals.rows,
                "rejected": totals.rejected,
            })),
        },
    )
    .await
}

/// One imported file, as listed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportedFile {
    /// Its id.
    pub id: i64,
    /// The force's police.uk id.
    pub force: String,
    /// `YYYY-MM`.
    pub month: String,
    /// `street`, `outcomes` or `stop-and-search`.
    pub kind: String,
    /// The file's name when imported.
    pub file_name: String,
    /// Rows kept.
    pub row_count: i64,
    /// Rows rejected.
    pub rejected_count: i64,
}

/// Every imported file, by force, kind and month.
pub async fn files(db: &Db) -> Result<Vec<ImportedFile>, StoreError> {
    const SQL: &str = "SELECT id, force, month, kind, file_name, row_count, rejected_count \
        FROM police_uk_files ORDER BY force, kind, month";
    Ok(with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await)?)
}

/// How many rows each table holds for a force and month (street, counted street, outcomes,
/// stop and search), for checking an import.
pub async fn row_counts(db: &Db, force: &str, month: &str) -> Result<[i64; 4], StoreError> {
    const SQL: &str = "SELECT \
        (SELECT COUNT(*) FROM street_crimes s JOIN police_uk_files f ON f.id = s.file_id WHERE f.force = $1 AND f.month = $2), \
        (SELECT CAST(COALESCE(SUM(n.row_count), 0) AS BIGINT) FROM street_counts n JOIN police_uk_files f ON f.id = n.file_id WHERE f.force = $1 AND f.month = $2), \
        (SELECT COUNT(*) FROM crime_outcomes o JOIN police_uk_files f ON f.id = o.file_id WHERE f.force = $1 AND f.month = $2), \
        (SELECT COUNT(*) FROM stop_searches t JOIN police_uk_files f ON f.id = t.file_id WHERE f.force = $1 AND f.month = $2)";
    let row: (i64, i64, i64, i64) = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(force)
        .bind(month)
        .fetch_one(c)
        .await)?;
    Ok([row.0, row.1, row.2, row.3])
}

/// Street rows of one force's files counted by month and by the area their LSOA lies in at one
/// level; rows with no location or an LSOA outside the lookups count under no area.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AreaMonthCount {
    /// The area's code, or none.
    pub area_code: Option<String>,
    /// The area's name, or none.
    pub area_name: Option<String>,
    /// `YYYY-MM`.
    pub month: String,
    /// Rows.
    pub row_count: i64,
}

/// Street rows of `force`'s files by month and by area at `level` (the roll-up of each row's
/// LSOA through ward, local authority and Community Safety Partnership to force area).
pub async fn street_counts_by_area(
    db: &Db,
    force: &str,
    level: crate::areas::AreaKind,
) -> Result<Vec<AreaMonthCount>, StoreError> {
    use crate::areas::AreaKind;
    // The alias of the join that is the wanted level.
    let alias = match level {
        AreaKind::Lsoa => "lsoa",
        AreaKind::Ward => "w",
        AreaKind::LocalAuthority => "la",
        AreaKind::Csp => "csp",
        AreaKind::Force => "pfa",
    };
    // Safe to format: the alias is one of the fixed names above, never input.
    let sql = format!(
        "SELECT {alias}.code AS area_code, {alias}.name AS area_name, n.month, \
         CAST(SUM(n.row_count) AS BIGINT) AS row_count \
         FROM street_counts n JOIN police_uk_files f ON f.id = n.file_id \
         LEFT JOIN areas lsoa ON lsoa.code = n.lsoa_code \
         LEFT JOIN areas w ON w.code = lsoa.parent_code \
         LEFT JOIN areas la ON la.code = w.parent_code \
         LEFT JOIN areas csp ON csp.code = la.parent_code \
         LEFT JOIN areas pfa ON pfa.code = csp.parent_code \
         WHERE f.force = $1 GROUP BY {alias}.code, {alias}.name, n.month \
         ORDER BY n.month, {alias}.name"
    );
    Ok(with_conn!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.as_str()
    ))
    .bind(force)
    .fetch_all(c)
    .await)?)
}
