//! The AWS JSON 1.1 adapter: decodes a request, identifies the caller, calls the domain through
//! the engine and encodes the answer. `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`.

pub mod arn;
mod errors;
pub mod guard;
pub mod identity;
mod input;
pub(crate) mod model;
#[cfg(test)]
mod output_tests;
pub mod partition;
mod session;
pub mod sigv4;
mod sts;
mod tagging;
mod token;
mod wire;

use std::sync::Arc;

use orgd_domain::OrgError;
use orgd_domain::access::Operation;
use orgd_domain::ids::IdSource;
use orgd_domain::model::{CreateAccountState, FeatureSet, Kind};
use orgd_domain::ops::{self, ChildType, Ctx, Page, PageRequest, Write};
use serde_json::{Map, Value, json};

use crate::engine::Engine;
use crate::throttle::Throttle;
use input::Input;
use tagging::TaggingError;
pub use wire::WireError;

pub const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The service name in the credential scope of a signed request.
pub const SIGNING_NAME: &str = "organizations";

/// The operations of the other AWS services orgd answers on its endpoint (STS and the Resource
/// Groups Tagging API), by name.
pub const OTHER_OPERATIONS: &[&str] = &[
    "GetCallerIdentity",
    "AssumeRole",
    "GetResources",
    "GetTagKeys",
    "GetTagValues",
    "TagResources",
    "UntagResources",
];

/// AWS has no dry-run policies: its policy operations are on the enforced ones.
const ENFORCED: ops::PolicyMode = ops::PolicyMode::Enforced;

/// The largest request body orgd reads. The largest legal input of the model is far smaller: its
/// longest bounded members are a `NextToken` (100,000 characters) and a resource policy (40,000),
/// and a policy document's quota is 10,240 characters (even at six bytes a character, as JSON
/// `\uXXXX` escapes, under 300 KB in all). 1 MiB leaves room for over-quota policy documents to get
/// their own `POLICY_CONTENT_LIMIT_EXCEEDED`, and refuses anything larger unread.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How the adapter decides who calls.
pub enum Auth {
    /// The access key names the account (12 digits) or the default account; signatures are
    /// parsed, not verified.
    AccessKey { default_account: String },
    /// Every request's SigV4 signature is verified against these keys.
    SigV4(Arc<crate::signing::KeyRing>),
}

/// The AWS Organizations API over one engine.
pub struct AwsApi {
    engine: Arc<Engine>,
    auth: Auth,
    throttle: Throttle,
}

/// An operation's answer: a JSON tree, or JSON already serialized (the hot reads).
enum Answer {
    Tree(Value),
    Json(Vec<u8>),
}

impl Answer {
    fn json(v: &impl serde::Serialize) -> Answer {
        Answer::Json(serde_json::to_vec(v).unwrap_or_default())
    }

    /// A page of accounts (ListAccounts, ListAccountsForParent).
    fn accounts(page: wire::Listed<ops::AccountView>, partition: &str) -> Answer {
        Answer::json(&wire::Listed {
            member: page.member,
            items: page
                .items
                .iter()
                .map(|a| wire::Account::of(a, partition))
                .collect(),
            next: page.next,
        })
    }
}

/// What the HTTP layer needs to answer and log a request.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// JSON 1.1 for Organizations and the tagging API, XML for STS (the Query protocol).
    pub content_type: &'static str,
    pub operation: Option<&'static str>,
    pub caller: Option<String>,
    pub error: Option<String>,
}

/// The parts of an HTTP request the adapter reads.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a axum::http::HeaderMap,
    pub body: &'a [u8],
    /// The id the answer carries (STS puts it in the XML body too).
    pub request_id: &'a str,
    /// The address the request came from (`aws:SourceIp`), when the server knows it.
    pub peer: Option<std::net::IpAddr>,
}

impl Request<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Reply {
    /// The answer to a request refused before it reached an operation.
    pub fn error(e: WireError) -> Self {
        Reply {
            status: e.status(),
            body: serde_json::to_vec(&e.body()).unwrap_or_default(),
            content_type: CONTENT_TYPE,
            operation: None,
            caller: None,
            error: Some(e.code().to_string()),
        }
    }
}

impl AwsApi {
    pub fn new(engine: Arc<Engine>, auth: Auth, throttle: Throttle) -> Self {
        AwsApi {
            engine,
            auth,
            throttle,
        }
    }

    pub async fn handle(&self, req: Request<'_>) -> Reply {
        if sts::is_query(req.header("content-type")) {
            return self.handle_query(&req).await;
        }
        let tagging_op = req
            .header("x-amz-target")
            .and_then(|t| t.strip_prefix(tagging::TARGET_PREFIX))
            .and_then(|op| tagging::OPERATIONS.iter().find(|o| **o == op));
        if let Some(op) = tagging_op {
            return self.handle_tagging(&req, op).await;
        }
        let mut reply = Reply {
            status: 200,
            body: Vec::new(),
            content_type: CONTENT_TYPE,
            operation: None,
            caller: None,
            error: None,
        };
        let result = self.serve(&req, &mut reply).await;
        match result {
            Ok(Answer::Tree(v)) => reply.body = serde_json::to_vec(&v).unwrap_or_default(),
            Ok(Answer::Json(body)) => reply.body = body,
            Err(e) => {
                reply.status = e.status();
                reply.error = Some(e.code().to_string());
                reply.body = serde_json::to_vec(&e.body()).unwrap_or_default();
            }
        }
        reply
    }

