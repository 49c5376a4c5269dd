use crate::helpers::spawn_app;

#[tokio::test]
async fn reports_are_listed_newest_first_and_exported_as_csv() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let id = line["id"].as_str().unwrap();
    for comment in ["first", "=cmd|' /C calc'!A0", "third, with \"quotes\""] {
        let res = app.post_feedback(code, &[("kind", "other"), ("rating", "3"), ("comment", comment)]).await;
        assert_eq!(res.status(), 303);
    }
    let reports = app.reports(&m.api_token, id).await;
    let comments: Vec<&str> = reports.iter().map(|r| r["comment"].as_str().unwrap()).collect();
    assert_eq!(comments, vec!["third, with \"quotes\"", "=cmd|' /C calc'!A0", "first"]);

    let res = app
        .client
        .get(app.url(&format!("/api/v1/reports?product_line={id}&format=csv")))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].starts_with("id,product_line_id,created_at,kind,category,rating,recommend,usage_period,comment"));
    assert!(rows[1].contains("\"third, with \"\"quotes\"\"\""));
    assert!(rows[2].contains(",'=cmd|' /C calc'!A0,"), "formula defused: {}", rows[2]);
}

#[tokio::test]
async fn reports_of_other_manufacturers_are_never_listed() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let res = app.post_feedback(line["code"].as_str().unwrap(), &crate::helpers::valid_form()).await;
    assert_eq!(res.status(), 303);
    let other = app.create_manufacturer("Other").await;
    let res = app.client.get(app.url("/api/v1/reports")).bearer_auth(&other.api_token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let list: Vec<serde_json::Value> = res.json().await.unwrap();
    assert!(list.is_empty());
}

#[tokio::test]
async fn reports_can_be_filtered_and_moved_through_triage() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let id = line["id"].as_str().unwrap();
    for (kind, category, lot) in [("defect", "coating", "L1"), ("defect", "handle", "L2"), ("praise", "design", "L1")] {
        let res =
            app.post_feedback(code, &[("kind", kind), ("category", category), ("rating", "3"), ("lot", lot)]).await;
        assert_eq!(res.status(), 303);
    }
    let get = |q: &str| {
        let req = app.client.get(app.url(&format!("/api/v1/reports?product_line={id}&{q}"))).bearer_auth(&m.api_token);
        async move { req.send().await.unwrap() }
    };
    let count = |res: reqwest::Response| async move { res.json::<Vec<serde_json::Value>>().await.unwrap().len() };
    assert_eq!(count(get("kind=defect").await).await, 2);
    assert_eq!(count(get("kind=defect&lot=L1").await).await, 1);
    assert_eq!(count(get("category=design").await).await, 1);
    assert_eq!(get("kind=nonsense").await.status(), 422);
    assert_eq!(get("status=lost").await.status(), 422);

    let reports = app.reports(&m.api_token, id).await;
    let report_id = reports[0]["id"].as_str().unwrap();
    assert_eq!(reports[0]["status"], "new");
    let patch = |body: serde_json::Value, token: String| {
        let req = app.client.patch(app.url(&format!("/api/v1/reports/{report_id}"))).bearer_auth(token).json(&body);
        async move { req.send().await.unwrap() }
    };
    let res = patch(serde_json::json!({ "status": "answered" }), m.api_token.clone()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "answered");
    assert_eq!(count(get("status=answered").await).await, 1);
    assert_eq!(count(get("status=new").await).await, 2);
    assert_eq!(patch(serde_json::json!({ "status": "deleted" }), m.api_token.clone()).await.status(), 422);
    let other = app.create_manufacturer("Other").await;
    assert_eq!(patch(serde_json::json!({ "status": "closed" }), other.api_token.clone()).await.status(), 404);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/reports/{report_id}")))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "answered");
}
