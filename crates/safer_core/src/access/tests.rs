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
    assert!(admin.scope().policing_bodies().is_empty() && admin.scope().partnerships().is_empty());
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
