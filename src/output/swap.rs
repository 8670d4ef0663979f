//! Folders cityreport owns, and swapping a new site in for the old one.
//!
//! A folder is ours when it holds the [`MARKER`] file, which cityreport writes into every output,
//! staging and set-aside folder before anything else. Nothing here deletes a folder without that
//! marker, except one that is empty.
//!
//! The new site is written to `.<name>.staging-<pid>` beside the output folder `<name>`. On Linux
//! `renameat2(RENAME_EXCHANGE)` then swaps the two folders in one step, so a complete site is in
//! place at every moment; the old one, now at the staging name, is deleted afterwards. Where the
//! exchange is missing (other systems, or file systems without it) the old folder is renamed aside
//! to `.<name>.previous-<pid>` and the new one renamed in, which leaves a moment without a site.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a folder as written, and so replaceable, by cityreport.
pub const MARKER: &str = ".cityreport-site";

/// The marker's text: a folder is ours only when its marker holds exactly this (an empty or
/// other file of that name, which anyone can make, does not let cityreport delete a folder).
/// Changing the text makes sites built before unrecognised: accept the old text too then.
pub const MARKER_TEXT: &str = "\
This folder was written by cityreport. cityreport replaces or deletes it as a whole the next
time it writes here (a build replaces the site it built before; a folder left behind by an
interrupted build is removed), so keep no files of your own in it.

cityreport never deletes or replaces a folder that does not contain this file.
";

/// How [`swap_in`] replaces an existing output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// One atomic exchange of the two folders (Linux).
    Exchange,
    /// Rename the old folder aside, then the new one in: portable, with a moment without a site.
    RenameAside,
}

impl Method {
    /// The best method this platform may have; [`swap_in`] falls back when the file system lacks it.
    pub(crate) fn best() -> Self {
        if cfg!(any(target_os = "linux", target_os = "android")) { Method::Exchange } else { Method::RenameAside }
    }
}

/// What [`swap_in`] did.
#[derive(Debug)]
pub(crate) struct Swapped {
    /// The method that replaced the old folder (None when there was none).
    pub method: Option<Method>,
    /// The old site, if it could not be deleted after the swap (the next build retries).
    pub old_left: Option<(PathBuf, io::Error)>,
}

/// `.<name>.<kind>-<pid>` beside `out`, for this process.
pub(crate) fn sibling(out: &Path, kind: &str) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    out.with_file_name(format!(".{name}.{kind}-{}", std::process::id()))
}

/// Whether `dir` is a real folder (not a symlink) holding our marker file, a regular file (not a
/// symlink) with the text cityreport writes.
pub(crate) fn is_marked(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file() && m.len() == MARKER_TEXT.len() as u64)
        && fs::read(&marker).is_ok_and(|text| text == MARKER_TEXT.as_bytes())
}

pub(crate) fn is_empty_dir(dir: &Path) -> io::Result<bool> {
    Ok(fs::read_dir(dir)?.next().is_none())
}

/// Creates `dir` (which must not exist) with the marker in it.
pub(crate) fn create_marked(dir: &Path) -> io::Result<()> {
    fs::create_dir(dir)?;
    fs::write(dir.join(MARKER), MARKER_TEXT)
}

/// Deletes `dir` if it is ours (marked) or empty; anything else is left alone and reported.
pub(crate) fn remove_ours(dir: &Path) -> io::Result<()> {
    if is_marked(dir) {
        fs::remove_dir_all(dir)
    } else {
        // remove_dir deletes only an empty folder, whatever happened since it was checked.
        fs::remove_dir(dir)
    }
}

