//! 规划目标进展 / Progress towards the plan: a chapter per plan, shown in the editions that report
//! on it (`plans = [...]`), on the district profile for a district's own plan, and on the site's
//! plans pages. The chapter is built here as escaped HTML, the same wherever it appears: a summary
//! (targets per status), a table with a traffic-light status (colour, icon and words, so it reads
//! in greyscale and to screen readers), a small bar per target, the rule, and the sources.

use std::fmt::Write as _;

use super::*;
use crate::compute::plans::{goal, plan_progress, status_counts, TargetProgress, TargetStatus, Trend};
use crate::model::{Comparator, Measured, Plan, PlanTarget, Qualifier, TargetKind};
use crate::i18n::Strings;
use crate::site::templates::escape_html as esc;

/// Site path of a plan's progress data.
pub(crate) fn csv_path(plan: &Plan) -> String {
    format!("plans/{}/plan-progress.csv", plan.id)
}

/// Site path of a plan's page on the plans pages.
pub(crate) fn site_page(plan: &Plan, lang: Lang) -> String {
    format!("plans/{}/{}.html", lang.code(), plan.id)
}

/// "✓ 已实现" parts: icon (hidden from screen readers) and words.
fn status_icon(s: TargetStatus) -> &'static str {
    match s {
        TargetStatus::Achieved => "✓",
        TargetStatus::OnTrack => "▲",
        TargetStatus::Behind => "◆",
        TargetStatus::OffTrack => "▼",
        TargetStatus::Missed => "✗",
        TargetStatus::NotAssessable(_) => "○",
    }
}

pub(crate) fn status_words(strings: &Strings, lang: Lang, s: TargetStatus) -> Result<&str, SiteError> {
    Ok(strings.get(lang, &format!("plan_status_{}", s.key()))?)
}

/// `key` filled with `text` quoted from a Chinese source: escaped, and on English pages marked
/// as Chinese so screen readers and fonts treat it as such.
fn with_quote(strings: &Strings, lang: Lang, key: &str, args: &[(&str, &str)], text: &str) -> Result<String, SiteError> {
    // A private-use character: escaping keeps it (it drops control characters), and no
    // translation contains it.
    const MARK: &str = "\u{E000}";
    let mut all: Vec<(&str, &str)> = args.to_vec();
    all.push(("text", MARK));
    let filled = esc(&strings.fill(lang, key, &all)?);
    let quoted = match lang {
        Lang::Zh => esc(text),
        Lang::En => format!("<span lang=\"zh-CN\">{}</span>", esc(text)),
    };
    Ok(filled.replace(MARK, &quoted))
}

/// A number as the sources write it: no decimals added, none dropped but trailing zeros.
pub(crate) fn plain(x: f64) -> String {
    if x == 0.0 { "0".into() } else { format!("{x}") }
}

/// "≥ 68", "＞ 20", "87（估计）".
fn measured(strings: &Strings, lang: Lang, m: Measured) -> Result<String, SiteError> {
    let v = plain(m.value);
    Ok(match m.qualifier {
        None => v,
        Some(Qualifier::AtLeast) => format!("≥ {v}"),
        Some(Qualifier::MoreThan) => format!("{} {v}", if lang == Lang::Zh { "＞" } else { ">" }),
        Some(Qualifier::AtMost) => format!("≤ {v}"),
        Some(Qualifier::LessThan) => format!("{} {v}", if lang == Lang::Zh { "＜" } else { "<" }),
        Some(Qualifier::About) => format!("≈ {v}"),
        Some(Qualifier::Estimated) => strings.fill(lang, "outcome_estimated", &[("value", &v)])?,
    })
}

