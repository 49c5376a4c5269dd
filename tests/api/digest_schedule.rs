//! Digest delivery over simulated time: a fortnight across both DST changes with two runners racing on
//! one database, an SMTP outage, and `serve` sending a due digest by itself.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::Stdio;

use scanback::domain::Kind;
use serde_json::Value;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::digest::{put_json, subscription};
use crate::helpers::{MailServer, ReportSpec, spawn_app};

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap()
}

fn periods_by_recipient(mails: &[crate::helpers::ReceivedMail]) -> BTreeMap<(String, String), usize> {
    let mut seen = BTreeMap::new();
    for m in mails {
        if let Some(period) = m.header("X-Scanback-Period") {
            *seen.entry((m.to.join(","), period)).or_insert(0) += 1;
        }
    }
    seen
}

#[tokio::test]
async fn a_fortnight_across_dst_in_two_zones_with_two_runners_sends_one_digest_per_period() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    // 02:00 is the hour both changes skip in spring.
    let (status, _) =
        put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 2, "America/New_York", "en"))
            .await;
    assert_eq!(status, 200);
    let berlin =
        scanback::store::users::create(&app.db, m.manufacturer_id, "berlin@acme.test", "viewer", "x".into(), "ru")
            .await
            .unwrap();
    let (status, _) = put_json(
        &app,
        &m.api_token,
        &format!("/api/v1/members/{}/subscription", berlin.id),
        &subscription("daily", 2, "Europe/Berlin", "ru"),
    )
    .await;
    assert_eq!(status, 200);
    let specs: Vec<_> = (0..16)
        .map(|d| ReportSpec::new(datetime!(2027-03-13 12:00 UTC) + Duration::days(d), Kind::Defect, 2))
        .collect();
    app.insert_reports(m.manufacturer_id, line_id, &specs).await;

    let start = datetime!(2027-03-13 00:00 UTC);
    let end = datetime!(2027-03-30 00:00 UTC);
    let mut at = start;
    while at <= end {
        let instant = rfc3339(at);
        let runners: Vec<_> = (0..2)
            .map(|_| {
                let mut c = app.cli_command_with_smtp(&["digest", "run", "--at", &instant], app.mail.port);
                c.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start a runner")
            })
            .collect();
        for r in runners {
            let out = r.wait_with_output().unwrap();
            assert!(out.status.success(), "runner at {instant}: {}", String::from_utf8_lossy(&out.stderr));
        }
        at += Duration::hours(1);
    }

    let mails = app.mail.received();
    let seen = periods_by_recipient(&mails);
    for ((to, period), n) in &seen {
        assert_eq!(*n, 1, "{to} got {n} digests for {period}");
    }
    let owner = m.owner_email.clone();
    for day in 13..=29 {
        for to in [&owner, &"berlin@acme.test".to_owned()] {
            let key = (to.clone(), format!("daily:2027-03-{day}"));
            assert!(seen.contains_key(&key), "missing {key:?}");
        }
    }
    // Sent at the first instant after each skipped hour: 03:00 EDT and 03:00 CEST.
    let (_, outbox) = app.get_json(&m.api_token, "/api/v1/outbox?limit=200").await;
    let sent_at = |subject_part: &str, to: &str| -> Vec<String> {
        outbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["recipient"] == to && r["kind"] == "digest")
            .filter(|r| r["subject"].as_str().unwrap_or_default().contains(subject_part) || subject_part.is_empty())
            .map(|r| r["sent_at"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let ny = sent_at("", &owner);
    assert!(ny.contains(&"2027-03-14T07:00:00Z".to_owned()), "{ny:?}");
    assert!(ny.contains(&"2027-03-13T07:00:00Z".to_owned()) && ny.contains(&"2027-03-15T06:00:00Z".to_owned()));
    let de = sent_at("", "berlin@acme.test");
    assert!(de.contains(&"2027-03-28T01:00:00Z".to_owned()), "{de:?}");
    assert!(de.contains(&"2027-03-27T01:00:00Z".to_owned()) && de.contains(&"2027-03-29T00:00:00Z".to_owned()));
    // Each one in its reader's language.
    let berlin_mail = mails.iter().find(|m| m.to == vec!["berlin@acme.test".to_owned()]).unwrap();
    assert!(berlin_mail.part("text/html").unwrap().contains("<html lang=\"ru\">"));
}

#[tokio::test]
async fn an_smtp_outage_of_six_hours_delivers_every_digest_once_late() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "UTC", "en")).await;
    // A port where nothing listens yet: the SMTP server is down.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    let due = datetime!(2027-03-10 08:00 UTC);
    for h in 0..6 {
        let out = app
            .cli_command_with_smtp(&["digest", "run", "--at", &rfc3339(due + Duration::hours(h))], port)
            .output()
            .unwrap();
        assert!(!out.status.success(), "a run that could not deliver says so");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(report["failed"].as_u64().unwrap() >= 1, "{report}");
    }
    let (_, outbox) = app.get_json(&m.api_token, "/api/v1/outbox?limit=200").await;
    let queued: Vec<_> = outbox.as_array().unwrap().iter().filter(|r| r["kind"] == "digest").collect();
    assert!(!queued.is_empty());
    assert!(queued.iter().all(|r| r["status"] == "queued" && r["last_error"].is_string()), "{outbox}");

    // The server comes back on the same port.
    let back = MailServer::start_on(TcpListener::bind(("127.0.0.1", port)).unwrap());
    let late = due + Duration::hours(6);
    let out = app.cli_command_with_smtp(&["digest", "run", "--at", &rfc3339(late)], port).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = app
        .cli_command_with_smtp(&["digest", "run", "--at", &rfc3339(late + Duration::hours(1))], port)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mails = back.received();
    let seen = periods_by_recipient(&mails);
    assert!(seen.contains_key(&(m.owner_email.clone(), "daily:2027-03-10".to_owned())));
    assert_eq!(seen.len(), queued.len(), "every queued digest arrived");
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    let (_, outbox) = app.get_json(&m.api_token, "/api/v1/outbox?limit=200").await;
    let row = outbox
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "digest" && r["sent_at"] == "2027-03-10T14:00:00Z")
        .expect("delivered six hours late");
    assert_eq!(row["status"], "sent");
    assert_eq!(row["attempts"], 7, "six failures, then the delivery");
}

