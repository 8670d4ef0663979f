//! The searchable text of one rendered page: its title, the chapter it belongs to, and its
//! passages (headings, paragraphs, list items, table and figure captions), each with the anchor
//! of the nearest element with an id, so that a hit can lead to its place on the page.
//!
//! Read from the HTML the templates produced, with `html5gum` (a WHATWG-conformant tokenizer with
//! no dependencies), so the index holds exactly what a reader sees, project templates included.
//! Left out: the site header and footer, navigation (breadcrumbs, table of contents, pager), the
//! inside of figures' SVG (their caption is kept), the cells of tables (numbers; the caption is
//! kept), permalink marks and text for screen readers only. A table marked `data-searchable` (a plan's
//! targets, an archived edition's headline figures) is read row by row: each row is a passage.

use std::borrow::Cow;

use html5gum::{Token, Tokenizer};

use super::tokenize::is_han;

/// Where a passage sits on its page; the order is the ranking order (a title hit first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Names and aliases of the district or indicator the page is about (added by the index).
    Name = 0,
    Title = 1,
    Heading = 2,
    Caption = 3,
    Body = 4,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Passage {
    pub field: Field,
    /// Id of the nearest enclosing element that has one ("table-3-8"), for the link.
    pub anchor: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageText {
    /// The page's `<h1>`.
    pub title: String,
    /// The current entry of the chapter navigation (`nav.site-nav a[aria-current=page]`).
    pub chapter: String,
    pub passages: Vec<Passage>,
}

/// Elements that flow within a line; any other element's edges separate words, as a browser
/// lays them out (`<dt>City</dt><dd>78.12</dd>` reads "City 78.12").
const INLINE: &[&[u8]] = &[
    b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"dfn", b"em", b"i", b"kbd", b"mark", b"q", b"ruby",
    b"rt", b"s", b"samp", b"small", b"span", b"strong", b"sub", b"sup", b"time", b"u", b"var",
];

const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source", b"track", b"wbr",
];

/// Subtrees whose text is not part of what the page says.
const SKIPPED: &[&[u8]] = &[b"svg", b"math", b"script", b"style", b"template", b"noscript", b"nav", b"aside", b"table", b"button", b"select"];
const SKIPPED_CLASSES: &[&str] = &["anchor", "png", "visually-hidden", "skip-link"];
/// The attribute of a table whose rows are read (see the module's note).
const SEARCHABLE: &str = "data-searchable";

struct Open {
    name: Vec<u8>,
    id: Option<String>,
    block: Option<Field>,
    skip: bool,
    main: bool,
    chapter_link: bool,
    site_nav: bool,
}

#[derive(Default)]
struct Walker {
    stack: Vec<Open>,
    skipping: usize,
    in_main: usize,
    in_site_nav: usize,
    in_chapter_link: usize,
    buf: String,
    page: PageText,
}

/// Extracts the searchable text of a page.
pub fn page_text(html: &str) -> PageText {
    walk(&skim(region(html)))
}

/// The part of the page the index reads: from the chapter navigation to the end of `<main>`.
/// The head, the header's tools and the footer are then not tokenized at all (with a project's
/// own templates of another shape, the whole page is read, which gives the same passages).
fn region(html: &str) -> &str {
    let start = find(html, 0, "site-nav").and_then(|i| html[..i].rfind('<')).unwrap_or(0);
    let end = html.rfind("</main>").map_or(html.len(), |i| i + "</main>".len());
    if start < end { &html[start..end] } else { html }
}

fn find(s: &str, from: usize, needle: &str) -> Option<usize> {
    memchr::memmem::find(&s.as_bytes()[from..], needle.as_bytes()).map(|i| from + i)
}

/// Reads the tokens of `html` (all of it).
fn walk(html: &str) -> PageText {
    let mut w = Walker::default();
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_vec();
                let attr = |key: &str| tag.attributes.get(key.as_bytes()).map(|v| String::from_utf8_lossy(v).into_owned());
                if !INLINE.contains(&name.as_slice()) {
                    w.buf.push(' ');
                }
                if tag.self_closing || VOID.contains(&name.as_slice()) {
                    continue;
                }
                let class = attr("class").unwrap_or_default();
                let classes: Vec<&str> = class.split_whitespace().collect();
                let open = Open {
                    block: block_kind(&name, &classes),
                    id: attr("id").filter(|id| !id.is_empty() && id != "main"),
                    skip: (SKIPPED.contains(&name.as_slice()) && !(name == b"table" && attr(SEARCHABLE).is_some()))
                        || classes.iter().any(|c| SKIPPED_CLASSES.contains(c)),
                    main: name == b"main",
                    site_nav: name == b"nav" && classes.contains(&"site-nav"),
                    chapter_link: name == b"a" && w.in_site_nav > 0 && attr("aria-current").as_deref() == Some("page"),
                    name,
                };
                w.push(open);
            }
            Token::EndTag(tag) => {
                if !INLINE.contains(&tag.name.as_slice()) {
                    w.buf.push(' ');
                }
                if let Some(at) = w.stack.iter().rposition(|o| o.name == *tag.name) {
                    while w.stack.len() > at {
                        w.pop();
                    }
                }
            }
            Token::String(text) => {
                let text = String::from_utf8_lossy(&text);
                if w.in_chapter_link > 0 {
                    w.page.chapter.push_str(&text);
                }
                if w.in_main > 0 && w.skipping == 0 {
                    w.buf.push_str(&text);
                }
            }
            _ => {}
        }
    }
    w.flush();
    w.page.chapter = collapse(&w.page.chapter);
    w.page
}

