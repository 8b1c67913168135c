//! One module per subcommand. Each command does its work through the
//! library crates and returns an [`Outcome`]; nothing here prints.

#[cfg(feature = "server")]
mod accounts;
mod book;
mod catalogue;
mod compare;
mod course_report;
mod defect;
mod demo;
mod export;
mod field;
mod geotag;
mod grade;
mod help;
mod import;
mod inspection;
#[cfg(feature = "server")]
mod serve;
mod submit;
mod views;

use crate::args::Command;
use crate::context::Context;
use crate::outcome::Outcome;

pub fn run(context: &Context, command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Init { dir } => book::init(dir),
        Command::Course(command) => book::course(context, command),
        Command::Structure(command) => book::structure(context, command),
        Command::Inspection(command) => inspection::run(context, command),
        Command::Defect(command) => defect::run(context, command),
        Command::Grade {
            own:
                Some(crate::args::OwnGradeCommand::Set {
                    grades,
                    reason,
                    inspection,
                }),
            ..
        } => grade::set_own(context, inspection, &grades, reason.as_deref()),
        Command::Grade {
            inspection, scheme, ..
        } => grade::run(context, inspection, scheme.as_deref()),
        Command::Compare {
            reference,
            inspection,
            tolerance,
        } => compare::run(context, reference, inspection, tolerance),
        Command::Agreement { structure } => compare::agreement(context, structure),
        Command::Report {
            command:
                crate::args::ReportCommand::Course {
                    structure,
                    threshold,
                    intake,
                    csv,
                    xlsx,
                },
        } => course_report::run(
            context,
            structure.as_deref(),
            threshold,
            &intake,
            course_report::Files {
                csv: csv.as_deref(),
                xlsx: xlsx.as_deref(),
            },
        ),
        Command::Catalogue {
            component_kind,
            search,
        } => catalogue::run(component_kind.as_deref(), search.as_deref()),
        Command::Import(command) => import::run(context, command),
        Command::Export(command) => export::run(context, command),
        Command::Geotag {
            inspection,
            options,
        } => geotag::run(context, inspection, &options),
        Command::Photo(command) => field::photos(context, command),
        Command::Track(command) => field::tracks(context, command),
        Command::Dive(command) => field::dives(context, command),
        Command::Demo { dir, class } => demo::run(context, dir, class),
        Command::Completions { shell } => help::completions(shell),
        Command::Man => help::man_page(),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::serve(context, args),
        #[cfg(feature = "server")]
        Command::User(command) => accounts::user(context, command),
        #[cfg(feature = "server")]
        Command::Token(command) => accounts::token(context, command),
        Command::Submit {
            server,
            token,
            inspection,
        } => submit::submit(context, &server, &token, inspection),
    }
}
