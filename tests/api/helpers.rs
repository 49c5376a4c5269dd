use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use scanback::config::Settings;
use scanback::store::manufacturers::NewManufacturer;
use scanback::web::startup::Application;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub settings: Settings,
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    pub mail: MailServer,
    /// Keeps the data folder (SQLite file, outbox) alive for the test.
    pub dir: tempfile::TempDir,
    /// The running app's shared state: tests flush scan counts through it instead of sleeping.
    pub state: scanback::web::state::AppState,
}

pub const PHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

/// A fresh, empty database: a SQLite file in `dir`, or a new PostgreSQL database named after a UUID.
pub async fn fresh_database_url(dir: &Path) -> String {
    match std::env::var("SCANBACK_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!("scanback_test_{}", uuid::Uuid::new_v4().simple());
            let admin = sea_orm::Database::connect(&base).await.expect("connect to PostgreSQL");
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            admin.close().await.ok();
            let mut url = url::Url::parse(&base).expect("SCANBACK_TEST_POSTGRES_URL is a URL");
            url.set_path(&name);
            url.to_string()
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("scanback.db").display()),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// An app whose settings `configure` has changed first (the port and database are already set).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    // `TEST_LOG=1 cargo test` shows the application's logs.
    if std::env::var("TEST_LOG").is_ok() {
        scanback::telemetry::init("info");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mail = MailServer::start();
    let database_url = fresh_database_url(dir.path()).await;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let mut settings = Settings {
        database_url,
        listen: format!("127.0.0.1:{port}"),
        public_url: format!("http://127.0.0.1:{port}"),
        data_dir: dir.path().join("data"),
        smtp_url: Some(format!("smtp://127.0.0.1:{}", mail.port).into()),
        mail_from: "scanback <noreply@scanback.test>".into(),
        submit_burst: 10,
        submit_per_minute: 2,
        reply_domain: Some("reply.scanback.test".into()),
        webhook_allow_private: false,
        // A test app does not check for spikes by itself (a burst of test reports is one): the tests
        // that want it set a short interval; the others run `alerts run`.
        alert_check_seconds: 86_400,
        // Off: a run at start could land in the middle of a test's fixtures (seen once on
        // PostgreSQL in CI: the app erased what the test's own run was to erase). Tests that
        // want it set an interval; the others run `customer retention`.
        retention_check_seconds: 0,
        trusted_proxies: Vec::new(),
        metrics_token: None,
    };
    configure(&mut settings);
    let db = scanback::commands::open_database(&settings).await.expect("open and migrate");
    let app = Application::with_listener(settings.clone(), db.clone(), listener).expect("build app");
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    // Idle connections are dropped well before the server's 5 s keep-alive closes them, so a test
    // that pauses (decoders, a browser) never sends on a connection the server is closing.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("client");
    TestApp { address: format!("http://127.0.0.1:{port}"), port, settings, db, client, mail, dir, state }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn create_manufacturer(&self, name: &str) -> NewManufacturer {
        let email = format!("owner-{}@{}.test", uuid::Uuid::new_v4().simple(), name.to_lowercase().replace(' ', "-"));
        scanback::store::manufacturers::create(&self.db, name, &email, scanback::domain::Locale::DEFAULT)
            .await
            .expect("create manufacturer")
    }

    pub async fn post_line(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client.post(self.url("/api/v1/product-lines")).bearer_auth(token).json(body).send().await.expect("request")
    }

    /// A manufacturer with one product line; returns (manufacturer, line JSON).
    pub async fn manufacturer_with_line(&self, line_name: &str) -> (NewManufacturer, Value) {
        let m = self.create_manufacturer("Acme Cookware").await;
        let res = self.post_line(&m.api_token, &serde_json::json!({ "name": line_name })).await;
        assert_eq!(res.status(), 201);
        (m, res.json().await.expect("json"))
    }

    pub async fn get_scan_page(&self, code: &str, accept_language: Option<&str>) -> reqwest::Response {
        let mut req = self.client.get(self.url(&format!("/q/{code}")));
        if let Some(lang) = accept_language {
            req = req.header("Accept-Language", lang);
        }
        req.send().await.expect("request")
    }

    pub async fn post_feedback(&self, code: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(&format!("/q/{code}"))).form(form).send().await.expect("request")
    }

    pub async fn flush_scans(&self) {
        self.state.scans.flush(&self.db).await.expect("flush scan counts");
    }

    pub async fn stats(&self, token: &str, line_id: &str) -> Value {
        let res = self
            .client
            .get(self.url(&format!("/api/v1/product-lines/{line_id}/stats")))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 200);
        res.json().await.expect("json")
    }

    pub async fn post_multipart(&self, code: &str, form: reqwest::multipart::Form, lang: &str) -> reqwest::Response {
        self.client
            .post(self.url(&format!("/q/{code}")))
            .header("Accept-Language", lang)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    pub async fn reports(&self, token: &str, line_id: &str) -> Vec<Value> {
        let res = self
            .client
            .get(self.url(&format!("/api/v1/reports?product_line={line_id}")))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 200);
        res.json().await.expect("json")
    }

    /// The real binary, pointed at this app's database, data folder and mail server.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scanback"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SCANBACK_DATABASE_URL", &self.settings.database_url)
            .env("SCANBACK_PUBLIC_URL", &self.settings.public_url)
            .env("SCANBACK_DATA_DIR", &self.settings.data_dir)
            .env("SCANBACK_SMTP_URL", format!("smtp://127.0.0.1:{}", self.mail.port))
            .env("SCANBACK_MAIL_FROM", &self.settings.mail_from)
            .env("SCANBACK_REPLY_DOMAIN", self.settings.reply_domain.clone().unwrap_or_default())
            .env("SCANBACK_WEBHOOK_ALLOW_PRIVATE", self.settings.webhook_allow_private.to_string());
        command
    }

    /// Runs the real binary with `stdin` as its standard input.
    pub fn cli_with_input(&self, args: &[&str], stdin: &[u8]) -> std::process::Output {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run scanback");
        child.stdin.take().expect("stdin").write_all(stdin).expect("write stdin");
        child.wait_with_output().expect("scanback output")
    }

    /// Runs the real binary against this app's database and mail server.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.command(args).output().expect("run scanback")
    }

    /// The real binary against this app's database, sending through another SMTP server.
    pub fn cli_command_with_smtp(&self, args: &[&str], smtp_port: u16) -> Command {
        let mut command = self.command(args);
        command.env("SCANBACK_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"));
        command
    }
}

