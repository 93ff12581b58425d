//! What each fuzz target does with its bytes.
//!
//! The fuzz targets (`fuzz/fuzz_targets/*.rs`) call these functions, and so does the
//! ordinary integration test `tests/fuzz_regressions.rs`, which includes this file with
//! `#[path]`: a crash input replays under `cargo test` through exactly the calls that found
//! it. Returning is success, whatever the input; a panic is a finding.
//!
//! Besides "does not panic", a few properties every input must keep are asserted:
//! - every diagnostic renders on one line with nothing a terminal would act on;
//! - the text report (without colour) and the Markdown report carry no control characters
//!   or text-direction overrides from the input;
//! - the JSON, SARIF and GitLab reports are JSON, the JUnit report is XML, every line of
//!   the GitHub report but its closing one is a workflow command, and a JSON line built
//!   from the per-profile cache is the same as one built without it;
//! - an account state saved in the on-disk format and read back selects the same options
//!   and waivers;
//! - a profile compared with itself has drifted nowhere;
//! - the fast binder (its scanners of the common JSON and TOML shapes first, then serde)
//!   takes only states the straightforward path takes, with the same profile and selection.

use privaudit::audit::Auditor;
use privaudit::audit::drift::{profile_drift, state_drift};
use privaudit::batch::{JsonLines, StateInput};
use privaudit::catalog::{self, Catalog};
use privaudit::date::Date;
use privaudit::diag::Diagnostic;
use privaudit::profile::{Profile, parse_profile};
use privaudit::report::json::LineCache;
use privaudit::report::{Checked, Detail, Format, Style, document, json, markdown, text};
use privaudit::source::{SourceText, decode};
use privaudit::state::{
    AccountState, Bound, DEFAULT_KEY_FIELD, FastBinder, Selection, parse_state_toml, store,
};
use privaudit::text::Lang;
use std::sync::OnceLock;

/// What a fuzz target runs on one input.
pub type Target = fn(&[u8]);

/// Every target, by the name of its directory under `fuzz/corpus/`, `fuzz/seeds/` and
/// `tests/fuzz_inputs/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("profile", profile),
    ("state_toml", state_toml),
    ("state_jsonl", state_jsonl),
    ("config", config),
    ("catalog", catalog),
];

/// At most this many JSON Lines records are loaded from one input.
pub const MAX_JSONL_RECORDS: usize = 10_000;

/// A fixed "today", so a waiver's expiry judges the same on every run of an input.
fn today() -> Date {
    Date::new(2026, 6, 1).expect("a valid date")
}

/// The built-in profiles, parsed once per process.
fn builtin_profiles() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        privaudit::registry::builtin_profiles(catalog::builtin())
            .expect("the built-in profiles parse")
    })
}

/// A built-in profile with its auditor and JSON line caches, made once per process.
struct Builtin {
    profile: &'static Profile,
    auditor: Auditor<'static>,
    caches: LineCaches,
}

fn builtin() -> &'static [Builtin] {
    static BUILTIN: OnceLock<Vec<Builtin>> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let catalog = catalog::builtin();
        builtin_profiles()
            .iter()
            .map(|profile| {
                let auditor = Auditor::new(profile, catalog);
                let caches = LineCaches::new(&auditor, catalog);
                Builtin {
                    profile,
                    auditor,
                    caches,
                }
            })
            .collect()
    })
}

/// How much of the reporting to run on a state that fits a profile.
#[derive(Clone, Copy)]
enum Reports {
    /// Every format in both languages.
    All,
    /// JSON lines only (cached and not): for JSON Lines input, where a record is a state
    /// like a state file, so the costly formats would only slow the fuzzer down.
    Lines,
}

/// A profile's JSON line cache in each language.
struct LineCaches {
    en: LineCache,
    zh: LineCache,
    /// Compact lines hold no text in either language.
    compact: LineCache,
}

