use std::io::Cursor;
use std::path::PathBuf;
use std::process::Command;

use crate::helpers::spawn_app;

/// Headless Chromium at a phone's width, JavaScript off, fills the form in Russian with a photo and
/// lands on the thank-you page. Needs `chromium` and `tests/browser/node_modules` (scripts/test
/// installs both).
#[tokio::test]
async fn a_phone_browser_without_javascript_sends_a_report_with_a_photo() {
    let mut bytes = Vec::new();
    image::DynamicImage::new_rgb8(640, 480).write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg).unwrap();
    let (_, uploaded) = send_in_browser(bytes.clone(), false).await;
    assert_eq!(uploaded, bytes.len() as u64, "without JavaScript the photo travels as it is");
}

/// With JavaScript on, a camera-sized photo is shrunk in the browser before it travels.
#[tokio::test]
async fn with_javascript_a_large_photo_is_shrunk_before_upload() {
    // Noise does not compress: a 2,800 x 2,100 photo of it is several megabytes, like a phone's.
    let mut state = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(2800, 2100, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let b = state.to_le_bytes();
        image::Rgb([b[0], b[1], b[2]])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg).unwrap();
    let original = bytes.len() as u64;
    assert!(original > 2_000_000, "{original}");
    let (_, sent) = send_in_browser(bytes, true).await;
    assert!(sent > 0);
    assert!(sent < original / 2, "the upload ({sent} bytes) should be much smaller than the photo ({original} bytes)");
}

/// Returns what the browser saw and how many photo bytes the server received.
async fn send_in_browser(photo_bytes: Vec<u8>, javascript: bool) -> (serde_json::Value, u64) {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Сковорода 28 см").await;
    let photo = app.dir.path().join("photo.jpg");
    std::fs::write(&photo, photo_bytes).unwrap();

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let scan_url = format!("{}/q/{}", app.address, line["code"].as_str().unwrap());
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(dir.join("submit_feedback.mjs"))
            .arg(&scan_url)
            .arg(&photo)
            .current_dir(&dir)
            .env("JS", if javascript { "1" } else { "0" })
            .output()
    })
    .await
    .unwrap()
    .expect("run node (install Node.js, then `npm ci` in tests/browser)");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from the browser script");

    assert_eq!(seen["status"], 200);
    assert_eq!(seen["lang"], "ru");
    assert!(seen["scrollWidth"].as_i64().is_none_or(|w| w <= 390), "no horizontal scrolling: {seen}");
    assert!(seen["finalUrl"].as_str().unwrap().contains("/thanks"), "{seen}");
    assert_eq!(seen["heading"], "Спасибо, ваш отзыв получен");
    assert_eq!(seen["cookies"], 0);
    assert_eq!(seen["foreignRequests"], serde_json::json!([]));

    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["category"], "handle");
    assert_eq!(reports[0]["comment"], "Ручка сильно нагревается");
    assert_eq!(reports[0]["photos"].as_array().unwrap().len(), 1);
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let received = metrics
        .lines()
        .find_map(|l| l.strip_prefix("scanback_photo_upload_bytes_total "))
        .and_then(|v| v.parse().ok())
        .expect("the photo bytes metric");
    (seen, received)
}

/// Relative luminance of a CSS `rgb(r, g, b)` colour (WCAG 2).
fn luminance(css: &str) -> f64 {
    let channels: Vec<f64> = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')')
        .split(',')
        .take(3)
        .map(|c| c.trim().parse::<f64>().unwrap() / 255.0)
        .map(|c| if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
        .collect();
    0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A digest's HTML in Chromium at 390 and 600 px, light and dark: no horizontal scrolling, the card
/// at most 600 px wide, and text readable on its background (WCAG AA contrast) in both modes.
#[tokio::test]
async fn a_digest_reads_at_390_and_600_px_in_light_and_dark_mode() {
    use crate::digest::{put_json, run_at, subscription};
    use scanback::domain::Kind;
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Сковорода с антипригарным покрытием 28 см").await;
    let line_id: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "Europe/Moscow", "ru")).await;
    let specs: Vec<_> = (0..6)
        .map(|i| {
            let mut s = crate::helpers::ReportSpec::new(
                time::macros::datetime!(2027-03-09 10:00 UTC) + time::Duration::minutes(i),
                if i % 2 == 0 { Kind::Defect } else { Kind::Praise },
                2,
            );
            s.category = Some("coating");
            s
        })
        .collect();
    app.insert_reports(m.manufacturer_id, line_id, &specs).await;
    run_at(&app, "2027-03-10T05:00:00Z");
    let mail = app
        .mail
        .received()
        .into_iter()
        .find(|m| m.header("X-Scanback-Period").as_deref() == Some("daily:2027-03-10"))
        .expect("the digest");
    let html = app.dir.path().join("digest.html");
    std::fs::write(&html, mail.part("text/html").unwrap()).unwrap();
    let out_dir = app.dir.path().to_owned();

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node").arg(dir.join("digest_screenshot.mjs")).arg(&html).arg(&out_dir).current_dir(&dir).output()
    })
    .await
    .unwrap()
    .expect("run node (install Node.js, then `npm ci` in tests/browser)");
    assert!(out.status.success(), "browser run failed: {}", String::from_utf8_lossy(&out.stderr));
    let shots: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from the browser script");
    let shots = shots.as_array().unwrap();
    assert_eq!(shots.len(), 4);
    // `SCANBACK_KEEP_SCREENSHOTS=DIR` keeps the pictures for a person to look at.
    if let Ok(keep) = std::env::var("SCANBACK_KEEP_SCREENSHOTS") {
        for s in shots {
            let from = PathBuf::from(s["shot"].as_str().unwrap());
            std::fs::copy(&from, PathBuf::from(&keep).join(from.file_name().unwrap())).unwrap();
        }
    }
    for s in shots {
        let width = s["width"].as_f64().unwrap();
        assert!(s["scrollWidth"].as_f64().unwrap() <= width, "no horizontal scrolling: {s}");
        assert!(s["cardWidth"].as_f64().unwrap() <= 600.0, "{s}");
        let (fg, bg) = (s["color"].as_str().unwrap(), s["background"].as_str().unwrap());
        assert!(contrast(fg, bg) >= 4.5, "readable text: {s}");
        assert!(contrast(s["leadColor"].as_str().unwrap(), bg) >= 4.5, "{s}");
        let dark = luminance(bg) < 0.2;
        assert_eq!(dark, s["scheme"] == "dark", "the card follows the reader's mode: {s}");
        let png = std::fs::read(s["shot"].as_str().unwrap()).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a screenshot was taken");
    }
}

