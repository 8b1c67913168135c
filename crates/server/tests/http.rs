//! In-process HTTP tests: every route for anonymous, trainee A, trainee B
//! and the instructor, CSRF, uploads and their cap, bad bundles, media by
//! hash, login rate limiting. Requests go through `router().oneshot()`.

mod support;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use tower::ServiceExt;

use voussoir_core::model::{Defect, InspectionKind, Measurements};
use voussoir_core::Course;
use voussoir_core::Photo;
use voussoir_server::auth::{hash_password, token_hash};
use voussoir_server::{router, AppState, ServerConfig};
use voussoir_store::{FieldBook, MediaKind, NewInspection, Role};

const PASSWORD: &str = "correct horse battery";

struct World {
    _dir: tempfile::TempDir,
    state: AppState,
    photo_a: String,
    photo_b: String,
    photo_reference: String,
}

fn defect(component: &str, type_code: &str, severity: &str) -> Defect {
    Defect {
        id: 0,
        component: component.to_string(),
        type_code: type_code.to_string(),
        severity: Some(severity.to_string()),
        extent: None,
        measurements: Measurements::default(),
        position: None,
        note: Some("<b>note</b>".to_string()),
        photos: Vec::new(),
    }
}

fn inspection(book: &mut FieldBook, inspector: &str, reference: bool, defects: &[Defect]) -> i64 {
    let inspection = book
        .new_inspection(&NewInspection {
            structure: "PONT-LEGUER".to_string(),
            kind: InspectionKind::DetailedPeriodic,
            inspector: Some(inspector.to_string()),
            date: None,
            weather: None,
            is_reference: reference,
            not_inspected: Vec::new(),
        })
        .expect("inspection");
    book.add_defects(inspection.id, defects).expect("defects");
    inspection.id
}

fn photo(book: &mut FieldBook, inspection: i64, fill: char) -> String {
    let hash: String = std::iter::repeat_n(fill, 64).collect();
    let jpeg = [0xFF, 0xD8, fill as u8, 0xFF, 0xD9];
    let thumbnail = book
        .media()
        .write(&hash, MediaKind::Thumbnail, &jpeg)
        .expect("media");
    let review = book
        .media()
        .write(&hash, MediaKind::Review, &jpeg)
        .expect("media");
    book.insert_photo(&Photo {
        hash: hash.clone(),
        inspection_id: Some(inspection),
        file: format!("IMG_{fill}.JPG"),
        format: "JPEG".to_string(),
        placed: true,
        thumbnail: Some(thumbnail),
        review: Some(review),
        ..Photo::default()
    })
    .expect("photo");
    hash
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp");
    let mut book = FieldBook::init(dir.path()).expect("init");
    let course = Course::from_toml(include_str!("../../../fixtures/course.toml")).expect("course");
    book.load_course(&course).expect("load");
    let reference = inspection(
        &mut book,
        "claire",
        true,
        &[
            defect("P1", "CON-CRACK", "2E"),
            defect("T1", "CON-SPALL", "3"),
        ],
    );
    let a = inspection(&mut book, "alice", false, &[defect("P1", "CON-CRACK", "2")]);
    let b = inspection(&mut book, "bob", false, &[defect("T1", "CON-SPALL", "3")]);
    let photo_reference = photo(&mut book, reference, 'c');
    let photo_a = photo(&mut book, a, 'a');
    let photo_b = photo(&mut book, b, 'b');
    let hash = hash_password(PASSWORD).expect("hash");
    let claire = book
        .add_user("claire", Role::Instructor, &hash, None)
        .expect("user");
    let alice = book
        .add_user("alice", Role::Trainee, &hash, None)
        .expect("user");
    let bob = book
        .add_user("bob", Role::Trainee, &hash, None)
        .expect("user");
    book.add_submission(alice.id, "PONT-LEGUER", a, Some(12.0))
        .expect("submission");
    book.add_submission(bob.id, "PONT-LEGUER", b, Some(10.0))
        .expect("submission");
    for (user, token) in [
        (&claire, "token-claire"),
        (&alice, "token-alice"),
        (&bob, "token-bob"),
    ] {
        book.create_api_token(user.id, &token_hash(token), None, "2999-01-01T00:00:00Z")
            .expect("token");
    }
    drop(book);
    let mut config = ServerConfig::new(dir.path().to_path_buf());
    config.max_upload_bytes = 5_000_000;
    let state = AppState::open(config).expect("state");
    World {
        _dir: dir,
        state,
        photo_a,
        photo_b,
        photo_reference,
    }
}

