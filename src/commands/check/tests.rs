//! The fast paths (JSON records bound without the straightforward parse, JSON lines put
//! together from cached bytes, blocks written as one buffer) must never change a
//! verdict or a byte: their output is compared with the straightforward path's on
//! generated input, valid and broken, in every format.

use super::checker::{Checker, Done};
use super::*;
use crate::cli::{Cli, Command};
use crate::state::{Bound, FastBinder};
use clap::Parser;
use std::path::PathBuf;

/// A small deterministic generator (no dependency, same input on every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[self.below(items.len())]
    }
}

/// An id as JSON, usually plain, sometimes escaped or broken.
fn id(rng: &mut Rng, id: &str) -> String {
    match rng.below(150) {
        0 => {
            // The same id with an escape: valid JSON the fast path cannot borrow.
            let mut chars = id.chars();
            let first = chars.next().map_or(0, u32::from);
            format!("\"\\u{first:04x}{}\"", chars.as_str())
        }
        1 => format!("\"{id}x\""),
        2 => format!("\"{}\"", id.to_uppercase()),
        3 => format!("\"{id}\\u001b[31m\""),
        4 => "7".to_owned(),
        _ => format!("\"{id}\""),
    }
}

fn line(rng: &mut Rng, profiles: &[Profile]) -> String {
    const BROKEN: &[&str] = &[
        "",
        "   ",
        "[\"douyin\"]",
        "{",
        "null",
        "{\"app\":\"douyin\",\"app\":\"douyin\"}",
        "{\"app\":\"douyin\",\"id\":3}",
        "{\"app\":\"douyin\",\"id\":3,\"id\":4}",
        "{\"app\":\"douyin\",\"id\":null}",
        "{\"app\":\"douyin\",\"id\":[\"u1\"]}",
        "{\"id\":\"u9\",\"app\":\"douyin\",\"bad\":1}",
        "{\"settings\":{}}",
        "{\"app\":\"nope\"}",
        "{\"app\":\"douyin\",\"settings\":null}",
        "{\"app\":\"douyin\",\"settings\":[]}",
        "\u{feff}{\"app\":\"douyin\"}",
        "{\"app\":\"douyin\"} trailing",
        "{\"app\":\"douyin\"}\r",
    ];
    if rng.chance(10) {
        return rng.pick(BROKEN).to_owned();
    }
    let profile = &profiles[rng.below(profiles.len())];
    let mut fields = vec![format!("\"app\":{}", id(rng, &profile.app.id))];
    let mut settings = Vec::new();
    let mut waivers = Vec::new();
    for setting in &profile.settings {
        if rng.chance(60) {
            let option = &setting.options[rng.below(setting.options.len())].id;
            let option = if rng.chance(3) { "bogus" } else { option };
            settings.push(format!("{}:{}", id(rng, &setting.id), id(rng, option)));
            if rng.chance(3) {
                // A duplicate key: the last one counts.
                let other = &setting.options[rng.below(setting.options.len())].id;
                settings.push(format!("\"{}\":\"{other}\"", setting.id));
            }
        }
        if rng.chance(8) {
            let reason = rng.pick(&[
                "kept on purpose",
                "  ",
                "",
                "tab\\there",
                "我知道",
                "esc \\u001b[2J",
                "\\u2028line",
            ]);
            let expires = rng.pick(&[
                "",
                ",\"expires\":\"2030-01-01\"",
                ",\"expires\":\"2020-01-01\"",
                ",\"expires\":null",
                ",\"expires\":\"2030-02-30\"",
                ",\"expires\":20300101",
                ",\"extra\":1",
            ]);
            waivers.push(format!(
                "{}:{{\"reason\":\"{reason}\"{expires}}}",
                id(rng, &setting.id)
            ));
        }
    }
    if !settings.is_empty() || rng.chance(50) {
        fields.push(format!("\"settings\":{{{}}}", settings.join(",")));
    }
    if !waivers.is_empty() {
        fields.push(format!("\"waivers\":{{{}}}", waivers.join(",")));
    }
    if rng.chance(2) {
        fields.push("\"key\":\"k1\"".to_owned());
    }
    // The record key, passed through as it is written.
    if rng.chance(40) {
        const KEYS: &[&str] = &[
            "\"u-1\"",
            "\"\\u00e9\\n\\u001b[31m\"",
            "12345678901234567890123",
            "-1.5e3",
            "\"用户 7\"",
        ];
        let key = format!("\"id\":{}", rng.pick(KEYS));
        let at = rng.below(fields.len() + 1);
        fields.insert(at, key);
    }
    // Field order does not matter to JSON.
    if rng.chance(30) {
        fields.reverse();
    }
    format!(
        "{{{}}}",
        fields.join(if rng.chance(20) { " , " } else { "," })
    )
}

