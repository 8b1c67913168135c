//! Tests of the German scheme: ratings read, base numbers and corrections
//! from the data file, ranges, the crosswalk. Tests only.

use super::super::test_support::*;
use super::super::{grade_inspection, GradingScheme};
use super::*;
use crate::model::Extent;

#[test]
fn the_data_file_holds_every_number() {
    let table = table();
    assert_eq!(table.base.stability[0], 1.0);
    assert!(table.base.durability.windows(2).all(|w| w[0] <= w[1]));
    assert!(table.count.from > 1 && table.groups.from > 1);
}

#[test]
fn ratings_are_read_in_both_spellings_and_refused_beyond_four() {
    let expected = Rating {
        stability: 2,
        traffic_safety: 0,
        durability: 3,
    };
    assert_eq!(Rating::parse("S2 V0 D3"), Some(expected));
    assert_eq!(Rating::parse("d3s2v0"), Some(expected));
    assert_eq!(Rating::parse("2/0/3"), Some(expected));
    assert_eq!(Rating::parse("S5V0D0"), None);
    assert_eq!(Rating::parse("S2V0"), None);
    assert_eq!(Rating::parse("S2S2V0D0"), None);
    assert_eq!(Rating::parse("2/0"), None);
    assert_eq!(expected.code(), "S2V0D3");
}

#[test]
fn the_worst_damage_drives_the_component_with_its_extent() {
    let table = table();
    let mut rebar = defect(1, "P1", "CON-REBAR", Some("S2V0D3"));
    rebar.extent = Some(Extent::Widespread);
    let crack = defect(2, "P1", "CON-CRACK", Some("S0V0D1"));
    let grading = grade_inspection(
        &RiEbwPruef,
        &bridge(),
        &inspection("ri-ebw-pruef", &[]),
        &[rebar, crack],
    );
    let pier = &grading.components[1];
    let expected = table.base.stability[2].max(table.base.durability[3]) + table.extent.large;
    assert_eq!(pier.class, format!("{:.1}", expected));
    assert_eq!(pier.driving_defects, vec![1]);
    let substructure = grading
        .groups
        .iter()
        .find(|group| group.group == "substructure")
        .expect("substructure");
    assert_eq!(substructure.class, pier.class);
    // Only one group damaged: the structure takes its note.
    assert_eq!(grading.structure.class, pier.class);
    assert!(grading
        .structure
        .reasons
        .iter()
        .any(|reason| reason.contains("unconfirmed")));
}

#[test]
fn traffic_safety_counts_for_the_note_but_not_the_substance_number() {
    let parapet = defect(1, "GC", "EQP-PARAPET", Some("S0V4D0"));
    let grading = grade_inspection(
        &RiEbwPruef,
        &bridge(),
        &inspection("ri-ebw-pruef", &[]),
        &[parapet],
    );
    let table = table();
    assert_eq!(
        grading.structure.class,
        format!("{:.1}", table.base.traffic_safety[4] + table.extent.medium)
    );
    assert!(grading
        .structure
        .reasons
        .iter()
        .any(|reason| reason.contains("Substanzkennzahl 1.0")));
}

#[test]
fn many_damaged_groups_raise_the_note_but_never_past_four() {
    let damages = [
        defect(1, "P1", "CON-SPALL", Some("S4V4D4")),
        defect(2, "AP1", "BRG-BULGE", Some("S4V0D4")),
        defect(3, "J1", "JNT-LEAK", Some("S0V4D4")),
    ];
    let grading = grade_inspection(
        &RiEbwPruef,
        &bridge(),
        &inspection("ri-ebw-pruef", &[]),
        &damages,
    );
    let value: f64 = grading.structure.class.parse().expect("note");
    assert!(value <= 4.0);
    assert!(grading
        .structure
        .reasons
        .iter()
        .any(|reason| reason.key() == "rib.structure_groups"));
}

#[test]
fn ranges_follow_the_reference() {
    assert_eq!(range(1.4).0, 1);
    assert_eq!(range(1.5).0, 2);
    assert_eq!(range(2.4).0, 3);
    assert_eq!(range(2.9).0, 4);
    assert_eq!(range(3.4).0, 5);
    assert_eq!(range(4.0).0, 6);
    assert_eq!(RiEbwPruef.class_rank("2,4"), Some(3));
    assert_eq!(RiEbwPruef.parse_class("2,4").as_deref(), Some("2.4"));
    assert_eq!(RiEbwPruef.parse_class("4.5"), None);
}

#[test]
fn not_inspected_and_unrated_parts_are_not_evaluated() {
    let unrated = defect(1, "T1", "CON-CRACK", None);
    let grading = grade_inspection(
        &RiEbwPruef,
        &bridge(),
        &inspection("ri-ebw-pruef", &["P1"]),
        &[unrated],
    );
    assert_eq!(grading.components[1].class, "NE");
    assert_eq!(grading.components[2].class, "NE");
    assert_eq!(grading.structure.class, "1.0");
}

#[test]
fn iqoa_severities_are_carried_over_through_the_crosswalk() {
    let grading = grade_inspection(
        &RiEbwPruef,
        &bridge(),
        &inspection("iqoa", &[]),
        &[defect(1, "P1", "CON-REBAR", Some("3US"))],
    );
    let pier = &grading.components[1];
    assert!(
        pier.reasons
            .iter()
            .any(|r| r.contains("S4V4D4 from iqoa 3US")),
        "{:?}",
        pier.reasons
    );
    assert_eq!(RiEbwPruef.to_step("S1V0D3").map(|s| s.step), Some(4));
}
