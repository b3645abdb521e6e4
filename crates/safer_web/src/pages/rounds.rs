//! Bidding rounds: opening one on a fund, the round's page with its bids and what each
//! partnership asked for and was given, starting a bid, and the decision maker's decision
//! screen with its live total against what the fund has left.

use crate::AppState;
use crate::components::{Choice, Choices, DateInput, ErrorSummary, Select, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::plans::author;
use crate::pages::{DataTable, Id, Pairs, refusal, unprocessable};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::fund_access;
use safer_core::bids::{BidText, BidToDecide, Outcome, RoundForm, parse_decision, total_approved};
use safer_core::forms::FormErrors;
use safer_core::funds::Pence;
use safer_core::organisations::OrganisationKind;
use safer_core::time::{long_date, required_date};
use safer_store::bids::{self, BidSummary, Round};
use safer_store::{clock, funds, organisations, plans};

/// The form to open a round, shown on the fund's page to its OPCC officers.
pub(crate) struct RoundFormView {
    summary: ErrorSummary,
    pub(crate) name: TextInput,
    pub(crate) opens: DateInput,
    pub(crate) closes: DateInput,
    pub(crate) criteria: Textarea,
    pub(crate) questions: Textarea,
    pub(crate) line_limit: TextInput,
    pub(crate) eligible: Choices,
    pub(crate) objectives: Option<Choices>,
}

impl RoundFormView {
    /// The error summary, for the top of the page.
    pub(crate) fn summary(&self) -> &ErrorSummary {
        &self.summary
    }
}

/// The round form for a fund held by `opcc_id`, filled from `p`.
pub(crate) async fn round_form_view(
    state: &AppState,
    opcc_id: i64,
    p: &Pairs,
    errors: &FormErrors,
) -> Result<RoundFormView, AppError> {
    let chosen = p.ids("eligible");
    let partnerships: Vec<Choice> = organisations::list(&state.db)
        .await?
        .into_iter()
        .filter(|o| o.kind == OrganisationKind::Partnership && o.policing_body_id == Some(opcc_id))
        .map(|o| Choice {
            checked: chosen.contains(&o.id),
            value: o.id.to_string(),
            label: o.name,
            hint: None,
        })
        .collect();
    let chosen = p.ids("objectives");
    let objectives: Vec<Choice> = plans::police_and_crime_objectives(&state.db, opcc_id)
        .await?
        .into_iter()
        .map(|(id, priority, title)| Choice {
            checked: chosen.contains(&id),
            value: id.to_string(),
            label: title,
            hint: Some(priority),
        })
        .collect();
    Ok(RoundFormView {
        summary: ErrorSummary::of(errors),
        name: TextInput::new("name", "Name of the round", p.get("name"), errors),
        opens: DateInput::new("opens", "Opens", p.date("opens"), errors)
            .hint("The first day bids may be submitted, for example 2 9 2013"),
        closes: DateInput::new("closes", "Closes", p.date("closes"), errors)
            .hint("The last day bids may be submitted"),
        criteria: Textarea::new(
            "criteria",
            "Criteria reviewers score bids against",
            p.get("criteria"),
            errors,
        )
        .hint("One criterion on each line"),
        questions: Textarea::new(
            "questions",
            "Questions a business case must answer (optional)",
            p.get("questions"),
            errors,
        )
        .hint("One question on each line"),
        line_limit: TextInput::new(
            "line-limit",
            "The most one cost line may ask for (optional)",
            p.get("line-limit"),
            errors,
        )
        .hint("In pounds. Leave empty for no limit."),
        eligible: Choices::checkboxes("eligible", "Who may bid", partnerships, errors)
            .hint("Leave all unticked to let every partnership in the area bid"),
        objectives: (!objectives.is_empty()).then(|| {
            Choices::checkboxes(
                "objectives",
                "Police and Crime Plan objectives the round serves",
                objectives,
                errors,
            )
        }),
    })
}

/// A fund's rounds.
pub(crate) fn rounds_table(fund_name: &str, rounds: &[Round]) -> DataTable {
    let mut t = DataTable::new(
        "rounds",
        format!("Bidding rounds on {fund_name}"),
        &[("Round", false), ("Opens", false), ("Closes", false)],
    );
    for r in rounds {
        t.push(vec![
            DataTable::link(r.name.clone(), format!("/rounds/{}", r.id)),
            long_date(r.opens_on).into(),
            long_date(r.closes_on).into(),
        ]);
    }
    t
}

/// Opens a round on the fund; for its OPCC officers.
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(fund_id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = viewer.require(&format!("/funds/{fund_id}"))?;
    let fund = funds::fund(&state.db, fund_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !fund_access(Some(actor), fund.organisation_id).commissions {
        return Err(AppError::Forbidden);
    }
    let form = RoundForm {
        name: p.get("name").to_owned(),
        opens: p.date("opens").map(str::to_owned),
        closes: p.date("closes").map(str::to_owned),
        criteria: p.get("criteria").to_owned(),
        questions: p.get("questions").to_owned(),
        line_limit: p.get("line-limit").to_owned(),
    };
    let view = round_form_view(
        &state,
        fund.organisation_id,
        &Pairs::default(),
        &FormErrors::default(),
    )
    .await?;
    let allowed = |field: &Choices, chosen: Vec<i64>| {
        chosen
            .iter()
            .all(|c| field.items.iter().any(|i| i.value == c.to_string()))
            .then_some(chosen)
    };
    let eligible = allowed(&view.eligible, p.ids("eligible")).ok_or(AppError::BadForm)?;
    let objectives = match &view.objectives {
        Some(o) => allowed(o, p.ids("objectives")).ok_or(AppError::BadForm)?,
        None => Vec::new(),
    };
    let errors = match form.parse() {
        Ok(details) => {
            let id = bids::create_round(
                &state.db,
                &author(&viewer)?,
                fund_id,
                &details,
                &eligible,
                &objectives,
            )
            .await?;
            return Ok(Redirect::to(&format!("/rounds/{id}")).into_response());
        }
        Err(errors) => errors,
    };
    let page = crate::pages::funds::fund_page(
        &state,
        &viewer,
        fund_id,
        crate::pages::funds::Forms::Round(&p, &errors),
    )
    .await?;
    Ok(unprocessable(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "round.html")]
pub(crate) struct RoundPage {
    layout: Layout,
    round: Round,
    open_today: bool,
    table: DataTable,
    by_partnership: DataTable,
    start: Option<StartBidView>,
    decides: bool,
}

/// The form to start a bid.
pub(crate) struct StartBidView {
    summary: ErrorSummary,
    partnership: Select,
    reference: TextInput,
    title: TextInput,
}

/// A round's bids (those the viewer may read).
pub(crate) fn bids_table(caption: String, all: &[BidSummary]) -> DataTable {
    let mut t = DataTable::new(
        "bids",
        caption,
        &[
            ("Bid", false),
            ("Partnership", false),
            ("Requested", true),
            ("Could be reduced to", true),
            ("Approved", true),
            ("Mean score", true),
            ("State", false),
        ],
    );
    for b in all {
        t.push(vec![
            DataTable::link(b.name(), format!("/bids/{}", b.id)),
            b.partnership_name.clone().into(),
            b.requested.to_string().into(),
            if b.least < b.requested {
                b.least.to_string().into()
            } else {
                String::new().into()
            },
            b.approved.map(|p| p.to_string()).unwrap_or_default().into(),
            b.mean_score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_default()
                .into(),
            DataTable::tag(b.state.label(), b.state.tag_class()),
        ]);
    }
    t
}

/// Requested against approved by partnership, as seed 003's allocation tables show them, with
/// a total row.
pub(crate) fn by_partnership_table(caption: String, all: &[BidSummary]) -> DataTable {
    let mut t = DataTable::new(
        "by-partnership",
        caption,
        &[
            ("Partnership", false),
            ("Bids", true),
            ("Requested", true),
            ("Approved", true),
        ],
    );
    let mut rows: Vec<(&str, usize, i64, i64)> = Vec::new();
    for b in all {
        let approved = b.approved.map_or(0, |p| p.0);
        match rows.iter_mut().find(|r| r.0 == b.partnership_name) {
            Some(r) => {
                r.1 += 1;
                r.2 += b.requested.0;
                r.3 += approved;
            }
            None => rows.push((&b.partnership_name, 1, b.requested.0, approved)),
        }
    }
    let (mut n, mut requested, mut approved) = (0, 0, 0);
    for (name, count, asked, given) in &rows {
        n += count;
        requested += asked;
        approved += given;
        t.push(vec![
            (*name).to_owned().into(),
            count.to_string().into(),
            Pence(*asked).to_string().into(),
            Pence(*given).to_string().into(),
        ]);
    }
    t.push(vec![
        "Total".to_owned().into(),
        n.to_string().into(),
        Pence(requested).to_string().into(),
        Pence(approved).to_string().into(),
    ]);
    t
}

/// A round, its bids, and for a partnership manager the form to start one.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<RoundPage, AppError> {
    round_page(
        &state,
        &viewer,
        id,
        &Pairs::default(),
        &FormErrors::default(),
    )
    .await
}

async fn round_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    p: &Pairs,
    errors: &FormErrors,
) -> Result<RoundPage, AppError> {
    let round = bids::round(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = bids::bids(&state.db, &viewer.scope(), id).await?;
    let open_today = round.is_open_on(clock::today());
    let mut start = None;
    if let Some(actor) = viewer.actor.as_ref() {
        let mut named = Vec::new();
        for o in actor.bids_for() {
            if round.admits(o.id) && o.policing_body_id == round.opcc_id {
                let name = organisations::get(&state.db, o.id).await?.map(|o| o.name);
                named.push((o.id.to_string(), name.unwrap_or_default()));
            }
        }
        if !named.is_empty() && open_today {
            let selected = if p.get("partnership").is_empty() {
                named[0].0.clone()
            } else {
                p.get("partnership").to_owned()
            };
            start = Some(StartBidView {
                summary: ErrorSummary::of(errors),
                partnership: Select::new("partnership", "Partnership", named, &selected, errors),
                reference: TextInput::new(
                    "reference",
                    "Your reference (optional)",
                    p.get("reference"),
                    errors,
                )
                .hint("For example, S2"),
                title: TextInput::new("title", "Title of the bid", p.get("title"), errors),
            });
        }
    }
    let decides = fund_access(viewer.actor.as_ref(), round.opcc_id).decides;
    Ok(RoundPage {
        layout: Layout::new(state, viewer, round.name.clone(), Section::Funds)
            .with_errors(!errors.is_empty()),
        table: bids_table(format!("Bids to {}", round.name), &all),
        by_partnership: by_partnership_table(
            format!("Requested against approved by partnership, {}", round.name),
            &all,
        ),
        open_today,
        start,
        decides,
        round,
    })
}

/// Starts a draft bid for one of the viewer's partnerships.
pub async fn start_bid(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = viewer.require(&format!("/rounds/{id}"))?;
    let round = bids::round(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mine: Vec<i64> = actor
        .bids_for()
        .iter()
        .filter(|o| round.admits(o.id) && o.policing_body_id == round.opcc_id)
        .map(|o| o.id)
        .collect();
    let Some(first) = mine.first().copied() else {
        return Err(AppError::Forbidden);
    };
    // One partnership needs no choosing; the form offers only the viewer's own.
    let partnership = match p.get("partnership") {
        "" => first,
        chosen => chosen
            .parse()
            .ok()
            .filter(|id| mine.contains(id))
            .ok_or(AppError::Forbidden)?,
    };
    let mut errors = FormErrors::default();
    if !round.is_open_on(clock::today()) {
        errors.add("title", "The round is not open for bids today");
    }
    let text = BidText {
        reference: p.get("reference").to_owned(),
        title: p.get("title").to_owned(),
        ..BidText::default()
    };
    match text.parse() {
        Ok(text) if errors.is_empty() => {
            match bids::create_bid(
                &state.db,
                &author(&viewer)?,
                id,
                partnership,
                partnership,
                &text,
            )
            .await
            {
                Ok(bid) => return Ok(Redirect::to(&format!("/bids/{bid}/edit")).into_response()),
                Err(e) => errors = refusal(e, "title")?,
            }
        }
        Ok(_) => {}
        Err(e) => errors = e,
    }
    let page = round_page(&state, &viewer, id, &p, &errors).await?;
    Ok(unprocessable(page))
}

#[derive(Template, WebTemplate)]
#[template(path = "decision.html")]
pub(crate) struct DecisionPage {
    layout: Layout,
    round: Round,
    summary: ErrorSummary,
    left: Pence,
    rows: Vec<DecisionRow>,
    total: Pence,
    title: TextInput,
    date: DateInput,
    total_error: Option<String>,
}

impl DecisionPage {
    /// What is left after the decision, or how much too much it is.
    fn balance(&self) -> String {
        if self.total <= self.left {
            format!(
                "{} left after this decision",
                Pence(self.left.0 - self.total.0)
            )
        } else {
            format!(
                "{} more than the fund has left",
                Pence(self.total.0 - self.left.0)
            )
        }
    }
}

/// One bid on the decision screen.
pub(crate) struct DecisionRow {
    bid: BidSummary,
    choice: Choices,
    amount: TextInput,
}

/// The bids a decision weighs: those submitted or under review.
async fn awaiting(
    state: &AppState,
    viewer: &Viewer,
    round: &Round,
) -> Result<Vec<BidSummary>, AppError> {
    Ok(bids::bids(&state.db, &viewer.scope(), round.id)
        .await?
        .into_iter()
        .filter(|b| b.state.awaits_decision())
        .collect())
}

fn to_decide(all: &[BidSummary]) -> Vec<BidToDecide> {
    all.iter()
        .map(|b| BidToDecide {
            id: b.id,
            requested: b.requested,
            least: b.least,
        })
        .collect()
}

async fn decision_page(
    state: &AppState,
    viewer: &Viewer,
    round: Round,
    p: &Pairs,
    errors: &FormErrors,
) -> Result<DecisionPage, AppError> {
    let fund = funds::fund(&state.db, round.fund_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = awaiting(state, viewer, &round).await?;
    let decide = to_decide(&all);
    let (outcomes, _) = parse_decision(&decide, p.all());
    let total = total_approved(&decide, &outcomes);
    let rows = all
        .into_iter()
        .map(|b| {
            let name = format!("choice-{}", b.id);
            let amount = format!("amount-{}", b.id);
            let mut options = vec![
                (
                    "full".to_owned(),
                    format!("Approve in full, {}", b.requested),
                ),
                (
                    "reduced".to_owned(),
                    "Approve at a reduced amount".to_owned(),
                ),
                ("decline".to_owned(), "Decline".to_owned()),
                (String::new(), "Not decided yet".to_owned()),
            ];
            if b.requested.0 <= 0 {
                options.remove(1);
            }
            let mut choice = Choices::radios(
                &name,
                &format!("{} {}", b.reference, b.title),
                options,
                p.get(&name),
                errors,
            );
            choice.small = true;
            choice = choice.hint(&format!("{}: asks for {}", b.partnership_name, b.requested));
            let hint = if b.least < b.requested {
                format!(
                    "In pounds. The business case says it could work with {}.",
                    b.least
                )
            } else {
                "In pounds.".to_owned()
            };
            let amount = TextInput::new(
                &amount,
                &format!(
                    "Reduced amount for {}",
                    if b.reference.is_empty() {
                        &b.title
                    } else {
                        &b.reference
                    }
                ),
                p.get(&amount),
                errors,
            )
            .hint(&hint);
            DecisionRow {
                bid: b,
                choice,
                amount,
            }
        })
        .collect();
    let mut date = p.date("decided-on").map(str::to_owned);
    if date.iter().all(String::is_empty) {
        let today = clock::today();
        date = [
            today.day().to_string(),
            today.month().to_string(),
            today.year().to_string(),
        ];
    }
    let title = if p.get("title").is_empty() {
        format!("{}: business cases", round.name)
    } else {
        p.get("title").to_owned()
    };
    Ok(DecisionPage {
        layout: Layout::new(
            state,
            viewer,
            format!("Decide: {}", round.name),
            Section::Funds,
        )
        .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        left: fund.remaining,
        rows,
        total,
        title: TextInput::new("title", "Title of the Notice of Decision", &title, errors),
        date: DateInput::new(
            "decided-on",
            "Date of the decision",
            [&date[0], &date[1], &date[2]],
            errors,
        ),
        total_error: errors.get("total").map(str::to_owned),
        round,
    })
}

/// The round's decision maker, or refused.
async fn decidable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Round, AppError> {
    let actor = viewer.require(&format!("/rounds/{id}/decision"))?;
    let round = bids::round(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !fund_access(Some(actor), round.opcc_id).decides {
        return Err(AppError::Forbidden);
    }
    Ok(round)
}

/// The decision screen.
pub async fn decision(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<DecisionPage, AppError> {
    let round = decidable(&state, &viewer, id).await?;
    decision_page(
        &state,
        &viewer,
        round,
        &Pairs::default(),
        &FormErrors::default(),
    )
    .await
}

/// Checks the total, fills in each bid's reduced amount, or makes the decision.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let round = decidable(&state, &viewer, id).await?;
    let all = awaiting(&state, &viewer, &round).await?;
    let decide = to_decide(&all);
    match p.get("action") {
        "reduced" => {
            // Every bid that could work with less is set to that; the rest in full.
            let mut filled: Vec<(String, String)> = p
                .all()
                .iter()
                .filter(|(k, _)| !k.starts_with("choice-") && !k.starts_with("amount-"))
                .cloned()
                .collect();
            for b in &decide {
                if b.least < b.requested {
                    filled.push((format!("choice-{}", b.id), "reduced".into()));
                    filled.push((format!("amount-{}", b.id), b.least.to_string()));
                } else {
                    filled.push((format!("choice-{}", b.id), "full".into()));
                }
            }
            let filled = Pairs::from(filled);
            let page =
                decision_page(&state, &viewer, round, &filled, &FormErrors::default()).await?;
            Ok(page.into_response())
        }
        "decide" => {
            let (outcomes, mut errors) = parse_decision(&decide, p.all());
            let title = p.get("title");
            if title.is_empty() {
                errors.add("title", "Enter the title of the Notice of Decision");
            }
            let date = required_date(
                &mut errors,
                "decided-on",
                p.date("decided-on"),
                "Enter the date of the decision",
            );
            let chosen: Vec<(i64, Outcome)> = outcomes
                .iter()
                .filter_map(|(id, o)| o.map(|o| (*id, o)))
                .collect();
            if chosen.is_empty() && errors.is_empty() {
                errors.add(
                    &format!("choice-{}", decide.first().map_or(0, |b| b.id)),
                    "Choose an outcome for at least one bid",
                );
            }
            if let (Some(date), true) = (date, errors.is_empty()) {
                match bids::decide_round(&state.db, &author(&viewer)?, id, date, title, &chosen)
                    .await
                {
                    Ok(notice) => {
                        return Ok(Redirect::to(&format!("/notices/{notice}")).into_response());
                    }
                    Err(e) => errors = refusal(e, "total")?,
                }
            }
            let page = decision_page(&state, &viewer, round, &p, &errors).await?;
            Ok(unprocessable(page))
        }
        _ => {
            let (_, errors) = parse_decision(&decide, p.all());
            let page = decision_page(&state, &viewer, round, &p, &errors).await?;
            Ok(page.into_response())
        }
    }
}
