//! The NBI structure grade: good, fair or poor from the lowest governing
//! item (58, 59, 60, or 62 on a culvert, 23 CFR 490.409), unknown while one
//! of them is unrated, and the structurally deficient flag (23 CFR
//! 490.411).

use super::*;
use crate::grading::reason::{codes, text, Arg, Reason};

pub(super) fn structure_grade(
    structure: &Structure,
    items: &[(NbiItem, ItemRating)],
) -> StructureGrade {
    let governing: &[NbiItem] = if structure.kind == StructureKind::Culvert {
        &[NbiItem::Culvert]
    } else {
        &[
            NbiItem::Deck,
            NbiItem::Superstructure,
            NbiItem::Substructure,
        ]
    };
    let rated: Vec<(NbiItem, u8)> = items
        .iter()
        .filter(|(item, _)| governing.contains(item))
        .filter_map(|(item, rating)| match rating.value {
            ItemValue::Rated(value) => Some((*item, value)),
            _ => None,
        })
        .collect();
    let mut reasons = Vec::new();
    let deficient = items
        .iter()
        .filter(|(item, _)| {
            matches!(
                item,
                NbiItem::Deck | NbiItem::Superstructure | NbiItem::Substructure | NbiItem::Culvert
            )
        })
        .any(|(_, rating)| matches!(rating.value, ItemValue::Rated(value) if value <= 4));
    let not_evaluated = |reasons: Vec<Reason>| StructureGrade {
        class: NOT_EVALUATED.to_string(),
        label: NOT_EVALUATED.to_string(),
        safety: false,
        reasons,
        structurally_deficient: Some(deficient),
    };
    let Some(lowest) = rated.iter().map(|(_, value)| *value).min() else {
        reasons.push(Reason::new("nbi.no_governing_item", vec![]));
        return not_evaluated(reasons);
    };
    // Good/fair/poor is the lowest of all the governing items: one left
    // unrated (a substructure not dived) leaves it unknown.
    let unrated: Vec<&str> = items
        .iter()
        .filter(|(item, rating)| {
            governing.contains(item) && matches!(rating.value, ItemValue::NotEvaluated)
        })
        .map(|(item, _)| item.label())
        .collect();
    if !unrated.is_empty() {
        reasons.push(Reason::new(
            "nbi.governing_unrated",
            vec![("items", codes(&unrated)), ("lowest", text(lowest))],
        ));
        if deficient {
            reasons.push(Reason::new("nbi.deficient", vec![]));
        }
        return not_evaluated(reasons);
    }
    let governing_names: Vec<&str> = rated
        .iter()
        .filter(|(_, value)| *value == lowest)
        .map(|(item, _)| item.code())
        .collect();
    let rule = if structure.kind == StructureKind::Culvert {
        "nbi.culvert_item"
    } else {
        "nbi.lowest_of_items"
    };
    let class = condition_class(lowest);
    reasons.push(Reason::new(
        rule,
        vec![
            ("rating", text(lowest)),
            ("label", Arg::Key(label_key(lowest))),
            ("items", codes(&governing_names)),
        ],
    ));
    reasons.push(Reason::new("nbi.class_rule", vec![("class", text(class))]));
    if deficient {
        reasons.push(Reason::new("nbi.deficient", vec![]));
    }
    StructureGrade {
        class: class.to_string(),
        label: format!("{class} ({lowest})"),
        safety: false,
        reasons,
        structurally_deficient: Some(deficient),
    }
}
