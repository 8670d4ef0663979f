//! Freezing editions (`publish`) and checking them (`verify`). Once published, an edition's pages, charts and downloads are kept byte for
//! byte in `archive/<year>/files/`, listed with their SHA-256 in `archive/<year>/manifest.sha256`
//! (the format of `sha256sum`, so anyone can check it with `sha256sum -c`). Builds copy the
//! frozen files instead of rendering the edition again, so later changes to templates, code,
//! other editions or shared data cannot change it. Replacing a frozen edition (`--force`) keeps the
//! old one as `archive/<year>-r<N>/`, served at `<year>-r<N>/` beside the new one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::build::{build_site, BuildError, BuildOptions};
use crate::load::frozen::{read_manifest, sha256_hex, unlisted_files, version_folders, MANIFEST};
use crate::output::SiteFiles;

#[derive(Debug)]
pub enum PublishError {
    Build(BuildError),
    AlreadyFrozen(u16),
    NoSuchEdition(u16),
    /// An archived edition (status = "archived") has no data: there is nothing to build and freeze.
    Archived(u16),
    Io(PathBuf, io::Error),
    Locked(crate::output::LockError),
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishError::Build(e) => write!(f, "{e}"),
            PublishError::AlreadyFrozen(y) => write!(
                f,
                "error: edition {y} is already published and frozen (archive/{y}/)\n  help: to replace it, run `cityreport publish {y} --force`; the current version stays reachable as {y}-r<N>"
            ),
            PublishError::NoSuchEdition(y) => {
                write!(f, "error: data/{y}/edition.toml does not exist\n  help: publish one of the project's editions")
            }
            PublishError::Archived(y) => write!(
                f,
                "error: edition {y} is archived (status = \"archived\" in data/{y}/edition.toml): it has no data to build, so there is nothing to publish\n  help: its pages are made from data/{y}/edition.toml and data/history.csv on every build; publish an edition with data instead"
            ),
            PublishError::Io(p, e) => write!(f, "error: {}: {e}", p.display()),
            PublishError::Locked(e) => write!(f, "{e}"),
        }
    }
}

/// Freezes edition `year`: marks it published in its edition.toml, builds it, and stores its
/// files with their manifest under `archive/<year>/`. Returns the number of files frozen.
pub fn publish(root: &Path, year: u16, force: bool) -> Result<usize, PublishError> {
    let edition_toml = root.join("data").join(year.to_string()).join("edition.toml");
    let original = fs::read_to_string(&edition_toml).map_err(|_| PublishError::NoSuchEdition(year))?;
    // Checked before anything is changed: marking it published made it read as an edition with
    // data, and the message was a confusing "missing field `title`".
    if crate::load::is_archived(root, year) {
        return Err(PublishError::Archived(year));
    }
    let archive = root.join("archive");
    let target = archive.join(year.to_string());
    if target.join(MANIFEST).exists() && !force {
        return Err(PublishError::AlreadyFrozen(year));
    }

    // Mark published first so the frozen pages are those of a published edition; undo on failure.
    let published = set_status_published(&original);
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| PublishError::Io(p, e)
    };
    if published != original {
        fs::write(&edition_toml, &published).map_err(io(&edition_toml))?;
    }
    // Build with the edition's own frozen copy ignored, so --force renders it afresh.
    let built = build_site_unfrozen(root, year);
    let site = match built {
        Ok(s) => s,
        Err(e) => {
            if published != original {
                let _ = fs::write(&edition_toml, &original);
            }
            return Err(PublishError::Build(e));
        }
    };
    let prefix = format!("{year}/");
    let files: BTreeMap<&str, &crate::output::FileBytes> =
        site.files.iter().filter_map(|(k, v)| k.strip_prefix(&prefix).map(|rel| (rel, v))).collect();

    // Write into a staging folder, then move the old version aside and the new one in.
    // One publish of an edition at a time; a staging folder left by an interrupted one is removed
    // only if it carries cityreport's marker, which comes off just before the folder is kept.
    let staging = archive.join(format!(".{year}.staging"));
    fs::create_dir_all(&archive).map_err(io(&archive))?;
    let lock = archive.join(format!(".{year}.lock"));
    let _lock = crate::output::OutputLock::acquire(&lock, crate::output::DEFAULT_LOCK_WAIT, |_| {}).map_err(PublishError::Locked)?;
    crate::output::fresh_staging(&staging).map_err(io(&staging))?;
    let mut manifest = String::new();
    for (rel, bytes) in &files {
        let path = staging.join("files").join(rel);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(io(&path))?;
        }
        fs::write(&path, bytes).map_err(io(&path))?;
        let _ = writeln!(manifest, "{}  {rel}", sha256_hex(bytes));
    }
    fs::write(staging.join(MANIFEST), manifest).map_err(io(&staging))?;
    crate::output::unmark(&staging).map_err(io(&staging))?;
    if target.exists() {
        // The first revision number not taken yet.
        let mut n = 1;
        while archive.join(format!("{year}-r{n}")).exists() {
            n += 1;
        }
        let superseded = archive.join(format!("{year}-r{n}"));
        fs::rename(&target, &superseded).map_err(io(&superseded))?;
    }
    fs::rename(&staging, &target).map_err(io(&target))?;
    Ok(files.len())
}

