//! JSON and JSON Lines: the machine-readable report. Field names are stable API.
//!
//! A finding's JSON depends only on the profile, the setting, the option in effect and
//! whether it is the default, unless the user waived it. [`LineCache`] renders each such
//! finding once per profile, so a batch of states writes cached text instead of
//! formatting the same explanation again for every state.

use super::{Checked, Detail, Style};
use crate::audit::{Auditor, Citation, Finding, Severity, Summary, finding_message};
use crate::evidence::Evidence;
use crate::profile::{LabelKind, Profile, RulingLink};
use crate::text::decimal;
use crate::vocab::{Audience, DataCategory, Source};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;
use serde_json::value::RawValue;

/// The version of the JSON reports' shape, the first field of every report, JSON Lines
/// line (full, compact and error) and `--format json` document. It changes when a field is
/// removed, renamed or changes meaning; fields may be added without a change.
pub const SCHEMA_VERSION: u32 = 1;

// The doc comments of these types are the descriptions in their JSON Schema
// (`privaudit schema`): they are written for whoever reads the JSON.

/// One audit report of privaudit: an app's settings (its defaults, or an account state)
/// judged against court rulings and law.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Report")]
pub struct JsonReport<'a> {
    /// The version of this shape. It changes when a field is removed, renamed or changes
    /// meaning; fields may be added without a change.
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    pub app: JsonApp<'a>,
    /// Where the profile came from (`profiles/douyin.toml` for a built-in one).
    pub profile: &'a str,
    /// The account state checked (its file name, or FILE:LINE in JSON Lines input), or null
    /// for the app's defaults.
    pub state: Option<&'a str>,
    /// The JSON record's key (`--key`, by default the field `id`), exactly as it came;
    /// absent when it had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "record_key")]
    pub key: Option<&'a RawValue>,
    /// The score on the facts as reported.
    #[schemars(range(max = 100))]
    pub score: u8,
    /// The score counting only findings whose facts are all confirmed.
    #[schemars(range(max = 100))]
    pub score_confirmed: u8,
    pub summary: Summary,
    /// Most severe first.
    pub findings: Vec<JsonFinding<'a>>,
    /// Ids of the settings whose value is not known (no default in the profile, not set in
    /// the state).
    pub unassessed: &'a [&'a str],
}

/// The app the profile describes.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "App")]
pub struct JsonApp<'a> {
    pub id: &'a str,
    /// The app's name in the report's language.
    pub name: &'a str,
    /// The version profiled.
    pub version: &'a str,
}

/// A setting that exposes data beyond its recommended option.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Finding")]
pub struct JsonFinding<'a> {
    /// The setting's id.
    pub setting: &'a str,
    /// The setting's label in the report's language.
    pub label: &'a str,
    pub severity: Severity,
    /// The option in effect (an option id).
    pub current: &'a str,
    /// The recommended option.
    pub recommended: &'a str,
    /// The app's default option, or null when it is not known.
    pub default: Option<&'a str>,
    /// The app's default is in effect and the state does not set it.
    pub by_default: bool,
    /// The weakest evidence level among the facts the finding rests on.
    pub certainty: Evidence,
    /// `certainty` is verified or secondary.
    pub confirmed: bool,
    /// Exposure by a default that is only single-source or unverified.
    pub unconfirmed_default: bool,
    /// How the severity was reached.
    pub severity_basis: JsonSeverityBasis,
    /// How sure we are of each fact about the setting.
    pub evidence: JsonEvidence<'a>,
    /// The kinds of data exposed beyond the recommendation.
    #[schemars(schema_with = "data_ids")]
    pub data: Vec<&'static str>,
    /// The broadest audience reached beyond the recommendation.
    #[schemars(schema_with = "audience_id")]
    pub audience: &'static str,
    /// What goes to whom beyond the recommendation.
    pub exposes: Vec<JsonFlow>,
    /// Each ruling with its link: `direct` or `analogy`.
    pub rulings: &'a [RulingLink],
    /// The articles of law cited (catalog ids, see `privaudit explain`).
    pub laws: &'a [String],
    /// `laws`, each with its layer and dates.
    pub citations: &'a [Citation],
    /// The explanation in the report's language: what is exposed, how sure, the rulings,
    /// the articles.
    pub message: String,
    /// The user chose to keep this finding (an active waiver).
    pub waived: bool,
    /// The state's waiver for this setting, active or expired, or null.
    pub waiver: Option<JsonWaiver<'a>>,
}

