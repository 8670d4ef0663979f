//! `data/<year>/indicators.toml`: the indicator system, checked into an [`IndicatorTree`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Bilingual, Indicator, IndicatorKind, IndicatorTree, Normalisation, Polarity};

use super::names::check_name;
use super::toml_file::parse_toml;

/// How far index weights of siblings may stray from a sum of 1 (decimal weights such as 0.333).
const WEIGHT_SUM_TOLERANCE: f64 = 1e-6;
/// Coefficients multiply an index; outside this span they are almost certainly a typo
/// (a percentage, or a score entered in the wrong column), unless the edition states a range.
const DEFAULT_COEFFICIENT_RANGE: (f64, f64) = (0.0, 2.0);
/// Most decimals a raw value may be shown with (`raw_precision`): more would only show the
/// noise of the data's floating-point storage.
pub const MAX_RAW_PRECISION: i64 = 6;
/// Deepest level a tree may have. Real indicator systems have three or four levels; a deeper
/// one is almost certainly a chain of mistyped parents, and would make every chart and page of
/// the edition unreadable, so it is refused before anything is drawn.
pub const MAX_LEVEL: usize = 12;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorsFile {
    /// Leaves given as scores are relative to a baseline of 100 (see `IndicatorTree`).
    #[serde(default)]
    given_scores_relative_to_100: bool,
    indicator: Vec<RawIndicator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Spanned<String>,
    parent: Option<Spanned<String>>,
    name: Spanned<Bilingual>,
    weight: Option<Spanned<RawWeight>>,
    kind: Option<IndicatorKind>,
    range: Option<Spanned<[f64; 2]>>,
    unit: Option<Spanned<Bilingual>>,
    raw_precision: Option<Spanned<i64>>,
    #[serde(default)]
    polarity: Polarity,
    source: Option<Bilingual>,
    normalisation: Option<Spanned<Normalisation>>,
    printed_table: Option<String>,
    continues: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawWeight {
    Number(f64),
    Text(String),
}

/// Parses "0.2", "4/23" or "20%" into a number.
pub fn parse_weight(text: &str) -> Option<f64> {
    let t = text.trim();
    let value = if let Some(p) = t.strip_suffix('%') {
        p.trim().parse::<f64>().ok()? / 100.0
    } else if let Some((n, d)) = t.split_once('/') {
        let n: f64 = n.trim().parse().ok()?;
        let d: f64 = d.trim().parse().ok()?;
        if d == 0.0 {
            return None;
        }
        n / d
    } else {
        t.parse().ok()?
    };
    value.is_finite().then_some(value)
}

fn format_weight_number(w: f64) -> String {
    let s = format!("{w}");
    s
}

/// Where in indicators.toml a problem is: a diagnostic at the span's line and column.
type At<'a> = dyn Fn(std::ops::Range<usize>, String) -> Diagnostic + 'a;

/// Reads and checks the indicator system. Every problem is reported, not only the first; the
/// checks run in stages, each needing the one before to have passed (ids and parents, then
/// cycles, then the tree's shape, then each node and its siblings' weights).
pub fn read_indicators(path: &Path, text: &str) -> Result<IndicatorTree, Diagnostics> {
    let file: IndicatorsFile = parse_toml(path, text)?;
    let mut diags = Diagnostics::default();
    let at = |span: std::ops::Range<usize>, msg: String| Diagnostic::new(path, msg).at_offset(text, span.start);
    check_ids_and_parents(path, text, &file.indicator, &mut diags, &at);
    if !diags.is_empty() {
        return Err(diags);
    }
    check_cycles(&file.indicator, &mut diags, &at);
    if !diags.is_empty() {
        return Err(diags);
    }
    let (order, children_of) = tree_order(&file.indicator, &at)?;
    let new_index: HashMap<usize, usize> = order.iter().enumerate().map(|(n, &(i, _))| (i, n)).collect();
    let nodes: Vec<Indicator> = order
        .iter()
        .map(|&(i, level)| indicator_node(&file.indicator[i], level, &children_of, &new_index, &mut diags, &at))
        .collect();
    check_sibling_weights(&file.indicator, &order, &nodes, &mut diags, &at);
    let mut tree = IndicatorTree::new(nodes);
    tree.given_scores_relative_to_100 = file.given_scores_relative_to_100;
    diags.into_result(tree)
}

/// Ids well-formed and unique, names given in both languages, exactly one root, every parent
/// an id of this file.
fn check_ids_and_parents(path: &Path, text: &str, indicators: &[RawIndicator], diags: &mut Diagnostics, at: &At<'_>) {
    // Ids: well-formed and unique.
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for raw in indicators {
        let id = raw.id.get_ref().as_str();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            diags.push(at(raw.id.span(), format!("indicator id \"{id}\" may use only a–z, 0–9 and _"))
                .help("ids are used in values.csv, file names and web addresses; rename it, e.g. \"open_data\""));
        }
        if let Some(&line) = first_seen.get(id) {
            diags.push(at(raw.id.span(), format!("indicator id \"{id}\" is defined twice (first on line {line})"))
                .help("give every indicator its own id"));
        } else {
            first_seen.insert(id, crate::diagnostic::line_column(text, raw.id.span().start).0);
        }
    }

    for raw in indicators {
        diags.0.extend(check_name(path, text, &raw.name, &format!("indicator \"{}\"", raw.id.get_ref())));
    }

    // Parents: exactly one root, every other parent known.
    let ids: Vec<&str> = indicators.iter().map(|r| r.id.get_ref().as_str()).collect();
    let roots: Vec<&RawIndicator> = indicators.iter().filter(|r| r.parent.is_none()).collect();
    match roots.len() {
        0 => diags.push(Diagnostic::new(path, "no indicator without a parent: the tree has no root")
            .help("the overall index must have no `parent`")),
        1 => {}
        _ => {
            for r in &roots[1..] {
                diags.push(at(r.id.span(), format!("\"{}\" has no parent, but \"{}\" is already the root", r.id.get_ref(), roots[0].id.get_ref()))
                    .help("add `parent = \"…\"` to attach it to the tree"));
            }
        }
    }
    for raw in indicators {
        if let Some(parent) = &raw.parent {
            let p = parent.get_ref().as_str();
            if !first_seen.contains_key(p) {
                let mut d = at(parent.span(), format!("parent \"{p}\" of \"{}\" is not an indicator id", raw.id.get_ref()));
                d = match did_you_mean(p, ids.iter().copied()) {
                    Some(s) => d.help(format!("did you mean \"{s}\"?")),
                    None => d.help("use the id of an indicator defined in this file"),
                };
                diags.push(d);
            } else if p == raw.id.get_ref() {
                diags.push(at(parent.span(), format!("\"{p}\" is its own parent")).help("point `parent` at the node above it"));
            }
        }
    }
}

