//! Reading inspections for people: gathering one for display or export,
//! comparing a trainee's inspection with the structure's reference, the
//! mark that comparison suggests, and agreement across a class.
//!
//! Everything here reads the field book and never writes it.

use voussoir_core::agreement::{Agreement, Rater};
use voussoir_core::compare::{compare, CompareOptions, Comparison, OwnGrades};
use voussoir_core::grading::{self, Grading, GradingScheme};
use voussoir_core::read_model::{InspectionData, TrackData};
use voussoir_core::words::errors::english as said;
use voussoir_core::{Defect, Inspection, Structure};
use voussoir_store::FieldBook;

use crate::{Error, Result};

/// Gathers everything about one inspection for the pages and exporters.
pub fn load_inspection(book: &FieldBook, id: i64) -> Result<InspectionData> {
    let course = book.course()?;
    let inspection = book.inspection(id)?;
    let structure = book.structure(&inspection.structure)?;
    let defects = book.defects(id)?;
    let scheme = grading::scheme(&course.scheme)?;
    let grading = grading::grade_inspection(scheme, &structure, &inspection, &defects);
    let photos = book.photos(Some(id))?;
    let mut tracks = Vec::new();
    for record in book.tracks(Some(id))? {
        tracks.push(TrackData {
            file: record.file.clone(),
            format: record.format.clone(),
            track: book.load_track(record.id)?,
        });
    }
    Ok(InspectionData {
        course_code: course.code,
        course_name: course.name,
        scheme: course.scheme,
        language: course.language,
        structure,
        inspection,
        defects,
        grading,
        photos,
        tracks,
        dives: book.load_dives(Some(id))?,
        own_grades: book.own_grades(id)?,
    })
}

/// The reference inspection of a structure: the newest one marked so.
pub fn reference_of(book: &FieldBook, structure: &str) -> Result<Option<i64>> {
    Ok(book.reference_inspection(structure)?)
}

/// The reference of the structure an inspection is of, or an error that
/// says how to give one.
pub fn required_reference(book: &FieldBook, inspection_id: i64) -> Result<i64> {
    let structure = book.inspection(inspection_id)?.structure;
    reference_of(book, &structure)?.ok_or_else(|| {
        Error::Invalid(said(
            "review.no_reference",
            &[("structure", structure.to_string())],
        ))
    })
}

/// One side of a comparison: an inspection and its defects, as stored or
/// as received.
pub struct Side<'a> {
    pub inspection: &'a Inspection,
    pub defects: &'a [Defect],
    /// The inspector's own grades: (target, grade).
    pub own_grades: &'a [(String, String)],
    /// Why a grade was given against the computed one: (target, reason).
    pub grade_reasons: &'a [(String, String)],
}

/// Compares two sides: grades in the course's scheme; defect severities on
/// the scale both sides were recorded in, or carried into the course's
/// scheme when the sides were recorded in different ones.
pub fn compare_sides(
    scheme: &dyn GradingScheme,
    structure: &Structure,
    reference: Side<'_>,
    trainee: Side<'_>,
    options: CompareOptions,
) -> Comparison {
    let grade = |side: &Side<'_>| -> Grading {
        grading::grade_inspection(scheme, structure, side.inspection, side.defects)
    };
    let reference_grading = grade(&reference);
    let trainee_grading = grade(&trainee);
    // Severities compare on the scale both sides were recorded in, so the
    // crosswalk never merges two of its steps (IQOA 2E and 3 are both NBI
    // moderate); only sides recorded in different schemes are carried.
    let severity_scheme = match grading::scheme(&reference.inspection.scheme) {
        Ok(recorded)
            if reference
                .inspection
                .scheme
                .eq_ignore_ascii_case(&trainee.inspection.scheme) =>
        {
            recorded
        }
        _ => scheme,
    };
    let reference_defects = grading::defects_in_scheme(
        reference.defects,
        &reference.inspection.scheme,
        severity_scheme,
    );
    let trainee_defects =
        grading::defects_in_scheme(trainee.defects, &trainee.inspection.scheme, severity_scheme);
    compare(
        severity_scheme,
        (&reference_defects, &reference_grading),
        (&trainee_defects, &trainee_grading),
        OwnGrades {
            reference: reference.own_grades,
            trainee: trainee.own_grades,
            reference_reasons: reference.grade_reasons,
        },
        options,
    )
}