/// Data sent to an audience.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Flow")]
pub struct JsonFlow {
    #[schemars(schema_with = "data_id")]
    pub data: &'static str,
    #[schemars(schema_with = "audience_id")]
    pub to: &'static str,
    /// `this-app`, or `other-apps` for data another app hands to this one.
    #[schemars(schema_with = "source_id")]
    pub from: &'static str,
}

/// How the severity was reached.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "SeverityBasis")]
pub struct JsonSeverityBasis {
    /// From the flows alone.
    pub base: Severity,
    /// Raised because a confirmed default exposed the data without the user's choice.
    pub raised_by_default: bool,
    /// Raised because a court ruled directly on this feature (and the user did not choose
    /// it).
    pub raised_by_ruling: bool,
}

/// How sure we are of each fact about a setting.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "FindingEvidence")]
pub struct JsonEvidence<'a> {
    /// The setting's label.
    pub label: Evidence,
    /// `on-screen` (the app's own text) or `descriptive` (our description).
    pub label_kind: LabelKind,
    /// The default, or null when the profile states none.
    pub default: Option<Evidence>,
    /// Where a weak default was seen, in the report's language, or null.
    pub default_note: Option<&'a str>,
    /// The menu path, or null when the profile gives none.
    pub path: Option<Evidence>,
    /// What each option sends.
    pub flows: Evidence,
}

/// A finding the user chose to keep.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Waiver")]
pub struct JsonWaiver<'a> {
    pub reason: &'a str,
    /// The last day the waiver counts (YYYY-MM-DD), or null for no expiry.
    #[schemars(extend("format" = "date"))]
    pub expires: Option<String>,
    /// The expiry date has passed: the finding counts again.
    pub expired: bool,
}

pub fn finding<'a>(profile: &'a Profile, f: &'a Finding<'a>, style: Style<'_>) -> JsonFinding<'a> {
    let setting = &profile.settings[f.index];
    let ev = &setting.evidence;
    JsonFinding {
        setting: f.setting,
        label: setting.label.get(style.lang),
        severity: f.severity,
        current: f.current,
        recommended: f.recommended,
        default: f.default,
        by_default: f.by_default,
        certainty: f.certainty(),
        confirmed: f.confirmed(),
        unconfirmed_default: f.unconfirmed_default(),
        severity_basis: JsonSeverityBasis {
            base: f.judged.base,
            raised_by_default: f.judged.raised_by_default,
            raised_by_ruling: f.judged.raised_by_ruling,
        },
        evidence: JsonEvidence {
            label: ev.label,
            label_kind: setting.label_kind,
            default: ev.default,
            default_note: ev.default_note.as_ref().map(|n| n.get(style.lang)),
            path: ev.path,
            flows: ev.flows,
        },
        data: f.data().into_iter().map(|d| d.id()).collect(),
        audience: f.broadest_audience().id(),
        exposes: f
            .exposes()
            .iter()
            .map(|flow| JsonFlow {
                data: flow.data.id(),
                to: flow.to.id(),
                from: flow.from.id(),
            })
            .collect(),
        rulings: f.rulings,
        laws: f.laws(),
        citations: f.citations(),
        message: finding_message(profile, f, style.catalog, style.lang),
        waived: f.waived(),
        waiver: f.waiver.as_ref().map(|w| JsonWaiver {
            reason: &w.reason,
            expires: w.expires.map(|d| d.to_string()),
            expired: f.waiver_expired,
        }),
    }
}

/// The JSON view of a report.
pub fn to_json<'a>(checked: &'a Checked<'a>, style: Style<'_>) -> JsonReport<'a> {
    let report = &checked.report;
    JsonReport {
        schema_version: SCHEMA_VERSION,
        app: JsonApp {
            id: report.app,
            name: report.app_name.get(style.lang),
            version: report.version.get(style.lang),
        },
        profile: &checked.profile.origin,
        state: checked.state.as_deref(),
        key: raw_key(checked.key.as_deref()),
        score: report.score,
        score_confirmed: report.score_confirmed,
        summary: report.summary,
        findings: report
            .findings
            .iter()
            .map(|f| finding(checked.profile, f, style))
            .collect(),
        unassessed: &report.unassessed,
    }
}

