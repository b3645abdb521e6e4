//! How much a request body may hold, route by route, and the file a form uploads.
//!
//! The `session` middleware reads every unsafe request's body through [`read`], up to the
//! route's [`limit`]: a form of text fields gets [`limits::FORM_BYTES`], a route that takes a
//! file (listed in [`UPLOADS`]) its file's limit and the form around it. A body over its limit is
//! never held: the rest is read and thrown away (so the browser, still sending, reads the answer)
//! and the request is answered 413, by the form again where there is one ([`Upload::TooLarge`]),
//! otherwise by a page that says what the limit is.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use http_body_util::BodyExt;
use safer_core::limits;
use std::time::Duration;

/// The routes whose forms carry a file, with the most their bodies may hold.
pub const UPLOADS: &[(&str, usize)] = &[
    (
        "/bids/{id}/attachments",
        limits::ATTACHMENT_BYTES + limits::FORM_FRAMING_BYTES,
    ),
    (
        "/performance/measures/{id}/values",
        limits::VALUES_FILE_BYTES + limits::FORM_FRAMING_BYTES,
    ),
];

/// How much of an oversized body is read and thrown away before the connection is dropped
/// instead: enough for a browser that sent a file somewhat too large to see the answer.
const DRAINED_BYTES: usize = 64 * 1024 * 1024;

/// How long an oversized body is drained for.
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// The most the body of a request to `route` (its pattern, e.g. `/bids/{id}/attachments`) may
/// hold.
pub fn limit(route: Option<&str>) -> usize {
    UPLOADS
        .iter()
        .find(|(path, _)| Some(*path) == route)
        .map_or(limits::FORM_BYTES, |(_, limit)| *limit)
}

/// Whether `route` takes a file, and so answers an oversized body with its form.
pub fn takes_file(route: Option<&str>) -> bool {
    UPLOADS.iter().any(|(path, _)| Some(*path) == route)
}

/// Why a body could not be had.
#[derive(Debug)]
pub enum BodyError {
    /// It holds more than the limit.
    TooLarge,
    /// The client stopped sending, or sent something that is not HTTP.
    Failed,
}

/// Reads a body of at most `limit` bytes. A larger one is not kept: what is left of it is read
/// and discarded, up to a bound, so that the client gets the answer.
pub async fn read(mut body: Body, limit: usize) -> Result<Bytes, BodyError> {
    let mut held = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Failed)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if held.len() + data.len() > limit {
            drain(body).await;
            return Err(BodyError::TooLarge);
        }
        held.extend_from_slice(&data);
    }
    Ok(Bytes::from(held))
}

async fn drain(mut body: Body) {
    let discard = async {
        let mut read = 0usize;
        while let Some(Ok(frame)) = body.frame().await {
            read += frame.data_ref().map_or(0, Bytes::len);
            if read > DRAINED_BYTES {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, discard).await;
}

/// Left on a request by the `session` middleware when its body was over the route's limit; the
/// handler gets an empty body.
#[derive(Debug, Clone, Copy)]
pub struct TooLarge;

/// The file a multipart form carries in its `file` field, and its other fields.
#[derive(Debug)]
pub enum Upload {
    /// A file was chosen.
    File {
        /// Its name on the sender's computer.
        name: String,
        /// What it holds.
        bytes: Bytes,
        /// The form's other text fields.
        fields: Vec<(String, String)>,
    },
    /// No file was chosen (or the form was not multipart).
    Missing,
    /// The form was over the route's limit, so nothing of it was read.
    TooLarge,
}

impl Upload {
    /// The message for a file over `limit` bytes, as the form says it.
    pub fn too_large_message(limit: usize) -> String {
        format!(
            "The file must be smaller than {}",
            limits::size(limit as u64)
        )
    }
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = std::convert::Infallible;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if request.extensions().get::<TooLarge>().is_some() {
            return Ok(Upload::TooLarge);
        }
        let Ok(mut form) = Multipart::from_request(request, state).await else {
            return Ok(Upload::Missing);
        };
        let (mut file, mut fields) = (None, Vec::new());
        while let Ok(Some(field)) = form.next_field().await {
            let name = field.name().unwrap_or("").to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    if name == "file"
                        && let Ok(bytes) = field.bytes().await
                        && !bytes.is_empty()
                        && !file_name.is_empty()
                    {
                        file = Some((file_name, bytes));
                    }
                }
                None => {
                    if let Ok(text) = field.text().await {
                        fields.push((name, text));
                    }
                }
            }
        }
        Ok(match file {
            Some((name, bytes)) => Upload::File {
                name,
                bytes,
                fields,
            },
            None => Upload::Missing,
        })
    }
}
