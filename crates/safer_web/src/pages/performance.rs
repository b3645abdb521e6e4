//! Performance: the areas with data, a dashboard per area, a page per measure and area (chart,
//! narrative, data table, drill-down, comparison, year to date), the printable report, and CSV
//! of every table. Figures are aggregate statistics; any signed-in person may read them.

use crate::AppState;
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::{DataTable, csv_response};
use crate::performance::{ChartDrawing, MeasureView, format_measure_value};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use safer_core::measures::{Source, rate_per_1000};
use safer_core::numbers::thousands;
use safer_core::police::{YearMonth, force_id};
use safer_store::Db;
use safer_store::areas::{self, Area, AreaKind};
use safer_store::measures::{self, AreaData, Measure};
use safer_store::police_uk;
use serde::Deserialize;
use std::collections::BTreeSet;

/// LSOAs listed behind a count; the CSV has them all.
const LSOAS_SHOWN: usize = 25;

/// An area with the areas it lies in, outermost first.
pub(crate) struct Place {
    area: Area,
    ancestors: Vec<Area>,
}

impl Place {
    async fn load(db: &Db, code: &str) -> Result<Place, AppError> {
        let area = areas::find(db, code).await?.ok_or(AppError::NotFound)?;
        let mut ancestors = Vec::new();
        let mut parent = area.parent_code.clone();
        // Four levels at most above an LSOA; the bound guards against a cycle in a bad lookup.
        while let Some(code) = parent.take() {
            if ancestors.len() >= 4 {
                break;
            }
            if let Some(a) = areas::find(db, &code).await? {
                parent = a.parent_code.clone();
                ancestors.insert(0, a);
            }
        }
        Ok(Place { area, ancestors })
    }
}

fn area_href(code: &str) -> String {
    format!("/performance/areas/{code}")
}

fn measure_href(code: &str, id: i64) -> String {
    format!("/performance/areas/{code}/measures/{id}")
}

/// A force area with data, and its partnerships.
pub(crate) struct ForceWithData {
    force: Area,
    csps: Vec<Area>,
    months: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "performance.html")]
pub(crate) struct PerformancePage {
    layout: Layout,
    forces: Vec<ForceWithData>,
    measures: Vec<Measure>,
    can_define: bool,
}

