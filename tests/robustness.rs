//! What a hostile tester broke, each as a test that fails on the code before the fix:
//! writes that fail, diagnostics that cannot be written, hostile text in XML and
//! Markdown, empty and endless inputs, symlinked and shared state files. SECURITY.md names
//! these tests as the proof of each promise.

mod common;

use common::{Env, fixture};
use std::fs::File;
use std::process::Stdio;

/// Run with stdout going to `/dev/full`, where every write fails with ENOSPC.
fn to_full_disk(env: &Env, args: &[&str]) -> common::Run {
    let out = env
        .std_cmd()
        .args(args)
        .stdout(Stdio::from(File::create("/dev/full").unwrap()))
        .output()
        .unwrap();
    common::Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::new(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn a_failed_write_to_stdout_is_exit_2_with_one_message() {
    let env = Env::new();
    let state = env.file("states.jsonl", "{\"app\":\"wechat-read\"}\n".repeat(3000));
    let state = state.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &["list"],
        &["list", "--format", "json"],
        &["explain", "huang-v-tencent-2020"],
        &[
            "diff",
            "tests/fixtures/douyin-older-defaults.toml",
            "douyin",
        ],
        &["validate", "profiles/douyin.toml"],
        &["check", "wechat-read", "--fail-on", "never"],
        &["check", "--states-jsonl", state, "--format", "jsonl"],
        &["check", "--states-jsonl", state, "--format", "json"],
        &["check", "--states-jsonl", state, "--format", "sarif"],
        &["check", "--states-jsonl", state, "--format", "junit"],
        &["check", "--states-jsonl", state, "--format", "markdown"],
        &["check", "--states-jsonl", state, "--format", "text"],
    ];
    for args in cases {
        let r = to_full_disk(&env, args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr
                .matches("privaudit: error: cannot write the output")
                .count(),
            1,
            "{args:?}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn a_closed_stdout_is_exit_2_with_a_message() {
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("privaudit");
    let out = std::process::Command::new("sh")
        .args(["-c", "exec \"$0\" check wechat-read >&-"])
        .arg(bin)
        .env("HOME", env.home.path())
        .env("XDG_CONFIG_HOME", env.home.path().join("config"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("privaudit: error: cannot write the output"),
        "{stderr}"
    );
}

#[test]
fn a_diagnostic_that_cannot_be_written_is_not_a_panic() {
    let env = Env::new();
    for args in [
        vec!["check".to_owned(), fixture("malformed.toml")],
        vec!["validate".to_owned(), "missing.toml".to_owned()],
        vec!["check".to_owned(), "no-such-app".to_owned()],
    ] {
        let out = env
            .std_cmd()
            .args(&args)
            .stderr(Stdio::from(File::create("/dev/full").unwrap()))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}
