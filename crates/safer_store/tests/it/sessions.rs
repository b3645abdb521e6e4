use jiff::{SignedDuration, Timestamp};
use safer_store::sessions::{self, SessionPolicy};
use safer_store::{Author, users};
use safer_test_support::TestDb;

#[tokio::test]
async fn sessions_resume_by_token_and_store_only_its_hash() {
    let t = TestDb::new().await;
    let user = users::create(&t.db, &Author::system("test"), "s@example.org", "S", "h")
        .await
        .unwrap();
    let policy = SessionPolicy::default();
    let (token, session) = sessions::create(&t.db, &policy, user, "S").await.unwrap();
    assert_ne!(token, session.token_hash);
    assert_eq!(session.token_hash, sessions::hash_token(&token));
    let (resumed, actor) = sessions::resume(&t.db, &policy, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (resumed.user_id, resumed.csrf_token.as_str()),
        (user, session.csrf_token.as_str())
    );
    assert_eq!((actor.user_id, actor.display_name.as_str()), (user, "S"));
    assert_eq!(
        sessions::resume(&t.db, &policy, "forged").await.unwrap(),
        None
    );
    sessions::end(&t.db, &resumed, &Author::user(user, "S"))
        .await
        .unwrap();
    assert_eq!(
        sessions::resume(&t.db, &policy, &token).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn an_expired_session_is_gone() {
    let t = TestDb::new().await;
    let user = users::create(&t.db, &Author::system("test"), "s@example.org", "S", "h")
        .await
        .unwrap();
    let policy = SessionPolicy::default();
    let (token, session) = sessions::create(&t.db, &policy, user, "S").await.unwrap();
    sessions::set_expiry(
        &t.db,
        &session.token_hash,
        Timestamp::now() - SignedDuration::from_secs(1),
    )
    .await
    .unwrap();
    assert_eq!(
        sessions::resume(&t.db, &policy, &token).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn failures_are_counted_within_the_window_and_cleared_on_success() {
    let t = TestDb::new().await;
    for _ in 0..3 {
        sessions::record_failure(&t.db, "x@example.org", None)
            .await
            .unwrap();
    }
    sessions::record_failure(&t.db, "other@example.org", None)
        .await
        .unwrap();
    assert_eq!(
        sessions::recent_failures(&t.db, "x@example.org", SignedDuration::from_mins(15))
            .await
            .unwrap(),
        3
    );
    sessions::clear_failures(&t.db, "x@example.org")
        .await
        .unwrap();
    assert_eq!(
        sessions::recent_failures(&t.db, "x@example.org", SignedDuration::from_mins(15))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        sessions::recent_failures(&t.db, "other@example.org", SignedDuration::from_mins(15))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn a_disabled_users_session_does_not_resume() {
    let t = TestDb::new().await;
    let user = users::create(&t.db, &Author::system("test"), "d@example.org", "D", "h")
        .await
        .unwrap();
    let policy = SessionPolicy::default();
    let (token, _) = sessions::create(&t.db, &policy, user, "D").await.unwrap();
    users::set_disabled(&t.db, &Author::system("test"), user, true)
        .await
        .unwrap();
    assert_eq!(
        sessions::resume(&t.db, &policy, &token).await.unwrap(),
        None
    );
}

async fn count(db: &safer_store::Db, sql: &'static str) -> i64 {
    match db {
        safer_store::Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        safer_store::Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
    }
}

#[tokio::test]
async fn signing_in_clears_out_expired_sessions() {
    let t = TestDb::new().await;
    let user = users::create(&t.db, &Author::system("test"), "h@example.org", "H", "h")
        .await
        .unwrap();
    let policy = SessionPolicy::default();
    let (_, old) = sessions::create(&t.db, &policy, user, "H").await.unwrap();
    sessions::set_expiry(
        &t.db,
        &old.token_hash,
        Timestamp::now() - SignedDuration::from_secs(1),
    )
    .await
    .unwrap();
    let (_, live) = sessions::create(&t.db, &policy, user, "H").await.unwrap();
    assert_eq!(
        count(&t.db, "SELECT COUNT(*) FROM sessions").await,
        1,
        "only the new session is left"
    );
    assert_ne!(old.token_hash, live.token_hash);
}
