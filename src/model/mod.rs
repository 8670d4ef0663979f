//! Plain data shared by every stage: load → validate → compute → render → write.
//!
//! Nothing here reads files or renders anything. The loader builds these values from a
//! project's `data/` and `content/`; the engine turns an [`Edition`] into [`IndexResults`];
//! renderers read both.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub(crate) mod names;
mod plans;
mod publication;
pub use publication::{Licence, Publication};

pub use plans::{Actual, ArchivedEdition, Attachment, Baseline, Comparator, Measured, Plan, PlanTarget, Qualifier, TargetKind};

/// The two languages every report is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The code used in paths and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// BCP 47 tag for `hreflang` and `<html lang>`.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A text given in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Bilingual { zh: zh.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Whether an edition (or a page) may still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Published,
}

/// What a node of the indicator tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// Combined with its siblings by weighted mean.
    Index,
    /// Multiplies its parent's weighted mean instead of taking part in it.
    Coefficient,
}

/// Direction of a raw indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    #[default]
    Higher,
    Lower,
}

/// How a raw leaf value becomes an index score. Documented for analysts in docs/data-formats.md.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Normalisation {
    /// The value is already an index score.
    #[default]
    None,
    /// value ÷ mean of all districts × 100 (inverted for lower-is-better).
    MeanRatio,
    /// value ÷ base × 100 (inverted for lower-is-better).
    BaseRatio { base: f64 },
    /// (value − min) ÷ (max − min) × 100 over all districts.
    MinMax,
    /// Share of the way from the worst district to the target, capped at 100.
    Target { target: f64 },
}

/// One node of the indicator system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: String,
    pub parent: Option<String>,
    pub name: Bilingual,
    /// Weight within the parent (siblings of kind `Index` sum to 1). 1 for the root and coefficients.
    pub weight: f64,
    /// The weight as the analyst wrote it ("4/23", "0.2"), for display.
    pub weight_text: String,
    pub kind: IndicatorKind,
    pub unit: Option<Bilingual>,
    pub polarity: Polarity,
    pub source: Option<Bilingual>,
    pub normalisation: Normalisation,
    /// Decimals of the raw value on the pages and downloads (`raw_precision`); `None`: derived
    /// from the values (see `compute::raw::raw_precision`).
    pub raw_precision: Option<u8>,
    /// Plausible range of a coefficient, checked on load.
    pub coefficient_range: Option<(f64, f64)>,
    /// Table number in the printed report ("3-8"), if any.
    pub printed_table: Option<String>,
    /// Id of the indicator in the previous edition this one continues (renamed indicators).
    pub continues: Option<String>,
    /// 0 for the root, 1 for first-level indices, …
    pub level: usize,
    /// Indices into [`IndicatorTree::nodes`], in declaration order.
    pub children: Vec<usize>,
}

impl Indicator {
    pub fn is_leaf(&self) -> bool {
        self.children.is_empty()
    }

    /// A plain index node named after its id, weight 1, for tests that build trees by hand.
    #[cfg(test)]
    pub(crate) fn plain(id: &str, parent: Option<&str>, level: usize) -> Indicator {
        Indicator {
            id: id.into(),
            parent: parent.map(str::to_string),
            name: Bilingual::new(id, id),
            weight: 1.0,
            weight_text: "1".into(),
            kind: IndicatorKind::Index,
            unit: None,
            polarity: Polarity::Higher,
            source: None,
            normalisation: Normalisation::None,
            raw_precision: None,
            coefficient_range: None,
            printed_table: None,
            continues: None,
            level,
            children: Vec::new(),
        }
    }
}

/// The indicator system of one edition, in pre-order (parents before children, siblings in
/// declaration order), which is also the reading order of the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndicatorTree {
    pub nodes: Vec<Indicator>,
    #[serde(skip)]
    pub by_id: HashMap<String, usize>,
    /// Leaves given as scores (`normalisation` none) are relative to a baseline of 100
    /// (`given_scores_relative_to_100 = true` in indicators.toml): charts then draw that line.
    pub given_scores_relative_to_100: bool,
    /// Each node's display name ([`names::display_names`]): its name, or, where another node
    /// shares it, its parent's name and its own.
    #[serde(skip)]
    pub display: Vec<Bilingual>,
}