/// Headless Chromium, JavaScript off, at a desktop's and a phone's width: the owner signs in, reads
/// the overview, opens the line, marks a report resolved and answers the customer, whose mail
/// arrives over SMTP.
#[tokio::test]
async fn a_manufacturer_signs_in_reads_the_overview_opens_a_line_triages_and_replies_at_1280_and_390_px() {
    for width in [1280u32, 390] {
        workspace_in_browser(width).await;
    }
}

async fn workspace_in_browser(width: u32) {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Frying pan 28 cm").await;
    let code = line["code"].as_str().unwrap();
    for (kind, category, comment) in
        [("defect", "coating", "The coating peels after a week"), ("praise", "", "Heats evenly")]
    {
        let mut form = vec![("kind", kind), ("rating", "2"), ("comment", comment)];
        if !category.is_empty() {
            form.push(("category", category));
        }
        form.extend([("email", "customer@example.com"), ("consent", "yes")]);
        let res = app.client.post(app.url(&format!("/q/{code}"))).form(&form).send().await.unwrap();
        assert_eq!(res.status(), 303);
    }
    let shots = std::env::var_os("SCANBACK_SCREENSHOTS").map(PathBuf::from);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let (base, email, password) = (app.address.clone(), m.owner_email.clone(), m.owner_password.clone());
    let out = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new("node");
        cmd.arg(dir.join("workspace.mjs")).args([&base, &email, &password, &width.to_string()]).current_dir(&dir);
        if let Some(s) = shots {
            cmd.arg(s);
        }
        cmd.output()
    })
    .await
    .unwrap()
    .expect("run node (install Node.js, then `npm ci` in tests/browser)");
    assert!(out.status.success(), "browser run at {width} px failed: {}", String::from_utf8_lossy(&out.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from the browser script");
    let at = |page: &str, key: &str| seen["pages"][page][key].clone();

    assert_eq!(at("overview", "url"), "/dashboard", "{seen}");
    assert_eq!(seen["firstTab"], "#main", "the first Tab reaches the skip link: {seen}");
    assert!(seen["overviewText"].as_str().unwrap().contains("Frying pan 28 cm"), "{seen}");
    assert_eq!(seen["lineName"], "Frying pan 28 cm");
    assert_eq!(at("line", "heading"), "Frying pan 28 cm");
    let charts = seen["charts"].as_array().unwrap();
    assert!(charts.len() >= 2, "the weekly and Pareto charts: {seen}");
    for chart in charts {
        assert!(chart["title"].is_string() && chart["desc"].as_str().is_some_and(|d| !d.is_empty()), "{chart}");
    }
    assert_eq!(at("inbox", "url"), "/dashboard/reports");
    assert_eq!(seen["statusAfterTriage"], "resolved");
    assert_eq!(seen["statusAfterReply"], "resolved", "the editor chose to keep it resolved");
    assert_eq!(seen["replyShown"], true, "the reply is on the report: {seen}");
    for page in ["overview", "line", "inbox", "report", "replied"] {
        let scroll = at(page, "scrollWidth").as_u64().unwrap();
        assert!(scroll <= u64::from(width), "{page} at {width} px scrolls sideways ({scroll} px)");
    }
    assert_eq!(seen["foreignRequests"], serde_json::json!([]));
    let cookies = seen["cookies"].as_array().unwrap();
    assert_eq!(cookies.len(), 1, "one session cookie: {seen}");
    assert_eq!(cookies[0]["httpOnly"], true);
    assert_eq!(cookies[0]["sameSite"], "Lax");

    let id: uuid::Uuid = seen["reportId"].as_str().unwrap().parse().unwrap();
    let (_, report) = app.get_json(&m.api_token, &format!("/api/v1/reports/{id}")).await;
    assert_eq!(report["status"], "resolved");
    let mails = crate::accounts::mails(&app, 1).await;
    assert_eq!(mails[0].to, vec!["customer@example.com"]);
    assert!(mails[0].part("text/plain").unwrap().contains("a new pan is on its way"));
}