    /// Who calls, from the request's SigV4 fields (read once, verified in strict mode) for
    /// `service` (the credential scope's): a configured or account-named key, or temporary
    /// credentials that STS `AssumeRole` issued (their session token says whose).
    fn caller(&self, req: &Request, service: &str) -> Result<Principal, sigv4::SigError> {
        let claim = sigv4::claim(req.headers, req.query)?;
        let partition = arn::partition_of(&claim.scope.region);
        let signed = sigv4::SignedRequest {
            method: req.method,
            path: req.path,
            query: req.query,
            headers: req.headers,
            body: req.body,
        };
        // Signatures are checked against wall time, not the movable test clock; sessions expire
        // on orgd's clock, so tests can move past their end.
        let wall = std::time::SystemTime::now();
        if let Some(token) = &claim.security_token {
            let key = self.engine.token_key();
            let opened = session::open(&key, token, self.engine.clock().now());
            let strict = matches!(self.auth, Auth::SigV4(_));
            match opened {
                Ok(s) if s.access_key_id == claim.access_key => {
                    if strict {
                        let secret = session::secret_for(&key, &s.access_key_id);
                        sigv4::verify_secret(&secret, &claim, &signed, service, wall)?;
                    }
                    return Ok(Principal {
                        arn: arn::assumed_role(
                            partition,
                            &s.account_id,
                            &s.role_name,
                            &s.session_name,
                        ),
                        user_id: format!(
                            "{}:{}",
                            session::role_id(&s.account_id, &s.role_name),
                            s.session_name
                        ),
                        account: s.account_id,
                        region: claim.scope.region,
                    });
                }
                Err(session::TokenError::Expired) => return Err(sigv4::SigError::TokenExpired),
                // In the default mode a token orgd did not issue (a real AWS session's, left in
                // the environment) is ignored, as signatures are; strict mode refuses it.
                _ if strict => return Err(sigv4::SigError::UnknownKey),
                _ => {}
            }
        }
        let (account, principal_arn) = match &self.auth {
            Auth::AccessKey { default_account } => (
                identity::account_for_key(&claim.access_key, default_account),
                None,
            ),
            Auth::SigV4(keys) => {
                let key = sigv4::verify(keys, &claim, &signed, service, wall)?;
                (key.account_id.clone(), key.principal_arn.clone())
            }
        };
        // A configured principal is a user or role of the account; otherwise the account's own
        // key acts as its root user, whose unique id is the account id.
        let (arn, user_id) = match principal_arn {
            Some(arn) => (arn, claim.access_key.clone()),
            None => (arn::iam_root(partition, &account), account.clone()),
        };
        Ok(Principal {
            account,
            region: claim.scope.region,
            arn,
            user_id,
        })
    }

    /// An STS request (Query protocol): answered in XML, errors included.
    async fn handle_query(&self, req: &Request<'_>) -> Reply {
        let params = sts::params(req.body, req.query);
        let mut reply = Reply {
            status: 200,
            body: Vec::new(),
            content_type: sts::CONTENT_TYPE,
            operation: None,
            caller: None,
            error: None,
        };
        match self.serve_query(req, &params, &mut reply).await {
            Ok(body) => reply.body = body,
            Err(e) => {
                reply.status = e.status;
                reply.body = e.body(req.request_id);
                reply.error = Some(e.code);
            }
        }
        reply
    }

    async fn serve_query(
        &self,
        req: &Request<'_>,
        params: &std::collections::BTreeMap<String, String>,
        reply: &mut Reply,
    ) -> Result<Vec<u8>, sts::QueryError> {
        let principal = self
            .caller(req, sts::SIGNING_NAME)
            .map_err(|e| sts::QueryError::signature(&e))?;
        reply.caller = Some(principal.account.clone());
        if !self
            .throttle
            .admit(&principal.account, std::time::Instant::now())
        {
            return Err(sts::QueryError {
                status: 400,
                code: "Throttling".into(),
                message: "Rate exceeded".into(),
                sender: true,
            });
        }
        let action = params.get("Action").map(String::as_str).unwrap_or_default();
        match action {
            "GetCallerIdentity" => {
                reply.operation = Some("GetCallerIdentity");
                Ok(sts::caller_identity(
                    req.request_id,
                    &sts::Identity {
                        user_id: &principal.user_id,
                        account: &principal.account,
                        arn: &principal.arn,
                    },
                ))
            }
            "AssumeRole" => {
                reply.operation = Some("AssumeRole");
                self.assume_role(req, params, &principal).await
            }
            other => Err(sts::QueryError::unknown_action(other)),
        }
    }

    /// STS `AssumeRole`: temporary credentials acting in the role's account, when the domain's
    /// rule lets the caller assume that role.
    async fn assume_role(
        &self,
        req: &Request<'_>,
        params: &std::collections::BTreeMap<String, String>,
        principal: &Principal,
    ) -> Result<Vec<u8>, sts::QueryError> {
        let input = sts::assume_role_input(params)?;
        // An assumed-role session that assumes a role chains roles: AWS caps that at an hour, as
        // it caps a role whose maximum session duration is the default hour.
        if input.duration_seconds > sts::DEFAULT_DURATION_SECONDS {
            return Err(sts::QueryError::validation(
                if principal.arn.contains(":assumed-role/") {
                    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
                } else {
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
                },
            ));
        }
        let denied = || sts::QueryError::access_denied(&principal.arn, &input.role_arn);
        let (account, role) = arn::parse_role(&input.role_arn).ok_or_else(denied)?;
        self.prepare(&principal.account)
            .await
            .map_err(|e| sts::QueryError::service(e.body()["Message"].to_string()))?;
        self.engine
            .read(&principal.account, |cx| ops::assume_role(cx, account, role))
            .map_err(|_| denied())?;
        let now = self.engine.clock().now();
        let expires_at = now + input.duration_seconds * 1000;
        let (s, c) = session::issue(
            &self.engine.token_key(),
            &mut rand::rng(),
            account,
            role,
            &input.session_name,
            expires_at,
        );
        let partition = arn::partition_of(&principal.region);
        Ok(sts::assumed_role(
            req.request_id,
            &sts::Assumed {
                arn: &arn::assumed_role(partition, account, role, &s.session_name),
                assumed_role_id: &format!("{}:{}", session::role_id(account, role), s.session_name),
                access_key_id: &c.access_key_id,
                secret_access_key: &c.secret_access_key,
                session_token: &c.session_token,
                expiration: &wire::iso8601(expires_at),
            },
        ))
    }

    async fn serve(&self, req: &Request<'_>, reply: &mut Reply) -> Result<Answer, WireError> {
        let Principal {
            account: caller,
            region,
            ..
        } = self
            .caller(req, SIGNING_NAME)
            .map_err(WireError::Signature)?;
        reply.caller = Some(caller.clone());
        if !self.throttle.admit(&caller, std::time::Instant::now()) {
            return Err(WireError::TooManyRequests);
        }
        let target = req.header("x-amz-target").unwrap_or_default();
        // What was asked: the operation after the service prefix (`Service.Operation`).
        let asked = || WireError::UnknownOperation(target.rsplit('.').next().unwrap_or("").into());
        let op = target
            .strip_prefix(TARGET_PREFIX)
            .and_then(Operation::from_name)
            .ok_or_else(asked)?;
        reply.operation = Some(op.name());
        let model = model::operation(op.name()).ok_or_else(asked)?;
        let input = Input::parse(req.body)?;
        input.validate(model)?;
        self.prepare(&caller).await?;
        // ARNs are answered in the partition of the region the client signed for.
        let partition = arn::partition_of(&region);
        self.guardrails(req, &input, op, &caller, &region, partition)?;
        let call = Call {
            op,
            model,
            caller,
            input: &input,
            partition,
        };
        self.dispatch(call).await
    }

