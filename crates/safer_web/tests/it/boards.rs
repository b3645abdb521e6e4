//! The boards' public site: what is published shows; exempt items, unpublished agendas, draft
//! notes and their actions never do, on any page the public can reach.

use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use jiff::civil::datetime;
use safer_core::boards::{ItemKind, MeetingStatus};
use safer_store::Author;
use safer_store::boards::{self, NewAgendaItem};
use safer_store::papers;
use scraper::Selector;
use std::collections::{BTreeSet, VecDeque};

const EXEMPT: &str = "Legal advice on the custody suite contract";
const UNPUBLISHED: &str = "Draft budget for the next year";
const DRAFT_NOTE: &str = "A note still in draft";
const DRAFT_ACTION: &str = "An action from draft notes";
const DRAFT_QUESTION: &str = "A question recorded in draft notes";
const UNPUBLISHED_DECISION: &str = "A decision not yet published";
const DRAFT_PAPER: &str = "A paper still in draft";
const PAPER_ON_EXEMPT: &str = "The custody suite contract paper";
const PAPER_ON_UNPUBLISHED: &str = "A paper for an agenda not yet published";
const PUBLIC_PAPER: &str = "The June performance paper";

/// What the public must never see.
const SECRETS: [&str; 9] = [
    EXEMPT,
    UNPUBLISHED_DECISION,
    UNPUBLISHED,
    DRAFT_NOTE,
    DRAFT_ACTION,
    DRAFT_QUESTION,
    DRAFT_PAPER,
    PAPER_ON_EXEMPT,
    PAPER_ON_UNPUBLISHED,
];

/// Every page reachable from `/` by links, for `client`.
async fn crawl(app: &TestApp, client: &mut Client) -> Vec<(String, String)> {
    let links = Selector::parse("a[href]").unwrap();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 400 {
            continue;
        }
        let page = app.get(client, &path).await;
        for a in page.html().select(&links) {
            let href = a.value().attr("href").unwrap_or("");
            let href = href.split('#').next().unwrap_or("");
            if href.starts_with('/') && !href.starts_with("/assets/") {
                queue.push_back(href.to_owned());
            }
        }
        pages.push((path, page.body));
    }
    pages
}