/// With one root and every parent known, a node that cannot reach the root sits on (or hangs
/// from) a cycle, so reporting cycles also reports every orphan.
fn check_cycles(indicators: &[RawIndicator], diags: &mut Diagnostics, at: &At<'_>) {
    // Cycles: with one root and every parent known, a node that cannot reach the root sits on
    // (or hangs from) a cycle, so reporting cycles also reports every orphan.
    let parent_of: HashMap<&str, &str> = indicators
        .iter()
        .filter_map(|r| r.parent.as_ref().map(|p| (r.id.get_ref().as_str(), p.get_ref().as_str())))
        .collect();
    let mut reported_cycle: HashSet<&str> = HashSet::new();
    // Nodes known to reach the root: each walk stops there, so a deep tree costs O(n), not O(n²).
    let mut reaches_root: HashSet<&str> = HashSet::new();
    for raw in indicators {
        let start = raw.id.get_ref().as_str();
        let mut seen = vec![start];
        let mut seen_set: HashSet<&str> = HashSet::from([start]);
        let mut cur = start;
        let mut on_cycle = false;
        while let Some(&p) = parent_of.get(cur) {
            if reaches_root.contains(p) {
                break;
            }
            if !seen_set.insert(p) {
                on_cycle = true;
                // `seen_set` holds what `seen` holds, so `p` is in `seen`.
                let cycle_start = seen.iter().position(|&s| s == p).unwrap_or(0);
                let members: Vec<&str> = seen[cycle_start..].to_vec();
                if members.iter().all(|m| !reported_cycle.contains(m)) {
                    reported_cycle.extend(members.iter().copied());
                    let mut chain = members.clone();
                    chain.push(p);
                    diags.push(at(raw.id.span(), format!("the parents form a cycle: {}", chain.join(" → ")))
                        .help("each indicator's parent must be closer to the root; fix one of these `parent` entries"));
                }
                break;
            }
            seen.push(p);
            cur = p;
        }
        if !on_cycle {
            reaches_root.extend(seen);
        }
    }
}

