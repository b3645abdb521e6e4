//! Page handlers, one module per part of the service. Each handler parses its input with the
//! core, checks permission with the core, calls the store and renders a template.

pub mod account;
pub mod admin;
pub mod auth;
pub mod home;
pub mod milestones;
pub mod organisations;
pub mod plans;

use crate::error::AppError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// A record id from the path. Anything that is not a whole number is "not found".
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::NotFound)?;
        raw.parse().map(Id).map_err(|_| AppError::NotFound)
    }
}
