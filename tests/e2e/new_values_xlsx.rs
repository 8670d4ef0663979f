//! `cityreport new YEAR --xlsx`: the values template as an Excel workbook. It opens with calamine,
//! has the header the values reader needs with the names and units beside the ids, one row per
//! district × leaf, a frozen header row and the same bytes every time; filled in, the project
//! builds; and the next `new` follows the workbook format unless told otherwise.

use crate::common;

use std::fs;
use std::io::Read as _;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

fn init(dir: &Path) {
    let out = common::cityreport(&["init", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    #[cfg(unix)]
    std::os::unix::fs::symlink(common::shared_png_cache(), dir.join(".cityreport-cache")).unwrap();
}

fn new(root: &Path, year: &str, flag: Option<&str>) -> String {
    let mut args = vec!["new", year, "--root", root.to_str().unwrap()];
    args.extend(flag);
    let out = common::cityreport(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    stderr
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The sheet `values` of a workbook as rows of cell texts.
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("the template opens with calamine");
    assert_eq!(book.sheet_names(), ["values"], "one sheet, named values");
    let range = book.worksheet_range("values").unwrap();
    assert_eq!(range.start(), Some((0, 0)), "the table starts at A1");
    range.rows().map(|r| r.iter().map(cell_text).collect()).collect()
}

/// A workbook part's XML (the zip entries are compressed).
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn new_writes_an_excel_template_that_builds_once_filled() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("proj");
    init(&root);
    let said = new(&root, "2025", Some("--xlsx"));
    assert!(said.contains("values.xlsx lists 16 values to fill in"), "{said}");
    let path = root.join("data/2025/values.xlsx");
    assert!(!root.join("data/2025/values.csv").exists(), "only the workbook is written (both would be refused)");
    let bytes = fs::read(&path).unwrap();

    // The template's rows, checked against the edition it was made from.
    let from = cityreport::load::load_edition(&root, 2024).unwrap();
    let rows = sheet_rows(&bytes);
    assert_eq!(rows[0][..3], ["district", "区名 District name", "indicator"]);
    assert_eq!(rows[0][5], "value");
    let leaves: Vec<_> = from.tree.leaves().map(|(_, n)| n).collect();
    assert_eq!(rows.len() - 1, leaves.len() * from.districts.districts.len(), "one row per district × leaf");
    let mut k = 1;
    for leaf in &leaves {
        for d in &from.districts.districts {
            let row = &rows[k];
            assert_eq!((row[0].as_str(), row[2].as_str()), (d.id.as_str(), leaf.id.as_str()), "row {}", k + 1);
            assert!(row[1].contains(&d.name.zh) && row[1].contains(&d.name.en), "district names beside the id: {row:?}");
            assert!(row[3].contains(&leaf.name.zh) && row[3].contains(&leaf.name.en), "indicator names beside the id: {row:?}");
            match &leaf.unit {
                Some(unit) => assert!(row[4].contains(&unit.en), "the unit: {row:?}"),
                None => assert_eq!(row[4], "", "no unit: {row:?}"),
            }
            assert_eq!(row[5], "", "the value is left to fill in: {row:?}");
            k += 1;
        }
    }

    // Frozen header row, column widths set, and the same bytes from the same inputs.
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("ySplit=\"1\"") && sheet.contains("state=\"frozen\""), "the header row is frozen: {sheet}");
    assert!(sheet.matches("<col ").count() >= 6, "every column has a width");
    let again = tempfile::tempdir().unwrap();
    init(again.path());
    new(again.path(), "2025", Some("--xlsx"));
    assert!(fs::read(again.path().join("data/2025/values.xlsx")).unwrap() == bytes, "the template's bytes are deterministic");

    // `check` lists what is still missing, by sheet and row, like the CSV template.
    let out = common::cityreport(&["check", "--root", root.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("values.xlsx") && stderr.contains("no value"), "{stderr}");

    // Filled in as an analyst would (the template's columns kept, numbers in the value column,
    // last year's values raised by 2 %), the project builds.
    let last_year: std::collections::BTreeMap<(String, String), f64> = csv::Reader::from_path(root.join("data/2024/values.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .map(|r| ((r[0].to_string(), r[1].to_string()), r[2].parse::<f64>().unwrap()))
        .collect();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("values").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32, c as u16, text).unwrap();
            }
        }
        if r > 0 {
            let v = last_year[&(row[0].clone(), row[2].clone())];
            let filled = if row[2] == "security" { v } else { v * 1.02 };
            sheet.write_number(r as u32, 5, filled).unwrap();
        }
    }
    fs::write(&path, book.save_to_buffer().unwrap()).unwrap();
    let built = common::cityreport(&["build", "--quiet", "--drafts", "--root", root.to_str().unwrap()]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let indices = common::read_indices(&fs::read(root.join("site/2025/data/indices.csv")).unwrap());
    assert_eq!(indices.keys().filter(|(_, e)| e == "port").count(), from.tree.nodes.len(), "every index of Port computed for 2025");
    assert!(root.join("site/2025/data/values.xlsx").is_file(), "the workbook is republished as given");

    // The next edition follows the workbook format; --csv asks for the text table instead.
    let said = new(&root, "2026", None);
    assert!(said.contains("values.xlsx") && root.join("data/2026/values.xlsx").is_file(), "{said}");
    for dir in ["data/2026", "content/2026"] {
        fs::remove_dir_all(root.join(dir)).unwrap();
    }
    new(&root, "2026", Some("--csv"));
    assert!(root.join("data/2026/values.csv").is_file() && !root.join("data/2026/values.xlsx").exists());
    let csv_template = fs::read_to_string(root.join("data/2026/values.csv")).unwrap();
    assert_eq!(csv_template.lines().count() - 1, rows.len() - 1, "the CSV template has the same rows");
}
