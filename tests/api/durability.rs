//! Crashes and stops of `scanback serve` under load, on whichever database the suite runs on.
//!
//! The kill loop's knobs (CI runs the defaults; scripts/kill_loop.sh runs it long): `KILLS` (10);
//! before each SIGKILL the server is up under load until it has acknowledged `KILL_AFTER_REPORTS`
//! (10) reports, one at least with photos, and then for a random time up to `KILL_MAX_MS` (1,000)
//! more; plus the load's knobs in load.rs.

use std::time::{Duration, Instant};

use rand::Rng;

use crate::helpers::fresh_database_url;
use crate::load::{
    self, Load, LoadConfig, Outcome, Server, Spec, check_stored, client, env_u64, fixture, scans_counted, tally,
};

fn db_name(url: &str) -> &'static str {
    if load::is_postgres(url) { "PostgreSQL" } else { "SQLite" }
}

/// The server is killed with SIGKILL at random moments while posts (with and without photos) and
/// scans run, and started again each time. Every report that got a 303 is stored exactly once with
/// all its fields and photos; none is stored twice or in part; the statistics agree with the rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_report_survives_repeated_kills_under_load() {
    let kills = env_u64("KILLS", 10);
    let after_reports = env_u64("KILL_AFTER_REPORTS", 10) as usize;
    let max_ms = env_u64("KILL_MAX_MS", 1000);
    let seed = load::seed("kill loop");
    let mut rng = load::rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database_url(dir.path()).await;
    let client = client();
    let mut server = Server::new(dir.path(), &database_url);
    server.start(&client).await;
    let fx = fixture(&server, &client).await;

    let load = Load::start(&client, &server.base, &fx.code, &format!("kill-{seed}"), &LoadConfig::from_env());
    let mut restarts = Vec::new();
    let mut up_since = load.started.elapsed();
    let mut ups = Vec::new();
    for _ in 0..kills {
        // Enough reports in this life of the server that its kill means something, then a moment
        // at random: in a commit, between a commit and its answers, in a photo write, in a scan flush.
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (all, photos) = load.acknowledged_since(up_since);
            if all >= after_reports && photos >= 1 {
                break;
            }
            assert!(Instant::now() < deadline, "the server took {all} reports ({photos} with photos) in a minute");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..=max_ms))).await;
        ups.push(load.started.elapsed() - up_since);
        server.kill();
        // Down for a moment: some requests meet a closed port, others a server still starting.
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..150))).await;
        restarts.push(server.start(&client).await);
        up_since = load.started.elapsed();
    }
    // The last start takes reports again.
    let before = load.acknowledged();
    let deadline = Instant::now() + Duration::from_secs(30);
    while load.acknowledged() < before + 20 {
        assert!(Instant::now() < deadline, "the server took no report after its last restart");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let scans_served = load.ledger.scans_ok.load(std::sync::atomic::Ordering::Relaxed);
    let attempts = load.stop().await;
    let (took, status) = server.terminate(Duration::from_secs(30));
    assert!(status.success(), "serve exited with {status} after SIGTERM; log:\n{}", server.log_tail());

    let refused: Vec<&load::Attempt> =
        attempts.iter().filter(|a| matches!(a.outcome, Outcome::Status { .. })).collect();
    assert!(
        refused.is_empty(),
        "a kill may cost an answer, never give a wrong one: {:?}\nfirst: {:?}",
        tally(&attempts),
        refused.first().map(|a| &a.outcome)
    );
    let stored = check_stored(&database_url, &server.data_dir, fx.line_id, &attempts).await;
    assert!(stored.acknowledged >= after_reports * kills as usize, "{stored:?}");
    assert!(stored.acknowledged_with_photos >= kills as usize, "{stored:?}");
    server.rollups_check();
    if !load::is_postgres(&database_url) {
        assert_eq!(load::sqlite_integrity(&database_url).await, "ok");
    }
    let scans = scans_counted(&database_url, fx.line_id).await;
    restarts.sort();
    ups.sort();
    eprintln!(
        "FIGURES kill loop on {}: {kills} SIGKILLs (up under load for {:?} median, {:?} max, before each), {} posts sent: \
         {} acknowledged ({} with photos, {} photos) and all {} stored exactly once with every field and photo; \
         {} more stored whose answer the kill cut off; 0 lost, 0 duplicated; outcomes {:?}; scans served {scans_served}, \
         counted {scans} (a kill loses up to the last second); restart to healthy: median {:?}, max {:?}; final \
         SIGTERM exit {took:?}",
        db_name(&database_url),
        ups[ups.len() / 2],
        ups.last().unwrap(),
        attempts.len(),
        stored.acknowledged,
        stored.acknowledged_with_photos,
        stored.photos,
        stored.acknowledged,
        stored.stored_unacknowledged,
        tally(&attempts),
        restarts[restarts.len() / 2],
        restarts.last().unwrap(),
    );
}

