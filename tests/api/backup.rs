//! The restore drill of docs/operations.md: a backup taken while customers keep sending reports
//! (`scanback backup --to FILE` on SQLite, `pg_dump` on PostgreSQL), restored into a fresh
//! database, holds every report acknowledged before the backup began, and the restored database
//! serves.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app_with};

fn unlimited(s: &mut scanback::config::Settings) {
    s.submit_burst = 1_000_000;
    s.submit_per_minute = 1_000_000;
}

/// Every comment of the line's reports, through the API, page by page.
async fn all_comments(app: &TestApp, token: &str, line_id: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = app.url(&format!("/api/v1/reports?product_line={line_id}&limit=500"));
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let res = app.client.get(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        cursor = res.headers().get("x-next-cursor").map(|v| v.to_str().unwrap().to_owned());
        let page: Vec<Value> = res.json().await.unwrap();
        out.extend(page.iter().map(|r| r["comment"].as_str().unwrap().to_owned()));
        if cursor.is_none() {
            return out;
        }
    }
}

/// A backup of the app's database, in `dir`.
enum Backup {
    Sqlite(std::path::PathBuf),
    Postgres(std::path::PathBuf),
}

/// Backs up the app's database into `dir` as an operator would, beside the running server.
fn backup(app: &TestApp, dir: &std::path::Path) -> Backup {
    let url = &app.settings.database_url;
    if url.starts_with("sqlite:") {
        let file = dir.join("backup.db");
        let out = app.cli(&["backup", "--to", file.to_str().unwrap()]);
        assert!(out.status.success(), "backup: {}", String::from_utf8_lossy(&out.stderr));
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(printed["bytes"].as_u64().unwrap() > 0, "{printed}");
        Backup::Sqlite(file)
    } else {
        let out = app.cli(&["backup", "--to", dir.join("x").to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"), "the command says what to use instead");
        let file = dir.join("backup.pgdump");
        let out = std::process::Command::new("pg_dump")
            .args(["--format=custom", "--file", file.to_str().unwrap(), url])
            .output()
            .expect("pg_dump (postgresql-client) is installed");
        assert!(out.status.success(), "pg_dump: {}", String::from_utf8_lossy(&out.stderr));
        Backup::Postgres(file)
    }
}

/// Restores the backup into a fresh database; returns its URL.
fn restore(app: &TestApp, backup: &Backup, dir: &std::path::Path) -> String {
    match backup {
        Backup::Sqlite(file) => {
            let again = app.cli(&["backup", "--to", file.to_str().unwrap()]);
            assert!(!again.status.success(), "an existing file is never overwritten");
            // Restoring is putting the file where the service expects its database.
            let restored = dir.join("restored.db");
            std::fs::copy(file, &restored).unwrap();
            format!("sqlite://{}?mode=rwc", restored.display())
        }
        Backup::Postgres(file) => {
            let url = &app.settings.database_url;
            let name = format!("scanback_restore_{}", uuid::Uuid::new_v4().simple());
            let admin = std::process::Command::new("psql")
                .args([url.as_str(), "-c", &format!("CREATE DATABASE \"{name}\"")])
                .output()
                .unwrap();
            assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
            let mut restored = url::Url::parse(url).unwrap();
            restored.set_path(&name);
            let out = std::process::Command::new("pg_restore")
                .args(["--no-owner", "--exit-on-error", "--dbname", restored.as_str(), file.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(out.status.success(), "pg_restore: {}", String::from_utf8_lossy(&out.stderr));
            restored.to_string()
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_load_restores_every_report_acknowledged_before_it_began_and_serves() {
    let app = spawn_app_with(unlimited).await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap().to_owned();
    let line_id = line["id"].as_str().unwrap().to_owned();

    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (client, url) = (app.client.clone(), app.url(&format!("/q/{code}")));
        let (acked, stop, next) = (acked.clone(), stop.clone(), next.clone());
        writers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let comment = format!("load {}", next.fetch_add(1, Ordering::Relaxed));
                let form = [("kind", "defect"), ("rating", "2"), ("comment", comment.as_str())];
                if let Ok(res) = client.post(&url).form(&form).send().await {
                    assert_eq!(res.status(), 303, "a report under load");
                    if res.status() == 303 {
                        acked.lock().unwrap().push(comment);
                    }
                }
            }
        }));
    }
    let started = Instant::now();
    while acked.lock().unwrap().len() < 40 {
        assert!(started.elapsed() < Duration::from_secs(60), "the load did not get going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let before: Vec<String> = acked.lock().unwrap().clone();
    let dir = tempfile::tempdir().unwrap();
    let taken = tokio::task::block_in_place(|| backup(&app, dir.path()));
    let during = acked.lock().unwrap().len() - before.len();
    let restored_url = tokio::task::block_in_place(|| restore(&app, &taken, dir.path()));
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let total = acked.lock().unwrap().len();
    assert!(during > 0, "reports kept being acknowledged while the backup ran");

    let restored = spawn_app_with(|s| {
        unlimited(s);
        s.database_url = restored_url.clone();
    })
    .await;
    let comments = all_comments(&restored, &m.api_token, &line_id).await;
    let mut unique = comments.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), comments.len(), "no report twice");
    let missing: Vec<&String> = before.iter().filter(|c| !comments.contains(c)).collect();
    assert!(missing.is_empty(), "acknowledged before the backup but not restored: {missing:?}");
    eprintln!(
        "restore drill: {} acknowledged before the backup, {during} during it, {total} in all; {} restored",
        before.len(),
        comments.len()
    );
    let integrity = restored.db.execute_unprepared("SELECT 1").await;
    assert!(integrity.is_ok());

    // The restored database serves: the scan page, a new report, the statistics.
    let page = restored.client.get(restored.url(&format!("/q/{code}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let res =
        restored.post_feedback(&code, &[("kind", "praise"), ("rating", "5"), ("comment", "after the restore")]).await;
    assert_eq!(res.status(), 303);
    let comments = all_comments(&restored, &m.api_token, &line_id).await;
    assert!(comments.iter().any(|c| c == "after the restore"));
    let stats = restored.stats(&m.api_token, &line_id).await;
    assert_eq!(stats["reports"].as_u64().map(|n| n as usize), Some(comments.len()), "{stats}");
}
