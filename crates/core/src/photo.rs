//! The photo, one type for every crate: what the camera wrote in the file,
//! where and when the photo was placed, and its copies in `media/`.
//!
//! Times are typed (`jiff`), the position source is an enum, and a photo
//! says whether it has been placed since it was stored, so that an import
//! interrupted before placement is finished by the next run.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::geometry::LonLat;
use crate::model::UnknownCode;

/// Where a photo's position came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PositionSource {
    /// The photo's own GPS tag.
    Exif,
    /// Interpolated on a GPS track from the corrected capture time.
    Track,
    /// The phone's position when the photo was taken in the capture app.
    Device,
    /// Not placed.
    #[default]
    None,
}

impl PositionSource {
    pub const ALL: [PositionSource; 4] = [
        PositionSource::Exif,
        PositionSource::Track,
        PositionSource::Device,
        PositionSource::None,
    ];

    /// The stable code used in the database, JSON and CSV.
    pub fn code(self) -> &'static str {
        match self {
            PositionSource::Exif => "exif",
            PositionSource::Track => "track",
            PositionSource::Device => "device",
            PositionSource::None => "none",
        }
    }
}

impl fmt::Display for PositionSource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.code())
    }
}

impl FromStr for PositionSource {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_lowercase();
        PositionSource::ALL
            .into_iter()
            .find(|source| source.code() == wanted)
            .ok_or_else(|| UnknownCode {
                what: "position source",
                given: text.to_string(),
                known: PositionSource::ALL
                    .iter()
                    .map(|source| source.code())
                    .collect(),
            })
    }
}

/// Where a photo is: its corrected time, position, depth and component.
/// Recomputed by every placement run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PhotoPlacement {
    /// Capture time in UTC, after clock correction.
    pub taken_at: Option<jiff::Timestamp>,
    pub position: Option<LonLat>,
    pub elevation_m: Option<f64>,
    /// Estimated horizontal accuracy, metres.
    pub accuracy_m: Option<f64>,
    pub position_source: PositionSource,
    /// Why the photo is where it is, or why it is not placed.
    pub position_note: Option<String>,
    /// Depth below the surface from a dive log, metres.
    pub depth_m: Option<f64>,
    pub underwater: bool,
    /// The component the photo most likely shows.
    pub component: Option<String>,
    pub component_distance_m: Option<f64>,
}

/// A photo of an inspection.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Photo {
    /// BLAKE3 of the original file's bytes, 64 lower-case hex digits.
    pub hash: String,
    pub inspection_id: Option<i64>,
    /// The path the photo was imported from.
    pub file: String,
    /// `JPEG`, `PNG`, `TIFF`, `WebP`, `HEIF`.
    pub format: String,
    /// Size of the original file.
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub make: Option<String>,
    pub model: Option<String>,
    /// EXIF orientation, 1 (upright) to 8.
    pub orientation: u16,
    /// The camera's local capture time as written in EXIF, before any
    /// correction.
    pub camera_time: Option<jiff::civil::DateTime>,
    /// EXIF OffsetTimeOriginal, when the camera wrote one.
    #[serde(skip)]
    pub camera_offset: Option<jiff::tz::Offset>,
    pub exif_position: Option<LonLat>,
    pub exif_altitude_m: Option<f64>,
    pub exif_accuracy_m: Option<f64>,
    /// What to know about the file's metadata ("no EXIF", "bad date"...).
    pub metadata_notes: Vec<String>,
    pub placement: PhotoPlacement,
    /// False between storing a photo and its first placement.
    pub placed: bool,
    /// The capture app's id for a photo taken on a phone, so that a resend
    /// is recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_id: Option<String>,
    /// Copies, as paths relative to `media/`.
    pub thumbnail: Option<String>,
    pub review: Option<String>,
    pub original: Option<String>,
}

impl Photo {
    /// The file name the photo was imported under, without its folder.
    pub fn file_name(&self) -> &str {
        self.file
            .rsplit(['/', '\\'])
            .next()
            .filter(|name| !name.is_empty())
            .unwrap_or(&self.file)
    }

    /// The position from the photo's own GPS, unless it is the 0,0 that
    /// cameras write when they have no fix ("null island").
    pub fn usable_exif_position(&self) -> Option<LonLat> {
        self.exif_position
            .filter(|position| !(position.lon == 0.0 && position.lat == 0.0))
    }

    /// Whether the camera make or model contains the text, ignoring case.
    pub fn is_from_camera(&self, camera: &str) -> bool {
        let wanted = camera.to_lowercase();
        [&self.make, &self.model].iter().any(|field| {
            field
                .as_deref()
                .is_some_and(|value| value.to_lowercase().contains(&wanted))
        })
    }
}

/// A UTC offset as cameras and this crate write it: `+02:00`, `+0200`,
/// `+02` or `Z`.
///
/// ```
/// use voussoir_core::photo::parse_utc_offset;
/// assert_eq!(parse_utc_offset("+02:00").map(|offset| offset.seconds()), Some(7200));
/// assert_eq!(parse_utc_offset("-0330").map(|offset| offset.seconds()), Some(-12600));
/// assert_eq!(parse_utc_offset("Z").map(|offset| offset.seconds()), Some(0));
/// assert_eq!(parse_utc_offset("2 hours"), None);
/// ```
pub fn parse_utc_offset(text: &str) -> Option<jiff::tz::Offset> {
    let text = text.trim();
    if text == "Z" {
        return Some(jiff::tz::Offset::UTC);
    }
    let (sign, body) = match text.chars().next()? {
        '+' => (1, &text[1..]),
        '-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    // `+02:00`, `+0200` and `+02` all carry hours then minutes.
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    jiff::tz::Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_sources_round_trip_through_their_codes() {
        for source in PositionSource::ALL {
            assert_eq!(source.code().parse::<PositionSource>().ok(), Some(source));
        }
        assert!("gps".parse::<PositionSource>().is_err());
    }

    #[test]
    fn a_zero_zero_exif_position_is_not_usable() {
        let mut photo = Photo {
            exif_position: Some(LonLat { lon: 0.0, lat: 0.0 }),
            ..Photo::default()
        };
        assert_eq!(photo.usable_exif_position(), None);
        photo.exif_position = Some(LonLat {
            lon: -3.46,
            lat: 48.73,
        });
        assert!(photo.usable_exif_position().is_some());
    }

    #[test]
    fn the_file_name_drops_the_folder_on_any_system() {
        let check = |file: &str, expected: &str| {
            let photo = Photo {
                file: file.to_string(),
                ..Photo::default()
            };
            assert_eq!(photo.file_name(), expected);
        };
        check("card/DCIM/IMG_0001.JPG", "IMG_0001.JPG");
        check("C:\\card\\IMG_0002.JPG", "IMG_0002.JPG");
        check("IMG_0003.JPG", "IMG_0003.JPG");
    }

    #[test]
    fn camera_matching_ignores_case_and_looks_at_make_and_model() {
        let photo = Photo {
            make: Some("OM Digital Solutions".to_string()),
            model: Some("TG-7".to_string()),
            ..Photo::default()
        };
        assert!(photo.is_from_camera("tg-7"));
        assert!(photo.is_from_camera("digital"));
        assert!(!photo.is_from_camera("pixel"));
    }
}
