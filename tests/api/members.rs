//! Members of a workspace: invitations by mail, the role matrix, the last owner, removal, and API
//! tokens with scopes.

use crate::accounts::{browser, csrf_of, get_page, mails, sign_in};
use crate::helpers::{TestApp, spawn_app};

/// A member added straight to the store, with a known password; returns their user id.
pub async fn add_member(app: &TestApp, manufacturer: uuid::Uuid, email: &str, role: &str) -> uuid::Uuid {
    let hash = scanback::store::hash_password("a long test password").unwrap();
    scanback::store::users::create(&app.db, manufacturer, email, role, hash, "en").await.unwrap().id
}

async fn signed_in(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let client = browser();
    assert_eq!(sign_in(app, &client, email, password).await.status(), 303, "{email} signs in");
    client
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = get_page(app, client, page).await;
    let token = if html.contains("csrf_token") { csrf_of(&html) } else { String::new() };
    let mut fields: Vec<(&str, &str)> = form.to_vec();
    fields.push(("csrf_token", &token));
    client.post(app.url(path)).form(&fields).send().await.unwrap()
}

fn link_in(body: &str, prefix: &str) -> String {
    let at = body.find(prefix).expect("a link");
    body[at..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn an_owner_invites_by_mail_and_the_invitee_sets_a_password_and_lands_signed_in() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let owner = signed_in(&app, &m.owner_email, &m.owner_password).await;
    let res = post(
        &app,
        &owner,
        "/dashboard/members",
        "/dashboard/members",
        &[("email", "Quality@Acme.test"), ("role", "editor")],
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("The invitation is on its way"));
    let got = mails(&app, 1).await;
    assert_eq!(got[0].to, vec!["quality@acme.test".to_owned()]);
    assert!(got[0].subject().contains("Acme Cookware"));
    assert!(
        got[0].data.contains("From: Acme Cookware <noreply@scanback.test>")
            || got[0].data.contains("From: \"Acme Cookware\""),
        "{}",
        got[0].data
    );
    let body = got[0].part("text/plain").unwrap();
    let link = link_in(&body, &format!("{}/invite/", app.address));
    let path = link.trim_start_matches(&app.address).to_owned();

    let invitee = browser();
    let (status, page) = get_page(&app, &invitee, &path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Join Acme Cookware"));
    let res = invitee
        .post(app.url(&path))
        .form(&[("password", "a long new password"), ("confirm", "a different one!"), ("csrf_token", &csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "mismatch keeps the form");
    let page = res.text().await.unwrap();
    let res = invitee
        .post(app.url(&path))
        .form(&[
            ("password", "a long new password"),
            ("confirm", "a long new password"),
            ("csrf_token", &csrf_of(&page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let (status, home) = get_page(&app, &invitee, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(home.contains("quality@acme.test") && home.contains("editor"), "{home}");
    assert_eq!(get_page(&app, &browser(), &path).await.0, 410, "the link works once");
    let (_, members) = get_page(&app, &owner, "/dashboard/members").await;
    assert!(members.contains("quality@acme.test"));

    // A week-old link no longer works.
    post(&app, &owner, "/dashboard/members", "/dashboard/members", &[("email", "late@acme.test"), ("role", "viewer")])
        .await;
    let got = mails(&app, 2).await;
    let path = link_in(&got[1].part("text/plain").unwrap(), &format!("{}/invite/", app.address))
        .trim_start_matches(&app.address)
        .to_owned();
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(&format!(
            "UPDATE invitations SET expires_at = '{}'",
            time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap()
        ))
        .await
        .unwrap();
    assert_eq!(get_page(&app, &browser(), &path).await.0, 410);
}

#[tokio::test]
async fn viewers_and_editors_read_but_only_owners_manage_members_and_tokens() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    add_member(&app, m.manufacturer_id, "viewer@acme.test", "viewer").await;
    add_member(&app, m.manufacturer_id, "editor@acme.test", "editor").await;
    for (email, may_manage) in [("viewer@acme.test", false), ("editor@acme.test", false)] {
        let client = signed_in(&app, email, "a long test password").await;
        let (status, page) = get_page(&app, &client, "/dashboard/members").await;
        assert_eq!(status, 200, "{email} reads the members");
        assert!(!page.contains("action=\"/dashboard/members\""), "{email} sees no invite form");
        let res = post(
            &app,
            &client,
            "/dashboard/members",
            "/dashboard/members",
            &[("email", "x@acme.test"), ("role", "owner")],
        )
        .await;
        assert_eq!(res.status() == 200, may_manage, "{email} invites");
        assert_eq!(res.status(), 403);
        assert_eq!(get_page(&app, &client, "/dashboard/tokens").await.0, 403, "{email} tokens page");
        let res = post(&app, &client, "/dashboard", "/dashboard/tokens", &[("label", "ci")]).await;
        assert_eq!(res.status(), 403, "{email} creates a token");
    }
    assert_eq!(app.mail.received().len(), 0, "no invitation left");
    let owner = signed_in(&app, &m.owner_email, &m.owner_password).await;
    assert_eq!(get_page(&app, &owner, "/dashboard/tokens").await.0, 200);
}

#[tokio::test]
async fn a_workspace_keeps_its_last_owner() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let owner = signed_in(&app, &m.owner_email, &m.owner_password).await;
    let me = scanback::store::users::find_by_email(&app.db, &m.owner_email).await.unwrap().unwrap().id;
    let res =
        post(&app, &owner, "/dashboard/members", &format!("/dashboard/members/{me}/role"), &[("role", "viewer")]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("at least one owner"));
    let res = post(&app, &owner, "/dashboard/members", &format!("/dashboard/members/{me}/remove"), &[]).await;
    assert_eq!(res.status(), 422);
    let other = add_member(&app, m.manufacturer_id, "second@acme.test", "viewer").await;
    let res =
        post(&app, &owner, "/dashboard/members", &format!("/dashboard/members/{other}/role"), &[("role", "owner")])
            .await;
    assert_eq!(res.status(), 303);
    let res =
        post(&app, &owner, "/dashboard/members", &format!("/dashboard/members/{me}/role"), &[("role", "editor")]).await;
    assert_eq!(res.status(), 303, "with a second owner the first may step down");
}

#[tokio::test]
async fn removing_a_member_ends_their_sessions_and_revokes_their_tokens_at_once() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let other = add_member(&app, m.manufacturer_id, "second@acme.test", "owner").await;
    let second = signed_in(&app, "second@acme.test", "a long test password").await;
    let res = post(&app, &second, "/dashboard/tokens", "/dashboard/tokens", &[("label", "ci"), ("write", "1")]).await;
    let page = res.text().await.unwrap();
    let token = page.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_owned();
    let api = |t: &str| app.client.get(app.url("/api/v1/product-lines")).bearer_auth(t.to_owned()).send();
    assert_eq!(api(&token).await.unwrap().status(), 200);

    let owner = signed_in(&app, &m.owner_email, &m.owner_password).await;
    let res = post(&app, &owner, "/dashboard/members", &format!("/dashboard/members/{other}/remove"), &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(get_page(&app, &second, "/dashboard").await.0, 303, "signed out at once");
    assert_eq!(api(&token).await.unwrap().status(), 401, "their token is revoked");
    assert!(scanback::store::users::find_by_email(&app.db, "second@acme.test").await.unwrap().is_none());
}

#[tokio::test]
async fn a_read_only_token_reads_and_its_writes_are_refused_with_403() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let owner = signed_in(&app, &m.owner_email, &m.owner_password).await;
    let res = post(&app, &owner, "/dashboard/tokens", "/dashboard/tokens", &[("label", "reporting")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let page = res.text().await.unwrap();
    let token = page.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_owned();
    let res = app.client.get(app.url("/api/v1/product-lines")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app.post_line(&token, &serde_json::json!({"name": "Pan"})).await;
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    // The printed token stays the owner's read-write token.
    assert_eq!(app.post_line(&m.api_token, &serde_json::json!({"name": "Pan"})).await.status(), 201);
    let (_, page) = get_page(&app, &owner, "/dashboard/tokens").await;
    assert!(page.contains("reporting") && page.contains("initial"));
    let id = scanback::store::api_tokens::list(&app.db, m.manufacturer_id, None).await.unwrap()[0].id;
    let res = post(&app, &owner, "/dashboard/tokens", &format!("/dashboard/tokens/{id}/revoke"), &[]).await;
    assert_eq!(res.status(), 303);
    let res = app.client.get(app.url("/api/v1/product-lines")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn another_manufacturers_member_or_token_ids_answer_404() {
    let app = spawn_app().await;
    let a = app.create_manufacturer("Acme Cookware").await;
    let b = app.create_manufacturer("Other Pans").await;
    let theirs = scanback::store::users::find_by_email(&app.db, &b.owner_email).await.unwrap().unwrap().id;
    let their_token = scanback::store::api_tokens::list(&app.db, b.manufacturer_id, None).await.unwrap()[0].id;
    let owner = signed_in(&app, &a.owner_email, &a.owner_password).await;
    let res =
        post(&app, &owner, "/dashboard/members", &format!("/dashboard/members/{theirs}/role"), &[("role", "viewer")])
            .await;
    assert_eq!(res.status(), 404);
    let res = post(&app, &owner, "/dashboard/members", &format!("/dashboard/members/{theirs}/remove"), &[]).await;
    assert_eq!(res.status(), 404);
    let res = post(&app, &owner, "/dashboard/tokens", &format!("/dashboard/tokens/{their_token}/revoke"), &[]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        app.client.get(app.url("/api/v1/product-lines")).bearer_auth(&b.api_token).send().await.unwrap().status(),
        200
    );
}

/// A token of `role` for a new member of `m`: (member id, token).
async fn member_token(
    app: &TestApp,
    manufacturer: uuid::Uuid,
    email: &str,
    role: &str,
    write: bool,
) -> (uuid::Uuid, String) {
    let id = add_member(app, manufacturer, email, role).await;
    let (_, token) = scanback::store::api_tokens::create(&app.db, manufacturer, id, "test", write).await.unwrap();
    (id, token)
}

async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, if text.is_empty() { serde_json::Value::Null } else { serde_json::from_str(&text).unwrap() })
}

#[tokio::test]
async fn the_api_lists_invites_changes_and_removes_members_for_owners_only() {
    use reqwest::Method;
    use serde_json::json;
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let (viewer_id, viewer) = member_token(&app, m.manufacturer_id, "viewer@acme.test", "viewer", true).await;
    let (_, editor) = member_token(&app, m.manufacturer_id, "editor@acme.test", "editor", true).await;

    // Everyone reads the members.
    for token in [&m.api_token, &viewer, &editor] {
        let (status, body) = api(&app, Method::GET, "/api/v1/members", token, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["members"].as_array().unwrap().len(), 3);
    }
    // Only owners change them; the refusal says why.
    for token in [&viewer, &editor] {
        let (status, body) = api(
            &app,
            Method::POST,
            "/api/v1/members/invitations",
            token,
            Some(json!({"email": "new@acme.test", "role": "viewer"})),
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("only an owner"));
        let (status, _) =
            api(&app, Method::PATCH, &format!("/api/v1/members/{viewer_id}"), token, Some(json!({"role": "owner"})))
                .await;
        assert_eq!(status, 403);
        assert_eq!(api(&app, Method::DELETE, &format!("/api/v1/members/{viewer_id}"), token, None).await.0, 403);
        assert_eq!(api(&app, Method::GET, "/api/v1/tokens", token, None).await.0, 403);
    }

    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/members/invitations",
        &m.api_token,
        Some(json!({"email": "New@Acme.test", "role": "editor"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["email"], "new@acme.test");
    assert_eq!(body["role"], "editor");
    let got = mails(&app, 1).await;
    assert_eq!(got[0].to, vec!["new@acme.test"]);
    assert!(got[0].part("text/plain").unwrap().contains("/invite/"));
    let (_, listed) = api(&app, Method::GET, "/api/v1/members", &m.api_token, None).await;
    assert_eq!(listed["invitations"][0]["email"], "new@acme.test");

    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/members/invitations",
        &m.api_token,
        Some(json!({"email": "not an address", "role": "editor"})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "email");
    let (status, body) =
        api(&app, Method::PATCH, &format!("/api/v1/members/{viewer_id}"), &m.api_token, Some(json!({"role": "admin"})))
            .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "role");

    let (status, body) = api(
        &app,
        Method::PATCH,
        &format!("/api/v1/members/{viewer_id}"),
        &m.api_token,
        Some(json!({"role": "editor"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["role"], "editor");
    let owner_id = scanback::store::users::find_by_email(&app.db, &m.owner_email).await.unwrap().unwrap().id;
    let (status, body) =
        api(&app, Method::PATCH, &format!("/api/v1/members/{owner_id}"), &m.api_token, Some(json!({"role": "viewer"})))
            .await;
    assert_eq!(status, 422, "the last owner stays: {body}");

    assert_eq!(api(&app, Method::DELETE, &format!("/api/v1/members/{viewer_id}"), &m.api_token, None).await.0, 204);
    assert_eq!(api(&app, Method::GET, "/api/v1/members", &viewer, None).await.0, 401, "their token died with them");

    // Another manufacturer's member is not found.
    let b = app.create_manufacturer("Other Pans").await;
    let theirs = scanback::store::users::find_by_email(&app.db, &b.owner_email).await.unwrap().unwrap().id;
    let (status, _) =
        api(&app, Method::PATCH, &format!("/api/v1/members/{theirs}"), &m.api_token, Some(json!({"role": "viewer"})))
            .await;
    assert_eq!(status, 404);
    assert_eq!(api(&app, Method::DELETE, &format!("/api/v1/members/{theirs}"), &m.api_token, None).await.0, 404);
}

#[tokio::test]
async fn the_api_creates_read_only_and_read_write_tokens_and_revokes_them() {
    use reqwest::Method;
    use serde_json::json;
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/tokens",
        &m.api_token,
        Some(json!({"label": "reporting", "scopes": ["read"]})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["scopes"], json!(["read"]));
    let read_only = body["token"].as_str().unwrap().to_owned();
    let read_only_id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(api(&app, Method::GET, "/api/v1/product-lines", &read_only, None).await.0, 200);
    assert_eq!(app.post_line(&read_only, &json!({"name": "Pan"})).await.status(), 403);

    let (status, body) = api(
        &app,
        Method::POST,
        "/api/v1/tokens",
        &m.api_token,
        Some(json!({"label": "erp sync", "scopes": ["read", "write"]})),
    )
    .await;
    assert_eq!(status, 201);
    let read_write = body["token"].as_str().unwrap().to_owned();
    assert_eq!(app.post_line(&read_write, &json!({"name": "Pan"})).await.status(), 201);

    let (status, listed) = api(&app, Method::GET, "/api/v1/tokens", &m.api_token, None).await;
    assert_eq!(status, 200);
    let labels: Vec<&str> = listed.as_array().unwrap().iter().map(|t| t["label"].as_str().unwrap()).collect();
    assert!(labels.contains(&"reporting") && labels.contains(&"erp sync") && labels.contains(&"initial"));
    assert!(listed.as_array().unwrap().iter().all(|t| t.get("token").is_none()), "secrets are shown once");
    assert!(!listed.to_string().contains(&read_only), "secrets are shown once");

    for (body, field) in [
        (json!({"label": "", "scopes": ["read"]}), "label"),
        (json!({"label": "x", "scopes": ["admin"]}), "scopes"),
        (json!({"label": "x", "scopes": ["write"]}), "scopes"),
    ] {
        let (status, err) = api(&app, Method::POST, "/api/v1/tokens", &m.api_token, Some(body.clone())).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(err["error"]["field"], field, "{body}");
    }
    // A read-only token cannot mint a writing one.
    let (status, _) =
        api(&app, Method::POST, "/api/v1/tokens", &read_only, Some(json!({"label": "x", "scopes": ["read", "write"]})))
            .await;
    assert_eq!(status, 403);

    assert_eq!(api(&app, Method::DELETE, &format!("/api/v1/tokens/{read_only_id}"), &m.api_token, None).await.0, 204);
    assert_eq!(api(&app, Method::GET, "/api/v1/product-lines", &read_only, None).await.0, 401);
    let b = app.create_manufacturer("Other Pans").await;
    let their_token = scanback::store::api_tokens::list(&app.db, b.manufacturer_id, None).await.unwrap()[0].id;
    assert_eq!(api(&app, Method::DELETE, &format!("/api/v1/tokens/{their_token}"), &m.api_token, None).await.0, 404);
    assert_eq!(api(&app, Method::GET, "/api/v1/product-lines", &b.api_token, None).await.0, 200);
}

#[tokio::test]
async fn dashboard_refusals_are_in_the_members_language() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let (cookie, csrf) = app.session_for(&m.api_token, "owner", "ru").await;
    let res = app
        .client
        .post(app.url("/dashboard/members"))
        .header("Cookie", cookie.clone())
        .form(&[("csrf_token", csrf.as_str()), ("email", "not an address"), ("role", "viewer")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Это не адрес электронной почты"), "{page}");
    assert!(page.contains("value=\"not an address\""), "what was typed is kept");
    let res = app
        .client
        .post(app.url("/dashboard/tokens"))
        .header("Cookie", cookie)
        .form(&[("csrf_token", csrf.as_str()), ("label", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Назовите токен"));
}
