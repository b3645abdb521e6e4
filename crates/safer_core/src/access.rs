//! Who may see and change what. Deny by default: every permission here is an explicit rule,
//! and anything not granted is refused.
//!
//! A partnership's records are visible to its own members and to the officers of the policing
//! body whose area it is in. The Police and Crime Plan is a public document. Refusals of partnership
//! records are reported as "not found" by the web layer, so that existence does not leak.

use crate::bids::BidState;
use crate::organisations::{OrganisationKind, Owner};
use serde::Serialize;

/// A role a person holds in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users and reads the audit log.
    Administrator,
    /// A policy or commissioning officer in the OPCC.
    OpccOfficer,
    /// The Police and Crime Commissioner or deputy, who takes formal decisions.
    DecisionMaker,
    /// Runs a Community Safety Partnership's plan and reporting.
    PartnershipManager,
    /// An officer of a partner agency working in a partnership.
    PartnershipMember,
    /// A member of a board or panel, who reads papers and performance.
    BoardMember,
    /// Reads who looked at which personal record, and what each person looked at (information
    /// governance); sees no partnership's records by virtue of the role.
    Auditor,
}

impl Role {
    /// Every role, in the order they are listed to people.
    pub const ALL: [Role; 7] = [
        Role::Administrator,
        Role::OpccOfficer,
        Role::DecisionMaker,
        Role::PartnershipManager,
        Role::PartnershipMember,
        Role::BoardMember,
        Role::Auditor,
    ];

    /// The value stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::OpccOfficer => "opcc_officer",
            Self::DecisionMaker => "decision_maker",
            Self::PartnershipManager => "partnership_manager",
            Self::PartnershipMember => "partnership_member",
            Self::BoardMember => "board_member",
            Self::Auditor => "auditor",
        }
    }

    /// Parses the stored value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// How the role reads on a page.
    pub fn label(self) -> &'static str {
        match self {
            Self::Administrator => "Administrator",
            Self::OpccOfficer => "OPCC officer",
            Self::DecisionMaker => "Decision maker",
            Self::PartnershipManager => "Partnership manager",
            Self::PartnershipMember => "Partnership member",
            Self::BoardMember => "Board member",
            Self::Auditor => "Auditor",
        }
    }

    /// Whether the role is held in a policing body (as opposed to a partnership).
    pub fn belongs_to_policing_body(self) -> bool {
        matches!(
            self,
            Self::Administrator | Self::OpccOfficer | Self::DecisionMaker | Self::Auditor
        )
    }
}

/// One role a person holds in one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The organisation the role is held in.
    pub organisation: Owner,
    /// The role.
    pub role: Role,
}

/// A signed-in person, with everything the access rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The person's user id.
    pub user_id: i64,
    /// Their name, for pages and the audit log.
    pub display_name: String,
    /// Their roles.
    pub memberships: Vec<Membership>,
}

impl Actor {
    fn holds(&self, role: Role, organisation_id: i64) -> bool {
        self.memberships
            .iter()
            .any(|m| m.role == role && m.organisation.id == organisation_id)
    }

    fn is_officer_of(&self, policing_body_id: i64) -> bool {
        self.holds(Role::OpccOfficer, policing_body_id)
            || self.holds(Role::DecisionMaker, policing_body_id)
    }

    /// Whether the person may manage users and read the audit log.
    pub fn is_administrator(&self) -> bool {
        self.memberships
            .iter()
            .any(|m| m.role == Role::Administrator)
    }

    /// The organisations whose performance measures this person may define and enter values
    /// for: where they are an OPCC officer or a partnership manager. The first is where a new
    /// measure is recorded as defined.
    pub fn measure_owners(&self) -> Vec<Owner> {
        let mut owners: Vec<Owner> = self
            .memberships
            .iter()
            .filter(|m| matches!(m.role, Role::OpccOfficer | Role::PartnershipManager))
            .map(|m| m.organisation)
            .collect();
        owners.dedup_by_key(|o| o.id);
        owners
    }

