//! Grants: a decided bid becomes a grant with its returns scheduled; payments never exceed
//! what a grant is worth; variations commit from the fund like any commitment; overdue
//! returns are found for the OPCC and the recipient.

use jiff::civil::date;
use safer_core::access::{Actor, Membership, ReadScope, Role};
use safer_core::bids::Outcome;
use safer_core::funds::Pence;
use safer_core::grants::{
    GrantDetails, Monitoring, PaymentBasis, ReturnReport, ReturnStatus, Variation,
};
use safer_store::grants::{self, Evaluation};
use safer_store::{Author, demo, funds, organisations, users};
use safer_test_support::TestDb;

fn author() -> Author {
    Author::system("test")
}

/// What an officer of the OPCC `opcc_id` may read.
async fn officer_of(t: &TestDb, opcc_id: i64) -> ReadScope {
    let opcc = organisations::get(&t.db, opcc_id).await.unwrap().unwrap();
    Actor {
        user_id: 0,
        display_name: "Officer".into(),
        memberships: vec![Membership {
            organisation: opcc.owner(),
            role: Role::OpccOfficer,
        }],
    }
    .scope()
}

/// A grant's returns, as the fund's OPCC reads them.
async fn returns(t: &TestDb, grant_id: i64) -> Vec<grants::MonitoringReturn> {
    let grant = grants::grant(&t.db, grant_id).await.unwrap().unwrap();
    let scope = officer_of(t, grant.opcc_id).await;
    grants::monitoring(&t.db, &scope, &grant)
        .await
        .unwrap()
        .unwrap()
        .returns
}

