//! Accounts through the official Rust SDK: CreateAccount and its status, DescribeAccount,
//! ListAccounts, ListAccountsForParent, MoveAccount, RemoveAccountFromOrganization, CloseAccount,
//! and the paging every listing shares.

#[macro_use]
mod common;

use std::collections::BTreeSet;

use aws_sdk_organizations::error::ProvideErrorMetadata;
use aws_sdk_organizations::operation::close_account::CloseAccountError;
use aws_sdk_organizations::operation::create_account::CreateAccountError;
use aws_sdk_organizations::operation::describe_account::DescribeAccountError;
use aws_sdk_organizations::operation::describe_create_account_status::DescribeCreateAccountStatusError;
use aws_sdk_organizations::operation::leave_organization::LeaveOrganizationError;
use aws_sdk_organizations::operation::list_accounts::ListAccountsError;
use aws_sdk_organizations::operation::list_accounts_for_parent::ListAccountsForParentError;
use aws_sdk_organizations::operation::remove_account_from_organization::RemoveAccountFromOrganizationError;
use aws_sdk_organizations::types::{
    AccountJoinedMethod, AccountState, AccountStatus, ChildType, CreateAccountFailureReason,
    CreateAccountState, IamUserAccessToBilling, OrganizationFeatureSet, ParentType,
};
use common::*;
use orgd::ServeConfig;

const MINUTE_MS: i64 = 60_000;

fn ghost_ou(root: &str) -> String {
    format!("ou-{}-zzzzzzzz", &root[2..])
}

async fn parent_of(org: &Org, child: &str) -> (String, ParentType) {
    let parents = org
        .client
        .list_parents()
        .child_id(child)
        .send()
        .await
        .unwrap()
        .parents
        .unwrap();
    assert_eq!(parents.len(), 1, "exactly one parent: {parents:?}");
    (
        parents[0].id().unwrap().to_string(),
        parents[0].r#type().unwrap().clone(),
    )
}

async fn accounts_in(org: &Org, parent: &str) -> BTreeSet<String> {
    let pages: Vec<_> = org
        .client
        .list_accounts_for_parent()
        .parent_id(parent)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    pages
        .into_iter()
        .flat_map(|p| p.accounts.unwrap_or_default())
        .filter_map(|a| a.id)
        .collect()
}

