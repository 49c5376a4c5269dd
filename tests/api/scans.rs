use crate::helpers::{PHONE_UA, spawn_app};

#[tokio::test]
async fn people_count_as_scans_and_previews_crawlers_head_and_prefetch_count_as_bots() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let id = line["id"].as_str().unwrap();
    for _ in 0..3 {
        let res = app.client.get(app.url(&format!("/q/{code}"))).header("User-Agent", PHONE_UA).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }
    let res =
        app.client.get(app.url(&format!("/q/{code}?lot=L7"))).header("User-Agent", PHONE_UA).send().await.unwrap();
    assert_eq!(res.status(), 200);
    for ua in ["facebookexternalhit/1.1", "TelegramBot (like TwitterBot)", "WhatsApp/2.23.20.0"] {
        app.client.get(app.url(&format!("/q/{code}"))).header("User-Agent", ua).send().await.unwrap();
    }
    app.client.head(app.url(&format!("/q/{code}"))).header("User-Agent", PHONE_UA).send().await.unwrap();
    app.client
        .get(app.url(&format!("/q/{code}")))
        .header("User-Agent", PHONE_UA)
        .header("Sec-Purpose", "prefetch")
        .send()
        .await
        .unwrap();
    app.client.get(app.url(&format!("/q/{code}"))).send().await.unwrap();
    // Unknown and mistyped codes count nowhere.
    app.client.get(app.url("/q/ZZZZZZZZ")).header("User-Agent", PHONE_UA).send().await.unwrap();

    app.flush_scans().await;
    assert_eq!(app.post_feedback(code, &[("kind", "defect"), ("rating", "2"), ("lot", "L7")]).await.status(), 303);
    assert_eq!(app.post_feedback(code, &[("kind", "praise"), ("rating", "5")]).await.status(), 303);
    let stats = app.stats(&m.api_token, id).await;
    assert_eq!(stats["scans"], 4, "{stats}");
    assert_eq!(stats["bot_scans"], 6, "{stats}");
    assert_eq!(stats["reports"], 2);
    assert_eq!(stats["reports_per_1000_scans"], 500.0);
    assert_eq!(stats["csat"]["value"], 0.5);
    assert_eq!(stats["csat"]["n"], 2);
    assert_eq!(stats["by_kind"]["defect"], 1);
    let lots = stats["by_lot"].as_array().unwrap();
    assert_eq!(lots.len(), 1);
    assert_eq!(lots[0]["lot"], "L7");
    assert_eq!(lots[0]["scans"], 1);
    assert_eq!(lots[0]["defects"], 1);
}

#[tokio::test]
async fn counts_add_up_across_flushes_and_survive_a_restart_of_the_counter() {
    let app = spawn_app().await;
    let (m, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    for round in 0..3 {
        for _ in 0..=round {
            app.client.get(app.url(&format!("/q/{code}"))).header("User-Agent", PHONE_UA).send().await.unwrap();
        }
        app.flush_scans().await;
    }
    let stats = app.stats(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(stats["scans"], 6);
}

#[tokio::test]
async fn no_raw_ip_address_is_stored() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    app.client.get(app.url(&format!("/q/{code}"))).header("User-Agent", PHONE_UA).send().await.unwrap();
    assert_eq!(
        app.post_feedback(code, &[("kind", "other"), ("rating", "3"), ("comment", "hello")]).await.status(),
        303
    );
    app.flush_scans().await;
    let backend = app.db.get_database_backend();
    for table in ["reports", "scan_counts"] {
        let rows =
            app.db.query_all_raw(Statement::from_string(backend, format!("SELECT * FROM {table}"))).await.unwrap();
        assert!(!rows.is_empty());
        let dump = format!("{rows:?}");
        assert!(!dump.contains("127.0.0.1"), "{table} holds an address: {dump}");
    }
}
