//! Import runs: find the police.uk files among the paths given, and store each in its own
//! transaction, reporting progress as it goes.

use crate::police_uk::{self, Records, Rows};
use crate::{FileError, Problem};
use safer_core::police::{FileName, StreetCrime};
use safer_store::police_uk::{BATCH, FileTotals};
use safer_store::{Author, Db, StoreError, Tx};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// At most this many problems are kept per file; the rest are only counted.
pub const PROBLEMS_KEPT: usize = 50;

/// Progress is reported every this many rows within a file.
pub const PROGRESS_EVERY: u64 = 50_000;

/// What an import run tells the person running it, as it happens.
#[derive(Debug)]
pub enum Event<'a> {
    /// A file is being read.
    Started {
        /// The file.
        file: &'a str,
    },
    /// Rows read so far in the current file.
    Rows {
        /// The file.
        file: &'a str,
        /// How many.
        rows: u64,
    },
    /// A file is stored.
    Finished(&'a FileReport),
    /// A file could not be imported at all; nothing of it was stored.
    Failed {
        /// The file.
        file: &'a str,
        /// Why.
        error: &'a FileError,
    },
    /// A path was passed over.
    Skipped {
        /// The path.
        path: &'a Path,
        /// Why.
        reason: &'a str,
    },
}

/// What was stored from one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The file.
    pub file: String,
    /// What its name says.
    pub name: FileName,
    /// Rows stored.
    pub rows: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// The first [`PROBLEMS_KEPT`] problems.
    pub problems: Vec<Problem>,
    /// Street rows of anti-social behaviour.
    pub anti_social_behaviour: u64,
    /// Rows with no location, which count only at force level.
    pub no_location: u64,
    /// How long it took.
    pub elapsed: Duration,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// The files stored.
    pub files: Vec<FileReport>,
    /// The files that could not be imported.
    pub failed: Vec<(String, String)>,
    /// Paths passed over.
    pub skipped: Skipped,
}

impl Report {
    /// Rows stored in all.
    pub fn rows(&self) -> u64 {
        self.files.iter().map(|f| f.rows).sum()
    }

    /// Rows rejected in all.
    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }
}

/// Paths passed over, with why.
pub type Skipped = Vec<(PathBuf, String)>;

/// The police.uk files among `paths` (files, or folders searched to any depth), in name order,
/// and the paths passed over.
pub fn find_files(paths: &[PathBuf]) -> (Vec<(PathBuf, FileName)>, Skipped) {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let mut pending: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(entries) => pending.extend(entries.filter_map(|e| e.ok().map(|e| e.path()))),
                Err(e) => skipped.push((path, format!("the folder could not be read: {e}"))),
            }
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        match FileName::parse(name) {
            Some(parsed) => found.push((path, parsed)),
            None if !path.exists() => skipped.push((path, "there is no such file".to_owned())),
            None => skipped.push((
                path,
                "not named as police.uk names its files, YYYY-MM-<force>-street.csv, -outcomes.csv or -stop-and-search.csv".to_owned(),
            )),
        }
    }
    found.sort_by(|a, b| (&a.1.force, a.1.month, a.1.kind).cmp(&(&b.1.force, b.1.month, b.1.kind)));
    skipped.sort();
    (found, skipped)
}