/// Elements whose inside the index never reads, cut out before tokenizing: inline charts are
/// four fifths of a page's bytes and tables most of the rest, and tokenizing them made the
/// index a fifth of the build. Whatever this misses (an unclosed element, upper case) the walker
/// skips all the same, only slower.
const CUT: &[(&str, &str)] = &[("<svg", "</svg>"), ("<table", "</table>")];

fn skim(html: &str) -> Cow<'_, str> {
    // Next start of each kind at or after `at`; searched again only once passed, so the page is
    // scanned about once per kind.
    let mut next: Vec<Option<usize>> = CUT.iter().map(|(open, _)| find_tag(html, 0, open)).collect();
    if next.iter().all(Option::is_none) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() / 4);
    let mut at = 0;
    loop {
        for (k, (open, _)) in CUT.iter().enumerate() {
            if next[k].is_some_and(|i| i < at) {
                next[k] = find_tag(html, at, open);
            }
        }
        let Some((k, start)) = next.iter().enumerate().filter_map(|(k, i)| i.map(|i| (k, i))).min_by_key(|(_, i)| *i) else {
            break;
        };
        // A searchable table stays: only its start tag is passed over.
        let tag_end = html[start..].find('>').map_or(html.len(), |e| start + e);
        if CUT[k].0 == "<table" && html[start..tag_end].contains(SEARCHABLE) {
            out.push_str(&html[at..start + CUT[k].0.len()]);
            at = start + CUT[k].0.len();
            continue;
        }
        out.push_str(&html[at..start]);
        // A space keeps the words on either side apart, as the element did.
        out.push(' ');
        let close = CUT[k].1;
        at = find(html, start, close).map_or(html.len(), |end| end + close.len());
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

/// Where the next start tag `open` ("<svg") begins at or after `from`: the name must end there
/// (not "<svgx").
fn find_tag(s: &str, mut from: usize, open: &str) -> Option<usize> {
    while let Some(at) = find(s, from, open) {
        match s.as_bytes().get(at + open.len()) {
            Some(b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r') => return Some(at),
            _ => from = at + open.len(),
        }
    }
    None
}

fn block_kind(name: &[u8], classes: &[&str]) -> Option<Field> {
    Some(match name {
        b"h1" => Field::Title,
        b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => Field::Heading,
        b"figcaption" => Field::Caption,
        b"p" if classes.contains(&"caption") => Field::Caption,
        b"p" | b"li" | b"blockquote" | b"pre" => Field::Body,
        // A headline figure: its label, value and notes read as one line.
        b"div" if classes.contains(&"stat") => Field::Body,
        // A row of a searchable table (the others are never read).
        b"tr" => Field::Body,
        _ => return None,
    })
}

impl Walker {
    fn push(&mut self, open: Open) {
        if open.block.is_some() || open.id.is_some() {
            self.flush();
        }
        self.skipping += usize::from(open.skip);
        self.in_main += usize::from(open.main);
        self.in_site_nav += usize::from(open.site_nav);
        self.in_chapter_link += usize::from(open.chapter_link);
        self.stack.push(open);
    }

    fn pop(&mut self) {
        let Some(top) = self.stack.last() else { return };
        if top.block.is_some() || top.id.is_some() {
            self.flush();
        }
        let open = self.stack.pop().expect("checked above");
        self.skipping -= usize::from(open.skip);
        self.in_main -= usize::from(open.main);
        self.in_site_nav -= usize::from(open.site_nav);
        self.in_chapter_link -= usize::from(open.chapter_link);
    }

    /// Ends the passage collected so far.
    fn flush(&mut self) {
        let text = collapse(&self.buf);
        self.buf.clear();
        if text.is_empty() {
            return;
        }
        let field = self.stack.iter().rev().find_map(|o| o.block).unwrap_or(Field::Body);
        let anchor = self.stack.iter().rev().find_map(|o| o.id.clone());
        if field == Field::Title && self.page.title.is_empty() {
            self.page.title = text.clone();
        }
        self.page.passages.push(Passage { field, anchor, text });
    }
}

/// Whitespace collapsed as a browser shows it, except that a line break between two Chinese
/// characters disappears (hard-wrapped Chinese source text has no spaces to keep).
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending: Option<bool> = None; // Some(has_newline) while inside whitespace
    for c in text.chars() {
        if c.is_whitespace() {
            let nl = c == '\n' || c == '\r';
            pending = Some(pending.unwrap_or(false) || nl);
            continue;
        }
        if let Some(nl) = pending.take() {
            let joined = nl && out.chars().last().is_some_and(is_han) && is_han(c);
            if !out.is_empty() && !joined {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html><html><head><title>T</title></head><body>
<header class="site-header"><a class="brand" href="x">2020 Report</a>
<nav class="site-nav"><ul><li><a href="a.html">Overview</a></li><li><a href="b.html" aria-current="page">Regional results</a></li></ul></nav></header>
<main id="main"><nav class="breadcrumbs"><ol><li>Home</li></ol></nav>
<header class="page-header"><h1>5G Deployment &amp; Use</h1></header>
<aside class="toc"><p>On this page</p></aside>
<section id="ranking" class="section level-2"><h2>Ranking <a class="anchor" href="#ranking">¶</a></h2>
<div class="prose"><p>Pudong leads,
followed by Xuhui.<br>Second line.</p><p>浦东新区
领先</p><ul><li>one <em>item</em></li></ul></div>
<div class="table-block" id="table-3-8"><p class="caption" id="table-3-8-caption"><span class="label">Table 3-8</span> Scores <a class="anchor" href="#t">¶</a></p>
<table><tr><td>99.12</td></tr></table></div>
<figure class="chart" id="figure-3-1"><div class="chart-body"><svg><title>svg title</title><text>axis</text></svg></div><figcaption>Map of scores <a class="png" href="p.png" download>PNG</a></figcaption></figure>
<dl class="stats"><div class="stat"><dt>City</dt><dd class="value">78.12</dd></div></dl>
<span class="visually-hidden">hidden</span>
</section></main><footer class="site-footer"><p>Footer</p></footer></body></html>"##;

    #[test]
    fn reads_what_the_reader_sees_with_anchors() {
        let page = page_text(PAGE);
        assert_eq!(page.title, "5G Deployment & Use");
        assert_eq!(page.chapter, "Regional results");
        let got: Vec<(Field, Option<&str>, &str)> =
            page.passages.iter().map(|p| (p.field, p.anchor.as_deref(), p.text.as_str())).collect();
        assert_eq!(
            got,
            [
                (Field::Title, None, "5G Deployment & Use"),
                (Field::Heading, Some("ranking"), "Ranking"),
                (Field::Body, Some("ranking"), "Pudong leads, followed by Xuhui. Second line."),
                (Field::Body, Some("ranking"), "浦东新区领先"),
                (Field::Body, Some("ranking"), "one item"),
                (Field::Caption, Some("table-3-8-caption"), "Table 3-8 Scores"),
                (Field::Caption, Some("figure-3-1"), "Map of scores"),
                (Field::Body, Some("ranking"), "City 78.12"),
            ]
        );
    }

    /// The short cuts (reading only the region, charts and tables cut out) change nothing.
    #[test]
    fn short_cuts_give_the_same_text() {
        assert_eq!(page_text(PAGE), walk(PAGE));
        assert!(region(PAGE).starts_with("<nav class=\"site-nav\">") && region(PAGE).ends_with("</main>"));
        assert_eq!(region("<p>no main</p>"), "<p>no main</p>");
    }

    #[test]
    fn skimming_cuts_charts_and_tables_only() {
        let html = "<p>a</p><svg width=\"1\"><text>x</text></svg><svgx>b</svgx><table><tr><td>9</td></tr></table><p>c</p>";
        assert_eq!(skim(html), "<p>a</p> <svgx>b</svgx> <p>c</p>");
        assert!(matches!(skim("<p>plain</p>"), Cow::Borrowed(_)));
        // Unclosed: the rest is cut, never a panic.
        assert_eq!(skim("<p>a</p><svg><text>"), "<p>a</p> ");
    }

    #[test]
    fn broken_markup_does_not_lose_later_text() {
        let page = page_text("<main><p>one <b>two</p><div><p>three</div></main>");
        let texts: Vec<&str> = page.passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["one two", "three"]);
    }
}
