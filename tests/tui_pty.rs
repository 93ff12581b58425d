//! The real binary in a real pseudo-terminal: keys typed, the screen read back through a
//! terminal emulator (vt100), files and the terminal's modes checked afterwards.
#![cfg(unix)]

mod common;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, SlavePty, native_pty_system};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// What a terminal is asked for the cursor's position with (DSR), as a real terminal
/// would answer it.
const CURSOR_QUERY: &[u8] = b"\x1b[6n";

struct Session {
    child: Box<dyn Child + Send + Sync>,
    /// Shared with the reader, which answers cursor position queries through it.
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    master: Box<dyn MasterPty + Send>,
    slave: Box<dyn SlavePty + Send>,
}

use common::pty::{isolated as with_env, privaudit as command};

impl Session {
    /// The auditor on a 120x40 terminal that answers cursor position queries, as real
    /// terminals do.
    fn start(cmd: CommandBuilder) -> Session {
        Session::start_on(cmd, true)
    }

    /// `answer`: whether the terminal answers cursor position queries (some do not, or
    /// not in time: a serial console, a slow link).
    fn start_on(cmd: CommandBuilder, answer: bool) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pair.master.take_writer().unwrap()));
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(40).unwrap(),
            std::num::NonZeroU16::new(120).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (screen2, raw2, writer2) = (Arc::clone(&screen), Arc::clone(&raw), Arc::clone(&writer));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // The end of the previous read, so a query split across reads is seen.
            let mut carry: Vec<u8> = Vec::new();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut screen = screen2.lock().unwrap();
                screen.process(&buf[..n]);
                raw2.lock().unwrap().extend_from_slice(&buf[..n]);
                carry.extend_from_slice(&buf[..n]);
                let queries = carry
                    .windows(CURSOR_QUERY.len())
                    .filter(|w| *w == CURSOR_QUERY)
                    .count();
                let keep = carry.len().min(CURSOR_QUERY.len() - 1);
                carry.drain(..carry.len() - keep);
                if answer {
                    let (row, col) = screen.screen().cursor_position();
                    let mut w = writer2.lock().unwrap();
                    for _ in 0..queries {
                        let _ = write!(w, "\x1b[{};{}R", row + 1, col + 1);
                    }
                    let _ = w.flush();
                }
            }
        });
        Session {
            child,
            writer,
            screen,
            raw,
            master: pair.master,
            slave: pair.slave,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    /// Wait until the screen no longer shows `text`.
    fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if !self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} stayed on screen:\n{}", self.contents());
    }

    /// Resize the terminal (and the emulator that reads it) to `rows` x `cols`.
    fn resize(&mut self, rows: u16, cols: u16) {
        self.screen.lock().unwrap().screen_mut().set_size(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols).unwrap(),
        );
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    fn send(&mut self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the auditor did not exit; screen:\n{}", self.contents());
    }

    fn raw_after(&self, from: usize) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()[from..]).into_owned()
    }

    fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// The terminal's line discipline after the auditor has gone: `stty -a` run on the
    /// same pseudo-terminal. Raw mode left behind would show as `-icanon -echo`.
    fn stty(&mut self) -> String {
        let from = self.raw_len();
        let mut cmd = CommandBuilder::new("stty");
        cmd.arg("-a");
        let mut child = self.slave.spawn_command(cmd).unwrap();
        child.wait().unwrap();
        std::thread::sleep(Duration::from_millis(200));
        self.raw_after(from)
    }
}

fn assert_terminal_restored(session: &mut Session, from: usize) {
    // The process may have exited before the reader thread has seen its last bytes.
    let start = Instant::now();
    let restored = |tail: &str| {
        ["\x1b[?1049l", "\x1b[?25h", "\x1b[?1000l"]
            .iter()
            .all(|s| tail.contains(s))
    };
    while !restored(&session.raw_after(from)) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let tail = session.raw_after(from);
    assert!(
        tail.contains("\x1b[?1049l"),
        "alternate screen left: {tail:?}"
    );
    assert!(tail.contains("\x1b[?25h"), "cursor shown again: {tail:?}");
    assert!(
        tail.contains("\x1b[?1000l"),
        "mouse capture turned off: {tail:?}"
    );
    let stty = session.stty();
    assert!(
        stty.contains(" icanon") && stty.contains(" echo "),
        "terminal left in raw mode: {stty}"
    );
}

