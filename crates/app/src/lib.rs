//! The units of work every front end shares: importing photos, tracks and
//! dive logs; placing photos; loading an inspection for display; comparing
//! it with the reference; receiving a submission; the class statistics;
//! building the demo.
//!
//! The command line and the review server are thin shells over these
//! calls: they parse their input, call one function here, and render the
//! value it returns. Nothing here prints, reads the environment or knows
//! about HTTP; progress is reported through a callback, and errors are an
//! [`Error`] whose variants say whether the user or the machine is at
//! fault.

use voussoir_core::words::errors::english as said;
pub mod capture;
pub mod copying;
pub mod course;
pub mod course_report;
pub mod demo;
mod error;
pub mod exports;
pub mod geotag;
pub mod hand_in;
pub mod import;
pub mod results;
pub mod review;
pub mod review_copies;
pub mod simulated_class;
pub mod submission;

pub use error::{Error, Result};

/// The inspection a command works on: the one given, else the book's
/// current one.
pub fn chosen_inspection(book: &voussoir_store::FieldBook, given: Option<i64>) -> Result<i64> {
    match given {
        Some(id) => Ok(book.inspection(id)?.id),
        None => book
            .current_inspection_id()?
            .ok_or_else(|| Error::Invalid(said("book.no_inspection", &[]))),
    }
}
