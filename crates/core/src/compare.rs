//! Comparing a trainee's inspection with the instructor's reference of the
//! same structure: which reference defects were found, missed or invented,
//! how far off the severities and positions were, how the grades differ,
//! and a suggested mark out of 20 from a documented rubric.
//!
//! Defects are matched one to one by an optimal assignment (the Hungarian
//! algorithm): a pair is possible when both are on the same component,
//! their types belong to the same catalogue family, and, when both are
//! positioned, they lie within the distance tolerance. Among assignments
//! with the most matches, the one with the smallest total severity and
//! position error wins.

use serde::Serialize;

use crate::assignment::hungarian;
use crate::catalogue;
use crate::grading::{Grading, GradingScheme};
use crate::model::Defect;

/// Settings of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompareOptions {
    /// Largest distance between two positioned defects that can match, m.
    pub tolerance_m: f64,
    pub rubric: Rubric,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            tolerance_m: 10.0,
            rubric: Rubric::default(),
        }
    }
}

/// Points out of 20 for each part of the mark; they add up to 20.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rubric {
    /// Share of reference defects found.
    pub detection: f64,
    /// Share of the trainee's defects that are real (no false findings).
    pub precision: f64,
    /// Severity agreement on matched defects (exact counts fully, one step
    /// off counts half).
    pub severity: f64,
    /// Structure grade: full when equal, half when one step off.
    pub structure_grade: f64,
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric {
            detection: 8.0,
            precision: 4.0,
            severity: 4.0,
            structure_grade: 4.0,
        }
    }
}

/// A reference defect and the trainee defect matched to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedPair {
    pub reference_id: i64,
    pub trainee_id: i64,
    pub component: String,
    pub reference_type: String,
    pub trainee_type: String,
    pub reference_severity: Option<String>,
    pub trainee_severity: Option<String>,
    /// Trainee minus reference on the common ladder: positive means the
    /// trainee graded it worse. `None` when either is ungraded.
    pub severity_difference: Option<i32>,
    /// Distance between the two positions, metres, when both have one.
    pub position_error_m: Option<f64>,
}

/// A defect present on one side only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unmatched {
    pub id: i64,
    pub component: String,
    #[serde(rename = "type")]
    pub type_code: String,
    pub severity: Option<String>,
}

/// A component or structure grade on both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeDifference {
    pub code: String,
    pub reference: String,
    pub trainee: String,
    /// Trainee minus reference in steps of the scheme's scale, when both
    /// are on it.
    pub difference: Option<i32>,
}

/// Summary figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub reference_defects: usize,
    pub trainee_defects: usize,
    pub matched: usize,
    /// Matched / reference defects (1 when the reference has none).
    pub detection_rate: f64,
    /// Matched / trainee defects (1 when the trainee recorded none).
    pub precision: f64,
    /// Share of matched pairs with the same severity.
    pub severity_exact: f64,
    /// Share of matched pairs at most one step apart.
    pub severity_within_one: f64,
    pub mean_position_error_m: Option<f64>,
}

/// The suggested mark with its parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    /// Out of 20, rounded to the half point.
    pub suggested: crate::mark::Mark,
    pub detection: f64,
    pub precision: f64,
    pub severity: f64,
    pub structure_grade: f64,
    pub rubric: Rubric,
}

/// A whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub matched: Vec<MatchedPair>,
    pub missed: Vec<Unmatched>,
    pub extra: Vec<Unmatched>,
    pub component_grades: Vec<GradeDifference>,
    pub structure_grade: GradeDifference,
    pub metrics: Metrics,
    pub mark: Mark,
    pub tolerance_m: f64,
}

fn family(type_code: &str) -> Option<catalogue::Family> {
    catalogue::find(type_code).map(|entry| entry.family)
}

fn step(scheme: &dyn GradingScheme, severity: Option<&str>) -> Option<i32> {
    severity
        .and_then(|severity| scheme.to_step(severity))
        .map(|step| i32::from(step.step))
}

