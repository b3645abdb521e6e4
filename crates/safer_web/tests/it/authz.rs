//! The authorisation matrix: every route × every role × the person's own partnership (Safer
//! Solihull, which is also in the West Midlands officers' area) or another (North
//! Worcestershire, under West Mercia). A route added without a row here fails the test.
//!
//! Codes: O 200, R 303 elsewhere, S 303 to sign in, U 401 (the API's "sign in"), N 404, F 403,
//! V 422 (allowed, but the empty form needs fixing). Each cell is two codes: own partnership, then the other.

use crate::support::{Client, TestApp};
use axum::http::{Method, StatusCode};
use safer_store::plans;
use safer_web::routes::routes;

/// The roles, in the order of the matrix's columns.
const ROLES: [&str; 8] = [
    "",
    "admin@west-midlands.example",
    "officer@west-midlands.example",
    "pcc@west-midlands.example",
    "manager@solihull.example",
    "member@solihull.example",
    "board@solihull.example",
    "auditor@west-midlands.example",
];

//                          public admin officer pcc manager member board auditor
const EVERYONE: &str = "OO OO OO OO OO OO OO OO";
const SIGNED_IN: &str = "SS OO OO OO OO OO OO OO";
const READ: &str = "NN NN ON ON ON ON ON NN";
const EDIT_FORM: &str = "NN NN FN FN ON FN FN NN";
const EDIT_POST: &str = "NN NN FN FN VN FN FN NN";
const ADMIN: &str = "SS OO NN NN NN NN NN NN";
const AUDIT: &str = "SS OO NN NN NN NN NN OO";
const API_SIGNED_IN: &str = "UU OO OO OO OO OO OO OO";

