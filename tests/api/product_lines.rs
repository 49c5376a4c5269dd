use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_api_refuses_requests_without_a_valid_token() {
    let app = spawn_app().await;
    for auth in [None, Some("Bearer nope"), Some("Basic Zm9vOmJhcg==")] {
        let mut req = app.client.get(app.url("/api/v1/product-lines"));
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 401, "{auth:?}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
    }
}

#[tokio::test]
async fn a_created_line_has_a_durable_code_and_a_scan_url() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let res = app.post_line(&m.api_token, &json!({ "name": "Pan", "gtin": "4006381333931", "sku": "P-1" })).await;
    assert_eq!(res.status(), 201);
    let line: serde_json::Value = res.json().await.unwrap();
    let code = line["code"].as_str().unwrap();
    assert_eq!(code.len(), 8);
    assert!(scanback::domain::Code::parse(code).is_ok());
    assert_eq!(line["scan_url"], format!("{}/q/{code}", app.address));
    assert_eq!(line["gtin"], "04006381333931");
    assert_eq!(line["status"], "active");

    let listed: Vec<serde_json::Value> = app
        .client
        .get(app.url("/api/v1/product-lines"))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], line["id"]);
}

#[tokio::test]
async fn invalid_product_lines_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let cases = [
        (json!({ "name": "  " }), "name"),
        (json!({ "name": "Pan", "gtin": "4006381333932" }), "gtin"),
        (json!({ "name": "Pan", "gtin": "12ab" }), "gtin"),
        (json!({ "name": "x".repeat(201) }), "name"),
        (json!({ "name": "Pan \u{202E}diL" }), "name"),
        (json!({ "name": "Pan", "gtin": "00000000000000" }), "gtin"),
    ];
    for (body, field) in cases {
        let res = app.post_line(&m.api_token, &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field);
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }
    let res = app
        .client
        .post(app.url("/api/v1/product-lines"))
        .bearer_auth(&m.api_token)
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let lines = scanback::store::product_lines::list(&app.db, m.manufacturer_id).await.unwrap();
    assert!(lines.is_empty());
}

#[tokio::test]
async fn a_gtin_can_belong_to_one_line_only() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    assert_eq!(app.post_line(&m.api_token, &json!({ "name": "A", "gtin": "4006381333931" })).await.status(), 201);
    let res = app.post_line(&m.api_token, &json!({ "name": "B", "gtin": "4006381333931" })).await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn another_manufacturers_line_answers_404() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let other = app.create_manufacturer("Other").await;
    let id = line["id"].as_str().unwrap();
    for path in [
        format!("/api/v1/product-lines/{id}"),
        format!("/api/v1/product-lines/{id}/artwork?format=svg"),
        format!("/api/v1/reports?product_line={id}"),
    ] {
        let res = app.client.get(app.url(&path)).bearer_auth(&other.api_token).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
    let res = app
        .client
        .post(app.url(&format!("/api/v1/product-lines/{id}/retire")))
        .bearer_auth(&other.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let listed: Vec<serde_json::Value> = app
        .client
        .get(app.url("/api/v1/product-lines"))
        .bearer_auth(&other.api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listed.is_empty());
}

#[tokio::test]
async fn a_retired_line_keeps_its_code_and_still_takes_reports() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Old pan").await;
    let id = line["id"].as_str().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/api/v1/product-lines/{id}/retire")))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let retired: serde_json::Value = res.json().await.unwrap();
    assert_eq!(retired["status"], "retired");
    assert_eq!(retired["code"], line["code"]);

    let code = line["code"].as_str().unwrap();
    let page = app.get_scan_page(code, Some("en")).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("no longer made"));
    let res = app.post_feedback(code, &crate::helpers::valid_form()).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.reports(&m.api_token, id).await.len(), 1);
}

#[tokio::test]
async fn a_line_can_be_renamed_but_its_code_never_changes() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let id = line["id"].as_str().unwrap();
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/product-lines/{id}")))
        .bearer_auth(&m.api_token)
        .json(&json!({ "name": "Pan, new coating" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let updated: serde_json::Value = res.json().await.unwrap();
    assert_eq!(updated["name"], "Pan, new coating");
    assert_eq!(updated["code"], line["code"]);
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/product-lines/{id}")))
        .bearer_auth(&m.api_token)
        .json(&json!({ "code": "ABCDEFGH" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400, "the code is not an updatable field");
}

#[tokio::test]
async fn artwork_honours_size_and_refuses_bad_requests() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let id = line["id"].as_str().unwrap();
    let get = |q: String| {
        let req = app.client.get(app.url(&format!("/api/v1/product-lines/{id}/artwork?{q}"))).bearer_auth(&m.api_token);
        async move { req.send().await.unwrap() }
    };
    let svg = get("format=svg&size_mm=25".into()).await;
    assert_eq!(svg.status(), 200);
    let text = svg.text().await.unwrap();
    assert!(text.contains("width=\"25mm\"") && text.contains("height=\"25mm\""), "{}", &text[..300.min(text.len())]);

    let png = get("format=png".into()).await;
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.unwrap()[..8], b"\x89PNG\r\n\x1a\n");

    for (q, field) in
        [("format=gif", "format"), ("format=svg&profile=nope", "profile"), ("format=svg&size_mm=3", "size_mm")]
    {
        let res = get(q.into()).await;
        assert_eq!(res.status(), 422, "{q}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{q}");
    }
    let res = get("format=svg&size_mm=3".into()).await;
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["error"]["message"].as_str().unwrap().contains("too small"), "{err}");
}