/// Removes the staging and set-aside folders that earlier builds of output `name` left in
/// `parent` when they were killed: those named `.<name>.staging-<pid>` or `.<name>.previous-<pid>`
/// and carrying the marker (or empty). Call it only while holding the output's lock: every build
/// of this output writes such folders only under that lock, so any found then belong to a build
/// that is gone, whatever its process id now names. Returns the folders removed.
pub(crate) fn remove_stale(parent: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(parent) else { return Vec::new() };
    let prefix = format!(".{name}.");
    let mut removed = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else { continue };
        let Some(pid) = rest.strip_prefix("staging-").or_else(|| rest.strip_prefix("previous-")) else { continue };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let ours = is_marked(&path) || is_empty_dir(&path).unwrap_or(false);
        if is_dir && ours && remove_ours(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// Puts the complete folder `staging` in place of `out` (absent, empty, or ours — the caller
/// checked, under the lock) and deletes the old folder. On error `out` is as it was and `staging`
/// still exists.
pub(crate) fn swap_in(staging: &Path, out: &Path, method: Method) -> io::Result<Swapped> {
    if fs::symlink_metadata(out).is_err() {
        rename_no_replace(staging, out)?;
        return Ok(Swapped { method: None, old_left: None });
    }
    if method == Method::Exchange {
        match exchange(staging, out) {
            Ok(()) => {
                // The old site now sits at the staging name.
                let old_left = remove_ours(staging).err().map(|e| (staging.to_path_buf(), e));
                return Ok(Swapped { method: Some(Method::Exchange), old_left });
            }
            Err(e) if is_unsupported(&e) => {}
            Err(e) => return Err(e),
        }
    }
    let previous = sibling(out, "previous");
    fs::rename(out, &previous)?;
    if let Err(e) = fs::rename(staging, out) {
        // Put the old site back before reporting.
        let _ = fs::rename(&previous, out);
        return Err(e);
    }
    let old_left = remove_ours(&previous).err().map(|e| (previous, e));
    Ok(Swapped { method: Some(Method::RenameAside), old_left })
}

/// Whether a rename flag failed because the system or file system does not have it.
fn is_unsupported(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Unsupported
        || matches!(e.raw_os_error(), Some(code) if unsupported_codes().contains(&code))
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn unsupported_codes() -> [i32; 3] {
    use rustix::io::Errno;
    // EINVAL: the file system has no such flag; ENOSYS: the kernel has no renameat2.
    [Errno::INVAL.raw_os_error(), Errno::NOSYS.raw_os_error(), Errno::OPNOTSUPP.raw_os_error()]
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn unsupported_codes() -> [i32; 0] {
    []
}

/// Swaps two existing paths atomically.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Renames `from` to `to`, failing if `to` exists — so a folder that appeared meanwhile is never
/// replaced. Without RENAME_NOREPLACE a plain rename replaces at most an empty folder.
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE).map_err(io::Error::from) {
            Err(e) if is_unsupported(&e) => {}
            other => return other,
        }
    }
    fs::rename(from, to)
}

/// Makes `dir` a fresh, marked, empty staging folder for a write that is not a site build
/// (`publish`): a leftover of an interrupted run is removed only if it carries the marker or is
/// empty; anything else is refused.
pub fn fresh_staging(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Ok(_) if is_marked(dir) => fs::remove_dir_all(dir)?,
        Ok(m) if m.is_dir() && is_empty_dir(dir)? => fs::remove_dir(dir)?,
        Ok(_) => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("exists and was not made by cityreport (it has no {MARKER} file); move it away or delete it yourself"),
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    create_marked(dir)
}

/// Removes the marker from a staging folder made by [`fresh_staging`] just before it becomes
/// permanent (the frozen edition is the user's to keep).
pub fn unmark(dir: &Path) -> io::Result<()> {
    fs::remove_file(dir.join(MARKER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(dir: &Path, file: &str, text: &str) {
        create_marked(dir).unwrap();
        fs::write(dir.join(file), text).unwrap();
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    fn replaces_old_site(method: Method) -> Swapped {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        site_with(&out, "old.html", "old");
        let staging = sibling(&out, "staging");
        site_with(&staging, "new.html", "new");
        let swapped = swap_in(&staging, &out, method).unwrap();
        assert_eq!(fs::read_to_string(out.join("new.html")).unwrap(), "new");
        assert!(!out.join("old.html").exists());
        assert!(is_marked(&out));
        assert_eq!(entries(tmp.path()), ["site"], "the old site and the staging folder are gone");
        assert!(swapped.old_left.is_none());
        swapped
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn exchange_swaps_in_one_step_and_deletes_the_old_site() {
        // tmpfs and ext4 both have RENAME_EXCHANGE; if this file system lacked it the swap would
        // report the fallback, and the assertion says so.
        assert_eq!(replaces_old_site(Method::Exchange).method, Some(Method::Exchange));
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn exchange_is_atomic_both_paths_stay_complete() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        site_with(&a, "a.txt", "A");
        site_with(&b, "b.txt", "B");
        exchange(&a, &b).unwrap();
        assert_eq!(fs::read_to_string(a.join("b.txt")).unwrap(), "B");
        assert_eq!(fs::read_to_string(b.join("a.txt")).unwrap(), "A");
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_file_system_without_the_exchange_means_fallback_not_failure() {
        use rustix::io::Errno;
        assert!(is_unsupported(&io::Error::from_raw_os_error(Errno::INVAL.raw_os_error())));
        assert!(is_unsupported(&io::Error::from_raw_os_error(Errno::NOSYS.raw_os_error())));
        assert!(!is_unsupported(&io::Error::from_raw_os_error(Errno::NOTEMPTY.raw_os_error())));
        assert!(!is_unsupported(&io::Error::from_raw_os_error(Errno::ACCESS.raw_os_error())));
    }

    #[test]
    fn rename_aside_fallback_replaces_and_cleans_up() {
        assert_eq!(replaces_old_site(Method::RenameAside).method, Some(Method::RenameAside));
    }

    #[test]
    fn an_absent_output_is_simply_renamed_in() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let staging = sibling(&out, "staging");
        site_with(&staging, "new.html", "new");
        let swapped = swap_in(&staging, &out, Method::best()).unwrap();
        assert_eq!(swapped.method, None);
        assert_eq!(entries(tmp.path()), ["site"]);
    }

    #[test]
    fn an_empty_output_folder_is_replaced_for_both_methods() {
        for method in [Method::Exchange, Method::RenameAside] {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("site");
            fs::create_dir(&out).unwrap();
            let staging = sibling(&out, "staging");
            site_with(&staging, "new.html", "new");
            let swapped = swap_in(&staging, &out, method).unwrap();
            assert!(swapped.old_left.is_none(), "{method:?}");
            assert_eq!(entries(tmp.path()), ["site"], "{method:?}");
            assert!(out.join("new.html").is_file());
        }
    }

    #[test]
    fn an_unmarked_old_folder_is_never_deleted_after_a_swap() {
        // The caller refuses such a folder; if one slipped in, the swap still keeps its files.
        for method in [Method::Exchange, Method::RenameAside] {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("site");
            fs::create_dir(&out).unwrap();
            fs::write(out.join("mine.txt"), "keep").unwrap();
            let staging = sibling(&out, "staging");
            site_with(&staging, "new.html", "new");
            let swapped = swap_in(&staging, &out, method).unwrap();
            let (left, _) = swapped.old_left.expect("the unmarked old folder is left and reported");
            assert_eq!(fs::read_to_string(left.join("mine.txt")).unwrap(), "keep", "{method:?}");
        }
    }

    #[test]
    fn stale_folders_are_removed_only_with_our_name_and_marker() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path();
        site_with(&p.join(".site.staging-4000000"), "a", "1");
        site_with(&p.join(".site.previous-4000001"), "a", "1");
        fs::create_dir(p.join(".site.staging-4000002")).unwrap(); // empty: a build killed at once
        fs::create_dir(p.join(".site.staging-4000003")).unwrap();
        fs::write(p.join(".site.staging-4000003/user.txt"), "keep").unwrap(); // no marker
        site_with(&p.join(".other.staging-4000004"), "a", "1"); // another output's
        site_with(&p.join(".site.staging-x"), "a", "1"); // not our naming
        fs::write(p.join(".site.previous-4000005"), "a file").unwrap();
        let removed = remove_stale(p, "site");
        let names: Vec<String> = removed.iter().map(|r| r.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, [".site.previous-4000001", ".site.staging-4000000", ".site.staging-4000002"]);
        assert_eq!(entries(p), [".other.staging-4000004", ".site.previous-4000005", ".site.staging-4000003", ".site.staging-x"]);
    }

    #[test]
    fn fresh_staging_removes_only_its_own_leftovers() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(".2020.staging");
        site_with(&dir, "half-written", "x");
        fresh_staging(&dir).unwrap();
        assert_eq!(entries(&dir), [MARKER]);
        unmark(&dir).unwrap();
        fs::write(dir.join("user.txt"), "keep").unwrap();
        let err = fresh_staging(&dir).unwrap_err();
        assert!(err.to_string().contains("not made by cityreport"), "{err}");
        assert_eq!(fs::read_to_string(dir.join("user.txt")).unwrap(), "keep");
    }
}