const MATRIX: &[(&str, &str, &str)] = &[
    ("GET", "/", EVERYONE),
    ("GET", "/healthz", EVERYONE),
    ("GET", "/assets/{*path}", EVERYONE),
    ("GET", "/sign-in", "OO RR RR RR RR RR RR RR"),
    ("POST", "/sign-in", "VV VV VV VV VV VV VV VV"),
    ("GET", "/account", SIGNED_IN),
    ("GET", "/account/password", SIGNED_IN),
    ("POST", "/account/password", "SS VV VV VV VV VV VV VV"),
    ("GET", "/organisations", EVERYONE),
    ("GET", "/organisations/{id}", EVERYONE),
    ("GET", "/plans", EVERYONE),
    // The public site of boards: what is published is for everyone.
    ("GET", "/bodies", EVERYONE),
    ("GET", "/bodies/{id}", EVERYONE),
    ("POST", "/bodies/{id}/meetings", "SS FF VV FF FF FF FF FF"),
    ("POST", "/bodies/{id}/members", "SS FF VV FF FF FF FF FF"),
    ("POST", "/bodies/{id}/work-plan", "SS FF VV FF FF FF FF FF"),
    ("GET", "/bodies/{id}/meetings.ics", EVERYONE),
    ("GET", "/meetings.ics", EVERYONE),
    ("GET", "/meetings/{id}", EVERYONE),
    // The board's own OPCC officers run its business; an empty form needs fixing, and the
    // notes before this meeting are already accepted.
    ("POST", "/meetings/{id}/agenda", "SS FF VV FF FF FF FF FF"),
    ("POST", "/meetings/{id}/publish", "SS FF RR FF FF FF FF FF"),
    ("POST", "/meetings/{id}/notes", "SS FF VV FF FF FF FF FF"),
    // Both targets are March's meeting, whose notes have no items yet: its officers draft them
    // from the agenda, and the second time it is refused, as the notes then have items.
    (
        "POST",
        "/meetings/{id}/notes/from-agenda",
        "SS FF RV FF FF FF FF FF",
    ),
    // The target item is in February's approved notes, so deleting it is refused.
    ("POST", "/notes/{id}/delete", "SS FF VV FF FF FF FF FF"),
    ("POST", "/meetings/{id}/actions", "SS FF VV FF FF FF FF FF"),
    ("POST", "/meetings/{id}/details", "SS FF VV FF FF FF FF FF"),
    (
        "POST",
        "/meetings/{id}/attendance",
        "SS FF VV FF FF FF FF FF",
    ),
    (
        "POST",
        "/meetings/{id}/questions",
        "SS FF VV FF FF FF FF FF",
    ),
    (
        "POST",
        "/meetings/{id}/petitions",
        "SS FF VV FF FF FF FF FF",
    ),
    (
        "POST",
        "/meetings/{id}/declarations",
        "SS FF VV FF FF FF FF FF",
    ),
    (
        "POST",
        "/meetings/{id}/decisions",
        "SS FF VV FF FF FF FF FF",
    ),
    ("POST", "/meetings/{id}/papers", "SS FF VV FF FF FF FF FF"),
    // The March agenda is published, so its pack is public.
    ("GET", "/meetings/{id}/pack", EVERYONE),
    // The target paper is published: anyone reads it; its body's officers are refused a change.
    ("GET", "/papers/{id}", EVERYONE),
    ("POST", "/papers/{id}/sections", "SS FF VV FF FF FF FF FF"),
    ("POST", "/papers/{id}/publish", "SS FF VV FF FF FF FF FF"),
    (
        "POST",
        "/meetings/{id}/accept-previous-notes",
        "SS FF VV FF FF FF FF FF",
    ),
    ("GET", "/actions", EVERYONE),
    // Steps on the board's actions: its own OPCC officers; an empty step needs fixing.
    ("POST", "/actions/{id}/steps", "SS FF VV FF FF FF FF FF"),
    ("GET", "/decisions", EVERYONE),
    ("GET", "/decisions.atom", EVERYONE),
    // The funds register is public; its OPCC's officers add funds and commit money.
    ("GET", "/funds", EVERYONE),
    ("POST", "/funds", "SS FF VV FF FF FF FF FF"),
    ("GET", "/funds/{id}", EVERYONE),
    // The fund's report: everyone, each seeing the bids and monitoring they may. The CSV needs
    // a table named, so with none it is "not found".
    ("GET", "/funds/{id}/report", EVERYONE),
    ("GET", "/funds/{id}/report/csv", "NN NN NN NN NN NN NN NN"),
    // Every table in one workbook; Invest to Save has a round and a grant (to Solihull) for all.
    ("GET", "/funds/{id}/report/xlsx", EVERYONE),
    ("POST", "/funds/{id}/commitments", "SS FF VV FF FF FF FF FF"),
    // Rounds: the fund's OPCC officers open them; anyone reads one, but sees only the bids
    // they may. Partnership managers start bids (the demo round closed in 2013, so needs
    // fixing); the decision maker decides (an empty form only checks the total).
    ("POST", "/funds/{id}/rounds", "SS FF VV FF FF FF FF FF"),
    ("GET", "/rounds/{id}", EVERYONE),
    ("POST", "/rounds/{id}/bids", "SS FF FF FF VV FF FF FF"),
    ("GET", "/rounds/{id}/decision", "SS FF FF OO FF FF FF FF"),
    ("POST", "/rounds/{id}/decision", "SS FF FF OO FF FF FF FF"),
    // Bids: Safer Solihull's S1, and Dudley's D1 as the other partnership's. Both are
    // submitted: the OPCC reads them; only the applicant's manager acts on them, and a
    // submitted bid's business case is no longer changed (its form redirects to the bid).
    ("GET", "/bids/{id}", "NN NN OO OO ON ON ON NN"),
    ("GET", "/bids/{id}/edit", "SS NN FF FF RN FN FN NN"),
    ("POST", "/bids/{id}/edit", "SS NN FF FF VN FN FN NN"),
    ("POST", "/bids/{id}/lines", "SS NN FF FF VN FN FN NN"),
    // An empty form lacks the bid's version, so is not one the page sent (403).
    ("POST", "/bids/{id}/lines/delete", "SS NN FF FF FN FN FN NN"),
    ("POST", "/bids/{id}/submit", "SS NN FF FF FN FN FN NN"),
    ("POST", "/bids/{id}/withdraw", "SS NN FF FF VN FN FN NN"),
    ("POST", "/bids/{id}/reviews", "SS NN VV FF FN FN FN NN"),
    ("POST", "/bids/{id}/comments", "SS NN VV FF FN FN FN NN"),
    // An empty form attaches no file.
    ("POST", "/bids/{id}/attachments", "SS NN FF FF VN FN FN NN"),
    // A file attached to a Solihull draft (the target for both columns): the partnership's own.
    ("GET", "/attachments/{id}", "NN NN NN NN OO OO OO NN"),
    // Grants: a grant to Safer Solihull from the West Midlands fund, and one of North
    // Worcestershire's from West Mercia's as the other partnership's. The register is public;
    // the fund's OPCC officers manage a grant; the recipient's manager reports on it.
    ("POST", "/funds/{id}/grants", "SS FF VV FF FF FF FF FF"),
    ("GET", "/grants", EVERYONE),
    ("GET", "/grants/{id}", EVERYONE),
    ("POST", "/grants/{id}/conditions", "SS FF VF FF FF FF FF FF"),
    (
        "POST",
        "/grants/{id}/conditions/met",
        "SS FF VF FF FF FF FF FF",
    ),
    ("POST", "/grants/{id}/payments", "SS FF VF FF FF FF FF FF"),
    (
        "POST",
        "/grants/{id}/payments/paid",
        "SS FF VF FF FF FF FF FF",
    ),
    ("POST", "/grants/{id}/variations", "SS FF VF FF FF FF FF FF"),
    ("POST", "/grants/{id}/returns", "SS FF VF FF FF FF FF FF"),
    ("POST", "/grants/{id}/evaluation", "SS FF FF FF VF FF FF FF"),
    // A return of each grant: read by the recipient's people and the fund's OPCC.
    ("GET", "/returns/{id}", "NN NN ON ON ON ON ON NN"),
    ("POST", "/returns/{id}", "SS NN FN FN VN FN FN NN"),
    // A draft notice: the OPCC's own read it; its decision maker changes and publishes it.
    ("GET", "/notices/{id}", "NN NN OO OO NN NN NN NN"),
    ("POST", "/notices/{id}", "SS NN FF VV NN NN NN NN"),
    ("POST", "/notices/{id}/publish", "SS NN FF VV NN NN NN NN"),
    ("GET", "/plans/{id}", READ),
    ("GET", "/plans/{id}/priorities/new", EDIT_FORM),
    ("POST", "/plans/{id}/priorities", EDIT_POST),
    ("GET", "/priorities/{id}/objectives/new", EDIT_FORM),
    ("POST", "/priorities/{id}/objectives", EDIT_POST),
    ("GET", "/priorities/{id}/deliverables/new", EDIT_FORM),
    ("POST", "/priorities/{id}/deliverables", EDIT_POST),
    ("GET", "/priorities/{id}/links", EDIT_FORM),
    // An empty submission is valid here: it says the priority supports no objectives.
    ("POST", "/priorities/{id}/links", "NN NN FN FN RN FN FN NN"),
    ("GET", "/deliverables/{id}/milestones/new", EDIT_FORM),
    ("POST", "/deliverables/{id}/milestones", EDIT_POST),
    ("GET", "/milestones/{id}", READ),
    ("GET", "/milestones/{id}/edit", EDIT_FORM),
    ("POST", "/milestones/{id}/edit", EDIT_POST),
    // Partnership members record progress; board members and OPCC officers only read.
    (
        "POST",
        "/milestones/{id}/progress",
        "NN NN FN FN VN VN FN NN",
    ),
    // Aggregate statistics: any signed-in person, whatever their partnership.
    ("GET", "/performance", SIGNED_IN),
    // OPCC officers and partnership managers define measures for their own organisation.
    (
        "GET",
        "/performance/measures/new",
        "SS FF OO FF OO FF FF FF",
    ),
    ("POST", "/performance/measures", "SS FF VV FF VV FF FF FF"),
    ("GET", "/performance/measures/{id}", SIGNED_IN),
    // Values of the West Midlands' survey measure: its officers only.
    (
        "POST",
        "/performance/measures/{id}/values",
        "SS FF VV FF FF FF FF FF",
    ),
    ("GET", "/performance/areas/{code}", SIGNED_IN),
    ("GET", "/performance/areas/{code}/csv", SIGNED_IN),
    ("GET", "/performance/areas/{code}/report", SIGNED_IN),
    // No table named: not found, once signed in.
    (
        "GET",
        "/performance/areas/{code}/report/csv",
        "SS NN NN NN NN NN NN NN",
    ),
    ("GET", "/performance/areas/{code}/measures/{id}", SIGNED_IN),
    (
        "GET",
        "/performance/areas/{code}/measures/{id}/csv",
        SIGNED_IN,
    ),
    ("GET", "/admin/users", ADMIN),
    ("GET", "/admin/audit", ADMIN),
    ("GET", "/admin/audit.csv", ADMIN),
    ("GET", "/admin/users.csv", ADMIN),
    ("GET", "/admin/users/{id}", ADMIN),
    ("GET", "/audit/access", AUDIT),
    ("GET", "/audit/records/{type}/{id}", AUDIT),
    ("GET", "/audit/people/{id}", AUDIT),
    ("GET", "/api/v1/openapi.json", EVERYONE),
    ("GET", "/api/v1/organisations", EVERYONE),
    ("GET", "/api/v1/organisations/{id}", EVERYONE),
    ("GET", "/api/v1/plans", EVERYONE),
    ("GET", "/api/v1/plans/{id}", READ),
    ("GET", "/api/v1/milestones/{id}", READ),
    ("GET", "/api/v1/bodies", EVERYONE),
    ("GET", "/api/v1/bodies/{id}/meetings", EVERYONE),
    ("GET", "/api/v1/meetings/{id}", EVERYONE),
    ("GET", "/api/v1/papers/{id}", EVERYONE),
    ("GET", "/api/v1/actions", EVERYONE),
    ("GET", "/api/v1/decisions", EVERYONE),
    ("GET", "/api/v1/funds", EVERYONE),
    ("GET", "/api/v1/funds/{id}", EVERYONE),
    ("GET", "/api/v1/rounds/{id}", EVERYONE),
    ("GET", "/api/v1/bids/{id}", "NN NN OO OO ON ON ON NN"),
    ("GET", "/api/v1/notices", EVERYONE),
    ("GET", "/api/v1/notices/{id}", "NN NN OO OO NN NN NN NN"),
    ("GET", "/api/v1/grants", EVERYONE),
    ("GET", "/api/v1/grants/{id}", EVERYONE),
    ("GET", "/api/v1/returns/{id}", "NN NN ON ON ON ON ON NN"),
    ("GET", "/api/v1/areas", API_SIGNED_IN),
    ("GET", "/api/v1/areas/{code}", API_SIGNED_IN),
    ("GET", "/api/v1/measures", API_SIGNED_IN),
    (
        "GET",
        "/api/v1/measures/{id}/areas/{code}/observations",
        API_SIGNED_IN,
    ),
    (
        "GET",
        "/api/v1/measures/{id}/areas/{code}/analysis",
        API_SIGNED_IN,
    ),
    // Last, because it ends the session: the second try carries the ended session's token,
    // which is void, so it is refused.
    ("POST", "/sign-out", "RR RF RF RF RF RF RF RF"),
];

