//! Answers HTTP requests from the in-memory site, plus the three `/__cityreport/` routes of live
//! reload.
//!
//! tiny_http accepts connections on its own threads; a few workers here take requests from it.
//! Site files are served straight from memory so a worker is busy only for the write. Each live
//! reload stream gets a thread of its own, since it stays open as long as the page.

use std::io::{self, Cursor};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::content_type;
use super::live::{self, Hub};
use super::paths::{self, Lookup};
use super::state::SiteState;
use crate::output::SiteFiles;

/// Enough for a browser loading a page and its assets in parallel on a 2-core machine.
const WORKERS: usize = 4;
const PREFIX: &str = "/__cityreport/";
const LIVE_JS: &str = include_str!("live.js");
const JS: &str = "application/javascript; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// Shown when the site has no `404.html` of its own. It loads the live script so that, when the
/// first build failed and the site is empty, the error overlay still appears and the page
/// reloads once the build is fixed.
const FALLBACK_404: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>404 Not Found</title><script src=\"/__cityreport/live.js\" defer></script></head>\n\
<body><h1>404 Not Found / 未找到</h1><p>This path is not part of the site being previewed.</p>\
</body></html>\n";

pub(crate) struct HttpServer {
    server: Arc<Server>,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl HttpServer {
    pub(crate) fn spawn(listener: TcpListener, state: Arc<SiteState>, hub: Arc<Hub>) -> io::Result<Self> {
        let server = Arc::new(Server::from_listener(listener, None).map_err(io::Error::other)?);
        let stopping = Arc::new(AtomicBool::new(false));
        let mut workers = Vec::with_capacity(WORKERS);
        for n in 0..WORKERS {
            let (server, stopping, state, hub) =
                (Arc::clone(&server), Arc::clone(&stopping), Arc::clone(&state), Arc::clone(&hub));
            let worker = thread::Builder::new().name(format!("cityreport-http-{n}")).spawn(move || {
                loop {
                    match server.recv() {
                        Ok(request) => handle(request, &state, &hub),
                        // `recv` fails when `stop` unblocks it, and also for a connection that
                        // failed before sending a request, which is no reason to stop serving.
                        Err(_) if stopping.load(Ordering::SeqCst) => return,
                        Err(_) => continue,
                    }
                }
            })?;
            workers.push(worker);
        }
        Ok(Self { server, stopping, workers })
    }

    /// Stops taking requests and waits for the workers; the listening socket closes with them.
    pub(crate) fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        for _ in &self.workers {
            self.server.unblock();
        }
        self.wait();
    }

    pub(crate) fn wait(self) {
        for worker in self.workers {
            let _ = worker.join();
        }
    }
}

fn handle(request: Request, state: &SiteState, hub: &Hub) {
    let head = match request.method() {
        Method::Get => false,
        Method::Head => true,
        _ => {
            let allow = [("Allow", "GET, HEAD")];
            return send(request, 405, "text/plain; charset=utf-8", Cursor::new(b"Method Not Allowed\n"), &allow);
        }
    };
    let target = request.url().to_owned();
    let path = target.split(['?', '#']).next().unwrap_or_default();
    match path.strip_prefix(PREFIX) {
        Some("live.js") => send(request, 200, JS, Cursor::new(LIVE_JS.as_bytes()), &[]),
        Some("status") => {
            let body = state.snapshot().status_json();
            send(request, 200, "application/json", Cursor::new(body.into_bytes()), &[])
        }
        Some("events") if !head => open_stream(request, state, hub),
        Some("events") => send(request, 200, "text/event-stream; charset=utf-8", Cursor::new(&[][..]), &[]),
        // The prefix is ours: a site file can never hide behind it.
        Some(_) => not_found(request, &state.site()),
        None => {
            let snapshot = state.snapshot();
            serve_site(request, &target, snapshot.site, snapshot.generation)
        }
    }
}

