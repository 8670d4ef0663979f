//! The indicator framework as a left-to-right tree: one column per level, each parent centred
//! on its children, elbow connectors, the weight shown in every box.

mod outline;

use std::fmt::Write as _;

use crate::model::Lang;

use crate::chart::font::{text_width, wrap};
use crate::chart::words::fill;
use crate::chart::svg::{self, fmt_coord};

/// One indicator of the framework.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeNode {
    pub label: String,
    /// Column: 0 for the overall index, 1 for first-level indices, …
    pub level: usize,
    /// Index of the parent in [`TreeDiagram::nodes`]; it must come before the node.
    pub parent: Option<usize>,
    /// Weight as it should read ("0.2", "9/40", "× 系数"); empty for none.
    pub weight_label: String,
    /// A coefficient multiplying its parent rather than a weighted component: drawn dashed.
    pub coefficient: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TreeDiagram {
    pub id: String,
    pub title: String,
    pub description: String,
    pub lang: Lang,
    /// The words it writes around its data, in `lang`.
    pub words: crate::chart::ChartWords,
    /// Nodes in pre-order (parents before children, siblings in reading order).
    pub nodes: Vec<TreeNode>,
    /// Column headings by level ("总指数", "一级指标", …); empty for none.
    pub level_names: Vec<String>,
    /// Drawn as the phone's indented outline (`outline.rs`) rather than in columns.
    pub narrow: bool,
}

pub(super) const MARGIN: f64 = 16.0;
const ROW: f64 = 28.0;
const BOX_H: f64 = 22.0;
const GAP: f64 = 40.0;
pub(super) const PAD: f64 = 8.0;
pub(super) const CONNECTOR: &str = "#9aa5b1";

pub(super) struct Style {
    pub size: f64,
    pub bold: bool,
    pub fill: &'static str,
    pub stroke: &'static str,
    pub ink: &'static str,
    pub weight_ink: &'static str,
}

/// The weight beside a node's name: a little smaller than the name, never below 11 px as drawn
/// (the framework is shown at its drawn size on a large screen).
fn weight_size(name_size: f64) -> f64 {
    (name_size - 1.5).max(11.0)
}

pub(super) fn style(level: usize, coefficient: bool) -> Style {
    if coefficient {
        return Style {
            size: 13.0,
            bold: true,
            fill: "#fdebd3",
            stroke: "#a04a05",
            ink: svg::INK,
            weight_ink: "#7a3803",
        };
    }
    match level {
        0 => Style {
            size: 14.0,
            bold: true,
            fill: "#08306b",
            stroke: "#08306b",
            ink: "#ffffff",
            weight_ink: "#c6dbef",
        },
        1 => Style {
            size: 13.0,
            bold: true,
            fill: "#2166ac",
            stroke: "#2166ac",
            ink: "#ffffff",
            weight_ink: "#deebf7",
        },
        2 => Style {
            size: 12.5,
            bold: false,
            fill: "#d6e6f4",
            stroke: "#6baed6",
            ink: svg::INK,
            weight_ink: "#3e4c59",
        },
        _ => Style {
            size: 12.0,
            bold: false,
            fill: "#ffffff",
            stroke: "#9aa5b1",
            ink: svg::INK,
            weight_ink: svg::MUTED,
        },
    }
}

/// Where every part of the diagram goes.
struct Layout {
    /// Children of each node, in reading order.
    children: Vec<Vec<usize>>,
    /// Left edge and width of each level's column.
    col_x: Vec<f64>,
    col_w: Vec<f64>,
    /// Vertical centre of each node's box.
    y: Vec<f64>,
    width: f64,
    height: f64,
    /// Top of the first row.
    top: f64,
    title_lines: Vec<String>,
}

