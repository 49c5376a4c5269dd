//! Print-share links: created by a manufacturer (API or CLI), opened by a print shop without login,
//! expired or revoked links answer 410 naming the manufacturer.

use scanback::store::entities::print_share;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};

use crate::artwork::{decode_batch, http, post_line};
use crate::helpers::{TestApp, spawn_app};

async fn new_line(app: &TestApp, token: &str, name: &str) -> Value {
    let res = post_line(app, token, &json!({ "name": name })).await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn create_share(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    http().post(app.url("/api/v1/print-shares")).bearer_auth(token).json(body).send().await.unwrap()
}

/// GET without any credentials, as a print shop would.
async fn open(app: &TestApp, path: &str, lang: Option<&str>) -> reqwest::Response {
    let mut req = http().get(app.url(path));
    if let Some(l) = lang {
        req = req.header("Accept-Language", l);
    }
    req.send().await.unwrap()
}

fn path_of(url: &str, app: &TestApp) -> String {
    url.strip_prefix(&app.address).unwrap_or_else(|| panic!("{url} is not on {}", app.address)).to_owned()
}

#[tokio::test]
async fn a_share_link_shows_previews_spec_facts_and_downloads_that_decode_without_login() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let pan = new_line(&app, &m.api_token, "Frying pan 28 cm").await;
    let lid = new_line(&app, &m.api_token, "Glass lid").await;
    let res = create_share(
        &app,
        &m.api_token,
        &json!({ "product_lines": [pan["id"], lid["id"]], "profile": "laser-metal", "expires_in_days": 7, "note": "Druckerei Nord" }),
    )
    .await;
    assert_eq!(res.status(), 201);
    let share: Value = res.json().await.unwrap();
    let token = share["token"].as_str().unwrap();
    assert_eq!(share["url"], format!("{}/print/{token}", app.address));
    assert_eq!(share["profile"], "laser-metal");
    assert_eq!(share["status"], "active");
    assert_eq!(share["note"], "Druckerei Nord");
    assert_eq!(share["product_lines"].as_array().unwrap().len(), 2);
    let created = time::OffsetDateTime::parse(
        share["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expires = time::OffsetDateTime::parse(
        share["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!((expires - created).whole_days(), 7);

    let base = path_of(share["url"].as_str().unwrap(), &app);
    let res = open(&app, &base, None).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("set-cookie").is_none(), "no cookies for print shops");
    assert_eq!(res.headers().get("cache-control").unwrap(), "private, no-store");
    let page = res.text().await.unwrap();
    assert!(!page.contains("<script"), "no JavaScript");
    assert!(page.contains("Acme Cookware"));
    for line in [&pan, &lid] {
        let (id, code) = (line["id"].as_str().unwrap(), line["code"].as_str().unwrap());
        assert!(page.contains(line["name"].as_str().unwrap()));
        assert!(page.contains(&format!("src=\"{base}/preview/{id}.svg\"")), "same-origin preview");
        for file in [
            format!("{id}.svg"),
            format!("{id}.png"),
            format!("{id}.pdf"),
            format!("{id}.eps"),
            format!("{id}-spec.pdf"),
        ] {
            assert!(page.contains(&format!("href=\"{base}/{file}\"")), "link to {file}");
        }
        assert!(page.contains(&format!("http://127.0.0.1:{}/Q/{code}", app.port)), "the encoded URL");
    }
    for fact in [
        "laser-metal",
        "QR Code version",
        "level H",
        "0.75 mm",
        "4 modules = 3 mm",
        "at least 40 %",
        &format!("{base}/bundle.zip"),
    ] {
        assert!(page.contains(fact), "page lacks {fact:?}");
    }

    // Preview and every download, fetched without credentials.
    let id = pan["id"].as_str().unwrap();
    let res = open(&app, &format!("{base}/preview/{id}.svg"), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("content-type").unwrap(), "image/svg+xml");
    let mut entries = Vec::new();
    for (ext, ct) in
        [("svg", "image/svg+xml"), ("png", "image/png"), ("pdf", "application/pdf"), ("eps", "application/postscript")]
    {
        let res = open(&app, &format!("{base}/{id}.{ext}"), None).await;
        assert_eq!(res.status(), 200, "{ext}");
        assert_eq!(res.headers().get("content-type").unwrap(), ct);
        let file = app.dir.path().join(format!("shared.{ext}"));
        std::fs::write(&file, res.bytes().await.unwrap()).unwrap();
        entries.push(json!({ "file": file, "dpi": 1016 }));
    }
    let url = format!("http://127.0.0.1:{}/Q/{}", app.port, pan["code"].as_str().unwrap());
    for r in decode_batch(&Value::Array(entries)) {
        assert_eq!(r["zxing"]["text"], url.as_str(), "{r}");
        assert_eq!(r["zbar"], url.as_str(), "{r}");
    }
    let res = open(&app, &format!("{base}/{id}-spec.pdf"), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("content-type").unwrap(), "application/pdf");

    let res = open(&app, &format!("{base}/bundle.zip"), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("content-type").unwrap(), "application/zip");
    let bytes = res.bytes().await.unwrap();
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(archive.len(), 2 * 5 + 1, "two lines x (4 formats + spec sheet) + README");
    for code in [pan["code"].as_str().unwrap(), lid["code"].as_str().unwrap()] {
        assert!(archive.file_names().any(|n| n.unwrap() == format!("{code}-spec.pdf")));
    }

    // Files that are not part of the link.
    let stranger = new_line(&app, &m.api_token, "Not shared").await;
    for path in [
        format!("{base}/{}.svg", stranger["id"].as_str().unwrap()),
        format!("{base}/{id}.gif"),
        format!("{base}/preview/{id}.png"),
    ] {
        assert_eq!(open(&app, &path, None).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn tokens_are_unguessable_shown_once_and_stored_only_as_hashes() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let line = new_line(&app, &m.api_token, "Pan").await;
    let share: Value =
        create_share(&app, &m.api_token, &json!({ "product_lines": [line["id"]] })).await.json().await.unwrap();
    let token = share["token"].as_str().unwrap();
    let random = token.strip_prefix("sbp_").unwrap();
    assert!(random.len() * 6 >= 128, "at least 128 bits: {token}");
    assert!(random.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe");
    assert_eq!(share["profile"], "packaging-offset", "default profile");

    let rows = print_share::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].token_hash, scanback::store::hash_token(token));
    assert!(!rows[0].token_hash.contains(random));

    let listed: Vec<Value> = http()
        .get(app.url("/api/v1/print-shares"))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], share["id"]);
    assert!(listed[0].get("token").is_none() && listed[0].get("url").is_none(), "{}", listed[0]);
    assert!(!listed[0].to_string().contains(random));
}

#[tokio::test]
async fn a_revoked_link_answers_410_naming_the_manufacturer_in_the_visitors_language() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let line = new_line(&app, &m.api_token, "Pan").await;
    let share: Value =
        create_share(&app, &m.api_token, &json!({ "product_lines": [line["id"]] })).await.json().await.unwrap();
    let base = path_of(share["url"].as_str().unwrap(), &app);
    let revoke = format!("/api/v1/print-shares/{}/revoke", share["id"].as_str().unwrap());

    let other = app.create_manufacturer("Other").await;
    let res = http().post(app.url(&revoke)).bearer_auth(&other.api_token).send().await.unwrap();
    assert_eq!(res.status(), 404, "another manufacturer cannot revoke it");
    assert_eq!(open(&app, &base, None).await.status(), 200);

    let res = http().post(app.url(&revoke)).bearer_auth(&m.api_token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let revoked: Value = res.json().await.unwrap();
    assert_eq!(revoked["status"], "revoked");
    let again: Value =
        http().post(app.url(&revoke)).bearer_auth(&m.api_token).send().await.unwrap().json().await.unwrap();
    assert_eq!(again["revoked_at"], revoked["revoked_at"], "revoking twice keeps the first time");

    let res = open(&app, &base, None).await;
    assert_eq!(res.status(), 410);
    let page = res.text().await.unwrap();
    assert!(page.contains("withdrawn") && page.contains("ask Acme Cookware"), "{page}");
    let id = line["id"].as_str().unwrap();
    for path in [format!("{base}/{id}.svg"), format!("{base}/bundle.zip"), format!("{base}/preview/{id}.svg")] {
        assert_eq!(open(&app, &path, None).await.status(), 410, "{path}");
    }
    let res = open(&app, &base, Some("ru")).await;
    assert_eq!(res.status(), 410);
    let page = res.text().await.unwrap();
    assert!(page.contains("отозвала") && page.contains("Acme Cookware"), "{page}");
}

#[tokio::test]
async fn an_expired_link_answers_410_and_an_unknown_one_404() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let line = new_line(&app, &m.api_token, "Pan").await;
    let share: Value =
        create_share(&app, &m.api_token, &json!({ "product_lines": [line["id"]], "expires_in_days": 1 }))
            .await
            .json()
            .await
            .unwrap();
    let base = path_of(share["url"].as_str().unwrap(), &app);
    assert_eq!(open(&app, &base, None).await.status(), 200);

    // A day later, as far as the link is concerned.
    let row = print_share::Entity::find().one(&app.db).await.unwrap().unwrap();
    let mut active = row.into_active_model();
    active.expires_at = Set(scanback::store::now() - time::Duration::seconds(1));
    active.update(&app.db).await.unwrap();

    let res = open(&app, &base, None).await;
    assert_eq!(res.status(), 410);
    let page = res.text().await.unwrap();
    assert!(page.contains("expired") && page.contains("ask Acme Cookware"), "{page}");
    let listed: Vec<Value> = http()
        .get(app.url("/api/v1/print-shares"))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["status"], "expired");

    for path in
        ["/print/sbp_AAAAAAAAAAAAAAAAAAAAAAAA", "/print/sbp_AAAAAAAAAAAAAAAAAAAAAAAA/bundle.zip", "/print/%3Cscript%3E"]
    {
        let res = open(&app, path, None).await;
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.text().await.unwrap().contains("Unknown link"));
    }
}

