use std::io::Cursor;

use image::{DynamicImage, ImageFormat};
use reqwest::multipart::{Form, Part};

use crate::helpers::spawn_app;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(
            w,
            h,
            |x, _| if x < w / 2 { image::Rgb([220, 40, 40]) } else { image::Rgb([40, 40, 220]) },
        );
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg).unwrap();
    out
}

/// A JPEG carrying an EXIF block with an orientation (rotate 90°) and a GPS position, as phones write.
fn jpeg_with_exif_gps(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II\x2a\x00\x08\x00\x00\x00");
    // IFD0: Orientation = 6, GPSInfo -> offset 38.
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    tiff.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD: GPSLatitudeRef = "N", GPSLatitude rational triple at offset 56.
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0x02, 0x00, 5, 0, 3, 0, 0, 0, 68, 0, 0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), 68);
    for (num, den) in [(55u32, 1u32), (45, 1), (2112, 100)] {
        tiff.extend_from_slice(&num.to_le_bytes());
        tiff.extend_from_slice(&den.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A tiny PNG whose header claims 60,000 x 60,000 pixels: decoding it would need gigabytes.
pub(crate) fn png_bomb() -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::new_luma8(1, 1).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
    out[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    out[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&out[12..29]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

pub(crate) fn form_with(photos: Vec<(&str, Vec<u8>, &str)>) -> Form {
    let mut form = Form::new().text("kind", "defect").text("rating", "2").text("comment", "See the photo");
    for (name, bytes, mime) in photos {
        form = form.part("photo", Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap());
    }
    form
}

#[tokio::test]
async fn photos_are_stored_upright_without_exif_or_gps() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let original = jpeg_with_exif_gps(400, 200);
    assert!(original.windows(4).any(|w| w == b"Exif"));
    let png = {
        let mut out = Vec::new();
        DynamicImage::new_rgb8(50, 30).write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    };
    let res = app
        .post_multipart(code, form_with(vec![("pan.jpg", original, "image/jpeg"), ("pan.png", png, "image/png")]), "en")
        .await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());

    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 1);
    let photos = reports[0]["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 2);
    let res =
        app.client.get(app.url(photos[0]["url"].as_str().unwrap())).bearer_auth(&m.api_token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let stored = res.bytes().await.unwrap();
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "EXIF removed");
    let img = image::load_from_memory(&stored).unwrap();
    assert_eq!((img.width(), img.height()), (200, 400), "EXIF orientation applied before it was dropped");
    let thumb = app
        .client
        .get(app.url(photos[0]["thumbnail_url"].as_str().unwrap()))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);

    // Photos are the manufacturer's only.
    let other = app.create_manufacturer("Other").await;
    let res =
        app.client.get(app.url(photos[0]["url"].as_str().unwrap())).bearer_auth(&other.api_token).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_and_the_form_keeps_what_was_typed() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let res = app.post_multipart(code, form_with(vec![("bomb.png", png_bomb(), "image/png")]), "en").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("too many pixels"), "{html}");
    assert!(html.contains(">See the photo</textarea>"), "comment kept");
    assert!(html.contains("value=\"defect\" required checked"));
    assert!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.is_empty());
}

#[tokio::test]
async fn files_that_are_not_pictures_too_many_or_too_large_are_explained() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();

    let res = app.post_multipart(code, form_with(vec![("notes.txt", b"just text".to_vec(), "text/plain")]), "ru").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("нужен файл JPEG, PNG или WebP"));

    let four = (0..4).map(|i| (["a.jpg", "b.jpg", "c.jpg", "d.jpg"][i], jpeg(20, 20), "image/jpeg")).collect();
    let res = app.post_multipart(code, form_with(four), "en").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("at most 3 photos"));

    let big = vec![0xFFu8; scanback::photos::MAX_FILE_BYTES + 1];
    let res = app.post_multipart(code, form_with(vec![("big.jpg", big, "image/jpeg")]), "en").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("larger than 10 MB"));

    assert!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.is_empty(), "nothing stored");
}

#[tokio::test]
async fn a_multipart_form_without_photos_is_accepted() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    // Browsers send an empty file part when no photo was chosen.
    let form = form_with(vec![])
        .part("photo", Part::bytes(Vec::new()).file_name("").mime_str("application/octet-stream").unwrap());
    let res = app.post_multipart(code, form, "en").await;
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 1);
    assert!(reports[0]["photos"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn identical_submissions_with_a_photo_racing_each_other_leave_one_report_and_one_set_of_files() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap().to_owned();
    let photo = jpeg(300, 200);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let client = app.client.clone();
        let url = app.url(&format!("/q/{code}"));
        let form = form_with(vec![("pan.jpg", photo.clone(), "image/jpeg")]);
        tasks.push(tokio::spawn(async move { client.post(url).multipart(form).send().await.unwrap().status() }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 303);
    }
    assert_eq!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.len(), 1);
    let mut files = 0;
    let mut stack = vec![app.settings.data_dir.join("photos")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                files += 1;
            }
        }
    }
    assert_eq!(files, 2, "one photo and its thumbnail; the losers' files are removed");
}

/// A real PNG of `side` x `side` black pixels: a few hundred kilobytes that decode to side² x 3 bytes.
fn big_black_png(side: u32) -> Vec<u8> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let pixels = vec![0u8; side as usize * side as usize * 3];
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::NoFilter)
        .write_image(&pixels, side, side, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

#[tokio::test]
async fn three_40_megapixel_pngs_are_refused_in_the_visitors_language_and_nothing_is_stored() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    // The probe's photo bomb: three 6324 x 6324 PNGs, about 0.5 MB in all, 120 MB each decoded.
    let bomb = big_black_png(6324);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let photos = || (0..3).map(|i| (["a.png", "b.png", "c.png"][i], bomb.clone(), "image/png")).collect();
    let res = app.post_multipart(code, form_with(photos()), "ru").await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("слишком много пикселей (можно не больше 25 мегапикселей)"), "{html}");
    assert!(html.contains(">See the photo</textarea>"), "the text is kept");
    let res = app.post_multipart(code, form_with(photos()), "en").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("too many pixels to process (at most 25 megapixels)"));
    assert!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.is_empty());
    assert!(!app.settings.data_dir.join("photos").exists(), "no photo file written");
}
