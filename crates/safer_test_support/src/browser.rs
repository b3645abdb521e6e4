//! A headless Chromium driven over WebDriver, with an accessibility check on every page.
//!
//! Uses Debian's `chromium` and `chromium-driver`. When they are missing the tests fail rather
//! than skip, so a green run cannot hide a missing install step.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A running chromedriver and a browser session; both end when dropped or closed.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    base_url: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port for chromedriver")
}

/// The folder holding the repository's `node_modules` (for axe-core).
fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

impl Browser {
    /// Starts chromedriver and a headless Chromium that will open pages under `base_url`.
    pub async fn start(base_url: &str) -> Browser {
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"
        );
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            // Its own process group, so that the browsers it starts can be ended with it.
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("a browser profile directory");
        let caps = json!({ "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.path().display())]
        }});
        let caps = caps.as_object().cloned().unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => {
                    panic!("could not start a browser session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            driver,
            _profile: profile,
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Opens a path under the base URL.
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base_url))
            .await
            .expect("open the page");
    }

    /// The text of the first element matching a CSS selector.
    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
            .text()
            .await
            .expect("read text")
    }

    /// Types into the field with the given id, replacing what is there.
    pub async fn fill(&self, id: &str, value: &str) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no field #{id}: {e}"));
        field.clear().await.expect("clear the field");
        field.send_keys(value).await.expect("type into the field");
    }

    /// Chooses a file for the file input with the given id, as a person picks one.
    pub async fn upload(&self, id: &str, path: &std::path::Path) {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no file input #{id}: {e}"))
            .send_keys(&path.display().to_string())
            .await
            .expect("choose the file");
    }

    /// Chooses the option with this visible text in the select with the given id.
    pub async fn choose(&self, id: &str, label: &str) {
        self.client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("no select #{id}: {e}"))
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("no option {label:?} in #{id}: {e}"));
    }

    /// Clicks the first element matching a CSS selector, without waiting for a new page.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("nothing to click at {css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Clicks something that loads a new page (a submit button or a link) and waits for it.
    pub async fn submit(&self, css: &str) {
        self.navigate_by(Locator::Css(css)).await;
    }

    /// Follows the link with this exact text and waits for the new page.
    pub async fn follow(&self, link_text: &str) {
        self.navigate_by(Locator::LinkText(link_text)).await;
    }

    async fn navigate_by(&self, target: Locator<'_>) {
        let old = self
            .client
            .find(Locator::Css("html"))
            .await
            .expect("a page is open");
        self.client
            .find(target)
            .await
            .unwrap_or_else(|e| panic!("nothing to click at {target:?}: {e}"))
            .click()
            .await
            .expect("click");
        // The old document's root goes stale once the new page replaces it.
        let deadline = Instant::now() + Duration::from_secs(10);
        while old.tag_name().await.is_ok() {
            assert!(
                Instant::now() < deadline,
                "no new page loaded after clicking {target:?}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("footer"))
            .await
            .expect("the new page finishes loading");
    }

    /// Runs axe-core on the current page and returns its violations (all impact levels).
    pub async fn axe_violations(&self) -> Vec<Value> {
        let axe_path = repository_root().join("node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|e| {
            panic!(
                "axe-core is installed by `npm ci` ({}): {e}",
                axe_path.display()
            )
        });
        self.client
            .execute(&axe, vec![])
            .await
            .expect("load axe-core");
        let result = self
            .client
            .execute_async("const done = arguments[0]; axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations)).catch(e => done([{ id: 'axe-error', help: String(e) }]));", vec![])
            .await
            .expect("run axe-core");
        result.as_array().cloned().unwrap_or_default()
    }

    /// Asserts axe-core finds nothing on the current page, naming each violation if it does.
    pub async fn assert_accessible(&self) {
        let violations = self.axe_violations().await;
        if !violations.is_empty() {
            self.save_artifacts("axe").await;
            let url = self
                .client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let summary: Vec<String> = violations
                .iter()
                .map(|v| {
                    format!(
                        "{}: {} ({})",
                        v["id"],
                        v["help"],
                        v["nodes"]
                            .as_array()
                            .map(|n| n
                                .iter()
                                .map(|x| x["html"].to_string())
                                .collect::<Vec<_>>()
                                .join(" | "))
                            .unwrap_or_default()
                    )
                })
                .collect();
            panic!(
                "axe-core found violations on {url}:\n{}",
                summary.join("\n")
            );
        }
    }

    /// Saves a screenshot and the page source under `target/e2e-artifacts/`.
    pub async fn save_artifacts(&self, name: &str) {
        let dir = repository_root().join("target/e2e-artifacts");
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        if let Ok(html) = self.client.source().await {
            let _ = std::fs::write(dir.join(format!("{name}.html")), html);
        }
    }

    /// Ends the browser session and chromedriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Drop ends the processes.
    }
}

impl Drop for Browser {
    /// Ends chromedriver and every browser process it started, even when a test failed
    /// before closing the session: the process group, then anything still using this profile.
    fn drop(&mut self) {
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let profile = self._profile.path().display().to_string();
        let _ = Command::new("pkill")
            .args(["-KILL", "-f", &profile])
            .stderr(Stdio::null())
            .status();
    }
}
