use crate::support::{data, import, import_lookups, manifest_rows, police_uk};
use safer_store::areas::{self, AreaKind};
use safer_store::police_uk::{files, row_counts, street_counts_by_area};
use safer_test_support::TestDb;
use std::collections::HashMap;

#[tokio::test]
async fn every_real_file_imports_whole_and_every_lsoa_reaches_a_csp_and_a_force() {
    let t = TestDb::new().await;
    import_lookups(&t.db).await;
    let report = import(&t.db, &[data().join("police-uk")]).await;

    // Every row of all 88 files, none rejected: the manifest's row counts, file by file.
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert_eq!(report.rejected(), 0);
    let imported: HashMap<String, u64> = report
        .files
        .iter()
        .map(|f| (f.file.rsplit('/').next().unwrap().to_owned(), f.rows))
        .collect();
    let manifest = manifest_rows();
    assert_eq!(manifest.len(), 88);
    for (name, rows) in &manifest {
        assert_eq!(imported.get(name), Some(rows), "{name}");
    }
    let stored: u64 = files(&t.db)
        .await
        .unwrap()
        .iter()
        .map(|f| f.row_count as u64)
        .sum();
    assert_eq!(stored, 154_112);

    // The quirks, as the data's README counts them.
    let by_force = |force: &str, f: fn(&safer_import::run::FileReport) -> u64| -> u64 {
        report
            .files
            .iter()
            .filter(|r| r.name.force == force && r.name.kind.suffix() == "street")
            .map(f)
            .sum()
    };
    // Anti-social behaviour rows have no Crime ID and are kept.
    assert_eq!(
        by_force("city-of-london", |r| r.anti_social_behaviour),
        3_501
    );
    assert_eq!(by_force("west-mercia", |r| r.anti_social_behaviour), 15_631);
    // "No Location" rows are kept, counted at force level only.
    assert_eq!(by_force("city-of-london", |r| r.no_location), 1_807);
    assert_eq!(by_force("staffordshire", |r| r.no_location), 5_570);
    // Repeated Crime IDs are separate rows: 2018-10 has 782 rows in all.
    assert_eq!(
        row_counts(&t.db, "city-of-london", "2018-10")
            .await
            .unwrap(),
        [782, 782, 0, 128]
    );
    // Greater Manchester's file has CRLF line endings and two rows dated in May (UTC) that
    // fall in June in the UK.
    assert_eq!(
        row_counts(&t.db, "greater-manchester", "2019-06")
            .await
            .unwrap(),
        [0, 0, 0, 907]
    );

    // Rows in other forces' areas roll up by their LSOA, never by "Falls within".
    let by_csp = street_counts_by_area(&t.db, "west-mercia", AreaKind::Csp)
        .await
        .unwrap();
    let count = |month: &str, csp: Option<&str>| {
        by_csp
            .iter()
            .filter(|c| c.month == month && c.area_name.as_deref() == csp)
            .map(|c| c.row_count)
            .sum::<i64>()
    };
    // The README's table of West Mercia's rows by CSP.
    assert_eq!(count("2018-10", Some("North Worcestershire")), 2_610);
    assert_eq!(count("2018-10", Some("South Worcester")), 2_733);
    assert_eq!(count("2019-02", Some("Telford and Wrekin")), 1_528);
    assert_eq!(count("2018-10", None), 63, "no location");
    let by_force_area = street_counts_by_area(&t.db, "city-of-london", AreaKind::Force)
        .await
        .unwrap();
    let outside: i64 = by_force_area
        .iter()
        .filter(|c| c.area_code.is_some() && c.area_name.as_deref() != Some("London, City of"))
        .map(|c| c.row_count)
        .sum();
    assert_eq!(outside, 1_346, "City of London rows in other forces' areas");

    // Every LSOA in the files reaches a ward, a local authority, a CSP and a force.
    let chains = areas::lsoa_chains(&t.db).await.unwrap();
    assert_eq!(chains.len(), 2_160);
    let broken: Vec<_> = chains
        .iter()
        .filter(|(_, (w, la, csp, f))| w.is_none() || la.is_none() || csp.is_none() || f.is_none())
        .collect();
    assert!(broken.is_empty(), "{broken:?}");
    // Names from the files; populations from ONS.
    let lsoa = areas::find(&t.db, "E01009350").await.unwrap().unwrap();
    assert_eq!(lsoa.name, "Birmingham 039B");
    assert!(lsoa.population.is_some());
    let csps: Vec<String> = areas::children(&t.db, "E23000017")
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        csps,
        [
            "North Warwickshire",
            "Nuneaton and Bedworth",
            "Rugby",
            "South Warwickshire"
        ]
    );

    crate::measures::measures_add_up_across_areas(&t.db).await;
}

