//! Rule tests on the pure domain, with a deterministic clock and IDs.

use super::testkit::World;
use super::*;
use crate::Result;
use crate::error::*;
use crate::ids::IdScheme;
use crate::model::{
    AccountStatus, Change, CreateAccountState, FeatureSet, HandshakeAction, HandshakeState, Kind,
    OrganizationalUnit,
};

const MGMT: &str = "111111111111";
const OUTSIDER: &str = "999999999999";

fn org_world() -> (World, String) {
    let mut w = World::new();
    w.write(MGMT, |cx, ids| {
        create_organization(cx, ids, None, IdScheme::Aws)
    })
    .unwrap();
    let root = w
        .read(MGMT, |cx| {
            list_roots(
                cx,
                &PageRequest {
                    after: None,
                    limit: 20,
                },
            )
        })
        .unwrap();
    let root_id = root.items[0].id.clone();
    (w, root_id)
}

fn create_account_now(w: &mut World, email: &str) -> CreateAccountStatusView {
    let req = w
        .write(MGMT, |cx, ids| {
            create_account(cx, ids, email, "A", &[], None)
        })
        .unwrap();
    assert_eq!(req.state, CreateAccountState::InProgress);
    w.advance(0);
    w.read(MGMT, |cx| describe_create_account_status(cx, &req.id))
        .unwrap()
}

#[test]
fn ous_nest_five_levels_and_no_deeper() {
    let (mut w, root) = org_world();
    let mut parent = root;
    for level in 1..=5 {
        let ou = w
            .write(MGMT, |cx, ids| {
                create_organizational_unit(cx, ids, &parent, &format!("L{level}"), &[])
            })
            .unwrap();
        assert_eq!(ou.path.matches("/ou-").count(), level);
        parent = ou.id;
    }
    let err = w
        .write(MGMT, |cx, ids| {
            create_organizational_unit(cx, ids, &parent, "L6", &[])
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::OuDepth { .. })
    ));
}

#[test]
fn ou_names_are_unique_within_a_parent_only() {
    let (mut w, root) = org_world();
    let a = w
        .write(MGMT, |cx, ids| {
            create_organizational_unit(cx, ids, &root, "Prod", &[])
        })
        .unwrap();
    let dup = w.write(MGMT, |cx, ids| {
        create_organizational_unit(cx, ids, &root, "Prod", &[])
    });
    assert_eq!(dup.unwrap_err(), OrgError::DuplicateOrganizationalUnit);
    w.write(MGMT, |cx, ids| {
        create_organizational_unit(cx, ids, &a.id, "Prod", &[])
    })
    .unwrap();
}

#[test]
fn account_creation_settles_with_the_clock_and_rejects_a_used_email() {
    let (mut w, root) = org_world();
    w.limits.create_account_delay = 5_000;
    let req = w
        .write(MGMT, |cx, ids| {
            create_account(cx, ids, "a@example.com", "A", &[], None)
        })
        .unwrap();
    w.advance(4_999);
    let st = w
        .read(MGMT, |cx| describe_create_account_status(cx, &req.id))
        .unwrap();
    assert_eq!(st.state, CreateAccountState::InProgress);
    w.advance(1);
    let st = w
        .read(MGMT, |cx| describe_create_account_status(cx, &req.id))
        .unwrap();
    assert_eq!(st.state, CreateAccountState::Succeeded);
    let acct = w
        .read(MGMT, |cx| describe_account(cx, &st.account_id))
        .unwrap();
    assert_eq!(
        acct.paths,
        vec![format!(
            "{}{}/",
            w.state
                .path_of_parent(&w.state.organizations.values().next().unwrap().id, &root),
            acct.id
        )]
    );

    w.limits.create_account_delay = 0;
    let again = create_account_now(&mut w, "A@EXAMPLE.com");
    assert_eq!(again.state, CreateAccountState::Failed);
    assert_eq!(
        again.failure_reason.as_deref(),
        Some("EMAIL_ALREADY_EXISTS")
    );
}

