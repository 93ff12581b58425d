//! Converts the rulings and law catalog (TOML, easy to edit and review) to JSON at build
//! time. The binary parses the JSON at start-up: serde_json reads it several times faster
//! than a TOML parser, and the catalog is the largest text every run needs. The TOML stays
//! the source of truth; the test suite also parses and checks it directly.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=profiles/catalog.toml");
    let text = std::fs::read_to_string("profiles/catalog.toml")
        .expect("profiles/catalog.toml is readable");
    let value: toml::Value = toml::from_str(&text).expect("profiles/catalog.toml is valid TOML");
    let json = serde_json::to_string(&value).expect("TOML values convert to JSON");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("catalog.json"), json).expect("OUT_DIR is writable");
}
