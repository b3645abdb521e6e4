//! Rounds, bids and decisions: seed 002's figures, who sees which bid, stale saves refused, and
//! a decision that commits all of its amounts or none.

use jiff::civil::date;
use safer_core::access::{Actor, ReadScope};
use safer_core::bids::{BidState, BidText, CostLine, Outcome, Review};
use safer_core::funds::{Pence, Spending};
use safer_store::bids::{self, NoticeText};
use safer_store::{Author, StoreError, demo, funds, users};
use safer_test_support::TestDb;

async fn actor(t: &TestDb, email: &str) -> Actor {
    let user = users::find_by_email(&t.db, email).await.unwrap().unwrap();
    users::load_actor(&t.db, user.id).await.unwrap().unwrap()
}

fn author() -> Author {
    Author::system("test")
}

/// The demo's Invest to Save fund and its round.
async fn invest_to_save(t: &TestDb) -> (i64, i64) {
    let fund = funds::funds(&t.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Invest to Save 2013/14")
        .unwrap();
    let round = bids::rounds(&t.db, fund.id).await.unwrap().remove(0);
    (fund.id, round.id)
}

#[tokio::test]
async fn seed_002_asks_for_509_260_from_320_000_and_a_decision_over_it_is_refused_by_how_much() {
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let (fund_id, round_id) = invest_to_save(&t).await;
    let officer = actor(&t, "officer@west-midlands.example").await;
    let all = bids::bids(&t.db, &officer.scope(), round_id).await.unwrap();
    assert_eq!(all.len(), 13);
    let requested: i64 = all.iter().map(|b| b.requested.0).sum();
    assert_eq!(Pence(requested).to_string(), "£509,260");
    let by_ref = |r: &str| all.iter().find(|b| b.reference == r).unwrap();
    assert_eq!(by_ref("B1").least, Pence(9_000_000));
    assert_eq!(by_ref("B2").least, Pence(7_500_000));
    assert_eq!(by_ref("SS3").requested, Pence(150_000));
    assert!(all.iter().all(|b| b.state == BidState::Submitted));
    let fund = funds::fund(&t.db, fund_id).await.unwrap().unwrap();
    assert_eq!(fund.remaining.to_string(), "£320,000");

    // Everything in full is £189,260 too much; nothing is committed or decided.
    let everything: Vec<(i64, Outcome)> = all.iter().map(|b| (b.id, Outcome::Full)).collect();
    let refused = bids::decide_round(
        &t.db,
        &author(),
        round_id,
        date(2013, 11, 12),
        "Invest to Save",
        &everything,
    )
    .await
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "that is £189,260 more than the fund has left (£320,000 of its budget is uncommitted)"
    );
    let fund = funds::fund(&t.db, fund_id).await.unwrap().unwrap();
    assert_eq!(fund.remaining, Pence(32_000_000));
    assert!(bids::notices(&t.db).await.unwrap().is_empty());

    // Birmingham's two bids at their reduced amounts, four declined and the rest in full:
    // £319,500, which fits.
    let within: Vec<(i64, Outcome)> = all
        .iter()
        .map(|b| {
            let outcome = match b.reference.as_str() {
                "B1" | "B2" => Outcome::Reduced(b.least),
                "D1" | "C2" | "SS1" | "SS4" => Outcome::Declined,
                _ => Outcome::Full,
            };
            (b.id, outcome)
        })
        .collect();
    let notice_id = bids::decide_round(
        &t.db,
        &author(),
        round_id,
        date(2013, 11, 12),
        "Invest to Save Budget business cases",
        &within,
    )
    .await
    .unwrap();
    let fund = funds::fund(&t.db, fund_id).await.unwrap().unwrap();
    assert_eq!(fund.remaining.to_string(), "£500");
    assert_eq!(
        bids::notice(&t.db, &ReadScope::public(), notice_id)
            .await
            .unwrap(),
        None,
        "an unpublished notice is the OPCC's own"
    );
    let opcc = actor(&t, "officer@west-midlands.example").await.scope();
    let notice = bids::notice(&t.db, &opcc, notice_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(notice.number, "001/2013");
    let decided = bids::notice_bids(&t.db, notice_id).await.unwrap();
    assert_eq!(decided.len(), 13);
    let approved: i64 = decided.iter().filter_map(|b| b.approved.map(|p| p.0)).sum();
    assert_eq!(Pence(approved).to_string(), "£319,500");
    assert_eq!(
        decided.iter().find(|b| b.reference == "B2").unwrap().state,
        BidState::Reduced
    );
    assert_eq!(
        decided.iter().find(|b| b.reference == "D1").unwrap().state,
        BidState::Declined
    );
    // A bid already decided cannot be decided again.
    let again = bids::decide_round(
        &t.db,
        &author(),
        round_id,
        date(2013, 11, 13),
        "Again",
        &within[..1],
    )
    .await
    .unwrap_err();
    assert!(matches!(again, StoreError::Invalid(_)), "{again}");
}

#[tokio::test]
async fn a_draft_is_the_applicants_own_a_stale_save_is_refused_and_submission_needs_the_whole_case()
{
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let (_, round_id) = invest_to_save(&t).await;
    let solihull = actor(&t, "manager@solihull.example").await;
    let dudley = actor(&t, "manager@dudley.example").await;
    let officer = actor(&t, "officer@west-midlands.example").await;
    let partnership = solihull.memberships[0].organisation.id;

    // Each partnership sees its own bids; the public none.
    let own = bids::bids(&t.db, &solihull.scope(), round_id)
        .await
        .unwrap();
    assert_eq!(
        own.iter().map(|b| b.reference.as_str()).collect::<Vec<_>>(),
        ["S1"]
    );
    assert!(
        bids::bids(&t.db, &ReadScope::public(), round_id)
            .await
            .unwrap()
            .is_empty()
    );

    let text = BidText {
        title: "Night-time economy marshals".into(),
        ..BidText::default()
    };
    let id = bids::create_bid(&t.db, &author(), round_id, partnership, partnership, &text)
        .await
        .unwrap();
    // A draft is the applicant's own: the OPCC and another partnership do not see it.
    assert!(
        bids::bid(&t.db, &solihull.scope(), id)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        bids::bid(&t.db, &officer.scope(), id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        bids::bid(&t.db, &dudley.scope(), id)
            .await
            .unwrap()
            .is_none()
    );

    // Two tabs open version 1; the first save wins, the second is refused.
    let first = BidText {
        aims: "Safer evenings".into(),
        ..text.clone()
    };
    bids::update_bid(&t.db, &author(), id, 1, &first, &[], &[])
        .await
        .unwrap();
    let second = BidText {
        aims: "Overwritten".into(),
        ..text.clone()
    };
    let stale = bids::update_bid(&t.db, &author(), id, 1, &second, &[], &[]).await;
    assert!(matches!(stale, Err(StoreError::Conflict)));
    let line = CostLine {
        description: "Marshals for 20 weekends".into(),
        amount: Pence(1_200_000),
        spending: Spending::Revenue,
        minimum: Some(Pence(800_000)),
    };
    assert!(matches!(
        bids::add_line(&t.db, &author(), id, 1, &line).await,
        Err(StoreError::Conflict)
    ));
    let line_id = bids::add_line(&t.db, &author(), id, 2, &line)
        .await
        .unwrap();
    let bid = bids::bid(&t.db, &solihull.scope(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bid.text.aims, "Safer evenings");
    assert_eq!(bid.version, 3);
    assert_eq!(bid.summary.requested, Pence(1_200_000));
    assert_eq!(bid.summary.least, Pence(800_000));

    // Submission: inside the round's dates, with the whole case.
    let late = bids::submit_bid(&t.db, &author(), id, 3, date(2013, 10, 19))
        .await
        .unwrap_err();
    assert_eq!(
        late.to_string(),
        "the round closed on 18 October 2013, so the bid can no longer be submitted"
    );
    let missing = bids::submit_bid(&t.db, &author(), id, 3, date(2013, 10, 1))
        .await
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "enter the background to the bid before you submit the bid"
    );
    bids::remove_line(&t.db, &author(), id, 3, line_id)
        .await
        .unwrap();
    let whole = BidText {
        background: "b".into(),
        outputs: "o".into(),
        outcomes: "o".into(),
        risks: "r".into(),
        timeline: "t".into(),
        exit_strategy: "e".into(),
        ..first.clone()
    };
    bids::update_bid(&t.db, &author(), id, 4, &whole, &[], &[])
        .await
        .unwrap();
    let no_lines = bids::submit_bid(&t.db, &author(), id, 5, date(2013, 10, 1))
        .await
        .unwrap_err();
    assert_eq!(
        no_lines.to_string(),
        "add at least one cost line before you submit the bid"
    );
    bids::add_line(&t.db, &author(), id, 5, &line)
        .await
        .unwrap();
    bids::submit_bid(&t.db, &author(), id, 6, date(2013, 10, 1))
        .await
        .unwrap();
    // Submitted: the OPCC sees it, and it can no longer be changed.
    let bid = bids::bid(&t.db, &officer.scope(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bid.summary.state, BidState::Submitted);
    let changed = bids::update_bid(&t.db, &author(), id, 7, &whole, &[], &[])
        .await
        .unwrap_err();
    assert_eq!(
        changed.to_string(),
        "the bid has been submitted, so it can no longer be changed"
    );

    // A review puts it under review; a reviewer reviews once; an interest scores nothing.
    let reviewer = officer.user_id;
    let review = Review::Scored {
        scores: vec![4, 3, 5],
        comment: "Sound".into(),
    };
    bids::review_bid(&t.db, &author(), id, reviewer, &review)
        .await
        .unwrap();
    let twice = bids::review_bid(&t.db, &author(), id, reviewer, &review)
        .await
        .unwrap_err();
    assert_eq!(twice.to_string(), "you have already reviewed this bid");
    let pcc = actor(&t, "pcc@west-midlands.example").await;
    let interest = Review::Conflict {
        interest: "My partner chairs the board".into(),
    };
    bids::review_bid(&t.db, &author(), id, pcc.user_id, &interest)
        .await
        .unwrap();
    let bid = bids::bid(&t.db, &officer.scope(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bid.summary.state, BidState::UnderReview);
    assert_eq!(bid.summary.mean_score, Some(4.0));
    let reviews = bids::reviews(&t.db, &officer.scope(), id).await.unwrap();
    assert_eq!(reviews.map(|r| r.len()), Some(2));
    let applicant = actor(&t, "manager@solihull.example").await;
    assert_eq!(
        bids::reviews(&t.db, &applicant.scope(), id).await.unwrap(),
        None,
        "the applicant never reads the reviews"
    );
}

#[tokio::test]
async fn a_notice_is_published_only_once_non_confidential_and_signed_and_is_then_fixed() {
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let (_, round_id) = invest_to_save(&t).await;
    let officer = actor(&t, "officer@west-midlands.example").await;
    let s1 = bids::bids(&t.db, &officer.scope(), round_id)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.reference == "S1")
        .unwrap();
    let id = bids::decide_round(
        &t.db,
        &author(),
        round_id,
        date(2013, 11, 12),
        "Invest to Save",
        &[(s1.id, Outcome::Full)],
    )
    .await
    .unwrap();
    let refused = bids::publish_notice(&t.db, &author(), id)
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "mark the notice non-confidential before you publish it"
    );
    let mut text = NoticeText {
        title: "Invest to Save Budget business cases".into(),
        confidential: false,
        ..NoticeText::default()
    };
    bids::update_notice(&t.db, &author(), id, &text)
        .await
        .unwrap();
    assert!(bids::publish_notice(&t.db, &author(), id).await.is_err());
    assert!(bids::notices(&t.db).await.unwrap().is_empty());
    text.signatory = "West Midlands Police and Crime Commissioner".into();
    text.signed_on = Some(date(2013, 11, 12));
    bids::update_notice(&t.db, &author(), id, &text)
        .await
        .unwrap();
    bids::publish_notice(&t.db, &author(), id).await.unwrap();
    assert_eq!(bids::notices(&t.db).await.unwrap().len(), 1);
    assert!(
        bids::update_notice(&t.db, &author(), id, &text)
            .await
            .is_err()
    );
    assert!(bids::publish_notice(&t.db, &author(), id).await.is_err());
    // The next notice that year is 002/2013.
    let s2 = bids::bids(&t.db, &officer.scope(), round_id)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.reference == "D1")
        .unwrap();
    let next = bids::decide_round(
        &t.db,
        &author(),
        round_id,
        date(2013, 12, 1),
        "More",
        &[(s2.id, Outcome::Declined)],
    )
    .await
    .unwrap();
    assert_eq!(
        bids::notice(
            &t.db,
            &actor(&t, "officer@west-midlands.example").await.scope(),
            next
        )
        .await
        .unwrap()
        .unwrap()
        .number,
        "002/2013"
    );
}

#[tokio::test]
async fn fifty_decisions_at_once_never_commit_more_than_the_fund_has_left() {
    use safer_core::bids::RoundDetails;
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let (fund_id, _) = invest_to_save(&t).await;
    let solihull = actor(&t, "manager@solihull.example").await.memberships[0]
        .organisation
        .id;
    let round = bids::create_round(
        &t.db,
        &author(),
        fund_id,
        &RoundDetails {
            name: "Fifty at once".into(),
            opens_on: date(2013, 9, 1),
            closes_on: date(2013, 12, 31),
            criteria: vec!["Value".into()],
            questions: vec![],
            line_limit: None,
        },
        &[],
        &[],
    )
    .await
    .unwrap();
    let whole = BidText {
        title: "Bid".into(),
        aims: "a".into(),
        background: "b".into(),
        outputs: "o".into(),
        outcomes: "o".into(),
        risks: "r".into(),
        timeline: "t".into(),
        exit_strategy: "e".into(),
        ..BidText::default()
    };
    let mut ids = Vec::new();
    for i in 0..50 {
        let text = BidText {
            reference: format!("F{i}"),
            ..whole.clone()
        };
        let id = bids::create_bid(&t.db, &author(), round, solihull, solihull, &text)
            .await
            .unwrap();
        let line = CostLine {
            description: "Everything".into(),
            amount: Pence(1_000_000),
            spending: Spending::Revenue,
            minimum: None,
        };
        bids::add_line(&t.db, &author(), id, 1, &line)
            .await
            .unwrap();
        bids::submit_bid(&t.db, &author(), id, 2, date(2013, 10, 1))
            .await
            .unwrap();
        ids.push(id);
    }
    // £320,000 left: 32 decisions of £10,000 fit, whoever gets there first.
    let mut tasks = Vec::new();
    for id in ids {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            bids::decide_round(
                &db,
                &Author::system("test"),
                round,
                date(2013, 11, 12),
                "One bid",
                &[(id, Outcome::Full)],
            )
            .await
        }));
    }
    let mut approved = 0;
    let mut notices = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(notice) => {
                approved += 1;
                notices.push(notice);
            }
            Err(StoreError::Invalid(message)) => {
                assert!(message.contains("more than the fund has left"), "{message}")
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(approved, 32);
    let fund = funds::fund(&t.db, fund_id).await.unwrap().unwrap();
    assert_eq!(fund.remaining, Pence(0));
    let opcc = actor(&t, "officer@west-midlands.example").await.scope();
    let mut numbers = Vec::new();
    for id in notices {
        let notice = bids::notice(&t.db, &opcc, id).await.unwrap().unwrap();
        numbers.push(notice.number);
    }
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 32, "every notice has its own number");
    assert_eq!(numbers[31], "032/2013");
}
