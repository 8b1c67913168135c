//! The command line as a new user meets it: help and errors that say what
//! to do, numbers and positions typed the way people type them, output
//! piped to other tools, completions and the manual page (issue 8).

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::util::{voussoir, Book};

fn book_with_inspection() -> Book {
    let book = Book::with_course();
    book.ok(&[
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
        "--date",
        "2026-03-12",
    ]);
    book
}

fn add_defect(extra: &[&str]) -> String {
    let book = book_with_inspection();
    let mut args = vec!["defect", "add", "--component", "P1", "--type", "CON-CRACK"];
    args.extend_from_slice(extra);
    book.fails(&args)
}

#[test]
fn a_negative_measurement_is_refused_by_the_checks_not_the_parser() {
    let error = add_defect(&["--crack-width-mm", "-1"]);
    assert!(!error.contains("unexpected argument"), "{error}");
    assert!(error.contains("crack"), "{error}");
}

#[test]
fn a_position_typed_with_a_space_is_read_as_latitude_then_longitude() {
    let book = book_with_inspection();
    let added = book.json(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--at",
        "48.731",
        "-3.4612",
    ]);
    assert_eq!(added["lat"], 48.731);
    assert_eq!(added["lon"], -3.4612);
}

#[test]
fn a_latitude_out_of_range_is_called_out_of_range() {
    let error = add_defect(&["--at", "148,-3.46"]);
    // The fixture course is French: so are its errors.
    assert!(
        error.contains("la latitude 148 est hors limites"),
        "{error}"
    );
}

#[test]
fn a_misspelt_defect_type_suggests_the_right_one() {
    let book = book_with_inspection();
    let error = book.fails(&["defect", "add", "--component", "P1", "--type", "CON-CRAK"]);
    assert!(error.contains("CON-CRACK"), "{error}");
}

#[test]
fn an_inspection_dated_in_the_future_is_refused() {
    let book = Book::with_course();
    let error = book.fails(&[
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
        "--date",
        "2036-03-12",
    ]);
    assert!(error.contains("est dans le futur"), "{error}");
    assert_eq!(book.count("inspection"), 0);
}

#[test]
fn output_piped_into_a_reader_that_stops_early_ends_quietly() {
    // More than a pipe holds (64 KiB), so the writer meets the closed end.
    let mut child = voussoir()
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
        assert!(!first.is_empty());
        // Dropping the reader closes the pipe, as `head -1` does.
    }
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(output.status.success(), "{stderr}");
}

#[test]
fn completions_and_the_manual_page_come_from_the_same_definitions() {
    let book = Book::empty();
    for shell in ["bash", "zsh", "fish"] {
        let script = book.ok(&["completions", shell]);
        assert!(script.contains("geotag"), "{shell}: {script}");
        assert!(script.contains("crack-width-mm"), "{shell}");
    }
    let man = book.ok(&["man"]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH voussoir"),
        "{man}"
    );
    assert!(man.contains("bridge"), "{man}");
}

#[test]
fn the_demo_leaves_alices_inspection_current_for_a_newcomer_to_explore() {
    let book = Book::empty();
    let dir = book.path().join("demo");
    book.ok(&["demo", dir.to_str().expect("utf-8")]);
    let json = |args: &[&str]| -> serde_json::Value {
        let output = voussoir()
            .arg("--book")
            .arg(&dir)
            .arg("--json")
            .args(args)
            .output()
            .expect("run");
        assert!(output.status.success(), "{args:?}");
        serde_json::from_slice(&output.stdout).expect("json")
    };
    let inspections = json(&["inspection", "list"]);
    let current: Vec<&serde_json::Value> = inspections
        .as_array()
        .expect("list")
        .iter()
        .filter(|inspection| inspection["current"] == true)
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["inspector"], "alice");
    let photos = json(&["photo", "list"]);
    assert!(!photos.as_array().expect("photos").is_empty());
}

/// A self-signed certificate for 127.0.0.1 made by the openssl command,
/// when it is installed.
fn self_signed(folder: &std::path::Path) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let certificate = folder.join("cert.pem");
    let key = folder.join("key.pem");
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&certificate)
        .output()
        .is_ok_and(|output| output.status.success());
    made.then_some((certificate, key))
}

