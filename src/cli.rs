//! The command line, declared with clap.

use crate::audit::{Severity, Unconfirmed};
pub use crate::report::{Detail, Format};
use crate::text::Lang;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  privaudit                                         the interactive auditor
  privaudit --lang zh --demo                        the same in Chinese, as a demo
  privaudit open wechat-read --demo                 demonstrate WeChat Read's settings
  privaudit check wechat-read                       audit WeChat Read's defaults
  privaudit check douyin --state my-douyin.toml     audit your own Douyin settings
  privaudit check wechat douyin --format json       one JSON document for both apps
  privaudit check my-app.toml --fail-on high        fail CI only on high or critical
  privaudit check douyin --unconfirmed warn         do not fail on unconfirmed facts
  privaudit check douyin --format sarif > douyin.sarif   for code scanning
  privaudit check douyin --format github            annotations in a GitHub Actions job
  privaudit check douyin --format gitlab > gl-code-quality-report.json   GitLab Code Quality
  privaudit check --state-dir exported/ --format jsonl   one line per account state
  privaudit check --states-jsonl - --format jsonl --detail compact   small lines, in bulk
  privaudit check --state-dir states/ --format sarif:out.sarif --format junit:out.xml --format text
  privaudit check douyin -q --min-severity high     only the exit code, high and critical only
  privaudit diff old-douyin.toml profiles/douyin.toml   what defaults moved
  privaudit diff old-douyin.toml douyin --format markdown   the same, for a PR comment
  privaudit list                                    the profiles available
  privaudit explain huang-v-tencent-2020            the WeChat Read ruling in full
  privaudit explain douyin/recommend-me-to-people-who-may-know-me --lang zh
  privaudit validate my-app.toml                    check a profile you wrote
  privaudit schema report                           the JSON Schema of a JSON report
  privaudit schema profile                          the JSON Schema of a profile, for editors

`check` reads privaudit.toml in the working directory, if any (see --config).

Exit codes: 0 no finding at or above --fail-on; 1 at least one; 2 bad usage or bad input.";

#[derive(Debug, Parser)]
#[command(
    name = "privaudit",
    version,
    about = "Audit an app's privacy settings against what courts have ruled about defaults",
    long_about = "privaudit judges an app's privacy settings (a profile of facts: options, defaults, \
who receives which data) together with an account state (what you have set; without one, the \
app's defaults). It flags settings that expose data more broadly than needed, weighs exposure by \
default most, and ties every finding to the court rulings and articles of law behind it.",
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command, `privaudit --demo --lang zh` opens the auditor as `open` would.
    #[command(flatten)]
    pub open: TopOpenArgs,
}

