//! The blocks a page is made of (sections, tables, figures, headline figures, links), as plain
//! data for the templates.

use serde::Serialize;

use crate::site::view::PrintText;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    pub label: String,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub current: bool,
    /// A file to save rather than a page to open (the `download` attribute).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub download: bool,
}

impl Link {
    pub(super) fn new(label: impl Into<String>, href: String) -> Self {
        Link { label: label.into(), href, note: None, current: false, download: false }
    }
    pub(super) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
    pub(super) fn download(mut self) -> Self {
        self.download = true;
        self
    }
}

#[derive(Serialize)]
pub(crate) struct TreeItem {
    pub(crate) link: Link,
    pub(crate) level: u8,
}

#[derive(Serialize)]
pub(crate) struct Cell {
    pub(crate) text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) href: Option<String>,
    pub(crate) numeric: bool,
    /// A row header (`<th scope="row">`).
    pub(crate) th: bool,
    /// Indentation level for tree-shaped tables.
    pub(crate) indent: u8,
    /// Text for screen readers that replaces `text` (a symbol such as "▲3" is then hidden from
    /// them and this read instead: "up 3 places").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) sr: Option<String>,
    /// Extra class names ("change up", "change new").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) class: Option<&'static str>,
    /// Language of the text when it differs from the page's (`lang` attribute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<&'static str>,
    /// The text in parts, where part of it is in another language (a Chinese source quoted on
    /// an English page); `text` holds the same words in one piece, for the print edition.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) runs: Vec<Run>,
    /// A second line in small type (a target as its source printed it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) note: Vec<Run>,
    /// A symbol before the text, hidden from screen readers, which read the text ("✓ Achieved").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) icon: Option<&'static str>,
    /// A small bar in place of the text (a plan target's progress); `text` is what the print shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) bar: Option<ProgressBar>,
}

/// Part of a cell's text, with its language when it differs from the page's.
#[derive(Serialize)]
pub(crate) struct Run {
    pub(crate) text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lang: Option<&'static str>,
}

/// A progress bar 120 × 16 px drawn by the template: the outcome filled from 0, the baseline a
/// dashed tick, the target a solid tick, and an "about" target's tolerance band. Positions are in
/// px along the bar, formatted here so the template only places them.
#[derive(Serialize)]
pub(crate) struct ProgressBar {
    /// What the bar shows, in words (its accessible name).
    pub(crate) label: String,
    /// Class of the filled part (`status-achieved` …).
    pub(crate) status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) band: Option<Band>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) fill: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) base: Option<String>,
    pub(crate) goal: String,
}

/// Where an "about" target's tolerance band starts and how wide it is, in px.
#[derive(Serialize)]
pub(crate) struct Band {
    pub(crate) x: String,
    pub(crate) width: String,
}

