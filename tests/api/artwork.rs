//! Artwork through the API and the CLI, proven with real rasterisers (rsvg-convert, pdftoppm,
//! ghostscript) and two real decoders (zxing-cpp and zbarimg), run in one Python process per batch.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use scanback::artwork::{Format, profiles};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A client without connection reuse. These tests pause for seconds while decoders run, and a
/// pooled connection the server closes for idleness at the moment of the next request fails it
/// (hyper's IncompleteMessage); a fresh connection per request cannot race like that.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(0).build().unwrap()
}

pub async fn post_line(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    http().post(app.url("/api/v1/product-lines")).bearer_auth(token).json(body).send().await.unwrap()
}

/// Decodes many files in one `qr_decode.py --batch` run (see the script for the entry format).
pub fn decode_batch(entries: &Value) -> Vec<Value> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/qr_decode.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .arg("--batch")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3 qr_decode.py --batch");
    child.stdin.take().unwrap().write_all(entries.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "decoder failed: {}", String::from_utf8_lossy(&out.stderr));
    let results: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    for r in &results {
        assert!(r["error"].is_null(), "{r}");
    }
    results
}

/// Every QR symbol in one file (a sheet holds many), decoded by zxing-cpp.
fn decode_all(file: &Path, dpi: u32) -> Vec<String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/qr_decode.py");
    let out = Command::new("python3").arg(&script).arg("--dpi").arg(dpi.to_string()).arg(file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    v.iter().map(|s| s["text"].as_str().unwrap().to_owned()).collect()
}

fn pdf_text(file: &Path) -> String {
    let out =
        Command::new("pdftotext").args(["-layout"]).arg(file).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Line {
    id: String,
    code: String,
}

async fn line(app: &TestApp, token: &str, body: Value) -> Line {
    let res = post_line(app, token, &body).await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    Line { id: v["id"].as_str().unwrap().to_owned(), code: v["code"].as_str().unwrap().to_owned() }
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    http().get(app.url(path)).bearer_auth(token).send().await.unwrap()
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers().get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap().to_owned()
}

/// What the symbol of a line without lot must carry: scheme lower, host and path upper.
fn printed_url(app: &TestApp, code: &str) -> String {
    format!("http://127.0.0.1:{}/Q/{code}", app.port)
}

#[tokio::test]
async fn every_format_of_every_profile_decodes_exactly_with_two_decoders_and_uses_no_error_correction() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": "Frying pan 28 cm" })).await;
    let url = printed_url(&app, &l.code);
    let mut entries = Vec::new();
    let mut expected = Vec::new();
    for p in profiles() {
        assert!(!p.uppercase_scheme, "this test expects lower-case schemes");
        for f in Format::ALL {
            let res = get(
                &app,
                &m.api_token,
                &format!("/api/v1/product-lines/{}/artwork?format={f}&profile={}", l.id, p.name),
            )
            .await;
            assert_eq!(res.status(), 200, "{} {f}", p.name);
            assert_eq!(header(&res, "content-type"), f.content_type());
            assert_eq!(header(&res, "x-symbol-text"), url);
            let version: i64 = header(&res, "x-symbol-version").parse().unwrap();
            let ec = header(&res, "x-symbol-ec-level");
            // The profile's level is a floor: spare room in the same version is turned into more EC.
            let rank = |l: &str| "LMQH".find(l).unwrap();
            let floor = p.ec_level.letter().to_string();
            assert!(rank(&ec) >= rank(&floor), "{} has EC {ec} below {floor}", p.name);
            let path = app.dir.path().join(format!("{}.{f}", p.name));
            std::fs::write(&path, res.bytes().await.unwrap()).unwrap();
            // Rasterised at the profile's own resolution (what its printer or imagesetter does).
            entries.push(json!({ "file": path, "dpi": p.png_dpi.round() as u32 }));
            expected.push((p.name.clone(), f, p.invert, version, ec));
        }
    }
    let results = decode_batch(&Value::Array(entries));
    assert_eq!(results.len(), expected.len());
    for (r, (profile, f, inverted, version, ec)) in results.iter().zip(&expected) {
        let what = format!("{profile} {f}: {r}");
        assert_eq!(r["zxing"]["text"], url.as_str(), "{what}");
        assert_eq!(r["zxing"]["ec_level"], ec.as_str(), "{what}");
        assert_eq!(r["zxing"]["version"], *version, "{what}");
        assert_eq!(r["zxing"]["uec"], 1.0, "clean artwork must read without using error correction: {what}");
        if *inverted {
            // Light-on-dark: only decoders that try the inverted image read it.
            assert!(r["zbar"].is_null(), "{what}");
            assert!(r["zxing_no_invert"].is_null(), "{what}");
            assert_eq!(r["zbar_inverted"], url.as_str(), "{what}");
        } else {
            assert_eq!(r["zbar"], url.as_str(), "{what}");
            assert_eq!(r["zxing_no_invert"], url.as_str(), "{what}");
        }
    }
}

