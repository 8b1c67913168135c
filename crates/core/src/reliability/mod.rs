//! What a course teaches, measured on one structure: each trainee's latest
//! inspection compared with the reference, then gathered — which reference
//! defects the class finds (by type, family, component, above and under
//! water), how the class grades each component against the reference (the
//! FHWA reliability study's exact / within one / within two shares, mean
//! signed and absolute differences), and each trainee's detection,
//! precision, grade bias with its interval and agreement. Pure: the
//! comparisons come in made; wording belongs to the pages.

pub mod coefficients;

use serde::Serialize;
use std::collections::BTreeMap;

use crate::agreement::{rank, scale_size, weighted_kappa_with};
use crate::compare::{Comparison, GradeDifference};
use crate::model::Structure;
use coefficients::{gwet, krippendorff_interval, mean_interval};

/// One trainee's latest inspection of the structure, compared.
pub struct TraineeComparison<'a> {
    pub trainee: String,
    pub comparison: &'a Comparison,
}

/// A reference defect and who found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DefectFinding {
    pub id: i64,
    pub component: String,
    pub type_code: String,
    pub family: String,
    pub underwater: bool,
    pub found_by: Vec<String>,
    /// Found by this share of the trainees (`None` with no trainee).
    pub share: Option<f64>,
}

/// Findings gathered by a key (a type, family, component, or above /
/// under water).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFinding {
    /// `type`, `family`, `component` or `water`.
    pub by: &'static str,
    pub key: String,
    pub found: usize,
    /// Reference defects of the group × trainees.
    pub possible: usize,
    pub share: Option<f64>,
}

/// How the class graded one component (or the structure) against the
/// reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeSpread {
    pub component: String,
    pub reference: String,
    /// Each class of the scale with how many trainees gave it, in scale
    /// order; `NE` last when some did not grade it.
    pub distribution: Vec<(String, usize)>,
    /// Trainees whose grade and the reference's are both on the scale.
    pub graded: usize,
    pub exact: Option<f64>,
    pub within_one: Option<f64>,
    pub within_two: Option<f64>,
    /// Trainee minus reference in steps: positive is harsher.
    pub mean_signed: Option<f64>,
    pub mean_absolute: Option<f64>,
    pub sd: Option<f64>,
}

/// One trainee's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraineeFigures {
    pub trainee: String,
    pub detection: f64,
    pub precision: f64,
    /// Mean signed grade difference over the components both graded.
    pub bias: Option<f64>,
    /// Its 95 % Student t interval.
    pub bias_interval: Option<(f64, f64)>,
    /// `harsh` or `lenient` when the interval excludes 0, else `even`.
    pub leaning: Option<&'static str>,
    pub exact_share: Option<f64>,
    pub kappa_linear: Option<f64>,
    pub kappa_quadratic: Option<f64>,
    /// Gwet's AC2 with linear weights: does not collapse when the
    /// reference barely varies.
    pub ac2_linear: Option<f64>,
    /// The kappa paradox: high raw agreement but a kappa near zero,
    /// undefined or negative because the reference barely varies.
    pub kappa_paradox: bool,
    pub mark: f64,
    /// Position in the class by suggested mark, 1 the best.
    pub rank: usize,
}

/// The course report of one structure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructureReport {
    pub structure: String,
    pub scheme: String,
    pub trainees: usize,
    /// A defect found by a smaller share is listed as one to teach better.
    pub threshold: f64,
    /// Least found first.
    pub defects: Vec<DefectFinding>,
    pub groups: Vec<GroupFinding>,
    pub components: Vec<GradeSpread>,
    pub structure_grade: GradeSpread,
    pub people: Vec<TraineeFigures>,
    /// Krippendorff's alpha (interval, on the scale's ranks) of the class
    /// and the reference over the components.
    pub class_alpha: Option<f64>,
}

/// How a finding is gathered: its key in a group.
type GroupKey = fn(&DefectFinding) -> String;

fn share(count: usize, total: usize) -> Option<f64> {
    (total > 0).then(|| count as f64 / total as f64)
}

