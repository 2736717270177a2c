//! Handshakes: InviteAccountToOrganization, AcceptHandshake, DeclineHandshake, CancelHandshake,
//! DescribeHandshake, ListHandshakesForAccount, ListHandshakesForOrganization, and
//! EnableAllFeatures with its APPROVE_ALL_FEATURES handshakes.

use std::collections::BTreeSet;

use super::{
    Ctx, Named, Page, PageRequest, ResourceName, Write, page_keys, settle::standalone_account,
    tags::new_tags,
};
use crate::access::{self, Operation};
use crate::error::{
    Denial, Entity, HandshakeConstraint, HandshakeTransition, Invalid, OrgError, Result,
};
use crate::ids::{IdScheme, IdSource};
use crate::model::{
    Account, Change, FeatureSet, Handshake, HandshakeAction, HandshakeState, JoinedMethod,
    Membership, Millis, Organization, Recipient, State,
};

const DAY: Millis = 24 * 60 * 60 * 1000;

/// A resolved handshake, with what adapters need to show its parties and resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeView {
    pub handshake: Handshake,
    pub resource_name: ResourceName,
    pub management_account_id: String,
    pub management_email: String,
    pub management_name: String,
    pub feature_set: &'static str,
    /// The responsibility transfer a TRANSFER_RESPONSIBILITY handshake proposes.
    pub transfer: Option<crate::model::ResponsibilityTransfer>,
}

pub(crate) fn handshake_view(state: &State, h: &Handshake) -> HandshakeView {
    view(state, h)
}

fn view(state: &State, h: &Handshake) -> HandshakeView {
    let org = state.organizations.get(&h.org_id);
    let mgmt_id = org
        .map(|o| o.management_account_id.clone())
        .unwrap_or_default();
    let mgmt = state.accounts.get(&mgmt_id);
    HandshakeView {
        resource_name: ResourceName::Org {
            account_id: mgmt_id.clone(),
            org_id: h.org_id.clone(),
            entity: Named::Handshake {
                action: h.action,
                handshake_id: h.id.clone(),
            },
        },
        management_email: mgmt.map(|a| a.email.clone()).unwrap_or_default(),
        management_name: mgmt.map(|a| a.name.clone()).unwrap_or_default(),
        feature_set: org.map_or("ALL", |o| o.feature_set.as_str()),
        management_account_id: mgmt_id,
        transfer: h
            .transfer_id
            .as_ref()
            .and_then(|id| state.transfers.get(id))
            .cloned(),
        handshake: h.clone(),
    }
}

/// Whether `account` is the one a handshake is addressed to.
fn is_recipient(h: &Handshake, account: &Account) -> bool {
    match &h.recipient {
        Recipient::Account(id) => *id == account.id,
        Recipient::Email(email) => email.eq_ignore_ascii_case(&account.email),
    }
}

pub(crate) fn new_handshake_id(cx: &Ctx, org_scheme: IdScheme, ids: &mut dyn IdSource) -> String {
    new_id(cx, org_scheme, ids)
}

fn new_id(cx: &Ctx, org_scheme: IdScheme, ids: &mut dyn IdSource) -> String {
    loop {
        let id = org_scheme.new_handshake_id(ids);
        if !cx.state.handshakes.contains_key(&id) {
            return id;
        }
    }
}

fn pending_enable_all_features<'s>(state: &'s State, org_id: &str) -> Option<&'s Handshake> {
    state
        .handshakes_of(org_id, HandshakeAction::EnableAllFeatures)
        .iter()
        .filter_map(|id| state.handshakes.get(id))
        .find(|h| h.state.is_pending())
}

/// What the invitation is addressed to: an account id, an email, or an account name (Huawei).
pub enum InviteTarget {
    Account(String),
    Email(String),
    Organization(String),
    /// The one account orgd knows by this name.
    Name(String),
}