#[tokio::test]
async fn ec_h_artwork_survives_damage_blur_low_contrast_and_rotation_but_not_a_dark_surround_without_quiet_zone() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": "Pan" })).await;
    let url = printed_url(&app, &l.code);
    let res =
        get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?format=png&profile=laser-metal", l.id))
            .await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "x-symbol-ec-level"), "H");
    let version: u32 = header(&res, "x-symbol-version").parse().unwrap();
    let png = app.dir.path().join("laser.png");
    std::fs::write(&png, res.bytes().await.unwrap()).unwrap();
    let modules = 17 + 4 * version;
    let cases = ["blank:0.15", "blur:0.3", "contrast:0.24", "rotate:20", "noquiet:4"];
    let entries: Vec<Value> =
        cases.iter().map(|t| json!({ "file": png, "transforms": [t], "modules": modules, "quiet": 4 })).collect();
    let results = decode_batch(&Value::Array(entries));
    for (case, r) in cases.iter().zip(&results) {
        if case.starts_with("noquiet") {
            // Negative control: the finder patterns merge into the dark surround; nothing reads it.
            for decoder in ["zxing", "zxing_no_invert", "zbar", "zbar_inverted"] {
                assert!(r[decoder].is_null(), "{case} {decoder}: {r}");
            }
        } else {
            assert_eq!(r["zxing"]["text"], url.as_str(), "{case}: {r}");
            assert_eq!(r["zbar"], url.as_str(), "{case}: {r}");
        }
    }
    // The blank really costs error correction (so the transform bites), and H has it to spare.
    let blank_uec = results[0]["zxing"]["uec"].as_f64().unwrap();
    assert!(blank_uec < 1.0, "{}", results[0]);
}

#[tokio::test]
async fn a_lot_is_printed_as_a_gs1_digital_link_and_refused_without_a_gtin() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let with_gtin = line(&app, &m.api_token, json!({ "name": "Pan", "gtin": "4006381333931" })).await;
    let without = line(&app, &m.api_token, json!({ "name": "Lid" })).await;

    let res =
        get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?format=png&lot=l26/11-a", with_gtin.id))
            .await;
    assert_eq!(res.status(), 200);
    let dl = format!("http://127.0.0.1:{}/01/04006381333931/10/L26%2F11-A", app.port);
    assert_eq!(header(&res, "x-symbol-text"), dl);
    assert!(header(&res, "content-disposition").contains("-lot-L26-11-A-"));
    let png = app.dir.path().join("lot.png");
    std::fs::write(&png, res.bytes().await.unwrap()).unwrap();
    let r = decode_batch(&json!([{ "file": png }]));
    assert_eq!(r[0]["zxing"]["text"], dl.as_str());
    assert_eq!(r[0]["zbar"], dl.as_str());

    // Lots are case-insensitive: the same symbol either way.
    let upper = get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?lot=L26/11-A", with_gtin.id)).await;
    assert_eq!(header(&upper, "x-symbol-text"), dl);

    let res = get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?lot=A1", without.id)).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "lot");
    assert!(body["error"]["message"].as_str().unwrap().contains("no GTIN"), "{body}");

    for bad in ["lot%20one", "A?", &"A".repeat(21)] {
        let res = get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?lot={bad}", with_gtin.id)).await;
        assert_eq!(res.status(), 422, "{bad}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "lot");
    }
}