/// Columns by level, as wide as their widest box; rows: every node without children takes the
/// next row, and a parent sits midway between its first and last child.
fn layout(tree: &TreeDiagram) -> Layout {
    let n = tree.nodes.len();
    let parent = |i: usize| parent_of(tree, i);
    let children = children_of(tree);
    let levels = level_count(tree);

    // Column widths from the widest box in each column.
    let box_w = |t: &TreeNode| {
        let s = style(t.level, t.coefficient);
        let weight = if t.weight_label.is_empty() {
            0.0
        } else {
            text_width(&t.weight_label, weight_size(s.size), false) + 12.0
        };
        text_width(&t.label, s.size, s.bold) + weight + 2.0 * PAD
    };
    let mut col_w = vec![0.0f64; levels];
    for t in &tree.nodes {
        col_w[t.level] = col_w[t.level].max(box_w(t));
    }
    let mut col_x = vec![MARGIN; levels];
    for l in 1..levels {
        col_x[l] = col_x[l - 1] + col_w[l - 1] + GAP;
    }
    let width =
        (col_x.last().copied().unwrap_or(MARGIN) + col_w.last().copied().unwrap_or(0.0) + MARGIN)
            .max(360.0)
            .round();

    let title_lines = wrap(&tree.title, 16.0, true, width - 2.0 * MARGIN);
    let headings = !tree.level_names.is_empty();
    let top = MARGIN + title_lines.len() as f64 * 22.0 + 12.0 + if headings { 24.0 } else { 0.0 };
    let mut y = vec![0.0f64; n];
    let mut next_row = 0usize;
    let roots: Vec<usize> = (0..n).filter(|&i| parent(i).is_none()).collect();
    fn place(i: usize, children: &[Vec<usize>], y: &mut [f64], next_row: &mut usize, top: f64) {
        if children[i].is_empty() {
            y[i] = top + *next_row as f64 * ROW + ROW / 2.0;
            *next_row += 1;
            return;
        }
        for &c in &children[i] {
            place(c, children, y, next_row, top);
        }
        let (first, last) = (children[i][0], children[i][children[i].len() - 1]);
        y[i] = (y[first] + y[last]) / 2.0;
    }
    for &r in &roots {
        place(r, &children, &mut y, &mut next_row, top);
    }
    let height = (top + next_row as f64 * ROW + MARGIN).round();
    Layout {
        children,
        col_x,
        col_w,
        y,
        width,
        height,
        top,
        title_lines,
    }
}

/// Node `i`'s parent. Only parents that come earlier are honoured, which also rules out cycles.
fn parent_of(tree: &TreeDiagram, i: usize) -> Option<usize> {
    tree.nodes[i].parent.filter(|&q| q < i)
}

/// The children of every node, in reading order.
pub(super) fn children_of(tree: &TreeDiagram) -> Vec<Vec<usize>> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); tree.nodes.len()];
    for i in 0..tree.nodes.len() {
        if let Some(q) = parent_of(tree, i) {
            children[q].push(i);
        }
    }
    children
}

fn level_count(tree: &TreeDiagram) -> usize {
    tree.nodes
        .iter()
        .map(|t| t.level)
        .max()
        .map_or(0, |m| m + 1)
}

/// Renders the framework as a standalone, accessible SVG document. Its size grows with the
/// tree (the 2020 framework is about 1 000 × 1 200 px).
impl crate::chart::Chart for TreeDiagram {
    fn to_svg(&self) -> String {
        if self.narrow { outline::render_outline(self) } else { render_framework(self) }
    }

    fn texts(&self) -> Vec<&str> {
        let mut t = vec![self.title.as_str(), self.description.as_str()];
        t.extend(self.nodes.iter().flat_map(|n| [n.label.as_str(), n.weight_label.as_str()]));
        t.extend(self.level_names.iter().map(String::as_str));

        t.extend(self.words.all());
        t
    }
}

