//! Live reload over Server-Sent Events (`/__cityreport/events`).
//!
//! SSE rather than WebSocket: the traffic is one-way, browsers reconnect on their own, and it is
//! plain HTTP. Each open page is one response body ([`EventStream`]) on the server's event loop,
//! not a thread: it ends when the page goes away (hyper sees the connection close, or a write
//! fails) and its slot in the [`Hub`] is free again at once.
//!
//! Every event carries `id: <generation>`. A browser that reconnects (after a network hiccup or a
//! server restart) sends it back as `Last-Event-ID`; if the site changed in between, the server
//! answers with a `reload` straight away, so a page never stays stale because it missed an event.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame};
use serde_json::json;
use tokio::sync::mpsc::{self, Receiver, Sender, error::TrySendError};
use tokio::time::Sleep;

use super::BuildFailure;

/// More pages open at once than this is a runaway loop, not a person previewing. Only pages that
/// are still connected count: a closed page gives its slot back.
const MAX_STREAMS: usize = 64;
/// Events a slow page may have pending before it is dropped (it reconnects and catches up via
/// `Last-Event-ID`), so one stuck tab can never hold up a rebuild's broadcast.
const QUEUE_PER_STREAM: usize = 16;
/// A comment line this often lets a vanished peer (no FIN, e.g. a laptop that went to sleep)
/// show up as a write error, and keeps proxies from closing an idle stream.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How soon a browser should reconnect after losing the stream.
pub(crate) const RETRY_MS: u32 = 1000;

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
    streams: Mutex<Vec<Sender<Bytes>>>,
    closed: AtomicBool,
}

impl Hub {
    pub(crate) fn new() -> Self {
        Self { streams: Mutex::new(Vec::new()), closed: AtomicBool::new(false) }
    }

    /// A new stream's queue, or `None` when the server is shutting down or too many pages are
    /// connected.
    pub(crate) fn subscribe(&self) -> Option<Receiver<Bytes>> {
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        // A page that went away dropped its receiver; forget it here rather than at the next
        // broadcast, which may be long in coming (no edits while the user reads).
        streams.retain(|tx| !tx.is_closed());
        if self.closed.load(Ordering::SeqCst) || streams.len() >= MAX_STREAMS {
            return None;
        }
        let (tx, rx) = mpsc::channel(QUEUE_PER_STREAM);
        streams.push(tx);
        Some(rx)
    }

    pub(crate) fn broadcast(&self, event: &LiveEvent) {
        let message = Bytes::from(event.to_sse());
        let mut streams = self.streams.lock().unwrap_or_else(PoisonError::into_inner);
        streams.retain(|tx| match tx.try_send(message.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) | Err(TrySendError::Closed(_)) => false,
        });
    }

    /// Ends every stream: their bodies see the queue close and finish.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.streams.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

/// The body of an event-stream response: the greeting, then every event until the hub drops
/// the stream, with a keepalive comment whenever it has been quiet for [`KEEPALIVE`].
///
/// Each piece is one frame, which hyper writes (as one chunk) and flushes at once: an event is
/// a few bytes that must arrive now, not when a buffer fills.
pub(crate) struct EventStream {
    greeting: Option<Bytes>,
    events: Receiver<Bytes>,
    /// Created on first poll, so that building a response needs no running timer.
    keepalive: Option<Pin<Box<Sleep>>>,
}

impl EventStream {
    pub(crate) fn new(greeting: String, events: Receiver<Bytes>) -> Self {
        Self { greeting: Some(Bytes::from(greeting)), events, keepalive: None }
    }

    fn restart_keepalive(&mut self) {
        let deadline = tokio::time::Instant::now() + KEEPALIVE;
        match &mut self.keepalive {
            Some(sleep) => sleep.as_mut().reset(deadline),
            None => self.keepalive = Some(Box::pin(tokio::time::sleep_until(deadline))),
        }
    }
}

