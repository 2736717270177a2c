//! The evaluator against the examples of AWS's IAM reference (condition operators, policy
//! variables, set qualifiers) and the Organizations guide.

use serde_json::{Value, json};

use super::{Context, PolicyType, Request, parse_authorization, parse_resource_policy};

fn context(keys: &[(&str, &[&str])]) -> Context {
    let mut cx = Context::new();
    for (k, v) in keys {
        cx.set_all(k, v.iter().map(|s| s.to_string()).collect());
    }
    cx
}

/// Whether an SCP allowing everything under one condition block allows a request with `keys`.
fn holds(operator: &str, key: &str, values: Value, keys: &[(&str, &[&str])]) -> bool {
    let doc = json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {operator: {key: values}}}});
    let doc = parse_authorization(PolicyType::ServiceControl, &doc.to_string())
        .unwrap_or_else(|e| panic!("{operator}: {e}"));
    let cx = context(keys);
    doc.allows(&Request {
        principal_account: "111122223333",
        action: "s3:GetObject",
        resource: Some("arn:aws:s3:::bucket/key"),
        context: &cx,
    })
}

#[test]
fn string_operators() {
    let tag: &[(&str, &[&str])] = &[("aws:PrincipalTag/job-category", &["iamuser-admin"])];
    assert!(holds(
        "StringEquals",
        "aws:PrincipalTag/job-category",
        json!("iamuser-admin"),
        tag
    ));
    assert!(!holds(
        "StringEquals",
        "aws:PrincipalTag/job-category",
        json!("IAMUSER-ADMIN"),
        tag
    ));
    assert!(holds(
        "StringEqualsIgnoreCase",
        "aws:PrincipalTag/job-category",
        json!("IAMUSER-ADMIN"),
        tag
    ));
    assert!(holds(
        "StringNotEquals",
        "aws:PrincipalTag/job-category",
        json!(["a", "b"]),
        tag
    ));
    assert!(!holds(
        "StringNotEquals",
        "aws:PrincipalTag/job-category",
        json!(["a", "iamuser-admin"]),
        tag
    ));
    assert!(!holds(
        "StringNotEqualsIgnoreCase",
        "aws:PrincipalTag/job-category",
        json!("IAMUser-Admin"),
        tag
    ));
    assert!(holds(
        "StringLike",
        "aws:PrincipalTag/job-category",
        json!("iamuser-*"),
        tag
    ));
    assert!(holds(
        "StringLike",
        "aws:PrincipalTag/job-category",
        json!("iamuser?admin"),
        tag
    ));
    assert!(
        !holds(
            "StringLike",
            "aws:PrincipalTag/job-category",
            json!("IAMUSER-*"),
            tag
        ),
        "StringLike is case-sensitive"
    );
    assert!(holds(
        "StringNotLike",
        "aws:PrincipalTag/job-category",
        json!("dev-*"),
        tag
    ));
    // Condition keys are case-insensitive.
    assert!(holds(
        "StringEquals",
        "AWS:PRINCIPALTAG/JOB-CATEGORY",
        json!("iamuser-admin"),
        tag
    ));
    // A missing key fails a positive operator and satisfies a negated one.
    assert!(!holds(
        "StringEquals",
        "aws:PrincipalTag/team",
        json!("x"),
        tag
    ));
    assert!(holds(
        "StringNotEquals",
        "aws:PrincipalTag/team",
        json!("x"),
        tag
    ));
    assert!(holds(
        "StringNotLike",
        "aws:PrincipalTag/team",
        json!("x*"),
        tag
    ));
}

#[test]
fn numeric_operators() {
    let k: &[(&str, &[&str])] = &[("s3:max-keys", &["10"])];
    assert!(holds(
        "NumericLessThanEquals",
        "s3:max-keys",
        json!("10"),
        k
    ));
    assert!(!holds("NumericLessThan", "s3:max-keys", json!("10"), k));
    assert!(holds("NumericLessThan", "s3:max-keys", json!(10.5), k));
    assert!(holds("NumericEquals", "s3:max-keys", json!(10), k));
    assert!(holds("NumericNotEquals", "s3:max-keys", json!(11), k));
    assert!(holds("NumericGreaterThan", "s3:max-keys", json!("9"), k));
    assert!(holds(
        "NumericGreaterThanEquals",
        "s3:max-keys",
        json!("10"),
        k
    ));
    assert!(!holds(
        "NumericGreaterThanEquals",
        "s3:max-keys",
        json!("11"),
        k
    ));
    assert!(
        !holds("NumericEquals", "s3:max-keys", json!("ten"), k),
        "a value that is not a number matches nothing"
    );
}

