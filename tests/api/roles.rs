//! The role matrix, through HTTP: viewers read; editors also triage, note, assign, answer customers,
//! write to everyone affected, enter lot volumes and share artwork; owners also manage lines,
//! members and tokens. Every dashboard action and every writing API call is tried as each role;
//! what a role may not do answers 403 and changes nothing. Another manufacturer's ids answer 404 on
//! every dashboard route.

use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, spawn_app};
use crate::members::add_member;

const ROLES: [&str; 3] = ["viewer", "editor", "owner"];

fn rank(role: &str) -> u8 {
    match role {
        "viewer" => 0,
        "editor" => 1,
        "owner" => 2,
        other => panic!("no role {other}"),
    }
}

pub(crate) struct World {
    pub(crate) m: scanback::store::manufacturers::NewManufacturer,
    pub(crate) line: Uuid,
    pub(crate) report: Uuid,
    pub(crate) zone: Uuid,
    pub(crate) today: String,
}

pub(crate) async fn world(app: &TestApp) -> World {
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .form(&[
            ("kind", "defect"),
            ("rating", "2"),
            ("category", "coating"),
            ("comment", "The coating peels"),
            ("email", "buyer@example.com"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let line: Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let report = app.reports(&m.api_token, &line.to_string()).await[0]["id"].as_str().unwrap().parse().unwrap();
    let res = app
        .client
        .post(app.url("/api/v1/zones"))
        .bearer_auth(&m.api_token)
        .json(&json!({"name": "Coatings QA", "categories": ["defect/coating"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let zone: Value = res.json().await.unwrap();
    let zone = zone["id"].as_str().unwrap().parse().unwrap();
    World { m, line, report, zone, today: time::OffsetDateTime::now_utc().date().to_string() }
}

/// A member to act on (change, remove) and a token of the owner to revoke, fresh for each try.
pub(crate) async fn targets(app: &TestApp, w: &World, n: usize) -> (Uuid, Uuid) {
    let member = add_member(app, w.m.manufacturer_id, &format!("target{n}@acme.test"), "viewer").await;
    let owner = scanback::store::users::find_by_email(&app.db, &w.m.owner_email).await.unwrap().unwrap().id;
    let (token, _) =
        scanback::store::api_tokens::create(&app.db, w.m.manufacturer_id, owner, "target", false).await.unwrap();
    (member, token.id)
}

/// A form post: the least role that may send it, the path, the fields.
type Action = (&'static str, String, Vec<(&'static str, String)>);

/// Every dashboard form, with the least role that may post it.
pub(crate) fn dashboard_actions(w: &World, member: Uuid, token: Uuid) -> Vec<Action> {
    let (line, report, zone, today) = (w.line, w.report, w.zone, w.today.clone());
    let s = |v: &str| v.to_owned();
    vec![
        ("editor", format!("/dashboard/lines/{line}/lots"), vec![("lot", s("L1")), ("units_produced", s("1000"))]),
        (
            "editor",
            format!("/dashboard/lines/{line}/broadcast"),
            vec![
                ("topic", s("defect/coating")),
                ("from", today.clone()),
                ("until", today.clone()),
                ("message", s("Fixed from lot L2")),
                ("step", s("preview")),
            ],
        ),
        ("editor", format!("/dashboard/reports/{report}/status"), vec![("status", s("in_progress"))]),
        ("editor", format!("/dashboard/reports/{report}/assignee"), vec![("assignee", String::new())]),
        ("editor", format!("/dashboard/reports/{report}/notes"), vec![("body", s("Checked the batch"))]),
        ("editor", format!("/dashboard/reports/{report}/category"), vec![("category", s("handle"))]),
        ("editor", s("/dashboard/keywords"), vec![("kw:defect/handle", s("горячая\nhot"))]),
        ("editor", format!("/dashboard/reports/{report}/reply"), vec![("message", s("We will replace it"))]),
        (
            "editor",
            s("/dashboard/reports/bulk"),
            vec![
                ("id", report.to_string()),
                ("action", s("status")),
                ("status", s("resolved")),
                ("back", String::new()),
            ],
        ),
        ("owner", s("/dashboard/members"), vec![("email", format!("new-{member}@acme.test")), ("role", s("viewer"))]),
        ("owner", format!("/dashboard/members/{member}/role"), vec![("role", s("editor"))]),
        ("owner", format!("/dashboard/members/{member}/remove"), vec![]),
        ("owner", s("/dashboard/tokens"), vec![("label", s("ci"))]),
        ("owner", format!("/dashboard/tokens/{token}/revoke"), vec![]),
        (
            "owner",
            s("/dashboard/zones"),
            vec![
                ("name", format!("Handles {member}")),
                ("categories", s("defect/handle")),
                ("response_target_days", s("2")),
            ],
        ),
        (
            "owner",
            format!("/dashboard/zones/{zone}"),
            vec![("name", s("Coatings")), ("categories", s("defect/coating")), ("response_target_days", s("3"))],
        ),
        // Last: the owner's turn comes last and removes the zone the others could not.
        ("owner", format!("/dashboard/zones/{zone}/delete"), vec![]),
    ]
}

/// Every dashboard page, with the least role that may read it.
pub(crate) fn dashboard_pages(w: &World) -> Vec<(&'static str, String)> {
    let (line, report) = (w.line, w.report);
    vec![
        ("viewer", "/dashboard".to_owned()),
        ("viewer", format!("/dashboard/lines/{line}")),
        ("viewer", "/dashboard/reports".to_owned()),
        ("viewer", "/dashboard/reports.csv".to_owned()),
        ("viewer", format!("/dashboard/reports/{report}")),
        ("viewer", "/dashboard/members".to_owned()),
        ("viewer", "/dashboard/zones".to_owned()),
        ("viewer", "/dashboard/keywords".to_owned()),
        ("editor", format!("/dashboard/lines/{line}/broadcast")),
        ("owner", "/dashboard/tokens".to_owned()),
    ]
}

async fn state_of(app: &TestApp, w: &World) -> (Value, Value, usize, usize, usize) {
    let (_, report) = app.get_json(&w.m.api_token, &format!("/api/v1/reports/{}", w.report)).await;
    let (_, notes) = app.get_json(&w.m.api_token, &format!("/api/v1/reports/{}/notes", w.report)).await;
    let members = scanback::store::users::members(&app.db, w.m.manufacturer_id).await.unwrap().len();
    let mails = scanback::store::outbox::recent(&app.db, 100).await.unwrap().len();
    (report["status"].clone(), report["category"].clone(), notes.as_array().map_or(0, Vec::len), members, mails)
}

#[tokio::test]
async fn every_dashboard_page_and_action_as_viewer_editor_and_owner() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut n = 0;
    for role in ROLES {
        let (cookie, csrf) = app.session_for(&w.m.api_token, role, "en").await;
        for (least, path) in dashboard_pages(&w) {
            let res = app.client.get(app.url(&path)).header("Cookie", cookie.clone()).send().await.unwrap();
            let expected = if rank(role) >= rank(least) { 200 } else { 403 };
            assert_eq!(res.status().as_u16(), expected, "{role} GET {path}");
        }
        n += 1;
        let (member, token) = targets(&app, &w, n).await;
        for (least, path, fields) in dashboard_actions(&w, member, token) {
            let before = state_of(&app, &w).await;
            let mut form = fields.clone();
            form.push(("csrf_token", csrf.clone()));
            let res =
                app.client.post(app.url(&path)).header("Cookie", cookie.clone()).form(&form).send().await.unwrap();
            let status = res.status().as_u16();
            if rank(role) >= rank(least) {
                assert!(matches!(status, 200 | 303), "{role} POST {path}: {status} {}", res.text().await.unwrap());
            } else {
                assert_eq!(status, 403, "{role} POST {path}");
                assert_eq!(state_of(&app, &w).await, before, "{role} POST {path} changed something");
            }
        }
    }
}

/// A read-write token for a new member with `role` (the owner's is the printed one).
async fn token_for(app: &TestApp, w: &World, role: &str) -> String {
    if role == "owner" {
        return w.m.api_token.clone();
    }
    let user = add_member(app, w.m.manufacturer_id, &format!("{role}-api@acme.test"), role).await;
    scanback::store::api_tokens::create(&app.db, w.m.manufacturer_id, user, "rw", true).await.unwrap().1
}

fn api_calls(w: &World, fresh_line: &str) -> Vec<(&'static str, Method, String, Option<Value>)> {
    let (line, report, today) = (w.line, w.report, w.today.clone());
    vec![
        ("viewer", Method::GET, "/api/v1/product-lines".into(), None),
        ("viewer", Method::GET, format!("/api/v1/reports?product_line={line}"), None),
        ("viewer", Method::GET, "/api/v1/stats/lines".into(), None),
        ("viewer", Method::GET, "/api/v1/members".into(), None),
        ("viewer", Method::GET, "/api/v1/zones".into(), None),
        ("viewer", Method::GET, format!("/api/v1/zones/{}/kpis", w.zone), None),
        ("viewer", Method::GET, format!("/api/v1/product-lines/{line}/lots"), None),
        ("viewer", Method::GET, format!("/api/v1/product-lines/{line}/themes"), None),
        ("editor", Method::PATCH, format!("/api/v1/reports/{report}"), Some(json!({"status": "in_progress"}))),
        ("editor", Method::POST, format!("/api/v1/reports/{report}/notes"), Some(json!({"body": "Checked"}))),
        ("editor", Method::PUT, format!("/api/v1/reports/{report}/assignee"), Some(json!({"user_id": null}))),
        ("editor", Method::POST, format!("/api/v1/reports/{report}/replies"), Some(json!({"message": "Sorry"}))),
        ("editor", Method::PUT, format!("/api/v1/product-lines/{line}/lots/L1"), Some(json!({"units_produced": 500}))),
        ("editor", Method::POST, "/api/v1/print-shares".into(), Some(json!({"product_lines": [line]}))),
        (
            "editor",
            Method::POST,
            format!("/api/v1/product-lines/{line}/broadcasts"),
            Some(json!({"topic": "defect/coating", "from": today, "until": today, "message": "Fixed"})),
        ),
        ("owner", Method::POST, "/api/v1/product-lines".into(), Some(json!({"name": "Lid"}))),
        ("owner", Method::PATCH, format!("/api/v1/product-lines/{line}"), Some(json!({"name": "Pan 2"}))),
        ("owner", Method::DELETE, format!("/api/v1/product-lines/{line}/image"), None),
        ("owner", Method::POST, format!("/api/v1/product-lines/{fresh_line}/retire"), None),
        (
            "owner",
            Method::POST,
            "/api/v1/members/invitations".into(),
            Some(json!({"email": format!("inv-{fresh_line}@acme.test"), "role": "viewer"})),
        ),
        ("owner", Method::GET, "/api/v1/tokens".into(), None),
        (
            "owner",
            Method::POST,
            "/api/v1/zones".into(),
            Some(json!({"name": format!("Handles {fresh_line}"), "categories": ["defect/handle"]})),
        ),
        ("owner", Method::PATCH, format!("/api/v1/zones/{}", w.zone), Some(json!({"response_target_days": 3}))),
        ("owner", Method::POST, "/api/v1/tokens".into(), Some(json!({"label": "x", "scopes": ["read"]}))),
    ]
}

#[tokio::test]
async fn every_writing_api_call_as_viewer_editor_and_owner_tokens() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for role in ROLES {
        let token = token_for(&app, &w, role).await;
        let res = app.post_line(&w.m.api_token, &json!({"name": format!("Retire me {role}")})).await;
        let fresh: Value = res.json().await.unwrap();
        let fresh = fresh["id"].as_str().unwrap().to_owned();
        for (least, method, path, body) in api_calls(&w, &fresh) {
            let before = state_of(&app, &w).await;
            let mut req = app.client.request(method.clone(), app.url(&path)).bearer_auth(&token);
            if let Some(b) = &body {
                req = req.json(b);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            if rank(role) >= rank(least) {
                assert!((200..300).contains(&status) || status == 404, "{role} {method} {path}: {status} {text}");
            } else {
                assert_eq!(status, 403, "{role} {method} {path}: {text}");
                let err: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(err["error"]["code"], "forbidden");
                assert_eq!(state_of(&app, &w).await, before, "{role} {method} {path} changed something");
            }
        }
    }
    // A member demoted after making a token loses what the new role does not allow, at once.
    let user = scanback::store::users::find_by_email(&app.db, "editor-api@acme.test").await.unwrap().unwrap();
    let (_, token) =
        scanback::store::api_tokens::create(&app.db, w.m.manufacturer_id, user.id, "rw", true).await.unwrap();
    let patch = |t: String| {
        app.client
            .patch(app.url(&format!("/api/v1/reports/{}", w.report)))
            .bearer_auth(t)
            .json(&json!({"status": "new"}))
            .send()
    };
    assert_eq!(patch(token.clone()).await.unwrap().status(), 200);
    scanback::store::users::set_role(&app.db, user.id, "viewer").await.unwrap();
    assert_eq!(patch(token).await.unwrap().status(), 403);
}

#[tokio::test]
async fn another_manufacturers_ids_answer_404_on_every_dashboard_route() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let (member, token) = targets(&app, &w, 0).await;
    let before = state_of(&app, &w).await;
    let other = app.create_manufacturer("Other Pans").await;
    let (cookie, csrf) = app.session_for(&other.api_token, "owner", "en").await;
    let with_ids = |p: &str| {
        p.contains(&w.line.to_string()) || p.contains(&w.report.to_string()) || p.contains(&w.zone.to_string())
    };
    for (_, path) in dashboard_pages(&w).into_iter().filter(|(_, p)| with_ids(p)) {
        let res = app.client.get(app.url(&path)).header("Cookie", cookie.clone()).send().await.unwrap();
        assert_eq!(res.status(), 404, "GET {path}");
    }
    let res = app
        .client
        .get(app.url(&format!("/dashboard/reports/{}/photos/1", w.report)))
        .header("Cookie", cookie.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    for (_, path, fields) in dashboard_actions(&w, member, token) {
        if matches!(
            path.as_str(),
            "/dashboard/members"
                | "/dashboard/tokens"
                | "/dashboard/reports/bulk"
                | "/dashboard/zones"
                | "/dashboard/keywords"
        ) {
            continue;
        }
        let mut form = fields.clone();
        form.push(("csrf_token", csrf.clone()));
        let res = app.client.post(app.url(&path)).header("Cookie", cookie.clone()).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 404, "POST {path}");
    }
    // Bulk changes skip ids that are not the manufacturer's.
    let form = [
        ("csrf_token", csrf.clone()),
        ("id", w.report.to_string()),
        ("action", "status".to_owned()),
        ("status", "resolved".to_owned()),
        ("back", String::new()),
    ];
    let res =
        app.client.post(app.url("/dashboard/reports/bulk")).header("Cookie", cookie).form(&form).send().await.unwrap();
    assert!(res.status().as_u16() < 500);
    assert_eq!(state_of(&app, &w).await, before, "nothing of the first manufacturer changed");
}