/// A record key (valid JSON, checked where it was read) as serde writes it: verbatim.
fn raw_key(key: Option<&str>) -> Option<&RawValue> {
    key.and_then(|key| serde_json::from_str(key).ok())
}

/// `,"key":KEY` for a record with a key, where the report's `key` field goes.
pub fn write_key(out: &mut Vec<u8>, key: Option<&[u8]>) {
    if let Some(key) = key.filter(|k| !k.is_empty()) {
        out.extend_from_slice(b",\"key\":");
        out.extend_from_slice(key);
    }
}

/// One report, pretty-printed (an element of the JSON document's `reports`).
pub fn pretty(checked: &Checked<'_>, style: Style<'_>) -> Vec<u8> {
    serde_json::to_vec_pretty(&to_json(checked, style)).expect("reports serialise")
}

/// One report on one line, ending in a newline, as UTF-8 bytes ready to write.
pub fn line(checked: &Checked<'_>, style: Style<'_>, cache: Option<&LineCache>) -> Vec<u8> {
    let mut out = Vec::new();
    write_line(&mut out, checked, style, cache);
    out
}

/// [`line`], appended to `out` (a buffer reused for many lines). With the cache of the
/// report's profile, the line is put together from bytes rendered beforehand; the result
/// is the same (the tests compare them).
pub fn write_line(
    out: &mut Vec<u8>,
    checked: &Checked<'_>,
    style: Style<'_>,
    cache: Option<&LineCache>,
) {
    match cache {
        Some(cache) => cache.write(out, checked, style, Detail::Full),
        None => {
            serde_json::to_writer(&mut *out, &to_json(checked, style)).expect("reports serialise");
            out.push(b'\n');
        }
    }
}

/// The compact line of a report, for bulk pipelines (`--detail compact`): which state,
/// the scores, and per finding the setting, severity, how sure we are, whether it is by
/// default and whether it is waived. The explanations, citations and flows are left out
/// (`explain` and the full line give them).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CompactReport")]
pub struct CompactReport<'a> {
    /// The version of this shape (as in a full report).
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The app's id.
    pub app: &'a str,
    /// The account state checked, or null for the app's defaults.
    pub state: Option<&'a str>,
    /// The JSON record's key (`--key`, by default the field `id`), exactly as it came;
    /// absent when it had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "record_key")]
    pub key: Option<&'a RawValue>,
    /// The score on the facts as reported.
    #[schemars(range(max = 100))]
    pub score: u8,
    /// The score counting only findings whose facts are all confirmed.
    #[schemars(range(max = 100))]
    pub score_confirmed: u8,
    /// Most severe first.
    pub findings: Vec<CompactFinding<'a>>,
    /// Ids of the settings whose value is not known.
    pub unassessed: &'a [&'a str],
    /// How many findings `--min-severity` left out of `findings`; present only when some
    /// were (a full report has it in its summary).
    #[serde(skip_serializing_if = "is_zero")]
    #[schemars(range(min = 1))]
    pub left_out: usize,
}

/// A finding in brief.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "CompactFinding")]
pub struct CompactFinding<'a> {
    /// The setting's id.
    pub setting: &'a str,
    pub severity: Severity,
    /// The weakest evidence level among the facts the finding rests on.
    pub certainty: Evidence,
    /// The app's default is in effect and the state does not set it.
    pub by_default: bool,
    /// The user chose to keep this finding (an active waiver).
    pub waived: bool,
}

fn compact_finding<'a>(f: &'a Finding<'_>) -> CompactFinding<'a> {
    CompactFinding {
        setting: f.setting,
        severity: f.severity,
        certainty: f.certainty(),
        by_default: f.by_default,
        waived: f.waived(),
    }
}