/// Compares two stored inspections of the same structure, with the
/// course's rubric weights.
pub fn comparison(
    book: &FieldBook,
    reference_id: i64,
    inspection_id: i64,
    options: CompareOptions,
) -> Result<Comparison> {
    let reference = book.inspection(reference_id)?;
    let trainee = book.inspection(inspection_id)?;
    if !reference.structure.eq_ignore_ascii_case(&trainee.structure) {
        return Err(Error::Invalid(said(
            "review.other_structure",
            &[
                ("inspection", inspection_id.to_string()),
                ("structure", trainee.structure.to_string()),
                ("reference", reference_id.to_string()),
                ("reference_structure", reference.structure.to_string()),
            ],
        )));
    }
    let structure = book.structure(&reference.structure)?;
    let course = book.course()?;
    let scheme = grading::scheme(&course.scheme)?;
    let reference_defects = book.defects(reference_id)?;
    let trainee_defects = book.defects(inspection_id)?;
    let reference_own = book.own_grades(reference_id)?;
    let reference_reasons = book.grade_reasons(reference_id)?;
    let trainee_own = book.own_grades(inspection_id)?;
    Ok(compare_sides(
        scheme,
        &structure,
        Side {
            inspection: &reference,
            defects: &reference_defects,
            own_grades: &reference_own,
            grade_reasons: &reference_reasons,
        },
        Side {
            inspection: &trainee,
            defects: &trainee_defects,
            own_grades: &trainee_own,
            grade_reasons: &[],
        },
        CompareOptions {
            rubric: course.rubric,
            ..options
        },
    ))
}

/// The mark the comparison with the structure's reference suggests for a
/// stored inspection, or `None` while the structure has no reference.
pub fn suggested_mark(book: &FieldBook, inspection_id: i64) -> Result<Option<f64>> {
    let structure = book.inspection(inspection_id)?.structure;
    let Some(reference) = reference_of(book, &structure)? else {
        return Ok(None);
    };
    let compared = comparison(book, reference, inspection_id, CompareOptions::default())?;
    Ok(Some(compared.mark.suggested.value()))
}

/// The non-reference inspections of a structure, with who made them.
pub fn class_of(book: &FieldBook, structure: &str) -> Result<Vec<(i64, String)>> {
    Ok(book
        .inspections()?
        .into_iter()
        .filter(|inspection| {
            !inspection.is_reference && inspection.structure.eq_ignore_ascii_case(structure)
        })
        .map(|inspection| {
            let who = inspection
                .inspector
                .clone()
                .unwrap_or_else(|| format!("#{}", inspection.id));
            (inspection.id, who)
        })
        .collect())
}

/// Agreement on one structure's component grades between the given
/// inspections (id, who), and with the reference when there is one.
pub fn class_agreement(
    book: &FieldBook,
    structure_code: &str,
    inspections: &[(i64, String)],
) -> Result<Agreement> {
    let structure = book.structure(structure_code)?;
    let scheme = grading::scheme(&book.course()?.scheme)?;
    let grade = |id: i64| -> Result<Grading> {
        let inspection = book.inspection(id)?;
        let defects = book.defects(id)?;
        Ok(grading::grade_inspection(
            scheme,
            &structure,
            &inspection,
            &defects,
        ))
    };
    let reference = match reference_of(book, &structure.code)? {
        Some(id) => Some(grade(id)?),
        None => None,
    };
    let gradings = inspections
        .iter()
        .map(|(id, _)| grade(*id))
        .collect::<Result<Vec<_>>>()?;
    let raters: Vec<Rater<'_>> = inspections
        .iter()
        .zip(&gradings)
        .map(|((id, who), grading)| Rater {
            inspection: *id,
            inspector: who.clone(),
            grading,
        })
        .collect();
    Ok(voussoir_core::agreement::agreement(
        reference.as_ref(),
        &raters,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use voussoir_core::course::Course;
    use voussoir_core::model::{InspectionKind, Measurements};

    fn inspection(id: i64, scheme: &str) -> Inspection {
        Inspection {
            id,
            structure: "PONT".into(),
            kind: InspectionKind::EvaluationVisit,
            inspector: None,
            date: None,
            weather: None,
            is_reference: id == 1,
            scheme: scheme.into(),
            not_inspected: Vec::new(),
        }
    }

    fn crack(severity: &str) -> Defect {
        Defect {
            id: 1,
            component: "P1".into(),
            type_code: "CON-CRACK".into(),
            severity: Some(severity.into()),
            extent: None,
            measurements: Measurements::default(),
            position: None,
            note: None,
            photos: Vec::new(),
        }
    }

    #[test]
    fn sides_recorded_in_iqoa_keep_2e_and_3_apart_in_an_nbi_course() {
        let course = Course::from_toml(
            "[course]\ncode = \"C\"\nname = \"C\"\nscheme = \"nbi\"\n[[structures]]\ncode = \"PONT\"\nname = \"P\"\nkind = \"beam\"\nmaterial = \"concrete\"\n[[structures.components]]\ncode = \"P1\"\nkind = \"pier\"\n",
        )
        .expect("valid course");
        let (reference, trainee) = (inspection(1, "iqoa"), inspection(2, "iqoa"));
        let (reference_defects, trainee_defects) = ([crack("2E")], [crack("3")]);
        let comparison = compare_sides(
            grading::scheme("nbi").expect("known"),
            &course.structures[0],
            Side {
                inspection: &reference,
                defects: &reference_defects,
                own_grades: &[],
                grade_reasons: &[],
            },
            Side {
                inspection: &trainee,
                defects: &trainee_defects,
                own_grades: &[],
                grade_reasons: &[],
            },
            CompareOptions::default(),
        );
        assert_eq!(comparison.matched[0].severity_difference, Some(1));
    }
}
