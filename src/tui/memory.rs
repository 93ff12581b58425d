//! What the auditor remembers between sessions about its own interface (not about any
//! account): the app last opened, the language chosen with `L`, and the walk-through steps
//! skipped in each app. Kept in `<data dir>/ui.toml`, written atomically, never in demo
//! mode; a file that cannot be read is ignored (the status line says so), never fatal.

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

    /// Parse the file's text; the error names the file, line and column.
    pub fn parse(name: &str, text: &str) -> Result<Memory, String> {
        toml::from_str(text).map_err(|e| crate::diag::from_toml(name, text, &e).to_string())
    }

    /// Read `path`: nothing there is an empty memory; a file that cannot be read or parsed
    /// is an empty memory and the reason.
    pub fn load(path: &Path) -> (Memory, Option<String>) {
        match std::fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Memory::default(), None);
            }
            _ => {}
        }
        match crate::source::read_text_file(path) {
            Ok(source) => match Memory::parse(&source.name, &source.text) {
                Ok(memory) => (memory, None),
                Err(problem) => (Memory::default(), Some(problem)),
            },
            Err(problem) => (Memory::default(), Some(problem.to_string())),
        }
    }

    /// Write it atomically to `path`.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::state::store::save_atomic(path, &self.to_toml())
    }
}
