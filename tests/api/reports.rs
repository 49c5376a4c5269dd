use std::collections::{HashMap, HashSet};

use scanback::store::entities::{report, report_photo};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestApp, spawn_app};

#[tokio::test]
async fn reports_are_listed_newest_first_and_exported_as_csv() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let id = line["id"].as_str().unwrap();
    for comment in ["first", "=cmd|' /C calc'!A0", "third, with \"quotes\""] {
        let res = app.post_feedback(code, &[("kind", "other"), ("rating", "3"), ("comment", comment)]).await;
        assert_eq!(res.status(), 303);
    }
    let reports = app.reports(&m.api_token, id).await;
    let comments: Vec<&str> = reports.iter().map(|r| r["comment"].as_str().unwrap()).collect();
    assert_eq!(comments, vec!["third, with \"quotes\"", "=cmd|' /C calc'!A0", "first"]);

    let res = app
        .client
        .get(app.url(&format!("/api/v1/reports?product_line={id}&format=csv")))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].starts_with("id,product_line_id,created_at,kind,category,rating,recommend,usage_period,comment"));
    assert!(rows[1].contains("\"third, with \"\"quotes\"\"\""));
    assert!(rows[2].contains(",'=cmd|' /C calc'!A0,"), "formula defused: {}", rows[2]);
}

#[tokio::test]
async fn reports_of_other_manufacturers_are_never_listed() {
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let res = app.post_feedback(line["code"].as_str().unwrap(), &crate::helpers::valid_form()).await;
    assert_eq!(res.status(), 303);
    let other = app.create_manufacturer("Other").await;
    let res = app.client.get(app.url("/api/v1/reports")).bearer_auth(&other.api_token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let list: Vec<serde_json::Value> = res.json().await.unwrap();
    assert!(list.is_empty());
}

#[tokio::test]
async fn reports_can_be_filtered_and_moved_through_triage() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let id = line["id"].as_str().unwrap();
    for (kind, category, lot) in [("defect", "coating", "L1"), ("defect", "handle", "L2"), ("praise", "design", "L1")] {
        let res =
            app.post_feedback(code, &[("kind", kind), ("category", category), ("rating", "3"), ("lot", lot)]).await;
        assert_eq!(res.status(), 303);
    }
    let get = |q: &str| {
        let req = app.client.get(app.url(&format!("/api/v1/reports?product_line={id}&{q}"))).bearer_auth(&m.api_token);
        async move { req.send().await.unwrap() }
    };
    let count = |res: reqwest::Response| async move { res.json::<Vec<serde_json::Value>>().await.unwrap().len() };
    assert_eq!(count(get("kind=defect").await).await, 2);
    assert_eq!(count(get("kind=defect&lot=L1").await).await, 1);
    assert_eq!(count(get("category=design").await).await, 1);
    assert_eq!(get("kind=nonsense").await.status(), 422);
    assert_eq!(get("status=lost").await.status(), 422);

    let reports = app.reports(&m.api_token, id).await;
    let report_id = reports[0]["id"].as_str().unwrap();
    assert_eq!(reports[0]["status"], "new");
    let patch = |body: serde_json::Value, token: String| {
        let req = app.client.patch(app.url(&format!("/api/v1/reports/{report_id}"))).bearer_auth(token).json(&body);
        async move { req.send().await.unwrap() }
    };
    let res = patch(serde_json::json!({ "status": "in_progress" }), m.api_token.clone()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "in_progress");
    assert_eq!(count(get("status=in_progress").await).await, 1);
    assert_eq!(count(get("status=new").await).await, 2);
    assert_eq!(patch(serde_json::json!({ "status": "deleted" }), m.api_token.clone()).await.status(), 422);
    let other = app.create_manufacturer("Other").await;
    assert_eq!(patch(serde_json::json!({ "status": "resolved" }), other.api_token.clone()).await.status(), 404);
    let res = app
        .client
        .get(app.url(&format!("/api/v1/reports/{report_id}")))
        .bearer_auth(&m.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["status"], "in_progress");
}

