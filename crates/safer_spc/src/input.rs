//! Reading series from CSV text with the columns `period,value` and optionally `denominator`
//! and `series` (in any order, names in any case). Every problem is reported with its line;
//! no input makes the reader panic.

use crate::analysis::Observation;
use crate::period::Period;

/// A problem with one line of the input (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The line number, from 1.
    pub line: u64,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One named series, in period order.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesInput {
    /// The name from the `series` column, or "" when there is none.
    pub name: String,
    /// The observations, in period order.
    pub observations: Vec<Observation>,
}

fn number(text: &str) -> Option<f64> {
    // People paste figures as they are printed: "3,180".
    let cleaned: String = text.trim().chars().filter(|c| *c != ',').collect();
    let value: f64 = cleaned.parse().ok()?;
    value.is_finite().then_some(value)
}

/// A value as a message quotes it: whole when short, otherwise its first 40 characters and its
/// length, so that a message about a huge value stays a line long. (`safer_core::limits::quote`
/// does this for the rest of safer; this crate depends on nothing of ours.)
fn quoted(text: &str) -> String {
    match text.char_indices().nth(40) {
        None => format!("{text:?}"),
        Some((end, _)) => format!(
            "{:?} ({} characters long)",
            format!("{}…", &text[..end]),
            text.chars().count()
        ),
    }
}

/// Reads every series in `text`, or every problem found, each with its line.
pub fn read_csv(text: &str) -> Result<Vec<SeriesInput>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![LineError {
                line: 1,
                message: format!("the header could not be read: {e}"),
            }]);
        }
    };
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(period_col), Some(value_col)) = (column("period"), column("value")) else {
        return Err(vec![LineError { line: 1, message: "the header must name the columns period and value (and optionally denominator and series)".into() }]);
    };
    let (denominator_col, series_col) = (column("denominator"), column("series"));
    let mut errors = Vec::new();
    let mut series: Vec<(String, Vec<(Observation, u64)>)> = Vec::new();
    let mut index_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(LineError {
                    line,
                    message: format!("the line could not be read as CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let period_text = field(Some(period_col));
        let Some(period) = Period::parse(period_text) else {
            errors.push(LineError {
                line,
                message: format!(
                    "the period {} must be a month as YYYY-MM or a day as YYYY-MM-DD",
                    quoted(period_text)
                ),
            });
            continue;
        };
        let value_text = field(Some(value_col));
        let Some(value) = number(value_text) else {
            errors.push(LineError {
                line,
                message: format!("the value {} is not a number", quoted(value_text)),
            });
            continue;
        };
        let denominator = match denominator_col.map(|i| field(Some(i))) {
            None | Some("") => None,
            Some(text) => match number(text) {
                Some(d) if d > 0.0 => Some(d),
                Some(_) => {
                    errors.push(LineError {
                        line,
                        message: format!("the denominator {} must be more than zero", quoted(text)),
                    });
                    continue;
                }
                None => {
                    errors.push(LineError {
                        line,
                        message: format!("the denominator {} is not a number", quoted(text)),
                    });
                    continue;
                }
            },
        };
        let name = field(series_col);
        // Found by a map, not a search of the series so far: the time stays linear in the
        // number of series.
        let index = match index_of.get(name) {
            Some(&i) => i,
            None => {
                index_of.insert(name.to_owned(), series.len());
                series.push((name.to_owned(), Vec::new()));
                series.len() - 1
            }
        };
        let rows = &mut series[index].1;
        if let Some((_, first)) = rows.iter().find(|(o, _)| o.period == period) {
            errors.push(LineError {
                line,
                message: format!(
                    "the period {period} appears twice in this series (first on line {first})"
                ),
            });
            continue;
        }
        rows.push((
            Observation {
                period,
                value,
                denominator,
            },
            line,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if series.is_empty() {
        return Err(vec![LineError {
            line: 2,
            message: "there are no rows after the header".into(),
        }]);
    }
    Ok(series
        .into_iter()
        .map(|(name, mut rows)| {
            rows.sort_by_key(|(o, _)| o.period);
            SeriesInput {
                name,
                observations: rows.into_iter().map(|(o, _)| o).collect(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_several_series_in_any_column_order() {
        let text =
            "Series,Value,Period\nTRC,\"3,180\",2016-02\nTRC,3100,2016-01\nASB,10,2016-01\n\n";
        let series = read_csv(text).unwrap();
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].name, "TRC");
        assert_eq!(
            series[0]
                .observations
                .iter()
                .map(|o| o.value)
                .collect::<Vec<_>>(),
            [3100.0, 3180.0]
        );
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let text = "period,value,denominator\n2016-01,12,100\n2016-13,5,100\n2016-02,lots,100\n2016-01,4,100\n2016-03,4,0\n";
        let errors = read_csv(text).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6]);
        assert!(
            errors[2].message.contains("appears twice") && errors[2].message.contains("line 2")
        );
        assert!(errors[3].message.contains("more than zero"));
    }

    #[test]
    fn a_missing_header_column_is_explained() {
        let errors = read_csv("month,count\n2016-01,3\n").unwrap_err();
        assert!(errors[0].message.contains("period and value"));
        assert!(read_csv("period,value\n").is_err());
        assert!(read_csv("").is_err());
    }
}
