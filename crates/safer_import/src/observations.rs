//! Values of entered measures (survey waves, rates), uploaded as CSV or XLSX: a header row, then
//! one row per area and period with the columns `area` (an ONS code; `area_code` also
//! accepted), `period` (`YYYY-MM`, `YYYY-MM-DD` or a spreadsheet date: its month is used),
//! `value` (a number; a trailing `%` is allowed) and, optionally, `denominator`.
//!
//! A bad row is a [`Problem`] with its line (the spreadsheet's row number for XLSX); the other
//! rows are still read.

use crate::csv_lines::CsvLines;
use crate::{FileError, Problem};
use calamine::{Data, Reader, Xlsx};
use safer_core::limits;
use safer_core::numbers::thousands;
use safer_core::police::YearMonth;
use safer_store::measures::{self, Measure, Observation};
use safer_store::{Author, Db, areas};
use std::collections::{BTreeMap, HashSet};
use std::io::{Cursor, Read};

/// What a file held: the rows that parsed, and a problem for each that did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObservationsFile {
    /// The rows that parsed, each with its line.
    pub rows: Vec<(u64, Observation)>,
    /// The rows that did not.
    pub problems: Vec<Problem>,
}

/// Where each column is.
struct Columns {
    area: usize,
    period: usize,
    value: usize,
    denominator: Option<usize>,
}

fn columns(file: &str, header: &[String]) -> Result<Columns, FileError> {
    let find = |names: &[&str]| {
        header.iter().position(|h| {
            let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
            names.contains(&h.as_str())
        })
    };
    let missing = || FileError::Content {
        file: file.to_owned(),
        message: format!(
            "the first row must name the columns area, period and value (and optionally denominator); it has {}",
            limits::quote(&header.join(", "))
        ),
    };
    Ok(Columns {
        area: find(&["area", "area_code", "area code"]).ok_or_else(missing)?,
        period: find(&["period", "month"]).ok_or_else(missing)?,
        value: find(&["value"]).ok_or_else(missing)?,
        denominator: find(&["denominator"]),
    })
}

/// A file's rows as text: each with its line (the spreadsheet's row number for XLSX), its cells,
/// or what is wrong with the line.
type Table = Vec<(u64, Result<Vec<String>, String>)>;

fn refused(file: &str, message: String) -> FileError {
    FileError::Content {
        file: file.to_owned(),
        message,
    }
}

/// Reads a CSV or XLSX file, either of which may be gzipped (told apart by content: an XLSX file
/// is a zip archive). A file over
/// [`limits::VALUES_FILE_BYTES`], a workbook that unpacks to more than
/// [`limits::XLSX_UNPACKED_BYTES`] and a file of more than [`limits::VALUES_ROWS`] rows are
/// refused whole, before they are read.
pub fn read(file: &str, bytes: &[u8]) -> Result<ObservationsFile, FileError> {
    if bytes.len() > limits::VALUES_FILE_BYTES {
        return Err(refused(
            file,
            format!(
                "is {}, and a file of values must be smaller than {}",
                limits::size(bytes.len() as u64),
                limits::size(limits::VALUES_FILE_BYTES as u64)
            ),
        ));
    }
    let mut unpacked = Vec::new();
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        // Gzipped, as every import may be: read what it unpacks to, within the same limit.
        crate::Bounded::new(
            flate2::read::GzDecoder::new(bytes),
            limits::VALUES_FILE_BYTES as u64,
        )
        .read_to_end(&mut unpacked)
        .map_err(|e| refused(file, format!("could not be unpacked: {e}")))?;
        &unpacked[..]
    } else {
        bytes
    };
    let table = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows(file, bytes)?
    } else {
        csv_rows(file, bytes)?
    };
    let mut rows = table.into_iter();
    let header = match rows.next() {
        None => return Err(refused(file, "is empty".to_owned())),
        Some((_, Ok(cells))) => cells,
        Some((line, Err(message))) => {
            return Err(refused(file, format!("line {line}, the header, {message}")));
        }
    };
    let columns = columns(file, &header)?;
    let mut out = ObservationsFile::default();
    let mut seen = HashSet::new();
    let problem = |line, message| Problem {
        file: file.to_owned(),
        line,
        message,
    };
    for (line, fields) in rows {
        let fields = match fields {
            Ok(f) if f.iter().all(|f| f.trim().is_empty()) => continue,
            Ok(f) => f,
            Err(message) => {
                out.problems.push(problem(line, message));
                continue;
            }
        };
        match parse_row(&columns, &fields) {
            Ok(o) => {
                if seen.insert((o.area_code.clone(), o.period)) {
                    out.rows.push((line, o));
                } else {
                    let message = format!(
                        "{} {} appears more than once; keep one row for each area and period",
                        o.area_code, o.period
                    );
                    out.problems.push(problem(line, message));
                }
            }
            Err(message) => out.problems.push(problem(line, message)),
        }
    }
    Ok(out)
}