fn family_of(code: &str) -> String {
    crate::catalogue::find(code)
        .map(|entry| {
            // The family's code as the catalogue writes it: `marine-growth`.
            let name = format!("{:?}", entry.family);
            let mut code = String::new();
            for (index, letter) in name.chars().enumerate() {
                if letter.is_uppercase() && index > 0 {
                    code.push('-');
                }
                code.push(letter.to_ascii_lowercase());
            }
            code
        })
        .unwrap_or_else(|| "other".to_string())
}

fn spread(scheme: &str, component: &str, grades: &[(&str, &GradeDifference)]) -> GradeSpread {
    let reference = grades
        .first()
        .map(|(_, grade)| grade.reference.clone())
        .unwrap_or_default();
    let mut counts: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for (_, grade) in grades {
        let place = rank(scheme, &grade.trainee).unwrap_or(usize::MAX);
        *counts.entry((place, grade.trainee.clone())).or_default() += 1;
    }
    let differences: Vec<f64> = grades
        .iter()
        .filter_map(|(_, grade)| grade.difference.map(f64::from))
        .collect();
    let graded = differences.len();
    let within = |steps: f64| {
        share(
            differences.iter().filter(|d| d.abs() <= steps).count(),
            graded,
        )
    };
    let stats = mean_interval(&differences);
    GradeSpread {
        component: component.to_string(),
        reference,
        distribution: counts
            .into_iter()
            .map(|((_, class), count)| (class, count))
            .collect(),
        graded,
        exact: within(0.0),
        within_one: within(1.0),
        within_two: within(2.0),
        mean_signed: stats.map(|sample| sample.mean),
        mean_absolute: (graded > 0)
            .then(|| differences.iter().map(|d| d.abs()).sum::<f64>() / graded as f64),
        sd: stats.and_then(|sample| sample.sd),
    }
}

fn trainee_figures(scheme: &str, entry: &TraineeComparison<'_>) -> TraineeFigures {
    let comparison = entry.comparison;
    let pairs: Vec<(usize, usize)> = comparison
        .component_grades
        .iter()
        .filter_map(|grade| {
            Some((
                rank(scheme, &grade.reference)?,
                rank(scheme, &grade.trainee)?,
            ))
        })
        .collect();
    let differences: Vec<f64> = pairs
        .iter()
        .map(|(reference, trainee)| *trainee as f64 - *reference as f64)
        .collect();
    let stats = mean_interval(&differences);
    let interval = stats.and_then(|sample| sample.interval);
    let leaning = interval.map(|(low, high)| {
        if low > 0.0 {
            "harsh"
        } else if high < 0.0 {
            "lenient"
        } else {
            "even"
        }
    });
    let k = scale_size(scheme);
    let exact_share = share(pairs.iter().filter(|(a, b)| a == b).count(), pairs.len());
    let kappa_linear = weighted_kappa_with(&pairs, k, true);
    let ac2_linear = gwet(&pairs, k, true);
    // High raw agreement with a kappa that says otherwise: the reference
    // barely varies, and kappa's chance term swallows the agreement.
    let kappa_paradox = exact_share.is_some_and(|exact| exact >= 0.8)
        && kappa_linear.is_none_or(|kappa| kappa < 0.4);
    TraineeFigures {
        trainee: entry.trainee.clone(),
        detection: comparison.metrics.detection_rate,
        precision: comparison.metrics.precision,
        bias: stats.map(|sample| sample.mean),
        bias_interval: interval,
        leaning,
        exact_share,
        kappa_linear,
        kappa_quadratic: weighted_kappa_with(&pairs, k, false),
        ac2_linear,
        kappa_paradox,
        mark: comparison.mark.suggested.value(),
        rank: 0,
    }
}

