//! Turns file-system events under the watched folders into batches of changed paths.
//!
//! Folders are watched recursively, never single files: editors such as vim and VS Code save by
//! writing a temporary file and renaming it over the original, which replaces the watched inode,
//! and a watch on the file itself would go deaf after the first save. Watching the folder sees
//! the rename as a new file arriving under the real name.
//!
//! The debouncer holds each event for the configured time and drops repeats, so a burst of
//! events mostly arrives as one batch. It times events one by one, so the end of a save can
//! still come a batch later; the rebuild worker waits for the batches to settle before it
//! builds (see `rebuild`).

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer};

/// Watches until dropped.
pub(crate) struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

impl Watcher {
    /// Starts watching the folders that exist (others are skipped with a note) and calls
    /// `on_change` with each batch of relevant changed paths. `None` when there is nothing to
    /// watch.
    pub(crate) fn start(
        folders: &[PathBuf],
        debounce: Duration,
        on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
    ) -> io::Result<Option<Watcher>> {
        let mut roots = Vec::new();
        for folder in folders {
            // Canonical so that every reported path is absolute, as `Rebuild` promises.
            match folder.canonicalize() {
                Ok(root) if root.is_dir() => roots.push(root),
                Ok(_) => eprintln!("Not watching {}: not a folder", folder.display()),
                Err(_) => eprintln!("Not watching {}: no such folder", folder.display()),
            }
        }
        if roots.is_empty() {
            return Ok(None);
        }
        let rescan_roots = roots.clone();
        let mut debouncer = new_debouncer(debounce, None, move |result: DebounceEventResult| match result {
            Ok(events) => {
                let paths = changed_paths(&events, &rescan_roots);
                if !paths.is_empty() {
                    on_change(paths);
                }
            }
            Err(errors) => {
                for error in errors {
                    eprintln!("Watch error: {error}");
                }
            }
        })
        .map_err(io::Error::other)?;
        for root in &roots {
            debouncer.watch(root, RecursiveMode::Recursive).map_err(io::Error::other)?;
        }
        Ok(Some(Watcher { _debouncer: debouncer }))
    }
}

/// The paths worth a rebuild in a batch of events, each once.
fn changed_paths(events: &[DebouncedEvent], roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut paths = BTreeSet::new();
    for event in events {
        if event.need_rescan() {
            // The OS dropped events (queue overflow): we no longer know what changed, so report
            // the roots, which means "anything under here".
            paths.extend(roots.iter().cloned());
            continue;
        }
        if !is_change(&event.kind) {
            continue;
        }
        paths.extend(event.paths.iter().filter(|p| !is_editor_scratch(p)).cloned());
    }
    paths.into_iter().collect()
}

/// Reads are reported too (inotify's OPEN), and the builder reads every source: counting them
/// as changes would make each build trigger the next, forever. Closing a file after writing is
/// a change; it is the surest sign a save has finished.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Files editors create next to the one being edited, which never feed the site: vim's swap and
/// backup files and its `4913` write test, Emacs lock and autosave files, macOS folder metadata.
fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::Event;
    use notify_debouncer_full::notify::event::{CreateKind, Flag, ModifyKind, RenameMode};
    use std::time::Instant;

    fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    #[test]
    fn scratch_files_of_editors_are_ignored() {
        for name in ["/s/.index.md.swp", "/s/index.md~", "/s/.#index.md", "/s/#index.md#", "/s/4913", "/s/.index.md.swx"] {
            assert!(is_editor_scratch(Path::new(name)), "{name}");
        }
        for name in ["/s/index.md", "/s/swp.md", "/s/49130", "/s/data.csv"] {
            assert!(!is_editor_scratch(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn a_vim_save_reports_only_the_real_file_once() {
        // What vim does on `:w` with `backupcopy=no`: probe with 4913, move the original to a
        // backup, write the new file, delete the backup.
        let events = [
            event(EventKind::Create(CreateKind::File), &["/s/4913"]),
            event(EventKind::Modify(ModifyKind::Name(RenameMode::Both)), &["/s/a.md", "/s/a.md~"]),
            event(EventKind::Create(CreateKind::File), &["/s/a.md"]),
            event(EventKind::Access(AccessKind::Close(AccessMode::Write)), &["/s/a.md"]),
            event(EventKind::Modify(ModifyKind::Any), &["/s/.a.md.swp"]),
        ];
        assert_eq!(changed_paths(&events, &[]), vec![PathBuf::from("/s/a.md")]);
    }

    #[test]
    fn a_rename_over_the_original_reports_the_real_name() {
        let events = [event(EventKind::Modify(ModifyKind::Name(RenameMode::Both)), &["/s/.a.md.tmp123", "/s/a.md"])];
        assert!(changed_paths(&events, &[]).contains(&PathBuf::from("/s/a.md")));
    }

    #[test]
    fn reads_are_not_changes() {
        let events = [
            event(EventKind::Access(AccessKind::Open(AccessMode::Any)), &["/s/a.md"]),
            event(EventKind::Access(AccessKind::Close(AccessMode::Read)), &["/s/a.md"]),
        ];
        assert!(changed_paths(&events, &[]).is_empty());
    }

    #[test]
    fn lost_events_report_the_whole_root() {
        let lost = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        let events = [DebouncedEvent::new(lost, Instant::now())];
        assert_eq!(changed_paths(&events, &[PathBuf::from("/s")]), vec![PathBuf::from("/s")]);
    }

}
