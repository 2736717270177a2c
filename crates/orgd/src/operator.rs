//! Operators' endpoints beside the API: `GET /metrics`, `GET /_orgd/export` and
//! `POST /_orgd/import`. Their answers are orgd's own (Prometheus text, or JSON with `error` and
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
