//! People: accounts, their roles in organisations, and loading who is asking.

use crate::access_log::{self, Looking};
use crate::audit::{self, Author, Change};
use crate::clock::now_text;
use crate::db::{Db, with_pool, with_tx};
use crate::error::StoreError;
use crate::organisations::owner_from_row;
use safer_core::access::{AccessKind, Actor, Membership, PersonalRecord, Role};
use serde_json::json;

/// An account as stored, with its password hash (never shown or logged).
#[derive(Debug, Clone)]
pub struct UserRecord {
    /// The user's id.
    pub id: i64,
    /// Their e-mail address, in lower case; they sign in with it.
    pub email: String,
    /// Their name.
    pub display_name: String,
    /// The Argon2id hash of their password.
    pub password_hash: String,
    /// Whether they are barred from signing in.
    pub disabled: bool,
}

/// A user as listed to administrators.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UserSummary {
    /// The user's id.
    pub id: i64,
    /// Their e-mail address.
    pub email: String,
    /// Their name.
    pub display_name: String,
    /// Whether they are barred from signing in.
    pub disabled: bool,
    /// Each role, with the organisation it is held in.
    pub roles: Vec<(Role, String)>,
}

impl UserSummary {
    /// Their roles as one line: "OPCC officer, West Midlands OPCC; Auditor, …".
    pub fn roles_text(&self) -> String {
        self.roles
            .iter()
            .map(|(role, org)| format!("{}, {org}", role.label()))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// "Active" or "Disabled".
    pub fn status(&self) -> &'static str {
        if self.disabled { "Disabled" } else { "Active" }
    }
}

/// Normalises an e-mail address for storage and look-up.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Creates an account. The e-mail address must be unused.
pub async fn create(
    db: &Db,
    author: &Author,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO users (email, display_name, password_hash, disabled, created_at) \
        VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let email = normalise_email(email);
    if !email.contains('@') || email.len() > 254 {
        return Err(StoreError::Invalid(format!(
            "{email:?} is not an e-mail address"
        )));
    }
    let mut tx = db.begin().await?;
    let id = with_tx!(&mut tx, |c| sqlx::query_scalar::<_, i64>(SQL)
        .bind(&email)
        .bind(display_name)
        .bind(password_hash)
        .bind(false)
        .bind(now_text())
        .fetch_one(c)
        .await)
    .map_err(StoreError::unique("That e-mail address"))?;
    let after = json!({ "email": email, "display_name": display_name, "disabled": false });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "user",
            record_id: Some(id),
            organisation_id: None,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(id)
}

