use scanback::digest::{Mode, run_once};
use scanback::mail::Mailer;
use time::OffsetDateTime;

use crate::helpers::{spawn_app, valid_form};

#[tokio::test]
async fn a_second_digest_run_in_the_same_period_sends_nothing() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    assert_eq!(app.post_feedback(line["code"].as_str().unwrap(), &valid_form()).await.status(), 303);
    let mailer = Mailer::from_settings(&app.settings).unwrap();
    let now = OffsetDateTime::now_utc();

    let first = run_once(&app.db, &mailer, &app.settings, Mode::Now, now).await.unwrap();
    assert_eq!(first.sent, 1);
    let second = run_once(&app.db, &mailer, &app.settings, Mode::Now, now).await.unwrap();
    assert_eq!(second.sent, 0);
    assert_eq!(second.skipped, 1);
    let mails = app.mail.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, vec![m.owner_email.clone()]);
}

#[tokio::test]
async fn a_failed_delivery_is_retried_on_the_next_run() {
    let mut app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    assert_eq!(app.post_feedback(line["code"].as_str().unwrap(), &valid_form()).await.status(), 303);
    let now = OffsetDateTime::now_utc();

    // An SMTP server that is not there: nothing listens on this port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = closed.local_addr().unwrap().port();
    drop(closed);
    let good_smtp = app.settings.smtp_url.clone();
    app.settings.smtp_url = Some(format!("smtp://127.0.0.1:{dead_port}").into());
    let broken = Mailer::from_settings(&app.settings).unwrap();
    let failed = run_once(&app.db, &broken, &app.settings, Mode::Now, now).await.unwrap();
    assert_eq!((failed.sent, failed.failed), (0, 1));
    assert!(app.mail.received().is_empty());

    app.settings.smtp_url = good_smtp;
    let mailer = Mailer::from_settings(&app.settings).unwrap();
    let retried = run_once(&app.db, &mailer, &app.settings, Mode::Now, now).await.unwrap();
    assert_eq!((retried.sent, retried.failed), (1, 0));
    assert_eq!(app.mail.received().len(), 1);
    let again = run_once(&app.db, &mailer, &app.settings, Mode::Now, now).await.unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(app.mail.received().len(), 1);
}

#[tokio::test]
async fn the_digest_counts_reports_by_kind_per_line_with_the_average_rating() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Skillet").await;
    let code = line["code"].as_str().unwrap();
    for (kind, rating, comment) in
        [("defect", "1", "Warped after a month"), ("defect", "2", ""), ("praise", "5", "Lovely")]
    {
        let res = app.post_feedback(code, &[("kind", kind), ("rating", rating), ("comment", comment)]).await;
        assert_eq!(res.status(), 303);
    }
    let mailer = Mailer::from_settings(&app.settings).unwrap();
    run_once(&app.db, &mailer, &app.settings, Mode::Now, OffsetDateTime::now_utc()).await.unwrap();
    let mails = app.mail.received();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject().starts_with("scanback: 3 new reports for Acme Cookware"), "{}", mails[0].subject());
    let body = mails[0].part("text/plain").unwrap();
    assert!(body.contains("3 new reports across 1 product line."), "{body}");
    assert!(body.contains("Reports: 3 — defects 2, hard to use 0, praise 1, other 0"), "{body}");
    assert!(body.contains("Average rating: 2.7 / 5 (from 3 ratings)"), "{body}");
    assert!(body.contains("Warped after a month"));
    let html = mails[0].part("text/html").unwrap();
    assert!(html.contains("<td>2.7 / 5 (from 3 ratings)</td>"), "{html}");
}

#[tokio::test]
async fn a_scheduled_run_reports_on_the_last_complete_day_only() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    assert_eq!(app.post_feedback(line["code"].as_str().unwrap(), &valid_form()).await.status(), 303);
    let mailer = Mailer::from_settings(&app.settings).unwrap();
    // Today's report is not yet due...
    let today = run_once(&app.db, &mailer, &app.settings, Mode::Due, OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(today.sent, 0);
    // ...and is reported tomorrow.
    let tomorrow = OffsetDateTime::now_utc() + time::Duration::days(1);
    let next_day = run_once(&app.db, &mailer, &app.settings, Mode::Due, tomorrow).await.unwrap();
    assert_eq!(next_day.sent, 1);
}

#[tokio::test]
async fn without_smtp_the_digest_lands_in_the_outbox_folder() {
    let mut app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    assert_eq!(app.post_feedback(line["code"].as_str().unwrap(), &valid_form()).await.status(), 303);
    app.settings.smtp_url = None;
    let mailer = Mailer::from_settings(&app.settings).unwrap();
    let r = run_once(&app.db, &mailer, &app.settings, Mode::Now, OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(r.sent, 1);
    let files: Vec<_> = std::fs::read_dir(app.settings.outbox_dir()).unwrap().filter_map(Result::ok).collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(eml.contains("multipart/alternative"));
}

#[tokio::test]
async fn an_owner_who_reads_russian_gets_the_digest_in_russian_with_plurals() {
    let app = spawn_app().await;
    let m = scanback::store::manufacturers::create(
        &app.db,
        "Кухни Урала",
        "owner@ural.test",
        scanback::domain::Locale::parse("ru").unwrap(),
    )
    .await
    .unwrap();
    let res = app.post_line(&m.api_token, &serde_json::json!({ "name": "Сковорода 24 см" })).await;
    let line: serde_json::Value = res.json().await.unwrap();
    let code = line["code"].as_str().unwrap();
    for (kind, comment) in [("defect", "Ручка греется"), ("praise", "Отличная")] {
        assert_eq!(
            app.post_feedback(code, &[("kind", kind), ("rating", "4"), ("comment", comment)]).await.status(),
            303
        );
    }
    let mailer = Mailer::from_settings(&app.settings).unwrap();
    run_once(&app.db, &mailer, &app.settings, Mode::Now, OffsetDateTime::now_utc()).await.unwrap();
    let mails = app.mail.received();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject().starts_with("scanback: 2 новых отзыва для Кухни Урала"), "{}", mails[0].subject());
    let body = mails[0].part("text/plain").unwrap();
    assert!(body.contains("2 новых отзыва по 1 товарной линейке."), "{body}");
    assert!(body.contains("Ручка греется"));
    assert!(mails[0].part("text/html").unwrap().contains("<html lang=\"ru\">"));
}
