//! Raw values beside the scores (issue #13): which leaves show their raw values, at what
//! precision, with which city and region means; a node's effective weight in the root index; and
//! whether a node's scores are relative to 100 (so that a "baseline 100" line means something).
//! Pure functions of the edition, shared by the figures, the downloads and the pages.

use crate::model::{Bilingual, Edition, Indicator, IndicatorKind, IndicatorTree, Normalisation};

use super::round_half_up;

/// Most decimals a raw value gets when indicators.toml states no `raw_precision`: enough for
/// shares such as 0.125 or 93.25 %, few enough that a computed value (a third) stays readable.
pub const DEFAULT_MAX_RAW_PRECISION: u8 = 3;

/// Whether the pages and downloads show the raw values of node `node`: a leaf index measured in
/// a unit or normalised from raw values (a leaf given as a score, without unit, has none).
pub fn shows_raw(node: &Indicator) -> bool {
    node.kind == IndicatorKind::Index && node.is_leaf() && (node.unit.is_some() || node.normalisation != Normalisation::None)
}

/// Decimals of a leaf's raw values: its `raw_precision`, or else the fewest decimals (up to
/// [`DEFAULT_MAX_RAW_PRECISION`]) that show every district's value as it was given — 93.2 and
/// 88.75 give 2; counts give 0. Depends only on the values, so it is the same in every build.
pub fn raw_precision(node: &Indicator, values: &[f64]) -> u8 {
    node.raw_precision.unwrap_or_else(|| derived_precision(values))
}

/// Decimals of a method's parameter (a target, a base) written in the leaf's raw unit: the raw
/// precision, widened when no `raw_precision` is stated so that the parameter shows as given
/// (a target of 97.5 among whole-number values).
pub fn parameter_precision(node: &Indicator, values: &[f64], parameter: f64) -> u8 {
    node.raw_precision.unwrap_or_else(|| derived_precision(values).max(derived_precision(&[parameter])))
}

fn derived_precision(values: &[f64]) -> u8 {
    (0..DEFAULT_MAX_RAW_PRECISION)
        .find(|&p| values.iter().all(|&v| (round_half_up(v, p) - v).abs() <= 1e-9 * v.abs().max(1.0)))
        .unwrap_or(DEFAULT_MAX_RAW_PRECISION)
}

/// A leaf's raw values with what is needed to show them.
#[derive(Debug, Clone, PartialEq)]
pub struct RawValues<'a> {
    /// By district index, as given.
    pub districts: &'a [f64],
    pub precision: u8,
    /// Unweighted mean of the districts' raw values (not a city-wide statistic: a mean of rates
    /// is not the city's rate), and of each region's districts (by region index).
    pub city_mean: f64,
    pub region_means: Vec<f64>,
    pub unit: Option<&'a Bilingual>,
}

/// The raw values of node `i`, if it shows them (see [`shows_raw`]).
pub fn raw_values(ed: &Edition, i: usize) -> Option<RawValues<'_>> {
    let node = &ed.tree.nodes[i];
    if !shows_raw(node) {
        return None;
    }
    let districts = ed.values.by_node.get(&i)?.as_slice();
    let mean = |ds: &mut dyn Iterator<Item = usize>| {
        let (sum, n) = ds.fold((0.0, 0usize), |(s, n), d| (s + districts[d], n + 1));
        if n == 0 { f64::NAN } else { sum / n as f64 }
    };
    let city_mean = mean(&mut (0..districts.len()));
    let region_means = (0..ed.districts.regions.len()).map(|r| mean(&mut ed.districts.in_region(r))).collect();
    Some(RawValues { districts, precision: raw_precision(node, districts), city_mean, region_means, unit: node.unit.as_ref() })
}

