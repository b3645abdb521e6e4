//! How errors reach people.
//!
//! Policy: handlers return [`AppError`] for pages and [`ApiError`] for the JSON API. A refusal to
//! show partnership records is [`AppError::NotFound`], never "forbidden", so that existence does
//! not leak. Internal errors are logged with their detail and shown as a generic page; no
//! internal error text ever reaches a response. The store's errors map here; `anyhow` is used
//! only by the command line.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use safer_store::StoreError;

/// An error on a page request. Rendered as a full page by the `error_pages` middleware, which
/// knows who is asking and so can draw the header.
#[derive(Debug)]
pub enum AppError {
    /// Nothing here, or nothing this viewer may see.
    NotFound,
    /// The page needs a signed-in person; carries the path to return to.
    SignInRequired(String),
    /// The viewer can see this record but may not change it.
    Forbidden,
    /// The form was not from this session (CSRF), or came from another site.
    BadForm,
    /// Too many failed sign-ins from this client; carries how long until it may try again.
    TooManyAttempts(jiff::SignedDuration),
    /// The form was larger than the route takes; carries the limit in bytes.
    TooLarge(usize),
    /// Someone else changed the record first.
    Conflict,
    /// Something went wrong inside safer.
    Internal(String),
}

/// What the error page says, attached to the response for the `error_pages` middleware.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// The page heading.
    pub heading: &'static str,
    /// What to do next.
    pub body: String,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict => AppError::Conflict,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    fn page(&self) -> (StatusCode, ErrorPage) {
        match self {
            AppError::NotFound | AppError::SignInRequired(_) => (
                StatusCode::NOT_FOUND,
                ErrorPage {
                    heading: "Page not found",
                    body: "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address. Some pages can only be seen by people who are signed in and work in the partnership that owns them.".into(),
                },
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                ErrorPage {
                    heading: "You cannot change this",
                    body: "You can read this record, but only people with the right role in the organisation that owns it can change it.".into(),
                },
            ),
            AppError::BadForm => (
                StatusCode::FORBIDDEN,
                ErrorPage {
                    heading: "Your form could not be accepted",
                    body: "The form had expired or did not come from this service. Go back, reload the page and try again.".into(),
                },
            ),
            AppError::TooManyAttempts(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorPage {
                    heading: "Too many attempts to sign in",
                    body: format!(
                        "There have been too many attempts to sign in to this account with the wrong password from this device. Wait {}, then try again. If you have signed in on this device before, your own sign-in still works.",
                        minutes(*wait)
                    ),
                },
            ),
            AppError::TooLarge(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorPage {
                    heading: "What you sent was too large",
                    body: format!(
                        "A form can send at most {}, and this one sent more, so nothing was saved. Go back, shorten the longest answers and try again.",
                        safer_core::limits::size(*limit as u64)
                    ),
                },
            ),
            AppError::Conflict => (
                StatusCode::CONFLICT,
                ErrorPage {
                    heading: "Someone else changed this first",
                    body: "The record was changed after you opened it, so your changes were not saved. Go back, reload the page to see the latest version, and make your changes again.".into(),
                },
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorPage {
                    heading: "Sorry, there is a problem with the service",
                    body: "Try again later. Nothing you submitted was half-saved: either all of it was stored, or none of it.".into(),
                },
            ),
        }
    }
}

/// A wait in whole minutes, as the page says it: "1 minute", "15 minutes".
fn minutes(wait: jiff::SignedDuration) -> String {
    let minutes = (wait.as_secs() + 59) / 60;
    match minutes.max(1) {
        1 => "1 minute".to_owned(),
        n => format!("{n} minutes"),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignInRequired(next) = &self {
            let query = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            return Redirect::to(&format!("/sign-in?{query}")).into_response();
        }
        if let AppError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error");
        }
        let (status, page) = self.page();
        let mut response = status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// An error from the JSON API, as `application/problem+json` (RFC 9457).
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    title: &'static str,
    detail: String,
}

impl ApiError {
    /// Not found, or not visible to this caller.
    pub fn not_found() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            title: "Not found",
            detail: "No such record, or it is not visible to you.".into(),
        }
    }

    /// The caller must sign in first.
    pub fn sign_in_required() -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            title: "Sign in required",
            detail: "Sign in with the web form first; the session cookie authenticates API calls."
                .into(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => ApiError::not_found(),
            AppError::SignInRequired(_) => ApiError::sign_in_required(),
            other => {
                tracing::error!(error = ?other, "internal error in the API");
                ApiError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    title: "Internal error",
                    detail: "Something went wrong in safer. Try again later.".into(),
                }
            }
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            other => {
                tracing::error!(error = %other, "internal error in the API");
                ApiError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    title: "Internal error",
                    detail: "Something went wrong in safer. Try again later.".into(),
                }
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "type": "about:blank", "title": self.title, "status": self.status.as_u16(), "detail": self.detail });
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}