/// The records of one partnership that the routes are tried against.
struct Target {
    organisation: i64,
    plan: i64,
    priority: i64,
    deliverable: i64,
    milestone: i64,
    /// The police force area of the partnership, and a measure, for the performance pages.
    area: &'static str,
    measure: i64,
    /// The demo's board, one of its meetings, and one of its actions.
    body: i64,
    meeting: i64,
    action: i64,
    /// The demo's published paper.
    paper: i64,
    /// An item of February's approved notes.
    note: i64,
    /// The demo's Invest to Save fund.
    fund: i64,
    /// Its round, a bid in it (the partnership's own, or Dudley's as another's), and a draft
    /// notice declining W2.
    round: i64,
    bid: i64,
    notice: i64,
    /// A file attached to a Safer Solihull draft bid.
    attachment: i64,
    /// A grant to the partnership, and its first return.
    grant: i64,
    monitoring_return: i64,
    /// The account of the partnership's manager (a personal record).
    user: i64,
}

/// The demo round, the bid with reference `bid` in it, and a draft notice (made once).
async fn commissioning(app: &TestApp, bid: &str) -> (i64, i64, i64) {
    use safer_store::bids;
    let fund = safer_store::funds::funds(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Invest to Save 2013/14")
        .unwrap();
    let round = bids::rounds(&app.state.db, fund.id).await.unwrap()[0].id;
    let officer = app.actor("officer@west-midlands.example").await;
    let all = bids::bids(&app.state.db, &officer.scope(), round)
        .await
        .unwrap();
    let id = |r: &str| all.iter().find(|b| b.reference == r).unwrap().id;
    let decided = bids::bid(&app.state.db, &officer.scope(), id("W2"))
        .await
        .unwrap()
        .and_then(|b| b.notice_id);
    let notice = match decided {
        Some(n) => n,
        None => bids::decide_round(
            &app.state.db,
            &safer_store::Author::system("test"),
            round,
            jiff::civil::date(2013, 11, 12),
            "Invest to Save: W2",
            &[(id("W2"), safer_core::bids::Outcome::Declined)],
        )
        .await
        .unwrap(),
    };
    (round, id(bid), notice)
}

/// A file attached to a Safer Solihull draft bid in the round (made once).
async fn attachment_of_a_draft(app: &TestApp, round: i64) -> i64 {
    use safer_store::bids;
    let manager = app.actor("manager@solihull.example").await;
    let existing = bids::bids(&app.state.db, &manager.scope(), round)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.title == "With an attachment");
    let bid = match existing {
        Some(b) => b.id,
        None => {
            let solihull = manager.memberships[0].organisation.id;
            let text = safer_core::bids::BidText {
                title: "With an attachment".into(),
                ..Default::default()
            };
            bids::create_bid(
                &app.state.db,
                &safer_store::Author::system("test"),
                round,
                solihull,
                solihull,
                &text,
            )
            .await
            .unwrap()
        }
    };
    if let Some(a) = bids::attachments(&app.state.db, &manager.scope(), bid)
        .await
        .unwrap()
        .first()
    {
        return a.id;
    }
    bids::attach(
        &app.state.db,
        &safer_store::Author::system("test"),
        bid,
        1,
        "case.txt",
        "text/plain",
        b"The business case.",
    )
    .await
    .unwrap()
}

