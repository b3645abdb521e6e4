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
