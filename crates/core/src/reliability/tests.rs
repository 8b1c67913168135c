//! A simulated course: twenty trainees on the demo bridge, generated from
//! a reference with known per-trainee grade bias, miss rates and noise
//! (seeded), from which the report must recover what was planted.

use super::*;
use crate::compare::{compare, CompareOptions, OwnGrades};
use crate::course::Course;
use crate::grading::{grade_inspection, scheme};
use crate::model::{Defect, Inspection, InspectionKind, Measurements};

/// SplitMix64: a small seeded generator for test data.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    }
}

const CLASSES: [&str; 5] = ["1", "2", "2E", "3", "3U"];

fn inspection(id: i64) -> Inspection {
    Inspection {
        id,
        structure: "PONT-LEGUER".into(),
        kind: InspectionKind::DetailedPeriodic,
        inspector: None,
        date: None,
        weather: None,
        is_reference: id == 1,
        scheme: "iqoa".into(),
        not_inspected: Vec::new(),
    }
}

fn defect(id: i64, component: &str, severity: &str) -> Defect {
    Defect {
        id,
        component: component.into(),
        type_code: "CON-CRACK".into(),
        severity: Some(severity.into()),
        extent: None,
        measurements: Measurements::default(),
        position: None,
        note: None,
        photos: Vec::new(),
    }
}

struct Simulated {
    report: StructureReport,
    planted_bias: Vec<f64>,
    found: BTreeMap<i64, usize>,
}

fn simulate() -> Simulated {
    let course =
        Course::from_toml(include_str!("../../../../fixtures/course.toml")).expect("course");
    let structure = &course.structures[0];
    let iqoa = scheme("iqoa").expect("iqoa");
    // One reference defect per component, classes 2, 2E, 3 in turn (ranks
    // 2 to 4), so that a bias of one step stays on the scale.
    let reference: Vec<Defect> = structure
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| defect(index as i64 + 1, &component.code, CLASSES[1 + index % 3]))
        .collect();
    let reference_grading = grade_inspection(iqoa, structure, &inspection(1), &reference);
    let mut random = Seeded(20_261_201);
    let mut comparisons = Vec::new();
    let mut planted_bias = Vec::new();
    let mut found: BTreeMap<i64, usize> = BTreeMap::new();
    for trainee in 0..20usize {
        let bias = trainee as i64 % 3 - 1;
        let miss_rate = 0.1 + 0.02 * trainee as f64;
        planted_bias.push(bias as f64);
        let mut defects = Vec::new();
        for reference_defect in &reference {
            if random.next() >= miss_rate {
                *found.entry(reference_defect.id).or_default() += 1;
                let mut seen = reference_defect.clone();
                seen.id = 1000 + reference_defect.id;
                defects.push(seen);
            }
        }
        // Own grades: the reference's class moved by the trainee's bias,
        // with an occasional step of noise either way.
        let own: Vec<(String, String)> = reference_grading
            .components
            .iter()
            .map(|grade| {
                let place = rank("iqoa", &grade.class).expect("ranked") as i64;
                let draw = random.next();
                let noise = if draw < 0.1 {
                    -1
                } else if draw > 0.9 {
                    1
                } else {
                    0
                };
                let moved = (place + bias + noise).clamp(1, 5) as usize;
                (grade.component.clone(), CLASSES[moved - 1].to_string())
            })
            .collect();
        let grading = grade_inspection(iqoa, structure, &inspection(2), &defects);
        comparisons.push((
            format!("trainee{trainee:02}"),
            compare(
                iqoa,
                (&reference, &reference_grading),
                (&defects, &grading),
                OwnGrades {
                    reference: &[],
                    trainee: &own,
                    reference_reasons: &[],
                },
                CompareOptions::default(),
            ),
        ));
    }
    let trainees: Vec<TraineeComparison<'_>> = comparisons
        .iter()
        .map(|(name, comparison)| TraineeComparison {
            trainee: name.clone(),
            comparison,
        })
        .collect();
    Simulated {
        report: structure_report(structure, "iqoa", &trainees, 0.5),
        planted_bias,
        found,
    }
}

#[test]
fn the_report_recovers_each_defects_detection_share_exactly() {
    let simulated = simulate();
    assert_eq!(simulated.report.trainees, 20);
    assert_eq!(simulated.report.defects.len(), 13);
    for finding in &simulated.report.defects {
        let found = simulated.found.get(&finding.id).copied().unwrap_or(0);
        assert_eq!(finding.found_by.len(), found, "defect #{}", finding.id);
        assert_eq!(finding.share, Some(found as f64 / 20.0));
    }
    // Least found first.
    let shares: Vec<f64> = simulated
        .report
        .defects
        .iter()
        .filter_map(|d| d.share)
        .collect();
    assert!(shares.windows(2).all(|pair| pair[0] <= pair[1]));
}

#[test]
fn the_report_recovers_each_trainees_planted_bias_within_its_interval() {
    let simulated = simulate();
    for (figures, planted) in simulated.report.people.iter().zip(&simulated.planted_bias) {
        let (low, high) = figures.bias_interval.expect("an interval");
        assert!(
            low - 1e-9 <= *planted && *planted <= high + 1e-9,
            "{}: planted {planted}, interval {low}..{high}",
            figures.trainee
        );
        let expected = match *planted as i64 {
            -1 => "lenient",
            1 => "harsh",
            _ => "even",
        };
        if *planted != 0.0 {
            assert_eq!(figures.leaning, Some(expected), "{}", figures.trainee);
        }
    }
    let ranks: std::collections::BTreeSet<usize> = simulated
        .report
        .people
        .iter()
        .map(|figures| figures.rank)
        .collect();
    assert_eq!(ranks.len(), 20, "each trainee has one place");
}

#[test]
fn component_spreads_add_up_and_the_fhwa_shares_nest() {
    let simulated = simulate();
    for spread in &simulated.report.components {
        let total: usize = spread.distribution.iter().map(|(_, count)| count).sum();
        assert_eq!(total, 20, "{}", spread.component);
        let (exact, one, two) = (
            spread.exact.expect("exact"),
            spread.within_one.expect("one"),
            spread.within_two.expect("two"),
        );
        assert!(exact <= one && one <= two && two <= 1.0);
    }
    assert!(simulated.report.class_alpha.is_some());
}