/// The nodes in pre-order with their levels (children in declaration order), and each node's
/// children by id; an error if the tree is deeper than [`MAX_LEVEL`].
type TreeOrder<'f> = (Vec<(usize, usize)>, HashMap<&'f str, Vec<usize>>);
fn tree_order<'f>(indicators: &'f [RawIndicator], at: &At<'_>) -> Result<TreeOrder<'f>, Diagnostics> {
    // Children lists in declaration order, then a pre-order walk.
    let mut children_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, raw) in indicators.iter().enumerate() {
        if let Some(p) = &raw.parent {
            children_of.entry(p.get_ref().as_str()).or_default().push(i);
        }
    }
    let mut order: Vec<(usize, usize)> = Vec::new(); // (raw index, level)
    // Called only once the checks above found exactly one root.
    let Some(root) = indicators.iter().position(|r| r.parent.is_none()) else { return Ok((Vec::new(), children_of)) };
    let mut stack = vec![(root, 0usize)];
    while let Some((i, level)) = stack.pop() {
        order.push((i, level));
        if let Some(kids) = children_of.get(indicators[i].id.get_ref().as_str()) {
            for &k in kids.iter().rev() {
                stack.push((k, level + 1));
            }
        }
    }
    if let Some(&(deepest, level)) = order.iter().filter(|(_, l)| *l > MAX_LEVEL).max_by_key(|(i, l)| (*l, std::cmp::Reverse(*i))) {
        let raw = &indicators[deepest];
        return Err(at(raw.id.span(), format!("\"{}\" is at level {level} of the tree; at most {MAX_LEVEL} levels are supported", raw.id.get_ref()))
            .help("check the `parent` entries along this branch: indicator systems usually have three or four levels")
            .into());
    }
    Ok((order, children_of))
}

