//! Readers for the ONS geography lookups and population estimates that place police.uk's
//! LSOAs in wards, local authorities, Community Safety Partnerships and police force areas.
//!
//! Which lookup a file is, is read from its content, not its name: the LAD → CSP → PFA CSV
//! (`LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM`), the LSOA → ward JSON
//! (`{"WD17CD": [{"lsoa11cd": …}]}`) and the ward → LAD JSON
//! (`{"LAD17CD": [{"lad17nm", "wd17cd", "wd17nm"}]}`).

use crate::FileError;
use safer_store::areas::{self, AreaKind, NewArea};
use safer_store::{Author, Db};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// The areas one lookup file gives.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// What the file is, for people.
    pub description: &'static str,
    /// The lookup's vintage, stored with each area.
    pub vintage: &'static str,
    /// The areas, each with the area it lies in.
    pub areas: Vec<NewArea>,
}

fn content(file: &str, message: impl Into<String>) -> FileError {
    FileError::Content {
        file: file.to_owned(),
        message: message.into(),
    }
}

fn area(code: &str, kind: AreaKind, name: &str, parent: Option<&str>) -> NewArea {
    NewArea {
        code: code.trim().to_owned(),
        kind,
        name: name.trim().to_owned(),
        parent_code: parent.map(|p| p.trim().to_owned()),
    }
}

/// Reads a lookup file, whichever of the three it is.
pub fn read_lookup(file: &str, text: &str) -> Result<Lookup, FileError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        let map: Map<String, Value> = serde_json::from_str(text)
            .map_err(|e| content(file, format!("is not JSON that safer knows: {e}")))?;
        return json_lookup(file, &map);
    }
    lad_csp_pfa(file, text)
}

fn lad_csp_pfa(file: &str, text: &str) -> Result<Lookup, FileError> {
    const HEADER: [&str; 6] = [
        "LAD17CD", "LAD17NM", "CSP17CD", "CSP17NM", "PFA17CD", "PFA17NM",
    ];
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| content(file, e.to_string()))?
        .clone();
    let columns: Vec<usize> = HEADER
        .iter()
        .map(|h| headers.iter().position(|f| f.trim() == *h))
        .collect::<Option<_>>()
        .ok_or_else(|| {
            content(
                file,
                format!(
                    "is not a lookup safer knows: a CSV lookup needs the columns {}",
                    HEADER.join(",")
                ),
            )
        })?;
    let mut forces = BTreeMap::new();
    let mut csps = BTreeMap::new();
    let mut areas = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| content(file, format!("line {}: {e}", i + 2)))?;
        let field = |k: usize| record.get(columns[k]).unwrap_or("").trim();
        if (0..6).any(|k| field(k).is_empty()) {
            return Err(content(
                file,
                format!(
                    "line {}: every column of {} needs a value",
                    i + 2,
                    HEADER.join(",")
                ),
            ));
        }
        forces.insert(
            field(4).to_owned(),
            area(field(4), AreaKind::Force, field(5), None),
        );
        csps.insert(
            field(2).to_owned(),
            area(field(2), AreaKind::Csp, field(3), Some(field(4))),
        );
        areas.push(area(
            field(0),
            AreaKind::LocalAuthority,
            field(1),
            Some(field(2)),
        ));
    }
    let mut all: Vec<NewArea> = forces.into_values().chain(csps.into_values()).collect();
    all.append(&mut areas);
    Ok(Lookup {
        description: "local authority → Community Safety Partnership → police force area",
        vintage: "ONS LAD17-CSP17-PFA17",
        areas: all,
    })
}

