//! The words people read — the review pages and the printable report —
//! in French and English, one table per language: the course file's
//! `language` chooses (Lannion's course is French). A word missing from a
//! language is a compile error: every table fills every field.

mod english;
pub mod errors;
mod french;
pub mod reasons;

pub use english::ENGLISH;
pub use french::FRENCH;

/// Every word and sentence of one language; serialisable so tests can
/// look for one language's words in the other's pages.
#[derive(serde::Serialize)]
pub struct Words {
    pub lang: &'static str,
    pub log_in: &'static str,
    pub user_name: &'static str,
    pub password: &'static str,
    pub wrong_login: &'static str,
    pub login_form_expired: &'static str,
    pub log_out: &'static str,
    pub dashboard: &'static str,
    pub course: &'static str,
    pub grading_scheme: &'static str,
    pub course_results: &'static str,
    pub agreement_link: &'static str,
    pub trainee: &'static str,
    pub suggested: &'static str,
    pub final_mark_short: &'static str,
    pub submissions_in_all: &'static str,
    pub my_submissions: &'static str,
    pub submit_link: &'static str,
    pub nothing_submitted: &'static str,
    pub structure: &'static str,
    pub version: &'static str,
    pub status: &'static str,
    pub submitted_on: &'static str,
    pub submit_title: &'static str,
    pub submit_intro: &'static str,
    pub submit_or_run: &'static str,
    pub bundle_label: &'static str,
    pub submit_button: &'static str,
    pub submission: &'static str,
    pub suggested_mark: &'static str,
    pub final_mark: &'static str,
    pub versions: &'static str,
    pub feedback: &'static str,
    pub grades: &'static str,
    pub component: &'static str,
    pub grade: &'static str,
    pub why: &'static str,
    pub defects: &'static str,
    pub defect_type: &'static str,
    pub severity: &'static str,
    pub extent: &'static str,
    pub measurements: &'static str,
    pub note: &'static str,
    pub photos: &'static str,
    pub instructor_comment: &'static str,
    pub map: &'static str,
    pub no_photo: &'static str,
    pub metres_deep: &'static str,
    pub comparison: &'static str,
    pub inspection: &'static str,
    pub detection: &'static str,
    pub precision: &'static str,
    pub severity_exact: &'static str,
    pub within_one: &'static str,
    pub position_error: &'static str,
    pub mean: &'static str,
    pub reference_to_trainee: &'static str,
    pub of: &'static str,
    pub matched: &'static str,
    pub reference: &'static str,
    pub missed: &'static str,
    pub extra: &'static str,
    pub none: &'static str,
    pub on: &'static str,
    pub component_grades: &'static str,
    pub set_by_instructor: &'static str,
    /// Between two clauses: "; " in English, " ; " in French.
    pub semicolon: &'static str,
    pub colon: &'static str,
    pub open_quote: &'static str,
    pub close_quote: &'static str,
    pub printable_report: &'static str,
    pub show: &'static str,
    pub all: &'static str,
    pub unplaced: &'static str,
    pub cited_by_none: &'static str,
    pub original: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub zoom: &'static str,
    pub close: &'static str,
    pub printable_plan: &'static str,
    pub grades_exact_share: &'static str,
    pub xlsx_link: &'static str,
    pub error_unauthorized: &'static str,
    pub error_forbidden: &'static str,
    pub error_not_found: &'static str,
    pub error_too_large: &'static str,
    pub error_too_many: &'static str,
    pub error_conflict: &'static str,
    pub error_internal: &'static str,
    pub error_bad_request: &'static str,
    pub go_back: &'static str,
    pub mark_findings_reason: &'static str,
    pub mark_severity_reason: &'static str,
    pub mark_grades_reason: &'static str,
    pub own_grade: &'static str,
    pub computed_grade: &'static str,
    pub return_needs_comment: &'static str,
    pub choose_decision: &'static str,
    pub saved_notice: &'static str,
    pub defects_imply: &'static str,
    pub findings_part: &'static str,
    pub changes_since: &'static str,
    pub no_change: &'static str,
    pub added: &'static str,
    pub removed: &'static str,
    pub changed: &'static str,
    pub decision_hint: &'static str,
    pub to_review: &'static str,
    pub queue_empty: &'static str,
    pub progress: &'static str,
    pub received: &'static str,
    pub reviewed: &'static str,
    pub open_review: &'static str,
    pub waiting_since: &'static str,
    pub mark_detail: &'static str,
    pub outcome_found: &'static str,
    pub outcome_related: &'static str,
    pub outcome_unpositioned: &'static str,
    pub outcome_missed: &'static str,
    pub outcome_extra: &'static str,
    pub finding_credit: &'static str,
    pub severity_credit: &'static str,
    pub slowed_logins: &'static str,
    pub failed_logins: &'static str,
    pub unlock: &'static str,
    pub copying_title: &'static str,
    pub copying_intro: &'static str,
    pub sign_same_hand_in: &'static str,
    pub sign_same_photos: &'static str,
    pub sign_same_defects: &'static str,
    pub sign_other_inspector: &'static str,
    pub difference: &'static str,
    pub feedback_and_mark: &'static str,
    pub overall_comment: &'static str,
    pub defect: &'static str,
    pub final_mark_label: &'static str,
    pub decision: &'static str,
    pub return_label: &'static str,
    pub accept_label: &'static str,
    pub save_feedback: &'static str,
    pub submitted: &'static str,
    pub returned: &'static str,
    pub accepted: &'static str,
    pub agreement_title: &'static str,
    pub agreement_intro: &'static str,
    pub no_submission: &'static str,
    pub within_one_of_mean: &'static str,
    pub of_median: &'static str,
    pub graded_by_all: &'static str,
    pub weighted_kappa: &'static str,
    pub exact: &'static str,
    pub trainees: &'static str,
    pub mean_bias: &'static str,
    pub instructor: &'static str,
    pub trainee_role: &'static str,
    pub report_title: &'static str,
    pub inspection_kind: &'static str,
    pub date: &'static str,
    pub inspector: &'static str,
    pub weather: &'static str,
    pub reference_inspection: &'static str,
    pub structure_grade: &'static str,
    pub gallery: &'static str,
    pub no_defect: &'static str,
    pub taken_on: &'static str,
    pub depth: &'static str,
    pub not_inspected: &'static str,
    pub results: &'static str,
    pub results_released: &'static str,
    pub release_results: &'static str,
    pub field_app: &'static str,
    pub field_app_hint: &'static str,
    pub map_legend: &'static str,
    pub map_component: &'static str,
    pub map_track: &'static str,
    pub map_photo: &'static str,
    pub map_photo_underwater: &'static str,
    pub map_defects_by_severity: &'static str,
    pub map_not_graded: &'static str,
    pub map_undated: &'static str,
    pub kappa_poor: &'static str,
    pub kappa_slight: &'static str,
    pub kappa_fair: &'static str,
    pub kappa_moderate: &'static str,
    pub kappa_substantial: &'static str,
    pub kappa_almost_perfect: &'static str,
    pub course_report_preparing: &'static str,
    pub course_report_title: &'static str,
    pub report_counted: &'static str,
    pub report_least_found: &'static str,
    pub report_all_found: &'static str,
    pub report_teach_better: &'static str,
    pub report_detection_heading: &'static str,
    pub report_by_type: &'static str,
    pub report_by_family: &'static str,
    pub report_by_component: &'static str,
    pub report_by_water: &'static str,
    pub report_above_water: &'static str,
    pub report_under_water: &'static str,
    pub report_grades_heading: &'static str,
    pub report_grades_sentence: &'static str,
    pub report_people_heading: &'static str,
    pub report_found_by: &'static str,
    pub report_share: &'static str,
    pub report_mean_signed: &'static str,
    pub report_mean_absolute: &'static str,
    pub report_sd: &'static str,
    pub report_detection: &'static str,
    pub report_precision: &'static str,
    pub report_bias: &'static str,
    pub report_harsh: &'static str,
    pub report_lenient: &'static str,
    pub report_even: &'static str,
    pub report_kappa: &'static str,
    pub report_ac2: &'static str,
    pub report_rank: &'static str,
    pub report_paradox: &'static str,
    pub report_undefined: &'static str,
    pub report_alpha: &'static str,
    pub report_none: &'static str,
    pub report_intakes: &'static str,
    pub report_intake: &'static str,
    pub report_mean_detection: &'static str,
    pub report_within_two: &'static str,
    pub report_interval_low: &'static str,
    pub report_interval_high: &'static str,
    pub report_graded: &'static str,
    pub report_kappa_linear: &'static str,
    pub report_kappa_quadratic: &'static str,
    pub report_bias_alone: &'static str,
    pub cli_h_id: &'static str,
    pub cli_h_structure: &'static str,
    pub cli_h_kind: &'static str,
    pub cli_h_date: &'static str,
    pub cli_h_inspector: &'static str,
    pub cli_h_defects: &'static str,
    pub cli_h_role: &'static str,
    pub cli_role_reference: &'static str,
    pub cli_no_inspection: &'static str,
    pub cli_h_component: &'static str,
    pub cli_h_type: &'static str,
    pub cli_h_severity: &'static str,
    pub cli_h_extent: &'static str,
    pub cli_h_measurements: &'static str,
    pub cli_h_photos: &'static str,
    pub cli_h_note: &'static str,
    pub cli_no_defect: &'static str,
    pub cli_h_file: &'static str,
    pub cli_h_taken: &'static str,
    pub cli_h_source: &'static str,
    pub cli_h_position: &'static str,
    pub cli_h_depth: &'static str,
    pub cli_no_photo: &'static str,
    pub cli_h_format: &'static str,
    pub cli_h_points: &'static str,
    pub cli_h_segments: &'static str,
    pub cli_h_first: &'static str,
    pub cli_h_last: &'static str,
    pub cli_h_length: &'static str,
    pub cli_no_track: &'static str,
    pub cli_h_dive: &'static str,
    pub cli_h_duration: &'static str,
    pub cli_h_max_depth: &'static str,
    pub cli_no_dive: &'static str,
    pub cli_import_counts: &'static str,
    pub cli_import_tracks: &'static str,
    pub cli_import_photos: &'static str,
    pub cli_import_dives: &'static str,
    pub cli_status_imported: &'static str,
    pub cli_status_duplicate: &'static str,
    pub cli_status_failed: &'static str,
    pub cli_status_already: &'static str,
    pub cli_track_line: &'static str,
    pub cli_geotag_hint: &'static str,
    pub cli_geotag_estimate: &'static str,
    pub cli_geotag_estimate_doubt: &'static str,
    pub cli_geotag_dry_run: &'static str,
    pub cli_geotag_done: &'static str,
    pub cli_error: &'static str,
    pub cli_caused_by: &'static str,
    pub cli_warning: &'static str,
    pub cli_exif_warning: &'static str,
    pub cli_demo_built: &'static str,
    pub cli_demo_field: &'static str,
    pub cli_demo_exports: &'static str,
    pub cli_demo_class: &'static str,
    pub cli_demo_next: &'static str,
    pub cli_reference: &'static str,
    pub cli_graded_in: &'static str,
    pub cli_kind: &'static str,
    pub cli_groups: &'static str,
    pub cli_against: &'static str,
    pub cli_found: &'static str,
    pub cli_position_error: &'static str,
    pub cli_ref: &'static str,
    pub cli_yours: &'static str,
    pub cli_type_pair: &'static str,
    pub cli_position: &'static str,
    pub cli_matched: &'static str,
    pub cli_missed: &'static str,
    pub cli_extra: &'static str,
    pub cli_defect_on: &'static str,
    pub cli_grades_differ: &'static str,
    pub cli_structure_grades: &'static str,
    pub cli_override: &'static str,
    pub cli_suggested: &'static str,
}

