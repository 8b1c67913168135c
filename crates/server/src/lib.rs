//! The review server: instructors review trainees' submitted inspections
//! against the reference in a browser; trainees submit bundles and read
//! their feedback. One data folder (a field book: SQLite plus `media/`)
//! holds the course, the reference, every submission and the accounts.
//!
//! `router(state)` builds the axum application, `serve(listener, state,
//! shutdown)` runs it; `voussoir serve` binds a port and calls them. Pages
//! are rendered on the server with maud (escaped by construction) and work
//! without JavaScript; the JSON API under `/api/` mirrors them.

pub mod access;
pub mod api;
pub mod auth;
pub mod cache;
pub mod capture;
mod error;
mod listen;
mod memo;
mod pages;
pub mod pool;
pub mod throttle;
pub mod upload;

use axum::routing::{get, post};
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;

pub use error::AppError;
pub use pool::BookPool;

/// Settings of a running server, resolved once by the caller.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The data folder (a field book).
    pub data_dir: PathBuf,
    /// Largest accepted bundle upload, in bytes (default 500 MB).
    pub max_upload_bytes: u64,
    /// Mark the session cookie `Secure` (behind a TLS proxy).
    pub secure_cookies: bool,
    /// How long a session lasts.
    pub session_hours: i64,
    /// Largest photo the capture app may send, in bytes (default 25 MB).
    pub max_photo_bytes: u64,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Connections served at once.
    pub max_connections: usize,
    /// Time for a request's headers, and the longest idle keep-alive.
    pub header_timeout: std::time::Duration,
}

impl ServerConfig {
    pub fn new(data_dir: PathBuf) -> ServerConfig {
        ServerConfig {
            data_dir,
            max_upload_bytes: 500 * 1_000_000,
            secure_cookies: false,
            session_hours: 12,
            max_photo_bytes: 25 * 1024 * 1024,
            trusted_proxies: Vec::new(),
            max_connections: listen::MAX_CONNECTIONS,
            header_timeout: listen::HEADER_TIMEOUT,
        }
    }
}

/// Shared state of the application.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<ServerConfig>,
    pub books: BookPool,
    pub throttle: Arc<throttle::LoginThrottle>,
    pub cache: Arc<cache::DetailCache>,
    pub dashboard: Arc<memo::CourseCache>,
    /// The course's language (`fr`, `en`): the pages speak it.
    pub language: Arc<String>,
    /// The content security policy every answer carries (it names the
    /// course's tile server, when its file gives one).
    pub csp: Arc<String>,
    /// The interactive map's background, from the course file.
    pub map: Arc<voussoir_core::course::MapSettings>,
}

impl AppState {
    /// Opens the data folder with a few connections.
    pub fn open(config: ServerConfig) -> Result<AppState, voussoir_store::StoreError> {
        let books = BookPool::open(&config.data_dir, 4)?;
        let book = voussoir_store::FieldBook::open(&config.data_dir)?;
        // What a crash or a full disk left behind goes now: unfinished
        // uploads at once, media leftovers once surely not being written.
        let cleaned = book.clean_leftovers(
            std::time::Duration::ZERO,
            std::time::Duration::from_secs(600),
        )?;
        if cleaned != voussoir_store::Cleaned::default() {
            tracing::info!(
                "removed leftovers: {} unfinished upload(s), {} temporary file(s), {} unused media file(s)",
                cleaned.uploads,
                cleaned.temporaries,
                cleaned.orphans
            );
        }
        let (language, zone, map) = book
            .course()
            .map(|course| (course.language, course.time_zone, course.map))
            .unwrap_or_else(|_| ("en".to_string(), "UTC".to_string(), Default::default()));
        pages::set_course_zone(&zone);
        Ok(AppState {
            config: Arc::new(config),
            books,
            throttle: Arc::new(throttle::LoginThrottle::default()),
            cache: Arc::new(cache::DetailCache::default()),
            dashboard: Arc::new(memo::CourseCache::default()),
            language: Arc::new(language),
            csp: Arc::new(content_security_policy(map.tile_origin().as_deref())),
            map: Arc::new(map),
        })
    }
}

impl AppState {
    /// The words of the pages, in the course's language.
    pub fn words(&self) -> &'static voussoir_core::words::Words {
        voussoir_core::words::for_language(&self.language)
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    use axum::extract::DefaultBodyLimit;
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/dashboard", get(pages::dashboard))
        .route("/submit", get(pages::submit_form))
        .route(
            "/submissions",
            post(pages::upload).layer(DefaultBodyLimit::max(
                usize::try_from(state.config.max_upload_bytes)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1024 * 1024),
            )),
        )
        .route("/submissions/{id}", get(pages::submission))
        .route("/submissions/{id}/map.json", get(pages::map_data))
        .route("/submissions/{id}/report", get(pages::printable))
        .route("/assets/{file}", get(pages::asset))
        .route("/assets/images/{file}", get(pages::asset_image))
        .route(
            "/submissions/{id}/feedback",
            post(pages::feedback).layer(DefaultBodyLimit::max(FEEDBACK_LIMIT)),
        )
        .route("/accounts/{name}/unlock", post(pages::unlock))
        .route("/results.csv", get(pages::results_csv))
        .route("/results.xlsx", get(pages::results_xlsx))
        .route("/course-report", get(pages::course_report))
        .route("/course-report.csv", get(pages::course_report_csv))
        .route("/course-report.xlsx", get(pages::course_report_xlsx))
        .route("/structures/{code}/release", post(pages::release))
        .route("/agreement", get(pages::agreement))
        .route("/media/{hash}/{kind}", get(pages::media))
        .route("/api/submissions", get(api::list).post(api::upload))
        .route("/api/submissions/{id}", get(api::show))
        .merge(capture_routes(&state))
        // Every other body is a small form: a large one is refused at once,
        // before it is read (the bundle upload streams and counts its own).
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::as_pages,
        ))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            security_headers,
        ))
        .with_state(state)
}

