//! Who may see and change what. Deny by default: every permission here is an explicit rule,
//! and anything not granted is refused.
//!
//! A partnership's records are visible to its own members and to the officers of the policing
//! body whose area it is in. The Police and Crime Plan is a public document. Refusals of partnership
//! records are reported as "not found" by the web layer, so that existence does not leak.

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
}

impl Role {
    /// Every role, in the order they are listed to people.
    pub const ALL: [Role; 6] = [
        Role::Administrator,
        Role::OpccOfficer,
        Role::DecisionMaker,
        Role::PartnershipManager,
        Role::PartnershipMember,
        Role::BoardMember,
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
        }
    }

    /// Whether the role is held in a policing body (as opposed to a partnership).
    pub fn belongs_to_policing_body(self) -> bool {
        matches!(
            self,
            Self::Administrator | Self::OpccOfficer | Self::DecisionMaker
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
    pub fn runs(&self, organisation_id: i64) -> bool {
        self.holds(Role::OpccOfficer, organisation_id)
            || self.holds(Role::PartnershipManager, organisation_id)
    }

    /// Whether the person runs commissioning for the OPCC's funds: opens rounds, reviews bids
    /// and records board comments. Its OPCC officers.
    pub fn commissions_for(&self, policing_body_id: i64) -> bool {
        self.holds(Role::OpccOfficer, policing_body_id)
    }

    /// Whether the person takes the decisions on the OPCC's funds: its decision maker.
    pub fn decides_for(&self, policing_body_id: i64) -> bool {
        self.holds(Role::DecisionMaker, policing_body_id)
    }

    /// Whether the person may read the OPCC's unpublished decisions: its officers and
    /// decision maker.
    pub fn works_for(&self, policing_body_id: i64) -> bool {
        self.is_officer_of(policing_body_id)
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
        assert_eq!(admin.scope(), ReadScope::public());
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
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
    }
}
