//! What the auditor remembers between sessions about its own interface (not about any
//! account): the app last opened, the language chosen with `L`, and the walk-through steps
//! skipped in each app. Kept in `<data dir>/ui.toml`, never in demo mode.
//!
//! Two auditors may run at once: each write re-reads the file under a lock and applies
//! only this auditor's changes (as account states are saved), atomically. A file that is
//! there but cannot be read or parsed is left exactly as it is for the whole session (the
//! status line says so); it never stops the auditor.

use crate::source;
use crate::state::store;
use crate::text::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Memory {
    /// The id of the app opened last: the picker starts on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_app: Option<String>,
    /// The language last chosen with `L`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<UiLang>,
    /// Per app id, the setting ids whose walk-through step was skipped (or noted): not
    /// offered again until the walk is restarted with `W`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub skipped: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UiLang {
    En,
    Zh,
}

impl From<Lang> for UiLang {
    fn from(lang: Lang) -> UiLang {
        match lang {
            Lang::En => UiLang::En,
            Lang::Zh => UiLang::Zh,
        }
    }
}

impl From<UiLang> for Lang {
    fn from(lang: UiLang) -> Lang {
        match lang {
            UiLang::En => Lang::En,
            UiLang::Zh => Lang::Zh,
        }
    }
}

/// `<data dir>/ui.toml` (`$XDG_DATA_HOME/privaudit/ui.toml` on Linux).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "privaudit").map(|dirs| dirs.data_dir().join("ui.toml"))
}

impl Memory {
    /// The file's text.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!("# privaudit: what the interactive auditor remembers (safe to delete)\n{body}")
    }

    /// Parse the file's text; the error names the file, line and column. Text with nothing
    /// but blank lines and comments is an empty memory.
    pub fn parse(name: &str, text: &str) -> Result<Memory, String> {
        toml::from_str(text).map_err(|e| crate::diag::from_toml(name, text, &e).to_string())
    }

    /// Read `path`. Nothing there (or a link to nothing yet), an empty file or one of only
    /// comments is an empty memory. A file that is there but cannot be read or parsed
    /// gives an empty memory and the reason (naming the file, and the line and column of a
    /// parse error); the caller must then leave that file exactly as it is.
    pub fn load(path: &Path) -> (Memory, Option<String>) {
        match read(path) {
            Ok(Some(memory)) => (memory, None),
            Ok(None) => (Memory::default(), None),
            Err(problem) => (Memory::default(), Some(problem)),
        }
    }

    /// Write this memory's changes since `base` (what this auditor last read or wrote)
    /// into `path`, keeping what another auditor saved there meanwhile: under the same lock
    /// the account states are saved with, the file is read again and only what changed
    /// here is applied to it (see [`Memory::merged_onto`]), then it is replaced atomically.
    /// A file that can no longer be read or parsed is left as it is (an error).
    pub fn save_merged(&self, base: &Memory, path: &Path) -> std::io::Result<()> {
        let (target, _lock) = store::lock_for_save(path)?;
        let on_disk = match read(&target) {
            Ok(found) => found.unwrap_or_default(),
            Err(problem) => {
                return Err(std::io::Error::other(format!(
                    "left as it is, since it cannot be read: {problem}"
                )));
            }
        };
        let merged = self.merged_onto(base, on_disk);
        store::save_atomic(&target, &merged.to_toml())
    }

    /// Write it to `path` as if nothing had been remembered before: what this memory holds
    /// is laid over the file (see [`Memory::save_merged`]).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        self.save_merged(&Memory::default(), path)
    }

    /// `theirs` (the file as it is now) with this memory's changes since `base` applied:
    /// the last app if it changed here, the language if it was chosen here, and in each
    /// app's skipped steps, those skipped or un-skipped here. Everything else is kept as
    /// the file has it; where both changed the same thing, this (the later write) wins.
    pub fn merged_onto(&self, base: &Memory, theirs: Memory) -> Memory {
        let mut merged = theirs;
        if self.last_app != base.last_app {
            merged.last_app.clone_from(&self.last_app);
        }
        if self.lang != base.lang {
            merged.lang = self.lang;
        }
        let none = BTreeSet::new();
        let apps: BTreeSet<&String> = self.skipped.keys().chain(base.skipped.keys()).collect();
        for app in apps {
            let mine = self.skipped.get(app).unwrap_or(&none);
            let was = base.skipped.get(app).unwrap_or(&none);
            if mine == was {
                continue;
            }
            let steps = merged.skipped.entry(app.clone()).or_default();
            steps.extend(mine.difference(was).cloned());
            for gone in was.difference(mine) {
                steps.remove(gone);
            }
            if steps.is_empty() {
                merged.skipped.remove(app);
            }
        }
        merged
    }
}