#[test]
fn date_operators() {
    let k: &[(&str, &[&str])] = &[("aws:TokenIssueTime", &["2020-01-01T00:00:02Z"])];
    assert!(holds(
        "DateGreaterThan",
        "aws:TokenIssueTime",
        json!("2020-01-01T00:00:01Z"),
        k
    ));
    assert!(!holds(
        "DateLessThan",
        "aws:TokenIssueTime",
        json!("2020-01-01T00:00:01Z"),
        k
    ));
    assert!(holds(
        "DateLessThanEquals",
        "aws:TokenIssueTime",
        json!("2020-01-01T00:00:02Z"),
        k
    ));
    assert!(
        holds(
            "DateGreaterThanEquals",
            "aws:TokenIssueTime",
            json!("2020-01-01"),
            k
        ),
        "a date alone is midnight UTC"
    );
    assert!(
        holds(
            "DateEquals",
            "aws:TokenIssueTime",
            json!("2020-01-01T01:00:02+01:00"),
            k
        ),
        "offsets count"
    );
    assert!(holds(
        "DateNotEquals",
        "aws:TokenIssueTime",
        json!("2020-01-01T00:00:03Z"),
        k
    ));
    // Epoch seconds compare with ISO 8601 dates.
    assert!(holds(
        "DateEquals",
        "aws:TokenIssueTime",
        json!(1577836802),
        k
    ));
    assert!(holds(
        "DateLessThan",
        "aws:TokenIssueTime",
        json!("1577836803"),
        k
    ));
    let epoch: &[(&str, &[&str])] = &[("aws:EpochTime", &["1577836800"])];
    assert!(holds(
        "DateGreaterThanEquals",
        "aws:EpochTime",
        json!("2020-01-01T00:00:00Z"),
        epoch
    ));
}

#[test]
fn bool_and_binary_operators() {
    let https: &[(&str, &[&str])] = &[("aws:SecureTransport", &["true"])];
    assert!(holds("Bool", "aws:SecureTransport", json!(true), https));
    assert!(holds("Bool", "aws:SecureTransport", json!("TRUE"), https));
    assert!(!holds("Bool", "aws:SecureTransport", json!("false"), https));
    let http: &[(&str, &[&str])] = &[];
    assert!(
        !holds("Bool", "aws:SecureTransport", json!("false"), http),
        "a missing key is not false"
    );
    assert!(holds(
        "BoolIfExists",
        "aws:SecureTransport",
        json!("false"),
        http
    ));
    let bin: &[(&str, &[&str])] = &[("key", &["QmluYXJ5VmFsdWVJbkJhc2U2NA=="])];
    assert!(holds(
        "BinaryEquals",
        "key",
        json!("QmluYXJ5VmFsdWVJbkJhc2U2NA=="),
        bin
    ));
    assert!(!holds("BinaryEquals", "key", json!("QmluYXJ5"), bin));
}

#[test]
fn ip_address_operators() {
    let v4: &[(&str, &[&str])] = &[("aws:SourceIp", &["203.0.113.7"])];
    assert!(holds(
        "IpAddress",
        "aws:SourceIp",
        json!("203.0.113.0/24"),
        v4
    ));
    assert!(holds(
        "IpAddress",
        "aws:SourceIp",
        json!(["198.51.100.0/24", "203.0.113.7/32"]),
        v4
    ));
    assert!(holds("IpAddress", "aws:SourceIp", json!("203.0.113.7"), v4));
    assert!(!holds(
        "IpAddress",
        "aws:SourceIp",
        json!("198.51.100.0/24"),
        v4
    ));
    assert!(holds(
        "NotIpAddress",
        "aws:SourceIp",
        json!("198.51.100.0/24"),
        v4
    ));
    let v6: &[(&str, &[&str])] = &[("aws:SourceIp", &["2001:db8:1234:5678::1"])];
    assert!(holds(
        "IpAddress",
        "aws:SourceIp",
        json!("2001:DB8:1234:5678::/64"),
        v6
    ));
    assert!(!holds(
        "IpAddress",
        "aws:SourceIp",
        json!("203.0.113.0/24"),
        v6
    ));
}

