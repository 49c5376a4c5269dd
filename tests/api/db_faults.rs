//! The database failing under a running `scanback serve`: a PostgreSQL instance of the test's own
//! restarted and crashed under load, SQLite on a disk that fills up and on a file that cannot be
//! written. Requests then get 503 with `Retry-After` (the form kept), never the 500 page and never a
//! partial write; the service recovers by itself; nothing acknowledged is lost.
//!
//! `PG_DOWN_SECONDS` (12: longer than the 10 s a request waits for a connection) is how long the
//! crashed PostgreSQL stays down.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::load::{self, Load, LoadConfig, Outcome, Server, Spec, check_stored, client, env_u64, fixture, tally};

/// A PostgreSQL server of the test's own (initdb and pg_ctl from the machine's packages), on its own
/// port, data in a temp folder; stopped when dropped. Never the machine's shared instance.
struct OwnPostgres {
    bin: PathBuf,
    data: PathBuf,
    log: PathBuf,
    port: u16,
    /// `runuser -u postgres --` when running as root (initdb refuses root).
    as_user: Vec<String>,
    _dir: tempfile::TempDir,
}

impl OwnPostgres {
    fn bin_dir() -> Option<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
            .collect();
        found.sort_by_key(|p| p.to_string_lossy().split('/').nth(4).and_then(|v| v.parse::<u32>().ok()));
        found.pop()
    }

    fn start() -> Result<OwnPostgres, String> {
        let bin = Self::bin_dir().ok_or("no initdb under /usr/lib/postgresql/*/bin")?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
        let as_user: Vec<String> = if root {
            let ids = Command::new("id").args(["-u", "postgres"]).output().map_err(|e| e.to_string())?;
            let gid = Command::new("id").args(["-g", "postgres"]).output().map_err(|e| e.to_string())?;
            let parse = |o: std::process::Output| String::from_utf8_lossy(&o.stdout).trim().parse::<u32>().ok();
            let (Some(uid), Some(gid)) = (parse(ids), parse(gid)) else {
                return Err("running as root and there is no postgres user to run initdb as".into());
            };
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).map_err(|e| e.to_string())?;
            vec!["runuser".into(), "-u".into(), "postgres".into(), "--".into()]
        } else {
            Vec::new()
        };
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
        let pg = OwnPostgres {
            data: dir.path().join("data"),
            log: dir.path().join("postgres.log"),
            port: load::free_port(),
            bin,
            as_user,
            _dir: dir,
        };
        let out = pg
            .run(
                "initdb",
                &[
                    "-D",
                    &pg.data.to_string_lossy(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ],
            )
            .map_err(|e| format!("initdb failed: {e}"))?;
        drop(out);
        pg.ctl(&["start"])?;
        Ok(pg)
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<String, String> {
        let program = self.bin.join(tool);
        let mut command = match self.as_user.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(&program);
                c
            }
            None => Command::new(&program),
        };
        let out = command.args(args).current_dir("/").output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
        }
    }

    /// `pg_ctl <what>` (start, stop, restart) with this instance's port, socket folder and log.
    fn ctl(&self, what: &[&str]) -> Result<(), String> {
        let socket = self.data.parent().unwrap().to_string_lossy().into_owned();
        let options = format!("-p {} -k {socket} -c listen_addresses=127.0.0.1", self.port);
        let data = self.data.to_string_lossy().into_owned();
        let log = self.log.to_string_lossy().into_owned();
        let mut args = vec!["-D", &data, "-l", &log, "-o", &options, "-w", "-t", "60"];
        args.extend_from_slice(what);
        self.run("pg_ctl", &args).map(|_| ()).map_err(|e| format!("pg_ctl {what:?} failed: {e}"))
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = self.ctl(&["-m", "immediate", "stop"]);
    }
}

