//! Readers for the three police.uk files, one row at a time.
//!
//! Each reader checks the header, then yields every row as a record or a [`Problem`] naming the
//! file and line, so a malformed row is reported and the rest still read. The files' quirks are
//! accepted as published: CRLF or LF, a byte-order mark, anti-social behaviour rows with no Crime
//! ID, repeated Crime IDs, `No Location` rows, rows in other forces' areas, and stop-and-search
//! times in UTC, which are given the month they fall in in the UK.

use crate::{FileError, Problem};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use safer_core::police::{
    CrimeCategory, CrimeOutcome, FileKind, Lsoa, StopSearch, StreetCrime, YearMonth,
};
use std::io::Read;

/// The header of a street-level crime file.
pub const STREET_HEADER: [&str; 12] = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
];

/// The header of an outcomes file.
pub const OUTCOMES_HEADER: [&str; 10] = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
];

/// The header of a stop-and-search file.
pub const STOP_AND_SEARCH_HEADER: [&str; 15] = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
];

/// The header a kind of file has.
pub fn header(kind: FileKind) -> &'static [&'static str] {
    match kind {
        FileKind::Street => &STREET_HEADER,
        FileKind::Outcomes => &OUTCOMES_HEADER,
        FileKind::StopAndSearch => &STOP_AND_SEARCH_HEADER,
    }
}

/// A file's records after its header, read one at a time into one reused buffer.
struct RecordReader<R: Read> {
    file: String,
    reader: csv::Reader<LfOnly<R>>,
    record: csv::StringRecord,
    finished: bool,
}

impl<R: Read> RecordReader<R> {
    /// Reads the next record into `self.record` and gives its line; a problem if it could not
    /// be read; `None` at the end.
    fn next_record(&mut self) -> Option<Result<u64, Problem>> {
        if self.finished {
            return None;
        }
        match self.reader.read_record(&mut self.record) {
            Ok(false) => {
                self.finished = true;
                None
            }
            Ok(true) => Some(Ok(self.record.position().map_or(0, |p| p.line()))),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                // A bad byte spoils one row; a failing disk or a cut-off file ends the file.
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    self.finished = true;
                }
                Some(Err(self.problem(line, format!("could not be read: {e}"))))
            }
        }
    }

    fn problem(&self, line: u64, message: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line,
            message,
        }
    }
}

/// The rows of an outcomes or stop-and-search file, read as they are asked for.
pub struct Rows<R: Read, T> {
    records: RecordReader<R>,
    parse: fn(&csv::StringRecord) -> Result<T, String>,
}

/// The rows of a street-level file, each borrowed from the record just read: ask for the next
/// with [`StreetRows::next_row`] once done with the last.
pub struct StreetRows<R: Read> {
    records: RecordReader<R>,
}

impl<R: Read> StreetRows<R> {
    /// The next row, a problem with it, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Result<StreetCrime<'_>, Problem>> {
        match self.records.next_record()? {
            Ok(line) => {
                Some(street(&self.records.record).map_err(|m| self.records.problem(line, m)))
            }
            Err(problem) => Some(Err(problem)),
        }
    }
}

/// Passes bytes through with each CRLF made LF. The csv reader accepts both, but counts lines
/// one short after a CRLF, and the line numbers in messages must be right.
pub struct LfOnly<R> {
    inner: R,
    /// A CR ended the last read; whether it is dropped depends on the next byte.
    pending_cr: bool,
}

