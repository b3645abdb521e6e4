//! The built front-end assets (GOV.UK Frontend's CSS and script, compiled by
//! `npm run build:assets`), embedded in release builds and read from disk in debug builds.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/dist/"]
struct Assets;

/// Serves one asset, or 404.
pub async fn serve(Path(path): Path<String>) -> Response {
    match Assets::get(&path) {
        Some(file) => {
            let mime = file.metadata.mimetype().to_owned();
            let headers = [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
            ];
            (headers, file.data).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
