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

/// A Russian product name, as a print shop in Russia gets it.
const NAME: &str = "Сковорода 28 см";

fn encoded(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn every_format_of_every_profile_decodes_exactly_with_two_decoders_and_uses_no_error_correction() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": NAME })).await;
    let url = printed_url(&app, &l.code);
    let mut entries = Vec::new();
    let mut expected = Vec::new();
    for p in profiles() {
        assert!(!p.uppercase_scheme, "this test expects lower-case schemes");
        // Every format bare, and the vector formats again with the Cyrillic name as caption (PNG has
        // no text): the caption must neither disturb the code nor come out romanised.
        let cases = Format::ALL
            .into_iter()
            .map(|f| (f, false))
            .chain([Format::Svg, Format::Pdf, Format::Eps].into_iter().map(|f| (f, true)));
        for (f, captioned) in cases {
            let caption = if captioned { format!("&caption={}", encoded(NAME)) } else { String::new() };
            let res = get(
                &app,
                &m.api_token,
                &format!("/api/v1/product-lines/{}/artwork?format={f}&profile={}{caption}", l.id, p.name),
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
            let path = app.dir.path().join(format!("{}{}.{f}", p.name, if captioned { "-caption" } else { "" }));
            let bytes = res.bytes().await.unwrap();
            std::fs::write(&path, &bytes).unwrap();
            if captioned {
                match f {
                    Format::Pdf => assert_eq!(pdf_text(&path).trim(), NAME, "{}: the caption as written", p.name),
                    Format::Svg => {
                        let svg = String::from_utf8_lossy(&bytes);
                        assert!(!svg.contains("<text"), "{}: SVG captions are outlines", p.name);
                        assert_eq!(svg.matches("<path").count(), 2, "{}", p.name);
                    }
                    _ => {
                        let eps = String::from_utf8_lossy(&bytes);
                        assert!(!eps.contains("findfont") && !eps.contains("Skovoroda"), "{}: EPS outlines", p.name);
                    }
                }
            }
            // Rasterised at the profile's own resolution (what its printer or imagesetter does).
            entries.push(json!({ "file": path, "dpi": p.png_dpi.round() as u32 }));
            expected.push((
                format!("{}{}", p.name, if captioned { " captioned" } else { "" }),
                f,
                p.invert,
                version,
                ec,
            ));
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

/// Rasterises the PDF, EPS and SVG of one captioned artwork (pdftoppm, Ghostscript, rsvg-convert at
/// 600 dpi) and compares the caption band below the code: its share of ink in each format, and how
/// far two formats' ink differs, bottom-aligned, after binarising and averaging 8 x 8 pixel blocks
/// (rasterisers differ by a pixel at glyph edges; a missing, misplaced or other caption differs by
/// about its whole ink).
fn caption_bands(pdf: &Path, eps: &Path, svg: &Path, band_mm: f64) -> Value {
    let script = r#"
import json, subprocess, sys, tempfile
from PIL import Image
pdf, eps, svg, band_mm = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
d = tempfile.mkdtemp()
subprocess.run(["pdftoppm", "-r", "600", "-gray", "-png", "-singlefile", pdf, d + "/pdf"], check=True)
subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-dEPSCrop", "-r600",
                "-dGraphicsAlphaBits=4", "-sOutputFile=" + d + "/eps.png", eps], check=True)
subprocess.run(["rsvg-convert", "--dpi-x", "600", "--dpi-y", "600", "-o", d + "/svg.png", svg], check=True)
band = int(band_mm / 25.4 * 600) - 4
ims = {k: Image.open(d + "/" + k + ".png").convert("L") for k in ("pdf", "eps", "svg")}
w = min(i.width for i in ims.values()) - 2
def blocks(i):
    c = i.crop((0, i.height - band, w, i.height)).point(lambda p: 0 if p < 128 else 255)
    return [1 - p / 255 for p in c.resize((w // 8, band // 8), Image.BOX).getdata()]
ink = {k: blocks(i) for k, i in ims.items()}
out = {"ink": {k: sum(v) / len(v) for k, v in ink.items()}}
out["differ"] = {a + "-" + b: sum(abs(x - y) for x, y in zip(ink[a], ink[b])) / len(ink[a])
                 for a, b in (("pdf", "eps"), ("pdf", "svg"), ("eps", "svg"))}
print(json.dumps(out))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(pdf)
        .arg(eps)
        .arg(svg)
        .arg(band_mm.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn a_cyrillic_caption_prints_the_same_in_pdf_eps_and_svg_below_the_quiet_zone() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": NAME })).await;
    let long = "Сковорода чугунная с антипригарным покрытием, 28 см";
    let mut files = Vec::new();
    for (i, caption) in [NAME, long].into_iter().enumerate() {
        for f in [Format::Pdf, Format::Eps, Format::Svg] {
            let q = format!("format={f}&profile=pad-print&caption={}", encoded(caption));
            let res = get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?{q}", l.id)).await;
            assert_eq!(res.status(), 200);
            let path = app.dir.path().join(format!("band{i}.{f}"));
            std::fs::write(&path, res.bytes().await.unwrap()).unwrap();
            files.push(path);
        }
    }
    for (i, caption) in [NAME, long].into_iter().enumerate() {
        let [pdf, eps, svg] = [&files[3 * i], &files[3 * i + 1], &files[3 * i + 2]];
        let text = std::fs::read_to_string(svg).unwrap();
        let mm = |attr: &str| -> f64 {
            text.split(&format!("{attr}=\"")).nth(1).unwrap().split("mm\"").next().unwrap().parse().unwrap()
        };
        let band_mm = mm("height") - mm("width");
        assert!(band_mm > 1.0, "a band below the code");
        // The long name wraps (pdftotext reads it back in lines), the short one does not.
        let read = pdf_text(pdf);
        let words: Vec<&str> = read.split_whitespace().collect();
        assert_eq!(words.join(" "), caption, "{read}");
        assert_eq!(read.trim().lines().count() > 1, i == 1, "{read}");
        let bands = caption_bands(pdf, eps, svg, band_mm);
        for (k, v) in bands["ink"].as_object().unwrap() {
            assert!(v.as_f64().unwrap() > 0.03, "{caption}: no caption ink in {k}: {bands}");
        }
        for (k, v) in bands["differ"].as_object().unwrap() {
            assert!(v.as_f64().unwrap() < 0.04, "{caption}: {k} draw different captions: {bands}");
        }
    }
}

#[tokio::test]
async fn svg_captions_are_outlines_unless_asked_to_stay_live_text() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": NAME })).await;
    let svg = |extra: &'static str| {
        let path = format!("/api/v1/product-lines/{}/artwork?format=svg&caption={}{extra}", l.id, encoded(NAME));
        let (app, token) = (&app, m.api_token.clone());
        async move {
            let res = get(app, &token, &path).await;
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let outlined = svg("").await;
    assert!(!outlined.contains("<text"), "{outlined}");
    assert!(outlined.contains(&format!("<title>{NAME}</title></path>")));
    let live = svg("&caption_as_text=true").await;
    assert!(live.contains(&format!(">{NAME}</text>")), "{live}");
    assert!(live.contains("font-family=\"'Noto Sans', sans-serif\""));
    assert_eq!(svg("&caption_as_text=false").await, outlined);
}

#[tokio::test]
async fn pdftotext_reads_the_name_as_written_from_the_artwork_the_spec_sheet_and_the_sheet() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": NAME })).await;
    let other = line(&app, &m.api_token, json!({ "name": "Крышка стеклянная" })).await;
    for (file, path) in [
        ("art.pdf", format!("/api/v1/product-lines/{}/artwork?format=pdf&caption={}", l.id, encoded(NAME))),
        ("spec.pdf", format!("/api/v1/product-lines/{}/artwork?format=spec", l.id)),
        ("a4.pdf", format!("/api/v1/artwork/sheet?lines={},{}&paper=a4", l.id, other.id)),
        ("letter.pdf", format!("/api/v1/artwork/sheet?lines={},{}&paper=letter&profile=laser-metal", l.id, other.id)),
    ] {
        let res = get(&app, &m.api_token, &path).await;
        assert_eq!(res.status(), 200, "{path}");
        let pdf = app.dir.path().join(file);
        std::fs::write(&pdf, res.bytes().await.unwrap()).unwrap();
        let text = pdf_text(&pdf);
        assert!(text.contains(NAME), "{file} lacks {NAME:?}:\n{text}");
        assert!(!text.contains("Skovoroda"), "{file} is romanised");
        if file.ends_with("4.pdf") || file.starts_with("letter") {
            for needle in ["Крышка стеклянная", l.code.as_str(), other.code.as_str()] {
                assert!(text.contains(needle), "{file}: every piece names its line and code: {needle}\n{text}");
            }
        }
        let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout);
        assert!(fonts.contains("+NotoSans-Regular") && fonts.contains("CID TrueType"), "{file}: {fonts}");
        assert!(!fonts.contains("Helvetica"), "{file}: {fonts}");
    }
}

#[tokio::test]
async fn a_character_the_print_font_lacks_is_refused_naming_it_in_the_api_and_the_cli() {
    let app = spawn_app().await;
    let m = app.create_manufacturer("Acme").await;
    let l = line(&app, &m.api_token, json!({ "name": NAME })).await;
    let message = "the caption contains 𝄞 (U+1D11E), which the print font cannot draw";
    for f in ["svg", "pdf", "eps", "png", "spec"] {
        let q = format!("format={f}&caption={}", encoded("Сковорода 𝄞"));
        let res = get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?{q}", l.id)).await;
        assert_eq!(res.status(), 422, "{f}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "caption", "{f}: {body}");
        assert_eq!(body["error"]["message"], message, "{f}: {body}");
    }
    // A name that cannot be set refuses what prints it, naming the character and the field to change.
    let cup = line(&app, &m.api_token, json!({ "name": "Кружка ☕" })).await;
    for path in [
        format!("/api/v1/product-lines/{}/artwork?format=spec", cup.id),
        format!("/api/v1/artwork/sheet?lines={}", cup.id),
        format!("/api/v1/artwork/bundle?lines={}", cup.id),
    ] {
        let res = get(&app, &m.api_token, &path).await;
        assert_eq!(res.status(), 422, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["field"], "name", "{path}: {body}");
        assert_eq!(
            body["error"]["message"], "the product name contains ☕ (U+2615), which the print font cannot draw",
            "{path}"
        );
    }
    // Artwork without text does not care.
    let res = get(&app, &m.api_token, &format!("/api/v1/product-lines/{}/artwork?format=pdf", cup.id)).await;
    assert_eq!(res.status(), 200);

    let out = app.cli(&["artwork", &l.code, "--format", "pdf", "--caption", "Сковорода 𝄞", "-o", "refused.pdf"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(message), "{err}");
    assert!(!app.dir.path().join("refused.pdf").exists(), "nothing written");
    let out = app.cli(&["artwork", &l.code, "--format", "eps", "--caption", NAME, "-o", "ok.eps"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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
