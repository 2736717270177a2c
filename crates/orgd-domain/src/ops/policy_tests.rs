//! Rule tests for policies, policy types, attachments and effective policies.

use super::testkit::{World, new_policy};
use super::*;
use crate::error::*;
use crate::ids::IdScheme;
use crate::model::FeatureSet;
use crate::policy::PolicyType;
use PolicyMode::Enforced;

const MGMT: &str = "111111111111";
const SCP: PolicyType = PolicyType::ServiceControl;
const RCP: PolicyType = PolicyType::ResourceControl;
const TAG: PolicyType = PolicyType::Tag;
const DENY_S3: &str =
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
const ALL_PAGE: PageRequest = PageRequest {
    after: None,
    limit: 20,
};

// "Inheritance examples" of the Organizations guide: policies A (root), C (OU), D (account).
const TAG_A: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@assign":["Development","Support"]}}}}"#;
const TAG_C: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@append":["Marketing"]},"enforced_for":{"@@append":["redshift:*","dynamodb:table"]}}}}"#;
const TAG_D: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@remove":["Development","Marketing"]},"enforced_for":{"@@remove":["redshift:*","dynamodb:table"]}}}}"#;
// Example 4: the root forbids children to change the tag key.
const TAG_E: &str = r#"{"tags":{"project":{"tag_key":{"@@operators_allowed_for_child_policies":["@@none"],"@@assign":"Project"}}}}"#;
const TAG_F: &str = r#"{"tags":{"project":{"tag_key":{"@@assign":"PROJECT"}}}}"#;

/// An organization created the documented way (SCPs enabled at creation); see
/// `by_default_a_new_organization_has_no_policy_type_enabled` for AWS's actual default.
fn org(fs: FeatureSet) -> (World, String) {
    let mut w = World::new();
    w.limits.scp_enabled_at_creation = true;
    w.write(MGMT, |cx, ids| {
        create_organization(cx, ids, Some(fs), IdScheme::Aws)
    })
    .unwrap();
    let root = w.read(MGMT, |cx| list_roots(cx, &ALL_PAGE)).unwrap().items[0]
        .id
        .clone();
    (w, root)
}

fn member(w: &mut World) -> String {
    let req = w
        .write(MGMT, |cx, ids| {
            create_account(cx, ids, "m@example.com", "M", &[], None)
        })
        .unwrap();
    w.advance(0);
    req.account_id
}

fn ou(w: &mut World, parent: &str, name: &str) -> String {
    w.write(MGMT, |cx, ids| {
        create_organizational_unit(cx, ids, parent, name, &[])
    })
    .unwrap()
    .id
}

fn policy(w: &mut World, ty: PolicyType, name: &str, content: &str) -> String {
    w.write(MGMT, |cx, ids| {
        create_policy(cx, ids, Enforced, &new_policy(ty, name, content))
    })
    .unwrap()
    .id
}

fn attach(w: &mut World, p: &str, t: &str) -> Result<()> {
    w.write(MGMT, |cx, _| attach_policy(cx, Enforced, p, t))
}

fn detach(w: &mut World, p: &str, t: &str) -> Result<()> {
    w.write(MGMT, |cx, _| detach_policy(cx, Enforced, p, t))
}

fn attached_ids(w: &World, target: &str, ty: PolicyType) -> Vec<String> {
    w.read(MGMT, |cx| {
        list_policies_for_target(cx, target, ty, &ALL_PAGE)
    })
    .unwrap()
    .items
    .into_iter()
    .map(|p| p.id)
    .collect()
}

