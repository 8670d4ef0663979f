//! Render stage for figures: decides which charts and maps each edition gets (the printed
//! report's figures and one set per indicator section), builds their plain-data specs from the
//! computed results, and renders them to SVG and 2× PNG in parallel.
//!
//! Keys (what the site places where): `framework`, `history`, `city:<id>` (children's city
//! values), `regions:<id>` (city and region values of a first-level index), `map:<id>`,
//! `bars:<id>:all`, `bars:<id>:<region id>`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::build::ComputedEdition;
use crate::chart::{
    render_choropleth, render_framework, render_ranked_bars, render_trend, BarDatum, Choropleth, PngCache, RankedBars,
    Rasteriser, RefLine, TreeDiagram, TreeNode, TrendChart,
};
use crate::compute::{city_series, round_half_up};
use crate::model::{Edition, HistoryPoint, IndexResults, IndicatorKind, Lang};
use crate::output::SiteFiles;
use crate::site::Figure;

/// Figures of one edition by (language, key).
pub type EditionFigures = HashMap<(Lang, String), Figure>;

/// PNGs are rendered at twice the SVG's size, sharp on high-density screens and in slides.
const PNG_SCALE: f32 = 2.0;
/// Choropleth classes for about 16 districts: enough to tell leaders from laggards, few enough
/// that each class holds several districts.
const MAP_CLASSES: usize = 5;

enum Spec<'a> {
    Bars(RankedBars),
    Map(Choropleth<'a>),
    Tree(TreeDiagram),
    Trend(TrendChart),
}

struct Job<'a> {
    edition: usize,
    lang: Lang,
    key: String,
    png_path: String,
    spec: Spec<'a>,
}

/// What a rebuild need not redo: PNGs by the SVG they render (on disk across builds), and SVGs
/// by a fingerprint of their spec (in memory, for the preview: after a data edit only the figures
/// whose data changed are drawn again). Neither changes a byte of output.
pub struct FigureCache {
    pub png: PngCache,
    svg: Mutex<HashMap<[u8; 32], Arc<str>>>,
}

impl FigureCache {
    pub fn new(png: PngCache) -> Self {
        FigureCache { png, svg: Mutex::new(HashMap::new()) }
    }

    fn svg(&self, fingerprint: &[u8; 32], draw: impl FnOnce() -> String) -> Arc<str> {
        if let Some(hit) = self.svg.lock().unwrap_or_else(|e| e.into_inner()).get(fingerprint) {
            return Arc::clone(hit);
        }
        let svg: Arc<str> = Arc::from(draw());
        self.svg.lock().unwrap_or_else(|e| e.into_inner()).insert(*fingerprint, Arc::clone(&svg));
        svg
    }
}

/// Everything a spec's SVG depends on. The map geometry, large and shared by all maps of an
/// edition, enters as its own hash (looked up by the map's address within this render call).
fn fingerprint(spec: &Spec, map_hashes: &HashMap<usize, [u8; 32]>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"cityreport-svg-v1\0");
    match spec {
        Spec::Bars(b) => h.update(format!("bars{b:?}")),
        Spec::Tree(t) => h.update(format!("tree{t:?}")),
        Spec::Trend(t) => h.update(format!("trend{t:?}")),
        Spec::Map(m) => {
            h.update(format!(
                "map{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
                m.id, m.title, m.description, m.lang, m.values, m.labels, m.inset, m.legend_title, m.attribution, m.precision, m.classes
            ));
            h.update(map_hashes[&(m.map as *const crate::model::DistrictMap as usize)]);
        }
    }
    h.finalize().into()
}

