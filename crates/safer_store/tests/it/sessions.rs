use jiff::{SignedDuration, Timestamp};
use safer_store::sessions::{self, SessionPolicy, SignInClient, ThrottlePolicy};
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
async fn failures_throttle_the_client_that_made_them_not_the_owners_device() {
    let t = TestDb::new().await;
    let user = users::create(&t.db, &Author::system("test"), "x@example.org", "X", "h")
        .await
        .unwrap();
    let policy = ThrottlePolicy {
        after: 3,
        window: SignedDuration::from_mins(15),
        untrusted_after: 5,
    };
    let throttled = |email: &'static str, client: SignInClient| {
        let db = t.db.clone();
        async move {
            sessions::throttled(&db, email, &client, &policy)
                .await
                .unwrap()
        }
    };
    let stranger = SignInClient::Untrusted("203.0.113.9".into());
    let neighbour = SignInClient::Untrusted("198.51.100.7".into());
    for _ in 0..3 {
        sessions::record_failure(&t.db, "x@example.org", Some(user), &stranger)
            .await
            .unwrap();
    }
    sessions::record_failure(&t.db, "other@example.org", None, &stranger)
        .await
        .unwrap();
    // The stranger waits out the window; the lock's length is known.
    let wait = throttled("x@example.org", stranger.clone()).await.unwrap();
    assert!(wait > SignedDuration::from_mins(14) && wait <= SignedDuration::from_mins(15));
    assert_eq!(throttled("x@example.org", neighbour.clone()).await, None);
    assert_eq!(throttled("other@example.org", stranger.clone()).await, None);

    // The owner's device, trusted by an earlier sign-in, is never locked by others' failures.
    let token = sessions::trust_device(&t.db, user, "X").await.unwrap();
    let device = sessions::sign_in_client(&t.db, Some(user), Some(&token), "203.0.113.9")
        .await
        .unwrap();
    assert!(matches!(device, SignInClient::Trusted(_)));
    assert_eq!(
        sessions::sign_in_client(&t.db, Some(user + 1), Some(&token), "203.0.113.9")
            .await
            .unwrap(),
        stranger,
        "a device trusted by one account is a stranger to another"
    );
    // Guessing spread over addresses locks every untrusted client, but not the device.
    for _ in 0..2 {
        sessions::record_failure(&t.db, "x@example.org", Some(user), &neighbour)
            .await
            .unwrap();
    }
    assert!(
        throttled("x@example.org", neighbour.clone())
            .await
            .is_some()
    );
    assert_eq!(throttled("x@example.org", device.clone()).await, None);

    // A client's success clears its own failures only.
    sessions::clear_failures(&t.db, "x@example.org", &stranger)
        .await
        .unwrap();
    assert_eq!(throttled("x@example.org", stranger).await, None);
    assert_eq!(throttled("x@example.org", neighbour).await, None);
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
