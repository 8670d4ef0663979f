//! The entries of an edition's navigation and edition switcher that come from outside the fixed
//! chapters: the plan chapters, the reader's tools and the editions from before the tool. Kept apart
//! from the pages they lead to, so the shell that lists them and those pages do not import each other.

use super::blocks::Link;
use crate::catalogue::PageKey;
use crate::site::links;
use crate::site::view::EditionView;
use crate::site::SiteError;

/// Nav entries for the progress chapters of an edition (after the fixed chapters).
pub(crate) fn plan_chapters(v: &EditionView, current_rel: &str, page: &str) -> Result<Vec<Link>, SiteError> {
    v.ed.plans
        .iter()
        .filter(|id| v.opts.plans.iter().any(|p| &p.id == *id))
        .map(|id| {
            let rel = crate::catalogue::plan_chapter_rel(id);
            let label = if v.ed.plans.len() == 1 { v.t("plan_chapter")?.to_string() } else { format!("{} · {id}", v.t("plan_chapter")?) };
            Ok(Link { current: rel == current_rel, ..Link::new(label, links::relative(page, &v.path(&rel))) })
        })
        .collect()
}

/// The tools in the edition's navigation (issue 24): after the chapters, on every page.
pub(crate) fn tools(v: &EditionView, current_nav: &str, page: &str) -> Result<Vec<Link>, SiteError> {
    [(PageKey::Weights, "weights", "nav_weights"), (PageKey::Compare, "compare", "nav_compare")]
        .into_iter()
        .map(|(key, nav, label)| {
            Ok(Link { current: nav == current_nav, ..Link::new(v.t(label)?, links::relative(page, &v.path(&key.rel(v.ed)))) })
        })
        .collect()
}

/// Site path of the home page of edition `year` in the view's language, when the site has one:
/// a computed edition of the build or an archived edition.
pub(crate) fn edition_home(v: &EditionView, year: u16) -> Option<String> {
    let exists = v.editions.iter().any(|e| e.year == year) || v.opts.archived_editions.iter().any(|a| a.year == year);
    exists.then(|| format!("{year}/{}/index.html", v.lang.code()))
}

/// The edition switcher of a computed edition's page with the archived editions added, newest
/// first. Only editions up to the page's own are known to a frozen page, so later archived
/// years are left out just as later computed ones are.
pub(crate) fn with_archived(v: &EditionView, mut editions: Vec<(u16, Link)>, page: &str) -> Vec<Link> {
    for a in v.opts.archived_editions.iter().filter(|a| a.year < v.ed.year) {
        if !editions.iter().any(|(y, _)| *y == a.year) {
            let href = links::relative(page, &format!("{}/{}/index.html", a.year, v.lang.code()));
            editions.push((a.year, Link::new(a.year.to_string(), href)));
        }
    }
    editions.sort_by_key(|(y, _)| std::cmp::Reverse(*y));
    editions.into_iter().map(|(_, l)| l).collect()
}