/// Imports the police.uk files among `paths`. Each file replaces what the same force, month and
/// kind held before, in one transaction. A file that cannot be read is reported and the others
/// still imported; a database error stops the run.
pub async fn import_police_uk(
    db: &Db,
    paths: &[PathBuf],
    author: &Author,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, StoreError> {
    let (files, skipped) = find_files(paths);
    let mut report = Report::default();
    for (path, reason) in skipped {
        on_event(Event::Skipped {
            path: &path,
            reason: &reason,
        });
        report.skipped.push((path, reason));
    }
    for (path, name) in files {
        let file = path.display().to_string();
        on_event(Event::Started { file: &file });
        match import_file(db, &path, &file, &name, author, on_event).await? {
            Ok(done) => {
                on_event(Event::Finished(&done));
                report.files.push(done);
            }
            Err(error) => {
                on_event(Event::Failed {
                    file: &file,
                    error: &error,
                });
                report.failed.push((file, error.to_string()));
            }
        }
    }
    Ok(report)
}

/// One file, in one transaction. The outer error is the database's; the inner, the file's.
async fn import_file(
    db: &Db,
    path: &Path,
    file: &str,
    name: &FileName,
    author: &Author,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Result<FileReport, FileError>, StoreError> {
    let started = Instant::now();
    let reader = match File::open(path) {
        Ok(f) => BufReader::with_capacity(1 << 16, f),
        Err(e) => {
            return Ok(Err(FileError::Unreadable {
                file: file.to_owned(),
                message: e.to_string(),
            }));
        }
    };
    let records = match police_uk::read(file, name.kind, reader) {
        Ok(records) => records,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = db.begin().await?;
    let file_id = safer_store::police_uk::begin_file(&mut tx, name, file).await?;
    let mut totals = FileTotals::default();
    let mut report = FileReport {
        file: file.to_owned(),
        name: name.clone(),
        rows: 0,
        rejected: 0,
        problems: Vec::new(),
        anti_social_behaviour: 0,
        no_location: 0,
        elapsed: Duration::ZERO,
    };
    match records {
        Records::Street(rows) => {
            store(&mut tx, rows, &mut report, on_event, |tx, batch, report| {
                for row in batch.iter() {
                    tally(&mut totals, report, row);
                }
                Box::pin(safer_store::police_uk::insert_street(tx, file_id, batch))
            })
            .await?
        }
        Records::Outcomes(rows) => {
            store(&mut tx, rows, &mut report, on_event, |tx, batch, report| {
                report.no_location += batch.iter().filter(|r| r.point.is_none()).count() as u64;
                Box::pin(safer_store::police_uk::insert_outcomes(tx, file_id, batch))
            })
            .await?
        }
        Records::StopAndSearch(rows) => {
            store(&mut tx, rows, &mut report, on_event, |tx, batch, report| {
                report.no_location += batch.iter().filter(|r| r.point.is_none()).count() as u64;
                Box::pin(safer_store::police_uk::insert_stop_searches(
                    tx, file_id, batch,
                ))
            })
            .await?
        }
    }
    totals.rows = i64::try_from(report.rows).unwrap_or(i64::MAX);
    totals.rejected = i64::try_from(report.rejected).unwrap_or(i64::MAX);
    safer_store::police_uk::finish_file(&mut tx, file_id, name, &totals, author).await?;
    tx.commit().await?;
    report.elapsed = started.elapsed();
    Ok(Ok(report))
}

/// Counts a street row for the measures.
fn tally(totals: &mut FileTotals, report: &mut FileReport, row: &StreetCrime) {
    if !row.category.is_crime() {
        report.anti_social_behaviour += 1;
    }
    if row.lsoa.is_none() {
        report.no_location += 1;
    }
    let lsoa = row.lsoa.as_ref().map(|l| l.code.clone());
    *totals
        .counts
        .entry((row.month.to_string(), lsoa, row.category))
        .or_insert(0) += 1;
    if let Some(l) = &row.lsoa
        && !totals.lsoa_names.contains_key(&l.code)
    {
        totals.lsoa_names.insert(l.code.clone(), l.name.clone());
    }
}

type Insert<'t> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>> + 't>>;

/// Reads rows in batches and hands each batch to `insert`; problems are kept in the report.
async fn store<R: Read, T>(
    tx: &mut Tx,
    mut rows: Rows<R, T>,
    report: &mut FileReport,
    on_event: &mut dyn FnMut(Event<'_>),
    mut insert: impl for<'t> FnMut(&'t mut Tx, &'t [T], &mut FileReport) -> Insert<'t>,
) -> Result<(), StoreError> {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        for row in rows.by_ref().take(BATCH) {
            match row {
                Ok(record) => batch.push(record),
                Err(problem) => {
                    report.rejected += 1;
                    if report.problems.len() < PROBLEMS_KEPT {
                        report.problems.push(problem);
                    }
                }
            }
        }
        if batch.is_empty() && rows.is_finished() {
            return Ok(());
        }
        let before = report.rows;
        report.rows += batch.len() as u64;
        insert(tx, &batch, report).await?;
        if report.rows / PROGRESS_EVERY > before / PROGRESS_EVERY {
            on_event(Event::Rows {
                file: &report.file,
                rows: report.rows,
            });
        }
    }
}