    /// The SCPs in effect on a member account decide whether it may make this call at all
    /// (`orgd_domain::guardrails`); the management account and accounts outside an organization
    /// pass without building a context.
    fn guardrails(
        &self,
        req: &Request,
        input: &Input,
        op: Operation,
        caller: &str,
        region: &str,
        partition: &str,
    ) -> Result<(), WireError> {
        let denied = self.engine.read(caller, |cx| {
            if !orgd_domain::guardrails::binds(cx.state, caller) {
                return Ok(None);
            }
            let action = format!("organizations:{}", op.name());
            let context = guard::context(req, Some(input), caller, region, partition);
            let eval = orgd_domain::guardrails::evaluate(
                cx.state, caller, &action, None, &context, cx.now,
            );
            Ok(guard::denial(&eval, partition, caller, &action))
        })?;
        match denied {
            Some(message) => Err(WireError::PolicyDenied(message)),
            None => Ok(()),
        }
    }

    /// A Resource Groups Tagging API request (JSON 1.1, `op` already known to be one of
    /// `tagging::OPERATIONS`).
    async fn handle_tagging(&self, req: &Request<'_>, op: &'static str) -> Reply {
        let mut reply = Reply {
            status: 200,
            body: Vec::new(),
            content_type: CONTENT_TYPE,
            operation: Some(op),
            caller: None,
            error: None,
        };
        match self.serve_tagging(req, op, &mut reply).await {
            Ok(v) => reply.body = serde_json::to_vec(&v).unwrap_or_default(),
            Err(e) => {
                reply.status = e.status;
                reply.error = Some(e.code.to_string());
                reply.body = serde_json::to_vec(&e.body()).unwrap_or_default();
            }
        }
        reply
    }

    async fn serve_tagging(
        &self,
        req: &Request<'_>,
        op: &'static str,
        reply: &mut Reply,
    ) -> Result<Value, TaggingError> {
        let principal = self
            .caller(req, tagging::SIGNING_NAME)
            .map_err(|e| TaggingError {
                status: 400,
                code: e.code(),
                message: e.message(),
            })?;
        reply.caller = Some(principal.account.clone());
        if !self
            .throttle
            .admit(&principal.account, std::time::Instant::now())
        {
            return Err(TaggingError {
                status: 400,
                code: "ThrottledException",
                message: "Rate exceeded".into(),
            });
        }
        let m = tagging::Members::parse(req.body)?;
        self.prepare(&principal.account)
            .await
            .map_err(|e| TaggingError::internal(e.body()["Message"].to_string()))?;
        let partition = arn::partition_of(&principal.region);
        let caller = principal.account;
        match op {
            "GetResources" => self.get_resources(&caller, &m, partition),
            "GetTagKeys" => {
                let keys = self.tag_values(&caller, |_| true)?;
                let keys: std::collections::BTreeSet<String> =
                    keys.into_iter().map(|(k, _)| k).collect();
                Ok(json!({ "PaginationToken": "", "TagKeys": keys }))
            }
            "GetTagValues" => {
                let key = m
                    .string("Key")?
                    .ok_or_else(|| TaggingError::invalid("Key is required."))?
                    .to_string();
                tagging::check_key(&key)?;
                let values: std::collections::BTreeSet<String> = self
                    .tag_values(&caller, |k| k == key)?
                    .into_iter()
                    .flat_map(|(_, v)| v)
                    .collect();
                Ok(json!({ "PaginationToken": "", "TagValues": values }))
            }
            "TagResources" => {
                let arns = m.strings_counted("ResourceARNList", 1, tagging::MAX_TAG_UNTAG_ARNS)?;
                let tags = m.tag_map("Tags")?;
                tagging::check_count("Tags", tags.len(), 1, tagging::MAX_TAGS)?;
                for (k, v) in &tags {
                    tagging::check_key(k)?;
                    tagging::check_value(v)?;
                }
                self.retag(caller, arns, move |cx, id| ops::tag_resource(cx, id, &tags))
                    .await
            }
            "UntagResources" => {
                let arns = m.strings_counted("ResourceARNList", 1, tagging::MAX_TAG_UNTAG_ARNS)?;
                let keys = m.strings_counted("TagKeys", 1, tagging::MAX_TAGS)?;
                for k in &keys {
                    tagging::check_key(k)?;
                }
                self.retag(caller, arns, move |cx, id| {
                    ops::untag_resource(cx, id, &keys)
                })
                .await
            }
            other => Err(TaggingError::invalid(format!("Unknown operation {other}"))),
        }
    }

    /// Tags or untags each resource an ARN names, one write each (TagResources is not atomic
    /// across resources); what fails goes into `FailedResourcesMap` with Organizations' error.
    async fn retag(
        &self,
        caller: String,
        arns: Vec<String>,
        change: impl Fn(&Ctx, &str) -> Result<Write<()>, OrgError> + Send + Sync + 'static,
    ) -> Result<Value, TaggingError> {
        let change = Arc::new(change);
        let mut failed = Map::new();
        for resource_arn in arns {
            let Some((kind, id)) = arn::parse_org(&resource_arn)
                .and_then(|(ty, id)| tagging::kind_of_type(ty).map(|k| (k, id.to_string())))
            else {
                failed.insert(
                    resource_arn.clone(),
                    tagging::failure(
                        400,
                        "InvalidParameterException",
                        &format!("{resource_arn} is not the ARN of an account, OU, root or policy of AWS Organizations."),
                    ),
                );
                continue;
            };
            let change = change.clone();
            let done = self
                .write(caller.clone(), move |cx, _| {
                    if cx.state.kind_of(&id) != Some(kind) {
                        return Err(OrgError::NotFound(orgd_domain::error::Entity::Target));
                    }
                    change(cx, &id)
                })
                .await;
            match done {
                Ok(()) => {}
                Err(WireError::Domain(e)) => {
                    let e = errors::aws_error(&e);
                    failed.insert(resource_arn, tagging::failure(400, e.code, &e.message));
                }
                Err(e) => return Err(TaggingError::internal(e.body()["Message"].to_string())),
            }
        }
        Ok(json!({ "FailedResourcesMap": failed }))
    }

