//! CSV read a line at a time: each line is one record, split by csv's own parser into reused
//! buffers. A line longer than [`limits::CSV_LINE_BYTES`] is passed over without being held,
//! and a quote left open spoils only its own line, never the rows after it (the files safer
//! reads never break a field across lines). Line numbers count the header as line 1.

use crate::Problem;
use safer_core::limits;
use safer_core::numbers::thousands;
use std::io::BufRead;

/// One row's fields, split as CSV; `row[i]` is field `i`. Index only below [`Fields::len`].
#[derive(Debug, Default)]
pub struct Fields {
    text: String,
    /// Where each field starts and ends in `text`.
    spans: Vec<(usize, usize)>,
}

impl Fields {
    /// How many fields the row has.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the row has no fields.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Every field, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.spans.len()).map(|i| &self[i])
    }
}

impl std::ops::Index<usize> for Fields {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        let (start, end) = self.spans[i];
        &self.text[start..end]
    }
}

fn not_utf8(e: std::str::Utf8Error) -> String {
    format!(
        "is not UTF-8 text: byte {} is not part of a character",
        e.valid_up_to() + 1
    )
}

/// How one physical line of a file came out of [`read_line`].
enum Line {
    /// The line is in the buffer, without its line ending.
    Read,
    /// The line was longer than the limit; it was passed over. Its length in bytes.
    TooLong(u64),
    /// The end of the file.
    End,
}

/// Reads one line into `line` (cleared first), holding at most `max` bytes of it: a longer line
/// is read to its end and passed over, so no line can make the reader hold more than `max`.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>, max: usize) -> std::io::Result<Line> {
    line.clear();
    let mut length = 0u64;
    let mut any = false;
    loop {
        let buffer = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            break;
        }
        any = true;
        let (taken, done) = match memchr::memchr(b'\n', buffer) {
            Some(i) => (i, true),
            None => (buffer.len(), false),
        };
        length += taken as u64;
        if length <= max as u64 {
            line.extend_from_slice(&buffer[..taken]);
        }
        input.consume(taken + usize::from(done));
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::End);
    }
    if length > max as u64 {
        line.clear();
        return Ok(Line::TooLong(length));
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Line::Read)
}

/// A file's records after its header, read one line at a time into reused buffers. A row is
/// one line: police.uk never breaks a field across lines, so a quote left open is the row's
/// problem and cannot swallow the rows after it.
pub struct CsvLines<R: BufRead> {
    file: String,
    input: R,
    /// The line just read, counting the header as line 1.
    line_number: u64,
    line: Vec<u8>,
    parser: csv_core::Reader,
    unescaped: Vec<u8>,
    /// Where csv's parser says each field ends in `unescaped`.
    ends: Vec<usize>,
    /// The record just read.
    pub record: Fields,
    finished: bool,
    /// Why the file could not be read to its end, if it could not.
    pub read_error: Option<String>,
}

impl<R: BufRead> CsvLines<R> {
    /// Reads `input`; `file` names it in problems.
    pub fn new(file: &str, input: R) -> Self {
        CsvLines {
            file: file.to_owned(),
            input,
            line_number: 0,
            line: Vec::new(),
            parser: csv_core::ReaderBuilder::new()
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build(),
            unescaped: Vec::new(),
            ends: Vec::new(),
            record: Fields::default(),
            finished: false,
            read_error: None,
        }
    }

    /// Reads the next record into `self.record` and gives its line; a problem if it could not
    /// be read; `None` at the end. Empty lines are passed over.
    pub fn next_record(&mut self) -> Option<Result<u64, Problem>> {
        loop {
            if self.finished {
                return None;
            }
            let read = read_line(&mut self.input, &mut self.line, limits::CSV_LINE_BYTES);
            self.line_number += 1;
            let line = self.line_number;
            match read {
                Ok(Line::End) => {
                    self.finished = true;
                    return None;
                }
                Ok(Line::TooLong(length)) => {
                    return Some(Err(self.problem(
                        line,
                        format!(
                            "is {} bytes long, and a line may be at most {}: it was left out",
                            thousands(length),
                            limits::size(limits::CSV_LINE_BYTES as u64)
                        ),
                    )));
                }
                Ok(Line::Read) if self.line.is_empty() => continue,
                Ok(Line::Read) => {
                    return Some(
                        self.split()
                            .map(|()| line)
                            .map_err(|m| self.problem(line, m)),
                    );
                }
                Err(e) => {
                    // A failing disk, a cut-off gzip stream or a file over its size: the file
                    // cannot be had whole, so none of it may be stored.
                    self.finished = true;
                    self.read_error = Some(format!("line {line}: {e}"));
                    return None;
                }
            }
        }
    }

