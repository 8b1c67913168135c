//! The `voussoir` binary: parses the command line, runs one command, prints
//! its outcome as text or JSON, and turns errors into one clear message and
//! a non-zero exit code. All the work is done by the library crates.

mod args;
mod commands;
mod context;
mod outcome;

use clap::Parser;
use std::process::ExitCode;

use args::Cli;
use context::Context;
use voussoir_core::words::errors;

/// mimalloc returns memory that glibc's per-thread arenas would keep:
/// importing a thousand photos then needs no more memory than a hundred.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Whether an error is standard output closing early (`voussoir ... |
/// head`): the reader has what it wanted, so the command ends quietly.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let context = Context::new(&cli);
    match commands::run(&context, cli.command) {
        Ok(outcome) => {
            if let Err(error) = outcome.print(&context) {
                if error.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
                let w = context.words();
                let message = errors::english("output", &[("error", error.to_string())]);
                eprintln!("voussoir: {}", errors::translate(&message, w.lang));
                return ExitCode::FAILURE;
            }
            if outcome.failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let w = context.words();
            let say = |text: String| errors::translate(&text, w.lang);
            eprintln!(
                "voussoir: {}{}{}",
                w.cli_error,
                w.colon,
                say(error.to_string())
            );
            for cause in error.chain().skip(1) {
                eprintln!("  {}{}{}", w.cli_caused_by, w.colon, say(cause.to_string()));
            }
            ExitCode::FAILURE
        }
    }
}
