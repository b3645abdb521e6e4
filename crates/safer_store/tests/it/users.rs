use safer_core::access::Role;
use safer_core::organisations::OrganisationKind;
use safer_store::organisations::{self, NewOrganisation};
use safer_store::{Author, StoreError, audit, users};
use safer_test_support::TestDb;

async fn policing_body(t: &TestDb) -> i64 {
    organisations::create(
        &t.db,
        &Author::system("test"),
        &NewOrganisation {
            kind: OrganisationKind::PolicingBody,
            name: "West Midlands OPCC",
            policing_body_id: None,
            force_area: Some(("E23000014", "West Midlands")),
        },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn users_are_found_by_address_whatever_its_case_and_cannot_be_duplicated() {
    let t = TestDb::new().await;
    let a = Author::system("test");
    let id = users::create(&t.db, &a, "Olivia.Officer@Example.org ", "Olivia", "hash")
        .await
        .unwrap();
    let found = users::find_by_email(&t.db, "olivia.officer@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (found.id, found.email.as_str(), found.disabled),
        (id, "olivia.officer@example.org", false)
    );
    let dup = users::create(&t.db, &a, "OLIVIA.OFFICER@example.org", "Other", "hash").await;
    assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{dup:?}");
    assert!(matches!(
        users::create(&t.db, &a, "not-an-address", "X", "h").await,
        Err(StoreError::Invalid(_))
    ));
}

#[tokio::test]
async fn an_actor_carries_roles_and_a_disabled_user_has_none() {
    let t = TestDb::new().await;
    let a = Author::system("test");
    let wm = policing_body(&t).await;
    let id = users::create(&t.db, &a, "o@example.org", "Olivia", "hash")
        .await
        .unwrap();
    users::add_membership(&t.db, &a, id, wm, Role::OpccOfficer)
        .await
        .unwrap();
    let actor = users::load_actor(&t.db, id).await.unwrap().unwrap();
    assert_eq!(actor.memberships.len(), 1);
    assert_eq!(actor.scope().policing_bodies(), &[wm]);
    // A partnership role cannot be held in a policing body.
    assert!(matches!(
        users::add_membership(&t.db, &a, id, wm, Role::PartnershipManager).await,
        Err(StoreError::Invalid(_))
    ));
    users::set_disabled(&t.db, &a, id, true).await.unwrap();
    assert_eq!(users::load_actor(&t.db, id).await.unwrap(), None);
}

#[tokio::test]
async fn every_write_leaves_an_audit_event_with_before_and_after() {
    let t = TestDb::new().await;
    let a = Author::user(0, "Tester");
    let a = Author { user_id: None, ..a };
    let id = users::create(&t.db, &a, "x@example.org", "X", "secret-hash")
        .await
        .unwrap();
    users::set_disabled(&t.db, &a, id, true).await.unwrap();
    let events = audit::list(
        &t.db,
        &audit::AuditFilter {
            record_type: Some("user".into()),
            ..Default::default()
        },
        10,
        0,
    )
    .await
    .unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].action, "update");
    assert_eq!(
        events[0].before_json.as_deref(),
        Some(r#"{"disabled":false}"#)
    );
    assert_eq!(
        events[0].after_json.as_deref(),
        Some(r#"{"disabled":true}"#)
    );
    assert_eq!(events[1].action, "create");
    assert!(
        !events[1]
            .after_json
            .as_deref()
            .unwrap()
            .contains("secret-hash"),
        "the log must never hold password hashes"
    );
    assert_eq!(events[1].actor_label, "Tester");
    let by_actor = audit::list(
        &t.db,
        &audit::AuditFilter {
            actor: Some("TEST".into()),
            ..Default::default()
        },
        10,
        0,
    )
    .await
    .unwrap();
    assert_eq!(
        by_actor.len(),
        2,
        "actor filter is case-insensitive on both backends"
    );
}

/// A record type that asks for a reason refuses a look without one, and records nothing; with
/// one, the reason is in the log.
#[tokio::test]
async fn a_record_that_asks_for_a_reason_is_not_seen_without_one() {
    use safer_core::access::{AccessKind, PersonalRecord};
    use safer_store::access_log::{self, Looking, Looks};
    let t = TestDb::new().await;
    let case = PersonalRecord {
        record_type: "test_case",
        label: "case",
        asks_reason: true,
    };
    let user = users::create(
        &t.db,
        &Author::system("test"),
        "pat@example.org",
        "Pat Practitioner",
        "x",
    )
    .await
    .unwrap();
    let author = Author::user(user, "Pat Practitioner");
    let mut looking = Looking {
        author: &author,
        from: "192.0.2.7",
        reason: Some("  "),
    };
    let refused = access_log::record(&t.db, &looking, AccessKind::View, case, &[41])
        .await
        .unwrap_err();
    assert_eq!(refused.to_string(), "say why you need to see this case");
    let at = Looks::AtRecord(case, 41);
    assert!(access_log::list(&t.db, at, 10, 0).await.unwrap().is_empty());
    looking.reason = Some("Case conference on Tuesday");
    access_log::record(&t.db, &looking, AccessKind::View, case, &[41])
        .await
        .unwrap();
    let looks = access_log::list(&t.db, at, 10, 0).await.unwrap();
    assert_eq!(looks.len(), 1);
    assert_eq!(
        looks[0].reason.as_deref(),
        Some("Case conference on Tuesday")
    );
    assert_eq!(looks[0].from, "192.0.2.7");
    assert_eq!(looks[0].who, "Pat Practitioner");
    assert_eq!(looks[0].user_id, Some(user));
    assert_eq!(looks[0].kind, AccessKind::View);
    let by = access_log::list(&t.db, Looks::By(user), 10, 0)
        .await
        .unwrap();
    assert_eq!(by, looks);
    // A look is an audit event: the database refuses to change it.
    let change = match &t.db {
        safer_store::Db::Sqlite(pool) => {
            sqlx::query("UPDATE audit_events SET after_json = '{}' WHERE action = 'view'")
                .execute(pool)
                .await
                .map(drop)
        }
        safer_store::Db::Postgres(pool) => {
            sqlx::query("UPDATE audit_events SET after_json = '{}' WHERE action = 'view'")
                .execute(pool)
                .await
                .map(drop)
        }
    };
    assert!(change.is_err(), "a look cannot be rewritten");
}
