//! Every edition of a project computed, with what each needs from the editions before it:
//! changes since the previous edition, the previous values its narrative may cite, and the
//! city series up to its year. Pure, like the rest of the stage.

use std::collections::BTreeMap;
use std::fmt;

use super::{
    city_series, compare_editions, compute_edition, indicator_aliases, rank_uncertainty, sensitivity_analysis, ComputeError,
    SensitivityResults, SeriesPoint, UncertaintyResults,
};
use super::uncertainty::stored;
use crate::diagnostic::Diagnostic;
use crate::model::{Edition, EditionChanges, HistoryPoint, IndexResults, Project, Status};

/// A loaded edition with its computed figures and its links to the editions before it.
#[derive(Debug, Clone)]
pub struct ComputedEdition {
    pub edition: Edition,
    pub results: IndexResults,
    /// Changes since the previous edition in the build, if there is one.
    pub changes: Option<EditionChanges>,
    /// Values of the previous edition for `change(...)` in the narrative and for city changes:
    /// the previous computed edition, else the latest earlier year of the history file.
    pub previous: Option<PreviousValues>,
    /// City series of the root and first-level indices up to this edition's year.
    pub history: Vec<HistorySeries>,
    /// Rank intervals, when the edition asks for the uncertainty analysis (`[uncertainty]`).
    pub uncertainty: Option<UncertaintyResults>,
    /// Which uncertain input moves the overall ranks, computed with the rank intervals.
    pub sensitivity: Option<SensitivityResults>,
}

/// Published values of the previous edition under the current edition's indicator ids
/// (following renames): (indicator id, entity) → value, where entity is a district id, a region
/// id or `city`. From a history file it holds city values only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousValues {
    pub year: u16,
    pub values: BTreeMap<(String, String), f64>,
}

/// The city values of one indicator across editions, up to and including the edition's year.
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySeries {
    /// Indicator id in the edition.
    pub indicator: String,
    /// Ascending by year; see [`city_series`].
    pub points: Vec<SeriesPoint>,
}

/// An edition whose figures could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionError {
    pub year: u16,
    pub error: ComputeError,
    /// The values file, and the line of the value at fault (of the indicator's first value when
    /// no one district is), for the message.
    pub file: std::path::PathBuf,
    pub line: Option<usize>,
}

impl EditionError {
    fn new(project: &Project, edition: &Edition, error: ComputeError) -> Self {
        let file = project.root.join("data").join(edition.year.to_string()).join(&edition.values_file.name);
        let node = edition.tree.index_of(&error.indicator);
        let lines = node.and_then(|n| edition.values.lines.get(&n));
        let line = lines.and_then(|ls| match error.district {
            Some(d) => ls.get(d).copied(),
            None => ls.iter().copied().filter(|&l| l > 0).min(),
        });
        EditionError { year: edition.year, error, file, line: line.filter(|&l| l > 0) }
    }

    /// The message as every input error is shown: file, line, what is wrong, what to do.
    pub fn diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::new(&self.file, self.error.to_string()).help(format!(
            "check the values of \"{}\" in this file, or give it another normalisation in data/{}/indicators.toml (docs/data-formats.md lists them)",
            self.error.indicator, self.year
        ));
        match self.line {
            Some(line) => d.at_line(line),
            None => d,
        }
    }
}

impl fmt::Display for EditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.diagnostic())
    }
}

/// Computes every edition the build includes (drafts only with `drafts`), oldest first.
pub fn compute_project(project: &Project, drafts: bool) -> Result<Vec<ComputedEdition>, EditionError> {
    compute_project_cached(project, drafts, &super::NoCache)
}

