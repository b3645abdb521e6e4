//! Commissioning over HTTP: an officer opens a round; a partnership manager writes and submits
//! a bid with cost lines (told what to fix, and refused a stale save from a second tab); an
//! officer reviews it and records the board's comment; the decision maker is refused a
//! decision over what the fund has left, approves at a reduced amount, and signs and publishes
//! the Notice of Decision.

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use jiff::ToSpan;
use safer_store::clock;

fn hidden(page: &Page, form_action: &str, name: &str) -> String {
    let selector = scraper::Selector::parse(&format!(
        "form[action=\"{form_action}\"] input[name=\"{name}\"]"
    ))
    .unwrap();
    page.html()
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

fn errors(page: &Page) -> String {
    page.text(".govuk-error-summary")
}

pub(crate) async fn invest_to_save(app: &TestApp) -> i64 {
    safer_store::funds::funds(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Invest to Save 2013/14")
        .unwrap()
        .id
}

/// Opens a round on the fund, open from yesterday for a month, for Safer Solihull, with a
/// £20,000 limit on a cost line.
pub(crate) async fn open_round(app: &TestApp, officer: &mut Client, fund: i64) -> String {
    let solihull =
        safer_store::organisations::find_by_name(&app.state.db, "Safer Solihull Partnership")
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
    let path = format!("/funds/{fund}/rounds");
    let page = app
        .post(
            officer,
            &path,
            &[
                ("name", "Night-time economy"),
                ("opens-day", "1"),
                ("opens-month", "12"),
                ("opens-year", "2026"),
                ("closes-day", "1"),
                ("closes-month", "11"),
                ("closes-year", "2026"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = errors(&page);
    assert!(
        summary.contains("The closing date must be on or after the opening date"),
        "{summary}"
    );
    assert!(
        summary.contains("Enter at least one criterion"),
        "{summary}"
    );
    let (opens, closes) = (clock::today() - 1.day(), clock::today() + 30.days());
    let page = app
        .post(
            officer,
            &path,
            &[
                ("name", "Night-time economy"),
                ("opens-day", &opens.day().to_string()),
                ("opens-month", &opens.month().to_string()),
                ("opens-year", &opens.year().to_string()),
                ("closes-day", &closes.day().to_string()),
                ("closes-month", &closes.month().to_string()),
                ("closes-year", &closes.year().to_string()),
                ("eligible", &solihull),
                ("criteria", "Makes evenings safer\nSaves money later"),
                ("line-limit", "£20,000"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    page.location().to_owned()
}

#[tokio::test]
async fn a_bid_goes_from_draft_to_a_published_notice_at_a_reduced_amount() {
    let app = TestApp::new().await;
    let fund = invest_to_save(&app).await;
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let round = open_round(&app, &mut officer, fund).await;
    let mut public = Client::default();
    let page = app.get(&mut public, &round).await;
    assert!(page.text("#criteria").contains("Makes evenings safer"));
    assert_eq!(page.text("#table-bids"), "");

    // A partnership manager starts a bid and writes it.
    let mut manager = app.sign_in("manager@solihull.example").await;
    let page = app.get(&mut manager, &round).await;
    assert!(page.body.contains("Start a bid"), "{}", page.body);
    let page = app
        .post(&mut manager, &format!("{round}/bids"), &[("title", "")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errors(&page).contains("Enter the bid's title"));
    let page = app
        .post(
            &mut manager,
            &format!("{round}/bids"),
            &[("title", "Street marshals"), ("reference", "S2")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let edit = page.location().to_owned();
    let bid = edit.trim_end_matches("/edit").to_owned();

    // Two tabs open the form; the second save is refused, not silently applied.
    let tab_one = app.get(&mut manager, &edit).await;
    let version = hidden(&tab_one, &edit, "version");
    let fields = |aims: &'static str| {
        vec![
            ("title", "Street marshals"),
            ("reference", "S2"),
            ("aims", aims),
            ("background", "Violence in the town centre at weekends"),
            ("outputs", "Marshals on 40 nights, counted by rota"),
            ("outcomes", "Fewer violent offences, by police data"),
            ("risks", "Recruitment"),
            ("timeline", "January to March"),
        ]
    };
    // The form offers Safer Solihull's own plan priorities as well as the PCC's objectives.
    let priority = tab_one
        .html()
        .select(&scraper::Selector::parse("input[name=priorities]").unwrap())
        .next()
        .and_then(|i| i.value().attr("value").map(str::to_owned))
        .expect("the partnership's plan priorities are offered");
    let mut first = fields("Safer evenings");
    first.push(("version", &version));
    first.push(("priorities", &priority));
    let page = app.post(&mut manager, &edit, &first).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let mut second = fields("Overwritten from the second tab");
    second.push(("version", &version));
    let page = app.post(&mut manager, &edit, &second).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("Someone else changed this first"));
    let page = app.get(&mut manager, &bid).await;
    assert!(page.body.contains("Safer evenings") && !page.body.contains("Overwritten"));
    assert!(
        page.body
            .contains("Partnership plan priorities it supports")
    );

    // Cost lines: a missing amount and one over the round's limit are refused.
    let lines = format!("{bid}/lines");
    let version = hidden(&page, &lines, "version");
    let page = app
        .post(
            &mut manager,
            &lines,
            &[
                ("description", "Marshals"),
                ("spending", "revenue"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errors(&page).contains("Enter the amount for this cost line"));
    let page = app
        .post(
            &mut manager,
            &lines,
            &[
                ("description", "Marshals"),
                ("amount", "£25,000"),
                ("spending", "revenue"),
                ("version", &version),
            ],
        )
        .await;
    assert!(
        errors(&page).contains("A cost line must be £20,000 or less in this round"),
        "{}",
        errors(&page)
    );
    for (description, amount, least) in [
        ("Marshals, 40 nights", "£16,000", "£12,000"),
        ("Radios", "2,000", ""),
    ] {
        let page = app.get(&mut manager, &bid).await;
        let version = hidden(&page, &lines, "version");
        let page = app
            .post(
                &mut manager,
                &lines,
                &[
                    ("description", description),
                    ("amount", amount),
                    (
                        "spending",
                        if least.is_empty() {
                            "capital"
                        } else {
                            "revenue"
                        },
                    ),
                    ("minimum", least),
                    ("version", &version),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    }
    let page = app.get(&mut manager, &bid).await;
    assert_eq!(page.text("#requested"), "£18,000");
    assert_eq!(page.text("#least"), "£14,000");

    // A file is attached; only the kinds a board can open are taken.
    let attach = format!("{bid}/attachments");
    let page = app
        .post_file(&mut manager, &attach, "setup.exe", b"MZ")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errors(&page).contains("The file must be a PDF, Word, Excel"));
    let page = app
        .post_file(
            &mut manager,
            &attach,
            "Marshals costing.pdf",
            b"%PDF-1.4 costing",
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    let page = app.get(&mut manager, &bid).await;
    let link = page
        .html()
        .select(&scraper::Selector::parse("#attachments + ul a").unwrap())
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_owned))
        .unwrap();
    let file = app.get(&mut manager, &link).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, "%PDF-1.4 costing");
    assert_eq!(
        app.get(&mut officer, &link).await.status,
        StatusCode::NOT_FOUND,
        "a draft's files are the applicant's own"
    );

    // Submission needs the whole case: the exit strategy is missing.
    let submit = format!("{bid}/submit");
    let version = hidden(&page, &submit, "version");
    let page = app
        .post(&mut manager, &submit, &[("version", &version)])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errors(&page)
            .contains("Enter what will happen when the funding ends before you submit the bid"),
        "{}",
        errors(&page)
    );
    let mut whole = fields("Safer evenings");
    whole.push(("exit-strategy", "The BID levy pays from April"));
    whole.push(("version", &version));
    assert_eq!(
        app.post(&mut manager, &edit, &whole).await.status,
        StatusCode::SEE_OTHER
    );
    let page = app.get(&mut manager, &bid).await;
    let version = hidden(&page, &submit, "version");
    let page = app
        .post(&mut manager, &submit, &[("version", &version)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    assert_eq!(
        app.get(&mut manager, &bid).await.text("#state"),
        "Submitted"
    );
    // Another partnership's manager cannot see it.
    let mut dudley = app.sign_in("manager@dudley.example").await;
    assert_eq!(
        app.get(&mut dudley, &bid).await.status,
        StatusCode::NOT_FOUND
    );

    // An officer reviews it and records the board's comment.
    let reviews = format!("{bid}/reviews");
    let page = app
        .post(
            &mut officer,
            &reviews,
            &[("conflict", "no"), ("score-1", "4")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errors(&page).contains("Score the bid from 1 to 5 against ‘Saves money later’"));
    let page = app
        .post(
            &mut officer,
            &reviews,
            &[
                ("conflict", "no"),
                ("score-1", "4"),
                ("score-2", "3"),
                ("comment", "Good value"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    let meeting = crate::support::spcb(&app.state.db).await.id;
    let meeting = safer_store::boards::meetings(&app.state.db, meeting)
        .await
        .unwrap()[0]
        .id;
    let page = app
        .post(
            &mut officer,
            &format!("{bid}/comments"),
            &[
                ("meeting", &meeting.to_string()),
                ("board-comment", "Support, at a reduced amount"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = app.get(&mut manager, &bid).await;
    assert_eq!(page.text("#state"), "Under review");
    assert!(page.body.contains("Support, at a reduced amount"));
    assert!(
        !page.body.contains("Good value"),
        "reviews are the OPCC's own"
    );

    // The decision maker: over what is left is refused by how much; then a reduced amount.
    let today = clock::today();
    let mut pcc = app.sign_in("pcc@west-midlands.example").await;
    let decision = format!("{round}/decision");
    let page = app.get(&mut pcc, &decision).await;
    assert_eq!(page.text("#fund-left"), "£320,000");
    let bid_id = bid.trim_start_matches("/bids/");
    let choice = format!("choice-{bid_id}");
    let amount = format!("amount-{bid_id}");
    let page = app
        .post(&mut pcc, &decision, &[("action", "reduced")])
        .await;
    assert_eq!(page.text("#decision-total"), "£14,000");
    let page = app
        .post(
            &mut pcc,
            &decision,
            &[
                (&choice, "reduced"),
                (&amount, "£19,000"),
                ("action", "check"),
            ],
        )
        .await;
    assert!(
        errors(&page).contains("less than the £18,000 asked for"),
        "{}",
        errors(&page)
    );
    let page = app
        .post(
            &mut pcc,
            &decision,
            &[(&choice, "full"), ("action", "check")],
        )
        .await;
    assert_eq!(
        page.text("#decision-balance"),
        "£302,000 left after this decision"
    );

    // The demo round's thirteen bids in full are £189,260 more than the fund has left.
    let demo_round = safer_store::bids::rounds(&app.state.db, fund)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name.starts_with("Invest to Save"))
        .unwrap();
    let demo_decision = format!("/rounds/{}/decision", demo_round.id);
    let pcc_actor = app.actor("pcc@west-midlands.example").await;
    let demo_bids = safer_store::bids::bids(&app.state.db, &pcc_actor.scope(), demo_round.id)
        .await
        .unwrap();
    let names: Vec<String> = demo_bids
        .iter()
        .map(|b| format!("choice-{}", b.id))
        .collect();
    let mut all: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "full")).collect();
    all.extend([
        ("action", "decide"),
        ("title", "Invest to Save"),
        ("decided-on-day", "12"),
        ("decided-on-month", "11"),
        ("decided-on-year", "2013"),
    ]);
    let page = app.post(&mut pcc, &demo_decision, &all).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errors(&page).contains(
            "That is £189,260 more than the fund has left (£320,000 of its budget is uncommitted)"
        ),
        "{}",
        errors(&page)
    );

    let page = app
        .post(
            &mut pcc,
            &decision,
            &[
                (&choice, "reduced"),
                (&amount, "£12,000"),
                ("action", "decide"),
                ("title", "Night-time economy: business cases"),
                ("decided-on-day", &today.day().to_string()),
                ("decided-on-month", &today.month().to_string()),
                ("decided-on-year", &today.year().to_string()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    let notice = page.location().to_owned();
    assert_eq!(
        app.get(&mut public, &notice).await.status,
        StatusCode::NOT_FOUND
    );
    let page = app.get(&mut pcc, &notice).await;
    assert!(
        page.text("h1")
            .contains("Night-time economy: business cases")
    );
    assert_eq!(page.text("#approved-total"), "£12,000");
    let fund_page = app.get(&mut public, &format!("/funds/{fund}")).await;
    assert_eq!(fund_page.text("#remaining"), "£308,000");
    assert_eq!(
        app.get(&mut manager, &bid).await.text("#state"),
        "Approved at a reduced amount"
    );

    // Published once non-confidential and signed.
    let publish = format!("{notice}/publish");
    let page = app.post(&mut pcc, &publish, &[]).await;
    assert!(errors(&page).contains("Mark the notice non-confidential before you publish it"));
    let page = app
        .post(
            &mut pcc,
            &notice,
            &[
                ("title", "Night-time economy: business cases"),
                (
                    "executive-summary",
                    "Street marshals for Solihull town centre.",
                ),
                ("financial", "£12,000 from the Invest to Save budget."),
                (
                    "legal",
                    "Schedule 9 of the Police Reform and Social Responsibility Act 2011.",
                ),
                ("equality", "None."),
                ("confidentiality", "non-confidential"),
                ("signatory", "West Midlands Police and Crime Commissioner"),
                ("signed-on-day", &today.day().to_string()),
                ("signed-on-month", &today.month().to_string()),
                ("signed-on-year", &today.year().to_string()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    assert_eq!(
        app.post(&mut pcc, &publish, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let page = app.get(&mut public, &notice).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#table-approved").contains("S2 Street marshals"));
    let register = app.get(&mut public, "/decisions").await;
    assert!(
        register.text("#notices").contains("001/"),
        "{}",
        register.text("#notices")
    );
    let feed = app.get(&mut public, "/decisions.atom").await;
    assert!(feed.body.contains("Notice of Decision 001/"));
    // Published, it is fixed.
    let page = app.post(&mut pcc, &notice, &[("title", "Changed")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The id of the organisation named.
async fn organisation(app: &TestApp, name: &str) -> i64 {
    safer_store::organisations::find_by_name(&app.state.db, name)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn a_grant_is_managed_and_its_late_return_flagged_until_it_is_in() {
    let app = TestApp::new().await;
    let fund = invest_to_save(&app).await;
    let solihull = organisation(&app, "Safer Solihull Partnership").await;
    let wm = organisation(
        &app,
        "West Midlands Office of the Police and Crime Commissioner",
    )
    .await;
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let make = format!("/funds/{fund}/grants");
    let page = app
        .post(&mut officer, &make, &[("title", "Caseworker")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Select the organisation that receives the grant",
        "Enter the amount in pounds, like £25,000",
        "Select how often the recipient reports",
    ] {
        assert!(errors(&page).contains(message), "{}", errors(&page));
    }
    // A year's grant that began fifteen months ago: its first returns are past due.
    let start = clock::today() - 15.months();
    let end = start + 1.year() - 1.day();
    let d = |x: jiff::civil::Date| {
        [
            x.day().to_string(),
            x.month().to_string(),
            x.year().to_string(),
        ]
    };
    let (s, e) = (d(start), d(end));
    let page = app
        .post(
            &mut officer,
            &make,
            &[
                ("title", "Violent crime caseworker"),
                ("recipient", &solihull.to_string()),
                ("amount", "£40,000"),
                ("awarded-on-day", &s[0]),
                ("awarded-on-month", &s[1]),
                ("awarded-on-year", &s[2]),
                ("starts-on-day", &s[0]),
                ("starts-on-month", &s[1]),
                ("starts-on-year", &s[2]),
                ("ends-on-day", &e[0]),
                ("ends-on-month", &e[1]),
                ("ends-on-year", &e[2]),
                ("payment-basis", "advance"),
                ("monitoring", "quarterly"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    let grant = page.location().to_owned();
    let mut public = Client::default();
    let page = app.get(&mut public, &grant).await;
    assert_eq!(page.text("#worth"), "£40,000");
    assert!(
        !page.body.contains("Monitoring returns"),
        "returns are not public"
    );
    assert!(
        app.get(&mut public, "/grants")
            .await
            .text("#table-grants")
            .contains("Violent crime caseworker")
    );

    // Payments are held to what the grant is worth; a variation adds to it from the fund.
    let page = app
        .post(
            &mut officer,
            &format!("{grant}/payments"),
            &[
                ("payment-due-day", &s[0]),
                ("payment-due-month", &s[1]),
                ("payment-due-year", &s[2]),
                ("payment-amount", "£45,000"),
            ],
        )
        .await;
    assert!(
        errors(&page).contains("That is £5,000 more than is left to schedule"),
        "{}",
        errors(&page)
    );
    let page = app
        .post(
            &mut officer,
            &format!("{grant}/variations"),
            &[
                ("description", "Two more months of casework"),
                ("extra", "£5,000"),
                ("approved-on-day", &s[0]),
                ("approved-on-month", &s[1]),
                ("approved-on-year", &s[2]),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    let page = app
        .post(
            &mut officer,
            &format!("{grant}/payments"),
            &[
                ("payment-due-day", &s[0]),
                ("payment-due-month", &s[1]),
                ("payment-due-year", &s[2]),
                ("payment-amount", "£45,000"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    let page = app.get(&mut officer, &grant).await;
    assert_eq!(page.text("#worth"), "£45,000");
    assert!(page.text("#table-returns").contains("Overdue"));

    // The overdue returns are flagged to the partnership and to the OPCC, not the public.
    let mut manager = app.sign_in("manager@solihull.example").await;
    let flagged = app
        .get(&mut manager, &format!("/organisations/{solihull}"))
        .await
        .text("#overdue-returns");
    assert!(flagged.contains("Violent crime caseworker"), "{flagged}");
    assert!(
        app.get(&mut officer, &format!("/organisations/{wm}"))
            .await
            .text("#overdue-returns")
            .contains("Violent crime caseworker")
    );
    assert_eq!(
        app.get(&mut public, &format!("/organisations/{solihull}"))
            .await
            .text("#overdue-returns"),
        ""
    );

    // The manager submits the returns late; the flag goes and each reads "Submitted late".
    let grant_record = safer_store::grants::grant(
        &app.state.db,
        grant.trim_start_matches("/grants/").parse().unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let opcc = app.actor("officer@west-midlands.example").await;
    let returns = safer_store::grants::monitoring(&app.state.db, &opcc.scope(), &grant_record)
        .await
        .unwrap()
        .unwrap()
        .returns;
    let overdue: Vec<i64> = returns
        .iter()
        .filter(|r| r.due_on < clock::today())
        .map(|r| r.id)
        .collect();
    assert!(!overdue.is_empty());
    let page = app
        .post(
            &mut manager,
            &format!("/returns/{}", overdue[0]),
            &[("spend-1", "lots")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        errors(&page)
            .contains("Enter the spend to date on ‘Violent crime caseworker’ in pounds, or 0")
    );
    for id in &overdue {
        let page = app
            .post(
                &mut manager,
                &format!("/returns/{id}"),
                &[
                    ("spend-1", "£10,000"),
                    ("outputs", "42 victims supported"),
                    ("narrative", "Caseworker in post"),
                    ("status", "on_track"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
        assert_eq!(
            app.get(&mut manager, &format!("/returns/{id}"))
                .await
                .text("#standing"),
            "Submitted late"
        );
    }
    assert_eq!(
        app.get(&mut manager, &format!("/organisations/{solihull}"))
            .await
            .text("#overdue-returns"),
        ""
    );
    // Another partnership cannot read the returns.
    let mut dudley = app.sign_in("manager@dudley.example").await;
    assert_eq!(
        app.get(&mut dudley, &format!("/returns/{}", overdue[0]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The recipient's evaluation, once.
    let evaluate = format!("{grant}/evaluation");
    let fields = [
        ("spend", "£45,000"),
        ("outputs", "180 victims supported"),
        ("outcomes", "Fewer repeat victims"),
    ];
    assert_eq!(
        app.post(&mut manager, &evaluate, &fields).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post(&mut manager, &evaluate, &fields).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_api_gives_rounds_bids_and_grants_with_the_pages_scoping() {
    let app = TestApp::new().await;
    let fund = invest_to_save(&app).await;
    let round = safer_store::bids::rounds(&app.state.db, fund)
        .await
        .unwrap()[0]
        .id;
    let mut public = Client::default();
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let json = |page: &Page| serde_json::from_str::<serde_json::Value>(&page.body).unwrap();
    let seen = json(
        &app.get(&mut officer, &format!("/api/v1/rounds/{round}"))
            .await,
    );
    let bids = seen["bids"].as_array().unwrap();
    assert_eq!(bids.len(), 13);
    let requested: i64 = bids.iter().map(|b| b["requested"].as_i64().unwrap()).sum();
    assert_eq!(requested, 50_926_000);
    let b1 = bids.iter().find(|b| b["reference"] == "B1").unwrap();
    assert_eq!(b1["least"], 9_000_000);
    let public_round = json(
        &app.get(&mut public, &format!("/api/v1/rounds/{round}"))
            .await,
    );
    assert_eq!(public_round["bids"].as_array().unwrap().len(), 0);
    assert_eq!(public_round["criteria"].as_array().unwrap().len(), 3);
    let bid = format!("/api/v1/bids/{}", b1["id"]);
    assert_eq!(
        json(&app.get(&mut officer, &bid).await)["lines"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(
        app.get(&mut public, &bid).await.status,
        StatusCode::NOT_FOUND
    );

    let grants = json(&app.get(&mut public, "/api/v1/grants").await);
    let wyre = grants
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["title"] == "Wyre Forest Keeping Safe Project")
        .unwrap();
    let path = format!("/api/v1/grants/{}", wyre["id"]);
    assert!(json(&app.get(&mut public, &path).await)["returns"].is_null());
    let mut nw = app.sign_in("manager@north-worcestershire.example").await;
    let doc = json(&app.get(&mut nw, &path).await);
    let returns = doc["returns"].as_array().unwrap();
    assert_eq!(returns.len(), 4);
    assert!(returns[2]["submitted_on"].is_null() && returns[3]["report"]["status"] == "on_track");
    let ret = format!("/api/v1/returns/{}", returns[2]["id"]);
    assert_eq!(app.get(&mut nw, &ret).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&mut officer, &ret).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_fund_report_totals_requested_against_approved_and_downloads_as_csv() {
    let app = TestApp::new().await;
    let fund = invest_to_save(&app).await;
    let round = safer_store::bids::rounds(&app.state.db, fund)
        .await
        .unwrap()[0]
        .id;
    let report = format!("/funds/{fund}/report");
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let page = app.get(&mut officer, &report).await;
    let table = page.text(&format!("#table-round-{round}"));
    assert!(table.contains("Safer Sandwell Partnership"), "{table}");
    assert!(table.contains("£509,260"), "{table}");
    let csv = app
        .get(&mut officer, &format!("{report}/csv?table=round-{round}"))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body
            .contains("Safer Sandwell Partnership,5,\"£101,260\",£0"),
        "{}",
        csv.body
    );
    assert!(
        csv.body.contains("Total,13,\"£509,260\",£0"),
        "{}",
        csv.body
    );
    let mut public = Client::default();
    let page = app.get(&mut public, &report).await;
    assert_eq!(
        page.text(&format!("#table-round-{round}")),
        "",
        "bids are not public"
    );
    // West Mercia's fund: its grants, spend against award and the one overdue return, to the
    // partnership that owes it.
    let mercia = safer_store::funds::funds(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name.starts_with("PCC grant to North Worcestershire"))
        .unwrap()
        .id;
    let mut nw = app.sign_in("manager@north-worcestershire.example").await;
    let page = app.get(&mut nw, &format!("/funds/{mercia}/report")).await;
    let progress = page.text("#table-grants-progress");
    assert!(progress.contains("£443,583"), "{progress}");
    // Each grant's final return reports its whole award spent.
    assert!(progress.contains("100%"), "{progress}");
    let csv = app
        .get(
            &mut nw,
            &format!("/funds/{mercia}/report/csv?table=grants-progress"),
        )
        .await
        .body;
    let wyre = csv.lines().find(|l| l.starts_with("Wyre Forest")).unwrap();
    assert!(
        wyre.ends_with("100%,1,1"),
        "one return outstanding, and overdue: {wyre}"
    );
    // The public sees the awards but not the monitoring.
    let public_csv = app
        .get(
            &mut public,
            &format!("/funds/{mercia}/report/csv?table=grants-progress"),
        )
        .await
        .body;
    assert!(!public_csv.contains("100%"), "{public_csv}");
}

#[tokio::test]
async fn a_draft_paper_shows_a_fund_s_allocations_live() {
    let app = TestApp::new().await;
    let paper = format!(
        "/papers/{}",
        app.demo_paper("Violence Against Women and Girls: delivery and performance")
            .await
    );
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let sections = format!("{paper}/sections");
    let page = app
        .post(
            &mut officer,
            &sections,
            &[("block", "fund_allocations"), ("fund", "")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(errors(&page).contains("Select a fund"));
    let fund = invest_to_save(&app).await.to_string();
    let page = app
        .post(
            &mut officer,
            &sections,
            &[
                ("heading", "Invest to Save: the bids"),
                ("block", "fund_allocations"),
                ("fund", &fund),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", errors(&page));
    let shown = app.get(&mut officer, &paper).await.text("#paper-sections");
    assert!(
        shown.contains("requested against approved by partnership"),
        "{shown}"
    );
    assert!(shown.contains("£509,260"), "{shown}");
    let victims = safer_store::funds::funds(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Victims Fund 2015/16")
        .unwrap()
        .id
        .to_string();
    let page = app
        .post(
            &mut officer,
            &sections,
            &[("block", "fund_allocations"), ("fund", &victims)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let shown = app.get(&mut officer, &paper).await.text("#paper-sections");
    assert!(
        shown.contains("Sandwell Women's Aid") && shown.contains("£816,889"),
        "{shown}"
    );
}
