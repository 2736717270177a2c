//! Rule tests for responsibility transfers and CreateGovCloudAccount.

use super::testkit::World;
use super::transfers::next_month_start;
use super::*;
use crate::error::*;
use crate::ids::IdScheme;
use crate::model::{HandshakeAction, HandshakeState, Millis, TransferStatus, TransferType};

/// The organization that takes the billing over (it invites).
const PAYER: &str = "111111111111";
/// The organization whose billing is transferred (it is invited).
const SOURCE: &str = "222222222222";
const OTHER: &str = "333333333333";
const DAY: Millis = 24 * 60 * 60 * 1000;
const ALL_PAGE: PageRequest = PageRequest {
    after: None,
    limit: 20,
};

/// Three organizations, each created by its management account.
fn world() -> World {
    let mut w = World::new();
    for mgmt in [PAYER, SOURCE, OTHER] {
        w.write(mgmt, |cx, ids| {
            create_organization(cx, ids, None, IdScheme::Aws)
        })
        .unwrap();
    }
    w
}

/// The first month start at which an invitation sent now can still be accepted.
fn first_start(w: &World) -> Millis {
    next_month_start(w.now + DAY)
}

fn invitation(target: InviteTarget, start_at: Millis) -> TransferInvitation {
    TransferInvitation {
        transfer_type: TransferType::Billing,
        target,
        notes: Some("billing moves".into()),
        start_at,
        name: "consolidation".into(),
        tags: vec![("team".into(), "finance".into())],
    }
}

fn invite(w: &mut World, from: &str, to: &str) -> Result<HandshakeView, OrgError> {
    let start = first_start(w);
    w.write(from, |cx, ids| {
        invite_organization_to_transfer_responsibility(
            cx,
            ids,
            invitation(InviteTarget::Account(to.into()), start),
        )
    })
}

fn transfer_id(h: &HandshakeView) -> String {
    h.transfer
        .as_ref()
        .expect("a transfer handshake")
        .id
        .clone()
}

#[test]
fn an_accepted_invitation_makes_an_inbound_and_an_outbound_transfer() {
    let mut w = world();
    let h = invite(&mut w, PAYER, SOURCE).unwrap();
    assert_eq!(h.handshake.action, HandshakeAction::TransferResponsibility);
    assert!(matches!(
        &h.resource_name,
        ResourceName::Org {
            entity: Named::Handshake {
                action: HandshakeAction::TransferResponsibility,
                ..
            },
            ..
        }
    ));
    let id = transfer_id(&h);
    let t = w
        .read(PAYER, |cx| describe_responsibility_transfer(cx, &id))
        .unwrap();
    assert_eq!(t.transfer.status, TransferStatus::Requested);
    assert_eq!(t.transfer.handshake_id, h.handshake.id);
    assert!(
        matches!(
            &t.resource_name,
            ResourceName::Org { account_id, entity: Named::Transfer { transfer_type: TransferType::Billing, inbound: true, .. }, .. }
                if account_id == PAYER
        ),
        "{:?}",
        t.resource_name
    );
    // The invited management account sees the invitation among its outbound transfers.
    let out = w
        .read(SOURCE, |cx| {
            list_outbound_responsibility_transfers(cx, TransferType::Billing, &ALL_PAGE)
        })
        .unwrap();
    assert_eq!(out.items.len(), 1);
    assert!(matches!(
        &out.items[0].resource_name,
        ResourceName::Org { account_id, entity: Named::Transfer { transfer_type: TransferType::Billing, inbound: false, .. }, .. }
            if account_id == SOURCE
    ));
    assert_eq!(out.items[0].source_account_id.as_deref(), Some(SOURCE));

    let accepted = w
        .write(SOURCE, |cx, _| accept_handshake(cx, &h.handshake.id))
        .unwrap();
    assert_eq!(accepted.handshake.state, HandshakeState::Accepted);
    let t = w
        .read(SOURCE, |cx| describe_responsibility_transfer(cx, &id))
        .unwrap();
    assert_eq!(t.transfer.status, TransferStatus::Accepted);
    assert_eq!(t.transfer.target_account_id, PAYER);
    let inbound = w
        .read(PAYER, |cx| {
            list_inbound_responsibility_transfers(cx, TransferType::Billing, Some(&id), &ALL_PAGE)
        })
        .unwrap();
    assert_eq!(inbound.items.len(), 1);
    // Neither side sees the other direction; a third organization sees nothing.
    assert!(
        w.read(SOURCE, |cx| {
            list_inbound_responsibility_transfers(cx, TransferType::Billing, None, &ALL_PAGE)
        })
        .unwrap()
        .items
        .is_empty()
    );
    assert_eq!(
        w.read(OTHER, |cx| describe_responsibility_transfer(cx, &id))
            .unwrap_err(),
        OrgError::NotFound(Entity::ResponsibilityTransfer)
    );
    assert_eq!(
        w.read(OTHER, |cx| {
            list_inbound_responsibility_transfers(cx, TransferType::Billing, Some(&id), &ALL_PAGE)
        })
        .unwrap_err(),
        OrgError::NotFound(Entity::ResponsibilityTransfer)
    );
}

