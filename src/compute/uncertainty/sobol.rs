//! Variance-based sensitivity indices of a model with inputs uniform on [0, 1)^dims, estimated
//! from the A, B and A_B^i matrices of Saltelli et al. (2010), "Variance based sensitivity
//! analysis of model output", Computer Physics Communications 181: first-order effects with
//! their estimator (Table 2, b; f(B) centred on the sample mean), total effects with Jansen's
//! (Table 2, f).
//!
//! An input may be a group of coordinates (all swapped together in A_B^i), which gives the
//! indices of the group as a whole.

use rayon::iter::{IntoParallelIterator, ParallelIterator};

use super::perturbed::draw;

/// Indices by output and input: `first[o][i]`, `total[o][i]`. `None` where output o never
/// varied (its variance is 0, so no input explains anything).
#[derive(Debug, Clone, PartialEq)]
pub struct SobolEstimate {
    pub first: Vec<Vec<Option<f64>>>,
    pub total: Vec<Vec<Option<f64>>>,
    /// Variance of each output over the A and B samples.
    pub variance: Vec<f64>,
}

/// Rows handled by one task. Sums are formed per task in row order and then added task by task
/// in order, so the result does not depend on the number of threads.
const CHUNK: usize = 32;

/// Per-task sums, all on outputs shifted by `reference` (which only reduces rounding error).
struct Sums {
    a: Vec<f64>,
    a2: Vec<f64>,
    b: Vec<f64>,
    b2: Vec<f64>,
    /// Σ f(B)(f(A_B^i) − f(A)), by output × input.
    first: Vec<f64>,
    /// Σ (f(A_B^i) − f(A)), by output × input, to centre f(B) in `first` afterwards.
    diff: Vec<f64>,
    /// Σ (f(A) − f(A_B^i))², by output × input.
    total: Vec<f64>,
}

impl Sums {
    fn new(outputs: usize, inputs: usize) -> Self {
        let z = |n| vec![0.0; n];
        Sums { a: z(outputs), a2: z(outputs), b: z(outputs), b2: z(outputs), first: z(outputs * inputs), diff: z(outputs * inputs), total: z(outputs * inputs) }
    }

    fn add(&mut self, other: &Sums) {
        for (mine, theirs) in [
            (&mut self.a, &other.a),
            (&mut self.a2, &other.a2),
            (&mut self.b, &other.b),
            (&mut self.b2, &other.b2),
            (&mut self.first, &other.first),
            (&mut self.diff, &other.diff),
            (&mut self.total, &other.total),
        ] {
            mine.iter_mut().zip(theirs).for_each(|(x, y)| *x += y);
        }
    }
}

