//! Render stage: full-text search over the whole site, in Chinese and English, across editions.
//!
//! [`search_index`] (or [`PageTexts`], batch by batch while a build streams its pages to disk)
//! reads the pages the site stage rendered (never the project's files) and
//! writes one script per language, `search/index-zh.js` and `search/index-en.js`, covering every
//! edition in the build. `assets/search.js` loads the file of the page's language the first time
//! the search box is used, by adding a `<script>` element: that works opened from `file://`,
//! where `fetch` of a JSON file is refused, and at any domain root or sub-path.
//!
//! Why our own small index and script rather than a library: see docs/search.md. In short,
//! Pagefind cannot run from `file://`; lunr.js and elasticlunr have no working Chinese in the
//! browser; MiniSearch and FlexSearch would work from disk but build their indexes in
//! JavaScript (at build time that needs Node, at load time it costs every reader), and their
//! Chinese support is a tokeniser we would have to write anyway.
//!
//! - [`tokenize`]: the shared tokeniser (bigrams for Chinese, light stemming for English);
//! - [`extract`]: the searchable text of a rendered page;
//! - [`entities`]: names, former names and current values of districts and indicators;
//! - [`index`]: the inverted index and its script file.

pub(crate) mod entities;
pub(crate) mod extract;
pub(crate) mod index;
pub(crate) mod tokenize;

use std::cmp::Reverse;
use std::collections::BTreeMap;


use crate::model::{Edition, IndexResults, Lang};
use crate::output::{read_each, FileBytes, FileMemo, SiteFiles};
use crate::i18n::TranslationError;
use crate::i18n::Strings;

/// The folder of the plans pages, which belong to no edition: indexed with year 0.
const PLANS_DIR: &str = "plans";

/// Site path of the index of `lang`.
pub fn index_path(lang: Lang) -> String {
    format!("search/index-{}.js", lang.code())
}

/// The search index files for the rendered `pages` of `editions`.
///
/// Pages are those under `<year>/<lang>/` of an edition in `editions`, newest edition first,
/// then in path order; anything else in `pages` (root pages, figures, downloads) is ignored.
pub fn search_index(
    pages: &SiteFiles,
    editions: &[(&Edition, &IndexResults)],
    strings: &Strings,
) -> Result<SiteFiles, TranslationError> {
    let years: Vec<u16> = editions.iter().map(|(e, _)| e.year).collect();
    let mut texts = PageTexts::default();
    texts.add(pages, &years);
    texts.index(editions, strings)
}

/// The searchable text of rendered pages, gathered batch by batch as the site is rendered, so a
/// build that streams its pages to disk keeps only this text, not the pages (issue 14).
#[derive(Debug, Default)]
pub struct PageTexts {
    /// Keyed in the index's order: language, newest edition first, then path.
    pages: BTreeMap<PageKey, extract::PageText>,
}

/// A page's place in the index: position of its language in `Lang::ALL`, its edition (newest
/// first), its path.
type PageKey = (usize, Reverse<u16>, String);

impl PageTexts {
    /// Reads the pages of `files` that lie under `<year>/<lang>/` for one of `years` (computed
    /// and archived editions alike), and the plans pages under `plans/<lang>/`.
    pub fn add(&mut self, files: &SiteFiles, years: &[u16]) {
        self.add_remembered(files, years, None);
    }

    /// [`add`](Self::add), reusing the texts `memo` holds for pages unchanged since the last
    /// preview build.
    pub fn add_remembered(&mut self, files: &SiteFiles, years: &[u16], memo: Option<&mut FileMemo<extract::PageText>>) {
        let wanted: Vec<(PageKey, (&String, &FileBytes))> = files
            .files
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .filter_map(|(path, bytes)| {
                let (year, rest) = path.split_once('/')?;
                // The plans pages (`plans/<lang>/…`) belong to no edition: year 0 (issue 24).
                let year: u16 = if year == PLANS_DIR { 0 } else { year.parse().ok().filter(|y| years.contains(y))? };
                let (lang, _) = rest.split_once('/')?;
                let lang = Lang::ALL.iter().position(|l| l.code() == lang)?;
                Some(((lang, Reverse(year), path.clone()), (path, bytes)))
            })
            .collect();
        let pages: Vec<(&String, &FileBytes)> = wanted.iter().map(|(_, page)| *page).collect();
        // Reading the HTML is most of the work, and pages are independent.
        let texts = read_each(&pages, memo, |bytes| extract::page_text(&String::from_utf8_lossy(bytes)));
        self.pages.extend(wanted.into_iter().map(|(key, _)| key).zip(texts));
    }

    /// The index script of each language over the pages added, with the names and values of
    /// `editions`.
    pub fn index(self, editions: &[(&Edition, &IndexResults)], strings: &Strings) -> Result<SiteFiles, TranslationError> {
        let mut out = SiteFiles::new();
        let mut by_lang: Vec<Vec<(u16, String, extract::PageText)>> = Lang::ALL.iter().map(|_| Vec::new()).collect();
        for ((lang, Reverse(year), path), text) in self.pages {
            by_lang[lang].push((year, path, text));
        }
        for (lang, pages) in Lang::ALL.into_iter().zip(by_lang) {
            let named = entities::entities(editions, strings, lang)?;
            let (places, texts): (Vec<(u16, String)>, Vec<extract::PageText>) =
                pages.into_iter().map(|(year, path, text)| ((year, path), text)).unzip();
            let inputs = places
                .iter()
                .zip(texts)
                .map(|((year, path), text)| index::PageInput { path, year: *year, text, entity: named.get(path.as_str()) })
                .collect();
            out.insert(index_path(lang), index::index_script(lang.code(), inputs));
        }
        Ok(out)
    }
}
