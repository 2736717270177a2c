//! Responsibility transfers: InviteOrganizationToTransferResponsibility,
//! DescribeResponsibilityTransfer, ListInboundResponsibilityTransfers,
//! ListOutboundResponsibilityTransfers, UpdateResponsibilityTransfer and
//! TerminateResponsibilityTransfer.
//!
//! A management account (the *target*, which takes the responsibility over) invites another
//! organization's management account (the *source*). The invitation is a TRANSFER_RESPONSIBILITY
//! handshake: `handshakes.rs` accepts, declines, cancels and expires it, and calls `on_accept` /
//! `follow` here to move the transfer along. A transfer starts at the beginning of a month, must
//! be accepted a day before it starts, and once terminated (`WITHDRAWN`) runs until the end of a
//! month.

use std::collections::BTreeSet;

use super::handshakes::{HandshakeView, InviteTarget, handshake_view, new_handshake_id};
use super::{
    Ctx, Named, Page, PageRequest, ResourceName, Write, page_keys, settle::standalone_account,
    tags::new_tags,
};
use crate::access::Operation;
use crate::error::{Denial, Entity, HandshakeConstraint, Invalid, OrgError, Result};
use crate::ids::{IdScheme, IdSource};
use crate::model::{
    Account, Change, Handshake, HandshakeAction, HandshakeState, Millis, Organization, Recipient,
    ResponsibilityTransfer, State, TransferStatus, TransferType,
};

const DAY: Millis = 24 * 60 * 60 * 1000;

/// A transfer as one of its two organizations sees it (the ARN says inbound or outbound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferView {
    pub transfer: ResponsibilityTransfer,
    pub resource_name: ResourceName,
    pub source_account_id: Option<String>,
    pub source_email: Option<String>,
    pub target_email: Option<String>,
}

/// The account an invitation is addressed to, if orgd knows it.
fn recipient_account<'s>(state: &'s State, r: &Recipient) -> Option<&'s Account> {
    match r {
        Recipient::Account(id) => state.accounts.get(id),
        Recipient::Email(email) => state.account_by_email(email),
    }
}

fn view(state: &State, t: &ResponsibilityTransfer, viewer: &Organization) -> TransferView {
    let inbound = t.target_org_id == viewer.id;
    let entity = Named::Transfer {
        transfer_type: t.transfer_type,
        inbound,
        transfer_id: t.id.clone(),
    };
    let resource_name = if inbound {
        ResourceName::Org {
            account_id: t.target_account_id.clone(),
            org_id: t.target_org_id.clone(),
            entity,
        }
    } else {
        ResourceName::of(viewer, entity)
    };
    let known = t
        .source_account_id
        .as_ref()
        .and_then(|id| state.accounts.get(id))
        .or_else(|| recipient_account(state, &t.recipient));
    let source_account_id = t
        .source_account_id
        .clone()
        .or_else(|| known.map(|a| a.id.clone()))
        .or_else(|| match &t.recipient {
            Recipient::Account(id) => Some(id.clone()),
            Recipient::Email(_) => None,
        });
    let source_email = known
        .map(|a| a.email.clone())
        .or_else(|| match &t.recipient {
            Recipient::Email(e) => Some(e.clone()),
            Recipient::Account(_) => None,
        });
    TransferView {
        resource_name,
        source_account_id,
        source_email,
        target_email: state
            .accounts
            .get(&t.target_account_id)
            .map(|a| a.email.clone()),
        transfer: t.clone(),
    }
}

/// Whether `org` is a party to the transfer: its target, its source, or the recipient of its
/// still-open invitation.
fn is_party(state: &State, t: &ResponsibilityTransfer, org: &Organization) -> bool {
    t.target_org_id == org.id
        || t.source_org_id.as_deref() == Some(org.id.as_str())
        || (t.status == TransferStatus::Requested && is_invited(state, t, org))
}

fn is_invited(state: &State, t: &ResponsibilityTransfer, org: &Organization) -> bool {
    let mgmt = standalone_account(state, &org.management_account_id);
    match &t.recipient {
        Recipient::Account(id) => *id == mgmt.id,
        Recipient::Email(e) => e.eq_ignore_ascii_case(&mgmt.email),
    }
}

fn visible<'s>(cx: &Ctx<'s>, org: &Organization, id: &str) -> Result<&'s ResponsibilityTransfer> {
    cx.state
        .transfers
        .get(id)
        .filter(|t| is_party(cx.state, t, org))
        .ok_or(OrgError::NotFound(Entity::ResponsibilityTransfer))
}

