//! The IDOR matrix, generated: every operation in the OpenAPI document is called with the ids of
//! one manufacturer and the owner token of another, and every dashboard route with another
//! manufacturer's session. A call naming the first manufacturer's ids answers 404 and changes
//! nothing; a call without ids (lists, exports) shows none of them. Source scans make sure no route
//! escapes: every API route the code registers must be in the document (so the matrix reaches it),
//! and every dashboard route must be in the role matrix of tests/api/roles.rs.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::spawn_app;
use crate::openapi::{call, concrete_path, example_body, fetch_document, fixture, is_unknown_route, operations};

/// `{anything}` → `{}`, so the code's and the document's parameter names may differ.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Route strings registered in the Rust files under `dir` (`web::resource("...")`, `.route("...")`).
fn registered_routes(dir: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        for marker in ["resource(\"", ".route(\""] {
            let mut rest = src.as_str();
            while let Some(at) = rest.find(marker) {
                rest = &rest[at + marker.len()..];
                let end = rest.find('"').unwrap();
                out.insert(shape(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

#[tokio::test]
async fn every_api_route_the_code_registers_is_in_the_document_so_the_matrix_reaches_it() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().map(|p| shape(p)).collect();
    let registered = registered_routes(concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/api"));
    assert!(registered.len() >= 30, "the scan finds the routes: {registered:?}");
    let missing: Vec<&String> =
        registered.iter().filter(|r| r.as_str() != "/openapi.json" && !documented.contains(*r)).collect();
    assert!(
        missing.is_empty(),
        "API routes missing from src/web/api/openapi.json (and so from the IDOR matrix): {missing:?}"
    );
}

#[tokio::test]
async fn another_manufacturers_token_gets_404_on_every_documented_id_and_sees_none_in_lists() {
    let app = spawn_app().await;
    let doc = fetch_document(&app).await;
    let fx = fixture(&app).await;
    let intruder = app.create_manufacturer("Intruder Ltd").await;
    let server = doc["servers"][0]["url"].as_str().unwrap();
    let theirs: Vec<String> =
        [&fx.line_id, &fx.link_id, &fx.report_id, &fx.member_id, &fx.token_id, &fx.webhook_id, &fx.zone_id]
            .into_iter()
            .cloned()
            .chain(fx.print_share_id.clone())
            .collect();
    // What the first manufacturer sees of its own things, before and after.
    let ops = operations(&doc);
    let mut own_reads = Vec::new();
    for op in ops.iter().filter(|o| o.method == "get") {
        if let Some(path) = concrete_path(op, &fx) {
            own_reads.push(path);
        }
    }
    let snapshot = |paths: Vec<String>| {
        let app = &app;
        let token = fx.token.clone();
        async move {
            let mut out = Vec::new();
            for p in paths {
                let res = app.client.get(app.url(&format!("{server}{p}"))).bearer_auth(&token).send().await.unwrap();
                let status = res.status().as_u16();
                let ct = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
                // Binary answers (artwork, photos, CSV) are compared by status; JSON by its ids and statuses.
                let body = if ct.starts_with("application/json") {
                    let v: Value = res.json().await.unwrap_or(Value::Null);
                    strip_volatile(v)
                } else {
                    Value::Null
                };
                out.push((p, status, body));
            }
            out
        }
    };
    let before = snapshot(own_reads.clone()).await;
    let mut checked = 0;
    for op in &ops {
        let name = op.name();
        if op.op.get("security").is_some_and(|s| s == &serde_json::json!([])) {
            continue;
        }
        let Some(path) = concrete_path(op, &fx) else { continue };
        let names_ids = op.parameters.iter().any(|p| p["in"] == "path");
        let url = app.url(&format!("{server}{path}"));
        let body = example_body(&doc, op, &fx);
        if names_ids {
            let res = call(&app, &op.method, &url, &[], body.as_ref(), Some(&intruder.api_token)).await;
            let status = res.status().as_u16();
            let bytes = res.bytes().await.unwrap();
            let text = String::from_utf8_lossy(&bytes);
            if is_unknown_route(status, &bytes) && op.op.get("x-pending-merge").is_some() {
                continue;
            }
            assert_eq!(status, 404, "{name} with another manufacturer's ids: {text}");
            for id in &theirs {
                assert!(!text.contains(id.as_str()), "{name}: the 404 names {id}");
            }
            checked += 1;
        } else if op.method == "get" {
            let res = call(&app, &op.method, &url, &[], None, Some(&intruder.api_token)).await;
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            assert!(status < 500, "{name}: {status} {text}");
            for id in &theirs {
                assert!(!text.contains(id.as_str()), "{name} as another manufacturer shows {id}: {text}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} operations were tried");
    let after = snapshot(own_reads).await;
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a, "another manufacturer's calls changed {}", b.0);
    }
}

/// Fields that change by themselves between two reads (last use of the token doing the reading,
/// clocks), so that snapshots compare what another manufacturer could have changed.
fn strip_volatile(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                // The classifier job writes its suggestion after the commit, whenever it runs.
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "last_used_at"
                            | "generated_at"
                            | "now"
                            | "suggested_category"
                            | "suggestion_confidence"
                            | "suggestion_unsure"
                            // A zone routes by the suggestion; a KPI window ends now.
                            | "zones"
                            | "since"
                            | "until"
                    )
                })
                .map(|(k, v)| (k, strip_volatile(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_volatile).collect()),
        v => v,
    }
}

/// Routes under src/web/dashboard that take no manufacturer's ids and need no session of a
/// workspace (signing in and out, resets, invitations by token, the language switch).
const DASHBOARD_ROUTES_WITHOUT_IDS: [&str; 8] =
    ["/", "/login", "/logout", "/reset", "/reset/{}", "/invite/{}", "/dashboard/language", "/dashboard/subscription"];

#[tokio::test]
async fn every_dashboard_route_is_in_the_role_and_tenant_matrix() {
    let app = spawn_app().await;
    let w = crate::roles::world(&app).await;
    let (member, token) = crate::roles::targets(&app, &w, 0).await;
    let ids = [w.line.to_string(), w.report.to_string(), w.zone.to_string(), member.to_string(), token.to_string()];
    let generic = |p: &str| {
        let mut p = p.to_owned();
        for id in &ids {
            p = p.replace(id.as_str(), "{}");
        }
        p
    };
    let mut covered: BTreeSet<String> = crate::roles::dashboard_pages(&w).iter().map(|(_, p)| generic(p)).collect();
    covered.extend(crate::roles::dashboard_actions(&w, member, token).iter().map(|(_, p, _)| generic(p)));
    // Tried by another_manufacturers_ids_answer_404_on_every_dashboard_route on its own.
    covered.insert("/dashboard/reports/{}/photos/{}".into());
    covered.extend(DASHBOARD_ROUTES_WITHOUT_IDS.iter().map(|s| (*s).to_owned()));
    let registered = registered_routes(concat!(env!("CARGO_MANIFEST_DIR"), "/src/web/dashboard"));
    assert!(registered.len() >= 20, "{registered:?}");
    let missing: Vec<&String> = registered.iter().filter(|r| !covered.contains(*r)).collect();
    assert!(
        missing.is_empty(),
        "dashboard routes in no matrix: add them to dashboard_pages / dashboard_actions in tests/api/roles.rs: {missing:?}"
    );
}
