//! The dashboard: for an instructor every trainee against every
//! structure with the newest submission of each; for a trainee their own
//! submissions. The instructor's overview is cached for a second or two.

use axum::extract::State;
use maud::{html, Markup};

use voussoir_store::{Role, Submission};

use crate::auth::Caller;
use crate::{AppError, AppState};
use voussoir_core::words::Words;

use super::*;

/// What the instructor's dashboard shows: the course, every submission,
/// every account.
pub type Overview = (
    voussoir_core::Course,
    Vec<Submission>,
    Vec<voussoir_store::User>,
    // Structures whose results are released.
    Vec<String>,
    // Signs of copying, for the instructor.
    Vec<voussoir_app::copying::CopyingFlag>,
);

async fn overview(
    state: &AppState,
    instructor: bool,
    trainee_id: i64,
) -> Result<std::sync::Arc<Overview>, AppError> {
    let compute = move || async move {
        state
            .books
            .run(move |book| {
                let course = book.course()?;
                let mut released = Vec::new();
                for structure in &course.structures {
                    if book.results_released(&structure.code)?.is_some() {
                        released.push(structure.code.clone());
                    }
                }
                let mut submissions =
                    book.submissions(if instructor { None } else { Some(trainee_id) })?;
                if !instructor {
                    // No suggested mark before the results are released.
                    for submission in &mut submissions {
                        if !released
                            .iter()
                            .any(|code| code.eq_ignore_ascii_case(&submission.structure))
                        {
                            submission.suggested_mark = None;
                        }
                    }
                }
                let (users, flags) = if instructor {
                    (book.users()?, voussoir_app::copying::copying_flags(book)?)
                } else {
                    (Vec::new(), Vec::new())
                };
                Ok((course, submissions, users, released, flags))
            })
            .await
    };
    if instructor {
        let generation = state.dashboard.generation();
        state
            .dashboard
            .overview
            .get_or_compute(generation, compute)
            .await
    } else {
        Ok(std::sync::Arc::new(compute().await?))
    }
}

pub async fn dashboard(State(state): State<AppState>, caller: Caller) -> Result<Markup, AppError> {
    let instructor = caller.is_instructor();
    let overview = overview(&state, instructor, caller.user.id).await?;
    // The instructor's page, drawn once per overview and session.
    let session = caller.csrf.clone().unwrap_or_default();
    if instructor {
        if let Some(html) = state.dashboard.page(&overview, &session) {
            return Ok(maud::PreEscaped(html.as_str().to_string()));
        }
    }
    let (course, submissions, users, released, flags) = (
        &overview.0,
        &overview.1,
        &overview.2,
        &overview.3,
        &overview.4,
    );
    let w = state.words();
    let body = if instructor {
        // Trainees × structures, latest version of each submission.
        let trainees: Vec<_> = users
            .iter()
            .filter(|user| user.role == Role::Trainee)
            .collect();
        // The newest version per trainee and structure, found once.
        let newest = voussoir_core::versions::latest_by(
            submissions,
            |submission| (submission.trainee_id, submission.structure.to_uppercase()),
            |submission| submission.version,
        );
        let latest = |trainee: i64, structure: &str| -> Option<&Submission> {
            newest.get(&(trainee, structure.to_uppercase())).copied()
        };
        let full_name = |login: &str| course.trainee_name(login);
        // Waiting for review: the newest version of each, oldest first.
        let mut queue: Vec<&Submission> = newest
            .values()
            .copied()
            .filter(|submission| submission.status == voussoir_store::SubmissionStatus::Submitted)
            .collect();
        queue.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
        html! {
            h1 #dashboard-instructor { (w.course) " " (course.code) }
            section #queue {
                h2 { (w.to_review) " (" (queue.len()) ")" }
                @if queue.is_empty() { p { (w.queue_empty) } }
                @else {
                    ol { @for submission in &queue {
                        li { a href=(format!("/submissions/{}", submission.id)) { strong { (full_name(&submission.trainee)) } }
                            " — " (submission.structure) " v" (submission.version)
                            " · " (w.waiting_since) " " (when(w, &submission.submitted_at)) }
                    } }
                }
            }
            section #progress {
                h2 { (w.progress) }
                div.scroll { table {
                    tr { th { (w.structure) } th { (w.received) } th { (w.reviewed) } th { (w.results) } }
                    @for structure in &course.structures {
                        @let latest: Vec<&Submission> = newest.values().copied()
                            .filter(|submission| submission.structure.eq_ignore_ascii_case(&structure.code)).collect();
                        tr {
                            td { (structure.code) " — " (structure.name) }
                            td { (latest.len()) " / " (trainees.len()) }
                            td { (latest.iter().filter(|submission| submission.status != voussoir_store::SubmissionStatus::Submitted).count()) " / " (latest.len()) }
                            td { @if released.iter().any(|code| code.eq_ignore_ascii_case(&structure.code)) { (w.results_released) } @else { "—" } }
                        }
                    }
                } }
            }
            p { (course.name) " · " (w.grading_scheme) " " (course.scheme.to_uppercase()) " · "
                a href="/results.csv" { (w.course_results) } " " a href="/results.xlsx" { (w.xlsx_link) } " · "
                a href="/agreement" { (w.agreement_link) } " · "
                a href="/course-report" { (w.course_report_title) } }
            div.scroll {
                table {
                    tr {
                        th { (w.trainee) }
                        @for structure in &course.structures { th { (structure.code) } }
                    }
                    tr.release {
                        td { (w.results) }
                        @for structure in &course.structures {
                            td {
                                @if released.iter().any(|code| code.eq_ignore_ascii_case(&structure.code)) {
                                    (w.results_released)
                                } @else {
                                    form method="post" action=(format!("/structures/{}/release", structure.code)) {
                                        input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
                                        button.release type="submit" { (w.release_results) }
                                    }
                                }
                            }
                        }
                    }
                    @for trainee in &trainees {
                        tr {
                            td { (full_name(&trainee.name)) }
                            @for structure in &course.structures {
                                td {
                                    @if let Some(submission) = latest(trainee.id, &structure.code) {
                                        a href=(format!("/submissions/{}", submission.id)) { (w.open_review) " v" (submission.version) }
                                        " " (status_cell(w, submission.status)) br;
                                        (w.suggested) " " (mark(w, submission.suggested_mark)) br;
                                        (w.final_mark_short) " " (mark(w, submission.final_mark))
                                    } @else { "—" }
                                }
                            }
                        }
                    }
                }
            }
            p { (submissions.len()) " " (w.submissions_in_all) }
            @if !flags.is_empty() { (copying_signs(w, flags, &full_name)) }
            @let slowed = state.throttle.slowed_accounts();
            @if !slowed.is_empty() {
                section #slowed-logins {
                    h2 { (w.slowed_logins) }
                    ul { @for (name, failures) in &slowed {
                        li { strong { (name) } " — " (failures) " " (w.failed_logins) " "
                            form.inline method="post" action=(format!("/accounts/{name}/unlock")) {
                                input type="hidden" name="csrf" value=(caller.csrf.clone().unwrap_or_default());
                                button type="submit" { (w.unlock) }
                            }
                        }
                    } }
                }
            }
        }
    } else {
        html! {
            h1 #dashboard-trainee { (w.my_submissions) }
            p.app-link { a #open-app href="/app/" { strong { (w.field_app) } } " — " (w.field_app_hint) }
            p { a href="/submit" { (w.submit_link) } }
            @if submissions.is_empty() { p { (w.nothing_submitted) } }
            @else { (submission_table(w, submissions, false)) }
        }
    };
    let drawn = page(w, w.dashboard, Some(&caller), body);
    if instructor {
        let html = std::sync::Arc::new(drawn.0.clone());
        state.dashboard.keep_page(&overview, &session, html);
    }
    Ok(drawn)
}

