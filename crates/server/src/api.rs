//! The JSON API under `/api/`, with the access rules and the upload path
//! the pages share. Documented in docs/api.md.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use voussoir_core::compare::{CompareOptions, Comparison};
use voussoir_export::InspectionData;
use voussoir_store::{FieldBook, Role, Submission};

use crate::auth::{self, Caller};
use crate::{AppError, AppState};
use voussoir_app::review;

/// May the caller see this inspection? Instructors see everything;
/// a trainee only the inspections of their own submissions. Anything else
/// is "not found", so that nobody learns what exists.
pub fn check_inspection_access(
    book: &FieldBook,
    caller: &Caller,
    inspection: i64,
) -> Result<(), AppError> {
    if caller.is_instructor() {
        return Ok(());
    }
    match book.submission_of_inspection(inspection)? {
        Some(submission) if submission.trainee_id == caller.user.id => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

fn visible_submission(book: &FieldBook, caller: &Caller, id: i64) -> Result<Submission, AppError> {
    let submission = book.submission(id)?.ok_or(AppError::NotFound)?;
    if caller.is_instructor() || submission.trainee_id == caller.user.id {
        Ok(submission)
    } else {
        Err(AppError::NotFound)
    }
}

/// What is computed once per submitted inspection and reference: the
/// inspection's data, its comparison with the reference, its map. A
/// submitted inspection never changes, so this is cached.
pub struct Computed {
    pub data: InspectionData,
    pub comparison: Option<Comparison>,
    pub map_svg: String,
}

/// A submission with its inspection, and for instructors the comparison.
pub struct Detail {
    pub submission: Submission,
    /// Every version of this trainee's submission for the structure.
    pub versions: Vec<Submission>,
    pub computed: Arc<Computed>,
    pub reference: Option<i64>,
    /// Only for instructors: it reveals the reference.
    pub show_comparison: bool,
}

impl Detail {
    pub fn data(&self) -> &InspectionData {
        &self.computed.data
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        if self.show_comparison {
            self.computed.comparison.as_ref()
        } else {
            None
        }
    }
}

/// Cached computations, by (inspection, reference).
#[derive(Default)]
pub struct DetailCache {
    entries: Mutex<HashMap<CacheKey, Arc<Computed>>>,
}

/// (inspection, reference inspection).
type CacheKey = (i64, Option<i64>);

const CACHE_ENTRIES: usize = 4096;

impl DetailCache {
    fn get(&self, key: (i64, Option<i64>)) -> Option<Arc<Computed>> {
        let entries = match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        entries.get(&key).cloned()
    }

    fn put(&self, key: (i64, Option<i64>), value: Arc<Computed>) {
        let mut entries = match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        entries.insert(key, value);
    }
}

pub async fn detail(state: &AppState, caller: &Caller, id: i64) -> Result<Detail, AppError> {
    let caller = caller.clone();
    let cache = state.cache.clone();
    state
        .books
        .run(move |book| {
            let submission = visible_submission(book, &caller, id)?;
            let versions = book
                .submissions(Some(submission.trainee_id))?
                .into_iter()
                .filter(|other| other.structure.eq_ignore_ascii_case(&submission.structure))
                .collect();
            let reference = review::reference_of(book, &submission.structure)?;
            let key = (submission.inspection, reference);
            let computed = match cache.get(key) {
                Some(computed) => computed,
                None => {
                    let data = review::load_inspection(book, submission.inspection)?;
                    let comparison = match reference {
                        Some(reference) => Some(review::comparison(
                            book,
                            reference,
                            submission.inspection,
                            CompareOptions::default(),
                        )?),
                        None => None,
                    };
                    let map_svg = voussoir_export::map::render_map(
                        &data,
                        voussoir_export::map::MapOptions::default(),
                    );
                    let computed = Arc::new(Computed {
                        data,
                        comparison,
                        map_svg,
                    });
                    cache.put(key, computed.clone());
                    computed
                }
            };
            Ok(Detail {
                submission,
                versions,
                computed,
                reference: if caller.is_instructor() {
                    reference
                } else {
                    None
                },
                show_comparison: caller.is_instructor(),
            })
        })
        .await
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<Submission>>, AppError> {
    let trainee = (!caller.is_instructor()).then_some(caller.user.id);
    let submissions = state
        .books
        .run(move |book| Ok(book.submissions(trainee)?))
        .await?;
    Ok(Json(submissions))
}

#[derive(Serialize)]
struct ShowView<'a> {
    submission: &'a Submission,
    structure: &'a str,
    inspection: &'a voussoir_core::Inspection,
    grading: &'a voussoir_core::grading::Grading,
    defects: &'a [voussoir_core::Defect],
    photos: &'a [voussoir_core::Photo],
    tracks: usize,
    dives: usize,
    reference: Option<i64>,
    comparison: Option<&'a Comparison>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let detail = detail(&state, &caller, id).await?;
    let data = detail.data();
    let view = ShowView {
        submission: &detail.submission,
        structure: &data.structure.code,
        inspection: &data.inspection,
        grading: &data.grading,
        defects: &data.defects,
        photos: &data.photos,
        tracks: data.tracks.len(),
        dives: data.dives.len(),
        reference: detail.reference,
        comparison: detail.comparison(),
    };
    Ok(
        Json(serde_json::to_value(view).map_err(|error| AppError::Internal(error.to_string()))?)
            .into_response(),
    )
}

/// A bundle being received, written to a temporary file of the data
/// folder and counted as it streams in.
pub struct Upload {
    path: PathBuf,
    file: std::fs::File,
    written: u64,
}

impl Upload {
    pub fn create(state: &AppState) -> Result<Upload, AppError> {
        let folder = state.config.data_dir.join("uploads");
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("{}.zip.part", auth::random_token()?));
        let file = std::fs::File::create(&path)?;
        Ok(Upload {
            path,
            file,
            written: 0,
        })
    }

    /// Appends a chunk, refusing the upload past the cap.
    pub fn write(&mut self, chunk: &[u8], cap: u64) -> Result<(), AppError> {
        self.written += chunk.len() as u64;
        if self.written > cap {
            return Err(AppError::TooLarge(format!(
                "the bundle is larger than the {} MB limit",
                cap / 1_000_000
            )));
        }
        self.file.write_all(chunk).map_err(AppError::from)
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        // Nothing of an upload stays behind, accepted or not.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Stores a received bundle as a new version of the caller's submission.
pub async fn receive(
    state: &AppState,
    caller: &Caller,
    upload: Upload,
) -> Result<Submission, AppError> {
    let dashboard = state.dashboard.clone();
    if caller.user.role != Role::Trainee {
        return Err(AppError::Forbidden(
            "only trainees submit inspections; instructors load references with the command line"
                .to_string(),
        ));
    }
    let trainee = caller.user.clone();
    let cap = state.config.max_upload_bytes;
    state
        .books
        .run(move |book| {
            let submission =
                voussoir_app::submission::submit_bundle(book, &trainee, &upload.path, cap)?;
            tracing::info!(
                "{} submitted {} version {} (#{})",
                trainee.name,
                submission.structure,
                submission.version,
                submission.id
            );
            drop(upload);
            dashboard.clear();
            Ok(submission)
        })
        .await
}

/// `POST /api/submissions` with the zip as the body.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    auth::check_csrf(&caller, &headers, None)?;
    if caller.user.role != Role::Trainee {
        return Err(AppError::Forbidden(
            "only trainees submit inspections".to_string(),
        ));
    }
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > state.config.max_upload_bytes) {
        return Err(AppError::TooLarge(format!(
            "the bundle is larger than the {} MB limit",
            state.config.max_upload_bytes / 1_000_000
        )));
    }
    let mut upload = Upload::create(&state)?;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|error| AppError::BadRequest(format!("upload interrupted: {error}")))?;
        if let Ok(chunk) = frame.into_data() {
            upload.write(&chunk, state.config.max_upload_bytes)?;
        }
    }
    let submission = receive(&state, &caller, upload).await?;
    Ok((StatusCode::CREATED, Json(submission)).into_response())
}