/// The position of a class on the scheme's ordinal scale: IQOA 1..3U as
/// 1..5, NBI codes 0..9 reversed so that larger is worse, good/fair/poor
/// as 1..3.
fn class_rank(scheme: &str, class: &str) -> Option<i32> {
    if scheme == "nbi" {
        return match class {
            "good" => Some(1),
            "fair" => Some(2),
            "poor" => Some(3),
            _ => class.parse::<i32>().ok().map(|code| 9 - code),
        };
    }
    crate::grading::IqoaClass::parse(class).map(|(class, _)| i32::from(class.ordinal()))
}

fn unmatched(defect: &Defect) -> Unmatched {
    Unmatched {
        id: defect.id,
        component: defect.component.clone(),
        type_code: defect.type_code.clone(),
        severity: defect.severity.clone(),
    }
}

/// Cost of pairing two defects, or `None` when they cannot be the same
/// defect: another component, another family of defect, or positions
/// further apart than the tolerance. Severity disagreement weighs most,
/// then distance, then a different type of the same family.
fn pairing_cost(
    scheme: &dyn GradingScheme,
    reference: &Defect,
    trainee: &Defect,
    tolerance_m: f64,
) -> Option<f64> {
    if !reference.component.eq_ignore_ascii_case(&trainee.component) {
        return None;
    }
    if family(&reference.type_code)? != family(&trainee.type_code)? {
        return None;
    }
    let distance = match (reference.position, trainee.position) {
        (Some(p), Some(q)) => {
            let distance = p.distance_m(q);
            if distance > tolerance_m {
                return None;
            }
            distance
        }
        _ => 0.0,
    };
    let severity = match (
        step(scheme, reference.severity.as_deref()),
        step(scheme, trainee.severity.as_deref()),
    ) {
        (Some(x), Some(y)) => f64::from((x - y).abs()),
        _ => 1.0,
    };
    let same_type = if reference.type_code == trainee.type_code {
        0.0
    } else {
        0.5
    };
    Some(severity * 10.0 + distance + same_type)
}

/// The optimal one-to-one pairing of reference and trainee defects, as
/// (reference index, trainee index) pairs.
fn pair_defects(
    scheme: &dyn GradingScheme,
    reference: &[Defect],
    trainee: &[Defect],
    tolerance_m: f64,
) -> Vec<(usize, usize)> {
    // Impossible pairs cost more than every possible pair together, so the
    // assignment maximises matches first.
    const IMPOSSIBLE: f64 = 1e9;
    // Rows are the smaller side.
    let reference_is_rows = reference.len() <= trainee.len();
    let (rows, columns) = if reference_is_rows {
        (reference, trainee)
    } else {
        (trainee, reference)
    };
    if columns.is_empty() {
        return Vec::new();
    }
    let oriented = |row: usize, column: usize| {
        if reference_is_rows {
            (row, column)
        } else {
            (column, row)
        }
    };
    let costs: Vec<Vec<f64>> = (0..rows.len())
        .map(|row| {
            (0..columns.len())
                .map(|column| {
                    let (r, t) = oriented(row, column);
                    pairing_cost(scheme, &reference[r], &trainee[t], tolerance_m)
                        .unwrap_or(IMPOSSIBLE)
                })
                .collect()
        })
        .collect();
    hungarian(&costs)
        .into_iter()
        .enumerate()
        .filter(|(row, column)| *column != usize::MAX && costs[*row][*column] < IMPOSSIBLE)
        .map(|(row, column)| oriented(row, column))
        .collect()
}

/// A matched pair with its severity and position differences.
fn matched_pair(scheme: &dyn GradingScheme, reference: &Defect, trainee: &Defect) -> MatchedPair {
    MatchedPair {
        reference_id: reference.id,
        trainee_id: trainee.id,
        component: reference.component.clone(),
        reference_type: reference.type_code.clone(),
        trainee_type: trainee.type_code.clone(),
        reference_severity: reference.severity.clone(),
        trainee_severity: trainee.severity.clone(),
        severity_difference: match (
            step(scheme, reference.severity.as_deref()),
            step(scheme, trainee.severity.as_deref()),
        ) {
            (Some(r), Some(t)) => Some(t - r),
            _ => None,
        },
        position_error_m: match (reference.position, trainee.position) {
            (Some(p), Some(q)) => Some((p.distance_m(q) * 10.0).round() / 10.0),
            _ => None,
        },
    }
}