fn state_file(home: &Path) -> PathBuf {
    home.join("data/privaudit/states/wechat-read.toml")
}

#[test]
fn walk_through_wechat_read_saves_progress_that_check_accepts() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(command(home.path(), &["open", "wechat-read"]));
    s.wait_for("Score 0/100");
    s.send("w");
    s.wait_for("step 1 of 5");
    // 3.3.0 asked for the friend list once, at login: the step says so and what to do.
    s.wait_for("This was asked once, on the login authorisation page");
    s.wait_for("n noted");
    // Steps 1-3 and 5 have no switch ("noted"); step 4, private reading, has one.
    for (step, key) in (2..=5).zip(["n", "n", "n", "d"]) {
        s.send(key);
        s.wait_for(&format!("step {step} of 5"));
    }
    s.send("n");
    // Only private reading had a switch; the rest were noted, not "fixed".
    s.wait_for("Score: 0 (before) → 8 (after; confirmed facts only: 11/100)");
    s.send("e");
    s.wait_for("Checklist written: ");
    let checklist = home
        .path()
        .join("data/privaudit/exports/wechat-read-checklist.md");
    let text = std::fs::read_to_string(&checklist).unwrap();
    assert!(
        text.starts_with("# privaudit checklist: WeChat Read 3.3.0"),
        "{text}"
    );
    assert!(
        text.contains("There is no switch for this in this version (3.3.0)"),
        "{text}"
    );
    s.send("\r");
    s.wait_for("Score 8/100");
    let before_quit = s.raw_len();
    s.send("qq");
    assert_eq!(s.wait_exit(), 0);
    assert_terminal_restored(&mut s, before_quit);

    let saved = std::fs::read_to_string(state_file(home.path())).unwrap();
    assert!(saved.contains("private-reading = \"private\""), "{saved}");
    assert!(!saved.contains("reading-info-to-friends"), "{saved}");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_privaudit"))
        .args(["check", "wechat-read", "--state"])
        .arg(state_file(home.path()))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    // Reopening resumes where the user left off.
    let mut again = Session::start(command(home.path(), &["open", "wechat-read"]));
    again.wait_for("Score 8/100");
    again.send("q");
    again.wait_for("Pick an app");
    again.wait_for("4 exposed");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

