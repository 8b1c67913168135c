//! What changed between two versions of a trainee's inspection: defects
//! added, removed, and changed (the same component, type and place, with
//! another severity, extent, measurements or note). Pure; the review page
//! shows it so an instructor reads only what is new since she returned the
//! work.

use serde::Serialize;

use crate::model::Defect;

/// Two defects are the same record across versions when their component
/// and type agree and their positions (when both have one) are within this
/// distance, in metres.
const SAME_PLACE_M: f64 = 2.0;

/// One defect that changed, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed {
    pub before: Defect,
    pub after: Defect,
}

/// The changes from an earlier version to a later one.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    pub added: Vec<Defect>,
    pub removed: Vec<Defect>,
    pub changed: Vec<Changed>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn same_record(a: &Defect, b: &Defect) -> bool {
    a.component.eq_ignore_ascii_case(&b.component)
        && a.type_code.eq_ignore_ascii_case(&b.type_code)
        && match (a.position, b.position) {
            (Some(p), Some(q)) => p.distance_m(q) <= SAME_PLACE_M,
            (None, None) => true,
            _ => false,
        }
}

fn same_content(a: &Defect, b: &Defect) -> bool {
    a.severity == b.severity
        && a.extent == b.extent
        && a.measurements == b.measurements
        && a.note == b.note
        && a.photos == b.photos
}

/// The changes from `before` to `after`, each defect paired at most once.
pub fn changes(before: &[Defect], after: &[Defect]) -> Changes {
    let mut unpaired: Vec<&Defect> = before.iter().collect();
    let mut result = Changes::default();
    for defect in after {
        match unpaired.iter().position(|old| same_record(old, defect)) {
            Some(index) => {
                let old = unpaired.remove(index);
                if !same_content(old, defect) {
                    result.changed.push(Changed {
                        before: old.clone(),
                        after: defect.clone(),
                    });
                }
            }
            None => result.added.push(defect.clone()),
        }
    }
    result.removed = unpaired.into_iter().cloned().collect();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::test_support::defect;

    #[test]
    fn added_removed_and_changed_defects_are_told_apart() {
        let before = vec![
            defect(1, "P1", "CON-CRACK", Some("2")),
            defect(2, "T1", "CON-SPALL", Some("2E")),
        ];
        let after = vec![
            defect(11, "P1", "CON-CRACK", Some("2E")),
            defect(12, "C0", "MAS-MORTAR", Some("2")),
        ];
        let found = changes(&before, &after);
        assert_eq!(found.changed.len(), 1);
        assert_eq!(found.changed[0].after.severity.as_deref(), Some("2E"));
        assert_eq!(found.added[0].component, "C0");
        assert_eq!(found.removed[0].component, "T1");
        assert!(changes(&before, &before).is_empty());
    }
}
