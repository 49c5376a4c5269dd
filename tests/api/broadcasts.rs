//! Tell everyone affected: a preview counts the consenting customers who reported a category on a
//! line in a period; the message reaches each of them once, however often it is sent.

use serde_json::{Value, json};

use crate::accounts::mails;
use crate::helpers::{ReportSpec, spawn_app};

#[tokio::test]
async fn everyone_who_reported_the_problem_and_left_an_email_hears_once() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id = line["id"].as_str().unwrap().to_owned();
    let code = line["code"].as_str().unwrap().to_owned();
    // Two customers with emails report the coating (one twice), one without email, one another topic.
    for (email, category, lang) in [
        (Some("a@example.com"), "coating", "en"),
        (Some("A@example.com"), "coating", "ru"),
        (Some("b@example.ru"), "coating", "ru"),
        (None, "coating", "en"),
        (Some("c@example.com"), "handle", "en"),
    ] {
        let mut form = vec![("kind", "defect"), ("rating", "2"), ("category", category)];
        let comment = format!("report {}", email.unwrap_or("anon"));
        form.push(("comment", &comment));
        if let Some(e) = email {
            form.push(("email", e));
            form.push(("consent", "yes"));
        }
        let res = app
            .client
            .post(app.url(&format!("/q/{code}")))
            .header("Accept-Language", lang)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
    }
    // One outside the period.
    let mut old = ReportSpec {
        category: Some("coating"),
        ..ReportSpec::new(time::macros::datetime!(2020-01-01 10:00 UTC), scanback::domain::Kind::Defect, 1)
    };
    old.fingerprint = None;
    app.insert_report(m.manufacturer_id, line_id.parse().unwrap(), &old).await.unwrap();

    let today = time::OffsetDateTime::now_utc().date().to_string();
    let body = json!({"topic": "defect/coating", "from": today, "until": today});
    let post = |path: String, body: Value| app.client.post(app.url(&path)).bearer_auth(&m.api_token).json(&body).send();
    let res = post(format!("/api/v1/product-lines/{line_id}/broadcasts/preview"), body.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["recipients"], 2);

    let mut send = body.clone();
    send["message"] = json!("The coating problem is fixed in lots from L2703.");
    let res = post(format!("/api/v1/product-lines/{line_id}/broadcasts"), send.clone()).await.unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"recipients": 2, "already_sent": false}));
    let res = post(format!("/api/v1/product-lines/{line_id}/broadcasts"), send.clone()).await.unwrap();
    assert_eq!(res.status(), 200, "a second click sends nothing new");
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"recipients": 2, "already_sent": true}));

    let got = mails(&app, 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let received = app.mail.received();
    let seen: Vec<(Vec<String>, String)> = received.iter().map(|m| (m.to.clone(), m.subject())).collect();
    assert_eq!(received.len(), 2, "one mail per recipient, nothing else: {seen:?}");
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, vec!["a@example.com", "b@example.ru"]);
    let ru = got.iter().find(|m| m.to[0] == "b@example.ru").unwrap();
    assert!(ru.subject().contains("Новости"), "in the customer's language: {}", ru.subject());
    assert!(ru.part("text/plain").unwrap().contains("fixed in lots from L2703"));

    let res = post(
        format!("/api/v1/product-lines/{line_id}/broadcasts/preview"),
        json!({"topic": "coating", "from": today, "until": today}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let other = app.create_manufacturer("Other").await;
    let res = app
        .client
        .post(app.url(&format!("/api/v1/product-lines/{line_id}/broadcasts")))
        .bearer_auth(&other.api_token)
        .json(&send)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

/// Two customers with emails and consent report the coating; one reports the handle.
async fn coating_reports(app: &crate::helpers::TestApp, code: &str) {
    for (email, category) in [("a@example.com", "coating"), ("b@example.ru", "coating"), ("c@example.com", "handle")] {
        let comment = format!("report from {email}");
        let form = [
            ("kind", "defect"),
            ("rating", "2"),
            ("category", category),
            ("comment", comment.as_str()),
            ("email", email),
            ("consent", "yes"),
        ];
        let res = app.client.post(app.url(&format!("/q/{code}"))).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303);
    }
}

fn recipients_in(page: &str) -> u64 {
    let at = page.find("data-recipients=\"").expect("a preview") + "data-recipients=\"".len();
    page[at..].split('"').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_editor_previews_the_count_on_the_line_page_then_sends_once() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id = line["id"].as_str().unwrap().to_owned();
    coating_reports(&app, line["code"].as_str().unwrap()).await;

    let (cookie, csrf) = app.session_for(&m.api_token, "editor", "en").await;
    let page = |path: String| app.client.get(app.url(&path)).header("Cookie", cookie.clone()).send();
    let res = page(format!("/dashboard/lines/{line_id}")).await.unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("Tell everyone affected"), "the line page has the form");
    assert!(html.contains(&format!("action=\"/dashboard/lines/{line_id}/broadcast\"")));
    assert!(html.contains("value=\"defect/coating\""), "topics come from the line's categories");

    let today = time::OffsetDateTime::now_utc().date().to_string();
    let message = "The coating problem is fixed in lots from L2703.";
    let post = |step: &'static str, csrf: String| {
        let form = vec![
            ("csrf_token", csrf),
            ("topic", "defect/coating".to_owned()),
            ("from", today.clone()),
            ("until", today.clone()),
            ("message", message.to_owned()),
            ("step", step.to_owned()),
        ];
        app.client
            .post(app.url(&format!("/dashboard/lines/{line_id}/broadcast")))
            .header("Cookie", cookie.clone())
            .form(&form)
            .send()
    };
    let res = post("preview", csrf.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert_eq!(recipients_in(&html), 2);
    assert!(html.contains("Send to 2 customers"));
    assert!(html.contains(message), "the preview shows the message");
    assert!(
        app.mail.received().is_empty() && scanback::store::outbox::recent(&app.db, 10).await.unwrap().is_empty(),
        "a preview sends nothing"
    );

    let res = post("send", "not-the-token".to_owned()).await.unwrap();
    assert_eq!(res.status(), 403, "a send without the session's CSRF token is refused");
    let res = post("send", csrf.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Sent to 2 customers."));
    let res = post("send", csrf.clone()).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text().await.unwrap().contains("already went to 2 customers; nothing new was sent"),
        "a second click sends nothing new"
    );
    let got = mails(&app, 2).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mail.received().len(), 2);
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, vec!["a@example.com", "b@example.ru"]);
}