#[test]
fn account_quota_counts_the_management_account() {
    let (mut w, _) = org_world();
    w.limits.max_accounts = 2;
    create_account_now(&mut w, "a@example.com");
    let err = w
        .write(MGMT, |cx, ids| {
            create_account(cx, ids, "b@example.com", "B", &[], None)
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::AccountLimit { .. })
    ));
}

#[test]
fn pages_list_every_account_once_while_accounts_are_added() {
    let (mut w, _) = org_world();
    for i in 0..5 {
        create_account_now(&mut w, &format!("a{i}@example.com"));
    }
    let mut seen = Vec::new();
    let mut after = None;
    let before: Vec<String> = w
        .state
        .members(&w.state.organizations.values().next().unwrap().id)
        .iter()
        .cloned()
        .collect();
    loop {
        let page = w
            .read(MGMT, |cx| {
                list_accounts(
                    cx,
                    &PageRequest {
                        after: after.clone(),
                        limit: 2,
                    },
                )
            })
            .unwrap();
        seen.extend(page.items.into_iter().map(|a| a.id));
        create_account_now(&mut w, &format!("late{}@example.com", seen.len()));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), seen.len(), "an account appeared twice");
    assert!(
        before.iter().all(|id| seen.contains(id)),
        "an account present throughout was skipped"
    );
}

#[test]
fn closing_goes_through_pending_closure_to_suspended_once() {
    let (mut w, _) = org_world();
    w.limits.close_account_delay = 1_000;
    let id = create_account_now(&mut w, "a@example.com").account_id;
    w.write(MGMT, |cx, _| close_account(cx, &id)).unwrap();
    assert_eq!(w.state.accounts[&id].status, AccountStatus::PendingClosure);
    assert_eq!(
        w.write(MGMT, |cx, _| close_account(cx, &id)).unwrap_err(),
        OrgError::AccountAlreadyClosed
    );
    w.advance(1_000);
    assert_eq!(w.state.accounts[&id].status, AccountStatus::Suspended);
    let err = w.write(MGMT, |cx, _| close_account(cx, MGMT)).unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::CloseManagementAccount)
    ));
}

const DAY: crate::Millis = 24 * 3600 * 1000;

#[test]
fn a_created_account_can_leave_only_after_the_wait_period() {
    let (mut w, _) = org_world();
    let id = create_account_now(&mut w, "a@example.com").account_id;
    assert_eq!(w.limits.min_account_age, 7 * DAY);
    w.advance(7 * DAY - 1);
    let removed = w.write(MGMT, |cx, _| remove_account_from_organization(cx, &id));
    assert_eq!(
        removed.unwrap_err(),
        OrgError::Constraint(Constraint::WaitPeriodActive)
    );
    let left = w.write(&id, |cx, _| leave_organization(cx));
    assert_eq!(
        left.unwrap_err(),
        OrgError::Constraint(Constraint::WaitPeriodActive)
    );
    w.advance(1);
    w.write(MGMT, |cx, _| remove_account_from_organization(cx, &id))
        .unwrap();
}

#[test]
fn a_closed_account_leaves_the_organization_after_the_post_closure_period() {
    let (mut w, _) = org_world();
    let id = create_account_now(&mut w, "a@example.com").account_id;
    w.write(MGMT, |cx, _| close_account(cx, &id)).unwrap();
    w.advance(0);
    assert_eq!(w.state.accounts[&id].status, AccountStatus::Suspended);
    w.advance(90 * DAY - 1);
    let still = w.read(MGMT, |cx| describe_account(cx, &id)).unwrap();
    assert_eq!(still.status, AccountStatus::Suspended);
    w.advance(1);
    assert_eq!(
        w.read(MGMT, |cx| describe_account(cx, &id)).unwrap_err(),
        OrgError::NotFound(Entity::Account)
    );
    assert!(w.state.accounts[&id].membership.is_none());
    // Nothing is left to do: the organization can be deleted.
    assert_eq!(w.state.next_due(), None);
    w.write(MGMT, |cx, _| delete_organization(cx)).unwrap();
}