fn parse_row(c: &Columns, fields: &[String]) -> Result<Observation, String> {
    let get = |name: &str, i: usize| -> Result<&str, String> {
        let text = fields.get(i).map(|s| s.trim()).unwrap_or("");
        if text.chars().count() > limits::VALUES_FIELD_CHARS {
            return Err(format!(
                "{name} {} is too long: a cell of a values file holds at most {} characters",
                limits::quote(text),
                limits::VALUES_FIELD_CHARS
            ));
        }
        Ok(text)
    };
    let area_code = get("area", c.area)?;
    if area_code.is_empty() {
        return Err("area is empty: give the area's ONS code, such as E22000233".to_owned());
    }
    let period_text = get("period", c.period)?;
    let period = period_text
        .get(..7)
        .filter(|_| period_text.len() == 7 || period_text.len() == 10)
        .and_then(YearMonth::parse)
        .ok_or_else(|| {
            format!(
                "period {} is not a month written as YYYY-MM",
                limits::quote(period_text)
            )
        })?;
    let number = |what: &str, text: &str| -> Result<f64, String> {
        text.trim_end_matches('%')
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("{what} {} is not a number", limits::quote(text)))
    };
    let value = number("value", get("value", c.value)?)?;
    let denominator = match c.denominator.map(|i| get("denominator", i)).transpose()? {
        None | Some("") => None,
        Some(text) => {
            let d = number("denominator", text)?;
            if d <= 0.0 {
                return Err(format!(
                    "denominator {} must be more than zero",
                    limits::quote(text)
                ));
            }
            Some(d)
        }
    };
    Ok(Observation {
        area_code: area_code.to_owned(),
        period,
        value,
        denominator,
    })
}

fn too_many_rows(file: &str) -> FileError {
    refused(
        file,
        format!(
            "has more than {} rows: split it into smaller files",
            thousands(limits::VALUES_ROWS as u64)
        ),
    )
}

fn csv_rows(file: &str, bytes: &[u8]) -> Result<Table, FileError> {
    let mut lines = CsvLines::new(file, bytes);
    let mut rows = Table::new();
    while let Some(record) = lines.next_record() {
        if rows.len() >= limits::VALUES_ROWS {
            return Err(too_many_rows(file));
        }
        rows.push(match record {
            Ok(line) => (
                line,
                Ok(lines
                    .record
                    .iter()
                    .take(limits::VALUES_COLUMNS)
                    .map(str::to_owned)
                    .collect()),
            ),
            Err(problem) => (problem.line, Err(problem.message)),
        });
    }
    Ok(rows)
}

/// Checks what a workbook's archive unpacks to by unpacking it, part by part, into nothing: each
/// part's stated size cannot be trusted, and reading stops as soon as the limit is passed.
fn check_archive(file: &str, bytes: &[u8]) -> Result<(), FileError> {
    let unreadable =
        |e: String| refused(file, format!("could not be read as an XLSX workbook: {e}"));
    let too_large = || {
        refused(
            file,
            format!(
                "unpacks to more than {}, far more than a workbook of values holds, so it was not read",
                limits::size(limits::XLSX_UNPACKED_BYTES)
            ),
        )
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    if archive.len() > limits::XLSX_PARTS {
        return Err(unreadable(format!(
            "it has {} parts, where a workbook has a few dozen",
            thousands(archive.len() as u64)
        )));
    }
    let mut left = limits::XLSX_UNPACKED_BYTES;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|e| unreadable(e.to_string()))?;
        let unpacked = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|e| unreadable(e.to_string()))?;
        left = left.checked_sub(unpacked).ok_or_else(too_large)?;
    }
    Ok(())
}