#[tokio::test]
async fn create_account_is_asynchronous() {
    let server = start_with(ServeConfig {
        create_account_delay_ms: MINUTE_MS as u32,
        ..ServeConfig::ephemeral()
    })
    .await;
    let org = create_org(&server).await;
    let c = &org.client;
    let started = c
        .create_account()
        .account_name("Payments Prod")
        .email("payments-prod@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    let request_id = started.id().unwrap().to_string();
    assert!(is_create_account_request_id(&request_id), "{request_id}");
    assert_eq!(started.state(), Some(&CreateAccountState::InProgress));
    assert_eq!(started.account_name(), Some("Payments Prod"));
    assert_eq!(started.account_id(), None, "no account before it exists");
    assert_eq!(started.completed_timestamp(), None);
    let requested = started.requested_timestamp().unwrap().secs();
    assert!(
        (requested - now_secs()).abs() < 60,
        "RequestedTimestamp {requested}"
    );

    // Still in progress: described, listed as IN_PROGRESS, and no account yet.
    let status = c
        .describe_create_account_status()
        .create_account_request_id(&request_id)
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    assert_eq!(status.state(), Some(&CreateAccountState::InProgress));
    let in_progress = c
        .list_create_account_status()
        .states(CreateAccountState::InProgress)
        .send()
        .await
        .unwrap()
        .create_account_statuses
        .unwrap();
    assert_eq!(in_progress.len(), 1);
    assert_eq!(in_progress[0].id(), Some(request_id.as_str()));
    assert_eq!(org.account_ids().await, [MGMT.to_string()].into());

    // Once the creation delay has passed the request SUCCEEDED and the account exists.
    server.engine.clock().advance(MINUTE_MS);
    let done = wait_for_create(c, &request_id).await;
    assert_eq!(
        done.state(),
        Some(&CreateAccountState::Succeeded),
        "{done:?}"
    );
    assert_eq!(done.account_name(), Some("Payments Prod"));
    assert_eq!(done.failure_reason(), None);
    let account_id = done.account_id().unwrap().to_string();
    assert!(
        is_account_id(&account_id) && account_id != MGMT,
        "{account_id}"
    );
    assert!(done.completed_timestamp().unwrap().secs() >= requested);
    let still_running = c
        .list_create_account_status()
        .states(CreateAccountState::InProgress)
        .send()
        .await
        .unwrap()
        .create_account_statuses
        .unwrap();
    assert!(still_running.is_empty(), "{still_running:?}");

    let account = org.describe_account(&account_id).await;
    assert_eq!(account.id(), Some(account_id.as_str()));
    assert_eq!(account.name(), Some("Payments Prod"));
    assert_eq!(account.email(), Some("payments-prod@example.com"));
    assert_eq!(account.status(), Some(&AccountStatus::Active));
    assert_eq!(account.state(), Some(&AccountState::Active));
    assert_eq!(account.joined_method(), Some(&AccountJoinedMethod::Created));
    let joined = account.joined_timestamp().unwrap().secs();
    assert!(joined >= requested && joined - now_secs() < 120, "{joined}");
    assert_eq!(
        account.arn(),
        Some(
            format!(
                "arn:aws:organizations::{MGMT}:account/{}/{account_id}",
                org.id
            )
            .as_str()
        )
    );
    assert_eq!(
        account.paths(),
        [format!("{}/{}/{account_id}/", org.id, org.root_id)]
    );
    assert_eq!(
        org.account_ids().await,
        [MGMT.to_string(), account_id.clone()].into()
    );
    assert_eq!(
        parent_of(&org, &account_id).await,
        (org.root_id.clone(), ParentType::Root)
    );
}

#[tokio::test]
async fn the_management_account_is_a_member_of_its_root() {
    let server = start().await;
    let org = create_org(&server).await;
    let described = org
        .client
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    let mgmt = org.describe_account(MGMT).await;
    assert_eq!(mgmt.arn(), described.master_account_arn());
    assert_eq!(mgmt.email(), described.master_account_email());
    assert_eq!(mgmt.status(), Some(&AccountStatus::Active));
    assert_eq!(
        accounts_in(&org, &org.root_id).await,
        [MGMT.to_string()].into()
    );
    assert_eq!(
        parent_of(&org, MGMT).await,
        (org.root_id.clone(), ParentType::Root)
    );
}

#[tokio::test]
async fn an_email_already_in_use_fails_the_creation() {
    let server = start().await;
    let org = create_org(&server).await;
    let first = org
        .new_account_with("first", "shared@example.com", &[])
        .await;

    let mgmt_email = org
        .describe_account(MGMT)
        .await
        .email()
        .unwrap()
        .to_string();
    for email in ["shared@example.com", mgmt_email.as_str()] {
        let started = org
            .client
            .create_account()
            .account_name("second")
            .email(email)
            .send()
            .await
            .unwrap()
            .create_account_status
            .unwrap();
        // The request itself is accepted; the failure shows in its status.
        assert_eq!(started.state(), Some(&CreateAccountState::InProgress));
        let done = wait_for_create(&org.client, started.id().unwrap()).await;
        assert_eq!(done.state(), Some(&CreateAccountState::Failed), "{email}");
        assert_eq!(
            done.failure_reason(),
            Some(&CreateAccountFailureReason::EmailAlreadyExists),
            "{email}"
        );
        assert_eq!(done.account_id(), None, "{email}");
    }
    assert_eq!(org.account_ids().await, [MGMT.to_string(), first].into());
}

/// The IDs of the CreateAccount requests in `states` (all when empty), through the paginator in
/// pages of two; each must be listed once.
async fn listed(
    c: &aws_sdk_organizations::Client,
    states: Vec<CreateAccountState>,
) -> BTreeSet<String> {
    let pages: Vec<_> = c
        .list_create_account_status()
        .set_states(Some(states))
        .max_results(2)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.create_account_statuses.unwrap_or_default())
        .filter_map(|s| s.id)
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(unique.len(), ids.len(), "listed twice: {ids:?}");
    unique
}

