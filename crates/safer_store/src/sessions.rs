//! Server-side sessions, shared by every app instance through the database, and the record of
//! failed sign-ins used to throttle guessing.
//!
//! The browser holds a random token; the database holds only its SHA-256 hash, so a copy of the
//! database cannot be used to take over a session.

use crate::audit::{self, Author};
use crate::clock::instant_text;
use crate::db::{Db, with_conn, with_pool, with_tx};
use crate::error::StoreError;
use crate::users::{MEMBERSHIPS, MembershipRow, memberships_from_rows};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use safer_core::access::Actor;
use sha2::{Digest, Sha256};

/// How long failed sign-ins are kept: longer than any throttling window.
pub const FAILURE_RETENTION: SignedDuration = SignedDuration::from_hours(24 * 7);

/// How long a device stays trusted after signing in to an account.
pub const DEVICE_TRUST: SignedDuration = SignedDuration::from_hours(24 * 365);

/// How long sessions last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session ends after this long without a request.
    pub idle: SignedDuration,
    /// A session ends this long after sign-in, however active.
    pub absolute: SignedDuration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: SignedDuration::from_hours(2),
            absolute: SignedDuration::from_hours(12),
        }
    }
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The SHA-256 of the token, as stored.
    pub token_hash: String,
    /// Whose session it is.
    pub user_id: i64,
    /// The token every form in this session must carry.
    pub csrf_token: String,
    /// When it started.
    pub created_at: String,
    /// When it was last used (updated at most once a minute).
    pub last_seen_at: String,
    /// When it ends unless used again.
    pub expires_at: String,
}

