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