/// An organization already hands this responsibility to someone (or is about to stop doing so).
fn active_outbound<'s>(
    state: &'s State,
    org_id: &str,
    kind: TransferType,
    now: Millis,
) -> Option<&'s ResponsibilityTransfer> {
    state
        .org_transfers(org_id)
        .iter()
        .filter_map(|id| state.transfers.get(id))
        .find(|t| {
            t.source_org_id.as_deref() == Some(org_id)
                && t.transfer_type == kind
                && t.is_active(now)
        })
}

/// `t` as a UTC date, if it is within the calendar's range (years -9999 to 9999).
fn utc_date(t: Millis) -> Option<time::Date> {
    time::OffsetDateTime::from_unix_timestamp(t.div_euclid(1000))
        .ok()
        .map(|d| d.date())
}

/// Milliseconds since the epoch of 00:00:00.000 UTC on `date`.
fn midnight(date: time::Date) -> Millis {
    date.midnight().assume_utc().unix_timestamp() * 1000
}

/// 00:00:00.000 UTC on the first day of the month after the one `t` falls in (`Millis::MAX` past
/// the calendar's end).
pub(crate) fn next_month_start(t: Millis) -> Millis {
    utc_date(t)
        .and_then(|d| {
            let (year, month) = match d.month() {
                time::Month::December => (d.year() + 1, time::Month::January),
                m => (d.year(), m.next()),
            };
            time::Date::from_calendar_date(year, month, 1).ok()
        })
        .map_or(Millis::MAX, midnight)
}

fn is_month_start(t: Millis) -> bool {
    t.rem_euclid(DAY) == 0 && utc_date(t).is_some_and(|d| d.day() == 1)
}

/// A start must be the first moment of a month, late enough to accept the invitation a day
/// before, and not beyond the horizon.
fn check_start(cx: &Ctx, start: Millis) -> Result<()> {
    if start.rem_euclid(DAY) != 0 {
        return Err(OrgError::InvalidInput(Invalid::StartNotBeginningOfDay));
    }
    if !is_month_start(start) {
        return Err(OrgError::InvalidInput(Invalid::StartNotBeginningOfMonth));
    }
    if start - DAY <= cx.now {
        return Err(OrgError::InvalidInput(Invalid::StartTooEarly));
    }
    if start > cx.now + cx.limits.transfer_start_horizon {
        return Err(OrgError::InvalidInput(Invalid::StartTooLate));
    }
    Ok(())
}

fn new_transfer_id(cx: &Ctx, org_scheme: IdScheme, ids: &mut dyn IdSource) -> String {
    loop {
        let id = org_scheme.new_transfer_id(ids);
        if !cx.state.transfers.contains_key(&id) {
            return id;
        }
    }
}

/// What the invitation proposes.
pub struct TransferInvitation {
    pub transfer_type: TransferType,
    pub target: InviteTarget,
    pub notes: Option<String>,
    pub start_at: Millis,
    pub name: String,
    pub tags: Vec<(String, String)>,
}

pub fn invite_organization_to_transfer_responsibility(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    inv: TransferInvitation,
) -> Result<Write<HandshakeView>> {
    let org = cx.org(Operation::InviteOrganizationToTransferResponsibility)?;
    let recipient = match inv.target {
        InviteTarget::Account(id) => Recipient::Account(id),
        InviteTarget::Email(email) => Recipient::Email(email),
        InviteTarget::Name(name) => {
            Recipient::Account(super::handshakes::account_named(cx, &name)?)
        }
        InviteTarget::Organization(_) => {
            return Err(OrgError::InvalidInput(Invalid::TransferToOrganization));
        }
    };
    let tags = new_tags(cx, &inv.tags)?;
    check_start(cx, inv.start_at)?;
    let mgmt = standalone_account(cx.state, &org.management_account_id);
    let invited = recipient_account(cx.state, &recipient);
    let same_org = invited
        .and_then(|a| a.org_id())
        .is_some_and(|o| o == org.id);
    let own = match &recipient {
        Recipient::Account(id) => *id == mgmt.id,
        Recipient::Email(e) => e.eq_ignore_ascii_case(&mgmt.email),
    };
    if own || same_org {
        return Err(OrgError::Handshake(
            HandshakeConstraint::TransferToOwnOrganization,
        ));
    }
    // The invited account, if it already manages an organization, is that organization's source.
    if let Some(source_org) = invited.and_then(|a| {
        cx.state
            .org_of(&a.id)
            .filter(|o| o.management_account_id == a.id)
    }) && active_outbound(cx.state, &source_org.id, inv.transfer_type, cx.now).is_some()
    {
        return Err(OrgError::Handshake(
            HandshakeConstraint::TransferExistsAtTarget,
        ));
    }
    let duplicate = cx
        .state
        .handshakes_of(&org.id, HandshakeAction::TransferResponsibility)
        .iter()
        .filter_map(|id| cx.state.handshakes.get(id))
        .any(|h| h.state.is_pending() && h.recipient == recipient);
    if duplicate {
        return Err(OrgError::DuplicateHandshake);
    }
    let transfer = ResponsibilityTransfer {
        id: new_transfer_id(cx, org.id_scheme, ids),
        transfer_type: inv.transfer_type,
        status: TransferStatus::Requested,
        name: inv.name,
        target_org_id: org.id.clone(),
        target_account_id: org.management_account_id.clone(),
        recipient: recipient.clone(),
        source_org_id: None,
        source_account_id: None,
        start_at: inv.start_at,
        end_at: None,
        handshake_id: new_handshake_id(cx, org.id_scheme, ids),
        requested_at: cx.now,
        tags,
    };
    let h = Handshake {
        id: transfer.handshake_id.clone(),
        org_id: org.id.clone(),
        action: HandshakeAction::TransferResponsibility,
        state: HandshakeState::Open,
        recipient,
        requested_at: cx.now,
        // Open for the usual fifteen days, but never past the acceptance deadline.
        expires_at: (cx.now + cx.limits.invitation_ttl).min(inv.start_at - DAY),
        completed_at: None,
        forget_at: None,
        notes: inv.notes,
        parent_id: None,
        tags: Default::default(),
        transfer_id: Some(transfer.id.clone()),
    };
    let mut out = handshake_view(cx.state, &h);
    out.transfer = Some(transfer.clone());
    Ok(Write::new(
        out,
        vec![
            Change::PutResponsibilityTransfer(transfer),
            Change::PutHandshake(h),
        ],
    ))
}

