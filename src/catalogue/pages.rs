//! Where each page of an edition lives: one address scheme for links, the edition switcher, the
//! sitemap and the preview.

use crate::model::{Edition, Indicator, IndicatorKind, IndicatorTree};

/// A page of one edition in one language; its address is below `<year>/<lang>/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKey {
    Home,
    Method,
    Overall,
    /// The regional chapter, which is also the root indicator's section.
    Regional,
    Districts,
    Data,
    /// The section page of a node below the root (see [`section_nodes`]).
    Indicator(usize),
    District(usize),
    /// The reader's own weights: the overall ranking re-computed in the page (issue 16).
    Weights,
    /// Two or three districts side by side (issue 16).
    Compare,
}

/// A chapter of the report as the main navigation lists it.
#[derive(Debug, Clone, Copy)]
pub struct Chapter {
    pub page: PageKey,
    /// Key of the navigation entry (which one is current).
    pub nav: &'static str,
    /// UI string of its label.
    pub label: &'static str,
}

/// The chapters in navigation order; every edition has them, whatever its data.
pub const CHAPTERS: [Chapter; 6] = [
    Chapter { page: PageKey::Home, nav: "home", label: "nav_home" },
    Chapter { page: PageKey::Method, nav: "method", label: "nav_method" },
    Chapter { page: PageKey::Overall, nav: "overall", label: "nav_overall" },
    Chapter { page: PageKey::Regional, nav: "regional", label: "nav_regional" },
    Chapter { page: PageKey::Districts, nav: "districts", label: "nav_districts" },
    Chapter { page: PageKey::Data, nav: "data", label: "nav_data" },
];

impl PageKey {
    /// Path below `<year>/<lang>/`.
    pub fn rel(&self, ed: &Edition) -> String {
        match *self {
            PageKey::Home => "index.html".into(),
            PageKey::Method => "method.html".into(),
            PageKey::Overall => "overall.html".into(),
            PageKey::Regional => "regional/index.html".into(),
            PageKey::Districts => "districts/index.html".into(),
            PageKey::Data => "data.html".into(),
            PageKey::Indicator(i) => indicator_rel(&ed.tree, i),
            PageKey::District(d) => format!("districts/{}.html", ed.districts.districts[d].id),
            PageKey::Weights => "weights.html".into(),
            PageKey::Compare => "compare.html".into(),
        }
    }

    /// The page at `rel` in edition `ed`, if it has one there.
    pub fn from_rel(rel: &str, ed: &Edition) -> Option<PageKey> {
        if let Some(c) = CHAPTERS.iter().find(|c| c.page.rel(ed) == rel) {
            return Some(c.page);
        }
        if let Some(tool) = [PageKey::Weights, PageKey::Compare].into_iter().find(|p| p.rel(ed) == rel) {
            return Some(tool);
        }
        let id_in = |prefix: &str| rel.strip_prefix(prefix).and_then(|r| r.strip_suffix(".html"));
        if let Some(id) = id_in("regional/") {
            return ed.tree.index_of(id).filter(|&i| i > 0).map(PageKey::Indicator);
        }
        id_in("districts/").and_then(|id| ed.districts.index_of(id)).map(PageKey::District)
    }
}

/// Every page of edition `ed` in page order: the chapters, every indicator's section, every
/// district's profile, the reader's tools.
pub fn edition_pages(ed: &Edition) -> Vec<PageKey> {
    let mut pages: Vec<PageKey> = CHAPTERS.iter().map(|c| c.page).collect();
    pages.extend(section_nodes(&ed.tree).into_iter().map(PageKey::Indicator));
    pages.extend((0..ed.districts.districts.len()).map(PageKey::District));
    pages.extend([PageKey::Weights, PageKey::Compare]);
    pages
}

/// Path of the chapter on plan `plan_id` below `<year>/<lang>/` (an edition's that names the plan,
/// or an archived edition's).
pub fn plan_chapter_rel(plan_id: &str) -> String {
    format!("plans/{plan_id}.html")
}

/// Site path of the site's page of plan `plan_id` in language `lang_code`.
pub fn plan_page(plan_id: &str, lang_code: &str) -> String {
    format!("plans/{lang_code}/{plan_id}.html")
}

/// Site path of the list of the site's plans in language `lang_code`.
pub fn plans_index(lang_code: &str) -> String {
    format!("plans/{lang_code}/index.html")
}

/// Path of node `i`'s page in any edition's tree (the previous edition's too).
pub fn indicator_rel(tree: &IndicatorTree, i: usize) -> String {
    node_rel(&tree.nodes[i])
}

/// Path of a node's page: its section, or the regional chapter for a root.
pub fn node_rel(node: &Indicator) -> String {
    if node.parent.is_none() { "regional/index.html".into() } else { format!("regional/{}.html", node.id) }
}

/// Nodes with a page of their own in the regional chapter: every index below the root, then the
/// coefficients (as in the print).
pub fn section_nodes(tree: &IndicatorTree) -> Vec<usize> {
    let nodes = &tree.nodes;
    let index = (1..nodes.len()).filter(|&i| nodes[i].kind == IndicatorKind::Index);
    let coef = (1..nodes.len()).filter(|&i| nodes[i].kind == IndicatorKind::Coefficient);
    index.chain(coef).collect()
}