fn postgres_pass() -> bool {
    std::env::var("SCANBACK_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty())
}

/// Every answer during a fault is a 303 or a 503 with `Retry-After` that shows the form again with
/// what was typed; never a 500 or any other error, never a connection dropped by the server.
fn assert_only_303_or_503(attempts: &[load::Attempt], server: &Server) {
    for a in attempts {
        match &a.outcome {
            Outcome::Acknowledged => {}
            Outcome::Status { status: 503, retry_after: Some(_), kept_form: true, .. } => {}
            Outcome::Status { status, retry_after, kept_form, body } => panic!(
                "{} got {status} (Retry-After {retry_after:?}, form kept {kept_form}): {}\noutcomes {:?}\nlog:\n{}",
                a.spec.comment,
                body.chars().take(600).collect::<String>(),
                tally(attempts),
                server.log_tail()
            ),
            Outcome::NoAnswer(e) => panic!("{} got no answer: {e}; outcomes {:?}", a.spec.comment, tally(attempts)),
        }
    }
}

/// Waits until a submission after `after` is acknowledged: the service came back by itself.
async fn wait_for_a_303(load: &Load, after: Duration, within: Duration) -> Duration {
    let deadline = Instant::now() + within;
    loop {
        let first = load
            .ledger
            .attempts
            .lock()
            .unwrap()
            .iter()
            .filter(|a| a.sent >= after && matches!(a.outcome, Outcome::Acknowledged))
            .map(|a| a.answered)
            .min();
        if let Some(t) = first {
            return t - after;
        }
        assert!(Instant::now() < deadline, "no report was acknowledged within {within:?} of the database's return");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The test's own PostgreSQL is restarted (`pg_ctl restart -m fast`) and then crashed (`-m
/// immediate`) and kept down for longer than a request waits for a connection, while posts and
/// scans run. Requests meanwhile wait, then get 503 with `Retry-After` and their form back; the
/// service takes reports again by itself once the database is back; every acknowledged report is
/// stored exactly once with its photos, and nothing is stored in part.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_and_crash_under_load_answer_503_and_lose_nothing() {
    if !postgres_pass() {
        eprintln!("skipped: runs in the PostgreSQL pass (SCANBACK_TEST_POSTGRES_URL set); it starts its own instance");
        return;
    }
    let pg = match OwnPostgres::start() {
        Ok(pg) => pg,
        Err(why) => {
            eprintln!("skipped: cannot start a PostgreSQL instance of the test's own: {why}");
            return;
        }
    };
    let down_for = Duration::from_secs(env_u64("PG_DOWN_SECONDS", 12));
    let dir = tempfile::tempdir().unwrap();
    let client = client();
    let mut server = Server::new(dir.path(), &pg.url());
    server.start(&client).await;
    let fx = fixture(&server, &client).await;
    let load = Load::start(&client, &server.base, &fx.code, "pg-restart", &LoadConfig::from_env());
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // A clean restart: the sessions in use are terminated (57P01), new ones wait for the server.
    let restart_at = load.started.elapsed();
    let t = Instant::now();
    pg.ctl(&["-m", "fast", "restart"]).unwrap();
    let restart_took = t.elapsed();
    let back_after_restart = wait_for_a_303(&load, restart_at + restart_took, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;

    // A crash, and the server stays down past the connection wait: requests get 503.
    let crash_at = load.started.elapsed();
    pg.ctl(&["-m", "immediate", "stop"]).unwrap();
    tokio::time::sleep(down_for).await;
    let up_at = load.started.elapsed();
    pg.ctl(&["start"]).unwrap();
    let back_after_crash = wait_for_a_303(&load, up_at, Duration::from_secs(30)).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let health = client.get(format!("{}/healthz", server.base)).send().await.unwrap().status();
    let scans_ok = load.ledger.scans_ok.load(std::sync::atomic::Ordering::Relaxed);
    let scans_other = load.ledger.scans_other.lock().unwrap().clone();
    let attempts = load.stop().await;

    assert_eq!(health, 200, "the service did not recover by itself");
    assert_only_303_or_503(&attempts, &server);
    assert!(
        scans_other.keys().all(|k| k == "status 503"),
        "scan pages during the outage: {scans_other:?} (only 200 or 503 may be answered)"
    );
    let during = |from: Duration, to: Duration| {
        let window: Vec<load::Attempt> =
            attempts.iter().filter(|a| a.answered >= from && a.sent <= to).cloned().collect();
        tally(&window)
    };
    let restart_window = during(restart_at, restart_at + restart_took + back_after_restart);
    let crash_window = during(crash_at, up_at + back_after_crash);
    let unavailable = attempts.iter().filter(|a| matches!(a.outcome, Outcome::Status { status: 503, .. })).count();
    assert!(unavailable > 0, "PostgreSQL was down for {down_for:?} and no request got a 503: {:?}", tally(&attempts));
    let stored = check_stored(&server.database_url, &server.data_dir, fx.line_id, &attempts).await;
    server.rollups_check();
    let (took, status) = server.terminate(Duration::from_secs(30));
    assert!(status.success());
    eprintln!(
        "FIGURES PostgreSQL restart and crash under load: {} posts, outcomes {:?}; during `pg_ctl restart -m fast` \
         ({restart_took:?}) and until the first 303 after it ({back_after_restart:?}): {restart_window:?}; during the \
         crash, {down_for:?} down, and until the first 303 after the start ({back_after_crash:?}): {crash_window:?}; \
         scans served {scans_ok}, others {scans_other:?}; {} acknowledged ({} with photos), all stored exactly once \
         with every field and photo; {} stored whose answer was a 503 (the commit went through as the connection \
         broke); no 500, no partial write (rollups check passed); SIGTERM exit {took:?}",
        attempts.len(),
        tally(&attempts),
        stored.acknowledged,
        stored.acknowledged_with_photos,
        stored.stored_unacknowledged,
    );
}

/// A small file system of the test's own, unmounted when dropped: tmpfs, or ext4 on a loop file
/// where tmpfs cannot be mounted. `None` (and the test says why) where neither is allowed.
struct SmallMount {
    dir: tempfile::TempDir,
    image: Option<PathBuf>,
}

impl SmallMount {
    fn new(megabytes: u32) -> Result<SmallMount, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let target = dir.path().to_string_lossy().into_owned();
        let tmpfs = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs", &target])
            .output()
            .map_err(|e| e.to_string())?;
        if tmpfs.status.success() {
            return Ok(SmallMount { dir, image: None });
        }
        let image = std::env::temp_dir().join(format!("scanback-disk-{}.img", uuid::Uuid::new_v4().simple()));
        let ok = Command::new("truncate")
            .args(["-s", &format!("{megabytes}M"), &image.to_string_lossy()])
            .status()
            .is_ok_and(|s| s.success())
            && Command::new("mkfs.ext4")
                .args(["-q", "-F", &image.to_string_lossy()])
                .status()
                .is_ok_and(|s| s.success())
            && Command::new("mount")
                .args(["-o", "loop", &image.to_string_lossy(), &target])
                .status()
                .is_ok_and(|s| s.success());
        if ok {
            return Ok(SmallMount { dir, image: Some(image) });
        }
        let _ = std::fs::remove_file(&image);
        Err(format!(
            "neither `mount -t tmpfs` ({}) nor a loop-mounted ext4 file could be mounted (needs root)",
            String::from_utf8_lossy(&tmpfs.stderr).trim()
        ))
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, mode: &str) -> Result<(), String> {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{mode}"), &self.path().to_string_lossy()])
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
    }
}

impl Drop for SmallMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
        if let Some(image) = &self.image {
            let _ = std::fs::remove_file(image);
        }
    }
}

