//! 规划目标进展 / Progress towards the plan: a chapter per plan, shown in the editions that report
//! on it (`plans = [...]`), on the district profile for a district's own plan, and on the site's
//! plans pages. The chapter is made of blocks, the same wherever it appears: a summary (targets per
//! status), a table with a traffic-light status (colour, icon and words, so it reads in greyscale
//! and to screen readers), a small bar per target, the rule, and the sources. The targets were
//! assessed by the compute stage (`compute::plans::PlanProgress`); this module only words them.

use super::blocks::{col, row, section, Band, Block, Cell, Fact, Link, ProgressBar, Run, Section, StatusCount, Table};
use super::shell::{finish, PageSpec};
use super::PageJob;
use crate::catalogue::PageKey;
use crate::compute::plans::{goal, status_counts, TargetProgress, TargetStatus, Trend};
use crate::downloads::plan_progress_path;
use crate::i18n::Strings;
use crate::model::{Comparator, Lang, Measured, Plan, PlanTarget, Qualifier, TargetKind};
use crate::site::view::EditionView;
use crate::site::{links, RenderOptions, SiteError};

/// Site path of a plan's page on the plans pages.
pub(crate) fn site_page(plan: &Plan, lang: Lang) -> String {
    crate::catalogue::plan_page(&plan.id, lang.code())
}

/// The assessment of `plan`'s targets for `district` as of `as_of`, worked out by the compute stage.
pub(crate) fn progress<'a>(
    opts: &'a RenderOptions,
    plan: &Plan,
    district: Option<&str>,
    as_of: Option<u16>,
) -> Result<&'a [TargetProgress], SiteError> {
    opts.plan_progress.of(plan, district, as_of).ok_or_else(|| SiteError::Input {
        message: format!("plan {} was not assessed as of {as_of:?} (a fault of cityreport: the build assesses every plan it shows)", plan.id),
    })
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

/// The status's class, which colours it (`status-achieved` …: `site.css`).
fn status_class(s: TargetStatus) -> &'static str {
    use crate::compute::plans::NoAssessment as N;
    match s {
        TargetStatus::Achieved => "status-achieved",
        TargetStatus::OnTrack => "status-on_track",
        TargetStatus::Behind => "status-behind",
        TargetStatus::OffTrack => "status-off_track",
        TargetStatus::Missed => "status-missed",
        TargetStatus::NotAssessable(N::NoData) => "status-no_data",
        TargetStatus::NotAssessable(N::Qualitative) => "status-qualitative",
        TargetStatus::NotAssessable(N::NoBaseline) => "status-no_baseline",
        TargetStatus::NotAssessable(N::NoTrend) => "status-no_trend",
    }
}

/// The classes of a status cell of the table.
fn status_cell_class(s: TargetStatus) -> &'static str {
    use crate::compute::plans::NoAssessment as N;
    match s {
        TargetStatus::Achieved => "plan-status status-achieved",
        TargetStatus::OnTrack => "plan-status status-on_track",
        TargetStatus::Behind => "plan-status status-behind",
        TargetStatus::OffTrack => "plan-status status-off_track",
        TargetStatus::Missed => "plan-status status-missed",
        TargetStatus::NotAssessable(N::NoData) => "plan-status status-no_data",
        TargetStatus::NotAssessable(N::Qualitative) => "plan-status status-qualitative",
        TargetStatus::NotAssessable(N::NoBaseline) => "plan-status status-no_baseline",
        TargetStatus::NotAssessable(N::NoTrend) => "plan-status status-no_trend",
    }
}

pub(crate) fn status_words(strings: &Strings, lang: Lang, s: TargetStatus) -> Result<&str, SiteError> {
    Ok(strings.get(lang, &format!("plan_status_{}", s.key()))?)
}

/// "已实现：13 项 · 进展顺利：2 项" — how many targets are in each status, in words.
pub(crate) fn counts_in_words(strings: &Strings, lang: Lang, progress: &[TargetProgress]) -> Result<String, SiteError> {
    Ok(status_counts(progress)
        .into_iter()
        .map(|(st, n)| Ok(strings.fill(lang, "status_count", &[("status", status_words(strings, lang, st)?), ("n", &n.to_string())])?))
        .collect::<Result<Vec<_>, SiteError>>()?
        .join(strings.get(lang, "list_sep")?))
}

fn run(text: impl Into<String>) -> Run {
    Run { text: text.into(), lang: None }
}