/// A TOML state file, usually well formed, sometimes broken.
fn toml_state(rng: &mut Rng, profiles: &[Profile]) -> String {
    const BROKEN: &[&str] = &[
        "",
        "app = 3",
        "app = \"douyin\"\nsettings = 3",
        "app = \"douyin\"\n[settings]\nprivate-account = 1",
        "app = \"nope\"",
        "[settings]\nx = \"y\"",
        "app = \"douyin\"\nextra = 1",
        "app = \"douyin\"\n[waivers.private-account]\nexpires = 2030-01-01",
        "app = \"douyin\"\n[waivers.private-account]\nreason = \"r\"\nexpires = \"soon\"",
        "app = \"douyin\"\n[waivers.private-account]\nreason = \"r\"\nwhy = 1",
        "app = [",
        "\u{feff}app = \"douyin\"\r\n[settings]\r\nprivate-account = \"on\"\r\n",
        "\u{feff}",
        " \n\t",
    ];
    if rng.chance(8) {
        return rng.pick(BROKEN).to_owned();
    }
    let profile = &profiles[rng.below(profiles.len())];
    let quote = |rng: &mut Rng, id: &str| match rng.below(60) {
        0 => format!("\"\\u{:04x}{}\"", u32::from(id.as_bytes()[0]), &id[1..]),
        1 => format!("\"{id}x\""),
        _ => format!("\"{id}\""),
    };
    let mut out = Vec::new();
    let mut settings = Vec::new();
    let mut waivers = Vec::new();
    for setting in &profile.settings {
        if rng.chance(60) {
            let option = &setting.options[rng.below(setting.options.len())].id;
            settings.push(format!(
                "{} = {}",
                quote(rng, &setting.id),
                quote(rng, option)
            ));
        }
        if rng.chance(8) {
            let reason = rng.pick(&["kept", "  ", "我知道", "tab\\there", "\\u001b[2J"]);
            let expires = rng.pick(&["", "expires = 2030-01-01", "expires = 2020-01-01"]);
            waivers.push(format!(
                "[waivers.{}]\nreason = \"{reason}\"\n{expires}",
                quote(rng, &setting.id)
            ));
        }
    }
    // Inline settings may come before the app.
    if rng.chance(20) {
        out.push(format!("settings = {{ {} }}", settings.join(", ")));
        out.push(format!("app = {}", quote(rng, &profile.app.id)));
    } else {
        out.push(format!("app = {}", quote(rng, &profile.app.id)));
        out.push(format!("[settings]\n{}", settings.join("\n")));
    }
    out.extend(waivers);
    out.join("\n") + "\n"
}

#[test]
fn state_files_give_the_straightforward_output_byte_for_byte() {
    let catalog = catalog::builtin();
    let profiles = registry::builtin_profiles(catalog).expect("built-in profiles load");
    let auditors: Vec<Auditor<'_>> = profiles.iter().map(|p| Auditor::new(p, catalog)).collect();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut rng = Rng(0x0007_06d1_2026);
    for i in 0..400 {
        let path = dir.path().join(format!("{i:04}.toml"));
        std::fs::write(path, toml_state(&mut rng, &profiles)).expect("written");
    }
    let inputs: Vec<StateInput> = batch::state_dir_inputs(dir.path(), CHUNK)
        .expect("listed")
        .collect();
    for detail in ["full", "compact"] {
        for lang in ["en", "zh"] {
            let fast = checker(&auditors, "jsonl", detail, lang, false);
            let straightforward = checker(&auditors, "jsonl", detail, lang, true);
            let mut outputs = Vec::new();
            for checker in [&fast, &straightforward] {
                let mut writer =
                    DocumentWriter::new(crate::report::Format::Jsonl, checker.style, Vec::new());
                let mut verdict = (false, false);
                for input in &inputs {
                    match checker.check(0, input, true) {
                        Done::Lines {
                            bytes,
                            failed,
                            bad_input,
                            ..
                        } => {
                            verdict.0 |= failed;
                            verdict.1 |= bad_input;
                            writer.lines(&bytes).expect("memory");
                        }
                        Done::States(results) => {
                            for result in results {
                                match result {
                                    Ok((piece, fails)) => {
                                        verdict.0 |= fails;
                                        for piece in piece.expect("rendered") {
                                            writer.piece(piece).expect("memory");
                                        }
                                    }
                                    Err(unchecked) => {
                                        verdict.1 = true;
                                        let (name, problem) = (&unchecked.name, &unchecked.problem);
                                        writer.error(name, None, problem).expect("memory");
                                    }
                                }
                            }
                        }
                    }
                }
                outputs.push((writer.finish().expect("memory"), verdict));
            }
            assert_eq!(outputs[0].1, outputs[1].1, "{detail} {lang}");
            assert!(outputs[0].1 == (true, true), "the files have both");
            let (a, b) = (&outputs[0].0, &outputs[1].0);
            assert!(
                a == b,
                "{detail} {lang}: outputs differ at byte {}:\n{}",
                a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0),
                String::from_utf8_lossy(a)
            );
        }
    }
    // The comparison means something only if the fast path took most files.
    let binder = FastBinder::new(&profiles);
    let mut bound = Bound::default();
    let paths: Vec<&PathBuf> = inputs
        .iter()
        .flat_map(|input| match input {
            StateInput::Files(paths) => paths.iter().collect(),
            _ => Vec::new(),
        })
        .collect();
    let taken = paths
        .iter()
        .filter(|path| {
            std::fs::read_to_string(path).is_ok_and(|text| binder.bind_toml_into(&text, &mut bound))
        })
        .count();
    assert!(
        taken > paths.len() / 2 && taken < paths.len(),
        "the fast path took {taken} of {} files",
        paths.len()
    );
}

