//! Where a photo goes: the rule that chooses between the photo's own GPS
//! and the track, gives it a depth from the dive logs and the component it
//! most likely shows. Pure: the photo's corrected capture time comes in as
//! an argument; the application layer loads the data and saves the result.

use crate::geotag::{nearest_component, Geotagger, Placement};
use crate::model::Structure;
use crate::photo::{Photo, PhotoPlacement, PositionSource};
use crate::track::Dive;
use crate::words::reasons::english;

/// Depth beyond which a photo taken during a dive counts as underwater,
/// metres: shallower, the diver is at the surface.
pub const UNDERWATER_DEPTH_M: f64 = 0.5;

/// The choices a user makes about placement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacementRules {
    /// Use the track even for photos with their own GPS position.
    pub prefer_track: bool,
    /// Largest distance to assign a photo to a component, metres.
    pub component_radius_m: f64,
}

impl Default for PlacementRules {
    fn default() -> Self {
        PlacementRules {
            prefer_track: false,
            component_radius_m: crate::geotag::DEFAULT_COMPONENT_RADIUS_M,
        }
    }
}

/// What placement works from besides the photo.
pub struct Surroundings<'a> {
    pub geotagger: &'a Geotagger,
    pub dives: &'a [Dive],
    pub structure: &'a Structure,
}