async fn org(t: &TestDb, name: &str) -> i64 {
    organisations::find_by_name(&t.db, name)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn the_demo_has_north_worcestershire_s_grants_with_one_return_overdue() {
    // And seed 003's Victims Fund, whose Restorative Justice allocation is the papers' £304,466
    // while the projects' own fund awards £305,466.
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let nwcsp = org(&t, "North Worcestershire Community Safety Partnership").await;
    let mercia = org(
        &t,
        "West Mercia Office of the Police and Crime Commissioner",
    )
    .await;
    let all: Vec<_> = grants::grants(&t.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|g| g.recipient_id == nwcsp)
        .collect();
    assert_eq!(all.len(), 7);
    let total: i64 = all.iter().map(|g| g.amount.0).sum();
    assert_eq!(Pence(total).to_string(), "£443,583");
    assert!(all.iter().all(|g| g.paid == g.amount));
    let today = date(2026, 11, 23);
    let overdue = grants::overdue_returns(
        &t.db,
        &officer_of(&t, mercia).await,
        today,
        None,
        Some(nwcsp),
    )
    .await
    .unwrap();
    assert_eq!(overdue.len(), 1);
    assert_eq!(overdue[0].grant_title, "Wyre Forest Keeping Safe Project");
    assert_eq!(overdue[0].period, "Q3 2018/19");
    assert_eq!(overdue[0].due_on, date(2019, 1, 31));
    assert_eq!(
        grants::overdue_returns(
            &t.db,
            &officer_of(&t, mercia).await,
            today,
            Some(mercia),
            None
        )
        .await
        .unwrap()
        .len(),
        1
    );
    // The West Midlands OPCC has none: the overdue return is not on its funds.
    let wm = org(
        &t,
        "West Midlands Office of the Police and Crime Commissioner",
    )
    .await;
    assert!(
        grants::overdue_returns(&t.db, &officer_of(&t, wm).await, today, Some(wm), None)
            .await
            .unwrap()
            .is_empty()
    );
    // On 30 January 2019 it was not yet overdue.
    assert!(
        grants::overdue_returns(
            &t.db,
            &officer_of(&t, mercia).await,
            date(2019, 1, 31),
            None,
            Some(nwcsp),
        )
        .await
        .unwrap()
        .is_empty()
    );
    let pastors = all
        .iter()
        .find(|g| g.title.contains("Street Pastors"))
        .unwrap();
    let returns = returns(&t, pastors.id).await;
    assert_eq!(returns.len(), 4);
    assert!(
        returns[1].submitted_on.unwrap() > returns[1].due_on,
        "Q2 came in late"
    );
    assert!(returns[3].is_final);
}

#[tokio::test]
async fn a_decided_bid_becomes_a_grant_whose_payments_and_variations_are_held_to_what_is_left() {
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let fund = funds::funds(&t.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Invest to Save 2013/14")
        .unwrap();
    let round = safer_store::bids::rounds(&t.db, fund.id).await.unwrap()[0].id;
    let officer = users::find_by_email(&t.db, "officer@west-midlands.example")
        .await
        .unwrap()
        .unwrap();
    let officer = users::load_actor(&t.db, officer.id).await.unwrap().unwrap();
    let all = safer_store::bids::bids(&t.db, &officer.scope(), round)
        .await
        .unwrap();
    let b1 = all.iter().find(|b| b.reference == "B1").unwrap();
    safer_store::bids::decide_round(
        &t.db,
        &author(),
        round,
        date(2013, 11, 12),
        "Invest to Save",
        &[(b1.id, Outcome::Reduced(b1.least))],
    )
    .await
    .unwrap();
    let grant = grants::fund_grants(&t.db, fund.id).await.unwrap().remove(0);
    assert_eq!(grant.bid_id, Some(b1.id));
    assert_eq!(grant.amount, Pence(9_000_000));
    assert_eq!(
        (grant.starts_on, grant.ends_on),
        (date(2013, 11, 12), date(2014, 3, 31))
    );
    let periods: Vec<String> = returns(&t, grant.id)
        .await
        .into_iter()
        .map(|r| r.period)
        .collect();
    assert_eq!(periods, ["Q3 2013/14", "Q4 2013/14"]);
    assert_eq!(
        grants::spend_lines(&t.db, &grant).await.unwrap().len(),
        5,
        "B1's five cost lines"
    );
    // The fund committed £90,000 once, for the decision, not again for the grant.
    let left = funds::fund(&t.db, fund.id)
        .await
        .unwrap()
        .unwrap()
        .remaining;
    assert_eq!(left.to_string(), "£230,000");

    // Payments: never more than the grant is worth.
    grants::schedule_payment(
        &t.db,
        &author(),
        grant.id,
        date(2013, 12, 1),
        Pence(6_000_000),
    )
    .await
    .unwrap();
    let refused = grants::schedule_payment(
        &t.db,
        &author(),
        grant.id,
        date(2014, 3, 1),
        Pence(4_000_000),
    )
    .await
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "that is £10,000 more than is left to schedule (£30,000 of the grant's £90,000 is not yet scheduled)"
    );
    let payment = grants::payments(&t.db, grant.id).await.unwrap()[0].id;
    grants::pay(&t.db, &author(), grant.id, payment, date(2013, 12, 2))
        .await
        .unwrap();
    assert!(
        grants::pay(&t.db, &author(), grant.id, payment, date(2013, 12, 2))
            .await
            .is_err()
    );
    assert_eq!(
        grants::grant(&t.db, grant.id).await.unwrap().unwrap().paid,
        Pence(6_000_000)
    );

    // A variation adds money from the fund and moves the end and the final return.
    let too_much = Variation {
        description: "Cameras for a second estate".into(),
        extra: Pence(23_000_100),
        new_ends_on: None,
        approved_on: date(2014, 2, 1),
    };
    let refused = grants::vary(&t.db, &author(), grant.id, &too_much)
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .starts_with("that is £1 more than the fund has left"),
        "{refused}"
    );
    let v = Variation {
        description: "Cameras for a second estate, and three more months".into(),
        extra: Pence(1_000_000),
        new_ends_on: Some(date(2014, 6, 30)),
        approved_on: date(2014, 2, 1),
    };
    grants::vary(&t.db, &author(), grant.id, &v).await.unwrap();
    let varied = grants::grant(&t.db, grant.id).await.unwrap().unwrap();
    assert_eq!(
        (varied.awarded, varied.amount),
        (Pence(9_000_000), Pence(10_000_000))
    );
    assert_eq!(varied.ends_on, date(2014, 6, 30));
    let last = returns(&t, grant.id).await.pop().unwrap();
    assert_eq!(
        (last.period_end, last.due_on),
        (date(2014, 6, 30), date(2014, 7, 30))
    );
    assert_eq!(
        funds::fund(&t.db, fund.id)
            .await
            .unwrap()
            .unwrap()
            .remaining
            .to_string(),
        "£220,000"
    );

    // A return, once; a condition, met once; an evaluation, once.
    let first = returns(&t, grant.id).await.remove(0);
    let report = ReturnReport {
        spend: vec![("Schools co-ordinator".into(), Pence(1_000_000))],
        outputs: "Co-ordinator in post".into(),
        narrative: "Started in January".into(),
        status: ReturnStatus::AtRisk,
    };
    grants::submit_return(&t.db, &author(), first.id, date(2014, 2, 10), &report)
        .await
        .unwrap();
    assert!(
        grants::submit_return(&t.db, &author(), first.id, date(2014, 2, 10), &report)
            .await
            .is_err()
    );
    let opcc = officer_of(&t, grant.opcc_id).await;
    let (got, _) = grants::monitoring_return(&t.db, &opcc, first.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.report.unwrap().total_spend(), Pence(1_000_000));
    // Nobody else reads the monitoring: not the public, not another OPCC.
    let public = ReadScope::public();
    assert_eq!(
        grants::monitoring_return(&t.db, &public, first.id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        grants::monitoring(&t.db, &public, &grant).await.unwrap(),
        None
    );
    let others = organisations::list(&t.db).await.unwrap();
    let other = others.iter().find(|o| {
        o.kind == safer_core::organisations::OrganisationKind::PolicingBody && o.id != grant.opcc_id
    });
    if let Some(other) = other {
        let elsewhere = officer_of(&t, other.id).await;
        assert_eq!(
            grants::monitoring(&t.db, &elsewhere, &grant).await.unwrap(),
            None
        );
    }
    let c = grants::add_condition(
        &t.db,
        &author(),
        grant.id,
        "A signed grant agreement",
        date(2013, 12, 1),
    )
    .await
    .unwrap();
    grants::meet_condition(
        &t.db,
        &author(),
        grant.id,
        c,
        date(2013, 11, 20),
        "Agreement signed 20 November",
    )
    .await
    .unwrap();
    assert!(
        grants::meet_condition(&t.db, &author(), grant.id, c, date(2013, 11, 21), "again")
            .await
            .is_err()
    );
    let e = Evaluation {
        spend: Pence(9_500_000),
        outputs: "o".into(),
        outcomes: "o".into(),
    };
    grants::evaluate(&t.db, &author(), grant.id, &e)
        .await
        .unwrap();
    assert!(
        grants::evaluate(&t.db, &author(), grant.id, &e)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_grant_paid_in_arrears_waits_for_its_returns() {
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let fund = funds::funds(&t.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Invest to Save 2013/14")
        .unwrap();
    let dudley = org(&t, "Safe and Sound Dudley").await;
    let g = grants::create_grant(
        &t.db,
        &author(),
        fund.id,
        &GrantDetails {
            title: "Community Payback".into(),
            recipient_id: dudley,
            amount: Pence(5_000_000),
            awarded_on: date(2013, 12, 1),
            starts_on: date(2014, 1, 1),
            ends_on: date(2014, 12, 31),
            payment_basis: PaymentBasis::Arrears,
            monitoring: Monitoring::Quarterly,
        },
    )
    .await
    .unwrap();
    assert_eq!(returns(&t, g).await.len(), 4);
    grants::schedule_payment(&t.db, &author(), g, date(2014, 5, 1), Pence(1_250_000))
        .await
        .unwrap();
    let payment = grants::payments(&t.db, g).await.unwrap()[0].id;
    let refused = grants::pay(&t.db, &author(), g, payment, date(2014, 5, 1))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("paid in arrears"), "{refused}");
    let first = returns(&t, g).await.remove(0);
    let report = ReturnReport {
        spend: vec![("Community Payback".into(), Pence(1_250_000))],
        outputs: "12 projects".into(),
        narrative: "As planned".into(),
        status: ReturnStatus::OnTrack,
    };
    grants::submit_return(&t.db, &author(), first.id, date(2014, 4, 20), &report)
        .await
        .unwrap();
    grants::pay(&t.db, &author(), g, payment, date(2014, 5, 1))
        .await
        .unwrap();
    // More than the fund has left is refused by how much.
    let refused = grants::create_grant(
        &t.db,
        &author(),
        fund.id,
        &GrantDetails {
            title: "Too much".into(),
            recipient_id: dudley,
            amount: Pence(30_000_000),
            awarded_on: date(2013, 12, 1),
            starts_on: date(2014, 1, 1),
            ends_on: date(2014, 12, 31),
            payment_basis: PaymentBasis::Advance,
            monitoring: Monitoring::Final,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "that is £30,000 more than the fund has left (£270,000 of its budget is uncommitted)"
    );
}

#[tokio::test]
async fn the_360giving_records_carry_locations_payments_and_what_bids_asked_for() {
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let records = grants::giving_records(&t.db).await.unwrap();
    // Seed 004's seven to North Worcestershire, and seed 003's seven victims services and
    // seven restorative justice projects.
    assert_eq!(records.len(), 21);
    assert!(records.windows(2).all(|w| w[0].id < w[1].id));
    let wyre = records
        .iter()
        .find(|r| r.title == "Wyre Forest Keeping Safe Project")
        .unwrap();
    assert_eq!(wyre.locations.len(), 3);
    assert_eq!(wyre.amount_disbursed, Pence(4_812_500));
    assert_eq!(wyre.disbursements.len(), 1);
    assert_eq!(wyre.amount_applied_for, None);
    assert!(!wyre.from_open_call);
    assert_eq!(
        wyre.funder.1,
        "West Mercia Office of the Police and Crime Commissioner"
    );
}

#[tokio::test]
async fn the_demo_has_seed_003_s_victims_fund_and_restorative_justice_awards() {
    let t = TestDb::new().await;
    demo::load(&t.db).await.unwrap();
    let all = funds::funds(&t.db).await.unwrap();
    let victims = all
        .iter()
        .find(|f| f.name == "Victims Fund 2015/16")
        .unwrap();
    assert_eq!(victims.budget.to_string(), "£1,289,105");
    assert_eq!(victims.remaining, Pence(0));
    let rj = all
        .iter()
        .find(|f| f.name == "Restorative Justice 2015/16")
        .unwrap();
    assert_eq!(rj.committed.to_string(), "£305,466");
    let commitments = funds::commitments(&t.db, victims.id).await.unwrap();
    let to_rj = commitments
        .iter()
        .find(|c| c.description.starts_with("Restorative"))
        .unwrap();
    assert_eq!(
        to_rj.amount.to_string(),
        "£304,466",
        "the papers' slip, kept visible"
    );
    assert!(
        grants::overdue_returns(
            &t.db,
            &officer_of(&t, rj.organisation_id).await,
            date(2026, 11, 23),
            Some(rj.organisation_id),
            None,
        )
        .await
        .unwrap()
        .is_empty()
    );
}