impl LineCaches {
    fn new(auditor: &Auditor<'_>, catalog: &Catalog) -> LineCaches {
        LineCaches {
            en: LineCache::new(auditor, style(Lang::En, catalog), Detail::Full),
            zh: LineCache::new(auditor, style(Lang::Zh, catalog), Detail::Full),
            compact: LineCache::new(auditor, style(Lang::En, catalog), Detail::Compact),
        }
    }

    fn get(&self, lang: Lang) -> &LineCache {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

fn style(lang: Lang, catalog: &Catalog) -> Style<'_> {
    Style {
        lang,
        color: false,
        catalog,
    }
}

/// `profile`: a user profile, then (when it is valid) every report of it.
pub fn profile(data: &[u8]) {
    let Some(source) = source("fuzz.toml", data) else {
        return;
    };
    let catalog = catalog::builtin();
    match parse_profile(&source, catalog, "fuzz.toml", false) {
        Ok(profile) => audit_profile(&profile, catalog),
        Err(problems) => {
            assert!(!problems.is_empty(), "a profile refused without a reason");
            problems.iter().for_each(shown);
        }
    }
}

/// `state_toml`: an account state file, bound to every built-in profile.
pub fn state_toml(data: &[u8]) {
    let Some(source) = source("fuzz-state.toml", data) else {
        return;
    };
    let mut bound = Bound::default();
    if binder().bind_toml_into(&source.text, &mut bound) {
        let selection = bound.selection(&builtin_profiles()[bound.profile]);
        fast_agrees(Some((bound.profile, selection)), parse_state_toml(&source));
    }
    match parse_state_toml(&source) {
        Ok(state) => bind_everywhere(&state, Reports::All),
        Err(problem) => shown(&problem),
    }
}

/// `state_jsonl`: a JSON Lines stream of account states, every record loaded and bound;
/// and the stream read in blocks (whole lines taken from the buffer together) gives the
/// same records, errors and line numbers as read a byte at a time (each line on its own).
pub fn state_jsonl(data: &[u8]) {
    let together = records_of(JsonLines::new(std::io::Cursor::new(data), "fuzz").block_records(64));
    let one_by_one = records_of(JsonLines::new(ByteByByte(data), "fuzz").block_records(64));
    assert_eq!(
        together, one_by_one,
        "lines read together and one by one differ"
    );
    let blocks = JsonLines::new(std::io::Cursor::new(data), "fuzz").block_records(1);
    for input in blocks.take(MAX_JSONL_RECORDS) {
        let StateInput::Lines(block) = input else {
            panic!("JSON Lines gave an input that is not a block of records");
        };
        for line in block.lines() {
            assert_terminal_safe("a JSON Lines input's name", &line.name(), false);
            if let Ok(text) = line.text() {
                let fast = binder().bind(text, line.line());
                let loaded = line.load(DEFAULT_KEY_FIELD);
                if let (Some((_, _, key)), Ok(state)) = (&fast, &loaded) {
                    assert_eq!(key, &state.key, "the fast binder read another record key");
                }
                fast_agrees(
                    fast.map(|(profile, selection, _)| (profile, selection)),
                    loaded,
                );
            }
            match line.load(DEFAULT_KEY_FIELD) {
                Ok(state) => bind_everywhere(&state, Reports::Lines),
                Err(problem) => shown(&problem),
            }
        }
    }
}

/// A reader that gives one byte per read, as a slow stream might.
struct ByteByByte<'d>(&'d [u8]);

impl std::io::Read for ByteByByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some((&first, rest)) = self.0.split_first() else {
            return Ok(0);
        };
        let Some(slot) = buf.first_mut() else {
            return Ok(0);
        };
        *slot = first;
        self.0 = rest;
        Ok(1)
    }
}

