//! Raw values beside the scores, the method in words and the weight in the root index, for the
//! indicator pages and the district profiles (issue #13). Which leaves show raw values, at what
//! precision, and what "effective weight" means are decided in `compute::raw`.

use super::blocks::{Cell, Column, col, Stat, Block};
use crate::site::view::EditionView;
use crate::site::SiteError;
use crate::format;
use crate::compute::raw::{effective_weight, parameter_precision, raw_range, relative_to_100, shows_raw, RawValues};
use crate::model::{IndicatorKind, Normalisation, Polarity};

/// A raw number in the page's language, with its unit when the leaf has one: "93.2 %".
fn with_unit(v: &EditionView, x: f64, precision: u8, raw: &RawValues) -> Result<String, SiteError> {
    let number = format::number(x, precision);
    match raw.unit {
        Some(unit) => v.fill("raw_with_unit", &[("value", &number), ("unit", unit.get(v.lang))]),
        None => Ok(number),
    }
}

/// Whether any leaf of the edition shows raw values: only then do the profiles get the column
/// (an edition given entirely as scores keeps its tables as they were).
pub(super) fn edition_has_raw(v: &EditionView) -> bool {
    v.ed.tree.nodes.iter().any(shows_raw)
}

/// The header of the score column: "得分 / Score" beside a raw column, else the usual "Value".
pub(super) fn score_column(v: &EditionView, with_raw: bool) -> Result<Column, SiteError> {
    Ok(col(v.t(if with_raw { "col_score" } else { "col_value" })?, true))
}

/// The raw column of node `i`'s ranking tables, with the unit in its header: "原始值（%）".
pub(super) fn ranking_column(v: &EditionView, i: usize) -> Result<Option<Column>, SiteError> {
    let Some(raw) = &v.raw[i] else { return Ok(None) };
    let label = match raw.unit {
        Some(unit) => v.fill("col_raw_unit", &[("unit", unit.get(v.lang))])?,
        None => v.t("col_raw")?.to_string(),
    };
    Ok(Some(col(label, true)))
}

/// District `d`'s raw value of node `i` in a ranking table (the unit is in the header).
pub(super) fn ranking_cell(v: &EditionView, i: usize, d: usize) -> Option<Cell> {
    v.raw[i].as_ref().map(|raw| Cell::num(format::number(raw.districts[d], raw.precision)))
}

/// District `d`'s raw value of node `i` in its profile, where units differ from row to row:
/// "93.2 %", or "—" for an indicator without raw values.
pub(super) fn profile_cell(v: &EditionView, i: usize, d: usize) -> Result<Cell, SiteError> {
    Ok(match &v.raw[i] {
        Some(raw) => Cell { class: Some("with-unit"), ..Cell::num(with_unit(v, raw.districts[d], raw.precision, raw)?) },
        None => Cell::num("—"),
    })
}

/// The mean of the districts' raw values for the city and each region, stated as such.
pub(super) fn means(v: &EditionView, i: usize) -> Result<Option<Block>, SiteError> {
    let Some(raw) = &v.raw[i] else { return Ok(None) };
    let note = v.t("raw_mean_note")?;
    let mut items = vec![Stat::new(v.t("raw_mean_city")?, with_unit(v, raw.city_mean, raw.precision, raw)?).note(note)];
    for (r, &mean) in raw.region_means.iter().enumerate() {
        let label = v.fill("raw_mean_region", &[("region", v.region_name(r))])?;
        items.push(Stat::new(label, with_unit(v, mean, raw.precision, raw)?).note(note));
    }
    Ok(Some(Block::Stats { items }))
}

/// Node `i`'s weight in the root index, for its page's facts: "4.5%", or "multiplier".
pub(super) fn effective_weight_stat(v: &EditionView, i: usize) -> Result<Stat, SiteError> {
    let label = v.fill("fact_effective_weight", &[("root", v.ind_name(0))])?;
    Ok(match effective_weight(&v.ed.tree, i) {
        Some(w) => Stat::new(label, format::percent(w)),
        None => Stat::new(label, v.t("multiplier")?),
    })
}