#[tokio::test]
async fn list_create_account_status_filters_by_state() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let mut ok_requests = BTreeSet::new();
    for i in 0..3 {
        let r = c
            .create_account()
            .account_name(format!("ok-{i}"))
            .email(format!("ok-{i}@example.com"))
            .send()
            .await
            .unwrap()
            .create_account_status
            .unwrap();
        ok_requests.insert(r.id.unwrap());
    }
    let bad = c
        .create_account()
        .account_name("dup")
        .email("ok-0@example.com")
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap()
        .id
        .unwrap();
    for id in ok_requests.iter().chain([&bad]) {
        wait_for_create(c, id).await;
    }

    let mut everything = ok_requests.clone();
    everything.insert(bad.clone());
    assert_eq!(listed(c, vec![]).await, everything);
    assert_eq!(
        listed(c, vec![CreateAccountState::Succeeded]).await,
        ok_requests
    );
    assert_eq!(
        listed(c, vec![CreateAccountState::Failed]).await,
        [bad.clone()].into()
    );
    assert_eq!(
        listed(
            c,
            vec![CreateAccountState::Failed, CreateAccountState::Succeeded]
        )
        .await,
        everything
    );
    assert!(
        listed(c, vec![CreateAccountState::InProgress])
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn create_account_rejects_invalid_input() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let long_name = c
        .create_account()
        .account_name("a".repeat(51))
        .email("long-name@example.com")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(long_name, CreateAccountError),
        expect("InvalidInputException", "MAX_LENGTH_EXCEEDED")
    );
    let bad_email = c
        .create_account()
        .account_name("ok")
        .email("not-an-email")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(bad_email, CreateAccountError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
    let bad_role = c
        .create_account()
        .account_name("ok")
        .email("bad-role@example.com")
        .role_name("admin role")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(bad_role, CreateAccountError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
    let bad_billing = c
        .create_account()
        .account_name("ok")
        .email("bad-billing@example.com")
        .iam_user_access_to_billing(IamUserAccessToBilling::from("SOMETIMES"))
        .send()
        .await;
    assert_eq!(
        code_and_reason!(bad_billing, CreateAccountError),
        expect("InvalidInputException", "INVALID_ENUM")
    );
    let unknown = c
        .describe_create_account_status()
        .create_account_request_id("car-0123456789abcdef0123456789abcdef")
        .send()
        .await;
    assert_eq!(error_code(unknown), "CreateAccountStatusNotFoundException");
    let malformed = c
        .describe_create_account_status()
        .create_account_request_id("request-1")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: malformed, DescribeCreateAccountStatusError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
    // Nothing was created by the refused requests.
    let statuses = c
        .list_create_account_status()
        .send()
        .await
        .unwrap()
        .create_account_statuses
        .unwrap();
    assert!(statuses.is_empty(), "{statuses:?}");
}

#[tokio::test]
async fn the_number_of_accounts_is_limited() {
    let server = start_with(ServeConfig {
        max_accounts: 3,
        ..ServeConfig::ephemeral()
    })
    .await;
    let org = create_org(&server).await;
    org.new_account("one").await;
    org.new_account("two").await;
    let third = org
        .client
        .create_account()
        .account_name("three")
        .email("three@example.com")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(third, CreateAccountError),
        expect(
            "ConstraintViolationException",
            "ACCOUNT_NUMBER_LIMIT_EXCEEDED"
        )
    );
    assert_eq!(org.account_ids().await.len(), 3);
}

