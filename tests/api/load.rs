//! The real `scanback serve` as a child process under load, for the fault tests (durability.rs,
//! db_faults.rs): started, killed with SIGKILL, stopped with SIGTERM and started again on the same
//! port, database and data folder; a load of feedback posts (with and without photos) and scans
//! whose every answer is kept; and a check of the database against it: every report that got a 303
//! is stored exactly once with all its fields and photo files, and no stored report is missing a
//! part (a partial write).
//!
//! Knobs, for the long runs in scripts/kill_loop.sh (the defaults are CI's short version):
//! `FAULT_SEED` (the random seed, printed by every run), `FAULT_FORM_WORKERS`, `FAULT_PHOTO_WORKERS`,
//! `FAULT_SCAN_WORKERS`.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use scanback::domain::{FormConfig, Kind};
use scanback::store::entities::{report, report_photo, scan_count};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::helpers::PHONE_UA;

pub fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The run's random seed: `FAULT_SEED` to repeat a run, else from the clock; printed either way.
pub fn seed(test: &str) -> u64 {
    let seed = env_u64(
        "FAULT_SEED",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1),
    );
    eprintln!("{test}: FAULT_SEED={seed}");
    seed
}

pub fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// One `scanback serve` process; `start` again after a kill reuses the port, database and data.
pub struct Server {
    child: Option<Child>,
    pub dir: PathBuf,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub port: u16,
    pub base: String,
    log: PathBuf,
    starts: u32,
}

impl Server {
    pub fn new(dir: &Path, database_url: &str) -> Server {
        let port = free_port();
        Server {
            child: None,
            dir: dir.to_owned(),
            data_dir: dir.join("data"),
            database_url: database_url.to_owned(),
            port,
            base: format!("http://127.0.0.1:{port}"),
            log: dir.join("serve.log"),
            starts: 0,
        }
    }

    /// The server's data folder elsewhere (a small mount in the disk tests).
    pub fn with_data_dir(mut self, data_dir: &Path) -> Server {
        self.data_dir = data_dir.to_owned();
        self
    }