#[tokio::test]
async fn bad_share_requests_are_refused_and_other_manufacturers_lines_are_not_found() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let line = new_line(&app, &m.api_token, "Pan").await;
    let other = app.create_manufacturer("Other").await;
    let theirs = new_line(&app, &other.api_token, "Kettle").await;

    let cases = [
        (json!({ "product_lines": [] }), "product_lines"),
        (json!({ "product_lines": [line["id"]], "expires_in_days": 0 }), "expires_in_days"),
        (json!({ "product_lines": [line["id"]], "expires_in_days": 366 }), "expires_in_days"),
        (json!({ "product_lines": [line["id"]], "profile": "inkjet" }), "profile"),
        (json!({ "product_lines": [line["id"]], "note": "x".repeat(501) }), "note"),
    ];
    for (body, field) in cases {
        let res = create_share(&app, &m.api_token, &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    let res = create_share(&app, &m.api_token, &json!({ "product_lines": [line["id"], theirs["id"]] })).await;
    assert_eq!(res.status(), 404);
    let res = create_share(&app, &m.api_token, &json!({ "product_lines": [uuid::Uuid::now_v7()] })).await;
    assert_eq!(res.status(), 404);
    let res = http()
        .post(app.url("/api/v1/print-shares"))
        .json(&json!({ "product_lines": [line["id"]] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(print_share::Entity::find().all(&app.db).await.unwrap().is_empty(), "nothing stored");

    // Each manufacturer lists only its own.
    assert_eq!(create_share(&app, &other.api_token, &json!({ "product_lines": [theirs["id"]] })).await.status(), 201);
    let listed: Vec<Value> = http()
        .get(app.url("/api/v1/print-shares"))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(listed.is_empty());
}

#[tokio::test]
async fn the_print_page_speaks_russian() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let line = new_line(&app, &m.api_token, "Сковорода 28 см").await;
    let share: Value =
        create_share(&app, &m.api_token, &json!({ "product_lines": [line["id"]] })).await.json().await.unwrap();
    let base = path_of(share["url"].as_str().unwrap(), &app);
    let res = open(&app, &base, Some("ru-RU,ru;q=0.9")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers().get("content-language").unwrap(), "ru");
    let page = res.text().await.unwrap();
    for s in ["Макеты QR-кодов от Acme", "Сковорода 28 см", "Свободная зона", "4 модуля", "паспорт макета"]
    {
        assert!(page.contains(s), "{s}");
    }
    assert!(page.contains(&format!("href=\"{base}?lang=en\"")), "language switch keeps the link");
}

/// The smallest size of a line's code with `profile`, as the API's refusal of a 1 mm request says it.
async fn smallest_size(app: &TestApp, token: &str, line: &Value, profile: &str) -> String {
    let path = format!("/api/v1/product-lines/{}/artwork?profile={profile}&size_mm=1", line["id"].as_str().unwrap());
    let body: Value = http().get(app.url(&path)).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    message.rsplit("at least ").next().unwrap().trim_end_matches(" mm").to_owned()
}

#[tokio::test]
async fn the_print_page_offers_a_size_picker_within_the_profiles_limits_and_downloads_follow_it() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let pan = new_line(&app, &m.api_token, "Сковорода 28 см").await;
    let lid = new_line(&app, &m.api_token, "Glass lid").await;
    let share: Value =
        create_share(&app, &m.api_token, &json!({ "product_lines": [pan["id"], lid["id"]], "profile": "laser-metal" }))
            .await
            .json()
            .await
            .unwrap();
    let base = path_of(share["url"].as_str().unwrap(), &app);
    let (pan_id, lid_id) = (pan["id"].as_str().unwrap(), lid["id"].as_str().unwrap());
    let min = smallest_size(&app, &m.api_token, &pan, "laser-metal").await;
    assert_eq!(min, "24.6", "this URL is version 4 at H: 41 modules of 0.6 mm");

    // One plain GET form per line, within the profile's limits, the smallest size said in words.
    let res = open(&app, &base, None).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(!page.contains("<script"));
    for id in [pan_id, lid_id] {
        assert!(page.contains(&format!("<form method=\"get\" action=\"{base}#line-{id}\"")), "{page}");
        assert!(page.contains(&format!("type=\"number\" id=\"size_{id}\" name=\"size_{id}\" min=\"{min}\"")), "{page}");
    }
    assert!(page.contains(&format!("Smallest size that scans with this profile: {min} mm.")), "{page}");
    // laser-metal PNGs are 1016 dpi: 20,000 px is about 500 mm.
    let max: f64 = page.split("max=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    assert!((490.0..=500.0).contains(&max), "{max}");
    assert!(page.contains(&format!("href=\"{base}/{pan_id}.pdf\"")), "no size chosen yet: the default");

    // 40 mm for the pan: its downloads follow, the lid keeps its default and carries the choice.
    let res = open(&app, &format!("{base}?size_{pan_id}=40"), None).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    for ext in ["svg", "png", "pdf", "eps"] {
        assert!(page.contains(&format!("href=\"{base}/{pan_id}.{ext}?size_mm=40\"")), "{ext}: {page}");
        assert!(page.contains(&format!("href=\"{base}/{lid_id}.{ext}\"")), "{ext}");
    }
    assert!(page.contains(&format!("href=\"{base}/{pan_id}-spec.pdf?size_mm=40\"")));
    assert!(page.contains("40 × 40 mm including the quiet zone"), "the facts follow the size");
    assert!(page.contains(&format!("name=\"size_{pan_id}\" value=\"40\">")), "kept in the lid's form");
    assert!(page.contains(&format!("href=\"{base}/bundle.zip?size_{pan_id}=40\"")), "{page}");

    let res = open(&app, &format!("{base}/{pan_id}.svg?size_mm=40"), None).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("width=\"40mm\" height=\"40mm\""));
    let res = open(&app, &format!("{base}/{pan_id}.pdf?size_mm=40"), None).await;
    assert_eq!(res.status(), 200);
    let pdf = app.dir.path().join("40.pdf");
    std::fs::write(&pdf, res.bytes().await.unwrap()).unwrap();
    let info = std::process::Command::new("pdfinfo").arg("-box").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("113.39 x 113.39 pts") || info.contains("113.386 x 113.386 pts"), "40 mm: {info}");
    assert!(info.contains("TrimBox:             0.00     0.00   113.39   113.39"), "{info}");
    let res = open(&app, &format!("{base}/{pan_id}-spec.pdf?size_mm=40"), None).await;
    assert_eq!(res.status(), 200);
    let spec = app.dir.path().join("40-spec.pdf");
    std::fs::write(&spec, res.bytes().await.unwrap()).unwrap();
    let text = std::process::Command::new("pdftotext").arg(&spec).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Сковорода 28 см") && text.contains("40 × 40 mm"), "{text}");
    let url = format!("http://127.0.0.1:{}/Q/{}", app.port, pan["code"].as_str().unwrap());
    let r = decode_batch(&json!([{ "file": pdf, "dpi": 1016 }]));
    assert_eq!(r[0]["zxing"]["text"], url.as_str());
    let res = open(&app, &format!("{base}/bundle.zip?size_{pan_id}=40"), None).await;
    assert_eq!(res.status(), 200);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let mut readme = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("README.txt").unwrap(), &mut readme).unwrap();
    assert!(readme.contains("total 40 mm"), "{readme}");

    // Out of range, or not a number: refused on the page (the typed value kept) and on downloads.
    let too_small = format!("12 mm is too small for laser-metal: this code needs at least {min} mm.");
    let res = open(&app, &format!("{base}?size_{pan_id}=12"), None).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains(&too_small), "{page}");
    assert!(page.contains(&format!("name=\"size_{pan_id}\" min=\"{min}\"")));
    assert!(page.contains("value=\"12\" aria-describedby"), "the typed value is kept");
    assert!(page.contains(&format!("href=\"{base}/{pan_id}.pdf\"")), "downloads stay at the default");
    let res = open(&app, &format!("{base}?size_{pan_id}=5000"), Some("ru")).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("5000 мм — больше, чем можно подготовить файлы для профиля laser-metal"), "{page}");
    let res = open(&app, &format!("{base}?size_{lid_id}=big"), None).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("“big” is not a size in millimetres"));
    for path in [
        format!("{base}/{pan_id}.pdf?size_mm=12"),
        format!("{base}/{pan_id}-spec.pdf?size_mm=12"),
        format!("{base}/bundle.zip?size_{pan_id}=12"),
    ] {
        let res = open(&app, &path, None).await;
        assert_eq!(res.status(), 422, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains(&too_small), "{path}: {body}");
    }
    let res = open(&app, &format!("{base}/{pan_id}.png?size_mm=600"), Some("ru")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("600 мм — больше"));
}

