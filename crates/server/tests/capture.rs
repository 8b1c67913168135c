//! The capture app's sync API over HTTP, in process: records are stored by
//! the device's ids (a resend changes nothing), refusals carry their
//! reason, the newest edit wins and deletions stick, another trainee's
//! records stay unreachable, quotas hold, a browser session needs its CSRF
//! token, and handing in makes a submission version with its photos.

mod support;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::net::SocketAddr;
use tower::ServiceExt;

use voussoir_core::Course;
use voussoir_server::auth::{hash_password, token_hash};
use voussoir_server::{router, AppState, ServerConfig};
use voussoir_store::{FieldBook, Role};

const INSPECTION: &str = "3f2a9c1e-0000-4000-8000-000000000001";
const DEFECT: &str = "3f2a9c1e-0000-4000-8000-0000000000d1";
const PHOTO: &str = "3f2a9c1e-0000-4000-8000-0000000000f1";

struct World {
    _dir: tempfile::TempDir,
    state: AppState,
}

fn world(max_photo_bytes: u64) -> World {
    let dir = tempfile::tempdir().expect("temp");
    let mut book = FieldBook::init(dir.path()).expect("init");
    let course = Course::from_toml(include_str!("../../../fixtures/course.toml")).expect("course");
    book.load_course(&course).expect("load");
    let hash = hash_password("correct horse battery").expect("hash");
    for (name, role) in [
        ("claire", Role::Instructor),
        ("alice", Role::Trainee),
        ("bob", Role::Trainee),
    ] {
        let user = book.add_user(name, role, &hash, None).expect("user");
        book.create_api_token(
            user.id,
            &token_hash(&format!("token-{name}")),
            None,
            "2999-01-01T00:00:00Z",
        )
        .expect("token");
    }
    drop(book);
    let mut config = ServerConfig::new(dir.path().to_path_buf());
    config.max_photo_bytes = max_photo_bytes;
    World {
        state: AppState::open(config).expect("state"),
        _dir: dir,
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| panic!("{error}: {}", self.body))
    }
}

async fn send(world: &World, request: Request<Body>) -> Answer {
    let app = router(world.state.clone())
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4242))));
    let response = app.oneshot(request).await.expect("response");
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

async fn call(world: &World, who: &str, method: Method, uri: &str, body: Option<Value>) -> Answer {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer token-{who}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(Body::empty, |value| Body::from(value.to_string())))
        .expect("request");
    send(world, request).await
}

async fn put_photo(world: &World, who: &str, photo: &str, bytes: Vec<u8>, about: Value) -> Answer {
    let request = Request::put(format!(
        "/api/capture/inspections/{INSPECTION}/photos/{photo}"
    ))
    .header(header::AUTHORIZATION, format!("Bearer token-{who}"))
    .header(header::CONTENT_TYPE, "image/jpeg")
    .header("x-photo", about.to_string())
    .body(Body::from(bytes))
    .expect("request");
    send(world, request).await
}

fn inspection_record(edited_ms: i64) -> Value {
    json!({"structure": "PONT-LEGUER", "kind": "IDP", "date": "2026-03-12",
           "weather": "sec", "not_inspected": [], "edited_ms": edited_ms})
}

fn defect_record(edited_ms: i64) -> Value {
    json!({"component": "P1", "type": "CON-CRACK", "severity": "2", "extent": "isolated",
           "measurements": {"crack_width_mm": 0.3}, "lat": 48.731008, "lon": -3.4612,
           "accuracy_m": 4.0, "note": "fissure", "photos": [PHOTO], "edited_ms": edited_ms})
}

fn database(world: &World) -> rusqlite::Connection {
    rusqlite::Connection::open(world.state.config.data_dir.join("voussoir.db")).expect("db")
}

fn count(world: &World, sql: &str) -> i64 {
    database(world)
        .query_row(sql, [], |row| row.get(0))
        .expect("count")
}

fn fixture_photo() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/field/IMG_0102.JPG"
    ))
    .expect("fixture photo")
}