/// Everything under `root`, by path: "dir", or a file's size and contents.
fn tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.insert(name, "dir".to_owned());
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                out.insert(name, format!("{} bytes: {text:?}", meta.len()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Fail with what was added, removed or changed between two [`tree`]s.
fn assert_same_tree(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) {
    let cut = |t: &str| t.chars().take(300).collect::<String>();
    let mut changes = Vec::new();
    for (path, was) in before {
        match after.get(path) {
            None => changes.push(format!("removed {path}")),
            Some(is) if is != was => changes.push(format!(
                "changed {path}\n  was {}\n  now {}",
                cut(was),
                cut(is)
            )),
            Some(_) => {}
        }
    }
    for (path, is) in after {
        if !before.contains_key(path) {
            changes.push(format!("added {path}: {}", cut(is)));
        }
    }
    assert!(
        changes.is_empty(),
        "a demo changed files:\n{}",
        changes.join("\n")
    );
}

/// A user profile: Duoshan's, with the id `mine`, a name of its own and `label` as the
/// English label of its first setting.
fn mine_profile(label: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/duoshan.toml"),
    )
    .unwrap();
    let out = text
        .replacen("id = \"duoshan\"", "id = \"mine\"", 1)
        .replacen(
            "name = { en = \"Duoshan\", zh = \"多闪\" }",
            "name = { en = \"My Duoshan copy\", zh = \"我的多闪副本\" }",
            1,
        )
        .replacen(
            "label = { en = \"WeChat/QQ nickname and avatar carried over through Douyin login\"",
            &format!("label = {{ en = \"{label}\""),
            1,
        );
    assert_eq!(out.matches("\"mine\"").count(), 1, "the id was replaced");
    assert!(out.contains(label), "the label was replaced");
    out
}

fn mine_path(home: &Path) -> PathBuf {
    home.join("config/privaudit/profiles/mine.toml")
}

#[test]
fn demo_mode_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    // What a user already has: a profile of their own, a saved state, what the interface
    // remembers. A demo must neither change these nor add anything.
    let mine = mine_path(home.path());
    std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
    std::fs::write(&mine, mine_profile("My own first setting")).unwrap();
    let data = home.path().join("data/privaudit");
    std::fs::create_dir_all(data.join("states")).unwrap();
    std::fs::write(
        data.join("states/wechat-read.toml"),
        "app = \"wechat-read\"\n[settings]\nprivate-reading = \"private\"\n",
    )
    .unwrap();
    std::fs::write(
        data.join("ui.toml"),
        "last-app = \"douyin\"\nlang = \"en\"\n",
    )
    .unwrap();
    let before = tree(home.path());

    let mut s = Session::start(command(home.path(), &["open", "wechat-read", "--demo"]));
    s.wait_for("DEMO");
    // L: outside a demo the language chosen is remembered.
    s.send("L");
    s.wait_for("L English");
    s.send("L");
    s.wait_for("L 中文");
    // The chooser on the first two rows: another value picked in each; a reset; all of it
    // undone, one step at a time.
    s.send("c");
    s.wait_for("Enter pick");
    s.send("j\r");
    s.wait_for("Changed: Show my reading time");
    s.send("jc");
    s.wait_for("Enter pick");
    s.send("j\r");
    s.wait_for("Changed: Private reading");
    s.send("R");
    s.wait_for("Reset to the app's defaults");
    s.send("u");
    s.wait_for("Undid the reset");
    s.send("u");
    s.wait_for("Undid: Private reading");
    s.send("u");
    s.wait_for("Undid: Show my reading time");
    s.send("u");
    s.wait_for("Nothing to undo for this app");
    // Ctrl-R: the profiles read again, the demo going on.
    s.send("\x12");
    s.wait_for("Profiles read again from disk");
    s.wait_for("DEMO");
    // The walk-through, the summary and its export.
    s.send("w");
    s.wait_for("step 1 of 5");
    s.send("nn");
    s.wait_for("step 3 of 5");
    s.send("q");
    s.wait_for("Summary");
    s.send("e");
    s.wait_for("Demo mode: nothing is written");
    s.send("R");
    s.wait_for("Reset to the app's defaults");
    s.send("qq");
    assert_eq!(s.wait_exit(), 0);
    assert_same_tree(&before, &tree(home.path()));
}

#[test]
fn signals_restore_the_terminal() {
    for (signal, code) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
        let home = tempfile::tempdir().unwrap();
        let mut s = Session::start(command(home.path(), &["open", "douyin"]));
        s.wait_for("Score 0/100");
        let from = s.raw_len();
        let pid = s.child.process_id().unwrap();
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        assert_eq!(s.wait_exit(), code, "SIG{signal}");
        assert_terminal_restored(&mut s, from);
    }
}

#[test]
fn a_mouse_click_selects_a_row() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(command(home.path(), &[]));
    s.wait_for("Pick an app");
    // The list's first row is screen line 3 (1-based): the built-in profiles in app-id
    // order. An SGR mouse report: press and release of the left button at column 6, row 4.
    let second = &privaudit::registry::builtin_profiles(privaudit::catalog::builtin()).unwrap()[1];
    s.send("\x1b[<0;6;4M\x1b[<0;6;4m");
    s.wait_for(&format!("> {}", second.app.name.en));
    s.send("\r");
    s.wait_for(&format!("({})", second.app.id));
    s.send("qq");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn the_config_file_sets_language_theme_and_mouse() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/privaudit/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        "lang = \"zh\"\ntheme = \"high-contrast\"\nmouse = false\n",
    )
    .unwrap();
    let mut s = Session::start(command(home.path(), &[]));
    s.wait_for("选择应用");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let out = s.raw_after(0);
    assert!(
        !out.contains("\x1b[?1000h"),
        "mouse capture stays off when the config says so"
    );
    // --lang wins over the config.
    let mut s = Session::start(command(home.path(), &["open", "--lang", "en"]));
    s.wait_for("Pick an app");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_panic_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = command(home.path(), &["open", "wechat"]);
    cmd.env("PRIVAUDIT_TEST_PANIC", "1");
    let mut s = Session::start(cmd);
    assert_eq!(s.wait_exit(), 101);
    std::thread::sleep(Duration::from_millis(200));
    assert_terminal_restored(&mut s, 0);
    assert!(
        s.raw_after(0).contains("PRIVAUDIT_TEST_PANIC is set"),
        "the panic message is shown"
    );
}

