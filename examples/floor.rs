//! The floor that benches/speed.py compares privaudit against: the least any checker must
//! do with the same input, using the same TOML parser.
//!
//! - `floor profile FILE`: read one TOML file, parse it and print it as JSON.
//! - `floor states DIR`: read every `*.toml` in DIR (name order) and parse each, on every
//!   core, printing only a count.

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("profile"), Some(file)) => {
            let text = std::fs::read_to_string(file).expect("readable file");
            let value: toml::Value = toml::from_str(&text).expect("valid TOML");
            println!("{}", serde_json::to_string(&value).expect("serialisable"));
        }
        (Some("states"), Some(dir)) => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .expect("readable directory")
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            files.sort();
            let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
            let parsed: usize = std::thread::scope(|scope| {
                files
                    .chunks(files.len().div_ceil(workers).max(1))
                    .map(|part| {
                        scope.spawn(move || {
                            part.iter()
                                .filter(|p| {
                                    let text = std::fs::read_to_string(p).expect("readable file");
                                    toml::from_str::<toml::Table>(&text).is_ok()
                                })
                                .count()
                        })
                    })
                    .collect::<Vec<_>>()
                    .into_iter()
                    .map(|h| h.join().expect("no panic"))
                    .sum()
            });
            println!("{parsed}");
        }
        _ => {
            eprintln!("usage: floor profile FILE | floor states DIR");
            std::process::exit(2);
        }
    }
}
