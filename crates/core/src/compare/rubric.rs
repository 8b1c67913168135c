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
    /// One sentence per part, saying what earned or cost what (in
    /// English; pages word `facts` in their language).
    pub reasons: Vec<String>,
    pub facts: MarkFacts,
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
    let facts = MarkFacts {
        points: [round(parts[0]), round(parts[1]), round(parts[2])],
        weights: [rubric.findings, rubric.severity, rubric.grades],
        found: matched.len(),
        reference: reference_count,
        credit: round(credit),
        related,
        unpositioned,
        extras,
        exact: matched
            .iter()
            .filter(|pair| pair.severity_difference == Some(0))
            .count(),
        one_off: matched
            .iter()
            .filter(|pair| pair.severity_difference.is_some_and(|d| d.abs() == 1))
            .count(),
        further: matched
            .iter()
            .filter(|pair| pair.severity_difference.is_none_or(|d| d.abs() > 1))
            .count(),
        safety: matched.iter().filter(|pair| pair.safety_differs).count(),
        structure_trainee: structure.trainee.clone(),
        structure_reference: structure.reference.clone(),
        own_structure: structure.trainee_source == "own",
        grades_exact: components
            .iter()
            .filter(|grade| grade.difference == Some(0))
            .count(),
        grades_total: components.len(),
    };
    let reasons = facts.reasons(&crate::words::ENGLISH);
    Mark {
        suggested: crate::mark::Mark::from_points(parts.iter().sum()),
        findings: round(parts[0]),
        severity: round(parts[1]),
        grades: round(parts[2]),
        rubric,
        reasons,
        facts,
        defects: Vec::new(),
    }
}

/// The figures behind the mark's reasons, so that each page words them in
/// its own language from the words table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkFacts {
    /// Points of findings, severity and grades.
    pub points: [f64; 3],
    pub weights: [f64; 3],
    pub found: usize,
    pub reference: usize,
    pub credit: f64,
    pub related: usize,
    pub unpositioned: usize,
    pub extras: usize,
    pub exact: usize,
    pub one_off: usize,
    pub further: usize,
    pub safety: usize,
    pub structure_trainee: String,
    pub structure_reference: String,
    /// The structure grade compared is the trainee's own (else computed).
    pub own_structure: bool,
    pub grades_exact: usize,
    pub grades_total: usize,
}

impl MarkFacts {
    /// One sentence per part of the mark, in the words' language.
    pub fn reasons(&self, words: &crate::words::Words) -> Vec<String> {
        let number = |value: f64, digits: usize| {
            let text = format!("{value:.digits$}");
            if words.lang == "fr" {
                text.replace('.', ",")
            } else {
                text
            }
        };
        let missed = self.reference - self.found;
        let source = if self.own_structure {
            words.own_grade
        } else {
            words.computed_grade
        };
        vec![
            crate::words::fill(
                words.mark_findings_reason,
                &[
                    ("points", number(self.points[0], 1)),
                    ("weight", number(self.weights[0], 0)),
                    ("found", self.found.to_string()),
                    ("reference", self.reference.to_string()),
                    ("credit", number(self.credit, 2)),
                    ("related", self.related.to_string()),
                    ("related_credit", number(RELATED_TYPE_CREDIT, 2)),
                    ("unpositioned", self.unpositioned.to_string()),
                    ("unpositioned_credit", number(UNPOSITIONED_CREDIT, 1)),
                    ("extras", self.extras.to_string()),
                ],
            ),
            crate::words::fill(
                words.mark_severity_reason,
                &[
                    ("points", number(self.points[1], 1)),
                    ("weight", number(self.weights[1], 0)),
                    ("exact", self.exact.to_string()),
                    ("one_off", self.one_off.to_string()),
                    ("further", self.further.to_string()),
                    ("safety", self.safety.to_string()),
                    ("missed", missed.to_string()),
                ],
            ),
            crate::words::fill(
                words.mark_grades_reason,
                &[
                    ("points", number(self.points[2], 1)),
                    ("weight", number(self.weights[2], 0)),
                    ("trainee", self.structure_trainee.clone()),
                    ("reference", self.structure_reference.clone()),
                    ("source", source.to_string()),
                    ("exact", self.grades_exact.to_string()),
                    ("total", self.grades_total.to_string()),
                ],
            ),
        ]
    }
}
