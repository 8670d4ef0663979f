//! Render stage for the data downloads: `indices.csv`, `indices.json` and the input values.
//! Columns are documented for readers in docs/data-formats.md and on the site's data page.

use serde::Serialize;

use crate::compute::raw::raw_values;
use crate::compute::{round_half_up, ComputedEdition};
use crate::diagnostic::Diagnostic;
use crate::model::{Bilingual, Edition, EditionChanges, IndexResults, IndicatorKind};
use crate::output::SiteFiles;
use csv_out::{Cell, CsvOut};

mod csv_out;
mod plans;
mod uncertainty;
mod xlsx;

pub use plans::{plan_downloads, plan_progress_csv, plan_progress_path};
pub use uncertainty::{uncertainty_csv, UNCERTAINTY_CSV_HEADER};
pub use xlsx::indices_xlsx;
pub(crate) use xlsx::display_width;

/// Every download of one edition, at its site path (`<year>/data/…`): the computed indices as
/// CSV, JSON and an Excel workbook, the values file as the analysts gave it, and the changes since the previous
/// edition when one is computed.
pub fn edition_downloads(ce: &ComputedEdition) -> Result<SiteFiles, Diagnostic> {
    let (edition, results) = (&ce.edition, &ce.results);
    let year = edition.year;
    let mut files = SiteFiles::new();
    files.insert(format!("{year}/data/indices.csv"), indices_csv(edition, results));
    files.insert(format!("{year}/data/indices.json"), indices_json(edition, results));
    let xlsx_path = format!("{year}/data/indices.xlsx");
    let xlsx = indices_xlsx(edition, results)
        .map_err(|e| Diagnostic::new(&xlsx_path, e).help("report this as a bug, with the edition's indicators.toml"))?;
    files.insert(xlsx_path, xlsx);
    files.insert_shared(format!("{year}/data/{}", edition.values_file.name), edition.values_file.bytes.clone());
    if let Some(changes) = &ce.changes {
        files.insert(format!("{year}/data/changes.csv"), changes_csv(edition, changes));
    }
    if let Some(uncertainty) = &ce.uncertainty {
        files.insert(format!("{year}/data/uncertainty.csv"), uncertainty_csv(edition, uncertainty));
    }
    Ok(files)
}

/// The byte-order mark every CSV download starts with: without it Excel, opening the file by a
/// double click, reads UTF-8 as the system's code page and garbles Chinese. CSV readers (Python,
/// R, pandas, the csv crate) skip it.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A column of indices.csv: its name in the header and how a row fills it (given the edition's
/// precision). The data page describes each column under the UI string `datacol_<name>`, so the
/// header and its description come from this one list.
pub struct IndexColumn {
    pub name: &'static str,
    value: for<'r> fn(&IndexRow<'r>, usize) -> String,
    /// A number the tool formats (written as is), not text from the inputs (neutralised
    /// against formula injection, see `csv_out`).
    number: bool,
}

/// Columns of indices.csv, in order; the first five are the stable contract.
pub const INDICES_COLUMNS: &[IndexColumn] = &[
    IndexColumn { name: "indicator", value: |r, _| r.indicator.to_string(), number: false },
    IndexColumn { name: "entity", value: |r, _| r.entity.to_string(), number: false },
    IndexColumn { name: "value", value: |r, _| format!("{}", r.value), number: true },
    IndexColumn { name: "rank", value: |r, _| r.rank.map(|v| v.to_string()).unwrap_or_default(), number: true },
    IndexColumn { name: "region_rank", value: |r, _| r.region_rank.map(|v| v.to_string()).unwrap_or_default(), number: true },
    IndexColumn { name: "published", value: |r, p| format!("{:.*}", p, r.published), number: true },
    IndexColumn { name: "level", value: |r, _| r.level.to_string(), number: true },
    IndexColumn { name: "kind", value: |r, _| r.kind.to_string(), number: false },
    IndexColumn { name: "entity_type", value: |r, _| r.entity_type.to_string(), number: false },
    IndexColumn { name: "region", value: |r, _| r.region.unwrap_or("").to_string(), number: false },
    IndexColumn { name: "indicator_zh", value: |r, _| r.indicator_name.zh.clone(), number: false },
    IndexColumn { name: "indicator_en", value: |r, _| r.indicator_name.en.clone(), number: false },
    IndexColumn { name: "entity_zh", value: |r, _| r.entity_name.zh.clone(), number: false },
    IndexColumn { name: "entity_en", value: |r, _| r.entity_name.en.clone(), number: false },
    // Raw values beside the scores (issue #13): empty where the indicator shows none.
    IndexColumn { name: "raw", value: |r, _| r.raw.map(|x| format!("{:.*}", r.raw_precision as usize, round_half_up(x, r.raw_precision))).unwrap_or_default(), number: true },
    IndexColumn { name: "unit_zh", value: |r, _| r.unit.map(|u| u.zh.clone()).unwrap_or_default(), number: false },
    IndexColumn { name: "unit_en", value: |r, _| r.unit.map(|u| u.en.clone()).unwrap_or_default(), number: false },
];

