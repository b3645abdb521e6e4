//! Performance measures, the values entered for them, and each measure's series in an area.
//!
//! police.uk measures are counted from the street rows whose LSOA lies in the area (and stop
//! and search from the force's files); entered measures read `measure_observations`. A period
//! with nothing published or entered is missing, never zero.

use crate::areas::{Area, AreaKind};
use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, with_conn, with_tx};
use crate::error::StoreError;
use crate::police_uk::{self, StreetCountsWithin};
use safer_core::measures::{
    Frequency, MeasureDetails, Polarity, SeriesPoint, Source, Target, Unit, monthly_series,
};
use safer_core::police::{YearMonth, force_id};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// A measure as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// Its id.
    pub id: i64,
    /// The organisation that defined it.
    pub organisation_id: i64,
    /// What it is.
    #[serde(flatten)]
    pub details: MeasureDetails,
}

type MeasureRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<f64>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

macro_rules! measure_columns {
    () => {
        "id, organisation_id, name, description, source, categories, unit, polarity, frequency, \
         target_kind, target_value, target_from, target_to, objective_id"
    };
}

fn measure_from(row: MeasureRow) -> Result<Measure, StoreError> {
    let (id, organisation_id, name, description, source, categories, unit, polarity, frequency) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    );
    let bad = |what: &str, value: &str| {
        StoreError::Invalid(format!("measure {id} has an unknown {what} {value:?}"))
    };
    let target = match (row.9.as_deref(), row.10) {
        (Some("level"), Some(value)) => Some(Target::Level { value }),
        (Some("change"), Some(percent)) => {
            let month = |m: &Option<String>| m.as_deref().and_then(YearMonth::parse);
            match (month(&row.11), month(&row.12)) {
                (Some(from), Some(to)) => Some(Target::Change { percent, from, to }),
                _ => return Err(bad("target baseline", "")),
            }
        }
        (None, _) => None,
        (Some(kind), _) => return Err(bad("target", kind)),
    };
    Ok(Measure {
        id,
        organisation_id,
        details: MeasureDetails {
            source: Source::from_parts(&source, &categories)
                .ok_or_else(|| bad("source", &source))?,
            unit: Unit::parse(&unit).ok_or_else(|| bad("unit", &unit))?,
            polarity: Polarity::parse(&polarity).ok_or_else(|| bad("polarity", &polarity))?,
            frequency: Frequency::parse(&frequency).ok_or_else(|| bad("frequency", &frequency))?,
            name,
            description,
            target,
            objective_id: row.13,
        },
    })
}

/// Defines a measure, at the end of the list.
pub async fn add(
    db: &Db,
    author: &Author,
    organisation_id: i64,
    details: &MeasureDetails,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO measures (organisation_id, position, name, description, source, \
        categories, unit, polarity, frequency, target_kind, target_value, target_from, target_to, \
        objective_id, created_at) \
        VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM measures), $2, $3, $4, $5, $6, \
        $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
    let (target_kind, target_value, target_from, target_to) = match details.target {
        None => (None, None, None, None),
        Some(Target::Level { value }) => (Some("level"), Some(value), None, None),
        Some(Target::Change { percent, from, to }) => (
            Some("change"),
            Some(percent),
            Some(from.to_string()),
            Some(to.to_string()),
        ),
    };
    let mut tx = db.begin().await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(organisation_id)
        .bind(&details.name)
        .bind(&details.description)
        .bind(details.source.as_str())
        .bind(details.source.category_slugs())
        .bind(details.unit.as_str())
        .bind(details.polarity.as_str())
        .bind(details.frequency.as_str())
        .bind(target_kind)
        .bind(target_value)
        .bind(&target_from)
        .bind(&target_to)
        .bind(details.objective_id)
        .bind(now_text())
        .fetch_one(c)
        .await)
    .map_err(StoreError::unique("That measure name"))?;
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "measure",
            record_id: Some(id),
            organisation_id: Some(organisation_id),
            before: None,
            after: Some(json!(details)),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Every measure, in list order.
pub async fn list(db: &Db) -> Result<Vec<Measure>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        measure_columns!(),
        " FROM measures ORDER BY position, id"
    );
    let rows: Vec<MeasureRow> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await)?;
    rows.into_iter().map(measure_from).collect()
}