/// A grant to the partnership named, and its first return: for Safer Solihull, one made here
/// (once) from the Invest to Save fund; for North Worcestershire, the demo's first.
async fn grant_of(app: &TestApp, partnership: &str) -> (i64, i64) {
    use safer_store::grants;
    let recipient = safer_store::organisations::find_by_name(&app.state.db, partnership)
        .await
        .unwrap()
        .unwrap()
        .id;
    let existing = grants::grants(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.recipient_id == recipient);
    let grant = match existing {
        Some(g) => g.id,
        None => {
            let fund = safer_store::funds::funds(&app.state.db)
                .await
                .unwrap()
                .into_iter()
                .find(|f| f.name == "Invest to Save 2013/14")
                .unwrap();
            let d = jiff::civil::date;
            grants::create_grant(
                &app.state.db,
                &safer_store::Author::system("test"),
                fund.id,
                &safer_core::grants::GrantDetails {
                    title: "Violent crime caseworker".into(),
                    recipient_id: recipient,
                    amount: safer_core::funds::Pence(5_000_000),
                    awarded_on: d(2013, 11, 12),
                    starts_on: d(2013, 11, 12),
                    ends_on: d(2014, 3, 31),
                    payment_basis: safer_core::grants::PaymentBasis::Advance,
                    monitoring: safer_core::grants::Monitoring::Quarterly,
                },
            )
            .await
            .unwrap()
        }
    };
    let grant_record = grants::grant(&app.state.db, grant).await.unwrap().unwrap();
    let opcc = safer_store::organisations::get(&app.state.db, grant_record.opcc_id)
        .await
        .unwrap()
        .unwrap();
    let officer = safer_core::access::Actor {
        user_id: 0,
        display_name: "The fund's officer".into(),
        memberships: vec![safer_core::access::Membership {
            organisation: opcc.owner(),
            role: safer_core::access::Role::OpccOfficer,
        }],
    };
    let first = grants::monitoring(&app.state.db, &officer.scope(), &grant_record)
        .await
        .unwrap()
        .unwrap()
        .returns[0]
        .id;
    (grant, first)
}

