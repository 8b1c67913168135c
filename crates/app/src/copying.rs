//! Signs that work was copied, for the instructor to look at: the same
//! photos, the same defects or the same hand-in under two trainees, and an
//! inspector name that is not the trainee's. Each flag carries its
//! evidence. This module only points; it never refuses, marks or punishes
//! (the instructor decides).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use voussoir_core::Defect;
use voussoir_store::{FieldBook, Submission};

use crate::Result;

/// Identical defect records two trainees must share before it is a sign:
/// one or two can be chance on a small bridge.
pub const SHARED_DEFECTS_THRESHOLD: usize = 3;

/// What the flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyingSign {
    /// The very same hand-in (same defects, photos, tracks, grades).
    SameHandIn,
    /// Photos with the same content hash.
    SamePhotos,
    /// Defect records identical to the last digit (position, measurements,
    /// note).
    SameDefects,
    /// The inspection names an inspector who is not the trainee.
    OtherInspector,
}

/// One sign, with the submissions it concerns and the evidence (counts
/// and names, no verdict; pages word it in the course's language).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CopyingFlag {
    pub sign: CopyingSign,
    /// Submission ids (two for the signs between trainees).
    pub submissions: Vec<i64>,
    pub trainees: Vec<String>,
    pub structure: String,
    /// How many photos or defect records are shared (1 for the others).
    pub count: usize,
    /// The inspector the inspection names, for [`CopyingSign::OtherInspector`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inspector: Option<String>,
}

/// Every sign of copying among the submissions: identical hand-ins, shared
/// photos, identical defects, other inspectors, in that order.
pub fn copying_flags(book: &FieldBook) -> Result<Vec<CopyingFlag>> {
    let submissions = book.submissions(None)?;
    let by_id: HashMap<i64, &Submission> = submissions.iter().map(|s| (s.id, s)).collect();
    let pair = |sign, a: i64, b: i64, count: usize| -> Option<CopyingFlag> {
        let (first, second) = (by_id.get(&a)?, by_id.get(&b)?);
        Some(CopyingFlag {
            sign,
            submissions: vec![a, b],
            trainees: vec![first.trainee.clone(), second.trainee.clone()],
            structure: first.structure.clone(),
            count,
            inspector: None,
        })
    };
    let mut flags = Vec::new();
    for (a, b) in book.identical_submissions()? {
        flags.extend(pair(CopyingSign::SameHandIn, a, b, 1));
    }
    for (a, b, shared) in book.shared_photos()? {
        flags.extend(pair(
            CopyingSign::SamePhotos,
            a,
            b,
            usize::try_from(shared).unwrap_or(0),
        ));
    }
    flags.extend(same_defects(book, &submissions)?);
    flags.extend(other_inspectors(book, &submissions)?);
    Ok(flags)
}

/// A defect as compared for copying: every recorded field, positions and
/// measurements to the last digit.
fn fingerprint(defect: &Defect) -> String {
    serde_json::json!([
        defect.component.to_uppercase(),
        defect.type_code,
        defect.severity,
        defect.position.map(|point| [point.lon, point.lat]),
        defect.measurements,
        defect.note,
    ])
    .to_string()
}

/// Pairs of submissions of one structure by different trainees sharing at
/// least [`SHARED_DEFECTS_THRESHOLD`] identical positioned defect records.
fn same_defects(book: &FieldBook, submissions: &[Submission]) -> Result<Vec<CopyingFlag>> {
    let mut records: Vec<(&Submission, HashSet<String>)> = Vec::new();
    for submission in submissions {
        let defects = book.defects(submission.inspection)?;
        let prints = defects
            .iter()
            .filter(|defect| defect.position.is_some())
            .map(fingerprint)
            .collect();
        records.push((submission, prints));
    }
    let mut flags = Vec::new();
    for (index, (first, first_prints)) in records.iter().enumerate() {
        for (second, second_prints) in &records[index + 1..] {
            if first.trainee_id == second.trainee_id
                || !first.structure.eq_ignore_ascii_case(&second.structure)
            {
                continue;
            }
            let shared = first_prints.intersection(second_prints).count();
            if shared >= SHARED_DEFECTS_THRESHOLD {
                flags.push(CopyingFlag {
                    sign: CopyingSign::SameDefects,
                    submissions: vec![first.id, second.id],
                    trainees: vec![first.trainee.clone(), second.trainee.clone()],
                    structure: first.structure.clone(),
                    count: shared,
                    inspector: None,
                });
            }
        }
    }
    Ok(flags)
}

/// Submissions whose inspection names an inspector other than the trainee
/// (neither the login nor the full name the course file gives).
fn other_inspectors(book: &FieldBook, submissions: &[Submission]) -> Result<Vec<CopyingFlag>> {
    let course = book.course()?;
    let mut flags = Vec::new();
    for submission in submissions {
        let Some(inspector) = book.inspection(submission.inspection)?.inspector else {
            continue;
        };
        let named = |name: &str| name.trim().eq_ignore_ascii_case(inspector.trim());
        if !named(&submission.trainee) && !named(&course.trainee_name(&submission.trainee)) {
            flags.push(CopyingFlag {
                sign: CopyingSign::OtherInspector,
                submissions: vec![submission.id],
                trainees: vec![submission.trainee.clone()],
                structure: submission.structure.clone(),
                count: 1,
                inspector: Some(inspector.trim().to_string()),
            });
        }
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use voussoir_store::Role;

    #[test]
    fn the_demo_shows_bobs_borrowed_photo_and_an_unknown_inspector() {
        let dir = tempfile::tempdir().expect("temp");
        let built = crate::demo::build(&dir.path().join("demo")).expect("demo");
        let mut book = FieldBook::open(&built.dir).expect("open");
        for name in ["alice", "bob"] {
            let user = book.add_user(name, Role::Trainee, "x", None).expect("user");
            let inspection = built.inspections[if name == "alice" { 1 } else { 2 }];
            crate::submission::submit_stored(&mut book, &user, inspection).expect("submit");
        }
        let flags = copying_flags(&book).expect("flags");
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].sign, CopyingSign::SamePhotos);
        assert_eq!(flags[0].trainees, vec!["alice", "bob"]);
        assert_eq!(flags[0].count, 1);

        // Carol hands in an inspection that says Alice Martin made it.
        let carol = book
            .add_user("carol", Role::Trainee, "x", None)
            .expect("user");
        let inspection = book
            .new_inspection(&voussoir_store::NewInspection {
                structure: "PONT-LEGUER".into(),
                kind: voussoir_core::model::InspectionKind::DetailedPeriodic,
                inspector: Some("Alice Martin".into()),
                date: None,
                weather: None,
                is_reference: false,
                not_inspected: Vec::new(),
            })
            .expect("inspection");
        crate::submission::submit_stored(&mut book, &carol, inspection.id).expect("submit");
        let flags = copying_flags(&book).expect("flags");
        assert!(flags
            .iter()
            .any(|flag| flag.sign == CopyingSign::OtherInspector
                && flag.inspector.as_deref() == Some("Alice Martin")));
    }
}
