//! The JSON Schemas of the TOML inputs (`privaudit schema profile|state`): every shipped
//! profile validates against the profile schema and points editors to it; the committed
//! `profiles/profile.schema.json` is what the binary prints; and the schemas say what the
//! loaders say — the same keys, the same required keys, the same ids — since they are
//! declared apart from the loaders (see `src/profile/schema.rs` for why).

mod common;

use common::{Env, run};
use privaudit::catalog;
use privaudit::profile::parse_profile;
use privaudit::source::SourceText;
use privaudit::state::parse_state_toml;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The line every shipped profile starts with, so an editor finds the schema beside it.
const SCHEMA_LINE: &str = "#:schema ./profile.schema.json";
const COMMITTED_PROFILE_SCHEMA: &str = "profiles/profile.schema.json";

fn schema(kind: &str) -> Value {
    let env = Env::new();
    let out = run(env.cmd().args(["schema", kind]));
    assert_eq!(out.code, 0, "privaudit schema {kind}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    // Formats are checked (a date is a date), as taplo checks them.
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

/// Each problem as `JSON pointer: message`.
fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A TOML document as JSON, as an editor's TOML language server hands it to the schema:
/// dates and times become their text (`2026-11-25`).
fn toml_to_json(text: &str) -> Result<Value, String> {
    fn convert(value: toml::Value) -> Value {
        match value {
            toml::Value::String(s) => Value::String(s),
            toml::Value::Integer(n) => Value::from(n),
            toml::Value::Float(f) => serde_json::Number::from_f64(f)
                .map_or_else(|| Value::String(f.to_string()), Value::Number),
            toml::Value::Boolean(b) => Value::Bool(b),
            toml::Value::Datetime(d) => Value::String(d.to_string()),
            toml::Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
            toml::Value::Table(table) => {
                Value::Object(table.into_iter().map(|(k, v)| (k, convert(v))).collect())
            }
        }
    }
    toml::from_str::<toml::Table>(text)
        .map(|table| convert(toml::Value::Table(table)))
        .map_err(|e| e.to_string())
}

/// The shipped profiles, read from the directory so a new one is covered: (path, text).
fn shipped_profiles() -> Vec<(String, String)> {
    let mut profiles: Vec<(String, String)> = std::fs::read_dir("profiles")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|e| e == "toml")
                && path.file_name().is_some_and(|n| n != "catalog.toml")
        })
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    profiles.sort();
    assert!(profiles.len() >= 4, "profiles/ holds the shipped profiles");
    profiles
}

// --- The committed schema and the shipped profiles ------------------------------------

#[test]
fn the_committed_profile_schema_is_what_the_binary_prints() {
    let env = Env::new();
    let printed = run(env.cmd().args(["schema", "profile"]));
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let committed = std::fs::read_to_string(COMMITTED_PROFILE_SCHEMA).unwrap_or_default();
    assert!(
        committed == printed.stdout,
        "{COMMITTED_PROFILE_SCHEMA} differs from `privaudit schema profile` (the profile \
         format, the vocabulary or the catalog changed); regenerate it with\n    \
         cargo run -- schema profile > {COMMITTED_PROFILE_SCHEMA}"
    );
}

#[test]
fn the_input_schemas_are_draft_2020_12_with_an_id_and_a_title() {
    for (kind, id) in [
        ("profile", "urn:privaudit:schema:profile"),
        ("state", "urn:privaudit:schema:state"),
    ] {
        let schema = schema(kind);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind}"
        );
        assert_eq!(schema["$id"], id, "{kind}");
        assert!(
            schema["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("privaudit ")),
            "{kind}"
        );
        assert_eq!(
            jsonschema::meta::validate(&schema).map_err(|e| e.to_string()),
            Ok(()),
            "{kind}"
        );
        // TOML has no null: an optional key is left out, never written as null.
        assert!(!schema.to_string().contains("null"), "{kind}");
    }
}