/// The defects of one side that no pair uses.
fn unpaired(defects: &[Defect], used: impl Fn(usize) -> bool) -> Vec<Unmatched> {
    defects
        .iter()
        .enumerate()
        .filter(|(index, _)| !used(*index))
        .map(|(_, defect)| unmatched(defect))
        .collect()
}

/// Component and structure grades, reference against trainee.
fn grade_differences(
    reference: &Grading,
    trainee: &Grading,
) -> (Vec<GradeDifference>, GradeDifference) {
    let difference = |code: &str, reference_class: &str, trainee_class: &str| GradeDifference {
        code: code.to_string(),
        reference: reference_class.to_string(),
        trainee: trainee_class.to_string(),
        difference: match (
            class_rank(reference.scheme, reference_class),
            class_rank(reference.scheme, trainee_class),
        ) {
            (Some(r), Some(t)) => Some(t - r),
            _ => None,
        },
    };
    let components = reference
        .components
        .iter()
        .filter_map(|grade| {
            let theirs = trainee
                .components
                .iter()
                .find(|other| other.component == grade.component)?;
            Some(difference(&grade.component, &grade.class, &theirs.class))
        })
        .collect();
    let structure = difference(
        "structure",
        &reference.structure.class,
        &trainee.structure.class,
    );
    (components, structure)
}

/// Detection, precision, severity agreement and position error.
fn metrics(reference_count: usize, trainee_count: usize, matched: &[MatchedPair]) -> Metrics {
    let share = |count: usize, total: usize| {
        if total == 0 {
            1.0
        } else {
            count as f64 / total as f64
        }
    };
    let graded: Vec<i32> = matched
        .iter()
        .filter_map(|pair| pair.severity_difference)
        .collect();
    let graded_share = |predicate: fn(&i32) -> bool| {
        if graded.is_empty() {
            0.0
        } else {
            share(graded.iter().filter(|d| predicate(d)).count(), graded.len())
        }
    };
    let errors: Vec<f64> = matched
        .iter()
        .filter_map(|pair| pair.position_error_m)
        .collect();
    Metrics {
        reference_defects: reference_count,
        trainee_defects: trainee_count,
        matched: matched.len(),
        detection_rate: share(matched.len(), reference_count),
        precision: share(matched.len(), trainee_count),
        severity_exact: graded_share(|difference| *difference == 0),
        severity_within_one: graded_share(|difference| difference.abs() <= 1),
        mean_position_error_m: if errors.is_empty() {
            None
        } else {
            Some((errors.iter().sum::<f64>() / errors.len() as f64 * 10.0).round() / 10.0)
        },
    }
}

/// The suggested mark from the rubric: detection and precision shares,
/// severity agreement (half credit one step off), the structure grade.
fn suggested_mark(rubric: Rubric, metrics: &Metrics, structure_grade: &GradeDifference) -> Mark {
    let severity_score = (metrics.severity_exact + metrics.severity_within_one) / 2.0;
    let structure_score = match structure_grade.difference {
        Some(0) => 1.0,
        Some(difference) if difference.abs() == 1 => 0.5,
        _ => 0.0,
    };
    let parts = [
        rubric.detection * metrics.detection_rate,
        rubric.precision * metrics.precision,
        rubric.severity * severity_score,
        rubric.structure_grade * structure_score,
    ];
    let round = |value: f64| (value * 100.0).round() / 100.0;
    Mark {
        suggested: crate::mark::Mark::from_points(parts.iter().sum()),
        detection: round(parts[0]),
        precision: round(parts[1]),
        severity: round(parts[2]),
        structure_grade: round(parts[3]),
        rubric,
    }
}