/// [`CompactReport`] on one line, appended to `out` (from the cache when given, as
/// [`write_line`]).
pub fn write_compact_line(
    out: &mut Vec<u8>,
    checked: &Checked<'_>,
    style: Style<'_>,
    cache: Option<&LineCache>,
) {
    if let Some(cache) = cache {
        return cache.write(out, checked, style, Detail::Compact);
    }
    let report = &checked.report;
    let compact = CompactReport {
        schema_version: SCHEMA_VERSION,
        app: report.app,
        state: checked.state.as_deref(),
        key: raw_key(checked.key.as_deref()),
        score: report.score,
        score_confirmed: report.score_confirmed,
        findings: report.findings.iter().map(compact_finding).collect(),
        unassessed: &report.unassessed,
        left_out: report.summary.left_out,
    };
    serde_json::to_writer(&mut *out, &compact).expect("reports serialise");
    out.push(b'\n');
}

/// The JSON Lines line for a state that could not be checked (`state` is its name, `key`
/// the record's key when it could be read).
pub fn write_error_line(
    out: &mut Vec<u8>,
    state: &str,
    key: Option<&str>,
    problem: &crate::diag::Diagnostic,
) {
    let line = ErrorLine {
        schema_version: SCHEMA_VERSION,
        error: problem.to_string(),
        state,
        key: raw_key(key),
    };
    serde_json::to_writer(&mut *out, &line).expect("strings serialise");
    out.push(b'\n');
}

/// The JSON Lines line of a state that could not be checked.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ErrorLine")]
pub struct ErrorLine<'a> {
    /// The version of this shape (as in a report).
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// `file:line:column: message`.
    pub error: String,
    /// The state's name, as in a report's `state`.
    pub state: &'a str,
    /// The JSON record's key (`--key`, by default the field `id`), exactly as it came;
    /// absent when it had none or the line could not be read that far.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "record_key")]
    pub key: Option<&'a RawValue>,
}

/// A state that could not be checked, in the `--format json` document's `errors`: the
/// same fields as a JSON Lines error line, without its `schema_version`.
#[derive(Serialize, JsonSchema)]
pub struct InputError<'a> {
    /// `file:line:column: message`.
    pub error: String,
    /// The state's name, as in a report's `state`.
    pub state: &'a str,
    /// The JSON record's key (`--key`, by default the field `id`), exactly as it came;
    /// absent when it had none or the line could not be read that far.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "record_key")]
    pub key: Option<&'a RawValue>,
}

impl<'a> InputError<'a> {
    /// `key` is the record key's JSON text, valid where it was read.
    pub fn new(error: String, state: &'a str, key: Option<&'a str>) -> Self {
        InputError {
            error,
            state,
            key: raw_key(key),
        }
    }
}

// For the schema only: lines are written by the functions above.
/// Any line of `--format jsonl`: a full report, a compact one (`--detail compact`) or the
/// line of a state that could not be checked.
#[derive(Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "Line")]
pub enum JsonLine<'a> {
    Report(JsonReport<'a>),
    Compact(CompactReport<'a>),
    Error(ErrorLine<'a>),
}

// For the schema only: the document is written as it goes by
// `super::document::DocumentWriter`, and the tests hold it to this schema.
/// The `--format json` document: the reports, then the messages about states that could
/// not be checked.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Document")]
pub struct JsonDocument<'a> {
    /// The version of this shape (as in each report).
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// One report per app (defaults) or per account state, in input order.
    pub reports: Vec<JsonReport<'a>>,
    /// The first 1,000 states that could not be checked, each with its name, its record
    /// key (if it had one that could be read) and why.
    pub errors: Vec<InputError<'a>>,
    /// How many more states could not be checked; present only when there were any.
    #[serde(skip_serializing_if = "is_zero")]
    #[schemars(range(min = 1))]
    pub errors_unlisted: usize,
}

/// The JSON Schema (draft 2020-12) of `T` as privaudit writes it: every field is always
/// written, so every field is required.
pub fn schema_of<T: JsonSchema>() -> Schema {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .with_transform(schemars::transform::RecursiveTransform(for_readers))
        .into_generator()
        .into_root_schema_for::<T>()
}

/// A schema as its readers want it: descriptions (doc comments) as paragraphs, not lines
/// wrapped for the source, and no Rust integer types as formats (`uint8`: the range says
/// it).
pub(crate) fn for_readers(schema: &mut Schema) {
    if let Some(serde_json::Value::String(text)) = schema.get_mut("description") {
        *text = text
            .split("\n\n")
            .map(|paragraph| paragraph.replace('\n', " "))
            .collect::<Vec<_>>()
            .join("\n\n");
    }
    if schema
        .get("format")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|f| f.starts_with("uint") || f.starts_with("int"))
    {
        schema.remove("format");
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// `values` as a JSON Schema of a string that is one of them.
fn one_of(values: impl IntoIterator<Item = &'static str>) -> Schema {
    let values: Vec<&str> = values.into_iter().collect();
    json_schema!({ "type": "string", "enum": values })
}

fn record_key(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "number"] })
}

