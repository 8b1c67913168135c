//! Setting up a field book, loading a course, recording and importing
//! defects, grading: the foundation capability.

use crate::util::{fixture, voussoir, Book};

fn new_inspection(book: &Book, extra: &[&str]) -> i64 {
    let mut args = vec![
        "inspection",
        "new",
        "--structure",
        "PONT-LEGUER",
        "--kind",
        "IDP",
        "--inspector",
        "alice",
        "--date",
        "2026-03-12",
    ];
    args.extend_from_slice(extra);
    book.json(&args)["id"].as_i64().expect("inspection id")
}

#[test]
fn init_creates_a_field_book_with_wal_and_media() {
    let book = Book::empty();
    let created = book.json(&["init", book.path_str()]);
    assert_eq!(created["schema_version"], voussoir_store::SCHEMA_VERSION);
    assert!(book.path().join("media").is_dir());
    let mode: String = book
        .database()
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    // A second init refuses and keeps the book.
    let error = book.fails(&["init", book.path_str()]);
    assert!(error.contains("already holds a field book"), "{error}");
}

#[test]
fn commands_find_the_book_from_a_subfolder() {
    let book = Book::with_course();
    let nested = book.path().join("photos/day1");
    std::fs::create_dir_all(&nested).expect("mkdir");
    let output = voussoir()
        .current_dir(&nested)
        .args(["--json", "structure", "list"])
        .output()
        .expect("run");
    assert!(output.status.success());
    let structures: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(structures[0]["code"], "PONT-LEGUER");
}

#[test]
fn without_a_book_the_error_says_how_to_make_one() {
    let dir = tempfile::tempdir().expect("temp");
    let output = voussoir()
        .current_dir(dir.path())
        .args(["structure", "list"])
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("voussoir init"));
}

