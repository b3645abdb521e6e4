//! Minute numbering and actions carried forward, on each database.

use jiff::civil::{date, datetime};
use safer_core::boards::{ActionStatus, BodyKind, MeetingStatus, Standing};
use safer_core::organisations::OrganisationKind;
use safer_store::organisations::{self, NewOrganisation};
use safer_store::{Author, Db, boards};
use safer_test_support::TestDb;

fn author() -> Author {
    Author::system("test")
}

async fn board(db: &Db) -> i64 {
    let org = organisations::create(
        db,
        &author(),
        &NewOrganisation {
            kind: OrganisationKind::PolicingBody,
            name: "West Midlands Office of the Police and Crime Commissioner",
            policing_body_id: None,
            force_area: None,
        },
    )
    .await
    .unwrap();
    boards::create_body(
        db,
        &author(),
        org,
        BodyKind::Board,
        "Strategic Policing and Crime Board",
        "",
    )
    .await
    .unwrap()
}

async fn meeting(db: &Db, body: i64, y: i16, m: i8, d: i8) -> i64 {
    boards::create_meeting(
        db,
        &author(),
        body,
        datetime(y, m, d, 14, 0, 0, 0),
        "Lloyd House, Birmingham",
        MeetingStatus::Held,
    )
    .await
    .unwrap()
}

async fn numbers(db: &Db, meeting: i64) -> Vec<String> {
    boards::minute_items(db, meeting)
        .await
        .unwrap()
        .iter()
        .map(|i| i.number.to_string())
        .collect()
}

#[tokio::test]
async fn minute_numbers_run_on_across_meetings_restart_each_year_and_are_never_reused() {
    let t = TestDb::new().await;
    let body = board(&t.db).await;
    let feb = meeting(&t.db, body, 2022, 2, 22).await;
    let mar = meeting(&t.db, body, 2022, 3, 22).await;
    let next_year = meeting(&t.db, body, 2023, 1, 24).await;
    let mut items = Vec::new();
    for title in [
        "Apologies",
        "Declarations of interest",
        "Notes of the last meeting",
    ] {
        items.push(
            boards::add_minute_item(&t.db, &author(), feb, title, "")
                .await
                .unwrap(),
        );
    }
    assert_eq!(numbers(&t.db, feb).await, ["001/22", "002/22", "003/22"]);
    // A deleted draft leaves a gap: its number is not given out again.
    boards::delete_minute_item(&t.db, &author(), items[2].id)
        .await
        .unwrap();
    for title in ["Public questions", "Performance"] {
        boards::add_minute_item(&t.db, &author(), mar, title, "")
            .await
            .unwrap();
    }
    assert_eq!(numbers(&t.db, feb).await, ["001/22", "002/22"]);
    assert_eq!(numbers(&t.db, mar).await, ["004/22", "005/22"]);
    boards::add_minute_item(&t.db, &author(), next_year, "Apologies", "")
        .await
        .unwrap();
    assert_eq!(numbers(&t.db, next_year).await, ["001/23"]);
    // Another body keeps its own sequence.
    let org = organisations::list(&t.db).await.unwrap()[0].id;
    let panel = boards::create_body(
        &t.db,
        &author(),
        org,
        BodyKind::Panel,
        "Police and Crime Panel",
        "",
    )
    .await
    .unwrap();
    let panel_meeting = meeting(&t.db, panel, 2022, 3, 1).await;
    boards::add_minute_item(&t.db, &author(), panel_meeting, "Apologies", "")
        .await
        .unwrap();
    assert_eq!(numbers(&t.db, panel_meeting).await, ["001/22"]);
}

