//! Checks of SECURITY.md that no feature test already makes: session fixation and sign-in CSRF,
//! path traversal on every route that serves files, polyglot uploads and an image bomb for the
//! product picture.

use std::io::Cursor;

use reqwest::multipart::Part;

use crate::accounts::{browser, csrf_of, get_page, sign_in};
use crate::helpers::spawn_app;

#[tokio::test]
async fn signing_in_always_issues_a_new_session_id_so_a_planted_cookie_is_useless() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    // An attacker plants a session id of their choosing, and then a real one of their own account.
    let intruder = app.create_manufacturer("Intruder").await;
    let (planted_real, _) = app.session_for(&intruder.api_token, "owner", "en").await;
    for planted in ["scanback_session=attacker-chosen-value-123".to_owned(), planted_real.clone()] {
        let client = browser();
        let (_, page) = get_page(&app, &client, "/login").await;
        let csrf = csrf_of(&page);
        let form_cookie = "scanback_form=".to_owned() + &csrf;
        let res = client
            .post(app.url("/login"))
            .header("Cookie", format!("{planted}; {form_cookie}"))
            .form(&[
                ("email", m.owner_email.as_str()),
                ("password", m.owner_password.as_str()),
                ("csrf_token", csrf.as_str()),
                ("next", "/dashboard"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let issued = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.strip_prefix("scanback_session="))
            .map(|c| c.split(';').next().unwrap().to_owned())
            .expect("sign-in sets a new session cookie");
        assert_ne!(format!("scanback_session={issued}"), planted, "the planted id is never adopted");
        // The planted id does not become the victim's session.
        let res = app.client.get(app.url("/dashboard")).header("Cookie", planted.clone()).send().await.unwrap();
        let body = res.text().await.unwrap();
        assert!(!body.contains(&m.owner_email), "the planted cookie does not see the victim's workspace");
        let res = app
            .client
            .get(app.url("/dashboard"))
            .header("Cookie", format!("scanback_session={issued}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains(&m.owner_email));
    }
    // Signing in again issues yet another id: two sign-ins never share one.
    let client = browser();
    let first = sign_in(&app, &client, &m.owner_email, &m.owner_password).await;
    let second = sign_in(&app, &client, &m.owner_email, &m.owner_password).await;
    let id = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("scanback_session="))
            .map(str::to_owned)
    };
    assert_ne!(id(&first), id(&second));
}

#[tokio::test]
async fn the_sign_in_form_needs_its_own_cookie_and_our_origin() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let fields = |csrf: &str| {
        vec![
            ("email", m.owner_email.clone()),
            ("password", m.owner_password.clone()),
            ("csrf_token", csrf.to_owned()),
            ("next", "/dashboard".to_owned()),
        ]
    };
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    // Login CSRF: a form posted from elsewhere has no form cookie, or a token that is not its own.
    let res = no_redirects.post(app.url("/login")).form(&fields("guessed")).send().await.unwrap();
    assert_eq!(res.status(), 403, "no form cookie");
    let res = no_redirects
        .post(app.url("/login"))
        .header("Cookie", "scanback_form=one-value")
        .form(&fields("another-value"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "token and cookie differ");
    let res = no_redirects
        .post(app.url("/login"))
        .header("Cookie", "scanback_form=same-value")
        .header("Sec-Fetch-Site", "cross-site")
        .form(&fields("same-value"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "from another site");
    let res = no_redirects
        .post(app.url("/login"))
        .header("Cookie", "scanback_form=same-value")
        .header("Origin", "https://evil.example")
        .form(&fields("same-value"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "another origin");
    assert!(res.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("scanback_session=")));
}

/// Every route that answers with file bytes, with traversal attempts in each of its segments.
#[tokio::test]
async fn path_traversal_on_every_route_that_serves_files_answers_404_and_reads_nothing_outside() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id = line["id"].as_str().unwrap();
    // A file next to the data directory that no URL may reach, and one inside it that is not public.
    let outside = app.settings.data_dir.parent().unwrap().join("outside-secret.jpg");
    std::fs::write(&outside, b"OUTSIDE-SECRET").unwrap();
    std::fs::create_dir_all(app.settings.data_dir.join("lines")).unwrap();
    std::fs::write(app.settings.data_dir.join("inside-secret.jpg"), b"INSIDE-SECRET").unwrap();
    let res = app
        .post_multipart(
            line["code"].as_str().unwrap(),
            crate::photos::form_with(vec![("p.jpg", jpeg(), "image/jpeg")]),
            "en",
        )
        .await;
    assert_eq!(res.status(), 303);
    let stored = &app.reports(&m.api_token, line_id).await[0];
    let report = stored["id"].as_str().unwrap().to_owned();
    let photo_url = stored["photos"][0]["url"].as_str().unwrap().to_owned();
    let share: serde_json::Value = app
        .client
        .post(app.url("/api/v1/print-shares"))
        .bearer_auth(&m.api_token)
        .json(&serde_json::json!({ "product_lines": [line_id] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let share = share["token"].as_str().unwrap().to_owned();
    let (cookie, _) = app.session_for(&m.api_token, "owner", "en").await;
    let attacks = [
        "..%2F..%2Foutside-secret.jpg",
        "..%2Finside-secret.jpg",
        "%2e%2e%2f%2e%2e%2foutside-secret.jpg",
        "..%5C..%5Coutside-secret.jpg",
        "....%2F%2F....%2F%2Foutside-secret.jpg",
        "%2Fetc%2Fpasswd",
        "..%252F..%252Foutside-secret.jpg",
        "inside-secret.jpg%00.jpg",
        "%C0%AE%C0%AE%2Foutside-secret.jpg",
        "0000-..%2F..%2Foutside-secret.jpg",
    ];
    let templates = [
        "/media/lines/{}".to_owned(),
        format!("/api/v1/reports/{report}/photos/{{}}"),
        format!("/dashboard/reports/{report}/photos/{{}}"),
        format!("/photos/{}/{report}/{{}}?sig=x", m.manufacturer_id),
        format!("/print/{share}/preview/{{}}"),
        format!("/print/{share}/{{}}"),
        "/print/{}/bundle.zip".to_owned(),
        "/static/{}".to_owned(),
        "/r/{}".to_owned(),
    ];
    let mut tried = 0;
    for template in &templates {
        for attack in attacks {
            let url = app.url(&template.replace("{}", attack));
            let res =
                app.client.get(&url).bearer_auth(&m.api_token).header("Cookie", cookie.clone()).send().await.unwrap();
            let status = res.status().as_u16();
            let body = res.bytes().await.unwrap();
            let text = String::from_utf8_lossy(&body);
            assert!(
                matches!(status, 400 | 404 | 422),
                "{url}: answered {status}, not a refusal: {}",
                text.chars().take(200).collect::<String>()
            );
            assert!(!text.contains("SECRET") && !text.contains("root:"), "{url} read a file: {text}");
            tried += 1;
        }
    }
    assert_eq!(tried, templates.len() * attacks.len());
    // The real files still answer, so the routes were the right ones.
    let res = app.client.get(app.url(&photo_url)).bearer_auth(&m.api_token).send().await.unwrap();
    assert_eq!(res.status(), 200, "{photo_url}");
}

fn jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 30, image::Rgb([200, 40, 40])))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

/// A real PNG with HTML and a ZIP appended: browsers that sniff, or tools that read from the end,
/// would see markup or an archive. What is stored and served is our own re-encoded JPEG.
fn polyglot() -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(40, 30, image::Rgb([10, 120, 200])))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out.extend_from_slice(b"<html><script>alert('polyglot')</script></html>");
    out.extend_from_slice(b"PK\x03\x04payload.txtPOLYGLOT-ZIP");
    out
}

