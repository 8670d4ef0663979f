//! `data/plans/<id>/plan.toml` (a plan's targets) and `data/plans/<id>/actuals.csv` (their
//! outcomes). Format in docs/data-formats.md. Everything a person can get wrong is reported with
//! its file and line: a comparator that does not fit its target, text where a number belongs
//! ("80左右" is value 80 with comparator "about"), years outside the plan's period, outcomes of
//! targets the plan does not have.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Actual, Baseline, Bilingual, Comparator, Measured, Plan, PlanTarget, Qualifier, TargetKind};

use super::toml_file::parse_toml;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    name: Bilingual,
    start_year: u16,
    end_year: Spanned<u16>,
    issuer: Option<Bilingual>,
    document: Option<Bilingual>,
    district: Option<String>,
    /// Tolerance of "about" targets that do not state their own: a number in the target's unit,
    /// or a percentage of the target ("5%").
    default_tolerance: Option<Spanned<toml::Value>>,
    tolerance_note: Option<Bilingual>,
    #[serde(default, rename = "target")]
    targets: Vec<Spanned<TargetEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetEntry {
    id: Spanned<String>,
    name: Bilingual,
    category: Option<Bilingual>,
    unit: Option<Bilingual>,
    kind: Option<TargetKind>,
    baseline: Option<Spanned<BaselineEntry>>,
    year: Spanned<u16>,
    comparator: Spanned<String>,
    value: Option<Spanned<toml::Value>>,
    tolerance: Option<Spanned<toml::Value>>,
    as_printed: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineEntry {
    year: u16,
    value: Spanned<toml::Value>,
    qualifier: Option<String>,
    source: Bilingual,
}

const COMPARATORS: &str = "at_least, at_most, about, increasing or qualitative";

/// Reads every plan under `data/plans/`, sorted by id; none when the folder does not exist.
pub fn read_plans(root: &Path) -> Result<Vec<Plan>, Diagnostics> {
    let dir = root.join("data").join("plans");
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut ids: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("plan.toml").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    ids.sort();
    let mut plans = Vec::new();
    let mut diags = Diagnostics::default();
    for id in ids {
        let plan_path = dir.join(&id).join("plan.toml");
        let plan = super::read_text_inside(&plan_path, root).map_err(Diagnostics::from).and_then(|t| read_plan(&plan_path, &id, &t));
        let mut plan = match plan {
            Ok(p) => p,
            Err(d) => {
                diags.extend(d);
                continue;
            }
        };
        let actuals_path = dir.join(&id).join("actuals.csv");
        if actuals_path.is_file() {
            match super::read_text_inside(&actuals_path, root).map_err(Diagnostics::from).and_then(|t| read_actuals(&actuals_path, &t, &plan)) {
                Ok(a) => plan.actuals = a,
                Err(d) => diags.extend(d),
            }
        }
        plans.push(plan);
    }
    diags.into_result(plans)
}

/// A number from TOML, or an error that says how to write it when it is text.
fn number(path: &Path, text: &str, v: &Spanned<toml::Value>, what: &str) -> Result<f64, Diagnostic> {
    match v.get_ref() {
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Ok(*f),
        toml::Value::Float(f) => Err(Diagnostic::new(path, format!("{what} = {f} is not a finite number"))
            .at_offset(text, v.span().start)
            .help(format!("write {what} as a plain number such as 80 (nan and inf have no meaning here)"))),
        toml::Value::String(s) => Err(Diagnostic::new(path, format!("{what} = \"{s}\" is text, not a number"))
            .at_offset(text, v.span().start)
            .help(format!(
                "write the number alone (e.g. {what} = {}); words such as 左右 (about), ≥ or 持续提升 belong in `comparator` (and `tolerance`), the plan's own wording in `as_printed`",
                leading_number(s).unwrap_or_else(|| "80".into())
            ))),
        other => Err(Diagnostic::new(path, format!("{what} must be a number, not {}", other.type_str()))
            .at_offset(text, v.span().start)
            .help(format!("write {what} = 80 (a plain number)"))),
    }
}

/// "80左右" → "80", "≥120" → "120", "1.5万左右" → "1.5", for the hint in an error.
fn leading_number(s: &str) -> Option<String> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    Some(digits)
}

