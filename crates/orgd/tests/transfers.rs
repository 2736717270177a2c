//! Responsibility transfers and CreateGovCloudAccount through the AWS SDK for Rust: a payer's
//! management account invites another organization's management account to transfer its billing,
//! the invitation is a TRANSFER_RESPONSIBILITY handshake, and either side sees, renames and ends
//! the transfer.

#[macro_use]
mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_organizations::Client;
use aws_sdk_organizations::operation::create_gov_cloud_account::CreateGovCloudAccountError;
use aws_sdk_organizations::operation::invite_organization_to_transfer_responsibility::InviteOrganizationToTransferResponsibilityError;
use aws_sdk_organizations::operation::terminate_responsibility_transfer::TerminateResponsibilityTransferError;
use aws_sdk_organizations::primitives::DateTime;
use aws_sdk_organizations::types::{
    ActionType, Handshake, HandshakeParty, HandshakePartyType, HandshakeResourceType,
    HandshakeState, ResponsibilityTransfer, ResponsibilityTransferStatus,
    ResponsibilityTransferType,
};
use common::*;

/// The management account of the organization whose billing is transferred.
const SOURCE: &str = "222222222222";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Milliseconds at 00:00 UTC on the first day of the month after the one `ms` falls in.
fn next_month_start(ms: i64) -> i64 {
    let date = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap()
        .date();
    let (year, month) = match date.month() {
        time::Month::December => (date.year() + 1, time::Month::January),
        m => (date.year(), m.next()),
    };
    let first = time::Date::from_calendar_date(year, month, 1).unwrap();
    first.midnight().assume_utc().unix_timestamp() * 1000
}

/// The first month start an invitation sent now can still be accepted for.
fn first_start() -> DateTime {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    DateTime::from_millis(next_month_start(now + DAY_MS))
}

fn account_party(id: &str) -> HandshakeParty {
    HandshakeParty::builder()
        .id(id)
        .r#type(HandshakePartyType::Account)
        .build()
        .unwrap()
}

async fn invite(payer: &Client, to: &str, start: DateTime) -> Handshake {
    payer
        .invite_organization_to_transfer_responsibility()
        .r#type(ResponsibilityTransferType::Billing)
        .target(account_party(to))
        .start_timestamp(start)
        .source_name("consolidated billing")
        .notes("we pay from next month")
        .send()
        .await
        .expect("InviteOrganizationToTransferResponsibility")
        .handshake
        .expect("Handshake")
}

async fn describe(client: &Client, id: &str) -> ResponsibilityTransfer {
    client
        .describe_responsibility_transfer()
        .id(id)
        .send()
        .await
        .expect("DescribeResponsibilityTransfer")
        .responsibility_transfer
        .expect("ResponsibilityTransfer")
}

