//! Signing in to the workspace: sessions in the database, CSRF, the lockout, password resets, with
//! mails read from a real SMTP server.

use reqwest::header::{LOCATION, SET_COOKIE};
use sea_orm::ConnectionTrait;

use crate::helpers::{ReceivedMail, TestApp, spawn_app};

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

/// The hidden `csrf_token` of the form on a page.
pub fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf_token\" value=\"").expect("a csrf_token field");
    let rest = &page[at + "name=\"csrf_token\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

pub async fn get_page(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let res = client.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

pub async fn sign_in(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
    let (_, page) = get_page(app, client, "/login").await;
    let token = csrf_of(&page);
    client
        .post(app.url("/login"))
        .form(&[("email", email), ("password", password), ("csrf_token", &token), ("next", "/dashboard")])
        .send()
        .await
        .unwrap()
}

/// Waits (bounded) for the outbox deliverer to hand `n` mails to the SMTP server.
pub async fn mails(app: &TestApp, n: usize) -> Vec<ReceivedMail> {
    for _ in 0..100 {
        let got = app.mail.received();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.mail.received()
}

#[tokio::test]
async fn the_landing_page_says_what_scanback_is_links_to_sign_in_and_sets_no_cookie() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/")).header("Accept-Language", "ru").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers().get(SET_COOKIE).is_none());
    let body = res.text().await.unwrap();
    assert!(body.contains("href=\"/login\""));
    assert!(body.contains("QR-код"), "in the visitor's language");
    assert!(!body.contains("<script"));
}

#[tokio::test]
async fn an_owner_signs_in_and_gets_a_session_cookie_that_scripts_and_other_sites_cannot_use() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let client = browser();
    let res = sign_in(&app, &client, &m.owner_email, &m.owner_password).await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[LOCATION], "/dashboard");
    let cookies: Vec<&str> = res.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
    let session = cookies.iter().find(|c| c.starts_with("scanback_session=")).expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain http in tests: {session}");
    let (status, page) = get_page(&app, &client, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(page.contains(&m.owner_email) && page.contains("Acme Cookware"), "{page}");
    // The session lives in the database, hashed.
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM sessions",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
    let value = session.split(';').next().unwrap().trim_start_matches("scanback_session=");
    let stored = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM sessions WHERE id_hash = '{value}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.try_get::<i64>("", "n").unwrap(), 0, "the cookie value itself is not stored");
}

#[tokio::test]
async fn without_a_session_the_dashboard_sends_to_sign_in_and_comes_back_after() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let client = browser();
    let res = client.get(app.url("/dashboard?period=7d")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[LOCATION], "/login?next=%2Fdashboard%3Fperiod%3D7d");
    let (_, page) = get_page(&app, &client, "/login?next=%2Fdashboard%3Fperiod%3D7d").await;
    let token = csrf_of(&page);
    let res = client
        .post(app.url("/login"))
        .form(&[
            ("email", m.owner_email.as_str()),
            ("password", m.owner_password.as_str()),
            ("csrf_token", &token),
            ("next", "/dashboard?period=7d"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[LOCATION], "/dashboard?period=7d");
    // Never to another site.
    let (_, page) = get_page(&app, &client, "/login").await;
    let token = csrf_of(&page);
    let res = client
        .post(app.url("/login"))
        .form(&[
            ("email", m.owner_email.as_str()),
            ("password", m.owner_password.as_str()),
            ("csrf_token", &token),
            ("next", "//evil.example/dashboard"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[LOCATION], "/dashboard");
}

#[tokio::test]
async fn a_wrong_password_keeps_the_email_and_does_not_say_which_of_the_two_was_wrong() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let client = browser();
    for email in [m.owner_email.as_str(), "nobody@example.com"] {
        let res = sign_in(&app, &client, email, "wrong password").await;
        assert_eq!(res.status(), 401);
        assert!(
            res.headers().get_all(SET_COOKIE).iter().all(|c| !c.to_str().unwrap().starts_with("scanback_session="))
        );
        let page = res.text().await.unwrap();
        assert!(page.contains("The email or the password is wrong."));
        assert!(page.contains(&format!("value=\"{email}\"")), "the email is kept");
        assert!(!page.contains("wrong password"), "the password is never echoed");
    }
}

#[tokio::test]
async fn a_form_without_its_token_or_from_another_site_answers_403_and_changes_nothing() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let client = browser();
    let _ = get_page(&app, &client, "/login").await;
    let res = client
        .post(app.url("/login"))
        .form(&[("email", m.owner_email.as_str()), ("password", m.owner_password.as_str()), ("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(get_page(&app, &client, "/dashboard").await.0, 303, "not signed in");

    assert_eq!(sign_in(&app, &client, &m.owner_email, &m.owner_password).await.status(), 303);
    let (_, page) = get_page(&app, &client, "/dashboard").await;
    let token = csrf_of(&page);
    let res = client.post(app.url("/logout")).form(&[("csrf_token", "forged")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let res = client
        .post(app.url("/logout"))
        .header("Origin", "https://evil.example")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "the right token from another site");
    let res = client
        .post(app.url("/logout"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = client
        .post(app.url("/logout"))
        .header("Origin", "null")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "an opaque origin without Sec-Fetch-Site");
    assert_eq!(get_page(&app, &client, "/dashboard").await.0, 200, "still signed in");
    // What Chromium sends from a page whose referrer policy is no-referrer: Sec-Fetch-Site decides.
    let res = client
        .post(app.url("/logout"))
        .header("Origin", "null")
        .header("Sec-Fetch-Site", "same-origin")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(get_page(&app, &client, "/dashboard").await.0, 303);
}

#[tokio::test]
async fn signing_out_ends_the_session_at_once_for_every_copy_of_the_cookie() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let client = browser();
    let res = sign_in(&app, &client, &m.owner_email, &m.owner_password).await;
    let cookie = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("scanback_session="))
        .unwrap();
    // Another process, another browser, the same cookie.
    let copy = app.client.get(app.url("/dashboard")).header("Cookie", &cookie).send().await.unwrap();
    assert_eq!(copy.status(), 200);
    let (_, page) = get_page(&app, &client, "/dashboard").await;
    client.post(app.url("/logout")).form(&[("csrf_token", csrf_of(&page))]).send().await.unwrap();
    let copy = app.client.get(app.url("/dashboard")).header("Cookie", &cookie).send().await.unwrap();
    assert_eq!(copy.status(), 303);
}

#[tokio::test]
async fn five_failures_in_fifteen_minutes_lock_sign_in_with_429_and_the_owner_hears_of_it_by_mail() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let client = browser();
    for i in 0..5 {
        assert_eq!(sign_in(&app, &client, &m.owner_email, "guess").await.status(), 401, "attempt {i}");
    }
    let res = sign_in(&app, &client, &m.owner_email, &m.owner_password).await;
    assert_eq!(res.status(), 429, "even the right password while locked");
    let wait: i64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    let page = res.text().await.unwrap();
    assert!(page.contains("Too many failed sign-ins") && page.contains("(UTC)"), "{page}");
    let got = mails(&app, 1).await;
    assert_eq!(got.len(), 1, "exactly one mail to the owner");
    assert_eq!(got[0].to, vec![m.owner_email.clone()]);
    assert!(got[0].subject().contains("paused after 5 failed attempts"), "{}", got[0].subject());
    assert!(got[0].data.contains("Message-ID: <outbox-"), "the outbox row gives the Message-ID");

    // Another account from another address is not locked by this one.
    let other = app.create_manufacturer("Other Pans").await;
    app.db.execute_unprepared("DELETE FROM login_failures WHERE key LIKE 'client:%'").await.unwrap();
    assert_eq!(sign_in(&app, &browser(), &other.owner_email, &other.owner_password).await.status(), 303);
    // When the window has passed, the owner signs in again.
    app.db
        .execute_unprepared(&format!(
            "UPDATE login_failures SET at = '{}'",
            (time::OffsetDateTime::now_utc() - time::Duration::minutes(16))
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        ))
        .await
        .unwrap();
    assert_eq!(sign_in(&app, &client, &m.owner_email, &m.owner_password).await.status(), 303);
}

/// The reset link in a mail.
fn link_in(mail: &ReceivedMail) -> String {
    let body = mail.part("text/plain").unwrap_or_else(|| mail.data.clone());
    let at = body.find("/reset/").expect("a reset link");
    let start = body[..at].rfind("http").unwrap();
    body[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn a_reset_link_arrives_by_mail_works_once_within_an_hour_and_signs_in() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let client = browser();
    for email in ["nobody@example.com", m.owner_email.as_str()] {
        let (_, page) = get_page(&app, &client, "/reset").await;
        let res = client
            .post(app.url("/reset"))
            .form(&[("email", email), ("csrf_token", &csrf_of(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains("If that address has an account"), "the same answer for both");
    }
    let got = mails(&app, 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mail.received().len(), 1, "only the real account gets a mail");
    assert_eq!(got[0].to, vec![m.owner_email.clone()]);
    let link = link_in(&got[0]);
    let path = link.trim_start_matches(&app.address).to_owned();

    let (status, page) = get_page(&app, &client, &path).await;
    assert_eq!(status, 200);
    let res = client
        .post(app.url(&path))
        .form(&[("password", "short"), ("confirm", "short"), ("csrf_token", &csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("at least 10 characters"));
    let res = client
        .post(app.url(&path))
        .form(&[
            ("password", "a new long password"),
            ("confirm", "a new long password"),
            ("csrf_token", &csrf_of(&page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(get_page(&app, &client, "/dashboard").await.0, 200, "signed in by the reset");
    assert_eq!(get_page(&app, &client, &path).await.0, 410, "used up");
    assert_eq!(sign_in(&app, &browser(), &m.owner_email, &m.owner_password).await.status(), 401, "old password");
    assert_eq!(sign_in(&app, &browser(), &m.owner_email, "a new long password").await.status(), 303);

    // A link an hour old no longer works.
    let (_, page) = get_page(&app, &client, "/reset").await;
    client
        .post(app.url("/reset"))
        .form(&[("email", m.owner_email.as_str()), ("csrf_token", &csrf_of(&page))])
        .send()
        .await
        .unwrap();
    let got = mails(&app, 2).await;
    let path = link_in(&got[1]).trim_start_matches(&app.address).to_owned();
    app.db
        .execute_unprepared(&format!(
            "UPDATE password_resets SET expires_at = '{}'",
            time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap()
        ))
        .await
        .unwrap();
    assert_eq!(get_page(&app, &client, &path).await.0, 410);
}

#[tokio::test]
async fn a_member_switches_the_workspace_language_and_it_stays_theirs() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let (cookie, csrf) = app.session_for(&m.api_token, "editor", "en").await;
    let get = |path: &'static str| app.client.get(app.url(path)).header("Cookie", cookie.clone()).send();
    let page = get("/dashboard").await.unwrap().text().await.unwrap();
    assert!(page.contains("action=\"/dashboard/language\"") && page.contains("Overview"), "the switch is on the page");
    let post = |locale: &'static str, back: &'static str, token: String| {
        app.client
            .post(app.url("/dashboard/language"))
            .header("Cookie", cookie.clone())
            .form(&[("csrf_token", token.as_str()), ("locale", locale), ("back", back)])
            .send()
    };
    let res = post("ru", "/dashboard/reports", "forged".into()).await.unwrap();
    assert_eq!(res.status(), 403, "a forged form changes nothing");
    let res = post("ru", "/dashboard/reports", csrf.clone()).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/dashboard/reports", "back to the page it was on");
    for path in ["/dashboard/reports", "/dashboard", "/dashboard/members"] {
        let res = get(path).await.unwrap();
        assert_eq!(res.headers()["content-language"], "ru", "{path}");
        let page = res.text().await.unwrap();
        assert!(page.contains("lang=\"ru\""), "{path} in Russian");
    }
    let res = post("en", "//evil.example/dashboard", csrf.clone()).await.unwrap();
    assert_eq!(res.headers()["location"], "/dashboard", "never an open redirect");
    let res = get("/dashboard").await.unwrap();
    assert_eq!(res.headers()["content-language"], "en");
}
