//! The inspector's own grades: the class a trainee gives each component,
//! each part family (IQOA) or item (NBI), and the whole structure, in the
//! course's scheme. Checked here before they are stored, whoever sends
//! them (the capture app, a bundle, the command line).
//!
//! A target is a component code, `structure`, or `group:CODE` for an IQOA
//! part (`group:equipment`) or an NBI item (`group:deck`).

use super::{GradingScheme, Iqoa};
use crate::model::Structure;

/// The target of the whole structure's grade.
pub const STRUCTURE_TARGET: &str = "structure";

/// Why an own grade was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OwnGradeError {
    #[error("`{target}` is not a component of {structure}, `structure`, or a group such as `group:equipment`; this structure has {known}")]
    UnknownTarget {
        target: String,
        structure: String,
        known: String,
    },
    #[error("`{grade}` is not a class of {scheme}; use {allowed}")]
    UnknownGrade {
        grade: String,
        scheme: String,
        allowed: &'static str,
    },
}

/// Checks one own grade and returns it in canonical form (component code
/// as the course spells it, class as the scheme writes it).
///
/// ```
/// use voussoir_core::grading::own::check_own_grade;
/// # let structure = voussoir_core::Structure { code: "PONT".into(), name: "Pont".into(),
/// #   kind: voussoir_core::model::StructureKind::Beam, material: None, position: None,
/// #   axis: vec![], crossing: None, components: vec![], deadline: None };
/// let (target, grade) = check_own_grade("iqoa", &structure, "Structure", "2e").unwrap();
/// assert_eq!((target.as_str(), grade.as_str()), ("structure", "2E"));
/// ```
pub fn check_own_grade(
    scheme: &str,
    structure: &Structure,
    target: &str,
    grade: &str,
) -> Result<(String, String), OwnGradeError> {
    let grading_scheme: &dyn GradingScheme = super::scheme(scheme).unwrap_or(&Iqoa);
    let wanted = target.trim();
    let target = if wanted.eq_ignore_ascii_case(STRUCTURE_TARGET) {
        STRUCTURE_TARGET.to_string()
    } else if let Some(group) = wanted
        .strip_prefix("group:")
        .map(|group| group.trim().to_lowercase())
    {
        if !grading_scheme.group_codes().contains(&group.as_str()) {
            return Err(unknown_target(wanted, structure));
        }
        format!("group:{group}")
    } else {
        structure
            .component(wanted)
            .map(|component| component.code.clone())
            .ok_or_else(|| unknown_target(wanted, structure))?
    };
    let grade = grade.trim();
    let grade = grading_scheme
        .parse_class(grade)
        .ok_or_else(|| OwnGradeError::UnknownGrade {
            grade: grade.to_string(),
            scheme: scheme.to_uppercase(),
            allowed: grading_scheme.classes_help(),
        })?;
    Ok((target, grade))
}

fn unknown_target(target: &str, structure: &Structure) -> OwnGradeError {
    OwnGradeError::UnknownTarget {
        target: target.to_string(),
        structure: structure.code.clone(),
        known: structure.component_codes().join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::test_support::bridge;

    fn check(scheme: &str, target: &str, grade: &str) -> Result<(String, String), ()> {
        check_own_grade(scheme, &bridge(), target, grade).map_err(|_| ())
    }

    fn ok(target: &str, grade: &str) -> Result<(String, String), ()> {
        Ok((target.to_string(), grade.to_string()))
    }

    #[test]
    fn iqoa_own_grades_are_classes_with_the_safety_mention() {
        assert_eq!(check("iqoa", "p1", "2e"), ok("P1", "2E"));
        assert_eq!(check("iqoa", "P1", "3us"), ok("P1", "3US"));
        assert_eq!(check("iqoa", "structure", "3U"), ok("structure", "3U"));
        assert_eq!(
            check("iqoa", "group:Equipment", "2"),
            ok("group:equipment", "2")
        );
        assert_eq!(check("iqoa", "P1", "ne"), ok("P1", "NE"));
        assert_eq!(check("iqoa", "P1", "4"), Err(()));
        assert_eq!(check("iqoa", "group:deck", "2"), Err(()));
    }

    #[test]
    fn nbi_own_grades_are_ratings_from_zero_to_nine_or_n() {
        assert_eq!(check("nbi", "group:deck", "7"), ok("group:deck", "7"));
        assert_eq!(check("nbi", "structure", "n"), ok("structure", "N"));
        assert_eq!(check("nbi", "T1", "10"), Err(()));
        assert_eq!(check("nbi", "T1", "2E"), Err(()));
    }

    #[test]
    fn an_unknown_component_lists_the_structures_components() {
        let error = check_own_grade("iqoa", &bridge(), "P9", "2").expect_err("unknown");
        assert!(error.to_string().contains("C0, P1"), "{error}");
    }
}
