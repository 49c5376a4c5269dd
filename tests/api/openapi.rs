//! Contract test: the OpenAPI document at /api/v1/openapi.json against the running app. Every documented
//! operation is called with real ids and its documented example body; the status must be one the document
//! lists, 2xx answers must have a documented content type, and 200/201 JSON must have every documented
//! required property (recursively, with its documented type). Without a token every operation is 401.

use std::io::Cursor;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

pub(crate) async fn fetch_document(app: &TestApp) -> Value {
    let res = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200, "the document needs no token");
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");
    let doc: Value = serde_json::from_str(&res.text().await.unwrap()).expect("the document is JSON");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")), "OpenAPI 3.1: {}", doc["openapi"]);
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert_eq!(doc["components"]["securitySchemes"]["bearerAuth"]["type"], "http");
    assert_eq!(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
    assert_eq!(doc["security"], json!([{ "bearerAuth": [] }]));
    doc
}

/// The ids the documented paths need, all belonging to one manufacturer.
pub(crate) struct Fixture {
    pub(crate) token: String,
    pub(crate) line_id: String,
    pub(crate) link_id: String,
    pub(crate) report_id: String,
    pub(crate) photo_position: String,
    /// Only once the print-share API is merged.
    pub(crate) print_share_id: Option<String>,
    /// A second member (a viewer) and a second token of the owner, for the calls that change or remove them.
    pub(crate) member_id: String,
    pub(crate) token_id: String,
    pub(crate) webhook_id: String,
    pub(crate) zone_id: String,
}

fn jpeg() -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(
            64,
            48,
            |x, _| if x < 32 { image::Rgb([200, 30, 30]) } else { image::Rgb([30, 30, 200]) },
        );
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
    out
}

pub(crate) async fn fixture(app: &TestApp) -> Fixture {
    let m = app.create_manufacturer("Contract Cookware").await;
    let token = m.api_token.clone();
    // A GTIN other than the create example's, so links can be added (201) and the example still creates a line.
    let res = app.post_line(&token, &json!({ "name": "Contract pan", "gtin": "5901234123457" })).await;
    assert_eq!(res.status(), 201);
    let line: Value = res.json().await.unwrap();
    let line_id = line["id"].as_str().unwrap().to_owned();
    let code = line["code"].as_str().unwrap().to_owned();

    let res = app
        .client
        .post(app.url(&format!("/api/v1/product-lines/{line_id}/links")))
        .bearer_auth(&token)
        .json(&json!({ "link_type": "gs1:pip", "href": "https://example.com/pan", "title": "About the pan" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let link_id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

    let form = Form::new()
        .text("kind", "defect")
        .text("rating", "2")
        .text("comment", "The coating peels")
        .part("photo", Part::bytes(jpeg()).file_name("pan.jpg").mime_str("image/jpeg").unwrap());
    let res = app.post_multipart(&code, form, "en").await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let reports = app.reports(&token, &line_id).await;
    let report_id = reports[0]["id"].as_str().unwrap().to_owned();
    let photo_url = reports[0]["photos"][0]["url"].as_str().expect("the report has a photo");
    let photo_position = photo_url.rsplit('/').next().unwrap().to_owned();

    let res = app
        .client
        .post(app.url("/api/v1/print-shares"))
        .bearer_auth(&token)
        .json(&json!({ "product_lines": [line_id] }))
        .send()
        .await
        .unwrap();
    let print_share_id = match res.status().as_u16() {
        201 => Some(res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()),
        _ => None,
    };
    let member_id =
        crate::members::add_member(app, m.manufacturer_id, "viewer@contract.test", "viewer").await.to_string();
    let owner = scanback::store::users::find_by_email(&app.db, &m.owner_email).await.unwrap().unwrap().id;
    let (second, _) =
        scanback::store::api_tokens::create(&app.db, m.manufacturer_id, owner, "second", false).await.unwrap();
    let token_id = second.id.to_string();
    // Straight into the store: the contract app refuses private addresses and may have no DNS.
    let secret = scanback::domain::webhook::secret_from(&[1u8; 32]);
    let webhook_id = scanback::store::webhooks::create_endpoint(
        &app.db,
        m.manufacturer_id,
        "https://hooks.example.com/in",
        "alert.opened",
        &secret,
    )
    .await
    .unwrap()
    .id
    .to_string();
    let zone = scanback::store::zones::create(
        &app.db,
        m.manufacturer_id,
        &scanback::store::zones::ZoneSpec {
            name: "Coatings QA".into(),
            categories: vec!["defect/coating".into()],
            product_lines: None,
            members: Vec::new(),
            response_target_days: 2,
        },
    )
    .await
    .unwrap();
    let zone_id = zone.zone.id.to_string();
    // Settle the suggestions now: a zone routes by them, so a report's zones and a zone's KPIs
    // would otherwise change whenever the background job gets to it.
    scanback::app::classify::run_once(&app.state.app).await.unwrap();
    Fixture {
        token,
        line_id,
        link_id,
        report_id,
        photo_position,
        print_share_id,
        member_id,
        token_id,
        webhook_id,
        zone_id,
    }
}

/// One documented operation.
pub(crate) struct Operation {
    pub(crate) path: String,
    pub(crate) method: String,
    pub(crate) op: Value,
    /// Path-level and operation-level parameters, `$ref`s resolved.
    pub(crate) parameters: Vec<Value>,
}

impl Operation {
    pub(crate) fn name(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// Calls that change state run last, so the others see the fixture as it was made.
    fn destructive(&self) -> bool {
        self.method == "delete"
            || self.path.ends_with("/retire")
            || self.path.ends_with("/revoke")
            || self.path.ends_with("/erase")
    }
}

pub(crate) fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("dangling $ref {r}")),
        None => v,
    }
}

pub(crate) fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| resolve(doc, p).clone())
            .collect();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let mut parameters = shared.clone();
            parameters.extend(
                op.get("parameters").and_then(Value::as_array).into_iter().flatten().map(|p| resolve(doc, p).clone()),
            );
            out.push(Operation { path: path.clone(), method: method.to_owned(), op: op.clone(), parameters });
        }
    }
    out.sort_by_key(Operation::destructive);
    out
}

