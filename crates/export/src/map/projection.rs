//! From longitude/latitude to pixels: a local equirectangular projection
//! around the centre of the drawn features, exact enough over a bridge and
//! its banks; boxes for label placement; the scale bar's round length.

use voussoir_core::LonLat;

/// Maps longitude/latitude to pixels.
pub(super) struct Projection {
    centre: LonLat,
    metres_per_degree_lon: f64,
    metres_per_degree_lat: f64,
    pub(super) pixels_per_metre: f64,
    origin_x: f64,
    origin_y: f64,
}

impl Projection {
    pub(super) fn fit(
        points: &[LonLat],
        left: f64,
        top: f64,
        width: f64,
        height: f64,
    ) -> Projection {
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
            (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for point in points {
            min_lon = min_lon.min(point.lon);
            max_lon = max_lon.max(point.lon);
            min_lat = min_lat.min(point.lat);
            max_lat = max_lat.max(point.lat);
        }
        if points.is_empty() {
            (min_lon, max_lon, min_lat, max_lat) = (0.0, 0.0, 0.0, 0.0);
        }
        let centre = LonLat {
            lon: (min_lon + max_lon) / 2.0,
            lat: (min_lat + max_lat) / 2.0,
        };
        let metres_per_degree_lat = 111_320.0;
        let metres_per_degree_lon = metres_per_degree_lat * centre.lat.to_radians().cos();
        // At least 40 m across, so that a single point still gets a scale.
        let span_x = ((max_lon - min_lon) * metres_per_degree_lon).max(40.0);
        let span_y = ((max_lat - min_lat) * metres_per_degree_lat).max(40.0);
        let pixels_per_metre = (width / span_x).min(height / span_y) * 0.9;
        Projection {
            centre,
            metres_per_degree_lon,
            metres_per_degree_lat,
            pixels_per_metre,
            origin_x: left + width / 2.0,
            origin_y: top + height / 2.0,
        }
    }

    pub(super) fn project(&self, point: LonLat) -> (f64, f64) {
        let x = (point.lon - self.centre.lon) * self.metres_per_degree_lon * self.pixels_per_metre;
        let y = (point.lat - self.centre.lat) * self.metres_per_degree_lat * self.pixels_per_metre;
        (self.origin_x + x, self.origin_y - y)
    }
}

#[derive(Clone, Copy)]
pub(super) struct Box2 {
    pub(super) left: f64,
    pub(super) top: f64,
    pub(super) right: f64,
    pub(super) bottom: f64,
}

impl Box2 {
    pub(super) fn overlaps(&self, other: &Box2) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// A round number of metres for the scale bar, about a fifth of the width.
pub(super) fn scale_length(pixels_per_metre: f64, width: f64) -> f64 {
    let wanted = width / 5.0 / pixels_per_metre;
    let magnitude = 10f64.powf(wanted.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|step| step * magnitude)
        .rfind(|length| *length <= wanted)
        .unwrap_or(magnitude)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_bar_takes_a_round_length() {
        assert_eq!(scale_length(10.0, 770.0), 10.0);
        assert_eq!(scale_length(1.0, 770.0), 100.0);
        assert_eq!(scale_length(0.1, 770.0), 1000.0);
    }
}
