//! The Huawei Cloud Organizations adapter: REST paths under `/v1/...` and `/v2/...` (API.md),
//! served beside the AWS API on the same address, through the same engine and store.
//!
//! A request is routed (`routes.rs`: the one table of the 69 operations), its caller identified
//! (`auth.rs`), throttled, its query and body read (`request.rs`), and handed to the operation's
//! handler, which calls the domain through the engine and encodes the answer (`wire.rs`, URNs in
//! `urn.rs`). Every refusal has Huawei's shape (`errors.rs`), and every answer an `X-Request-Id`.
//!
//! Handlers live by family: `organizations.rs`, `accounts.rs`, `handshakes.rs`, `services.rs`;
//! `policies.rs` and `tags.rs` belong to the policies work.

mod accounts;
pub mod auth;
pub mod errors;
mod handshakes;
mod organizations;
mod policies;
pub mod request;
pub mod routes;
mod services;
pub mod sign;
mod tags;
pub mod urn;
pub mod wire;

use std::sync::Arc;

use orgd_domain::OrgError;
use orgd_domain::ids::IdSource;
use orgd_domain::ops::PolicyMode::{DryRun, Enforced};
use orgd_domain::ops::{Ctx, Write};
use serde_json::Value;

use crate::engine::{Engine, EngineError};
use crate::throttle::Throttle;
pub use auth::Auth;
use errors::HwError;
use request::{Body, Call, Query};
use routes::{Op, Resolved};

/// The content type of every Huawei answer with a body.
pub const CONTENT_TYPE: &str = "application/json";

/// The largest request body the Huawei API reads: its largest member is a policy document of
/// 20,000 characters (API.md §9); at six bytes a character (JSON `\uXXXX` escapes) that is under
/// 128 KiB. Like the AWS side, 1 MiB leaves room for over-long documents to get their own error.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What a handler answers: a JSON body, or none (the route's status says which success).
pub type Answer = Result<Option<Value>, HwError>;

/// The Huawei Organizations API over one engine.
pub struct HuaweiApi {
    engine: Arc<Engine>,
    auth: Auth,
    throttle: Throttle,
}

/// The parts of an HTTP request the adapter reads.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a axum::http::HeaderMap,
    pub body: &'a [u8],
}

/// What the HTTP layer needs to answer and log a request.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The JSON body; empty for none.
    pub body: Vec<u8>,
    pub operation: Option<&'static str>,
    pub caller: Option<String>,
    /// The `error_code` of a refusal.
    pub error: Option<&'static str>,
    /// The methods the path allows, for a 405.
    pub allow: Option<String>,
}

impl Reply {
    /// The answer to a refusal.
    pub fn error(e: &HwError, request_id: &str) -> Reply {
        Reply {
            status: e.status,
            body: serde_json::to_vec(&e.body(request_id)).unwrap_or_default(),
            operation: None,
            caller: None,
            error: Some(e.code),
            allow: None,
        }
    }
}

