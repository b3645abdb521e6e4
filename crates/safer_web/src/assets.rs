//! The built front-end assets (GOV.UK Frontend's CSS and script, compiled by
//! `npm run build:assets`), embedded in release builds and read from disk in debug builds.
//!
//! Pages link to them with `?v=` and a hash of their contents, so a request that carries the
//! version can be cached for a year, and an upgrade is seen at once.

use axum::extract::{Path, RawQuery};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

#[derive(RustEmbed)]
#[folder = "assets/dist/"]
struct Assets;

/// A hash of the stylesheet and script the pages link to, for their `?v=` parameter.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for name in ["app.css", "init.js"] {
            Assets::get(name)
                .map(|f| f.data.into_owned())
                .unwrap_or_default()
                .hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    })
}

/// Serves one asset, or 404.
pub async fn serve(Path(path): Path<String>, RawQuery(query): RawQuery) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = file.metadata.mimetype().to_owned();
            let versioned = query.is_some_and(|q| q.starts_with("v="));
            let cache = if versioned {
                "public, max-age=31536000, immutable"
            } else {
                "public, max-age=3600"
            };
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CACHE_CONTROL, cache.to_owned()),
                ],
                file.data,
            )
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