#[test]
fn an_all_features_organization_starts_with_scps_enabled_and_full_aws_access_everywhere() {
    let (mut w, root) = org(FeatureSet::All);
    let r = &w.read(MGMT, |cx| list_roots(cx, &ALL_PAGE)).unwrap().items[0];
    assert_eq!(r.policy_types, [SCP]);
    let o = w.read(MGMT, describe_organization).unwrap();
    assert_eq!(o.available_policy_types, [SCP]);
    assert_eq!(attached_ids(&w, &root, SCP), ["p-FullAWSAccess"]);
    assert_eq!(attached_ids(&w, MGMT, SCP), ["p-FullAWSAccess"]);
    let acct = member(&mut w);
    let unit = ou(&mut w, &root, "Prod");
    assert_eq!(attached_ids(&w, &acct, SCP), ["p-FullAWSAccess"]);
    assert_eq!(attached_ids(&w, &unit, SCP), ["p-FullAWSAccess"]);
    let targets = w
        .read(MGMT, |cx| {
            list_targets_for_policy(cx, Enforced, "p-FullAWSAccess", &ALL_PAGE)
        })
        .unwrap();
    assert_eq!(targets.items.len(), 4);
    let full = w
        .read(MGMT, |cx| describe_policy(cx, Enforced, "p-FullAWSAccess"))
        .unwrap();
    assert!(full.aws_managed);
    assert_eq!(
        full.resource_name,
        ResourceName::ManagedPolicy {
            policy_type: PolicyType::ServiceControl,
            policy_id: "p-FullAWSAccess".into()
        }
    );
}

#[test]
fn a_consolidated_billing_organization_has_no_policy_types() {
    let (mut w, root) = org(FeatureSet::ConsolidatedBilling);
    assert!(attached_ids(&w, &root, SCP).is_empty());
    let e = w
        .write(MGMT, |cx, ids| {
            create_policy(cx, ids, Enforced, &new_policy(TAG, "t", TAG_A))
        })
        .unwrap_err();
    assert!(matches!(e, OrgError::PolicyTypeNeedsAllFeatures(_)));
    let e = w
        .write(MGMT, |cx, _| enable_policy_type(cx, &root, SCP))
        .unwrap_err();
    assert!(matches!(e, OrgError::PolicyTypeNeedsAllFeatures(_)));
}

