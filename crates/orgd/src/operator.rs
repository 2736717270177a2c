//! Operators' endpoints beside the API: `GET /metrics`, `GET /_orgd/export`,
//! `POST /_orgd/import` and `GET /_orgd/dry-run-denials`. Their answers are orgd's own (Prometheus text, or JSON with `error` and
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
    let read = tokio::time::timeout(
        app.body_timeout,
        axum::body::to_bytes(req.into_body(), MAX_IMPORT_BYTES),
    );
    let bytes = match read.await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return refusal(StatusCode::BAD_REQUEST, "UnreadableBody", e),
        Err(_) => {
            return refusal(
                StatusCode::REQUEST_TIMEOUT,
                "RequestTimeout",
                "the document did not arrive in time",
            );
        }
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
