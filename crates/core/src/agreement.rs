//! How much trainees agree, with the reference and with each other, on the
//! component grades of one structure: the statistics bridge-inspection
//! reliability studies use (the FHWA's share of ratings within one step of
//! the mean, NYSDOT's within one of the median), quadratic-weighted
//! Cohen's kappa of each trainee against the reference, Fleiss' kappa and
//! ICC(2,1) across the class. Formulas from the project's grading
//! reference (Cohen 1968, Fleiss 1971, Shrout & Fleiss 1979).
//!
//! Grades are placed on an ordinal scale: IQOA 1, 2, 2E, 3, 3U as 1 to 5;
//! NBI codes 9 to 0 as 1 to 10 (larger is worse). Components not
//! evaluated (NE) or not applicable (N) are left out.

use serde::Serialize;

use crate::grading::{Grading, GradingScheme, Iqoa};

/// The ordinal rank of a component class in the scheme of that code
/// (IQOA's ranks when the code is unknown).
pub fn rank(scheme: &str, class: &str) -> Option<usize> {
    grading_scheme(scheme).class_rank(class)
}

/// Number of categories of a scheme's ordinal scale.
pub fn scale_size(scheme: &str) -> usize {
    grading_scheme(scheme).class_scale()
}

fn grading_scheme(code: &str) -> &'static dyn GradingScheme {
    crate::grading::scheme(code).unwrap_or(&Iqoa)
}

/// Quadratic-weighted Cohen's kappa of two raters over the same items,
/// categories 1..=k. `None` when undefined (no items, or no spread at all).
///
/// ```
/// use voussoir_core::agreement::weighted_kappa;
/// assert_eq!(weighted_kappa(&[(1, 1), (2, 2), (3, 3)], 3), Some(1.0));
/// assert_eq!(weighted_kappa(&[(1, 2), (2, 1)], 2), Some(-1.0));
/// ```
pub fn weighted_kappa(pairs: &[(usize, usize)], k: usize) -> Option<f64> {
    weighted_kappa_with(pairs, k, false)
}

