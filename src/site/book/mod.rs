//! The print edition: the whole report of one edition and language as one typeset PDF
//! (`<year>/<lang>/report.pdf`), made from the same sections and blocks as the web pages, so
//! no number in the book is ever keyed in twice.
//!
//! - [`markup`]: user text and narrative Markdown → typst that can only be shown, never run;
//! - [`compose`]: sections and blocks → the book's body (one typst form per block kind);
//! - [`world`]: the typst compiler in process (fonts and figures in memory, no clock, no
//!   network) and the tagged PDF/UA-1 export.
//!
//! A typeset book is cached by the hash of everything it is made of (source, figures, fonts,
//! typst version), like the PNGs: a warm build reads the PDF from the cache.

mod compose;
mod markup;
mod world;

use crate::format::hex;
use crate::catalogue::NarrativeKey;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

pub(crate) use world::{BookFonts, forget_typesetting};

use super::view::EditionView;
use super::SiteError;
use crate::format;
use crate::model::Lang;

/// The name of the PDF in each edition's language folder.
pub const BOOK_FILE: &str = "report.pdf";

/// The page design (see the file for what it expects in front of it).
const DESIGN: &str = include_str!("book.typ");

/// Where typeset books are kept between builds (`None`: not kept).
#[derive(Debug, Clone, Default)]
pub struct BookCache {
    pub dir: Option<PathBuf>,
}

