//! Every input the fuzzers found (`tests/fuzz_inputs/<target>/`) and every hand-picked seed
//! (`fuzz/seeds/<target>/`) goes through the same code as its fuzz target and must come
//! back, accepted or refused, without a panic. The targets' code is `fuzz/src/harness.rs`,
//! included here so a crash replays exactly as it was found; `fuzz/README.md` says how to
//! run the fuzzers and add what they find.

#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The files of `tests/fuzz_inputs/<target>` and `fuzz/seeds/<target>`, in name order.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests/fuzz_inputs", "fuzz/seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// Feed every input of `target` to it; fail naming each input that panicked.
fn replay(target: &str) {
    let (_, run) = harness::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no fuzz target {target}"));
    let files = inputs(target);
    assert!(!files.is_empty(), "no inputs for the {target} target");
    let panicked: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let payload = catch_unwind(AssertUnwindSafe(|| run(&bytes))).err()?;
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let first_line = message.lines().next().unwrap_or_default().to_owned();
            Some(format!("{}: {first_line}", path.display()))
        })
        .collect();
    assert!(
        panicked.is_empty(),
        "{} of {} {target} inputs panicked (full messages above):\n  {}",
        panicked.len(),
        files.len(),
        panicked.join("\n  ")
    );
}

#[test]
fn profile_inputs_do_not_panic() {
    replay("profile");
}

#[test]
fn state_toml_inputs_do_not_panic() {
    replay("state_toml");
}

#[test]
fn state_jsonl_inputs_do_not_panic() {
    replay("state_jsonl");
}

#[test]
fn config_inputs_do_not_panic() {
    replay("config");
}

#[test]
fn catalog_inputs_do_not_panic() {
    replay("catalog");
}

#[test]
fn every_target_is_replayed() {
    let replayed = ["profile", "state_toml", "state_jsonl", "config", "catalog"];
    for (name, _) in harness::TARGETS {
        assert!(replayed.contains(name), "add a test that replays {name}");
    }
}