/// The recipient accepts a TRANSFER_RESPONSIBILITY handshake: it must be the management account
/// of another organization that does not already transfer this responsibility.
pub(crate) fn on_accept(cx: &Ctx, h: &Handshake, me: &Account) -> Result<Change> {
    let t = h
        .transfer_id
        .as_ref()
        .and_then(|id| cx.state.transfers.get(id))
        .ok_or(OrgError::NotFound(Entity::Handshake))?;
    let org = cx
        .state
        .org_of(&me.id)
        .ok_or(OrgError::NotFound(Entity::Organization))?;
    if org.management_account_id != me.id {
        return Err(OrgError::AccessDenied(Denial::AcceptTransfer));
    }
    if org.id == t.target_org_id {
        return Err(OrgError::Handshake(
            HandshakeConstraint::TransferFromOwnOrganization,
        ));
    }
    if active_outbound(cx.state, &org.id, t.transfer_type, cx.now).is_some() {
        return Err(OrgError::Handshake(HandshakeConstraint::TransferExistsHere));
    }
    let mut t = t.clone();
    t.status = TransferStatus::Accepted;
    t.source_org_id = Some(org.id.clone());
    t.source_account_id = Some(me.id.clone());
    Ok(Change::PutResponsibilityTransfer(t))
}

/// The transfer of a TRANSFER_RESPONSIBILITY handshake that was declined, canceled or expired.
pub(crate) fn follow(state: &State, h: &Handshake, to: HandshakeState) -> Option<Change> {
    let status = match to {
        HandshakeState::Declined => TransferStatus::Declined,
        HandshakeState::Canceled => TransferStatus::Canceled,
        HandshakeState::Expired => TransferStatus::Expired,
        _ => return None,
    };
    let mut t = state.transfers.get(h.transfer_id.as_ref()?)?.clone();
    (t.status == TransferStatus::Requested).then(|| {
        t.status = status;
        Change::PutResponsibilityTransfer(t)
    })
}

pub fn describe_responsibility_transfer(cx: &Ctx, id: &str) -> Result<TransferView> {
    let org = cx.org(Operation::DescribeResponsibilityTransfer)?;
    Ok(view(cx.state, visible(cx, org, id)?, org))
}

pub fn update_responsibility_transfer(
    cx: &Ctx,
    id: &str,
    name: &str,
) -> Result<Write<TransferView>> {
    let org = cx.org(Operation::UpdateResponsibilityTransfer)?;
    let mut t = visible(cx, org, id)?.clone();
    t.name = name.to_string();
    Ok(Write::new(
        view(cx.state, &t, org),
        vec![Change::PutResponsibilityTransfer(t)],
    ))
}