/// One measure.
pub async fn find(db: &Db, id: i64) -> Result<Option<Measure>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        measure_columns!(),
        " FROM measures WHERE id = $1"
    );
    let row: Option<MeasureRow> =
        with_conn!(db, |c| sqlx::query_as(SQL).bind(id).fetch_optional(c).await)?;
    row.map(measure_from).transpose()
}

/// One value of an entered measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// The area's ONS code.
    pub area_code: String,
    /// The period (a quarter or year by its first month).
    pub period: YearMonth,
    /// The value.
    pub value: f64,
    /// For percentages, the number asked or measured.
    pub denominator: Option<f64>,
}

/// Refuses a measure counted from police.uk records: only entered measures take values.
pub fn takes_values(measure: &Measure) -> Result<(), StoreError> {
    if measure.details.source == Source::Entered {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "{} is counted from police.uk records, so values cannot be entered for it",
            measure.details.name
        )))
    }
}

/// Adds or replaces values of an entered measure, all in one transaction with one audit event.
/// Returns how many were written.
pub async fn save_observations(
    db: &Db,
    author: &Author,
    measure: &Measure,
    observations: &[Observation],
) -> Result<usize, StoreError> {
    const SQL: &str = "INSERT INTO measure_observations (measure_id, area_code, period, value, \
        denominator) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (measure_id, area_code, period) \
        DO UPDATE SET value = excluded.value, denominator = excluded.denominator";
    takes_values(measure)?;
    let mut tx = db.begin().await?;
    for o in observations {
        with_tx!(&mut tx, |c| sqlx::query(SQL)
            .bind(measure.id)
            .bind(&o.area_code)
            .bind(o.period.to_string())
            .bind(o.value)
            .bind(o.denominator)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "update",
            record_type: "measure_observations",
            record_id: Some(measure.id),
            organisation_id: Some(measure.organisation_id),
            before: None,
            after: Some(json!({ "saved": observations.len() })),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(observations.len())
}

/// The values of an entered measure, in the given areas or (`None`) in every area, by area then
/// period.
pub async fn observations(
    db: &Db,
    measure_id: i64,
    area_codes: Option<&[&str]>,
) -> Result<Vec<Observation>, StoreError> {
    const IN_AREA: &str = "SELECT area_code, period, value, denominator FROM measure_observations \
        WHERE measure_id = $1 AND area_code = $2 ORDER BY period";
    const ALL: &str = "SELECT area_code, period, value, denominator FROM measure_observations \
        WHERE measure_id = $1 ORDER BY area_code, period";
    type Row = (String, String, f64, Option<f64>);
    let mut rows: Vec<Row> = Vec::new();
    match area_codes {
        Some(codes) => {
            for code in codes {
                let found: Vec<Row> = with_conn!(db, |c| sqlx::query_as(IN_AREA)
                    .bind(measure_id)
                    .bind(*code)
                    .fetch_all(c)
                    .await)?;
                rows.extend(found);
            }
        }
        None => {
            rows = with_conn!(db, |c| sqlx::query_as(ALL)
                .bind(measure_id)
                .fetch_all(c)
                .await)?;
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(|(area_code, period, value, denominator)| {
            Some(Observation {
                area_code,
                period: YearMonth::parse(&period)?,
                value,
                denominator,
            })
        })
        .collect())
}

/// The areas that hold values of any entered measure.
pub async fn areas_with_values(db: &Db) -> Result<Vec<String>, StoreError> {
    const SQL: &str = "SELECT DISTINCT area_code FROM measure_observations ORDER BY area_code";
    Ok(with_conn!(db, |c| sqlx::query_scalar(SQL)
        .fetch_all(c)
        .await)?)
}

/// Everything the measures need about some areas, read once: street counts (by area), stop and
/// search counts for force areas, and entered values.
#[derive(Debug, Clone, Default)]
pub struct AreaData {
    street: StreetCountsWithin,
    stop_search: HashMap<String, Vec<(YearMonth, i64)>>,
    entered: HashMap<i64, Vec<Observation>>,
}

impl AreaData {
    /// Reads the data of `areas` for `measures`: either `within` alone, or areas of one kind
    /// within it (to compare them).
    pub async fn load(
        db: &Db,
        within: &Area,
        areas: &[&Area],
        measures: &[Measure],
    ) -> Result<AreaData, StoreError> {
        let by = match areas {
            [only] if only.code == within.code => None,
            _ => areas.first().map(|a| a.kind),
        };
        let needs_street = measures
            .iter()
            .any(|m| matches!(m.details.source, Source::Street { .. }));
        let street = if needs_street {
            police_uk::street_counts_within(db, within, by).await?
        } else {
            StreetCountsWithin::default()
        };
        let mut stop_search = HashMap::new();
        if measures
            .iter()
            .any(|m| m.details.source == Source::StopAndSearch)
        {
            for area in areas.iter().filter(|a| a.kind == AreaKind::Force) {
                let counts = police_uk::stop_search_counts(db, &force_id(&area.name)).await?;
                stop_search.insert(area.code.clone(), counts);
            }
        }
        let codes: Vec<&str> = areas.iter().map(|a| a.code.as_str()).collect();
        let mut entered = HashMap::new();
        for m in measures
            .iter()
            .filter(|m| m.details.source == Source::Entered)
        {
            entered.insert(m.id, observations(db, m.id, Some(codes.as_slice())).await?);
        }
        Ok(AreaData {
            street,
            stop_search,
            entered,
        })
    }

    /// The measure's series in one of the areas loaded. Empty where the measure cannot be had
    /// for the area (stop and search below force level).
    pub fn series(&self, measure: &Measure, area: &Area) -> Vec<SeriesPoint> {
        match &measure.details.source {
            Source::Street { categories } => monthly_series(
                &self.street.months,
                self.street
                    .counts
                    .iter()
                    .filter(|(code, _, category, _)| {
                        categories.contains(category)
                            && code.as_deref().is_none_or(|c| c == area.code)
                    })
                    .map(|&(_, month, _, n)| (month, n as f64)),
            ),
            Source::StopAndSearch => {
                let counts = self.stop_search.get(&area.code);
                let months: Vec<YearMonth> = counts
                    .into_iter()
                    .flatten()
                    .map(|&(month, _)| month)
                    .collect();
                monthly_series(
                    &months,
                    counts
                        .into_iter()
                        .flatten()
                        .map(|&(month, n)| (month, n as f64)),
                )
            }
            Source::Entered => {
                let rows: Vec<&Observation> = self
                    .entered
                    .get(&measure.id)
                    .into_iter()
                    .flatten()
                    .filter(|o| o.area_code == area.code)
                    .collect();
                let months: Vec<YearMonth> = rows.iter().map(|o| o.period).collect();
                let step = match measure.details.frequency {
                    Frequency::Monthly => 1,
                    Frequency::Quarterly => 3,
                    Frequency::Annual => 12,
                };
                let mut series: Vec<SeriesPoint> = monthly_series(&months, [])
                    .into_iter()
                    .step_by(step)
                    .map(|p| SeriesPoint { value: None, ..p })
                    .collect();
                for o in rows {
                    match series.iter_mut().find(|p| p.period == o.period) {
                        Some(p) => {
                            p.value = Some(o.value);
                            p.denominator = o.denominator;
                        }
                        // Off the quarterly or annual rhythm: kept rather than lost.
                        None => series.push(SeriesPoint {
                            period: o.period,
                            value: Some(o.value),
                            denominator: o.denominator,
                        }),
                    }
                }
                series.sort_by_key(|p| p.period);
                series
            }
        }
    }

    /// The category counts behind a street measure in one month and area, most first.
    pub fn categories_in(
        &self,
        measure: &Measure,
        area: &Area,
        month: YearMonth,
    ) -> Vec<(safer_core::police::CrimeCategory, i64)> {
        let Source::Street { categories } = &measure.details.source else {
            return Vec::new();
        };
        let mut out: Vec<(safer_core::police::CrimeCategory, i64)> = Vec::new();
        for &(ref code, m, category, n) in &self.street.counts {
            if m != month
                || !categories.contains(&category)
                || code.as_deref().is_some_and(|c| c != area.code)
            {
                continue;
            }
            match out.iter_mut().find(|(c, _)| *c == category) {
                Some((_, total)) => *total += n,
                None => out.push((category, n)),
            }
        }
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}