impl HuaweiApi {
    pub fn new(engine: Arc<Engine>, auth: Auth, throttle: Throttle) -> Self {
        HuaweiApi {
            engine,
            auth,
            throttle,
        }
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Answers one request; `request_id` goes in an error's body (the server puts it in
    /// `X-Request-Id`).
    pub async fn handle(&self, req: Request<'_>, request_id: &str) -> Reply {
        let (route, params) = match routes::resolve(req.method, req.path) {
            Resolved::Op { route, params } => (route, params),
            Resolved::UnknownPath => {
                return Reply::error(&HwError::unknown_path(req.method, req.path), request_id);
            }
            Resolved::WrongMethod { allowed } => {
                let mut reply =
                    Reply::error(&HwError::wrong_method(req.method, &allowed), request_id);
                reply.allow = Some(allowed.join(", "));
                return reply;
            }
        };
        let mut reply = Reply {
            status: route.status,
            body: Vec::new(),
            operation: Some(route.op.name()),
            caller: None,
            error: None,
            allow: None,
        };
        match self.serve(route.op, params, &req, &mut reply).await {
            Ok(Some(v)) => reply.body = serde_json::to_vec(&v).unwrap_or_default(),
            Ok(None) => {}
            Err(e) => {
                let refused = Reply::error(&e, request_id);
                reply.status = refused.status;
                reply.body = refused.body;
                reply.error = refused.error;
            }
        }
        reply
    }

    async fn serve(
        &self,
        op: Op,
        params: Vec<(&'static str, String)>,
        req: &Request<'_>,
        reply: &mut Reply,
    ) -> Answer {
        let caller = auth::caller(
            &self.auth,
            &crate::signing::SignedRequest {
                method: req.method,
                path: req.path,
                query: req.query,
                headers: req.headers,
                body: req.body,
            },
        )?;
        reply.caller = Some(caller.clone());
        if !self.throttle.admit(&caller, std::time::Instant::now()) {
            return Err(HwError::throttled());
        }
        let call = Call {
            op,
            caller,
            params,
            query: Query::parse(req.query),
            body: Body::parse(req.body)?,
            language: req
                .headers
                .get("x-language")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        };
        self.prepare(&call.caller).await?;
        self.dispatch(&call).await
    }

    /// Remembers a first-time caller and settles whatever time made due, before the operation.
    async fn prepare(&self, caller: &str) -> Result<(), HwError> {
        self.engine.prepare(caller).await.map_err(engine_error)
    }

    /// Runs a read operation for `caller`.
    pub fn read<T>(
        &self,
        caller: &str,
        f: impl FnOnce(&Ctx) -> Result<T, OrgError>,
    ) -> Result<T, HwError> {
        self.engine.read(caller, f).map_err(engine_error)
    }

    /// Runs a write operation for `caller`, off the async workers.
    pub async fn write<T: Send + 'static>(
        &self,
        caller: &str,
        f: impl FnMut(&Ctx, &mut dyn IdSource) -> Result<Write<T>, OrgError> + Send + 'static,
    ) -> Result<T, HwError> {
        self.engine
            .write_async(caller, f)
            .await
            .map_err(engine_error)
    }

    async fn dispatch(&self, call: &Call) -> Answer {
        match call.op {
            Op::CreateOrganization => organizations::create_organization(self, call).await,
            Op::ShowOrganization => organizations::show_organization(self, call).await,
            Op::DeleteOrganization => organizations::delete_organization(self, call).await,
            Op::LeaveOrganization => organizations::leave_organization(self, call).await,
            Op::ListRoots => organizations::list_roots(self, call).await,
            Op::CreateOrganizationalUnit => {
                organizations::create_organizational_unit(self, call).await
            }
            Op::ListOrganizationalUnits => {
                organizations::list_organizational_units(self, call).await
            }
            Op::ShowOrganizationalUnit => organizations::show_organizational_unit(self, call).await,
            Op::UpdateOrganizationalUnit => {
                organizations::update_organizational_unit(self, call).await
            }
            Op::DeleteOrganizationalUnit => {
                organizations::delete_organizational_unit(self, call).await
            }
            Op::CreateAccount => accounts::create_account(self, call).await,
            Op::CreateResourceAccount => accounts::create_resource_account(self, call).await,
            Op::ListAccounts => accounts::list_accounts(self, call).await,
            Op::ShowAccount => accounts::show_account(self, call).await,
            Op::UpdateAccount => accounts::update_account(self, call).await,
            Op::MoveAccount => accounts::move_account(self, call).await,
            Op::RemoveAccount => accounts::remove_account(self, call).await,
            Op::CloseAccount => accounts::close_account(self, call).await,
            Op::InviteAccount => handshakes::invite_account(self, call).await,
            Op::ListCreateAccountStatuses => {
                accounts::list_create_account_statuses(self, call).await
            }
            Op::ShowCreateAccountStatus => accounts::show_create_account_status(self, call).await,
            Op::ListCloseAccountStatuses => accounts::list_close_account_statuses(self, call).await,
            Op::ListHandshakes => handshakes::list_handshakes(self, call).await,
            Op::ShowHandshake => handshakes::show_handshake(self, call).await,
            Op::CancelHandshake => handshakes::cancel_handshake(self, call).await,
            Op::ListReceivedHandshakes => handshakes::list_received_handshakes(self, call).await,
            Op::AcceptHandshake => handshakes::accept_handshake(self, call).await,
            Op::DeclineHandshake => handshakes::decline_handshake(self, call).await,
            Op::EnableTrustedService => services::enable_trusted_service(self, call).await,
            Op::DisableTrustedService => services::disable_trusted_service(self, call).await,
            Op::ListTrustedServices => services::list_trusted_services(self, call).await,
            Op::RegisterDelegatedAdministrator => {
                services::register_delegated_administrator(self, call).await
            }
            Op::DeregisterDelegatedAdministrator => {
                services::deregister_delegated_administrator(self, call).await
            }
            Op::ListDelegatedAdministrators => {
                services::list_delegated_administrators(self, call).await
            }
            Op::ListDelegatedServices => services::list_delegated_services(self, call).await,
            Op::CreatePolicy => policies::create_policy(self, call, Enforced).await,
            Op::ListPolicies => policies::list_policies(self, call, Enforced).await,
            Op::ShowPolicy => policies::show_policy(self, call, Enforced).await,
            Op::UpdatePolicy => policies::update_policy(self, call, Enforced).await,
            Op::DeletePolicy => policies::delete_policy(self, call, Enforced).await,
            Op::EnablePolicyType => policies::set_policy_type(self, call, true).await,
            Op::DisablePolicyType => policies::set_policy_type(self, call, false).await,
            Op::AttachPolicy => policies::attach_policy(self, call, Enforced, true).await,
            Op::DetachPolicy => policies::attach_policy(self, call, Enforced, false).await,
            Op::ListEntitiesForPolicy => {
                policies::list_entities_for_policy(self, call, Enforced).await
            }
            Op::ShowDryRunConfig => policies::show_dry_run_config(self, call).await,
            Op::UpdateDryRunConfig => policies::update_dry_run_config(self, call).await,
            Op::CreateDryRunPolicy => policies::create_policy(self, call, DryRun).await,
            Op::ListDryRunPolicies => policies::list_policies(self, call, DryRun).await,
            Op::ShowDryRunPolicy => policies::show_policy(self, call, DryRun).await,
            Op::UpdateDryRunPolicy => policies::update_policy(self, call, DryRun).await,
            Op::DeleteDryRunPolicy => policies::delete_policy(self, call, DryRun).await,
            Op::AttachDryRunPolicy => policies::attach_policy(self, call, DryRun, true).await,
            Op::DetachDryRunPolicy => policies::attach_policy(self, call, DryRun, false).await,
            Op::ListEntitiesForDryRunPolicy => {
                policies::list_entities_for_policy(self, call, DryRun).await
            }
            Op::TagResource => tags::tag_resource(self, call).await,
            Op::UntagResource => tags::untag_resource(self, call).await,
            Op::ListTagsForResource => tags::list_tags_for_resource(self, call).await,
            Op::CreateTagResource => tags::create_tag_resource(self, call).await,
            Op::DeleteTagResource => tags::delete_tag_resource(self, call).await,
            Op::ListTagResources => tags::list_tag_resources(self, call).await,
            Op::ListResourceTags => tags::list_resource_tags(self, call).await,
            Op::ListResourceInstances => tags::list_resource_instances(self, call).await,
            Op::ShowResourceInstancesCount => tags::show_resource_instances_count(self, call).await,
            Op::ShowEffectivePolicies => policies::show_effective_policies(self, call).await,
            Op::ListEntities => organizations::list_entities(self, call).await,
            Op::ListServices => services::list_services(self, call).await,
            Op::ListTagPolicyServices => policies::list_tag_policy_services(self, call).await,
            Op::ListQuotas => organizations::list_quotas(self, call).await,
        }
    }
}

fn engine_error(e: EngineError) -> HwError {
    match e {
        EngineError::Domain(e) => HwError::from(e),
        EngineError::Store(e) => {
            tracing::error!(error = %e, "storage failed");
            HwError::internal()
        }
    }
}