// Pagination and export. Reports are inserted straight into the database: the scan page allows a
// burst of 10 submissions per client, and only direct rows can share a `created_at` to the
// microsecond, which is what the tie-breaking on `id` is for.

/// Whole seconds apart with the same six fractional digits: instants whose order does not depend on
/// how a database writes fractions.
fn at(second: i64) -> OffsetDateTime {
    time::macros::datetime!(2026-03-01 10:00:00.654321 UTC) + Duration::seconds(second)
}

fn row(manufacturer: Uuid, line: Uuid, created_at: OffsetDateTime) -> report::ActiveModel {
    report::ActiveModel {
        id: Set(Uuid::new_v4()),
        product_line_id: Set(line),
        manufacturer_id: Set(manufacturer),
        kind: Set("defect".into()),
        rating: Set(3),
        comment: Set(String::new()),
        email: Set(None),
        lot: Set(None),
        locale: Set("en".into()),
        status: Set("new".into()),
        created_at: Set(created_at),
        category: Set(None),
        nps: Set(None),
        usage_period: Set(None),
        serial: Set(None),
        fingerprint: Set(None),
        assignee_id: Set(None),
        comment_folded: Set(String::new()),
        consent_text: Set(None),
        consent_locale: Set(None),
    }
}

/// Inserts the rows (in batches, so a thousand rows are quick) and returns them as the API orders
/// them: newest first, equal instants by id, descending.
async fn insert(app: &TestApp, rows: Vec<report::ActiveModel>) -> Vec<(OffsetDateTime, Uuid)> {
    let mut keys: Vec<(OffsetDateTime, Uuid)> = rows.iter().map(|r| (*r.created_at.as_ref(), *r.id.as_ref())).collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<report::ActiveModel> = rows.by_ref().take(100).collect();
        report::Entity::insert_many(batch).exec(&app.db).await.unwrap();
    }
    keys.sort_by(|a, b| b.cmp(a));
    keys
}

fn line_id(line: &Value) -> Uuid {
    line["id"].as_str().unwrap().parse().unwrap()
}

fn ids(page: &[Value]) -> Vec<Uuid> {
    page.iter().map(|r| r["id"].as_str().unwrap().parse().unwrap()).collect()
}

/// The target of a `Link: <...>; rel="next"` header.
fn next_link(res: &reqwest::Response) -> Option<String> {
    let link = res.headers().get("link")?.to_str().unwrap();
    let (target, rel) = link.strip_prefix('<').and_then(|l| l.split_once('>')).expect("Link is <url>; rel=...");
    assert_eq!(rel.trim(), "; rel=\"next\"", "{link}");
    Some(target.to_owned())
}

async fn get(app: &TestApp, token: &str, url: &str) -> reqwest::Response {
    app.client.get(url).bearer_auth(token).send().await.unwrap()
}

/// Follows `next` from `first` to the end; returns every page's ids and checks that each page with a
/// next one carries the same cursor in `X-Next-Cursor` and in the link, and the last carries neither.
async fn walk(app: &TestApp, token: &str, first: &str) -> Vec<Vec<Uuid>> {
    let mut pages = Vec::new();
    let mut url = Some(first.to_owned());
    while let Some(u) = url.take() {
        let res = get(app, token, &u).await;
        assert_eq!(res.status(), 200, "{u}");
        url = next_link(&res);
        let header = res.headers().get("x-next-cursor").map(|v| v.to_str().unwrap().to_owned());
        match (&url, &header) {
            (Some(next), Some(cursor)) => {
                let linked = url::Url::parse(next).unwrap();
                let linked: HashMap<_, _> = linked.query_pairs().into_owned().collect();
                assert_eq!(linked.get("cursor"), Some(cursor), "{next}");
            }
            (None, None) => {}
            other => panic!("Link and X-Next-Cursor disagree: {other:?}"),
        }
        pages.push(ids(&res.json::<Vec<Value>>().await.unwrap()));
        assert!(pages.len() <= 100, "paging does not end");
    }
    pages
}