/// The force areas with police.uk data, and the measures.
pub async fn index(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<PerformancePage, AppError> {
    let can_define = !viewer.require("/performance")?.measure_owners().is_empty();
    let files = police_uk::files(&state.db).await?;
    let entered = measures::areas_with_values(&state.db).await?;
    let mut forces = Vec::new();
    for force in areas::of_kind(&state.db, AreaKind::Force).await? {
        let id = force_id(&force.name);
        let months: BTreeSet<&str> = files
            .iter()
            .filter(|f| f.force == id && f.kind == "street")
            .map(|f| f.month.as_str())
            .collect();
        let csps = areas::children(&state.db, &force.code).await?;
        let has_values = entered
            .iter()
            .any(|code| *code == force.code || csps.iter().any(|c| c.code == *code));
        let span = |m: &str| YearMonth::parse(m).map(YearMonth::long).unwrap_or_default();
        let months = match (months.first(), months.last()) {
            (Some(first), Some(last)) => format!(
                "{} months of street-level data, {} to {}",
                months.len(),
                span(first),
                span(last)
            ),
            _ if has_values => "No police.uk data; values entered for its measures".to_owned(),
            _ => continue,
        };
        forces.push(ForceWithData {
            csps,
            months,
            force,
        });
    }
    Ok(PerformancePage {
        layout: Layout::new(&state, &viewer, "Performance", Section::Performance),
        forces,
        measures: measures::list(&state.db).await?,
        can_define,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "performance_area.html")]
pub(crate) struct AreaPage {
    layout: Layout,
    place: Place,
    children: Vec<Area>,
    table: DataTable,
}

/// The dashboard of one area: every measure's latest value, average and markers.
pub async fn area(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<AreaPage, AppError> {
    viewer.require(&area_href(&code))?;
    let place = Place::load(&state.db, &code).await?;
    let table = dashboard_table(&state.db, &place.area).await?;
    Ok(AreaPage {
        layout: Layout::new(
            &state,
            &viewer,
            place.area.name.clone(),
            Section::Performance,
        ),
        children: areas::children(&state.db, &code).await?,
        place,
        table,
    })
}

/// The dashboard as CSV.
pub async fn area_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(&area_href(&code))?;
    let place = Place::load(&state.db, &code).await?;
    let table = dashboard_table(&state.db, &place.area).await?;
    csv_response(&format!("{}-measures.csv", place.area.code), &table)
}

/// Every measure in an area, analysed.
async fn views(db: &Db, area: &Area) -> Result<Vec<MeasureView>, AppError> {
    let all = measures::list(db).await?;
    let data = AreaData::load(db, area, &[area], &all).await?;
    Ok(all
        .into_iter()
        .map(|m| {
            let series = data.series(&m, area);
            MeasureView::new(m, series)
        })
        .collect())
}

async fn dashboard_table(db: &Db, area: &Area) -> Result<DataTable, AppError> {
    let mut table = DataTable::new(
        "measures",
        format!("Measures for {}", area.name),
        &[
            ("Measure", false),
            ("Latest", false),
            ("Value", true),
            ("Average", true),
            ("Variation", false),
            ("Assurance", false),
        ],
    );
    for view in views(db, area).await? {
        let href = measure_href(&area.code, view.measure.id);
        let (month, value) = match view.latest() {
            Some((m, v)) => (m.long(), view.format(v)),
            None => ("No data for this area".to_owned(), String::new()),
        };
        let variation = view.variation();
        let assurance = view.assurance();
        table.push(vec![
            DataTable::link(view.measure.details.name.clone(), href),
            month.into(),
            value.into(),
            view.average()
                .map(|a| view.format(a))
                .unwrap_or_default()
                .into(),
            DataTable::tag(variation.label, variation.tag),
            match assurance {
                Some(a) => DataTable::tag(a.label, a.tag),
                None => "No target".into(),
            },
        ]);
    }
    Ok(table)
}

/// `?month=YYYY-MM` (the month to drill into or report on) and `?table=NAME` (a table to
/// download).
#[derive(Debug, Default, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
    table: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "performance_measure.html")]
pub(crate) struct MeasurePage {
    layout: Layout,
    place: Place,
    view: MeasureView,
    drawing: Option<ChartDrawing>,
    chart_description: String,
    objective: Option<String>,
    month: Option<YearMonth>,
    months: Vec<YearMonth>,
    tables: Vec<DataTable>,
    lsoas_more: usize,
    chart_id: &'static str,
}

impl MeasurePage {
    fn is_month(&self, m: &YearMonth) -> bool {
        self.month == Some(*m)
    }

    fn csv_href(&self, table: &str) -> String {
        let month = self
            .month
            .map(|m| format!("&month={m}"))
            .unwrap_or_default();
        format!(
            "{}/csv?table={table}{month}",
            measure_href(&self.place.area.code, self.view.measure.id)
        )
    }
}

/// One measure in one area.
pub async fn measure(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((code, id)): Path<(String, String)>,
    Query(query): Query<MonthQuery>,
) -> Result<MeasurePage, AppError> {
    measure_page(&state, &viewer, &code, &id, &query).await
}

/// One of a measure page's tables as CSV (`?table=series|categories|lsoas|records|comparison|ytd`).
pub async fn measure_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((code, id)): Path<(String, String)>,
    Query(query): Query<MonthQuery>,
) -> Result<Response, AppError> {
    let page = measure_page(&state, &viewer, &code, &id, &query).await?;
    let name = query.table.as_deref().unwrap_or("series");
    let table = page
        .tables
        .iter()
        .find(|t| t.name == name)
        .ok_or(AppError::NotFound)?;
    csv_response(
        &format!(
            "{}-{}-{name}.csv",
            page.place.area.code, page.view.measure.id
        ),
        table,
    )
}