fn data_id(_: &mut SchemaGenerator) -> Schema {
    one_of(DataCategory::ALL.map(DataCategory::id))
}

fn data_ids(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": data_id(generator) })
}

fn audience_id(_: &mut SchemaGenerator) -> Schema {
    one_of(Audience::ALL.map(Audience::id))
}

fn source_id(_: &mut SchemaGenerator) -> Schema {
    one_of(Source::ALL.map(Source::id))
}

/// What every line of a profile's reports shares, rendered once, in one language: the
/// opening up to the state's name, and every unwaived finding a profile can give, in full
/// and compact. A line is then the state's name, a few numbers and copies of these bytes.
pub struct LineCache {
    /// `{"schema_version":1,"app":{...},"profile":...,"state":`
    full_head: Vec<u8>,
    /// `{"schema_version":1,"app":"...","state":`
    compact_head: Vec<u8>,
    full: FindingTable,
    compact: FindingTable,
}

/// A JSON line's rest kept as parts (see [`LineCache::rest_parts`]).
pub struct RestParts {
    prefix: Box<[u8]>,
    findings: Box<[FindingKey]>,
    suffix: Box<[u8]>,
}

impl RestParts {
    /// Bytes held.
    pub fn size(&self) -> usize {
        self.prefix.len() + self.suffix.len() + self.findings.len() * size_of::<FindingKey>()
    }
}

/// A finding in a [`LineCache`]: setting, option, whether by default.
#[derive(Clone, Copy)]
struct FindingKey {
    setting: usize,
    option: usize,
    by_default: bool,
}

/// Bytes per finding a profile can give: `[setting][option][by_default as usize]`, `None`
/// where that option gives no finding.
type FindingTable = Vec<Vec<[Option<Box<[u8]>>; 2]>>;

/// `n` in decimal, as serde_json writes it.
fn push_decimal(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(decimal(n, &mut [0; 20]).as_bytes());
}

/// The bytes of `value` as serde_json writes it.
fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("reports serialise")
}

/// The opening of `value` as an object, up to (and with) its first field named `last`:
/// `{"a":1,"b":` for `last` = `b`.
fn head_through(value: &impl Serialize, last: &str) -> Vec<u8> {
    let mut bytes = json_bytes(value);
    let key = format!("\"{last}\":");
    // Earlier fields are the app's id, names and origin, any of which could contain the
    // key's text: look for it after them, where it is the last field's key.
    let at = bytes
        .windows(key.len())
        .rposition(|w| w == key.as_bytes())
        .expect("the field is serialised");
    bytes.truncate(at + key.len());
    bytes
}

