//! The suggested mark out of 20 and its rubric (docs/rubric.md): findings
//! as the F-measure of credit-weighted matches, severity agreement on each
//! reference defect diluted by inventions, and the grades given. Each part
//! says what earned or cost what.

use serde::{Deserialize, Serialize};

use super::{GradeDifference, MatchedPair};
use crate::catalogue;

/// Points out of 20 for each part of the mark; they add up to 20. A
/// course may set its own in the course file's `[rubric]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rubric {
    /// Findings: the reference defects found, without inventions.
    pub findings: f64,
    /// Severity agreement on each reference defect.
    pub severity: f64,
    /// The grades given: structure and components.
    pub grades: f64,
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric {
            findings: 12.0,
            severity: 4.0,
            grades: 4.0,
        }
    }
}

/// Credit of a match whose types are related but not the same.
pub const RELATED_TYPE_CREDIT: f64 = 0.75;
/// Credit factor of a match where the reference defect has a position and
/// the trainee's has none: it matched by component only.
pub const UNPOSITIONED_CREDIT: f64 = 0.8;
/// Severity credit lost when the S (user safety) mention differs.
pub const SAFETY_MENTION_COST: f64 = 0.25;

/// The suggested mark with its parts and what earned or cost them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mark {
    /// Out of 20, rounded to the half point.
    pub suggested: crate::mark::Mark,
    pub findings: f64,
    pub severity: f64,
    pub grades: f64,
    pub rubric: Rubric,
    /// One sentence per part, saying what earned or cost what.
    pub reasons: Vec<String>,
    /// Defect by defect: what each reference defect earned and what each
    /// trainee defect cost.
    pub defects: Vec<DefectCredit>,
}

/// What happened to one defect in the mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Found: same type, positioned within tolerance or both unpositioned.
    Found,
    /// Found under a related type: partial credit.
    RelatedType,
    /// Found by component only, the trainee's defect having no position.
    Unpositioned,
    /// A reference defect the trainee did not record.
    Missed,
    /// A trainee defect that is not in the reference.
    Extra,
}

/// One line of the mark's detail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefectCredit {
    pub reference_id: Option<i64>,
    pub trainee_id: Option<i64>,
    pub component: String,
    #[serde(rename = "type")]
    pub type_code: String,
    pub outcome: Outcome,
    /// Finding credit, 0 to 1 (an extra earns 0 and lowers the F-measure).
    pub credit: f64,
    /// Severity agreement after the S mention, 0 to 1, for found defects.
    pub severity_agreement: Option<f64>,
}

/// The mark's detail, defect by defect: matched pairs, then missed
/// reference defects, then the trainee's extras.
pub(super) fn defect_credits(
    matched: &[MatchedPair],
    missed: &[super::Unmatched],
    extra: &[super::Unmatched],
) -> Vec<DefectCredit> {
    let found = matched.iter().map(|pair| DefectCredit {
        reference_id: Some(pair.reference_id),
        trainee_id: Some(pair.trainee_id),
        component: pair.component.clone(),
        type_code: pair.reference_type.clone(),
        outcome: if pair.kinship != catalogue::Kinship::Same {
            Outcome::RelatedType
        } else if pair.credit < 1.0 {
            Outcome::Unpositioned
        } else {
            Outcome::Found
        },
        credit: pair.credit,
        severity_agreement: Some(pair_severity_agreement(pair)),
    });
    let unmatched = |defect: &super::Unmatched, outcome: Outcome| DefectCredit {
        reference_id: (outcome == Outcome::Missed).then_some(defect.id),
        trainee_id: (outcome == Outcome::Extra).then_some(defect.id),
        component: defect.component.clone(),
        type_code: defect.type_code.clone(),
        outcome,
        credit: 0.0,
        severity_agreement: None,
    };
    found
        .chain(
            missed
                .iter()
                .map(|defect| unmatched(defect, Outcome::Missed)),
        )
        .chain(extra.iter().map(|defect| unmatched(defect, Outcome::Extra)))
        .collect()
}

