//! The built site as data, and the one place that writes it to disk.
//!
//! Every stage renders into [`SiteFiles`] in memory, so `serve` can serve the set without
//! touching the disk. `build` hands it to an [`OutputTarget`], which
//! - refuses any folder cityreport did not write itself, the project and its inputs (`target.rs`),
//! - holds a lock beside the output folder while it writes, naming who holds it (`lock.rs`),
//! - writes into a marked staging folder next to the output — file by file as a build finishes
//!   them (`staging.rs`), so the site is never held in memory whole — and swaps it in atomically where the
//!   platform allows, removing leftovers of interrupted builds (`swap.rs`),
//!
//! so a failed build never leaves a half-written site and never deletes a user's file.

mod lock;
mod staging;
mod swap;
mod target;

pub use lock::{LockError, OutputLock};
pub use staging::Staging;
pub use swap::{MARKER, fresh_staging, unmark};
pub use target::{CACHE_FOLDER, DEFAULT_LOCK_WAIT, OutputError, OutputTarget, Written};

use std::collections::BTreeMap;
use std::sync::Arc;

/// The bytes of one output file, shared: a preview keeps the last build and hands copies to the
/// server on every rebuild, and PNGs alone are tens of megabytes.
pub use crate::model::FileBytes;

/// Where a build to disk puts each finished file (site path, bytes) the moment it is made,
/// instead of holding it with the rest of the site: the staging folder, behind a filter. Its
/// error names the file that could not be written.
pub type FileSink<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<(), String> + Sync);

/// Files of a built site, keyed by their path relative to the site root with `/` separators
/// ("2020/zh/index.html"). A BTreeMap keeps every listing of them in one stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFiles {
    pub files: BTreeMap<String, FileBytes>,
}

impl SiteFiles {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), Arc::from(bytes.into()));
    }

    /// Inserts bytes that are already shared, without copying them.
    pub fn insert_shared(&mut self, path: impl Into<String>, bytes: FileBytes) {
        self.files.insert(path.into(), bytes);
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|v| &v[..])
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn extend(&mut self, other: SiteFiles) {
        self.files.extend(other.files);
    }
}