#[test]
fn the_sample_course_loads_its_bridge_and_components() {
    let book = Book::with_course();
    let structure = book.json(&["structure", "show", "pont-leguer"]);
    assert_eq!(structure["code"], "PONT-LEGUER");
    assert_eq!(structure["kind"], "beam");
    let components = structure["components"].as_array().expect("components");
    assert_eq!(components.len(), 13);
    let codes: Vec<&str> = components
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    for code in [
        "C0", "C3", "P1", "P2", "FND-P1", "FND-P2", "T1", "T2", "T3", "TAB", "AP", "J1", "GC",
    ] {
        assert!(codes.contains(&code), "{code}");
    }
    let foundation = components
        .iter()
        .find(|c| c["code"] == "FND-P1")
        .expect("FND-P1");
    assert_eq!(foundation["underwater"], true);
    assert_eq!(book.count("component"), 13);
    // Loading again updates in place.
    let again = book.json(&[
        "course",
        "load",
        fixture("course.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(again["updated"], true);
    assert_eq!(book.count("component"), 13);
}

#[test]
fn a_broken_course_file_names_the_place_and_changes_nothing() {
    let book = Book::empty();
    book.ok(&["init", book.path_str()]);
    let broken = book.path().join("broken.toml");
    let text = std::fs::read_to_string(fixture("course.toml"))
        .expect("read")
        .replace("kind = \"pier\"", "kind = \"pillar\"");
    std::fs::write(&broken, text).expect("write");
    let error = book.fails(&["course", "load", broken.to_str().expect("utf-8")]);
    assert!(error.contains("component P1"), "{error}");
    assert!(error.contains("unknown component kind `pillar`"), "{error}");
    assert_eq!(book.count("structure"), 0);
}

#[test]
fn a_defect_is_recorded_listed_edited_and_removed() {
    let book = Book::with_course();
    let inspection = new_inspection(&book, &[]);
    let added = book.json(&[
        "defect",
        "add",
        "--component",
        "p1",
        "--type",
        "con-crack",
        "--severity",
        "2e",
        "--extent",
        "some",
        "--crack-width-mm",
        "0.4",
        "--length-m",
        "1.8",
        "--at",
        "48.731005,-3.461208",
        "--note",
        "vertical crack",
    ]);
    assert_eq!(added["component"], "P1");
    assert_eq!(added["type"], "CON-CRACK");
    assert_eq!(added["severity"], "2E");
    assert_eq!(added["crack_width_mm"], 0.4);
    assert_eq!(added["lat"], 48.731005);
    assert_eq!(added["lon"], -3.461208);
    assert_eq!(added["inspection"], inspection);
    let id = added["id"].as_i64().expect("id").to_string();

    let with_photos = book.json(&[
        "defect",
        "edit",
        &id,
        "--photo",
        "DCIM/IMG_0102.JPG",
        "--photo",
        "IMG_0105.JPG",
    ]);
    assert_eq!(
        with_photos["photos"],
        serde_json::json!(["IMG_0102.JPG", "IMG_0105.JPG"])
    );
    let edited = book.json(&["defect", "edit", &id, "--severity", "3", "--clear-position"]);
    assert_eq!(
        edited["photos"],
        serde_json::json!(["IMG_0102.JPG", "IMG_0105.JPG"]),
        "kept when not given"
    );
    assert_eq!(edited["severity"], "3");
    assert_eq!(edited["crack_width_mm"], 0.4);
    assert!(edited["lat"].is_null());

    let listed = book.json(&["defect", "list"]);
    assert_eq!(listed.as_array().expect("list").len(), 1);
    assert_eq!(listed[0]["severity"], "3");

    book.ok(&["defect", "remove", &id]);
    assert_eq!(book.count("defect"), 0);
    let error = book.fails(&["defect", "remove", &id]);
    assert!(error.contains("pas de désordre n° "), "{error}");
}

#[test]
fn bad_defects_are_refused_with_the_fix_and_nothing_is_stored() {
    let book = Book::with_course();
    new_inspection(&book, &[]);
    let error = book.fails(&[
        "defect",
        "add",
        "--component",
        "P9",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
    ]);
    assert!(error.contains("élément « P9 » inconnu"), "{error}");
    assert!(error.contains("C0, P1, FND-P1"), "{error}");
    let error = book.fails(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "7",
    ]);
    assert!(
        error.contains("gravité « 7 » hors du barème IQOA"),
        "{error}"
    );
    assert!(
        error.contains("suivi de S"),
        "the allowed classes in French: {error}"
    );
    let error = book.fails(&[
        "defect",
        "add",
        "--component",
        "C0",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
    ]);
    assert!(error.contains("utilisez MAS-CRACK"), "{error}");
    let error = book.fails(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--at",
        "95,3",
    ]);
    assert!(error.contains("LAT,LON"), "{error}");
    assert_eq!(book.count("defect"), 0);
}

#[test]
fn a_sheet_with_a_bad_row_is_refused_whole_with_its_line_number() {
    let book = Book::with_course();
    new_inspection(&book, &[]);
    let sheet = book.path().join("sheet.csv");
    std::fs::write(
        &sheet,
        "component,type,severity\nP1,CON-CRACK,2\nT1,CON-SPALL,2E\nP9,CON-CRACK,2\n",
    )
    .expect("write");
    let error = book.fails(&["defect", "import", sheet.to_str().expect("utf-8")]);
    assert!(
        error.contains("sheet.csv : ligne 4 : élément « P9 » inconnu"),
        "{error}"
    );
    assert!(error.contains("rien n'a été importé"), "{error}");
    assert_eq!(book.count("defect"), 0);
}

#[test]
fn the_trainee_sheet_in_french_format_imports_whole() {
    let book = Book::with_course();
    let inspection = new_inspection(&book, &[]);
    let imported = book.json(&[
        "defect",
        "import",
        fixture("trainee-alice-defects.csv")
            .to_str()
            .expect("utf-8"),
    ]);
    assert_eq!(imported["imported"], 12);
    assert_eq!(imported["inspection"], inspection);
    let stored: f64 = book
        .database()
        .query_row(
            "SELECT crack_width_mm FROM defect WHERE component_code = 'P1'",
            [],
            |row| row.get(0),
        )
        .expect("P1 crack");
    assert_eq!(stored, 0.3);
}

#[test]
fn the_reference_grades_3u_with_the_safety_mention_and_reasons() {
    let book = Book::with_course();
    let inspection = new_inspection(&book, &["--reference"]);
    book.ok(&[
        "defect",
        "import",
        fixture("reference-defects.csv").to_str().expect("utf-8"),
    ]);
    let grade = book.json(&["grade", "--inspection", &inspection.to_string()]);
    assert_eq!(grade["scheme"], "iqoa");
    assert_eq!(grade["is_reference"], true);
    assert_eq!(grade["structure"]["class"], "3U");
    assert_eq!(grade["structure"]["label"], "3US");
    assert_eq!(grade["structure"]["safety"], true);
    let reasons = grade["structure"]["reasons"].as_array().expect("reasons");
    assert!(reasons
        .iter()
        .any(|r| r.as_str().is_some_and(|r| r.contains("FND-P2"))));
    let components = grade["components"].as_array().expect("components");
    let class_of = |code: &str| {
        components
            .iter()
            .find(|c| c["component"] == code)
            .map(|c| c["class"].as_str().expect("class").to_string())
            .expect("component")
    };
    assert_eq!(class_of("P1"), "2E");
    assert_eq!(class_of("T3"), "1");
    assert_eq!(class_of("GC"), "2");
}

#[test]
fn grading_in_nbi_gives_items_and_good_fair_poor() {
    let book = Book::with_course();
    new_inspection(&book, &[]);
    book.ok(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-SPALL",
        "--severity",
        "2E",
        "--extent",
        "some",
    ]);
    let grade = book.json(&["grade", "--scheme", "nbi"]);
    assert_eq!(grade["scheme"], "nbi");
    let substructure = grade["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["group"] == "substructure")
        .expect("substructure")
        .clone();
    assert_eq!(substructure["class"], "5");
    assert_eq!(grade["structure"]["class"], "fair");
}

#[test]
fn grading_in_the_uk_bci_gives_condition_scores_and_both_indicators() {
    let book = Book::with_course();
    new_inspection(&book, &[]);
    book.ok(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-SPALL",
        "--severity",
        "2E",
        "--extent",
        "some",
    ]);
    let grade = book.json(&["grade", "--scheme", "bci"]);
    assert_eq!(grade["scheme"], "bci");
    let pier = grade["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["component"] == "P1")
        .expect("P1")
        .clone();
    // IQOA 2E is step 3 of the crosswalk, BCI severity 3; "some" is
    // extent C: condition score 3.1.
    assert_eq!(pier["class"], "3.1");
    let reasons = pier["reasons"].to_string();
    assert!(
        reasons.contains("from iqoa 2E via the crosswalk"),
        "{reasons}"
    );
    let group = |code: &str| {
        grade["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["group"] == code)
            .map(|g| g["class"].as_str().expect("class").to_string())
            .expect("group")
    };
    // The pier is critical: BCI 100 - 2 (3.1² + 6.5 × 3.1 - 7.5) = 55.48.
    assert_eq!(group("critical"), "55");
    let average: f64 = group("average").parse().expect("number");
    assert!(average > 55.0 && average < 100.0, "{average}");
    assert!(["very good", "good", "fair"]
        .contains(&grade["structure"]["class"].as_str().expect("class")));
}

#[test]
fn a_german_course_records_s_v_d_and_grades_the_zustandsnote() {
    let book = Book::empty();
    book.ok(&["init", book.path_str()]);
    let course = std::fs::read_to_string(fixture("course.toml"))
        .expect("course fixture")
        .replace("scheme = \"iqoa\"", "scheme = \"ri-ebw-pruef\"");
    let course_path = book.path().join("german-course.toml");
    std::fs::write(&course_path, course).expect("write the course");
    book.ok(&["course", "load", course_path.to_str().expect("utf-8")]);
    new_inspection(&book, &[]);
    book.ok(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-REBAR",
        "--severity",
        "s2 v0 d3",
        "--extent",
        "widespread",
    ]);
    let refused = book.fails(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "S5V0D0",
    ]);
    assert!(refused.contains("S, V et D chacun de 0 à 4"), "{refused}");
    let grade = book.json(&["grade", "--scheme", "ri-ebw-pruef"]);
    assert_eq!(grade["scheme"], "ri-ebw-pruef");
    let pier = grade["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["component"] == "P1")
        .expect("P1")
        .clone();
    // S2 (2.5) outweighs D3 (2.5 too): 2.5, +0.1 for a large extent.
    assert_eq!(pier["class"], "2.6");
    assert_eq!(grade["structure"]["class"], "2.6");
    let reasons = grade["structure"]["reasons"].to_string();
    assert!(reasons.contains("sufficient"), "{reasons}");
    assert!(reasons.contains("unconfirmed"), "{reasons}");
}

#[test]
fn element_level_inspection_splits_the_deck_over_condition_states() {
    let book = Book::empty();
    book.ok(&["init", book.path_str()]);
    let course = std::fs::read_to_string(fixture("course.toml"))
        .expect("course fixture")
        .replace(
            "name = \"Hourdis et tablier\"",
            "name = \"Hourdis et tablier\"\nquantity = 400\nunit = \"m2\"\nfailure_cost = 3",
        );
    let course_path = book.path().join("element-course.toml");
    std::fs::write(&course_path, course).expect("write the course");
    book.ok(&["course", "load", course_path.to_str().expect("utf-8")]);
    new_inspection(&book, &[]);
    book.ok(&[
        "defect",
        "add",
        "--component",
        "TAB",
        "--type",
        "CON-DELAM",
        "--severity",
        "3",
        "--measure",
        "area_m2=40",
    ]);
    let grade = book.json(&["grade", "--scheme", "mbei"]);
    assert_eq!(grade["scheme"], "mbei");
    let deck = grade["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["component"] == "TAB")
        .expect("TAB")
        .clone();
    // IQOA 3 is CS3; 40 of the 400 m² stored with the course.
    assert_eq!(deck["class"], "CS3");
    let reasons = deck["reasons"].to_string();
    assert!(
        reasons.contains("CS1 360 m² · CS2 0 m² · CS3 40 m² · CS4 0 m² of 400 m²"),
        "{reasons}"
    );
    let bhi: f64 = grade["structure"]["class"]
        .as_str()
        .expect("bhi")
        .parse()
        .expect("number");
    assert!(bhi > 90.0 && bhi < 100.0, "{bhi}");
}

#[test]
fn components_not_inspected_are_not_evaluated() {
    let book = Book::with_course();
    new_inspection(&book, &["--not-inspected", "FND-P1,FND-P2"]);
    let shown = book.json(&["inspection", "show"]);
    assert_eq!(
        shown["not_inspected"],
        serde_json::json!(["FND-P1", "FND-P2"])
    );
    let grade = book.json(&["grade"]);
    let foundation = grade["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["component"] == "FND-P2")
        .expect("FND-P2")
        .clone();
    assert_eq!(foundation["class"], "NE");
    assert_eq!(grade["structure"]["class"], "1");
    book.ok(&["inspection", "skip", ""]);
    assert_eq!(book.count("not_inspected"), 0);
}

#[test]
fn the_catalogue_lists_underwater_defects() {
    let book = Book::empty();
    let types = book.json(&[
        "catalogue",
        "--component-kind",
        "foundation",
        "--search",
        "UW-",
    ]);
    let codes: Vec<&str> = types
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["code"].as_str())
        .collect();
    assert!(codes.contains(&"UW-SCOUR"));
    assert!(codes.contains(&"UW-UNDERMINING"));
    assert!(codes.contains(&"UW-MARINE-GROWTH"));
    assert!(codes.contains(&"UW-SECTION-LOSS"));
}

#[test]
fn the_demo_builds_a_graded_field_book_and_can_run_again() {
    let dir = tempfile::tempdir().expect("temp");
    let target = dir.path().join("demo");
    let target_str = target.to_str().expect("utf-8");
    let output = voussoir()
        .args(["--json", "demo", target_str])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let demo: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let inspections = demo["inspections"].as_array().expect("inspections");
    assert_eq!(inspections.len(), 3);
    assert_eq!(inspections[0]["is_reference"], true);
    assert_eq!(inspections[0]["structure"]["label"], "3US");
    // Alice's field data is imported and geotagged.
    let photos = voussoir()
        .args([
            "--json",
            "--book",
            target_str,
            "photo",
            "list",
            "--inspection",
            "2",
        ])
        .output()
        .expect("run");
    let photos: serde_json::Value = serde_json::from_slice(&photos.stdout).expect("json");
    let photos = photos.as_array().expect("photos");
    assert_eq!(photos.len(), 8);
    assert!(photos
        .iter()
        .all(|photo| photo["position_source"] != "none"));
    assert_eq!(
        photos
            .iter()
            .filter(|photo| photo["underwater"] == true)
            .count(),
        2
    );
    // Running it again rebuilds the same folder.
    let again = voussoir().args(["demo", target_str]).output().expect("run");
    assert!(again.status.success());
    // A folder holding other work is refused.
    let other = dir.path().join("mine");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::write(other.join("notes.txt"), "mine").expect("write");
    let refused = voussoir()
        .args(["demo", other.to_str().expect("utf-8")])
        .output()
        .expect("run");
    assert!(!refused.status.success());
    assert!(other.join("notes.txt").is_file());
}

#[test]
fn trainee_accounts_are_made_from_the_course_file() {
    let book = Book::with_course();
    let accounts = book.json(&["user", "add-trainees"]);
    let names: Vec<&str> = accounts
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|account| account["user"].as_str())
        .collect();
    assert_eq!(names, vec!["alice", "bob"]);
    assert!(accounts[0]["password"].as_str().expect("password").len() >= 12);
    // Running it again makes nobody twice.
    let again = book.json(&["user", "add-trainees"]);
    assert_eq!(again.as_array().expect("accounts").len(), 0);
    let stored: String = book
        .database()
        .query_row(
            "SELECT password_hash FROM user WHERE name = 'alice'",
            [],
            |row| row.get(0),
        )
        .expect("alice");
    assert!(stored.starts_with("$argon2id$"), "only the hash is stored");
}

#[test]
fn agreement_measures_the_trainees_against_the_reference() {
    let dir = tempfile::tempdir().expect("temp");
    let target = dir.path().join("demo");
    let target_str = target.to_str().expect("utf-8");
    assert!(voussoir()
        .args(["-q", "demo", target_str])
        .status()
        .expect("run")
        .success());
    let output = voussoir()
        .args(["--json", "--book", target_str, "agreement"])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let agreement: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let trainees = agreement["trainees"].as_array().expect("trainees");
    assert_eq!(trainees.len(), 2);
    for trainee in trainees {
        let kappa = trainee["weighted_kappa"].as_f64().expect("kappa");
        assert!((-1.0..=1.0).contains(&kappa), "{kappa}");
    }
    assert_eq!(
        agreement["components"]
            .as_array()
            .expect("components")
            .len(),
        13
    );
    assert!(agreement["icc_2_1"].is_number());
    let compared = voussoir()
        .args([
            "--json",
            "--book",
            target_str,
            "compare",
            "--inspection",
            "2",
        ])
        .output()
        .expect("run");
    let comparison: serde_json::Value = serde_json::from_slice(&compared.stdout).expect("json");
    assert_eq!(comparison["reference"], 1);
    assert_eq!(comparison["metrics"]["reference_defects"], 13);
    assert_eq!(comparison["metrics"]["matched"], 11);
    assert_eq!(comparison["mark"]["suggested"], 14.0);
}

#[test]
fn own_grades_are_recorded_checked_and_scored_against_the_reference() {
    let book = Book::with_course();
    let reference = new_inspection(&book, &["--reference"]);
    book.ok(&[
        "defect",
        "add",
        "--inspection",
        &reference.to_string(),
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2E",
    ]);
    let trainee = new_inspection(&book, &[]);
    let id = trainee.to_string();
    book.ok(&[
        "defect",
        "add",
        "--inspection",
        &id,
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
    ]);
    // A bad target or class refuses the whole command and stores nothing.
    let error = book.fails(&["grade", "set", "--inspection", &id, "structure=2E", "P9=2"]);
    assert!(error.contains("P9") && error.contains("C0, P1"), "{error}");
    let error = book.fails(&["grade", "set", "--inspection", &id, "P1=4"]);
    assert!(error.contains("n'est pas une classe de IQOA"), "{error}");
    assert_eq!(book.count("own_grade"), 0);
    // Good ones are kept, with what the defects imply beside them.
    let text = book.ok(&["grade", "set", "--inspection", &id, "structure=2e", "p1=2E"]);
    assert!(text.contains("P1: 2E (your defects imply 2)"), "{text}");
    let compared = book.json(&["compare", "--inspection", &id]);
    assert_eq!(compared["structure_grade"]["trainee"], "2E");
    assert_eq!(compared["structure_grade"]["trainee_source"], "own");
    let p1 = compared["component_grades"]
        .as_array()
        .expect("grades")
        .iter()
        .find(|grade| grade["code"] == "P1")
        .expect("P1")
        .clone();
    assert_eq!(p1["trainee"], "2E");
    assert_eq!(p1["trainee_computed"], "2");
    assert_eq!(p1["difference"], 0);
}

#[test]
fn the_instructor_overrides_a_reference_grade_with_a_reason_and_weights_the_rubric() {
    let book = Book::with_course();
    // The course sets its own rubric: grades weigh 8 of 20.
    let course = std::fs::read_to_string(fixture("course.toml")).expect("read");
    let weighted = book.path().join("weighted.toml");
    std::fs::write(
        &weighted,
        format!("{course}\n[rubric]\nfindings = 8\nseverity = 4\ngrades = 8\n"),
    )
    .expect("write");
    book.ok(&["course", "load", weighted.to_str().expect("utf-8")]);
    let reference = new_inspection(&book, &["--reference"]).to_string();
    book.ok(&[
        "defect",
        "add",
        "--inspection",
        &reference,
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
    ]);
    // An override without a reason is refused; with one it is kept.
    let error = book.fails(&["grade", "set", "--inspection", &reference, "P1=3"]);
    assert!(error.contains("--reason"), "{error}");
    book.ok(&[
        "grade",
        "set",
        "--inspection",
        &reference,
        "P1=3",
        "--reason",
        "the crack runs through the bearing zone",
    ]);
    let trainee = new_inspection(&book, &[]).to_string();
    book.ok(&[
        "defect",
        "add",
        "--inspection",
        &trainee,
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
    ]);
    let compared = book.json(&["compare", "--inspection", &trainee]);
    let p1 = compared["component_grades"]
        .as_array()
        .expect("grades")
        .iter()
        .find(|grade| grade["code"] == "P1")
        .expect("P1")
        .clone();
    assert_eq!(p1["reference"], "3");
    assert_eq!(p1["reference_computed"], "2");
    assert_eq!(
        p1["reference_reason"],
        "the crack runs through the bearing zone"
    );
    assert_eq!(p1["difference"], -2, "2 is two steps below 3 (2E between)");
    assert_eq!(compared["mark"]["rubric"]["grades"], 8.0);
    let text = book.ok(&["compare", "--inspection", &trainee]);
    assert!(
        text.contains("fixée par le formateur (ses désordres donnent 2) : the crack runs through"),
        "{text}"
    );
    // A typed measurement the type does not take is refused, with those it takes.
    let error = book.fails(&[
        "defect",
        "add",
        "--inspection",
        &trainee,
        "--component",
        "C0",
        "--type",
        "MAS-SPLIT",
        "--measure",
        "crack_width_mm=0.3",
    ]);
    assert!(
        error.contains("ne prend pas de mesure crack_width_mm ; ses mesures : count, area_m2"),
        "{error}"
    );
    book.ok(&[
        "defect",
        "add",
        "--inspection",
        &trainee,
        "--component",
        "C0",
        "--type",
        "MAS-SPLIT",
        "--measure",
        "count=4",
    ]);
}

#[test]
fn a_sheet_imported_twice_is_not_doubled_and_replace_starts_over() {
    let book = Book::with_course();
    new_inspection(&book, &[]);
    let sheet = fixture("trainee-alice-defects.csv");
    let sheet = sheet.to_str().expect("utf-8");
    let first = book.json(&["defect", "import", sheet]);
    assert_eq!(first["imported"], 12);
    assert_eq!(first["grades"], 5, "the sheet's GRADE rows");
    let text = book.ok(&["defect", "import", sheet]);
    assert!(text.contains("already in inspection"), "{text}");
    assert_eq!(book.count("defect"), 12);
    let replaced = book.json(&["defect", "import", "--replace", sheet]);
    assert_eq!(replaced["replaced"], 12);
    assert_eq!(book.count("defect"), 12);
}

#[test]
fn a_read_only_field_book_can_be_read() {
    let book = Book::with_course();
    new_inspection(&book, &[]);
    book.ok(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
    ]);
    let database = book.path().join("voussoir.db");
    // Settle the write-ahead log into the file before it turns read-only.
    book.database()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    let mut permissions = std::fs::metadata(&database)
        .expect("metadata")
        .permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&database, permissions).expect("chmod");
    let listed = book.ok(&["defect", "list"]);
    assert!(listed.contains("CON-CRACK"), "{listed}");
    let error = book.fails(&[
        "defect",
        "add",
        "--component",
        "P1",
        "--type",
        "CON-CRACK",
        "--severity",
        "2",
    ]);
    assert!(
        error.to_lowercase().contains("readonly") || error.contains("read-only"),
        "{error}"
    );
}

