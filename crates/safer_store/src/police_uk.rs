//! police.uk records: each file's rows, kept for drill-down, and its street rows counted by
//! month, LSOA and category for the measures.
//!
//! A file is the unit of replacement: [`begin_file`] removes what an earlier import of the same
//! force, month and kind held, inside the caller's transaction, so a re-issued month replaces
//! the old one whole or not at all.

use crate::areas::{Area, AreaKind};
use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_tx};
use crate::error::StoreError;
use safer_core::police::{
    CrimeCategory, CrimeOutcome, FileName, StopSearch, StreetCrime, YearMonth,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Rows per INSERT statement: few enough for SQLite's limit on bound values (32,766), many
/// enough that statements cost little per row.
pub const BATCH: usize = 1_000;

/// Splits rows for multi-row INSERTs into chunks of `max`, then of a tenth of that, and so on
/// down to one. Each size is one statement text, so the few shapes stay in the connection's
/// statement cache; a chunk of any length would be prepared afresh, and preparing a
/// thousand-row statement costs more than running it.
pub(crate) fn statement_chunks<T>(rows: &[T], max: usize) -> impl Iterator<Item = &[T]> {
    let mut rest = rows;
    let mut size = max.max(1);
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        while size > 1 && rest.len() < size {
            size /= 10;
        }
        let (chunk, tail) = rest.split_at(size.clamp(1, rest.len()));
        rest = tail;
        Some(chunk)
    })
}

/// Street rows grouped by month, LSOA (or none) and category.
#[derive(Debug, Clone, Default)]
pub struct StreetCounts {
    /// By LSOA code ("" for no location), so that a row is found without allocating a key.
    by_lsoa: HashMap<String, Vec<(YearMonth, CrimeCategory, StreetGroup)>>,
}

impl StreetCounts {
    /// Adds a row to its group.
    pub fn add(&mut self, row: &StreetCrime<'_>) {
        let code = row.lsoa.map_or("", |(code, _)| code);
        let groups = match self.by_lsoa.get_mut(code) {
            Some(groups) => groups,
            None => self.by_lsoa.entry(code.to_owned()).or_default(),
        };
        let index = match groups
            .iter()
            .position(|(m, c, _)| *m == row.month && *c == row.category)
        {
            Some(i) => i,
            None => {
                groups.push((row.month, row.category, StreetGroup::default()));
                groups.len() - 1
            }
        };
        groups[index].2.push(row);
    }

    /// The groups: (month, LSOA code or none, category, group).
    pub fn groups(
        &self,
    ) -> impl Iterator<Item = (YearMonth, Option<&str>, CrimeCategory, &StreetGroup)> {
        self.by_lsoa.iter().flat_map(|(code, groups)| {
            let code = (!code.is_empty()).then_some(code.as_str());
            groups.iter().map(move |(m, c, g)| (*m, code, *c, g))
        })
    }
}

/// The street rows of one month, LSOA and category: how many, and the rows themselves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreetGroup {
    /// Rows.
    pub count: i64,
    /// The rows as stored, without the enclosing brackets: comma-separated JSON arrays of
    /// [crime_id, location, outcome, longitude, latitude].
    records: Vec<u8>,
}

impl StreetGroup {
    /// Adds a row.
    pub fn push(&mut self, row: &StreetCrime<'_>) {
        if self.count > 0 {
            self.records.push(b',');
        }
        let (longitude, latitude) = point_parts(row.point);
        let record = (row.crime_id, row.location, row.outcome, longitude, latitude);
        // Writing strings and numbers to memory cannot fail.
        let _ = serde_json::to_writer(&mut self.records, &record);
        self.count += 1;
    }

    fn records_text(&self) -> &str {
        // serde_json writes UTF-8 only.
        std::str::from_utf8(&self.records).unwrap_or("")
    }
}

/// One street row as kept for drill-down.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StreetRecord {
    /// police.uk's Crime ID, absent for anti-social behaviour.
    pub crime_id: Option<String>,
    /// "On or near …".
    pub location: String,
    /// The latest outcome.
    pub outcome: Option<String>,
    /// Anonymised longitude.
    pub longitude: Option<f64>,
    /// Anonymised latitude.
    pub latitude: Option<f64>,
}

type RecordTuple = (
    Option<String>,
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
);

fn parse_records(json: &str) -> Result<Vec<StreetRecord>, StoreError> {
    let tuples: Vec<RecordTuple> = serde_json::from_str(json)
        .map_err(|e| StoreError::Invalid(format!("stored street rows are not readable: {e}")))?;
    Ok(tuples
        .into_iter()
        .map(
            |(crime_id, location, outcome, longitude, latitude)| StreetRecord {
                crime_id,
                location,
                outcome,
                longitude,
                latitude,
            },
        )
        .collect())
}