/// The target in words: "不低于 60", "about 80 (±4)", "keep increasing".
fn target_words(strings: &Strings, lang: Lang, t: &PlanTarget) -> Result<String, SiteError> {
    match t.comparator {
        Comparator::AtLeast(v) => Ok(strings.fill(lang, "target_at_least", &[("value", &plain(v))])?),
        Comparator::AtMost(v) => Ok(strings.fill(lang, "target_at_most", &[("value", &plain(v))])?),
        Comparator::About { value, tolerance } => {
            Ok(strings.fill(lang, "target_about", &[("value", &plain(value)), ("tolerance", &plain(tolerance))])?)
        }
        Comparator::Increasing => Ok(strings.fill(lang, "target_increasing", &[])?),
        Comparator::Qualitative => Ok(strings.fill(lang, "target_qualitative", &[])?),
    }
}

/// The latest outcome in words, with its year, as escaped HTML (a printed figure is quoted as is).
fn outcome_html(strings: &Strings, lang: Lang, p: &TargetProgress) -> Result<String, SiteError> {
    let Some(a) = &p.latest else { return Ok(esc(strings.get(lang, "outcome_none")?)) };
    let year = a.year.to_string();
    match (&a.as_printed, a.value) {
        (Some(printed), _) => with_quote(strings, lang, "outcome_printed", &[("year", &year)], printed),
        (None, Some(m)) => Ok(esc(&strings.fill(lang, "outcome_year", &[("value", &measured(strings, lang, m)?), ("year", &year)])?)),
        (None, None) => {
            let key = if a.met == Some(false) { "outcome_not_met_no_figure" } else { "outcome_met_no_figure" };
            Ok(esc(&strings.fill(lang, key, &[("year", &year)])?))
        }
    }
}

/// A small bar: the outcome (filled), the baseline (dashed tick) and the target (solid tick, with
/// the tolerance band of an "about" target), on a scale from 0. Empty for targets without a number
/// or figures below 0, which a bar from 0 cannot show.
fn bar(t: &PlanTarget, p: &TargetProgress, label: &str) -> String {
    let Some(goal_value) = goal(t.comparator) else { return String::new() };
    let value = p.latest.as_ref().and_then(|a| a.value).map(|m| m.value);
    let base = t.baseline.as_ref().map(|b| b.value.value);
    let band = match t.comparator {
        Comparator::About { value, tolerance } => Some((value - tolerance, value + tolerance)),
        _ => None,
    };
    let all = [Some(goal_value), value, base, band.map(|b| b.1)];
    if value.is_none() && base.is_none() || all.iter().flatten().any(|x| *x < 0.0) {
        return String::new();
    }
    let top = all.iter().flatten().fold(0.0_f64, |m, x| m.max(*x)) * 1.1;
    if top <= 0.0 {
        return String::new();
    }
    let x = |v: f64| (v / top * 120.0 * 10.0).round() / 10.0;
    let mut svg = format!(
        "<svg class=\"plan-bar\" viewBox=\"0 0 120 16\" width=\"120\" height=\"16\" role=\"img\" aria-label=\"{l}\"><title>{l}</title><rect class=\"track\" x=\"0\" y=\"4\" width=\"120\" height=\"8\" rx=\"2\"/>",
        l = esc(label)
    );
    if let Some((lo, hi)) = band {
        let _ = write!(svg, "<rect class=\"band\" x=\"{}\" y=\"2\" width=\"{}\" height=\"12\"/>", x(lo.max(0.0)), x(hi) - x(lo.max(0.0)));
    }
    if let Some(v) = value {
        let _ = write!(svg, "<rect class=\"fill status-{}\" x=\"0\" y=\"4\" width=\"{}\" height=\"8\" rx=\"2\"/>", p.status.key(), x(v));
    }
    if let Some(b) = base {
        let _ = write!(svg, "<line class=\"base\" x1=\"{0}\" y1=\"1\" x2=\"{0}\" y2=\"15\"/>", x(b));
    }
    let _ = write!(svg, "<line class=\"goal\" x1=\"{0}\" y1=\"0\" x2=\"{0}\" y2=\"16\"/></svg>", x(goal_value));
    svg
}

/// Where a plan chapter is shown: the page it is on, its heading level and the outcomes known.
pub(crate) struct ChapterPlace<'a> {
    pub page: &'a str,
    /// Level of the chapter's own headings (2 on a page of its own, 3 inside another section).
    pub level: u8,
    /// Outcomes up to this year (an edition's year); all when `None`.
    pub as_of: Option<u16>,
    /// For a district-level plan: whose figures.
    pub district: Option<&'a str>,
}

