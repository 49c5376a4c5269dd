//! Artwork throughput: SVG and PNG for N distinct code URLs at EC H (profile laser-metal, 10 px per
//! module for PNG). Prints `RESULT <name> <codes per second>` lines for benches/bench_artwork.sh and
//! writes the URLs (one per line) to the file given as the first argument, so that the reference
//! generator encodes exactly the same texts.
//!
//! Run through `benches/bench_artwork.sh`, which runs `cargo bench --bench artwork -- URLFILE` and then
//! segno on the same URLs.

use std::time::Instant;

use scanback::artwork::{ErrorCorrection, Format, Options, encode_url, profile, render};

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// N distinct 8-character codes (a fixed pseudo-random sequence, so runs compare).
fn codes(n: usize) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let code: String =
            (0..8).map(|i| char::from(ALPHABET.get(((x >> (i * 5)) & 31) as usize).copied().unwrap_or(b'0'))).collect();
        if seen.insert(code.clone()) {
            out.push(code);
        }
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` adds `--bench`; the first other argument is the URL file.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let n: usize = std::env::var("N").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let urls: Vec<String> = codes(n).iter().map(|c| encode_url("https://scan.example.com", c, false)).collect();
    if let Some(path) = args.first() {
        std::fs::write(path, urls.join("\n") + "\n")?;
    }

    let p = profile("laser-metal")?;
    if p.ec_level != ErrorCorrection::H {
        return Err("the benchmark profile must be EC H".into());
    }
    let mut opts = Options::new(p);
    // 0.75 mm modules at 338.67 dpi = exactly 10 px per module, like segno's scale=10.
    opts.dpi = Some(25.4 * 10.0 / p.default_module_mm);

    for (name, format) in [("svg", Format::Svg), ("png", Format::Png)] {
        // Warm-up, then the timed pass over every URL.
        for u in urls.iter().take(50) {
            render(u, format, &opts)?;
        }
        let mut bytes = 0usize;
        let t = Instant::now();
        for u in &urls {
            let a = render(u, format, &opts)?;
            if a.spec.ec_level != 'H' || (format == Format::Png && a.spec.png_px_per_module != 10) {
                return Err(format!("unexpected artwork for {u}: {:?}", a.spec).into());
            }
            bytes += a.bytes.len();
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "rust {name}: {n} codes in {:.3} s = {:.0} codes/s (avg {} bytes)",
            secs,
            n as f64 / secs,
            bytes / n.max(1)
        );
        println!("RESULT rust_{name} {:.1}", n as f64 / secs);
    }
    Ok(())
}
