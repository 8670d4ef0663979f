//! Render stage: full-text search over the whole site, in Chinese and English, across editions.
//!
//! [`search_index`] reads the pages the site stage rendered (never the project's files) and
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

pub mod entities;
pub mod extract;
pub mod index;
pub mod tokenize;

use rayon::prelude::*;

use crate::model::{Edition, IndexResults, Lang};
use crate::output::SiteFiles;
use crate::i18n::TranslationError;
use crate::i18n::Strings;

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
    let mut years: Vec<u16> = editions.iter().map(|(e, _)| e.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    let mut out = SiteFiles::new();
    for lang in Lang::ALL {
        let named = entities::entities(editions, strings, lang)?;
        let mut paths: Vec<(u16, &str)> = Vec::new();
        for &year in &years {
            let prefix = format!("{year}/{}/", lang.code());
            let under = pages.files.range(prefix.clone()..).map(|(k, _)| k.as_str()).take_while(|k| k.starts_with(&prefix));
            paths.extend(under.filter(|k| k.ends_with(".html")).map(|k| (year, k)));
        }
        // Reading the HTML is most of the work, and pages are independent.
        let texts: Vec<extract::PageText> = paths
            .par_iter()
            .map(|(_, path)| extract::page_text(&String::from_utf8_lossy(pages.get(path).unwrap_or_default())))
            .collect();
        let inputs = paths
            .iter()
            .zip(texts)
            .map(|((year, path), text)| index::PageInput { path, year: *year, text, entity: named.get(*path) })
            .collect();
        out.insert(index_path(lang), index::index_script(lang.code(), inputs));
    }
    Ok(out)
}
