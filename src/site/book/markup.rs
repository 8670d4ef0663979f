//! Text into typst source that typst can only ever show, never run.
//!
//! Everything a user wrote (narrative, names in the data, captions) reaches the typst source as a
//! string literal — `#"…";` in markup, `"…"` in code — where only the backslash, the quote and
//! control characters mean anything, and those are escaped here. No `#`, `$`, `@`, `<`, `*`, `_`,
//! `//` or `=` in a name can start markup, a comment, a label or code. Narrative Markdown becomes
//! typst content through pulldown-cmark's events (never by rewriting the Markdown as typst
//! markup), with the same rules the web uses: raw HTML shown as text, links only to http(s) and
//! mailto (a link to a page of the site prints as its text), no images from elsewhere.

use std::fmt::Write;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// `text` as a typst string literal, quotes included.
pub(crate) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            // Tabs and other controls are never meant as such in a name or a sentence.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as content in markup: an embedded string expression, closed by `;` so that what
/// follows (a `.`, a `(`, a `[`) cannot continue it.
pub(crate) fn text(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("#{};", string(text))
}

/// A place in the narrative that names a table or figure of the book ("表 3-5", "Figure 2-1"),
/// found while converting it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CrossRef {
    /// The anchor it points at ("table-3-5"), as the site names it.
    pub anchor: String,
    /// The words as written ("表 3-5").
    pub shown: String,
    /// Byte offset in the Markdown.
    pub at: usize,
}

/// What a narrative became, and the tables and figures it refers to.
pub(crate) struct Converted {
    pub typst: String,
    pub refs: Vec<CrossRef>,
}

/// Narrative Markdown (shortcodes already expanded) as typst content, placed under a heading of
/// level `enclosing` (0: none). Its `##` headings go one level below that, and no heading goes
/// more than one level below the one before it: an accessible PDF's outline has no gaps.
pub(crate) fn markdown(md: &str, enclosing: u8) -> Converted {
    let heading_shift = enclosing.saturating_sub(1);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(md, options).into_offset_iter().collect();
    // Footnotes are printed where they are referenced, so their text is needed first.
    let mut notes = std::collections::BTreeMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = &events[i].0 {
            let depth_start = i;
            let mut depth = 0;
            let mut j = i;
            loop {
                match &events[j].0 {
                    Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                    Event::End(TagEnd::FootnoteDefinition) => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
                if j >= events.len() {
                    break;
                }
            }
            let mut w = Writer::new(heading_shift);
            for (e, range) in &events[depth_start + 1..j.min(events.len())] {
                w.event(e, range.start);
            }
            notes.insert(label.to_string(), w);
            i = j + 1;
            continue;
        }
        i += 1;
    }
    let mut w = Writer::new(heading_shift);
    let mut in_note = 0usize;
    for (e, range) in &events {
        match e {
            Event::Start(Tag::FootnoteDefinition(_)) => in_note += 1,
            Event::End(TagEnd::FootnoteDefinition) => in_note = in_note.saturating_sub(1),
            _ if in_note > 0 => {}
            Event::FootnoteReference(label) => match notes.get(label.as_ref()) {
                Some(note) => {
                    let body = note.out.trim().to_string();
                    w.out.push_str(&format!("#footnote[{body}]"));
                    w.refs.extend(note.refs.iter().cloned());
                }
                None => w.out.push_str(&text(&format!("[^{label}]"))),
            },
            e => w.event(e, range.start),
        }
    }
    Converted { typst: w.out, refs: w.refs }
}

/// Turns events into typst, keeping track of what is open.
struct Writer {
    out: String,
    refs: Vec<CrossRef>,
    heading_shift: u8,
    /// Open containers needing a closing text: lists, items, table parts, links.
    closers: Vec<&'static str>,
    /// The last character written, to join Chinese lines without a space.
    last_char: Option<char>,
    /// The level of the last heading, so the next is at most one deeper.
    last_level: u8,
}

impl Writer {
    fn new(heading_shift: u8) -> Self {
        Writer {
            out: String::new(),
            refs: Vec::new(),
            heading_shift,
            closers: Vec::new(),
            last_char: None,
            last_level: heading_shift + 1,
        }
    }

