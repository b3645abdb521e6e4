//! A bid (business case): its page with cost lines and computed totals, the applicant's edit
//! form (refused when someone else saved first), cost lines, submission and withdrawal, the
//! OPCC's reviews with declared conflicts of interest, and board comments by meeting.

use crate::AppState;
use crate::body::Upload;
use crate::components::{Choice, Choices, ErrorSummary, Select, TextInput, Textarea};
use crate::error::AppError;
use crate::layout::{Layout, Section};
use crate::pages::plans::author;
use crate::pages::{DataTable, Id, Pairs, refusal, unprocessable};
use crate::session::Viewer;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use safer_core::access::{BidAccess, BidParties, bid_access};
use safer_core::bids::{
    BID_SECTIONS, BidState, BidText, CostLineForm, Review, ReviewForm, attachment_too_large,
    attachment_type,
};
use safer_core::forms::{FormErrors, required_text};
use safer_core::funds::Spending;
use safer_core::time::long_date;
use safer_store::bids::{self, AttachmentInfo, Bid, BoardComment, ReviewRecord, Round};
use safer_store::clock::display_instant;
use safer_store::{StoreError, boards, clock, plans};

/// A bid the viewer may read, with its round.
async fn readable(state: &AppState, viewer: &Viewer, id: i64) -> Result<(Bid, Round), AppError> {
    let bid = bids::bid(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = bids::round(&state.db, bid.summary.round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((bid, round))
}

/// What the viewer may do with a bid, by the one rule in `safer_core::access`.
fn access(viewer: &Viewer, bid: &Bid, round: &Round) -> BidAccess {
    bid_access(
        viewer.actor.as_ref(),
        &BidParties {
            partnership_id: bid.summary.partnership_id,
            opcc_id: round.opcc_id,
            state: bid.summary.state,
        },
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "bid.html")]
pub(crate) struct BidPage {
    layout: Layout,
    summary: ErrorSummary,
    bid: Bid,
    round: Round,
    sections: Vec<(&'static str, String)>,
    lines: DataTable,
    may_edit: bool,
    may_withdraw: bool,
    withdraw_confirm: Choices,
    line_form: Option<LineFormView>,
    review_form: Option<ReviewFormView>,
    reviews: Option<Vec<ReviewRecord>>,
    comments: Vec<BoardComment>,
    comment_form: Option<CommentFormView>,
    attachments: Vec<AttachmentInfo>,
    attachment_error: Option<String>,
}

impl BidPage {
    fn score_text(&self, r: &ReviewRecord) -> String {
        match &r.review {
            Review::Conflict { interest } => {
                format!("Declared an interest and gave no scores: {interest}")
            }
            Review::Scored { scores, comment } => {
                let each: Vec<String> = self
                    .round
                    .criteria
                    .iter()
                    .zip(scores)
                    .map(|(c, s)| format!("{c}: {s}"))
                    .collect();
                format!("{}. {comment}", each.join("; "))
            }
        }
    }

    fn when(&self, stored: &str) -> String {
        display_instant(stored)
    }
}

/// The form to add a cost line.
pub(crate) struct LineFormView {
    description: TextInput,
    amount: TextInput,
    spending: Choices,
    minimum: TextInput,
}

/// The reviewer's form.
pub(crate) struct ReviewFormView {
    conflict: Choices,
    interest: Textarea,
    scores: Vec<Select>,
    comment: Textarea,
}

/// The form to record a board's comment.
pub(crate) struct CommentFormView {
    meeting: Select,
    comment: Textarea,
}

fn lines_table(bid: &Bid) -> DataTable {
    let mut t = DataTable::new(
        "cost-lines",
        format!("Cost lines of {}", bid.summary.name()),
        &[
            ("Cost line", false),
            ("Capital or revenue", false),
            ("Amount", true),
            ("Least it could work with", true),
        ],
    );
    for l in &bid.lines {
        t.push(vec![
            l.line.description.clone().into(),
            l.line.spending.label().to_owned().into(),
            l.line.amount.to_string().into(),
            l.line
                .minimum
                .map(|m| m.to_string())
                .unwrap_or_default()
                .into(),
        ]);
    }
    t.push(vec![
        "Total".to_owned().into(),
        String::new().into(),
        bid.summary.requested.to_string().into(),
        bid.summary.least.to_string().into(),
    ]);
    t
}

/// A bid and the forms the viewer may use on it.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<BidPage, AppError> {
    bid_page(
        &state,
        &viewer,
        id,
        &Pairs::default(),
        &FormErrors::default(),
    )
    .await
}

async fn bid_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    p: &Pairs,
    errors: &FormErrors,
) -> Result<BidPage, AppError> {
    let (bid, round) = readable(state, viewer, id).await?;
    let actor = viewer.actor.as_ref();
    let access = access(viewer, &bid, &round);
    let may_edit = access.write;
    let line_form = may_edit.then(|| {
        let spendings = [Spending::Revenue, Spending::Capital]
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
            .collect();
        let mut amount_hint = "In pounds, for example £10,000".to_owned();
        if let Some(limit) = round.line_limit {
            amount_hint.push_str(&format!(". One line may ask for {limit} at most."));
        }
        LineFormView {
            description: TextInput::new(
                "description",
                "What it pays for",
                p.get("description"),
                errors,
            ),
            amount: TextInput::new("amount", "Amount", p.get("amount"), errors).hint(&amount_hint),
            spending: Choices::radios(
                "spending",
                "Capital or revenue",
                spendings,
                p.get("spending"),
                errors,
            ),
            minimum: TextInput::new(
                "minimum",
                "The least the project could work with on this line (optional)",
                p.get("minimum"),
                errors,
            )
            .hint("If the project could go ahead with less, say how much"),
        }
    });
    let commissions = access.review;
    let reviews = bids::reviews(&state.db, &viewer.scope(), id).await?;
    let reviewed = match (actor, &reviews) {
        (Some(a), Some(reviews)) => reviews.iter().any(|r| r.reviewer_id == a.user_id),
        _ => false,
    };
    let review_form = (commissions && bid.summary.state.awaits_decision() && !reviewed).then(|| {
        let scores = (1..=5).map(|s| (s.to_string(), s.to_string()));
        ReviewFormView {
            conflict: Choices::radios(
                "conflict",
                "Do you have a conflict of interest in this bid?",
                vec![("no".into(), "No".into()), ("yes".into(), "Yes".into())],
                p.get("conflict"),
                errors,
            )
            .hint("For example, you work for or sit on the board of the applicant. If you do, you give no scores."),
            interest: Textarea::new("interest", "Your interest (if you have one)", p.get("interest"), errors),
            scores: round
                .criteria
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let name = format!("score-{}", i + 1);
                    let mut items = vec![(String::new(), "Choose a score".to_owned())];
                    items.extend(scores.clone());
                    Select::new(&name, &format!("Score against ‘{c}’ (1 to 5)"), items, p.get(&name), errors)
                })
                .collect(),
            comment: Textarea::new("comment", "Your comments", p.get("comment"), errors),
        }
    });
    let comment_form = if commissions {
        let mut meetings = vec![(String::new(), "Choose a meeting".to_owned())];
        for body in boards::bodies(&state.db).await? {
            if body.organisation_id != round.opcc_id {
                continue;
            }
            for m in boards::meetings(&state.db, body.id).await? {
                meetings.push((
                    m.id.to_string(),
                    format!("{}, {}", body.name, long_date(m.starts_at.date())),
                ));
            }
        }
        Some(CommentFormView {
            meeting: Select::new(
                "meeting",
                "Meeting that gave the comment",
                meetings,
                p.get("meeting"),
                errors,
            ),
            comment: Textarea::new(
                "board-comment",
                "The board's comment",
                p.get("board-comment"),
                errors,
            ),
        })
    } else {
        None
    };
    let sections = BID_SECTIONS
        .iter()
        .map(|(field, label, _)| (*label, bid.text.section(field).to_owned()))
        .collect();
    Ok(BidPage {
        layout: Layout::new(state, viewer, bid.summary.name(), Section::Funds)
            .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        lines: lines_table(&bid),
        may_withdraw: access.applies && bid.summary.state.may_withdraw(),
        withdraw_confirm: Choices::checkboxes(
            "confirm",
            "Withdraw the bid",
            vec![Choice {
                value: "yes".into(),
                label: "I want to withdraw this bid. It cannot be submitted again.".into(),
                hint: None,
                checked: false,
            }],
            errors,
        ),
        comments: bids::board_comments(&state.db, &viewer.scope(), id).await?,
        attachments: bids::attachments(&state.db, &viewer.scope(), id).await?,
        attachment_error: errors.get("file").map(str::to_owned),
        sections,
        may_edit,
        line_form,
        review_form,
        reviews,
        comment_form,
        bid,
        round,
    })
}

