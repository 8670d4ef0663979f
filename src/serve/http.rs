//! Answers HTTP requests from the in-memory site, plus the three `/__cityreport/` routes of live
//! reload. Connections are handled in [`super::server`]; this module turns one request into one
//! response, without waiting for anything.

use std::sync::Arc;

use hyper::body::{Body, Bytes, Frame, SizeHint};
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::content_type;
use super::live::{EventStream, Hub};
use super::paths::{self, Lookup};
use super::state::SiteState;
use crate::output::SiteFiles;

const PREFIX: &str = "/__cityreport/";
const LIVE_JS: &str = include_str!("live.js");
const JS: &str = "application/javascript; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const SERVER_TIMING: HeaderName = HeaderName::from_static("server-timing");
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");
const X_ACCEL_BUFFERING: HeaderName = HeaderName::from_static("x-accel-buffering");

/// Shown when the site has no `404.html` of its own. It loads the live script so that, when the
/// first build failed and the site is empty, the error overlay still appears and the page
/// reloads once the build is fixed.
const FALLBACK_404: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>404 Not Found</title><script src=\"/__cityreport/live.js\" defer></script></head>\n\
<body><h1>404 Not Found / 未找到</h1><p>This path is not part of the site being previewed.</p>\
</body></html>\n";

/// The body of a response: bytes known in full, or a live-reload stream.
pub(crate) enum Reply {
    /// `None` once sent (or when empty).
    Full(Option<Bytes>),
    Events(EventStream),
}

impl Reply {
    fn full(bytes: Bytes) -> Self {
        Reply::Full(Some(bytes).filter(|b| !b.is_empty()))
    }
}

impl Body for Reply {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Reply::Full(bytes) => std::task::Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Reply::Events(stream) => std::pin::Pin::new(stream).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Reply::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            // Known in full, so hyper sends a Content-Length (for HEAD too, without the body).
            Reply::Full(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Reply::Events(_) => SizeHint::default(),
        }
    }
}

/// Answers one request. `B` is the request body, which is never read.
pub(crate) fn handle<B: Body>(request: &Request<B>, state: &SiteState, hub: &Hub, bound: std::net::SocketAddr) -> Response<Reply> {
    // Nothing here takes a body. Refusing one without reading it means a client cannot make the
    // server hold (or wait for) any of it, whatever length it announces; the connection closes
    // after the answer, so the unread bytes are never taken for the next request.
    if !request.body().is_end_stream() {
        let close = [(header::CONNECTION, "close")];
        return send(StatusCode::PAYLOAD_TOO_LARGE, TEXT, Bytes::from_static(b"Request bodies are not accepted\n"), &close);
    }
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if !super::host::allowed(host, bound) {
        let message = format!(
            "This preview answers only requests for localhost or {bound}, not for {:?} (a page on another site may be trying to read it).\n\
             Open http://localhost:{}/ instead.\n",
            host.unwrap_or(""),
            bound.port()
        );
        return send(StatusCode::MISDIRECTED_REQUEST, TEXT, Bytes::from(message), &[]);
    }
    let head = match *request.method() {
        Method::GET => false,
        Method::HEAD => true,
        _ => {
            let allow = [(header::ALLOW, "GET, HEAD")];
            return send(StatusCode::METHOD_NOT_ALLOWED, TEXT, Bytes::from_static(b"Method Not Allowed\n"), &allow);
        }
    };
    // Origin-form (`/a/b?x`) as sent; the absolute form a proxy would send is reduced to it.
    let target = request.uri().path_and_query().map_or("", |pq| pq.as_str());
    match request.uri().path().strip_prefix(PREFIX) {
        Some("live.js") => send(StatusCode::OK, JS, Bytes::from_static(LIVE_JS.as_bytes()), &[]),
        Some("status") => send(StatusCode::OK, "application/json", Bytes::from(state.snapshot().status_json()), &[]),
        Some("events") if !head => open_stream(request, state, hub),
        Some("events") => send(StatusCode::OK, "text/event-stream; charset=utf-8", Bytes::new(), &[]),
        // The prefix is ours: a site file can never hide behind it.
        Some(_) => not_found(&state.site()),
        None => {
            let snapshot = state.snapshot();
            serve_site(request, target, &snapshot.site, snapshot.generation)
        }
    }
}

/// The site path of a file the preview makes only when asked for — a print edition,
/// `<year>/<lang>/report.pdf`, that the last build does not hold — if `request` is a GET or HEAD
/// for one that passes the checks every request passes.
pub(crate) fn on_demand_path<B: Body>(request: &Request<B>, state: &SiteState, bound: std::net::SocketAddr) -> Option<String> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) || !request.body().is_end_stream() {
        return None;
    }
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if !super::host::allowed(host, bound) {
        return None;
    }
    let key = request.uri().path().strip_prefix('/')?;
    let parts: Vec<&str> = key.split('/').collect();
    let is_book = matches!(parts.as_slice(), [year, lang, file]
        if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit())
            && crate::model::Lang::from_code(lang).is_some()
            && *file == crate::site::book::BOOK_FILE);
    (is_book && !state.site().files.contains_key(key)).then(|| key.to_string())
}