/// The transfer ID a TRANSFER_RESPONSIBILITY handshake carries, with its nested type.
fn transfer_of(h: &Handshake) -> String {
    let r = h
        .resources()
        .iter()
        .find(|r| r.r#type() == Some(&HandshakeResourceType::ResponsibilityTransfer))
        .expect("a RESPONSIBILITY_TRANSFER resource");
    let kind = r
        .resources()
        .iter()
        .find(|n| n.r#type() == Some(&HandshakeResourceType::TransferType))
        .and_then(|n| n.value());
    assert_eq!(kind, Some("BILLING"));
    r.value().expect("transfer id").to_string()
}

#[tokio::test]
async fn a_billing_transfer_is_invited_accepted_renamed_and_withdrawn() {
    let server = start().await;
    let payer = create_org(&server).await;
    let source = client(&server, SOURCE);
    source.create_organization().send().await.unwrap();
    let start = first_start();

    let h = invite(&payer.client, SOURCE, start).await;
    assert_eq!(h.action(), Some(&ActionType::TransferResponsibility));
    assert_eq!(h.state(), Some(&HandshakeState::Open));
    assert!(h.arn().unwrap().contains("/transfer_responsibility/h-"));
    let id = transfer_of(&h);
    assert!(id.starts_with("rt-"), "{id}");

    // The invited management account finds the invitation among its handshakes and its
    // outbound transfers.
    let mine = source
        .list_handshakes_for_account()
        .send()
        .await
        .unwrap()
        .handshakes
        .unwrap_or_default();
    assert_eq!(mine.len(), 1);
    let outbound = source
        .list_outbound_responsibility_transfers()
        .r#type(ResponsibilityTransferType::Billing)
        .send()
        .await
        .unwrap()
        .responsibility_transfers
        .unwrap_or_default();
    assert_eq!(outbound.len(), 1);
    assert_eq!(
        outbound[0].status(),
        Some(&ResponsibilityTransferStatus::Requested)
    );

    let accepted = source
        .accept_handshake()
        .handshake_id(h.id().unwrap())
        .send()
        .await
        .unwrap()
        .handshake
        .unwrap();
    assert_eq!(accepted.state(), Some(&HandshakeState::Accepted));

    let t = describe(&payer.client, &id).await;
    assert_eq!(t.status(), Some(&ResponsibilityTransferStatus::Accepted));
    assert_eq!(t.r#type(), Some(&ResponsibilityTransferType::Billing));
    assert_eq!(t.name(), Some("consolidated billing"));
    assert_eq!(t.start_timestamp(), Some(&start));
    assert_eq!(t.active_handshake_id(), h.id());
    assert_eq!(
        t.source().and_then(|p| p.management_account_id()),
        Some(SOURCE)
    );
    assert_eq!(
        t.target().and_then(|p| p.management_account_id()),
        Some(MGMT)
    );
    assert_eq!(
        t.arn(),
        Some(
            format!(
                "arn:aws:organizations::{MGMT}:transfer/{}/billing/inbound/{id}",
                payer.id
            )
            .as_str()
        )
    );
    assert!(
        describe(&source, &id)
            .await
            .arn()
            .unwrap()
            .contains("/billing/outbound/")
    );
    let inbound = payer
        .client
        .list_inbound_responsibility_transfers()
        .r#type(ResponsibilityTransferType::Billing)
        .id(&id)
        .send()
        .await
        .unwrap()
        .responsibility_transfers
        .unwrap_or_default();
    assert_eq!(inbound.len(), 1);

    let renamed = source
        .update_responsibility_transfer()
        .id(&id)
        .name("paid by the group")
        .send()
        .await
        .unwrap()
        .responsibility_transfer
        .unwrap();
    assert_eq!(renamed.name(), Some("paid by the group"));

    let ended = source
        .terminate_responsibility_transfer()
        .id(&id)
        .send()
        .await
        .unwrap()
        .responsibility_transfer
        .unwrap();
    assert_eq!(
        ended.status(),
        Some(&ResponsibilityTransferStatus::Withdrawn)
    );
    let end = ended
        .end_timestamp()
        .expect("EndTimestamp")
        .to_millis()
        .unwrap();
    assert_eq!(end + 1, next_month_start(start.to_millis().unwrap()));
    let again = payer
        .client
        .terminate_responsibility_transfer()
        .id(&id)
        .send()
        .await;
    assert!(matches!(
        service_error(again),
        TerminateResponsibilityTransferError::ResponsibilityTransferAlreadyInStatusException(_)
    ));
}

#[tokio::test]
async fn invitations_are_checked_and_transfers_seen_only_by_their_parties() {
    let server = start().await;
    let payer = create_org(&server).await;
    let source = client(&server, SOURCE);
    source.create_organization().send().await.unwrap();
    let start = first_start();

    let not_a_month_start = DateTime::from_millis(start.to_millis().unwrap() + DAY_MS);
    let res = payer
        .client
        .invite_organization_to_transfer_responsibility()
        .r#type(ResponsibilityTransferType::Billing)
        .target(account_party(SOURCE))
        .start_timestamp(not_a_month_start)
        .source_name("x")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(res, InviteOrganizationToTransferResponsibilityError),
        expect("InvalidInputException", "START_DATE_NOT_BEGINNING_OF_MONTH")
    );

    let res = payer
        .client
        .invite_organization_to_transfer_responsibility()
        .r#type(ResponsibilityTransferType::Billing)
        .target(account_party(MGMT))
        .start_timestamp(start)
        .source_name("x")
        .send()
        .await;
    match service_error(res) {
        InviteOrganizationToTransferResponsibilityError::HandshakeConstraintViolationException(
            e,
        ) => {
            assert_eq!(
                e.reason().map(|r| r.as_str()),
                Some("SOURCE_AND_TARGET_CANNOT_MATCH")
            )
        }
        other => panic!("expected HandshakeConstraintViolationException, got {other:?}"),
    }

    // A member cannot invite; an outsider is in no organization.
    let member = client(&server, &payer.new_account("member").await);
    let res = member
        .invite_organization_to_transfer_responsibility()
        .r#type(ResponsibilityTransferType::Billing)
        .target(account_party(SOURCE))
        .start_timestamp(start)
        .source_name("x")
        .send()
        .await;
    assert_eq!(error_code(res), "AccessDeniedException");
    let outsider = client(&server, OUTSIDER);
    let res = outsider
        .list_inbound_responsibility_transfers()
        .r#type(ResponsibilityTransferType::Billing)
        .send()
        .await;
    assert_eq!(error_code(res), "AWSOrganizationsNotInUseException");

    // Declining ends the invitation; a third organization does not see the transfer.
    let h = invite(&payer.client, SOURCE, start).await;
    let id = transfer_of(&h);
    source
        .decline_handshake()
        .handshake_id(h.id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        describe(&payer.client, &id).await.status(),
        Some(&ResponsibilityTransferStatus::Declined)
    );
    let third = client(&server, "333333333333");
    third.create_organization().send().await.unwrap();
    let res = third
        .describe_responsibility_transfer()
        .id(&id)
        .send()
        .await;
    assert_eq!(error_code(res), "ResponsibilityTransferNotFoundException");
    let res = third
        .describe_responsibility_transfer()
        .id("transfer-1")
        .send()
        .await;
    assert_eq!(error_code(res), "InvalidInputException");
    // A declined transfer cannot be terminated.
    let res = payer
        .client
        .terminate_responsibility_transfer()
        .id(&id)
        .send()
        .await;
    assert_eq!(
        error_code(res),
        "InvalidResponsibilityTransferTransitionException"
    );
}

#[tokio::test]
async fn gov_cloud_accounts_are_refused_without_a_gov_cloud_enabled_management_account() {
    let server = start().await;
    let org = create_org(&server).await;
    let res = org
        .client
        .create_gov_cloud_account()
        .email("gov@example.com")
        .account_name("gov")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(res, CreateGovCloudAccountError),
        expect(
            "ConstraintViolationException",
            "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED"
        )
    );
    let res = org
        .client
        .create_gov_cloud_account()
        .email("not-an-email")
        .account_name("gov")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(res, CreateGovCloudAccountError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
}
