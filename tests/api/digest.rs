//! Digests: subscriptions through the API and the dashboard, what a digest says, the one-click
//! unsubscribe, and the outbox listing. Every mail goes through the real SMTP server of the test.

use scanback::domain::Kind;
use serde_json::{Value, json};
use time::macros::datetime;

use crate::helpers::{ReceivedMail, ReportSpec, TestApp, spawn_app};

/// The owner's member id (the manufacturer's initial token belongs to them).
pub async fn owner_id(app: &TestApp, token: &str) -> String {
    let (status, body) = app.get_json(token, "/api/v1/me/subscription").await;
    assert_eq!(status, 200, "{body}");
    body["member_id"].as_str().unwrap().to_owned()
}

pub async fn put_json(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let res = app.client.put(app.url(path)).bearer_auth(token).json(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub fn subscription(cadence: &str, hour: i64, zone: &str, locale: &str) -> Value {
    json!({"cadence": cadence, "weekday": "monday", "hour": hour, "time_zone": zone, "product_lines": null,
           "locale": locale, "send_empty": true})
}

/// `scanback digest run --at T` against the app's database and mail server; its JSON report.
pub fn run_at(app: &TestApp, at: &str) -> Value {
    let out = app.cli(&["digest", "run", "--at", at]);
    assert!(out.status.success(), "digest run failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("digest run prints JSON")
}

fn digests(app: &TestApp) -> Vec<ReceivedMail> {
    app.mail.received().into_iter().filter(|m| m.header("X-Scanback-Period").is_some()).collect()
}

#[tokio::test]
async fn a_digest_compares_the_period_with_the_one_before_and_is_queued_once() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Skillet").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let (status, _) =
        put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "Europe/Berlin", "en")).await;
    assert_eq!(status, 200);
    // The day up to 08:00 Berlin (07:00 UTC) on 2027-03-10: three defects, one praise; the day before: one defect.
    let mut specs = vec![ReportSpec::new(datetime!(2027-03-09 05:00 UTC), Kind::Defect, 2)];
    for h in [8, 9, 10] {
        let mut s = ReportSpec::new(datetime!(2027-03-09 00:00 UTC) + time::Duration::hours(h), Kind::Defect, 1);
        s.category = Some("coating");
        specs.push(s);
    }
    specs.push(ReportSpec::new(datetime!(2027-03-10 06:00 UTC), Kind::Praise, 5));
    app.insert_reports(m.manufacturer_id, line_id, &specs).await;

    let first = run_at(&app, "2027-03-10T07:00:00Z");
    let again = run_at(&app, "2027-03-10T07:00:00Z");
    assert_eq!(again["queued"], 0, "{again}");
    assert!(first["queued"].as_u64().unwrap() >= 1, "{first}");
    let mails: Vec<_> = digests(&app)
        .into_iter()
        .filter(|m| m.header("X-Scanback-Period").as_deref() == Some("daily:2027-03-10"))
        .collect();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.subject(), "Acme Cookware: defect reports on Skillet up to 3 (from 1)");
    let text = mail.part("text/plain").unwrap();
    assert!(text.contains("The day from 2027-03-09 08:00 to 2027-03-10 08:00 (Europe/Berlin)"), "{text}");
    assert!(text.contains("Reports: 4 / 1 (+3)"), "{text}");
    assert!(text.contains("Defects: 3 / 1 (+2)"), "{text}");
    assert!(
        text.contains("Defects: Coating (peeling, scratches, sticking): 3 / 0 (+3)"),
        "the category in the reader's language: {text}"
    );
    assert!(text.contains("defect report"), "the newest defect reports are quoted: {text}");
    assert!(text.contains("/dashboard/reports?from=2027-03-09&until=2027-03-10&line="), "{text}");
    let html = mail.part("text/html").unwrap();
    assert!(html.contains("width=\"600\""), "a 600 px table layout");
    assert!(html.contains("prefers-color-scheme: dark"));
    assert!(!html.contains("<svg"), "the chart is a table, not SVG");
    assert!(html.contains("background:#2f62c9"), "the bar chart");
    let unsubscribe = mail.header("List-Unsubscribe").unwrap();
    assert!(unsubscribe.starts_with(&format!("<{}/unsubscribe/", app.address)), "{unsubscribe}");
    assert_eq!(mail.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    assert!(mail.header("Message-ID").unwrap().starts_with("<outbox-"));

    // The next day says what changed since this digest.
    run_at(&app, "2027-03-11T07:00:00Z");
    let next = digests(&app)
        .into_iter()
        .find(|m| m.header("X-Scanback-Period").as_deref() == Some("daily:2027-03-11"))
        .expect("the next day's digest (send_empty)");
    let text = next.part("text/plain").unwrap();
    assert!(text.contains("No new reports in this period."), "{text}");
    assert!(text.contains("Reports: 0 (last digest: 4)"), "{text}");
    assert_eq!(next.subject(), "Acme Cookware: nothing new");
}

