//! A person's own account: their roles, and changing their password.

use crate::AppState;
use crate::components::{ErrorSummary, TextInput};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use safer_core::access::Role;
use safer_core::forms::FormErrors;
use safer_store::{Author, organisations, passwords, users};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub(crate) struct AccountPage {
    layout: Layout,
    email: String,
    roles: Vec<(Role, String)>,
}

/// The account page.
pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<AccountPage, AppError> {
    let actor = viewer.require("/account")?;
    let user = users::get(&state.db, actor.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut roles = Vec::new();
    for m in &actor.memberships {
        let org = organisations::get(&state.db, m.organisation.id).await?;
        roles.push((m.role, org.map(|o| o.name).unwrap_or_default()));
    }
    Ok(AccountPage {
        layout: Layout::new(&state, &viewer, "Your account", Section::Account),
        email: user.email,
        roles,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
pub(crate) struct PasswordPage {
    layout: Layout,
    summary: ErrorSummary,
    current: TextInput,
    new: TextInput,
    confirm: TextInput,
    changed: bool,
}

fn password_page(
    state: &AppState,
    viewer: &Viewer,
    errors: &FormErrors,
    changed: bool,
) -> PasswordPage {
    PasswordPage {
        layout: Layout::new(state, viewer, "Change your password", Section::Account)
            .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        current: TextInput::new("current", "Current password", "", errors)
            .kind("password", "current-password"),
        new: TextInput::new("new", "New password", "", errors)
            .kind("password", "new-password")
            .hint("At least 12 characters. A few unrelated words make a good password."),
        confirm: TextInput::new("confirm", "Confirm new password", "", errors)
            .kind("password", "new-password"),
        changed,
    }
}

/// The change-password form.
pub async fn password_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<PasswordPage, AppError> {
    viewer.require("/account/password")?;
    Ok(password_page(
        &state,
        &viewer,
        &FormErrors::default(),
        false,
    ))
}

/// The change-password form as submitted.
#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// Changes the password and signs the person out of every other session.
pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let actor = viewer.require("/account/password")?;
    let user = users::get(&state.db, actor.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::default();
    if form.current.is_empty() {
        errors.add("current", "Enter your current password");
    } else if !passwords::verify_blocking(form.current.clone(), user.password_hash.clone()).await {
        errors.add("current", "Your current password is not correct");
    }
    if let Err(message) = passwords::check_new(&form.new) {
        errors.add("new", message);
    } else if form.new != form.confirm {
        errors.add("confirm", "The passwords do not match");
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            password_page(&state, &viewer, &errors, false),
        )
            .into_response());
    }
    let hash = passwords::hash_blocking(form.new)
        .await
        .map_err(AppError::Internal)?;
    let keep = viewer.session.as_ref().map(|s| s.token_hash.as_str());
    users::set_password_hash(
        &state.db,
        &Author::user(actor.user_id, &actor.display_name),
        actor.user_id,
        &hash,
        keep,
    )
    .await?;
    Ok(password_page(&state, &viewer, &FormErrors::default(), true).into_response())
}