    /// The real binary with this server's settings (also for its other commands).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scanback"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RUST_LOG", "warn")
            .env("SCANBACK_DATABASE_URL", &self.database_url)
            .env("SCANBACK_LISTEN", format!("127.0.0.1:{}", self.port))
            .env("SCANBACK_PUBLIC_URL", &self.base)
            .env("SCANBACK_DATA_DIR", &self.data_dir)
            // One load generator is one address: lift the per-client limits.
            .env("SCANBACK_SUBMIT_BURST", "1000000")
            .env("SCANBACK_SUBMIT_PER_MINUTE", "1000000")
            .env("SCANBACK_ALERT_CHECK_SECONDS", "86400");
        command
    }

    /// Starts `serve` (its output appended to `serve.log`); `ready` waits for it to answer.
    pub fn spawn(&mut self) {
        assert!(self.child.is_none(), "the server is already running");
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).unwrap();
        let err = log.try_clone().unwrap();
        self.starts += 1;
        let child = self.command(&["serve"]).stdout(Stdio::from(log)).stderr(Stdio::from(err)).spawn().unwrap();
        self.child = Some(child);
    }

    /// Waits until `/healthz` answers 200 (the database answers), or fails the test after `within`.
    pub async fn ready(&mut self, client: &reqwest::Client, within: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if let Ok(res) = client.get(format!("{}/healthz", self.base)).send().await
                && res.status() == 200
            {
                return started.elapsed();
            }
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!("scanback serve exited with {status} before it answered; log:\n{}", self.log_tail());
            }
            assert!(
                started.elapsed() < within,
                "scanback serve did not answer within {within:?}; log:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub async fn start(&mut self, client: &reqwest::Client) -> Duration {
        self.spawn();
        self.ready(client, Duration::from_secs(60)).await
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The process has ended by itself (it refused to start).
    pub fn exited(&mut self) -> bool {
        let gone = self.child.as_mut().is_none_or(|c| matches!(c.try_wait(), Ok(Some(_))));
        if gone {
            self.child = None;
        }
        gone
    }

    /// SIGTERM, then waits for the exit; returns how long it took and the exit status.
    pub fn terminate(&mut self, within: Duration) -> (Duration, std::process::ExitStatus) {
        let mut child = self.child.take().expect("the server is running");
        let sent = Instant::now();
        let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        assert!(status.success(), "kill -TERM failed");
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return (sent.elapsed(), status);
            }
            if sent.elapsed() > within {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("scanback serve did not exit within {within:?} of SIGTERM; log:\n{}", self.log_tail());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `scanback rollups check`: the statistics agree with the stored reports and scans.
    pub fn rollups_check(&self) {
        let out = self.command(&["rollups", "check"]).output().unwrap();
        assert!(
            out.status.success(),
            "rollups check failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn client() -> reqwest::Client {
    // reqwest is built without a TLS provider of its own (the app installs ring for webhooks; this
    // test process starts no app).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_idle_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// The manufacturer and line the load is aimed at.
pub struct Fixture {
    pub token: String,
    pub line_id: uuid::Uuid,
    pub code: String,
}

/// A manufacturer (through the store, as the CLI does) and a line asking every question (through
/// the API of the running server).
pub async fn fixture(server: &Server, client: &reqwest::Client) -> Fixture {
    let db = scanback::store::connect(&server.database_url).await.unwrap();
    let m = scanback::store::manufacturers::create(
        &db,
        "Load Test Cookware",
        &format!("owner-{}@load.test", uuid::Uuid::new_v4().simple()),
        scanback::domain::Locale::DEFAULT,
    )
    .await
    .unwrap();
    db.close().await.ok();
    let res = client
        .post(format!("{}/api/v1/product-lines", server.base))
        .bearer_auth(&m.api_token)
        .json(&serde_json::json!({ "name": "Сковорода под нагрузкой" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let line: serde_json::Value = res.json().await.unwrap();
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let form_url = format!("{}/api/v1/product-lines/{line_id}/form", server.base);
    let mut form: serde_json::Value =
        client.get(&form_url).bearer_auth(&m.api_token).send().await.unwrap().json().await.unwrap();
    form["ask_recommend"] = serde_json::Value::Bool(true);
    let res = client.put(&form_url).bearer_auth(&m.api_token).json(&form).send().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    Fixture { token: m.api_token, line_id, code: line["code"].as_str().unwrap().to_owned() }
}

/// Everything one submission sends, derived from its number so that the check knows it too.
#[derive(Clone, Debug)]
pub struct Spec {
    pub n: u64,
    pub comment: String,
    pub kind: Kind,
    pub rating: u8,
    pub category: Option<String>,
    pub email: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub recommend: Option<u8>,
    pub usage: Option<&'static str>,
    pub locale: &'static str,
    /// (width, height) of each photo.
    pub photos: Vec<(u32, u32)>,
}

impl Spec {
    pub fn new(run: &str, n: u64, with_photos: bool) -> Spec {
        let mut r = rng(n ^ 0x5ca1_ab1e);
        let kind = Kind::ALL[r.random_range(0..Kind::ALL.len())];
        let categories = FormConfig::default().categories.for_kind(kind).to_vec();
        let category = (!categories.is_empty() && r.random_bool(0.8))
            .then(|| categories[r.random_range(0..categories.len())].key.clone());
        let photos = if with_photos {
            (0..r.random_range(1..=2)).map(|_| (r.random_range(24..96), r.random_range(24..96))).collect()
        } else {
            Vec::new()
        };
        Spec {
            n,
            comment: format!("load {run}-{n}: ручка шатается «{}»", n % 97),
            kind,
            rating: r.random_range(1..=5),
            category,
            email: r.random_bool(0.4).then(|| format!("customer-{n}@load.test")),
            lot: r.random_bool(0.6).then(|| format!("L{}", r.random_range(2400..2460))),
            serial: r.random_bool(0.3).then(|| format!("SN{n}")),
            recommend: r.random_bool(0.7).then(|| r.random_range(0..=10)),
            usage: r.random_bool(0.7).then(|| {
                let periods = scanback::domain::form::USAGE_PERIODS;
                periods[r.random_range(0..periods.len())]
            }),
            locale: if r.random_bool(0.5) { "ru" } else { "en" },
            photos,
        }
    }

    fn fields(&self) -> Vec<(&'static str, String)> {
        let mut f = vec![("kind", self.kind.as_str().to_owned()), ("rating", self.rating.to_string())];
        f.push(("comment", self.comment.clone()));
        if let Some(c) = &self.category {
            f.push(("category", c.clone()));
        }
        if let Some(e) = &self.email {
            f.push(("email", e.clone()));
            f.push(("consent", "yes".to_owned()));
        }
        if let Some(l) = &self.lot {
            f.push(("lot", l.clone()));
        }
        if let Some(s) = &self.serial {
            f.push(("serial", s.clone()));
        }
        if let Some(r) = self.recommend {
            f.push(("recommend", r.to_string()));
        }
        if let Some(u) = self.usage {
            f.push(("usage", u.to_owned()));
        }
        f
    }

    /// A PNG of its own per submission and position (identical bytes would be one photo twice).
    pub fn photo(&self, i: usize) -> Vec<u8> {
        let (w, h) = self.photos[i];
        let seed = self.n.wrapping_mul(31).wrapping_add(i as u64);
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(seed % 251) as u8, (x * 255 / w) as u8, ((y + seed as u32) % 256) as u8])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    pub async fn send(&self, client: &reqwest::Client, url: &str) -> reqwest::Result<reqwest::Response> {
        let photos = (0..self.photos.len()).map(|i| self.photo(i)).collect();
        self.send_with(client, url, photos).await
    }

    /// As `send`, with the photo files made beforehand (big ones take a while to encode).
    pub async fn send_with(
        &self,
        client: &reqwest::Client,
        url: &str,
        photos: Vec<Vec<u8>>,
    ) -> reqwest::Result<reqwest::Response> {
        let req = client.post(url).header("Accept-Language", self.locale).header("User-Agent", PHONE_UA);
        if photos.is_empty() {
            req.form(&self.fields()).send().await
        } else {
            let mut form = reqwest::multipart::Form::new();
            for (name, value) in self.fields() {
                form = form.text(name, value);
            }
            for (i, photo) in photos.into_iter().enumerate() {
                let part = reqwest::multipart::Part::bytes(photo).file_name(format!("p{i}.png"));
                form = form.part("photo", part.mime_str("image/png").unwrap());
            }
            req.multipart(form).send().await
        }
    }
}

/// What one submission got back.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// 303 to the thank-you page.
    Acknowledged,
    /// Any other status; `retry_after` and whether the page kept the comment that was typed.
    Status { status: u16, retry_after: Option<String>, kept_form: bool, body: String },
    /// No answer: the server was gone or the connection broke.
    NoAnswer(String),
}

#[derive(Clone, Debug)]
pub struct Attempt {
    pub spec: Spec,
    pub outcome: Outcome,
    /// Since the load started: when the request was sent and when its outcome arrived.
    pub sent: Duration,
    pub answered: Duration,
}

#[derive(Default)]
pub struct Ledger {
    pub attempts: Mutex<Vec<Attempt>>,
    /// Scan pages answered 200, and every other outcome of a scan.
    pub scans_ok: AtomicU64,
    pub scans_other: Mutex<BTreeMap<String, u64>>,
}

pub struct LoadConfig {
    pub form_workers: usize,
    pub photo_workers: usize,
    pub scan_workers: usize,
}

impl LoadConfig {
    pub fn from_env() -> LoadConfig {
        LoadConfig {
            form_workers: env_u64("FAULT_FORM_WORKERS", 6) as usize,
            photo_workers: env_u64("FAULT_PHOTO_WORKERS", 2) as usize,
            scan_workers: env_u64("FAULT_SCAN_WORKERS", 2) as usize,
        }
    }
}

/// Submissions and scans from several tasks until `stop`, through restarts: a request that finds
/// no server is recorded and the worker tries a new submission a moment later.
pub struct Load {
    pub ledger: Arc<Ledger>,
    pub started: Instant,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    pub fn start(client: &reqwest::Client, base: &str, code: &str, run: &str, config: &LoadConfig) -> Load {
        let ledger = Arc::new(Ledger::default());
        let stop = Arc::new(AtomicBool::new(false));
        let next = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        let url = format!("{base}/q/{code}");
        for w in 0..config.form_workers + config.photo_workers {
            let with_photos = w >= config.form_workers;
            let (client, url, ledger, stop, next, run) =
                (client.clone(), url.clone(), ledger.clone(), stop.clone(), next.clone(), run.to_owned());
            tasks.push(tokio::spawn(async move {
                while !stop.load(Relaxed) {
                    let spec = Spec::new(&run, next.fetch_add(1, Relaxed), with_photos);
                    let sent = started.elapsed();
                    let outcome = match spec.send(&client, &url).await {
                        Ok(res) if res.status() == 303 => Outcome::Acknowledged,
                        Ok(res) => {
                            let status = res.status().as_u16();
                            let retry_after =
                                res.headers().get("retry-after").map(|v| v.to_str().unwrap_or("?").to_owned());
                            let body = res.text().await.unwrap_or_default();
                            // The comment has nothing to escape: the page keeps it as typed.
                            let kept_form = body.contains(&spec.comment);
                            Outcome::Status { status, retry_after, kept_form, body }
                        }
                        Err(e) => no_answer(&e),
                    };
                    let idle = matches!(outcome, Outcome::NoAnswer(_) | Outcome::Status { status: 503, .. });
                    let answered = started.elapsed();
                    ledger.attempts.lock().unwrap().push(Attempt { spec, outcome, sent, answered });
                    if idle {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }));
        }
        for w in 0..config.scan_workers {
            let (client, url, ledger, stop) = (client.clone(), url.clone(), ledger.clone(), stop.clone());
            tasks.push(tokio::spawn(async move {
                let mut n = 0u64;
                while !stop.load(Relaxed) {
                    n += 1;
                    let lot = format!("L{}", 2400 + (n + w as u64) % 7);
                    let res = client.get(format!("{url}?lot={lot}")).header("User-Agent", PHONE_UA).send().await;
                    let other = match res {
                        Ok(r) if r.status() == 200 => {
                            // The page is read to the end: a scan counts once it was served.
                            match r.bytes().await {
                                Ok(_) => None,
                                Err(e) => Some(format!("body broke: {}", short(&e.to_string()))),
                            }
                        }
                        Ok(r) => Some(format!("status {}", r.status().as_u16())),
                        Err(_) => Some("no answer".to_owned()),
                    };
                    match other {
                        None => {
                            ledger.scans_ok.fetch_add(1, Relaxed);
                        }
                        Some(what) => {
                            *ledger.scans_other.lock().unwrap().entry(what).or_default() += 1;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
            }));
        }
        Load { ledger, started, stop, tasks }
    }

    pub fn acknowledged(&self) -> usize {
        self.ledger.attempts.lock().unwrap().iter().filter(|a| matches!(a.outcome, Outcome::Acknowledged)).count()
    }

    /// (acknowledged, acknowledged with photos) among the submissions sent since `since`.
    pub fn acknowledged_since(&self, since: Duration) -> (usize, usize) {
        let attempts = self.ledger.attempts.lock().unwrap();
        let acked = attempts.iter().filter(|a| a.sent >= since && matches!(a.outcome, Outcome::Acknowledged));
        acked.fold((0, 0), |(all, photos), a| (all + 1, photos + usize::from(!a.spec.photos.is_empty())))
    }

    pub async fn stop(self) -> Vec<Attempt> {
        self.stop.store(true, Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
        self.ledger.attempts.lock().unwrap().clone()
    }
}

/// How a `NoAnswer` starts when the request never reached a server (nothing listened yet).
pub const NOT_CONNECTED: &str = "not connected: ";

/// A request that got no answer: never connected (the port was closed), or sent and cut off.
pub fn no_answer(e: &reqwest::Error) -> Outcome {
    if e.is_connect() { Outcome::NoAnswer(format!("{NOT_CONNECTED}{e}")) } else { Outcome::NoAnswer(e.to_string()) }
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Outcomes counted by kind ("303", "503 Retry-After=10 form kept", "not connected", "cut off"), for
/// the figures.
pub fn tally(attempts: &[Attempt]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for a in attempts {
        let key = match &a.outcome {
            Outcome::Acknowledged => "303".to_owned(),
            Outcome::Status { status, retry_after, kept_form, .. } => format!(
                "{status}{}{}",
                retry_after.as_ref().map(|r| format!(" Retry-After={r}")).unwrap_or_default(),
                if *kept_form { " form kept" } else { "" }
            ),
            Outcome::NoAnswer(e) if e.starts_with(NOT_CONNECTED) => "not connected".to_owned(),
            Outcome::NoAnswer(_) => "cut off".to_owned(),
        };
        *out.entry(key).or_default() += 1;
    }
    out
}

/// What the check found, for the figures.
#[derive(Debug)]
pub struct Stored {
    pub acknowledged: usize,
    pub acknowledged_with_photos: usize,
    /// Reports of the load in the database (acknowledged or not).
    pub stored: usize,
    /// Stored although the client got no 303 (the answer was lost to a kill or an outage).
    pub stored_unacknowledged: usize,
    pub photos: usize,
}

/// The database against the ledger: every acknowledged report stored exactly once with every field
/// and photo (rows and files); no report of the load stored twice or with a photo missing.
pub async fn check_stored(database_url: &str, data_dir: &Path, line: uuid::Uuid, attempts: &[Attempt]) -> Stored {
    let db = scanback::store::connect(database_url).await.unwrap();
    let rows = report::Entity::find().filter(report::Column::ProductLineId.eq(line)).all(&db).await.unwrap();
    let photos = report_photo::Entity::find().all(&db).await.unwrap();
    db.close().await.ok();
    let mut by_comment: HashMap<&str, Vec<&report::Model>> = HashMap::new();
    for r in &rows {
        by_comment.entry(r.comment.as_str()).or_default().push(r);
    }
    let mut photos_of: HashMap<uuid::Uuid, Vec<&report_photo::Model>> = HashMap::new();
    for p in &photos {
        photos_of.entry(p.report_id).or_default().push(p);
    }
    let mut problems = Vec::new();
    let mut stored =
        Stored { acknowledged: 0, acknowledged_with_photos: 0, stored: 0, stored_unacknowledged: 0, photos: 0 };
    for a in attempts {
        let acknowledged = matches!(a.outcome, Outcome::Acknowledged);
        let found = by_comment.get(a.spec.comment.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        if acknowledged {
            stored.acknowledged += 1;
            if !a.spec.photos.is_empty() {
                stored.acknowledged_with_photos += 1;
            }
        }
        match found {
            [] if acknowledged => problems.push(format!("acknowledged, not stored: {}", a.spec.comment)),
            [] => {}
            [row] => {
                stored.stored += 1;
                if !acknowledged {
                    stored.stored_unacknowledged += 1;
                }
                let mine = photos_of.get(&row.id).map(Vec::as_slice).unwrap_or(&[]);
                stored.photos += mine.len();
                problems.extend(differences(&a.spec, row, mine, data_dir));
            }
            many => problems.push(format!("stored {} times: {}", many.len(), a.spec.comment)),
        }
    }
    let sent: std::collections::HashSet<&str> = attempts.iter().map(|a| a.spec.comment.as_str()).collect();
    for r in &rows {
        if !sent.contains(r.comment.as_str()) {
            problems.push(format!("a report nobody sent: {:?}", r.comment));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems in {} attempts ({} acknowledged), e.g.:\n{}",
        problems.len(),
        attempts.len(),
        stored.acknowledged,
        problems.iter().take(10).cloned().collect::<Vec<_>>().join("\n")
    );
    stored
}

fn differences(spec: &Spec, row: &report::Model, photos: &[&report_photo::Model], data_dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, stored: String, sent: String| {
        if stored != sent {
            out.push(format!("{}: {name} stored {stored:?}, sent {sent:?}", spec.comment));
        }
    };
    field("kind", row.kind.clone(), spec.kind.as_str().to_owned());
    field("rating", row.rating.to_string(), spec.rating.to_string());
    field("category", format!("{:?}", row.category), format!("{:?}", spec.category));
    field("email", format!("{:?}", row.email), format!("{:?}", spec.email));
    field("lot", format!("{:?}", row.lot), format!("{:?}", spec.lot));
    field("serial", format!("{:?}", row.serial), format!("{:?}", spec.serial));
    field("recommend", format!("{:?}", row.nps), format!("{:?}", spec.recommend.map(i16::from)));
    field("usage", format!("{:?}", row.usage_period), format!("{:?}", spec.usage));
    field("locale", row.locale.clone(), spec.locale.to_owned());
    field("photos", photos.len().to_string(), spec.photos.len().to_string());
    let mut photos = photos.to_vec();
    photos.sort_by_key(|p| p.position);
    for (i, p) in photos.iter().enumerate() {
        let Some(&(w, h)) = spec.photos.get(i) else { break };
        if (p.width, p.height) != (w as i32, h as i32) || p.position != i as i16 {
            out.push(format!(
                "{}: photo {i} is {}x{} at {}, sent {w}x{h}",
                spec.comment, p.width, p.height, p.position
            ));
        }
        for rel in [&p.path, &p.thumb_path] {
            match std::fs::read(data_dir.join(rel)) {
                Ok(bytes) if bytes.starts_with(&[0xFF, 0xD8]) && image::load_from_memory(&bytes).is_ok() => {}
                Ok(_) => out.push(format!("{}: {rel} is not a readable JPEG", spec.comment)),
                Err(e) => out.push(format!("{}: {rel}: {e}", spec.comment)),
            }
        }
    }
    out
}

/// Scans written to `scan_counts` for the line (human and bot).
pub async fn scans_counted(database_url: &str, line: uuid::Uuid) -> i64 {
    let db = scanback::store::connect(database_url).await.unwrap();
    let rows = scan_count::Entity::find().filter(scan_count::Column::ProductLineId.eq(line)).all(&db).await.unwrap();
    db.close().await.ok();
    rows.iter().map(|r| r.human + r.bot).sum()
}

/// `PRAGMA integrity_check` on a SQLite database: "ok" or the problems found.
pub async fn sqlite_integrity(database_url: &str) -> String {
    let db = scanback::store::connect(database_url).await.unwrap();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(sea_orm::DatabaseBackend::Sqlite, "PRAGMA integrity_check"))
        .await
        .unwrap();
    db.close().await.ok();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect::<Vec<_>>().join("; ")
}

pub fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres")
}
