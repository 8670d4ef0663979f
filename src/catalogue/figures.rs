//! Every figure an edition can have, and the names derived from one (file names, element ids).

use crate::model::{Edition, IndicatorKind, Lang};

/// One figure of an edition. Nodes and regions are indices into the edition's tree and region
/// list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FigureKey {
    /// The indicator system as a tree (图 1-1).
    Framework,
    /// The root index of the city across editions (图 2-1).
    History,
    /// City values of a node's index children.
    Children(usize),
    /// City and region values of a first-level index.
    Regions(usize),
    /// A node's values on the district map.
    Map(usize),
    /// A node's district values as ranked bars: all districts, or one region's.
    Bars(usize, Scope),
}

/// Which districts a ranked chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    All,
    Region(usize),
}

impl FigureKey {
    /// The figure's stable name, from which its file name and element ids derive:
    /// "framework", "history", "city:<id>", "regions:<id>", "map:<id>", "bars:<id>:all",
    /// "bars:<id>:<region id>".
    pub fn name(&self, ed: &Edition) -> String {
        let id = |i: usize| ed.tree.nodes[i].id.as_str();
        match *self {
            FigureKey::Framework => "framework".into(),
            FigureKey::History => "history".into(),
            FigureKey::Children(i) => format!("city:{}", id(i)),
            FigureKey::Regions(i) => format!("regions:{}", id(i)),
            FigureKey::Map(i) => format!("map:{}", id(i)),
            FigureKey::Bars(i, Scope::All) => format!("bars:{}:all", id(i)),
            FigureKey::Bars(i, Scope::Region(r)) => format!("bars:{}:{}", id(i), ed.districts.regions[r].id),
        }
    }

    /// Site path of the figure's PNG: "2020/figures/zh/map-overall.png".
    pub fn png_path(&self, ed: &Edition, lang: Lang) -> String {
        format!("{}/figures/{}/{}.png", ed.year, lang.code(), self.name(ed).replace(':', "-"))
    }

    /// Id of the `<svg>` element, which prefixes every id inside it: unique on a page.
    pub fn svg_id(&self, ed: &Edition, lang: Lang) -> String {
        format!("fig-{}-{}", lang.code(), self.name(ed).replace([':', '_'], "-"))
    }

    /// Anchor of an unnumbered figure on its page ("figure-<this>").
    pub fn anchor(&self, ed: &Edition) -> String {
        self.name(ed).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
    }
}

/// Every figure of the edition, in drawing order: the framework, the history chart (when the
/// city has more than one point), then for each node its children's city values (nodes with
/// index children), city and regions (first-level indices), the map (when the edition has one),
/// all districts ranked, and each region's districts ranked (nodes with children and the first
/// level, as in print; not the root, whose regional rankings are tables only, so a chart of them
/// would be a file no page shows).
pub fn edition_figures(ed: &Edition, has_history: bool) -> Vec<FigureKey> {
    let tree = &ed.tree;
    let mut keys = vec![FigureKey::Framework];
    if has_history {
        keys.push(FigureKey::History);
    }
    for (i, node) in tree.nodes.iter().enumerate() {
        if node.children.iter().any(|&c| tree.nodes[c].kind == IndicatorKind::Index) {
            keys.push(FigureKey::Children(i));
        }
        if node.level == 1 && node.kind == IndicatorKind::Index {
            keys.push(FigureKey::Regions(i));
        }
        if ed.map.is_some() {
            keys.push(FigureKey::Map(i));
        }
        keys.push(FigureKey::Bars(i, Scope::All));
        if node.parent.is_some() && (!node.is_leaf() || node.level <= 1) {
            keys.extend((0..ed.districts.regions.len()).map(|r| FigureKey::Bars(i, Scope::Region(r))));
        }
    }
    keys
}
