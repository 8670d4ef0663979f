//! Edition home, 评估体系与方法, 评估总体情况 and the data page.

use crate::catalogue::NarrativeKey;
use serde_json::json;

use super::blocks::{Link, Cell, col, Row, row, Table, Stat, Block, Section, section};
use super::changes::change_note;
use super::shell::{PageSpec, finish};
use super::{PageJob, narrative_block, narrative_is_draft, table, figure, children_caption, means, children_table};
use crate::site::view::EditionView;
use crate::site::{SiteError, links};
use crate::catalogue::{indicator_rel, node_rel, FigureKey, PageKey, TableKey, CHAPTERS};
use crate::model::{IndicatorKind, Normalisation};
use crate::format;

pub(crate) fn home(v: &EditionView) -> Result<PageJob, SiteError> {
    let rel = PageKey::Home.rel(v.ed);
    let page = v.path(&rel);
    let href = |r: &str| links::relative(&page, &v.path(r));
    let intro = v.narrative(NarrativeKey::Home)?;
    let root = 0;
    let r0 = &v.res.nodes[root];

    let mut headline = vec![Stat::new(v.t("city")?, v.num(r0.city))
        .note(v.ind_name(root))
        .href(href(&PageKey::Overall.rel(v.ed)))
        .change(change_note(v, root, v.city_change(root))?)];
    for (ri, value) in r0.regions.iter().enumerate() {
        headline.push(
            Stat::new(v.region_name(ri), v.num(*value))
                .note(v.ind_name(root))
                .change(change_note(v, root, v.region_change(root, ri))?),
        );
    }
    let mut first = Vec::new();
    for c in v.index_children(root) {
        first.push(
            Stat::new(v.ind_name(c), v.num(v.res.nodes[c].city))
                .note(v.t("city")?)
                .href(href(&indicator_rel(&v.ed.tree, c)))
                .change(change_note(v, c, v.city_change(c))?),
        );
    }
    for c in v.coefficients() {
        first.push(
            Stat::new(v.ind_name(c), v.num(v.res.nodes[c].city))
                .note(v.t("mean")?)
                .href(href(&indicator_rel(&v.ed.tree, c)))
                .change(change_note(v, c, v.city_change(c))?),
        );
    }

    let top = |region: Option<usize>| -> Vec<Link> {
        v.ranked(root, region)
            .into_iter()
            .take(3)
            .map(|d| {
                let rank = if region.is_some() { r0.region_rank[d] } else { r0.rank[d] };
                Link::new(format!("{rank}. {}", v.dist_name(d)), href(&PageKey::District(d).rel(v.ed))).note(v.num(r0.districts[d]))
            })
            .collect()
    };
    let mut top_blocks = vec![Block::Links { title: Some(v.fill("all_districts", &[("n", &v.ed.districts.districts.len().to_string())])?), items: top(None) }];
    for ri in 0..v.ed.districts.regions.len() {
        top_blocks.push(Block::Links { title: Some(v.region_name(ri).into()), items: top(Some(ri)) });
    }

    let mut chapters = Vec::new();
    for c in CHAPTERS.iter().skip(1) {
        chapters.push(Link::new(v.t(c.label)?, href(&c.page.rel(v.ed))).note(v.t(&format!("desc_{}", c.nav))?));
    }

    let mut sections = Vec::new();
    if let Some(b) = narrative_block(&intro) {
        sections.push(section("intro", None, 2, vec![b]));
    }
    sections.push(section(
        "headline",
        Some(v.t("sec_headline")?.into()),
        2,
        vec![Block::Stats { items: headline }, Block::Stats { items: first }],
    ));
    // The full ranking (every district, every first-level index, sortable) and the tools.
    let ranking = vec![
        Link::new(v.t("link_full_ranking")?, format!("{}#table-districts", href(&PageKey::Districts.rel(v.ed)))),
        Link::new(v.t("weights_title")?, href(&PageKey::Weights.rel(v.ed))),
        Link::new(v.t("compare_title")?, href(&PageKey::Compare.rel(v.ed))),
    ];
    top_blocks.push(Block::Links { title: Some(v.t("more_rankings")?.into()), items: ranking });
    sections.push(section("top", Some(v.t("sec_top_three")?.into()), 2, top_blocks));
    if let Some(fig) = figure(v, &page, FigureKey::Map(0), v.fill("caption_map", &[("name", v.ind_name(root))])?, false)? {
        sections.push(section("map", Some(v.t("sec_map")?.into()), 2, vec![fig]));
    }
    sections.push(section("chapters", Some(v.t("sec_chapters")?.into()), 2, vec![Block::Links { title: None, items: chapters }]));

    let mut spec = PageSpec::new(&rel, "home.html", "home", v.ed.title.get(v.lang));
    spec.description = intro
        .as_ref()
        .and_then(|n| n.description.clone())
        .unwrap_or(v.fill("desc_home_meta", &[("year", &v.ed.year.to_string())])?);
    spec.draft = narrative_is_draft(&intro);
    spec.sections = sections;
    spec.og_figure = Some(FigureKey::Map(0));
    spec.extra = Some(json!({
        "kicker": v.fill("edition_kicker", &[("year", &v.ed.year.to_string())])?,
    }));
    finish(v, spec)
}

