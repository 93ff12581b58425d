//! Build-time preparation of the embedded data.
//!
//! - Converts the rulings and law catalog (TOML, easy to edit and review) to JSON: the
//!   binary parses the JSON at start-up, as serde_json reads it several times faster than
//!   a TOML parser and the catalog is the largest text every run needs. The TOML stays the
//!   source of truth; the test suite also parses and checks it directly.
//! - Lists every `profiles/*.toml` (but the catalog) as a built-in profile, so adding a
//!   profile to the library is adding a file: no list in the code to keep in step.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=profiles");
    println!("cargo::rerun-if-changed=profiles/catalog.toml");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let text = std::fs::read_to_string("profiles/catalog.toml")
        .expect("profiles/catalog.toml is readable");
    let value: toml::Value = toml::from_str(&text).expect("profiles/catalog.toml is valid TOML");
    let json = serde_json::to_string(&value).expect("TOML values convert to JSON");
    std::fs::write(Path::new(&out).join("catalog.json"), json).expect("OUT_DIR is writable");

    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut names: Vec<String> = std::fs::read_dir("profiles")
        .expect("profiles/ is readable")
        .map(|entry| entry.expect("profiles/ entries are readable").file_name())
        .map(|name| name.into_string().expect("profile file names are UTF-8"))
        .filter(|name| name.ends_with(".toml") && name != "catalog.toml")
        .collect();
    // By app id (`wechat` before `wechat-read`), as `privaudit list` shows them.
    names.sort_by(|a, b| a.trim_end_matches(".toml").cmp(b.trim_end_matches(".toml")));
    let mut list = String::from("[\n");
    for name in &names {
        println!("cargo::rerun-if-changed=profiles/{name}");
        list.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            format!("profiles/{name}"),
            format!("{manifest}/profiles/{name}")
        ));
    }
    list.push(']');
    std::fs::write(Path::new(&out).join("builtin_profiles.rs"), list).expect("OUT_DIR is writable");
}