/// The id of the one account named `name`.
pub(crate) fn account_named(cx: &Ctx, name: &str) -> Result<String> {
    let mut named = cx.state.accounts.values().filter(|a| a.name == name);
    match (named.next(), named.next()) {
        (Some(a), None) => Ok(a.id.clone()),
        (None, _) => Err(OrgError::NotFound(Entity::Account)),
        (Some(_), Some(_)) => Err(OrgError::InvalidInput(Invalid::AmbiguousAccountName {
            name: name.to_string(),
        })),
    }
}

pub fn invite_account_to_organization(
    cx: &Ctx,
    ids: &mut dyn IdSource,
    target: InviteTarget,
    notes: Option<String>,
    tags: &[(String, String)],
) -> Result<Write<HandshakeView>> {
    let org = cx.org(Operation::InviteAccountToOrganization)?;
    let recipient = match target {
        InviteTarget::Account(id) => Recipient::Account(id),
        InviteTarget::Email(email) => Recipient::Email(email),
        InviteTarget::Name(name) => Recipient::Account(account_named(cx, &name)?),
        InviteTarget::Organization(_) => {
            return Err(OrgError::InvalidInput(Invalid::InvitationToOrganization));
        }
    };
    let tags = new_tags(cx, tags)?;
    if pending_enable_all_features(cx.state, &org.id).is_some() {
        return Err(OrgError::Handshake(
            HandshakeConstraint::InviteDuringEnableAllFeatures,
        ));
    }
    let members = cx.state.members(&org.id);
    let already_member = match &recipient {
        Recipient::Account(id) => members.contains(id),
        Recipient::Email(e) => cx
            .state
            .accounts_by_email(e)
            .iter()
            .any(|id| members.contains(id)),
    };
    if already_member {
        return Err(OrgError::Handshake(HandshakeConstraint::AlreadyMember));
    }
    let org_handshakes = || {
        cx.state
            .handshakes_of(&org.id, HandshakeAction::Invite)
            .iter()
            .filter_map(|id| cx.state.handshakes.get(id))
    };
    if org_handshakes().any(|h| h.state.is_pending() && h.recipient == recipient) {
        return Err(OrgError::DuplicateHandshake);
    }
    if org_handshakes()
        .filter(|h| h.requested_at > cx.now - DAY)
        .count()
        >= cx.limits.max_invitations_per_day
    {
        return Err(OrgError::Handshake(HandshakeConstraint::InvitationRate {
            max: cx.limits.max_invitations_per_day,
        }));
    }
    let open_invites = org_handshakes().filter(|h| h.state.is_pending()).count();
    if cx.state.members(&org.id).len() + open_invites >= cx.limits.max_accounts {
        return Err(OrgError::Handshake(
            HandshakeConstraint::AccountQuotaWithInvitations,
        ));
    }
    let h = Handshake {
        id: new_id(cx, org.id_scheme, ids),
        org_id: org.id.clone(),
        action: HandshakeAction::Invite,
        state: HandshakeState::Open,
        recipient,
        requested_at: cx.now,
        expires_at: cx.now + cx.limits.invitation_ttl,
        completed_at: None,
        forget_at: None,
        notes,
        parent_id: None,
        tags,
        transfer_id: None,
    };
    Ok(Write::new(
        view(cx.state, &h),
        vec![Change::PutHandshake(h)],
    ))
}

