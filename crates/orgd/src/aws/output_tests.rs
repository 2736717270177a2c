//! The encoders against the model's output shapes: a scenario of raw requests through `AwsApi`,
//! every answer checked for member names the output shape defines, JSON types, enums and the
//! model's patterns and lengths (the compat suite does the same with botocore, from Python).

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue};
use orgd_domain::config::Limits;
use orgd_store::MemoryStore;
use serde_json::{Value, json};

use super::model::{self, Kind, Shape};
use super::{Auth, AwsApi, Request, TARGET_PREFIX, input};
use crate::clock::Clock;
use crate::engine::Engine;

struct Api(AwsApi);

impl Api {
    fn new() -> Self {
        let engine = Engine::open(
            Box::new(MemoryStore::default()),
            Limits::default(),
            Arc::new(Clock::default()),
        )
        .unwrap();
        let auth = Auth::AccessKey {
            default_account: "123456789012".into(),
        };
        Api(AwsApi::new(
            Arc::new(engine),
            auth,
            crate::throttle::Throttle::new(0),
        ))
    }

    /// Calls `op` as `account`, expects success and checks the answer against the model.
    async fn call(&self, account: &str, op: &str, body: Value) -> Value {
        let mut headers = HeaderMap::new();
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential={account}/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=00"
        );
        headers.insert("authorization", HeaderValue::from_str(&auth).unwrap());
        let target = format!("{TARGET_PREFIX}{op}");
        headers.insert("x-amz-target", HeaderValue::from_str(&target).unwrap());
        let body = body.to_string();
        let reply = self
            .0
            .handle(Request {
                method: "POST",
                path: "/",
                query: None,
                headers: &headers,
                body: body.as_bytes(),
                request_id: "test",
                peer: None,
            })
            .await;
        let answer: Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(reply.status, 200, "{op} {body}: {answer}");
        let model = model::operation(op).unwrap();
        let mut problems = Vec::new();
        match model.output {
            Some(shape) => conforms(shape, &answer, op, &mut problems),
            None => assert_eq!(answer, json!({}), "{op}"),
        }
        assert!(problems.is_empty(), "{op}: {problems:#?}\n{answer:#}");
        answer
    }
}

impl Api {
    /// `call`s in order.
    async fn calls<const N: usize>(&self, account: &str, steps: [(&str, Value); N]) {
        for (op, body) in steps {
            self.call(account, op, body).await;
        }
    }
}

/// Collects what in `v` the shape does not allow.
fn conforms(shape: &Shape, v: &Value, path: &str, problems: &mut Vec<String>) {
    match (&shape.kind, v) {
        (Kind::Structure { members }, Value::Object(m)) => {
            for (name, value) in m {
                match members.iter().find(|d| d.name == name) {
                    Some(d) => conforms(d.shape, value, &format!("{path}.{name}"), problems),
                    None => problems.push(format!("{path}.{name} is not in {}", shape.name)),
                }
            }
        }
        (Kind::List { member, .. }, Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                conforms(member, item, &format!("{path}[{i}]"), problems);
            }
        }
        _ => {
            if let Err(e) = input::conforms_value(shape, v) {
                problems.push(format!("{path}: {}", e.body()));
            }
        }
    }
}