fn checker<'a>(
    auditors: &'a [Auditor<'a>],
    format: &str,
    detail: &str,
    lang: &str,
    straightforward: bool,
) -> Checker<'a> {
    checker_with(
        auditors,
        format,
        detail,
        lang,
        straightforward,
        crate::project::Project::default(),
    )
}

fn checker_with<'a>(
    auditors: &'a [Auditor<'a>],
    format: &str,
    detail: &str,
    lang: &str,
    straightforward: bool,
    project: crate::project::Project,
) -> Checker<'a> {
    let cli = Cli::parse_from([
        "privaudit",
        "check",
        "--states-jsonl",
        "-",
        "--format",
        format,
        "--detail",
        detail,
        "--lang",
        lang,
    ]);
    let Some(Command::Check(args)) = cli.command else {
        unreachable!("a check command was parsed")
    };
    let options = CheckOptions::from_parts(&args, project).expect("valid options");
    let style = Style {
        lang: options.lang,
        color: false,
        catalog: catalog::builtin(),
    };
    let today = Date::new(2026, 11, 25).expect("a real date");
    let mut checker = Checker::new(auditors, &options, false, style, today, 1);
    if straightforward {
        checker.fast = false;
        checker.caches.clear();
        checker.one_by_one = true;
    }
    checker
}

/// The whole document for `input`, and the verdict: (states, failed, bad input).
fn run(checker: &Checker<'_>, input: &str) -> (Vec<u8>, (usize, bool, bool)) {
    let mut writer = DocumentWriter::new(checker.formats[0], checker.style, Vec::new());
    writer.start().expect("memory");
    let (mut states, mut failed, mut bad) = (0, false, false);
    let blocks = JsonLines::new(input.as_bytes(), "t.jsonl").block_records(7);
    for block in blocks {
        match checker.check(0, &block, true) {
            Done::States(results) => {
                for result in results {
                    states += 1;
                    match result {
                        Ok((piece, fails)) => {
                            failed |= fails;
                            for piece in piece.expect("rendered") {
                                writer.piece(piece).expect("memory");
                            }
                        }
                        Err(unchecked) => {
                            bad = true;
                            let key = unchecked.key.as_deref();
                            writer
                                .error(&unchecked.name, key, &unchecked.problem)
                                .expect("memory");
                        }
                    }
                }
            }
            Done::Lines {
                bytes,
                states: n,
                failed: f,
                bad_input: b,
            } => {
                states += n;
                failed |= f;
                bad |= b;
                writer.lines(&bytes).expect("memory");
            }
        }
    }
    (writer.finish().expect("memory"), (states, failed, bad))
}

