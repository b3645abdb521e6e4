//! What the benchmark programs share: medians, the `--peer PYTHON` argument, and running a
//! Python peer that prints `key=value` lines.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

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