/// Compares a trainee's defects and grading with the reference's, both in
/// the same scheme.
pub fn compare(
    scheme: &dyn GradingScheme,
    reference: (&[Defect], &Grading),
    trainee: (&[Defect], &Grading),
    options: CompareOptions,
) -> Comparison {
    let (reference_defects, reference_grading) = reference;
    let (trainee_defects, trainee_grading) = trainee;
    let pairs = pair_defects(
        scheme,
        reference_defects,
        trainee_defects,
        options.tolerance_m,
    );
    let mut matched: Vec<MatchedPair> = pairs
        .iter()
        .map(|(r, t)| matched_pair(scheme, &reference_defects[*r], &trainee_defects[*t]))
        .collect();
    matched.sort_by_key(|pair| pair.reference_id);
    let missed = unpaired(reference_defects, |index| {
        pairs.iter().any(|(r, _)| *r == index)
    });
    let extra = unpaired(trainee_defects, |index| {
        pairs.iter().any(|(_, t)| *t == index)
    });
    let (component_grades, structure_grade) = grade_differences(reference_grading, trainee_grading);
    let metrics = metrics(reference_defects.len(), trainee_defects.len(), &matched);
    let mark = suggested_mark(options.rubric, &metrics, &structure_grade);
    Comparison {
        matched,
        missed,
        extra,
        component_grades,
        structure_grade,
        metrics,
        mark,
        tolerance_m: options.tolerance_m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::test_support::{bridge, defect, inspection};
    use crate::grading::{grade_inspection, Iqoa};
    use crate::LonLat;

    fn run(reference: &[Defect], trainee: &[Defect]) -> Comparison {
        let structure = bridge();
        let reference_grading =
            grade_inspection(&Iqoa, &structure, &inspection("iqoa", &[]), reference);
        let trainee_grading =
            grade_inspection(&Iqoa, &structure, &inspection("iqoa", &[]), trainee);
        compare(
            &Iqoa,
            (reference, &reference_grading),
            (trainee, &trainee_grading),
            CompareOptions::default(),
        )
    }

    fn at(mut defect: Defect, lat: f64) -> Defect {
        defect.position = Some(LonLat { lon: 0.0, lat });
        defect
    }

    #[test]
    fn the_hungarian_algorithm_finds_the_cheapest_assignment() {
        let costs = vec![
            vec![4.0, 1.0, 3.0],
            vec![2.0, 0.0, 5.0],
            vec![3.0, 2.0, 2.0],
        ];
        let assignment = hungarian(&costs);
        let total: f64 = assignment
            .iter()
            .enumerate()
            .map(|(row, column)| costs[row][*column])
            .sum();
        assert_eq!(total, 5.0);
    }

    #[test]
    fn identical_inspections_match_fully_and_score_20() {
        let defects = [
            defect(1, "P1", "CON-CRACK", Some("2")),
            defect(2, "T1", "CON-SPALL", Some("3")),
        ];
        let comparison = run(&defects, &defects);
        assert_eq!(comparison.matched.len(), 2);
        assert!(comparison.missed.is_empty() && comparison.extra.is_empty());
        assert_eq!(comparison.metrics.detection_rate, 1.0);
        assert_eq!(comparison.metrics.severity_exact, 1.0);
        assert_eq!(comparison.mark.suggested.value(), 20.0);
    }

    #[test]
    fn matching_needs_the_same_component_and_family() {
        let reference = [defect(1, "P1", "CON-CRACK", Some("2"))];
        let other_component = [defect(10, "P2", "CON-CRACK", Some("2"))];
        assert_eq!(run(&reference, &other_component).matched.len(), 0);
        let other_family = [defect(10, "P1", "CON-SPALL", Some("2"))];
        assert_eq!(run(&reference, &other_family).matched.len(), 0);
        // Map cracking is the cracking family: it counts.
        let same_family = [defect(10, "P1", "CON-MAPCRACK", Some("2"))];
        assert_eq!(run(&reference, &same_family).matched.len(), 1);
    }

    #[test]
    fn positioned_defects_farther_than_the_tolerance_do_not_match() {
        let reference = [at(defect(1, "P1", "CON-CRACK", Some("2")), 0.0)];
        let near = [at(defect(10, "P1", "CON-CRACK", Some("2")), 0.00005)];
        let far = [at(defect(10, "P1", "CON-CRACK", Some("2")), 0.001)];
        let comparison = run(&reference, &near);
        assert_eq!(comparison.matched.len(), 1);
        assert!((comparison.matched[0].position_error_m.expect("error") - 5.6).abs() < 0.1);
        assert_eq!(run(&reference, &far).matched.len(), 0);
    }

    #[test]
    fn the_assignment_maximises_matches_where_greedy_would_not() {
        // Trainee 10 is compatible with both references, trainee 11 only
        // with reference 1. Greedy pairing 1–10 first would leave 2 alone.
        let reference = [
            at(defect(1, "P1", "CON-CRACK", Some("2")), 0.0),
            at(defect(2, "P1", "CON-CRACK", Some("2")), 0.00006),
        ];
        let trainee = [
            at(defect(10, "P1", "CON-CRACK", Some("2")), 0.00001),
            at(defect(11, "P1", "CON-CRACK", Some("2")), -0.00004),
        ];
        let comparison = run(&reference, &trainee);
        assert_eq!(comparison.matched.len(), 2);
        let pair_of = |reference_id| {
            comparison
                .matched
                .iter()
                .find(|pair| pair.reference_id == reference_id)
                .map(|pair| pair.trainee_id)
        };
        assert_eq!(pair_of(1), Some(11));
        assert_eq!(pair_of(2), Some(10));
    }

    #[test]
    fn missed_and_extra_defects_lower_detection_and_precision() {
        let reference = [
            defect(1, "P1", "CON-CRACK", Some("2")),
            defect(2, "T1", "CON-SPALL", Some("3")),
        ];
        let trainee = [
            defect(10, "P1", "CON-CRACK", Some("2E")),
            defect(11, "C0", "CON-EFFLO", Some("2")),
        ];
        let comparison = run(&reference, &trainee);
        assert_eq!(comparison.missed.len(), 1);
        assert_eq!(comparison.missed[0].id, 2);
        assert_eq!(comparison.extra.len(), 1);
        assert_eq!(comparison.extra[0].id, 11);
        assert_eq!(comparison.metrics.detection_rate, 0.5);
        assert_eq!(comparison.metrics.precision, 0.5);
        assert_eq!(comparison.matched[0].severity_difference, Some(1));
        assert_eq!(comparison.metrics.severity_exact, 0.0);
        assert_eq!(comparison.metrics.severity_within_one, 1.0);
        // 8 × 0.5 + 4 × 0.5 + 4 × 0.5 + structure 3 vs 2E: one step, 2.
        assert_eq!(comparison.mark.suggested.value(), 10.0);
        assert_eq!(comparison.structure_grade.difference, Some(-1));
    }

    #[test]
    fn an_empty_trainee_inspection_finds_nothing_and_invents_nothing() {
        let reference = [defect(1, "P1", "CON-CRACK", Some("2"))];
        let comparison = run(&reference, &[]);
        assert_eq!(comparison.metrics.detection_rate, 0.0);
        assert_eq!(comparison.metrics.precision, 1.0);
        assert_eq!(comparison.missed.len(), 1);
    }

    #[test]
    fn component_grade_differences_are_listed() {
        let reference = [defect(1, "P1", "CON-CRACK", Some("3"))];
        let trainee = [defect(10, "P1", "CON-CRACK", Some("2"))];
        let comparison = run(&reference, &trainee);
        let pier = comparison
            .component_grades
            .iter()
            .find(|grade| grade.code == "P1")
            .expect("P1");
        assert_eq!(
            (
                pier.reference.as_str(),
                pier.trainee.as_str(),
                pier.difference
            ),
            ("3", "2", Some(-2))
        );
    }
}
