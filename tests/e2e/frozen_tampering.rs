//! A frozen edition cannot change silently: `build` checks every frozen file against its manifest
//! and refuses a changed, missing or extra file, a missing or empty manifest, and manifest paths
//! that leave the edition — naming the file, never serving it, leaving the built site untouched.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

/// A published, frozen starter project (`init`, then `publish`) built once into site/.
fn frozen_project() -> (tempfile::TempDir, PathBuf, u16) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("proj");
    let out = common::cityreport(&["init", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let year: u16 = fs::read_dir(root.join("data"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .max()
        .expect("an edition");
    let out = common::cityreport(&["publish", &year.to_string(), "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    common::build(&root);
    (tmp, root, year)
}

/// Runs `build`, expects exit 1 with every fragment in stderr, and the previous site unchanged.
fn refused(root: &Path, fragments: &[&str]) {
    let site = root.join("site");
    let before = common::snapshot(&site);
    let out = common::cityreport(&["build", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for f in fragments {
        assert!(stderr.contains(f), "expected `{f}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(common::snapshot(&site) == before, "the built site changed");
}

#[test]
fn every_kind_of_tampering_is_refused_by_name() {
    let (_tmp, root, year) = frozen_project();
    let archive = root.join("archive").join(year.to_string());
    let manifest = archive.join("manifest.sha256");
    let original = fs::read_to_string(&manifest).unwrap();
    let first = original.lines().next().unwrap().split_once("  ").unwrap().1.to_string();
    let first_path = archive.join("files").join(&first);
    let first_bytes = fs::read(&first_path).unwrap();

    // One changed byte.
    let mut changed = first_bytes.clone();
    changed[0] ^= 1;
    fs::write(&first_path, &changed).unwrap();
    refused(&root, &[&first, "differs from the digest", "cityreport verify"]);
    fs::write(&first_path, &first_bytes).unwrap();

    // A missing file, and a file nobody listed.
    fs::remove_file(&first_path).unwrap();
    refused(&root, &[&first, "cannot be read"]);
    fs::write(&first_path, &first_bytes).unwrap();
    fs::write(archive.join("files/extra.html"), "x").unwrap();
    refused(&root, &["extra.html", "not in its manifest"]);
    fs::remove_file(archive.join("files/extra.html")).unwrap();

    // Manifest paths that leave the edition: never read, named by line.
    let digest = original.lines().next().unwrap().split_once("  ").unwrap().0;
    for bad in ["/etc/hostname", "../../../../etc/hostname", "zh/../../x"] {
        fs::write(&manifest, format!("{original}{digest}  {bad}\n")).unwrap();
        refused(&root, &["manifest.sha256", "leaves the edition"]);
    }

    // An empty or missing manifest does not un-freeze the edition.
    fs::write(&manifest, "").unwrap();
    refused(&root, &["lists no file"]);
    fs::remove_file(&manifest).unwrap();
    refused(&root, &["manifest cannot be read"]);

    // Restored, the edition builds again and `verify` agrees.
    fs::write(&manifest, &original).unwrap();
    common::build(&root);
    let out = common::cityreport(&["verify", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
