//! The performance pages over the demo's real police.uk files and ONS lookups.

use crate::support::{Page, TestApp};
use axum::http::{StatusCode, header};
use safer_store::areas::{self, AreaKind};
use safer_store::measures;
use scraper::Selector;

/// The rows of a table on a page, as cell texts.
fn table(page: &Page, id: &str) -> Vec<Vec<String>> {
    let rows = Selector::parse(&format!("#table-{id} tbody tr")).unwrap();
    let cells = Selector::parse("th, td").unwrap();
    page.html()
        .select(&rows)
        .map(|r| {
            r.select(&cells)
                .map(|c| c.text().collect::<String>().trim().to_owned())
                .collect()
        })
        .collect()
}

/// A CSV download's header and records.
fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let head = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (head, records)
}

async fn area_code(app: &TestApp, kind: AreaKind, name: &str) -> String {
    areas::of_kind(&app.state.db, kind)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .code
}

async fn measure_id(app: &TestApp, name: &str) -> i64 {
    measures::list(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.details.name == name)
        .unwrap()
        .id
}

#[tokio::test]
async fn an_analyst_reads_a_partnership_s_measures_and_downloads_them() {
    let app = TestApp::new().await;
    app.import_open_data(&["west-mercia"]).await;
    let mut officer = app.sign_in("officer@west-midlands.example").await;

    let index = app.get(&mut officer, "/performance").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(
        index
            .body
            .contains("5 months of street-level data, October 2018 to February 2019")
    );

    // The partnership's dashboard: every measure, with its latest month and markers in words.
    let nw = area_code(&app, AreaKind::Csp, "North Worcestershire").await;
    let dashboard = app
        .get(&mut officer, &format!("/performance/areas/{nw}"))
        .await;
    assert_eq!(dashboard.status, StatusCode::OK);
    let rows = table(&dashboard, "measures");
    assert_eq!(
        rows.len(),
        measures::list(&app.state.db).await.unwrap().len()
    );
    let crime = rows
        .iter()
        .find(|r| r[0] == "Total recorded crime")
        .unwrap();
    assert_eq!(crime[1], "February 2019");
    assert_eq!(crime[4], "Common cause variation");
    // Stop and search has no LSOA, so nothing below a force area; the survey is the West
    // Midlands'.
    let searches = rows.iter().find(|r| r[0] == "Stop and search").unwrap();
    assert_eq!(searches[1], "No data for this area");

    // The dashboard's CSV holds what the page shows.
    let csv = app
        .get(&mut officer, &format!("/performance/areas/{nw}/csv"))
        .await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let (head, records) = parse_csv(&csv.body);
    assert_eq!(
        head,
        [
            "Measure",
            "Latest",
            "Value",
            "Average",
            "Variation",
            "Assurance"
        ]
    );
    assert_eq!(records, rows);

    // The measure: chart, narrative, table, drill-down and comparison.
    let trc = measure_id(&app, "Total recorded crime").await;
    let path = format!("/performance/areas/{nw}/measures/{trc}");
    let page = app.get(&mut officer, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    let narrative = page.text("#narrative");
    assert!(
        narrative.starts_with("Stable since October 2018 at a monthly average of"),
        "{narrative}"
    );
    assert_eq!(
        page.text("svg[role=img] title"),
        "Total recorded crime: control chart"
    );
    assert!(page.text("svg desc").contains(&narrative));
    let series = table(&page, "series");
    assert_eq!(series.len(), 5);
    assert_eq!(series[0][0], "October 2018");
    assert_eq!(series[4][0], "February 2019");
    assert_eq!(
        crime[2], series[4][1],
        "the dashboard's latest is the chart's last point"
    );

    // The categories and the LSOAs behind February's count add up to it.
    let total: i64 = series[4][1].replace(',', "").parse().unwrap();
    let sum = |rows: Vec<Vec<String>>| -> i64 {
        rows.iter()
            .map(|r| r[1].replace(',', "").parse::<i64>().unwrap())
            .sum()
    };
    assert_eq!(sum(table(&page, "categories")), total);
    let lsoas_csv = app
        .get(&mut officer, &format!("{path}/csv?table=lsoas"))
        .await;
    let (_, lsoas) = parse_csv(&lsoas_csv.body);
    assert!(lsoas.len() > 25);
    assert_eq!(sum(lsoas), total);
    assert_eq!(table(&page, "lsoas").len(), 25, "the page lists the top 25");

    // Ranked against the other West Mercia partnerships, by rate per 1,000 residents.
    let comparison = table(&page, "comparison");
    assert_eq!(comparison.len(), 5);
    assert!(
        comparison
            .iter()
            .any(|r| r[0] == "North Worcestershire (this area)")
    );
    let rates: Vec<f64> = comparison.iter().map(|r| r[4].parse().unwrap()).collect();
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{rates:?}");

    // The API gives the same series and narrative.
    let api: serde_json::Value = serde_json::from_str(
        &app.get(
            &mut officer,
            &format!("/api/v1/measures/{trc}/areas/{nw}/observations"),
        )
        .await
        .body,
    )
    .unwrap();
    let values: Vec<f64> = api["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values.len(), 5);
    assert_eq!(values[4], total as f64);
    let analysis: serde_json::Value = serde_json::from_str(
        &app.get(
            &mut officer,
            &format!("/api/v1/measures/{trc}/areas/{nw}/analysis"),
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(analysis["analysis"]["narrative"], narrative.as_str());
    assert_eq!(analysis["analysis"]["points"].as_array().unwrap().len(), 5);
    let mut public = crate::support::Client::default();
    let refused = app
        .get(
            &mut public,
            &format!("/api/v1/measures/{trc}/areas/{nw}/analysis"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);

    // Follow an LSOA to its records.
    let first_lsoa = Selector::parse("#table-lsoas tbody a").unwrap();
    let href = page
        .html()
        .select(&first_lsoa)
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    let lsoa = app.get(&mut officer, &href).await;
    assert_eq!(lsoa.status, StatusCode::OK);
    let records = table(&lsoa, "records");
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| r[0] != "Anti-social behaviour"));

    // An earlier month to look behind.
    let january = app
        .get(&mut officer, &format!("{path}?month=2019-01"))
        .await;
    assert!(
        january
            .text("#table-categories caption")
            .contains("January 2019")
    );
    for bad in [
        format!("{path}?month=2017-01"),
        format!("{path}?month=January"),
        format!("{path}/csv?table=nothing"),
        format!("/performance/areas/E99999999/measures/{trc}"),
        format!("/performance/areas/{nw}/measures/999999"),
    ] {
        assert_eq!(
            app.get(&mut officer, &bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }

    // The report for the force area, for January: every measure, and how each partnership stands.
    let force = area_code(&app, AreaKind::Force, "West Mercia").await;
    let report = app
        .get(
            &mut officer,
            &format!("/performance/areas/{force}/report?month=2019-01"),
        )
        .await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(
        report.text("h1"),
        "Performance against the Police and Crime Plan: West Mercia, January 2019"
    );
    let sections = Selector::parse("section.app-report-measure").unwrap();
    assert_eq!(
        report.html().select(&sections).count(),
        measures::list(&app.state.db).await.unwrap().len()
    );
    assert_eq!(table(&report, &format!("within-{trc}")).len(), 5);
    assert!(
        !report.body.contains("February 2019"),
        "nothing after the month reported on"
    );
}

#[tokio::test]
async fn an_officer_defines_a_survey_measure_and_uploads_its_waves() {
    let app = TestApp::new().await;
    app.import_open_data(&[]).await;
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let form = app.get(&mut officer, "/performance/measures/new").await;
    assert_eq!(form.status, StatusCode::OK);

    // What to fix, field by field.
    let refused = app
        .post(
            &mut officer,
            "/performance/measures",
            &[
                ("source", "street"),
                ("unit", "count"),
                ("target", "change"),
                ("target-percent", "-5"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = refused.text(".govuk-error-summary");
    for message in [
        "Enter the measure's name",
        "Select the police.uk categories the measure counts",
        "Enter the month as YYYY-MM, for example 2018-04",
    ] {
        assert!(summary.contains(message), "{summary}");
    }

    let saved = app
        .post(
            &mut officer,
            "/performance/measures",
            &[
                ("name", "Victims satisfied with the service"),
                ("source", "entered"),
                ("unit", "percentage"),
                ("polarity", "higher_is_better"),
                ("frequency", "quarterly"),
                ("target", "level"),
                ("target-value", "85"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let path = saved.location().to_owned();
    assert!(path.starts_with("/performance/measures/"));

    // A CSV with good rows, a bad one and an unknown area: the good rows go in.
    let csv = "area,period,value,denominator\n\
        E23000014,2015-04,83.1,1000\n\
        E23000014,2015-07,83.6,1000\n\
        E23000014,2015-10,eighty,1000\n\
        E99999999,2015-10,80,1000\n";
    let page = app
        .post_file(
            &mut officer,
            &format!("{path}/values"),
            "waves.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text(".govuk-notification-banner")
            .contains("2 values saved")
    );
    let problems = page.text("#upload-problems");
    assert!(
        problems.contains("waves.csv, line 4: value \"eighty\" is not a number"),
        "{problems}"
    );
    assert!(
        problems.contains("waves.csv, line 5: area E99999999 is not an area safer holds"),
        "{problems}"
    );
    assert_eq!(table(&page, "values").len(), 2);

    // The same waves from a workbook replace them; a third wave is added.
    let xlsx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../safer_import/tests/data/waves.xlsx"
    ))
    .unwrap();
    let page = app
        .post_file(&mut officer, &format!("{path}/values"), "waves.xlsx", &xlsx)
        .await;
    assert!(
        page.text(".govuk-notification-banner")
            .contains("2 values saved")
    );
    let values = table(&page, "values");
    assert_eq!(
        values
            .iter()
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect::<Vec<_>>(),
        [
            ("April 2015", "83.1%"),
            ("July 2015", "83.6%"),
            ("October 2015", "83.2%")
        ]
    );

    // No file: say so.
    let empty = app
        .post_file(&mut officer, &format!("{path}/values"), "", b"")
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .text(".govuk-error-summary")
            .contains("Select a CSV or XLSX file of values")
    );

    // A partnership manager of another organisation may read it but not upload to it.
    let mut manager = app.sign_in("manager@solihull.example").await;
    assert_eq!(app.get(&mut manager, &path).await.status, StatusCode::OK);
    let refused = app
        .post_file(
            &mut manager,
            &format!("{path}/values"),
            "waves.csv",
            csv.as_bytes(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
