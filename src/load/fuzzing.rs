//! Entry points for the fuzz targets under `fuzz/`: each loader run on arbitrary text, with the
//! starter project (`cityreport init`) as the context a loader needs (the tree for values.csv,
//! the districts for the map). Not part of the tool's interface; a fuzz target only asks that
//! these return (an error is fine) and never panic.

use std::path::Path;

use crate::diagnostic::Diagnostics;
use crate::model::{Bilingual, Districts, Edition, IndicatorTree, Lang, Status};

const STARTER_INDICATORS: &str = include_str!("../scaffold/starter/data/2024/indicators.toml");
const STARTER_DISTRICTS: &str = include_str!("../scaffold/starter/data/2024/districts.toml");
const STARTER_VALUES: &str = include_str!("../scaffold/starter/data/2024/values.csv");
const STARTER_MAP: &str = include_str!("../scaffold/starter/data/2024/districts.geojson");

fn starter_tree() -> IndicatorTree {
    super::indicators::read_indicators(Path::new("indicators.toml"), STARTER_INDICATORS).expect("the starter's tree loads")
}

fn starter_districts() -> Districts {
    super::districts::read_districts(Path::new("districts.toml"), STARTER_DISTRICTS).expect("the starter's districts load")
}

/// Renders every diagnostic, as the CLI would (placing them must not panic either).
fn shown<T>(r: Result<T, Diagnostics>) -> Option<T> {
    r.map_err(|d| d.to_string()).ok()
}

pub fn edition_toml(text: &str) {
    let _ = shown(super::edition_file::read_edition_file(Path::new("edition.toml"), text, 2024).map_err(Diagnostics::from));
}

pub fn indicators_toml(text: &str) {
    let _ = shown(super::indicators::read_indicators(Path::new("indicators.toml"), text));
}

pub fn districts_toml(text: &str) {
    let _ = shown(super::districts::read_districts(Path::new("districts.toml"), text));
}

pub fn values_csv(text: &str) {
    let _ = shown(super::values::read_csv_values(Path::new("values.csv"), text, &starter_tree(), &starter_districts()));
}

pub fn geojson(text: &str) {
    let _ = shown(super::map::read_map(Path::new("map.geojson"), text, &starter_districts(), Bilingual::default()));
}

/// A workbook's bytes as values.xlsx (the zip, its XML, cell references, shared strings).
pub fn values_xlsx(bytes: &[u8]) {
    let _ = shown(super::values::read_xlsx_values(Path::new("values.xlsx"), bytes, &starter_tree(), &starter_districts()));
}

/// A plan's plan.toml; when it loads, `actuals` (an actuals.csv) is read against it too.
pub fn plan(plan_toml: &str, actuals: &str) {
    if let Some(plan) = shown(super::plans::read_plan(Path::new("plan.toml"), "p", plan_toml)) {
        let _ = shown(super::plans::read_actuals(Path::new("actuals.csv"), actuals, &plan));
    }
}

pub fn history_csv(text: &str) {
    let _ = shown(super::history::read_history(Path::new("history.csv"), text));
}

pub fn bytes_as_text(bytes: &[u8]) {
    let _ = super::text::decode_text(Path::new("any.csv"), bytes).map_err(|d| d.to_string());
}

/// The starter edition with `page` (a narrative file's whole text, front matter and all) as its
/// English home page, or `None` if the page's front matter is refused.
pub fn starter_with_page(page: &str) -> Option<Edition> {
    let tree = starter_tree();
    let districts = starter_districts();
    let values = super::values::read_csv_values(Path::new("values.csv"), STARTER_VALUES, &tree, &districts).ok()?;
    let map = super::map::read_map(Path::new("map.geojson"), STARTER_MAP, &districts, Bilingual::default()).ok()?;
    let page = super::content::parse_page(Path::new("_index.md"), page, Lang::En, "_index".into()).map_err(|d| d.to_string()).ok()?;
    Some(Edition {
        year: 2024,
        title: Bilingual::new("示例", "Example"),
        subtitle: None,
        publisher: None,
        publication: Default::default(),
        status: Status::Published,
        precision: 2,
        tree,
        districts,
        values,
        map: Some(map),
        content: vec![page],
        plans: Vec::new(),
        uncertainty: None,
        values_file: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzz targets' entry points return on their seeds and on every cut of them (a quick
    /// stand-in for a fuzzing run, which CI does not do).
    #[test]
    fn entry_points_survive_their_seeds_cut_anywhere() {
        let plan_toml = include_str!("../../fuzz/seeds/plan/plan.toml");
        let actuals = include_str!("../../fuzz/seeds/plan/actuals.csv");
        for cut in (0..plan_toml.len()).filter(|&i| plan_toml.is_char_boundary(i)).step_by(7) {
            plan(&plan_toml[..cut], actuals);
        }
        for cut in (0..actuals.len()).filter(|&i| actuals.is_char_boundary(i)).step_by(5) {
            plan(plan_toml, &actuals[..cut]);
        }
        let xlsx = include_bytes!("../../fuzz/seeds/values_xlsx/starter.xlsx");
        for cut in (0..xlsx.len()).step_by(97) {
            values_xlsx(&xlsx[..cut]);
        }
        let mut flipped = xlsx.to_vec();
        for i in (0..flipped.len()).step_by(131) {
            flipped[i] ^= 0x5a;
            values_xlsx(&flipped);
        }
        values_xlsx(xlsx);
    }
}