/// The records of a stream, at most [`MAX_JSONL_RECORDS`]: line, and text or error message.
fn records_of(blocks: impl Iterator<Item = StateInput>) -> Vec<(usize, Result<String, String>)> {
    let mut all = Vec::new();
    for input in blocks {
        let StateInput::Lines(block) = input else {
            panic!("JSON Lines gave an input that is not a block of records");
        };
        for line in block.lines() {
            let text = line
                .text()
                .map(str::to_owned)
                .map_err(|e| e.message.clone());
            all.push((line.line(), text));
        }
        if all.len() >= MAX_JSONL_RECORDS {
            all.truncate(MAX_JSONL_RECORDS);
            break;
        }
    }
    all
}

/// `config`: the config file.
pub fn config(data: &[u8]) {
    let Some(source) = source("config.toml", data) else {
        return;
    };
    if let Err(problem) = privaudit::config::parse(&source) {
        shown(&problem);
    }
}

/// `catalog`: the rulings catalog as TOML and as JSON; a catalog that parses is then used
/// to check the built-in profiles, and those that pass are audited against it.
pub fn catalog(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for parsed in [
        Catalog::parse("fuzz", text),
        Catalog::parse_json("fuzz", text),
    ] {
        match parsed {
            Ok(catalog) => use_catalog(&catalog),
            Err(problem) => shown(&problem),
        }
    }
}

fn use_catalog(catalog: &Catalog) {
    for lang in [Lang::En, Lang::Zh] {
        for law in &catalog.laws {
            let _ = law.citation(lang);
            let _ = law.short_citation(lang);
        }
        for ruling in &catalog.rulings {
            let _ = ruling.held_line(lang);
            let _ = ruling.case_number_text(lang);
            let _ = privaudit::audit::explain::ruling_head(ruling, lang);
            let _ = privaudit::audit::explain::basis_sentence(ruling, catalog, lang);
            let _ = privaudit::audit::explain::ruling_articles(ruling, catalog, lang);
        }
    }
    match privaudit::registry::builtin_profiles(catalog) {
        Ok(profiles) => profiles.iter().for_each(|p| audit_profile(p, catalog)),
        Err(problem) => shown(&problem),
    }
}

/// Decode as the loaders do; a refusal is a diagnostic like any other.
fn source(name: &str, data: &[u8]) -> Option<SourceText> {
    match decode(name, data.to_vec()) {
        Ok(source) => Some(source),
        Err(problem) => {
            shown(&problem);
            None
        }
    }
}

/// Audit a valid profile at its defaults, at its recommendations and at its last options,
/// and render every report of each.
fn audit_profile(profile: &Profile, catalog: &Catalog) {
    let auditor = Auditor::new(profile, catalog);
    let defaults = Selection::defaults(profile);
    let mut recommended = defaults.clone();
    let mut last = defaults.clone();
    for (index, setting) in profile.settings.iter().enumerate() {
        recommended.chosen[index] = Some(setting.recommended);
        last.chosen[index] = setting.options.len().checked_sub(1);
    }
    let cache = LineCaches::new(&auditor, catalog);
    for selection in [&defaults, &recommended, &last] {
        render_all(profile, &auditor, selection, None, catalog, &cache);
        let _ = state_drift(profile, &defaults, selection);
        round_trip(profile, selection);
    }
    assert!(
        profile_drift(profile, profile).is_empty(),
        "a profile drifted from itself"
    );
    for other in builtin_profiles() {
        let _ = profile_drift(other, profile);
        let _ = profile_drift(profile, other);
    }
}