/// A tolerance: a number in the target's unit, or "5%" of the target value.
fn tolerance(path: &Path, text: &str, v: &Spanned<toml::Value>, target: f64) -> Result<f64, Diagnostic> {
    if let toml::Value::String(s) = v.get_ref()
        && let Some(p) = s.trim().strip_suffix('%').and_then(|p| p.trim().parse::<f64>().ok())
    {
        // "1e400%" parsed as infinity and made every "about" target achieved.
        if !(0.0..=100.0).contains(&p) {
            return Err(Diagnostic::new(path, format!("tolerance \"{s}\" is not a percentage from 0% to 100%"))
                .at_offset(text, v.span().start)
                .help("write how far from the target still counts as met, e.g. tolerance = \"5%\" (of the target value) or a number in the target's unit"));
        }
        return Ok(target.abs() * p / 100.0);
    }
    let t = number(path, text, v, "tolerance")?;
    if t < 0.0 {
        return Err(Diagnostic::new(path, "tolerance must not be negative")
            .at_offset(text, v.span().start)
            .help("write how far from the target still counts as met, as a number ≥ 0 in the target's unit or a percentage such as \"5%\""));
    }
    Ok(t)
}

/// The qualifier of a printed figure: a symbol as printed or a word.
pub fn parse_qualifier(s: &str) -> Option<Option<Qualifier>> {
    Some(Some(match s.trim() {
        "" => return Some(None),
        "≥" | ">=" | "at_least" => Qualifier::AtLeast,
        ">" | "＞" | "more_than" | "突破" | "超过" => Qualifier::MoreThan,
        "≤" | "<=" | "at_most" => Qualifier::AtMost,
        "<" | "＜" | "less_than" => Qualifier::LessThan,
        "≈" | "~" | "about" | "近" | "约" | "左右" => Qualifier::About,
        "e" | "(e)" | "（e）" | "estimated" | "估计" => Qualifier::Estimated,
        _ => return None,
    }))
}

const QUALIFIERS: &str = "≥, >, ≤, <, ≈ (about, nearly) or e (estimated), or leave it empty";