/// Renders every figure of every edition. Returns the figures for the pages and the PNG files.
pub fn render_figures(
    editions: &[ComputedEdition],
    history: &[HistoryPoint],
    rasteriser: &Rasteriser,
    cache: &FigureCache,
) -> Result<(Vec<EditionFigures>, SiteFiles), String> {
    let computed: Vec<(&Edition, &IndexResults)> = editions.iter().map(|ce| (&ce.edition, &ce.results)).collect();
    let mut jobs = Vec::new();
    for (k, ce) in editions.iter().enumerate() {
        for lang in Lang::ALL {
            let upto = &computed[..=k];
            jobs.extend(edition_jobs(k, &ce.edition, &ce.results, lang, history, upto));
        }
    }
    check_glyphs(&jobs)?;
    let map_hashes: HashMap<usize, [u8; 32]> = editions
        .iter()
        .filter_map(|ce| ce.edition.map.as_ref())
        .map(|m| (m as *const crate::model::DistrictMap as usize, Sha256::digest(format!("{m:?}").as_bytes()).into()))
        .collect();
    // Rasterising dominates; figures are independent, so render them in parallel. Results are
    // collected in job order, so output never depends on thread timing.
    let rendered: Vec<(String, Vec<u8>)> = jobs
        .par_iter()
        .map(|job| {
            let svg = cache.svg(&fingerprint(&job.spec, &map_hashes), || match &job.spec {
                Spec::Bars(b) => render_ranked_bars(b),
                Spec::Map(m) => render_choropleth(m),
                Spec::Tree(t) => render_framework(t),
                Spec::Trend(t) => render_trend(t),
            });
            let png = cache.png.get_or_render(&svg, PNG_SCALE, rasteriser).map_err(|e| format!("figure {}: {e}", job.key))?;
            Ok((svg.to_string(), png.as_ref().clone()))
        })
        .collect::<Result<_, String>>()?;
    let mut figures: Vec<EditionFigures> = editions.iter().map(|_| HashMap::new()).collect();
    let mut files = SiteFiles::new();
    for (job, (svg, png)) in jobs.into_iter().zip(rendered) {
        files.insert(job.png_path.clone(), png);
        figures[job.edition].insert((job.lang, job.key), Figure { svg, png: Some(job.png_path) });
    }
    Ok((figures, files))
}

/// Every text a figure will draw must have glyphs in the shipped font: resvg would otherwise draw
/// empty boxes ("tofu") or drop the text without a word. Checked once over all texts, then the
/// first offending text is named so the analyst can find it.
fn check_glyphs(jobs: &[Job]) -> Result<(), String> {
    let texts: Vec<(&str, &str)> = jobs.iter().flat_map(|j| spec_texts(&j.spec).into_iter().map(move |t| (j.key.as_str(), t))).collect();
    let mut all = String::new();
    for (_, t) in &texts {
        all.push_str(t);
        all.push('\n');
    }
    let fonts = [crate::chart::FONT_REGULAR, crate::chart::FONT_BOLD];
    let missing = crate::chart::missing_glyphs(&fonts, &all);
    let Some(&c) = missing.first() else { return Ok(()) };
    let (key, text) = texts.iter().find(|(_, t)| t.contains(c)).copied().unwrap_or(("?", ""));
    let list: Vec<String> = missing.iter().map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
    Err(format!(
        "the text \"{text}\" (figure {key}) uses characters the shipped font cannot draw: {}. \
         Use other characters in the name, or add them to the font subset with scripts/make-font.sh",
        list.join(", ")
    ))
}

fn spec_texts<'s>(spec: &'s Spec) -> Vec<&'s str> {
    let mut t: Vec<&str> = Vec::new();
    match spec {
        Spec::Bars(b) => {
            t.extend([b.title.as_str(), b.description.as_str()]);
            t.extend(b.bars.iter().map(|x| x.label.as_str()));
            t.extend(b.groups.iter().map(String::as_str));
            t.extend(b.reference_lines.iter().map(|r| r.label.as_str()));
        }
        Spec::Map(m) => {
            t.extend([m.title.as_str(), m.description.as_str(), m.legend_title.as_str(), m.attribution.as_str()]);
            t.extend(m.labels.iter().map(String::as_str));
        }
        Spec::Tree(tree) => {
            t.extend([tree.title.as_str(), tree.description.as_str()]);
            t.extend(tree.nodes.iter().flat_map(|n| [n.label.as_str(), n.weight_label.as_str()]));
            t.extend(tree.level_names.iter().map(String::as_str));
        }
        Spec::Trend(tr) => {
            t.extend([tr.title.as_str(), tr.description.as_str()]);
            t.extend(tr.points.iter().map(|p| p.0.as_str()));
        }
    }
    t
}

/// Words used in figure titles and descriptions.
struct Words {
    lang: Lang,
}

impl Words {
    fn t(&self, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        }
    }
}