async fn measure_page(
    state: &AppState,
    viewer: &Viewer,
    code: &str,
    id: &str,
    query: &MonthQuery,
) -> Result<MeasurePage, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    viewer.require(&measure_href(code, id))?;
    let db = &state.db;
    let place = Place::load(db, code).await?;
    let measure = measures::find(db, id).await?.ok_or(AppError::NotFound)?;
    let data = AreaData::load(
        db,
        &place.area,
        &[&place.area],
        std::slice::from_ref(&measure),
    )
    .await?;
    let view = MeasureView::new(measure.clone(), data.series(&measure, &place.area));
    let months: Vec<YearMonth> = view
        .series
        .iter()
        .filter(|p| p.value.is_some())
        .map(|p| p.period)
        .collect();
    let month = match query.month.as_deref().map(YearMonth::parse) {
        Some(Some(m)) if months.contains(&m) => Some(m),
        Some(_) => return Err(AppError::NotFound),
        None => months.last().copied(),
    };

    let mut tables = vec![series_table(&view, &place.area)];
    if let Some(ytd) = view.ytd {
        tables.push(ytd_table(&view, ytd));
    }
    let mut lsoas_more = 0;
    if let (Some(month), Source::Street { categories }) = (month, &measure.details.source) {
        let by_category = data.categories_in(&measure, &place.area, month);
        let total: i64 = by_category.iter().map(|(_, n)| n).sum();
        let mut t = DataTable::new(
            "categories",
            format!("Categories behind the count, {}", month.long()),
            &[("Category", false), ("Count", true), ("Share", true)],
        );
        for (category, n) in by_category {
            t.push(vec![
                category.name().into(),
                thousands(n.unsigned_abs()).into(),
                share(n, total).into(),
            ]);
        }
        tables.push(t);
        if place.area.kind == AreaKind::Lsoa {
            let mut t = DataTable::new(
                "records",
                format!("Records in {}, {}", place.area.name, month.long()),
                &[
                    ("Category", false),
                    ("Crime ID", false),
                    ("Location", false),
                    ("Latest outcome", false),
                ],
            );
            for (category, r) in police_uk::lsoa_records(db, &place.area.code, month).await? {
                if categories.contains(&category) {
                    t.push(vec![
                        category.name().into(),
                        r.crime_id.unwrap_or_default().into(),
                        r.location.into(),
                        r.outcome.unwrap_or_default().into(),
                    ]);
                }
            }
            tables.push(t);
        } else {
            let lsoas = police_uk::lsoa_counts_within(db, &place.area, month, categories).await?;
            let mut t = DataTable::new(
                "lsoas",
                format!("Neighbourhoods (LSOAs) behind the count, {}", month.long()),
                &[("LSOA", false), ("Count", true), ("Share", true)],
            );
            let wanted = query.table.as_deref() == Some("lsoas");
            lsoas_more = if wanted {
                0
            } else {
                lsoas.len().saturating_sub(LSOAS_SHOWN)
            };
            for l in lsoas
                .iter()
                .take(if wanted { usize::MAX } else { LSOAS_SHOWN })
            {
                t.push(vec![
                    DataTable::link(
                        l.name.clone(),
                        format!("{}?month={month}", measure_href(&l.code, measure.id)),
                    ),
                    thousands(l.count.unsigned_abs()).into(),
                    share(l.count, total).into(),
                ]);
            }
            tables.push(t);
        }
    }
    if let Some(month) = month
        && let Some(t) = comparison_table(db, &place.area, &measure, month).await?
    {
        tables.push(t);
    }

    let objective = match measure.details.objective_id {
        Some(o) => safer_store::plans::objective_title(db, o).await?,
        None => None,
    };
    let chart_description = chart_description(&view, &place.area);
    Ok(MeasurePage {
        layout: Layout::new(
            state,
            viewer,
            format!("{} in {}", measure.details.name, place.area.name),
            Section::Performance,
        ),
        drawing: view.drawing(),
        chart_description,
        objective,
        month,
        months,
        tables,
        lsoas_more,
        chart_id: "chart",
        place,
        view,
    })
}

