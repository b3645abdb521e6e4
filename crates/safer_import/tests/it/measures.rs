//! Measures counted from the imported police.uk files, rolled up through the ONS lookups.

use crate::support::{author, import, import_lookups, police_uk};
use safer_core::measures::{Frequency, MeasureDetails, Polarity, Source, Unit};
use safer_core::organisations::OrganisationKind;
use safer_core::police::{CrimeCategory, YearMonth};
use safer_store::areas::{self, Area, AreaKind};
use safer_store::measures::{self, AreaData, Measure};
use safer_store::organisations::{self, NewOrganisation};
use safer_store::{Db, police_uk as store};

fn ym(text: &str) -> YearMonth {
    YearMonth::parse(text).unwrap()
}

/// Total recorded crime, anti-social behaviour and stop and search, as the demo defines them.
async fn police_measures(db: &Db) -> Vec<Measure> {
    let org = organisations::create(
        db,
        &author(),
        &NewOrganisation {
            kind: OrganisationKind::PolicingBody,
            name: "West Mercia Office of the Police and Crime Commissioner",
            policing_body_id: None,
            force_area: None,
        },
    )
    .await
    .unwrap();
    let define = |name: &str, source: Source, polarity: Polarity| MeasureDetails {
        name: name.to_owned(),
        description: String::new(),
        source,
        unit: Unit::Count,
        polarity,
        frequency: Frequency::Monthly,
        target: None,
        objective_id: None,
    };
    for details in [
        define(
            "Total recorded crime",
            Source::total_recorded_crime(),
            Polarity::LowerIsBetter,
        ),
        define(
            "Anti-social behaviour",
            Source::Street {
                categories: vec![CrimeCategory::AntiSocialBehaviour],
            },
            Polarity::LowerIsBetter,
        ),
        define("Stop and search", Source::StopAndSearch, Polarity::Neither),
    ] {
        measures::add(db, &author(), org, &details).await.unwrap();
    }
    measures::list(db).await.unwrap()
}

async fn area_named(db: &Db, kind: AreaKind, name: &str) -> Area {
    areas::of_kind(db, kind)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn values(data: &AreaData, measure: &Measure, area: &Area) -> Vec<(String, Option<f64>)> {
    data.series(measure, area)
        .iter()
        .map(|p| (p.period.to_string(), p.value))
        .collect()
}

/// Run from the test that imports every file, so the files are read once.
pub async fn measures_add_up_across_areas(db: &Db) {
    let all = police_measures(db).await;
    let [crime, asb, searches] = &all[..] else {
        panic!("three measures")
    };

    // North Worcestershire in October 2018: crime plus ASB is every row located in it, from
    // West Mercia's file (the README's 2,610) and from its neighbours' files.
    let nw = area_named(db, AreaKind::Csp, "North Worcestershire").await;
    let data = AreaData::load(db, &nw, &[&nw], &all).await.unwrap();
    let crime_series = data.series(crime, &nw);
    let asb_series = data.series(asb, &nw);
    assert_eq!(crime_series.len(), 5, "October 2018 to February 2019");
    assert!(crime_series.iter().all(|p| p.value.is_some()));
    let mut located = 0;
    for force in ["west-mercia", "warwickshire", "staffordshire"] {
        located += store::street_counts_by_area(db, force, AreaKind::Csp)
            .await
            .unwrap()
            .iter()
            .filter(|c| c.month == "2018-10" && c.area_code.as_deref() == Some(nw.code.as_str()))
            .map(|c| c.row_count)
            .sum::<i64>();
    }
    assert!(located > 2_610);
    assert_eq!(
        crime_series[0].value.unwrap() + asb_series[0].value.unwrap(),
        located as f64
    );
    // The categories and the LSOAs behind a count add up to it.
    let october = ym("2018-10");
    let by_category: i64 = data
        .categories_in(crime, &nw, october)
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(by_category as f64, crime_series[0].value.unwrap());
    let Source::Street { categories } = &crime.details.source else {
        panic!("a street measure")
    };
    let lsoas = store::lsoa_counts_within(db, &nw, october, categories)
        .await
        .unwrap();
    assert_eq!(
        lsoas.iter().map(|l| l.count).sum::<i64>() as f64,
        crime_series[0].value.unwrap()
    );
    assert!(lsoas.windows(2).all(|w| w[0].count >= w[1].count));
    // No stop and search below a force area: the records carry no LSOA.
    assert!(data.series(searches, &nw).is_empty());

    // West Mercia's CSPs add up to the force area, month by month.
    let force = area_named(db, AreaKind::Force, "West Mercia").await;
    let csps = areas::children(db, &force.code).await.unwrap();
    let csp_refs: Vec<&Area> = csps.iter().collect();
    let by_csp = AreaData::load(db, &force, &csp_refs, &all).await.unwrap();
    let whole = AreaData::load(db, &force, &[&force], &all).await.unwrap();
    for (i, point) in whole.series(crime, &force).iter().enumerate() {
        let sum: f64 = csps
            .iter()
            .map(|c| by_csp.series(crime, c)[i].value.unwrap())
            .sum();
        assert_eq!(Some(sum), point.value, "{}", point.period);
    }
    assert_eq!(
        values(&by_csp, crime, &nw),
        values(&data, crime, &nw),
        "the same series whether read alone or among its neighbours"
    );

    // City of London: 36 months, and the stop and search file for October 2018.
    let city = area_named(db, AreaKind::Force, "London, City of").await;
    let data = AreaData::load(db, &city, &[&city], &all).await.unwrap();
    let series = data.series(crime, &city);
    assert_eq!(series.len(), 36);
    assert!(series.iter().all(|p| p.value.is_some()));
    let searches = data.series(searches, &city);
    assert_eq!(searches.len(), 36);
    let october = searches.iter().find(|p| p.period == october).unwrap();
    assert_eq!(october.value, Some(128.0));
}

#[tokio::test]
async fn a_month_with_no_file_is_missing_not_zero() {
    let t = safer_test_support::TestDb::new().await;
    import_lookups(&t.db).await;
    import(
        &t.db,
        &[
            police_uk("warwickshire/2018-10-warwickshire-street.csv"),
            police_uk("warwickshire/2018-12-warwickshire-street.csv"),
        ],
    )
    .await;
    let all = police_measures(&t.db).await;
    let rugby = area_named(&t.db, AreaKind::Csp, "Rugby").await;
    let data = AreaData::load(&t.db, &rugby, &[&rugby], &all)
        .await
        .unwrap();
    let series = values(&data, &all[0], &rugby);
    assert_eq!(
        series
            .iter()
            .map(|(m, v)| (m.as_str(), v.is_some()))
            .collect::<Vec<_>>(),
        [("2018-10", true), ("2018-11", false), ("2018-12", true)]
    );
}
