//! One rule per area: what an actor may read and do with a record of it.

use super::{Actor, ReadScope, Role};
use crate::bids::BidState;
use crate::organisations::{OrganisationKind, Owner};

/// What a viewer may do with a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlanAccess {
    /// Not visible: shown as "not found".
    None,
    /// May read the plan.
    Read,
    /// May record progress on its milestones.
    Report,
    /// May change the plan: priorities, deliverables, milestones and links.
    Edit,
}

/// What `actor` (or the public, for `None`) may do with a plan owned by `owner`.
pub fn plan_access(actor: Option<&Actor>, owner: &Owner) -> PlanAccess {
    let public = match owner.kind {
        // The Police and Crime Plan is a published document.
        OrganisationKind::PolicingBody => PlanAccess::Read,
        _ => PlanAccess::None,
    };
    let Some(actor) = actor else {
        return public;
    };
    let granted = match owner.kind {
        OrganisationKind::PolicingBody if actor.is_officer_of(owner.id) => PlanAccess::Edit,
        OrganisationKind::Partnership if actor.holds(Role::PartnershipManager, owner.id) => {
            PlanAccess::Edit
        }
        OrganisationKind::Partnership if actor.holds(Role::PartnershipMember, owner.id) => {
            PlanAccess::Report
        }
        OrganisationKind::Partnership
            if actor.holds(Role::BoardMember, owner.id)
                || actor.is_officer_of(owner.policing_body_id) =>
        {
            PlanAccess::Read
        }
        _ => PlanAccess::None,
    };
    granted.max(public)
}

/// What a viewer may see of a board's business: the public sees published agendas and papers
/// and approved notes; the members of the body's organisation see everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone.
    Public,
    /// The body's organisation.
    Secretariat,
}

/// What a viewer may do with the business of a body (a board or panel) held by `organisation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardAccess {
    /// What the viewer may see.
    pub audience: Audience,
    /// Whether they run its business: schedule meetings, write agendas, notes, papers and
    /// decisions.
    pub runs: bool,
}

/// What `actor` may see and do of the boards' business of the organisation `organisation_id`.
pub fn board_access(actor: Option<&Actor>, organisation_id: i64) -> BoardAccess {
    BoardAccess {
        audience: ReadScope::of(actor).audience_for(organisation_id),
        runs: actor.is_some_and(|a| a.runs(organisation_id)),
    }
}

/// What a viewer may do with an OPCC's funds and the formal decisions on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FundAccess {
    /// May read its unpublished decisions and notices: the OPCC's officers and decision maker.
    pub reads_unpublished: bool,
    /// May define funds, commit money, open rounds, review bids and manage grants: its OPCC
    /// officers.
    pub commissions: bool,
    /// May decide a round and publish its Notice of Decision: its decision maker.
    pub decides: bool,
}

/// What `actor` may do with the funds held by the policing body `opcc_id`. Funds, published
/// decisions and grants are public; everything else here is the OPCC's.
pub fn fund_access(actor: Option<&Actor>, opcc_id: i64) -> FundAccess {
    let Some(a) = actor else {
        return FundAccess::default();
    };
    FundAccess {
        reads_unpublished: a.is_officer_of(opcc_id),
        commissions: a.holds(Role::OpccOfficer, opcc_id),
        decides: a.holds(Role::DecisionMaker, opcc_id),
    }
}

/// Who a bid is between, and where it stands: what access to it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BidParties {
    /// The partnership bidding.
    pub partnership_id: i64,
    /// The policing body whose fund it bids for.
    pub opcc_id: i64,
    /// Where the bid stands.
    pub state: BidState,
}

/// What a viewer may do with a bid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BidAccess {
    /// May read the bid, its lines, attachments and the board's comments on it.
    pub read: bool,
    /// May change it, add lines and attachments, and submit it: the partnership's managers,
    /// while it is a draft.
    pub write: bool,
    /// May withdraw it or attach files: the partnership's managers.
    pub applies: bool,
    /// May read the reviewers' scores and comments: the OPCC's officers and decision maker,
    /// once it is submitted. The applicant never sees them.
    pub read_reviews: bool,
    /// May review it and record the board's comments: the OPCC's officers, once submitted.
    pub review: bool,
}

/// What `actor` may do with a bid between `parties`. A draft is the partnership's alone.
pub fn bid_access(actor: Option<&Actor>, parties: &BidParties) -> BidAccess {
    let Some(a) = actor else {
        return BidAccess::default();
    };
    let member = [
        Role::PartnershipManager,
        Role::PartnershipMember,
        Role::BoardMember,
    ]
    .into_iter()
    .any(|r| a.holds(r, parties.partnership_id));
    let applies = a.holds(Role::PartnershipManager, parties.partnership_id);
    let opcc = parties.state != BidState::Draft && a.is_officer_of(parties.opcc_id);
    BidAccess {
        read: member || opcc,
        write: applies && parties.state == BidState::Draft,
        applies,
        read_reviews: opcc,
        review: opcc && a.holds(Role::OpccOfficer, parties.opcc_id),
    }
}

/// Who a grant is between: what access to its monitoring depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantParties {
    /// The policing body whose fund made it.
    pub opcc_id: i64,
    /// The organisation that received it.
    pub recipient_id: i64,
}

/// What a viewer may do with a grant. The grant itself, its conditions, payments and
/// variations are public (they are published to 360Giving); its monitoring is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GrantAccess {
    /// May read its monitoring returns and evaluation: the recipient partnership's people and
    /// the fund's OPCC.
    pub monitor: bool,
    /// May submit its returns and evaluation: the recipient's partnership managers.
    pub report: bool,
    /// May set conditions, schedule and record payments, vary it and request returns: the
    /// fund's OPCC officers.
    pub manage: bool,
}

/// What `actor` may do with a grant between `parties`.
pub fn grant_access(actor: Option<&Actor>, parties: &GrantParties) -> GrantAccess {
    let Some(a) = actor else {
        return GrantAccess::default();
    };
    GrantAccess {
        monitor: a.scope().monitors_grant(parties),
        report: a.holds(Role::PartnershipManager, parties.recipient_id),
        manage: a.holds(Role::OpccOfficer, parties.opcc_id),
    }
}

/// What a viewer may do with a performance measure defined by `organisation_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MeasureAccess {
    /// May read it, its values and its charts: anyone signed in. Measures describe areas, not
    /// people, and partnerships compare themselves with each other.
    pub read: bool,
    /// May enter or upload its values: the defining organisation's OPCC officers or
    /// partnership managers.
    pub enter_values: bool,
}

/// What `actor` may do with a measure defined by `organisation_id`.
pub fn measure_access(actor: Option<&Actor>, organisation_id: i64) -> MeasureAccess {
    let Some(a) = actor else {
        return MeasureAccess::default();
    };
    MeasureAccess {
        read: true,
        enter_values: a.measure_owners().iter().any(|o| o.id == organisation_id),
    }
}

/// What a viewer may do with organisations and people's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AdminAccess {
    /// May list people's accounts and read the audit log of changes: administrators.
    pub manage_users: bool,
    /// May read who looked at which personal record, and what each person looked at:
    /// auditors and administrators.
    pub read_access_log: bool,
}

/// What `actor` may do in administration. Neither role gives access to any partnership's
/// records as such.
pub fn admin_access(actor: Option<&Actor>) -> AdminAccess {
    let Some(a) = actor else {
        return AdminAccess::default();
    };
    let administrator = a.is_administrator();
    AdminAccess {
        manage_users: administrator,
        read_access_log: administrator || a.memberships.iter().any(|m| m.role == Role::Auditor),
    }
}