/// One node of the tree, checked on its own: its weight, a coefficient's range, what may have
/// children or a normalisation, its unit and raw precision.
fn indicator_node(
    raw: &RawIndicator,
    level: usize,
    children_of: &HashMap<&str, Vec<usize>>,
    new_index: &HashMap<usize, usize>,
    diags: &mut Diagnostics,
    at: &At<'_>,
) -> Indicator {
    let id = raw.id.get_ref().clone();
    let kind = raw.kind.unwrap_or(IndicatorKind::Index);
    let has_children = children_of.contains_key(id.as_str());
    let (weight, weight_text) = node_weight(raw, &id, kind, diags, at);
    let coefficient_range = coefficient_range(raw, &id, kind, diags, at);
    if kind == IndicatorKind::Coefficient && has_children {
        diags.push(at(raw.id.span(), format!("coefficient \"{id}\" has children"))
            .help("a coefficient is a measured value; it cannot be aggregated from other indicators"));
    }
    if kind == IndicatorKind::Coefficient && raw.parent.is_none() {
        diags.push(at(raw.id.span(), format!("the root \"{id}\" cannot be a coefficient"))
            .help("the root is the overall index; remove `kind = \"coefficient\"` from it"));
    }
    check_normalisation(raw, &id, diags, at);
    if has_children && normalisation_of(raw) != Normalisation::None {
        diags.push(at(raw.id.span(), format!("\"{id}\" has children, so it is computed and cannot be normalised"))
            .help("state `normalisation` on the leaves that hold raw values"));
    }
    let raw_precision = check_raw_values(raw, kind, has_children, diags, &at);
    let children = children_of
        .get(id.as_str())
        .map(|kids| kids.iter().map(|k| new_index[k]).collect())
        .unwrap_or_default();
    Indicator {
        id,
        parent: raw.parent.as_ref().map(|p| p.get_ref().clone()),
        name: raw.name.get_ref().clone(),
        weight,
        weight_text,
        kind,
        unit: raw.unit.as_ref().map(|u| u.get_ref().clone()),
        polarity: raw.polarity,
        source: raw.source.clone(),
        normalisation: normalisation_of(raw),
        raw_precision,
        coefficient_range,
        printed_table: raw.printed_table.clone(),
        continues: raw.continues.clone(),
        level,
        children,
    }
}

/// The weight as a number and as the analyst wrote it: 1 for the root, "×" for a coefficient.
fn node_weight(raw: &RawIndicator, id: &str, kind: IndicatorKind, diags: &mut Diagnostics, at: &At<'_>) -> (f64, String) {
    match (&raw.weight, raw.parent.is_some(), kind) {
        (None, false, _) => (1.0, "1".to_string()),
        (Some(w), false, _) => {
            diags.push(at(w.span(), format!("the root \"{id}\" has a weight")).help("remove `weight` from the root"));
            (1.0, "1".into())
        }
        (None, true, IndicatorKind::Coefficient) => (1.0, "×".to_string()),
        (Some(w), true, IndicatorKind::Coefficient) => {
            diags.push(at(w.span(), format!("coefficient \"{id}\" has a weight, but coefficients multiply their parent"))
                .help("remove `weight` from the coefficient"));
            (1.0, "×".into())
        }
        (None, true, IndicatorKind::Index) => {
            diags.push(at(raw.id.span(), format!("indicator \"{id}\" has no weight"))
                .help("add `weight = …` (a decimal such as 0.25 or a fraction such as \"1/4\")"));
            (0.0, String::new())
        }
        (Some(w), true, IndicatorKind::Index) => {
            let parsed = match w.get_ref() {
                RawWeight::Number(n) => Some((*n, format_weight_number(*n))),
                RawWeight::Text(t) => parse_weight(t).map(|v| (v, t.trim().to_string())),
            };
            match parsed {
                Some((v, t)) if v > 0.0 && v <= 1.0 => (v, t),
                Some((v, _)) => {
                    diags.push(at(w.span(), format!("weight of \"{id}\" is {v}, outside (0, 1]"))
                        .help("weights are shares of the parent: between 0 and 1"));
                    (v, String::new())
                }
                None => {
                    diags.push(at(w.span(), format!("weight of \"{id}\" is not a number or fraction"))
                        .help("write a decimal (0.25), a fraction (\"1/4\") or a percentage (\"25%\")"));
                    (0.0, String::new())
                }
            }
        }
    }
}

