//! Retention on a test-only record type: personal values past their retention are erased from
//! every table, their audit payloads with them, and the audit chain still verifies.

use safer_store::audit::{self, Change};
use safer_store::retention::{self, RetentionRule};
use safer_store::{Author, Db};
use safer_test_support::TestDb;

const PEOPLE: RetentionRule = RetentionRule {
    record_type: "test_person",
    table: "test_people",
    personal_columns: &["name", "phone"],
    counted_from: "closed_on",
    years: 6,
    erased_at: "erased_at",
};

async fn raw(db: &Db, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match db {
        Db::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
    }
    .unwrap();
}

/// Rows of any table, in any column, whose text holds `value`.
async fn found_anywhere(db: &Db, value: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, column, _) in db.schema_columns().await.unwrap() {
        let sql =
            format!("SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1");
        let sql = sqlx::AssertSqlSafe(sql);
        let pattern = format!("%{value}%");
        let n: i64 = match db {
            Db::Sqlite(p) => sqlx::query_scalar(sql).bind(pattern).fetch_one(p).await,
            Db::Postgres(p) => sqlx::query_scalar(sql).bind(pattern).fetch_one(p).await,
        }
        .unwrap();
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

/// A person, with their personal values kept apart in their audit event, as casework does.
async fn add_person(db: &Db, id: i64, name: &str, phone: &str, closed_on: Option<&str>) {
    let closed = closed_on.map_or("NULL".to_owned(), |d| format!("'{d}'"));
    raw(
        db,
        &format!(
            "INSERT INTO test_people (id, name, phone, closed_on) VALUES ({id}, '{name}', '{phone}', {closed})"
        ),
    )
    .await;
    audit::record_event(
        db,
        &Author::system("test"),
        Change {
            action: "create",
            record_type: "test_person",
            record_id: Some(id),
            organisation_id: None,
            before: None,
            after: Some(serde_json::json!({ "id": id, "closed_on": closed_on })),
        },
        Some(&serde_json::json!({ "name": name, "phone": phone })),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn personal_values_past_retention_are_erased_everywhere_and_the_chain_still_verifies() {
    let t = TestDb::new().await;
    raw(
        &t.db,
        "CREATE TABLE test_people (id BIGINT PRIMARY KEY, name TEXT, phone TEXT, \
         closed_on TEXT, erased_at TEXT)",
    )
    .await;
    add_person(
        &t.db,
        1,
        "Tabitha Quenby-Ardwick",
        "07700 900461",
        Some("2019-01-10"),
    )
    .await;
    add_person(
        &t.db,
        2,
        "Oswin Blackthorne-Pyle",
        "07700 900982",
        Some("2024-05-01"),
    )
    .await;
    add_person(&t.db, 3, "Marguerite Stannard-Lowe", "07700 900113", None).await;
    let today = jiff::civil::date(2026, 12, 4);

    let due = retention::due(&t.db, &[PEOPLE], today).await.unwrap();
    assert_eq!(due.iter().map(|d| d.id).collect::<Vec<_>>(), [1]);
    assert_eq!(
        found_anywhere(&t.db, "Quenby-Ardwick").await.len(),
        2,
        "the table and the payload"
    );

    let erased = retention::erase(&t.db, &[PEOPLE], today, &Author::system("test retention"))
        .await
        .unwrap();
    assert_eq!(erased.len(), 1);
    for value in ["Quenby-Ardwick", "07700 900461"] {
        assert_eq!(
            found_anywhere(&t.db, value).await,
            Vec::<String>::new(),
            "{value}"
        );
    }
    // The others are kept: one within its retention, one whose retention has not started.
    assert!(!found_anywhere(&t.db, "Blackthorne-Pyle").await.is_empty());
    assert!(!found_anywhere(&t.db, "Stannard-Lowe").await.is_empty());
    // Nothing is due twice; the erasure is itself in the log; the chain holds.
    assert!(
        retention::due(&t.db, &[PEOPLE], today)
            .await
            .unwrap()
            .is_empty()
    );
    let events = audit::list(
        &t.db,
        &audit::AuditFilter {
            action: Some("erase".into()),
            ..Default::default()
        },
        10,
        0,
    )
    .await
    .unwrap();
    assert_eq!((events.len(), events[0].record_id), (1, Some(1)));
    let report = audit::verify(&t.db).await.unwrap();
    assert_eq!(report.broken, None);
    assert_eq!((report.verified, report.erased_payloads), (4, 1));
}
