//! `privaudit validate` through the real binary: every problem at once, structural ones
//! included, each at its line and column; "did you mean" for near-miss ids; `--strict`;
//! the form without files, on the user's profile directory.

mod common;

use common::{Env, Run, fixture, run};

fn validate(env: &Env, args: &[&str]) -> Run {
    run(env.cmd().arg("validate").args(args))
}

/// The `line:column: message` part of each line of `stdout`, for lines about `file`.
fn problems<'a>(stdout: &'a str, file: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .map(|line| {
            line.strip_prefix(file)
                .and_then(|rest| rest.strip_prefix(':'))
                .unwrap_or_else(|| panic!("{line:?} is not about {file}"))
        })
        .collect()
}

#[test]
fn structural_problems_in_different_settings_are_all_reported_at_their_places() {
    let env = Env::new();
    let file = fixture("validate/structural.toml");
    let r = validate(&env, &[&file]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let found = problems(&r.stdout, &file);
    // Before, the first wrong type (the version) was all an author saw.
    let expected = [
        "6:11: invalid type: integer `3`, expected a string such as \"3.3.0\"",
        // A missing key: at the header of the table that lacks it.
        "8:1: missing key `evidence` in setting `first`",
        // Three problems in one table, and one in the inline table inside it.
        "18:9: invalid type: string \"Second\", expected a text in both languages",
        "19:42: invalid type: integer `1`, expected a string",
        "20:1: unknown key `colour` in setting `second` (known: id, label,",
        "21:11: invalid type: integer `2`, expected a string",
        // Inside an option of that setting: a missing key and an unknown one.
        "26:10: missing key `to` in a flow",
        "26:33: unknown key `too` in a flow; did you mean `to`? (known: data, to, from)",
        // What the values say is still checked beside the structure.
        "32:9: unknown law id `pipl-99`; did you mean `pipl-29`?",
        "34:1: missing key `id` in [[settings.options]] of setting `third`",
    ];
    assert_eq!(found.len(), expected.len(), "{}", r.stdout);
    for (found, expected) in found.iter().zip(expected) {
        assert!(
            found.starts_with(expected),
            "wanted {expected:?}, got {found:?}"
        );
    }
}

#[test]
fn a_value_that_cannot_be_read_does_not_cause_more_problems() {
    let env = Env::new();
    // `default` of the wrong kind: not also "evidence for a default it does not state";
    // an option whose id cannot be read: `recommended` is not called "not an option".
    let path = env.file(
        "cascade.toml",
        "[app]\nid = \"c\"\nname = { en = \"C\", zh = \"某\" }\nvendor = { en = \"V\", zh = \"某\" }\nversion = \"1\"\n\
         [[settings]]\nid = \"s\"\nlabel = { en = \"S\", zh = \"某\" }\ndefault = 1\nrecommended = \"off\"\n\
         evidence = { label = \"verified\", default = \"verified\" }\n\
         [[settings.options]]\nid = \"on\"\nlabel = { en = \"On\", zh = \"开\" }\n\
         [[settings.options]]\nid = 7\nlabel = { en = \"Off\", zh = \"关\" }\n",
    );
    let file = path.display().to_string();
    let r = validate(&env, &[&file]);
    assert_eq!(r.code, 1);
    assert_eq!(
        problems(&r.stdout, &file),
        [
            "9:11: invalid type: integer `1`, expected a string",
            "16:6: invalid type: integer `7`, expected a string",
        ],
        "{}",
        r.stdout
    );
}

#[test]
fn near_miss_ids_name_the_nearest_known_id_and_list_them_all() {
    let env = Env::new();
    let file = fixture("validate/near-miss.toml");
    let r = validate(&env, &[&file]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let found = problems(&r.stdout, &file);
    let suggested = [
        (
            "4:10",
            "unknown market `chinaa`",
            "china",
            "china, outside-china",
        ),
        (
            "12:14",
            "unknown label-kind `on_screen`",
            "on-screen",
            "on-screen, descriptive",
        ),
        (
            "15:19",
            "unknown ruling id `huang-v-tencent-202`",
            "huang-v-tencent-2020",
            "tencent-v-bytedance-2019, huang-v-tencent-2020, ling-v-douyin-2020",
        ),
        (
            "16:9",
            "unknown law id `pipl-2`",
            "pipl-23",
            "gdpr-7, gdpr-25",
        ),
        (
            "17:11",
            "unknown event id `strava-heatmap-2019`",
            "strava-heatmap-2018",
            "venmo-ftc-2018, strava-heatmap-2018",
        ),
        (
            "18:1",
            "unknown key `evidense` in setting `share`",
            "evidence",
            "id, label, label-kind",
        ),
        (
            "19:22",
            "unknown evidence level `verifed`",
            "verified",
            "verified, secondary, single-source, unverified",
        ),
        (
            "20:10",
            "unknown switch `nnone`",
            "none",
            "in-app, none, once-at-login",
        ),
        (
            "25:20",
            "unknown data category `contact`",
            "contacts",
            "reading-history, social-graph, contacts",
        ),
        (
            "25:37",
            "unknown audience `frends`",
            "friends",
            "only-me, approved, friends",
        ),
        (
            "25:54",
            "unknown source `other-app`",
            "other-apps",
            "this-app, other-apps",
        ),
    ];
    for (at, says, near, known) in suggested {
        let line = found
            .iter()
            .find(|l| l.starts_with(&format!("{at}: {says}")))
            .unwrap_or_else(|| panic!("no {at}: {says} in {}", r.stdout));
        assert!(
            line.contains(&format!("; did you mean `{near}`? (known: ")) && line.contains(known),
            "{line}"
        );
    }
    // Option ids: the setting's own options are the known ones.
    for (at, what) in [
        ("13:11", "default `of`"),
        ("14:15", "recommended option `offf`"),
    ] {
        let wanted = format!(
            "{at}: {what} of setting `share` is not one of its options (on, off); did you mean `off`?"
        );
        assert!(found.contains(&wanted.as_str()), "{wanted} in {}", r.stdout);
    }
    // A far miss gets the list, not a guess.
    let far = found
        .iter()
        .find(|l| l.starts_with("15:62: unknown ruling id `smith-v-jones-2021`"))
        .expect("the far miss is reported");
    assert!(!far.contains("did you mean"), "{far}");
    assert!(far.contains("(known: tencent-v-bytedance-2019,"), "{far}");
    assert_eq!(found.len(), suggested.len() + 3, "{}", r.stdout);
}

#[test]
fn strict_demands_sources_flows_reviewed_and_market_each_at_its_place() {
    let env = Env::new();
    let file = fixture("validate/unsourced.toml");
    let plain = validate(&env, &[&file]);
    assert_eq!(plain.code, 0, "valid without --strict: {}", plain.stdout);
    let r = validate(&env, &["--strict", &file]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        problems(&r.stdout, &file),
        [
            "2:1: [app] has no `market` (--strict: say where the app is offered, \"china\" or \"outside-china\")",
            "2:1: [app] has no `reviewed` (--strict: the date the facts were last checked, such as reviewed = 2026-11-26)",
            "2:1: [app] has no `sources` (--strict: name where its facts come from, sources = [\"...\"])",
            "12:12: the evidence of setting `sourced` does not state `flows` (--strict: say how sure what each option sends is; without it the label's level is taken)",
            "18:1: setting `no-sources` has no `sources` (--strict: name where its facts come from, sources = [\"...\"])",
            "30:11: setting `empty-sources` lists no sources (--strict: name where its facts come from)",
        ],
        "{}",
        r.stdout
    );
    // A profile that says all of it passes --strict.
    let sourced = fixture("validate/sourced.toml");
    let r = validate(&env, &["--strict", &sourced]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout,
        format!("{sourced}: ok (app `sourced`, 1 setting)\n")
    );
}

#[test]
fn strict_is_documented_in_validate_help() {
    let env = Env::new();
    let r = run(env.cmd().args(["validate", "--help"]));
    assert_eq!(r.code, 0);
    for rule in [
        "--strict also demands",
        "`sources = [...]` on [app] and on every setting",
        "`evidence.flows` on every setting",
        "`reviewed = YYYY-MM-DD` on [app]",
        "`market = \"china\"`",
        "did you mean",
        "With no PROFILE.toml and no --state",
    ] {
        assert!(r.stdout.contains(rule), "{rule:?} not in\n{}", r.stdout);
    }
}

#[test]
fn an_app_offered_only_outside_china_cannot_link_a_ruling_direct() {
    let env = Env::new();
    let file = fixture("validate/outside-china-direct.toml");
    let r = validate(&env, &[&file]);
    assert_eq!(r.code, 1);
    assert_eq!(
        problems(&r.stdout, &file),
        [
            "12:48: ruling `ling-v-douyin-2020` is linked \"direct\", but the app is offered only outside China (market = \"outside-china\"): no Chinese court ruled on it, so the ruling can only be an analogy (link = \"analogy\")"
        ],
        "{}",
        r.stdout
    );
    // The same link in an app offered in China is what the courts' own apps have.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"outside-china\"", "\"china\"");
    let china = env.file("china-direct.toml", text);
    let r = validate(&env, &[china.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

/// `<config dir>/profiles` in the test's home.
fn profile_dir(env: &Env) -> std::path::PathBuf {
    env.path("config/privaudit/profiles")
}

#[test]
fn without_files_validate_checks_the_user_profile_directory() {
    let env = Env::new();
    let dir = profile_dir(&env);
    let shown = dir.display().to_string();

    let missing = validate(&env, &[]);
    assert_eq!(missing.code, 0, "{}{}", missing.stdout, missing.stderr);
    assert_eq!(
        missing.stdout,
        format!(
            "No profiles to check: your profile directory {shown} does not exist yet. `privaudit new APP-ID` writes a profile there to start from.\n"
        )
    );

    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a profile").unwrap();
    let empty = validate(&env, &[]);
    assert_eq!(empty.code, 0);
    assert!(
        empty.stdout.starts_with(&format!(
            "No profiles to check: your profile directory {shown} holds no *.toml file."
        )),
        "{}",
        empty.stdout
    );

    let good = std::fs::read_to_string(fixture("validate/sourced.toml")).unwrap();
    std::fs::write(dir.join("sourced.toml"), &good).unwrap();
    std::fs::copy(
        fixture("validate/near-miss.toml"),
        dir.join("near-miss.toml"),
    )
    .unwrap();
    // Found by its file name, so it must be named for its app.
    std::fs::write(dir.join("misnamed.toml"), &good).unwrap();
    let r = validate(&env, &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        format!("Checking 3 profiles in your profile directory {shown}")
    );
    let misnamed = format!("{shown}/misnamed.toml");
    let near = format!("{shown}/near-miss.toml");
    let sourced = format!("{shown}/sourced.toml");
    assert_eq!(
        lines[1],
        format!("{misnamed}: user profile for app `sourced` must be named sourced.toml")
    );
    assert!(lines[2].starts_with(&format!("{near}:4:10: unknown market")));
    assert_eq!(lines.iter().filter(|l| l.starts_with(&near)).count(), 14);
    assert_eq!(
        lines.last().unwrap(),
        &format!("{sourced}: ok (app `sourced`, 1 setting)")
    );

    // --strict applies there too.
    std::fs::remove_file(dir.join("misnamed.toml")).unwrap();
    std::fs::remove_file(dir.join("near-miss.toml")).unwrap();
    std::fs::copy(
        fixture("validate/unsourced.toml"),
        dir.join("unsourced.toml"),
    )
    .unwrap();
    assert_eq!(validate(&env, &[]).code, 0);
    let strict = validate(&env, &["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(
        strict.stdout.contains(&format!(
            "{shown}/unsourced.toml:18:1: setting `no-sources` has no `sources`"
        )),
        "{}",
        strict.stdout
    );
}

#[test]
fn without_files_a_profile_directory_that_is_a_file_exits_2() {
    let env = Env::new();
    let dir = profile_dir(&env);
    env.file(
        "config/privaudit/profiles",
        "a file where the directory belongs",
    );
    let r = validate(&env, &[]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stderr,
        format!("privaudit: error: {}: is not a directory\n", dir.display())
    );
}

#[test]
fn a_profile_with_twenty_thousand_bad_ids_reports_a_bounded_number_of_problems() {
    let env = Env::new();
    let text = std::fs::read_to_string(fixture("validate/near-miss.toml")).unwrap();
    let many: Vec<String> = (0..20_000)
        .map(|i| format!("\"no-such-law-{i}\""))
        .collect();
    let hostile = text.replacen(
        "laws = [\"pipl-2\"]",
        &format!("laws = [{}]", many.join(", ")),
        1,
    );
    assert_ne!(hostile, text);
    let path = env.file("hostile.toml", hostile);
    let r = validate(&env, &[path.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines = r.stdout.lines().count();
    assert!(lines <= 501, "{lines} lines");
    assert!(
        r.stdout
            .lines()
            .last()
            .unwrap()
            .contains("more problems not shown"),
        "{}",
        r.stdout.lines().last().unwrap()
    );
    // Each line stays short: the known ids are listed, not the file's.
    assert!(r.stdout.lines().all(|l| l.len() < 2_000));
}
