//! The AWS JSON 1.1 adapter: decodes a request, identifies the caller, calls the domain through
//! the engine and encodes the answer. `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`.

mod arn;
mod errors;
pub mod identity;
mod input;
mod model;
#[cfg(test)]
mod output_tests;
pub mod partition;
pub mod sigv4;
mod token;
mod wire;

use std::sync::Arc;

use orgd_domain::OrgError;
use orgd_domain::access::Operation;
use orgd_domain::ids::IdSource;
use orgd_domain::model::{CreateAccountState, FeatureSet};
use orgd_domain::ops::{self, ChildType, Ctx, Page, PageRequest, Write};
use serde_json::{Map, Value, json};

use crate::engine::Engine;
use crate::throttle::Throttle;
use input::Input;
pub use wire::WireError;

pub const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The service name in the credential scope of a signed request.
pub const SIGNING_NAME: &str = "organizations";

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
    SigV4(sigv4::KeyRing),
}

/// The AWS Organizations API over one engine.
pub struct AwsApi {
    engine: Arc<Engine>,
    auth: Auth,
    throttle: Throttle,
}

/// What the HTTP layer needs to answer and log a request.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub operation: Option<&'static str>,
    pub caller: Option<String>,
    pub error: Option<String>,
    /// Set when the request came in the Query protocol (a form-encoded `Action=...` body, as
    /// botocore sends STS and other Query services): the error's code and message, which the
    /// HTTP layer answers in that protocol's XML shape (`query_error_xml`) instead of `body`.
    pub query_error: Option<(String, String)>,
}

/// The parts of an HTTP request the adapter reads.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a axum::http::HeaderMap,
    pub body: &'a [u8],
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
            operation: None,
            caller: None,
            error: Some(e.code().to_string()),
            query_error: None,
        }
    }
}

/// The `Action` of a Query-protocol request: a form-encoded body without `X-Amz-Target`.
fn query_action(req: &Request) -> Option<String> {
    if req.header("x-amz-target").is_some() {
        return None;
    }
    let form = req
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return None;
    }
    form_urlencoded::parse(req.body)
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v.into_owned())
}

