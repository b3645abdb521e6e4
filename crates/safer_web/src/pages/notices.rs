//! The PCC's Notice of Decision on a round: a printable page in the shape of the notices the
//! papers hold, its decision maker's form while it is a draft, and publishing it once it is
//! non-confidential and signed.

use crate::AppState;
use crate::components::{Choices, DateInput, ErrorSummary, TextInput, Textarea};
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
use safer_core::bids::BidState;
use safer_core::forms::{FormErrors, optional_text, required_text};
use safer_core::funds::Pence;
use safer_core::time::{long_date, optional_date};
use safer_store::bids::{self, BidSummary, Notice, NoticeText, Round};

#[derive(Template, WebTemplate)]
#[template(path = "notice.html")]
pub(crate) struct NoticePage {
    layout: Layout,
    summary: ErrorSummary,
    notice: Notice,
    round: Round,
    approved: DataTable,
    declined: Vec<BidSummary>,
    total: Pence,
    form: Option<NoticeFormView>,
}

/// The decision maker's form.
pub(crate) struct NoticeFormView {
    title: TextInput,
    executive_summary: Textarea,
    financial: Textarea,
    legal: Textarea,
    equality: Textarea,
    interests: Textarea,
    confidential: Choices,
    signatory: TextInput,
    signed_on: DateInput,
}

