//! A simulated class for the demo and for checking the course report:
//! trainees generated from a structure's reference inspection with a
//! planted grade bias, miss rate and noise (seeded, so the same seed gives
//! the same class), recorded as ordinary inspections of the field book.
//!
//! Each simulated trainee finds each reference defect unless a draw falls
//! under their miss rate, keeps its severity, and gives their own grade to
//! every component: the reference's class moved by their bias, with a
//! step of noise either way one time in ten (none past the scale's ends);
//! where the bias itself would leave the scale the grade is "not
//! evaluated", so that the planted bias is what the grades carry. What was planted is returned
//! so that a test can check the report finds it again. This module must
//! not change the reference or any other inspection.

use serde::Serialize;
use voussoir_core::agreement::rank;
use voussoir_core::grading::{grade_inspection, scheme};
use voussoir_core::words::errors::english as said;
use voussoir_store::FieldBook;

use crate::course::{open_inspection, InspectionRequest};
use crate::{Error, Result};

/// What was planted in one simulated trainee.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantedTrainee {
    /// The inspector's name, `sim-01`...
    pub name: String,
    pub inspection: i64,
    /// Steps added to every own grade before noise: −1 lenient, +1 harsh.
    pub bias: i64,
    pub miss_rate: f64,
    /// The reference defects this trainee found, by id.
    pub found: Vec<i64>,
}

/// A simulated class and its seed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulatedClass {
    pub structure: String,
    pub seed: u64,
    pub trainees: Vec<PlantedTrainee>,
}

/// SplitMix64: a small seeded generator, enough for test data.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    }
}

/// The class at a rank of the ladder, if the rank is on the scale.
fn class_at<'a>(ladder: &[(usize, &'a str)], place: i64) -> Option<&'a str> {
    ladder
        .iter()
        .find(|(rank, _)| i64::try_from(*rank).is_ok_and(|rank| rank == place))
        .map(|(_, class)| *class)
}

/// Adds `count` simulated trainees' inspections of `structure` to the
/// book, dated `date` (`YYYY-MM-DD`).
pub fn add(
    book: &mut FieldBook,
    structure: &str,
    count: usize,
    seed: u64,
    date: &str,
) -> Result<SimulatedClass> {
    if count > 200 {
        return Err(Error::Invalid(said(
            "demo.class_size",
            &[("count", count.to_string())],
        )));
    }
    let course = book.course()?;
    let grading_scheme = scheme(&course.scheme)?;
    let structure_model = book.structure(structure)?;
    let reference_id = book.reference_inspection(structure)?.ok_or_else(|| {
        Error::Invalid(said(
            "demo.no_reference",
            &[("structure", structure.to_string())],
        ))
    })?;
    let reference = book.inspection(reference_id)?;
    let reference_defects = book.defects(reference_id)?;
    let reference_grading = grade_inspection(
        grading_scheme,
        &structure_model,
        &reference,
        &reference_defects,
    );
    // One class per rank of the scale (the first of its rank where several
    // share one, as BCI scores do), to move a grade by steps.
    let mut ladder: Vec<(usize, &str)> = grading_scheme
        .component_classes()
        .into_iter()
        .filter_map(|class| Some((grading_scheme.class_rank(class)?, class)))
        .collect();
    ladder.dedup_by_key(|(rank, _)| *rank);
    let not_evaluated = grading_scheme
        .component_classes()
        .into_iter()
        .find(|class| grading_scheme.class_rank(class).is_none())
        .unwrap_or("NE");
    let today = jiff::civil::Date::strptime("%Y-%m-%d", date)
        .map_err(|error| Error::Invalid(format!("date {date}: {error}")))?;
    let mut random = Seeded(seed);
    let mut trainees = Vec::with_capacity(count);
    for index in 0..count {
        let name = format!("sim-{:02}", index + 1);
        let bias = index as i64 % 3 - 1;
        let miss_rate = 0.05 + 0.4 * (index as f64 / count.max(1) as f64);
        let request = InspectionRequest {
            structure: structure.to_string(),
            kind: reference.kind.code().to_string(),
            inspector: Some(name.clone()),
            date: Some(date.to_string()),
            weather: None,
            reference: false,
            not_inspected: Vec::new(),
        };
        let inspection = open_inspection(book, &request, today)?;
        let mut found = Vec::new();
        let mut seen = Vec::new();
        for defect in &reference_defects {
            if random.next() >= miss_rate {
                found.push(defect.id);
                let mut copy = defect.clone();
                copy.photos.clear();
                seen.push(copy);
            }
        }
        book.add_defects(inspection, &seen)?;
        let own: Vec<(String, String)> = reference_grading
            .components
            .iter()
            .filter_map(|grade| {
                let place = rank(grading_scheme.code(), &grade.class)? as i64;
                let draw = random.next();
                let noise = if draw < 0.1 {
                    -1
                } else if draw > 0.9 {
                    1
                } else {
                    0
                };
                let class = match class_at(&ladder, place + bias) {
                    // A bias that would leave the scale is not given (the
                    // planted bias stays what it is): not evaluated.
                    None => not_evaluated,
                    Some(biased) => class_at(&ladder, place + bias + noise).unwrap_or(biased),
                };
                Some((grade.component.clone(), class.to_string()))
            })
            .collect();
        book.save_own_grades(inspection, &own, 0)?;
        trainees.push(PlantedTrainee {
            name,
            inspection,
            bias,
            miss_rate,
            found,
        });
    }
    Ok(SimulatedClass {
        structure: structure.to_string(),
        seed,
        trainees,
    })
}
