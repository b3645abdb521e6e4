//! Funds: the register of funds with what each has committed and left (computed), and a fund's
//! commitments. The fund's own OPCC officers define funds and commit money from them.

use crate::AppState;
use crate::components::{Choices, DateInput, ErrorSummary, Select, TextInput};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::grants::{GrantFormView, grant_form_view, grants_table};
use crate::pages::plans::author;
use crate::pages::rounds::{RoundFormView, round_form_view, rounds_table};
use crate::pages::{DataTable, Id, Pairs, refusal, unprocessable};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::{Actor, ReadScope, fund_access};
use safer_core::forms::{FormErrors, required_text};
use safer_core::funds::{FundForm, Pence, Spending};
use safer_core::organisations::OrganisationKind;
use safer_store::bids;
use safer_store::funds::{self, Commitment, Fund, NewCommitment};
use safer_store::organisations;
use serde::Deserialize;

/// The OPCC for which the viewer may define funds, if any: funds are held by OPCCs, and
/// defined by their officers.
fn fund_holder(actor: Option<&Actor>) -> Option<i64> {
    actor?
        .memberships
        .iter()
        .map(|m| m.organisation)
        .find(|o| o.kind == OrganisationKind::PolicingBody && fund_access(actor, o.id).commissions)
        .map(|o| o.id)
}

fn funds_table(all: &[Fund]) -> DataTable {
    let mut t = DataTable::new(
        "funds",
        "Funds, with what each has committed and has left".to_owned(),
        &[
            ("Fund", false),
            ("Source", false),
            ("Years", false),
            ("Budget", true),
            ("Committed", true),
            ("Left", true),
        ],
    );
    for f in all {
        t.push(vec![
            DataTable::link(f.name.clone(), format!("/funds/{}", f.id)),
            f.source.clone().into(),
            f.years().into(),
            f.budget.to_string().into(),
            f.committed.to_string().into(),
            f.remaining.to_string().into(),
        ]);
    }
    t
}

#[derive(Template, WebTemplate)]
#[template(path = "funds.html")]
pub(crate) struct FundsPage {
    layout: Layout,
    table: DataTable,
    form: Option<FundFormView>,
}

/// The form to define a fund.
pub(crate) struct FundFormView {
    summary: ErrorSummary,
    name: TextInput,
    source: TextInput,
    first_year: TextInput,
    last_year: TextInput,
    spending: Choices,
    budget: TextInput,
}

/// The fund form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct FundFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    source: String,
    #[serde(default, rename = "first-year")]
    first_year: String,
    #[serde(default, rename = "last-year")]
    last_year: String,
    #[serde(default)]
    spending: String,
    #[serde(default)]
    budget: String,
}

/// The register of funds.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<FundsPage, AppError> {
    funds_page(
        &state,
        &viewer,
        &FundFields::default(),
        &FormErrors::default(),
    )
    .await
}

async fn funds_page(
    state: &AppState,
    viewer: &Viewer,
    f: &FundFields,
    errors: &FormErrors,
) -> Result<FundsPage, AppError> {
    let spendings = Spending::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .collect();
    let form = fund_holder(viewer.actor.as_ref()).map(|_| FundFormView {
        summary: ErrorSummary::of(errors),
        name: TextInput::new("name", "Name", &f.name, errors),
        source: TextInput::new("source", "Source of the money", &f.source, errors)
            .hint("For example, Home Office Community Safety Fund, or PCC budget"),
        first_year: TextInput::new("first-year", "First financial year", &f.first_year, errors)
            .hint("For example, 2013/14"),
        last_year: TextInput::new(
            "last-year",
            "Last financial year (optional)",
            &f.last_year,
            errors,
        )
        .hint("Leave empty for a fund of one year"),
        spending: Choices::radios(
            "spending",
            "May be spent on",
            spendings,
            &f.spending,
            errors,
        ),
        budget: TextInput::new("budget", "Budget", &f.budget, errors)
            .hint("In pounds, for example £350,000"),
    });
    Ok(FundsPage {
        layout: Layout::new(state, viewer, "Funds", Section::Funds).with_errors(!errors.is_empty()),
        table: funds_table(&funds::funds(&state.db).await?),
        form,
    })
}