async fn target(app: &TestApp, plan_title: &str, reader: &str, area: &'static str) -> Target {
    let body = crate::support::spcb(&app.state.db).await.id;
    let own = area == "E23000014";
    let (round, bid, notice) = commissioning(app, if own { "S1" } else { "D1" }).await;
    let (grant, monitoring_return) = grant_of(
        app,
        if own {
            "Safer Solihull Partnership"
        } else {
            "North Worcestershire Community Safety Partnership"
        },
    )
    .await;
    let plan = app.plan_id(plan_title).await;
    let doc = plans::document(&app.state.db, &app.actor(reader).await.scope(), plan)
        .await
        .unwrap()
        .expect("the reader can read the plan");
    let priority = doc
        .priorities
        .iter()
        .find(|p| !p.deliverables.is_empty())
        .expect("a priority with a deliverable");
    let deliverable = &priority.deliverables[0];
    Target {
        organisation: doc.plan.organisation_id,
        plan,
        priority: priority.id,
        deliverable: deliverable.id,
        milestone: deliverable.milestones[0].id,
        area,
        // An entered measure, defined by the West Midlands OPCC.
        measure: safer_store::measures::list(&app.state.db)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.details.name == "Confidence in local policing")
            .unwrap()
            .id,
        body,
        // The March 2022 meeting, whose previous notes (February's) are already accepted.
        meeting: safer_store::boards::meetings(&app.state.db, body)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.starts_at.date() == jiff::civil::date(2022, 3, 22))
            .unwrap()
            .id,
        action: safer_store::boards::open_actions(&app.state.db, &app.actor(reader).await.scope())
            .await
            .unwrap()[0]
            .0
            .id,
        paper: app.demo_paper("SPCB Workplan and Actions").await,
        fund: safer_store::funds::funds(&app.state.db)
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.name == "Invest to Save 2013/14")
            .unwrap()
            .id,
        round,
        bid,
        notice,
        grant,
        monitoring_return,
        attachment: attachment_of_a_draft(app, round).await,
        user: app.actor(reader).await.user_id,
        note: {
            let february = safer_store::boards::meetings(&app.state.db, body)
                .await
                .unwrap()
                .into_iter()
                .find(|m| m.starts_at.date() == jiff::civil::date(2022, 2, 22))
                .unwrap();
            safer_store::boards::minute_items(&app.state.db, february.id)
                .await
                .unwrap()[0]
                .id
        },
    }
}

