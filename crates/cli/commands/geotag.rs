//! `voussoir geotag` (also run by `import photos`): corrects each photo's
//! camera time, places it from its own GPS or on the inspection's tracks,
//! gives it a depth from the dive logs, and assigns the nearest component.

use anyhow::{bail, Context as _};
use serde::Serialize;
use std::collections::HashSet;

use voussoir_core::geotag::{
    capture_time_utc, estimate_offset, nearest_component, parse_clock_offset, ClockCorrection,
    GeotagOptions, Geotagger, OffsetEstimate, Placement,
};
use voussoir_core::track::Dive;
use voussoir_core::LonLat;
use voussoir_store::{FieldBook, PhotoPlacement, PhotoRecord};

use crate::args::GeotagArgs;
use crate::context::Context;
use crate::outcome::Outcome;

/// Depth beyond which a photo taken during a dive counts as underwater.
const UNDERWATER_DEPTH_M: f64 = 0.5;
/// How far `--estimate-offset` searches, seconds (a camera set to the
/// wrong time zone is off by hours).
const ESTIMATE_SEARCH_S: i64 = 14 * 3600;

#[derive(Debug, Serialize, Default)]
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

pub fn run(
    context: &Context,
    inspection: Option<i64>,
    options: &GeotagArgs,
) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    let id = super::chosen_inspection(&book, inspection)?;
    let report = geotag(&mut book, id, options, None)?;
    let text = render(&report);
    Outcome::new(report, text)
}

pub fn render(report: &GeotagReport) -> String {
    let mut text = String::new();
    if let Some(estimate) = &report.estimate {
        text.push_str(&format!(
            "Estimated camera clock offset: {:+.0} s ± {:.0} s from {} photo(s) with their own GPS (median distance to the track {:.1} m)\n",
            estimate.offset_s, estimate.uncertainty_s, estimate.photos_used, estimate.median_distance_m
        ));
        if estimate.ambiguous || estimate.photos_used < 3 {
            text.push_str("  warning: other offsets fit almost as well or few photos were used; check a photo of the GPS screen with --sync\n");
        }
    }
    text.push_str(&format!(
        "{}{} photo(s): {} from EXIF GPS, {} from the track, {} not placed; {} underwater; {} assigned to a component (clock offset {:+.0} s)\n",
        if report.dry_run { "Dry run, nothing saved. " } else { "Geotagged " },
        report.photos,
        report.from_exif,
        report.from_track,
        report.not_placed,
        report.underwater,
        report.with_component,
        report.clock_offset_s
    ));
    text
}

fn zone(book: &FieldBook, tz: Option<&str>) -> anyhow::Result<jiff::tz::TimeZone> {
    let name = match tz {
        Some(name) => name.to_string(),
        None => book.course()?.time_zone,
    };
    jiff::tz::TimeZone::get(&name).with_context(|| {
        format!("`{name}` is not a time zone name; use one such as Europe/Paris or UTC")
    })
}

pub fn time_zone(book: &FieldBook, tz: Option<&str>) -> anyhow::Result<jiff::tz::TimeZone> {
    zone(book, tz)
}

/// A photo's camera time in UTC, before clock correction, to the
/// nanosecond the camera wrote.
fn camera_utc(photo: &PhotoRecord, zone: &jiff::tz::TimeZone) -> Option<jiff::Timestamp> {
    let local: jiff::civil::DateTime = photo.camera_time.as_deref()?.parse().ok()?;
    let offset = photo
        .camera_offset
        .as_deref()
        .and_then(voussoir_ingest::photo::parse_offset);
    capture_time_utc(local, offset, zone).ok()
}

fn camera_utc_ms(photo: &PhotoRecord, zone: &jiff::tz::TimeZone) -> Option<i64> {
    camera_utc(photo, zone).map(|timestamp| timestamp.as_millisecond())
}

fn usable_exif_position(photo: &PhotoRecord) -> Option<LonLat> {
    photo
        .exif_position
        .filter(|position| !(position.lon == 0.0 && position.lat == 0.0))
}