#[test]
fn every_shipped_profile_validates_against_the_schema() {
    let validator = validator(&schema("profile"));
    let mut problems = Vec::new();
    for (path, text) in shipped_profiles() {
        match toml_to_json(&text) {
            Ok(json) => problems.extend(
                schema_errors(&validator, &json)
                    .into_iter()
                    .map(|e| format!("{path}: {e}")),
            ),
            Err(e) => problems.push(format!("{path}: not TOML: {e}")),
        }
    }
    assert!(
        problems.is_empty(),
        "shipped profiles that do not match `privaudit schema profile`:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_shipped_profile_starts_with_the_schema_line() {
    // All offenders at once, so one run lists every file to fix.
    let missing: Vec<String> = shipped_profiles()
        .into_iter()
        .filter(|(_, text)| text.lines().next() != Some(SCHEMA_LINE))
        .map(|(path, text)| {
            let first = text.lines().next().unwrap_or("");
            format!("{path}: first line is {first:?}")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "every shipped profile must start with exactly `{SCHEMA_LINE}` (editors find the \
         schema beside the profile):\n{}",
        missing.join("\n")
    );
    assert!(
        Path::new(COMMITTED_PROFILE_SCHEMA).is_file(),
        "the line points to {COMMITTED_PROFILE_SCHEMA}"
    );
}

// --- The profile schema says what the loader says -------------------------------------

/// A profile using every key the loader accepts, each once, with ids from the vocabulary
/// and the catalog.
const MAXIMAL_PROFILE: &str = r#"#:schema ./profile.schema.json
[app]
id = "every-key"
family = "every-key-family"
market = "china"
name = { en = "Every Key", zh = "全部键名" }
vendor = { en = "Example Co.", zh = "示例公司" }
version = { en = "recent build", zh = "近期版本" }
version-date = "2026-10"
reviewed = 2026-11-25
sources = ["written for the test"]
note = { en = "Uses every key.", zh = "使用全部键名。" }

[[settings]]
id = "share-location"
label = { en = "Share my location", zh = "共享我的位置" }
label-kind = "descriptive"
path = { en = ["Me", "Privacy"], zh = ["我", "隐私"] }
default = "everyone"
recommended = "nobody"
rulings = ["huang-v-tencent-2020", { id = "ling-v-douyin-2020", link = "direct" }, { id = "tencent-v-bytedance-2019" }]
laws = ["pipl-28"]
events = ["strava-heatmap-2018"]
sources = ["written for the test"]
evidence = { label = "verified", default = "secondary", default-note = { en = "seen once", zh = "仅见一次" }, path = "single-source", flows = "unverified" }
note = { en = "A note.", zh = "说明。" }
caveat = { en = "A caveat.", zh = "注意事项。" }
switch = "once-at-login"
instead = { en = "Ask the vendor.", zh = "联系厂商。" }

[[settings.options]]
id = "everyone"
label = { en = "Everyone", zh = "所有人" }
flows = [{ data = ["precise-location", "contacts"], to = "public", from = "other-apps" }]

[[settings.options]]
id = "nobody"
label = { en = "Nobody", zh = "任何人都不" }
flows = []
"#;

/// The loader's verdict: `Ok` or its problems, one per line.
fn load_profile(text: &str) -> Result<(), String> {
    let source = SourceText::from_string("test.toml", text);
    parse_profile(&source, catalog::builtin(), "test.toml", false)
        .map(|_| ())
        .map_err(|problems| {
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// `text` with `from` replaced by `to` (once, and it must be there).
fn mutate(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "the test's profile holds `{from}` exactly once"
    );
    text.replacen(from, to, 1)
}

#[test]
fn a_profile_with_every_key_loads_and_validates() {
    load_profile(MAXIMAL_PROFILE).unwrap();
    let json = toml_to_json(MAXIMAL_PROFILE).unwrap();
    let errors = schema_errors(&validator(&schema("profile")), &json);
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Every key the schema names, as a path (`settings[].evidence.default-note`), following
/// `items`, `anyOf` and `allOf`.
fn schema_keys(schema: &Value, path: &str, keys: &mut BTreeSet<String>) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (key, sub) in properties {
            let path = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            keys.insert(path.clone());
            schema_keys(sub, &path, keys);
        }
    }
    if let Some(items) = schema.get("items") {
        schema_keys(items, &format!("{path}[]"), keys);
    }
    for combinator in ["anyOf", "allOf", "oneOf"] {
        for sub in schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            schema_keys(sub, path, keys);
        }
    }
}

/// Every key an instance uses, as a path like [`schema_keys`]'s.
fn instance_keys(value: &Value, path: &str, keys: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, sub) in object {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                keys.insert(path.clone());
                instance_keys(sub, &path, keys);
            }
        }
        Value::Array(items) => {
            for item in items {
                instance_keys(item, &format!("{path}[]"), keys);
            }
        }
        _ => {}
    }
}