    /// Whether this person runs the business of the organisation's boards: an OPCC officer of
    /// a policing body, or a partnership manager of a partnership.
    fn runs(&self, organisation_id: i64) -> bool {
        self.holds(Role::OpccOfficer, organisation_id)
            || self.holds(Role::PartnershipManager, organisation_id)
    }

    /// The partnerships this person may write bids for: where they are partnership manager.
    pub fn bids_for(&self) -> Vec<Owner> {
        self.memberships
            .iter()
            .filter(|m| {
                m.role == Role::PartnershipManager
                    && m.organisation.kind == OrganisationKind::Partnership
            })
            .map(|m| m.organisation)
            .collect()
    }

    /// The set of owners whose restricted records this person may read.
    pub fn scope(&self) -> ReadScope {
        let mut scope = ReadScope::default();
        for m in &self.memberships {
            match (m.role, m.organisation.kind) {
                (Role::OpccOfficer | Role::DecisionMaker, OrganisationKind::PolicingBody) => {
                    scope.policing_bodies.push(m.organisation.id);
                }
                (
                    Role::PartnershipManager | Role::PartnershipMember | Role::BoardMember,
                    OrganisationKind::Partnership,
                ) => scope.partnerships.push(m.organisation.id),
                _ => {}
            }
        }
        scope.members_of = self.memberships.iter().map(|m| m.organisation.id).collect();
        scope.members_of.sort_unstable();
        scope.members_of.dedup();
        scope.policing_bodies.sort_unstable();
        scope.policing_bodies.dedup();
        scope.partnerships.sort_unstable();
        scope.partnerships.dedup();
        scope
    }
}

/// Which organisations' restricted records a viewer may read. Only [`Actor::scope`] and
/// [`ReadScope::public`] make one, so a store query that takes a scope cannot be handed a
/// wider one by mistake.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadScope {
    policing_bodies: Vec<i64>,
    partnerships: Vec<i64>,
    /// Every organisation the viewer holds any role in: whose boards' business they see whole.
    members_of: Vec<i64>,
}

impl ReadScope {
    /// The scope of someone who is not signed in: published records only.
    pub fn public() -> Self {
        Self::default()
    }

    /// The scope of a viewer who may or may not be signed in.
    pub fn of(actor: Option<&Actor>) -> Self {
        actor.map(Actor::scope).unwrap_or_default()
    }

    /// Policing bodies whose officers' view this includes: their own records and every
    /// partnership in their area.
    pub fn policing_bodies(&self) -> &[i64] {
        &self.policing_bodies
    }

    /// Partnerships this viewer belongs to.
    pub fn partnerships(&self) -> &[i64] {
        &self.partnerships
    }

    /// Whether a plan owned by `owner` is visible: the Police and Crime Plan is published, a
    /// partnership's plan is restricted.
    pub fn can_read_plan(&self, owner: &Owner) -> bool {
        owner.kind == OrganisationKind::PolicingBody || self.includes(owner)
    }

    /// What this viewer sees of the boards' business of `organisation_id`: everything if they
    /// hold a role in it, what is published otherwise. Agrees with [`board_access`].
    pub fn audience_for(&self, organisation_id: i64) -> Audience {
        if self.members_of.contains(&organisation_id) {
            Audience::Secretariat
        } else {
            Audience::Public
        }
    }

    /// Whether a bid between `parties` is visible: to its partnership, and to the OPCC once
    /// submitted. Agrees with [`bid_access`].
    pub fn reads_bid(&self, parties: &BidParties) -> bool {
        self.partnerships.contains(&parties.partnership_id) || self.reads_reviews(parties)
    }

    /// Whether the reviews of a bid between `parties` are visible: to the OPCC once
    /// submitted, never to the applicant. Agrees with [`bid_access`].
    pub fn reads_reviews(&self, parties: &BidParties) -> bool {
        parties.state != BidState::Draft && self.policing_bodies.contains(&parties.opcc_id)
    }

