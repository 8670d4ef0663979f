//! Errors an analyst can act on: which file, which line, what is wrong, what to do.

use std::fmt;

use annotate_snippets::{AnnotationKind, Element, Level, Origin, Renderer, Snippet};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One problem found in a project's input files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic { file: file.as_ref().to_path_buf(), line: None, column: None, message: message.into(), help: None }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Places the diagnostic at a byte offset of `text` (the file's contents).
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        self.at(line, column)
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// Shown as rustc shows errors: the message, `--> file:line:column`, the offending line from
    /// the file with a marker under the spot, and the help. Plain text (no colour codes), so it
    /// reads the same in a terminal, a log, a test and the preview's overlay.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = self.line.and_then(|line| source_line(&self.file, line));
        self.render(f, source)
    }
}

impl Diagnostic {
    /// Writes the diagnostic with `source`, its line's text (read by the caller, so that many
    /// diagnostics of one file read it once).
    fn render(&self, f: &mut fmt::Formatter<'_>, source: Option<String>) -> fmt::Result {
        let path = self.file.display().to_string();
        let located = match (&source, self.line) {
            (Some(text), Some(line)) => {
                let span = marker_span(text, self.column);
                Element::from(Snippet::source(text.as_str()).line_start(line).path(path.as_str()).annotation(AnnotationKind::Primary.span(span)))
            }
            _ => {
                let mut origin = Origin::path(path.as_str());
                if let Some(line) = self.line {
                    origin = origin.line(line);
                    if let Some(column) = self.column {
                        origin = origin.char_column(column);
                    }
                }
                Element::from(origin)
            }
        };
        let mut group = Level::ERROR.primary_title(self.message.as_str()).element(located);
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        f.write_str(&Renderer::plain().render(&[group]))
    }
}

/// Line `line` (1-based) of `file` as the analyst sees it (a BOM or CR dropped, any encoding
/// shown lossily), if the file can be read and has that line.
fn source_line(file: &Path, line: usize) -> Option<String> {
    source_lines(file, &BTreeSet::from([line])).remove(&line)
}

/// Lines `lines` (1-based) of `file`, reading it once. None for a workbook: its "lines" are
/// rows of a zip archive's bytes, which mean nothing to a reader (the message names the sheet
/// and the cell instead).
fn source_lines(file: &Path, lines: &BTreeSet<usize>) -> BTreeMap<usize, String> {
    let binary = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let Some(bytes) = (!binary && !lines.is_empty()).then(|| std::fs::read(file).ok()).flatten() else {
        return BTreeMap::new();
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let last = lines.last().copied().unwrap_or(0);
    bytes
        .split(|&b| b == b'\n')
        .take(last)
        .enumerate()
        .filter(|(i, _)| lines.contains(&(i + 1)))
        .map(|(i, raw)| (i + 1, String::from_utf8_lossy(raw).trim_end_matches('\r').to_string()))
        .collect()
}

/// Byte range of `text` to underline: the word starting at 1-based character `column` (a single
/// character when it is punctuation), or the whole line when there is no column.
fn marker_span(text: &str, column: Option<usize>) -> std::ops::Range<usize> {
    let Some(column) = column else {
        let start = text.len() - text.trim_start().len();
        return start..text.trim_end().len().max(start);
    };
    let Some((start, first)) = text.char_indices().nth(column.saturating_sub(1)) else {
        return text.len()..text.len(); // just past the end: a marker after the last character
    };
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '-';
    if first == '"' {
        // A quoted string: up to its closing quote, when it has one on this line.
        if let Some(len) = text[start + 1..].find('"') {
            return start..start + len + 2;
        }
    }
    if !is_word(first) {
        return start..start + first.len_utf8();
    }
    let end = text[start..].char_indices().find(|&(_, c)| !is_word(c)).map_or(text.len(), |(i, _)| start + i);
    start..end
}

/// How many problems a message shows; the rest are counted ("… and 79950 more"). A file with
/// a wrong column gives one problem per row: tens of thousands, which no one reads past the
/// first screen, and which took minutes to print.
pub const SHOWN: usize = 50;

/// How many problems are kept (beyond those shown, for code that picks among them); the rest
/// are only counted, so a huge broken file does not hold a message per row in memory.
const KEPT: usize = 1000;

/// Every problem found in one pass, so an analyst can fix them all before the next run (the
/// first [`SHOWN`] of them are printed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>, usize);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        if self.0.len() < KEPT {
            self.0.push(d);
        } else {
            self.1 += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of problems found, including those only counted.
    pub fn len(&self) -> usize {
        self.0.len() + self.1
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.1 += other.1;
        for d in other.0 {
            self.push(d);
        }
    }

    /// `Ok(value)` when nothing was reported, otherwise every diagnostic.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d], 0)
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(ds: Vec<Diagnostic>) -> Self {
        let mut all = Diagnostics::default();
        ds.into_iter().for_each(|d| all.push(d));
        all
    }
}