pub(crate) fn method(v: &EditionView) -> Result<PageJob, SiteError> {
    let rel = PageKey::Method.rel(v.ed);
    let page = v.path(&rel);
    let intro = v.narrative(NarrativeKey::Method)?;
    let tree = &v.ed.tree;

    // 表 1-1: the tree in reading order with weights within the parent and in the overall index.
    let columns = vec![
        col(v.t("col_indicator")?, false),
        col(v.t("col_level")?, false),
        col(v.t("col_weight")?, true),
        col(v.t("col_effective_weight")?, true),
    ];
    let mut rows = Vec::new();
    let mut order: Vec<usize> = vec![0];
    order.extend(v.section_nodes());
    for i in order {
        let node = &tree.nodes[i];
        let level = match node.kind {
            IndicatorKind::Coefficient => v.t("levelname_coef")?.to_string(),
            IndicatorKind::Index => v.level_name(node.level)?,
        };
        let (weight, effective) = match (node.kind, i) {
            (_, 0) => ("—".to_string(), "100%".to_string()),
            (IndicatorKind::Coefficient, _) => (v.t("multiplier")?.to_string(), "—".to_string()),
            (IndicatorKind::Index, _) => {
                let eff: f64 = tree.path_to(i).iter().skip(1).map(|&p| tree.nodes[p].weight).product();
                (format::percent(node.weight), format::percent(eff))
            }
        };
        let link = links::relative(&page, &v.path(&indicator_rel(&v.ed.tree, i)));
        rows.push(Row {
            cells: vec![
                Cell::head(v.ind_name(i), Some(link)).indent(node.level),
                Cell::text(level),
                Cell::num(weight),
                Cell::num(effective),
            ],
            highlight: node.level <= 1,
            id: None,
        });
    }
    let indicators = table(v, Some(TableKey::Indicators), "indicators", v.fill("caption_indicator_system", &[("name", v.ind_name(0))])?, columns, rows)?;
    let indicators_ref = indicators.label.clone().unwrap_or_default();

    // 表 1-2: which district belongs to which region.
    let ds = &v.ed.districts;
    let columns = vec![col(v.t("col_district")?, false), col(v.t("col_full_name")?, false), col(v.t("col_region")?, false)];
    let rows = ds
        .districts
        .iter()
        .enumerate()
        .map(|(d, dist)| {
            row(vec![
                Cell::head(v.dist_name(d), Some(links::relative(&page, &v.path(&PageKey::District(d).rel(v.ed))))),
                Cell::text(dist.full_name.get(v.lang)),
                Cell::text(v.region_name(dist.region)),
            ])
        })
        .collect();
    let region_names: Vec<&str> = (0..ds.regions.len()).map(|r| v.region_name(r)).collect();
    let regions = table(
        v,
        Some(TableKey::Regions),
        "regions",
        v.fill("caption_regions", &[("regions", &region_names.join("—"))])?,
        columns,
        rows,
    )?;

    let mut framework = Vec::new();
    let name0 = v.ind_name(0);
    if let Some(f) = figure(v, &page, FigureKey::Framework, v.fill("caption_framework", &[("name", name0)])?, true)? {
        framework.push(f);
    }
    framework.push(Block::Paragraph { text: framework_summary(v)? });
    framework.push(Block::Table(indicators));

    let mut sections = Vec::new();
    if let Some(b) = narrative_block(&intro) {
        sections.push(section("intro", None, 2, vec![b]));
    }
    sections.push(section("framework", Some(v.t("sec_framework")?.into()), 2, framework));
    sections.push(section(
        "computation",
        Some(v.t("sec_computation")?.into()),
        2,
        vec![Block::Steps { items: computation_steps(v, &indicators_ref)? }],
    ));
    sections.push(section("regions", Some(v.t("sec_regions")?.into()), 2, vec![Block::Table(regions)]));
    sections.extend(super::uncertainty::method_section(v)?); // how robust the ranks are (issue 16)
    if let Some(changes) = framework_changes(v, &page)? {
        sections.push(changes);
    }

    let mut spec = PageSpec::new(&rel, "method.html", "method", v.t("nav_method")?);
    spec.description = intro.as_ref().and_then(|n| n.description.clone()).unwrap_or(v.t("desc_method")?.into());
    spec.draft = narrative_is_draft(&intro);
    spec.sections = sections;
    spec.og_figure = Some(FigureKey::Framework);
    finish(v, spec)
}

