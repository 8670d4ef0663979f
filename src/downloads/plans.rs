//! `plans/<id>/plan-progress.csv`: every target of a plan with its target, baseline, latest
//! outcome, status and trend, one row per target (per district for a district-level plan), so
//! the progress table can be checked or reused without the site.

use super::csv_out::{Cell::{Num, Text}, CsvOut};
use crate::compute::plans::{goal, PlanProgress, TargetProgress, Trend};
use crate::output::SiteFiles;
use crate::model::{Comparator, Measured, Plan, Qualifier};

fn qualifier(q: Option<Qualifier>) -> &'static str {
    match q {
        None => "",
        Some(Qualifier::AtLeast) => "at_least",
        Some(Qualifier::MoreThan) => "more_than",
        Some(Qualifier::AtMost) => "at_most",
        Some(Qualifier::LessThan) => "less_than",
        Some(Qualifier::About) => "about",
        Some(Qualifier::Estimated) => "estimated",
    }
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

fn value(m: Option<Measured>) -> (String, &'static str) {
    (num(m.map(|m| m.value)), qualifier(m.and_then(|m| m.qualifier)))
}

/// Site path of a plan's progress data.
pub fn plan_progress_path(plan: &Plan) -> String {
    format!("plans/{}/plan-progress.csv", plan.id)
}

/// Every plan's `plan-progress.csv`, with all outcomes known; a plan `progress` holds no
/// assessment of is left out.
pub fn plan_downloads(plans: &[Plan], progress: &PlanProgress) -> SiteFiles {
    let mut files = SiteFiles::new();
    for plan in plans {
        if let Some(p) = progress.of(plan, None, None) {
            files.insert(plan_progress_path(plan), plan_progress_csv(plan, p));
        }
    }
    files
}

/// The CSV of `plan` with `progress` (one entry per target, in the plan's order).
pub fn plan_progress_csv(plan: &Plan, progress: &[TargetProgress]) -> Vec<u8> {
    // Written through CsvOut, as every CSV download: a BOM, and names neutralised.
    let mut w = CsvOut::new([
        "plan", "district", "target", "name_zh", "name_en", "unit_zh", "unit_en", "baseline_year", "baseline_value",
        "baseline_qualifier", "target_year", "comparator", "target_value", "tolerance", "target_as_printed",
        "latest_year", "latest_value", "latest_qualifier", "latest_as_printed", "met", "status", "trend",
        "share_covered", "share_elapsed", "source_zh", "source_en",
    ]);
    for (t, p) in plan.targets.iter().zip(progress) {
        let (comparator, tolerance) = match t.comparator {
            Comparator::AtLeast(_) => ("at_least", None),
            Comparator::AtMost(_) => ("at_most", None),
            Comparator::About { tolerance, .. } => ("about", Some(tolerance)),
            Comparator::Increasing => ("increasing", None),
            Comparator::Qualitative => ("qualitative", None),
        };
        let (base_value, base_q) = value(t.baseline.as_ref().map(|b| b.value));
        let latest = p.latest.as_ref();
        let (latest_value, latest_q) = value(latest.and_then(|a| a.value));
        let met = match latest.and_then(|a| a.met) {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        let trend = match p.trend {
            Some(Trend::Up) => "up",
            Some(Trend::Down) => "down",
            Some(Trend::Flat) => "flat",
            None => "",
        };
        let unit = |zh: bool| t.unit.as_ref().map(|u| if zh { u.zh.clone() } else { u.en.clone() }).unwrap_or_default();
        let (baseline_year, target_year) = (t.baseline.as_ref().map(|b| b.year.to_string()).unwrap_or_default(), t.year.to_string());
        w.row([
            Text(plan.id.as_str()),
            Text(plan.district.as_deref().unwrap_or("")),
            Text(&t.id),
            Text(&t.name.zh),
            Text(&t.name.en),
            Text(&unit(true)),
            Text(&unit(false)),
            Num(baseline_year),
            Num(base_value),
            Text(base_q),
            Num(target_year),
            Text(comparator),
            Num(num(goal(t.comparator))),
            Num(num(tolerance)),
            Text(t.as_printed.as_deref().unwrap_or("")),
            Num(latest.map(|a| a.year.to_string()).unwrap_or_default()),
            Num(latest_value),
            Text(latest_q),
            Text(latest.and_then(|a| a.as_printed.as_deref()).unwrap_or("")),
            Text(met),
            Text(p.status.key()),
            Text(trend),
            Num(p.covered.map(|c| format!("{c:.4}")).unwrap_or_default()),
            Num(p.elapsed.map(|c| format!("{c:.4}")).unwrap_or_default()),
            Text(latest.map(|a| a.source.zh.as_str()).unwrap_or("")),
            Text(latest.map(|a| a.source.en.as_str()).unwrap_or("")),
        ]);
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::plans::plan_progress;
    use std::path::Path;

    /// A target's name, `as_printed` and source written like formulas get a leading `'`; the
    /// numbers (a negative target value, the year) stay numbers.
    #[test]
    fn formula_like_text_is_neutralised_and_numbers_are_not() {
        let plan_toml = "name = { zh = \"规划\", en = \"Plan\" }\nstart_year = 2021\nend_year = 2025\n\n[[target]]\nid = \"t\"\nname = { zh = \"=1+1\", en = \"@SUM(A1)\" }\nyear = 2025\ncomparator = \"at_most\"\nvalue = -5\nas_printed = \"-5%\"\n";
        let mut plan = crate::load::read_plan(Path::new("plan.toml"), "p", plan_toml).unwrap();
        let actuals = "target,year,value,as_printed,source_zh,source_en\nt,2022,-7,+2 pts,=HYPERLINK(\"http://x\"),@source\n";
        plan.actuals = crate::load::read_actuals(Path::new("actuals.csv"), actuals, &plan).unwrap();
        let bytes = plan_progress_csv(&plan, &plan_progress(&plan, None, None));
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header = reader.headers().unwrap().clone();
        let row = reader.records().next().unwrap().unwrap();
        let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].to_string();
        assert_eq!((cell("name_zh"), cell("name_en")), ("'=1+1".into(), "'@SUM(A1)".into()));
        assert_eq!((cell("target_as_printed"), cell("latest_as_printed")), ("'-5%".into(), "'+2 pts".into()));
        assert_eq!((cell("source_zh"), cell("source_en")), ("'=HYPERLINK(\"http://x\")".into(), "'@source".into()));
        assert_eq!((cell("target_value"), cell("latest_value"), cell("latest_year")), ("-5".into(), "-7".into(), "2022".into()));
    }
}