#[test]
fn an_organization_closes_at_most_its_quota_in_thirty_days() {
    let (mut w, _) = org_world();
    let ids: Vec<String> = (0..12)
        .map(|i| create_account_now(&mut w, &format!("a{i}@example.com")).account_id)
        .collect();
    // 12 members: 10% is 1, so the floor of 10 applies.
    for id in &ids[..10] {
        w.write(MGMT, |cx, _| close_account(cx, id)).unwrap();
        w.advance(DAY);
    }
    assert_eq!(
        w.write(MGMT, |cx, _| close_account(cx, &ids[10]))
            .unwrap_err(),
        OrgError::Constraint(Constraint::CloseAccountQuota { max: 10 })
    );
    // 30 days after the first closure, it no longer counts.
    w.advance(20 * DAY);
    w.write(MGMT, |cx, _| close_account(cx, &ids[10])).unwrap();
    assert_eq!(
        w.write(MGMT, |cx, _| close_account(cx, &ids[11]))
            .unwrap_err(),
        OrgError::Constraint(Constraint::CloseAccountQuota { max: 10 })
    );
}

#[test]
fn closing_needs_all_features() {
    let mut w = World::new();
    w.write(MGMT, |cx, ids| {
        create_organization(
            cx,
            ids,
            Some(FeatureSet::ConsolidatedBilling),
            IdScheme::Aws,
        )
    })
    .unwrap();
    let id = create_account_now(&mut w, "a@example.com").account_id;
    let err = w.write(MGMT, |cx, _| close_account(cx, &id)).unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::CloseNeedsAllFeatures | Constraint::AllFeaturesRequired)
    ));
}

#[test]
fn who_may_call_what() {
    let (mut w, _) = org_world();
    let member = create_account_now(&mut w, "a@example.com").account_id;
    assert!(w.read(&member, describe_organization).is_ok());
    assert!(matches!(
        w.read(&member, |cx| list_accounts(
            cx,
            &PageRequest {
                after: None,
                limit: 5
            }
        )),
        Err(OrgError::AccessDenied(_))
    ));
    assert_eq!(
        w.read(OUTSIDER, describe_organization).unwrap_err(),
        OrgError::NotFound(Entity::Organization)
    );
    assert_eq!(
        w.write(&member, |cx, ids| create_organization(
            cx,
            ids,
            None,
            IdScheme::Aws
        ))
        .unwrap_err(),
        OrgError::AlreadyInOrganization
    );
}

#[test]
fn an_organization_is_deleted_only_without_members_and_takes_its_ous() {
    let (mut w, root) = org_world();
    w.write(MGMT, |cx, ids| {
        create_organizational_unit(cx, ids, &root, "Prod", &[])
    })
    .unwrap();
    let member = create_account_now(&mut w, "a@example.com").account_id;
    assert_eq!(
        w.write(MGMT, |cx, _| delete_organization(cx)).unwrap_err(),
        OrgError::OrganizationNotEmpty
    );
    assert_eq!(
        w.write(MGMT, |cx, _| remove_account_from_organization(cx, MGMT))
            .unwrap_err(),
        OrgError::ManagementAccountCannotLeave
    );
    w.advance(w.limits.min_account_age);
    w.write(MGMT, |cx, _| remove_account_from_organization(cx, &member))
        .unwrap();
    w.write(MGMT, |cx, _| delete_organization(cx)).unwrap();
    assert!(w.state.organizations.is_empty() && w.state.ous.is_empty() && w.state.roots.is_empty());
    assert_eq!(
        w.read(MGMT, describe_organization).unwrap_err(),
        OrgError::NotFound(Entity::Organization)
    );
    // Both accounts are remembered as standalone accounts and may start again.
    assert!(w.state.accounts[&member].membership.is_none());
    w.write(MGMT, |cx, ids| {
        create_organization(cx, ids, None, IdScheme::Aws)
    })
    .unwrap();
}

