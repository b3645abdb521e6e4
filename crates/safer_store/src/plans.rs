//! Plans and their parts: priorities, objectives, deliverables, milestones and progress updates,
//! and the links from a partnership's priorities to the Police and Crime Plan's objectives.
//!
//! Every read takes the viewer's [`ReadScope`] and returns `None` for a plan outside it.

use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, Tx, with_conn, with_pool, with_tx};
use crate::error::StoreError;
use crate::organisations::owner_from_row;
use jiff::civil::Date;
use safer_core::access::ReadScope;
use safer_core::organisations::Owner;
use safer_core::plans::{Due, MilestoneDetails, MilestoneStatus, PlanKind, Progress};
use serde::Serialize;
use serde_json::{Value, json};

/// A plan's heading: what it is, whose, and for when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSummary {
    /// The plan's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Police and Crime Plan or Partnership Plan.
    pub kind: PlanKind,
    /// The organisation that owns it.
    pub organisation_id: i64,
    /// That organisation's name.
    pub organisation_name: String,
    /// The first day it covers.
    pub starts_on: Date,
    /// The last day it covers.
    pub ends_on: Date,
    #[serde(skip)]
    /// What the access rules need about the owner.
    pub owner: Owner,
}

/// A whole plan, in order.
#[derive(Debug, Clone, Serialize)]
pub struct PlanDocument {
    /// The heading.
    #[serde(flatten)]
    pub plan: PlanSummary,
    /// Its priorities, in order.
    pub priorities: Vec<PriorityDocument>,
}

/// A priority with everything under it.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityDocument {
    /// The priority's id.
    pub id: i64,
    /// Its place in the plan, from 1.
    pub position: i64,
    /// Its title.
    pub title: String,
    /// More about it.
    pub description: String,
    /// Its objectives, in order.
    pub objectives: Vec<Objective>,
    /// The Police and Crime Plan objectives it supports.
    pub supports: Vec<LinkedObjective>,
    /// Its deliverables, in order.
    pub deliverables: Vec<DeliverableDocument>,
}

/// An objective under a priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objective {
    /// The objective's id.
    pub id: i64,
    /// Its place under the priority, from 1.
    pub position: i64,
    /// What it is.
    pub title: String,
}

/// An objective of another plan that a priority supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedObjective {
    /// The objective's id.
    pub objective_id: i64,
    /// The objective.
    pub title: String,
    /// The priority it sits under.
    pub priority_title: String,
    /// The plan it belongs to.
    pub plan_id: i64,
}

/// A deliverable with its milestones.
#[derive(Debug, Clone, Serialize)]
pub struct DeliverableDocument {
    /// The deliverable's id.
    pub id: i64,
    /// Its place under the priority, from 1.
    pub position: i64,
    /// What will be delivered.
    pub title: String,
    /// More about it.
    pub description: String,
    /// Its milestones, in order.
    pub milestones: Vec<Milestone>,
}

/// A milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    /// The milestone's id.
    pub id: i64,
    /// The deliverable it belongs to.
    pub deliverable_id: i64,
    /// Its place under the deliverable, from 1.
    pub position: i64,
    /// What it will deliver.
    pub title: String,
    /// More about it.
    pub description: String,
    /// When it is due.
    #[serde(serialize_with = "serialize_due")]
    pub due: Due,
    /// Where it stands.
    pub status: MilestoneStatus,
    /// Increases with every change; an edit must name the version it started from.
    pub version: i64,
    /// When it last changed.
    pub updated_at: String,
}

fn serialize_due<S: serde::Serializer>(due: &Due, s: S) -> Result<S::Ok, S::Error> {
    json!({ "from": due.from.map(|d| d.to_string()), "to": due.to.map(|d| d.to_string()), "text": due.text }).serialize(s)
}

/// A milestone with where it sits and its history.
#[derive(Debug, Clone, Serialize)]
pub struct MilestoneDocument {
    /// The milestone.
    pub milestone: Milestone,
    /// The deliverable it belongs to.
    pub deliverable_title: String,
    /// The priority above that.
    pub priority_title: String,
    /// The plan.
    pub plan: PlanSummary,
    /// Progress updates, newest first.
    pub updates: Vec<ProgressUpdate>,
}

