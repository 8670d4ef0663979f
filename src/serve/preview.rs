//! The preview's builder: the pipeline of [`crate::build`] behind the [`Rebuild`] trait, redoing
//! only what a change needs. It keeps the last good project, results and figures: a narrative
//! edit reloads that edition's text and re-renders the pages showing it (results and figures are
//! reused); any other edit reloads and recomputes, and only figures whose SVG changed are
//! rasterised again (the PNG cache is keyed by content).

use std::path::PathBuf;

use super::{BuildFailure, Rebuild};
use crate::build::{default_cache, render_figures, render_pages, render_pages_reusing, BuildError, BuildOptions};
use crate::compute::{compute_project_cached, ComputedEdition};
use crate::figures::{FigureCache, Figures};
use crate::load::load_project;
use crate::model::{Lang, Project};
use crate::output::{FileMemo, SiteFiles};
use crate::site::ContentRef;

pub struct PreviewBuilder {
    pub root: PathBuf,
    last: Option<PreviewState>,
    cache: FigureCache,
    /// Set when a full rebuild failed: the kept state is then older than the data on disk, so
    /// the narrative shortcut must not be taken until a full rebuild succeeds.
    stale: bool,
}

struct PreviewState {
    project: Project,
    editions: Vec<ComputedEdition>,
    figures: Figures,
    /// The last full site, which a narrative edit patches page by page.
    files: SiteFiles,
    /// What the search index and the web fonts read from each page, kept so that after a
    /// narrative edit only the pages that changed are read again.
    search_texts: FileMemo<crate::search::extract::PageText>,
    font_chars: FileMemo<std::sync::Arc<crate::site::webfonts::PageText>>,
    /// Each edition's downloads as the last full build made them (a narrative edit changes none).
    downloads: Option<Vec<Vec<crate::site::Download>>>,
}

impl PreviewBuilder {
    pub fn new(root: PathBuf) -> Self {
        // The watcher reports absolute, canonical paths; a root given as `.` or through a
        // symbolic link never matched them, so every narrative save took the full rebuild
        // (590–640 ms on the demo instead of ~100) under `cityreport serve` (issue 25).
        let root = root.canonicalize().unwrap_or(root);
        PreviewBuilder { cache: default_cache(&root), root, last: None, stale: false }
    }

    /// The folders the builder reads, for the preview server to watch.
    pub fn watched_folders(&self) -> Vec<PathBuf> {
        crate::load::INPUT_FOLDERS.iter().map(|d| self.root.join(d)).collect()
    }

    fn opts() -> BuildOptions {
        BuildOptions { drafts: true, preview: true, ..BuildOptions::default() }
    }