/// Whether a photo's make or model contains the text, ignoring case.
pub fn matches_camera(photo: &PhotoRecord, camera: &str) -> bool {
    let wanted = camera.to_lowercase();
    [&photo.make, &photo.model].iter().any(|field| {
        field
            .as_deref()
            .is_some_and(|value| value.to_lowercase().contains(&wanted))
    })
}

/// Parses `--sync TIME@FILE` against the photos being placed.
fn sync_points(
    syncs: &[String],
    photos: &[PhotoRecord],
    zone: &jiff::tz::TimeZone,
) -> anyhow::Result<Vec<(i64, i64)>> {
    let mut points = Vec::new();
    for sync in syncs {
        let Some((time, file)) = sync.rsplit_once('@') else {
            bail!("--sync `{sync}`: write TIME@FILE, e.g. 2026-03-12T10:41:07Z@IMG_0042.JPG");
        };
        let truth = match time.trim().parse::<jiff::Timestamp>() {
            Ok(timestamp) => timestamp,
            Err(_) => {
                let local: jiff::civil::DateTime = time.trim().parse().with_context(|| {
                    format!("--sync `{sync}`: `{time}` is not a time; write 2026-03-12T10:41:07Z or a local 2026-03-12T11:41:07")
                })?;
                zone.to_ambiguous_timestamp(local).compatible()?
            }
        };
        let wanted = file.trim().to_lowercase();
        let photo = photos
            .iter()
            .find(|photo| {
                let path = photo.file.to_lowercase();
                path == wanted
                    || path.ends_with(&format!("/{wanted}"))
                    || std::path::Path::new(&path)
                        .file_name()
                        .is_some_and(|name| name.to_string_lossy() == wanted)
            })
            .with_context(|| format!("--sync `{sync}`: no imported photo named `{file}`"))?;
        let camera = camera_utc_ms(photo, zone)
            .with_context(|| format!("--sync `{sync}`: {} has no capture time", photo.file))?;
        points.push((camera, truth.as_millisecond()));
    }
    Ok(points)
}

