use safer_import::run::{Report, import_police_uk};
use safer_store::{Author, Db};
use std::path::PathBuf;

/// `../shared/data`, beside the checkout.
pub fn data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

pub fn police_uk(path: &str) -> PathBuf {
    data().join("police-uk").join(path)
}

pub fn author() -> Author {
    Author::system("test")
}

pub async fn import(db: &Db, paths: &[PathBuf]) -> Report {
    import_police_uk(db, paths, &author(), &mut |_| {})
        .await
        .expect("the import runs")
}

/// The three ONS lookups and the populations.
pub async fn import_lookups(db: &Db) {
    let dir = data().join("reference/ons-lookups");
    for file in [
        "Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_Areas__January_2017__Lookup_in_England_and_Wales_Version_2.csv",
        "lookup_lad_to_ward.json",
        "best_fit_lookup.json",
    ] {
        safer_import::ons::import_lookup(db, &dir.join(file), &author())
            .await
            .unwrap();
    }
    let population = data().join("reference/ons-population/population.json");
    safer_import::ons::import_population(db, &population, &author())
        .await
        .unwrap();
}

/// The data rows of each police.uk file, from `manifest.csv`.
pub fn manifest_rows() -> Vec<(String, u64)> {
    let text = std::fs::read_to_string(data().join("manifest.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| l.starts_with("police-uk/"))
        .map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            let name = fields[0].rsplit('/').next().unwrap().to_owned();
            (name, fields[3].parse().unwrap())
        })
        .collect()
}
