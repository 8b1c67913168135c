//! Comparing a trainee's inspection with the instructor's reference of the
//! same structure: which reference defects were found, missed or invented,
//! how far off the severities and positions were, how the grades differ,
//! and a suggested mark out of 20 from a documented rubric.
//!
//! Defects are matched one to one by an optimal assignment (the Hungarian
//! algorithm): a pair is possible when both are on the same component,
//! their types are the same or related (same family, or a pair the
//! catalogue lists), and, when both are positioned, they lie within the
//! distance tolerance. Among assignments with the most matches, the one
//! with the smallest total severity and position error wins.
//!
//! The mark (docs/rubric.md) has three parts. *Findings*: the F-measure of
//! the credit-weighted found share and the real share of the trainee's
//! defects, so that recording nothing earns nothing and inventing always
//! costs. *Severity*: agreement on each reference defect (exact, one step
//! of the scheme's own scale, the S mention), diluted by inventions.
//! *Grades*: the trainee's own grades (or, without them, those their
//! defects imply) against the reference's, for the structure and each
//! component.

use serde::Serialize;

pub mod changes;
mod rubric;

use rubric::suggested_mark;
pub use rubric::{
    DefectCredit, Mark, Outcome, Rubric, RELATED_TYPE_CREDIT, SAFETY_MENTION_COST,
    UNPOSITIONED_CREDIT,
};

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
    /// Trainee minus reference in steps of the scheme's own scale
    /// (IQOA 1, 2, 2E, 3, 3U; NBI inherent, minor, moderate, major):
    /// positive means the trainee graded it worse. `None` when either is
    /// ungraded.
    pub severity_difference: Option<i32>,
    /// Whether the S (user safety) mention differs.
    pub safety_differs: bool,
    /// Distance between the two positions, metres, when both have one.
    pub position_error_m: Option<f64>,
    /// `same` or `related` types.
    pub kinship: catalogue::Kinship,
    /// Finding credit of the pair, 0 to 1: 1 for the same type, positioned
    /// within tolerance; less for a related type or a match by component
    /// only.
    pub credit: f64,
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
    /// The grade the reference's defects imply; differs from `reference`
    /// when the instructor overrode it.
    pub reference_computed: String,
    /// The instructor's reason for overriding the computed grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_reason: Option<String>,
    /// Where the trainee's grade comes from: `own` (given) or `computed`
    /// (implied by the defects).
    pub trainee_source: &'static str,
    /// The grade the trainee's defects imply, beside the given one.
    pub trainee_computed: String,
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

/// A severity's place on the scheme's own scale (IQOA 1 < 2 < 2E < 3 <
/// 3U, NBI inherent < minor < moderate < major), with its S mention.
fn severity_rank(scheme: &dyn GradingScheme, severity: Option<&str>) -> Option<(i32, bool)> {
    let step = scheme.to_step(severity?)?;
    let canonical = scheme.severity_at_step(crate::grading::SeverityStep {
        step: step.step,
        safety: false,
    });
    let rank = scheme
        .severities()
        .iter()
        .filter(|info| scheme.to_step(info.code).is_some())
        .position(|info| info.code == canonical)?;
    Some((i32::try_from(rank).unwrap_or(0), step.safety))
}

fn step(scheme: &dyn GradingScheme, severity: Option<&str>) -> Option<i32> {
    severity_rank(scheme, severity).map(|(rank, _)| rank)
}