/// One figure of the edition: a node's value for a district, a region or the city.
#[derive(Debug, Clone, Serialize)]
pub struct IndexRow<'a> {
    pub indicator: &'a str,
    pub entity: &'a str,
    /// Unrounded.
    pub value: f64,
    pub rank: Option<u32>,
    pub region_rank: Option<u32>,
    /// Rounded half-up to the edition's precision, as printed.
    pub published: f64,
    pub level: usize,
    pub kind: &'static str,
    pub entity_type: &'static str,
    pub region: Option<&'a str>,
    pub indicator_name: &'a Bilingual,
    pub entity_name: &'a Bilingual,
    /// The raw value as given (a district) or the plain mean of the districts' raw values (the
    /// city, a region), for leaves that show raw values (`compute::raw::shows_raw`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<f64>,
    /// Decimals `raw` is published with.
    #[serde(skip)]
    pub raw_precision: u8,
    #[serde(skip)]
    pub unit: Option<&'a Bilingual>,
}

/// Every row, node by node in tree order; within a node the districts in their listed order,
/// then `city`, then each region.
pub fn index_rows<'a>(edition: &'a Edition, results: &'a IndexResults) -> Vec<IndexRow<'a>> {
    let city_name: &'static Bilingual = {
        static CITY: std::sync::OnceLock<Bilingual> = std::sync::OnceLock::new();
        CITY.get_or_init(|| Bilingual::new("全市", "City"))
    };
    let mut rows = Vec::new();
    for (i, node) in edition.tree.nodes.iter().enumerate() {
        let r = &results.nodes[i];
        let raw = raw_values(edition, i);
        let raw_precision = raw.as_ref().map_or(0, |x| x.precision);
        let unit = raw.as_ref().and_then(|x| x.unit);
        let kind = match node.kind {
            IndicatorKind::Index => "index",
            IndicatorKind::Coefficient => "coefficient",
        };
        let row = |entity: &'a str, value: f64, entity_type, region, entity_name, rank, region_rank, raw| IndexRow {
            indicator: &node.id,
            entity,
            value,
            rank,
            region_rank,
            published: round_half_up(value, edition.precision),
            level: node.level,
            kind,
            entity_type,
            region,
            indicator_name: edition.tree.display_name(i),
            entity_name,
            raw,
            raw_precision,
            unit,
        };
        for (d, district) in edition.districts.districts.iter().enumerate() {
            let region = &edition.districts.regions[district.region];
            let raw_value = raw.as_ref().map(|x| x.districts[d]);
            rows.push(row(&district.id, r.districts[d], "district", Some(region.id.as_str()), &district.name, Some(r.rank[d]), Some(r.region_rank[d]), raw_value));
        }
        rows.push(row("city", r.city, "city", None, city_name, None, None, raw.as_ref().map(|x| x.city_mean)));
        for (k, region) in edition.districts.regions.iter().enumerate() {
            rows.push(row(&region.id, r.regions[k], "region", None, &region.name, None, None, raw.as_ref().map(|x| x.region_means[k])));
        }
    }
    rows
}

/// `indices.csv`: UTF-8 with a BOM (see [`UTF8_BOM`]), then the header `indicator,entity,…`.
pub fn indices_csv(edition: &Edition, results: &IndexResults) -> Vec<u8> {
    let mut out = CsvOut::new(INDICES_COLUMNS.iter().map(|c| c.name));
    let precision = edition.precision as usize;
    for row in index_rows(edition, results) {
        let cells: Vec<String> = INDICES_COLUMNS.iter().map(|c| (c.value)(&row, precision)).collect();
        out.row(INDICES_COLUMNS.iter().zip(&cells).map(|(c, v)| if c.number { Cell::Num(v.clone()) } else { Cell::Text(v) }));
    }
    out.finish()
}

