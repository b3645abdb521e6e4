//! The most any input may hold, each limit named once with its reason, and how a message quotes
//! an offending value without repeating all of it.
//!
//! Every reader of uploads, imports and command input checks one of these, so that no file or
//! request can make safer hold more than a known amount in memory. The numbers are generous for
//! real data (the reason says against what) and small against the machine.

use crate::numbers::thousands;

/// A form of text fields (no file). The longest real form, a bid's business case, is a few
/// thousand words; percent-encoding can triple its bytes.
pub const FORM_BYTES: usize = 1024 * 1024;

/// A bid's attachment: a short PDF or spreadsheet for a board, as the round's guidance asks.
pub const ATTACHMENT_BYTES: usize = 2 * 1024 * 1024;

/// A file of measure values (CSV or XLSX, uploaded or given to `safer import values`): one row
/// per area and period, so 5 MB is tens of thousands of rows, more than any partnership enters.
pub const VALUES_FILE_BYTES: usize = 5 * 1024 * 1024;

/// What a form carrying a file adds to the file itself: the multipart framing and the CSRF token.
pub const FORM_FRAMING_BYTES: usize = 64 * 1024;

/// What an XLSX workbook (a zip archive) may unpack to, all its parts together. A workbook of
/// values unpacks to a few times its size; a zip bomb unpacks to thousands of times its size and
/// is refused as soon as this many bytes have come out.
pub const XLSX_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;

/// The parts an XLSX archive may have: a workbook has about a dozen.
pub const XLSX_PARTS: usize = 1_000;

/// The cells read from a workbook's sheet: more than a values file ever needs.
pub const WORKBOOK_CELLS: usize = 1_000_000;

/// The rows read from a values file (CSV or a workbook's sheet).
pub const VALUES_ROWS: usize = 200_000;

/// The columns of a values file that are read; the rest are passed over.
pub const VALUES_COLUMNS: usize = 64;

/// One field of a values file: an ONS code, a month or a number is a few characters.
pub const VALUES_FIELD_CHARS: usize = 200;

/// One line of a CSV file (police.uk rows, values, SPC series): police.uk's longest lines are
/// under 400 bytes.
pub const CSV_LINE_BYTES: usize = 64 * 1024;

/// One police.uk file, decompressed: the largest force's monthly file is about 30 MB.
pub const POLICE_UK_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// One ONS lookup or population file, decompressed: the national LSOA lookups are a few MB.
pub const LOOKUP_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// [`ATTACHMENT_BYTES`] as the bid form's hint says it.
pub fn attachment_limit() -> String {
    size(ATTACHMENT_BYTES as u64)
}

/// [`VALUES_FILE_BYTES`] as the measure's upload form says it.
pub fn values_file_limit() -> String {
    size(VALUES_FILE_BYTES as u64)
}

/// The input of `safer spc analyse`, decompressed: 100,000 series of five years of months is
/// about 200 MB.
pub const SPC_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// The problems a command prints from one file; the rest are counted.
pub const PROBLEMS_SHOWN: usize = 50;

/// The characters of an offending value that a message quotes.
pub const EXCERPT_CHARS: usize = 40;

/// A value as a message quotes it: whole, in quotes, when short; otherwise its beginning and its
/// length, so a message about a huge value stays a line long:
/// `"AAAAAAAA…" (800,000,000 characters long)`.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => format!("{text:?}"),
        Some((end, _)) => format!(
            "{:?} ({} characters long)",
            format!("{}…", &text[..end]),
            thousands(text.chars().count() as u64)
        ),
    }
}

/// [`quote`] for bytes that may not be UTF-8 (a line cut off at a limit, say).
pub fn quote_bytes(bytes: &[u8], total_len: u64) -> String {
    let head = &bytes[..bytes.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let shown: String = text.chars().take(EXCERPT_CHARS).collect();
    format!(
        "it begins {:?} and is {} bytes long",
        format!("{shown}…"),
        thousands(total_len)
    )
}

/// A size in the words a message uses: 2 MB, 64 KB, 1 GB (powers of 1,024, as file managers
/// show them).
pub fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    match bytes {
        b if b >= KB * KB * KB && b.is_multiple_of(KB * KB * KB) => {
            format!("{} GB", b / (KB * KB * KB))
        }
        b if b >= KB * KB && b.is_multiple_of(KB * KB) => format!("{} MB", b / (KB * KB)),
        b if b >= KB * KB => format!("{:.1} MB", b as f64 / (KB * KB) as f64),
        b if b >= KB => format!("{} KB", b / KB),
        b => format!("{} bytes", thousands(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_value_is_quoted_by_its_beginning_and_length() {
        assert_eq!(quote("lots"), "\"lots\"");
        let long = "A".repeat(800_000);
        assert_eq!(
            quote(&long),
            format!(
                "\"{}…\" (800,000 characters long)",
                "A".repeat(EXCERPT_CHARS)
            )
        );
        assert_eq!(
            quote(&"é".repeat(EXCERPT_CHARS)),
            format!("{:?}", "é".repeat(40))
        );
        assert_eq!(
            quote_bytes(b"AB\xffC", 1_073_741_824),
            "it begins \"AB\u{fffd}C…\" and is 1,073,741,824 bytes long"
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(ATTACHMENT_BYTES as u64), "2 MB");
        assert_eq!(size(CSV_LINE_BYTES as u64), "64 KB");
        assert_eq!(size(POLICE_UK_FILE_BYTES), "1 GB");
        assert_eq!(size(1_572_864), "1.5 MB");
        assert_eq!(size(12), "12 bytes");
    }
}
