//! A site being written: the output's lock is held and a marked staging folder receives files as
//! the build finishes them, so a build never holds the whole site in memory (a 300-district
//! edition is hundreds of megabytes of PNGs). Only [`Staging::finish`] swaps the folder in; a
//! build that fails (or panics) drops its `Staging`, which deletes the staging folder, and the
//! previous site stays as it was.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::lock::OutputLock;
use super::swap::{self, MARKER, Method};
use super::error::{OutputError, Written};
use super::SiteFiles;

/// An open staging folder under the output's lock. `Sync`: rayon threads write into it at once.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    stale_removed: Vec<PathBuf>,
    /// Held until the swap is done (dropped with the `Staging`).
    _lock: OutputLock,
    /// Set once swapped in; until then dropping removes the folder.
    done: bool,
    written: std::sync::atomic::AtomicUsize,
    /// The site being replaced, when it is ours (marked): a file it already holds with the same
    /// bytes is linked into the new site instead of written again (see [`put`](Self::put)).
    previous: Option<PathBuf>,
}

impl Staging {
    /// Creates the marked staging folder `dir` for output `out` (the caller holds `lock` and has
    /// removed leftovers of interrupted builds, listed in `stale_removed`).
    pub(crate) fn create(dir: PathBuf, out: PathBuf, lock: OutputLock, stale_removed: Vec<PathBuf>) -> Result<Self, OutputError> {
        swap::create_marked(&dir).map_err(|error| OutputError::Io { path: dir.clone(), error })?;
        let previous = swap::is_marked(&out).then(|| out.clone());
        Ok(Staging { dir, out, stale_removed, _lock: lock, done: false, written: 0.into(), previous })
    }

    /// Writes one finished file at site path `rel` ("2020/figures/zh/map-overall.png"). A path
    /// that is not plain (absolute, `..`, the marker's name) is refused: paths can come from files
    /// on disk (frozen editions' manifests), and none may write outside the folder or forge the
    /// marker. Writing the same path twice keeps the last bytes.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let plain = Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel.is_empty() || rel == MARKER {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write `{rel}`: not a plain path inside the site")));
        }
        let path = self.dir.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        // A path written twice may be a link to the previous site's file by now: replace the
        // link, never write through it into the site still being served.
        if fs::symlink_metadata(&path).is_ok() {
            fs::remove_file(&path)?;
        }
        let unchanged = self.previous.as_ref().map(|prev| prev.join(rel)).filter(|old| holds(old, bytes));
        // An unchanged file becomes a second name of the previous site's file: no new inode and
        // no data written. On ext4, creating the ~500 files of the demo anew on every build cost
        // a quarter of a warm build's CPU (the inode allocator steps over recently deleted ones).
        // The old name goes with the old site after the swap; the bytes are the same either way.
        if unchanged.is_none_or(|old| fs::hard_link(old, &path).is_err()) {
            fs::write(&path, bytes)?;
        }
        self.written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Writes every file of `files` (see [`put`](Self::put)), counting them on the progress bar.
    pub fn put_all(&self, files: &SiteFiles) -> io::Result<()> {
        crate::progress::stage("writing", files.len() as u64);
        for (rel, bytes) in &files.files {
            self.put(rel, bytes)?;
            crate::progress::advance(1);
        }
        Ok(())
    }

    /// Files written so far (a path written twice counts twice).
    pub fn written(&self) -> usize {
        self.written.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The staging folder (for tests and messages).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps the complete staging folder in for the output folder and releases the lock. On
    /// error the output folder is as it was and the staging folder is removed.
    pub fn finish(mut self) -> Result<Written, OutputError> {
        let swapped = swap::swap_in(&self.dir, &self.out, Method::best()).map_err(|error| OutputError::Io { path: self.out.clone(), error })?;
        self.done = true;
        Ok(Written { stale_removed: std::mem::take(&mut self.stale_removed), old_left: swapped.old_left, atomic: swapped.method == Some(Method::Exchange) })
    }
}

/// Whether `path` is a regular file (not a symbolic link) holding exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // A failed build: its half-written site goes; the output folder was never touched.
            let _ = swap::remove_ours(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputTarget;

    fn target(tmp: &Path) -> OutputTarget {
        fs::create_dir_all(tmp.join("proj")).unwrap();
        OutputTarget::new(&tmp.join("proj"), &tmp.join("site")).unwrap()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn files_put_while_building_appear_only_after_finish() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path());
        let staging = t.begin(|_| {}).unwrap();
        staging.put("2021/figures/a.png", b"png").unwrap();
        assert!(!tmp.path().join("site").exists(), "nothing in place before the swap");
        let mut rest = SiteFiles::new();
        rest.insert("index.html", "<p>");
        staging.put_all(&rest).unwrap();
        assert_eq!(staging.written(), 2);
        staging.finish().unwrap();
        assert_eq!(fs::read(tmp.path().join("site/2021/figures/a.png")).unwrap(), b"png");
        assert_eq!(fs::read(tmp.path().join("site/index.html")).unwrap(), b"<p>");
        assert_eq!(names(tmp.path()), ["proj", "site"], "no staging folder or lock left");
    }

    #[test]
    fn a_dropped_staging_leaves_the_previous_site_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path());
        let mut old = SiteFiles::new();
        old.insert("index.html", "old");
        t.write(&old, |_| {}).unwrap();
        {
            let staging = t.begin(|_| {}).unwrap();
            staging.put("index.html", b"new, half").unwrap();
            // The build fails here: the staging folder is dropped unfinished.
        }
        assert_eq!(fs::read(tmp.path().join("site/index.html")).unwrap(), b"old");
        assert_eq!(names(tmp.path()), ["proj", "site"]);
    }

    #[test]
    fn unchanged_files_are_kept_changed_ones_rewritten_and_the_old_site_never_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let t = target(tmp.path());
        let mut old = SiteFiles::new();
        old.insert("same.html", "same");
        old.insert("changed.html", "old");
        t.write(&old, |_| {}).unwrap();
        let old_same = tmp.path().join("site/same.html");
        let old_changed = tmp.path().join("site/changed.html");
        let staging = t.begin(|_| {}).unwrap();
        staging.put("same.html", b"same").unwrap();
        staging.put("changed.html", b"new").unwrap();
        // Written twice: first as the old bytes (linked), then other bytes, which must not
        // reach the old site's file through the link.
        staging.put("changed.html", b"old").unwrap();
        staging.put("changed.html", b"newer").unwrap();
        assert_eq!(fs::read(&old_changed).unwrap(), b"old", "the site being served is untouched");
        assert_eq!(fs::read(&old_same).unwrap(), b"same");
        staging.finish().unwrap();
        assert_eq!(fs::read(tmp.path().join("site/same.html")).unwrap(), b"same");
        assert_eq!(fs::read(tmp.path().join("site/changed.html")).unwrap(), b"newer");
        assert_eq!(names(tmp.path()), ["proj", "site"]);
    }

    #[test]
    fn paths_outside_the_site_or_the_marker_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = target(tmp.path()).begin(|_| {}).unwrap();
        for bad in ["../x", "/etc/x", "", MARKER, "a/../../x"] {
            assert_eq!(staging.put(bad, b"x").unwrap_err().kind(), io::ErrorKind::InvalidInput, "{bad}");
        }
        assert!(!tmp.path().join("x").exists());
    }
}