/// 指标体系变化 / Changes to the framework: what was added, removed, renamed, re-weighted or moved
/// since the previous computed edition; with only a history file, a note that no detailed
/// comparison is possible; nothing without any previous edition.
fn framework_changes(v: &EditionView, page: &str) -> Result<Option<Section>, SiteError> {
    let heading = Some(v.t("sec_framework_changes")?.to_string());
    let id = "framework-changes";
    let (Some(changes), Some(prev)) = (v.changes(), v.input.previous_edition) else {
        return Ok(match v.previous_year() {
            Some(year) => Some(section(
                id,
                heading,
                2,
                vec![Block::Paragraph { text: v.fill("framework_history_only", &[("year", &year.to_string())])? }],
            )),
            None => None,
        });
    };
    let year = changes.previous_year.to_string();
    let fw = &changes.framework;
    if fw.is_empty() {
        return Ok(Some(section(id, heading, 2, vec![Block::Paragraph { text: v.fill("framework_unchanged", &[("year", &year)])? }])));
    }
    let tree = &v.ed.tree;
    let lang = v.lang;
    let here = |i: usize| Cell::head(v.ind_name(i), Some(links::relative(page, &v.path(&indicator_rel(&v.ed.tree, i)))));
    // Pages of the previous edition stay where they are (or are frozen there), so links to them hold.
    let there = |node: &crate::model::Indicator| {
        Cell::head(node.name.get(lang), Some(links::relative(page, &format!("{year}/{}/{}", lang.code(), node_rel(node)))))
    };
    let named = |name: &str, id: &str| match lang {
        crate::model::Lang::Zh => format!("{name}（{id}）"),
        crate::model::Lang::En => format!("{name} ({id})"),
    };
    let parent_name = |i: usize| tree.parent_of(i).map(|p| v.ind_name(p).to_string()).unwrap_or_default();
    let kind = |key: &str| -> Result<Cell, SiteError> { Ok(Cell::text(v.t(key)?)) };

    let mut rows = Vec::new();
    for &i in &fw.added {
        let now = v.fill("framework_now_under", &[("parent", &parent_name(i)), ("weight", &weight_text(v, i)?)])?;
        rows.push(row(vec![here(i), kind("change_added")?, Cell::text("—"), Cell::text(now)]));
    }
    for (old_id, name) in &fw.removed {
        let cell = match prev.tree.get(old_id) {
            Some(node) => there(node),
            None => Cell::head(name.get(lang), None),
        };
        rows.push(row(vec![cell, kind("change_removed")?, Cell::text(named(name.get(lang), old_id)), Cell::text("—")]));
    }
    for (i, old_id, old_name) in &fw.renamed {
        rows.push(row(vec![
            here(*i),
            kind("change_renamed")?,
            Cell::text(named(old_name.get(lang), old_id)),
            Cell::text(named(v.ind_name(*i), &tree.nodes[*i].id)),
        ]));
    }
    for (i, _, old_weight) in &fw.reweighted {
        rows.push(row(vec![
            here(*i),
            kind("change_reweighted")?,
            Cell::num(format::percent(*old_weight)),
            Cell::num(format::percent(tree.nodes[*i].weight)),
        ]));
    }
    for (i, old_parent) in &fw.moved {
        let old = prev.tree.get(old_parent).map(|n| n.name.get(lang).to_string()).unwrap_or_else(|| old_parent.clone());
        let now = parent_name(*i);
        rows.push(row(vec![
            here(*i),
            kind("change_moved")?,
            Cell::text(v.fill("framework_under", &[("parent", &old)])?),
            Cell::text(v.fill("framework_under", &[("parent", &now)])?),
        ]));
    }
    let columns = vec![
        col(v.t("col_indicator")?, false),
        col(v.t("col_change_kind")?, false),
        col(v.fill("col_in_year", &[("year", &year)])?, false),
        col(v.fill("col_in_year", &[("year", &v.ed.year.to_string())])?, false),
    ];
    let caption = v.fill("caption_framework_changes", &[("year", &year)])?;
    let t = table(v, None, "framework-changes", caption, columns, rows)?;
    let intro = v.fill("framework_changes_intro", &[("year", &year)])?;
    Ok(Some(section(id, heading, 2, vec![Block::Paragraph { text: intro }, Block::Table(t)])))
}

