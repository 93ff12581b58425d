//! The user's own catalog files: `<config dir>/catalog/*.toml` and the directories a
//! project config names (`catalog-dirs`). Each file has the format of
//! `profiles/catalog.toml` (any of `[[rulings]]`, `[[laws]]` and `[[events]]`) and extends
//! the built-in catalog: a compliance team's rulings, regulators' actions and articles
//! (another jurisdiction's law, an internal policy).
//!
//! - An id already used by the built-in catalog or an earlier file is a problem, unless the
//!   entry says `overrides = true`: it then replaces that entry, and a notice names both
//!   files. An override keeps the kind (a ruling replaces a ruling) and, for an article,
//!   the jurisdiction: the engine's own rules cite built-in articles as the law they are.
//! - A file with a problem is left out whole (a warning names each problem as
//!   `file:line:column: message`); the other files and the built-in catalog still load.
//!   A ruling may cite the laws of any file that loads, so leaving one out can leave out
//!   another that depended on it: each is named.
//!
//! With no catalog file at all, nothing is read or copied: the built-in catalog is used as
//! it is.

use super::{Catalog, Event, Jurisdiction, Law, Ruling, builtin};
use crate::diag::{self, Diagnostic, LineIndex};
use crate::source::{SourceText, read_text_file};
use crate::text::sanitize;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where the built-in catalog's entries are said to come from, in notices.
const BUILTIN_NAME: &str = "the built-in catalog (profiles/catalog.toml)";

/// `<config dir>/catalog`, e.g. `~/.config/privaudit/catalog` on Linux.
pub fn user_catalog_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "privaudit")
        .map(|dirs| dirs.config_dir().join("catalog"))
}

/// The directories catalog files are read from, in order: the user's, then `project` (a
/// project config's `catalog-dirs`, in the order given). A later file may override an
/// earlier one's entry, so a project's catalog has the last word.
pub fn catalog_dirs(project: &[PathBuf]) -> Vec<PathBuf> {
    user_catalog_dir()
        .into_iter()
        .chain(project.iter().cloned())
        .collect()
}

/// The catalog of one run: the built-in one extended by the user's files.
#[derive(Debug)]
pub struct Merged {
    pub catalog: Cow<'static, Catalog>,
    /// Problems of the files left out, in file order; several may name one file.
    pub problems: Vec<Diagnostic>,
    /// An entry replacing another of the same id, at the entry that replaces it.
    pub notices: Vec<Diagnostic>,
    /// The ids of the entries replaced, in the order of `notices`.
    pub replaced: Vec<String>,
}

impl Merged {
    /// Tell on stderr what was left out (warnings) and what was replaced (notices); the
    /// problems of files in `except` are left to the caller, which makes them errors.
    pub fn report(&self, except: &[PathBuf]) {
        for problem in self.problems.iter().filter(|p| !in_dirs(p, except)) {
            diag::print_warning(format_args!("{problem} (catalog file left out)"));
        }
        for notice in &self.notices {
            diag::print_notice(notice);
        }
    }

    /// The problems of files in `dirs`: a project's own directories were named on
    /// purpose, and `check` makes their problems errors.
    pub fn problems_in(&self, dirs: &[PathBuf]) -> Vec<Diagnostic> {
        self.problems
            .iter()
            .filter(|p| in_dirs(p, dirs))
            .cloned()
            .collect()
    }
}

fn in_dirs(problem: &Diagnostic, dirs: &[PathBuf]) -> bool {
    dirs.iter()
        .any(|dir| Path::new(&problem.file).starts_with(dir))
}

