//! The capture app's files, embedded in the binary (no build step): plain
//! JavaScript modules, a style sheet, the service worker that keeps the app
//! working offline, the web app manifest and its icons. Served under
//! `/app/`, the service worker's scope; the worker's cache is named after
//! a hash of the files, so a new server version replaces the old app.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::OnceLock;

/// (name, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("assets/index.html"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("assets/app.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/app.js"),
    ),
    (
        "views.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/views.js"),
    ),
    (
        "store.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/store.js"),
    ),
    (
        "sync.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/sync.js"),
    ),
    (
        "plan.js",
        "text/javascript; charset=utf-8",
        include_bytes!("assets/plan.js"),
    ),
    (
        "words.json",
        "application/json",
        include_bytes!("assets/words.json"),
    ),
    (
        "manifest.webmanifest",
        "application/manifest+json",
        include_bytes!("assets/manifest.webmanifest"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("assets/icon.svg"),
    ),
    (
        "icon-192.png",
        "image/png",
        include_bytes!("assets/icon-192.png"),
    ),
    (
        "icon-512.png",
        "image/png",
        include_bytes!("assets/icon-512.png"),
    ),
];

/// The service worker, with `__VERSION__` standing for the files' hash.
const SERVICE_WORKER: &str = include_str!("assets/sw.js");

/// A short hash of every file: the cache name of this version of the app.
fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        for (name, _, bytes) in FILES {
            hasher.update(name.as_bytes());
            hasher.update(bytes);
        }
        hasher.update(SERVICE_WORKER.as_bytes());
        hasher.finalize().to_hex()[..12].to_string()
    })
}

/// `/app` → `/app/`, the service worker's scope.
pub async fn app_redirect() -> Redirect {
    Redirect::permanent("/app/")
}

/// `/app/`: the app's page.
pub async fn app_index() -> Response {
    app_file(Path("index.html".to_string())).await
}

/// `/app/{file}`.
pub async fn app_file(Path(name): Path<String>) -> Response {
    if name == "sw.js" {
        let script = SERVICE_WORKER.replace("__VERSION__", version());
        return (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            script,
        )
            .into_response();
    }
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *bytes,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "404 Not Found: no such file in the app\n",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_app_exists_in_french_and_english() {
        let words: serde_json::Value =
            serde_json::from_slice(include_bytes!("assets/words.json")).expect("words.json");
        let french = words["fr"].as_object().expect("fr");
        let english = words["en"].as_object().expect("en");
        for (key, value) in french {
            assert!(english.contains_key(key), "`{key}` has no English");
            assert!(
                !value.as_str().unwrap_or("").trim().is_empty(),
                "fr `{key}` is empty"
            );
        }
        for (key, value) in english {
            assert!(french.contains_key(key), "`{key}` has no French");
            assert!(
                !value.as_str().unwrap_or("").trim().is_empty(),
                "en `{key}` is empty"
            );
        }
    }

    #[test]
    fn every_word_the_scripts_use_is_in_the_table() {
        let words: serde_json::Value =
            serde_json::from_slice(include_bytes!("assets/words.json")).expect("words.json");
        let known = words["en"].as_object().expect("en");
        for (name, _, bytes) in FILES {
            if !name.ends_with(".js") {
                continue;
            }
            let text = std::str::from_utf8(bytes).expect("utf-8");
            // Every `t("key")` call names a word of the table.
            for (index, _) in text.match_indices("t(\"") {
                let before = text[..index].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' || before == '.' {
                    continue; // split("."), format(...): not the word function
                }
                let key = text[index + 3..].split('"').next().unwrap_or("");
                assert!(
                    known.contains_key(key),
                    "{name} uses `{key}`, missing from words.json"
                );
            }
        }
    }

    #[test]
    fn every_measurement_has_a_label_in_both_languages() {
        let words: serde_json::Value =
            serde_json::from_slice(include_bytes!("assets/words.json")).expect("words.json");
        for measure in voussoir_core::model::Measure::ALL {
            for language in ["fr", "en"] {
                assert!(
                    words[language].get(measure.code()).is_some(),
                    "{language} has no label for the measurement {}",
                    measure.code()
                );
            }
        }
    }

    #[test]
    fn the_service_worker_caches_every_file_of_the_app() {
        for (name, _, _) in FILES {
            assert!(
                SERVICE_WORKER.contains(&format!("\"{name}\"")),
                "sw.js does not cache {name}"
            );
        }
    }
}