fn xlsx_rows(file: &str, bytes: &[u8]) -> Result<Table, FileError> {
    check_archive(file, bytes)?;
    let unreadable =
        |e: String| refused(file, format!("could not be read as an XLSX workbook: {e}"));
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let sheet = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| unreadable("it has no worksheet".to_owned()))?;
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| unreadable(e.to_string()))?;
    // Cells come row by row; only the used ones are held, so a cell far down or far to the
    // right cannot make a huge empty grid.
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut read = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(e.to_string()))? {
        read += 1;
        if read > limits::WORKBOOK_CELLS {
            return Err(refused(
                file,
                format!(
                    "has more than {} cells in its first sheet: split it into smaller files",
                    thousands(limits::WORKBOOK_CELLS as u64)
                ),
            ));
        }
        let (row, column) = cell.get_position();
        let Ok(column) = usize::try_from(column) else {
            continue;
        };
        let value = cell_text(&Data::from(cell.get_value().clone()));
        if column >= limits::VALUES_COLUMNS || value.is_empty() {
            continue;
        }
        if !rows.contains_key(&row) && rows.len() >= limits::VALUES_ROWS {
            return Err(too_many_rows(file));
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = value;
    }
    // Row numbers are the spreadsheet's, counted from 1.
    Ok(rows
        .into_iter()
        .map(|(row, cells)| (u64::from(row) + 1, Ok(cells)))
        .collect())
}

/// A cell as text; dates as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::Error(e) => format!("#{e:?}"),
        Data::DateTime(d) => {
            // Spreadsheet serial days count from 30 December 1899.
            let days = d.as_f64().floor() as i64;
            jiff::civil::date(1899, 12, 30)
                .checked_add(jiff::Span::new().days(days))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
    }
}

/// What an upload did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Uploaded {
    /// Values saved (added or replaced).
    pub saved: usize,
    /// Rows left out, with why.
    pub problems: Vec<Problem>,
}