#[test]
fn the_start_must_be_a_month_start_a_day_ahead_and_not_too_far() {
    let mut w = world();
    let start = first_start(&w);
    let reason = |w: &mut World, start_at: Millis| {
        w.write(PAYER, |cx, ids| {
            invite_organization_to_transfer_responsibility(
                cx,
                ids,
                invitation(InviteTarget::Account(SOURCE.into()), start_at),
            )
        })
        .unwrap_err()
    };
    assert!(matches!(
        reason(&mut w, start + 1000),
        OrgError::InvalidInput(Invalid::StartNotBeginningOfDay)
    ));
    assert!(matches!(
        reason(&mut w, start + DAY),
        OrgError::InvalidInput(Invalid::StartNotBeginningOfMonth)
    ));
    let this_month = next_month_start(w.now - 40 * DAY);
    assert!(matches!(
        reason(&mut w, this_month),
        OrgError::InvalidInput(Invalid::StartTooEarly)
    ));
    let mut far = start;
    for _ in 0..13 {
        far = next_month_start(far);
    }
    assert!(matches!(
        reason(&mut w, far),
        OrgError::InvalidInput(Invalid::StartTooLate)
    ));
    // Inviting an organization, yourself or your own member is refused.
    let err = w
        .write(PAYER, |cx, ids| {
            invite_organization_to_transfer_responsibility(
                cx,
                ids,
                invitation(InviteTarget::Organization("o-abcdefghij".into()), start),
            )
        })
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::InvalidInput(Invalid::InvitationToOrganization | Invalid::TransferToOrganization)
    ));
    assert!(matches!(
        invite(&mut w, PAYER, PAYER).unwrap_err(),
        OrgError::Handshake(
            HandshakeConstraint::TransferToOwnOrganization
                | HandshakeConstraint::TransferFromOwnOrganization
        )
    ));
    let member = w
        .write(PAYER, |cx, ids| {
            create_account(cx, ids, "m@example.com", "M", &[], None)
        })
        .unwrap()
        .account_id;
    w.advance(0);
    assert!(matches!(
        invite(&mut w, PAYER, &member).unwrap_err(),
        OrgError::Handshake(
            HandshakeConstraint::TransferToOwnOrganization
                | HandshakeConstraint::TransferFromOwnOrganization
        )
    ));
    // Only the management account invites.
    assert!(matches!(
        invite(&mut w, &member, SOURCE),
        Err(OrgError::AccessDenied(_))
    ));
}

#[test]
fn an_organization_transfers_its_billing_to_one_payer_at_a_time() {
    let mut w = world();
    let h = invite(&mut w, PAYER, SOURCE).unwrap();
    assert_eq!(
        invite(&mut w, PAYER, SOURCE).unwrap_err(),
        OrgError::DuplicateHandshake
    );
    // Two payers invite the same organization; it accepts the first, the second cannot follow.
    let second = invite(&mut w, OTHER, SOURCE).unwrap();
    w.write(SOURCE, |cx, _| accept_handshake(cx, &h.handshake.id))
        .unwrap();
    let err = w
        .write(SOURCE, |cx, _| accept_handshake(cx, &second.handshake.id))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Handshake(
            HandshakeConstraint::TransferExistsAtTarget | HandshakeConstraint::TransferExistsHere
        )
    ));
    w.write(OTHER, |cx, _| cancel_handshake(cx, &second.handshake.id))
        .unwrap();
    assert!(matches!(
        invite(&mut w, OTHER, SOURCE).unwrap_err(),
        OrgError::Handshake(
            HandshakeConstraint::TransferExistsAtTarget | HandshakeConstraint::TransferExistsHere
        )
    ));
    let canceled = w
        .read(OTHER, |cx| {
            describe_responsibility_transfer(cx, &transfer_id(&second))
        })
        .unwrap();
    assert_eq!(canceled.transfer.status, TransferStatus::Canceled);
}

