use std::io::Cursor;
use std::path::PathBuf;
use std::process::Command;

use crate::helpers::spawn_app;

/// Headless Chromium at a phone's width, JavaScript off, fills the form in Russian with a photo and
/// lands on the thank-you page. Needs `chromium` and `tests/browser/node_modules` (scripts/test
/// installs both).
#[tokio::test]
async fn a_phone_browser_without_javascript_sends_a_report_with_a_photo() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Сковорода 28 см").await;
    let photo = app.dir.path().join("photo.jpg");
    let mut bytes = Vec::new();
    image::DynamicImage::new_rgb8(640, 480).write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg).unwrap();
    std::fs::write(&photo, bytes).unwrap();

    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let scan_url = format!("{}/q/{}", app.address, line["code"].as_str().unwrap());
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node").arg(dir.join("submit_feedback.mjs")).arg(&scan_url).arg(&photo).current_dir(&dir).output()
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
}