/// Defines a fund held by the officer's OPCC.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(fields): Form<FundFields>,
) -> Result<Response, AppError> {
    let actor = viewer.require("/funds")?;
    let Some(opcc) = fund_holder(Some(actor)) else {
        return Err(AppError::Forbidden);
    };
    let form = FundForm {
        name: fields.name.clone(),
        source: fields.source.clone(),
        first_year: fields.first_year.clone(),
        last_year: fields.last_year.clone(),
        spending: fields.spending.clone(),
        budget: fields.budget.clone(),
    };
    let errors = match form.parse() {
        Ok(details) => match funds::create_fund(&state.db, &author(&viewer)?, opcc, &details).await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/funds/{id}")).into_response()),
            Err(e) => refusal(e, "name")?,
        },
        Err(errors) => errors,
    };
    let page = funds_page(&state, &viewer, &fields, &errors).await?;
    Ok(unprocessable(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "fund.html")]
pub(crate) struct FundPage {
    layout: Layout,
    fund: Fund,
    holder: String,
    table: DataTable,
    form: Option<CommitFormView>,
    rounds: DataTable,
    round_form: Option<RoundFormView>,
    grants: DataTable,
    grant_form: Option<GrantFormView>,
}

/// Which form on a fund's page was submitted, with what was entered and what to fix.
pub(crate) enum Forms<'a> {
    /// None: the page as first shown.
    None,
    /// The commitment form.
    Commit(&'a CommitFields, &'a FormErrors),
    /// The form to open a round.
    Round(&'a Pairs, &'a FormErrors),
    /// The form to make a grant.
    Grant(&'a Pairs, &'a FormErrors),
}

/// The form to commit money from a fund.
pub(crate) struct CommitFormView {
    summary: ErrorSummary,
    description: TextInput,
    recipient: Select,
    amount: TextInput,
    date: DateInput,
}

/// The commitment form as submitted.
#[derive(Debug, Default, Deserialize)]
pub struct CommitFields {
    #[serde(default)]
    description: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    amount: String,
    #[serde(default, rename = "date-day")]
    day: String,
    #[serde(default, rename = "date-month")]
    month: String,
    #[serde(default, rename = "date-year")]
    year: String,
}

fn commitments_table(fund: &Fund, all: &[Commitment]) -> DataTable {
    let mut t = DataTable::new(
        "commitments",
        format!("Money committed from {}", fund.name),
        &[
            ("Commitment", false),
            ("Recipient", false),
            ("Committed on", false),
            ("Amount", true),
        ],
    );
    for c in all {
        t.push(vec![
            c.description.clone().into(),
            c.recipient_name.clone().unwrap_or_default().into(),
            safer_core::time::long_date(c.committed_on).into(),
            c.amount.to_string().into(),
        ]);
    }
    t
}

/// One fund and its commitments.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<FundPage, AppError> {
    fund_page(&state, &viewer, id, Forms::None).await
}

