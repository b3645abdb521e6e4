//! The funds register: what is left is computed; an officer of the fund's OPCC commits money
//! and is refused, with the amount over, beyond what is left.

use crate::support::{Client, TestApp};
use axum::http::StatusCode;

#[tokio::test]
async fn an_officer_commits_money_from_a_fund_and_cannot_over_commit_it() {
    let app = TestApp::new().await;
    let mut public = Client::default();
    let page = app.get(&mut public, "/funds").await;
    assert_eq!(page.status, StatusCode::OK);
    let register = page.text("#table-funds");
    assert!(
        register.contains("Invest to Save 2013/14") && register.contains("£350,000"),
        "{register}"
    );
    assert!(register.contains("£320,000"), "{register}");
    assert!(register.contains("£6,969,000"), "{register}");
    let fund = safer_store::funds::funds(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "Invest to Save 2013/14")
        .unwrap();
    let path = format!("/funds/{}", fund.id);
    assert_eq!(
        app.get(&mut public, &path).await.text("#remaining"),
        "£320,000"
    );

    let mut officer = app.sign_in("officer@west-midlands.example").await;
    let commit = format!("{path}/commitments");
    let page = app
        .post(
            &mut officer,
            &commit,
            &[
                ("description", "The eleven bids in full"),
                ("amount", "£509,260"),
                ("date-day", "5"),
                ("date-month", "11"),
                ("date-year", "2013"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-summary")
            .contains("That is £189,260 more than the fund has left (£320,000"),
        "{}",
        page.text(".govuk-error-summary")
    );
    let page = app.post(&mut officer, &commit, &[("amount", "lots")]).await;
    let summary = page.text(".govuk-error-summary");
    for message in [
        "Enter what the money is for",
        "Enter the amount in pounds, like £30,000",
        "Enter the date the money was committed",
    ] {
        assert!(summary.contains(message), "{summary}");
    }
    let page = app
        .post(
            &mut officer,
            &commit,
            &[
                ("description", "Safer Solihull: CCTV upgrade"),
                ("amount", "20000"),
                ("date-day", "5"),
                ("date-month", "11"),
                ("date-year", "2013"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = app.get(&mut public, &path).await;
    assert_eq!(page.text("#remaining"), "£300,000");
    assert!(
        page.text("#table-commitments")
            .contains("Safer Solihull: CCTV upgrade")
    );
    let api: serde_json::Value =
        serde_json::from_str(&app.get(&mut public, &format!("/api/v1{path}")).await.body).unwrap();
    assert_eq!(api["remaining"], 30_000_000);
    assert_eq!(api["commitments"].as_array().unwrap().len(), 2);

    // A partnership manager may read the register but not commit.
    let mut manager = app.sign_in("manager@solihull.example").await;
    let page = app
        .post(
            &mut manager,
            &commit,
            &[("description", "x"), ("amount", "1")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // The officer defines a fund; its form says what to fix first.
    let page = app
        .post(
            &mut officer,
            "/funds",
            &[("name", "Victims Fund"), ("first-year", "2015/17")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-summary")
            .contains("Enter the financial year as two years")
    );
    let fund = |name: &'static str| {
        [
            ("name", name),
            ("source", "Ministry of Justice victims grant"),
            ("first-year", "2016/17"),
            ("spending", "revenue"),
            ("budget", "£1,200,000"),
        ]
    };
    // The demo already holds seed 003's Victims Fund 2015/16: a second of that name is refused.
    let page = app
        .post(&mut officer, "/funds", &fund("Victims Fund 2015/16"))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text(".govuk-error-summary")
            .contains("There is already a fund called Victims Fund 2015/16")
    );
    let page = app
        .post(&mut officer, "/funds", &fund("Victims Fund 2016/17"))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = app.get(&mut public, page.location()).await;
    assert_eq!(page.text("#remaining"), "£1,200,000");
}
