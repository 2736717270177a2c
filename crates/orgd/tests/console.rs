//! `GET /console`: the web console's files, embedded in the binary, served with the media types a
//! browser needs to run them (a module script served as anything but JavaScript does not run),
//! beside an API that keeps answering as before.

mod common;

use common::*;

#[tokio::test]
async fn the_console_is_served_with_the_right_content_types() {
    let server = start().await;
    for (path, content_type, needle) in [
        (
            "/console",
            "text/html; charset=utf-8",
            "<title>orgd console</title>",
        ),
        ("/console/", "text/html; charset=utf-8", "/console/app.js"),
        ("/console/index.html", "text/html; charset=utf-8", "<nav>"),
        (
            "/console/app.js",
            "text/javascript; charset=utf-8",
            "ListAccountsForParent",
        ),
        (
            "/console/api.js",
            "text/javascript; charset=utf-8",
            "AWSOrganizationsV20161128.",
        ),
        (
            "/console/model.js",
            "text/javascript; charset=utf-8",
            "export const POLICY_TYPES = [\"SERVICE_CONTROL_POLICY\"",
        ),
        (
            "/console/sigv4.js",
            "text/javascript; charset=utf-8",
            "AWS4-HMAC-SHA256",
        ),
        (
            "/console/dom.js",
            "text/javascript; charset=utf-8",
            "export function h(",
        ),
        ("/console/console.css", "text/css; charset=utf-8", ".tree"),
        ("/console/favicon.svg", "image/svg+xml", "<svg"),
    ] {
        let (status, got, body) = http(&server, "GET", path, b"").await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(got, content_type, "{path}");
        let body = String::from_utf8(body).unwrap();
        assert!(body.contains(needle), "{path} lacks {needle:?}");
    }
    let (status, content_type, _) = http(&server, "GET", "/console/missing.js", b"").await;
    assert_eq!(status, 404);
    assert_eq!(content_type, "text/plain; charset=utf-8");
    // The console lives beside the API, not in its place.
    let (status, content_type, _) = http(&server, "GET", "/", b"").await;
    assert_eq!(status, 405);
    assert_eq!(content_type, "application/x-amz-json-1.1");
    server.stop().await.unwrap();
}
