//! `GET /console`: the web console, served by orgd itself. Its files (`crates/orgd/assets/console/`:
//! plain HTML, CSS and JavaScript modules, no build step) are compiled into the binary, so the
//! console needs no network and no files beside the binary. The console holds no privilege: it
//! acts through orgd's AWS API (`POST /`) as the caller account chosen in the page, with a SigV4
//! `Authorization` header it builds itself, so every rule of the API applies to what it shows and
//! does.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::server::App;

/// One embedded file: its name under `/console/`, its media type and its bytes.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const SVG: &str = "image/svg+xml";

/// Every file of the console. `index.html` is also what `/console` and `/console/` serve.
const ASSETS: &[Asset] = &[
    Asset {
        name: "index.html",
        content_type: HTML,
        body: include_str!("../assets/console/index.html"),
    },
    Asset {
        name: "console.css",
        content_type: CSS,
        body: include_str!("../assets/console/console.css"),
    },
    Asset {
        name: "app.js",
        content_type: JS,
        body: include_str!("../assets/console/app.js"),
    },
    Asset {
        name: "api.js",
        content_type: JS,
        body: include_str!("../assets/console/api.js"),
    },
    Asset {
        name: "sigv4.js",
        content_type: JS,
        body: include_str!("../assets/console/sigv4.js"),
    },
    Asset {
        name: "dom.js",
        content_type: JS,
        body: include_str!("../assets/console/dom.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: SVG,
        body: include_str!("../assets/console/favicon.svg"),
    },
];

/// The page may load only its own files and call only its own origin: nothing from a CDN, no
/// inline script.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'none'";

/// The console's routes, merged into the server's router.
pub(crate) fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/console", get(index))
        .route("/console/", get(index))
        .route("/console/{file}", get(file))
}

async fn index() -> Response {
    serve(&ASSETS[0])
}

async fn file(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => serve(asset),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("the console has no file {name:?}\n"),
        )
            .into_response(),
    }
}

fn serve(asset: &Asset) -> Response {
    let mut response = asset.body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    // The files change only with the binary; revalidating is cheap and never shows a stale page.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_page_loads_is_embedded() {
        let index = ASSETS[0].body;
        for a in ASSETS {
            let referenced = index.contains(&format!("/console/{}", a.name))
                || ASSETS
                    .iter()
                    .any(|other| other.body.contains(&format!("./{}", a.name)));
            assert!(
                a.name == "index.html" || referenced,
                "{} is embedded but nothing loads it",
                a.name
            );
        }
        // Every module a script imports is one of the embedded files.
        let import = regex::Regex::new(r#"from\s+["']\./([^"']+)["']"#).unwrap();
        for a in ASSETS.iter().filter(|a| a.content_type == JS) {
            for c in import.captures_iter(a.body) {
                assert!(
                    ASSETS.iter().any(|x| x.name == &c[1]),
                    "{} imports {} which is not embedded",
                    a.name,
                    &c[1]
                );
            }
        }
        // Nothing is fetched from another origin.
        for a in ASSETS {
            assert!(
                !a.body.contains("https://"),
                "{} names a remote URL",
                a.name
            );
        }
    }
}