#[tokio::test]
async fn nothing_unpublished_reaches_the_public_on_any_page() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let a = Author::system("test");
    let spcb = crate::support::spcb(db).await;
    // A meeting with a published agenda holding an exempt item, and draft notes with an action.
    let june = boards::create_meeting(
        db,
        &a,
        spcb.id,
        datetime(2022, 6, 28, 10, 0, 0, 0),
        "Lloyd House",
        MeetingStatus::Held,
    )
    .await
    .unwrap();
    let item = |title| NewAgendaItem {
        section: "",
        starts_at: "",
        title,
        description: "",
        presenter: "",
        kind: ItemKind::WrittenReport,
        exemption: None,
    };
    let performance = boards::add_agenda_item(db, &a, june, &item("Performance Report"))
        .await
        .unwrap();
    let exempt = boards::add_agenda_item(
        db,
        &a,
        june,
        &NewAgendaItem {
            exemption: Some(
                "Exempt under paragraph 3: information about financial or business affairs",
            ),
            ..item(EXEMPT)
        },
    )
    .await
    .unwrap();
    boards::publish_agenda(db, &a, june).await.unwrap();
    let note = boards::add_minute_item(db, &a, june, DRAFT_NOTE, "")
        .await
        .unwrap();
    // Its first item has made the notes a draft.
    boards::raise_action(
        db,
        &a,
        june,
        Some(note.id),
        DRAFT_ACTION,
        "Chief Finance Officer",
        None,
    )
    .await
    .unwrap();
    boards::add_question(
        db,
        &a,
        june,
        &boards::Question {
            kind: safer_core::boards::QuestionKind::Public,
            question: DRAFT_QUESTION.to_owned(),
            submitted_by: "A resident".to_owned(),
            asked_by: "The PCC".to_owned(),
            answer: String::new(),
        },
    )
    .await
    .unwrap();
    boards::add_decision(
        db,
        &a,
        &boards::Decision {
            id: 0,
            body_id: spcb.id,
            meeting_id: Some(june),
            title: UNPUBLISHED_DECISION.to_owned(),
            decision: "Agreed.".to_owned(),
            reasons: String::new(),
            decided_by: "Police and Crime Commissioner".to_owned(),
            decided_on: jiff::civil::date(2022, 6, 28),
            published: false,
        },
    )
    .await
    .unwrap();
    // A meeting whose agenda is not yet published.
    let july = boards::create_meeting(
        db,
        &a,
        spcb.id,
        datetime(2022, 7, 26, 10, 0, 0, 0),
        "Lloyd House",
        MeetingStatus::Scheduled,
    )
    .await
    .unwrap();
    let unpublished = boards::add_agenda_item(db, &a, july, &item(UNPUBLISHED))
        .await
        .unwrap();
    // Papers: published on a public item (shown), in draft, published on an exempt item, and
    // published for an agenda not yet published (none of them shown).
    let mut paper_ids = Vec::new();
    for (item, title, publish) in [
        (performance, PUBLIC_PAPER, true),
        (performance, DRAFT_PAPER, false),
        (exempt, PAPER_ON_EXEMPT, true),
        (unpublished, PAPER_ON_UNPUBLISHED, true),
    ] {
        let id = papers::create_paper(db, &a, item, title).await.unwrap();
        papers::add_section(db, &a, id, "Summary", &format!("{title}: its text."), None)
            .await
            .unwrap();
        if publish {
            papers::publish_paper(db, &a, id, &[]).await.unwrap();
        }
        paper_ids.push(id);
    }

    // The public: the published parts, and nothing else, wherever they look.
    let mut public = Client::default();
    let pages = crawl(&app, &mut public).await;
    assert!(
        pages.iter().any(|(p, _)| p == &format!("/meetings/{june}")),
        "the crawl reaches the meetings"
    );
    for (path, body) in &pages {
        for secret in SECRETS {
            assert!(
                !body.contains(secret),
                "{path} shows {secret:?} to the public"
            );
        }
    }
    assert!(
        pages.iter().any(|(_, body)| body.contains(PUBLIC_PAPER)),
        "the published paper is on the public site"
    );
    assert!(
        pages
            .iter()
            .any(|(p, body)| p == &format!("/meetings/{june}/pack") && body.contains("its text.")),
        "the crawl reaches June's agenda pack, with the published paper in it"
    );
    // Nor at their own addresses, nor through the API or the calendar.
    for (id, title) in paper_ids.iter().zip([
        PUBLIC_PAPER,
        DRAFT_PAPER,
        PAPER_ON_EXEMPT,
        PAPER_ON_UNPUBLISHED,
    ]) {
        let expected = if title == PUBLIC_PAPER {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        for path in [format!("/papers/{id}"), format!("/api/v1/papers/{id}")] {
            assert_eq!(app.get(&mut public, &path).await.status, expected, "{path}");
        }
    }
    assert_eq!(
        app.get(&mut public, &format!("/meetings/{july}/pack"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "an unpublished agenda has no public pack"
    );
    let mut api_paths = vec![
        format!("/api/v1/papers/{}", paper_ids[0]),
        format!("/meetings/{june}/pack"),
        "/api/v1/bodies".to_owned(),
        "/api/v1/actions".to_owned(),
        "/meetings.ics".to_owned(),
        "/decisions.atom".to_owned(),
        "/api/v1/decisions".to_owned(),
        format!("/api/v1/bodies/{}/meetings", spcb.id),
    ];
    for m in boards::meetings(db, spcb.id).await.unwrap() {
        api_paths.push(format!("/api/v1/meetings/{}", m.id));
    }
    for path in &api_paths {
        let page = app.get(&mut public, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for secret in SECRETS {
            assert!(
                !page.body.contains(secret),
                "{path} shows {secret:?} to the public"
            );
        }
    }
    let june_api: serde_json::Value = serde_json::from_str(
        &app.get(&mut public, &format!("/api/v1/meetings/{june}"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(june_api["agenda"].as_array().unwrap().len(), 1);
    assert_eq!(june_api["notes_shown"], false);

    let june_page = app.get(&mut public, &format!("/meetings/{june}")).await;
    assert!(june_page.text("#agenda").contains("Performance Report"));
    assert!(
        june_page
            .body
            .contains("The notes are published once the board approves them")
    );

    // The February notes are approved: numbered items, attendees, and the January action
    // carried forward.
    let meetings = boards::meetings(db, spcb.id).await.unwrap();
    let february = meetings
        .iter()
        .find(|m| m.starts_at.date() == jiff::civil::date(2022, 2, 22))
        .unwrap();
    let page = app
        .get(&mut public, &format!("/meetings/{}", february.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let notes = page.text("#notes");
    assert!(
        notes.contains("012/22") && notes.contains("023/22"),
        "{notes}"
    );
    assert!(page.text("#apologies").contains("Cath Hannon"));
    assert!(page.text("#actions").contains("vehicle crime"));
    assert!(page.text("#questions").contains("Neighbourhood Watch"));

    // The secretariat (an officer of the board's OPCC) sees drafts and the exempt item.
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let page = app.get(&mut officer, &format!("/meetings/{june}")).await;
    for secret in [EXEMPT, DRAFT_NOTE] {
        assert!(
            page.body.contains(secret),
            "the secretariat sees {secret:?}"
        );
    }
    assert!(
        app.get(&mut officer, "/actions")
            .await
            .body
            .contains(DRAFT_ACTION)
    );
    // A partnership's manager is public as far as this board goes.
    let mut manager = app.sign_in("manager@solihull.example").await;
    assert!(
        !app.get(&mut manager, &format!("/meetings/{june}"))
            .await
            .body
            .contains(EXEMPT)
    );
}

#[tokio::test]
async fn the_meetings_feed_reads_in_an_icalendar_parser() {
    let app = TestApp::new().await;
    let mut public = Client::default();
    let spcb = crate::support::spcb(&app.state.db).await;
    let page = app
        .get(&mut public, &format!("/bodies/{}/meetings.ics", spcb.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.headers[axum::http::header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(page.body.as_bytes()));
    let calendar = calendars.next().expect("a calendar").expect("it parses");
    assert_eq!(calendar.events.len(), 4, "January to April 2022");
    let starts: Vec<String> = calendar
        .events
        .iter()
        .filter_map(|e| e.properties.iter().find(|p| p.name == "DTSTART"))
        .filter_map(|p| p.value.clone())
        .collect();
    // 10:00 in London: GMT in February, BST in April.
    assert!(starts.contains(&"20220222T100000Z".to_owned()));
    assert!(starts.contains(&"20220426T090000Z".to_owned()));
    assert_eq!(
        app.get(&mut public, "/bodies/999999/meetings.ics")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_decisions_feed_is_well_formed_atom_with_decisions_and_agendas() {
    let app = TestApp::new().await;
    let mut public = Client::default();
    let register = app.get(&mut public, "/decisions").await;
    assert!(
        register
            .body
            .contains("Police budget and council tax precept 2022/23")
    );
    let spcb = crate::support::spcb(&app.state.db).await;
    let body = app.get(&mut public, &format!("/bodies/{}", spcb.id)).await;
    assert!(body.text("#work-plan").contains("Commonwealth Games"));
    assert!(
        body.text("#members")
            .contains("Bhupinder Gakhal: Board Member")
    );

    let feed = app.get(&mut public, "/decisions.atom").await;
    assert_eq!(
        feed.headers[axum::http::header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let mut reader = quick_xml::Reader::from_str(&feed.body);
    let mut titles = Vec::new();
    let mut in_entry_title = false;
    let mut depth = 0;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                in_entry_title = depth == 3 && e.name().0 == "title";
            }
            quick_xml::events::Event::End(_) => {
                depth -= 1;
                in_entry_title = false;
            }
            quick_xml::events::Event::Text(t) if in_entry_title => {
                titles.push(t.into_inner().into_owned());
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(
        titles
            .iter()
            .any(|t| t == "Decision: Police budget and council tax precept 2022/23"),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t
                .starts_with("Agenda: Strategic Policing and Crime Board, Tuesday 22 March 2022")),
        "{titles:?}"
    );
    // Published papers are in it; the draft is not.
    for (title, listed) in [
        ("Paper: SPCB Workplan and Actions", true),
        ("Paper: ASB Act 2014 one year on", true),
        (
            "Paper: Violence Against Women and Girls: delivery and performance",
            false,
        ),
    ] {
        assert_eq!(
            titles.iter().any(|t| t == title),
            listed,
            "{title}: {titles:?}"
        );
    }
}

/// A paper's live block shows today's figures while the paper is a draft, and keeps the figures
/// it had when published after the data changes; a published paper takes no new section.
#[tokio::test]
async fn a_published_paper_keeps_the_figures_it_was_published_with() {
    let app = TestApp::new().await;
    // The areas, for the block's area; no police.uk files are needed for a survey measure.
    app.import_open_data(&[]).await;
    let db = &app.state.db;
    let a = Author::system("test");
    let measure = safer_store::measures::list(db)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.details.name == "Confidence in local policing")
        .unwrap();
    let wave = |period: &str, value: f64| safer_store::measures::Observation {
        area_code: "E23000014".to_owned(),
        period: safer_core::police::YearMonth::parse(period).unwrap(),
        value,
        denominator: None,
    };
    let earlier: Vec<_> = [
        ("2014-07", 80.1),
        ("2014-10", 81.0),
        ("2015-01", 82.2),
        ("2015-04", 83.1),
    ]
    .into_iter()
    .map(|(p, v)| wave(p, v))
    .collect();
    safer_store::measures::save_observations(db, &a, &measure, &earlier)
        .await
        .unwrap();
    let spcb = crate::support::spcb(db).await;
    let march = boards::meetings(db, spcb.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.starts_at.date() == jiff::civil::date(2022, 3, 22))
        .unwrap();
    let item = boards::agenda(db, &march, boards::Audience::Secretariat)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.title.starts_with("Preventing and Reducing Crime"))
        .unwrap();

    // The secretariat starts a paper and adds a section with the measure's live block.
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let page = app
        .post(
            &mut officer,
            &format!("/meetings/{}/papers", march.id),
            &[("paper-item", ""), ("paper-title", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Select the agenda item the paper is for")
    );
    assert!(
        page.body.contains("Enter the paper&#39;s title")
            || page.body.contains("Enter the paper's title")
    );
    let page = app
        .post(
            &mut officer,
            &format!("/meetings/{}/papers", march.id),
            &[
                ("paper-item", &item.id.to_string()),
                ("paper-title", "Public confidence"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let paper = page.location().to_owned();
    let measure_id = measure.id.to_string();
    let page = app
        .post(
            &mut officer,
            &format!("{paper}/sections"),
            &[("block", "measure"), ("measure", &measure_id), ("area", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Select the area"));
    let page = app
        .post(
            &mut officer,
            &format!("{paper}/sections"),
            &[
                ("heading", "Confidence in local policing"),
                ("body", "The survey's latest wave."),
                ("block", "measure"),
                ("measure", &measure_id),
                ("area", "E23000014"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    // While a draft, the block follows the data, and the public cannot see it.
    let draft = app.get(&mut officer, &paper).await;
    assert!(
        draft.text("#paper-sections").contains("83.6% in July 2015"),
        "{}",
        draft.text("#paper-sections")
    );
    assert_eq!(
        app.get(&mut Client::default(), &paper).await.status,
        StatusCode::NOT_FOUND
    );
    safer_store::measures::save_observations(db, &a, &measure, &[wave("2015-10", 85.2)])
        .await
        .unwrap();
    let draft = app.get(&mut officer, &paper).await;
    assert!(
        draft
            .text("#paper-sections")
            .contains("85.2% in October 2015")
    );

    // Published, it keeps October's figures after January's wave arrives and July's is revised.
    let page = app
        .post(&mut officer, &format!("{paper}/publish"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    safer_store::measures::save_observations(
        db,
        &a,
        &measure,
        &[wave("2016-01", 91.7), wave("2015-07", 70.0)],
    )
    .await
    .unwrap();
    let measure_page = app
        .get(
            &mut officer,
            &format!("/performance/areas/E23000014/measures/{}", measure.id),
        )
        .await;
    assert!(measure_page.body.contains("91.7% in January 2016"));
    let mut public = Client::default();
    let published = app.get(&mut public, &paper).await;
    assert_eq!(published.status, StatusCode::OK);
    let stored = papers::paper(db, paper.trim_start_matches("/papers/").parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let on = safer_core::time::long_date(stored.published_on().unwrap());
    assert!(published.body.contains(&format!("Published {on}.")), "{on}");
    let sections = published.text("#paper-sections");
    assert!(sections.contains("85.2% in October 2015"), "{sections}");
    assert!(
        sections.contains("83.6"),
        "July's published value stays: {sections}"
    );
    assert!(
        !sections.contains("91.7") && !sections.contains("70.0"),
        "{sections}"
    );
    let id = paper.trim_start_matches("/papers/");
    let api: serde_json::Value = serde_json::from_str(
        &app.get(&mut public, &format!("/api/v1/papers/{id}"))
            .await
            .body,
    )
    .unwrap();
    let frozen = api["sections"][0]["frozen_html"].as_str().unwrap();
    assert!(frozen.contains("85.2% in October 2015") && !frozen.contains("91.7"));
    assert_eq!(api["sections"][0]["block"]["kind"], "measure");
    let pack = app
        .get(&mut public, &format!("/meetings/{}/pack", march.id))
        .await;
    assert!(pack.body.contains("Public confidence") && pack.body.contains("85.2% in October 2015"));
    assert!(!pack.body.contains("91.7"));
    // The pack is one self-contained document: its one inline stylesheet is allowed by its hash.
    let policy = pack.headers["content-security-policy"].to_str().unwrap();
    let style = pack
        .body
        .split("<style>")
        .nth(1)
        .unwrap()
        .split("</style>")
        .next()
        .unwrap();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(style));
    assert!(
        policy.contains(&format!("style-src 'self' 'sha256-{hash}'")),
        "{policy}"
    );

    // A published paper does not change.
    let page = app
        .post(
            &mut officer,
            &format!("{paper}/sections"),
            &[("body", "An afterthought.")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("a published paper does not change"));
    let page = app
        .post(&mut officer, &format!("{paper}/publish"), &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !app.get(&mut public, &paper)
            .await
            .body
            .contains("An afterthought.")
    );
}

/// A form's fields.
type Fields = Vec<(&'static str, &'static str)>;

/// The secretariat records attendance, questions, petitions, declarations and decisions at a
/// meeting, and members and planned items for the body; each form says what to fix first.
#[tokio::test]
async fn the_secretariat_records_a_meeting_s_business_through_its_forms() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let spcb = crate::support::spcb(db).await;
    let march = boards::meetings(db, spcb.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.starts_at.date() == jiff::civil::date(2022, 3, 22))
        .unwrap();
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let meeting = format!("/meetings/{}", march.id);
    let body = format!("/bodies/{}", spcb.id);
    let note = boards::minute_items(db, march.id).await.unwrap();
    let note_id = note.first().map(|n| n.id.to_string()).unwrap_or_default();
    // (path, fields that need fixing, the message, good fields)
    let cases: Vec<(String, Fields, &str, Fields)> = vec![
        (
            format!("{meeting}/attendance"),
            vec![("attendee-name", "Simon Foster")],
            "Select how they took part",
            vec![
                ("attendee-name", "Simon Foster"),
                ("attendee-role", "Police and Crime Commissioner"),
                ("attendance", "present"),
            ],
        ),
        (
            format!("{meeting}/questions"),
            vec![("question-kind", "public")],
            "Enter the question",
            vec![
                ("question-kind", "public"),
                ("question", "When will Halesowen station reopen?"),
                ("submitted-by", "A resident"),
                ("answer", "It will not."),
            ],
        ),
        (
            format!("{meeting}/petitions"),
            vec![
                ("petition-title", "Keep the station open"),
                ("lead-petitioner", "A resident"),
                ("signatures", "lots"),
            ],
            "Enter the signatures as a whole number, like 1200",
            vec![
                ("petition-title", "Keep Sutton station open"),
                ("lead-petitioner", "A resident"),
                ("signatures", "1,250"),
                ("threshold", "1000"),
                ("response-due-day", "19"),
                ("response-due-month", "4"),
                ("response-due-year", "2022"),
            ],
        ),
        (
            format!("{meeting}/decisions"),
            vec![
                ("decision-title", "Fees and charges"),
                ("decision", "Approved."),
                ("decided-by", "PCC"),
                ("decision-publish", "yes"),
            ],
            "Enter the date of the decision",
            vec![
                ("decision-title", "Fees and charges 2022/23"),
                ("decision", "The fees and charges were approved."),
                ("decided-by", "Police and Crime Commissioner"),
                ("decided-day", "22"),
                ("decided-month", "3"),
                ("decided-year", "2022"),
                ("decision-publish", "yes"),
            ],
        ),
        (
            format!("{body}/members"),
            vec![
                ("member-name", "Cllr Ada Lovelace"),
                ("term-from-day", "1"),
                ("term-from-month", "5"),
                ("term-from-year", "2022"),
                ("term-to-day", "1"),
                ("term-to-month", "5"),
                ("term-to-year", "2021"),
            ],
            "The end of the term must be after its start",
            vec![
                ("member-name", "Cllr Ada Lovelace"),
                ("member-role", "Independent Member"),
                ("term-from-day", "1"),
                ("term-from-month", "5"),
                ("term-from-year", "2022"),
            ],
        ),
        (
            format!("{body}/work-plan"),
            vec![
                ("plan-title", "Serious violence duty"),
                ("plan-month", "June"),
            ],
            "Enter the month as a year and month, like 2022-06",
            vec![
                ("plan-title", "Serious violence duty"),
                ("plan-month", "2022-06"),
                ("plan-lead", "ACC Claire Bell"),
            ],
        ),
    ];
    for (path, bad, message, good) in cases {
        let page = app.post(&mut officer, &path, &bad).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(
            page.text(".govuk-error-summary").contains(message),
            "{path}: {}",
            page.text(".govuk-error-summary")
        );
        let page = app.post(&mut officer, &path, &good).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{path}: {}",
            page.text(".govuk-error-summary")
        );
    }
    let page = app.get(&mut officer, &meeting).await;
    assert!(
        page.text("#petitions").contains(
            "Keep Sutton station open, led by A resident: 1250 signatures (threshold 1000)"
        ),
        "{}",
        page.text("#petitions")
    );
    assert!(
        page.text("#questions")
            .contains("When will Halesowen station reopen?")
    );
    assert!(
        page.text("#attendees")
            .contains("Simon Foster: Police and Crime Commissioner")
    );
    let page = app.get(&mut Client::default(), "/decisions").await;
    assert!(page.body.contains("Fees and charges 2022/23"));
    let page = app.get(&mut Client::default(), &body).await;
    assert!(page.body.contains("Cllr Ada Lovelace") && page.body.contains("Serious violence duty"));
    if !note_id.is_empty() {
        let page = app
            .post(
                &mut officer,
                &format!("{meeting}/declarations"),
                &[
                    ("declaration-item", note_id.as_str()),
                    ("declaration-member", "Cllr Bea Board"),
                    ("interest", "A family member works at the station"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(
            app.get(&mut officer, &meeting)
                .await
                .body
                .contains("A family member works at the station")
        );
    }
    // Another meeting's note is not this meeting's to declare on.
    let page = app
        .post(
            &mut officer,
            &format!("{meeting}/declarations"),
            &[
                ("declaration-item", "999999"),
                ("declaration-member", "X"),
                ("interest", "Y"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The notes are drafted from the agenda in one go; a draft item can be deleted, and its number
/// is not given out again; approved notes keep their items.
#[tokio::test]
async fn the_notes_are_drafted_from_the_agenda_and_a_draft_item_can_be_deleted() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let spcb = crate::support::spcb(db).await;
    let april = boards::meetings(db, spcb.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.starts_at.date() == jiff::civil::date(2022, 4, 26))
        .unwrap();
    let a = Author::system("test");
    for title in ["Notes of the Last Meeting", "Chief Constable Update"] {
        boards::add_agenda_item(
            db,
            &a,
            april.id,
            &NewAgendaItem {
                section: "",
                starts_at: "",
                title,
                description: "",
                presenter: "",
                kind: ItemKind::Verbal,
                exemption: None,
            },
        )
        .await
        .unwrap();
    }
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let meeting = format!("/meetings/{}", april.id);
    let page = app
        .post(&mut officer, &format!("{meeting}/notes/from-agenda"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let items = boards::minute_items(db, april.id).await.unwrap();
    let headings: Vec<String> = items
        .iter()
        .map(|i| format!("{} {}", i.number, i.title))
        .collect();
    // February's notes ended at 023/22, and the year's sequence runs on.
    assert_eq!(
        headings,
        [
            "024/22 Item 1: Notes of the Last Meeting",
            "025/22 Item 2: Chief Constable Update"
        ]
    );
    let page = app
        .post(&mut officer, &format!("{meeting}/notes/from-agenda"), &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-summary")
            .contains("The notes already have numbered items")
    );

    let page = app
        .post(&mut officer, &format!("/notes/{}/delete", items[1].id), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = app
        .post(
            &mut officer,
            &format!("{meeting}/notes"),
            &[("note-title", "Any Other Business")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let numbers: Vec<String> = boards::minute_items(db, april.id)
        .await
        .unwrap()
        .iter()
        .map(|i| i.number.to_string())
        .collect();
    assert_eq!(numbers, ["024/22", "026/22"]);

    // February's approved notes keep their items.
    let february = boards::meetings(db, spcb.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.starts_at.date() == jiff::civil::date(2022, 2, 22))
        .unwrap();
    let first = boards::minute_items(db, february.id).await.unwrap()[0].id;
    let page = app
        .post(&mut officer, &format!("/notes/{first}/delete"), &[])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-summary")
            .contains("Only an item of draft notes")
    );
}
