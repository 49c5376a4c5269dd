//! Customers' personal data (152-FZ, GDPR): the consent text kept with the report in the language
//! shown, export and erasure on request (API for owners, CLI for the operator), and the retention
//! limits the scheduler applies. Through HTTP and the real binary, on SQLite and PostgreSQL.

use std::io::Cursor;

use reqwest::multipart::{Form, Part};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::accounts::mails;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use scanback::store::entities::{outbox_message, report, report_photo, report_reply};

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(80, 60, |x, y| image::Rgb([(x * 3) as u8, (y * 4) as u8, 90]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
    out
}

async fn post(app: &TestApp, code: &str, lang: &str, comment: &str, email: Option<&str>) -> reqwest::Response {
    let mut form = vec![("kind", "defect"), ("rating", "2"), ("comment", comment)];
    if let Some(e) = email {
        form.push(("email", e));
        form.push(("consent", "yes"));
    }
    app.client.post(app.url(&format!("/q/{code}?lang={lang}"))).form(&form).send().await.unwrap()
}

async fn post_with_photo(app: &TestApp, code: &str, comment: &str, email: &str) {
    let form = Form::new()
        .text("kind", "defect")
        .text("rating", "1")
        .text("comment", comment.to_owned())
        .text("email", email.to_owned())
        .text("consent", "yes")
        .part("photo", Part::bytes(jpeg()).file_name("crack.jpg").mime_str("image/jpeg").unwrap());
    let res = app.post_multipart(code, form, "en").await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
}

async fn call(app: &TestApp, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn erase(app: &TestApp, token: &str, email: &str) -> (u16, Value) {
    call(app, token, reqwest::Method::POST, "/api/v1/customers/erase", Some(json!({ "email": email }))).await
}

async fn export(app: &TestApp, token: &str, email: &str) -> (u16, Value) {
    call(app, token, reqwest::Method::POST, "/api/v1/customers/export", Some(json!({ "email": email }))).await
}

/// A token of a new member with `role`.
async fn member_token(app: &TestApp, manufacturer: uuid::Uuid, role: &str) -> String {
    let email = format!("{role}-{}@acme.test", uuid::Uuid::new_v4().simple());
    let id = crate::members::add_member(app, manufacturer, &email, role).await;
    scanback::store::api_tokens::create(&app.db, manufacturer, id, role, true).await.unwrap().1
}

fn the_label(page: &str) -> String {
    let start = page.find("id=\"consent-box\"").expect("the consent box");
    let rest = &page[start..];
    let span = rest.find("<span>").unwrap() + "<span>".len();
    rest[span..span + rest[span..].find("</span>").unwrap()].to_owned()
}

#[tokio::test]
async fn a_report_keeps_the_consent_text_exactly_as_shown_and_its_language() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Сковорода 28 см").await;
    let code = line["code"].as_str().unwrap();
    let line_id = line["id"].as_str().unwrap();
    for lang in ["ru", "en"] {
        let page = app.client.get(app.url(&format!("/q/{code}?lang={lang}"))).send().await.unwrap();
        let shown = the_label(&page.text().await.unwrap());
        assert!(shown.contains("Acme Cookware"), "the text names the manufacturer: {shown}");
        let res = post(&app, code, lang, &format!("отзыв {lang}"), Some(&format!("buyer-{lang}@example.ru"))).await;
        assert_eq!(res.status(), 303);
        let reports = app.reports(&m.api_token, line_id).await;
        let r = reports.iter().find(|r| r["comment"] == format!("отзыв {lang}")).unwrap();
        assert_eq!(r["consent_text"], shown, "the exact sentence shown in {lang}");
        assert_eq!(r["consent_locale"], lang);
        let (status, page) =
            app.dashboard(&m.api_token, &format!("/dashboard/reports/{}", r["id"].as_str().unwrap()), "en").await;
        assert_eq!(status, 200);
        assert!(page.contains(&shown), "the report page shows what was agreed to");
    }
    assert!(shown_ru_mentions_email(&app, code).await);
    // Without an email nothing was agreed to, and nothing is stored.
    assert_eq!(post(&app, code, "en", "no email", None).await.status(), 303);
    let reports = app.reports(&m.api_token, line_id).await;
    let r = reports.iter().find(|r| r["comment"] == "no email").unwrap();
    assert!(r["consent_text"].is_null() && r["consent_locale"].is_null(), "{r}");
}

/// The Russian sentence says what the address is for: an answer about this report.
async fn shown_ru_mentions_email(app: &TestApp, code: &str) -> bool {
    let page = app.client.get(app.url(&format!("/q/{code}?lang=ru"))).send().await.unwrap().text().await.unwrap();
    the_label(&page).contains("написать мне по поводу этого отзыва")
}

/// What the manufacturer holds about `email`, counted: reports with it, mails to it, their photos.
async fn traces(app: &TestApp, manufacturer: uuid::Uuid, email: &str) -> (usize, usize, usize) {
    let reports = report::Entity::find()
        .filter(report::Column::Email.eq(email))
        .filter(report::Column::ManufacturerId.eq(manufacturer))
        .all(&app.db)
        .await
        .unwrap();
    let mails = outbox_message::Entity::find()
        .filter(outbox_message::Column::Recipient.eq(email))
        .filter(outbox_message::Column::ManufacturerId.eq(manufacturer))
        .all(&app.db)
        .await
        .unwrap();
    let ids: Vec<uuid::Uuid> = reports.iter().map(|r| r.id).collect();
    let photos =
        report_photo::Entity::find().filter(report_photo::Column::ReportId.is_in(ids)).all(&app.db).await.unwrap();
    (reports.len(), mails.len(), photos.len())
}

async fn statistics(app: &TestApp, token: &str, line_id: &str) -> (Value, Value) {
    let stats = app.stats(token, line_id).await;
    let (status, lines) = app.get_json(token, "/api/v1/stats/lines").await;
    assert_eq!(status, 200);
    (stats, lines)
}

#[tokio::test]
async fn erasure_on_request_removes_the_address_conversation_photos_and_mails_and_leaves_statistics_unchanged() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let (token, code, line_id) = (m.api_token.clone(), line["code"].as_str().unwrap(), line["id"].as_str().unwrap());
    let customer = "Anna.Petrova@example.ru";
    post_with_photo(&app, code, "The handle cracked, my flat is at Lenina 5", customer).await;
    assert_eq!(post(&app, code, "ru", "И крышка тоже", Some(customer)).await.status(), 303);
    assert_eq!(post(&app, code, "en", "someone else", Some("other@example.com")).await.status(), 303);
    // The same person at another manufacturer: not this manufacturer's to erase.
    let other = app.create_manufacturer("Other Works").await;
    let res = app.post_line(&other.api_token, &json!({ "name": "Kettle" })).await;
    let other_line: Value = res.json().await.unwrap();
    assert_eq!(
        post(&app, other_line["code"].as_str().unwrap(), "en", "kettle leaks", Some(customer)).await.status(),
        303
    );

    // A reply goes out and the customer answers through the link: the conversation.
    let reports = app.reports(&token, line_id).await;
    let with_photo = reports.iter().find(|r| r["photos"].as_array().is_some_and(|p| !p.is_empty())).unwrap();
    let report_id = with_photo["id"].as_str().unwrap().to_owned();
    let photo_url = with_photo["photos"][0]["url"].as_str().unwrap().to_owned();
    let (status, _) = call(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/api/v1/reports/{report_id}/replies"),
        Some(json!({"message": "Which lot?"})),
    )
    .await;
    assert_eq!(status, 201);
    let got = mails(&app, 1).await;
    let body = got[0].part("text/plain").unwrap();
    let at = body.find(&format!("{}/r/", app.address)).unwrap();
    let answer_path = body[at..].split_whitespace().next().unwrap().trim_start_matches(&app.address).to_owned();
    let res = app
        .client
        .post(app.url(&answer_path))
        .form(&[("message", "Lot L2603, call me at +7 900 000")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // And a mail to them still waiting (due tomorrow): it must never leave.
    let tomorrow = OffsetDateTime::now_utc() + Duration::days(1);
    let mail = scanback::store::outbox::NewMail {
        kind: "reply",
        recipient: customer.to_owned(),
        subject: "Re: your report".into(),
        text_body: "We will call you".into(),
        html_body: None,
        from_name: None,
        reply_to: None,
        headers: vec![],
        manufacturer_id: Some(m.manufacturer_id),
    };
    scanback::store::outbox::enqueue_at(&app.db, mail, tomorrow).await.unwrap();
    // The sent reply is marked sent by the deliverer before we erase.
    for _ in 0..50 {
        let sent = outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq("sent"))
            .all(&app.db)
            .await
            .unwrap();
        if !sent.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let photo_rows = report_photo::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(photo_rows.len(), 1);
    let files: Vec<std::path::PathBuf> =
        [&photo_rows[0].path, &photo_rows[0].thumb_path].iter().map(|p| app.settings.data_dir.join(p)).collect();
    assert!(files.iter().all(|f| f.exists()));
    assert_eq!(traces(&app, m.manufacturer_id, customer).await, (2, 2, 1));
    let before = statistics(&app, &token, line_id).await;

    // Not an owner: refused, nothing erased.
    let editor = member_token(&app, m.manufacturer_id, "editor").await;
    let (status, body) = erase(&app, &editor, customer).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = erase(&app, &token, "not an address").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "email", "{body}");
    assert_eq!(traces(&app, m.manufacturer_id, customer).await, (2, 2, 1));

    // The owner erases, typing the address in another case.
    let (status, body) = erase(&app, &token, "anna.petrova@EXAMPLE.ru").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["reports"].as_u64(), body["replies"].as_u64(), body["photos"].as_u64()),
        (Some(2), Some(2), Some(1)),
        "{body}"
    );
    assert_eq!(body["mails"], 2, "the queued one deleted, the sent one stripped: {body}");

    assert_eq!(traces(&app, m.manufacturer_id, customer).await, (0, 0, 0), "no row holds the address or the photos");
    assert!(files.iter().all(|f| !f.exists()), "the photo files are gone");
    let res = app.client.get(app.url(&photo_url)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let erased =
        report::Entity::find_by_id(uuid::Uuid::parse_str(&report_id).unwrap()).one(&app.db).await.unwrap().unwrap();
    assert_eq!((erased.email, erased.comment.as_str(), erased.comment_folded.as_str()), (None, "", ""));
    assert!(report_reply::Entity::find().all(&app.db).await.unwrap().is_empty(), "the conversation is gone");
    let leftovers = outbox_message::Entity::find().all(&app.db).await.unwrap();
    assert!(
        leftovers.iter().all(|o| !o.text_body.contains("Which lot") && !o.recipient.to_lowercase().contains("anna")),
        "{leftovers:?}"
    );
    assert_eq!(app.client.get(app.url(&answer_path)).send().await.unwrap().status(), 404, "the private link is gone");
    let reports = app.reports(&token, line_id).await;
    assert_eq!(reports.len(), 3, "the reports stay, anonymous");
    assert!(
        reports.iter().any(|r| r["email"] == "other@example.com" && r["comment"] == "someone else"),
        "others are untouched"
    );
    assert_eq!(statistics(&app, &token, line_id).await, before, "every statistic is as it was");
    let out = app.cli(&["rollups", "check"]);
    assert!(out.status.success(), "the rollups still match the reports: {}", String::from_utf8_lossy(&out.stdout));
    let (_, body) = export(&app, &token, customer).await;
    assert_eq!(body["reports"], json!([]));

    // The other manufacturer's report is untouched until the operator erases there.
    assert_eq!(traces(&app, other.manufacturer_id, customer).await.0, 1);
    let theirs = report::Entity::find()
        .filter(report::Column::ManufacturerId.eq(other.manufacturer_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(theirs.email.as_deref(), Some(customer));
    let out =
        app.cli(&["customer", "erase", "--email", "nobody", "--manufacturer", &other.manufacturer_id.to_string()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--email"), "{}", String::from_utf8_lossy(&out.stderr));
    let out =
        app.cli(&["customer", "erase", "--email", customer, "--manufacturer", &other.manufacturer_id.to_string()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["reports"], 1, "{printed}");
    let theirs = report::Entity::find_by_id(theirs.id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((theirs.email, theirs.comment.as_str()), (None, ""));
}

#[tokio::test]
async fn one_customers_reports_export_as_json_through_the_api_and_the_cli() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let customer = "ivan@example.ru";
    post_with_photo(&app, code, "first", customer).await;
    assert_eq!(post(&app, code, "ru", "второй", Some("IVAN@example.ru")).await.status(), 303);
    assert_eq!(post(&app, code, "en", "not theirs", Some("someone@example.com")).await.status(), 303);
    let other = app.create_manufacturer("Other Works").await;
    let other_line: Value = app.post_line(&other.api_token, &json!({ "name": "Kettle" })).await.json().await.unwrap();
    assert_eq!(post(&app, other_line["code"].as_str().unwrap(), "en", "kettle", Some(customer)).await.status(), 303);

    let viewer = member_token(&app, m.manufacturer_id, "viewer").await;
    assert_eq!(export(&app, &viewer, customer).await.0, 403);
    let (status, body) = export(&app, &m.api_token, customer).await;
    assert_eq!(status, 200, "{body}");
    let reports = body["reports"].as_array().unwrap();
    let comments: Vec<&str> = reports.iter().map(|r| r["comment"].as_str().unwrap()).collect();
    assert_eq!(comments, vec!["first", "второй"], "this manufacturer's, oldest first, any case of the address");
    assert_eq!(reports[0]["manufacturer"], "Acme Cookware");
    assert_eq!(reports[0]["product_line"], "Pan");
    assert_eq!(reports[0]["photos"].as_array().unwrap().len(), 1);
    assert!(reports[0]["consent_text"].as_str().unwrap().contains("Acme Cookware"));
    assert_eq!(reports[1]["consent_locale"], "ru");
    let photo = reports[0]["photos"][0]["url"].as_str().unwrap();
    let res = app.client.get(app.url(photo)).bearer_auth(&m.api_token).send().await.unwrap();
    assert_eq!(res.status(), 200, "the photo URL in the export serves the photo");

    // The operator's export spans manufacturers unless scoped.
    let out = app.cli(&["customer", "export", "--email", customer]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let all: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all["reports"].as_array().unwrap().len(), 3);
    let out =
        app.cli(&["customer", "export", "--email", customer, "--manufacturer", &other.manufacturer_id.to_string()]);
    let theirs: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(theirs["reports"][0]["comment"], "kettle");
    assert_eq!(theirs["reports"].as_array().unwrap().len(), 1);
}

async fn backdate(app: &TestApp, comment: &str, at: OffsetDateTime) -> uuid::Uuid {
    let r = report::Entity::find().filter(report::Column::Comment.eq(comment)).one(&app.db).await.unwrap().unwrap();
    let id = r.id;
    report::ActiveModel { id: Set(id), created_at: Set(at), ..Default::default() }.update(&app.db).await.unwrap();
    id
}

fn months_ago(now: OffsetDateTime, months: u16) -> OffsetDateTime {
    scanback::domain::retention::months_before(now, months)
}

#[tokio::test]
async fn retention_erases_addresses_after_the_limit_since_the_last_contact_and_text_when_a_limit_is_set() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let now = OffsetDateTime::now_utc();

    // The limits: defaults, then an owner's change; bad values are refused naming the field.
    let (status, body) = call(&app, &m.api_token, reqwest::Method::GET, "/api/v1/privacy", None).await;
    assert_eq!((status, body), (200, json!({"email_retention_months": 24, "text_retention_months": null})));
    let viewer = member_token(&app, m.manufacturer_id, "viewer").await;
    let (status, _) =
        call(&app, &viewer, reqwest::Method::PUT, "/api/v1/privacy", Some(json!({"email_retention_months": 12}))).await;
    assert_eq!(status, 403);
    for (bad, field) in [
        (json!({"email_retention_months": 0}), "email_retention_months"),
        (json!({"email_retention_months": 121}), "email_retention_months"),
        (json!({"text_retention_months": "six"}), "text_retention_months"),
        (json!({"keep": true}), "body"),
    ] {
        let (status, body) = call(&app, &m.api_token, reqwest::Method::PUT, "/api/v1/privacy", Some(bad.clone())).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["error"]["field"], field, "{bad}: {body}");
    }

    for (comment, email) in [
        ("old", "old@example.com"),
        ("recent", "recent@example.com"),
        ("old but came back", "back@example.com"),
        // The same address in another case is the same customer.
        ("came back", "Back@Example.COM"),
        ("old with an answer", "answered@example.com"),
    ] {
        assert_eq!(post(&app, code, "en", comment, Some(email)).await.status(), 303);
    }
    backdate(&app, "old", months_ago(now, 25)).await;
    backdate(&app, "recent", months_ago(now, 23)).await;
    backdate(&app, "old but came back", months_ago(now, 30)).await;
    backdate(&app, "came back", months_ago(now, 1)).await;
    let answered = backdate(&app, "old with an answer", months_ago(now, 30)).await;
    let (status, _) = call(
        &app,
        &m.api_token,
        reqwest::Method::POST,
        &format!("/api/v1/reports/{answered}/replies"),
        Some(json!({"message": "Sorry for the wait"})),
    )
    .await;
    assert_eq!(status, 201, "a reply today is a contact today");

    let out = app.cli(&["customer", "retention"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((run["addresses"].as_u64(), run["reports"].as_u64()), (Some(1), Some(1)), "{run}");
    let email_of = |comment: &'static str| {
        let db = app.db.clone();
        async move {
            report::Entity::find().filter(report::Column::Comment.eq(comment)).one(&db).await.unwrap().unwrap().email
        }
    };
    assert_eq!(email_of("old").await, None, "25 months after the last contact: erased");
    assert_eq!(email_of("recent").await.as_deref(), Some("recent@example.com"));
    assert_eq!(email_of("old but came back").await.as_deref(), Some("back@example.com"), "the last contact counts");
    assert_eq!(email_of("old with an answer").await.as_deref(), Some("answered@example.com"));
    let again: Value = serde_json::from_slice(&app.cli(&["customer", "retention"]).stdout).unwrap();
    assert_eq!(again["addresses"], 0, "idempotent");
    // Two years on, as `--at` says, every address has passed its limit.
    let later = (now + Duration::days(2 * 366)).format(&time::format_description::well_known::Rfc3339).unwrap();
    let run: Value = serde_json::from_slice(&app.cli(&["customer", "retention", "--at", &later]).stdout).unwrap();
    assert_eq!(run["addresses"], 3, "{run}");

    // A text limit erases comments and the conversation of older reports; statistics stay.
    let (status, body) =
        call(&app, &m.api_token, reqwest::Method::PUT, "/api/v1/privacy", Some(json!({"text_retention_months": 6})))
            .await;
    assert_eq!((status, body), (200, json!({"email_retention_months": 24, "text_retention_months": 6})));
    let run: Value = serde_json::from_slice(&app.cli(&["customer", "retention"]).stdout).unwrap();
    assert_eq!(run["comments"], 4, "every report but the one from a month ago: {run}");
    assert_eq!(run["messages"], 1, "{run}");
    assert!(
        report::Entity::find().filter(report::Column::Comment.eq("came back")).one(&app.db).await.unwrap().is_some()
    );
    assert!(report_reply::Entity::find().all(&app.db).await.unwrap().is_empty());
}

/// A run reads the addresses that may be due a page at a time: more addresses than fit a page are
/// all erased in one run, and an address that came back stays whichever page it falls in.
#[tokio::test]
async fn a_retention_run_erases_every_due_address_however_many_pages_they_fill() {
    use crate::helpers::ReportSpec;
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let now = OffsetDateTime::now_utc();
    let old = months_ago(now, 30);
    let specs: Vec<ReportSpec> = (0..452).map(|_| ReportSpec::new(old, scanback::domain::Kind::Defect, 2)).collect();
    app.insert_reports(m.manufacturer_id, line, &specs).await;
    let mut ids: Vec<uuid::Uuid> =
        report::Entity::find().all(&app.db).await.unwrap().into_iter().map(|r| r.id).collect();
    ids.sort();
    for (i, id) in ids.iter().enumerate() {
        // Customers 0 to 299 once each, long ago; customer 300 on the other 152 reports, one of
        // them from last week: that customer stays.
        let email = format!("customer{:03}@example.com", i.min(300));
        let at = if i == 301 { now - Duration::days(7) } else { old };
        report::ActiveModel { id: Set(*id), email: Set(Some(email)), created_at: Set(at), ..Default::default() }
            .update(&app.db)
            .await
            .unwrap();
    }
    let out = app.cli(&["customer", "retention"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((run["addresses"].as_u64(), run["reports"].as_u64()), (Some(300), Some(300)), "{run}");
    let left: Vec<String> =
        report::Entity::find().all(&app.db).await.unwrap().into_iter().filter_map(|r| r.email).collect();
    assert_eq!(left.len(), 152, "{left:?}");
    assert!(left.iter().all(|e| e == "customer300@example.com"), "{left:?}");
}

#[tokio::test]
async fn serve_applies_the_retention_limits_by_itself() {
    let app = spawn_app_with(|s| s.retention_check_seconds = 1).await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    assert_eq!(post(&app, line["code"].as_str().unwrap(), "en", "ancient", Some("a@example.com")).await.status(), 303);
    let id = backdate(&app, "ancient", months_ago(OffsetDateTime::now_utc(), 30)).await;
    for _ in 0..50 {
        if report::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap().email.is_none() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the address was not erased within 5 s by the scheduler");
}
