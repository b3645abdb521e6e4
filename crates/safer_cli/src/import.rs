//! `safer import`: police.uk files, ONS lookups and populations.

use anyhow::{Result, bail};
use clap::Subcommand;
use safer_core::limits;
use safer_core::numbers::thousands as number;
use safer_import::run::Event;
use safer_store::{Author, Db};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// police.uk street-level crime, outcomes and stop-and-search files, or folders of them.
    /// Each file replaces what an earlier import held for its force, month and kind.
    PoliceUk {
        /// Files named as police.uk names them (2018-10-west-mercia-street.csv), or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// ONS geography lookups: LSOA → ward and ward → local authority (JSON), and local
    /// authority → Community Safety Partnership → police force area (CSV).
    OnsLookup {
        /// The lookup files, in any order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Values of an entered measure (survey waves, rates) from a CSV or XLSX file (either may be
    /// gzipped) with the columns area, period, value and optionally denominator. Good rows are
    /// saved; bad rows are listed by line. Fails if no row could be saved.
    Values {
        /// The measure's id (see /performance or /api/v1/measures).
        #[arg(long)]
        measure: i64,
        /// The CSV or XLSX file.
        file: PathBuf,
    },
    /// ONS population estimates as JSON: {"<area code>": {"population": n}}.
    Population {
        /// The population file.
        file: PathBuf,
    },
}

fn author(command: &str) -> Author {
    Author::system(&format!("command line: safer import {command}"))
}

pub async fn run(db: &Db, command: ImportCommand) -> Result<()> {
    match command {
        ImportCommand::PoliceUk { paths } => police_uk(db, &paths).await,
        ImportCommand::OnsLookup { files } => {
            for file in files {
                let stored =
                    safer_import::ons::import_lookup(db, &file, &author("ons-lookup")).await?;
                println!(
                    "{}: {} areas from the {} lookup.",
                    file.display(),
                    number(stored.areas as u64),
                    stored.description
                );
            }
            Ok(())
        }
        ImportCommand::Values { measure, file } => values(db, measure, &file).await,
        ImportCommand::Population { file } => {
            let (matched, total) =
                safer_import::ons::import_population(db, &file, &author("population")).await?;
            println!(
                "{}: populations for {} areas; {} codes are not areas safer holds (import the lookups first to place them).",
                file.display(),
                number(matched),
                number(total - matched)
            );
            Ok(())
        }
    }
}

async fn values(db: &Db, measure: i64, file: &Path) -> Result<()> {
    let Some(measure) = safer_store::measures::find(db, measure).await? else {
        bail!("there is no measure {measure}: see /performance or /api/v1/measures for ids");
    };
    let name = file.display().to_string();
    let bytes = safer_import::read_bytes(file, limits::VALUES_FILE_BYTES as u64)?;
    let uploaded =
        safer_import::observations::upload(db, &author("values"), &measure, &name, &bytes).await?;
    for problem in uploaded.problems.iter().take(limits::PROBLEMS_SHOWN) {
        eprintln!("  {problem}");
    }
    if uploaded.problems.len() > limits::PROBLEMS_SHOWN {
        eprintln!(
            "  … and {} more",
            number((uploaded.problems.len() - limits::PROBLEMS_SHOWN) as u64)
        );
    }
    println!(
        "{name}: {} values of {} saved; {} rows left out.",
        number(uploaded.saved as u64),
        measure.details.name,
        number(uploaded.problems.len() as u64)
    );
    if uploaded.saved == 0 {
        bail!("no values were saved from {name}: correct the rows listed and import it again");
    }
    Ok(())
}

/// Writes an import's progress to standard error.
pub fn show_progress(event: Event<'_>) {
    let mut stderr = std::io::stderr();
    let _ = match event {
        Event::Started { file } => writeln!(stderr, "Importing {file}…"),
        Event::Rows { file, rows } => {
            writeln!(stderr, "  {file}: {} rows read so far", number(rows))
        }
        Event::Stored { file, rows } => {
            writeln!(stderr, "  {file}: {} rows stored so far", number(rows))
        }
        Event::Finished(report) => {
            let _ = writeln!(
                stderr,
                "  {}: {} rows for {} {} in {:.1} s ({} anti-social behaviour, {} with no location){}",
                report.file,
                number(report.rows),
                report.name.force,
                report.name.month,
                report.elapsed.as_secs_f64(),
                number(report.anti_social_behaviour),
                number(report.no_location),
                if report.rejected > 0 {
                    format!("; {} rows rejected:", number(report.rejected))
                } else {
                    String::new()
                }
            );
            for problem in &report.problems {
                let _ = writeln!(stderr, "    {problem}");
            }
            if report.rejected > limits::PROBLEMS_SHOWN as u64 {
                let _ = writeln!(
                    stderr,
                    "    … and {} more",
                    number(report.rejected - limits::PROBLEMS_SHOWN as u64)
                );
            }
            Ok(())
        }
        Event::Failed { file, error } => writeln!(stderr, "  {file}: not imported: {error}"),
        Event::Skipped { path, reason } => {
            writeln!(stderr, "Skipped {}: {reason}", path.display())
        }
    };
}

async fn police_uk(db: &Db, paths: &[PathBuf]) -> Result<()> {
    let mut on_event = show_progress;
    let report =
        safer_import::run::import_police_uk(db, paths, &author("police-uk"), &mut on_event).await?;
    println!(
        "Imported {} rows from {} files{}.",
        number(report.rows()),
        report.files.len(),
        if report.rejected() > 0 {
            format!(
                "; {} malformed rows were left out",
                number(report.rejected())
            )
        } else {
            String::new()
        }
    );
    let placed = &report.placed_by_name;
    if !placed.placed.is_empty() {
        println!(
            "{} LSOAs are in no ONS lookup safer holds, so each was placed in the local authority its name names ({}); their wards are not known. Import the ward lookups (safer import ons-lookup FILE) to place them exactly.",
            number(placed.placed.iter().map(|(_, n)| n).sum()),
            placed
                .placed
                .iter()
                .map(|(name, n)| format!("{name} {}", number(*n)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if placed.unplaced > 0 {
        println!(
            "{} LSOAs could not be placed in any area: import the ONS lookups (safer import ons-lookup FILE) and they will be.",
            number(placed.unplaced)
        );
    }
    if !report.failed.is_empty() {
        bail!(
            "{} files could not be imported: {}",
            report.failed.len(),
            report
                .failed
                .iter()
                .map(|(f, _)| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if report.files.is_empty() {
        bail!("there were no police.uk files to import");
    }
    Ok(())
}