impl IndicatorTree {
    /// Builds the lookup table; `nodes` must already be in pre-order with `children` filled.
    pub fn new(nodes: Vec<Indicator>) -> Self {
        let by_id = nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        let display = names::display_names(&nodes);
        IndicatorTree { nodes, by_id, given_scores_relative_to_100: false, display }
    }

    /// The name every page, chart, search result and download shows for node `i`: unique in the
    /// tree (see [`names::display_names`]).
    pub fn display_name(&self, i: usize) -> &Bilingual {
        self.display.get(i).unwrap_or(&self.nodes[i].name)
    }

    pub fn root(&self) -> &Indicator {
        &self.nodes[0]
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.index_of(id).map(|i| &self.nodes[i])
    }

    pub fn leaves(&self) -> impl Iterator<Item = (usize, &Indicator)> {
        self.nodes.iter().enumerate().filter(|(_, n)| n.is_leaf())
    }

    pub fn parent_of(&self, i: usize) -> Option<usize> {
        self.nodes[i].parent.as_deref().and_then(|p| self.index_of(p))
    }

    /// Node indices from the root down to `i`, both included.
    pub fn path_to(&self, i: usize) -> Vec<usize> {
        let mut path = vec![i];
        let mut cur = i;
        while let Some(p) = self.parent_of(cur) {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    pub id: String,
    pub name: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct District {
    pub id: String,
    /// Short name used in tables and charts (浦东 / Pudong).
    pub name: Bilingual,
    /// Official name (浦东新区 / Pudong New Area).
    pub full_name: Bilingual,
    /// Index into [`Districts::regions`].
    pub region: usize,
    /// The GeoJSON feature whose `name` property is this district's boundary.
    pub map_feature: String,
}

/// The districts and regions of one edition, in the order the analysts listed them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Districts {
    pub regions: Vec<Region>,
    pub districts: Vec<District>,
}

impl Districts {
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.districts.iter().position(|d| d.id == id)
    }

    pub fn region_index_of(&self, id: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.id == id)
    }

    /// District indices belonging to region `r`.
    pub fn in_region(&self, r: usize) -> impl Iterator<Item = usize> + '_ {
        self.districts.iter().enumerate().filter(move |(_, d)| d.region == r).map(|(i, _)| i)
    }
}

/// Raw leaf values: for every leaf node index, one value per district (by district index).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LeafValues {
    pub by_node: HashMap<usize, Vec<f64>>,
    /// Where each value is in the values file: its line (row, for a workbook) per district, as
    /// `by_node`; for messages about values the computation cannot use.
    #[serde(skip)]
    pub lines: HashMap<usize, Vec<usize>>,
}

/// A district outline: polygons of rings of (longitude, latitude); first ring outer, rest holes.
pub type Polygon = Vec<Vec<(f64, f64)>>;

/// District boundaries, already matched to districts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DistrictMap {
    /// One entry per district, by district index; empty when the GeoJSON has no feature for it.
    pub shapes: Vec<Vec<Polygon>>,
    /// Source of the boundaries, shown under every map.
    pub attribution: Bilingual,
}

/// A narrative Markdown page as written by an analyst.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentPage {
    pub lang: Lang,
    /// Path below `content/<year>/<lang>/` without extension, with `/` separators
    /// ("method", "regional/5g").
    pub key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub draft: bool,
    /// Markdown after the front matter.
    pub body: String,
    /// The file it came from, for error messages.
    pub file: PathBuf,
    /// 1-based line number in `file` of the first line of `body`.
    pub body_line: usize,
}