/// The Query protocol's error document (`ErrorResponse`), as botocore's query parser reads it.
pub fn query_error_xml(code: &str, message: &str, request_id: &str) -> String {
    fn escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message></Error>\
         <RequestId>{}</RequestId></ErrorResponse>",
        escape(code),
        escape(message),
        escape(request_id)
    )
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
        let mut reply = Reply {
            status: 200,
            body: Vec::new(),
            operation: None,
            caller: None,
            error: None,
            query_error: None,
        };
        let action = query_action(&req);
        let result = self.serve(&req, action.as_deref(), &mut reply).await;
        match result {
            Ok(v) => reply.body = serde_json::to_vec(&v).unwrap_or_default(),
            Err(e) => {
                reply.status = e.status();
                reply.error = Some(e.code().to_string());
                let body = e.body();
                if action.is_some() {
                    let message = body["Message"].as_str().unwrap_or_default().to_string();
                    reply.query_error = Some((e.code().to_string(), message));
                }
                reply.body = serde_json::to_vec(&body).unwrap_or_default();
            }
        }
        reply
    }

    /// The caller's account and the region it signed for, from the request's SigV4 fields (read
    /// once, verified in strict mode).
    fn caller(&self, req: &Request) -> Result<(String, String), WireError> {
        let claim = sigv4::claim(req.headers, req.query).map_err(WireError::Signature)?;
        let account = match &self.auth {
            Auth::AccessKey { default_account } => {
                identity::account_for_key(&claim.access_key, default_account)
            }
            Auth::SigV4(keys) => {
                let signed = sigv4::SignedRequest {
                    method: req.method,
                    path: req.path,
                    query: req.query,
                    headers: req.headers,
                    body: req.body,
                };
                // Signatures are checked against wall time, not the movable test clock.
                let now = std::time::SystemTime::now();
                sigv4::verify(keys, &claim, &signed, SIGNING_NAME, now)
                    .map_err(WireError::Signature)?
                    .account_id
                    .clone()
            }
        };
        Ok((account, claim.scope.region))
    }

    async fn serve(
        &self,
        req: &Request<'_>,
        action: Option<&str>,
        reply: &mut Reply,
    ) -> Result<Value, WireError> {
        let (caller, region) = self.caller(req)?;
        reply.caller = Some(caller.clone());
        if !self.throttle.admit(&caller, std::time::Instant::now()) {
            return Err(WireError::TooManyRequests);
        }
        // No Query-protocol operation is served here: name the one asked for.
        if let Some(action) = action {
            return Err(WireError::UnknownOperation(action.to_string()));
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
        let call = Call {
            op,
            model,
            caller,
            input: &input,
            partition,
        };
        self.dispatch(call).await
    }

    /// Remembers a first-time caller and settles whatever time made due, before the operation.
    async fn prepare(&self, caller: &str) -> Result<(), WireError> {
        let known = self.engine.knows(caller);
        let due = self.engine.is_due();
        if known && !due {
            return Ok(());
        }
        let engine = self.engine.clone();
        let caller = caller.to_string();
        joined(
            tokio::task::spawn_blocking(move || {
                if !known {
                    engine.remember(&caller)?;
                }
                engine.settle()
            })
            .await,
        )?
        .map_err(|e| WireError::Service(e.to_string()))
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
        f: impl FnOnce(&Ctx, &mut dyn IdSource) -> Result<Write<T>, OrgError> + Send + 'static,
    ) -> Result<T, WireError> {
        let engine = self.engine.clone();
        joined(tokio::task::spawn_blocking(move || engine.write(&caller, f)).await)?
            .map_err(Into::into)
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
        let member = call.model.result_key.ok_or_else(|| {
            WireError::Service(format!("{} is not a paged listing", call.model.name))
        })?;
        let listing = call.listing();
        let request = self.page_request(call, &listing)?;
        let page = self.read(&call.caller, |cx| read(cx, &request))?;
        let mut m = Map::new();
        m.insert(
            member.into(),
            Value::Array(
                page.items
                    .iter()
                    .map(|item| encode(item, call.partition))
                    .collect(),
            ),
        );
        if let Some(after) = page.next {
            let now = self.engine.clock().now();
            let t = token::seal(&self.engine.token_key(), &listing, &after, now);
            m.insert("NextToken".into(), Value::from(t));
        }
        Ok(Value::Object(m))
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
                .ok_or_else(|| WireError::Input {
                    reason: errors::InputReason::InvalidNextToken,
                    message: "The specified NextToken is not valid.".into(),
                })?,
            ),
        };
        Ok(PageRequest { after, limit })
    }

    async fn dispatch(&self, call: Call<'_>) -> Result<Value, WireError> {
        let (op, input, caller) = (call.op, call.input, call.caller.clone());
        let partition = call.partition;
        Ok(match op {
            Operation::CreateOrganization => {
                let fs = match input.opt_str("FeatureSet") {
                    None => None,
                    Some(s) => Some(enum_value("FeatureSet", s, parse_feature_set)?),
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
                json!({ "Organization": wire::organization(&org, partition) })
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
                let child_type =
                    enum_value("ChildType", input.str("ChildType")?, parse_child_type)?;
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
                let NewAccount { email, name, tags } = new_account(input)?;
                let status = self
                    .write(caller, move |cx, ids| {
                        ops::create_account(cx, ids, &email, &name, &tags)
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
                    .map(|s| enum_value("States", s, CreateAccountState::parse))
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
                json!({ "Account": wire::account(&account, partition) })
            }
            Operation::ListAccounts => self.list(&call, ops::list_accounts, wire::account)?,
            Operation::ListAccountsForParent => {
                let parent = input.str("ParentId")?;
                self.list(
                    &call,
                    |cx, page| ops::list_accounts_for_parent(cx, parent, page),
                    wire::account,
                )?
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
                        ops::invite_account_to_organization(cx, ids, target, notes, &tags)
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
                let ty = policy_type("Type", input.str("Type")?)?;
                let name = input.str("Name")?.to_string();
                let description = input.str("Description")?.to_string();
                let content = input.str("Content")?.to_string();
                let tags = input.tags("Tags").unwrap_or_default();
                let p = self
                    .write(caller, move |cx, ids| {
                        ops::create_policy(cx, ids, ty, &name, &description, &content, &tags)
                    })
                    .await?;
                json!({ "Policy": wire::policy(&p, partition) })
            }
            Operation::DescribePolicy => {
                let id = input.str("PolicyId")?;
                let p = self.read(&caller, |cx| ops::describe_policy(cx, id))?;
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
                self.write(caller, move |cx, _| ops::delete_policy(cx, &id))
                    .await?;
                json!({})
            }
            Operation::ListPolicies => {
                let ty = policy_type("Filter", input.str("Filter")?)?;
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
                        ops::attach_policy(cx, &id, &target)
                    } else {
                        ops::detach_policy(cx, &id, &target)
                    }
                })
                .await?;
                json!({})
            }
            Operation::ListPoliciesForTarget => {
                let target = input.str("TargetId")?;
                let ty = policy_type("Filter", input.str("Filter")?)?;
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
                    |cx, page| ops::list_targets_for_policy(cx, id, page),
                    wire::policy_target,
                )?
            }
            Operation::EnablePolicyType | Operation::DisablePolicyType => {
                let root = input.str("RootId")?.to_string();
                let ty = policy_type("PolicyType", input.str("PolicyType")?)?;
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
                let ty = policy_type("PolicyType", input.str("PolicyType")?)?;
                let target = input.opt_str("TargetId");
                let e = self.read(&caller, |cx| ops::describe_effective_policy(cx, ty, target))?;
                json!({ "EffectivePolicy": wire::effective_policy(&e) })
            }
            Operation::ListAccountsWithInvalidEffectivePolicy => {
                let ty = policy_type("PolicyType", input.str("PolicyType")?)?;
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
                let ty = policy_type("PolicyType", input.str("PolicyType")?)?;
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
                        .ok_or_else(|| input::required("StartTimestamp"))?,
                    name: input.str("SourceName")?.to_string(),
                    tags: input.tags("Tags").unwrap_or_default(),
                };
                let h = self
                    .write(caller, move |cx, ids| {
                        ops::invite_organization_to_transfer_responsibility(cx, ids, invitation)
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
        })
    }
}

