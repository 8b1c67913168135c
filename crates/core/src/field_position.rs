//! Whether a position recorded in the field is sane: on Earth, accurate
//! enough, near the structure, and not latitude and longitude swapped.
//! The capture app warns with the same thresholds; the server refuses.

use crate::geometry::LonLat;
use crate::model::Structure;

/// A fix less accurate than this is shown with a warning, metres.
pub const WARN_ACCURACY_M: f64 = 15.0;
/// A fix less accurate than this is refused, metres: tap the plan instead.
pub const REFUSE_ACCURACY_M: f64 = 50.0;
/// A position farther than this from every known point of the structure is
/// refused, metres.
pub const MAX_DISTANCE_FROM_STRUCTURE_M: f64 = 1_000.0;

/// Why a field position was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldPositionError {
    #[error("latitude and longitude look swapped: {lat},{lon} is {distance_m:.0} m from {structure}, and {lon},{lat} is on it")]
    Swapped {
        lat: f64,
        lon: f64,
        distance_m: f64,
        structure: String,
    },
    #[error("the position is {distance_m:.0} m from {structure}, more than {MAX_DISTANCE_FROM_STRUCTURE_M:.0} m away: check the phone's location, or tap the plan")]
    FarFromStructure { distance_m: f64, structure: String },
    #[error("the phone's fix is accurate to {accuracy_m:.0} m only (at most {REFUSE_ACCURACY_M:.0} m): wait for a better fix, or tap the plan")]
    Inaccurate { accuracy_m: f64 },
    #[error(transparent)]
    OffEarth(#[from] crate::geometry::InvalidPosition),
}

/// The distance from a position to the nearest known point of the
/// structure (its position, axis and components), when it has any.
pub fn distance_to_structure_m(structure: &Structure, position: LonLat) -> Option<f64> {
    structure
        .position
        .iter()
        .chain(structure.axis.iter())
        .chain(
            structure
                .components
                .iter()
                .filter_map(|c| c.position.as_ref()),
        )
        .map(|point| point.distance_m(position))
        .min_by(f64::total_cmp)
}

/// Checks a position given as latitude and longitude (the order phones
/// give them) with its accuracy, against the structure.
pub fn check_field_position(
    structure: &Structure,
    lat: f64,
    lon: f64,
    accuracy_m: Option<f64>,
) -> Result<LonLat, FieldPositionError> {
    if let Some(accuracy_m) = accuracy_m.filter(|accuracy| *accuracy > REFUSE_ACCURACY_M) {
        return Err(FieldPositionError::Inaccurate { accuracy_m });
    }
    let swapped_distance = LonLat::new(lat, lon)
        .ok()
        .and_then(|swapped| distance_to_structure_m(structure, swapped));
    let position = match LonLat::new(lon, lat) {
        Ok(position) => position,
        Err(error) => {
            return match swapped_distance {
                Some(swapped) if swapped <= MAX_DISTANCE_FROM_STRUCTURE_M => {
                    Err(FieldPositionError::Swapped {
                        lat,
                        lon,
                        distance_m: f64::INFINITY,
                        structure: structure.code.clone(),
                    })
                }
                _ => Err(error.into()),
            };
        }
    };
    let Some(distance_m) = distance_to_structure_m(structure, position) else {
        // A structure without positions cannot be checked against.
        return Ok(position);
    };
    if distance_m <= MAX_DISTANCE_FROM_STRUCTURE_M {
        return Ok(position);
    }
    match swapped_distance {
        Some(swapped) if swapped <= MAX_DISTANCE_FROM_STRUCTURE_M => {
            Err(FieldPositionError::Swapped {
                lat,
                lon,
                distance_m,
                structure: structure.code.clone(),
            })
        }
        _ => Err(FieldPositionError::FarFromStructure {
            distance_m,
            structure: structure.code.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::test_support::bridge;

    /// The test bridge, placed near Lannion.
    fn placed_bridge() -> Structure {
        let mut structure = bridge();
        structure.position = Some(LonLat {
            lon: -3.461,
            lat: 48.731,
        });
        structure
    }

    #[test]
    fn a_position_on_the_bridge_is_accepted() {
        let position = check_field_position(&placed_bridge(), 48.7311, -3.4612, Some(4.0));
        assert!(position.is_ok());
    }

    #[test]
    fn a_position_far_from_the_bridge_is_refused_with_its_distance() {
        let error = check_field_position(&placed_bridge(), 48.85, 2.35, Some(4.0))
            .expect_err("Paris is not Lannion");
        assert!(
            matches!(error, FieldPositionError::FarFromStructure { .. }),
            "{error}"
        );
    }

    #[test]
    fn latitude_and_longitude_swapped_are_named() {
        // A bridge in the tropics, where swapped values stay on Earth.
        let mut structure = bridge();
        structure.position = Some(LonLat {
            lon: 10.0,
            lat: 12.0,
        });
        let error = check_field_position(&structure, 10.0, 12.0, None).expect_err("swapped");
        assert!(
            matches!(error, FieldPositionError::Swapped { .. }),
            "{error}"
        );
        // At Lannion, swapped values are off Earth: named as such too.
        let error =
            check_field_position(&placed_bridge(), -3.461, 48.731, None).expect_err("swapped");
        assert!(error.to_string().contains("swapped"), "{error}");
    }

    #[test]
    fn an_inaccurate_fix_is_refused_and_an_impossible_one_too() {
        let error = check_field_position(&placed_bridge(), 48.731, -3.461, Some(80.0))
            .expect_err("inaccurate");
        assert!(matches!(error, FieldPositionError::Inaccurate { .. }));
        assert!(check_field_position(&placed_bridge(), 95.0, 200.0, None).is_err());
    }
}