#[tokio::test]
async fn a_reader_of_russian_gets_the_digest_in_russian() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Сковорода").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 9, "Europe/Moscow", "ru")).await;
    let specs: Vec<_> = (0..3)
        .map(|i| ReportSpec::new(datetime!(2027-03-09 10:00 UTC) + time::Duration::minutes(i), Kind::Usability, 3))
        .collect();
    app.insert_reports(m.manufacturer_id, line_id, &specs).await;
    run_at(&app, "2027-03-10T06:00:00Z");
    let mail = digests(&app)
        .into_iter()
        .find(|m| m.header("X-Scanback-Period").as_deref() == Some("daily:2027-03-10"))
        .unwrap();
    assert_eq!(mail.subject(), "Acme Cookware: 3 отзыва (в прошлый период: 0)");
    assert!(mail.part("text/html").unwrap().contains("<html lang=\"ru\">"));
    assert!(mail.part("text/plain").unwrap().contains("Неудобство: 3 / 0 (+3)"));
}

#[tokio::test]
async fn an_empty_period_sends_nothing_unless_asked() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    let mut body = subscription("daily", 8, "UTC", "en");
    body["send_empty"] = json!(false);
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &body).await;
    let r = run_at(&app, "2027-03-10T08:00:00Z");
    assert_eq!(r["queued"], 0, "{r}");
    assert!(r["empty"].as_u64().unwrap() >= 1, "{r}");
    assert!(digests(&app).is_empty());
}

#[tokio::test]
async fn one_click_unsubscribe_by_post_needs_no_sign_in() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "UTC", "en")).await;
    run_at(&app, "2027-03-10T08:00:00Z");
    let mail = digests(&app).pop().expect("a digest");
    let header = mail.header("List-Unsubscribe").unwrap();
    let url = header.trim_start_matches('<').trim_end_matches('>').to_owned();
    let footer = mail.part("text/plain").unwrap();
    assert!(footer.contains(&url), "the footer links to the same page");

    // A forged token changes nothing.
    let forged = format!("{}x", url);
    let res = app
        .client
        .post(&forged)
        .body("List-Unsubscribe=One-Click")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let (_, s) = app.get_json(&m.api_token, "/api/v1/me/subscription").await;
    assert_eq!(s["cadence"], "daily");

    // What a mail client sends (RFC 8058): no cookie, no CSRF token.
    let res = app
        .client
        .post(&url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, s) = app.get_json(&m.api_token, "/api/v1/me/subscription").await;
    assert_eq!(s["cadence"], "off");
    let before = digests(&app).len();
    run_at(&app, "2027-03-12T08:00:00Z");
    assert_eq!(digests(&app).len(), before, "no digest after unsubscribing");

    // The page behind the link changes the cadence, and keeps what was typed on a refusal.
    let page = app.client.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("name=\"cadence\""));
    let form =
        [("cadence", "weekly"), ("weekday", "friday"), ("hour", "7"), ("time_zone", "Mars/Base"), ("locale", "en")];
    let res = app.client.post(&url).form(&form).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("value=\"Mars/Base\""), "what was typed is kept");
    assert!(body.contains("not a time zone scanback knows"));
    let form =
        [("cadence", "weekly"), ("weekday", "friday"), ("hour", "7"), ("time_zone", "Europe/Paris"), ("locale", "en")];
    assert_eq!(app.client.post(&url).form(&form).send().await.unwrap().status(), 200);
    let (_, s) = app.get_json(&m.api_token, "/api/v1/me/subscription").await;
    assert_eq!(
        (s["cadence"].as_str(), s["weekday"].as_str(), s["hour"].as_i64()),
        (Some("weekly"), Some("friday"), Some(7))
    );
}