/// Severity agreement of a matched pair on the scheme's scale, less the
/// cost of a differing S mention.
fn pair_severity_agreement(pair: &MatchedPair) -> f64 {
    let base = pair.severity_difference.map_or(0.0, agreement);
    let safety = if pair.safety_differs {
        SAFETY_MENTION_COST
    } else {
        0.0
    };
    (base - safety).max(0.0)
}

/// Agreement of two grades or severities `steps` apart: exact 1, one step
/// half, further nothing.
pub(super) fn agreement(steps: i32) -> f64 {
    match steps.abs() {
        0 => 1.0,
        1 => 0.5,
        _ => 0.0,
    }
}

/// The suggested mark from the rubric, with a reason for each part.
pub(super) fn suggested_mark(
    rubric: Rubric,
    reference_count: usize,
    trainee_count: usize,
    matched: &[MatchedPair],
    grades: (&[GradeDifference], &GradeDifference),
) -> Mark {
    let (reference, trainee) = (reference_count as f64, trainee_count as f64);
    let credit: f64 = matched.iter().map(|pair| pair.credit).sum();
    let extras = trainee_count - matched.len();
    // Findings: the F-measure of credit over both sides.
    let findings = if reference_count + trainee_count == 0 {
        1.0
    } else {
        2.0 * credit / (reference + trainee)
    };
    // Severity: agreement on each reference defect (a missed one earns
    // nothing), diluted by the inventions.
    let severity = if reference_count == 0 {
        if trainee_count == 0 {
            1.0
        } else {
            0.0
        }
    } else {
        let agreed: f64 = matched.iter().map(pair_severity_agreement).sum();
        agreed / reference * reference / (reference + extras as f64)
    };
    // Grades: half the structure, half the components (on their scale).
    let (components, structure) = grades;
    let structure_agreement = structure.difference.map_or(0.0, agreement);
    let rated: Vec<f64> = components
        .iter()
        .filter_map(|grade| grade.difference.map(agreement))
        .collect();
    let grade_share = if rated.is_empty() {
        structure_agreement
    } else {
        0.5 * structure_agreement + 0.5 * rated.iter().sum::<f64>() / rated.len() as f64
    };
    let parts = [
        rubric.findings * findings,
        rubric.severity * severity,
        rubric.grades * grade_share,
    ];
    let round = |value: f64| (value * 100.0).round() / 100.0;
    let related = matched
        .iter()
        .filter(|pair| pair.kinship != catalogue::Kinship::Same)
        .count();
    let unpositioned = matched
        .iter()
        .filter(|pair| pair.credit < 1.0 && pair.kinship == catalogue::Kinship::Same)
        .count();
    let reasons = vec![
        format!(
            "findings {:.1}/{}: {} of {reference_count} reference defects found (credit {credit:.2}: {related} of a related type at {RELATED_TYPE_CREDIT}, {unpositioned} matched by component only, without a position, at {UNPOSITIONED_CREDIT}), {extras} not in the reference",
            parts[0],
            rubric.findings,
            matched.len()
        ),
        format!(
            "severity {:.1}/{}: {} exact, {} one step off on the scheme's scale, {} further or ungraded, {} S mention(s) differing, {} missed",
            parts[1],
            rubric.severity,
            matched.iter().filter(|pair| pair.severity_difference == Some(0)).count(),
            matched.iter().filter(|pair| pair.severity_difference.is_some_and(|d| d.abs() == 1)).count(),
            matched.iter().filter(|pair| pair.severity_difference.is_none_or(|d| d.abs() > 1)).count(),
            matched.iter().filter(|pair| pair.safety_differs).count(),
            reference_count - matched.len()
        ),
        format!(
            "grades {:.1}/{}: structure {} against {} ({}), {} of {} component grades exact",
            parts[2],
            rubric.grades,
            structure.trainee,
            structure.reference,
            structure.trainee_source,
            components.iter().filter(|grade| grade.difference == Some(0)).count(),
            components.len()
        ),
    ];
    Mark {
        suggested: crate::mark::Mark::from_points(parts.iter().sum()),
        findings: round(parts[0]),
        severity: round(parts[1]),
        grades: round(parts[2]),
        rubric,
        reasons,
        defects: Vec::new(),
    }
}