/// The auditor's flags that need no app, accepted without a command too.
#[derive(Debug, Args)]
pub struct TopOpenArgs {
    /// Demo mode (with no command): start from the defaults, never write anything
    #[arg(long)]
    pub demo: bool,
    /// Language of the auditor (with no command); default: the config file, then the
    /// system locale
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the interactive auditor (the default with no command): pick an app, see what
    /// is exposed to whom, and walk through safer settings
    Open(OpenArgs),
    /// Audit apps and report the findings (for people, scripts and CI)
    #[command(after_help = EXAMPLES)]
    Check(CheckArgs),
    /// List the built-in profiles and your own
    List(ListArgs),
    /// Explain a ruling, an article of law, an app or one of its settings
    Explain(ExplainArgs),
    /// Check profiles and account states you wrote; prints each problem as
    /// file:line:column: message
    #[command(after_help = VALIDATE_HELP)]
    Validate(ValidateArgs),
    /// Write a commented skeleton profile for a new app, to start from
    #[command(after_help = NEW_HELP)]
    New(NewArgs),
    /// What moved between two profiles of an app (its defaults) or two account states
    Diff(DiffArgs),
    /// Print a JSON Schema: of privaudit's JSON output (a report, a JSON Lines line, the
    /// --format json document) or of its TOML input (a profile, an account state)
    Schema(SchemaArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish) that also
    /// completes app, setting, ruling, law and event ids
    Completions(CompletionsArgs),
    /// Print the manual page (roff; read it with `privaudit man | man -l -`)
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which: `report` (one report of --format json, or a full JSON Lines line), `line`
    /// (any line of --format jsonl: full, compact or error), `document` (the whole
    /// --format json document), `profile` (a profile TOML file, for editors) or `state` (an
    /// account state TOML file)
    #[arg(value_enum, value_name = "KIND")]
    pub kind: SchemaKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Report,
    Line,
    Document,
    Profile,
    State,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older profile (app id or file) or account state (file)
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The newer profile or account state, of the same app
    #[arg(value_name = "NEW")]
    pub new: String,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

/// The formats of `privaudit diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people: the changes grouped by direction, with the options' labels
    Text,
    /// One JSON document: option ids, with their labels
    Json,
    /// Tables for a pull-request comment, with the options' labels
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// App ids (see `privaudit list`) or paths to profile TOML files. Optional when states
    /// are given: each state names its app.
    #[arg(
        required_unless_present_any = ["state", "state_dir", "states_jsonl"],
        value_name = "APP-ID|PROFILE.toml"
    )]
    pub apps: Vec<String>,
    /// Account state to audit (TOML; repeat for several); without any, the apps' defaults
    /// are audited
    #[arg(long, value_name = "FILE")]
    pub state: Vec<PathBuf>,
    /// Audit every *.toml account state in DIR, in name order
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Audit one JSON account state per line of FILE (`-` for standard input)
    #[arg(long, value_name = "FILE|-")]
    pub states_jsonl: Option<String>,
    /// Report format, and where it goes: FORMAT for standard output, FORMAT:FILE for a
    /// file (written whole or not at all). Repeat for several reports from one run, e.g.
    /// `--format sarif:out.sarif --format junit:out.xml --format text` [default: text]
    #[arg(long, value_name = "FORMAT[:FILE]", value_parser = TargetParser)]
    pub format: Vec<Target>,
    /// Write the report that would go to standard output to FILE instead (written whole or
    /// not at all; its directory must exist)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Nothing on standard output and no warnings: only errors on stderr and the exit code
    /// (reports given a file are still written)
    #[arg(short, long)]
    pub quiet: bool,
    /// Leave findings below this severity out of the report; they do not count for
    /// --fail-on either [default: low]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<Severity>,
    /// The project config (default: privaudit.toml in the working directory, if any):
    /// fail-on, min-severity, formats, language, profile directories and waivers
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore privaudit.toml in the working directory
    #[arg(long)]
    pub no_config: bool,
    /// How much each JSON Lines line holds (only with `--format jsonl`)
    #[arg(long, value_enum, default_value_t = Detail::Full, value_name = "DETAIL")]
    pub detail: Detail,
    /// Do not treat a batch that held no account state (an empty --state-dir or JSON
    /// Lines file) as an error. Standard input read as a filter (`--states-jsonl -
    /// --format jsonl`) may always be empty: an engine's partition can be.
    #[arg(long)]
    pub allow_empty: bool,
    /// The field of a JSON account state that holds the record's key: passed through,
    /// exactly as written (a string or a number), as `key` in its JSON report or error
    /// line, so results can be joined back to their inputs
    #[arg(long, value_name = "FIELD", default_value = crate::state::DEFAULT_KEY_FIELD)]
    pub key: String,
    /// What a state that cannot be checked (a bad line, a bad file in a batch) does to the
    /// exit code: `fail` exits 2; `report` only reports it (in JSON Lines, as its error
    /// line) and the exit code says what the states checked gave, as engines need
    #[arg(long, value_enum, default_value_t = BadInput::Fail, value_name = "POLICY")]
    pub bad_input: BadInput,
    /// Exit 1 when an unwaived finding is at or above this severity [default: low]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Whether findings that rest on single-source or unverified facts (an unconfirmed
    /// default, say) can fail the check: `fail` (the default) counts them like the others,
    /// `warn` reports them without failing
    #[arg(long, value_enum, value_name = "POLICY")]
    pub unconfirmed: Option<Unconfirmed>,
    /// Language of the report [default: en]
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Names of standard output as a report's file: `-` and the system's own. Writing them
/// as files would follow `/dev/stdout` to what the shell opened and replace it.
const STDOUT_NAMES: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// Is `path` a name of standard output (see [`Target::parse`])?
pub fn is_stdout_name(path: &std::path::Path) -> bool {
    path.to_str().is_some_and(|p| STDOUT_NAMES.contains(&p))
}

