//! A lock file beside an output folder, so that two builds (or publishes) never write the same
//! output at once. It is an advisory lock of the operating system (std's `File::try_lock`, stable
//! since Rust 1.89), so it is released when its holder ends, even by `kill -9`; the file's text
//! says who holds it, for the message another build shows.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

#[derive(Debug)]
pub enum LockError {
    /// Another process held the lock for longer than we waited.
    Held { lock: PathBuf, holder: String },
    Io { lock: PathBuf, error: io::Error },
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockError::Held { lock, holder } => write!(
                f,
                "error: {} is locked by {holder}\n  help: wait until it has finished and run the command again; the lock is released as soon as that process ends",
                lock.display()
            ),
            LockError::Io { lock, error } => write!(f, "error: cannot lock {}: {error}", lock.display()),
        }
    }
}

impl std::error::Error for LockError {}

impl OutputLock {
    /// Takes the lock at `path`, waiting up to `wait` while another process holds it; `on_wait`
    /// is told once who that is, when waiting starts.
    pub fn acquire(path: &Path, wait: Duration, mut on_wait: impl FnMut(&str)) -> Result<Self, LockError> {
        let io_err = |error| LockError::Io { lock: path.to_path_buf(), error };
        let deadline = Instant::now() + wait;
        let mut told = false;
        loop {
            let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).map_err(io_err)?;
            match file.try_lock() {
                Ok(()) => {
                    // A holder that finishes removes the file while still holding it; if we locked
                    // that removed file, try again with the one now at `path`.
                    if !still_at(&file, path) {
                        continue;
                    }
                    let mut lock = OutputLock { file, path: path.to_path_buf() };
                    lock.say_who_holds_it().map_err(io_err)?;
                    return Ok(lock);
                }
                Err(fs::TryLockError::WouldBlock) => {
                    let holder = holder_of(path);
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(LockError::Held { lock: path.to_path_buf(), holder });
                    }
                    if !told {
                        on_wait(&holder);
                        told = true;
                    }
                    std::thread::sleep((deadline - now).min(Duration::from_millis(100)));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_err(e)),
            }
        }
    }

    fn say_who_holds_it(&mut self) -> io::Result<()> {
        let command: Vec<String> = std::env::args()
            .enumerate()
            .map(|(i, a)| if i == 0 { Path::new(&a).file_name().map_or(a.clone(), |n| n.to_string_lossy().into_owned()) } else { a })
            .collect();
        let text = format!(
            "Held by a running cityreport while it writes the folder beside this file; it removes this file when done.\npid: {}\nsince: {}\ncommand: {}\n",
            std::process::id(),
            httpdate::fmt_http_date(SystemTime::now()),
            command.join(" ")
        );
        self.file.set_len(0)?;
        self.file.write_all(text.as_bytes())?;
        self.file.flush()
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Remove the file while still holding the lock, so no one is left holding a lock on a
        // file that is gone unawares (see `acquire`). Closing the file releases the lock.
        if cfg!(unix) && still_at(&self.file, &self.path) {
            let _ = fs::remove_file(&self.path);
        } else {
            let _ = self.file.set_len(0);
        }
    }
}

/// Describes the holder from the lock file's text: "process 123 (`cityreport build`, since …)".
fn holder_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let field = |key: &str| text.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim().to_string());
    match (field("pid:"), field("command:"), field("since:")) {
        (Some(pid), command, since) => {
            let mut s = format!("process {pid}");
            let details: Vec<String> = [command.map(|c| format!("`{c}`")), since.map(|t| format!("since {t}"))].into_iter().flatten().collect();
            if !details.is_empty() {
                s.push_str(&format!(" ({})", details.join(", ")));
            }
            s
        }
        _ => "another process (it has not written who it is)".to_string(),
    }
}

/// Whether `file` is still the file at `path` (not one removed and replaced since).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Without inode numbers the file is never removed (see Drop), so it is always the one at `path`.
#[cfg(not(unix))]
fn still_at(_: &File, _: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_then_names_the_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".site.lock");
        let held = OutputLock::acquire(&path, Duration::ZERO, |_| panic!("free lock")).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(&format!("pid: {}", std::process::id())), "{text}");
        let mut waited_for = None;
        let err = OutputLock::acquire(&path, Duration::from_millis(300), |h| waited_for = Some(h.to_string())).unwrap_err();
        let expected = format!("process {}", std::process::id());
        assert!(waited_for.unwrap().starts_with(&expected));
        assert!(err.to_string().contains(&expected), "{err}");
        drop(held);
        assert!(!path.exists(), "the lock file is removed on release");
        let again = OutputLock::acquire(&path, Duration::ZERO, |_| panic!("released")).unwrap();
        drop(again);
    }

    #[test]
    fn a_lock_left_by_a_dead_holder_is_taken_over() {
        // A killed holder leaves its file behind, but the system released its lock.
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".site.lock");
        fs::write(&path, "pid: 1\ncommand: cityreport build\n").unwrap();
        let lock = OutputLock::acquire(&path, Duration::ZERO, |_| panic!("not held")).unwrap();
        assert!(fs::read_to_string(&path).unwrap().contains(&format!("pid: {}", std::process::id())));
        drop(lock);
    }

    #[test]
    fn a_holder_that_wrote_nothing_is_still_described() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".site.lock");
        fs::write(&path, "").unwrap();
        assert_eq!(holder_of(&path), "another process (it has not written who it is)");
    }
}