    /// The tag keys (those `key` accepts) used on the caller's organization's resources, with
    /// their values. A caller that may not read the organization's tags (a member, an account
    /// outside any organization) has no Organizations resources to see: none.
    fn tag_values(
        &self,
        caller: &str,
        key: impl Fn(&str) -> bool,
    ) -> Result<Vec<(String, Vec<String>)>, TaggingError> {
        let read = self.engine.read(caller, |cx| {
            let mut out = Vec::new();
            for (_, kind) in tagging::RESOURCE_TYPES {
                out.extend(
                    ops::resource_tag_values(cx, kind)?
                        .into_iter()
                        .filter(|(k, _)| key(k)),
                );
            }
            Ok(out)
        });
        nothing_to_see(read)
    }

    /// GetResources: the tagged resources of the selected types that match every tag filter,
    /// paged by a sealed (type, offset) token; or those of `ResourceARNList`.
    fn get_resources(
        &self,
        caller: &str,
        m: &tagging::Members,
        partition: &str,
    ) -> Result<Value, TaggingError> {
        let filters = m.tag_filters()?;
        tagging::check_count("TagFilters", filters.len(), 0, tagging::MAX_TAG_FILTERS)?;
        for (k, values) in &filters {
            tagging::check_key(k)?;
            tagging::check_count("Values", values.len(), 0, tagging::MAX_FILTER_VALUES)?;
            for v in values {
                tagging::check_value(v)?;
            }
        }
        let kinds = tagging::kinds(&m.strings("ResourceTypeFilters")?)?;
        let per_page = m.integer("ResourcesPerPage")?;
        let tags_per_page = m.integer("TagsPerPage")?;
        if let Some(n) = per_page
            && !(1..=tagging::MAX_RESOURCES_PER_PAGE as i64).contains(&n)
        {
            return Err(TaggingError::invalid(format!(
                "ResourcesPerPage must be from 1 to {}.",
                tagging::MAX_RESOURCES_PER_PAGE
            )));
        }
        if let Some(n) = tags_per_page
            && !tagging::TAGS_PER_PAGE.contains(&n)
        {
            return Err(TaggingError::invalid(
                "TagsPerPage must be from 100 to 500.",
            ));
        }
        let token = m.string("PaginationToken")?.filter(|t| !t.is_empty());
        let arns = m.strings("ResourceARNList")?;
        let query = |kind| ops::ResourceQuery {
            kind,
            without_any_tag: false,
            tags: filters
                .iter()
                .map(|(key, values)| ops::TagFilter {
                    key: key.clone(),
                    values: values.clone(),
                })
                .collect(),
            name_contains: Vec::new(),
        };
        if !arns.is_empty() {
            if token.is_some() || per_page.is_some() || tags_per_page.is_some() {
                return Err(TaggingError::invalid(
                    "You can't specify both ResourceARNList and the pagination parameters.",
                ));
            }
            tagging::check_count("ResourceARNList", arns.len(), 1, tagging::MAX_GET_ARNS)?;
            let wanted: Vec<(Kind, &str, &str)> = arns
                .iter()
                .filter_map(|a| {
                    let (ty, id) = arn::parse_org(a)?;
                    let kind = tagging::kind_of_type(ty).filter(|k| kinds.contains(k))?;
                    Some((kind, id, a.as_str()))
                })
                .collect();
            let read = self.engine.read(caller, |cx| {
                let mut out = Vec::new();
                for kind in &kinds {
                    let all = ops::select_resources(cx, &query(*kind), 0, usize::MAX)?;
                    for r in all.items.iter().filter(|r| !r.tags.is_empty()) {
                        if wanted.iter().any(|(k, id, _)| k == kind && *id == r.id) {
                            let name = ops::resource_name_of(cx, &r.id);
                            out.extend(
                                name.map(|n| tagging::mapping(&arn::arn(partition, &n), &r.tags)),
                            );
                        }
                    }
                }
                Ok(out)
            });
            let list = nothing_to_see(read)?;
            return Ok(json!({ "PaginationToken": "", "ResourceTagMappingList": list }));
        }

        let listing = format!(
            "tagging.GetResources\0{}\0{}",
            serde_json::to_string(&kinds.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>())
                .unwrap_or_default(),
            serde_json::to_string(&filters).unwrap_or_default()
        );
        let now = self.engine.clock().now();
        let key = self.engine.token_key();
        let (mut kind_at, mut offset) = match token {
            None => (0usize, 0usize),
            Some(t) => token::open(&key, &listing, t, now)
                .and_then(|s| {
                    let (a, b) = s.split_once(':')?;
                    Some((a.parse().ok()?, b.parse().ok()?))
                })
                .ok_or_else(|| TaggingError::invalid("The PaginationToken is not valid."))?,
        };
        let per_page = per_page.map_or(tagging::MAX_RESOURCES_PER_PAGE, |n| n as usize);
        let read = self.engine.read(caller, |cx| {
            let mut out = Vec::new();
            while out.len() < per_page && kind_at < kinds.len() {
                let page = ops::select_resources(
                    cx,
                    &query(kinds[kind_at]),
                    offset,
                    per_page - out.len(),
                )?;
                offset += page.items.len();
                for r in page.items.iter().filter(|r| !r.tags.is_empty()) {
                    if let Some(n) = ops::resource_name_of(cx, &r.id) {
                        out.push(tagging::mapping(&arn::arn(partition, &n), &r.tags));
                    }
                }
                if page.items.is_empty() || offset >= page.total {
                    kind_at += 1;
                    offset = 0;
                }
            }
            Ok(out)
        });
        let list = nothing_to_see(read)?;
        let next = if kind_at < kinds.len() {
            token::seal(&key, &listing, &format!("{kind_at}:{offset}"), now)
        } else {
            String::new()
        };
        Ok(json!({ "PaginationToken": next, "ResourceTagMappingList": list }))
    }

    /// Remembers a first-time caller and settles whatever time made due, before the operation.
    async fn prepare(&self, caller: &str) -> Result<(), WireError> {
        Ok(self.engine.prepare(caller).await?)
    }

    fn read<T>(
        &self,
        caller: &str,
        f: impl FnOnce(&Ctx) -> Result<T, OrgError>,
    ) -> Result<T, WireError> {
        Ok(self.engine.read(caller, f)?)
    }