/// Attaches a file to a draft bid. The form is multipart: `version` and `file`.
pub async fn attach(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    upload: Upload,
) -> Result<Response, AppError> {
    let (bid, _) = writable(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    match upload {
        Upload::Missing => errors.add("file", "Select a file to attach"),
        Upload::TooLarge => {
            errors.add("file", attachment_too_large());
            status = StatusCode::PAYLOAD_TOO_LARGE;
        }
        Upload::File {
            name,
            bytes,
            fields,
        } => match attachment_type(&name, bytes.len()) {
            Err(message) => errors.add("file", message),
            Ok(content_type) => {
                // Adding a file overwrites nothing, so a form without the version it was made
                // from attaches to the bid as it is.
                let version = Pairs::from(fields)
                    .get("version")
                    .parse()
                    .unwrap_or(bid.version);
                let stored = bids::attach(
                    &state.db,
                    &author(&viewer)?,
                    id,
                    version,
                    &name,
                    content_type,
                    &bytes,
                )
                .await;
                match stored {
                    Ok(_) => {
                        return Ok(Redirect::to(&format!("/bids/{id}#attachments")).into_response());
                    }
                    Err(e) => errors = bid_refusal(e, "file")?,
                }
            }
        },
    }
    let page = bid_page(&state, &viewer, id, &Pairs::default(), &errors).await?;
    Ok((status, page).into_response())
}

/// An attachment's file, for whoever may read its bid.
pub async fn attachment(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    let file = bids::attachment(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The name is the uploader's: keep it to characters that are safe in the header.
    let name: String = file
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, file.content_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        file.content,
    )
        .into_response())
}

