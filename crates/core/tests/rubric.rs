//! The mark's rubric as properties that hold for every inspection, and the
//! ways it could be gamed (issue 9), on the demo's reference of 13 defects
//! of the Léguer training bridge.

use proptest::prelude::*;

use voussoir_core::compare::{compare, CompareOptions, Comparison, OwnGrades};
use voussoir_core::grading::{grade_inspection, Iqoa};
use voussoir_core::model::InspectionKind;
use voussoir_core::sheet::parse_defect_sheet;
use voussoir_core::{Course, Defect, Inspection, LonLat, Structure};

fn bridge() -> Structure {
    Course::from_toml(include_str!("../../../fixtures/course.toml"))
        .expect("course")
        .structures
        .remove(0)
}

fn reference_defects(structure: &Structure) -> Vec<Defect> {
    let mut defects = parse_defect_sheet(
        include_str!("../../../fixtures/reference-defects.csv"),
        structure,
        &Iqoa,
    )
    .expect("reference sheet");
    for (index, defect) in defects.iter_mut().enumerate() {
        defect.id = index as i64 + 1;
    }
    defects
}

fn inspection() -> Inspection {
    Inspection {
        id: 0,
        structure: "PONT-LEGUER".to_string(),
        kind: InspectionKind::DetailedPeriodic,
        inspector: None,
        date: None,
        weather: None,
        is_reference: false,
        scheme: "iqoa".to_string(),
        not_inspected: Vec::new(),
    }
}

fn compare_with(structure: &Structure, reference: &[Defect], trainee: &[Defect]) -> Comparison {
    compare_own(structure, reference, trainee, &[])
}

fn compare_own(
    structure: &Structure,
    reference: &[Defect],
    trainee: &[Defect],
    own: &[(String, String)],
) -> Comparison {
    let reference_grading = grade_inspection(&Iqoa, structure, &inspection(), reference);
    let trainee_grading = grade_inspection(&Iqoa, structure, &inspection(), trainee);
    compare(
        &Iqoa,
        (reference, &reference_grading),
        (trainee, &trainee_grading),
        OwnGrades {
            trainee: own,
            ..OwnGrades::default()
        },
        CompareOptions::default(),
    )
}

/// Own grades for every component and the structure, from indexes into
/// the IQOA classes.
fn own_grades(structure: &Structure, picks: &[usize]) -> Vec<(String, String)> {
    let classes = ["1", "2", "2E", "3", "3U"];
    structure
        .components
        .iter()
        .map(|component| component.code.clone())
        .chain(std::iter::once("structure".to_string()))
        .zip(picks.iter().cycle())
        .map(|(target, pick)| (target, classes[pick % classes.len()].to_string()))
        .collect()
}

fn points_own(
    structure: &Structure,
    reference: &[Defect],
    trainee: &[Defect],
    own: &[(String, String)],
) -> f64 {
    let mark = compare_own(structure, reference, trainee, own).mark;
    mark.findings + mark.severity + mark.grades
}

fn mark(structure: &Structure, reference: &[Defect], trainee: &[Defect]) -> f64 {
    compare_with(structure, reference, trainee)
        .mark
        .suggested
        .value()
}

/// Exact points (before rounding), for properties that must hold to the
/// last digit.
fn points(structure: &Structure, reference: &[Defect], trainee: &[Defect]) -> f64 {
    let mark = compare_with(structure, reference, trainee).mark;
    mark.findings + mark.severity + mark.grades
}

fn renumbered(defects: Vec<Defect>, from: i64) -> Vec<Defect> {
    defects
        .into_iter()
        .enumerate()
        .map(|(index, mut defect)| {
            defect.id = from + index as i64;
            defect
        })
        .collect()
}

#[test]
fn a_perfect_copy_gets_twenty() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let copy = renumbered(reference.clone(), 100);
    assert_eq!(mark(&structure, &reference, &copy), 20.0);
}

