//! Browser journeys in headless Chromium, with axe-core run on every page visited. These run
//! one at a time (the `browser` test group in `.config/nextest.toml`).

use safer_store::demo;
use safer_test_support::TestDb;
use safer_test_support::browser::Browser;
use safer_web::{AppState, WebConfig};

/// A real server on a free loopback port over a fresh demo database.
struct Server {
    base: String,
    _db: TestDb,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    async fn start() -> Server {
        Server::start_with_open_data(None).await
    }

    /// With the demo's lookups and these forces' police.uk files too.
    async fn start_with_open_data(forces: Option<&[&str]>) -> Server {
        let db = TestDb::new().await;
        demo::load(&db.db).await.expect("demo data loads");
        if let Some(forces) = forces {
            crate::support::import_open_data(&db.db, forces).await;
        }
        let config = WebConfig {
            organisation_name: demo::HOST_ORGANISATION.to_owned(),
            ..WebConfig::default()
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(db.db.clone(), config);
        tokio::spawn(safer_web::serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Server {
            base,
            _db: db,
            stop: Some(stop),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn sign_in(b: &Browser, email: &str) {
    b.open("/sign-in").await;
    b.assert_accessible().await;
    b.fill("email", email).await;
    b.fill("password", demo::DEMO_PASSWORD).await;
    b.submit("form[action='/sign-in'] button").await;
    assert!(
        b.text("main").await.contains("Signed in as"),
        "signed in as {email}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partnership_manager_adds_a_milestone_that_other_partnerships_cannot_see() {
    let server = Server::start().await;
    let b = Browser::start(&server.base).await;
    b.open("/").await;
    b.assert_accessible().await;
    sign_in(&b, "manager@solihull.example").await;
    b.assert_accessible().await;

    b.follow("Safer Solihull Partnership Plan 2015/16").await;
    assert_eq!(
        b.text("h1").await,
        "Safer Solihull Partnership Plan 2015/16"
    );
    b.assert_accessible().await;
    let plan_url = b.client.current_url().await.unwrap().path().to_owned();

    b.submit("a[href$='/milestones/new']").await;
    assert_eq!(b.text("h1").await, "Add a milestone");
    b.assert_accessible().await;
    b.fill("title", "Schools panel report to the partnership board")
        .await;
    b.submit("main form button[type=submit]").await;
    assert_eq!(
        b.text(".govuk-error-summary__title").await,
        "There is a problem"
    );
    assert!(
        b.text(".govuk-error-summary__list")
            .await
            .contains("Enter a due date, or a period such as March–June 2016")
    );
    assert!(b.text("#due-error").await.contains("Enter a due date"));
    assert!(b.client.title().await.unwrap().starts_with("Error: "));
    b.assert_accessible().await;

    b.fill("due-day", "30").await;
    b.fill("due-month", "11").await;
    b.fill("due-year", "2015").await;
    b.submit("main form button[type=submit]").await;
    assert_eq!(b.client.current_url().await.unwrap().path(), plan_url);
    assert!(
        b.text("main")
            .await
            .contains("Schools panel report to the partnership board")
    );
    b.assert_accessible().await;

    b.follow("Schools panel report to the partnership board")
        .await;
    assert!(b.text("main").await.contains("30 November 2015"));
    b.assert_accessible().await;
    let milestone_url = b.client.current_url().await.unwrap().path().to_owned();
    b.click("form[action$='/progress'] input[value='done']")
        .await;
    b.fill("note", "Report presented and accepted.").await;
    b.submit("form[action$='/progress'] button").await;
    assert!(
        b.text("table")
            .await
            .contains("Report presented and accepted.")
    );
    b.assert_accessible().await;
    b.close().await;

    // A manager of another partnership gets "not found" for the same milestone.
    let other = Browser::start(&server.base).await;
    sign_in(&other, "manager@dudley.example").await;
    other.open(&milestone_url).await;
    assert_eq!(other.text("h1").await, "Page not found");
    other.assert_accessible().await;
    other.open(&plan_url).await;
    assert_eq!(other.text("h1").await, "Page not found");
    other.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_browses_the_audit_log_and_the_accounts_and_sees_who_looked_at_them() {
    let server = Server::start().await;
    let b = Browser::start(&server.base).await;
    sign_in(&b, "admin@west-midlands.example").await;
    b.open("/admin/audit?record_type=milestone").await;
    assert_eq!(b.text("h1").await, "Audit log");
    assert!(b.text("tbody").await.contains("milestone"));
    b.assert_accessible().await;
    b.open("/admin/users").await;
    assert!(b.text("tbody").await.contains("manager@solihull.example"));
    b.assert_accessible().await;
    b.follow("Priya Manager").await;
    assert_eq!(b.text("h1").await, "Priya Manager");
    b.assert_accessible().await;
    b.follow("Who has looked at this account").await;
    assert!(b.text("tbody").await.contains("Alex Admin"));
    b.assert_accessible().await;
    b.open("/audit/access").await;
    b.assert_accessible().await;
    for path in [
        "/organisations",
        "/plans",
        "/account",
        "/account/password",
        "/bodies",
        "/actions",
        "/decisions",
    ] {
        b.open(path).await;
        b.assert_accessible().await;
    }
    // A board's meetings, and the February notes with their numbered items.
    b.open("/bodies").await;
    b.follow("Strategic Policing and Crime Board").await;
    b.assert_accessible().await;
    b.follow("Tuesday 22 February 2022, 10:00").await;
    assert!(b.text("#notes").await.contains("012/22"));
    b.assert_accessible().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_follows_a_partnership_measure_to_its_chart_and_exports_the_table() {
    let server = Server::start_with_open_data(Some(&["city-of-london"])).await;
    let b = Browser::start(&server.base).await;
    sign_in(&b, "officer@west-midlands.example").await;
    b.follow("Performance").await;
    assert_eq!(b.text("h1").await, "Performance");
    b.assert_accessible().await;

    // The partnership's dashboard.
    b.follow("City of London").await;
    assert_eq!(b.text("h1").await, "City of London");
    assert!(b.text("#table-measures").await.contains("November 2020"));
    b.assert_accessible().await;

    // A measure: its chart, and the narrative the chart's description repeats.
    b.follow("Total recorded crime").await;
    assert_eq!(b.text("h1").await, "Total recorded crime");
    let narrative = b.text("#narrative").await;
    assert!(narrative.contains("monthly average"), "{narrative}");
    let points = b
        .client
        .find_all(fantoccini::Locator::Css("svg[role=img] .app-chart__point"))
        .await
        .unwrap();
    assert_eq!(
        points.len(),
        36,
        "a point a month, December 2017 to November 2020"
    );
    assert_eq!(
        b.client
            .find_all(fantoccini::Locator::Css("#table-series tbody tr"))
            .await
            .unwrap()
            .len(),
        36
    );
    b.assert_accessible().await;

    // Export the table: the download holds the page's rows.
    let link = b
        .client
        .find(fantoccini::Locator::Css("a[href*='csv?table=series']"))
        .await
        .unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    let csv = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));",
            vec![serde_json::Value::String(href)],
        )
        .await
        .unwrap();
    let csv = csv.as_str().unwrap_or_default().to_owned();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "Month,Value,Average,Lower limit,Upper limit,Signal"
    );
    assert_eq!(lines.len(), 37);
    assert!(lines[1].starts_with("December 2017,"));

    // Down to the neighbourhoods and their records, and out to the board's report.
    b.follow("City of London 001F").await;
    assert!(b.text("#table-records").await.contains("On or near"));
    b.assert_accessible().await;
    b.open("/performance/areas/E23000034/report").await;
    assert!(
        b.text("h1")
            .await
            .starts_with("Performance against the Police and Crime Plan")
    );
    b.assert_accessible().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretariat_runs_a_meeting_and_the_public_reads_its_approved_notes() {
    let server = Server::start().await;
    let b = Browser::start(&server.base).await;
    sign_in(&b, "officer@west-midlands.example").await;
    b.follow("Boards").await;
    b.follow("Strategic Policing and Crime Board").await;
    b.assert_accessible().await;

    // The April meeting: an agenda item, then publish.
    b.follow("Tuesday 26 April 2022, 10:00").await;
    b.assert_accessible().await;
    b.fill("title", "Policing the Commonwealth Games").await;
    b.fill("starts-at", "10:35").await;
    b.fill("presenter", "ACC Matt Ward").await;
    b.click("#kind-2").await;
    b.submit("form[action$='/agenda'] button").await;
    assert!(
        b.text("#agenda")
            .await
            .contains("Policing the Commonwealth Games")
    );
    b.submit("form[action$='/publish'] button").await;
    b.assert_accessible().await;

    // A paper for the item, with text and a live block of the Police and Crime Plan's
    // milestones; published, it joins the agenda pack.
    b.choose("paper-item", "1. Policing the Commonwealth Games")
        .await;
    b.fill("paper-title", "Policing the Games: the plan").await;
    b.submit("form[action$='/papers'] button").await;
    assert_eq!(b.text("h1").await, "Policing the Games: the plan");
    b.fill("heading", "Summary").await;
    b.fill(
        "body",
        "The force's plan for the Games, and what it delivers.",
    )
    .await;
    b.click("#block-3").await;
    b.choose("plan", "Police and Crime Plan 2015/16").await;
    b.submit("form[action$='/sections'] button").await;
    assert!(b.text("#paper-sections").await.contains("Live"));
    b.assert_accessible().await;
    b.submit("#publish button").await;
    assert!(!b.text("#paper-sections").await.contains("Live"));
    let paper = b.client.current_url().await.unwrap().path().to_owned();
    b.assert_accessible().await;
    b.follow("Tuesday 26 April 2022, 10:00").await;
    b.follow("Policing the Games: the plan").await;
    b.follow("Tuesday 26 April 2022, 10:00").await;

    // Its notes, with an action; a missing heading is refused first.
    b.submit("form[action$='/notes'] button").await;
    assert!(
        b.text(".govuk-error-summary")
            .await
            .contains("Enter the item's heading")
    );
    b.assert_accessible().await;
    b.fill("note-title", "Item 5: Preparing for the Commonwealth Games")
        .await;
    b.fill(
        "note-text",
        "ACC Matt Ward presented the policing plan for the Games.",
    )
    .await;
    b.submit("form[action$='/notes'] button").await;
    b.fill("action", "Report on the Games' policing costs")
        .await;
    b.fill("owner", "Chief Finance Officer").await;
    b.submit("form[action$='/actions'] button").await;
    assert!(
        b.text("#notes")
            .await
            .contains("Preparing for the Commonwealth Games")
    );
    let april = b.client.current_url().await.unwrap().path().to_owned();

    // The next meeting accepts April's notes as a correct record.
    b.open("/bodies").await;
    b.follow("Strategic Policing and Crime Board").await;
    b.fill("date-day", "24").await;
    b.fill("date-month", "5").await;
    b.fill("date-year", "2022").await;
    b.fill("time", "10:00").await;
    b.fill("place", "Lloyd House, Birmingham").await;
    b.submit("form[action$='/meetings'] button").await;
    assert_eq!(b.text("h1").await, "Tuesday 24 May 2022, 10:00");
    b.submit("#accept-notes button").await;
    let notes = b.text("#notes").await;
    assert!(
        notes.contains("Notes of the Last Meeting: 26 April 2022"),
        "{notes}"
    );
    assert!(
        b.text("#actions")
            .await
            .contains("Report on the Games' policing costs")
    );
    b.assert_accessible().await;
    // A step on the action, which closes it: the notes show it, and it leaves the open list.
    let step = b
        .client
        .find(fantoccini::Locator::Css(
            "#actions tbody tr:last-child input[id^='step-']",
        ))
        .await
        .unwrap()
        .attr("id")
        .await
        .unwrap()
        .unwrap();
    b.fill(&step, "Costs reported to the Board").await;
    b.click("#actions tbody tr:last-child label[for^='close-']")
        .await;
    b.submit("#actions tbody tr:last-child form button").await;
    assert!(
        b.text("#actions")
            .await
            .contains("Costs reported to the Board")
    );
    b.open("/actions").await;
    assert!(
        !b.text("main")
            .await
            .contains("Report on the Games' policing costs")
    );
    // The funds register and a fund, with the forms an officer sees.
    b.follow("Funds").await;
    b.assert_accessible().await;
    b.follow("Invest to Save 2013/14").await;
    assert_eq!(b.text("#remaining").await, "£320,000");
    b.assert_accessible().await;
    b.close().await;

    // A member of the public finds April's notes.
    let public = Browser::start(&server.base).await;
    public.open("/").await;
    public.follow("Boards").await;
    public.follow("Strategic Policing and Crime Board").await;
    public.follow("Tuesday 26 April 2022, 10:00").await;
    assert_eq!(public.client.current_url().await.unwrap().path(), april);
    assert!(
        public
            .text("#notes")
            .await
            .contains("Preparing for the Commonwealth Games")
    );
    assert!(
        public
            .text("#agenda")
            .await
            .contains("Policing the Commonwealth Games")
    );
    public.assert_accessible().await;
    // The paper, and the agenda pack that holds it.
    public.follow("Policing the Games: the plan").await;
    assert_eq!(public.client.current_url().await.unwrap().path(), paper);
    assert!(
        public
            .text("#paper-sections")
            .await
            .contains("Milestones of")
    );
    public.assert_accessible().await;
    public.open(&format!("{april}/pack")).await;
    assert!(
        public
            .text("main")
            .await
            .contains("The force's plan for the Games")
    );
    public.assert_accessible().await;
    public.open("/actions").await;
    public.assert_accessible().await;
    public.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bid_is_decided_at_a_reduced_amount_its_notice_published_and_a_late_return_flagged() {
    use jiff::ToSpan;
    let server = Server::start().await;
    let db = &server._db.db;
    let solihull = safer_store::organisations::find_by_name(db, "Safer Solihull Partnership")
        .await
        .unwrap()
        .unwrap()
        .id;
    let b = Browser::start(&server.base).await;

    // An officer opens a round on the Invest to Save fund, for Safer Solihull.
    sign_in(&b, "officer@west-midlands.example").await;
    b.follow("Funds").await;
    b.follow("Invest to Save 2013/14").await;
    b.assert_accessible().await;
    let (opens, closes) = (
        safer_store::clock::today() - 1.day(),
        safer_store::clock::today() + 30.days(),
    );
    b.fill("name", "Night-time economy").await;
    for (id, d) in [("opens", opens), ("closes", closes)] {
        b.fill(&format!("{id}-day"), &d.day().to_string()).await;
        b.fill(&format!("{id}-month"), &d.month().to_string()).await;
        b.fill(&format!("{id}-year"), &d.year().to_string()).await;
    }
    b.click(&format!("input[name=eligible][value='{solihull}']"))
        .await;
    b.fill("criteria", "Makes evenings safer\nSaves money later")
        .await;
    b.fill("line-limit", "£20,000").await;
    b.submit("form[action$='/rounds'] button").await;
    assert_eq!(b.text("h1").await, "Night-time economy");
    b.assert_accessible().await;
    b.submit("form[action='/sign-out'] button").await;

    // Solihull's manager drafts a bid with cost lines and submits it.
    sign_in(&b, "manager@solihull.example").await;
    b.follow("Funds").await;
    b.follow("Invest to Save 2013/14").await;
    b.follow("Night-time economy").await;
    b.fill("reference", "S2").await;
    b.fill("title", "Street marshals").await;
    b.submit("form[action$='/bids'] button").await;
    b.assert_accessible().await;
    for (id, text) in [
        ("aims", "Safer evenings in Solihull town centre"),
        ("background", "Violence in the town centre at weekends"),
        ("outputs", "Marshals on 40 nights, counted by rota"),
        ("outcomes", "Fewer violent offences, by police data"),
        ("risks", "Recruitment"),
        ("timeline", "January to March"),
        (
            "exit-strategy",
            "The business improvement district pays from April",
        ),
    ] {
        b.fill(id, text).await;
    }
    b.submit("form[action$='/edit'] button").await;
    assert_eq!(b.text("h1").await, "S2 Street marshals");
    // A missing amount, then one over the round's limit, are refused with what to fix.
    b.fill("description", "Marshals, 40 nights").await;
    b.click("#spending").await;
    b.submit("form[action$='/lines'] button").await;
    assert!(
        b.text(".govuk-error-summary")
            .await
            .contains("Enter the amount for this cost line")
    );
    b.assert_accessible().await;
    b.fill("amount", "£25,000").await;
    b.submit("form[action$='/lines'] button").await;
    assert!(
        b.text(".govuk-error-summary")
            .await
            .contains("A cost line must be £20,000 or less in this round")
    );
    b.fill("amount", "£16,000").await;
    b.fill("minimum", "£12,000").await;
    b.submit("form[action$='/lines'] button").await;
    assert_eq!(b.text("#requested").await, "£16,000");
    b.assert_accessible().await;
    // A 1.5 MB plan is attached; a 3 MB budget gets the form back saying how large it may be.
    let files = tempfile::tempdir().unwrap();
    let (plan, budget) = (
        files.path().join("plan.pdf"),
        files.path().join("budget.pdf"),
    );
    std::fs::write(&plan, vec![b'%'; 1_572_864]).unwrap();
    std::fs::write(&budget, vec![b'%'; 3 * 1024 * 1024]).unwrap();
    b.upload("file", &plan).await;
    b.submit("form[action$='/attachments'] button").await;
    assert!(
        b.text("#attachments + ul")
            .await
            .contains("plan.pdf (1536 KB")
    );
    b.upload("file", &budget).await;
    b.submit("form[action$='/attachments'] button").await;
    assert!(
        b.text(".govuk-error-summary")
            .await
            .contains("The file must be smaller than 2 MB")
    );
    assert!(!b.text("main").await.contains("budget.pdf"));
    b.assert_accessible().await;
    b.submit("#submit").await;
    assert_eq!(b.text("#state").await, "Submitted");
    b.submit("form[action='/sign-out'] button").await;

    // An officer reviews it.
    sign_in(&b, "officer@west-midlands.example").await;
    b.follow("Funds").await;
    b.follow("Invest to Save 2013/14").await;
    b.follow("Night-time economy").await;
    b.follow("S2 Street marshals").await;
    b.click("#conflict").await;
    b.choose("score-1", "4").await;
    b.choose("score-2", "3").await;
    b.fill("comment", "Good value; could start with fewer nights")
        .await;
    b.submit("form[action$='/reviews'] button").await;
    assert_eq!(b.text("#state").await, "Under review");
    b.assert_accessible().await;
    b.submit("form[action='/sign-out'] button").await;

    // The decision maker watches the total as they type, then approves at a reduced amount.
    sign_in(&b, "pcc@west-midlands.example").await;
    b.follow("Funds").await;
    b.follow("Invest to Save 2013/14").await;
    b.follow("Night-time economy").await;
    b.follow("Decide on the bids").await;
    b.assert_accessible().await;
    assert_eq!(b.text("#fund-left").await, "£320,000");
    b.click("input[name^='choice-'][value='reduced']").await;
    let round = safer_store::bids::rounds(db, invest_to_save(db).await)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == "Night-time economy")
        .unwrap();
    let pcc = safer_store::users::find_by_email(db, "pcc@west-midlands.example")
        .await
        .unwrap()
        .unwrap();
    let pcc = safer_store::users::load_actor(db, pcc.id)
        .await
        .unwrap()
        .unwrap();
    let bid = safer_store::bids::bids(db, &pcc.scope(), round.id)
        .await
        .unwrap()[0]
        .id;
    let amount = format!("amount-{bid}");
    b.fill(&amount, "£12,000").await;
    assert_eq!(b.text("#decision-total").await, "£12,000");
    assert_eq!(
        b.text("#decision-balance").await,
        "£308,000 left after this decision"
    );
    b.submit("button[value='decide']").await;
    assert!(b.text("h1").await.contains("Night-time economy"));
    assert_eq!(b.text("#approved-total").await, "£12,000");
    b.assert_accessible().await;
    b.click("#confidentiality").await;
    b.fill(
        "executive-summary",
        "Street marshals for Solihull town centre.",
    )
    .await;
    b.fill("signatory", "West Midlands Police and Crime Commissioner")
        .await;
    let today = safer_store::clock::today();
    b.fill("signed-on-day", &today.day().to_string()).await;
    b.fill("signed-on-month", &today.month().to_string()).await;
    b.fill("signed-on-year", &today.year().to_string()).await;
    b.submit("form[action^='/notices/'] button").await;
    b.submit("#publish").await;
    assert_eq!(b.text("#confidentiality-tag").await, "Non-confidential");
    b.submit("form[action='/sign-out'] button").await;

    // North Worcestershire's manager sees its overdue quarterly return flagged, submits it
    // late, and the flag goes.
    sign_in(&b, "manager@north-worcestershire.example").await;
    b.follow("Organisations").await;
    b.follow("North Worcestershire Community Safety Partnership")
        .await;
    assert!(
        b.text("#overdue-returns")
            .await
            .contains("Wyre Forest Keeping Safe Project, Q3 2018/19")
    );
    b.assert_accessible().await;
    b.follow("Wyre Forest Keeping Safe Project, Q3 2018/19")
        .await;
    assert_eq!(b.text("#standing").await, "Overdue");
    b.assert_accessible().await;
    b.fill("spend-1", "£36,000").await;
    b.fill(
        "outputs",
        "Keeping Safe sessions delivered in Wyre Forest schools",
    )
    .await;
    b.fill("narrative", "Delivered to plan; the return was late.")
        .await;
    b.click("#status").await;
    b.submit("form[action^='/returns/'] button").await;
    assert_eq!(b.text("#standing").await, "Submitted late");
    b.assert_accessible().await;
    b.follow("Wyre Forest Keeping Safe Project").await;
    b.assert_accessible().await;
    b.follow("Organisations").await;
    b.follow("North Worcestershire Community Safety Partnership")
        .await;
    assert!(!b.text("main").await.contains("overdue"));
    b.submit("form[action='/sign-out'] button").await;

    // The public reads the notice from the decisions register.
    b.open("/decisions").await;
    b.assert_accessible().await;
    b.submit("#notices a").await;
    assert!(
        b.text("#table-approved")
            .await
            .contains("S2 Street marshals")
    );
    b.assert_accessible().await;
    b.close().await;
}

async fn invest_to_save(db: &safer_store::Db) -> i64 {
    safer_store::funds::funds(db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Invest to Save 2013/14")
        .unwrap()
        .id
}