    async fn write<T: Send + 'static>(
        &self,
        caller: String,
        f: impl FnMut(&Ctx, &mut dyn IdSource) -> Result<Write<T>, OrgError> + Send + 'static,
    ) -> Result<T, WireError> {
        Ok(self.engine.write_async(&caller, f).await?)
    }

    /// A paged listing: reads `MaxResults` and `NextToken`, reads one page and answers
    /// `{ <the model's result member>: [items], NextToken? }`. A token is bound to the
    /// operation, the caller and the listing's parameters.
    fn list<T>(
        &self,
        call: &Call,
        read: impl FnOnce(&Ctx, &PageRequest) -> Result<Page<T>, OrgError>,
        encode: impl Fn(&T, &str) -> Value,
    ) -> Result<Value, WireError> {
        let page = self.read_page(call, read)?;
        let mut m = Map::new();
        m.insert(
            page.member.into(),
            Value::Array(
                page.items
                    .iter()
                    .map(|item| encode(item, call.partition))
                    .collect(),
            ),
        );
        if let Some(t) = page.next {
            m.insert("NextToken".into(), Value::from(t));
        }
        Ok(Value::Object(m))
    }

    /// What `list` answers, before encoding: the model's result member, one page of items and
    /// the sealed `NextToken` (the hot listings serialize it straight, as `wire::Listed`).
    fn read_page<T>(
        &self,
        call: &Call,
        read: impl FnOnce(&Ctx, &PageRequest) -> Result<Page<T>, OrgError>,
    ) -> Result<wire::Listed<T>, WireError> {
        let member = call.model.result_key.ok_or_else(|| {
            WireError::Service(format!("{} is not a paged listing", call.model.name))
        })?;
        let listing = call.listing();
        let request = self.page_request(call, &listing)?;
        let page = self.read(&call.caller, |cx| read(cx, &request))?;
        let next = page.next.map(|after| {
            let now = self.engine.clock().now();
            token::seal(&self.engine.token_key(), &listing, &after, now)
        });
        Ok(wire::Listed {
            member,
            items: page.items,
            next,
        })
    }

    /// Reads `MaxResults` and `NextToken` for a listing identified by `listing`.
    fn page_request(&self, call: &Call, listing: &str) -> Result<PageRequest, WireError> {
        let limit = input::max_results(call.input);
        let after = match call.input.opt_str("NextToken").filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => Some(
                token::open(
                    &self.engine.token_key(),
                    listing,
                    t,
                    self.engine.clock().now(),
                )
                .ok_or(WireError::Input(errors::InputReason::InvalidNextToken))?,
            ),
        };
        Ok(PageRequest { after, limit })
    }

    /// Runs the operation and encodes its answer: a `Value` tree, or for the hottest reads
    /// (DescribeOrganization, DescribeAccount, ListAccounts, ListAccountsForParent) JSON
    /// serialized straight from the domain's views.
    async fn dispatch(&self, call: Call<'_>) -> Result<Answer, WireError> {
        let (op, input, caller) = (call.op, call.input, call.caller.clone());
        let partition = call.partition;
        Ok(Answer::Tree(match op {
            Operation::CreateOrganization => {
                let fs = match input.opt_str("FeatureSet") {
                    None => None,
                    Some(s) => Some(enum_value(s, parse_feature_set)?),
                };
                let org = self
                    .write(caller, move |cx, ids| {
                        ops::create_organization(cx, ids, fs, orgd_domain::ids::IdScheme::Aws)
                    })
                    .await?;
                json!({ "Organization": wire::organization(&org, partition) })
            }
            Operation::DescribeOrganization => {
                let org = self.read(&caller, ops::describe_organization)?;
                let org = wire::Organization::of(&org, partition);
                return Ok(Answer::json(&wire::Single("Organization", org)));
            }
            Operation::DeleteOrganization => {
                self.write(caller, |cx, _| ops::delete_organization(cx))
                    .await?;
                json!({})
            }
            Operation::ListRoots => self.list(&call, ops::list_roots, wire::root)?,
            Operation::CreateOrganizationalUnit => {
                let parent = input.str("ParentId")?.to_string();
                let name = input.str("Name")?.to_string();
                let tags = input.tags("Tags").unwrap_or_default();
                let ou = self
                    .write(caller, move |cx, ids| {
                        ops::create_organizational_unit(cx, ids, &parent, &name, &tags)
                    })
                    .await?;
                json!({ "OrganizationalUnit": wire::ou(&ou, partition) })
            }
            Operation::DescribeOrganizationalUnit => {
                let id = input.str("OrganizationalUnitId")?;
                let ou = self.read(&caller, |cx| ops::describe_organizational_unit(cx, id))?;
                json!({ "OrganizationalUnit": wire::ou(&ou, partition) })
            }
            Operation::UpdateOrganizationalUnit => {
                let id = input.str("OrganizationalUnitId")?.to_string();
                let name = input.opt_str("Name").map(str::to_string);
                let ou = self
                    .write(caller, move |cx, _| {
                        ops::update_organizational_unit(cx, &id, name.as_deref())
                    })
                    .await?;
                json!({ "OrganizationalUnit": wire::ou(&ou, partition) })
            }
            Operation::DeleteOrganizationalUnit => {
                let id = input.str("OrganizationalUnitId")?.to_string();
                self.write(caller, move |cx, _| {
                    ops::delete_organizational_unit(cx, &id)
                })
                .await?;
                json!({})
            }
            Operation::ListOrganizationalUnitsForParent => {
                let parent = input.str("ParentId")?;
                self.list(
                    &call,
                    |cx, page| ops::list_organizational_units_for_parent(cx, parent, page),
                    wire::ou,
                )?
            }
            Operation::ListChildren => {
                let parent = input.str("ParentId")?;
                let child_type = enum_value(input.str("ChildType")?, parse_child_type)?;
                self.list(
                    &call,
                    |cx, page| ops::list_children(cx, parent, child_type, page),
                    |(id, t), _| json!({ "Id": id, "Type": t.as_str() }),
                )?
            }
            Operation::ListParents => {
                let child = input.str("ChildId")?;
                self.list(
                    &call,
                    |cx, page| ops::list_parents(cx, child, page),
                    |(id, t), _| json!({ "Id": id, "Type": t.as_str() }),
                )?
            }
            Operation::CreateAccount => {
                let NewAccount {
                    email,
                    name,
                    tags,
                    role_name,
                } = new_account(input)?;
                let status = self
                    .write(caller, move |cx, ids| {
                        ops::create_account(cx, ids, &email, &name, &tags, role_name.as_deref())
                    })
                    .await?;
                json!({ "CreateAccountStatus": wire::create_account_status(&status) })
            }
            Operation::DescribeCreateAccountStatus => {
                let id = input.str("CreateAccountRequestId")?;
                let status =
                    self.read(&caller, |cx| ops::describe_create_account_status(cx, id))?;
                json!({ "CreateAccountStatus": wire::create_account_status(&status) })
            }
            Operation::ListCreateAccountStatus => {
                let states = input
                    .str_list("States")
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| enum_value(s, CreateAccountState::parse))
                    .collect::<Result<Vec<_>, _>>()?;
                self.list(
                    &call,
                    |cx, page| ops::list_create_account_status(cx, &states, page),
                    |v, _| wire::create_account_status(v),
                )?
            }
            Operation::DescribeAccount => {
                let id = input.str("AccountId")?;
                let account = self.read(&caller, |cx| ops::describe_account(cx, id))?;
                let account = wire::Account::of(&account, partition);
                return Ok(Answer::json(&wire::Single("Account", account)));
            }
            Operation::ListAccounts => {
                let page = self.read_page(&call, ops::list_accounts)?;
                return Ok(Answer::accounts(page, partition));
            }
            Operation::ListAccountsForParent => {
                let parent = input.str("ParentId")?;
                let page = self.read_page(&call, |cx, page| {
                    ops::list_accounts_for_parent(cx, parent, page)
                })?;
                return Ok(Answer::accounts(page, partition));
            }
            Operation::MoveAccount => {
                let id = input.str("AccountId")?.to_string();
                let src = input.str("SourceParentId")?.to_string();
                let dst = input.str("DestinationParentId")?.to_string();
                self.write(caller, move |cx, _| ops::move_account(cx, &id, &src, &dst))
                    .await?;
                json!({})
            }
            Operation::RemoveAccountFromOrganization => {
                let id = input.str("AccountId")?.to_string();
                self.write(caller, move |cx, _| {
                    ops::remove_account_from_organization(cx, &id)
                })
                .await?;
                json!({})
            }
            Operation::CloseAccount => {
                let id = input.str("AccountId")?.to_string();
                self.write(caller, move |cx, _| ops::close_account(cx, &id))
                    .await?;
                json!({})
            }
            Operation::TagResource => {
                let id = input.str("ResourceId")?.to_string();
                let tags = input.tags("Tags").unwrap_or_default();
                self.write(caller, move |cx, _| ops::tag_resource(cx, &id, &tags))
                    .await?;
                json!({})
            }
            Operation::UntagResource => {
                let id = input.str("ResourceId")?.to_string();
                let keys: Vec<String> = input
                    .str_list("TagKeys")
                    .unwrap_or_default()
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                self.write(caller, move |cx, _| ops::untag_resource(cx, &id, &keys))
                    .await?;
                json!({})
            }
            Operation::ListTagsForResource => {
                let id = input.str("ResourceId")?;
                // All tags fit one page; a token is still checked so a forged one is refused.
                self.page_request(&call, &call.listing())?;
                let tags = self.read(&caller, |cx| ops::list_tags_for_resource(cx, id))?;
                json!({ "Tags": wire::tags(&tags) })
            }
            Operation::EnableAWSServiceAccess | Operation::DisableAWSServiceAccess => {
                let principal = input.str("ServicePrincipal")?.to_string();
                let enable = op == Operation::EnableAWSServiceAccess;
                self.write(caller, move |cx, _| {
                    if enable {
                        ops::enable_aws_service_access(cx, &principal)
                    } else {
                        ops::disable_aws_service_access(cx, &principal)
                    }
                })
                .await?;
                json!({})
            }
            Operation::ListAWSServiceAccessForOrganization => self.list(
                &call,
                ops::list_aws_service_access,
                |(p, t), _| json!({ "ServicePrincipal": p, "DateEnabled": wire::timestamp(*t) }),
            )?,
            Operation::RegisterDelegatedAdministrator
            | Operation::DeregisterDelegatedAdministrator => {
                let id = input.str("AccountId")?.to_string();
                let principal = input.str("ServicePrincipal")?.to_string();
                let register = op == Operation::RegisterDelegatedAdministrator;
                self.write(caller, move |cx, _| {
                    if register {
                        ops::register_delegated_administrator(cx, &id, &principal)
                    } else {
                        ops::deregister_delegated_administrator(cx, &id, &principal)
                    }
                })
                .await?;
                json!({})
            }
            Operation::ListDelegatedAdministrators => {
                let principal = input.opt_str("ServicePrincipal");
                self.list(
                    &call,
                    |cx, page| ops::list_delegated_administrators(cx, principal, page),
                    wire::delegated_administrator,
                )?
            }
            Operation::ListDelegatedServicesForAccount => {
                let id = input.str("AccountId")?;
                self.list(
                    &call,
                    |cx, page| ops::list_delegated_services_for_account(cx, id, page),
                    |(p, t), _| {
                        json!({ "ServicePrincipal": p, "DelegationEnabledDate": wire::timestamp(*t) })
                    },
                )?
            }
            Operation::PutResourcePolicy => {
                let content = input.str("Content")?.to_string();
                let tags = input.tags("Tags").unwrap_or_default();
                let policy = self
                    .write(caller, move |cx, ids| {
                        ops::put_resource_policy(cx, ids, &content, &tags)
                    })
                    .await?;
                json!({ "ResourcePolicy": wire::resource_policy(&policy, partition) })
            }
            Operation::DescribeResourcePolicy => {
                let policy = self.read(&caller, ops::describe_resource_policy)?;
                json!({ "ResourcePolicy": wire::resource_policy(&policy, partition) })
            }
            Operation::DeleteResourcePolicy => {
                self.write(caller, |cx, _| ops::delete_resource_policy(cx))
                    .await?;
                json!({})
            }
            Operation::LeaveOrganization => {
                self.write(caller, |cx, _| ops::leave_organization(cx))
                    .await?;
                json!({})
            }
            Operation::InviteAccountToOrganization => {
                let target = invite_target(input)?;
                let notes = input.opt_str("Notes").map(str::to_string);
                let tags = input.tags("Tags").unwrap_or_default();
                let h = self
                    .write(caller, move |cx, ids| {
                        ops::invite_account_to_organization(
                            cx,
                            ids,
                            target.clone(),
                            notes.clone(),
                            &tags,
                        )
                    })
                    .await?;
                json!({ "Handshake": wire::handshake(&h, partition) })
            }
            Operation::AcceptHandshake
            | Operation::DeclineHandshake
            | Operation::CancelHandshake => {
                let id = input.str("HandshakeId")?.to_string();
                let h = self
                    .write(caller, move |cx, _| match op {
                        Operation::AcceptHandshake => ops::accept_handshake(cx, &id),
                        Operation::DeclineHandshake => ops::decline_handshake(cx, &id),
                        _ => ops::cancel_handshake(cx, &id),
                    })
                    .await?;
                json!({ "Handshake": wire::handshake(&h, partition) })
            }
            Operation::DescribeHandshake => {
                let id = input.str("HandshakeId")?;
                let h = self.read(&caller, |cx| ops::describe_handshake(cx, id))?;
                json!({ "Handshake": wire::handshake(&h, partition) })
            }
            Operation::EnableAllFeatures => {
                let h = self
                    .write(caller, |cx, ids| ops::enable_all_features(cx, ids))
                    .await?;
                json!({ "Handshake": wire::handshake(&h, partition) })
            }
            Operation::ListHandshakesForAccount | Operation::ListHandshakesForOrganization => {
                let f = input.object("Filter");
                let member = |name| f.as_ref().and_then(|f| f.opt_str(name)).map(str::to_string);
                let filter = ops::HandshakeFilter {
                    action: member("ActionType"),
                    parent_id: member("ParentHandshakeId"),
                };
                self.list(
                    &call,
                    |cx, page| {
                        if op == Operation::ListHandshakesForAccount {
                            ops::list_handshakes_for_account(cx, &filter, page)
                        } else {
                            ops::list_handshakes_for_organization(cx, &filter, page)
                        }
                    },
                    wire::handshake,
                )?
            }
            Operation::CreatePolicy => {
                let new = ops::NewPolicy {
                    policy_type: policy_type(input.str("Type")?)?,
                    name: input.str("Name")?.to_string(),
                    description: input.str("Description")?.to_string(),
                    content: input.str("Content")?.to_string(),
                    tags: input.tags("Tags").unwrap_or_default(),
                };
                let p = self
                    .write(caller, move |cx, ids| {
                        ops::create_policy(cx, ids, ENFORCED, &new)
                    })
                    .await?;
                json!({ "Policy": wire::policy(&p, partition) })
            }
            Operation::DescribePolicy => {
                let id = input.str("PolicyId")?;
                let p = self.read(&caller, |cx| ops::describe_policy(cx, ENFORCED, id))?;
                json!({ "Policy": wire::policy(&p, partition) })
            }
            Operation::UpdatePolicy => {
                let id = input.str("PolicyId")?.to_string();
                let name = input.opt_str("Name").map(str::to_string);
                let description = input.opt_str("Description").map(str::to_string);
                let content = input.opt_str("Content").map(str::to_string);
                let p = self
                    .write(caller, move |cx, _| {
                        ops::update_policy(
                            cx,
                            ENFORCED,
                            &id,
                            name.as_deref(),
                            description.as_deref(),
                            content.as_deref(),
                        )
                    })
                    .await?;
                json!({ "Policy": wire::policy(&p, partition) })
            }
            Operation::DeletePolicy => {
                let id = input.str("PolicyId")?.to_string();
                self.write(caller, move |cx, _| ops::delete_policy(cx, ENFORCED, &id))
                    .await?;
                json!({})
            }
            Operation::ListPolicies => {
                let ty = policy_type(input.str("Filter")?)?;
                self.list(
                    &call,
                    |cx, page| ops::list_policies(cx, ty, page),
                    wire::policy_summary,
                )?
            }
            Operation::AttachPolicy | Operation::DetachPolicy => {
                let id = input.str("PolicyId")?.to_string();
                let target = input.str("TargetId")?.to_string();
                self.write(caller, move |cx, _| {
                    if op == Operation::AttachPolicy {
                        ops::attach_policy(cx, ENFORCED, &id, &target)
                    } else {
                        ops::detach_policy(cx, ENFORCED, &id, &target)
                    }
                })
                .await?;
                json!({})
            }
            Operation::ListPoliciesForTarget => {
                let target = input.str("TargetId")?;
                let ty = policy_type(input.str("Filter")?)?;
                self.list(
                    &call,
                    |cx, page| ops::list_policies_for_target(cx, target, ty, page),
                    wire::policy_summary,
                )?
            }
            Operation::ListTargetsForPolicy => {
                let id = input.str("PolicyId")?;
                self.list(
                    &call,
                    |cx, page| ops::list_targets_for_policy(cx, ENFORCED, id, page),
                    wire::policy_target,
                )?
            }
            Operation::EnablePolicyType | Operation::DisablePolicyType => {
                let root = input.str("RootId")?.to_string();
                let ty = policy_type(input.str("PolicyType")?)?;
                let r = self
                    .write(caller, move |cx, _| {
                        if op == Operation::EnablePolicyType {
                            ops::enable_policy_type(cx, &root, ty)
                        } else {
                            ops::disable_policy_type(cx, &root, ty)
                        }
                    })
                    .await?;
                json!({ "Root": wire::root(&r, partition) })
            }
            Operation::DescribeEffectivePolicy => {
                let ty = policy_type(input.str("PolicyType")?)?;
                let target = input.opt_str("TargetId");
                let e = self.read(&caller, |cx| ops::describe_effective_policy(cx, ty, target))?;
                json!({ "EffectivePolicy": wire::effective_policy(&e) })
            }
            Operation::ListAccountsWithInvalidEffectivePolicy => {
                let ty = policy_type(input.str("PolicyType")?)?;
                let mut v = self.list(
                    &call,
                    |cx, page| ops::list_accounts_with_invalid_effective_policy(cx, ty, page),
                    wire::account,
                )?;
                v["PolicyType"] = json!(ty.as_str());
                v
            }
            Operation::ListEffectivePolicyValidationErrors => {
                let id = input.str("AccountId")?;
                let ty = policy_type(input.str("PolicyType")?)?;
                let mut view = None;
                let mut v = self.list(
                    &call,
                    |cx, page| {
                        let mut r = ops::list_effective_policy_validation_errors(cx, id, ty, page)?;
                        let errors = std::mem::replace(
                            &mut r.errors,
                            Page {
                                items: Vec::new(),
                                next: None,
                            },
                        );
                        view = Some(r);
                        Ok(errors)
                    },
                    |v, _| wire::validation_error(v),
                )?;
                if let Some(r) = view {
                    v["AccountId"] = json!(r.account_id);
                    v["PolicyType"] = json!(r.policy_type.as_str());
                    v["Path"] = json!(r.path);
                    v["EvaluationTimestamp"] = wire::timestamp(r.evaluated_at);
                }
                v
            }
            Operation::InviteOrganizationToTransferResponsibility => {
                let invitation = ops::TransferInvitation {
                    transfer_type: transfer_type(input.str("Type")?)?,
                    target: invite_target(input)?,
                    notes: input.opt_str("Notes").map(str::to_string),
                    start_at: input
                        .opt_timestamp("StartTimestamp")
                        .ok_or_else(input::required)?,
                    name: input.str("SourceName")?.to_string(),
                    tags: input.tags("Tags").unwrap_or_default(),
                };
                let h = self
                    .write(caller, move |cx, ids| {
                        ops::invite_organization_to_transfer_responsibility(
                            cx,
                            ids,
                            invitation.clone(),
                        )
                    })
                    .await?;
                json!({ "Handshake": wire::handshake(&h, partition) })
            }
            Operation::DescribeResponsibilityTransfer => {
                let id = input.str("Id")?;
                let t = self.read(&caller, |cx| ops::describe_responsibility_transfer(cx, id))?;
                json!({ "ResponsibilityTransfer": wire::responsibility_transfer(&t, partition) })
            }
            Operation::UpdateResponsibilityTransfer => {
                let id = input.str("Id")?.to_string();
                let name = input.str("Name")?.to_string();
                let t = self
                    .write(caller, move |cx, _| {
                        ops::update_responsibility_transfer(cx, &id, &name)
                    })
                    .await?;
                json!({ "ResponsibilityTransfer": wire::responsibility_transfer(&t, partition) })
            }
            Operation::TerminateResponsibilityTransfer => {
                let id = input.str("Id")?.to_string();
                let end = input.opt_timestamp("EndTimestamp");
                let t = self
                    .write(caller, move |cx, _| {
                        ops::terminate_responsibility_transfer(cx, &id, end)
                    })
                    .await?;
                json!({ "ResponsibilityTransfer": wire::responsibility_transfer(&t, partition) })
            }
            Operation::ListInboundResponsibilityTransfers
            | Operation::ListOutboundResponsibilityTransfers => {
                let ty = transfer_type(input.str("Type")?)?;
                let id = input.opt_str("Id");
                self.list(
                    &call,
                    |cx, page| {
                        if op == Operation::ListInboundResponsibilityTransfers {
                            ops::list_inbound_responsibility_transfers(cx, ty, id, page)
                        } else {
                            ops::list_outbound_responsibility_transfers(cx, ty, page)
                        }
                    },
                    wire::responsibility_transfer,
                )?
            }
            Operation::CreateGovCloudAccount => {
                let tags = new_account(input)?.tags;
                let status = self
                    .write(caller, move |cx, _| {
                        ops::create_gov_cloud_account(cx, &tags)
                    })
                    .await?;
                json!({ "CreateAccountStatus": wire::create_account_status(&status) })
            }
        }))
    }
}

