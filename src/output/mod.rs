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

mod error;
mod lock;
mod snapshot;
mod staging;
mod swap;
mod target;

pub use lock::{LockError, OutputLock};
pub use snapshot::snapshot;
pub use staging::Staging;
pub use swap::{MARKER, MARKER_TEXT, fresh_staging, unmark};
pub use error::{OutputError, Written};
pub use target::{CACHE_FOLDER, DEFAULT_LOCK_WAIT, OutputTarget};

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::iter::{IndexedParallelIterator, IntoParallelRefIterator, ParallelIterator};

/// The bytes of one output file, shared: a preview keeps the last build and hands copies to the
/// server on every rebuild, and PNGs alone are tens of megabytes.
pub use crate::model::FileBytes;

/// Where a build to disk puts each finished file (site path, bytes) the moment it is made,
/// instead of holding it with the rest of the site: the staging folder, behind a filter. Its
/// error names the file that could not be written.
pub type FileSink<'a> = &'a (dyn Fn(&str, &[u8]) -> Result<(), OutputError> + Sync);

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


/// What a render stage read from each file, kept between the preview's rebuilds by site path
/// with the bytes it came from: a file whose bytes are still the same shared buffer (unchanged
/// since the last build) is not read again.
pub type FileMemo<T> = HashMap<String, (FileBytes, T)>;

/// `read` applied to each of `files` (in their order, in parallel), reusing what `memo` holds
/// for files whose bytes are unchanged and remembering the rest. Without a memo every file is
/// read.
pub fn read_each<T: Clone + Send + Sync>(
    files: &[(&String, &FileBytes)],
    memo: Option<&mut FileMemo<T>>,
    read: impl Fn(&[u8]) -> T + Sync,
) -> Vec<T> {
    let Some(memo) = memo else {
        return files.par_iter().map(|(_, bytes)| read(bytes)).collect();
    };
    let known = |path: &String, bytes: &FileBytes| memo.get(path).filter(|(seen, _)| Arc::ptr_eq(seen, bytes)).map(|(_, t)| t.clone());
    let found: Vec<Option<T>> = files.iter().map(|(path, bytes)| known(path, bytes)).collect();
    let out: Vec<T> = files.par_iter().zip(found).map(|((_, bytes), hit)| hit.unwrap_or_else(|| read(bytes))).collect();
    for ((path, bytes), value) in files.iter().zip(&out) {
        memo.insert((*path).clone(), (Arc::clone(bytes), value.clone()));
    }
    out
}

/// Writes a file of the build cache (`.cityreport-cache/`) whole or not at all: into a
/// temporary file named for this process and thread, then renamed over `path`, so a killed
/// build or a concurrent one never leaves a half-written entry under the final name.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let thread = format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let tmp = path.with_extension(format!("tmp{}-{thread}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod read_each_tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn remembered_files_are_not_read_again_and_changed_ones_are() {
        let a: FileBytes = Arc::from(&b"aa"[..]);
        let b: FileBytes = Arc::from(&b"bbb"[..]);
        let (pa, pb) = ("a.html".to_string(), "b.html".to_string());
        let reads = AtomicUsize::new(0);
        let len = |bytes: &[u8]| {
            reads.fetch_add(1, Ordering::Relaxed);
            bytes.len()
        };
        let mut memo = FileMemo::new();
        assert_eq!(read_each(&[(&pa, &a), (&pb, &b)], Some(&mut memo), len), vec![2, 3]);
        assert_eq!(reads.load(Ordering::Relaxed), 2);
        // Same buffers: nothing read. The new buffer for b is read.
        let b2: FileBytes = Arc::from(&b"xyzw"[..]);
        assert_eq!(read_each(&[(&pa, &a), (&pb, &b2)], Some(&mut memo), len), vec![2, 4]);
        assert_eq!(reads.load(Ordering::Relaxed), 3);
        // Without a memo, everything is read.
        assert_eq!(read_each(&[(&pa, &a)], None, len), vec![2]);
        assert_eq!(reads.load(Ordering::Relaxed), 4);
    }
}

