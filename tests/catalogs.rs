//! Open catalogs and user profiles everywhere, through the real binary in an isolated
//! home: a catalog file and a profile dropped into the user's config directory (or a
//! project's catalog directory) appear in every face, and a broken one is named and never
//! stops the others.

mod common;

use common::{Env, Run, json, run};
use serde_json::Value;
use std::path::PathBuf;

const CATALOG: &str = include_str!("fixtures/catalogs/example-co.toml");
const PROFILE: &str = include_str!("fixtures/catalogs/example-tracker.toml");

/// A home whose config directory holds the example catalog and the profile that cites it.
fn home_with_catalog() -> Env {
    let env = Env::new();
    env.file("config/privaudit/catalog/example-co.toml", CATALOG);
    env.file("config/privaudit/profiles/example-tracker.toml", PROFILE);
    env
}

fn profile_path(env: &Env) -> PathBuf {
    env.path("config/privaudit/profiles/example-tracker.toml")
}

fn assert_no_panic(r: &Run) {
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "{}",
        r.stderr
    );
}

#[test]
fn without_the_catalog_file_the_profile_cites_unknown_ids() {
    // The control for the tests below: the ids are not built in.
    let env = Env::new();
    env.file("config/privaudit/profiles/example-tracker.toml", PROFILE);
    let r = run(env.cmd().arg("validate").arg(profile_path(&env)));
    assert_eq!(r.code, 1, "{}", r.stderr);
    for id in [
        "unknown ruling id `example-board-2025`",
        "unknown law id `example-policy-4`",
        "unknown event id `example-incident-2025`",
    ] {
        assert!(r.stdout.contains(id), "{id} not in {}", r.stdout);
    }
    // Nothing was left out, so there is no hint about a catalog file.
    assert!(!r.stdout.contains("catalog file"), "{}", r.stdout);
}