/// A coefficient's plausible range (the default when none is given); `range` on an index is an error.
fn coefficient_range(raw: &RawIndicator, id: &str, kind: IndicatorKind, diags: &mut Diagnostics, at: &At<'_>) -> Option<(f64, f64)> {
    match (kind, &raw.range) {
        (IndicatorKind::Coefficient, Some(r)) => {
            let [lo, hi] = *r.get_ref();
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                diags.push(at(r.span(), format!("range of \"{id}\" must be [low, high] with low < high"))
                    .help("write the lowest and highest plausible value, e.g. range = [0.8, 1.0]"));
            }
            Some((lo, hi))
        }
        (IndicatorKind::Coefficient, None) => Some(DEFAULT_COEFFICIENT_RANGE),
        (IndicatorKind::Index, Some(r)) => {
            diags.push(at(r.span(), format!("`range` is only for coefficients, and \"{id}\" is an index"))
                .help("remove `range`, or set kind = \"coefficient\""));
            None
        }
        (IndicatorKind::Index, None) => None,
    }
}

/// Sibling weights sum to 1 (index children only; coefficients multiply).
fn check_sibling_weights(indicators: &[RawIndicator], order: &[(usize, usize)], nodes: &[Indicator], diags: &mut Diagnostics, at: &At<'_>) {
    for (n, &(i, _)) in order.iter().enumerate() {
        let node = &nodes[n];
        let index_kids: Vec<&Indicator> =
            node.children.iter().map(|&c| &nodes[c]).filter(|c| c.kind == IndicatorKind::Index).collect();
        if node.children.is_empty() {
            continue;
        }
        if index_kids.is_empty() {
            diags.push(at(indicators[i].id.span(), format!("\"{}\" has only coefficients below it", node.id))
                .help("a computed index needs at least one index child to average"));
            continue;
        }
        let sum: f64 = index_kids.iter().map(|c| c.weight).sum();
        if (sum - 1.0).abs() > WEIGHT_SUM_TOLERANCE && index_kids.iter().all(|c| c.weight > 0.0) {
            let parts: Vec<String> = index_kids.iter().map(|c| format!("{} {}", c.id, c.weight_text)).collect();
            diags.push(at(indicators[i].id.span(), format!(
                "the weights of the children of \"{}\" add up to {} instead of 1 ({})",
                node.id,
                trim_float(sum),
                parts.join(", ")
            ))
            .help("adjust the children's weights so they add up to 1; exact fractions such as \"1/3\" avoid rounding"));
        }
    }
}

fn normalisation_of(raw: &RawIndicator) -> Normalisation {
    raw.normalisation.as_ref().map(|n| n.get_ref().clone()).unwrap_or_default()
}

/// The smallest `base` a base ratio may have: value ÷ base × 100 of the largest value the
/// loader accepts (1e15) is then still a finite number (`base = 1e-320` gave infinity for all).
const MIN_BASE: f64 = 1e-100;

/// A normalisation's parameters are finite and in their meaningful range: TOML reads `nan`
/// and `inf`, which built a site of NaN or 0 scores without a word.
fn check_normalisation(raw: &RawIndicator, id: &str, diags: &mut Diagnostics, at: &At<'_>) {
    let Some(n) = &raw.normalisation else { return };
    match *n.get_ref() {
        Normalisation::BaseRatio { base } if !(base.is_finite() && base >= MIN_BASE) => {
            diags.push(at(n.span(), format!("the base of \"{id}\"'s base_ratio is {base}; it must be a positive number (at least {MIN_BASE:e})"))
                .help("write the reference value the indicator is divided by, e.g. normalisation = { method = \"base_ratio\", base = 80 }"));
        }
        Normalisation::Target { target } if !target.is_finite() => {
            diags.push(at(n.span(), format!("the target of \"{id}\"'s target normalisation is {target}, not a finite number"))
                .help("write the value that scores 100, e.g. normalisation = { method = \"target\", target = 95 }"));
        }
        _ => {}
    }
}

