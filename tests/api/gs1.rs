//! The GS1 Digital Link resolver (`/01/...`, `/.well-known/gs1resolver`) and the links API behind it,
//! checked against the GS1-Conformant Resolver conformance criteria over HTTP.

use reqwest::{Method, Response};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const GTIN13: &str = "4006381333931";
const GTIN13_AS_14: &str = "04006381333931";
/// Well-formed, check digit right, and no line has it.
const UNKNOWN_GTIN: &str = "09506000134376";

struct Line {
    token: String,
    id: String,
    code: String,
}

async fn line_with_gtin(app: &TestApp, gtin: &str) -> Line {
    let m = app.create_manufacturer("Acme Cookware").await;
    let res = app.post_line(&m.api_token, &json!({ "name": "Frying pan 28 cm", "gtin": gtin })).await;
    assert_eq!(res.status(), 201);
    let line: Value = res.json().await.unwrap();
    Line {
        token: m.api_token,
        id: line["id"].as_str().unwrap().to_owned(),
        code: line["code"].as_str().unwrap().to_owned(),
    }
}

async fn get(app: &TestApp, path: &str) -> Response {
    app.client.get(app.url(path)).send().await.unwrap()
}

async fn add_link(app: &TestApp, token: &str, line_id: &str, body: &Value) -> Response {
    app.client
        .post(app.url(&format!("/api/v1/product-lines/{line_id}/links")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn header(res: &Response, name: &str) -> String {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

fn linkset_link(app: &TestApp, path: &str) -> String {
    format!("<{}{path}?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\"", app.address)
}

#[tokio::test]
async fn every_path_form_redirects_to_the_feedback_page_with_lot_and_serial_carried() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let feedback = format!("{}/q/{}", app.address, line.code);
    let g = GTIN13_AS_14;
    let cases = [
        (format!("/01/{GTIN13}"), feedback.clone(), format!("/01/{g}")),
        (format!("/01/{g}"), feedback.clone(), format!("/01/{g}")),
        (format!("/01/{g}/"), feedback.clone(), format!("/01/{g}")),
        (format!("/01/{g}/10/LOT-7"), format!("{feedback}?lot=LOT-7"), format!("/01/{g}/10/LOT-7")),
        (format!("/01/{g}/10/LOT-7/"), format!("{feedback}?lot=LOT-7"), format!("/01/{g}/10/LOT-7")),
        (
            format!("/01/{GTIN13}/10/L%2F7/21/SN+1"),
            format!("{feedback}?lot=L%2F7&serial=SN%2B1"),
            format!("/01/{g}/10/L%2F7/21/SN%2B1"),
        ),
        (format!("/01/{g}/21/SN1"), format!("{feedback}?serial=SN1"), format!("/01/{g}/21/SN1")),
    ];
    for (path, location, anchor) in cases {
        let res = get(&app, &path).await;
        assert_eq!(res.status(), 307, "{path}");
        assert_eq!(header(&res, "location"), location, "{path}");
        // The way to every other link, even when redirecting.
        assert_eq!(header(&res, "link"), linkset_link(&app, &anchor), "{path}");
        assert_eq!(header(&res, "access-control-allow-origin"), "*", "{path}");
    }
}

#[tokio::test]
async fn gtin_8_and_gtin_12_resolve_padded_to_14_digits() {
    let app = spawn_app().await;
    let line8 = line_with_gtin(&app, "96385074").await;
    let line12 = line_with_gtin(&app, "036000291452").await;
    for (path, line) in [
        ("/01/96385074", &line8),
        ("/01/00000096385074", &line8),
        ("/01/036000291452", &line12),
        ("/01/00036000291452/10/A1", &line12),
    ] {
        let res = get(&app, path).await;
        assert_eq!(res.status(), 307, "{path}");
        assert!(header(&res, "location").starts_with(&format!("{}/q/{}", app.address, line.code)), "{path}");
    }
}

#[tokio::test]
async fn the_query_string_is_passed_on_except_the_resolver_s_own_parameters() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let feedback = format!("{}/q/{}", app.address, line.code);

    let res = get(&app, &format!("/01/{GTIN13}/10/L1?utm_source=pack&lang=ru")).await;
    assert_eq!(header(&res, "location"), format!("{feedback}?lot=L1&utm_source=pack&lang=ru"));

    // The lot printed in the path wins over one in the query.
    let res = get(&app, &format!("/01/{GTIN13}/10/L1?lot=OTHER&x=%20y")).await;
    assert_eq!(header(&res, "location"), format!("{feedback}?lot=L1&x=%20y"));

    // Without a lot in the path, a lot in the query is just passed on.
    let res = get(&app, &format!("/01/{GTIN13}?lot=Q1&linkType=gs1:defaultLink")).await;
    assert_eq!(res.status(), 307);
    assert_eq!(header(&res, "location"), format!("{feedback}?lot=Q1"));
}

#[tokio::test]
async fn the_linkset_lists_the_default_link_and_the_manufacturer_s_links_with_titles() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let res = add_link(
        &app,
        &line.token,
        &line.id,
        &json!({ "link_type": "gs1:instructions", "href": "https://acme.test/manual", "title": "Care and use", "lang": "en" }),
    )
    .await;
    assert_eq!(res.status(), 201);
    let res = add_link(
        &app,
        &line.token,
        &line.id,
        &json!({ "link_type": "https://gs1.org/voc/recallStatus", "href": "https://acme.test/recalls", "title": "Recall status" }),
    )
    .await;
    assert_eq!(res.status(), 201);

    let res = get(&app, &format!("/01/{GTIN13}?linkType=linkset")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "application/linkset+json");
    assert!(header(&res, "link").contains(&linkset_link(&app, &format!("/01/{GTIN13_AS_14}"))));
    assert!(header(&res, "link").contains("rel=\"http://www.w3.org/ns/json-ld#context\""));
    assert!(header(&res, "vary").contains("Accept"));
    let body: Value = res.json().await.unwrap();
    let feedback = format!("{}/q/{}", app.address, line.code);
    let title = "Feedback on Frying pan 28 cm: report a problem or share what you think";
    assert_eq!(
        body,
        json!({ "linkset": [{
            "anchor": format!("{}/01/{GTIN13_AS_14}", app.address),
            "itemDescription": "Frying pan 28 cm",
            "https://gs1.org/voc/defaultLink": [{ "href": feedback, "title": title }],
            "https://gs1.org/voc/support": [{ "href": feedback, "title": title, "type": "text/html" }],
            "https://gs1.org/voc/instructions": [{ "href": "https://acme.test/manual", "title": "Care and use", "hreflang": ["en"] }],
            "https://gs1.org/voc/recallStatus": [{ "href": "https://acme.test/recalls", "title": "Recall status" }],
        }]})
    );

    // `all` is the older name; the Accept header asks for the same thing.
    let all: Value = get(&app, &format!("/01/{GTIN13}?linkType=all")).await.json().await.unwrap();
    assert_eq!(all, body);
    let res = app
        .client
        .get(app.url(&format!("/01/{GTIN13}")))
        .header("Accept", "application/linkset+json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "application/linkset+json");
    assert_eq!(res.json::<Value>().await.unwrap(), body);
}

#[tokio::test]
async fn a_lot_and_serial_linkset_has_the_links_of_every_level_up_to_the_gtin() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let res = add_link(
        &app,
        &line.token,
        &line.id,
        &json!({ "link_type": "gs1:registerProduct", "href": "https://acme.test/register", "title": "Register" }),
    )
    .await;
    assert_eq!(res.status(), 201);

    let res = app
        .client
        .get(app.url(&format!("/01/{GTIN13}/10/L%2F1/21/S1")))
        .header("Accept", "application/linkset+json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let contexts = body["linkset"].as_array().unwrap();
    let anchors: Vec<&str> = contexts.iter().map(|c| c["anchor"].as_str().unwrap()).collect();
    let base = format!("{}/01/{GTIN13_AS_14}", app.address);
    assert_eq!(anchors, [format!("{base}/10/L%2F1/21/S1"), format!("{base}/10/L%2F1"), base.clone()]);
    let feedback = format!("{}/q/{}", app.address, line.code);
    let default_href =
        |i: usize| contexts[i]["https://gs1.org/voc/defaultLink"][0]["href"].as_str().unwrap().to_owned();
    assert_eq!(default_href(0), format!("{feedback}?lot=L%2F1&serial=S1"));
    assert_eq!(default_href(1), format!("{feedback}?lot=L%2F1"));
    assert_eq!(default_href(2), feedback);
    // The line's own links live at the GTIN level.
    assert!(contexts[0].get("https://gs1.org/voc/registerProduct").is_none());
    assert_eq!(contexts[2]["https://gs1.org/voc/registerProduct"][0]["href"], "https://acme.test/register");
    // One default link per level, with a title and nothing optional.
    for c in contexts {
        let defaults = c["https://gs1.org/voc/defaultLink"].as_array().unwrap();
        assert_eq!(defaults.len(), 1);
        let keys: Vec<&String> = defaults[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["href", "title"]);
    }
}

#[tokio::test]
async fn a_requested_link_type_redirects_to_that_link_and_an_absent_one_is_not_found() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    for (href, lang) in [("https://acme.test/manual-en", "en"), ("https://acme.test/manual-ru", "ru")] {
        let body = json!({ "link_type": "gs1:instructions", "href": href, "title": "Manual", "lang": lang });
        assert_eq!(add_link(&app, &line.token, &line.id, &body).await.status(), 201);
    }

    for query in ["linkType=gs1:instructions", "linkType=https%3A%2F%2Fgs1.org%2Fvoc%2Finstructions"] {
        let res = app
            .client
            .get(app.url(&format!("/01/{GTIN13}/10/L1?{query}")))
            .header("Accept-Language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 307, "{query}");
        assert_eq!(header(&res, "location"), "https://acme.test/manual-en", "{query}");
        assert_eq!(header(&res, "link"), linkset_link(&app, &format!("/01/{GTIN13_AS_14}/10/L1")));
    }
    // The customer's language picks among links of one type; other parameters are passed on.
    let res = app
        .client
        .get(app.url(&format!("/01/{GTIN13}?linkType=gs1:instructions&ref=card")))
        .header("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&res, "location"), "https://acme.test/manual-ru?ref=card");

    // The feedback page is also there under its descriptive type, with the lot.
    let res = get(&app, &format!("/01/{GTIN13}/10/L1?linkType=gs1:support")).await;
    assert_eq!(header(&res, "location"), format!("{}/q/{}?lot=L1", app.address, line.code));

    for lt in ["gs1:pip", "gs1:nosuchlt", "nonsense"] {
        let res = get(&app, &format!("/01/{GTIN13}?linkType={lt}")).await;
        assert_eq!(res.status(), 404, "{lt}");
        assert_eq!(header(&res, "link"), linkset_link(&app, &format!("/01/{GTIN13_AS_14}")));
        let problem: Value = res.json().await.unwrap();
        assert!(problem["detail"].as_str().unwrap().contains("no link of type"), "{problem}");
    }
}

#[tokio::test]
async fn bad_syntax_and_wrong_check_digits_are_400_and_an_unknown_gtin_is_404() {
    let app = spawn_app().await;
    line_with_gtin(&app, GTIN13).await;
    let cases = [
        ("/01/4006381333932", "check digit"),
        ("/01/notagtin", "digits"),
        ("/01/12345", "8, 12, 13 or 14"),
        ("/01", "missing"),
        ("/01/", "missing"),
        (&format!("/01/{GTIN13}/foo") as &str, "not a key qualifier"),
        (&format!("/01/{GTIN13}/10/bad%20lot"), "character set 82"),
        (&format!("/01/{GTIN13}/10/{}", "L".repeat(21)), "longer than 20"),
        (&format!("/01/{GTIN13}/10/%ZZ"), "percent-encoding"),
        (&format!("/01/{GTIN13}/21/S1/10/L1"), "must come after"),
        (&format!("/01/{GTIN13}/10/L1/10/L2"), "twice"),
        (&format!("/01/{GTIN13}/10"), "no value"),
        // GS1's character set 82 allows these; scanback's lots (and so its feedback form) do not.
        (&format!("/01/{GTIN13}/10/L!7"), "cannot be one of scanback's"),
        (&format!("/01/{GTIN13}/10/L%277"), "\"'\" is not allowed"),
        (&format!("/01/{GTIN13}/10/-"), "at least one letter or digit"),
    ];
    for (path, says) in cases {
        let res = get(&app, path).await;
        assert_eq!(res.status(), 400, "{path}");
        assert_eq!(header(&res, "content-type"), "application/problem+json", "{path}");
        assert_eq!(header(&res, "access-control-allow-origin"), "*", "{path}");
        let problem: Value = res.json().await.unwrap();
        assert_eq!(problem["status"], 400);
        assert!(problem["detail"].as_str().unwrap().contains(says), "{path}: {problem}");
    }

    for path in [format!("/01/{UNKNOWN_GTIN}"), format!("/01/{UNKNOWN_GTIN}/10/L1?linkType=linkset")] {
        let res = get(&app, &path).await;
        assert_eq!(res.status(), 404, "{path}");
        let problem: Value = res.json().await.unwrap();
        assert!(problem["detail"].as_str().unwrap().contains(UNKNOWN_GTIN), "{problem}");
    }
}

#[tokio::test]
async fn head_options_and_cors_are_answered() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let path = format!("/01/{GTIN13}/10/L1");

    let res = app.client.head(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 307);
    assert_eq!(header(&res, "location"), format!("{}/q/{}?lot=L1", app.address, line.code));
    assert_eq!(header(&res, "link"), linkset_link(&app, &format!("/01/{GTIN13_AS_14}/10/L1")));
    let res = app.client.head(app.url(&format!("{path}?linkType=linkset"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "application/linkset+json");
    assert!(res.bytes().await.unwrap().is_empty());

    for p in [path.as_str(), "/01/notagtin", "/.well-known/gs1resolver"] {
        let res = app.client.request(Method::OPTIONS, app.url(p)).send().await.unwrap();
        assert_eq!(res.status(), 204, "{p}");
        for m in ["GET", "HEAD", "OPTIONS"] {
            assert!(header(&res, "allow").contains(m), "{p}");
            assert!(header(&res, "access-control-allow-methods").contains(m), "{p}");
        }
        assert_eq!(header(&res, "access-control-allow-origin"), "*", "{p}");
    }

    let res = get(&app, &path).await;
    assert_eq!(header(&res, "access-control-allow-origin"), "*");
    let exposed = header(&res, "access-control-expose-headers");
    assert!(exposed.contains("Link") && exposed.contains("Location"), "{exposed}");

    let res = app.client.post(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 405);
    assert!(header(&res, "allow").contains("GET"));
}

#[tokio::test]
async fn a_retired_line_still_resolves() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let res = app
        .client
        .post(app.url(&format!("/api/v1/product-lines/{}/retire", line.id)))
        .bearer_auth(&line.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = get(&app, &format!("/01/{GTIN13}")).await;
    assert_eq!(res.status(), 307);
    assert_eq!(header(&res, "location"), format!("{}/q/{}", app.address, line.code));
}

#[tokio::test]
async fn links_can_be_added_listed_and_deleted() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let res = add_link(
        &app,
        &line.token,
        &line.id,
        &json!({ "link_type": "gs1:instructions", "href": "https://acme.test/manual", "title": " Care and use ", "lang": "en" }),
    )
    .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["link_type"], "gs1:instructions");
    assert_eq!(created["href"], "https://acme.test/manual");
    assert_eq!(created["title"], "Care and use");
    assert_eq!(created["lang"], "en");
    assert_eq!(created["product_line_id"], line.id.as_str());
    let link_id = created["id"].as_str().unwrap();

    let links_url = app.url(&format!("/api/v1/product-lines/{}/links", line.id));
    let listed: Vec<Value> =
        app.client.get(&links_url).bearer_auth(&line.token).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed, vec![created.clone()]);
    assert_eq!(get(&app, &format!("/01/{GTIN13}?linkType=gs1:instructions")).await.status(), 307);

    let link_url = format!("{links_url}/{link_id}");
    let res = app.client.delete(&link_url).bearer_auth(&line.token).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let res = app.client.delete(&link_url).bearer_auth(&line.token).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let listed: Vec<Value> =
        app.client.get(&links_url).bearer_auth(&line.token).send().await.unwrap().json().await.unwrap();
    assert!(listed.is_empty());
    assert_eq!(get(&app, &format!("/01/{GTIN13}?linkType=gs1:instructions")).await.status(), 404);
}

#[tokio::test]
async fn invalid_links_are_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let ok = json!({ "link_type": "gs1:instructions", "href": "https://acme.test/m", "title": "Manual" });
    let with = |field: &str, value: Value| {
        let mut body = ok.clone();
        body[field] = value;
        body
    };
    let cases = [
        (with("link_type", json!("gs1:defaultLink")), "link_type"),
        (with("link_type", json!("gs1:defaultLinkMulti")), "link_type"),
        (with("link_type", json!("instructions")), "link_type"),
        (with("link_type", json!("gs1:nosuch")), "link_type"),
        (with("href", json!("/manual")), "href"),
        (with("href", json!("ftp://acme.test/m")), "href"),
        (with("href", json!("javascript:alert(1)")), "href"),
        (with("title", json!("  ")), "title"),
        (with("title", json!("x".repeat(201))), "title"),
        (with("lang", json!("english")), "lang"),
        (with("hreflang", json!("en_US")), "hreflang"),
        (with("type", json!("pdf")), "type"),
        (with("type", json!("text/html; charset=utf-8")), "type"),
        (with("context", json!("a b")), "context"),
        (with("context", json!("x".repeat(65))), "context"),
    ];
    for (body, field) in cases {
        let res = add_link(&app, &line.token, &line.id, &body).await;
        assert_eq!(res.status(), 422, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{body}");
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }
    let res = add_link(&app, &line.token, &line.id, &with("rel", json!("x"))).await;
    assert_eq!(res.status(), 400);

    let links_url = app.url(&format!("/api/v1/product-lines/{}/links", line.id));
    let listed: Vec<Value> =
        app.client.get(&links_url).bearer_auth(&line.token).send().await.unwrap().json().await.unwrap();
    assert!(listed.is_empty());
    assert_eq!(app.client.get(&links_url).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn another_manufacturer_s_line_is_not_found_and_a_line_without_gtin_takes_no_links() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let body = json!({ "link_type": "gs1:instructions", "href": "https://acme.test/m", "title": "Manual" });
    let res = add_link(&app, &line.token, &line.id, &body).await;
    let link_id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

    let other = app.create_manufacturer("Other Pans").await;
    let links_url = app.url(&format!("/api/v1/product-lines/{}/links", line.id));
    assert_eq!(add_link(&app, &other.api_token, &line.id, &body).await.status(), 404);
    assert_eq!(app.client.get(&links_url).bearer_auth(&other.api_token).send().await.unwrap().status(), 404);
    let res = app.client.delete(format!("{links_url}/{link_id}")).bearer_auth(&other.api_token).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(add_link(&app, &line.token, "not-a-uuid", &body).await.status(), 404);

    // Still there for its owner.
    let listed: Vec<Value> =
        app.client.get(&links_url).bearer_auth(&line.token).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.len(), 1);

    let res = app.post_line(&other.api_token, &json!({ "name": "No GTIN pan" })).await;
    let no_gtin: Value = res.json().await.unwrap();
    let res = add_link(&app, &other.api_token, no_gtin["id"].as_str().unwrap(), &body).await;
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn the_resolver_describes_itself_at_the_well_known_address() {
    let app = spawn_app().await;
    let res = get(&app, "/.well-known/gs1resolver").await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "access-control-allow-origin"), "*");
    assert!(header(&res, "content-type").starts_with("application/json"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["resolverRoot"], app.address.as_str());
    assert_eq!(body["supportedPrimaryKeys"], json!(["01"]));
    assert_eq!(body["supportedLinkType"], json!([{ "namespace": "https://gs1.org/voc/", "prefix": "gs1:" }]));
    assert_eq!(body["linkTypeDefaultCanBeLinkset"], false);
    assert!(body["name"].as_str().is_some_and(|n| !n.is_empty()));
    assert!(body["jsonLdContextLocation"].as_str().is_some());
}

#[tokio::test]
async fn a_report_sent_through_a_digital_link_carries_the_lot_and_serial() {
    let app = crate::helpers::spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let res = app.post_line(&m.api_token, &serde_json::json!({ "name": "Pan", "gtin": "4006381333931" })).await;
    let line: serde_json::Value = res.json().await.unwrap();
    // GTIN-13 as printed, padded to 14 by the resolver.
    let res = app.client.get(app.url("/01/4006381333931/10/L2411/21/SN77")).send().await.unwrap();
    assert_eq!(res.status(), 307);
    let target = res.headers()["location"].to_str().unwrap().to_owned();
    let page = app.client.get(&target).header("Accept-Language", "en").send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<strong>L2411</strong>"), "{html}");
    let code = line["code"].as_str().unwrap();
    let res =
        app.post_feedback(code, &[("kind", "defect"), ("rating", "2"), ("lot", "L2411"), ("serial", "SN77")]).await;
    assert_eq!(res.status(), 303);
    let reports = app.reports(&m.api_token, line["id"].as_str().unwrap()).await;
    assert_eq!(reports[0]["lot"], "L2411");
    assert_eq!(reports[0]["serial"], "SN77");
}

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut req = app.client.get(app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

/// Two instruction manuals, English and Russian, as PDF files.
async fn line_with_two_manuals(app: &TestApp) -> Line {
    let line = line_with_gtin(app, GTIN13).await;
    for (href, title, lang) in [
        ("https://acme.test/manual-en.pdf", "Care and use", "en"),
        ("https://acme.test/manual-ru.pdf", "Уход и использование", "ru"),
    ] {
        let body = json!({ "link_type": "gs1:instructions", "href": href, "title": title, "hreflang": lang, "type": "application/pdf" });
        assert_eq!(add_link(app, &line.token, &line.id, &body).await.status(), 201);
    }
    line
}

#[tokio::test]
async fn several_links_and_no_language_match_answer_300_with_a_page_in_the_visitor_s_language() {
    let app = spawn_app().await;
    line_with_two_manuals(&app).await;
    let path = format!("/01/{GTIN13}?linkType=gs1:instructions&ref=card");
    for accept_language in [None, Some("de-DE,de;q=0.9")] {
        let headers: Vec<(&str, &str)> = accept_language.iter().map(|l| ("Accept-Language", *l)).collect();
        let res = get_with(&app, &path, &headers).await;
        assert_eq!(res.status(), 300, "{accept_language:?}");
        assert!(header(&res, "content-type").starts_with("text/html"), "{accept_language:?}");
        assert_eq!(header(&res, "content-language"), "en");
        assert_eq!(header(&res, "link"), linkset_link(&app, &format!("/01/{GTIN13_AS_14}")));
        assert!(header(&res, "vary").contains("Accept-Language"));
        assert_eq!(header(&res, "access-control-allow-origin"), "*");
        assert!(header(&res, "location").is_empty());
        let html = res.text().await.unwrap();
        assert!(html.contains("Frying pan 28 cm: choose a link"), "{html}");
        // Both manuals, in their own language, with what the visitor's query carried.
        assert!(html.contains(r#"<a href="https://acme.test/manual-en.pdf?ref=card" hreflang="en" lang="en" type="application/pdf">Care and use</a>"#), "{html}");
        assert!(html.contains(r#"<a href="https://acme.test/manual-ru.pdf?ref=card" hreflang="ru" lang="ru" type="application/pdf">Уход и использование</a>"#), "{html}");
        // Nothing else: not the feedback page, which is another link type.
        assert_eq!(html.matches("<li>").count(), 2, "{html}");
    }

    // The page speaks the visitor's language, and its switch keeps the request.
    let res = get_with(&app, &format!("{path}&lang=ru"), &[]).await;
    assert_eq!(res.status(), 300);
    assert_eq!(header(&res, "content-language"), "ru");
    let html = res.text().await.unwrap();
    assert!(html.contains("Frying pan 28 cm: выберите ссылку"), "{html}");
    assert!(html.contains("Для этого товара есть несколько ссылок такого рода."), "{html}");
    assert!(html.contains(&format!("/01/{GTIN13}?linkType=gs1:instructions&#38;ref=card&#38;lang=en")), "{html}");

    // HEAD answers the same, without a body.
    let res = app.client.head(app.url(&path)).send().await.unwrap();
    assert_eq!(res.status(), 300);
    assert!(res.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_300_answer_gives_a_json_client_the_linkset() {
    let app = spawn_app().await;
    line_with_two_manuals(&app).await;
    let linkset: Value = get(&app, &format!("/01/{GTIN13}?linkType=linkset")).await.json().await.unwrap();
    for accept in ["application/linkset+json", "application/json"] {
        let res = get_with(&app, &format!("/01/{GTIN13}?linkType=gs1:instructions"), &[("Accept", accept)]).await;
        assert_eq!(res.status(), 300, "{accept}");
        assert_eq!(header(&res, "content-type"), accept);
        assert!(header(&res, "link").starts_with(&linkset_link(&app, &format!("/01/{GTIN13_AS_14}"))), "{accept}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body, linkset, "{accept}");
    }
    let manuals = &linkset["linkset"][0]["https://gs1.org/voc/instructions"];
    assert_eq!(manuals.as_array().unwrap().len(), 2, "{linkset}");
    // A browser asks for HTML first: it gets the page.
    let res =
        get_with(&app, &format!("/01/{GTIN13}?linkType=gs1:instructions"), &[("Accept", "text/html,application/json")])
            .await;
    assert_eq!(res.status(), 300);
    assert!(header(&res, "content-type").starts_with("text/html"));
}

#[tokio::test]
async fn accept_language_with_q_values_chooses_one_link() {
    let app = spawn_app().await;
    let line = line_with_two_manuals(&app).await;
    let path = format!("/01/{GTIN13}/10/L1?linkType=gs1:instructions");
    for (accept_language, expected) in [
        ("ru-RU,ru;q=0.9,en;q=0.5", "https://acme.test/manual-ru.pdf"),
        ("en-GB", "https://acme.test/manual-en.pdf"),
        ("de;q=1, en;q=0.2, ru;q=0.1", "https://acme.test/manual-en.pdf"),
        ("ru;q=0.3, en;q=0", "https://acme.test/manual-ru.pdf"),
    ] {
        let res = get_with(&app, &path, &[("Accept-Language", accept_language)]).await;
        assert_eq!(res.status(), 307, "{accept_language}");
        assert_eq!(header(&res, "location"), expected, "{accept_language}");
        assert_eq!(header(&res, "link"), linkset_link(&app, &format!("/01/{GTIN13_AS_14}/10/L1")));
    }
    // Equally wanted languages leave the choice to the visitor.
    let res = get_with(&app, &path, &[("Accept-Language", "en, ru")]).await;
    assert_eq!(res.status(), 300);

    // A manual without a language is the fallback when no language matches, and only then.
    let body = json!({ "link_type": "gs1:instructions", "href": "https://acme.test/manual-pictures.pdf", "title": "Pictures only" });
    assert_eq!(add_link(&app, &line.token, &line.id, &body).await.status(), 201);
    let res = get_with(&app, &path, &[("Accept-Language", "de")]).await;
    assert_eq!(res.status(), 307);
    assert_eq!(header(&res, "location"), "https://acme.test/manual-pictures.pdf");
    let res = get_with(&app, &path, &[("Accept-Language", "ru")]).await;
    assert_eq!(header(&res, "location"), "https://acme.test/manual-ru.pdf");
    let res = get(&app, &path).await;
    assert_eq!(header(&res, "location"), "https://acme.test/manual-pictures.pdf");
}

#[tokio::test]
async fn the_context_parameter_prefers_links_with_that_context() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    for (href, context) in [
        ("https://acme.test/eu/manual", Some("EU")),
        ("https://acme.test/us/manual", Some("US")),
        ("https://acme.test/manual-ru", None),
    ] {
        let lang = if context.is_some() { "en" } else { "ru" };
        let mut body = json!({ "link_type": "gs1:instructions", "href": href, "title": "Manual", "hreflang": lang });
        if let Some(c) = context {
            body["context"] = json!(c);
        }
        assert_eq!(add_link(&app, &line.token, &line.id, &body).await.status(), 201);
    }
    let en = [("Accept-Language", "en")];
    for (query, status, location) in [
        ("context=US", 307, "https://acme.test/us/manual?ref=x"),
        ("context=eu", 307, "https://acme.test/eu/manual?ref=x"),
        // An unknown context is no context: two English manuals, the visitor chooses.
        ("context=mars", 300, ""),
        ("context=", 300, ""),
        ("", 300, ""),
    ] {
        let res = get_with(&app, &format!("/01/{GTIN13}?linkType=gs1:instructions&{query}&ref=x"), &en).await;
        assert_eq!(res.status(), status, "{query}");
        assert_eq!(header(&res, "location"), location, "{query}");
    }
    // The context narrows the choice; the language still decides within it, and an unknown context
    // falls back to the language alone.
    let ru = [("Accept-Language", "ru")];
    let res = get_with(&app, &format!("/01/{GTIN13}?linkType=gs1:instructions&context=mars"), &ru).await;
    assert_eq!(header(&res, "location"), "https://acme.test/manual-ru");
    let res = get_with(&app, &format!("/01/{GTIN13}?linkType=gs1:instructions&context=US"), &ru).await;
    assert_eq!(header(&res, "location"), "https://acme.test/us/manual");
    // The default link has no context to choose by: the feedback page, without the parameter.
    let res = get(&app, &format!("/01/{GTIN13}?context=US")).await;
    assert_eq!(header(&res, "location"), format!("{}/q/{}", app.address, line.code));
}

/// Compressed GS1 Digital Link URIs and their uncompressed form, as GS1 publishes them in its own
/// implementations' test suites and documentation (gs1/digital-link.js, GS1 Resolver CE; Apache-2.0).
const COMPRESSED: &[(&str, &str)] = &[
    ("/ARHKVAdpQg", "/01/09780345418913"),
    ("/HxHKVAdpQgZzjr-hCDKigI", "/01/09780345418913/10/231/21/345345?15=120820"),
    ("/DBHKVAdpQgowOQ", "/01/09780345418913/21/12345"),
    ("/DBHKVAdpQgqrCvBv0UMG21W", "/01/09780345418913/21/43786?foo=bar"),
    (
        "/HxHKVAdpQhCTxbrOF_yEFcx_4a2GeAh1mFOZkChg6Z8pgcEMEWpMganmIfESxTyJ5UvMJa9Za",
        "/01/09780345418913/10/38737643/21/58943?15=230911&thngId=U5mQKGDpnymBwQwRakyBqeYh&linkType=test",
    ),
    ("/ARFKk4XB0CDKWcnpq", "/01/09506000134376/10/LOT01"),
    ("/AQnO2IRCICDKWcnpqQtCQiJABemo", "/01/05392000229648/10/LOT01/21/SERIAL01"),
    // Partially compressed (GTIN in the clear, serial 12345 compressed), made by hand for this test.
    ("/01/09780345418913/IQUYHI", "/01/09780345418913/21/12345"),
];

#[tokio::test]
async fn compressed_uris_from_gs1_s_examples_resolve_exactly_like_their_uncompressed_form() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, "09780345418913").await;
    line_with_gtin(&app, "09506000134376").await;
    line_with_gtin(&app, "05392000229648").await;
    let body = json!({ "link_type": "gs1:instructions", "href": "https://acme.test/manual", "title": "Manual" });
    assert_eq!(add_link(&app, &line.token, &line.id, &body).await.status(), 201);

    let mut redirects = 0;
    for (compressed, uncompressed) in COMPRESSED {
        let same_as = format!("<{}{uncompressed}>; rel=\"owl:sameAs\"", app.address);
        let join = |path: &str, query: &str| {
            if path.contains('?') { format!("{path}&{query}") } else { format!("{path}?{query}") }
        };
        for (query, accept) in [
            (None, None),
            (Some("utm=pack"), None),
            (Some("linkType=gs1:instructions"), None),
            (None, Some("application/linkset+json")),
        ] {
            let (c, u) = match query {
                Some(q) => (join(compressed, q), join(uncompressed, q)),
                None => (compressed.to_string(), uncompressed.to_string()),
            };
            let headers: Vec<(&str, &str)> = accept.iter().map(|a| ("Accept", *a)).collect();
            let from_compressed = get_with(&app, &c, &headers).await;
            let from_uncompressed = get_with(&app, &u, &headers).await;
            assert_eq!(from_compressed.status(), from_uncompressed.status(), "{c}");
            assert_eq!(header(&from_compressed, "location"), header(&from_uncompressed, "location"), "{c}");
            assert_eq!(header(&from_compressed, "content-type"), header(&from_uncompressed, "content-type"), "{c}");
            let link = header(&from_uncompressed, "link");
            assert!(!link.is_empty(), "{u}");
            // The same links, and the uncompressed URI named as the same resource.
            let expected = match link.split_once(", ") {
                Some((linkset, rest)) => format!("{linkset}, {same_as}, {rest}"),
                None => format!("{link}, {same_as}"),
            };
            assert_eq!(header(&from_compressed, "link"), expected, "{c}");
            if from_compressed.status() == 307 {
                redirects += 1;
            }
            assert_eq!(from_compressed.bytes().await.unwrap(), from_uncompressed.bytes().await.unwrap(), "{c}");
        }
    }
    // Every vector resolved to something (the one carrying linkType=test is 404 either way).
    assert!(redirects >= 7 * 2, "{redirects}");

    // What the compressed form carried reaches the feedback page.
    let res = get(&app, "/HxHKVAdpQgZzjr-hCDKigI").await;
    assert_eq!(header(&res, "location"), format!("{}/q/{}?lot=231&serial=345345&15=120820", app.address, line.code));
}

#[tokio::test]
async fn a_corrupt_compressed_uri_is_400_and_says_why() {
    let app = spawn_app().await;
    line_with_gtin(&app, "09780345418913").await;
    for (path, says) in [
        // One character changed in the GTIN.
        ("/ARHKVAdqQg", "check digit"),
        // A bit set in the padding.
        ("/ARHKVAdpQh", "data after its last element"),
        // Cut short.
        ("/HxHKVAdpQgZzjr", "ends in the middle"),
        // An SSCC: not something this resolver decodes.
        ("/AN2yxDhfaiaw", "does not decode"),
        ("/fo_o_o_o_o_o_o", "starts no GS1 Application Identifier"),
        // Partially compressed, and corrupt: the uncompressed reading's complaint.
        ("/01/09780345418913/IQUYHIQQ", "not a key qualifier"),
    ] {
        let res = get(&app, path).await;
        assert_eq!(res.status(), 400, "{path}");
        assert_eq!(header(&res, "content-type"), "application/problem+json", "{path}");
        assert_eq!(header(&res, "access-control-allow-origin"), "*", "{path}");
        let problem: Value = res.json().await.unwrap();
        assert!(problem["detail"].as_str().unwrap().contains(says), "{path}: {problem}");
    }
    // Too short to be a Digital Link, or not base64url: no such page.
    for path in ["/ARHKVAdpQ", "/nothing", "/favicon.ico"] {
        assert_eq!(get(&app, path).await.status(), 404, "{path}");
    }
    // The pages of the service keep their paths.
    assert_eq!(get(&app, "/healthz").await.status(), 200);
}

#[tokio::test]
async fn type_hreflang_and_context_round_trip_and_appear_in_the_linkset() {
    let app = spawn_app().await;
    let line = line_with_gtin(&app, GTIN13).await;
    let res = add_link(
        &app,
        &line.token,
        &line.id,
        &json!({ "link_type": "gs1:instructions", "href": "https://acme.test/manual.pdf", "title": "Manual",
                 "hreflang": "pt-br", "type": "Application/PDF", "context": "EU" }),
    )
    .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["hreflang"], "pt-BR");
    assert_eq!(created["lang"], "pt-BR");
    assert_eq!(created["type"], "application/pdf");
    assert_eq!(created["context"], "EU");
    // The older name alone, and both names agreeing, mean the same.
    let res = add_link(
        &app,
        &line.token,
        &line.id,
        &json!({ "link_type": "gs1:recallStatus", "href": "https://acme.test/recalls", "title": "Recalls", "lang": "zh-hant-tw", "hreflang": "zh-Hant-TW" }),
    )
    .await;
    assert_eq!(res.status(), 201);
    let second: Value = res.json().await.unwrap();
    assert_eq!((&second["lang"], &second["hreflang"]), (&json!("zh-Hant-TW"), &json!("zh-Hant-TW")));
    assert_eq!((&second["type"], &second["context"]), (&Value::Null, &Value::Null));
    let res = add_link(
        &app,
        &line.token,
        &line.id,
        &json!({ "link_type": "gs1:pip", "href": "https://acme.test/p", "title": "P", "lang": "en", "hreflang": "ru" }),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "hreflang");

    let links_url = app.url(&format!("/api/v1/product-lines/{}/links", line.id));
    let listed: Vec<Value> =
        app.client.get(&links_url).bearer_auth(&line.token).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed, vec![created, second]);

    let linkset: Value = get(&app, &format!("/01/{GTIN13}?linkType=linkset")).await.json().await.unwrap();
    let context = &linkset["linkset"][0];
    assert_eq!(
        context["https://gs1.org/voc/instructions"],
        json!([{ "href": "https://acme.test/manual.pdf", "title": "Manual", "type": "application/pdf", "hreflang": ["pt-BR"], "context": ["EU"] }])
    );
    assert_eq!(
        context["https://gs1.org/voc/recallStatus"],
        json!([{ "href": "https://acme.test/recalls", "title": "Recalls", "hreflang": ["zh-Hant-TW"] }])
    );
}
