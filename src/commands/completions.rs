//! `privaudit completions SHELL` and `privaudit man`: scripts and a manual page made from
//! the command line's own definition (clap_complete, clap_mangen), so they cannot fall
//! behind it.
//!
//! The scripts also complete ids: app ids where a profile is asked for (`check`, `open`,
//! `diff`), and ruling, law, event, app and APP/SETTING ids for `explain`. They are the ids known
//! when the script is made: the built-in profiles, the user's own and the catalog. The ids
//! are given to the command only when a script is generated, so parsing still takes any
//! path. Where a profile may also be a file, files still complete:
//!
//! - bash: the ids are words of the generated script; a word that matches none falls back
//!   to file names (`complete -o default`).
//! - zsh: the argument completes with `_alternative` of the ids and `_files`.
//! - fish: clap_complete writes nothing for arguments that are not options; lines are
//!   added for them, without `-f`, so fish still offers files.
//! - powershell, elvish: the ids are added to the candidates of those subcommands
//!   (PowerShell falls back to paths when no candidate matches; elvish has no such
//!   fallback).

use super::{Outcome, emit};
use crate::catalog;
use crate::cli::{Cli, CompletionsArgs};
use crate::profile::is_valid_id;
use crate::registry;
use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{Arg, CommandFactory, ValueHint};
use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

/// The ids a script completes.
#[derive(Clone, Debug, Default)]
pub struct Ids {
    /// Built-in and user profiles.
    pub apps: Vec<String>,
    /// For `explain`: (id, what it is).
    pub explain: Vec<(String, &'static str)>,
}

impl Ids {
    /// The ids known now: built-in and user profiles (a broken user profile is left out,
    /// as `check` leaves it out), their settings, and the rulings, laws and events of the
    /// catalog with the user's own catalog files.
    pub fn known() -> Ids {
        let merged = catalog::load_in(&catalog::catalog_dirs(&[]));
        merged.report(&[]);
        let catalog = &merged.catalog;
        let (profiles, _) = registry::all_profiles(catalog);
        let mut ids = Ids::default();
        for ruling in &catalog.rulings {
            ids.explain.push((ruling.id.clone(), "ruling"));
        }
        for law in &catalog.laws {
            ids.explain.push((law.id.clone(), "law"));
        }
        for event in &catalog.events {
            ids.explain.push((event.id.clone(), "event"));
        }
        for profile in &profiles {
            ids.apps.push(profile.app.id.clone());
            ids.explain.push((profile.app.id.clone(), "app"));
            for setting in &profile.settings {
                ids.explain
                    .push((format!("{}/{}", profile.app.id, setting.id), "setting"));
            }
        }
        ids.apps.sort();
        ids.apps.dedup();
        // Every id goes into shell code: only words no shell treats specially.
        ids.apps.retain(|id| is_valid_id(id));
        ids.explain.retain(|(id, _)| shell_safe(id));
        ids
    }
}

/// Lower-case letters, digits, '-', '.', '_' and '/' (APP/SETTING): nothing a shell
/// quotes, expands or splits on, in any of the five.
fn shell_safe(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with(['-', '.', '/'])
        && id.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_' | '/')
        })
}

pub fn run(args: &CompletionsArgs) -> Outcome {
    emit(&script(args.shell, &Ids::known()), Outcome::Pass)
}

/// The arguments that take a profile: (subcommand, argument id).
const PROFILE_ARGS: [(&str, &str); 4] = [
    ("check", "apps"),
    ("open", "app"),
    ("diff", "old"),
    ("diff", "new"),
];

/// The completion script for `shell`.
pub fn script(shell: Shell, ids: &Ids) -> String {
    let mut cmd = command(shell, ids);
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut cmd, "privaudit", &mut bytes);
    let script = String::from_utf8(bytes).expect("scripts are UTF-8");
    match shell {
        Shell::Zsh => zsh(script, ids),
        Shell::Fish => fish(script, ids),
        Shell::PowerShell => candidates(script, ids, powershell_case, powershell_candidate),
        Shell::Elvish => candidates(script, ids, elvish_case, elvish_candidate),
        _ => script,
    }
}