/// The whole chapter as HTML. Every text is escaped here.
pub(crate) fn chapter_html(strings: &Strings, lang: Lang, plan: &Plan, at: &ChapterPlace) -> Result<String, SiteError> {
    let s = |k: &str| strings.get(lang, k);
    let progress = plan_progress(plan, at.district, at.as_of);
    let id = |part: &str| format!("plan-{}-{part}", plan.id);
    let h = at.level;
    let mut out = String::new();
    let heading = |out: &mut String, part: &str, key: &str| -> Result<(), SiteError> {
        let _ = write!(out, "<h{h} id=\"{}\">{}</h{h}>", id(part), esc(s(key)?));
        Ok(())
    };

    // Facts and summary.
    let _ = write!(out, "<section class=\"plan\" id=\"{}\">", id("summary"));
    heading(&mut out, "summary-title", "sec_plan_summary")?;
    out.push_str("<dl class=\"facts\">");
    let mut fact = |label: &str, value: &str| {
        let _ = write!(out, "<div><dt>{}</dt><dd>{}</dd></div>", esc(label), esc(value));
    };
    fact(&strings.fill(lang, "plan_targets_count", &[("n", &plan.targets.len().to_string())])?, &strings.fill(lang, "plan_period", &[("start", &plan.start_year.to_string()), ("end", &plan.end_year.to_string())])?);
    if let Some(i) = &plan.issuer {
        fact(s("plan_issuer")?, i.get(lang));
    }
    if let Some(d) = &plan.document {
        fact(s("plan_document")?, d.get(lang));
    }
    out.push_str("</dl>");
    let latest_year = progress.iter().filter_map(|p| p.latest.as_ref().map(|a| a.year)).max();
    let as_of = match latest_year {
        Some(y) => strings.fill(lang, "plan_as_of", &[("year", &y.to_string())])?,
        None => s("plan_no_outcomes")?.to_string(),
    };
    let _ = write!(out, "<p class=\"generated\">{}</p><ul class=\"status-counts\">", esc(&as_of));
    for (status, n) in status_counts(&progress) {
        let text = strings.fill(lang, "status_count", &[("status", status_words(strings, lang, status)?), ("n", &n.to_string())])?;
        let _ = write!(out, "<li class=\"plan-status status-{}\"><span class=\"status-icon\" aria-hidden=\"true\">{}</span> {}</li>", status.key(), status_icon(status), esc(&text));
    }
    out.push_str("</ul></section>");

    // The table.
    let _ = write!(out, "<section class=\"plan\" id=\"{}\">", id("targets"));
    heading(&mut out, "targets-title", "sec_plan_targets")?;
    let caption = strings.fill(lang, "caption_plan_targets", &[("plan", plan.name.get(lang))])?;
    let table_id = id("table");
    let _ = write!(out, "<div class=\"table-block\" id=\"{table_id}\"><p class=\"caption\" id=\"{table_id}-caption\">{}</p><div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{table_id}-caption\"><table class=\"plan-table\" data-searchable><thead><tr>", esc(&caption));
    let mut columns = vec!["col_target", "col_category", "col_kind", "col_unit", "col_baseline", "col_target_value", "col_outcome", "col_progress", "col_plan_status", "col_trend"];
    if plan.targets.iter().all(|t| t.category.is_none()) {
        columns.retain(|c| *c != "col_category");
    }
    if plan.targets.iter().all(|t| t.kind.is_none()) {
        columns.retain(|c| *c != "col_kind");
    }
    for c in &columns {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(s(c)?));
    }
    out.push_str("</tr></thead><tbody>");
    for (t, p) in plan.targets.iter().zip(&progress) {
        let _ = write!(out, "<tr id=\"{}\"><th scope=\"row\">{}</th>", id(&format!("target-{}", t.id)), esc(t.name.get(lang)));
        if columns.contains(&"col_category") {
            let _ = write!(out, "<td>{}</td>", esc(t.category.as_ref().map(|c| c.get(lang)).unwrap_or("—")));
        }
        if columns.contains(&"col_kind") {
            let kind = match t.kind {
                Some(TargetKind::Binding) => s("kind_binding")?,
                Some(TargetKind::Expected) => s("kind_expected")?,
                None => "—",
            };
            let _ = write!(out, "<td>{}</td>", esc(kind));
        }
        let _ = write!(out, "<td>{}</td>", esc(t.unit.as_ref().map(|u| u.get(lang)).unwrap_or("—")));
        let baseline = match &t.baseline {
            Some(b) => strings.fill(lang, "outcome_year", &[("value", &measured(strings, lang, b.value)?), ("year", &b.year.to_string())])?,
            None => s("baseline_none")?.to_string(),
        };
        let _ = write!(out, "<td class=\"num\">{}</td>", esc(&baseline));
        let mut target = target_words(strings, lang, t)?;
        target.push_str(&strings.fill(lang, "target_by", &[("year", &t.year.to_string())])?);
        let _ = write!(out, "<td>{}", esc(&target));
        if let Some(printed) = &t.as_printed {
            let _ = write!(out, "<br><span class=\"note\">{}</span>", with_quote(strings, lang, "target_as_printed", &[], printed)?);
        }
        out.push_str("</td>");
        let _ = write!(out, "<td>{}</td>", outcome_html(strings, lang, p)?);
        let label = match (goal(t.comparator), &t.baseline, p.latest.as_ref().and_then(|a| a.value)) {
            (Some(g), Some(b), Some(m)) => strings.fill(lang, "progress_label_baseline", &[("baseline", &measured(strings, lang, b.value)?), ("value", &measured(strings, lang, m)?), ("target", &plain(g))])?,
            (Some(g), _, Some(m)) => strings.fill(lang, "progress_label", &[("value", &measured(strings, lang, m)?), ("target", &plain(g))])?,
            (Some(g), Some(b), None) => strings.fill(lang, "progress_label_baseline", &[("baseline", &measured(strings, lang, b.value)?), ("value", s("outcome_none")?), ("target", &plain(g))])?,
            _ => String::new(),
        };
        let chart = bar(t, p, &label);
        let _ = write!(out, "<td class=\"plan-progress\">{}</td>", if chart.is_empty() { "—".to_string() } else { chart });
        let _ = write!(
            out,
            "<td class=\"plan-status status-{}\"><span class=\"status-icon\" aria-hidden=\"true\">{}</span> {}</td>",
            p.status.key(),
            status_icon(p.status),
            esc(status_words(strings, lang, p.status)?)
        );
        let (arrow, words) = match p.trend {
            Some(Trend::Up) => ("↑", s("trend_up")?),
            Some(Trend::Down) => ("↓", s("trend_down")?),
            Some(Trend::Flat) => ("→", s("trend_flat")?),
            None => ("—", s("trend_none")?),
        };
        let _ = write!(out, "<td class=\"trend\"><span aria-hidden=\"true\">{arrow}</span><span class=\"visually-hidden\">{}</span></td></tr>", esc(words));
    }
    out.push_str("</tbody></table></div></div></section>");

    // The rule.
    let _ = write!(out, "<section class=\"plan\" id=\"{}\">", id("rule"));
    heading(&mut out, "rule-title", "sec_plan_rule")?;
    out.push_str("<ol class=\"steps\">");
    for k in 1..=6 {
        let _ = write!(out, "<li>{}</li>", esc(s(&format!("plan_rule_{k}"))?));
    }
    out.push_str("</ol>");
    if let Some(note) = &plan.tolerance_note {
        let _ = write!(out, "<p class=\"generated\">{}</p>", esc(note.get(lang)));
    }
    out.push_str("</section>");

    // Sources: the document of the targets, then every distinct source of outcomes and baselines.
    let _ = write!(out, "<section class=\"plan\" id=\"{}\">", id("sources"));
    heading(&mut out, "sources-title", "sec_plan_sources")?;
    if let Some(d) = &plan.document {
        let _ = write!(out, "<p>{}</p>", esc(&strings.fill(lang, "plan_sources_document", &[("document", d.get(lang))])?));
    }
    let mut sources: Vec<&str> = Vec::new();
    let baselines = plan.targets.iter().filter_map(|t| t.baseline.as_ref().map(|b| b.source.get(lang)));
    let outcomes = progress.iter().filter_map(|p| p.latest.as_ref().map(|a| a.source.get(lang)));
    for src in baselines.chain(outcomes) {
        if !sources.contains(&src) {
            sources.push(src);
        }
    }
    if !sources.is_empty() {
        let _ = write!(out, "<p>{}</p><ul>", esc(s("plan_sources_outcomes")?));
        for src in sources {
            let _ = write!(out, "<li>{}</li>", esc(src));
        }
        out.push_str("</ul>");
    }
    let _ = write!(out, "<p><a href=\"{}\" download>{}</a></p></section>", esc(&links::relative(at.page, &csv_path(plan))), esc(s("download_plan_progress")?));
    Ok(out)
}