/// [`compute_project`], taking an edition's uncertainty and sensitivity results from `cache`
/// when their inputs are unchanged since they were stored there (and storing them otherwise).
/// The results are the same either way, bit for bit.
pub fn compute_project_cached(project: &Project, drafts: bool, cache: &dyn super::AnalysisCache) -> Result<Vec<ComputedEdition>, EditionError> {
    let mut computed: Vec<ComputedEdition> = Vec::new();
    for e in project.editions.iter().filter(|e| drafts || e.status == Status::Published) {
        let results = compute_edition(e).map_err(|error| EditionError::new(project, e, error))?;
        let prev = computed.last();
        let changes = prev.map(|p| compare_editions((&p.edition, &p.results), (e, &results)));
        let previous = previous_values(e, changes.as_ref(), prev, &project.history);
        let mut known: Vec<(&Edition, &IndexResults)> = computed.iter().map(|c| (&c.edition, &c.results)).collect();
        known.push((e, &results));
        let history = history_series(&known, &project.history);
        let err = |error| EditionError::new(project, e, error);
        let (uncertainty, sensitivity) = match &e.uncertainty {
            Some(settings) => {
                let key = stored::key(e, &results, settings);
                let (u, s) = match cache.get(&key).and_then(|bytes| stored::decode(&bytes)) {
                    Some(hit) => hit,
                    None => {
                        let computed = (rank_uncertainty(e, &results, settings).map_err(err)?, sensitivity_analysis(e, &results, settings).map_err(err)?);
                        cache.put(&key, &stored::encode(&computed.0, &computed.1));
                        computed
                    }
                };
                (Some(u), Some(s))
            }
            None => (None, None),
        };
        computed.push(ComputedEdition { edition: e.clone(), results, changes, previous, history, uncertainty, sensitivity });
    }
    Ok(computed)
}

/// See [`ComputedEdition::previous`].
fn previous_values(
    edition: &Edition,
    changes: Option<&EditionChanges>,
    previous: Option<&ComputedEdition>,
    history: &[HistoryPoint],
) -> Option<PreviousValues> {
    let tree = &edition.tree;
    let mut values = BTreeMap::new();
    if let (Some(prev), Some(changes)) = (previous, changes) {
        let pd = &prev.edition.districts;
        for (i, node) in tree.nodes.iter().enumerate() {
            let Some(p) = changes.previous_node[i] else { continue };
            let r = &prev.results.nodes[p];
            values.insert((node.id.clone(), "city".to_string()), r.city);
            for (ri, region) in pd.regions.iter().enumerate() {
                values.insert((node.id.clone(), region.id.clone()), r.regions[ri]);
            }
            for (di, d) in pd.districts.iter().enumerate() {
                values.insert((node.id.clone(), d.id.clone()), r.districts[di]);
            }
        }
        return Some(PreviousValues { year: prev.edition.year, values });
    }
    let year = history.iter().map(|h| h.year).filter(|&y| y < edition.year).max()?;
    for node in &tree.nodes {
        let aliases = indicator_aliases(&[edition], &node.id);
        if let Some(h) = history.iter().find(|h| h.year == year && aliases.contains(&h.indicator)) {
            values.insert((node.id.clone(), "city".to_string()), h.value);
        }
    }
    Some(PreviousValues { year, values })
}

/// City series of the root and the first-level nodes of the last edition in `known`, as known at
/// that edition's time: history points and computed editions up to its year, never later ones (a
/// frozen page must not depend on what came after). Single points are left out.
fn history_series(known: &[(&Edition, &IndexResults)], history: &[HistoryPoint]) -> Vec<HistorySeries> {
    let Some((current, _)) = known.last() else { return Vec::new() };
    let earlier: Vec<HistoryPoint> = history.iter().filter(|h| h.year <= current.year).cloned().collect();
    let tree = &current.tree;
    std::iter::once(0)
        .chain(tree.root().children.iter().copied())
        .map(|i| &tree.nodes[i].id)
        .map(|id| HistorySeries { indicator: id.clone(), points: city_series(&earlier, known, id) })
        .filter(|s| s.points.len() > 1)
        .collect()
}