#[test]
fn the_mark_names_what_each_defect_earned_or_cost() {
    use voussoir_core::compare::Outcome;
    let structure = bridge();
    let reference = reference_defects(&structure);
    let mut trainee = renumbered(reference[..10].to_vec(), 100);
    let mut invented = trainee[0].clone();
    invented.id = 200;
    invented.component = "C3".into();
    trainee.push(invented);
    let detail = compare_with(&structure, &reference, &trainee).mark.defects;
    let count = |outcome| detail.iter().filter(|line| line.outcome == outcome).count();
    assert_eq!(count(Outcome::Found), 10);
    assert_eq!(count(Outcome::Missed), reference.len() - 10);
    assert_eq!(count(Outcome::Extra), 1);
    let extra = detail
        .iter()
        .find(|line| line.outcome == Outcome::Extra)
        .expect("extra");
    assert_eq!((extra.trainee_id, extra.credit), (Some(200), 0.0));
    let found = detail
        .iter()
        .find(|line| line.outcome == Outcome::Found)
        .expect("found");
    assert_eq!(found.severity_agreement, Some(1.0));
}

#[test]
fn an_empty_report_earns_nothing_for_findings_or_severity() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let comparison = compare_with(&structure, &reference, &[]);
    assert_eq!(comparison.mark.findings, 0.0);
    assert_eq!(comparison.mark.severity, 0.0);
    // The documented floor: the components that really are class 1.
    assert!(
        comparison.mark.suggested.value() <= 2.0,
        "{:?}",
        comparison.mark
    );
}

#[test]
fn every_severity_for_every_defect_does_not_pay() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let mut shotgun = Vec::new();
    for defect in &reference {
        for severity in ["1", "2", "2E", "3", "3U"] {
            let mut guess = defect.clone();
            guess.severity = Some(severity.to_string());
            shotgun.push(guess);
        }
    }
    let shotgun = renumbered(shotgun, 100);
    assert_eq!(shotgun.len(), 65);
    let value = mark(&structure, &reference, &shotgun);
    assert!(
        value <= 9.0,
        "the shotgun report got {value}/20 (it got 17)"
    );
}

#[test]
fn thirty_invented_defects_cost_a_lot() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let mut padded = reference.clone();
    for index in 0..30 {
        let mut invented = reference[index % reference.len()].clone();
        invented.component = "GC".to_string();
        invented.type_code = "EQP-PARAPET".to_string();
        invented.position = None;
        padded.push(invented);
    }
    let padded = renumbered(padded, 100);
    let value = mark(&structure, &reference, &padded);
    assert!(
        value <= 14.0,
        "the reference plus 30 inventions got {value}/20 (it got 17)"
    );
}

#[test]
fn a_defect_free_bridge_inspected_correctly_gets_twenty() {
    let structure = bridge();
    assert_eq!(mark(&structure, &[], &[]), 20.0);
}

#[test]
fn one_graded_defect_does_not_earn_the_whole_severity_share() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let one = renumbered(vec![reference[0].clone()], 100);
    let comparison = compare_with(&structure, &reference, &one);
    assert!(comparison.mark.severity < 1.0, "{:?}", comparison.mark);
}

#[test]
fn a_missed_safety_mention_costs_severity_credit() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let with_safety = reference
        .iter()
        .position(|defect| defect.severity.as_deref().is_some_and(|s| s.ends_with('S')))
        .expect("the reference has an S mention");
    let mut trainee = renumbered(reference.clone(), 100);
    let severity = trainee[with_safety].severity.clone().expect("graded");
    trainee[with_safety].severity = Some(severity.trim_end_matches('S').to_string());
    let comparison = compare_with(&structure, &reference, &trainee);
    assert!(comparison.mark.severity < 4.0, "{:?}", comparison.mark);
}

#[test]
fn a_related_type_near_the_reference_defect_earns_partial_credit() {
    let structure = bridge();
    let crack = Defect {
        id: 1,
        component: "T1".to_string(),
        type_code: "CON-CRACK".to_string(),
        severity: Some("2".to_string()),
        extent: None,
        measurements: Default::default(),
        position: Some(LonLat {
            lon: -3.46115,
            lat: 48.73102,
        }),
        note: None,
        photos: Vec::new(),
    };
    let mut tendon = crack.clone();
    tendon.id = 10;
    tendon.type_code = "PSC-TENDON-CRACK".to_string();
    tendon.position = Some(LonLat {
        lon: -3.461155,
        lat: 48.731022,
    });
    let comparison = compare_with(&structure, std::slice::from_ref(&crack), &[tendon]);
    assert_eq!(comparison.matched.len(), 1, "not a miss and an invention");
    assert_eq!(comparison.matched[0].credit, 0.75);
}

