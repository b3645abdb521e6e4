use jiff::civil::date;
use safer_core::access::{Actor, Membership, ReadScope};
use safer_core::plans::{Due, MilestoneDetails, MilestoneStatus, Progress};
use safer_store::{Author, StoreError, audit, demo, organisations, plans, users};
use safer_test_support::TestDb;

async fn demo_db() -> TestDb {
    let t = TestDb::new().await;
    demo::load(&t.db).await.expect("demo data loads");
    t
}

async fn actor(t: &TestDb, email: &str) -> Actor {
    let user = users::find_by_email(&t.db, email).await.unwrap().unwrap();
    users::load_actor(&t.db, user.id).await.unwrap().unwrap()
}

async fn plan_id(t: &TestDb, title: &str) -> i64 {
    plans::list(&t.db, &ReadScope::public()).await.unwrap();
    let officer = actor(t, "officer@west-midlands.example").await;
    let nw = actor(t, "manager@north-worcestershire.example").await;
    let mut all = plans::list(&t.db, &officer.scope()).await.unwrap();
    all.extend(plans::list(&t.db, &nw.scope()).await.unwrap());
    all.into_iter()
        .find(|p| p.title == title)
        .unwrap_or_else(|| panic!("no plan {title}"))
        .id
}

#[tokio::test]
async fn the_demo_holds_the_seed_papers_plans() {
    let t = demo_db().await;
    let orgs = organisations::list(&t.db).await.unwrap();
    assert_eq!(
        orgs.iter()
            .filter(|o| o.kind == safer_core::organisations::OrganisationKind::Partnership)
            .count(),
        8
    );
    let gangs = plan_id(&t, "Police and Crime Plan 2015/16").await;
    let doc = plans::document(&t.db, &ReadScope::public(), gangs)
        .await
        .unwrap()
        .unwrap();
    let milestones = &doc.priorities[0].deliverables[0].milestones;
    assert_eq!(milestones.len(), 9);
    assert_eq!(milestones[1].due.text, "March–June 2016");
    assert_eq!(milestones[1].due.to, Some(date(2016, 6, 30)));
    let nw = plan_id(
        &t,
        "North Worcestershire Community Safety Partnership Plan 2017–20",
    )
    .await;
    let nw_manager = actor(&t, "manager@north-worcestershire.example").await;
    let doc = plans::document(&t.db, &nw_manager.scope(), nw)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc.priorities.len(), 5);
    assert_eq!(
        doc.priorities[0]
            .supports
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>(),
        [
            "Child sexual exploitation",
            "Domestic abuse",
            "Sexual offences"
        ]
    );
}

#[tokio::test]
async fn partnership_plans_are_read_only_within_scope() {
    let t = demo_db().await;
    let solihull = plan_id(&t, "Safer Solihull Partnership Plan 2015/16").await;
    let manager = actor(&t, "manager@solihull.example").await;
    let dudley = actor(&t, "manager@dudley.example").await;
    let officer = actor(&t, "officer@west-midlands.example").await;
    let mercia = actor(&t, "manager@north-worcestershire.example").await;
    assert!(
        plans::document(&t.db, &manager.scope(), solihull)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        plans::document(&t.db, &officer.scope(), solihull)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        plans::document(&t.db, &dudley.scope(), solihull)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        plans::document(&t.db, &mercia.scope(), solihull)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        plans::document(&t.db, &ReadScope::public(), solihull)
            .await
            .unwrap()
            .is_none()
    );
    let listed = plans::list(&t.db, &dudley.scope()).await.unwrap();
    assert!(listed.iter().all(|p| p.id != solihull));
    let doc = plans::document(&t.db, &manager.scope(), solihull)
        .await
        .unwrap()
        .unwrap();
    let milestone = doc.priorities[0].deliverables[0].milestones[0].id;
    assert!(
        plans::milestone(&t.db, &dudley.scope(), milestone)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        plans::milestone(&t.db, &manager.scope(), milestone)
            .await
            .unwrap()
            .is_some()
    );
    let deliverable = doc.priorities[0].deliverables[0].id;
    assert!(
        plans::deliverable(&t.db, &dudley.scope(), deliverable)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        plans::priority(&t.db, &dudley.scope(), doc.priorities[0].id)
            .await
            .unwrap()
            .is_none()
    );
}

fn details(title: &str) -> MilestoneDetails {
    MilestoneDetails {
        title: title.into(),
        description: String::new(),
        due: Due::parse_period("June 2016").unwrap(),
        status: MilestoneStatus::OnTrack,
    }
}