#[test]
fn tags_respect_the_quota_system_keys_and_duplicates() {
    let (mut w, root) = org_world();
    let fifty: Vec<(String, String)> = (0..50).map(|i| (format!("k{i}"), "v".into())).collect();
    w.write(MGMT, |cx, _| tag_resource(cx, &root, &fifty))
        .unwrap();
    let err = w
        .write(MGMT, |cx, _| {
            tag_resource(cx, &root, &[("k50".into(), "v".into())])
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::TagLimit { .. })
    ));
    let err = w
        .write(MGMT, |cx, _| {
            tag_resource(cx, &root, &[("aws:x".into(), "v".into())])
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::InvalidInput(Invalid::ReservedTagKey { .. })
    ));
    let dup = [
        ("a".to_string(), "1".to_string()),
        ("a".to_string(), "2".to_string()),
    ];
    let err = w
        .write(MGMT, |cx, ids| {
            create_organizational_unit(cx, ids, &root, "X", &dup)
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::InvalidInput(Invalid::DuplicateTagKey { .. })
    ));
    w.write(MGMT, |cx, _| untag_resource(cx, &root, &["k0".into()]))
        .unwrap();
    assert_eq!(
        w.read(MGMT, |cx| list_tags_for_resource(cx, &root))
            .unwrap()
            .len(),
        49
    );
    assert_eq!(
        w.read(MGMT, |cx| list_tags_for_resource(cx, "r-zzzz"))
            .unwrap_err(),
        OrgError::NotFound(Entity::Target)
    );
}

#[test]
fn moving_checks_source_destination_and_membership() {
    let (mut w, root) = org_world();
    let ou = w
        .write(MGMT, |cx, ids| {
            create_organizational_unit(cx, ids, &root, "Prod", &[])
        })
        .unwrap();
    let id = create_account_now(&mut w, "a@example.com").account_id;
    assert_eq!(
        w.write(MGMT, |cx, _| move_account(cx, &id, &ou.id, &root))
            .unwrap_err(),
        OrgError::NotFound(Entity::SourceParent)
    );
    assert_eq!(
        w.write(MGMT, |cx, _| move_account(cx, &id, &root, &root))
            .unwrap_err(),
        OrgError::AccountAlreadyInParent
    );
    assert_eq!(
        w.write(MGMT, |cx, _| move_account(cx, &id, "r-zzzz", &ou.id))
            .unwrap_err(),
        OrgError::NotFound(Entity::SourceParent)
    );
    assert_eq!(
        w.write(MGMT, |cx, _| move_account(
            cx,
            &id,
            &root,
            "ou-zzzz-zzzzzzzz"
        ))
        .unwrap_err(),
        OrgError::NotFound(Entity::DestinationParent)
    );
    w.write(MGMT, |cx, _| move_account(cx, &id, &root, &ou.id))
        .unwrap();
    assert_eq!(
        w.write(MGMT, |cx, _| delete_organizational_unit(cx, &ou.id))
            .unwrap_err(),
        OrgError::OrganizationalUnitNotEmpty
    );
    let parents = w
        .read(MGMT, |cx| {
            list_parents(
                cx,
                &id,
                &PageRequest {
                    after: None,
                    limit: 20,
                },
            )
        })
        .unwrap();
    assert_eq!(
        parents.items,
        vec![(ou.id.clone(), ParentType::OrganizationalUnit)]
    );
}

