//! `values.xlsx`: the values table as an Excel workbook, read with `calamine` (maintained, pure
//! Rust, reads the cached results of formulas). The sheet named `values` is read, else the first
//! sheet; its first non-empty row is the header, and the columns district, indicator and value
//! are found by name as in `values.csv`. Values may be numbers or numeric text.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, XlsxError};

use super::{column_letters, RawRow};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// The first bytes of an OLE compound file: what Excel writes for a password-protected
/// (encrypted) workbook and for the old binary `.xls` format, neither of which is an `.xlsx`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const COLUMNS: [&str; 3] = ["district", "indicator", "value"];

/// A worksheet's size in Excel (rows 1–1,048,576, columns A–XFD): a cell beyond it is a damaged
/// or crafted file.
const EXCEL_ROWS: u32 = 1_048_576;
const EXCEL_COLUMNS: u32 = 16_384;

/// Filled cells read from the values sheet at most (documented in docs/data-formats.md): a
/// values table of 300 districts × 1,000 indicators with three columns fits; a sheet past it
/// would only fill memory.
const MAX_CELLS: usize = 1_000_000;

pub(super) fn read_rows(path: &Path, bytes: &[u8], sink: &mut dyn FnMut(RawRow)) -> Result<(), Diagnostics> {
    match contained(|| read_sheet(path, bytes, sink)) {
        Ok(read) => read,
        Err(why) => Err(Diagnostic::new(path, format!("the file cannot be read as an Excel workbook ({why})"))
            .help("the workbook is damaged or was not written by a spreadsheet program: open it in Excel and save it again, or give the values as values.csv")
            .into()),
    }
}

/// Runs `f`, turning a panic inside it into an error, without the panic's message on stderr.
/// calamine 0.38 parses cell references (`r="AAAAAAAD2"`) with unchecked `u32` arithmetic: with
/// overflow checks on (test and fuzzing builds) a reference of 7 letters or 10 digits panics
/// inside it (in release builds it wraps, and `read_sheet` refuses the cell as out of range).
/// Only the reading of an input file is guarded this way; a panic elsewhere stays a bug.
fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    use std::cell::Cell;
    use std::sync::Once;
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|panic| {
        let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
        format!("the reader stopped: {}", what.unwrap_or_else(|| "malformed content".into()))
    })
}