#[test]
fn content_is_validated_and_names_are_unique_per_type() {
    let (mut w, _) = org(FeatureSet::All);
    let bad = w.write(MGMT, |cx, ids| {
        create_policy(
            cx,
            ids,
            Enforced,
            &new_policy(SCP, "x", r#"{"Statement":[]}"#),
        )
    });
    assert!(matches!(bad.unwrap_err(), OrgError::MalformedPolicy { .. }));
    let huge = format!("{DENY_S3}{}", " ".repeat(10_240));
    let big = w.write(MGMT, |cx, ids| {
        create_policy(cx, ids, Enforced, &new_policy(SCP, "x", &huge))
    });
    assert!(matches!(
        big.unwrap_err(),
        OrgError::Constraint(Constraint::PolicyContentTooLarge { .. })
    ));
    let p = policy(&mut w, SCP, "DenyS3", DENY_S3);
    assert!(p.starts_with("p-") && p.len() == 12, "{p}");
    let dup = w.write(MGMT, |cx, ids| {
        create_policy(cx, ids, Enforced, &new_policy(SCP, "DenyS3", DENY_S3))
    });
    assert_eq!(dup.unwrap_err(), OrgError::DuplicatePolicy);
    // The same name for another type is fine; FullAWSAccess is taken for SCPs.
    policy(&mut w, TAG, "DenyS3", TAG_A);
    let managed_name = w.write(MGMT, |cx, ids| {
        create_policy(
            cx,
            ids,
            Enforced,
            &new_policy(SCP, "FullAWSAccess", DENY_S3),
        )
    });
    assert_eq!(managed_name.unwrap_err(), OrgError::DuplicatePolicy);
    let listed = w
        .read(MGMT, |cx| list_policies(cx, SCP, &ALL_PAGE))
        .unwrap();
    let mut ids: Vec<_> = listed.items.iter().map(|p| p.id.as_str()).collect();
    ids.sort_unstable();
    let mut expected = ["p-FullAWSAccess", p.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);
}

#[test]
fn aws_managed_policies_are_immutable() {
    let (mut w, _) = org(FeatureSet::All);
    let e = w
        .write(MGMT, |cx, _| {
            update_policy(cx, Enforced, "p-FullAWSAccess", Some("x"), None, None)
        })
        .unwrap_err();
    assert!(matches!(
        e,
        OrgError::InvalidInput(Invalid::ImmutablePolicy { .. })
    ));
    let e = w
        .write(MGMT, |cx, _| {
            delete_policy(cx, Enforced, "p-RCPFullAWSAccess")
        })
        .unwrap_err();
    assert!(matches!(
        e,
        OrgError::InvalidInput(Invalid::ImmutablePolicy { .. })
    ));
}

#[test]
fn attachment_rules() {
    let (mut w, root) = org(FeatureSet::All);
    let tag = policy(&mut w, TAG, "t", TAG_A);
    assert_eq!(
        attach(&mut w, &tag, &root),
        Err(OrgError::PolicyTypeNotEnabled)
    );
    w.write(MGMT, |cx, _| enable_policy_type(cx, &root, TAG))
        .unwrap();
    assert_eq!(
        w.write(MGMT, |cx, _| enable_policy_type(cx, &root, TAG)),
        Err(OrgError::PolicyTypeAlreadyEnabled)
    );
    attach(&mut w, &tag, &root).unwrap();
    assert_eq!(
        attach(&mut w, &tag, &root),
        Err(OrgError::PolicyAlreadyAttached)
    );
    assert_eq!(
        w.write(MGMT, |cx, _| delete_policy(cx, Enforced, &tag)),
        Err(OrgError::PolicyInUse)
    );
    assert_eq!(detach(&mut w, &tag, MGMT), Err(OrgError::PolicyNotAttached));
    assert_eq!(
        attach(&mut w, &tag, "ou-zzzz-zzzzzzzz"),
        Err(OrgError::NotFound(Entity::Target))
    );
    assert_eq!(
        attach(&mut w, "p-nothere1", &root),
        Err(OrgError::NotFound(Entity::Policy))
    );
    detach(&mut w, &tag, &root).unwrap();
    w.write(MGMT, |cx, _| delete_policy(cx, Enforced, &tag))
        .unwrap();

    // The last SCP stays; at most ten SCPs per target.
    let e = detach(&mut w, "p-FullAWSAccess", &root).unwrap_err();
    assert!(matches!(
        e,
        OrgError::Constraint(Constraint::MinPoliciesAttached { .. })
    ));
    for i in 0..9 {
        let p = policy(&mut w, SCP, &format!("s{i}"), DENY_S3);
        attach(&mut w, &p, &root).unwrap();
    }
    let p = policy(&mut w, SCP, "s9", DENY_S3);
    let e = attach(&mut w, &p, &root).unwrap_err();
    assert!(matches!(
        e,
        OrgError::Constraint(Constraint::MaxPoliciesAttached { .. })
    ));
    detach(&mut w, "p-FullAWSAccess", &root).unwrap();
}

#[test]
fn enabling_rcps_attaches_rcp_full_aws_access_and_disabling_a_type_detaches_its_policies() {
    let (mut w, root) = org(FeatureSet::All);
    let acct = member(&mut w);
    let unit = ou(&mut w, &root, "Prod");
    let r = w
        .write(MGMT, |cx, _| enable_policy_type(cx, &root, RCP))
        .unwrap();
    assert_eq!(r.policy_types, [SCP, RCP]);
    for t in [root.as_str(), unit.as_str(), acct.as_str(), MGMT] {
        assert_eq!(attached_ids(&w, t, RCP), ["p-RCPFullAWSAccess"], "{t}");
    }
    let deny = policy(&mut w, SCP, "deny", DENY_S3);
    attach(&mut w, &deny, &unit).unwrap();
    let r = w
        .write(MGMT, |cx, _| disable_policy_type(cx, &root, SCP))
        .unwrap();
    assert_eq!(r.policy_types, [RCP]);
    for t in [root.as_str(), unit.as_str(), acct.as_str()] {
        assert!(attached_ids(&w, t, SCP).is_empty(), "{t}");
    }
    assert_eq!(attached_ids(&w, &unit, RCP), ["p-RCPFullAWSAccess"]);
    assert_eq!(
        w.write(MGMT, |cx, _| disable_policy_type(cx, &root, SCP)),
        Err(OrgError::PolicyTypeNotEnabled)
    );
    assert_eq!(
        attach(&mut w, &deny, &unit),
        Err(OrgError::PolicyTypeNotEnabled)
    );
    // A new OU gets only what is enabled now.
    let later = ou(&mut w, &root, "Later");
    assert!(attached_ids(&w, &later, SCP).is_empty());
    assert_eq!(attached_ids(&w, &later, RCP), ["p-RCPFullAWSAccess"]);
}

#[test]
fn effective_tag_policy_through_root_ou_and_account_follows_the_documented_example() {
    let (mut w, root) = org(FeatureSet::All);
    w.write(MGMT, |cx, _| enable_policy_type(cx, &root, TAG))
        .unwrap();
    let unit = ou(&mut w, &root, "Prod");
    let acct = member(&mut w);
    w.write(MGMT, |cx, _| move_account(cx, &acct, &root, &unit))
        .unwrap();
    assert_eq!(
        w.read(&acct, |cx| describe_effective_policy(cx, TAG, None)),
        Err(OrgError::NotFound(Entity::EffectivePolicy))
    );
    let (a, c, d) = (
        policy(&mut w, TAG, "A", TAG_A),
        policy(&mut w, TAG, "C", TAG_C),
        policy(&mut w, TAG, "D", TAG_D),
    );
    attach(&mut w, &a, &root).unwrap();
    attach(&mut w, &c, &unit).unwrap();
    let mid = w
        .read(&acct, |cx| describe_effective_policy(cx, TAG, None))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&mid.content).unwrap();
    assert_eq!(
        v["tags"]["costcenter"]["tag_value"],
        serde_json::json!(["Development", "Support", "Marketing"])
    );
    attach(&mut w, &d, &acct).unwrap();
    let e = w
        .read(MGMT, |cx| describe_effective_policy(cx, TAG, Some(&acct)))
        .unwrap();
    assert_eq!(e.target_id, acct);
    assert_eq!(e.policy_type, TAG);
    let v: serde_json::Value = serde_json::from_str(&e.content).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"tags":{"costcenter":{"tag_key":"CostCenter","tag_value":["Support"]}}})
    );
    // A member may read its own, not another account's; SCPs have none; roots are no target.
    let other = w.read(&acct, |cx| describe_effective_policy(cx, TAG, Some(MGMT)));
    assert!(matches!(other.unwrap_err(), OrgError::AccessDenied(_)));
    let scp = w.read(MGMT, |cx| describe_effective_policy(cx, SCP, None));
    assert!(matches!(scp.unwrap_err(), OrgError::InvalidInput(_)));
    let r = w.read(MGMT, |cx| describe_effective_policy(cx, TAG, Some(&root)));
    assert!(matches!(
        r.unwrap_err(),
        OrgError::InvalidInput(
            Invalid::ResourcePolicyTagsOnUpdate | Invalid::EffectivePolicyTarget
        )
    ));
}