/// The maximal profile uses every key the schema names; since it validates, and every
/// object in the schema is closed, the schema names no key it does not use.
#[test]
fn the_schema_names_exactly_the_keys_of_the_maximal_profile() {
    let mut named = BTreeSet::new();
    schema_keys(&schema("profile"), "", &mut named);
    let mut used = BTreeSet::new();
    instance_keys(&toml_to_json(MAXIMAL_PROFILE).unwrap(), "", &mut used);
    assert_eq!(named, used);
}

/// The keys the loader knows in a table, read from its message about an unknown key
/// (serde's "expected one of `a`, `b`", "expected `a` or `b`", or "(known: a, b)").
fn loader_keys(message: &str) -> BTreeSet<String> {
    let list = message
        .split_once("expected ")
        .or_else(|| message.split_once("known: "))
        .map_or("", |(_, rest)| rest);
    list.split([',', ' ', '`', '(', ')'])
        .filter(|word| !word.is_empty() && !matches!(*word, "one" | "of" | "or"))
        .map(str::to_owned)
        .collect()
}

/// For each table of the format, the keys the loader knows (read from its message about an
/// unknown key, `zz-unknown`) are the keys the schema names there: a key added to the
/// loader and not to the schema, or the other way round, fails here.
#[test]
fn the_loader_and_the_schema_know_the_same_keys_in_every_table() {
    let schema = schema("profile");
    let mut named = BTreeSet::new();
    schema_keys(&schema, "", &mut named);
    let children = |table: &str| -> BTreeSet<String> {
        named
            .iter()
            .filter_map(|path| {
                let rest = if table.is_empty() {
                    Some(path.as_str())
                } else {
                    path.strip_prefix(table)?.strip_prefix('.')
                };
                rest.filter(|r| !r.contains('.') && !r.contains('['))
                    .map(str::to_owned)
            })
            .collect()
    };
    // (table path in the schema, the text to put an unknown key into, that text with it)
    let cases = [
        ("", "[app]\n", "zz-unknown = 1\n[app]\n"),
        ("app", "family = ", "zz-unknown = 1\nfamily = "),
        (
            "app.name",
            "{ en = \"Every Key\"",
            "{ zz-unknown = 1, en = \"Every Key\"",
        ),
        (
            "settings[]",
            "label-kind = ",
            "zz-unknown = 1\nlabel-kind = ",
        ),
        (
            "settings[].path",
            "en = [\"Me\"",
            "zz-unknown = 1, en = [\"Me\"",
        ),
        (
            "settings[].evidence",
            "{ label = \"verified\"",
            "{ zz-unknown = 1, label = \"verified\"",
        ),
        (
            "settings[].rulings[]",
            "{ id = \"tencent-v-bytedance-2019\" }",
            "{ id = \"tencent-v-bytedance-2019\", zz-unknown = 1 }",
        ),
        (
            "settings[].options[]",
            "id = \"everyone\"\n",
            "id = \"everyone\"\nzz-unknown = 1\n",
        ),
        (
            "settings[].options[].flows[]",
            "to = \"public\"",
            "to = \"public\", zz-unknown = 1",
        ),
    ];
    for (table, from, to) in cases {
        let message = load_profile(&mutate(MAXIMAL_PROFILE, from, to))
            .expect_err(&format!("the loader refuses an unknown key in `{table}`"));
        assert!(message.contains("zz-unknown"), "{table}: {message}");
        assert_eq!(
            loader_keys(&message),
            children(table),
            "keys of `{table}`: the loader's (from its message {message:?}) and the schema's"
        );
    }
}

