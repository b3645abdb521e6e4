//! Values of entered measures (survey waves, rates), uploaded as CSV or XLSX: a header row, then
//! one row per area and period with the columns `area` (an ONS code; `area_code` also
//! accepted), `period` (`YYYY-MM`, `YYYY-MM-DD` or a spreadsheet date: its month is used),
//! `value` (a number; a trailing `%` is allowed) and, optionally, `denominator`.
//!
//! A bad row is a [`Problem`] with its line (the spreadsheet's row number for XLSX); the other
//! rows are still read.

use crate::{FileError, Problem};
use calamine::{Data, Reader, Xlsx};
use safer_core::police::YearMonth;
use safer_store::measures::{self, Measure, Observation};
use safer_store::{Author, Db, areas};
use std::collections::HashSet;
use std::io::Cursor;

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
            header.join(", ")
        ),
    };
    Ok(Columns {
        area: find(&["area", "area_code", "area code"]).ok_or_else(missing)?,
        period: find(&["period", "month"]).ok_or_else(missing)?,
        value: find(&["value"]).ok_or_else(missing)?,
        denominator: find(&["denominator"]),
    })
}

/// Reads a CSV or XLSX file (told apart by content: an XLSX file is a zip archive).
pub fn read(file: &str, bytes: &[u8]) -> Result<ObservationsFile, FileError> {
    let table = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows(file, bytes)?
    } else {
        csv_rows(file, bytes)?
    };
    let mut rows = table.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(FileError::Content {
            file: file.to_owned(),
            message: "is empty".to_owned(),
        });
    };
    let columns = columns(file, &header)?;
    let mut out = ObservationsFile::default();
    let mut seen = HashSet::new();
    for (line, fields) in rows {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match parse_row(&columns, &fields) {
            Ok(o) => {
                if seen.insert((o.area_code.clone(), o.period)) {
                    out.rows.push((line, o));
                } else {
                    out.problems.push(Problem {
                        file: file.to_owned(),
                        line,
                        message: format!(
                            "{} {} appears more than once; keep one row for each area and period",
                            o.area_code, o.period
                        ),
                    });
                }
            }
            Err(message) => out.problems.push(Problem {
                file: file.to_owned(),
                line,
                message,
            }),
        }
    }
    Ok(out)
}

fn parse_row(c: &Columns, fields: &[String]) -> Result<Observation, String> {
    let get = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
    let area_code = get(c.area);
    if area_code.is_empty() {
        return Err("area is empty: give the area's ONS code, such as E22000233".to_owned());
    }
    let period_text = get(c.period);
    let period = period_text
        .get(..7)
        .filter(|_| period_text.len() == 7 || period_text.len() == 10)
        .and_then(YearMonth::parse)
        .ok_or_else(|| format!("period {period_text:?} is not a month written as YYYY-MM"))?;
    let number = |what: &str, text: &str| -> Result<f64, String> {
        text.trim_end_matches('%')
            .replace(',', "")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("{what} {text:?} is not a number"))
    };
    let value = number("value", get(c.value))?;
    let denominator = match c.denominator.map(get) {
        None | Some("") => None,
        Some(text) => {
            let d = number("denominator", text)?;
            if d <= 0.0 {
                return Err(format!("denominator {text:?} must be more than zero"));
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

fn csv_rows(file: &str, bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::Content {
        file: file.to_owned(),
        message: "is neither an XLSX workbook nor UTF-8 CSV text".to_owned(),
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| FileError::Content {
            file: file.to_owned(),
            message: format!("could not be read as CSV: {e}"),
        })?;
        rows.push((i as u64 + 1, record.iter().map(str::to_owned).collect()));
    }
    Ok(rows)
}

fn xlsx_rows(file: &str, bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, FileError> {
    let unreadable = |e: String| FileError::Content {
        file: file.to_owned(),
        message: format!("could not be read as an XLSX workbook: {e}"),
    };
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("it has no worksheet".to_owned()))?
        .map_err(|e| unreadable(e.to_string()))?;
    // The range starts at the first used cell; row numbers are the spreadsheet's.
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            (
                first_row + i as u64 + 1,
                row.iter().map(cell_text).collect(),
            )
        })
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
}