/// Starts enabling all features: one ENABLE_ALL_FEATURES handshake for the management account and
/// one APPROVE_ALL_FEATURES handshake for every invited member.
pub fn enable_all_features(cx: &Ctx, ids: &mut dyn IdSource) -> Result<Write<HandshakeView>> {
    let org = cx.org(Operation::EnableAllFeatures)?;
    if org.feature_set == FeatureSet::All {
        return Err(OrgError::Handshake(HandshakeConstraint::AlreadyAllFeatures));
    }
    if pending_enable_all_features(cx.state, &org.id).is_some() {
        return Err(OrgError::Handshake(
            HandshakeConstraint::AlreadyEnablingAllFeatures,
        ));
    }
    let invited: Vec<&Account> = cx
        .state
        .members(&org.id)
        .iter()
        .filter_map(|id| cx.state.accounts.get(id))
        .filter(|a| a.id != org.management_account_id)
        .filter(|a| {
            a.membership
                .as_ref()
                .is_some_and(|m| m.joined_method == JoinedMethod::Invited)
        })
        .collect();
    let expires_at = cx.now + cx.limits.enable_all_features_ttl;
    let parent = Handshake {
        id: new_id(cx, org.id_scheme, ids),
        org_id: org.id.clone(),
        action: HandshakeAction::EnableAllFeatures,
        state: if invited.is_empty() {
            HandshakeState::Open
        } else {
            HandshakeState::Requested
        },
        recipient: Recipient::Account(org.management_account_id.clone()),
        requested_at: cx.now,
        expires_at,
        completed_at: None,
        forget_at: None,
        notes: None,
        parent_id: None,
        tags: Default::default(),
        transfer_id: None,
    };
    let mut changes = Vec::new();
    let mut taken = BTreeSet::from([parent.id.clone()]);
    for a in invited {
        let id = loop {
            let id = new_id(cx, org.id_scheme, ids);
            if taken.insert(id.clone()) {
                break id;
            }
        };
        changes.push(Change::PutHandshake(Handshake {
            id,
            action: HandshakeAction::ApproveAllFeatures,
            state: HandshakeState::Open,
            recipient: Recipient::Account(a.id.clone()),
            parent_id: Some(parent.id.clone()),
            ..parent.clone()
        }));
    }
    let out = view(cx.state, &parent);
    changes.insert(0, Change::PutHandshake(parent));
    Ok(Write::new(out, changes))
}

/// A handshake the caller can see: its recipient, or the management account of its organization
/// (and, for listing, its delegated administrators).
fn visible<'s>(cx: &Ctx<'s>, id: &str) -> Result<&'s Handshake> {
    let h = cx
        .state
        .handshakes
        .get(id)
        .ok_or(OrgError::NotFound(Entity::Handshake))?;
    let me = standalone_account(cx.state, cx.caller);
    let is_mgmt = cx
        .state
        .organizations
        .get(&h.org_id)
        .is_some_and(|o| o.management_account_id == cx.caller);
    if is_mgmt || is_recipient(h, &me) {
        Ok(h)
    } else {
        Err(OrgError::NotFound(Entity::Handshake))
    }
}