/// What one police.uk file holds, read and ready to store.
#[derive(Debug, Clone, Copy)]
pub enum FileRows<'a> {
    /// A street-level file: its rows are the groups counted in its [`FileTotals`].
    Street,
    /// An outcomes file's rows.
    Outcomes(&'a [CrimeOutcome]),
    /// A stop-and-search file's rows.
    StopAndSearch(&'a [StopSearch]),
}

/// Stores one police.uk file in one transaction: what the same force, month and kind held
/// before is replaced, its rows go in, and its audit event is written before the commit, so a
/// file that fails or is killed midway leaves the month as it was. `stored` is told how many
/// rows each statement stored.
pub async fn store_file(
    db: &Db,
    name: &FileName,
    file_name: &str,
    rows: FileRows<'_>,
    totals: &FileTotals,
    author: &Author,
    stored: &mut dyn FnMut(u64),
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let file_id = begin_file(&mut tx, name, file_name).await?;
    match rows {
        FileRows::Street => {
            let groups: Vec<_> = totals.counts.groups().collect();
            for chunk in groups.chunks(BATCH) {
                insert_street_groups(&mut tx, file_id, chunk).await?;
                stored(chunk.iter().map(|g| g.3.count as u64).sum());
            }
        }
        FileRows::Outcomes(rows) => {
            for chunk in rows.chunks(BATCH) {
                insert_outcomes(&mut tx, file_id, chunk).await?;
                stored(chunk.len() as u64);
            }
        }
        FileRows::StopAndSearch(rows) => {
            for chunk in rows.chunks(BATCH) {
                insert_stop_searches(&mut tx, file_id, chunk).await?;
                stored(chunk.len() as u64);
            }
        }
    }
    let event = finish_file(&mut tx, file_id, name, totals, author).await?;
    tx.commit(event).await
}

/// Starts replacing one file's data: deletes what the same force, month and kind held before
/// and records the file. Returns the new file's id.
pub(crate) async fn begin_file(
    tx: &mut Tx,
    name: &FileName,
    file_name: &str,
) -> Result<i64, StoreError> {
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

/// Adds outcome rows to a file begun with [`begin_file`].
pub(crate) async fn insert_outcomes(
    tx: &mut Tx,
    file_id: i64,
    rows: &[CrimeOutcome],
) -> Result<(), StoreError> {
    for chunk in statement_chunks(rows, BATCH) {
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
pub(crate) async fn insert_stop_searches(
    tx: &mut Tx,
    file_id: i64,
    rows: &[StopSearch],
) -> Result<(), StoreError> {
    // 17 values a row: half the batch keeps within SQLite's limit.
    for chunk in statement_chunks(rows, BATCH / 2) {
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
    /// For street files: rows grouped by month, LSOA and category (stored with
    /// [`insert_street_groups`]).
    pub counts: StreetCounts,
    /// The LSOAs the file names, with their names, so areas not in a lookup can still be shown.
    pub lsoa_names: HashMap<String, String>,
}

/// One group of street rows, as [`StreetCounts::groups`] gives it.
pub type GroupRef<'a> = (YearMonth, Option<&'a str>, CrimeCategory, &'a StreetGroup);

/// Adds groups of street rows to a file begun with [`begin_file`]: at most [`BATCH`] at a time.
pub(crate) async fn insert_street_groups(
    tx: &mut Tx,
    file_id: i64,
    groups: &[GroupRef<'_>],
) -> Result<(), StoreError> {
    for chunk in statement_chunks(groups, BATCH) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO street_counts (file_id, month, lsoa_code, category, row_count, records) ",
            );
            q.push_values(chunk, |mut b, (month, lsoa, category, group)| {
                b.push_bind(file_id)
                    .push_bind(month.to_string())
                    .push_bind(*lsoa)
                    .push_bind(category.slug())
                    .push_bind(group.count)
                    // The database adds the brackets, saving a copy of every group's rows here.
                    .push_unseparated(", '[' || ")
                    .push_bind_unseparated(group.records_text())
                    .push_unseparated(" || ']'");
            });
            q.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Finishes a file: the names of the LSOAs it met, its totals, and the audit event.
pub(crate) async fn finish_file(
    tx: &mut Tx,
    file_id: i64,
    name: &FileName,
    totals: &FileTotals,
    author: &Author,
) -> Result<audit::Audited, StoreError> {
    let names: Vec<_> = totals.lsoa_names.iter().collect();
    for chunk in statement_chunks(&names, BATCH) {
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

/// For checking an import, a force's month: street rows counted, street rows kept for
/// drill-down, outcome rows and stop-and-search rows.
pub async fn row_counts(db: &Db, force: &str, month: &str) -> Result<[i64; 4], StoreError> {
    const SQL: &str = "SELECT \
        (SELECT CAST(COALESCE(SUM(n.row_count), 0) AS BIGINT) FROM street_counts n JOIN police_uk_files f ON f.id = n.file_id WHERE f.force = $1 AND f.month = $2), \
        (SELECT COUNT(*) FROM crime_outcomes o JOIN police_uk_files f ON f.id = o.file_id WHERE f.force = $1 AND f.month = $2), \
        (SELECT COUNT(*) FROM stop_searches t JOIN police_uk_files f ON f.id = t.file_id WHERE f.force = $1 AND f.month = $2)";
    const RECORDS: &str = "SELECT n.records FROM street_counts n JOIN police_uk_files f ON f.id = n.file_id \
        WHERE f.force = $1 AND f.month = $2";
    let (counted, outcomes, searches): (i64, i64, i64) = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(force)
        .bind(month)
        .fetch_one(c)
        .await)?;
    let groups: Vec<String> = with_conn!(db, |c| sqlx::query_scalar(RECORDS)
        .bind(force)
        .bind(month)
        .fetch_all(c)
        .await)?;
    let mut kept = 0;
    for json in &groups {
        kept += parse_records(json)?.len() as i64;
    }
    Ok([counted, kept, outcomes, searches])
}

/// The street rows located in one LSOA in a month, from every force's files, with their
/// categories: the records behind an LSOA's count.
pub async fn lsoa_records(
    db: &Db,
    lsoa_code: &str,
    month: YearMonth,
) -> Result<Vec<(CrimeCategory, StreetRecord)>, StoreError> {
    const SQL: &str = "SELECT category, records FROM street_counts \
        WHERE lsoa_code = $1 AND month = $2 ORDER BY category";
    let groups: Vec<(String, String)> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(lsoa_code)
        .bind(month.to_string())
        .fetch_all(c)
        .await)?;
    let mut out = Vec::new();
    for (category, json) in &groups {
        let category = CrimeCategory::from_slug(category).ok_or_else(|| {
            StoreError::Invalid(format!(
                "street_counts holds an unknown category {category:?}"
            ))
        })?;
        out.extend(parse_records(json)?.into_iter().map(|r| (category, r)));
    }
    Ok(out)
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
    level: AreaKind,
) -> Result<Vec<AreaMonthCount>, StoreError> {
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

/// Street rows counted by month and category, within one area and optionally by the areas at a
/// lower level within it; with the months each contributing force has a street file for, so
/// that a month with no file reads as missing and a month with a file but no rows as zero.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreetCountsWithin {
    /// (area at the level asked for, or `None` when not grouped; month; category; rows).
    pub counts: Vec<(Option<String>, YearMonth, CrimeCategory, i64)>,
    /// The months for which a force whose rows lie in the area has a street file, in order.
    pub months: Vec<YearMonth>,
}

/// The expression for the code of the area at `level` a street row's LSOA lies in, over the
/// joins in [`street_counts_within`]. Fixed strings only: they are formatted into SQL.
fn area_at(level: AreaKind) -> &'static str {
    match level {
        AreaKind::Lsoa => "n.lsoa_code",
        AreaKind::Ward => "lsoa.parent_code",
        AreaKind::LocalAuthority => "w.parent_code",
        AreaKind::Csp => "la.parent_code",
        AreaKind::Force => "csp.parent_code",
    }
}

/// Street rows within `within` (through the LSOA → ward → local authority → CSP → force
/// chain, never the file's "Falls within"), by month and category, and by the areas at `by`.
pub async fn street_counts_within(
    db: &Db,
    within: &Area,
    by: Option<AreaKind>,
) -> Result<StreetCountsWithin, StoreError> {
    // PostgreSQL refuses a constant in GROUP BY, so the ungrouped form selects a typed NULL
    // and groups without it.
    let (group, group_by) = match by {
        Some(level) => (area_at(level), format!("{}, ", area_at(level))),
        None => ("CAST(NULL AS TEXT)", String::new()),
    };
    // Safe to format: both expressions are fixed strings from `area_at`, never input.
    let sql = format!(
        "SELECT {group}, f.force, n.month, n.category, CAST(SUM(n.row_count) AS BIGINT) \
         FROM street_counts n JOIN police_uk_files f ON f.id = n.file_id \
         LEFT JOIN areas lsoa ON lsoa.code = n.lsoa_code \
         LEFT JOIN areas w ON w.code = lsoa.parent_code \
         LEFT JOIN areas la ON la.code = w.parent_code \
         LEFT JOIN areas csp ON csp.code = la.parent_code \
         WHERE {filter} = $1 GROUP BY {group_by}f.force, n.month, n.category",
        filter = area_at(within.kind),
    );
    type Row = (Option<String>, String, String, String, i64);
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&within.code)
        .fetch_all(c)
        .await)?;
    let mut forces: Vec<String> = Vec::new();
    let mut counts = Vec::with_capacity(rows.len());
    for (area, force, month, category, n) in rows {
        let (Some(month), Some(category)) = (
            YearMonth::parse(&month),
            CrimeCategory::from_slug(&category),
        ) else {
            return Err(StoreError::Invalid(format!(
                "street_counts holds an unknown month {month:?} or category {category:?}"
            )));
        };
        if !forces.contains(&force) {
            forces.push(force);
        }
        counts.push((area, month, category, n));
    }
    let mut months = Vec::new();
    for force in &forces {
        const SQL: &str = "SELECT month FROM police_uk_files WHERE force = $1 AND kind = 'street'";
        let found: Vec<String> = with_conn!(db, |c| sqlx::query_scalar(SQL)
            .bind(force)
            .fetch_all(c)
            .await)?;
        months.extend(found.iter().filter_map(|m| YearMonth::parse(m)));
    }
    months.sort_unstable();
    months.dedup();
    Ok(StreetCountsWithin { counts, months })
}

/// Street rows in one month and category set within an area, by LSOA, most first: what lies
/// behind a count.
pub async fn lsoa_counts_within(
    db: &Db,
    within: &Area,
    month: YearMonth,
    categories: &[CrimeCategory],
) -> Result<Vec<LsoaCount>, StoreError> {
    let sql = format!(
        "SELECT n.lsoa_code, lsoa.name, n.category, CAST(SUM(n.row_count) AS BIGINT) \
         FROM street_counts n \
         LEFT JOIN areas lsoa ON lsoa.code = n.lsoa_code \
         LEFT JOIN areas w ON w.code = lsoa.parent_code \
         LEFT JOIN areas la ON la.code = w.parent_code \
         LEFT JOIN areas csp ON csp.code = la.parent_code \
         WHERE {filter} = $1 AND n.month = $2 GROUP BY n.lsoa_code, lsoa.name, n.category",
        filter = area_at(within.kind),
    );
    type Row = (Option<String>, Option<String>, String, i64);
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
        .bind(&within.code)
        .bind(month.to_string())
        .fetch_all(c)
        .await)?;
    let mut out: Vec<LsoaCount> = Vec::new();
    for (code, name, category, n) in rows {
        let counted = CrimeCategory::from_slug(&category).is_some_and(|c| categories.contains(&c));
        let (Some(code), true) = (code, counted) else {
            continue;
        };
        match out.iter_mut().find(|l| l.code == code) {
            Some(l) => l.count += n,
            None => out.push(LsoaCount {
                name: name.unwrap_or_else(|| code.clone()),
                code,
                count: n,
            }),
        }
    }
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// One LSOA's rows behind a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LsoaCount {
    /// The LSOA's code.
    pub code: String,
    /// Its name ("Worcester 012C"), or its code where no name is known.
    pub name: String,
    /// Rows.
    pub count: i64,
}

/// Stop and search records of a police.uk force by month, with every month the force has a
/// stop and search file for (a month with a file and no searches is zero, not missing).
pub async fn stop_search_counts(db: &Db, force: &str) -> Result<Vec<(YearMonth, i64)>, StoreError> {
    const SQL: &str = "SELECT f.month, CAST(COUNT(s.file_id) AS BIGINT) FROM police_uk_files f \
        LEFT JOIN stop_searches s ON s.file_id = f.id \
        WHERE f.force = $1 AND f.kind = 'stop-and-search' GROUP BY f.month ORDER BY f.month";
    let rows: Vec<(String, i64)> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(force).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, n)| Some((YearMonth::parse(&m)?, n)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::statement_chunks;

    #[test]
    fn chunks_come_in_a_few_sizes() {
        let rows: Vec<usize> = (0..2_876).collect();
        let sizes: Vec<usize> = statement_chunks(&rows, 1_000).map(<[_]>::len).collect();
        assert_eq!(sizes.iter().sum::<usize>(), 2_876);
        assert!(
            sizes.iter().all(|s| [1_000, 100, 10, 1].contains(s)),
            "{sizes:?}"
        );
        assert_eq!(&sizes[..3], &[1_000, 1_000, 100]);
        assert_eq!(statement_chunks(&rows[..0], 1_000).count(), 0);
        assert_eq!(
            statement_chunks(&rows[..7], 500)
                .map(<[_]>::len)
                .collect::<Vec<_>>(),
            [5, 1, 1]
        );
    }
}