#[test]
fn delegated_administrators_need_trusted_access_and_get_read_access_only() {
    let (mut w, root) = org_world();
    let admin = create_account_now(&mut w, "sec@example.com").account_id;
    let gd = "guardduty.amazonaws.com";
    let err = w
        .write(MGMT, |cx, _| {
            register_delegated_administrator(cx, &admin, gd)
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::ServiceAccessNotEnabled { .. })
    ));
    let err = w
        .write(MGMT, |cx, _| {
            enable_aws_service_access(cx, "nope.amazonaws.com")
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::InvalidInput(Invalid::UnrecognizedServicePrincipal { .. })
    ));
    w.write(MGMT, |cx, _| enable_aws_service_access(cx, gd))
        .unwrap();
    w.write(MGMT, |cx, _| enable_aws_service_access(cx, gd))
        .unwrap();
    let err = w
        .write(MGMT, |cx, _| register_delegated_administrator(cx, MGMT, gd))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::ManagementAsDelegatedAdministrator)
    ));
    assert!(matches!(
        w.read(&admin, |cx| list_accounts(
            cx,
            &PageRequest {
                after: None,
                limit: 5
            }
        )),
        Err(OrgError::AccessDenied(_))
    ));
    w.write(MGMT, |cx, _| {
        register_delegated_administrator(cx, &admin, gd)
    })
    .unwrap();
    assert_eq!(
        w.write(MGMT, |cx, _| register_delegated_administrator(
            cx, &admin, gd
        ))
        .unwrap_err(),
        OrgError::AlreadyDelegatedAdministrator
    );
    // Read-only operations open up for the delegated administrator; writes stay closed.
    let listed = w
        .read(&admin, |cx| {
            list_accounts(
                cx,
                &PageRequest {
                    after: None,
                    limit: 5,
                },
            )
        })
        .unwrap();
    assert_eq!(listed.items.len(), 2);
    assert!(matches!(
        w.write(&admin, |cx, ids| create_organizational_unit(
            cx,
            ids,
            &root,
            "X",
            &[]
        )),
        Err(OrgError::AccessDenied(_))
    ));
    let services = w
        .read(MGMT, |cx| {
            list_delegated_services_for_account(
                cx,
                &admin,
                &PageRequest {
                    after: None,
                    limit: 5,
                },
            )
        })
        .unwrap();
    assert_eq!(
        services
            .items
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>(),
        vec![gd]
    );
    let err = w
        .write(MGMT, |cx, _| remove_account_from_organization(cx, &admin))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(
            Constraint::RemoveDelegatedAdministrator | Constraint::LeaveAsDelegatedAdministrator
        )
    ));
    w.write(MGMT, |cx, _| {
        deregister_delegated_administrator(cx, &admin, gd)
    })
    .unwrap();
    assert_eq!(
        w.write(MGMT, |cx, _| deregister_delegated_administrator(
            cx, &admin, gd
        ))
        .unwrap_err(),
        OrgError::NotDelegatedAdministrator
    );
    assert_eq!(
        w.read(MGMT, |cx| list_delegated_services_for_account(
            cx,
            &admin,
            &PageRequest {
                after: None,
                limit: 5
            }
        ))
        .unwrap_err(),
        OrgError::NotDelegatedAdministrator
    );
    w.advance(w.limits.min_account_age);
    w.write(MGMT, |cx, _| remove_account_from_organization(cx, &admin))
        .unwrap();
}

#[test]
fn the_resource_policy_is_put_described_replaced_and_deleted() {
    let (mut w, _) = org_world();
    assert_eq!(
        w.read(MGMT, describe_resource_policy).unwrap_err(),
        OrgError::NotFound(Entity::ResourcePolicy)
    );
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"organizations:DescribeOrganization","Resource":"*"}]}"#;
    let bad = w
        .write(MGMT, |cx, ids| {
            put_resource_policy(cx, ids, "{not json", &[])
        })
        .unwrap_err();
    assert!(matches!(
        bad,
        OrgError::InvalidInput(Invalid::ResourcePolicy(_))
    ));
    let tags = [("team".to_string(), "sec".to_string())];
    let first = w
        .write(MGMT, |cx, ids| put_resource_policy(cx, ids, doc, &tags))
        .unwrap();
    assert!(first.id.starts_with("rp-"));
    assert!(matches!(&first.resource_name,
        ResourceName::Org { entity: Named::ResourcePolicy(id), .. } if *id == first.id));
    assert_eq!(
        w.read(MGMT, |cx| list_tags_for_resource(cx, &first.id))
            .unwrap()
            .len(),
        1
    );
    let again = w
        .write(MGMT, |cx, ids| put_resource_policy(cx, ids, doc, &[]))
        .unwrap();
    assert_eq!(
        again.id, first.id,
        "a put replaces the content and keeps the policy"
    );
    let err = w
        .write(MGMT, |cx, ids| put_resource_policy(cx, ids, doc, &tags))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::InvalidInput(
            Invalid::ResourcePolicyTagsOnUpdate | Invalid::EffectivePolicyTarget
        )
    ));
    w.write(MGMT, |cx, _| delete_resource_policy(cx)).unwrap();
    assert_eq!(
        w.write(MGMT, |cx, _| delete_resource_policy(cx))
            .unwrap_err(),
        OrgError::NotFound(Entity::ResourcePolicy)
    );
}