fn app(world: &World) -> Router {
    router(world.state.clone()).layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4242))))
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(world: &World, request: Request<Body>) -> Answer {
    let response = app(world).oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A logged-in browser: its cookie and the CSRF token of its pages.
#[derive(Clone, Default)]
struct Browser {
    cookie: Option<String>,
    csrf: String,
}

/// A login post as the browser sends it: the form's token with its cookie.
async fn login_request(world: &World, name: &str, password: &str) -> Request<Body> {
    let form = send(
        world,
        Request::get("/login").body(Body::empty()).expect("request"),
    )
    .await;
    let (cookie, token) = support::login_form(&form.headers, &form.body);
    Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!(
            "username={name}&password={}&csrf={token}",
            password.replace(' ', "+")
        )))
        .expect("request")
}

async fn log_in(world: &World, name: &str) -> Browser {
    let request = login_request(world, name, PASSWORD).await;
    let answer = send(world, request).await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "login of {name}: {}",
        answer.body
    );
    let set_cookie = answer.headers[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let cookie = set_cookie.split(';').next().expect("pair").to_string();
    let mut browser = Browser {
        cookie: Some(cookie),
        csrf: String::new(),
    };
    let page = get(world, &browser, "/dashboard").await;
    browser.csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("csrf token in the page")
        .to_string();
    browser
}

async fn get(world: &World, browser: &Browser, uri: &str) -> Answer {
    let mut request = Request::get(uri);
    if let Some(cookie) = &browser.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(world, request.body(Body::empty()).expect("request")).await
}

async fn post_form(
    world: &World,
    browser: &Browser,
    uri: &str,
    form: &str,
    origin: Option<&str>,
) -> Answer {
    let mut request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "voussoir.test");
    if let Some(cookie) = &browser.cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    send(
        world,
        request.body(Body::from(form.to_string())).expect("request"),
    )
    .await
}

