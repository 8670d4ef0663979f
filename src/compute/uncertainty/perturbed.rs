//! The index as a function of its uncertain inputs: a point `u` of the unit cube [0, 1)^dims
//! gives every weight a factor, picks a normalisation and an aggregation, and yields every
//! node's scores. The Monte Carlo and the sensitivity analysis both evaluate this function.
//!
//! Coordinates of `u`: one per weight that can vary (a non-root index node with index
//! siblings), in tree order, then the normalisation choice, then the aggregation choice.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::compute::{aggregate_tree, leaf_scores, ComputeError};
use crate::model::{Aggregation, Edition, IndicatorKind, Normalisation, NormalisationChoice, UncertaintySettings};

/// The uniform numbers of stream `stream` under `seed`, in order. Run r of the Monte Carlo is
/// stream r, so a run's numbers do not depend on which thread computes it, or on the others.
///
/// ChaCha8 (`rand_chacha`, the generator behind `rand`'s StdRng family) gives 2^64 independent
/// streams per seed, and its output is fixed by its specification, so results stay the same
/// across crate versions. Floats are made here (53 high bits) rather than by `rand`'s
/// distributions, whose algorithms may change between versions.
pub fn draw(seed: u64, stream: u64, out: &mut [f64]) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    for x in out {
        *x = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    }
}

/// One of `n` alternatives for a uniform number.
fn choose(u: f64, n: usize) -> usize {
    ((u * n as f64) as usize).min(n - 1)
}

/// The name edition.toml uses for a normalisation alternative.
pub fn choice_name(choice: NormalisationChoice) -> &'static str {
    match choice {
        NormalisationChoice::Stated => "stated",
        NormalisationChoice::MeanRatio => "mean_ratio",
        NormalisationChoice::MinMax => "min_max",
    }
}

pub struct Perturbed<'a> {
    edition: &'a Edition,
    spread: f64,
    aggregations: &'a [Aggregation],
    /// Leaf scores under each normalisation alternative, by node (empty for other nodes).
    leaves: Vec<Vec<Vec<f64>>>,
    /// Per node: its coordinate in `u`, when its weight can vary.
    pub weight_coord: Vec<Option<usize>>,
    /// Per node: its index children (empty for leaves).
    index_children: Vec<Vec<usize>>,
    pub normalisation_coord: usize,
    pub aggregation_coord: usize,
    pub dims: usize,
}

/// Buffers one thread reuses from run to run.
pub struct Scratch {
    /// Every node's scores after [`Perturbed::evaluate`], by node and district.
    pub scores: Vec<Vec<f64>>,
    /// Every node's weight within its parent in the last run.
    pub weights: Vec<f64>,
}

impl<'a> Perturbed<'a> {
    pub fn new(edition: &'a Edition, settings: &'a UncertaintySettings) -> Result<Self, ComputeError> {
        let tree = &edition.tree;
        let index_children: Vec<Vec<usize>> = tree
            .nodes
            .iter()
            .map(|n| n.children.iter().copied().filter(|&c| tree.nodes[c].kind == IndicatorKind::Index).collect())
            .collect();
        let mut dims = 0;
        let mut weight_coord = vec![None; tree.nodes.len()];
        for siblings in index_children.iter().filter(|c| c.len() > 1) {
            for &c in siblings {
                weight_coord[c] = Some(dims);
                dims += 1;
            }
        }
        // Coordinates in tree order, whatever order the parents were visited in.
        let mut order: Vec<usize> = (0..tree.nodes.len()).filter(|&i| weight_coord[i].is_some()).collect();
        order.sort_unstable();
        for (k, &i) in order.iter().enumerate() {
            weight_coord[i] = Some(k);
        }

        let leaves = settings
            .normalisation
            .iter()
            .map(|&choice| {
                leaf_scores(edition, |node| match (&node.normalisation, choice) {
                    (Normalisation::None, _) => None, // already a score: not in raw units
                    (stated, NormalisationChoice::Stated) => Some(stated.clone()),
                    (_, NormalisationChoice::MeanRatio) => Some(Normalisation::MeanRatio),
                    (_, NormalisationChoice::MinMax) => Some(Normalisation::MinMax),
                })
                .map_err(|e| ComputeError {
                    message: format!("{} (with the \"{}\" normalisation of [uncertainty])", e.message, choice_name(choice)),
                    ..e
                })
            })
            .collect::<Result<Vec<_>, _>>()?;

        if settings.aggregation.contains(&Aggregation::Geometric) {
            check_positive(edition, settings, &leaves)?;
        }
        Ok(Perturbed {
            edition,
            spread: settings.weight_spread,
            aggregations: &settings.aggregation,
            leaves,
            weight_coord,
            index_children,
            normalisation_coord: dims,
            aggregation_coord: dims + 1,
            dims: dims + 2,
        })
    }

    pub fn scratch(&self) -> Scratch {
        let n = self.edition.districts.districts.len();
        Scratch { scores: vec![vec![0.0; n]; self.edition.tree.nodes.len()], weights: vec![1.0; self.edition.tree.nodes.len()] }
    }

