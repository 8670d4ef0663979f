//! `<year>/data/indices.xlsx`: the rows of indices.csv as an Excel workbook (written with
//! `rust_xlsxwriter`), for analysts who work in Excel: one sheet per level of the indicator
//! system (entities down, indicators across, published value and rank side by side) and the
//! long table with the columns of indices.csv. Numbers are number cells, shown at the edition's
//! precision; headers are bilingual, frozen and filterable.
//!
//! The bytes are deterministic: the document's creation date is fixed (1 January of the
//! edition's year) and rust_xlsxwriter gives every zip entry the same fixed time.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{index_rows, IndexRow, INDICES_COLUMNS};
use crate::compute::round_half_up;
use crate::i18n::Strings;
use crate::model::{Edition, IndexResults, Lang};

/// Columns of indices.csv written as numbers (the others are text).
const NUMBER_COLUMNS: [&str; 6] = ["value", "rank", "region_rank", "published", "level", "raw"];

/// Widest a column is made, in Excel's character units: long names wrap rather than push the
/// figures off screen.
const MAX_WIDTH: f64 = 48.0;

/// The workbook's bytes. Errors only if rust_xlsxwriter refuses what it is given (a sheet name
/// or size out of its limits), reported as text for the build's error.
pub fn indices_xlsx(edition: &Edition, results: &IndexResults) -> Result<Vec<u8>, String> {
    let strings = Strings::builtin().map_err(|e| e.to_string())?;
    write(edition, results, &strings).map_err(|e| format!("indices.xlsx: {e}"))
}

fn write(edition: &Edition, results: &IndexResults, strings: &Strings) -> Result<Vec<u8>, XlsxError> {
    let s = |key: &str| -> String {
        // Built-in strings are checked by the i18n tests; a missing key shows as itself.
        let get = |lang| strings.get(lang, key).map(str::to_string).unwrap_or_else(|_| key.to_string());
        format!("{} {}", get(Lang::Zh), get(Lang::En))
    };
    let rows = index_rows(edition, results);
    let precision = edition.precision as usize;
    let decimals = |p: usize| Format::new().set_num_format(if p == 0 { "0".to_string() } else { format!("0.{}", "0".repeat(p)) });
    let published_format = decimals(precision);
    // Raw values are shown at their indicator's raw precision (0 to 6).
    let raw_formats: Vec<Format> = (0..=6).map(decimals).collect();
    let header_format = Format::new().set_bold().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);

    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(edition.year, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(format!("{} {}", edition.title.zh, edition.title.en))
            .set_author("cityreport")
            .set_creation_datetime(&created),
    );

    // A sheet per level: entities down, each node of the level across as (published, rank).
    let levels = edition.tree.nodes.iter().map(|n| n.level).max().unwrap_or(0);
    let n_entities = rows.iter().filter(|r| r.indicator == edition.tree.nodes[0].id).count();
    for level in 0..=levels {
        let nodes: Vec<&str> = edition.tree.nodes.iter().filter(|n| n.level == level).map(|n| n.id.as_str()).collect();
        let sheet = workbook.add_worksheet();
        let name = format!(
            "{} {}",
            strings.get(Lang::Zh, "xlsx_sheet_level").unwrap_or("{n}").replace("{n}", &level.to_string()),
            strings.get(Lang::En, "xlsx_sheet_level").unwrap_or("{n}").replace("{n}", &level.to_string())
        );
        sheet.set_name(name)?;
        let mut table = Table::new(sheet, &header_format);
        let head = ["xlsx_col_entity", "xlsx_col_entity_zh", "xlsx_col_entity_en", "xlsx_col_region"];
        let mut headers: Vec<String> = head.iter().map(|k| s(k)).collect();
        let by_node: Vec<&[IndexRow]> = nodes
            .iter()
            .map(|id| {
                let start = rows.iter().position(|r| r.indicator == *id).expect("every node has rows");
                &rows[start..start + n_entities]
            })
            .collect();
        // A leaf with raw values gets a third column: its raw value, with the unit in the header.
        let has_raw = |k: usize| by_node[k].iter().any(|r| r.raw.is_some());
        for (k, id) in nodes.iter().enumerate() {
            let at = edition.tree.index_of(id).expect("a node of the tree");
            let node = &edition.tree.nodes[at];
            let name = edition.tree.display_name(at);
            headers.push(format!("{} {}", name.zh, name.en));
            headers.push(format!("{} {}", s("xlsx_col_rank"), node.id));
            if has_raw(k) {
                let unit = node.unit.as_ref().map(|u| if u.zh == u.en { format!(" ({})", u.en) } else { format!(" ({} / {})", u.zh, u.en) });
                headers.push(format!("{} {}{}", s("xlsx_col_raw"), node.id, unit.unwrap_or_default()));
            }
        }
        table.header(&headers)?;
        for e in 0..n_entities {
            let first = &by_node[0][e];
            let r = e as u32 + 1;
            table.text(r, 0, first.entity)?;
            table.text(r, 1, &first.entity_name.zh)?;
            table.text(r, 2, &first.entity_name.en)?;
            table.text(r, 3, first.region.unwrap_or(""))?;
            let mut c = 4u16;
            for (k, node_rows) in by_node.iter().enumerate() {
                let row = &node_rows[e];
                table.number(r, c, row.published, Some(&published_format))?;
                if let Some(rank) = row.rank {
                    table.number(r, c + 1, rank as f64, None)?;
                }
                c += 2;
                if has_raw(k) {
                    if let Some(raw) = row.raw {
                        table.number(r, c, round_half_up(raw, row.raw_precision), raw_formats.get(row.raw_precision as usize))?;
                    }
                    c += 1;
                }
            }
        }
        table.finish(n_entities as u32)?;
    }

    // The long table: the columns of indices.csv, in the same order, one row per CSV row.
    let sheet = workbook.add_worksheet();
    sheet.set_name(format!("{} {}", strings.get(Lang::Zh, "xlsx_sheet_all").unwrap_or("all"), strings.get(Lang::En, "xlsx_sheet_all").unwrap_or("all")))?;
    let mut table = Table::new(sheet, &header_format);
    let headers: Vec<String> = INDICES_COLUMNS.iter().map(|c| format!("{} {}", s(&format!("xlsx_col_{}", c.name)), c.name)).collect();
    table.header(&headers)?;
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, column) in INDICES_COLUMNS.iter().enumerate() {
            let text = (column.value)(row, precision);
            let c = c as u16;
            match text.parse::<f64>() {
                Ok(x) if NUMBER_COLUMNS.contains(&column.name) => {
                    let format = match column.name {
                        "published" => Some(&published_format),
                        "raw" => raw_formats.get(row.raw_precision as usize),
                        _ => None,
                    };
                    table.number(r, c, x, format)?
                }
                _ => table.text(r, c, &text)?,
            }
        }
    }
    table.finish(rows.len() as u32)?;
    workbook.save_to_buffer()
}

