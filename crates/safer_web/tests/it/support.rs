//! An application over a fresh demo database, driven in process, with a cookie jar per person.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use safer_store::demo;
use safer_test_support::TestDb;
use safer_web::{AppState, WebConfig};
use scraper::{Html, Selector};
use tower::ServiceExt;

pub struct TestApp {
    /// Held so the database lives as long as the app.
    _db: TestDb,
    pub state: AppState,
    pub router: Router,
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn text(&self, css: &str) -> String {
        let selector = Selector::parse(css).expect("a valid selector");
        self.html()
            .select(&selector)
            .next()
            .map(|e| e.text().collect::<String>().trim().to_owned())
            .unwrap_or_default()
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the first hidden `csrf` field on the page.
    pub fn csrf(&self) -> String {
        let selector = Selector::parse("input[name=csrf]").unwrap();
        self.html()
            .select(&selector)
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or_default()
            .to_owned()
    }
}

/// One person's browser: their cookies and the CSRF token from the last page.
#[derive(Default, Clone)]
pub struct Client {
    pub cookies: Vec<(String, String)>,
    pub csrf: String,
    /// The network address the server sees, as `serve` records it; none by default.
    pub address: Option<std::net::SocketAddr>,
}

impl Client {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn absorb(&mut self, response: &Response<Body>) {
        for value in response.headers().get_all(header::SET_COOKIE) {
            let Ok(value) = value.to_str() else { continue };
            let pair = value.split(';').next().unwrap_or("");
            let Some((name, v)) = pair.split_once('=') else {
                continue;
            };
            self.cookies.retain(|(k, _)| k != name);
            let removed = value.contains("Max-Age=0") || v.is_empty();
            if !removed {
                self.cookies.push((name.to_owned(), v.to_owned()));
            }
        }
    }
}

/// The repository's demo-data folder: the gzipped police.uk files and ONS lookups the demo ships.
pub fn demo_data() -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo-data"))
}

/// Imports the demo's ONS lookups and populations, and the police.uk files of `forces`
/// (folder names under demo-data/police-uk).
pub async fn import_open_data(db: &safer_store::Db, forces: &[&str]) {
    let author = safer_store::Author::system("test");
    safer_import::demo::load_lookups(db, &demo_data().join("ons"), &author)
        .await
        .expect("the lookups import");
    let folders: Vec<_> = forces
        .iter()
        .map(|f| demo_data().join("police-uk").join(f))
        .collect();
    let report = safer_import::run::import_police_uk(db, &folders, &author, &mut |_| {})
        .await
        .expect("the police.uk files import");
    assert!(report.failed.is_empty() && report.rejected() == 0);
}

impl TestApp {
    /// [`import_open_data`] into this app's database.
    pub async fn import_open_data(&self, forces: &[&str]) {
        import_open_data(&self.state.db, forces).await;
    }

    pub async fn new() -> TestApp {
        Self::with_config(WebConfig::default()).await
    }

    pub async fn with_config(config: WebConfig) -> TestApp {
        let db = TestDb::new().await;
        demo::load(&db.db).await.expect("demo data loads");
        let config = WebConfig {
            organisation_name: demo::HOST_ORGANISATION.to_owned(),
            ..config
        };
        let state = AppState::new(db.db.clone(), config);
        let router = safer_web::app(state.clone());
        TestApp {
            _db: db,
            state,
            router,
        }
    }

    pub async fn send(&self, client: &mut Client, mut request: Request<Body>) -> Page {
        if let Some(address) = client.address {
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(address));
        }
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        client.absorb(&response);
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body is read")
            .to_bytes();
        let page = Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        let csrf = page.csrf();
        if !csrf.is_empty() {
            client.csrf = csrf;
        }
        page
    }

    pub async fn get(&self, client: &mut Client, path: &str) -> Page {
        let request = Request::get(path)
            .header(header::HOST, "localhost")
            .header(header::COOKIE, client.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(client, request).await
    }

    /// Posts a form with the client's CSRF token added.
    pub async fn post(&self, client: &mut Client, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = vec![("csrf", client.csrf.as_str())];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.post_raw(client, path, body, None).await
    }

    /// Posts a file as `multipart/form-data` under the field `file`, with the client's CSRF token.
    pub async fn post_file(
        &self,
        client: &mut Client,
        path: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Page {
        let boundary = "safer-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n",
            client.csrf
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::HOST, "localhost")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, client.cookie_header())
            .body(Body::from(body))
            .unwrap();
        self.send(client, request).await
    }

    pub async fn post_raw(
        &self,
        client: &mut Client,
        path: &str,
        body: String,
        origin: Option<&str>,
    ) -> Page {
        let mut request = Request::post(path)
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, client.cookie_header());
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        self.send(client, request.body(Body::from(body)).unwrap())
            .await
    }

    /// A client signed in with the demo password, holding its session's CSRF token.
    pub async fn sign_in(&self, email: &str) -> Client {
        let mut client = Client::default();
        self.get(&mut client, "/sign-in").await;
        let page = self
            .post(
                &mut client,
                "/sign-in",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{email} signs in: {}",
            page.body
        );
        self.get(&mut client, "/").await;
        client
    }

    /// A demo person with their roles, straight from the store.
    pub async fn actor(&self, email: &str) -> safer_core::access::Actor {
        let user = safer_store::users::find_by_email(&self.state.db, email)
            .await
            .unwrap()
            .unwrap();
        safer_store::users::load_actor(&self.state.db, user.id)
            .await
            .unwrap()
            .unwrap()
    }

    /// The id of the plan with this exact title (looked up with the scopes of both policing
    /// bodies' areas, which between them see every plan in the demo).
    pub async fn plan_id(&self, title: &str) -> i64 {
        let mut plans = Vec::new();
        for email in [
            "officer@west-midlands.example",
            "manager@north-worcestershire.example",
        ] {
            let scope = self.actor(email).await.scope();
            plans.extend(
                safer_store::plans::list(&self.state.db, &scope)
                    .await
                    .unwrap(),
            );
        }
        plans
            .into_iter()
            .find(|p| p.title == title)
            .unwrap_or_else(|| panic!("no plan {title}"))
            .id
    }

    /// The id of the demo board's paper with this exact title.
    pub async fn demo_paper(&self, title: &str) -> i64 {
        let db = &self.state.db;
        for body in safer_store::boards::bodies(db).await.unwrap() {
            for meeting in safer_store::boards::meetings(db, body.id).await.unwrap() {
                let papers = safer_store::papers::meeting_papers(
                    db,
                    meeting.id,
                    safer_store::boards::Audience::Secretariat,
                )
                .await
                .unwrap();
                if let Some(p) = papers.into_iter().find(|p| p.title == title) {
                    return p.id;
                }
            }
        }
        panic!("no paper {title}")
    }
}

/// The demo's Strategic Policing and Crime Board.
pub async fn spcb(db: &safer_store::Db) -> safer_store::boards::Body {
    safer_store::boards::bodies(db)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.name == "Strategic Policing and Crime Board")
        .expect("the demo's board")
}
