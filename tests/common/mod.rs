//! Shared helpers for the tests that run the real binary.
#![allow(dead_code)]

pub mod pty;

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;
use tempfile::TempDir;

/// An isolated home: empty config and data directories for each test.
pub struct Env {
    pub home: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            home: TempDir::new().unwrap(),
        }
    }

    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same command as a plain `std::process::Command`, whose stdin, stdout and stderr
    /// can be any file (`/dev/full`, a closed descriptor).
    pub fn std_cmd(&self) -> std::process::Command {
        self.isolated(std::process::Command::new(assert_cmd::cargo::cargo_bin(
            "privaudit",
        )))
    }

    /// Any command (a shell that starts privaudit, say) in this home, with its own config
    /// and data directories.
    pub fn isolated(&self, mut cmd: std::process::Command) -> std::process::Command {
        cmd.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env_remove("NO_COLOR")
            .env_remove("RUST_BACKTRACE");
        cmd
    }

    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.home.path().join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }
}

pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/{name}")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

pub fn json(cmd: &mut Command) -> (i32, Value) {
    let r = run(cmd);
    let value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", r.stdout, r.stderr));
    (r.code, value)
}

/// 1-based line of the first line containing `needle` after the line containing `after`.
pub fn line_after(text: &str, after: &str, needle: &str) -> usize {
    let start = text
        .lines()
        .position(|l| l.contains(after))
        .expect("anchor line");
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .expect("needle line")
}

/// The interactive auditor over the built-in profiles at their defaults, on a fixed date,
/// saving nowhere. Leaked so tests can hold it freely.
/// The apps of the three rulings and WeChat, in this order, whatever else the library
/// holds: the TUI tests walk these four by their place in the picker.
pub fn the_rulings_apps() -> Vec<privaudit::profile::Profile> {
    let mut builtin = privaudit::registry::builtin_profiles(privaudit::catalog::builtin()).unwrap();
    let order = ["wechat-read", "douyin", "duoshan", "wechat"];
    builtin.retain(|p| order.contains(&p.app.id.as_str()));
    builtin.sort_by_key(|p| order.iter().position(|id| *id == p.app.id));
    builtin
}

pub fn tui_app(lang: privaudit::text::Lang, demo: bool) -> privaudit::tui::app::App<'static> {
    use privaudit::tui::app::{App, Entry};
    let profiles = Box::leak(the_rulings_apps().into_boxed_slice());
    let entries = profiles.iter().map(Entry::defaults).collect();
    let today = privaudit::date::Date::new(2026, 11, 23).unwrap();
    App::new(
        privaudit::catalog::builtin(),
        profiles,
        entries,
        lang,
        demo,
        today,
    )
}