/// `key` filled with `text` quoted from a Chinese source: on English pages the quote is marked
/// as Chinese, so screen readers and fonts treat it as such.
fn with_quote(strings: &Strings, lang: Lang, key: &str, args: &[(&str, &str)], text: &str) -> Result<Vec<Run>, SiteError> {
    // A private-use character: no translation contains it.
    const MARK: &str = "\u{E000}";
    let mut all: Vec<(&str, &str)> = args.to_vec();
    all.push(("text", MARK));
    let filled = strings.fill(lang, key, &all)?;
    let (before, after) = filled.split_once(MARK).unwrap_or((filled.as_str(), ""));
    let quote = Run { text: text.to_string(), lang: (lang == Lang::En).then_some("zh-CN") };
    Ok([run(before), quote, run(after)].into_iter().filter(|r| !r.text.is_empty()).collect())
}

fn joined(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
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

/// The latest outcome in words, with its year (a printed figure is quoted as is).
fn outcome(strings: &Strings, lang: Lang, p: &TargetProgress) -> Result<Vec<Run>, SiteError> {
    let Some(a) = &p.latest else { return Ok(vec![run(strings.get(lang, "outcome_none")?)]) };
    let year = a.year.to_string();
    match (&a.as_printed, a.value) {
        (Some(printed), _) => with_quote(strings, lang, "outcome_printed", &[("year", &year)], printed),
        (None, Some(m)) => Ok(vec![run(strings.fill(lang, "outcome_year", &[("value", &measured(strings, lang, m)?), ("year", &year)])?)]),
        (None, None) => {
            let key = if a.met == Some(false) { "outcome_not_met_no_figure" } else { "outcome_met_no_figure" };
            Ok(vec![run(strings.fill(lang, key, &[("year", &year)])?)])
        }
    }
}

/// A small bar: the outcome (filled), the baseline (dashed tick) and the target (solid tick, with
/// the tolerance band of an "about" target), on a scale from 0. None for targets without a number
/// or figures below 0, which a bar from 0 cannot show.
fn bar(t: &PlanTarget, p: &TargetProgress, label: &str) -> Option<ProgressBar> {
    let goal_value = goal(t.comparator)?;
    let value = p.latest.as_ref().and_then(|a| a.value).map(|m| m.value);
    let base = t.baseline.as_ref().map(|b| b.value.value);
    let band = match t.comparator {
        Comparator::About { value, tolerance } => Some((value - tolerance, value + tolerance)),
        _ => None,
    };
    let all = [Some(goal_value), value, base, band.map(|b| b.1)];
    if value.is_none() && base.is_none() || all.iter().flatten().any(|x| *x < 0.0) {
        return None;
    }
    let top = all.iter().flatten().fold(0.0_f64, |m, x| m.max(*x)) * 1.1;
    if top <= 0.0 {
        return None;
    }
    let x = |v: f64| (v / top * 120.0 * 10.0).round() / 10.0;
    Some(ProgressBar {
        label: label.to_string(),
        status: status_class(p.status),
        band: band.map(|(lo, hi)| Band { x: format!("{}", x(lo.max(0.0))), width: format!("{}", x(hi) - x(lo.max(0.0))) }),
        fill: value.map(|v| format!("{}", x(v))),
        base: base.map(|b| format!("{}", x(b))),
        goal: format!("{}", x(goal_value)),
    })
}

/// Where a plan chapter is shown: the page it is on, its heading level and the outcomes known.
pub(crate) struct ChapterPlace<'a> {
    pub page: &'a str,
    /// Level of the chapter's own headings (2 on a page of its own, 3 inside another section).
    pub level: u8,
}