/// Weighted Cohen's kappa with linear weights (`linear`) or quadratic ones.
pub fn weighted_kappa_with(pairs: &[(usize, usize)], k: usize, linear: bool) -> Option<f64> {
    if pairs.is_empty() || k < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mut table = vec![vec![0.0; k]; k];
    for (a, b) in pairs {
        if *a == 0 || *b == 0 || *a > k || *b > k {
            return None;
        }
        table[a - 1][b - 1] += 1.0;
    }
    let rows: Vec<f64> = table.iter().map(|row| row.iter().sum()).collect();
    let columns: Vec<f64> = (0..k)
        .map(|j| table.iter().map(|row| row[j]).sum())
        .collect();
    let weight = |i: usize, j: usize| {
        let difference = (i as f64 - j as f64).abs();
        if linear {
            1.0 - difference / (k - 1) as f64
        } else {
            1.0 - difference * difference / ((k - 1) * (k - 1)) as f64
        }
    };
    let mut observed = 0.0;
    let mut expected = 0.0;
    for i in 0..k {
        for j in 0..k {
            observed += weight(i, j) * table[i][j] / n;
            expected += weight(i, j) * rows[i] * columns[j] / (n * n);
        }
    }
    if (1.0 - expected).abs() < 1e-12 {
        return None;
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Fleiss' kappa from a table of subjects × categories counts, each row
/// summing to the same number of raters n ≥ 2.
///
/// ```
/// use voussoir_core::agreement::fleiss_kappa;
/// // Three subjects, two raters who always agree.
/// let counts = vec![vec![2, 0], vec![0, 2], vec![2, 0]];
/// assert!((fleiss_kappa(&counts).unwrap() - 1.0).abs() < 1e-12);
/// ```
pub fn fleiss_kappa(counts: &[Vec<usize>]) -> Option<f64> {
    let subjects = counts.len();
    let raters: usize = counts.first()?.iter().sum();
    if subjects == 0 || raters < 2 || counts.iter().any(|row| row.iter().sum::<usize>() != raters) {
        return None;
    }
    let categories = counts[0].len();
    let total = (subjects * raters) as f64;
    let shares: Vec<f64> = (0..categories)
        .map(|j| counts.iter().map(|row| row[j]).sum::<usize>() as f64 / total)
        .collect();
    let agreement: f64 = counts
        .iter()
        .map(|row| {
            let squares: usize = row.iter().map(|count| count * count).sum();
            (squares - raters) as f64 / (raters * (raters - 1)) as f64
        })
        .sum::<f64>()
        / subjects as f64;
    let chance: f64 = shares.iter().map(|share| share * share).sum();
    if (1.0 - chance).abs() < 1e-12 {
        return None;
    }
    Some((agreement - chance) / (1.0 - chance))
}

/// ICC(2,1), two-way random effects, absolute agreement, single rater:
/// `ratings[target][rater]`, a complete table.
///
/// ```
/// use voussoir_core::agreement::icc_2_1;
/// // Shrout & Fleiss (1979): six targets, four judges, ICC(2,1) = 0.29.
/// let ratings = vec![
///     vec![9.0, 2.0, 5.0, 8.0], vec![6.0, 1.0, 3.0, 2.0], vec![8.0, 4.0, 6.0, 8.0],
///     vec![7.0, 1.0, 2.0, 6.0], vec![10.0, 5.0, 6.0, 9.0], vec![6.0, 2.0, 4.0, 7.0],
/// ];
/// assert!((icc_2_1(&ratings).unwrap() - 0.29).abs() < 0.005);
/// ```
pub fn icc_2_1(ratings: &[Vec<f64>]) -> Option<f64> {
    let n = ratings.len();
    let k = ratings.first()?.len();
    if n < 2 || k < 2 || ratings.iter().any(|row| row.len() != k) {
        return None;
    }
    let all = (n * k) as f64;
    let grand = ratings.iter().flatten().sum::<f64>() / all;
    let row_means: Vec<f64> = ratings
        .iter()
        .map(|row| row.iter().sum::<f64>() / k as f64)
        .collect();
    let column_means: Vec<f64> = (0..k)
        .map(|j| ratings.iter().map(|row| row[j]).sum::<f64>() / n as f64)
        .collect();
    let ss_rows = k as f64
        * row_means
            .iter()
            .map(|mean| (mean - grand).powi(2))
            .sum::<f64>();
    let ss_columns = n as f64
        * column_means
            .iter()
            .map(|mean| (mean - grand).powi(2))
            .sum::<f64>();
    let ss_total: f64 = ratings
        .iter()
        .flatten()
        .map(|value| (value - grand).powi(2))
        .sum();
    let ss_error = ss_total - ss_rows - ss_columns;
    let ms_rows = ss_rows / (n - 1) as f64;
    let ms_columns = ss_columns / (k - 1) as f64;
    let ms_error = ss_error / ((n - 1) * (k - 1)) as f64;
    let denominator =
        ms_rows + (k - 1) as f64 * ms_error + k as f64 * (ms_columns - ms_error) / n as f64;
    if denominator.abs() < 1e-12 {
        return None;
    }
    Some((ms_rows - ms_error) / denominator)
}

/// Landis & Koch's words for a kappa (the reference marks these bands as
/// unconfirmed).
pub fn kappa_words(kappa: f64) -> &'static str {
    match kappa {
        value if value < 0.0 => "poor",
        value if value <= 0.20 => "slight",
        value if value <= 0.40 => "fair",
        value if value <= 0.60 => "moderate",
        value if value <= 0.80 => "substantial",
        _ => "almost perfect",
    }
}

/// One trainee's grades for a structure.
#[derive(Debug, Clone)]
pub struct Rater<'a> {
    pub inspection: i64,
    pub inspector: String,
    pub grading: &'a Grading,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentAgreement {
    pub component: String,
    pub reference: Option<String>,
    /// Trainee classes, in the order of `trainees`.
    pub classes: Vec<Option<String>>,
    /// Mean of trainee ranks minus the reference rank: positive means the
    /// class graded it worse than the reference.
    pub mean_bias: Option<f64>,
    pub exact_share: Option<f64>,
    pub within_one_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraineeAgreement {
    pub inspection: i64,
    pub inspector: String,
    /// Quadratic-weighted Cohen's kappa against the reference.
    pub weighted_kappa: Option<f64>,
    pub kappa_words: Option<&'static str>,
    pub exact_share: Option<f64>,
    pub within_one_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub scheme: String,
    pub trainees: Vec<TraineeAgreement>,
    pub components: Vec<ComponentAgreement>,
    /// Across the class, on components every trainee graded.
    pub fleiss_kappa: Option<f64>,
    pub icc_2_1: Option<f64>,
    /// Share of trainee ratings within one step of the component's mean
    /// trainee rating (the FHWA study's measure).
    pub within_one_of_mean: Option<f64>,
    /// Share within one step of the median (the NYSDOT study's measure).
    pub within_one_of_median: Option<f64>,
    /// Components every trainee graded (used for Fleiss and ICC).
    pub components_compared: usize,
}

fn share(count: usize, total: usize) -> Option<f64> {
    (total > 0).then(|| count as f64 / total as f64)
}

/// Measures agreement among trainees and with the reference, for one
/// structure graded in one scheme.
pub fn agreement(reference: Option<&Grading>, trainees: &[Rater<'_>]) -> Agreement {
    let scheme = reference
        .map(|grading| grading.scheme)
        .or_else(|| trainees.first().map(|rater| rater.grading.scheme))
        .unwrap_or("iqoa")
        .to_string();
    let class_of = |grading: &Grading, component: &str| -> Option<String> {
        grading
            .components
            .iter()
            .find(|grade| grade.component == component)
            .map(|grade| grade.class.clone())
    };
    let codes: Vec<String> = reference
        .or_else(|| trainees.first().map(|rater| rater.grading))
        .map(|grading| {
            grading
                .components
                .iter()
                .map(|grade| grade.component.clone())
                .collect()
        })
        .unwrap_or_default();

    let mut components = Vec::new();
    let mut complete_rows: Vec<Vec<usize>> = Vec::new();
    let mut near_mean = (0usize, 0usize);
    let mut near_median = (0usize, 0usize);
    for code in &codes {
        let reference_class = reference.and_then(|grading| class_of(grading, code));
        let reference_rank = reference_class
            .as_deref()
            .and_then(|class| rank(&scheme, class));
        let classes: Vec<Option<String>> = trainees
            .iter()
            .map(|rater| class_of(rater.grading, code))
            .collect();
        let ranks: Vec<usize> = classes
            .iter()
            .filter_map(|class| class.as_deref().and_then(|class| rank(&scheme, class)))
            .collect();
        let (mean_bias, exact_share, within_one_share) = match reference_rank {
            Some(expected) if !ranks.is_empty() => {
                let bias = ranks
                    .iter()
                    .map(|rank| *rank as f64 - expected as f64)
                    .sum::<f64>()
                    / ranks.len() as f64;
                let exact = ranks.iter().filter(|rank| **rank == expected).count();
                let within = ranks
                    .iter()
                    .filter(|rank| rank.abs_diff(expected) <= 1)
                    .count();
                (
                    Some(bias),
                    share(exact, ranks.len()),
                    share(within, ranks.len()),
                )
            }
            _ => (None, None, None),
        };
        if !ranks.is_empty() {
            let mean = ranks.iter().sum::<usize>() as f64 / ranks.len() as f64;
            let mut sorted = ranks.clone();
            sorted.sort_unstable();
            let median = if sorted.len() % 2 == 1 {
                sorted[sorted.len() / 2] as f64
            } else {
                (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) as f64 / 2.0
            };
            near_mean.0 += ranks
                .iter()
                .filter(|rank| (**rank as f64 - mean).abs() <= 1.0)
                .count();
            near_mean.1 += ranks.len();
            near_median.0 += ranks
                .iter()
                .filter(|rank| (**rank as f64 - median).abs() <= 1.0)
                .count();
            near_median.1 += ranks.len();
        }
        if ranks.len() == trainees.len() && trainees.len() >= 2 {
            complete_rows.push(ranks.clone());
        }
        components.push(ComponentAgreement {
            component: code.clone(),
            reference: reference_class,
            classes,
            mean_bias,
            exact_share,
            within_one_share,
        });
    }

    let size = scale_size(&scheme);
    let trainee_agreement = trainees
        .iter()
        .map(|rater| {
            let pairs: Vec<(usize, usize)> = codes
                .iter()
                .filter_map(|code| {
                    let expected = reference
                        .and_then(|grading| class_of(grading, code))
                        .and_then(|class| rank(&scheme, &class))?;
                    let given =
                        class_of(rater.grading, code).and_then(|class| rank(&scheme, &class))?;
                    Some((expected, given))
                })
                .collect();
            let kappa = weighted_kappa(&pairs, size);
            TraineeAgreement {
                inspection: rater.inspection,
                inspector: rater.inspector.clone(),
                weighted_kappa: kappa.map(|value| (value * 1000.0).round() / 1000.0),
                kappa_words: kappa.map(kappa_words),
                exact_share: share(pairs.iter().filter(|(a, b)| a == b).count(), pairs.len()),
                within_one_share: share(
                    pairs.iter().filter(|(a, b)| a.abs_diff(*b) <= 1).count(),
                    pairs.len(),
                ),
            }
        })
        .collect();

    let counts: Vec<Vec<usize>> = complete_rows
        .iter()
        .map(|ranks| {
            let mut row = vec![0; size];
            for rank in ranks {
                row[rank - 1] += 1;
            }
            row
        })
        .collect();
    let table: Vec<Vec<f64>> = complete_rows
        .iter()
        .map(|ranks| ranks.iter().map(|rank| *rank as f64).collect())
        .collect();
    let round = |value: f64| (value * 1000.0).round() / 1000.0;
    Agreement {
        scheme,
        trainees: trainee_agreement,
        components,
        fleiss_kappa: fleiss_kappa(&counts).map(round),
        icc_2_1: icc_2_1(&table).map(round),
        within_one_of_mean: share(near_mean.0, near_mean.1),
        within_one_of_median: share(near_median.0, near_median.1),
        components_compared: complete_rows.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::test_support::{bridge, defect, inspection};
    use crate::grading::{grade_inspection, Iqoa};

    #[test]
    fn fleiss_kappa_matches_the_textbook_example() {
        // Fleiss (1971) as reproduced widely: 10 subjects, 14 raters, κ = 0.210.
        let counts = vec![
            vec![0, 0, 0, 0, 14],
            vec![0, 2, 6, 4, 2],
            vec![0, 0, 3, 5, 6],
            vec![0, 3, 9, 2, 0],
            vec![2, 2, 8, 1, 1],
            vec![7, 7, 0, 0, 0],
            vec![3, 2, 6, 3, 0],
            vec![2, 5, 3, 2, 2],
            vec![6, 5, 2, 1, 0],
            vec![0, 2, 2, 3, 7],
        ];
        let kappa = fleiss_kappa(&counts).expect("defined");
        assert!((kappa - 0.210).abs() < 0.001, "{kappa}");
    }

    #[test]
    fn icc_matches_shrout_and_fleiss() {
        let ratings = vec![
            vec![9.0, 2.0, 5.0, 8.0],
            vec![6.0, 1.0, 3.0, 2.0],
            vec![8.0, 4.0, 6.0, 8.0],
            vec![7.0, 1.0, 2.0, 6.0],
            vec![10.0, 5.0, 6.0, 9.0],
            vec![6.0, 2.0, 4.0, 7.0],
        ];
        let icc = icc_2_1(&ratings).expect("defined");
        assert!((icc - 0.290).abs() < 0.002, "{icc}");
    }

    #[test]
    fn weighted_kappa_penalises_far_misses_more() {
        let near = weighted_kappa(&[(1, 1), (2, 3), (3, 3), (4, 4), (5, 5)], 5).expect("near");
        let far = weighted_kappa(&[(1, 1), (2, 5), (3, 3), (4, 4), (5, 5)], 5).expect("far");
        assert!(near > far, "{near} {far}");
        assert_eq!(weighted_kappa(&[], 5), None);
    }

    #[test]
    fn ranks_follow_each_scheme() {
        assert_eq!(rank("iqoa", "1"), Some(1));
        assert_eq!(rank("iqoa", "3U"), Some(5));
        assert_eq!(rank("iqoa", "NE"), None);
        assert_eq!(rank("nbi", "9"), Some(1));
        assert_eq!(rank("nbi", "0"), Some(10));
        assert_eq!(rank("nbi", "N"), None);
        assert_eq!(kappa_words(0.5), "moderate");
    }

    #[test]
    fn a_class_grading_like_the_reference_agrees_fully() {
        let structure = bridge();
        let defects = [
            defect(1, "P1", "CON-CRACK", Some("2E")),
            defect(2, "T1", "CON-SPALL", Some("3")),
        ];
        let reference = grade_inspection(&Iqoa, &structure, &inspection("iqoa", &[]), &defects);
        let same = reference.clone();
        let off = grade_inspection(
            &Iqoa,
            &structure,
            &inspection("iqoa", &[]),
            &[
                defect(3, "P1", "CON-CRACK", Some("2")),
                defect(4, "T1", "CON-SPALL", Some("3U")),
            ],
        );
        let raters = [
            Rater {
                inspection: 2,
                inspector: "alice".into(),
                grading: &same,
            },
            Rater {
                inspection: 3,
                inspector: "bob".into(),
                grading: &off,
            },
        ];
        let result = agreement(Some(&reference), &raters);
        assert_eq!(result.trainees[0].weighted_kappa, Some(1.0));
        assert!(result.trainees[1].weighted_kappa.expect("kappa") < 1.0);
        let pier = result
            .components
            .iter()
            .find(|component| component.component == "P1")
            .expect("P1");
        assert_eq!(pier.exact_share, Some(0.5));
        assert_eq!(pier.within_one_share, Some(1.0));
        assert_eq!(pier.mean_bias, Some(-0.5));
        assert_eq!(result.components_compared, bridge().components.len());
        assert!(result.icc_2_1.is_some() && result.fleiss_kappa.is_some());
    }
}
