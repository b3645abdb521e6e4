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
    let open: Vec<i64> = boards::open_actions(&t.db)
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(open, [still_open]);
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
