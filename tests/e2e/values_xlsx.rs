//! `values.xlsx` in place of `values.csv`: the workbook is written here (with rust_xlsxwriter)
//! from the demo's values.csv, so the two inputs hold the same numbers; bad workbooks give a
//! message naming the file, sheet and cell and what to do.

use crate::common;

use std::fs;
use std::path::Path;

use rust_xlsxwriter::{Formula, Workbook};

/// The demo's values.csv as rows of cells.
fn demo_values() -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(common::demo_root().join("data/2020/values.csv")).unwrap();
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

/// A workbook with the demo's values on a sheet `sheet`: numbers as number cells (except in
/// rows picked by `as_text`, written as numeric text), every other column as text. `edit` may
/// change the sheet before saving.
fn demo_workbook(sheet: &str, as_text: impl Fn(usize) -> bool, edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let (header, rows) = demo_values();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let value_col = header.iter().position(|h| h == "value").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r1, c1) = (r as u32 + 1, c as u16);
            if c == value_col && !as_text(r) {
                ws.write_number(r1, c1, cell.parse::<f64>().unwrap()).unwrap();
            } else {
                ws.write_string(r1, c1, cell).unwrap();
            }
        }
    }
    edit(ws);
    wb.save_to_buffer().unwrap()
}

/// A scratch copy of the demo whose 2020 values are `xlsx` instead of values.csv.
fn with_workbook(xlsx: &[u8]) -> tempfile::TempDir {
    let tmp = common::copy_demo();
    fs::remove_file(tmp.path().join("data/2020/values.csv")).unwrap();
    fs::write(tmp.path().join("data/2020/values.xlsx"), xlsx).unwrap();
    tmp
}

/// `cityreport check` fails with every fragment in its message, and a help line.
fn expect_failure(root: &Path, expected: &[&str]) {
    let out = common::cityreport(&["check", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "check should fail");
    for fragment in expected {
        assert!(stderr.contains(fragment), "stderr lacks {fragment:?}:\n{stderr}");
    }
    assert!(stderr.contains("help:"), "the message says what to do:\n{stderr}");
}

#[test]
fn workbook_gives_byte_identical_indices_csv() {
    // Every third value as numeric text, the rest as numbers; the sheet is not the first one.
    let (header, _) = demo_values();
    let (_, rows) = demo_values();
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("notes").unwrap().write_string(0, 0, "analysts' notes").unwrap();
    let ws = wb.add_worksheet().set_name("values").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r1, c1) = (r as u32 + 1, c as u16);
            if header[c] == "value" && r % 3 != 0 {
                ws.write_number(r1, c1, cell.parse::<f64>().unwrap()).unwrap();
            } else {
                ws.write_string(r1, c1, cell).unwrap();
            }
        }
    }
    let tmp = with_workbook(&wb.save_to_buffer().unwrap());
    common::build(tmp.path());

    let demo = cityreport::build::check_project(&common::demo_root()).unwrap();
    let ce = demo.editions.iter().find(|ce| ce.edition.year == 2020).unwrap();
    let expected = cityreport::downloads::indices_csv(&ce.edition, &ce.results);
    let got = fs::read(tmp.path().join("site/2020/data/indices.csv")).unwrap();
    assert!(got == expected, "indices.csv from values.xlsx differs from the one from values.csv");
    // The workbook is republished as given, and no values.csv appears.
    assert!(tmp.path().join("site/2020/data/values.xlsx").is_file());
    assert!(!tmp.path().join("site/2020/data/values.csv").exists());
}

