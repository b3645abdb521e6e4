//! The demo's open data, shipped in the repository's `demo-data/` folder: the ONS lookups and
//! populations in `ons/`, and police.uk files in `police-uk/`, all gzipped.

use crate::FileError;
use crate::ons::{import_lookup, import_population};
use crate::run::{Event, Report, import_police_uk};
use safer_store::{Author, Db};
use std::path::Path;

/// Imports the lookups and populations in `ons/`, then every police.uk file under
/// `police-uk/`.
pub async fn load(
    db: &Db,
    dir: &Path,
    author: &Author,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Report, FileError> {
    load_lookups(db, &dir.join("ons"), author).await?;
    Ok(import_police_uk(db, &[dir.join("police-uk")], author, on_event).await?)
}

/// Imports every lookup in the folder `ons`, then the populations (files whose names start
/// `population`), which need the areas in place.
pub async fn load_lookups(db: &Db, ons: &Path, author: &Author) -> Result<(), FileError> {
    let unreadable = |e: std::io::Error| FileError::Unreadable {
        file: ons.display().to_string(),
        message: e.to_string(),
    };
    let mut files: Vec<_> = std::fs::read_dir(ons)
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
    Ok(())
}
