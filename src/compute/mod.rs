//! Compute stage: pure functions from an [`Edition`] to its [`IndexResults`], and from a loaded
//! [`crate::model::Project`] to its [`ComputedEdition`]s. No I/O.
//!
//! The method, as stated on the report's method page:
//! 1. each leaf's raw values are normalised to index scores (see [`normalise`]);
//! 2. every other node's score is the weighted mean of its index children, multiplied by the
//!    values of its coefficient children (the overall index × the cybersecurity coefficient);
//! 3. the city value of a node is the mean over all districts, a region's value the mean over its
//!    districts (means of the district scores, not scores of mean inputs);
//! 4. districts are ranked by competition ranking on the value rounded to the edition's precision.

mod changes;
mod history;
mod normalise;
mod project;
pub mod plans;
pub(crate) mod raw;
mod rank;
pub(crate) mod standing;
mod uncertainty;

use std::fmt;

pub use changes::{compare_editions, match_indicators};
pub use history::{city_series, indicator_aliases, SeriesPoint};
pub use normalise::normalise;
pub use project::{compute_project, compute_project_cached, ComputedEdition, EditionError, HistorySeries, PreviousValues};
pub use rank::{rank_competition, round_half_up};
pub use uncertainty::{
    choice_name, rank_uncertainty, sensitivity_analysis, sobol_indices, InputIndices, NodeUncertainty, RankInterval,
    SensitivityInput, SensitivityResults, SobolEstimate, UncertaintyResults,
};
pub use uncertainty::stored::{AnalysisCache, NoCache};

use crate::model::{Aggregation, Edition, IndexResults, Indicator, IndicatorKind, NodeResult, Normalisation};

/// Why an edition's figures could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeError {
    pub indicator: String,
    pub message: String,
    /// The district whose value is the cause, when one is: the message then points at its row.
    pub district: Option<usize>,
}

impl fmt::Display for ComputeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot compute \"{}\": {}", self.indicator, self.message)
    }
}

impl std::error::Error for ComputeError {}

/// Computes every node's district scores, city and region means and ranks.
pub fn compute_edition(edition: &Edition) -> Result<IndexResults, ComputeError> {
    let tree = &edition.tree;
    let n_districts = edition.districts.districts.len();
    let mut scores = leaf_scores(edition, |node| Some(node.normalisation.clone()))?;
    for s in scores.iter_mut().filter(|s| s.is_empty()) {
        s.resize(n_districts, 0.0);
    }
    let weights: Vec<f64> = tree.nodes.iter().map(|n| n.weight).collect();
    aggregate_tree(edition, &weights, Aggregation::Arithmetic, &mut scores)?;

    let precision = edition.precision;
    let nodes = scores
        .into_iter()
        .map(|districts| {
            let city = mean(districts.iter().copied());
            let regions = (0..edition.districts.regions.len())
                .map(|r| mean(edition.districts.in_region(r).map(|d| districts[d])))
                .collect();
            let rank = rank_competition(&districts, precision);
            let mut region_rank = vec![0; n_districts];
            for r in 0..edition.districts.regions.len() {
                let members: Vec<usize> = edition.districts.in_region(r).collect();
                let values: Vec<f64> = members.iter().map(|&d| districts[d]).collect();
                for (k, rr) in rank_competition(&values, precision).into_iter().enumerate() {
                    region_rank[members[k]] = rr;
                }
            }
            NodeResult { districts, city, regions, rank, region_rank }
        })
        .collect();
    Ok(IndexResults { nodes })
}

/// Every leaf's checked raw values turned into scores, by node (empty for other nodes).
/// `method` says how to normalise each leaf (None: keep the values as given).
pub(crate) fn leaf_scores(
    edition: &Edition,
    method: impl Fn(&Indicator) -> Option<Normalisation>,
) -> Result<Vec<Vec<f64>>, ComputeError> {
    let n_districts = edition.districts.districts.len();
    let mut scores = vec![Vec::new(); edition.tree.nodes.len()];
    // Backwards, like the aggregation: the error reported is the one nearest the tree's end.
    for (i, node) in edition.tree.nodes.iter().enumerate().rev().filter(|(_, n)| n.is_leaf()) {
        let err = |message: String| ComputeError { indicator: node.id.clone(), message, district: None };
        let raw = edition.values.by_node.get(&i).ok_or_else(|| err("no values were given for this indicator".into()))?;
        if raw.len() != n_districts {
            return Err(err(format!("{} values for {} districts", raw.len(), n_districts)));
        }
        if let Some(d) = raw.iter().position(|v| !v.is_finite()) {
            return Err(err(format!("the value for {} is not a finite number", edition.districts.districts[d].id)));
        }
        scores[i] = match method(node) {
            Some(m) => normalise(raw, &m, node.polarity)
                .map_err(|(message, district)| ComputeError { indicator: node.id.clone(), message, district })?,
            None => raw.clone(),
        };
    }
    Ok(scores)
}

/// Fills in every non-leaf node's scores from its children's, bottom up. `scores` holds one
/// vector per node, each as long as there are districts, with the leaves' scores already in
/// place; `weights` is each node's weight within its parent.
///
/// A node's score is its index children's weighted mean (arithmetic or geometric) times the
/// product of its coefficient children. The geometric mean needs every child above 0.
pub(crate) fn aggregate_tree(
    edition: &Edition,
    weights: &[f64],
    aggregation: Aggregation,
    scores: &mut [Vec<f64>],
) -> Result<(), ComputeError> {
    let tree = &edition.tree;
    // Pre-order lists parents first and children after them, so walking it backwards computes
    // children first, and splitting at i + 1 separates a node from its children.
    for i in (0..tree.nodes.len()).rev() {
        let node = &tree.nodes[i];
        if node.is_leaf() {
            continue;
        }
        let (head, below) = scores.split_at_mut(i + 1);
        let child = |c: usize| &below[c - i - 1];
        for (d, out) in head[i].iter_mut().enumerate() {
            let mut combined = match aggregation {
                Aggregation::Arithmetic => 0.0,
                Aggregation::Geometric => 1.0,
            };
            let mut factor = 1.0;
            for &c in &node.children {
                let v = child(c)[d];
                match (tree.nodes[c].kind, aggregation) {
                    (IndicatorKind::Coefficient, _) => factor *= v,
                    (IndicatorKind::Index, Aggregation::Arithmetic) => combined += weights[c] * v,
                    (IndicatorKind::Index, Aggregation::Geometric) if v > 0.0 => combined *= v.powf(weights[c]),
                    (IndicatorKind::Index, Aggregation::Geometric) => {
                        return Err(ComputeError {
                            indicator: tree.nodes[c].id.clone(),
                            message: format!(
                                "the geometric mean needs scores above 0, but {} has {v}",
                                edition.districts.districts[d].id
                            ),
                            district: Some(d),
                        });
                    }
                }
            }
            *out = combined * factor;
        }
    }
    Ok(())
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { f64::NAN } else { sum / n as f64 }
}