fn build_site_unfrozen(root: &Path, year: u16) -> Result<SiteFiles, BuildError> {
    let opts = BuildOptions { ignore_frozen: Some(year), ..BuildOptions::default() };
    build_site(root, &opts)
}

fn set_status_published(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("status") && t.contains('=') && !t.starts_with("status_") {
            out.push_str("status = \"published\"");
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

/// One difference between a frozen edition and its manifest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Problem {
    Changed(PathBuf),
    Missing(PathBuf),
    Extra(PathBuf),
    NoManifest(PathBuf),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Changed(p) => write!(f, "changed: {}", p.display()),
            Problem::Missing(p) => write!(f, "missing: {}", p.display()),
            Problem::Extra(p) => write!(f, "extra:   {}", p.display()),
            Problem::NoManifest(p) => write!(f, "unreadable manifest: {}", p.display()),
        }
    }
}

/// Checks every frozen edition's archived files against its manifest and, when `site` exists,
/// the built copy under `site/<version>/` too. Returns (editions checked, problems).
pub fn verify(root: &Path, site: Option<&Path>) -> (usize, Vec<Problem>) {
    let mut problems = Vec::new();
    let versions = version_folders(root);
    for (version, dir) in &versions {
        let manifest = match read_manifest(&dir.join(MANIFEST)) {
            Ok(m) => m,
            Err(_) => {
                problems.push(Problem::NoManifest(dir.join(MANIFEST)));
                continue;
            }
        };
        compare_tree(&dir.join("files"), &manifest, &mut problems);
        if let Some(site) = site
            && site.is_dir()
        {
            compare_tree(&site.join(version.folder()), &manifest, &mut problems);
        }
    }
    problems.sort();
    (versions.len(), problems)
}

fn compare_tree(dir: &Path, manifest: &BTreeMap<String, String>, problems: &mut Vec<Problem>) {
    for (rel, hash) in manifest {
        let path = dir.join(rel);
        match fs::read(&path) {
            Ok(bytes) if sha256_hex(&bytes) == *hash => {}
            Ok(_) => problems.push(Problem::Changed(path)),
            Err(_) => problems.push(Problem::Missing(path)),
        }
    }
    problems.extend(unlisted_files(dir, manifest).into_iter().map(Problem::Extra));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line_becomes_published_and_comments_stay() {
        let text = "# c\nyear = 2021\nstatus = \"draft\"  # x\nprecision = 2\n";
        assert_eq!(set_status_published(text), "# c\nyear = 2021\nstatus = \"published\"\nprecision = 2\n");
    }

}
