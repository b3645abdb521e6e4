//! Signing in and out.
//!
//! A sign-in checks the address and password (Argon2id, off the async threads) and on success
//! starts a new server-side session; the session token goes only into an HttpOnly cookie.
//!
//! Failures are counted per account and client, and a client with too many recent failures is
//! refused without checking the password, told how long to wait. A device that has signed in to
//! the account before carries a device cookie and is counted apart from everyone else, so a
//! stranger guessing cannot lock the owner out of their own browser; other clients are counted
//! by network address, and all of them together have a higher limit.

use crate::AppState;
use crate::components::{ErrorSummary, TextInput};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::session::{Viewer, cookie, cookie_names, device_cookie_name};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use safer_core::forms::FormErrors;
use safer_store::{Author, passwords, sessions, users};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub(crate) struct SignInPage {
    layout: Layout,
    summary: ErrorSummary,
    email: TextInput,
    password: TextInput,
    next: String,
}

/// Where to go after signing in.
#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The sign-in form as submitted.
#[derive(Deserialize, Default)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only paths on this site, so a link cannot send someone elsewhere after signing in.
fn local_path(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

fn page(
    state: &AppState,
    viewer: &Viewer,
    email: &str,
    errors: &FormErrors,
    next: &str,
) -> SignInPage {
    SignInPage {
        layout: Layout::new(state, viewer, "Sign in", Section::Account)
            .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        email: TextInput::new("email", "Email address", email, errors).kind("email", "username"),
        password: TextInput::new("password", "Password", "", errors)
            .kind("password", "current-password"),
        next: local_path(next).to_owned(),
    }
}

/// The sign-in form.
pub async fn sign_in_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<NextQuery>,
) -> Response {
    if viewer.actor.is_some() {
        return Redirect::to(local_path(&q.next)).into_response();
    }
    page(&state, &viewer, "", &FormErrors::default(), &q.next).into_response()
}

/// Signs in, or shows the form again with what to fix.
pub async fn sign_in(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
    address: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let email = users::normalise_email(&form.email);
    let mut errors = FormErrors::default();
    if email.is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &viewer, &form.email, &errors, &form.next),
        )
            .into_response());
    }
    let user = users::find_by_email(&state.db, &email).await?;
    let secure = state.config.secure_cookies;
    let device = jar
        .get(device_cookie_name(secure))
        .map(|c| c.value().to_owned());
    let address = address.map_or_else(
        || "unknown".to_owned(),
        |Extension(ConnectInfo(a))| a.ip().to_string(),
    );
    let user_id = user.as_ref().map(|u| u.id);
    let client = sessions::sign_in_client(&state.db, user_id, device.as_deref(), &address).await?;
    if let Some(wait) =
        sessions::throttled(&state.db, &email, &client, &state.config.throttle).await?
    {
        return Err(AppError::TooManyAttempts(wait));
    }
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| passwords::decoy_hash().to_owned());
    let matches = passwords::verify_blocking(form.password.clone(), stored).await;
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        _ => {
            sessions::record_failure(&state.db, &email, user_id, &client).await?;
            errors.add("email", "Enter a correct email address and password. If your account has been disabled, ask an administrator.");
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &viewer, &form.email, &errors, &form.next),
            )
                .into_response());
        }
    };
    sessions::clear_failures(&state.db, &email, &client).await?;
    // A device that signs in is trusted from now on: its cookie outlives the session.
    let mut device_cookie = Vec::new();
    if !matches!(client, sessions::SignInClient::Trusted(_)) {
        let token = sessions::trust_device(&state.db, user.id, &user.display_name).await?;
        let device = cookie(device_cookie_name(secure), token, secure);
        let max_age = sessions::DEVICE_TRUST.as_secs();
        device_cookie.push((header::SET_COOKIE, format!("{device}; Max-Age={max_age}")));
    }
    let (token, _) = sessions::create(
        &state.db,
        &state.config.sessions,
        user.id,
        &user.display_name,
    )
    .await?;
    let (session_cookie, _) = cookie_names(state.config.secure_cookies);
    let jar = jar.add(cookie(session_cookie, token, state.config.secure_cookies));
    Ok((
        jar,
        AppendHeaders(device_cookie),
        Redirect::to(local_path(&form.next)),
    )
        .into_response())
}

/// Signs out: ends the session on the server and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    viewer: Viewer,
    jar: CookieJar,
) -> Result<Response, AppError> {
    if let (Some(session), Some(actor)) = (&viewer.session, &viewer.actor) {
        sessions::end(
            &state.db,
            session,
            &Author::user(actor.user_id, &actor.display_name),
        )
        .await?;
    }
    let (session_cookie, _) = cookie_names(state.config.secure_cookies);
    let jar = jar.remove(cookie(
        session_cookie,
        String::new(),
        state.config.secure_cookies,
    ));
    Ok((jar, Redirect::to("/")).into_response())
}
