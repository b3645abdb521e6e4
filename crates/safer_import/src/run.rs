//! Import runs: find the police.uk files among the paths given, and store each in its own
//! transaction, reporting progress as it goes.

use crate::police_uk::{self, Records, Rows};
use crate::{FileError, Problem};
use safer_core::police::{CrimeOutcome, FileName, StopSearch, StreetCrime};
use safer_store::police_uk::{self as police_uk_store, FileRows, FileTotals};
use safer_store::{Author, Db, StoreError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Progress is reported every this many rows read, and stored, within a file.
pub const PROGRESS_EVERY: u64 = 50_000;

/// What an import run tells the person running it, as it happens.
#[derive(Debug)]
pub enum Event<'a> {
    /// A file is being read.
    Started {
        /// The file.
        file: &'a str,
    },
    /// Rows read so far in a file.
    Rows {
        /// The file.
        file: &'a str,
        /// How many.
        rows: u64,
    },
    /// Rows stored so far of a file, in its transaction.
    Stored {
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
    /// The first [`PROBLEMS_SHOWN`](safer_core::limits::PROBLEMS_SHOWN) problems; the rest are
    /// only counted.
    pub problems: Vec<Problem>,
    /// Street rows of anti-social behaviour.
    pub anti_social_behaviour: u64,
    /// Rows with no location, which count only at force level.
    pub no_location: u64,
    /// How long it took to read and to store.
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
    /// LSOAs no lookup holds, placed in a local authority by their names.
    pub placed_by_name: safer_store::areas::Placement,
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
        match FileName::parse(crate::plain_name(&path)) {
            Some(parsed) => found.push((path, parsed)),
            None if !path.exists() => skipped.push((path, "there is no such file".to_owned())),
            None => skipped.push((
                path,
                "not named as police.uk names its files, YYYY-MM-<force>-street.csv, -outcomes.csv or -stop-and-search.csv (each may be gzipped, .csv.gz)".to_owned(),
            )),
        }
    }
    found.sort_by(|a, b| (&a.1.force, a.1.month, a.1.kind).cmp(&(&b.1.force, b.1.month, b.1.kind)));
    skipped.sort();
    (found, skipped)
}

/// What the reading thread sends the writer.
enum Message {
    Started(String),
    Rows(String, u64),
    Read(Box<Read>),
    Failed(String, FileError),
}

/// A file read whole, ready to store.
struct Read {
    report: FileReport,
    content: Content,
    totals: FileTotals,
}

enum Content {
    Street,
    Outcomes(Vec<CrimeOutcome>),
    StopAndSearch(Vec<StopSearch>),
}

/// Imports the police.uk files among `paths`. Each file replaces what the same force, month and
/// kind held before, in one transaction. A file that cannot be read is reported and the others
/// still imported; a database error stops the run.
///
/// One thread reads and parses files while this task stores the one before, so the two halves
/// of the work overlap. At most two files are held at once, so memory does not grow with the
/// number of files.
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
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Message>(4);
    let reader = std::thread::spawn(move || {
        for (path, name) in files {
            let file = path.display().to_string();
            if sender
                .blocking_send(Message::Started(file.clone()))
                .is_err()
            {
                return;
            }
            let message = match read_file(&path, &file, &name, &sender) {
                Ok(read) => Message::Read(Box::new(read)),
                Err(error) => Message::Failed(file, error),
            };
            // The writer has stopped (a database error): stop reading.
            if sender.blocking_send(message).is_err() {
                return;
            }
        }
    });
    // LSOAs whose names this run has stored: later files of the same area need not again.
    let mut named = std::collections::HashSet::new();
    while let Some(message) = receiver.recv().await {
        match message {
            Message::Started(file) => on_event(Event::Started { file: &file }),
            Message::Rows(file, rows) => on_event(Event::Rows { file: &file, rows }),
            Message::Failed(file, error) => {
                on_event(Event::Failed {
                    file: &file,
                    error: &error,
                });
                report.failed.push((file, error.to_string()));
            }
            Message::Read(mut read) => {
                read.totals
                    .lsoa_names
                    .retain(|code, _| !named.contains(code));
                named.extend(read.totals.lsoa_names.keys().cloned());
                let done = store_file(db, *read, author, on_event).await?;
                on_event(Event::Finished(&done));
                report.files.push(done);
            }
        }
    }
    // The reader has sent everything; it cannot have panicked without closing the channel first.
    let _ = reader.join();
    report.placed_by_name = safer_store::areas::place_lsoas_by_name(db, author).await?;
    Ok(report)
}

