//! Lists the languages under `locales/` so that adding a language is adding a folder with its
//! `main.ftl`: the code learns the set at compile time (fluent-templates embeds the files the same way).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=locales");
    let mut tags: Vec<String> = std::fs::read_dir("locales")
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.path().join("main.ftl").is_file())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    // English first: it is the fallback and the default for visitors we cannot match.
    tags.sort_by_key(|t| (t != "en", t.clone()));
    let list = tags.iter().map(|t| format!("{t:?}")).collect::<Vec<_>>().join(", ");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let code = format!(
        "/// Language tags with a `locales/<tag>/main.ftl`, English first.\npub const SUPPORTED: &[&str] = &[{list}];\n"
    );
    if let Err(e) = std::fs::write(Path::new(&out).join("locales.rs"), code) {
        // A build script reports failure through its exit status.
        eprintln!("cannot write the locale list: {e}");
        std::process::exit(1);
    }
}