/// Progress chapters of a computed edition: one page per plan it names, `<year>/<lang>/plans/<id>.html`.
pub(crate) fn edition_chapters(v: &EditionView) -> Result<Vec<PageJob>, SiteError> {
    let mut jobs = Vec::new();
    for plan in v.ed.plans.iter().filter_map(|id| v.opts.plans.iter().find(|p| &p.id == id)) {
        let rel = format!("plans/{}.html", plan.id);
        let page = v.path(&rel);
        let place = ChapterPlace { page: &page, level: 2, as_of: Some(v.ed.year), district: None };
        let html = chapter_html(v.strings, v.lang, plan, &place)?;
        let title = format!("{}：{}", v.t("plan_chapter")?, plan.name.get(v.lang));
        let title = if v.lang == Lang::En { title.replace('：', ": ") } else { title };
        let mut spec = PageSpec::new(&rel, "page.html", "plans", title);
        spec.description = plan.name.get(v.lang).to_string();
        spec.breadcrumbs = vec![(v.t("nav_home")?.to_string(), Some("index.html".into())), (v.t("plan_chapter")?.to_string(), None)];
        spec.sections = vec![section("plan", None, 2, vec![Block::Html { html, draft: false, print: None }])];
        jobs.push(finish(v, spec)?);
    }
    Ok(jobs)
}

