//! The typst compiler, in process: a [`World`] that holds the book's source, its figures and
//! the fonts in memory. It reads no file, knows no date (the PDF carries none) and fetches no
//! package, so the same book gives the same bytes on any machine.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst_layout::PagedDocument;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};

/// The typst standard library, made once per process.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Fonts for the book, from the same files the figures use.
pub(crate) struct BookFonts {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
    /// SHA-256 of every font file, for the cache key.
    hash: [u8; 32],
}

impl BookFonts {
    /// The fonts in `files` (OpenType or TrueType; collections give every face).
    pub(crate) fn new(files: &[&[u8]]) -> Self {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for bytes in files {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        let fonts: Vec<Font> = files.iter().flat_map(|bytes| Font::iter(Bytes::new(bytes.to_vec()))).collect();
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        BookFonts { fonts, book, hash: h.finalize().into() }
    }

    pub(crate) fn hash(&self) -> [u8; 32] {
        self.hash
    }

    /// The font families, in the order of the files (the shipped font first): the book asks
    /// for them in this order, so a project's own font only fills what the first lacks.
    pub(crate) fn families(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for f in &self.fonts {
            let family = f.info().family.clone();
            if !out.contains(&family) {
                out.push(family);
            }
        }
        out
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fonts.is_empty()
    }

    /// Whether any of the fonts has a glyph for `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.fonts.iter().any(|f| f.info().coverage.contains(c as u32))
    }
}

struct BookWorld<'a> {
    main: Source,
    files: HashMap<FileId, Bytes>,
    fonts: &'a BookFonts,
}

fn file_id(path: &str) -> FileId {
    // Paths are made by the book itself ("/main.typ", "/figures/12.svg"): always valid.
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| VirtualPath::new("/invalid").expect("a plain path is valid"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for BookWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }
    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A typeset PDF and its number of pages.
pub(crate) struct Typeset {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// Typesets `source` with `files` (path → bytes, e.g. the figures' SVG) into a tagged PDF.
/// `ident` names the document stably (the PDF's identifier is a hash of it).
pub(crate) fn typeset(source: &str, files: &[(String, Vec<u8>)], fonts: &BookFonts, ident: &str) -> Result<Typeset, String> {
    let main = Source::new(file_id("/main.typ"), source.to_string());
    let files = files.iter().map(|(path, bytes)| (file_id(path), Bytes::new(bytes.clone()))).collect();
    let world = BookWorld { main, files, fonts };
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled.output.map_err(|errors| describe(&world, &errors[..]))?;
    let standards = typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1]).map_err(|e| e.message().to_string())?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("cityreport {}", env!("CARGO_PKG_VERSION")))),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    let pdf = typst_pdf::pdf(&document, &options).map_err(|errors| describe(&world, &errors[..]))?;
    Ok(Typeset { pages: document.pages().len(), pdf })
}

/// Drops what typst memoised while typesetting (its caches are global to the process), once no
/// book is being typeset.
pub(crate) fn forget_typesetting() {
    typst::comemo::evict(0);
}

/// typst's errors with the line of the book's source they point at (a fault of this module,
/// not of the user's text, which is always a string literal).
fn describe(world: &BookWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .take(5)
        .map(|e| {
            let at = world
                .range(e.span)
                .map(|r| {
                    let text = world.main.text();
                    let line = text[..r.start].matches('\n').count() + 1;
                    let snippet: String = text[r.start..].chars().take(80).collect();
                    format!(" (book source line {line}: {snippet})")
                })
                .unwrap_or_default();
            let hints: String = e.hints.iter().map(|h| format!("; hint: {}", h.v)).collect();
            format!("{}{at}{hints}", e.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