impl<R: Read> LfOnly<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Self {
        LfOnly {
            inner,
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for LfOnly<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.len() < 2 {
            return self.inner.read(buf);
        }
        loop {
            let start = usize::from(self.pending_cr);
            let n = self.inner.read(&mut buf[start..])?;
            if self.pending_cr {
                buf[0] = b'\r';
                self.pending_cr = false;
            }
            let total = start + n;
            if n == 0 || !buf[..total].contains(&b'\r') {
                return Ok(total);
            }
            let mut kept = 0;
            for i in 0..total {
                let byte = buf[i];
                if byte == b'\r' {
                    if i + 1 == total {
                        self.pending_cr = true;
                        continue;
                    }
                    if buf[i + 1] == b'\n' {
                        continue;
                    }
                }
                buf[kept] = byte;
                kept += 1;
            }
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

/// Opens a file's rows after checking its header is the one `kind` of file has.
fn records<R: Read>(file: &str, kind: FileKind, reader: R) -> Result<RecordReader<R>, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(LfOnly::new(reader));
    let mut record = csv::StringRecord::new();
    let read = reader
        .read_record(&mut record)
        .map_err(|e| FileError::Unreadable {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
    let found: Vec<&str> = record
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = f.trim();
            if i == 0 {
                f.trim_start_matches('\u{feff}')
            } else {
                f
            }
        })
        .collect();
    let expected = header(kind);
    if !read || found != expected {
        return Err(FileError::Header {
            file: file.to_owned(),
            kind: kind.label(),
            expected: expected.join(","),
            found: found.join(","),
        });
    }
    Ok(RecordReader {
        file: file.to_owned(),
        reader,
        record,
        finished: false,
    })
}

impl<R: Read, T> Iterator for Rows<R, T> {
    type Item = Result<T, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.records.next_record()? {
            Ok(line) => {
                Some((self.parse)(&self.records.record).map_err(|m| self.records.problem(line, m)))
            }
            Err(problem) => Some(Err(problem)),
        }
    }
}

/// The records of one police.uk file, by kind.
pub enum Records<R: Read> {
    /// A street-level crime file.
    Street(StreetRows<R>),
    /// An outcomes file.
    Outcomes(Rows<R, CrimeOutcome>),
    /// A stop-and-search file.
    StopAndSearch(Rows<R, StopSearch>),
}

/// Starts reading a police.uk file of the given kind; `file` names it in messages.
pub fn read<R: Read>(file: &str, kind: FileKind, reader: R) -> Result<Records<R>, FileError> {
    Ok(match kind {
        FileKind::Street => Records::Street(read_street(file, reader)?),
        FileKind::Outcomes => Records::Outcomes(Rows {
            records: records(file, kind, reader)?,
            parse: outcome,
        }),
        FileKind::StopAndSearch => Records::StopAndSearch(Rows {
            records: records(file, kind, reader)?,
            parse: stop_search,
        }),
    })
}

/// Starts reading a street-level crime file.
pub fn read_street<R: Read>(file: &str, reader: R) -> Result<StreetRows<R>, FileError> {
    Ok(StreetRows {
        records: records(file, FileKind::Street, reader)?,
    })
}

fn fields(record: &csv::StringRecord, expected: usize) -> Result<(), String> {
    if record.len() == expected {
        Ok(())
    } else {
        Err(format!(
            "has {} fields where the header has {expected}",
            record.len()
        ))
    }
}

fn text(field: &str) -> Option<&str> {
    let field = field.trim();
    (!field.is_empty()).then_some(field)
}

fn owned(field: &str) -> Option<String> {
    text(field).map(str::to_owned)
}

fn month(field: &str) -> Result<YearMonth, String> {
    YearMonth::parse(field.trim())
        .ok_or_else(|| format!("Month {field:?} is not a month written as YYYY-MM"))
}

/// Both coordinates or neither.
fn point(longitude: &str, latitude: &str) -> Result<Option<(f64, f64)>, String> {
    let (longitude, latitude) = (longitude.trim(), latitude.trim());
    if longitude.is_empty() && latitude.is_empty() {
        return Ok(None);
    }
    match (longitude.parse::<f64>(), latitude.parse::<f64>()) {
        (Ok(x), Ok(y)) if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) => {
            Ok(Some((x, y)))
        }
        _ => Err(format!(
            "Longitude {longitude:?} and Latitude {latitude:?} must both be coordinates in degrees, or both be empty"
        )),
    }
}

fn lsoa<'a>(code: &'a str, name: &'a str) -> Result<Option<(&'a str, &'a str)>, String> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let bytes = code.as_bytes();
    let valid = bytes.len() == 9
        && bytes[0].is_ascii_uppercase()
        && bytes[1..].iter().all(u8::is_ascii_digit);
    if !valid {
        return Err(format!(
            "LSOA code {code:?} is not an ONS code such as E01009350"
        ));
    }
    Ok(Some((code, name.trim())))
}

fn street(r: &csv::StringRecord) -> Result<StreetCrime<'_>, String> {
    fields(r, STREET_HEADER.len())?;
    let category = CrimeCategory::from_name(&r[9])
        .ok_or_else(|| format!("Crime type {:?} is not a police.uk category", &r[9]))?;
    Ok(StreetCrime {
        month: month(&r[1])?,
        category,
        crime_id: text(&r[0]),
        point: point(&r[4], &r[5])?,
        location: r[6].trim(),
        lsoa: lsoa(&r[7], &r[8])?,
        outcome: text(&r[10]),
    })
}

fn outcome(r: &csv::StringRecord) -> Result<CrimeOutcome, String> {
    fields(r, OUTCOMES_HEADER.len())?;
    Ok(CrimeOutcome {
        month: month(&r[1])?,
        crime_id: owned(&r[0]),
        point: point(&r[4], &r[5])?,
        location: r[6].trim().to_owned(),
        lsoa: lsoa(&r[7], &r[8])?.map(|(code, name)| Lsoa {
            code: code.to_owned(),
            name: name.to_owned(),
        }),
        outcome: owned(&r[9]).ok_or("Outcome type is empty")?,
    })
}

fn flag(name: &str, field: &str) -> Result<Option<bool>, String> {
    match field.trim() {
        "" => Ok(None),
        "True" | "true" | "TRUE" => Ok(Some(true)),
        "False" | "false" | "FALSE" => Ok(Some(false)),
        other => Err(format!("{name} {other:?} is not True, False or empty")),
    }
}