#[test]
#[cfg(target_os = "linux")]
fn an_idle_auditor_uses_no_cpu() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(command(home.path(), &["open", "douyin"]));
    s.wait_for("Score 0/100");
    let pid = s.child.process_id().unwrap();
    let ticks = || {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        // Fields after the command name: utime and stime are the 12th and 13th.
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    };
    std::thread::sleep(Duration::from_millis(300));
    let before = ticks();
    std::thread::sleep(Duration::from_secs(2));
    let after = ticks();
    // A redraw timer or busy loop would burn tens of ticks a second; waiting burns none.
    assert!(
        after - before <= 1,
        "{} clock ticks used in 2 s of idling",
        after - before
    );
    s.send("q");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn an_unreadable_state_is_reported_and_left_untouched() {
    let home = tempfile::tempdir().unwrap();
    let path = state_file(home.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage = "app = \"wechat-read\"\n[settings]\nprivate-reading = \"maybe\"\n";
    std::fs::write(&path, garbage).unwrap();
    let mut s = Session::start(command(home.path(), &["open", "wechat-read"]));
    s.wait_for("could not be read");
    s.wait_for("has no option `maybe`");
    s.send("wnn");
    s.wait_for("step 3 of 5");
    // Walk -> summary -> dashboard -> picker (which marks the state unreadable) -> quit.
    s.send("qqq");
    s.wait_for("(state unreadable)");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), garbage);
}

#[test]
fn a_bad_config_is_bad_input_before_the_screen_changes() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/privaudit/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "theme = \"neon\"\n").unwrap();
    let mut s = Session::start(command(home.path(), &[]));
    assert_eq!(s.wait_exit(), 2);
    std::thread::sleep(Duration::from_millis(200));
    let out = s.raw_after(0);
    assert!(out.contains("config.toml:1:9"), "{out:?}");
    assert!(
        !out.contains("\x1b[?1049h"),
        "the alternate screen was never entered"
    );
}

