//! Accepting connections without being worn down: a cap on connections
//! served at once (the next waits in the kernel's queue), a deadline for a
//! request's headers that also closes idle keep-alive connections, a
//! raised file-handle limit, and a graceful stop. It owns the sockets; what
//! a request means is the router's business.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tower::ServiceExt;

/// Connections served at once; more wait to be accepted (the default of
/// `ServerConfig`).
pub const MAX_CONNECTIONS: usize = 512;
/// Time a client has to send a request's headers, and the longest a
/// keep-alive connection may sit idle (the default of `ServerConfig`).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(15);
/// Time requests in flight get to finish once the server is asked to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// The file-handle limit the server asks for at start.
const WANTED_FILE_HANDLES: u64 = 8192;

/// Raises the process's file-handle limit towards [`WANTED_FILE_HANDLES`]
/// (up to the hard limit), and returns the limit now in force.
pub fn raise_file_limit() -> u64 {
    match rlimit::increase_nofile_limit(WANTED_FILE_HANDLES) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!("cannot raise the file-handle limit: {error}");
            0
        }
    }
}

/// The HTTP settings every plain connection gets: HTTP/1 only (browsers
/// speak HTTP/2 over TLS alone, and guessing the version would wait on a
/// silent client with no deadline), with the header deadline, which also
/// ends idle keep-alive connections.
pub fn http_builder(header_timeout: Duration) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    builder
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// requests in flight finish (for a while).
pub async fn serve_plain(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: (usize, Duration),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (max_connections, header_timeout) = limits;
    raise_file_limit();
    let permits = Arc::new(tokio::sync::Semaphore::new(max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let builder = Arc::new(http_builder(header_timeout));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file handles, say: wait a moment, keep serving.
                    tracing::warn!("accepting a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                app.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let connection = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!("connection from {peer} ended: {error}");
            }
            drop(permit);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
    Ok(())
}
