//! `voussoir submit`: builds an inspection's bundle and uploads it to the
//! review server with an API token.

use anyhow::{bail, Context as _};

use crate::context::Context;
use crate::outcome::Outcome;

/// `voussoir submit`: builds the bundle and uploads it.
pub fn submit(
    context: &Context,
    server: &str,
    token: &str,
    inspection: Option<i64>,
) -> anyhow::Result<Outcome> {
    let book = context.open_book()?;
    let id = voussoir_app::chosen_inspection(&book, inspection)?;
    let (bytes, _) = voussoir_app::exports::bundle_bytes(&book, id)?;
    let url = format!("{}/api/submissions", server.trim_end_matches('/'));
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut response = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/zip")
        .send(bytes)
        .with_context(|| format!("sending the bundle to {url}"))?;
    let status = response.status();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    if !status.is_success() {
        bail!(
            "the server refused the submission ({status}): {}",
            body.trim()
        );
    }
    let submission: serde_json::Value =
        serde_json::from_str(&body).context("reading the server's answer")?;
    let text = format!(
        "Submitted inspection #{id}: submission #{} version {} of {}, status {}\n",
        submission["id"],
        submission["version"],
        submission["structure"].as_str().unwrap_or("?"),
        submission["status"].as_str().unwrap_or("?")
    );
    Outcome::new(submission, text)
}