/// A node's weight as shown in the method tables ("50%", or "multiplier" for a coefficient).
fn weight_text(v: &EditionView, i: usize) -> Result<String, SiteError> {
    let node = &v.ed.tree.nodes[i];
    Ok(match node.kind {
        IndicatorKind::Coefficient => v.t("multiplier")?.to_string(),
        IndicatorKind::Index => format::percent(node.weight),
    })
}

/// 历年数值 / History: the city values of node `i` across editions, with where each comes from.
fn history_table(v: &EditionView, i: usize) -> Result<Option<Table>, SiteError> {
    let id = &v.ed.tree.nodes[i].id;
    let Some(series) = v.input.history.iter().find(|s| &s.indicator == id) else { return Ok(None) };
    let columns = vec![col(v.t("col_year")?, false), col(v.t("col_city_value")?, true), col(v.t("col_basis")?, false)];
    let page = v.path(&PageKey::Overall.rel(v.ed));
    let mut rows = Vec::new();
    for p in &series.points {
        let year = p.year.to_string();
        let basis = if p.computed && p.year == v.ed.year {
            Cell::text(v.t("basis_this_edition")?)
        } else if p.computed {
            Cell::text(v.fill("basis_computed_edition", &[("year", &year)])?)
        } else {
            Cell { class: Some("wrap"), ..Cell::text(p.basis.get(v.lang)) }
        };
        // Each year leads to its edition: a computed one, or the page of an archived one.
        let href = (p.year != v.ed.year)
            .then(|| super::nav::edition_home(v, p.year))
            .flatten()
            .map(|target| links::relative(&page, &target));
        rows.push(Row { cells: vec![Cell::head(year, href), Cell::num(v.num(p.value)), basis], highlight: p.year == v.ed.year, id: None });
    }
    let caption = v.fill("caption_history_table", &[("name", v.ind_name(i))])?;
    let mut t = table(v, None, &format!("history-{id}"), caption, columns, rows)?;
    if series.points.iter().any(|p| !p.computed) {
        t.note = Some(v.t("history_note")?.into());
    }
    Ok(Some(t))
}

/// "3 项一级指标、10 项二级指标、38 项三级指标，另有 1 项系数" — counted from the tree.
fn framework_summary(v: &EditionView) -> Result<String, SiteError> {
    let tree = &v.ed.tree;
    let max_level = tree.nodes.iter().map(|n| n.level).max().unwrap_or(0);
    let mut parts = Vec::new();
    for level in 1..=max_level {
        let n = tree.nodes.iter().filter(|x| x.level == level && x.kind == IndicatorKind::Index).count();
        parts.push(v.fill("count_level", &[("n", &n.to_string()), ("level", &v.level_name(level)?)])?);
    }
    let coefs = v.coefficients();
    let names: Vec<String> = coefs.iter().map(|&c| v.ind_name(c).to_string()).collect();
    let mut text = v.fill("framework_summary", &[("name", v.ind_name(0)), ("parts", &parts.join(v.t("list_sep")?))])?;
    if !coefs.is_empty() {
        text.push_str(&v.fill("framework_coefficients", &[("names", &format::join_names(&names, v.lang))])?);
    }
    Ok(text)
}

