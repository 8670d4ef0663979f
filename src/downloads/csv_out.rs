//! The one place that writes a CSV download: UTF-8 with a BOM (see [`super::UTF8_BOM`]), `\n`
//! line ends, and every text cell neutralised against formula injection.
//!
//! Excel, LibreOffice and Google Sheets run a cell starting with `=`, `+`, `-` or `@` as a
//! formula (`=HYPERLINK(…)`, `=cmd|…`), and also one that starts with a tab or carriage return
//! before such a sign. Names, units, sources and `as_printed` texts come from the analysts'
//! files, which may be copied from anywhere, so a text cell starting with any of those six
//! characters gets a leading `'` (OWASP's advice for CSV injection): a spreadsheet shows the
//! text as typed, a script sees the `'` and can strip it. Numbers are written as numbers — a
//! negative value or a `+1.25` change must stay a number — so every cell says which it is.

/// A cell of a CSV download.
pub(crate) enum Cell<'a> {
    /// Text from the inputs (an id, a name, a source): neutralised if it could run as a formula.
    Text(&'a str),
    /// A number (or an empty cell) the tool formatted itself: written as is.
    Num(String),
}

/// The characters that make a spreadsheet read a cell as a formula (or hide one behind them).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text`, with a leading `'` when a spreadsheet would run it as a formula.
pub(crate) fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) { format!("'{text}").into() } else { text.into() }
}

/// A CSV download being written into memory.
pub(crate) struct CsvOut {
    w: csv::Writer<Vec<u8>>,
}

impl CsvOut {
    /// A new file with its header (the tool's own column names, written as they are).
    pub(crate) fn new<'h>(header: impl IntoIterator<Item = &'h str>) -> Self {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(super::UTF8_BOM.to_vec());
        w.write_record(header).expect("writing to memory");
        CsvOut { w }
    }

    pub(crate) fn row<'a>(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) {
        let record: Vec<std::borrow::Cow<'_, str>> = cells
            .into_iter()
            .map(|c| match c {
                Cell::Text(t) => neutralise(t),
                Cell::Num(n) => n.into(),
            })
            .collect();
        self.w.write_record(record.iter().map(|c| c.as_bytes())).expect("writing to memory");
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.w.into_inner().expect("writing to memory")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_gets_a_quote_numbers_do_not() {
        for bad in ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for fine in ["Hill", "浦东", "", " =1", "1-2", "'quoted"] {
            assert_eq!(neutralise(fine), fine);
        }
        let mut out = CsvOut::new(["name", "value"]);
        out.row([Cell::Text("=1+1"), Cell::Num("-3.5".into())]);
        out.row([Cell::Text("-minus"), Cell::Num("+1.25".into())]);
        let text = String::from_utf8(out.finish()).unwrap();
        assert_eq!(text, "\u{feff}name,value\n'=1+1,-3.5\n'-minus,+1.25\n");
    }
}
