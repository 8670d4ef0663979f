//! The pipeline: load → compute → render → (caller) write. Used by `build`, `check` and `serve`.

use std::fmt;
use std::path::Path;

use crate::compute::{compute_edition, ComputeError};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::downloads;
use crate::load::{load_project, Project};
use crate::model::{Edition, IndexResults, Status};
use crate::output::SiteFiles;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include draft editions and pages.
    pub drafts: bool,
    /// A preview build for `serve`: adds the live-reload script and draft banners.
    pub preview: bool,
}

/// Why a build failed. Every variant names the file (and line where there is one).
#[derive(Debug)]
pub enum BuildError {
    Input(Diagnostics),
    Compute { year: u16, error: ComputeError },
    Render(Diagnostic),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Input(d) => write!(f, "{d}"),
            BuildError::Compute { year, error } => write!(f, "error: data/{year}/: {error}"),
            BuildError::Render(d) => write!(f, "{d}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Diagnostics> for BuildError {
    fn from(d: Diagnostics) -> Self {
        BuildError::Input(d)
    }
}

/// A loaded edition with its computed figures.
#[derive(Debug, Clone)]
pub struct ComputedEdition {
    pub edition: Edition,
    pub results: IndexResults,
}

/// Loads and computes every edition the build includes (drafts only with `drafts`).
pub fn compute_project(project: &Project, opts: &BuildOptions) -> Result<Vec<ComputedEdition>, BuildError> {
    project
        .editions
        .iter()
        .filter(|e| opts.drafts || e.status == Status::Published)
        .map(|e| {
            compute_edition(e)
                .map(|results| ComputedEdition { edition: e.clone(), results })
                .map_err(|error| BuildError::Compute { year: e.year, error })
        })
        .collect()
}

/// Everything `check` verifies: the project loads and every edition computes.
pub fn check_project(root: &Path) -> Result<Vec<ComputedEdition>, BuildError> {
    let project = load_project(root)?;
    compute_project(&project, &BuildOptions { drafts: true, preview: false })
}

/// Builds the whole site into memory. Nothing is written to disk.
pub fn build_site(root: &Path, opts: &BuildOptions) -> Result<SiteFiles, BuildError> {
    let project = load_project(root)?;
    let editions = compute_project(&project, opts)?;
    let mut files = SiteFiles::new();
    for ce in &editions {
        let year = ce.edition.year;
        files.insert(format!("{year}/data/indices.csv"), downloads::indices_csv(&ce.edition, &ce.results));
        files.insert(format!("{year}/data/indices.json"), downloads::indices_json(&ce.edition, &ce.results));
        let values = root.join("data").join(year.to_string()).join("values.csv");
        let bytes = std::fs::read(&values).map_err(|e| BuildError::Render(Diagnostic::new(&values, e.to_string())))?;
        files.insert(format!("{year}/data/values.csv"), bytes);
    }
    Ok(files)
}