#[test]
fn members_leave_but_the_management_account_cannot() {
    let (mut w, _) = org_world();
    let member = create_account_now(&mut w, "a@example.com").account_id;
    assert_eq!(
        w.write(MGMT, |cx, _| leave_organization(cx)).unwrap_err(),
        OrgError::ManagementAccountCannotLeave
    );
    w.advance(w.limits.min_account_age);
    w.write(&member, |cx, _| leave_organization(cx)).unwrap();
    assert!(w.state.accounts[&member].membership.is_none());
    assert_eq!(
        w.read(&member, describe_organization).unwrap_err(),
        OrgError::NotFound(Entity::Organization)
    );
    assert_eq!(
        w.write(&member, |cx, _| leave_organization(cx))
            .unwrap_err(),
        OrgError::NotFound(Entity::Organization)
    );
}

const INVITEE: &str = "222222222222";

fn invite(w: &mut World, target: InviteTarget) -> Result<HandshakeView> {
    w.write(MGMT, |cx, ids| {
        invite_account_to_organization(
            cx,
            ids,
            target,
            Some("join us".into()),
            &[("team".into(), "a".into())],
        )
    })
}

#[test]
fn an_invited_account_accepts_and_joins_the_root() {
    let (mut w, root) = org_world();
    let h = invite(&mut w, InviteTarget::Account(INVITEE.into())).unwrap();
    assert_eq!(h.handshake.state, HandshakeState::Open);
    assert!(matches!(&h.resource_name,
        ResourceName::Org { entity: Named::Handshake { action: HandshakeAction::Invite, handshake_id }, .. }
            if *handshake_id == h.handshake.id));
    assert_eq!(
        invite(&mut w, InviteTarget::Account(INVITEE.into())).unwrap_err(),
        OrgError::DuplicateHandshake
    );
    // The invitee sees it; an outsider does not; the inviter cannot accept it.
    let mine = w
        .read(INVITEE, |cx| {
            list_handshakes_for_account(
                cx,
                &HandshakeFilter::default(),
                &PageRequest {
                    after: None,
                    limit: 20,
                },
            )
        })
        .unwrap();
    assert_eq!(mine.items.len(), 1);
    assert_eq!(
        w.read(OUTSIDER, |cx| describe_handshake(cx, &h.handshake.id))
            .unwrap_err(),
        OrgError::NotFound(Entity::Handshake)
    );
    assert!(matches!(
        w.write(MGMT, |cx, _| accept_handshake(cx, &h.handshake.id)),
        Err(OrgError::AccessDenied(_))
    ));
    let accepted = w
        .write(INVITEE, |cx, _| accept_handshake(cx, &h.handshake.id))
        .unwrap();
    assert_eq!(accepted.handshake.state, HandshakeState::Accepted);
    let acct = w.read(MGMT, |cx| describe_account(cx, INVITEE)).unwrap();
    assert_eq!(acct.joined_method, crate::model::JoinedMethod::Invited);
    assert!(acct.paths[0].contains(&format!("/{root}/")));
    assert_eq!(
        w.read(MGMT, |cx| list_tags_for_resource(cx, INVITEE))
            .unwrap()
            .get("team")
            .map(String::as_str),
        Some("a")
    );
    assert_eq!(
        w.write(INVITEE, |cx, _| accept_handshake(cx, &h.handshake.id))
            .unwrap_err(),
        OrgError::HandshakeAlreadyInState
    );
    assert!(matches!(
        w.write(INVITEE, |cx, _| decline_handshake(cx, &h.handshake.id)),
        Err(OrgError::HandshakeTransition(_))
    ));
}

