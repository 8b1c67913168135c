//! The class agreement page: for each structure, every trainee's newest
//! submission against the reference and the others.

use axum::extract::State;
use maud::{html, Markup};

use voussoir_store::Submission;

use crate::auth::Caller;
use crate::{AppError, AppState};

use super::*;

/// Each structure's class agreement, kept until a change (computed at
/// the server's start, then once per change).
pub(crate) async fn class_results(
    state: &AppState,
) -> Result<std::sync::Arc<Vec<(String, voussoir_core::agreement::Agreement)>>, AppError> {
    let generation = state.dashboard.generation();
    let compute = || {
        state.books.run(|book| {
            let submissions = book.submissions(None)?;
            let mut results = Vec::new();
            for structure in book.structures()? {
                let of_structure: Vec<&Submission> = submissions
                    .iter()
                    .filter(|submission| submission.structure.eq_ignore_ascii_case(&structure.code))
                    .collect();
                let latest = voussoir_core::versions::latest_by(
                    &of_structure,
                    |submission| submission.trainee_id,
                    |submission| submission.version,
                );
                let mut raters: Vec<(i64, String)> = latest
                    .values()
                    .map(|submission| (submission.inspection, submission.trainee.clone()))
                    .collect();
                raters.sort_by(|a, b| a.1.cmp(&b.1));
                if raters.is_empty() {
                    continue;
                }
                let mut result =
                    voussoir_app::review::class_agreement(book, &structure.code, &raters)?;
                for trainee in &mut result.trainees {
                    if let Some(name) = book.trainee_full_name(&trainee.inspector)? {
                        trainee.inspector = name;
                    }
                }
                results.push((structure.code.clone(), result));
            }
            Ok(results)
        })
    };
    state
        .dashboard
        .agreement
        .get_or_compute(generation, compute)
        .await
}

/// How the class agrees on each structure's component grades: each
/// trainee's latest submission against the reference and the others.
pub async fn agreement(State(state): State<AppState>, caller: Caller) -> Result<Markup, AppError> {
    caller.require_instructor()?;
    let results = class_results(&state).await?;
    let w = state.words();

    let number = |value: Option<f64>| {
        value
            .map(|value| decimal(w, &format!("{value:.2}")))
            .unwrap_or_else(|| "—".to_string())
    };
    let body = html! {
        h1 #agreement { (w.agreement_title) }
        p { (w.agreement_intro) }
        @if results.is_empty() { p { (w.no_submission) } }
        @for (structure, result) in results.iter() {
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
                        td { (number(trainee.weighted_kappa)) @if let Some(band) = trainee.kappa_words { " (" (w.kappa_band(band)) ")" } }
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
                        td { (component.mean_bias.map(|bias| decimal(w, &format!("{bias:+.1}"))).unwrap_or_default()) }
                        td { (share_text(component.exact_share)) }
                        td { (share_text(component.within_one_share)) }
                    }
                }
            } }
        }
    };
    Ok(page(w, w.agreement_title, Some(&caller), body))
}
