//! One page of every kind the demo site has, in both languages: what the browser checks
//! (axe-core, phone layout, console) visit. Paths are relative to the site's root.

/// Pages of an edition, relative to `2020/<lang>/`: the home page, each chapter's first page,
/// a dimension ("region" of the index) page, an indicator page, the district list and a
/// profile, the data page and the reader's tools.
const EDITION_PAGES: &[&str] = &[
    "index.html",
    "overall.html",
    "regional/index.html",
    "regional/infra.html",
    "regional/5g.html",
    "districts/index.html",
    "districts/pudong.html",
    "method.html",
    "data.html",
    "weights.html",
    "compare.html",
];

/// Pages outside the current edition, per language: an archived edition's page, the plans
/// index and a plan, and the plan as an archived edition shows it.
const OTHER_PAGES: &[&str] = &["2019/{lang}/index.html", "plans/{lang}/index.html", "plans/{lang}/smart-city-2014-2016.html", "2017/{lang}/plans/smart-city-2014-2016.html"];

/// Every page kind's site path: the root page and the 404 page (both bilingual) and the pages
/// above in zh and en.
pub fn page_kinds() -> Vec<String> {
    let mut pages = vec!["index.html".to_owned(), "404.html".to_owned()];
    for lang in ["zh", "en"] {
        pages.extend(EDITION_PAGES.iter().map(|p| format!("2020/{lang}/{p}")));
        pages.extend(OTHER_PAGES.iter().map(|p| p.replace("{lang}", lang)));
    }
    pages
}
