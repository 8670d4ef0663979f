//! `cityreport serve`: a local preview server that rebuilds the site when its sources change and
//! tells open pages to reload.
//!
//! The pieces each do one job and meet only here:
//! - [`paths`] turns a request target into a safe site key (or refuses it),
//! - [`content_type`] names the media type of a key,
//! - [`server`] accepts connections and speaks HTTP on them (hyper on a one-thread tokio
//!   runtime), with limits on what a client may send and how slowly,
//! - [`http`] answers requests from the in-memory site,
//! - [`live`] pushes `reload` / `error` events to pages over Server-Sent Events,
//! - [`watch`] turns file-system events into batches of changed paths,
//! - [`rebuild`] decides when to call the builder (coalescing batches),
//! - [`state`] holds the last good site and the current build error.
//!
//! The site is never written to disk while previewing: what is served is exactly the
//! [`SiteFiles`] the builder returned, so `site/` is untouched and no request can reach a file
//! the builder did not produce.

mod content_type;
mod host;
mod http;
mod live;
mod paths;
mod preview;
mod rebuild;
mod server;
mod state;
mod watch;

pub use preview::PreviewBuilder;

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::output::SiteFiles;

/// Why a build failed, pointing at the source that caused it when the pipeline knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildFailure {
    /// Source file (as the user would name it), if known.
    pub file: Option<String>,
    /// 1-based line in `file`, if known.
    pub line: Option<usize>,
    pub message: String,
}

impl BuildFailure {
    pub fn new(message: impl Into<String>) -> Self {
        Self { file: None, line: None, message: message.into() }
    }
}

impl fmt::Display for BuildFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => write!(f, "{file}:{line}: {}", self.message),
            (Some(file), None) => write!(f, "{file}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// The build pipeline as the preview server sees it.
pub trait Rebuild: Send + 'static {
    /// Builds the whole site into memory.
    ///
    /// `changed` = paths (absolute) that changed since the last call; empty on the first build.
    /// A builder may use it to skip work, or ignore it and rebuild everything.
    fn rebuild(&mut self, changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure>;

    /// A file the preview makes only when a reader asks for it (the print edition, too slow to
    /// make on every save), at site path `path`; `None` if there is no such file.
    fn on_demand(&mut self, _path: &str) -> Option<Result<Vec<u8>, BuildFailure>> {
        None
    }
}

/// Settings of the preview server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Address to listen on; loopback by default so a preview is not exposed to the network.
    pub bind: IpAddr,
    /// Port to listen on; 0 picks any free port (see [`ServerHandle::addr`]).
    pub port: u16,
    /// Folders to watch recursively; ones that do not exist are skipped.
    pub watch: Vec<PathBuf>,
    /// How long the sources must stay quiet before a rebuild starts, so that editors have
    /// finished writing (a reload sent mid-write shows a half-built page): the watcher holds each
    /// event this long, and the rebuild worker then waits half as long again for the rest of a
    /// save that the watcher released a tick later (see `rebuild`).
    pub debounce: Duration,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8000,
            watch: Vec::new(),
            // Editors write a file in one burst (or write + rename) well within this; the page
            // should show the save within the 100 ms budget, so the waits are kept short: 20 ms
            // held, up to 5 ms to the watcher's next tick, 10 ms to settle.
            debounce: Duration::from_millis(20),
        }
    }
}

/// A running preview server. Dropping it shuts the server down.
pub struct ServerHandle {
    addr: SocketAddr,
    http: Option<server::HttpServer>,
    hub: Arc<live::Hub>,
    rebuild: Option<rebuild::Worker>,
    watcher: Option<watch::Watcher>,
}

impl ServerHandle {
    /// The address actually listened on (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops watching, rebuilding and serving, and waits for the server's threads to end.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        // Order matters: no new file events, then no new builds, then no connections (stopping
        // the HTTP server closes every one, live streams included: an open page reconnects to
        // the next server and reloads); then the hub, which by then has no stream left.
        drop(self.watcher.take());
        if let Some(worker) = self.rebuild.take() {
            worker.stop();
        }
        if let Some(http) = self.http.take() {
            http.stop();
        }
        self.hub.close();
    }

    /// Blocks until the server stops (for `run`, that is until the process is interrupted).
    fn wait(mut self) {
        if let Some(http) = self.http.take() {
            http.wait();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts the preview server and returns once it is listening and the first build is done.
///
/// A failing first build does not stop the server: it serves an empty site whose 404 page shows
/// the error overlay, and recovers on the next good build.
pub fn start<B: Rebuild>(config: ServeConfig, mut builder: B) -> io::Result<ServerHandle> {
    // Bind before building so that a busy port is reported at once.
    let listener = TcpListener::bind((config.bind, config.port))?;
    let addr = listener.local_addr()?;

    let state = Arc::new(state::SiteState::new());
    let hub = Arc::new(live::Hub::new());

    // The watcher starts before the first build, so an edit made while it runs is queued for
    // the next build instead of being lost.
    let (changes_tx, changes_rx) = mpsc::channel();
    let to_worker = changes_tx.clone();
    let watcher = watch::Watcher::start(&config.watch, config.debounce, move |paths| {
        // Fails only once the worker has stopped, when nobody needs the change any more.
        let _ = to_worker.send(rebuild::Message::Changed(paths));
    })?;

    let mut publish = publisher(Arc::clone(&state), Arc::clone(&hub));
    let started = Instant::now();
    let first = rebuild::run_guarded(&mut builder, &[]);
    publish(first, &[], started.elapsed());

    state.accept_demands(changes_tx.clone());
    let worker = rebuild::Worker::spawn(builder, config.debounce / 2, changes_tx, changes_rx, publish)?;
    let http = server::HttpServer::spawn(listener, Arc::clone(&state), Arc::clone(&hub), server::Limits::PREVIEW)?;

    Ok(ServerHandle { addr, http: Some(http), hub, rebuild: Some(worker), watcher })
}

/// Runs the preview server until the process is interrupted (used by the CLI).
pub fn run<B: Rebuild>(config: ServeConfig, builder: B) -> io::Result<()> {
    let handle = start(config, builder)?;
    println!("Serving at http://{}/", handle.addr());
    println!("Press Ctrl+C to stop.");
    handle.wait();
    Ok(())
}

/// What happens after each build: report it on the terminal, make it the served state, and tell
/// the open pages.
fn publisher(
    state: Arc<state::SiteState>,
    hub: Arc<live::Hub>,
) -> impl FnMut(Result<SiteFiles, BuildFailure>, &[PathBuf], Duration) + Send + 'static {
    move |result, changed, elapsed| {
        match &result {
            Ok(site) => println!(
                "Built {} files in {} ms{}",
                site.len(),
                elapsed.as_millis(),
                describe_changes(changed)
            ),
            // Kept on stderr so that it stands out from the build log and scripts can tell.
            Err(failure) => eprintln!("Build error: {failure} (still serving the last good build)"),
        }
        let event = state.publish(result);
        hub.broadcast(&event);
    }
}

fn describe_changes(changed: &[PathBuf]) -> String {
    match changed {
        [] => String::new(),
        [one] => format!(" ({} changed)", one.display()),
        many => format!(" ({} files changed)", many.len()),
    }
}
