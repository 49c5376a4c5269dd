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
    assert_eq!(app.mail.received().len(), 2);
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