/// The bid's version as the form carried it.
fn version(p: &Pairs) -> Result<i64, AppError> {
    p.get("version").parse().map_err(|_| AppError::BadForm)
}

/// A draft bid the viewer may change.
async fn writable(state: &AppState, viewer: &Viewer, id: i64) -> Result<(Bid, Round), AppError> {
    viewer.require(&format!("/bids/{id}"))?;
    let (bid, round) = readable(state, viewer, id).await?;
    if !access(viewer, &bid, &round).applies {
        return Err(AppError::Forbidden);
    }
    Ok((bid, round))
}

/// A store refusal on a bid: a stale version is the conflict page; anything else a message.
fn bid_refusal(e: StoreError, field: &str) -> Result<FormErrors, AppError> {
    match e {
        StoreError::Conflict => Err(AppError::Conflict),
        e => refusal(e, field),
    }
}

/// Adds a cost line to a draft bid.
pub async fn add_line(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let (_, round) = writable(&state, &viewer, id).await?;
    let form = CostLineForm {
        description: p.get("description").to_owned(),
        amount: p.get("amount").to_owned(),
        spending: p.get("spending").to_owned(),
        minimum: p.get("minimum").to_owned(),
    };
    let errors = match form.parse(round.line_limit) {
        Ok(line) => {
            match bids::add_line(&state.db, &author(&viewer)?, id, version(&p)?, &line).await {
                Ok(_) => return Ok(Redirect::to(&format!("/bids/{id}#cost-lines")).into_response()),
                Err(e) => bid_refusal(e, "description")?,
            }
        }
        Err(errors) => errors,
    };
    Ok(unprocessable(
        bid_page(&state, &viewer, id, &p, &errors).await?,
    ))
}

/// Removes a cost line from a draft bid.
pub async fn remove_line(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    writable(&state, &viewer, id).await?;
    let line: i64 = p.get("line").parse().map_err(|_| AppError::BadForm)?;
    let removed = bids::remove_line(&state.db, &author(&viewer)?, id, version(&p)?, line).await;
    after_change(&state, &viewer, id, removed, "description", "#cost-lines").await
}

/// Back to the bid at `anchor` after a change, or the bid's page again with the refusal
/// against `field`.
async fn after_change(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    result: Result<(), StoreError>,
    field: &str,
    anchor: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/bids/{id}{anchor}")).into_response()),
        Err(e) => {
            let errors = bid_refusal(e, field)?;
            Ok(unprocessable(
                bid_page(state, viewer, id, &Pairs::default(), &errors).await?,
            ))
        }
    }
}

/// Submits a draft bid; refused, saying what is missing.
pub async fn submit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    writable(&state, &viewer, id).await?;
    let submitted = bids::submit_bid(
        &state.db,
        &author(&viewer)?,
        id,
        version(&p)?,
        clock::today(),
    )
    .await;
    after_change(&state, &viewer, id, submitted, "submit", "").await
}

