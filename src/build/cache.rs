//! The build cache's folders (`.cityreport-cache/` in the project, or `CITYREPORT_CACHE`): what
//! a build keeps so that the next one does not redo work whose inputs did not change. Every
//! entry is named by a hash of its inputs and holds the bytes a fresh computation gives, so the
//! cache never changes the output; the folder is the tool's own and may be deleted at any time.

use crate::format::hex;
use std::path::{Path, PathBuf};

use crate::compute::AnalysisCache;

/// `.cityreport-cache/` in the project, or the folder named by `CITYREPORT_CACHE`.
pub(crate) fn cache_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CITYREPORT_CACHE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => root.join(crate::output::CACHE_FOLDER),
    }
}

/// Web-font slices, by font and characters (`site::webfonts`).
pub(crate) fn fonts_dir(root: &Path) -> PathBuf {
    cache_dir(root).join("fonts")
}

/// Uncertainty and sensitivity results, by their inputs (`compute::AnalysisCache`), on disk.
pub(crate) struct DiskAnalyses(pub PathBuf);

impl DiskAnalyses {
    pub(crate) fn of(root: &Path) -> Self {
        DiskAnalyses(cache_dir(root).join("uncertainty"))
    }

    fn path(&self, key: &[u8; 32]) -> PathBuf {
        self.0.join(format!("{}.bin", hex(key)))
    }
}

impl AnalysisCache for DiskAnalyses {
    fn get(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        std::fs::read(self.path(key)).ok()
    }

    fn put(&self, key: &[u8; 32], bytes: &[u8]) {
        // A cache that cannot be written only costs time on the next build.
        let _ = crate::output::write_atomically(&self.path(key), bytes);
    }
}

/// The last build into one output folder, remembered so that the next one can see that it has
/// nothing to do (issue 25): same tool, same options, inputs whose stamp (`load::input_stamp`:
/// every input entry's size and modification time) is unchanged, and a site that nobody touched
/// since (`output::snapshot`). Like make, it trusts modification times; a build whose stamp
/// cannot be taken, or a tool built without its source hash, always builds in full.
pub(crate) struct LastBuild {
    record: PathBuf,
    key: [u8; 32],
}

/// The tool's version and source hash (from build.rs; absent when cargo skipped the build script).
const TOOL: Option<&str> = option_env!("CITYREPORT_SOURCE_HASH");

impl LastBuild {
    /// What the build about to run is made of; `None` when it cannot be known cheaply.
    pub(crate) fn of(root: &Path, opts: &super::BuildOptions, out: &Path) -> Option<Self> {
        use sha2::{Digest, Sha256};
        let tool = TOOL?;
        let inputs = crate::load::input_stamp(root)?;
        let mut h = Sha256::new();
        h.update(format!("cityreport {} {tool}\0{opts:?}\0", env!("CARGO_PKG_VERSION")));
        h.update(inputs);
        let folder: [u8; 32] = Sha256::digest(out.to_string_lossy().as_bytes()).into();
        let record = cache_dir(root).join("builds").join(format!("{}.txt", hex(&folder[..8])));
        Some(LastBuild { record, key: h.finalize().into() })
    }

    /// The number of files of the site at `out`, when the last build into it was made of the
    /// same and the site is as that build left it: then there is nothing to do.
    pub(crate) fn still_current(&self, out: &Path) -> Option<usize> {
        let text = std::fs::read_to_string(&self.record).ok()?;
        let mut lines = text.lines();
        let key = lines.next()?.strip_prefix("build ")?;
        let site = lines.next()?.strip_prefix("site ")?;
        let files = lines.next()?.strip_prefix("files ")?.parse().ok()?;
        (key == hex(&self.key) && site == hex(&crate::output::snapshot(out)?)).then_some(files)
    }

    /// Remembers a build that just finished writing `files` files to `out`. A record that cannot
    /// be written only makes the next build run in full.
    pub(crate) fn remember(&self, out: &Path, files: usize) {
        let Some(site) = crate::output::snapshot(out) else { return };
        let text = format!("build {}\nsite {}\nfiles {files}\n", hex(&self.key), hex(&site));
        let _ = crate::output::write_atomically(&self.record, text.as_bytes());
    }
}