fn edition_jobs<'a>(
    k: usize,
    ed: &'a Edition,
    results: &'a IndexResults,
    lang: Lang,
    history: &[HistoryPoint],
    computed: &[(&Edition, &IndexResults)],
) -> Vec<Job<'a>> {
    let w = Words { lang };
    let tree = &ed.tree;
    let mut jobs = Vec::new();
    let mut push = |key: String, spec: Spec<'a>| {
        let file = key.replace(':', "-");
        jobs.push(Job { edition: k, lang, png_path: format!("{}/figures/{}/{file}.png", ed.year, lang.code()), key, spec });
    };
    let fig_id = |key: &str| format!("fig-{}-{}", lang.code(), key.replace([':', '_'], "-"));
    let root = tree.root();
    let root_name = root.name.get(lang);
    let region_names: Vec<String> = ed.districts.regions.iter().map(|r| r.name.get(lang).to_string()).collect();
    let fmt = |x: f64| format!("{:.*}", ed.precision as usize, round_half_up(x, ed.precision));

    // 图 1-1: the framework.
    let nodes = tree
        .nodes
        .iter()
        .map(|n| TreeNode {
            label: n.name.get(lang).to_string(),
            level: n.level,
            parent: tree.parent_of(tree.index_of(&n.id).unwrap()),
            coefficient: n.kind == IndicatorKind::Coefficient,
            weight_label: match n.kind {
                IndicatorKind::Coefficient => w.t("× 系数", "× coefficient"),
                IndicatorKind::Index if n.parent.is_none() => String::new(),
                IndicatorKind::Index => percent(n.weight),
            },
        })
        .collect();
    push(
        "framework".into(),
        Spec::Tree(TreeDiagram {
            id: fig_id("framework"),
            title: w.t(&format!("{root_name}评估体系"), &format!("The {root_name} framework")),
            description: w.t(
                "指标体系结构图：各级指标及其在上级指标中的权重。",
                "The indicator system as a tree: every indicator with its weight within the indicator above it.",
            ),
            lang,
            nodes,
            level_names: (0..=tree.nodes.iter().map(|n| n.level).max().unwrap_or(0))
                .map(|l| match l {
                    0 => w.t("总指数", "Overall index"),
                    1 => w.t("一级指标", "First level"),
                    2 => w.t("二级指标", "Second level"),
                    3 => w.t("三级指标", "Third level"),
                    n => w.t(&format!("{n}级指标"), &format!("Level {n}")),
                })
                .collect(),
        }),
    );

    // 图 2-1: the city index across editions.
    let series = city_series(history, computed, &root.id);
    if series.len() > 1 {
        push(
            "history".into(),
            Spec::Trend(TrendChart {
                id: fig_id("history"),
                title: w.t(&format!("{root_name}历年变化"), &format!("{root_name}, {}–{}", series[0].year, series.last().unwrap().year)),
                description: w.t("全市指数历年数值。", "The city's index in each edition."),
                lang,
                points: series.iter().map(|p| (p.year.to_string(), p.value)).collect(),
                precision: ed.precision,
            }),
        );
    }

    for (i, node) in tree.nodes.iter().enumerate() {
        let r = &results.nodes[i];
        let name = node.name.get(lang);
        let is_index = node.kind == IndicatorKind::Index;
        let index_children: Vec<usize> =
            node.children.iter().copied().filter(|&c| tree.nodes[c].kind == IndicatorKind::Index).collect();

        // Children's city values (图 2-2, 2-4, …), for every computed index.
        if !index_children.is_empty() {
            let key = format!("city:{}", node.id);
            push(
                key.clone(),
                Spec::Bars(RankedBars {
                    id: fig_id(&key),
                    title: w.t(&format!("{name}下级指标（全市）"), &format!("Components of the {name}: city values")),
                    description: w.t(
                        &format!("{name}各下级指标的全市数值，按指标体系顺序排列。"),
                        &format!("City values of the components of the {name}, in the order of the framework."),
                    ),
                    lang,
                    bars: index_children
                        .iter()
                        .map(|&c| BarDatum { label: tree.nodes[c].name.get(lang).to_string(), value: results.nodes[c].city, group: 0 })
                        .collect(),
                    groups: vec![w.t("全市", "City")],
                    reference_lines: vec![RefLine { label: w.t("基准", "Baseline"), value: 100.0 }],
                    precision: ed.precision,
                    sort: false,
                }),
            );
        }

        // City and region values of first-level indices (图 2-3, 2-8, 2-14).
        if node.level == 1 && is_index {
            let key = format!("regions:{}", node.id);
            // Regions keep the styles they have in every district chart (first region solid,
            // second hatched); the city takes the next style.
            let city_group = ed.districts.regions.len().min(2);
            let mut bars = vec![BarDatum { label: w.t("全市", "City"), value: r.city, group: city_group }];
            for (ri, region) in ed.districts.regions.iter().enumerate() {
                bars.push(BarDatum { label: region.name.get(lang).to_string(), value: r.regions[ri], group: ri.min(2) });
            }
            push(
                key.clone(),
                Spec::Bars(RankedBars {
                    id: fig_id(&key),
                    title: w.t(&format!("{name}：全市与分区"), &format!("{name}: city and regions")),
                    description: w.t(&format!("全市及各区域的{name}。"), &format!("The {name} for the city and each region.")),
                    lang,
                    bars,
                    groups: region_names.iter().cloned().chain(std::iter::once(w.t("全市", "City"))).collect(),
                    reference_lines: vec![RefLine { label: w.t("基准", "Baseline"), value: 100.0 }],
                    precision: ed.precision,
                    sort: false,
                }),
            );
        }

        // District map of every indicator (图 3-1, 3-2, 3-11, 3-22 and one per section).
        if let Some(map) = &ed.map {
            let key = format!("map:{}", node.id);
            push(
                key.clone(),
                Spec::Map(Choropleth {
                    id: fig_id(&key),
                    title: w.t(&format!("各区{name}"), &format!("{name} by district")),
                    description: w.t(
                        &format!("各区{name}分级设色地图，全市为 {}。", fmt(r.city)),
                        &format!("Map of the {name} by district; the city value is {}.", fmt(r.city)),
                    ),
                    lang,
                    map,
                    values: r.districts.iter().map(|&v| Some(v)).collect(),
                    labels: ed.districts.districts.iter().map(|d| d.name.get(lang).to_string()).collect(),
                    inset: inset_districts(map),
                    legend_title: name.to_string(),
                    attribution: map.attribution.get(lang).to_string(),
                    precision: ed.precision,
                    classes: MAP_CLASSES,
                }),
            );
        }

        // Ranked district bars: all districts for every indicator; split by region for the
        // overall, first- and second-level indices, as in print (图 3-3/3-4, 3-5/3-6, …).
        let mut refs = vec![RefLine { label: w.t("全市", "City"), value: r.city }];
        if is_index {
            refs.push(RefLine { label: w.t("基准", "Baseline"), value: 100.0 });
        }
        let bars_for = |members: &[usize]| -> Vec<BarDatum> {
            members
                .iter()
                .map(|&d| BarDatum {
                    label: ed.districts.districts[d].name.get(lang).to_string(),
                    value: r.districts[d],
                    group: ed.districts.districts[d].region.min(2),
                })
                .collect()
        };
        let all: Vec<usize> = (0..ed.districts.districts.len()).collect();
        let key = format!("bars:{}:all", node.id);
        push(
            key.clone(),
            Spec::Bars(RankedBars {
                id: fig_id(&key),
                title: w.t(&format!("{name}：各区排名"), &format!("{name}: ranking of the districts")),
                description: w.t(&format!("各区{name}，由高到低排列。"), &format!("The {name} of every district, highest first.")),
                lang,
                bars: bars_for(&all),
                groups: region_names.clone(),
                reference_lines: refs.clone(),
                precision: ed.precision,
                sort: true,
            }),
        );
        if !node.is_leaf() || node.level <= 1 {
            for (ri, region) in ed.districts.regions.iter().enumerate() {
                let members: Vec<usize> = ed.districts.in_region(ri).collect();
                let rname = region.name.get(lang);
                let key = format!("bars:{}:{}", node.id, region.id);
                let mut region_refs = refs.clone();
                region_refs.insert(
                    1,
                    RefLine { label: rname.to_string(), value: r.regions[ri] },
                );
                push(
                    key.clone(),
                    Spec::Bars(RankedBars {
                        id: fig_id(&key),
                        title: w.t(&format!("{rname}{name}"), &format!("{name}: {rname}")),
                        description: w.t(&format!("{rname}各区{name}，由高到低排列。"), &format!("The {name} of the {rname}, highest first.")),
                        lang,
                        bars: bars_for(&members),
                        groups: region_names.clone(),
                        reference_lines: region_refs,
                        precision: ed.precision,
                        sort: true,
                    }),
                );
            }
        }
    }
    jobs
}

/// "22.5%" for 0.225: shares of the parent, to one decimal where needed.
fn percent(w: f64) -> String {
    let p = round_half_up(w * 100.0, 1);
    if (p - p.round()).abs() < 1e-9 { format!("{}%", p.round()) } else { format!("{p:.1}%") }
}

/// Districts drawn enlarged in the inset: those far smaller than the typical district, which
/// would be unreadable at the scale of the whole map (Shanghai's seven inner-city districts).
fn inset_districts(map: &crate::model::DistrictMap) -> Vec<bool> {
    let areas: Vec<f64> = map.shapes.iter().map(|polys| polys.iter().map(|p| p.first().map_or(0.0, |r| ring_area(r).abs())).sum()).collect();
    let mut sorted = areas.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
    areas.iter().map(|&a| a > 0.0 && a < median * 0.25).collect()
}

fn ring_area(ring: &[(f64, f64)]) -> f64 {
    ring.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum::<f64>() / 2.0
}