#[tokio::test]
async fn serve_sends_a_due_digest_by_itself() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    // A subscription made two days ago whose hour passed an hour ago: one period is due now.
    let owner = scanback::store::users::find_by_email(&app.db, &m.owner_email).await.unwrap().unwrap();
    let now = OffsetDateTime::now_utc();
    let two_days_ago = now - Duration::days(2);
    let mut s = scanback::store::subscriptions::default_for(&owner, "UTC", two_days_ago);
    s.hour = i32::from((now - Duration::hours(1)).hour());
    s.send_empty = true;
    scanback::store::subscriptions::put(&app.db, s, true, two_days_ago).await.unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut serve = app
        .cli_command_with_smtp(&["serve", "--listen", &format!("127.0.0.1:{port}")], app.mail.port)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let expected = format!("daily:{}", (now - Duration::hours(1)).date());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut got = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    while std::time::Instant::now() < deadline && !keys.contains(&expected) {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        got = app.mail.received().into_iter().filter(|m| m.header("X-Scanback-Period").is_some()).collect();
        keys = got.iter().filter_map(|m| m.header("X-Scanback-Period")).collect();
    }
    let _ = serve.kill();
    let _ = serve.wait();
    assert!(keys.contains(&expected), "serve sent no digest for {expected} within a minute: {keys:?}");
    assert_eq!(got.len(), keys.iter().collect::<std::collections::BTreeSet<_>>().len(), "one per period");
}

#[tokio::test]
async fn a_runner_killed_during_a_send_leaves_the_digest_to_the_next_run_once() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    let mut body = subscription("daily", 8, "UTC", "en");
    body["send_empty"] = serde_json::json!(true);
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &body).await;
    // An SMTP server that accepts connections and then says nothing: the send hangs.
    let hung = TcpListener::bind("127.0.0.1:0").unwrap();
    let hung_port = hung.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in hung.incoming().flatten() {
            held.push(conn);
        }
    });
    let due = datetime!(2027-03-10 08:00 UTC);
    let mut runner = app
        .cli_command_with_smtp(&["digest", "run", "--at", &rfc3339(due)], hung_port)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, outbox) = app.get_json(&m.api_token, "/api/v1/outbox?limit=200").await;
        if outbox.as_array().unwrap().iter().any(|r| r["status"] == "sending") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the runner never started sending: {outbox}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    runner.kill().unwrap(); // SIGKILL: no cleanup runs.
    runner.wait().unwrap();

    // Within the lease nobody takes the mail over; after it, the next run sends it.
    let out = app
        .cli_command_with_smtp(&["digest", "run", "--at", &rfc3339(due + Duration::minutes(1))], app.mail.port)
        .output()
        .unwrap();
    assert!(out.status.success());
    let in_lease = periods_by_recipient(&app.mail.received());
    let out = app
        .cli_command_with_smtp(&["digest", "run", "--at", &rfc3339(due + Duration::minutes(6))], app.mail.port)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let seen = periods_by_recipient(&app.mail.received());
    assert!(seen.contains_key(&(m.owner_email.clone(), "daily:2027-03-10".to_owned())), "{seen:?}");
    assert!(seen.values().all(|n| *n == 1), "{seen:?}");
    assert!(in_lease.len() < seen.len(), "the mail being sent when the runner died waited for its lease");
    let (_, outbox) = app.get_json(&m.api_token, "/api/v1/outbox?limit=200").await;
    assert!(
        outbox.as_array().unwrap().iter().filter(|r| r["kind"] == "digest").all(|r| r["status"] == "sent"),
        "{outbox}"
    );
}