#[tokio::test]
async fn describe_account_finds_only_members_of_the_callers_organization() {
    let server = start().await;
    let org = create_org(&server).await;
    let member = org.new_account("member").await;
    let c = &org.client;
    assert_eq!(
        error_code(c.describe_account().account_id("210987654321").send().await),
        "AccountNotFoundException"
    );
    let malformed = c.describe_account().account_id("12345").send().await;
    assert_eq!(
        code_and_reason!(invalid: malformed, DescribeAccountError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
    // A standalone account orgd knows (it has called) is still not a member.
    client(&server, OUTSIDER)
        .describe_organization()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error_code(c.describe_account().account_id(OUTSIDER).send().await),
        "AccountNotFoundException"
    );
    // Another organization sees nothing of this one.
    let other = client(&server, "555555555555");
    other.create_organization().send().await.unwrap();
    assert_eq!(
        error_code(other.describe_account().account_id(&member).send().await),
        "AccountNotFoundException"
    );
    assert_eq!(
        error_code(other.close_account().account_id(&member).send().await),
        "AccountNotFoundException"
    );
    assert_eq!(
        error_code(
            other
                .remove_account_from_organization()
                .account_id(&member)
                .send()
                .await
        ),
        "AccountNotFoundException"
    );
    let pages: Vec<_> = other
        .list_accounts()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let theirs: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.accounts.unwrap_or_default())
        .filter_map(|a| a.id)
        .collect();
    assert_eq!(theirs, ["555555555555"]);
}

#[tokio::test]
async fn paginators_visit_every_account_exactly_once() {
    let server = start().await;
    let org = create_org(&server).await;
    let mut expected: BTreeSet<String> = [MGMT.to_string()].into();
    for i in 0..6 {
        expected.insert(org.new_account(&format!("acct-{i}")).await);
    }
    assert_eq!(expected.len(), 7);

    let pages: Vec<_> = org
        .client
        .list_accounts()
        .max_results(2)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert!(
        pages.len() >= 4,
        "7 accounts in pages of 2: {} pages",
        pages.len()
    );
    let mut seen = Vec::new();
    for page in &pages {
        assert!(page.accounts().len() <= 2, "{page:?}");
        seen.extend(page.accounts().iter().map(|a| a.id().unwrap().to_string()));
    }
    assert!(pages.last().unwrap().next_token().is_none());
    assert_eq!(seen.len(), 7, "each account exactly once: {seen:?}");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), expected);

    // The same through ListAccountsForParent and ListChildren over the root.
    let pages: Vec<_> = org
        .client
        .list_accounts_for_parent()
        .parent_id(&org.root_id)
        .max_results(2)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let in_root: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.accounts.unwrap_or_default())
        .filter_map(|a| a.id)
        .collect();
    assert_eq!(in_root.len(), 7, "{in_root:?}");
    assert_eq!(in_root.into_iter().collect::<BTreeSet<_>>(), expected);

    let pages: Vec<_> = org
        .client
        .list_children()
        .parent_id(&org.root_id)
        .child_type(ChildType::Account)
        .max_results(2)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let children: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.children.unwrap_or_default())
        .filter_map(|c| c.id)
        .collect();
    assert_eq!(children.len(), 7, "{children:?}");
    assert_eq!(children.into_iter().collect::<BTreeSet<_>>(), expected);
}

#[tokio::test]
async fn next_token_continues_a_listing_and_nothing_else() {
    let server = start().await;
    let org = create_org(&server).await;
    for i in 0..3 {
        org.new_account(&format!("acct-{i}")).await;
    }
    let c = &org.client;
    let first = c.list_accounts().max_results(1).send().await.unwrap();
    assert_eq!(first.accounts().len(), 1);
    let token = first
        .next_token()
        .expect("more accounts follow")
        .to_string();

    // The token continues where the first page ended.
    let second = c
        .list_accounts()
        .max_results(1)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.accounts().len(), 1);
    assert_ne!(second.accounts()[0].id(), first.accounts()[0].id());

    let forged = c
        .list_accounts()
        .next_token("AAAAforgedBBBBtokenCCCC")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: forged, ListAccountsError),
        expect("InvalidInputException", "INVALID_NEXT_TOKEN")
    );
    // A real token tampered with by one character.
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let result = c.list_accounts().next_token(tampered).send().await;
    assert_eq!(
        code_and_reason!(invalid: result, ListAccountsError),
        expect("InvalidInputException", "INVALID_NEXT_TOKEN")
    );
    // A token of one listing does not continue another.
    let elsewhere = c
        .list_accounts_for_parent()
        .parent_id(&org.root_id)
        .next_token(&token)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: elsewhere, ListAccountsForParentError),
        expect("InvalidInputException", "INVALID_NEXT_TOKEN")
    );
}

