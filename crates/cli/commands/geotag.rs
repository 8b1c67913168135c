//! `voussoir geotag` (also run by `import photos`): places the
//! inspection's photos through the app crate and says how it went.

use voussoir_app::geotag::{place, GeotagReport};

use voussoir_core::words::{fill, Words};

use crate::args::GeotagArgs;
use crate::context::{course_words, Context};
use crate::outcome::Outcome;

pub fn run(
    context: &Context,
    inspection: Option<i64>,
    options: &GeotagArgs,
) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    let (w, _) = course_words(&book);
    let id = voussoir_app::chosen_inspection(&book, inspection)?;
    let report = place(&mut book, id, &options.to_options(), None)?;
    let text = render(w, &report);
    Outcome::new(report, text)
}

/// What the placing did, in the course's words.
pub fn render(w: &Words, report: &GeotagReport) -> String {
    let mut text = String::new();
    if let Some(estimate) = &report.estimate {
        text.push_str(&fill(
            w.cli_geotag_estimate,
            &[
                ("offset", format!("{:+.0}", estimate.offset_s)),
                ("uncertainty", format!("{:.0}", estimate.uncertainty_s)),
                ("photos", estimate.photos_used.to_string()),
                (
                    "distance",
                    w.decimal(&format!("{:.1}", estimate.median_distance_m)),
                ),
            ],
        ));
        text.push('\n');
        if estimate.ambiguous || estimate.photos_used < 3 {
            text.push_str(w.cli_geotag_estimate_doubt);
            text.push('\n');
        }
    }
    text.push_str(&fill(
        if report.dry_run {
            w.cli_geotag_dry_run
        } else {
            w.cli_geotag_done
        },
        &[
            ("photos", report.photos.to_string()),
            ("exif", report.from_exif.to_string()),
            ("track", report.from_track.to_string()),
            ("not_placed", report.not_placed.to_string()),
            ("underwater", report.underwater.to_string()),
            ("component", report.with_component.to_string()),
            ("offset", format!("{:+.0}", report.clock_offset_s)),
        ],
    ));
    text.push('\n');
    text
}
