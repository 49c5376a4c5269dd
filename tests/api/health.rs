use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_ok_when_the_database_answers() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok\n");
}

#[tokio::test]
async fn healthz_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
}

#[tokio::test]
async fn metrics_count_scans_reports_and_refusals_in_prometheus_format() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    app.client.get(app.url(&format!("/q/{code}"))).header("User-Agent", crate::helpers::PHONE_UA).send().await.unwrap();
    app.client
        .get(app.url(&format!("/q/{code}")))
        .header("User-Agent", "Slackbot-LinkExpanding 1.0")
        .send()
        .await
        .unwrap();
    assert_eq!(app.post_feedback(code, &crate::helpers::valid_form()).await.status(), 303);
    assert_eq!(app.post_feedback(code, &crate::helpers::valid_form()).await.status(), 303);
    assert_eq!(app.post_feedback(code, &[("kind", "nonsense")]).await.status(), 422);
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    for line in [
        "scanback_scans_total{kind=\"human\"} 1",
        "scanback_scans_total{kind=\"bot\"} 1",
        "scanback_reports_total{outcome=\"stored\"} 1",
        "scanback_reports_total{outcome=\"duplicate\"} 1",
        "scanback_submissions_refused_total{reason=\"invalid\"} 1",
        "scanback_report_rows_committed_total 1",
        "scanback_database_up 1",
    ] {
        assert!(text.lines().any(|l| l == line), "missing `{line}` in:\n{text}");
    }
}

#[tokio::test]
async fn answers_carry_the_security_headers_and_authenticated_ones_are_never_cached() {
    let app = crate::helpers::spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let res = app.client.get(app.url("/api/v1/product-lines")).bearer_auth(&m.api_token).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let res = app.client.get(app.url("/api/v1/product-lines")).send().await.unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let res = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600", "the public document may be cached");
    let res = app.client.get(app.url("/")).send().await.unwrap();
    let h = res.headers();
    assert!(h["permissions-policy"].to_str().unwrap().contains("geolocation=()"));
    assert_eq!(h["cross-origin-opener-policy"], "same-origin");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain http");

    let app = crate::helpers::spawn_app_with(|s| s.public_url = "https://feedback.example.com".into()).await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}

#[tokio::test]
async fn metrics_can_be_restricted_to_a_token() {
    let secret = "metrics-secret-0123456789";
    let app = crate::helpers::spawn_app_with(|s| s.metrics_token = Some(secret.to_owned().into())).await;
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 401, "no token");
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"metrics\"");
    assert!(!res.text().await.unwrap().contains("scanback_scans_total"));
    let res = app.client.get(app.url("/metrics")).bearer_auth("metrics-secret-0123456780").send().await.unwrap();
    assert_eq!(res.status(), 401, "a wrong token");
    let m = app.create_manufacturer("Acme").await;
    let res = app.client.get(app.url("/metrics")).bearer_auth(&m.api_token).send().await.unwrap();
    assert_eq!(res.status(), 401, "an API token is not the metrics token");
    let res = app.client.get(app.url("/metrics")).bearer_auth(secret).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("scanback_scans_total"));
}

/// Every kind of HTML page: public, account, dashboard, print. None has an inline style or script,
/// so the policy can forbid both; the stylesheet comes from our own origin.
#[tokio::test]
async fn pages_work_under_a_policy_without_inline_styles_and_resources_stay_same_origin() {
    let app = crate::helpers::spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let res = app.post_feedback(code, &crate::helpers::valid_form()).await;
    assert_eq!(res.status(), 303);
    let line_id = line["id"].as_str().unwrap();
    let share = app
        .client
        .post(app.url("/api/v1/print-shares"))
        .bearer_auth(&m.api_token)
        .json(&serde_json::json!({ "product_lines": [line_id] }))
        .send()
        .await
        .unwrap();
    let share: serde_json::Value = share.json().await.unwrap();
    let print_url = share["url"].as_str().unwrap_or_else(|| panic!("a share url: {share}")).to_owned();
    let (cookie, _) = app.session_for(&m.api_token, "owner", "en").await;
    let pages = [
        app.url(&format!("/q/{code}")),
        app.url("/login"),
        app.url("/"),
        app.url("/dashboard"),
        app.url(&format!("/dashboard/lines/{line_id}")),
        app.url("/dashboard/reports"),
        print_url,
    ];
    let mut sheets = std::collections::BTreeSet::new();
    for url in pages {
        let res = app.client.get(&url).header("Cookie", cookie.clone()).send().await.unwrap();
        assert_eq!(res.status(), 200, "{url}");
        let h = res.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap().to_owned();
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{url}: {csp}");
        assert!(csp.contains("style-src 'self'") && csp.contains("default-src 'none'"), "{url}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'"), "{url}: {csp}");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin", "{url}");
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{url}");
        assert!(h["permissions-policy"].to_str().unwrap().contains("camera=()"), "{url}");
        let html = res.text().await.unwrap();
        assert!(!html.contains("<style") && !html.contains(" style="), "{url}: an inline style");
        assert!(!html.contains("<script>") && !html.contains(" onload=") && !html.contains(" onclick="), "{url}");
        let at = html.find("<link rel=\"stylesheet\" href=\"").unwrap_or_else(|| panic!("{url}: no stylesheet"));
        let rest = &html[at + "<link rel=\"stylesheet\" href=\"".len()..];
        let href = &rest[..rest.find('"').unwrap()];
        assert!(href.starts_with("/static/") && href.ends_with(".css"), "{url}: {href}");
        sheets.insert(href.to_owned());
    }
    assert_eq!(sheets.len(), 2, "one sheet for public and account pages, one for the dashboard: {sheets:?}");
    for href in sheets {
        let res = app.client.get(app.url(&href)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{href}");
        assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
        assert!(res.text().await.unwrap().contains("box-sizing"), "{href} is the stylesheet");
    }
}
