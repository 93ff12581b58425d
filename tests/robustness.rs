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

/// `privaudit ARGS-AND-REDIRECTIONS` run by a shell, for descriptors only a shell closes.
fn in_shell(env: &Env, args: &str) -> std::process::Output {
    let mut sh = std::process::Command::new("sh");
    sh.args(["-c", &format!("exec \"$0\" {args}")])
        .arg(assert_cmd::cargo::cargo_bin("privaudit"));
    env.isolated(sh).output().unwrap()
}

#[test]
fn a_closed_stdout_is_exit_2_with_a_message() {
    let env = Env::new();
    let out = in_shell(&env, "check wechat-read >&-");
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

/// Wait for a child, failing the test (and killing it) if it runs past `secs`.
fn wait_within(mut child: std::process::Child, secs: u64) -> std::process::Output {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running after {secs} s: it hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn noncharacters_in_a_label_still_give_well_formed_xml() {
    let env = Env::new();
    let profile = std::fs::read_to_string(fixture("hostile-labels.toml"))
        .unwrap()
        .replace(
            "Leak\\u001b[31m red",
            "Leak\\uFFFE\\uFFFF\\uFDD0 red\\u2028line",
        );
    let path = env.file("nonchar.toml", profile);
    for format in ["junit", "sarif", "json", "markdown"] {
        let r = common::run(
            env.cmd()
                .args(["check", path.to_str().unwrap(), "--format", format]),
        );
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        let shown = match format {
            "junit" => {
                let doc = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
                let failure = doc.descendants().find(|n| n.has_tag_name("failure"));
                failure.unwrap().text().unwrap().to_owned()
            }
            "markdown" => r.stdout.replace('\\', ""),
            _ => r.stdout.clone(),
        };
        assert!(
            shown.contains("Leak<U+FFFE><U+FFFF><U+FDD0> red line"),
            "{format}: made visible where it entered: {shown}"
        );
        assert!(!r.stdout.contains('\u{fffe}') && !r.stdout.contains('\u{2028}'));
    }
}

#[test]
fn a_batch_that_read_no_state_is_an_error_unless_allowed() {
    let env = Env::new();
    let empty = env.file("empty.jsonl", "");
    std::fs::create_dir_all(env.path("no-states")).unwrap();
    let cases: Vec<Vec<String>> = vec![
        vec!["--states-jsonl".into(), empty.display().to_string()],
        vec![
            "--state-dir".into(),
            env.path("no-states").display().to_string(),
        ],
        vec!["--states-jsonl".into(), "-".into()],
    ];
    for args in &cases {
        let out = env
            .std_cmd()
            .arg("check")
            .args(args)
            .args(["--format", "json"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr.contains("held no account state"),
            "{args:?}: {stderr}"
        );
        let allowed = env
            .std_cmd()
            .arg("check")
            .args(args)
            .args(["--format", "json", "--allow-empty"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(allowed.status.code(), Some(0), "{args:?}");
    }
    // Closed stdin, not just an empty one.
    let out = in_shell(&env, "check --states-jsonl - <&-");
    assert_eq!(out.status.code(), Some(2));
    // Blank lines are not nothing: each is a line that holds no state, an error of its
    // own, which --allow-empty does not hide.
    let blank = env.file("blank.jsonl", "\n  \n\r\n");
    let out = env
        .std_cmd()
        .args(["check", "--states-jsonl"])
        .arg(&blank)
        .args(["--format", "json", "--allow-empty"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["errors"].as_array().unwrap().len(), 3, "{doc}");
    assert!(
        doc["errors"][0]["error"]
            .as_str()
            .unwrap()
            .contains("blank line")
    );
}

#[test]
fn a_fifo_in_a_state_dir_is_reported_and_skipped_not_waited_for() {
    let env = Env::new();
    let dir = env.path("states");
    std::fs::create_dir_all(&dir).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("a-fifo.toml"))
        .status()
        .unwrap();
    assert!(made.success());
    std::fs::write(dir.join("b.toml"), "app = \"wechat-read\"\n").unwrap();
    std::os::unix::fs::symlink(dir.join("b.toml"), dir.join("c-link.toml")).unwrap();
    let child = env
        .std_cmd()
        .args([
            "check",
            "--state-dir",
            dir.to_str().unwrap(),
            "--format",
            "jsonl",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_within(child, 20);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("not a regular file")
    );
    assert_eq!(lines[1]["app"]["id"], "wechat-read");
    assert_eq!(
        lines[2]["app"]["id"], "wechat-read",
        "a link to a file is read"
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_endless_json_lines_stream_without_line_breaks_ends_with_exit_2() {
    let env = Env::new();
    let child = env
        .std_cmd()
        .args(["check", "--states-jsonl", "/dev/zero"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_within(child, 30);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("/dev/zero:1: line is larger than the 4 MiB limit"),
        "{stderr}"
    );
}

#[test]
fn markdown_never_lets_profile_text_become_a_link_or_an_entity() {
    let env = Env::new();
    let profile = std::fs::read_to_string(fixture("fitness-tracker.toml"))
        .unwrap()
        .replace(
            "Who sees my runs",
            "see https://evil.example, www.evil.example, a@evil.example &copy;",
        );
    let path = env.file("links.toml", profile);
    let md = common::run(
        env.cmd()
            .args(["check", path.to_str().unwrap(), "--format", "markdown"]),
    )
    .stdout;
    assert!(
        md.contains(
            "see https\\://evil.example, www\\.evil.example, a\u{2060}@evil.example \\&copy;"
        ),
        "{md}"
    );
}

#[test]
fn rough_edges_from_the_hostile_test() {
    let env = Env::new();
    // JSON ends with a newline like every other format.
    let r = common::run(env.cmd().args(["check", "wechat-read", "--format", "json"]));
    assert!(r.stdout.ends_with("}\n"));

    // validate's read errors carry the prefix every error has.
    let r = common::run(env.cmd().args(["validate", "missing.toml"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("privaudit: error: missing.toml: no such file"),
        "{}",
        r.stderr
    );

    // No internal type names, the line number once, arrays are not states.
    let states = env.file(
        "s.jsonl",
        "{\"app\":\"wechat-read\"}\n[\"wechat-read\"]\n{\"app\":\"wechat-read\",\"settings\":{\"nope\":\"x\"}}\n{\"app\":{}}\n",
    );
    let r = common::run(
        env.cmd()
            .args(["check", "--states-jsonl", states.to_str().unwrap()]),
    );
    assert_eq!(r.code, 2);
    let name = states.display().to_string();
    assert!(
        r.stderr
            .contains(&format!("{name}:2:1: a state must be a JSON object")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "{name}:3: app `wechat-read` has no setting `nope`"
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(&format!("{name}:3:3")), "{}", r.stderr);
    assert!(
        !r.stderr.contains("struct") && !r.stderr.contains("Raw"),
        "{}",
        r.stderr
    );
    let bad = env.file("bad-profile.toml", "[app]\nid = 3\n");
    let r = common::run(env.cmd().args(["check", bad.to_str().unwrap()]));
    assert!(!r.stderr.contains("Raw"), "{}", r.stderr);

    // A deeply nested table header is located.
    let deep = env.file("deep.toml", format!("[{}b]\n", "a.".repeat(100_000)));
    let r = common::run(env.cmd().args(["check", deep.to_str().unwrap()]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("deep.toml:1:"), "{}", r.stderr);

    // A user profile `list` refuses for its name is refused by `check` too.
    let profiles = env.home.path().join("config/privaudit/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::copy(
        fixture("fitness-tracker.toml"),
        profiles.join("mismatch-name.toml"),
    )
    .unwrap();
    let r = common::run(env.cmd().args(["check", "mismatch-name"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("must be named"), "{}", r.stderr);
    let r = common::run(env.cmd().arg("list"));
    assert_eq!(r.code, 0, "a broken user profile is a warning to `list`");
    assert!(r.stderr.contains("must be named"), "{}", r.stderr);
}

mod state_files {
    use privaudit::catalog;
    use privaudit::profile::Profile;
    use privaudit::registry;
    use privaudit::state::Selection;
    use privaudit::state::store::{self, Loaded};
    use std::path::Path;

    fn wechat_read() -> Profile {
        registry::resolve("wechat-read", catalog::builtin()).unwrap()
    }

    fn on_disk(profile: &Profile, path: &Path) -> Selection {
        match store::load(profile, path) {
            Loaded::Found(selection) => selection,
            other => panic!("{other:?}"),
        }
    }

    /// A setting with at least two options, and an option of it that is not its default.
    fn choice(profile: &Profile, nth: usize) -> (usize, usize) {
        let index = profile
            .settings
            .iter()
            .enumerate()
            .filter(|(_, s)| s.options.len() > 1)
            .nth(nth)
            .unwrap()
            .0;
        (index, 1)
    }

    #[test]
    fn two_auditors_on_one_state_lose_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wechat-read.toml");
        let profile = wechat_read();
        let start = Selection::defaults(&profile);
        // Both open the same (missing) state; A sets one setting, B another.
        let (a_set, a_opt) = choice(&profile, 0);
        let (b_set, b_opt) = choice(&profile, 1);
        let mut a = start.clone();
        a.chosen[a_set] = Some(a_opt);
        let saved_a = store::save_merged(&profile, &start, &a, &path).unwrap();
        assert_eq!(saved_a.merged, 0);
        let mut b = start.clone();
        b.chosen[b_set] = Some(b_opt);
        let saved_b = store::save_merged(&profile, &start, &b, &path).unwrap();
        assert_eq!(saved_b.merged, 1, "A's change is merged into B's view");
        assert!(saved_b.overridden.is_empty());
        let disk = on_disk(&profile, &path);
        assert_eq!(
            disk.chosen[a_set],
            Some(a_opt),
            "A's change survived B's save"
        );
        assert_eq!(disk.chosen[b_set], Some(b_opt));
        assert_eq!(saved_b.selection.chosen, disk.chosen);

        // Both change the same setting: the later save wins and says whose it replaced.
        let base = disk.clone();
        let mut a2 = base.clone();
        a2.chosen[b_set] = Some(0);
        store::save_merged(&profile, &base, &a2, &path).unwrap();
        let mut b2 = base.clone();
        b2.chosen[b_set] = None;
        let saved = store::save_merged(&profile, &base, &b2, &path).unwrap();
        assert_eq!(saved.overridden, vec![b_set]);
        assert_eq!(on_disk(&profile, &path).chosen[b_set], None);
    }

    #[test]
    fn many_auditors_saving_at_once_keep_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wechat-read.toml");
        let profile = wechat_read();
        let start = Selection::defaults(&profile);
        let settings: Vec<usize> = profile
            .settings
            .iter()
            .enumerate()
            .filter(|(_, s)| s.options.len() > 1)
            .map(|(i, _)| i)
            .collect();
        assert!(settings.len() >= 4);
        std::thread::scope(|scope| {
            for &index in &settings {
                let (profile, start, path) = (&profile, &start, &path);
                scope.spawn(move || {
                    let mut mine = start.clone();
                    mine.chosen[index] = Some(1);
                    store::save_merged(profile, start, &mine, path).unwrap();
                });
            }
        });
        let disk = on_disk(&profile, &path);
        for index in settings {
            assert_eq!(disk.chosen[index], Some(1), "setting {index} was lost");
        }
    }

    #[test]
    fn a_symlinked_state_is_saved_through_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let dotfiles = dir.path().join("dotfiles");
        let states = dir.path().join("states");
        std::fs::create_dir_all(&dotfiles).unwrap();
        std::fs::create_dir_all(&states).unwrap();
        let target = dotfiles.join("wechat-read.toml");
        std::fs::write(&target, "app = \"wechat-read\"\n").unwrap();
        let link = states.join("wechat-read.toml");
        // A relative link, as dotfile managers make them.
        std::os::unix::fs::symlink("../dotfiles/wechat-read.toml", &link).unwrap();
        let profile = wechat_read();
        let base = on_disk(&profile, &link);
        let (set, opt) = choice(&profile, 0);
        let mut mine = base.clone();
        mine.chosen[set] = Some(opt);
        store::save_merged(&profile, &base, &mine, &link).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "still a link"
        );
        assert_eq!(on_disk(&profile, &target).chosen[set], Some(opt));
        let leftovers: Vec<_> = std::fs::read_dir(&dotfiles)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn temporary_files_of_a_killed_save_are_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wechat-read.toml");
        let stale = dir.path().join(".wechat-read.toml.4242.tmp");
        std::fs::write(&stale, "half a sta").unwrap();
        let other = dir.path().join(".notes.toml.4242.tmp");
        std::fs::write(&other, "not ours").unwrap();
        let profile = wechat_read();
        let start = Selection::defaults(&profile);
        store::save_merged(&profile, &start, &start, &path).unwrap();
        assert!(!stale.exists());
        assert!(other.exists(), "only this state's temporaries are removed");
    }

    #[test]
    fn a_state_changed_by_hand_into_garbage_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wechat-read.toml");
        std::fs::write(&path, "app = [broken\n").unwrap();
        let profile = wechat_read();
        let start = Selection::defaults(&profile);
        let err = store::save_merged(&profile, &start, &start, &path).unwrap_err();
        assert!(err.to_string().contains("wechat-read.toml:1:"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "app = [broken\n");
    }
}

#[test]
fn a_single_bad_state_gives_no_partial_document() {
    let env = Env::new();
    for format in ["json", "sarif", "junit", "markdown", "jsonl", "text"] {
        let r = common::run(env.cmd().args([
            "check",
            "wechat-read",
            "--state",
            &fixture("unknown-option-state.toml"),
            "--format",
            format,
        ]));
        assert_eq!(r.code, 2, "{format}");
        assert_eq!(r.stdout, "", "{format}: a partial document was written");
        assert_eq!(r.stderr.lines().count(), 1, "{format}: {}", r.stderr);
    }
}

#[test]
fn a_json_lines_line_at_the_limit_loses_no_neighbour() {
    let env = Env::new();
    let limit = 4 * 1024 * 1024;
    let head = "{\"app\":\"wechat-read\",\"x\":\"";
    let exact = format!("{head}{}\"}}", "a".repeat(limit - head.len() - 2));
    assert_eq!(exact.len(), limit);
    let over = format!("{head}{}\"}}", "a".repeat(limit - head.len() - 1));
    for (name, first, ending) in [
        ("exact.jsonl", &exact, "\n"),
        ("exact-crlf.jsonl", &exact, "\r\n"),
        ("over.jsonl", &over, "\n"),
    ] {
        let path = env.file(
            name,
            format!(
                "{first}{ending}{{\"app\":\"wechat-read\"}}{ending}{{\"app\":\"douyin\"}}{ending}"
            ),
        );
        let r = common::run(env.cmd().args([
            "check",
            "--states-jsonl",
            path.to_str().unwrap(),
            "--format",
            "jsonl",
        ]));
        let lines: Vec<serde_json::Value> = r
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3, "{name}: every line is accounted for");
        assert!(lines[0]["error"].is_string(), "{name}");
        assert_eq!(lines[1]["app"]["id"], "wechat-read", "{name}");
        assert_eq!(lines[2]["app"]["id"], "douyin", "{name}");
        assert!(
            lines[2]["state"].as_str().unwrap().ends_with(":3"),
            "{name}"
        );
        let limited = lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("larger than the 4 MiB limit");
        assert_eq!(
            limited,
            name == "over.jsonl",
            "{name}: {}",
            lines[0]["error"]
        );
    }
}

#[test]
fn a_reader_that_goes_away_does_not_change_the_verdict() {
    use std::io::BufRead;
    let env = Env::new();
    let dir = env.path("gate");
    std::fs::create_dir_all(&dir).unwrap();
    // Two thousand states at the recommendation, then one at the defaults.
    let fine = std::fs::read_to_string(fixture("all-recommended-wechat-read.toml")).unwrap();
    for i in 0..2000 {
        std::fs::write(dir.join(format!("a{i:04}.toml")), &fine).unwrap();
    }
    std::fs::write(dir.join("z-defaults.toml"), "app = \"wechat-read\"\n").unwrap();
    for format in ["jsonl", "text"] {
        let mut child = env
            .std_cmd()
            .args([
                "check",
                "--state-dir",
                dir.to_str().unwrap(),
                "--format",
                format,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader has gone (like `| head -1`).
        let out = wait_within(child, 60);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: the last state still fails the gate"
        );
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

mod state_files_more {
    use privaudit::catalog;
    use privaudit::registry;
    use privaudit::state::Selection;
    use privaudit::state::store::{self, Loaded};
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_link_to_a_state_not_made_yet_is_a_new_account_and_the_save_makes_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dotfiles/wechat-read.toml");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        let link = dir.path().join("wechat-read.toml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let profile = registry::resolve("wechat-read", catalog::builtin()).unwrap();
        assert!(matches!(store::load(&profile, &link), Loaded::Missing));
        let start = Selection::defaults(&profile);
        store::save_merged(&profile, &start, &start, &link).unwrap();
        assert!(target.is_file());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_save_keeps_the_state_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wechat-read.toml");
        let profile = registry::resolve("wechat-read", catalog::builtin()).unwrap();
        let start = Selection::defaults(&profile);
        store::save_merged(&profile, &start, &start, &path).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "a new state is the person's alone");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        store::save_merged(&profile, &start, &start, &path).unwrap();
        assert_eq!(
            mode(&path),
            0o640,
            "an existing state keeps its permissions"
        );
    }
}
