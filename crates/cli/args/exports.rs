//! Options of the commands that write an inspection out: GeoJSON, CSV,
//! the SVG map, the report and the bundle.

use clap::Subcommand;
use std::path::PathBuf;

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
