//! Secrets never reach the log: `scanback serve` runs as a real process at debug level with its
//! log captured, goes through sign-in (wrong and right password), a session with CSRF forms, API
//! calls with a good and a forged token, a password reset mailed through real SMTP and used, and a
//! report with an email; then the captured log must contain none of the secrets it handled.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use crate::accounts::{browser, csrf_of};
use crate::helpers::MailServer;

#[tokio::test]
async fn tokens_passwords_session_ids_and_reset_links_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mail = MailServer::start();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let log_path = dir.path().join("serve.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scanback"))
        .args(["serve", "--demo"])
        .current_dir(dir.path())
        .env("SCANBACK_LISTEN", format!("127.0.0.1:{port}"))
        .env("SCANBACK_PUBLIC_URL", &base)
        .env("SCANBACK_SMTP_URL", format!("smtp://127.0.0.1:{}", mail.port))
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        let mut lines = Vec::new();
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            let done = line.trim_start().starts_with("API token");
            lines.push(std::mem::take(&mut line));
            if done {
                break;
            }
        }
        // Keep draining so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut reader.into_inner().take(u64::MAX), &mut std::io::sink());
        });
        lines
    })
    .await
    .unwrap();
    let find =
        |label: &str| lines.iter().find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_owned())).unwrap();
    let token = find("API token:");
    let (email, password) = {
        let login = find("owner login:");
        let (e, p) = login.split_once(" / ").unwrap();
        (e.to_owned(), p.to_owned())
    };
    let scan_url = find("scan URL:");

    let client = browser();
    let mut up = false;
    for _ in 0..100 {
        if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "serve answers");
    let url = |p: &str| format!("{base}{p}");
    let wrong_password = "Wrong-Password-8f3a1c";
    let forged_token = "sbk_ForgedTokenThatMustNotBeLogged0123456789ab";
    let login = |pw: String| {
        let client = client.clone();
        let email = email.clone();
        let base = base.clone();
        async move {
            let page = client.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
            let csrf = csrf_of(&page);
            let res = client
                .post(format!("{base}/login"))
                .form(&[("email", email.as_str()), ("password", &pw), ("csrf_token", &csrf), ("next", "/dashboard")])
                .send()
                .await
                .unwrap();
            (res, csrf)
        }
    };
    let (res, form_csrf) = login(wrong_password.to_owned()).await;
    assert_eq!(res.status(), 401);
    let (res, _) = login(password.clone()).await;
    assert_eq!(res.status(), 303);
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("scanback_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("a session cookie");
    let page = client.get(url("/dashboard/tokens")).send().await.unwrap().text().await.unwrap();
    let session_csrf = csrf_of(&page);
    // A form with a forged CSRF token is refused (and logged as refused, without the token).
    let res = client
        .post(url("/dashboard/tokens"))
        .form(&[("label", "ci"), ("csrf_token", "forged-csrf-token-value-77")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A new API token is shown once on the page, never logged.
    let res = client
        .post(url("/dashboard/tokens"))
        .form(&[("label", "ci"), ("csrf_token", &session_csrf)])
        .send()
        .await
        .unwrap();
    let created_page = res.text().await.unwrap();
    let new_token = created_page
        .split("<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .map(str::to_owned)
        .expect("the new token on the page");
    assert!(new_token.starts_with("sbk_"), "{new_token}");
    let api = client.get(url("/api/v1/product-lines")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(api.status(), 200);
    let api = client.get(url("/api/v1/product-lines")).bearer_auth(&new_token).send().await.unwrap();
    assert_eq!(api.status(), 200);
    let api = client.get(url("/api/v1/product-lines")).bearer_auth(forged_token).send().await.unwrap();
    assert_eq!(api.status(), 401);
    let res = client
        .post(url("/api/v1/product-lines"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"x\", \"password\": \"{wrong_password}\"}}"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "unknown keys are refused");
    // A reset link, mailed through SMTP, used once.
    let fresh =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = fresh.get(url("/reset")).send().await.unwrap().text().await.unwrap();
    let res = fresh
        .post(url("/reset"))
        .form(&[("email", email.as_str()), ("csrf_token", &csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let mut reset_link = None;
    for _ in 0..100 {
        if let Some(m) = mail.received().into_iter().find(|m| m.data.contains("/reset/")) {
            let body = m.part("text/plain").unwrap_or(m.data.clone());
            let at = body.find("/reset/").unwrap();
            reset_link = Some(body[at..].split_whitespace().next().unwrap().to_owned());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let reset_link = reset_link.expect("the reset mail arrived");
    let reset_token = reset_link.trim_start_matches("/reset/").to_owned();
    let page = fresh.get(url(&reset_link)).send().await.unwrap().text().await.unwrap();
    let new_password = "A brand new passphrase 42";
    let res = fresh
        .post(url(&reset_link))
        .form(&[("password", new_password), ("confirm", new_password), ("csrf_token", &csrf_of(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    // A customer's report with an email address.
    let customer = "customer.secret.address@example.com";
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(&scan_url)
        .form(&[("kind", "praise"), ("rating", "5"), ("comment", "ok"), ("email", customer), ("consent", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    child.kill().unwrap();
    let _ = child.wait();

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(log.lines().count() > 20, "the log was captured at debug level:\n{log}");
    for (what, secret) in [
        ("the demo API token", token.as_str()),
        ("a token created in the dashboard", new_token.as_str()),
        ("a forged bearer token", forged_token),
        ("the owner's password", password.as_str()),
        ("a wrong password", wrong_password),
        ("the new password", new_password),
        ("the session cookie", session.as_str()),
        ("the session's CSRF token", session_csrf.as_str()),
        ("the sign-in form's CSRF token", form_csrf.as_str()),
        ("a forged CSRF token", "forged-csrf-token-value-77"),
        ("the reset token", reset_token.as_str()),
        ("the customer's email", customer),
    ] {
        assert!(!secret.is_empty());
        assert!(
            !log.contains(secret),
            "{what} is in the log:\n{}",
            log.lines().filter(|l| l.contains(secret)).collect::<Vec<_>>().join("\n")
        );
    }
}