impl LineCache {
    /// The cache for lines of `detail` (the other detail's findings are not rendered:
    /// lines of it are still right, written without the cache).
    pub fn new(auditor: &Auditor<'_>, style: Style<'_>, detail: Detail) -> LineCache {
        let profile = auditor.profile;
        let each = |render: &dyn Fn(&Finding<'_>) -> Vec<u8>| {
            profile
                .settings
                .iter()
                .enumerate()
                .map(|(index, setting)| {
                    (0..setting.options.len())
                        .map(|option| {
                            [false, true].map(|by_default| {
                                let f = auditor.finding(index, option, by_default)?;
                                Some(render(&f).into_boxed_slice())
                            })
                        })
                        .collect()
                })
                .collect()
        };
        #[derive(Serialize)]
        struct Head<'a, A: Serialize> {
            schema_version: u32,
            app: A,
            profile: Option<&'a str>,
            state: Option<&'a str>,
        }
        let app = JsonApp {
            id: &profile.app.id,
            name: profile.app.name.get(style.lang),
            version: profile.app.version.get(style.lang),
        };
        let full_head = Head {
            schema_version: SCHEMA_VERSION,
            app,
            profile: Some(&profile.origin),
            state: None,
        };
        #[derive(Serialize)]
        struct CompactHead<'a> {
            schema_version: u32,
            app: &'a str,
            state: Option<&'a str>,
        }
        let compact_head = CompactHead {
            schema_version: SCHEMA_VERSION,
            app: &profile.app.id,
            state: None,
        };
        LineCache {
            full_head: head_through(&full_head, "state"),
            compact_head: head_through(&compact_head, "state"),
            full: match detail {
                Detail::Full => each(&|f| json_bytes(&finding(profile, f, style))),
                Detail::Compact => Vec::new(),
            },
            compact: match detail {
                Detail::Compact => each(&|f| json_bytes(&compact_finding(f))),
                Detail::Full => Vec::new(),
            },
        }
    }

    /// The cached bytes of a finding in `table`, as if it had no waiver.
    fn get<'c>(table: &'c FindingTable, f: &Finding<'_>) -> Option<&'c [u8]> {
        let options = table.get(f.index)?;
        options.get(f.option)?[usize::from(f.by_default)].as_deref()
    }

    /// A finding from `table`: the cached bytes, or for a finding with a waiver the cached
    /// bytes up to its last fields (`"waived":false,"waiver":null}` in full,
    /// `"waived":false}` in compact) and those fields written anew. A waiver changes
    /// nothing else in a finding.
    fn write_finding(
        out: &mut Vec<u8>,
        table: &FindingTable,
        f: &Finding<'_>,
        detail: Detail,
    ) -> bool {
        let Some(bytes) = Self::get(table, f) else {
            return false;
        };
        let Some(waiver) = &f.waiver else {
            out.extend_from_slice(bytes);
            return true;
        };
        let unwaived: &[u8] = match detail {
            Detail::Full => b"\"waived\":false,\"waiver\":null}",
            Detail::Compact => b"\"waived\":false}",
        };
        let Some(start) = bytes.strip_suffix(unwaived) else {
            return false;
        };
        out.extend_from_slice(start);
        out.extend_from_slice(if f.waived() {
            b"\"waived\":true"
        } else {
            b"\"waived\":false"
        });
        if detail == Detail::Full {
            out.extend_from_slice(b",\"waiver\":");
            let waiver = JsonWaiver {
                reason: &waiver.reason,
                expires: waiver.expires.map(|d| d.to_string()),
                expired: f.waiver_expired,
            };
            serde_json::to_writer(&mut *out, &waiver).expect("waivers serialise");
        }
        out.push(b'}');
        true
    }

    /// [`Summary`] as serde_json writes it.
    fn write_summary(out: &mut Vec<u8>, summary: &Summary) {
        // Every field named: a new one in `Summary` stops the build here instead of
        // missing from the lines.
        let Summary {
            critical,
            high,
            medium,
            low,
            waived,
            unassessed,
            unconfirmed,
            left_out,
        } = *summary;
        let fields = [
            ("{\"critical\":", critical),
            (",\"high\":", high),
            (",\"medium\":", medium),
            (",\"low\":", low),
            (",\"waived\":", waived),
            (",\"unassessed\":", unassessed),
            (",\"unconfirmed\":", unconfirmed),
            (",\"left_out\":", left_out),
        ];
        for (key, count) in fields {
            out.extend_from_slice(key.as_bytes());
            push_decimal(out, count);
        }
        out.push(b'}');
    }

    /// The opening of every line of the profile, up to the state's name.
    pub fn head(&self, detail: Detail) -> &[u8] {
        match detail {
            Detail::Full => &self.full_head,
            Detail::Compact => &self.compact_head,
        }
    }

    /// What follows the state's name: the report itself, up to and with the line break.
    /// Given the same report (findings, scores, no waivers), it is the same bytes whatever
    /// the state's name, which is what lets a batch reuse it.
    pub fn write_rest(
        &self,
        out: &mut Vec<u8>,
        checked: &Checked<'_>,
        style: Style<'_>,
        detail: Detail,
    ) {
        let report = &checked.report;
        let table = self.table(detail);
        let cached: usize = report
            .findings
            .iter()
            .map(|f| Self::get(table, f).map_or(1024, <[u8]>::len) + 1)
            .sum();
        out.reserve(256 + cached);
        Self::write_before_findings(out, checked, detail);
        for (i, f) in report.findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            if Self::write_finding(out, table, f, detail) {
                continue;
            }
            match detail {
                Detail::Full => {
                    serde_json::to_writer(&mut *out, &finding(checked.profile, f, style))
                }
                Detail::Compact => serde_json::to_writer(&mut *out, &compact_finding(f)),
            }
            .expect("findings serialise");
        }
        Self::write_after_findings(out, checked, detail);
    }

    /// The scores (and the summary, in full) up to the findings' opening bracket.
    fn write_before_findings(out: &mut Vec<u8>, checked: &Checked<'_>, detail: Detail) {
        let report = &checked.report;
        out.extend_from_slice(b",\"score\":");
        push_decimal(out, report.score.into());
        out.extend_from_slice(b",\"score_confirmed\":");
        push_decimal(out, report.score_confirmed.into());
        if detail == Detail::Full {
            out.extend_from_slice(b",\"summary\":");
            Self::write_summary(out, &report.summary);
        }
        out.extend_from_slice(b",\"findings\":[");
    }

    /// From the findings' closing bracket to the end of the line.
    fn write_after_findings(out: &mut Vec<u8>, checked: &Checked<'_>, detail: Detail) {
        out.extend_from_slice(b"],\"unassessed\":");
        serde_json::to_writer(&mut *out, &checked.report.unassessed).expect("ids serialise");
        let left_out = checked.report.summary.left_out;
        if detail == Detail::Compact && left_out > 0 {
            out.extend_from_slice(b",\"left_out\":");
            push_decimal(out, left_out);
        }
        out.extend_from_slice(b"}\n");
    }

    /// What [`write_rest`](Self::write_rest) writes, as parts to keep: the bytes before
    /// the findings, the findings as keys into this cache, and the bytes after them. A long
    /// line (a full one is about 11 KB) is then remembered in a few hundred bytes. `None`
    /// when a finding has a waiver (its bytes are particular to the state).
    pub fn rest_parts(&self, checked: &Checked<'_>, detail: Detail) -> Option<RestParts> {
        let report = &checked.report;
        let mut prefix = Vec::with_capacity(256);
        Self::write_before_findings(&mut prefix, checked, detail);
        let table = self.table(detail);
        let findings = report
            .findings
            .iter()
            .map(|f| {
                let cached = f.waiver.is_none() && Self::get(table, f).is_some();
                cached.then_some(FindingKey {
                    setting: f.index,
                    option: f.option,
                    by_default: f.by_default,
                })
            })
            .collect::<Option<Box<[FindingKey]>>>()?;
        let mut suffix = Vec::new();
        Self::write_after_findings(&mut suffix, checked, detail);
        Some(RestParts {
            prefix: prefix.into(),
            findings,
            suffix: suffix.into(),
        })
    }

    /// Write what `parts` stands for: the same bytes as [`write_rest`](Self::write_rest)
    /// wrote for the report they were taken from.
    pub fn write_parts(&self, out: &mut Vec<u8>, parts: &RestParts, detail: Detail) {
        let table = self.table(detail);
        out.extend_from_slice(&parts.prefix);
        for (i, key) in parts.findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let bytes = table[key.setting][key.option][usize::from(key.by_default)].as_deref();
            // `rest_parts` made keys only for findings in the table.
            out.extend_from_slice(bytes.expect("a kept finding is in the cache"));
        }
        out.extend_from_slice(&parts.suffix);
    }

    fn table(&self, detail: Detail) -> &FindingTable {
        match detail {
            Detail::Full => &self.full,
            Detail::Compact => &self.compact,
        }
    }

    fn write(&self, out: &mut Vec<u8>, checked: &Checked<'_>, style: Style<'_>, detail: Detail) {
        out.extend_from_slice(self.head(detail));
        serde_json::to_writer(&mut *out, &checked.state).expect("strings serialise");
        write_key(out, checked.key.as_deref().map(str::as_bytes));
        self.write_rest(out, checked, style, detail);
    }
}
