//! What the benchmark programs share: medians, the `--peer PYTHON` argument, running a Python
//! peer that prints `key=value` lines, a database of the demo data, and timing a page over HTTP.

use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use safer_store::{Db, demo};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// An HTTP client for requests to a server the benchmark started.
pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// A fresh SQLite database in a temporary folder, migrated and holding the demo data. The
/// folder is deleted when the returned guard is dropped.
pub async fn demo_database() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = Db::connect(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await
    .expect("a database");
    db.migrate().await.expect("migrations");
    demo::load(&db).await.expect("the demo data");
    (dir, db)
}

/// The median time over `runs` requests to GET `url` (with a session `cookie`, if any) and read
/// the whole body, and the body's size.
pub async fn time_get(
    client: &HttpClient,
    url: &str,
    cookie: Option<&str>,
    runs: usize,
) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let mut request = Request::get(url);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = client
            .request(request.body(Full::default()).expect("a request"))
            .await
            .expect("the page");
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body")
            .to_bytes()
            .len();
        times.push(t.elapsed());
    }
    (median(times), bytes)
}

/// The median of some timings.
pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// The Python interpreter given as `--peer PYTHON`, if any.
pub fn peer_arg() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--peer")
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// What a peer printed: its `key=value` lines.
pub struct PeerReport(String);

impl PeerReport {
    /// The value printed for `key`, or "?".
    pub fn field(&self, key: &str) -> String {
        self.0
            .lines()
            .find_map(|l| l.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
            .map(str::trim)
            .unwrap_or("?")
            .to_owned()
    }

    /// The peer's median time in seconds (`median_seconds=`).
    pub fn median_seconds(&self) -> f64 {
        self.field("median_seconds")
            .parse()
            .expect("the peer reports median_seconds=")
    }
}

/// Runs `script` (in `peers/`) with `python` on `input`; exits the benchmark if it fails.
pub fn run_peer(python: &str, script: &str, input: &Path) -> PeerReport {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("peers")
        .join(script);
    let output = Command::new(python)
        .arg(script)
        .arg(input)
        .output()
        .expect("run the Python peer");
    if !output.status.success() {
        eprintln!(
            "the peer failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::process::exit(1);
    }
    PeerReport(String::from_utf8_lossy(&output.stdout).into_owned())
}