#[tokio::test]
async fn milestones_are_added_in_order_updated_once_per_version_and_keep_their_history() {
    let t = demo_db().await;
    let manager = actor(&t, "manager@solihull.example").await;
    let me = Author::user(manager.user_id, &manager.display_name);
    let solihull = plan_id(&t, "Safer Solihull Partnership Plan 2015/16").await;
    let doc = plans::document(&t.db, &manager.scope(), solihull)
        .await
        .unwrap()
        .unwrap();
    let deliverable = doc.priorities[1].deliverables[0].id;
    let id = plans::add_milestone(
        &t.db,
        &me,
        deliverable,
        &details("Vehicle seizures reviewed"),
    )
    .await
    .unwrap();
    let m = plans::milestone(&t.db, &manager.scope(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((m.milestone.position, m.milestone.version), (2, 1));
    assert_eq!(m.plan.organisation_name, "Safer Solihull Partnership");

    plans::update_milestone(
        &t.db,
        &me,
        id,
        1,
        &details("Vehicle seizures reviewed quarterly"),
    )
    .await
    .unwrap();
    let stale = plans::update_milestone(&t.db, &me, id, 1, &details("A stale edit")).await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");

    plans::record_progress(
        &t.db,
        &me,
        id,
        &Progress {
            status: MilestoneStatus::AtRisk,
            note: "Hire firms slow to respond".into(),
        },
        date(2016, 5, 1),
    )
    .await
    .unwrap();
    plans::record_progress(
        &t.db,
        &me,
        id,
        &Progress {
            status: MilestoneStatus::Done,
            note: "Review complete".into(),
        },
        date(2016, 6, 20),
    )
    .await
    .unwrap();
    let m = plans::milestone(&t.db, &manager.scope(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.milestone.title, "Vehicle seizures reviewed quarterly");
    assert_eq!(m.milestone.status, MilestoneStatus::Done);
    assert_eq!(
        m.updates
            .iter()
            .map(|u| u.note.as_str())
            .collect::<Vec<_>>(),
        ["Review complete", "Hire firms slow to respond"]
    );
    assert_eq!(m.updates[0].author, "Priya Manager");

    let events = audit::list(
        &t.db,
        &audit::AuditFilter {
            record_type: Some("milestone".into()),
            record_id: Some(id),
            ..Default::default()
        },
        10,
        0,
    )
    .await
    .unwrap();
    assert_eq!(
        events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["record_progress", "record_progress", "update", "create"]
    );
    assert!(
        events[2]
            .before_json
            .as_deref()
            .unwrap()
            .contains("Vehicle seizures reviewed\"")
    );
    assert!(
        events
            .iter()
            .all(|e| e.organisation_id == Some(m.plan.organisation_id))
    );
}

#[tokio::test]
async fn a_failed_write_leaves_neither_the_change_nor_its_audit_event() {
    let t = demo_db().await;
    let before = audit::list(&t.db, &Default::default(), 1, 0).await.unwrap()[0].id;
    let missing_deliverable = 9_999_999;
    let result = plans::add_milestone(
        &t.db,
        &Author::system("test"),
        missing_deliverable,
        &details("Orphan"),
    )
    .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    let not_pcc = plans::set_priority_links(&t.db, &Author::system("test"), 1, &[9_999]).await;
    assert!(
        matches!(not_pcc, Err(StoreError::Invalid(_))),
        "{not_pcc:?}"
    );
    assert_eq!(
        audit::list(&t.db, &Default::default(), 1, 0).await.unwrap()[0].id,
        before
    );
}

#[tokio::test]
async fn priorities_link_only_to_police_and_crime_plan_objectives() {
    let t = demo_db().await;
    let officer = actor(&t, "officer@west-midlands.example").await;
    let wm = officer
        .memberships
        .iter()
        .map(|m: &Membership| m.organisation.id)
        .next()
        .unwrap();
    let objectives = plans::police_and_crime_objectives(&t.db, wm).await.unwrap();
    assert_eq!(
        objectives.len(),
        10,
        "the ten objectives that seed 002's bids cite"
    );
    let solihull = plan_id(&t, "Safer Solihull Partnership Plan 2015/16").await;
    let doc = plans::document(&t.db, &officer.scope(), solihull)
        .await
        .unwrap()
        .unwrap();
    let priority = doc.priorities[2].id;
    plans::set_priority_links(
        &t.db,
        &Author::system("test"),
        priority,
        &[objectives[0].0, objectives[1].0, objectives[0].0],
    )
    .await
    .unwrap();
    let doc = plans::document(&t.db, &officer.scope(), solihull)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc.priorities[2].supports.len(), 2);
}
