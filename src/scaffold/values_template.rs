//! The empty values table `cityreport new` writes for the next edition: `values.csv`, or
//! `values.xlsx` for analysts who fill it in Excel (written with `rust_xlsxwriter`, already used
//! for the indices.xlsx download). Both list every district × leaf indicator, leaf by leaf, with
//! the value left empty.
//!
//! The workbook has one sheet, `values`, whose header row holds the three columns the values
//! reader needs (`district`, `indicator`, `value`) with the district's and indicator's names and
//! the unit beside the ids, and `source` and `note` after them; the reader ignores every column
//! but the three. The header is frozen, the value cells are shaded as the ones to fill, and the
//! bytes are deterministic (a fixed creation date; rust_xlsxwriter fixes the zip entries' times).

use std::fmt::Write as _;

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

use crate::downloads::display_width;
use crate::i18n::Strings;
use crate::model::{Bilingual, Edition, Lang};

/// The format of the values table `new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValuesTemplate {
    /// The same format as the edition it starts from (`values.xlsx` if that edition gave its
    /// values as a workbook, else `values.csv`).
    FollowPrevious,
    Csv,
    Xlsx,
}

impl ValuesTemplate {
    /// The file name to write, given the previous edition's values file name.
    pub fn file_name(self, previous: &str) -> &'static str {
        match self {
            ValuesTemplate::Csv => "values.csv",
            ValuesTemplate::Xlsx => "values.xlsx",
            ValuesTemplate::FollowPrevious if previous.ends_with(".xlsx") => "values.xlsx",
            ValuesTemplate::FollowPrevious => "values.csv",
        }
    }
}

/// The rows to fill in: (district index, leaf node index), leaf by leaf in tree order, districts
/// in their listed order.
fn cells_to_fill(edition: &Edition) -> Vec<(usize, usize)> {
    edition.tree.leaves().flat_map(|(i, _)| (0..edition.districts.districts.len()).map(move |d| (d, i))).collect()
}

/// values.csv with every district × leaf and no numbers yet.
pub fn values_csv(edition: &Edition) -> String {
    let mut out = String::from("district,indicator,value,source,note\n");
    for (d, i) in cells_to_fill(edition) {
        let _ = writeln!(out, "{},{},,,", edition.districts.districts[d].id, edition.tree.nodes[i].id);
    }
    out
}

/// The same rows as a workbook, for `year`.
pub fn values_xlsx(edition: &Edition, year: u16) -> Result<Vec<u8>, String> {
    let strings = Strings::builtin().map_err(|e| e.to_string())?;
    write(edition, year, &strings).map_err(|e| format!("values.xlsx: {e}"))
}

/// "山区 / Hill"; one name when both languages give the same text (units such as "%").
fn both(name: &Bilingual) -> String {
    if name.zh == name.en { name.zh.clone() } else { format!("{} / {}", name.zh, name.en) }
}

/// Widest a column is made, in Excel's character units.
const MAX_WIDTH: f64 = 60.0;

fn write(edition: &Edition, year: u16, strings: &Strings) -> Result<Vec<u8>, XlsxError> {
    let header_label = |key: &str| {
        // Built-in strings are checked by the i18n tests; a missing key shows as itself.
        let get = |lang| strings.get(lang, key).unwrap_or(key).to_string();
        format!("{} {}", get(Lang::Zh), get(Lang::En))
    };
    let headers = [
        "district".to_string(),
        header_label("xlsx_template_district_name"),
        "indicator".to_string(),
        header_label("xlsx_template_indicator_name"),
        header_label("xlsx_template_unit"),
        "value".to_string(),
        "source".to_string(),
        "note".to_string(),
    ];
    const VALUE_COL: u16 = 5;

    let mut workbook = Workbook::new();
    let title = format!("{} {}", edition.title.zh, edition.title.en).replace(&edition.year.to_string(), &year.to_string());
    workbook.set_properties(
        &DocProperties::new().set_title(title).set_author("cityreport").set_creation_datetime(&ExcelDateTime::from_ymd(year, 1, 1)?),
    );
    let header_format = Format::new().set_bold().set_border_bottom(FormatBorder::Thin);
    // The cells to fill: shaded, so they stand out from the names beside them.
    let input_format = Format::new().set_background_color(Color::RGB(0xFFF7D6)).set_border(FormatBorder::Hair).set_border_color(Color::RGB(0xC8C8C8));

    let sheet = workbook.add_worksheet();
    sheet.set_name("values")?;
    let mut widths: Vec<f64> = headers.iter().map(|h| display_width(h)).collect();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &header_format)?;
    }
    for (row, (d, i)) in cells_to_fill(edition).into_iter().enumerate() {
        let r = row as u32 + 1;
        let district = &edition.districts.districts[d];
        let node = &edition.tree.nodes[i];
        let texts = [
            district.id.clone(),
            both(&district.name),
            node.id.clone(),
            both(&node.name),
            node.unit.as_ref().map(both).unwrap_or_default(),
        ];
        for (c, text) in texts.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r, c as u16, text)?;
            }
            widths[c] = widths[c].max(display_width(text));
        }
        sheet.write_blank(r, VALUE_COL, &input_format)?;
    }
    // Room to type a value, and a source or note, without widening the column first.
    widths[VALUE_COL as usize] = widths[VALUE_COL as usize].max(12.0);
    for w in &mut widths[VALUE_COL as usize + 1..] {
        *w = w.max(24.0);
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (w + 2.0).min(MAX_WIDTH))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}