/// One message as the SMTP server received it.
#[derive(Clone, Debug)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl ReceivedMail {
    fn parsed(&self) -> mailparse::ParsedMail<'_> {
        mailparse::parse_mail(self.data.as_bytes()).expect("a parseable mail")
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        use mailparse::MailHeaderMap;
        self.parsed().headers.get_first_value(name)
    }

    /// The decoded body of the first part with this content type.
    pub fn part(&self, mime: &str) -> Option<String> {
        fn find(m: &mailparse::ParsedMail<'_>, mime: &str) -> Option<String> {
            if m.ctype.mimetype == mime {
                return m.get_body().ok();
            }
            m.subparts.iter().find_map(|p| find(p, mime))
        }
        find(&self.parsed(), mime)
    }
}

#[derive(Clone, Default)]
struct Collector {
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
    current: Option<ReceivedMail>,
}

impl mailin_embedded::Handler for Collector {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> mailin_embedded::Response {
        self.current = Some(ReceivedMail { from: from.to_owned(), to: to.to_vec(), data: String::new() });
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(m) = self.current.as_mut() {
            m.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        if let Some(m) = self.current.take() {
            self.mails.lock().expect("lock").push(m);
        }
        mailin_embedded::response::OK
    }
}

/// A real SMTP server (mailin-embedded) on a random port, in a background thread.
pub struct MailServer {
    pub port: u16,
    mails: Arc<Mutex<Vec<ReceivedMail>>>,
}

impl MailServer {
    pub fn start() -> MailServer {
        MailServer::start_on(TcpListener::bind("127.0.0.1:0").expect("bind smtp"))
    }

    /// On a listener the test chose (a port that was dead until now: an SMTP server coming back).
    pub fn start_on(listener: TcpListener) -> MailServer {
        let port = listener.local_addr().expect("addr").port();
        let collector = Collector::default();
        let mails = collector.mails.clone();
        let mut server = mailin_embedded::Server::new(collector);
        server.with_name("smtp.test").with_num_threads(2).with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        MailServer { port, mails }
    }

