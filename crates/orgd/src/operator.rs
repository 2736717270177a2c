//! Operators' endpoints beside the API: `GET /metrics`, `GET /_orgd/export`,
//! `POST /_orgd/import`, `POST /_orgd/simulate` and `GET /_orgd/dry-run-denials`. Their answers are orgd's own (Prometheus text, or JSON with `error` and
//! `message` when refused), not AWS-shaped.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::engine::ImportError;
use crate::export::{Document, DocumentError};
use crate::server::App;

/// The largest export document `POST /_orgd/import` reads.
pub const MAX_IMPORT_BYTES: usize = 512 * 1024 * 1024;

/// `GET /metrics`.
pub(crate) async fn metrics(State(app): State<Arc<App>>) -> Response {
    let text = app.metrics.render();
    ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text).into_response()
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// A refusal: `{"error": CODE, "message": TEXT}`.
fn refusal(status: StatusCode, code: &str, message: impl std::fmt::Display) -> Response {
    let body = serde_json::json!({ "error": code, "message": message.to_string() });
    json(status, body.to_string().into_bytes())
}

/// Reads a whole request body of at most `max` bytes within the server's body deadline; the
/// refusal to answer otherwise (`what` names the body in it).
async fn read_body(
    app: &App,
    req: Request,
    max: usize,
    what: &str,
) -> Result<axum::body::Bytes, Response> {
    match tokio::time::timeout(app.body_timeout, axum::body::to_bytes(req.into_body(), max)).await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(e)) => Err(refusal(StatusCode::BAD_REQUEST, "UnreadableBody", e)),
        Err(_) => Err(refusal(
            StatusCode::REQUEST_TIMEOUT,
            "RequestTimeout",
            format!("{what} did not arrive in time"),
        )),
    }
}

/// `GET /_orgd/export`: the whole state, as one consistent snapshot.
pub(crate) async fn export(State(app): State<Arc<App>>) -> Response {
    let engine = app.engine.clone();
    match tokio::task::spawn_blocking(move || engine.inspect(Document::of).to_json()).await {
        Ok(body) => json(StatusCode::OK, body),
        Err(e) => refusal(StatusCode::INTERNAL_SERVER_ERROR, "InternalFailure", e),
    }
}

/// `POST /_orgd/import`: loads an export document into an empty orgd. Refused with 400 for a
/// document that is not a valid one, 409 if orgd holds any organization or account; either way
/// nothing changes. Answers the number of entities of each kind imported.
pub(crate) async fn import(State(app): State<Arc<App>>, req: Request) -> Response {
    let bytes = match read_body(&app, req, MAX_IMPORT_BYTES, "the document").await {
        Ok(b) => b,
        Err(refused) => return refused,
    };
    let engine = app.engine.clone();
    let loaded = tokio::task::spawn_blocking(move || {
        let doc = Document::parse(&bytes).map_err(Refused::Document)?;
        let counts = doc.counts();
        engine
            .import(doc.into_changes(), &mut |_| {})
            .map_err(Refused::Import)?;
        Ok::<_, Refused>(counts)
    })
    .await;
    match loaded {
        Ok(Ok(counts)) => {
            tracing::info!(?counts, "state imported");
            let body = serde_json::json!({ "imported": counts });
            json(StatusCode::OK, body.to_string().into_bytes())
        }
        Ok(Err(Refused::Document(e))) => refusal(StatusCode::BAD_REQUEST, e.code(), &e),
        Ok(Err(Refused::Import(e @ ImportError::NotEmpty { .. }))) => {
            refusal(StatusCode::CONFLICT, "NotEmpty", e)
        }
        Ok(Err(Refused::Import(e @ ImportError::Store(_)))) => {
            tracing::error!(error = %e, "import failed");
            refusal(StatusCode::INTERNAL_SERVER_ERROR, "StoreFailure", e)
        }
        Err(e) => refusal(StatusCode::INTERNAL_SERVER_ERROR, "InternalFailure", e),
    }
}

enum Refused {
    Document(DocumentError),
    Import(ImportError),
}

/// The largest simulation request `POST /_orgd/simulate` reads.
const MAX_SIMULATE_BYTES: usize = 64 * 1024;

/// A simulation request: would `action` by `account_id` on `resource` be allowed?
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Simulation {
    account_id: String,
    /// `service:Action`, e.g. `organizations:LeaveOrganization` or `s3:GetObject`.
    action: String,
    /// The resource's ARN; absent for an action without a resource type.
    #[serde(default)]
    resource: Option<String>,
    /// Condition keys and their values (a string, number or boolean, or a list of them).
    #[serde(default)]
    context: serde_json::Map<String, serde_json::Value>,
}

