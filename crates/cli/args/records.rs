//! Options of the commands that record: the course, its structures, the
//! inspections and their defects.

use clap::{Args, Subcommand};
use std::path::PathBuf;

use voussoir_core::model::{Measure, Measurements};
use voussoir_core::LonLat;

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
    /// Any measurement as NAME=VALUE, e.g. `count=3`, `tilt_deg=2.5`,
    /// `scour_depth_m=1.2`, `joint_gap_mm=40`; repeat for several
    /// (`voussoir catalogue` shows which a defect type takes)
    #[arg(long = "measure", value_name = "NAME=VALUE")]
    pub measures: Vec<String>,
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

    /// The measurements given, laid over `stored` (a defect being edited
    /// keeps what is not given again).
    pub fn measurements(&self, stored: Measurements) -> anyhow::Result<Measurements> {
        let mut measurements = stored;
        for (measure, value) in [
            (Measure::CrackWidthMm, self.crack_width_mm),
            (Measure::LengthM, self.length_m),
            (Measure::AreaM2, self.area_m2),
            (Measure::DepthMm, self.depth_mm),
            (Measure::SectionLossPct, self.section_loss_pct),
        ] {
            if value.is_some() {
                measurements.set(measure, value);
            }
        }
        for given in &self.measures {
            let known = || {
                Measure::ALL
                    .iter()
                    .map(|measure| measure.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let Some((name, value)) = given.split_once('=') else {
                anyhow::bail!(
                    "--measure {given}: write NAME=VALUE, e.g. count=3; names: {}",
                    known()
                );
            };
            let measure = Measure::ALL
                .iter()
                .find(|measure| measure.code().eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "--measure {given}: unknown measurement `{}`; names: {}",
                        name.trim(),
                        known()
                    )
                })?;
            let value: f64 = value.trim().replace(',', ".").parse().map_err(|_| {
                anyhow::anyhow!("--measure {given}: `{}` is not a number", value.trim())
            })?;
            measurements.set(*measure, Some(value));
        }
        Ok(measurements)
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
        /// Replace the inspection's defects with the sheet's (after fixing
        /// the sheet and importing it again)
        #[arg(long)]
        replace: bool,
    },
}
