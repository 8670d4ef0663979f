//! Rounding as printed and competition ranking on the printed value.

/// Rounds half up (away from zero at exactly .5) to `precision` decimals, as the printed report
/// does. Aggregates are not exact decimals, so a value within a hair of a .5 boundary counts as
/// on it: 2.675 stored as 2.67499999… still rounds to 2.68.
pub fn round_half_up(x: f64, precision: u8) -> f64 {
    let scale = 10f64.powi(precision as i32);
    let scaled = x.abs() * scale;
    let rounded = (scaled + 0.5 + 1e-9 * scaled.max(1.0)).floor();
    (rounded / scale).copysign(x)
}

/// Competition ranks ("1, 1, 3"): higher values rank first; values equal after rounding to
/// `precision` share the rank, and the next rank skips the tied places.
pub fn rank_competition(values: &[f64], precision: u8) -> Vec<u32> {
    let rounded: Vec<f64> = values.iter().map(|&v| round_half_up(v, precision)).collect();
    // Sorting (rather than counting, for each value, the values above it) keeps the cost
    // n log n: the uncertainty analysis ranks every district thousands of times.
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| rounded[b].total_cmp(&rounded[a]));
    let mut ranks = vec![0; values.len()];
    for (place, &i) in order.iter().enumerate() {
        ranks[i] = match place.checked_sub(1).map(|p| order[p]) {
            Some(prev) if rounded[prev] == rounded[i] => ranks[prev],
            _ => place as u32 + 1,
        };
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_like_the_print() {
        assert_eq!(round_half_up(2.675, 2), 2.68);
        assert_eq!(round_half_up(1.005, 2), 1.01);
        assert_eq!(round_half_up(109.774999, 2), 109.77);
        assert_eq!(round_half_up(-0.125, 2), -0.13);
        assert_eq!(round_half_up(0.994, 2), 0.99);
        assert_eq!(round_half_up(12.5, 0), 13.0);
    }

    #[test]
    fn ties_share_a_rank_and_skip_the_next() {
        assert_eq!(rank_competition(&[3.0, 5.0, 5.0, 1.0], 2), vec![3, 1, 1, 4]);
    }

    /// The sorted ranking agrees with the definition: 1 + the number of values printed higher.
    #[test]
    fn ranks_match_counting_the_values_above() {
        let mut x: u64 = 99;
        for n in [1usize, 2, 7, 40] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((x >> 33) % 400) as f64 / 8.0 - 20.0 // many ties, negatives and zeros
                })
                .collect();
            let rounded: Vec<f64> = values.iter().map(|&v| round_half_up(v, 0)).collect();
            let expected: Vec<u32> =
                rounded.iter().map(|&v| 1 + rounded.iter().filter(|&&o| o > v).count() as u32).collect();
            assert_eq!(rank_competition(&values, 0), expected, "{values:?}");
        }
    }

    #[test]
    fn values_equal_when_printed_are_tied() {
        // 100.004 and 99.996 both print as 100.00: same rank, though their raw order differs.
        assert_eq!(rank_competition(&[100.004, 99.996, 100.1], 2), vec![2, 2, 1]);
    }
}