impl fmt::Display for Diagnostics {
    /// The first [`SHOWN`] problems, each file read once for the lines they show, then how
    /// many more there are: linear in the file's size, whatever the number of problems.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.0[..self.0.len().min(SHOWN)];
        let mut wanted: BTreeMap<&Path, BTreeSet<usize>> = BTreeMap::new();
        for d in shown {
            if let Some(line) = d.line {
                wanted.entry(d.file.as_path()).or_default().insert(line);
            }
        }
        let mut sources: BTreeMap<&Path, BTreeMap<usize, String>> =
            wanted.into_iter().map(|(file, lines)| (file, source_lines(file, &lines))).collect();
        for (i, d) in shown.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            let source = d.line.and_then(|l| sources.get_mut(d.file.as_path())?.get(&l).cloned());
            d.render(f, source)?;
        }
        let more = self.len() - shown.len();
        if more > 0 {
            write!(f, "\n\n… and {more} more error{} (the first {SHOWN} are shown: fix them and run again to see the rest)", if more == 1 { "" } else { "s" })?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "did you mean" suggestion: the closest known id, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let text = "a = 1\n名称 = x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(line_column(text, offset), (2, 6));
        assert_eq!(line_column(text, 0), (1, 1));
    }

    #[test]
    fn suggests_close_ids_only() {
        let known = ["pudong", "huangpu", "jingan"];
        assert_eq!(did_you_mean("pudnog", known).as_deref(), Some("pudong"));
        assert_eq!(did_you_mean("zzzz", known), None);
    }

    #[test]
    fn display_without_the_file_names_file_line_and_help() {
        let d = Diagnostic::new("no/such/values.csv", "bad value").at(3, 2).help("fix it");
        assert_eq!(d.to_string(), "error: bad value\n--> no/such/values.csv:3:2\n = help: fix it");
        let d = Diagnostic::new("no/such/folder", "missing");
        assert_eq!(d.to_string(), "error: missing\n--> no/such/folder");
    }

    #[test]
    fn display_shows_the_line_with_a_marker_under_the_spot() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("values.csv");
        std::fs::write(&file, "\u{feff}district,indicator,value\r\nhuangpuu,5g,1\r\n").unwrap();
        let shown = Diagnostic::new(&file, "unknown district \"huangpuu\"").at(2, 1).help("did you mean \"huangpu\"?").to_string();
        let expected = format!(
            "error: unknown district \"huangpuu\"\n --> {}:2:1\n  |\n2 | huangpuu,5g,1\n  | ^^^^^^^^\n  |\n  = help: did you mean \"huangpu\"?",
            file.display()
        );
        assert_eq!(shown, expected);
        assert!(!shown.contains('\u{1b}'), "no colour codes");

        // A line without a column underlines the whole line; punctuation gets one mark.
        let shown = Diagnostic::new(&file, "m").at_line(2).to_string();
        assert!(shown.contains("2 | huangpuu,5g,1\n  | ^^^^^^^^^^^^^"), "{shown}");
        let shown = Diagnostic::new(&file, "m").at(2, 9).to_string();
        assert!(shown.ends_with("2 | huangpuu,5g,1\n  |         ^"), "{shown}");
    }

    /// 80,000 bad rows: the message shows the first SHOWN with their lines, then counts the
    /// rest; the file is read once (a failure here was minutes of rereading it per row).
    #[test]
    fn many_problems_are_capped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("values.csv");
        let text: String = (0..80_000).map(|i| format!("d{i},x,oops\n")).collect();
        std::fs::write(&file, &text).unwrap();
        let mut ds = Diagnostics::default();
        for line in 1..=80_000 {
            ds.push(Diagnostic::new(&file, format!("bad row {line}")).at_line(line).help("fix it"));
        }
        assert_eq!(ds.len(), 80_000);
        assert_eq!(ds.0.len(), KEPT, "the rest are only counted");
        let shown = ds.to_string();
        assert_eq!(shown.matches("error: bad row").count(), SHOWN);
        assert!(shown.contains("50 | d49,x,oops"), "lines are shown: {shown}");
        assert!(!shown.contains("bad row 51\n"), "{shown}");
        assert!(shown.ends_with("… and 79950 more errors (the first 50 are shown: fix them and run again to see the rest)"), "{shown}");
        let mut other = Diagnostics::default();
        other.extend(ds);
        assert_eq!(other.len(), 80_000, "extend keeps the count");
    }

    #[test]
    fn a_workbook_shows_no_zip_bytes_as_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("values.xlsx");
        std::fs::write(&file, b"PK\x03\x04zip\nbytes here\n").unwrap();
        let shown = Diagnostic::new(&file, "sheet values, cell C2: bad").at(2, 3).help("h").to_string();
        assert!(!shown.contains("bytes here"), "{shown}");
        assert!(shown.contains("values.xlsx:2:3"), "{shown}");
    }

    #[test]
    fn marker_spans_cover_words_and_stay_in_the_line() {
        assert_eq!(marker_span("a = \"9/40", Some(5)), 4..5);
        assert_eq!(marker_span("id = \"x y\" # c", Some(6)), 5..10);
        assert_eq!(marker_span("名称 = x", Some(1)), 0..6);
        assert_eq!(marker_span("ab", Some(9)), 2..2);
        assert_eq!(marker_span("  ab  ", None), 2..4);
        assert_eq!(marker_span("", None), 0..0);
    }
}
