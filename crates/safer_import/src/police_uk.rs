//! Readers for the three police.uk files, one row at a time.
//!
//! Each reader checks the header, then yields every row as a record or a [`Problem`] naming the
//! file and line, so a malformed row is reported and the rest still read. The files' quirks are
//! accepted as published: CRLF or LF, a byte-order mark, anti-social behaviour rows with no Crime
//! ID, repeated Crime IDs, `No Location` rows, rows in other forces' areas, and stop-and-search
//! times in UTC, which are given the month they fall in in the UK.

use crate::csv_lines::{CsvLines as RecordReader, Fields};
use crate::{FileError, Problem};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use safer_core::limits;
use safer_core::police::{
    CrimeCategory, CrimeOutcome, FileKind, FileName, Lsoa, StopSearch, StreetCrime, YearMonth,
};
use std::io::BufRead;

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

/// The rows of an outcomes or stop-and-search file, read as they are asked for.
pub struct Rows<R: BufRead, T> {
    records: RecordReader<R>,
    month: YearMonth,
    parse: fn(&Fields, YearMonth) -> Result<T, String>,
}

/// The rows of a street-level file, each borrowed from the record just read: ask for the next
/// with [`StreetRows::next_row`] once done with the last.
pub struct StreetRows<R: BufRead> {
    records: RecordReader<R>,
    month: YearMonth,
}

impl<R: BufRead> StreetRows<R> {
    /// Why the file could not be read to its end, once [`StreetRows::next_row`] has given
    /// `None`: a file that cannot be read whole must not be stored.
    pub fn read_error(&self) -> Option<&str> {
        self.records.read_error.as_deref()
    }

    /// The next row, a problem with it, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Result<StreetCrime<'_>, Problem>> {
        match self.records.next_record()? {
            Ok(line) => Some(
                street(&self.records.record, self.month).map_err(|m| self.records.problem(line, m)),
            ),
            Err(problem) => Some(Err(problem)),
        }
    }
}

/// Opens a file's rows after checking its header is the one `kind` of file has.
fn records<R: BufRead>(file: &str, kind: FileKind, input: R) -> Result<RecordReader<R>, FileError> {
    let mut records = RecordReader::new(file, input);
    let expected = header(kind);
    let refused = |found: String| FileError::Header {
        file: file.to_owned(),
        kind: kind.label(),
        expected: expected.join(","),
        found,
    };
    match records.next_record() {
        None => match records.read_error.take() {
            Some(message) => Err(FileError::Unreadable {
                file: file.to_owned(),
                message,
            }),
            None => Err(refused(String::new())),
        },
        Some(Err(problem)) => Err(refused(format!("a first line that {}", problem.message))),
        Some(Ok(_)) => {
            let found: Vec<&str> = records
                .record
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
            if found == expected {
                Ok(records)
            } else {
                Err(refused(
                    limits::quote(&found.join(",")).trim_matches('"').to_owned(),
                ))
            }
        }
    }
}

impl<R: BufRead, T> Rows<R, T> {
    /// Why the file could not be read to its end, once the rows have run out.
    pub fn read_error(&self) -> Option<&str> {
        self.records.read_error.as_deref()
    }
}

impl<R: BufRead, T> Iterator for Rows<R, T> {
    type Item = Result<T, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.records.next_record()? {
            Ok(line) => Some(
                (self.parse)(&self.records.record, self.month)
                    .map_err(|m| self.records.problem(line, m)),
            ),
            Err(problem) => Some(Err(problem)),
        }
    }
}

/// The records of one police.uk file, by kind.
pub enum Records<R: BufRead> {
    /// A street-level crime file.
    Street(StreetRows<R>),
    /// An outcomes file.
    Outcomes(Rows<R, CrimeOutcome>),
    /// A stop-and-search file.
    StopAndSearch(Rows<R, StopSearch>),
}

