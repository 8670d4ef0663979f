//! The print edition's typst source, made from the same sections and blocks the web pages are
//! made of: each block kind has one typst form here, as it has one template macro for the web.

use std::fmt::Write;

use super::markup::{self, string, text};
use crate::site::pages::{Block, BookChapter, FigureView, Section, Stat, Table};

/// A narrative's cross-reference, for the error when it names no table or figure of the book.
pub(crate) struct NarrativeRef {
    pub anchor: String,
    /// The words as written ("表 3-5").
    pub shown: String,
    pub file: std::path::PathBuf,
    pub line: usize,
    pub column: usize,
}

/// The typst source of the body and the files it refers to.
#[derive(Default)]
pub(crate) struct Body {
    pub typst: String,
    /// Figures as SVG files ("/figures/3.svg").
    pub files: Vec<(String, Vec<u8>)>,
    /// Anchors of every table and figure placed in the book.
    pub anchors: Vec<String>,
    /// Cross-references found in the narrative.
    pub refs: Vec<NarrativeRef>,
    /// Every text put into the book, to check the fonts cover it.
    pub texts: Vec<String>,
}

/// Width of the text block on A4 with the book's margins, in points; figures drawn 720 px wide
/// for the web fill it.
const TEXT_WIDTH_PT: f64 = 481.0;
const WEB_FIGURE_PX: f64 = 720.0;
/// Tables of up to this many rows are never split across pages.
const KEEP_WHOLE_ROWS: usize = 24;
/// The tallest a figure may be drawn, leaving room for its caption, header and footer.
const MAX_FIGURE_HEIGHT_PT: f64 = 600.0;
/// Figures taller than this (over a third of the text block: maps, long rankings) float to the
/// top or bottom of a page, as in a typeset book: kept in the text's flow, one that does not fit
/// below the text before it would leave the rest of that page empty. They stay within their
/// section (see `place.flush` before every page's heading).
const FLOAT_FROM_PT: f64 = 240.0;

impl Body {
    fn keep(&mut self, s: &str) -> String {
        self.texts.push(s.to_string());
        text(s)
    }

    fn keep_string(&mut self, s: &str) -> String {
        self.texts.push(s.to_string());
        string(s)
    }

    pub(crate) fn chapter(&mut self, chapter: &BookChapter) {
        let numbering = if chapter.numbered { "" } else { ", numbering: none" };
        let title = self.keep(&chapter.title);
        let _ = write!(self.typst, "\n#heading(level: 1{numbering})[{title}]\n");
        for (k, page) in chapter.pages.iter().enumerate() {
            // A chapter's first page is the chapter; the others are its sections.
            let page_level = if k == 0 { 1 } else { 2 };
            if k > 0 {
                let title = self.keep(&page.title);
                let _ = write!(self.typst, "\n#place.flush()\n#heading(level: 2)[{title}]\n");
            }
            for section in page.sections.iter().filter(|s| s.print) {
                self.section(section, page_level);
            }
        }
    }

    fn section(&mut self, s: &Section, page_level: u8) {
        // A section of web-only blocks (a list of links) leaves no heading behind.
        if !s.blocks.iter().any(prints) {
            return;
        }
        let level = (s.level + page_level - 1).clamp(2, 6);
        if let Some(h) = &s.heading {
            let h = self.keep(h);
            let _ = write!(self.typst, "\n#heading(level: {level})[{h}]\n");
        }
        // Narrative headings go one level below the last heading there is.
        let enclosing = if s.heading.is_some() { level } else { level - 1 };
        for b in &s.blocks {
            self.block(b, enclosing);
        }
    }

