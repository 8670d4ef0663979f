//! 区域评估结果: the chapter page (overall index by district) and one page per indicator.

use crate::catalogue::NarrativeKey;
use super::blocks::{Link, TreeItem, Cell, col, row, Table, Stat, Block, section};
use super::changes::{change_columns, change_cells};
use super::shell::{PageSpec, finish};
use super::{PageJob, narrative_block, narrative_is_draft, table_label, table, figure, children_caption, means, children_table, uncertainty, raw};
use crate::site::view::EditionView;
use crate::site::{SiteError, links};
use crate::catalogue::{indicator_rel, FigureKey, PageKey, Scope, TableKey};
use crate::model::IndicatorKind;
use crate::format;

/// Columns of 表 3-1 … 3-3: rank, district, the overall index, first-level indices, coefficients.
fn overall_table(v: &EditionView, page: &str, key: Option<TableKey>, fallback: &str, caption: String, ds: &[usize], region: bool) -> Result<Table, SiteError> {
    let root = 0;
    let mut cols_nodes = vec![root];
    cols_nodes.extend(v.index_children(root));
    cols_nodes.extend(v.coefficients());
    let mut columns = vec![col(v.t(if region { "col_region_rank" } else { "col_rank" })?, true), col(v.t("col_district")?, false)];
    columns.extend(cols_nodes.iter().map(|&i| col(v.ind_name(i), true)));
    // The overall index's change and, in all-district tables, the move since the previous edition.
    let mut change_cols = change_columns(v, !region)?;
    if let (Some(first), Some(c)) = (change_cols.first_mut(), v.changes()) {
        first.label = v.fill("col_change_of", &[("name", v.t("levelname_0")?), ("year", &c.previous_year.to_string())])?;
    }
    columns.extend(change_cols);
    let r0 = &v.res.nodes[root];
    let rows = ds
        .iter()
        .map(|&d| {
            let rank = if region { r0.region_rank[d].to_string() } else { uncertainty::rank_text(v, root, d, r0.rank[d]) };
            let mut cells = vec![
                Cell::num(rank),
                Cell::head(v.dist_name(d), Some(links::relative(page, &v.path(&PageKey::District(d).rel(v.ed))))),
            ];
            cells.extend(cols_nodes.iter().map(|&i| Cell::num(v.num(v.res.nodes[i].districts[d]))));
            cells.extend(change_cells(v, root, d, !region)?);
            Ok(row(cells))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let mut t = table(v, key, fallback, caption, columns, rows)?;
    if !region {
        uncertainty::add_note(v, &mut t, root)?;
    }
    Ok(t)
}

pub(crate) fn index(v: &EditionView) -> Result<PageJob, SiteError> {
    let rel = PageKey::Regional.rel(v.ed);
    let page = v.path(&rel);
    let root = 0;
    let root_id = v.ed.tree.nodes[root].id.clone();
    let intro = v.narrative(NarrativeKey::RegionalIntro)?;
    let n = v.narrative(NarrativeKey::RegionalRoot)?;
    let mut sections = Vec::new();
    if let Some(b) = narrative_block(&intro) {
        sections.push(section("intro", None, 2, vec![b]));
    }

    let mut blocks: Vec<Block> = narrative_block(&n).into_iter().collect();
    let top: Vec<usize> = v.ranked(root, None).into_iter().filter(|&d| v.res.nodes[root].rank[d] <= 3).collect();
    let caption = v.fill("caption_top_three", &[("name", v.ind_name(root))])?;
    blocks.push(Block::Table(overall_table(v, &page, Some(TableKey::Top), "top", caption, &top, false)?));
    blocks.extend(figure(v, &page, FigureKey::Map(root), v.fill("caption_map", &[("name", v.ind_name(root))])?, true)?);
    blocks.push(Block::Stats { items: means(v, root)? });
    for ri in 0..v.ed.districts.regions.len() {
        let rid = &v.ed.districts.regions[ri].id;
        let caption = v.fill("caption_in_region", &[("region", v.region_name(ri)), ("name", v.ind_name(root))])?;
        let ds = v.ranked(root, Some(ri));
        blocks.push(Block::Table(overall_table(v, &page, Some(TableKey::Ranking(root, Scope::Region(ri))), &format!("{root_id}-{rid}"), caption, &ds, true)?));
    }
    let all_caption = v.fill("caption_all_districts", &[("name", v.ind_name(root))])?;
    blocks.push(Block::Table(overall_table(v, &page, None, &format!("{root_id}-all"), all_caption, &v.ranked(root, None), false)?));
    blocks.extend(figure(v, &page, FigureKey::Bars(root, Scope::All), v.fill("caption_bars_all", &[("name", v.ind_name(root))])?, false)?);
    blocks.push(super::explore::tool_links(v, &page)?); // the reader's own weights (issue 16)
    sections.push(section(&root_id, Some(v.ind_name(root).into()), 2, blocks));

    // Contents of the chapter: every indicator section, nested as the tree.
    let items = v
        .section_nodes()
        .into_iter()
        .map(|i| {
            let node = &v.ed.tree.nodes[i];
            let number = v.numbering.table(TableKey::Ranking(i, Scope::All));
            let mut link = Link::new(v.ind_name(i), links::relative(&page, &v.path(&indicator_rel(&v.ed.tree, i))));
            if let Some(n) = number {
                link = link.note(table_label(v, n)?);
            }
            Ok(TreeItem { link, level: node.level.max(1) as u8 })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    sections.push(section("sections", Some(v.t("sec_indicator_sections")?.into()), 2, vec![Block::Tree { items }]));

    let first = v.section_nodes().first().copied();
    let mut spec = PageSpec::new(&rel, "regional.html", "regional", v.t("nav_regional")?);
    spec.description = intro.as_ref().and_then(|n| n.description.clone()).unwrap_or(v.t("desc_regional")?.into());
    spec.draft = narrative_is_draft(&intro) || narrative_is_draft(&n);
    spec.sections = sections;
    spec.og_figure = Some(FigureKey::Map(root));
    spec.next = first.map(|i| (v.ind_name(i).to_string(), indicator_rel(&v.ed.tree, i)));
    finish(v, spec)
}

/// Ranking of `ds` on node `i`: rank, district, (region), value, (region rank).
fn ranking_table(v: &EditionView, page: &str, i: usize, region: Option<usize>, key: Option<TableKey>, fallback: &str, caption: String) -> Result<Table, SiteError> {
    let r = &v.res.nodes[i];
    let mut columns = vec![col(v.t(if region.is_some() { "col_region_rank" } else { "col_rank" })?, true), col(v.t("col_district")?, false)];
    if region.is_none() {
        columns.push(col(v.t("col_region")?, false));
    }
    let raw_column = raw::ranking_column(v, i)?;
    let with_raw = raw_column.is_some();
    columns.extend(raw_column);
    columns.push(raw::score_column(v, with_raw)?);
    columns.push(col(v.t("col_vs_city")?, true));
    if region.is_none() {
        columns.push(col(v.t("col_region_rank")?, true));
    }
    // Changes since the previous edition: value in every table, the move in the all-district one
    // (the region tables' ranks are within the region; their moves are not computed).
    let with_changes = !v.is_new(i);
    if with_changes {
        columns.extend(change_columns(v, region.is_none())?);
    }
    let city = v.rounded(r.city);
    let rows = v
        .ranked(i, region)
        .into_iter()
        .map(|d| {
            let mut cells = vec![
                Cell::num(match region {
                    Some(_) => r.region_rank[d].to_string(),
                    None => uncertainty::rank_text(v, i, d, r.rank[d]),
                }),
                Cell::head(v.dist_name(d), Some(links::relative(page, &v.path(&PageKey::District(d).rel(v.ed))))),
            ];
            if region.is_none() {
                cells.push(Cell::text(v.region_name(v.region_of(d))));
            }
            cells.extend(raw::ranking_cell(v, i, d));
            cells.push(Cell::num(v.num(r.districts[d])));
            cells.push(Cell::num(format::signed(v.rounded(r.districts[d]) - city, v.ed.precision)));
            if region.is_none() {
                cells.push(Cell::num(r.region_rank[d].to_string()));
            }
            if with_changes {
                cells.extend(change_cells(v, i, d, region.is_none())?);
            }
            Ok(row(cells))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let mut t = table(v, key, fallback, caption, columns, rows)?;
    if let (true, Some(year)) = (v.is_new(i), v.previous_year()) {
        t.note = Some(v.fill("new_indicator_note", &[("year", &year.to_string())])?);
    }
    if region.is_none() {
        uncertainty::add_note(v, &mut t, i)?;
    }
    Ok(t)
}

pub(crate) fn indicator(v: &EditionView, i: usize) -> Result<PageJob, SiteError> {
    let node = &v.ed.tree.nodes[i];
    let id = &node.id;
    let rel = indicator_rel(&v.ed.tree, i);
    let page = v.path(&rel);
    let name = v.ind_name(i);
    let n = v.narrative(NarrativeKey::Section(i))?;
    let mut sections = Vec::new();

    // What this indicator is and where it sits.
    let mut facts = Vec::new();
    let level = match node.kind {
        IndicatorKind::Coefficient => v.t("levelname_coef")?.to_string(),
        IndicatorKind::Index => v.level_name(node.level)?,
    };
    facts.push(Stat::new(v.t("col_level")?, level));
    if let Some(p) = v.ed.tree.parent_of(i) {
        let weight = match node.kind {
            IndicatorKind::Coefficient => v.t("multiplier")?.to_string(),
            IndicatorKind::Index => format::percent(node.weight),
        };
        facts.push(Stat::new(v.t("col_weight")?, weight).note(v.ind_name(p)).href(links::relative(&page, &v.path(&indicator_rel(&v.ed.tree, p)))));
    }
    facts.push(raw::effective_weight_stat(v, i)?);
    if let Some(unit) = &node.unit {
        facts.push(Stat::new(v.t("unit")?, unit.get(v.lang)));
    }
    // Against the previous computed edition: new, or the same indicator's page there.
    if let (Some(c), Some(prev)) = (v.changes(), v.input.previous_edition) {
        let year = c.previous_year.to_string();
        let label = v.fill("previous_edition", &[("year", &year)])?;
        match c.previous_node[i] {
            None => facts.push(Stat::new(label, v.t("new_indicator")?)),
            Some(p) => {
                let target = format!("{year}/{}/{}", v.lang.code(), indicator_rel(&prev.tree, p));
                // The same name again says nothing: then the card says it is the same indicator.
                let was = prev.tree.display_name(p).get(v.lang);
                let value = if was == name { v.t("same_indicator")?.to_string() } else { v.fill("renamed_from", &[("name", was)])? };
                facts.push(Stat::new(label, value).href(links::relative(&page, &target)));
            }
        }
    }
    let mut intro: Vec<Block> = vec![Block::Stats { items: facts }];
    intro.extend(raw::method_blocks(v, i)?);
    intro.extend(narrative_block(&n));
    if let Some(src) = &node.source {
        intro.push(Block::Paragraph { text: v.fill("source_line", &[("source", src.get(v.lang))])? });
    }
    sections.push(section("about", None, 2, intro));

    // All districts.
    let mut blocks = vec![Block::Stats { items: means(v, i)? }];
    blocks.extend(raw::means(v, i)?);
    let caption = v.fill("caption_all_districts", &[("name", name)])?;
    blocks.push(Block::Table(ranking_table(v, &page, i, None, Some(TableKey::Ranking(i, Scope::All)), &format!("{id}-all"), caption)?));
    blocks.extend(figure(v, &page, FigureKey::Map(i), v.fill("caption_map", &[("name", name)])?, true)?);
    blocks.extend(figure(v, &page, FigureKey::Bars(i, Scope::All), v.fill("caption_bars_all", &[("name", name)])?, true)?);
    sections.push(section("ranking", Some(v.t("sec_ranking")?.into()), 2, blocks));

    // By region.
    for ri in 0..v.ed.districts.regions.len() {
        let rid = &v.ed.districts.regions[ri].id;
        let caption = v.fill("caption_in_region", &[("region", v.region_name(ri)), ("name", name)])?;
        let mut blocks = vec![Block::Table(ranking_table(v, &page, i, Some(ri), Some(TableKey::Ranking(i, Scope::Region(ri))), &format!("{id}-{rid}"), caption.clone())?)];
        blocks.extend(figure(v, &page, FigureKey::Bars(i, Scope::Region(ri)), caption, true)?);
        sections.push(section(format!("region-{rid}"), Some(v.region_name(ri).into()), 2, blocks));
    }

    // Components.
    if !v.index_children(i).is_empty() {
        let t = children_table(v, &rel, i, None)?;
        let mut subsections = vec![Block::Table(t)];
        subsections.extend(figure(v, &page, FigureKey::Children(i), children_caption(v, i)?, false)?);
        sections.push(section("components", Some(v.t("sec_components")?.into()), 2, subsections));
    }

    // Neighbours in reading order.
    let order = v.section_nodes();
    let pos = order.iter().position(|&x| x == i).unwrap_or(0);
    let prev = if pos == 0 { Some(0) } else { order.get(pos - 1).copied() };
    let next = order.get(pos + 1).copied();

    let mut breadcrumbs = vec![(v.t("nav_regional")?.to_string(), Some(PageKey::Regional.rel(v.ed)))];
    for p in v.ed.tree.path_to(i).into_iter().skip(1) {
        let link = if p == i { None } else { Some(indicator_rel(&v.ed.tree, p)) };
        breadcrumbs.push((v.ind_name(p).to_string(), link));
    }

    let mut spec = PageSpec::new(&rel, "indicator.html", "regional", name);
    spec.description = n
        .as_ref()
        .and_then(|n| n.description.clone())
        .unwrap_or(v.fill("desc_indicator", &[("name", name), ("year", &v.ed.year.to_string())])?);
    if let Some(title) = n.as_ref().and_then(|n| n.title.clone()) {
        spec.title = title;
    }
    spec.draft = narrative_is_draft(&n);
    spec.sections = sections;
    spec.breadcrumbs = breadcrumbs;
    spec.og_figure = Some(if v.figure(FigureKey::Map(i)).is_some() { FigureKey::Map(i) } else { FigureKey::Bars(i, Scope::All) });
    spec.prev = match prev {
        Some(0) => Some((v.t("nav_regional")?.to_string(), indicator_rel(&v.ed.tree, 0))),
        Some(p) => Some((v.ind_name(p).to_string(), indicator_rel(&v.ed.tree, p))),
        None => None,
    };
    spec.next = next.map(|x| (v.ind_name(x).to_string(), indicator_rel(&v.ed.tree, x)));
    finish(v, spec)
}