impl Words {
    /// A number written as the language writes it: `0,5` in French.
    pub fn decimal(&self, text: &str) -> String {
        if self.lang == "fr" {
            text.replace('.', ",")
        } else {
            text.to_string()
        }
    }

    /// A date as the language writes it: 12/03/2026 in French, ISO 8601
    /// in English.
    pub fn format_date(&self, date: jiff::civil::Date) -> String {
        if self.lang == "fr" {
            date.strftime("%d/%m/%Y").to_string()
        } else {
            date.to_string()
        }
    }

    /// A moment in a time zone as the language writes it, with the zone's
    /// offset: `12/03/2026 10:30:13 (+01:00)` in French,
    /// `2026-03-12 10:30:13 (+01:00)` in English.
    pub fn moment(&self, timestamp: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
        let format = if self.lang == "fr" {
            "%d/%m/%Y %H:%M:%S (%:z)"
        } else {
            "%Y-%m-%d %H:%M:%S (%:z)"
        };
        timestamp
            .to_zoned_datetime(zone.clone())
            .strftime(format)
            .to_string()
    }

    /// Landis & Koch's word for a kappa band (as `agreement::kappa_words`
    /// names it) in this language.
    pub fn kappa_band(&self, band: &str) -> &'static str {
        match band {
            "poor" => self.kappa_poor,
            "slight" => self.kappa_slight,
            "fair" => self.kappa_fair,
            "moderate" => self.kappa_moderate,
            "substantial" => self.kappa_substantial,
            _ => self.kappa_almost_perfect,
        }
    }

    /// A share (0–1) as a whole percentage, `—` when undefined.
    pub fn percent(&self, share: Option<f64>) -> String {
        share.map_or_else(
            || "—".to_string(),
            |share| format!("{:.0} %", share * 100.0),
        )
    }
}

