//! Suggested categories: before any label (the categories' own labels and the manufacturer's
//! keywords), after the team's corrections (the next suggestion follows them, within seconds, off
//! the request path), in the report JSON, the API's filters and the inbox.

use std::time::{Duration, Instant};

use scanback::store::entities::report;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{TestApp, spawn_app_with};

async fn app() -> TestApp {
    // Many submissions from one test client: the per-client limit is not what is tested here.
    spawn_app_with(|s| {
        s.submit_burst = 200;
        s.submit_per_minute = 200;
    })
    .await
}

/// Submits a report through the scan page, as a customer does; answers its id.
async fn submit(app: &TestApp, token: &str, code: &str, line: &str, kind: &str, category: &str, comment: &str) -> Uuid {
    let before: Vec<String> =
        app.reports(token, line).await.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    let res =
        app.post_feedback(code, &[("kind", kind), ("category", category), ("rating", "2"), ("comment", comment)]).await;
    assert_eq!(res.status(), 303, "{comment}");
    let after = app.reports(token, line).await;
    let new = after.iter().find(|r| !before.contains(&r["id"].as_str().unwrap().to_owned())).expect("the new report");
    new["id"].as_str().unwrap().parse().unwrap()
}

async fn report_json(app: &TestApp, token: &str, id: Uuid) -> Value {
    let (status, v) = app.get_json(token, &format!("/api/v1/reports/{id}")).await;
    assert_eq!(status, 200);
    v
}