/// A report format and where it goes (`--format FORMAT[:FILE]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub format: Format,
    /// `None` for standard output.
    pub file: Option<PathBuf>,
}

impl Target {
    /// `FORMAT` or `FORMAT:FILE` (`FORMAT:-` is standard output).
    pub fn parse(text: &str) -> Result<Target, String> {
        let (name, file) = match text.split_once(':') {
            Some((name, file)) => (name, Some(file)),
            None => (text, None),
        };
        let format = Format::from_str(name, false).map_err(|_| {
            let names: Vec<String> = Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value())
                .map(|v| v.get_name().to_owned())
                .collect();
            format!(
                "`{}` is not a format; formats: {}",
                crate::text::sanitize(name),
                names.join(", ")
            )
        })?;
        let file = match file {
            None => None,
            Some(file) if STDOUT_NAMES.contains(&file) => None,
            Some("") => return Err(format!("`{name}:` names no file; write {name}:FILE")),
            Some(file) => Some(PathBuf::from(file)),
        };
        Ok(Target { format, file })
    }

    /// The same target with a relative file taken from `base` (a config file's directory).
    pub fn relative_to(self, base: &std::path::Path) -> Target {
        Target {
            file: self.file.map(|f| base.join(f)),
            ..self
        }
    }
}

/// Parses `--format FORMAT[:FILE]` and offers the formats to help and completions.
#[derive(Clone)]
struct TargetParser;

impl clap::builder::TypedValueParser for TargetParser {
    type Value = Target;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Target, clap::Error> {
        let text = value.to_str().ok_or_else(|| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidUtf8,
                "--format is not UTF-8\n",
            )
            .with_cmd(cmd)
        })?;
        Target::parse(text).map_err(|message| {
            let name = arg.map_or("--format".to_owned(), |a| a.to_string());
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value for {name}: {message}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Format::value_variants()
                .iter()
                .filter_map(|f| f.to_possible_value()),
        ))
    }
}

