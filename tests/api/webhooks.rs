//! Webhooks: endpoints managed through the API, events signed per Standard Webhooks, retried after a
//! failure with the same webhook-id, delivered once; the SSRF guard at creation and at delivery.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::helpers::{spawn_app, spawn_app_with, valid_form};

#[derive(Clone, Debug)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
    /// What the receiver answered.
    pub answered: u16,
}

/// A webhook receiver on 127.0.0.1 that answers 500 to its first `fail_first` requests, then 200.
pub struct Receiver {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Received>>>,
}

pub fn start_receiver(fail_first: usize) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let state = seen.clone();
    let server = HttpServer::new(move || {
        let state = state.clone();
        App::new().app_data(web::Data::new(state)).route(
            "/hook",
            web::post().to(
                move |req: HttpRequest, body: String, seen: web::Data<Arc<Mutex<Vec<Received>>>>| async move {
                    let header = |name: &str| {
                        req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
                    };
                    let mut seen = seen.lock().unwrap();
                    let answered = if seen.len() < fail_first { 500 } else { 200 };
                    seen.push(Received {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp"),
                        signature: header("webhook-signature"),
                        body,
                        answered,
                    });
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(answered).unwrap()).finish()
                },
            ),
        )
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    Receiver { url: format!("http://127.0.0.1:{port}/hook"), seen }
}