/// The signs of copying, each with its evidence and links to the work.
fn copying_signs(
    w: &Words,
    flags: &[voussoir_app::copying::CopyingFlag],
    full_name: &dyn Fn(&str) -> String,
) -> Markup {
    use voussoir_app::copying::CopyingSign;
    html! {
        section #copying {
            h2 { (w.copying_title) }
            p { small { (w.copying_intro) } }
            ul {
                @for flag in flags {
                    li {
                        strong { (flag.trainees.iter().map(|login| full_name(login)).collect::<Vec<_>>().join(" · ")) } " — " (flag.structure) (w.colon)
                        @match flag.sign {
                            CopyingSign::SameHandIn => { (w.sign_same_hand_in) }
                            CopyingSign::SamePhotos => { (flag.count) " " (w.sign_same_photos) }
                            CopyingSign::SameDefects => { (flag.count) " " (w.sign_same_defects) }
                            CopyingSign::OtherInspector => {
                                (w.sign_other_inspector) " " (w.open_quote) (flag.inspector.clone().unwrap_or_default()) (w.close_quote)
                            }
                        }
                        " ("
                        @for (index, id) in flag.submissions.iter().enumerate() {
                            @if index > 0 { ", " }
                            a href=(format!("/submissions/{id}")) { "#" (id) }
                        }
                        ")"
                    }
                }
            }
        }
    }
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
                    td { (when(w, &submission.submitted_at)) }
                    td { (mark(w, submission.suggested_mark)) }
                    td { (mark(w, submission.final_mark)) }
                }
            }
        } }
    }
}

/// `POST /accounts/{name}/unlock`: the instructor clears an account's
/// failed logins, from every address.
pub async fn unlock(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    axum::extract::Path(name): axum::extract::Path<String>,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Result<axum::response::Redirect, AppError> {
    caller.require_instructor()?;
    crate::auth::check_csrf(&caller, &headers, form.get("csrf").map(String::as_str))?;
    state.throttle.unlock(&name);
    tracing::info!("{} unlocked the logins of {name}", caller.user.name);
    Ok(axum::response::Redirect::to("/dashboard"))
}

/// `POST /structures/{code}/release`: the instructor releases a
/// structure's results; trainees then see their suggested marks and their
/// comparison with the reference.
pub async fn release(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::Form(form): axum::Form<std::collections::HashMap<String, String>>,
) -> Result<axum::response::Redirect, AppError> {
    caller.require_instructor()?;
    crate::auth::check_csrf(&caller, &headers, form.get("csrf").map(String::as_str))?;
    let instructor = caller.user.id;
    let dashboard = state.dashboard.clone();
    state
        .books
        .run(move |book| {
            let structure = book.structure(&code)?;
            book.release_results(&structure.code, instructor)?;
            Ok(())
        })
        .await?;
    dashboard.clear();
    Ok(axum::response::Redirect::to("/dashboard"))
}
