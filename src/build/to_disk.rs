//! `build` straight to an output folder: the same pipeline as [`super::build_site`], but PNGs,
//! downloads and pages go into the staging folder the moment they are made instead of being held
//! with the rest of the site, so memory stays bounded by one edition's pages, not by every file's
//! bytes.

use std::fmt;
use std::path::Path;

use super::{in_version, render_pages_to, BuildError, BuildOptions, PageFigures};
use crate::compute::compute_project_cached;
use crate::figures::FigureCache;
use crate::load::load_project;
use crate::output::{OutputError, OutputTarget, Written};

/// Why a build to disk failed: in the inputs or rendering (nothing was written), or at the
/// output. Either way the output folder is as it was.
#[derive(Debug)]
pub enum BuildToError {
    Build(BuildError),
    Output(OutputError),
}

impl fmt::Display for BuildToError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildToError::Build(e) => write!(f, "{e}"),
            BuildToError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildToError {}

/// What [`build_to`] did: the swap's report and the number of files written.
#[derive(Debug)]
pub struct BuiltTo {
    pub written: Written,
    pub files: usize,
    /// Nothing was done: the site is the one the last build made from the same inputs, options
    /// and tool, untouched since (see `cache::LastBuild`).
    pub unchanged: bool,
}

/// Builds the project at `root` into `target`. Inputs are read and computed first, so bad input
/// fails before the output is even locked; then the output's lock is taken (waiting while
/// another build holds it; `on_wait` is told who) and every file goes into a staging folder as
/// it is finished, swapped in at the end. Any error drops the staging folder: the previous site
/// stays whole.
pub fn build_to(root: &Path, opts: &BuildOptions, target: &OutputTarget, on_wait: impl FnMut(&str)) -> Result<BuiltTo, BuildToError> {
    // Taken before anything is read: an input saved while this build runs makes the next
    // build's stamp differ from the one remembered, so that build runs in full.
    let last = super::cache::LastBuild::of(root, opts, target.path());
    if let Some(files) = last.as_ref().and_then(|l| l.still_current(target.path())) {
        let written = Written { stale_removed: Vec::new(), old_left: None, atomic: false };
        return Ok(BuiltTo { written, files, unchanged: true });
    }
    crate::progress::stage("reading", 0);
    let project = load_project(root).map_err(|e| BuildToError::Build(e.into()))?;
    crate::progress::stage("computing", 0);
    let editions = compute_project_cached(&project, opts.drafts, &super::DiskAnalyses::of(root)).map_err(|e| BuildToError::Build(e.into()))?;

    let staging = target.begin(on_wait).map_err(BuildToError::Output)?;
    // Frozen editions replace whatever is rendered for them (render_pages), so their rendered
    // PNGs are never written.
    let frozen: Vec<_> = project
        .frozen
        .iter()
        .map(|f| f.version)
        .filter(|v| !(v.revision == 0 && Some(v.year) == opts.ignore_frozen))
        .collect();
    let sink = |path: &str, bytes: &[u8]| -> Result<(), OutputError> {
        if frozen.iter().any(|v| in_version(path, *v)) {
            return Ok(());
        }
        staging.put(path, bytes).map_err(|error| OutputError::Io { path: staging.dir().join(path), error })
    };
    let cache = FigureCache::once(crate::chart::PngCache::disk_only(Some(super::cache_dir(root).join("png"))))
        .with_svg_dir(Some(super::cache_dir(root).join("svg")));
    // Figures are drawn edition by edition as their pages are rendered, and downloads and pages
    // go to the sink as they are made; what is left (root pages, search, fonts…) comes back.
    let figures = PageFigures::OnDemand { cache: &cache, png_sink: &sink };
    let files = render_pages_to(&project, &editions, figures, opts, Some(&sink), &mut None).map_err(BuildToError::Build)?;
    drop(cache);
    let io_err = |error| BuildToError::Output(OutputError::Io { path: target.path().to_path_buf(), error });
    staging.put_all(&files).map_err(io_err)?;
    let count = staging.written();
    let written = staging.finish().map_err(BuildToError::Output)?;
    if let Some(last) = last {
        last.remember(target.path(), count);
    }
    Ok(BuiltTo { written, files: count, unchanged: false })
}
