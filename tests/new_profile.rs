//! `privaudit new` through the real binary, in an isolated home: the skeleton it writes
//! validates and checks as written, and an author who fills it in gets a working profile.

mod common;

use common::{Env, run};
use std::path::PathBuf;

fn profile_dir(env: &Env) -> PathBuf {
    env.path("config/privaudit/profiles")
}

#[test]
fn new_then_validate_then_check_work_on_the_skeleton_as_written() {
    let env = Env::new();
    let r = run(env.cmd().args(["new", "my-app"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let dir = profile_dir(&env);
    let file = dir.join("my-app.toml");
    assert!(
        r.stdout
            .starts_with(&format!("Wrote {} and profile.schema.json", file.display())),
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("#:schema ./profile.schema.json\n"));
    assert!(
        dir.join("profile.schema.json").is_file(),
        "the schema the first line names is beside it"
    );
    // The model's new fields are there for the author, explained.
    for key in [
        "# family = \"my-app\"",
        "# market = \"china\"",
        "sources = [\"TODO:",
    ] {
        assert!(text.contains(key), "{key}");
    }

    let validated = run(env.cmd().arg("validate"));
    assert_eq!(validated.code, 0, "{}", validated.stdout);
    assert!(
        validated.stdout.ends_with(&format!(
            "{}: ok (app `my-app`, 1 setting)\n",
            file.display()
        )),
        "{}",
        validated.stdout
    );

    let checked = run(env.cmd().args(["check", "my-app", "--color", "never"]));
    assert_eq!(checked.code, 0, "{}{}", checked.stdout, checked.stderr);
    assert!(
        checked
            .stdout
            .contains("Not assessed (default unknown; set them in a state file): ")
            && checked.stdout.contains("[todo-setting]")
            && checked
                .stdout
                .contains("the settings below could not be judged"),
        "no default is invented: {}",
        checked.stdout
    );

    let listed = run(env.cmd().args(["list", "--format", "json"]));
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(listed.stdout.contains("\"my-app\""), "{}", listed.stdout);
    assert!(
        listed.stdout.contains("TODO: the app's name"),
        "{}",
        listed.stdout
    );

    // --strict lists what is still to fill in.
    let strict = run(env.cmd().args(["validate", "--strict"]));
    assert_eq!(strict.code, 1);
    for left in [
        "[app] has no `market`",
        "[app] has no `reviewed`",
        "app name is still the placeholder",
        "a source of setting `todo-setting` is still the placeholder",
        "label of option `todo-private` is still the placeholder",
    ] {
        assert!(strict.stdout.contains(left), "{left}: {}", strict.stdout);
    }
}

/// Everything an author does to the skeleton: real texts for the placeholders, the
/// commented keys `--strict` wants, a default with its evidence.
fn filled_in(skeleton: &str) -> String {
    let replacements = [
        ("TODO: the app's name", "Step Counter"),
        ("待填：应用名称", "计步器"),
        ("TODO: the company that makes it", "Example Health Ltd"),
        ("待填：开发商名称", "示例健康公司"),
        ("TODO: the version you describe", "4.2"),
        ("待填：所描述的版本", "4.2 版"),
        (
            "TODO: where the facts about the app come from",
            "the app's help centre, read 2026-11-26",
        ),
        (
            "TODO: the setting's name as the app shows it",
            "Share my activity",
        ),
        ("待填：应用界面上的设置名称", "分享我的运动记录"),
        (
            "TODO: where the facts about this setting come from",
            "the app's help centre, privacy page",
        ),
        (
            "TODO: what this setting does with whose data",
            "Shows your workouts to your friends.",
        ),
        ("待填：这个设置如何处理谁的数据", "向好友展示你的运动记录。"),
        ("TODO: the option's label as the app shows it", "Friends"),
        ("待填：应用界面上的选项名称", "好友"),
        ("TODO: the label of the option that shares least", "Only me"),
        ("待填：分享最少的选项名称", "仅自己"),
        ("# market = \"china\"", "market = \"outside-china\""),
        ("# reviewed = 2026-11-26", "reviewed = 2026-11-26"),
        ("# default = \"todo-shared\"", "default = \"todo-shared\""),
        (
            "evidence = { label = \"unverified\", flows = \"unverified\" }",
            "evidence = { label = \"verified\", default = \"single-source\", flows = \"secondary\" }",
        ),
    ];
    let mut text = skeleton.to_owned();
    for (from, to) in replacements {
        assert!(text.contains(from), "the skeleton has {from:?}");
        text = text.replace(from, to);
    }
    text
}

#[test]
fn an_author_fills_in_the_skeleton_and_gets_a_working_profile() {
    let env = Env::new();
    assert_eq!(run(env.cmd().args(["new", "step-counter"])).code, 0);
    let file = profile_dir(&env).join("step-counter.toml");
    let text = filled_in(&std::fs::read_to_string(&file).unwrap());
    std::fs::write(&file, text).unwrap();

    let strict = run(env.cmd().args(["validate", "--strict"]));
    assert_eq!(strict.code, 0, "{}{}", strict.stdout, strict.stderr);

    // The default now exposes activity to friends beyond the recommendation: a finding,
    // marked as resting on a single-source default.
    let checked = run(env.cmd().args([
        "check",
        "step-counter",
        "--format",
        "json",
        "--fail-on",
        "low",
    ]));
    assert_eq!(checked.code, 1, "{}{}", checked.stdout, checked.stderr);
    let report: serde_json::Value = serde_json::from_str(&checked.stdout).unwrap();
    let finding = &report["reports"][0]["findings"][0];
    assert_eq!(finding["setting"], "todo-setting");
    assert_eq!(finding["current"], "todo-shared");
    assert_eq!(finding["recommended"], "todo-private");
    assert_eq!(finding["unconfirmed_default"], true);
    assert_eq!(report["reports"][0]["app"]["name"], "Step Counter");
}

#[test]
fn new_never_overwrites_a_file() {
    let env = Env::new();
    assert_eq!(run(env.cmd().args(["new", "mine"])).code, 0);
    let file = profile_dir(&env).join("mine.toml");
    std::fs::write(&file, "# my own work\n").unwrap();
    let again = run(env.cmd().args(["new", "mine"]));
    assert_eq!(again.code, 2);
    assert_eq!(
        again.stderr,
        format!(
            "privaudit: error: {} already exists; `privaudit new` never overwrites a file (edit it, or give another --output)\n",
            file.display()
        )
    );
    assert_eq!(again.stdout, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# my own work\n");
    // Nor through --output, nor leaves a temporary file behind.
    let other = env.file("elsewhere/mine.toml", "keep\n");
    let r = run(env.cmd().args(["new", "mine", "-o"]).arg(&other));
    assert_eq!(r.code, 2);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep\n");
    let left: Vec<_> = std::fs::read_dir(profile_dir(&env))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}

#[test]
fn new_rejects_an_invalid_id_and_writes_nothing() {
    let env = Env::new();
    let long = "a".repeat(65);
    for id in [
        "My-App",
        "my_app",
        "-app",
        "",
        "my app",
        "应用",
        long.as_str(),
    ] {
        let r = run(env.cmd().arg("new").arg("--").arg(id));
        assert_eq!(r.code, 2, "{id:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stderr
                .contains("is not a valid app id: use lower-case letters, digits and '-'"),
            "{id:?}: {}",
            r.stderr
        );
    }
    assert!(!profile_dir(&env).exists(), "nothing written");
}

#[test]
fn new_writes_to_standard_output_or_where_output_says() {
    let env = Env::new();
    let printed = run(env.cmd().args(["new", "demo-app", "-o", "-"]));
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert!(
        printed
            .stdout
            .starts_with("#:schema ./profile.schema.json\n")
    );
    assert!(printed.stdout.contains("id = \"demo-app\""));
    assert!(!profile_dir(&env).exists(), "standard output only");

    let into = env.path("work");
    std::fs::create_dir_all(&into).unwrap();
    let r = run(env.cmd().args(["new", "demo-app", "--output"]).arg(&into));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = into.join("demo-app.toml");
    assert_eq!(std::fs::read_to_string(&written).unwrap(), printed.stdout);
    assert!(into.join("profile.schema.json").is_file());
    let validated = run(env.cmd().arg("validate").arg(&written));
    assert_eq!(validated.code, 0, "{}", validated.stdout);

    let nowhere = env.path("no/such/dir/demo-app.toml");
    let r = run(env.cmd().args(["new", "demo-app", "-o"]).arg(&nowhere));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
}

#[test]
fn the_skeleton_names_every_known_id() {
    let env = Env::new();
    let r = run(env.cmd().args(["new", "ids", "-o", "-"]));
    assert_eq!(r.code, 0);
    let comments: String = r
        .stdout
        .lines()
        .filter(|l| l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let catalog = privaudit::catalog::builtin();
    let ids = catalog
        .rulings
        .iter()
        .map(|r| r.id.clone())
        .chain(catalog.laws.iter().map(|l| l.id.clone()))
        .chain(catalog.events.iter().map(|e| e.id.clone()))
        .chain(
            privaudit::vocab::DataCategory::ALL
                .iter()
                .map(|d| d.id().to_owned()),
        )
        .chain(
            privaudit::vocab::Audience::ALL
                .iter()
                .map(|a| a.id().to_owned()),
        );
    for id in ids {
        assert!(comments.contains(&id), "{id} is not explained");
    }
    for words in [
        "\"on-screen\"",
        "\"descriptive\"",
        "\"once-at-login\"",
        "\"outside-china\"",
        "\"single-source\"",
        "from = \"other-apps\"",
    ] {
        assert!(comments.contains(words), "{words} is not explained");
    }
}

#[test]
fn new_never_puts_its_schema_over_someone_elses_file_but_refreshes_its_own() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("profile.schema.json");
    std::fs::write(&schema, "{\"title\": \"not ours\"}").unwrap();
    let r = run(env.cmd().args(["new", "first-app", "-o"]).arg(&dir));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(dir.join("first-app.toml").is_file());
    assert_eq!(
        std::fs::read_to_string(&schema).unwrap(),
        "{\"title\": \"not ours\"}"
    );
    assert!(r.stderr.contains("left as it is"), "{}", r.stderr);
    // An older copy of privaudit's own schema is brought up to date.
    std::fs::write(
        &schema,
        "{\"$id\": \"urn:privaudit:schema:profile\", \"title\": \"old\"}",
    )
    .unwrap();
    let r = run(env.cmd().args(["new", "second-app", "-o"]).arg(&dir));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let now = std::fs::read_to_string(&schema).unwrap();
    let printed = run(env.cmd().args(["schema", "profile"])).stdout;
    assert_eq!(now, printed);
}
