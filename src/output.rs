//! The built site as data, and the one place that writes it to disk.
//!
//! Every stage renders into [`SiteFiles`] in memory; `build` then writes the whole set into a
//! staging folder next to the output folder and swaps it in, so a failed build never leaves a
//! half-written site, and `serve` can serve the same set without touching the disk.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The bytes of one output file, shared: a preview keeps the last build and hands copies to the
/// server on every rebuild, and PNGs alone are tens of megabytes.
pub use crate::model::FileBytes;

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

    /// Writes every file under `out`, replacing whatever was there, as one step as far as the
    /// file system allows: the files go to a sibling staging folder first, which is then renamed
    /// into place. If anything fails, `out` is left as it was.
    pub fn write_atomically(&self, out: &Path) -> io::Result<()> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.previous-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        let written = self.write_into(&staging);
        if let Err(e) = written {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        if out.exists() {
            fs::rename(out, &previous)?;
            if let Err(e) = fs::rename(&staging, out) {
                // Put the old site back before reporting.
                let _ = fs::rename(&previous, out);
                let _ = fs::remove_dir_all(&staging);
                return Err(e);
            }
            fs::remove_dir_all(&previous)?;
        } else {
            fs::rename(&staging, out)?;
        }
        Ok(())
    }

    fn write_into(&self, dir: &Path) -> io::Result<()> {
        fs::create_dir_all(dir)?;
        for (rel, bytes) in &self.files {
            let path = dir.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)?;
            }
            fs::write(&path, bytes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_replaces_previous_site_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let mut a = SiteFiles::new();
        a.insert("old.html", "old");
        a.insert("x/y.txt", "1");
        a.write_atomically(&out).unwrap();
        let mut b = SiteFiles::new();
        b.insert("x/y.txt", "2");
        b.write_atomically(&out).unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("x/y.txt")).unwrap(), "2");
        // No staging or backup folders are left behind.
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