#[tokio::test]
async fn concurrent_drafting_never_duplicates_a_number() {
    let t = TestDb::new().await;
    let body = board(&t.db).await;
    let feb = meeting(&t.db, body, 2022, 2, 22).await;
    let mar = meeting(&t.db, body, 2022, 3, 22).await;
    let mut tasks = Vec::new();
    for i in 0..24 {
        let db = t.db.clone();
        let meeting = if i % 2 == 0 { feb } else { mar };
        tasks.push(tokio::spawn(async move {
            boards::add_minute_item(&db, &author(), meeting, &format!("Item {i}"), "")
                .await
                .unwrap()
                .number
                .number
        }));
    }
    let mut taken = Vec::new();
    for task in tasks {
        taken.push(task.await.unwrap());
    }
    taken.sort_unstable();
    assert_eq!(taken, (1..=24).collect::<Vec<i64>>());
}

#[tokio::test]
async fn an_action_is_outstanding_until_the_meeting_that_closes_it() {
    let t = TestDb::new().await;
    let body = board(&t.db).await;
    let feb = meeting(&t.db, body, 2022, 2, 22).await;
    let mar = meeting(&t.db, body, 2022, 3, 22).await;
    let apr = meeting(&t.db, body, 2022, 4, 26).await;
    let may = meeting(&t.db, body, 2022, 5, 24).await;
    let item = boards::add_minute_item(&t.db, &author(), feb, "Performance", "")
        .await
        .unwrap();
    let action = boards::raise_action(
        &t.db,
        &author(),
        feb,
        Some(item.id),
        "Report on the stop and search scrutiny panel's findings",
        "Chief Superintendent",
        Some(date(2022, 4, 30)),
    )
    .await
    .unwrap();
    let still_open = boards::raise_action(
        &t.db,
        &author(),
        feb,
        None,
        "Write to the Home Office",
        "PCC",
        None,
    )
    .await
    .unwrap();
    boards::update_action(
        &t.db,
        &author(),
        action,
        date(2022, 3, 22),
        ActionStatus::Open,
        "Panel met; report in April",
    )
    .await
    .unwrap();
    boards::update_action(
        &t.db,
        &author(),
        action,
        date(2022, 4, 26),
        ActionStatus::Closed,
        "Report received",
    )
    .await
    .unwrap();
    let list = |m: i64| {
        let db = t.db.clone();
        async move {
            boards::actions_for_meeting(&db, m)
                .await
                .unwrap()
                .into_iter()
                .map(|(a, s)| (a.id, s))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(feb).await,
        [],
        "nothing is outstanding at the meeting that raises it"
    );
    assert_eq!(
        list(mar).await,
        [
            (action, Standing::Outstanding),
            (still_open, Standing::Outstanding)
        ]
    );
    assert_eq!(
        list(apr).await,
        [
            (action, Standing::ClosedHere),
            (still_open, Standing::Outstanding)
        ]
    );
    assert_eq!(list(may).await, [(still_open, Standing::Outstanding)]);
    // The board's own organisation sees its open actions, the notes being unapproved; the
    // public does not.
    let org = boards::body(&t.db, body)
        .await
        .unwrap()
        .unwrap()
        .organisation_id;
    let owner = organisations::get(&t.db, org)
        .await
        .unwrap()
        .unwrap()
        .owner();
    let officer = safer_core::access::Actor {
        user_id: 0,
        display_name: "Officer".into(),
        memberships: vec![safer_core::access::Membership {
            organisation: owner,
            role: safer_core::access::Role::OpccOfficer,
        }],
    };
    let open: Vec<i64> = boards::open_actions(&t.db, &officer.scope())
        .await
        .unwrap()
        .iter()
        .map(|(a, _)| a.id)
        .collect();
    assert_eq!(open, [still_open]);
    let public = safer_core::access::ReadScope::public();
    let seen = boards::open_actions(&t.db, &public).await.unwrap();
    assert!(seen.iter().all(|(a, _)| a.public), "{seen:?}");
}

#[tokio::test]
async fn the_demo_holds_the_boards_february_notes_and_march_agenda() {
    let t = TestDb::new().await;
    safer_store::demo::load(&t.db).await.unwrap();
    let spcb = boards::bodies(&t.db)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.name == "Strategic Policing and Crime Board")
        .unwrap();
    let meetings = boards::meetings(&t.db, spcb.id).await.unwrap();
    let on = |d: jiff::civil::Date| {
        meetings
            .iter()
            .find(|m| m.starts_at.date() == d)
            .unwrap()
            .clone()
    };
    let february = on(date(2022, 2, 22));
    let numbers: Vec<String> = boards::notes(&t.db, &february, boards::Audience::Public)
        .await
        .unwrap()
        .iter()
        .map(|i| i.number.to_string())
        .collect();
    assert_eq!(numbers.first().map(String::as_str), Some("012/22"));
    assert_eq!(numbers.last().map(String::as_str), Some("023/22"));
    assert_eq!(numbers.len(), 12);
    let questions = boards::questions(&t.db, february.id).await.unwrap();
    assert_eq!(questions.len(), 4);
    assert_eq!(questions[0].submitted_by, "Reg Banks");
    let members = boards::members(&t.db, spcb.id).await.unwrap();
    assert_eq!(members.len(), 4);
    // An interest declared on an item is listed with the meeting's notes.
    let items = boards::minute_items(&t.db, february.id).await.unwrap();
    let declaration = boards::Declaration {
        minute_item_id: items[8].id,
        member: "Charmaine Burton".to_owned(),
        interest: "Trustee of a charity that receives OPCC funding".to_owned(),
    };
    boards::declare(&t.db, &author(), &declaration)
        .await
        .unwrap();
    assert_eq!(
        boards::declarations(&t.db, february.id).await.unwrap(),
        [declaration]
    );
    let attendance = boards::attendance(&t.db, february.id).await.unwrap();
    assert_eq!(attendance.len(), 20);
    let march = on(date(2022, 3, 22));
    assert_eq!(
        boards::agenda(&t.db, &march, boards::Audience::Public)
            .await
            .unwrap()
            .len(),
        11
    );
    assert!(
        boards::notes(&t.db, &march, boards::Audience::Public)
            .await
            .unwrap()
            .is_empty()
    );
    let standings: Vec<Standing> = boards::actions_for_meeting(&t.db, march.id)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(standings, [Standing::ClosedHere, Standing::Outstanding]);
}

