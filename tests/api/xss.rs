//! Hostile text is inert wherever it is shown. One payload goes into every free-text field a
//! customer or a member can fill (the manufacturer's and the line's names, the customer's comment,
//! a note, a reply, a token label, a zone's name, an artwork caption) and every surface that
//! shows them is read back: the scan page, the dashboard pages, the CSV export, the print page,
//! the digest mail and the reply mail, SVG and PDF artwork. Each surface must show the text (so the
//! field really reaches it) and never as markup.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

const PAYLOAD: &str = r#"<script>alert(1)</script><img src=x onerror=alert(2)>"'&"#;
/// What would run if the payload were written as markup.
const LIVE: [&str; 3] = ["<script>alert(1)", "<img src=x onerror", "<img src=\"x\" onerror"];

#[track_caller]
fn inert(surface: &str, body: &str) {
    for live in LIVE {
        assert!(!body.contains(live), "{surface}: the payload is live markup ({live}):\n{body}");
    }
    assert!(body.contains("alert(1)"), "{surface}: the field is not shown at all, so this proves nothing:\n{body}");
}

#[tokio::test]
async fn a_script_payload_in_every_field_is_inert_on_every_surface() {
    let app = spawn_app().await;
    // As `scanback manufacturer create --name` would make it (the owner's address stays valid).
    let m = scanback::store::manufacturers::create(
        &app.db,
        &format!("Acme {PAYLOAD}"),
        "owner@acme-xss.test",
        scanback::domain::Locale::DEFAULT,
    )
    .await
    .unwrap();
    let res = app.post_line(&m.api_token, &json!({ "name": format!("Pan {PAYLOAD}") })).await;
    assert_eq!(res.status(), 201, "a name with <, >, quotes and & is a fine name");
    let line: Value = res.json().await.unwrap();
    let (line_id, code) = (line["id"].as_str().unwrap().to_owned(), line["code"].as_str().unwrap().to_owned());

    // The customer: a comment with the payload, and one that a spreadsheet would run.
    // The payload twice (another rating, so not a resubmission): a theme, whose label and examples
    // the line page shows.
    for (comment, rating) in [
        (format!("It broke {PAYLOAD}"), "2"),
        ("=HYPERLINK(\"http://evil.example\",\"x\")".to_owned(), "2"),
        (format!("It broke {PAYLOAD}"), "3"),
    ] {
        let res = app
            .post_feedback(
                &code,
                &[
                    ("kind", "defect"),
                    ("rating", rating),
                    ("comment", comment.as_str()),
                    ("email", "buyer@example.com"),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
    }
    let (_, reports) = app.get_json(&m.api_token, &format!("/api/v1/reports?line={line_id}")).await;
    let report = reports["items"]
        .as_array()
        .or(reports.as_array())
        .unwrap()
        .iter()
        .find(|r| r["comment"].as_str().is_some_and(|c| c.contains("alert(1)")))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Members: a note, a reply to the customer, a token label.
    for (path, field) in [
        (format!("/dashboard/reports/{report}/notes"), "body"),
        (format!("/dashboard/reports/{report}/reply"), "message"),
        ("/dashboard/tokens".to_owned(), "label"),
    ] {
        let res = app.dashboard_post(&m.api_token, "owner", &path, &[(field, &format!("Member {PAYLOAD}"))]).await;
        assert!(res.status().is_redirection() || res.status() == 200, "{path}: {}", res.status());
    }
    let share = app
        .client
        .post(app.url("/api/v1/print-shares"))
        .bearer_auth(&m.api_token)
        .json(&json!({ "product_lines": [line_id], "note": format!("Shop {PAYLOAD}") }))
        .send()
        .await
        .unwrap();
    assert_eq!(share.status(), 201);
    let share: Value = share.json().await.unwrap();

    // The scan page and the thank-you page.
    let page = app.get_scan_page(&code, None).await.text().await.unwrap();
    inert("scan page", &page);
    // A zone's name shows on the zones page, the inbox's zone filter and the overview's KPIs.
    let res = app
        .client
        .post(app.url("/api/v1/zones"))
        .bearer_auth(&m.api_token)
        .json(&json!({ "name": format!("Zone {PAYLOAD}"), "categories": ["defect/coating"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    // The dashboard.
    for path in [
        "/dashboard".to_owned(),
        format!("/dashboard/lines/{line_id}"),
        "/dashboard/reports".to_owned(),
        format!("/dashboard/reports/{report}"),
        "/dashboard/tokens".to_owned(),
        "/dashboard/zones".to_owned(),
    ] {
        let (status, page) = app.dashboard(&m.api_token, &path, "en").await;
        assert_eq!(status, 200, "{path}");
        inert(&path, &page);
    }
    let (_, page) = app.dashboard(&m.api_token, &format!("/dashboard/lines/{line_id}"), "en").await;
    let themes = crate::themes::section(&page, "themes");
    assert!(themes.contains("It broke"), "the payload's theme is shown: {themes}");
    inert("line page themes", themes);
    // The CSV exports: text stays text, and a cell a spreadsheet would evaluate is defused.
    let (status, csv) = app.dashboard(&m.api_token, "/dashboard/reports.csv", "en").await;
    assert_eq!(status, 200);
    assert!(csv.contains("alert(1)"));
    assert!(csv.contains("'=HYPERLINK("), "the formula is defused with a leading quote: {csv}");
    assert!(!csv.contains(",=HYPERLINK(") && !csv.contains("\"=HYPERLINK("), "{csv}");
    let csv = app
        .client
        .get(app.url("/api/v1/reports?format=csv"))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("'=HYPERLINK(") && !csv.contains(",=HYPERLINK("), "{csv}");
    // The print page a print shop opens.
    let page = app.client.get(share["url"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    inert("print page", &page);

    // Artwork: the caption as live SVG text, and in PDF.
    let caption = "Scan <script>alert(1)</script> & \"go\"";
    let svg = app
        .client
        .get(
            url::Url::parse_with_params(
                &app.url(&format!("/api/v1/product-lines/{line_id}/artwork")),
                &[("format", "svg"), ("caption", caption), ("caption_as_text", "true")],
            )
            .unwrap(),
        )
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(svg.status(), 200);
    let svg = svg.text().await.unwrap();
    inert("SVG artwork", &svg);
    assert!(!svg.to_ascii_lowercase().contains("<script") && !svg.contains("<foreignObject"), "{svg}");
    assert!(svg.contains("&lt;script&gt;") || svg.contains("&#60;script&#62;"), "the caption is escaped text: {svg}");
    for format in ["pdf", "spec"] {
        let pdf = app
            .client
            .get(
                url::Url::parse_with_params(
                    &app.url(&format!("/api/v1/product-lines/{line_id}/artwork")),
                    &[("format", format), ("caption", caption)],
                )
                .unwrap(),
            )
            .bearer_auth(&m.api_token)
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200, "{format}");
        let bytes = pdf.bytes().await.unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        for action in ["/JavaScript", "/JS ", "/JS(", "/OpenAction", "/Launch", "/AA", "/URI"] {
            assert!(!raw.contains(action), "{format}: the PDF carries an action {action}");
        }
    }

    // Mails: the reply the customer got, and a digest with the comment and the names.
    let reply = crate::accounts::mails(&app, 1).await;
    let reply = reply.iter().find(|m| m.to.contains(&"buyer@example.com".to_owned())).expect("the reply mail");
    if let Some(html) = reply.part("text/html") {
        inert("reply mail (HTML)", &html);
    }
    let (status, _) = crate::digest::put_json(
        &app,
        &m.api_token,
        "/api/v1/me/subscription",
        &crate::digest::subscription("daily", 0, "UTC", "en"),
    )
    .await;
    assert_eq!(status, 200);
    let tomorrow = time::OffsetDateTime::now_utc().date().next_day().unwrap();
    crate::digest::run_at(&app, &format!("{tomorrow}T00:00:00Z"));
    let mut digest = None;
    for _ in 0..100 {
        digest = app.mail.received().into_iter().find(|m| m.header("X-Scanback-Period").is_some());
        if digest.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let digest = digest.expect("a digest mail");
    inert("digest mail (HTML)", &digest.part("text/html").unwrap());
    assert!(!digest.subject().contains('\n'));
}
