//! Where `build` may write: the checks that keep it from replacing anything it did not create.
//!
//! An output folder must be absent, empty, or one cityreport wrote itself (it holds the
//! [`MARKER`]); it must not be the file system's root, the project, a folder containing the
//! project, one of the project's input folders or anything inside or containing one of them, nor
//! the folder the user is working in. Paths are compared after resolving symlinks and `..`, so
//! `--out ../proj/data` and a symlink to `data/` are refused alike.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use super::error::{OutputError, Written};
use super::lock::OutputLock;
use super::staging::Staging;
use super::swap::{self, MARKER};
use super::SiteFiles;

/// The folder where cityreport keeps its figure cache (besides the inputs, no output may be it).
pub const CACHE_FOLDER: &str = ".cityreport-cache";

/// How long a build waits by default for another build of the same output to finish writing.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

/// An output folder that passed the checks, ready to receive a site.
#[derive(Debug, Clone)]
pub struct OutputTarget {
    root: PathBuf,
    /// The folder as the user gave it, for messages.
    shown: PathBuf,
    /// The folder with symlinks and `..` resolved (it may not exist yet; its parent may not either).
    path: PathBuf,
    lock_wait: Duration,
}

impl OutputTarget {
    /// Checks that `out` may receive the site of the project at `root`. Reads only; cheap enough
    /// to run before rendering.
    pub fn new(root: &Path, out: &Path) -> Result<Self, OutputError> {
        let io_err = |path: &Path| {
            let path = path.to_path_buf();
            move |error| OutputError::Io { path, error }
        };
        let refuse = |why: String, help: String| Err(OutputError::Refused { out: out.to_path_buf(), why, help });
        let root_c = resolve(root).map_err(io_err(root))?;
        let path = match resolve(out) {
            Ok(p) => p,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return refuse("it is a symbolic link to a folder that does not exist".into(), "point --out at a real folder".into());
            }
            Err(e) => return Err(io_err(out)(e)),
        };
        let default = root.join("site");
        let elsewhere = format!("choose another --out, such as {} (the default)", default.display());

        if path.parent().is_none() {
            return refuse("it is the root of the file system".into(), elsewhere);
        }
        if root_c == path {
            return refuse("it is the project folder itself, which holds its data and narrative".into(), elsewhere);
        }
        if root_c.starts_with(&path) {
            return refuse(format!("it contains the project {}", root_c.display()), elsewhere);
        }
        for name in crate::load::INPUT_FOLDERS.iter().chain([&CACHE_FOLDER]) {
            let folder = root_c.join(name);
            let folder = fs::canonicalize(&folder).unwrap_or(folder);
            if path.starts_with(&folder) {
                let what = if path == folder { "it is" } else { "it is inside" };
                return refuse(format!("{what} the project's folder {name}/ ({})", folder.display()), elsewhere);
            }
            if folder.starts_with(&path) {
                return refuse(format!("it contains the project's folder {name}/ ({})", folder.display()), elsewhere);
            }
        }

        match fs::metadata(&path) {
            Ok(m) if !m.is_dir() => {
                return refuse(
                    "it is an existing file, not a folder".into(),
                    "choose another --out; cityreport never replaces a file".into(),
                );
            }
            Ok(_) if !swap::is_marked(&path) && fs::symlink_metadata(path.join(MARKER)).is_ok() => {
                return refuse(
                    format!("its {MARKER} is not the one cityreport writes (it was made or changed by hand), so the folder may hold files cityreport did not write"),
                    foreign_help(&path),
                );
            }
            Ok(_) if !swap::is_marked(&path) => {
                let found = listing(&path).map_err(io_err(&path))?;
                if !found.is_empty() {
                    return refuse(format!("it already holds files cityreport did not write ({found})"), foreign_help(&path));
                }
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_err(&path)(e)),
        }

        if let Some(cwd) = std::env::current_dir().ok().and_then(|d| fs::canonicalize(d).ok())
            && cwd.starts_with(&path)
        {
            let what = if cwd == path { "it is" } else { "it contains" };
            return refuse(
                format!("{what} the folder you are working in; replacing it would leave your shell in a deleted folder"),
                "run cityreport from another folder, or choose another --out".into(),
            );
        }
        Ok(OutputTarget { root: root.to_path_buf(), shown: out.to_path_buf(), path, lock_wait: DEFAULT_LOCK_WAIT })
    }

    /// How long [`write`](Self::write) waits for another build of the same output.
    pub fn with_lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// The output folder, symlinks resolved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The lock file beside the output folder: `.<name>.lock`.
    pub fn lock_path(&self) -> PathBuf {
        let name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.path.with_file_name(format!(".{name}.lock"))
    }

    /// Replaces the output folder with `files`. Holds the lock beside it meanwhile (waiting while
    /// another build holds it; `on_wait` is told who that is), checks the folder again, removes
    /// what interrupted builds left, writes a marked staging folder and swaps it in. On error
    /// the output folder is as it was.
    pub fn write(&self, files: &SiteFiles, on_wait: impl FnMut(&str)) -> Result<Written, OutputError> {
        let staging = self.begin(on_wait)?;
        staging.put_all(files).map_err(|error| OutputError::Io { path: self.path.clone(), error })?;
        staging.finish()
    }

    /// Opens a staging folder for a site written file by file as a build finishes them: takes
    /// the lock (waiting as [`write`](Self::write) does), checks the folder again and removes
    /// what interrupted builds left. The site replaces the output folder only at
    /// [`Staging::finish`]; dropping the `Staging` instead deletes what was written.
    pub fn begin(&self, on_wait: impl FnMut(&str)) -> Result<Staging, OutputError> {
        let parent = self.path.parent().expect("the checks refuse the file system's root");
        fs::create_dir_all(parent).map_err(|error| OutputError::Io { path: parent.to_path_buf(), error })?;
        let lock = OutputLock::acquire(&self.lock_path(), self.lock_wait, on_wait).map_err(OutputError::Locked)?;
        // The folder may have changed while the site was rendered; no other build can change it now.
        let now = OutputTarget::new(&self.root, &self.shown)?;
        if now.path != self.path {
            return Err(OutputError::Refused {
                out: self.shown.clone(),
                why: format!("it now leads to {} instead of {}", now.path.display(), self.path.display()),
                help: "a symbolic link changed during the build; run it again".into(),
            });
        }
        let name = self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stale_removed = swap::remove_stale(parent, &name);
        Staging::create(swap::sibling(&self.path, "staging"), self.path.clone(), lock, stale_removed)
    }
}