/// Everything one year's report is made of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edition {
    pub year: u16,
    pub title: Bilingual,
    pub subtitle: Option<Bilingual>,
    pub publisher: Option<Bilingual>,
    /// When and under what terms the edition was published, and whom to ask (all optional).
    pub publication: Publication,
    pub status: Status,
    /// Decimals of published values; ranks are taken on values rounded to this.
    pub precision: u8,
    /// Ids of the plans (under `data/plans/`) the edition reports on.
    pub plans: Vec<String>,
    pub tree: IndicatorTree,
    pub districts: Districts,
    pub values: LeafValues,
    pub map: Option<DistrictMap>,
    pub content: Vec<ContentPage>,
    /// The values file exactly as the analyst saved it, republished as a download.
    #[serde(skip)]
    pub values_file: SourceFile,
    /// How robust the ranks are to the method's choices is analysed (`[uncertainty]`), if asked.
    pub uncertainty: Option<UncertaintySettings>,
}

/// Bytes shared between stages without copying: input files the site republishes, built files.
pub type FileBytes = Arc<[u8]>;

/// An input file the site republishes unchanged (the values table among the downloads).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceFile {
    /// Its file name in the edition's folder ("values.csv").
    pub name: String,
    pub bytes: FileBytes,
}

/// Which version of an edition: the current one (revision 0) or the N-th superseded one, kept
/// when a frozen edition was replaced with `publish --force`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VersionId {
    pub year: u16,
    pub revision: u32,
}

impl VersionId {
    /// The version's folder, the same under `archive/` and under the site root: "2020", "2020-r1".
    pub fn folder(&self) -> String {
        if self.revision == 0 { self.year.to_string() } else { format!("{}-r{}", self.year, self.revision) }
    }

    /// The inverse of [`VersionId::folder`]; `None` for any other name.
    pub fn from_folder(name: &str) -> Option<VersionId> {
        let (year, revision) = match name.split_once("-r") {
            Some((y, r)) => (y, r.parse().ok().filter(|&n| n > 0)?),
            None => (name, 0),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(VersionId { year: year.parse().ok()?, revision })
    }
}

/// A published edition frozen in `archive/<version>/`: its files, read and checked against the
/// manifest by the loader. `damage` lists what does not match (empty when intact); a build that
/// would serve a damaged edition stops instead.
#[derive(Debug, Clone)]
pub struct FrozenEdition {
    pub version: VersionId,
    pub dir: PathBuf,
    /// Path below the version's folder ("zh/index.html") → bytes, as listed in the manifest.
    pub files: BTreeMap<String, FileBytes>,
    pub damage: Vec<crate::diagnostic::Diagnostic>,
}

/// A project's own templates and assets, overriding the built-in ones file by file.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// `templates/<name>` → text.
    pub templates: BTreeMap<String, String>,
    /// `assets/<path>` → bytes.
    pub assets: BTreeMap<String, FileBytes>,
}

/// Everything a project holds, read and checked by the loader: the one input of every later
/// stage (nothing after `load` reads a file).
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// Editions in ascending year order.
    pub editions: Vec<Edition>,
    /// City-level figures of earlier editions (`data/history.csv`), empty when there is none.
    pub history: Vec<HistoryPoint>,
    /// Editions before the tool (`status = "archived"`), ascending; never computed.
    pub archived: Vec<ArchivedEdition>,
    /// Plans under `data/plans/`, by id.
    pub plans: Vec<Plan>,
    /// Frozen editions in `archive/`, by year then revision.
    pub frozen: Vec<FrozenEdition>,
    pub theme: ThemeFiles,
}

impl Project {
    pub fn latest(&self) -> Option<&Edition> {
        self.editions.last()
    }
}

