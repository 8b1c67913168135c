//! An NBI item's rating (deck 58, superstructure 59, substructure 60,
//! culvert 62): the lowest code of its components, N where the structure has
//! no such component, not evaluated while one of them is. Works on the
//! components' rated codes only; it does not read defects.

use super::*;
/// An item's rating: a code, not applicable (N), or not evaluated.
#[derive(Debug, Clone)]
pub(super) struct ItemRating {
    pub(super) value: ItemValue,
    pub(super) reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum ItemValue {
    Rated(u8),
    NotApplicable,
    NotEvaluated,
}

impl ItemRating {
    pub(super) fn class(&self) -> String {
        match self.value {
            ItemValue::Rated(rating) => rating.to_string(),
            ItemValue::NotApplicable => "N".to_string(),
            ItemValue::NotEvaluated => NOT_EVALUATED.to_string(),
        }
    }
}

pub(super) fn item_rating(structure: &Structure, item: NbiItem, rated: &[Rated]) -> ItemRating {
    let members: Vec<&Rated> = rated.iter().filter(|entry| entry.item == item).collect();
    if members.is_empty() {
        let key = if structure.kind == StructureKind::Culvert
            && matches!(
                item,
                NbiItem::Deck | NbiItem::Superstructure | NbiItem::Substructure
            ) {
            "nbi.item_culvert_whole"
        } else if item == NbiItem::Culvert {
            "nbi.item_not_culvert"
        } else {
            "nbi.item_no_component"
        };
        return ItemRating {
            value: ItemValue::NotApplicable,
            reasons: vec![Reason::new(key, vec![])],
        };
    }
    let Some(lowest) = members.iter().filter_map(|entry| entry.rating).min() else {
        return ItemRating {
            value: ItemValue::NotEvaluated,
            reasons: vec![Reason::new("nbi.item_none_rated", vec![])],
        };
    };
    let holders: Vec<&str> = members
        .iter()
        .filter(|entry| entry.rating == Some(lowest))
        .map(|entry| entry.grade.component.as_str())
        .collect();
    let mut reasons = vec![Reason::new(
        "nbi.item_lowest",
        vec![
            ("rating", text(lowest)),
            ("label", Arg::Key(label_key(lowest))),
            ("components", reason::codes(&holders)),
        ],
    )];
    let unrated: Vec<&str> = members
        .iter()
        .filter(|entry| entry.rating.is_none())
        .map(|entry| entry.grade.component.as_str())
        .collect();
    if !unrated.is_empty() {
        reasons.push(Reason::new(
            "nbi.not_rated",
            vec![("components", reason::codes(&unrated))],
        ));
    }
    ItemRating {
        value: ItemValue::Rated(lowest),
        reasons,
    }
}
