//! The command line: every subcommand and option, parsed by clap.
//! Parsing only; what each command does lives in `commands/`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use voussoir_core::LonLat;

#[derive(Debug, Parser)]
#[command(
    name = "voussoir",
    version,
    about = "Field data for bridge-inspection training: record, import, grade and compare inspections",
    after_help = "Start with `voussoir demo` to build a sample field book and see it graded."
)]
pub struct Cli {
    /// Field book folder [default: the current folder or the nearest parent holding one]
    #[arg(long, global = true, env = "VOUSSOIR_BOOK", value_name = "DIR")]
    pub book: Option<PathBuf>,

    /// Print machine-readable JSON instead of text (see docs/json.md)
    #[arg(long, global = true)]
    pub json: bool,

    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more detail (grading reasons for every component...)
    #[arg(short, long, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a field book (voussoir.db and media/) in DIR [default: .]
    Init {
        /// Folder to create the field book in [default: the current folder]
        dir: Option<PathBuf>,
    },
    /// Load or show the course (structures, components, trainees)
    #[command(subcommand)]
    Course(CourseCommand),
    /// List or show the course's structures
    #[command(subcommand)]
    Structure(StructureCommand),
    /// Open, list and show inspections
    #[command(subcommand)]
    Inspection(InspectionCommand),
    /// Record, list, edit, remove and import defects
    #[command(subcommand)]
    Defect(DefectCommand),
    /// Grade an inspection: each component and the structure, with reasons
    Grade {
        /// Inspection to grade [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Grading scheme [default: the course's]
        #[arg(long, value_name = "iqoa|nbi")]
        scheme: Option<String>,
    },
    /// Compare an inspection with the reference: matched, missed, extra, grades, mark
    Compare {
        /// The reference inspection [default: the structure's reference]
        #[arg(long)]
        reference: Option<i64>,
        /// The trainee's inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Largest distance between two positioned defects that can match, metres
        #[arg(long, value_name = "METRES", default_value_t = 10.0)]
        tolerance: f64,
    },
    /// How much the inspections of a structure agree on component grades
    Agreement {
        /// Structure code [default: the course's first structure]
        #[arg(long)]
        structure: Option<String>,
    },
    /// List the defect types of the catalogue
    Catalogue {
        /// Only types that apply to this component kind (pier, bearing...)
        #[arg(long, value_name = "KIND")]
        component_kind: Option<String>,
        /// Only types whose code or name contains this text
        #[arg(long)]
        search: Option<String>,
    },
    /// Import photos, GPS tracks, dive logs and submission bundles
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export an inspection: GeoJSON, CSV, SVG map, HTML report, bundle
    #[command(subcommand)]
    Export(ExportCommand),
    /// Place the inspection's photos by time on its tracks and dive logs
    Geotag {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        #[command(flatten)]
        options: GeotagArgs,
    },
    /// List the imported photos
    #[command(subcommand)]
    Photo(PhotoCommand),
    /// List the imported GPS tracks
    #[command(subcommand)]
    Track(TrackCommand),
    /// List the imported dives
    #[command(subcommand)]
    Dive(DiveCommand),
    /// Run the review server for instructors and trainees
    #[cfg(feature = "server")]
    Serve(ServeArgs),
    /// Manage the review server's accounts
    #[cfg(feature = "server")]
    #[command(subcommand)]
    User(UserCommand),
    /// Create API tokens for the command line
    #[cfg(feature = "server")]
    #[command(subcommand)]
    Token(TokenCommand),
    /// Upload an inspection's bundle to the review server
    Submit {
        /// The server's address, e.g. http://127.0.0.1:8080
        #[arg(long, env = "VOUSSOIR_SERVER")]
        server: String,
        /// An API token from `voussoir token create`
        #[arg(long, env = "VOUSSOIR_TOKEN", hide_env_values = true)]
        token: String,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
    /// Print shell completions, e.g. voussoir completions bash > /etc/bash_completion.d/voussoir
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. voussoir man > voussoir.1
    Man,
    /// Build a sample field book from the bundled fixtures and grade it
    Demo {
        /// Where to build it [default: ./voussoir-demo]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CourseCommand {
    /// Load a course file (TOML) into the field book, or update it
    Load {
        /// The course file (see docs/course-file.md)
        file: PathBuf,
    },
    /// Show the loaded course
    Show,
}

#[derive(Debug, Subcommand)]
pub enum StructureCommand {
    /// List the structures
    List,
    /// Show one structure with its components
    Show {
        /// Structure code
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum InspectionCommand {
    /// Open a new inspection and make it the current one
    New(NewInspectionArgs),
    /// List inspections
    List,
    /// Show an inspection [default: the current one]
    Show {
        /// Inspection number [default: the current one]
        id: Option<i64>,
    },
    /// Make an inspection the current one
    Use {
        /// Inspection number (from `inspection list`)
        id: i64,
    },
    /// Set the components that could not be inspected (replaces the list)
    Skip {
        /// Component codes, comma separated; empty to clear
        #[arg(value_delimiter = ',')]
        components: Vec<String>,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
}

#[derive(Debug, Args)]
pub struct NewInspectionArgs {
    /// Structure code
    #[arg(long)]
    pub structure: String,
    /// annual-check, evaluation-visit, initial-detailed, detailed-periodic,
    /// exceptional-detailed or underwater (IDP, VE... accepted)
    #[arg(long)]
    pub kind: String,
    /// Who inspected (a trainee's user name, or the instructor)
    #[arg(long)]
    pub inspector: Option<String>,
    /// Date of the visit, YYYY-MM-DD
    #[arg(long)]
    pub date: Option<String>,
    /// Weather and water level, as free text
    #[arg(long)]
    pub weather: Option<String>,
    /// This is the instructor's reference inspection (the answer key)
    #[arg(long)]
    pub reference: bool,
    /// Components that could not be inspected, comma separated
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub not_inspected: Vec<String>,
}

#[derive(Debug, Args, Default)]
pub struct DefectFields {
    /// Severity in the course's scheme (IQOA 1, 2, 2E, 3, 3U, with S for
    /// user safety; NBI inherent, minor, moderate, major); `?` if unknown
    #[arg(long)]
    pub severity: Option<String>,
    /// isolated, some or widespread
    #[arg(long)]
    pub extent: Option<String>,
    /// Crack width, millimetres
    #[arg(long, value_name = "MM", allow_negative_numbers = true)]
    pub crack_width_mm: Option<f64>,
    /// Length, metres
    #[arg(long, value_name = "M", allow_negative_numbers = true)]
    pub length_m: Option<f64>,
    /// Area, square metres
    #[arg(long, value_name = "M2", allow_negative_numbers = true)]
    pub area_m2: Option<f64>,
    /// Depth (spalling, scour...), millimetres
    #[arg(long, value_name = "MM", allow_negative_numbers = true)]
    pub depth_mm: Option<f64>,
    /// Loss of section, percent of the original
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub section_loss_pct: Option<f64>,
    /// Position as LAT,LON in decimal degrees (or LAT LON)
    #[arg(
        long,
        value_name = "LAT,LON",
        num_args = 1..=2,
        value_delimiter = ',',
        allow_negative_numbers = true
    )]
    pub at: Vec<f64>,
    /// A note on the defect, as free text
    #[arg(long)]
    pub note: Option<String>,
    /// A photo that shows the defect, by file name; repeat for several
    #[arg(long = "photo", value_name = "FILE")]
    pub photos: Vec<String>,
}

impl DefectFields {
    /// The `--at` position, checked: two numbers, latitude first, in range.
    pub fn position(&self) -> anyhow::Result<Option<LonLat>> {
        match self.at.as_slice() {
            [] => Ok(None),
            [lat, lon] => Ok(Some(LonLat::new(*lon, *lat)?)),
            _ => anyhow::bail!("--at takes a latitude and a longitude, e.g. --at 48.7326,-3.4597"),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DefectCommand {
    /// Record one defect
    Add {
        /// Component code (C0, P1, TAB...)
        #[arg(long)]
        component: String,
        /// Defect type code from `voussoir catalogue` (CON-CRACK...)
        #[arg(long = "type", value_name = "TYPE")]
        type_code: String,
        #[command(flatten)]
        fields: DefectFields,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
    /// List the defects of an inspection
    List {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
    /// Change fields of a recorded defect
    Edit {
        /// Defect number (from `defect list`)
        id: i64,
        /// New component code
        #[arg(long)]
        component: Option<String>,
        /// New defect type code
        #[arg(long = "type", value_name = "TYPE")]
        type_code: Option<String>,
        #[command(flatten)]
        fields: DefectFields,
        /// Remove the defect's position
        #[arg(long, conflicts_with = "at")]
        clear_position: bool,
        /// Remove the photos the defect cites
        #[arg(long, conflicts_with = "photos")]
        clear_photos: bool,
    },
    /// Remove a recorded defect
    Remove {
        /// Defect number (from `defect list`)
        id: i64,
    },
    /// Import a defects spreadsheet (CSV): all rows or none
    Import {
        /// The spreadsheet, saved as CSV (see docs/defects-sheet.md)
        file: PathBuf,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
    },
}

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

/// Which table `export csv` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CsvWhat {
    Defects,
    Photos,
    Grades,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// RFC 7946 GeoJSON: structure, components, tracks, photos, defects
    Geojson {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Output file [default: standard output]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Simplify tracks with this Douglas–Peucker tolerance, in metres
        #[arg(long, value_name = "METRES")]
        simplify: Option<f64>,
    },
    /// A CSV table (RFC 4180, UTF-8)
    Csv {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Which table: defects, photos or grades
        #[arg(long, value_enum)]
        what: CsvWhat,
        /// Output file [default: standard output]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// A self-contained SVG map
    Map {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Output file [default: standard output]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The printable inspection report, one self-contained HTML file
    Report {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Output file [default: standard output]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// fr or en [default: the course's language]
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
    },
    /// The submission bundle: one zip file carrying the inspection
    Bundle {
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Output file [default: STRUCTURE-inspection-ID.zip]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Data folder (a field book) [default: --book or the current one]
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Address and port to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Start on a temporary data folder with a demo course, reference and submissions
    #[arg(long)]
    pub demo: bool,
    /// Largest accepted bundle, in MB
    #[arg(long, value_name = "MB", default_value_t = 500)]
    pub max_upload_mb: u64,
    /// Mark the session cookie Secure (when served over TLS by a proxy)
    #[arg(long)]
    pub secure_cookies: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is asked for (or read from VOUSSOIR_PASSWORD)
    Add {
        /// User name
        name: String,
        /// instructor or trainee
        #[arg(long, value_name = "instructor|trainee")]
        role: String,
        /// Course code the account belongs to
        #[arg(long, value_name = "CODE")]
        course: Option<String>,
    },
    /// Create an account for every trainee of the course file that has none,
    /// with a generated password to hand out
    AddTrainees {
        /// Also write the names and passwords to this CSV file
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Change an account's password (ends its sessions)
    Passwd {
        /// User name
        name: String,
    },
    /// List the accounts
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; it is printed once
    Create {
        /// User name
        name: String,
        /// A label to recognise the token by (laptop, phone...)
        #[arg(long)]
        label: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every argument of `command` and its subcommands that has no help.
    fn without_help(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for argument in command.get_arguments() {
            let id = argument.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if argument.get_help().is_none() && argument.get_long_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for subcommand in command.get_subcommands() {
            let path = format!("{path} {}", subcommand.get_name());
            if subcommand.get_about().is_none() && subcommand.get_name() != "help" {
                missing.push(format!("{path} (no description)"));
            }
            without_help(subcommand, &path, missing);
        }
    }

    #[test]
    fn every_option_and_subcommand_has_help_text() {
        let mut missing = Vec::new();
        without_help(&Cli::command(), "voussoir", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:#?}");
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_position_is_given_as_one_pair_or_two_numbers() {
        for args in [
            [
                "voussoir",
                "defect",
                "add",
                "--component",
                "P1",
                "--type",
                "CON-CRACK",
                "--at",
                "48.73,-3.46",
            ]
            .as_slice(),
            [
                "voussoir",
                "defect",
                "add",
                "--component",
                "P1",
                "--type",
                "CON-CRACK",
                "--at",
                "48.73",
                "-3.46",
            ]
            .as_slice(),
        ] {
            let cli = Cli::try_parse_from(args).expect("parses");
            let Command::Defect(DefectCommand::Add { fields, .. }) = cli.command else {
                panic!("defect add")
            };
            let position = fields.position().expect("valid").expect("given");
            assert_eq!((position.lat, position.lon), (48.73, -3.46));
        }
    }

    #[test]
    fn a_latitude_out_of_range_says_so() {
        let cli = Cli::try_parse_from([
            "voussoir",
            "defect",
            "add",
            "--component",
            "P1",
            "--type",
            "CON-CRACK",
            "--at",
            "148,-3.46",
        ])
        .expect("parses");
        let Command::Defect(DefectCommand::Add { fields, .. }) = cli.command else {
            panic!("defect add")
        };
        let error = fields.position().expect_err("out of range").to_string();
        assert!(error.contains("latitude 148 is out of range"), "{error}");
    }

    #[test]
    fn a_negative_measurement_reaches_the_checks_instead_of_a_parse_error() {
        let cli = Cli::try_parse_from([
            "voussoir",
            "defect",
            "add",
            "--component",
            "P1",
            "--type",
            "CON-CRACK",
            "--crack-width-mm",
            "-1",
        ])
        .expect("parses");
        let Command::Defect(DefectCommand::Add { fields, .. }) = cli.command else {
            panic!("defect add")
        };
        assert_eq!(fields.crack_width_mm, Some(-1.0));
    }
}