/// Photo posts that are still being decoded when SIGTERM arrives are finished and stored; the scan
/// counts still in memory are written; the process exits well within actix's 10 s shutdown timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_requests_in_flight_writes_the_scan_counts_and_exits_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database_url(dir.path()).await;
    let client = client();
    let mut server = Server::new(dir.path(), &database_url);
    server.start(&client).await;
    let fx = fixture(&server, &client).await;
    let url = format!("{}/q/{}", server.base, fx.code);

    // Under load: photo posts that take a while (two 1200x900 photos each, one decode per core),
    // sent at once, and SIGTERM once the first has been answered: the others are in flight.
    let posts: Vec<Spec> = (0..6)
        .map(|n| {
            let mut spec = Spec::new("sigterm", n, true);
            spec.photos = vec![(1200, 900); 2];
            spec
        })
        .collect();
    let files: Vec<Vec<Vec<u8>>> = posts.iter().map(|s| (0..s.photos.len()).map(|i| s.photo(i)).collect()).collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (spec, photos) in posts.clone().into_iter().zip(files) {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let outcome = match spec.send_with(&client, &url, photos).await {
                Ok(res) if res.status() == 303 => Outcome::Acknowledged,
                Ok(res) => Outcome::Status {
                    status: res.status().as_u16(),
                    retry_after: None,
                    kept_form: false,
                    body: res.text().await.unwrap_or_default(),
                },
                Err(e) => Outcome::NoAnswer(e.to_string()),
            };
            (spec, outcome, started.elapsed())
        }));
    }
    // The last scans of the run, while the posts are decoding: at most a second's worth is written
    // by the periodic flush; the rest only by the flush at shutdown.
    let mut scans = 0;
    while !tasks.iter().any(|t| t.is_finished()) {
        let res = client.get(format!("{url}?lot=L2411")).send().await;
        let res = res.unwrap_or_else(|e| {
            panic!("scan {scans} failed at {:?}: {e:?}; log:\n{}", started.elapsed(), server.log_tail())
        });
        assert_eq!(res.status(), 200);
        scans += 1;
        assert!(started.elapsed() < Duration::from_secs(60), "no photo post was answered within a minute");
    }
    let (drain, status) = server.terminate(Duration::from_secs(30));
    let sigterm_at = started.elapsed() - drain;
    assert!(status.success(), "serve exited with {status} after SIGTERM; log:\n{}", server.log_tail());
    let mut attempts = Vec::new();
    let mut after_sigterm = 0;
    for t in tasks {
        let (spec, outcome, answered) = t.await.unwrap();
        assert!(matches!(outcome, Outcome::Acknowledged), "a post in flight at SIGTERM got {outcome:?}");
        if answered > sigterm_at {
            after_sigterm += 1;
        }
        attempts.push(load::Attempt { spec, outcome, sent: Duration::ZERO, answered });
    }
    assert!(after_sigterm >= 3, "only {after_sigterm} posts were still in flight at SIGTERM; the test proves nothing");
    let stored = check_stored(&database_url, &server.data_dir, fx.line_id, &attempts).await;
    assert_eq!(stored.acknowledged, posts.len());
    assert_eq!(scans_counted(&database_url, fx.line_id).await, scans, "scan counts lost at SIGTERM");
    assert!(drain < Duration::from_secs(10), "SIGTERM to exit took {drain:?} under load");

    // Idle, with the client's keep-alive connection open and scans from the last moment.
    server.start(&client).await;
    for _ in 0..50 {
        assert_eq!(client.get(format!("{url}?lot=L2412")).send().await.unwrap().status(), 200);
    }
    let (idle, status) = server.terminate(Duration::from_secs(30));
    assert!(status.success());
    assert_eq!(scans_counted(&database_url, fx.line_id).await, scans + 50, "scan counts lost at an idle SIGTERM");
    assert!(idle < Duration::from_secs(10), "SIGTERM to exit took {idle:?} when idle");
    eprintln!(
        "FIGURES SIGTERM on {}: {} photo posts (2 photos of 1200x900 each) sent at once, {after_sigterm} still in \
         flight at SIGTERM, all {} answered 303 and stored with their photos; {scans} scans from the last moments \
         all written; SIGTERM to exit {drain:?} under load, {idle:?} idle with an open keep-alive connection",
        db_name(&database_url),
        posts.len(),
        posts.len()
    );
}