/// Who calls: the account acted in, the region signed for, and the IAM identity
/// (`GetCallerIdentity`'s `Arn` and `UserId`).
struct Principal {
    account: String,
    region: String,
    arn: String,
    user_id: String,
}

/// One request, its members already checked against the model.
struct Call<'a> {
    op: Operation,
    model: &'static model::Operation,
    caller: String,
    input: &'a Input,
    /// The partition ARNs are answered in.
    partition: &'static str,
}

impl Call<'_> {
    /// What a page token is bound to: the operation, the caller and the listing's parameters.
    fn listing(&self) -> String {
        format!(
            "{}\0{}{}",
            self.model.name,
            self.caller,
            self.input.listing_params(self.model)
        )
    }
}

/// The members of CreateAccount and CreateGovCloudAccount.
struct NewAccount {
    email: String,
    name: String,
    tags: Vec<(String, String)>,
    role_name: Option<String>,
}

fn new_account(input: &Input) -> Result<NewAccount, WireError> {
    Ok(NewAccount {
        email: input.str("Email")?.to_string(),
        name: input.str("AccountName")?.to_string(),
        tags: input.tags("Tags").unwrap_or_default(),
        role_name: input.opt_str("RoleName").map(str::to_string),
    })
}

/// The `Target` `HandshakeParty` of an invitation: an account ID, an email or an organization.
fn invite_target(input: &Input) -> Result<ops::InviteTarget, WireError> {
    let target = input.object("Target").ok_or_else(input::required)?;
    let id = target.str("Id")?.to_string();
    match target.str("Type")? {
        "ACCOUNT" => {
            input::conform(&model::shapes::AccountId, &id)?;
            Ok(ops::InviteTarget::Account(id))
        }
        "EMAIL" => {
            input::conform(&model::shapes::Email, &id)?;
            Ok(ops::InviteTarget::Email(id))
        }
        _ => Ok(ops::InviteTarget::Organization(id)),
    }
}