/// Verifies a delivery's signature the way a receiver would, independently of scanback's code.
pub fn verify(secret: &str, r: &Received) -> bool {
    let key = base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", r.id, r.timestamp, r.body).as_bytes());
    let expected = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
    r.signature.split(' ').any(|s| s == expected)
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn post_webhook(app: &crate::helpers::TestApp, token: &str, body: &Value) -> (u16, Value) {
    let res = app.client.post(app.url("/api/v1/webhooks")).bearer_auth(token).json(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn log(app: &crate::helpers::TestApp, token: &str, hook: &str) -> (u16, Value) {
    app.get_json(token, &format!("/api/v1/webhooks/{hook}/deliveries")).await
}

#[tokio::test]
async fn a_receiver_sees_a_retry_after_answering_500_and_gets_each_event_once() {
    let app = spawn_app_with(|s| s.webhook_allow_private = true).await;
    let receiver = start_receiver(1);
    let (m, line) = app.manufacturer_with_line("Pan 28").await;
    let (status, created) = post_webhook(
        &app,
        &m.api_token,
        &json!({ "url": receiver.url, "events": ["report.created", "report.status_changed"] }),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    let key = base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    assert!(key.len() >= 24, "{secret}");
    assert_eq!(created["events"], json!(["report.created", "report.status_changed"]));
    let hook = created["id"].as_str().unwrap().to_owned();

    // A customer's report: the deliverer tries at once and the receiver answers 500.
    let res = app.post_feedback(line["code"].as_str().unwrap(), &valid_form()).await;
    assert_eq!(res.status(), 303);
    wait_for("the first attempt", || receiver.seen.lock().unwrap().len() == 1).await;
    let mut first = Value::Null;
    for _ in 0..50 {
        let (status, body) = log(&app, &m.api_token, &hook).await;
        assert_eq!(status, 200);
        first = body["deliveries"][0].clone();
        if first["attempts"] == 1 && first["status"] == "queued" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(first["status"], "queued", "{first}");
    assert_eq!(first["response_status"], 500, "{first}");
    assert!(first["last_error"].as_str().unwrap().contains("500"), "{first}");

    // Nothing is retried before the backoff has passed...
    let client = scanback::jobs::webhooks::client(&app.settings).unwrap();
    let now = time::OffsetDateTime::now_utc();
    let early = scanback::jobs::webhooks::deliver_once(&app.db, &client, &app.settings, now).await.unwrap();
    assert_eq!(early.delivered + early.failed, 0);
    // ...and then it is, with the same webhook-id.
    let later = now + time::Duration::minutes(2);
    let retry = scanback::jobs::webhooks::deliver_once(&app.db, &client, &app.settings, later).await.unwrap();
    assert_eq!(retry.delivered, 1, "{retry:?}");

    // A status change, delivered at the first attempt.
    let report_id = app.reports(&m.api_token, line["id"].as_str().unwrap()).await[0]["id"].as_str().unwrap().to_owned();
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/reports/{report_id}")))
        .bearer_auth(&m.api_token)
        .json(&json!({ "status": "in_progress" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    wait_for("the status event", || receiver.seen.lock().unwrap().len() == 3).await;
    // The receiver has answered; wait until the deliverer has recorded it, or the jump of an hour
    // below would find the delivery still leased and (rightly) try it again.
    for _ in 0..100 {
        let (_, body) = log(&app, &m.api_token, &hook).await;
        let all = body["deliveries"].as_array().cloned().unwrap_or_default();
        if all.len() == 2 && all.iter().all(|d| d["status"] == "delivered") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Nothing more arrives: every event was answered 200 once.
    let more =
        scanback::jobs::webhooks::deliver_once(&app.db, &client, &app.settings, later + time::Duration::hours(1))
            .await
            .unwrap();
    assert_eq!(more.delivered + more.failed, 0);

    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3, "{seen:#?}");
    for r in &seen {
        assert!(verify(&secret, r), "a signature does not verify: {r:?}");
        assert!(r.id.starts_with("msg_"), "{r:?}");
    }
    assert_eq!(seen[0].id, seen[1].id, "a retry carries the same webhook-id");
    assert_eq!(seen[0].body, seen[1].body);
    let delivered: Vec<Value> =
        seen.iter().filter(|r| r.answered == 200).map(|r| serde_json::from_str(&r.body).unwrap()).collect();
    let types: Vec<&str> = delivered.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["report.created", "report.status_changed"]);
    assert_eq!(delivered[0]["data"]["id"], report_id.as_str());
    assert_eq!(delivered[0]["data"]["kind"], "defect");
    assert!(delivered[0]["data"].get("email").is_none(), "no customer address leaves scanback");
    assert_eq!(delivered[1]["data"]["from"], "new");
    assert_eq!(delivered[1]["data"]["to"], "in_progress");

    // The log: the report's delivery took two attempts; the secret is never shown again.
    let (_, body) = log(&app, &m.api_token, &hook).await;
    let deliveries = body["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 2);
    let created_log = deliveries.iter().find(|d| d["event_type"] == "report.created").unwrap();
    assert_eq!(created_log["status"], "delivered");
    assert_eq!(created_log["attempts"], 2);
    assert_eq!(created_log["response_status"], 200);
    assert_eq!(created_log["id"], seen[0].id.as_str());
    let (status, listed) = app.get_json(&m.api_token, "/api/v1/webhooks").await;
    assert_eq!(status, 200);
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 1);
    assert!(listed["webhooks"][0].get("secret").is_none(), "{listed}");

    // Deleted: gone, with its log.
    let res = app.client.delete(app.url(&format!("/api/v1/webhooks/{hook}"))).bearer_auth(&m.api_token).send().await;
    assert_eq!(res.unwrap().status(), 204);
    assert_eq!(app.get_json(&m.api_token, &format!("/api/v1/webhooks/{hook}")).await.0, 404);
}

#[tokio::test]
async fn private_addresses_and_bad_bodies_are_refused_at_creation() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    for (body, field) in [
        (json!({ "url": "https://127.0.0.1/hook", "events": ["report.created"] }), "url"),
        (json!({ "url": "https://localhost/hook", "events": ["report.created"] }), "url"),
        (json!({ "url": "https://[::1]/hook", "events": ["report.created"] }), "url"),
        (json!({ "url": "https://169.254.169.254/latest", "events": ["report.created"] }), "url"),
        (json!({ "url": "http://hooks.example.com/in", "events": ["report.created"] }), "url"),
        (json!({ "events": ["report.created"] }), "url"),
        (json!({ "url": "https://hooks.example.com/in", "events": [] }), "events"),
        (json!({ "url": "https://hooks.example.com/in", "events": ["report.deleted"] }), "events"),
        (json!({ "url": "https://hooks.example.com/in", "events": "report.created" }), "events"),
    ] {
        let (status, answer) = post_webhook(&app, &m.api_token, &body).await;
        assert_eq!(status, 422, "{body} -> {answer}");
        assert_eq!(answer["error"]["field"], field, "{body} -> {answer}");
    }
    let (_, listed) = app.get_json(&m.api_token, "/api/v1/webhooks").await;
    assert_eq!(listed["webhooks"], json!([]), "nothing refused was stored");
}

#[tokio::test]
async fn a_delivery_to_a_private_address_is_refused_at_delivery_time() {
    // The endpoint row as if its name had resolved to a public address when it was created.
    let app = spawn_app().await;
    let receiver = start_receiver(0);
    let (m, line) = app.manufacturer_with_line("Pan 28").await;
    let secret = scanback::domain::webhook::secret_from(&[7u8; 24]);
    scanback::store::webhooks::create_endpoint(&app.db, m.manufacturer_id, &receiver.url, "report.created", &secret)
        .await
        .unwrap();
    assert_eq!(app.post_feedback(line["code"].as_str().unwrap(), &valid_form()).await.status(), 303);
    let client = scanback::jobs::webhooks::client(&app.settings).unwrap();
    let later = time::OffsetDateTime::now_utc() + time::Duration::minutes(5);
    let mut refused = false;
    for _ in 0..50 {
        let _ = scanback::jobs::webhooks::deliver_once(&app.db, &client, &app.settings, later).await.unwrap();
        let hooks = scanback::store::webhooks::endpoints(&app.db, m.manufacturer_id).await.unwrap();
        let log = scanback::store::webhooks::deliveries(&app.db, hooks[0].id, 10).await.unwrap();
        if log.first().is_some_and(|d| d.attempts >= 1 && d.last_error.is_some()) {
            let error = log[0].last_error.clone().unwrap();
            assert!(error.contains("private"), "{error}");
            assert_ne!(log[0].status, "delivered");
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refused, "the delivery was never attempted");
    assert!(receiver.seen.lock().unwrap().is_empty(), "nothing reached the private address");
}

#[tokio::test]
async fn only_owners_manage_webhooks_and_another_manufacturers_are_not_found() {
    let app = spawn_app_with(|s| s.webhook_allow_private = true).await;
    let receiver = start_receiver(0);
    let a = app.create_manufacturer("Acme").await;
    let b = app.create_manufacturer("Brandt").await;
    let (status, created) =
        post_webhook(&app, &a.api_token, &json!({ "url": receiver.url, "events": ["alert.opened"] })).await;
    assert_eq!(status, 201);
    let hook = created["id"].as_str().unwrap();

    for path in [format!("/api/v1/webhooks/{hook}"), format!("/api/v1/webhooks/{hook}/deliveries")] {
        assert_eq!(app.get_json(&b.api_token, &path).await.0, 404, "{path}");
    }
    let res = app.client.delete(app.url(&format!("/api/v1/webhooks/{hook}"))).bearer_auth(&b.api_token).send().await;
    assert_eq!(res.unwrap().status(), 404);
    assert_eq!(app.get_json(&b.api_token, "/api/v1/webhooks").await.1["webhooks"], json!([]));

    let editor = scanback::store::users::create(&app.db, a.manufacturer_id, "ed@acme.test", "editor", "x".into(), "en")
        .await
        .unwrap();
    let (_, token) =
        scanback::store::api_tokens::create(&app.db, a.manufacturer_id, editor.id, "ed", true).await.unwrap();
    let (status, _) = post_webhook(&app, &token, &json!({ "url": receiver.url, "events": ["alert.opened"] })).await;
    assert_eq!(status, 403);
    assert_eq!(app.get_json(&token, "/api/v1/webhooks").await.0, 403);
    assert_eq!(app.get_json(&a.api_token, &format!("/api/v1/webhooks/{hook}")).await.0, 200);
}
