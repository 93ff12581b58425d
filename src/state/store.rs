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
    // A link whose target does not exist yet (a dotfiles link made before the first save)
    // is a new account too; the first save creates the target.
    let target = write_target(path).unwrap_or_else(|_| path.to_path_buf());
    match std::fs::symlink_metadata(&target) {
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

/// Where a write to `path` must go: the file a symbolic link points at (through any chain
/// of links, relative ones resolved from the link's own directory), so that a state kept
/// in dotfiles stays a link and its target gets the change.
pub fn write_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut target = path.to_path_buf();
    // As many hops as Linux follows before it reports a loop.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&target)?;
                target = match target.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(target),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Replace `path` (or the file it links to) with `contents` atomically: write a temporary
/// file in the same directory, flush it to disk, rename it over the old file, then sync the
/// directory so the rename itself survives a crash. A reader sees the old file or the new
/// one, never half.
pub fn save_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let target = write_target(path)?;
    let dir = parent_dir(&target);
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        file_name(&target),
        std::process::id()
    ));
    // The new file keeps the old one's permissions; a new state is the person's alone. A
    // mode that would leave the file unreadable to its owner (000, say) is not copied: the
    // new file would be lost to the next read.
    let permissions = std::fs::metadata(&target)
        .ok()
        .map(|m| m.permissions())
        .filter(readable_by_owner);
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)?;
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

#[cfg(unix)]
fn readable_by_owner(permissions: &std::fs::Permissions) -> bool {
    use std::os::unix::fs::PermissionsExt;
    permissions.mode() & 0o400 != 0
}

#[cfg(not(unix))]
fn readable_by_owner(_: &std::fs::Permissions) -> bool {
    true
}

/// A file held for saving (an account state, the interface memory): an exclusive advisory
/// lock on `.<name>.lock` beside the file (beside its target, for a link). Every privaudit
/// that saves such a file takes it first, so two auditors never write the same file at once; the lock ends with the process, so
/// a killed auditor leaves none behind. Held only while a save re-reads, merges and writes.
pub struct SaveLock {
    _file: std::fs::File,
}

/// Hold `path`'s file for a merging save: resolve where the write must go (through links,
/// see [`write_target`]), take the save lock there, and remove the temporary files an
/// auditor killed mid-save left beside it. Returns the target; the save happens while the
/// lock is held: re-read the target, merge, [`save_atomic`] it. Any file written by merging
/// (account states, the interface memory) goes through here.
pub fn lock_for_save(path: &Path) -> std::io::Result<(PathBuf, SaveLock)> {
    let target = write_target(path)?;
    let lock = SaveLock::take(&target)?;
    remove_stale_temporaries(&target);
    Ok((target, lock))
}

impl SaveLock {
    fn take(target: &Path) -> std::io::Result<SaveLock> {
        let dir = parent_dir(target);
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!(".{}.lock", file_name(target)));
        // flock needs no write access: open an existing lock file for reading only.
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?,
            Err(e) => return Err(e),
        };
        // Another auditor holds it only for the moment a save takes: wait that long.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(SaveLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(std::io::Error::other(
                        "another privaudit is saving this state; try again",
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    }
}

/// Temporary files left by an auditor killed mid-save (`.<name>.<pid>.tmp`). Only called
/// under the save lock, when no other save can be writing one.
fn remove_stale_temporaries(target: &Path) {
    let prefix = format!(".{}.", file_name(target));
    let Ok(entries) = std::fs::read_dir(parent_dir(target)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let is_temp = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if is_temp && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// What a save did.
#[derive(Debug)]
pub struct Saved {
    /// What is on disk now: this auditor's changes on top of the file as it was found.
    pub selection: Selection,
    /// Settings another auditor had also changed since this one read the file, to
    /// something else; this auditor's choice replaced theirs.
    pub overridden: Vec<usize>,
    /// Settings another auditor had changed that this one now shows (merged in).
    pub merged: usize,
}

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveError {
    Io(std::io::Error),
    /// The file on disk can no longer be read as a state for this app (edited by hand,
    /// say). It is left as it is.
    Unreadable(Diagnostic),
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SaveError::Io(e) => write!(f, "{e}"),
            SaveError::Unreadable(d) => write!(f, "{d}"),
        }
    }
}

/// Save `mine` (a selection that started as `base`, what this auditor last read or wrote)
/// to `path`, without losing what another auditor saved meanwhile: under the save lock, the
/// file is read again, and each setting this auditor did not change keeps its value on
/// disk. Where both changed a setting, this auditor's choice wins and the setting is
/// listed in [`Saved::overridden`], so the person can be told.
pub fn save_merged(
    profile: &Profile,
    base: &Selection,
    mine: &Selection,
    path: &Path,
) -> Result<Saved, SaveError> {
    let (target, _lock) = lock_for_save(path).map_err(SaveError::Io)?;
    let theirs = match load(profile, &target) {
        Loaded::Missing => Selection::defaults(profile),
        Loaded::Found(selection) => selection,
        Loaded::Unreadable(problem) => return Err(SaveError::Unreadable(problem)),
    };
    let mut merged = mine.clone();
    let mut overridden = Vec::new();
    let mut merged_in = 0;
    for i in 0..profile.settings.len() {
        let same = |a: &Selection, b: &Selection| {
            a.chosen[i] == b.chosen[i] && same_waiver(&a.waivers[i], &b.waivers[i])
        };
        if same(mine, base) {
            if !same(&theirs, base) {
                merged.chosen[i] = theirs.chosen[i];
                merged.waivers[i] = theirs.waivers[i].clone();
                merged_in += 1;
            }
        } else if !same(&theirs, base) && !same(&theirs, mine) {
            overridden.push(i);
        }
    }
    save_atomic(&target, &to_toml(&merged.to_state(profile))).map_err(SaveError::Io)?;
    Ok(Saved {
        selection: merged,
        overridden,
        merged: merged_in,
    })
}

fn same_waiver(a: &Option<super::Waiver>, b: &Option<super::Waiver>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.reason == b.reason && a.expires == b.expires,
        _ => false,
    }
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

    #[cfg(unix)]
    #[test]
    fn a_save_keeps_the_mode_unless_it_would_lock_the_owner_out() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        save_atomic(&path, "new").unwrap();
        assert_eq!(mode(&path), 0o640);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        save_atomic(&path, "newer").unwrap();
        assert_eq!(mode(&path), 0o600, "not 000: its owner must read it back");
    }

    #[test]
    fn a_merging_save_removes_temporaries_left_by_a_killed_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ui.toml");
        let stale = dir.path().join(".ui.toml.4242.tmp");
        std::fs::write(&stale, "half").unwrap();
        // Not ours: another file's temporary, and names that only look alike.
        let others = [
            ".other.toml.4242.tmp",
            ".ui.toml.x1.tmp",
            "ui.toml.4242.tmp",
        ];
        for other in others {
            std::fs::write(dir.path().join(other), "keep").unwrap();
        }
        let (target, _lock) = lock_for_save(&path).unwrap();
        assert_eq!(target, path);
        assert!(!stale.exists());
        for other in others {
            assert!(dir.path().join(other).exists(), "{other}");
        }
    }
}