/// The year to date against the year before, as the Safer Travel table in seed 003 has it.
fn ytd_table(view: &MeasureView, ytd: safer_core::measures::YearToDate) -> DataTable {
    let mut t = DataTable::new(
        "ytd",
        format!(
            "{}, year to date ({} to {}) against the same months a year earlier",
            view.measure.details.name,
            ytd.from.long(),
            ytd.to.long()
        ),
        &[
            ("Measure", false),
            ("Previous year to date", true),
            ("Year to date", true),
            ("Change", true),
            ("Trend", false),
        ],
    );
    t.head[1] = format!("YTD {}", ytd.previous_year());
    t.head[2] = format!("YTD {}", ytd.current_year());
    t.push(vec![
        view.measure.details.name.clone().into(),
        view.format(ytd.previous).into(),
        view.format(ytd.current).into(),
        ytd.percent_change()
            .map(|p| format!("{p:+.0}%"))
            .unwrap_or_else(|| "–".into())
            .into(),
        ytd.trend().into(),
    ]);
    t
}

fn share(n: i64, total: i64) -> String {
    if total == 0 {
        "–".to_owned()
    } else {
        format!("{:.0}%", n as f64 / total as f64 * 100.0)
    }
}

pub(crate) fn series_table(view: &MeasureView, area: &Area) -> DataTable {
    let mut t = DataTable::new(
        "series",
        format!(
            "{} in {} by month, with the control chart's lines",
            view.measure.details.name, area.name
        ),
        &[
            ("Month", false),
            ("Value", true),
            ("Average", true),
            ("Lower limit", true),
            ("Upper limit", true),
            ("Signal", false),
        ],
    );
    for row in view.rows() {
        t.push(vec![
            row.month.long().into(),
            row.value.unwrap_or_else(|| "Missing".into()).into(),
            row.centre.unwrap_or_default().into(),
            row.lower.unwrap_or_default().into(),
            row.upper.unwrap_or_default().into(),
            row.signal.into(),
        ]);
    }
    t
}

/// The chart's accessible description: what it plots, and where it stands.
pub(crate) fn chart_description(view: &MeasureView, area: &Area) -> String {
    let span = match (view.series.first(), view.series.last()) {
        (Some(a), Some(b)) => format!(", {} to {}", a.period.long(), b.period.long()),
        _ => String::new(),
    };
    let phases = view.analysis.as_ref().map_or(0, |a| a.phases.len());
    format!(
        "Control chart of {} in {}{span}, by month, with the average and control limits{}. {}",
        view.measure.details.name.to_lowercase(),
        area.name,
        if phases > 1 {
            format!(" of each of {phases} phases")
        } else {
            String::new()
        },
        view.narrative
    )
}

/// The area whose parts a comparison ranks: a force area itself (its partnerships), or the
/// area another lies in (it among its neighbours).
async fn comparison_parent(db: &Db, area: &Area) -> Result<Option<Area>, AppError> {
    if area.kind == AreaKind::Force {
        return Ok(Some(area.clone()));
    }
    Ok(match &area.parent_code {
        Some(code) => areas::find(db, code).await?,
        None => None,
    })
}

/// The comparison table of a measure page.
async fn comparison_table(
    db: &Db,
    area: &Area,
    measure: &Measure,
    month: YearMonth,
) -> Result<Option<DataTable>, AppError> {
    let Some(parent) = comparison_parent(db, area).await? else {
        return Ok(None);
    };
    let siblings = areas::children(db, &parent.code).await?;
    if siblings.len() < 2 || measure.details.source == Source::StopAndSearch {
        return Ok(None);
    }
    let refs: Vec<&Area> = siblings.iter().collect();
    let data = AreaData::load(db, &parent, &refs, std::slice::from_ref(measure)).await?;
    let values: Vec<(&Area, Option<f64>)> = siblings
        .iter()
        .map(|a| (a, value_in(&data.series(measure, a), month)))
        .collect();
    Ok(Some(ranked(area, &parent, measure, month, values)))
}

fn value_in(series: &[safer_core::measures::SeriesPoint], month: YearMonth) -> Option<f64> {
    series
        .iter()
        .find(|p| p.period == month)
        .and_then(|p| p.value)
}

