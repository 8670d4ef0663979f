//! What the server currently serves: the last good build, and the error of the latest build if
//! it failed.
//!
//! Readers take a cheap `Arc` of the site and let go of the lock at once, so a rebuild never
//! waits for a slow download and a download never sees half of two builds.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use serde_json::json;

use super::BuildFailure;
use super::live::{LiveEvent, RETRY_MS};
use super::rebuild::Message;
use crate::output::SiteFiles;

#[derive(Clone)]
pub(crate) struct Snapshot {
    pub(crate) site: Arc<SiteFiles>,
    /// Number of successful builds so far; it names the site version a page was loaded from.
    pub(crate) generation: u64,
    /// Set while the latest build failed; cleared by the next good one.
    pub(crate) error: Option<BuildFailure>,
}

impl Snapshot {
    /// What a page gets as soon as it connects: how soon to reconnect, the current generation, a
    /// `reload` if it reconnected from an older site, and the current build error if there is one.
    pub(crate) fn greeting(&self, last_event_id: Option<&str>) -> String {
        let generation = self.generation;
        let mut out = format!("retry: {RETRY_MS}\nid: {generation}\nevent: hello\ndata: {}\n\n", self.status_json());
        let stale = last_event_id.is_some_and(|id| id.trim() != generation.to_string());
        if stale {
            // The page missed builds (or the server restarted): what changed is unknown.
            out.push_str(&LiveEvent::Reload { generation, in_place: false }.to_sse());
        }
        if let Some(failure) = &self.error {
            out.push_str(&LiveEvent::Error { generation, failure: failure.clone() }.to_sse());
        }
        out
    }
}

pub(crate) struct SiteState {
    inner: RwLock<Snapshot>,
    /// Where requests for files made on demand go (the rebuild worker), once it runs.
    demands: Mutex<Option<Sender<Message>>>,
}

impl SiteState {
    pub(crate) fn new() -> Self {
        Self {
            inner: RwLock::new(Snapshot { site: Arc::new(SiteFiles::new()), generation: 0, error: None }),
            demands: Mutex::new(None),
        }
    }

    /// From now on, files made on demand are asked of the worker behind `worker`.
    pub(crate) fn accept_demands(&self, worker: Sender<Message>) {
        *self.demands.lock().unwrap_or_else(PoisonError::into_inner) = Some(worker);
    }

    /// Asks the worker for the file at site path `path` (see `Rebuild::on_demand`); `None` if
    /// no worker takes requests.
    pub(crate) fn demand(&self, path: &str) -> Option<tokio::sync::oneshot::Receiver<super::rebuild::Made>> {
        let worker = self.demands.lock().unwrap_or_else(PoisonError::into_inner).clone()?;
        let (reply, answer) = tokio::sync::oneshot::channel();
        worker.send(Message::OnDemand(path.to_string(), reply)).ok()?;
        Some(answer)
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        // A panic while holding the lock cannot leave a half-written snapshot (it is replaced
        // field by field from finished values), so a poisoned lock is still safe to read.
        self.inner.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(crate) fn site(&self) -> Arc<SiteFiles> {
        Arc::clone(&self.inner.read().unwrap_or_else(PoisonError::into_inner).site)
    }

    /// Makes a build's outcome current and returns the event that tells pages about it. A failed
    /// build keeps the last good site in place.
    pub(crate) fn publish(&self, result: Result<SiteFiles, BuildFailure>) -> LiveEvent {
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        match result {
            Ok(site) => {
                let in_place = !assets_changed(&inner.site, &site);
                inner.site = Arc::new(site);
                inner.generation += 1;
                inner.error = None;
                LiveEvent::Reload { generation: inner.generation, in_place }
            }
            Err(failure) => {
                inner.error = Some(failure.clone());
                LiveEvent::Error { generation: inner.generation, failure }
            }
        }
    }
}

/// Whether any file a page loads besides itself — the styles, fonts and icons under an
/// `assets/` folder — was added, removed or changed. Only then must open pages reload fully;
/// otherwise live.js swaps in the new page body, which is quicker and keeps the scroll position.
/// (Figures are inline SVG; their PNGs are only linked, so they do not count.)
fn assets_changed(old: &SiteFiles, new: &SiteFiles) -> bool {
    let is_asset = |key: &&String| key.starts_with("assets/") || key.contains("/assets/");
    let old_assets: Vec<_> = old.files.iter().filter(|(k, _)| is_asset(k)).collect();
    let new_assets: Vec<_> = new.files.iter().filter(|(k, _)| is_asset(k)).collect();
    old_assets.len() != new_assets.len()
        || old_assets.iter().zip(&new_assets).any(|((k1, b1), (k2, b2))| k1 != k2 || (!Arc::ptr_eq(b1, b2) && b1[..] != b2[..]))
}

impl Snapshot {
    /// Body of `/__cityreport/status`: `{"error": null | {file, line, message}, "generation": n}`.
    pub(crate) fn status_json(&self) -> String {
        json!({ "error": self.error, "generation": self.generation }).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_build_keeps_last_good_site_until_the_next_good_one() {
        let state = SiteState::new();
        let mut good = SiteFiles::new();
        good.insert("index.html", "v1");
        state.publish(Ok(good));
        let failure = BuildFailure { file: Some("content/a.md".into()), line: Some(3), message: "bad".into() };
        let event = state.publish(Err(failure.clone()));
        assert!(matches!(event, LiveEvent::Error { generation: 1, .. }));
        let snap = state.snapshot();
        assert_eq!(snap.site.get("index.html"), Some(&b"v1"[..]));
        assert_eq!(snap.error, Some(failure));
        assert_eq!(
            snap.status_json(),
            r#"{"error":{"file":"content/a.md","line":3,"message":"bad"},"generation":1}"#
        );

        let event = state.publish(Ok(SiteFiles::new()));
        assert!(matches!(event, LiveEvent::Reload { generation: 2, .. }));
        assert_eq!(state.snapshot().status_json(), r#"{"error":null,"generation":2}"#);
    }

    #[test]
    fn pages_reload_fully_only_when_an_asset_changes() {
        let state = SiteState::new();
        let site = |page: &str, css: &str, png: &str| {
            let mut s = SiteFiles::new();
            s.insert("2020/en/index.html", page);
            s.insert("2020/assets/site.css", css);
            s.insert("assets/site.css", css);
            s.insert("2020/figures/en/map.png", png);
            s
        };
        let in_place = |event: LiveEvent| match event {
            LiveEvent::Reload { in_place, .. } => in_place,
            other => panic!("expected a reload, got {other:?}"),
        };
        // The first build replaces an empty site: everything is new.
        assert!(!in_place(state.publish(Ok(site("a", "body{}", "p1")))));
        // Page text and a linked PNG changed: swap in place.
        assert!(in_place(state.publish(Ok(site("b", "body{}", "p2")))));
        // A stylesheet changed (same length, different bytes): full reload.
        assert!(!in_place(state.publish(Ok(site("b", "main{}", "p2")))));
        // An asset added.
        let mut more = site("b", "main{}", "p2");
        more.insert("2020/assets/fonts/x.otf", "font");
        assert!(!in_place(state.publish(Ok(more))));
        // …and removed again.
        assert!(!in_place(state.publish(Ok(site("b", "main{}", "p2")))));
        // A failed build sends an error, not a reload, whatever changed.
        assert!(matches!(state.publish(Err(BuildFailure::new("x"))), LiveEvent::Error { .. }));
    }
}
