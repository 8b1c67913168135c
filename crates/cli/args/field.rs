//! Options of the commands that bring field data in: photos, tracks,
//! dive logs, bundles, and how photos are placed by time.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import photos (files or folders, recursively) and geotag them
    Photos {
        /// Photo files, or folders to search recursively
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Also copy the original files into the field book
        #[arg(long)]
        keep_originals: bool,
        /// Make each photo's review copy (about 2000 px) now, not on first
        /// export or review: for a memory card about to be wiped
        #[arg(long)]
        review_copies_now: bool,
        #[command(flatten)]
        geotag: GeotagArgs,
    },
    /// Import GPS tracks: GPX, NMEA, KML or GeoJSON
    Track {
        /// The files to import
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Time zone for times written without one [default: the course's]
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
    },
    /// Import a submission bundle (zip) as a new inspection
    Bundle {
        /// The bundle (zip) from `export bundle` or the review server
        file: PathBuf,
        /// Largest total size the bundle may expand to, in MB
        #[arg(long, value_name = "MB", default_value_t = 2048)]
        max_size_mb: u64,
        /// Make it the structure's reference inspection (the answer key);
        /// without this it is an ordinary inspection, whatever it says
        #[arg(long)]
        reference: bool,
    },
    /// Import dive logs: UDDF or Subsurface XML
    Dive {
        /// The files to import
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Time zone of the dive computer's clock [default: the course's]
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
    },
}

/// How photos are placed by time. The same options on `geotag` and
/// `import photos`; see docs/importing.md.
#[derive(Debug, Args, Default, Clone)]
pub struct GeotagArgs {
    /// Time zone the camera clock was set to [default: the course's]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Added to the camera time: a camera 73 s fast takes -73 (±SECONDS or ±HH:MM:SS)
    #[arg(long, value_name = "OFFSET", allow_hyphen_values = true)]
    pub clock_offset: Option<String>,
    /// Clock sync from a photo of the GPS screen: "TIME@FILE"; repeat for a drifting clock
    #[arg(long, value_name = "TIME@FILE")]
    pub sync: Vec<String>,
    /// Longest gap between two fixes to interpolate across, seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub max_gap: f64,
    /// How far beyond a track's ends a photo may be placed, seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 0.0)]
    pub max_extrapolate: f64,
    /// Interpolate across segment breaks of a track
    #[arg(long)]
    pub across_segments: bool,
    /// Ignore fixes with a larger HDOP
    #[arg(long, value_name = "HDOP")]
    pub max_hdop: Option<f64>,
    /// Ignore fixes with a larger PDOP
    #[arg(long, value_name = "PDOP")]
    pub max_pdop: Option<f64>,
    /// Ignore fixes with fewer satellites
    #[arg(long, value_name = "COUNT")]
    pub min_sats: Option<u32>,
    /// Use the track even for photos with their own GPS position
    #[arg(long)]
    pub prefer_track: bool,
    /// Estimate the camera clock offset from photos with their own GPS, and use it
    #[arg(long)]
    pub estimate_offset: bool,
    /// Only photos whose camera make or model contains this text (one camera's clock)
    #[arg(long, value_name = "TEXT")]
    pub camera: Option<String>,
    /// Largest distance to assign a photo to a component, metres
    #[arg(long, value_name = "METRES", default_value_t = 50.0)]
    pub component_radius: f64,
    /// Show what would be placed without saving it
    #[arg(long)]
    pub dry_run: bool,
}

impl GeotagArgs {
    /// The options for the app crate.
    pub fn to_options(&self) -> voussoir_app::geotag::PlaceOptions {
        voussoir_app::geotag::PlaceOptions {
            tz: self.tz.clone(),
            clock_offset: self.clock_offset.clone(),
            sync: self.sync.clone(),
            max_gap_s: self.max_gap,
            max_extrapolate_s: self.max_extrapolate,
            across_segments: self.across_segments,
            max_hdop: self.max_hdop,
            max_pdop: self.max_pdop,
            min_satellites: self.min_sats,
            prefer_track: self.prefer_track,
            estimate_offset: self.estimate_offset,
            camera: self.camera.clone(),
            component_radius_m: self.component_radius,
            dry_run: self.dry_run,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// List photos with their time, position, depth and component
    List {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TrackCommand {
    /// List tracks with their points, times and length
    List {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DiveCommand {
    /// List dives with their start, duration and depth
    List {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
}
