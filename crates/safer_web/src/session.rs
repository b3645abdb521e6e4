//! Who is asking, and whether their form is genuine.
//!
//! The `session` middleware runs on every request. It resumes the server-side session named by
//! the session cookie, loads the person and their roles, and for every unsafe method (POST and
//! the like) refuses the request unless it carries this session's CSRF token and, where the
//! browser sends one, an `Origin` of this site. Handlers never check CSRF themselves, so none can
//! forget to. Visitors who are not signed in get a CSRF token in a cookie of their own
//! (double-submit), which protects the sign-in form.

use crate::AppState;
use crate::body::{self, BodyError};
use crate::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::{
    ConnectInfo, FromRequest, FromRequestParts, MatchedPath, Multipart, Request, State,
};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use safer_core::access::{Actor, ReadScope};
use safer_store::access_log::Looking;
use safer_store::audit::Author;
use safer_store::sessions::{self, Session};
use std::net::SocketAddr;

/// The person making the request, if signed in, and the CSRF token their forms must carry.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The signed-in person, with their roles.
    pub actor: Option<Actor>,
    /// Their session.
    pub session: Option<Session>,
    /// The token every form on the page must carry in its `csrf` field.
    pub csrf: String,
    /// Where the request came from (the client's address), for the access log.
    pub client: String,
}

impl Viewer {
    /// What this viewer may read.
    pub fn scope(&self) -> ReadScope {
        ReadScope::of(self.actor.as_ref())
    }

    /// This viewer looking at personal records as `author`, for the access log.
    pub fn looking<'a>(&'a self, author: &'a Author, reason: Option<&'a str>) -> Looking<'a> {
        Looking {
            author,
            from: &self.client,
            reason,
        }
    }

    /// The signed-in person, or a redirect to sign in that returns to `path`.
    pub fn require(&self, path: &str) -> Result<&Actor, AppError> {
        self.actor
            .as_ref()
            .ok_or_else(|| AppError::SignInRequired(path.to_owned()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .ok_or_else(|| AppError::Internal("the session middleware did not run".into()))
    }
}

/// The names of safer's cookies, with the `__Host-` prefix when cookies are secure.
pub fn cookie_names(secure: bool) -> (&'static str, &'static str) {
    if secure {
        ("__Host-safer-session", "__Host-safer-csrf")
    } else {
        ("safer-session", "safer-csrf")
    }
}

/// The name of the cookie that marks a device as one that has signed in to an account before.
pub fn device_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-safer-device"
    } else {
        "safer-device"
    }
}

/// A cookie with safer's attributes: HttpOnly, SameSite=Lax, Path=/, and Secure when configured.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(secure);
    c
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the `Origin` header, if the browser sent one, names this site.
fn same_origin(parts: &Parts) -> bool {
    let Some(origin) = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    else {
        return true;
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    !host.is_empty() && origin_host == host
}

/// The `csrf` field of a submitted form: URL-encoded, or multipart (a file upload).
async fn csrf_from_form(parts: &Parts, body: &Bytes) -> Option<String> {
    let content_type = parts.headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type.starts_with("multipart/form-data") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
        return pairs.into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v);
    }
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.clone()))
        .ok()?;
    let mut form = Multipart::from_request(request, &()).await.ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// Compares two tokens in time that does not depend on where they first differ.
fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The body of an unsafe request, once it is known to be within its route's limit and to come
/// from this session's form on this site. `token_given` is false when the anonymous token was
/// minted for this very request, so that nothing can match it.
async fn checked_body(
    parts: &mut Parts,
    body: Body,
    csrf: &str,
    token_given: bool,
) -> Result<Body, AppError> {
    if !same_origin(parts) {
        return Err(AppError::BadForm);
    }
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let limit = body::limit(route.as_deref());
    let bytes = match body::read(body, limit).await {
        Ok(bytes) => bytes,
        // The form is shown again, saying so: nothing of it was read, so nothing can be written.
        Err(BodyError::TooLarge) if body::takes_file(route.as_deref()) => {
            parts.extensions.insert(body::TooLarge);
            return Ok(Body::empty());
        }
        Err(BodyError::TooLarge) => return Err(AppError::TooLarge(limit)),
        Err(BodyError::Failed) => return Err(AppError::BadForm),
    };
    let submitted = match parts.headers.get("x-csrf-token") {
        Some(token) => token.to_str().ok().map(str::to_owned),
        None => csrf_from_form(parts, &bytes).await,
    };
    if token_given && submitted.is_some_and(|t| tokens_match(&t, csrf)) {
        Ok(Body::from(bytes))
    } else {
        Err(AppError::BadForm)
    }
}

/// The session middleware; see the module documentation.
pub async fn session(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let secure = state.config.secure_cookies;
    let (session_cookie, csrf_cookie) = cookie_names(secure);
    let jar = CookieJar::from_headers(request.headers());
    let mut session = None;
    let mut actor = None;
    if let Some(token) = jar.get(session_cookie).map(|c| c.value().to_owned()) {
        match sessions::resume(&state.db, &state.config.sessions, &token).await {
            Ok(Some((s, a))) => {
                session = Some(s);
                actor = Some(a);
            }
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    let mut new_anonymous_token = None;
    let csrf = match &session {
        Some(s) => s.csrf_token.clone(),
        None => match jar.get(csrf_cookie) {
            Some(c) if c.value().len() >= 32 => c.value().to_owned(),
            _ => match sessions::random_token() {
                Ok(t) => {
                    new_anonymous_token = Some(t.clone());
                    t
                }
                Err(e) => return AppError::from(e).into_response(),
            },
        },
    };

    let (mut parts, body) = request.into_parts();
    let client = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(a)| a.ip().to_string());
    let body = if is_unsafe(&parts.method) {
        match checked_body(&mut parts, body, &csrf, new_anonymous_token.is_none()).await {
            Ok(body) => body,
            Err(e) => return e.into_response(),
        }
    } else {
        body
    };
    let viewer = Viewer {
        actor,
        session,
        csrf,
        client,
    };
    parts.extensions.insert(viewer.clone());
    let mut response = next.run(Request::from_parts(parts, body)).await;
    // For the error-page middleware outside this one, which draws the header for this viewer.
    response.extensions_mut().insert(viewer);
    if let Some(token) = new_anonymous_token {
        let c = cookie(csrf_cookie, token, secure);
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