#[tokio::test]
async fn a_page_holds_fifty_reports_by_default_and_links_to_the_next_with_the_same_filters() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    let expected = insert(&app, (0..60).map(|i| row(m.manufacturer_id, line, at(i))).collect()).await;

    let res = get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?product_line={line}"))).await;
    assert_eq!(res.status(), 200);
    let next = next_link(&res).expect("a second page is linked");
    let cursor = res.headers()["x-next-cursor"].to_str().unwrap().to_owned();
    let page: Vec<Value> = res.json().await.unwrap();
    let want: Vec<Uuid> = expected.iter().take(50).map(|k| k.1).collect();
    assert_eq!(ids(&page), want, "the 50 newest, newest first");

    assert!(next.starts_with(&format!("{}/api/v1/reports?", app.settings.public_url)), "{next}");
    let query: HashMap<String, String> = url::Url::parse(&next).unwrap().query_pairs().into_owned().collect();
    assert_eq!(query.get("product_line"), Some(&line.to_string()));
    assert_eq!(query.get("cursor"), Some(&cursor));
    assert_eq!(query.get("limit").map(String::as_str), Some("50"));

    let res = get(&app, &m.api_token, &next).await;
    assert!(next_link(&res).is_none(), "the second page is the last");
    assert!(res.headers().get("x-next-cursor").is_none());
    let rest: Vec<Uuid> = expected.iter().skip(50).map(|k| k.1).collect();
    assert_eq!(ids(&res.json::<Vec<Value>>().await.unwrap()), rest);
}

#[tokio::test]
async fn following_next_returns_every_report_exactly_once_newest_first_even_when_timestamps_tie() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    // Groups of up to seven reports share an instant to the microsecond, so pages of three end
    // inside a group; one instant holds a single report.
    let mut rows = Vec::new();
    for (second, size) in [(0, 7), (1, 1), (2, 5), (5, 4), (9, 6)] {
        rows.extend((0..size).map(|_| row(m.manufacturer_id, line, at(second))));
    }
    let expected: Vec<Uuid> = insert(&app, rows).await.into_iter().map(|k| k.1).collect();
    // Someone else's reports at the very same instants are never listed.
    let other = app.create_manufacturer("Other").await;
    let res = app.post_line(&other.api_token, &serde_json::json!({ "name": "Other pan" })).await;
    assert_eq!(res.status(), 201);
    let other_line = line_id(&res.json().await.unwrap());
    insert(&app, (0..5).map(|s| row(other.manufacturer_id, other_line, at(s))).collect()).await;

    for first in [format!("/api/v1/reports?product_line={line}&limit=3"), "/api/v1/reports?limit=3".to_owned()] {
        let pages = walk(&app, &m.api_token, &app.url(&first)).await;
        assert_eq!(pages.len(), expected.len().div_ceil(3), "{first}");
        assert!(pages.iter().all(|p| p.len() == 3 || p.len() == expected.len() % 3), "{first}: {pages:?}");
        let all: Vec<Uuid> = pages.concat();
        assert_eq!(all, expected, "{first}: every report once, newest first, ties by id");
    }
}