pub(crate) fn concrete_path(op: &Operation, fx: &Fixture) -> Option<String> {
    let mut path = op.path.clone();
    for p in op.parameters.iter().filter(|p| p["in"] == "path") {
        let name = p["name"].as_str().unwrap();
        let value = match name {
            "product_line_id" => fx.line_id.clone(),
            "link_id" => fx.link_id.clone(),
            "report_id" => fx.report_id.clone(),
            "position" => fx.photo_position.clone(),
            "lot" => "L2603".to_owned(),
            "print_share_id" => fx.print_share_id.clone()?,
            "member_id" => fx.member_id.clone(),
            "token_id" => fx.token_id.clone(),
            "webhook_id" => fx.webhook_id.clone(),
            "zone_id" => fx.zone_id.clone(),
            other => panic!("{}: no fixture for path parameter `{other}`; add one to tests/api/openapi.rs", op.name()),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    assert!(!path.contains('{'), "{}: a path parameter is not documented", op.name());
    Some(path)
}

/// A request body: its content type and bytes.
pub(crate) struct Body {
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
}

/// The documented example body, with the documented example product line id swapped for the real one;
/// for an image upload, a real PNG.
pub(crate) fn example_body(doc: &Value, op: &Operation, fx: &Fixture) -> Option<Body> {
    let body = op.op.get("requestBody")?;
    if body["content"].get("image/png").is_some() {
        let mut png = Vec::new();
        image::DynamicImage::new_rgb8(64, 48)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        return Some(Body { content_type: "image/png".into(), bytes: png });
    }
    let example = &body["content"]["application/json"]["example"];
    assert!(!example.is_null(), "{}: the request body has no application/json example", op.name());
    let placeholder = doc["components"]["parameters"]["ProductLineId"]["example"].as_str().unwrap();
    Some(Body {
        content_type: "application/json".into(),
        bytes: example.to_string().replace(placeholder, &fx.line_id).into_bytes(),
    })
}

/// One call per query variant: no query; every documented query example together; each value of each
/// enumerated query parameter alone.
fn query_variants(op: &Operation) -> Vec<Vec<(String, String)>> {
    let mut out = vec![vec![]];
    let query: Vec<&Value> = op.parameters.iter().filter(|p| p["in"] == "query").collect();
    let examples: Vec<(String, String)> = query
        .iter()
        .filter_map(|p| Some((p["name"].as_str()?.to_owned(), p.get("example")?.as_str()?.to_owned())))
        .collect();
    if !examples.is_empty() {
        out.push(examples);
    }
    for p in query {
        let name = p["name"].as_str().unwrap().to_owned();
        for v in p["schema"].get("enum").and_then(Value::as_array).into_iter().flatten() {
            out.push(vec![(name.clone(), v.as_str().unwrap().to_owned())]);
        }
    }
    out
}

pub(crate) async fn call(
    app: &TestApp,
    method: &str,
    url: &str,
    query: &[(String, String)],
    body: Option<&Body>,
    token: Option<&str>,
) -> reqwest::Response {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let mut url = url::Url::parse(url).unwrap();
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    let mut req = app.client.request(method, url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.header("Content-Type", b.content_type.as_str()).body(b.bytes.clone());
    }
    req.send().await.unwrap()
}

pub(crate) fn is_unknown_route(status: u16, body: &[u8]) -> bool {
    status == 404
        && serde_json::from_slice::<Value>(body)
            .is_ok_and(|v| v["error"]["code"] == "not_found" && v["error"]["message"] == "route not found")
}

/// Checks a JSON value against the subset of JSON Schema the document uses: $ref, allOf, type, enum,
/// const, required, properties, additionalProperties (as a schema) and items.
fn check_schema(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        check_schema(doc, part, value, at, errors);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !fits {
            errors.push(format!("{at}: {value} is not of type {t}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        errors.push(format!("{at}: {value} is not {c}"));
    }
    if let Some(obj) = value.as_object() {
        for key in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !obj.contains_key(key) {
                errors.push(format!("{at}: required property `{key}` is missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, v) in obj {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => check_schema(doc, s, v, &format!("{at}.{key}"), errors),
                None => {
                    if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object()) {
                        check_schema(doc, extra, v, &format!("{at}.{key}"), errors);
                    }
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check_schema(doc, items, v, &format!("{at}[{i}]"), errors);
        }
    }
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let fx = fixture(&app).await;
    let server = doc["servers"][0]["url"].as_str().unwrap();
    let mut checked = 0;
    let mut pending = Vec::new();
    for op in operations(&doc) {
        let name = op.name();
        let pending_merge = op.op.get("x-pending-merge").and_then(Value::as_str);
        let public = op.op.get("security").is_some_and(|s| s == &json!([]));
        let Some(path) = concrete_path(&op, &fx) else {
            assert!(pending_merge.is_some(), "{name}: no id for its path");
            pending.push(name);
            continue;
        };
        let url = app.url(&format!("{server}{path}"));
        let body = example_body(&doc, &op, &fx);
        let responses = op.op["responses"].as_object().unwrap_or_else(|| panic!("{name}: no responses"));

        // Without a token: 401 with the error envelope, before anything else is looked at.
        if !public {
            let res = call(&app, &op.method, &url, &[], body.as_ref(), None).await;
            let status = res.status().as_u16();
            let bytes = res.bytes().await.unwrap();
            if is_unknown_route(status, &bytes) && pending_merge.is_some() {
                pending.push(name);
                continue;
            }
            assert_eq!(status, 401, "{name} without a token: {}", String::from_utf8_lossy(&bytes));
            assert!(responses.contains_key("401"), "{name}: 401 is not documented");
            let err: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(err["error"]["code"], "unauthorized", "{name}");
        }

        for query in query_variants(&op) {
            let what = format!("{name} {query:?}");
            let res = call(&app, &op.method, &url, &query, body.as_ref(), Some(&fx.token)).await;
            let status = res.status().as_u16();
            let content_type = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.split(';').next().unwrap_or_default().trim().to_owned());
            let bytes = res.bytes().await.unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!is_unknown_route(status, &bytes), "{what}: documented, but the app has no such route");
            if let Some(branch) = pending_merge {
                panic!(
                    "{name} is served now: remove its `\"x-pending-merge\": \"{branch}\"` from src/web/api/openapi.json"
                );
            }
            let documented = responses
                .get(&status.to_string())
                .unwrap_or_else(|| panic!("{what}: answered {status}, which the document does not list: {text}"));
            let documented = resolve(&doc, documented);
            assert!(status < 500, "{what}: {status} {text}");
            if (200..300).contains(&status) {
                match documented.get("content").and_then(Value::as_object) {
                    None => assert!(bytes.is_empty(), "{what}: {status} documents no content but has some"),
                    Some(content) => {
                        let ct = content_type.clone().unwrap_or_default();
                        assert!(content.contains_key(&ct), "{what}: content type `{ct}` is not documented");
                    }
                }
            }
            if status == 200 || status == 201 {
                if let (Some("application/json"), Some(schema)) =
                    (content_type.as_deref(), documented.pointer("/content/application~1json/schema"))
                {
                    let value: Value =
                        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"));
                    let mut errors = Vec::new();
                    check_schema(&doc, schema, &value, "$", &mut errors);
                    assert!(
                        errors.is_empty(),
                        "{what}: the answer does not fit the document:\n{}\n{text}",
                        errors.join("\n")
                    );
                }
            } else if status >= 400 {
                // Every documented error is the JSON envelope.
                let err: Value = serde_json::from_slice(&bytes)
                    .unwrap_or_else(|e| panic!("{what}: {status} is not JSON ({e}): {text}"));
                let mut errors = Vec::new();
                check_schema(&doc, &json!({ "$ref": "#/components/schemas/Error" }), &err, "$", &mut errors);
                assert!(errors.is_empty(), "{what}: {}", errors.join("\n"));
            }
            eprintln!("{what} -> {status}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} calls were checked");
    if !pending.is_empty() {
        eprintln!("documented, not served by this build yet (x-pending-merge): {pending:?}");
    }
}

#[tokio::test]
async fn documented_errors_are_the_ones_the_app_answers() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let fx = fixture(&app).await;
    let other = app.create_manufacturer("Someone Else").await;
    let line = format!("/api/v1/product-lines/{}", fx.line_id);
    // (method, path, body, token, expected status, operation path, method in the document)
    // (method, path, body, token, expected status, documented path, documented method)
    #[allow(clippy::type_complexity)]
    let cases: Vec<(&str, String, Option<&str>, &str, u16, &str, &str)> = vec![
        ("get", line.clone(), None, &other.api_token, 404, "/product-lines/{product_line_id}", "get"),
        ("patch", line.clone(), Some("{not json"), &fx.token, 400, "/product-lines/{product_line_id}", "patch"),
        (
            "patch",
            line.clone(),
            Some(r#"{"gtin":"4006381333931"}"#),
            &fx.token,
            400,
            "/product-lines/{product_line_id}",
            "patch",
        ),
        ("patch", line.clone(), Some(r#"{"name":"  "}"#), &fx.token, 422, "/product-lines/{product_line_id}", "patch"),
        (
            "post",
            "/api/v1/product-lines".into(),
            Some(r#"{"name":"Twin","gtin":"5901234123457"}"#),
            &fx.token,
            409,
            "/product-lines",
            "post",
        ),
        (
            "get",
            format!("{line}/artwork?size_mm=1"),
            None,
            &fx.token,
            422,
            "/product-lines/{product_line_id}/artwork",
            "get",
        ),
        (
            "get",
            format!("{line}/artwork?format=pdf&caption=%F0%9D%84%9E"),
            None,
            &fx.token,
            422,
            "/product-lines/{product_line_id}/artwork",
            "get",
        ),
        (
            "get",
            format!("{line}/artwork?size_mm=big"),
            None,
            &fx.token,
            400,
            "/product-lines/{product_line_id}/artwork",
            "get",
        ),
        (
            "get",
            format!("{line}/stats?from=yesterday"),
            None,
            &fx.token,
            422,
            "/product-lines/{product_line_id}/stats",
            "get",
        ),
        (
            "get",
            "/api/v1/stats/lines?until=2025-01-01&from=2025-02-01".into(),
            None,
            &fx.token,
            422,
            "/stats/lines",
            "get",
        ),
        ("get", "/api/v1/reports?format=xml".into(), None, &fx.token, 422, "/reports", "get"),
        ("get", "/api/v1/reports?limit=501".into(), None, &fx.token, 422, "/reports", "get"),
        ("get", "/api/v1/reports?cursor=garbage".into(), None, &fx.token, 422, "/reports", "get"),
        ("get", format!("/api/v1/reports?product_line={}", fx.line_id), None, &other.api_token, 404, "/reports", "get"),
        (
            "get",
            format!("/api/v1/reports/{}/photos/9", fx.report_id),
            None,
            &fx.token,
            404,
            "/reports/{report_id}/photos/{position}",
            "get",
        ),
        (
            "put",
            format!("{line}/form"),
            Some(r#"{"categories":{"defect":[],"usability":[],"praise":[],"other":[]}}"#),
            &fx.token,
            422,
            "/product-lines/{product_line_id}/form",
            "put",
        ),
        (
            "delete",
            format!("{line}/links/{}", fx.line_id),
            None,
            &fx.token,
            404,
            "/product-lines/{product_line_id}/links/{link_id}",
            "delete",
        ),
        (
            "post",
            format!("{line}/links"),
            Some(r#"{"link_type":"gs1:defaultLink","href":"https://example.com","title":"x"}"#),
            &fx.token,
            422,
            "/product-lines/{product_line_id}/links",
            "post",
        ),
        (
            "get",
            format!("/api/v1/webhooks/{}", fx.webhook_id),
            None,
            &other.api_token,
            404,
            "/webhooks/{webhook_id}",
            "get",
        ),
        (
            "get",
            format!("/api/v1/webhooks/{}/deliveries", fx.webhook_id),
            None,
            &other.api_token,
            404,
            "/webhooks/{webhook_id}/deliveries",
            "get",
        ),
        (
            "post",
            "/api/v1/webhooks".into(),
            Some(r#"{"url":"https://127.0.0.1/in","events":["alert.opened"]}"#),
            &fx.token,
            422,
            "/webhooks",
            "post",
        ),
        ("put", "/api/v1/alert-settings".into(), Some(r#"{"threshold":2}"#), &fx.token, 422, "/alert-settings", "put"),
        (
            "put",
            format!("/api/v1/members/{}/alerts", fx.member_id),
            Some(r#"{"alerts":false}"#),
            &other.api_token,
            404,
            "/members/{member_id}/alerts",
            "put",
        ),
        ("get", "/api/v1/alerts?status=maybe".into(), None, &fx.token, 422, "/alerts", "get"),
    ];
    for (method, path, body, token, expected, doc_path, doc_method) in cases {
        let body = body.map(|b| Body { content_type: "application/json".into(), bytes: b.as_bytes().to_vec() });
        let res = call(&app, method, &app.url(&path), &[], body.as_ref(), Some(token)).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        assert_eq!(status, expected, "{method} {path}: {text}");
        let op = &doc["paths"][doc_path][doc_method];
        assert!(op.is_object(), "{doc_method} {doc_path} is not documented");
        assert!(
            op["responses"].get(status.to_string()).is_some(),
            "{method} {path}: {status} is not documented for {doc_method} {doc_path}"
        );
        let err: Value = serde_json::from_str(&text).unwrap();
        let mut errors = Vec::new();
        check_schema(&doc, &json!({ "$ref": "#/components/schemas/Error" }), &err, "$", &mut errors);
        assert!(errors.is_empty(), "{method} {path}: {}", errors.join("\n"));
    }
}

/// The documented query parameter of `GET /reports` called `name`.
fn reports_parameter<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc.pointer("/paths/~1reports/get/parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("GET /reports documents no `{name}`"))
}

#[tokio::test]
async fn the_reports_page_size_cursor_and_next_page_headers_are_the_documented_ones() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let fx = fixture(&app).await;
    let before = app.reports(&fx.token, &fx.line_id).await;
    assert_eq!(before.len(), 1, "the fixture has one report");
    let line: Value = app
        .client
        .get(app.url(&format!("/api/v1/product-lines/{}", fx.line_id)))
        .bearer_auth(&fx.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = app.post_feedback(line["code"].as_str().unwrap(), &crate::helpers::valid_form()).await;
    assert_eq!(res.status(), 303);
    let op = &doc["paths"]["/reports"]["get"];
    let reports = |query: String| {
        let req = app.client.get(app.url(&format!("/api/v1/reports?{query}"))).bearer_auth(&fx.token);
        async move { req.send().await.unwrap() }
    };
    let refused = |field: &'static str, query: String| {
        let call = reports(query.clone());
        async move {
            let res = call.await;
            assert_eq!(res.status(), 422, "{query}");
            assert!(op["responses"].get("422").is_some());
            let err: Value = res.json().await.unwrap();
            assert_eq!(err["error"]["field"], field, "{query}: {err}");
        }
    };

    let limit = &reports_parameter(&doc, "limit")["schema"];
    let (min, max) = (limit["minimum"].as_u64().unwrap(), limit["maximum"].as_u64().unwrap());
    assert_eq!((min, max, limit["default"].as_u64()), (1, 500, Some(50)));
    for n in [min, max] {
        assert_eq!(reports(format!("limit={n}")).await.status(), 200, "limit={n}");
    }
    refused("limit", format!("limit={}", min - 1)).await;
    refused("limit", format!("limit={}", max + 1)).await;
    refused("limit", "limit=abc".into()).await;

    let cursor = reports_parameter(&doc, "cursor");
    assert_eq!(cursor["schema"]["type"], "string");
    refused("cursor", "cursor=garbage".into()).await;
    let example = cursor["example"].as_str().unwrap();
    assert_eq!(reports(format!("cursor={example}")).await.status(), 200, "the documented example is a cursor");

    // A full page carries every documented paging header; the last page none of them.
    let headers = op["responses"]["200"]["headers"].as_object().unwrap();
    let res = reports(format!("product_line={}&limit={min}", fx.line_id)).await;
    assert_eq!(res.status(), 200);
    for name in ["Link", "X-Next-Cursor"] {
        assert!(headers.contains_key(name), "{name} is documented");
        assert!(res.headers().contains_key(name), "{name} is sent when a page follows");
    }
    let link = res.headers()["link"].to_str().unwrap().to_owned();
    let next = link.strip_prefix('<').and_then(|l| l.split_once(">; rel=\"next\"")).unwrap().0;
    let res = app.client.get(next).bearer_auth(&fx.token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(!res.headers().contains_key("link") && !res.headers().contains_key("x-next-cursor"));
    assert_eq!(res.json::<Vec<Value>>().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_artwork_call_documents_live_svg_captions_and_what_it_answers_to_them() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let fx = fixture(&app).await;
    let params = doc.pointer("/paths/~1product-lines~1{product_line_id}~1artwork/get/parameters").unwrap();
    let param = |name: &str| params.as_array().unwrap().iter().find(|p| p["name"] == name).cloned();
    let live = param("caption_as_text").expect("caption_as_text is documented");
    assert_eq!(live["in"], "query");
    assert_eq!(live["schema"], json!({ "type": "boolean", "default": false }));
    assert!(param("caption").unwrap()["description"].as_str().unwrap().contains("422"));
    for (q, want) in [("caption_as_text=true", true), ("caption_as_text=false", false)] {
        let url = format!("/api/v1/product-lines/{}/artwork?format=svg&caption=Pan&{q}", fx.line_id);
        let res = app.client.get(app.url(&url)).bearer_auth(&fx.token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.text().await.unwrap().contains(">Pan</text>"), want, "{q}");
    }
}

#[tokio::test]
async fn the_documented_print_profiles_are_the_built_in_ones() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let documented: Vec<&str> = doc
        .pointer("/paths/~1product-lines~1{product_line_id}~1artwork/get/parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "profile")
        .and_then(|p| p["schema"]["enum"].as_array())
        .expect("the artwork call documents its profiles")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut built_in: Vec<&str> = scanback::artwork::profiles().iter().map(|p| p.name.as_str()).collect();
    built_in.sort_unstable();
    let mut sorted = documented.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, built_in, "the profile enum in openapi.json lists exactly the files in printable/");
}

#[tokio::test]
async fn the_documented_label_languages_are_the_locales() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let mut documented: Vec<String> = doc["components"]["schemas"]["Labels"]["propertyNames"]["enum"]
        .as_array()
        .expect("label languages are enumerated")
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    documented.sort_unstable();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut locales: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    locales.sort_unstable();
    assert_eq!(documented, locales, "the Labels languages in openapi.json are the folders under locales/");
}
