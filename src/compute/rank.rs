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
    rounded
        .iter()
        .map(|&v| 1 + rounded.iter().filter(|&&other| other > v).count() as u32)
        .collect()
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

    #[test]
    fn values_equal_when_printed_are_tied() {
        // 100.004 and 99.996 both print as 100.00: same rank, though their raw order differs.
        assert_eq!(rank_competition(&[100.004, 99.996, 100.1], 2), vec![2, 2, 1]);
    }
}
