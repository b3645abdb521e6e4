//! The audit log is append-only in the database itself, and its hash chain finds any event
//! changed, removed or inserted behind the store's back.

use safer_store::audit::{self, Change};
use safer_store::{Author, Db, users};
use safer_test_support::TestDb;

/// Runs raw SQL, as someone with a database client would, bypassing the store.
async fn raw(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match db {
        Db::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
    }
}

/// Five audited writes: five users added.
async fn five_events(db: &Db) {
    for i in 0..5 {
        users::create(
            db,
            &Author::system("test"),
            &format!("u{i}@example.org"),
            "U",
            "h",
        )
        .await
        .unwrap();
    }
}

async fn first_event_id(db: &Db) -> i64 {
    let all = audit::list(db, &audit::AuditFilter::default(), 100, 0)
        .await
        .unwrap();
    all.iter().map(|e| e.id).min().unwrap()
}

/// Drops the triggers, as an administrator with a database client could.
async fn drop_triggers(db: &Db) {
    let sql = match db {
        Db::Sqlite(_) => {
            "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
        }
        Db::Postgres(_) => "DROP TRIGGER audit_events_append_only ON audit_events;",
    };
    raw(db, sql).await.unwrap();
}

#[tokio::test]
async fn the_database_refuses_to_change_or_remove_an_event() {
    let t = TestDb::new().await;
    five_events(&t.db).await;
    for sql in [
        "UPDATE audit_events SET actor_label = 'someone else'",
        "UPDATE audit_events SET chain_hash = ''",
        "DELETE FROM audit_events",
    ] {
        let err = raw(&t.db, sql).await.expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    if matches!(t.db, Db::Postgres(_)) {
        assert!(raw(&t.db, "TRUNCATE audit_events CASCADE").await.is_err());
    }
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!((report.verified, report.broken), (5, None));
    assert_eq!(report.head.len(), 64);
}

#[tokio::test]
async fn verify_names_the_event_edited_with_the_triggers_dropped() {
    let t = TestDb::new().await;
    five_events(&t.db).await;
    let third = first_event_id(&t.db).await + 2;
    drop_triggers(&t.db).await;
    raw(
        &t.db,
        &format!("UPDATE audit_events SET actor_label = 'someone else' WHERE id = {third}"),
    )
    .await
    .unwrap();
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(report.verified, 2);
    assert_eq!(report.broken.unwrap().0, third);
}

#[tokio::test]
async fn verify_finds_an_event_removed_from_the_middle_or_the_end() {
    let t = TestDb::new().await;
    five_events(&t.db).await;
    let first = first_event_id(&t.db).await;
    drop_triggers(&t.db).await;
    raw(
        &t.db,
        &format!("DELETE FROM audit_events WHERE id = {}", first + 4),
    )
    .await
    .unwrap();
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(report.verified, 4);
    assert!(report.broken.unwrap().1.contains("removed"));
    raw(
        &t.db,
        &format!("DELETE FROM audit_events WHERE id = {}", first + 1),
    )
    .await
    .unwrap();
    assert_eq!(
        audit::verify(&t.db).await.unwrap().broken.unwrap().0,
        first + 2
    );
}

#[tokio::test]
async fn an_erased_personal_payload_leaves_the_chain_verifiable_and_an_edited_one_does_not() {
    let t = TestDb::new().await;
    let personal = serde_json::json!({ "name": "Distinctive Person-Name" });
    audit::record_event(
        &t.db,
        &Author::system("test"),
        Change {
            action: "create",
            record_type: "test_person",
            record_id: Some(1),
            organisation_id: None,
            before: None,
            after: Some(serde_json::json!({ "id": 1 })),
        },
        Some(&personal),
    )
    .await
    .unwrap();
    five_events(&t.db).await;
    raw(
        &t.db,
        "UPDATE audit_payloads SET payload = '{\"name\":\"Someone Else\"}'",
    )
    .await
    .unwrap();
    let report = audit::verify(&t.db).await.unwrap();
    assert!(report.broken.unwrap().1.contains("personal payload"));
    raw(&t.db, "DELETE FROM audit_payloads").await.unwrap();
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(
        (report.verified, report.erased_payloads, report.broken),
        (6, 1, None)
    );
}

#[tokio::test]
async fn events_from_before_the_chain_are_sealed_once_in_order() {
    let t = TestDb::new().await;
    let legacy = "INSERT INTO audit_events (occurred_at, actor_label, action, record_type) \
        VALUES ('2020-01-01T00:00:00Z', 'old', 'create', 'plan'), \
               ('2020-01-02T00:00:00Z', 'old', 'update', 'plan')";
    // Two events as a database from before the chain held them: no hash, marked unsealed.
    raw(&t.db, legacy).await.unwrap();
    raw(
        &t.db,
        "UPDATE audit_chain SET unsealed_through = (SELECT MAX(id) FROM audit_events)",
    )
    .await
    .unwrap();
    assert_eq!(audit::seal_unsealed(&t.db).await.unwrap(), 2);
    five_events(&t.db).await;
    assert_eq!(audit::verify(&t.db).await.unwrap().broken, None);
    assert_eq!(audit::verify(&t.db).await.unwrap().verified, 7);
    // An event slipped in later without a hash is never sealed: migrating again leaves it broken.
    raw(&t.db, legacy).await.unwrap();
    t.db.migrate().await.unwrap();
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(report.verified, 7);
    assert!(report.broken.is_some());
}

#[tokio::test]
async fn every_event_of_a_partnership_owned_record_names_its_owner() {
    let t = TestDb::new().await;
    safer_store::demo::load(&t.db).await.unwrap();
    let events = audit::list(&t.db, &audit::AuditFilter::default(), 100_000, 0)
        .await
        .unwrap();
    let owned = [
        "body",
        "meeting",
        "agenda_item",
        "minute_item",
        "action",
        "question",
        "petition",
        "decision",
        "declaration",
        "work_plan_item",
        "paper",
        "paper_section",
        "fund",
        "fund_commitment",
        "round",
        "notice",
        "bid",
        "bid_attachment",
        "bid_comment",
        "bid_line",
        "grant",
        "grant_condition",
        "grant_payment",
        "monitoring_return",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for e in events
        .iter()
        .filter(|e| owned.contains(&e.record_type.as_str()))
    {
        assert!(
            e.organisation_id.is_some(),
            "event {} ({} {} {:?}) names no organisation",
            e.id,
            e.action,
            e.record_type,
            e.record_id
        );
        seen.insert(e.record_type.clone());
    }
    // The demo writes most kinds, so the test covers them.
    assert!(seen.len() >= 10, "{seen:?}");
    // A bid belongs to the partnership that writes it.
    let solihull = safer_store::organisations::find_by_name(&t.db, "Safer Solihull Partnership")
        .await
        .unwrap()
        .unwrap()
        .id;
    let bids: Vec<_> = events.iter().filter(|e| e.record_type == "bid").collect();
    assert!(bids.iter().any(|e| e.organisation_id == Some(solihull)));
}
