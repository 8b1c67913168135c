//! The server on a real socket: a client that sends nothing is cut off,
//! and connections beyond the cap wait instead of exhausting the server.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use voussoir_core::course::Course;
use voussoir_server::{AppState, ServerConfig};
use voussoir_store::FieldBook;

fn state(max_connections: usize, header_timeout: Duration) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().expect("temp");
    let mut book = FieldBook::init(dir.path()).expect("init");
    let course = Course::from_toml(include_str!("../../../fixtures/course.toml")).expect("course");
    book.load_course(&course).expect("load");
    drop(book);
    let mut config = ServerConfig::new(dir.path().to_path_buf());
    config.max_connections = max_connections;
    config.header_timeout = header_timeout;
    (dir, AppState::open(config).expect("state"))
}

/// Starts the server on a free port; returns its address.
fn start(state: AppState) -> std::net::SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            sender
                .send(listener.local_addr().expect("address"))
                .expect("send");
            voussoir_server::serve(listener, state, std::future::pending())
                .await
                .expect("serve");
        });
    });
    receiver.recv().expect("address")
}

fn get_login(address: std::net::SocketAddr) -> String {
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
        .write_all(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn a_silent_client_is_cut_off_and_others_are_served() {
    let (_dir, state) = state(64, Duration::from_millis(500));
    let address = start(state);
    let mut silent = std::net::TcpStream::connect(address).expect("connect");
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let started = Instant::now();
    let mut buffer = [0u8; 256];
    let read = silent.read(&mut buffer).unwrap_or(0);
    // The server closes (or answers 408 and closes) instead of waiting.
    assert!(read == 0 || String::from_utf8_lossy(&buffer[..read]).contains("408"));
    assert!(
        started.elapsed() < Duration::from_secs(9),
        "cut off by the header deadline"
    );
    assert!(get_login(address).starts_with("HTTP/1.1 200"));
}

#[test]
fn connections_beyond_the_cap_wait_their_turn() {
    let (_dir, state) = state(2, Duration::from_secs(2));
    let address = start(state);
    // Two idle connections take both places...
    let _first = std::net::TcpStream::connect(address).expect("connect");
    let _second = std::net::TcpStream::connect(address).expect("connect");
    std::thread::sleep(Duration::from_millis(200));
    // ...so a third is served only once the header deadline frees one.
    let started = Instant::now();
    assert!(get_login(address).starts_with("HTTP/1.1 200"));
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "it waited for a place"
    );
}