fn read_sheet(path: &Path, bytes: &[u8], sink: &mut dyn FnMut(RawRow)) -> Result<(), Diagnostics> {
    let protected = || {
        Diagnostic::new(path, "the workbook is password-protected (encrypted) or in the old .xls format, so it cannot be read")
            .help("open it in Excel, remove the password (File → Info → Protect Workbook) and save it as an Excel Workbook (.xlsx)")
    };
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(protected().into());
    }
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(w) => w,
        Err(XlsxError::Password) => return Err(protected().into()),
        Err(e) => return Err(corrupt(path, None, e).into()),
    };
    let names = workbook.sheet_names();
    let Some(sheet) = names.iter().find(|n| n.trim().eq_ignore_ascii_case("values")).or(names.first()).cloned() else {
        return Err(Diagnostic::new(path, "the workbook has no worksheets").help(add_header_help()).into());
    };
    // The cells that exist, read one by one: never `worksheet_range`, which allocates the whole
    // rectangle from A1 (or the dimension tag) to the farthest cell, so that one note in XFD1048576
    // asked for 512 GB.
    let at = |row: u32, col: u32| format!("{}{}", column_letters(col as usize + 1), row as u64 + 1);
    let mut cells: BTreeMap<(u32, u32), Data> = BTreeMap::new();
    {
        let mut reader = workbook.worksheet_cells_reader(&sheet).map_err(|e| corrupt(path, Some(&sheet), e))?;
        // calamine's errors inside a cell (a shared string index past the table, a bad error
        // code) carry no position: the message names the cell after the last one read.
        let mut last: Option<(u32, u32)> = None;
        let damaged = |last: Option<(u32, u32)>, e| {
            let place = match last {
                Some((r, c)) => format!("{sheet}, the cell after {}", at(r, c)),
                None => format!("{sheet}, its first cell"),
            };
            corrupt(path, Some(&place), e)
        };
        while let Some(cell) = reader.next_cell().map_err(|e| damaged(last, e))? {
            let (r, c) = cell.get_position();
            last = Some((r, c));
            if r >= EXCEL_ROWS || c >= EXCEL_COLUMNS {
                return Err(Diagnostic::new(path, format!("sheet {sheet}, cell {}: the cell lies beyond the last cell of a worksheet (XFD1048576)", at(r, c)))
                    .help("the workbook is damaged or was not written by a spreadsheet program: open it in Excel and save it again, or give the values as values.csv")
                    .into());
            }
            let data = Data::from(cell.get_value().clone());
            if is_blank(&data) {
                continue;
            }
            if cells.len() == MAX_CELLS {
                return Err(Diagnostic::new(path, format!("sheet {sheet}, cell {}: the sheet has more than {MAX_CELLS} filled cells, more than a values table needs", at(r, c)))
                    .help("keep only the values table (district, indicator, value and a few notes) on the sheet; move other data to another workbook")
                    .into());
            }
            cells.insert((r, c), data);
        }
    }
    let merged = workbook.merge_cells_by_sheet_name(&sheet).unwrap_or_default();
    let Some(header_row) = cells.keys().map(|&(r, _)| r).min() else {
        return Err(Diagnostic::new(path, format!("sheet {sheet} is empty")).help(add_header_help()).into());
    };

    // A merged cell in the header leaves all but one of its columns without a name.
    if let Some(m) = merged.iter().find(|m| m.start.0 <= header_row && header_row <= m.end.0) {
        let span = format!("{}:{}", at(m.start.0, m.start.1), at(m.end.0, m.end.1));
        return Err(Diagnostic::new(path, format!("sheet {sheet}, cells {span}: the header row has merged cells"))
            .at(header_row as usize + 1, m.start.1 as usize + 1)
            .help("unmerge them (Home → Merge & Center) and give each column its own name: district, indicator, value")
            .into());
    }
    let header: Vec<(u32, String)> = cells.range((header_row, 0)..(header_row + 1, 0)).map(|(&(_, c), d)| (c, text_of(d))).collect();
    let col = |name: &str| header.iter().find(|(_, h)| h.trim() == name).map(|&(c, _)| c);
    let found: Vec<Option<u32>> = COLUMNS.iter().map(|n| col(n)).collect();
    let (Some(ci_d), Some(ci_i), Some(ci_v)) = (found[0], found[1], found[2]) else {
        let missing: Vec<&str> = COLUMNS.iter().zip(&found).filter(|(_, f)| f.is_none()).map(|(n, _)| *n).collect();
        let got: Vec<&str> = header.iter().map(|(_, h)| h.as_str()).collect();
        // Blank header cells above data: the likely place of the missing names.
        let last = header.iter().map(|&(c, _)| c).max().unwrap_or(0);
        let blank: Vec<String> =
            (0..=last).filter(|c| !header.iter().any(|(hc, _)| hc == c)).map(|c| at(header_row, c)).collect();
        let mut message = format!(
            "sheet {sheet}, row {}: the header has no column {}; found: {}",
            header_row + 1,
            missing.join(", "),
            got.join(", ")
        );
        if !blank.is_empty() {
            message.push_str(&format!(" (blank header cell{} {})", if blank.len() > 1 { "s" } else { "" }, blank.join(", ")));
        }
        return Err(Diagnostic::new(path, message)
            .at_line(header_row as usize + 1)
            .help("name the columns district, indicator and value in the first row (extra columns such as source or note may follow)")
            .into());
    };

    let mut diags = Diagnostics::default();
    // Only rows with a filled cell: an empty row is skipped as blank anyway.
    let data_rows: std::collections::BTreeSet<u32> = cells.keys().map(|&(r, _)| r).filter(|&r| r > header_row).collect();
    for r in data_rows {
        let cell = |c: u32| cells.get(&(r, c)).unwrap_or(&Data::Empty);
        let mut text_cell = |c: u32, numeric: bool| -> (usize, String) {
            let data = cell(c);
            let where_ = || format!("sheet {sheet}, cell {}: ", at(r, c));
            let problem = match data {
                Data::Error(e) => Some((format!("the cell holds the error {e}"), "fix the formula so that it gives a number, or type the value in")),
                Data::Bool(_) if numeric => Some(("the cell holds TRUE/FALSE, not a number".to_string(), "type the value as a number")),
                Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) if numeric => {
                    Some(("the cell holds a date or time, not a number".to_string(), "format the cell as Number (Home → Number Format) and check the value"))
                }
                _ => None,
            };
            if let Some((message, help)) = problem {
                // Reported here; any such problem stops the reading before the shared checks.
                diags.push(Diagnostic::new(path, where_() + &message).at(r as usize + 1, c as usize + 1).help(help));
            }
            (c as usize + 1, text_of(data).trim().to_string())
        };
        let district = text_cell(ci_d, false);
        let indicator = text_cell(ci_i, false);
        let value = text_cell(ci_v, true);
        sink(RawRow { sheet: Some(sheet.clone()), line: r as usize + 1, district, indicator, value });
    }
    diags.into_result(())
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as text: numbers in their shortest form that reads back to the same value, so a number
/// cell and the same number typed in values.csv give identical results.
fn text_of(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        other => other.to_string(),
    }
}