/// The position of a class on the scheme's ordinal scale, larger worse.
fn class_rank(scheme: &str, class: &str) -> Option<i32> {
    crate::agreement::rank(scheme, class).and_then(|rank| i32::try_from(rank).ok())
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
    let kinship = catalogue::kinship(&reference.type_code, &trainee.type_code);
    if kinship == catalogue::Kinship::Unrelated {
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
    let same_type = if kinship == catalogue::Kinship::Same {
        0.0
    } else {
        5.0
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

/// A matched pair with its severity and position differences and credit.
fn matched_pair(scheme: &dyn GradingScheme, reference: &Defect, trainee: &Defect) -> MatchedPair {
    let kinship = catalogue::kinship(&reference.type_code, &trainee.type_code);
    // Without a reference position there is nothing to locate; with one,
    // a trainee defect without a position matched by component only.
    let located = reference.position.is_none() || trainee.position.is_some();
    let credit = match kinship {
        catalogue::Kinship::Same => 1.0,
        _ => RELATED_TYPE_CREDIT,
    } * if located { 1.0 } else { UNPOSITIONED_CREDIT };
    let ranks = (
        severity_rank(scheme, reference.severity.as_deref()),
        severity_rank(scheme, trainee.severity.as_deref()),
    );
    MatchedPair {
        kinship,
        credit,
        safety_differs: matches!(ranks, (Some((_, r)), Some((_, t))) if r != t),
        reference_id: reference.id,
        trainee_id: trainee.id,
        component: reference.component.clone(),
        reference_type: reference.type_code.clone(),
        trainee_type: trainee.type_code.clone(),
        reference_severity: reference.severity.clone(),
        trainee_severity: trainee.severity.clone(),
        severity_difference: match ranks {
            (Some((r, _)), Some((t, _))) => Some(t - r),
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

/// The inspector's own grades of each side: (target, grade), targets as in
/// `grading::own` (component codes and `structure`).
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnGrades<'a> {
    pub reference: &'a [(String, String)],
    pub trainee: &'a [(String, String)],
    /// Why the instructor gave a reference grade other than the computed
    /// one: (target, reason).
    pub reference_reasons: &'a [(String, String)],
}

fn own_grade<'a>(own: &'a [(String, String)], target: &str) -> Option<&'a str> {
    own.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(target))
        .map(|(_, grade)| grade.as_str())
}

/// Component and structure grades, reference against trainee: the own
/// grade of each side where given, else the one its defects imply.
fn grade_differences(
    reference: &Grading,
    trainee: &Grading,
    own: OwnGrades<'_>,
) -> (Vec<GradeDifference>, GradeDifference) {
    let difference = |code: &str, reference_computed: &str, trainee_computed: &str| {
        let reference_class = own_grade(own.reference, code).unwrap_or(reference_computed);
        let (trainee_class, trainee_source) = match own_grade(own.trainee, code) {
            Some(grade) => (grade, "own"),
            None => (trainee_computed, "computed"),
        };
        GradeDifference {
            code: code.to_string(),
            reference: reference_class.to_string(),
            reference_computed: reference_computed.to_string(),
            reference_reason: own_grade(own.reference_reasons, code)
                .filter(|_| reference_class != reference_computed)
                .map(str::to_string),
            trainee: trainee_class.to_string(),
            trainee_source,
            trainee_computed: trainee_computed.to_string(),
            difference: match (
                class_rank(reference.scheme, reference_class),
                class_rank(reference.scheme, trainee_class),
            ) {
                (Some(r), Some(t)) => Some(t - r),
                _ => None,
            },
        }
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
        crate::grading::own::STRUCTURE_TARGET,
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
        // Recording nothing is not precise: it is only right on a bridge
        // without defects.
        precision: if trainee_count == 0 && reference_count > 0 {
            0.0
        } else {
            share(matched.len(), trainee_count)
        },
        severity_exact: graded_share(|difference| *difference == 0),
        severity_within_one: graded_share(|difference| difference.abs() <= 1),
        mean_position_error_m: if errors.is_empty() {
            None
        } else {
            Some((errors.iter().sum::<f64>() / errors.len() as f64 * 10.0).round() / 10.0)
        },
    }
}

/// Compares a trainee's defects and grading with the reference's, both in
/// the same scheme.
pub fn compare(
    scheme: &dyn GradingScheme,
    reference: (&[Defect], &Grading),
    trainee: (&[Defect], &Grading),
    own: OwnGrades<'_>,
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
    let (component_grades, structure_grade) =
        grade_differences(reference_grading, trainee_grading, own);
    let metrics = metrics(reference_defects.len(), trainee_defects.len(), &matched);
    let mut mark = suggested_mark(
        options.rubric,
        reference_defects.len(),
        trainee_defects.len(),
        &matched,
        (&component_grades, &structure_grade),
    );
    mark.defects = rubric::defect_credits(&matched, &missed, &extra);
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
            OwnGrades::default(),
            CompareOptions::default(),
        )
    }

    fn at(mut defect: Defect, lat: f64) -> Defect {
        defect.position = Some(LonLat { lon: 0.0, lat });
        defect
    }

    #[test]
    fn one_nbi_word_apart_is_one_step() {
        use crate::grading::Nbi;
        let structure = bridge();
        let reference = [defect(1, "P1", "CON-CRACK", Some("moderate"))];
        let trainee = [defect(2, "P1", "CON-CRACK", Some("major"))];
        let grade = |defects: &[Defect]| {
            grade_inspection(&Nbi, &structure, &inspection("nbi", &[]), defects)
        };
        let comparison = compare(
            &Nbi,
            (&reference, &grade(&reference)),
            (&trainee, &grade(&trainee)),
            OwnGrades::default(),
            CompareOptions::default(),
        );
        assert_eq!(comparison.matched[0].severity_difference, Some(1));
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
        // Findings 12 × 2·1/(2+2) = 6; severity 4 × (0.5 / 2) × 2/(2+1)
        // = 0.67; grades 4 × (0.5 × 0.5 for the structure, 3 vs 2E, + 0.5 ×
        // 5/7 for the components: TAB, J1, GC, AP exact, P1 and C0 one
        // class off, T1 two) = 2.43; 9.1 in all, 9 rounded to the half.
        assert_eq!(comparison.mark.findings, 6.0);
        assert_eq!(comparison.mark.severity, 0.67);
        assert_eq!(comparison.mark.grades, 2.43);
        assert_eq!(comparison.mark.suggested.value(), 9.0);
        assert_eq!(comparison.structure_grade.difference, Some(-1));
    }

    #[test]
    fn an_empty_trainee_inspection_finds_nothing_and_invents_nothing() {
        let reference = [defect(1, "P1", "CON-CRACK", Some("2"))];
        let comparison = run(&reference, &[]);
        assert_eq!(comparison.metrics.detection_rate, 0.0);
        // Recording nothing earns no precision (it did: 4/20 for nothing).
        assert_eq!(comparison.metrics.precision, 0.0);
        assert_eq!(comparison.mark.findings, 0.0);
        assert_eq!(comparison.mark.severity, 0.0);
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