/// Reads a file of values for an entered measure and saves every good row in one transaction;
/// a row naming an area safer does not hold is a problem, not a new area.
pub async fn upload(
    db: &Db,
    author: &Author,
    measure: &Measure,
    file: &str,
    bytes: &[u8],
) -> Result<Uploaded, FileError> {
    measures::takes_values(measure)?;
    let parsed = read(file, bytes)?;
    let mut problems = parsed.problems;
    let mut good = Vec::with_capacity(parsed.rows.len());
    let mut known: HashSet<String> = HashSet::new();
    for (line, o) in parsed.rows {
        if !known.contains(&o.area_code) {
            if areas::find(db, &o.area_code).await?.is_none() {
                problems.push(Problem {
                    file: file.to_owned(),
                    line,
                    message: format!(
                        "area {} is not an area safer holds: give an ONS code from the imported lookups",
                        o.area_code
                    ),
                });
                continue;
            }
            known.insert(o.area_code.clone());
        }
        good.push(o);
    }
    problems.sort_by_key(|p| p.line);
    let saved = if good.is_empty() {
        0
    } else {
        measures::save_observations(db, author, measure, &good).await?
    };
    Ok(Uploaded { saved, problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_parse_and_bad_rows_say_what_to_fix() {
        let text = "\u{feff}Area,Period,Value,Denominator\n\
            E23000014,2015-07,83.6%,1200\n\
            E23000014,2015-10-01,83.2,\n\
            ,2015-10,1,\n\
            E23000014,Aug 2015,1,\n\
            E23000014,2016-01,lots,\n\
            E23000014,2016-04,80,0\n\
            E23000014,2015-07,84,\n\
            \n";
        let file = read("waves.csv", text.as_bytes()).unwrap();
        let rows: Vec<(u64, String, f64, Option<f64>)> = file
            .rows
            .iter()
            .map(|(l, o)| (*l, o.period.to_string(), o.value, o.denominator))
            .collect();
        assert_eq!(
            rows,
            [
                (2, "2015-07".to_owned(), 83.6, Some(1200.0)),
                (3, "2015-10".to_owned(), 83.2, None)
            ]
        );
        let problems: Vec<String> = file.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "waves.csv, line 4: area is empty: give the area's ONS code, such as E22000233",
                "waves.csv, line 5: period \"Aug 2015\" is not a month written as YYYY-MM",
                "waves.csv, line 6: value \"lots\" is not a number",
                "waves.csv, line 7: denominator \"0\" must be more than zero",
                "waves.csv, line 8: E23000014 2015-07 appears more than once; keep one row for each area and period",
            ]
        );
    }

    #[test]
    fn a_file_without_the_columns_is_refused_whole() {
        let err = read("x.csv", b"code,month,amount\nA,2015-01,1\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("must name the columns area, period and value")
        );
        assert!(read("x.csv", b"").is_err());
        assert!(read("x.xlsx", b"PK\x03\x04not really a zip").is_err());
    }

    #[test]
    fn an_xlsx_workbook_reads_like_csv() {
        // Made with openpyxl: a header in row 1, a text month, a date cell and a percentage.
        let bytes = include_bytes!("../tests/data/waves.xlsx");
        let file = read("waves.xlsx", bytes).unwrap();
        let rows: Vec<(u64, String, String, f64)> = file
            .rows
            .iter()
            .map(|(l, o)| (*l, o.area_code.clone(), o.period.to_string(), o.value))
            .collect();
        assert_eq!(
            rows,
            [
                (2, "E23000014".to_owned(), "2015-07".to_owned(), 83.6),
                (3, "E23000014".to_owned(), "2015-10".to_owned(), 83.2),
            ]
        );
        assert_eq!(file.problems.len(), 1);
        assert_eq!(file.problems[0].line, 4);
    }

    #[test]
    fn a_zip_bomb_is_refused_by_what_it_unpacks_to_without_unpacking_it_all() {
        // 761 KB that unpacks to 800 MB: one cell of 800,000,000 letters.
        let bytes = include_bytes!("../tests/data/bomb.xlsx");
        let started = std::time::Instant::now();
        let err = read("bomb.xlsx", bytes).unwrap_err().to_string();
        assert_eq!(
            err,
            "bomb.xlsx: unpacks to more than 50 MB, far more than a workbook of values holds, so it was not read"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn a_huge_value_is_quoted_by_its_beginning_and_a_file_over_the_limit_is_refused() {
        let text = format!(
            "area,period,value\nE23000014,2015-07,{}\n",
            "9".repeat(1_000_000)
        );
        let file = read("big.csv", text.as_bytes()).unwrap();
        assert_eq!(file.problems.len(), 1);
        let message = file.problems[0].to_string();
        assert!(message.len() < 200, "{message}");
        assert!(
            message.starts_with("big.csv, line 2: is 1,000,018 bytes long"),
            "{message}"
        );

        let text = format!(
            "area,period,value\nE23000014,2015-07,{}\n",
            "9".repeat(1000)
        );
        let message = read("wide.csv", text.as_bytes()).unwrap().problems[0].to_string();
        assert_eq!(
            message,
            format!(
                "wide.csv, line 2: value \"{}…\" (1,000 characters long) is too long: a cell of a values file holds at most 200 characters",
                "9".repeat(40)
            )
        );
        let err = read("huge.csv", &vec![b'a'; limits::VALUES_FILE_BYTES + 1]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "huge.csv: is 5.0 MB, and a file of values must be smaller than 5 MB"
        );
    }

    #[test]
    fn an_unclosed_quote_spoils_one_row_only() {
        let text = "area,period,value\nE23000014,\"2015-07,1\nE23000014,2015-08,2\n";
        let file = read("q.csv", text.as_bytes()).unwrap();
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].0, 3);
        assert_eq!(file.problems.len(), 1);
        assert!(file.problems[0].message.contains("quote"));
    }
}
