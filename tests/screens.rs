//! Every page of the review server and the capture app in a real browser,
//! at a desk's width (1366 px) and a phone's (390 px): each is saved as a
//! screenshot to look at, and none may be wider than the phone's screen
//! (wide tables scroll inside their own box or become cards).

use std::path::Path;

use crate::browser::{open_browser, tools_present, DemoServer, Driver};

/// The page's own width beyond the window's, in CSS pixels.
fn overflow(browser: &Driver) -> i64 {
    browser
        .execute("return document.documentElement.scrollWidth - window.innerWidth")
        .as_i64()
        .unwrap_or(0)
}

fn resize(browser: &Driver, width: u32, height: u32) {
    browser.call(
        "POST",
        "/window/rect",
        Some(serde_json::json!({"width": width, "height": height})),
    );
}

fn log_in(browser: &Driver, url: &str, name: &str, password: &str) {
    browser.go(&format!("{url}/login"));
    browser.type_into("#username", name);
    browser.type_into("#password", password);
    browser.click("button[type=submit]");
    browser.wait_for("id=\"dashboard-");
}

/// Opens each page at both widths: a screenshot of each, and a check that
/// no page is wider than a phone.
fn shoot(browser: &Driver, url: &str, pages: &[(&str, String)], shots: &Path) {
    for (name, path) in pages {
        for width in [1366, 390] {
            resize(browser, width, 1400);
            browser.go(&format!("{url}{path}"));
            browser.wait_until("return document.readyState === 'complete'", 10);
            // A report still being prepared reloads itself within seconds.
            browser.wait_until(
                "return document.readyState === 'complete' && !document.getElementById('course-report-preparing')",
                15,
            );
            // The whole page in one picture, up to a few screens long.
            let height = browser
                .execute("return document.documentElement.scrollHeight")
                .as_u64()
                .unwrap_or(1400)
                .clamp(600, 7000) as u32;
            resize(browser, width, height);
            browser.screenshot(&shots.join(format!("page-{name}-{width}.png")));
            if width == 390 {
                let extra = overflow(browser);
                assert!(
                    extra <= 1,
                    "{name} ({path}) is {extra} px wider than a 390 px phone"
                );
            }
        }
    }
}

fn submission_links(browser: &Driver) -> Vec<String> {
    let links = browser.execute(
        "return [...document.querySelectorAll('a[href^=\"/submissions/\"]')].map(a => a.getAttribute('href'))",
    );
    links
        .as_array()
        .map(|links| {
            links
                .iter()
                .filter_map(|link| link.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_page_fits_a_phone_and_a_desk() {
    if !tools_present() {
        return;
    }
    // A class of twenty besides Alice and Bob: the pages as a course sees them.
    let demo = DemoServer::start_with(&["--class", "20"]);
    let url = demo.url.clone();
    let (browser, _driver, _profile) = open_browser(1366, 1400);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));

    shoot(&browser, &url, &[("login", "/login".to_string())], shots);

    log_in(
        &browser,
        &url,
        "claire",
        &demo.password("instructor", "claire"),
    );
    let submissions = submission_links(&browser);
    let review = submissions
        .iter()
        .find(|link| !link.contains("/report"))
        .expect("a submission in the queue")
        .clone();
    shoot(
        &browser,
        &url,
        &[
            ("dashboard-instructor", "/dashboard".to_string()),
            ("review", review.clone()),
            ("report", format!("{review}/report")),
            ("agreement", "/agreement".to_string()),
            ("course-report", "/course-report".to_string()),
            ("not-found", "/submissions/999999".to_string()),
        ],
        shots,
    );

    browser.go(&format!("{url}/dashboard"));
    browser.click("header form button[type=submit]");
    log_in(&browser, &url, "alice", &demo.password("trainee", "alice"));
    let own = submission_links(&browser);
    let mut pages = vec![
        ("dashboard-trainee", "/dashboard".to_string()),
        ("submit", "/submit".to_string()),
        ("capture-app", "/app/".to_string()),
    ];
    if let Some(first) = own.first() {
        pages.push(("trainee-submission", first.clone()));
    }
    shoot(&browser, &url, &pages, shots);
    browser.call("DELETE", "", None);
}