/// One dated progress update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressUpdate {
    /// The update's id.
    pub id: i64,
    /// The day it reports on.
    pub recorded_on: Date,
    /// The status it set.
    pub status: MilestoneStatus,
    /// What happened.
    pub note: String,
    /// Who recorded it.
    pub author: String,
}

/// A deliverable or priority with the plan it belongs to, for forms that add to it.
#[derive(Debug, Clone)]
pub struct PlanPart {
    /// The plan.
    pub plan: PlanSummary,
    /// The part's id.
    pub id: i64,
    /// The part's title.
    pub title: String,
}

fn date(text: &str) -> Result<Date, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Invalid(format!("stored date {text:?} is not a date")))
}

type PlanRow = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
);
const PLAN_SELECT_BY_ID: &str = "SELECT p.id, p.title, p.kind, o.id, o.name, o.kind, p.starts_on, p.ends_on, o.policing_body_id \
    FROM plans p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1";

fn plan_from_row(r: PlanRow) -> Result<PlanSummary, StoreError> {
    let owner = owner_from_row(r.3, &r.5, r.8)
        .ok_or_else(|| StoreError::Invalid("unknown organisation kind".into()))?;
    Ok(PlanSummary {
        id: r.0,
        title: r.1,
        kind: PlanKind::parse(&r.2)
            .ok_or_else(|| StoreError::Invalid("unknown plan kind".into()))?,
        organisation_id: r.3,
        organisation_name: r.4,
        starts_on: date(&r.6)?,
        ends_on: date(&r.7)?,
        owner,
    })
}

/// The plan's heading if it exists and `scope` may read it.
pub async fn summary(
    db: &Db,
    scope: &ReadScope,
    plan_id: i64,
) -> Result<Option<PlanSummary>, StoreError> {
    let row = with_pool!(db, |p| sqlx::query_as::<_, PlanRow>(PLAN_SELECT_BY_ID)
        .bind(plan_id)
        .fetch_optional(p)
        .await)?;
    match row {
        Some(r) => {
            let plan = plan_from_row(r)?;
            Ok(scope.can_read_plan(&plan.owner).then_some(plan))
        }
        None => Ok(None),
    }
}

/// The plans `scope` may read, Police and Crime Plans first.
pub async fn list(db: &Db, scope: &ReadScope) -> Result<Vec<PlanSummary>, StoreError> {
    const SQL: &str = "SELECT p.id, p.title, p.kind, o.id, o.name, o.kind, p.starts_on, p.ends_on, o.policing_body_id \
        FROM plans p JOIN organisations o ON o.id = p.organisation_id ORDER BY p.kind DESC, o.name, p.starts_on DESC";
    let rows = with_pool!(db, |p| sqlx::query_as::<_, PlanRow>(SQL).fetch_all(p).await)?;
    let mut plans = Vec::new();
    for r in rows {
        let plan = plan_from_row(r)?;
        if scope.can_read_plan(&plan.owner) {
            plans.push(plan);
        }
    }
    Ok(plans)
}

type MilestoneRow = (
    i64,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    String,
);

fn milestone_from_row(r: MilestoneRow) -> Result<Milestone, StoreError> {
    Ok(Milestone {
        id: r.0,
        deliverable_id: r.1,
        position: r.2,
        title: r.3,
        description: r.4,
        due: Due {
            from: r.5.as_deref().map(date).transpose()?,
            to: r.6.as_deref().map(date).transpose()?,
            text: r.7,
        },
        status: MilestoneStatus::parse(&r.8)
            .ok_or_else(|| StoreError::Invalid("unknown milestone status".into()))?,
        version: r.9,
        updated_at: r.10,
    })
}