#[test]
fn only_a_management_account_accepts_and_declining_or_expiry_ends_the_invitation() {
    let mut w = world();
    let member = w
        .write(SOURCE, |cx, ids| {
            create_account(cx, ids, "m@example.com", "M", &[], None)
        })
        .unwrap()
        .account_id;
    w.advance(0);
    let to_member = invite(&mut w, PAYER, &member).unwrap();
    assert!(matches!(
        w.write(&member, |cx, _| accept_handshake(
            cx,
            &to_member.handshake.id
        )),
        Err(OrgError::AccessDenied(_))
    ));
    let declined = w
        .write(&member, |cx, _| {
            decline_handshake(cx, &to_member.handshake.id)
        })
        .unwrap();
    assert_eq!(
        declined.transfer.map(|t| t.status),
        Some(TransferStatus::Declined)
    );
    // The invitation expires a day before the start at the latest, and the transfer with it.
    let h = invite(&mut w, PAYER, SOURCE).unwrap();
    let start = h.transfer.as_ref().unwrap().start_at;
    assert!(h.handshake.expires_at <= start - DAY);
    w.advance(h.handshake.expires_at - w.now);
    let t = w
        .read(PAYER, |cx| {
            describe_responsibility_transfer(cx, &transfer_id(&h))
        })
        .unwrap();
    assert_eq!(t.transfer.status, TransferStatus::Expired);
}

#[test]
fn either_side_terminates_an_accepted_transfer_at_the_end_of_a_month() {
    let mut w = world();
    let h = invite(&mut w, PAYER, SOURCE).unwrap();
    let id = transfer_id(&h);
    let start = h.transfer.as_ref().unwrap().start_at;
    assert!(matches!(
        w.write(PAYER, |cx, _| terminate_responsibility_transfer(
            cx, &id, None
        )),
        Err(OrgError::TransferCannotEnd(_))
    ));
    w.write(SOURCE, |cx, _| accept_handshake(cx, &h.handshake.id))
        .unwrap();
    let renamed = w
        .write(SOURCE, |cx, _| {
            update_responsibility_transfer(cx, &id, "our payer")
        })
        .unwrap();
    assert_eq!(renamed.transfer.name, "our payer");
    let end_of_first_month = next_month_start(start) - 1;
    let err = |w: &mut World, end: Millis| {
        w.write(SOURCE, |cx, _| {
            terminate_responsibility_transfer(cx, &id, Some(end))
        })
        .unwrap_err()
    };
    assert!(matches!(
        err(&mut w, end_of_first_month - DAY),
        OrgError::InvalidInput(Invalid::EndNotEndOfMonth)
    ));
    assert!(matches!(
        err(&mut w, start - 1),
        OrgError::InvalidInput(Invalid::EndTooEarly)
    ));
    let t = w
        .write(SOURCE, |cx, _| {
            terminate_responsibility_transfer(cx, &id, None)
        })
        .unwrap();
    assert_eq!(t.transfer.status, TransferStatus::Withdrawn);
    assert_eq!(t.transfer.end_at, Some(end_of_first_month));
    assert_eq!(
        w.write(PAYER, |cx, _| terminate_responsibility_transfer(
            cx, &id, None
        ))
        .unwrap_err(),
        OrgError::TransferAlreadyInStatus
    );
    // Until it ends, the source cannot start another; afterwards it can.
    assert!(matches!(
        invite(&mut w, OTHER, SOURCE).unwrap_err(),
        OrgError::Handshake(
            HandshakeConstraint::TransferExistsAtTarget | HandshakeConstraint::TransferExistsHere
        )
    ));
    w.advance(end_of_first_month + 1 - w.now);
    invite(&mut w, OTHER, SOURCE).unwrap();
}

#[test]
fn transfers_are_tagged_by_their_parties() {
    let mut w = world();
    let h = invite(&mut w, PAYER, SOURCE).unwrap();
    let id = transfer_id(&h);
    assert_eq!(
        w.read(PAYER, |cx| list_tags_for_resource(cx, &id))
            .unwrap()
            .get("team")
            .map(String::as_str),
        Some("finance")
    );
    assert_eq!(
        w.read(OTHER, |cx| list_tags_for_resource(cx, &id))
            .unwrap_err(),
        OrgError::NotFound(Entity::Target)
    );
}

#[test]
fn gov_cloud_accounts_need_a_gov_cloud_enabled_management_account() {
    let mut w = world();
    let err = w
        .write(PAYER, |cx, _| create_gov_cloud_account(cx, &[]))
        .unwrap_err();
    assert!(matches!(
        err,
        OrgError::Constraint(Constraint::GovCloudNotEnabled)
    ));
    let member = w
        .write(PAYER, |cx, ids| {
            create_account(cx, ids, "m@example.com", "M", &[], None)
        })
        .unwrap()
        .account_id;
    w.advance(0);
    assert!(matches!(
        w.write(&member, |cx, _| create_gov_cloud_account(cx, &[])),
        Err(OrgError::AccessDenied(_))
    ));
    assert_eq!(
        w.write("444444444444", |cx, _| create_gov_cloud_account(cx, &[]))
            .unwrap_err(),
        OrgError::NotFound(Entity::Organization)
    );
}
