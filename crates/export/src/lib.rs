//! Exports: what a trainee recorded leaves Voussoir as a GeoJSON map, CSV
//! spreadsheets, an SVG map picture, a printable HTML inspection report, and
//! a submission bundle (one zip file carrying a whole inspection).
//!
//! This crate takes an [`InspectionData`] value assembled by the caller and
//! writes to any `std::io::Write`; it never opens the database. Media files
//! (thumbnails) are read through a function the caller passes in.

pub mod bundle;
pub mod geojson;
pub mod map;
pub mod report;
pub mod spreadsheet;
mod text;

use voussoir_core::grading::Grading;
use voussoir_core::model::{Defect, Inspection, Photo, Structure};
use voussoir_core::track::{Dive, Track};

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
}

impl InspectionData {
    /// The position a defect is drawn at: its own, else its component's.
    pub fn defect_position(
        &self,
        defect: &Defect,
    ) -> Option<(voussoir_core::LonLat, &'static str)> {
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
    pub fn photos_of_defect<'a>(&'a self, defect: &'a voussoir_core::Defect) -> Vec<&'a Photo> {
        if defect.photos.is_empty() {
            return self.photos_of(&defect.component).collect();
        }
        let name_of = |photo: &Photo| {
            std::path::Path::new(&photo.file)
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        defect
            .photos
            .iter()
            .filter_map(|cited| {
                self.photos
                    .iter()
                    .find(|photo| name_of(photo).eq_ignore_ascii_case(cited))
            })
            .collect()
    }

    /// The photos assigned to a component.
    pub fn photos_of<'a>(&'a self, component: &'a str) -> impl Iterator<Item = &'a Photo> + 'a {
        self.photos.iter().filter(move |photo| {
            photo
                .component
                .as_deref()
                .is_some_and(|code| code.eq_ignore_ascii_case(component))
        })
    }
}