/// Areas ranked for a measure in a month: by rate per 1,000 residents where there is one (counts
/// with a population), else by value; areas with neither last.
fn ranked(
    area: &Area,
    parent: &Area,
    measure: &Measure,
    month: YearMonth,
    values: Vec<(&Area, Option<f64>)>,
) -> DataTable {
    let count = values.len();
    let mut rows: Vec<(&Area, Option<f64>, Option<f64>)> = values
        .into_iter()
        .map(|(a, value)| {
            let rate = match (measure.details.unit, value, a.population) {
                (safer_core::measures::Unit::Count, Some(v), Some(pop)) => rate_per_1000(v, pop),
                _ => None,
            };
            (a, value, rate)
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &(&Area, Option<f64>, Option<f64>)| r.2.or(r.1);
        key(b)
            .partial_cmp(&key(a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.name.cmp(&b.0.name))
    });
    let mut t = DataTable::new(
        "comparison",
        format!(
            "{} across the {count} areas within {}, {}, ranked",
            measure.details.name,
            parent.name,
            month.long()
        ),
        &[
            ("Area", false),
            ("Rank", true),
            ("Value", true),
            ("Residents", true),
            ("Per 1,000 residents", true),
        ],
    );
    for (rank, (a, value, rate)) in rows.into_iter().enumerate() {
        let name = if a.code == area.code {
            format!("{} (this area)", a.name)
        } else {
            a.name.clone()
        };
        t.push(vec![
            DataTable::link(name, measure_href(&a.code, measure.id)),
            (rank + 1).to_string().into(),
            value
                .map(|v| format_measure_value(measure.details.unit, v))
                .unwrap_or_else(|| "Missing".into())
                .into(),
            a.population
                .map(|p| thousands(p.unsigned_abs()))
                .unwrap_or_else(|| "Not known".into())
                .into(),
            rate.map(|r| format!("{r:.2}"))
                .unwrap_or_else(|| "–".into())
                .into(),
        ]);
    }
    t
}

/// One measure in a performance report.
pub(crate) struct ReportItem {
    view: MeasureView,
    drawing: Option<ChartDrawing>,
    chart_id: String,
    chart_description: String,
    ytd: Option<DataTable>,
    comparison: Option<DataTable>,
    within: Option<DataTable>,
}

/// The performance report of an area for a month: every measure's chart, narrative, year to
/// date and comparison, and how each area within it stands.
pub struct Report {
    area: Area,
    /// `None` when the area has no data for any measure.
    month: Option<YearMonth>,
    items: Vec<ReportItem>,
    /// Where each table downloads as CSV, on the web page (none in the standalone document).
    csv_links: bool,
}

impl Report {
    /// The CSV download of one of the report's tables, on the web page.
    fn csv_href(&self, table: &DataTable) -> Option<String> {
        let month = self.month?;
        self.csv_links.then(|| {
            format!(
                "{}/report/csv?month={month}&table={}",
                area_href(&self.area.code),
                table.id
            )
        })
    }

    /// Every table of the report.
    fn tables(&self) -> impl Iterator<Item = &DataTable> {
        self.items.iter().flat_map(|i| {
            i.ytd
                .iter()
                .chain(i.comparison.iter())
                .chain(i.within.iter())
        })
    }

    /// The report's title.
    pub fn title(&self) -> String {
        let month = self.month.map(|m| format!(", {}", m.long()));
        format!(
            "Performance against the Police and Crime Plan: {}{}",
            self.area.name,
            month.unwrap_or_default()
        )
    }
}

/// Builds the report of the area `code` with data up to `month` (the latest month with data
/// when `None`). Reads each measure's data twice at most: for the area, and for the areas
/// within it (or beside it).
pub async fn build_report(
    db: &Db,
    code: &str,
    month: Option<YearMonth>,
) -> Result<Report, AppError> {
    let area = areas::find(db, code).await?.ok_or(AppError::NotFound)?;
    let all = measures::list(db).await?;
    let data = AreaData::load(db, &area, &[&area], &all).await?;
    let series: Vec<Vec<safer_core::measures::SeriesPoint>> =
        all.iter().map(|m| data.series(m, &area)).collect();
    let latest = series
        .iter()
        .flatten()
        .filter(|p| p.value.is_some())
        .map(|p| p.period)
        .max();
    let Some(month) = month.or(latest) else {
        return Ok(Report {
            area,
            month: None,
            items: Vec::new(),
            csv_links: false,
        });
    };
    let parent = comparison_parent(db, &area).await?;
    let parts = match &parent {
        Some(p) => areas::children(db, &p.code).await?,
        None => Vec::new(),
    };
    // One area alone is no comparison, and its data would be read for nothing.
    let part_data = match &parent {
        Some(p) if parts.len() >= 2 => {
            let refs: Vec<&Area> = parts.iter().collect();
            Some(AreaData::load(db, p, &refs, &all).await?)
        }
        _ => None,
    };
    let mut items = Vec::new();
    for (measure, mut points) in all.into_iter().zip(series) {
        points.retain(|p| p.period <= month);
        let view = MeasureView::new(measure.clone(), points);
        let mut comparison = None;
        let mut within = None;
        if let (Some(parent), Some(part_data)) = (&parent, &part_data)
            && measure.details.source != Source::StopAndSearch
        {
            let views: Vec<(&Area, MeasureView)> = parts
                .iter()
                .map(|a| {
                    let mut s = part_data.series(&measure, a);
                    s.retain(|p| p.period <= month);
                    (a, MeasureView::new(measure.clone(), s))
                })
                .collect();
            comparison = Some(ranked(
                &area,
                parent,
                &measure,
                month,
                views
                    .iter()
                    .map(|(a, v)| (*a, value_in(&v.series, month)))
                    .collect(),
            ));
            let mut t = DataTable::new(
                "within",
                format!(
                    "{} in each area within {}",
                    measure.details.name, parent.name
                ),
                &[
                    ("Area", false),
                    ("Variation", false),
                    ("What the chart shows", false),
                ],
            );
            for (a, v) in &views {
                let marker = v.variation();
                t.push(vec![
                    DataTable::link(a.name.clone(), measure_href(&a.code, measure.id)),
                    DataTable::tag(marker.label, marker.tag),
                    v.narrative.clone().into(),
                ]);
            }
            within = Some(t);
        }
        let ytd = view.ytd.map(|y| ytd_table(&view, y));
        let suffix = |t: DataTable| {
            let id = format!("{}-{}", t.name, measure.id);
            t.with_id(id)
        };
        let (ytd, comparison, within) =
            (ytd.map(suffix), comparison.map(suffix), within.map(suffix));
        items.push(ReportItem {
            drawing: view.drawing(),
            chart_id: format!("chart-{}", measure.id),
            chart_description: chart_description(&view, &area),
            view,
            ytd,
            comparison,
            within,
        });
    }
    Ok(Report {
        area,
        month: Some(month),
        items,
        csv_links: false,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "performance_report.html")]
pub(crate) struct ReportPage {
    layout: Layout,
    report: Report,
    place: Place,
}

/// A month from the query; one that is not `YYYY-MM` is a page that does not exist.
fn parse_month(text: Option<&str>) -> Result<Option<YearMonth>, AppError> {
    match text.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => YearMonth::parse(t).map(Some).ok_or(AppError::NotFound),
    }
}

/// The printable performance report of an area.
pub async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Result<ReportPage, AppError> {
    viewer.require(&format!("{}/report", area_href(&code)))?;
    let place = Place::load(&state.db, &code).await?;
    let mut report = build_report(&state.db, &code, parse_month(query.month.as_deref())?).await?;
    report.csv_links = true;
    Ok(ReportPage {
        layout: Layout::new(&state, &viewer, report.title(), Section::Performance),
        report,
        place,
    })
}

/// One of the report's tables as CSV.
pub async fn report_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Result<Response, AppError> {
    viewer.require(&format!("{}/report", area_href(&code)))?;
    let report = build_report(&state.db, &code, parse_month(query.month.as_deref())?).await?;
    let wanted = query.table.as_deref().unwrap_or("");
    let table = report
        .tables()
        .find(|t| t.id == wanted)
        .ok_or(AppError::NotFound)?;
    csv_response(&format!("{code}-report-{wanted}.csv"), table)
}

#[derive(Template)]
#[template(path = "performance_report_document.html")]
struct ReportDocument<'a> {
    report: &'a Report,
    style: &'static str,
}

/// The report as one self-contained HTML document, to attach to a board agenda.
pub fn report_document(report: &Report) -> Result<String, AppError> {
    ReportDocument {
        report,
        style: include_str!("../../templates/document.css"),
    }
    .render()
    .map_err(|e| AppError::Internal(e.to_string()))
}