/// 32 random bytes, URL-safe base64.
pub fn random_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Invalid(format!("no randomness available: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a session token.
pub fn hash_token(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

fn expiry(policy: &SessionPolicy, created: Timestamp, now: Timestamp) -> Timestamp {
    let idle_end = now.saturating_add(policy.idle).unwrap_or(now);
    let absolute_end = created.saturating_add(policy.absolute).unwrap_or(created);
    idle_end.min(absolute_end)
}

/// Starts a session for a user who has just proved who they are, and records the sign-in.
/// Returns the token for the cookie and the session.
pub async fn create(
    db: &Db,
    policy: &SessionPolicy,
    user_id: i64,
    display_name: &str,
) -> Result<(String, Session), StoreError> {
    const SQL: &str = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
        VALUES ($1, $2, $3, $4, $5, $6)";
    let token = random_token()?;
    let now = Timestamp::now();
    let session = Session {
        token_hash: hash_token(&token),
        user_id,
        csrf_token: random_token()?,
        created_at: instant_text(now),
        last_seen_at: instant_text(now),
        expires_at: instant_text(expiry(policy, now, now)),
    };
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(&session.token_hash)
        .bind(user_id)
        .bind(&session.csrf_token)
        .bind(&session.created_at)
        .bind(&session.last_seen_at)
        .bind(&session.expires_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    // Housekeeping, so neither table grows for ever: expired sessions, and failures too old to
    // count towards any throttle.
    const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";
    const PURGE_FAILURES: &str = "DELETE FROM sign_in_failures WHERE failed_at < $1";
    const PURGE_DEVICES: &str = "DELETE FROM trusted_devices WHERE created_at < $1";
    let oldest_device = instant_text(now.saturating_sub(DEVICE_TRUST).unwrap_or(now));
    let oldest_failure = instant_text(now.saturating_sub(FAILURE_RETENTION).unwrap_or(now));
    with_tx!(&mut tx, |c| sqlx::query(PURGE_SESSIONS)
        .bind(&session.created_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    with_tx!(&mut tx, |c| sqlx::query(PURGE_FAILURES)
        .bind(&oldest_failure)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    with_tx!(&mut tx, |c| sqlx::query(PURGE_DEVICES)
        .bind(&oldest_device)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let event = audit::on_user(
        &mut tx,
        &Author::user(user_id, display_name),
        "sign_in",
        Some(user_id),
    )
    .await?;
    tx.commit(event).await?;
    Ok((token, session))
}

/// The live session for a token and the enabled person it belongs to, extending the session if
/// it has not been used for a minute. An expired session is deleted and not returned; a
/// disabled person's session is not returned. Read on one connection, since every request
/// that carries a session cookie does this.
pub async fn resume(
    db: &Db,
    policy: &SessionPolicy,
    token: &str,
) -> Result<Option<(Session, Actor)>, StoreError> {
    const SQL: &str = "SELECT s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.display_name, u.disabled \
        FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
    const TOUCH: &str =
        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3";
    const END: &str = "DELETE FROM sessions WHERE token_hash = $1";
    type Row = (String, i64, String, String, String, String, String, bool);
    let hash = hash_token(token);
    let now = Timestamp::now();
    let now_text = instant_text(now);
    with_conn!(db, |c| {
        let row = sqlx::query_as::<_, Row>(SQL)
            .bind(&hash)
            .fetch_optional(&mut *c)
            .await?;
        let Some((
            token_hash,
            user_id,
            csrf_token,
            created_at,
            last_seen_at,
            expires_at,
            display_name,
            disabled,
        )) = row
        else {
            return Ok(None);
        };
        if expires_at <= now_text {
            sqlx::query(END).bind(&hash).execute(&mut *c).await?;
            return Ok(None);
        }
        if disabled {
            return Ok(None);
        }
        let mut session = Session {
            token_hash,
            user_id,
            csrf_token,
            created_at,
            last_seen_at,
            expires_at,
        };
        let last_seen: Timestamp = session.last_seen_at.parse().unwrap_or(now);
        // Touch at most once a minute, so that reading pages does not turn into a stream of writes.
        if now.duration_since(last_seen) >= SignedDuration::from_secs(60) {
            let created: Timestamp = session.created_at.parse().unwrap_or(now);
            session.last_seen_at = now_text.clone();
            session.expires_at = instant_text(expiry(policy, created, now));
            sqlx::query(TOUCH)
                .bind(&session.last_seen_at)
                .bind(&session.expires_at)
                .bind(&session.token_hash)
                .execute(&mut *c)
                .await?;
        }
        let memberships = sqlx::query_as::<_, MembershipRow>(MEMBERSHIPS)
            .bind(user_id)
            .fetch_all(&mut *c)
            .await?;
        Ok(Some((
            session,
            Actor {
                user_id,
                display_name,
                memberships: memberships_from_rows(memberships),
            },
        )))
    })
}

/// Ends a session and records the sign-out.
pub async fn end(db: &Db, session: &Session, author: &Author) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1";
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(&session.token_hash)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let event = audit::on_user(&mut tx, author, "sign_out", Some(session.user_id)).await?;
    tx.commit(event).await?;
    Ok(())
}

/// Moves a session's expiry to `expires_at`: for tests and for operators ending sessions early.
pub async fn set_expiry(
    db: &Db,
    token_hash: &str,
    expires_at: Timestamp,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE sessions SET expires_at = $1 WHERE token_hash = $2";
    with_pool!(db, |p| sqlx::query(SQL)
        .bind(instant_text(expires_at))
        .bind(token_hash)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Who is trying to sign in, for throttling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInClient {
    /// A device that has signed in to the account before: the hash of its device token.
    Trusted(String),
    /// Any other client, by its network address (all one address behind a proxy).
    Untrusted(String),
}

impl SignInClient {
    /// The client as failures are recorded against it.
    fn key(&self) -> String {
        match self {
            SignInClient::Trusted(hash) => format!("device:{hash}"),
            SignInClient::Untrusted(address) => format!("address:{address}"),
        }
    }
}

/// When failed sign-ins stop a client trying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures by one client within the window before it must wait.
    pub after: i64,
    /// The window over which failures are counted.
    pub window: SignedDuration,
    /// Failures by all untrusted clients together, within the window, before every untrusted
    /// client must wait (guessing spread over many addresses); trusted devices still sign in.
    pub untrusted_after: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            after: 5,
            window: SignedDuration::from_mins(15),
            untrusted_after: 50,
        }
    }
}

/// The client trying to sign in to `email`'s account: trusted if `device_token` is one the
/// account's own sign-ins were given, otherwise known by `address`.
pub async fn sign_in_client(
    db: &Db,
    user_id: Option<i64>,
    device_token: Option<&str>,
    address: &str,
) -> Result<SignInClient, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM trusted_devices WHERE token_hash = $1 AND user_id = $2";
    if let (Some(user_id), Some(token)) = (user_id, device_token) {
        let hash = hash_token(token);
        let known = with_pool!(db, |p| sqlx::query_scalar::<_, i64>(SQL)
            .bind(&hash)
            .bind(user_id)
            .fetch_one(p)
            .await)?;
        if known > 0 {
            return Ok(SignInClient::Trusted(hash));
        }
    }
    Ok(SignInClient::Untrusted(address.to_owned()))
}

/// How long `client` must wait before trying `email`'s account again, if it must: once it has
/// failed `policy.after` times within the window, until the oldest of those leaves it; and, for
/// an untrusted client, likewise once all untrusted clients together have failed
/// `policy.untrusted_after` times.
pub async fn throttled(
    db: &Db,
    email: &str,
    client: &SignInClient,
    policy: &ThrottlePolicy,
) -> Result<Option<SignedDuration>, StoreError> {
    // The n-th most recent failure within the window: the lock lasts until it leaves the window.
    const ONE: &str = "SELECT failed_at FROM sign_in_failures WHERE email = $1 AND client = $2 \
        AND failed_at >= $3 ORDER BY failed_at DESC LIMIT 1 OFFSET $4";
    const UNTRUSTED: &str = "SELECT failed_at FROM sign_in_failures WHERE email = $1 \
        AND client LIKE 'address:%' AND failed_at >= $2 ORDER BY failed_at DESC LIMIT 1 OFFSET $3";
    let now = Timestamp::now();
    let since = instant_text(now.saturating_sub(policy.window).unwrap_or(now));
    let mut oldest: Vec<String> = Vec::new();
    let own = with_pool!(db, |p| sqlx::query_scalar::<_, String>(ONE)
        .bind(email)
        .bind(client.key())
        .bind(&since)
        .bind(policy.after - 1)
        .fetch_optional(p)
        .await)?;
    oldest.extend(own);
    if matches!(client, SignInClient::Untrusted(_)) {
        let all = with_pool!(db, |p| sqlx::query_scalar::<_, String>(UNTRUSTED)
            .bind(email)
            .bind(&since)
            .bind(policy.untrusted_after - 1)
            .fetch_optional(p)
            .await)?;
        oldest.extend(all);
    }
    let wait = oldest
        .iter()
        .filter_map(|at| at.parse::<Timestamp>().ok())
        .map(|at| {
            at.saturating_add(policy.window)
                .unwrap_or(at)
                .duration_since(now)
        })
        .max();
    Ok(wait.filter(|w| w.is_positive()))
}

/// Records a failed sign-in for an address (known or not) by a client, with its audit event.
pub async fn record_failure(
    db: &Db,
    email: &str,
    user_id: Option<i64>,
    client: &SignInClient,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO sign_in_failures (email, failed_at, client) VALUES ($1, $2, $3)";
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(email)
        .bind(instant_text(Timestamp::now()))
        .bind(client.key())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let event = audit::on_user(
        &mut tx,
        &Author::system(&format!("sign-in attempt as {email}")),
        "sign_in_failed",
        user_id,
    )
    .await?;
    tx.commit(event).await?;
    Ok(())
}

/// Forgets a client's failed sign-ins for an address after a successful one; other clients'
/// failures still count against them.
pub async fn clear_failures(db: &Db, email: &str, client: &SignInClient) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM sign_in_failures WHERE email = $1 AND client = $2";
    with_pool!(db, |p| sqlx::query(SQL)
        .bind(email)
        .bind(client.key())
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Trusts the device a person has just signed in on: returns the token its browser keeps, whose
/// hash is stored. Recorded in the audit log.
pub async fn trust_device(db: &Db, user_id: i64, display_name: &str) -> Result<String, StoreError> {
    const SQL: &str =
        "INSERT INTO trusted_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)";
    let token = random_token()?;
    let mut tx = db.begin().await?;
    with_tx!(&mut tx, |c| sqlx::query(SQL)
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(instant_text(Timestamp::now()))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let event = audit::on_user(
        &mut tx,
        &Author::user(user_id, display_name),
        "device_trusted",
        Some(user_id),
    )
    .await?;
    tx.commit(event).await?;
    Ok(token)
}