#[derive(Debug, Args)]
pub struct OpenArgs {
    /// App id or profile file to open; without it, start at the app picker
    #[arg(value_name = "APP-ID|PROFILE.toml")]
    pub app: Option<String>,
    /// Account state file to use (and save to) instead of the saved one
    #[arg(long, value_name = "FILE", requires = "app")]
    pub state: Option<PathBuf>,
    /// Demo mode for showing settings: start from the defaults, never write anything; R resets
    #[arg(long)]
    pub demo: bool,
    /// Language (default: the config file, then the system locale)
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A ruling id, a law id (e.g. pipl-23), an event id, an app id, or
    /// APP-ID/SETTING-ID; with none, the rulings, laws and events known (yours marked)
    #[arg(value_name = "RULING-ID|LAW-ID|EVENT-ID|APP-ID/SETTING-ID")]
    pub id: Option<String>,
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

/// What `privaudit validate --help` says after the options: the strict rules, and the
/// form without files.
const VALIDATE_HELP: &str = "\
Every problem is listed at once, each as file:line:column: message: a key the table does not \
have (with the nearest known key), a key it needs, a value of the wrong type, an unknown id \
(ruling, law, event, data, audience, source, evidence level, switch, market, label-kind, an \
option named as default or recommended: with \"did you mean\" when one is close, and the \
known ids), a ruling linked \"direct\" in an app offered only outside China, text missing in \
English or Chinese, a default or menu path without its evidence level.

With no PROFILE.toml and no --state, every *.toml in your profile directory is checked \
(<config dir>/profiles, ~/.config/privaudit/profiles on Linux); a missing or empty directory \
is said plainly and is not an error (exit 0).

--strict also demands, each reported at its place:
  - `sources = [...]` on [app] and on every setting (where the facts come from)
  - `evidence.flows` on every setting (how sure what each option sends is; otherwise it
    silently takes the label's level)
  - `reviewed = YYYY-MM-DD` on [app] (when the facts were last checked)
  - `market = \"china\"` or `\"outside-china\"` on [app]
  - no placeholder text left from `privaudit new` (text starting with \"TODO:\" or \"待填：\")
Always required, strict or not: English and Chinese in every text, and an evidence level for \
every default and menu path stated.

Examples:
  privaudit validate                          every profile in your profile directory
  privaudit validate my-app.toml --strict     ready to share: sources, reviewed, market
  privaudit validate --state me.toml          an account state, against its app's profile

Exit codes: 0 every profile and state valid (or none to check); 1 a problem found; 2 a file \
could not be read (missing, a directory, too large, not UTF-8, empty), or the profile directory.";

/// What `privaudit new --help` says after the options.
const NEW_HELP: &str = "\
The skeleton explains every key in comments, with the ids each one accepts; its texts start \
with \"TODO:\" (English) or \"待填：\" (Chinese) until you replace them. It is a valid profile \
as written, so it shows at once in `privaudit list` and the picker; `privaudit validate \
--strict` lists what is still to fill in.

Beside the profile, in the same directory, goes profile.schema.json (the JSON Schema of the \
profile format, `privaudit schema profile`; written when absent, refreshed when it is an older \
copy of privaudit's own, never put over another file), which the skeleton's first line names \
for editors that complete and check TOML (taplo, Even Better TOML).

Examples:
  privaudit new my-app                  writes <config dir>/profiles/my-app.toml
  privaudit new my-app -o my-app.toml   writes it here
  privaudit new my-app -o -             prints it

Exit codes: 0 written; 2 an invalid id, a file that already exists (never overwritten), or a \
file that could not be written.";

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new app's id: lower-case letters, digits and '-' (at most 64), e.g. my-fitness-app
    #[arg(value_name = "APP-ID")]
    pub app_id: String,
    /// Where to write the skeleton instead of <config dir>/profiles/<APP-ID>.toml: a file,
    /// a directory (<APP-ID>.toml in it), or `-` for standard output. An existing file is
    /// never overwritten.
    #[arg(short, long, value_name = "PATH|-")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Profiles to check; with none (and no --state), every profile in your profile
    /// directory
    #[arg(value_name = "PROFILE.toml")]
    pub files: Vec<PathBuf>,
    /// Also demand sources on the app and every setting, evidence.flows on every setting,
    /// `reviewed` and `market` on the app, and no placeholder left from `privaudit new`
    #[arg(long)]
    pub strict: bool,
    /// Account state to check against the profile of the app it names, as `check` would
    /// (TOML; or JSON Lines, one state per line, when the name ends in .jsonl or .json);
    /// repeat for several
    #[arg(long, value_name = "FILE")]
    pub state: Vec<PathBuf>,
    /// The field of a JSON state that holds the record's key, as `check --key`
    #[arg(long, value_name = "FIELD", default_value = crate::state::DEFAULT_KEY_FIELD)]
    pub key: String,
    /// The project config whose profile directories states are checked against, as
    /// `check` does (default: privaudit.toml in the working directory, if any)
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore privaudit.toml in the working directory
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BadInput {
    /// Exit 2 when any state could not be checked.
    Fail,
    /// Report it and go on: the exit code is the verdict on the states that were checked.
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Low,
    Medium,
    High,
    Critical,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour when asked, or in auto mode when stdout is a terminal that is not `dumb`
    /// and NO_COLOR is unset or empty (https://no-color.org).
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                    && std::io::stdout().is_terminal()
            }
        }
    }
}