pub fn read_plan(path: &Path, id: &str, text: &str) -> Result<Plan, Diagnostics> {
    let file: PlanFile = parse_toml(path, text)?;
    let mut diags = Diagnostics::default();
    let (start, end) = (file.start_year, *file.end_year.get_ref());
    if end < start {
        diags.push(
            Diagnostic::new(path, format!("end_year {end} is before start_year {start}"))
                .at_offset(text, file.end_year.span().start)
                .help("the plan's period runs from start_year to end_year, both included"),
        );
    }
    let mut seen = HashSet::new();
    let mut targets = Vec::new();
    for entry in &file.targets {
        let t = entry.get_ref();
        let tid = t.id.get_ref().clone();
        if !seen.insert(tid.clone()) {
            diags.push(Diagnostic::new(path, format!("target id \"{tid}\" is used twice")).at_offset(text, t.id.span().start).help("give every target its own id"));
            continue;
        }
        // Lower case only, as documented: `T1` and `t1` would otherwise be two targets that
        // look alike in actuals.csv.
        if tid.is_empty() || !tid.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
            diags.push(
                Diagnostic::new(path, format!("target id \"{tid}\" may only use a–z, 0–9, _ and -"))
                    .at_offset(text, t.id.span().start)
                    .help("ids name targets in actuals.csv; keep them short and plain"),
            );
            continue;
        }
        let year = *t.year.get_ref();
        if year < start || year > end {
            diags.push(
                Diagnostic::new(path, format!("target year {year} is outside the plan period {start}–{end}"))
                    .at_offset(text, t.year.span().start)
                    .help("a target's year must fall within start_year and end_year"),
            );
            continue;
        }
        let value = match &t.value {
            Some(v) => match number(path, text, v, "value") {
                Ok(x) => Some(x),
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            },
            None => None,
        };
        let comparator_at = t.comparator.span().start;
        let need_value = |name: &str| {
            Diagnostic::new(path, format!("comparator \"{name}\" needs a target value"))
                .at_offset(text, comparator_at)
                .help("add value = <number>, or use comparator = \"increasing\" or \"qualitative\" for targets without one")
        };
        let comparator = match (t.comparator.get_ref().as_str(), value) {
            ("at_least", Some(v)) => Comparator::AtLeast(v),
            ("at_most", Some(v)) => Comparator::AtMost(v),
            ("about", Some(v)) => match t.tolerance.as_ref().or(file.default_tolerance.as_ref()) {
                Some(tol) => match tolerance(path, text, tol, v) {
                    Ok(tolerance) => Comparator::About { value: v, tolerance },
                    Err(d) => {
                        diags.push(d);
                        continue;
                    }
                },
                None => {
                    diags.push(
                        Diagnostic::new(path, format!("target \"{tid}\" is \"about\" {v} but no tolerance says how far from {v} still counts"))
                            .at_offset(text, comparator_at)
                            .help("add tolerance = <number in the target's unit> or tolerance = \"5%\" to the target, or default_tolerance at the top of the file"),
                    );
                    continue;
                }
            },
            (c @ ("at_least" | "at_most" | "about"), None) => {
                diags.push(need_value(c));
                continue;
            }
            (c @ ("increasing" | "qualitative"), Some(_)) => {
                diags.push(
                    Diagnostic::new(path, format!("comparator \"{c}\" takes no value"))
                        .at_offset(text, comparator_at)
                        .help("remove `value`, or choose at_least, at_most or about"),
                );
                continue;
            }
            ("increasing", None) => Comparator::Increasing,
            ("qualitative", None) => Comparator::Qualitative,
            (other, _) => {
                diags.push(
                    Diagnostic::new(path, format!("unknown comparator \"{other}\""))
                        .at_offset(text, comparator_at)
                        .help(format!("use {COMPARATORS}")),
                );
                continue;
            }
        };
        if t.tolerance.is_some() && !matches!(comparator, Comparator::About { .. }) {
            diags.push(
                Diagnostic::new(path, "a tolerance only applies to comparator \"about\"")
                    .at_offset(text, comparator_at)
                    .help("remove `tolerance`, or set comparator = \"about\""),
            );
            continue;
        }
        let baseline = match &t.baseline {
            None => None,
            Some(b) => {
                let b_at = b.span().start;
                let b = b.get_ref();
                let value = match number(path, text, &b.value, "value") {
                    Ok(v) => v,
                    Err(d) => {
                        diags.push(d);
                        continue;
                    }
                };
                let Some(qualifier) = parse_qualifier(b.qualifier.as_deref().unwrap_or("")) else {
                    diags.push(Diagnostic::new(path, "unknown baseline qualifier").at_offset(text, b_at).help(format!("use {QUALIFIERS}")));
                    continue;
                };
                if b.year >= year {
                    diags.push(
                        Diagnostic::new(path, format!("target year {year} is not after the baseline year {}", b.year))
                            .at_offset(text, t.year.span().start)
                            .help("the baseline is where the target starts from: its year must come before the target year"),
                    );
                    continue;
                }
                Some(Baseline { year: b.year, value: Measured { value, qualifier }, source: b.source.clone() })
            }
        };
        targets.push(PlanTarget {
            id: tid,
            name: t.name.clone(),
            category: t.category.clone(),
            unit: t.unit.clone(),
            kind: t.kind,
            baseline,
            year,
            comparator,
            as_printed: t.as_printed.clone(),
        });
    }
    if file.targets.is_empty() {
        diags.push(Diagnostic::new(path, "the plan has no targets").help("add one [[target]] block per indicator of the plan"));
    }
    diags.into_result(Plan {
        id: id.to_string(),
        name: file.name,
        start_year: start,
        end_year: end,
        issuer: file.issuer,
        document: file.document,
        district: file.district,
        tolerance_note: file.tolerance_note,
        targets,
        actuals: Vec::new(),
    })
}

