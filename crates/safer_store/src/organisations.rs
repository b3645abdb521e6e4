//! Organisations: policing bodies, partnerships with the local authority areas they cover, and
//! partner organisations. Names and areas are public information.

use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, with_pool, with_tx};
use crate::error::StoreError;
use safer_core::organisations::{OrganisationKind, Owner};
use serde::Serialize;
use serde_json::json;

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    /// Its id.
    pub id: i64,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// Its name.
    pub name: String,
    /// The policing body whose area it is in (none for a policing body).
    pub policing_body_id: Option<i64>,
    /// The ONS code of the police force area, for a policing body.
    pub force_area_code: Option<String>,
    /// The police force area's name, for a policing body.
    pub force_area_name: Option<String>,
}

impl Organisation {
    /// What the access rules need to know about it.
    pub fn owner(&self) -> Owner {
        Owner {
            id: self.id,
            kind: self.kind,
            policing_body_id: self.policing_body_id.unwrap_or(self.id),
        }
    }
}

/// A new organisation's details.
#[derive(Debug, Clone)]
pub struct NewOrganisation<'a> {
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// Its name.
    pub name: &'a str,
    /// The policing body whose area it is in (none for a policing body).
    pub policing_body_id: Option<i64>,
    /// The police force area's ONS code and name, for a policing body.
    pub force_area: Option<(&'a str, &'a str)>,
}

pub(crate) fn owner_from_row(id: i64, kind: &str, policing_body_id: Option<i64>) -> Option<Owner> {
    Some(Owner {
        id,
        kind: OrganisationKind::parse(kind)?,
        policing_body_id: policing_body_id.unwrap_or(id),
    })
}

type OrgRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

fn from_row(r: OrgRow) -> Option<Organisation> {
    Some(Organisation {
        id: r.0,
        kind: OrganisationKind::parse(&r.1)?,
        name: r.2,
        policing_body_id: r.3,
        force_area_code: r.4,
        force_area_name: r.5,
    })
}

/// Adds an organisation.
pub async fn create(
    db: &Db,
    author: &Author,
    new: &NewOrganisation<'_>,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO organisations (kind, name, policing_body_id, force_area_code, force_area_name, created_at) \
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    if (new.kind == OrganisationKind::PolicingBody) != new.policing_body_id.is_none() {
        return Err(StoreError::Invalid(
            "a policing body has no parent; every other organisation is in a policing body's area"
                .into(),
        ));
    }
    let (code, area) = new.force_area.unzip();
    let mut tx = db.begin().await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(new.kind.as_str())
        .bind(new.name)
        .bind(new.policing_body_id)
        .bind(code)
        .bind(area)
        .bind(now_text())
        .fetch_one(c)
        .await)
    .map_err(StoreError::unique("That organisation name"))?;
    let after = json!({ "kind": new.kind.as_str(), "name": new.name, "policing_body_id": new.policing_body_id, "force_area_code": code });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "organisation",
            record_id: Some(id),
            organisation_id: Some(id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Records that a partnership covers a local authority area (ONS code and name).
pub async fn add_area(
    db: &Db,
    author: &Author,
    partnership_id: i64,
    code: &str,
    name: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO partnership_areas (partnership_id, local_authority_code, local_authority_name) VALUES ($1, $2, $3)";
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(partnership_id)
        .bind(code)
        .bind(name)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(StoreError::unique("That area"))?;
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "partnership_area",
            record_id: Some(partnership_id),
            organisation_id: Some(partnership_id),
            before: None,
            after: Some(json!({ "code": code, "name": name })),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Records that a partner organisation takes part in a partnership.
pub async fn add_partner(
    db: &Db,
    author: &Author,
    partnership_id: i64,
    partner_id: i64,
) -> Result<(), StoreError> {
    const SQL: &str =
        "INSERT INTO partnership_partners (partnership_id, partner_id) VALUES ($1, $2)";
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(partnership_id)
        .bind(partner_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(StoreError::unique("That partner"))?;
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "partnership_partner",
            record_id: Some(partner_id),
            organisation_id: Some(partnership_id),
            before: None,
            after: Some(json!({ "partner_id": partner_id })),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Every organisation, policing bodies first, then by name.
pub async fn list(db: &Db) -> Result<Vec<Organisation>, StoreError> {
    const SQL: &str = "SELECT id, kind, name, policing_body_id, force_area_code, force_area_name FROM organisations \
        ORDER BY CASE kind WHEN 'policing_body' THEN 0 WHEN 'partnership' THEN 1 ELSE 2 END, name";
    let rows = with_pool!(db, |p| sqlx::query_as::<_, OrgRow>(SQL).fetch_all(p).await)?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}

/// One organisation.
pub async fn get(db: &Db, id: i64) -> Result<Option<Organisation>, StoreError> {
    const SQL: &str = "SELECT id, kind, name, policing_body_id, force_area_code, force_area_name FROM organisations WHERE id = $1";
    let row = with_pool!(db, |p| sqlx::query_as::<_, OrgRow>(SQL)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.and_then(from_row))
}

/// An organisation by its exact name.
pub async fn find_by_name(db: &Db, name: &str) -> Result<Option<Organisation>, StoreError> {
    const SQL: &str = "SELECT id, kind, name, policing_body_id, force_area_code, force_area_name FROM organisations WHERE name = $1";
    let row = with_pool!(db, |p| sqlx::query_as::<_, OrgRow>(SQL)
        .bind(name)
        .fetch_optional(p)
        .await)?;
    Ok(row.and_then(from_row))
}

/// The local authority areas (ONS code, name) a partnership covers.
pub async fn areas(db: &Db, partnership_id: i64) -> Result<Vec<(String, String)>, StoreError> {
    const SQL: &str = "SELECT local_authority_code, local_authority_name FROM partnership_areas \
        WHERE partnership_id = $1 ORDER BY local_authority_name";
    Ok(with_pool!(db, |p| sqlx::query_as::<_, (String, String)>(
        SQL
    )
    .bind(partnership_id)
    .fetch_all(p)
    .await)?)
}

/// The partner organisations taking part in a partnership.
pub async fn partners(db: &Db, partnership_id: i64) -> Result<Vec<Organisation>, StoreError> {
    const SQL: &str = "SELECT o.id, o.kind, o.name, o.policing_body_id, o.force_area_code, o.force_area_name \
        FROM partnership_partners pp JOIN organisations o ON o.id = pp.partner_id \
        WHERE pp.partnership_id = $1 ORDER BY o.name";
    let rows = with_pool!(db, |p| sqlx::query_as::<_, OrgRow>(SQL)
        .bind(partnership_id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().filter_map(from_row).collect())
}
