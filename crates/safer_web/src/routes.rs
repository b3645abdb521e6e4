//! The one route table. Every route is registered here through [`Table`], which also records it,
//! so that the authorisation test can check it has an expectation for every route.

use crate::error::{ApiError, AppError, ErrorPage};
use crate::layout::{Layout, Section};
use crate::session::Viewer;
use crate::{AppState, api, assets, pages, security, session};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::handler::Handler;
use axum::http::{Method, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

/// One route: its method and path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// GET or POST.
    pub method: Method,
    /// The path pattern, e.g. `/plans/{id}`.
    pub path: &'static str,
}

struct Table {
    router: Router<AppState>,
    routes: Vec<RouteInfo>,
}

impl Table {
    fn get<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.router = self.router.route(path, get(handler));
        self.routes.push(RouteInfo {
            method: Method::GET,
            path,
        });
        self
    }

    fn post<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.router = self.router.route(path, post(handler));
        self.routes.push(RouteInfo {
            method: Method::POST,
            path,
        });
        self
    }
}

fn table() -> Table {
    use pages::{
        access_log, account, admin, auth, bids, boards, funds, grants, home, measures, milestones,
        notices, organisations, papers, performance, plans, rounds,
    };
    Table {
        router: Router::new(),
        routes: Vec::new(),
    }
    .get("/", home::home)
    .get("/healthz", home::healthz)
    .get("/assets/{*path}", assets::serve)
    .get("/sign-in", auth::sign_in_form)
    .post("/sign-in", auth::sign_in)
    .post("/sign-out", auth::sign_out)
    .get("/account", account::show)
    .get("/account/password", account::password_form)
    .post("/account/password", account::change_password)
    .get("/organisations", organisations::list)
    .get("/organisations/{id}", organisations::show)
    .get("/plans", plans::list)
    .get("/plans/{id}", plans::show)
    .get("/plans/{id}/priorities/new", plans::new_priority)
    .post("/plans/{id}/priorities", plans::add_priority)
    .get("/priorities/{id}/objectives/new", plans::new_objective)
    .post("/priorities/{id}/objectives", plans::add_objective)
    .get("/priorities/{id}/deliverables/new", plans::new_deliverable)
    .post("/priorities/{id}/deliverables", plans::add_deliverable)
    .get("/priorities/{id}/links", plans::links_form)
    .post("/priorities/{id}/links", plans::save_links)
    .get("/deliverables/{id}/milestones/new", milestones::new)
    .post("/deliverables/{id}/milestones", milestones::add)
    .get("/milestones/{id}", milestones::show)
    .get("/milestones/{id}/edit", milestones::edit)
    .post("/milestones/{id}/edit", milestones::update)
    .post("/milestones/{id}/progress", milestones::record_progress)
    .get("/bodies", boards::list)
    .get("/bodies/{id}", boards::show)
    .post("/bodies/{id}/meetings", boards::schedule)
    .post("/bodies/{id}/members", boards::add_member)
    .post("/bodies/{id}/work-plan", boards::plan_work)
    .get("/bodies/{id}/meetings.ics", boards::body_meetings_ics)
    .get("/meetings.ics", boards::all_meetings_ics)
    .get("/meetings/{id}", boards::meeting)
    .post("/meetings/{id}/agenda", boards::add_agenda_item)
    .post("/meetings/{id}/publish", boards::publish_agenda)
    .post("/meetings/{id}/notes", boards::add_note)
    .post("/meetings/{id}/notes/from-agenda", boards::draft_notes)
    .post("/notes/{id}/delete", boards::delete_note)
    .post("/meetings/{id}/actions", boards::raise_action)
    .post("/meetings/{id}/details", boards::update_details)
    .post("/meetings/{id}/attendance", boards::record_attendance)
    .post("/meetings/{id}/questions", boards::record_question)
    .post("/meetings/{id}/petitions", boards::record_petition)
    .post("/meetings/{id}/declarations", boards::record_declaration)
    .post("/meetings/{id}/decisions", boards::record_decision)
    .post("/meetings/{id}/papers", papers::create)
    .get("/meetings/{id}/pack", papers::pack)
    .get("/papers/{id}", papers::show)
    .post("/papers/{id}/sections", papers::add_section)
    .post("/papers/{id}/publish", papers::publish)
    .post(
        "/meetings/{id}/accept-previous-notes",
        boards::accept_previous_notes,
    )
    .get("/actions", boards::actions)
    .post("/actions/{id}/steps", boards::record_step)
    .get("/decisions", boards::decisions)
    .get("/decisions.atom", boards::feed)
    .get("/funds", funds::list)
    .post("/funds", funds::create)
    .get("/funds/{id}", funds::show)
    .get("/funds/{id}/report", funds::report)
    .get("/funds/{id}/report/csv", funds::report_csv)
    .get("/funds/{id}/report/xlsx", funds::report_xlsx)
    .post("/funds/{id}/commitments", funds::commit)
    .post("/funds/{id}/rounds", rounds::create)
    .get("/rounds/{id}", rounds::show)
    .post("/rounds/{id}/bids", rounds::start_bid)
    .get("/rounds/{id}/decision", rounds::decision)
    .post("/rounds/{id}/decision", rounds::decide)
    .get("/bids/{id}", bids::show)
    .get("/bids/{id}/edit", bids::edit)
    .post("/bids/{id}/edit", bids::update)
    .post("/bids/{id}/lines", bids::add_line)
    .post("/bids/{id}/lines/delete", bids::remove_line)
    .post("/bids/{id}/submit", bids::submit)
    .post("/bids/{id}/withdraw", bids::withdraw)
    .post("/bids/{id}/reviews", bids::review)
    .post("/bids/{id}/comments", bids::comment)
    .post("/bids/{id}/attachments", bids::attach)
    .get("/attachments/{id}", bids::attachment)
    .post("/funds/{id}/grants", grants::create)
    .get("/grants", grants::list)
    .get("/grants/{id}", grants::show)
    .post("/grants/{id}/conditions", grants::add_condition)
    .post("/grants/{id}/conditions/met", grants::meet_condition)
    .post("/grants/{id}/payments", grants::schedule_payment)
    .post("/grants/{id}/payments/paid", grants::pay)
    .post("/grants/{id}/variations", grants::vary)
    .post("/grants/{id}/returns", grants::request_return)
    .post("/grants/{id}/evaluation", grants::evaluate)
    .get("/returns/{id}", grants::show_return)
    .post("/returns/{id}", grants::submit_return)
    .get("/notices/{id}", notices::show)
    .post("/notices/{id}", notices::update)
    .post("/notices/{id}/publish", notices::publish)
    .get("/performance", performance::index)
    .get("/performance/measures/new", measures::new)
    .post("/performance/measures", measures::add)
    .get("/performance/measures/{id}", measures::show)
    .post("/performance/measures/{id}/values", measures::upload)
    .get("/performance/areas/{code}", performance::area)
    .get("/performance/areas/{code}/csv", performance::area_csv)
    .get("/performance/areas/{code}/report", performance::report)
    .get(
        "/performance/areas/{code}/report/csv",
        performance::report_csv,
    )
    .get(
        "/performance/areas/{code}/measures/{id}",
        performance::measure,
    )
    .get(
        "/performance/areas/{code}/measures/{id}/csv",
        performance::measure_csv,
    )
    .get("/admin/users", admin::users)
    .get("/admin/audit", admin::audit)
    .get("/admin/audit.csv", admin::audit_csv)
    .get("/admin/users.csv", admin::users_csv)
    .get("/admin/users/{id}", admin::user)
    .get("/audit/access", access_log::all)
    .get("/audit/records/{type}/{id}", access_log::record)
    .get("/audit/people/{id}", access_log::person)
    .get("/api/v1/openapi.json", api::openapi)
    .get("/api/v1/organisations", api::organisations)
    .get("/api/v1/organisations/{id}", api::organisation)
    .get("/api/v1/plans", api::plans)
    .get("/api/v1/plans/{id}", api::plan)
    .get("/api/v1/milestones/{id}", api::milestone)
    .get("/api/v1/bodies", api::bodies)
    .get("/api/v1/bodies/{id}/meetings", api::body_meetings)
    .get("/api/v1/meetings/{id}", api::meeting)
    .get("/api/v1/papers/{id}", api::paper)
    .get("/api/v1/actions", api::actions)
    .get("/api/v1/decisions", api::decisions)
    .get("/api/v1/funds", api::funds)
    .get("/api/v1/funds/{id}", api::fund)
    .get("/api/v1/rounds/{id}", api::round)
    .get("/api/v1/bids/{id}", api::bid)
    .get("/api/v1/notices", api::notices)
    .get("/api/v1/notices/{id}", api::notice)
    .get("/api/v1/grants", api::grants)
    .get("/api/v1/grants/{id}", api::grant)
    .get("/api/v1/returns/{id}", api::monitoring_return)
    .get("/api/v1/areas", api::areas)
    .get("/api/v1/areas/{code}", api::area)
    .get("/api/v1/measures", api::measures)
    .get(
        "/api/v1/measures/{id}/areas/{code}/observations",
        api::observations,
    )
    .get("/api/v1/measures/{id}/areas/{code}/analysis", api::analysis)
}