/// A fund's page, with whichever form was submitted filled in.
pub(crate) async fn fund_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    submitted: Forms<'_>,
) -> Result<FundPage, AppError> {
    let none = FormErrors::default();
    let blank_commit = CommitFields::default();
    let blank_round = Pairs::default();
    let (f, errors) = match submitted {
        Forms::Commit(f, e) => (f, e),
        _ => (&blank_commit, &none),
    };
    let (round_fields, round_errors) = match submitted {
        Forms::Round(p, e) => (p, e),
        _ => (&blank_round, &none),
    };
    let (grant_fields, grant_errors) = match submitted {
        Forms::Grant(p, e) => (p, e),
        _ => (&blank_round, &none),
    };
    let fund = funds::fund(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let holder = organisations::get(&state.db, fund.organisation_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let access = fund_access(viewer.actor.as_ref(), fund.organisation_id);
    let form = if access.commissions {
        let mut recipients = vec![(String::new(), "None of these".to_owned())];
        recipients.extend(
            organisations::list(&state.db)
                .await?
                .into_iter()
                .map(|o| (o.id.to_string(), o.name)),
        );
        Some(CommitFormView {
            summary: ErrorSummary::of(errors),
            description: TextInput::new(
                "description",
                "What the money is for",
                &f.description,
                errors,
            ),
            recipient: Select::new(
                "recipient",
                "Recipient (optional)",
                recipients,
                &f.recipient,
                errors,
            ),
            amount: TextInput::new("amount", "Amount", &f.amount, errors)
                .hint(&format!("In pounds. The fund has {} left.", fund.remaining)),
            date: DateInput::new("date", "Committed on", [&f.day, &f.month, &f.year], errors)
                .hint("For example, 30 9 2013"),
        })
    } else {
        None
    };
    let table = commitments_table(&fund, &funds::commitments(&state.db, id).await?);
    let rounds = rounds_table(&fund.name, &bids::rounds(&state.db, id).await?);
    let (round_form, grant_form) = if access.commissions {
        (
            Some(round_form_view(state, fund.organisation_id, round_fields, round_errors).await?),
            Some(grant_form_view(state, fund.organisation_id, grant_fields, grant_errors).await?),
        )
    } else {
        (None, None)
    };
    let grants = grants_table(
        format!("Grants from {}", fund.name),
        &safer_store::grants::fund_grants(&state.db, id).await?,
    );
    Ok(FundPage {
        layout: Layout::new(state, viewer, fund.name.clone(), Section::Funds).with_errors(
            !errors.is_empty() || !round_errors.is_empty() || !grant_errors.is_empty(),
        ),
        rounds,
        round_form,
        grants,
        grant_form,
        fund,
        holder,
        table,
        form,
    })
}

/// Commits money from the fund; refused, saying by how much, beyond what it has left.
pub async fn commit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(fields): Form<CommitFields>,
) -> Result<Response, AppError> {
    let actor = viewer.require(&format!("/funds/{id}"))?;
    let fund = funds::fund(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !fund_access(Some(actor), fund.organisation_id).commissions {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let description = required_text(
        &mut errors,
        "description",
        &fields.description,
        "Enter what the money is for",
        300,
    );
    let recipient = if fields.recipient.is_empty() {
        None
    } else {
        let id = fields.recipient.parse::<i64>().ok();
        match id {
            Some(id) if organisations::get(&state.db, id).await?.is_some() => Some(id),
            _ => {
                errors.add("recipient", "Select the recipient from the list");
                None
            }
        }
    };
    let amount = Pence::parse(&fields.amount).filter(|p| p.0 > 0);
    if amount.is_none() {
        errors.add("amount", "Enter the amount in pounds, like £30,000");
    }
    let date = match safer_core::time::parse_date_input(&fields.day, &fields.month, &fields.year) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errors.add("date-day", "Enter the date the money was committed");
            None
        }
        Err(message) => {
            errors.add("date-day", message);
            None
        }
    };
    if let (Some(amount), Some(committed_on), true) = (amount, date, errors.is_empty()) {
        let new = NewCommitment {
            description: &description,
            recipient_id: recipient,
            amount,
            committed_on,
        };
        match funds::commit(&state.db, &author(&viewer)?, id, &new).await {
            Ok(_) => return Ok(Redirect::to(&format!("/funds/{id}")).into_response()),
            Err(e) => errors = refusal(e, "amount")?,
        }
    }
    let page = fund_page(&state, &viewer, id, Forms::Commit(&fields, &errors)).await?;
    Ok(unprocessable(page))
}

/// A fund's report: for each round, requested against approved by partnership (from the bids
/// the viewer may see); and each grant's award, payments and, for those who monitor it, spend
/// against award and returns outstanding.
pub(crate) struct FundReport {
    fund: Fund,
    tables: Vec<DataTable>,
}

/// For each of a fund's rounds, requested against approved by partnership, from the bids
/// `scope` may read: what a fund report and a paper's allocations block show.
async fn round_tables(
    state: &AppState,
    scope: &ReadScope,
    fund_id: i64,
) -> Result<Vec<DataTable>, AppError> {
    let mut tables = Vec::new();
    for round in bids::rounds(&state.db, fund_id).await? {
        let visible = bids::bids(&state.db, scope, round.id).await?;
        if !visible.is_empty() {
            tables.push(
                crate::pages::rounds::by_partnership_table(
                    format!("{}: requested against approved by partnership", round.name),
                    &visible,
                )
                .with_id(format!("round-{}", round.id)),
            );
        }
    }
    Ok(tables)
}

/// A fund's allocations as a board paper shows them: the rounds' requested against approved,
/// and each grant with its recipient and award, with a total. `None` for no such fund.
pub(crate) async fn allocation_tables(
    state: &AppState,
    scope: &ReadScope,
    fund_id: i64,
) -> Result<Option<Vec<DataTable>>, AppError> {
    let Some(fund) = funds::fund(&state.db, fund_id).await? else {
        return Ok(None);
    };
    let mut tables = round_tables(state, scope, fund_id).await?;
    let grants = safer_store::grants::fund_grants(&state.db, fund_id).await?;
    if !grants.is_empty() {
        let mut t = DataTable::new(
            "allocations",
            format!("Awards from {}", fund.name),
            &[("Recipient", false), ("For", false), ("Awarded", true)],
        );
        for g in &grants {
            t.push(vec![
                g.recipient_name.clone().into(),
                g.title.clone().into(),
                g.amount.to_string().into(),
            ]);
        }
        let total = Pence(grants.iter().map(|g| g.amount.0).sum());
        t.push(vec![
            "Total".into(),
            String::new().into(),
            total.to_string().into(),
        ]);
        tables.push(t);
    }
    Ok(Some(tables))
}

async fn fund_report(state: &AppState, viewer: &Viewer, id: i64) -> Result<FundReport, AppError> {
    let fund = funds::fund(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = viewer.scope();
    let mut tables = round_tables(state, &scope, id).await?;
    let grants = safer_store::grants::fund_grants(&state.db, id).await?;
    let progress =
        safer_store::grants::fund_progress(&state.db, &scope, id, safer_store::clock::today())
            .await?;
    let mut t = DataTable::new(
        "grants-progress",
        format!(
            "Grants from {}: spend against award and returns outstanding",
            fund.name
        ),
        &[
            ("Grant", false),
            ("Recipient", false),
            ("Award", true),
            ("Paid", true),
            ("Spend reported", true),
            ("Spend against award", true),
            ("Returns outstanding", true),
            ("Of which overdue", true),
        ],
    );
    let (mut award, mut paid) = (0, 0);
    for g in &grants {
        award += g.amount.0;
        paid += g.paid.0;
        let p = progress.iter().find(|p| p.grant_id == g.id);
        let spend = p.and_then(|p| p.spend);
        t.push(vec![
            DataTable::link(g.title.clone(), format!("/grants/{}", g.id)),
            g.recipient_name.clone().into(),
            g.amount.to_string().into(),
            g.paid.to_string().into(),
            spend.map(|s| s.to_string()).unwrap_or_default().into(),
            spend
                .filter(|_| g.amount.0 > 0)
                .map(|s| format!("{:.0}%", 100.0 * s.0 as f64 / g.amount.0 as f64))
                .unwrap_or_default()
                .into(),
            p.map(|p| p.outstanding.to_string())
                .unwrap_or_default()
                .into(),
            p.map(|p| p.overdue.to_string()).unwrap_or_default().into(),
        ]);
    }
    if !grants.is_empty() {
        t.push(vec![
            "Total".into(),
            String::new().into(),
            Pence(award).to_string().into(),
            Pence(paid).to_string().into(),
            String::new().into(),
            String::new().into(),
            String::new().into(),
            String::new().into(),
        ]);
        tables.push(t);
    }
    Ok(FundReport { fund, tables })
}

#[derive(Template, WebTemplate)]
#[template(path = "fund_report.html")]
pub(crate) struct FundReportPage {
    layout: Layout,
    report: FundReport,
}

/// The fund's report.
pub async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<FundReportPage, AppError> {
    let report = fund_report(&state, &viewer, id).await?;
    Ok(FundReportPage {
        layout: Layout::new(
            &state,
            &viewer,
            format!("{}: report", report.fund.name),
            Section::Funds,
        ),
        report,
    })
}

/// Every table of the report as one XLSX workbook, a sheet each.
pub async fn report_xlsx(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    let report = fund_report(&state, &viewer, id).await?;
    let sheets: Vec<_> = report.tables.iter().map(DataTable::sheet).collect();
    if sheets.is_empty() {
        return Err(AppError::NotFound);
    }
    let bytes = crate::spreadsheet::workbook(&sheets).map_err(AppError::Internal)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"fund-{id}-report.xlsx\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Which of the report's tables to download.
#[derive(Debug, Deserialize)]
pub struct TableQuery {
    #[serde(default)]
    table: String,
}

/// One of the report's tables as CSV, exactly as the page shows it.
pub async fn report_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    axum::extract::Query(q): axum::extract::Query<TableQuery>,
) -> Result<Response, AppError> {
    let report = fund_report(&state, &viewer, id).await?;
    let table = report
        .tables
        .iter()
        .find(|t| t.id == q.table)
        .ok_or(AppError::NotFound)?;
    crate::pages::csv_response(&format!("fund-{id}-{}.csv", table.id), table)
}