#[tokio::test]
async fn a_page_that_ends_exactly_at_the_last_report_links_nowhere() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    insert(&app, (0..4).map(|i| row(m.manufacturer_id, line, at(i))).collect()).await;
    let url = |limit: u32| app.url(&format!("/api/v1/reports?product_line={line}&limit={limit}"));

    let res = get(&app, &m.api_token, &url(4)).await;
    assert!(next_link(&res).is_none(), "four of four: nothing follows");
    assert!(res.headers().get("x-next-cursor").is_none());
    assert_eq!(res.json::<Vec<Value>>().await.unwrap().len(), 4);

    let res = get(&app, &m.api_token, &url(3)).await;
    let next = next_link(&res).expect("three of four: one more page");
    let res = get(&app, &m.api_token, &next).await;
    assert!(next_link(&res).is_none());
    assert_eq!(res.json::<Vec<Value>>().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_page_size_outside_one_to_five_hundred_or_a_forged_cursor_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    insert(&app, vec![row(m.manufacturer_id, line_id(&line), at(0))]).await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("limit=", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor"),
        ("cursor=", "cursor"),
    ] {
        let res = get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?{query}"))).await;
        assert_eq!(res.status(), 422, "{query}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid", "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    for query in ["limit=1", "limit=500", "limit=%20500"] {
        let res = get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?{query}"))).await;
        assert_eq!(res.status(), 200, "{query}");
        assert_eq!(res.json::<Vec<Value>>().await.unwrap().len(), 1, "{query}");
    }
}

#[tokio::test]
async fn filters_hold_on_every_page_the_cursor_leads_to() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    let res = app.post_line(&m.api_token, &serde_json::json!({ "name": "Lid" })).await;
    let lid = line_id(&res.json().await.unwrap());
    let mut rows = Vec::new();
    for i in 0..40i64 {
        let mut r = row(m.manufacturer_id, if i % 5 == 0 { lid } else { line }, at(i / 2));
        r.kind = Set(if i % 3 == 0 { "praise" } else { "defect" }.into());
        r.lot = Set(Some(if i % 2 == 0 { "L 1" } else { "L2" }.into()));
        r.category = Set(Some("coating".into()));
        r.status = Set(if i % 7 == 0 { "resolved" } else { "new" }.into());
        rows.push(r);
    }
    // Read back as the API orders them, then select what the filters select.
    let keys = insert(&app, rows.clone()).await;
    let by_id: HashMap<Uuid, &report::ActiveModel> = rows.iter().map(|r| (*r.id.as_ref(), r)).collect();
    let (since, until) = (at(3), at(17));
    let expected: Vec<Uuid> = keys
        .iter()
        .filter(|(created, id)| {
            let r = by_id[id];
            *r.product_line_id.as_ref() == line
                && r.kind.as_ref() == "defect"
                && r.lot.as_ref().as_deref() == Some("L 1")
                && r.status.as_ref() == "new"
                && *created >= since
                && *created < until
        })
        .map(|k| k.1)
        .collect();
    assert!(expected.len() > 4, "the filters leave several pages of two: {}", expected.len());

    let mut first = url::Url::parse(&app.url("/api/v1/reports")).unwrap();
    first
        .query_pairs_mut()
        .append_pair("product_line", &line.to_string())
        .append_pair("kind", "defect")
        .append_pair("lot", "L 1")
        .append_pair("category", "coating")
        .append_pair("status", "new")
        // An offset other than Z: the link must carry the same instant, `+` and all.
        .append_pair("since", "2026-03-01T13:00:03.654321+03:00")
        .append_pair("until", &until.format(&time::format_description::well_known::Rfc3339).unwrap())
        .append_pair("limit", "2");
    let pages = walk(&app, &m.api_token, first.as_str()).await;
    assert_eq!(pages.concat(), expected);
    assert!(pages.len() >= 3, "{pages:?}");

    // A cursor does not open another manufacturer's line.
    let res = get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?product_line={line}&limit=1"))).await;
    let cursor = res.headers()["x-next-cursor"].to_str().unwrap().to_owned();
    let other = app.create_manufacturer("Other").await;
    let res =
        get(&app, &other.api_token, &app.url(&format!("/api/v1/reports?product_line={line}&cursor={cursor}"))).await;
    assert_eq!(res.status(), 404);
    let res = get(&app, &other.api_token, &app.url(&format!("/api/v1/reports?cursor={cursor}"))).await;
    assert_eq!(res.status(), 200);
    assert!(res.json::<Vec<Value>>().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_csv_export_streams_every_matching_row_however_many_pages_they_fill() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    // 1,200 rows in groups of seven equal instants, so the export's internal chunks end inside a
    // group too; another line's rows stay out.
    let expected: Vec<Uuid> = insert(&app, (0..1200).map(|i| row(m.manufacturer_id, line, at(i / 7))).collect())
        .await
        .into_iter()
        .map(|k| k.1)
        .collect();
    let res = app.post_line(&m.api_token, &serde_json::json!({ "name": "Lid" })).await;
    let lid = line_id(&res.json().await.unwrap());
    insert(&app, (0..30).map(|i| row(m.manufacturer_id, lid, at(i))).collect()).await;

    // `limit` and `cursor` do not cut an export.
    let cursor = scanback::domain::Cursor::new(at(100), Uuid::nil()).encode();
    for query in [String::new(), "&limit=10".to_owned(), format!("&cursor={cursor}")] {
        let url = app.url(&format!("/api/v1/reports?product_line={line}&format=csv{query}"));
        let res = get(&app, &m.api_token, &url).await;
        assert_eq!(res.status(), 200, "{query}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert_eq!(res.headers()["content-disposition"], "attachment; filename=\"reports.csv\"");
        assert!(res.headers().get("content-length").is_none(), "streamed, not buffered: {:?}", res.headers());
        let csv = res.text().await.unwrap();
        assert!(csv.ends_with("\r\n"), "the file is complete");
        let mut lines = csv.split("\r\n").filter(|l| !l.is_empty());
        assert_eq!(
            lines.next(),
            Some(
                "id,product_line_id,created_at,kind,category,rating,recommend,usage_period,comment,email,lot,serial,locale,status"
            )
        );
        let got: Vec<Uuid> = lines.map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
        assert_eq!(got.len(), 1200, "{query}");
        assert_eq!(got.iter().collect::<HashSet<_>>().len(), 1200, "{query}: no duplicates");
        assert_eq!(got, expected, "{query}: newest first");
    }
}

#[tokio::test]
async fn a_csv_export_that_fails_part_way_is_cut_short_instead_of_looking_complete() {
    let app = spawn_app().await;
    if app.settings.database_url.starts_with("postgres") {
        // The failure below is a row SQLite stores and cannot read back; PostgreSQL refuses to
        // store it in the first place.
        return;
    }
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    let keys = insert(&app, (0..1100).map(|i| row(m.manufacturer_id, line, at(i))).collect()).await;
    // The oldest row gets a `created_at` nobody can parse: the first chunk (read before the response
    // starts) is fine, the second one fails while the body streams.
    let oldest = keys.last().unwrap().1;
    report::Entity::update_many()
        .col_expr(report::Column::CreatedAt, sea_orm::sea_query::Expr::value("1999-99-99 broken"))
        .filter(report::Column::Id.eq(oldest))
        .exec(&app.db)
        .await
        .unwrap();

    let res = get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?product_line={line}&format=csv"))).await;
    assert_eq!(res.status(), 200, "the first chunk was fine");
    match res.text().await {
        Err(e) => assert!(e.is_body() || e.is_decode(), "{e:?}"),
        Ok(csv) => panic!("a failed export looked complete ({} lines)", csv.lines().count()),
    }
    // The server carries on.
    let res = get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?product_line={line}&limit=1"))).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn photos_stay_with_their_own_reports_on_every_page() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    let keys = insert(&app, (0..12).map(|i| row(m.manufacturer_id, line, at(i / 2))).collect()).await;
    // Every report but every third gets photos, as many as its place in the list modulo 3; widths
    // say whose photo it is. Inserted last position first, to show they come back in order.
    let mut photos = Vec::new();
    let mut want: HashMap<Uuid, Vec<(i64, i64)>> = HashMap::new();
    for (n, (created_at, id)) in keys.iter().enumerate() {
        for position in (0..(n % 3) as i16).rev() {
            let width = 100 * n as i32 + i32::from(position);
            photos.push(report_photo::ActiveModel {
                id: Set(Uuid::new_v4()),
                report_id: Set(*id),
                position: Set(position),
                path: Set(format!("photos/{id}-{position}.jpg")),
                thumb_path: Set(format!("photos/{id}-{position}-thumb.jpg")),
                width: Set(width),
                height: Set(7),
                bytes: Set(1),
                created_at: Set(*created_at),
            });
            want.entry(*id).or_default().insert(0, (i64::from(position), i64::from(width)));
        }
    }
    report_photo::Entity::insert_many(photos).exec(&app.db).await.unwrap();

    let mut seen = 0;
    let mut url = Some(app.url(&format!("/api/v1/reports?product_line={line}&limit=5")));
    while let Some(u) = url.take() {
        let res = get(&app, &m.api_token, &u).await;
        url = next_link(&res);
        for r in res.json::<Vec<Value>>().await.unwrap() {
            let id: Uuid = r["id"].as_str().unwrap().parse().unwrap();
            let got: Vec<(i64, i64)> = r["photos"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let url = p["url"].as_str().unwrap();
                    assert!(url.starts_with(&format!("/api/v1/reports/{id}/photos/")), "{url}");
                    (url.rsplit('/').next().unwrap().parse().unwrap(), p["width"].as_i64().unwrap())
                })
                .collect();
            assert_eq!(got, want.get(&id).cloned().unwrap_or_default(), "photos of {id}");
            seen += 1;
        }
    }
    assert_eq!(seen, 12);
}