/// A project's waivers and minimum severity apply to every state alike, so a worker's
/// memo of lines stays right with them; the straightforward path says what right is.
#[test]
fn fast_paths_agree_with_project_waivers_and_a_minimum_severity() {
    let catalog = catalog::builtin();
    let profiles = registry::builtin_profiles(catalog).expect("built-in profiles load");
    let auditors: Vec<Auditor<'_>> = profiles.iter().map(|p| Auditor::new(p, catalog)).collect();
    let mut rng = Rng(0x0b5e_2026_1126);
    let input: String = (0..600).map(|_| line(&mut rng, &profiles) + "\n").collect();
    let config = "min-severity = \"medium\"\n\
        [[waiver]]\nsetting = \"private-account\"\nreason = \"public by design\"\n\
        [[waiver]]\nsetting = \"wechat-read/private-reading\"\nreason = \"old\"\n\
        expires = 2001-01-01\n";
    let project = || {
        let source = crate::source::SourceText::from_string("privaudit.toml", config);
        crate::project::parse(&source, std::path::Path::new("")).expect("a valid config")
    };
    for (format, detail) in [("jsonl", "full"), ("jsonl", "compact"), ("json", "full")] {
        let fast = checker_with(&auditors, format, detail, "en", false, project());
        let slow = checker_with(&auditors, format, detail, "en", true, project());
        let (fast_out, fast_verdict) = run(&fast, &input);
        let (slow_out, slow_verdict) = run(&slow, &input);
        assert_eq!(fast_verdict, slow_verdict, "{format} {detail}");
        assert!(fast_out == slow_out, "{format} {detail}: outputs differ");
        let text = String::from_utf8(fast_out).expect("UTF-8");
        // Both took effect: a project waiver, and findings left out.
        if detail == "compact" {
            assert!(text.contains("\"waived\":true") && text.contains("\"left_out\":"));
        } else {
            assert!(text.contains("public by design") && text.contains("\"left_out\":"));
        }
        assert!(!text.contains("\"severity\":\"low\""), "{format} {detail}");
    }
}

#[test]
fn fast_paths_give_the_straightforward_output_byte_for_byte() {
    let catalog = catalog::builtin();
    // The built-in profiles only: a developer's own profiles must not change the test.
    let profiles = registry::builtin_profiles(catalog).expect("built-in profiles load");
    let auditors: Vec<Auditor<'_>> = profiles.iter().map(|p| Auditor::new(p, catalog)).collect();
    let mut rng = Rng(0x5eed_2026_1125);
    let input: String = (0..1500)
        .map(|_| line(&mut rng, &profiles) + "\n")
        .collect();
    let mut fast_taken = 0;
    for (format, details) in [
        ("jsonl", &["full", "compact"][..]),
        ("json", &["full"][..]),
        ("sarif", &["full"][..]),
        ("junit", &["full"][..]),
        ("markdown", &["full"][..]),
        ("text", &["full"][..]),
        ("github", &["full"][..]),
        ("gitlab", &["full"][..]),
    ] {
        for &detail in details {
            for lang in ["en", "zh"] {
                let fast = checker(&auditors, format, detail, lang, false);
                let straightforward = checker(&auditors, format, detail, lang, true);
                let (fast_out, fast_verdict) = run(&fast, &input);
                let (slow_out, slow_verdict) = run(&straightforward, &input);
                assert_eq!(fast_verdict, slow_verdict, "{format} {detail} {lang}");
                assert!(
                    fast_out == slow_out,
                    "{format} {detail} {lang}: outputs differ at byte {}",
                    fast_out
                        .iter()
                        .zip(&slow_out)
                        .position(|(a, b)| a != b)
                        .unwrap_or(fast_out.len().min(slow_out.len()))
                );
                assert!(fast_verdict.1 && fast_verdict.2, "the input has both");
                if format == "jsonl" {
                    // States set alike were taken from the memo.
                    let memo = fast.memos[0].lock().expect("not poisoned");
                    let remembered = memo.len();
                    assert!(
                        remembered > 10 && remembered < fast_verdict.0 / 2,
                        "{remembered} selections remembered of {} states",
                        fast_verdict.0
                    );
                }
            }
        }
    }
    // The comparison means something only if the fast path took most records and
    // refused some.
    let binder = FastBinder::new(&profiles);
    let records: Vec<&str> = input.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut keyed_taken = 0;
    for record in &records {
        let taken = binder.bind(record.trim(), 1).is_some();
        fast_taken += usize::from(taken);
        keyed_taken += usize::from(taken && record.contains("\"id\":"));
    }
    assert!(
        fast_taken > records.len() / 4 && fast_taken < records.len(),
        "the fast path took {fast_taken} of {} records",
        records.len()
    );
    let keyed = records.iter().filter(|r| r.contains("\"id\":")).count();
    assert!(
        keyed_taken > keyed / 5 && keyed_taken < keyed,
        "the fast path took {keyed_taken} of {keyed} records with a key"
    );
}
