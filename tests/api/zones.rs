//! Responsibility zones through HTTP: owners manage them with refusals that name the field; reports
//! are routed by their category, or by their suggestion when they have none, on the zone's lines;
//! the API and the inbox filter by zone (a member of one zone sees it by default); the KPIs match a
//! week computed by hand; the first response is stamped by the first reply or status change.

use scanback::domain::Kind;
use scanback::store::entities::report;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{ReportSpec, TestApp, spawn_app};
use crate::members::add_member;

async fn post_zone(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    let res = app.client.post(app.url("/api/v1/zones")).bearer_auth(token).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

async fn patch_zone(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    let res =
        app.client.patch(app.url(&format!("/api/v1/zones/{id}"))).bearer_auth(token).json(&body).send().await.unwrap();
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null))
}

/// Freezes a report's suggestion (the classifier job skips reports it has looked at).
async fn suggest(app: &TestApp, id: Uuid, category: Option<&str>) {
    report::Entity::update_many()
        .col_expr(report::Column::SuggestedCategory, Expr::value(category.map(str::to_owned)))
        .col_expr(report::Column::SuggestionPermille, Expr::value(category.map(|_| 900)))
        .col_expr(report::Column::SuggestedAt, Expr::value(scanback::store::now()))
        .filter(report::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

fn ids(list: &Value) -> Vec<String> {
    let mut out: Vec<String> = list.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    out.sort();
    out
}

#[tokio::test]
async fn owners_create_change_and_delete_zones_and_every_refusal_names_its_field() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line_id = line["id"].as_str().unwrap();
    let member = add_member(&app, m.manufacturer_id, "qa@acme.test", "editor").await;

    let (status, zone) = post_zone(
        &app,
        &m.api_token,
        json!({"name": "  Coatings QA ", "categories": ["defect/coating", "defect/heat", "defect/coating"], "members": [member]}),
    )
    .await;
    assert_eq!(status, 201, "{zone}");
    assert_eq!(zone["name"], "Coatings QA");
    assert_eq!(zone["categories"], json!(["defect/coating", "defect/heat"]));
    assert_eq!(zone["product_lines"], Value::Null);
    assert_eq!(zone["members"], json!([member]));
    assert_eq!(zone["response_target_days"], 2, "two working days unless the manufacturer says otherwise");
    let id = zone["id"].as_str().unwrap().to_owned();

    let (status, changed) =
        patch_zone(&app, &m.api_token, &id, json!({"response_target_days": 3, "product_lines": [line_id]})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["response_target_days"], 3);
    assert_eq!(changed["product_lines"], json!([line_id]));
    assert_eq!(changed["name"], "Coatings QA", "fields not named stay");
    assert_eq!(changed["members"], json!([member]));
    let (_, listed) = app.get_json(&m.api_token, "/api/v1/zones").await;
    assert_eq!(listed["zones"].as_array().unwrap().len(), 1);
    assert_eq!(listed["zones"][0]["response_target_days"], 3);

    let other = app.create_manufacturer("Other Pans").await;
    let (_, their_line) = {
        let res = app.post_line(&other.api_token, &json!({"name": "Their pan"})).await;
        (res.status(), res.json::<Value>().await.unwrap())
    };
    let stranger = add_member(&app, other.manufacturer_id, "stranger@other.test", "owner").await;
    let refusals = [
        (json!({"categories": ["defect/coating"]}), "name"),
        (json!({"name": "", "categories": ["defect/coating"]}), "name"),
        (json!({"name": "QA\u{202E}", "categories": ["defect/coating"]}), "name"),
        (json!({"name": "Coatings QA", "categories": ["defect/handle"]}), "name"),
        (json!({"name": "X"}), "categories"),
        (json!({"name": "X", "categories": []}), "categories"),
        (json!({"name": "X", "categories": ["coating"]}), "categories"),
        (json!({"name": "X", "categories": ["defect/no-such"]}), "categories"),
        (json!({"name": "X", "categories": ["defect/coating"], "product_lines": []}), "product_lines"),
        (json!({"name": "X", "categories": ["defect/coating"], "product_lines": [their_line["id"]]}), "product_lines"),
        (json!({"name": "X", "categories": ["defect/coating"], "members": [stranger]}), "members"),
        (json!({"name": "X", "categories": ["defect/coating"], "members": ["nope"]}), "members"),
        (json!({"name": "X", "categories": ["defect/coating"], "response_target_days": 0}), "response_target_days"),
        (json!({"name": "X", "categories": ["defect/coating"], "response_target_days": "2"}), "response_target_days"),
        (json!({"name": "X", "categories": ["defect/coating"], "owner": "me"}), "body"),
    ];
    for (body, field) in refusals {
        let (status, err) = post_zone(&app, &m.api_token, body.clone()).await;
        assert_eq!(status, 422, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }
    let (_, listed) = app.get_json(&m.api_token, "/api/v1/zones").await;
    assert_eq!(listed["zones"].as_array().unwrap().len(), 1, "nothing refused was stored");

    // Editors read zones but do not manage them; another manufacturer does not see them.
    let editor_token =
        scanback::store::api_tokens::create(&app.db, m.manufacturer_id, member, "rw", true).await.unwrap().1;
    let (status, _) = post_zone(&app, &editor_token, json!({"name": "Mine", "categories": ["defect/lid"]})).await;
    assert_eq!(status, 403);
    assert_eq!(app.get_json(&editor_token, &format!("/api/v1/zones/{id}")).await.0, 200);
    assert_eq!(app.get_json(&other.api_token, &format!("/api/v1/zones/{id}")).await.0, 404);
    let (status, _) = patch_zone(&app, &other.api_token, &id, json!({"name": "Taken"})).await;
    assert_eq!(status, 404);

    let res =
        app.client.delete(app.url(&format!("/api/v1/zones/{id}"))).bearer_auth(&m.api_token).send().await.unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(app.get_json(&m.api_token, &format!("/api/v1/zones/{id}")).await.0, 404);
}

struct Routed {
    m: scanback::store::manufacturers::NewManufacturer,
    coatings: String,
    handles: String,
    /// Coating defect on line A, handle defect on A and on B, a defect without a category suggested
    /// as coating, one suggested as coating but picked as handle by the customer, a praise.
    reports: [Uuid; 6],
}

async fn routed(app: &TestApp) -> Routed {
    let (m, a) = app.manufacturer_with_line("Pan A").await;
    let b: Value = app.post_line(&m.api_token, &json!({"name": "Pan B"})).await.json().await.unwrap();
    let (a, b): (Uuid, Uuid) = (a["id"].as_str().unwrap().parse().unwrap(), b["id"].as_str().unwrap().parse().unwrap());
    let now = OffsetDateTime::now_utc();
    let spec =
        |line_cat: Option<&'static str>, kind| ReportSpec { category: line_cat, ..ReportSpec::new(now, kind, 2) };
    let mut reports = [Uuid::nil(); 6];
    let plan: [(Uuid, Kind, Option<&'static str>, Option<&'static str>); 6] = [
        (a, Kind::Defect, Some("coating"), None),
        (a, Kind::Defect, Some("handle"), None),
        (b, Kind::Defect, Some("handle"), None),
        (b, Kind::Defect, None, Some("coating")),
        (a, Kind::Defect, Some("handle"), Some("coating")),
        (a, Kind::Praise, None, None),
    ];
    for (i, (line, kind, category, suggested)) in plan.into_iter().enumerate() {
        reports[i] = app.insert_report(m.manufacturer_id, line, &spec(category, kind)).await.unwrap();
        suggest(app, reports[i], suggested).await;
    }
    let (status, coatings) =
        post_zone(app, &m.api_token, json!({"name": "Coatings", "categories": ["defect/coating"]})).await;
    assert_eq!(status, 201);
    let (status, handles) = post_zone(
        app,
        &m.api_token,
        json!({"name": "Handles on A", "categories": ["defect/handle", "usability/handle"], "product_lines": [a]}),
    )
    .await;
    assert_eq!(status, 201);
    Routed {
        m,
        coatings: coatings["id"].as_str().unwrap().to_owned(),
        handles: handles["id"].as_str().unwrap().to_owned(),
        reports,
    }
}

#[tokio::test]
async fn reports_are_routed_by_category_or_by_suggestion_when_they_have_none_on_the_zones_lines() {
    let app = spawn_app().await;
    let w = routed(&app).await;
    let r = |i: usize| w.reports[i].to_string();
    let (status, coat) = app.get_json(&w.m.api_token, &format!("/api/v1/reports?zone={}", w.coatings)).await;
    assert_eq!(status, 200);
    let mut expected = vec![r(0), r(3)];
    expected.sort();
    assert_eq!(ids(&coat), expected, "the coating defect, and the uncategorised one suggested as coating");
    let (_, hand) = app.get_json(&w.m.api_token, &format!("/api/v1/reports?zone={}", w.handles)).await;
    let mut expected = vec![r(1), r(4)];
    expected.sort();
    assert_eq!(ids(&hand), expected, "handles on line A only; the customer's pick wins over the suggestion");
    // Each report names its zones.
    let (_, one) = app.get_json(&w.m.api_token, &format!("/api/v1/reports/{}", r(3))).await;
    assert_eq!(one["zones"], json!([{"id": w.coatings, "name": "Coatings"}]));
    let (_, praise) = app.get_json(&w.m.api_token, &format!("/api/v1/reports/{}", r(5))).await;
    assert_eq!(praise["zones"], json!([]));
    // The next page keeps the zone.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/reports?zone={}&limit=1", w.coatings)))
        .bearer_auth(&w.m.api_token)
        .send()
        .await
        .unwrap();
    let link = res.headers().get("link").unwrap().to_str().unwrap().to_owned();
    assert!(link.contains(&format!("zone={}", w.coatings)), "{link}");
    // A zone of another manufacturer, or none, is 404; a malformed one is refused.
    let other = app.create_manufacturer("Other Pans").await;
    assert_eq!(app.get_json(&other.api_token, &format!("/api/v1/reports?zone={}", w.coatings)).await.0, 404);
    assert_eq!(app.get_json(&w.m.api_token, &format!("/api/v1/reports?zone={}", Uuid::now_v7())).await.0, 404);
    assert_eq!(app.get_json(&w.m.api_token, "/api/v1/reports?zone=coatings").await.0, 400);
}

#[tokio::test]
async fn a_member_of_one_zone_sees_its_reports_in_the_inbox_by_default_and_can_see_all() {
    let app = spawn_app().await;
    let w = routed(&app).await;
    let (cookie, _) = app.session_for(&w.m.api_token, "editor", "en").await;
    let holder = scanback::store::users::find_by_email(
        &app.db,
        &format!("editor-en-{}@members.test", w.m.manufacturer_id.simple()),
    )
    .await
    .unwrap()
    .unwrap();
    let (status, _) = patch_zone(&app, &w.m.api_token, &w.coatings, json!({"members": [holder.id]})).await;
    assert_eq!(status, 200);
    let page = |q: &str| {
        let req = app.client.get(app.url(&format!("/dashboard/reports{q}"))).header("Cookie", cookie.clone());
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let shown = |html: &str| w.reports.iter().filter(|id| html.contains(&format!("/dashboard/reports/{id}\""))).count();
    let mine = page("").await;
    assert_eq!(shown(&mine), 2, "the coatings zone's two reports");
    assert!(
        mine.contains(&format!("<option value=\"{}\" selected>Coatings</option>", w.coatings)),
        "the zone is shown as chosen"
    );
    assert!(mine.contains(&w.m.manufacturer_id.to_string()) || mine.contains("Coatings"));
    assert_eq!(shown(&page("?zone=all").await), 6, "every zone, on request");
    // A link naming other filters (a digest's, an alert's) shows them in every zone.
    assert_eq!(shown(&page("?kind=defect").await), 5, "the defects of every zone, not only the member's");
    assert_eq!(shown(&page(&format!("?zone={}", w.handles)).await), 2);
    // A zone id that names nothing is no filter, as every other hand-edited value.
    assert_eq!(shown(&page(&format!("?zone={}", Uuid::now_v7())).await), 6);
    // The owner is in no zone: everything, and the zones page lists both with their KPIs.
    let (status, owner_inbox) = app.dashboard(&w.m.api_token, "/dashboard/reports", "en").await;
    assert_eq!(status, 200);
    assert_eq!(shown(&owner_inbox), 6);
    let (status, zones_page) = app.dashboard(&w.m.api_token, "/dashboard/zones", "ru").await;
    assert_eq!(status, 200);
    assert!(zones_page.contains("Зоны ответственности") && zones_page.contains("Handles on A"));
    assert!(zones_page.contains(&format!("href=\"/dashboard/reports?zone={}\"", w.coatings)));
}

#[tokio::test]
async fn the_dashboard_form_keeps_what_was_typed_when_refused_and_adds_a_zone_when_right() {
    let app = spawn_app().await;
    let (m, _) = app.manufacturer_with_line("Pan").await;
    let res = app
        .dashboard_post(
            &m.api_token,
            "owner",
            "/dashboard/zones",
            &[("name", "Packaging team"), ("categories", "defect/packaging"), ("response_target_days", "forty")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"Packaging team\""), "the name is kept");
    assert!(html.contains("value=\"defect/packaging\" checked"), "the ticked category is kept");
    assert!(html.contains("working days from 1 to 30"), "the refusal says what is right");
    assert_eq!(app.get_json(&m.api_token, "/api/v1/zones").await.1["zones"], json!([]));
    let res = app
        .dashboard_post(
            &m.api_token,
            "owner",
            "/dashboard/zones",
            &[("name", "Packaging team"), ("categories", "defect/packaging"), ("response_target_days", "4")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, listed) = app.get_json(&m.api_token, "/api/v1/zones").await;
    assert_eq!(listed["zones"][0]["name"], "Packaging team");
    assert_eq!(listed["zones"][0]["response_target_days"], 4);
    assert_eq!(listed["zones"][0]["product_lines"], Value::Null, "no line ticked: every line");
}

/// Sets a report's creation and first response straight in the database: the hand-computed week.
async fn timed(app: &TestApp, m: Uuid, line: Uuid, created: OffsetDateTime, first: Option<OffsetDateTime>, open: bool) {
    let spec = ReportSpec { category: Some("coating"), ..ReportSpec::new(created, Kind::Defect, 2) };
    let id = app.insert_report(m, line, &spec).await.unwrap();
    report::Entity::update_many()
        .col_expr(report::Column::FirstResponseAt, Expr::value(first))
        // Unanswered and open is new: any status change would have been a response.
        .col_expr(
            report::Column::Status,
            Expr::value(match (first, open) {
                (None, true) => "new",
                (Some(_), true) => "in_progress",
                (_, false) => "resolved",
            }),
        )
        .filter(report::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn zone_kpis_match_a_week_computed_by_hand() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let line: Uuid = line["id"].as_str().unwrap().parse().unwrap();
    // The manufacturer works on UTC; every time below is relative to now, so the working-day
    // deadlines are computed from the weekday of each creation time, as the service does.
    let now = OffsetDateTime::now_utc();
    let tz = jiff::tz::TimeZone::UTC;
    let at = |h: i64| now - Duration::hours(h);
    let cases = [
        (at(200), Some(at(198)), false), // answered after 2 h
        (at(150), Some(at(126)), false), // after 24 h
        (at(120), Some(at(48)), true),   // after 72 h
        (at(100), None, true),           // never answered, 100 h old
        (at(2), None, true),             // 2 h old, not yet due
    ];
    for (created, first, open) in cases {
        timed(&app, m.manufacturer_id, line, created, first, open).await;
    }
    // Older than the window: left out of the times, but an open one still counts by age.
    timed(&app, m.manufacturer_id, line, at(24 * 40), None, true).await;
    // Handled before first responses were kept (resolved, never stamped): neither a time nor a miss.
    timed(&app, m.manufacturer_id, line, at(30), None, false).await;
    let (status, zone) =
        post_zone(&app, &m.api_token, json!({"name": "Coatings", "categories": ["defect/coating"]})).await;
    assert_eq!(status, 201);
    let (status, k) =
        app.get_json(&m.api_token, &format!("/api/v1/zones/{}/kpis?days=28", zone["id"].as_str().unwrap())).await;
    assert_eq!(status, 200, "{k}");
    assert_eq!(k["reports"], 5);
    assert_eq!(k["responded"], 3);
    // Hours 2, 24, 72: nearest-rank median 24, 90th percentile 72.
    assert_eq!(k["median_hours"].as_f64().unwrap().round(), 24.0);
    assert_eq!(k["p90_hours"].as_f64().unwrap().round(), 72.0);
    // Due: the three answered plus each unanswered one whose 2-working-day deadline has passed.
    let deadline = |created: OffsetDateTime| scanback::domain::response_kpi::deadline(created, 2, &tz);
    let mut due = 3;
    let mut within = 0;
    for (created, first, _) in cases {
        match first {
            Some(f) if f <= deadline(created) => within += 1,
            Some(_) => {}
            None if deadline(created) <= now => due += 1,
            None => {}
        }
    }
    assert_eq!(k["due"], due);
    assert_eq!(k["within_target"], within);
    assert!((k["within_target_share"].as_f64().unwrap() - f64::from(within) / f64::from(due)).abs() < 1e-9);
    // Open: the 72 h one (120 h old), the 100 h one, the 2 h one and the 40-day one.
    assert_eq!(k["open"], 4);
    assert_eq!(k["open_by_age"], json!([1, 0, 2, 0, 1]));
    // The window is checked.
    let path = format!("/api/v1/zones/{}/kpis?days=0", zone["id"].as_str().unwrap());
    let (status, err) = app.get_json(&m.api_token, &path).await;
    assert_eq!((status, err["error"]["field"].clone()), (422, json!("days")));
    // The overview shows the zone's row.
    let (status, html) = app.dashboard(&m.api_token, "/dashboard", "en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Zones: response KPIs") && html.contains("Coatings"));
}

#[tokio::test]
async fn the_first_reply_or_status_change_is_the_first_response_and_a_later_one_does_not_move_it() {
    let app = spawn_app().await;
    let w = crate::roles::world(&app).await;
    let path = format!("/api/v1/reports/{}", w.report);
    let (_, before) = app.get_json(&w.m.api_token, &path).await;
    assert_eq!(before["first_response_at"], Value::Null);
    let res = app
        .client
        .post(app.url(&format!("{path}/replies")))
        .bearer_auth(&w.m.api_token)
        .json(&json!({"message": "We are sorry; a new pan is on its way."}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let (_, replied) = app.get_json(&w.m.api_token, &path).await;
    let first = replied["first_response_at"].as_str().expect("stamped by the reply").to_owned();
    let res = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&w.m.api_token)
        .json(&json!({"status": "resolved"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, later) = app.get_json(&w.m.api_token, &path).await;
    assert_eq!(later["first_response_at"], first, "a later change does not move it");

    // A report without an email gets its first response from a status change.
    let other = app
        .insert_report(w.m.manufacturer_id, w.line, &ReportSpec::new(OffsetDateTime::now_utc(), Kind::Defect, 3))
        .await
        .unwrap();
    let p = format!("/api/v1/reports/{other}");
    let res = app
        .client
        .patch(app.url(&p))
        .bearer_auth(&w.m.api_token)
        .json(&json!({"status": "in_progress"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(app.get_json(&w.m.api_token, &p).await.1["first_response_at"].is_string());
}

#[tokio::test]
async fn a_spike_goes_to_the_zone_that_owns_it_and_to_members_of_no_zone_not_to_other_zones() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan 28").await;
    let line_id: Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let coat = add_member(&app, m.manufacturer_id, "coat@acme.test", "editor").await;
    let hand = add_member(&app, m.manufacturer_id, "hand@acme.test", "editor").await;
    for (name, category, member) in [("Coatings", "defect/coating", coat), ("Handles", "defect/handle", hand)] {
        let (status, z) =
            post_zone(&app, &m.api_token, json!({"name": name, "categories": [category], "members": [member]})).await;
        assert_eq!(status, 201, "{z}");
    }
    let at = crate::alerts::hand_made_spike(&app, m.manufacturer_id, line_id).await;
    let report = crate::alerts::run(&app, at);
    assert_eq!(report["alerts"]["opened"], 1, "{report}");
    assert_eq!(report["alerts"]["mails"], 2, "{report}");
    let mails = crate::alerts::wait_for_mails(&app, 2).await;
    let mut to: Vec<String> = mails.iter().flat_map(|x| x.to.clone()).collect();
    to.sort();
    let mut expected = vec!["coat@acme.test".to_owned(), m.owner_email.clone()];
    expected.sort();
    assert_eq!(to, expected, "the coatings zone and the owner (in no zone); not the handles zone");
}

#[tokio::test]
async fn a_member_of_a_zone_gets_its_part_in_the_digest() {
    use crate::digest::{owner_id, put_json, run_at, subscription};
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Skillet").await;
    let line_id: Uuid = line["id"].as_str().unwrap().parse().unwrap();
    let owner = owner_id(&app, &m.api_token).await;
    let (status, _) =
        put_json(&app, &m.api_token, "/api/v1/me/subscription", &subscription("daily", 8, "UTC", "en")).await;
    assert_eq!(status, 200);
    let (status, z) = post_zone(
        &app,
        &m.api_token,
        json!({"name": "Coatings", "categories": ["defect/coating"], "members": [owner]}),
    )
    .await;
    assert_eq!(status, 201, "{z}");
    let day = time::macros::datetime!(2027-03-09 09:00 UTC);
    let mut specs = Vec::new();
    for h in 0..3 {
        specs.push(ReportSpec {
            category: Some("coating"),
            ..ReportSpec::new(day + Duration::hours(h), Kind::Defect, 1)
        });
    }
    specs.push(ReportSpec { category: Some("handle"), ..ReportSpec::new(day, Kind::Defect, 2) });
    specs.push(ReportSpec { category: Some("coating"), ..ReportSpec::new(day - Duration::days(1), Kind::Defect, 2) });
    app.insert_reports(m.manufacturer_id, line_id, &specs).await;
    run_at(&app, "2027-03-10T08:00:00Z");
    let mail = app
        .mail
        .received()
        .into_iter()
        .find(|x| x.header("X-Scanback-Period").as_deref() == Some("daily:2027-03-10"))
        .expect("the digest");
    let text = mail.part("text/plain").unwrap();
    // Three coating defects in the day, one the day before; all four still open.
    assert!(text.contains("== Your zones =="), "{text}");
    assert!(text.contains("Coatings (4 open now): 3 / 1 (+2)"), "{text}");
    assert!(text.contains(&format!("zone={}", z["id"].as_str().unwrap())), "{text}");
    assert!(text.contains("== Newest reports in your zones =="), "{text}");
    assert!(text.contains("Reports: 4 / 1 (+3)"), "the whole workspace's totals stay: {text}");
    assert!(mail.part("text/html").unwrap().contains("data-zone"));
}

#[tokio::test]
async fn the_migration_back_fills_first_responses_from_replies_and_history() {
    use migration::MigratorTrait;
    let app = spawn_app().await;
    let w = crate::roles::world(&app).await;
    let t = &w.m.api_token;
    let replied = format!("/api/v1/reports/{}", w.report);
    let res = app
        .client
        .post(app.url(&format!("{replied}/replies")))
        .bearer_auth(t)
        .json(&json!({"message": "Sorry"}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let res =
        app.client.patch(app.url(&replied)).bearer_auth(t).json(&json!({"status": "resolved"})).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let triaged_id = app
        .insert_report(w.m.manufacturer_id, w.line, &ReportSpec::new(OffsetDateTime::now_utc(), Kind::Defect, 3))
        .await
        .unwrap();
    let triaged = format!("/api/v1/reports/{triaged_id}");
    let res = app
        .client
        .patch(app.url(&triaged))
        .bearer_auth(t)
        .json(&json!({"status": "in_progress"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let untouched_id = app
        .insert_report(w.m.manufacturer_id, w.line, &ReportSpec::new(OffsetDateTime::now_utc(), Kind::Defect, 3))
        .await
        .unwrap();
    let stamped = |p: String| {
        let app = &app;
        async move { app.get_json(t, &p).await.1["first_response_at"].clone() }
    };
    let (a, b) = (stamped(replied.clone()).await, stamped(triaged.clone()).await);
    assert!(a.is_string() && b.is_string());
    // Back to the schema before zones (the column is gone), then forward: the back-fill finds the
    // reply (earlier than the status change) and the status change.
    // The zones migration and the one after it.
    migration::Migrator::down(&app.db, Some(2)).await.unwrap();
    migration::Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(stamped(replied).await, a);
    assert_eq!(stamped(triaged).await, b);
    assert_eq!(stamped(format!("/api/v1/reports/{untouched_id}")).await, Value::Null);
}