/// The command line as the generator sees it: `explain`'s id takes the known ids (bash
/// and zsh list them); arguments that take a profile complete as files, and for bash
/// also take the app ids (zsh gets them by [`zsh`]).
fn command(shell: Shell, ids: &Ids) -> clap::Command {
    let explain: Vec<PossibleValue> = ids
        .explain
        .iter()
        .map(|(id, what)| PossibleValue::new(id.clone()).help(*what))
        .collect();
    let apps: Vec<PossibleValue> = ids
        .apps
        .iter()
        .map(|id| PossibleValue::new(id.clone()).help("app"))
        .collect();
    let mut cmd = Cli::command().mut_subcommand("explain", |c| {
        c.mut_arg("id", |a| {
            a.value_parser(PossibleValuesParser::new(explain))
                .hide_possible_values(true)
        })
    });
    for (sub, arg) in PROFILE_ARGS {
        let apps = apps.clone();
        cmd = cmd.mut_subcommand(sub, |c| {
            c.mut_arg(arg, |a: Arg| {
                let a = a.value_hint(ValueHint::FilePath);
                if shell == Shell::Bash {
                    a.value_parser(PossibleValuesParser::new(apps))
                        .hide_possible_values(true)
                } else {
                    a
                }
            })
        });
    }
    cmd.mut_subcommand("validate", |c| {
        c.mut_arg("files", |a| a.value_hint(ValueHint::FilePath))
    })
}

/// zsh: an argument that takes a profile completes app ids and files.
fn zsh(script: String, ids: &Ids) -> String {
    const FUNCTION: &str = "_privaudit_app_ids_or_files";
    let mut out = String::with_capacity(script.len() + 512);
    let mut defined = false;
    for line in script.split_inclusive('\n') {
        let spec = line.trim();
        let takes_profile = PROFILE_ARGS
            .iter()
            .any(|(_, arg)| spec.contains(&format!(":{arg} -- ")));
        if takes_profile && spec.starts_with('\'') && spec.ends_with(":_files' \\") {
            out.push_str(&line.replacen(":_files' \\", &format!(":{FUNCTION}' \\"), 1));
            continue;
        }
        // The script ends by calling or registering the completion function: the helper
        // goes before that.
        if !defined && line.starts_with("if [ \"$funcstack[1]\" = \"_privaudit\" ]") {
            out.push_str(&format!(
                "(( $+functions[{FUNCTION}] )) ||\n{FUNCTION}() {{\n    _alternative 'apps:app id:({})' 'files:profile file:_files'\n}}\n\n",
                ids.apps.join(" ")
            ));
            defined = true;
        }
        out.push_str(line);
    }
    out
}

/// fish: clap_complete writes nothing for arguments that are not options.
fn fish(mut script: String, ids: &Ids) -> String {
    script.push_str("\n# App, setting, ruling, law and event ids (privaudit's own addition).\n");
    let apps = ids.apps.join(" ");
    for sub in ["check", "open", "diff"] {
        script.push_str(&format!(
            "complete -c privaudit -n \"__fish_privaudit_using_subcommand {sub}\" -a \"{apps}\" -d 'app'\n"
        ));
    }
    for what in ["ruling", "law", "event", "app", "setting"] {
        let words: Vec<&str> = ids
            .explain
            .iter()
            .filter(|(_, w)| *w == what)
            .map(|(id, _)| id.as_str())
            .collect();
        if !words.is_empty() {
            script.push_str(&format!(
                "complete -c privaudit -n \"__fish_privaudit_using_subcommand explain\" -f -a \"{}\" -d '{what}'\n",
                words.join(" ")
            ));
        }
    }
    script
}

/// PowerShell and elvish list candidates per subcommand: the ids are added to the lists
/// of `check`, `open`, `diff` and `explain`.
fn candidates(
    script: String,
    ids: &Ids,
    case: fn(&str) -> String,
    candidate: fn(&str, &str) -> String,
) -> String {
    let apps: Vec<(String, &str)> = ids.apps.iter().map(|id| (id.clone(), "app")).collect();
    let mut out = script;
    for (sub, words) in [
        ("check", &apps),
        ("open", &apps),
        ("diff", &apps),
        ("explain", &ids.explain),
    ] {
        let head = case(sub);
        let Some(at) = out.find(&head) else {
            continue;
        };
        let added: String = words.iter().map(|(id, what)| candidate(id, what)).collect();
        out.insert_str(at + head.len(), &added);
    }
    out
}

fn powershell_case(sub: &str) -> String {
    format!("\n        'privaudit;{sub}' {{")
}

fn powershell_candidate(id: &str, what: &str) -> String {
    format!(
        "\n            [CompletionResult]::new('{id}', '{id}', [CompletionResultType]::ParameterValue, '{what}')"
    )
}

fn elvish_case(sub: &str) -> String {
    format!("\n        &'privaudit;{sub}'= {{")
}

fn elvish_candidate(id: &str, what: &str) -> String {
    format!("\n            cand {id} '{what}'")
}

/// `privaudit man`: the manual page, roff on stdout.
pub fn man() -> Outcome {
    emit(&man_page(), Outcome::Pass)
}