/// Publishing freezes the blocks it was given, refuses a paper whose blocks changed since they
/// were rendered, and leaves a published paper unchangeable.
#[tokio::test]
async fn a_paper_is_published_with_every_block_frozen_and_then_never_changes() {
    use safer_core::papers::LiveBlock;
    use safer_store::papers;
    let t = TestDb::new().await;
    let body = board(&t.db).await;
    let march = meeting(&t.db, body, 2022, 3, 22).await;
    let item = boards::add_agenda_item(
        &t.db,
        &author(),
        march,
        &boards::NewAgendaItem {
            section: "",
            starts_at: "",
            title: "Performance",
            description: "",
            presenter: "",
            kind: safer_core::boards::ItemKind::WrittenReport,
            exemption: None,
        },
    )
    .await
    .unwrap();
    let paper = papers::create_paper(&t.db, &author(), item, "Performance report")
        .await
        .unwrap();
    let refused = papers::publish_paper(&t.db, &author(), paper, &[]).await;
    assert!(
        matches!(&refused, Err(safer_store::StoreError::Invalid(m)) if m.contains("at least one section")),
        "{refused:?}"
    );
    papers::add_section(&t.db, &author(), paper, "Purpose", "To inform.", None)
        .await
        .unwrap();
    let block = LiveBlock::PlanMilestones { plan_id: 7 };
    let with_block = papers::add_section(&t.db, &author(), paper, "", "", Some(&block))
        .await
        .unwrap();
    // Rendered before the block was added: refused, and nothing is frozen.
    let refused = papers::publish_paper(&t.db, &author(), paper, &[]).await;
    assert!(
        matches!(&refused, Err(safer_store::StoreError::Invalid(m)) if m.contains("changed while")),
        "{refused:?}"
    );
    let draft = papers::paper(&t.db, paper).await.unwrap().unwrap();
    assert!(!draft.published && draft.sections.iter().all(|s| s.frozen_html.is_none()));

    papers::publish_paper(&t.db, &author(), paper, &[(with_block, "<p>42</p>".into())])
        .await
        .unwrap();
    let published = papers::paper(&t.db, paper).await.unwrap().unwrap();
    assert!(published.published && published.published_at.is_some());
    assert_eq!(published.sections.len(), 2);
    assert_eq!(published.sections[1].block, Some(block));
    assert_eq!(
        published.sections[1].frozen_html.as_deref(),
        Some("<p>42</p>")
    );
    // The agenda is not published yet, so neither is the paper to the public.
    assert!(!published.is_public());
    assert!(
        papers::meeting_papers(&t.db, march, boards::Audience::Public)
            .await
            .unwrap()
            .is_empty()
    );
    boards::publish_agenda(&t.db, &author(), march)
        .await
        .unwrap();
    let published = papers::paper(&t.db, paper).await.unwrap().unwrap();
    assert!(published.is_public());
    assert_eq!(
        papers::meeting_papers(&t.db, march, boards::Audience::Public)
            .await
            .unwrap()
            .len(),
        1
    );

    for refused in [
        papers::add_section(&t.db, &author(), paper, "Later", "An afterthought.", None).await,
        papers::publish_paper(&t.db, &author(), paper, &[(with_block, "<p>43</p>".into())])
            .await
            .map(|()| 0),
    ] {
        assert!(
            matches!(&refused, Err(safer_store::StoreError::Invalid(m)) if m.contains("does not change")),
            "{refused:?}"
        );
    }
    assert_eq!(
        papers::paper(&t.db, paper).await.unwrap().unwrap(),
        published
    );
    assert!(matches!(
        papers::add_section(&t.db, &author(), 9_999, "", "x", None).await,
        Err(safer_store::StoreError::NotFound)
    ));
}