/// `unit` and `raw_precision`: only where a raw value is shown (a leaf index with a unit or a
/// normalisation), and a precision from 0 to [`MAX_RAW_PRECISION`]. Returns the precision.
fn check_raw_values(
    raw: &RawIndicator,
    kind: IndicatorKind,
    has_children: bool,
    diags: &mut Diagnostics,
    at: &impl Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Option<u8> {
    let id = raw.id.get_ref();
    if let (Some(unit), IndicatorKind::Coefficient) = (&raw.unit, kind) {
        diags.push(at(unit.span(), format!("coefficient \"{id}\" has a unit, but a coefficient is a plain multiplier"))
            .help("remove `unit` from the coefficient: its values multiply its parent's score as they are (e.g. 0.95)"));
    }
    let p = raw.raw_precision.as_ref()?;
    let shows_raw = kind == IndicatorKind::Index
        && !has_children
        && (raw.unit.is_some() || normalisation_of(raw) != Normalisation::None);
    let n = *p.get_ref();
    if !(0..=MAX_RAW_PRECISION).contains(&n) {
        diags.push(at(p.span(), format!("raw_precision of \"{id}\" is {n}; it must be a whole number from 0 to {MAX_RAW_PRECISION}"))
            .help("raw_precision is how many decimals raw values are shown with, e.g. raw_precision = 1 for 93.2 %"));
        return None;
    }
    if !shows_raw {
        diags.push(at(p.span(), format!("\"{id}\" has a raw_precision, but no raw value of it is shown"))
            .help("raw values are shown for leaf indicators with a `unit` or a `normalisation`; remove raw_precision here, or give the leaf its unit"));
        return None;
    }
    Some(n as u8)
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<IndicatorTree, Diagnostics> {
        read_indicators(Path::new("indicators.toml"), text)
    }

    const SMALL: &str = r#"
[[indicator]]
id = "overall"
name = { zh = "总", en = "Overall" }

[[indicator]]
id = "a"
parent = "overall"
name = { zh = "甲", en = "A" }
weight = "1/3"

[[indicator]]
id = "b"
parent = "overall"
name = { zh = "乙", en = "B" }
weight = "2/3"

[[indicator]]
id = "a1"
parent = "a"
name = { zh = "甲一", en = "A1" }
weight = 1

[[indicator]]
id = "k"
parent = "overall"
name = { zh = "系数", en = "K" }
kind = "coefficient"
"#;

    #[test]
    fn builds_a_preorder_tree_with_levels() {
        let tree = load(SMALL).unwrap();
        let ids: Vec<&str> = tree.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["overall", "a", "a1", "b", "k"]);
        assert_eq!(tree.get("a1").unwrap().level, 2);
        assert!((tree.get("b").unwrap().weight - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(tree.get("b").unwrap().weight_text, "2/3");
        assert_eq!(tree.root().children, vec![1, 3, 4]);
        assert_eq!(tree.get("k").unwrap().coefficient_range, Some(DEFAULT_COEFFICIENT_RANGE));
    }

    #[test]
    fn parses_weights() {
        assert_eq!(parse_weight("4/23"), Some(4.0 / 23.0));
        assert_eq!(parse_weight("25%"), Some(0.25));
        assert_eq!(parse_weight("0.2"), Some(0.2));
        assert_eq!(parse_weight("1/0"), None);
        assert_eq!(parse_weight("abc"), None);
    }

    #[test]
    fn weights_not_summing_to_one_are_reported_on_the_parent_line() {
        let err = load(&SMALL.replace("\"2/3\"", "0.6")).unwrap_err();
        let d = &err.0[0];
        assert!(d.message.contains("add up to 0.933333"), "{}", d.message);
        assert_eq!(d.line, Some(3), "{d}");
    }

    #[test]
    fn unknown_parent_gets_a_suggestion() {
        let err = load(&SMALL.replace("parent = \"a\"", "parent = \"aa\"")).unwrap_err();
        assert_eq!(err.0[0].help.as_deref(), Some("did you mean \"a\"?"));
        assert_eq!(err.0[0].line, Some(20));
    }

    #[test]
    fn cycles_are_reported() {
        let text = SMALL.replace("id = \"a\"\nparent = \"overall\"", "id = \"a\"\nparent = \"a1\"");
        let err = load(&text).unwrap_err();
        assert!(err.0.iter().any(|d| d.message.contains("cycle") && d.message.contains("a → a1 → a") || d.message.contains("a1 → a → a1")), "{err}");
    }

    #[test]
    fn a_second_root_is_an_orphan() {
        let text = format!("{SMALL}\n[[indicator]]\nid = \"lost\"\nname = {{ zh = \"孤\", en = \"Lost\" }}\nweight = 1\n");
        let err = load(&text).unwrap_err();
        assert!(err.0[0].message.contains("\"lost\" has no parent"), "{err}");
    }

    #[test]
    fn duplicate_ids_name_both_lines() {
        let text = SMALL.replace("id = \"b\"", "id = \"a\"");
        let err = load(&text).unwrap_err();
        assert!(err.0[0].message.contains("defined twice (first on line 7)"), "{err}");
    }

    #[test]
    fn misspelt_field_is_rejected_with_position() {
        let text = SMALL.replace("weight = \"1/3\"", "wieght = \"1/3\"");
        let err = load(&text).unwrap_err();
        assert!(err.0[0].message.contains("wieght"), "{err}");
        assert_eq!(err.0[0].line, Some(10));
    }

    #[test]
    fn raw_precision_and_the_given_scores_baseline_are_read() {
        let text = SMALL.replace("id = \"a1\"\nparent = \"a\"", "id = \"a1\"\nparent = \"a\"\nunit = { zh = \"%\", en = \"%\" }\nraw_precision = 1");
        let tree = load(&format!("given_scores_relative_to_100 = true\n{text}")).unwrap();
        assert_eq!(tree.get("a1").unwrap().raw_precision, Some(1));
        assert_eq!(tree.get("b").unwrap().raw_precision, None);
        assert!(tree.given_scores_relative_to_100);
        assert!(!load(SMALL).unwrap().given_scores_relative_to_100, "off unless declared");
    }

    #[test]
    fn a_unit_on_a_coefficient_is_refused_on_its_line() {
        let text = SMALL.replace("kind = \"coefficient\"", "kind = \"coefficient\"\nunit = { zh = \"%\", en = \"%\" }");
        let err = load(&text).unwrap_err();
        let d = &err.0[0];
        assert!(d.message.contains("coefficient \"k\" has a unit"), "{d}");
        assert_eq!(d.line, Some(29), "{d}");
        assert!(d.help.as_deref().unwrap().contains("remove `unit`"), "{d}");
    }

    #[test]
    fn raw_precision_out_of_range_names_the_line_and_the_range() {
        for bad in ["7", "-1"] {
            let text = SMALL.replace("id = \"a1\"\nparent = \"a\"", &format!("id = \"a1\"\nparent = \"a\"\nunit = {{ zh = \"个\", en = \"units\" }}\nraw_precision = {bad}"));
            let err = load(&text).unwrap_err();
            let d = &err.0[0];
            assert!(d.message.contains(&format!("raw_precision of \"a1\" is {bad}")) && d.message.contains("from 0 to 6"), "{d}");
            assert_eq!(d.line, Some(22), "{d}");
        }
        let text = SMALL.replace("id = \"a1\"\nparent = \"a\"", "id = \"a1\"\nparent = \"a\"\nraw_precision = 1.5");
        let err = load(&text).unwrap_err();
        assert_eq!(err.0[0].line, Some(21), "a fraction is refused on its line: {err}");
    }

    #[test]
    fn raw_precision_where_no_raw_value_is_shown_is_refused() {
        // "a" has children; "b" is a leaf without unit or normalisation.
        for id in ["a", "b"] {
            let text = SMALL.replacen(&format!("id = \"{id}\"\n"), &format!("id = \"{id}\"\nraw_precision = 2\n"), 1);
            let err = load(&text).unwrap_err();
            assert!(err.0[0].message.contains(&format!("\"{id}\" has a raw_precision")), "{err}");
        }
    }
}