#[tokio::test]
async fn max_results_must_be_between_one_and_twenty() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let too_many = c.list_accounts().max_results(21).send().await;
    assert_eq!(
        code_and_reason!(invalid: too_many, ListAccountsError),
        expect("InvalidInputException", "MAX_VALUE_EXCEEDED")
    );
    let zero = c.list_accounts().max_results(0).send().await;
    assert_eq!(
        code_and_reason!(invalid: zero, ListAccountsError),
        expect("InvalidInputException", "MIN_VALUE_EXCEEDED")
    );
    let too_many = c
        .list_accounts_for_parent()
        .parent_id(&org.root_id)
        .max_results(21)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(invalid: too_many, ListAccountsForParentError),
        expect("InvalidInputException", "MAX_VALUE_EXCEEDED")
    );
    assert_eq!(
        c.list_accounts()
            .max_results(20)
            .send()
            .await
            .unwrap()
            .accounts()
            .len(),
        1
    );
}

#[tokio::test]
async fn move_account_between_parents() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let account = org.new_account("mover").await;
    let a = org.new_ou(&org.root_id, "a").await;
    let b = org.new_ou(&a, "b").await;

    c.move_account()
        .account_id(&account)
        .source_parent_id(&org.root_id)
        .destination_parent_id(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(
        parent_of(&org, &account).await,
        (a.clone(), ParentType::OrganizationalUnit)
    );
    assert_eq!(accounts_in(&org, &a).await, [account.clone()].into());
    assert_eq!(
        accounts_in(&org, &org.root_id).await,
        [MGMT.to_string()].into()
    );
    let children = c
        .list_children()
        .parent_id(&a)
        .child_type(ChildType::Account)
        .send()
        .await
        .unwrap()
        .children
        .unwrap();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].id(), Some(account.as_str()));
    assert_eq!(children[0].r#type(), Some(&ChildType::Account));

    c.move_account()
        .account_id(&account)
        .source_parent_id(&a)
        .destination_parent_id(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(
        parent_of(&org, &account).await,
        (b.clone(), ParentType::OrganizationalUnit)
    );
    assert!(accounts_in(&org, &a).await.is_empty());
    assert_eq!(
        org.describe_account(&account).await.paths(),
        [format!("{}/{}/{a}/{b}/{account}/", org.id, org.root_id)]
    );

    c.move_account()
        .account_id(&account)
        .source_parent_id(&b)
        .destination_parent_id(&org.root_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        parent_of(&org, &account).await,
        (org.root_id.clone(), ParentType::Root)
    );

    // The management account can be moved too.
    c.move_account()
        .account_id(MGMT)
        .source_parent_id(&org.root_id)
        .destination_parent_id(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(
        parent_of(&org, MGMT).await,
        (a.clone(), ParentType::OrganizationalUnit)
    );
}

#[tokio::test]
async fn move_account_mistakes() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let account = org.new_account("stays").await;
    let ou = org.new_ou(&org.root_id, "ou").await;
    let ghost = ghost_ou(&org.root_id);
    let cases = [
        (
            account.as_str(),
            org.root_id.as_str(),
            org.root_id.as_str(),
            "DuplicateAccountException",
        ),
        (
            &account,
            &org.root_id,
            &ghost,
            "DestinationParentNotFoundException",
        ),
        (&account, &ghost, &ou, "SourceParentNotFoundException"),
        // An existing OU that does not hold the account is not its source parent.
        (&account, &ou, &org.root_id, "SourceParentNotFoundException"),
        (
            "210987654321",
            &org.root_id,
            &ou,
            "AccountNotFoundException",
        ),
    ];
    for (acct, src, dst, expected) in cases {
        let result = c
            .move_account()
            .account_id(acct)
            .source_parent_id(src)
            .destination_parent_id(dst)
            .send()
            .await;
        assert_eq!(error_code(result), expected, "{acct} {src} -> {dst}");
    }
    let malformed = c
        .move_account()
        .account_id(&account)
        .source_parent_id(&org.root_id)
        .destination_parent_id("ou-nope")
        .send()
        .await;
    assert_eq!(error_code(malformed), "InvalidInputException");
    assert_eq!(
        parent_of(&org, &account).await,
        (org.root_id.clone(), ParentType::Root)
    );
}

#[tokio::test]
async fn removed_accounts_become_standalone() {
    let server = start().await;
    let org = create_org(&server).await;
    let c = &org.client;
    let leaving = org.new_account("leaving").await;
    let staying = org.new_account("staying").await;
    after_wait_period(&server);

    c.remove_account_from_organization()
        .account_id(&leaving)
        .send()
        .await
        .unwrap();
    assert_eq!(
        org.account_ids().await,
        [MGMT.to_string(), staying.clone()].into()
    );
    assert_eq!(
        error_code(c.describe_account().account_id(&leaving).send().await),
        "AccountNotFoundException"
    );
    assert_eq!(
        error_code(
            c.remove_account_from_organization()
                .account_id(&leaving)
                .send()
                .await
        ),
        "AccountNotFoundException"
    );
    let former = client(&server, &leaving);
    assert_eq!(
        error_code(former.describe_organization().send().await),
        "AWSOrganizationsNotInUseException"
    );
    // The former member can found an organization of its own.
    let own = former
        .create_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_ne!(own.id(), Some(org.id.as_str()));
    assert_eq!(own.master_account_id(), Some(leaving.as_str()));
    assert!(!org.account_ids().await.contains(&leaving));

    let mgmt = c
        .remove_account_from_organization()
        .account_id(MGMT)
        .send()
        .await;
    assert_eq!(error_code(mgmt), "MasterCannotLeaveOrganizationException");
    assert!(org.account_ids().await.contains(MGMT));
}

#[tokio::test]
async fn close_account_is_pending_then_suspended() {
    let server = start_with(ServeConfig {
        close_account_delay_ms: MINUTE_MS as u32,
        ..ServeConfig::ephemeral()
    })
    .await;
    let org = create_org(&server).await;
    let account = org.new_account("closing").await;
    org.client
        .close_account()
        .account_id(&account)
        .send()
        .await
        .unwrap();
    let pending = org.describe_account(&account).await;
    assert_eq!(pending.status(), Some(&AccountStatus::PendingClosure));
    assert_eq!(pending.state(), Some(&AccountState::PendingClosure));
    // A closing account is still a member of the organization.
    assert!(org.account_ids().await.contains(&account));

    server.engine.clock().advance(MINUTE_MS);
    let suspended = org.describe_account(&account).await;
    assert_eq!(suspended.status(), Some(&AccountStatus::Suspended));
    assert_eq!(suspended.state(), Some(&AccountState::Suspended));
    assert!(org.account_ids().await.contains(&account));

    let again = org.client.close_account().account_id(&account).send().await;
    assert_eq!(error_code(again), "AccountAlreadyClosedException");
}

#[tokio::test]
async fn close_account_without_delay_suspends() {
    let server = start().await;
    let org = create_org(&server).await;
    let account = org.new_account("closing").await;
    let other = org.new_account("other").await;
    org.client
        .close_account()
        .account_id(&account)
        .send()
        .await
        .unwrap();
    let closed = org.describe_account(&account).await;
    assert_eq!(closed.status(), Some(&AccountStatus::Suspended));
    let pages: Vec<_> = org
        .client
        .list_accounts()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .unwrap();
    let statuses: Vec<(String, AccountStatus)> = pages
        .into_iter()
        .flat_map(|p| p.accounts.unwrap_or_default())
        .map(|a| (a.id.unwrap(), a.status.unwrap()))
        .collect();
    assert!(statuses.contains(&(account.clone(), AccountStatus::Suspended)));
    assert!(statuses.contains(&(other.clone(), AccountStatus::Active)));
    assert!(statuses.contains(&(MGMT.to_string(), AccountStatus::Active)));

    let again = org.client.close_account().account_id(&account).send().await;
    assert_eq!(error_code(again), "AccountAlreadyClosedException");
}

#[tokio::test]
async fn close_account_mistakes() {
    let server = start().await;
    let org = create_org(&server).await;
    let mgmt = org.client.close_account().account_id(MGMT).send().await;
    assert_eq!(
        code_and_reason!(mgmt, CloseAccountError),
        expect(
            "ConstraintViolationException",
            "CANNOT_CLOSE_MANAGEMENT_ACCOUNT"
        )
    );
    assert_eq!(
        org.describe_account(MGMT).await.status(),
        Some(&AccountStatus::Active)
    );
    let unknown = org
        .client
        .close_account()
        .account_id("210987654321")
        .send()
        .await;
    assert_eq!(error_code(unknown), "AccountNotFoundException");
    let malformed = org.client.close_account().account_id("abc").send().await;
    assert_eq!(
        code_and_reason!(malformed, CloseAccountError),
        expect("InvalidInputException", "INVALID_PATTERN")
    );
}

/// Seed 003, CloseAccount: "You can close an account when all features are enabled."
#[tokio::test]
async fn close_account_needs_all_features() {
    let server = start().await;
    let org = create_org_with(&server, OrganizationFeatureSet::ConsolidatedBilling).await;
    let account = org.new_account("billing-only").await;
    let refused = org.client.close_account().account_id(&account).send().await;
    assert_eq!(
        code_and_reason!(refused, CloseAccountError),
        expect(
            "ConstraintViolationException",
            "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE"
        )
    );
    assert_eq!(
        org.describe_account(&account).await.status(),
        Some(&AccountStatus::Active)
    );
}

#[tokio::test]
async fn create_account_accepts_a_role_name_and_billing_access() {
    let server = start().await;
    let org = create_org(&server).await;
    let started = org
        .client
        .create_account()
        .account_name("with-role")
        .email("with-role@example.com")
        .role_name("OrganizationAccountAccessRole")
        .iam_user_access_to_billing(IamUserAccessToBilling::Deny)
        .send()
        .await
        .unwrap()
        .create_account_status
        .unwrap();
    let done = wait_for_create(&org.client, started.id().unwrap()).await;
    assert_eq!(
        done.state(),
        Some(&CreateAccountState::Succeeded),
        "{done:?}"
    );
}

/// Seed 003, InvalidInputException: "INVALID_ROLE_NAME: You provided a role name that isn't
/// valid. A role name can't begin with the reserved prefix AWSServiceRoleFor."
#[tokio::test]
async fn create_account_refuses_the_reserved_role_name_prefix() {
    let server = start().await;
    let org = create_org(&server).await;
    let reserved = org
        .client
        .create_account()
        .account_name("sneaky")
        .email("sneaky@example.com")
        .role_name("AWSServiceRoleForOrganizations")
        .send()
        .await;
    assert_eq!(
        code_and_reason!(reserved, CreateAccountError),
        expect("InvalidInputException", "INVALID_ROLE_NAME")
    );
    let statuses = org
        .client
        .list_create_account_status()
        .send()
        .await
        .unwrap()
        .create_account_statuses
        .unwrap();
    assert!(statuses.is_empty(), "{statuses:?}");
}

/// AWS's texts for the errors of the account operations, where an observed response is the
/// source (`aws/errors.rs` names it): a script that matches on the message keeps working.
#[tokio::test]
async fn account_errors_carry_aws_texts() {
    let server = start().await;
    let org = create_org(&server).await;
    let missing = service_error(
        org.client
            .describe_account()
            .account_id("210987654321")
            .send()
            .await,
    );
    assert_eq!(missing.code(), Some("AccountNotFoundException"));
    assert_eq!(
        missing.message(),
        Some("You specified an account that doesn't exist.")
    );
    let outsider = client(&server, OUTSIDER);
    let none = service_error(outsider.describe_organization().send().await);
    assert_eq!(
        none.message(),
        Some("Your account is not a member of an organization.")
    );
}

/// A created account can leave only after AWS's 7-day wait period: `WAIT_PERIOD_ACTIVE` before,
/// for RemoveAccountFromOrganization and LeaveOrganization alike.
#[tokio::test]
async fn a_created_account_is_removable_only_after_seven_days() {
    let server = start().await;
    let org = create_org(&server).await;
    let account = org.new_account("young").await;
    let removed = org
        .client
        .remove_account_from_organization()
        .account_id(&account)
        .send()
        .await;
    assert_eq!(
        code_and_reason!(removed, RemoveAccountFromOrganizationError),
        expect("ConstraintViolationException", "WAIT_PERIOD_ACTIVE")
    );
    let left = client(&server, &account).leave_organization().send().await;
    assert_eq!(
        code_and_reason!(left, LeaveOrganizationError),
        expect("ConstraintViolationException", "WAIT_PERIOD_ACTIVE")
    );
    server.engine.clock().advance(7 * DAY_MS);
    org.client
        .remove_account_from_organization()
        .account_id(&account)
        .send()
        .await
        .unwrap();
}

/// A closed account stays in the organization, SUSPENDED, for the 90-day post-closure period,
/// then leaves it: no longer listed, and DescribeAccount answers AccountNotFoundException.
#[tokio::test]
async fn a_closed_account_leaves_after_the_post_closure_period() {
    let server = start().await;
    let org = create_org(&server).await;
    let account = org.new_account("closing").await;
    org.client
        .close_account()
        .account_id(&account)
        .send()
        .await
        .unwrap();
    server.engine.clock().advance(89 * DAY_MS);
    let suspended = org.describe_account(&account).await;
    assert_eq!(suspended.status(), Some(&AccountStatus::Suspended));
    assert!(org.account_ids().await.contains(&account));
    server.engine.clock().advance(DAY_MS);
    let gone = org
        .client
        .describe_account()
        .account_id(&account)
        .send()
        .await;
    assert_eq!(error_code(gone), "AccountNotFoundException");
    assert_eq!(org.account_ids().await, [MGMT.to_string()].into());
    // Nothing holds the organization any more.
    org.client.delete_organization().send().await.unwrap();
}

/// An organization closes at most 10% of its member accounts, but at least 10, in 30 days.
#[tokio::test]
async fn closing_is_limited_by_the_close_account_quota() {
    let server = start().await;
    let org = create_org(&server).await;
    let mut accounts = Vec::new();
    for i in 0..11 {
        accounts.push(org.new_account(&format!("closing-{i}")).await);
    }
    for account in &accounts[..10] {
        org.client
            .close_account()
            .account_id(account)
            .send()
            .await
            .unwrap();
    }
    let over = org
        .client
        .close_account()
        .account_id(&accounts[10])
        .send()
        .await;
    assert_eq!(
        code_and_reason!(over, CloseAccountError),
        expect(
            "ConstraintViolationException",
            "CLOSE_ACCOUNT_QUOTA_EXCEEDED"
        )
    );
    assert_eq!(
        org.describe_account(&accounts[10]).await.status(),
        Some(&AccountStatus::Active)
    );
    server.engine.clock().advance(30 * DAY_MS);
    org.client
        .close_account()
        .account_id(&accounts[10])
        .send()
        .await
        .unwrap();
}
