//! `voussoir completions SHELL` and `voussoir man`: shell completions and
//! the manual page, generated from the same definitions as `--help`.

use clap::CommandFactory;
use std::io::Write;

use crate::args::Cli;
use crate::outcome::Outcome;

/// Writes generated text to standard output; nothing else is printed.
fn printed(bytes: &[u8]) -> anyhow::Result<Outcome> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(bytes)?;
    out.flush()?;
    let mut outcome = Outcome::new(serde_json::Value::Null, String::new())?;
    outcome.silent = true;
    Ok(outcome)
}

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut command, "voussoir", &mut bytes);
    printed(&bytes)
}

pub fn man_page() -> anyhow::Result<Outcome> {
    let mut bytes = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut bytes)?;
    printed(&bytes)
}
