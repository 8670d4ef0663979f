//! When to call the builder: one build at a time, on its own thread, never more builds than
//! needed.
//!
//! Change batches arrive on a channel. A build starts only once no batch has arrived for the
//! settle time: the watcher's debouncer delays each event on its own and releases them on its
//! ticks (a quarter of the debounce apart), so one save (truncate, write, close) can arrive as
//! two batches a tick apart, and building between them would read a half-written file. The
//! settle time (half the debounce) spans a tick with room to spare. Whatever piles up while a build runs is merged into one set of
//! paths and built once afterwards, so a burst of saves (or a save during a slow build) costs at
//! most one extra build, and no change is ever dropped.

use std::collections::BTreeSet;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::{BuildFailure, Rebuild};
use crate::output::SiteFiles;

pub(crate) enum Message {
    /// Paths that changed on disk (absolute).
    Changed(Vec<PathBuf>),
    /// A reader asks for a file made only on demand (see [`Rebuild::on_demand`]).
    OnDemand(String, Reply),
    Stop,
}

/// A file made on demand, the build error that kept it from being made, or `None` when the
/// builder makes no such file.
pub(crate) type Made = Option<Result<Vec<u8>, BuildFailure>>;

/// Where the file asked for goes.
pub(crate) type Reply = tokio::sync::oneshot::Sender<Made>;

/// What the worker does next.
enum Next {
    Build(BTreeSet<PathBuf>),
    Make(String, Reply),
    Stop,
}

/// The thread that owns the builder.
pub(crate) struct Worker {
    tx: Sender<Message>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// `tx` must be the sending side of `rx`; the worker keeps it to ask its thread to stop.
    pub(crate) fn spawn<B, P>(
        mut builder: B,
        settle: Duration,
        tx: Sender<Message>,
        rx: Receiver<Message>,
        mut publish: P,
    ) -> io::Result<Self>
    where
        B: Rebuild,
        P: FnMut(Result<SiteFiles, BuildFailure>, &[PathBuf], Duration) + Send + 'static,
    {
        let thread = thread::Builder::new().name("cityreport-rebuild".into()).spawn(move || {
            // Requests that came in while changes were settling wait for that build: they are
            // then made from the sources as saved.
            let mut waiting: Vec<(String, Reply)> = Vec::new();
            loop {
                let next = match waiting.pop() {
                    Some((path, reply)) => Next::Make(path, reply),
                    None => next_batch(&rx, settle, &mut waiting),
                };
                match next {
                    Next::Build(changed) => {
                        let changed: Vec<PathBuf> = changed.into_iter().collect();
                        let started = Instant::now();
                        let result = run_guarded(&mut builder, &changed);
                        publish(result, &changed, started.elapsed());
                    }
                    Next::Make(path, reply) => {
                        let made = panic::catch_unwind(AssertUnwindSafe(|| builder.on_demand(&path)))
                            .unwrap_or_else(|_| Some(Err(BuildFailure::new(format!("making {path} panicked")))));
                        // The reader may have gone away meanwhile.
                        let _ = reply.send(made);
                    }
                    Next::Stop => return,
                }
            }
        })?;
        Ok(Self { tx, thread: Some(thread) })
    }