/// The result of a blocking task. A panic in it goes on unwinding here, so the server answers it
/// as it answers every panic (500 `InternalFailure`, logged once).
fn joined<T>(r: Result<T, tokio::task::JoinError>) -> Result<T, WireError> {
    match r {
        Ok(v) => Ok(v),
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(WireError::Service("The request was cancelled.".into())),
    }
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
}

fn new_account(input: &Input) -> Result<NewAccount, WireError> {
    Ok(NewAccount {
        email: input.str("Email")?.to_string(),
        name: input.str("AccountName")?.to_string(),
        tags: input.tags("Tags").unwrap_or_default(),
    })
}

/// The `Target` `HandshakeParty` of an invitation: an account ID, an email or an organization.
fn invite_target(input: &Input) -> Result<ops::InviteTarget, WireError> {
    let target = input
        .object("Target")
        .ok_or_else(|| input::required("Target"))?;
    let id = target.str("Id")?.to_string();
    match target.str("Type")? {
        "ACCOUNT" => {
            input::conform(&model::shapes::AccountId, "Target.Id", &id)?;
            Ok(ops::InviteTarget::Account(id))
        }
        "EMAIL" => {
            input::conform(&model::shapes::Email, "Target.Id", &id)?;
            Ok(ops::InviteTarget::Email(id))
        }
        _ => Ok(ops::InviteTarget::Organization(id)),
    }
}

/// The domain's value for a member the model has already checked against its enum; a value
/// the model allows and the domain does not know is refused the same way.
fn enum_value<T>(name: &str, s: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, WireError> {
    parse(s).ok_or_else(|| WireError::Input {
        reason: errors::InputReason::InvalidEnum,
        message: format!("{name} '{s}' is not supported."),
    })
}

fn policy_type(name: &str, s: &str) -> Result<orgd_domain::policy::PolicyType, WireError> {
    enum_value(name, s, orgd_domain::policy::PolicyType::parse)
}

fn transfer_type(s: &str) -> Result<orgd_domain::model::TransferType, WireError> {
    enum_value("Type", s, orgd_domain::model::TransferType::parse)
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