/// Nav entries for the progress chapters of an edition (after the fixed chapters).
pub(crate) fn nav_links(v: &EditionView, current_rel: &str, page: &str) -> Result<Vec<Link>, SiteError> {
    v.ed.plans
        .iter()
        .filter(|id| v.opts.plans.iter().any(|p| &p.id == *id))
        .map(|id| {
            let rel = format!("plans/{id}.html");
            let label = if v.ed.plans.len() == 1 { v.t("plan_chapter")?.to_string() } else { format!("{} · {id}", v.t("plan_chapter")?) };
            Ok(Link { current: rel == current_rel, ..Link::new(label, links::relative(page, &v.path(&rel))) })
        })
        .collect()
}

/// The district profile's section for a district-level plan of district `d`, if there is one.
pub(crate) fn district_sections(v: &EditionView, d: usize) -> Result<Vec<Section>, SiteError> {
    let id = &v.ed.districts.districts[d].id;
    let page = v.path(&PageKey::District(d).rel(v.ed));
    let mut out = Vec::new();
    for plan in v.opts.plans.iter().filter(|p| p.district.as_deref() == Some(id.as_str())) {
        let place = ChapterPlace { page: &page, level: 3, as_of: Some(v.ed.year), district: Some(id) };
        let html = format!("<p class=\"plan-name\">{}</p>{}", esc(plan.name.get(v.lang)), chapter_html(v.strings, v.lang, plan, &place)?);
        out.push(section(format!("district-plan-{}", plan.id), Some(v.t("district_plan")?.into()), 2, vec![Block::Html { html, draft: false, print: None }]));
    }
    Ok(out)
}
