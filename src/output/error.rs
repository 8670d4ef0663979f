//! What writing the site can fail with, and what it did besides: the types the staging folder and
//! the target both report in (kept apart from either, so neither imports the other).

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::lock::LockError;

#[derive(Debug)]
pub enum OutputError {
    /// cityreport may not write there: why, and what to do instead.
    Refused { out: PathBuf, why: String, help: String },
    /// Another build is writing the same output.
    Locked(LockError),
    Io { path: PathBuf, error: io::Error },
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Refused { out, why, help } => {
                write!(f, "error: will not write the site to {}: {why}\n  help: {help}", out.display())
            }
            OutputError::Locked(e) => write!(f, "{e}"),
            OutputError::Io { path, error } => write!(f, "error: cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {}

/// What [`OutputTarget::write`] did besides writing the site, for the user to hear about.
#[derive(Debug, Default)]
pub struct Written {
    /// Folders of interrupted earlier builds that were removed.
    pub stale_removed: Vec<PathBuf>,
    /// The replaced site, when it could not be deleted (the next build tries again).
    pub old_left: Option<(PathBuf, io::Error)>,
    /// Whether the old site was replaced in one atomic step (false when there was none, or the
    /// platform lacks an atomic exchange).
    pub atomic: bool,
}