fn check_transition(h: &Handshake, to: HandshakeState) -> Result<()> {
    if h.state == to {
        return Err(OrgError::HandshakeAlreadyInState);
    }
    let ok = match to {
        HandshakeState::Accepted => h.state == HandshakeState::Open,
        HandshakeState::Declined | HandshakeState::Canceled => h.state.is_pending(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(OrgError::HandshakeTransition(
            HandshakeTransition::Between { from: h.state, to },
        ))
    }
}

pub fn describe_handshake(cx: &Ctx, id: &str) -> Result<HandshakeView> {
    access::authorize(cx.state, cx.caller, Operation::DescribeHandshake)?;
    Ok(view(cx.state, visible(cx, id)?))
}

pub fn accept_handshake(cx: &Ctx, id: &str) -> Result<Write<HandshakeView>> {
    access::authorize(cx.state, cx.caller, Operation::AcceptHandshake)?;
    let h = visible(cx, id)?;
    let me = standalone_account(cx.state, cx.caller);
    if !is_recipient(h, &me) {
        return Err(OrgError::AccessDenied(Denial::AcceptHandshake));
    }
    check_transition(h, HandshakeState::Accepted)?;
    let org = cx
        .state
        .organizations
        .get(&h.org_id)
        .ok_or(OrgError::NotFound(Entity::Handshake))?;
    let mut accepted = h.clone();
    accepted.complete(
        HandshakeState::Accepted,
        cx.now,
        cx.limits.handshake_retention,
    );
    let mut changes = Vec::new();
    match h.action {
        HandshakeAction::Invite => changes.push(Change::PutAccount(join(cx, org, me, &h.tags)?)),
        HandshakeAction::ApproveAllFeatures => {
            let parent_id = h.parent_id.as_deref().unwrap_or_default();
            let others_done = cx
                .state
                .approvals_of(parent_id)
                .iter()
                .filter(|id| **id != h.id)
                .filter_map(|id| cx.state.handshakes.get(id))
                .all(|s| s.state == HandshakeState::Accepted);
            if let Some(parent) = cx
                .state
                .handshakes
                .get(parent_id)
                .filter(|p| p.state == HandshakeState::Requested)
                && others_done
            {
                let mut open = parent.clone();
                open.state = HandshakeState::Open;
                changes.push(Change::PutHandshake(open));
            }
        }
        HandshakeAction::EnableAllFeatures => {
            let mut org = org.clone();
            org.feature_set = FeatureSet::All;
            changes.push(Change::PutOrganization(org));
        }
        HandshakeAction::TransferResponsibility => {
            changes.push(super::transfers::on_accept(cx, h, &me)?);
        }
    }
    let mut out = view(cx.state, &accepted);
    if let Some(Change::PutResponsibilityTransfer(t)) = changes.last() {
        out.transfer = Some(t.clone());
    }
    changes.push(Change::PutHandshake(accepted));
    Ok(Write::new(out, changes))
}

/// The invited account joins the organization's root.
fn join(
    cx: &Ctx,
    org: &Organization,
    mut me: Account,
    tags: &crate::model::Tags,
) -> Result<Account> {
    if me.membership.is_some() {
        return Err(OrgError::Handshake(
            HandshakeConstraint::InAnotherOrganization,
        ));
    }
    if cx.state.members(&org.id).len() >= cx.limits.max_accounts {
        return Err(OrgError::Handshake(HandshakeConstraint::AccountQuota));
    }
    me.membership = Some(Membership {
        org_id: org.id.clone(),
        parent_id: org.root_id.clone(),
        joined_method: JoinedMethod::Invited,
        joined_at: cx.now,
        policies: super::policies::new_target_policies(cx.state, org),
    });
    me.tags = tags.clone();
    Ok(me)
}

pub fn decline_handshake(cx: &Ctx, id: &str) -> Result<Write<HandshakeView>> {
    access::authorize(cx.state, cx.caller, Operation::DeclineHandshake)?;
    let h = visible(cx, id)?;
    let me = standalone_account(cx.state, cx.caller);
    if !is_recipient(h, &me) {
        return Err(OrgError::AccessDenied(Denial::DeclineHandshake));
    }
    check_transition(h, HandshakeState::Declined)?;
    let mut declined = h.clone();
    declined.complete(
        HandshakeState::Declined,
        cx.now,
        cx.limits.handshake_retention,
    );
    let mut out = view(cx.state, &declined);
    let mut changes = vec![Change::PutHandshake(declined)];
    if let Some(c) = super::transfers::follow(cx.state, h, HandshakeState::Declined) {
        if let Change::PutResponsibilityTransfer(t) = &c {
            out.transfer = Some(t.clone());
        }
        changes.push(c);
    }
    Ok(Write::new(out, changes))
}

/// The organization withdraws a handshake; canceling ENABLE_ALL_FEATURES cancels its approvals.
pub fn cancel_handshake(cx: &Ctx, id: &str) -> Result<Write<HandshakeView>> {
    // Anyone who can see the handshake gets an answer; only its sender may cancel it.
    access::authorize(cx.state, cx.caller, Operation::CancelHandshake)?;
    let h = visible(cx, id)?;
    cx.state
        .organizations
        .get(&h.org_id)
        .filter(|o| o.management_account_id == cx.caller)
        .ok_or(OrgError::AccessDenied(Denial::CancelHandshake))?;
    if h.action == HandshakeAction::ApproveAllFeatures {
        return Err(OrgError::HandshakeTransition(
            HandshakeTransition::CancelApproval,
        ));
    }
    check_transition(h, HandshakeState::Canceled)?;
    let mut changes = Vec::new();
    for child in cx
        .state
        .approvals_of(id)
        .iter()
        .filter_map(|c| cx.state.handshakes.get(c))
        .filter(|c| c.state.is_pending())
    {
        let mut c = child.clone();
        c.complete(
            HandshakeState::Canceled,
            cx.now,
            cx.limits.handshake_retention,
        );
        changes.push(Change::PutHandshake(c));
    }
    let mut canceled = h.clone();
    canceled.complete(
        HandshakeState::Canceled,
        cx.now,
        cx.limits.handshake_retention,
    );
    let mut out = view(cx.state, &canceled);
    if let Some(c) = super::transfers::follow(cx.state, h, HandshakeState::Canceled) {
        if let Change::PutResponsibilityTransfer(t) = &c {
            out.transfer = Some(t.clone());
        }
        changes.push(c);
    }
    changes.push(Change::PutHandshake(canceled));
    Ok(Write::new(out, changes))
}

/// Filters of the List operations: at most one of action type and parent handshake.
#[derive(Debug, Clone, Default)]
pub struct HandshakeFilter {
    /// An `ActionType` of the model (ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE matches no handshake here).
    pub action: Option<String>,
    pub parent_id: Option<String>,
}

impl HandshakeFilter {
    fn check(&self) -> Result<()> {
        if self.action.is_some() && self.parent_id.is_some() {
            return Err(OrgError::InvalidInput(Invalid::TooManyFilters));
        }
        Ok(())
    }

    fn keeps(&self, h: &Handshake) -> bool {
        self.action
            .as_deref()
            .is_none_or(|a| a == h.action.as_str())
            && self
                .parent_id
                .as_ref()
                .is_none_or(|p| h.parent_id.as_ref() == Some(p))
    }
}

fn page_of(cx: &Ctx, keys: BTreeSet<String>, page: &PageRequest) -> Page<HandshakeView> {
    let p = page_keys(&keys, page);
    let items = p
        .items
        .iter()
        .filter_map(|id| cx.state.handshakes.get(*id))
        .map(|h| view(cx.state, h))
        .collect();
    Page {
        items,
        next: p.next,
    }
}

/// The handshakes addressed to the caller.
pub fn list_handshakes_for_account(
    cx: &Ctx,
    filter: &HandshakeFilter,
    page: &PageRequest,
) -> Result<Page<HandshakeView>> {
    access::authorize(cx.state, cx.caller, Operation::ListHandshakesForAccount)?;
    filter.check()?;
    let me = standalone_account(cx.state, cx.caller);
    let by_id = cx.state.handshakes_to(&Recipient::Account(me.id.clone()));
    let by_email = cx.state.handshakes_to(&Recipient::Email(me.email.clone()));
    let keys = by_id
        .iter()
        .chain(by_email)
        .filter_map(|id| cx.state.handshakes.get(id))
        .filter(|h| is_recipient(h, &me) && filter.keeps(h))
        .map(|h| h.id.clone())
        .collect();
    Ok(page_of(cx, keys, page))
}

/// The handshakes the caller's organization sent.
pub fn list_handshakes_for_organization(
    cx: &Ctx,
    filter: &HandshakeFilter,
    page: &PageRequest,
) -> Result<Page<HandshakeView>> {
    let org = cx.org(Operation::ListHandshakesForOrganization)?;
    filter.check()?;
    let keys = cx
        .state
        .all_handshakes_of(&org.id)
        .into_iter()
        .filter_map(|id| cx.state.handshakes.get(id))
        .filter(|h| filter.keeps(h))
        .map(|h| h.id.clone())
        .collect();
    Ok(page_of(cx, keys, page))
}

/// The transitions of handshakes that are due: pending ones expire, completed ones are forgotten.
pub(crate) fn settle_handshakes<'s>(
    state: &State,
    due: impl Iterator<Item = &'s Handshake>,
    retention: Millis,
    changes: &mut Vec<Change>,
) {
    for h in due {
        if h.state.is_pending() {
            let mut expired = h.clone();
            expired.complete(HandshakeState::Expired, h.expires_at, retention);
            changes.push(Change::PutHandshake(expired));
            changes.extend(super::transfers::follow(state, h, HandshakeState::Expired));
        } else {
            changes.push(Change::DeleteHandshake(h.id.clone()));
        }
    }
}