/// Reads and parses one file whole; reports progress through `sender`.
fn read_file(
    path: &Path,
    file: &str,
    name: &FileName,
    sender: &tokio::sync::mpsc::Sender<Message>,
) -> Result<Read, FileError> {
    let started = Instant::now();
    let reader = crate::open(path, safer_core::limits::POLICE_UK_FILE_BYTES)
        .map_err(|e| FileError::unreadable(path, &e))?;
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
    let mut totals = FileTotals::default();
    let mut progress = |report: &FileReport| {
        if report.rows.is_multiple_of(PROGRESS_EVERY) {
            let _ = sender.blocking_send(Message::Rows(report.file.clone(), report.rows));
        }
    };
    let unreadable = |message: &str| FileError::Unreadable {
        file: file.to_owned(),
        message: message.to_owned(),
    };
    let content = match police_uk::read(file, name, reader)? {
        Records::Street(mut rows) => {
            while let Some(row) = rows.next_row() {
                match row {
                    Ok(row) => {
                        report.rows += 1;
                        tally(&mut totals, &mut report, &row);
                        progress(&report);
                    }
                    Err(problem) => reject(&mut report, problem),
                }
            }
            if let Some(message) = rows.read_error() {
                return Err(unreadable(message));
            }
            Content::Street
        }
        Records::Outcomes(mut rows) => {
            let mut kept = Vec::new();
            read_rows(&mut rows, &mut report, &mut progress, |row, report| {
                report.no_location += u64::from(row.point.is_none());
                kept.push(row);
            });
            if let Some(message) = rows.read_error() {
                return Err(unreadable(message));
            }
            Content::Outcomes(kept)
        }
        Records::StopAndSearch(mut rows) => {
            let mut kept = Vec::new();
            read_rows(&mut rows, &mut report, &mut progress, |row, report| {
                report.no_location += u64::from(row.point.is_none());
                kept.push(row);
            });
            if let Some(message) = rows.read_error() {
                return Err(unreadable(message));
            }
            Content::StopAndSearch(kept)
        }
    };
    report.elapsed = started.elapsed();
    Ok(Read {
        report,
        content,
        totals,
    })
}

/// Reads every row, keeping problems in the report and handing records to `keep`.
fn read_rows<R: std::io::BufRead, T>(
    rows: &mut Rows<R, T>,
    report: &mut FileReport,
    progress: &mut dyn FnMut(&FileReport),
    mut keep: impl FnMut(T, &mut FileReport),
) {
    for row in rows {
        match row {
            Ok(record) => {
                report.rows += 1;
                keep(record, report);
                progress(report);
            }
            Err(problem) => reject(report, problem),
        }
    }
}

/// Counts a row that could not be imported, keeping the first few problems.
fn reject(report: &mut FileReport, problem: Problem) {
    report.rejected += 1;
    if report.problems.len() < safer_core::limits::PROBLEMS_SHOWN {
        report.problems.push(problem);
    }
}

/// Stores a file read whole, in one transaction.
async fn store_file(
    db: &Db,
    read: Read,
    author: &Author,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<FileReport, StoreError> {
    let started = Instant::now();
    let Read {
        mut report,
        content,
        mut totals,
    } = read;
    totals.rows = i64::try_from(report.rows).unwrap_or(i64::MAX);
    totals.rejected = i64::try_from(report.rejected).unwrap_or(i64::MAX);
    let rows = match &content {
        Content::Street => FileRows::Street,
        Content::Outcomes(rows) => FileRows::Outcomes(rows),
        Content::StopAndSearch(rows) => FileRows::StopAndSearch(rows),
    };
    let mut stored = 0u64;
    let mut stored_more = |n: u64| {
        let before = stored;
        stored += n;
        if stored / PROGRESS_EVERY > before / PROGRESS_EVERY {
            on_event(Event::Stored {
                file: &report.file,
                rows: stored,
            });
        }
    };
    police_uk_store::store_file(
        db,
        &report.name,
        &report.file,
        rows,
        &totals,
        author,
        &mut stored_more,
    )
    .await?;
    report.elapsed += started.elapsed();
    Ok(report)
}

/// Counts a street row for the measures and keeps it for drill-down.
fn tally(totals: &mut FileTotals, report: &mut FileReport, row: &StreetCrime<'_>) {
    if !row.category.is_crime() {
        report.anti_social_behaviour += 1;
    }
    if row.lsoa.is_none() {
        report.no_location += 1;
    }
    totals.counts.add(row);
    if let Some((code, name)) = row.lsoa
        && !totals.lsoa_names.contains_key(code)
    {
        totals.lsoa_names.insert(code.to_owned(), name.to_owned());
    }
}