/// A world where Alice has opened the test inspection; its address.
async fn opened(max_photo_bytes: u64) -> (World, String) {
    let world = world(max_photo_bytes);
    let uri = format!("/api/capture/inspections/{INSPECTION}");
    let answer = call(
        &world,
        "alice",
        Method::PUT,
        &uri,
        Some(inspection_record(1000)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    (world, uri)
}

#[tokio::test]
async fn records_are_stored_once_by_device_id_and_handed_in_whole() {
    let world = world(25_000_000);
    let uri = format!("/api/capture/inspections/{INSPECTION}");
    for _ in 0..2 {
        let answer = call(
            &world,
            "alice",
            Method::PUT,
            &uri,
            Some(inspection_record(1000)),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.json()["status"], "stored");
    }
    assert_eq!(count(&world, "SELECT count(*) FROM capture_inspection"), 1);
    let bytes = fixture_photo();
    let about = json!({"taken_ms": 1_773_308_400_000_i64, "lat": 48.731008, "lon": -3.4612,
                       "accuracy_m": 5.0, "component": "P1"});
    // A photo time from 1970 (a phone with no clock) is refused, with why.
    let mut no_clock = about.clone();
    no_clock["taken_ms"] = json!(0);
    let answer = put_photo(&world, "alice", PHOTO, bytes.clone(), no_clock).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert!(
        answer.body.contains("n'est pas une heure plausible"),
        "{}",
        answer.body
    );
    for _ in 0..2 {
        let answer = put_photo(&world, "alice", PHOTO, bytes.clone(), about.clone()).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(
            answer.json()["hash"],
            blake3::hash(&bytes).to_hex().to_string()
        );
    }
    for _ in 0..2 {
        let answer = call(
            &world,
            "alice",
            Method::PUT,
            &format!("{uri}/defects/{DEFECT}"),
            Some(defect_record(2000)),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    }
    let grades = json!({"grades": [["P1", "2"], ["structure", "2e"]], "edited_ms": 3000});
    let answer = call(
        &world,
        "alice",
        Method::PUT,
        &format!("{uri}/grades"),
        Some(grades),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(count(&world, "SELECT count(*) FROM defect"), 1);
    assert_eq!(count(&world, "SELECT count(*) FROM photo"), 1);
    let (source, lon): (String, f64) = database(&world)
        .query_row("SELECT position_source, lon FROM photo", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("photo");
    assert_eq!((source.as_str(), lon), ("device", -3.4612));
    let state = call(&world, "alice", Method::GET, &uri, None).await.json();
    assert_eq!(state["defects"][0]["id"], DEFECT);
    assert_eq!(state["photos"][0]["id"], PHOTO);
    assert_eq!(state["grades"], json!([["P1", "2"], ["structure", "2E"]]));

    // Handing in twice: two versions, each with its defect and photo. The
    // same work again in between is recognised and not stored twice.
    for version in 1..=2 {
        if version == 2 {
            let unchanged = call(
                &world,
                "alice",
                Method::POST,
                &format!("{uri}/submit"),
                None,
            )
            .await;
            assert_eq!(unchanged.status, StatusCode::OK, "{}", unchanged.body);
            assert_eq!(unchanged.json()["version"], 1);
            assert_eq!(unchanged.json()["unchanged"], true);
            let mut edited = defect_record(2500);
            edited["note"] = json!("fissure verticale, 1 m");
            let answer = call(
                &world,
                "alice",
                Method::PUT,
                &format!("{uri}/defects/{DEFECT}"),
                Some(edited),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        }
        let answer = call(
            &world,
            "alice",
            Method::POST,
            &format!("{uri}/submit"),
            None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        assert_eq!(answer.json()["version"], version);
        let inspection = answer.json()["inspection"].as_i64().expect("id");
        let photos: i64 = database(&world)
            .query_row(
                "SELECT count(*) FROM photo WHERE inspection_id = ?1",
                [inspection],
                |row| row.get(0),
            )
            .expect("count");
        assert_eq!(photos, 1, "version {version} keeps its photo");
        let grades: i64 = database(&world)
            .query_row(
                "SELECT count(*) FROM own_grade WHERE inspection_id = ?1",
                [inspection],
                |row| row.get(0),
            )
            .expect("count");
        assert_eq!(grades, 2, "version {version} keeps the own grades");
    }
}

#[tokio::test]
async fn bad_records_are_refused_with_their_reason() {
    // The course is French: the phone shows the reasons in French.
    let (world, uri) = opened(25_000_000).await;
    let cases = [
        (json!({"component": "P9"}), "élément « P9 » inconnu"),
        (json!({"type": "CON-CRAK"}), "CON-CRACK"),
        (json!({"severity": "7"}), "gravité"),
        (json!({"measurements": {"crack_width_mm": -1.0}}), "crack"),
        (json!({"lat": -3.4612, "lon": 48.731008}), "inversées"),
        (json!({"lat": 48.85, "lon": 2.35}), "de PONT-LEGUER"),
        (json!({"accuracy_m": 80.0}), "précise qu'à 80 m"),
    ];
    for (change, reason) in cases {
        let mut record = defect_record(2000);
        for (key, value) in change.as_object().expect("object") {
            record[key] = value.clone();
        }
        let answer = call(
            &world,
            "alice",
            Method::PUT,
            &format!("{uri}/defects/{DEFECT}"),
            Some(record),
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{change}: {}",
            answer.body
        );
        assert!(answer.body.contains(reason), "{change}: {}", answer.body);
    }
    assert_eq!(count(&world, "SELECT count(*) FROM defect"), 0);
    let grades = json!({"grades": [["P1", "7"]], "edited_ms": 3000});
    let answer = call(
        &world,
        "alice",
        Method::PUT,
        &format!("{uri}/grades"),
        Some(grades),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.body.contains("n'est pas une classe de IQOA"),
        "{}",
        answer.body
    );
    let answer = call(
        &world,
        "alice",
        Method::PUT,
        "/api/capture/inspections/bad%20id",
        Some(inspection_record(1)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let text = put_photo(
        &world,
        "alice",
        PHOTO,
        b"just some text, not a picture at all".to_vec(),
        json!({}),
    )
    .await;
    assert_eq!(text.status, StatusCode::BAD_REQUEST);
    assert!(
        text.body.contains("not a photo") || text.body.contains("text"),
        "{}",
        text.body
    );
}

#[tokio::test]
async fn the_newest_edit_wins_and_a_deletion_sticks() {
    let (world, uri) = opened(25_000_000).await;
    let defect_uri = format!("{uri}/defects/{DEFECT}");
    call(
        &world,
        "alice",
        Method::PUT,
        &defect_uri,
        Some(defect_record(5000)),
    )
    .await;
    let mut older = defect_record(4000);
    older["severity"] = json!("3");
    let answer = call(&world, "alice", Method::PUT, &defect_uri, Some(older)).await;
    assert_eq!(answer.json()["status"], "newer-on-server");
    let severity: String = database(&world)
        .query_row("SELECT severity FROM defect", [], |row| row.get(0))
        .expect("severity");
    assert_eq!(severity, "2");
    let answer = call(
        &world,
        "alice",
        Method::DELETE,
        &format!("{defect_uri}?edited_ms=6000"),
        None,
    )
    .await;
    assert_eq!(answer.json()["status"], "stored");
    assert_eq!(count(&world, "SELECT count(*) FROM defect"), 0);
    // An older edit from another device does not bring it back.
    let answer = call(
        &world,
        "alice",
        Method::PUT,
        &defect_uri,
        Some(defect_record(5500)),
    )
    .await;
    assert_eq!(answer.json()["status"], "newer-on-server");
    assert_eq!(count(&world, "SELECT count(*) FROM defect"), 0);
    // Deleting again is fine.
    let answer = call(
        &world,
        "alice",
        Method::DELETE,
        &format!("{defect_uri}?edited_ms=6000"),
        None,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn another_trainees_records_and_instructors_are_kept_out() {
    let (world, uri) = opened(25_000_000).await;
    for (method, path, body) in [
        (Method::GET, uri.clone(), None),
        (Method::PUT, uri.clone(), Some(inspection_record(2000))),
        (
            Method::PUT,
            format!("{uri}/defects/{DEFECT}"),
            Some(defect_record(2000)),
        ),
        (Method::POST, format!("{uri}/submit"), None),
    ] {
        let answer = call(&world, "bob", method.clone(), &path, body.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_FOUND,
            "bob {method} {path}: {}",
            answer.body
        );
        let answer = call(&world, "claire", method.clone(), &path, body).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "claire {method} {path}"
        );
    }
    let anonymous = send(
        &world,
        Request::get("/api/capture/setup")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let setup = call(&world, "alice", Method::GET, "/api/capture/setup", None)
        .await
        .json();
    assert_eq!(setup["scheme"], "iqoa");
    assert!(setup["structures"][0]["components"][0]["types"]
        .as_array()
        .is_some_and(|types| !types.is_empty()));
}

#[tokio::test]
async fn quotas_hold_and_oversized_records_are_refused_cheaply() {
    let (world, uri) = opened(100_000).await;
    // Far over the cap: refused before the body is read.
    let answer = put_photo(&world, "alice", PHOTO, vec![0xFF_u8; 200_000], json!({})).await;
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        answer.body
    );
    // Just over: refused with the sizes.
    let answer = put_photo(&world, "alice", PHOTO, vec![0xFF_u8; 120_000], json!({})).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert!(
        answer.body.contains("plus que les 0,1 Mo"),
        "{}",
        answer.body
    );
    let mut record = defect_record(2000);
    record["note"] = json!("x".repeat(400_000));
    let answer = call(
        &world,
        "alice",
        Method::PUT,
        &format!("{uri}/defects/{DEFECT}"),
        Some(record),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(count(&world, "SELECT count(*) FROM defect"), 0);
}

#[tokio::test]
async fn a_browser_session_needs_its_csrf_token_to_write() {
    let world = world(25_000_000);
    let app = router(world.state.clone())
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4242))));
    let form = send(
        &world,
        Request::get("/login").body(Body::empty()).expect("request"),
    )
    .await;
    let (login_cookie, token) = support::login_form(&form.headers, &form.body);
    let response = app
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, login_cookie)
                .body(Body::from(format!(
                    "username=alice&password=correct+horse+battery&csrf={token}"
                )))
                .expect("request"),
        )
        .await
        .expect("response");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let session = send(
        &world,
        Request::get("/api/capture/session")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await
    .json();
    let csrf = session["csrf"].as_str().expect("csrf").to_string();
    let put = |token: Option<String>| {
        let mut request = Request::put(format!("/api/capture/inspections/{INSPECTION}"))
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        request
            .body(Body::from(inspection_record(1000).to_string()))
            .expect("request")
    };
    assert_eq!(send(&world, put(None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&world, put(Some("forged".to_string()))).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(send(&world, put(Some(csrf))).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_app_and_its_service_worker_are_served_to_anyone() {
    let world = world(25_000_000);
    for (path, kind) in [
        ("/app/", "text/html"),
        ("/app/app.js", "text/javascript"),
        ("/app/sw.js", "text/javascript"),
        ("/app/manifest.webmanifest", "application/manifest+json"),
        ("/app/icon-192.png", "image/png"),
    ] {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let app = router(world.state.clone())
            .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4242))));
        let response = app.oneshot(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("type")
            .to_string();
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
    }
    let worker = send(
        &world,
        Request::get("/app/sw.js")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(
        !worker.body.contains("__VERSION__"),
        "the cache is named after the files"
    );
    let missing = send(
        &world,
        Request::get("/app/../voussoir.db")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_ne!(missing.status, StatusCode::OK);
}