/// The course report of one structure from its trainees' comparisons with
/// the reference. `threshold` is the share under which a reference defect
/// is one the course should teach better.
pub fn structure_report(
    structure: &Structure,
    scheme: &str,
    trainees: &[TraineeComparison<'_>],
    threshold: f64,
) -> StructureReport {
    let count = trainees.len();
    // The reference defects, from any comparison (each lists every one as
    // matched or missed).
    let mut reference: BTreeMap<i64, (String, String)> = BTreeMap::new();
    let mut found_by: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for entry in trainees {
        for pair in &entry.comparison.matched {
            reference.insert(
                pair.reference_id,
                (pair.component.clone(), pair.reference_type.clone()),
            );
            let finders = found_by.entry(pair.reference_id).or_default();
            if !finders.contains(&entry.trainee) {
                finders.push(entry.trainee.clone());
            }
        }
        for missed in &entry.comparison.missed {
            reference.insert(
                missed.id,
                (missed.component.clone(), missed.type_code.clone()),
            );
        }
    }
    let underwater = |component: &str| {
        structure
            .components
            .iter()
            .any(|part| part.code.eq_ignore_ascii_case(component) && part.underwater)
    };
    let mut defects: Vec<DefectFinding> = reference
        .into_iter()
        .map(|(id, (component, type_code))| {
            let found_by = found_by.remove(&id).unwrap_or_default();
            DefectFinding {
                id,
                underwater: underwater(&component),
                family: family_of(&type_code),
                share: share(found_by.len(), count),
                component,
                type_code,
                found_by,
            }
        })
        .collect();
    defects.sort_by(|a, b| {
        a.share
            .partial_cmp(&b.share)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    let mut groups = Vec::new();
    let keys: [(&'static str, GroupKey); 4] = [
        ("type", |defect| defect.type_code.clone()),
        ("family", |defect| defect.family.clone()),
        ("component", |defect| defect.component.clone()),
        ("water", |defect| {
            if defect.underwater {
                "underwater"
            } else {
                "above water"
            }
            .to_string()
        }),
    ];
    for (by, key_of) in keys {
        let mut gathered: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for defect in &defects {
            let entry = gathered.entry(key_of(defect)).or_default();
            entry.0 += defect.found_by.len();
            entry.1 += count;
        }
        groups.extend(
            gathered
                .into_iter()
                .map(|(key, (found, possible))| GroupFinding {
                    by,
                    key,
                    found,
                    possible,
                    share: share(found, possible),
                }),
        );
    }
    let components = structure
        .components
        .iter()
        .map(|component| {
            let grades: Vec<(&str, &GradeDifference)> = trainees
                .iter()
                .filter_map(|entry| {
                    let grade = entry
                        .comparison
                        .component_grades
                        .iter()
                        .find(|grade| grade.code.eq_ignore_ascii_case(&component.code))?;
                    Some((entry.trainee.as_str(), grade))
                })
                .collect();
            spread(scheme, &component.code, &grades)
        })
        .collect();
    let structure_grades: Vec<(&str, &GradeDifference)> = trainees
        .iter()
        .map(|entry| (entry.trainee.as_str(), &entry.comparison.structure_grade))
        .collect();
    let mut people: Vec<TraineeFigures> = trainees
        .iter()
        .map(|entry| trainee_figures(scheme, entry))
        .collect();
    let mut order: Vec<usize> = (0..people.len()).collect();
    order.sort_by(|a, b| {
        people[*b]
            .mark
            .partial_cmp(&people[*a].mark)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for (place, index) in order.into_iter().enumerate() {
        people[index].rank = place + 1;
    }
    // Krippendorff's alpha over the components: the reference and every
    // trainee as raters.
    let units: Vec<Vec<f64>> = structure
        .components
        .iter()
        .map(|component| {
            let grades = trainees.iter().filter_map(|entry| {
                entry
                    .comparison
                    .component_grades
                    .iter()
                    .find(|grade| grade.code.eq_ignore_ascii_case(&component.code))
            });
            let mut values: Vec<f64> = Vec::new();
            let mut reference_seen = false;
            for grade in grades {
                if !reference_seen {
                    if let Some(place) = rank(scheme, &grade.reference) {
                        values.push(place as f64);
                    }
                    reference_seen = true;
                }
                if let Some(place) = rank(scheme, &grade.trainee) {
                    values.push(place as f64);
                }
            }
            values
        })
        .collect();
    StructureReport {
        structure: structure.code.clone(),
        scheme: scheme.to_string(),
        trainees: count,
        threshold,
        defects,
        groups,
        components,
        structure_grade: spread(scheme, "structure", &structure_grades),
        people,
        class_alpha: krippendorff_interval(&units),
    }
}

#[cfg(test)]
mod tests;