#[tokio::test]
async fn a_shared_line_whose_name_the_print_font_cannot_set_names_the_character_and_whom_to_ask() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let cup = new_line(&app, &m.api_token, "Кружка ☕").await;
    let share: Value =
        create_share(&app, &m.api_token, &json!({ "product_lines": [cup["id"]] })).await.json().await.unwrap();
    let base = path_of(share["url"].as_str().unwrap(), &app);
    let id = cup["id"].as_str().unwrap();
    assert_eq!(open(&app, &format!("{base}/{id}.pdf"), None).await.status(), 200, "no text, nothing to refuse");
    for path in [format!("{base}/{id}-spec.pdf"), format!("{base}/bundle.zip")] {
        let res = open(&app, &path, Some("ru")).await;
        assert_eq!(res.status(), 422, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains("В названии товара есть символ ☕ (U+2615)") && body.contains("Acme Cookware"), "{body}");
    }
}

#[tokio::test]
async fn the_cli_creates_and_revokes_share_links() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme Cookware").await;
    let a = new_line(&app, &m.api_token, "Pan").await;
    let b = new_line(&app, &m.api_token, "Lid").await;
    let lines = format!("{},{}", a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let mid = m.manufacturer_id.to_string();
    let out = app.cli(&[
        "print-share",
        "create",
        "--manufacturer",
        &mid,
        "--lines",
        &lines,
        "--profile",
        "pad-print",
        "--expires-in-days",
        "3",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let share: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(share["profile"], "pad-print");
    assert_eq!(share["product_lines"].as_array().unwrap().len(), 2);
    let base = path_of(share["url"].as_str().unwrap(), &app);
    let res = open(&app, &base, None).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("pad-print"));

    let out = app.cli(&["print-share", "revoke", share["id"].as_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let revoked: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(open(&app, &base, None).await.status(), 410);

    let other = app.create_manufacturer("Other").await;
    let oid = other.manufacturer_id.to_string();
    let out = app.cli(&["print-share", "create", "--manufacturer", &oid, "--lines", &lines]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not one of this manufacturer's lines"));
    let out =
        app.cli(&["print-share", "create", "--manufacturer", &mid, "--lines", &lines, "--expires-in-days", "400"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--expires-in-days"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