/// The chapter's sections: summary, targets, rule and sources, for `plan` assessed as `progress`.
pub(crate) fn chapter(strings: &Strings, lang: Lang, plan: &Plan, progress: &[TargetProgress], at: &ChapterPlace) -> Result<Vec<Section>, SiteError> {
    let s = |k: &str| strings.get(lang, k);
    let id = |part: &str| format!("plan-{}-{part}", plan.id);
    let heading = |key: &str| -> Result<Option<String>, SiteError> { Ok(Some(s(key)?.to_string())) };

    // Facts and summary.
    let mut facts = vec![Fact::new(
        strings.fill(lang, "plan_targets_count", &[("n", &plan.targets.len().to_string())])?,
        strings.fill(lang, "plan_period", &[("start", &plan.start_year.to_string()), ("end", &plan.end_year.to_string())])?,
    )];
    if let Some(i) = &plan.issuer {
        facts.push(Fact::new(s("plan_issuer")?, i.get(lang)));
    }
    if let Some(d) = &plan.document {
        facts.push(Fact::new(s("plan_document")?, d.get(lang)));
    }
    let latest_year = progress.iter().filter_map(|p| p.latest.as_ref().map(|a| a.year)).max();
    let as_of = match latest_year {
        Some(y) => strings.fill(lang, "plan_as_of", &[("year", &y.to_string())])?,
        None => s("plan_no_outcomes")?.to_string(),
    };
    let counts = status_counts(progress)
        .into_iter()
        .map(|(status, n)| {
            let text = strings.fill(lang, "status_count", &[("status", status_words(strings, lang, status)?), ("n", &n.to_string())])?;
            Ok(StatusCount { class: status_class(status), icon: status_icon(status), text })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let summary = vec![Block::Facts { items: facts, print: true }, Block::Paragraph { text: as_of }, Block::Statuses { items: counts }];

    // The table.
    let mut columns = vec!["col_target", "col_category", "col_kind", "col_unit", "col_baseline", "col_target_value", "col_outcome", "col_progress", "col_plan_status", "col_trend"];
    if plan.targets.iter().all(|t| t.category.is_none()) {
        columns.retain(|c| *c != "col_category");
    }
    if plan.targets.iter().all(|t| t.kind.is_none()) {
        columns.retain(|c| *c != "col_kind");
    }
    let mut rows = Vec::new();
    for (t, p) in plan.targets.iter().zip(progress) {
        let mut cells = vec![Cell::head(t.name.get(lang), None)];
        if columns.contains(&"col_category") {
            cells.push(Cell::text(t.category.as_ref().map(|c| c.get(lang)).unwrap_or("—")));
        }
        if columns.contains(&"col_kind") {
            cells.push(Cell::text(match t.kind {
                Some(TargetKind::Binding) => s("kind_binding")?,
                Some(TargetKind::Expected) => s("kind_expected")?,
                None => "—",
            }));
        }
        cells.push(Cell::text(t.unit.as_ref().map(|u| u.get(lang)).unwrap_or("—")));
        cells.push(Cell::num(match &t.baseline {
            Some(b) => strings.fill(lang, "outcome_year", &[("value", &measured(strings, lang, b.value)?), ("year", &b.year.to_string())])?,
            None => s("baseline_none")?.to_string(),
        }));
        let mut target = Cell::text(target_words(strings, lang, t)? + &strings.fill(lang, "target_by", &[("year", &t.year.to_string())])?);
        if let Some(printed) = &t.as_printed {
            target.note = with_quote(strings, lang, "target_as_printed", &[], printed)?;
        }
        cells.push(target);
        // Marked in parts only where a quote is in another language.
        let runs = outcome(strings, lang, p)?;
        let text = joined(&runs);
        cells.push(Cell { runs: if runs.iter().any(|r| r.lang.is_some()) { runs } else { Vec::new() }, ..Cell::text(text) });
        let label = match (goal(t.comparator), &t.baseline, p.latest.as_ref().and_then(|a| a.value)) {
            (Some(g), Some(b), Some(m)) => strings.fill(lang, "progress_label_baseline", &[("baseline", &measured(strings, lang, b.value)?), ("value", &measured(strings, lang, m)?), ("target", &plain(g))])?,
            (Some(g), _, Some(m)) => strings.fill(lang, "progress_label", &[("value", &measured(strings, lang, m)?), ("target", &plain(g))])?,
            (Some(g), Some(b), None) => strings.fill(lang, "progress_label_baseline", &[("baseline", &measured(strings, lang, b.value)?), ("value", s("outcome_none")?), ("target", &plain(g))])?,
            _ => String::new(),
        };
        let drawn = bar(t, p, &label);
        let shown = if drawn.is_some() { label } else { "—".to_string() };
        cells.push(Cell { class: Some("plan-progress"), bar: drawn, ..Cell::text(shown) });
        cells.push(Cell { class: Some(status_cell_class(p.status)), icon: Some(status_icon(p.status)), ..Cell::text(status_words(strings, lang, p.status)?) });
        let (arrow, words) = match p.trend {
            Some(Trend::Up) => ("↑", s("trend_up")?),
            Some(Trend::Down) => ("↓", s("trend_down")?),
            Some(Trend::Flat) => ("→", s("trend_flat")?),
            None => ("—", s("trend_none")?),
        };
        cells.push(Cell { class: Some("trend"), sr: Some(words.to_string()), ..Cell::text(arrow) });
        let mut r = row(cells);
        r.id = Some(id(&format!("target-{}", t.id)));
        rows.push(r);
    }
    let table = Table {
        id: id("table"),
        label: None,
        caption: strings.fill(lang, "caption_plan_targets", &[("plan", plan.name.get(lang))])?,
        columns: columns.iter().map(|c| Ok(col(s(c)?, false))).collect::<Result<Vec<_>, SiteError>>()?,
        rows,
        note: None,
        class: Some("plan-table"),
        searchable: true,
    };

    // The rule.
    let mut rule = vec![Block::Steps { items: (1..=6).map(|k| Ok(s(&format!("plan_rule_{k}"))?.to_string())).collect::<Result<Vec<_>, SiteError>>()? }];
    if let Some(note) = &plan.tolerance_note {
        rule.push(Block::Paragraph { text: note.get(lang).to_string() });
    }

    // Sources: the document of the targets, then every distinct source of outcomes and baselines.
    let mut sources_blocks = Vec::new();
    if let Some(d) = &plan.document {
        sources_blocks.push(Block::Paragraph { text: strings.fill(lang, "plan_sources_document", &[("document", d.get(lang))])? });
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
        sources_blocks.push(Block::List { title: Some(s("plan_sources_outcomes")?.to_string()), items: sources.into_iter().map(str::to_string).collect() });
    }
    let download = Link::new(s("download_plan_progress")?, links::relative(at.page, &plan_progress_path(plan))).download();
    sources_blocks.push(Block::Links { title: None, items: vec![download] });

    Ok(vec![
        section(id("summary"), heading("sec_plan_summary")?, at.level, summary),
        section(id("targets"), heading("sec_plan_targets")?, at.level, vec![Block::Table(table)]),
        section(id("rule"), heading("sec_plan_rule")?, at.level, rule),
        section(id("sources"), heading("sec_plan_sources")?, at.level, sources_blocks),
    ])
}

/// Progress chapters of a computed edition: one page per plan it names, `<year>/<lang>/plans/<id>.html`.
pub(crate) fn edition_chapters(v: &EditionView) -> Result<Vec<PageJob>, SiteError> {
    let mut jobs = Vec::new();
    for plan in v.ed.plans.iter().filter_map(|id| v.opts.plans.iter().find(|p| &p.id == id)) {
        let rel = crate::catalogue::plan_chapter_rel(&plan.id);
        let page = v.path(&rel);
        let place = ChapterPlace { page: &page, level: 2 };
        let sections = chapter(v.strings, v.lang, plan, progress(v.opts, plan, None, Some(v.ed.year))?, &place)?;
        let title = format!("{}：{}", v.t("plan_chapter")?, plan.name.get(v.lang));
        let title = if v.lang == Lang::En { title.replace('：', ": ") } else { title };
        let mut spec = PageSpec::new(&rel, "page.html", "plans", title);
        spec.description = plan.name.get(v.lang).to_string();
        spec.breadcrumbs = vec![(v.t("nav_home")?.to_string(), Some(PageKey::Home.rel(v.ed))), (v.t("plan_chapter")?.to_string(), None)];
        spec.sections = sections;
        jobs.push(finish(v, spec)?);
    }
    Ok(jobs)
}

/// The district profile's sections for a district-level plan of district `d`, if there is one. On
/// the web page only, as the plan chapters: the print edition has no chapter on plans (its fonts
/// lack the status symbols, and the plans are not part of the assessment it reports).
pub(crate) fn district_sections(v: &EditionView, d: usize) -> Result<Vec<Section>, SiteError> {
    let id = &v.ed.districts.districts[d].id;
    let page = v.path(&PageKey::District(d).rel(v.ed));
    let mut out = Vec::new();
    for plan in v.opts.plans.iter().filter(|p| p.district.as_deref() == Some(id.as_str())) {
        let place = ChapterPlace { page: &page, level: 3 };
        let name = Block::Paragraph { text: plan.name.get(v.lang).to_string() };
        out.push(section(format!("district-plan-{}", plan.id), Some(v.t("district_plan")?.into()), 2, vec![name]));
        out.extend(chapter(v.strings, v.lang, plan, progress(v.opts, plan, Some(id), Some(v.ed.year))?, &place)?);
    }
    for s in &mut out {
        s.print = false;
    }
    Ok(out)
}