/// The answer to a request for a file made on demand: the file, the build error that kept it
/// from being made, or `None` (no such file: answered as any other request).
pub(crate) fn demanded(path: &str, made: Option<Result<Vec<u8>, super::BuildFailure>>, head: bool) -> Option<Response<Reply>> {
    match made? {
        Ok(bytes) => {
            let content_type = content_type::for_key(path);
            let body = if head { Bytes::new() } else { Bytes::from(bytes) };
            Some(send(StatusCode::OK, content_type, body, &[]))
        }
        Err(failure) => {
            let body = Bytes::from(format!("The print edition could not be made:\n{failure}\n"));
            Some(send(StatusCode::INTERNAL_SERVER_ERROR, TEXT, body, &[]))
        }
    }
}

fn serve_site<B>(request: &Request<B>, target: &str, site: &Arc<SiteFiles>, generation: u64) -> Response<Reply> {
    match paths::lookup(target, |key| site.files.contains_key(key)) {
        Lookup::File(key) => {
            let content_type = content_type::for_key(&key);
            let bytes = site.files.get(&key).cloned().unwrap_or_else(|| Arc::from(&[][..]));
            // The build a page came from, readable by live.js through the Performance API
            // (PerformanceNavigationTiming.serverTiming): a page served just before a rebuild
            // finished, whose event stream connects just after, sees it is stale and reloads.
            let stamp = format!("cityreport-build;desc=\"{generation}\"");
            // Site files may be kept by the browser but must be revalidated on every use
            // (`no-cache`): a reload then gets a bodiless 304 for what did not change — above
            // all the 4 MB of fonts — and the new bytes for what did.
            let etag = entity_tag(&bytes);
            let fresh = request
                .headers()
                .get_all(header::IF_NONE_MATCH)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .any(|value| value.split(',').any(|tag| tag.trim() == etag));
            let headers = [(SERVER_TIMING, stamp.as_str()), (header::ETAG, etag.as_str()), (header::CACHE_CONTROL, "no-cache")];
            if fresh {
                send(StatusCode::NOT_MODIFIED, content_type, Bytes::new(), &headers)
            } else {
                // Shares the site's bytes rather than copying them per request.
                send(StatusCode::OK, content_type, Bytes::from_owner(bytes), &headers)
            }
        }
        Lookup::Redirect(location) => {
            let body = Bytes::from(format!("Moved to {location}\n"));
            send(StatusCode::MOVED_PERMANENTLY, TEXT, body, &[(header::LOCATION, &location)])
        }
        Lookup::NotFound => not_found(site),
    }
}

fn not_found(site: &Arc<SiteFiles>) -> Response<Reply> {
    let body = match site.files.get("404.html") {
        Some(page) => Bytes::from_owner(Arc::clone(page)),
        None => Bytes::from_static(FALLBACK_404.as_bytes()),
    };
    send(StatusCode::NOT_FOUND, HTML, body, &[])
}

/// A live-reload stream: the greeting, then events until the page goes away.
fn open_stream<B>(request: &Request<B>, state: &SiteState, hub: &Hub) -> Response<Reply> {
    // Subscribe before reading the state: an event published in between then arrives twice
    // (harmless) instead of not at all.
    let Some(events) = hub.subscribe() else {
        return send(StatusCode::SERVICE_UNAVAILABLE, TEXT, Bytes::from_static(b"Too many live streams\n"), &[]);
    };
    let last_event_id = request.headers().get(LAST_EVENT_ID).and_then(|v| v.to_str().ok());
    let greeting = state.snapshot().greeting(last_event_id);
    let mut response = send(StatusCode::OK, "text/event-stream; charset=utf-8", Bytes::new(), &[(X_ACCEL_BUFFERING, "no")]);
    *response.body_mut() = Reply::Events(EventStream::new(greeting, events));
    response
}

/// A strong entity tag from the file's bytes (SipHash: fast, and collisions only cost a reload).
fn entity_tag(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}-{}\"", h.finish(), bytes.len())
}

/// A complete response. Responses say `no-store` unless `extra` gives another Cache-Control
/// (site files: `no-cache` with an ETag): a preview must never show a page from the browser
/// cache after a rebuild. A value that cannot go into a header is left out rather than sent.
fn send(status: StatusCode, content_type: &'static str, body: Bytes, extra: &[(HeaderName, &str)]) -> Response<Reply> {
    let mut response = Response::new(Reply::full(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for (name, value) in extra {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name.clone(), value);
        }
    }
    response
}