#[tokio::test]
async fn a_bad_subscription_answers_422_naming_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    let good = subscription("weekly", 8, "Europe/Moscow", "ru");
    let cases: Vec<(&str, Value)> = vec![
        ("cadence", json!("hourly")),
        ("hour", json!(24)),
        ("hour", json!("8")),
        ("time_zone", json!("Europe/Atlantis")),
        ("locale", json!("de")),
        ("send_empty", json!("yes")),
        ("product_lines", json!(["not-a-uuid"])),
        ("product_lines", json!([])),
        ("product_lines", json!([uuid::Uuid::new_v4()])),
        ("weekday", json!("someday")),
    ];
    for (field, value) in cases {
        let mut body = good.clone();
        body[field] = value.clone();
        let (status, err) = put_json(&app, &m.api_token, "/api/v1/me/subscription", &body).await;
        assert_eq!(status, 422, "{field} = {value}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    let mut no_weekday = good.clone();
    no_weekday.as_object_mut().unwrap().remove("weekday");
    let (status, err) = put_json(&app, &m.api_token, "/api/v1/me/subscription", &no_weekday).await;
    assert_eq!((status, err["error"]["field"].as_str()), (422, Some("weekday")));
    let (_, s) = app.get_json(&m.api_token, "/api/v1/me/subscription").await;
    assert_eq!(s["cadence"], "daily", "nothing was stored: the default stays");
    assert_eq!(s["hour"], 8);
    assert_eq!(s["time_zone"], "UTC");
    let (status, s) = put_json(&app, &m.api_token, "/api/v1/me/subscription", &good).await;
    assert_eq!(status, 200);
    assert_eq!(s["time_zone"], "Europe/Moscow");
    assert!(s["next_digest_at"].as_str().unwrap().ends_with("05:00:00Z"), "{s}");
}

#[tokio::test]
async fn the_owner_manages_members_subscriptions_and_the_workspace_zone_starts_new_members() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    let (status, body) = app
        .client
        .patch(app.url("/api/v1/manufacturer"))
        .bearer_auth(&m.api_token)
        .json(&json!({"time_zone": "Mars/Base"}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .unwrap();
    assert_eq!(status, 422);
    assert_eq!(body.json::<Value>().await.unwrap()["error"]["field"], "time_zone");
    let res = app
        .client
        .patch(app.url("/api/v1/manufacturer"))
        .bearer_auth(&m.api_token)
        .json(&json!({"time_zone": "Asia/Yekaterinburg"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.get_json(&m.api_token, "/api/v1/manufacturer").await.1["time_zone"], "Asia/Yekaterinburg");

    let editor =
        scanback::store::users::create(&app.db, m.manufacturer_id, "editor@acme.test", "editor", "x".into(), "ru")
            .await
            .unwrap();
    let path = format!("/api/v1/members/{}/subscription", editor.id);
    let (status, s) = app.get_json(&m.api_token, &path).await;
    assert_eq!(status, 200);
    assert_eq!(
        (s["cadence"].as_str(), s["hour"].as_i64(), s["time_zone"].as_str(), s["locale"].as_str()),
        (Some("daily"), Some(8), Some("Asia/Yekaterinburg"), Some("ru")),
        "a new member's default"
    );
    let (status, _) = put_json(&app, &m.api_token, &path, &subscription("off", 8, "UTC", "en")).await;
    assert_eq!(status, 200);
    assert_eq!(app.get_json(&m.api_token, &path).await.1["cadence"], "off");

    // An editor's token manages only its own subscription.
    let (_, editor_token) =
        scanback::store::api_tokens::create(&app.db, m.manufacturer_id, editor.id, "ed", true).await.unwrap();
    let owner = owner_id(&app, &m.api_token).await;
    let (status, _) = app.get_json(&editor_token, &format!("/api/v1/members/{owner}/subscription")).await;
    assert_eq!(status, 403);
    let (status, _) =
        put_json(&app, &editor_token, "/api/v1/me/subscription", &subscription("weekly", 9, "UTC", "ru")).await;
    assert_eq!(status, 200);
    // Another manufacturer's member is not found.
    let other = app.create_manufacturer("Other").await;
    let (status, _) = app.get_json(&other.api_token, &path).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_dashboard_page_saves_and_re_renders_a_refusal_with_the_values_kept() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let (status, page) = app.dashboard(&m.api_token, "/dashboard/subscription", "ru").await;
    assert_eq!(status, 200);
    assert!(page.contains("Ваши сводки"), "{page}");
    assert!(page.contains("name=\"csrf_token\""));
    let (_, overview) = app.dashboard(&m.api_token, "/dashboard", "en").await;
    assert!(overview.contains("href=\"/dashboard/subscription\""), "the workspace links to the page");
    let line_id = line["id"].as_str().unwrap();
    let bad = [
        ("cadence", "weekly"),
        ("weekday", "tuesday"),
        ("hour", "25"),
        ("time_zone", "Europe/Rome"),
        ("locale", "en"),
        ("lines", "some"),
        ("line", line_id),
        ("send_empty", "on"),
    ];
    let res = app.dashboard_post(&m.api_token, "owner", "/dashboard/subscription", &bad).await;
    assert_eq!(res.status(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("Choose an hour from 0 to 23."), "{body}");
    assert!(body.contains("value=\"Europe/Rome\""));
    assert!(body.contains("value=\"tuesday\" selected"));
    assert!(body.contains(&format!("value=\"{line_id}\" checked")));
    let good = [
        ("cadence", "weekly"),
        ("weekday", "tuesday"),
        ("hour", "6"),
        ("time_zone", "Europe/Rome"),
        ("locale", "en"),
        ("lines", "some"),
        ("line", line_id),
    ];
    let res = app.dashboard_post(&m.api_token, "owner", "/dashboard/subscription", &good).await;
    assert_eq!(res.status(), 200);
    // Without the CSRF token the form is refused.
    let (cookie, _) = app.session_for(&m.api_token, "owner", "en").await;
    let res =
        app.client.post(app.url("/dashboard/subscription")).header("Cookie", cookie).form(&good).send().await.unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn the_outbox_lists_the_manufacturers_mails_with_their_state() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "UTC", "en")).await;
    run_at(&app, "2027-03-10T08:00:00Z");
    let (status, list) = app.get_json(&m.api_token, "/api/v1/outbox").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert!(!list.is_empty());
    let digest = list.iter().find(|r| r["kind"] == "digest").unwrap();
    assert_eq!(digest["status"], "sent");
    assert_eq!(digest["attempts"], 1);
    assert!(digest["recipient"].as_str().unwrap().starts_with("owner-"));
    let other = app.create_manufacturer("Other").await;
    assert_eq!(app.get_json(&other.api_token, "/api/v1/outbox").await.1, json!([]));
}

#[tokio::test]
async fn photos_of_the_newest_defects_are_signed_hosted_thumbnails() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let mut jpeg = Vec::new();
    image::DynamicImage::new_rgb8(320, 240)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("kind", "defect")
        .text("rating", "1")
        .text("comment", "The coating peels off after two washes")
        .part("photo", reqwest::multipart::Part::bytes(jpeg).file_name("p.jpg").mime_str("image/jpeg").unwrap());
    assert_eq!(app.post_multipart(line["code"].as_str().unwrap(), form, "en").await.status(), 303);
    let (_, sub) = app.get_json(&m.api_token, "/api/v1/me/subscription").await;
    run_at(&app, sub["next_digest_at"].as_str().unwrap());
    let mail = digests(&app).pop().expect("the digest");
    assert!(mail.part("text/plain").unwrap().contains("The coating peels off after two washes"));
    let html = mail.part("text/html").unwrap();
    let start = html.find(&format!("src=\"{}/photos/", app.address)).expect("a hosted thumbnail") + 5;
    let url = html[start..].split('"').next().unwrap().replace("&amp;", "&");
    assert!(!mail.data.contains("Content-Disposition: attachment"), "no attachments");
    let res = app.client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200, "{url}");
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    // The signature's last character changed (always to another one).
    let last = url.chars().last().unwrap();
    let forged = format!("{}{}", &url[..url.len() - 1], if last == 'A' { 'B' } else { 'A' });
    assert_eq!(app.client.get(&forged).send().await.unwrap().status(), 404);
    let unsigned = url.split('?').next().unwrap().to_owned();
    assert_eq!(app.client.get(&unsigned).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_lot_out_of_line_with_new_defects_leads_the_subject() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "UTC", "en")).await;
    for lot in ["L1", "L2"] {
        let path = format!("/api/v1/product-lines/{line_id}/lots/{lot}");
        let (status, _) = put_json(&app, &m.api_token, &path, &json!({"units_produced": 10000})).await;
        assert_eq!(status, 200);
    }
    // L2: 30 defects in 10,000 units, far above the pooled rate's limit; L1: one.
    let mut specs = Vec::new();
    for i in 0..31 {
        let mut s = ReportSpec::new(datetime!(2027-03-09 12:00 UTC) + time::Duration::minutes(i), Kind::Defect, 1);
        s.lot = Some(if i == 0 { "L1" } else { "L2" });
        specs.push(s);
    }
    app.insert_reports(m.manufacturer_id, line_id, &specs).await;
    run_at(&app, "2027-03-10T08:00:00Z");
    run_at(&app, "2027-03-11T08:00:00Z");
    let by_period =
        |key: &str| digests(&app).into_iter().find(|m| m.header("X-Scanback-Period").as_deref() == Some(key)).unwrap();
    // Lots are compared over all time: the lot is listed in every digest, but leads only the one
    // whose period brought it defect reports.
    let subjects: Vec<String> = digests(&app).iter().map(|m| m.subject()).collect();
    let lot_leads = subjects.iter().filter(|s| *s == "Acme Cookware: lot L2 of Pan is out of line").count();
    assert_eq!(lot_leads, 1, "{subjects:?}");
    let with_reports = by_period("daily:2027-03-10");
    assert_eq!(with_reports.subject(), "Acme Cookware: lot L2 of Pan is out of line");
    let text = with_reports.part("text/plain").unwrap();
    assert!(text.contains("Pan, lot L2: 30 defect reports in 10000 units (3000 per million)"), "{text}");
    assert!(!text.contains("lot L1:"), "a lot within its limit is not listed");
    let second = by_period("daily:2027-03-11");
    assert_eq!(second.subject(), "Acme Cookware: nothing new", "still out of line, but nothing new on it");
}