/// Fills the file system that holds `dir` until a write fails for lack of space.
fn fill_disk(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0x5au8; 64 * 1024];
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    // The last partial pages too.
    let small = [0x5au8; 512];
    while f.write(&small).is_ok_and(|n| n > 0) {}
    let _ = f.sync_all();
    path
}

async fn post(client: &reqwest::Client, url: &str, spec: Spec, started: Instant) -> load::Attempt {
    let sent = started.elapsed();
    let outcome = match spec.send(client, url).await {
        Ok(res) if res.status() == 303 => Outcome::Acknowledged,
        Ok(res) => {
            let status = res.status().as_u16();
            let retry_after = res.headers().get("retry-after").map(|v| v.to_str().unwrap_or("?").to_owned());
            let body = res.text().await.unwrap_or_default();
            Outcome::Status { status, retry_after, kept_form: body.contains(&spec.comment), body }
        }
        Err(e) => load::no_answer(&e),
    };
    load::Attempt { spec, outcome, sent, answered: started.elapsed() }
}

/// SQLite and the photos on a small file system that fills up: posts get 503 with `Retry-After`
/// and their form back (photo posts at once, plain ones once the write-ahead log can grow no more),
/// scan pages still show; once space is freed only 303s and 503s, and after a restart every post is
/// stored; every 303 is stored; `PRAGMA integrity_check` finds nothing.
///
/// This found acknowledged reports lost once space was freed (1 to 25 per run): a pooled connection
/// whose commit SQLite had rolled back by itself kept sqlx's count of an open transaction, so a
/// later COMMIT on it committed nothing. `store::connect` now closes such connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_on_a_full_disk_answers_503_and_stays_intact() {
    if postgres_pass() {
        eprintln!("skipped: a SQLite test (runs in the SQLite pass)");
        return;
    }
    let mount = match SmallMount::new(24) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}?mode=rwc", mount.path().join("scanback.db").display());
    let client = client();
    let mut server = Server::new(dir.path(), &database_url).with_data_dir(&mount.path().join("data"));
    server.start(&client).await;
    let fx = fixture(&server, &client).await;
    let url = format!("{}/q/{}", server.base, fx.code);
    let started = Instant::now();
    let mut attempts = Vec::new();
    let mut n = 0;
    for _ in 0..20 {
        n += 1;
        attempts.push(post(&client, &url, Spec::new("disk", n, n % 2 == 0), started).await);
    }
    assert!(attempts.iter().all(|a| matches!(a.outcome, Outcome::Acknowledged)), "{:?}", tally(&attempts));

    let filler = fill_disk(mount.path());
    let mut full = Vec::new();
    let mut plain_refused = 0;
    while plain_refused < 5 && full.len() < 2000 {
        n += 1;
        let a = post(&client, &url, Spec::new("disk", n, n % 4 == 0), started).await;
        if a.spec.photos.is_empty() && matches!(a.outcome, Outcome::Status { status: 503, .. }) {
            plain_refused += 1;
        }
        full.push(a);
    }
    let scan_page = client.get(&url).send().await.unwrap().status();
    assert_only_303_or_503(&full, &server);
    assert!(plain_refused >= 5, "the disk was full and plain posts were still stored: {:?}", tally(&full));
    let full_tally = tally(&full);
    attempts.extend(full);

    // Space freed: the same process takes reports again, though not always at once: after a full
    // disk SQLite has been seen answering "database is locked" for a while (a 503 too). A restart
    // always clears it.
    std::fs::remove_file(&filler).unwrap();
    let mut after = Vec::new();
    let freed = Instant::now();
    let mut in_a_row = 0;
    while in_a_row < 10 && freed.elapsed() < Duration::from_secs(20) {
        n += 1;
        let a = post(&client, &url, Spec::new("disk", n, n % 2 == 0), started).await;
        in_a_row = if matches!(a.outcome, Outcome::Acknowledged) { in_a_row + 1 } else { 0 };
        after.push(a);
    }
    assert_only_303_or_503(&after, &server);
    let recovered = if in_a_row >= 10 {
        format!("the same process stored again after {:?}", freed.elapsed())
    } else {
        "the same process still refused some posts after 20 s".to_owned()
    };
    let after_tally = tally(&after);
    attempts.extend(after);
    let (_, status) = server.terminate(Duration::from_secs(30));
    assert!(status.success(), "serve exited with {status}; log:\n{}", server.log_tail());
    assert!(!server.log().contains("panicked"), "{}", server.log_tail());
    assert_eq!(load::sqlite_integrity(&database_url).await, "ok");
    server.start(&client).await;
    for _ in 0..10 {
        n += 1;
        let a = post(&client, &url, Spec::new("disk", n, n % 2 == 0), started).await;
        assert!(matches!(a.outcome, Outcome::Acknowledged), "after a restart: {:?}", a.outcome);
        attempts.push(a);
    }
    let (_, status) = server.terminate(Duration::from_secs(30));
    assert!(status.success(), "serve exited with {status}; log:\n{}", server.log_tail());
    assert!(!server.log().contains("panicked"), "{}", server.log_tail());

    assert_eq!(load::sqlite_integrity(&database_url).await, "ok");
    let stored = check_stored(&database_url, &server.data_dir, fx.line_id, &attempts).await;
    server.rollups_check();
    let log = server.log();
    let causes: std::collections::BTreeSet<&str> = ["database or disk is full", "No space left on device"]
        .into_iter()
        .filter(|cause| log.contains(cause))
        .collect();
    eprintln!(
        "FIGURES SQLite on a full disk (24 MB tmpfs): with the disk full, posts got {full_tally:?} (logged causes \
         {causes:?}), the scan page answered {scan_page}; after freeing space {after_tally:?}: {recovered}; after a \
         restart 10 of 10 stored; integrity_check ok; {} acknowledged in all, every one stored",
        stored.acknowledged
    );
}

