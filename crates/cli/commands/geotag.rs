//! `voussoir geotag` (also run by `import photos`): places the
//! inspection's photos through the app crate and says how it went.

use voussoir_app::geotag::{place, GeotagReport};

use crate::args::GeotagArgs;
use crate::context::Context;
use crate::outcome::Outcome;

pub fn run(
    context: &Context,
    inspection: Option<i64>,
    options: &GeotagArgs,
) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    let id = voussoir_app::chosen_inspection(&book, inspection)?;
    let report = place(&mut book, id, &options.to_options(), None)?;
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