#[tokio::test]
async fn answers_have_the_model_output_shapes() {
    let mut problems = Vec::new();
    let shape = model::operation("DescribeOrganization")
        .unwrap()
        .output
        .unwrap();
    let wrong = json!({"Organization": {"Id": "x", "Arn": 1, "FeatureSet": "SOME"}, "Extra": 1});
    conforms(shape, &wrong, "", &mut problems);
    assert_eq!(problems.len(), 4, "{problems:#?}");

    let api = Api::new();
    let mgmt = "111111111111";
    api.call(mgmt, "CreateOrganization", json!({})).await;
    api.call(mgmt, "DescribeOrganization", json!({})).await;
    let roots = api.call(mgmt, "ListRoots", json!({})).await;
    let root = roots["Roots"][0]["Id"].as_str().unwrap().to_string();
    let ou = api
        .call(
            mgmt,
            "CreateOrganizationalUnit",
            json!({"ParentId": root, "Name": "prod", "Tags": [{"Key": "k", "Value": "v"}]}),
        )
        .await;
    let ou = ou["OrganizationalUnit"]["Id"].as_str().unwrap().to_string();
    api.call(
        mgmt,
        "UpdateOrganizationalUnit",
        json!({"OrganizationalUnitId": ou, "Name": "production"}),
    )
    .await;
    api.call(
        mgmt,
        "DescribeOrganizationalUnit",
        json!({"OrganizationalUnitId": ou}),
    )
    .await;
    let status = api
        .call(
            mgmt,
            "CreateAccount",
            json!({"Email": "dev@example.com", "AccountName": "dev"}),
        )
        .await;
    let request = status["CreateAccountStatus"]["Id"].as_str().unwrap();
    let status = api
        .call(
            mgmt,
            "DescribeCreateAccountStatus",
            json!({"CreateAccountRequestId": request}),
        )
        .await;
    let account = status["CreateAccountStatus"]["AccountId"]
        .as_str()
        .unwrap()
        .to_string();
    let page = api
        .call(mgmt, "ListAccounts", json!({"MaxResults": 1}))
        .await;
    let principal = "config.amazonaws.com";
    let statement = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
        "Action": "organizations:DescribeOrganization", "Resource": "*"}]});
    api.calls(
        mgmt,
        [
            (
                "ListAccounts",
                json!({"MaxResults": 1, "NextToken": page["NextToken"]}),
            ),
            ("ListCreateAccountStatus", json!({"MaxResults": 1})),
            ("DescribeAccount", json!({"AccountId": account})),
            (
                "MoveAccount",
                json!({"AccountId": account, "SourceParentId": root, "DestinationParentId": ou}),
            ),
            ("ListAccountsForParent", json!({"ParentId": ou})),
            (
                "ListChildren",
                json!({"ParentId": root, "ChildType": "ORGANIZATIONAL_UNIT"}),
            ),
            (
                "ListOrganizationalUnitsForParent",
                json!({"ParentId": root}),
            ),
            ("ListParents", json!({"ChildId": account})),
            (
                "TagResource",
                json!({"ResourceId": account, "Tags": [{"Key": "team", "Value": "a"}]}),
            ),
            ("ListTagsForResource", json!({"ResourceId": account})),
            (
                "EnableAWSServiceAccess",
                json!({"ServicePrincipal": principal}),
            ),
            ("ListAWSServiceAccessForOrganization", json!({})),
            (
                "RegisterDelegatedAdministrator",
                json!({"AccountId": account, "ServicePrincipal": principal}),
            ),
            ("ListDelegatedAdministrators", json!({})),
            (
                "ListDelegatedServicesForAccount",
                json!({"AccountId": account}),
            ),
            (
                "PutResourcePolicy",
                json!({"Content": statement.to_string()}),
            ),
            ("DescribeResourcePolicy", json!({})),
            (
                "ListOutboundResponsibilityTransfers",
                json!({"Type": "BILLING"}),
            ),
            (
                "ListInboundResponsibilityTransfers",
                json!({"Type": "BILLING"}),
            ),
        ],
    )
    .await;

    let target = json!({"Target": {"Id": "222222222222", "Type": "ACCOUNT"}, "Notes": "hi"});
    let h = api.call(mgmt, "InviteAccountToOrganization", target).await;
    let h = h["Handshake"]["Id"].as_str().unwrap().to_string();
    api.calls(
        mgmt,
        [
            ("DescribeHandshake", json!({"HandshakeId": h})),
            ("ListHandshakesForOrganization", json!({})),
        ],
    )
    .await;
    api.calls(
        "222222222222",
        [
            ("ListHandshakesForAccount", json!({})),
            ("AcceptHandshake", json!({"HandshakeId": h})),
        ],
    )
    .await;

    let ty = "TAG_POLICY";
    api.call(
        mgmt,
        "EnablePolicyType",
        json!({"RootId": root, "PolicyType": ty}),
    )
    .await;
    let content = r#"{"tags": {"team": {"tag_key": {"@@assign": "team"}}}}"#;
    let create = json!({"Type": ty, "Name": "tags", "Description": "d", "Content": content});
    let policy = api.call(mgmt, "CreatePolicy", create).await;
    let policy = policy["Policy"]["PolicySummary"]["Id"].as_str().unwrap();
    api.calls(
        mgmt,
        [
            ("DescribePolicy", json!({"PolicyId": policy})),
            (
                "UpdatePolicy",
                json!({"PolicyId": policy, "Description": "e"}),
            ),
            ("AttachPolicy", json!({"PolicyId": policy, "TargetId": ou})),
            ("ListPolicies", json!({"Filter": ty})),
            (
                "ListPoliciesForTarget",
                json!({"TargetId": ou, "Filter": ty}),
            ),
            ("ListTargetsForPolicy", json!({"PolicyId": policy})),
            (
                "DescribeEffectivePolicy",
                json!({"PolicyType": ty, "TargetId": account}),
            ),
            (
                "ListAccountsWithInvalidEffectivePolicy",
                json!({"PolicyType": ty}),
            ),
            (
                "ListEffectivePolicyValidationErrors",
                json!({"AccountId": account, "PolicyType": ty}),
            ),
        ],
    )
    .await;
}
