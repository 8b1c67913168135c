//! Exports: what a trainee recorded leaves Voussoir as a GeoJSON map, CSV
//! spreadsheets, an SVG map picture, a printable HTML inspection report, and
//! a submission bundle (one zip file carrying a whole inspection).
//!
//! This crate takes an [`InspectionData`] value assembled by the caller and
//! writes to any `std::io::Write`; it never opens the database. Media files
//! (thumbnails) are read through a function the caller passes in.

pub mod bundle;
pub mod course_report;
pub mod csv_safe;
pub mod geojson;
pub mod map;
pub mod report;
pub mod results;
pub mod spreadsheet;
mod text;

pub use voussoir_core::read_model::{InspectionData, TrackData};