/// The domain's value for a member the model has already checked against its enum; a value
/// the model allows and the domain does not know is refused the same way.
fn enum_value<T>(s: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, WireError> {
    parse(s).ok_or(WireError::Input(errors::InputReason::InvalidEnum))
}

fn policy_type(s: &str) -> Result<orgd_domain::policy::PolicyType, WireError> {
    enum_value(s, orgd_domain::policy::PolicyType::parse)
}

fn transfer_type(s: &str) -> Result<orgd_domain::model::TransferType, WireError> {
    enum_value(s, orgd_domain::model::TransferType::parse)
}

fn parse_feature_set(s: &str) -> Option<FeatureSet> {
    match s {
        "ALL" => Some(FeatureSet::All),
        "CONSOLIDATED_BILLING" => Some(FeatureSet::ConsolidatedBilling),
        _ => None,
    }
}

fn parse_child_type(s: &str) -> Option<ChildType> {
    match s {
        "ACCOUNT" => Some(ChildType::Account),
        "ORGANIZATIONAL_UNIT" => Some(ChildType::OrganizationalUnit),
        _ => None,
    }
}

/// A tagging read as the tagging API answers it: a caller that may not read the organization's
/// tags, or that is in no organization, sees no Organizations resources (they belong to the
/// management account), not an error.
fn nothing_to_see<T: Default>(
    read: Result<T, crate::engine::EngineError>,
) -> Result<T, TaggingError> {
    match read {
        Ok(v) => Ok(v),
        Err(crate::engine::EngineError::Domain(
            OrgError::AccessDenied(_)
            | OrgError::NotFound(orgd_domain::error::Entity::Organization),
        )) => Ok(T::default()),
        Err(crate::engine::EngineError::Domain(e)) => {
            let e = errors::aws_error(&e);
            Err(TaggingError::invalid(e.message))
        }
        Err(e) => Err(TaggingError::internal(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_operation_is_routed_and_nothing_else() {
        let routed: Vec<&str> = Operation::ALL.iter().map(|o| o.name()).collect();
        let modelled: Vec<&str> = model::OPERATIONS.iter().map(|o| o.name).collect();
        for name in &modelled {
            assert!(
                routed.contains(name),
                "{name} is in the model but not routed"
            );
        }
        for name in &routed {
            assert!(
                modelled.contains(name),
                "{name} is routed but not in the model"
            );
        }
    }
}
