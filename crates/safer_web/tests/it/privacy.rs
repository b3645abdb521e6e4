//! What people type never reaches the logs or an error page: a write that fails is logged by
//! what failed, not by the values it carried.

use crate::support::TestApp;
use axum::http::StatusCode;
use safer_store::Db;
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::MakeWriter;

/// Every log line written, kept for the test to search.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Makes every new priority fail to store, with a message that quotes its title where the
/// database can (PostgreSQL's RAISE can; SQLite's cannot).
async fn break_priorities(db: &Db) {
    match db {
        Db::Sqlite(pool) => sqlx::raw_sql(
            "CREATE TRIGGER fail_priorities BEFORE INSERT ON priorities \
             BEGIN SELECT RAISE(ABORT, 'the disk is full'); END;",
        )
        .execute(pool)
        .await
        .map(drop),
        Db::Postgres(pool) => sqlx::raw_sql(
            "CREATE FUNCTION fail_priorities() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'refused the priority %', NEW.title; END $$; \
             CREATE TRIGGER fail_priorities BEFORE INSERT ON priorities \
             FOR EACH ROW EXECUTE FUNCTION fail_priorities();",
        )
        .execute(pool)
        .await
        .map(drop),
    }
    .unwrap();
}

#[tokio::test]
async fn a_value_in_a_failing_write_is_in_no_log_line_and_not_on_the_error_page() {
    let captured = Captured::default();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(captured.clone())
        .with_ansi(false)
        .init();
    let app = TestApp::new().await;
    let plan = app.plan_id("Safer Solihull Partnership Plan 2015/16").await;
    let mut manager = app.sign_in("manager@solihull.example").await;
    break_priorities(&app.state.db).await;
    let distinctive = "Zebra-Kumquat-4471";
    let page = app
        .post(
            &mut manager,
            &format!("/plans/{plan}/priorities"),
            &[("title", distinctive)],
        )
        .await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!page.body.contains(distinctive));
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        logs.contains("internal error"),
        "the failure is logged:\n{logs}"
    );
    assert!(
        !logs.lines().any(|l| l.contains(distinctive)),
        "a log line holds the value:\n{}",
        logs.lines()
            .filter(|l| l.contains(distinctive))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every list, view and export of people's accounts is in the access log, which the auditor
/// reads per record and per person; nobody else reads it.
#[tokio::test]
async fn looks_at_accounts_are_logged_and_the_auditor_reads_them_per_record_and_per_person() {
    use safer_core::access::{AccessKind, PersonalRecord};
    use safer_store::access_log::{self, Looks};
    let app = TestApp::new().await;
    let manager = app.actor("manager@solihull.example").await.user_id;
    let admin_id = app.actor("admin@west-midlands.example").await.user_id;
    let mut admin = app.sign_in("admin@west-midlands.example").await;

    let list = app.get(&mut admin, "/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    let account = app
        .get(&mut admin, &format!("/admin/users/{manager}"))
        .await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("manager@solihull.example"));
    let csv = app.get(&mut admin, "/admin/users.csv").await;
    assert!(csv.body.contains("manager@solihull.example"));

    let looks = access_log::list(
        &app.state.db,
        Looks::AtRecord(PersonalRecord::USER_ACCOUNT, manager),
        100,
        0,
    )
    .await
    .unwrap();
    let kinds: Vec<AccessKind> = looks.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [AccessKind::Export, AccessKind::View, AccessKind::Search],
        "newest first"
    );
    assert!(looks.iter().all(|e| e.user_id == Some(admin_id)));
    assert!(
        looks
            .iter()
            .all(|e| e.who == "Alex Admin" && !e.from.is_empty())
    );
    // Every account listed was recorded as listed, once.
    let listed = access_log::list(&app.state.db, Looks::By(admin_id), 1000, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == AccessKind::Search)
        .count();
    assert_eq!(listed, safer_store::demo::ACCOUNTS.len());

    // The auditor reads who looked at the manager's account, and what the admin looked at.
    let mut auditor = app.sign_in("auditor@west-midlands.example").await;
    let record = app
        .get(&mut auditor, &format!("/audit/records/user/{manager}"))
        .await;
    assert_eq!(record.status, StatusCode::OK);
    let rows = record.text("tbody");
    for expected in ["Alex Admin", "Viewed", "Listed in results", "Exported"] {
        assert!(rows.contains(expected), "{expected} in {rows}");
    }
    let person = app
        .get(&mut auditor, &format!("/audit/people/{admin_id}"))
        .await;
    assert_eq!(person.text("h1"), "What Alex Admin has looked at");
    assert!(person.text("tbody").contains(&format!("account {manager}")));
    // The auditor's own reading of the log is no look at a personal record, and the auditor
    // may not open the accounts themselves.
    assert_eq!(
        app.get(&mut auditor, &format!("/admin/users/{manager}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&mut auditor, "/audit/records/plan/1").await.status,
        StatusCode::NOT_FOUND,
        "only personal record types have an access page"
    );
    // Looks are audit events: chained, and verified with the rest.
    let verified = safer_store::audit::verify(&app.state.db).await.unwrap();
    assert!(verified.broken.is_none(), "{verified:?}");

    // Nobody else reads the access log.
    let mut officer = app.sign_in("officer@west-midlands.example").await;
    assert_eq!(
        app.get(&mut officer, "/audit/access").await.status,
        StatusCode::NOT_FOUND
    );
}