    fn block(&mut self, b: &Block, level: u8) {
        match b {
            Block::Html { print: Some(narrative), .. } => {
                let md = &narrative.markdown;
                let converted = markup::markdown(md, level);
                for r in converted.refs {
                    let before = &md[..r.at.min(md.len())];
                    self.refs.push(NarrativeRef {
                        shown: r.shown,
                        anchor: r.anchor,
                        file: narrative.file.clone(),
                        line: narrative.body_line + before.matches('\n').count(),
                        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                    });
                }
                self.texts.push(md.clone());
                self.typst.push_str(&converted.typst);
                self.typst.push('\n');
            }
            Block::Paragraph { text } => {
                let t = self.paragraph_text(text);
                let _ = write!(self.typst, "\n{t}\n");
            }
            Block::Steps { items } => {
                self.typst.push_str("\n#enum(");
                for item in items {
                    let t = self.paragraph_text(item);
                    let _ = write!(self.typst, "[{t}], ");
                }
                self.typst.push_str(")\n");
            }
            Block::Table(t) => self.table(t),
            Block::Figure(f) => self.figure(f),
            Block::Stats { items } => self.stats(items),
            Block::Html { print: None, .. } | Block::Tree { .. } | Block::Tool { .. } | Block::ToolLinks { .. } | Block::Sorter { .. } => {}
            b if !prints(b) => {}
            Block::Links { title, items } => {
                if let Some(title) = title {
                    let t = self.keep(title);
                    let _ = write!(self.typst, "\n#block(sticky: true, strong[{t}])\n");
                }
                self.typst.push_str("#list(");
                for l in items {
                    let label = self.keep(&l.label);
                    let note = match &l.note {
                        Some(n) => format!("#h(0.6em)#text(fill: luma(35%))[{}]", self.keep(n)),
                        None => String::new(),
                    };
                    let _ = write!(self.typst, "[{label}{note}], ");
                }
                self.typst.push_str(")\n");
            }
            Block::Facts { items, .. } => {
                self.typst.push_str("\n#list(");
                for f in items {
                    let (label, value) = (self.keep(&f.label), self.keep(&f.value));
                    // A link prints as its text; the reader of paper cannot follow it.
                    let _ = write!(self.typst, "[#strong[{label}]#h(0.6em){value}], ");
                }
                self.typst.push_str(")\n");
            }
            Block::Statuses { items } => {
                self.typst.push_str("\n#list(");
                for s in items {
                    let t = self.keep(&format!("{} {}", s.icon, s.text));
                    let _ = write!(self.typst, "[{t}], ");
                }
                self.typst.push_str(")\n");
            }
            Block::List { title, items } => {
                if let Some(title) = title {
                    let t = self.paragraph_text(title);
                    let _ = write!(self.typst, "\n{t}\n");
                }
                self.typst.push_str("#list(");
                for item in items {
                    let t = self.keep(item);
                    let _ = write!(self.typst, "[{t}], ");
                }
                self.typst.push_str(")\n");
            }
        }
    }

    /// Generated sentences may name tables ("见表 1-1"): linked with their page like the
    /// narrative's, without an error when the number is not in the book.
    fn paragraph_text(&mut self, s: &str) -> String {
        self.texts.push(s.to_string());
        let mut out = String::new();
        for (piece, anchor) in markup::split_refs(s) {
            match anchor {
                Some(anchor) => {
                    let _ = write!(out, "#pageref-soft(<{anchor}>, {});", string(piece));
                }
                None => out.push_str(&text(piece)),
            }
        }
        out
    }

    fn caption(&mut self, label: &Option<String>, caption: &str) -> String {
        match label {
            Some(l) => format!("#strong[{}]#h(0.8em){}", self.keep(l), self.keep(caption)),
            None => self.keep(caption),
        }
    }

    fn table(&mut self, t: &Table) {
        let caption = self.caption(&t.label, &t.caption);
        let align: Vec<&str> = t.columns.iter().map(|c| if c.numeric { "right" } else { "left" }).collect();
        // A table that fits on a page is kept whole, with the heading before it (headings stick
        // to what follows); a longer one breaks between rows, its header repeated on each page.
        let breakable = t.rows.len() > KEEP_WHOLE_ROWS;
        let _ = write!(
            self.typst,
            "\n#block(breakable: {breakable}, width: 100%)[#figure(kind: table, supplement: none, numbering: none, caption: figure.caption(position: top)[{caption}],\n  table(columns: {}, align: ({},),\n    table.header(",
            t.columns.len(),
            align.join(", ")
        );
        for c in &t.columns {
            let l = self.keep_string(&c.label);
            let _ = write!(self.typst, "{l}, ");
        }
        self.typst.push_str("),\n");
        // Cells are plain strings, the cheapest content for typst to lay out (a table of 300
        // districts has thousands); row headers are bold by the design's rule for column 0.
        for r in &t.rows {
            self.typst.push_str("    ");
            for (k, c) in r.cells.iter().enumerate() {
                // A tree's levels are indented with em spaces inside the string itself.
                let indent = "\u{2003}".repeat(usize::from(c.indent.saturating_sub(1)));
                // A second line (a target as its source printed it) follows in brackets.
                let note: String = c.note.iter().map(|r| r.text.as_str()).collect();
                let shown = if note.is_empty() { format!("{indent}{}", c.text) } else { format!("{indent}{} ({note})", c.text) };
                let text = self.keep_string(&shown);
                if r.highlight || (c.th && k > 0) {
                    let _ = write!(self.typst, "strong({text}), ");
                } else {
                    let _ = write!(self.typst, "{text}, ");
                }
            }
            self.typst.push('\n');
        }
        let _ = writeln!(self.typst, "  )) <{}>]", t.id);
        if let Some(note) = &t.note {
            let n = self.keep(note);
            let _ = writeln!(self.typst, "#block(above: 0.4em, text(size: 8pt, fill: luma(30%))[{n}])");
        }
        self.anchors.push(t.id.clone());
    }