/// The catalog the user's own files and `dirs` make with the built-in one (see the module
/// documentation). `dirs` that do not exist are skipped: the user's catalog directory is
/// usually absent.
pub fn load_in(dirs: &[PathBuf]) -> Merged {
    let paths: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| crate::source::toml_files_in(dir))
        .collect();
    if paths.is_empty() {
        // The common case costs one directory probe: no copy, no parse.
        return Merged {
            catalog: Cow::Borrowed(builtin()),
            problems: Vec::new(),
            notices: Vec::new(),
            replaced: Vec::new(),
        };
    }
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in &paths {
        match parse_file(path) {
            Ok(file) => files.push(file),
            Err(found) => problems.push((path.clone(), found)),
        }
    }
    // Merge the files that parsed; a file that fails against the others is left out and
    // the rest merged again, until all that remain fit together.
    let (catalog, replaced) = loop {
        match merge(&files) {
            Ok(merged) => break merged,
            Err((index, found)) => {
                let file = files.remove(index);
                problems.push((file.path, found));
            }
        }
    };
    // Problems in file order, whichever stage found them.
    problems.sort_by_key(|(path, _)| paths.iter().position(|p| p == path));
    let mut catalog = catalog;
    catalog.left_out = problems
        .iter()
        .map(|(path, _)| sanitize(&path.display().to_string()))
        .collect();
    catalog.left_out.dedup();
    let (replaced, notices) = replaced.into_iter().unzip();
    Merged {
        catalog: Cow::Owned(catalog),
        problems: problems.into_iter().flat_map(|(_, found)| found).collect(),
        notices,
        replaced,
    }
}

/// One catalog file that parsed and passed the checks it can pass alone.
struct UserFile {
    path: PathBuf,
    source: SourceText,
    /// Line starts, found once: a file with thousands of problems must not count lines
    /// from the top for each.
    lines: LineIndex,
    catalog: Catalog,
    at: Positions,
}

impl UserFile {
    fn problem(&self, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::at_indexed(
            &self.source.name,
            &self.source.text,
            &self.lines,
            span.start,
            message,
        )
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line(offset.min(self.source.text.len()))
    }
}

/// Where each entry's id and checked fields are written, read in a second pass over the
/// same text: the catalog's own types hold plain strings.
#[derive(Default, Deserialize)]
struct Positions {
    #[serde(default)]
    rulings: Vec<At>,
    #[serde(default)]
    laws: Vec<At>,
    #[serde(default)]
    events: Vec<At>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct At {
    id: Spanned<String>,
    #[serde(default)]
    laws: Vec<Spanned<String>>,
    #[serde(default)]
    basis: Vec<Spanned<String>>,
    date: Option<Spanned<String>>,
    in_force: Option<Spanned<String>>,
    jurisdiction: Option<Spanned<String>>,
    jurisdiction_name: Option<Spanned<toml::Value>>,
}

/// Read and check one file on its own: its syntax and types (as the built-in catalog's),
/// its ids (well-formed, each once), its dates, and each article's jurisdiction.
fn parse_file(path: &Path) -> Result<UserFile, Vec<Diagnostic>> {
    let source = read_text_file(path).map_err(|d| vec![d])?;
    let mut catalog: Catalog = toml::from_str(&source.text)
        .map_err(|e| vec![diag::from_toml(&source.name, &source.text, &e)])?;
    let at: Positions = toml::from_str(&source.text)
        .map_err(|e| vec![diag::from_toml(&source.name, &source.text, &e)])?;
    catalog.sanitize_lists();
    let origin = sanitize(&source.name);
    for ruling in &mut catalog.rulings {
        ruling.origin = Some(origin.clone());
    }
    for law in &mut catalog.laws {
        law.origin = Some(origin.clone());
    }
    for event in &mut catalog.events {
        event.origin = Some(origin.clone());
    }
    let file = UserFile {
        path: path.to_path_buf(),
        lines: LineIndex::new(&source.text),
        source,
        catalog,
        at,
    };
    let problems = alone_problems(&file);
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems)
    }
}

