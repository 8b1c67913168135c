//! The command line: every subcommand and option, parsed by clap.
//! Parsing only; what each command does lives in `commands/`. The options
//! are grouped by what they are about: `records` (course, structures,
//! inspections, defects), `field` (imports and placement), `exports`,
//! `server` (the review server's accounts and serving).

mod exports;
mod field;
mod records;
#[cfg(feature = "server")]
mod server;

pub use exports::*;
pub use field::*;
pub use records::*;
#[cfg(feature = "server")]
pub use server::*;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
    /// Grade an inspection: each component and the structure, with reasons;
    /// `grade set` records your own grades
    #[command(args_conflicts_with_subcommands = true)]
    Grade {
        /// Inspection to grade [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
        /// Grading scheme [default: the course's]
        #[arg(long, value_name = "iqoa|nbi|bci|ri-ebw-pruef|mbei")]
        scheme: Option<String>,
        #[command(subcommand)]
        own: Option<OwnGradeCommand>,
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
    /// What the course teaches: which reference defects trainees find, how
    /// they grade against the reference, each trainee's figures
    Report {
        #[command(subcommand)]
        command: ReportCommand,
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
        /// Add a simulated class of N trainees (seeded, with planted grade
        /// bias and miss rates) so that the course report has a class to
        /// speak of
        #[arg(long, value_name = "N", default_value_t = 0)]
        class: usize,
    },
}

/// The inspector's own grades.
#[derive(Debug, Subcommand)]
pub enum OwnGradeCommand {
    /// Record your own grades: TARGET=GRADE pairs, a target being a component
    /// code, `structure`, or `group:equipment` (IQOA part) / `group:deck`
    /// (NBI item); an empty GRADE removes it
    Set {
        /// TARGET=GRADE, e.g. structure=3U P1=2E group:equipment=2
        #[arg(required = true, value_name = "TARGET=GRADE")]
        grades: Vec<String>,
        /// Why: required on a reference inspection when a grade differs
        /// from the one its defects imply (the instructor's override)
        #[arg(long)]
        reason: Option<String>,
        /// Inspection [default: the current one]
        #[arg(long)]
        inspection: Option<i64>,
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

    /// The fields of `voussoir defect add --component P1 --type CON-CRACK`
    /// with the given options.
    fn defect_add(extra: &[&str]) -> DefectFields {
        let mut args = vec![
            "voussoir",
            "defect",
            "add",
            "--component",
            "P1",
            "--type",
            "CON-CRACK",
        ];
        args.extend_from_slice(extra);
        let cli = Cli::try_parse_from(args).expect("parses");
        let Command::Defect(DefectCommand::Add { fields, .. }) = cli.command else {
            panic!("defect add")
        };
        fields
    }

    #[test]
    fn a_position_is_given_as_one_pair_or_two_numbers() {
        for extra in [
            &["--at", "48.73,-3.46"][..],
            &["--at", "48.73", "-3.46"][..],
        ] {
            let position = defect_add(extra).position().expect("valid").expect("given");
            assert_eq!((position.lat, position.lon), (48.73, -3.46));
        }
    }

    #[test]
    fn a_latitude_out_of_range_says_so() {
        let error = defect_add(&["--at", "148,-3.46"])
            .position()
            .expect_err("out of range")
            .to_string();
        assert!(error.contains("latitude 148 is out of range"), "{error}");
    }

    #[test]
    fn a_negative_measurement_reaches_the_checks_instead_of_a_parse_error() {
        assert_eq!(
            defect_add(&["--crack-width-mm", "-1"]).crack_width_mm,
            Some(-1.0)
        );
    }
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The course report: detection per reference defect, grade spreads,
    /// each trainee counted once
    Course {
        /// Only this structure [default: every structure with a reference]
        #[arg(long)]
        structure: Option<String>,
        /// A defect found by a smaller share of trainees is listed as one
        /// to teach better
        #[arg(long, value_name = "SHARE", default_value_t = 0.5)]
        threshold: f64,
        /// Another intake's field book or data folder, shown side by side
        /// with this one (repeat for several)
        #[arg(long, value_name = "BOOK")]
        intake: Vec<std::path::PathBuf>,
        /// Also write the report as CSV in the course language's dialect
        #[arg(long, value_name = "FILE")]
        csv: Option<std::path::PathBuf>,
        /// Also write the report as an XLSX workbook (defects, grades,
        /// trainees)
        #[arg(long, value_name = "FILE")]
        xlsx: Option<std::path::PathBuf>,
    },
}
