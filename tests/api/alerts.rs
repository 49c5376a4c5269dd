//! Spike alerts: `scanback alerts run --at` over a hand-made spike mails the members who take alerts
//! once, in their language, over real SMTP; a second run sends nothing; the API lists the alert and
//! keeps thresholds and recipients per manufacturer.

use scanback::domain::Kind;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{ReportSpec, TestApp, spawn_app};

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339).unwrap()
}

pub(crate) fn run(app: &TestApp, at: OffsetDateTime) -> Value {
    let out = app.cli(&["alerts", "run", "--at", &rfc3339(at)]);
    assert!(out.status.success(), "alerts run failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

pub(crate) async fn wait_for_mails(app: &TestApp, n: usize) -> Vec<crate::helpers::ReceivedMail> {
    for _ in 0..100 {
        let alerts: Vec<_> = app
            .mail
            .received()
            .into_iter()
            .filter(|m| m.part("text/plain").is_some_and(|b| b.contains("/dashboard/reports?")))
            .collect();
        if alerts.len() >= n {
            return alerts;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("fewer than {n} alert mails arrived: {:#?}", app.mail.received());
}

/// Ten days from now (so that the app's own minute-by-minute check, which looks at today, neither
/// sees the spike nor closes its alert): a quiet month of one coating report every four days, then
/// six within three hours.
pub(crate) async fn hand_made_spike(app: &TestApp, manufacturer: uuid::Uuid, line: uuid::Uuid) -> OffsetDateTime {
    let at = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap() + Duration::days(10);
    let mut specs = Vec::new();
    for day in (4..32).step_by(4) {
        let mut s = ReportSpec::new(at - Duration::days(day), Kind::Defect, 2);
        s.category = Some("coating");
        specs.push(s);
    }
    for i in 0..6 {
        let mut s = ReportSpec::new(at - Duration::minutes(170 - i * 30), Kind::Defect, 1);
        s.category = Some("coating");
        s.lot = Some("L7");
        specs.push(s);
    }
    // Praise piling up is no alert.
    for i in 0..8 {
        specs.push(ReportSpec::new(at - Duration::minutes(100 - i * 10), Kind::Praise, 5));
    }
    app.insert_reports(manufacturer, line, &specs).await;
    at
}

#[tokio::test]
async fn a_spike_mails_owner_and_editor_once_and_a_second_run_sends_nothing() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan 28").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let editor = scanback::store::users::create(&app.db, m.manufacturer_id, "ed@acme.test", "editor", "x".into(), "ru")
        .await
        .unwrap();
    scanback::store::users::create(&app.db, m.manufacturer_id, "vi@acme.test", "viewer", "x".into(), "en")
        .await
        .unwrap();
    let at = hand_made_spike(&app, m.manufacturer_id, line_id).await;

    let first = run(&app, at);
    assert_eq!(first["alerts"]["opened"], 1, "{first}");
    assert_eq!(first["alerts"]["mails"], 2, "{first}");
    let mails = wait_for_mails(&app, 2).await;
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, vec!["ed@acme.test".to_owned(), m.owner_email.clone()]);

    let owner_mail = mails.iter().find(|x| x.to.contains(&m.owner_email)).unwrap();
    let subject = owner_mail.subject();
    assert!(subject.starts_with("Spike: 6 Defect reports, category “coating” on Pan 28 in 24 h"), "{subject}");
    let body = owner_mail.part("text/plain").unwrap();
    assert!(body.contains("6 reports of kind “Defect”, category “coating”"), "{body}");
    // 7 reports in the 28 days before, plus half a report, scaled to one day.
    assert!(body.contains("make 0.3 expected"), "{body}");
    assert!(body.contains("about 1 time in "), "{body}");
    assert_eq!(body.matches("· lot L7").count(), 6, "the six reports are listed: {body}");
    let inbox = format!("/dashboard/reports?line={line_id}&kind=defect&category=coating&from=");
    assert!(body.contains(&inbox), "{body}");

    let editor_mail = mails.iter().find(|x| x.to.contains(&editor.email)).unwrap();
    assert!(editor_mail.subject().starts_with("Всплеск: 6"), "{}", editor_mail.subject());
    let ru = editor_mail.part("text/plain").unwrap();
    assert!(ru.contains("6 отзывов вида «Дефект»") || ru.contains("6 отзывов"), "{ru}");
    assert!(ru.contains("ожидалось 0,3"), "{ru}");

    // The same instant again, and half an hour later while the spike lasts: nothing new.
    let again = run(&app, at);
    assert_eq!(again["alerts"], json!({ "opened": 0, "closed": 0, "mails": 0, "webhooks": 0 }), "{again}");
    let later = run(&app, at + Duration::minutes(30));
    assert_eq!(later["alerts"]["opened"], 0, "{later}");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(wait_for_mails(&app, 2).await.len(), 2, "no second alert mail");

    let (status, listed) = app.get_json(&m.api_token, "/api/v1/alerts").await;
    assert_eq!(status, 200);
    let alerts = listed["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{listed}");
    let a = &alerts[0];
    assert_eq!(a["status"], "open");
    assert_eq!(a["product_line_id"], line_id.to_string());
    assert_eq!(
        (a["kind"].as_str(), a["category"].as_str(), a["count"].as_i64()),
        (Some("defect"), Some("coating"), Some(6))
    );
    assert!(a["probability"].as_f64().unwrap() < 0.001);
    assert!(a["inbox_url"].as_str().unwrap().contains(&inbox));

    // Two days later the reports have left the window: the alert closes, nothing is sent.
    let calm = run(&app, at + Duration::days(2));
    assert_eq!(calm["alerts"]["closed"], 1, "{calm}");
    assert_eq!(calm["alerts"]["mails"], 0, "{calm}");
    let (_, closed) = app.get_json(&m.api_token, "/api/v1/alerts?status=closed").await;
    assert_eq!(closed["alerts"][0]["status"], "closed");
    assert_eq!(app.get_json(&m.api_token, "/api/v1/alerts?status=open").await.1["alerts"], json!([]));

    // Another manufacturer sees none of it.
    let other = app.create_manufacturer("Brandt").await;
    assert_eq!(app.get_json(&other.api_token, "/api/v1/alerts").await.1["alerts"], json!([]));

    // Every alert mail carries its reader's one-click unsubscribe (RFC 8058), which stops alerts only.
    assert_eq!(editor_mail.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let link = editor_mail.header("List-Unsubscribe").unwrap();
    let link = link.trim_start_matches('<').trim_end_matches('>').to_owned();
    assert!(link.starts_with(&format!("{}/unsubscribe/alerts/", app.address)), "{link}");
    assert!(ru.contains(&link), "the text says how to stop them too");
    let page = app.client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Отключить оповещения"), "a GET only asks, in the member's language");
    let after_get = scanback::store::users::get(&app.db, editor.id).await.unwrap();
    assert_eq!(after_get.alerts, None, "a GET changes nothing");
    let forged = format!("{}x", &link[..link.len() - 1]);
    assert_eq!(app.client.post(&forged).body("List-Unsubscribe=One-Click").send().await.unwrap().status(), 404);
    let res = app
        .client
        .post(&link)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let editor_now = scanback::store::users::get(&app.db, editor.id).await.unwrap();
    assert_eq!(editor_now.alerts, Some(false), "alerts off for the editor");
}

#[tokio::test]
async fn a_member_who_opts_out_gets_no_alert_and_thresholds_are_the_manufacturers() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan 28").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let editor = scanback::store::users::create(&app.db, m.manufacturer_id, "ed@acme.test", "editor", "x".into(), "en")
        .await
        .unwrap();
    let viewer = scanback::store::users::create(&app.db, m.manufacturer_id, "vi@acme.test", "viewer", "x".into(), "en")
        .await
        .unwrap();
    let (_, editor_token) =
        scanback::store::api_tokens::create(&app.db, m.manufacturer_id, editor.id, "ed", true).await.unwrap();

    let (status, settings) = app.get_json(&m.api_token, "/api/v1/alert-settings").await;
    assert_eq!(status, 200);
    assert_eq!(
        (&settings["min_count"], &settings["threshold"], &settings["window_hours"], &settings["cooldown_hours"]),
        (&json!(4), &json!(0.001), &json!(24), &json!(72))
    );
    let takes: Vec<(String, bool)> = settings["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["role"].as_str().unwrap().to_owned(), x["alerts"].as_bool().unwrap()))
        .collect();
    assert_eq!(takes, [("owner".into(), true), ("editor".into(), true), ("viewer".into(), false)]);

    let put = |token: String, path: String, body: Value| {
        let app = &app;
        async move {
            let res = app.client.put(app.url(&path)).bearer_auth(token).json(&body).send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Only an owner changes them; a bad value names its field and changes nothing.
    let (status, _) = put(editor_token.clone(), "/api/v1/alert-settings".into(), json!({ "min_count": 2 })).await;
    assert_eq!(status, 403);
    for (body, field) in [
        (json!({ "threshold": 0 }), "threshold"),
        (json!({ "min_count": 0 }), "min_count"),
        (json!({ "window_hours": 500 }), "window_hours"),
        (json!({ "cooldown_hours": 1 }), "cooldown_hours"),
    ] {
        let (status, answer) = put(m.api_token.clone(), "/api/v1/alert-settings".into(), body.clone()).await;
        assert_eq!((status, answer["error"]["field"].as_str()), (422, Some(field)), "{body} -> {answer}");
    }
    assert_eq!(app.get_json(&m.api_token, "/api/v1/alert-settings").await.1["min_count"], 4);
    let (status, changed) = put(m.api_token.clone(), "/api/v1/alert-settings".into(), json!({ "min_count": 7 })).await;
    assert_eq!((status, &changed["min_count"], &changed["threshold"]), (200, &json!(7), &json!(0.001)));

    // The editor opts out, the viewer in; another manufacturer's member is not found.
    let (status, _) =
        put(m.api_token.clone(), format!("/api/v1/members/{}/alerts", editor.id), json!({ "alerts": false })).await;
    assert_eq!(status, 200);
    let (status, r) =
        put(m.api_token.clone(), format!("/api/v1/members/{}/alerts", viewer.id), json!({ "alerts": true })).await;
    assert_eq!((status, &r["alerts"]), (200, &json!(true)));
    let (status, _) =
        put(editor_token, format!("/api/v1/members/{}/alerts", editor.id), json!({ "alerts": true })).await;
    assert_eq!(status, 403);
    let other = app.create_manufacturer("Brandt").await;
    let (status, _) =
        put(other.api_token.clone(), format!("/api/v1/members/{}/alerts", viewer.id), json!({ "alerts": false })).await;
    assert_eq!(status, 404);

    // Six reports are below this manufacturer's minimum of seven: no alert...
    let at = hand_made_spike(&app, m.manufacturer_id, line_id).await;
    assert_eq!(run(&app, at)["alerts"]["opened"], 0);
    // ...at four they are one, mailed to the owner and the viewer who opted in.
    put(m.api_token.clone(), "/api/v1/alert-settings".into(), json!({ "min_count": 4 })).await;
    let out = run(&app, at);
    assert_eq!(out["alerts"]["opened"], 1, "{out}");
    assert_eq!(out["alerts"]["mails"], 2, "{out}");
    wait_for_mails(&app, 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut to: Vec<String> = wait_for_mails(&app, 2).await.iter().flat_map(|x| x.to.clone()).collect();
    to.sort();
    assert_eq!(to, vec![m.owner_email.clone(), "vi@acme.test".to_owned()]);
}

#[tokio::test]
async fn serve_opens_and_mails_an_alert_by_itself() {
    let app = crate::helpers::spawn_app_with(|s| s.alert_check_seconds = 1).await;
    let (m, line) = app.manufacturer_with_line("Pan 28").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let now = OffsetDateTime::now_utc();
    // Exactly the minimum count, so a check that runs while they are being written sees no spike yet.
    let specs: Vec<ReportSpec> = (0..4)
        .map(|i| {
            let mut s = ReportSpec::new(now - Duration::minutes(50 - i * 10), Kind::Defect, 1);
            s.category = Some("coating");
            s
        })
        .collect();
    app.insert_reports(m.manufacturer_id, line_id, &specs).await;
    let mails = wait_for_mails(&app, 1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, vec![m.owner_email.clone()]);
    assert!(mails[0].subject().starts_with("Spike: 4 Defect reports"), "{}", mails[0].subject());
    // Later checks of the same spike send nothing more.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(wait_for_mails(&app, 1).await.len(), 1);
    let (_, listed) = app.get_json(&m.api_token, "/api/v1/alerts?status=open").await;
    assert_eq!(listed["alerts"].as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn two_runs_at_once_open_one_alert_with_one_mail_each_and_one_webhook_event() {
    let app = crate::helpers::spawn_app_with(|s| s.webhook_allow_private = true).await;
    let receiver = crate::webhooks::start_receiver(0);
    let (m, line) = app.manufacturer_with_line("Pan 28").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let res = app
        .client
        .post(app.url("/api/v1/webhooks"))
        .bearer_auth(&m.api_token)
        .json(&json!({ "url": receiver.url, "events": ["alert.opened"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let secret = res.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned();
    let at = hand_made_spike(&app, m.manufacturer_id, line_id).await;

    // Two processes, as from two machines' cron, at the same instant.
    let at_text = rfc3339(at);
    let mut children: Vec<std::process::Child> = (0..2)
        .map(|_| {
            app.command(&["alerts", "run", "--at", &at_text])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut outputs = Vec::new();
    while !children.is_empty() {
        let mut still = Vec::new();
        for mut c in children {
            if c.try_wait().unwrap().is_some() {
                outputs.push(c.wait_with_output().unwrap());
            } else {
                still.push(c);
            }
        }
        children = still;
        // Await, so this runtime keeps serving the webhook receiver meanwhile.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mut opened = 0;
    for out in &outputs {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        opened += report["alerts"]["opened"].as_i64().unwrap();
    }
    assert_eq!(opened, 1, "exactly one of the two runs opens the alert");
    assert_eq!(wait_for_mails(&app, 1).await.len(), 1, "one mail: the owner is the only member");

    for _ in 0..100 {
        if !receiver.seen.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert!(crate::webhooks::verify(&secret, &seen[0]));
    let body: Value = serde_json::from_str(&seen[0].body).unwrap();
    assert_eq!(body["type"], "alert.opened");
    assert_eq!(body["data"]["count"], 6);
    assert_eq!(body["data"]["category"], "coating");
    assert_eq!(body["data"]["status"], "open");
}