fn alone_problems(file: &UserFile) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut problem = |span: Range<usize>, message: String| {
        problems.push(file.problem(span, message));
    };
    let c = &file.catalog;
    let at = &file.at;
    let ids = at.rulings.iter().chain(&at.laws).chain(&at.events);
    // Each id with where it is first written.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for id in ids.map(|a| &a.id) {
        if !crate::profile::is_valid_id(id.get_ref()) {
            problem(
                id.span(),
                format!(
                    "`{}` is not a valid id (lower-case letters, digits and '-', at most 64)",
                    sanitize(id.get_ref())
                ),
            );
        } else if let Some(&first) = seen.get(id.get_ref().as_str()) {
            let line = file.line_of(first);
            problem(
                id.span(),
                format!(
                    "`{}` is used twice in this file (first on line {line})",
                    id.get_ref()
                ),
            );
        }
        seen.entry(id.get_ref()).or_insert(id.span().start);
    }
    for (ruling, at) in c.rulings.iter().zip(&at.rulings) {
        if let Some(date) = &at.date
            && crate::date::Date::parse(&ruling.date).is_none()
        {
            problem(
                date.span(),
                format!(
                    "a ruling's `date` is a day such as 2020-07-30, not `{}`",
                    sanitize(&ruling.date)
                ),
            );
        }
    }
    for (law, at) in c.laws.iter().zip(&at.laws) {
        if let (Some(date), Some(span)) = (&law.in_force, &at.in_force)
            && crate::date::Date::parse(date).is_none()
        {
            problem(
                span.span(),
                format!(
                    "`in-force` is a day such as 2021-11-01, not `{}`",
                    sanitize(date)
                ),
            );
        }
        let jurisdiction_span = at.jurisdiction.as_ref().map_or(at.id.span(), |j| j.span());
        match (law.jurisdiction, &at.jurisdiction_name) {
            (Jurisdiction::Other, None) => problem(
                jurisdiction_span,
                format!(
                    "law `{}` has `jurisdiction = \"other\"`: name it with `jurisdiction-name = \
                     {{ en = \"...\", zh = \"...\" }}` (a country, a regulator, an internal policy)",
                    law.id
                ),
            ),
            (Jurisdiction::Cn | Jurisdiction::Eu, Some(name)) => problem(
                name.span(),
                "`jurisdiction-name` is for `jurisdiction = \"other\"`; `cn` and `eu` are named \
                 already"
                    .to_owned(),
            ),
            _ => {}
        }
    }
    for (event, at) in c.events.iter().zip(&at.events) {
        if let Some(date) = &at.date
            && crate::profile::PartialDate::parse(&event.date).is_none()
        {
            problem(
                date.span(),
                format!(
                    "an event's `date` is YYYY, YYYY-MM or YYYY-MM-DD, not `{}`",
                    sanitize(&event.date)
                ),
            );
        }
    }
    // As for a profile: a hostile file's thousands of problems are counted, not listed.
    let most = crate::profile::MOST_PROBLEMS;
    if problems.len() > most {
        let more = problems.len() - most;
        problems.truncate(most);
        problems.push(Diagnostic::whole_file(
            &file.source.name,
            format!("... and {more} more problems not shown (fix these first)"),
        ));
    }
    problems
}

/// What kind of entry an id names, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ruling,
    Law,
    Event,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ruling => "ruling",
            Kind::Law => "law",
            Kind::Event => "event",
        }
    }
}

/// An entry of any of the three kinds, as merging sees it.
trait Entry: Clone {
    const KIND: Kind;
    fn id(&self) -> &str;
    fn overrides(&self) -> bool;
    fn origin(&self) -> Option<&str>;
    fn list(catalog: &Catalog) -> &Vec<Self>;
    fn list_mut(catalog: &mut Catalog) -> &mut Vec<Self>;
    fn positions(at: &Positions) -> &[At];
    /// Why this entry may not replace `old`, if it may not.
    fn cannot_replace(&self, _old: &Self) -> Option<String> {
        None
    }
}

impl Entry for Ruling {
    const KIND: Kind = Kind::Ruling;
    fn id(&self) -> &str {
        &self.id
    }
    fn overrides(&self) -> bool {
        self.overrides
    }
    fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }
    fn list(catalog: &Catalog) -> &Vec<Self> {
        &catalog.rulings
    }
    fn list_mut(catalog: &mut Catalog) -> &mut Vec<Self> {
        &mut catalog.rulings
    }
    fn positions(at: &Positions) -> &[At] {
        &at.rulings
    }
}

impl Entry for Law {
    const KIND: Kind = Kind::Law;
    fn id(&self) -> &str {
        &self.id
    }
    fn overrides(&self) -> bool {
        self.overrides
    }
    fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }
    fn list(catalog: &Catalog) -> &Vec<Self> {
        &catalog.laws
    }
    fn list_mut(catalog: &mut Catalog) -> &mut Vec<Self> {
        &mut catalog.laws
    }
    fn positions(at: &Positions) -> &[At] {
        &at.laws
    }
    /// The engine's rules cite built-in articles as the law they are (PIPL art. 25 as
    /// Chinese law): a replacement corrects an article, it does not move it elsewhere.
    fn cannot_replace(&self, old: &Self) -> Option<String> {
        (self.jurisdiction != old.jurisdiction).then(|| {
            format!(
                "law `{}` overrides one of jurisdiction `{}` and must keep it (an override \
                 corrects an article; give another jurisdiction's article an id of its own)",
                self.id,
                jurisdiction_id(old.jurisdiction)
            )
        })
    }
}