#[test]
fn first_sheet_is_read_when_none_is_named_values() {
    let tmp = with_workbook(&demo_workbook("Sheet1", |_| false, |_| {}));
    let out = common::cityreport(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn both_tables_present_is_an_error() {
    let tmp = with_workbook(&demo_workbook("values", |_| false, |_| {}));
    fs::copy(common::demo_root().join("data/2020/values.csv"), tmp.path().join("data/2020/values.csv")).unwrap();
    expect_failure(tmp.path(), &["more than one values table", "values.csv and values.xlsx"]);
}

#[test]
fn formula_error_names_sheet_and_cell() {
    let tmp = with_workbook(&demo_workbook("values", |_| false, |ws| {
        ws.write_formula(11, 2, Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
    }));
    expect_failure(tmp.path(), &["values.xlsx", "sheet values, cell C12", "#DIV/0!", "fix the formula"]);
}

#[test]
fn text_in_a_number_cell_names_sheet_and_cell() {
    let tmp = with_workbook(&demo_workbook("values", |_| false, |ws| {
        ws.write_string(6, 2, "about 90").unwrap();
    }));
    expect_failure(tmp.path(), &["values.xlsx:7:3", "sheet values, cell C7", "\"about 90\"", "is not a number"]);
}

#[test]
fn merged_header_is_an_error() {
    let tmp = with_workbook(&demo_workbook("values", |_| false, |ws| {
        ws.merge_range(0, 1, 0, 2, "indicator", &rust_xlsxwriter::Format::new()).unwrap();
    }));
    expect_failure(tmp.path(), &["sheet values, cells B1:C1", "merged", "unmerge"]);
}

#[test]
fn blank_header_cell_is_named() {
    let tmp = with_workbook(&demo_workbook("values", |_| false, |ws| {
        ws.write_blank(0, 2, &rust_xlsxwriter::Format::new()).unwrap();
    }));
    expect_failure(tmp.path(), &["sheet values, row 1", "no column value", "blank header cell C1"]);
}

#[test]
fn empty_sheet_is_an_error() {
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("values").unwrap();
    let tmp = with_workbook(&wb.save_to_buffer().unwrap());
    expect_failure(tmp.path(), &["values.xlsx", "sheet values is empty", "district, indicator, value"]);
}

#[test]
fn encrypted_and_corrupt_files_are_errors() {
    // An encrypted workbook is an OLE compound file, not a zip: its signature is enough.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    let tmp = with_workbook(&ole);
    expect_failure(tmp.path(), &["values.xlsx", "password-protected", "remove the password"]);

    let mut cut = demo_workbook("values", |_| false, |_| {});
    cut.truncate(cut.len() / 2);
    let tmp = with_workbook(&cut);
    expect_failure(tmp.path(), &["values.xlsx", "cannot be read as an Excel workbook", "save it again"]);
}

#[test]
fn numeric_text_is_accepted() {
    let tmp = with_workbook(&demo_workbook("values", |_| true, |_| {}));
    let out = common::cityreport(&["check", "--root", tmp.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `workbook` with `from` replaced by `to` in its first sheet's XML: for cells no spreadsheet
/// program writes.
fn edit_sheet_xml(workbook: &[u8], from: &str, to: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(workbook)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(from), "{from} not in the sheet");
            bytes = text.replacen(from, to, 1).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A cell reference past the last column (XFE) or row of a worksheet, as a crafted file may
/// hold: a message naming the sheet and cell (it panicked with "capacity overflow", or asked for
/// gigabytes), and no line of zip bytes quoted.
#[test]
fn a_cell_beyond_the_worksheet_is_refused_naming_it() {
    let book = demo_workbook("values", |_| false, |ws| {
        ws.write_string(3, 5, "far").unwrap();
    });
    for (to, cell) in [("r=\"XFE4\"", "XFE4"), ("r=\"F1048577\"", "F1048577"), ("r=\"ZZZZZZ4\"", "ZZZZZZ4")] {
        let project = with_workbook(&edit_sheet_xml(&book, "r=\"F4\"", to));
        expect_failure(project.path(), &[&format!("sheet values, cell {cell}: the cell lies beyond the last cell of a worksheet"), "values.xlsx"]);
        let out = common::cityreport(&["check", "--root", project.path().to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains(" | ") && !stderr.contains("panicked"), "no zip bytes shown as a line, no panic:\n{stderr}");
    }
    // Nine letters overflow calamine's u32 column arithmetic (a panic with overflow checks on).
    let project = with_workbook(&edit_sheet_xml(&book, "r=\"F4\"", "r=\"AAAAAAAAF4\""));
    expect_failure(project.path(), &["values.xlsx", "help:"]);
    let out = common::cityreport(&["check", "--root", project.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code() == Some(1) && !stderr.contains("panicked"), "an error, not a panic:\n{stderr}");
}