#[derive(Debug, Deserialize)]
struct ActualRow {
    target: String,
    year: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    qualifier: String,
    #[serde(default)]
    met: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    as_printed: String,
    #[serde(default)]
    source_zh: String,
    #[serde(default)]
    source_en: String,
}

/// Reads the outcomes of `plan`'s targets. Columns: `target,year,value,source_zh,source_en`, and
/// optionally `qualifier`, `met` (the source's verdict), `as_printed` and, for a district-level
/// plan, `district`.
pub fn read_actuals(path: &Path, text: &str, plan: &Plan) -> Result<Vec<Actual>, Diagnostics> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Diagnostics::from(Diagnostic::new(path, format!("cannot read the header: {e}")).at_line(1)))?
        .clone();
    for column in ["target", "year", "value", "source_zh", "source_en"] {
        if !headers.iter().any(|h| h.trim() == column) {
            return Err(Diagnostic::new(path, format!("no column `{column}`"))
                .at_line(1)
                .help("the header must include target,year,value,qualifier,met,source_zh,source_en")
                .into());
        }
    }
    super::csv_header::unique_columns(path, &headers)?;
    let ids: Vec<&str> = plan.targets.iter().map(|t| t.id.as_str()).collect();
    let mut diags = Diagnostics::default();
    let mut actuals = Vec::new();
    // (target, year, district) → line: two outcomes for one year would show either.
    let mut first_line: HashMap<(String, u16, Option<String>), usize> = HashMap::new();
    for result in reader.records() {
        let line = result.as_ref().ok().and_then(|r| r.position()).map(|p| p.line() as usize).unwrap_or(0);
        let row: ActualRow = match result.and_then(|r| r.deserialize(Some(&headers))) {
            Ok(r) => r,
            Err(e) => {
                diags.push(Diagnostic::new(path, format!("cannot read this row: {e}")).at_line(e.position().map(|p| p.line() as usize).unwrap_or(line)));
                continue;
            }
        };
        let err = |message: String, help: String| Diagnostic::new(path, message).at_line(line).help(help);
        let target = row.target.trim();
        if !ids.contains(&target) {
            let hint = match did_you_mean(target, ids.iter().copied()) {
                Some(s) => format!("did you mean \"{s}\"? The targets are the [[target]] ids in plan.toml"),
                None => "use the id of one of the [[target]] blocks in plan.toml".to_string(),
            };
            diags.push(err(format!("\"{target}\" is not a target of this plan"), hint));
            continue;
        }
        let Ok(year) = row.year.trim().parse::<u16>() else {
            diags.push(err(format!("year \"{}\" is not a year", row.year), "write the year as 4 digits".into()));
            continue;
        };
        if year < plan.start_year || year > plan.end_year {
            diags.push(err(
                format!("year {year} is outside the plan period {}–{}", plan.start_year, plan.end_year),
                "outcomes are recorded for years within the plan's period; a baseline before it belongs in plan.toml".into(),
            ));
            continue;
        }
        let value = match row.value.trim() {
            "" => None,
            v => match v.parse::<f64>().ok().filter(|x| x.is_finite()) {
                Some(x) => Some(x),
                None => {
                    let n = leading_number(v).unwrap_or_else(|| "68".into());
                    diags.push(err(
                        format!("value \"{v}\" is not a plain number"),
                        format!("write the number in `value` ({n}) and a sign such as ≥ or (e) in `qualifier`; units belong in plan.toml"),
                    ));
                    continue;
                }
            },
        };
        let Some(qualifier) = parse_qualifier(&row.qualifier) else {
            diags.push(err(format!("unknown qualifier \"{}\"", row.qualifier), format!("use {QUALIFIERS}")));
            continue;
        };
        if qualifier.is_some() && value.is_none() {
            diags.push(err("a qualifier without a value".into(), "fill in `value`, or leave `qualifier` empty".into()));
            continue;
        }
        let met = match row.met.trim() {
            "" => None,
            "yes" | "true" | "√" | "met" => Some(true),
            "no" | "false" | "×" | "not_met" => Some(false),
            other => {
                diags.push(err(format!("met = \"{other}\" is neither yes nor no"), "write yes or no, or leave it empty when the source gives no verdict".into()));
                continue;
            }
        };
        if value.is_none() && met.is_none() {
            diags.push(err("the row has neither a value nor a verdict".into(), "fill in `value`, or `met` (yes/no) when the source only says whether the target was met".into()));
            continue;
        }
        let source = Bilingual::new(row.source_zh.trim(), row.source_en.trim());
        if source.zh.is_empty() || source.en.is_empty() {
            diags.push(err("the source is missing in one language".into(), "name the document the outcome comes from in source_zh and source_en".into()));
            continue;
        }
        let district = match (row.district.trim(), plan.district.as_deref()) {
            ("", d) => d.map(str::to_string),
            (d, Some(p)) if d == p => Some(d.to_string()),
            (d, Some(p)) => {
                diags.push(err(format!("district \"{d}\" in a plan of district \"{p}\""), format!("write {p}, or leave the column empty")));
                continue;
            }
            (d, None) => {
                diags.push(err(format!("district \"{d}\" in a city-wide plan"), "leave the column empty, or set district in plan.toml for a district's plan".into()));
                continue;
            }
        };
        if let Some(first) = first_line.insert((target.to_string(), year, district.clone()), line) {
            diags.push(err(format!("a second outcome for target \"{target}\" in {year} (the first is on line {first})"), "keep one row per target and year".into()));
            continue;
        }
        actuals.push(Actual {
            target: target.to_string(),
            year,
            value: value.map(|value| Measured { value, qualifier }),
            met,
            district,
            as_printed: Some(row.as_printed.trim().to_string()).filter(|s| !s.is_empty()),
            source,
        });
    }
    diags.into_result(actuals)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"name = { zh = "测试规划", en = "Test plan" }
