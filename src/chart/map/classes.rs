//! Class breaks: Jenks natural breaks, which put districts of similar value in one colour class.

/// Classes from Jenks natural breaks: each class is `(min, max)` of the values in it, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Classes {
    pub bounds: Vec<(f64, f64)>,
}

impl Classes {
    /// Class index of `v`: the first class whose max is at least `v`.
    pub fn class_of(&self, v: f64) -> usize {
        self.bounds
            .iter()
            .position(|&(_, hi)| v <= hi)
            .unwrap_or(self.bounds.len().saturating_sub(1))
    }
}

/// Jenks natural breaks (Fisher's exact optimisation): splits the values into at most `k`
/// classes of consecutive sorted values minimising the total within-class squared deviation.
/// Equal values always share a class, so bounds never overlap.
pub fn jenks(values: &[f64], k: usize) -> Classes {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let distinct = v.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(n > 0);
    let k = k.min(distinct).max(usize::from(n > 0));
    if n == 0 {
        return Classes { bounds: Vec::new() };
    }
    // Prefix sums for O(1) within-class cost of v[a..b].
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    // Squares of values past ~1e154 overflow to infinity; such data is compared at a smaller
    // scale (the optimal split does not depend on it), ordinary data exactly as it is.
    let scale = v.iter().fold(1.0f64, |m, x| m.max(x.abs()));
    let scale = if scale > 1e100 { scale } else { 1.0 };
    for (i, x) in v.iter().map(|x| x / scale).enumerate() {
        s1[i + 1] = s1[i] + x;
        s2[i + 1] = s2[i] + x * x;
    }
    let cost = |a: usize, b: usize| {
        let m = (b - a) as f64;
        let s = s1[b] - s1[a];
        (s2[b] - s2[a]) - s * s / m
    };
    // A class may only end where the next value differs.
    let can_end = |b: usize| b == n || v[b - 1] != v[b];
    let inf = f64::INFINITY;
    // best[c][b]: minimal cost of splitting v[..b] into c classes; from[c][b]: start of last class.
    let mut best = vec![vec![inf; n + 1]; k + 1];
    let mut from = vec![vec![0usize; n + 1]; k + 1];
    best[0][0] = 0.0;
    for c in 1..=k {
        for b in c..=n {
            if !can_end(b) {
                continue;
            }
            for a in (c - 1)..b {
                if best[c - 1][a].is_finite() {
                    let total = best[c - 1][a] + cost(a, b);
                    // Strictly smaller: on ties the earliest split wins, deterministically.
                    if total < best[c][b] - 1e-12 {
                        best[c][b] = total;
                        from[c][b] = a;
                    }
                }
            }
        }
    }
    let mut bounds = Vec::with_capacity(k);
    let mut b = n;
    for c in (1..=k).rev() {
        let a = from[c][b];
        bounds.push((v[a], v[b - 1]));
        b = a;
    }
    bounds.reverse();
    Classes { bounds }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testutil;

    #[test]
    fn jenks_finds_natural_groups_and_keeps_ties_together() {
        let v = [1.0, 1.1, 1.2, 5.0, 5.1, 9.0, 9.2, 9.1];
        assert_eq!(
            jenks(&v, 3).bounds,
            vec![(1.0, 1.2), (5.0, 5.1), (9.0, 9.2)]
        );
        // Ties never straddle a break, even when that would lower the variance.
        let t = [1.0, 2.0, 2.0, 2.0, 3.0];
        let c = jenks(&t, 3);
        for w in c.bounds.windows(2) {
            assert!(w[0].1 < w[1].0);
        }
        // More classes than distinct values: one class per value.
        assert_eq!(
            jenks(&[4.0, 4.0, 7.0], 5).bounds,
            vec![(4.0, 4.0), (7.0, 7.0)]
        );
        assert!(jenks(&[], 5).bounds.is_empty());
        assert_eq!(jenks(&[3.0, f64::NAN], 4).bounds, vec![(3.0, 3.0)]);
        let c = jenks(&testutil::overall(), 5);
        assert_eq!(c.class_of(133.41), 4);
        assert_eq!(c.class_of(87.31), 0);
    }
}