/// A typeset book.
pub(crate) struct Book {
    /// Site path ("2020/zh/report.pdf").
    pub path: String,
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// What the pages say of the book beside their title: "PDF 版（86 页，3.1 MB）".
pub(crate) fn link_label(v: &EditionView, book: &Book) -> Result<String, SiteError> {
    v.fill("book_pdf_link", &[("pages", &book.pages.to_string()), ("size", &format::file_size(book.pdf.len() as u64))])
}

/// Site path of the book of `v`'s edition and language.
pub(crate) fn book_path(v: &EditionView) -> String {
    v.path(BOOK_FILE)
}

/// Typesets the report of `v`'s edition and language: its chapters as the pages make them, and
/// the optional front matter (`content/<year>/<lang>/front.md`: a foreword, the committee).
pub(crate) fn make_edition_book(v: &EditionView, fonts: &BookFonts, cache: &BookCache) -> Result<Book, SiteError> {
    let chapters = super::pages::book_chapters(v)?;
    let front = v.narrative(NarrativeKey::Front)?;
    make(v, &chapters, front.as_ref(), fonts, cache)
}

/// Typesets the report of `v`'s edition and language from `chapters` (in book order).
pub(crate) fn make(v: &EditionView, chapters: &[super::pages::BookChapter], front: Option<&super::view::Narrative>, fonts: &BookFonts, cache: &BookCache) -> Result<Book, SiteError> {
    let year = v.ed.year;
    let fail = |message: String| SiteError::Print { year, lang: v.lang.code(), message };
    if fonts.is_empty() {
        return Err(fail("no fonts to typeset it with: the theme's assets/fonts/ holds no OpenType font".into()));
    }
    let mut body = compose::Body::default();
    let mut source = preamble(v, fonts)?;
    source.push_str(DESIGN);
    source.push_str(&cover(v, &mut body)?);
    if let Some(front) = front {
        let converted = markup::markdown(&front.print.markdown, 0);
        body.texts.push(front.print.markdown.clone());
        let _ = write!(source, "\n#block[{}]\n#pagebreak(weak: true)\n", converted.typst);
    }
    let _ = write!(
        source,
        "\n#counter(page).update(1)\n#body-state.update(true)\n#outline(title: {}, depth: 2, indent: auto)\n",
        markup::string(v.t("book_contents")?)
    );
    for chapter in chapters {
        body.chapter(chapter);
    }
    check_references(&body)?;
    check_coverage(&body, fonts).map_err(fail)?;
    source.push_str(&body.typst);

    let path = book_path(v);
    let key = cache_key(&source, &body.files, fonts);
    // The page count is kept beside the PDF: the pages link to the book with it.
    let cached = cache.dir.as_ref().map(|d| (d.join(format!("{}.pdf", hex(&key))), d.join(format!("{}.pages", hex(&key)))));
    if let Some((pdf_path, pages_path)) = &cached {
        let pages = std::fs::read_to_string(pages_path).ok().and_then(|s| s.trim().parse::<usize>().ok());
        let pdf = std::fs::read(pdf_path).ok().filter(|b| looks_complete_pdf(b));
        if let (Some(pages), Some(pdf)) = (pages, pdf) {
            return Ok(Book { path, pdf, pages });
        }
    }
    let ident = format!("cityreport/{year}/{}", v.lang.code());
    let typeset = world::typeset(&source, &body.files, fonts, &ident).map_err(fail)?;
    if let Some((pdf_path, pages_path)) = &cached {
        // A cache that cannot be written only makes the next build slower. The count first:
        // a PDF without it is never served.
        let _ = crate::chart::write_atomically(pages_path, typeset.pages.to_string().as_bytes()).and_then(|_| crate::chart::write_atomically(pdf_path, &typeset.pdf));
    }
    Ok(Book { path, pdf: typeset.pdf, pages: typeset.pages })
}

/// The values the page design expects, as typst `let`s of string literals.
fn preamble(v: &EditionView, fonts: &BookFonts) -> Result<String, SiteError> {
    let split = |key: &str| -> Result<String, SiteError> {
        let filled = v.t(key)?;
        let (before, after) = filled.split_once("{n}").unwrap_or((filled, ""));
        Ok(format!("({}, {})", markup::string(before), markup::string(after)))
    };
    let (lang, region, indent) = match v.lang {
        Lang::Zh => ("zh", "cn", "2em"),
        Lang::En => ("en", "gb", "0em"),
    };
    let families: Vec<String> = fonts.families().iter().map(|f| markup::string(f)).collect();
    let author = v.ed.publisher.as_ref().map(|p| p.get(v.lang)).unwrap_or("");
    let mut out = String::new();
    let _ = writeln!(out, "#let book-title = {}", markup::string(v.ed.title.get(v.lang)));
    let _ = writeln!(out, "#let book-author = {}", markup::string(author));
    let _ = writeln!(out, "#let book-keywords = ({}, {})", markup::string(&v.ed.year.to_string()), markup::string(v.ind_name(0)));
    let _ = writeln!(out, "#let book-lang = \"{lang}\"\n#let book-region = \"{region}\"\n#let first-indent = {indent}");
    let _ = writeln!(out, "#let book-fonts = ({},)", families.join(", "));
    let _ = writeln!(out, "#let page-label = {}", split("book_page")?);
    let _ = writeln!(out, "#let pageref-label = {}", split("book_pageref")?);
    Ok(out)
}

/// The cover: title, subtitle, publisher and date as `edition.toml` gives them.
fn cover(v: &EditionView, body: &mut compose::Body) -> Result<String, SiteError> {
    let mut keep = |s: &str| {
        body.texts.push(s.to_string());
        markup::text(s)
    };
    let mut out = String::from("\n#page(header: none, footer: none)[\n#set par(first-line-indent: 0pt, justify: false)\n#v(5cm)\n");
    let _ = writeln!(out, "#text(size: 24pt, weight: \"bold\")[{}]\n", keep(v.ed.title.get(v.lang)));
    if let Some(sub) = &v.ed.subtitle {
        let _ = writeln!(out, "#v(0.6cm)\n#text(size: 14pt)[{}]\n", keep(sub.get(v.lang)));
    }
    let _ = writeln!(out, "#v(1fr)");
    if let Some(publisher) = &v.ed.publisher {
        let _ = writeln!(out, "#text(size: 12pt)[{}]\n", keep(publisher.get(v.lang)));
    }
    if let Some(date) = v.opts.published.as_deref().or(v.ed.publication.date.as_deref()) {
        let _ = writeln!(out, "#v(0.3cm)\n#text(size: 12pt)[{}]\n", keep(&format::date(date, v.lang)));
    }
    out.push_str("#v(2cm)\n]\n");
    Ok(out)
}

/// Every table or figure the narrative names must be in the book: a reference to one that is
/// not is an error at the file and line that makes it.
fn check_references(body: &compose::Body) -> Result<(), SiteError> {
    let anchors: BTreeSet<&str> = body.anchors.iter().map(String::as_str).collect();
    for r in &body.refs {
        if anchors.contains(r.anchor.as_str()) {
            continue;
        }
        let message = format!(
            "“{}” names a {} this edition's report does not have (tables and figures are numbered as in the print: see the site's captions); correct the number or write it without one",
            r.shown,
            if r.anchor.starts_with("table") { "table" } else { "figure" },
        );
        return Err(SiteError::Content { file: r.file.clone(), line: r.line, column: r.column, message });
    }
    Ok(())
}

/// A character none of the fonts has would print as an empty box: an error naming it and the
/// text it is in.
fn check_coverage(body: &compose::Body, fonts: &BookFonts) -> Result<(), String> {
    let mut checked = BTreeSet::new();
    for text in &body.texts {
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || !checked.insert(c) || fonts.covers(c) {
                continue;
            }
            let at = text.find(c).unwrap_or(0);
            let start = text[..at].char_indices().rev().nth(15).map_or(0, |(i, _)| i);
            let context: String = text[start..].chars().take(32).collect();
            return Err(format!(
                "the character “{c}” (U+{:04X}) in “{context}” is in none of the fonts the book is set in; write it another way, or add a font that has it to the theme's assets/fonts/",
                c as u32
            ));
        }
    }
    Ok(())
}

fn cache_key(source: &str, files: &[(String, Vec<u8>)], fonts: &BookFonts) -> [u8; 32] {
    let mut h = Sha256::new();
    // Bump the tag whenever the typesetting changes in ways the inputs do not show.
    h.update(b"cityreport-book-v1\0typst-0.15.1\0");
    h.update((source.len() as u64).to_le_bytes());
    h.update(source.as_bytes());
    for (path, bytes) in files {
        h.update((path.len() as u64).to_le_bytes());
        h.update(path.as_bytes());
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    h.update(fonts.hash());
    h.finalize().into()
}


/// A cached PDF cut short by a killed build is not served.
fn looks_complete_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF")
}
