//! Frozen editions in `archive/<version>/`: `files/` with every built file of a published
//! edition, and `manifest.sha256` listing them (the format of `sha256sum`, so anyone can check
//! it with `sha256sum -c`).
//!
//! The manifest is input like any other, so it is checked like any other: every line must be
//! `<64 hex digits>  <path>` with a relative, normalised path inside `files/`, and every listed
//! file must exist with that digest. A frozen edition that does not match — or whose manifest is
//! missing or empty — is reported, never silently re-rendered or served with other bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path};

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::model::{FileBytes, FrozenEdition, VersionId};

pub const MANIFEST: &str = "manifest.sha256";

/// Lower-case hex SHA-256 of `bytes`, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(64);
    for b in Sha256::digest(bytes).iter() {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The version folders under `archive/` (named like "2020" or "2020-r1"), by year then revision.
/// Other names (staging folders, notes) are not versions and are passed over.
pub fn version_folders(root: &Path) -> Vec<(VersionId, std::path::PathBuf)> {
    let Ok(entries) = fs::read_dir(root.join("archive")) else { return Vec::new() };
    let mut found: Vec<(VersionId, std::path::PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((VersionId::from_folder(e.file_name().to_str()?)?, e.path())))
        .collect();
    found.sort();
    found
}

/// Reads and checks every frozen edition of the project.
pub fn read_frozen(root: &Path) -> Vec<FrozenEdition> {
    version_folders(root).into_iter().map(|(version, dir)| read_version(version, &dir)).collect()
}

fn read_version(version: VersionId, dir: &Path) -> FrozenEdition {
    let mut frozen = FrozenEdition { version, dir: dir.to_path_buf(), files: BTreeMap::new(), damage: Vec::new() };
    let manifest_path = dir.join(MANIFEST);
    let manifest = match read_manifest(&manifest_path) {
        Ok(m) => m,
        Err(d) => {
            frozen.damage.push(d);
            return frozen;
        }
    };
    let files_dir = dir.join("files");
    let fix = format!(
        "run `cityreport verify` to list every difference; restore archive/{0}/ from version control, or freeze the edition again with `cityreport publish {1} --force`",
        version.folder(),
        version.year
    );
    for (rel, digest) in &manifest {
        let path = files_dir.join(rel);
        match read_regular_file(&path) {
            Ok(bytes) if sha256_hex(&bytes) == *digest => {
                frozen.files.insert(rel.clone(), FileBytes::from(bytes));
            }
            Ok(_) => frozen.damage.push(
                Diagnostic::new(&path, "this frozen file differs from the digest in its manifest: a published edition must not change").help(&fix),
            ),
            Err(e) => frozen.damage.push(Diagnostic::new(&path, format!("a file listed in the manifest cannot be read: {e}")).help(&fix)),
        }
    }
    for extra in unlisted_files(&files_dir, &manifest) {
        frozen.damage.push(Diagnostic::new(&extra, "this file is in a frozen edition but not in its manifest").help(&fix));
    }
    frozen
}

/// Reads a file that must be a regular file: a symbolic link in a frozen edition could make a
/// build publish any file of the machine.
fn read_regular_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.file_type().is_file() {
        return Err(std::io::Error::other("it is not a regular file (symbolic links are not allowed in archive/)"));
    }
    fs::read(path)
}

/// Reads and checks a manifest: relative path → hex digest. Every problem names its line.
pub fn read_manifest(path: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let help_missing = "a published edition keeps its manifest; restore it from version control, or freeze the edition again with `cityreport publish <year> --force`";
    let text = fs::read_to_string(path)
        .map_err(|e| Diagnostic::new(path, format!("the frozen edition's manifest cannot be read: {e}")).help(help_missing))?;
    let mut manifest = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let at = |message: String| Diagnostic::new(path, message).at_line(n + 1);
        if line.trim().is_empty() {
            continue;
        }
        let Some((digest, rel)) = line.split_once("  ") else {
            return Err(at("expected `<sha256 digest>  <path>` (two spaces between them)".into())
                .help("the manifest is written by `cityreport publish`; restore it from version control"));
        };
        if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(at(format!("`{digest}` is not a SHA-256 digest (64 lower-case hex digits)"))
                .help("the manifest is written by `cityreport publish`; restore it from version control"));
        }
        if !is_normalised_relative(rel) {
            return Err(at(format!("the path `{rel}` leaves the edition's files/ folder or is not normalised"))
                .help("manifest paths are relative to files/, with `/` separators and no `.` or `..` parts"));
        }
        if manifest.insert(rel.to_string(), digest.to_string()).is_some() {
            return Err(at(format!("`{rel}` is listed twice")).help("each file is listed once; restore the manifest from version control"));
        }
    }
    if manifest.is_empty() {
        return Err(Diagnostic::new(path, "the frozen edition's manifest lists no file").help(help_missing));
    }
    Ok(manifest)
}

