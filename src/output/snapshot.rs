//! What a built site looks like from outside: every entry of the output folder with its size,
//! modification time and inode, hashed. Taken right after a build's swap and again before the
//! next build, it tells whether anybody touched the site in between (an edited, added or removed
//! file changes it), without reading a byte of it.

use std::path::Path;
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

/// The hash of every entry under `dir` (links not followed). `None` when `dir` is missing or an
/// entry could not be described: the caller then assumes the site changed.
pub fn snapshot(dir: &Path) -> Option<[u8; 32]> {
    if !dir.is_dir() {
        return None;
    }
    let mut h = Sha256::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.ok()?;
        let rel = entry.path().strip_prefix(dir).ok()?;
        let meta = entry.metadata().ok()?;
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        let kind = if meta.is_dir() { "d" } else if meta.is_file() { "f" } else { "o" };
        h.update(rel.to_string_lossy().as_bytes());
        h.update(format!("\0{kind} {} {}.{:09} {}\n", meta.len(), modified.as_secs(), modified.subsec_nanos(), inode(&meta)).as_bytes());
    }
    Some(h.finalize().into())
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_an_addition_or_a_removal_changes_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>a</p>").unwrap();
        let before = snapshot(dir.path()).unwrap();
        assert_eq!(Some(before), snapshot(dir.path()));
        std::fs::write(dir.path().join("extra.html"), "x").unwrap();
        let added = snapshot(dir.path()).unwrap();
        assert_ne!(before, added);
        std::fs::remove_file(dir.path().join("extra.html")).unwrap();
        let file = std::fs::File::options().write(true).open(dir.path().join("index.html")).unwrap();
        file.set_modified(UNIX_EPOCH + std::time::Duration::from_secs(1_000_000)).unwrap();
        assert_ne!(before, snapshot(dir.path()).unwrap());
        assert_eq!(None, snapshot(&dir.path().join("missing")));
    }
}
