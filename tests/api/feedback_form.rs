use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_form_offers_categories_per_kind_and_stores_the_chosen_one() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let html = app.get_scan_page(code, Some("ru")).await.text().await.unwrap();
    assert!(html.contains("Покрытие (отслаивается, царапины, пригорает)"));
    assert!(html.contains("<optgroup label=\"Есть дефект или что-то сломалось\">"));
    let html = app.get_scan_page(code, Some("en")).await.text().await.unwrap();
    assert!(html.contains("Handle (loose, broken, gets hot)"));
    assert!(!html.contains("name=\"recommend\""), "the 0-10 question is off by default");

    let res = app
        .post_feedback(code, &[("kind", "defect"), ("category", "handle"), ("rating", "2"), ("usage", "1to6m")])
        .await;
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports[0]["category"], "handle");
    assert_eq!(reports[0]["usage_period"], "1to6m");

    // A category of another kind is refused and the choice is kept.
    let res = app.post_feedback(code, &[("kind", "praise"), ("category", "handle"), ("rating", "5")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("Choose a topic that matches what happened"), "{html}");
    assert!(html.contains("value=\"praise\" required checked"));
}

#[tokio::test]
async fn a_manufacturer_can_change_the_form_and_the_page_follows_at_once() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let id = line["id"].as_str().unwrap();
    // Warm the page cache first: the change must still show.
    assert_eq!(app.get_scan_page(code, Some("en")).await.status(), 200);

    let mut form: serde_json::Value = app
        .client
        .get(app.url(&format!("/api/v1/product-lines/{id}/form")))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    form["ask_recommend"] = json!(true);
    form["categories"]["defect"] =
        json!([{ "key": "rivets", "labels": { "en": "Rivets work loose", "ru": "Расшатались заклёпки" } }]);
    form["lot_hint"] = json!({ "en": "Stamped on the handle, e.g. L2411" });
    let res = app
        .client
        .put(app.url(&format!("/api/v1/product-lines/{id}/form")))
        .bearer_auth(&m.api_token)
        .json(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = app.get_scan_page(code, Some("en")).await.text().await.unwrap();
    assert!(html.contains("Rivets work loose"));
    assert!(html.contains("name=\"recommend\""));
    assert!(html.contains("Stamped on the handle, e.g. L2411"));

    let res = app
        .post_feedback(code, &[("kind", "defect"), ("category", "rivets"), ("rating", "3"), ("recommend", "9")])
        .await;
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, id).await;
    assert_eq!(reports[0]["recommend"], 9);

    form["categories"]["praise"] = json!([]);
    let res = app
        .client
        .put(app.url(&format!("/api/v1/product-lines/{id}/form")))
        .bearer_auth(&m.api_token)
        .json(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let other = app.create_manufacturer("Other").await;
    let res = app
        .client
        .get(app.url(&format!("/api/v1/product-lines/{id}/form")))
        .bearer_auth(&other.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_lot_and_serial_from_the_code_travel_into_the_report() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let res = app
        .client
        .get(app.url(&format!("/q/{code}?lot=L2411&serial=SN0042")))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    let html = res.text().await.unwrap();
    assert!(html.contains("Production lot: <strong>L2411</strong>"), "{html}");
    assert!(html.contains("<input type=\"hidden\" name=\"lot\" value=\"L2411\">"));
    assert!(html.contains("<input type=\"hidden\" name=\"serial\" value=\"SN0042\">"));
    let res =
        app.post_feedback(code, &[("kind", "defect"), ("rating", "1"), ("lot", "L2411"), ("serial", "SN0042")]).await;
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports[0]["lot"], "L2411");
    assert_eq!(reports[0]["serial"], "SN0042");
}

#[tokio::test]
async fn a_serial_the_link_carried_never_traps_the_customer() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let page = |query: &'static str| {
        let req = app.client.get(app.url(&format!("/q/{code}?{query}"))).header("Accept-Language", "en");
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    // GS1 serials may hold more than lots do: what GS1 allows is kept.
    assert!(page("serial=SN%2B1").await.contains("<input type=\"hidden\" name=\"serial\" value=\"SN+1\">"));
    // One it does not allow is left out of the form rather than blocking it.
    assert!(!page("serial=bad%20serial%20%E2%80%94%20x").await.contains("name=\"serial\""));

    let res = app.post_feedback(code, &[("kind", "defect"), ("rating", "1"), ("serial", "no spaces allowed")]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("The serial number from the code could not be read"), "named as the serial, not the lot");
    assert!(!html.contains("name=\"serial\""), "the form sent again goes without it");
    assert!(!html.contains("id=\"lot-error\"") && !html.contains("A lot number has"), "the lot is not blamed");
    let res = app.post_feedback(code, &[("kind", "defect"), ("rating", "1")]).await;
    assert_eq!(res.status(), 303, "the customer can still send");
    let res = app.post_feedback(code, &[("kind", "defect"), ("rating", "2"), ("serial", "SN+1")]).await;
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["serial"], "SN+1");
    // A lot of dots only is refused on the form too (one Lot rule).
    let res = app.post_feedback(code, &[("kind", "defect"), ("rating", "1"), ("lot", "..")]).await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_thank_you_page_and_errors_speak_russian() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Сковорода").await;
    let code = line["code"].as_str().unwrap();
    let res = app
        .client
        .post(app.url(&format!("/q/{code}")))
        .header("Accept-Language", "ru")
        .form(&[("kind", "praise"), ("rating", "5")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.contains("lang=ru"));
    let html = app.client.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Спасибо, ваш отзыв получен"));
    assert!(html.contains("ответа не будет"), "honest: no email, no answer");
    assert!(html.contains("<html lang=\"ru\">"));
}

