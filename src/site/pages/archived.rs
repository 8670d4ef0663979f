//! Editions from before the tool: a small home page per language, and their place in the
//! edition switcher, the archive and the history tables.

use super::*;

/// Site path of the home page of edition `year` in the view's language, when the site has one:
/// a computed edition of the build or an archived edition.
pub(crate) fn edition_home(v: &EditionView, year: u16) -> Option<String> {
    let exists = v.editions.iter().any(|e| e.year == year) || v.opts.archived_editions.iter().any(|a| a.year == year);
    exists.then(|| format!("{year}/{}/index.html", v.lang.code()))
}
