//! The policies work of the Huawei API through raw HTTP against the in-process server: policies,
//! policy types and attachments, SCP dry-run, both tagging families, tag-based queries, effective
//! tag policies and the tag-policy service catalogue: success shapes, the errors users meet, and
//! paging.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use orgd::{ServeConfig, Server};
use serde_json::{Value, json};

/// The management account of the test organization (a Huawei domain id).
const MGMT: &str = "0a6d25d23900d45c0faac010e0fb4de0";

const ALLOW_ALL: &str = r#"{"Version":"5.0","Statement":[{"Effect":"Allow","Action":["*"]}]}"#;
const DENY_ECS_DELETE: &str =
    r#"{"Version":"5.0","Statement":[{"Effect":"Deny","Action":["ecs:cloudServers:delete"]}]}"#;
const TAG_POLICY: &str = r#"{"tags":{"costcenter":{"tag_key":{"@@assign":"CostCenter"},"tag_value":{"@@assign":["A","B"]}}}}"#;

/// One answer: status and the JSON body (`Value::Null` when empty).
struct Answer {
    status: u16,
    body: Value,
    raw: String,
}

impl Answer {
    #[track_caller]
    fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "answer: {}", self.raw);
        &self.body
    }

    #[track_caller]
    fn refused(&self, status: u16, code: &str) {
        assert_eq!(
            (
                self.status,
                self.body["error_code"].as_str().unwrap_or_default()
            ),
            (status, code),
            "answer: {}",
            self.raw
        );
        assert!(
            self.body["error_msg"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
}

struct Api {
    server: Server,
}

impl Api {
    async fn start() -> Api {
        let server = Server::start(&ServeConfig::ephemeral())
            .await
            .expect("orgd starts");
        Api { server }
    }

    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let stream = tokio::net::TcpStream::connect(self.server.addr)
            .await
            .unwrap();
        let (mut sender, conn) = http1::handshake(TokioIo::new(stream)).await.unwrap();
        tokio::spawn(conn);
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let req = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.server.addr.to_string())
            .header("content-type", "application/json")
            .header("x-domain-id", MGMT)
            .body(Full::new(Bytes::from(body)))
            .unwrap();
        let res = sender.send_request(req).await.unwrap();
        let status = res.status().as_u16();
        let raw = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
            raw: String::from_utf8_lossy(&raw).into_owned(),
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send("GET", path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Answer {
        self.send("POST", path, Some(body)).await
    }

    /// An organization of MGMT; its root id.
    async fn org(&self) -> String {
        self.send("POST", "/v1/organizations", None).await.ok(201);
        let roots = self.get("/v1/organizations/roots").await;
        roots.ok(200)["roots"][0]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn enable(&self, root: &str, ty: &str) -> Value {
        let a = self
            .post(
                "/v1/organizations/policies/enable",
                json!({"root_id": root, "policy_type": ty}),
            )
            .await;
        a.ok(202).clone()
    }

    async fn create(&self, path: &str, name: &str, ty: &str, content: &str) -> Answer {
        self.post(
            path,
            json!({"name": name, "description": "d", "type": ty, "content": content}),
        )
        .await
    }

    async fn policy(&self, name: &str, ty: &str, content: &str) -> String {
        let a = self
            .create("/v1/organizations/policies", name, ty, content)
            .await;
        a.ok(201)["policy"]["policy_summary"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

fn ids(list: &Value, member: &str) -> Vec<String> {
    list[member]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn scps_in_huaweis_language_from_creation_to_deletion() {
    let api = Api::start().await;
    let root = api.org().await;
    let r = api.enable(&root, "service_control_policy").await;
    assert_eq!(
        r["root"]["policy_types"],
        json!([{"type": "service_control_policy", "status": "enabled"}])
    );
    // The built-in FullAccess SCP is listed and attached to the root.
    let list = api.get("/v1/organizations/policies").await;
    let builtin = &list.ok(200)["policies"][0];
    assert_eq!(builtin["id"], "p-FullAccess");
    assert_eq!(builtin["is_builtin"], true);
    assert_eq!(builtin["type"], "service_control_policy");
    let on_root = api
        .get(&format!(
            "/v1/organizations/policies?attached_entity_id={root}"
        ))
        .await;
    assert_eq!(ids(on_root.ok(200), "policies"), ["p-FullAccess"]);

    // AWS's grammar is refused; Huawei's "5.0" is accepted.
    let aws =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
    api.create(
        "/v1/organizations/policies",
        "aws",
        "service_control_policy",
        aws,
    )
    .await
    .refused(400, "Organizations.1608");
    let created = api
        .create(
            "/v1/organizations/policies",
            "no-delete",
            "service_control_policy",
            DENY_ECS_DELETE,
        )
        .await;
    let p = created.ok(201)["policy"].clone();
    assert_eq!(p["content"], DENY_ECS_DELETE);
    let s = &p["policy_summary"];
    assert_eq!(
        (&s["name"], &s["description"], &s["type"], &s["is_builtin"]),
        (
            &json!("no-delete"),
            &json!("d"),
            &json!("service_control_policy"),
            &json!(false)
        )
    );
    let id = s["id"].as_str().unwrap().to_string();
    assert!(
        s["urn"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/service_control_policy/{id}"))
    );
    // Names are unique; the built-in one's too.
    api.create(
        "/v1/organizations/policies",
        "no-delete",
        "service_control_policy",
        ALLOW_ALL,
    )
    .await
    .refused(409, "Organizations.1602");
    api.create(
        "/v1/organizations/policies",
        "FullAccess",
        "service_control_policy",
        ALLOW_ALL,
    )
    .await
    .refused(409, "Organizations.1602");

    let path = format!("/v1/organizations/policies/{id}");
    let shown = api.get(&path).await;
    assert_eq!(shown.ok(200)["policy"], p);
    let updated = api
        .send("PATCH", &path, Some(json!({"description": "changed"})))
        .await;
    assert_eq!(
        updated.ok(200)["policy"]["policy_summary"]["description"],
        "changed"
    );
    assert_eq!(updated.body["policy"]["content"], DENY_ECS_DELETE);
    api.send(
        "PATCH",
        "/v1/organizations/policies/p-FullAccess",
        Some(json!({"name": "x"})),
    )
    .await
    .refused(400, "Organizations.1613");

    api.post(&format!("{path}/attach"), json!({"entity_id": MGMT}))
        .await
        .ok(200);
    api.post(&format!("{path}/attach"), json!({"entity_id": MGMT}))
        .await
        .refused(409, "Organizations.1604");
    let targets = api.get(&format!("{path}/attached-entities")).await;
    let t = &targets.ok(200)["attached_entities"];
    assert_eq!(
        (&t[0]["id"], &t[0]["type"]),
        (&json!(MGMT), &json!("account"))
    );
    assert_eq!(t.as_array().unwrap().len(), 1);
    let on_account = api
        .get(&format!(
            "/v1/organizations/policies?attached_entity_id={MGMT}"
        ))
        .await;
    // In id order, as every listing.
    let mut expected = vec!["p-FullAccess".to_string(), id.clone()];
    expected.sort();
    assert_eq!(ids(on_account.ok(200), "policies"), expected);
    api.send("DELETE", &path, None)
        .await
        .refused(400, "Organizations.1603");
    api.post(&format!("{path}/detach"), json!({"entity_id": MGMT}))
        .await
        .ok(200);
    api.post(&format!("{path}/detach"), json!({"entity_id": MGMT}))
        .await
        .refused(400, "Organizations.1605");
    assert_eq!(api.send("DELETE", &path, None).await.status, 204);
    api.get(&path).await.refused(404, "Organizations.1601");
}

#[tokio::test]
async fn policy_requests_users_get_wrong() {
    let api = Api::start().await;
    let root = api.org().await;
    // A type Huawei does not have, a missing member, an over-long name.
    api.create(
        "/v1/organizations/policies",
        "x",
        "backup_policy",
        ALLOW_ALL,
    )
    .await
    .refused(400, "Organizations.1016");
    api.post(
        "/v1/organizations/policies",
        json!({"name": "x", "type": "tag_policy"}),
    )
    .await
    .refused(400, "Organizations.1016");
    api.create(
        "/v1/organizations/policies",
        &"n".repeat(65),
        "service_control_policy",
        ALLOW_ALL,
    )
    .await
    .refused(400, "Organizations.1016");
    // Attaching before the type is enabled; a target that does not exist.
    let p = api.policy("p", "service_control_policy", ALLOW_ALL).await;
    api.post(
        &format!("/v1/organizations/policies/{p}/attach"),
        json!({"entity_id": root}),
    )
    .await
    .refused(400, "Organizations.1607");
    api.enable(&root, "service_control_policy").await;
    api.post(
        &format!("/v1/organizations/policies/{p}/attach"),
        json!({"entity_id": "ou-doesnotexist00000000000000000000"}),
    )
    .await
    .refused(404, "Organizations.1701");
    // Enabling twice; detaching the root's last SCP.
    api.post(
        "/v1/organizations/policies/enable",
        json!({"root_id": root, "policy_type": "service_control_policy"}),
    )
    .await
    .refused(409, "Organizations.1606");
    api.post(
        "/v1/organizations/policies/p-FullAccess/detach",
        json!({"entity_id": root}),
    )
    .await
    .refused(400, "Organizations.1612");
    // Content over Huawei's 20,000 characters.
    let long = format!("{ALLOW_ALL}{}", " ".repeat(20_000));
    api.create(
        "/v1/organizations/policies",
        "long",
        "service_control_policy",
        &long,
    )
    .await
    .refused(400, "Organizations.1610");
    // Disabling detaches every SCP and lists the type no more.
    let r = api
        .post(
            "/v1/organizations/policies/disable",
            json!({"root_id": root, "policy_type": "service_control_policy"}),
        )
        .await;
    assert_eq!(r.ok(202)["root"]["policy_types"], json!([]));
    let on_root = api
        .get(&format!(
            "/v1/organizations/policies?attached_entity_id={root}"
        ))
        .await;
    assert!(ids(on_root.ok(200), "policies").is_empty());
}

#[tokio::test]
async fn policy_listings_page_with_markers() {
    let api = Api::start().await;
    let root = api.org().await;
    api.enable(&root, "tag_policy").await;
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(api.policy(&format!("t{i}"), "tag_policy", TAG_POLICY).await);
    }
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let path = match &marker {
            None => "/v1/organizations/policies?limit=2".to_string(),
            Some(m) => format!("/v1/organizations/policies?limit=2&marker={m}"),
        };
        let page = api.get(&path).await;
        let body = page.ok(200);
        let got = ids(body, "policies");
        assert_eq!(body["page_info"]["current_count"], got.len());
        assert!(got.len() <= 2);
        seen.extend(got);
        match body["page_info"]["next_marker"].as_str() {
            Some(m) => marker = Some(m.to_string()),
            None => break,
        }
    }
    // Every policy exactly once, the built-in SCP among them (listed whatever is enabled, as
    // AWS lists FullAWSAccess).
    made.push("p-FullAccess".to_string());
    made.sort();
    assert_eq!(seen, made);
    api.get("/v1/organizations/policies?limit=0")
        .await
        .refused(400, "Organizations.1016");
    api.get("/v1/organizations/policies?limit=2001")
        .await
        .refused(400, "Organizations.1016");
}

#[tokio::test]
async fn dry_run_policies_are_attached_like_scps_but_listed_apart() {
    let api = Api::start().await;
    let root = api.org().await;
    let config = format!(
        "/v1/organizations/dry-run-config?root_id={root}&policy_type=service_control_policy"
    );
    let c = api.get(&config).await;
    let c = &c.ok(200)["root"];
    assert_eq!(
        (&c["root_id"], &c["status"]),
        (&json!(root), &json!("disabled"))
    );
    assert_eq!(c["policy_type"], "service_control_policy");

    let created = api
        .create(
            "/v1/organizations/dry-run-policies",
            "sim",
            "service_control_policy",
            DENY_ECS_DELETE,
        )
        .await;
    let id = created.ok(201)["policy"]["policy_summary"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.create(
        "/v1/organizations/dry-run-policies",
        "t",
        "tag_policy",
        TAG_POLICY,
    )
    .await
    .refused(400, "Organizations.1617");
    let path = format!("/v1/organizations/dry-run-policies/{id}");
    // Attaching needs dry-run enabled in the root.
    api.post(&format!("{path}/attach"), json!({"entity_id": MGMT}))
        .await
        .refused(400, "Organizations.1616");
    let c = api
        .post(
            "/v1/organizations/dry-run-config",
            json!({"root_id": root, "policy_type": "service_control_policy", "status": "enabled",
                   "bucket_name": "logs", "region_id": "cn-north-4", "agency_name": "org-agency"}),
        )
        .await;
    let c = &c.ok(200)["root"];
    assert_eq!(
        (
            &c["status"],
            &c["bucket_name"],
            &c["region_id"],
            &c["agency_name"]
        ),
        (
            &json!("enabled"),
            &json!("logs"),
            &json!("cn-north-4"),
            &json!("org-agency")
        )
    );
    assert!(c.get("bucket_prefix").is_none());
    api.post(&format!("{path}/attach"), json!({"entity_id": MGMT}))
        .await
        .ok(200);
    let targets = api.get(&format!("{path}/attached-entities")).await;
    assert_eq!(targets.ok(200)["attached_entities"][0]["type"], "account");

    // The dry-run family and the policy family do not see each other's policies.
    let dry = api.get("/v1/organizations/dry-run-policies").await;
    assert_eq!(ids(dry.ok(200), "policies"), [id.as_str()]);
    let real = api.get("/v1/organizations/policies").await;
    assert!(!ids(real.ok(200), "policies").contains(&id));
    api.get(&format!("/v1/organizations/policies/{id}"))
        .await
        .refused(404, "Organizations.1601");
    let on_account = api
        .get(&format!(
            "/v1/organizations/dry-run-policies?attached_entity_id={MGMT}"
        ))
        .await;
    assert_eq!(ids(on_account.ok(200), "policies"), [id.as_str()]);

    // What it would have denied: its Deny statement naming the action, attached to the account.
    let denials = api
        .get(&format!(
            "/_orgd/dry-run-denials?account_id={MGMT}&action=ecs:cloudServers:delete"
        ))
        .await;
    assert_eq!(
        denials.ok(200)["denials"],
        json!([{"policy_id": id, "policy_name": "sim", "attached_to": MGMT, "statement": 0,
                "conditional": false, "narrowed": false}])
    );
    let none = api
        .get(&format!(
            "/_orgd/dry-run-denials?account_id={MGMT}&action=ecs:cloudServers:create"
        ))
        .await;
    assert_eq!(none.ok(200)["denials"], json!([]));
    assert_eq!(
        api.get("/_orgd/dry-run-denials?action=x:y:z").await.status,
        400
    );

    let updated = api
        .send("PATCH", &path, Some(json!({"name": "sim2"})))
        .await;
    assert_eq!(updated.ok(200)["policy"]["policy_summary"]["name"], "sim2");
    api.send("DELETE", &path, None)
        .await
        .refused(400, "Organizations.1603");
    // Turning dry-run off detaches it; then it can go.
    let off = api
        .post(
            "/v1/organizations/dry-run-config",
            json!({"root_id": root, "policy_type": "service_control_policy", "status": "disabled"}),
        )
        .await;
    assert_eq!(off.ok(200)["root"]["bucket_name"], "logs");
    let targets = api.get(&format!("{path}/attached-entities")).await;
    assert_eq!(targets.ok(200)["attached_entities"], json!([]));
    assert_eq!(api.send("DELETE", &path, None).await.status, 204);
    api.get(&path).await.refused(404, "Organizations.1601");
}

#[tokio::test]
async fn both_tag_families_reach_the_same_tags() {
    let api = Api::start().await;
    let root = api.org().await;
    api.post(
        &format!("/v1/organizations/resources/{root}/tag"),
        json!({"tags": [{"key": "env", "value": "prod"}, {"key": "team", "value": ""}]}),
    )
    .await
    .ok(200);
    let tms = format!("/v1/organizations/organizations%3Aroots/{root}/tags");
    let listed = api.get(&tms).await;
    assert_eq!(
        listed.ok(200)["tags"],
        json!([{"key": "env", "value": "prod"}, {"key": "team", "value": ""}])
    );
    api.post(
        &format!("/v1/organizations/organizations%3Aroots/{root}/tags/create"),
        json!({"tags": [{"key": "cost", "value": "1"}]}),
    )
    .await
    .ok(200);
    // TMS removal names whole tags: a value that differs leaves the tag.
    api.post(
        &format!("/v1/organizations/organizations%3Aroots/{root}/tags/delete"),
        json!({"tags": [{"key": "env", "value": "dev"}, {"key": "cost", "value": "1"}]}),
    )
    .await
    .ok(200);
    api.post(
        &format!("/v1/organizations/resources/{root}/untag"),
        json!({"tag_keys": ["team"]}),
    )
    .await
    .ok(200);
    let listed = api
        .get(&format!("/v1/organizations/resources/{root}/tags"))
        .await;
    assert_eq!(
        listed.ok(200)["tags"],
        json!([{"key": "env", "value": "prod"}])
    );
    assert_eq!(listed.body["page_info"]["next_marker"], Value::Null);

    // The type must be the resource's; an unknown type is a 400; an unknown id a 404.
    api.get(&format!(
        "/v1/organizations/organizations%3Aaccounts/{root}/tags"
    ))
    .await
    .refused(404, "Organizations.1701");
    api.get(&format!(
        "/v1/organizations/organizations%3Avpcs/{root}/tags"
    ))
    .await
    .refused(400, "Organizations.1016");
    api.get("/v1/organizations/resources/r-nothere00000/tags")
        .await
        .refused(404, "Organizations.1701");
    api.post(
        &format!("/v1/organizations/resources/{root}/tag"),
        json!({}),
    )
    .await
    .refused(400, "Organizations.1016");
}

#[tokio::test]
async fn a_resources_tags_page_with_markers() {
    let api = Api::start().await;
    let root = api.org().await;
    let tags: Vec<Value> = (0..5)
        .map(|i| json!({"key": format!("k{i}"), "value": "v"}))
        .collect();
    api.post(
        &format!("/v1/organizations/resources/{root}/tag"),
        json!({ "tags": tags }),
    )
    .await
    .ok(200);
    let first = api
        .get(&format!("/v1/organizations/resources/{root}/tags?limit=3"))
        .await;
    let first = first.ok(200).clone();
    assert_eq!(first["page_info"]["current_count"], 3);
    let marker = first["page_info"]["next_marker"].as_str().unwrap();
    let rest = api
        .get(&format!(
            "/v1/organizations/resources/{root}/tags?limit=3&marker={marker}"
        ))
        .await;
    assert_eq!(
        rest.ok(200)["tags"],
        json!([{"key": "k3", "value": "v"}, {"key": "k4", "value": "v"}])
    );
    assert_eq!(rest.body["page_info"]["next_marker"], Value::Null);
}

#[tokio::test]
async fn resource_instances_are_selected_by_tags_and_names_with_offset_paging() {
    let api = Api::start().await;
    api.org().await;
    let mut ous = Vec::new();
    for (name, env) in [
        ("web", "prod"),
        ("api", "prod"),
        ("lab", "dev"),
        ("bare", ""),
    ] {
        let id = api.policy(name, "service_control_policy", ALLOW_ALL).await;
        if !env.is_empty() {
            api.post(
                &format!("/v1/organizations/resources/{id}/tag"),
                json!({"tags": [{"key": "env", "value": env}]}),
            )
            .await
            .ok(200);
        }
        ous.push(id);
    }
    // Policies: the resources of this test (the four above).
    let filter = "/v1/organizations/organizations%3Apolicies/resource-instances/filter";
    let count = "/v1/organizations/organizations%3Apolicies/resource-instances/count";
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["resource_name"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    let prod = json!({"tags": [{"key": "env", "values": ["prod"]}]});
    let a = api.post(filter, prod.clone()).await;
    assert_eq!(names(a.ok(200)), ["api", "web"]);
    assert_eq!(a.body["total_count"], 2);
    let r = &a.body["resources"][0];
    assert_eq!(r["tags"], json!([{"key": "env", "value": "prod"}]));
    assert_eq!(api.post(count, prod).await.ok(200)["total_count"], 2);

    let either = json!({"tags": [{"key": "env", "values": ["prod", "dev"]}]});
    assert_eq!(
        names(api.post(filter, either).await.ok(200)),
        ["api", "lab", "web"]
    );
    let untagged = json!({"without_any_tag": true});
    assert_eq!(names(api.post(filter, untagged).await.ok(200)), ["bare"]);
    let by_name = json!({"matches": [{"key": "policy", "value": "A"}]});
    assert_eq!(
        names(api.post(filter, by_name).await.ok(200)),
        ["api", "bare", "lab"]
    );
    assert_eq!(api.post(count, json!({})).await.ok(200)["total_count"], 4);

    // Offset paging: pages of two cover the four once, each with the total.
    let mut seen = Vec::new();
    for offset in [0, 2, 4] {
        let page = api
            .post(&format!("{filter}?limit=2&offset={offset}"), json!({}))
            .await;
        assert_eq!(page.ok(200)["total_count"], 4);
        for r in page.body["resources"].as_array().unwrap() {
            seen.push(r["resource_id"].as_str().unwrap().to_string());
        }
    }
    ous.sort();
    assert_eq!(seen, ous);

    // The keys and values in use.
    let used = api
        .get("/v1/organizations/organizations%3Apolicies/tags")
        .await;
    assert_eq!(
        used.ok(200)["tags"],
        json!([{"key": "env", "values": ["dev", "prod"]}])
    );

    // Filters users get wrong.
    for bad in [
        json!({"matches": [{"key": "account", "value": "a"}]}),
        json!({"tags": [{"key": "env", "values": ["a"]}, {"key": "env", "values": ["b"]}]}),
        json!({"tags": [{"key": "", "values": []}]}),
        json!({"tags": (0..11).map(|i| json!({"key": format!("k{i}"), "values": []})).collect::<Vec<_>>()}),
        json!({"without_any_tag": "yes"}),
    ] {
        api.post(filter, bad)
            .await
            .refused(400, "Organizations.1016");
    }
    api.post(&format!("{filter}?offset=x"), json!({}))
        .await
        .refused(400, "Organizations.1016");
}

#[tokio::test]
async fn effective_tag_policies_of_accounts() {
    let api = Api::start().await;
    let root = api.org().await;
    api.enable(&root, "tag_policy").await;
    let p = api.policy("cost", "tag_policy", TAG_POLICY).await;
    api.post(
        &format!("/v1/organizations/policies/{p}/attach"),
        json!({"entity_id": root}),
    )
    .await
    .ok(200);
    let e = api
        .get(&format!(
            "/v1/organizations/entities/effective-policies?entity_id={MGMT}&policy_type=tag_policy"
        ))
        .await;
    let e = e.ok(200);
    assert_eq!(
        (&e["entity_id"], &e["policy_type"]),
        (&json!(MGMT), &json!("tag_policy"))
    );
    let content: Value = serde_json::from_str(e["policy_content"].as_str().unwrap()).unwrap();
    assert_eq!(content["tags"]["costcenter"]["tag_key"], "CostCenter");
    assert!(e["last_updated_at"].as_str().unwrap().ends_with('Z'));
    // Roots and SCPs have none.
    api.get(&format!(
        "/v1/organizations/entities/effective-policies?entity_id={root}&policy_type=tag_policy"
    ))
    .await
    .refused(400, "Organizations.1615");
    api.get(&format!(
        "/v1/organizations/entities/effective-policies?entity_id={MGMT}&policy_type=service_control_policy"
    ))
    .await
    .refused(400, "Organizations.1615");
    api.get("/v1/organizations/entities/effective-policies?policy_type=tag_policy")
        .await
        .refused(400, "Organizations.1016");
}

#[tokio::test]
async fn the_tag_policy_service_catalogue() {
    let api = Api::start().await;
    let a = api.get("/v1/organizations/tag-policy-services").await;
    let services = a.ok(200)["services"].as_array().unwrap().clone();
    assert!(!services.is_empty());
    for s in &services {
        assert!(s["service_name"].is_string());
        assert!(
            s["resource_types"]
                .as_array()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(s["support_all"].is_boolean());
    }
    assert!(services.iter().any(|s| {
        s["service_name"] == "ces"
            && s["resource_types"]
                .as_array()
                .unwrap()
                .contains(&json!("alarm"))
    }));
}