#[test]
fn a_course_file_gives_the_map_its_background_layers() {
    let book = Book::empty();
    book.ok(&["init", book.path_str()]);
    let course = std::fs::read_to_string(fixture("course.toml")).expect("read");
    let folder = book.path().join("course");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(
        folder.join("berges.geojson"),
        r#"{"type":"LineString","coordinates":[[-3.4620,48.7308],[-3.4600,48.7309]]}"#,
    )
    .expect("write");
    std::fs::write(
        folder.join("course.toml"),
        format!("{course}\n[map]\n[[map.layers]]\nname = \"Berges du Léguer\"\nfile = \"berges.geojson\"\n"),
    )
    .expect("write");
    let file = folder.join("course.toml");
    book.ok(&["course", "load", file.to_str().expect("utf-8")]);
    let stored: String = book
        .database()
        .query_row("SELECT map FROM course", [], |row| row.get(0))
        .expect("map");
    assert!(
        stored.contains("Berges du Léguer") && stored.contains("LineString"),
        "{stored}"
    );
    // A layer that is not GeoJSON is refused with the file named.
    std::fs::write(folder.join("berges.geojson"), "not json").expect("write");
    let error = book.fails(&["course", "load", file.to_str().expect("utf-8")]);
    assert!(
        error.contains("berges.geojson") && error.contains("n'est pas du JSON"),
        "{error}"
    );
}
