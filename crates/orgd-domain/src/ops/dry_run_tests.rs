//! Rule tests for Huawei organizations' policies: the built-in FullAccess SCP, Huawei's SCP
//! language, and SCP dry-run (`dry_run.rs`).

use super::testkit::{World, new_policy};
use super::*;
use crate::error::{Constraint, Entity, Invalid, OrgError};
use crate::ids::IdScheme;
use crate::policy::PolicyType;
use PolicyMode::{DryRun, Enforced};

const MGMT: &str = "0a6d25d23900d45c0faac010e0fb4de0";
const SCP: PolicyType = PolicyType::ServiceControl;
const ALLOW_ALL: &str = r#"{"Version":"5.0","Statement":[{"Effect":"Allow","Action":["*"]}]}"#;
const DENY_DELETE: &str = r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":["ecs:*:delete"]},{"Effect":"Deny","Action":["evs:*:*"]}]}"#;
const DENY_IF: &str = r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":["ecs:cloudServers:*"],"Condition":{"StringEquals":{"g:RequestTag/env":["prod"]}}}]}"#;
const ALL: PageRequest = PageRequest {
    after: None,
    limit: 100,
};

/// A Huawei organization with the SCP type enabled; its root id.
fn huawei() -> (World, String) {
    let mut w = World::new();
    w.write(MGMT, |cx, ids| {
        create_organization(cx, ids, None, IdScheme::Huawei)
    })
    .unwrap();
    let root = w.state.org_of(MGMT).unwrap().root_id.clone();
    w.write(MGMT, |cx, _| enable_policy_type(cx, &root, SCP))
        .unwrap();
    (w, root)
}

fn dry_policy(w: &mut World, name: &str, content: &str) -> Result<String> {
    w.write(MGMT, |cx, ids| {
        create_policy(cx, ids, DryRun, &new_policy(SCP, name, content))
    })
    .map(|v| v.id)
}

fn set_dry_run(w: &mut World, root: &str, enabled: bool) -> DryRunConfigView {
    let update = DryRunConfigUpdate {
        enabled: Some(enabled),
        ..Default::default()
    };
    w.write(MGMT, |cx, _| update_dry_run_config(cx, root, SCP, update))
        .unwrap()
}

#[test]
fn huawei_organizations_get_huaweis_builtin_scp_and_language() {
    let (mut w, root) = huawei();
    let listed = w
        .read(MGMT, |cx| {
            list_policies_of_every_type(cx, Enforced, Some(&root), &ALL)
        })
        .unwrap();
    let ids: Vec<&str> = listed.items.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p-FullAccess"]);
    assert!(listed.items[0].aws_managed);
    assert!(
        w.read(MGMT, |cx| describe_policy(cx, Enforced, "p-FullAWSAccess"))
            .is_err()
    );
    // Huawei's grammar, not AWS's.
    let aws = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*"}}"#;
    let e = w
        .write(MGMT, |cx, ids| {
            create_policy(cx, ids, Enforced, &new_policy(SCP, "a", aws))
        })
        .unwrap_err();
    assert!(matches!(e, OrgError::MalformedPolicy { .. }), "{e:?}");
    w.write(MGMT, |cx, ids| {
        create_policy(cx, ids, Enforced, &new_policy(SCP, "h", ALLOW_ALL))
    })
    .unwrap();
    // The built-in name is taken.
    let e = w
        .write(MGMT, |cx, ids| {
            create_policy(cx, ids, Enforced, &new_policy(SCP, "FullAccess", ALLOW_ALL))
        })
        .unwrap_err();
    assert_eq!(e, OrgError::DuplicatePolicy);
}

#[test]
fn aws_organizations_have_no_dry_run() {
    let mut w = World::new();
    w.write(MGMT, |cx, ids| {
        create_organization(cx, ids, None, IdScheme::Aws)
    })
    .unwrap();
    let e = dry_policy(&mut w, "d", ALLOW_ALL).unwrap_err();
    assert_eq!(e, OrgError::InvalidInput(Invalid::DryRunUnsupported));
}