fn json_lookup(file: &str, map: &Map<String, Value>) -> Result<Lookup, FileError> {
    let first_entry = map
        .values()
        .find_map(|v| v.as_array().and_then(|a| a.first()))
        .and_then(Value::as_object);
    let has = |key: &str| first_entry.is_some_and(|o| o.contains_key(key));
    let string = |entry: &Value, key: &str| -> Result<String, FileError> {
        entry
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| content(file, format!("an entry has no {key}")))
    };
    if has("lsoa11cd") {
        let mut areas = Vec::new();
        for (ward, entries) in map {
            for entry in entries.as_array().into_iter().flatten() {
                let lsoa = string(entry, "lsoa11cd")?;
                areas.push(area(&lsoa, AreaKind::Lsoa, &lsoa, Some(ward)));
            }
        }
        return Ok(Lookup {
            description: "LSOA → ward",
            vintage: "ONS LSOA11-WD17 best fit",
            areas,
        });
    }
    if has("wd17cd") {
        let mut authorities = BTreeMap::new();
        let mut areas = Vec::new();
        for (lad, entries) in map {
            for entry in entries.as_array().into_iter().flatten() {
                let lad_name = string(entry, "lad17nm")?;
                authorities.insert(
                    lad.clone(),
                    area(lad, AreaKind::LocalAuthority, &lad_name, None),
                );
                areas.push(area(
                    &string(entry, "wd17cd")?,
                    AreaKind::Ward,
                    &string(entry, "wd17nm")?,
                    Some(lad),
                ));
            }
        }
        let mut all: Vec<NewArea> = authorities.into_values().collect();
        all.append(&mut areas);
        return Ok(Lookup {
            description: "ward → local authority",
            vintage: "ONS WD17-LAD17",
            areas: all,
        });
    }
    if has("rgn17nm") {
        return Err(content(
            file,
            "is the local authority → region lookup, which safer does not use; import the LSOA → ward, ward → local authority and local authority → CSP → police force area lookups",
        ));
    }
    if map
        .values()
        .next()
        .is_some_and(|v| v.get("population").is_some())
    {
        return Err(content(
            file,
            "holds populations, not a lookup: import it with safer import population",
        ));
    }
    Err(content(
        file,
        "is not a lookup safer knows: expected the ONS LSOA → ward or ward → local authority lookup as JSON, or the local authority → CSP → police force area lookup as CSV",
    ))
}

/// Reads `{"<area code>": {"population": n}}`, the ONS mid-2017 estimates.
pub fn read_population(file: &str, text: &str) -> Result<Vec<(String, i64)>, FileError> {
    let map: Map<String, Value> = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| content(file, format!("is not a population file safer knows: {e}")))?;
    map.iter()
        .map(|(code, value)| {
            value
                .get("population")
                .and_then(Value::as_i64)
                .filter(|n| *n >= 0)
                .map(|n| (code.clone(), n))
                .ok_or_else(|| {
                    content(
                        file,
                        format!(
                            "{} has no population as a whole number",
                            safer_core::limits::quote(code)
                        ),
                    )
                })
        })
        .collect()
}

/// What storing a lookup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupStored {
    /// What the lookup was.
    pub description: &'static str,
    /// Areas added or updated.
    pub areas: usize,
}

/// Reads a lookup file (gzipped or not) and stores its areas in one transaction.
pub async fn import_lookup(
    db: &Db,
    path: &Path,
    author: &Author,
) -> Result<LookupStored, FileError> {
    let name = path.display().to_string();
    let lookup = read_lookup(
        &name,
        &crate::read_text(path, safer_core::limits::LOOKUP_FILE_BYTES)?,
    )?;
    areas::upsert(db, &lookup.areas, lookup.vintage, &name, author).await?;
    // LSOAs already imported that this lookup does not place may now be placed by name.
    areas::place_lsoas_by_name(db, author).await?;
    Ok(LookupStored {
        description: lookup.description,
        areas: lookup.areas.len(),
    })
}

/// Reads a population file (gzipped or not) and sets the populations of the areas held, in one
/// transaction. Returns (areas matched, codes in the file).
pub async fn import_population(
    db: &Db,
    path: &Path,
    author: &Author,
) -> Result<(u64, u64), FileError> {
    let name = path.display().to_string();
    let populations = read_population(
        &name,
        &crate::read_text(path, safer_core::limits::LOOKUP_FILE_BYTES)?,
    )?;
    let matched = areas::set_populations(db, &populations, &name, author).await?;
    Ok((matched, populations.len() as u64))
}