/// Bind a parsed state to every built-in profile; where it fits, audit and report it.
fn bind_everywhere(state: &AccountState, reports: Reports) {
    let catalog = catalog::builtin();
    shown(&state.error(state.app_pos, "fuzz".to_owned()));
    for builtin in builtin() {
        let profile = builtin.profile;
        match state.bind(profile) {
            Ok(selection) => {
                assert_eq!(selection.chosen.len(), profile.settings.len());
                assert_eq!(selection.waivers.len(), profile.settings.len());
                let name = Some(state.source.clone());
                match reports {
                    Reports::All => render_all(
                        profile,
                        &builtin.auditor,
                        &selection,
                        name,
                        catalog,
                        &builtin.caches,
                    ),
                    Reports::Lines => {
                        let checked = Checked {
                            profile,
                            report: builtin.auditor.audit(&selection, today()),
                            state: name,
                            key: state.key.clone(),
                        };
                        for lang in [Lang::En, Lang::Zh] {
                            json_lines(&checked, style(lang, catalog), builtin.caches.get(lang));
                        }
                        compact_lines(&checked, style(Lang::En, catalog), &builtin.caches.compact);
                    }
                }
                let _ = state_drift(profile, &Selection::defaults(profile), &selection);
                round_trip(profile, &selection);
            }
            Err(problem) => shown(&problem),
        }
    }
}

