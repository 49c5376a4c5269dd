//! Themes and rising phrases of a line: comments submitted through the real feedback form (this
//! week) over a baseline written straight through the report writer (weeks ago, which a form
//! cannot stamp), read back as JSON and on the line page.

use time::{Duration, OffsetDateTime};

use crate::helpers::{TestApp, spawn_app_with};

/// Variants of one complaint, with typos and word order, as customers write it.
const HOT: [&str; 12] = [
    "Ручка сильно греется",
    "ручка очень сильно греется",
    "ручка сильно грется",
    "ручька сильно греется",
    "сильно греется ручка!",
    "РУЧКА СИЛЬНО ГРЕЕТСЯ",
    "ручка сильно греется, обожглась",
    "ручка сильно греется на газу",
    "Ручка сильна греется",
    "ручка сильно греется при жарке",
    "ручка cильно греется",
    "ручка сильно греется каждый раз",
];
/// The opposite, which must stay a theme of its own.
const COOL: [&str; 3] = ["ручка не греется", "Ручка совсем не греется, удобно", "ручка не греется даже на газу"];

/// A report with a comment at `at`, through the app's group-commit writer.
async fn old_report(app: &TestApp, manufacturer: uuid::Uuid, line: uuid::Uuid, comment: &str, at: OffsetDateTime) {
    use scanback::domain::{Kind, NewFeedback, Rating};
    let feedback = NewFeedback {
        kind: Kind::Defect,
        rating: Rating::new(2).unwrap(),
        comment: comment.to_owned(),
        email: None,
        lot: None,
        category: None,
        recommend: None,
        usage: None,
        serial: None,
    };
    let mut new = scanback::store::reports::build(
        uuid::Uuid::now_v7(),
        manufacturer,
        line,
        &feedback,
        scanback::domain::Locale::DEFAULT,
        None,
        Vec::new(),
    );
    new.report.created_at = sea_orm::ActiveValue::Set(at);
    new.fact.created_at = at;
    app.state.app.reports.write(new).await.unwrap();
}