#[test]
fn a_broken_user_profile_is_named_and_left_out() {
    let home = tempfile::tempdir().unwrap();
    let profiles = home.path().join("config/privaudit/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("broken.toml"), "[app\n").unwrap();
    let mut s = Session::start(command(home.path(), &[]));
    s.wait_for("1 user profile could not be read and is left out");
    // The whole problem, in the list of profiles that could not be read.
    s.wait_for("Profiles that could not be read");
    s.wait_for("broken.toml:1:");
    s.wait_for("WeChat / 微信");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

fn douyin_state(home: &Path) -> PathBuf {
    home.join("data/privaudit/states/douyin.toml")
}

/// The `[settings]` lines of a saved state.
fn setting_lines(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| *l != "[settings]")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn two_auditors_on_one_state_keep_both_changes() {
    let home = tempfile::tempdir().unwrap();
    let mut a = Session::start(command(home.path(), &["open", "douyin"]));
    let mut b = Session::start(command(home.path(), &["open", "douyin"]));
    a.wait_for("Score");
    b.wait_for("Score");
    // A changes the first setting; B, which opened before A saved, the second.
    // (`c` opens the chooser, `j` moves to the next value, Enter picks it.) The status
    // line says what changed first, so the note on the other window's change may wrap:
    // wait for its end.
    a.send("cj\r");
    a.wait_for("Saved");
    b.send("j");
    b.send("cj\r");
    b.wait_for("setting changed in another privaudit window");
    let saved = std::fs::read_to_string(douyin_state(home.path())).unwrap();
    assert_eq!(setting_lines(&saved).len(), 2, "{saved}");
    // A saves again (its first setting once more): B's change stays too.
    a.send("cj\r");
    a.wait_for("setting changed in another privaudit window");
    let saved = std::fs::read_to_string(douyin_state(home.path())).unwrap();
    assert_eq!(setting_lines(&saved).len(), 2, "{saved}");
    a.send("qq");
    b.send("qq");
    assert_eq!(a.wait_exit(), 0);
    assert_eq!(b.wait_exit(), 0);
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_broken_or_older_state() {
    // A small fixed-seed generator: the same moments on every run.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    for round in 0..12 {
        let home = tempfile::tempdir().unwrap();
        let path = douyin_state(home.path());
        let mut s = Session::start(command(home.path(), &["open", "douyin"]));
        s.wait_for("Score");
        // In the walk-through, one change confirmed on screen...
        s.send("w");
        s.wait_for("step 1 of");
        s.send("d");
        s.wait_for("Saved");
        let confirmed = setting_lines(&std::fs::read_to_string(&path).unwrap());
        let first = confirmed.first().cloned().unwrap();
        // ...then a burst of further steps taken or skipped, killed part-way.
        for _ in 0..next(8) {
            s.send(if next(3) == 0 { "s" } else { "d" });
        }
        std::thread::sleep(Duration::from_millis(next(40)));
        s.child.kill().unwrap();
        let _ = s.child.wait();
        let text = std::fs::read_to_string(&path).unwrap();
        let check = std::process::Command::new(env!("CARGO_BIN_EXE_privaudit"))
            .args(["check", "douyin", "--state"])
            .arg(&path)
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .output()
            .unwrap();
        assert_ne!(check.status.code(), Some(2), "round {round}: {text}");
        assert!(
            setting_lines(&text).contains(&first),
            "round {round}: the confirmed change {first:?} was lost: {text}"
        );
    }
}

/// Run the auditor in a user namespace whose state directory is a tiny tmpfs prepared by
/// `prepare` (filled up, or made read-only), then report whether the old state survived.
fn auditor_on_a_broken_disk(prepare: &str) -> Session {
    let home = tempfile::tempdir().unwrap().keep();
    let states = home.join("data/privaudit/states");
    std::fs::create_dir_all(&states).unwrap();
    let script = format!(
        "set -e; mount -t tmpfs -o size=64k tmpfs \"$STATES\"; cd \"$STATES\"; \
         printf 'app = \"douyin\"\\n' > douyin.toml; cp douyin.toml /tmp/privaudit-old-$$; {prepare}; \
         \"$0\" open douyin; \
         if cmp -s douyin.toml /tmp/privaudit-old-$$; then echo OLD-STATE-KEPT; else echo OLD-STATE-CHANGED; fi; \
         rm -f /tmp/privaudit-old-$$; sleep 5"
    );
    let mut cmd = CommandBuilder::new("unshare");
    cmd.args(["-rm", "sh", "-c", &script, env!("CARGO_BIN_EXE_privaudit")]);
    let mut cmd = with_env(cmd, &home);
    cmd.env("STATES", &states);
    Session::start(cmd)
}

#[test]
fn a_full_or_read_only_data_directory_is_told_and_keeps_the_old_state() {
    for (prepare, error) in [
        (
            "dd if=/dev/zero of=filler bs=4k count=100 2>/dev/null || true",
            "No space left on device",
        ),
        ("mount -o remount,ro \"$STATES\"", "Read-only file system"),
    ] {
        let mut s = auditor_on_a_broken_disk(prepare);
        s.wait_for("Score");
        s.send("cj\r");
        s.wait_for("Could not save");
        s.wait_for(error);
        // Quitting over a change that could not be saved asks once more.
        s.send("qq");
        s.wait_for("could not be saved; q again quits");
        s.send("q");
        s.wait_for("OLD-STATE-KEPT");
    }
}

#[test]
fn ctrl_r_reads_a_changed_user_profile_and_leaves_out_a_broken_one() {
    let home = tempfile::tempdir().unwrap();
    let mine = mine_path(home.path());
    std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
    std::fs::write(&mine, mine_profile("Zebra crossing ALPHA")).unwrap();
    let mut s = Session::start(command(home.path(), &[]));
    s.wait_for("My Duoshan copy");
    // User profiles come after the built-in ones: the last row.
    s.send("\x1b[F");
    s.wait_for("> My Duoshan copy");
    s.send("\r");
    s.wait_for("Zebra crossing ALPHA");

    // The label changed on disk: Ctrl-R shows the new one, on the same app's dashboard.
    std::fs::write(&mine, mine_profile("Zebra crossing OMEGA")).unwrap();
    s.send("\x12");
    s.wait_for("Zebra crossing OMEGA");
    s.wait_for("Profiles read again from disk");
    let screen = s.contents();
    assert!(
        !screen.contains("ALPHA"),
        "the old label is gone:\n{screen}"
    );
    assert!(
        screen.contains("(mine)") && screen.contains("c choose"),
        "still on the dashboard of the profile `mine`:\n{screen}"
    );

    // Broken on disk (`[app` is not TOML): left out and said so; the auditor goes on.
    let broken = mine_profile("Zebra crossing OMEGA").replacen("[app]", "[app", 1);
    std::fs::write(&mine, &broken).unwrap();
    s.send("\x12");
    s.wait_for("1 user profile could not be read and is left out");
    // The error names the line of `[app`, wherever the copied profile has it.
    let app_line = broken.lines().position(|l| l == "[app").unwrap() + 1;
    s.wait_for(&format!("mine.toml:{app_line}:"));
    s.wait_gone("My Duoshan copy");
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "the auditor is still running"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn keys_change_nothing_while_the_terminal_is_too_small() {
    let home = tempfile::tempdir().unwrap();
    let state = douyin_state(home.path());
    let mut s = Session::start(command(home.path(), &["open", "douyin"]));
    s.wait_for("Score 0/100");
    s.resize(10, 40);
    s.wait_for("Terminal too small");
    // `d` sets the selected setting to the recommendation, `c` opens the chooser and Enter
    // picks in it: each, acted on, would save the state.
    s.send("dc\r");
    // Ctrl-L (redraw, which the notice allows) is read after them: once its screen clear
    // is out, they have been handled.
    let from = s.raw_len();
    s.send("\x0c");
    let start = Instant::now();
    while !s.raw_after(from).contains("\x1b[2J") {
        assert!(start.elapsed() < WAIT, "no redraw after Ctrl-L");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!state.exists(), "a key acted behind the notice");

    s.resize(40, 120);
    s.wait_gone("Terminal too small");
    s.wait_for("Score 0/100");
    s.wait_for("w walk  c choose");
    let screen = s.contents();
    assert!(
        !screen.contains("Enter pick"),
        "no chooser opened behind the notice:\n{screen}"
    );
    assert!(!state.exists(), "a key acted behind the notice");

    // At full size the same `d` does save: what the test looks for can happen.
    s.send("d");
    s.wait_for("Saved");
    assert!(state.exists());
    s.send("qq");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn ctrl_l_redraws_on_a_terminal_that_does_not_answer_cursor_queries() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start_on(command(home.path(), &["open", "douyin"]), false);
    s.wait_for("Score 0/100");
    let from = s.raw_len();
    s.send("\x0c");
    let start = Instant::now();
    while !s.raw_after(from).contains("\x1b[2J") {
        if let Some(status) = s.child.try_wait().unwrap() {
            panic!(
                "Ctrl-L ended the auditor ({status:?}): {:?}",
                s.raw_after(from)
            );
        }
        assert!(start.elapsed() < WAIT, "no redraw after Ctrl-L");
        std::thread::sleep(Duration::from_millis(20));
    }
    s.wait_for("Score 0/100");
    s.send("qq");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn ctrl_r_reads_a_new_catalog_entry_and_the_profile_citing_it() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(command(home.path(), &[]));
    s.wait_for("Pick an app");
    // Meanwhile an author adds a catalog with an internal policy and a profile citing it.
    let catalog = home.path().join("config/privaudit/catalog/example-co.toml");
    std::fs::create_dir_all(catalog.parent().unwrap()).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs/example-co.toml"),
        &catalog,
    )
    .unwrap();
    let profile = home
        .path()
        .join("config/privaudit/profiles/example-tracker.toml");
    std::fs::create_dir_all(profile.parent().unwrap()).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs/example-tracker.toml"),
        &profile,
    )
    .unwrap();
    s.send("\x12");
    s.wait_for("Profiles read again from disk");
    // The profile loads (its ids are known now) rather than being listed as broken.
    let name = std::fs::read_to_string(&profile).unwrap();
    let en_name = name
        .lines()
        .find(|l| l.starts_with("name = "))
        .and_then(|l| l.split('"').nth(1))
        .unwrap()
        .to_owned();
    s.wait_for(&en_name);
    let screen = s.contents();
    assert!(
        !screen.contains("could not be read"),
        "nothing left out:\n{screen}"
    );
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