/// A notice the viewer may read: published, or the OPCC's own.
pub(crate) async fn readable(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
) -> Result<(Notice, Round), AppError> {
    let notice = bids::notice(&state.db, &viewer.scope(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = bids::round(&state.db, notice.round_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((notice, round))
}

/// A notice.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<NoticePage, AppError> {
    notice_page(&state, &viewer, id, None, &FormErrors::default()).await
}

async fn notice_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    p: Option<&Pairs>,
    errors: &FormErrors,
) -> Result<NoticePage, AppError> {
    let (notice, round) = readable(state, viewer, id).await?;
    let decided = bids::notice_bids(&state.db, id).await?;
    let mut approved = DataTable::new(
        "approved",
        format!("Bids approved from {}", round.fund_name),
        &[
            ("Bid", false),
            ("Partnership", false),
            ("Requested", true),
            ("Approved", true),
        ],
    );
    let mut total = 0;
    for b in decided.iter().filter(|b| b.approved.is_some()) {
        let amount = b.approved.unwrap_or_default();
        total += amount.0;
        approved.push(vec![
            b.name().into(),
            b.partnership_name.clone().into(),
            b.requested.to_string().into(),
            amount.to_string().into(),
        ]);
    }
    let declined = decided
        .into_iter()
        .filter(|b| b.state == BidState::Declined)
        .collect();
    let decides = fund_access(viewer.actor.as_ref(), notice.opcc_id).decides;
    let form = (decides && notice.published_at.is_none()).then(|| {
        let value = |field: &str, stored: &str| match p {
            Some(p) => p.get(field).to_owned(),
            None => stored.to_owned(),
        };
        let signed = notice.signed_on.map(|d| [d.day().to_string(), d.month().to_string(), d.year().to_string()]);
        let signed_parts = match p {
            Some(p) => p.date("signed-on").map(str::to_owned),
            None => signed.unwrap_or_default(),
        };
        let confidential = value("confidentiality", if notice.confidential { "confidential" } else { "non-confidential" });
        NoticeFormView {
            title: TextInput::new("title", "Title", &value("title", &notice.title), errors),
            executive_summary: Textarea::new("executive-summary", "Executive summary", &value("executive-summary", &notice.executive_summary), errors),
            financial: Textarea::new("financial", "Financial implications", &value("financial", &notice.financial), errors),
            legal: Textarea::new("legal", "Legal implications", &value("legal", &notice.legal), errors),
            equality: Textarea::new("equality", "Equality implications", &value("equality", &notice.equality), errors),
            interests: Textarea::new("interests", "Declaration of interests", &value("interests", &notice.interests), errors)
                .hint("Any disclosable pecuniary interests in this decision. Leave empty if there are none."),
            confidential: Choices::radios(
                "confidentiality",
                "Is the notice confidential?",
                vec![
                    ("non-confidential".into(), "Non-confidential: it will be published".into()),
                    ("confidential".into(), "Confidential: it will not be published".into()),
                ],
                &confidential,
                errors,
            ),
            signatory: TextInput::new("signatory", "Signed by", &value("signatory", &notice.signatory), errors)
                .hint("The decision maker's name and title. Leave empty until the notice is signed."),
            signed_on: DateInput::new(
                "signed-on",
                "Date signed",
                [&signed_parts[0], &signed_parts[1], &signed_parts[2]],
                errors,
            ),
        }
    });
    Ok(NoticePage {
        layout: Layout::new(
            state,
            viewer,
            format!("Notice of Decision {}", notice.number),
            Section::Boards,
        )
        .with_errors(!errors.is_empty()),
        summary: ErrorSummary::of(errors),
        approved,
        declined,
        total: Pence(total),
        form,
        notice,
        round,
    })
}

impl NoticePage {
    fn decided(&self) -> String {
        long_date(self.notice.decided_on)
    }

    fn signed(&self) -> String {
        self.notice.signed_on.map(long_date).unwrap_or_default()
    }
}

/// The notice's decision maker, for a notice still a draft.
async fn editable(state: &AppState, viewer: &Viewer, id: i64) -> Result<Notice, AppError> {
    let actor = viewer.require(&format!("/notices/{id}"))?;
    let (notice, _) = readable(state, viewer, id).await?;
    if !fund_access(Some(actor), notice.opcc_id).decides {
        return Err(AppError::Forbidden);
    }
    Ok(notice)
}

/// Saves the notice's text.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Form(p): Form<Pairs>,
) -> Result<Response, AppError> {
    editable(&state, &viewer, id).await?;
    let mut errors = FormErrors::default();
    let long = 20_000;
    let title = required_text(
        &mut errors,
        "title",
        p.get("title"),
        "Enter the notice's title",
        300,
    );
    let executive_summary = optional_text(
        &mut errors,
        "executive-summary",
        p.get("executive-summary"),
        long,
    );
    let financial = optional_text(&mut errors, "financial", p.get("financial"), long);
    let legal = optional_text(&mut errors, "legal", p.get("legal"), long);
    let equality = optional_text(&mut errors, "equality", p.get("equality"), long);
    let interests = optional_text(&mut errors, "interests", p.get("interests"), long);
    let confidential = match p.get("confidentiality") {
        "confidential" => true,
        "non-confidential" => false,
        _ => {
            errors.add(
                "confidentiality",
                "Select whether the notice is confidential",
            );
            true
        }
    };
    let signatory = optional_text(&mut errors, "signatory", p.get("signatory"), 200);
    let signed_on = optional_date(&mut errors, "signed-on", p.date("signed-on"));
    if signatory.is_empty() != signed_on.is_none() {
        if signatory.is_empty() {
            errors.add(
                "signatory",
                "Enter who signed the notice, or remove the date signed",
            );
        } else {
            errors.add(
                "signed-on-day",
                "Enter the date the notice was signed, or remove the signatory",
            );
        }
    }
    if errors.is_empty() {
        let text = NoticeText {
            title,
            executive_summary,
            financial,
            legal,
            equality,
            interests,
            confidential,
            signatory,
            signed_on,
        };
        match bids::update_notice(&state.db, &author(&viewer)?, id, &text).await {
            Ok(()) => return Ok(Redirect::to(&format!("/notices/{id}")).into_response()),
            Err(e) => errors = refusal(e, "title")?,
        }
    }
    Ok(unprocessable(
        notice_page(&state, &viewer, id, Some(&p), &errors).await?,
    ))
}

/// Publishes the notice: refused while it is confidential or unsigned.
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
) -> Result<Response, AppError> {
    editable(&state, &viewer, id).await?;
    match bids::publish_notice(&state.db, &author(&viewer)?, id).await {
        Ok(()) => Ok(Redirect::to(&format!("/notices/{id}")).into_response()),
        Err(e) => {
            let errors = refusal(e, "publish")?;
            Ok(unprocessable(
                notice_page(&state, &viewer, id, None, &errors).await?,
            ))
        }
    }
}