/// Save a selection in the state file format and read it back: the same options and
/// waivers must come back.
fn round_trip(profile: &Profile, selection: &Selection) {
    let saved = store::to_toml(&selection.to_state(profile));
    let source = SourceText::from_string("saved.toml", saved.clone());
    let back = parse_state_toml(&source)
        .and_then(|state| state.bind(profile))
        .unwrap_or_else(|e| panic!("a saved state does not load: {e}\n{saved}"));
    assert_eq!(
        back.chosen, selection.chosen,
        "a saved state loads other options:\n{saved}"
    );
    let key = |s: &Selection| {
        s.waivers
            .iter()
            .map(|w| {
                w.as_ref()
                    .map(|w| (w.setting.clone(), w.reason.clone(), w.expires))
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        key(&back),
        key(selection),
        "a saved state loads other waivers:\n{saved}"
    );
}

/// Every report format of one audit. The report API is the part of the library most
/// likely to change; should it move, cutting this function down keeps the loaders fuzzed.
fn render_all(
    profile: &Profile,
    auditor: &Auditor<'_>,
    selection: &Selection,
    state: Option<String>,
    catalog: &Catalog,
    cache: &LineCaches,
) {
    let checked = [Checked {
        profile,
        report: auditor.audit(selection, today()),
        state,
        key: None,
    }];
    let errors = [(
        "fuzz:1".to_owned(),
        Diagnostic::at_line("fuzz", 1, None, "an error beside the reports"),
    )];
    for lang in [Lang::En, Lang::Zh] {
        let style = style(lang, catalog);
        let report = text::render(&checked[0], style);
        assert_terminal_safe("the text report", &report, true);
        let report = markdown::render(&checked[0], style);
        assert_terminal_safe("the Markdown report", &report, true);
        let _ = text::render(
            &checked[0],
            Style {
                color: true,
                ..style
            },
        );
        let whole = |format| {
            let bytes = document::document(format, &checked, &errors, style);
            String::from_utf8(bytes).expect("a report is UTF-8")
        };
        assert_json("the JSON report", &whole(Format::Json));
        assert_json("the SARIF report", &whole(Format::Sarif));
        let xml = whole(Format::Junit);
        if let Err(e) = roxmltree::Document::parse(&xml) {
            panic!("the JUnit report is not XML ({e}):\n{xml}");
        }
        assert_json("the GitLab report", &whole(Format::Gitlab));
        let github = whole(Format::Github);
        let mut commands = github.lines();
        let _summary = commands.next_back();
        if let Some(line) = commands.find(|l| !l.starts_with("::")) {
            panic!("a GitHub report line is not a workflow command: {line:?}");
        }
        for format in [Format::Text, Format::Jsonl, Format::Markdown] {
            let _ = whole(format);
        }
        json_lines(&checked[0], style, cache.get(lang));
    }
}

/// A JSON line, rendered afresh and from the cache: JSON, and the same either way.
fn json_lines(checked: &Checked<'_>, style: Style<'_>, cache: &LineCache) {
    let line = json::line(checked, style, None);
    let line = String::from_utf8(line).expect("a JSON line is UTF-8");
    assert_json("a JSON line", &line);
    let cached = json::line(checked, style, Some(cache));
    assert_eq!(
        String::from_utf8_lossy(&cached),
        line,
        "a JSON line differs when its findings come from the cache"
    );
    assert_rest_from_parts(checked, style, cache, Detail::Full);
}

/// A line's rest from a cache, and from parts kept of it, is the line serde writes.
fn assert_rest_from_parts(
    checked: &Checked<'_>,
    style: Style<'_>,
    cache: &LineCache,
    detail: Detail,
) {
    let Some(parts) = cache.rest_parts(checked, detail) else {
        return;
    };
    let (mut rest, mut from_parts) = (Vec::new(), Vec::new());
    cache.write_rest(&mut rest, checked, style, detail);
    cache.write_parts(&mut from_parts, &parts, detail);
    assert_eq!(
        String::from_utf8_lossy(&from_parts),
        String::from_utf8_lossy(&rest),
        "a line's rest differs when written from kept parts"
    );
}

/// A compact line, rendered afresh and from the cache: JSON, and the same either way.
fn compact_lines(checked: &Checked<'_>, style: Style<'_>, cache: &LineCache) {
    let mut line = Vec::new();
    json::write_compact_line(&mut line, checked, style, None);
    let line = String::from_utf8(line).expect("a compact line is UTF-8");
    assert_json("a compact line", &line);
    let mut cached = Vec::new();
    json::write_compact_line(&mut cached, checked, style, Some(cache));
    assert_eq!(
        String::from_utf8_lossy(&cached),
        line,
        "a compact line differs when it comes from the cache"
    );
    assert_rest_from_parts(checked, style, cache, Detail::Compact);
}

/// The fast binder over the built-in profiles, made once per process.
fn binder() -> &'static FastBinder<'static> {
    static BINDER: OnceLock<FastBinder<'static>> = OnceLock::new();
    BINDER.get_or_init(|| FastBinder::new(builtin_profiles()))
}

/// The fast binder answers only for states the straightforward path takes, for the same
/// profile, with the same selection and waivers.
fn fast_agrees(
    fast: Option<(usize, Selection)>,
    straightforward: Result<AccountState, Diagnostic>,
) {
    let Some((index, selection)) = fast else {
        return;
    };
    let state =
        straightforward.expect("the fast binder took a state the straightforward path refuses");
    let profiles = builtin_profiles();
    let first = profiles.iter().position(|p| p.app.id == state.app);
    assert_eq!(first, Some(index), "the fast binder chose another profile");
    let slow = state
        .bind(&profiles[index])
        .expect("the fast binder bound a state the straightforward path refuses");
    assert_eq!(
        slow, selection,
        "the fast binder bound the state differently"
    );
}

fn assert_json(what: &str, text: &str) {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        panic!("{what} is not JSON ({e}):\n{text}");
    }
}

/// Every diagnostic is shown to someone: rendering it (position, sanitising) is code too.
fn shown(problem: &Diagnostic) {
    assert_terminal_safe("a diagnostic", &problem.to_string(), false);
}

/// No control character (but `\n` where lines are allowed), C1 control or text-direction
/// override: input text must reach a terminal only made visible.
fn assert_terminal_safe(what: &str, text: &str, multiline: bool) {
    let bad = text.chars().find(|&c| {
        let code = c as u32;
        let allowed_newline = multiline && c == '\n';
        !allowed_newline
            && (code < 0x20
                || code == 0x7f
                || (0x80..=0x9f).contains(&code)
                || matches!(
                    c,
                    '\u{061c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                ))
    });
    if let Some(c) = bad {
        panic!(
            "{what} carries the raw character U+{:04X}:\n{text:?}",
            c as u32
        );
    }
}
