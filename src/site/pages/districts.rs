//! District profiles (not in the print): every indicator for one district, with its strengths
//! and weaknesses, as readers of composite-index reports expect.

use crate::catalogue::NarrativeKey;
use super::blocks::{Link, Cell, col, Row, row, Stat, Block, section};
use super::changes::{change_note, rank_change_note, change_columns, change_cells};
use super::shell::{PageSpec, finish};
use super::{PageJob, narrative_block, narrative_is_draft, table, uncertainty, raw};
use crate::site::view::EditionView;
use crate::site::{SiteError, links};
use crate::catalogue::{indicator_rel, PageKey};
use crate::compute::standing::Standing;
use crate::format;

pub(crate) fn index(v: &EditionView) -> Result<PageJob, SiteError> {
    let rel = PageKey::Districts.rel(v.ed);
    let page = v.path(&rel);
    let intro = v.narrative(NarrativeKey::Districts)?;
    let root = 0;
    let r0 = &v.res.nodes[root];
    // Ranked 1–N on the root index, with every first-level index beside it (issue 24); the
    // columns sort in the browser (assets/sort.js), and without script it is a plain table.
    let firsts = v.index_children(root);
    let mut columns = vec![
        col(v.t("col_rank")?, true),
        col(v.t("col_district")?, false),
        col(v.t("col_region")?, false),
        col(v.ind_name(root), true),
    ];
    columns.extend(firsts.iter().map(|&i| col(v.ind_name(i), true)));
    columns.push(col(v.t("col_region_rank")?, true));
    columns.extend(change_columns(v, true)?);
    let rows = v
        .ranked(root, None)
        .into_iter()
        .map(|d| {
            let mut cells = vec![
                Cell::num(uncertainty::rank_text(v, root, d, r0.rank[d])),
                Cell::head(v.dist_name(d), Some(links::relative(&page, &v.path(&PageKey::District(d).rel(v.ed))))),
                Cell::text(v.region_name(v.region_of(d))),
                Cell::num(v.num(r0.districts[d])),
            ];
            cells.extend(firsts.iter().map(|&i| Cell::num(v.num(v.res.nodes[i].districts[d]))));
            cells.push(Cell::num(r0.region_rank[d].to_string()));
            cells.extend(change_cells(v, root, d, true)?);
            Ok(row(cells))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let mut t = table(v, None, "districts", v.t("caption_districts")?.into(), columns, rows)?;
    uncertainty::add_note(v, &mut t, root)?;
    let mut sections = Vec::new();
    if let Some(b) = narrative_block(&intro) {
        sections.push(section("intro", None, 2, vec![b]));
    }
    let sorter = Block::Sorter {
        hint: v.t("sort_hint")?.to_string(),
        script: links::relative(&page, &format!("{}/assets/sort.js", v.ed.year)),
        table: "table-districts",
    };
    sections.push(section("list", None, 2, vec![sorter, Block::Table(t), super::explore::tool_links(v, &page)?]));
    let mut spec = PageSpec::new(&rel, "districts.html", "districts", v.t("nav_districts")?);
    spec.description = intro.as_ref().and_then(|n| n.description.clone()).unwrap_or(v.t("desc_districts")?.into());
    spec.draft = narrative_is_draft(&intro);
    spec.sections = sections;
    finish(v, spec)
}

/// The district's value and rank on the root and every first-level index in the previous
/// computed edition and this one (issue 24); `None` when no earlier edition is computed.
fn across_editions(v: &EditionView, d: usize) -> Result<Option<Block>, SiteError> {
    let Some(c) = v.changes() else { return Ok(None) };
    let mut order = vec![0];
    order.extend(v.index_children(0));
    let mut columns = vec![col(v.t("col_edition_year")?, false)];
    for &i in &order {
        columns.push(col(v.ind_name(i), true));
        columns.push(col(v.fill("col_rank_in", &[("name", v.ind_name(i))])?, true));
    }
    let then: Vec<Option<(f64, u32)>> = order.iter().map(|&i| v.previous_standing(i, d)).collect();
    if then.iter().all(Option::is_none) {
        return Ok(None);
    }
    let year_cell = |y: u16| v.fill("col_in_year", &[("year", &y.to_string())]).map(|t| Cell::head(t, None));
    let mut old = vec![year_cell(c.previous_year)?];
    let mut now = vec![year_cell(v.ed.year)?];
    for (k, &i) in order.iter().enumerate() {
        let r = &v.res.nodes[i];
        match then[k] {
            Some((value, rank)) => old.extend([Cell::num(v.num(value)), Cell::num(rank.to_string())]),
            None => old.extend([Cell::num("—"), Cell::num("—")]),
        }
        now.extend([Cell::num(v.num(r.districts[d])), Cell::num(r.rank[d].to_string())]);
    }
    let caption = v.fill("caption_district_editions", &[("name", v.dist_name(d))])?;
    Ok(Some(Block::Table(table(v, None, "editions", caption, columns, vec![row(old), row(now)])?)))
}

/// The district against the city on the root and every first-level index: value, city mean,
/// difference, rank (issue 24).
fn against_city(v: &EditionView, d: usize, page: &str) -> Result<Block, SiteError> {
    let p = v.ed.precision;
    let n = v.ed.districts.districts.len().to_string();
    let columns = vec![
        col(v.t("col_indicator")?, false),
        col(v.dist_name(d), true),
        col(v.t("col_city_mean")?, true),
        col(v.t("col_vs_city")?, true),
        col(v.fill("col_rank_of", &[("n", &n)])?, true),
    ];
    let mut order = vec![0];
    order.extend(v.index_children(0));
    let rows = order
        .into_iter()
        .map(|i| {
            let r = &v.res.nodes[i];
            let cells = vec![
                Cell::head(v.ind_name(i), Some(links::relative(page, &v.path(&indicator_rel(&v.ed.tree, i))))),
                Cell::num(v.num(r.districts[d])),
                Cell::num(v.num(r.city)),
                Cell::num(format::signed(v.rounded(r.districts[d]) - v.rounded(r.city), p)),
                Cell::num(r.rank[d].to_string()),
            ];
            Ok(Row { cells, highlight: i == 0, id: None })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let caption = v.fill("caption_district_vs_city", &[("name", v.dist_name(d))])?;
    Ok(Block::Table(table(v, None, "vs-city", caption, columns, rows)?))
}

pub(crate) fn district(v: &EditionView, d: usize) -> Result<PageJob, SiteError> {
    let rel = PageKey::District(d).rel(v.ed);
    let page = v.path(&rel);
    let dist = &v.ed.districts.districts[d];
    let region = dist.region;
    let n_all = v.ed.districts.districts.len();
    let n_region = v.ed.districts.in_region(region).count();
    let p = v.ed.precision;
    let root = 0;
    let r0 = &v.res.nodes[root];

    let out_of = |n: usize| v.fill("out_of", &[("n", &n.to_string())]).map(Some);
    let headline = vec![
        Stat::new(v.ind_name(root), v.num(r0.districts[d])).change(change_note(v, root, v.value_change(root, d))?),
        Stat { note: uncertainty::with_interval(v, out_of(n_all)?, root, d)?, ..Stat::new(v.fill("all_districts", &[("n", &n_all.to_string())])?, format::rank_prose(r0.rank[d], v.lang)) }
            .change(rank_change_note(v, root, d)?),
        Stat { note: out_of(n_region)?, ..Stat::new(v.region_name(region), format::rank_prose(r0.region_rank[d], v.lang)) },
    ];

    // By the rule of `compute::standing` (documented on the page and in docs/method.md).
    let (strong, weak) = (&v.standings[d].strengths, &v.standings[d].weaknesses);
    let to_links = |list: &[Standing]| -> Result<Vec<Link>, SiteError> {
        list.iter()
            .map(|s| {
                let note = v.fill(
                    "standing_note",
                    &[("rank", &format::rank_prose(s.rank, v.lang)), ("gap", &format::signed(s.gap, p))],
                )?;
                Ok(Link::new(v.ind_name(s.node), links::relative(&page, &v.path(&indicator_rel(&v.ed.tree, s.node)))).note(note))
            })
            .collect()
    };
    let name = [("name", v.dist_name(d))];
    let mut profile = Vec::new();
    for (list, title, none) in [(strong, "strengths", "strengths_none"), (weak, "weaknesses", "weaknesses_none")] {
        profile.push(match list.is_empty() {
            false => Block::Links { title: Some(v.t(title)?.into()), items: to_links(list)? },
            true => Block::Paragraph { text: v.fill(none, &name)? },
        });
    }
    profile.push(Block::Paragraph { text: v.t("standing_rule")?.into() });

    // Every indicator in reading order.
    let with_raw = raw::edition_has_raw(v);
    let mut columns = vec![col(v.t("col_indicator")?, false)];
    if with_raw {
        columns.push(col(v.t("col_raw")?, true));
    }
    columns.extend([
        raw::score_column(v, with_raw)?,
        col(v.t("col_rank")?, true),
        col(v.t("col_region_rank")?, true),
        col(v.t("col_vs_city")?, true),
        col(v.t("col_vs_region")?, true),
    ]);
    columns.extend(change_columns(v, true)?);
    let mut order = vec![0];
    order.extend(v.section_nodes());
    let rows = order
        .into_iter()
        .map(|i| {
            let r = &v.res.nodes[i];
            let value = v.rounded(r.districts[d]);
            let mut cells = vec![
                Cell::head(v.ind_name(i), Some(links::relative(&page, &v.path(&indicator_rel(&v.ed.tree, i)))))
                    .indent(v.ed.tree.nodes[i].level),
            ];
            if with_raw {
                cells.push(raw::profile_cell(v, i, d)?);
            }
            cells.extend([
                Cell::num(v.num(r.districts[d])),
                Cell::num(uncertainty::rank_text(v, i, d, r.rank[d])),
                Cell::num(r.region_rank[d].to_string()),
                Cell::num(format::signed(value - v.rounded(r.city), p)),
                Cell::num(format::signed(value - v.rounded(r.regions[region]), p)),
            ]);
            cells.extend(change_cells(v, i, d, true)?);
            Ok(Row { cells, highlight: v.ed.tree.nodes[i].level <= 1, id: None })
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let caption = v.fill("caption_district_all", &[("name", v.dist_name(d))])?;
    let mut all = table(v, None, "indicators", caption, columns, rows)?;
    uncertainty::add_note(v, &mut all, root)?;

    let mut sections = vec![
        section("summary", None, 2, vec![Block::Stats { items: headline }, super::explore::tool_links(v, &page)?]),
        section("vs-city", Some(v.t("sec_vs_city")?.into()), 2, {
            let mut blocks = vec![against_city(v, d, &page)?];
            blocks.extend(across_editions(v, d)?);
            blocks
        }),
        section("profile", Some(v.t("sec_profile")?.into()), 2, profile),
        section("indicators", Some(v.t("sec_all_indicators")?.into()), 2, vec![Block::Table(all)]),
    ];
    sections.extend(super::plans::district_sections(v, d)?); // the district's own plan (issue 17)

    let mut spec = PageSpec::new(&rel, "district.html", "districts", dist.full_name.get(v.lang));
    spec.description = v.fill(
        "desc_district",
        &[("name", dist.full_name.get(v.lang)), ("year", &v.ed.year.to_string())],
    )?;
    spec.sections = sections;
    spec.breadcrumbs = vec![
        (v.t("nav_districts")?.to_string(), Some(PageKey::Districts.rel(v.ed))),
        (dist.full_name.get(v.lang).to_string(), None),
    ];
    let count = v.ed.districts.districts.len();
    if d > 0 {
        spec.prev = Some((v.dist_name(d - 1).to_string(), PageKey::District(d - 1).rel(v.ed)));
    }
    if d + 1 < count {
        spec.next = Some((v.dist_name(d + 1).to_string(), PageKey::District(d + 1).rel(v.ed)));
    }
    finish(v, spec)
}