/// Either party ends an accepted transfer: it becomes `WITHDRAWN` and runs until `end` (the last
/// moment of a month; by default the end of the month it is in, or of its first month).
pub fn terminate_responsibility_transfer(
    cx: &Ctx,
    id: &str,
    end: Option<Millis>,
) -> Result<Write<TransferView>> {
    let org = cx.org(Operation::TerminateResponsibilityTransfer)?;
    let t = visible(cx, org, id)?;
    match t.status {
        TransferStatus::Accepted => {}
        TransferStatus::Withdrawn => return Err(OrgError::TransferAlreadyInStatus),
        other => {
            return Err(OrgError::TransferCannotEnd(other));
        }
    }
    let end_at = match end {
        // The last millisecond of a month; the last second (23:59:59) is read the same way.
        Some(e) if is_month_start(e + 1) => e,
        Some(e) if is_month_start(e + 1000) => e + 999,
        Some(_) => {
            return Err(OrgError::InvalidInput(Invalid::EndNotEndOfMonth));
        }
        None => next_month_start(cx.now.max(t.start_at)) - 1,
    };
    if end_at < t.start_at || end_at < cx.now {
        return Err(OrgError::InvalidInput(Invalid::EndTooEarly));
    }
    let mut t = t.clone();
    t.status = TransferStatus::Withdrawn;
    t.end_at = Some(end_at);
    Ok(Write::new(
        view(cx.state, &t, org),
        vec![Change::PutResponsibilityTransfer(t)],
    ))
}

fn page_of(
    cx: &Ctx,
    org: &Organization,
    keys: BTreeSet<String>,
    page: &PageRequest,
) -> Page<TransferView> {
    let p = page_keys(&keys, page);
    let items = p
        .items
        .iter()
        .filter_map(|id| cx.state.transfers.get(*id))
        .map(|t| view(cx.state, t, org))
        .collect();
    Page {
        items,
        next: p.next,
    }
}

/// The transfers (and invitations) by which the caller's organization takes over another's
/// responsibility; `id` narrows them to one, which must exist.
pub fn list_inbound_responsibility_transfers(
    cx: &Ctx,
    kind: TransferType,
    id: Option<&str>,
    page: &PageRequest,
) -> Result<Page<TransferView>> {
    let org = cx.org(Operation::ListInboundResponsibilityTransfers)?;
    let keys: BTreeSet<String> = cx
        .state
        .org_transfers(&org.id)
        .iter()
        .filter_map(|k| cx.state.transfers.get(k))
        .filter(|t| t.target_org_id == org.id && t.transfer_type == kind)
        .filter(|t| id.is_none_or(|id| t.id == id))
        .map(|t| t.id.clone())
        .collect();
    if id.is_some() && keys.is_empty() {
        return Err(OrgError::NotFound(Entity::ResponsibilityTransfer));
    }
    Ok(page_of(cx, org, keys, page))
}

/// The transfers (and open invitations) by which another organization takes over the caller's.
pub fn list_outbound_responsibility_transfers(
    cx: &Ctx,
    kind: TransferType,
    page: &PageRequest,
) -> Result<Page<TransferView>> {
    let org = cx.org(Operation::ListOutboundResponsibilityTransfers)?;
    let accepted = cx
        .state
        .org_transfers(&org.id)
        .iter()
        .filter_map(|k| cx.state.transfers.get(k))
        .filter(|t| t.source_org_id.as_deref() == Some(org.id.as_str()));
    let mgmt = standalone_account(cx.state, &org.management_account_id);
    let addressed = [Recipient::Account(mgmt.id), Recipient::Email(mgmt.email)];
    let invited = addressed
        .iter()
        .flat_map(|r| cx.state.transfers_to(r))
        .filter_map(|k| cx.state.transfers.get(k))
        .filter(|t| t.status == TransferStatus::Requested && is_invited(cx.state, t, org));
    let keys = accepted
        .chain(invited)
        .filter(|t| t.transfer_type == kind)
        .map(|t| t.id.clone())
        .collect();
    Ok(page_of(cx, org, keys, page))
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    #[test]
    fn month_boundaries_and_iso_dates() {
        // 2026-06-01T00:00:00Z
        let june = 1_780_272_000_000;
        assert!(is_month_start(june));
        assert!(!is_month_start(june + DAY));
        assert_eq!(next_month_start(june - 1), june);
        assert_eq!(next_month_start(june), 1_782_864_000_000); // 2026-07-01
        // 2026-12-31 to 2027-01-01, and 2028-02-29 (a leap day) to 2028-03-01.
        assert_eq!(next_month_start(1_798_675_200_000), 1_798_761_600_000);
        assert_eq!(next_month_start(1_835_395_200_000), 1_835_481_600_000);
        assert!(!is_month_start(1_835_395_200_000));
        assert!(!is_month_start(i64::MAX - 1));
        assert_eq!(next_month_start(i64::MAX), i64::MAX);
    }
}