#[test]
fn an_updated_tag_policy_changes_the_effective_policy_at_once() {
    let (mut w, root) = org(FeatureSet::All);
    w.write(MGMT, |cx, _| enable_policy_type(cx, &root, TAG))
        .unwrap();
    let acct = member(&mut w);
    let a = policy(&mut w, TAG, "A", TAG_A);
    attach(&mut w, &a, &root).unwrap();
    let content = |w: &World| {
        let e = w
            .read(MGMT, |cx| describe_effective_policy(cx, TAG, Some(&acct)))
            .unwrap();
        serde_json::from_str::<serde_json::Value>(&e.content).unwrap()
    };
    assert_eq!(content(&w)["tags"]["costcenter"]["tag_key"], "CostCenter");
    w.write(MGMT, |cx, _| {
        update_policy(cx, Enforced, &a, None, None, Some(TAG_E))
    })
    .unwrap();
    assert_eq!(
        content(&w),
        serde_json::json!({"tags":{"project":{"tag_key":"Project"}}})
    );
}

#[test]
fn validation_errors_name_the_account_path_and_contributing_policies() {
    let (mut w, root) = org(FeatureSet::All);
    w.write(MGMT, |cx, _| enable_policy_type(cx, &root, TAG))
        .unwrap();
    let acct = member(&mut w);
    let (e, f) = (
        policy(&mut w, TAG, "E", TAG_E),
        policy(&mut w, TAG, "F", TAG_F),
    );
    attach(&mut w, &e, &root).unwrap();
    let none = w
        .read(MGMT, |cx| {
            list_accounts_with_invalid_effective_policy(cx, TAG, &ALL_PAGE)
        })
        .unwrap();
    assert!(none.items.is_empty());
    attach(&mut w, &f, &acct).unwrap();
    let invalid = w
        .read(MGMT, |cx| {
            list_accounts_with_invalid_effective_policy(cx, TAG, &ALL_PAGE)
        })
        .unwrap();
    assert_eq!(invalid.items.len(), 1);
    assert_eq!(invalid.items[0].id, acct);
    let errs = w
        .read(MGMT, |cx| {
            list_effective_policy_validation_errors(cx, &acct, TAG, &ALL_PAGE)
        })
        .unwrap();
    assert!(errs.path.ends_with(&format!("/{acct}/")), "{}", errs.path);
    assert_eq!(errs.errors.items.len(), 1);
    let err = &errs.errors.items[0];
    assert_eq!(err.code, "OPERATOR_NOT_ALLOWED");
    assert_eq!(err.path, "tags.project.tag_key");
    assert_eq!(err.contributing_policies, [f.clone(), e.clone()]);
    assert_eq!(
        w.read(MGMT, |cx| {
            list_effective_policy_validation_errors(cx, MGMT, TAG, &ALL_PAGE)
        })
        .unwrap()
        .errors
        .items
        .len(),
        0
    );
}

