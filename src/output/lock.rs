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
    /// Something other than a lock file cityreport wrote is at the lock's path (a symlink, a
    /// hard link, a folder, a file with other text): it is left alone, never written through.
    Refused { lock: PathBuf, why: &'static str },
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
            LockError::Refused { lock, why } => write!(
                f,
                "error: cannot lock {}: {why}, not a lock file cityreport wrote\n  help: move it away or delete it yourself if it is not yours to keep (cityreport never writes through it), then run the command again",
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
            let file = open_lock_file(path)?;
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

/// Opens (or creates) the lock file at `path` without following a symlink there, and checks that
/// what it opened is a lock file: a regular file with no other name (a hard link would let the
/// lock's text overwrite a user's file) holding nothing or a lock's text. `ln -s ~/mine.txt
/// .site.lock` used to have `mine.txt` overwritten.
fn open_lock_file(path: &Path) -> Result<File, LockError> {
    let refused = |why| LockError::Refused { lock: path.to_path_buf(), why };
    let io_err = |error| LockError::Io { lock: path.to_path_buf(), error };
    // Checked before opening too, for systems without O_NOFOLLOW below.
    if let Ok(m) = fs::symlink_metadata(path) {
        if m.file_type().is_symlink() {
            return Err(refused("it is a symbolic link"));
        }
        if !m.is_file() {
            return Err(refused("it is not a regular file"));
        }
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Closes the race between the check above and the open: a symlink put there meanwhile
        // makes the open fail (ELOOP) instead of being followed.
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(_) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => return Err(refused("it is a symbolic link")),
        Err(e) => return Err(io_err(e)),
    };
    let meta = file.metadata().map_err(io_err)?;
    if !meta.is_file() {
        return Err(refused("it is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(refused("it is a hard link to another file"));
        }
    }
    // A lock's text is a few lines; anything longer, or without the `pid:` line every lock has
    // had, is someone's file.
    if meta.len() > 0 {
        let mut text = String::new();
        let ours = meta.len() <= 4096
            && io::Read::read_to_string(&mut file, &mut text).is_ok()
            && text.lines().any(|l| l.starts_with("pid:"));
        if !ours {
            return Err(refused("it holds other text"));
        }
    }
    Ok(file)
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

    #[cfg(unix)]
    #[test]
    fn a_symlink_a_hard_link_or_a_foreign_file_at_the_lock_path_is_refused_and_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let mine = tmp.path().join("mine.txt");
        fs::write(&mine, "my notes\n").unwrap();
        let path = tmp.path().join(".site.lock");
        std::os::unix::fs::symlink(&mine, &path).unwrap();
        let err = OutputLock::acquire(&path, Duration::ZERO, |_| {}).unwrap_err();
        assert!(err.to_string().contains("it is a symbolic link") && err.to_string().contains("help: move it away"), "{err}");
        assert!(fs::symlink_metadata(&path).unwrap().file_type().is_symlink(), "the link is left");
        fs::remove_file(&path).unwrap();
        fs::hard_link(&mine, &path).unwrap();
        let err = OutputLock::acquire(&path, Duration::ZERO, |_| {}).unwrap_err();
        assert!(err.to_string().contains("hard link"), "{err}");
        fs::remove_file(&path).unwrap();
        fs::write(&path, "someone's text\n").unwrap();
        let err = OutputLock::acquire(&path, Duration::ZERO, |_| {}).unwrap_err();
        assert!(err.to_string().contains("other text"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "someone's text\n");
        assert_eq!(fs::read_to_string(&mine).unwrap(), "my notes\n", "the user's file is untouched");
    }

    #[test]
    fn a_holder_that_wrote_nothing_is_still_described() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".site.lock");
        fs::write(&path, "").unwrap();
        assert_eq!(holder_of(&path), "another process (it has not written who it is)");
    }
}