    fn push_text(&mut self, s: &str, at: usize) {
        if s.is_empty() {
            return;
        }
        for (piece, anchor) in split_refs(s) {
            match anchor {
                Some(anchor) => {
                    let _ = write!(self.out, "#pageref(<{anchor}>, {});", string(piece));
                    self.refs.push(CrossRef { anchor, shown: piece.to_string(), at });
                }
                None => self.out.push_str(&text(piece)),
            }
        }
        self.last_char = s.chars().last();
    }

    fn event(&mut self, event: &Event, at: usize) {
        match event {
            // Raw HTML is shown as text, as on the web; an image keeps its alt text.
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => self.push_text(t, at),
            Event::Code(t) => {
                let _ = write!(self.out, "#raw({});", string(t));
            }
            Event::SoftBreak => {
                // Chinese lines join without a space; other scripts with one.
                let next_is_cjk = false;
                if !self.last_char.is_some_and(is_cjk) || next_is_cjk {
                    self.out.push(' ');
                }
            }
            Event::HardBreak => self.out.push_str("#linebreak();"),
            Event::Rule => self.out.push_str("\n#line(length: 100%, stroke: 0.5pt + luma(60%))\n"),
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(t, at),
        }
    }

    fn start(&mut self, tag: &Tag) {
        match tag {
            Tag::Paragraph => self.out.push_str("\n\n"),
            Tag::Heading { level, .. } => {
                let level = (heading_number(*level) + self.heading_shift).clamp(self.heading_shift + 1, self.last_level + 1).min(6);
                self.last_level = level;
                let _ = write!(self.out, "\n\n#heading(level: {level}, outlined: false)[");
            }
            Tag::BlockQuote(_) => self.out.push_str("\n\n#quote(block: true)["),
            Tag::CodeBlock(_) => self.out.push_str("\n\n#block(fill: luma(95%), inset: 6pt)["),
            Tag::List(Some(start)) => {
                let _ = write!(self.out, "\n\n#enum(start: {start}, ");
            }
            Tag::List(None) => self.out.push_str("\n\n#list("),
            Tag::Item => self.out.push('['),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Link { dest_url, .. } => {
                let url = dest_url.to_string();
                if is_external(&url) {
                    let _ = write!(self.out, "#link({})[", string(&url));
                    self.closers.push("]");
                } else {
                    // A page of the site: the PDF has no such page, so the words stand alone.
                    self.out.push('[');
                    self.closers.push("]");
                }
            }
            Tag::Image { .. } => {
                self.out.push_str("#emph[");
            }
            Tag::Table(alignments) => {
                let _ = write!(self.out, "\n\n#table(columns: {}, ", alignments.len().max(1));
            }
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => self.out.push('['),
            Tag::FootnoteDefinition(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
            Tag::DefinitionList | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => self.out.push_str("\n\n"),
            Tag::Superscript => self.out.push_str("#super["),
            Tag::Subscript => self.out.push_str("#sub["),
        }
    }

    fn end(&mut self, tag: &TagEnd) {
        match tag {
            TagEnd::Paragraph => self.out.push_str("\n\n"),
            TagEnd::Heading(_) => self.out.push_str("]\n\n"),
            TagEnd::BlockQuote(_) | TagEnd::CodeBlock => self.out.push_str("]\n\n"),
            TagEnd::List(_) => self.out.push_str(")\n\n"),
            TagEnd::Item => self.out.push_str("], "),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Superscript | TagEnd::Subscript => {
                self.out.push(']')
            }
            TagEnd::Link => {
                let closer = self.closers.pop().unwrap_or("]");
                self.out.push_str(closer);
            }
            TagEnd::Image => {
                self.out.push(']');
            }
            TagEnd::Table => self.out.push_str(")\n\n"),
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::TableRow => {}
            TagEnd::TableCell => self.out.push_str("], "),
            TagEnd::FootnoteDefinition | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {}
            TagEnd::DefinitionList | TagEnd::DefinitionListTitle | TagEnd::DefinitionListDefinition => self.out.push_str("\n\n"),
        }
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"].iter().any(|s| lower.starts_with(s))
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Splits text at the names of tables and figures ("表 3-5", "表3-5", "图 2-1", "Table 3-5",
/// "Figure 2-1", "Fig. 2-1"): each piece comes with the anchor it names, if it is one.
pub(crate) fn split_refs(s: &str) -> Vec<(&str, Option<String>)> {
    const WORDS: [(&str, &str); 5] = [("表", "table"), ("图", "figure"), ("Table", "table"), ("Figure", "figure"), ("Fig.", "figure")];
    let mut out = Vec::new();
    let mut rest_start = 0;
    let mut i = 0;
    while i < s.len() {
        let here = &s[i..];
        let found = WORDS.iter().find_map(|(word, kind)| {
            let after = here.strip_prefix(word)?;
            // A word, not the end of a longer one ("Timetable 3-1" is no reference).
            if word.is_ascii() && s[..i].chars().last().is_some_and(|c| c.is_ascii_alphabetic()) {
                return None;
            }
            let spaces = after.len() - after.trim_start_matches([' ', '\u{a0}']).len();
            let number = &after[spaces..];
            let digits1 = number.bytes().take_while(u8::is_ascii_digit).count();
            if digits1 == 0 || number.as_bytes().get(digits1) != Some(&b'-') {
                return None;
            }
            let digits2 = number[digits1 + 1..].bytes().take_while(u8::is_ascii_digit).count();
            if digits2 == 0 || number[digits1 + 1 + digits2..].starts_with(|c: char| c.is_ascii_digit() || c == '-') {
                return None;
            }
            let len = word.len() + spaces + digits1 + 1 + digits2;
            Some((len, format!("{kind}-{}", &number[..digits1 + 1 + digits2])))
        });
        match found {
            Some((len, anchor)) => {
                if rest_start < i {
                    out.push((&s[rest_start..i], None));
                }
                out.push((&s[i..i + len], Some(anchor)));
                i += len;
                rest_start = i;
            }
            None => i += here.chars().next().map_or(1, char::len_utf8),
        }
    }
    if rest_start < s.len() {
        out.push((&s[rest_start..], None));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_only_what_strings_read() {
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("x\ny\tz"), "\"x\\ny z\"");
        assert_eq!(text("#set page(width: 1cm) $x$ @y <z> *b* _i_ // c = h"), "#\"#set page(width: 1cm) $x$ @y <z> *b* _i_ // c = h\";");
    }

    #[test]
    fn references_are_found_with_their_anchor() {
        let parts = split_refs("见表 3-5 和图2-1，Table 1-2; timetable 4-4, 表 3 and Figure 12-30.");
        let anchors: Vec<_> = parts.iter().filter_map(|(t, a)| a.as_ref().map(|a| (*t, a.as_str()))).collect();
        assert_eq!(anchors, vec![("表 3-5", "table-3-5"), ("图2-1", "figure-2-1"), ("Table 1-2", "table-1-2"), ("Figure 12-30", "figure-12-30")]);
        let joined: String = parts.iter().map(|(t, _)| *t).collect();
        assert_eq!(joined, "见表 3-5 和图2-1，Table 1-2; timetable 4-4, 表 3 and Figure 12-30.");
    }

    #[test]
    fn markdown_structure_becomes_typst_and_text_stays_text() {
        let c = markdown("Intro *em* **strong** [site](../x.html) [web](https://example.org)\n\n- one\n- two `#code`\n\n## Sub\n\n<b>html</b> #let x = 1\n", 2);
        assert!(c.typst.contains("#emph[#\"em\";]"), "{}", c.typst);
        assert!(c.typst.contains("#strong[#\"strong\";]"), "{}", c.typst);
        assert!(c.typst.contains("#link(\"https://example.org\")[#\"web\";]"), "{}", c.typst);
        assert!(!c.typst.contains("../x.html"), "{}", c.typst);
        assert!(c.typst.contains("#list([#\"one\";], [#\"two \";#raw(\"#code\");], )"), "{}", c.typst);
        assert!(c.typst.contains("#heading(level: 3, outlined: false)[#\"Sub\";]"), "{}", c.typst);
        assert!(c.typst.contains("#\"<b>\";#\"html\";#\"</b>\";#\" #let x = 1\";"), "{}", c.typst);
    }

    #[test]
    fn cross_references_are_recorded() {
        let c = markdown("如表 3-5 所示。\n\n[^n]: 见图 2-1。\n\n正文[^n]", 0);
        let anchors: Vec<_> = c.refs.iter().map(|r| r.anchor.as_str()).collect();
        assert_eq!(anchors, vec!["table-3-5", "figure-2-1"]);
        assert!(c.typst.contains("#pageref(<table-3-5>, \"表 3-5\");"), "{}", c.typst);
        assert!(c.typst.contains("#footnote["), "{}", c.typst);
    }
}