start_year = 2021
end_year = 2025

[[target]]
id = "share"
name = { zh = "比例", en = "Share" }
baseline = { year = 2020, value = 40, source = { zh = "规划", en = "The plan" } }
year = 2025
comparator = "about"
value = 80
tolerance = "5%"
"#;

    fn plan() -> Plan {
        read_plan(Path::new("plan.toml"), "p", PLAN).unwrap()
    }

    fn plan_error(text: &str) -> String {
        read_plan(Path::new("data/plans/p/plan.toml"), "p", text).unwrap_err().to_string()
    }

    fn actuals_error(csv: &str) -> String {
        read_actuals(Path::new("data/plans/p/actuals.csv"), csv, &plan()).unwrap_err().to_string()
    }

    #[test]
    fn reads_targets_with_a_percentage_tolerance() {
        let p = plan();
        assert_eq!(p.targets[0].comparator, Comparator::About { value: 80.0, tolerance: 4.0 });
        assert_eq!(p.targets[0].baseline.as_ref().unwrap().year, 2020);
        let ok = read_actuals(Path::new("a.csv"), "target,year,value,qualifier,met,source_zh,source_en\nshare,2022,68,≥,,甲,A\n", &p).unwrap();
        assert_eq!(ok[0].value, Some(Measured { value: 68.0, qualifier: Some(Qualifier::AtLeast) }));
    }

    #[test]
    fn a_target_id_with_capitals_is_refused() {
        let e = plan_error(&PLAN.replace("id = \"share\"", "id = \"T1\""));
        assert!(e.contains("plan.toml:6:") && e.contains("target id \"T1\" may only use a–z, 0–9, _ and -"), "{e}");
    }

    #[test]
    fn a_second_outcome_for_one_target_and_year_names_both_lines() {
        let e = actuals_error("target,year,value,source_zh,source_en\nshare,2022,68,甲,A\nshare,2023,70,甲,A\nshare,2022,69,乙,B\n");
        assert!(e.contains("actuals.csv:4") && e.contains("a second outcome for target \"share\" in 2022 (the first is on line 2)") && e.contains("help:"), "{e}");
        let e = actuals_error("target,year,value,value,source_zh,source_en\nshare,2022,68,69,甲,A\n");
        assert!(e.contains("actuals.csv:1") && e.contains("`value` twice"), "{e}");
    }

    #[test]
    fn non_finite_or_absurd_tolerances_and_targets_are_refused_on_their_line() {
        for (from, to, expect) in [
            ("tolerance = \"5%\"", "tolerance = \"1e400%\"", "not a percentage from 0% to 100%"),
            ("tolerance = \"5%\"", "tolerance = \"-5%\"", "not a percentage from 0% to 100%"),
            ("tolerance = \"5%\"", "tolerance = inf", "tolerance = inf is not a finite number"),
            ("tolerance = \"5%\"", "tolerance = -1", "must not be negative"),
            ("value = 80", "value = nan", "value = NaN is not a finite number"),
        ] {
            let text = PLAN.replace(from, to);
            assert_ne!(text, PLAN);
            let line = text.lines().position(|l| l.contains(to)).unwrap() + 1;
            let e = plan_error(&text);
            assert!(e.contains(&format!("data/plans/p/plan.toml:{line}:")) && e.contains(expect) && e.contains("help:"), "{to}: {e}");
        }
    }

    #[test]
    fn about_without_tolerance_is_named_with_line() {
        let text = PLAN.replace("tolerance = \"5%\"\n", "");
        let e = plan_error(&text);
        assert!(e.contains("data/plans/p/plan.toml:10:") && e.contains("no tolerance"), "{e}");
    }

    #[test]
    fn text_where_a_number_belongs_says_how_to_write_it() {
        let e = plan_error(&PLAN.replace("value = 80\n", "value = \"80左右\"\n"));
        assert!(e.contains("plan.toml:11:") && e.contains("\"80左右\" is text") && e.contains("value = 80"), "{e}");
        let e = actuals_error("target,year,value,qualifier,met,source_zh,source_en\nshare,2022,≥ 68,,,甲,A\n");
        assert!(e.contains("actuals.csv:2") && e.contains("(68)") && e.contains("qualifier"), "{e}");
    }

    #[test]
    fn target_year_before_baseline_and_outside_period() {
        let e = plan_error(&PLAN.replace("baseline = { year = 2020", "baseline = { year = 2025"));
        assert!(e.contains("plan.toml:9:") && e.contains("not after the baseline year 2025"), "{e}");
        let e = plan_error(&PLAN.replace("year = 2025\ncomparator", "year = 2030\ncomparator"));
        assert!(e.contains("plan.toml:9:") && e.contains("outside the plan period 2021–2025"), "{e}");
    }

    #[test]
    fn actuals_for_unknown_targets_or_years_outside_the_period() {
        let e = actuals_error("target,year,value,qualifier,met,source_zh,source_en\nshare,2022,50,,,甲,A\nshaer,2022,50,,,甲,A\n");
        assert!(e.contains("actuals.csv:3") && e.contains("\"shaer\" is not a target") && e.contains("did you mean \"share\""), "{e}");
        let e = actuals_error("target,year,value,qualifier,met,source_zh,source_en\nshare,2019,50,,,甲,A\n");
        assert!(e.contains("actuals.csv:2") && e.contains("outside the plan period"), "{e}");
        let e = actuals_error("target,year,value,qualifier,met,source_zh,source_en\nshare,2022,50,,,甲,\n");
        assert!(e.contains("actuals.csv:2") && e.contains("source"), "{e}");
    }

    #[test]
    fn comparators_that_do_not_fit_their_target() {
        let e = plan_error(&PLAN.replace("comparator = \"about\"", "comparator = \"increasing\""));
        assert!(e.contains("takes no value"), "{e}");
        let e = plan_error(&PLAN.replace("comparator = \"about\"", "comparator = \"roughly\""));
        assert!(e.contains("unknown comparator \"roughly\"") && e.contains("plan.toml:10:"), "{e}");
    }
}