/// A whole plan, if it exists and `scope` may read it. Read on one connection.
pub async fn document(
    db: &Db,
    scope: &ReadScope,
    plan_id: i64,
) -> Result<Option<PlanDocument>, StoreError> {
    // Priorities with their deliverables (a priority without any appears once, with NULLs).
    const PRIORITIES: &str = "SELECT p.id, p.position, p.title, p.description, d.id, d.position, d.title, d.description \
        FROM priorities p LEFT JOIN deliverables d ON d.priority_id = p.id WHERE p.plan_id = $1 \
        ORDER BY p.position, p.id, d.position, d.id";
    const OBJECTIVES: &str = "SELECT o.priority_id, o.id, o.position, o.title FROM objectives o \
        JOIN priorities p ON p.id = o.priority_id WHERE p.plan_id = $1 ORDER BY o.position, o.id";
    const LINKS: &str = "SELECT l.priority_id, o.id, o.title, op.title, op.plan_id FROM priority_objective_links l \
        JOIN priorities p ON p.id = l.priority_id JOIN objectives o ON o.id = l.objective_id \
        JOIN priorities op ON op.id = o.priority_id WHERE p.plan_id = $1 ORDER BY op.position, o.position";
    const MILESTONES: &str = "SELECT m.id, m.deliverable_id, m.position, m.title, m.description, m.due_from, m.due_to, m.due_text, m.status, m.version, m.updated_at \
        FROM milestones m JOIN deliverables d ON d.id = m.deliverable_id JOIN priorities p ON p.id = d.priority_id \
        WHERE p.plan_id = $1 ORDER BY m.position, m.id";
    type PriorityRow = (
        i64,
        i64,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let rows = with_conn!(db, |c| {
        let Some(plan) = sqlx::query_as::<_, PlanRow>(PLAN_SELECT_BY_ID)
            .bind(plan_id)
            .fetch_optional(&mut *c)
            .await?
        else {
            return Ok(None);
        };
        let plan = plan_from_row(plan)?;
        if !scope.can_read_plan(&plan.owner) {
            return Ok(None);
        }
        let priorities = sqlx::query_as::<_, PriorityRow>(PRIORITIES)
            .bind(plan_id)
            .fetch_all(&mut *c)
            .await?;
        let objectives = sqlx::query_as::<_, (i64, i64, i64, String)>(OBJECTIVES)
            .bind(plan_id)
            .fetch_all(&mut *c)
            .await?;
        let links = sqlx::query_as::<_, (i64, i64, String, String, i64)>(LINKS)
            .bind(plan_id)
            .fetch_all(&mut *c)
            .await?;
        let milestones = sqlx::query_as::<_, MilestoneRow>(MILESTONES)
            .bind(plan_id)
            .fetch_all(&mut *c)
            .await?;
        (plan, priorities, objectives, links, milestones)
    });
    let (plan, priority_rows, objectives, links, milestones) = rows;
    let milestones = milestones
        .into_iter()
        .map(milestone_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut priorities: Vec<PriorityDocument> = Vec::new();
    for (id, position, title, description, d_id, d_position, d_title, d_description) in
        priority_rows
    {
        if priorities.last().map(|p| p.id) != Some(id) {
            priorities.push(PriorityDocument {
                id,
                position,
                title,
                description,
                objectives: objectives
                    .iter()
                    .filter(|o| o.0 == id)
                    .map(|o| Objective {
                        id: o.1,
                        position: o.2,
                        title: o.3.clone(),
                    })
                    .collect(),
                supports: links
                    .iter()
                    .filter(|l| l.0 == id)
                    .map(|l| LinkedObjective {
                        objective_id: l.1,
                        title: l.2.clone(),
                        priority_title: l.3.clone(),
                        plan_id: l.4,
                    })
                    .collect(),
                deliverables: Vec::new(),
            });
        }
        if let (Some(d_id), Some(priority)) = (d_id, priorities.last_mut()) {
            priority.deliverables.push(DeliverableDocument {
                id: d_id,
                position: d_position.unwrap_or_default(),
                title: d_title.unwrap_or_default(),
                description: d_description.unwrap_or_default(),
                milestones: milestones
                    .iter()
                    .filter(|m| m.deliverable_id == d_id)
                    .cloned()
                    .collect(),
            });
        }
    }
    Ok(Some(PlanDocument { plan, priorities }))
}

/// A milestone with its context and history, if `scope` may read its plan.
pub async fn milestone(
    db: &Db,
    scope: &ReadScope,
    milestone_id: i64,
) -> Result<Option<MilestoneDocument>, StoreError> {
    const SQL: &str = "SELECT m.id, m.deliverable_id, m.position, m.title, m.description, m.due_from, m.due_to, m.due_text, m.status, m.version, m.updated_at, \
        d.title, p.title, p.plan_id FROM milestones m JOIN deliverables d ON d.id = m.deliverable_id \
        JOIN priorities p ON p.id = d.priority_id WHERE m.id = $1";
    const UPDATES: &str = "SELECT u.id, u.recorded_on, u.status, u.note, COALESCE(us.display_name, '') FROM milestone_updates u \
        LEFT JOIN users us ON us.id = u.author_user_id WHERE u.milestone_id = $1 ORDER BY u.recorded_on DESC, u.id DESC";
    type Row = (
        i64,
        i64,
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        i64,
        String,
        String,
        String,
        i64,
    );
    let row = with_pool!(db, |p| sqlx::query_as::<_, Row>(SQL)
        .bind(milestone_id)
        .fetch_optional(p)
        .await)?;
    let Some(r) = row else {
        return Ok(None);
    };
    let Some(plan) = summary(db, scope, r.13).await? else {
        return Ok(None);
    };
    let milestone = milestone_from_row((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10))?;
    let updates = with_pool!(db, |p| sqlx::query_as::<
        _,
        (i64, String, String, String, String),
    >(UPDATES)
    .bind(milestone_id)
    .fetch_all(p)
    .await)?
    .into_iter()
    .map(|(id, on, status, note, author)| {
        Ok(ProgressUpdate {
            id,
            recorded_on: date(&on)?,
            status: MilestoneStatus::parse(&status)
                .ok_or_else(|| StoreError::Invalid("unknown status".into()))?,
            note,
            author,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(MilestoneDocument {
        milestone,
        deliverable_title: r.11,
        priority_title: r.12,
        plan,
        updates,
    }))
}

/// A deliverable and its plan, if `scope` may read the plan.
pub async fn deliverable(
    db: &Db,
    scope: &ReadScope,
    deliverable_id: i64,
) -> Result<Option<PlanPart>, StoreError> {
    const SQL: &str = "SELECT d.title, p.plan_id FROM deliverables d JOIN priorities p ON p.id = d.priority_id WHERE d.id = $1";
    part(db, scope, deliverable_id, SQL).await
}

/// A priority and its plan, if `scope` may read the plan.
pub async fn priority(
    db: &Db,
    scope: &ReadScope,
    priority_id: i64,
) -> Result<Option<PlanPart>, StoreError> {
    const SQL: &str = "SELECT title, plan_id FROM priorities WHERE id = $1";
    part(db, scope, priority_id, SQL).await
}

async fn part(
    db: &Db,
    scope: &ReadScope,
    id: i64,
    sql: &'static str,
) -> Result<Option<PlanPart>, StoreError> {
    let row = with_pool!(db, |p| sqlx::query_as::<_, (String, i64)>(sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    let Some((title, plan_id)) = row else {
        return Ok(None);
    };
    Ok(summary(db, scope, plan_id)
        .await?
        .map(|plan| PlanPart { plan, id, title }))
}

/// The objectives of the Police and Crime Plans of a policing body, as (objective id, priority
/// title, objective title), for linking a partnership's priorities to them. Published.
pub async fn police_and_crime_objectives(
    db: &Db,
    policing_body_id: i64,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    const SQL: &str = "SELECT o.id, p.title, o.title FROM objectives o JOIN priorities p ON p.id = o.priority_id \
        JOIN plans pl ON pl.id = p.plan_id WHERE pl.organisation_id = $1 AND pl.kind = 'police_and_crime' \
        ORDER BY pl.starts_on DESC, p.position, o.position";
    Ok(with_pool!(db, |p| sqlx::query_as::<
        _,
        (i64, String, String),
    >(SQL)
    .bind(policing_body_id)
    .fetch_all(p)
    .await)?)
}

/// A Police and Crime Plan objective as a measure's target cites it: "Objective (Plan title)".
/// Only Police and Crime Plans', which are published; `None` for any other objective.
pub async fn objective_title(db: &Db, objective_id: i64) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT o.title, pl.title FROM objectives o \
        JOIN priorities p ON p.id = o.priority_id JOIN plans pl ON pl.id = p.plan_id \
        WHERE o.id = $1 AND pl.kind = 'police_and_crime'";
    let row: Option<(String, String)> = with_pool!(db, |p| sqlx::query_as(SQL)
        .bind(objective_id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|(objective, plan)| format!("{objective} ({plan})")))
}

// ---- writes ----

async fn next_position(tx: &mut Tx, sql: &'static str, parent_id: i64) -> Result<i64, StoreError> {
    Ok(with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(sql)
        .bind(parent_id)
        .fetch_one(c)
        .await)?)
}

async fn insert_returning_id(
    tx: &mut Tx,
    sql: &'static str,
    binds: (i64, i64, &str, &str),
) -> Result<i64, StoreError> {
    Ok(with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(sql)
        .bind(binds.0)
        .bind(binds.1)
        .bind(binds.2)
        .bind(binds.3)
        .fetch_one(c)
        .await)?)
}

/// The organisation owning the plan that a priority, deliverable or milestone belongs to.
async fn owner_in_tx(tx: &mut Tx, sql: &'static str, id: i64) -> Result<i64, StoreError> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

const OWNER_OF_PLAN: &str = "SELECT organisation_id FROM plans WHERE id = $1";
const OWNER_OF_PRIORITY: &str = "SELECT pl.organisation_id FROM priorities p JOIN plans pl ON pl.id = p.plan_id WHERE p.id = $1";
const OWNER_OF_DELIVERABLE: &str = "SELECT pl.organisation_id FROM deliverables d JOIN priorities p ON p.id = d.priority_id \
    JOIN plans pl ON pl.id = p.plan_id WHERE d.id = $1";
const OWNER_OF_MILESTONE: &str = "SELECT pl.organisation_id FROM milestones m JOIN deliverables d ON d.id = m.deliverable_id \
    JOIN priorities p ON p.id = d.priority_id JOIN plans pl ON pl.id = p.plan_id WHERE m.id = $1";

/// Creates a plan for an organisation.
pub async fn create_plan(
    db: &Db,
    author: &Author,
    organisation_id: i64,
    kind: PlanKind,
    title: &str,
    starts_on: Date,
    ends_on: Date,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO plans (organisation_id, kind, title, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    if ends_on < starts_on {
        return Err(StoreError::Invalid(
            "a plan must end after it starts".into(),
        ));
    }
    let mut tx = db.begin().await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(organisation_id)
        .bind(kind.as_str())
        .bind(title)
        .bind(starts_on.to_string())
        .bind(ends_on.to_string())
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let after = json!({ "title": title, "kind": kind.as_str(), "starts_on": starts_on.to_string(), "ends_on": ends_on.to_string() });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "plan",
            record_id: Some(id),
            organisation_id: Some(organisation_id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Adds a priority at the end of a plan.
pub async fn add_priority(
    db: &Db,
    author: &Author,
    plan_id: i64,
    title: &str,
    description: &str,
) -> Result<i64, StoreError> {
    const POSITION: &str =
        "SELECT COALESCE(MAX(position), 0) + 1 FROM priorities WHERE plan_id = $1";
    const SQL: &str = "INSERT INTO priorities (plan_id, position, title, description) VALUES ($1, $2, $3, $4) RETURNING id";
    let mut tx = db.begin().await?;
    let org = owner_in_tx(&mut tx, OWNER_OF_PLAN, plan_id).await?;
    let position = next_position(&mut tx, POSITION, plan_id).await?;
    let id = insert_returning_id(&mut tx, SQL, (plan_id, position, title, description)).await?;
    let after = json!({ "plan_id": plan_id, "position": position, "title": title, "description": description });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "priority",
            record_id: Some(id),
            organisation_id: Some(org),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Adds an objective at the end of a priority.
pub async fn add_objective(
    db: &Db,
    author: &Author,
    priority_id: i64,
    title: &str,
) -> Result<i64, StoreError> {
    const POSITION: &str =
        "SELECT COALESCE(MAX(position), 0) + 1 FROM objectives WHERE priority_id = $1";
    const SQL: &str =
        "INSERT INTO objectives (priority_id, position, title) VALUES ($1, $2, $3) RETURNING id";
    let mut tx = db.begin().await?;
    let org = owner_in_tx(&mut tx, OWNER_OF_PRIORITY, priority_id).await?;
    let position = next_position(&mut tx, POSITION, priority_id).await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(priority_id)
        .bind(position)
        .bind(title)
        .fetch_one(c)
        .await)?;
    let after = json!({ "priority_id": priority_id, "position": position, "title": title });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "objective",
            record_id: Some(id),
            organisation_id: Some(org),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Adds a deliverable at the end of a priority.
pub async fn add_deliverable(
    db: &Db,
    author: &Author,
    priority_id: i64,
    title: &str,
    description: &str,
) -> Result<i64, StoreError> {
    const POSITION: &str =
        "SELECT COALESCE(MAX(position), 0) + 1 FROM deliverables WHERE priority_id = $1";
    const SQL: &str = "INSERT INTO deliverables (priority_id, position, title, description) VALUES ($1, $2, $3, $4) RETURNING id";
    let mut tx = db.begin().await?;
    let org = owner_in_tx(&mut tx, OWNER_OF_PRIORITY, priority_id).await?;
    let position = next_position(&mut tx, POSITION, priority_id).await?;
    let id = insert_returning_id(&mut tx, SQL, (priority_id, position, title, description)).await?;
    let after = json!({ "priority_id": priority_id, "position": position, "title": title, "description": description });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "deliverable",
            record_id: Some(id),
            organisation_id: Some(org),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Sets which Police and Crime Plan objectives a priority supports, replacing any before.
pub async fn set_priority_links(
    db: &Db,
    author: &Author,
    priority_id: i64,
    objective_ids: &[i64],
) -> Result<(), StoreError> {
    const BEFORE: &str = "SELECT objective_id FROM priority_objective_links WHERE priority_id = $1 ORDER BY objective_id";
    const CLEAR: &str = "DELETE FROM priority_objective_links WHERE priority_id = $1";
    const IS_PCC_OBJECTIVE: &str = "SELECT COUNT(*) FROM objectives o JOIN priorities p ON p.id = o.priority_id \
        JOIN plans pl ON pl.id = p.plan_id WHERE o.id = $1 AND pl.kind = 'police_and_crime'";
    const INSERT: &str =
        "INSERT INTO priority_objective_links (priority_id, objective_id) VALUES ($1, $2)";
    let mut ids = objective_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut tx = db.begin().await?;
    let org = owner_in_tx(&mut tx, OWNER_OF_PRIORITY, priority_id).await?;
    let before = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(BEFORE)
        .bind(priority_id)
        .fetch_all(c)
        .await)?;
    with_tx!(&mut tx, |c| sqlx::query(CLEAR)
        .bind(priority_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    for id in &ids {
        let ok = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(IS_PCC_OBJECTIVE)
            .bind(*id)
            .fetch_one(c)
            .await)?;
        if ok == 0 {
            return Err(StoreError::Invalid(format!(
                "objective {id} is not an objective of a Police and Crime Plan"
            )));
        }
        with_tx!(&mut tx, |c| sqlx::query(INSERT)
            .bind(priority_id)
            .bind(*id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "update",
            record_type: "priority_links",
            record_id: Some(priority_id),
            organisation_id: Some(org),
            before: Some(json!({ "objective_ids": before })),
            after: Some(json!({ "objective_ids": ids })),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

fn milestone_json(d: &MilestoneDetails) -> Value {
    json!({
        "title": d.title,
        "description": d.description,
        "due_from": d.due.from.map(|x| x.to_string()),
        "due_to": d.due.to.map(|x| x.to_string()),
        "due_text": d.due.text,
        "status": d.status.as_str(),
    })
}

/// Adds a milestone at the end of a deliverable.
pub async fn add_milestone(
    db: &Db,
    author: &Author,
    deliverable_id: i64,
    details: &MilestoneDetails,
) -> Result<i64, StoreError> {
    const POSITION: &str =
        "SELECT COALESCE(MAX(position), 0) + 1 FROM milestones WHERE deliverable_id = $1";
    const SQL: &str = "INSERT INTO milestones (deliverable_id, position, title, description, due_from, due_to, due_text, status, version, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id";
    let mut tx = db.begin().await?;
    let org = owner_in_tx(&mut tx, OWNER_OF_DELIVERABLE, deliverable_id).await?;
    let position = next_position(&mut tx, POSITION, deliverable_id).await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(deliverable_id)
        .bind(position)
        .bind(&details.title)
        .bind(&details.description)
        .bind(details.due.from.map(|d| d.to_string()))
        .bind(details.due.to.map(|d| d.to_string()))
        .bind(&details.due.text)
        .bind(details.status.as_str())
        .bind(now_text())
        .fetch_one(c)
        .await)?;
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "milestone",
            record_id: Some(id),
            organisation_id: Some(org),
            before: None,
            after: Some(milestone_json(details)),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

async fn milestone_in_tx(tx: &mut Tx, milestone_id: i64) -> Result<Milestone, StoreError> {
    const SQL: &str = "SELECT m.id, m.deliverable_id, m.position, m.title, m.description, m.due_from, m.due_to, m.due_text, m.status, m.version, m.updated_at \
        FROM milestones m WHERE m.id = $1";
    let row = with_tx!(tx, |c| sqlx::query_as::<_, MilestoneRow>(SQL)
        .bind(milestone_id)
        .fetch_optional(c)
        .await)?;
    milestone_from_row(row.ok_or(StoreError::NotFound)?)
}

/// Changes a milestone's details, if nobody has changed it since `version` was read.
pub async fn update_milestone(
    db: &Db,
    author: &Author,
    milestone_id: i64,
    version: i64,
    details: &MilestoneDetails,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE milestones SET title = $1, description = $2, due_from = $3, due_to = $4, due_text = $5, status = $6, \
        version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9";
    let mut tx = db.begin().await?;
    let org = owner_in_tx(&mut tx, OWNER_OF_MILESTONE, milestone_id).await?;
    let before = milestone_in_tx(&mut tx, milestone_id).await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(&details.title)
        .bind(&details.description)
        .bind(details.due.from.map(|d| d.to_string()))
        .bind(details.due.to.map(|d| d.to_string()))
        .bind(&details.due.text)
        .bind(details.status.as_str())
        .bind(now_text())
        .bind(milestone_id)
        .bind(version)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    let before = MilestoneDetails {
        title: before.title,
        description: before.description,
        due: before.due,
        status: before.status,
    };
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "update",
            record_type: "milestone",
            record_id: Some(milestone_id),
            organisation_id: Some(org),
            before: Some(milestone_json(&before)),
            after: Some(milestone_json(details)),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Records dated progress on a milestone and sets its status to the update's.
pub async fn record_progress(
    db: &Db,
    author: &Author,
    milestone_id: i64,
    progress: &Progress,
    recorded_on: Date,
) -> Result<i64, StoreError> {
    const INSERT: &str = "INSERT INTO milestone_updates (milestone_id, recorded_on, status, note, author_user_id, created_at) \
        VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    const STATUS: &str =
        "UPDATE milestones SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3";
    let mut tx = db.begin().await?;
    let org = owner_in_tx(&mut tx, OWNER_OF_MILESTONE, milestone_id).await?;
    let before = milestone_in_tx(&mut tx, milestone_id).await?;
    let now = now_text();
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(INSERT)
        .bind(milestone_id)
        .bind(recorded_on.to_string())
        .bind(progress.status.as_str())
        .bind(&progress.note)
        .bind(author.user_id)
        .bind(&now)
        .fetch_one(c)
        .await)?;
    with_tx!(&mut tx, |c| sqlx::query(STATUS)
        .bind(progress.status.as_str())
        .bind(&now)
        .bind(milestone_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = json!({ "update_id": id, "recorded_on": recorded_on.to_string(), "status": progress.status.as_str(), "note": progress.note });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "record_progress",
            record_type: "milestone",
            record_id: Some(milestone_id),
            organisation_id: Some(org),
            before: Some(json!({ "status": before.status.as_str() })),
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}
