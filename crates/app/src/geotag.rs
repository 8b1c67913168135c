//! Placing an inspection's photos: corrects each camera time, places the
//! photo from its own GPS or on the inspection's tracks, gives it a depth
//! from the dive logs and assigns the nearest component (the rule itself
//! is [`voussoir_core::placement::place_photo`]), then saves every
//! placement in one transaction.

use serde::Serialize;
use std::collections::HashSet;
use voussoir_core::words::errors::english as said;

use voussoir_core::geotag::{
    capture_time_utc, estimate_offset, parse_clock_offset, ClockCorrection, GeotagOptions,
    Geotagger, OffsetEstimate,
};
use voussoir_core::photo::{Photo, PositionSource};
use voussoir_core::placement::{place_photo, PlacementRules, Surroundings};
use voussoir_core::LonLat;
use voussoir_store::FieldBook;

use crate::{Error, Result};

/// How far `estimate_offset` searches, seconds (a camera set to the wrong
/// time zone is off by hours).
const ESTIMATE_SEARCH_S: i64 = 14 * 3600;

/// How photos are placed by time; the same options on `geotag` and
/// `import photos` (docs/importing.md).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceOptions {
    /// Time zone the camera clock was set to; `None` for the course's.
    pub tz: Option<String>,
    /// Added to camera times: `-73` or `-00:01:13`.
    pub clock_offset: Option<String>,
    /// `TIME@FILE` pairs from photos of the GPS screen.
    pub sync: Vec<String>,
    pub max_gap_s: f64,
    pub max_extrapolate_s: f64,
    pub across_segments: bool,
    pub max_hdop: Option<f64>,
    pub max_pdop: Option<f64>,
    pub min_satellites: Option<u32>,
    pub prefer_track: bool,
    pub estimate_offset: bool,
    /// Only photos whose make or model contains this text.
    pub camera: Option<String>,
    pub component_radius_m: f64,
    pub dry_run: bool,
}

impl Default for PlaceOptions {
    fn default() -> Self {
        let track = GeotagOptions::default();
        PlaceOptions {
            tz: None,
            clock_offset: None,
            sync: Vec::new(),
            max_gap_s: track.max_gap_s,
            max_extrapolate_s: track.max_extrapolate_s,
            across_segments: track.across_segments,
            max_hdop: None,
            max_pdop: None,
            min_satellites: None,
            prefer_track: false,
            estimate_offset: false,
            camera: None,
            component_radius_m: PlacementRules::default().component_radius_m,
            dry_run: false,
        }
    }
}

impl PlaceOptions {
    /// The same options without one camera's clock correction: for the
    /// photos of the other cameras of a batch.
    pub fn for_other_cameras(&self) -> PlaceOptions {
        PlaceOptions {
            clock_offset: None,
            sync: Vec::new(),
            estimate_offset: false,
            camera: None,
            ..self.clone()
        }
    }
}

/// What a placement run did.
#[derive(Debug, Serialize, Default, Clone, PartialEq)]
pub struct GeotagReport {
    pub inspection: i64,
    pub photos: usize,
    pub from_exif: usize,
    pub from_track: usize,
    pub not_placed: usize,
    pub underwater: usize,
    pub with_component: usize,
    /// The clock correction applied, seconds added to camera times (at the
    /// first photo when the clock drifts).
    pub clock_offset_s: f64,
    pub estimate: Option<OffsetEstimate>,
    pub dry_run: bool,
}

/// The time zone named, else the course's; an unknown name says what to
/// write instead.
pub fn time_zone(book: &FieldBook, tz: Option<&str>) -> Result<jiff::tz::TimeZone> {
    let name = match tz {
        Some(name) => name.to_string(),
        None => book.course()?.time_zone,
    };
    jiff::tz::TimeZone::get(&name)
        .map_err(|_| Error::Invalid(said("geotag.time_zone", &[("name", name.to_string())])))
}

/// A photo's camera time in UTC, before clock correction.
fn camera_utc(photo: &Photo, zone: &jiff::tz::TimeZone) -> Option<jiff::Timestamp> {
    capture_time_utc(photo.camera_time?, photo.camera_offset, zone).ok()
}

/// Parses `--sync TIME@FILE` against the photos being placed into
/// (camera ms, true ms) pairs.
fn sync_points(
    syncs: &[String],
    photos: &[Photo],
    zone: &jiff::tz::TimeZone,
) -> Result<Vec<(i64, i64)>> {
    let mut points = Vec::new();
    for sync in syncs {
        let Some((time, file)) = sync.rsplit_once('@') else {
            return Err(Error::Invalid(said(
                "geotag.sync_form",
                &[("sync", sync.to_string())],
            )));
        };
        let not_a_time = || {
            Error::Invalid(said(
                "geotag.sync_time",
                &[("sync", sync.to_string()), ("time", time.to_string())],
            ))
        };
        let truth = match time.trim().parse::<jiff::Timestamp>() {
            Ok(timestamp) => timestamp,
            Err(_) => {
                let local: jiff::civil::DateTime = time.trim().parse().map_err(|_| not_a_time())?;
                zone.to_ambiguous_timestamp(local)
                    .compatible()
                    .map_err(|_| not_a_time())?
            }
        };
        let wanted = file.trim().to_lowercase();
        let photo = photos
            .iter()
            .find(|photo| {
                let path = photo.file.to_lowercase();
                path == wanted
                    || path.ends_with(&format!("/{wanted}"))
                    || photo.file_name().to_lowercase() == wanted
            })
            .ok_or_else(|| {
                Error::Invalid(said(
                    "geotag.sync_no_photo",
                    &[("sync", sync.to_string()), ("file", file.to_string())],
                ))
            })?;
        let camera = camera_utc(photo, zone).ok_or_else(|| {
            Error::Invalid(said(
                "geotag.sync_no_time",
                &[("sync", sync.to_string()), ("file", photo.file.to_string())],
            ))
        })?;
        points.push((camera.as_millisecond(), truth.as_millisecond()));
    }
    Ok(points)
}

