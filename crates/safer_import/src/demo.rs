//! The demo's open data, shipped in the repository's `demo-data/` folder: the ONS lookups and
//! populations in `ons/`, and police.uk files in `police-uk/`, all gzipped.

use crate::FileError;
use crate::ons::{import_lookup, import_population};
use crate::run::{Event, Report, import_police_uk};
use safer_store::{Author, Db};
use std::path::Path;

/// Imports the lookups (every file in `ons/` but the population), then the populations (any
/// file in `ons/` whose name starts `population`), then every police.uk file under `police-uk/`.
pub async fn load(
    db: &Db,
    dir: &Path,
    author: &Author,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, FileError> {
    let ons = dir.join("ons");
    let unreadable = |e: std::io::Error| FileError::Unreadable {
        file: ons.display().to_string(),
        message: e.to_string(),
    };
    let mut files: Vec<_> = std::fs::read_dir(&ons)
        .map_err(unreadable)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    files.sort();
    let is_population = |p: &Path| crate::plain_name(p).starts_with("population");
    for path in files.iter().filter(|p| !is_population(p)) {
        import_lookup(db, path, author).await?;
    }
    for path in files.iter().filter(|p| is_population(p)) {
        import_population(db, path, author).await?;
    }
    Ok(import_police_uk(db, &[dir.join("police-uk")], author, on_event).await?)
}