    fn figure(&mut self, f: &FigureView) {
        let caption = self.caption(&f.label, &f.caption);
        let path = format!("/figures/{}.svg", self.files.len() + 1);
        let (w, h) = svg_size(&f.svg).unwrap_or((WEB_FIGURE_PX, WEB_FIGURE_PX * 0.6));
        let mut width = w * TEXT_WIDTH_PT / WEB_FIGURE_PX;
        if width > TEXT_WIDTH_PT {
            width = TEXT_WIDTH_PT;
        }
        if width * h / w > MAX_FIGURE_HEIGHT_PT {
            width = MAX_FIGURE_HEIGHT_PT * w / h;
        }
        let alt = svg_description(&f.svg).unwrap_or_else(|| f.caption.clone());
        let alt = self.keep_string(&alt);
        let placement = if width * h / w > FLOAT_FROM_PT { "placement: auto, " } else { "" };
        let _ = writeln!(
            self.typst,
            "\n#figure({placement}supplement: none, numbering: none, caption: [{caption}],\n  image({}, width: {width:.1}pt, alt: {alt})) <{}>",
            string(&path),
            f.id
        );
        self.files.push((path, f.svg.clone().into_bytes()));
        self.anchors.push(f.id.clone());
    }

    fn stats(&mut self, items: &[Stat]) {
        let columns = items.len().clamp(1, 4);
        let _ = write!(self.typst, "\n#grid(columns: {columns}, gutter: 6pt,\n");
        for s in items {
            let label = self.keep(&s.label);
            let value = self.keep(&s.value);
            let mut lines = format!("#text(size: 8.5pt)[{label}]\\\n#text(size: 15pt, weight: \"bold\")[{value}]");
            if let Some(n) = &s.note {
                let _ = write!(lines, "\\\n#text(size: 8pt, fill: luma(30%))[{}]", self.keep(n));
            }
            if let Some(c) = &s.change {
                let _ = write!(lines, "\\\n#text(size: 8pt)[{}]", self.keep(c));
            }
            let _ = writeln!(self.typst, "  block(width: 100%, inset: 6pt, stroke: 0.5pt + luma(75%), radius: 2pt)[{lines}],");
        }
        self.typst.push_str(")\n");
    }
}

/// Whether a block has a printed form. Generated HTML (no narrative behind it) is for the web
/// only; links without a note only lead to other pages ("see the districts' ranking"), and the
/// tree of sections repeats the contents: none has a place on paper.
fn prints(b: &Block) -> bool {
    match b {
        Block::Html { print, .. } => print.is_some(),
        Block::Links { items, .. } => items.iter().any(|l| l.note.is_some()),
        // The tools and the sorter run in a browser only.
        Block::Tree { .. } | Block::Tool { .. } | Block::ToolLinks { .. } | Block::Sorter { .. } | Block::Facts { print: false, .. } => false,
        Block::Paragraph { .. }
        | Block::Steps { .. }
        | Block::Table(_)
        | Block::Figure(_)
        | Block::Stats { .. }
        | Block::Facts { print: true, .. }
        | Block::Statuses { .. }
        | Block::List { .. } => true,
    }
}

/// The drawn size of an SVG (its `width` and `height` in px, else its viewBox).
fn svg_size(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("<svg")?;
    let tag = &svg[start..start + svg[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[at..at + tag[at..].find('"')?])
    };
    let px = |v: &str| v.trim_end_matches("px").parse::<f64>().ok().filter(|x| x.is_finite() && *x > 0.0);
    if let (Some(w), Some(h)) = (attr("width").and_then(px), attr("height").and_then(px)) {
        return Some((w, h));
    }
    let vb: Vec<f64> = attr("viewBox")?.split([' ', ',']).filter_map(|x| x.parse().ok()).collect();
    (vb.len() == 4 && vb[2] > 0.0 && vb[3] > 0.0).then(|| (vb[2], vb[3]))
}

/// The SVG's own description (`<desc>`), which the web page gives screen readers: the same
/// words become the PDF figure's alternative text.
fn svg_description(svg: &str) -> Option<String> {
    let open = svg.find("<desc")?;
    let body_start = open + svg[open..].find('>')? + 1;
    let body = &svg[body_start..body_start + svg[body_start..].find("</desc>")?];
    let text = body
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figure_size_and_description_come_from_the_svg() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="720" height="400" viewBox="0 0 720 400" role="img"><title>T</title><desc>Bars of A &amp; B</desc></svg>"#;
        assert_eq!(svg_size(svg), Some((720.0, 400.0)));
        assert_eq!(svg_description(svg).as_deref(), Some("Bars of A & B"));
        assert_eq!(svg_size(r#"<svg viewBox="0 0 380 90">"#), Some((380.0, 90.0)));
    }
}