#[test]
fn policy_tags_and_deleting_the_organization_take_its_policies() {
    let (mut w, _) = org(FeatureSet::All);
    let p = policy(&mut w, SCP, "deny", DENY_S3);
    w.write(MGMT, |cx, _| {
        tag_resource(cx, &p, &[("k".into(), "v".into())])
    })
    .unwrap();
    assert_eq!(
        w.read(MGMT, |cx| list_tags_for_resource(cx, &p)).unwrap()["k"],
        "v"
    );
    w.write(MGMT, |cx, _| delete_organization(cx)).unwrap();
    assert!(w.state.policies.is_empty());
    assert!(w.state.policy_targets("", "p-FullAWSAccess").is_empty());
}

#[test]
fn the_resource_policy_lets_a_member_manage_the_policy_types_it_names_and_nothing_else() {
    let (mut w, root) = org(FeatureSet::All);
    let admin = member(&mut w);
    w.write(MGMT, |cx, _| enable_policy_type(cx, &root, TAG))
        .unwrap();
    let grant = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{admin}:root"}},
            "Action":["organizations:CreatePolicy","organizations:AttachPolicy","organizations:List*"],"Resource":"*",
            "Condition":{{"StringEquals":{{"organizations:PolicyType":"TAG_POLICY"}}}}}}]}}"#
    );
    // Before the grant the member is refused.
    let denied = w.write(&admin, |cx, ids| {
        create_policy(cx, ids, Enforced, &new_policy(TAG, "t", TAG_A))
    });
    assert!(matches!(denied, Err(OrgError::AccessDenied(_))));
    w.write(MGMT, |cx, ids| put_resource_policy(cx, ids, &grant, &[]))
        .unwrap();
    let tag = w
        .write(&admin, |cx, ids| {
            create_policy(cx, ids, Enforced, &new_policy(TAG, "t", TAG_A))
        })
        .unwrap();
    let scp = w.write(&admin, |cx, ids| {
        create_policy(cx, ids, Enforced, &new_policy(SCP, "s", DENY_S3))
    });
    assert!(
        matches!(scp, Err(OrgError::AccessDenied(_))),
        "the grant is for tag policies only"
    );
    assert!(
        matches!(
            w.write(&admin, |cx, _| delete_policy(cx, Enforced, &tag.id)),
            Err(OrgError::AccessDenied(_))
        ),
        "DeletePolicy is not granted"
    );
    assert!(
        matches!(
            w.write(&admin, |cx, ids| create_organizational_unit(
                cx,
                ids,
                &root,
                "X",
                &[]
            )),
            Err(OrgError::AccessDenied(_))
        ),
        "only policy operations and reads can be delegated"
    );
}