/// Profiles the loader refuses, each one mutation of the maximal profile: the schema must
/// refuse each too, so an editor never shows a profile as fine that `validate` refuses for
/// its keys, types or ids. (What a schema cannot say — a default that is not one of the
/// options, duplicate ids — is left to `validate`.)
#[test]
fn what_the_loader_refuses_the_schema_refuses() {
    let validator = validator(&schema("profile"));
    let m = MAXIMAL_PROFILE;
    let cases: Vec<(&str, String)> = vec![
        // Unknown keys.
        ("unknown top-level table", format!("{m}\n[meta]\nx = 1\n")),
        (
            "unknown app key",
            mutate(m, "family = ", "colour = \"red\"\nfamily = "),
        ),
        (
            "unknown language",
            mutate(
                m,
                "{ en = \"Every Key\"",
                "{ fr = \"Toutes\", en = \"Every Key\"",
            ),
        ),
        (
            "unknown setting key",
            mutate(m, "label-kind = ", "severity = \"high\"\nlabel-kind = "),
        ),
        (
            "unknown evidence key",
            mutate(
                m,
                "flows = \"unverified\"",
                "flows = \"unverified\", ruling = \"verified\"",
            ),
        ),
        (
            "unknown ruling-link key",
            mutate(
                m,
                "{ id = \"tencent-v-bytedance-2019\" }",
                "{ id = \"tencent-v-bytedance-2019\", year = 2019 }",
            ),
        ),
        (
            "unknown option key",
            mutate(m, "id = \"nobody\"\n", "id = \"nobody\"\nweight = 1\n"),
        ),
        (
            "unknown flow key",
            mutate(m, "to = \"public\"", "to = \"public\", via = \"ads\""),
        ),
        // Wrong types.
        (
            "version as a number",
            mutate(
                m,
                "version = { en = \"recent build\", zh = \"近期版本\" }",
                "version = 3",
            ),
        ),
        (
            "label as a plain string",
            mutate(
                m,
                "label = { en = \"Share my location\", zh = \"共享我的位置\" }",
                "label = \"Share my location\"",
            ),
        ),
        (
            "options as a string",
            format!(
                "{}options = \"everyone\"\n",
                &m[..m.find("[[settings.options]]").unwrap()]
            ),
        ),
        (
            "data as a string",
            mutate(
                m,
                "data = [\"precise-location\", \"contacts\"]",
                "data = \"contacts\"",
            ),
        ),
        (
            "sources as a string",
            mutate(
                m,
                "sources = [\"written for the test\"]\nnote",
                "sources = \"written for the test\"\nnote",
            ),
        ),
        (
            "reviewed with a time",
            mutate(m, "reviewed = 2026-11-25", "reviewed = 2026-11-25T10:00:00"),
        ),
        (
            "a ruling as a number",
            mutate(m, "rulings = [\"huang-v-tencent-2020\"", "rulings = [2020"),
        ),
        (
            "link as a boolean",
            mutate(m, "link = \"direct\"", "link = true"),
        ),
        // Missing keys.
        ("no app id", mutate(m, "id = \"every-key\"\n", "")),
        (
            "no app name",
            mutate(m, "name = { en = \"Every Key\", zh = \"全部键名\" }\n", ""),
        ),
        (
            "no vendor",
            mutate(
                m,
                "vendor = { en = \"Example Co.\", zh = \"示例公司\" }\n",
                "",
            ),
        ),
        (
            "no version",
            mutate(
                m,
                "version = { en = \"recent build\", zh = \"近期版本\" }\n",
                "",
            ),
        ),
        (
            "no Chinese text",
            mutate(
                m,
                "{ en = \"A note.\", zh = \"说明。\" }",
                "{ en = \"A note.\" }",
            ),
        ),
        ("no setting id", mutate(m, "id = \"share-location\"\n", "")),
        (
            "no setting label",
            mutate(
                m,
                "label = { en = \"Share my location\", zh = \"共享我的位置\" }\n",
                "",
            ),
        ),
        (
            "no evidence",
            mutate(
                m,
                "evidence = { label = \"verified\", default = \"secondary\", default-note = { en = \"seen once\", zh = \"仅见一次\" }, path = \"single-source\", flows = \"unverified\" }\n",
                "",
            ),
        ),
        (
            "no evidence label",
            mutate(m, "{ label = \"verified\", ", "{ "),
        ),
        (
            "no option label",
            mutate(m, "label = { en = \"Nobody\", zh = \"任何人都不\" }\n", ""),
        ),
        ("no flow audience", mutate(m, ", to = \"public\"", "")),
        (
            "no flow data",
            mutate(m, "data = [\"precise-location\", \"contacts\"], ", ""),
        ),
        (
            "no settings",
            m[..m.find("[[settings]]").unwrap()].to_owned(),
        ),
        (
            "no options",
            m[..m.find("[[settings.options]]").unwrap()].to_owned(),
        ),
        (
            "empty options",
            format!(
                "{}options = []\n",
                &m[..m.find("[[settings.options]]").unwrap()]
            ),
        ),
        (
            "a flow with no data",
            mutate(m, "[\"precise-location\", \"contacts\"]", "[]"),
        ),
        (
            "a menu path with no Chinese steps",
            mutate(m, "zh = [\"我\", \"隐私\"]", "zh = []"),
        ),
        // Blank or malformed values.
        (
            "blank English text",
            mutate(m, "{ en = \"A caveat.\"", "{ en = \"  \""),
        ),
        (
            "blank version",
            mutate(
                m,
                "version = { en = \"recent build\", zh = \"近期版本\" }",
                "version = \" \"",
            ),
        ),
        (
            "app id with capitals",
            mutate(m, "id = \"every-key\"", "id = \"Every-Key\""),
        ),
        (
            "setting id with a space",
            mutate(m, "id = \"share-location\"", "id = \"share location\""),
        ),
        (
            "option id starting with '-'",
            mutate(m, "id = \"nobody\"", "id = \"-nobody\"")
                .replace("recommended = \"nobody\"", "recommended = \"-nobody\""),
        ),
        (
            "family id too long",
            mutate(
                m,
                "family = \"every-key-family\"",
                &format!("family = \"{}\"", "a".repeat(65)),
            ),
        ),
        (
            "version-date month 13",
            mutate(
                m,
                "version-date = \"2026-10\"",
                "version-date = \"2026-13\"",
            ),
        ),
        (
            "version-date of two digits",
            mutate(m, "version-date = \"2026-10\"", "version-date = \"26\""),
        ),
        // Unknown vocabulary and catalog ids.
        (
            "the old `location` data id",
            mutate(
                m,
                "\"precise-location\", \"contacts\"",
                "\"location\", \"contacts\"",
            ),
        ),
        (
            "unknown data id",
            mutate(
                m,
                "\"precise-location\", \"contacts\"",
                "\"precise-location\", \"shoe-size\"",
            ),
        ),
        (
            "unknown audience",
            mutate(m, "to = \"public\"", "to = \"everyone\""),
        ),
        (
            "unknown source",
            mutate(m, "from = \"other-apps\"", "from = \"elsewhere\""),
        ),
        (
            "unknown evidence level",
            mutate(m, "label = \"verified\"", "label = \"certain\""),
        ),
        (
            "unknown market",
            mutate(m, "market = \"china\"", "market = \"eu\""),
        ),
        (
            "unknown label-kind",
            mutate(m, "label-kind = \"descriptive\"", "label-kind = \"quoted\""),
        ),
        (
            "unknown switch",
            mutate(m, "switch = \"once-at-login\"", "switch = \"hidden\""),
        ),
        (
            "unknown link",
            mutate(m, "link = \"direct\"", "link = \"strong\""),
        ),
        (
            "unknown ruling",
            mutate(m, "\"huang-v-tencent-2020\"", "\"huang-v-tencent-2021\""),
        ),
        (
            "unknown linked ruling",
            mutate(m, "id = \"ling-v-douyin-2020\"", "id = \"ling-v-douyin\""),
        ),
        (
            "unknown law",
            mutate(m, "laws = [\"pipl-28\"]", "laws = [\"pipl-999\"]"),
        ),
        (
            "unknown event",
            mutate(
                m,
                "events = [\"strava-heatmap-2018\"]",
                "events = [\"strava-2018\"]",
            ),
        ),
        // Rules between keys.
        (
            "a default without evidence for it",
            mutate(
                m,
                "default = \"secondary\", default-note = { en = \"seen once\", zh = \"仅见一次\" }, ",
                "",
            ),
        ),
        (
            "evidence for a default not stated",
            mutate(m, "default = \"everyone\"\n", ""),
        ),
        (
            "a default-note without a default level",
            mutate(m, "default = \"secondary\", ", "").replace("default = \"everyone\"\n", ""),
        ),
        (
            "a path without evidence for it",
            mutate(m, "path = \"single-source\", ", ""),
        ),
        (
            "evidence for a path not stated",
            mutate(
                m,
                "path = { en = [\"Me\", \"Privacy\"], zh = [\"我\", \"隐私\"] }\n",
                "",
            ),
        ),
        (
            "no switch in the app and no `instead`",
            mutate(
                m,
                "instead = { en = \"Ask the vendor.\", zh = \"联系厂商。\" }\n",
                "",
            ),
        ),
    ];
    let mut failures = Vec::new();
    for (what, text) in &cases {
        let loader = load_profile(text);
        let schema = toml_to_json(text).map(|json| schema_errors(&validator, &json));
        match (&loader, &schema) {
            (Err(_), Ok(errors)) if !errors.is_empty() => {}
            (Err(_), Err(toml)) => failures.push(format!("{what}: not TOML: {toml}")),
            _ => failures.push(format!(
                "{what}: loader {loader:?}, schema {schema:?}, profile:\n{text}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "mutations not refused by both the loader and the schema:\n{}",
        failures.join("\n\n")
    );
}

/// The other forms the loader accepts pass the schema too.
#[test]
fn what_the_loader_accepts_the_schema_accepts() {
    let validator = validator(&schema("profile"));
    let m = MAXIMAL_PROFILE;
    let minimal = "[app]\nid = \"a\"\nname = { en = \"A\", zh = \"甲\" }\nvendor = { en = \"V\", zh = \"乙\" }\nversion = \"1.0\"\n\n[[settings]]\nid = \"s\"\nlabel = { en = \"S\", zh = \"丙\" }\nevidence = { label = \"unverified\" }\n\n[[settings.options]]\nid = \"o\"\nlabel = { en = \"O\", zh = \"丁\" }\n".to_owned();
    let cases: Vec<(&str, String)> = vec![
        ("the least a profile needs", minimal),
        ("a plain version", mutate(m, "version = { en = \"recent build\", zh = \"近期版本\" }", "version = \"3.3.0\"")),
        ("a year as version-date", mutate(m, "version-date = \"2026-10\"", "version-date = \"2019\"")),
        ("a day as version-date", mutate(m, "version-date = \"2026-10\"", "version-date = \"2019-05-17\"")),
        ("the in-app switch without `instead`", mutate(m, "switch = \"once-at-login\"", "switch = \"in-app\"").replace("instead = { en = \"Ask the vendor.\", zh = \"联系厂商。\" }\n", "")),
        ("no switch", mutate(m, "switch = \"once-at-login\"\n", "").replace("instead = { en = \"Ask the vendor.\", zh = \"联系厂商。\" }\n", "")),
        ("a flow from this app", mutate(m, ", from = \"other-apps\"", ", from = \"this-app\"")),
        ("an id of 64 characters", mutate(m, "family = \"every-key-family\"", &format!("family = \"{}\"", "a".repeat(64)))),
        ("an id starting with a digit", mutate(m, "id = \"share-location\"", "id = \"2fa-share\"")),
        ("a settings table written out", mutate(m, "evidence = { label = \"verified\", default = \"secondary\", default-note = { en = \"seen once\", zh = \"仅见一次\" }, path = \"single-source\", flows = \"unverified\" }\n", "").replace("\n[[settings.options]]\nid = \"everyone\"", "\n[settings.evidence]\nlabel = \"verified\"\ndefault = \"secondary\"\npath = \"single-source\"\n\n[[settings.options]]\nid = \"everyone\"")),
    ];
    let mut failures = Vec::new();
    for (what, text) in &cases {
        let loader = load_profile(text);
        let errors = toml_to_json(text).map(|json| schema_errors(&validator, &json));
        if loader.is_err() || errors.as_ref().is_ok_and(|e| !e.is_empty()) || errors.is_err() {
            failures.push(format!("{what}: loader {loader:?}, schema {errors:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The id pattern and length in the schema are the loader's `is_valid_id`.
#[test]
fn the_id_shape_is_the_loaders() {
    let schema = schema("profile");
    let id_schema = schema.pointer("/properties/app/properties/id").unwrap();
    let ids = validator(id_schema);
    let samples = [
        "a",
        "0",
        "a-b",
        "a--b",
        "a-",
        "-a",
        "",
        "A",
        "a_b",
        "a b",
        "a.b",
        "é",
        "ａ",
        "a\n",
        "douyin-2021",
        &"x".repeat(64),
        &"x".repeat(65),
        &"é".repeat(32),
    ];
    for sample in samples {
        assert_eq!(
            ids.is_valid(&Value::from(sample)),
            privaudit::profile::is_valid_id(sample),
            "{sample:?}"
        );
    }
}

/// The id sets come from the Rust constants: every data category, audience and evidence
/// level, and every ruling, law and event of the built-in catalog, with a description.
#[test]
fn the_id_sets_are_the_vocabulary_and_the_catalog() {
    use privaudit::evidence::Evidence;
    use privaudit::vocab::{Audience, DataCategory, Source};
    let schema = schema("profile");
    let setting = "/properties/settings/items/allOf/0/properties";
    let flow = format!("{setting}/options/items/properties/flows/items/properties");
    let ids_at = |pointer: &str| -> Vec<String> {
        let set = schema
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer}"));
        let ids: Vec<String> = set["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let docs = set["x-taplo"]["docs"]["enumValues"].as_array().unwrap();
        assert_eq!(docs.len(), ids.len(), "{pointer}: one text per id");
        assert!(
            docs.iter()
                .all(|d| d.as_str().is_some_and(|d| d.len() > 10)),
            "{pointer}: {docs:?}"
        );
        ids
    };
    let owned = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        ids_at(&format!("{flow}/data/items")),
        owned(&DataCategory::ALL.map(DataCategory::id))
    );
    assert_eq!(
        ids_at(&format!("{flow}/to")),
        owned(&Audience::ALL.map(Audience::id))
    );
    assert_eq!(
        ids_at(&format!("{flow}/from")),
        owned(&Source::ALL.map(Source::id))
    );
    for level in ["label", "default", "path", "flows"] {
        assert_eq!(
            ids_at(&format!("{setting}/evidence/properties/{level}")),
            owned(&Evidence::ALL.map(Evidence::id))
        );
    }
    let catalog = catalog::builtin();
    assert_eq!(
        ids_at(&format!("{setting}/laws/items")),
        catalog
            .laws
            .iter()
            .map(|l| l.id.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        ids_at(&format!("{setting}/events/items")),
        catalog
            .events
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        ids_at(&format!("{setting}/rulings/items/anyOf/0")),
        catalog
            .rulings
            .iter()
            .map(|r| r.id.clone())
            .collect::<Vec<_>>()
    );
}

// --- The state schema says what the state parser says --------------------------------

const MAXIMAL_STATE: &str = r#"app = "wechat-read"

[settings]
reading-info-to-friends = "off"
private-reading = "private"

[waivers.reading-time-leaderboard]
reason = "I want my friends to see my reading time"
expires = 2027-06-30

[waivers.auto-follow-friends]
reason = "no end date"
"#;

fn load_state(text: &str) -> Result<(), String> {
    parse_state_toml(&SourceText::from_string("state.toml", text))
        .map(|_| ())
        .map_err(|d| d.to_string())
}

#[test]
fn a_state_with_every_key_parses_and_validates() {
    load_state(MAXIMAL_STATE).unwrap();
    let schema = schema("state");
    let errors = schema_errors(&validator(&schema), &toml_to_json(MAXIMAL_STATE).unwrap());
    assert!(errors.is_empty(), "{errors:#?}");
    let mut named = BTreeSet::new();
    schema_keys(&schema, "", &mut named);
    let named: BTreeSet<&str> = named.iter().map(String::as_str).collect();
    // The keys under `settings` and `waivers` are setting ids, not the format's keys.
    assert_eq!(
        named,
        BTreeSet::from(["app", "settings", "waivers"]),
        "top-level keys"
    );
    let waiver = schema
        .pointer("/properties/waivers/additionalProperties/properties")
        .and_then(Value::as_object)
        .unwrap();
    assert_eq!(
        waiver.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        BTreeSet::from(["expires", "reason"])
    );
}

#[test]
fn what_the_state_parser_refuses_the_schema_refuses() {
    let validator = validator(&schema("state"));
    let s = MAXIMAL_STATE;
    let cases: Vec<(&str, String)> = vec![
        ("unknown top-level key", format!("colour = \"red\"\n{s}")),
        (
            "unknown waiver key",
            mutate(
                s,
                "reason = \"no end date\"",
                "reason = \"no end date\"\nuntil = 2027-01-01",
            ),
        ),
        ("no app", mutate(s, "app = \"wechat-read\"\n", "")),
        ("no reason", mutate(s, "reason = \"no end date\"\n", "")),
        (
            "app as a number",
            mutate(s, "app = \"wechat-read\"", "app = 3"),
        ),
        (
            "settings as a string",
            mutate(
                s,
                "[settings]\nreading-info-to-friends = \"off\"\nprivate-reading = \"private\"\n",
                "settings = \"off\"\n",
            ),
        ),
        (
            "an option as a boolean",
            mutate(
                s,
                "reading-info-to-friends = \"off\"",
                "reading-info-to-friends = false",
            ),
        ),
        (
            "a waiver as a string",
            mutate(
                s,
                "[waivers.auto-follow-friends]\nreason = \"no end date\"\n",
                "[waivers]\nauto-follow-friends = \"no end date\"\n",
            ),
        ),
        (
            "expires with a time",
            mutate(s, "expires = 2027-06-30", "expires = 2027-06-30T12:00:00"),
        ),
        (
            "expires as a number",
            mutate(s, "expires = 2027-06-30", "expires = 20270630"),
        ),
        (
            "reason as a number",
            mutate(s, "reason = \"no end date\"", "reason = 1"),
        ),
    ];
    let mut failures = Vec::new();
    for (what, text) in &cases {
        let parser = load_state(text);
        let schema = toml_to_json(text).map(|json| schema_errors(&validator, &json));
        if !(parser.is_err() && schema.as_ref().is_ok_and(|e| !e.is_empty())) {
            failures.push(format!("{what}: parser {parser:?}, schema {schema:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
