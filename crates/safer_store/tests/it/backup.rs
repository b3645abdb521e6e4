use safer_core::organisations::OrganisationKind;
use safer_store::organisations::{self, NewOrganisation};
use safer_store::{Author, Backend, Db, StoreError, backup};
use safer_test_support::TestDb;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

/// A backup taken while another task keeps writing restores to a database that passes an
/// integrity check and holds every write committed before the backup began.
#[tokio::test]
async fn a_backup_taken_during_writes_is_consistent_and_complete() {
    let t = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("backup.db");
    if t.db.backend() == Backend::Postgres {
        let err = backup::backup(&t.db, &dest).await.unwrap_err();
        assert!(err.to_string().contains("pg_dump"), "{err}");
        return;
    }
    let committed = Arc::new(AtomicI64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, committed, stop) = (t.db.clone(), committed.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                let name = format!("Partner {n}");
                organisations::create(
                    &db,
                    &Author::system("writer"),
                    &NewOrganisation {
                        kind: OrganisationKind::PolicingBody,
                        name: &name,
                        policing_body_id: None,
                        force_area: None,
                    },
                )
                .await
                .unwrap();
                committed.store(n, Ordering::SeqCst);
            }
            n
        })
    };
    while committed.load(Ordering::SeqCst) < 50 {
        tokio::task::yield_now().await;
    }
    let committed_before_backup = committed.load(Ordering::SeqCst);
    backup::backup(&t.db, &dest).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    stop.store(true, Ordering::SeqCst);
    let written = writer.await.unwrap();
    assert!(
        written > committed_before_backup,
        "writes went on during and after the backup"
    );

    backup::check(&dest)
        .await
        .expect("the backup passes SQLite's integrity check");
    let restored_path = dir.path().join("restored.db");
    std::fs::write(&restored_path, b"old contents").unwrap();
    backup::restore(
        &dest,
        &format!("sqlite://{}", restored_path.display()),
        Backend::Sqlite,
    )
    .await
    .unwrap();
    let restored = Db::connect(&format!("sqlite://{}", restored_path.display()))
        .await
        .unwrap();
    let names: Vec<String> = organisations::list(&restored)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    for n in 1..=committed_before_backup {
        assert!(
            names.contains(&format!("Partner {n}")),
            "write {n} committed before the backup is missing"
        );
    }
    let audit_rows = safer_store::audit::list(&restored, &Default::default(), 100_000, 0)
        .await
        .unwrap();
    assert_eq!(
        audit_rows.len(),
        names.len(),
        "every organisation has its audit event, and nothing else was half-copied"
    );
    assert!(
        matches!(
            backup::backup(&t.db, &dest).await,
            Err(StoreError::Invalid(_))
        ),
        "an existing file is never overwritten"
    );
}

#[tokio::test]
async fn restore_refuses_a_file_that_is_not_a_safer_database() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database").unwrap();
    let target = dir.path().join("target.db");
    let result = backup::restore(
        &junk,
        &format!("sqlite://{}", target.display()),
        Backend::Sqlite,
    )
    .await;
    assert!(result.is_err());
    assert!(
        !target.exists(),
        "nothing is written when the backup is refused"
    );
}