/// Every route, in the order registered.
pub fn routes() -> Vec<RouteInfo> {
    table().routes
}

/// The whole application: routes, then (from the inside out) error pages, sessions and CSRF,
/// security headers, tracing and panic recovery.
pub fn app(state: AppState) -> Router {
    table()
        .router
        .fallback(not_found)
        // Bodies are bounded route by route in the session middleware (`body::limit`).
        .layer(DefaultBodyLimit::disable())
        .layer(from_fn_with_state(state.clone(), session::session))
        .layer(from_fn_with_state(state.clone(), error_pages))
        .layer(from_fn(security::headers))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new())
        .with_state(state)
}

async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        ApiError::not_found().into_response()
    } else {
        AppError::NotFound.into_response()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    layout: Layout,
    page: ErrorPage,
}

/// Draws the page for any response carrying an [`ErrorPage`], with the header for whoever is
/// asking (the session middleware leaves the [`Viewer`] on the response).
async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let viewer = response
        .extensions()
        .get::<Viewer>()
        .cloned()
        .unwrap_or(Viewer {
            actor: None,
            session: None,
            csrf: String::new(),
            client: String::new(),
        });
    let layout = Layout::new(&state, &viewer, page.heading, Section::Home);
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    match (ErrorTemplate { layout, page }).render() {
        Ok(html) => (parts, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not render the error page");
            (parts, "Sorry, there is a problem with the service.").into_response()
        }
    }
}