/// Places one photo taken at `taken_at` (UTC, after clock correction).
///
/// The photo's own GPS wins unless `prefer_track` is set and the photo has
/// a time; a 0,0 EXIF position is a camera without a fix and is ignored;
/// without a time, a photo cannot be placed on a track. A photo taken
/// during a dive gets the depth at that moment, and counts as underwater
/// from [`UNDERWATER_DEPTH_M`]; underwater photos prefer underwater
/// components.
pub fn place_photo(
    photo: &Photo,
    taken_at: Option<jiff::Timestamp>,
    around: &Surroundings<'_>,
    rules: PlacementRules,
) -> PhotoPlacement {
    let time_ms = taken_at.map(|timestamp| timestamp.as_millisecond());
    let mut placement = PhotoPlacement {
        taken_at,
        ..PhotoPlacement::default()
    };
    let exif = photo.usable_exif_position();
    let null_island = photo.exif_position.is_some() && exif.is_none();
    match (exif, rules.prefer_track, time_ms) {
        (Some(position), false, _) | (Some(position), true, None) => {
            placement.position = Some(position);
            placement.elevation_m = photo.exif_altitude_m;
            placement.accuracy_m = photo.exif_accuracy_m;
            placement.position_source = PositionSource::Exif;
            placement.position_note = Some(english("place.own_gps", &[]));
        }
        (_, _, None) => {
            placement.position_note = Some(if null_island {
                english("place.null_island_no_time", &[])
            } else {
                english("place.no_time", &[])
            });
        }
        (_, _, Some(time)) => match around.geotagger.locate(time) {
            Placement::Placed {
                position,
                elevation_m,
                accuracy_m,
                note,
            } => {
                placement.position = Some(position);
                placement.elevation_m = elevation_m;
                placement.accuracy_m = Some((accuracy_m * 10.0).round() / 10.0);
                placement.position_source = PositionSource::Track;
                placement.position_note = Some(note);
            }
            Placement::NotPlaced { note } => {
                placement.position_note = Some(if null_island {
                    english("place.null_island", &[("note", note)])
                } else {
                    note
                });
            }
        },
    }
    if let Some(time) = time_ms {
        if let Some(depth) = around.dives.iter().find_map(|dive| dive.depth_at(time)) {
            placement.depth_m = Some((depth * 100.0).round() / 100.0);
            placement.underwater = depth >= UNDERWATER_DEPTH_M;
        }
    }
    if let Some(position) = placement.position {
        if let Some((code, distance)) = nearest_component(
            around.structure,
            position,
            rules.component_radius_m,
            placement.underwater,
        ) {
            placement.component = Some(code);
            placement.component_distance_m = Some((distance * 10.0).round() / 10.0);
        }
    }
    placement
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geotag::GeotagOptions;
    use crate::grading::test_support::bridge;
    use crate::track::{DepthSample, Segment, Track, TrackPoint};
    use crate::LonLat;

    const T0: i64 = 1_773_308_400_000; // 2026-03-12T09:40:00Z

    fn fix(offset_s: i64, lon: f64, lat: f64) -> TrackPoint {
        TrackPoint {
            time_ms: Some(T0 + offset_s * 1000),
            lon,
            lat,
            elevation_m: None,
            hdop: None,
            pdop: None,
            satellites: None,
        }
    }

    fn walk() -> Vec<Track> {
        vec![Track {
            segments: vec![Segment {
                points: vec![fix(0, -3.4600, 48.7300), fix(20, -3.4598, 48.7300)],
            }],
            ..Track::default()
        }]
    }

    fn at(offset_s: i64) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_millisecond(T0 + offset_s * 1000).ok()
    }

    fn place(
        photo: &Photo,
        taken_at: Option<jiff::Timestamp>,
        rules: PlacementRules,
    ) -> PhotoPlacement {
        place_with_dives(photo, taken_at, rules, &[])
    }

    /// The test bridge with its pier P1 at a known place.
    fn positioned_bridge() -> Structure {
        let mut structure = bridge();
        for component in &mut structure.components {
            if component.code == "P1" {
                component.position = Some(LonLat {
                    lon: -3.4599,
                    lat: 48.7301,
                });
            }
        }
        structure
    }

    fn place_with_dives(
        photo: &Photo,
        taken_at: Option<jiff::Timestamp>,
        rules: PlacementRules,
        dives: &[Dive],
    ) -> PhotoPlacement {
        let geotagger = Geotagger::new(&walk(), GeotagOptions::default());
        let structure = positioned_bridge();
        let around = Surroundings {
            geotagger: &geotagger,
            dives,
            structure: &structure,
        };
        place_photo(photo, taken_at, &around, rules)
    }

    fn with_gps(lon: f64, lat: f64) -> Photo {
        Photo {
            exif_position: Some(LonLat { lon, lat }),
            exif_accuracy_m: Some(4.0),
            ..Photo::default()
        }
    }

    #[test]
    fn the_photos_own_gps_wins_over_the_track() {
        let placed = place(&with_gps(-3.5, 48.8), at(10), PlacementRules::default());
        assert_eq!(placed.position_source, PositionSource::Exif);
        assert_eq!(
            placed.position,
            Some(LonLat {
                lon: -3.5,
                lat: 48.8
            })
        );
        assert_eq!(placed.accuracy_m, Some(4.0));
    }

    #[test]
    fn prefer_track_uses_the_track_when_the_photo_has_a_time() {
        let rules = PlacementRules {
            prefer_track: true,
            ..PlacementRules::default()
        };
        let placed = place(&with_gps(-3.5, 48.8), at(10), rules);
        assert_eq!(placed.position_source, PositionSource::Track);
        let lon = placed.position.expect("placed").lon;
        assert!((lon - -3.4599).abs() < 1e-9, "halfway: {lon}");
    }

    #[test]
    fn prefer_track_falls_back_to_exif_without_a_time() {
        let rules = PlacementRules {
            prefer_track: true,
            ..PlacementRules::default()
        };
        let placed = place(&with_gps(-3.5, 48.8), None, rules);
        assert_eq!(placed.position_source, PositionSource::Exif);
    }

    #[test]
    fn a_zero_zero_exif_position_is_ignored_and_the_track_used() {
        let placed = place(&with_gps(0.0, 0.0), at(10), PlacementRules::default());
        assert_eq!(placed.position_source, PositionSource::Track);
        let placed = place(&with_gps(0.0, 0.0), at(3600), PlacementRules::default());
        assert_eq!(placed.position_source, PositionSource::None);
        let note = placed.position_note.expect("note");
        assert!(
            note.starts_with("EXIF GPS is 0,0 (no fix), ignored"),
            "{note}"
        );
    }

    #[test]
    fn a_photo_without_time_or_gps_is_not_placed_and_says_why() {
        let placed = place(&Photo::default(), None, PlacementRules::default());
        assert_eq!(placed.position_source, PositionSource::None);
        assert_eq!(placed.position, None);
        assert!(placed
            .position_note
            .expect("note")
            .contains("no capture time"));
        let placed = place(&with_gps(0.0, 0.0), None, PlacementRules::default());
        assert!(placed.position_note.expect("note").contains("0,0"));
    }

    #[test]
    fn a_photo_during_a_dive_gets_its_depth_and_is_underwater_from_half_a_metre() {
        let dive = Dive {
            number: Some(1),
            start_ms: T0,
            samples: vec![
                DepthSample {
                    time_ms: T0,
                    depth_m: 0.0,
                },
                DepthSample {
                    time_ms: T0 + 4_000,
                    depth_m: 0.4,
                },
                DepthSample {
                    time_ms: T0 + 20_000,
                    depth_m: 4.0,
                },
            ],
            site: None,
        };
        let dives = [dive];
        let shallow = place_with_dives(&Photo::default(), at(4), PlacementRules::default(), &dives);
        assert_eq!(shallow.depth_m, Some(0.4));
        assert!(!shallow.underwater);
        let deep = place_with_dives(&Photo::default(), at(20), PlacementRules::default(), &dives);
        assert_eq!(deep.depth_m, Some(4.0));
        assert!(deep.underwater);
    }

    #[test]
    fn a_placed_photo_is_assigned_the_nearest_component_within_the_radius() {
        let placed = place(&with_gps(-3.4599, 48.7301), None, PlacementRules::default());
        assert_eq!(placed.component.as_deref(), Some("P1"));
        assert_eq!(placed.component_distance_m, Some(0.0));
        let far = place(&with_gps(2.35, 48.85), None, PlacementRules::default());
        assert_eq!(far.component, None);
    }
}