fn stop_search(r: &csv::StringRecord) -> Result<StopSearch, String> {
    fields(r, STOP_AND_SEARCH_HEADER.len())?;
    let date = r[1].trim();
    let at: Timestamp = date.parse().map_err(|_| {
        format!("Date {date:?} is not a date and time such as 2019-05-31T23:01:00+00:00")
    })?;
    // The file's month is the UK's: 23:30 UTC on 31 May is 00:30 on 1 June in summer.
    let local = at.to_zoned(london()).date();
    let month = YearMonth::new(local.year(), local.month())
        .ok_or_else(|| format!("Date {date:?} is out of range"))?;
    Ok(StopSearch {
        month,
        occurred_at: at.to_string(),
        search_type: owned(&r[0]).ok_or("Type is empty")?,
        part_of_operation: flag("Part of a policing operation", &r[2])?,
        operation: owned(&r[3]),
        // Latitude comes before Longitude in these files.
        point: point(&r[5], &r[4])?,
        gender: owned(&r[6]),
        age_range: owned(&r[7]),
        self_defined_ethnicity: owned(&r[8]),
        officer_defined_ethnicity: owned(&r[9]),
        legislation: owned(&r[10]),
        object_of_search: owned(&r[11]),
        outcome: owned(&r[12]),
        outcome_linked_to_object: flag("Outcome linked to object of search", &r[13])?,
        removal_of_more_than_outer_clothing: flag(
            "Removal of more than just outer clothing",
            &r[14],
        )?,
    })
}

fn london() -> TimeZone {
    TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (crime id, LSOA code, outcome, has a point) of each row, or its problem.
    type Summary = (Option<String>, Option<String>, Option<String>, bool);

    fn street_rows(text: &str) -> Vec<Result<Summary, Problem>> {
        let Records::Street(mut rows) =
            read("test.csv", FileKind::Street, text.as_bytes()).unwrap()
        else {
            unreachable!()
        };
        let mut out = Vec::new();
        while let Some(row) = rows.next_row() {
            out.push(row.map(|r| {
                (
                    r.crime_id.map(str::to_owned),
                    r.lsoa.map(|(code, _)| code.to_owned()),
                    r.outcome.map(str::to_owned),
                    r.point.is_some(),
                )
            }));
        }
        out
    }

    #[test]
    fn a_malformed_row_is_reported_by_line_and_the_rest_read() {
        let text = "\u{feff}Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n\
            ,2018-10,X Police,X Police,-1.9,52.5,On or near A Road,E01009350,Birmingham 039B,Anti-social behaviour,,\r\n\
            abc,2018-13,X Police,X Police,,,No Location,,,Burglary,Under investigation,\n\
            abc,2018-10,X Police,X Police,,,No Location,,,Jaywalking,Under investigation,\n\
            abc,2018-10,X Police,X Police,-1.9,,On or near B Road,,,Burglary,Under investigation,\n\
            short,row\n\
            def,2018-10,X Police,X Police,,,No Location,,,Burglary,Under investigation,\n";
        let rows = street_rows(text);
        assert_eq!(rows.len(), 6);
        let problems: Vec<String> = rows
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            problems,
            [
                "test.csv, line 3: Month \"2018-13\" is not a month written as YYYY-MM",
                "test.csv, line 4: Crime type \"Jaywalking\" is not a police.uk category",
                "test.csv, line 5: Longitude \"-1.9\" and Latitude \"\" must both be coordinates in degrees, or both be empty",
                "test.csv, line 6: has 2 fields where the header has 12",
            ]
        );
        let asb = rows[0].as_ref().unwrap();
        assert_eq!(asb, &(None, Some("E01009350".to_owned()), None, true));
        let no_location = rows[5].as_ref().unwrap();
        assert_eq!((no_location.1.as_ref(), no_location.3), (None, false));
    }

    #[test]
    fn crlf_becomes_lf_across_reads() {
        // One byte at a time, so a CR always ends a read.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let mut out = String::new();
        LfOnly::new(Trickle(b"a\r\nb\rc\r\n\r"))
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "a\nb\rc\n\r");
    }

    #[test]
    fn a_file_of_another_kind_is_refused_by_its_header() {
        let err = read("x.csv", FileKind::Street, "Type,Date\n".as_bytes())
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .contains("is not a police.uk street-level crime file"),
            "{err}"
        );
    }

    #[test]
    fn stop_and_search_months_are_the_uks() {
        let text = format!(
            "{}\nPerson search,2019-05-31T23:01:00+00:00,False,,53.4,-2.1,Female,10-17,,,PACE,Offensive weapons,Arrest,,False\n",
            STOP_AND_SEARCH_HEADER.join(",")
        );
        let Records::StopAndSearch(mut rows) =
            read("s.csv", FileKind::StopAndSearch, text.as_bytes()).unwrap()
        else {
            unreachable!()
        };
        let row = rows.next().unwrap().unwrap();
        assert_eq!(row.month.to_string(), "2019-06");
        assert_eq!(row.point, Some((-2.1, 53.4)));
        assert_eq!(row.part_of_operation, Some(false));
        assert_eq!(row.outcome_linked_to_object, None);
    }
}