#[tokio::test]
async fn a_bad_broadcast_form_comes_back_in_the_members_language_with_what_was_typed() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id = line["id"].as_str().unwrap().to_owned();
    let (cookie, csrf) = app.session_for(&m.api_token, "editor", "ru").await;
    let post = |form: Vec<(&'static str, String)>| {
        app.client
            .post(app.url(&format!("/dashboard/lines/{line_id}/broadcast")))
            .header("Cookie", cookie.clone())
            .form(&form)
            .send()
    };
    let typed = "Партии с L2703 исправлены";
    let res = post(vec![
        ("csrf_token", csrf.clone()),
        ("topic", "defect/coating".into()),
        ("from", "2026-12-01".into()),
        ("until", "2026-11-01".into()),
        ("message", typed.into()),
        ("step", "preview".into()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Период должен начинаться раньше"), "in Russian: {html}");
    assert!(html.contains(typed) && html.contains("value=\"2026-11-01\""), "what was typed is kept");
    let res = post(vec![
        ("csrf_token", csrf.clone()),
        ("topic", "defect/coating".into()),
        ("from", "2026-11-01".into()),
        ("until", "2026-12-01".into()),
        ("message", "   ".into()),
        ("step", "preview".into()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Напишите сообщение от 1 до 5000 символов"));
    let res = post(vec![
        ("csrf_token", csrf.clone()),
        ("topic", "nonsense".into()),
        ("from", "2026-11-01".into()),
        ("until", "2026-12-01".into()),
        ("message", typed.into()),
        ("step", "send".into()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Выберите тему из списка"));
    assert!(scanback::store::outbox::recent(&app.db, 10).await.unwrap().is_empty(), "nothing was queued");

    // Viewers read the line page without the form and cannot post it.
    let (viewer, viewer_csrf) = app.session_for(&m.api_token, "viewer", "en").await;
    let html = app
        .client
        .get(app.url(&format!("/dashboard/lines/{line_id}")))
        .header("Cookie", viewer.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("/broadcast\""));
    let res = app
        .client
        .post(app.url(&format!("/dashboard/lines/{line_id}/broadcast")))
        .header("Cookie", viewer)
        .form(&[("csrf_token", viewer_csrf.as_str()), ("topic", "defect/coating"), ("step", "preview")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // Another manufacturer's line is not found.
    let other = app.create_manufacturer("Other").await;
    let (theirs, _) = app.session_for(&other.api_token, "owner", "en").await;
    let res = app
        .client
        .get(app.url(&format!("/dashboard/lines/{line_id}/broadcast")))
        .header("Cookie", theirs)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