    /// Splits the line just read into `self.record`.
    fn split(&mut self) -> Result<(), String> {
        let quotes = memchr::memchr_iter(b'"', &self.line).count();
        if quotes % 2 == 1 {
            return Err(
                "has a quote (\") that is not closed: a field that starts with a quote must end with one"
                    .to_owned(),
            );
        }
        self.record.spans.clear();
        if quotes == 0 {
            // Most lines quote nothing: the fields are the line itself, cut at each comma, and
            // its bytes become the record's text without a copy.
            let mut start = 0;
            for comma in memchr::memchr_iter(b',', &self.line) {
                self.record.spans.push((start, comma));
                start = comma + 1;
            }
            self.record.spans.push((start, self.line.len()));
            let line = std::mem::take(&mut self.line);
            let previous = std::mem::take(&mut self.record.text).into_bytes();
            return match String::from_utf8(line) {
                Ok(text) => {
                    self.record.text = text;
                    self.line = previous;
                    Ok(())
                }
                Err(e) => {
                    let message = not_utf8(e.utf8_error());
                    self.line = e.into_bytes();
                    self.record.text = String::from_utf8(previous).unwrap_or_default();
                    self.record.spans.clear();
                    Err(message)
                }
            };
        }
        // Unescaping only shortens a field, and a line of n bytes has at most n + 1 fields.
        let needed = self.line.len() + 1;
        if self.unescaped.len() < needed {
            self.unescaped.resize(needed, 0);
        }
        if self.ends.len() < needed {
            self.ends.resize(needed, 0);
        }
        let (mut input, mut written, mut ends) = (&self.line[..], 0, 0);
        loop {
            let (result, read, out, end) = self.parser.read_record(
                input,
                &mut self.unescaped[written..],
                &mut self.ends[ends..],
            );
            input = &input[read..];
            written += out;
            ends += end;
            match result {
                // The line is all the record there is: an empty input says so.
                csv_core::ReadRecordResult::InputEmpty => continue,
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
                // Not reached: both buffers are sized for the worst case above.
                csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {
                    return Err("could not be split into fields".to_owned());
                }
            }
        }
        self.parser.reset();
        let text = std::str::from_utf8(&self.unescaped[..written]).map_err(not_utf8)?;
        self.record.text.clear();
        self.record.text.push_str(text);
        let mut start = 0;
        for &end in &self.ends[..ends] {
            self.record.spans.push((start, end));
            start = end;
        }
        Ok(())
    }

    /// A problem with line `line` of this file.
    pub fn problem(&self, line: u64, message: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_read_to_its_end_but_not_held() {
        let long = "A".repeat(limits::CSV_LINE_BYTES + 1);
        let mut line = Vec::new();
        let mut input = std::io::Cursor::new(format!("{long}\nok\r\n\nlast"));
        assert!(matches!(
            read_line(&mut input, &mut line, limits::CSV_LINE_BYTES),
            Ok(Line::TooLong(65_537))
        ));
        assert!(line.capacity() <= limits::CSV_LINE_BYTES + 1);
        assert!(matches!(
            read_line(&mut input, &mut line, 10),
            Ok(Line::Read)
        ));
        assert_eq!(line, b"ok");
        assert!(matches!(
            read_line(&mut input, &mut line, 10),
            Ok(Line::Read)
        ));
        assert_eq!(line, b"");
        assert!(matches!(
            read_line(&mut input, &mut line, 10),
            Ok(Line::Read)
        ));
        assert_eq!(line, b"last");
        assert!(matches!(
            read_line(&mut input, &mut line, 10),
            Ok(Line::End)
        ));
    }

    #[test]
    fn quoted_fields_are_unescaped_and_line_numbers_count_every_line() {
        let mut lines = CsvLines::new("f.csv", &b"a,b\r\n\r\n\"x, \"\"y\"\"\",z\n\xff\n"[..]);
        assert_eq!(lines.next_record().unwrap().unwrap(), 1);
        assert_eq!(lines.record.iter().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(lines.next_record().unwrap().unwrap(), 3);
        assert_eq!(lines.record.iter().collect::<Vec<_>>(), ["x, \"y\"", "z"]);
        let problem = lines.next_record().unwrap().unwrap_err();
        assert_eq!(
            problem.to_string(),
            "f.csv, line 4: is not UTF-8 text: byte 1 is not part of a character"
        );
        assert!(lines.next_record().is_none());
        assert!(lines.read_error.is_none());
    }
}
