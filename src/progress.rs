//! Progress of a build, for a terminal progress bar: the pipeline announces each stage (with the
//! number of steps it has, when known) and counts steps as it goes; whoever listens (the command
//! line's bar) decides how to show it. Without a listener every call is a cheap no-op, so the
//! library, tests and the preview pay nothing.

use std::sync::{Arc, RwLock};

/// Someone showing a build's progress.
pub trait Progress: Send + Sync {
    /// A new stage begins: `name` (e.g. "figures"), with `total` steps (0 when unknown).
    fn stage(&self, name: &str, total: u64);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64);
}

static LISTENER: RwLock<Option<Arc<dyn Progress>>> = RwLock::new(None);

/// Shows the progress of every build of this process to `listener` (`None`: to no one).
pub fn listen(listener: Option<Arc<dyn Progress>>) {
    *LISTENER.write().unwrap_or_else(|e| e.into_inner()) = listener;
}

fn with(f: impl FnOnce(&dyn Progress)) {
    if let Some(l) = LISTENER.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
        f(l.as_ref());
    }
}

/// Announces a stage of `total` steps (0 when unknown).
pub fn stage(name: &str, total: u64) {
    with(|l| l.stage(name, total));
}

/// Counts `n` steps of the current stage as done.
pub fn advance(n: u64) {
    with(|l| l.advance(n));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);
    impl Progress for Log {
        fn stage(&self, name: &str, total: u64) {
            self.0.lock().unwrap().push(format!("{name}/{total}"));
        }
        fn advance(&self, n: u64) {
            self.0.lock().unwrap().push(format!("+{n}"));
        }
    }

    #[test]
    fn reports_reach_the_listener_until_it_stops_listening() {
        let log = Arc::new(Log::default());
        listen(Some(log.clone()));
        stage("figures", 3);
        advance(2);
        listen(None);
        advance(1);
        assert_eq!(*log.0.lock().unwrap(), ["figures/3", "+2"]);
    }
}