/// Gives a user a role in an organisation.
pub async fn add_membership(
    db: &Db,
    author: &Author,
    user_id: i64,
    organisation_id: i64,
    role: Role,
) -> Result<(), StoreError> {
    const SQL: &str =
        "INSERT INTO memberships (user_id, organisation_id, role) VALUES ($1, $2, $3)";
    let org = crate::organisations::get(db, organisation_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let fits = match org.kind {
        safer_core::organisations::OrganisationKind::PolicingBody => {
            role.belongs_to_policing_body() || role == Role::BoardMember
        }
        safer_core::organisations::OrganisationKind::Partnership => {
            !role.belongs_to_policing_body()
        }
        safer_core::organisations::OrganisationKind::Partner => false,
    };
    if !fits {
        return Err(StoreError::Invalid(format!(
            "the role {} cannot be held in {}",
            role.label(),
            org.name
        )));
    }
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(user_id)
        .bind(organisation_id)
        .bind(role.as_str())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(StoreError::unique("That role"))?;
    let after =
        json!({ "user_id": user_id, "organisation_id": organisation_id, "role": role.as_str() });
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "create",
            record_type: "membership",
            record_id: Some(user_id),
            organisation_id: Some(organisation_id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

type UserRow = (i64, String, String, String, bool);

fn user_from_row(r: UserRow) -> UserRecord {
    UserRecord {
        id: r.0,
        email: r.1,
        display_name: r.2,
        password_hash: r.3,
        disabled: r.4,
    }
}

/// The account with this e-mail address, if any.
pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<UserRecord>, StoreError> {
    const SQL: &str =
        "SELECT id, email, display_name, password_hash, disabled FROM users WHERE email = $1";
    let email = normalise_email(email);
    let row = with_pool!(db, |p| sqlx::query_as::<_, UserRow>(SQL)
        .bind(&email)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(user_from_row))
}

/// The account with this id, if any.
pub async fn get(db: &Db, id: i64) -> Result<Option<UserRecord>, StoreError> {
    const SQL: &str =
        "SELECT id, email, display_name, password_hash, disabled FROM users WHERE id = $1";
    let row = with_pool!(db, |p| sqlx::query_as::<_, UserRow>(SQL)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(user_from_row))
}

/// Replaces a user's password hash and signs them out everywhere, except the session whose
/// token hash is `keep_session` (the one that made the change, if any).
pub async fn set_password_hash(
    db: &Db,
    author: &Author,
    user_id: i64,
    password_hash: &str,
    keep_session: Option<&str>,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET password_hash = $1 WHERE id = $2";
    const END_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(password_hash)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    with_tx!(&mut tx, |c| sqlx::query(END_SESSIONS)
        .bind(user_id)
        .bind(keep_session.unwrap_or(""))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let event = audit::on_user(&mut tx, author, "set_password", Some(user_id)).await?;
    tx.commit(event).await?;
    Ok(())
}

/// Disables or re-enables an account. Disabling also ends its sessions.
pub async fn set_disabled(
    db: &Db,
    author: &Author,
    user_id: i64,
    disabled: bool,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET disabled = $1 WHERE id = $2";
    const END_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
    let mut tx = db.begin().await?;
    let n = with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(disabled)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    if disabled {
        with_tx!(&mut tx, |c| sqlx::query(END_SESSIONS)
            .bind(user_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let event = audit::record(
        &mut tx,
        author,
        Change {
            action: "update",
            record_type: "user",
            record_id: Some(user_id),
            organisation_id: None,
            before: Some(json!({ "disabled": !disabled })),
            after: Some(json!({ "disabled": disabled })),
        },
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// A person's roles, with what the access rules need about each organisation.
pub(crate) const MEMBERSHIPS: &str = "SELECT o.id, o.kind, o.policing_body_id, m.role FROM memberships m \
    JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = $1 ORDER BY o.id, m.role";

/// A row of [`MEMBERSHIPS`].
pub(crate) type MembershipRow = (i64, String, Option<i64>, String);

pub(crate) fn memberships_from_rows(rows: Vec<MembershipRow>) -> Vec<Membership> {
    rows.into_iter()
        .filter_map(|(id, kind, pb, role)| {
            Some(Membership {
                organisation: owner_from_row(id, &kind, pb)?,
                role: Role::parse(&role)?,
            })
        })
        .collect()
}

/// The person behind a user id, with their roles, if the account exists and is enabled.
pub async fn load_actor(db: &Db, user_id: i64) -> Result<Option<Actor>, StoreError> {
    const USER: &str = "SELECT display_name, disabled FROM users WHERE id = $1";
    let user = with_pool!(db, |p| sqlx::query_as::<_, (String, bool)>(USER)
        .bind(user_id)
        .fetch_optional(p)
        .await)?;
    let Some((display_name, false)) = user else {
        return Ok(None);
    };
    let rows = with_pool!(db, |p| sqlx::query_as::<_, MembershipRow>(MEMBERSHIPS)
        .bind(user_id)
        .fetch_all(p)
        .await)?;
    Ok(Some(Actor {
        user_id,
        display_name,
        memberships: memberships_from_rows(rows),
    }))
}

/// Every user with their roles, for administrators: a list of personal records, each
/// recorded as shown (`kind` is [`AccessKind::Search`] for a page, [`AccessKind::Export`] for a
/// download).
pub async fn list(
    db: &Db,
    looking: &Looking<'_>,
    kind: AccessKind,
) -> Result<Vec<UserSummary>, StoreError> {
    let users = summaries(db, None).await?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    access_log::record(db, looking, kind, PersonalRecord::USER_ACCOUNT, &ids).await?;
    Ok(users)
}

/// One person's account with their roles, for administrators; the view is recorded.
pub async fn account(
    db: &Db,
    looking: &Looking<'_>,
    user_id: i64,
) -> Result<Option<UserSummary>, StoreError> {
    let Some(user) = summaries(db, Some(user_id)).await?.pop() else {
        return Ok(None);
    };
    access_log::record(
        db,
        looking,
        AccessKind::View,
        PersonalRecord::USER_ACCOUNT,
        &[user.id],
    )
    .await?;
    Ok(Some(user))
}

/// Users with their roles: every one, or the one with `only` as id.
async fn summaries(db: &Db, only: Option<i64>) -> Result<Vec<UserSummary>, StoreError> {
    const USERS: &str = "SELECT id, email, display_name, disabled FROM users \
        WHERE CAST($1 AS BIGINT) IS NULL OR id = $1 ORDER BY display_name, id";
    const ROLES: &str = "SELECT m.user_id, m.role, o.name FROM memberships m \
        JOIN organisations o ON o.id = m.organisation_id \
        WHERE CAST($1 AS BIGINT) IS NULL OR m.user_id = $1 ORDER BY o.name, m.role";
    let users = with_pool!(db, |p| sqlx::query_as::<_, (i64, String, String, bool)>(
        USERS
    )
    .bind(only)
    .fetch_all(p)
    .await)?;
    let roles = with_pool!(db, |p| sqlx::query_as::<_, (i64, String, String)>(ROLES)
        .bind(only)
        .fetch_all(p)
        .await)?;
    Ok(users
        .into_iter()
        .map(|(id, email, display_name, disabled)| UserSummary {
            id,
            email,
            display_name,
            disabled,
            roles: roles
                .iter()
                .filter(|r| r.0 == id)
                .filter_map(|r| Some((Role::parse(&r.1)?, r.2.clone())))
                .collect(),
        })
        .collect())
}
