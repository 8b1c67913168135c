//! The phone capture app in a real browser (headless Chromium through
//! ChromeDriver, a 390 px phone viewport): a trainee logs in, the app is
//! kept by its service worker, the server goes away (offline), the app
//! still opens, three defects on two components (one with two photos) and
//! the trainee's own grades are recorded and wait; the server comes back,
//! they sync, and the field book holds exactly them. Then a sync is cut
//! half way and retried: nothing twice, nothing missing.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::browser::{free_port, open_browser, tools_present, Driver};
use crate::util::{fixture, voussoir};

/// A review server on a fixed port over a data folder, restartable.
struct Server {
    data: PathBuf,
    port: u16,
    process: Option<Child>,
}

impl Server {
    fn start(&mut self) {
        let child = voussoir()
            .args(["serve", "--data"])
            .arg(&self.data)
            .args(["--bind", &format!("127.0.0.1:{}", self.port)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        self.process = Some(child);
        let started = Instant::now();
        while ureq::get(&format!("{}/login", self.url())).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The network goes away: the server is killed.
    fn stop(&mut self) {
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn count(&self, sql: &str) -> i64 {
        rusqlite::Connection::open(self.data.join("voussoir.db"))
            .and_then(|connection| connection.query_row(sql, [], |row| row.get(0)))
            .unwrap_or(-1)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run_ok(args: &[&str], password: Option<&str>) {
    let mut command = voussoir();
    command.args(args);
    if let Some(password) = password {
        command.env("VOUSSOIR_PASSWORD", password);
    }
    let output = command.output().expect("run voussoir");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn offline(browser: &Driver, offline: bool) {
    let conditions =
        json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
    browser.cdp("Network.emulateNetworkConditions", conditions.clone());
    // Newer Chromium no longer lets that command set `navigator.onLine`:
    // this one does, where it exists.
    browser.cdp("Network.enable", json!({}));
    browser.cdp_if_known("Network.overrideNetworkState", conditions);
}

/// Records one defect on a component through the app's screens.
fn record_defect(
    browser: &Driver,
    component: &str,
    search: &str,
    code: &str,
    severity: &str,
    photos: &[&Path],
) {
    browser.click(&format!("a[data-component='{component}']"));
    browser.wait_for("id=\"add-defect\"");
    browser.click("#add-defect");
    browser.wait_for("id=\"type-search\"");
    browser.type_into("#type-search", search);
    browser.click(&format!("button[data-type='{code}']"));
    browser.click(&format!("#severity button[data-value='{severity}']"));
    browser.click("#extent button[data-value='isolated']");
    browser.click("#use-position");
    if !photos.is_empty() {
        browser.send_files("#defect-photos", photos);
        assert!(
            browser.wait_until(
                &format!(
                    "return document.querySelectorAll('.photos img').length === {}",
                    photos.len()
                ),
                10
            ),
            "the photos are shown in the form"
        );
    }
    browser.click("#save-defect");
    browser.wait_for("id=\"add-defect\"");
    browser.click(".actions a.button");
    browser.wait_for("id=\"components\"");
}

#[test]
fn a_trainee_records_offline_on_a_phone_and_it_syncs_whole() {
    if !tools_present() {
        return;
    }
    // A data folder with the demo course and an account for Alice.
    let folder = tempfile::tempdir().expect("temp");
    let data = folder.path().join("data");
    run_ok(&["demo", data.to_str().expect("utf-8")], None);
    let book = data.to_str().expect("utf-8");
    run_ok(
        &["--book", book, "user", "add", "alice", "--role", "trainee"],
        Some("alice-password"),
    );
    run_ok(
        &[
            "--book",
            book,
            "user",
            "add",
            "claire",
            "--role",
            "instructor",
        ],
        Some("claire-password"),
    );
    let mut server = Server {
        data: data.clone(),
        port: free_port(),
        process: None,
    };
    server.start();
    let url = server.url();

    let (browser, _driver, _profile) = open_browser(390, 844);
    // A phone: 390 CSS pixels wide, touch.
    browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}),
    );
    browser.cdp(
        "Browser.grantPermissions",
        json!({"origin": url, "permissions": ["geolocation"]}),
    );
    // On the bridge, by pier P1.
    browser.cdp(
        "Emulation.setGeolocationOverride",
        json!({"latitude": 48.731006, "longitude": -3.461205, "accuracy": 4}),
    );

    browser.go(&format!("{url}/login"));
    browser.type_into("#username", "alice");
    browser.type_into("#password", "alice-password");
    browser.click("button[type=submit]");
    browser.wait_for("id=\"open-app\"");
    browser.click("#open-app");
    browser.wait_for("id=\"new-inspection\"");
    assert!(
        browser.wait_until(
            "return !!navigator.serviceWorker.controller || (location.reload(), false)",
            20
        ),
        "the service worker controls the app"
    );
    browser.wait_for("id=\"new-inspection\"");

    // The network goes: the app still opens from its service worker.
    server.stop();
    offline(&browser, true);
    browser.go(&format!("{url}/app/"));
    let page = browser.wait_for("id=\"new-inspection\"");
    assert!(page.contains("hors ligne"), "the app says it is offline");
    browser.click("#create-inspection");
    browser.wait_for("id=\"components\"");
    assert!(
        browser.source().contains("you-are-here"),
        "the plan shows the phone"
    );
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    browser.screenshot(&shots.join("capture-inspection-390.png"));

    let photo_a = fixture("field/IMG_0102.JPG");
    let photo_b = fixture("field/IMG_0103.JPG");
    record_defect(
        &browser,
        "P1",
        "CON-CRACK",
        "CON-CRACK",
        "2E",
        &[&photo_a, &photo_b],
    );
    record_defect(&browser, "P1", "CON-SPALL", "CON-SPALL", "2", &[]);
    record_defect(&browser, "T2", "CON-EFFLO", "CON-EFFLO", "2", &[]);
    browser.click("#grades-link");
    browser.wait_for("id=\"save-grades\"");
    browser.execute("document.getElementById('grade-structure').value = '3'; document.getElementById('grade-P1').value = '2E';");
    browser.click("#save-grades");
    browser.wait_for("id=\"components\"");

    browser.go(&format!("{url}/app/#/sync"));
    let waiting = browser.wait_for("id=\"pending-count\"");
    assert!(
        waiting.contains(">7 "),
        "inspection, two photos, three defects and the grades wait"
    );
    browser.screenshot(&shots.join("capture-waiting-390.png"));

    // The network comes back: everything syncs, exactly once.
    server.start();
    offline(&browser, false);
    browser.go(&format!("{url}/app/#/sync"));
    browser.wait_for("id=\"sync-now\"");
    browser.click("#sync-now");
    assert!(
        browser.wait_until(
            "return document.getElementById('pending-count')?.textContent.startsWith('0 ')",
            30
        ),
        "everything is acknowledged: {}",
        browser.source()
    );
    let working = "(SELECT inspection_id FROM capture_inspection)";
    assert_eq!(
        server.count(&format!(
            "SELECT count(*) FROM defect WHERE inspection_id = {working}"
        )),
        3
    );
    assert_eq!(
        server.count(&format!(
            "SELECT count(*) FROM defect WHERE inspection_id = {working} AND lat IS NOT NULL"
        )),
        3,
        "every defect has the phone's position"
    );
    assert_eq!(
        server.count(&format!(
            "SELECT count(*) FROM photo WHERE inspection_id = {working}"
        )),
        2
    );
    for photo in [&photo_a, &photo_b] {
        let hash = blake3::hash(&std::fs::read(photo).expect("photo"))
            .to_hex()
            .to_string();
        assert_eq!(
            server.count(&format!(
                "SELECT count(*) FROM photo WHERE hash = '{hash}' AND inspection_id = {working}"
            )),
            1
        );
    }
    assert_eq!(
        server.count(&format!(
            "SELECT count(*) FROM own_grade WHERE inspection_id = {working}"
        )),
        2
    );

    // A sync cut half way, then retried: nothing twice, nothing missing.
    browser.go(&format!("{url}/app/"));
    browser.wait_for("class=\"inspection-link\"");
    browser.click(".inspection-link");
    browser.wait_for("id=\"components\"");
    offline(&browser, true);
    for code in ["CON-REBAR", "CON-CRACK"] {
        record_defect(&browser, "T3", code, code, "3", &[]);
    }
    offline(&browser, false);
    browser.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 400, "downloadThroughput": -1, "uploadThroughput": -1}),
    );
    browser.go(&format!("{url}/app/#/sync"));
    browser.wait_for("id=\"sync-now\"");
    browser.click("#sync-now");
    let started = Instant::now();
    while server.count(&format!(
        "SELECT count(*) FROM defect WHERE inspection_id = {working}"
    )) < 4
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the first record arrives"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server.stop();
    std::thread::sleep(Duration::from_millis(500));
    server.start();
    offline(&browser, false);
    browser.go(&format!("{url}/app/#/sync"));
    browser.wait_for("id=\"sync-now\"");
    browser.click("#sync-now");
    assert!(
        browser.wait_until(
            "return document.getElementById('pending-count')?.textContent.startsWith('0 ')",
            30
        ),
        "the retry finishes the sync"
    );
    assert_eq!(
        server.count(&format!(
            "SELECT count(*) FROM defect WHERE inspection_id = {working}"
        )),
        5
    );
    assert_eq!(server.count("SELECT count(*) FROM capture_defect"), 5);
    assert_eq!(
        server.count(&format!(
            "SELECT count(*) FROM photo WHERE inspection_id = {working}"
        )),
        2
    );

    // Handed in, the instructor reviews it.
    browser.go(&format!("{url}/app/"));
    browser.wait_for("class=\"inspection-link\"");
    browser.click(".inspection-link");
    browser.wait_for("id=\"submit-inspection\"");
    browser.click("#submit-inspection");
    browser.wait_for("id=\"message\"");
    assert_eq!(server.count("SELECT count(*) FROM submission"), 1);
    browser.screenshot(&shots.join("capture-submitted-390.png"));
    // The same app in English, chosen on the Sending screen.
    browser.go(&format!("{url}/app/#/sync"));
    browser.wait_for("id=\"language\"");
    browser.execute("const s = document.getElementById('language'); s.value = 'en'; s.dispatchEvent(new Event('change'));");
    browser.wait_for("Sending to the server");
    browser.screenshot(&shots.join("capture-sync-390-en.png"));
    browser.go(&format!("{url}/app/"));
    browser.wait_for("class=\"inspection-link\"");
    browser.click(".inspection-link");
    browser.wait_for("id=\"components\"");
    browser.screenshot(&shots.join("capture-inspection-390-en.png"));
    let (desk, _desk_driver, _desk_profile) = open_browser(1366, 900);
    desk.go(&format!("{url}/login"));
    desk.type_into("#username", "claire");
    desk.type_into("#password", "claire-password");
    desk.click("button[type=submit]");
    desk.wait_for("id=\"dashboard-instructor\"");
    desk.go(&format!("{url}/submissions/1"));
    let review = desk.wait_for("CON-EFFLO");
    assert!(
        review.contains("CON-SPALL") && review.contains("CON-REBAR"),
        "the review shows the defects"
    );
    desk.screenshot(&shots.join("capture-review-1366.png"));
    desk.call("DELETE", "", None);
    browser.call("DELETE", "", None);
}

#[test]
fn a_german_course_rates_stability_traffic_safety_and_durability_on_the_phone() {
    if !tools_present() {
        return;
    }
    let folder = tempfile::tempdir().expect("temp");
    let data = folder.path().join("data");
    let book = data.to_str().expect("utf-8");
    run_ok(&["init", book], None);
    let course = std::fs::read_to_string(fixture("course.toml"))
        .expect("course fixture")
        .replace("scheme = \"iqoa\"", "scheme = \"ri-ebw-pruef\"");
    let course_path = folder.path().join("german.toml");
    std::fs::write(&course_path, course).expect("write the course");
    run_ok(
        &[
            "--book",
            book,
            "course",
            "load",
            course_path.to_str().expect("utf-8"),
        ],
        None,
    );
    run_ok(
        &["--book", book, "user", "add", "alice", "--role", "trainee"],
        Some("alice-password"),
    );
    let mut server = Server {
        data: data.clone(),
        port: free_port(),
        process: None,
    };
    server.start();
    let url = server.url();
    let (browser, _driver, _profile) = open_browser(390, 844);
    browser.go(&format!("{url}/login"));
    browser.type_into("#username", "alice");
    browser.type_into("#password", "alice-password");
    browser.click("button[type=submit]");
    browser.wait_for("id=\"open-app\"");
    browser.click("#open-app");
    browser.wait_for("id=\"new-inspection\"");
    browser.click("#create-inspection");
    browser.wait_for("id=\"components\"");
    browser.click("a[data-component='P2']");
    browser.wait_for("id=\"add-defect\"");
    browser.click("#add-defect");
    browser.wait_for("id=\"type-search\"");
    browser.type_into("#type-search", "CON-REBAR");
    browser.click("button[data-type='CON-REBAR']");
    let form = browser.source();
    assert!(
        form.contains("sécurité routière"),
        "the three criteria are named in French"
    );
    browser.click("#severity-S button[data-value='2']");
    browser.click("#severity-V button[data-value='0']");
    browser.click("#severity-D button[data-value='3']");
    browser.click("#extent button[data-value='widespread']");
    browser.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("capture-german-390.png"));
    browser.click("#save-defect");
    browser.wait_for("id=\"add-defect\"");
    browser.go(&format!("{url}/app/#/sync"));
    browser.wait_for("id=\"sync-now\"");
    browser.click("#sync-now");
    assert!(
        browser.wait_until(
            "return document.getElementById('pending-count')?.textContent.startsWith('0 ')",
            30
        ),
        "the defect is acknowledged: {}",
        browser.source()
    );
    assert_eq!(
        server.count(
            "SELECT count(*) FROM defect WHERE severity = 'S2V0D3' AND extent = 'widespread'"
        ),
        1
    );
}