#[test]
fn the_dry_run_config_starts_disabled_and_keeps_what_is_not_given() {
    let (mut w, root) = huawei();
    let c = w
        .read(MGMT, |cx| show_dry_run_config(cx, &root, SCP))
        .unwrap();
    assert!(!c.enabled && c.log_bucket.is_none());
    let update = DryRunConfigUpdate {
        enabled: Some(true),
        log_bucket: Some("b".into()),
        agency: Some("a".into()),
        ..Default::default()
    };
    w.write(MGMT, |cx, _| update_dry_run_config(cx, &root, SCP, update))
        .unwrap();
    w.now += 1000;
    let c = set_dry_run(&mut w, &root, false);
    assert!(!c.enabled);
    assert_eq!(
        (c.log_bucket.as_deref(), c.agency.as_deref()),
        (Some("b"), Some("a"))
    );
    assert_eq!(c.updated_at, c.created_at + 1000);
    let e = w
        .read(MGMT, |cx| show_dry_run_config(cx, &root, PolicyType::Tag))
        .unwrap_err();
    assert_eq!(e, OrgError::InvalidInput(Invalid::DryRunUnsupported));
    let e = w
        .read(MGMT, |cx| show_dry_run_config(cx, "r-nothere", SCP))
        .unwrap_err();
    assert_eq!(e, OrgError::NotFound(Entity::Root));
}

#[test]
fn dry_run_policies_attach_only_while_dry_run_is_enabled() {
    let (mut w, root) = huawei();
    let p = dry_policy(&mut w, "d", DENY_DELETE).unwrap();
    let e = w
        .write(MGMT, |cx, _| attach_policy(cx, DryRun, &p, MGMT))
        .unwrap_err();
    assert_eq!(e, OrgError::DryRunNotEnabled);
    set_dry_run(&mut w, &root, true);
    w.write(MGMT, |cx, _| attach_policy(cx, DryRun, &p, MGMT))
        .unwrap();
    let e = w
        .write(MGMT, |cx, _| attach_policy(cx, DryRun, &p, MGMT))
        .unwrap_err();
    assert_eq!(e, OrgError::PolicyAlreadyAttached);
    let targets = w
        .read(MGMT, |cx| list_targets_for_policy(cx, DryRun, &p, &ALL))
        .unwrap();
    assert_eq!(targets.items[0].id, MGMT);
    // In use: cannot be deleted. Disabling dry-run detaches it, and the SCPs stay.
    assert_eq!(
        w.write(MGMT, |cx, _| delete_policy(cx, DryRun, &p))
            .unwrap_err(),
        OrgError::PolicyInUse
    );
    set_dry_run(&mut w, &root, false);
    assert!(
        w.read(MGMT, |cx| list_targets_for_policy(cx, DryRun, &p, &ALL))
            .unwrap()
            .items
            .is_empty()
    );
    let on_account = w
        .read(MGMT, |cx| {
            list_policies_of_every_type(cx, Enforced, Some(MGMT), &ALL)
        })
        .unwrap();
    assert_eq!(on_account.items[0].id, "p-FullAccess");
    w.write(MGMT, |cx, _| delete_policy(cx, DryRun, &p))
        .unwrap();
}

