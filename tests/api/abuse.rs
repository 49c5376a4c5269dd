use crate::helpers::spawn_app;

#[tokio::test]
async fn a_filled_honeypot_is_refused_with_a_clear_page_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .header("Accept-Language", "en")
        .form(&[
            ("kind", "praise"),
            ("rating", "5"),
            ("comment", "buy cheap pills"),
            ("website", "http://spam.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("The form could not be accepted"));
    assert!(html.contains("name=\"website\" tabindex=\"-1\" autocomplete=\"off\">"), "the honeypot comes back empty");
    assert!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.is_empty());
}

#[tokio::test]
async fn an_identical_resubmission_within_minutes_is_stored_once() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let form = [("kind", "defect"), ("rating", "1"), ("comment", "Coating peeled off after a week")];
    for _ in 0..3 {
        assert_eq!(app.post_feedback(code, &form).await.status(), 303);
    }
    let different = [("kind", "defect"), ("rating", "1"), ("comment", "And the handle is loose")];
    assert_eq!(app.post_feedback(code, &different).await.status(), 303);
    assert_eq!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.len(), 2);
}

#[tokio::test]
async fn a_client_sending_too_many_reports_is_slowed_down_with_a_page_that_keeps_the_form() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let mut statuses = Vec::new();
    for i in 0..12 {
        let comment = format!("report number {i}");
        let res = app
            .client
            .post(app.url(&format!("/q/{code}")))
            .header("Accept-Language", "en")
            .form(&[("kind", "other"), ("rating", "3"), ("comment", comment.as_str())])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            // Two a minute after the burst: the next is let in within 30 seconds.
            let retry: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=30).contains(&retry), "Retry-After {retry}");
            let html = res.text().await.unwrap();
            assert!(html.contains("Please wait a minute and send again"));
            assert!(html.contains(&format!(">{comment}</textarea>")));
        }
    }
    assert_eq!(&statuses[..10], &[303; 10]);
    assert_eq!(&statuses[10..], &[429, 429]);
    assert_eq!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.len(), 10);
}

#[tokio::test]
async fn concurrent_submissions_are_all_committed_and_acknowledged() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap().to_owned();
    // Different clients would come from different addresses; here the limiter is the same, so stay
    // within its burst.
    let mut tasks = Vec::new();
    for i in 0..10 {
        let client = app.client.clone();
        let url = app.url(&format!("/q/{code}"));
        tasks.push(tokio::spawn(async move {
            let comment = format!("concurrent report {i}");
            client
                .post(url)
                .form(&[("kind", "defect"), ("rating", "2"), ("comment", comment.as_str())])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 303);
    }
    assert_eq!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.len(), 10);
}

#[tokio::test]
async fn identical_submissions_sent_at_the_same_moment_are_stored_once() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap().to_owned();
    // A double (or nervous quadruple) tap on "Send": the requests arrive together.
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let client = app.client.clone();
        let url = app.url(&format!("/q/{code}"));
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("kind", "defect"), ("rating", "1"), ("comment", "The rivets came loose")])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 303, "every tap is acknowledged");
    }
    assert_eq!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.len(), 1);
}