/// Withdraws a bid not yet decided, once the applicant confirms it.
pub async fn withdraw(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    writable(&state, &viewer, id).await?;
    if p.get("confirm") != "yes" {
        let mut errors = FormErrors::default();
        errors.add("confirm", "Confirm that you want to withdraw the bid");
        return Ok(unprocessable(
            bid_page(&state, &viewer, id, &p, &errors).await?,
        ));
    }
    let withdrawn = bids::withdraw_bid(&state.db, &author(&viewer)?, id).await;
    after_change(&state, &viewer, id, withdrawn, "confirm", "").await
}

/// Records the viewer's review of a bid.
pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = viewer.require(&format!("/bids/{id}"))?;
    let (bid, round) = readable(&state, &viewer, id).await?;
    if !access(&viewer, &bid, &round).review {
        return Err(AppError::Forbidden);
    }
    let form = ReviewForm {
        conflict: p.get("conflict").to_owned(),
        interest: p.get("interest").to_owned(),
        scores: (1..=round.criteria.len())
            .map(|i| p.get(&format!("score-{i}")).to_owned())
            .collect(),
        comment: p.get("comment").to_owned(),
    };
    let errors = match form.parse(&round.criteria) {
        Ok(review) => {
            match bids::review_bid(&state.db, &author(&viewer)?, id, actor.user_id, &review).await {
                Ok(_) => return Ok(Redirect::to(&format!("/bids/{id}#reviews")).into_response()),
                Err(e) => refusal(e, "conflict")?,
            }
        }
        Err(errors) => errors,
    };
    Ok(unprocessable(
        bid_page(&state, &viewer, id, &p, &errors).await?,
    ))
}

/// Records a board's comment on a bid against the meeting that gave it.
pub async fn comment(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    viewer.require(&format!("/bids/{id}"))?;
    let (bid, round) = readable(&state, &viewer, id).await?;
    if !access(&viewer, &bid, &round).review {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let meeting = match p.get("meeting").parse::<i64>().ok() {
        Some(m) => match boards::meeting(&state.db, m).await? {
            Some(meeting) => {
                let body = boards::body(&state.db, meeting.body_id).await?;
                if body.is_some_and(|b| b.organisation_id == round.opcc_id) {
                    Some(m)
                } else {
                    errors.add("meeting", "Select the meeting from the list");
                    None
                }
            }
            None => {
                errors.add("meeting", "Select the meeting from the list");
                None
            }
        },
        None => {
            errors.add("meeting", "Select the meeting that gave the comment");
            None
        }
    };
    let text = required_text(
        &mut errors,
        "board-comment",
        p.get("board-comment"),
        "Enter the board's comment",
        5000,
    );
    if let (Some(meeting), true) = (meeting, errors.is_empty()) {
        bids::comment_on_bid(&state.db, &author(&viewer)?, id, meeting, &text).await?;
        return Ok(Redirect::to(&format!("/bids/{id}#board-comments")).into_response());
    }
    Ok(unprocessable(
        bid_page(&state, &viewer, id, &p, &errors).await?,
    ))
}

/// The priorities of the partnership's own plans that `scope` may read: (id, plan title,
/// priority title), for a bid to say which it supports.
async fn partnership_priorities(
    state: &AppState,
    scope: &safer_core::access::ReadScope,
    partnership_id: i64,
) -> Result<Vec<(i64, String, String)>, AppError> {
    let mut out = Vec::new();
    for plan in plans::list(&state.db, scope).await? {
        if plan.organisation_id != partnership_id {
            continue;
        }
        if let Some(doc) = plans::document(&state.db, scope, plan.id).await? {
            for p in doc.priorities {
                out.push((p.id, doc.plan.title.clone(), p.title));
            }
        }
    }
    Ok(out)
}

#[derive(Template, WebTemplate)]
#[template(path = "bid_form.html")]
pub(crate) struct BidFormPage {
    layout: Layout,
    summary: ErrorSummary,
    bid: Bid,
    round: Round,
    version: i64,
    reference: TextInput,
    title: TextInput,
    sections: Vec<Textarea>,
    objectives: Option<Choices>,
    priorities: Option<Choices>,
}

async fn bid_form_page(
    state: &AppState,
    viewer: &Viewer,
    bid: Bid,
    round: Round,
    p: Option<&Pairs>,
    errors: &FormErrors,
) -> Result<BidFormPage, AppError> {
    let value = |field: &str| match p {
        Some(p) => p.get(field).to_owned(),
        None => match field {
            "reference" => bid.text.reference.clone(),
            "title" => bid.text.title.clone(),
            f => bid.text.section(f).to_owned(),
        },
    };
    let chosen: Vec<i64> = match p {
        Some(p) => p.ids("objectives"),
        None => bid.objectives.iter().map(|o| o.0).collect(),
    };
    let objectives: Vec<Choice> = plans::police_and_crime_objectives(&state.db, round.opcc_id)
        .await?
        .into_iter()
        .map(|(id, priority, title)| Choice {
            checked: chosen.contains(&id),
            value: id.to_string(),
            label: title,
            hint: Some(priority),
        })
        .collect();
    let chosen_priorities: Vec<i64> = match p {
        Some(p) => p.ids("priorities"),
        None => bid.priorities.iter().map(|o| o.0).collect(),
    };
    let priorities: Vec<Choice> =
        partnership_priorities(state, &viewer.scope(), bid.summary.partnership_id)
            .await?
            .into_iter()
            .map(|(id, plan, title)| Choice {
                checked: chosen_priorities.contains(&id),
                value: id.to_string(),
                label: title,
                hint: Some(plan),
            })
            .collect();
    let questions = round.questions.join(" ");
    Ok(BidFormPage {
        layout: Layout::new(
            state,
            viewer,
            format!("Change {}", bid.summary.name()),
            Section::Funds,
        )
        .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        version: p
            .and_then(|p| p.get("version").parse().ok())
            .unwrap_or(bid.version),
        reference: TextInput::new(
            "reference",
            "Your reference (optional)",
            &value("reference"),
            errors,
        ),
        title: TextInput::new("title", "Title", &value("title"), errors),
        sections: BID_SECTIONS
            .iter()
            .map(|(field, label, _)| {
                let t = Textarea::new(field, label, &value(field), errors);
                if *field == "aims" && !questions.is_empty() {
                    t.hint(&format!("The round asks: {questions}"))
                } else {
                    t
                }
            })
            .collect(),
        objectives: (!objectives.is_empty()).then(|| {
            Choices::checkboxes(
                "objectives",
                "Police and Crime Plan objectives the bid supports",
                objectives,
                errors,
            )
        }),
        priorities: (!priorities.is_empty()).then(|| {
            Choices::checkboxes(
                "priorities",
                "Partnership plan priorities the bid supports",
                priorities,
                errors,
            )
        }),
        bid,
        round,
    })
}

/// The applicant's form for a draft bid's business case.
pub async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    let (bid, round) = writable(&state, &viewer, id).await?;
    if bid.summary.state != BidState::Draft {
        return Ok(Redirect::to(&format!("/bids/{id}")).into_response());
    }
    Ok(
        bid_form_page(&state, &viewer, bid, round, None, &FormErrors::default())
            .await?
            .into_response(),
    )
}

