//! Turning raw leaf values into index scores. Every method gives "higher is better" scores.

use crate::model::{Normalisation, Polarity};

/// Why a method cannot be applied to a leaf's values: the words, and the district whose value
/// is the cause when one is (the message then points at its row).
pub type NormaliseError = (String, Option<usize>);

/// Normalises one leaf's values across all districts. Returns an error when the method
/// cannot be applied (a zero mean, all values equal for min–max, …).
pub fn normalise(values: &[f64], method: &Normalisation, polarity: Polarity) -> Result<Vec<f64>, NormaliseError> {
    let lower = polarity == Polarity::Lower;
    match method {
        Normalisation::None => Ok(values.to_vec()),
        Normalisation::MeanRatio => {
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            if mean == 0.0 {
                return Err(("the district mean is 0, so values cannot be expressed relative to it".into(), None));
            }
            ratio(values, mean, lower)
        }
        Normalisation::BaseRatio { base } => {
            if *base == 0.0 || !base.is_finite() {
                return Err(("the base must be a non-zero number".into(), None));
            }
            ratio(values, *base, lower)
        }
        Normalisation::MinMax => {
            let (min, max) = min_max(values);
            if max == min {
                return Err((format!("all districts have the same value ({min}), so min–max scaling is undefined"), None));
            }
            Ok(values
                .iter()
                .map(|&v| if lower { (max - v) / (max - min) * 100.0 } else { (v - min) / (max - min) * 100.0 })
                .collect())
        }
        Normalisation::Target { target } => {
            // Share of the distance from the worst district to the target, capped at the target.
            let (min, max) = min_max(values);
            let worst = if lower { max } else { min };
            if *target == worst {
                let d = values.iter().position(|&v| v == worst);
                return Err((format!("the target {target} equals the worst district's value"), d));
            }
            Ok(values.iter().map(|&v| ((v - worst) / (target - worst) * 100.0).clamp(0.0, 100.0)).collect())
        }
    }
}

fn ratio(values: &[f64], reference: f64, lower: bool) -> Result<Vec<f64>, NormaliseError> {
    if lower && let Some(d) = values.iter().position(|&v| v == 0.0) {
        return Err(("a value is 0, which cannot be inverted for a lower-is-better indicator".into(), Some(d)));
    }
    Ok(values.iter().map(|&v| if lower { reference / v * 100.0 } else { v / reference * 100.0 }).collect())
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const V: [f64; 4] = [50.0, 100.0, 150.0, 100.0];

    #[test]
    fn none_keeps_values() {
        assert_eq!(normalise(&V, &Normalisation::None, Polarity::Higher).unwrap(), V.to_vec());
    }

    #[test]
    fn mean_ratio_centres_on_100() {
        let out = normalise(&V, &Normalisation::MeanRatio, Polarity::Higher).unwrap();
        assert_eq!(out, vec![50.0, 100.0, 150.0, 100.0]);
        let inv = normalise(&V, &Normalisation::MeanRatio, Polarity::Lower).unwrap();
        assert_eq!(inv[0], 200.0);
        assert!((inv[2] - 66.666_666_666_666_67).abs() < 1e-9);
    }

    #[test]
    fn base_ratio_uses_the_base() {
        let out = normalise(&V, &Normalisation::BaseRatio { base: 200.0 }, Polarity::Higher).unwrap();
        assert_eq!(out, vec![25.0, 50.0, 75.0, 50.0]);
    }

    #[test]
    fn min_max_spans_0_to_100_both_ways() {
        assert_eq!(normalise(&V, &Normalisation::MinMax, Polarity::Higher).unwrap(), vec![0.0, 50.0, 100.0, 50.0]);
        assert_eq!(normalise(&V, &Normalisation::MinMax, Polarity::Lower).unwrap(), vec![100.0, 50.0, 0.0, 50.0]);
        assert!(normalise(&[1.0, 1.0], &Normalisation::MinMax, Polarity::Higher).is_err());
    }

    #[test]
    fn target_caps_at_100() {
        let out = normalise(&V, &Normalisation::Target { target: 125.0 }, Polarity::Higher).unwrap();
        assert_eq!(out, vec![0.0, 66.66666666666666, 100.0, 66.66666666666666]);
        let low = normalise(&V, &Normalisation::Target { target: 75.0 }, Polarity::Lower).unwrap();
        assert_eq!(low, vec![100.0, 66.66666666666666, 0.0, 66.66666666666666]);
    }
}
