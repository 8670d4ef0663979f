//! What each figure of the catalogue shows: its chart spec, built from the computed results with
//! every text taken from the translation table.

use crate::catalogue::{FigureKey, Scope};
use crate::chart::{
    BarDatum, Chart, ChartWords, Choropleth, MapGeometry, MapLayout, RankAxis, RankSpan, RankedBars, RefLine, TopBottomBars, NARROW, WIDE, TreeDiagram,
    TreeNode, TrendChart,
};
use crate::compute::raw::{parameter_precision, raw_values, relative_to_100};
use crate::compute::{round_half_up, SeriesPoint, UncertaintyResults};
use crate::i18n::{Strings, TranslationError};
use crate::model::{Edition, IndexResults, IndicatorKind, Lang, Normalisation};

/// Choropleth classes for about 16 districts: enough to tell leaders from laggards, few enough
/// that each class holds several districts.
const MAP_CLASSES: usize = 5;

/// Up to this many districts a ranking shows a bar for each; beyond it, the highest and lowest
/// [`RANKING_ENDS`] (the table holds the full ranking).
const MAX_BARS: usize = 40;
const RANKING_ENDS: usize = 15;

/// An inset helps when it enlarges a few small districts; holding more than this many it would
/// be as crowded as the map itself, so none is drawn.
const MAX_INSET: usize = 12;

/// A figure's chart, ready to draw.
pub(crate) type Spec<'a> = Box<dyn Chart + 'a>;

/// What the specs of one edition in one language are made from.
pub(crate) struct SpecContext<'a, 's> {
    pub ed: &'a Edition,
    pub results: &'a IndexResults,
    pub lang: Lang,
    pub strings: &'a Strings,
    /// The root index of the city across editions, up to this edition (see [`FigureKey::History`]).
    pub series: &'s [SeriesPoint],
    /// The edition's district outlines, digested once for all its maps.
    pub map: Option<MapGeometry<'a>>,
    /// Rank intervals, when the edition has an uncertainty analysis: drawn beside ranked bars.
    pub uncertainty: Option<&'a UncertaintyResults>,
}