/// The content security policy: this server's scripts only, no frames;
/// images from this server, and from the course's tile server if any.
fn content_security_policy(tile_origin: Option<&str>) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{}; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        tile_origin.map(|origin| format!(" {origin}")).unwrap_or_default()
    )
}

/// What every answer says to the browser: run only this server's scripts,
/// never in a frame, no type sniffing, no referrer to other sites, and do
/// not store private pages (answers that set their own caching keep it).
async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut response: axum::response::Response,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&state.csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), geolocation=(self), microphone=()"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The largest form a page takes (log in, release, unlock), in bytes.
pub const FORM_LIMIT: usize = 64 * 1024;
/// The largest review form: comments on every defect of a large report.
pub const FEEDBACK_LIMIT: usize = 1024 * 1024;

/// The capture app's files and its sync API, each route with its own
/// body limit.
fn capture_routes(state: &AppState) -> Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::put;
    let record_limit = DefaultBodyLimit::max(capture::MAX_RECORD_BYTES);
    let photo_limit = DefaultBodyLimit::max(
        usize::try_from(state.config.max_photo_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(64 * 1024),
    );
    Router::new()
        .route("/app", get(capture::app_redirect))
        .route("/app/", get(capture::app_index))
        .route("/app/{file}", get(capture::app_file))
        .route("/api/capture/session", get(capture::session))
        .route("/api/capture/setup", get(capture::setup))
        .route(
            "/api/capture/inspections/{id}",
            put(capture::put_inspection)
                .get(capture::get_inspection)
                .layer(record_limit),
        )
        .route(
            "/api/capture/inspections/{id}/defects/{defect}",
            put(capture::put_defect)
                .delete(capture::delete_defect)
                .layer(record_limit),
        )
        .route(
            "/api/capture/inspections/{id}/photos/{photo}",
            put(capture::put_photo).layer(photo_limit),
        )
        .route(
            "/api/capture/inspections/{id}/grades",
            put(capture::put_grades).layer(record_limit),
        )
        .route(
            "/api/capture/inspections/{id}/submit",
            post(capture::submit).layer(record_limit),
        )
}

/// Computes the course-wide figures that compare every submission (the
/// results rows, the class agreement, the course report) as the server
/// starts, so that the instructor's first request does not wait for them.
///
/// The server answers once they are ready, or after
/// [`WARM_BEFORE_SERVING`] at most (the listener is already bound, so
/// early clients wait in its queue rather than being refused); a larger
/// course goes on computing them in the background (the course report's
/// page says it is being prepared meanwhile).
async fn warm(state: AppState) {
    let warming = tokio::spawn(async move {
        let _ = pages::course_rows(&state).await;
        let _ = pages::class_results(&state).await;
        let _ = pages::course_report_body(&state).await;
        let _ = pages::course_report_workbook(&state).await;
    });
    let _ = tokio::time::timeout(WARM_BEFORE_SERVING, warming).await;
}

/// The longest a start waits for its course-wide figures before answering.
const WARM_BEFORE_SERVING: std::time::Duration = std::time::Duration::from_secs(3);

/// Serves until `shutdown` completes, then finishes the requests in flight;
/// connections are capped and slow or idle clients cut off (see `listen`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = (state.config.max_connections, state.config.header_timeout);
    warm(state.clone()).await;
    listen::serve_plain(listener, router(state), limits, shutdown).await
}

/// Where a TLS server finds its certificate chain and private key (PEM).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

/// Serves HTTPS with rustls until `shutdown` completes, then finishes the
/// requests in flight. The capture app needs a secure context (service
/// worker, camera, position) on any address but `localhost`.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    tls: &TlsFiles,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.certificate, &tls.key)
        .await
        .map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!(
                    "reading the certificate {} and key {}: {error}",
                    tls.certificate.display(),
                    tls.key.display()
                ),
            )
        })?;
    // A bad certificate is reported at once, before the course figures.
    warm(state.clone()).await;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    let state_timeout = state.config.header_timeout;
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    listen::raise_file_limit();
    let mut server = axum_server::from_tcp_rustls(listener, config)?.handle(handle);
    server
        .http_builder()
        .http1()
        .header_read_timeout(state_timeout);
    server.serve(app).await
}
