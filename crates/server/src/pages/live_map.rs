//! The interactive map of a report: its data as JSON for the page's
//! script (the structure's plan, the trainee's defects by severity, the
//! reference's and the matches when the caller may see them, photos, GPS
//! tracks, with the layer names in the course's language), and the
//! vendored Leaflet files with the page script. Nothing is fetched from
//! another host: the plan of the structure is the background.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::{AppError, AppState};

/// The files the pages' scripts need (the map, the photo viewer), served
/// from the binary.
const FILES: &[(&str, &str, &str)] = &[
    (
        "leaflet.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/leaflet/leaflet.js"),
    ),
    (
        "leaflet.css",
        "text/css; charset=utf-8",
        include_str!("assets/leaflet/leaflet.css"),
    ),
    (
        "review-map.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/review-map.js"),
    ),
    (
        "photo-viewer.js",
        "text/javascript; charset=utf-8",
        include_str!("assets/photo-viewer.js"),
    ),
];

/// `GET /assets/{file}`: Leaflet 1.9.4 (BSD-2-Clause, licence in
/// `assets/leaflet/LICENSE`) and the page script.
pub async fn asset(Path(file): Path<String>) -> Result<Response, AppError> {
    let (_, kind, text) = FILES
        .iter()
        .find(|(name, _, _)| *name == file)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, *kind),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        *text,
    )
        .into_response())
}

/// `GET /assets/images/{file}`: the images Leaflet's style sheet names.
pub async fn asset_image(Path(file): Path<String>) -> Result<Response, AppError> {
    let bytes: &'static [u8] = match file.as_str() {
        "layers.png" => include_bytes!("assets/leaflet/images/layers.png"),
        "layers-2x.png" => include_bytes!("assets/leaflet/images/layers-2x.png"),
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        bytes,
    )
        .into_response())
}

fn at(position: voussoir_core::LonLat) -> Value {
    json!([position.lon, position.lat])
}

/// `GET /submissions/{id}/map.json`: what the interactive map draws, to
/// whoever may see the report.
pub async fn map_data(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<axum::Json<Value>, AppError> {
    let detail = crate::cache::detail(&state, &caller, id).await?;
    let background = &state.map;
    let data = detail.data();
    let w = state.words();
    let french = w.lang == "fr";
    let type_name = |code: &str| -> String {
        voussoir_core::catalogue::find(code)
            .map(|entry| if french { entry.name_fr } else { entry.name_en })
            .unwrap_or(code)
            .to_string()
    };
    let scheme = voussoir_core::grading::scheme(&data.scheme).ok();
    let colour = |severity: Option<&str>| {
        scheme.map_or(voussoir_core::grading::UNGRADED_COLOUR, |scheme| {
            voussoir_core::grading::severity_colour(scheme, severity)
        })
    };
    let photo_url =
        |hash: &str, kind: &str| format!("/media/{hash}/{kind}?i={}", data.inspection.id);
    let trainee: Vec<Value> = data
        .defects
        .iter()
        .filter_map(|defect| {
            let (position, _) = data.defect_position(defect)?;
            Some(json!({
                "id": defect.id, "at": at(position), "component": defect.component,
                "type": defect.type_code, "name": type_name(&defect.type_code),
                "severity": defect.severity, "colour": data.severity_colour(defect),
                "note": defect.note,
                "photos": data.photos_of_defect(defect).iter().filter(|photo| photo.thumbnail.is_some())
                    .take(4).map(|photo| photo_url(&photo.hash, "thumb")).collect::<Vec<_>>(),
            }))
        })
        .collect();
    let comparison = detail.comparison();
    let reference: Vec<Value> = if comparison.is_some() {
        detail
            .computed
            .reference_defects
            .iter()
            .filter_map(|defect| {
                let position = defect.position.or_else(|| {
                    data.structure
                        .component(&defect.component)
                        .and_then(|c| c.position)
                })?;
                Some(json!({
                    "id": defect.id, "at": at(position), "component": defect.component,
                    "type": defect.type_code, "name": type_name(&defect.type_code),
                    "severity": defect.severity, "colour": colour(defect.severity.as_deref()),
                }))
            })
            .collect()
    } else {
        Vec::new()
    };
    let matches: Vec<Value> = comparison
        .map(|comparison| {
            comparison
                .matched
                .iter()
                .map(|pair| json!([pair.reference_id, pair.trainee_id]))
                .collect()
        })
        .unwrap_or_default();
    let photos: Vec<Value> = data
        .photos
        .iter()
        .filter_map(|photo| {
            let position = photo.placement.position?;
            Some(json!({
                "at": at(position), "file": super::file_name(&photo.file),
                "underwater": photo.placement.underwater,
                "component": photo.placement.component,
                "thumb": photo.thumbnail.as_ref().map(|_| photo_url(&photo.hash, "thumb")),
                "review": photo.review.as_ref().map(|_| photo_url(&photo.hash, "review")),
            }))
        })
        .collect();
    let tracks: Vec<Value> = data
        .tracks
        .iter()
        .flat_map(|track| track.track.segments.iter())
        .map(|segment| {
            // At most about 2,000 points a segment: enough to see the walk.
            let step = (segment.points.len() / 2000).max(1);
            Value::Array(
                segment
                    .points
                    .iter()
                    .step_by(step)
                    .map(|point| json!([point.lon, point.lat]))
                    .collect(),
            )
        })
        .collect();
    let components: Vec<Value> = data
        .structure
        .components
        .iter()
        .filter_map(|component| {
            Some(json!({"code": component.code, "at": at(component.position?), "underwater": component.underwater}))
        })
        .collect();
    let layers: Vec<Value> = background
        .layers
        .iter()
        .filter_map(|layer| {
            let geojson: Value = serde_json::from_str(layer.geojson.as_deref()?).ok()?;
            Some(json!({"name": layer.name, "geojson": geojson}))
        })
        .collect();
    Ok(axum::Json(json!({
        "background": {"tiles": background.tiles, "attribution": background.attribution, "layers": layers},
        "axis": data.structure.axis.iter().map(|point| at(*point)).collect::<Vec<_>>(),
        "components": components,
        "trainee": trainee,
        "reference": reference,
        "matches": matches,
        "photos": photos,
        "tracks": tracks,
        "labels": {
            "plan": w.map_component, "trainee": w.map_defects_by_severity, "reference": w.reference,
            "matches": w.matched, "photos": w.map_photo, "underwater": w.map_photo_underwater,
            "track": w.map_track, "severity": w.severity, "component": w.component, "note": w.note,
        },
    })))
}
