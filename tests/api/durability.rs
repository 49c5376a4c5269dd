use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::fresh_database_url;

/// Fault test: the server is killed with SIGKILL in the middle of a burst of submissions. Every
/// report that was acknowledged with a 303 must be in the database afterwards.
#[tokio::test]
async fn every_acknowledged_report_survives_a_kill_during_a_burst() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database_url(dir.path()).await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scanback"))
        .args(["serve", "--demo"])
        .current_dir(dir.path())
        .env("SCANBACK_DATABASE_URL", &database_url)
        .env("SCANBACK_LISTEN", format!("127.0.0.1:{port}"))
        .env("SCANBACK_PUBLIC_URL", &base)
        .env("SCANBACK_SUBMIT_BURST", "100000")
        .env("SCANBACK_SUBMIT_PER_MINUTE", "100000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let code = loop {
        // The demo line is the only one; its code is in the database once the server is up.
        if let Ok(res) = client.get(format!("{base}/healthz")).send().await
            && res.status() == 200
        {
            let db = scanback::store::connect(&database_url).await.unwrap();
            let rows = db
                .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT code FROM product_lines"))
                .await
                .unwrap();
            if let Some(row) = rows.first() {
                break row.try_get::<String>("", "code").unwrap();
            }
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut senders = Vec::new();
    for worker in 0..16 {
        let client = client.clone();
        let url = format!("{base}/q/{code}");
        let acknowledged = acknowledged.clone();
        senders.push(tokio::spawn(async move {
            for n in 0.. {
                let comment = format!("durability {worker}-{n}");
                match client
                    .post(&url)
                    .form(&[("kind", "defect"), ("rating", "2"), ("comment", comment.as_str())])
                    .send()
                    .await
                {
                    Ok(res) if res.status() == 303 => acknowledged.lock().unwrap().push(comment),
                    Ok(_) => {}
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap();
    let _ = child.wait();
    for s in senders {
        let _ = s.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 20, "the burst was too small to mean anything: {}", acknowledged.len());

    let db = scanback::store::connect(&database_url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), "SELECT comment FROM reports"))
        .await
        .unwrap();
    let stored: HashSet<String> = rows.iter().map(|r| r.try_get::<String>("", "comment").unwrap()).collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|c| !stored.contains(*c)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged reports were lost, e.g. {:?}",
        lost.len(),
        acknowledged.len(),
        lost.first()
    );
}
