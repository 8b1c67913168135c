//! A real browser against `voussoir serve --demo`: headless Chromium driven
//! through ChromeDriver (the W3C WebDriver protocol, spoken with plain
//! HTTP) logs in as the instructor, opens a trainee's report, posts
//! feedback, and checks the result page; then logs in as that trainee and
//! checks they see their own feedback and nobody else's report.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::util::voussoir;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Kills the child process when the test ends, passed or not.
pub(crate) struct Guard(pub(crate) Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

pub(crate) struct Driver {
    pub(crate) base: String,
    pub(crate) session: String,
}

impl Driver {
    pub(crate) fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let response = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("DELETE", _) => agent.delete(&url).call(),
            (_, body) => agent
                .post(&url)
                .send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut response = response.unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        let status = response.status();
        let value = response.body_mut().read_json::<Value>().expect("json")["value"].clone();
        assert!(
            status.is_success(),
            "{method} {path}: {status}: {}",
            value["message"]
                .as_str()
                .unwrap_or("")
                .lines()
                .next()
                .unwrap_or("")
        );
        value
    }

    pub(crate) fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    pub(crate) fn find(&self, css: &str) -> String {
        let value = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        value[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {value}"))
            .to_string()
    }

    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.call(
            "POST",
            &format!("/element/{element}/clear"),
            Some(json!({})),
        );
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    pub(crate) fn click(&self, css: &str) {
        // As a person would: bring it to the middle of the screen first,
        // clear of bars fixed at the top or bottom. A live page may draw
        // the element anew in between (a sync finishing): then it is found
        // again.
        let script = "const element = document.querySelector(arguments[0]); if (!element) return false; element.scrollIntoView({block: 'center'}); return true;";
        for _ in 0..3 {
            let found = self.call(
                "POST",
                "/execute/sync",
                Some(json!({"script": script, "args": [css]})),
            );
            if found != Value::Bool(true) {
                std::thread::sleep(Duration::from_millis(200));
                continue;
            }
            let element = self.find(css);
            let url = format!(
                "{}/session/{}/element/{element}/click",
                self.base, self.session
            );
            let agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .new_agent();
            let status = agent
                .post(&url)
                .send_json(json!({}))
                .map(|response| response.status().as_u16())
                .unwrap_or(0);
            if status == 200 {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let element = self.find(css);
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    pub(crate) fn source(&self) -> String {
        self.call("GET", "/source", None)
            .as_str()
            .expect("source")
            .to_string()
    }

    /// The page source once it contains `text` (pages load after a click
    /// in their own time), or the last source seen after ten seconds.
    pub(crate) fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let source = self.source();
            if source.contains(text) || started.elapsed() > Duration::from_secs(10) {
                return source;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs a script in the page and returns its value.
    pub(crate) fn execute(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// A Chrome DevTools command, through ChromeDriver.
    pub(crate) fn cdp(&self, command: &str, params: Value) -> Value {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": command, "params": params})),
        )
    }

    /// A DevTools command this Chromium may not know (newer protocol
    /// commands): whether it was taken.
    pub(crate) fn cdp_if_known(&self, command: &str, params: Value) -> bool {
        let url = format!("{}/session/{}/goog/cdp/execute", self.base, self.session);
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        agent
            .post(&url)
            .send_json(json!({"cmd": command, "params": params}))
            .is_ok_and(|response| response.status().is_success())
    }

    /// Chooses files in a file input, as a user picking photos would.
    pub(crate) fn send_files(&self, css: &str, paths: &[&Path]) {
        let element = self.find(css);
        let text = paths
            .iter()
            .map(|path| path.display().to_string())
            .collect::<Vec<_>>()
            .join("\n");
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Waits until a script returns true, for at most `seconds`.
    pub(crate) fn wait_until(&self, script: &str, seconds: u64) -> bool {
        let started = Instant::now();
        loop {
            if self.execute(script) == Value::Bool(true) {
                return true;
            }
            if started.elapsed() > Duration::from_secs(seconds) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn screenshot(&self, path: &Path) {
        let encoded = self.call("GET", "/screenshot", None);
        let bytes = decode_base64(encoded.as_str().expect("base64"));
        std::fs::write(path, bytes).expect("write screenshot");
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            _ => 63,
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut bits = 0u32;
        for (index, c) in chunk.iter().enumerate() {
            bits |= value(*c) << (18 - 6 * index);
        }
        out.push((bits >> 16) as u8);
        if chunk.len() > 2 {
            out.push((bits >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(bits as u8);
        }
    }
    out
}

pub(crate) fn tools_present() -> bool {
    let present = Path::new("/usr/bin/chromium").exists()
        && Command::new("chromedriver")
            .arg("--version")
            .output()
            .is_ok();
    if !present {
        eprintln!("SKIPPED: chromium and chromedriver are not installed; .ci/run installs them");
    }
    present
}

/// ChromeDriver and a headless Chromium session with a window of the given
/// size; the guard ends ChromeDriver, the folder holds the profile.
pub(crate) fn open_browser(width: u32, height: u32) -> (Driver, Guard, tempfile::TempDir) {
    let driver_port = free_port();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={driver_port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let guard = Guard(driver);
    let base = format!("http://127.0.0.1:{driver_port}");
    let started = Instant::now();
    while ureq::get(&format!("{base}/status")).call().is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let profile = tempfile::tempdir().expect("profile");
    let capabilities = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--window-size={width},{height}"),
                     format!("--user-data-dir={}", profile.path().display())]
        }
    }}});
    let mut response = ureq::post(&format!("{base}/session"))
        .send_json(capabilities)
        .expect("a browser session");
    let session: Value = response.body_mut().read_json().expect("json");
    let browser = Driver {
        base,
        session: session["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_string(),
    };
    (browser, guard, profile)
}

/// `voussoir serve --demo` on a free port, with the logins it printed.
pub(crate) struct DemoServer {
    pub(crate) url: String,
    pub(crate) data_dir: String,
    logins: Vec<Vec<String>>,
    _guard: Guard,
}

impl DemoServer {
    pub(crate) fn start() -> DemoServer {
        DemoServer::start_with(&[])
    }

    /// With more options of `serve --demo`, such as `--class 20`.
    pub(crate) fn start_with(options: &[&str]) -> DemoServer {
        let port = free_port();
        let mut server = voussoir()
            .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        let stdout = server.stdout.take().expect("stdout");
        let guard = Guard(server);
        let mut logins = Vec::new();
        let mut url = String::new();
        let mut data_dir = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("line");
            if let Some(rest) = line.strip_prefix("Voussoir review server on ") {
                data_dir = rest
                    .split("(data: ")
                    .nth(1)
                    .and_then(|rest| rest.split(')').next())
                    .unwrap_or_default()
                    .to_string();
                url = rest
                    .split_whitespace()
                    .next()
                    .expect("url")
                    .trim_end_matches('/')
                    .to_string();
            }
            if let Some(rest) = line.strip_prefix("demo login: ") {
                let parts: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
                logins.push(parts);
            }
            if logins.len() == 3 {
                break;
            }
        }
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        DemoServer {
            url,
            data_dir,
            logins,
            _guard: guard,
        }
    }

    /// The demo password of a login.
    pub(crate) fn password(&self, role: &str, name: &str) -> String {
        self.logins
            .iter()
            .find(|parts| parts[0] == role && parts[1] == name)
            .map(|parts| parts[2].clone())
            .unwrap_or_else(|| panic!("no {role} login for {name}: {:?}", self.logins))
    }
}

#[test]
fn an_instructor_reviews_and_marks_a_report_in_a_real_browser() {
    if !tools_present() {
        return;
    }
    let demo = DemoServer::start();
    let url = demo.url.clone();
    let data_dir = demo.data_dir.clone();
    let find_login = |role: &str, name: &str| demo.password(role, name);
    let instructor_password = find_login("instructor", "claire");
    let alice_password = find_login("trainee", "alice");

    // ChromeDriver and a headless Chromium session.
    let (browser, _driver, _profile) = open_browser(1280, 2000);

    // The instructor logs in; Bob's report waits in the review queue.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    browser.go(&format!("{url}/login"));
    browser.type_into("#username", "claire");
    browser.type_into("#password", &instructor_password);
    browser.click("button[type=submit]");
    let dashboard = browser.wait_for("id=\"dashboard-instructor\"");
    assert!(dashboard.contains("OA-LANNION-2026"), "{dashboard}");
    assert!(dashboard.contains("id=\"queue\"") && dashboard.contains("id=\"progress\""));
    assert!(
        dashboard.contains("Signes de copie"),
        "Bob's borrowed photo is flagged"
    );
    browser.screenshot(&shots.join("dashboard-1366.png"));
    browser.click("#queue a");
    let report = browser.wait_for("id=\"comparison\"");
    assert!(
        report.contains("Bob") || report.contains("bob"),
        "Bob's report from the queue"
    );
    assert!(
        report.contains("id=\"mark-detail\""),
        "each defect's share of the mark"
    );
    assert!(
        report.contains("tr class=\"missed\""),
        "missed defects are rows of the table"
    );
    assert!(report.contains("<svg"));
    // Nothing is pre-selected: the decision is two buttons.
    assert!(
        !report.contains("type=\"radio\""),
        "no decision pre-selected"
    );
    // The interactive map: a click on a defect opens its record.
    assert!(
        browser.wait_until(
            "return document.querySelector('#live-map.ready path.trainee-defect') !== null",
            15
        ),
        "the map draws the defects"
    );
    browser.click("#live-map path.trainee-defect");
    assert!(
        browser.wait_until(
            "return document.querySelector('#live-map .leaflet-popup-content') !== null",
            10
        ),
        "a click on a defect shows its record"
    );
    browser.execute("document.getElementById('live-map').scrollIntoView()");
    browser.screenshot(&shots.join("map-1366.png"));
    // The photo viewer opens full screen on a photo, and pages on.
    assert!(
        browser.wait_until("return !document.querySelector('p.filters').hidden", 10),
        "the viewer's script runs"
    );
    browser.click(".photo-group figure > a");
    assert!(
        browser.wait_until("return document.getElementById('viewer').open", 10),
        "the viewer opens"
    );
    assert!(browser.wait_until(
        "return document.querySelector('#viewer .viewer-count').textContent.startsWith('1 /')",
        10
    ));
    browser.screenshot(&shots.join("viewer-1366.png"));
    browser.click("#viewer button[data-close]");
    browser.execute("window.scrollTo(0, 0)");
    browser.screenshot(&shots.join("review-1366.png"));
    // The same page on a phone's width.
    let resize = |width: u32| {
        browser.call(
            "POST",
            "/window/rect",
            Some(serde_json::json!({"width": width, "height": 2000})),
        );
    };
    resize(390);
    browser.screenshot(&shots.join("review-390.png"));
    resize(1366);

    // Comments on a matched and on a missed defect, a mark with a decimal
    // comma; Return without an overall comment is refused with the reason.
    browser.type_into("tr.matched textarea", "bonne localisation");
    browser.type_into("tr.missed textarea", "affouillement de FND-P1 non vu");
    browser.type_into("#final_mark", "12,5");
    browser.click("button.return");
    let refused = browser.wait_for("commentaire général");
    assert!(
        refused.contains("400"),
        "{}",
        &refused[..refused.len().min(500)]
    );
    browser.go(&format!("{url}/submissions/2"));
    browser.type_into("tr.matched textarea", "bonne localisation");
    browser.type_into("tr.missed textarea", "affouillement de FND-P1 non vu");
    browser.type_into("#final_mark", "12,5");
    browser.type_into(
        "#comment",
        "Revoir les fondations avant de rendre à nouveau.",
    );
    browser.click("button.return");
    let saved = browser.wait_for("class=\"saved\"");
    assert!(saved.contains("class=\"status-returned\""), "returned");
    assert!(saved.contains("12,5/20"), "the mark with a decimal comma");
    assert!(
        saved.contains("affouillement de FND-P1 non vu"),
        "the missed defect's comment kept"
    );
    browser.screenshot(&shots.join("review-returned.png"));

    // Bob sees his feedback and the comments; he cannot open Alice's report.
    let bob_password = find_login("trainee", "bob");
    browser.click("header form button[type=submit]");
    browser.wait_for("autocomplete=\"username\"");
    browser.type_into("#username", "bob");
    browser.type_into("#password", &bob_password);
    browser.click("button[type=submit]");
    browser.wait_for("id=\"dashboard-trainee\"");
    browser.go(&format!("{url}/submissions/2"));
    let own = browser.source();
    assert!(own.contains("Revoir les fondations") && own.contains("bonne localisation"));
    // The demo's results are released: Bob sees his comparison, where the
    // learning is, with the comment on the defect he missed.
    assert!(own.contains("id=\"comparison\"") && own.contains("affouillement de FND-P1 non vu"));
    browser.screenshot(&shots.join("trainee-feedback.png"));
    // His marked report prints as a page set: marks, feedback, comments.
    browser.go(&format!("{url}/submissions/2/report"));
    let printable = browser.source();
    browser.screenshot(&shots.join("marked-report-1366.png"));
    assert!(printable.contains("Revoir les fondations") && printable.contains("12,5/20"));
    let pdf = browser.cdp(
        "Page.printToPDF",
        json!({"printBackground": true, "displayHeaderFooter": false}),
    );
    let bytes = decode_base64(pdf["data"].as_str().expect("pdf data"));
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(pages >= 2, "the report spans pages: {pages}");
    std::fs::write(shots.join("marked-report.pdf"), &bytes).expect("write the PDF");
    browser.go(&format!("{url}/submissions/1"));
    assert!(browser.source().contains("404"));

    // Bob corrects his work and hands in version 2 on the Submit page.
    let exported = Path::new(&data_dir).join("bob-v1.zip");
    let status = voussoir()
        .args([
            "--book",
            &data_dir,
            "export",
            "bundle",
            "--inspection",
            "3",
            "-o",
        ])
        .arg(&exported)
        .status()
        .expect("export");
    assert!(status.success());
    let mut manifest = crate::export::manifest_of(&exported);
    manifest["defects"]
        .as_array_mut()
        .expect("defects")
        .push(json!({"component": "FND-P1", "type": "UW-MARINE-GROWTH", "severity": "1",
                     "extent": "widespread", "lat": null, "lon": null, "note": "concrétions vues au second passage", "photos": []}));
    let corrected = Path::new(&data_dir).join("bob-v2.zip");
    crate::export::rewrite_manifest(&exported, &corrected, &manifest);
    browser.go(&format!("{url}/submit"));
    browser.send_files("#bundle", &[corrected.as_path()]);
    browser.click("form[action='/submissions'] button[type=submit]");
    let second = browser.wait_for("id=\"versions\"");
    assert!(
        second.contains("id=\"versions\"") && second.contains(">v2<"),
        "both versions linked: {}",
        &second[..second.len().min(2000)]
    );

    // The instructor opens version 2 from the queue, sees what changed,
    // and accepts.
    browser.click("header form button[type=submit]");
    browser.wait_for("autocomplete=\"username\"");
    browser.type_into("#username", "claire");
    browser.type_into("#password", &instructor_password);
    browser.click("button[type=submit]");
    browser.wait_for("id=\"queue\"");
    browser.click("#queue a");
    let changed = browser.wait_for("id=\"changes\"");
    assert!(
        changed.contains("salissures marines") || changed.contains("UW-MARINE-GROWTH"),
        "the added defect is shown as a change"
    );
    browser.screenshot(&shots.join("review-v2-changes.png"));
    browser.type_into("#final_mark", "14");
    browser.click("button.accept");
    let accepted = browser.wait_for("class=\"status-accepted\"");
    assert!(accepted.contains("class=\"saved\""));
    let _ = alice_password;
    browser.call("DELETE", "", None);
}