#[test]
fn arn_operators() {
    let k: &[(&str, &[&str])] = &[(
        "aws:SourceArn",
        &["arn:aws:cloudtrail:us-east-1:111122223333:trail/main"],
    )];
    assert!(holds(
        "ArnLike",
        "aws:SourceArn",
        json!("arn:aws:cloudtrail:*:111122223333:trail/*"),
        k
    ));
    assert!(holds(
        "ArnEquals",
        "aws:SourceArn",
        json!("arn:aws:cloudtrail:us-east-1:111122223333:trail/main"),
        k
    ));
    assert!(!holds(
        "ArnLike",
        "aws:SourceArn",
        json!("arn:aws:cloudtrail:*:444455556666:trail/*"),
        k
    ));
    assert!(holds(
        "ArnNotLike",
        "aws:SourceArn",
        json!("arn:aws:s3:::*"),
        k
    ));
    assert!(!holds(
        "ArnNotEquals",
        "aws:SourceArn",
        json!("arn:aws:cloudtrail:us-east-1:111122223333:trail/main"),
        k
    ));
    // A wildcard stays within its component: `*` in the region does not swallow the account.
    assert!(!holds(
        "ArnLike",
        "aws:SourceArn",
        json!("arn:aws:cloudtrail:*:trail/main"),
        k
    ));
    // Resources with colons keep them in the last component.
    let lg: &[(&str, &[&str])] = &[(
        "aws:SourceArn",
        &["arn:aws:logs:us-east-1:111122223333:log-group:g:*"],
    )];
    assert!(holds(
        "ArnLike",
        "aws:SourceArn",
        json!("arn:aws:logs:*:*:log-group:*"),
        lg
    ));
}

#[test]
fn null_checks_presence() {
    let k: &[(&str, &[&str])] = &[("aws:TokenIssueTime", &["2020-01-01T00:00:00Z"])];
    assert!(holds("Null", "aws:TokenIssueTime", json!("false"), k));
    assert!(!holds("Null", "aws:TokenIssueTime", json!("true"), k));
    assert!(holds("Null", "aws:MultiFactorAuthAge", json!(true), k));
    let empty: &[(&str, &[&str])] = &[("aws:TagKeys", &[])];
    assert!(
        holds("Null", "aws:TagKeys", json!("true"), empty),
        "an empty set is missing"
    );
}

#[test]
fn if_exists_is_true_when_the_key_is_missing() {
    let t2: &[(&str, &[&str])] = &[("ec2:InstanceType", &["t2.micro"])];
    let m5: &[(&str, &[&str])] = &[("ec2:InstanceType", &["m5.large"])];
    let none: &[(&str, &[&str])] = &[];
    let types = json!(["t1.*", "t2.*", "m3.*"]);
    assert!(holds(
        "StringLikeIfExists",
        "ec2:InstanceType",
        types.clone(),
        t2
    ));
    assert!(!holds(
        "StringLikeIfExists",
        "ec2:InstanceType",
        types.clone(),
        m5
    ));
    assert!(holds(
        "StringLikeIfExists",
        "ec2:InstanceType",
        types.clone(),
        none
    ));
    assert!(!holds("StringLike", "ec2:InstanceType", types, none));
    assert!(holds(
        "NumericLessThanIfExists",
        "aws:MultiFactorAuthAge",
        json!(3600),
        none
    ));
    assert!(holds(
        "ArnLikeIfExists",
        "aws:SourceArn",
        json!("arn:aws:s3:::*"),
        none
    ));
}

#[test]
fn set_qualifiers_follow_aws_on_empty_and_missing_sets() {
    let both: &[(&str, &[&str])] = &[("aws:TagKeys", &["environment", "cost-center"])];
    let extra: &[(&str, &[&str])] = &[("aws:TagKeys", &["environment", "owner"])];
    let empty: &[(&str, &[&str])] = &[("aws:TagKeys", &[])];
    let missing: &[(&str, &[&str])] = &[];
    let allowed = json!(["environment", "cost-center"]);
    // ForAllValues: every value in the request is in the policy's list; true for no values.
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        both
    ));
    assert!(!holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        extra
    ));
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        empty
    ));
    assert!(holds(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        missing
    ));
    // ForAnyValue: at least one value matches; false for no values.
    assert!(holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        extra
    ));
    assert!(!holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        json!(["x"]),
        extra
    ));
    assert!(!holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        empty
    ));
    assert!(!holds(
        "ForAnyValue:StringEquals",
        "aws:TagKeys",
        allowed.clone(),
        missing
    ));
    assert!(holds(
        "ForAnyValue:StringEqualsIfExists",
        "aws:TagKeys",
        allowed.clone(),
        missing
    ));
    // Negated operators apply per value: ForAnyValue:StringNotEquals holds when some value is
    // outside the list; ForAllValues:StringNotLike when none matches.
    assert!(holds(
        "ForAnyValue:StringNotEquals",
        "aws:TagKeys",
        allowed.clone(),
        extra
    ));
    assert!(!holds(
        "ForAnyValue:StringNotEquals",
        "aws:TagKeys",
        allowed,
        both
    ));
    assert!(holds(
        "ForAllValues:StringNotLike",
        "aws:TagKeys",
        json!("secret*"),
        both
    ));
    assert!(!holds(
        "ForAllValues:StringNotLike",
        "aws:TagKeys",
        json!("cost*"),
        both
    ));
    // Qualifiers apply to every family.
    let nets: &[(&str, &[&str])] = &[("k", &["10.0.0.1", "10.0.0.2"])];
    assert!(holds(
        "ForAllValues:IpAddress",
        "k",
        json!("10.0.0.0/24"),
        nets
    ));
    assert!(holds(
        "ForAnyValue:NumericGreaterThan",
        "n",
        json!(5),
        &[("n", &["1", "7"])]
    ));
}