fn concrete(path: &str, t: &Target) -> String {
    if path.starts_with("/performance") || path.contains("{code}") || path.ends_with("/measures") {
        return path
            .replace("{code}", t.area)
            .replace("{id}", &t.measure.to_string());
    }
    let id = if path.starts_with("/admin/users/") || path.starts_with("/audit/") {
        t.user
    } else if path.starts_with("/actions/") {
        t.action
    } else if path.starts_with("/papers/") || path.starts_with("/api/v1/papers/") {
        t.paper
    } else if path.starts_with("/rounds/") || path.starts_with("/api/v1/rounds/") {
        t.round
    } else if path.starts_with("/bids/") || path.starts_with("/api/v1/bids/") {
        t.bid
    } else if path.starts_with("/notices/") || path.starts_with("/api/v1/notices/") {
        t.notice
    } else if path.starts_with("/attachments/") {
        t.attachment
    } else if path.starts_with("/grants/") || path.starts_with("/api/v1/grants/") {
        t.grant
    } else if path.starts_with("/returns/") || path.starts_with("/api/v1/returns/") {
        t.monitoring_return
    } else if path.starts_with("/notes/") {
        t.note
    } else if path.starts_with("/funds/") || path.starts_with("/api/v1/funds/") {
        t.fund
    } else if path.starts_with("/bodies/") || path.starts_with("/api/v1/bodies/") {
        t.body
    } else if path.starts_with("/meetings/") || path.starts_with("/api/v1/meetings/") {
        t.meeting
    } else if path.starts_with("/organisations/") || path.starts_with("/api/v1/organisations/") {
        t.organisation
    } else if path.contains("/plans/") {
        t.plan
    } else if path.contains("/priorities/") {
        t.priority
    } else if path.contains("/deliverables/") {
        t.deliverable
    } else {
        t.milestone
    };
    path.replace("{id}", &id.to_string())
        .replace("{type}", "user")
        .replace("{*path}", "app.css")
}

