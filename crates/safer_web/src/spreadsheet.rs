//! XLSX workbooks: the same tables the pages and CSV downloads give, one sheet each, for
//! people who work in Excel.

use rust_xlsxwriter::{Format, Workbook};

/// One sheet: its name, column titles, rows, and which columns hold numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (cut to Excel's 31 characters, and made unique, when written).
    pub name: String,
    /// The column titles.
    pub head: Vec<String>,
    /// The rows, as text.
    pub rows: Vec<Vec<String>>,
    /// Columns written as numbers where the text is one (amounts without symbols).
    pub numeric: Vec<bool>,
}

/// Characters Excel refuses in a sheet's name.
const FORBIDDEN: &[char] = &['[', ']', ':', '*', '?', '/', '\\'];

/// The sheets as an XLSX file, or why it could not be made.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let mut used: Vec<String> = Vec::new();
    for sheet in sheets {
        let mut name: String = sheet
            .name
            .chars()
            .map(|c| if FORBIDDEN.contains(&c) { '-' } else { c })
            .take(28)
            .collect();
        let base = name.clone();
        let mut n = 2;
        while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            name = format!("{base} {n}");
            n += 1;
        }
        used.push(name.clone());
        let ws = book.add_worksheet();
        ws.set_name(&name).map_err(|e| e.to_string())?;
        for (c, title) in sheet.head.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| "too many columns".to_owned())?;
            ws.write_string_with_format(0, c, title, &bold)
                .map_err(|e| e.to_string())?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| "too many rows".to_owned())?;
            for (c, text) in row.iter().enumerate() {
                let numeric = sheet.numeric.get(c).copied().unwrap_or(false);
                let c = u16::try_from(c).map_err(|_| "too many columns".to_owned())?;
                match text.parse::<f64>() {
                    Ok(x) if numeric && x.is_finite() => ws.write_number(r, c, x),
                    _ => ws.write_string(r, c, text),
                }
                .map_err(|e| e.to_string())?;
            }
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_get_names_excel_accepts_and_numbers_stay_numbers() {
        let sheet = Sheet {
            name: "Invest to Save 2013/14: requested against approved by partnership".into(),
            head: vec!["Partnership".into(), "Requested".into()],
            rows: vec![vec![
                "Safer Sandwell Partnership".into(),
                "101260.00".into(),
            ]],
            numeric: vec![false, true],
        };
        let bytes = workbook(&[sheet.clone(), sheet]).unwrap();
        // An XLSX file is a zip archive of the workbook's parts, one worksheet per sheet.
        assert_eq!(&bytes[..2], b"PK");
        let holds = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
        assert!(holds(b"[Content_Types].xml") && holds(b"xl/worksheets/sheet2.xml"));
        if let Ok(path) = std::env::var("SAFER_XLSX_SAMPLE") {
            std::fs::write(path, &bytes).unwrap();
        }
    }
}