#[test]
fn serve_speaks_https_with_the_given_certificate() {
    let folder = tempfile::tempdir().expect("temp");
    let Some((certificate, key)) = self_signed(folder.path()) else {
        eprintln!("SKIPPED: openssl is not installed; HTTPS not checked");
        return;
    };
    let curl_present = std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_ok();
    if !curl_present {
        eprintln!("SKIPPED: curl is not installed; HTTPS not checked");
        return;
    }
    let book = Book::with_course();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("port");
    let mut server = voussoir()
        .arg("--book")
        .arg(book.path())
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--tls-cert",
        ])
        .arg(&certificate)
        .arg("--tls-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut first = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("first line");
    assert!(
        first.contains(&format!("https://127.0.0.1:{port}/app/")),
        "{first}"
    );
    let output = std::process::Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{ssl_verify_result}",
            "--cacert",
        ])
        .arg(&certificate)
        .arg(format!("https://127.0.0.1:{port}/app/"))
        .output()
        .expect("curl");
    let _ = server.kill();
    let _ = server.wait();
    let answer = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        answer, "200 0",
        "the app over HTTPS, the certificate verified"
    );
}

#[test]
fn api_tokens_are_created_listed_and_revoked_without_showing_their_secret() {
    let book = Book::with_course();
    let run = |args: &[&str]| {
        let output = voussoir()
            .args(["--book", book.path_str()])
            .args(args)
            .env("VOUSSOIR_PASSWORD", "long enough password")
            .output()
            .expect("run");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(&["user", "add", "alice", "--role", "trainee"]);
    let created: serde_json::Value = serde_json::from_str(&run(&[
        "--json", "token", "create", "alice", "--label", "laptop", "--days", "30",
    ]))
    .expect("json");
    let secret = created["token"].as_str().expect("token").to_string();
    let listed = run(&["token", "list"]);
    assert!(
        listed.contains("laptop") && listed.contains("alice"),
        "{listed}"
    );
    assert!(!listed.contains(&secret), "the secret is never listed");
    let id = created["id"].as_i64().expect("id").to_string();
    assert!(run(&["token", "revoke", &id]).contains("Revoked"));
    assert!(run(&["token", "list"]).contains("No API token"));
}

#[test]
fn the_course_report_counts_each_trainee_once_and_speaks_the_course_language() {
    let book = Book::empty();
    let dir = book.path().join("demo");
    book.ok(&["demo", dir.to_str().expect("utf-8")]);
    let run = |args: &[&str]| {
        let output = voussoir()
            .arg("--book")
            .arg(&dir)
            .args(args)
            .output()
            .expect("run");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let report: serde_json::Value =
        serde_json::from_slice(&run(&["--json", "report", "course"])).expect("json");
    let structure = &report[0];
    assert_eq!(structure["trainees"], 2);
    assert_eq!(structure["defects"].as_array().map(Vec::len), Some(13));
    let people = structure["people"].as_array().expect("people");
    let mut ranks: Vec<u64> = people.iter().filter_map(|p| p["rank"].as_u64()).collect();
    ranks.sort_unstable();
    assert_eq!(ranks, vec![1, 2]);
    // Full precision in JSON: shares are not rounded.
    assert!(people.iter().all(|p| p["detection"].is_f64()));
    // Alice inspects again: she is still one trainee.
    run(&[
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
        "--inspector",
        "alice",
    ]);
    let again: serde_json::Value =
        serde_json::from_slice(&run(&["--json", "report", "course"])).expect("json");
    assert_eq!(again[0]["trainees"], 2, "{again}");
    let text = String::from_utf8(run(&["report", "course"])).expect("utf-8");
    assert!(text.contains("Bilan de la formation"), "{text}");
    assert!(
        text.contains("stagiaire(s), chacun compté une fois"),
        "{text}"
    );
    // The same figures in an XLSX workbook, read back by openpyxl.
    let workbook = book.path().join("course-report.xlsx");
    let csv = book.path().join("course-report.csv");
    run(&[
        "report",
        "course",
        "--xlsx",
        workbook.to_str().expect("utf-8"),
        "--csv",
        csv.to_str().expect("utf-8"),
    ]);
    assert!(std::fs::read(&csv)
        .expect("csv")
        .starts_with("\u{feff}".as_bytes()));
    let python = ["/usr/bin/python3", "python3"].into_iter().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|output| output.status.success())
    });
    match python {
        None => eprintln!("skipped: the XLSX check needs Python's openpyxl (CI installs it)"),
        Some(python) => {
            let script = format!(
                "import openpyxl, json\nbook = openpyxl.load_workbook({:?})\nprint(json.dumps({{s.title: [[c for c in row] for row in s.iter_rows(values_only=True)] for s in book.worksheets}}, default=str))",
                workbook.to_str().expect("utf-8")
            );
            let output = std::process::Command::new(python)
                .args(["-c", &script])
                .output()
                .expect("run python");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let sheets: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
            let titles: Vec<&String> = sheets.as_object().expect("sheets").keys().collect();
            assert_eq!(titles.len(), 3, "{titles:?}");
            let trainees = &sheets["Stagiaires"];
            assert_eq!(trainees[0][1], "Stagiaire");
            let rows = trainees.as_array().expect("rows");
            assert_eq!(rows.len(), 3, "a title row and each trainee once");
            for person in again[0]["people"].as_array().expect("people") {
                let row = rows
                    .iter()
                    .find(|row| row[1] == person["trainee"])
                    .expect("the trainee's row");
                assert_eq!(
                    row[3].as_f64(),
                    person["detection"].as_f64(),
                    "numbers as numbers, full precision"
                );
                assert_eq!(row[2].as_u64(), person["rank"].as_u64());
            }
            // Sheet names are cut at Excel's 31 characters.
            let defects = sheets["Désordres de la référence trouv"]
                .as_array()
                .expect("defects");
            assert_eq!(
                defects.len(),
                14,
                "a title row and the 13 reference defects"
            );
        }
    }
    let refused = voussoir()
        .arg("--book")
        .arg(&dir)
        .args(["report", "course", "--threshold", "3"])
        .output()
        .expect("run");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--threshold"));
}

