//! The HTML pages: login, dashboards, a submission's report with the
//! comparison, the feedback form, uploads, results as CSV, and media by
//! hash. Rendered with maud, which escapes every value by construction;
//! the only raw HTML inserted is the SVG map from the export crate, whose
//! text is escaped there. Pages work without JavaScript and fit a phone.

use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;

use voussoir_core::compare::Comparison;
use voussoir_export::map::severity_colour;
use voussoir_store::{Role, Submission, SubmissionStatus};

use crate::auth::{self, Caller, MaybeCaller};
use crate::words::Words;
use crate::{api, AppError, AppState};

const STYLE: &str = r#"
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d2a33; margin: 0; line-height: 1.45; background: #fbfaf7; }
header { background: #1d2a33; color: #fff; padding: 0.6em 1em; display: flex; flex-wrap: wrap; gap: 1em; align-items: center; justify-content: space-between; }
header a { color: #fff; }
header form { display: inline; }
main { max-width: 72em; margin: 0 auto; padding: 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 2px solid #1d2a33; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 0.5em 0; }
th, td { border: 1px solid #b9c4cc; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef3f6; }
.scroll { overflow-x: auto; }
.status-submitted { color: #a35b00; font-weight: bold; } .status-returned { color: #b3261e; font-weight: bold; } .status-accepted { color: #1e7b34; font-weight: bold; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; border: 1px solid #1d2a33; margin-right: 0.3em; vertical-align: middle; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(9em, 1fr)); gap: 0.6em; }
.gallery figure { margin: 0; } .gallery img { width: 100%; border: 1px solid #b9c4cc; }
.gallery figcaption { font-size: 0.8em; }
.map svg { width: 100%; height: auto; }
.card { background: #fff; border: 1px solid #b9c4cc; padding: 1em; margin: 1em 0; }
label { display: block; margin: 0.6em 0 0.2em; font-weight: bold; }
input[type=text], input[type=password], input[type=number], textarea { width: 100%; max-width: 30em; padding: 0.4em; font: inherit; }
textarea { max-width: none; min-height: 5em; }
button { padding: 0.5em 1.2em; font: inherit; background: #1d2a33; color: #fff; border: 0; cursor: pointer; margin-top: 0.8em; }
.error { background: #fde8e6; border: 1px solid #b3261e; padding: 0.6em; }
.metrics { display: flex; flex-wrap: wrap; gap: 1em; } .metrics div { background: #fff; border: 1px solid #b9c4cc; padding: 0.5em 0.8em; }
.metrics strong { display: block; font-size: 1.3em; }
"#;

fn page(w: &Words, title: &str, caller: Option<&Caller>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(w.lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Voussoir" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    a href="/dashboard" { strong { "Voussoir" } }
                    @if let Some(caller) = caller {
                        span {
                            (caller.user.name) " (" (if caller.is_instructor() { w.instructor } else { w.trainee_role }) ") "
                            form method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
                                button type="submit" style="margin:0;padding:0.2em 0.8em" { (w.log_out) }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

pub async fn home(MaybeCaller(caller): MaybeCaller) -> Redirect {
    if caller.is_some() {
        Redirect::to("/dashboard")
    } else {
        Redirect::to("/login")
    }
}

fn login_page(w: &Words, error: Option<&str>) -> Markup {
    page(
        w,
        w.log_in,
        None,
        html! {
            h1 { (w.log_in) }
            @if let Some(error) = error { p.error { (error) } }
            form.card method="post" action="/login" {
                label for="username" { (w.user_name) }
                input #username type="text" name="username" autocomplete="username" required;
                label for="password" { (w.password) }
                input #password type="password" name="password" autocomplete="current-password" required;
                button type="submit" { (w.log_in) }
            }
        },
    )
}

pub async fn login_form(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
) -> Response {
    if caller.is_some() {
        return Redirect::to("/dashboard").into_response();
    }
    login_page(state.words(), None).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    auth::check_origin(&headers)?;
    let keys = vec![
        format!("user:{}", form.username.trim().to_lowercase()),
        format!("address:{}", address.ip()),
    ];
    state.limiter.check(&keys)?;
    let name = form.username.trim().to_string();
    let user = state
        .books
        .run(move |book| Ok(book.user_by_name(&name)?))
        .await?;
    // Verify even for unknown users so timing does not reveal names.
    let stored = user
        .as_ref()
        .map(|user| user.password_hash.clone())
        .unwrap_or_else(|| "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE".to_string());
    let password = form.password.clone();
    let valid = tokio::task::spawn_blocking(move || auth::verify_password(&password, &stored))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| valid) else {
        state.limiter.record_failure(&keys);
        tracing::info!("failed login for {:?} from {}", form.username, address.ip());
        return Ok((
            StatusCode::UNAUTHORIZED,
            login_page(state.words(), Some(state.words().wrong_login)),
        )
            .into_response());
    };
    let token = auth::random_token()?;
    let csrf = auth::random_token()?;
    let hash = auth::token_hash(&token);
    let hours = state.config.session_hours;
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(hours))
        .map_err(|error| AppError::Internal(error.to_string()))?
        .to_string();
    let user_id = user.id;
    state
        .books
        .run(move |book| Ok(book.create_session(user_id, &hash, &csrf, &expires)?))
        .await?;
    tracing::info!("{} logged in", user.name);
    Ok((
        [(
            header::SET_COOKIE,
            auth::session_cookie(&token, hours, state.config.secure_cookies),
        )],
        Redirect::to("/dashboard"),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    auth::check_csrf(&caller, &headers, form.csrf.as_deref())?;
    if let Some(token) = auth::cookie(&headers, auth::SESSION_COOKIE) {
        let hash = auth::token_hash(&token);
        state
            .books
            .run(move |book| Ok(book.delete_session(&hash)?))
            .await?;
    }
    Ok((
        [(
            header::SET_COOKIE,
            auth::expired_cookie(state.config.secure_cookies),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}

fn status_cell(w: &Words, status: SubmissionStatus) -> Markup {
    let label = match status {
        SubmissionStatus::Submitted => w.submitted,
        SubmissionStatus::Returned => w.returned,
        SubmissionStatus::Accepted => w.accepted,
    };
    html! { span class=(format!("status-{}", status.code())) { (label) } }
}

/// `2026-11-28T19:03:40.424Z` → `2026-11-28 19:03 UTC`.
fn when(text: &str) -> String {
    text.parse::<jiff::Timestamp>()
        .map(|timestamp| timestamp.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| text.to_string())
}

fn mark(value: Option<f64>) -> String {
    value
        .map(|mark| format!("{mark}/20"))
        .unwrap_or_else(|| "—".to_string())
}

/// What the instructor's dashboard shows: the course, every submission,
/// every account.
type Overview = (
    voussoir_core::Course,
    Vec<Submission>,
    Vec<voussoir_store::User>,
);

/// The instructor's overview, kept for a second or two: a class of a
/// hundred trainees reloading the dashboard must not each rebuild it.
/// Uploads and reviews through the server clear it at once.
#[derive(Default)]
pub struct DashboardCache {
    entry: std::sync::Mutex<Option<(std::time::Instant, std::sync::Arc<Overview>)>>,
}

const DASHBOARD_TTL: std::time::Duration = std::time::Duration::from_secs(2);

impl DashboardCache {
    fn get(&self) -> Option<std::sync::Arc<Overview>> {
        let entry = match self.entry.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        entry
            .as_ref()
            .filter(|(at, _)| at.elapsed() < DASHBOARD_TTL)
            .map(|(_, overview)| overview.clone())
    }

    fn put(&self, overview: std::sync::Arc<Overview>) {
        let mut entry = match self.entry.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *entry = Some((std::time::Instant::now(), overview));
    }

    /// Forgets the overview after a change.
    pub fn clear(&self) {
        let mut entry = match self.entry.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *entry = None;
    }
}

async fn overview(
    state: &AppState,
    instructor: bool,
    trainee_id: i64,
) -> Result<std::sync::Arc<Overview>, AppError> {
    if instructor {
        if let Some(cached) = state.dashboard.get() {
            return Ok(cached);
        }
    }
    let overview = state
        .books
        .run(move |book| {
            let course = book.course()?;
            let submissions = book.submissions(if instructor { None } else { Some(trainee_id) })?;
            let users = if instructor {
                book.users()?
            } else {
                Vec::new()
            };
            Ok((course, submissions, users))
        })
        .await?;
    let overview = std::sync::Arc::new(overview);
    if instructor {
        state.dashboard.put(overview.clone());
    }
    Ok(overview)
}

pub async fn dashboard(State(state): State<AppState>, caller: Caller) -> Result<Markup, AppError> {
    let instructor = caller.is_instructor();
    let overview = overview(&state, instructor, caller.user.id).await?;
    let (course, submissions, users) = (&overview.0, &overview.1, &overview.2);
    let w = state.words();
    let body = if instructor {
        // Trainees × structures, latest version of each submission.
        let trainees: Vec<_> = users
            .iter()
            .filter(|user| user.role == Role::Trainee)
            .collect();
        // The newest version per trainee and structure, found once.
        let mut newest: HashMap<(i64, String), &Submission> = HashMap::new();
        for submission in submissions {
            let key = (submission.trainee_id, submission.structure.to_uppercase());
            if newest
                .get(&key)
                .is_none_or(|current| current.version < submission.version)
            {
                newest.insert(key, submission);
            }
        }
        let latest = |trainee: i64, structure: &str| -> Option<&Submission> {
            newest.get(&(trainee, structure.to_uppercase())).copied()
        };
        html! {
            h1 #dashboard-instructor { (w.course) " " (course.code) }
            p { (course.name) " · " (w.grading_scheme) " " (course.scheme.to_uppercase()) " · "
                a href="/results.csv" { (w.course_results) } " · "
                a href="/agreement" { (w.agreement_link) } }
            div.scroll {
                table {
                    tr {
                        th { (w.trainee) }
                        @for structure in &course.structures { th { (structure.code) } }
                    }
                    @for trainee in &trainees {
                        tr {
                            td { (trainee.name) }
                            @for structure in &course.structures {
                                td {
                                    @if let Some(submission) = latest(trainee.id, &structure.code) {
                                        a href=(format!("/submissions/{}", submission.id)) { "v" (submission.version) }
                                        " " (status_cell(w, submission.status)) br;
                                        (w.suggested) " " (mark(submission.suggested_mark)) br;
                                        (w.final_mark_short) " " (mark(submission.final_mark))
                                    } @else { "—" }
                                }
                            }
                        }
                    }
                }
            }
            p { (submissions.len()) " " (w.submissions_in_all) }
        }
    } else {
        html! {
            h1 #dashboard-trainee { (w.my_submissions) }
            p { a href="/submit" { (w.submit_link) } }
            @if submissions.is_empty() { p { (w.nothing_submitted) } }
            @else { (submission_table(w, submissions, false)) }
        }
    };
    Ok(page(w, w.dashboard, Some(&caller), body))
}

fn submission_table(w: &Words, submissions: &[Submission], with_trainee: bool) -> Markup {
    html! {
        div.scroll { table {
            tr {
                th { "#" }
                @if with_trainee { th { (w.trainee) } }
                th { (w.structure) } th { (w.version) } th { (w.status) } th { (w.submitted_on) }
                th { (w.suggested_mark) } th { (w.final_mark) }
            }
            @for submission in submissions {
                tr {
                    td { a href=(format!("/submissions/{}", submission.id)) { (submission.id) } }
                    @if with_trainee { td { (submission.trainee) } }
                    td { (submission.structure) }
                    td { (submission.version) }
                    td { (status_cell(w, submission.status)) }
                    td { (when(&submission.submitted_at)) }
                    td { (mark(submission.suggested_mark)) }
                    td { (mark(submission.final_mark)) }
                }
            }
        } }
    }
}

pub async fn submit_form(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Markup, AppError> {
    let w = state.words();
    if caller.user.role != Role::Trainee {
        return Err(AppError::Forbidden(
            "only trainees submit inspections".to_string(),
        ));
    }
    let body = html! {
        h1 { (w.submit_title) }
        p { (w.submit_intro) " " code { "voussoir export bundle" } " " (w.submit_or_run) " "
            code { "voussoir submit --server URL --token TOKEN" } "." }
        form.card method="post" action="/submissions" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
            label for="bundle" { (w.bundle_label) }
            input #bundle type="file" name="bundle" accept=".zip,application/zip" required;
            button type="submit" { (w.submit_button) }
        }
    };
    Ok(page(w, w.submit_title, Some(&caller), body))
}

/// Receives a bundle from the upload form.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    auth::check_origin(&headers)?;
    let mut csrf: Option<String> = None;
    let mut stored: Option<api::Upload> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|error| AppError::BadRequest(format!("malformed upload: {error}")))?
    {
        match field.name() {
            Some("csrf") => {
                csrf = Some(
                    field
                        .text()
                        .await
                        .map_err(|error| AppError::BadRequest(error.to_string()))?,
                )
            }
            Some("bundle") => {
                // The token comes first in the form: check it before
                // storing a single byte.
                auth::check_csrf(&caller, &headers, csrf.as_deref())?;
                let mut upload = api::Upload::create(&state)?;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|error| AppError::BadRequest(format!("upload interrupted: {error}")))?
                {
                    upload.write(&chunk, state.config.max_upload_bytes)?;
                }
                stored = Some(upload);
            }
            _ => {}
        }
    }
    auth::check_csrf(&caller, &headers, csrf.as_deref())?;
    let upload = stored.ok_or_else(|| AppError::BadRequest("no bundle in the form".to_string()))?;
    let submission = api::receive(&state, &caller, upload).await?;
    Ok(Redirect::to(&format!("/submissions/{}", submission.id)).into_response())
}

pub async fn submission(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Markup, AppError> {
    let detail = api::detail(&state, &caller, id).await?;
    let data = detail.data();
    let submission = &detail.submission;
    let map = &detail.computed.map_svg;
    let trainee_defects: HashMap<i64, String> =
        submission.defect_comments.iter().cloned().collect();
    let w = state.words();
    let body = html! {
        h1 { (data.structure.name) " — " (submission.trainee) ", version " (submission.version) }
        p {
            (w.submission) " #" (submission.id) " · " (status_cell(w, submission.status))
            " · " (when(&submission.submitted_at))
            " · " (w.suggested_mark) " " (mark(submission.suggested_mark))
            " · " (w.final_mark) " " (mark(submission.final_mark))
        }
        @if detail.versions.len() > 1 {
            p #versions { (w.versions) ": "
                @for version in &detail.versions {
                    @if version.id == submission.id { strong { "v" (version.version) } }
                    @else { a href=(format!("/submissions/{}", version.id)) { "v" (version.version) } }
                    " (" (status_cell(w, version.status)) ") "
                }
            }
        }
        @if let Some(feedback) = &submission.feedback {
            div.card #feedback { h2 style="margin-top:0" { (w.feedback) } p { (feedback) }
                @if let Some(reviewer) = &submission.reviewed_by { p { small { "— " (reviewer) ", " (when(&submission.reviewed_at.clone().unwrap_or_default())) } } } }
        }
        h2 { (w.grades) " (" (data.grading.scheme.to_uppercase()) ")" }
        p { (w.structure) " : " strong { (data.grading.structure.label) } }
        ul { @for reason in &data.grading.structure.reasons { li { (reason) } } }
        div.scroll { table {
            tr { th { (w.component) } th { (w.grade) } th { (w.why) } }
            @for grade in &data.grading.components {
                tr { td { (grade.component) } td { (grade.class) @if grade.safety { " S" } } td { (grade.reasons.join(" · ")) } }
            }
        } }
        h2 { (w.defects) }
        div.scroll { table {
            tr { th { "#" } th { (w.component) } th { (w.defect_type) } th { (w.severity) } th { (w.extent) } th { (w.measurements) } th { (w.note) } th { (w.photos) } th { (w.instructor_comment) } }
            @for defect in &data.defects {
                tr {
                    td { (defect.id) }
                    td { (defect.component) }
                    td { (defect.type_code) }
                    td { span.swatch style=(format!("background:{}", severity_colour(defect.severity.as_deref()))) {} (defect.severity.clone().unwrap_or_else(|| "?".to_string())) }
                    td { (defect.extent.map(|extent| extent.code()).unwrap_or("")) }
                    td { (measurements(defect)) }
                    td { (defect.note.clone().unwrap_or_default()) }
                    td {
                        @for photo in data.photos_of_defect(defect).into_iter().take(3) {
                            @if photo.thumbnail.is_some() {
                                a href=(format!("/media/{}/review", photo.hash)) {
                                    img src=(format!("/media/{}/thumb", photo.hash)) alt=(photo.file) style="height:3em;margin:1px" loading="lazy";
                                }
                            }
                        }
                    }
                    td { (trainee_defects.get(&defect.id).cloned().unwrap_or_default()) }
                }
            }
        } }
        @if let Some(comparison) = detail.comparison() {
            (comparison_section(w, comparison, detail.reference.unwrap_or_default()))
        }
        h2 { (w.map) }
        div.map { (PreEscaped(map.as_str())) }
        h2 { (w.photos) }
        @if data.photos.is_empty() { p { (w.no_photo) } }
        div.gallery {
            @for photo in &data.photos {
                figure {
                    @if photo.thumbnail.is_some() {
                        a href=(format!("/media/{}/review", photo.hash)) {
                            img src=(format!("/media/{}/thumb", photo.hash)) alt=(photo.file) loading="lazy";
                        }
                    }
                    figcaption {
                        (file_name(&photo.file))
                        @if let Some(component) = &photo.placement.component { " · " (component) }
                        @if let Some(depth) = photo.placement.depth_m { " · " (depth) " " (w.metres_deep) }
                        br; small { (photo.placement.taken_at.map(|time| when(&time.to_string())).unwrap_or_default()) }
                    }
                }
            }
        }
        @if caller.is_instructor() {
            (feedback_form(w, &caller, submission, data))
        }
    };
    Ok(page(
        w,
        &format!("{} #{id}", w.submission),
        Some(&caller),
        body,
    ))
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

fn measurements(defect: &voussoir_core::Defect) -> String {
    let measures = &defect.measurements;
    let mut parts = Vec::new();
    for (value, unit) in [
        (measures.crack_width_mm, "mm wide"),
        (measures.length_m, "m long"),
        (measures.area_m2, "m²"),
        (measures.depth_mm, "mm deep"),
        (measures.section_loss_pct, "% loss"),
    ] {
        if let Some(value) = value {
            parts.push(format!("{value} {unit}"));
        }
    }
    parts.join(", ")
}

fn percent(value: f64) -> String {
    format!("{:.0} %", value * 100.0)
}

fn comparison_section(w: &Words, comparison: &Comparison, reference: i64) -> Markup {
    let metrics = &comparison.metrics;
    html! {
        h2 #comparison { (w.comparison) " (" (w.inspection) " #" (reference) ")" }
        div.metrics {
            div { (w.detection) strong { (percent(metrics.detection_rate)) } (metrics.matched) " " (w.of) " " (metrics.reference_defects) }
            div { (w.precision) strong { (percent(metrics.precision)) } (metrics.matched) " " (w.of) " " (metrics.trainee_defects) }
            div { (w.severity_exact) strong { (percent(metrics.severity_exact)) } (w.within_one) " : " (percent(metrics.severity_within_one)) }
            div { (w.position_error) strong { (metrics.mean_position_error_m.map(|error| format!("{error:.1} m")).unwrap_or_else(|| "—".to_string())) } (w.mean) }
            div { (w.structure) strong { (comparison.structure_grade.reference) " → " (comparison.structure_grade.trainee) } (w.reference_to_trainee) }
            div { (w.suggested_mark) strong { (comparison.mark.suggested) "/20" }
                "detection " (comparison.mark.detection) ", precision " (comparison.mark.precision) ", severity " (comparison.mark.severity) ", grade " (comparison.mark.structure_grade) }
        }
        h2 { (w.matched) }
        div.scroll { table {
            tr { th { (w.reference) } th { (w.trainee) } th { (w.component) } th { (w.defect_type) } th { (w.severity) " (" (w.reference_to_trainee) ")" } th { (w.position_error) } }
            @for pair in &comparison.matched {
                tr {
                    td { "#" (pair.reference_id) } td { "#" (pair.trainee_id) } td { (pair.component) }
                    td { (pair.reference_type) @if pair.trainee_type != pair.reference_type { " / " (pair.trainee_type) } }
                    td { (pair.reference_severity.clone().unwrap_or_else(|| "?".to_string())) " → " (pair.trainee_severity.clone().unwrap_or_else(|| "?".to_string()))
                        @if let Some(difference) = pair.severity_difference { @if difference != 0 { " (" (format!("{difference:+}")) ")" } } }
                    td { (pair.position_error_m.map(|error| format!("{error:.1} m")).unwrap_or_default()) }
                }
            }
        } }
        h2 { (w.missed) }
        @if comparison.missed.is_empty() { p { (w.none) } }
        ul { @for defect in &comparison.missed { li { "#" (defect.id) " " (defect.type_code) " " (w.on) " " (defect.component) " (" (defect.severity.clone().unwrap_or_else(|| "?".to_string())) ")" } } }
        h2 { (w.extra) }
        @if comparison.extra.is_empty() { p { (w.none) } }
        ul { @for defect in &comparison.extra { li { "#" (defect.id) " " (defect.type_code) " " (w.on) " " (defect.component) " (" (defect.severity.clone().unwrap_or_else(|| "?".to_string())) ")" } } }
        h2 { (w.component_grades) }
        div.scroll { table {
            tr { th { (w.component) } th { (w.reference) } th { (w.trainee) } th { (w.difference) } }
            @for grade in &comparison.component_grades {
                tr { td { (grade.code) } td { (grade.reference) } td { (grade.trainee) }
                    td { (grade.difference.map(|difference| format!("{difference:+}")).unwrap_or_default()) } }
            }
        } }
    }
}

fn feedback_form(
    w: &Words,
    caller: &Caller,
    submission: &Submission,
    data: &voussoir_export::InspectionData,
) -> Markup {
    let comments: HashMap<i64, String> = submission.defect_comments.iter().cloned().collect();
    html! {
        h2 { (w.feedback_and_mark) }
        form.card method="post" action=(format!("/submissions/{}/feedback", submission.id)) {
            input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
            label for="comment" { (w.overall_comment) }
            textarea #comment name="comment" { (submission.feedback.clone().unwrap_or_default()) }
            @for defect in &data.defects {
                label for=(format!("defect_{}", defect.id)) { (w.defect) " #" (defect.id) " — " (defect.type_code) " " (w.on) " " (defect.component) }
                input type="text" id=(format!("defect_{}", defect.id)) name=(format!("defect_{}", defect.id)) value=(comments.get(&defect.id).cloned().unwrap_or_default());
            }
            label for="final_mark" { (w.final_mark_label) }
            input #final_mark type="number" name="final_mark" min="0" max="20" step="0.5"
                value=(submission.final_mark.or(submission.suggested_mark).map(|mark| mark.to_string()).unwrap_or_default());
            label { (w.decision) }
            label style="font-weight:normal" { input type="radio" name="decision" value="return" checked; " " (w.return_label) }
            label style="font-weight:normal" { input type="radio" name="decision" value="accept"; " " (w.accept_label) }
            button type="submit" { (w.save_feedback) }
        }
    }
}

pub async fn feedback(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    auth::check_csrf(&caller, &headers, form.get("csrf").map(String::as_str))?;
    caller.require_instructor()?;
    let status = match form.get("decision").map(String::as_str) {
        Some("accept") => SubmissionStatus::Accepted,
        Some("return") | None => SubmissionStatus::Returned,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "unknown decision `{other}`; use return or accept"
            )))
        }
    };
    let final_mark = match form
        .get("final_mark")
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
    {
        None => None,
        Some(text) => {
            let value: f64 = text.replace(',', ".").parse().map_err(|_| {
                AppError::BadRequest(format!("final mark `{text}` is not a number"))
            })?;
            if !(0.0..=20.0).contains(&value) {
                return Err(AppError::BadRequest(
                    "the final mark goes from 0 to 20".to_string(),
                ));
            }
            Some(value)
        }
    };
    let comment = form.get("comment").cloned().unwrap_or_default();
    let defect_comments: Vec<(i64, String)> = form
        .iter()
        .filter_map(|(key, value)| {
            Some((
                key.strip_prefix("defect_")?.parse::<i64>().ok()?,
                value.clone(),
            ))
        })
        .collect();
    let reviewer = caller.user.id;
    state
        .books
        .run(move |book| {
            book.submission(id)?.ok_or(AppError::NotFound)?;
            book.review_submission(id, reviewer, status, final_mark, &comment, &defect_comments)?;
            Ok(())
        })
        .await?;
    tracing::info!(
        "{} reviewed submission #{id}: {}",
        caller.user.name,
        status.code()
    );
    Ok(Redirect::to(&format!("/submissions/{id}")).into_response())
}

pub async fn results_csv(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.require_instructor()?;
    let submissions = state.books.run(|book| Ok(book.submissions(None)?)).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| AppError::Internal(error.to_string());
    writer
        .write_record([
            "trainee",
            "structure",
            "version",
            "status",
            "submitted_at",
            "suggested_mark",
            "final_mark",
            "feedback",
        ])
        .map_err(failed)?;
    for submission in &submissions {
        writer
            .write_record([
                submission.trainee.clone(),
                submission.structure.clone(),
                submission.version.to_string(),
                submission.status.code().to_string(),
                submission.submitted_at.clone(),
                submission
                    .suggested_mark
                    .map(|mark| mark.to_string())
                    .unwrap_or_default(),
                submission
                    .final_mark
                    .map(|mark| mark.to_string())
                    .unwrap_or_default(),
                submission.feedback.clone().unwrap_or_default(),
            ])
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"course-results.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A photo copy by hash, to whoever may see the photo's inspection.
pub async fn media(
    State(state): State<AppState>,
    caller: Caller,
    Path((hash, kind)): Path<(String, String)>,
) -> Result<Response, AppError> {
    // One canonical form of a hash, checked once: lower-case hex.
    if !voussoir_store::is_canonical_hash(&hash) {
        return Err(AppError::NotFound);
    }
    let kind = match kind.as_str() {
        "thumb" => voussoir_store::MediaKind::Thumbnail,
        "review" => voussoir_store::MediaKind::Review,
        _ => return Err(AppError::NotFound),
    };
    let caller_for_check = caller.clone();
    let lookup = hash.clone();
    state
        .books
        .run(move |book| {
            let inspection = book.photo_inspection(&lookup)?.ok_or(AppError::NotFound)?;
            api::check_inspection_access(book, &caller_for_check, inspection)
        })
        .await?;
    // The path is built from the validated hash only, never from the request.
    let path = state
        .config
        .data_dir
        .join(voussoir_store::MEDIA_DIR)
        .join(voussoir_store::Media::relative_path(&hash, kind));
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        bytes,
    )
        .into_response())
}

fn share_text(value: Option<f64>) -> String {
    value
        .map(|value| format!("{:.0} %", value * 100.0))
        .unwrap_or_else(|| "—".to_string())
}

/// How the class agrees on each structure's component grades: each
/// trainee's latest submission against the reference and the others.
pub async fn agreement(State(state): State<AppState>, caller: Caller) -> Result<Markup, AppError> {
    caller.require_instructor()?;
    let results = state
        .books
        .run(|book| {
            let submissions = book.submissions(None)?;
            let mut results = Vec::new();
            for structure in book.structures()? {
                let mut latest: HashMap<i64, &Submission> = HashMap::new();
                for submission in submissions
                    .iter()
                    .filter(|submission| submission.structure.eq_ignore_ascii_case(&structure.code))
                {
                    if latest
                        .get(&submission.trainee_id)
                        .is_none_or(|current| current.version < submission.version)
                    {
                        latest.insert(submission.trainee_id, submission);
                    }
                }
                let mut raters: Vec<(i64, String)> = latest
                    .values()
                    .map(|submission| (submission.inspection, submission.trainee.clone()))
                    .collect();
                raters.sort_by(|a, b| a.1.cmp(&b.1));
                if raters.is_empty() {
                    continue;
                }
                let result = voussoir_app::review::class_agreement(book, &structure.code, &raters)?;
                results.push((structure.code.clone(), result));
            }
            Ok(results)
        })
        .await?;
    let number = |value: Option<f64>| {
        value
            .map(|value| format!("{value:.2}"))
            .unwrap_or_else(|| "—".to_string())
    };
    let w = state.words();
    let body = html! {
        h1 #agreement { (w.agreement_title) }
        p { (w.agreement_intro) }
        @if results.is_empty() { p { (w.no_submission) } }
        @for (structure, result) in &results {
            h2 { (structure) }
            p { "Fleiss kappa " strong { (number(result.fleiss_kappa)) } " · ICC(2,1) " strong { (number(result.icc_2_1)) }
                " · " (w.within_one_of_mean) " " (share_text(result.within_one_of_mean))
                " · " (w.of_median) " " (share_text(result.within_one_of_median))
                " · " (result.components_compared) " " (w.graded_by_all) }
            div.scroll { table {
                tr { th { (w.trainee) } th { (w.weighted_kappa) } th { (w.exact) } th { (w.within_one) } }
                @for trainee in &result.trainees {
                    tr {
                        td { (trainee.inspector) }
                        td { (number(trainee.weighted_kappa)) @if let Some(words) = trainee.kappa_words { " (" (words) ")" } }
                        td { (share_text(trainee.exact_share)) }
                        td { (share_text(trainee.within_one_share)) }
                    }
                }
            } }
            div.scroll { table {
                tr { th { (w.component) } th { (w.reference) } th { (w.trainees) } th { (w.mean_bias) } th { (w.exact) } th { (w.within_one) } }
                @for component in &result.components {
                    tr {
                        td { (component.component) }
                        td { (component.reference.clone().unwrap_or_else(|| "—".to_string())) }
                        td { (component.classes.iter().map(|class| class.clone().unwrap_or_else(|| "—".to_string())).collect::<Vec<_>>().join(" ")) }
                        td { (component.mean_bias.map(|bias| format!("{bias:+.1}")).unwrap_or_default()) }
                        td { (share_text(component.exact_share)) }
                        td { (share_text(component.within_one_share)) }
                    }
                }
            } }
        }
    };
    Ok(page(w, w.agreement_title, Some(&caller), body))
}