    /// The narrative files changed, when nothing but narrative changed (otherwise None).
    fn content_only(&self, changed: &[PathBuf]) -> Option<Vec<ContentRef>> {
        let content = self.root.join("content");
        let mut refs = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&content).ok()?;
            let mut parts = rel.components().map(|c| c.as_os_str().to_str());
            let year: u16 = parts.next()??.parse().ok()?;
            let lang = Lang::from_code(parts.next()??)?;
            let rest: Vec<&str> = parts.collect::<Option<_>>()?;
            let key = rest.join("/").strip_suffix(".md")?.to_string();
            refs.push(ContentRef { year, lang, key });
        }
        (!refs.is_empty()).then_some(refs)
    }

    fn rebuild_inner(&mut self, changed: &[PathBuf]) -> Result<SiteFiles, BuildError> {
        let opts = Self::opts();
        let shortcut = if self.stale { None } else { self.content_only(changed) };
        if let (Some(refs), Some(state)) = (shortcut, self.last.as_mut()) {
            let mut years: Vec<u16> = refs.iter().map(|r| r.year).collect();
            years.dedup();
            for year in years {
                let content = crate::load::load_content(&self.root, year)?;
                for e in state.project.editions.iter_mut().filter(|e| e.year == year) {
                    e.content = content.clone();
                }
                for ce in state.editions.iter_mut().filter(|ce| ce.edition.year == year) {
                    ce.edition.content = content.clone();
                }
            }
            let partial = BuildOptions { only: Some(refs), ..opts };
            let pages = render_pages_reusing(&state.project, &state.editions, &state.figures, &partial, &mut state.downloads)?;
            state.files.extend(pages);
            // The search index is made from every page: make it again from the patched site, so
            // the preview equals a full build.
            let mut sorted: Vec<&ComputedEdition> = state.editions.iter().collect();
            sorted.sort_by_key(|ce| std::cmp::Reverse(ce.edition.year));
            let searched: Vec<_> = sorted.iter().map(|ce| (&ce.edition, &ce.results)).collect();
            let mut years: Vec<u16> = sorted.iter().map(|ce| ce.edition.year).collect();
            years.extend(state.project.archived.iter().map(|a| a.year));
            let strings = crate::i18n::Strings::builtin().map_err(|e| BuildError::from_site(&self.root, e.into()))?;
            let mut texts = crate::search::PageTexts::default();
            texts.add_remembered(&state.files, &years, Some(&mut state.search_texts));
            let index = texts.index(&searched, &strings).map_err(|e| BuildError::from_site(&self.root, e.into()))?;
            state.files.extend(index);
            // So are the web fonts (cut to the characters the pages use): drop the old slices first.
            state.files.files.retain(|k, _| !(k.starts_with(crate::site::webfonts::FONTS_DIR) && (k.ends_with(".woff2") || k.ends_with(".css"))));
            crate::site::webfonts::add_webfonts_remembered(&mut state.files, Some(&mut state.font_chars), Some(&crate::build::fonts_dir(&self.root)))
                .map_err(|e| BuildError::from_site(&self.root, e.into()))?;
            return Ok(state.files.clone());
        }
        self.stale = true;
        let project = load_project(&self.root)?;
        let editions = compute_project_cached(&project, opts.drafts, &crate::build::DiskAnalyses::of(&self.root))?;
        let figures = render_figures(&editions, &project, &self.cache)?;
        let mut downloads = None;
        let files = render_pages_reusing(&project, &editions, &figures, &opts, &mut downloads)?;
        self.last = Some(PreviewState { project, editions, figures, files: files.clone(), search_texts: FileMemo::new(), font_chars: FileMemo::new(), downloads });
        self.stale = false;
        Ok(files)
    }
}

impl PreviewBuilder {
    fn failure(&self, e: BuildError) -> BuildFailure {
        let (file, line) = e.location();
        let file = file.map(|f| f.strip_prefix(&self.root).unwrap_or(f).display().to_string());
        BuildFailure { file, line, message: e.overlay_message(&self.root) }
    }
}

impl Rebuild for PreviewBuilder {
    fn rebuild(&mut self, changed: &[PathBuf]) -> Result<SiteFiles, BuildFailure> {
        self.rebuild_inner(changed).map_err(|e| self.failure(e))
    }

    /// The print edition `<year>/<lang>/report.pdf`, typeset from the last good build's data
    /// (with drafts, as the preview shows them) when a reader opens it.
    fn on_demand(&mut self, path: &str) -> Option<Result<Vec<u8>, BuildFailure>> {
        let mut parts = path.split('/');
        let year: u16 = parts.next()?.parse().ok()?;
        let lang = Lang::from_code(parts.next()?)?;
        let state = self.last.as_ref()?;
        state.editions.iter().find(|ce| ce.edition.year == year)?;
        let opts = BuildOptions { book_only: Some((year, lang)), ..Self::opts() };
        let made = render_pages(&state.project, &state.editions, &state.figures, &opts);
        Some(match made {
            Ok(files) => files.files.get(path).map(|b| b.to_vec()).ok_or_else(|| BuildFailure::new(format!("{path} was not made"))),
            Err(e) => Err(self.failure(e)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_narrative_save_takes_the_shortcut_however_the_root_was_given() {
        // The watcher reports canonical absolute paths; `cityreport serve --root .` or a root
        // through a symbolic link must still see a narrative save as one (issue 25).
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::create_dir_all(real.join("content/2020/en")).unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let saved = real.canonicalize().unwrap().join("content/2020/en/_index.md");
        let refs = PreviewBuilder::new(link).content_only(&[saved]).expect("a narrative save");
        assert_eq!((refs[0].year, refs[0].key.as_str()), (2020, "_index"));
    }
}
