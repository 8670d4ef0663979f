//! Which of the method's uncertain choices moves the overall ranks: first-order and
//! total-effect indices of each input on each district's overall rank and on the mean absolute
//! rank shift (|rank − published rank| averaged over districts).
//!
//! Inputs, each present only when it varies: the weight of each first-level index; the weights
//! below the first level, as one group; the normalisation choice; the aggregation choice. The
//! model is the same as the Monte Carlo's (every weight varies), so the indices split the very
//! variation the rank intervals show.

use crate::compute::{rank_competition, ComputeError};
use crate::model::{Edition, IndexResults, UncertaintySettings};

use super::perturbed::{Perturbed, Scratch};
use super::sobol::sobol_indices;

/// One uncertain input of the sensitivity analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SensitivityInput {
    /// The weight of a first-level index (a tree index).
    Weight(usize),
    /// All weights below the first level together.
    LowerWeights,
    Normalisation,
    Aggregation,
}

/// First-order and total-effect indices of every input on one output, in input order.
/// `None` where the output never varied.
#[derive(Debug, Clone, PartialEq)]
pub struct InputIndices {
    pub first: Vec<Option<f64>>,
    pub total: Vec<Option<f64>>,
    pub variance: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityResults {
    /// Base sample size N; the index was computed N × (inputs + 2) times.
    pub samples: u32,
    pub inputs: Vec<SensitivityInput>,
    /// On each district's overall rank, by district in the listed order.
    pub districts: Vec<InputIndices>,
    /// On the mean absolute shift of the overall ranks from the published ones.
    pub mean_rank_shift: InputIndices,
}

/// The sensitivity of the overall ranks to each uncertain input.
pub fn sensitivity_analysis(
    edition: &Edition,
    results: &IndexResults,
    settings: &UncertaintySettings,
) -> Result<SensitivityResults, ComputeError> {
    let model = Perturbed::new(edition, settings)?;
    let tree = &edition.tree;
    let mut inputs = Vec::new();
    let mut groups = Vec::new();
    if settings.weight_spread > 0.0 {
        for (i, node) in tree.nodes.iter().enumerate() {
            if let (1, Some(k)) = (node.level, model.weight_coord[i]) {
                inputs.push(SensitivityInput::Weight(i));
                groups.push(vec![k]);
            }
        }
        let lower: Vec<usize> = (0..tree.nodes.len()).filter(|&i| tree.nodes[i].level > 1).filter_map(|i| model.weight_coord[i]).collect();
        if !lower.is_empty() {
            inputs.push(SensitivityInput::LowerWeights);
            groups.push(lower);
        }
    }
    if settings.normalisation.len() > 1 {
        inputs.push(SensitivityInput::Normalisation);
        groups.push(vec![model.normalisation_coord]);
    }
    if settings.aggregation.len() > 1 {
        inputs.push(SensitivityInput::Aggregation);
        groups.push(vec![model.aggregation_coord]);
    }

    let nominal = &results.nodes[0].rank;
    let n = nominal.len();
    // Outputs: each district's rank, then the mean absolute shift; referenced to the published
    // ranks (and no shift), which are typical values and so keep the sums' rounding small.
    let mut reference: Vec<f64> = nominal.iter().map(|&r| r as f64).collect();
    reference.push(0.0);
    let samples = settings.sensitivity_samples as usize;
    let evaluate = |scratch: &mut Scratch, x: &[f64], out: &mut [f64]| -> Result<(), ComputeError> {
        model.evaluate(x, scratch)?;
        let ranks = rank_competition(&scratch.scores[0], edition.precision);
        let mut shift = 0;
        for (d, (&r, &r0)) in ranks.iter().zip(nominal).enumerate() {
            out[d] = r as f64;
            shift += r.abs_diff(r0);
        }
        out[n] = shift as f64 / n as f64;
        Ok(())
    };
    let estimate = if groups.is_empty() {
        None // nothing varies: no index to estimate, and no runs needed
    } else {
        Some(sobol_indices(&groups, model.dims, samples, settings.seed, &reference, || model.scratch(), evaluate)?)
    };
    let output = |o: usize| match &estimate {
        Some(e) => InputIndices { first: e.first[o].clone(), total: e.total[o].clone(), variance: e.variance[o] },
        None => InputIndices { first: Vec::new(), total: Vec::new(), variance: 0.0 },
    };
    Ok(SensitivityResults {
        samples: settings.sensitivity_samples,
        inputs,
        districts: (0..n).map(output).collect(),
        mean_rank_shift: output(n),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{demo, settings};
    use super::*;
    use crate::model::Aggregation;

    #[test]
    fn demo_inputs_and_a_dominant_weight() {
        let (edition, results) = demo();
        let s = settings(0.25, 2000);
        let r = sensitivity_analysis(&edition, &results, &s).unwrap();
        let first_level = edition.tree.nodes.iter().filter(|n| n.level == 1 && n.kind == crate::model::IndicatorKind::Index).count();
        assert_eq!(r.inputs.len(), first_level + 1, "{:?}", r.inputs);
        assert_eq!(r.inputs.last(), Some(&SensitivityInput::LowerWeights));
        let shift = &r.mean_rank_shift;
        assert!(shift.variance > 0.0);
        for (s, st) in shift.first.iter().zip(&shift.total) {
            let (s, st) = (s.unwrap(), st.unwrap());
            // Estimates of shares of variance: within sampling error of [0, 1], S ≤ ST.
            assert!((-0.1..=1.1).contains(&s) && (0.0..=1.1).contains(&st) && s <= st + 0.1, "{s} {st}");
        }
        // Total effects together explain at least the whole variance (interactions counted twice).
        let total: f64 = shift.total.iter().map(|t| t.unwrap()).sum();
        assert!(total > 0.9, "{total}");
        // A district whose rank never moves has no indices; one that moves has some.
        for (d, idx) in r.districts.iter().enumerate() {
            assert_eq!(idx.variance == 0.0, idx.total.iter().all(|t| t.is_none()), "district {d}");
        }
        assert!(r.districts.iter().any(|d| d.variance > 0.0));
    }

    /// An input that cannot change anything gets (near) zero indices: with every other choice
    /// fixed, the aggregation choice alone must explain all of the variance.
    #[test]
    fn a_single_varying_choice_explains_everything() {
        let (edition, results) = demo();
        let mut s = settings(0.0, 500);
        s.aggregation = vec![Aggregation::Arithmetic, Aggregation::Geometric];
        let r = sensitivity_analysis(&edition, &results, &s).unwrap();
        assert_eq!(r.inputs, vec![SensitivityInput::Aggregation]);
        let shift = &r.mean_rank_shift;
        assert!(shift.variance > 0.0, "geometric aggregation changes some rank");
        assert!((shift.total[0].unwrap() - 1.0).abs() < 0.15, "{:?}", shift.total);
        assert!((shift.first[0].unwrap() - 1.0).abs() < 0.15, "{:?}", shift.first);
    }

    #[test]
    fn nothing_varies_nothing_to_explain() {
        let (edition, results) = demo();
        let r = sensitivity_analysis(&edition, &results, &settings(0.0, 500)).unwrap();
        assert!(r.inputs.is_empty());
        assert!(r.districts.iter().all(|d| d.first.is_empty() && d.variance == 0.0));
    }
}
