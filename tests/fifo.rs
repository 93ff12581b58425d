//! A FIFO (named pipe) where privaudit expects a file it found itself (a user profile, a
//! saved state, the interface memory) is refused at once, named in the message; it never
//! blocks the program waiting for a writer. A pipe the person names on the command line
//! (`--state <(...)`, a profile given as `/dev/stdin`) is still read. Each test runs under
//! a deadline, so a regression fails instead of hanging the suite.
#![cfg(unix)]

mod common;

use common::Env;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn mkfifo(path: &Path) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

fn wait_within(mut child: std::process::Child, secs: u64) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after {secs} s: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Run `f` on another thread; fail if it has not returned within a few seconds (a thread
/// blocked in `open` cannot be stopped, but the test fails rather than hangs).
fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("still waiting after 10 s: it hangs on the FIFO")
}

/// Write `text` into the FIFO at `path` once a reader opens it.
fn feed(path: PathBuf, text: String) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut writer = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    })
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn list_with_a_fifo_among_user_profiles_names_it_and_does_not_wait() {
    let env = Env::new();
    let fifo = env.path("config/privaudit/profiles/x.toml");
    mkfifo(&fifo);
    let child = env
        .std_cmd()
        .arg("list")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_within(child, 20);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}: is a FIFO (named pipe), not a regular file",
            fifo.display()
        )),
        "{err}"
    );
    // The built-in profiles are still listed; the unreadable user profile is a warning, as
    // any broken user profile is to `list`.
    assert!(String::from_utf8_lossy(&out.stdout).contains("douyin"));
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[test]
fn check_with_a_fifo_among_user_profiles_warns_and_goes_on() {
    let env = Env::new();
    mkfifo(&env.path("config/privaudit/profiles/douyin.toml"));
    let state = env.file("s.toml", "app = \"douyin\"\n");
    let child = env
        .std_cmd()
        .args(["check", "--state"])
        .arg(&state)
        .args(["--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_within(child, 20);
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["reports"][0]["app"]["id"], "douyin", "the built-in one");
}

#[test]
fn a_state_and_a_profile_named_as_pipes_are_still_read() {
    let env = Env::new();
    // `--state <(...)`: a pipe named on the command line is waited for and read.
    let state = env.path("pipes/state.toml");
    mkfifo(&state);
    let writer = feed(state.clone(), "app = \"douyin\"\n".to_owned());
    let child = env
        .std_cmd()
        .args(["check", "douyin", "--state"])
        .arg(&state)
        .args(["--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_within(child, 20);
    writer.join().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["reports"][0]["app"]["id"], "douyin", "{}", stderr(&out));
    assert_eq!(doc["reports"][0]["state"], state.display().to_string());

    // A profile named on the command line through a pipe.
    let profile = env.path("pipes/profile.toml");
    mkfifo(&profile);
    let text = std::fs::read_to_string("profiles/wechat-read.toml").unwrap();
    let writer = feed(profile.clone(), text);
    let child = env
        .std_cmd()
        .arg("validate")
        .arg(&profile)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_within(child, 20);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok (app `wechat-read`"));
}

#[test]
fn a_fifo_where_a_saved_state_belongs_is_unreadable_and_left_alone() {
    use privaudit::state::store::{Loaded, load};
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("states/douyin.toml");
    mkfifo(&path);
    let probe = path.clone();
    let loaded = within_seconds(move || {
        let catalog = privaudit::catalog::builtin();
        let profile = privaudit::registry::resolve("douyin", catalog).unwrap();
        match load(&profile, &probe) {
            Loaded::Unreadable(problem) => problem.to_string(),
            other => format!("not refused: {other:?}"),
        }
    });
    assert!(
        loaded.contains("is a FIFO (named pipe), not a regular file"),
        "{loaded}"
    );
    assert!(loaded.contains("douyin.toml"), "{loaded}");
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn a_fifo_where_the_interface_memory_belongs_is_refused_at_once() {
    use privaudit::tui::memory::Memory;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ui.toml");
    mkfifo(&path);
    let probe = path.clone();
    let (memory, problem) = within_seconds(move || Memory::load(&probe));
    assert_eq!(memory, Memory::default());
    let problem = problem.expect("a FIFO is a problem, not an empty memory");
    assert!(
        problem.contains("is a FIFO (named pipe), not a regular file"),
        "{problem}"
    );
}
