//! `safer export`: open data written to files.

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use safer_core::giving::{self, GrantRecord};
use safer_store::Db;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Every grant in the 360Giving Data Standard (1.4): a JSON data package, or the flat CSV
    /// form with the standard's column titles.
    #[command(name = "360giving")]
    Giving {
        /// Where to write it; must not exist.
        #[arg(long)]
        out: PathBuf,
        /// json or csv; by default, from the file's extension.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// The publisher's registered 360Giving prefix, e.g. 360G-wmpcc. Grant, fund and
        /// organisation identifiers are made under it.
        #[arg(long, default_value = "360G-safer")]
        prefix: String,
        /// The publisher's name, for the package's metadata.
        #[arg(long, default_value = "safer")]
        publisher: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A 360Giving JSON data package.
    Json,
    /// The flat CSV form.
    Csv,
    /// The spreadsheet form: a grants sheet with the CSV's columns, and a Meta sheet.
    Xlsx,
}

pub async fn run(db: &Db, command: ExportCommand) -> Result<()> {
    let ExportCommand::Giving {
        out,
        format,
        prefix,
        publisher,
    } = command;
    if !giving::valid_prefix(&prefix) {
        bail!(
            "--prefix {prefix:?} is not a 360Giving prefix: it starts 360G- and then letters, digits or hyphens, e.g. 360G-wmpcc"
        );
    }
    let format = match format {
        Some(f) => f,
        None => match out.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            Some(e) if e.eq_ignore_ascii_case("xlsx") => Format::Xlsx,
            _ => bail!(
                "say which format to write with --format json, csv or xlsx (the file name {} does not end .json, .csv or .xlsx)",
                out.display()
            ),
        },
    };
    let records = safer_store::grants::giving_records(db)
        .await
        .context("could not read the grants")?;
    if records.is_empty() {
        bail!("there are no grants to export: a 360Giving file needs at least one");
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&out)
        .with_context(|| {
            format!(
                "could not create {} (it must not exist already)",
                out.display()
            )
        })?;
    let mut writer = BufWriter::new(file);
    let written = match format {
        Format::Json => write_package(&mut writer, &records, &prefix, &publisher),
        Format::Csv => write_csv(&mut writer, &records, &prefix),
        Format::Xlsx => write_xlsx(&mut writer, &records, &prefix, &publisher),
    }
    .and_then(|()| writer.flush().map_err(Into::into));
    if let Err(e) = written {
        // Nothing half-written is left behind.
        drop(writer);
        let _ = std::fs::remove_file(&out);
        return Err(e).with_context(|| format!("could not write {}", out.display()));
    }
    eprintln!("Wrote {} grants to {}", records.len(), out.display());
    Ok(())
}

fn write_package(
    out: &mut impl Write,
    records: &[GrantRecord],
    prefix: &str,
    publisher: &str,
) -> Result<()> {
    let today = safer_store::clock::today();
    out.write_all(giving::package_json(records, prefix, publisher, today).as_bytes())?;
    Ok(())
}

fn write_xlsx(
    out: &mut impl Write,
    records: &[GrantRecord],
    prefix: &str,
    publisher: &str,
) -> Result<()> {
    use safer_web::spreadsheet::{Sheet, workbook};
    let locations = records.iter().map(|r| r.locations.len()).max().unwrap_or(0);
    let head = giving::csv_header(locations);
    // Amount Awarded, Applied For and Disbursed are numbers.
    let numeric = (0..head.len()).map(|i| (4..=6).contains(&i)).collect();
    let grants = Sheet {
        name: "grants".into(),
        rows: records
            .iter()
            .map(|r| giving::csv_row(prefix, r, locations))
            .collect(),
        head,
        numeric,
    };
    let meta = Sheet {
        name: "Meta".into(),
        head: vec!["Field".into(), "Value".into()],
        rows: vec![
            vec!["Title".into(), format!("Grants published by {publisher}")],
            vec!["Publisher:Name".into(), publisher.to_owned()],
            vec!["Publisher:Identifier".into(), prefix.to_owned()],
            vec!["Issued".into(), safer_store::clock::today().to_string()],
            vec!["Schema Version".into(), "1.4".into()],
        ],
        numeric: vec![false, false],
    };
    let bytes = workbook(&[grants, meta]).map_err(|e| anyhow::anyhow!(e))?;
    out.write_all(&bytes)?;
    Ok(())
}

fn write_csv(out: &mut impl Write, records: &[GrantRecord], prefix: &str) -> Result<()> {
    let locations = records.iter().map(|r| r.locations.len()).max().unwrap_or(0);
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(giving::csv_header(locations))?;
    for record in records {
        csv.write_record(giving::csv_row(prefix, record, locations))?;
    }
    csv.flush()?;
    Ok(())
}