/// The method of node `i` in words with its parameters, then how its weight in the root index
/// comes about (and what coefficients do to it).
pub(super) fn method_blocks(v: &EditionView, i: usize) -> Result<Vec<Block>, SiteError> {
    let mut blocks = vec![Block::Paragraph { text: method_sentence(v, i)? }];
    let tree = &v.ed.tree;
    let text = match effective_weight(tree, i) {
        Some(_) => {
            let path: Vec<String> = tree.path_to(i).iter().skip(1).map(|&p| format::percent(tree.nodes[p].weight)).collect();
            let mut text = v.fill("effective_weight_explained", &[("root", v.ind_name(0)), ("path", &path.join(" × "))])?;
            let coefficients: Vec<String> = v.coefficients().iter().map(|&c| v.ind_name(c).to_string()).collect();
            if !coefficients.is_empty() {
                if v.lang == crate::model::Lang::En {
                    text.push(' ');
                }
                text.push_str(&v.fill("effective_weight_coefficients", &[("names", &format::join_names(&coefficients, v.lang))])?);
            }
            text
        }
        None => v.fill("effective_weight_of_coefficient", &[("parent", v.ind_name(tree.parent_of(i).unwrap_or(0)))])?,
    };
    blocks.push(Block::Paragraph { text });
    Ok(blocks)
}

/// "Score = …": the leaf's normalisation with its parameters (target, base, this edition's
/// lowest and highest value, lower-is-better); for a computed index, its weighted mean.
fn method_sentence(v: &EditionView, i: usize) -> Result<String, SiteError> {
    let tree = &v.ed.tree;
    let node = &tree.nodes[i];
    if node.kind == IndicatorKind::Coefficient {
        return v.fill("method_coefficient", &[("parent", v.ind_name(tree.parent_of(i).unwrap_or(0)))]);
    }
    if !node.is_leaf() {
        let coefficients: Vec<String> = node
            .children
            .iter()
            .filter(|&&c| tree.nodes[c].kind == IndicatorKind::Coefficient)
            .map(|&c| v.ind_name(c).to_string())
            .collect();
        return match coefficients.is_empty() {
            true => Ok(v.t("method_computed")?.to_string()),
            false => v.fill("method_computed_coefficients", &[("names", &format::join_names(&coefficients, v.lang))]),
        };
    }
    let Some(raw) = &v.raw[i] else {
        return Ok(v.t(if relative_to_100(tree, i) { "method_none_relative" } else { "method_none" })?.to_string());
    };
    let lower = node.polarity == Polarity::Lower;
    let key = |base: &str| if lower { format!("{base}_lower") } else { base.to_string() };
    let raw_text = |x: f64| with_unit(v, x, raw.precision, raw);
    let parameter = |x: f64| with_unit(v, x, parameter_precision(node, raw.districts, x), raw);
    let (min, max) = raw_range(raw.districts);
    match node.normalisation {
        Normalisation::None => Ok(v.t(if relative_to_100(tree, i) { "method_none_relative" } else { "method_none" })?.to_string()),
        Normalisation::MeanRatio => v.fill(&key("method_mean_ratio"), &[("mean", &raw_text(raw.city_mean)?)]),
        Normalisation::BaseRatio { base } => v.fill(&key("method_base_ratio"), &[("base", &parameter(base)?)]),
        Normalisation::MinMax => v.fill(&key("method_min_max"), &[("min", &raw_text(min)?), ("max", &raw_text(max)?)]),
        Normalisation::Target { target } => {
            let worst = if lower { max } else { min };
            v.fill(&key("method_target"), &[("worst", &raw_text(worst)?), ("target", &parameter(target)?)])
        }
    }
}
