//! `voussoir photo list`, `track list` and `dive list`. Their JSON is a
//! documented, stable interface (docs/json.md).

use serde::Serialize;

use voussoir_core::photo::{Photo, PositionSource};

use crate::args::{DiveCommand, PhotoCommand, TrackCommand};
use crate::context::Context;
use crate::outcome::{table, Outcome};

/// A photo as `photo list --json` shows it (docs/json.md): flat, with
/// times as RFC 3339 text.
#[derive(Serialize)]
pub struct PhotoView<'a> {
    pub file: &'a str,
    pub hash: &'a str,
    pub inspection: Option<i64>,
    pub format: &'a str,
    pub taken_at: Option<String>,
    pub camera_time: Option<String>,
    pub camera_offset: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub elevation_m: Option<f64>,
    pub accuracy_m: Option<f64>,
    pub position_source: PositionSource,
    pub position_note: Option<&'a str>,
    pub exif_lon: Option<f64>,
    pub exif_lat: Option<f64>,
    pub depth_m: Option<f64>,
    pub underwater: bool,
    pub component: Option<&'a str>,
    pub component_distance_m: Option<f64>,
    pub make: Option<&'a str>,
    pub model: Option<&'a str>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub orientation: u16,
    pub thumbnail: Option<&'a str>,
    pub review: Option<&'a str>,
    pub notes: &'a [String],
}

impl<'a> From<&'a Photo> for PhotoView<'a> {
    fn from(photo: &'a Photo) -> Self {
        let placement = &photo.placement;
        PhotoView {
            file: &photo.file,
            hash: &photo.hash,
            inspection: photo.inspection_id,
            format: &photo.format,
            taken_at: placement.taken_at.map(|time| time.to_string()),
            camera_time: photo.camera_time.map(|time| time.to_string()),
            camera_offset: photo.camera_offset.map(|offset| offset.to_string()),
            lon: placement.position.map(|point| point.lon),
            lat: placement.position.map(|point| point.lat),
            elevation_m: placement.elevation_m,
            accuracy_m: placement.accuracy_m,
            position_source: placement.position_source,
            position_note: placement.position_note.as_deref(),
            exif_lon: photo.exif_position.map(|point| point.lon),
            exif_lat: photo.exif_position.map(|point| point.lat),
            depth_m: placement.depth_m,
            underwater: placement.underwater,
            component: placement.component.as_deref(),
            component_distance_m: placement.component_distance_m,
            make: photo.make.as_deref(),
            model: photo.model.as_deref(),
            width: photo.width,
            height: photo.height,
            orientation: photo.orientation,
            thumbnail: photo.thumbnail.as_deref(),
            review: photo.review.as_deref(),
            notes: &photo.metadata_notes,
        }
    }
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

pub fn photos(context: &Context, command: PhotoCommand) -> anyhow::Result<Outcome> {
    let PhotoCommand::List { inspection } = command;
    let book = context.open_book()?;
    let id = voussoir_app::chosen_inspection(&book, inspection)?;
    let photos = book.photos(Some(id))?;
    let (w, zone) = crate::context::course_words(&book);
    let mut rows = vec![[
        w.cli_h_file,
        w.cli_h_taken,
        w.cli_h_source,
        w.cli_h_position,
        w.cli_h_depth,
        w.cli_h_component,
        w.cli_h_note,
    ]
    .map(str::to_string)
    .to_vec()];
    for photo in &photos {
        let placement = &photo.placement;
        rows.push(vec![
            file_name(&photo.file),
            placement
                .taken_at
                .map(|time| w.moment(time, &zone))
                .unwrap_or_else(|| "-".to_string()),
            placement.position_source.code().to_string(),
            placement
                .position
                .map(|point| format!("{:.6},{:.6}", point.lat, point.lon))
                .unwrap_or_else(|| "-".to_string()),
            placement
                .depth_m
                .map(|depth| w.decimal(&format!("{depth:.1} m")))
                .unwrap_or_default(),
            match (&placement.component, placement.component_distance_m) {
                (Some(code), Some(distance)) => format!("{code} ({distance:.0} m)"),
                _ => String::new(),
            },
            // The placement note, then what to know about the file
            // ("no preview", "bad date"...).
            placement
                .position_note
                .iter()
                .map(|note| voussoir_core::words::reasons::translate_note(note, w.lang))
                .chain(photo.metadata_notes.iter().cloned())
                .collect::<Vec<_>>()
                .join("; "),
        ]);
    }
    let views: Vec<PhotoView<'_>> = photos.iter().map(PhotoView::from).collect();
    let text = if photos.is_empty() {
        format!(
            "{}\n",
            voussoir_core::words::fill(w.cli_no_photo, &[("id", id.to_string())])
        )
    } else {
        table(&rows)
    };
    Outcome::new(views, text)
}