    /// Asks the thread to stop after the build in progress (if any) and waits for it.
    pub(crate) fn stop(mut self) {
        let _ = self.tx.send(Message::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Waits for the next change, then takes every change that follows it until none has arrived
/// for `settle`, so that they are all built at once; or a request for a file made on demand,
/// when no change is waiting (one that comes while changes settle goes to `waiting`).
fn next_batch(rx: &Receiver<Message>, settle: Duration, waiting: &mut Vec<(String, Reply)>) -> Next {
    let mut paths = BTreeSet::new();
    match rx.recv() {
        Ok(Message::Changed(first)) => paths.extend(first),
        Ok(Message::OnDemand(path, reply)) => return Next::Make(path, reply),
        Ok(Message::Stop) | Err(_) => return Next::Stop,
    }
    loop {
        match rx.recv_timeout(settle) {
            Ok(Message::Changed(more)) => paths.extend(more),
            Ok(Message::OnDemand(path, reply)) => waiting.push((path, reply)),
            // Changes queued before a stop are not worth a build nobody will see.
            Ok(Message::Stop) => return Next::Stop,
            Err(RecvTimeoutError::Timeout) => return Next::Build(paths),
            // Every sender is gone: build what arrived; the next wait ends the thread.
            Err(RecvTimeoutError::Disconnected) => return Next::Build(paths),
        }
    }
}

/// Calls the builder, turning a panic into a build error: a bug in one template must not take
/// live reload down with it, the user fixes the input and the next build runs as usual.
pub(crate) fn run_guarded<B: Rebuild>(builder: &mut B, changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
    match panic::catch_unwind(AssertUnwindSafe(|| builder.rebuild(changed))) {
        Ok(result) => result,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            Err(BuildFailure::new(format!("the build panicked: {detail}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::sync::{Arc, Mutex};

    /// Records each call; the first call blocks until the test lets it go, so the test can queue
    /// changes while a build is running.
    struct Gate {
        calls: Arc<Mutex<Vec<Vec<PathBuf>>>>,
        started: mpsc::Sender<()>,
        release: mpsc::Receiver<()>,
    }

    impl Rebuild for Gate {
        fn rebuild(&mut self, changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
            let first = self.calls.lock().unwrap().is_empty();
            self.calls.lock().unwrap().push(changed.to_vec());
            if first {
                self.started.send(()).unwrap();
                self.release.recv_timeout(Duration::from_secs(10)).unwrap();
            }
            Ok(SiteFiles::new())
        }
    }

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn changes_queued_during_a_build_are_built_once_together() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel();
        let (done_tx, done_rx) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        let gate = Gate { calls: Arc::clone(&calls), started: started_tx, release: release_rx };
        let worker = Worker::spawn(gate, Duration::ZERO, tx.clone(), rx, move |_, _: &[PathBuf], _| {
            done_tx.send(()).unwrap();
        })
        .unwrap();

        tx.send(Message::Changed(vec![p("/s/a")])).unwrap();
        started_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        // While the first build runs, three more batches arrive (one repeats a path).
        tx.send(Message::Changed(vec![p("/s/b")])).unwrap();
        tx.send(Message::Changed(vec![p("/s/c"), p("/s/a")])).unwrap();
        tx.send(Message::Changed(vec![p("/s/b")])).unwrap();
        release_tx.send(()).unwrap();
        done_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        done_rx.recv_timeout(Duration::from_secs(10)).unwrap();
        worker.stop();

        let calls = calls.lock().unwrap();
        assert_eq!(*calls, vec![vec![p("/s/a")], vec![p("/s/a"), p("/s/b"), p("/s/c")]]);
    }

    #[test]
    fn a_panicking_builder_becomes_a_build_error() {
        struct Panics;
        impl Rebuild for Panics {
            fn rebuild(&mut self, _: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
                panic!("template exploded")
            }
        }
        let err = run_guarded(&mut Panics, &[]).unwrap_err();
        assert!(err.message.contains("template exploded"), "{err}");
    }

    #[test]
    fn stop_ends_the_worker_without_building_queued_changes() {
        let (tx, rx) = mpsc::channel();
        tx.send(Message::Stop).unwrap();
        tx.send(Message::Changed(vec![p("/s/a")])).unwrap();
        assert!(matches!(next_batch(&rx, Duration::ZERO, &mut Vec::new()), Next::Stop));
    }

    #[test]
    fn a_save_split_across_batches_is_built_once_after_it_settles() {
        // The second half of one save arrives a little after the first, as when the debouncer
        // releases a file's write and close events on different ticks.
        let (tx, rx) = mpsc::channel();
        tx.send(Message::Changed(vec![p("/s/a")])).unwrap();
        let late = tx.clone();
        let sender = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            late.send(Message::Changed(vec![p("/s/b")])).unwrap();
        });
        let batch = built(next_batch(&rx, Duration::from_secs(2), &mut Vec::new()));
        sender.join().unwrap();
        assert_eq!(batch.into_iter().collect::<Vec<_>>(), vec![p("/s/a"), p("/s/b")]);

        // With nothing more coming, the batch is handed over after the settle time.
        tx.send(Message::Changed(vec![p("/s/c")])).unwrap();
        let started = Instant::now();
        assert_eq!(built(next_batch(&rx, Duration::from_millis(50), &mut Vec::new())).len(), 1);
        assert!(started.elapsed() >= Duration::from_millis(50));
    }

    fn built(next: Next) -> BTreeSet<PathBuf> {
        match next {
            Next::Build(paths) => paths,
            _ => panic!("expected a build"),
        }
    }

    #[test]
    fn a_request_waits_for_changes_settling_and_is_answered_when_idle() {
        let (tx, rx) = mpsc::channel();
        let (reply, _answer) = tokio::sync::oneshot::channel();
        tx.send(Message::OnDemand("2020/zh/report.pdf".into(), reply)).unwrap();
        assert!(matches!(next_batch(&rx, Duration::ZERO, &mut Vec::new()), Next::Make(p, _) if p == "2020/zh/report.pdf"));

        // Asked for while a save settles: kept for after that build, which is not held up.
        let mut waiting = Vec::new();
        tx.send(Message::Changed(vec![p("/s/a")])).unwrap();
        let (reply, _answer) = tokio::sync::oneshot::channel();
        tx.send(Message::OnDemand("2020/en/report.pdf".into(), reply)).unwrap();
        assert_eq!(built(next_batch(&rx, Duration::from_millis(20), &mut waiting)).len(), 1);
        assert_eq!(waiting.len(), 1);
    }
}
