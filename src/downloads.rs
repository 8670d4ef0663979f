//! Render stage for the data downloads: `indices.csv`, `indices.json` and the input values.
//! Columns are documented for readers in docs/data-formats.md and on the site's data page.

use serde::Serialize;

use crate::compute::round_half_up;
use crate::model::{Bilingual, Edition, EditionChanges, IndexResults, IndicatorKind};

/// Header of indices.csv; the first five columns are the stable contract.
pub const INDICES_CSV_HEADER: [&str; 14] = [
    "indicator", "entity", "value", "rank", "region_rank", "published", "level", "kind", "entity_type", "region",
    "indicator_zh", "indicator_en", "entity_zh", "entity_en",
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
        let kind = match node.kind {
            IndicatorKind::Index => "index",
            IndicatorKind::Coefficient => "coefficient",
        };
        let row = |entity: &'a str, value: f64, entity_type, region, entity_name, rank, region_rank| IndexRow {
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
            indicator_name: &node.name,
            entity_name,
        };
        for (d, district) in edition.districts.districts.iter().enumerate() {
            let region = &edition.districts.regions[district.region];
            rows.push(row(&district.id, r.districts[d], "district", Some(region.id.as_str()), &district.name, Some(r.rank[d]), Some(r.region_rank[d])));
        }
        rows.push(row("city", r.city, "city", None, city_name, None, None));
        for (k, region) in edition.districts.regions.iter().enumerate() {
            rows.push(row(&region.id, r.regions[k], "region", None, &region.name, None, None));
        }
    }
    rows
}

/// `indices.csv`: UTF-8 without a BOM, so the header is exactly `indicator,entity,…` for tools
/// (the data page tells Excel users how to open it).
pub fn indices_csv(edition: &Edition, results: &IndexResults) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(INDICES_CSV_HEADER).expect("writing to memory");
    let precision = edition.precision as usize;
    for row in index_rows(edition, results) {
        let opt = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_default();
        w.write_record([
            row.indicator.to_string(),
            row.entity.to_string(),
            format!("{}", row.value),
            opt(row.rank),
            opt(row.region_rank),
            format!("{:.*}", precision, row.published),
            row.level.to_string(),
            row.kind.to_string(),
            row.entity_type.to_string(),
            row.region.unwrap_or("").to_string(),
            row.indicator_name.zh.clone(),
            row.indicator_name.en.clone(),
            row.entity_name.zh.clone(),
            row.entity_name.en.clone(),
        ])
        .expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
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
}

/// `indices.json`: the same rows as the CSV, plus the names and the tree.
pub fn indices_json(edition: &Edition, results: &IndexResults) -> Vec<u8> {
    let doc = IndicesJson {
        year: edition.year,
        title: &edition.title,
        precision: edition.precision,
        columns: "value is unrounded; published is rounded half-up to `precision`; rank and region_rank are competition ranks on the published value, null for city and region rows",
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
            .map(|n| IndicatorJson {
                id: &n.id,
                parent: n.parent.as_deref(),
                level: n.level,
                kind: match n.kind {
                    IndicatorKind::Index => "index",
                    IndicatorKind::Coefficient => "coefficient",
                },
                weight: n.weight,
                weight_text: &n.weight_text,
                name: &n.name,
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
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(["indicator", "previous_year", "previous_indicator", "entity", "value_change", "rank_change"]).expect("memory");
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
            w.write_record([&node.id, &previous_year, &previous_id, &district.id, &fmt(changes.value_change[i][d]), &rank]).expect("memory");
        }
        w.write_record([&node.id, &previous_year, &previous_id, "city", &fmt(changes.city_change[i]), ""]).expect("memory");
        for (r, region) in edition.districts.regions.iter().enumerate() {
            w.write_record([&node.id, &previous_year, &previous_id, &region.id, &fmt(changes.region_change[i][r]), ""]).expect("memory");
        }
    }
    w.into_inner().expect("memory")
}