#[tokio::test]
async fn similar_comments_are_one_theme_and_a_new_complaint_rises_in_json_and_on_the_line_page() {
    let app = spawn_app_with(|s| {
        s.submit_burst = 200;
        s.submit_per_minute = 200;
    })
    .await;
    let (m, line) = app.manufacturer_with_line("Сковорода").await;
    let (line_id, code) = (line["id"].as_str().unwrap().to_owned(), line["code"].as_str().unwrap().to_owned());
    let line_uuid: uuid::Uuid = line_id.parse().unwrap();

    // The baseline: coating and lid complaints, 8 to 27 days ago, and no word of the handle.
    let now = OffsetDateTime::now_utc();
    for i in 0..20 {
        let text = if i % 2 == 0 { "покрытие облезло" } else { "the lid cracked" };
        old_report(&app, m.manufacturer_id, line_uuid, text, now - Duration::days(8 + i)).await;
    }
    // This week, through the form.
    for (i, comment) in HOT.iter().chain(&COOL).chain(&["the lid cracked", "доставка задержалась"]).enumerate()
    {
        let rating = (i % 5 + 1).to_string();
        let res =
            app.post_feedback(&code, &[("kind", "defect"), ("rating", rating.as_str()), ("comment", comment)]).await;
        assert_eq!(res.status(), 303, "{comment}");
    }

    let (status, t) = app.get_json(&m.api_token, &format!("/api/v1/product-lines/{line_id}/themes")).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["comments"], 37, "{t}");
    assert_eq!(t["capped"], false);
    let themes = t["themes"].as_array().unwrap();
    let labels: Vec<&str> = themes.iter().map(|x| x["label"].as_str().unwrap()).collect();
    let theme =
        |label: &str| themes.iter().find(|x| x["label"] == label).unwrap_or_else(|| panic!("{label}: {labels:?}"));
    let hot = theme("ручка сильно греется");
    assert_eq!(hot["count"], 12, "{hot}");
    assert_eq!(theme("ручка не греется")["count"], 3);
    assert_eq!(theme("покрытие облезло")["count"], 10);
    assert_eq!(theme("lid cracked")["count"], 11);
    // Largest first; the single delivery comment is no theme.
    let counts: Vec<i64> = themes.iter().map(|x| x["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, [12, 11, 10, 3], "{labels:?}");
    // Examples are real reports of the theme, the most central first.
    let reports = app.reports(&m.api_token, &line_id).await;
    let examples = hot["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 3);
    for e in examples {
        let r = reports.iter().find(|r| r["id"] == e["report_id"]).expect("an example names a report of the line");
        assert_eq!(r["comment"], e["excerpt"]);
        assert!(HOT.contains(&e["excerpt"].as_str().unwrap()), "{e}");
    }

    // Rising: the handle is new this week; the lid and the coating are not rising.
    let rising = &t["rising"];
    assert_eq!((rising["comments"].as_i64(), rising["baseline_comments"].as_i64()), (Some(17), Some(20)), "{rising}");
    let terms = rising["terms"].as_array().unwrap();
    // "ручка" is in 14 comments: 12 hot and 3 cool handles, less one "ручька".
    let top = &terms[0];
    assert_eq!(top["phrase"], "ручка", "{rising}");
    assert_eq!((top["comments"].as_i64(), top["baseline_comments"].as_i64()), (Some(14), Some(0)), "{rising}");
    assert!(top["score"].as_f64().unwrap() >= 6.63);
    let phrases: Vec<&str> = terms.iter().map(|x| x["phrase"].as_str().unwrap()).collect();
    assert!(phrases.contains(&"греется"), "{phrases:?}");
    assert!(!phrases.iter().any(|p| p.contains("lid") || p.contains("покрытие")), "{phrases:?}");

    // The line page shows the same, linking the examples to their reports.
    let (status, page) = app.dashboard(&m.api_token, &format!("/dashboard/lines/{line_id}"), "ru").await;
    assert_eq!(status, 200);
    let section = section(&page, "themes");
    assert!(section.contains("<strong>ручка сильно греется</strong> · 12 отзывов"), "{section}");
    assert!(section.contains("<strong>ручка не греется</strong> · 3 отзыва"), "{section}");
    for e in examples {
        assert!(section.contains(&format!("href=\"/dashboard/reports/{}\"", e["report_id"].as_str().unwrap())));
    }
    assert!(section.contains("Слова и фразы, которых стало больше"));
    assert!(section.contains(&format!("<th scope=\"row\">{}</th>", top["phrase"].as_str().unwrap())), "{section}");

    // Another manufacturer's token does not see the line.
    let other = app.create_manufacturer("Other").await;
    let (status, _) = app.get_json(&other.api_token, &format!("/api/v1/product-lines/{line_id}/themes")).await;
    assert_eq!(status, 404);
    // A period the picker knows; an unknown one is refused.
    let (status, t) = app.get_json(&m.api_token, &format!("/api/v1/product-lines/{line_id}/themes?period=7d")).await;
    assert_eq!(status, 200);
    assert_eq!(t["comments"], 17, "the baseline is older than 7 days");
    let (status, _) = app.get_json(&m.api_token, &format!("/api/v1/product-lines/{line_id}/themes?period=5d")).await;
    assert_eq!(status, 422);
    // An empty value is a mistake, not the default (schemathesis sent `period=&until=`).
    let (status, body) =
        app.get_json(&m.api_token, &format!("/api/v1/product-lines/{line_id}/themes?period=&until=")).await;
    assert_eq!((status, &body["error"]["field"]), (422, &serde_json::json!("period")), "{body}");
}

/// The `<section id="{id}" ...>...</section>` of a page.
pub(crate) fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let len = page[start..].find("</section>").unwrap();
    &page[start..start + len]
}

#[tokio::test]
async fn a_daily_digest_names_the_phrases_rising_this_week_against_the_four_before() {
    use crate::digest::{put_json, run_at, subscription};
    let app = spawn_app_with(|_| {}).await;
    let (m, line) = app.manufacturer_with_line("Сковорода").await;
    let line_uuid: uuid::Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let (status, _) =
        put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "UTC", "en")).await;
    assert_eq!(status, 200);
    // The digest of 2027-03-10 08:00 UTC: its week is from 03-03 08:00, the four weeks before it
    // from 02-03. The baseline speaks of the coating and the lid; this week of the hot handle, some
    // of it in the digest's own day (a day alone would be too few comments to judge).
    let end = time::macros::datetime!(2027-03-10 08:00 UTC);
    for i in 0..20 {
        let text = if i % 2 == 0 { "покрытие облезло" } else { "the lid cracked" };
        old_report(&app, m.manufacturer_id, line_uuid, text, end - Duration::days(8 + i)).await;
    }
    for (i, text) in HOT.iter().take(8).enumerate() {
        old_report(&app, m.manufacturer_id, line_uuid, text, end - Duration::hours(6 + 18 * i as i64)).await;
    }
    old_report(&app, m.manufacturer_id, line_uuid, "покрытие облезло", end - Duration::hours(30)).await;
    run_at(&app, "2027-03-10T08:00:00Z");
    let mail = app
        .mail
        .received()
        .into_iter()
        .find(|x| x.header("X-Scanback-Period").as_deref() == Some("daily:2027-03-10"))
        .expect("the digest");
    let text = mail.part("text/plain").unwrap();
    assert!(text.contains("Rising words"), "{text}");
    let rows: Vec<&str> =
        text.lines().filter(|l| l.starts_with("- Сковорода: “") && l.contains("in the last 7 days")).collect();
    assert!(
        rows.iter().any(|r| r.contains("“ручк") && r.contains(", 0 in the 4 weeks before")),
        "the handle rises: {text}"
    );
    assert!(rows.iter().all(|r| !r.contains("покрыт")), "the old complaint does not rise: {text}");
}