/// Starts reading a police.uk file of the kind and month its name says; `file` names it in
/// messages. A row of another month is a problem: a file is the unit of replacement, so its
/// rows must all be of its month.
pub fn read<R: BufRead>(file: &str, name: &FileName, input: R) -> Result<Records<R>, FileError> {
    let month = name.month;
    Ok(match name.kind {
        FileKind::Street => Records::Street(read_street(file, month, input)?),
        FileKind::Outcomes => Records::Outcomes(Rows {
            records: records(file, name.kind, input)?,
            month,
            parse: outcome,
        }),
        FileKind::StopAndSearch => Records::StopAndSearch(Rows {
            records: records(file, name.kind, input)?,
            month,
            parse: stop_search,
        }),
    })
}

/// Starts reading a street-level crime file of `month`.
pub fn read_street<R: BufRead>(
    file: &str,
    month: YearMonth,
    input: R,
) -> Result<StreetRows<R>, FileError> {
    Ok(StreetRows {
        records: records(file, FileKind::Street, input)?,
        month,
    })
}

fn fields(record: &Fields, expected: usize) -> Result<(), String> {
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

/// The row's month, which must be the file's.
fn month(field: &str, file_month: YearMonth) -> Result<YearMonth, String> {
    let month = YearMonth::parse(field.trim()).ok_or_else(|| {
        format!(
            "Month {} is not a month written as YYYY-MM",
            limits::quote(field)
        )
    })?;
    same_month(&format!("Month {month}"), month, file_month)
}

/// The row's month, when it is the file's; `what` names what gave it.
fn same_month(what: &str, month: YearMonth, file_month: YearMonth) -> Result<YearMonth, String> {
    if month == file_month {
        Ok(month)
    } else {
        Err(format!(
            "{what} is not the file's month, {file_month}: a police.uk file holds one month, so the row was left out"
        ))
    }
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
            "Longitude {} and Latitude {} must both be coordinates in degrees, or both be empty",
            limits::quote(longitude),
            limits::quote(latitude)
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
            "LSOA code {} is not an ONS code such as E01009350",
            limits::quote(code)
        ));
    }
    Ok(Some((code, name.trim())))
}

fn street(r: &Fields, file_month: YearMonth) -> Result<StreetCrime<'_>, String> {
    fields(r, STREET_HEADER.len())?;
    let month = month(&r[1], file_month)?;
    let category = CrimeCategory::from_name(&r[9]).ok_or_else(|| {
        format!(
            "Crime type {} is not a police.uk category",
            limits::quote(&r[9])
        )
    })?;
    Ok(StreetCrime {
        month,
        category,
        crime_id: text(&r[0]),
        point: point(&r[4], &r[5])?,
        location: r[6].trim(),
        lsoa: lsoa(&r[7], &r[8])?,
        outcome: text(&r[10]),
    })
}