impl Entry for Event {
    const KIND: Kind = Kind::Event;
    fn id(&self) -> &str {
        &self.id
    }
    fn overrides(&self) -> bool {
        self.overrides
    }
    fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }
    fn list(catalog: &Catalog) -> &Vec<Self> {
        &catalog.events
    }
    fn list_mut(catalog: &mut Catalog) -> &mut Vec<Self> {
        &mut catalog.events
    }
    fn positions(at: &Positions) -> &[At] {
        &at.events
    }
}

fn jurisdiction_id(j: Jurisdiction) -> &'static str {
    match j {
        Jurisdiction::Cn => "cn",
        Jurisdiction::Eu => "eu",
        Jurisdiction::Other => "other",
    }
}

/// What merging replaced: the id, and the notice at the entry that replaced it.
type Replacements = Vec<(String, Diagnostic)>;

/// The built-in catalog with `files` merged in order, and what was replaced; or the index
/// of the first file that does not fit, with its problems.
fn merge(files: &[UserFile]) -> Result<(Catalog, Replacements), (usize, Vec<Diagnostic>)> {
    let mut catalog = builtin().clone();
    let mut notices = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let mut next = catalog.clone();
        let mut file_notices = Vec::new();
        let found: Vec<Diagnostic> = [
            add::<Ruling>(&mut next, file, &mut file_notices),
            add::<Law>(&mut next, file, &mut file_notices),
            add::<Event>(&mut next, file, &mut file_notices),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !found.is_empty() {
            return Err((index, found));
        }
        catalog = next;
        notices.extend(file_notices);
    }
    // Every ruling of every file cites laws that are in the merged catalog: its own file's,
    // another file's or built-in ones.
    let law_ids: HashSet<&str> = catalog.laws.iter().map(|l| l.id.as_str()).collect();
    for (index, file) in files.iter().enumerate() {
        let mut found = Vec::new();
        for (ruling, at) in file.catalog.rulings.iter().zip(&file.at.rulings) {
            for law in at.laws.iter().chain(&at.basis) {
                if !law_ids.contains(law.get_ref().as_str()) {
                    found.push(file.problem(
                        law.span(),
                        format!(
                            "ruling `{}` cites unknown law `{}`",
                            ruling.id,
                            sanitize(law.get_ref())
                        ),
                    ));
                }
            }
        }
        if !found.is_empty() {
            return Err((index, found));
        }
    }
    Ok((catalog, notices))
}

/// Add `file`'s entries of one kind to `catalog`: a new id is added; a used one is
/// replaced when the entry overrides it, and is a problem otherwise.
fn add<T: Entry>(
    catalog: &mut Catalog,
    file: &UserFile,
    notices: &mut Replacements,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    // Ids looked up once per entry: a catalog of tens of thousands of entries must not
    // scan the whole catalog for each.
    let mut index: HashMap<String, usize> = T::list(catalog)
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id().to_owned(), i))
        .collect();
    let others = other_kinds(catalog, T::KIND);
    for (entry, at) in T::list(&file.catalog).iter().zip(T::positions(&file.at)) {
        let id = entry.id();
        let kind = T::KIND.name();
        let same_kind = index.get(id).copied();
        if same_kind.is_none()
            && let Some((other, where_)) = others.get(id)
        {
            problems.push(file.problem(
                at.id.span(),
                format!("`{id}` is already the id of a {other} (in {where_}); a {kind} needs an id of its own"),
            ));
            continue;
        }
        match (same_kind, entry.overrides()) {
            (None, false) => {
                index.insert(id.to_owned(), T::list(catalog).len());
                T::list_mut(catalog).push(entry.clone());
            }
            (None, true) => problems.push(file.problem(
                at.id.span(),
                format!(
                    "{kind} `{id}` says `overrides = true`, but there is no {kind} `{id}` to \
                     override (built in or in an earlier catalog file)"
                ),
            )),
            (Some(old), false) => problems.push(file.problem(
                at.id.span(),
                format!(
                    "{kind} `{id}` is already in {}; to replace it, add `overrides = true` \
                     to this entry, or give yours another id",
                    place(T::list(catalog)[old].origin())
                ),
            )),
            (Some(old), true) => {
                let list = T::list_mut(catalog);
                if let Some(why) = entry.cannot_replace(&list[old]) {
                    problems.push(file.problem(at.id.span(), why));
                    continue;
                }
                let notice = file.problem(
                    at.id.span(),
                    format!(
                        "{kind} `{id}` replaces the one in {}",
                        place(list[old].origin())
                    ),
                );
                notices.push((id.to_owned(), notice));
                list[old] = entry.clone();
            }
        }
    }
    problems
}

