//! Behind a reverse proxy: the client address (rate limits, sign-in lockouts, request logs) comes
//! from `Forwarded` / `X-Forwarded-For` only when the peer is a configured trusted proxy; otherwise
//! those headers are ignored, so a client cannot pick its own rate-limit bucket.

use crate::helpers::{TestApp, spawn_app_with};

async fn post_from(app: &TestApp, code: &str, n: usize, header: Option<(&str, String)>) -> u16 {
    let mut req = app.client.post(app.url(&format!("/q/{code}")));
    if let Some((name, value)) = header {
        req = req.header(name, value);
    }
    let comment = format!("report {n}");
    req.form(&[("kind", "praise"), ("rating", "5"), ("comment", comment.as_str())])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_spoofed_forwarded_header_is_ignored_by_default() {
    let app = spawn_app_with(|s| {
        s.submit_burst = 3;
        s.submit_per_minute = 1;
    })
    .await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    let mut statuses = Vec::new();
    for n in 0..4 {
        // Each request claims to come from somewhere else; all come from 127.0.0.1.
        let header = if n % 2 == 0 {
            ("X-Forwarded-For", format!("198.51.100.{n}"))
        } else {
            ("Forwarded", format!("for=198.51.100.{n}"))
        };
        statuses.push(post_from(&app, code, n, Some(header)).await);
    }
    assert_eq!(statuses, vec![303, 303, 303, 429], "one bucket: the TCP peer's");
}

#[tokio::test]
async fn a_trusted_proxy_names_the_client_and_a_client_cannot_prepend_its_way_out() {
    let app = spawn_app_with(|s| {
        s.submit_burst = 3;
        s.submit_per_minute = 1;
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap(), "::1/128".parse().unwrap()];
    })
    .await;
    let (_, line) = app.manufacturer_with_line("Pan").await;
    let code = line["code"].as_str().unwrap();
    // Six customers behind the proxy: six buckets.
    for n in 0..6 {
        assert_eq!(post_from(&app, code, n, Some(("X-Forwarded-For", format!("203.0.113.{n}")))).await, 303);
    }
    // One customer: the burst, then 429, whichever header the proxy uses.
    let one = "198.51.100.77";
    assert_eq!(post_from(&app, code, 10, Some(("X-Forwarded-For", one.to_owned()))).await, 303);
    assert_eq!(post_from(&app, code, 11, Some(("Forwarded", format!("for=\"{one}:5123\";proto=https")))).await, 303);
    assert_eq!(post_from(&app, code, 12, Some(("X-Forwarded-For", one.to_owned()))).await, 303);
    // The same customer adds an address of its own choosing on the left: the proxy's entry wins.
    assert_eq!(post_from(&app, code, 13, Some(("X-Forwarded-For", format!("192.0.2.1, {one}")))).await, 429);
    // Without a header the proxy itself is the client.
    for n in 20..23 {
        assert_eq!(post_from(&app, code, n, None).await, 303);
    }
    assert_eq!(post_from(&app, code, 23, None).await, 429);
}