/// The method, generated from the edition so that it cannot drift from what was computed.
fn computation_steps(v: &EditionView, indicators_ref: &str) -> Result<Vec<String>, SiteError> {
    let tree = &v.ed.tree;
    let mut steps = Vec::new();
    // Normalisation, grouped by method in a fixed order.
    type IsMethod = fn(&Normalisation) -> bool;
    let methods: [(&str, IsMethod); 5] = [
        ("norm_none", |n| matches!(n, Normalisation::None)),
        ("norm_mean_ratio", |n| matches!(n, Normalisation::MeanRatio)),
        ("norm_base_ratio", |n| matches!(n, Normalisation::BaseRatio { .. })),
        ("norm_min_max", |n| matches!(n, Normalisation::MinMax)),
        ("norm_target", |n| matches!(n, Normalisation::Target { .. })),
    ];
    let leaves: Vec<_> = tree.leaves().filter(|(_, n)| n.kind == IndicatorKind::Index).map(|(_, n)| n).collect();
    for (key, test) in methods {
        let n = leaves.iter().filter(|l| test(&l.normalisation)).count();
        if n > 0 {
            steps.push(v.fill(key, &[("n", &n.to_string())])?);
        }
    }
    steps.push(v.fill("step_aggregate", &[("table", indicators_ref)])?);
    for c in v.coefficients() {
        let r = &v.res.nodes[c];
        let min = r.districts.iter().copied().fold(f64::INFINITY, f64::min);
        let max = r.districts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let parent = v.ed.tree.parent_of(c).unwrap_or(0);
        steps.push(v.fill(
            "step_coefficient",
            &[
                ("name", v.ind_name(parent)),
                ("coef", v.ind_name(c)),
                ("mean", &v.num(r.city)),
                ("min", &v.num(min)),
                ("max", &v.num(max)),
            ],
        )?);
    }
    let ds = &v.ed.districts;
    let regions: Vec<String> = (0..ds.regions.len())
        .map(|r| v.fill("region_with_count", &[("name", v.region_name(r)), ("n", &ds.in_region(r).count().to_string())]))
        .collect::<Result<_, _>>()?;
    steps.push(v.fill(
        "step_means",
        &[("n", &ds.districts.len().to_string()), ("regions", &format::join_names(&regions, v.lang))],
    )?);
    steps.push(v.fill("step_ranking", &[("p", &v.ed.precision.to_string())])?);
    Ok(steps)
}

pub(crate) fn overall(v: &EditionView) -> Result<PageJob, SiteError> {
    let rel = PageKey::Overall.rel(v.ed);
    let page = v.path(&rel);
    let intro = v.narrative(NarrativeKey::OverallIntro)?;
    let root = 0;
    let mut draft = narrative_is_draft(&intro);
    let mut sections = Vec::new();
    if let Some(b) = narrative_block(&intro) {
        sections.push(section("intro", None, 2, vec![b]));
    }

    // The city index: its history, its first-level indices.
    let n = v.narrative(NarrativeKey::OverallIndex)?;
    draft |= narrative_is_draft(&n);
    let mut blocks: Vec<Block> = narrative_block(&n).into_iter().collect();
    blocks.push(Block::Stats { items: means(v, root)? });
    blocks.extend(figure(v, &page, FigureKey::History, v.fill("caption_history", &[("name", v.ind_name(root))])?, true)?);
    blocks.extend(history_table(v, root)?.map(Block::Table));
    blocks.push(Block::Table(children_table(v, &rel, root, Some(TableKey::Children(root)))?));
    blocks.extend(figure(v, &page, FigureKey::Children(root), children_caption(v, root)?, true)?);
    sections.push(section(&v.ed.tree.nodes[root].id, Some(v.ind_name(root).into()), 2, blocks));

    // Each first-level index, then its second-level indices.
    for c in v.index_children(root) {
        let id = &v.ed.tree.nodes[c].id;
        let n = v.narrative(NarrativeKey::OverallFirst(c))?;
        draft |= narrative_is_draft(&n);
        let mut blocks: Vec<Block> = narrative_block(&n).into_iter().collect();
        blocks.push(Block::Stats { items: means(v, c)? });
        blocks.extend(history_table(v, c)?.map(Block::Table));
        blocks.extend(figure(v, &page, FigureKey::Regions(c), v.fill("caption_regions_chart", &[("name", v.ind_name(c)), ("entities", &v.city_and_regions()?)])?, true)?);
        if !v.index_children(c).is_empty() {
            blocks.push(Block::Table(children_table(v, &rel, c, Some(TableKey::Children(c)))?));
            blocks.extend(figure(v, &page, FigureKey::Children(c), children_caption(v, c)?, true)?);
        }
        blocks.push(Block::Links {
            title: None,
            items: vec![Link::new(
                v.fill("see_districts", &[("name", v.ind_name(c))])?,
                links::relative(&page, &v.path(&indicator_rel(&v.ed.tree, c))),
            )],
        });
        sections.push(section(id, Some(v.ind_name(c).into()), 2, blocks));
        for g in v.index_children(c) {
            if v.index_children(g).is_empty() {
                continue;
            }
            let gid = &v.ed.tree.nodes[g].id;
            let mut blocks = vec![Block::Table(children_table(v, &rel, g, Some(TableKey::Children(g)))?)];
            blocks.extend(figure(v, &page, FigureKey::Children(g), children_caption(v, g)?, true)?);
            sections.push(section(gid, Some(v.ind_name(g).into()), 3, blocks));
        }
    }

    let mut spec = PageSpec::new(&rel, "overall.html", "overall", v.t("nav_overall")?);
    spec.description = intro.as_ref().and_then(|n| n.description.clone()).unwrap_or(v.t("desc_overall")?.into());
    spec.draft = draft;
    spec.sections = sections;
    spec.og_figure = Some(FigureKey::History);
    finish(v, spec)
}