#[test]
fn by_default_a_new_organization_has_no_policy_type_enabled_and_enabling_scps_attaches_full_aws_access()
 {
    let mut w = World::new();
    w.write(MGMT, |cx, ids| {
        create_organization(cx, ids, None, IdScheme::Aws)
    })
    .unwrap();
    let root = w
        .read(MGMT, |cx| list_roots(cx, &ALL_PAGE))
        .unwrap()
        .items
        .remove(0);
    assert!(root.policy_types.is_empty());
    assert!(
        w.read(MGMT, describe_organization)
            .unwrap()
            .available_policy_types
            .is_empty()
    );
    let acct = member(&mut w);
    w.write(MGMT, |cx, _| enable_policy_type(cx, &root.id, SCP))
        .unwrap();
    for target in [root.id.as_str(), MGMT, acct.as_str()] {
        assert_eq!(
            attached_ids(&w, target, SCP),
            ["p-FullAWSAccess"],
            "{target}"
        );
    }
}

// ---- guardrails: SCPs and RCPs in effect on an account ----

mod guardrail_tests {
    use super::*;
    use crate::guardrails::{self, Decision, Exemption};
    use crate::policy::{Context, Effect};

    const LEAVE: &str = "organizations:LeaveOrganization";
    const DENY_LEAVE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoLeaving","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#;

    fn decide(w: &World, account: &str, action: &str, cx: &Context) -> guardrails::Evaluation {
        guardrails::evaluate(&w.state, account, action, None, cx, w.now)
    }

    /// root -> a -> b, with the member in b.
    fn deep() -> (World, String, String, String, String) {
        let (mut w, root) = org(FeatureSet::All);
        let m = member(&mut w);
        let a = ou(&mut w, &root, "a");
        let b = ou(&mut w, &a, "b");
        w.write(MGMT, |cx, _| move_account(cx, &m, &root, &b))
            .unwrap();
        (w, root, a, b, m)
    }

    #[test]
    fn an_scp_deny_on_an_ou_binds_members_below_it_until_detached() {
        let (mut w, _root, a, _b, m) = deep();
        let cx = Context::new();
        assert!(guardrails::binds(&w.state, &m));
        assert!(decide(&w, &m, LEAVE, &cx).decision.is_allowed());
        let p = policy(&mut w, SCP, "no-leaving", DENY_LEAVE);
        attach(&mut w, &p, &a).unwrap();
        let e = decide(&w, &m, LEAVE, &cx);
        assert_eq!(
            e.decision,
            Decision::ExplicitDeny {
                policy_type: SCP,
                policy_id: p.clone()
            }
        );
        let denying = e.policies.iter().find(|x| x.policy_id == p).unwrap();
        assert_eq!(denying.target_id, a);
        assert_eq!(denying.matched[0].sid.as_deref(), Some("NoLeaving"));
        assert_eq!(denying.matched[0].effect, Effect::Deny);
        // FullAWSAccess at the root, on both OUs and on the account: four levels listed.
        assert_eq!(
            e.policies
                .iter()
                .filter(|x| x.policy_id == "p-FullAWSAccess")
                .count(),
            4
        );
        assert!(
            decide(&w, &m, "organizations:DescribeOrganization", &cx)
                .decision
                .is_allowed()
        );
        // The management account is never restricted.
        let on_root = w.read(MGMT, |cx| list_roots(cx, &ALL_PAGE)).unwrap().items[0]
            .id
            .clone();
        attach(&mut w, &p, &on_root).unwrap();
        let mgmt = decide(&w, MGMT, LEAVE, &cx);
        assert!(mgmt.decision.is_allowed());
        assert_eq!(mgmt.exemption, Some(Exemption::ManagementAccount));
        assert!(!guardrails::binds(&w.state, MGMT));
        detach(&mut w, &p, &on_root).unwrap();
        detach(&mut w, &p, &a).unwrap();
        assert!(decide(&w, &m, LEAVE, &cx).decision.is_allowed());
    }

