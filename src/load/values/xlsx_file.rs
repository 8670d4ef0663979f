//! `values.xlsx`: the values table as an Excel workbook, read with `calamine` (maintained, pure
//! Rust, reads the cached results of formulas). The sheet named `values` is read, else the first
//! sheet; its first non-empty row is the header, and the columns district, indicator and value
//! are found by name as in `values.csv`. Values may be numbers or numeric text.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, XlsxError};

use super::{column_letters, RawRow};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// The first bytes of an OLE compound file: what Excel writes for a password-protected
/// (encrypted) workbook and for the old binary `.xls` format, neither of which is an `.xlsx`.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const COLUMNS: [&str; 3] = ["district", "indicator", "value"];

pub(super) fn read_rows(path: &Path, bytes: &[u8]) -> Result<Vec<RawRow>, Diagnostics> {
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
    let range = workbook.worksheet_range(&sheet).map_err(|e| corrupt(path, Some(&sheet), e))?;
    let merged = workbook.merge_cells_by_sheet_name(&sheet).unwrap_or_default();

    // Absolute (0-based) positions: the used range need not start at A1.
    let cells: Vec<(u32, u32, &Data)> = range.used_cells().filter(|(_, _, d)| !is_blank(d)).map(|(r, c, d)| {
        let (r0, c0) = range.start().expect("a range with cells has a start");
        (r0 + r as u32, c0 + c as u32, d)
    }).collect();
    let Some(header_row) = cells.iter().map(|&(r, _, _)| r).min() else {
        return Err(Diagnostic::new(path, format!("sheet {sheet} is empty")).help(add_header_help()).into());
    };
    let at = |row: u32, col: u32| format!("{}{}", column_letters(col as usize + 1), row + 1);

    // A merged cell in the header leaves all but one of its columns without a name.
    if let Some(m) = merged.iter().find(|m| m.start.0 <= header_row && header_row <= m.end.0) {
        let span = format!("{}:{}", at(m.start.0, m.start.1), at(m.end.0, m.end.1));
        return Err(Diagnostic::new(path, format!("sheet {sheet}, cells {span}: the header row has merged cells"))
            .at(header_row as usize + 1, m.start.1 as usize + 1)
            .help("unmerge them (Home → Merge & Center) and give each column its own name: district, indicator, value")
            .into());
    }
    let header: Vec<(u32, String)> = cells.iter().filter(|&&(r, _, _)| r == header_row).map(|&(_, c, d)| (c, text_of(d))).collect();
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
    let last_row = cells.iter().map(|&(r, _, _)| r).max().unwrap_or(header_row);
    let mut rows = Vec::new();
    for r in header_row + 1..=last_row {
        let cell = |c: u32| range.get_value((r, c)).unwrap_or(&Data::Empty);
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
        rows.push(RawRow { sheet: Some(sheet.clone()), line: r as usize + 1, district, indicator, value });
    }
    diags.into_result(rows)
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