/// A sheet being filled: remembers each column's widest cell for the widths.
struct Table<'a> {
    sheet: &'a mut Worksheet,
    header_format: &'a Format,
    widths: Vec<f64>,
}

impl<'a> Table<'a> {
    fn new(sheet: &'a mut Worksheet, header_format: &'a Format) -> Self {
        Table { sheet, header_format, widths: Vec::new() }
    }

    fn fit(&mut self, col: u16, width: f64) {
        let c = col as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0.0);
        }
        self.widths[c] = self.widths[c].max(width);
    }

    fn header(&mut self, headers: &[String]) -> Result<(), XlsxError> {
        for (c, h) in headers.iter().enumerate() {
            self.sheet.write_string_with_format(0, c as u16, h, self.header_format)?;
            // Headers wrap: half their width is enough for two lines.
            self.fit(c as u16, (display_width(h) / 2.0).max(8.0));
        }
        Ok(())
    }

    fn text(&mut self, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
        if !text.is_empty() {
            self.sheet.write_string(row, col, text)?;
        }
        self.fit(col, display_width(text));
        Ok(())
    }

    fn number(&mut self, row: u32, col: u16, x: f64, format: Option<&Format>) -> Result<(), XlsxError> {
        match format {
            Some(f) => self.sheet.write_number_with_format(row, col, x, f)?,
            None => self.sheet.write_number(row, col, x)?,
        };
        self.fit(col, format!("{x:.2}").len() as f64);
        Ok(())
    }

    /// Widths, the frozen header row and the filter over every column and row.
    fn finish(self, rows: u32) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            self.sheet.set_column_width(c as u16, (w + 2.0).min(MAX_WIDTH))?;
        }
        self.sheet.set_freeze_panes(1, 0)?;
        let last_col = self.widths.len().saturating_sub(1) as u16;
        self.sheet.autofilter(0, 0, rows, last_col)?;
        Ok(())
    }
}

