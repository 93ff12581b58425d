//! `privaudit new APP-ID`: a commented skeleton profile to start from, valid as written,
//! so an author sees it in `privaudit list` and the picker at once and edits from there.

use super::{Outcome, emit};
use crate::catalog::{self, Catalog};
use crate::cli::NewArgs;
use crate::diag::{print_error, print_warning};
use crate::profile::is_valid_id;
use crate::registry;
use crate::text::{Lang, sanitize};
use crate::vocab::{Audience, DataCategory};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file beside the skeleton that its `#:schema` line names.
pub const SCHEMA_FILE: &str = "profile.schema.json";

/// Exit 0 when the skeleton is written, 2 for an invalid id, a file that already exists
/// (never overwritten) or a write that failed.
pub fn run(args: &NewArgs) -> Outcome {
    let id = args.app_id.as_str();
    if !is_valid_id(id) {
        print_error(format_args!(
            "`{}` is not a valid app id: use lower-case letters, digits and '-' (at most 64), starting with a letter or digit, e.g. my-fitness-app",
            sanitize(id)
        ));
        return Outcome::BadInput;
    }
    let skeleton = skeleton(id, catalog::builtin());
    let (path, in_profile_dir) = match &args.output {
        Some(path) if crate::cli::is_stdout_name(path) => {
            return emit(&skeleton, Outcome::Pass);
        }
        Some(path) if path.is_dir() => (path.join(format!("{id}.toml")), false),
        Some(path) => (path.clone(), false),
        None => match registry::user_profile_dir() {
            Some(dir) => {
                if let Err(e) = std::fs::create_dir_all(&dir) {
                    print_error(format_args!(
                        "{}: cannot create your profile directory: {e}",
                        sanitize(&dir.display().to_string())
                    ));
                    return Outcome::BadInput;
                }
                (dir.join(format!("{id}.toml")), true)
            }
            None => {
                print_error(
                    "cannot tell where your profile directory is (no home directory); give --output PATH",
                );
                return Outcome::BadInput;
            }
        },
    };
    let shown = sanitize(&path.display().to_string());
    // Said before anything is written: the schema beside it is not refreshed for nothing.
    if std::fs::symlink_metadata(&path).is_ok() {
        return exists(&shown);
    }
    let dir = parent_dir(&path);
    if !dir.is_dir() {
        print_error(format_args!(
            "{shown}: the directory {} does not exist",
            sanitize(&dir.display().to_string())
        ));
        return Outcome::BadInput;
    }
    match create_new(&path, &skeleton) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return exists(&shown),
        Err(e) => {
            print_error(format_args!("{shown}: cannot write: {e}"));
            return Outcome::BadInput;
        }
    }
    // The schema beside it, for editors: written when absent, refreshed when it is an
    // older copy of privaudit's own, and never put over a file of someone else's.
    let schema_path = dir.join(SCHEMA_FILE);
    let shown_schema = sanitize(&schema_path.display().to_string());
    let ours = |text: &str| text.contains("\"$id\": \"urn:privaudit:schema:profile\"");
    let written = match std::fs::symlink_metadata(&schema_path) {
        Err(_) => create_new(&schema_path, &profile_schema_text()),
        Ok(meta) if meta.is_file() && meta.len() < 16 << 20 => {
            match std::fs::read_to_string(&schema_path) {
                Ok(text) if text == profile_schema_text() => Ok(()),
                Ok(text) if ours(&text) => replace(&schema_path, &profile_schema_text()),
                _ => {
                    print_warning(format_args!(
                        "{shown_schema} is not privaudit's profile schema: left as it is (`privaudit schema profile` prints it)"
                    ));
                    Ok(())
                }
            }
        }
        Ok(_) => {
            print_warning(format_args!(
                "{shown_schema} is not a regular file: left as it is (`privaudit schema profile` prints the schema)"
            ));
            Ok(())
        }
    };
    if let Err(e) = written {
        // The profile is written: say what went wrong with the schema, and go on.
        print_warning(format_args!(
            "{shown_schema}: cannot write the profile schema: {e}"
        ));
    }
    if registry::known_ids(&[]).iter().any(|known| known == id) && in_profile_dir {
        print_warning(format_args!(
            "`{id}` is a built-in app: your profile replaces the built-in one in `list`, `check` and the picker (for a version of it, use another id with family = \"{id}\")"
        ));
    }
    // Outside the profile directory the file is named: as a path, not taken for an id.
    let named = if registry::looks_like_path(&shown) {
        shown.clone()
    } else {
        format!("./{shown}")
    };
    let (check, validate) = if in_profile_dir {
        (
            format!("privaudit check {id}"),
            "privaudit validate --strict".to_owned(),
        )
    } else {
        (
            format!("privaudit check {named}"),
            format!("privaudit validate --strict {named}"),
        )
    };
    emit(
        &format!(
            "Wrote {shown} and {SCHEMA_FILE} beside it.\n\
             Replace every text starting with \"TODO:\" or \"待填：\" and the example setting; \
             `{validate}` lists what is still to fill in, `{check}` audits it.\n"
        ),
        Outcome::Pass,
    )
}

