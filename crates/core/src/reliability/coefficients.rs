//! Agreement coefficients that do not collapse when the reference barely
//! varies, and the interval of a mean: Gwet's AC1 (identity weights) and
//! AC2 (linear weights) of a trainee against the reference (Gwet 2008,
//! 2014), Krippendorff's alpha on an interval scale across a class
//! (Krippendorff 2011), and the Student t interval. Pure arithmetic on
//! ranks 1..=q; `None` where a coefficient is undefined.

/// Gwet's agreement coefficient of two raters over the same items, ranks
/// in `1..=categories`: AC1 with `linear` false, AC2 with linear weights
/// (1 − |k − l| / (q − 1)) with `linear` true.
///
/// ```
/// use voussoir_core::reliability::coefficients::gwet;
/// // 16 of 17 exact, the reference constant: kappa collapses, AC1 does not.
/// let mut pairs = vec![(1, 1); 16];
/// pairs.push((1, 2));
/// let ac1 = gwet(&pairs, 5, false).expect("defined");
/// assert!(ac1 > 0.9);
/// ```
pub fn gwet(pairs: &[(usize, usize)], categories: usize, linear: bool) -> Option<f64> {
    let q = categories;
    if pairs.is_empty() || q < 2 {
        return None;
    }
    if pairs
        .iter()
        .any(|(a, b)| *a == 0 || *b == 0 || *a > q || *b > q)
    {
        return None;
    }
    let weight = |k: usize, l: usize| {
        if linear {
            1.0 - (k as f64 - l as f64).abs() / (q as f64 - 1.0)
        } else if k == l {
            1.0
        } else {
            0.0
        }
    };
    let n = pairs.len() as f64;
    let agreement: f64 = pairs.iter().map(|(a, b)| weight(*a, *b)).sum::<f64>() / n;
    let total_weight: f64 = (1..=q)
        .flat_map(|k| (1..=q).map(move |l| (k, l)))
        .map(|(k, l)| weight(k, l))
        .sum();
    let spread: f64 = (1..=q)
        .map(|k| {
            let share = pairs
                .iter()
                .map(|(a, b)| f64::from(u8::from(*a == k)) + f64::from(u8::from(*b == k)))
                .sum::<f64>()
                / (2.0 * n);
            share * (1.0 - share)
        })
        .sum();
    let chance = total_weight * spread / (q as f64 * (q as f64 - 1.0));
    (chance < 1.0).then(|| (agreement - chance) / (1.0 - chance))
}

/// Krippendorff's alpha on an interval scale: `units` are the rated items
/// (components), each with the values its raters gave (missing ratings
/// simply absent). Units with fewer than two values are not pairable and
/// left out. `None` when nothing is pairable or no value differs at all.
///
/// ```
/// use voussoir_core::reliability::coefficients::krippendorff_interval;
/// assert_eq!(krippendorff_interval(&[vec![1.0, 1.0], vec![2.0, 2.0]]), Some(1.0));
/// ```
pub fn krippendorff_interval(units: &[Vec<f64>]) -> Option<f64> {
    let pairable: Vec<&Vec<f64>> = units.iter().filter(|values| values.len() >= 2).collect();
    let n: f64 = pairable.iter().map(|values| values.len() as f64).sum();
    if n < 2.0 {
        return None;
    }
    // Observed: within units, each ordered pair weighted by 1 / (m − 1).
    let observed: f64 = pairable
        .iter()
        .map(|values| {
            let m = values.len() as f64;
            let mut sum = 0.0;
            for (i, a) in values.iter().enumerate() {
                for (j, b) in values.iter().enumerate() {
                    if i != j {
                        sum += (a - b).powi(2);
                    }
                }
            }
            sum / (m - 1.0)
        })
        .sum();
    // Expected: over every pair of pairable values.
    let all: Vec<f64> = pairable
        .iter()
        .flat_map(|values| values.iter().copied())
        .collect();
    let mut expected = 0.0;
    for (i, a) in all.iter().enumerate() {
        for (j, b) in all.iter().enumerate() {
            if i != j {
                expected += (a - b).powi(2);
            }
        }
    }
    (expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected)
}

/// A sample's mean, standard deviation and the 95 % interval of its mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub mean: f64,
    /// `None` with fewer than two values.
    pub sd: Option<f64>,
    /// Student t interval of the mean; `None` with fewer than two values.
    pub interval: Option<(f64, f64)>,
}

/// Mean, sample standard deviation and the 95 % Student t interval of the
/// mean; `None` for no values.
pub fn mean_interval(values: &[f64]) -> Option<Sample> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return Some(Sample {
            mean,
            sd: None,
            interval: None,
        });
    }
    let variance = values
        .iter()
        .map(|value| (value - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    let sd = variance.sqrt();
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .ok()
        .map(|distribution| distribution.inverse_cdf(0.975))?;
    let half = t * sd / n.sqrt();
    Some(Sample {
        mean,
        sd: Some(sd),
        interval: Some((mean - half, mean + half)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kappa_paradox_case_keeps_a_high_ac1() {
        // 16 of 17 components exact, the reference all 1: Cohen's kappa is
        // undefined or negative there, AC1 stays high.
        let mut pairs = vec![(1, 1); 16];
        pairs.push((1, 2));
        let ac1 = gwet(&pairs, 5, false).expect("ac1");
        let ac2 = gwet(&pairs, 5, true).expect("ac2");
        assert!(ac1 > 0.9 && ac2 > 0.9, "{ac1} {ac2}");
        assert_eq!(gwet(&[(1, 1), (2, 2)], 5, false), Some(1.0));
    }

    #[test]
    fn the_t_interval_of_a_known_sample() {
        // 1..=5: mean 3, sd 1.5811, t(0.975, 4) = 2.7764.
        let Sample { mean, sd, interval } =
            mean_interval(&[1.0, 2.0, 3.0, 4.0, 5.0]).expect("values");
        assert_eq!(mean, 3.0);
        assert!((sd.expect("sd") - 1.581_138_830_084_19).abs() < 1e-12);
        let (low, high) = interval.expect("interval");
        assert!(
            (high - 3.0 - 2.776_445_105_197_8 * 1.581_138_830_084_19 / 5f64.sqrt()).abs() < 1e-9
        );
        assert!((3.0 - low - (high - 3.0)).abs() < 1e-12);
    }
}
