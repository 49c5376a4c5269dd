use crate::helpers::{spawn_app, valid_form};

#[tokio::test]
async fn the_scan_page_shows_the_product_in_the_visitors_language_without_cookies_or_scripts() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Сковорода 28 см").await;
    let code = line["code"].as_str().unwrap();

    let res = app.get_scan_page(code, Some("ru-RU,ru;q=0.9,en;q=0.8")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("set-cookie").is_none());
    assert_eq!(res.headers()["content-language"], "ru");
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(html.contains("Сковорода 28 см"));
    assert!(html.contains("Что произошло?"));
    // The only script is optional (it shrinks photos), same-origin and deferred; the browser test
    // sends a report with JavaScript off.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script src=\"/static/shrink-photos-v1.js\" defer></script>"));
    let js = app.client.get(app.url("/static/shrink-photos-v1.js")).send().await.unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no third-party requests");
    assert!(html.contains("href=\"?lang=en\""), "a visible language switch");

    let res = app.get_scan_page(code, Some("en-GB,en;q=0.9")).await;
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("What happened?"));

    // The switch wins over the header.
    let res =
        app.client.get(app.url(&format!("/q/{code}?lang=en"))).header("Accept-Language", "ru").send().await.unwrap();
    assert!(res.text().await.unwrap().contains("What happened?"));
}

#[tokio::test]
async fn codes_resolve_in_any_case_and_under_both_q_prefixes() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    for path in
        [format!("/q/{code}"), format!("/Q/{code}"), format!("/q/{}", code.to_lowercase()), format!("/Q/{code}/")]
    {
        let res = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn an_unknown_code_gets_a_friendly_404_and_a_mistyped_one_says_so() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap().to_owned();

    let res = app.get_scan_page("ZZZZ", Some("en")).await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Unknown code"));

    // A valid code that was never issued.
    let mut unissued = scanback::domain::Code::generate(&mut rand::rng());
    while unissued.as_str() == code {
        unissued = scanback::domain::Code::generate(&mut rand::rng());
    }
    let res = app.get_scan_page(unissued.as_str(), Some("en")).await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("No product is registered"));

    // One character changed: the check character catches it.
    let mut typo: Vec<char> = code.chars().collect();
    typo[2] = if typo[2] == 'A' { 'B' } else { 'A' };
    let typo: String = typo.into_iter().collect();
    let res = app.get_scan_page(&typo, Some("ru")).await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("код введён с ошибкой"), "{html}");
}

#[tokio::test]
async fn a_valid_submission_is_stored_and_answered_with_an_honest_thank_you() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let res = app
        .post_feedback(
            code,
            &[
                ("kind", "praise"),
                ("rating", "5"),
                ("comment", "Great pan"),
                ("email", "anna@example.com"),
                ("consent", "yes"),
                ("lot", "L2026-11"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("/q/{code}/thanks")));
    let thanks = app.client.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(thanks.contains("can answer you there"), "{thanks}");
    assert!(thanks.contains("cannot promise"));

    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["email"], "anna@example.com");
    assert_eq!(reports[0]["lot"], "L2026-11");
    assert_eq!(reports[0]["kind"], "praise");
}

#[tokio::test]
async fn invalid_input_is_answered_422_with_the_form_kept_and_each_error_named() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .header("Accept-Language", "en")
        .form(&[
            ("kind", "defect"),
            ("rating", "7"),
            ("comment", "Coating <b>peels</b> off"),
            ("email", "not-an-email"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("The rating must be a whole number from 1 to 5."));
    assert!(html.contains("This does not look like an email address."));
    assert!(
        html.contains("Coating &#60;b&#62;peels&#60;/b&#62; off")
            || html.contains("Coating &lt;b&gt;peels&lt;/b&gt; off"),
        "comment kept, escaped"
    );
    assert!(html.contains("value=\"not-an-email\""), "email kept");
    assert!(html.contains("value=\"defect\" required checked"), "kind kept");

    // In Russian, with the plural of the error count.
    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .header("Accept-Language", "ru")
        .form(&[("rating", "0"), ("email", "anna@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Исправьте 3 поля:"), "{html}");
    assert!(html.contains("Выберите, что произошло."));
    assert!(html.contains("Отметьте согласие"));

    assert!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.is_empty(), "nothing stored");
}

#[tokio::test]
async fn oversized_and_unreadable_bodies_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let huge = "x".repeat(64 * 1024);
    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .header("Accept-Language", "en")
        .form(&[("kind", "defect"), ("rating", "3"), ("comment", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().contains("Too much data"));

    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .header("Content-Type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.is_empty());
}

#[tokio::test]
async fn a_comment_at_the_stated_limit_is_accepted_and_one_over_is_refused() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let at_limit = "ж".repeat(scanback::domain::feedback::COMMENT_MAX_CHARS);
    let over = format!("{at_limit}ж");
    let mut form = valid_form();
    form.retain(|(k, _)| *k != "comment");
    let mut ok = form.clone();
    ok.push(("comment", at_limit.as_str()));
    assert_eq!(app.post_feedback(code, &ok).await.status(), 303);
    let mut bad = form.clone();
    bad.push(("comment", over.as_str()));
    assert_eq!(app.post_feedback(code, &bad).await.status(), 422);
    assert_eq!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.len(), 1);
}