/// The manual page: the command, then each subcommand with its synopsis and options, the
/// exit status, the files and environment it reads, and examples.
pub fn man_page() -> String {
    let mut cmd = Cli::command();
    // Gives every subcommand its full name (`privaudit check`) for its synopsis.
    cmd.build();
    let page = Man::new(cmd.clone()).title("PRIVAUDIT");
    let mut out = Vec::new();
    let written = page
        .render_title(&mut out)
        .and_then(|()| page.render_name_section(&mut out))
        .and_then(|()| page.render_synopsis_section(&mut out))
        .and_then(|()| page.render_description_section(&mut out));
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    out.extend_from_slice(roff.to_roff().as_bytes());
    for sub in cmd.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        let mut roff = Roff::new();
        roff.control("SS", [format!("privaudit {}", sub.get_name()).as_str()]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            roff.text([roman(about.to_string())]);
        }
        roff.control("PP", []);
        out.extend_from_slice(roff.to_roff().as_bytes());
        // clap_mangen renders a command's synopsis and options as sections of a page of
        // their own; here they go under the command's heading.
        let sub_page = Man::new(sub.clone());
        let mut parts = Vec::new();
        let _ = sub_page.render_synopsis_section(&mut parts);
        let _ = sub_page.render_options_section(&mut parts);
        for line in String::from_utf8_lossy(&parts).lines() {
            if !line.starts_with(".SH ") {
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
        }
    }
    let mut roff = Roff::new();
    exit_status(&mut roff);
    files(&mut roff);
    if let Some(examples) = cmd.get_after_help() {
        roff.control("SH", ["EXAMPLES"]);
        roff.control("nf", []);
        for line in examples.to_string().lines() {
            // The exit codes have their own section.
            if !(line.starts_with("Examples:") || line.starts_with("Exit codes:")) {
                roff.text([roman(line)]);
            }
        }
        roff.control("fi", []);
    }
    out.extend_from_slice(roff.to_roff().as_bytes());
    written
        .and_then(|()| page.render_version_section(&mut out))
        .expect("writing to memory cannot fail");
    String::from_utf8(out).expect("roff is UTF-8")
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    let codes = [
        (
            "0",
            "check: no unwaived finding at or above --fail-on. diff: nothing moved toward \
             exposure. validate: every profile and state valid. The other commands, and the \
             interactive auditor when you quit: done.",
        ),
        (
            "1",
            "check: at least one unwaived finding at or above --fail-on. diff: something \
             moved toward exposure. validate: a problem found in a profile or state.",
        ),
        (
            "2",
            "Bad usage or bad input, with one message on standard error naming the file, \
             line and column; in a batch, any state that could not be checked, or no state \
             at all without --allow-empty (with --bad-input report, states that could not be \
             checked are reported and do not make it 2); a JSON Lines input whose reading \
             stopped before its end; a bad privaudit.toml or waivers file; output that could \
             not be written. For validate: a file that could not be read. For new: an \
             invalid app id, a file that already exists (never overwritten), or one that \
             could not be written.",
        ),
        (
            "128+N",
            "The interactive auditor, ended by signal N (143 for SIGTERM), after restoring \
             the terminal; check writing report files, after removing their temporary files.",
        ),
    ];
    for (code, meaning) in codes {
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning)]);
    }
}

fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    let files = [
        (
            "$XDG_CONFIG_HOME/privaudit/config.toml",
            "The interactive auditor's language, theme and mouse capture \
             (~/.config/privaudit/config.toml on Linux).",
        ),
        (
            "$XDG_CONFIG_HOME/privaudit/profiles/APP-ID.toml",
            "Your own profiles; one with a built-in id replaces the built-in profile (with a \
             notice).",
        ),
        (
            "$XDG_CONFIG_HOME/privaudit/catalog/*.toml",
            "Your own rulings, laws and events, in the format of the built-in catalog; they \
             extend it. An entry with a built-in id needs overrides = true to replace it (with \
             a notice); a file with a problem is named on standard error and left out.",
        ),
        (
            "privaudit.toml",
            "The project config check reads from the working directory (or --config FILE): \
             fail-on, min-severity, unconfirmed, lang, formats with their files, profile \
             and catalog directories and waivers.",
        ),
        (
            "$XDG_DATA_HOME/privaudit/states/APP-ID.toml",
            "The interactive auditor's saved account states \
             (~/.local/share/privaudit/states on Linux).",
        ),
    ];
    for (path, what) in files {
        roff.control("TP", []);
        roff.text([italic(path)]);
        roff.text([roman(what)]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    let vars = [
        (
            "NO_COLOR",
            "When set and not empty, no colour: in check's text, and in the auditor a theme \
             without colour.",
        ),
        (
            "LC_ALL, LC_MESSAGES, LANG",
            "The auditor's language when neither --lang nor the config file sets it.",
        ),
    ];
    for (name, what) in vars {
        roff.control("TP", []);
        roff.text([bold(name)]);
        roff.text([roman(what)]);
    }
}