#[derive(Serialize)]
struct IndicesJson<'a> {
    year: u16,
    title: &'a Bilingual,
    precision: u8,
    columns: &'static str,
    regions: Vec<EntityJson<'a>>,
    districts: Vec<EntityJson<'a>>,
    indicators: Vec<IndicatorJson<'a>>,
    rows: Vec<IndexRow<'a>>,
}

#[derive(Serialize)]
struct EntityJson<'a> {
    id: &'a str,
    name: &'a Bilingual,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_name: Option<&'a Bilingual>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    id: &'a str,
    parent: Option<&'a str>,
    level: usize,
    kind: &'static str,
    weight: f64,
    weight_text: &'a str,
    name: &'a Bilingual,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a Bilingual>,
    /// Decimals of the raw values in the rows, for leaves that have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_precision: Option<u8>,
}

/// `indices.json`: the same rows as the CSV, plus the names and the tree.
pub fn indices_json(edition: &Edition, results: &IndexResults) -> Vec<u8> {
    let doc = IndicesJson {
        year: edition.year,
        title: &edition.title,
        precision: edition.precision,
        columns: "value is unrounded; published is rounded half-up to `precision`; rank and region_rank are competition ranks on the published value, null for city and region rows; raw (leaves with a unit or a normalisation only) is the value as given, for city and region rows the plain mean of their districts' raw values",
        regions: edition.districts.regions.iter().map(|r| EntityJson { id: &r.id, name: &r.name, full_name: None, region: None }).collect(),
        districts: edition
            .districts
            .districts
            .iter()
            .map(|d| EntityJson { id: &d.id, name: &d.name, full_name: Some(&d.full_name), region: Some(&edition.districts.regions[d.region].id) })
            .collect(),
        indicators: edition
            .tree
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| IndicatorJson {
                id: &n.id,
                parent: n.parent.as_deref(),
                level: n.level,
                kind: match n.kind {
                    IndicatorKind::Index => "index",
                    IndicatorKind::Coefficient => "coefficient",
                },
                weight: n.weight,
                weight_text: &n.weight_text,
                name: edition.tree.display_name(i),
                unit: n.unit.as_ref(),
                raw_precision: raw_values(edition, i).map(|x| x.precision),
            })
            .collect(),
        rows: index_rows(edition, results),
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("serialising plain data");
    out.push(b'\n');
    out
}

/// `changes.csv`: for every indicator that continues one of the previous edition, the change of
/// each district's published value and rank, and of the city and region values.
/// `rank_change` is positive when a district moved up (rank then − rank now).
pub fn changes_csv(edition: &Edition, changes: &EditionChanges) -> Vec<u8> {
    let mut w = CsvOut::new(["indicator", "previous_year", "previous_indicator", "entity", "value_change", "rank_change"]);
    use csv_out::Cell::{Num, Text};
    let precision = edition.precision as usize;
    let fmt = |x: Option<f64>| x.map(|v| format!("{:+.*}", precision, v)).unwrap_or_default();
    let previous_year = changes.previous_year.to_string();
    for (i, node) in edition.tree.nodes.iter().enumerate() {
        if changes.previous_node[i].is_none() {
            continue; // new indicator: nothing to compare with
        }
        let previous_id = changes.previous_id[i].clone().unwrap_or_default();
        for (d, district) in edition.districts.districts.iter().enumerate() {
            let rank = changes.rank_change[i][d].map(|r| if r == 0 { "0".into() } else { format!("{r:+}") }).unwrap_or_default();
            w.row([Text(&node.id), Num(previous_year.clone()), Text(&previous_id), Text(&district.id), Num(fmt(changes.value_change[i][d])), Num(rank)]);
        }
        w.row([Text(&node.id), Num(previous_year.clone()), Text(&previous_id), Text("city"), Num(fmt(changes.city_change[i])), Num(String::new())]);
        for (r, region) in edition.districts.regions.iter().enumerate() {
            w.row([Text(&node.id), Num(previous_year.clone()), Text(&previous_id), Text(&region.id), Num(fmt(changes.region_change[i][r])), Num(String::new())]);
        }
    }
    w.finish()
}