/// Estimates the indices of the inputs `groups` (each a list of coordinates of the unit cube)
/// from `samples` base rows; row j of A and B is the first and second `dims` numbers of random
/// stream j under `seed`. `model(scratch, x, out)` writes the `reference.len()` outputs for
/// the point `x`; `init` makes one scratch value per task. Costs samples × (inputs + 2) runs.
pub fn sobol_indices<S, E: Send>(
    groups: &[Vec<usize>],
    dims: usize,
    samples: usize,
    seed: u64,
    reference: &[f64],
    init: impl Fn() -> S + Sync,
    model: impl Fn(&mut S, &[f64], &mut [f64]) -> Result<(), E> + Sync,
) -> Result<SobolEstimate, E> {
    let (m, k) = (reference.len(), groups.len());
    let chunk = |c: usize| -> Result<Sums, E> {
        let mut scratch = init();
        let mut sums = Sums::new(m, k);
        let mut row = vec![0.0; 2 * dims];
        let mut ab = vec![0.0; dims];
        let (mut fa, mut fb, mut fab) = (vec![0.0; m], vec![0.0; m], vec![0.0; m]);
        for j in c * CHUNK..((c + 1) * CHUNK).min(samples) {
            draw(seed, j as u64, &mut row);
            let (a, b) = row.split_at(dims);
            model(&mut scratch, a, &mut fa)?;
            model(&mut scratch, b, &mut fb)?;
            for o in 0..m {
                let (ya, yb) = (fa[o] - reference[o], fb[o] - reference[o]);
                sums.a[o] += ya;
                sums.a2[o] += ya * ya;
                sums.b[o] += yb;
                sums.b2[o] += yb * yb;
            }
            for (i, group) in groups.iter().enumerate() {
                ab.copy_from_slice(a);
                for &x in group {
                    ab[x] = b[x];
                }
                model(&mut scratch, &ab, &mut fab)?;
                for o in 0..m {
                    sums.first[o * k + i] += (fb[o] - reference[o]) * (fab[o] - fa[o]);
                    sums.diff[o * k + i] += fab[o] - fa[o];
                    sums.total[o * k + i] += (fa[o] - fab[o]) * (fa[o] - fab[o]);
                }
            }
        }
        Ok(sums)
    };
    let parts: Vec<Sums> = (0..samples.div_ceil(CHUNK)).into_par_iter().map(chunk).collect::<Result<_, E>>()?;
    let mut sums = Sums::new(m, k);
    for part in &parts {
        sums.add(part);
    }

    let n = samples as f64;
    let mean: Vec<f64> = (0..m).map(|o| (sums.a[o] + sums.b[o]) / (2.0 * n)).collect();
    let variance: Vec<f64> = (0..m).map(|o| ((sums.a2[o] + sums.b2[o]) / (2.0 * n) - mean[o] * mean[o]).max(0.0)).collect();
    // Σ (f(B) − mean)(f(A_B^i) − f(A)): the same estimate in expectation, but its sampling
    // error no longer grows with the output's distance from 0.
    let first: Vec<f64> = (0..m * k).map(|x| sums.first[x] - mean[x / k] * sums.diff[x]).collect();
    let index = |sum: &[f64], divisor: f64| -> Vec<Vec<Option<f64>>> {
        (0..m).map(|o| (0..k).map(|i| (variance[o] > 0.0).then(|| sum[o * k + i] / divisor / variance[o])).collect()).collect()
    };
    Ok(SobolEstimate { first: index(&first, n), total: index(&sums.total, 2.0 * n), variance })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn estimate(groups: &[Vec<usize>], dims: usize, samples: usize, f: impl Fn(&[f64]) -> f64 + Sync) -> SobolEstimate {
        sobol_indices::<(), ()>(groups, dims, samples, 11, &[0.0], || (), |_, x, out| {
            out[0] = f(x);
            Ok(())
        })
        .unwrap()
    }

    fn close(got: Option<f64>, want: f64, tolerance: f64) -> bool {
        got.is_some_and(|g| (g - want).abs() < tolerance)
    }

    /// Ishigami: y = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [−π, π]³. Analytic indices (Sobol'
    /// & Levitan 1999): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8,
    /// V13 = b²π⁸ (1/18 − 1/50), V3 = 0.
    #[test]
    fn ishigami_indices() {
        let (a, b) = (7.0, 0.1);
        let pi4 = PI.powi(4);
        let v1 = (1.0 + b * pi4 / 5.0).powi(2) / 2.0;
        let v2 = a * a / 8.0;
        let v13 = b * b * pi4 * pi4 * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        let f = |x: &[f64]| {
            let [x1, x2, x3] = [0, 1, 2].map(|i| -PI + 2.0 * PI * x[i]);
            x1.sin() + a * x2.sin().powi(2) + b * x3.powi(4) * x1.sin()
        };
        let e = estimate(&[vec![0], vec![1], vec![2]], 3, 40_000, f);
        let (first, total) = (&e.first[0], &e.total[0]);
        assert!((e.variance[0] - v).abs() / v < 0.03, "{} vs {v}", e.variance[0]);
        for (i, (s, st)) in [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)].into_iter().enumerate() {
            assert!(close(first[i], s, 0.03), "S{}: {:?} vs {s}", i + 1, first[i]);
            assert!(close(total[i], st, 0.03), "ST{}: {:?} vs {st}", i + 1, total[i]);
        }
    }

    /// y = Σ a_i x_i with independent uniform x_i: S_i = ST_i = a_i² / Σ a_j²; a group of
    /// inputs has the sum of its members' shares.
    #[test]
    fn linear_model_indices_and_groups() {
        let coef = [4.0, 2.0, 1.0, 0.0];
        let f = |x: &[f64]| coef.iter().zip(x).map(|(c, x)| c * x).sum();
        let all: f64 = coef.iter().map(|c| c * c).sum();
        let e = estimate(&[vec![0], vec![1], vec![2], vec![3], vec![1, 2]], 4, 20_000, f);
        let expected = [16.0 / all, 4.0 / all, 1.0 / all, 0.0, 5.0 / all];
        for (i, want) in expected.into_iter().enumerate() {
            assert!(close(e.first[0][i], want, 0.02), "S{i}: {:?} vs {want}", e.first[0][i]);
            assert!(close(e.total[0][i], want, 0.02), "ST{i}: {:?} vs {want}", e.total[0][i]);
        }
        // Jansen's estimator is exactly 0 for an input the model ignores.
        assert_eq!(e.total[0][3], Some(0.0));
    }

    #[test]
    fn constant_output_has_no_indices() {
        let e = estimate(&[vec![0]], 1, 100, |_| 3.0);
        assert_eq!((e.first[0][0], e.total[0][0], e.variance[0]), (None, None, 0.0));
    }

    #[test]
    fn the_same_on_one_and_two_threads() {
        let f = |x: &[f64]| (x[0] * 3.0).sin() + x[1] * x[0];
        let on = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| estimate(&[vec![0], vec![1]], 2, 1000, f))
        };
        assert_eq!(on(1), on(2));
    }
}