/// A database that cannot be written: opened read-only (`?mode=ro`) and, where the test may mount,
/// on a file system remounted read-only. The pages that read still answer; posts get 503 with
/// `Retry-After` and their form back, the API a JSON 503; or `serve` refuses to start with a message
/// naming the database, never a panic. The file stays intact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_on_a_read_only_file_answers_503_and_stays_intact() {
    if postgres_pass() {
        eprintln!("skipped: a SQLite test (runs in the SQLite pass)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mount = SmallMount::new(24);
    let db_dir = mount.as_ref().map(|m| m.path().to_owned()).unwrap_or_else(|_| dir.path().to_owned());
    let file = db_dir.join("scanback.db");
    let database_url = format!("sqlite://{}?mode=rwc", file.display());
    let client = client();
    let mut server = Server::new(dir.path(), &database_url);
    server.start(&client).await;
    let fx = fixture(&server, &client).await;
    let url = format!("{}/q/{}", server.base, fx.code);
    let started = Instant::now();
    let mut attempts = Vec::new();
    for n in 0..6 {
        attempts.push(post(&client, &url, Spec::new("ro", n, n % 2 == 0), started).await);
    }
    assert!(attempts.iter().all(|a| matches!(a.outcome, Outcome::Acknowledged)));
    let (_, status) = server.terminate(Duration::from_secs(30));
    assert!(status.success());

    // Opened read-only.
    server.database_url = format!("sqlite://{}?mode=ro", file.display());
    server.start(&client).await;
    let mut refused = Vec::new();
    for n in 100..106 {
        refused.push(post(&client, &url, Spec::new("ro", n, n % 2 == 0), started).await);
    }
    assert_only_303_or_503(&refused, &server);
    assert!(
        refused.iter().all(|a| matches!(a.outcome, Outcome::Status { status: 503, .. })),
        "a read-only database stored a report: {:?}",
        tally(&refused)
    );
    assert_eq!(client.get(&url).send().await.unwrap().status(), 200, "the scan page reads only");
    let api = client
        .post(format!("{}/api/v1/product-lines", server.base))
        .bearer_auth(&fx.token)
        .json(&serde_json::json!({ "name": "Another pan" }))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 503);
    assert!(api.headers().contains_key("retry-after"));
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    let listed = client
        .get(format!("{}/api/v1/reports?product_line={}", server.base, fx.line_id))
        .bearer_auth(&fx.token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200, "reading reports needs no write");
    let ro_tally = tally(&refused);
    attempts.extend(refused);
    let (_, status) = server.terminate(Duration::from_secs(30));
    assert!(status.success(), "serve on a read-only database exited with {status}:\n{}", server.log_tail());

    // On a file system remounted read-only (root only).
    let mounted = match &mount {
        Ok(m) => {
            m.remount("ro").unwrap();
            server.database_url = database_url.clone();
            server.spawn();
            let outcome = tokio::time::timeout(Duration::from_secs(30), async {
                loop {
                    if let Ok(res) = client.get(format!("{}/healthz", server.base)).send().await {
                        return Some(res.status());
                    }
                    if server.exited() {
                        return None;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            })
            .await
            .unwrap();
            let seen = match outcome {
                Some(_) => {
                    let a = post(&client, &url, Spec::new("ro", 200, false), started).await;
                    assert_only_303_or_503(std::slice::from_ref(&a), &server);
                    assert!(matches!(a.outcome, Outcome::Status { status: 503, .. }));
                    attempts.push(a);
                    server.terminate(Duration::from_secs(30));
                    "serves, posts answered 503".to_owned()
                }
                None => {
                    let log = server.log();
                    assert!(!log.contains("panicked"), "{log}");
                    assert!(
                        log.contains("cannot open the database")
                            || log.contains("readonly")
                            || log.contains("read-only"),
                        "{log}"
                    );
                    format!("refuses to start: {}", log.lines().last().unwrap_or_default())
                }
            };
            m.remount("rw").unwrap();
            seen
        }
        Err(why) => format!("not tried: {why}"),
    };
    assert!(!server.log().contains("panicked"), "{}", server.log_tail());

    assert_eq!(load::sqlite_integrity(&database_url).await, "ok");
    let stored = check_stored(&database_url, &server.data_dir, fx.line_id, &attempts).await;
    assert_eq!(stored.stored, 6, "only the reports from before it was read-only are stored");
    eprintln!(
        "FIGURES SQLite read-only: opened with mode=ro, posts got {ro_tally:?}, the scan page and the report list \
               200, an API write 503 `unavailable`; on a read-only mount: {mounted}; integrity_check ok"
    );
}