#[test]
fn a_defect_without_a_position_matches_with_less_credit() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let located = reference
        .iter()
        .position(|defect| defect.position.is_some())
        .expect("a positioned reference defect");
    let mut trainee = renumbered(reference.clone(), 100);
    trainee[located].position = None;
    let comparison = compare_with(&structure, &reference, &trainee);
    let pair = comparison
        .matched
        .iter()
        .find(|pair| pair.reference_id == reference[located].id)
        .expect("matched by component");
    assert!(pair.credit < 1.0);
    assert!(comparison.mark.reasons[0].contains("without a position"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Adding a reference defect the trainee had missed never lowers the
    /// mark; adding an invented one never raises it. The trainee gives her
    /// own grades, as the course asks: the grades part is her judgement,
    /// not a by-product of the defects listed.
    #[test]
    fn true_findings_never_lower_and_false_ones_never_raise_the_mark(
        kept in proptest::collection::vec(any::<bool>(), 13),
        missed_pick in 0usize..13,
        invented_on in 0usize..4,
        picks in proptest::collection::vec(0usize..5, 16),
    ) {
        let structure = bridge();
        let own = own_grades(&structure, &picks);
        let points = |reference: &[Defect], trainee: &[Defect]| points_own(&structure, reference, trainee, &own);
        let reference = reference_defects(&structure);
        let trainee: Vec<Defect> = reference
            .iter()
            .zip(&kept)
            .filter(|(_, keep)| **keep)
            .map(|(defect, _)| defect.clone())
            .collect();
        let trainee = renumbered(trainee, 100);
        let before = points(&reference, &trainee);
        let missed: Vec<&Defect> = reference
            .iter()
            .zip(&kept)
            .filter(|(_, keep)| !**keep)
            .map(|(defect, _)| defect)
            .collect();
        if !missed.is_empty() {
            let mut more = trainee.clone();
            let mut found = missed[missed_pick % missed.len()].clone();
            found.id = 500;
            more.push(found);
            prop_assert!(points(&reference, &more) >= before - 1e-9);
        }
        let mut invented = trainee.clone();
        let component = ["GC", "TAB", "J1", "C3"][invented_on];
        invented.push(Defect {
            id: 600,
            component: component.to_string(),
            type_code: "GEN-IMPACT".to_string(),
            severity: Some("3".to_string()),
            extent: None,
            measurements: Default::default(),
            position: None,
            note: None,
            photos: Vec::new(),
        });
        prop_assert!(points(&reference, &invented) <= before + 1e-9);
    }

    /// Grading a matched defect as the reference does never lowers the
    /// mark, and a duplicate of a found defect never raises it.
    #[test]
    fn closer_severities_never_lower_and_duplicates_never_raise_the_mark(
        pick in 0usize..13,
        wrong in 0usize..5,
    ) {
        let structure = bridge();
        let reference = reference_defects(&structure);
        let mut trainee = renumbered(reference.clone(), 100);
        let severities = ["1", "2", "2E", "3", "3U"];
        trainee[pick].severity = Some(severities[wrong].to_string());
        let off = points(&structure, &reference, &trainee);
        trainee[pick].severity = reference[pick].severity.clone();
        let right = points(&structure, &reference, &trainee);
        prop_assert!(right >= off - 1e-9);
        let mut duplicated = trainee.clone();
        let mut twin = trainee[pick].clone();
        twin.id = 700;
        duplicated.push(twin);
        prop_assert!(points(&structure, &reference, &duplicated) <= right + 1e-9);
    }
}

#[test]
fn the_marks_reasons_are_worded_in_both_languages_with_every_figure() {
    let structure = bridge();
    let reference = reference_defects(&structure);
    let trainee = renumbered(reference[..8].to_vec(), 100);
    let mark = compare_with(&structure, &reference, &trainee).mark;
    for words in [
        &voussoir_core::words::FRENCH,
        &voussoir_core::words::ENGLISH,
    ] {
        let reasons = mark.facts.reasons(words);
        assert_eq!(reasons.len(), 3);
        for reason in &reasons {
            assert!(!reason.contains('{'), "a place left unfilled: {reason}");
        }
    }
    let french = mark.facts.reasons(&voussoir_core::words::FRENCH);
    assert!(
        french[0].starts_with("repérage")
            && french[0].contains("8 désordres de la référence trouvés sur 13"),
        "{french:?}"
    );
    assert!(french[0].contains("0,75"), "decimal comma: {french:?}");
    assert_eq!(
        mark.reasons,
        mark.facts.reasons(&voussoir_core::words::ENGLISH)
    );
}
