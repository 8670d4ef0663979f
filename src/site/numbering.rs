//! Table and figure numbers as in the printed report (表 3-8, 图 3-5), derived from the tree.
//!
//! Both the site and the chart stage need the same numbers, and the print's scheme is irregular
//! (first-level indices get three tables in chapter 3, the coefficient comes last, chapter 2 only
//! numbers indices that have children), so the whole scheme lives here and nowhere else.
//!
//! Figure keys (as the chart stage names them): `framework`, `history`, `city:<id>` (city values of
//! `<id>`'s children), `regions:<id>`, `map:<id>`, `bars:<id>:all`, `bars:<id>:<region id>`.
//!
//! Table keys: `indicators` (表 1-1), `regions` (表 1-2), `children:<id>` (chapter 2: city values
//! of `<id>`'s children), `top` (表 3-1), `ranking:<id>:all`, `ranking:<id>:<region id>`.

use std::collections::BTreeMap;

use crate::model::{IndicatorKind, IndicatorTree, Region};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Numbering {
    tables: BTreeMap<String, String>,
    figures: BTreeMap<String, String>,
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
        n.figures.insert("framework".into(), "1-1".into());
        n.tables.insert("indicators".into(), "1-1".into());
        n.tables.insert("regions".into(), "1-2".into());

        // Chapter 2: the city as a whole. The history chart and the first-level chart open the
        // chapter; then each first-level index has its regional chart and a chart and table of
        // its children, followed by the same for each of its children that has children.
        let (mut tab, mut fig) = (Counter::new(2), Counter::new(2));
        n.figures.insert("history".into(), fig.take());
        n.figures.insert(format!("city:{}", root.id), fig.take());
        for &c in root.children.iter().filter(&is_index) {
            let first = &tree.nodes[c];
            n.figures.insert(format!("regions:{}", first.id), fig.take());
            if first.is_leaf() {
                continue;
            }
            n.tables.insert(format!("children:{}", first.id), tab.take());
            n.figures.insert(format!("city:{}", first.id), fig.take());
            for &g in first.children.iter().filter(&is_index) {
                let second = &tree.nodes[g];
                if !second.is_leaf() {
                    n.tables.insert(format!("children:{}", second.id), tab.take());
                    n.figures.insert(format!("city:{}", second.id), fig.take());
                }
            }
        }

        // Chapter 3: districts. Top three, then the overall index by region; then every index in
        // pre-order (first-level: all districts and one table per region; others: all districts);
        // the coefficients close the chapter.
        let (mut tab, mut fig) = (Counter::new(3), Counter::new(3));
        n.tables.insert("top".into(), tab.take());
        n.figures.insert(format!("map:{}", root.id), fig.take());
        for r in regions {
            n.tables.insert(format!("ranking:{}:{}", root.id, r.id), tab.take());
        }
        for node in tree.nodes.iter().skip(1).filter(|x| x.kind == IndicatorKind::Index) {
            n.tables.insert(format!("ranking:{}:all", node.id), tab.take());
            if node.level == 1 {
                n.figures.insert(format!("map:{}", node.id), fig.take());
                for r in regions {
                    n.tables.insert(format!("ranking:{}:{}", node.id, r.id), tab.take());
                    n.figures.insert(format!("bars:{}:{}", node.id, r.id), fig.take());
                }
            } else if !node.is_leaf() {
                for r in regions {
                    n.figures.insert(format!("bars:{}:{}", node.id, r.id), fig.take());
                }
            }
        }
        for node in tree.nodes.iter().filter(|x| x.kind == IndicatorKind::Coefficient) {
            n.tables.insert(format!("ranking:{}:all", node.id), tab.take());
        }
        n
    }

    pub fn table(&self, key: &str) -> Option<&str> {
        self.tables.get(key).map(String::as_str)
    }

    pub fn figure(&self, key: &str) -> Option<&str> {
        self.figures.get(key).map(String::as_str)
    }

    /// All numbered figures, sorted by key.
    pub fn figures(&self) -> impl Iterator<Item = (&str, &str)> {
        self.figures.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// All numbered tables, sorted by key.
    pub fn tables(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tables.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}
