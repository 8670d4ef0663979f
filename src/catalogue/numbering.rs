//! Table and figure numbers as in the printed report (表 3-8, 图 3-5), derived from the tree.
//!
//! Both the site and the chart stage need the same numbers, and the print's scheme is irregular
//! (first-level indices get three tables in chapter 3, the coefficient comes last, chapter 2 only
//! numbers indices that have children), so the whole scheme lives here and nowhere else.
//!
use std::collections::BTreeMap;

use super::{FigureKey, Scope};
use crate::model::{IndicatorKind, IndicatorTree, Region};

/// A table the print numbers. Nodes and regions are indices into the edition's tree and regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableKey {
    /// The indicator system (表 1-1).
    Indicators,
    /// Regions and their districts (表 1-2).
    Regions,
    /// City and region values of a node's children (chapter 2).
    Children(usize),
    /// The top three districts of every index (表 3-1).
    Top,
    /// A node's ranking: all districts, or one region's.
    Ranking(usize, Scope),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Numbering {
    tables: BTreeMap<TableKey, String>,
    figures: BTreeMap<FigureKey, String>,
}

/// Hands out "chapter-n" numbers in order.
struct Counter {
    chapter: u32,
    next: u32,
}

impl Counter {
    fn new(chapter: u32) -> Self {
        Counter { chapter, next: 1 }
    }
    fn take(&mut self) -> String {
        let s = format!("{}-{}", self.chapter, self.next);
        self.next += 1;
        s
    }
}

impl Numbering {
    pub fn new(tree: &IndicatorTree, regions: &[Region]) -> Self {
        let mut n = Numbering::default();
        if tree.nodes.is_empty() {
            return n;
        }
        let root = tree.root();
        let is_index = |i: &&usize| tree.nodes[**i].kind == IndicatorKind::Index;

        // Chapter 1: framework and method.
        n.figures.insert(FigureKey::Framework, "1-1".into());
        n.tables.insert(TableKey::Indicators, "1-1".into());
        n.tables.insert(TableKey::Regions, "1-2".into());

        // Chapter 2: the city as a whole. The history chart and the first-level chart open the
        // chapter; then each first-level index has its regional chart and a chart and table of
        // its children, followed by the same for each of its children that has children.
        let (mut tab, mut fig) = (Counter::new(2), Counter::new(2));
        n.figures.insert(FigureKey::History, fig.take());
        n.figures.insert(FigureKey::Children(0), fig.take());
        for &c in root.children.iter().filter(&is_index) {
            let first = &tree.nodes[c];
            n.figures.insert(FigureKey::Regions(c), fig.take());
            if first.is_leaf() {
                continue;
            }
            n.tables.insert(TableKey::Children(c), tab.take());
            n.figures.insert(FigureKey::Children(c), fig.take());
            for &g in first.children.iter().filter(&is_index) {
                let second = &tree.nodes[g];
                if !second.is_leaf() {
                    n.tables.insert(TableKey::Children(g), tab.take());
                    n.figures.insert(FigureKey::Children(g), fig.take());
                }
            }
        }

        // Chapter 3: districts. Top three, then the overall index by region; then every index in
        // pre-order (first-level: all districts and one table per region; others: all districts);
        // the coefficients close the chapter.
        let (mut tab, mut fig) = (Counter::new(3), Counter::new(3));
        n.tables.insert(TableKey::Top, tab.take());
        n.figures.insert(FigureKey::Map(0), fig.take());
        for r in 0..regions.len() {
            n.tables.insert(TableKey::Ranking(0, Scope::Region(r)), tab.take());
        }
        for (i, node) in tree.nodes.iter().enumerate().skip(1).filter(|(_, x)| x.kind == IndicatorKind::Index) {
            n.tables.insert(TableKey::Ranking(i, Scope::All), tab.take());
            if node.level == 1 {
                n.figures.insert(FigureKey::Map(i), fig.take());
                for r in 0..regions.len() {
                    n.tables.insert(TableKey::Ranking(i, Scope::Region(r)), tab.take());
                    n.figures.insert(FigureKey::Bars(i, Scope::Region(r)), fig.take());
                }
            } else if !node.is_leaf() {
                for r in 0..regions.len() {
                    n.figures.insert(FigureKey::Bars(i, Scope::Region(r)), fig.take());
                }
            }
        }
        for (i, _) in tree.nodes.iter().enumerate().filter(|(_, x)| x.kind == IndicatorKind::Coefficient) {
            n.tables.insert(TableKey::Ranking(i, Scope::All), tab.take());
        }
        n
    }

    pub fn table(&self, key: TableKey) -> Option<&str> {
        self.tables.get(&key).map(String::as_str)
    }

    pub fn figure(&self, key: FigureKey) -> Option<&str> {
        self.figures.get(&key).map(String::as_str)
    }

    /// All numbered figures, in key order.
    pub fn figures(&self) -> impl Iterator<Item = (FigureKey, &str)> {
        self.figures.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// All numbered tables, in key order.
    pub fn tables(&self) -> impl Iterator<Item = (TableKey, &str)> {
        self.tables.iter().map(|(k, v)| (*k, v.as_str()))
    }
}