    /// Every node's scores for the inputs `u` (length `dims`), into `scratch.scores`.
    pub fn evaluate(&self, u: &[f64], scratch: &mut Scratch) -> Result<(), ComputeError> {
        let nodes = &self.edition.tree.nodes;
        for siblings in &self.index_children {
            // Rescaled to the siblings' nominal sum (1), computed the same way, so that with a
            // spread of 0 every factor is exactly 1 and the weights are exactly the published ones.
            let factor = |c: usize| self.weight_coord[c].map_or(1.0, |k| 1.0 - self.spread + 2.0 * self.spread * u[k]);
            let nominal: f64 = siblings.iter().map(|&c| nodes[c].weight).sum();
            let perturbed: f64 = siblings.iter().map(|&c| nodes[c].weight * factor(c)).sum();
            let scale = nominal / perturbed;
            for &c in siblings {
                scratch.weights[c] = nodes[c].weight * factor(c) * scale;
            }
        }
        let leaves = &self.leaves[choose(u[self.normalisation_coord], self.leaves.len())];
        for (i, leaf) in leaves.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            scratch.scores[i].copy_from_slice(leaf);
        }
        let aggregation = self.aggregations[choose(u[self.aggregation_coord], self.aggregations.len())];
        aggregate_tree(self.edition, &scratch.weights, aggregation, &mut scratch.scores)
    }
}

/// The geometric mean is undefined for scores at or below 0; says so before any run starts.
fn check_positive(edition: &Edition, settings: &UncertaintySettings, leaves: &[Vec<Vec<f64>>]) -> Result<(), ComputeError> {
    for (choice, by_node) in settings.normalisation.iter().zip(leaves) {
        for (i, scores) in by_node.iter().enumerate() {
            if let Some(d) = scores.iter().position(|&v| v <= 0.0) {
                return Err(ComputeError {
                    indicator: edition.tree.nodes[i].id.clone(),
                    message: format!(
                        "[uncertainty] aggregation includes \"geometric\", which needs every score above 0, but {} scores {} with the \"{}\" normalisation; remove \"geometric\" (or that normalisation) from [uncertainty] in edition.toml",
                        edition.districts.districts[d].id,
                        scores[d],
                        choice_name(*choice)
                    ),
                    district: Some(d),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::uncertainty::testutil::{settings, tiny_edition};

    #[test]
    fn draws_depend_only_on_seed_and_stream() {
        let (mut a, mut b, mut c) = ([0.0; 5], [0.0; 5], [0.0; 5]);
        draw(7, 3, &mut a);
        draw(7, 4, &mut b);
        draw(7, 3, &mut c);
        assert_eq!(a, c);
        assert_ne!(a, b);
        assert!(a.iter().chain(&b).all(|x| (0.0..1.0).contains(x)));
    }

    /// Weights stay within ±spread of their published value before rescaling, and siblings
    /// keep their published sum.
    #[test]
    fn weights_vary_within_the_spread_and_keep_their_sum() {
        let edition = tiny_edition(&[[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]], 0.25);
        let s = settings(0.5, 1000);
        let model = Perturbed::new(&edition, &s).unwrap();
        assert_eq!(model.dims, 4); // two weights, normalisation, aggregation
        let mut scratch = model.scratch();
        for u in [[0.0, 0.999, 0.5, 0.5], [0.999, 0.0, 0.1, 0.9], [0.5, 0.5, 0.0, 0.0]] {
            model.evaluate(&u, &mut scratch).unwrap();
            let (wa, wb) = (scratch.weights[1], scratch.weights[2]);
            assert!((wa + wb - 1.0).abs() < 1e-12);
            let (fa, fb) = (1.0 - 0.5 + u[0], 1.0 - 0.5 + u[1]);
            assert!((wa / wb - 0.25 * fa / (0.75 * fb)).abs() < 1e-12, "{wa} {wb}");
        }
    }

    #[test]
    fn geometric_aggregation_multiplies_powers() {
        let edition = tiny_edition(&[[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]], 0.25);
        let mut s = settings(0.0, 1000);
        s.aggregation = vec![Aggregation::Arithmetic, Aggregation::Geometric];
        let model = Perturbed::new(&edition, &s).unwrap();
        let mut scratch = model.scratch();
        model.evaluate(&[0.3, 0.3, 0.0, 0.99], &mut scratch).unwrap();
        let expected: Vec<f64> = [[1.0f64, 2.0], [2.0, 1.0], [3.0, 3.0]].iter().map(|[a, b]| a.powf(0.25) * b.powf(0.75)).collect();
        for (got, want) in scratch.scores[0].iter().zip(&expected) {
            assert!((got - want).abs() < 1e-12, "{got} {want}");
        }
    }

    #[test]
    fn geometric_aggregation_refuses_scores_of_zero() {
        let edition = tiny_edition(&[[0.0, 2.0], [2.0, 1.0], [3.0, 3.0]], 0.25);
        let mut s = settings(0.0, 1000);
        s.aggregation = vec![Aggregation::Geometric];
        let e = Perturbed::new(&edition, &s).err().unwrap();
        assert_eq!(e.indicator, "a");
        assert!(e.message.contains("geometric") && e.message.contains("d0"), "{}", e.message);
    }
}
