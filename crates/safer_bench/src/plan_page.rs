//! Load test of the signed-in plan page on SQLite: 64 concurrent keep-alive clients request a
//! partnership plan page for a fixed time, in several rounds. Prints requests per second and
//! p50/p99 latency for each round and the median of each figure across rounds.
//!
//! Run with `cargo run --release -p safer_bench --bin bench-plan-page [-- ROUNDS SECONDS [CLIENTS]]`.
//! The server runs on its own two-worker runtime and the clients on another thread, on the
//! same machine, as a load generator such as wrk would.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode, header};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use safer_bench::HttpClient;
use safer_store::{Db, demo, plans, users};
use safer_web::{AppState, WebConfig};
use std::time::{Duration, Instant};

/// The number of concurrent clients the issue sets; a third argument overrides it for exploring.
const CLIENTS: usize = 64;

fn cookies(response: &hyper::Response<hyper::body::Incoming>) -> Vec<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_owned))
        .collect()
}

async fn sign_in(client: &HttpClient, base: &str, email: &str) -> String {
    let form = client
        .request(
            Request::get(format!("{base}/sign-in"))
                .body(Full::default())
                .expect("a sign-in request"),
        )
        .await
        .expect("sign-in page");
    let csrf_cookie = cookies(&form)
        .into_iter()
        .find(|c| c.contains("csrf="))
        .expect("an anonymous CSRF cookie");
    let token = csrf_cookie
        .split_once('=')
        .map(|(_, v)| v.to_owned())
        .expect("the CSRF cookie has a value");
    let body = serde_urlencoded::to_string([
        ("csrf", token.as_str()),
        ("email", email),
        ("password", demo::DEMO_PASSWORD),
    ])
    .expect("the sign-in form encodes");
    let request = Request::post(format!("{base}/sign-in"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, csrf_cookie)
        .body(Full::new(Bytes::from(body)))
        .expect("a sign-in post");
    let response = client.request(request).await.expect("sign in");
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "the demo manager signs in"
    );
    cookies(&response)
        .into_iter()
        .find(|c| c.contains("session="))
        .expect("a session cookie")
}

struct Round {
    requests_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

async fn round(
    client: &HttpClient,
    clients: usize,
    url: &str,
    cookie: &str,
    expect: &str,
    length: Duration,
) -> Round {
    let started = Instant::now();
    let deadline = started + length;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, cookie, expect) = (
            client.clone(),
            url.to_owned(),
            cookie.to_owned(),
            expect.to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            while Instant::now() < deadline {
                let t = Instant::now();
                let request = Request::get(&url)
                    .header(header::COOKIE, &cookie)
                    .body(Full::default())
                    .expect("a plan page request");
                match client.request(request).await {
                    Ok(response) => {
                        let ok = response.status() == StatusCode::OK;
                        let body = response
                            .into_body()
                            .collect()
                            .await
                            .map(|b| b.to_bytes())
                            .unwrap_or_default();
                        latencies.push(t.elapsed());
                        if !ok || !String::from_utf8_lossy(&body).contains(&expect) {
                            errors += 1;
                        }
                    }
                    Err(_) => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (latencies, e) = task.await.expect("a client task");
        all.extend(latencies);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    Round {
        requests_per_second: all.len() as f64 / elapsed,
        p50_ms: percentile(&all, 50.0),
        p99_ms: percentile(&all, 99.0),
        errors,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(CLIENTS);

    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime");
    let (db, base) = server.block_on(async {
        let db = Db::connect(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate");
        demo::load(&db).await.expect("load the demo");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        let base = format!(
            "http://{}",
            listener.local_addr().expect("the listener's address")
        );
        let state = AppState::new(
            db.clone(),
            WebConfig {
                organisation_name: demo::HOST_ORGANISATION.into(),
                ..WebConfig::default()
            },
        );
        tokio::spawn(safer_web::serve(listener, state, std::future::pending()));
        (db, base)
    });

    let clients = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    clients.block_on(async {
        let manager = users::find_by_email(&db, "manager@solihull.example").await.expect("read the demo users").expect("the demo Solihull manager");
        let actor = users::load_actor(&db, manager.id).await.expect("read the manager's roles").expect("the manager is enabled");
        let plan = plans::list(&db, &actor.scope()).await.expect("list the plans").into_iter().find(|p| p.title.starts_with("Safer Solihull")).expect("the Solihull plan");
        let client: HttpClient = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(CLIENTS).build_http();
        let cookie = sign_in(&client, &base, "manager@solihull.example").await;
        let page = format!("{base}/plans/{}", plan.id);

        println!("safer plan page benchmark: GET /plans/{} signed in as a partnership manager, SQLite, {concurrency} concurrent clients", plan.id);
        println!("warming up for 2 s…");
        round(&client, concurrency, &page, &cookie, &plan.title, Duration::from_secs(2)).await;
        let mut results = Vec::new();
        for i in 1..=rounds {
            let r = round(&client, concurrency, &page, &cookie, &plan.title, Duration::from_secs(seconds)).await;
            println!("round {i}: {:>8.0} requests/s   p50 {:>6.2} ms   p99 {:>6.2} ms   errors {}", r.requests_per_second, r.p50_ms, r.p99_ms, r.errors);
            results.push(r);
        }
        let errors: usize = results.iter().map(|r| r.errors).sum();
        println!(
            "median of {rounds} rounds of {seconds} s: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms (target p99 < 25 ms); {errors} errors",
            median(results.iter().map(|r| r.requests_per_second).collect()),
            median(results.iter().map(|r| r.p50_ms).collect()),
            median(results.iter().map(|r| r.p99_ms).collect()),
        );
    });
}