fn serve_site(request: Request, target: &str, site: Arc<SiteFiles>, generation: u64) {
    match paths::lookup(target, |key| site.files.contains_key(key)) {
        Lookup::File(key) => {
            let content_type = content_type::for_key(&key);
            // The build a page came from, readable by live.js through the Performance API
            // (PerformanceNavigationTiming.serverTiming): a page served just before a rebuild
            // finished, whose event stream connects just after, sees it is stale and reloads.
            let stamp = format!("cityreport-build;desc=\"{generation}\"");
            // Site files may be kept by the browser but must be revalidated on every use
            // (`no-cache`): a reload then gets a bodiless 304 for what did not change — above
            // all the 4 MB of fonts — and the new bytes for what did.
            let etag = entity_tag(site.get(&key).unwrap_or_default());
            let fresh = request
                .headers()
                .iter()
                .any(|h| h.field.equiv("If-None-Match") && h.value.as_str().split(',').any(|t| t.trim() == etag));
            let headers = [("Server-Timing", stamp.as_str()), ("ETag", etag.as_str()), ("Cache-Control", "no-cache")];
            if fresh {
                send(request, 304, content_type, Cursor::new(&[][..]), &headers)
            } else {
                send(request, 200, content_type, Cursor::new(SiteBytes { site, key }), &headers)
            }
        }
        Lookup::Redirect(location) => {
            let body = Cursor::new(format!("Moved to {location}\n").into_bytes());
            send(request, 301, "text/plain; charset=utf-8", body, &[("Location", &location)])
        }
        Lookup::NotFound => not_found(request, &site),
    }
}

fn not_found(request: Request, site: &Arc<SiteFiles>) {
    if site.files.contains_key("404.html") {
        let body = SiteBytes { site: Arc::clone(site), key: "404.html".to_owned() };
        send(request, 404, HTML, Cursor::new(body), &[])
    } else {
        send(request, 404, HTML, Cursor::new(FALLBACK_404.as_bytes()), &[])
    }
}

/// Hands the connection to a thread that streams live-reload events into it.
fn open_stream(request: Request, state: &SiteState, hub: &Hub) {
    // Subscribe before reading the state: an event published in between then arrives twice
    // (harmless) instead of not at all.
    let Some(events) = hub.subscribe() else {
        return send(request, 503, "text/plain; charset=utf-8", Cursor::new(b"Too many live streams\n"), &[]);
    };
    let last_event_id = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Last-Event-ID"))
        .map(|h| h.value.as_str().to_owned());
    let greeting = live::greeting(&state.snapshot(), last_event_id.as_deref());
    let out = request.into_writer();
    // If the thread cannot be spawned, the connection is dropped and the browser retries.
    let _ = thread::Builder::new().name("cityreport-live".into()).spawn(move || {
        // An error here only means the page went away.
        let _ = live::stream(out, &greeting, events);
    });
}

/// A site file's bytes, shared with the site rather than copied per request.
struct SiteBytes {
    site: Arc<SiteFiles>,
    key: String,
}

impl AsRef<[u8]> for SiteBytes {
    fn as_ref(&self) -> &[u8] {
        self.site.get(&self.key).unwrap_or_default()
    }
}

/// A strong entity tag from the file's bytes (SipHash: fast, and collisions only cost a reload).
fn entity_tag(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("\"{:016x}-{}\"", h.finish(), bytes.len())
}

/// Sends a complete response. Responses say `no-store` unless `extra` gives another
/// Cache-Control (site files: `no-cache` with an ETag): a preview must never show a page from
/// the browser cache after a rebuild.
fn send<T: AsRef<[u8]>>(request: Request, status: u16, content_type: &str, body: Cursor<T>, extra: &[(&str, &str)]) {
    let len = body.get_ref().as_ref().len();
    let cache = if extra.iter().any(|(name, _)| name.eq_ignore_ascii_case("Cache-Control")) { None } else { Some(("Cache-Control", "no-store")) };
    let headers: Vec<Header> = [("Content-Type", content_type), ("X-Content-Type-Options", "nosniff")]
        .into_iter()
        .chain(cache)
        .chain(extra.iter().copied())
    .filter_map(|(name, value)| Header::from_bytes(name.as_bytes(), value.as_bytes()).ok())
    .collect();
    let response = Response::new(StatusCode(status), headers, body, Some(len), None);
    // Fails only when the client has gone away, which needs no answer.
    let _ = request.respond(response);
}

