//! Where account states live between sessions, and saving them without ever leaving a
//! half-written file.

use super::{AccountState, Selection, parse_state_toml};
use crate::diag::Diagnostic;
use crate::profile::Profile;
use crate::source::read_text_file;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `<data dir>/states/<app-id>.toml` (`$XDG_DATA_HOME/privaudit/states` on Linux).
pub fn default_state_path(app_id: &str) -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "privaudit").map(|dirs| {
        dirs.data_dir()
            .join("states")
            .join(format!("{app_id}.toml"))
    })
}

/// `<data dir>/exports`, where the TUI writes Markdown checklists.
pub fn export_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "privaudit").map(|dirs| dirs.data_dir().join("exports"))
}

/// What was found at a state path.
#[derive(Debug)]
pub enum Loaded {
    /// No file yet: a new account, at the app's defaults.
    Missing,
    Found(Selection),
    /// A file that cannot be read or does not fit the profile. It must be left as it is.
    Unreadable(Diagnostic),
}

pub fn load(profile: &Profile, path: &Path) -> Loaded {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        _ => {}
    }
    match read_text_file(path)
        .and_then(|source| parse_state_toml(&source))
        .and_then(|state| state.bind(profile))
    {
        Ok(selection) => Loaded::Found(selection),
        Err(problem) => Loaded::Unreadable(problem),
    }
}

/// The state file's text, in the fixed format scripts also write.
pub fn to_toml(state: &AccountState) -> String {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut out = format!("# privaudit account state\napp = {}\n", quote(&state.app));
    if !state.choices.is_empty() {
        out.push_str("\n[settings]\n");
        for choice in &state.choices {
            out.push_str(&format!("{} = {}\n", choice.setting, quote(&choice.option)));
        }
    }
    for waiver in &state.waivers {
        out.push_str(&format!(
            "\n[waivers.{}]\nreason = {}\n",
            waiver.setting,
            quote(&waiver.reason)
        ));
        if let Some(expires) = waiver.expires {
            out.push_str(&format!("expires = {expires}\n"));
        }
    }
    out
}

/// Replace `path` with `contents` atomically: write a temporary file in the same
/// directory, flush it to disk, rename it over the old file, then sync the directory so the
/// rename itself survives a crash. A reader sees the old file or the new one, never half.
pub fn save_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        if let Ok(dir) = std::fs::File::open(dir) {
            // Not every platform lets a directory be synced; the rename is done either way.
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Save a selection as the state of its app.
pub fn save(profile: &Profile, selection: &Selection, path: &Path) -> std::io::Result<()> {
    save_atomic(path, &to_toml(&selection.to_state(profile)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceText;
    use crate::state::Waiver;

    #[test]
    fn saved_text_parses_back_to_the_same_state() {
        let state = AccountState {
            app: "wechat-read".into(),
            choices: vec![crate::state::Choice {
                setting: "private-reading".into(),
                option: "private".into(),
                setting_pos: Default::default(),
                option_pos: Default::default(),
            }],
            waivers: vec![Waiver {
                setting: "reading-time-leaderboard".into(),
                reason: "quote \" and \\ and 中文".into(),
                expires: crate::date::Date::new(2027, 6, 30),
                pos: Default::default(),
            }],
            ..Default::default()
        };
        let text = to_toml(&state);
        let back = parse_state_toml(&SourceText::from_string("s.toml", text)).unwrap();
        assert_eq!(back.app, "wechat-read");
        assert_eq!(back.choices[0].option, "private");
        assert_eq!(back.waivers[0].reason, "quote \" and \\ and 中文");
        assert_eq!(back.waivers[0].expires, crate::date::Date::new(2027, 6, 30));
    }

    #[test]
    fn atomic_save_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("states/a.toml");
        save_atomic(&path, "one").unwrap();
        save_atomic(&path, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
