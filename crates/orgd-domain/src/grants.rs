//! IAM evaluation of the organization's resource policy: which member accounts it lets perform
//! which Organizations actions (AWS's "delegated administrator for AWS Organizations"). Explicit
//! `Deny` wins, then any matching `Allow`; nothing matching denies.
//!
//! Evaluated: `Effect`, `Principal` / `NotPrincipal` (`*`, an account ID, or any ARN of the
//! account in any partition, e.g. `arn:aws:iam::111122223333:root`), `Action` / `NotAction` with `*` and `?`
//! wildcards, and `Condition` with the string operators (and their `ForAnyValue:` /
//! `ForAllValues:` forms) on `organizations:PolicyType` and `aws:PrincipalAccount`. `Resource` is
//! accepted but not narrowed (every statement applies to every resource of the organization).

use serde_json::Value;

/// What a request is, as the resource policy's conditions see it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestContext<'a> {
    /// `organizations:PolicyType`, for operations on policies of one type.
    pub policy_type: Option<&'a str>,
}

/// Whether `doc` lets `account` perform `action` (e.g. `organizations:CreatePolicy`).
pub fn allows(doc: &str, account: &str, action: &str, cx: RequestContext) -> bool {
    let Ok(doc) = serde_json::from_str::<Value>(doc) else {
        return false;
    };
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => return false,
    };
    let mut allowed = false;
    for s in statements {
        if !applies(s, account, action, cx) {
            continue;
        }
        match s.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return false,
            Some("Allow") => allowed = true,
            _ => {}
        }
    }
    allowed
}

fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// `*` and `?` wildcards, ASCII case-insensitive (as IAM compares action names).
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (
        pattern.to_ascii_lowercase().chars().collect(),
        text.to_ascii_lowercase().chars().collect(),
    );
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The account of an IAM principal ARN, `arn:<partition>:iam::<account>:<resource>`, whatever
/// the partition.
fn principal_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(_))
            if !partition.is_empty() =>
        {
            Some(account)
        }
        _ => None,
    }
}

fn principal_is(value: &Value, account: &str) -> bool {
    let one = |p: &str| p == "*" || p == account || principal_account(p) == Some(account);
    match value {
        Value::String(s) => one(s),
        Value::Object(m) => m
            .get("AWS")
            .is_some_and(|v| strings(v).into_iter().any(one)),
        _ => false,
    }
}

fn applies(s: &Value, account: &str, action: &str, cx: RequestContext) -> bool {
    let principal = match (s.get("Principal"), s.get("NotPrincipal")) {
        (Some(p), _) => principal_is(p, account),
        (None, Some(np)) => !principal_is(np, account),
        (None, None) => false,
    };
    let action_ok = match (s.get("Action"), s.get("NotAction")) {
        (Some(a), _) => strings(a).iter().any(|p| glob(p, action)),
        (None, Some(na)) => !strings(na).iter().any(|p| glob(p, action)),
        (None, None) => false,
    };
    principal && action_ok && conditions_hold(s.get("Condition"), account, cx)
}

fn conditions_hold(cond: Option<&Value>, account: &str, cx: RequestContext) -> bool {
    let Some(Value::Object(ops)) = cond else {
        return cond.is_none();
    };
    ops.iter().all(|(op, keys)| {
        let Value::Object(keys) = keys else {
            return false;
        };
        let base = op
            .trim_start_matches("ForAnyValue:")
            .trim_start_matches("ForAllValues:");
        keys.iter().all(|(key, want)| {
            let have = match key.to_ascii_lowercase().as_str() {
                "organizations:policytype" => cx.policy_type,
                "aws:principalaccount" => Some(account),
                _ => None,
            };
            let want = strings(want);
            let Some(have) = have else { return false };
            match base {
                "StringEquals" => want.contains(&have),
                "StringNotEquals" => !want.contains(&have),
                "StringEqualsIgnoreCase" => want.iter().any(|w| w.eq_ignore_ascii_case(have)),
                "StringNotEqualsIgnoreCase" => !want.iter().any(|w| w.eq_ignore_ascii_case(have)),
                "StringLike" => want.iter().any(|w| glob(w, have)),
                "StringNotLike" => !want.iter().any(|w| glob(w, have)),
                _ => false,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        allows(
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
        assert!(allows(
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
        assert!(!allows(
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
        assert!(allows(
            doc,
            "222222222222",
            "organizations:ListRoots",
            RequestContext::default()
        ));
        assert!(!allows(
            doc,
            "222222222222",
            "organizations:DeletePolicy",
            RequestContext::default()
        ));
        assert!(!allows(
            doc,
            "999999999999",
            "organizations:ListRoots",
            RequestContext::default()
        ));
        assert!(!allows(
            "not json",
            "222222222222",
            "organizations:ListRoots",
            RequestContext::default()
        ));
    }
}
