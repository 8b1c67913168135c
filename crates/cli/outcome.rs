//! What a command produced: a JSON value for `--json` and the same thing as
//! text for people. Printing is separate from doing.

use serde::Serialize;
use std::io::Write;

use crate::context::Context;

pub struct Outcome {
    pub value: serde_json::Value,
    pub text: String,
    /// Set when part of the work failed (the exit code is then non-zero).
    pub failed: bool,
    /// Set when the command already wrote its result to standard output.
    pub silent: bool,
}

impl Outcome {
    pub fn new(value: impl Serialize, text: String) -> anyhow::Result<Outcome> {
        Ok(Outcome {
            value: serde_json::to_value(value)?,
            text,
            failed: false,
            silent: false,
        })
    }

    pub fn print(&self, context: &Context) -> std::io::Result<()> {
        if self.silent {
            return Ok(());
        }
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        if context.json {
            serde_json::to_writer_pretty(&mut out, &self.value)?;
            writeln!(out)?;
        } else if !context.quiet && !self.text.is_empty() {
            write!(out, "{}", self.text)?;
            if !self.text.ends_with('\n') {
                writeln!(out)?;
            }
        }
        out.flush()
    }
}

/// Lays out rows as left-aligned columns separated by two spaces.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(cell);
                let pad = widths[column] - cell.chars().count() + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}