    /// Whether a grant's monitoring is visible: to the recipient partnership's people and the
    /// fund's OPCC. Agrees with [`grant_access`].
    pub fn monitors_grant(&self, parties: &GrantParties) -> bool {
        self.partnerships.contains(&parties.recipient_id)
            || self.policing_bodies.contains(&parties.opcc_id)
    }

    /// Whether an OPCC's unpublished decisions and notices are visible. Agrees with
    /// [`fund_access`].
    pub fn reads_unpublished_of(&self, opcc_id: i64) -> bool {
        self.policing_bodies.contains(&opcc_id)
    }

    /// Whether restricted records owned by `owner` are visible.
    pub fn includes(&self, owner: &Owner) -> bool {
        match owner.kind {
            OrganisationKind::PolicingBody => self.policing_bodies.contains(&owner.id),
            OrganisationKind::Partnership => {
                self.partnerships.contains(&owner.id)
                    || self.policing_bodies.contains(&owner.policing_body_id)
            }
            OrganisationKind::Partner => false,
        }
    }
}

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

/// A kind of record that holds personal data. Every view of one, every list of search results
/// that shows one, and every export that includes one writes an access event, which an auditor
/// can read per record and per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonalRecord {
    /// The record type, as the audit log names it.
    pub record_type: &'static str,
    /// How one reads in a sentence: "account".
    pub label: &'static str,
    /// Whether a person must say why before they see one.
    pub asks_reason: bool,
}

impl PersonalRecord {
    /// A person's account: their name, e-mail address and roles.
    pub const USER_ACCOUNT: Self = Self {
        record_type: "user",
        label: "account",
        asks_reason: false,
    };

    /// Every kind of record marked personal.
    pub const ALL: [Self; 1] = [Self::USER_ACCOUNT];

    /// The kind named `record_type`, if it is marked personal.
    pub fn named(record_type: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.record_type == record_type)
    }
}

/// What was done with a personal record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    /// Opened on its own.
    View,
    /// Shown in a list of results.
    Search,
    /// Included in a download.
    Export,
}

impl AccessKind {
    /// Every kind, in the order they are listed.
    pub const ALL: [Self; 3] = [Self::View, Self::Search, Self::Export];

