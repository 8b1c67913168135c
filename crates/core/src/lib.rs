//! Voussoir's domain: courses, structures, components, inspections,
//! defects, the defect catalogue, grading schemes and geometry helpers.
//!
//! This crate is pure. It reads no file, database, network, environment
//! variable or clock: text, times and ids come in as arguments, so every
//! rule here can be tested with plain values.

pub mod agreement;
pub mod assignment;
pub mod catalogue;
pub mod compare;
pub mod course;
pub mod field_position;
pub mod geometry;
pub mod geotag;
pub mod grading;
pub mod mark;
pub mod model;
pub mod photo;
pub mod placement;
pub mod read_model;
pub mod recording;
pub mod reliability;
pub mod sheet;
pub mod track;
pub mod versions;
pub mod words;

pub use course::Course;
pub use geometry::LonLat;
pub use model::{Component, Defect, Inspection, Structure};
pub use photo::{Photo, PhotoPlacement, PositionSource};