/// Waits (at most 10 s) until the classifier has looked at the report, then answers its JSON.
async fn looked_at(app: &TestApp, token: &str, id: Uuid) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let row = report::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
        if row.suggested_at.is_some() {
            return report_json(app, token, id).await;
        }
        assert!(Instant::now() < deadline, "the classifier never looked at report {id}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (at most 10 s) until the report's suggestion is `want`.
async fn suggestion_becomes(app: &TestApp, token: &str, id: Uuid, want: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = report_json(app, token, id).await;
        if v["suggested_category"] == want {
            return v;
        }
        assert!(Instant::now() < deadline, "report {id} was never suggested {want}: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn patch(app: &TestApp, token: &str, id: Uuid, body: &Value) -> (u16, Value) {
    let res =
        app.client.patch(app.url(&format!("/api/v1/reports/{id}"))).bearer_auth(token).json(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn line(app: &TestApp) -> (String, String, String) {
    let (m, line) = app.manufacturer_with_line("Frying pan 28").await;
    (m.api_token, line["code"].as_str().unwrap().to_owned(), line["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn before_any_label_the_categories_own_labels_suggest_in_english_and_russian() {
    let app = app().await;
    let (token, code, line) = line(&app).await;
    let en = submit(&app, &token, &code, &line, "defect", "", "The handle gets really hot on the stove").await;
    let ru = submit(&app, &token, &code, &line, "defect", "", "Ручка сильно нагреваеться").await;
    let lid = submit(&app, &token, &code, &line, "defect", "", "Крышка не закрываеться плотно").await;
    let agreed = submit(&app, &token, &code, &line, "defect", "handle", "Ручка нагревается").await;
    let silent = submit(&app, &token, &code, &line, "defect", "", "").await;

    for (id, want) in [(en, "handle"), (ru, "handle"), (lid, "lid")] {
        let v = looked_at(&app, &token, id).await;
        assert_eq!(v["suggested_category"], want, "{v}");
        let c = v["suggestion_confidence"].as_f64().unwrap();
        assert!(c > 0.0 && c <= 1.0, "{c}");
        assert_eq!(v["suggestion_unsure"], c < 0.5);
        assert_eq!(v["category"], Value::Null);
    }
    // The customer's pick agrees with the comment: nothing to suggest. No comment: nothing to go on.
    for id in [agreed, silent] {
        let v = looked_at(&app, &token, id).await;
        assert_eq!(v["suggested_category"], Value::Null, "{v}");
        assert_eq!(v["suggestion_confidence"], Value::Null);
    }
    assert_eq!(report_json(&app, &token, agreed).await["category_source"], "customer");
    // The list carries the same fields and filters by them.
    let (status, with) = app.get_json(&token, &format!("/api/v1/reports?product_line={line}&suggestion=any")).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = with.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{with}");
    for id in [en, ru, lid] {
        assert!(ids.contains(&id.to_string().as_str()));
    }
    let (status, bad) = app.get_json(&token, "/api/v1/reports?suggestion=maybe").await;
    assert_eq!(status, 422);
    assert!(bad.to_string().contains("any or unsure"), "{bad}");
}

#[tokio::test]
async fn keywords_seed_the_suggestions_and_a_wrong_category_is_refused_without_a_change() {
    let app = app().await;
    let (token, code, line) = line(&app).await;
    let put = |body: Value| {
        let app = &app;
        let token = token.clone();
        async move {
            let res = app
                .client
                .put(app.url("/api/v1/category-keywords"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, saved) = put(json!({"defect/packaging": ["вмятина на коробке", "курьер", "dented box"]})).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved, json!({"defect/packaging": ["вмятина на коробке", "курьер", "dented box"]}));
    for bad in
        [json!({"packaging": ["x"]}), json!({"broken/packaging": ["x"]}), json!({"defect/packaging": ["x".repeat(61)]})]
    {
        let (status, err) = put(bad.clone()).await;
        assert_eq!(status, 422, "{bad} -> {err}");
    }
    let (_, now) = app.get_json(&token, "/api/v1/category-keywords").await;
    assert_eq!(now, saved, "a refused change changes nothing");

    let ru = submit(&app, &token, &code, &line, "defect", "", "курьер привёз, а там вмятина").await;
    let en = submit(&app, &token, &code, &line, "defect", "", "the box came dented").await;
    for id in [ru, en] {
        assert_eq!(looked_at(&app, &token, id).await["suggested_category"], "packaging");
    }
}

#[tokio::test]
async fn a_correction_is_a_label_that_changes_the_next_suggestion_and_moves_the_counts() {
    let app = app().await;
    let (token, code, line) = line(&app).await;
    let comments = ["На дне появились белые пятна", "белые пятна на дне после мытья", "пятна на дне не отмываются"];
    let mut labelled = Vec::new();
    for c in comments {
        labelled.push(submit(&app, &token, &code, &line, "defect", "", c).await);
    }
    let waiting = submit(&app, &token, &code, &line, "defect", "", "опять пятна на дне").await;
    let first = looked_at(&app, &token, waiting).await["suggested_category"].as_str().unwrap_or_default().to_owned();
    // Whatever the labels alone suggested, the team decides otherwise.
    let target = if first == "coating" { "fit-finish" } else { "coating" };

    // Refusals first: nothing is stored.
    let (status, err) = patch(&app, &token, labelled[0], &json!({"category": "rivets"})).await;
    assert_eq!(status, 422);
    assert!(err.to_string().contains("is not a category"), "{err}");
    let (status, _) = patch(&app, &token, labelled[0], &json!({})).await;
    assert_eq!(status, 422);
    let (status, _) = patch(&app, &token, labelled[0], &json!({"category": "cooking"})).await;
    assert_eq!(status, 422, "a praise category on a defect report");
    assert_eq!(report_json(&app, &token, labelled[0]).await["category"], Value::Null);

    for id in &labelled {
        let (status, v) = patch(&app, &token, *id, &json!({"category": target})).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["category"], target);
        assert_eq!(v["category_source"], "team");
        assert_eq!(v["suggested_category"], Value::Null);
    }
    // The report that was waiting is suggested again by the retrained model, and a new one too.
    suggestion_becomes(&app, &token, waiting, target).await;
    let next = submit(&app, &token, &code, &line, "defect", "", "на дне какие-то пятна").await;
    assert_eq!(looked_at(&app, &token, next).await["suggested_category"], target);

    // The statistics count the reports under the team's category, and the rollups still agree
    // with the raw reports.
    let stats = app.stats(&token, &line).await;
    assert_eq!(stats["by_category"][format!("defect/{target}")], 3, "{stats}");
    let check = app.cli(&["rollups", "check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    // The history says who changed what.
    let (_, page) = app.dashboard(&token, &format!("/dashboard/reports/{}", labelled[0]), "en").await;
    assert!(page.contains(target), "the report page shows the category");
}

#[tokio::test]
async fn the_inbox_shows_suggestions_links_the_unsure_ones_first_and_takes_a_correction() {
    let app = app().await;
    let (token, code, line) = line(&app).await;
    let sure = submit(&app, &token, &code, &line, "defect", "", "ручка ручка шатается, ручка сломалась").await;
    let vague = submit(&app, &token, &code, &line, "defect", "", "покрытие и ручка и крышка и дно").await;
    let s = looked_at(&app, &token, sure).await;
    let v = looked_at(&app, &token, vague).await;
    assert_eq!(s["suggested_category"], "handle", "{s}");
    assert_eq!(s["suggestion_unsure"], false, "{s}");
    assert_eq!(v["suggestion_unsure"], true, "{v}");

    let (status, page) = app.dashboard(&token, "/dashboard/reports", "en").await;
    assert_eq!(status, 200);
    assert!(page.contains("suggested: Handle (loose, broken, gets hot)"), "the label, not the key: {page}");
    assert!(page.contains("1 report has an unsure category suggestion"), "{page}");
    // The unsure one is shown above the list, before anything else.
    let first_at = page.find(&format!("data-first=\"{vague}\"")).expect("the unsure report above the list");
    let list_at = page.find("<table").expect("the list");
    assert!(first_at < list_at, "{page}");
    assert!(!page.contains(&format!("data-first=\"{sure}\"")), "a sure suggestion is not in that block");
    assert!(page.contains("/dashboard/reports?suggestion=unsure"));
    let (_, unsure) = app.dashboard(&token, "/dashboard/reports?suggestion=unsure", "en").await;
    assert!(unsure.contains(&vague.to_string()) && !unsure.contains(&sure.to_string()));
    let (_, ru) = app.dashboard(&token, "/dashboard/reports", "ru").await;
    assert!(ru.contains("предложено: Ручка (шатается, сломалась, нагревается)"), "{ru}");

    // The report page's category form: a correction through the dashboard is a label too.
    let (_, report_page) = app.dashboard(&token, &format!("/dashboard/reports/{vague}"), "en").await;
    assert!(report_page.contains("action=\"/dashboard/reports/") && report_page.contains("/category\""));
    let path = format!("/dashboard/reports/{vague}/category");
    let bad = app.dashboard_post(&token, "editor", &path, &[("category", "rivets")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("Choose one of the categories"));
    let viewer = app.dashboard_post(&token, "viewer", &path, &[("category", "lid")]).await;
    assert_eq!(viewer.status(), 403);
    let ok = app.dashboard_post(&token, "editor", &path, &[("category", "lid")]).await;
    assert_eq!(ok.status(), 303);
    let v = report_json(&app, &token, vague).await;
    assert_eq!((v["category"].as_str(), v["category_source"].as_str()), (Some("lid"), Some("team")));
    assert_eq!(v["suggested_category"], Value::Null);
}

/// Stores `n` reports on `line` whose category the team set to `category`, with `comment`.
async fn team_labels(app: &TestApp, m: Uuid, line: Uuid, category: &'static str, comment: &str, n: usize) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter};
    let now = time::OffsetDateTime::now_utc();
    for i in 0..n {
        let spec = crate::helpers::ReportSpec {
            category: Some(category),
            ..crate::helpers::ReportSpec::new(
                now - time::Duration::minutes(i as i64 + 1),
                scanback::domain::Kind::Defect,
                2,
            )
        };
        let id = app.insert_report(m, line, &spec).await.unwrap();
        let text = format!("{comment} {}", ["", "!", ".", " снова", " again"][i % 5]);
        report::Entity::update_many()
            .col_expr(report::Column::Comment, Expr::value(text.clone()))
            .col_expr(report::Column::CommentFolded, Expr::value(text.to_lowercase()))
            .col_expr(report::Column::CategorySource, Expr::value("team"))
            .col_expr(report::Column::SuggestedAt, Expr::value(scanback::store::now()))
            .filter(report::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_line_with_enough_labels_learns_its_own_meaning_of_the_same_words() {
    let app = app().await;
    let (m, a) = app.manufacturer_with_line("Pan A").await;
    let b: Value = app.post_line(&m.api_token, &json!({"name": "Pan B"})).await.json().await.unwrap();
    let (a_id, b_id): (Uuid, Uuid) =
        (a["id"].as_str().unwrap().parse().unwrap(), b["id"].as_str().unwrap().parse().unwrap());
    // On line A the team calls "it squeaks and shines" a handle problem; on line B a coating one.
    let words = "блестит и скрипит при нагреве";
    let n = scanback::domain::classifier::MIN_LINE_LABELS;
    team_labels(&app, m.manufacturer_id, a_id, "handle", words, n).await;
    team_labels(&app, m.manufacturer_id, b_id, "coating", words, n).await;
    app.state.app.classifier.labels_changed(scanback::domain::ManufacturerId(m.manufacturer_id));
    let on_a = submit(&app, &m.api_token, a["code"].as_str().unwrap(), &a_id.to_string(), "defect", "", words).await;
    let on_b = submit(&app, &m.api_token, b["code"].as_str().unwrap(), &b_id.to_string(), "defect", "", words).await;
    // One manufacturer-wide model would give both the same answer; each line's own model does not.
    suggestion_becomes(&app, &m.api_token, on_a, "handle").await;
    suggestion_becomes(&app, &m.api_token, on_b, "coating").await;
}

#[tokio::test]
async fn the_keywords_page_saves_what_the_api_reads_and_keeps_a_refused_form() {
    let app = app().await;
    let (token, _, _) = line(&app).await;
    // A keyword of a category no form offers now (set through the API) survives saving the page.
    let res = app
        .client
        .put(app.url("/api/v1/category-keywords"))
        .bearer_auth(&token)
        .json(&json!({"defect/rivets": ["заклёпка"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = app
        .dashboard_post(
            &token,
            "editor",
            "/dashboard/keywords",
            &[("kw:defect/handle", "горячая\n  hot \n\n"), ("kw:defect/lid", "")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let (_, kw) = app.get_json(&token, "/api/v1/category-keywords").await;
    assert_eq!(kw["defect/handle"], json!(["горячая", "hot"]), "{kw}");
    assert!(kw.get("defect/lid").is_none_or(|v| v == &json!([])), "an empty box is no keyword: {kw}");
    assert_eq!(kw["defect/rivets"], json!(["заклёпка"]), "what the page does not show stays: {kw}");
    let (status, page) = app.dashboard(&token, "/dashboard/keywords", "ru").await;
    assert_eq!(status, 200);
    assert!(page.contains("горячая\nhot</textarea>"), "{page}");
    assert!(page.contains("Ручка (шатается, сломалась, нагревается)"), "the category's label in the reader's language");
    let long = "x".repeat(61);
    let res = app
        .dashboard_post(&token, "editor", "/dashboard/keywords", &[("kw:defect/handle", &format!("тёплая\n{long}"))])
        .await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("тёплая\n{long}</textarea>")), "what was typed is kept");
    assert!(html.contains("at most 60 characters"), "{html}");
    assert_eq!(
        app.get_json(&token, "/api/v1/category-keywords").await.1["defect/handle"],
        json!(["горячая", "hot"]),
        "nothing stored"
    );
    // Viewers read them and cannot save.
    let res = app.dashboard_post(&token, "viewer", "/dashboard/keywords", &[("kw:defect/handle", "x")]).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_comment_that_contradicts_the_customers_pick_gets_a_suggestion_and_one_that_agrees_none() {
    let app = app().await;
    let (token, code, line) = line(&app).await;
    let contradicts = submit(
        &app,
        &token,
        &code,
        &line,
        "defect",
        "coating",
        "ручка ручка шатается, ручка сломалась, ручка отвалилась",
    )
    .await;
    let agrees = submit(
        &app,
        &token,
        &code,
        &line,
        "defect",
        "handle",
        "ручка ручка шатается, ручка сломалась, ручка отвалилась",
    )
    .await;
    let c = looked_at(&app, &token, contradicts).await;
    assert_eq!(c["category"], "coating", "the customer's pick stays: {c}");
    assert_eq!(c["suggested_category"], "handle", "{c}");
    assert!(c["suggestion_confidence"].as_f64().unwrap() >= 0.5, "shown only when confident: {c}");
    let a = looked_at(&app, &token, agrees).await;
    assert_eq!(a["suggested_category"], Value::Null, "nothing to suggest when the comment agrees: {a}");
}

#[tokio::test]
async fn the_inbox_sets_the_teams_category_on_the_ticked_reports_of_that_kind() {
    let app = app().await;
    let (token, code, line) = line(&app).await;
    let defect = submit(&app, &token, &code, &line, "defect", "coating", "шатается и болтается").await;
    let praise = submit(&app, &token, &code, &line, "praise", "", "отличная сковорода").await;
    let untouched = submit(&app, &token, &code, &line, "defect", "coating", "облезло").await;
    let (status, page) = app.dashboard(&token, "/dashboard/reports", "en").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<option value=\"defect/handle\">Defect: Handle (loose, broken, gets hot)</option>"),
        "{page}"
    );
    let res = app
        .dashboard_post(
            &token,
            "editor",
            "/dashboard/reports/bulk",
            &[
                ("id", &defect.to_string()),
                ("id", &praise.to_string()),
                ("action", "category"),
                ("category", "defect/handle"),
                ("back", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let d = report_json(&app, &token, defect).await;
    assert_eq!((d["category"].clone(), d["category_source"].clone()), (json!("handle"), json!("team")), "{d}");
    let p = report_json(&app, &token, praise).await;
    assert_eq!(p["category"], Value::Null, "a praise keeps its own: {p}");
    assert_eq!(report_json(&app, &token, untouched).await["category"], "coating", "not ticked, not changed");
    // A viewer's bulk form changes nothing.
    let res = app
        .dashboard_post(
            &token,
            "viewer",
            "/dashboard/reports/bulk",
            &[("id", &untouched.to_string()), ("action", "category"), ("category", "defect/lid"), ("back", "")],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(report_json(&app, &token, untouched).await["category"], "coating");
}