#[test]
fn policy_variables_and_their_escapes() {
    let user: &[(&str, &[&str])] = &[
        ("aws:username", &["alice"]),
        ("s3:prefix", &["home/alice/notes"]),
    ];
    assert!(holds(
        "StringLike",
        "s3:prefix",
        json!("home/${aws:username}/*"),
        user
    ));
    assert!(
        !holds(
            "StringLike",
            "s3:prefix",
            json!("home/${aws:userid}/*"),
            user
        ),
        "a missing variable matches nothing"
    );
    assert!(
        holds(
            "StringLike",
            "s3:prefix",
            json!("home/${aws:userid, 'alice'}/*"),
            user
        ),
        "a default value fills in"
    );
    let star: &[(&str, &[&str])] = &[("k", &["a*b"])];
    assert!(holds("StringEquals", "k", json!("a${*}b"), star));
    assert!(holds("StringLike", "k", json!("a${*}b"), star));
    assert!(
        !holds("StringLike", "k", json!("a${*}b"), &[("k", &["axxb"])]),
        "the escape is a literal asterisk"
    );
    assert!(holds(
        "StringEquals",
        "k",
        json!("${$}{x}"),
        &[("k", &["${x}"])]
    ));
    assert!(holds(
        "StringEquals",
        "k",
        json!("what${?}"),
        &[("k", &["what?"])]
    ));
    // The substituted value is literal: a `*` in it is no wildcard.
    assert!(!holds(
        "StringLike",
        "k",
        json!("${aws:username}"),
        &[("aws:username", &["*"]), ("k", &["x"])]
    ));
    // Variables in ARN conditions.
    let arn: &[(&str, &[&str])] = &[
        ("aws:PrincipalAccount", &["111122223333"]),
        ("aws:SourceArn", &["arn:aws:sns:us-east-1:111122223333:t"]),
    ];
    assert!(holds(
        "ArnLike",
        "aws:SourceArn",
        json!("arn:aws:sns:*:${aws:PrincipalAccount}:*"),
        arn
    ));
}

fn scp(doc: Value) -> super::Document {
    parse_authorization(PolicyType::ServiceControl, &doc.to_string()).unwrap()
}

fn decide(doc: &super::Document, action: &str, resource: Option<&str>, cx: &Context) -> bool {
    doc.allows(&Request {
        principal_account: "111122223333",
        action,
        resource,
        context: cx,
    })
}