fn exists(shown: &str) -> Outcome {
    print_error(format_args!(
        "{shown} already exists; `privaudit new` never overwrites a file (edit it, or give another --output)"
    ));
    Outcome::BadInput
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The JSON Schema of the profile format, as `privaudit schema profile` prints it.
fn profile_schema_text() -> String {
    super::schema::text(crate::cli::SchemaKind::Profile)
}

/// `contents` in a new temporary file beside `path`, flushed to disk: its name.
fn temporary_beside(path: &Path, contents: &str) -> std::io::Result<PathBuf> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent_dir(path).join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        // The file system's usual mode (0666 less the umask): a profile and its schema
        // are not secrets, and editors and other tools read them.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()
    })();
    match written {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(dir) = std::fs::File::open(dir) {
        // Not every platform lets a directory be synced; the file is there either way.
        let _ = dir.sync_all();
    }
}

/// Replace `path` with `contents` whole or not at all (the schema beside the skeleton,
/// kept current): a temporary file renamed over it.
fn replace(path: &Path, contents: &str) -> std::io::Result<()> {
    let temp = temporary_beside(path, contents)?;
    if let Err(e) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(&parent_dir(path));
    Ok(())
}

/// Write a new file at `path` whole or not at all, and never over an existing one: the
/// text goes to a temporary file beside it, flushed to disk, which is then hard-linked
/// to `path` (the link fails if `path` exists, atomically) and removed. On a file system
/// without hard links the file is created exclusively and written in place instead.
fn create_new(path: &Path, contents: &str) -> std::io::Result<()> {
    let temp = temporary_beside(path, contents)?;
    let linked = std::fs::hard_link(&temp, path);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(e),
        Err(_) => {
            // No hard links here (some network and FAT file systems): create the file
            // exclusively, so an existing one is still never touched.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)?;
            let result = file
                .write_all(contents.as_bytes())
                .and_then(|()| file.sync_all());
            if result.is_err() {
                let _ = std::fs::remove_file(path);
            }
            result?;
        }
    }
    sync_dir(&parent_dir(path));
    Ok(())
}