#[tokio::test]
async fn the_page_shows_the_product_picture_the_manufacturer_uploaded() {
    use std::io::Cursor;
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let id = line["id"].as_str().unwrap();
    let mut png = Vec::new();
    image::DynamicImage::new_rgb8(1200, 600).write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    let res = app
        .client
        .put(app.url(&format!("/api/v1/product-lines/{id}/image")))
        .bearer_auth(&m.api_token)
        .header("Content-Type", "image/png")
        .body(png)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let updated: serde_json::Value = res.json().await.unwrap();
    let image_url = updated["image_url"].as_str().unwrap().to_owned();
    let html = app.get_scan_page(line["code"].as_str().unwrap(), Some("en")).await.text().await.unwrap();
    let path = image_url.trim_start_matches(&app.address);
    assert!(
        html.contains(&format!("<img class=\"pic\" src=\"{path}\" width=\"480\" height=\"240\" alt=\"\">")),
        "{html}"
    );
    let img = app.client.get(&image_url).send().await.unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/jpeg");
    assert!(img.headers()["cache-control"].to_str().unwrap().contains("immutable"));

    let res = app
        .client
        .put(app.url(&format!("/api/v1/product-lines/{id}/image")))
        .bearer_auth(&m.api_token)
        .body("not a picture")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(app.client.get(app.url("/media/lines/..%2F..%2Fetc%2Fpasswd")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_typed_lot_counts_as_the_printed_upper_case_lot() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    assert_eq!(app.post_feedback(code, &[("kind", "defect"), ("rating", "2"), ("lot", "l2411")]).await.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports[0]["lot"], "L2411");
}

#[tokio::test]
async fn text_that_is_not_utf8_comes_back_in_the_form_with_a_clear_message_and_nothing_is_stored() {
    let app = crate::helpers::spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let post = |body: &'static str| {
        app.client
            .post(app.url(&format!("/q/{code}")))
            .header("Accept-Language", "en")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let res = post("kind=defect&rating=2&comment=The+handle+%FF%FE+gets+hot&email=").await.unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Some of the text could not be read"), "{page}");
    assert!(page.contains("The handle \u{FFFD}\u{FFFD} gets hot"), "what could be read is kept");
    assert!(page.contains("value=\"defect\" checked") || page.contains("checked"), "the choices are kept");

    let form = reqwest::multipart::Form::new()
        .text("kind", "defect")
        .text("rating", "2")
        .part("comment", reqwest::multipart::Part::bytes(vec![b'o', b'k', 0xC3, 0x28]));
    let res = app.post_multipart(code, form, "ru").await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Часть текста не удалось прочитать"));
    assert!(app.reports(&m.api_token, line["id"].as_str().unwrap()).await.is_empty(), "nothing stored");

    // A field sent twice (a page with a duplicated input) is still a report, not an error page.
    let res = post("kind=defect&kind=defect&rating=2&comment=Twice").await.unwrap();
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["comment"], "Twice");
}

#[tokio::test]
async fn a_replaced_or_deleted_product_picture_is_gone_from_disk_and_its_url_answers_404() {
    use std::io::Cursor;
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let id = line["id"].as_str().unwrap();
    let url = app.url(&format!("/api/v1/product-lines/{id}/image"));
    let lines_dir = app.settings.data_dir.join("lines");
    let files_on_disk = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&lines_dir)
            .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    let mut urls = Vec::new();
    for shade in [30u8, 200] {
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(300, 200, image::Rgb([shade, 90, 90])))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let res = app.client.put(&url).bearer_auth(&m.api_token).body(png).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await.unwrap();
        urls.push(body["image_url"].as_str().unwrap().to_owned());
    }
    assert_ne!(urls[0], urls[1], "a new picture gets a new URL, so the immutable caching stays right");
    let name = |u: &str| u.rsplit('/').next().unwrap().to_owned();
    assert_eq!(files_on_disk(), vec![name(&urls[1])], "the replaced file is removed");
    assert_eq!(app.client.get(&urls[0]).send().await.unwrap().status(), 404);
    let live = app.client.get(&urls[1]).send().await.unwrap();
    assert_eq!(live.status(), 200);
    assert!(live.headers()["cache-control"].to_str().unwrap().contains("immutable"));

    let res = app.client.delete(&url).bearer_auth(&m.api_token).send().await.unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert!(files_on_disk().is_empty(), "the deleted file is removed");
    assert_eq!(app.client.get(&urls[1]).send().await.unwrap().status(), 404);
    let html = app.get_scan_page(line["code"].as_str().unwrap(), Some("en")).await.text().await.unwrap();
    assert!(!html.contains("class=\"pic\""), "the page no longer shows a picture");
}
