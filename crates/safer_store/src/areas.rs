//! Areas: police force area → Community Safety Partnership → local authority → ward → LSOA,
//! from the ONS lookups, with populations where known.

use crate::audit::{self, Author, Change};
use crate::db::{Db, with_conn, with_tx};
use crate::error::StoreError;
use serde::Serialize;
use serde_json::json;

/// The levels of geography, from the largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    /// A police force area (ONS PFA, `E23…`, `W15…`).
    Force,
    /// A Community Safety Partnership (`E22…`, `W14…`).
    Csp,
    /// A local authority district (`E06…`–`E09…`, `W06…`).
    LocalAuthority,
    /// An electoral ward (`E05…`, `W05…`).
    Ward,
    /// A Lower Layer Super Output Area (`E01…`, `W01…`).
    Lsoa,
}

impl AreaKind {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            AreaKind::Force => "force",
            AreaKind::Csp => "csp",
            AreaKind::LocalAuthority => "local_authority",
            AreaKind::Ward => "ward",
            AreaKind::Lsoa => "lsoa",
        }
    }

    /// From the stored text.
    pub fn parse(text: &str) -> Option<AreaKind> {
        [
            AreaKind::Force,
            AreaKind::Csp,
            AreaKind::LocalAuthority,
            AreaKind::Ward,
            AreaKind::Lsoa,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    /// For people: "Community Safety Partnership".
    pub fn label(self) -> &'static str {
        match self {
            AreaKind::Force => "police force area",
            AreaKind::Csp => "Community Safety Partnership",
            AreaKind::LocalAuthority => "local authority",
            AreaKind::Ward => "ward",
            AreaKind::Lsoa => "LSOA",
        }
    }
}

/// An area as a lookup gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NewArea {
    /// The ONS code.
    pub code: String,
    /// The level.
    pub kind: AreaKind,
    /// The name; for LSOAs a lookup may give only the code.
    pub name: String,
    /// The area it lies in.
    pub parent_code: Option<String>,
}

/// An area as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    /// The ONS code.
    pub code: String,
    /// The level.
    pub kind: AreaKind,
    /// The name.
    pub name: String,
    /// The area it lies in.
    pub parent_code: Option<String>,
    /// Residents (ONS mid-2017 estimate), where known.
    pub population: Option<i64>,
}

type AreaRow = (String, String, String, Option<String>, Option<i64>);

fn area_from(row: AreaRow) -> Result<Area, StoreError> {
    let kind = AreaKind::parse(&row.1)
        .ok_or_else(|| StoreError::Invalid(format!("unknown area kind {:?}", row.1)))?;
    Ok(Area {
        code: row.0,
        kind,
        name: row.2,
        parent_code: row.3,
        population: row.4,
    })
}

