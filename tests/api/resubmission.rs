//! De-duplication of resubmissions: only an exact repeat (a double tap, a resend after a slow
//! network) is folded into the first report; anything the second submission adds is kept, and its
//! photos are checked before it is acknowledged.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat};
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::helpers::spawn_app;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).unwrap();
    out
}

fn form(fields: &[(&str, &str)], photos: &[(&str, &[u8])]) -> Form {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in photos {
        form =
            form.part("photo", Part::bytes(bytes.to_vec()).file_name(name.to_string()).mime_str("image/jpeg").unwrap());
    }
    form
}

const TEXT: &[(&str, &str)] = &[("kind", "defect"), ("rating", "2"), ("comment", "The handle came loose")];

#[tokio::test]
async fn a_resubmission_that_adds_photos_usage_recommend_or_serial_is_stored_with_them() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let id = line["id"].as_str().unwrap();
    let url = app.url(&format!("/api/v1/product-lines/{id}/form"));
    let mut config: serde_json::Value =
        app.client.get(&url).bearer_auth(&m.api_token).send().await.unwrap().json().await.unwrap();
    config["ask_recommend"] = json!(true);
    let res = app.client.put(&url).bearer_auth(&m.api_token).json(&config).send().await.unwrap();
    assert_eq!(res.status(), 200);

    assert_eq!(app.post_multipart(code, form(TEXT, &[]), "en").await.status(), 303);
    let photo = jpeg(64, 48);
    let with = |extra: &[(&'static str, &'static str)]| [TEXT, extra].concat();
    for (fields, photos) in [
        (with(&[]), vec![("p.jpg", photo.as_slice())]),
        (with(&[("usage", "1to6m")]), vec![]),
        (with(&[("recommend", "3")]), vec![]),
        (with(&[("serial", "SN0042")]), vec![]),
    ] {
        let res = app.post_multipart(code, form(&fields, &photos), "en").await;
        assert_eq!(res.status(), 303, "{fields:?}");
    }
    let reports = app.reports(&m.api_token, id).await;
    assert_eq!(reports.len(), 5, "every addition is a report of its own: {reports:#?}");
    assert_eq!(reports.iter().filter(|r| r["photos"].as_array().unwrap().len() == 1).count(), 1);
    assert_eq!(reports.iter().filter(|r| r["usage_period"] == "1to6m").count(), 1);
    assert_eq!(reports.iter().filter(|r| r["recommend"] == 3).count(), 1);
    assert_eq!(reports.iter().filter(|r| r["serial"] == "SN0042").count(), 1);
    // The stored photo is the one sent, readable.
    let with_photo = reports.iter().find(|r| !r["photos"].as_array().unwrap().is_empty()).unwrap();
    let res = app
        .client
        .get(app.url(with_photo["photos"][0]["url"].as_str().unwrap()))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let img = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (64, 48));
}

#[tokio::test]
async fn an_exact_double_submit_is_stored_once_and_both_see_the_same_thank_you_page() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let photo = jpeg(80, 60);
    let mut locations = Vec::new();
    for _ in 0..2 {
        let res = app.post_multipart(code, form(TEXT, &[("p.jpg", &photo)]), "en").await;
        assert_eq!(res.status(), 303);
        locations.push(res.headers()["location"].to_str().unwrap().to_owned());
    }
    assert_eq!(locations[0], locations[1]);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["photos"].as_array().unwrap().len(), 1);
    let files = std::fs::read_dir(app.settings.data_dir.join("photos"))
        .unwrap()
        .flatten()
        .flat_map(|year| std::fs::read_dir(year.path()).unwrap().flatten())
        .flat_map(|month| std::fs::read_dir(month.path()).unwrap().flatten())
        .count();
    assert_eq!(files, 2, "one photo and its thumbnail, nothing from the repeat");

    // The same text without the photo is a different submission, so a report of its own.
    let res = app.post_feedback(code, TEXT).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.len(), 2);
}

#[tokio::test]
async fn a_file_that_is_not_a_picture_on_a_resubmission_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    assert_eq!(app.post_multipart(code, form(TEXT, &[]), "en").await.status(), 303);
    let res = app.post_multipart(code, form(TEXT, &[("p.jpg", b"this is not a picture at all")]), "ru").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("нужен файл JPEG, PNG или WebP"), "{html}");
    assert!(html.contains("The handle came loose"), "the form keeps the text");
    // A real picture after a bogus one is refused as well: every photo is checked.
    let good = jpeg(20, 20);
    let res = app.post_multipart(code, form(TEXT, &[("a.jpg", &good), ("p.jpg", b"GIF89a nope")]), "en").await;
    assert_eq!(res.status(), 422);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 1, "only the first submission");
    assert!(reports[0]["photos"].as_array().unwrap().is_empty());
    assert!(!app.settings.data_dir.join("photos").exists(), "no photo file written");
}