impl Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = &mut *self;
        if let Some(greeting) = this.greeting.take() {
            this.restart_keepalive();
            return Poll::Ready(Some(Ok(Frame::data(greeting))));
        }
        match this.events.poll_recv(cx) {
            Poll::Ready(Some(message)) => {
                this.restart_keepalive();
                return Poll::Ready(Some(Ok(Frame::data(message))));
            }
            // The hub let go of the stream (server stopping, or the page fell too far behind).
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        let quiet = this.keepalive.as_mut().is_some_and(|sleep| sleep.as_mut().poll(cx).is_ready());
        if quiet {
            this.restart_keepalive();
            return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b": keepalive\n\n")))));
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::state::Snapshot;
    use crate::output::SiteFiles;
    use std::sync::Arc;
    use tokio::sync::mpsc::error::TryRecvError;

    fn snapshot_greeting(now: &Snapshot, last_event_id: Option<&str>) -> String {
        now.greeting(last_event_id)
    }

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
        assert!(snapshot_greeting(&snapshot(3, None), Some("2")).contains("event: reload\ndata: {\"generation\":3,\"inPlace\":false}\n\n"));
        assert!(!snapshot_greeting(&snapshot(3, None), Some("3")).contains("event: reload"));
        assert!(!snapshot_greeting(&snapshot(3, None), None).contains("event: reload"));
        let with_error = snapshot_greeting(&snapshot(3, Some(BuildFailure::new("boom"))), None);
        assert!(with_error.contains("event: error\ndata: {\"file\":null,\"line\":null,\"message\":\"boom\"}"));
    }

    #[test]
    fn a_stuck_stream_is_dropped_instead_of_blocking_the_broadcast() {
        let hub = Hub::new();
        let _stuck = hub.subscribe().unwrap();
        let mut live = hub.subscribe().unwrap();
        for generation in 0..(QUEUE_PER_STREAM as u64 + 1) {
            hub.broadcast(&LiveEvent::Reload { generation, in_place: true });
            // The live stream keeps up; the stuck one never reads.
            live.try_recv().unwrap();
        }
        assert_eq!(hub.streams.lock().unwrap().len(), 1);
        hub.close();
        assert!(hub.subscribe().is_none());
        assert_eq!(live.try_recv(), Err(TryRecvError::Disconnected), "closing the hub ends the stream");
    }

    #[test]
    fn a_page_that_goes_away_gives_its_slot_back_without_waiting_for_a_broadcast() {
        let hub = Hub::new();
        let mut open: Vec<_> = (0..MAX_STREAMS).map(|_| hub.subscribe().unwrap()).collect();
        assert!(hub.subscribe().is_none(), "the limit holds while every page is connected");
        // One page closes (its response body, and with it the receiver, is dropped).
        drop(open.pop());
        open.push(hub.subscribe().expect("the closed page's slot is free again"));
        assert!(hub.subscribe().is_none());
        // Many pages opened and closed one after another never run out of slots.
        drop(open);
        for _ in 0..MAX_STREAMS * 3 {
            drop(hub.subscribe().unwrap());
        }
    }

    #[test]
    fn a_stream_sends_the_greeting_then_each_event_and_ends_when_the_hub_closes() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let hub = Hub::new();
        let greeting = snapshot_greeting(&snapshot(1, None), None);
        let mut stream = EventStream::new(greeting.clone(), hub.subscribe().unwrap());
        let mut next = || {
            let frame = runtime.block_on(std::future::poll_fn(|cx| Pin::new(&mut stream).poll_frame(cx)));
            frame.map(|f| f.unwrap().into_data().unwrap())
        };
        assert_eq!(next(), Some(Bytes::from(greeting)));
        let event = LiveEvent::Reload { generation: 2, in_place: true };
        hub.broadcast(&event);
        assert_eq!(next(), Some(Bytes::from(event.to_sse())));
        hub.close();
        assert_eq!(next(), None, "the response ends with the hub");
    }
}