/// Settings of the rank uncertainty and sensitivity analysis (`[uncertainty]` in edition.toml).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertaintySettings {
    /// Monte Carlo runs.
    pub runs: u32,
    /// Every run's random numbers derive from (seed, run index), so results are reproducible.
    pub seed: u64,
    /// Each weight is multiplied by a factor drawn from U(1 − s, 1 + s), then siblings are
    /// rescaled to their nominal sum.
    pub weight_spread: f64,
    /// Normalisations drawn from (one per run, for every leaf in raw units). Never empty.
    pub normalisation: Vec<NormalisationChoice>,
    /// Aggregations drawn from (one per run, for every node). Never empty.
    pub aggregation: Vec<Aggregation>,
    /// Tree levels whose nodes get rank intervals, ascending.
    pub levels: Vec<usize>,
    /// Base sample size N of the sensitivity analysis (N × (inputs + 2) model runs).
    pub sensitivity_samples: u32,
}

/// A normalisation a Monte Carlo run may use for the leaves measured in raw units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormalisationChoice {
    /// Each leaf's own method from indicators.toml.
    Stated,
    MeanRatio,
    MinMax,
}

/// How a node's index children are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Weighted arithmetic mean (the published method).
    Arithmetic,
    /// Weighted geometric mean: a weak child is not fully made up for by a strong one.
    Geometric,
}

/// Computed figures for one indicator node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeResult {
    /// Index score per district (by district index), unrounded.
    pub districts: Vec<f64>,
    /// Mean of all districts.
    pub city: f64,
    /// Mean of each region's districts (by region index).
    pub regions: Vec<f64>,
    /// Competition rank among all districts, on the rounded value.
    pub rank: Vec<u32>,
    /// Competition rank within the district's region, on the rounded value.
    pub region_rank: Vec<u32>,
}

/// Computed figures for every node, in tree order (same indices as [`IndicatorTree::nodes`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexResults {
    pub nodes: Vec<NodeResult>,
}

/// One city-level figure of an earlier edition, from `data/history.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPoint {
    pub year: u16,
    pub indicator: String,
    /// The indicator's name in that edition (names change: 网络就绪度指数 became 新型基础设施指数).
    pub name: Option<Bilingual>,
    pub value: f64,
    /// The value as written in the source ("92.9", "95.30"), shown where no edition precision
    /// applies, so no decimal is added that the source did not print.
    pub value_text: String,
    /// How the figure was obtained (stated in a release, derived from a stated change, …), in
    /// words for readers.
    pub basis: Bilingual,
    /// Its line in history.csv, for messages (0 for a figure given in an edition.toml).
    #[serde(skip)]
    pub line: usize,
    /// Worked back from later figures (a later value less a stated change), not published for
    /// its year: charts draw it apart (`derived = yes` in history.csv).
    pub derived: bool,
}

/// How the current edition's figures moved since the previous edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditionChanges {
    pub previous_year: u16,
    /// Per current node (tree order): the matching node of the previous edition, if any.
    pub previous_node: Vec<Option<usize>>,
    /// Per current node: the id of that matching node (its own id, or the one it continues).
    pub previous_id: Vec<Option<String>>,
    /// Per current node, per current district: value now − value then (None when not comparable).
    pub value_change: Vec<Vec<Option<f64>>>,
    /// Per current node, per current district: rank then − rank now (positive = moved up).
    pub rank_change: Vec<Vec<Option<i32>>>,
    /// Per current node: city value change.
    pub city_change: Vec<Option<f64>>,
    /// Per current node, per current region: value change (regions matched by id).
    pub region_change: Vec<Vec<Option<f64>>>,
    pub framework: FrameworkChanges,
}

/// Differences between two editions' indicator systems.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrameworkChanges {
    /// Current node indices with no counterpart in the previous edition.
    pub added: Vec<usize>,
    /// Previous edition's node ids with no counterpart now, with their names.
    pub removed: Vec<(String, Bilingual)>,
    /// (current node, previous id, previous name) where the id or a name changed.
    pub renamed: Vec<(usize, String, Bilingual)>,
    /// (current node, previous weight text, previous weight) where the weight changed.
    pub reweighted: Vec<(usize, String, f64)>,
    /// (current node, previous parent id) where the node moved in the tree.
    pub moved: Vec<(usize, String)>,
}

impl FrameworkChanges {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.reweighted.is_empty()
            && self.moved.is_empty()
    }
}
