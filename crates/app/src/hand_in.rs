//! When a trainee may hand in, and what counts as the same hand-in: the
//! submission window (open before the structure's deadline, or again after
//! the instructor returned the work; closed once accepted) and the
//! fingerprint that recognises an identical hand-in so it is not stored
//! twice. It decides; storing is the submission module's business.

use voussoir_core::course::Course;
use voussoir_core::Structure;
use voussoir_store::{ImportedInspection, StoreError, Submission, SubmissionStatus};

use crate::{Error, Result};

/// A fingerprint of what a hand-in holds (inspection details, defects,
/// photo, track and dive-log hashes, own grades), independent of how it was
/// packed: the same work sent twice, as a bundle or from the phone, gives
/// the same fingerprint.
pub fn fingerprint(imported: &ImportedInspection) -> String {
    let mut photos: Vec<&str> = imported
        .photos
        .iter()
        .map(|photo| photo.hash.as_str())
        .collect();
    photos.sort_unstable();
    let mut tracks: Vec<&str> = imported
        .tracks
        .iter()
        .map(|(_, hash, _, _)| hash.as_str())
        .chain(
            imported
                .dive_logs
                .iter()
                .map(|(_, hash, _, _)| hash.as_str()),
        )
        .collect();
    tracks.sort_unstable();
    let mut grades = imported.own_grades.clone();
    grades.sort();
    let defects: Vec<serde_json::Value> = imported
        .defects
        .iter()
        .map(|defect| {
            serde_json::json!([
                defect.component,
                defect.type_code,
                defect.severity,
                defect.extent.map(|extent| extent.code()),
                defect.measurements,
                defect.position.map(|point| [point.lon, point.lat]),
                defect.note,
                defect.photos,
            ])
        })
        .collect();
    let new = &imported.new;
    let content = serde_json::json!({
        "structure": new.structure.to_uppercase(),
        "kind": new.kind.code(),
        "inspector": new.inspector,
        "date": new.date.map(|date| date.to_string()),
        "weather": new.weather,
        "not_inspected": new.not_inspected,
        "scheme": imported.scheme,
        "defects": defects,
        "photos": photos,
        "tracks": tracks,
        "grades": grades,
    });
    blake3::hash(content.to_string().as_bytes())
        .to_hex()
        .to_string()
}

/// Refuses a new version when the submission is closed: accepted, or past
/// the structure's deadline without having been returned.
pub fn check_open(
    course: &Course,
    structure: &Structure,
    latest: Option<&Submission>,
    now: jiff::Timestamp,
) -> Result<()> {
    if let Some(latest) = latest {
        if latest.status == SubmissionStatus::Accepted {
            return Err(closed(format!(
                "your version {} for {} was accepted: the submission is closed; ask your instructor to return it if you must hand in again",
                latest.version, structure.code
            )));
        }
    }
    let Some(deadline) = structure.deadline else {
        return Ok(());
    };
    let zone = jiff::tz::TimeZone::get(&course.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let local_now = zone.to_datetime(now);
    let returned = latest.is_some_and(|latest| latest.status == SubmissionStatus::Returned);
    if local_now > deadline && !returned {
        return Err(closed(format!(
            "hand-ins for {} closed on {} ({}); after the deadline only work the instructor returned can be handed in again",
            structure.code,
            deadline.strftime("%Y-%m-%d %H:%M"),
            course.time_zone
        )));
    }
    Ok(())
}

fn closed(message: String) -> Error {
    Error::Store(StoreError::Conflict(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(deadline: Option<&str>) -> Course {
        let deadline = deadline
            .map(|text| format!("deadline = \"{text}\"\n"))
            .unwrap_or_default();
        Course::from_toml(&format!(
            "[course]\ncode = \"C\"\nname = \"C\"\n[[structures]]\ncode = \"PONT\"\nname = \"P\"\nkind = \"beam\"\n{deadline}"
        ))
        .expect("valid")
    }

    fn submission(status: SubmissionStatus) -> Submission {
        Submission {
            id: 1,
            trainee_id: 2,
            trainee: "alice".into(),
            structure: "PONT".into(),
            inspection: 3,
            version: 1,
            status,
            submitted_at: String::new(),
            suggested_mark: None,
            final_mark: None,
            feedback: None,
            reviewed_by: None,
            reviewed_at: None,
            defect_comments: Vec::new(),
            unchanged: false,
        }
    }

    fn at(text: &str) -> jiff::Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn before_the_deadline_a_new_version_is_welcome() {
        let course = course(Some("2026-12-15T18:00"));
        let open = check_open(
            &course,
            &course.structures[0],
            Some(&submission(SubmissionStatus::Submitted)),
            at("2026-12-15T16:59:00Z"), // 17:59 in Paris
        );
        assert!(open.is_ok());
    }

    #[test]
    fn after_the_deadline_only_returned_work_is_handed_in_again() {
        let course = course(Some("2026-12-15T18:00"));
        let structure = &course.structures[0];
        let late = at("2026-12-15T17:01:00Z"); // 18:01 in Paris
        let error = check_open(&course, structure, None, late).expect_err("closed");
        assert!(
            error.to_string().contains("closed on 2026-12-15 18:00"),
            "{error}"
        );
        let submitted = submission(SubmissionStatus::Submitted);
        assert!(check_open(&course, structure, Some(&submitted), late).is_err());
        let returned = submission(SubmissionStatus::Returned);
        assert!(check_open(&course, structure, Some(&returned), late).is_ok());
    }

    #[test]
    fn accepted_work_is_closed_even_without_a_deadline() {
        let course = course(None);
        let accepted = submission(SubmissionStatus::Accepted);
        let error = check_open(
            &course,
            &course.structures[0],
            Some(&accepted),
            at("2026-01-01T00:00:00Z"),
        )
        .expect_err("closed");
        assert!(error.to_string().contains("was accepted"), "{error}");
    }
}