/// The entry of another kind that already uses `id`, and where it comes from.
/// Every id of the other kinds than `kind`: what it names and where it comes from.
fn other_kinds(catalog: &Catalog, kind: Kind) -> HashMap<String, (&'static str, String)> {
    let mut ids = HashMap::new();
    let mut add = |k: Kind, id: &str, origin: Option<&str>| {
        if k != kind {
            ids.entry(id.to_owned())
                .or_insert_with(|| (k.name(), place(origin)));
        }
    };
    for e in &catalog.rulings {
        add(Kind::Ruling, &e.id, e.origin());
    }
    for e in &catalog.laws {
        add(Kind::Law, &e.id, e.origin());
    }
    for e in &catalog.events {
        add(Kind::Event, &e.id, e.origin());
    }
    ids
}

fn place(origin: Option<&str>) -> String {
    origin.unwrap_or(BUILTIN_NAME).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A law entry; `extra` adds lines (`overrides = true`, another jurisdiction).
    fn law(id: &str, extra: &str) -> String {
        format!(
            "[[laws]]\nid = \"{id}\"\nlaw = {{ en = \"Test Act\", zh = \"测试法\" }}\n\
             short = {{ en = \"TA\", zh = \"测试法\" }}\narticle = \"1\"\n{extra}\n\
             evidence = \"verified\"\nsummary = {{ en = \"s\", zh = \"摘要\" }}\n"
        )
    }

    fn cn_law(id: &str, extra: &str) -> String {
        law(id, &format!("jurisdiction = \"cn\"\n{extra}"))
    }

    /// A ruling entry citing `laws`.
    fn ruling(id: &str, laws: &str, extra: &str) -> String {
        let text = |en: &str| format!("{{ en = \"{en}\", zh = \"文本\" }}");
        format!(
            "[[rulings]]\nid = \"{id}\"\ntitle = {t}\ncourt = {t}\ndate = \"2025-01-02\"\n\
             nature = \"first-instance\"\nfeature = {t}\nheld = {held}\nnot-held = {t}\n\
             why = {t}\nremedies = {t}\nappeal = {t}\nlaws = [{laws}]\nsources = []\n{extra}\n\
             [rulings.evidence]\ncourt = \"verified\"\ndate = \"verified\"\n\
             case-number = \"verified\"\nheld = \"verified\"\nremedies = \"verified\"\n\
             appeal = \"verified\"\n",
            t = text("t"),
            held = text(&format!("held by {id}")),
        )
    }

    /// A directory holding `files` (name, text).
    fn dir(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    fn load(dirs: &[&tempfile::TempDir]) -> Merged {
        let dirs: Vec<PathBuf> = dirs.iter().map(|d| d.path().to_path_buf()).collect();
        load_in(&dirs)
    }

    fn messages(found: &[Diagnostic]) -> Vec<String> {
        found.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn no_catalog_file_borrows_the_builtin_catalog() {
        let empty = dir(&[("notes.txt", "not a catalog")]);
        let merged = load(&[&empty]);
        assert!(matches!(merged.catalog, Cow::Borrowed(_)));
        assert!(merged.problems.is_empty() && merged.notices.is_empty());
        let missing = load_in(&[PathBuf::from("/nonexistent/privaudit/catalog")]);
        assert!(matches!(missing.catalog, Cow::Borrowed(_)));
    }

    #[test]
    fn a_ruling_may_cite_a_law_of_a_later_file_and_entries_are_marked_as_the_users() {
        let d = dir(&[
            (
                "a.toml",
                &ruling("team-ruling", "\"team-law\", \"pipl-23\"", ""),
            ),
            ("b.toml", &cn_law("team-law", "")),
        ]);
        let merged = load(&[&d]);
        assert!(merged.problems.is_empty(), "{:?}", merged.problems);
        let c = &merged.catalog;
        let r = c.ruling("team-ruling").unwrap();
        assert!(r.origin.as_deref().unwrap().ends_with("a.toml"));
        assert!(
            c.law("team-law")
                .unwrap()
                .origin
                .as_deref()
                .unwrap()
                .ends_with("b.toml")
        );
        // The built-in entries are still there, and still built in.
        assert!(c.ruling("huang-v-tencent-2020").unwrap().origin.is_none());
    }

    #[test]
    fn a_collision_without_overrides_leaves_the_file_out_and_names_the_entry() {
        let d = dir(&[(
            "team.toml",
            &format!("{}{}", cn_law("team-law", ""), cn_law("pipl-23", "")),
        )]);
        let merged = load(&[&d]);
        let found = messages(&merged.problems);
        assert_eq!(found.len(), 1, "{found:?}");
        // `[[laws]]` of the second entry starts on line 10; its id is on line 11.
        assert!(
            found[0].contains("team.toml:11:6: law `pipl-23` is already in the built-in catalog"),
            "{found:?}"
        );
        assert!(found[0].contains("overrides = true"));
        // Left out whole: its other entry too.
        assert!(merged.catalog.law("team-law").is_none());
        assert_eq!(merged.catalog.left_out.len(), 1);
        // The built-in article is untouched.
        assert!(merged.catalog.law("pipl-23").unwrap().origin.is_none());
    }

    #[test]
    fn an_override_replaces_the_entry_with_a_notice_naming_both_files() {
        let d = dir(&[
            (
                "a.toml",
                &ruling("huang-v-tencent-2020", "\"pipl-23\"", "overrides = true"),
            ),
            (
                "b.toml",
                &ruling("huang-v-tencent-2020", "\"pipl-14\"", "overrides = true"),
            ),
        ]);
        let merged = load(&[&d]);
        assert!(merged.problems.is_empty(), "{:?}", merged.problems);
        let notices = messages(&merged.notices);
        assert_eq!(notices.len(), 2, "{notices:?}");
        assert!(notices[0].contains("a.toml:2:6: ruling `huang-v-tencent-2020` replaces the one in the built-in catalog (profiles/catalog.toml)"), "{notices:?}");
        assert!(notices[1].contains("b.toml:2:6:") && notices[1].contains("a.toml"));
        assert_eq!(
            merged.replaced,
            ["huang-v-tencent-2020", "huang-v-tencent-2020"]
        );
        let huang = merged.catalog.ruling("huang-v-tencent-2020").unwrap();
        assert_eq!(huang.held.0.en, "held by huang-v-tencent-2020");
        assert_eq!(huang.laws, ["pipl-14"]);
        assert_eq!(
            merged
                .catalog
                .rulings
                .iter()
                .filter(|r| r.id == "huang-v-tencent-2020")
                .count(),
            1
        );
    }

    #[test]
    fn overrides_must_have_something_of_the_same_kind_and_jurisdiction_to_replace() {
        let nothing = dir(&[("x.toml", &cn_law("team-law", "overrides = true"))]);
        let found = messages(&load(&[&nothing]).problems);
        assert!(
            found[0].contains("there is no law `team-law` to override"),
            "{found:?}"
        );

        let other_kind = dir(&[(
            "x.toml",
            &cn_law("huang-v-tencent-2020", "overrides = true"),
        )]);
        let found = messages(&load(&[&other_kind]).problems);
        assert!(found[0].contains("already the id of a ruling"), "{found:?}");

        let moved = dir(&[(
            "x.toml",
            &law(
                "pipl-25",
                "jurisdiction = \"other\"\njurisdiction-name = { en = \"X\", zh = \"某地\" }\noverrides = true",
            ),
        )]);
        let found = messages(&load(&[&moved]).problems);
        assert!(found[0].contains("must keep it"), "{found:?}");
    }

    #[test]
    fn a_file_left_out_takes_the_files_that_depend_on_it_and_each_is_named() {
        let d = dir(&[
            ("a.toml", &ruling("team-ruling", "\"team-law\"", "")),
            ("b.toml", &format!("{}\nnot toml", cn_law("team-law", ""))),
            ("c.toml", &cn_law("another-law", "")),
        ]);
        let merged = load(&[&d]);
        let found = messages(&merged.problems);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("a.toml:13:") && found[0].contains("unknown law `team-law`"));
        assert!(found[1].contains("b.toml:11:"), "{found:?}");
        assert_eq!(merged.catalog.left_out.len(), 2);
        assert!(merged.catalog.law("another-law").is_some());
    }

    #[test]
    fn ids_dates_and_jurisdictions_are_checked_with_their_positions() {
        let d = dir(&[(
            "x.toml",
            &[
                cn_law("Bad_Id", ""),
                cn_law("twice", "in-force = \"2021-13-01\""),
                cn_law("twice", ""),
                law("elsewhere", "jurisdiction = \"other\""),
                law(
                    "named",
                    "jurisdiction = \"eu\"\njurisdiction-name = { en = \"X\", zh = \"某地\" }",
                ),
            ]
            .concat(),
        )]);
        let found = messages(&load(&[&d]).problems);
        let expect = [
            "x.toml:2:6: `Bad_Id` is not a valid id",
            "x.toml:20:6: `twice` is used twice in this file (first on line 11)",
            "x.toml:16:12: `in-force` is a day such as 2021-11-01, not `2021-13-01`",
            "x.toml:33:16: law `elsewhere` has `jurisdiction = \"other\"`",
            "x.toml:42:21: `jurisdiction-name` is for `jurisdiction = \"other\"`",
        ];
        assert_eq!(found.len(), expect.len(), "{found:?}");
        for needle in expect {
            assert!(
                found.iter().any(|f| f.contains(needle)),
                "{needle} not in {found:?}"
            );
        }
    }

    #[test]
    fn the_user_dir_comes_first_and_a_project_dir_may_override_it() {
        let user = dir(&[("u.toml", &cn_law("team-law", ""))]);
        let project = dir(&[("p.toml", &cn_law("team-law", "overrides = true"))]);
        let merged = load(&[&user, &project]);
        assert!(merged.problems.is_empty(), "{:?}", merged.problems);
        let origin = merged
            .catalog
            .law("team-law")
            .unwrap()
            .origin
            .clone()
            .unwrap();
        assert!(origin.ends_with("p.toml"));
        assert!(messages(&merged.notices)[0].contains("u.toml"));
        assert_eq!(
            merged.problems_in(&[project.path().to_path_buf()]),
            Vec::<Diagnostic>::new()
        );
    }

    #[test]
    fn text_shown_as_it_is_written_is_made_safe() {
        let d = dir(&[(
            "x.toml",
            &cn_law("team-law", "")
                .replace("article = \"1\"", "article = \"1\\u001b[2J\"")
                .replace(
                    "{ en = \"Test Act\"",
                    "{ en = \"Test\\u001b]0;x\\u0007 Act\"",
                ),
        )]);
        let merged = load(&[&d]);
        assert!(merged.problems.is_empty(), "{:?}", merged.problems);
        let law = merged.catalog.law("team-law").unwrap();
        let shown = law.citation(crate::text::Lang::En);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
    }

    #[test]
    fn a_line_break_in_a_name_cannot_start_a_line_of_its_own() {
        let d = dir(&[(
            "x.toml",
            &cn_law("team-law", "").replace(
                "{ en = \"Test Act\"",
                "{ en = \"Test Act\\nprivaudit: FAKE LINE\"",
            ),
        )]);
        let merged = load(&[&d]);
        assert!(merged.problems.is_empty(), "{:?}", merged.problems);
        let law = merged.catalog.law("team-law").unwrap();
        let shown = law.citation(crate::text::Lang::En);
        assert!(shown.contains("FAKE LINE"), "the text is kept: {shown:?}");
        assert!(!shown.contains('\n'), "{shown:?}");
    }

    #[test]
    fn an_unknown_id_in_a_profile_is_told_that_a_catalog_file_was_left_out() {
        let d = dir(&[("x.toml", "[[laws]]\nid = 1\n")]);
        let merged = load(&[&d]);
        let mut problems = vec![
            Diagnostic::whole_file("p.toml", "unknown ruling id `team-ruling`"),
            Diagnostic::whole_file("p.toml", "something else"),
        ];
        merged.catalog.hint_left_out(&mut problems);
        assert!(problems[0].message.contains("a catalog file was left out"));
        assert!(problems[0].message.contains("x.toml"));
        assert_eq!(problems[1].message, "something else");
    }
}