/// Fills a template's `{name}` places with their values.
///
/// ```
/// use voussoir_core::words::fill;
/// assert_eq!(fill("{a} of {b}", &[("a", "2".into()), ("b", "3".into())]), "2 of 3");
/// ```
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    // One pass over the template, so that a value holding `{name}` (a
    // user's text) is never filled in turn.
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, value)| (value, close))
        });
        match value {
            Some((value, close)) => {
                text.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text
}

/// The names of a template's `{places}`, sorted: what the tests of the
/// keyed catalogues compare between languages.
#[cfg(test)]
fn places(template: &str) -> Vec<&str> {
    let mut found: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    found.sort_unstable();
    found
}

/// The words for a course language (`fr` or anything else for English).
pub fn for_language(language: &str) -> &'static Words {
    if language.eq_ignore_ascii_case("fr") {
        &FRENCH
    } else {
        &ENGLISH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_holding_a_place_name_is_not_filled_in_turn() {
        let filled = fill(
            "{name} has {known}",
            &[("name", "a {known} user".into()), ("known", "P1".into())],
        );
        assert_eq!(filled, "a {known} user has P1");
        assert_eq!(fill("{unknown} stays", &[]), "{unknown} stays");
        assert_eq!(fill("brace { alone", &[("x", "1".into())]), "brace { alone");
    }

    #[test]
    fn the_course_language_chooses_the_table_and_english_is_the_default() {
        assert_eq!(for_language("fr").lang, "fr");
        assert_eq!(for_language("FR").lang, "fr");
        assert_eq!(for_language("en").lang, "en");
        assert_eq!(for_language("de").lang, "en");
    }
}
