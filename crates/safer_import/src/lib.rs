//! Imports into safer: police.uk files ([`police_uk`]) and the ONS geography lookups and
//! populations ([`ons`]), and the runs that store them ([`run`]).
//!
//! **Invariants:** a file is read as a stream, so memory does not grow with the number or size
//! of files; a malformed row is a [`Problem`] naming its file and line and the rest of the file
//! is still imported; a police.uk file replaces what an earlier import of the same force, month
//! and kind held in one transaction, so an import that fails or is killed leaves the previous
//! data as it was.

pub mod demo;
pub mod observations;
pub mod ons;
pub mod police_uk;
pub mod run;

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// Opens a file for reading, decompressing it when its name ends in `.gz` (the demo ships its
/// police.uk files and lookups gzipped).
pub fn open(path: &Path) -> std::io::Result<Box<dyn Read + Send>> {
    let file = BufReader::with_capacity(1 << 16, File::open(path)?);
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::GzDecoder::new(file),
        )))
    } else {
        Ok(Box::new(file))
    }
}

/// A whole text file, decompressed when its name ends in `.gz`.
pub fn read_text(path: &Path) -> Result<String, FileError> {
    let unreadable = |e: std::io::Error| FileError::Unreadable {
        file: path.display().to_string(),
        message: e.to_string(),
    };
    let mut text = String::new();
    open(path)
        .and_then(|mut r| r.read_to_string(&mut text))
        .map_err(unreadable)?;
    Ok(text)
}

/// A file's name without a `.gz` ending: what the file is named for.
pub fn plain_name(path: &Path) -> &str {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.strip_suffix(".gz").unwrap_or(name)
}

/// A row that could not be imported: where it is, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as named on the command line.
    pub file: String,
    /// The line number, counting the header as line 1.
    pub line: u64,
    /// What is wrong, in words that say what to fix.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, line {}: {}", self.file, self.line, self.message)
    }
}

/// A whole file that could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// It could not be opened or read.
    #[error("{file} could not be read: {message}")]
    Unreadable {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// Its header is not that of the kind of file its name says.
    #[error(
        "{file} is not a police.uk {kind} file: its header is \"{found}\" where \"{expected}\" was expected"
    )]
    Header {
        /// The file.
        file: String,
        /// The kind its name says.
        kind: &'static str,
        /// The header that kind has.
        expected: String,
        /// The header found.
        found: String,
    },
    /// Storing what it held failed.
    #[error("the database failed: {0}")]
    Store(#[from] safer_store::StoreError),
    /// Its content is not in the expected form.
    #[error("{file}: {message}")]
    Content {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}
