use crate::helpers::{decode_qr, rasterise_svg, spawn_app};

/// The walking skeleton: printed code -> decoder -> page -> report -> API -> digest mail.
#[tokio::test]
async fn a_report_travels_from_a_printed_code_to_the_manufacturers_inbox() {
    let app = spawn_app().await;

    // The manufacturer is created with the real command line.
    let out = app.cli(&["manufacturer", "create", "--name", "Acme Cookware", "--email", "quality@acme.test"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let token = created["api_token"].as_str().expect("api_token");
    assert_eq!(created["owner_email"], "quality@acme.test");
    assert!(created["owner_password"].as_str().is_some_and(|p| p.len() >= 16));
    assert!(created["manufacturer_id"].as_str().is_some());

    let res = app.post_line(token, &serde_json::json!({ "name": "Frying pan 28 cm", "sku": "FP-28" })).await;
    assert_eq!(res.status(), 201);
    let line: serde_json::Value = res.json().await.unwrap();
    let code = line["code"].as_str().unwrap();
    let line_id = line["id"].as_str().unwrap();

    // Artwork, rasterised by librsvg and decoded by zxing-cpp.
    let svg = app
        .client
        .get(app.url(&format!("/api/v1/product-lines/{line_id}/artwork?format=svg&size_mm=30")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    let svg_path = app.dir.path().join("code.svg");
    std::fs::write(&svg_path, svg.bytes().await.unwrap()).unwrap();
    let png_path = app.dir.path().join("code.png");
    rasterise_svg(&svg_path, &png_path, 300);
    let decoded = decode_qr(&png_path);
    assert_eq!(decoded.len(), 1, "{decoded:?}");
    let url = decoded[0]["text"].as_str().unwrap();
    assert_eq!(url, format!("http://127.0.0.1:{}/Q/{code}", app.port), "host and path upper-case, scheme lower-case");

    // The customer follows the decoded URL exactly as printed.
    let page = app.client.get(url).header("Accept-Language", "en").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Frying pan 28 cm"));

    let res = app
        .client
        .post(url)
        .form(&[("kind", "defect"), ("rating", "2"), ("comment", "Handle burns after 5 minutes")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let thanks = res.headers()["location"].to_str().unwrap().to_owned();
    let thanks_page = app.client.get(app.url(&thanks)).send().await.unwrap();
    assert_eq!(thanks_page.status(), 200);
    assert!(thanks_page.text().await.unwrap().contains("Acme Cookware"));

    let reports = app.reports(token, line_id).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["comment"], "Handle burns after 5 minutes");
    assert_eq!(reports[0]["kind"], "defect");
    assert_eq!(reports[0]["rating"], 2);

    // The digest, over real SMTP, through the real command: the owner's default subscription (daily at
    // 08:00 in the manufacturer's zone, UTC) starts when first read; its next period holds the report.
    let (status, sub) = app.get_json(token, "/api/v1/me/subscription").await;
    assert_eq!(status, 200);
    assert_eq!((sub["cadence"].as_str(), sub["hour"].as_i64()), (Some("daily"), Some(8)));
    let next = sub["next_digest_at"].as_str().unwrap().to_owned();
    let out = app.cli(&["digest", "run", "--at", &next]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mails = app.mail.received();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.to, vec!["quality@acme.test".to_owned()]);
    assert_eq!(mail.from, "noreply@scanback.test");
    assert!(mail.data.contains("multipart/alternative"));
    assert!(mail.data.contains("text/plain"));
    assert!(mail.data.contains("text/html"));
    let text = mail.part("text/plain").expect("a plain-text part");
    assert!(text.contains("Frying pan 28 cm"), "{text}");
    assert!(text.contains("Handle burns after 5 minutes"));
    assert!(mail.part("text/html").expect("an HTML part").contains("Handle burns after 5 minutes"));

    // A second run in the same period sends nothing.
    let out = app.cli(&["digest", "run", "--at", &next]);
    assert!(out.status.success());
    assert_eq!(app.mail.received().len(), 1);
}
