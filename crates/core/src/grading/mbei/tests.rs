//! Tests of the element-level scheme: the reference's worked example, the
//! thresholds, overlaps, the crosswalk. Tests only.

use super::super::test_support::*;
use super::super::{grade_inspection, GradingScheme};
use super::*;
use crate::model::{ComponentKind, ElementQuantity, Extent};

#[test]
fn the_reference_worked_example_gives_93() {
    let deck = ElementStates {
        quantities: vec![700.0, 200.0, 80.0, 20.0],
        failure_cost: 1.0,
    };
    let girders = ElementStates {
        quantities: vec![100.0, 0.0, 0.0, 0.0],
        failure_cost: 10.0,
    };
    let bhi = bridge_health_index(&[deck.clone(), girders], &Mbei::LINEAR.weights).expect("valued");
    assert!((bhi - 93.0).abs() < 1e-9, "{bhi}");
    let deck_health = deck.health(&linear_weights(4)).expect("valued");
    assert!((deck_health - 0.86).abs() < 1e-9, "{deck_health}");
    assert_eq!(linear_weights(3), vec![1.0, 0.5, 0.0]);
}

#[test]
fn the_worked_example_through_the_grading_of_defects() {
    let mut structure = bridge();
    structure.components = vec![
        component("TAB", ComponentKind::Deck),
        component("T1", ComponentKind::Span),
    ];
    structure.components[0].quantity = Some(ElementQuantity {
        total: 1000.0,
        unit: ElementUnit::M2,
        failure_cost: Some(1.0),
    });
    structure.components[1].quantity = Some(ElementQuantity {
        total: 100.0,
        unit: ElementUnit::M,
        failure_cost: Some(10.0),
    });
    let area = |id, severity, m2| {
        let mut defect = defect(id, "TAB", "CON-DELAM", Some(severity));
        defect.measurements.area_m2 = Some(m2);
        defect
    };
    let defects = [
        area(1, "CS2", 200.0),
        area(2, "CS3", 80.0),
        area(3, "CS4", 20.0),
    ];
    let grading = grade_inspection(
        &Mbei::LINEAR,
        &structure,
        &inspection("mbei", &[]),
        &defects,
    );
    assert_eq!(grading.structure.class, "93.0");
    assert_eq!(grading.components[0].class, "CS4");
    assert_eq!(grading.components[0].driving_defects, vec![3]);
    assert!(
        grading.components[0].reasons[0]
            .contains("CS1 700 m² · CS2 200 m² · CS3 80 m² · CS4 20 m²"),
        "{:?}",
        grading.components[0].reasons
    );
    assert_eq!(grading.components[1].class, "CS1");
}

#[test]
fn a_measured_crack_width_sets_the_state_over_the_recorded_one() {
    let mut crack = defect(1, "T1", "CON-CRACK", Some("CS1"));
    crack.measurements.crack_width_mm = Some(2.0);
    let grading = grade_inspection(&Mbei::LINEAR, &bridge(), &inspection("mbei", &[]), &[crack]);
    let span = grading
        .components
        .iter()
        .find(|g| g.component == "T1")
        .expect("T1");
    assert_eq!(span.class, "CS3");
    assert!(span
        .reasons
        .iter()
        .any(|r| r.key() == "mbei.measured_over_recorded"));
}

#[test]
fn overlapping_defects_never_count_twice() {
    let mut first = defect(1, "P1", "CON-EFFLO", Some("CS2"));
    first.extent = Some(Extent::Widespread);
    let mut second = defect(2, "P1", "CON-SPALL", Some("CS3"));
    second.extent = Some(Extent::Widespread);
    let mut third = defect(3, "P1", "CON-DELAM", Some("CS4"));
    third.extent = Some(Extent::Widespread);
    let grading = grade_inspection(
        &Mbei::LINEAR,
        &bridge(),
        &inspection("mbei", &[]),
        &[first, second, third],
    );
    let pier = &grading.components[1];
    // CS4 50 %, CS3 the other 50 %, nothing left for CS2 or CS1.
    assert!(
        pier.reasons[0].contains("CS1 0 % · CS2 0 % · CS3 50 % · CS4 50 %"),
        "{:?}",
        pier.reasons
    );
}

#[test]
fn scour_at_the_critical_depth_is_severe() {
    let mut structure = bridge();
    structure.components[1].critical_scour_depth_m = Some(1.5);
    let mut scour = defect(1, "P1", "UW-SCOUR", Some("CS2"));
    scour.measurements.scour_depth_m = Some(1.6);
    let grading = grade_inspection(
        &Mbei::LINEAR,
        &structure,
        &inspection("mbei", &[]),
        &[scour],
    );
    assert_eq!(grading.components[1].class, "CS4");
}

#[test]
fn iqoa_severities_are_carried_over_and_classes_parse() {
    let grading = grade_inspection(
        &Mbei::LINEAR,
        &bridge(),
        &inspection("iqoa", &[]),
        &[defect(1, "P1", "CON-REBAR", Some("3"))],
    );
    assert_eq!(grading.components[1].class, "CS3");
    assert_eq!(Mbei::LINEAR.parse_class("cs2").as_deref(), Some("CS2"));
    assert_eq!(Mbei::LINEAR.parse_class("93,04").as_deref(), Some("93.0"));
    assert_eq!(Mbei::LINEAR.class_rank("85.0"), Some(2));
    assert!(Mbei::LINEAR.parse_severity("CS5").is_err());
}