/// Places the inspection's photos (or only those whose hash is in `only`).
pub fn geotag(
    book: &mut FieldBook,
    inspection_id: i64,
    options: &GeotagArgs,
    only: Option<&HashSet<String>>,
) -> anyhow::Result<GeotagReport> {
    let zone = zone(book, options.tz.as_deref())?;
    let inspection = book.inspection(inspection_id)?;
    let structure = book.structure(&inspection.structure)?;
    let all_photos = book.photos(Some(inspection_id))?;
    let mut tracks = Vec::new();
    for record in book.tracks(Some(inspection_id))? {
        tracks.push(book.load_track(record.id)?);
    }
    let dives: Vec<Dive> = book.load_dives(Some(inspection_id))?;
    if options.max_gap < 0.0 || options.max_extrapolate < 0.0 {
        bail!("--max-gap and --max-extrapolate take a number of seconds of 0 or more");
    }
    let geotagger = Geotagger::new(
        &tracks,
        GeotagOptions {
            max_gap_s: options.max_gap,
            max_extrapolate_s: options.max_extrapolate,
            across_segments: options.across_segments,
            max_hdop: options.max_hdop,
            max_pdop: options.max_pdop,
            min_satellites: options.min_sats,
        },
    );

    let syncs = sync_points(&options.sync, &all_photos, &zone)?;
    let mut correction = match (&options.clock_offset, syncs.is_empty()) {
        (Some(_), false) => bail!("give --clock-offset or --sync, not both"),
        (Some(text), true) => {
            let seconds = parse_clock_offset(text).with_context(|| {
                format!(
                    "--clock-offset `{text}` is not an offset; write -73 (seconds) or -00:01:13"
                )
            })?;
            ClockCorrection::Offset((seconds * 1000.0).round() as i64)
        }
        (None, false) => ClockCorrection::from_sync(syncs),
        (None, true) => ClockCorrection::Offset(0),
    };

    let mut report = GeotagReport {
        inspection: inspection_id,
        dry_run: options.dry_run,
        ..GeotagReport::default()
    };
    if options.estimate_offset {
        let with_gps: Vec<(i64, LonLat)> = all_photos
            .iter()
            .filter(|photo| {
                options
                    .camera
                    .as_deref()
                    .is_none_or(|camera| matches_camera(photo, camera))
            })
            .filter_map(|photo| Some((camera_utc_ms(photo, &zone)?, usable_exif_position(photo)?)))
            .collect();
        match estimate_offset(&geotagger, &with_gps, ESTIMATE_SEARCH_S) {
            Some(estimate) => {
                correction = ClockCorrection::Offset((estimate.offset_s * 1000.0) as i64);
                report.estimate = Some(estimate);
            }
            None => bail!(
                "cannot estimate the clock offset: it needs photos with their own GPS and a time that fall on a track ({} photo(s) have both)",
                with_gps.len()
            ),
        }
    }

    let photos: Vec<&PhotoRecord> = all_photos
        .iter()
        .filter(|photo| only.is_none_or(|set| set.contains(&photo.hash)))
        .filter(|photo| {
            options
                .camera
                .as_deref()
                .is_none_or(|camera| matches_camera(photo, camera))
        })
        .collect();
    let mut placements = Vec::new();
    let mut first_offset = None;
    for photo in &photos {
        let camera = camera_utc(photo, &zone);
        let corrected = camera.and_then(|camera| {
            let offset = correction.offset_at(camera.as_millisecond());
            first_offset.get_or_insert(offset);
            camera
                .checked_add(jiff::SignedDuration::from_millis(offset))
                .ok()
        });
        let taken = corrected.map(|timestamp| timestamp.as_millisecond());
        let mut placement = PhotoPlacement {
            taken_at: corrected.map(|timestamp| timestamp.to_string()),
            position_source: "none".to_string(),
            ..PhotoPlacement::default()
        };
        let exif = usable_exif_position(photo);
        let null_island = photo.exif_position.is_some() && exif.is_none();
        match (exif, options.prefer_track, taken) {
            (Some(position), false, _) | (Some(position), true, None) => {
                placement.position = Some(position);
                placement.elevation_m = photo.exif_altitude_m;
                placement.accuracy_m = photo.exif_accuracy_m;
                placement.position_source = "exif".to_string();
                placement.position_note = Some("from the photo's own GPS".to_string());
            }
            (_, _, None) => {
                placement.position_note = Some(if null_island {
                    "EXIF GPS is 0,0 (no fix) and the photo has no capture time".to_string()
                } else {
                    "no capture time in the photo, so it cannot be placed on a track".to_string()
                });
            }
            (_, _, Some(time)) => match geotagger.locate(time) {
                Placement::Placed {
                    position,
                    elevation_m,
                    accuracy_m,
                    note,
                } => {
                    placement.position = Some(position);
                    placement.elevation_m = elevation_m;
                    placement.accuracy_m = Some((accuracy_m * 10.0).round() / 10.0);
                    placement.position_source = "track".to_string();
                    placement.position_note = Some(note);
                }
                Placement::NotPlaced { note } => {
                    placement.position_note = Some(if null_island {
                        format!("EXIF GPS is 0,0 (no fix), ignored; {note}")
                    } else {
                        note
                    });
                }
            },
        }
        if let Some(time) = taken {
            if let Some(depth) = dives.iter().find_map(|dive| dive.depth_at(time)) {
                placement.depth_m = Some((depth * 100.0).round() / 100.0);
                placement.underwater = depth >= UNDERWATER_DEPTH_M;
            }
        }
        if let Some(position) = placement.position {
            if let Some((code, distance)) = nearest_component(
                &structure,
                position,
                options.component_radius,
                placement.underwater,
            ) {
                placement.component = Some(code);
                placement.component_distance_m = Some((distance * 10.0).round() / 10.0);
            }
        }
        match placement.position_source.as_str() {
            "exif" => report.from_exif += 1,
            "track" => report.from_track += 1,
            _ => report.not_placed += 1,
        }
        report.underwater += usize::from(placement.underwater);
        report.with_component += usize::from(placement.component.is_some());
        placements.push((photo.hash.clone(), placement));
    }
    report.photos = placements.len();
    report.clock_offset_s = first_offset.unwrap_or_else(|| correction.offset_at(0)) as f64 / 1000.0;
    if !options.dry_run {
        book.update_placements(&placements)?;
    }
    Ok(report)
}