#[test]
fn a_simulated_class_of_twenty_is_recovered_by_the_course_report() {
    let book = Book::empty();
    let dir = book.path().join("demo");
    let built = book.ok(&["demo", dir.to_str().expect("utf-8"), "--class", "20"]);
    assert!(built.contains("simulated-class.json"), "{built}");
    let planted: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("simulated-class.json")).expect("what was planted"),
    )
    .expect("json");
    let trainees = planted["trainees"].as_array().expect("trainees");
    assert_eq!(trainees.len(), 20);
    let output = voussoir()
        .arg("--book")
        .arg(&dir)
        .args(["--json", "report", "course"])
        .output()
        .expect("run");
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let structure = &report[0];
    assert_eq!(structure["trainees"], 22, "Alice, Bob and twenty simulated");
    // Each reference defect: exactly the simulated trainees planted as
    // finding it (Alice and Bob aside).
    for defect in structure["defects"].as_array().expect("defects") {
        let id = defect["id"].as_i64().expect("id");
        let mut reported: Vec<&str> = defect["found_by"]
            .as_array()
            .expect("found by")
            .iter()
            .filter_map(|name| name.as_str())
            .filter(|name| name.starts_with("sim-"))
            .collect();
        reported.sort_unstable();
        let expected: Vec<&str> = trainees
            .iter()
            .filter(|trainee| {
                trainee["found"]
                    .as_array()
                    .expect("found")
                    .iter()
                    .any(|found| found.as_i64() == Some(id))
            })
            .filter_map(|trainee| trainee["name"].as_str())
            .collect();
        assert_eq!(reported, expected, "defect #{id}");
    }
    // Each simulated trainee's planted bias lies within the interval the
    // report gives, and the leaning says which way.
    let people = structure["people"].as_array().expect("people");
    for trainee in trainees {
        let name = trainee["name"].as_str().expect("name");
        let bias = trainee["bias"].as_f64().expect("bias");
        let figures = people
            .iter()
            .find(|person| person["trainee"] == name)
            .expect("in the report");
        let interval = figures["bias_interval"].as_array().expect("interval");
        let (low, high) = (
            interval[0].as_f64().expect("low"),
            interval[1].as_f64().expect("high"),
        );
        assert!(
            low - 1e-9 <= bias && bias <= high + 1e-9,
            "{name}: planted {bias}, interval {low}..{high}"
        );
        if bias != 0.0 {
            let leaning = if bias < 0.0 { "lenient" } else { "harsh" };
            assert_eq!(figures["leaning"], leaning, "{name}");
        }
    }
}