#[derive(Serialize)]
struct TrackView<'a> {
    id: i64,
    inspection: Option<i64>,
    file: &'a str,
    format: &'a str,
    name: Option<&'a str>,
    /// Timed points, the ones geotagging uses.
    points: i64,
    /// Every track point, timed or not.
    all_points: i64,
    segments: i64,
    first_time: Option<&'a str>,
    last_time: Option<&'a str>,
    length_m: f64,
}

pub fn tracks(context: &Context, command: TrackCommand) -> anyhow::Result<Outcome> {
    let TrackCommand::List { inspection } = command;
    let book = context.open_book()?;
    let id = voussoir_app::chosen_inspection(&book, inspection)?;
    let tracks = book.tracks(Some(id))?;
    let (w, zone) = crate::context::course_words(&book);
    let moment = |text: &Option<String>| {
        text.as_deref()
            .map(|text| {
                text.parse::<jiff::Timestamp>()
                    .map(|time| w.moment(time, &zone))
                    .unwrap_or_else(|_| text.to_string())
            })
            .unwrap_or_else(|| "-".to_string())
    };
    let mut rows = vec![[
        w.cli_h_id,
        w.cli_h_file,
        w.cli_h_format,
        w.cli_h_points,
        w.cli_h_segments,
        w.cli_h_first,
        w.cli_h_last,
        w.cli_h_length,
    ]
    .map(str::to_string)
    .to_vec()];
    let mut views = Vec::new();
    for track in &tracks {
        rows.push(vec![
            track.id.to_string(),
            file_name(&track.file),
            track.format.clone(),
            track.points.to_string(),
            track.segments.to_string(),
            moment(&track.first_time),
            moment(&track.last_time),
            format!("{:.0} m", track.length_m),
        ]);
        views.push(TrackView {
            id: track.id,
            inspection: track.inspection_id,
            file: &track.file,
            format: &track.format,
            name: track.name.as_deref(),
            points: track.timed_points,
            all_points: track.points,
            segments: track.segments,
            first_time: track.first_time.as_deref(),
            last_time: track.last_time.as_deref(),
            length_m: (track.length_m * 10.0).round() / 10.0,
        });
    }
    let text = if tracks.is_empty() {
        format!(
            "{}\n",
            voussoir_core::words::fill(w.cli_no_track, &[("id", id.to_string())])
        )
    } else {
        table(&rows)
    };
    Outcome::new(views, text)
}

#[derive(Serialize)]
struct DiveView<'a> {
    id: i64,
    file: &'a str,
    number: Option<i64>,
    start: Option<String>,
    end: Option<String>,
    duration_s: f64,
    max_depth_m: f64,
    samples: i64,
}

fn time_text(ms: i64) -> Option<String> {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .map(|timestamp| timestamp.to_string())
}

pub fn dives(context: &Context, command: DiveCommand) -> anyhow::Result<Outcome> {
    let DiveCommand::List { inspection } = command;
    let book = context.open_book()?;
    let id = voussoir_app::chosen_inspection(&book, inspection)?;
    let dives = book.dives(Some(id))?;
    let (w, zone) = crate::context::course_words(&book);
    let mut rows = vec![[
        w.cli_h_id,
        w.cli_h_file,
        w.cli_h_dive,
        w.cli_h_first,
        w.cli_h_duration,
        w.cli_h_max_depth,
    ]
    .map(str::to_string)
    .to_vec()];
    let mut views = Vec::new();
    for dive in &dives {
        let duration_s = (dive.end_ms - dive.start_ms) as f64 / 1000.0;
        rows.push(vec![
            dive.id.to_string(),
            file_name(&dive.file),
            dive.number
                .map(|number| number.to_string())
                .unwrap_or_default(),
            jiff::Timestamp::from_millisecond(dive.start_ms)
                .map(|time| w.moment(time, &zone))
                .unwrap_or_default(),
            format!("{:.0} min", duration_s / 60.0),
            w.decimal(&format!("{:.1} m", dive.max_depth_m)),
        ]);
        views.push(DiveView {
            id: dive.id,
            file: &dive.file,
            number: dive.number,
            start: time_text(dive.start_ms),
            end: time_text(dive.end_ms),
            duration_s,
            max_depth_m: dive.max_depth_m,
            samples: dive.samples,
        });
    }
    let text = if dives.is_empty() {
        format!(
            "{}\n",
            voussoir_core::words::fill(w.cli_no_dive, &[("id", id.to_string())])
        )
    } else {
        table(&rows)
    };
    Outcome::new(views, text)
}