#[tokio::test]
async fn polyglot_uploads_are_stored_as_clean_re_encoded_pictures_and_bombs_are_refused() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id = line["id"].as_str().unwrap();
    // A customer photo: HTML named .jpg is refused; the PNG polyglot is accepted as a picture.
    let html_as_jpeg = b"<html><script>alert(1)</script></html>".to_vec();
    let res = app
        .post_multipart(
            line["code"].as_str().unwrap(),
            crate::photos::form_with(vec![("p.jpg", html_as_jpeg, "image/jpeg")]),
            "en",
        )
        .await;
    assert_eq!(res.status(), 422);
    let form = reqwest::multipart::Form::new()
        .text("kind", "defect")
        .text("rating", "2")
        .text("comment", "polyglot")
        .part("photo", Part::bytes(polyglot()).file_name("x.html").mime_str("text/html").unwrap());
    let res = app.post_multipart(line["code"].as_str().unwrap(), form, "en").await;
    assert_eq!(res.status(), 303);
    let photo_url = app.reports(&m.api_token, line_id).await[0]["photos"][0]["url"].as_str().unwrap().to_owned();
    for size in ["", "?size=thumbnail"] {
        let res =
            app.client.get(app.url(&format!("{photo_url}{size}"))).bearer_auth(&m.api_token).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let bytes = res.bytes().await.unwrap();
        assert_eq!(&bytes[..3], b"\xFF\xD8\xFF", "a JPEG of our own");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(!raw.contains("<script") && !raw.contains("POLYGLOT") && !raw.contains("PK\u{3}\u{4}"), "payload gone");
    }
    // The product picture: the same polyglot comes back clean; a bomb is refused.
    let put = |body: Vec<u8>| {
        app.client
            .put(app.url(&format!("/api/v1/product-lines/{line_id}/image")))
            .bearer_auth(&m.api_token)
            .header("Content-Type", "image/png")
            .body(body)
            .send()
    };
    let res = put(crate::photos::png_bomb()).await.unwrap();
    assert_eq!(res.status(), 422, "a decompression bomb as product picture");
    let res = put(polyglot()).await.unwrap();
    assert_eq!(res.status(), 200);
    let updated: serde_json::Value = res.json().await.unwrap();
    let img = app.client.get(updated["image_url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(img.headers()["content-type"], "image/jpeg");
    let bytes = img.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xFF\xD8\xFF");
    assert!(!String::from_utf8_lossy(&bytes).contains("<script"));
}