#[test]
fn dry_run_policies_are_neither_scps_nor_counted_as_scps() {
    let (mut w, root) = huawei();
    set_dry_run(&mut w, &root, true);
    let p = dry_policy(&mut w, "d", DENY_DELETE).unwrap();
    w.write(MGMT, |cx, _| attach_policy(cx, DryRun, &p, &root))
        .unwrap();
    // The enforced family does not see it...
    assert_eq!(
        w.read(MGMT, |cx| describe_policy(cx, Enforced, &p))
            .unwrap_err(),
        OrgError::NotFound(Entity::Policy)
    );
    let all = w
        .read(MGMT, |cx| {
            list_policies_of_every_type(cx, Enforced, None, &ALL)
        })
        .unwrap();
    assert!(all.items.iter().all(|v| v.id != p));
    let e = w
        .write(MGMT, |cx, _| detach_policy(cx, Enforced, &p, &root))
        .unwrap_err();
    assert_eq!(e, OrgError::NotFound(Entity::Policy));
    // ...and it does not keep the root's last SCP in place.
    let e = w
        .write(MGMT, |cx, _| {
            detach_policy(cx, Enforced, "p-FullAccess", &root)
        })
        .unwrap_err();
    assert!(matches!(
        e,
        OrgError::Constraint(Constraint::MinPoliciesAttached { .. })
    ));
    // Dry-run names are their own: an SCP may share one.
    w.write(MGMT, |cx, ids| {
        create_policy(cx, ids, Enforced, &new_policy(SCP, "d", ALLOW_ALL))
    })
    .unwrap();
    assert_eq!(
        dry_policy(&mut w, "d", ALLOW_ALL).unwrap_err(),
        OrgError::DuplicatePolicy
    );
    // Disabling the SCP type leaves the dry-run attachment alone.
    w.write(MGMT, |cx, _| disable_policy_type(cx, &root, SCP))
        .unwrap();
    let on_root = w
        .read(MGMT, |cx| {
            list_policies_of_every_type(cx, DryRun, Some(&root), &ALL)
        })
        .unwrap();
    assert_eq!(on_root.items.len(), 1);
}

#[test]
fn dry_run_denials_name_the_deny_statements_along_the_path() {
    let (mut w, root) = huawei();
    set_dry_run(&mut w, &root, true);
    let ou = w
        .write(MGMT, |cx, ids| {
            create_organizational_unit(cx, ids, &root, "team", &[])
        })
        .unwrap()
        .id;
    let req = w
        .write(MGMT, |cx, ids| {
            create_account(cx, ids, "m@example.com", "M", &[], None)
        })
        .unwrap();
    w.advance(0);
    let acct = req.account_id;
    w.write(MGMT, |cx, _| move_account(cx, &acct, &root, &ou))
        .unwrap();
    let on_root = dry_policy(&mut w, "root-level", DENY_DELETE).unwrap();
    let on_ou = dry_policy(&mut w, "ou-level", DENY_IF).unwrap();
    let elsewhere = dry_policy(&mut w, "elsewhere", DENY_DELETE).unwrap();
    w.write(MGMT, |cx, _| attach_policy(cx, DryRun, &on_root, &root))
        .unwrap();
    w.write(MGMT, |cx, _| attach_policy(cx, DryRun, &on_ou, &ou))
        .unwrap();
    w.write(MGMT, |cx, _| attach_policy(cx, DryRun, &elsewhere, MGMT))
        .unwrap();

    let d = w
        .read(MGMT, |cx| {
            dry_run_denials(cx, &acct, "ecs:cloudServers:delete")
        })
        .unwrap();
    let got: Vec<(&str, &str, usize, bool)> = d
        .iter()
        .map(|d| {
            (
                d.policy_id.as_str(),
                d.target_id.as_str(),
                d.statement,
                d.conditional,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (on_root.as_str(), root.as_str(), 0, false),
            (on_ou.as_str(), ou.as_str(), 0, true),
        ]
    );
    let evs = w
        .read(MGMT, |cx| dry_run_denials(cx, &acct, "evs:volumes:create"))
        .unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].statement, 1);
    assert!(
        w.read(MGMT, |cx| dry_run_denials(cx, &acct, "obs:object:get"))
            .unwrap()
            .is_empty()
    );
    // Enforced SCPs are not dry-run policies: they never show here.
    let scp = w
        .write(MGMT, |cx, ids| {
            create_policy(cx, ids, Enforced, &new_policy(SCP, "real", DENY_DELETE))
        })
        .unwrap()
        .id;
    w.write(MGMT, |cx, _| attach_policy(cx, Enforced, &scp, &acct))
        .unwrap();
    assert_eq!(
        w.read(MGMT, |cx| dry_run_denials(cx, &acct, "evs:volumes:create"))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        w.read(MGMT, |cx| dry_run_denials(cx, "0000", "x:y:z"))
            .unwrap_err(),
        OrgError::NotFound(Entity::Account)
    );
}
