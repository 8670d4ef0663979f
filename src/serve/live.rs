//! Live reload over Server-Sent Events (`/__cityreport/events`).
//!
//! SSE rather than WebSocket: the traffic is one-way, browsers reconnect on their own, and it is
//! plain HTTP that tiny_http can carry on one thread per open page.
//!
//! Every event carries `id: <generation>`. A browser that reconnects (after a network hiccup or a
//! server restart) sends it back as `Last-Event-ID`; if the site changed in between, the server
//! answers with a `reload` straight away, so a page never stays stale because it missed an event.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::json;

use super::BuildFailure;
use super::state::Snapshot;

/// More open pages than this is a runaway loop, not a person previewing; refusing them keeps the
/// thread count bounded.
const MAX_STREAMS: usize = 64;
/// Events a slow page may have pending before it is dropped (it reconnects and catches up via
/// `Last-Event-ID`), so one stuck tab can never hold up a rebuild's broadcast.
const QUEUE_PER_STREAM: usize = 16;
/// A comment line this often lets a dead connection show up as a write error and keeps proxies
/// from closing an idle stream.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How soon a browser should reconnect after losing the stream.
const RETRY_MS: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LiveEvent {
    /// A new good build. `in_place`: only pages changed (no styles or fonts), so an open page
    /// may swap in its new body instead of reloading.
    Reload { generation: u64, in_place: bool },
    Error { generation: u64, failure: BuildFailure },
}

impl LiveEvent {
    /// The event in SSE wire format.
    pub(crate) fn to_sse(&self) -> String {
        match self {
            LiveEvent::Reload { generation, in_place } => {
                let data = json!({ "generation": generation, "inPlace": in_place });
                format!("id: {generation}\nevent: reload\ndata: {data}\n\n")
            }
            LiveEvent::Error { generation, failure } => {
                // serde_json never emits a raw newline, so the JSON fits on one `data:` line.
                let data = json!(failure).to_string();
                format!("id: {generation}\nevent: error\ndata: {data}\n\n")
            }
        }
    }
}

/// Fans events out to every open page.
pub(crate) struct Hub {
    streams: Mutex<Vec<SyncSender<Arc<str>>>>,
    closed: AtomicBool,
}

impl Hub {
    pub(crate) fn new() -> Self {
        Self { streams: Mutex::new(Vec::new()), closed: AtomicBool::new(false) }
    }

    /// A new stream's queue, or `None` when the server is shutting down or too many are open.
    pub(crate) fn subscribe(&self) -> Option<Receiver<Arc<str>>> {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        if self.closed.load(Ordering::SeqCst) || streams.len() >= MAX_STREAMS {
            return None;
        }
        let (tx, rx) = mpsc::sync_channel(QUEUE_PER_STREAM);
        streams.push(tx);
        Some(rx)
    }

    pub(crate) fn broadcast(&self, event: &LiveEvent) {
        let message: Arc<str> = event.to_sse().into();
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        streams.retain(|tx| match tx.try_send(Arc::clone(&message)) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => false,
        });
    }

    /// Ends every stream: their threads see the queue close and return.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.streams.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

/// What a page gets as soon as it connects: how soon to reconnect, the current generation, a
/// `reload` if it reconnected from an older site, and the current build error if there is one.
pub(crate) fn greeting(now: &Snapshot, last_event_id: Option<&str>) -> String {
    let generation = now.generation;
    let mut out = format!("retry: {RETRY_MS}\nid: {generation}\nevent: hello\ndata: {}\n\n", now.status_json());
    let stale = last_event_id.is_some_and(|id| id.trim() != generation.to_string());
    if stale {
        // The page missed builds (or the server restarted): what changed is unknown.
        out.push_str(&LiveEvent::Reload { generation, in_place: false }.to_sse());
    }
    if let Some(failure) = &now.error {
        out.push_str(&LiveEvent::Error { generation, failure: failure.clone() }.to_sse());
    }
    out
}

/// Writes the response head, the greeting and then every event until the page goes away or the
/// server shuts down. Runs on its own thread.
pub(crate) fn stream(mut out: impl Write, greeting: &str, events: Receiver<Arc<str>>) -> io::Result<()> {
    // Written by hand because tiny_http's chunked encoder holds back up to 8 KiB before sending,
    // and an event is a few bytes that must arrive now. The body ends when the connection
    // closes, which is what `Connection: close` announces.
    out.write_all(
        b"HTTP/1.1 200 OK\r\n\
          Content-Type: text/event-stream; charset=utf-8\r\n\
          Cache-Control: no-store\r\n\
          X-Accel-Buffering: no\r\n\
          Connection: close\r\n\r\n",
    )?;
    out.write_all(greeting.as_bytes())?;
    out.flush()?;
    loop {
        match events.recv_timeout(KEEPALIVE) {
            Ok(message) => out.write_all(message.as_bytes())?,
            Err(RecvTimeoutError::Timeout) => out.write_all(b": keepalive\n\n")?,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        out.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::SiteFiles;

    fn snapshot(generation: u64, error: Option<BuildFailure>) -> Snapshot {
        Snapshot { site: Arc::new(SiteFiles::new()), generation, error }
    }

    #[test]
    fn error_event_is_one_json_line_even_with_newlines_in_the_message() {
        let failure = BuildFailure { file: Some("a.md".into()), line: Some(2), message: "x\ny".into() };
        let sse = LiveEvent::Error { generation: 4, failure }.to_sse();
        assert_eq!(sse, "id: 4\nevent: error\ndata: {\"file\":\"a.md\",\"line\":2,\"message\":\"x\\ny\"}\n\n");
    }

    #[test]
    fn reconnecting_from_an_older_generation_gets_a_reload() {
        // A full one: the page cannot know what changed while it was away.
        assert!(greeting(&snapshot(3, None), Some("2")).contains("event: reload\ndata: {\"generation\":3,\"inPlace\":false}\n\n"));
        assert!(!greeting(&snapshot(3, None), Some("3")).contains("event: reload"));
        assert!(!greeting(&snapshot(3, None), None).contains("event: reload"));
        let with_error = greeting(&snapshot(3, Some(BuildFailure::new("boom"))), None);
        assert!(with_error.contains("event: error\ndata: {\"file\":null,\"line\":null,\"message\":\"boom\"}"));
    }

    #[test]
    fn a_stuck_stream_is_dropped_instead_of_blocking_the_broadcast() {
        let hub = Hub::new();
        let stuck = hub.subscribe().unwrap();
        let live = hub.subscribe().unwrap();
        for generation in 0..(QUEUE_PER_STREAM as u64 + 1) {
            hub.broadcast(&LiveEvent::Reload { generation, in_place: true });
            // The live stream keeps up; the stuck one never reads.
            live.try_recv().unwrap();
        }
        assert_eq!(hub.streams.lock().unwrap().len(), 1);
        drop(stuck);
        hub.close();
        assert!(hub.subscribe().is_none());
        assert!(live.recv().is_err(), "closing the hub ends the stream");
    }
}