pub(crate) fn data(v: &EditionView) -> Result<PageJob, SiteError> {
    let rel = PageKey::Data.rel(v.ed);
    let page = v.path(&rel);
    let intro = v.narrative(NarrativeKey::Data)?;
    let mut sections = Vec::new();
    if let Some(b) = narrative_block(&intro) {
        sections.push(section("intro", None, 2, vec![b]));
    }
    let mut items = Vec::new();
    for dl in &v.input.downloads {
        let file = dl.path.rsplit('/').next().unwrap_or(&dl.path);
        // Known files are described; others are listed by name only.
        let key = format!("download_{}", file.replace(['.', '-'], "_"));
        let mut note = v.strings.get(v.lang, &key).map(str::to_string).unwrap_or_default();
        if let Some(b) = dl.bytes {
            let size = format::file_size(b);
            note = if note.is_empty() { size } else { format!("{note} ({size})") };
        }
        items.push(Link::new(file, links::relative(&page, &dl.path)).note(note));
    }
    let downloads = if items.is_empty() {
        Block::Paragraph { text: v.t("no_downloads")?.into() }
    } else {
        Block::Links { title: None, items }
    };
    let mut blocks = vec![downloads];
    // How the CSV files are encoded, for readers whose tool does not skip the byte-order mark.
    if v.input.downloads.iter().any(|d| d.path.ends_with(".csv")) {
        blocks.push(Block::Paragraph { text: v.t("downloads_csv_bom")?.into() });
    }
    sections.push(section("downloads", Some(v.t("sec_downloads")?.into()), 2, blocks));

    let columns = vec![col(v.t("col_column")?, false), col(v.t("col_meaning")?, false)];
    // The columns as `downloads` writes them: the table cannot drift from the file.
    let regions: Vec<&str> = v.ed.districts.regions.iter().map(|r| r.id.as_str()).collect();
    let depth = v.ed.tree.nodes.iter().map(|n| n.level).max().unwrap_or(0).to_string();
    let precision = v.ed.precision.to_string();
    let args = [("p", precision.as_str()), ("regions", &regions.join(", ")), ("depth", depth.as_str())];
    let rows = crate::downloads::INDICES_COLUMNS
        .iter()
        .map(|c| Ok(row(vec![Cell::head(c.name, None), Cell::text(v.fill(&format!("datacol_{}", c.name), &args)?)])))
        .collect::<Result<Vec<_>, SiteError>>()?;
    let columns_table = table(v, None, "indices-columns", v.t("caption_columns")?.into(), columns, rows)?;
    sections.push(section("columns", Some(v.t("sec_columns")?.into()), 2, vec![Block::Table(columns_table)]));

    // Publication basics and the schema.org description of the downloads (issue 12).
    sections.push(section("publication", Some(v.t("sec_publication")?.into()), 2, vec![super::publication::section_block(v)?]));

    let mut spec = PageSpec::new(&rel, "data.html", "data", v.t("nav_data")?);
    spec.description = intro.as_ref().and_then(|n| n.description.clone()).unwrap_or(v.t("desc_data")?.into());
    spec.draft = narrative_is_draft(&intro);
    spec.sections = sections;
    spec.extra = Some(serde_json::json!({ "jsonld": super::publication::dataset_jsonld(v, &page)? }));
    finish(v, spec)
}
