//! A stamp of the project's inputs as the file system describes them: every entry of the input
//! folders with its size and modification time, hashed. Reading no file's bytes, it costs a few
//! milliseconds, so `build` can tell before loading anything that nothing changed since the last
//! build (see `build::cache`), the way make and cargo decide from modification times.
//!
//! Only a stamp that could be taken whole is returned: an entry that cannot be described makes
//! the build run in full, never skip.

use std::path::Path;
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use super::INPUT_FOLDERS;

/// The hash of every input folder's entries (path, kind, size, modification time to the
/// nanosecond; for a symbolic link also what it leads to, since `load` follows links inside the
/// project). `None` when an entry could not be described.
pub fn input_stamp(root: &Path) -> Option<[u8; 32]> {
    let mut h = Sha256::new();
    for folder in INPUT_FOLDERS {
        let dir = root.join(folder);
        h.update(folder.as_bytes());
        if !dir.exists() {
            h.update(b"\0absent\n");
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.ok()?;
            let rel = entry.path().strip_prefix(root).ok()?;
            h.update(rel.to_string_lossy().as_bytes());
            h.update(b"\0");
            describe(entry.path(), &mut h)?;
            if entry.path_is_symlink() {
                h.update(std::fs::read_link(entry.path()).ok()?.to_string_lossy().as_bytes());
                h.update(b"\0");
            }
            h.update(b"\n");
        }
    }
    Some(h.finalize().into())
}

/// Kind, size and modification time of what `path` leads to (links followed).
fn describe(path: &Path, h: &mut Sha256) -> Option<()> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    let kind = if meta.is_dir() { "d" } else if meta.is_file() { "f" } else { "o" };
    h.update(format!("{kind} {} {}.{:09}", meta.len(), modified.as_secs(), modified.subsec_nanos()).as_bytes());
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/2020/en")).unwrap();
        std::fs::write(dir.path().join("content/2020/en/overall.md"), "# Overall\n").unwrap();
        dir
    }

    #[test]
    fn the_same_inputs_give_the_same_stamp() {
        let p = project();
        assert_eq!(input_stamp(p.path()), input_stamp(p.path()));
        assert!(input_stamp(p.path()).is_some());
    }

    #[test]
    fn a_new_edited_or_removed_file_changes_the_stamp() {
        let p = project();
        let before = input_stamp(p.path()).unwrap();
        std::fs::write(p.path().join("content/2020/en/regional.md"), "# Regional\n").unwrap();
        let added = input_stamp(p.path()).unwrap();
        assert_ne!(before, added);
        // Same size, new time: an edit that keeps the length is still seen.
        let file = std::fs::File::options().write(true).open(p.path().join("content/2020/en/overall.md")).unwrap();
        file.set_modified(UNIX_EPOCH + std::time::Duration::from_nanos(1_700_000_000_123_456_789)).unwrap();
        let edited = input_stamp(p.path()).unwrap();
        assert_ne!(added, edited);
        std::fs::remove_file(p.path().join("content/2020/en/regional.md")).unwrap();
        assert_ne!(edited, input_stamp(p.path()).unwrap());
    }

    #[test]
    fn files_outside_the_input_folders_do_not_count() {
        let p = project();
        let before = input_stamp(p.path()).unwrap();
        std::fs::create_dir_all(p.path().join("site")).unwrap();
        std::fs::write(p.path().join("site/index.html"), "<p>built</p>").unwrap();
        assert_eq!(before, input_stamp(p.path()).unwrap());
    }
}