/// Adds or updates areas from a lookup (keeping any population already set), and records the
/// import. An LSOA the lookup names only by code keeps the name police.uk files gave it.
pub async fn upsert(
    db: &Db,
    areas: &[NewArea],
    vintage: &str,
    source: &str,
    author: &Author,
) -> Result<(), StoreError> {
    let mut owned = db.begin().await?;
    let tx = &mut owned;
    for chunk in crate::police_uk::statement_chunks(areas, crate::police_uk::BATCH) {
        with_tx!(tx, |c| {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO areas (code, kind, name, parent_code, population, vintage) ",
            );
            q.push_values(chunk, |mut b, a| {
                b.push_bind(a.code.as_str())
                    .push_bind(a.kind.as_str())
                    .push_bind(a.name.as_str())
                    .push_bind(a.parent_code.as_deref())
                    .push_bind(None::<i64>)
                    .push_bind(vintage);
            });
            q.push(
                " ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, \
                 name = CASE WHEN excluded.name = excluded.code THEN areas.name ELSE excluded.name END, \
                 parent_code = COALESCE(excluded.parent_code, areas.parent_code), vintage = excluded.vintage",
            );
            q.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    let event = audit::record(
        tx,
        author,
        Change {
            action: "import",
            record_type: "area_lookup",
            record_id: None,
            organisation_id: None,
            before: None,
            after: Some(json!({ "source": source, "vintage": vintage, "areas": areas.len() })),
        },
    )
    .await?;
    owned.commit(event).await
}

/// What [`place_lsoas_by_name`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placement {
    /// LSOAs placed in a local authority named by their own name, by that local authority.
    pub placed: Vec<(String, u64)>,
    /// LSOAs whose name names no local authority safer holds (import the ONS lookups).
    pub unplaced: u64,
}

/// The code of the stand-in ward an LSOA placed by its name hangs from: one per local authority,
/// so that the LSOA → ward → local authority chain stays whole.
fn wards_not_known(la_code: &str) -> String {
    format!("{la_code}-wards-not-known")
}

/// Places LSOAs no lookup holds in the local authority their name names ("Worcester 012C" →
/// Worcester), through a stand-in ward "Worcester: wards not known". A later ward lookup
/// replaces the stand-in. Without the local authority lookup, nothing can be placed.
pub async fn place_lsoas_by_name(db: &Db, author: &Author) -> Result<Placement, StoreError> {
    const ORPHANS: &str =
        "SELECT code, name FROM areas WHERE kind = 'lsoa' AND parent_code IS NULL ORDER BY code";
    // ONS names some authorities "Herefordshire, County of" where LSOAs say "Herefordshire".
    const AUTHORITY: &str = "SELECT code FROM areas WHERE kind = 'local_authority' \
        AND (name = $1 OR name LIKE $2) ORDER BY name = $1 DESC, code LIMIT 1";
    const WARD: &str = "INSERT INTO areas (code, kind, name, parent_code, population, vintage) \
        VALUES ($1, 'ward', $2, $3, NULL, 'LSOA names') ON CONFLICT (code) DO NOTHING";
    const PLACE: &str = "UPDATE areas SET parent_code = $1, vintage = 'LSOA names' WHERE code = $2";
    let orphans: Vec<(String, String)> =
        with_conn!(db, |c| sqlx::query_as(ORPHANS).fetch_all(c).await)?;
    let mut placement = Placement::default();
    if orphans.is_empty() {
        return Ok(placement);
    }
    let mut tx = db.begin().await?;
    let mut authorities: std::collections::HashMap<String, Option<String>> = Default::default();
    for (code, name) in orphans {
        let lsoa = safer_core::police::Lsoa { code, name };
        let Some(la_name) = lsoa.local_authority_name().map(str::to_owned) else {
            placement.unplaced += 1;
            continue;
        };
        if !authorities.contains_key(&la_name) {
            let found: Option<String> = with_tx!(&mut tx, |c| sqlx::query_scalar(AUTHORITY)
                .bind(&la_name)
                .bind(format!("{la_name}, %"))
                .fetch_optional(c)
                .await)?;
            authorities.insert(la_name.clone(), found);
        }
        let Some(Some(la_code)) = authorities.get(&la_name) else {
            placement.unplaced += 1;
            continue;
        };
        let ward = wards_not_known(la_code);
        with_tx!(&mut tx, |c| sqlx::query(WARD)
            .bind(&ward)
            .bind(format!("{la_name}: wards not known"))
            .bind(la_code)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        with_tx!(&mut tx, |c| sqlx::query(PLACE)
            .bind(&ward)
            .bind(&lsoa.code)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        match placement.placed.iter_mut().find(|(n, _)| *n == la_name) {
            Some((_, count)) => *count += 1,
            None => placement.placed.push((la_name, 1)),
        }
    }
    placement.placed.sort();
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "import",
            record_type: "area_lookup",
            record_id: None,
            organisation_id: None,
            before: None,
            after: Some(json!({
                "source": "LSOA names",
                "placed": placement.placed.iter().map(|(_, n)| n).sum::<u64>(),
                "unplaced": placement.unplaced,
            })),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(placement)
}

/// Sets populations by area code, then gives each ward, local authority, CSP and force area
/// the file does not cover the sum of the areas within it (ONS's mid-2017 file has LSOAs and
/// wards but no shire districts, CSPs or force areas). Returns how many codes matched an area.
pub async fn set_populations(
    db: &Db,
    populations: &[(String, i64)],
    source: &str,
    author: &Author,
) -> Result<u64, StoreError> {
    let mut owned = db.begin().await?;
    let tx = &mut owned;
    let mut matched = 0;
    for (code, population) in populations {
        matched += with_tx!(tx, |c| sqlx::query(
            "UPDATE areas SET population = $1 WHERE code = $2"
        )
        .bind(population)
        .bind(code)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    // Upwards, level by level, so each sum is of sums already made.
    const SUM: &str = "UPDATE areas SET population = (SELECT SUM(c.population) FROM areas c \
        WHERE c.parent_code = areas.code) WHERE kind = $1 AND population IS NULL";
    for kind in [
        AreaKind::Ward,
        AreaKind::LocalAuthority,
        AreaKind::Csp,
        AreaKind::Force,
    ] {
        with_tx!(tx, |c| sqlx::query(SUM)
            .bind(kind.as_str())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let event = audit::record(
        tx,
        author,
        Change {
            action: "import",
            record_type: "population",
            record_id: None,
            organisation_id: None,
            before: None,
            after: Some(
                json!({ "source": source, "codes": populations.len(), "matched": matched }),
            ),
        },
    )
    .await?;
    owned.commit(event).await?;
    Ok(matched)
}

/// The columns an [`Area`] is read from, for `concat!`.
macro_rules! area_columns {
    () => {
        "code, kind, name, parent_code, population"
    };
}

/// One area.
pub async fn find(db: &Db, code: &str) -> Result<Option<Area>, StoreError> {
    const SQL: &str = concat!("SELECT ", area_columns!(), " FROM areas WHERE code = $1");
    let row: Option<AreaRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(code)
        .fetch_optional(c)
        .await)?;
    row.map(area_from).transpose()
}

/// The areas directly within an area, by name.
pub async fn children(db: &Db, code: &str) -> Result<Vec<Area>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        area_columns!(),
        " FROM areas WHERE parent_code = $1 ORDER BY name, code"
    );
    let rows: Vec<AreaRow> = with_conn!(db, |c| sqlx::query_as(SQL).bind(code).fetch_all(c).await)?;
    rows.into_iter().map(area_from).collect()
}

/// Every area of a kind, by name.
pub async fn of_kind(db: &Db, kind: AreaKind) -> Result<Vec<Area>, StoreError> {
    const SQL: &str = concat!(
        "SELECT ",
        area_columns!(),
        " FROM areas WHERE kind = $1 ORDER BY name, code"
    );
    let rows: Vec<AreaRow> = with_conn!(db, |c| sqlx::query_as(SQL)
        .bind(kind.as_str())
        .fetch_all(c)
        .await)?;
    rows.into_iter().map(area_from).collect()
}

/// Where an LSOA rolls up to: (ward, local authority, CSP, force) codes, each where known.
pub type Chain = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// For every LSOA met in imported street files: the chain of areas it rolls up to.
pub async fn lsoa_chains(db: &Db) -> Result<Vec<(String, Chain)>, StoreError> {
    const SQL: &str = "SELECT l.lsoa_code, w.code, la.code, csp.code, f.code \
        FROM (SELECT DISTINCT lsoa_code FROM street_counts WHERE lsoa_code IS NOT NULL) l \
        LEFT JOIN areas lsoa ON lsoa.code = l.lsoa_code AND lsoa.kind = 'lsoa' \
        LEFT JOIN areas w ON w.code = lsoa.parent_code AND w.kind = 'ward' \
        LEFT JOIN areas la ON la.code = w.parent_code AND la.kind = 'local_authority' \
        LEFT JOIN areas csp ON csp.code = la.parent_code AND csp.kind = 'csp' \
        LEFT JOIN areas f ON f.code = csp.parent_code AND f.kind = 'force' \
        ORDER BY l.lsoa_code";
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = with_conn!(db, |c| sqlx::query_as(SQL).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(lsoa, w, la, csp, f)| (lsoa, (w, la, csp, f)))
        .collect())
}