#[tokio::test]
async fn refusals_name_the_field_and_say_what_to_do() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let other = app.create_manufacturer("Other").await;
    let l = line(&app, &m.api_token, json!({ "name": "Pan" })).await;
    let art = |q: &str| format!("/api/v1/product-lines/{}/artwork?{q}", l.id);
    let cases = [
        (
            art("profile=laser-metal&size_mm=12"),
            "size_mm",
            "12 mm is too small for laser-metal: this code needs at least 24.6 mm",
        ),
        (art("profile=inkjet"), "profile", "unknown print profile \"inkjet\""),
        (art("format=gif"), "format", "unknown artwork format \"gif\"; valid formats are: svg, png, pdf, eps, spec"),
        (format!("/api/v1/artwork/sheet?lines={}&paper=a3", l.id), "paper", "unknown paper \"a3\""),
        ("/api/v1/artwork/bundle?lines=all&profile=nope".to_owned(), "profile", "unknown print profile"),
        ("/api/v1/artwork/bundle".to_owned(), "lines", "lines=all"),
    ];
    for (path, field, message) in cases {
        let res = get(&app, &m.api_token, &path).await;
        assert_eq!(res.status(), 422, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{path}: {body}");
        assert!(body["error"]["message"].as_str().unwrap().contains(message), "{path}: {body}");
    }
    // Another manufacturer's line is not found, wherever it is named.
    for path in [
        art("format=svg"),
        format!("/api/v1/artwork/sheet?lines={}", l.id),
        format!("/api/v1/artwork/bundle?lines={}", l.id),
        "/api/v1/artwork/bundle?lines=not-an-id".to_owned(),
    ] {
        let res = get(&app, &other.api_token, &path).await;
        assert_eq!(res.status(), 404, "{path}");
    }
    let res = http().get(app.url(&art("format=svg"))).send().await.unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn format_spec_is_a_spec_sheet_naming_url_symbol_and_print_rules() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": "Pan" })).await;
    let res =
        get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?format=spec&profile=laser-metal", l.id))
            .await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "application/pdf");
    assert!(header(&res, "content-disposition").ends_with("-laser-metal-spec.pdf\""));
    let version = header(&res, "x-symbol-version");
    let file = app.dir.path().join("spec.pdf");
    std::fs::write(&file, res.bytes().await.unwrap()).unwrap();
    let text = pdf_text(&file);
    for needle in [
        printed_url(&app, &l.code).as_str(),
        "laser-metal",
        &format!("version {version}"),
        "Error correction",
        "H ",
        "0.75 mm",
        "Quiet zone",
        "4 modules",
        ">= 40 %",
    ] {
        assert!(text.contains(needle), "spec sheet lacks {needle:?}:\n{text}");
    }
    // The code on the spec sheet is real and at true size.
    assert_eq!(decode_all(&file, 300), vec![printed_url(&app, &l.code)]);
}

#[tokio::test]
async fn sheets_hold_several_lines_or_one_lines_lots_with_crop_marks_on_a4_or_letter() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let a = line(&app, &m.api_token, json!({ "name": "Pan", "gtin": "4006381333931" })).await;
    let b = line(&app, &m.api_token, json!({ "name": "Lid" })).await;

    let res =
        get(&app, &m.api_token, &format!("/api/v1/artwork/sheet?lines={},{}&profile=label-thermal-300dpi", a.id, b.id))
            .await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "application/pdf");
    let file = app.dir.path().join("sheet.pdf");
    std::fs::write(&file, res.bytes().await.unwrap()).unwrap();
    let mut found = decode_all(&file, 300);
    found.sort();
    let mut want = vec![printed_url(&app, &a.code), printed_url(&app, &b.code)];
    want.sort();
    assert_eq!(found, want);
    assert!(pdf_text(&file).contains(&a.code), "pieces are captioned with their code");

    let res = get(&app, &m.api_token, &format!("/api/v1/artwork/sheet?lines={}&lots=A1,b2&paper=letter", a.id)).await;
    assert_eq!(res.status(), 200);
    let file = app.dir.path().join("lots.pdf");
    std::fs::write(&file, res.bytes().await.unwrap()).unwrap();
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("612 x 792 pts"), "US Letter");
    let mut found = decode_all(&file, 300);
    found.sort();
    let dl = |lot: &str| format!("http://127.0.0.1:{}/01/04006381333931/10/{lot}", app.port);
    assert_eq!(found, vec![dl("A1"), dl("B2")]);

    // Lots belong to exactly one line, and a line needs a GTIN for them.
    for (q, field) in [
        (format!("lines={},{}&lots=A1", a.id, b.id), "lots"),
        (format!("lines={}&lots=A1", b.id), "lot"),
        (format!("lines={}&lots=A1,a1", a.id), "lots"),
    ] {
        let res = get(&app, &m.api_token, &format!("/api/v1/artwork/sheet?{q}")).await;
        assert_eq!(res.status(), 422, "{q}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{q}: {body}");
    }
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let a = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut names: Vec<String> = a.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    names
}