/// "zh/index.html": relative, `/`-separated, no empty, `.` or `..` parts, no backslash or NUL.
fn is_normalised_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains(['\\', '\0'])
        && rel.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
        && Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Files under `dir` (or symbolic links, which never belong there) that the manifest does not list.
pub fn unlisted_files(dir: &Path, manifest: &BTreeMap<String, String>) -> Vec<std::path::PathBuf> {
    let mut extra = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if !manifest.contains_key(&key) || entry.file_type().is_symlink() {
            extra.push(entry.path().to_path_buf());
        }
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_a_known_digest() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn only_normalised_relative_paths_pass() {
        for ok in ["index.html", "zh/index.html", "figures/zh/map-overall.png"] {
            assert!(is_normalised_relative(ok), "{ok}");
        }
        for bad in ["", "/etc/passwd", "../../../etc/passwd", "zh/../../x", "./a", "a//b", "a/", "a\\b", "a/./b"] {
            assert!(!is_normalised_relative(bad), "{bad}");
        }
    }

    fn manifest_error(text: &str) -> Diagnostic {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(MANIFEST);
        fs::write(&path, text).unwrap();
        read_manifest(&path).unwrap_err()
    }

    #[test]
    fn manifest_problems_name_their_line() {
        let digest = sha256_hex(b"x");
        let d = manifest_error(&format!("{digest}  a.html\n{digest}  ../../etc/passwd\n"));
        assert_eq!(d.line, Some(2));
        assert!(d.message.contains("leaves"), "{}", d.message);
        let d = manifest_error(&format!("{digest}  /etc/passwd\n"));
        assert_eq!(d.line, Some(1));
        assert!(manifest_error("nothing here\n").message.contains("expected"));
        assert!(manifest_error(&format!("{}  a\n", &digest[..10])).message.contains("not a SHA-256"));
        assert!(manifest_error(&format!("{digest}  a\n{digest}  a\n")).message.contains("twice"));
        assert!(manifest_error("\n").message.contains("lists no file"));
    }

    #[test]
    fn a_changed_missing_or_extra_file_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let files = dir.path().join("files");
        fs::create_dir_all(files.join("zh")).unwrap();
        fs::write(files.join("zh/index.html"), "frozen").unwrap();
        fs::write(files.join("a.txt"), "a").unwrap();
        let manifest = format!("{}  zh/index.html\n{}  a.txt\n", sha256_hex(b"frozen"), sha256_hex(b"a"));
        fs::write(dir.path().join(MANIFEST), manifest).unwrap();
        let v = VersionId { year: 2020, revision: 0 };
        let ok = read_version(v, dir.path());
        assert!(ok.damage.is_empty(), "{:?}", ok.damage);
        assert_eq!(&*ok.files["zh/index.html"], b"frozen");

        fs::write(files.join("zh/index.html"), "frozeN").unwrap();
        fs::remove_file(files.join("a.txt")).unwrap();
        fs::write(files.join("new.html"), "?").unwrap();
        let damaged = read_version(v, dir.path());
        let messages: Vec<String> = damaged.damage.iter().map(|d| format!("{}: {}", d.file.display(), d.message)).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        let has = |file: &str, what: &str| messages.iter().any(|m| m.contains(file) && m.contains(what));
        assert!(has("zh/index.html", "differs"), "{messages:?}");
        assert!(has("a.txt", "cannot be read"), "{messages:?}");
        assert!(has("new.html", "not in its manifest"), "{messages:?}");
    }

    #[test]
    fn folder_names_round_trip() {
        for (name, v) in [("2020", VersionId { year: 2020, revision: 0 }), ("2020-r2", VersionId { year: 2020, revision: 2 })] {
            assert_eq!(VersionId::from_folder(name), Some(v));
            assert_eq!(v.folder(), name);
        }
        for other in ["20", "2020-r0", "2020-rx", ".2020.staging", "notes"] {
            assert_eq!(VersionId::from_folder(other), None, "{other}");
        }
    }
}