#[test]
fn a_catalog_file_in_the_config_dir_is_used_by_validate_check_and_explain() {
    let env = home_with_catalog();
    let r = run(env.cmd().arg("validate").arg(profile_path(&env)));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("ok (app `example-tracker`, 1 setting)"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);

    // check, text: the user's ruling and the internal policy are cited.
    let r = run(env
        .cmd()
        .args(["check", "example-tracker", "--color", "never"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    for needle in [
        "Example Co. Privacy Board: location sharing by default",
        "Location Policy art. 4",
        "in effect since 2024-01-01",
    ] {
        assert!(r.stdout.contains(needle), "{needle} not in {}", r.stdout);
    }

    // check, JSON: the finding carries the ids; the court's own basis is the policy.
    let (code, doc) = json(
        env.cmd()
            .args(["check", "example-tracker", "--format", "json"]),
    );
    assert_eq!(code, 1);
    let finding = &doc["reports"][0]["findings"][0];
    assert_eq!(finding["setting"], "route-visibility");
    assert_eq!(
        finding["rulings"],
        serde_json::json!([{"id": "example-board-2025", "link": "direct"}])
    );
    assert!(
        finding["laws"]
            .as_array()
            .unwrap()
            .contains(&Value::from("example-policy-4"))
    );
    let policy = finding["citations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["law"] == "example-policy-4")
        .expect("the policy is cited");
    assert_eq!(policy["layer"], "court-basis");
    assert_eq!(policy["in_force"], "2024-01-01");

    // explain: a user ruling is explained like a built-in one, marked as the user's.
    let r = run(env.cmd().args(["explain", "example-board-2025"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "Example Co. Privacy Board: location sharing by default  (example-board-2025)",
        "From your catalog: ",
        "example-co.toml",
        "Example Co. Privacy Review Board",
        "an internal decision, with no case number",
        "Example Co. Location Data Policy, art. 4 (example-policy-4)",
        "example-tracker/route-visibility (direct",
    ] {
        assert!(r.stdout.contains(needle), "{needle} not in {}", r.stdout);
    }
    let r = run(env
        .cmd()
        .args(["explain", "example-policy-4", "--lang", "zh"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "《示例公司位置数据政策》第4条",
        "法域：示例公司内部政策",
        "2024-01-01 起生效",
        "来自你的自定义条目文件：",
        "example-tracker/route-visibility",
    ] {
        assert!(r.stdout.contains(needle), "{needle} not in {}", r.stdout);
    }
    let r = run(env.cmd().args(["explain", "example-incident-2025"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for needle in [
        "Example Co. routes found by a researcher  (example-incident-2025)",
        "Kind: public incident",
        "Date: 2025-01",
        "What happened [unverified]",
        "example-tracker/route-visibility",
        "never part of a verdict",
    ] {
        assert!(r.stdout.contains(needle), "{needle} not in {}", r.stdout);
    }
    // A built-in event is explained the same way, and is not marked as the user's.
    let r = run(env.cmd().args(["explain", "venmo-ftc-2018"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Kind: regulator's action"));
    assert!(!r.stdout.contains("From your catalog"));
}

#[test]
fn explain_with_no_id_lists_the_catalog_with_the_users_entries_marked() {
    let env = home_with_catalog();
    let r = run(env.cmd().arg("explain"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = |id: &str| {
        r.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{id}  ")))
            .unwrap_or_else(|| panic!("{id} not listed in {}", r.stdout))
            .to_owned()
    };
    for id in [
        "example-board-2025",
        "example-policy-4",
        "example-incident-2025",
    ] {
        let listed = line(id);
        assert!(
            listed.contains("[yours: ") && listed.contains("example-co.toml]"),
            "{listed}"
        );
    }
    for id in ["huang-v-tencent-2020", "pipl-23", "strava-heatmap-2018"] {
        assert!(!line(id).contains("[yours"), "{}", line(id));
    }
    // Without a user catalog nothing is marked.
    let r = run(Env::new().cmd().arg("explain"));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("huang-v-tencent-2020") && !r.stdout.contains("[yours"));
}

#[test]
fn list_and_completions_see_the_user_profile_and_catalog() {
    let env = home_with_catalog();
    let (code, rows) = json(env.cmd().args(["list", "--format", "json"]));
    assert_eq!(code, 0);
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "example-tracker")
        .expect("the user profile is listed");
    assert_eq!(row["source"], "user");
    assert_eq!(row["replaces_builtin"], false);
    let r = run(env.cmd().args(["completions", "bash"]));
    assert_eq!(r.code, 0);
    for id in [
        "example-board-2025",
        "example-policy-4",
        "example-incident-2025",
        "example-tracker/route-visibility",
    ] {
        assert!(r.stdout.contains(id), "{id} not completed");
    }
    let r = run(env.cmd().args(["completions", "fish"]));
    assert!(
        r.stdout
            .lines()
            .any(|l| l.contains("example-incident-2025") && l.contains("-d 'event'")),
        "events complete in fish"
    );
}

#[test]
fn an_id_that_collides_needs_overrides_and_then_replaces_with_a_notice() {
    let env = Env::new();
    // The example catalog's law under a built-in id.
    let colliding = CATALOG.replace("example-policy-4", "pipl-28");
    let file = env.file("config/privaudit/catalog/example-co.toml", &colliding);
    let r = run(env.cmd().args(["explain", "pipl-28"]));
    assert_eq!(r.code, 0, "the built-in article is still explained");
    assert!(r.stdout.contains("Personal Information Protection Law"));
    assert!(!r.stdout.contains("Location Data Policy"));
    // Named with its position, as a warning; the whole file is left out.
    let at = format!("{}:31:6: law `pipl-28` is already in", file.display());
    assert!(r.stderr.contains(&at), "{at} not in {}", r.stderr);
    assert!(r.stderr.contains("privaudit: warning: "), "{}", r.stderr);
    assert!(r.stderr.contains("(catalog file left out)"), "{}", r.stderr);
    let r = run(env.cmd().args(["explain", "example-board-2025"]));
    assert_eq!(r.code, 2, "the file's ruling is left out with it");

    // With `overrides = true`, and keeping the jurisdiction, it replaces the article.
    let overriding = colliding
        .replace(
            "jurisdiction = \"other\"\njurisdiction-name = { en = \"Example Co. internal policy\", zh = \"示例公司内部政策\" }",
            "jurisdiction = \"cn\"\noverrides = true",
        );
    assert_ne!(overriding, colliding);
    env.file("config/privaudit/catalog/example-co.toml", &overriding);
    let r = run(env.cmd().args(["explain", "pipl-28"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Example Co. Location Data Policy, art. 4  (pipl-28)")
    );
    assert!(r.stdout.contains("From your catalog: "));
    let notice = format!(
        "privaudit: notice: {}:31:6: law `pipl-28` replaces the one in the built-in catalog (profiles/catalog.toml)",
        file.display()
    );
    assert!(r.stderr.contains(&notice), "{notice} not in {}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // Keeping another jurisdiction is refused: the engine cites pipl-28 as Chinese law.
    env.file(
        "config/privaudit/catalog/example-co.toml",
        colliding.replace(
            "jurisdiction = \"other\"",
            "overrides = true\njurisdiction = \"other\"",
        ),
    );
    let r = run(env.cmd().args(["explain", "pipl-28"]));
    assert!(r.stderr.contains("must keep it"), "{}", r.stderr);
    assert!(!r.stdout.contains("Location Data Policy"));
}

#[test]
fn a_broken_catalog_file_is_named_and_everything_else_goes_on() {
    let env = home_with_catalog();
    // A second file, broken, sorted after the good one.
    let broken = env.file(
        "config/privaudit/catalog/zz-broken.toml",
        "[[events]]\nid = \"half-written\"\ntitle = { en = \"x\" }\n",
    );
    let r = run(env
        .cmd()
        .args(["check", "example-tracker", "--color", "never"]));
    assert_no_panic(&r);
    // The good file and the profile still work; the verdict is the verdict.
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("Example Co. Privacy Board"));
    let warning = format!(
        "privaudit: warning: {}:3:9: missing field `zh` (catalog file left out)",
        broken.display()
    );
    assert!(r.stderr.contains(&warning), "{warning} not in {}", r.stderr);
    // A built-in app is checked as ever.
    let (code, _) = json(env.cmd().args(["check", "wechat-read", "--format", "json"]));
    assert_eq!(code, 1);

    // Breaking the file the profile depends on: the profile fails, and says why.
    env.file(
        "config/privaudit/catalog/example-co.toml",
        CATALOG.replace("kind = \"incident\"", "kind = \"rumour\""),
    );
    let r = run(env.cmd().args(["check", "example-tracker"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("unknown value `rumour`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown ruling id `example-board-2025`")
            && r.stderr.contains("a catalog file was left out"),
        "{}",
        r.stderr
    );
    // list still lists, exits 0, and names the user profile that no longer loads.
    let r = run(env.cmd().arg("list"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("wechat-read") && !r.stdout.contains("example-tracker"));
    assert!(
        r.stderr.contains("example-tracker.toml:") && r.stderr.contains("(profile left out)"),
        "{}",
        r.stderr
    );
    // `check -q` is quiet about the user's files, as about broken user profiles.
    let r = run(env.cmd().args(["check", "wechat-read", "-q"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn list_with_a_broken_profile_exits_0_naming_its_whole_problem() {
    let env = Env::new();
    env.file(
        "config/privaudit/profiles/example-tracker.toml",
        PROFILE.replace("default = \"everyone\"", "default = \"nobody\""),
    );
    let r = run(env.cmd().arg("list"));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("douyin"));
    let problem = r
        .stderr
        .lines()
        .find(|l| l.contains("example-tracker.toml:"))
        .unwrap_or_else(|| panic!("not named: {}", r.stderr));
    // file:line:column: the whole message, as `validate` gives it.
    assert!(problem.starts_with("privaudit: warning: "), "{problem}");
    let validate = run(env
        .cmd()
        .arg("validate")
        .arg(env.path("config/privaudit/profiles/example-tracker.toml")));
    let first = validate.stdout.lines().next().unwrap();
    assert!(problem.contains(first), "{problem} does not hold {first}");
}

#[test]
fn a_user_profile_replacing_a_built_in_one_is_noted_by_check_and_list() {
    let env = Env::new();
    let builtin = std::fs::read_to_string("profiles/wechat-read.toml").unwrap();
    let file = env.file(
        "config/privaudit/profiles/wechat-read.toml",
        builtin.replace("version = \"3.3.0\"", "version = \"9.9.9\""),
    );
    let notice = format!(
        "privaudit: notice: {}: profile `wechat-read` replaces the built-in one",
        file.display()
    );
    let r = run(env.cmd().args(["check", "wechat-read", "--color", "never"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("9.9.9"));
    assert!(r.stderr.contains(&notice), "{notice} not in {}", r.stderr);
    // Every state names its app: the user profile is the one checked, and said so.
    let state = env.file("me.toml", "app = \"wechat-read\"\n");
    let r = run(env.cmd().arg("check").arg("--state").arg(&state));
    assert!(r.stderr.contains(&notice), "{}", r.stderr);
    // A file named on the command line is what was asked for: no notice.
    let r = run(env.cmd().arg("check").arg(&file));
    assert!(!r.stderr.contains("notice"), "{}", r.stderr);

    let r = run(env.cmd().arg("list"));
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains(&notice), "{}", r.stderr);
    assert!(r.stdout.contains("(replaces built-in)"), "{}", r.stdout);
    let (_, rows) = json(env.cmd().args(["list", "--format", "json"]));
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "wechat-read")
        .unwrap();
    assert_eq!(row["replaces_builtin"], true);
    assert_eq!(row["version"], "9.9.9");
}

#[test]
fn a_project_configs_catalog_dirs_serve_check_and_validate() {
    let env = Env::new();
    let project = env.path("project");
    env.file("project/privacy/catalog/example-co.toml", CATALOG);
    env.file("project/example-tracker.toml", PROFILE);
    env.file(
        "project/privaudit.toml",
        "catalog-dirs = [\"privacy/catalog\"]\n",
    );
    let r = run(env.cmd().current_dir(&project).args([
        "check",
        "example-tracker.toml",
        "--color",
        "never",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("Example Co. Privacy Board"));
    let r = run(env
        .cmd()
        .current_dir(&project)
        .args(["validate", "example-tracker.toml"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // --no-config leaves the project's catalog out.
    let r = run(env.cmd().current_dir(&project).args([
        "validate",
        "--no-config",
        "example-tracker.toml",
    ]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("unknown ruling id"));

    // A broken file there was named on purpose: bad input for check (exit 2, nothing
    // reported), a problem for validate.
    env.file(
        "project/privacy/catalog/example-co.toml",
        CATALOG.replace("date = \"2025-03-01\"", "date = \"March 2025\""),
    );
    let r = run(env
        .cmd()
        .current_dir(&project)
        .args(["check", "wechat-read"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains(
            "privacy/catalog/example-co.toml:9:8: a ruling's `date` is a day such as 2020-07-30, not `March 2025`"
        ),
        "{}",
        r.stderr
    );
    let r = run(env
        .cmd()
        .current_dir(&project)
        .args(["validate", "example-tracker.toml"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("example-co.toml:9:8:"), "{}", r.stdout);

    // validate without a state reads the config only for its catalogs: one found in the
    // working directory that cannot be read is a warning there; named with --config, an
    // error.
    env.file("project/privaudit.toml", "catalog-dirs = 3\n");
    let r = run(env
        .cmd()
        .current_dir(&project)
        .args(["validate", "../config-less.toml"]));
    assert_eq!(r.code, 2, "a missing profile is still unreadable");
    env.file("config-less.toml", PROFILE.replace("example-", "plain-").replace(
        "rulings = [{ id = \"plain-board-2025\", link = \"direct\" }]\nlaws = [\"plain-policy-4\"]\nevents = [\"plain-incident-2025\"]\n",
        "",
    ));
    let r = run(env
        .cmd()
        .current_dir(&project)
        .args(["validate", "../config-less.toml"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("warning: privaudit.toml:1:16:")
            && r.stderr.contains("catalog-dirs are not read"),
        "{}",
        r.stderr
    );
    let r = run(env.cmd().current_dir(&project).args([
        "validate",
        "--config",
        "privaudit.toml",
        "../config-less.toml",
    ]));
    assert_eq!(r.code, 2, "{}", r.stderr);

    // A directory that is not there is a mistake in the config.
    env.file("project/privaudit.toml", "catalog-dirs = [\"nowhere\"]\n");
    let r = run(env
        .cmd()
        .current_dir(&project)
        .args(["check", "wechat-read"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("privaudit.toml:1:17: catalog-dirs: ") && r.stderr.contains("nowhere"),
        "{}",
        r.stderr
    );
}

#[test]
fn another_jurisdiction_must_be_named() {
    let env = home_with_catalog();
    let file = env.file(
        "config/privaudit/catalog/example-co.toml",
        CATALOG.replace(
            "jurisdiction-name = { en = \"Example Co. internal policy\", zh = \"示例公司内部政策\" }\n",
            "",
        ),
    );
    let r = run(env.cmd().args(["explain", "pipl-23"]));
    assert_eq!(r.code, 0);
    let at = format!(
        "{}:35:16: law `example-policy-4` has `jurisdiction = \"other\"`: name it",
        file.display()
    );
    assert!(r.stderr.contains(&at), "{at} not in {}", r.stderr);
}

/// The interactive auditor, in a real pseudo-terminal: the picker marks the user's
/// profile, names a catalog file left out with its problem, and the rulings browser holds
/// the user's ruling and article.
#[cfg(unix)]
mod auditor {
    use super::*;
    use portable_pty::{PtySize, native_pty_system};
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    struct Screen {
        parser: Arc<Mutex<vt100::Parser>>,
        writer: Box<dyn Write + Send>,
        child: Box<dyn portable_pty::Child + Send + Sync>,
        /// Held for the session: dropping it hangs up the terminal.
        _master: Box<dyn portable_pty::MasterPty + Send>,
    }

    impl Screen {
        fn start(env: &Env) -> Screen {
            let pair = native_pty_system()
                .openpty(PtySize {
                    rows: 40,
                    cols: 140,
                    pixel_width: 0,
                    pixel_height: 0,
                })
                .unwrap();
            let cmd = common::pty::privaudit(env.home.path(), &["--demo"]);
            let child = pair.slave.spawn_command(cmd).unwrap();
            let mut reader = pair.master.try_clone_reader().unwrap();
            let writer = pair.master.take_writer().unwrap();
            let parser = Arc::new(Mutex::new(vt100::Parser::new(
                std::num::NonZeroU16::new(40).unwrap(),
                std::num::NonZeroU16::new(140).unwrap(),
                0,
            )));
            let shared = Arc::clone(&parser);
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    shared.lock().unwrap().process(&buf[..n]);
                }
            });
            Screen {
                parser,
                writer,
                child,
                _master: pair.master,
            }
        }

        fn contents(&self) -> String {
            self.parser.lock().unwrap().screen().contents()
        }

        fn wait_for(&self, text: &str) -> String {
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(30) {
                let screen = self.contents();
                if screen.contains(text) {
                    return screen;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            panic!(
                "timed out waiting for {text:?}; screen:\n{}",
                self.contents()
            );
        }

        fn send(&mut self, keys: &str) {
            self.writer.write_all(keys.as_bytes()).unwrap();
            self.writer.flush().unwrap();
        }
    }

    impl Drop for Screen {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    #[test]
    fn the_picker_and_the_rulings_browser_show_the_users_files() {
        let env = home_with_catalog();
        env.file(
            "config/privaudit/catalog/zz-broken.toml",
            "[[laws]]\nid = \"pipl-23\"\n",
        );
        let builtin = std::fs::read_to_string("profiles/wechat-read.toml").unwrap();
        env.file("config/privaudit/profiles/wechat-read.toml", builtin);
        let mut s = Screen::start(&env);
        let screen = s.wait_for("Example Tracker");
        let row = screen
            .lines()
            .find(|l| l.contains("Example Tracker"))
            .unwrap();
        assert!(row.contains("[yours]"), "{row}");
        // The broken file is listed with its problem, and the status line says so.
        s.wait_for("zz-broken.toml:1:1: missing field `law`");
        s.wait_for("1 catalog file of yours could not be read");
        s.wait_for("your own profile replaces the built-in one: wechat-read");
        s.send("r");
        s.wait_for("Example Co. Privacy Board: location sharing by d");
        s.wait_for("Location Policy art. 4");
        s.send("q");
    }
}