    pub fn received(&self) -> Vec<ReceivedMail> {
        self.mails.lock().expect("lock").clone()
    }
}

/// Decodes a QR image with zxing-cpp (a decoder nobody here wrote). Returns (text, ec level, version).
pub fn decode_qr(png: &Path) -> Vec<Value> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/qr_decode.py");
    let out = Command::new("python3").arg(&script).arg(png).output().expect("run python3 qr_decode.py");
    assert!(out.status.success(), "decoder failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("decoder output is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

pub fn rasterise_svg(svg: &Path, png: &Path, dpi: u32) {
    let out = Command::new("rsvg-convert")
        .args(["--dpi-x", &dpi.to_string(), "--dpi-y", &dpi.to_string(), "--background-color", "white", "-o"])
        .arg(png)
        .arg(svg)
        .output()
        .expect("run rsvg-convert (apt-get install librsvg2-bin)");
    assert!(out.status.success(), "rsvg-convert failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// Form fields of a valid submission.
pub fn valid_form() -> Vec<(&'static str, &'static str)> {
    vec![("kind", "defect"), ("rating", "2"), ("comment", "The handle gets too hot to hold.")]
}

/// A report as a test writes it straight through the app's group-commit writer, with a chosen
/// creation time (HTTP submissions are stamped "now" and rate-limited per client).
#[derive(Clone, Debug)]
pub struct ReportSpec {
    pub at: time::OffsetDateTime,
    pub kind: scanback::domain::Kind,
    pub category: Option<&'static str>,
    pub lot: Option<&'static str>,
    pub rating: u8,
    pub recommend: Option<u8>,
    /// Same fingerprint on the same line = the same submission (stored once).
    pub fingerprint: Option<String>,
}

impl ReportSpec {
    pub fn new(at: time::OffsetDateTime, kind: scanback::domain::Kind, rating: u8) -> ReportSpec {
        ReportSpec { at, kind, category: None, lot: None, rating, recommend: None, fingerprint: None }
    }
}

impl TestApp {
    pub async fn insert_report(
        &self,
        manufacturer: uuid::Uuid,
        line: uuid::Uuid,
        spec: &ReportSpec,
    ) -> Result<uuid::Uuid, scanback::store::StoreError> {
        use scanback::domain::{NewFeedback, Rating};
        let feedback = NewFeedback {
            kind: spec.kind,
            rating: Rating::new(spec.rating).expect("rating 1-5"),
            comment: format!("{} report", spec.kind),
            email: None,
            lot: spec.lot.map(str::to_owned),
            category: spec.category.map(str::to_owned),
            recommend: spec.recommend,
            usage: None,
            serial: None,
        };
        let id = uuid::Uuid::now_v7();
        let mut new = scanback::store::reports::build(
            id,
            manufacturer,
            line,
            &feedback,
            scanback::domain::Locale::DEFAULT,
            spec.fingerprint.clone(),
            Vec::new(),
        );
        new.report.created_at = sea_orm::ActiveValue::Set(spec.at);
        new.fact.created_at = spec.at;
        self.state.app.reports.write(new).await.map(|()| id)
    }

    pub async fn get_json(&self, token: &str, path: &str) -> (u16, Value) {
        let res = self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}

/// The dashboard as a signed-in member sees it. Until the session module is merged, the
/// dashboard's stand-in extractor takes the manufacturer's API token from a test header.
impl TestApp {
    /// A real dashboard session for a member with `role` of the manufacturer behind `token`, whose
    /// language is `lang`: (cookie header, CSRF token).
    pub async fn session_for(&self, token: &str, role: &str, lang: &str) -> (String, String) {
        let holder = scanback::store::manufacturers::authenticate_token(&self.db, token)
            .await
            .expect("token lookup")
            .expect("a live token");
        let email = format!("{role}-{lang}-{}@members.test", holder.manufacturer_id.simple());
        let user = match scanback::store::users::find_by_email(&self.db, &email).await.expect("lookup") {
            Some(u) => u,
            None => scanback::store::users::create(&self.db, holder.manufacturer_id, &email, role, "x".into(), lang)
                .await
                .expect("member"),
        };
        let session =
            scanback::store::sessions::create(&self.db, user.id, holder.manufacturer_id).await.expect("session");
        (format!("scanback_session={}", session.cookie), session.csrf_token)
    }

    /// A dashboard page as the owner of `token`'s manufacturer, reading `lang`.
    pub async fn dashboard(&self, token: &str, path: &str, lang: &str) -> (u16, String) {
        let (cookie, _) = self.session_for(token, "owner", lang).await;
        let res = self
            .client
            .get(self.url(path))
            .header("Cookie", cookie)
            .header("Accept-Language", lang)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }

    /// A dashboard form posted by a member with `role`, with the session's real CSRF token.
    pub async fn dashboard_post(
        &self,
        token: &str,
        role: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        let (cookie, csrf) = self.session_for(token, role, "en").await;
        let mut fields: Vec<(&str, &str)> = form.iter().filter(|(k, _)| *k != "csrf_token").copied().collect();
        fields.push(("csrf_token", &csrf));
        self.client
            .post(self.url(path))
            .header("Cookie", cookie)
            .header("Accept-Language", "en")
            .form(&fields)
            .send()
            .await
            .expect("request")
    }

    /// Many reports at once: they go through the group-commit writer together, like a burst.
    pub async fn insert_reports(&self, manufacturer: uuid::Uuid, line: uuid::Uuid, specs: &[ReportSpec]) {
        for chunk in specs.chunks(64) {
            let writes = chunk.iter().map(|s| self.insert_report(manufacturer, line, s));
            for result in futures_util::future::join_all(writes).await {
                result.expect("report stored");
            }
        }
    }
}