/// Lowest and highest raw value, the parameters of the min–max and target methods.
pub fn raw_range(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

/// Share of the root index that node `i` carries: the product of the weights on the path from
/// the root (the root itself 1). `None` for a coefficient, which multiplies its parent's
/// weighted mean rather than taking a share of it; coefficients scale every share below their
/// parent alike, so they do not change these shares.
pub fn effective_weight(tree: &IndicatorTree, i: usize) -> Option<f64> {
    if tree.nodes[i].kind == IndicatorKind::Coefficient {
        return None;
    }
    Some(tree.path_to(i).iter().skip(1).map(|&p| tree.nodes[p].weight).product())
}

/// Whether node `i`'s scores are relative to 100 — 100 being the mean (`mean_ratio`), the base
/// (`base_ratio`), or the baseline of scores given as such when indicators.toml declares
/// `given_scores_relative_to_100` — so that a "baseline 100" line means something. A computed
/// node is when every index below it is (coefficients, multipliers near 1, are left out);
/// `min_max` and `target` scores run from 0 to 100 and are not.
pub fn relative_to_100(tree: &IndicatorTree, i: usize) -> bool {
    let node = &tree.nodes[i];
    match node.kind {
        IndicatorKind::Coefficient => false,
        IndicatorKind::Index if node.is_leaf() => match node.normalisation {
            Normalisation::MeanRatio | Normalisation::BaseRatio { .. } => true,
            Normalisation::None => tree.given_scores_relative_to_100,
            Normalisation::MinMax | Normalisation::Target { .. } => false,
        },
        IndicatorKind::Index => node
            .children
            .iter()
            .filter(|&&c| tree.nodes[c].kind == IndicatorKind::Index)
            .all(|&c| relative_to_100(tree, c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::read_indicators;

    const TREE: &str = r#"
[[indicator]]
id = "root"
name = { zh = "总", en = "Root" }

[[indicator]]
id = "ratios"
parent = "root"
name = { zh = "比", en = "Ratios" }
weight = 0.5

[[indicator]]
id = "mean"
parent = "ratios"
name = { zh = "均", en = "Mean" }
weight = "1/4"
unit = { zh = "个", en = "units" }
normalisation = { method = "mean_ratio" }

[[indicator]]
id = "given"
parent = "ratios"
name = { zh = "给", en = "Given" }
weight = "3/4"

[[indicator]]
id = "scaled"
parent = "root"
name = { zh = "标", en = "Scaled" }
weight = 0.5
normalisation = { method = "min_max" }
raw_precision = 1

[[indicator]]
id = "k"
parent = "root"
name = { zh = "系", en = "K" }
kind = "coefficient"
"#;

    fn tree(text: &str) -> IndicatorTree {
        read_indicators(std::path::Path::new("indicators.toml"), text).unwrap()
    }

    #[test]
    fn effective_weight_multiplies_down_the_path() {
        let t = tree(TREE);
        let w = |id: &str| effective_weight(&t, t.index_of(id).unwrap());
        assert_eq!(w("root"), Some(1.0));
        assert_eq!(w("mean"), Some(0.5 * 0.25));
        assert_eq!(w("given"), Some(0.5 * 0.75));
        assert_eq!(w("k"), None);
        let leaves: f64 = t.leaves().filter_map(|(i, _)| effective_weight(&t, i)).sum();
        assert!((leaves - 1.0).abs() < 1e-12, "the leaves' shares add up to the whole: {leaves}");
    }

    #[test]
    fn only_ratio_scores_and_declared_given_scores_are_relative_to_100() {
        let plain = tree(TREE);
        let declared = tree(&format!("given_scores_relative_to_100 = true\n{TREE}"));
        let rel = |t: &IndicatorTree, id: &str| relative_to_100(t, t.index_of(id).unwrap());
        assert!(rel(&plain, "mean"));
        assert!(!rel(&plain, "given") && rel(&declared, "given"));
        assert!(!rel(&plain, "ratios") && rel(&declared, "ratios"), "a computed node follows its children");
        assert!(!rel(&declared, "scaled") && !rel(&declared, "root"), "min–max scores are 0 to 100");
        assert!(!rel(&declared, "k"));
    }

    #[test]
    fn precision_is_stated_or_the_fewest_decimals_that_show_the_values() {
        let t = tree(TREE);
        let node = |id: &str| &t.nodes[t.index_of(id).unwrap()];
        assert_eq!(raw_precision(node("scaled"), &[1.234, 5.0]), 1, "stated");
        assert_eq!(raw_precision(node("mean"), &[12.0, 7.0, 300.0]), 0);
        assert_eq!(raw_precision(node("mean"), &[93.2, 88.75, 70.0]), 2);
        assert_eq!(raw_precision(node("mean"), &[0.1 + 0.2]), 1, "float noise is not a decimal");
        assert_eq!(raw_precision(node("mean"), &[1.0 / 3.0]), DEFAULT_MAX_RAW_PRECISION);
        assert_eq!(parameter_precision(node("mean"), &[12.0, 7.0], 97.5), 1, "the target shows as given");
        assert_eq!(parameter_precision(node("scaled"), &[12.0, 7.0], 97.55), 1, "a stated precision holds");
        assert!(shows_raw(node("mean")) && shows_raw(node("scaled")));
        assert!(!shows_raw(node("given")) && !shows_raw(node("ratios")) && !shows_raw(node("k")));
    }
}
