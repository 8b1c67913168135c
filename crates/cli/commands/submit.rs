//! `voussoir submit`: builds an inspection's bundle and uploads it to the
//! review server with an API token, with a progress bar on a terminal.

use anyhow::{bail, Context as _};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read};

use crate::context::Context;
use crate::outcome::Outcome;

/// The server's base address: `http://` is assumed when no scheme is given,
/// as curl does; anything but http and https is refused with an example.
fn base_url(server: &str) -> anyhow::Result<String> {
    let server = server.trim().trim_end_matches('/');
    if server.is_empty() {
        bail!("--server is empty; give the review server's address, e.g. http://192.168.1.20:8080");
    }
    match server.split_once("://") {
        None => Ok(format!("http://{server}")),
        Some(("http" | "https", rest)) if !rest.is_empty() => Ok(server.to_string()),
        Some(_) => bail!(
            "--server `{server}` is not a web address; write http://HOST:PORT, e.g. http://192.168.1.20:8080"
        ),
    }
}

/// A reader that moves a progress bar as the bytes leave.
struct Counted<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.bar.inc(read as u64);
        Ok(read)
    }
}

fn upload_bar(context: &Context, bytes: u64) -> ProgressBar {
    let bar = ProgressBar::new(bytes);
    if context.quiet || context.json || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    } else if let Ok(style) = ProgressStyle::with_template(
        "uploading {bar:30} {bytes}/{total_bytes} · {binary_bytes_per_sec} · ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// `voussoir submit`: builds the bundle and uploads it.
pub fn submit(
    context: &Context,
    server: &str,
    token: &str,
    inspection: Option<i64>,
) -> anyhow::Result<Outcome> {
    let url = format!("{}/api/submissions", base_url(server)?);
    let mut book = context.open_book()?;
    let id = voussoir_app::chosen_inspection(&book, inspection)?;
    let (bytes, _, warnings) = voussoir_app::exports::bundle_bytes(&mut book, id)?;
    for warning in &warnings {
        eprintln!("voussoir: warning: {warning}");
    }
    let length = bytes.len() as u64;
    let bar = upload_bar(context, length);
    let mut body = Counted {
        inner: std::io::Cursor::new(bytes),
        bar: bar.clone(),
    };
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let sent = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/zip")
        .header("Content-Length", &length.to_string())
        .send(ureq::SendBody::from_reader(&mut body));
    bar.finish_and_clear();
    let mut response = sent.with_context(|| format!("sending the bundle to {url}"))?;
    let status = response.status();
    let answer = response.body_mut().read_to_string().unwrap_or_default();
    if !status.is_success() {
        // The server's answer is "400 Bad Request: the reason", already
        // in the course's words.
        let reason = answer.trim();
        let reason = reason
            .split_once(": ")
            .filter(|(head, _)| head.starts_with(|c: char| c.is_ascii_digit()))
            .map_or(reason, |(_, reason)| reason);
        bail!(voussoir_core::words::errors::english(
            "submit.refused",
            &[
                ("status", status.as_u16().to_string()),
                ("reason", reason.to_string())
            ],
        ));
    }
    let submission: serde_json::Value =
        serde_json::from_str(&answer).context("reading the server's answer")?;
    let text = format!(
        "Submitted inspection #{id}: submission #{} version {} of {}, status {}\n",
        submission["id"],
        submission["version"],
        submission["structure"].as_str().unwrap_or("?"),
        submission["status"].as_str().unwrap_or("?")
    );
    Outcome::new(submission, text)
}

#[cfg(test)]
mod tests {
    use super::base_url;

    #[test]
    fn an_address_without_a_scheme_is_taken_as_http() {
        assert_eq!(
            base_url("127.0.0.1:8080/").expect("valid"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            base_url("https://voussoir.example").expect("valid"),
            "https://voussoir.example"
        );
    }

    #[test]
    fn an_address_with_another_scheme_says_how_to_write_one() {
        let error = base_url("ftp://host").expect_err("refused").to_string();
        assert!(error.contains("http://HOST:PORT"), "{error}");
        assert!(base_url("  ").is_err());
    }
}