fn bundle_names(codes: &[&str]) -> Vec<String> {
    let mut want = vec!["README.txt".to_owned()];
    for c in codes {
        for ext in ["svg", "png", "pdf", "eps"] {
            want.push(format!("{c}.{ext}"));
        }
        want.push(format!("{c}-spec.pdf"));
    }
    want.sort();
    want
}

#[tokio::test]
async fn the_bundle_zips_every_chosen_line_in_every_format_with_spec_sheets() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let a = line(&app, &m.api_token, json!({ "name": "Pan" })).await;
    let b = line(&app, &m.api_token, json!({ "name": "Lid" })).await;
    let other = app.create_manufacturer("Other").await;
    line(&app, &other.api_token, json!({ "name": "Not ours" })).await;

    let res = get(&app, &m.api_token, "/api/v1/artwork/bundle?lines=all&profile=pad-print").await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-type"), "application/zip");
    assert_eq!(zip_names(&res.bytes().await.unwrap()), bundle_names(&[&a.code, &b.code]));

    let res = get(&app, &m.api_token, &format!("/api/v1/artwork/bundle?lines={}", b.id)).await;
    assert_eq!(res.status(), 200);
    assert_eq!(zip_names(&res.bytes().await.unwrap()), bundle_names(&[&b.code]));

    let empty = app.create_manufacturer("Empty").await;
    let res = get(&app, &empty.api_token, "/api/v1/artwork/bundle?lines=all").await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_cli_writes_every_lines_artwork_with_a_progress_bar_and_prints_lots() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let a = line(&app, &m.api_token, json!({ "name": "Pan", "gtin": "4006381333931" })).await;
    let b = line(&app, &m.api_token, json!({ "name": "Lid" })).await;
    let other = app.create_manufacturer("Other").await;
    let c = line(&app, &other.api_token, json!({ "name": "Kettle" })).await;

    let out = app.cli(&["artwork", "--all", "--profile", "laser-metal", "--format", "pdf", "-o", "all"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("] 3/3") && err.contains('\r') && err.contains('#'), "{err}");
    let mut files: Vec<String> = std::fs::read_dir(app.dir.path().join("all"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut want: Vec<String> = [&a.code, &b.code, &c.code].iter().map(|c| format!("{c}.pdf")).collect();
    want.sort();
    assert_eq!(files, want);

    let mid = m.manufacturer_id.to_string();
    let out = app.cli(&["artwork", "--all", "--manufacturer", &mid, "--format", "svg", "-o", "mine"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_dir(app.dir.path().join("mine")).unwrap().count(), 2);
    let svg = app.dir.path().join("mine").join(format!("{}.svg", a.code));
    let r = decode_batch(&json!([{ "file": svg, "dpi": 600 }]));
    assert_eq!(r[0]["zxing"]["text"], printed_url(&app, &a.code).as_str());

    let out = app.cli(&["artwork", &a.code.to_lowercase(), "--lot", "x-7", "--format", "png", "-o", "lot.png"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dl = format!("http://127.0.0.1:{}/01/04006381333931/10/X-7", app.port);
    assert!(String::from_utf8_lossy(&out.stderr).contains(&dl));
    let r = decode_batch(&json!([{ "file": app.dir.path().join("lot.png") }]));
    assert_eq!(r[0]["zxing"]["text"], dl.as_str());

    let out = app.cli(&["artwork", &b.code, "--lot", "x-7", "-o", "nope.svg"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no GTIN"));
    let out = app.cli(&["artwork", &a.code, "--lot", "x 7", "-o", "nope.svg"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--lot"));
}