/// Saves the business case, unless someone saved the bid since the form was opened.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    let (bid, round) = writable(&state, &viewer, id).await?;
    let text = BidText {
        reference: p.get("reference").to_owned(),
        title: p.get("title").to_owned(),
        aims: p.get("aims").to_owned(),
        background: p.get("background").to_owned(),
        outputs: p.get("outputs").to_owned(),
        outcomes: p.get("outcomes").to_owned(),
        risks: p.get("risks").to_owned(),
        timeline: p.get("timeline").to_owned(),
        exit_strategy: p.get("exit-strategy").to_owned(),
    };
    let available: Vec<i64> = plans::police_and_crime_objectives(&state.db, round.opcc_id)
        .await?
        .into_iter()
        .map(|o| o.0)
        .collect();
    let objectives = p.ids("objectives");
    if objectives.iter().any(|o| !available.contains(o)) {
        return Err(AppError::BadForm);
    }
    let own: Vec<i64> = partnership_priorities(&state, &viewer.scope(), bid.summary.partnership_id)
        .await?
        .into_iter()
        .map(|p| p.0)
        .collect();
    let priorities = p.ids("priorities");
    if priorities.iter().any(|o| !own.contains(o)) {
        return Err(AppError::BadForm);
    }
    let errors = match text.parse() {
        Ok(text) => {
            match bids::update_bid(
                &state.db,
                &author(&viewer)?,
                id,
                version(&p)?,
                &text,
                &objectives,
                &priorities,
            )
            .await
            {
                Ok(()) => return Ok(Redirect::to(&format!("/bids/{id}")).into_response()),
                Err(e) => bid_refusal(e, "title")?,
            }
        }
        Err(errors) => errors,
    };
    let page = bid_form_page(&state, &viewer, bid, round, Some(&p), &errors).await?;
    Ok(unprocessable(page))
}
