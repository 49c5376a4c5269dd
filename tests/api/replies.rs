//! Closing the loop: a reply reaches the customer over SMTP in their language, from the
//! manufacturer's name; the customer's answer lands on the report through the link or through
//! `scanback mail ingest`.

use serde_json::{Value, json};

use crate::accounts::mails;
use crate::helpers::{ReceivedMail, TestApp, spawn_app};

struct Fixture {
    token: String,
    report: String,
}

/// A Russian customer reports a defect with an email and consent.
async fn reported(app: &TestApp) -> Fixture {
    let (m, line) = app.manufacturer_with_line("Сковорода 28 см").await;
    let code = line["code"].as_str().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .header("Accept-Language", "ru")
        .form(&[
            ("kind", "defect"),
            ("rating", "2"),
            ("comment", "Покрытие отслаивается после месяца"),
            ("email", "buyer@example.ru"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    Fixture { token: m.api_token, report: reports[0]["id"].as_str().unwrap().to_owned() }
}

async fn reply(app: &TestApp, token: &str, report: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/reports/{report}/replies")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn header(mail: &ReceivedMail, name: &str) -> String {
    use mailparse::MailHeaderMap;
    mailparse::parse_mail(mail.data.as_bytes()).unwrap().headers.get_first_value(name).unwrap_or_default()
}

fn answer_path(mail: &ReceivedMail, app: &TestApp) -> String {
    let body = mail.part("text/plain").unwrap_or_else(|| mail.data.clone());
    let at = body.find(&format!("{}/r/", app.address)).expect("an answer link");
    body[at..].split_whitespace().next().unwrap().trim_start_matches(&app.address).to_owned()
}

async fn conversation(app: &TestApp, f: &Fixture) -> Vec<Value> {
    let (status, body) = app.get_json(&f.token, &format!("/api/v1/reports/{}/replies", f.report)).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_reply_reaches_the_customer_in_their_language_from_the_manufacturer_with_a_way_to_answer() {
    let app = spawn_app().await;
    let f = reported(&app).await;
    let res =
        reply(&app, &f.token, &f.report, json!({"message": "Здравствуйте! Мы заменим сковороду, напишите адрес."}))
            .await;
    assert_eq!(res.status(), 201);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["status"], "in_progress", "moves on unless another status was chosen");
    let got = mails(&app, 1).await;
    assert_eq!(got.len(), 1);
    let mail = &got[0];
    assert_eq!(mail.to, vec!["buyer@example.ru".to_owned()]);
    assert!(header(mail, "From").trim_start_matches('"').starts_with("Acme Cookware"), "{}", header(mail, "From"));
    assert!(header(mail, "Reply-To").contains("reply+") && header(mail, "Reply-To").ends_with("@reply.scanback.test"));
    assert!(mail.subject().contains("отвечает на ваш отзыв"), "{}", mail.subject());
    assert!(header(mail, "Message-ID").starts_with("<outbox-"));
    let body = mail.part("text/plain").unwrap();
    assert!(body.contains("Мы заменим сковороду") && body.contains("/r/") && body.contains("Покрытие отслаивается"));
    let messages = conversation(&app, &f).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["direction"], "out");

    // A chosen status wins.
    let res = reply(&app, &f.token, &f.report, json!({"message": "Отправили.", "status": "resolved"})).await;
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "resolved");
}

#[tokio::test]
async fn the_customer_answers_through_the_private_link_without_an_account_and_it_lands_on_the_report() {
    let app = spawn_app().await;
    let f = reported(&app).await;
    reply(&app, &f.token, &f.report, json!({"message": "Пришлите фото, пожалуйста."})).await;
    let got = mails(&app, 1).await;
    let path = answer_path(&got[0], &app);
    let res = app.client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("set-cookie").is_none());
    let page = res.text().await.unwrap();
    assert!(page.contains("Пришлите фото") && page.contains("lang=\"ru\""), "in the report's language");
    let res = app.client.post(app.url(&path)).form(&[("message", "  ")]).send().await.unwrap();
    assert_eq!(res.status(), 422, "an empty answer is refused");
    let res = app
        .client
        .post(app.url(&path))
        .form(&[("message", "Фото во вложении нет, но трещина 2 см.")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Спасибо"));
    let messages = conversation(&app, &f).await;
    assert_eq!(messages.len(), 2);
    assert_eq!(
        (&messages[1]["direction"], &messages[1]["body"]),
        (&json!("in"), &json!("Фото во вложении нет, но трещина 2 см."))
    );
    // The team reads both sides on the report's page.
    let (status, page) = app.dashboard(&f.token, &format!("/dashboard/reports/{}", f.report), "en").await;
    assert_eq!(status, 200);
    let ours = page.find("Пришлите фото, пожалуйста.").expect("the reply is on the report page");
    let theirs = page.find("Фото во вложении нет, но трещина 2 см.").expect("the answer is on the report page");
    assert!(ours < theirs, "oldest first");
    assert!(page.contains("The customer answered"));

    // Thirty days later the link is gone.
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(&format!(
            "UPDATE reply_tokens SET expires_at = '{}'",
            time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap()
        ))
        .await
        .unwrap();
    assert_eq!(app.client.get(app.url(&path)).send().await.unwrap().status(), 410);
    assert_eq!(app.client.get(app.url("/r/unknown-token")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn mail_ingest_attaches_an_answer_by_its_reply_address_or_in_reply_to_and_trims_the_quote() {
    let app = spawn_app().await;
    let f = reported(&app).await;
    reply(&app, &f.token, &f.report, json!({"message": "Какой номер партии на ручке?"})).await;
    let got = mails(&app, 1).await;
    let reply_to = header(&got[0], "Reply-To");
    let message_id = header(&got[0], "Message-ID");

    let by_address = format!(
        "From: Buyer <buyer@example.ru>\r\nTo: Acme Cookware <{reply_to}>\r\nSubject: Re: ответ\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         Партия L2703.\r\n\r\n3 дек. 2026 г., в 10:00, Acme Cookware пишет:\r\n> Какой номер партии на ручке?\r\n"
    );
    let out = app.cli_with_input(&["mail", "ingest"], by_address.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["report_id"], f.report);

    let by_thread = format!(
        "From: buyer@example.ru\r\nTo: someone-else@example.com\r\nSubject: Re: ответ\r\nIn-Reply-To: {message_id}\r\n\
         References: <x@y> {message_id}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         And the box was damaged too.\r\n\r\nOn Tue, 3 Dec 2026, Acme Cookware wrote:\r\n> Какой номер партии?\r\n"
    );
    let out = app.cli_with_input(&["mail", "ingest"], by_thread.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let messages = conversation(&app, &f).await;
    let answers: Vec<&str> =
        messages.iter().filter(|m| m["direction"] == "in").map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(answers, vec!["Партия L2703.", "And the box was damaged too."]);
}

#[tokio::test]
async fn a_message_that_matches_no_report_is_refused_clearly_and_stored_nowhere() {
    let app = spawn_app().await;
    let f = reported(&app).await;
    reply(&app, &f.token, &f.report, json!({"message": "Спасибо!"})).await;
    for raw in [
        "From: a@b.c\r\nTo: reply+notatoken@reply.scanback.test\r\nSubject: hi\r\n\r\nhello\r\n".to_owned(),
        "From: a@b.c\r\nTo: x@y.z\r\nIn-Reply-To: <outbox-0190aaaa0000700080000000000000aa@127.0.0.1>\r\n\r\nhello\r\n"
            .to_owned(),
        "From: a@b.c\r\nTo: x@y.z\r\nSubject: spam\r\n\r\nbuy now\r\n".to_owned(),
    ] {
        let out = app.cli_with_input(&["mail", "ingest"], raw.as_bytes());
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("matches no report"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(conversation(&app, &f).await.len(), 1, "nothing stored");
}

#[tokio::test]
async fn a_customer_without_an_email_cannot_be_answered_and_a_read_only_token_cannot_answer() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    app.post_feedback(code, &crate::helpers::valid_form()).await;
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    let id = reports[0]["id"].as_str().unwrap();
    let res = reply(&app, &m.api_token, id, json!({"message": "Hello"})).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "message");
    assert!(body["error"]["message"].as_str().unwrap().contains("no email address"));

    let owner = scanback::store::users::find_by_email(&app.db, &m.owner_email).await.unwrap().unwrap();
    let (_, read_only) =
        scanback::store::api_tokens::create(&app.db, m.manufacturer_id, owner.id, "ro", false).await.unwrap();
    assert_eq!(reply(&app, &read_only, id, json!({"message": "Hello"})).await.status(), 403);
    let other = app.create_manufacturer("Other").await;
    assert_eq!(reply(&app, &other.api_token, id, json!({"message": "Hello"})).await.status(), 404);
    assert!(app.mail.received().is_empty());
}
