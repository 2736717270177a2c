//! The organization's resource policy as a grant: which member accounts it lets perform which
//! Organizations actions (AWS's "delegated administrator for AWS Organizations"). Explicit `Deny`
//! wins, then any matching `Allow`; nothing matching denies.
//!
//! The document is the one IAM reader's (`policy::parse_resource_policy`), parsed once per version
//! and kept by `State`; this module only says what a delegated request looks like to it: the
//! caller's account as `aws:PrincipalAccount`, the organization as `aws:PrincipalOrgID`,
//! `organizations:PolicyType` for operations on policies of one type, and the adapter's global
//! keys. `Resource` is not narrowed: the request's resource is `*` (every statement whose
//! `Resource` is `*` applies to every resource of the organization).

use crate::policy::{Context, Document, Request};

/// What a request is, as the resource policy's conditions see it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestContext<'a> {
    /// `organizations:PolicyType`, for operations on policies of one type.
    pub policy_type: Option<&'a str>,
}

/// Whether `doc` lets `account` (of organization `org_id`) perform `action` (e.g.
/// `organizations:CreatePolicy`).
pub fn allows(
    doc: &Document,
    org_id: &str,
    account: &str,
    action: &str,
    cx: RequestContext,
) -> bool {
    let mut context = Context::new();
    context
        .set("aws:PrincipalAccount", account)
        .set("aws:PrincipalOrgID", org_id);
    if let Some(ty) = cx.policy_type {
        context.set("organizations:PolicyType", ty);
    }
    doc.allows(&Request {
        principal_account: account,
        action,
        resource: None,
        context: &context,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_resource_policy;

    fn allows_doc(doc: &str, account: &str, action: &str, cx: RequestContext) -> bool {
        parse_resource_policy(doc).is_ok_and(|d| allows(&d, "o-exampleorg", account, action, cx))
    }

    fn principal_account(arn: &str) -> Option<&str> {
        crate::policy::principal_account(arn)
    }

    fn glob(pattern: &str, text: &str) -> bool {
        crate::policy::action_matches(pattern, text)
    }

    const DOC: &str = r#"{
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
         "Action": ["organizations:Describe*", "organizations:List*"], "Resource": "*"},
        {"Sid": "TagAndBackup", "Effect": "Allow", "Principal": {"AWS": "222222222222"},
         "Action": ["organizations:CreatePolicy", "organizations:AttachPolicy"], "Resource": "*",
         "Condition": {"StringEquals": {"organizations:PolicyType": ["TAG_POLICY", "BACKUP_POLICY"]}}},
        {"Sid": "NoBackupDetach", "Effect": "Deny", "Principal": "*",
         "Action": "organizations:DetachPolicy", "Resource": "*"}
      ]
    }"#;

    fn can(account: &str, action: &str, ty: Option<&str>) -> bool {
        allows_doc(
            DOC,
            account,
            &format!("organizations:{action}"),
            RequestContext { policy_type: ty },
        )
    }

    #[test]
    fn allows_what_a_statement_grants_to_its_principal_only() {
        assert!(can("222222222222", "ListAccounts", None));
        assert!(
            can("222222222222", "describeorganization", None),
            "actions compare without case"
        );
        assert!(!can("333333333333", "ListAccounts", None));
        assert!(!can("222222222222", "CreateOrganizationalUnit", None));
    }

    #[test]
    fn principal_arns_of_every_partition_name_their_account() {
        for arn in [
            "arn:aws:iam::222222222222:root",
            "arn:aws-cn:iam::222222222222:role/admin",
            "arn:aws-us-gov:iam::222222222222:user/ops",
        ] {
            assert_eq!(principal_account(arn), Some("222222222222"), "{arn}");
        }
        assert_eq!(principal_account("arn:aws:s3:::222222222222"), None);
        assert_eq!(principal_account("arn::iam::222222222222:root"), None);
        assert_eq!(principal_account("222222222222"), None);
        let cn = DOC.replace("arn:aws:iam::", "arn:aws-cn:iam::");
        assert!(allows_doc(
            &cn,
            "222222222222",
            "organizations:ListRoots",
            RequestContext::default()
        ));
    }

    #[test]
    fn conditions_on_the_policy_type_narrow_the_grant() {
        assert!(can("222222222222", "CreatePolicy", Some("TAG_POLICY")));
        assert!(!can(
            "222222222222",
            "CreatePolicy",
            Some("SERVICE_CONTROL_POLICY")
        ));
        assert!(
            !can("222222222222", "CreatePolicy", None),
            "a missing key fails the condition"
        );
    }

    #[test]
    fn an_explicit_deny_wins() {
        let doc = DOC.replace(
            "\"organizations:AttachPolicy\"",
            "\"organizations:AttachPolicy\", \"organizations:DetachPolicy\"",
        );
        assert!(!allows_doc(
            &doc,
            "222222222222",
            "organizations:DetachPolicy",
            RequestContext {
                policy_type: Some("TAG_POLICY")
            }
        ));
    }

    #[test]
    fn wildcards_and_not_elements() {
        assert!(glob("organizations:*Policy", "organizations:CreatePolicy"));
        assert!(glob("a?c", "abc") && !glob("a?c", "abbc"));
        let doc = r#"{"Statement": {"Effect": "Allow", "NotPrincipal": {"AWS": "999999999999"},
                      "NotAction": "organizations:Delete*", "Resource": "*"}}"#;
        assert!(allows_doc(
            doc,
            "222222222222",
            "organizations:ListRoots",
            RequestContext::default()
        ));
        assert!(!allows_doc(
            doc,
            "222222222222",
            "organizations:DeletePolicy",
            RequestContext::default()
        ));
        assert!(!allows_doc(
            doc,
            "999999999999",
            "organizations:ListRoots",
            RequestContext::default()
        ));
        assert!(!allows_doc(
            "not json",
            "222222222222",
            "organizations:ListRoots",
            RequestContext::default()
        ));
    }
}