/// The memory at `path`: `None` when there is none (no file, a link to nothing yet, an
/// empty or comments-only file), the reason when there is a file that cannot be read or
/// parsed. Only a regular file is opened (see [`crate::source`]): a FIFO is refused at once.
fn read(path: &Path) -> Result<Option<Memory>, String> {
    // A link whose target does not exist yet is no memory yet; a save creates the target
    // through the link, as for account states.
    let target = store::write_target(path).unwrap_or_else(|_| path.to_path_buf());
    if let Err(e) = std::fs::symlink_metadata(&target)
        && e.kind() == std::io::ErrorKind::NotFound
    {
        return Ok(None);
    }
    let name = path.display().to_string();
    let bytes = source::read_bytes(path, &name, source::MAX_FILE_BYTES)
        .map_err(|problem| problem.to_string())?;
    // An empty file is an empty memory (unlike an empty profile or state).
    let blank = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .iter()
        .all(u8::is_ascii_whitespace);
    if blank {
        return Ok(None);
    }
    let source = source::decode(&name, bytes).map_err(|problem| problem.to_string())?;
    Memory::parse(&source.name, &source.text).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skips(app: &str, ids: &[&str]) -> (String, BTreeSet<String>) {
        (app.into(), ids.iter().map(|s| s.to_string()).collect())
    }

    fn file_with(dir: &tempfile::TempDir, memory: &Memory) -> PathBuf {
        let path = dir.path().join("ui.toml");
        std::fs::write(&path, memory.to_toml()).unwrap();
        path
    }

    #[test]
    fn two_auditors_keep_each_others_changes() {
        let dir = tempfile::tempdir().unwrap();
        let start = Memory {
            last_app: Some("wechat".into()),
            skipped: [skips("wechat", &["moments"])].into(),
            ..Memory::default()
        };
        let path = file_with(&dir, &start);
        // Two windows read the same file.
        let (base_a, _) = Memory::load(&path);
        let (base_b, _) = Memory::load(&path);
        assert_eq!(base_a, start);
        // A skips two Douyin steps and opens Douyin; B only switches the language.
        let mut a = base_a.clone();
        a.skipped
            .insert("douyin".into(), skips("", &["local-feed", "contacts"]).1);
        a.last_app = Some("douyin".into());
        a.save_merged(&base_a, &path).unwrap();
        let mut b = base_b.clone();
        b.lang = Some(UiLang::Zh);
        b.save_merged(&base_b, &path).unwrap();
        let (back, problem) = Memory::load(&path);
        assert_eq!(problem, None);
        assert_eq!(
            back,
            Memory {
                last_app: Some("douyin".into()),
                lang: Some(UiLang::Zh),
                skipped: [
                    skips("douyin", &["contacts", "local-feed"]),
                    skips("wechat", &["moments"]),
                ]
                .into(),
            }
        );
    }

    #[test]
    fn where_both_changed_the_same_thing_the_later_write_wins() {
        let dir = tempfile::tempdir().unwrap();
        let start = Memory {
            skipped: [skips("douyin", &["contacts", "local-feed"])].into(),
            ..Memory::default()
        };
        let path = file_with(&dir, &start);
        let (base_a, _) = Memory::load(&path);
        let (base_b, _) = Memory::load(&path);
        let mut a = base_a.clone();
        a.lang = Some(UiLang::Zh);
        a.last_app = Some("wechat".into());
        // A un-skips "contacts" and skips "search"; B restarts the whole Douyin walk
        // (clears its skips), after A.
        a.skipped
            .insert("douyin".into(), skips("", &["local-feed", "search"]).1);
        a.save_merged(&base_a, &path).unwrap();
        let mut b = base_b.clone();
        b.lang = Some(UiLang::En);
        b.last_app = Some("douyin".into());
        b.skipped.remove("douyin");
        b.save_merged(&base_b, &path).unwrap();
        let (back, _) = Memory::load(&path);
        assert_eq!(back.lang, Some(UiLang::En));
        assert_eq!(back.last_app.as_deref(), Some("douyin"));
        // B cleared the skips it knew of; the one A added meanwhile stays.
        assert_eq!(back.skipped, [skips("douyin", &["search"])].into());
        // A writes again, changing only a WeChat skip: B's language, last app and
        // Douyin skips stay, though A's own memory still holds the older ones.
        let mut a2 = a.clone();
        a2.skipped
            .insert("wechat".into(), skips("", &["moments"]).1);
        a2.save_merged(&a, &path).unwrap();
        let (back, _) = Memory::load(&path);
        assert_eq!(back.lang, Some(UiLang::En));
        assert_eq!(back.last_app.as_deref(), Some("douyin"));
        assert_eq!(
            back.skipped,
            [skips("douyin", &["search"]), skips("wechat", &["moments"])].into()
        );
    }

    #[test]
    fn nothing_changed_here_rewrites_the_file_as_found() {
        let theirs = Memory {
            last_app: Some("duoshan".into()),
            lang: Some(UiLang::En),
            skipped: [skips("duoshan", &["a"])].into(),
        };
        let mine = Memory::default();
        assert_eq!(mine.merged_onto(&mine, theirs.clone()), theirs);
    }

    #[test]
    fn empty_and_comment_only_files_are_an_empty_memory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ui.toml");
        for text in ["", "\n  \n", "\u{feff}", "# just a comment\n\n# another\n"] {
            std::fs::write(&path, text).unwrap();
            assert_eq!(Memory::load(&path), (Memory::default(), None), "{text:?}");
        }
        // A dangling link is no memory yet; a save writes through it.
        let link = dir.path().join("linked.toml");
        let target = dir.path().join("dotfiles/ui.toml");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&target, &link).unwrap();
            assert_eq!(Memory::load(&link), (Memory::default(), None));
            let mine = Memory {
                lang: Some(UiLang::Zh),
                ..Memory::default()
            };
            mine.save_merged(&Memory::default(), &link).unwrap();
            assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
            assert_eq!(Memory::load(&target).0, mine);
        }
    }

    #[test]
    fn a_file_that_cannot_be_parsed_is_named_and_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes.txt");
        let text = "my notes\nline two\n";
        std::fs::write(&notes, text).unwrap();
        let path = dir.path().join("ui.toml");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&notes, &path).unwrap();
        #[cfg(not(unix))]
        std::fs::copy(&notes, &path).unwrap();
        let (memory, problem) = Memory::load(&path);
        assert_eq!(memory, Memory::default());
        let problem = problem.expect("a problem");
        assert!(
            problem.starts_with(&format!("{}:1:4:", path.display())),
            "{problem}"
        );
        // Had a save got this far, the file as it is now is read again and refused.
        let mine = Memory {
            lang: Some(UiLang::Zh),
            ..Memory::default()
        };
        let err = mine.save_merged(&memory, &path).unwrap_err();
        assert!(err.to_string().contains("left as it is"), "{err}");
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);
    }
}
