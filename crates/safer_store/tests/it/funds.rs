//! Funds: what is left is computed, and no commitment, however many at once, takes more.

use jiff::civil::date;
use safer_core::funds::{FinancialYear, FundDetails, Pence, Spending};
use safer_core::organisations::OrganisationKind;
use safer_store::funds::{self, NewCommitment};
use safer_store::organisations::{self, NewOrganisation};
use safer_store::{Author, Db, StoreError};
use safer_test_support::TestDb;

fn author() -> Author {
    Author::system("test")
}

async fn invest_to_save(db: &Db) -> i64 {
    let opcc = organisations::create(
        db,
        &author(),
        &NewOrganisation {
            kind: OrganisationKind::PolicingBody,
            name: "West Midlands Office of the Police and Crime Commissioner",
            policing_body_id: None,
            force_area: None,
        },
    )
    .await
    .unwrap();
    let details = FundDetails {
        name: "Invest to Save 2013/14".into(),
        source: "PCC budget".into(),
        first_year: FinancialYear(2013),
        last_year: FinancialYear(2013),
        spending: Spending::Both,
        budget: Pence(35_000_000),
    };
    funds::create_fund(db, &author(), opcc, &details)
        .await
        .unwrap()
}

fn commitment(description: &str, pounds: i64) -> NewCommitment<'_> {
    NewCommitment {
        description,
        recipient_id: None,
        amount: Pence(pounds * 100),
        committed_on: date(2013, 9, 1),
    }
}

#[tokio::test]
async fn what_is_left_is_the_budget_less_commitments_and_more_is_refused_by_how_much() {
    let t = TestDb::new().await;
    let fund = invest_to_save(&t.db).await;
    funds::commit(
        &t.db,
        &author(),
        fund,
        &commitment("Domestic homicide review research", 30_000),
    )
    .await
    .unwrap();
    let f = funds::fund(&t.db, fund).await.unwrap().unwrap();
    assert_eq!(
        (f.budget, f.committed, f.remaining),
        (Pence(35_000_000), Pence(3_000_000), Pence(32_000_000))
    );
    assert_eq!(f.remaining.to_string(), "£320,000");
    assert_eq!(f.years(), "2013/14");
    let refused = funds::commit(&t.db, &author(), fund, &commitment("Too much", 509_260)).await;
    match refused {
        Err(StoreError::Invalid(m)) => assert_eq!(
            m,
            "that is £189,260 more than the fund has left (£320,000 of its budget is uncommitted)"
        ),
        other => panic!("{other:?}"),
    }
    // Exactly what is left is accepted, and then nothing more.
    funds::commit(&t.db, &author(), fund, &commitment("The rest", 320_000))
        .await
        .unwrap();
    assert!(
        funds::commit(&t.db, &author(), fund, &commitment("A penny", 0))
            .await
            .is_err()
    );
    let f = funds::fund(&t.db, fund).await.unwrap().unwrap();
    assert_eq!(f.remaining, Pence(0));
    assert_eq!(funds::commitments(&t.db, fund).await.unwrap().len(), 2);
    // A fund's name is its own.
    let again = funds::create_fund(
        &t.db,
        &author(),
        f.organisation_id,
        &FundDetails {
            name: f.name.clone(),
            source: "x".into(),
            first_year: FinancialYear(2014),
            last_year: FinancialYear(2014),
            spending: Spending::Revenue,
            budget: Pence(1),
        },
    )
    .await;
    assert!(matches!(again, Err(StoreError::Invalid(_))));
}

#[tokio::test]
async fn fifty_concurrent_commitments_never_take_more_than_the_fund_holds() {
    let t = TestDb::new().await;
    let fund = invest_to_save(&t.db).await;
    // 50 commitments of £10,000 against £350,000: exactly 35 can be made.
    let mut tasks = Vec::new();
    for i in 0..50 {
        let db = t.db.clone();
        tasks.push(tokio::spawn(async move {
            let description = format!("Project {i}");
            funds::commit(&db, &author(), fund, &commitment(&description, 10_000)).await
        }));
    }
    let mut made = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => made += 1,
            Err(StoreError::Invalid(m)) => {
                assert!(m.contains("more than the fund has left"), "{m}")
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(made, 35);
    let f = funds::fund(&t.db, fund).await.unwrap().unwrap();
    assert_eq!((f.committed, f.remaining), (Pence(35_000_000), Pence(0)));
}
