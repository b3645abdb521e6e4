//! Imports into safer: police.uk files ([`police_uk`]) and the ONS geography lookups and
//! populations ([`ons`]), and the runs that store them ([`run`]).
//!
//! **Invariants:** a file is read as a stream, so memory does not grow with the number or size
//! of files; a malformed row is a [`Problem`] naming its file and line and the rest of the file
//! is still imported; a police.uk file replaces what an earlier import of the same force, month
//! and kind held in one transaction, so an import that fails or is killed leaves the previous
//! data as it was.

pub mod csv_lines;
pub mod demo;
pub mod observations;
pub mod ons;
pub mod police_uk;
pub mod run;

use safer_core::limits;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A reader that gives at most `limit` bytes and fails, saying so, if there are more: what
/// keeps a gzip bomb or a huge file from being read whole.
pub struct Bounded<R> {
    inner: R,
    left: u64,
    limit: u64,
}

/// The error a [`Bounded`] reader fails with when its input is over the limit.
#[derive(Debug, thiserror::Error)]
#[error("it is larger than {}, the most safer reads of such a file", limits::size(*.0))]
pub struct TooLarge(pub u64);

impl<R: Read> Bounded<R> {
    /// Wraps `inner`, allowing `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        Bounded {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: one more byte means the input is too large.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    TooLarge(self.limit),
                )),
            };
        }
        let most = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..most])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Opens a file for reading, decompressing it when its name ends in `.gz` (the demo ships its
/// police.uk files and lookups gzipped). Reading fails once more than `limit` bytes have come
/// out, decompressed.
pub fn open(path: &Path, limit: u64) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = BufReader::with_capacity(1 << 16, File::open(path)?);
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            Bounded::new(flate2::read::GzDecoder::new(file), limit),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            Bounded::new(file, limit),
        )))
    }
}

/// A whole file as bytes, decompressed when its name ends in `.gz`, refused past `limit`.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let mut bytes = Vec::new();
    open(path, limit)
        .and_then(|mut r| r.read_to_end(&mut bytes))
        .map_err(|e| FileError::unreadable(path, &e))?;
    Ok(bytes)
}

/// A whole text file, decompressed when its name ends in `.gz`, refused past `limit`.
pub fn read_text(path: &Path, limit: u64) -> Result<String, FileError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|e| FileError::Content {
        file: path.display().to_string(),
        message: format!(
            "is not UTF-8 text: byte {} is not part of a character",
            e.utf8_error().valid_up_to() + 1
        ),
    })
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

impl FileError {
    /// A file that could not be read: its size over a limit, or an error from the disk.
    pub fn unreadable(path: &Path, e: &std::io::Error) -> FileError {
        FileError::Unreadable {
            file: path.display().to_string(),
            message: e.to_string(),
        }
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
    /// Storing what it held failed, or the store refused it (the message says why).
    #[error(transparent)]
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
