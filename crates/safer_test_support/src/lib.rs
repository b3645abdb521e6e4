//! Test harness for safer: a fresh, migrated database per test, on SQLite by default or on
//! PostgreSQL when `TEST_DATABASE_URL` names a server, and a headless Chromium for browser tests.
//!
//! No test names a backend: the same tests run against whichever one the environment selects.

pub mod browser;

use safer_store::Db;
use std::path::PathBuf;

/// A fresh database for one test, removed when dropped.
pub struct TestDb {
    /// The migrated, empty database.
    pub db: Db,
    /// Its URL, for code that connects by URL.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin_url: Option<(String, String)>,
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("randomness for a database name");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestDb {
    /// A fresh, migrated database on the backend `TEST_DATABASE_URL` selects (SQLite if unset).
    pub async fn new() -> TestDb {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => Self::postgres(admin).await,
            _ => Self::sqlite().await,
        }
    }

    async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path: PathBuf = dir.path().join("safer-test.db");
        let url = format!("sqlite://{}", path.display());
        let db = Db::connect(&url)
            .await
            .expect("open the SQLite test database");
        db.migrate()
            .await
            .expect("migrate the SQLite test database");
        TestDb {
            db,
            url,
            _dir: Some(dir),
            pg_admin_url: None,
        }
    }

    async fn postgres(admin_url: String) -> TestDb {
        use sqlx::Connection;
        let name = format!("safer_test_{}", random_suffix());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("connect to TEST_DATABASE_URL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create a test database");
        admin.close().await.ok();
        let (base, _) = admin_url
            .rsplit_once('/')
            .expect("TEST_DATABASE_URL ends in /DATABASE");
        let url = format!("{base}/{name}");
        let db = Db::connect(&url)
            .await
            .expect("open the PostgreSQL test database");
        db.migrate()
            .await
            .expect("migrate the PostgreSQL test database");
        TestDb {
            db,
            url,
            _dir: None,
            pg_admin_url: Some((admin_url, name)),
        }
    }

    /// A second, fresh database on the other backend from this one would be wrong in tests
    /// that compare schemas; this gives both, where PostgreSQL is configured.
    pub async fn both() -> (TestDb, Option<TestDb>) {
        let sqlite = Self::sqlite().await;
        let pg = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => Some(Self::postgres(admin).await),
            _ => None,
        };
        (sqlite, pg)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg_admin_url.take() {
            // Drop may run on the test's own runtime thread, so the pool is not closed here (its
            // connections need that runtime); FORCE ends them from the server side instead. A
            // short-lived thread with its own runtime does the dropping.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    rt.block_on(async {
                        use sqlx::Connection;
                        if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .execute(&mut admin)
                            .await;
                        }
                    });
                }
            })
            .join();
        }
    }
}
