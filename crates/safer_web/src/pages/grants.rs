//! Grants: the public register; a grant's page with its conditions, payments, variations,
//! monitoring returns (flagged when overdue) and evaluation, and the forms the OPCC's officers
//! and the recipient's manager use on it; a return's page, where the recipient reports.

use crate::AppState;
use crate::components::{Choices, DateInput, ErrorSummary, Select, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::plans::author;
use crate::pages::{DataTable, Id, Pairs, refusal, unprocessable};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::{fund_access, grant_access};
use safer_core::forms::{FormErrors, required_text};
use safer_core::funds::Pence;
use safer_core::grants::{
    Monitoring, PaymentBasis, ReturnStatus, parse_grant, parse_return, parse_variation,
    return_standing,
};
use safer_core::time::{long_date, required_date};
use safer_store::grants::{
    self, Condition, Evaluation, Grant, GrantMonitoring, MonitoringReturn, OverdueReturn, Payment,
    VariationRecord,
};
use safer_store::{clock, organisations};

fn date_input(p: &Pairs, id: &str, legend: &str, errors: &FormErrors) -> DateInput {
    DateInput::new(id, legend, p.date(id), errors)
}

/// The grants register table.
pub(crate) fn grants_table(caption: String, all: &[Grant]) -> DataTable {
    let mut t = DataTable::new(
        "grants",
        caption,
        &[
            ("Grant", false),
            ("Recipient", false),
            ("Fund", false),
            ("Awarded", false),
            ("Amount", true),
            ("Paid", true),
        ],
    );
    for g in all {
        t.push(vec![
            DataTable::link(g.title.clone(), format!("/grants/{}", g.id)),
            g.recipient_name.clone().into(),
            g.fund_name.clone().into(),
            long_date(g.awarded_on).into(),
            g.amount.to_string().into(),
            g.paid.to_string().into(),
        ]);
    }
    t
}

#[derive(Template, WebTemplate)]
#[template(path = "grants.html")]
pub(crate) struct GrantsPage {
    layout: Layout,
    table: DataTable,
}

/// The public grants register.
pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<GrantsPage, AppError> {
    let all = grants::grants(&state.db).await?;
    Ok(GrantsPage {
        layout: Layout::new(&state, &viewer, "Grants register", Section::Funds),
        table: grants_table("Grants, latest award first".to_owned(), &all),
    })
}

/// The form to make a grant directly from a fund, on the fund's page.
pub(crate) struct GrantFormView {
    pub(crate) summary: ErrorSummary,
    pub(crate) title: TextInput,
    pub(crate) recipient: Select,
    pub(crate) amount: TextInput,
    pub(crate) awarded: DateInput,
    pub(crate) starts: DateInput,
    pub(crate) ends: DateInput,
    pub(crate) basis: Choices,
    pub(crate) monitoring: Choices,
}

/// The grant form for a fund held by `opcc_id`.
pub(crate) async fn grant_form_view(
    state: &AppState,
    opcc_id: i64,
    p: &Pairs,
    errors: &FormErrors,
) -> Result<GrantFormView, AppError> {
    let mut recipients = vec![(String::new(), "Choose the recipient".to_owned())];
    recipients.extend(
        organisations::list(&state.db)
            .await?
            .into_iter()
            .filter(|o| o.policing_body_id == Some(opcc_id) && o.id != opcc_id)
            .map(|o| (o.id.to_string(), o.name)),
    );
    let bases = PaymentBasis::ALL
        .iter()
        .map(|b| (b.as_str().to_owned(), b.label().to_owned()))
        .collect();
    let frequencies = Monitoring::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
        .collect();
    Ok(GrantFormView {
        summary: ErrorSummary::of(errors),
        title: TextInput::new("title", "What the grant is for", p.get("title"), errors),
        recipient: Select::new(
            "recipient",
            "Recipient",
            recipients,
            p.get("recipient"),
            errors,
        ),
        amount: TextInput::new("amount", "Amount", p.get("amount"), errors).hint("In pounds"),
        awarded: date_input(p, "awarded-on", "Awarded on", errors),
        starts: date_input(p, "starts-on", "Funded work starts", errors),
        ends: date_input(p, "ends-on", "Funded work ends", errors),
        basis: Choices::radios(
            "payment-basis",
            "Paid",
            bases,
            p.get("payment-basis"),
            errors,
        ),
        monitoring: Choices::radios(
            "monitoring",
            "Monitoring returns",
            frequencies,
            p.get("monitoring"),
            errors,
        ),
    })
}

/// Makes a grant directly from a fund; for its OPCC officers.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(fund_id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = viewer.require(&format!("/funds/{fund_id}"))?;
    let fund = safer_store::funds::fund(&state.db, fund_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !fund_access(Some(actor), fund.organisation_id).commissions {
        return Err(AppError::Forbidden);
    }
    let recipient = match p.get("recipient").parse::<i64>().ok() {
        Some(id) => organisations::get(&state.db, id)
            .await?
            .filter(|o| o.policing_body_id == Some(fund.organisation_id))
            .map(|o| o.id),
        None => None,
    };
    let parsed = parse_grant(
        p.get("title"),
        recipient,
        p.get("amount"),
        p.date("awarded-on"),
        p.date("starts-on"),
        p.date("ends-on"),
        p.get("payment-basis"),
        p.get("monitoring"),
    );
    let errors = match parsed {
        Ok(g) => match grants::create_grant(&state.db, &author(&viewer)?, fund_id, &g).await {
            Ok(id) => return Ok(Redirect::to(&format!("/grants/{id}")).into_response()),
            Err(e) => refusal(e, "amount")?,
        },
        Err(errors) => errors,
    };
    let page = crate::pages::funds::fund_page(
        &state,
        &viewer,
        fund_id,
        crate::pages::funds::Forms::Grant(&p, &errors),
    )
    .await?;
    Ok(unprocessable(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "grant.html")]
pub(crate) struct GrantPage {
    layout: Layout,
    summary: ErrorSummary,
    grant: Grant,
    conditions: Vec<Condition>,
    payments: Vec<Payment>,
    variations: Vec<VariationRecord>,
    returns: Option<Vec<MonitoringReturn>>,
    evaluation: Option<Evaluation>,
    today: jiff::civil::Date,
    officer: Option<OfficerForms>,
    evaluation_form: Option<EvaluationForm>,
}

impl GrantPage {
    fn standing(&self, r: &MonitoringReturn) -> (&'static str, &'static str) {
        return_standing(r.due_on, r.submitted_on, self.today)
    }

    fn day(&self, d: &jiff::civil::Date) -> String {
        long_date(*d)
    }

    fn scheduled(&self) -> Pence {
        Pence(self.payments.iter().map(|p| p.amount.0).sum())
    }
}

/// The forms the fund's OPCC officers use on a grant.
pub(crate) struct OfficerForms {
    condition: TextInput,
    condition_due: DateInput,
    met: Select,
    met_on: DateInput,
    evidence: Textarea,
    payment_due: DateInput,
    payment_amount: TextInput,
    paying: Select,
    paid_on: DateInput,
    variation: Textarea,
    extra: TextInput,
    new_end: DateInput,
    approved_on: DateInput,
    return_period: TextInput,
    return_due: DateInput,
}

/// The recipient's end-of-year evaluation form.
pub(crate) struct EvaluationForm {
    spend: TextInput,
    outputs: Textarea,
    outcomes: Textarea,
}

/// A grant.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<GrantPage, AppError> {
    grant_page(
        &state,
        &viewer,
        id,
        &Pairs::default(),
        &FormErrors::default(),
    )
    .await
}

async fn grant_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    p: &Pairs,
    errors: &FormErrors,
) -> Result<GrantPage, AppError> {
    let grant = grants::grant(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = grant_access(viewer.actor.as_ref(), &grant.parties());
    let monitoring = grants::monitoring(&state.db, &viewer.scope(), &grant).await?;
    let conditions = grants::conditions(&state.db, id).await?;
    let payments = grants::payments(&state.db, id).await?;
    let officer = access.manage.then(|| {
        let unmet: Vec<(String, String)> =
            std::iter::once((String::new(), "Choose a condition".to_owned()))
                .chain(
                    conditions
                        .iter()
                        .filter(|c| c.met_on.is_none())
                        .map(|c| (c.id.to_string(), c.condition.clone())),
                )
                .collect();
        let unpaid: Vec<(String, String)> =
            std::iter::once((String::new(), "Choose a payment".to_owned()))
                .chain(payments.iter().filter(|x| x.paid_on.is_none()).map(|x| {
                    (
                        x.id.to_string(),
                        format!("{} due {}", x.amount, long_date(x.due_on)),
                    )
                }))
                .collect();
        OfficerForms {
            condition: TextInput::new("condition", "Condition", p.get("condition"), errors),
            condition_due: date_input(p, "condition-due", "Due by", errors),
            met: Select::new("met", "Condition met", unmet, p.get("met"), errors),
            met_on: date_input(p, "met-on", "Met on", errors),
            evidence: Textarea::new(
                "evidence",
                "Evidence that met it",
                p.get("evidence"),
                errors,
            ),
            payment_due: date_input(p, "payment-due", "Payment due on", errors),
            payment_amount: TextInput::new(
                "payment-amount",
                "Amount",
                p.get("payment-amount"),
                errors,
            )
            .hint("In pounds"),
            paying: Select::new("paying", "Payment made", unpaid, p.get("paying"), errors),
            paid_on: date_input(p, "paid-on", "Paid on", errors),
            variation: Textarea::new(
                "description",
                "What the variation changes, and why",
                p.get("description"),
                errors,
            ),
            extra: TextInput::new("extra", "Extra money (optional)", p.get("extra"), errors)
                .hint("In pounds, committed from the fund"),
            new_end: date_input(p, "new-end", "New end date (optional)", errors),
            approved_on: date_input(p, "approved-on", "Approved on", errors),
            return_period: TextInput::new(
                "period",
                "What the return covers",
                p.get("period"),
                errors,
            )
            .hint("For example, Interim return, January 2019"),
            return_due: date_input(p, "return-due", "Return due on", errors),
        }
    });
    let (returns, evaluation) = GrantMonitoring::parts(monitoring);
    let evaluation_form = (access.report && evaluation.is_none()).then(|| EvaluationForm {
        spend: TextInput::new("spend", "Spent in all", p.get("spend"), errors).hint("In pounds"),
        outputs: Textarea::new("outputs", "Outputs delivered", p.get("outputs"), errors),
        outcomes: Textarea::new("outcomes", "Outcomes achieved", p.get("outcomes"), errors),
    });
    Ok(GrantPage {
        layout: Layout::new(state, viewer, grant.title.clone(), Section::Funds)
            .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        variations: grants::variations(&state.db, id).await?,
        returns,
        evaluation,
        today: clock::today(),
        conditions,
        payments,
        officer,
        evaluation_form,
        grant,
    })
}

/// One of the officers' forms on a grant: which, from the path.
async fn officers_grant(state: &AppState, viewer: &Viewer, id: i64) -> Result<Grant, AppError> {
    let actor = viewer.require(&format!("/grants/{id}"))?;
    let grant = grants::grant(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !grant_access(Some(actor), &grant.parties()).manage {
        return Err(AppError::Forbidden);
    }
    Ok(grant)
}

async fn done_or_again(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    p: &Pairs,
    outcome: Result<(), FormErrors>,
    anchor: &str,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/grants/{id}#{anchor}")).into_response()),
        Err(errors) => Ok(unprocessable(
            grant_page(state, viewer, id, p, &errors).await?,
        )),
    }
}

/// Sets a condition.
pub async fn add_condition(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    officers_grant(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let condition = required_text(
        &mut errors,
        "condition",
        p.get("condition"),
        "Enter the condition",
        1000,
    );
    let due = required_date(
        &mut errors,
        "condition-due",
        p.date("condition-due"),
        "Enter the date the condition must be met by",
    );
    let outcome = match due {
        Some(due) if errors.is_empty() => {
            grants::add_condition(&state.db, &author(&viewer)?, id, &condition, due).await?;
            Ok(())
        }
        _ => Err(errors),
    };
    done_or_again(&state, &viewer, id, &p, outcome, "conditions").await
}

/// Records a condition met, with its evidence.
pub async fn meet_condition(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    officers_grant(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let condition = p.get("met").parse::<i64>().ok();
    if condition.is_none() {
        errors.add("met", "Choose the condition that was met");
    }
    let met_on = required_date(
        &mut errors,
        "met-on",
        p.date("met-on"),
        "Enter the date the condition was met",
    );
    let evidence = required_text(
        &mut errors,
        "evidence",
        p.get("evidence"),
        "Enter the evidence that met the condition",
        5000,
    );
    let outcome = match (condition, met_on) {
        (Some(c), Some(on)) if errors.is_empty() => {
            match grants::meet_condition(&state.db, &author(&viewer)?, id, c, on, &evidence).await {
                Ok(()) => Ok(()),
                Err(e) => Err(refusal(e, "met")?),
            }
        }
        _ => Err(errors),
    };
    done_or_again(&state, &viewer, id, &p, outcome, "conditions").await
}

/// Schedules a payment.
pub async fn schedule_payment(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    officers_grant(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let due = required_date(
        &mut errors,
        "payment-due",
        p.date("payment-due"),
        "Enter the date the payment is due",
    );
    let amount = Pence::parse(p.get("payment-amount")).filter(|a| a.0 > 0);
    if amount.is_none() {
        errors.add("payment-amount", "Enter the amount in pounds, like £5,000");
    }
    let outcome = match (due, amount) {
        (Some(due), Some(amount)) if errors.is_empty() => {
            match grants::schedule_payment(&state.db, &author(&viewer)?, id, due, amount).await {
                Ok(_) => Ok(()),
                Err(e) => Err(refusal(e, "payment-amount")?),
            }
        }
        _ => Err(errors),
    };
    done_or_again(&state, &viewer, id, &p, outcome, "payments").await
}

/// Records a payment made.
pub async fn pay(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    officers_grant(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let payment = p.get("paying").parse::<i64>().ok();
    if payment.is_none() {
        errors.add("paying", "Choose the payment that was made");
    }
    let paid_on = required_date(
        &mut errors,
        "paid-on",
        p.date("paid-on"),
        "Enter the date it was paid",
    );
    let outcome = match (payment, paid_on) {
        (Some(payment), Some(on)) if errors.is_empty() => {
            match grants::pay(&state.db, &author(&viewer)?, id, payment, on).await {
                Ok(()) => Ok(()),
                Err(e) => Err(refusal(e, "paying")?),
            }
        }
        _ => Err(errors),
    };
    done_or_again(&state, &viewer, id, &p, outcome, "payments").await
}

/// Records an approved variation.
pub async fn vary(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    officers_grant(&state, &viewer, id).await?;
    let outcome = match parse_variation(
        p.get("description"),
        p.get("extra"),
        p.date("new-end"),
        p.date("approved-on"),
    ) {
        Ok(v) => match grants::vary(&state.db, &author(&viewer)?, id, &v).await {
            Ok(_) => Ok(()),
            Err(e) => Err(refusal(e, "extra")?),
        },
        Err(errors) => Err(errors),
    };
    done_or_again(&state, &viewer, id, &p, outcome, "variations").await
}

/// Asks the recipient for a return.
pub async fn request_return(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    officers_grant(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let period = required_text(
        &mut errors,
        "period",
        p.get("period"),
        "Enter what the return covers",
        100,
    );
    let due = required_date(
        &mut errors,
        "return-due",
        p.date("return-due"),
        "Enter the date the return is due",
    );
    let outcome = match due {
        Some(due) if errors.is_empty() => {
            // An ad hoc return covers the work to the day it is asked for.
            let end = clock::today().min(due);
            grants::request_return(&state.db, &author(&viewer)?, id, &period, end, due).await?;
            Ok(())
        }
        _ => Err(errors),
    };
    done_or_again(&state, &viewer, id, &p, outcome, "returns").await
}

/// Records the end-of-year evaluation; for the recipient's manager.
pub async fn evaluate(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = viewer.require(&format!("/grants/{id}"))?;
    let grant = grants::grant(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !grant_access(Some(actor), &grant.parties()).report {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let spend = Pence::parse(p.get("spend"));
    if spend.is_none() {
        errors.add("spend", "Enter what was spent in pounds, or 0");
    }
    let outputs = required_text(
        &mut errors,
        "outputs",
        p.get("outputs"),
        "Enter the outputs delivered",
        20_000,
    );
    let outcomes = required_text(
        &mut errors,
        "outcomes",
        p.get("outcomes"),
        "Enter the outcomes achieved",
        20_000,
    );
    let outcome = match spend {
        Some(spend) if errors.is_empty() => {
            let e = Evaluation {
                spend,
                outputs,
                outcomes,
            };
            match grants::evaluate(&state.db, &author(&viewer)?, id, &e).await {
                Ok(()) => Ok(()),
                Err(e) => Err(refusal(e, "spend")?),
            }
        }
        _ => Err(errors),
    };
    done_or_again(&state, &viewer, id, &p, outcome, "evaluation").await
}

#[derive(Template, WebTemplate)]
#[template(path = "return.html")]
pub(crate) struct ReturnPage {
    layout: Layout,
    summary: ErrorSummary,
    grant: Grant,
    ret: MonitoringReturn,
    standing: (&'static str, &'static str),
    form: Option<ReturnForm>,
}

impl ReturnPage {
    fn day(&self, d: &jiff::civil::Date) -> String {
        long_date(*d)
    }
}

/// The recipient's return form.
pub(crate) struct ReturnForm {
    spend: Vec<TextInput>,
    outputs: Textarea,
    narrative: Textarea,
    status: Choices,
}

/// A return the viewer may read, with its grant.
pub(crate) async fn readable_return(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(MonitoringReturn, Grant), AppError> {
    grants::monitoring_return(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A monitoring return: the report, or the recipient's form while it is due.
pub async fn show_return(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<ReturnPage, AppError> {
    return_page(
        &state,
        &viewer,
        id,
        &Pairs::default(),
        &FormErrors::default(),
    )
    .await
}

async fn return_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    p: &Pairs,
    errors: &FormErrors,
) -> Result<ReturnPage, AppError> {
    let (ret, grant) = readable_return(state, viewer, id).await?;
    let form = if ret.submitted_on.is_none()
        && grant_access(viewer.actor.as_ref(), &grant.parties()).report
    {
        let lines = grants::spend_lines(&state.db, &grant).await?;
        let statuses = ReturnStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
            .collect();
        Some(ReturnForm {
            spend: lines
                .iter()
                .enumerate()
                .map(|(i, line)| {
                    let name = format!("spend-{}", i + 1);
                    TextInput::new(
                        &name,
                        &format!("Spend to date: {line}"),
                        p.get(&name),
                        errors,
                    )
                    .hint("In pounds")
                })
                .collect(),
            outputs: Textarea::new(
                "outputs",
                "Outputs delivered against plan",
                p.get("outputs"),
                errors,
            ),
            narrative: Textarea::new(
                "narrative",
                "How the work is going",
                p.get("narrative"),
                errors,
            ),
            status: Choices::radios(
                "status",
                "Is the work on track?",
                statuses,
                p.get("status"),
                errors,
            ),
        })
    } else {
        None
    };
    Ok(ReturnPage {
        layout: Layout::new(
            state,
            viewer,
            format!("{}: {}", grant.title, ret.period),
            Section::Funds,
        )
        .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        standing: return_standing(ret.due_on, ret.submitted_on, clock::today()),
        form,
        grant,
        ret,
    })
}

/// Submits the return; for the recipient's manager.
pub async fn submit_return(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = viewer.require(&format!("/returns/{id}"))?;
    let (_, grant) = readable_return(&state, &viewer, id).await?;
    if !grant_access(Some(actor), &grant.parties()).report {
        return Err(AppError::Forbidden);
    }
    let lines = grants::spend_lines(&state.db, &grant).await?;
    let names: Vec<String> = (1..=lines.len()).map(|i| format!("spend-{i}")).collect();
    let spend: Vec<&str> = names.iter().map(|n| p.get(n)).collect();
    let errors = match parse_return(
        &lines,
        &spend,
        p.get("outputs"),
        p.get("narrative"),
        p.get("status"),
    ) {
        Ok(report) => {
            match grants::submit_return(&state.db, &author(&viewer)?, id, clock::today(), &report)
                .await
            {
                Ok(()) => return Ok(Redirect::to(&format!("/returns/{id}")).into_response()),
                Err(e) => refusal(e, "outputs")?,
            }
        }
        Err(errors) => errors,
    };
    Ok(unprocessable(
        return_page(&state, &viewer, id, &p, &errors).await?,
    ))
}

/// The overdue returns an organisation's page flags, for a viewer who may see them: on an
/// OPCC's page, every overdue return on its funds; on a partnership's, those it owes.
pub(crate) async fn overdue_for(
    state: &AppState,
    viewer: &Viewer,
    organisation: &safer_store::organisations::Organisation,
) -> Result<Vec<OverdueReturn>, AppError> {
    let scope = viewer.scope();
    let owner = organisation.owner();
    if !scope.includes(&owner) {
        return Ok(Vec::new());
    }
    let today = clock::today();
    let found = match owner.kind {
        safer_core::organisations::OrganisationKind::PolicingBody => {
            grants::overdue_returns(&state.db, &scope, today, Some(owner.id), None).await?
        }
        _ => grants::overdue_returns(&state.db, &scope, today, None, Some(owner.id)).await?,
    };
    Ok(found)
}
