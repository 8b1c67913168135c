//! Geometry helpers on WGS 84 longitude/latitude positions.
//!
//! Longitude always comes before latitude, as in GeoJSON. Distances are in
//! metres on a sphere of the mean Earth radius, which is within 0.5 % of the
//! ellipsoid: plenty for matching photos and defects on a bridge.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

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
        let in_range = (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
        if !in_range {
            return Err(InvalidPosition(format!("{lat},{lon}")));
        }
        Ok(LonLat { lon, lat })
    }

    /// Great-circle distance in metres (haversine formula).
    ///
    /// ```
    /// use voussoir_core::geometry::LonLat;
    /// let a = LonLat::new(-3.4597, 48.7326).unwrap();
    /// let b = LonLat::new(-3.4597, 48.7336).unwrap();
    /// // 0.001 degree of latitude is about 111 m.
    /// assert!((a.distance_m(b) - 111.2).abs() < 0.2);
    /// ```
    pub fn distance_m(self, other: LonLat) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let delta_lat = lat2 - lat1;
        let delta_lon = (other.lon - self.lon).to_radians();
        let half_chord = (delta_lat / 2.0).sin().powi(2)
            + lat1.cos() * lat2.cos() * (delta_lon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * half_chord.sqrt().min(1.0).asin()
    }
}

/// Parses `LAT,LON` (the order people type and phones show), as in
/// `48.7326,-3.4597`.
impl FromStr for LonLat {
    type Err = InvalidPosition;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidPosition(text.to_string());
        let (lat, lon) = text.split_once(',').ok_or_else(invalid)?;
        let lat: f64 = lat.trim().parse().map_err(|_| invalid())?;
        let lon: f64 = lon.trim().parse().map_err(|_| invalid())?;
        LonLat::new(lon, lat).map_err(|_| invalid())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a position; write LAT,LON in decimal degrees, e.g. 48.7326,-3.4597")]
pub struct InvalidPosition(pub String);

/// Total length in metres of a path through the given positions.
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
    fn a_latitude_beyond_ninety_is_refused() {
        assert!("95.0,3.0".parse::<LonLat>().is_err());
        assert!("abc".parse::<LonLat>().is_err());
    }

    #[test]
    fn a_path_length_adds_its_legs() {
        let a = LonLat { lon: 0.0, lat: 0.0 };
        let b = LonLat { lon: 0.0, lat: 1.0 };
        let c = LonLat { lon: 0.0, lat: 2.0 };
        let one_degree = a.distance_m(b);
        assert!((one_degree - 111_195.0).abs() < 1.0);
        assert!((path_length_m(&[a, b, c]) - 2.0 * one_degree).abs() < 1e-6);
    }
}