/// Width in Excel's character units: Chinese (and other full-width) characters take two.
pub(crate) fn display_width(text: &str) -> f64 {
    text.chars().map(|ch| if is_wide(ch) { 2.0 } else { 1.0 }).sum()
}

fn is_wide(ch: char) -> bool {
    matches!(ch as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::{compute_edition, round_half_up};
    use crate::downloads::indices_csv;
    use crate::load::load_project;
    use calamine::{Data, Reader, Xlsx};

    fn demo() -> (Edition, IndexResults) {
        let project = load_project(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let edition = project.editions.into_iter().find(|e| e.year == 2020).unwrap();
        let results = compute_edition(&edition).unwrap();
        (edition, results)
    }

    fn cell_text(d: &Data) -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) => format!("{f}"),
            Data::Int(i) => i.to_string(),
            other => panic!("unexpected cell {other:?}"),
        }
    }

    /// Read back with calamine (an independent reader): the long sheet has the rows of
    /// indices.csv, number for number and name for name (Chinese intact); every level has a
    /// sheet whose published values and ranks match the CSV's.
    #[test]
    fn workbook_reads_back_as_indices_csv() {
        let (edition, results) = demo();
        let bytes = indices_xlsx(&edition, &results).unwrap();
        assert_eq!(bytes, indices_xlsx(&edition, &results).unwrap(), "two writes give identical bytes");

        let csv_bytes = indices_csv(&edition, &results);
        let mut reader = csv::Reader::from_reader(csv_bytes.as_slice());
        let csv_rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();

        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let names = wb.sheet_names();
        let levels = edition.tree.nodes.iter().map(|n| n.level).max().unwrap();
        assert_eq!(names.len(), levels + 2, "a sheet per level plus the long table: {names:?}");
        let long = wb.worksheet_range(names.last().unwrap()).unwrap();
        let header: Vec<String> = long.rows().next().unwrap().iter().map(cell_text).collect();
        for (h, c) in header.iter().zip(INDICES_COLUMNS) {
            assert!(h.ends_with(c.name) && h.chars().any(|ch| ch > '\u{2E80}'), "bilingual header {h:?} for {}", c.name);
        }
        let xlsx_rows: Vec<Vec<String>> = long.rows().skip(1).map(|r| r.iter().map(cell_text).collect()).collect();
        assert_eq!(xlsx_rows.len(), csv_rows.len());
        let published = INDICES_COLUMNS.iter().position(|c| c.name == "published").unwrap();
        for (x, c) in xlsx_rows.iter().zip(&csv_rows) {
            for (k, (xv, cv)) in x.iter().zip(c).enumerate() {
                if k == published || (INDICES_COLUMNS[k].name == "raw" && !cv.is_empty()) {
                    // A number cell shown with the edition's precision: same value as the text.
                    assert_eq!(xv.parse::<f64>().unwrap(), cv.parse::<f64>().unwrap());
                } else {
                    assert_eq!(xv, cv, "column {}", INDICES_COLUMNS[k].name);
                }
            }
        }
        assert!(xlsx_rows.iter().any(|r| r.iter().any(|v| v == &edition.districts.districts[0].name.zh)), "Chinese names intact");

        // Level sheets: a district's published value and rank for each node of the level.
        let d0 = &edition.districts.districts[0];
        for (level, name) in names.iter().take(levels + 1).enumerate() {
            let sheet = wb.worksheet_range(name).unwrap();
            let row: Vec<String> = sheet.rows().nth(1).unwrap().iter().map(cell_text).collect();
            assert_eq!(row[0], d0.id);
            let nodes: Vec<usize> = (0..edition.tree.nodes.len()).filter(|&i| edition.tree.nodes[i].level == level).collect();
            assert_eq!(row.len(), 4 + 2 * nodes.len());
            for (k, &n) in nodes.iter().enumerate() {
                let r = &results.nodes[n];
                assert_eq!(row[4 + 2 * k].parse::<f64>().unwrap(), round_half_up(r.districts[0], edition.precision));
                assert_eq!(row[5 + 2 * k], r.rank[0].to_string());
            }
        }
    }
}