    /// The action as the audit log records it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Search => "search",
            Self::Export => "export",
        }
    }

    /// The kind recorded as `action`, if it is one.
    pub fn parse(action: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == action)
    }

    /// How it reads on a page.
    pub fn label(self) -> &'static str {
        match self {
            Self::View => "Viewed",
            Self::Search => "Listed in results",
            Self::Export => "Exported",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WM: Owner = Owner {
        id: 1,
        kind: OrganisationKind::PolicingBody,
        policing_body_id: 1,
    };
    const MERCIA: Owner = Owner {
        id: 2,
        kind: OrganisationKind::PolicingBody,
        policing_body_id: 2,
    };
    const SOLIHULL: Owner = Owner {
        id: 10,
        kind: OrganisationKind::Partnership,
        policing_body_id: 1,
    };
    const DUDLEY: Owner = Owner {
        id: 11,
        kind: OrganisationKind::Partnership,
        policing_body_id: 1,
    };
    const NWCSP: Owner = Owner {
        id: 20,
        kind: OrganisationKind::Partnership,
        policing_body_id: 2,
    };

    fn actor(role: Role, org: Owner) -> Actor {
        Actor {
            user_id: 1,
            display_name: "Test".into(),
            memberships: vec![Membership {
                organisation: org,
                role,
            }],
        }
    }

    #[test]
    fn the_public_reads_only_the_police_and_crime_plan() {
        assert_eq!(plan_access(None, &WM), PlanAccess::Read);
        assert_eq!(plan_access(None, &SOLIHULL), PlanAccess::None);
    }

    #[test]
    fn partnership_roles_are_scoped_to_their_own_partnership() {
        let manager = actor(Role::PartnershipManager, SOLIHULL);
        assert_eq!(plan_access(Some(&manager), &SOLIHULL), PlanAccess::Edit);
        assert_eq!(plan_access(Some(&manager), &DUDLEY), PlanAccess::None);
        assert_eq!(plan_access(Some(&manager), &WM), PlanAccess::Read);
        let member = actor(Role::PartnershipMember, SOLIHULL);
        assert_eq!(plan_access(Some(&member), &SOLIHULL), PlanAccess::Report);
        let board = actor(Role::BoardMember, SOLIHULL);
        assert_eq!(plan_access(Some(&board), &SOLIHULL), PlanAccess::Read);
        assert_eq!(plan_access(Some(&board), &DUDLEY), PlanAccess::None);
    }

    #[test]
    fn opcc_officers_read_the_partnerships_in_their_own_area_only() {
        let officer = actor(Role::OpccOfficer, WM);
        assert_eq!(plan_access(Some(&officer), &WM), PlanAccess::Edit);
        assert_eq!(plan_access(Some(&officer), &SOLIHULL), PlanAccess::Read);
        assert_eq!(plan_access(Some(&officer), &NWCSP), PlanAccess::None);
        assert_eq!(plan_access(Some(&officer), &MERCIA), PlanAccess::Read);
        let scope = officer.scope();
        assert!(scope.includes(&DUDLEY) && !scope.includes(&NWCSP));
    }

    #[test]
    fn administrators_get_no_partnership_data_by_virtue_of_the_role() {
        let admin = actor(Role::Administrator, WM);
        assert!(admin.is_administrator());
        assert_eq!(plan_access(Some(&admin), &SOLIHULL), PlanAccess::None);
        assert_eq!(plan_access(Some(&admin), &WM), PlanAccess::Read);
        assert!(
            admin.scope().policing_bodies().is_empty() && admin.scope().partnerships().is_empty()
        );
    }

    #[test]
    fn the_scope_agrees_with_plan_access_for_every_role_and_owner() {
        for role in Role::ALL {
            for home in [WM, MERCIA, SOLIHULL, DUDLEY, NWCSP] {
                let a = actor(role, home);
                for owner in [WM, MERCIA, SOLIHULL, DUDLEY, NWCSP] {
                    let readable = plan_access(Some(&a), &owner) != PlanAccess::None;
                    assert_eq!(
                        readable,
                        a.scope().can_read_plan(&owner),
                        "{role:?} of {home:?} reading {owner:?}"
                    );
                }
            }
        }
        for owner in [WM, SOLIHULL] {
            assert_eq!(
                plan_access(None, &owner) != PlanAccess::None,
                ReadScope::public().can_read_plan(&owner)
            );
        }
    }

    #[test]
    fn bids_are_the_partnerships_until_submitted_and_reviews_are_never_the_applicants() {
        let draft = BidParties {
            partnership_id: SOLIHULL.id,
            opcc_id: WM.id,
            state: BidState::Draft,
        };
        let submitted = BidParties {
            state: BidState::Submitted,
            ..draft
        };
        let manager = actor(Role::PartnershipManager, SOLIHULL);
        let officer = actor(Role::OpccOfficer, WM);
        let decider = actor(Role::DecisionMaker, WM);
        let mine = bid_access(Some(&manager), &draft);
        assert!(mine.read && mine.write && mine.applies && !mine.read_reviews);
        let sent = bid_access(Some(&manager), &submitted);
        assert!(sent.read && !sent.write && sent.applies && !sent.read_reviews);
        assert_eq!(bid_access(Some(&officer), &draft), BidAccess::default());
        let reviewing = bid_access(Some(&officer), &submitted);
        assert!(reviewing.read && reviewing.review && !reviewing.write);
        let deciding = bid_access(Some(&decider), &submitted);
        assert!(deciding.read_reviews && !deciding.review);
        let other = actor(Role::PartnershipManager, DUDLEY);
        assert_eq!(bid_access(Some(&other), &submitted), BidAccess::default());
        assert_eq!(bid_access(None, &submitted), BidAccess::default());
    }

    #[test]
    fn grants_are_monitored_by_their_recipient_and_the_funds_opcc_only() {
        let parties = GrantParties {
            opcc_id: WM.id,
            recipient_id: SOLIHULL.id,
        };
        let manager = grant_access(Some(&actor(Role::PartnershipManager, SOLIHULL)), &parties);
        assert!(manager.monitor && manager.report && !manager.manage);
        let member = grant_access(Some(&actor(Role::PartnershipMember, SOLIHULL)), &parties);
        assert!(member.monitor && !member.report);
        let officer = grant_access(Some(&actor(Role::OpccOfficer, WM)), &parties);
        assert!(officer.monitor && officer.manage && !officer.report);
        let elsewhere = grant_access(Some(&actor(Role::OpccOfficer, MERCIA)), &parties);
        assert_eq!(elsewhere, GrantAccess::default());
        assert_eq!(grant_access(None, &parties), GrantAccess::default());
    }

    #[test]
    fn funds_and_boards_belong_to_their_own_organisation() {
        let officer = actor(Role::OpccOfficer, WM);
        let decider = actor(Role::DecisionMaker, WM);
        let own = fund_access(Some(&officer), WM.id);
        assert!(own.commissions && own.reads_unpublished && !own.decides);
        assert!(fund_access(Some(&decider), WM.id).decides);
        assert_eq!(
            fund_access(Some(&officer), MERCIA.id),
            FundAccess::default()
        );
        let member = actor(Role::PartnershipMember, SOLIHULL);
        let board = board_access(Some(&member), SOLIHULL.id);
        assert_eq!(board.audience, Audience::Secretariat);
        assert!(!board.runs);
        assert!(
            board_access(
                Some(&actor(Role::PartnershipManager, SOLIHULL)),
                SOLIHULL.id
            )
            .runs
        );
        assert_eq!(
            board_access(Some(&member), DUDLEY.id).audience,
            Audience::Public
        );
        assert_eq!(board_access(None, WM.id).audience, Audience::Public);
    }

    #[test]
    fn the_scope_agrees_with_bid_grant_and_fund_access_for_every_role() {
        let owners = [WM, MERCIA, SOLIHULL, DUDLEY, NWCSP];
        for role in Role::ALL {
            for home in owners {
                let a = actor(role, home);
                let scope = a.scope();
                for partnership in [SOLIHULL, DUDLEY, NWCSP] {
                    for opcc in [WM, MERCIA] {
                        for state in [BidState::Draft, BidState::Submitted, BidState::Approved] {
                            let bid = BidParties {
                                partnership_id: partnership.id,
                                opcc_id: opcc.id,
                                state,
                            };
                            let access = bid_access(Some(&a), &bid);
                            assert_eq!(access.read, scope.reads_bid(&bid), "{role:?} {bid:?}");
                            assert_eq!(access.read_reviews, scope.reads_reviews(&bid));
                        }
                        let grant = GrantParties {
                            opcc_id: opcc.id,
                            recipient_id: partnership.id,
                        };
                        assert_eq!(
                            grant_access(Some(&a), &grant).monitor,
                            scope.monitors_grant(&grant)
                        );
                        assert_eq!(
                            fund_access(Some(&a), opcc.id).reads_unpublished,
                            scope.reads_unpublished_of(opcc.id)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn auditors_read_the_access_log_and_nothing_of_any_partnership() {
        let auditor = actor(Role::Auditor, WM);
        assert_eq!(
            admin_access(Some(&auditor)),
            AdminAccess {
                manage_users: false,
                read_access_log: true
            }
        );
        let scope = auditor.scope();
        assert!(scope.policing_bodies().is_empty() && scope.partnerships().is_empty());
        assert_eq!(plan_access(Some(&auditor), &SOLIHULL), PlanAccess::None);
        let admin = admin_access(Some(&actor(Role::Administrator, WM)));
        assert!(admin.manage_users && admin.read_access_log);
        assert_eq!(
            admin_access(Some(&actor(Role::OpccOfficer, WM))),
            AdminAccess::default()
        );
        assert_eq!(
            PersonalRecord::named("user"),
            Some(PersonalRecord::USER_ACCOUNT)
        );
        assert_eq!(PersonalRecord::named("plan"), None);
        for kind in AccessKind::ALL {
            assert_eq!(AccessKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
