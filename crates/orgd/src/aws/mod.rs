//! The AWS JSON 1.1 adapter: decodes a request, identifies the caller, calls the domain through
//! the engine and encodes the answer. `X-Amz-Target: AWSOrganizationsV20161128.<Operation>`.

pub mod identity;
mod input;
pub mod partition;
pub mod sigv4;
mod token;
mod wire;

use std::sync::Arc;

use orgd_domain::access::Operation;
use orgd_domain::ids::IdSource;
use orgd_domain::model::{CreateAccountState, FeatureSet};
use orgd_domain::ops::{self, ChildType, Ctx, Page, PageRequest, Write};
use orgd_domain::{InputReason, OrgError};
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
        let mut reply = Reply {
            status: 200,
            body: Vec::new(),
            operation: None,
            caller: None,
            error: None,
        };
        let result = self.serve(&req, &mut reply).await;
        match result {
            Ok(v) => reply.body = serde_json::to_vec(&v).unwrap_or_default(),
            Err(e) => {
                reply.status = e.status();
                reply.error = Some(e.code().to_string());
                reply.body = serde_json::to_vec(&e.body()).unwrap_or_default();
            }
        }
        reply
    }

    fn caller(&self, req: &Request) -> Result<String, WireError> {
        match &self.auth {
            Auth::AccessKey { default_account } => {
                let key =
                    identity::access_key(req.headers, req.query).map_err(WireError::Signature)?;
                Ok(identity::account_for_key(&key, default_account))
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
                sigv4::verify(keys, &signed, SIGNING_NAME, std::time::SystemTime::now())
                    .map(|k| k.account_id.clone())
                    .map_err(WireError::Signature)
            }
        }
    }

    async fn serve(&self, req: &Request<'_>, reply: &mut Reply) -> Result<Value, WireError> {
        let caller = self.caller(req)?;
        reply.caller = Some(caller.clone());
        if !self.throttle.admit(&caller, std::time::Instant::now()) {
            return Err(WireError::TooManyRequests);
        }
        let target = req.header("x-amz-target").unwrap_or_default();
        let op = target
            .strip_prefix(TARGET_PREFIX)
            .and_then(Operation::from_name)
            .ok_or_else(|| WireError::UnknownOperation(target.to_string()))?;
        reply.operation = Some(op.name());
        let input = Input::parse(req.body)?;
        self.prepare(&caller).await?;
        self.dispatch(op, &input, caller).await
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

    /// Reads `MaxResults` and `NextToken` for a listing identified by `listing`.
    fn page_request(&self, input: &Input, listing: &str) -> Result<PageRequest, WireError> {
        let limit = input::max_results(input)?;
        let after = match input.opt_str("NextToken")?.filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => Some(
                token::open(
                    &self.engine.token_key(),
                    listing,
                    t,
                    self.engine.clock().now(),
                )
                .ok_or_else(|| {
                    OrgError::invalid(
                        InputReason::InvalidNextToken,
                        "The specified NextToken is not valid.",
                    )
                })?,
            ),
        };
        Ok(PageRequest { after, limit })
    }

    /// `{ <member>: [items], NextToken? }`
    fn page<T>(
        &self,
        listing: &str,
        member: &str,
        page: Page<T>,
        encode: impl Fn(&T) -> Value,
    ) -> Value {
        let mut m = Map::new();
        m.insert(
            member.into(),
            Value::Array(page.items.iter().map(encode).collect()),
        );
        if let Some(after) = page.next {
            let t = token::seal(
                &self.engine.token_key(),
                listing,
                &after,
                self.engine.clock().now(),
            );
            m.insert("NextToken".into(), Value::from(t));
        }
        Value::Object(m)
    }

    async fn dispatch(
        &self,
        op: Operation,
        input: &Input,
        caller: String,
    ) -> Result<Value, WireError> {
        // Each listing's token is bound to the operation, the caller and the listing's parameters.
        let listing = |params: &[&str]| {
            let mut s = format!("{}\0{}", op.name(), caller);
            for p in params {
                s.push('\0');
                s.push_str(p);
            }
            s
        };
        Ok(match op {
            Operation::CreateOrganization => {
                let fs = match input.opt_str("FeatureSet")? {
                    None => None,
                    Some(s) => Some(input::one_of(
                        "FeatureSet",
                        s,
                        parse_feature_set,
                        "ALL, CONSOLIDATED_BILLING",
                    )?),
                };
                let org = self
                    .write(caller, move |cx, ids| ops::create_organization(cx, ids, fs))
                    .await?;
                json!({ "Organization": wire::organization(&org) })
            }
            Operation::DescribeOrganization => {
                let org = self.read(&caller, ops::describe_organization)?;
                json!({ "Organization": wire::organization(&org) })
            }
            Operation::DeleteOrganization => {
                self.write(caller, |cx, _| ops::delete_organization(cx))
                    .await?;
                json!({})
            }
            Operation::ListRoots => {
                let l = listing(&[]);
                let page = self.page_request(input, &l)?;
                let roots = self.read(&caller, |cx| ops::list_roots(cx, &page))?;
                self.page(&l, "Roots", roots, wire::root)
            }
            Operation::CreateOrganizationalUnit => {
                let parent = input.checked("ParentId", input::parent_id)?.to_string();
                let name = input.checked("Name", input::ou_name)?.to_string();
                let tags = input.tags("Tags")?.unwrap_or_default();
                let ou = self
                    .write(caller, move |cx, ids| {
                        ops::create_organizational_unit(cx, ids, &parent, &name, &tags)
                    })
                    .await?;
                json!({ "OrganizationalUnit": wire::ou(&ou) })
            }
            Operation::DescribeOrganizationalUnit => {
                let id = input.checked("OrganizationalUnitId", input::ou_id)?;
                let ou = self.read(&caller, |cx| ops::describe_organizational_unit(cx, id))?;
                json!({ "OrganizationalUnit": wire::ou(&ou) })
            }
            Operation::UpdateOrganizationalUnit => {
                let id = input
                    .checked("OrganizationalUnitId", input::ou_id)?
                    .to_string();
                let name = input.opt_str("Name")?.map(str::to_string);
                if let Some(n) = &name {
                    input::ou_name("Name", n)?;
                }
                let ou = self
                    .write(caller, move |cx, _| {
                        ops::update_organizational_unit(cx, &id, name.as_deref())
                    })
                    .await?;
                json!({ "OrganizationalUnit": wire::ou(&ou) })
            }
            Operation::DeleteOrganizationalUnit => {
                let id = input
                    .checked("OrganizationalUnitId", input::ou_id)?
                    .to_string();
                self.write(caller, move |cx, _| {
                    ops::delete_organizational_unit(cx, &id)
                })
                .await?;
                json!({})
            }
            Operation::ListOrganizationalUnitsForParent => {
                let parent = input.checked("ParentId", input::parent_id)?;
                let l = listing(&[parent]);
                let page = self.page_request(input, &l)?;
                let ous = self.read(&caller, |cx| {
                    ops::list_organizational_units_for_parent(cx, parent, &page)
                })?;
                self.page(&l, "OrganizationalUnits", ous, wire::ou)
            }
            Operation::ListChildren => {
                let parent = input.checked("ParentId", input::parent_id)?;
                let kind = input.str("ChildType")?;
                let child_type = input::one_of(
                    "ChildType",
                    kind,
                    parse_child_type,
                    "ACCOUNT, ORGANIZATIONAL_UNIT",
                )?;
                let l = listing(&[parent, kind]);
                let page = self.page_request(input, &l)?;
                let children = self.read(&caller, |cx| {
                    ops::list_children(cx, parent, child_type, &page)
                })?;
                self.page(
                    &l,
                    "Children",
                    children,
                    |(id, t)| json!({ "Id": id, "Type": t.as_str() }),
                )
            }
            Operation::ListParents => {
                let child = input.checked("ChildId", input::child_id)?;
                let l = listing(&[child]);
                let page = self.page_request(input, &l)?;
                let parents = self.read(&caller, |cx| ops::list_parents(cx, child, &page))?;
                self.page(
                    &l,
                    "Parents",
                    parents,
                    |(id, t)| json!({ "Id": id, "Type": t.as_str() }),
                )
            }
            Operation::CreateAccount => {
                let input::NewAccount { email, name, tags } = input::new_account(input)?;
                let status = self
                    .write(caller, move |cx, ids| {
                        ops::create_account(cx, ids, &email, &name, &tags)
                    })
                    .await?;
                json!({ "CreateAccountStatus": wire::create_account_status(&status) })
            }
            Operation::DescribeCreateAccountStatus => {
                let id =
                    input.checked("CreateAccountRequestId", input::create_account_request_id)?;
                let status =
                    self.read(&caller, |cx| ops::describe_create_account_status(cx, id))?;
                json!({ "CreateAccountStatus": wire::create_account_status(&status) })
            }
            Operation::ListCreateAccountStatus => {
                let names = input.str_list("States")?.unwrap_or_default();
                let states = names
                    .iter()
                    .map(|s| {
                        input::one_of(
                            "States",
                            s,
                            CreateAccountState::parse,
                            "IN_PROGRESS, SUCCEEDED, FAILED",
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let l = listing(&[&names.join(",")]);
                let page = self.page_request(input, &l)?;
                let statuses = self.read(&caller, |cx| {
                    ops::list_create_account_status(cx, &states, &page)
                })?;
                self.page(
                    &l,
                    "CreateAccountStatuses",
                    statuses,
                    wire::create_account_status,
                )
            }
            Operation::DescribeAccount => {
                let id = input.checked("AccountId", input::account_id)?;
                let account = self.read(&caller, |cx| ops::describe_account(cx, id))?;
                json!({ "Account": wire::account(&account) })
            }
            Operation::ListAccounts => {
                let l = listing(&[]);
                let page = self.page_request(input, &l)?;
                let accounts = self.read(&caller, |cx| ops::list_accounts(cx, &page))?;
                self.page(&l, "Accounts", accounts, wire::account)
            }
            Operation::ListAccountsForParent => {
                let parent = input.checked("ParentId", input::parent_id)?;
                let l = listing(&[parent]);
                let page = self.page_request(input, &l)?;
                let accounts = self.read(&caller, |cx| {
                    ops::list_accounts_for_parent(cx, parent, &page)
                })?;
                self.page(&l, "Accounts", accounts, wire::account)
            }
            Operation::MoveAccount => {
                let id = input.checked("AccountId", input::account_id)?.to_string();
                let src = input
                    .checked("SourceParentId", input::parent_id)?
                    .to_string();
                let dst = input
                    .checked("DestinationParentId", input::parent_id)?
                    .to_string();
                self.write(caller, move |cx, _| ops::move_account(cx, &id, &src, &dst))
                    .await?;
                json!({})
            }
            Operation::RemoveAccountFromOrganization => {
                let id = input.checked("AccountId", input::account_id)?.to_string();
                self.write(caller, move |cx, _| {
                    ops::remove_account_from_organization(cx, &id)
                })
                .await?;
                json!({})
            }
            Operation::CloseAccount => {
                let id = input.checked("AccountId", input::account_id)?.to_string();
                self.write(caller, move |cx, _| ops::close_account(cx, &id))
                    .await?;
                json!({})
            }
            Operation::TagResource => {
                let id = input.checked("ResourceId", input::taggable_id)?.to_string();
                let tags = input.tags("Tags")?.ok_or_else(|| input::required("Tags"))?;
                self.write(caller, move |cx, _| ops::tag_resource(cx, &id, &tags))
                    .await?;
                json!({})
            }
            Operation::UntagResource => {
                let id = input.checked("ResourceId", input::taggable_id)?.to_string();
                let keys = input
                    .str_list("TagKeys")?
                    .ok_or_else(|| input::required("TagKeys"))?;
                for k in &keys {
                    input::tag_key("TagKeys", k)?;
                }
                let keys: Vec<String> = keys.into_iter().map(str::to_string).collect();
                self.write(caller, move |cx, _| ops::untag_resource(cx, &id, &keys))
                    .await?;
                json!({})
            }
            Operation::ListTagsForResource => {
                let id = input.checked("ResourceId", input::taggable_id)?;
                let l = listing(&[id]);
                // All tags fit one page; a token is still checked so a forged one is refused.
                self.page_request(input, &l)?;
                let tags = self.read(&caller, |cx| ops::list_tags_for_resource(cx, id))?;
                json!({ "Tags": wire::tags(&tags) })
            }
            Operation::EnableAWSServiceAccess | Operation::DisableAWSServiceAccess => {
                let principal = input
                    .checked("ServicePrincipal", input::service_principal)?
                    .to_string();
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
            Operation::ListAWSServiceAccessForOrganization => {
                let l = listing(&[]);
                let page = self.page_request(input, &l)?;
                let enabled = self.read(&caller, |cx| ops::list_aws_service_access(cx, &page))?;
                self.page(
                    &l,
                    "EnabledServicePrincipals",
                    enabled,
                    |(p, t)| json!({ "ServicePrincipal": p, "DateEnabled": wire::timestamp(*t) }),
                )
            }
            Operation::RegisterDelegatedAdministrator
            | Operation::DeregisterDelegatedAdministrator => {
                let id = input.checked("AccountId", input::account_id)?.to_string();
                let principal = input
                    .checked("ServicePrincipal", input::service_principal)?
                    .to_string();
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
                let principal = input.opt_str("ServicePrincipal")?;
                if let Some(p) = principal {
                    input::service_principal("ServicePrincipal", p)?;
                }
                let l = listing(&[principal.unwrap_or_default()]);
                let page = self.page_request(input, &l)?;
                let admins = self.read(&caller, |cx| {
                    ops::list_delegated_administrators(cx, principal, &page)
                })?;
                self.page(
                    &l,
                    "DelegatedAdministrators",
                    admins,
                    wire::delegated_administrator,
                )
            }
            Operation::ListDelegatedServicesForAccount => {
                let id = input.checked("AccountId", input::account_id)?;
                let l = listing(&[id]);
                let page = self.page_request(input, &l)?;
                let services = self.read(&caller, |cx| {
                    ops::list_delegated_services_for_account(cx, id, &page)
                })?;
                self.page(&l, "DelegatedServices", services, |(p, t)| {
                    json!({ "ServicePrincipal": p, "DelegationEnabledDate": wire::timestamp(*t) })
                })
            }
            Operation::PutResourcePolicy => {
                let content = input.str("Content")?.to_string();
                input::length("Content", &content, 1, 40_000)?;
                let tags = input.tags("Tags")?.unwrap_or_default();
                let policy = self
                    .write(caller, move |cx, ids| {
                        ops::put_resource_policy(cx, ids, &content, &tags)
                    })
                    .await?;
                json!({ "ResourcePolicy": wire::resource_policy(&policy) })
            }
            Operation::DescribeResourcePolicy => {
                let policy = self.read(&caller, ops::describe_resource_policy)?;
                json!({ "ResourcePolicy": wire::resource_policy(&policy) })
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
                let target = input
                    .object("Target")?
                    .ok_or_else(|| input::required("Target"))?;
                let id = target.str("Id")?.to_string();
                input::length("Target.Id", &id, 1, 64)?;
                let kind = target.str("Type")?;
                let target = match kind {
                    "ACCOUNT" => {
                        input::account_id("Target.Id", &id)?;
                        ops::InviteTarget::Account(id)
                    }
                    "EMAIL" => {
                        input::email("Target.Id", &id)?;
                        ops::InviteTarget::Email(id)
                    }
                    "ORGANIZATION" => ops::InviteTarget::Organization(id),
                    other => {
                        return Err(input::one_of::<()>(
                            "Target.Type",
                            other,
                            |_| None,
                            "ACCOUNT, ORGANIZATION, EMAIL",
                        )
                        .unwrap_err());
                    }
                };
                let notes = input.opt_str("Notes")?.map(str::to_string);
                if let Some(n) = &notes {
                    input::length("Notes", n, 0, 1024)?;
                }
                let tags = input.tags("Tags")?.unwrap_or_default();
                let h = self
                    .write(caller, move |cx, ids| {
                        ops::invite_account_to_organization(cx, ids, target, notes, &tags)
                    })
                    .await?;
                json!({ "Handshake": wire::handshake(&h) })
            }
            Operation::AcceptHandshake
            | Operation::DeclineHandshake
            | Operation::CancelHandshake => {
                let id = input
                    .checked("HandshakeId", input::handshake_id)?
                    .to_string();
                let h = self
                    .write(caller, move |cx, _| match op {
                        Operation::AcceptHandshake => ops::accept_handshake(cx, &id),
                        Operation::DeclineHandshake => ops::decline_handshake(cx, &id),
                        _ => ops::cancel_handshake(cx, &id),
                    })
                    .await?;
                json!({ "Handshake": wire::handshake(&h) })
            }
            Operation::DescribeHandshake => {
                let id = input.checked("HandshakeId", input::handshake_id)?;
                let h = self.read(&caller, |cx| ops::describe_handshake(cx, id))?;
                json!({ "Handshake": wire::handshake(&h) })
            }
            Operation::EnableAllFeatures => {
                let h = self
                    .write(caller, |cx, ids| ops::enable_all_features(cx, ids))
                    .await?;
                json!({ "Handshake": wire::handshake(&h) })
            }
            Operation::ListHandshakesForAccount | Operation::ListHandshakesForOrganization => {
                let mut filter = ops::HandshakeFilter::default();
                let mut params = Vec::new();
                if let Some(f) = input.object("Filter")? {
                    if let Some(a) = f.opt_str("ActionType")? {
                        let allowed = "INVITE, ENABLE_ALL_FEATURES, APPROVE_ALL_FEATURES, ADD_ORGANIZATIONS_SERVICE_LINKED_ROLE, TRANSFER_RESPONSIBILITY";
                        let known = |s: &str| allowed.split(", ").any(|k| k == s).then_some(());
                        input::one_of("Filter.ActionType", a, known, allowed)?;
                        filter.action = Some(a.to_string());
                        params.push(a.to_string());
                    }
                    if let Some(p) = f.opt_str("ParentHandshakeId")? {
                        input::handshake_id("Filter.ParentHandshakeId", p)?;
                        filter.parent_id = Some(p.to_string());
                        params.push(p.to_string());
                    }
                }
                let refs: Vec<&str> = params.iter().map(String::as_str).collect();
                let l = listing(&refs);
                let page = self.page_request(input, &l)?;
                let handshakes = self.read(&caller, |cx| {
                    if op == Operation::ListHandshakesForAccount {
                        ops::list_handshakes_for_account(cx, &filter, &page)
                    } else {
                        ops::list_handshakes_for_organization(cx, &filter, &page)
                    }
                })?;
                self.page(&l, "Handshakes", handshakes, wire::handshake)
            }
            Operation::CreatePolicy => {
                let ty = input::policy_type("Type", input.str("Type")?)?;
                let name = input.str("Name")?.to_string();
                input::length("Name", &name, 1, 128)?;
                let description = input.str("Description")?.to_string();
                input::length("Description", &description, 0, 512)?;
                let content = input.str("Content")?.to_string();
                input::length("Content", &content, 1, usize::MAX)?;
                let tags = input.tags("Tags")?.unwrap_or_default();
                let p = self
                    .write(caller, move |cx, ids| {
                        ops::create_policy(cx, ids, ty, &name, &description, &content, &tags)
                    })
                    .await?;
                json!({ "Policy": wire::policy(&p) })
            }
            Operation::DescribePolicy => {
                let id = input.checked("PolicyId", input::policy_id)?;
                let p = self.read(&caller, |cx| ops::describe_policy(cx, id))?;
                json!({ "Policy": wire::policy(&p) })
            }
            Operation::UpdatePolicy => {
                let id = input.checked("PolicyId", input::policy_id)?.to_string();
                let name = input.opt_str("Name")?.map(str::to_string);
                if let Some(n) = &name {
                    input::length("Name", n, 1, 128)?;
                }
                let description = input.opt_str("Description")?.map(str::to_string);
                if let Some(d) = &description {
                    input::length("Description", d, 0, 512)?;
                }
                let content = input.opt_str("Content")?.map(str::to_string);
                if let Some(c) = &content {
                    input::length("Content", c, 1, usize::MAX)?;
                }
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
                json!({ "Policy": wire::policy(&p) })
            }
            Operation::DeletePolicy => {
                let id = input.checked("PolicyId", input::policy_id)?.to_string();
                self.write(caller, move |cx, _| ops::delete_policy(cx, &id))
                    .await?;
                json!({})
            }
            Operation::ListPolicies => {
                let filter = input.str("Filter")?;
                let ty = input::policy_type("Filter", filter)?;
                let l = listing(&[filter]);
                let page = self.page_request(input, &l)?;
                let policies = self.read(&caller, |cx| ops::list_policies(cx, ty, &page))?;
                self.page(&l, "Policies", policies, wire::policy_summary)
            }
            Operation::AttachPolicy | Operation::DetachPolicy => {
                let id = input.checked("PolicyId", input::policy_id)?.to_string();
                let target = input
                    .checked("TargetId", input::policy_target_id)?
                    .to_string();
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
                let target = input.checked("TargetId", input::policy_target_id)?;
                let filter = input.str("Filter")?;
                let ty = input::policy_type("Filter", filter)?;
                let l = listing(&[target, filter]);
                let page = self.page_request(input, &l)?;
                let policies = self.read(&caller, |cx| {
                    ops::list_policies_for_target(cx, target, ty, &page)
                })?;
                self.page(&l, "Policies", policies, wire::policy_summary)
            }
            Operation::ListTargetsForPolicy => {
                let id = input.checked("PolicyId", input::policy_id)?;
                let l = listing(&[id]);
                let page = self.page_request(input, &l)?;
                let targets =
                    self.read(&caller, |cx| ops::list_targets_for_policy(cx, id, &page))?;
                self.page(&l, "Targets", targets, wire::policy_target)
            }
            Operation::EnablePolicyType | Operation::DisablePolicyType => {
                let root = input.checked("RootId", input::root_id)?.to_string();
                let ty = input::policy_type("PolicyType", input.str("PolicyType")?)?;
                let r = self
                    .write(caller, move |cx, _| {
                        if op == Operation::EnablePolicyType {
                            ops::enable_policy_type(cx, &root, ty)
                        } else {
                            ops::disable_policy_type(cx, &root, ty)
                        }
                    })
                    .await?;
                json!({ "Root": wire::root(&r) })
            }
            Operation::DescribeEffectivePolicy => {
                let ty = input::policy_type("PolicyType", input.str("PolicyType")?)?;
                let target = input.opt_str("TargetId")?;
                if let Some(t) = target {
                    input::policy_target_id("TargetId", t)?;
                }
                let e = self.read(&caller, |cx| ops::describe_effective_policy(cx, ty, target))?;
                json!({ "EffectivePolicy": wire::effective_policy(&e) })
            }
            Operation::ListAccountsWithInvalidEffectivePolicy => {
                let name = input.str("PolicyType")?;
                let ty = input::policy_type("PolicyType", name)?;
                let l = listing(&[name]);
                let page = self.page_request(input, &l)?;
                let accounts = self.read(&caller, |cx| {
                    ops::list_accounts_with_invalid_effective_policy(cx, ty, &page)
                })?;
                let mut v = self.page(&l, "Accounts", accounts, wire::account);
                v["PolicyType"] = json!(ty.as_str());
                v
            }
            Operation::ListEffectivePolicyValidationErrors => {
                let id = input.checked("AccountId", input::account_id)?;
                let name = input.str("PolicyType")?;
                let ty = input::policy_type("PolicyType", name)?;
                let l = listing(&[id, name]);
                let page = self.page_request(input, &l)?;
                let r = self.read(&caller, |cx| {
                    ops::list_effective_policy_validation_errors(cx, id, ty, &page)
                })?;
                let mut v = self.page(
                    &l,
                    "EffectivePolicyValidationErrors",
                    r.errors,
                    wire::validation_error,
                );
                v["AccountId"] = json!(r.account_id);
                v["PolicyType"] = json!(r.policy_type.as_str());
                v["Path"] = json!(r.path);
                v["EvaluationTimestamp"] = wire::timestamp(r.evaluated_at);
                v
            }
            Operation::InviteOrganizationToTransferResponsibility => {
                let transfer_type = input::transfer_type("Type", input.str("Type")?)?;
                let target = invite_target(input)?;
                let start_at = input
                    .opt_timestamp("StartTimestamp")?
                    .ok_or_else(|| input::required("StartTimestamp"))?;
                let name = input
                    .checked("SourceName", input::transfer_name)?
                    .to_string();
                let notes = input.opt_str("Notes")?.map(str::to_string);
                if let Some(n) = &notes {
                    input::length("Notes", n, 0, 1024)?;
                }
                let tags = input.tags("Tags")?.unwrap_or_default();
                let invitation = ops::TransferInvitation {
                    transfer_type,
                    target,
                    notes,
                    start_at,
                    name,
                    tags,
                };
                let h = self
                    .write(caller, move |cx, ids| {
                        ops::invite_organization_to_transfer_responsibility(cx, ids, invitation)
                    })
                    .await?;
                json!({ "Handshake": wire::handshake(&h) })
            }
            Operation::DescribeResponsibilityTransfer => {
                let id = input.checked("Id", input::transfer_id)?;
                let t = self.read(&caller, |cx| ops::describe_responsibility_transfer(cx, id))?;
                json!({ "ResponsibilityTransfer": wire::responsibility_transfer(&t) })
            }
            Operation::UpdateResponsibilityTransfer => {
                let id = input.checked("Id", input::transfer_id)?.to_string();
                let name = input.checked("Name", input::transfer_name)?.to_string();
                let t = self
                    .write(caller, move |cx, _| {
                        ops::update_responsibility_transfer(cx, &id, &name)
                    })
                    .await?;
                json!({ "ResponsibilityTransfer": wire::responsibility_transfer(&t) })
            }
            Operation::TerminateResponsibilityTransfer => {
                let id = input.checked("Id", input::transfer_id)?.to_string();
                let end = input.opt_timestamp("EndTimestamp")?;
                let t = self
                    .write(caller, move |cx, _| {
                        ops::terminate_responsibility_transfer(cx, &id, end)
                    })
                    .await?;
                json!({ "ResponsibilityTransfer": wire::responsibility_transfer(&t) })
            }
            Operation::ListInboundResponsibilityTransfers
            | Operation::ListOutboundResponsibilityTransfers => {
                let kind = input.str("Type")?;
                let ty = input::transfer_type("Type", kind)?;
                let id = match op {
                    Operation::ListInboundResponsibilityTransfers => input.opt_str("Id")?,
                    _ => None,
                };
                if let Some(id) = id {
                    input::transfer_id("Id", id)?;
                }
                let l = listing(&[kind, id.unwrap_or_default()]);
                let page = self.page_request(input, &l)?;
                let transfers = self.read(&caller, |cx| {
                    if op == Operation::ListInboundResponsibilityTransfers {
                        ops::list_inbound_responsibility_transfers(cx, ty, id, &page)
                    } else {
                        ops::list_outbound_responsibility_transfers(cx, ty, &page)
                    }
                })?;
                self.page(
                    &l,
                    "ResponsibilityTransfers",
                    transfers,
                    wire::responsibility_transfer,
                )
            }
            Operation::CreateGovCloudAccount => {
                let tags = input::new_account(input)?.tags;
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

/// The `Target` `HandshakeParty` of an invitation: an account ID, an email or an organization.
fn invite_target(input: &Input) -> Result<ops::InviteTarget, WireError> {
    let target = input
        .object("Target")?
        .ok_or_else(|| input::required("Target"))?;
    let id = target.str("Id")?.to_string();
    input::length("Target.Id", &id, 1, 64)?;
    match target.str("Type")? {
        "ACCOUNT" => {
            input::account_id("Target.Id", &id)?;
            Ok(ops::InviteTarget::Account(id))
        }
        "EMAIL" => {
            input::email("Target.Id", &id)?;
            Ok(ops::InviteTarget::Email(id))
        }
        "ORGANIZATION" => Ok(ops::InviteTarget::Organization(id)),
        other => input::one_of(
            "Target.Type",
            other,
            |_| None,
            "ACCOUNT, ORGANIZATION, EMAIL",
        ),
    }
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