#[tokio::test]
async fn importing_a_month_again_replaces_it() {
    let t = TestDb::new().await;
    let month = police_uk("city-of-london/2018-10-city-of-london-street.csv");
    let other = police_uk("city-of-london/2018-11-city-of-london-street.csv");
    import(&t.db, &[month.clone(), other]).await;
    let before = row_counts(&t.db, "city-of-london", "2018-10")
        .await
        .unwrap();
    let report = import(&t.db, std::slice::from_ref(&month)).await;
    assert_eq!(report.rows(), 782);
    assert_eq!(
        row_counts(&t.db, "city-of-london", "2018-10")
            .await
            .unwrap(),
        before,
        "the same file again changes nothing"
    );

    // A re-issued month with fewer rows replaces the old one whole; other months are untouched.
    let dir = tempfile::tempdir().unwrap();
    let reissued = dir.path().join("2018-10-city-of-london-street.csv");
    let text = std::fs::read_to_string(&month).unwrap();
    let kept: Vec<&str> = text.lines().take(101).collect();
    std::fs::write(&reissued, kept.join("\n") + "\n").unwrap();
    import(&t.db, &[reissued]).await;
    assert_eq!(
        row_counts(&t.db, "city-of-london", "2018-10")
            .await
            .unwrap(),
        [100, 100, 0, 0]
    );
    assert_eq!(
        row_counts(&t.db, "city-of-london", "2018-11")
            .await
            .unwrap()[0],
        799
    );
    assert_eq!(files(&t.db).await.unwrap().len(), 2);
}

#[tokio::test]
async fn malformed_rows_are_reported_by_file_and_line_and_the_rest_imported() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2019-02-warwickshire-street.csv");
    let text =
        std::fs::read_to_string(police_uk("warwickshire/2019-02-warwickshire-street.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[10] = lines[10].replace("2019-02", "Feb 2019");
    lines[20] = "a,row,that,is,cut,short".to_owned();
    std::fs::write(&path, lines.join("\r\n") + "\r\n").unwrap();
    let report = import(&t.db, &[path]).await;
    let file = &report.files[0];
    assert_eq!((file.rows, file.rejected), (4_029, 2));
    let messages: Vec<String> = file
        .problems
        .iter()
        .map(|p| format!("line {}: {}", p.line, p.message))
        .collect();
    assert_eq!(
        messages,
        [
            "line 11: Month \"Feb 2019\" is not a month written as YYYY-MM",
            "line 21: has 6 fields where the header has 12",
        ]
    );
    assert!(
        file.problems[0]
            .file
            .ends_with("2019-02-warwickshire-street.csv")
    );
    assert_eq!(
        row_counts(&t.db, "warwickshire", "2019-02").await.unwrap(),
        [4_029, 4_029, 0, 0]
    );
}

#[tokio::test]
async fn files_that_are_not_police_uk_files_are_passed_over_with_a_reason() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    // Named as a street file, but holding stop and search.
    std::fs::copy(
        police_uk("greater-manchester/2019-06-greater-manchester-stop-and-search.csv"),
        dir.path().join("2019-06-greater-manchester-street.csv"),
    )
    .unwrap();
    let report = import(&t.db, &[dir.path().to_path_buf()]).await;
    assert_eq!(report.skipped.len(), 1);
    assert!(
        report.skipped[0]
            .1
            .contains("not named as police.uk names its files")
    );
    assert_eq!(report.failed.len(), 1);
    assert!(
        report.failed[0]
            .1
            .contains("is not a police.uk street-level crime file"),
        "{}",
        report.failed[0].1
    );
    assert!(files(&t.db).await.unwrap().is_empty());
}

#[tokio::test]
async fn without_the_ward_lookups_lsoas_are_placed_by_their_names_and_safer_says_so() {
    let t = TestDb::new().await;
    let report = import(
        &t.db,
        &[police_uk("west-mercia/2018-10-west-mercia-street.csv")],
    )
    .await;
    // Nothing to place them in yet.
    assert!(report.placed_by_name.placed.is_empty());
    let lsoas = areas::of_kind(&t.db, AreaKind::Lsoa).await.unwrap().len() as u64;
    assert_eq!(report.placed_by_name.unplaced, lsoas);

    // The local authority → CSP → force lookup arrives: the LSOAs are placed by name.
    let lad = data().join("reference/ons-lookups/Local_Authority_District_to_Community_Safety_Partnerships_to_Police_Force_Areas__January_2017__Lookup_in_England_and_Wales_Version_2.csv");
    safer_import::ons::import_lookup(&t.db, &lad, &crate::support::author())
        .await
        .unwrap();
    let placed = areas::place_lsoas_by_name(&t.db, &crate::support::author())
        .await
        .unwrap();
    assert_eq!(placed.unplaced, 0, "every LSOA is placed, once");
    assert!(placed.placed.is_empty());
    let worcester = areas::children(&t.db, "E07000237").await.unwrap();
    assert_eq!(worcester.len(), 1);
    assert_eq!(worcester[0].name, "Worcester: wards not known");
    // The README's counts by CSP hold as with the full lookups.
    let by_csp = street_counts_by_area(&t.db, "west-mercia", AreaKind::Csp)
        .await
        .unwrap();
    let count = |csp: &str| {
        by_csp
            .iter()
            .filter(|c| c.area_name.as_deref() == Some(csp))
            .map(|c| c.row_count)
            .sum::<i64>()
    };
    assert_eq!(count("North Worcestershire"), 2_610);
    assert_eq!(count("South Worcester"), 2_733);

    // The ward lookups place them exactly.
    import_lookups(&t.db).await;
    let lsoa = areas::find(&t.db, "E01032262").await.unwrap();
    assert!(lsoa.is_some_and(|l| {
        l.parent_code
            .is_some_and(|p| !p.ends_with("wards-not-known"))
    }));
}
