//! One module per subcommand. Each command does its work through the
//! library crates and returns an [`Outcome`]; nothing here prints.

mod book;
mod catalogue;
mod compare;
mod defect;
mod demo;
mod export;
mod field;
mod geotag;
mod grade;
mod import;
mod inspection;
mod serve;
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
        Command::Grade { inspection, scheme } => grade::run(context, inspection, scheme.as_deref()),
        Command::Compare {
            reference,
            inspection,
            tolerance,
        } => compare::run(context, reference, inspection, tolerance),
        Command::Agreement { structure } => compare::agreement(context, structure),
        Command::Catalogue {
            component_kind,
            search,
        } => catalogue::run(component_kind.as_deref(), search.as_deref()),
        Command::Import(crate::args::ImportCommand::Bundle { file, max_size_mb }) => {
            export::import_bundle(context, &file, max_size_mb)
        }
        Command::Import(command) => import::run(context, command),
        Command::Export(command) => export::run(context, command),
        Command::Geotag {
            inspection,
            options,
        } => geotag::run(context, inspection, &options),
        Command::Photo(command) => field::photos(context, command),
        Command::Track(command) => field::tracks(context, command),
        Command::Dive(command) => field::dives(context, command),
        Command::Demo { dir } => demo::run(context, dir),
        Command::Serve(args) => serve::serve(context, args),
        Command::User(command) => serve::user(context, command),
        Command::Token(command) => serve::token(context, command),
        Command::Submit {
            server,
            token,
            inspection,
        } => serve::submit(context, &server, &token, inspection),
    }
}

/// The inspection a command works on: the one given, else the current one.
pub fn chosen_inspection(
    book: &voussoir_store::FieldBook,
    given: Option<i64>,
) -> anyhow::Result<i64> {
    match given {
        Some(id) => Ok(book.inspection(id)?.id),
        None => book.current_inspection_id()?.ok_or_else(|| {
            anyhow::anyhow!(
                "no current inspection; open one with `voussoir inspection new --structure CODE --kind KIND` or pass --inspection ID"
            )
        }),
    }
}