/// `# ` comment lines holding `items`, separated by ", ", wrapped before 96 columns.
fn wrapped(items: impl IntoIterator<Item = String>, indent: &str) -> String {
    const WIDTH: usize = 96;
    let mut out = String::new();
    let mut line = format!("#{indent}");
    let mut first = true;
    for item in items {
        let piece = if first { item } else { format!(", {item}") };
        // The line and its closing "," stay within the width.
        if !first && line.chars().count() + piece.chars().count() + 1 > WIDTH {
            out.push_str(&line);
            out.push_str(",\n");
            line = format!("#{indent}{}", piece.trim_start_matches(", "));
        } else {
            line.push_str(&piece);
        }
        first = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// One `#   id   title` line per item.
fn listed(items: impl IntoIterator<Item = (String, String)>) -> String {
    let items: Vec<(String, String)> = items.into_iter().collect();
    let width = items.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
    items
        .iter()
        .map(|(id, title)| format!("#   {id:width$}  {title}\n"))
        .collect()
}

/// The skeleton profile for app `id`: every key explained, the ids each accepts listed
/// from the catalog and vocabulary compiled in, so the list is never out of date.
pub fn skeleton(id: &str, catalog: &Catalog) -> String {
    let rulings = listed(
        catalog
            .rulings
            .iter()
            .map(|r| (r.id.clone(), r.title.get(Lang::En).to_owned())),
    );
    let events = listed(
        catalog
            .events
            .iter()
            .map(|e| (e.id.clone(), e.title.get(Lang::En).to_owned())),
    );
    let laws = wrapped(
        catalog
            .laws
            .iter()
            .map(|l| format!("{} ({})", l.id, l.short_citation(Lang::En))),
        "   ",
    );
    let data = wrapped(
        DataCategory::ALL
            .iter()
            .map(|d| format!("{} ({})", d.id(), d.name(Lang::En))),
        "   ",
    );
    let ladder = Audience::ALL
        .iter()
        .filter(|a| a.rung().is_some())
        .map(|a| format!("{} ({})", a.id(), a.name(Lang::En)));
    let ladder = wrapped(ladder, "     ");
    let beside = Audience::ALL
        .iter()
        .filter(|a| a.rung().is_none())
        .map(|a| format!("{} ({})", a.id(), a.name(Lang::En)));
    let beside = wrapped(beside, "     ");
    format!(
        r##"#:schema ./{SCHEMA_FILE}
# A privaudit profile of `{id}`, started by `privaudit new {id}`.
#
# A profile states facts about an app's settings, never verdicts: which option sends which
# data to whom, what the app sets by default, and how sure each fact is. privaudit's engine
# judges them (see "How findings are judged" in the README); nothing here says what is risky.
#
# Every text that starts with "TODO:" or "待填：" is a placeholder: replace it with the real
# text in English (en) and Chinese (zh); both languages are required everywhere. A key
# that is commented out is optional: remove the "# " to use it. As written, this file is a
# valid profile, so it shows in `privaudit list` and the picker at once.
#
# Then `privaudit validate` checks it (with every profile in your profile directory),
# `privaudit validate --strict` lists what is still to fill in, and `privaudit check {id}`
# audits it at the app's defaults.

[app]
# id: the app's id, lower-case letters, digits and '-'. A profile in your profile
# directory must be named <id>.toml; one with a built-in app's id replaces it.
id = "{id}"
# family: when this profile is one version of an app that has another profile (an older
# version whose defaults differed, say), the id of that app's main profile: `diff`
# compares versions of one family and the picker groups them. Leave it out for the app's
# main profile, whose family is its own id.
# family = "{id}"
# market: where this version is offered: "china" (mainland China, where Chinese law
# applies, and a ruling may be linked "direct" where the court ruled on that very feature)
# or "outside-china" (the Chinese rulings are persuasive analogies only, never "direct").
# (--strict demands it.)
# market = "china"
name = {{ en = "TODO: the app's name", zh = "待填：应用名称" }}
vendor = {{ en = "TODO: the company that makes it", zh = "待填：开发商名称" }}
# version: the version whose settings you describe, a string such as "3.3.0", or words
# in each language such as
# {{ en = "accounts created after 2021-09-03", zh = "2021年9月3日后注册的账号" }}.
version = {{ en = "TODO: the version you describe", zh = "待填：所描述的版本" }}
# version-date: when that version was in use, as precisely as known: "2019", "2019-05" or
# "2019-05-17". Laws that took effect later are then marked "later than this app version".
# version-date = "2026"
# reviewed: the day the facts were last checked against the app, a TOML date (no quotes).
# (--strict demands it.)
# reviewed = 2026-11-26
# sources: where the facts about the app come from (help pages, articles, screenshots).
sources = ["TODO: where the facts about the app come from"]
# note: context a reader needs about the app or this version, in both languages.
# note = {{ en = "...", zh = "..." }}

# One [[settings]] table per privacy setting, or per built-in behaviour a user cannot
# switch off (see `switch`). Copy the block, with its [[settings.options]], for each one.
[[settings]]
# id: the setting's id, unique in this profile; account states and
# `privaudit explain {id}/<setting-id>` use it.
id = "todo-setting"
# label: the setting's name as the app shows it on screen. For an app in Chinese the zh
# text is the exact on-screen text and en a gloss; for an app in English the other way.
label = {{ en = "TODO: the setting's name as the app shows it", zh = "待填：应用界面上的设置名称" }}
# label-kind: "on-screen" (the app's own words; the default) or "descriptive" (our
# description of a behaviour that has no name on screen).
label-kind = "on-screen"
# path: where to find it in the app, step by step in each language (needs evidence.path).
# path = {{ en = ["Me", "Settings", "Privacy"], zh = ["我", "设置", "隐私"] }}
# default: the id of the option the app sets before the user chooses (needs
# evidence.default). Leave it out while the default is not known: the setting is then
# reported as "not assessed" until an account state sets it.
# default = "todo-shared"
# recommended: the id of the option to recommend; without it, the one exposing least.
recommended = "todo-private"
# rulings: court rulings this setting relates to, each {{ id = "...", link = "analogy" }}, or
# link = "direct" only where the court ruled on this very feature of this app (never for
# an app offered only outside China). A bare id means "analogy". Known rulings:
{rulings}rulings = []
# laws: articles of law this setting relates to (the engine adds those its rules rest on).
# Known articles:
{laws}laws = []
# events: regulators' actions and public incidents about this setting: context shown with
# it, never a ruling on it. Known events:
{events}events = []
# sources: where the facts about this very setting come from. (--strict demands them.)
sources = ["TODO: where the facts about this setting come from"]
# evidence: how sure each fact is, by what your sources say: "verified" (checked against
# a primary or near-primary text), "secondary" (two or more independent secondary
# sources), "single-source" or "unverified". label: the label; flows: what each option
# sends (--strict demands it); default: the default (required with `default`); path: the
# menu path (required with `path`); default-note: where a weak default was seen,
# {{ en = "...", zh = "..." }}.
evidence = {{ label = "unverified", flows = "unverified" }}
# note: why the setting matters, in your own words.
note = {{ en = "TODO: what this setting does with whose data", zh = "待填：这个设置如何处理谁的数据" }}
# caveat: what the recommended option does NOT do, where a reader could assume it does.
# caveat = {{ en = "...", zh = "..." }}
# switch: "in-app" (the default: a switch in the app's settings), "none" (this version
# has no switch: the behaviour is built in) or "once-at-login" (asked once, on a login
# authorisation page, and not reachable again). The last two need `instead`: what a
# user can do instead.
# switch = "none"
# instead = {{ en = "...", zh = "..." }}

# One [[settings.options]] table per option of the setting above, in the app's order.
[[settings.options]]
id = "todo-shared"
label = {{ en = "TODO: the option's label as the app shows it", zh = "待填：应用界面上的选项名称" }}
# flows: what this option sends to whom, each {{ data = [...], to = "..." }}, with
# from = "other-apps" for data another app hands to this one (the default is "this-app").
# data:
{data}# to, on the ladder from narrowest to broadest:
{ladder}#   and beside it:
{beside}flows = [{{ data = ["activity"], to = "friends" }}]

[[settings.options]]
id = "todo-private"
label = {{ en = "TODO: the label of the option that shares least", zh = "待填：分享最少的选项名称" }}
flows = []  # sends nothing anywhere
"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Strictness, parse_profile, parse_profile_with};
    use crate::source::SourceText;

    #[test]
    fn the_skeleton_is_a_valid_profile_and_strict_lists_what_is_left() {
        let catalog = catalog::builtin();
        let text = skeleton("my-app", catalog);
        assert!(text.starts_with("#:schema ./profile.schema.json\n"));
        let source = SourceText::from_string("my-app.toml", text.clone());
        let profile = parse_profile(&source, catalog, "my-app.toml", false)
            .unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(profile.app.id, "my-app");
        assert_eq!(profile.app.family, "my-app");
        let strict = parse_profile_with(&source, catalog, "my-app.toml", false, Strictness::Strict)
            .unwrap_err();
        let said: Vec<String> = strict.iter().map(|p| p.message.clone()).collect();
        for wanted in [
            "no `market`",
            "no `reviewed`",
            "app name is still the placeholder",
        ] {
            assert!(
                said.iter().any(|m| m.contains(wanted)),
                "{wanted}: {said:#?}"
            );
        }
        // Every comment line stays within 96 characters, the catalog's lists included.
        for line in text.lines().filter(|l| l.starts_with('#')) {
            assert!(line.chars().count() <= 96, "{line}");
        }
    }
}