#[tokio::test]
async fn every_route_answers_each_role_as_it_should() {
    let world = world();
    let anonymous = Browser::default();
    let claire = log_in(&world, "claire").await;
    let alice = log_in(&world, "alice").await;
    let bob = log_in(&world, "bob").await;
    let (a, b, c) = (&world.photo_a, &world.photo_b, &world.photo_reference);
    let media = |hash: &str| format!("/media/{hash}/thumb");

    // (route, anonymous, alice, bob, claire)
    let table: Vec<(String, u16, u16, u16, u16)> = vec![
        ("/".into(), 303, 303, 303, 303),
        ("/login".into(), 200, 303, 303, 303),
        ("/dashboard".into(), 401, 200, 200, 200),
        ("/submit".into(), 401, 200, 200, 403),
        ("/submissions/1".into(), 401, 200, 404, 200),
        ("/submissions/2".into(), 401, 404, 200, 200),
        ("/submissions/99".into(), 401, 404, 404, 404),
        ("/results.csv".into(), 401, 403, 403, 200),
        ("/agreement".into(), 401, 403, 403, 200),
        ("/api/submissions".into(), 401, 200, 200, 200),
        ("/api/submissions/1".into(), 401, 200, 404, 200),
        ("/api/submissions/2".into(), 401, 404, 200, 200),
        (media(a), 401, 200, 404, 200),
        (media(b), 401, 404, 200, 200),
        (media(c), 401, 404, 404, 200),
        (format!("/media/{a}/original"), 401, 404, 404, 404),
        (
            "/media/..%2F..%2Fvoussoir.db/thumb".into(),
            401,
            404,
            404,
            404,
        ),
    ];
    for (route, expected_anonymous, expected_alice, expected_bob, expected_claire) in table {
        for (who, browser, expected) in [
            ("anonymous", &anonymous, expected_anonymous),
            ("alice", &alice, expected_alice),
            ("bob", &bob, expected_bob),
            ("claire", &claire, expected_claire),
        ] {
            let answer = get(&world, browser, &route).await;
            assert_eq!(
                answer.status.as_u16(),
                expected,
                "{who} GET {route}: {}",
                answer.body
            );
        }
    }

    // A trainee's lists hold only their own submissions.
    let listed: serde_json::Value =
        serde_json::from_str(&get(&world, &alice, "/api/submissions").await.body).expect("json");
    assert_eq!(listed.as_array().expect("list").len(), 1);
    assert_eq!(listed[0]["trainee"], "alice");
    let all: serde_json::Value =
        serde_json::from_str(&get(&world, &claire, "/api/submissions").await.body).expect("json");
    assert_eq!(all.as_array().expect("list").len(), 2);
    let dashboard = get(&world, &alice, "/dashboard").await.body;
    assert!(
        !dashboard.contains(">bob<"),
        "alice's dashboard must not show bob"
    );

    // The comparison (which reveals the reference) is for instructors only.
    let mine: serde_json::Value =
        serde_json::from_str(&get(&world, &alice, "/api/submissions/1").await.body).expect("json");
    assert!(mine["comparison"].is_null() && mine["reference"].is_null());
    let page = get(&world, &alice, "/submissions/1").await.body;
    assert!(!page.contains("id=\"comparison\""));
    let reviewed: serde_json::Value =
        serde_json::from_str(&get(&world, &claire, "/api/submissions/1").await.body).expect("json");
    assert_eq!(reviewed["comparison"]["metrics"]["matched"], 1);
    assert_eq!(
        reviewed["comparison"]["missed"]
            .as_array()
            .expect("missed")
            .len(),
        1
    );
    // Asked before the server has its first report, the page says it is
    // being prepared and reloads itself; then it holds the report.
    let mut report = get(&world, &claire, "/course-report").await;
    for _ in 0..100 {
        if !report.body.contains("id=\"course-report-preparing\"") {
            break;
        }
        assert_eq!(report.headers["refresh"], "2");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        report = get(&world, &claire, "/course-report").await;
    }
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("id=\"course-report\"") && report.body.contains("Alice Le Goff"));
    assert!(
        report.body.contains("<svg class=\"bars\""),
        "grades drawn as bars"
    );
    let csv = get(&world, &claire, "/course-report.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "French Excel's dialect");
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    assert!(rows.records().count() >= 2, "{}", csv.body);
    let workbook = get(&world, &claire, "/course-report.xlsx").await;
    assert_eq!(workbook.status, StatusCode::OK);
    assert!(workbook.body.starts_with("PK"), "an XLSX is a zip");
    assert_ne!(
        get(&world, &alice, "/course-report.xlsx").await.status,
        StatusCode::OK
    );
    assert_ne!(
        get(&world, &alice, "/course-report").await.status,
        StatusCode::OK
    );
    let agreement = get(&world, &claire, "/agreement").await.body;
    assert!(
        agreement.contains("Fleiss")
            && agreement.contains("Alice Le Goff")
            && agreement.contains("Bob Riou")
    );
    let page = get(&world, &claire, "/submissions/1").await.body;
    assert!(page.contains("id=\"comparison\""));
    assert!(page.contains("<svg"), "the map is drawn");
    // User text is escaped.
    assert!(page.contains("&lt;b&gt;note&lt;/b&gt;") && !page.contains("<b>note</b>"));

    // Bearer tokens work for the API.
    let answer = send(
        &world,
        Request::get("/api/submissions")
            .header(header::AUTHORIZATION, "Bearer token-bob")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let answer = send(
        &world,
        Request::get("/api/submissions")
            .header(header::AUTHORIZATION, "Bearer forged")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    // A wrong token says so and how to get another, not "log in first".
    assert!(
        answer.body.contains("API token is not valid"),
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains("voussoir token create"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn feedback_needs_an_instructor_and_the_form_token() {
    let world = world();
    let claire = log_in(&world, "claire").await;
    let alice = log_in(&world, "alice").await;
    let form = |csrf: &str| {
        format!("csrf={csrf}&comment=Bien+vu+P1&defect_3=largeur+%C3%A0+revoir&final_mark=13.5&decision=return")
    };

    // No token, a wrong token, a foreign origin: refused.
    let answer = post_form(
        &world,
        &claire,
        "/submissions/1/feedback",
        "comment=x&decision=accept",
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = post_form(
        &world,
        &claire,
        "/submissions/1/feedback",
        &form("0000"),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = post_form(
        &world,
        &claire,
        "/submissions/1/feedback",
        &form(&claire.csrf),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // A trainee with a valid token still may not mark.
    let answer = post_form(
        &world,
        &alice,
        "/submissions/1/feedback",
        &form(&alice.csrf),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // Anonymous: not logged in.
    let answer = post_form(
        &world,
        &Browser::default(),
        "/submissions/1/feedback",
        &form("x"),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);

    let answer = post_form(
        &world,
        &claire,
        "/submissions/1/feedback",
        &form(&claire.csrf),
        Some("http://voussoir.test"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let seen: serde_json::Value =
        serde_json::from_str(&get(&world, &alice, "/api/submissions/1").await.body).expect("json");
    assert_eq!(seen["submission"]["status"], "returned");
    assert_eq!(seen["submission"]["final_mark"], 13.5);
    assert_eq!(seen["submission"]["feedback"], "Bien vu P1");
    assert_eq!(
        seen["submission"]["defect_comments"][0][1],
        "largeur à revoir"
    );
    let page = get(&world, &alice, "/submissions/1").await.body;
    assert!(page.contains("Bien vu P1") && page.contains("largeur à revoir"));

    let results = get(&world, &claire, "/results.csv").await;
    assert_eq!(
        results.headers[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    // French Excel's dialect: a byte-order mark, semicolons, decimal commas.
    assert!(results.body.starts_with('\u{feff}'), "{}", results.body);
    let row = results
        .body
        .lines()
        .find(|line| line.starts_with("alice;"))
        .expect("alice's row");
    assert!(row.contains(";PONT-LEGUER;1;returned;"), "{row}");
    assert!(
        !row.contains('.') || row.contains("Bien vu"),
        "decimal commas: {row}"
    );
    let cells: Vec<&str> = row.split(';').collect();
    assert_eq!(
        cells[6], "0,5",
        "detection: 1 of the 2 reference defects found"
    );
    assert!(
        !cells[5].contains('.'),
        "no fraction of a second: {}",
        cells[5]
    );
    let workbook = get(&world, &claire, "/results.xlsx").await;
    assert_eq!(workbook.status, StatusCode::OK);
    assert!(workbook.body.starts_with("PK"), "an XLSX is a zip");

    // Logging out needs the token too, and ends the session.
    let answer = post_form(&world, &alice, "/logout", "", None).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = post_form(
        &world,
        &alice,
        "/logout",
        &format!("csrf={}", alice.csrf),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&world, &alice, "/dashboard").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn login_is_rate_limited_and_foreign_origins_are_refused() {
    let world = world();
    // Three wrong passwords for Alice from one address, then she must wait.
    for _ in 0..3 {
        let request = login_request(&world, "alice", "wrong").await;
        assert_eq!(send(&world, request).await.status, StatusCode::UNAUTHORIZED);
    }
    let request = login_request(&world, "alice", "wrong").await;
    let answer = send(&world, request).await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        answer
            .body
            .contains("demandez à votre formateur de le débloquer"),
        "{}",
        answer.body
    );
    // Her classmates and the instructor, behind the same address, are not
    // locked out by her mistakes.
    log_in(&world, "bob").await;
    let claire = log_in(&world, "claire").await;
    // The instructor sees Alice slowed down and unlocks her.
    let dashboard = get(&world, &claire, "/dashboard").await;
    assert!(
        dashboard.body.contains("id=\"slowed-logins\""),
        "{}",
        dashboard.body
    );
    let form = format!("csrf={}", claire.csrf);
    let answer = post_form(&world, &claire, "/accounts/alice/unlock", &form, None).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    log_in(&world, "alice").await;
    // A login post without the form's token is refused: no other site can
    // log anyone in.
    let answer = send(
        &world,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "username=bob&password={}",
                PASSWORD.replace(' ', "+")
            )))
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let mut request = login_request(&world, "bob", PASSWORD).await;
    request
        .headers_mut()
        .insert(header::HOST, "voussoir.test".parse().expect("header"));
    request.headers_mut().insert(
        header::ORIGIN,
        "https://evil.example".parse().expect("header"),
    );
    assert_eq!(send(&world, request).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn large_bodies_and_invented_names_are_refused_cheaply() {
    let world = world();
    // A 10 MB login form is refused before it is read.
    let answer = send(
        &world,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(vec![b'a'; 10_000_000]))
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    // A name far longer than any login is refused without being kept.
    let long = "n".repeat(60_000);
    let request = login_request(&world, &long, "x").await;
    assert_eq!(send(&world, request).await.status, StatusCode::UNAUTHORIZED);
    assert!(world.state.throttle.slowed_accounts().is_empty());
}

fn bundle_of(world: &World, inspection: i64) -> Vec<u8> {
    let book = FieldBook::open(&world.state.config.data_dir).expect("open");
    let data = voussoir_app::review::load_inspection(&book, inspection).expect("data");
    let media = book.media_dir();
    let reader = move |relative: &str| std::fs::read(media.join(relative)).ok();
    let mut bytes = std::io::Cursor::new(Vec::new());
    voussoir_export::bundle::write_bundle(&data, &reader, &mut bytes).expect("bundle");
    bytes.into_inner()
}

fn upload(token: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri("/api/submissions")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/zip")
        .body(Body::from(bytes))
        .expect("request")
}

fn counts(world: &World) -> (usize, usize) {
    let book = FieldBook::open(&world.state.config.data_dir).expect("open");
    (
        book.inspections().expect("inspections").len(),
        book.submissions(None).expect("submissions").len(),
    )
}

#[tokio::test]
async fn uploads_make_new_versions_and_bad_ones_leave_nothing() {
    let world = world();
    let bundle = bundle_of(&world, 2);
    let answer = send(&world, upload("token-alice", bundle.clone())).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let created: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
    assert_eq!(created["version"], 2);
    assert_eq!(created["trainee"], "alice");
    assert_eq!(created["status"], "submitted");
    // No mark comes back to a trainee before the results are released:
    // it would reveal the answer key one guess at a time (issue 9).
    assert!(created["suggested_mark"].is_null());
    let before = counts(&world);
    // The same bundle again is recognised: the same version answers, and
    // nothing is stored twice.
    let answer = send(&world, upload("token-alice", bundle.clone())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let again: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
    assert_eq!(again["version"], 2);
    assert_eq!(again["unchanged"], true);
    assert_eq!(counts(&world), before);

    // Instructors do not submit.
    assert_eq!(
        send(&world, upload("token-claire", bundle.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A broken bundle is refused with its reason.
    let answer = send(&world, upload("token-alice", b"not a zip at all".to_vec())).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("not a readable zip"),
        "{}",
        answer.body
    );
    let data_dir = world.state.config.data_dir.display().to_string();
    assert!(
        !answer.body.contains(&data_dir),
        "no server path: {}",
        answer.body
    );
    // Past the cap (5 MB here): refused while streaming.
    let answer = send(&world, upload("token-alice", vec![0u8; 6_000_000])).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    // The session cookie alone is not enough for the API: CSRF header needed.
    let alice = log_in(&world, "alice").await;
    let request = Request::post("/api/submissions")
        .header(header::COOKIE, alice.cookie.clone().expect("cookie"))
        .body(Body::from(bundle.clone()))
        .expect("request");
    assert_eq!(send(&world, request).await.status, StatusCode::FORBIDDEN);

    assert_eq!(counts(&world), before, "nothing was stored");
    let leftovers = std::fs::read_dir(world.state.config.data_dir.join("uploads"))
        .map(|entries| entries.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0, "no upload file stays behind");
}

fn multipart(csrf: Option<&str>, bundle: &[u8]) -> (String, Vec<u8>) {
    let boundary = "voussoir-test-boundary";
    let mut body = Vec::new();
    if let Some(csrf) = csrf {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"bundle\"; filename=\"mine.zip\"\r\nContent-Type: application/zip\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bundle);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn the_upload_page_takes_a_bundle_with_the_form_token_only() {
    let world = world();
    let alice = log_in(&world, "alice").await;
    let bundle = bundle_of(&world, 2);
    let before = counts(&world);
    let (content_type, body) = multipart(None, &bundle);
    let request = Request::post("/submissions")
        .header(header::COOKIE, alice.cookie.clone().expect("cookie"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    assert_eq!(send(&world, request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(counts(&world), before);

    let (content_type, body) = multipart(Some(&alice.csrf), &bundle);
    let request = Request::post("/submissions")
        .header(header::COOKIE, alice.cookie.clone().expect("cookie"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let answer = send(&world, request).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let location = answer.headers[header::LOCATION]
        .to_str()
        .expect("location")
        .to_string();
    let page = get(&world, &alice, &location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("v2"));
    assert!(
        page.body.contains("id=\"versions\""),
        "earlier versions are linked"
    );
    assert!(page.body.contains("href=\"/submissions/1\""));
}

async fn api_get(world: &World, token: &str, uri: &str) -> serde_json::Value {
    let answer = send(
        world,
        Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    serde_json::from_str(&answer.body).expect("json")
}

#[tokio::test]
async fn trainees_see_no_mark_or_comparison_until_the_instructor_releases_the_results() {
    let world = world();
    // Before release: no suggested mark, no comparison, for the trainee.
    let mine = api_get(&world, "token-alice", "/api/submissions").await;
    assert!(mine[0]["suggested_mark"].is_null(), "{mine}");
    let shown = api_get(&world, "token-alice", "/api/submissions/1").await;
    assert!(shown["comparison"].is_null());
    assert!(shown["submission"]["suggested_mark"].is_null());
    let page = get(&world, &log_in(&world, "alice").await, "/dashboard").await;
    assert!(
        !page.body.contains("<td>12/20</td>"),
        "no mark on the trainee's dashboard"
    );
    // The instructor sees everything.
    let all = api_get(&world, "token-claire", "/api/submissions").await;
    assert_eq!(all[0]["suggested_mark"], 12.0);
    // A trainee may not release; the instructor may, with the form token.
    let alice = log_in(&world, "alice").await;
    let refused = post_form(
        &world,
        &alice,
        "/structures/PONT-LEGUER/release",
        &format!("csrf={}", alice.csrf),
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let claire = log_in(&world, "claire").await;
    let forged = post_form(
        &world,
        &claire,
        "/structures/PONT-LEGUER/release",
        "csrf=forged",
        None,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let released = post_form(
        &world,
        &claire,
        "/structures/PONT-LEGUER/release",
        &format!("csrf={}", claire.csrf),
        None,
    )
    .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER, "{}", released.body);
    // After release: her mark and her comparison.
    let mine = api_get(&world, "token-alice", "/api/submissions").await;
    assert_eq!(mine[0]["suggested_mark"], 12.0);
    let shown = api_get(&world, "token-alice", "/api/submissions/1").await;
    assert!(shown["comparison"].is_object(), "{shown}");
}

#[tokio::test]
async fn accepted_work_is_closed_to_new_versions_until_returned() {
    let world = world();
    let mut book = FieldBook::open(&world.state.config.data_dir).expect("open");
    let claire = book.user_by_name("claire").expect("user").expect("claire");
    let alice_first = book
        .submissions(None)
        .expect("submissions")
        .into_iter()
        .find(|submission| submission.trainee == "alice")
        .expect("alice's");
    book.review_submission(
        alice_first.id,
        claire.id,
        voussoir_store::SubmissionStatus::Accepted,
        Some(14.0),
        "good",
        &[],
    )
    .expect("accept");
    drop(book);
    let bundle = bundle_of(&world, 2);
    let before = counts(&world);
    let answer = send(&world, upload("token-alice", bundle.clone())).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    assert!(answer.body.contains("was accepted"), "{}", answer.body);
    assert_eq!(counts(&world), before, "nothing stored");
    // Returned, it opens again.
    let mut book = FieldBook::open(&world.state.config.data_dir).expect("open");
    book.review_submission(
        alice_first.id,
        claire.id,
        voussoir_store::SubmissionStatus::Returned,
        None,
        "look again at P1",
        &[],
    )
    .expect("return");
    drop(book);
    let answer = send(&world, upload("token-alice", bundle)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
}

#[tokio::test]
async fn api_tokens_open_the_api_only_expire_and_die_with_the_password() {
    let world = world();
    let bearer = |uri: &str, token: &str| {
        Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request")
    };
    // The API answers; a page does not, even for the right token.
    assert_eq!(
        send(&world, bearer("/api/submissions", "token-alice"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        send(&world, bearer("/dashboard", "token-alice"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let release = Request::post("/structures/PONT-LEGUER/release")
        .header(header::AUTHORIZATION, "Bearer token-claire")
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&world, release).await.status, StatusCode::FORBIDDEN);
    // An expired token is refused.
    let mut book = FieldBook::open(&world.state.config.data_dir).expect("open");
    let bob = book.user_by_name("bob").expect("query").expect("bob");
    book.create_api_token(
        bob.id,
        &token_hash("token-old"),
        None,
        "2020-01-01T00:00:00Z",
    )
    .expect("token");
    assert_eq!(
        send(&world, bearer("/api/submissions", "token-old"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // A new password ends every token of the account.
    book.set_password("alice", "$argon2id$new")
        .expect("password");
    drop(book);
    assert_eq!(
        send(&world, bearer("/api/submissions", "token-alice"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_forged_photo_hash_cannot_reach_a_classmates_pictures() {
    let world = world();
    // Bob's bundle claims Alice's photo hash for his own picture.
    let photo_a = world.photo_a.clone();
    let forged = with_manifest(bundle_of(&world, 3), move |manifest| {
        manifest["photos"][0]["hash"] = serde_json::json!(photo_a);
    });
    let answer = send(&world, upload("token-bob", forged)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    // Alice and the instructor still see Alice's picture.
    let alice = log_in(&world, "alice").await;
    let claire = log_in(&world, "claire").await;
    // (bodies are read as text here: compare them as the same text)
    let own = String::from_utf8_lossy(&[0xFF, 0xD8, b'a', 0xFF, 0xD9]).into_owned();
    let picture = |answer: Answer| answer.body;
    assert_eq!(
        picture(get(&world, &alice, &format!("/media/{}/thumb", world.photo_a)).await),
        own
    );
    assert_eq!(
        picture(
            get(
                &world,
                &claire,
                &format!("/media/{}/thumb?i=2", world.photo_a)
            )
            .await
        ),
        own
    );
    // One canonical form of a hash: upper case is no photo.
    let upper = world.photo_a.to_uppercase();
    assert_eq!(
        get(&world, &alice, &format!("/media/{upper}/thumb"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let world = world();
    let claire = log_in(&world, "claire").await;
    for answer in [
        send(
            &world,
            Request::get("/login").body(Body::empty()).expect("request"),
        )
        .await,
        get(&world, &claire, "/dashboard").await,
        get(&world, &claire, "/submissions/99").await,
    ] {
        let header = |name: &str| {
            answer
                .headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
        assert!(header("content-security-policy").contains("script-src 'self'"));
        assert_eq!(header("x-frame-options"), "DENY");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
        assert_eq!(header("cache-control"), "no-store");
    }
}

/// A bundle with its manifest changed.
fn with_manifest(bundle: Vec<u8>, change: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bundle)).expect("zip");
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut change = Some(change);
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        if name == "manifest.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
            if let Some(change) = change.take() {
                change(&mut manifest);
            }
            bytes = serde_json::to_vec(&manifest).expect("json");
        }
        writer.start_file(&name, options).expect("start");
        std::io::Write::write_all(&mut writer, &bytes).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_uploads_all_land_whole() {
    let world = std::sync::Arc::new(world());
    let mut uploads = Vec::new();
    for round in 0..6 {
        let (who, inspection) = if round % 2 == 0 {
            ("alice", 2)
        } else {
            ("bob", 3)
        };
        let bundle = with_manifest(bundle_of(&world, inspection), move |manifest| {
            manifest["inspection"]["weather"] = serde_json::json!(format!("round {round}"));
        });
        let world = world.clone();
        uploads.push(tokio::spawn(async move {
            send(&world, upload(&format!("token-{who}"), bundle)).await
        }));
    }
    for upload in uploads {
        let answer = upload.await.expect("task");
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    }
    // Every stored inspection has its submission: none half-received.
    let book = FieldBook::open(&world.state.config.data_dir).expect("open");
    let orphans = book
        .inspections()
        .expect("inspections")
        .into_iter()
        .filter(|inspection| !inspection.is_reference)
        .filter(|inspection| {
            book.submission_of_inspection(inspection.id)
                .expect("query")
                .is_none()
        })
        .count();
    assert_eq!(orphans, 0);
    assert_eq!(book.submissions(None).expect("submissions").len(), 2 + 6);
}

#[tokio::test]
async fn refusals_are_written_in_the_course_language() {
    let world = world();
    let claire = log_in(&world, "claire").await;
    // A mark that is not a number, in the instructor's review form.
    let answer = post_form(
        &world,
        &claire,
        "/submissions/1/feedback",
        &format!(
            "csrf={}&comment=Revoir&final_mark=abc&decision=return",
            claire.csrf
        ),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("n'est pas une note"),
        "{}",
        answer.body
    );
    assert!(!answer.body.contains("is not a mark"), "{}", answer.body);
    // A forged form token: the page's detail is French too.
    let mut request = Request::post("/submissions/1/feedback")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "voussoir.test")
        .header(header::ACCEPT, "text/html");
    request = request.header(header::COOKIE, claire.cookie.clone().expect("cookie"));
    let answer = send(
        &world,
        request
            .body(Body::from("csrf=0000&decision=accept"))
            .expect("request"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(answer.body.contains("<html lang=\"fr\""), "{}", answer.body);
    assert!(!answer.body.contains("form token"), "{}", answer.body);
    // The phone app's sync reads the reason of a refusal in French.
    let alice = log_in(&world, "alice").await;
    let answer = send(
        &world,
        Request::put("/api/capture/inspections/bad%20id")
            .header(header::COOKIE, alice.cookie.clone().expect("cookie"))
            .header("x-csrf-token", alice.csrf.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "voussoir.test")
            .body(Body::from(
                r#"{"structure": "PONT-LEGUER", "kind": "IDP", "date": "2026-03-12", "not_inspected": [], "edited_ms": 1}"#,
            ))
            .expect("request"),
    )
    .await;
    assert!(answer.status.is_client_error(), "{}", answer.body);
    // The framework's own refusal of a record of the wrong shape, too.
    let shapeless = send(
        &world,
        Request::put("/api/capture/inspections/3f2a9c1e-0000-4000-8000-000000000001")
            .header(header::COOKIE, alice.cookie.clone().expect("cookie"))
            .header("x-csrf-token", alice.csrf.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "voussoir.test")
            .body(Body::from("{}"))
            .expect("request"),
    )
    .await;
    assert!(shapeless.status.is_client_error());
    assert!(
        shapeless.body.contains("n'a pas la forme attendue"),
        "{}",
        shapeless.body
    );
    assert!(
        answer.body.contains("identifiant d'enregistrement"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn a_browser_gets_error_pages_in_the_course_language() {
    let world = world();
    let alice = log_in(&world, "alice").await;
    let mut request = Request::get("/submissions/2");
    request = request
        .header(header::COOKIE, alice.cookie.clone().expect("cookie"))
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    let answer = send(&world, request.body(Body::empty()).expect("request")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.body.contains("<html lang=\"fr\""), "{}", answer.body);
    assert!(
        answer.body.contains("Cette page n'existe pas"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("href=\"/dashboard\""));
    assert!(
        !answer.body.contains("not found"),
        "no English detail under the French sentence: {}",
        answer.body
    );
    // The API keeps its plain text.
    let api = send(
        &world,
        Request::get("/api/submissions/2")
            .header(header::AUTHORIZATION, "Bearer token-alice")
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.body.starts_with("404"), "{}", api.body);
}

#[tokio::test]
async fn pages_for_a_french_course_hold_no_english_sentence_of_the_catalogue() {
    let world = world();
    let english = serde_json::to_value(&voussoir_core::words::ENGLISH).expect("english");
    let french = serde_json::to_value(&voussoir_core::words::FRENCH).expect("french");
    // Words that differ between the tables and are long enough not to be
    // a shared token (a code, "Zoom", "(XLSX)").
    let telltales: Vec<(String, String)> = english
        .as_object()
        .expect("table")
        .iter()
        .filter_map(|(key, value)| {
            let text = value.as_str()?;
            let other = french[key].as_str()?;
            (text != other && text.len() >= 8 && !text.contains('{'))
                .then(|| (key.clone(), text.to_string()))
        })
        .collect();
    assert!(telltales.len() > 50, "the check has teeth");
    let claire = log_in(&world, "claire").await;
    let alice = log_in(&world, "alice").await;
    let mut pages = vec![
        send(
            &world,
            Request::get("/login").body(Body::empty()).expect("request"),
        )
        .await
        .body,
    ];
    for uri in [
        "/dashboard",
        "/submissions/1",
        "/submissions/2",
        "/agreement",
    ] {
        pages.push(get(&world, &claire, uri).await.body);
    }
    for uri in ["/dashboard", "/submissions/1", "/submit"] {
        pages.push(get(&world, &alice, uri).await.body);
    }
    for page in &pages {
        for (key, text) in &telltales {
            assert!(
                !page.contains(&format!(">{text}<")) && !page.contains(&format!(">{text} ")),
                "an English `{key}` (\"{text}\") on a French page"
            );
        }
    }
}
