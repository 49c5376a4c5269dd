//! The API's answers to malformed requests: strict bodies, one JSON error envelope (also for 413),
//! and messages a person can act on.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

async fn envelope(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    assert_eq!(res.headers()["content-type"], "application/json", "{status} is in the JSON envelope");
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn bodies_must_be_objects_with_known_fields_and_oversized_ones_are_413_in_json() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let id = line["id"].as_str().unwrap();
    let send = |method: reqwest::Method, path: String, body: Vec<u8>| {
        app.client
            .request(method, app.url(&path))
            .bearer_auth(&m.api_token)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };

    for body in ["[]", "[\"x\"]", "\"name\"", "42", "null"] {
        let res = send(reqwest::Method::PATCH, format!("/api/v1/product-lines/{id}"), body.into()).await.unwrap();
        let (status, err) = envelope(res).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(err["error"]["code"], "bad_request");
        assert!(err["error"]["message"].as_str().unwrap().contains("JSON object"), "{body}: {err}");
    }
    let (_, line_now) = app.get_json(&m.api_token, &format!("/api/v1/product-lines/{id}")).await;
    assert_eq!(line_now["name"], "Pan", "nothing changed");

    // Unknown keys anywhere in the form are refused, as the document's additionalProperties say.
    let (_, mut form) = app.get_json(&m.api_token, &format!("/api/v1/product-lines/{id}/form")).await;
    form["categories"]["colour"] = json!([]);
    let res =
        send(reqwest::Method::PUT, format!("/api/v1/product-lines/{id}/form"), form.to_string().into()).await.unwrap();
    let (status, err) = envelope(res).await;
    assert_eq!(status, 400);
    assert!(err["error"]["message"].as_str().unwrap().contains("colour"), "{err}");

    let big = json!({ "name": "x".repeat(70 * 1024) }).to_string();
    let res = send(reqwest::Method::PATCH, format!("/api/v1/product-lines/{id}"), big.into()).await.unwrap();
    let (status, err) = envelope(res).await;
    assert_eq!(status, 413);
    assert_eq!(err["error"]["code"], "too_large");

    let picture = vec![0u8; 11 * 1024 * 1024];
    let res = app
        .client
        .put(app.url(&format!("/api/v1/product-lines/{id}/image")))
        .bearer_auth(&m.api_token)
        .header("Content-Type", "image/png")
        .body(picture)
        .send()
        .await
        .unwrap();
    let (status, err) = envelope(res).await;
    assert_eq!(status, 413);
    assert!(err["error"]["message"].as_str().unwrap().contains("10 MB"), "{err}");
}

#[tokio::test]
async fn a_date_where_an_instant_is_expected_is_named_with_an_example() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    for (query, field) in [("since=2026-12-03", "since"), ("until=yesterday", "until")] {
        let res = app
            .client
            .get(app.url(&format!("/api/v1/reports?{query}")))
            .bearer_auth(&m.api_token)
            .send()
            .await
            .unwrap();
        let (status, err) = envelope(res).await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(err["error"]["field"], field);
        assert!(err["error"]["message"].as_str().unwrap().contains("2026-12-03T00:00:00Z"), "{err}");
    }
    let res = app
        .client
        .get(app.url("/api/v1/reports?since=2026-12-03T00%3A00%3A00%2B03%3A00"))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn what_a_client_sent_is_echoed_with_control_characters_escaped() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let res = app
        .client
        .get(app.url("/api/v1/reports?kind=%1B%5B31m%0AFAKE%20LOG%20LINE"))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    let (status, err) = envelope(res).await;
    assert_eq!(status, 422);
    let message = err["error"]["message"].as_str().unwrap();
    assert!(!message.chars().any(char::is_control), "{message:?}");
    assert!(message.contains("\\u{1b}[31m\\nFAKE LOG LINE"), "{message:?}");
}