/// The help for a folder holding someone else's files, with a hint when it looks like a site an
/// earlier cityreport wrote (before the marker existed).
fn foreign_help(path: &Path) -> String {
    let mut help = format!(
        "cityreport replaces only a folder that is empty or that it built itself (one holding {MARKER}); choose another --out, or delete {} yourself if you no longer need what is in it",
        path.display()
    );
    if path.join("index.html").is_file() && path.join("assets").join("site.css").is_file() {
        help.push_str(" (it looks like a site an earlier version of cityreport wrote, without the marker: delete it once and build again)");
    }
    help
}

/// Up to three names in `dir`, sorted, and how many more there are; empty if `dir` is empty.
fn listing(dir: &Path) -> io::Result<String> {
    let mut names: Vec<String> = fs::read_dir(dir)?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    let more = names.len().saturating_sub(3);
    let mut shown = names.into_iter().take(3).collect::<Vec<_>>().join(", ");
    if more > 0 {
        shown.push_str(&format!(" and {more} more"));
    }
    Ok(shown)
}

/// The absolute path `p` leads to, with symlinks resolved in the part that exists and `.`/`..`
/// applied to the rest (which has no symlinks, as it does not exist). NotFound means a dangling
/// symlink.
fn resolve(p: &Path) -> io::Result<PathBuf> {
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir()?.join(p) };
    let parts: Vec<Component> = abs.components().collect();
    for split in (1..=parts.len()).rev() {
        let existing: PathBuf = parts[..split].iter().collect();
        match fs::canonicalize(&existing) {
            Ok(mut resolved) => {
                for part in &parts[split..] {
                    match part {
                        Component::ParentDir => {
                            resolved.pop();
                        }
                        Component::Normal(n) => resolved.push(n),
                        _ => {}
                    }
                }
                return Ok(resolved);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if fs::symlink_metadata(&existing).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(e);
                }
            }
            Err(e) => return Err(e),
        }
    }
    Ok(abs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_symlinks_and_applies_dots_to_the_missing_part() {
        let tmp = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir(real.join("proj")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(real.join("proj"), real.join("link")).unwrap();
        assert_eq!(resolve(&real.join("proj/new/../site")).unwrap(), real.join("proj/site"));
        #[cfg(unix)]
        {
            assert_eq!(resolve(&real.join("link/site")).unwrap(), real.join("proj/site"));
            assert_eq!(resolve(&real.join("link/..")).unwrap(), real);
            std::os::unix::fs::symlink(real.join("gone"), real.join("dangling")).unwrap();
            assert_eq!(resolve(&real.join("dangling")).unwrap_err().kind(), io::ErrorKind::NotFound);
        }
    }

    #[test]
    fn a_marked_folder_with_files_is_accepted_an_unmarked_one_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("proj");
        let out = tmp.path().join("out");
        fs::create_dir_all(out.join("x")).unwrap();
        let err = OutputTarget::new(&root, &out).unwrap_err();
        assert!(err.to_string().contains("holds files cityreport did not write (x)"), "{err}");
        // An empty marker anyone could make is not the tool's.
        fs::write(out.join(MARKER), "").unwrap();
        let err = OutputTarget::new(&root, &out).unwrap_err();
        assert!(err.to_string().contains("is not the one cityreport writes"), "{err}");
        assert!(out.join("x").is_dir() && out.join(MARKER).is_file(), "nothing deleted");
        fs::write(out.join(MARKER), super::swap::MARKER_TEXT).unwrap();
        assert!(OutputTarget::new(&root, &out).is_ok());
    }

    #[test]
    fn listing_names_three_and_counts_the_rest() {
        let tmp = tempfile::tempdir().unwrap();
        for n in ["e", "d", "c", "b", "a"] {
            fs::write(tmp.path().join(n), "").unwrap();
        }
        assert_eq!(listing(tmp.path()).unwrap(), "a, b, c and 2 more");
    }
}