/// `POST /_orgd/simulate`: the SCPs and RCPs in effect on an account decide a request, through the
/// same evaluator that authorizes member accounts' calls (`orgd_domain::guardrails`). Answers
/// `{"decision": "allowed"|"denied", "reason", "message"?, "policies": [...]}`, each policy with
/// where it is attached, whether it decided, and its statements that matched the request.
pub(crate) async fn simulate(State(app): State<Arc<App>>, req: Request) -> Response {
    use orgd_domain::guardrails::{self, Decision, Exemption};
    use orgd_domain::policy::{Context, Effect};
    use serde_json::{Value, json};

    let bytes = match read_body(&app, req, MAX_SIMULATE_BYTES, "the request").await {
        Ok(b) => b,
        Err(refused) => return refused,
    };
    let sim: Simulation = match serde_json::from_slice(&bytes) {
        Ok(s) => s,
        Err(e) => return refusal(StatusCode::BAD_REQUEST, "InvalidRequest", e),
    };
    let well_formed = sim
        .action
        .split_once(':')
        .is_some_and(|(s, a)| !s.is_empty() && !a.is_empty() && !a.contains(':'));
    if !well_formed {
        return refusal(
            StatusCode::BAD_REQUEST,
            "InvalidRequest",
            format!("\"{}\" is not an action: write service:Action", sim.action),
        );
    }
    let mut context = Context::new();
    for (key, value) in &sim.context {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Bool(_) | Value::Number(_) => Some(v.to_string()),
            _ => None,
        };
        let values = match value {
            Value::Array(items) => items.iter().map(text).collect::<Option<Vec<_>>>(),
            v => text(v).map(|t| vec![t]),
        };
        match values {
            Some(values) => {
                context.set_all(key, values);
            }
            None => {
                return refusal(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    format!(
                        "context key {key}: a value is a string, number or boolean, or a list of them"
                    ),
                );
            }
        }
    }
    let region = context
        .get("aws:RequestedRegion")
        .and_then(|v| v.first())
        .cloned();
    let partition = region
        .as_deref()
        .map_or("aws", crate::aws::arn::partition_of);
    context.set_default(
        "aws:PrincipalArn",
        crate::aws::guard::principal_arn(partition, &sim.account_id),
    );
    let now = app.engine.clock().now();
    let eval = app.engine.inspect(|state| {
        guardrails::evaluate(
            state,
            &sim.account_id,
            &sim.action,
            sim.resource.as_deref(),
            &context,
            now,
        )
    });
    let reason = match (&eval.decision, eval.exemption) {
        (_, Some(Exemption::ManagementAccount)) => "management_account",
        (_, Some(Exemption::NotInOrganization)) => "not_in_organization",
        (Decision::Allowed, None) => "allowed",
        (Decision::ExplicitDeny { .. }, None) => "explicit_deny",
        (Decision::ImplicitDeny { .. }, None) => "implicit_deny",
    };
    let policies: Vec<Value> = eval
        .policies
        .iter()
        .map(|p| {
            let decided = match &eval.decision {
                Decision::ExplicitDeny { policy_id, .. } => *policy_id == p.policy_id,
                Decision::ImplicitDeny { .. } => false,
                Decision::Allowed => p.matched.iter().any(|m| m.effect == Effect::Allow),
            };
            json!({
                "id": p.policy_id,
                "name": p.name,
                "type": p.policy_type.as_str(),
                "arn": crate::aws::arn::arn(partition, &p.resource_name),
                "target_id": p.target_id,
                "decided": decided,
                "statements": p.matched.iter().map(|m| json!({
                    "index": m.index,
                    "sid": m.sid,
                    "effect": match m.effect { Effect::Allow => "Allow", Effect::Deny => "Deny" },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut body = json!({
        "decision": if eval.decision.is_allowed() { "allowed" } else { "denied" },
        "reason": reason,
        "policies": policies,
    });
    if let Decision::ImplicitDeny { target_id, .. } = &eval.decision {
        body["denied_at"] = Value::from(target_id.clone());
    }
    if let Some(message) = crate::aws::guard::denial(&eval, partition, &sim.account_id, &sim.action)
    {
        body["message"] = Value::from(message);
    }
    json(StatusCode::OK, body.to_string().into_bytes())
}

/// `GET /_orgd/dry-run-denials?account_id=ID&action=SERVICE:RESOURCE:ACTION`: what the dry-run
/// SCPs that apply to a member account of a Huawei organization would have denied of an action
/// (`ops::dry_run_denials`, evaluated as the organization's management account): each `Deny`
/// statement naming the action, with where its policy is attached and whether a `Condition` or
/// `Resource` (which orgd does not evaluate) narrows it.
pub(crate) async fn dry_run_denials(State(app): State<Arc<App>>, req: Request) -> Response {
    let query = crate::huawei::request::Query::parse(req.uri().query());
    let (Ok(Some(account)), Ok(Some(action))) = (query.one("account_id"), query.one("action"))
    else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            "account_id and action are required, once each",
        );
    };
    let Some(mgmt) = app
        .engine
        .inspect(|s| s.org_of(account).map(|o| o.management_account_id.clone()))
    else {
        return refusal(
            StatusCode::NOT_FOUND,
            "AccountNotFound",
            format!("{account} is in no organization"),
        );
    };
    match app.engine.read(&mgmt, |cx| {
        orgd_domain::ops::dry_run_denials(cx, account, action)
    }) {
        Ok(denials) => {
            let denials: Vec<serde_json::Value> = denials
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "policy_id": d.policy_id,
                        "policy_name": d.policy_name,
                        "attached_to": d.target_id,
                        "statement": d.statement,
                        "conditional": d.conditional,
                        "narrowed": d.narrowed,
                    })
                })
                .collect();
            let body = serde_json::json!({
                "account_id": account,
                "action": action,
                "denials": denials,
            });
            json(StatusCode::OK, body.to_string().into_bytes())
        }
        Err(e) => refusal(StatusCode::BAD_REQUEST, "Refused", format!("{e:?}")),
    }
}