impl Cell {
    pub(super) fn text(t: impl Into<String>) -> Self {
        Cell {
            text: t.into(),
            href: None,
            numeric: false,
            th: false,
            indent: 0,
            sr: None,
            class: None,
            lang: None,
            runs: Vec::new(),
            note: Vec::new(),
            icon: None,
            bar: None,
        }
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
    pub(crate) label: String,
    pub(crate) numeric: bool,
}

pub(super) fn col(label: impl Into<String>, numeric: bool) -> Column {
    Column { label: label.into(), numeric }
}

#[derive(Serialize)]
pub(crate) struct Row {
    pub(crate) cells: Vec<Cell>,
    pub(crate) highlight: bool,
    /// An anchor for the row (a plan's target).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
}

pub(super) fn row(cells: Vec<Cell>) -> Row {
    Row { cells, highlight: false, id: None }
}

#[derive(Serialize)]
pub(crate) struct Table {
    pub(crate) id: String,
    /// "表 3-8" / "Table 3-8" when numbered.
    pub(crate) label: Option<String>,
    pub(crate) caption: String,
    pub(crate) columns: Vec<Column>,
    pub(crate) rows: Vec<Row>,
    pub(crate) note: Option<String>,
    /// A class of the `<table>` itself (`plan-table`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) class: Option<&'static str>,
    /// Kept in the search index (tables of words, not of numbers: see `search::extract`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) searchable: bool,
}

#[derive(Serialize)]
pub(crate) struct FigureView {
    pub(crate) id: String,
    pub(crate) label: Option<String>,
    pub(crate) caption: String,
    pub(crate) svg: String,
    /// The phone variant, shown instead of `svg` on small screens (see `site.css`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) narrow_svg: Option<String>,
    /// The phone variant shows the wide drawing's outlines, so the wide one stays rendered.
    pub(crate) narrow_reuses_wide: bool,
    /// Drawn at the phone width for every screen: shown at its drawn size, not stretched.
    pub(crate) compact: bool,
    /// Shown at its drawn size on a large screen, never scaled down (the framework tree: its
    /// smallest text is drawn at 11 px, and squeezed to a fixed height it became unreadable).
    pub(crate) natural: bool,
    pub(crate) png: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct Stat {
    pub(crate) label: String,
    pub(crate) value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) href: Option<String>,
    /// Change since the previous edition ("+3.91 on 2019"), under the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) change: Option<String>,
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
    /// Narrative HTML made by [`super::markdown`]: safe to insert. `print` is the narrative as
    /// written (shortcodes expanded), which the print edition typesets; generated HTML has none
    /// and is left out of the book.
    Html {
        html: String,
        draft: bool,
        #[serde(skip)]
        print: Option<PrintText>,
    },
    Paragraph { text: String },
    Steps { items: Vec<String> },
    Table(Table),
    Figure(FigureView),
    Stats { items: Vec<Stat> },
    Links { title: Option<String>, items: Vec<Link> },
    /// A nested list of links; `level` says how deep each item is.
    Tree { items: Vec<TreeItem> },
    /// Facts about the page's subject, each a label and its value ("Period: 2021–2025"). `print`:
    /// whether the print edition shows them (a plan's do; the data page's publication facts not).
    Facts {
        items: Vec<Fact>,
        #[serde(skip)]
        print: bool,
    },
    /// How many of a plan's targets are in each status, with the status's symbol.
    Statuses { items: Vec<StatusCount> },
    /// A plain list of texts under an optional lead-in ("Outcomes and baselines from:").
    List { title: Option<String>, items: Vec<String> },
    /// A reader's tool run by our scripts (`scripts`, in order) in the element `id`, with the UI
    /// strings it needs (`ui`, JSON); without JavaScript, `noscript` says what it needs.
    Tool { id: &'static str, lang: &'static str, ui: String, noscript: String, scripts: Vec<String> },
    /// Links to the reader's tools, on screen only (a printed link to a tool leads nowhere).
    ToolLinks { items: Vec<Link> },
    /// Makes the columns of table `table` sortable (`script`), with a hint shown once it runs.
    Sorter { hint: String, script: String, table: &'static str },
}

#[derive(Serialize)]
pub(crate) struct Fact {
    pub(crate) label: String,
    pub(crate) value: String,
    /// The value as a link (a licence, a contact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) href: Option<String>,
    /// The link's relation (`license`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) rel: Option<&'static str>,
    /// A class of the value (`citation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) class: Option<&'static str>,
}

impl Fact {
    pub(super) fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Fact { label: label.into(), value: value.into(), href: None, rel: None, class: None }
    }
}

#[derive(Serialize)]
pub(crate) struct StatusCount {
    /// `status-achieved` …
    pub(crate) class: &'static str,
    pub(crate) icon: &'static str,
    pub(crate) text: String,
}

#[derive(Serialize)]
pub(crate) struct Section {
    pub(crate) id: String,
    pub(crate) heading: Option<String>,
    /// Heading level: 2 for sections, 3 for subsections.
    pub(crate) level: u8,
    pub(crate) blocks: Vec<Block>,
    /// Whether the print edition typesets it (a district's plan is on its profile's web page only).
    #[serde(skip)]
    pub(crate) print: bool,
}

pub(super) fn section(id: impl Into<String>, heading: Option<String>, level: u8, blocks: Vec<Block>) -> Section {
    Section { id: id.into(), heading, level, blocks, print: true }
}
