//! The read model of one inspection: everything known about it (course,
//! structure, defects, grading, photos, tracks, dives), assembled by the
//! application layer from the field book and handed to the exporters and
//! the pages. A value only: it is never written back.

use crate::grading::Grading;
use crate::model::{Defect, Inspection, Structure};
use crate::photo::Photo;
use crate::track::{Dive, Track};

/// One imported track with the file it came from.
#[derive(Debug, Clone)]
pub struct TrackData {
    pub file: String,
    pub format: String,
    pub track: Track,
}

/// Everything known about one inspection, ready to export.
#[derive(Debug, Clone)]
pub struct InspectionData {
    pub course_code: String,
    pub course_name: String,
    /// Grading scheme of the course (`iqoa`, `nbi`).
    pub scheme: String,
    /// Report language: `fr` or `en`.
    pub language: String,
    pub structure: Structure,
    pub inspection: Inspection,
    pub defects: Vec<Defect>,
    pub grading: Grading,
    pub photos: Vec<Photo>,
    pub tracks: Vec<TrackData>,
    pub dives: Vec<Dive>,
    /// The inspector's own grades: (component, part or `structure`, grade).
    pub own_grades: Vec<(String, String)>,
}

impl InspectionData {
    /// The position a defect is drawn at: its own, else its component's.
    pub fn defect_position(&self, defect: &Defect) -> Option<(crate::LonLat, &'static str)> {
        if let Some(position) = defect.position {
            return Some((position, "recorded"));
        }
        self.structure
            .component(&defect.component)
            .and_then(|component| component.position)
            .map(|position| (position, "component"))
    }

    /// The photos of a defect: those it cites by file name, else those
    /// assigned to its component.
    pub fn photos_of_defect<'a>(&'a self, defect: &'a Defect) -> Vec<&'a Photo> {
        if defect.photos.is_empty() {
            return self.photos_of(&defect.component).collect();
        }
        defect
            .photos
            .iter()
            .filter_map(|cited| {
                self.photos
                    .iter()
                    .find(|photo| photo.file_name().eq_ignore_ascii_case(cited))
            })
            .collect()
    }

    /// The colour a defect is drawn in: its severity's step on the common
    /// ladder, read in the scheme the inspection was recorded in.
    pub fn severity_colour(&self, defect: &Defect) -> &'static str {
        crate::grading::scheme(&self.inspection.scheme)
            .map_or(crate::grading::UNGRADED_COLOUR, |scheme| {
                crate::grading::severity_colour(scheme, defect.severity.as_deref())
            })
    }

    /// The photos assigned to a component.
    pub fn photos_of<'a>(&'a self, component: &'a str) -> impl Iterator<Item = &'a Photo> + 'a {
        self.photos.iter().filter(move |photo| {
            photo
                .placement
                .component
                .as_deref()
                .is_some_and(|code| code.eq_ignore_ascii_case(component))
        })
    }
}