fn corrupt(path: &Path, sheet: Option<&str>, e: XlsxError) -> Diagnostic {
    let on = sheet.map(|s| format!("sheet {s}: ")).unwrap_or_default();
    Diagnostic::new(path, format!("{on}the file cannot be read as an Excel workbook ({e})"))
        .help("open it in Excel and save it again as an Excel Workbook (.xlsx), or give the values as values.csv instead")
}

fn add_header_help() -> &'static str {
    "put the header district, indicator, value in the first row of a sheet named values, and one row per district and leaf indicator below it"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(bytes: &[u8]) -> Result<Vec<RawRow>, Diagnostics> {
        let mut rows = Vec::new();
        read_rows(Path::new("values.xlsx"), bytes, &mut |r| rows.push(r)).map(|()| rows)
    }

    fn workbook(edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("values").unwrap();
        for (c, h) in COLUMNS.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "hill").unwrap();
        ws.write_string(1, 1, "wait_time").unwrap();
        ws.write_number(1, 2, 9.5).unwrap();
        edit(ws);
        wb.save_to_buffer().unwrap()
    }

    /// One note in the last cell of the sheet (XFD1048576): read from the cells that exist (it
    /// used to allocate the whole rectangle from A1, 512 GB, and abort).
    #[test]
    fn a_note_in_the_farthest_cell_costs_nothing() {
        let bytes = workbook(|ws| {
            ws.write_string(1_048_575, 16_383, "note").unwrap();
            ws.write_string(1_048_575, 701, "ZZ").unwrap();
        });
        let rows = rows_of(&bytes).unwrap();
        assert_eq!(rows.len(), 2, "the data row and the note's row: {rows:?}");
        assert_eq!(rows[0].value, (3, "9.5".to_string()));
        assert_eq!((rows[1].line, rows[1].district.1.as_str()), (1_048_576, ""), "the note's row is blank in the table's columns");
    }

    /// A shared-string index past the table: calamine's error has no cell, ours names it.
    #[test]
    fn a_damaged_cell_is_placed_after_the_last_cell_read() {
        let bytes = workbook(|ws| {
            ws.write_string(1, 3, "ZZNOTE").unwrap();
        });
        // Point the note's shared string at an index the table does not have.
        let mut archive = zip_entries(&bytes);
        let sheet = archive.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
        let xml = String::from_utf8(sheet.1.clone()).unwrap();
        let note = xml.find("r=\"D2\"").unwrap();
        let v = note + xml[note..].find("<v>").unwrap() + 3;
        let end = v + xml[v..].find("</v>").unwrap();
        sheet.1 = format!("{}999{}", &xml[..v], &xml[end..]).into_bytes();
        let err = rows_of(&rezip(&archive)).unwrap_err().to_string();
        assert!(err.contains("sheet values, the cell after C2: the file cannot be read") && err.contains("shared strings"), "{err}");
    }

    /// A cell reference of nine letters: calamine's arithmetic overflows (a panic in this test
    /// build); the reader reports a damaged workbook instead.
    #[test]
    fn an_overflowing_cell_reference_is_an_error_not_a_panic() {
        let bytes = workbook(|ws| {
            ws.write_string(1, 3, "ZZNOTE").unwrap();
        });
        let mut archive = zip_entries(&bytes);
        let sheet = archive.iter_mut().find(|(n, _)| n == "xl/worksheets/sheet1.xml").unwrap();
        sheet.1 = String::from_utf8(sheet.1.clone()).unwrap().replace("r=\"D2\"", "r=\"AAAAAAAAD2\"").into_bytes();
        let err = rows_of(&rezip(&archive)).unwrap_err().to_string();
        assert!(err.contains("values.xlsx") && (err.contains("cannot be read as an Excel workbook") || err.contains("beyond the last cell")) && err.contains("help:"), "{err}");
    }

    fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut f = archive.by_index(i).unwrap();
                let mut out = Vec::new();
                f.read_to_end(&mut out).unwrap();
                (f.name().unwrap().to_string(), out)
            })
            .collect()
    }

    fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn too_many_filled_cells_are_refused_naming_the_cell() {
        let bytes = workbook(|ws| {
            for r in 0..(MAX_CELLS as u32 / 4 + 1) {
                for c in 4..8u16 {
                    ws.write_number(r, c, 1.0).unwrap();
                }
            }
        });
        let err = rows_of(&bytes).unwrap_err();
        assert!(err.to_string().contains(&format!("more than {MAX_CELLS} filled cells")) && err.to_string().contains("sheet values, cell "), "{err}");
    }
}
