//! Compute stage: pure functions from an [`Edition`] to its [`IndexResults`]. No I/O.
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
pub mod plans;
mod rank;

use std::fmt;

pub use changes::{compare_editions, match_indicators};
pub use history::{city_series, indicator_aliases, SeriesPoint};
pub use normalise::normalise;
pub use rank::{rank_competition, round_half_up};

use crate::model::{Edition, IndexResults, IndicatorKind, NodeResult};

/// Why an edition's figures could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComputeError {
    pub indicator: String,
    pub message: String,
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
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); tree.nodes.len()];

    // Pre-order lists parents first, so walking it backwards computes children first.
    for i in (0..tree.nodes.len()).rev() {
        let node = &tree.nodes[i];
        let err = |message: String| ComputeError { indicator: node.id.clone(), message };
        scores[i] = if node.is_leaf() {
            let raw = edition
                .values
                .by_node
                .get(&i)
                .ok_or_else(|| err("no values were given for this indicator".into()))?;
            if raw.len() != n_districts {
                return Err(err(format!("{} values for {} districts", raw.len(), n_districts)));
            }
            if let Some(d) = raw.iter().position(|v| !v.is_finite()) {
                return Err(err(format!("the value for {} is not a finite number", edition.districts.districts[d].id)));
            }
            normalise(raw, &node.normalisation, node.polarity).map_err(err)?
        } else {
            (0..n_districts)
                .map(|d| {
                    let mut weighted = 0.0;
                    let mut factor = 1.0;
                    for &c in &node.children {
                        match tree.nodes[c].kind {
                            IndicatorKind::Index => weighted += tree.nodes[c].weight * scores[c][d],
                            IndicatorKind::Coefficient => factor *= scores[c][d],
                        }
                    }
                    weighted * factor
                })
                .collect()
        };
    }

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

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { f64::NAN } else { sum / n as f64 }
}