#[test]
fn an_account_of_another_organization_must_leave_before_joining() {
    let (mut w, _) = org_world();
    w.write(INVITEE, |cx, ids| {
        create_organization(cx, ids, None, IdScheme::Aws)
    })
    .unwrap();
    let h = invite(&mut w, InviteTarget::Account(INVITEE.into())).unwrap();
    let err = w
        .write(INVITEE, |cx, _| accept_handshake(cx, &h.handshake.id))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Handshake(
            HandshakeConstraint::AlreadyMember | HandshakeConstraint::InAnotherOrganization
        )
    ));
}

#[test]
fn invitations_by_email_expire_after_fifteen_days_and_are_forgotten_after_thirty_more() {
    let (mut w, _) = org_world();
    let email = format!("account-{INVITEE}@example.com");
    let h = invite(&mut w, InviteTarget::Email(email)).unwrap();
    w.advance(15 * 24 * 3600 * 1000);
    let seen = w
        .read(INVITEE, |cx| describe_handshake(cx, &h.handshake.id))
        .unwrap();
    assert_eq!(seen.handshake.state, HandshakeState::Expired);
    assert!(matches!(
        w.write(INVITEE, |cx, _| accept_handshake(cx, &h.handshake.id)),
        Err(OrgError::HandshakeTransition(_))
    ));
    w.advance(30 * 24 * 3600 * 1000);
    assert_eq!(
        w.read(MGMT, |cx| describe_handshake(cx, &h.handshake.id))
            .unwrap_err(),
        OrgError::NotFound(Entity::Handshake)
    );
}

#[test]
fn invitations_are_limited_per_day_and_canceled_by_the_organization() {
    let (mut w, _) = org_world();
    w.limits.max_invitations_per_day = 2;
    let a = invite(&mut w, InviteTarget::Account("333333333333".into())).unwrap();
    invite(&mut w, InviteTarget::Account("444444444444".into())).unwrap();
    let err = invite(&mut w, InviteTarget::Account("555555555555".into())).unwrap_err();
    assert!(matches!(
        err,
        OrgError::Handshake(HandshakeConstraint::InvitationRate { .. })
    ));
    let canceled = w
        .write(MGMT, |cx, _| cancel_handshake(cx, &a.handshake.id))
        .unwrap();
    assert_eq!(canceled.handshake.state, HandshakeState::Canceled);
    let err = invite(&mut w, InviteTarget::Organization("o-abcdefghij".into())).unwrap_err();
    assert!(matches!(
        err,
        OrgError::InvalidInput(Invalid::InvitationToOrganization | Invalid::TransferToOrganization)
    ));
}

#[test]
fn enabling_all_features_needs_every_invited_member_to_approve() {
    let mut w = World::new();
    w.write(MGMT, |cx, ids| {
        create_organization(
            cx,
            ids,
            Some(FeatureSet::ConsolidatedBilling),
            IdScheme::Aws,
        )
    })
    .unwrap();
    let h = invite(&mut w, InviteTarget::Account(INVITEE.into())).unwrap();
    w.write(INVITEE, |cx, _| accept_handshake(cx, &h.handshake.id))
        .unwrap();
    create_account_now(&mut w, "created@example.com");
    let parent = w
        .write(MGMT, |cx, ids| enable_all_features(cx, ids))
        .unwrap();
    assert_eq!(parent.handshake.state, HandshakeState::Requested);
    let err = w
        .write(MGMT, |cx, ids| enable_all_features(cx, ids))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Handshake(HandshakeConstraint::AlreadyEnablingAllFeatures)
    ));
    assert!(matches!(
        w.write(MGMT, |cx, _| accept_handshake(cx, &parent.handshake.id)),
        Err(OrgError::HandshakeTransition(_))
    ));
    let approvals = w
        .read(INVITEE, |cx| {
            list_handshakes_for_account(
                cx,
                &HandshakeFilter {
                    action: Some("APPROVE_ALL_FEATURES".into()),
                    parent_id: None,
                },
                &PageRequest {
                    after: None,
                    limit: 20,
                },
            )
        })
        .unwrap();
    assert_eq!(
        approvals.items.len(),
        1,
        "only the invited member approves; created accounts do not"
    );
    w.write(INVITEE, |cx, _| {
        accept_handshake(cx, &approvals.items[0].handshake.id)
    })
    .unwrap();
    assert_eq!(
        w.state.handshakes[&parent.handshake.id].state,
        HandshakeState::Open
    );
    w.write(MGMT, |cx, _| accept_handshake(cx, &parent.handshake.id))
        .unwrap();
    assert_eq!(
        w.read(MGMT, describe_organization).unwrap().feature_set,
        "ALL"
    );
    let err = w
        .write(MGMT, |cx, ids| enable_all_features(cx, ids))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Handshake(HandshakeConstraint::AlreadyAllFeatures)
    ));
}

