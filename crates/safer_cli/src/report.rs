//! `safer report`: reports written to files.

use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use safer_core::police::YearMonth;
use safer_store::Db;
use safer_web::error::AppError;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The performance report of an area for a month, as one self-contained HTML file: every
    /// measure's control chart, narrative, year to date and comparison.
    Performance {
        /// The area's ONS code, e.g. E23000016 (a police force area) or E22000233 (a CSP).
        #[arg(long)]
        area: String,
        /// The month reported on, YYYY-MM; the latest with data when absent.
        #[arg(long)]
        month: Option<String>,
        /// Where to write the HTML.
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn run(db: &Db, command: ReportCommand) -> Result<()> {
    let ReportCommand::Performance { area, month, out } = command;
    let month = match month {
        None => None,
        Some(text) => Some(YearMonth::parse(&text).ok_or_else(|| {
            anyhow!("--month {text:?} is not a month: write it as YYYY-MM, e.g. 2019-02")
        })?),
    };
    let report = safer_web::build_report(db, &area, month)
        .await
        .map_err(|e| match e {
            AppError::NotFound => anyhow!(
                "no area has the code {area:?}: import the ONS lookups first (safer import ons-lookup FILE), and give the area's ONS code"
            ),
            other => anyhow!("could not build the report: {other:?}"),
        })?;
    let html = safer_web::report_document(&report)
        .map_err(|e| anyhow!("could not draw the report: {e:?}"))?;
    std::fs::write(&out, html).with_context(|| format!("could not write {}", out.display()))?;
    eprintln!("Wrote {} to {}", report.title(), out.display());
    Ok(())
}
