//! The indicator framework as an indented outline, the tree's phone drawing: one row per
//! indicator, indented by level, a line down from each parent to its children. The column
//! layout (`tree.rs`) is as wide as its widest labels side by side — about 1,000 px for the
//! 2020 framework, whose 12 px text a phone would draw at 4 px; the outline is [`NARROW`] wide
//! and wraps a long name onto more lines instead.

use std::fmt::Write as _;

use crate::chart::NARROW;
use crate::chart::font::{text_width, wrap};
use crate::chart::svg::{self, fmt_coord};
use super::{CONNECTOR, MARGIN, PAD, TreeDiagram, children_of, style, summary};

/// Indent per level.
const INDENT: f64 = 16.0;
/// Space between two boxes.
const ROW_GAP: f64 = 6.0;
/// Line height as a multiple of the text size.
const LINE: f64 = 1.3;

/// One node's place: its box (x, top, width, height) and its label's lines.
struct Row {
    x: f64,
    top: f64,
    w: f64,
    h: f64,
    lines: Vec<String>,
}

/// The outline, `NARROW` px wide, as a standalone, accessible SVG document.
pub fn render_outline(tree: &TreeDiagram) -> String {
    let p = svg::id_prefix(&tree.id);
    let width = f64::from(NARROW);
    let title_lines = wrap(&tree.title, 16.0, true, width - 2.0 * MARGIN);
    let mut y = MARGIN + title_lines.len() as f64 * 22.0 + 12.0;
    let mut rows = Vec::with_capacity(tree.nodes.len());
    for t in &tree.nodes {
        let s = style(t.level, t.coefficient);
        let x = MARGIN + t.level as f64 * INDENT;
        let w = width - MARGIN - x;
        let weight_w = if t.weight_label.is_empty() { 0.0 } else { text_width(&t.weight_label, s.size - 1.5, false) + 10.0 };
        let lines = wrap(&t.label, s.size, s.bold, (w - 2.0 * PAD - weight_w).max(4.0 * s.size));
        let h = lines.len() as f64 * s.size * LINE + 8.0;
        rows.push(Row { x, top: y, w, h, lines });
        y += h + ROW_GAP;
    }
    let height = (y - ROW_GAP + MARGIN).round();

    let mut body = String::new();
    let _ = writeln!(body, "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>", fmt_coord(width), fmt_coord(height));
    body.push_str(&svg::title_lines(MARGIN, &title_lines));
    // Connectors: from under a parent's box down to the middle of its last child, a tick to each.
    let _ = writeln!(body, "<g class=\"connectors\" fill=\"none\" stroke=\"{CONNECTOR}\" stroke-width=\"1.2\">");
    for (r, children) in rows.iter().zip(children_of(tree)) {
        let Some(&last) = children.last() else { continue };
        let x = r.x + INDENT / 2.0;
        let mid = |c: usize| rows[c].top + rows[c].h / 2.0;
        let mut d = format!("M{} {}V{}", fmt_coord(x), fmt_coord(r.top + r.h), fmt_coord(mid(last)));
        for &c in &children {
            let _ = write!(d, "M{} {}H{}", fmt_coord(x), fmt_coord(mid(c)), fmt_coord(rows[c].x));
        }
        let dash = if children.iter().all(|&c| tree.nodes[c].coefficient) { " stroke-dasharray=\"4 3\"" } else { "" };
        let _ = writeln!(body, "<path d=\"{d}\"{dash}/>");
    }
    body.push_str("</g>\n");
    for (i, (t, r)) in tree.nodes.iter().zip(&rows).enumerate() {
        let s = style(t.level, t.coefficient);
        let dash = if t.coefficient { " stroke-dasharray=\"4 2\"" } else { "" };
        let _ = writeln!(
            body,
            "<g class=\"node level-{}\" id=\"{p}-n{i}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1\"{dash}/>",
            t.level,
            fmt_coord(r.x),
            fmt_coord(r.top),
            fmt_coord(r.w),
            fmt_coord(r.h),
            s.fill,
            s.stroke
        );
        let bold = if s.bold { " font-weight=\"bold\"" } else { "" };
        let first = r.top + 4.0 + s.size * (LINE / 2.0) + s.size * 0.36;
        for (k, line) in r.lines.iter().enumerate() {
            body.push_str(&svg::text(r.x + PAD, first + k as f64 * s.size * LINE, s.size, &format!("fill=\"{}\"{bold} class=\"node-label\"", s.ink), line));
        }
        if !t.weight_label.is_empty() {
            body.push_str(&svg::text(
                r.x + r.w - PAD,
                first,
                s.size - 1.5,
                &format!("fill=\"{}\" text-anchor=\"end\" class=\"node-weight\"", s.weight_ink),
                &t.weight_label,
            ));
        }
        body.push_str("</g>\n");
    }
    let mut out = svg::open_svg(&p, tree.lang, width, height, &tree.title, &svg::join_desc(&tree.description, &summary(tree)), "");
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil::{self, assert_accessible_svg};
    use crate::model::Lang;
    use roxmltree::Document;

    /// Every node in its own row, in the tree's order, indented by its level, inside the
    /// drawing; labels wrapped to their box; text legible on a phone; same description as the
    /// column layout.
    #[test]
    fn the_outline_has_every_node_on_its_own_row_within_the_phone_width() {
        for lang in Lang::ALL {
            let mut tree = testutil::demo_tree(lang);
            // A name far too long for one line.
            tree.nodes[5].label = tree.nodes[5].label.repeat(4);
            let svg = render_outline(&tree);
            assert_accessible_svg(&svg, &tree.id);
            let doc = Document::parse(&svg).unwrap();
            let vb: Vec<f64> = doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
            assert_eq!(vb[2], f64::from(NARROW));
            let groups: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("g") && n.attribute("class").is_some_and(|c| c.starts_with("node "))).collect();
            assert_eq!(groups.len(), tree.nodes.len());
            let mut bottom = 0.0;
            for (g, node) in groups.iter().zip(&tree.nodes) {
                let rect = g.children().find(|c| c.has_tag_name("rect")).unwrap();
                let (x, y, w, h) = (testutil::num(&rect, "x"), testutil::num(&rect, "y"), testutil::num(&rect, "width"), testutil::num(&rect, "height"));
                assert!(y >= bottom, "{}: rows overlap", node.label);
                bottom = y + h;
                assert_eq!(x, MARGIN + node.level as f64 * INDENT);
                assert!(x + w <= vb[2] - MARGIN + 0.01);
                let texts: Vec<_> = g.children().filter(|c| c.has_tag_name("text")).collect();
                let label: String = texts.iter().filter(|t| t.attribute("class") == Some("node-label")).filter_map(|t| t.text()).collect::<Vec<_>>().join(" ");
                // Wrapping keeps every word (Chinese wraps between characters).
                assert_eq!(label.replace(' ', ""), node.label.replace(' ', ""));
                for t in &texts {
                    let size = testutil::num(t, "font-size");
                    assert!(size >= 10.5, "{:?} at {size}", t.text());
                    let tw = text_width(t.text().unwrap(), size, t.attribute("font-weight") == Some("bold"));
                    let tx = testutil::num(t, "x");
                    let (x0, x1) = if t.attribute("text-anchor") == Some("end") { (tx - tw, tx) } else { (tx, tx + tw) };
                    assert!(x0 >= x && x1 <= x + w, "{:?} leaves its box", t.text());
                    let ty = testutil::num(t, "y");
                    assert!(ty > y && ty < y + h, "{:?} outside its row", t.text());
                }
            }
            assert!(bottom <= vb[3]);
            assert_eq!(groups.iter().filter(|g| g.children().filter(|c| c.attribute("class") == Some("node-label")).count() > 1).count(), 1, "{lang:?}: only the long name wraps");
            // The same description as the column layout's.
            let wide = super::super::render_framework(&tree);
            assert_eq!(testutil::desc(&doc), testutil::desc(&Document::parse(&wide).unwrap()));
        }
    }
}
