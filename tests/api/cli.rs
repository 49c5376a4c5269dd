use std::process::Command;

use crate::helpers::{decode_qr, spawn_app};

#[tokio::test]
async fn manufacturer_create_prints_json_and_the_token_works() {
    let app = spawn_app().await;
    let out = app.cli(&["manufacturer", "create", "--name", "Acme", "--email", "Owner@Acme.test"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["manufacturer_id", "api_token", "owner_email", "owner_password"] {
        assert!(v[key].is_string(), "{key} missing: {v}");
    }
    assert_eq!(v["owner_email"], "owner@acme.test");
    let res = app
        .client
        .get(app.url("/api/v1/product-lines"))
        .bearer_auth(v["api_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // The same owner email twice is refused with a message, not a stack trace.
    let out = app.cli(&["manufacturer", "create", "--name", "Acme 2", "--email", "owner@acme.test"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    // Names shown on pages and in mails hold no control or invisible characters.
    for name in ["Acme\u{1b}[31m", "Acme \u{202E}emcA", "   "] {
        let out = app.cli(&["manufacturer", "create", "--name", name, "--email", "other@acme.test"]);
        assert!(!out.status.success(), "{name:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--name"), "{name:?}");
    }
}

#[tokio::test]
async fn bad_configuration_stops_the_program_with_a_clear_message() {
    let app = spawn_app().await;
    let run = |var: &str, value: &str| {
        Command::new(env!("CARGO_BIN_EXE_scanback"))
            .args(["migrate"])
            .current_dir(app.dir.path())
            .env(var, value)
            .output()
            .unwrap()
    };
    let out = run("SCANBACK_DATABASE_URL", "mysql://localhost/db");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SCANBACK_DATABASE_URL"));
    let out = run("SCANBACK_PUBLIC_URL", "not a url");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SCANBACK_PUBLIC_URL"));

    let out = Command::new(env!("CARGO_BIN_EXE_scanback"))
        .args(["digest", "run", "--at", "2027-03-14T07:00:00Z"])
        .current_dir(app.dir.path())
        .env("SCANBACK_DATABASE_URL", &app.settings.database_url)
        .env("SCANBACK_SMTP_URL", "smtp://no-such-host.invalid:25")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SCANBACK_SMTP_URL") && err.contains("no-such-host.invalid"), "{err}");
}

#[tokio::test]
async fn a_toml_file_is_read_and_environment_variables_override_it() {
    let app = spawn_app().await;
    let dir = app.dir.path();
    std::fs::write(dir.join("scanback.toml"), "public_url = \"https://from-file.example\"\n").unwrap();
    let code = scanback::domain::Code::generate(&mut rand::rng());
    let last = code.as_str().chars().last().unwrap();
    let typo = format!("{}{}", &code.as_str()[..7], if last == '0' { '1' } else { '0' });
    let out = Command::new(env!("CARGO_BIN_EXE_scanback"))
        .args(["artwork", typo.as_str(), "--format", "svg", "-o", "a.svg"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a wrong check character is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("mistyped"));

    let out = Command::new(env!("CARGO_BIN_EXE_scanback"))
        .args(["artwork", code.as_str(), "--format", "svg", "-o", "a.svg"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("https://FROM-FILE.EXAMPLE/Q/{code}")));

    let out = Command::new(env!("CARGO_BIN_EXE_scanback"))
        .args(["artwork", code.as_str(), "--format", "svg", "-o", "b.svg"])
        .current_dir(dir)
        .env("SCANBACK_PUBLIC_URL", "https://from-env.example")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://FROM-ENV.EXAMPLE/Q/"));
}

#[tokio::test]
async fn offline_artwork_png_decodes_to_the_code_url() {
    let app = spawn_app().await;
    let code = scanback::domain::Code::generate(&mut rand::rng());
    let out =
        app.cli(&["artwork", &code.to_string().to_lowercase(), "--format", "png", "--size-mm", "30", "-o", "code.png"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let decoded = decode_qr(&app.dir.path().join("code.png"));
    assert_eq!(decoded.len(), 1);
    assert_eq!(decoded[0]["text"], format!("http://127.0.0.1:{}/Q/{code}", app.port));
}

/// `serve --demo` on an empty database seeds a line and prints how to try it; the printed URLs work.
#[tokio::test]
async fn serve_demo_seeds_an_empty_database_and_prints_working_urls() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut child = Command::new(env!("CARGO_BIN_EXE_scanback"))
        .args(["serve", "--demo"])
        .current_dir(dir.path())
        .env("SCANBACK_LISTEN", format!("127.0.0.1:{port}"))
        .env("SCANBACK_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .take_while(|l| !l.starts_with("  API token"))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let find = |label: &str| {
        lines
            .iter()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("no `{label}` in {lines:?}"))
    };
    let scan_url = find("scan URL:");
    let artwork_url = find("artwork URL:");
    let token = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("(send `Authorization: Bearer ").and_then(|t| t.strip_suffix("`)")))
        .unwrap()
        .to_owned();
    assert!(find("owner login:").contains(" / "));

    let client = reqwest::Client::new();
    let mut page = None;
    for _ in 0..50 {
        if let Ok(res) = client.get(&scan_url).send().await {
            page = Some(res);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = page.expect("the demo server answers");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Frying pan 28 cm"));
    let svg = client.get(&artwork_url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(svg.status(), 200);
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    child.kill().unwrap();
    let _ = child.wait();
    // The database lives in the default place under the working directory.
    assert!(dir.path().join("scanback-data/scanback.db").exists());
}