#[test]
fn actions_and_resources_with_wildcards_and_not_elements() {
    let cx = context(&[("aws:username", &["alice"])]);
    let doc = scp(json!({"Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe?nstances"], "Resource": "arn:aws:s3:::home/${aws:username}/*"},
        {"Effect": "Allow", "NotAction": ["iam:*", "s3:*", "ec2:*"]}
    ]}));
    assert!(decide(
        &doc,
        "s3:GetObject",
        Some("arn:aws:s3:::home/alice/a.txt"),
        &cx
    ));
    assert!(
        decide(
            &doc,
            "S3:getobject",
            Some("arn:aws:s3:::home/alice/a.txt"),
            &cx
        ),
        "actions ignore case"
    );
    assert!(!decide(
        &doc,
        "s3:GetObject",
        Some("arn:aws:s3:::home/bob/a.txt"),
        &cx
    ));
    assert!(
        !decide(
            &doc,
            "s3:GetObject",
            Some("arn:aws:s3:::HOME/alice/a.txt"),
            &cx
        ),
        "resources keep case"
    );
    assert!(!decide(
        &doc,
        "s3:PutObject",
        Some("arn:aws:s3:::home/alice/a.txt"),
        &cx
    ));
    assert!(
        decide(&doc, "sqs:SendMessage", None, &cx),
        "NotAction covers the rest"
    );
    assert!(!decide(&doc, "iam:CreateUser", None, &cx));
    let not_resource = scp(
        json!({"Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::secret/*"}}),
    );
    assert!(decide(
        &not_resource,
        "s3:GetObject",
        Some("arn:aws:s3:::public/x"),
        &cx
    ));
    assert!(!decide(
        &not_resource,
        "s3:GetObject",
        Some("arn:aws:s3:::secret/x"),
        &cx
    ));
    // An action without a resource type is the resource `*`: only `*` patterns cover it.
    assert!(decide(
        &scp(json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})),
        "organizations:LeaveOrganization",
        None,
        &cx
    ));
    assert!(!decide(
        &scp(
            json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::*"}})
        ),
        "organizations:LeaveOrganization",
        None,
        &cx
    ));
}

#[test]
fn an_explicit_deny_wins_and_every_block_must_hold() {
    let doc = scp(json!({"Statement": [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "DenyAllOutsideEU", "Effect": "Deny", "NotAction": ["iam:*", "organizations:*"], "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-central-1", "eu-west-1"]},
                       "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}}
    ]}));
    let us = context(&[("aws:RequestedRegion", &["us-east-1"])]);
    let eu = context(&[("aws:RequestedRegion", &["eu-west-1"])]);
    assert!(!decide(&doc, "ec2:RunInstances", None, &us));
    assert!(decide(&doc, "ec2:RunInstances", None, &eu));
    assert!(decide(&doc, "organizations:ListAccounts", None, &us));
    let service = context(&[
        ("aws:RequestedRegion", &["us-east-1"]),
        ("aws:PrincipalIsAWSService", &["true"]),
    ]);
    assert!(
        decide(&doc, "ec2:RunInstances", None, &service),
        "both blocks must hold for the deny"
    );
}

#[test]
fn the_delegation_example_with_string_like_if_exists() {
    // The Organizations guide's resource-policy example for a delegated administrator.
    let doc = parse_resource_policy(&json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Fullaccess", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": ["organizations:Describe*", "organizations:List*"], "Resource": "*"},
            {"Sid": "AllowBackupPoliciesCreation", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": "organizations:CreatePolicy", "Resource": "*",
             "Condition": {"StringEquals": {"organizations:PolicyType": "BACKUP_POLICY"}}},
            {"Sid": "AllowBackupPoliciesModification", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": ["organizations:DescribePolicy", "organizations:UpdatePolicy", "organizations:DeletePolicy"],
             "Resource": "arn:aws:organizations::*:policy/*/backup_policy/*",
             "Condition": {"StringEquals": {"organizations:PolicyType": "BACKUP_POLICY"}}},
            {"Sid": "AllowTagging", "Effect": "Allow",
             "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
             "Action": ["organizations:TagResource", "organizations:UntagResource"], "Resource": "*",
             "Condition": {"StringLikeIfExists": {"organizations:PolicyType": "BACKUP_POLICY"}}}
        ]
    }).to_string()).expect("the guide's example is accepted");
    let request = |action: &str, ty: Option<&str>| {
        let mut cx = Context::new();
        if let Some(ty) = ty {
            cx.set("organizations:PolicyType", ty);
        }
        doc.allows(&Request {
            principal_account: "111122223333",
            action,
            resource: None,
            context: &cx,
        })
    };
    assert!(
        request("organizations:TagResource", None),
        "IfExists: no policy type, tagging allowed"
    );
    assert!(request("organizations:TagResource", Some("BACKUP_POLICY")));
    assert!(!request(
        "organizations:TagResource",
        Some("SERVICE_CONTROL_POLICY")
    ));
    assert!(request("organizations:CreatePolicy", Some("BACKUP_POLICY")));
    assert!(!request("organizations:CreatePolicy", None));
    assert!(request("organizations:ListAccounts", None));
}

#[test]
fn resource_policies_need_principals() {
    let e = parse_resource_policy(
        r#"{"Statement":{"Effect":"Allow","Action":"organizations:List*","Resource":"*"}}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("Principal or a NotPrincipal"), "{e}");
    let e = parse_resource_policy(r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"organizations:List*"}}"#).unwrap_err();
    assert!(e.to_string().starts_with("Statement.Principal.AWS:"), "{e}");
}
