//! The HTTP side of the preview: an axum router that answers from the snapshot in memory.
//!
//! It owns URL-to-file mapping (folders serve their `index.html`, a folder asked for without
//! its trailing slash is redirected, anything else is the theme's 404 page with status 404),
//! the refusal of paths that try to climb out (`..` raw, percent-encoded or double-encoded,
//! backslashes, NUL), HEAD, and the live-reload routes. It never touches the file system, so
//! even a path that slipped through could only name a page of the site.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

use super::reload::{self, EVENTS_PATH, SCRIPT_PATH};
use super::snapshot::{NOT_FOUND_PAGE, Preview, SiteFile};

/// The preview's routes over the state published by the rebuild loop.
pub fn router(preview: watch::Receiver<Preview>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(reload::events))
        .route(SCRIPT_PATH, get(script))
        .fallback(site_file)
        .with_state(preview)
        // A preview changes under the browser's feet: never let it answer from its cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        reload::SCRIPT,
    )
        .into_response()
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// The output file with this path.
    File(String),
    /// A folder asked for without its trailing slash: redirect to the path with one.
    Folder(String),
    /// Nothing of the site.
    Missing,
    /// A path no site file can have: climbing out, backslashes, control characters, bad UTF-8.
    Refused,
}

async fn site_file(State(preview): State<watch::Receiver<Preview>>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    let preview = preview.borrow().clone();
    let head = method == Method::HEAD;
    let Some(site) = preview.site.as_deref() else {
        let failure = preview.failure.as_deref().unwrap_or_default();
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            &html_file(reload::failure_page(failure)),
            None,
            head,
        );
    };
    let uri = request.uri();
    let target = resolve(uri.path(), |path| site.get(path).is_some());
    let failure = preview.failure.as_deref();
    match target {
        Target::File(path) => match site.get(&path) {
            Some(file) => respond(StatusCode::OK, file, failure, head),
            None => not_found(site.get(NOT_FOUND_PAGE), failure, head),
        },
        Target::Folder(path) => {
            let location = match uri.query() {
                Some(query) => format!("/{path}/?{query}"),
                None => format!("/{path}/"),
            };
            // 302, not 301: a preview's folder may become a file tomorrow, and browsers keep 301s.
            (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
        }
        Target::Missing => not_found(site.get(NOT_FOUND_PAGE), failure, head),
        Target::Refused => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
    }
}

fn html_file(bytes: Vec<u8>) -> SiteFile {
    SiteFile {
        bytes: Bytes::from(bytes),
        content_type: "text/html; charset=utf-8",
    }
}

fn not_found(
    page: Option<&SiteFile>,
    failure: Option<&[crate::diagnostic::Diagnostic]>,
    head: bool,
) -> Response {
    let fallback;
    let page = match page {
        Some(page) => page,
        None => {
            fallback = html_file(b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><main><h1>Not found</h1></main></body></html>".to_vec());
            &fallback
        }
    };
    respond(StatusCode::NOT_FOUND, page, failure, head)
}

/// The response for `file`: HTML gets the live-reload script (and the overlay when the last
/// build failed); HEAD gets the same headers and no body.
fn respond(
    status: StatusCode,
    file: &SiteFile,
    failure: Option<&[crate::diagnostic::Diagnostic]>,
    head: bool,
) -> Response {
    let bytes = if file.is_html() {
        Bytes::from(reload::inject(&file.bytes, failure))
    } else {
        file.bytes.clone()
    };
    let length = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut response = (status, [(header::CONTENT_TYPE, file.content_type)], body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// Maps a raw request path to a target; `exists` says whether an output file exists.
fn resolve(raw: &str, exists: impl Fn(&str) -> bool) -> Target {
    let Some(path) = decode(raw) else {
        return Target::Refused;
    };
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        return Target::File(format!("{relative}index.html"));
    }
    if exists(relative) {
        return Target::File(relative.to_owned());
    }
    if exists(&format!("{relative}/index.html")) {
        return Target::Folder(relative.to_owned());
    }
    Target::Missing
}

/// The decoded path, or `None` when it is not one a site file can have. Decoding happens
/// once; a `%` left after it (double encoding) is refused rather than decoded again, so
/// `%252e%252e` cannot turn into `..` further down.
fn decode(raw: &str) -> Option<String> {
    let path = percent_decode_str(raw).decode_utf8().ok()?;
    let refused = |c: char| c == '\\' || c == '%' || c.is_control();
    if path.contains(refused) {
        return None;
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(path.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        [
            "index.html",
            "briefings/x/index.html",
            "style.css",
            "404.html",
        ]
        .contains(&path)
    }

    #[test]
    fn folders_serve_their_index() {
        assert_eq!(resolve("/", site), Target::File("index.html".into()));
        assert_eq!(
            resolve("/briefings/x/", site),
            Target::File("briefings/x/index.html".into())
        );
        assert_eq!(
            resolve("/style.css", site),
            Target::File("style.css".into())
        );
    }

    #[test]
    fn folders_without_slash_redirect() {
        assert_eq!(
            resolve("/briefings/x", site),
            Target::Folder("briefings/x".into())
        );
        assert_eq!(
            resolve("/briefings/%78", site),
            Target::Folder("briefings/x".into())
        );
    }

    #[test]
    fn unknown_paths_are_missing() {
        assert_eq!(
            resolve("/briefings/y/", site),
            Target::File("briefings/y/index.html".into())
        );
        assert_eq!(resolve("/nothing", site), Target::Missing);
    }

    #[test]
    fn climbing_out_is_refused_in_every_spelling() {
        for raw in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/..%5c..%5cetc%5cpasswd",
            "/..\\..\\etc\\passwd",
            "/%252e%252e/%252e%252e/etc/passwd",
            "/./index.html",
            "/..././",
            "/briefings/%00",
            "/%ff%fe",
        ] {
            assert_eq!(resolve(raw, site), Target::Refused, "{raw}");
        }
    }

    #[test]
    fn dots_inside_names_are_fine() {
        assert_eq!(
            resolve("/.../", |_| false),
            Target::File(".../index.html".into())
        );
        assert_eq!(
            resolve("/a..b/", |_| false),
            Target::File("a..b/index.html".into())
        );
    }
}