    #[test]
    fn every_level_must_allow() {
        let (mut w, _root, _a, b, m) = deep();
        let only_s3 = policy(
            &mut w,
            SCP,
            "s3-only",
            r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#,
        );
        attach(&mut w, &only_s3, &b).unwrap();
        detach(&mut w, "p-FullAWSAccess", &b).unwrap();
        let cx = Context::new();
        assert_eq!(
            decide(&w, &m, LEAVE, &cx).decision,
            Decision::ImplicitDeny {
                policy_type: SCP,
                target_id: b.clone()
            }
        );
        assert!(decide(&w, &m, "s3:GetObject", &cx).decision.is_allowed());
    }

    #[test]
    fn scps_bind_only_while_enabled_on_the_root() {
        let (mut w, root, a, _b, m) = deep();
        let p = policy(&mut w, SCP, "no-leaving", DENY_LEAVE);
        attach(&mut w, &p, &a).unwrap();
        w.write(MGMT, |cx, _| disable_policy_type(cx, &root, SCP))
            .unwrap();
        assert!(!guardrails::binds(&w.state, &m));
        assert!(decide(&w, &m, LEAVE, &Context::new()).decision.is_allowed());
    }

    #[test]
    fn rcps_cover_their_services_and_not_organizations() {
        let (mut w, root, a, _b, m) = deep();
        w.write(MGMT, |cx, _| enable_policy_type(cx, &root, RCP))
            .unwrap();
        let p = policy(
            &mut w,
            RCP,
            "tls",
            r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":["s3:*","organizations:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:SecureTransport":"false"}}}}"#,
        );
        attach(&mut w, &p, &a).unwrap();
        let mut http = Context::new();
        http.set("aws:SecureTransport", "false");
        let e = decide(&w, &m, "s3:GetObject", &http);
        assert_eq!(
            e.decision,
            Decision::ExplicitDeny {
                policy_type: RCP,
                policy_id: p.clone()
            }
        );
        assert!(decide(&w, &m, LEAVE, &http).decision.is_allowed());
        let mut https = Context::new();
        https.set("aws:SecureTransport", "true");
        let e = decide(&w, &m, "s3:GetObject", &https);
        assert!(e.decision.is_allowed(), "{e:?}");
    }

    #[test]
    fn the_state_supplies_organization_keys() {
        let (mut w, _root, a, b, m) = deep();
        let org_id = w.state.org_of(&m).unwrap().id.clone();
        let p = policy(
            &mut w,
            SCP,
            "paths",
            &format!(
                r#"{{"Statement":[{{"Effect":"Deny","Action":"organizations:*","Resource":"*","Condition":{{"ForAnyValue:StringLike":{{"aws:PrincipalOrgPaths":"{org_id}/*/{a}/*"}},"StringEquals":{{"aws:PrincipalAccount":"${{aws:userid}}"}}}}}}]}}"#
            ),
        );
        attach(&mut w, &p, &b).unwrap();
        assert!(!decide(&w, &m, LEAVE, &Context::new()).decision.is_allowed());
        let later = policy(
            &mut w,
            SCP,
            "after-2100",
            r#"{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2100-01-01T00:00:00Z"}}}}"#,
        );
        detach(&mut w, &p, &b).unwrap();
        attach(&mut w, &later, &b).unwrap();
        assert!(decide(&w, &m, LEAVE, &Context::new()).decision.is_allowed());
        w.now = 4_200_000_000_000;
        assert!(!decide(&w, &m, LEAVE, &Context::new()).decision.is_allowed());
    }

    #[test]
    fn an_updated_policy_is_evaluated_in_its_new_version() {
        let (mut w, _root, a, _b, m) = deep();
        let p = policy(&mut w, SCP, "no-leaving", DENY_LEAVE);
        attach(&mut w, &p, &a).unwrap();
        assert!(!decide(&w, &m, LEAVE, &Context::new()).decision.is_allowed());
        w.write(MGMT, |cx, _| {
            update_policy(cx, Enforced, &p, None, None, Some(DENY_S3))
        })
        .unwrap();
        assert!(decide(&w, &m, LEAVE, &Context::new()).decision.is_allowed());
        assert!(
            !decide(&w, &m, "s3:PutObject", &Context::new())
                .decision
                .is_allowed()
        );
    }
}