fn outcome(r: &Fields, file_month: YearMonth) -> Result<CrimeOutcome, String> {
    fields(r, OUTCOMES_HEADER.len())?;
    Ok(CrimeOutcome {
        month: month(&r[1], file_month)?,
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
        other => Err(format!(
            "{name} {} is not True, False or empty",
            limits::quote(other)
        )),
    }
}

fn stop_search(r: &Fields, file_month: YearMonth) -> Result<StopSearch, String> {
    fields(r, STOP_AND_SEARCH_HEADER.len())?;
    let date = r[1].trim();
    let at: Timestamp = date.parse().map_err(|_| {
        format!(
            "Date {} is not a date and time such as 2019-05-31T23:01:00+00:00",
            limits::quote(date)
        )
    })?;
    // The file's month is the UK's: 23:30 UTC on 31 May is 00:30 on 1 June in summer.
    let local = at.to_zoned(london()).date();
    let month = YearMonth::new(local.year(), local.month())
        .ok_or_else(|| format!("Date {} is out of range", limits::quote(date)))?;
    let month = same_month(
        &format!("Date {} ({month} in the UK)", limits::quote(date)),
        month,
        file_month,
    )?;
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

    fn name(kind: &str) -> FileName {
        FileName::parse(&format!("2018-10-x-{kind}.csv")).unwrap()
    }

    fn street_rows(text: &str) -> Vec<Result<Summary, Problem>> {
        let Records::Street(mut rows) = read("test.csv", &name("street"), text.as_bytes()).unwrap()
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

    fn problems(rows: &[Result<Summary, Problem>]) -> Vec<String> {
        rows.iter()
            .filter_map(|r| r.as_ref().err())
            .map(|p| p.to_string())
            .collect()
    }

    const HEADER: &str = "\u{feff}Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

    #[test]
    fn a_malformed_row_is_reported_by_line_and_the_rest_read() {
        let text = format!(
            "{HEADER}\r\n\
            ,2018-10,X Police,X Police,-1.9,52.5,On or near A Road,E01009350,Birmingham 039B,Anti-social behaviour,,\r\n\
            abc,2018-13,X Police,X Police,,,No Location,,,Burglary,Under investigation,\n\
            abc,2018-10,X Police,X Police,,,No Location,,,Jaywalking,Under investigation,\n\
            abc,2018-10,X Police,X Police,-1.9,,On or near B Road,,,Burglary,Under investigation,\n\
            short,row\n\
            def,2018-10,X Police,X Police,,,No Location,,,Burglary,Under investigation,\n"
        );
        let rows = street_rows(&text);
        assert_eq!(rows.len(), 6);
        assert_eq!(
            problems(&rows),
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
    fn an_unclosed_quote_spoils_its_own_row_and_not_the_next() {
        let text = format!(
            "{HEADER}\n\
            abc,2018-10,X Police,X Police,,,\"On or near A Road,,,Burglary,Under investigation,\n\
            def,2018-10,X Police,X Police,,,\"On or near, B Road\",,,Burglary,Under investigation,\n"
        );
        let rows = street_rows(&text);
        assert_eq!(
            problems(&rows),
            [
                "test.csv, line 2: has a quote (\") that is not closed: a field that starts with a quote must end with one"
            ]
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].as_ref().unwrap().0.as_deref(), Some("def"));
    }

    #[test]
    fn a_line_over_the_limit_is_passed_over_without_being_held() {
        let long = "A".repeat(limits::CSV_LINE_BYTES + 1);
        let text = format!(
            "{HEADER}\n{long}\n\
            def,2018-10,X Police,X Police,,,No Location,,,Burglary,,\n"
        );
        let rows = street_rows(&text);
        assert_eq!(
            problems(&rows),
            [
                "test.csv, line 2: is 65,537 bytes long, and a line may be at most 64 KB: it was left out"
            ]
        );
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn a_row_of_another_month_is_left_out() {
        let text = format!(
            "{HEADER}\n\
            abc,2017-01,X Police,X Police,,,No Location,,,Burglary,,\n\
            def,2018-10,X Police,X Police,,,No Location,,,Burglary,,\n"
        );
        let rows = street_rows(&text);
        assert_eq!(
            problems(&rows),
            [
                "test.csv, line 2: Month 2017-01 is not the file's month, 2018-10: a police.uk file holds one month, so the row was left out"
            ]
        );
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn a_file_of_another_kind_is_refused_by_its_header() {
        let err = read("x.csv", &name("street"), "Type,Date\n".as_bytes())
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
            "{}\nPerson search,2019-05-31T23:01:00+00:00,False,,53.4,-2.1,Female,10-17,,,PACE,Offensive weapons,Arrest,,False\n\
            Person search,2019-05-30T23:01:00+00:00,False,,53.4,-2.1,Female,10-17,,,PACE,Offensive weapons,Arrest,,False\n",
            STOP_AND_SEARCH_HEADER.join(",")
        );
        let name = FileName::parse("2019-06-x-stop-and-search.csv").unwrap();
        let Records::StopAndSearch(mut rows) = read("s.csv", &name, text.as_bytes()).unwrap()
        else {
            unreachable!()
        };
        let row = rows.next().unwrap().unwrap();
        assert_eq!(row.month.to_string(), "2019-06");
        assert_eq!(row.point, Some((-2.1, 53.4)));
        assert_eq!(row.part_of_operation, Some(false));
        assert_eq!(row.outcome_linked_to_object, None);
        let problem = rows.next().unwrap().unwrap_err();
        assert!(
            problem.message.starts_with("Date \"2019-05-30T23:01:00+00:00\" (2019-05 in the UK) is not the file's month, 2019-06"),
            "{problem}"
        );
    }
}
