//! The blocks a page is made of (sections, tables, figures, headline figures, links), as plain
//! data for the templates.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub label: String,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub current: bool,
}

impl Link {
    pub(super) fn new(label: impl Into<String>, href: String) -> Self {
        Link { label: label.into(), href, note: None, current: false }
    }
    pub(super) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

#[derive(Serialize)]
pub(crate) struct TreeItem {
    pub(super) link: Link,
    pub(super) level: u8,
}

#[derive(Serialize)]
pub(crate) struct Cell {
    pub(super) text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) href: Option<String>,
    pub(super) numeric: bool,
    /// A row header (`<th scope="row">`).
    pub(super) th: bool,
    /// Indentation level for tree-shaped tables.
    pub(super) indent: u8,
    /// Text for screen readers that replaces `text` (a symbol such as "▲3" is then hidden from
    /// them and this read instead: "up 3 places").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) sr: Option<String>,
    /// Extra class names ("change up", "change new").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) class: Option<&'static str>,
    /// Language of the text when it differs from the page's (`lang` attribute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lang: Option<&'static str>,
}

impl Cell {
    pub(super) fn text(t: impl Into<String>) -> Self {
        Cell { text: t.into(), href: None, numeric: false, th: false, indent: 0, sr: None, class: None, lang: None }
    }
    pub(super) fn num(t: impl Into<String>) -> Self {
        Cell { numeric: true, ..Cell::text(t) }
    }
    pub(super) fn head(t: impl Into<String>, href: Option<String>) -> Self {
        Cell { th: true, href, ..Cell::text(t) }
    }
    pub(super) fn indent(mut self, level: usize) -> Self {
        self.indent = level.min(6) as u8;
        self
    }
}

#[derive(Serialize)]
pub(crate) struct Column {
    pub(super) label: String,
    pub(super) numeric: bool,
}

pub(super) fn col(label: impl Into<String>, numeric: bool) -> Column {
    Column { label: label.into(), numeric }
}

#[derive(Serialize)]
pub(crate) struct Row {
    pub(super) cells: Vec<Cell>,
    pub(super) highlight: bool,
}

pub(super) fn row(cells: Vec<Cell>) -> Row {
    Row { cells, highlight: false }
}

#[derive(Serialize)]
pub(crate) struct Table {
    pub(super) id: String,
    /// "表 3-8" / "Table 3-8" when numbered.
    pub(super) label: Option<String>,
    pub(super) caption: String,
    pub(super) columns: Vec<Column>,
    pub(super) rows: Vec<Row>,
    pub(super) note: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct FigureView {
    pub(super) id: String,
    pub(super) label: Option<String>,
    pub(super) caption: String,
    pub(super) svg: String,
    /// The phone variant, shown instead of `svg` on small screens (see `site.css`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) narrow_svg: Option<String>,
    /// The phone variant shows the wide drawing's outlines, so the wide one stays rendered.
    pub(super) narrow_reuses_wide: bool,
    /// Drawn at the phone width for every screen: shown at its drawn size, not stretched.
    pub(super) compact: bool,
    /// Shown at its drawn size on a large screen, never scaled down (the framework tree: its
    /// smallest text is drawn at 11 px, and squeezed to a fixed height it became unreadable).
    pub(super) natural: bool,
    pub(super) png: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct Stat {
    pub(super) label: String,
    pub(super) value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) href: Option<String>,
    /// Change since the previous edition ("+3.91 on 2019"), under the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) change: Option<String>,
}

impl Stat {
    pub(super) fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Stat { label: label.into(), value: value.into(), note: None, href: None, change: None }
    }
    pub(super) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
    pub(super) fn href(mut self, href: String) -> Self {
        self.href = Some(href);
        self
    }
    pub(super) fn change(mut self, change: Option<String>) -> Self {
        self.change = change;
        self
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Block {
    /// Narrative HTML made by [`super::markdown`]: safe to insert.
    Html { html: String, draft: bool },
    Paragraph { text: String },
    Steps { items: Vec<String> },
    Table(Table),
    Figure(FigureView),
    Stats { items: Vec<Stat> },
    Links { title: Option<String>, items: Vec<Link> },
    /// A nested list of links; `level` says how deep each item is.
    Tree { items: Vec<TreeItem> },
}

#[derive(Serialize)]
pub(crate) struct Section {
    pub(super) id: String,
    pub(super) heading: Option<String>,
    /// Heading level: 2 for sections, 3 for subsections.
    pub(super) level: u8,
    pub(super) blocks: Vec<Block>,
}

pub(super) fn section(id: impl Into<String>, heading: Option<String>, level: u8, blocks: Vec<Block>) -> Section {
    Section { id: id.into(), heading, level, blocks }
}