/// The clock correction the options ask for (before any estimate).
fn clock_correction(
    options: &PlaceOptions,
    photos: &[Photo],
    zone: &jiff::tz::TimeZone,
) -> Result<ClockCorrection> {
    let syncs = sync_points(&options.sync, photos, zone)?;
    match (&options.clock_offset, syncs.is_empty()) {
        (Some(_), false) => Err(Error::Invalid(said("geotag.offset_or_sync", &[]))),
        (Some(text), true) => {
            let seconds = parse_clock_offset(text).ok_or_else(|| {
                Error::Invalid(said("geotag.offset", &[("given", text.to_string())]))
            })?;
            Ok(ClockCorrection::Offset((seconds * 1000.0).round() as i64))
        }
        (None, false) => Ok(ClockCorrection::from_sync(syncs)),
        (None, true) => Ok(ClockCorrection::Offset(0)),
    }
}

/// Places the inspection's photos, or only those whose hash is in `only`.
pub fn place(
    book: &mut FieldBook,
    inspection_id: i64,
    options: &PlaceOptions,
    only: Option<&HashSet<String>>,
) -> Result<GeotagReport> {
    let zone = time_zone(book, options.tz.as_deref())?;
    let non_negative = |value: f64| value >= 0.0;
    if !non_negative(options.max_gap_s) || !non_negative(options.max_extrapolate_s) {
        return Err(Error::Invalid(said("geotag.seconds", &[])));
    }
    if !non_negative(options.component_radius_m) {
        return Err(Error::Invalid(said("geotag.radius", &[])));
    }
    let inspection = book.inspection(inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let all_photos = book.photos(Some(inspection_id))?;
    let mut tracks = Vec::new();
    for record in book.tracks(Some(inspection_id))? {
        tracks.push(book.load_track(record.id)?);
    }
    let dives = book.load_dives(Some(inspection_id))?;
    let geotagger = Geotagger::new(
        &tracks,
        GeotagOptions {
            max_gap_s: options.max_gap_s,
            max_extrapolate_s: options.max_extrapolate_s,
            across_segments: options.across_segments,
            max_hdop: options.max_hdop,
            max_pdop: options.max_pdop,
            min_satellites: options.min_satellites,
        },
    );
    let of_camera = |photo: &&Photo| {
        options
            .camera
            .as_deref()
            .is_none_or(|camera| photo.is_from_camera(camera))
    };
    let mut correction = clock_correction(options, &all_photos, &zone)?;
    let mut report = GeotagReport {
        inspection: inspection_id,
        dry_run: options.dry_run,
        ..GeotagReport::default()
    };
    if options.estimate_offset {
        let with_gps: Vec<(i64, LonLat)> = all_photos
            .iter()
            .filter(of_camera)
            .filter_map(|photo| {
                Some((
                    camera_utc(photo, &zone)?.as_millisecond(),
                    photo.usable_exif_position()?,
                ))
            })
            .collect();
        let estimate =
            estimate_offset(&geotagger, &with_gps, ESTIMATE_SEARCH_S).ok_or_else(|| {
                Error::Invalid(said(
                    "geotag.estimate",
                    &[("count", with_gps.len().to_string())],
                ))
            })?;
        correction = ClockCorrection::Offset((estimate.offset_s * 1000.0) as i64);
        report.estimate = Some(estimate);
    }

    let around = Surroundings {
        geotagger: &geotagger,
        dives: &dives,
        structure: &structure,
    };
    let rules = PlacementRules {
        prefer_track: options.prefer_track,
        component_radius_m: options.component_radius_m,
    };
    let mut placements = Vec::new();
    let mut first_offset = None;
    let chosen = all_photos
        .iter()
        .filter(|photo| only.is_none_or(|set| set.contains(&photo.hash)))
        .filter(of_camera);
    for photo in chosen {
        let taken_at = camera_utc(photo, &zone).and_then(|camera| {
            let offset = correction.offset_at(camera.as_millisecond());
            first_offset.get_or_insert(offset);
            camera
                .checked_add(jiff::SignedDuration::from_millis(offset))
                .ok()
        });
        let placement = place_photo(photo, taken_at, &around, rules);
        match placement.position_source {
            PositionSource::Exif => report.from_exif += 1,
            PositionSource::Track => report.from_track += 1,
            PositionSource::Device | PositionSource::None => report.not_placed += 1,
        }
        report.underwater += usize::from(placement.underwater);
        report.with_component += usize::from(placement.component.is_some());
        placements.push((photo.hash.clone(), placement));
    }
    report.photos = placements.len();
    report.clock_offset_s = first_offset.unwrap_or_else(|| correction.offset_at(0)) as f64 / 1000.0;
    if !options.dry_run {
        book.update_placements(inspection_id, &placements)?;
    }
    Ok(report)
}