#[tokio::test]
async fn text_and_email_filters_hold_on_every_page_and_in_the_export() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line = line_id(&line);
    let mut rows = Vec::new();
    for i in 0..30i64 {
        let mut r = row(m.manufacturer_id, line, at(i));
        let comment = if i % 3 == 0 {
            format!("Покрытие ОТСЛАИВАЕТСЯ, case {i}")
        } else {
            format!("handle loose {i}")
        };
        r.comment_folded = Set(scanback::store::reports::fold(&comment));
        r.comment = Set(comment);
        if i % 2 == 0 {
            r.email = Set(Some(format!("c{i}@example.com")));
        }
        rows.push(r);
    }
    let keys = insert(&app, rows.clone()).await;
    let by_id: HashMap<Uuid, &report::ActiveModel> = rows.iter().map(|r| (*r.id.as_ref(), r)).collect();
    let expected: Vec<Uuid> = keys
        .iter()
        .map(|k| k.1)
        .filter(|id| by_id[id].comment.as_ref().contains("ОТСЛАИВАЕТСЯ") && by_id[id].email.as_ref().is_some())
        .collect();
    assert_eq!(expected.len(), 5);

    let mut first = url::Url::parse(&app.url("/api/v1/reports")).unwrap();
    first
        .query_pairs_mut()
        .append_pair("product_line", &line.to_string())
        .append_pair("q", "отслаивается")
        .append_pair("has_email", "true")
        .append_pair("limit", "2");
    let pages = walk(&app, &m.api_token, first.as_str()).await;
    assert_eq!(pages.concat(), expected, "case-insensitive in Cyrillic, on every page");

    let res =
        get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?product_line={line}&has_email=false&limit=500")))
            .await;
    let without: Vec<Value> = res.json().await.unwrap();
    assert_eq!(without.len(), 15);
    assert!(without.iter().all(|r| r["email"].is_null()));

    let res = get(
        &app,
        &m.api_token,
        &app.url(&format!("/api/v1/reports?product_line={line}&q=%D0%BE%D1%82%D1%81%D0%BB%D0%B0%D0%B8%D0%B2%D0%B0%D0%B5%D1%82%D1%81%D1%8F&has_email=true&format=csv")),
    )
    .await;
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + expected.len(), "{csv}");

    for (query, field) in [("has_email=maybe", "has_email"), (&*format!("q={}", "x".repeat(201)), "q")] {
        let res = get(&app, &m.api_token, &app.url(&format!("/api/v1/reports?{query}"))).await;
        assert_eq!(res.status(), 422, "{query}");
        assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], field);
    }
}