pub fn render_framework(tree: &TreeDiagram) -> String {
    let p = svg::id_prefix(&tree.id);
    let l = layout(tree);
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        fmt_coord(l.width),
        fmt_coord(l.height)
    );
    body.push_str(&svg::title_lines(MARGIN, &l.title_lines));
    for (level, name) in tree.level_names.iter().enumerate().take(l.col_x.len()) {
        body.push_str(&svg::text(
            l.col_x[level],
            l.top - 10.0,
            12.0,
            &format!(
                "fill=\"{}\" font-weight=\"bold\" class=\"level-name\"",
                svg::MUTED
            ),
            name,
        ));
    }
    // Connectors first, boxes over them.
    body.push_str(&connectors(tree, &l));
    for i in 0..tree.nodes.len() {
        body.push_str(&node_box(tree, &l, &p, i));
    }
    let mut out = svg::open_svg(
        &p,
        tree.lang,
        l.width,
        l.height,
        &tree.title,
        &svg::join_desc(&tree.description, &summary(tree)),
        "",
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// Elbow lines from each parent to its children, dashed where all children are coefficients.
fn connectors(tree: &TreeDiagram, l: &Layout) -> String {
    let mut body = format!(
        "<g class=\"connectors\" fill=\"none\" stroke=\"{CONNECTOR}\" stroke-width=\"1.2\">\n"
    );
    let (col_x, col_w, y) = (&l.col_x, &l.col_w, &l.y);
    for (i, children) in l.children.iter().enumerate() {
        if children.is_empty() {
            continue;
        }
        let level = tree.nodes[i].level;
        let x_from = col_x[level] + col_w[level];
        let x_mid = col_x[level] + col_w[level] + GAP / 2.0;
        let mut d = format!(
            "M{} {}H{}",
            fmt_coord(x_from),
            fmt_coord(y[i]),
            fmt_coord(x_mid)
        );
        for &c in children {
            let x_to = col_x[tree.nodes[c].level];
            let _ = write!(
                d,
                "M{} {}V{}H{}",
                fmt_coord(x_mid),
                fmt_coord(y[i]),
                fmt_coord(y[c]),
                fmt_coord(x_to)
            );
        }
        let dash = if children.iter().all(|&c| tree.nodes[c].coefficient) {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let _ = writeln!(body, "<path d=\"{d}\"{dash}/>");
    }
    body.push_str("</g>\n");
    body
}

/// Node `i`'s box with its label and, right-aligned, its weight.
fn node_box(tree: &TreeDiagram, l: &Layout, p: &str, i: usize) -> String {
    let mut body = String::new();
    let t = &tree.nodes[i];
    let y = l.y[i];
    let s = style(t.level, t.coefficient);
    // Every box in a column has the column's width, so weights line up as in a table.
    let (x, w) = (l.col_x[t.level], l.col_w[t.level]);
    let dash = if t.coefficient {
        " stroke-dasharray=\"4 2\""
    } else {
        ""
    };
    let _ = writeln!(
        body,
        "<g class=\"node level-{}\" id=\"{p}-n{i}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1\"{dash}/>",
        t.level,
        fmt_coord(x),
        fmt_coord(y - BOX_H / 2.0),
        fmt_coord(w),
        fmt_coord(BOX_H),
        s.fill,
        s.stroke
    );
    let weight = if s.bold { " font-weight=\"bold\"" } else { "" };
    body.push_str(&svg::text(
        x + PAD,
        y + s.size * 0.36,
        s.size,
        &format!("fill=\"{}\"{weight} class=\"node-label\"", s.ink),
        &t.label,
    ));
    if !t.weight_label.is_empty() {
        body.push_str(&svg::text(
            x + w - PAD,
            y + (weight_size(s.size)) * 0.36,
            weight_size(s.size),
            &format!(
                "fill=\"{}\" text-anchor=\"end\" class=\"node-weight\"",
                s.weight_ink
            ),
            &t.weight_label,
        ));
    }
    body.push_str("</g>\n");
    body
}

/// The data summary of the `<desc>`: how many nodes at each level, and coefficients.
pub(super) fn summary(tree: &TreeDiagram) -> String {
    let n = tree.nodes.len();
    let mut counts = vec![0usize; level_count(tree)];
    for t in tree.nodes.iter().filter(|t| !t.coefficient) {
        counts[t.level] += 1;
    }
    let coefficients = tree.nodes.iter().filter(|t| t.coefficient).count();
    let w = &tree.words;
    let mut parts: Vec<String> = counts
        .iter()
        .enumerate()
        .map(|(l, c)| {
            let c = c.to_string();
            if l == 0 {
                fill(&w.tree_root, &[("c", &c)])
            } else {
                fill(&w.tree_level, &[("l", &l.to_string()), ("c", &c)])
            }
        })
        .collect();
    match coefficients {
        0 => {}
        1 => parts.push(w.tree_coefficient_one.clone()),
        c => parts.push(fill(&w.tree_coefficient_n, &[("c", &c.to_string())])),
    }
    fill(&w.tree_summary, &[("n", &n.to_string()), ("parts", &parts.join(&w.clause_sep))])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil::{self, assert_accessible_svg};
    use roxmltree::Document;

    #[test]
    fn framework_has_every_node_in_its_column() {
        for lang in Lang::ALL {
            let tree = testutil::demo_tree(lang);
            let svg = render_framework(&tree);
            testutil::preview_svg(&format!("framework-{}", lang.code()), &svg);
            assert_accessible_svg(&svg, &tree.id);
            let doc = Document::parse(&svg).unwrap();
            let groups: Vec<_> = doc
                .descendants()
                .filter(|n| {
                    n.has_tag_name("g")
                        && n.attribute("class").is_some_and(|c| c.starts_with("node "))
                })
                .collect();
            assert_eq!(groups.len(), 53); // 1 + 3 + 10 + 38 + the coefficient (2020 CSV)
            let mut col_x = std::collections::BTreeMap::new();
            let mut box_y = Vec::new();
            for (g, node) in groups.iter().zip(&tree.nodes) {
                let rect = g.children().find(|c| c.has_tag_name("rect")).unwrap();
                let label = g
                    .children()
                    .find(|c| c.attribute("class") == Some("node-label"))
                    .unwrap();
                assert_eq!(label.text(), Some(node.label.as_str()));
                if !node.weight_label.is_empty() {
                    let w = g
                        .children()
                        .find(|c| c.attribute("class") == Some("node-weight"))
                        .unwrap();
                    assert_eq!(w.text(), Some(node.weight_label.as_str()));
                }
                let x: f64 = rect.attribute("x").unwrap().parse().unwrap();
                // One x per level, increasing with depth.
                assert_eq!(*col_x.entry(node.level).or_insert(x), x);
                box_y.push(rect.attribute("y").unwrap().parse::<f64>().unwrap());
                assert_eq!(
                    rect.attribute("stroke-dasharray").is_some(),
                    node.coefficient
                );
            }
            let xs: Vec<f64> = col_x.values().copied().collect();
            assert!(xs.windows(2).all(|w| w[0] < w[1]));
            // Leaves (level 3) are in reading order, one row each, never overlapping.
            let leaf_y: Vec<f64> = tree
                .nodes
                .iter()
                .zip(&box_y)
                .filter(|(n, _)| n.level == 3)
                .map(|(_, y)| *y)
                .collect();
            assert_eq!(leaf_y.len(), 38);
            assert!(leaf_y.windows(2).all(|w| w[1] - w[0] >= BOX_H));
            // Each parent sits between its first and last child.
            for (i, n) in tree.nodes.iter().enumerate() {
                let kids: Vec<f64> = tree
                    .nodes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.parent == Some(i))
                    .map(|(j, _)| box_y[j])
                    .collect();
                if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
                    assert!(
                        box_y[i] >= *first && box_y[i] <= *last,
                        "{} not centred on its children",
                        n.label
                    );
                }
            }
            // One connector path per parent, with one branch per child.
            let branches: usize = doc
                .descendants()
                .filter(|n| n.has_tag_name("path"))
                .map(|p| p.attribute("d").unwrap().matches('V').count())
                .sum();
            assert_eq!(branches, tree.nodes.len() - 1);
            let desc = testutil::desc(&doc);
            assert!(desc.contains("38") && desc.contains("10"), "{desc}");
        }
    }

    #[test]
    fn small_tree_snapshot() {
        let node = |label: &str, level, parent, weight: &str, coefficient| TreeNode {
            label: label.into(),
            level,
            parent,
            weight_label: weight.into(),
            coefficient,
        };
        let tree = TreeDiagram {
            id: "snap-tree".into(),
            title: "Framework".into(),
            description: String::new(),
            lang: Lang::En,
            words: crate::chart::ChartWords::builtin(Lang::En),
            nodes: vec![
                node("Overall", 0, None, "", false),
                node("A & B", 1, Some(0), "0.6", false),
                node("C", 1, Some(0), "0.4", false),
                node("A1", 2, Some(1), "1", false),
                node("Safety", 1, Some(0), "× multiplier", true),
            ],
            level_names: vec!["Index".into(), "Level 1".into(), "Level 2".into()],
            narrow: false,
        };
        let svg = render_framework(&tree);
        assert_accessible_svg(&svg, "snap-tree");
        insta::assert_snapshot!("framework_small", svg);
    }
}
