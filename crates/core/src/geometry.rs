//! Geometry helpers on WGS 84 longitude/latitude positions.
//!
//! Longitude always comes before latitude, as in GeoJSON. Distances and
//! lengths are geodesic on the WGS 84 ellipsoid (Karney's algorithm, from
//! the `geo` crate), the figures GIS tools such as QGIS report.

use geo::{Distance, Geodesic, Point};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A WGS 84 position: longitude then latitude, in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

impl LonLat {
    /// Builds a position, refusing values outside the WGS 84 ranges.
    ///
    /// ```
    /// use voussoir_core::geometry::LonLat;
    /// let lannion = LonLat::new(-3.4597, 48.7326).unwrap();
    /// assert_eq!(lannion.lat, 48.7326);
    /// assert!(LonLat::new(48.7, -93.0).is_err());
    /// ```
    pub fn new(lon: f64, lat: f64) -> Result<LonLat, InvalidPosition> {
        if !(-90.0..=90.0).contains(&lat) {
            return Err(InvalidPosition::LatitudeOutOfRange(lat));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(InvalidPosition::LongitudeOutOfRange(lon));
        }
        Ok(LonLat { lon, lat })
    }

    /// Geodesic distance in metres on the WGS 84 ellipsoid.
    ///
    /// ```
    /// use voussoir_core::geometry::LonLat;
    /// let a = LonLat::new(-3.4597, 48.7326).unwrap();
    /// let b = LonLat::new(-3.4597, 48.7336).unwrap();
    /// // 0.001 degree of latitude at 48.7° N is 111.2 m.
    /// assert!((a.distance_m(b) - 111.2).abs() < 0.05);
    /// ```
    pub fn distance_m(self, other: LonLat) -> f64 {
        Geodesic.distance(
            Point::new(self.lon, self.lat),
            Point::new(other.lon, other.lat),
        )
    }
}

/// Parses `LAT,LON` (the order people type and phones show), as in
/// `48.7326,-3.4597`.
impl FromStr for LonLat {
    type Err = InvalidPosition;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let malformed = || InvalidPosition::Malformed(text.to_string());
        let (lat, lon) = text.split_once(',').ok_or_else(malformed)?;
        let number = |part: &str| {
            part.trim()
                .parse::<f64>()
                .ok()
                .filter(|value| value.is_finite())
        };
        let lat = number(lat).ok_or_else(malformed)?;
        let lon = number(lon).ok_or_else(malformed)?;
        LonLat::new(lon, lat)
    }
}

/// Why a text or a pair of numbers is not a WGS 84 position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvalidPosition {
    #[error("`{0}` is not a position; write LAT,LON in decimal degrees, e.g. 48.7326,-3.4597")]
    Malformed(String),
    #[error(
        "latitude {0} is out of range: it lies between -90 and 90 (write LAT,LON, latitude first)"
    )]
    LatitudeOutOfRange(f64),
    #[error("longitude {0} is out of range: it lies between -180 and 180")]
    LongitudeOutOfRange(f64),
}

/// Total geodesic length in metres of a path through the given positions.
pub fn path_length_m(points: &[LonLat]) -> f64 {
    points
        .windows(2)
        .map(|pair| pair[0].distance_m(pair[1]))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_parsed_latitude_first() {
        let position: LonLat = "48.7326, -3.4597".parse().expect("valid");
        assert_eq!(
            position,
            LonLat {
                lon: -3.4597,
                lat: 48.7326
            }
        );
    }

    #[test]
    fn a_latitude_beyond_ninety_is_refused_as_out_of_range() {
        assert_eq!(
            "148.0,3.0".parse::<LonLat>(),
            Err(InvalidPosition::LatitudeOutOfRange(148.0))
        );
        assert_eq!(
            "48.0,200.0".parse::<LonLat>(),
            Err(InvalidPosition::LongitudeOutOfRange(200.0))
        );
        assert!(matches!(
            "abc".parse::<LonLat>(),
            Err(InvalidPosition::Malformed(_))
        ));
        assert!(matches!(
            "NaN,3".parse::<LonLat>(),
            Err(InvalidPosition::Malformed(_))
        ));
    }

    #[test]
    fn distances_are_geodesic_on_the_wgs84_ellipsoid() {
        // Reference values from GeographicLib (Python geographiclib 2.0,
        // Geodesic.WGS84.Inverse): one degree of meridian at the equator
        // is shorter than the sphere's, one at 60° N longer.
        let check = |a: LonLat, b: LonLat, expected: f64| {
            let relative = (a.distance_m(b) - expected).abs() / expected;
            assert!(relative < 1e-9, "{a:?} {b:?}: {}", a.distance_m(b));
        };
        check(
            LonLat { lon: 0.0, lat: 0.0 },
            LonLat { lon: 0.0, lat: 1.0 },
            110_574.388_557_8,
        );
        check(
            LonLat {
                lon: 0.0,
                lat: 60.0,
            },
            LonLat {
                lon: 0.0,
                lat: 61.0,
            },
            111_420.727_869_7,
        );
    }

    #[test]
    fn a_path_length_adds_its_legs() {
        let a = LonLat { lon: 0.0, lat: 0.0 };
        let b = LonLat { lon: 0.0, lat: 1.0 };
        let c = LonLat { lon: 0.0, lat: 2.0 };
        let expected = a.distance_m(b) + b.distance_m(c);
        assert!((path_length_m(&[a, b, c]) - expected).abs() < 1e-6);
        assert_eq!(path_length_m(&[a]), 0.0);
    }
}
