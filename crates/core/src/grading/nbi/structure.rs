//! The NBI structure grade: good, fair or poor from the lowest governing
//! item (58, 59, 60, or 62 on a culvert, 23 CFR 490.409), unknown while one
//! of them is unrated, and the structurally deficient flag (23 CFR
//! 490.411).

use super::*;

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
    let not_evaluated = |reasons: Vec<String>| StructureGrade {
        class: NOT_EVALUATED.to_string(),
        label: NOT_EVALUATED.to_string(),
        safety: false,
        reasons: super::plain(reasons),
        structurally_deficient: Some(deficient),
    };
    let Some(lowest) = rated.iter().map(|(_, value)| *value).min() else {
        reasons
            .push("none of the governing items (58–60, or 62 on a culvert) was rated".to_string());
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
        reasons.push(format!(
            "{} not rated: good, fair or poor needs the lowest of all governing items (23 CFR 490.409); the rated ones are at least as low as {lowest}",
            unrated.join(", ")
        ));
        if deficient {
            reasons.push(
                "structurally deficient: an item among 58, 59, 60, 62 is 4 or less (23 CFR 490.411)"
                    .to_string(),
            );
        }
        return not_evaluated(reasons);
    }
    let governing_names: Vec<&str> = rated
        .iter()
        .filter(|(_, value)| *value == lowest)
        .map(|(item, _)| item.code())
        .collect();
    let rule = if structure.kind == StructureKind::Culvert {
        "item 62"
    } else {
        "the lowest of items 58, 59, 60"
    };
    let class = condition_class(lowest);
    reasons.push(format!(
        "{rule} is {lowest} ({}), from {}",
        rating_label(lowest),
        governing_names.join(", ")
    ));
    reasons.push(format!(
        "{class}: 7–9 good, 5–6 fair, 0–4 poor (23 CFR 490.409)"
    ));
    if deficient {
        reasons.push(
            "structurally deficient: an item among 58, 59, 60, 62 is 4 or less (23 CFR 490.411)"
                .to_string(),
        );
    }
    StructureGrade {
        class: class.to_string(),
        label: format!("{class} ({lowest})"),
        safety: false,
        reasons: super::plain(reasons),
        structurally_deficient: Some(deficient),
    }
}
