//! The build cache's folders (`.cityreport-cache/` in the project, or `CITYREPORT_CACHE`): what
//! a build keeps so that the next one does not redo work whose inputs did not change. Every
//! entry is named by a hash of its inputs and holds the bytes a fresh computation gives, so the
//! cache never changes the output; the folder is the tool's own and may be deleted at any time.

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
        self.0.join(format!("{}.bin", key.iter().map(|b| format!("{b:02x}")).collect::<String>()))
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