impl<'a> SpecContext<'a, '_> {
    fn t(&self, key: &str) -> Result<String, TranslationError> {
        self.strings.get(self.lang, key).map(str::to_string)
    }

    fn fill(&self, key: &str, args: &[(&str, &str)]) -> Result<String, TranslationError> {
        self.strings.fill(self.lang, key, args)
    }

    fn words(&self) -> Result<ChartWords, TranslationError> {
        ChartWords::new(self.strings, self.lang)
    }

    fn name(&self, i: usize) -> &'a str {
        self.ed.tree.display_name(i).get(self.lang)
    }

    fn region_names(&self) -> Vec<String> {
        self.ed.districts.regions.iter().map(|r| r.name.get(self.lang).to_string()).collect()
    }

    fn number(&self, x: f64) -> String {
        format!("{:.*}", self.ed.precision as usize, round_half_up(x, self.ed.precision))
    }

    /// The chart of `key`; `None` for a map of an edition without one.
    pub fn spec(&self, key: FigureKey) -> Result<Option<Spec<'a>>, TranslationError> {
        self.spec_of_width(key, false)
    }

    /// The phone variant of `key`'s chart, laid out [`NARROW`], with an id of its own so both
    /// can be on one page; `None` for figures that have none.
    ///
    /// A page carries both drawings and CSS shows one, so a phone variant costs page weight:
    /// the ranking of all districts (about 13 KB; a page shows one or two), the map (about
    /// 10 KB: it shows the wide map's outlines), the trend (about 5 KB) and the framework (an
    /// indented outline, on the method page only) have one; charts
    /// drawn compact ([`drawn_compact`](Self::drawn_compact)) need none.
    pub fn narrow_spec(&self, key: FigureKey) -> Result<Option<Spec<'a>>, TranslationError> {
        match key {
            _ if Self::drawn_compact(key) => Ok(None),
            FigureKey::Bars(_, Scope::All) | FigureKey::Map(_) | FigureKey::History | FigureKey::Framework => self.spec_of_width(key, true),
            FigureKey::Children(_) | FigureKey::Regions(_) | FigureKey::Bars(_, Scope::Region(_)) => Ok(None),
        }
    }

    /// Whether `key` is drawn once, at the phone width, for every screen: the city-and-region
    /// and child-index bars and a region's ranking have few, short bars, which a narrow drawing
    /// shows as well as a wide one, and pages show many of them (the overall chapter 17; a
    /// second drawing of each would take its first visit past the budget of issue 12). Pages
    /// show them 30rem wide, not stretched.
    pub fn drawn_compact(key: FigureKey) -> bool {
        matches!(key, FigureKey::Children(_) | FigureKey::Regions(_) | FigureKey::Bars(_, Scope::Region(_)))
    }

    /// Whether `key`'s phone drawing shows its wide drawing's outlines (`<use>`), so the page
    /// must keep the wide one rendered (hidden from sight, not `display: none`) while the phone
    /// drawing is shown: a map's.
    pub fn narrow_reuses_wide(key: FigureKey) -> bool {
        matches!(key, FigureKey::Map(_))
    }

    fn spec_of_width(&self, key: FigureKey, narrow: bool) -> Result<Option<Spec<'a>>, TranslationError> {
        let id = key.svg_id(self.ed, self.lang);
        let id = if narrow { format!("{id}-narrow") } else { id };
        let width = |mut bars: RankedBars| {
            bars.width = if narrow || Self::drawn_compact(key) { NARROW } else { WIDE };
            // Only the phone variant has no PNG (a compact chart is drawn narrow and has one).
            bars.hatch_with_pattern = narrow;
            bars
        };
        Ok(Some(match key {
            FigureKey::Framework => Box::new(self.framework(id, narrow)?),
            FigureKey::History => Box::new(self.history(id, if narrow { NARROW } else { WIDE })?),
            FigureKey::Children(i) => Box::new(width(self.children(id, i)?)),
            FigureKey::Regions(i) => Box::new(width(self.regions(id, i)?)),
            FigureKey::Map(i) => match self.map(id, i)? {
                // The phone drawing shows the wide one's outlines, which the page carries too.
                Some(map) if narrow => Box::new(Choropleth { layout: MapLayout::Narrow { reuses: Some(key.svg_id(self.ed, self.lang)) }, ..map }),
                Some(map) => Box::new(map),
                None => return Ok(None),
            },
            FigureKey::Bars(i, scope) => {
                let bars = width(self.ranked(id, i, scope)?);
                if bars.bars.len() <= MAX_BARS {
                    Box::new(bars)
                } else {
                    let n = bars.bars.len().to_string();
                    let keep = RANKING_ENDS.to_string();
                    let note = self.fill("fig_ranked_ends_note", &[("n", &n), ("keep", &keep)])?;
                    Box::new(TopBottomBars { bars, keep: RANKING_ENDS, note })
                }
            }
        }))
    }

    fn framework(&self, id: String, narrow: bool) -> Result<TreeDiagram, TranslationError> {
        let tree = &self.ed.tree;
        let nodes = tree
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                Ok(TreeNode {
                    label: n.name.get(self.lang).to_string(),
                    level: n.level,
                    parent: tree.parent_of(i),
                    coefficient: n.kind == IndicatorKind::Coefficient,
                    weight_label: match n.kind {
                        IndicatorKind::Coefficient => self.t("fig_times_coefficient")?,
                        IndicatorKind::Index if n.parent.is_none() => String::new(),
                        IndicatorKind::Index => crate::format::percent_to(n.weight, 1),
                    },
                })
            })
            .collect::<Result<_, TranslationError>>()?;
        let depth = tree.nodes.iter().map(|n| n.level).max().unwrap_or(0);
        let level_names = (0..=depth)
            .map(|l| match l {
                0..=3 => self.t(&format!("levelname_{l}")),
                n => self.fill("fig_level_n", &[("n", &n.to_string())]),
            })
            .collect::<Result<_, _>>()?;
        Ok(TreeDiagram {
            id,
            title: self.fill("fig_framework_title", &[("name", self.name(0))])?,
            description: self.t("fig_framework_desc")?,
            lang: self.lang,
            words: self.words()?,
            nodes,
            level_names,
            narrow,
        })
    }

    fn history(&self, id: String, width: u32) -> Result<TrendChart, TranslationError> {
        let (first, last) = match (self.series.first(), self.series.last()) {
            (Some(f), Some(l)) => (f.year.to_string(), l.year.to_string()),
            _ => (String::new(), String::new()),
        };
        Ok(TrendChart {
            id,
            title: self.fill("fig_history_title", &[("name", self.name(0)), ("from", &first), ("to", &last)])?,
            description: self.t("fig_history_desc")?,
            lang: self.lang,
            words: self.words()?,
            points: self.series.iter().map(|p| (p.year.to_string(), p.value)).collect(),
            derived: self.series.iter().map(|p| p.derived).collect(),
            precision: self.ed.precision,
            width,
        })
    }

    fn children(&self, id: String, i: usize) -> Result<RankedBars, TranslationError> {
        let tree = &self.ed.tree;
        let name = self.name(i);
        let bars = tree.nodes[i]
            .children
            .iter()
            .copied()
            .filter(|&c| tree.nodes[c].kind == IndicatorKind::Index)
            .map(|c| BarDatum { label: self.name(c).to_string(), value: self.results.nodes[c].city, group: 0, rank: None })
            .collect();
        Ok(RankedBars {
            id,
            title: self.fill("fig_children_title", &[("name", name)])?,
            description: self.fill("fig_children_desc", &[("name", name)])?,
            lang: self.lang,
            words: self.words()?,
            bars,
            groups: vec![self.t("city")?],
            reference_lines: self.baseline(i)?.into_iter().collect(),
            precision: self.ed.precision,
            rank_axis: None,
            sort: false,
            width: WIDE,
            hatch_with_pattern: false,
        })
    }

    fn regions(&self, id: String, i: usize) -> Result<RankedBars, TranslationError> {
        let r = &self.results.nodes[i];
        let name = self.name(i);
        // Regions keep the styles they have in every district chart (the region's index); the
        // city takes the next style, so up to five regions and the city all look different.
        let regions = &self.ed.districts.regions;
        let mut bars = vec![BarDatum { label: self.t("city")?, value: r.city, group: regions.len(), rank: None }];
        for (ri, region) in regions.iter().enumerate() {
            bars.push(BarDatum { label: region.name.get(self.lang).to_string(), value: r.regions[ri], group: ri, rank: None });
        }
        Ok(RankedBars {
            id,
            title: self.fill("fig_regions_title", &[("name", name)])?,
            description: self.fill("fig_regions_desc", &[("name", name)])?,
            lang: self.lang,
            words: self.words()?,
            bars,
            groups: self.region_names().into_iter().chain(std::iter::once(self.t("city")?)).collect(),
            reference_lines: self.baseline(i)?.into_iter().collect(),
            precision: self.ed.precision,
            rank_axis: None,
            sort: false,
            width: WIDE,
            hatch_with_pattern: false,
        })
    }

    fn map(&self, id: String, i: usize) -> Result<Option<Choropleth<'a>>, TranslationError> {
        let Some(map) = self.map else { return Ok(None) };
        let r = &self.results.nodes[i];
        let name = self.name(i);
        let city = self.number(r.city);
        let inset = inset_districts(&map);
        let inset_title = self.inset_title(&inset)?;
        Ok(Some(Choropleth {
            id,
            title: self.fill("fig_map_title", &[("name", name)])?,
            description: self.fill("fig_map_desc", &[("name", name), ("city", &city)])?,
            lang: self.lang,
            words: self.words()?,
            map,
            values: r.districts.iter().map(|&v| Some(v)).collect(),
            labels: self.ed.districts.districts.iter().map(|d| d.name.get(self.lang).to_string()).collect(),
            inset,
            inset_title,
            legend_title: name.to_string(),
            attribution: map.attribution.get(self.lang).to_string(),
            precision: self.ed.precision,
            classes: MAP_CLASSES,
            layout: MapLayout::Wide,
        }))
    }

    /// The inset's heading: the region of its districts when they all belong to one (as a
    /// region's small inner districts usually do), otherwise a plain "smaller districts".
    fn inset_title(&self, inset: &[bool]) -> Result<String, TranslationError> {
        let districts = &self.ed.districts.districts;
        let mut regions = inset.iter().enumerate().filter(|&(_, &s)| s).map(|(d, _)| districts[d].region);
        let first = regions.next();
        match first {
            Some(r) if regions.all(|other| other == r) => {
                self.fill("map_inset_region", &[("region", self.ed.districts.regions[r].name.get(self.lang))])
            }
            _ => self.t("map_inset_small"),
        }
    }

    /// The "baseline 100" line, where node `i`'s scores are relative to 100 (not for min–max or
    /// target scores, which run from 0 to 100; see `compute::raw::relative_to_100`).
    fn baseline(&self, i: usize) -> Result<Option<RefLine>, TranslationError> {
        Ok(if relative_to_100(&self.ed.tree, i) { Some(RefLine { label: self.t("fig_baseline")?, value: 100.0 }) } else { None })
    }

    /// A target leaf's target, drawn where it scores: at 100 ("Target 98 % 100.00").
    fn target(&self, i: usize) -> Result<Option<RefLine>, TranslationError> {
        let Normalisation::Target { target } = self.ed.tree.nodes[i].normalisation else { return Ok(None) };
        let values = raw_values(self.ed, i).map(|r| r.districts).unwrap_or_default();
        let precision = parameter_precision(&self.ed.tree.nodes[i], values, target);
        let value = crate::format::number(target, precision);
        let text = match &self.ed.tree.nodes[i].unit {
            Some(unit) => self.fill("raw_with_unit", &[("value", &value), ("unit", unit.get(self.lang))])?,
            None => value,
        };
        Ok(Some(RefLine { label: self.fill("fig_target", &[("target", &text)])?, value: 100.0 }))
    }

    /// Districts ranked on node `i`: all of them, or one region's.
    fn ranked(&self, id: String, i: usize, scope: Scope) -> Result<RankedBars, TranslationError> {
        let r = &self.results.nodes[i];
        let name = self.name(i);
        let districts = &self.ed.districts;
        let mut refs = vec![RefLine { label: self.t("city")?, value: r.city }];
        refs.extend(self.baseline(i)?);
        refs.extend(self.target(i)?);
        let members: Vec<usize> = match scope {
            Scope::All => (0..districts.districts.len()).collect(),
            Scope::Region(ri) => districts.in_region(ri).collect(),
        };
        // Rank intervals are of the ranking of all districts, so only that chart shows them.
        let intervals = match scope {
            Scope::All => self.uncertainty.and_then(|u| u.node(i)),
            Scope::Region(_) => None,
        };
        let bars = members
            .iter()
            .map(|&d| BarDatum {
                label: districts.districts[d].name.get(self.lang).to_string(),
                value: r.districts[d],
                group: districts.districts[d].region,
                rank: intervals.and_then(|n| n.districts.get(d)).map(|iv| RankSpan { median: iv.median, p05: iv.p05, p95: iv.p95 }),
            })
            .collect();
        let rank_axis = match (intervals, self.uncertainty) {
            (Some(_), Some(u)) => Some(RankAxis { of: members.len() as u32, runs: u.runs }),
            _ => None,
        };
        let (title, description) = match scope {
            Scope::All => (self.fill("fig_ranked_title", &[("name", name)])?, self.fill("fig_ranked_desc", &[("name", name)])?),
            Scope::Region(ri) => {
                let region = districts.regions[ri].name.get(self.lang);
                refs.insert(1, RefLine { label: region.to_string(), value: r.regions[ri] });
                (
                    self.fill("fig_ranked_region_title", &[("name", name), ("region", region)])?,
                    self.fill("fig_ranked_region_desc", &[("name", name), ("region", region)])?,
                )
            }
        };
        Ok(RankedBars {
            id,
            title,
            description,
            lang: self.lang,
            words: self.words()?,
            bars,
            groups: self.region_names(),
            reference_lines: refs,
            precision: self.ed.precision,
            rank_axis,
            sort: true,
            width: WIDE,
            hatch_with_pattern: false,
        })
    }
}

/// Districts drawn enlarged in the inset: those far smaller than the typical district, which
/// would be unreadable at the scale of the whole map (Shanghai's seven inner-city districts).
fn inset_districts(map: &crate::model::DistrictMap) -> Vec<bool> {
    let areas: Vec<f64> = map
        .shapes
        .iter()
        .map(|polys| polys.iter().filter_map(|p| p.first()).map(|ring| crate::chart::ring_area(ring).abs()).sum())
        .collect();
    let mut sorted = areas.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
    let small: Vec<bool> = areas.iter().map(|&a| a > 0.0 && a < median * 0.25).collect();
    if small.iter().filter(|&&s| s).count() > MAX_INSET {
        return vec![false; small.len()];
    }
    small
}