fn check(code: char, status: StatusCode, location: &str) -> bool {
    match code {
        'O' => status == StatusCode::OK,
        'R' => status == StatusCode::SEE_OTHER && !location.starts_with("/sign-in"),
        'S' => status == StatusCode::SEE_OTHER && location.starts_with("/sign-in"),
        'N' => status == StatusCode::NOT_FOUND,
        'F' => status == StatusCode::FORBIDDEN,
        'V' => status == StatusCode::UNPROCESSABLE_ENTITY,
        'U' => status == StatusCode::UNAUTHORIZED,
        _ => false,
    }
}

#[tokio::test]
async fn every_route_has_an_expectation_for_every_role_and_partnership() {
    let app = TestApp::new().await;
    app.import_open_data(&[]).await;
    let own = target(
        &app,
        "Safer Solihull Partnership Plan 2015/16",
        "manager@solihull.example",
        "E23000014",
    )
    .await;
    let other = target(
        &app,
        "North Worcestershire Community Safety Partnership Plan 2017–20",
        "manager@north-worcestershire.example",
        "E23000016",
    )
    .await;

    let table = routes();
    for route in &table {
        assert!(
            MATRIX
                .iter()
                .any(|(m, p, _)| *m == route.method.as_str() && *p == route.path),
            "{} {} has no row in the authorisation matrix: add one saying what each role may do",
            route.method,
            route.path
        );
    }
    assert_eq!(
        MATRIX.len(),
        table.len(),
        "the matrix has rows for routes that no longer exist"
    );

    let mut failures = Vec::new();
    for (column, email) in ROLES.iter().enumerate() {
        let mut client = if email.is_empty() {
            let mut c = Client::default();
            app.get(&mut c, "/sign-in").await;
            c
        } else {
            app.sign_in(email).await
        };
        for (method, path, row) in MATRIX {
            let cell: Vec<char> = row
                .split(' ')
                .nth(column)
                .expect("seven cells")
                .chars()
                .collect();
            for (code, t) in [(cell[0], &own), (cell[1], &other)] {
                let url = concrete(path, t);
                let page = if *method == Method::GET.as_str() {
                    app.get(&mut client, &url).await
                } else {
                    app.post(&mut client, &url, &[]).await
                };
                if !check(code, page.status, page.location()) {
                    let who = if email.is_empty() {
                        "the public"
                    } else {
                        email
                    };
                    failures.push(format!(
                        "{method} {url} as {who}: expected {code}, got {} {}",
                        page.status,
                        page.location()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation failures:\n{}",
        failures.join("\n")
    );
}

/// The Police and Crime Plan is public to read and edited by its own OPCC's officers only.
#[tokio::test]
async fn the_police_and_crime_plan_is_public_and_edited_only_by_its_own_officers() {
    let app = TestApp::new().await;
    let plan = app.plan_id("Police and Crime Plan 2015/16").await;
    let mercia_plan = app.plan_id("Safer West Mercia Plan").await;
    let mut public = Client::default();
    assert_eq!(
        app.get(&mut public, &format!("/plans/{plan}")).await.status,
        StatusCode::OK
    );
    let page = app
        .get(&mut public, &format!("/plans/{plan}/priorities/new"))
        .await;
    assert!(
        page.status == StatusCode::SEE_OTHER && page.location().starts_with("/sign-in"),
        "{}",
        page.status
    );
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    assert_eq!(
        app.get(&mut officer, &format!("/plans/{plan}/priorities/new"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(
            &mut officer,
            &format!("/plans/{mercia_plan}/priorities/new")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let mut manager = app.sign_in("manager@solihull.example").await;
    assert_eq!(
        app.get(&mut manager, &format!("/plans/{plan}/priorities/new"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let added = app
        .post(
            &mut officer,
            &format!("/plans/{plan}/priorities"),
            &[("title", "Tackling violence against women and girls")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(&mut public, &format!("/plans/{plan}"))
            .await
            .body
            .contains("Tackling violence against women and girls")
    );
}
