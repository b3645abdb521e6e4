//! Page handlers, one module per part of the service. Each handler parses its input with the
//! core, checks permission with the core, calls the store and renders a template.

pub mod access_log;
pub mod account;
pub mod admin;
pub mod auth;
pub mod bids;
pub mod boards;
pub mod funds;
pub mod grants;
pub mod home;
pub mod measures;
pub mod milestones;
pub mod notices;
pub mod organisations;
pub mod papers;
pub mod performance;
pub mod plans;
pub mod rounds;

use crate::error::AppError;
use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use safer_core::forms::{FormErrors, capitalise};
use safer_store::StoreError;
use serde::Deserialize;

/// A refusal from the store (input it caught, such as committing more than a fund has left) as
/// a form message against `field`; any other store error stays an error.
pub(crate) fn refusal(e: StoreError, field: &str) -> Result<FormErrors, AppError> {
    match e {
        StoreError::Invalid(message) => {
            let mut errors = FormErrors::default();
            errors.add(field, capitalise(&message));
            Ok(errors)
        }
        e => Err(e.into()),
    }
}

/// A page re-shown with what to fix: 422, so that tests and tools can tell it from a success.
pub(crate) fn unprocessable(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// A record id from the path. Anything that is not a whole number is "not found".
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        raw.parse().map(Id).map_err(|_| AppError::NotFound)
    }
}

/// A table as pages show it and as its CSV download gives it: one definition for both, so the
/// download always holds what the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataTable {
    /// Its name among the page's tables (`?table=` for the CSV).
    pub name: &'static str,
    /// Its HTML id, `table-` and this: the name, unless the page has several of a name.
    pub id: String,
    /// The caption.
    pub caption: String,
    /// The column headings.
    pub head: Vec<String>,
    /// Which columns hold numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// One cell: text, optionally a link or a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// What it says (and what the CSV holds).
    pub text: String,
    /// Where it links to.
    pub href: Option<String>,
    /// A GOV.UK tag modifier class, to show the text as a tag.
    pub tag: Option<&'static str>,
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            href: None,
            tag: None,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_owned())
    }
}

impl DataTable {
    /// An empty table with its columns: (heading, holds numbers).
    pub fn new(name: &'static str, caption: String, columns: &[(&str, bool)]) -> DataTable {
        DataTable {
            name,
            id: name.to_owned(),
            caption,
            head: columns.iter().map(|(h, _)| (*h).to_owned()).collect(),
            numeric: columns.iter().map(|(_, n)| *n).collect(),
            rows: Vec::new(),
        }
    }

    /// The same table with another HTML id, for a page with several tables of one name.
    pub fn with_id(self, id: String) -> DataTable {
        DataTable { id, ..self }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// A linked cell.
    pub fn link(text: String, href: String) -> Cell {
        Cell {
            text,
            href: Some(href),
            tag: None,
        }
    }

    /// A cell drawn as a tag.
    pub fn tag(text: &str, class: &'static str) -> Cell {
        Cell {
            text: text.to_owned(),
            href: None,
            tag: Some(class),
        }
    }

    /// Whether column `i` holds numbers.
    /// The table as a spreadsheet sheet, cell for cell as the page shows it.
    pub fn sheet(&self) -> crate::spreadsheet::Sheet {
        crate::spreadsheet::Sheet {
            name: self.caption.clone(),
            head: self.head.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.text.clone()).collect())
                .collect(),
            numeric: vec![false; self.head.len()],
        }
    }

    pub fn is_numeric(&self, i: &usize) -> bool {
        self.numeric.get(*i).copied().unwrap_or(false)
    }
}

/// A table as a CSV download named `file_name`.
pub fn csv_response(file_name: &str, table: &DataTable) -> Result<Response, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(e.to_string());
    out.write_record(&table.head).map_err(fail)?;
    for row in &table.rows {
        out.write_record(row.iter().map(|c| c.text.as_str()))
            .map_err(fail)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // The name is built from codes and ids only, so it needs no escaping.
    let disposition = format!("attachment; filename=\"{file_name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// A submitted form read as its name–value pairs, for forms whose fields repeat (checkboxes)
/// or are named after records (`choice-12`).
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct Pairs(Vec<(String, String)>);

impl Pairs {
    /// The first value of the field, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    /// The day, month and year boxes of the GOV.UK date input `id`.
    pub fn date(&self, id: &str) -> [&str; 3] {
        [
            self.get(&format!("{id}-day")),
            self.get(&format!("{id}-month")),
            self.get(&format!("{id}-year")),
        ]
    }

    /// Every value of the field that is a record id.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect()
    }

    /// All the pairs.
    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }
}

impl From<Vec<(String, String)>> for Pairs {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Pairs(pairs)
    }
}
