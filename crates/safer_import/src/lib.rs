//! Imports into safer: police.uk files ([`police_uk`]) and the ONS geography lookups and
//! populations ([`ons`]), and the runs that store them ([`run`]).
//!
//! **Invariants:** a file is read as a stream, so memory does not grow with the number or size
//! of files; a malformed row is a [`Problem`] naming its file and line and the rest of the file
//! is still imported; a police.uk file replaces what an earlier import of the same force, month
//! and kind held in one transaction, so an import that fails or is killed leaves the previous
//! data as it was.

pub mod ons;
pub mod police_uk;
pub mod run;

use std::fmt;

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
    /// Its content is not in the expected form.
    #[error("{file}: {message}")]
    Content {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}
