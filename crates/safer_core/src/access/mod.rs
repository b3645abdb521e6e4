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

mod personal;
mod rules;
#[cfg(test)]
mod tests;

pub use personal::{AccessKind, PersonalRecord};
pub use rules::*;