#[tokio::test]
async fn the_demo_holds_solihull_s_scrutiny_panel_of_july_2015_and_the_board_s_march_papers() {
    use safer_store::papers;
    let t = TestDb::new().await;
    safer_store::demo::load(&t.db).await.unwrap();
    let bodies = boards::bodies(&t.db).await.unwrap();
    let panel = bodies
        .iter()
        .find(|b| b.name == "Solihull Crime and Disorder Scrutiny Panel")
        .unwrap();
    assert_eq!(panel.kind, BodyKind::ScrutinyPanel);
    let meetings = boards::meetings(&t.db, panel.id).await.unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].starts_at.date(), date(2015, 7, 22));
    let public = papers::meeting_papers(&t.db, meetings[0].id, boards::Audience::Public)
        .await
        .unwrap();
    let titles: Vec<&str> = public.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "How West Midlands Police contribute to the Safer Solihull Priorities",
            "NHS Solihull Clinical Commissioning Group: contribution to the Partnership Priorities",
            "Public Place Violence (PPV) and the Night Time Economy",
            "ASB Act 2014 one year on",
        ]
    );
    assert!(
        public[2].sections[0]
            .body
            .starts_with("There have been 172 offences year to date")
    );

    // The board's March papers: the work plan published, the VAWG paper a draft with live blocks.
    let spcb = bodies
        .iter()
        .find(|b| b.name == "Strategic Policing and Crime Board")
        .unwrap();
    let march = boards::meetings(&t.db, spcb.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.starts_at.date() == date(2022, 3, 22))
        .unwrap();
    let all = papers::meeting_papers(&t.db, march.id, boards::Audience::Secretariat)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let draft = all.iter().find(|p| !p.published).unwrap();
    assert_eq!(
        draft.sections.iter().filter(|s| s.block.is_some()).count(),
        2
    );
    let public = papers::meeting_papers(&t.db, march.id, boards::Audience::Public)
        .await
        .unwrap();
    assert_eq!(public.len(), 1);
    assert_eq!(public[0].title, "SPCB Workplan and Actions");
}