#[test]
fn kinds_come_from_the_state_not_from_the_shape_of_ids() {
    let (mut w, root_id) = org_world();
    let org_id = w.state.org_of(MGMT).unwrap().id.clone();
    // An OU whose id has another cloud's format (no root part).
    let ou = "ou-0a1b2c3d4e5f";
    w.state.apply(Change::PutOu(OrganizationalUnit {
        id: ou.into(),
        org_id,
        parent_id: root_id.clone(),
        name: "Other".into(),
        created_at: 0,
        tags: Default::default(),
        policies: vec![],
    }));
    assert_eq!(w.state.kind_of(ou), Some(Kind::OrganizationalUnit));
    assert_eq!(w.state.kind_of(&root_id), Some(Kind::Root));
    assert_eq!(w.state.kind_of(MGMT), Some(Kind::Account));
    assert_eq!(w.state.kind_of("ou-abcd-12345678"), None);
    let page = PageRequest {
        after: None,
        limit: 20,
    };
    let parents = w.read(MGMT, |cx| list_parents(cx, ou, &page)).unwrap();
    assert_eq!(parents.items, vec![(root_id, ParentType::Root)]);
    w.write(MGMT, |cx, _| {
        tag_resource(cx, ou, &[("team".into(), "a".into())])
    })
    .unwrap();
    assert_eq!(w.state.ous[ou].tags.len(), 1);
}

#[test]
fn only_the_management_account_or_the_account_itself_assumes_its_access_role() {
    let (mut w, _) = org_world();
    let default = create_account_now(&mut w, "d@example.com");
    let named = w
        .write(MGMT, |cx, ids| {
            create_account(cx, ids, "n@example.com", "N", &[], Some("Admin"))
        })
        .unwrap();
    w.advance(0);
    let (d, n) = (default.account_id.clone(), named.account_id.clone());
    let ok = |w: &World, caller: &str, account: &str, role: &str| {
        w.read(caller, |cx| assume_role(cx, account, role)).is_ok()
    };
    assert!(ok(&w, MGMT, &d, "OrganizationAccountAccessRole"));
    assert!(ok(&w, MGMT, &n, "Admin"));
    assert!(!ok(&w, MGMT, &n, "OrganizationAccountAccessRole"));
    assert!(ok(&w, &d, &d, "OrganizationAccountAccessRole"));
    // Another member, an outsider, an unknown account, another role: denied.
    assert!(!ok(&w, &d, &n, "Admin"));
    assert!(!ok(&w, OUTSIDER, &d, "OrganizationAccountAccessRole"));
    assert!(!ok(
        &w,
        MGMT,
        "123412341234",
        "OrganizationAccountAccessRole"
    ));
    assert!(!ok(&w, MGMT, &d, "SomethingElse"));
    let err = w
        .read(OUTSIDER, |cx| {
            assume_role(cx, &d, "OrganizationAccountAccessRole")
        })
        .unwrap_err();
    assert_eq!(err, OrgError::AccessDenied(Denial::AssumeRole));
}
