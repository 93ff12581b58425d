//! The interactive auditor. Everything that touches the terminal lives under this module;
//! nothing here decides what is risky (the engine does).

pub mod app;
pub mod keys;
pub mod memory;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod ui;

use crate::catalog::{self, Catalog};
use crate::config;
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::i18n::Msg;
use crate::outcome::{Outcome, fail_with};
use crate::profile::Profile;
use crate::registry;
use crate::report::{Checked, Style, markdown};
use crate::state::store::{self, Loaded};
use crate::text::Lang;
use anyhow::Context;
use app::{Action, App, Effect, Entry};
use crossterm::event::{Event, KeyEventKind};
use memory::Memory;
use std::path::PathBuf;
use terminal::TerminalGuard;
use theme::Theme;

/// How the auditor was started.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// An app id or profile file to open directly; `None` starts at the picker.
    pub app: Option<String>,
    /// The state file to use for that app instead of the saved one.
    pub state: Option<PathBuf>,
    pub demo: bool,
    pub lang: Option<Lang>,
}

pub fn run(options: &Options) -> Outcome {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        crate::diag::print_error(
            "the interactive auditor needs a terminal on stdin and stdout; \
             in scripts and pipes use `privaudit check` (see `privaudit check --help`)",
        );
        return Outcome::BadInput;
    }
    let config = match config::load() {
        Ok(config) => config,
        Err(problem) => return fail_with(&[problem]),
    };
    let mut merged = catalog::load_in(&catalog::catalog_dirs(&[]));
    let mut found = match load_profiles(options, &merged.catalog) {
        Ok(found) => found,
        Err(problems) => return fail_with(&problems),
    };
    // A demo starts clean and leaves nothing behind: it neither reads nor writes what the
    // interface remembers.
    let memory_path = if options.demo {
        None
    } else {
        memory::default_path()
    };
    let (memory, memory_problem) = memory_path
        .as_deref()
        .map_or((Memory::default(), None), Memory::load);
    // A memory file that is there but could not be read is left as it is all session.
    let memory_path = memory_path.filter(|_| memory_problem.is_none());
    // The language: `--lang`, else the one last chosen with `L`, else the config file's,
    // else the system locale.
    let lang = options
        .lang
        .or(memory.lang.map(Into::into))
        .or(config.lang.map(Into::into))
        .unwrap_or_else(config::system_lang);
    let mut carry = Carry {
        lang,
        status: memory_problem.map(|p| {
            (
                format!("{}{}{p}", Msg::MemoryIgnored.text(lang), ui::colon(lang)),
                true,
            )
        }),
        saved_memory: memory.clone(),
        memory_failed: false,
        memory,
        open_id: None,
        unsaved_selections: Vec::new(),
        undo: Vec::new(),
        reloaded: false,
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::pick(config.theme, no_color);
    let mut guard = match TerminalGuard::enter(config.mouse) {
        Ok(guard) => guard,
        Err(e) => {
            crate::diag::print_error(format_args!("cannot use the terminal: {e}"));
            return Outcome::BadInput;
        }
    };
    loop {
        let (profiles, open, skipped) = &found;
        let mut app = build_app(&merged, profiles, *open, skipped, options, &mut carry);
        let result = event_loop(
            &mut guard,
            &mut app,
            &theme,
            memory_path.as_deref(),
            &mut carry,
        );
        match result {
            Ok(Exit::Quit) => return Outcome::Pass,
            Ok(Exit::Reload) => {
                carry.take_from(&app);
                drop(app);
                // Ctrl-R reads the user's catalog files again too: an author adding a
                // ruling and a profile citing it sees both.
                merged = catalog::load_in(&catalog::catalog_dirs(&[]));
                match load_profiles(options, &merged.catalog) {
                    Ok(again) => found = again,
                    // The profile named on the command line broke meanwhile: keep the
                    // profiles as they were and say why.
                    Err(problems) => {
                        let text = problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(crate::i18n::clause_sep(carry.lang));
                        let text = format!(
                            "{}{}{text}",
                            Msg::ReloadFailed.text(carry.lang),
                            ui::colon(carry.lang)
                        );
                        carry.status = Some((text, true));
                        carry.reloaded = false;
                    }
                }
            }
            Err(e) => {
                drop(guard);
                crate::diag::print_error(format_args!("{e:#}"));
                return Outcome::BadInput;
            }
        }
    }
}

/// What outlives one set of profiles: a reload builds the app again from these.
struct Carry {
    lang: Lang,
    status: Option<(String, bool)>,
    memory: Memory,
    /// What was last written to (or read from) the memory file.
    saved_memory: Memory,
    /// Writing the memory failed and the status line said so; it is not said again until
    /// a write succeeds.
    memory_failed: bool,
    /// The app that was open (on its dashboard), by id.
    open_id: Option<String>,
    /// Selections that are not on disk, carried over a reload by app id (a state that no
    /// longer fits its profile starts over): every app's in a demo, where nothing is
    /// saved; otherwise those whose last save failed, so a reload does not drop them.
    unsaved_selections: Vec<crate::state::AccountState>,
    /// Each app's undo list, by app id, with settings and options named by id so it can
    /// be bound again to the reloaded profiles (what no longer exists is dropped).
    undo: Vec<(String, Vec<CarriedChange>)>,
    reloaded: bool,
}

impl Carry {
    fn take_from(&mut self, app: &App<'_>) {
        self.lang = app.lang;
        self.memory = app.memory.clone();
        self.open_id = matches!(
            app.screen,
            app::Screen::Dashboard | app::Screen::Walk | app::Screen::Summary
        )
        .then(|| app.profile().app.id.clone());
        self.unsaved_selections = app
            .auditors
            .iter()
            .zip(&app.entries)
            .filter(|(_, e)| app.demo || e.selection != e.saved)
            .map(|(a, e)| e.selection.to_state(a.profile))
            .collect();
        self.undo = app
            .auditors
            .iter()
            .zip(&app.undo)
            .filter(|(_, changes)| !changes.is_empty())
            .map(|(a, changes)| {
                let profile = a.profile;
                let named = changes
                    .iter()
                    .map(|c| CarriedChange {
                        setting: profile.settings[c.setting].id.clone(),
                        before: name_value(profile, c.setting, &c.before),
                        after: name_value(profile, c.setting, &c.after),
                        with_previous: c.with_previous,
                    })
                    .collect();
                (profile.app.id.clone(), named)
            })
            .collect();
        self.status = None;
        self.reloaded = true;
    }
}

/// A change of the undo list with its setting and options named by id.
struct CarriedChange {
    setting: String,
    before: (Option<String>, Option<crate::state::Waiver>),
    after: (Option<String>, Option<crate::state::Waiver>),
    with_previous: bool,
}

fn name_value(
    profile: &Profile,
    setting: usize,
    (chosen, waiver): &app::Value,
) -> (Option<String>, Option<crate::state::Waiver>) {
    (
        chosen.map(|o| profile.settings[setting].options[o].id.clone()),
        waiver.clone(),
    )
}

/// The undo list carried over a reload, bound to the reloaded profile: a change whose
/// setting or option is gone is dropped (it could not be taken back).
fn bind_undo(profile: &Profile, carried: &[CarriedChange]) -> Vec<app::Change> {
    let bind = |setting: usize,
                (chosen, waiver): &(Option<String>, Option<crate::state::Waiver>)| {
        let option = match chosen {
            Some(id) => Some(
                profile.settings[setting]
                    .options
                    .iter()
                    .position(|o| &o.id == id)?,
            ),
            None => None,
        };
        Some((option, waiver.clone()))
    };
    let mut bound = Vec::new();
    // A dropped change that began a chain (a demo reset) passes that role to the next.
    let mut starts_chain = false;
    for c in carried {
        let setting = profile.settings.iter().position(|s| s.id == c.setting);
        let change = setting.and_then(|setting| {
            Some(app::Change {
                setting,
                before: bind(setting, &c.before)?,
                after: bind(setting, &c.after)?,
                with_previous: c.with_previous && !starts_chain,
            })
        });
        match change {
            Some(change) => {
                starts_chain = false;
                bound.push(change);
            }
            None => starts_chain = starts_chain || !c.with_previous,
        }
    }
    bound
}

/// The app over one set of profiles, in the state carried over.
fn build_app<'a>(
    merged: &'a catalog::Merged,
    profiles: &'a [Profile],
    open: Option<usize>,
    skipped: &[Diagnostic],
    options: &Options,
    carry: &mut Carry,
) -> App<'a> {
    // Unsaved changes of an app whose edited profile they no longer fit are dropped:
    // counted here so the status line says so.
    let mut dropped = 0;
    let entries = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let carried = carry.unsaved_selections.iter().find(|s| s.app == p.app.id);
            match carried.map(|state| state.bind(p)) {
                Some(Ok(selection)) if options.demo => Entry {
                    selection,
                    ..Entry::defaults(p)
                },
                // Not saved yet: what is on disk stays what a save merges against.
                Some(Ok(selection)) => Entry {
                    selection,
                    ..load_entry(p, options, open == Some(i))
                },
                Some(Err(_)) => {
                    dropped += 1;
                    load_entry(p, options, open == Some(i))
                }
                None => load_entry(p, options, open == Some(i)),
            }
        })
        .collect();
    let mut app = App::new(
        &merged.catalog,
        profiles,
        entries,
        carry.lang,
        options.demo,
        Date::today(),
    );
    app.memory = carry.memory.clone();
    for (index, profile) in profiles.iter().enumerate() {
        if let Some((_, carried)) = carry.undo.iter().find(|(id, _)| *id == profile.app.id) {
            app.undo[index] = bind_undo(profile, carried);
        }
    }
    app.broken = skipped.iter().map(ToString::to_string).collect();
    // A catalog file left out is listed with the profiles that could not be read, each
    // problem in full.
    app.broken.extend(
        merged
            .problems
            .iter()
            .map(|p| format!("{p}{}", crate::i18n::catalog_file_left_out(carry.lang))),
    );
    let by_id = |id: &str| profiles.iter().position(|p| p.app.id == id);
    let reopen = carry.open_id.as_deref().and_then(by_id);
    let last = app.memory.last_app.as_deref().and_then(by_id);
    // The picker starts on the app last used (its row, as the picker orders them).
    if let Some(index) = reopen.or(last) {
        app.picker_row = app.filtered().iter().position(|&i| i == index).unwrap_or(0);
    }
    match (carry.reloaded, reopen, open) {
        (true, Some(index), _) => app.open(index),
        (false, _, Some(index)) => app.open(index),
        _ => {}
    }
    let lang = carry.lang;
    let mut notes: Vec<(String, bool)> = Vec::new();
    if carry.reloaded {
        notes.push((Msg::ProfilesReloaded.text(lang).to_owned(), false));
    }
    if dropped > 0 {
        notes.push((Msg::UnsavedDropped.text(lang).to_owned(), true));
    }
    if !skipped.is_empty() {
        // A broken user profile should not lock a person out of the others: the picker
        // lists each problem in full; carry on without them.
        notes.push((crate::i18n::broken_profiles_note(skipped.len(), lang), true));
    }
    notes.extend(crate::i18n::catalog_note(
        merged.catalog.left_out.len(),
        &merged.replaced,
        lang,
    ));
    let replaced: Vec<String> = profiles
        .iter()
        .filter_map(registry::replaced_builtin)
        .map(|r| r.app)
        .collect();
    if !replaced.is_empty() {
        notes.push((crate::i18n::replaced_profiles_note(&replaced, lang), false));
    }
    notes.extend(carry.status.take());
    notes.extend(app.status.take());
    if !notes.is_empty() {
        let problem = notes.iter().any(|(_, p)| *p);
        let text = notes
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
            .join(crate::i18n::clause_sep(lang));
        app.status = Some((text, problem));
    }
    carry.reloaded = false;
    app
}

/// Every available profile, plus a profile file named on the command line; which one to
/// open; and the user profiles that could not be read (left out). A profile named on the
/// command line that cannot be read is an error.
type FoundProfiles = (Vec<Profile>, Option<usize>, Vec<Diagnostic>);

fn load_profiles(options: &Options, catalog: &Catalog) -> Result<FoundProfiles, Vec<Diagnostic>> {
    let (mut profiles, problems) = registry::all_profiles(catalog);
    let Some(arg) = &options.app else {
        return Ok((profiles, None, problems));
    };
    let profile = registry::resolve(arg, catalog)?;
    let index = match profiles.iter().position(|p| p.app.id == profile.app.id) {
        Some(index) => {
            profiles[index] = profile;
            index
        }
        None => {
            profiles.push(profile);
            profiles.len() - 1
        }
    };
    Ok((profiles, Some(index), problems))
}

/// The saved state of an app (or `--state` for the one opened); in demo mode, defaults and
/// no file at all.
fn load_entry(profile: &Profile, options: &Options, opened: bool) -> Entry {
    let defaults = Entry::defaults(profile);
    if options.demo {
        return defaults;
    }
    let path = match (&options.state, opened) {
        (Some(path), true) => Some(path.clone()),
        _ => store::default_state_path(&profile.app.id),
    };
    let Some(path) = path else {
        return defaults;
    };
    match store::load(profile, &path) {
        Loaded::Missing => Entry {
            state_path: Some(path),
            ..defaults
        },
        Loaded::Found(selection) => Entry {
            saved: selection.clone(),
            selection,
            state_path: Some(path),
            load_error: None,
        },
        Loaded::Unreadable(problem) => Entry {
            state_path: Some(path),
            load_error: Some(problem.to_string()),
            ..defaults
        },
    }
}

/// Why the event loop ended.
enum Exit {
    Quit,
    Reload,
}

/// Draw, wait for an event, act; redraw only when something changed. Blocking on the next
/// event means an idle auditor uses no CPU.
fn event_loop(
    guard: &mut TerminalGuard,
    app: &mut App<'_>,
    theme: &Theme,
    memory_path: Option<&std::path::Path>,
    carry: &mut Carry,
) -> anyhow::Result<Exit> {
    let mut hits = ui::Hits::default();
    let mut dirty = true;
    // crossterm starts listening for window resizes when its event source is first used: a
    // resize between the first frame and the first read would be lost (and the first frame
    // drawn for the old size kept), so the source is started before anything is drawn.
    crossterm::event::poll(std::time::Duration::ZERO).context("reading the terminal")?;
    loop {
        if dirty {
            guard
                .terminal
                .draw(|frame| hits = ui::render(app, theme, frame))
                .context("drawing the screen")?;
            app.scroll_room = hits.scroll.unwrap_or(app::ScrollRoom { max: 0, page: 1 });
            dirty = false;
            // Lets the pseudo-terminal tests check that a panic restores the terminal;
            // debug builds only.
            #[cfg(debug_assertions)]
            if std::env::var_os("PRIVAUDIT_TEST_PANIC").is_some() {
                panic!("PRIVAUDIT_TEST_PANIC is set");
            }
        }
        let action = match crossterm::event::read().context("reading the terminal")? {
            Event::Key(key) if key.kind == KeyEventKind::Press => keys::action_for_key(app, key),
            // A click maps to a row of the screen under a popup, not to the popup's own
            // rows: while one is open, the mouse does nothing.
            Event::Mouse(mouse) if app.overlay.is_none() => keys::action_for_mouse(&hits, mouse),
            Event::Resize(..) => {
                dirty = true;
                None
            }
            _ => None,
        };
        let Some(action) = action else { continue };
        // With the "too small" notice on screen, keys must not change what cannot be seen.
        if hits.too_small
            && !matches!(
                action,
                Action::Back | Action::Quit | Action::Suspend | Action::Redraw
            )
        {
            continue;
        }
        dirty = true;
        match app.update(action) {
            Effect::None => {}
            Effect::Quit => {
                remember(app, memory_path, carry);
                return Ok(Exit::Quit);
            }
            Effect::Suspend => guard.suspend().context("suspending and resuming")?,
            Effect::Save => save(app),
            Effect::Export => export(app),
            // A full redraw without Terminal::clear, which first asks the terminal where
            // its cursor is and gives up (ending the auditor) when a terminal does not
            // answer: a resize to the same size clears and forgets the last frame.
            Effect::Redraw => {
                let size = guard
                    .terminal
                    .size()
                    .context("reading the terminal's size")?;
                guard
                    .terminal
                    .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
                    .context("clearing the screen")?;
            }
            Effect::Reload => {
                remember(app, memory_path, carry);
                return Ok(Exit::Reload);
            }
        }
        remember(app, memory_path, carry);
    }
}

/// Write what the interface remembers when it changed, merged into the file as it is now
/// (never in a demo, nor over a file that could not be read at start: no path).
fn remember(app: &mut App<'_>, path: Option<&std::path::Path>, carry: &mut Carry) {
    let Some(path) = path else { return };
    if app.memory == carry.saved_memory {
        return;
    }
    match app.memory.save_merged(&carry.saved_memory, path) {
        Ok(()) => {
            carry.saved_memory = app.memory.clone();
            carry.memory_failed = false;
        }
        // The base stays what was last written, so the next action tries the same
        // changes again (a write that failed on a full disk is not lost); said once.
        Err(e) if !carry.memory_failed => {
            carry.memory_failed = true;
            app.status = Some((
                save_failed(path, &crate::i18n::io_error(&e, app.lang), app.lang),
                true,
            ));
        }
        Err(_) => {}
    }
}

/// "Could not save: PATH: why", with the colons of the language.
fn save_failed(path: &std::path::Path, why: &str, lang: Lang) -> String {
    let colon = ui::colon(lang);
    format!(
        "{}{colon}{}{colon}{why}",
        Msg::SaveFailed.text(lang),
        path.display()
    )
}

/// Save the open app's state, unless its saved state could not be read (then it is left
/// untouched) or this is a demo.
pub fn save(app: &mut App<'_>) {
    let entry = &app.entries[app.current];
    if app.demo || entry.load_error.is_some() {
        return;
    }
    let Some(path) = entry.state_path.clone() else {
        return;
    };
    let lang = app.lang;
    let profile = app.profile();
    let result = store::save_merged(profile, &entry.saved, &entry.selection, &path);
    // What the action itself said (what changed, what was undone) comes first.
    let said = match (&app.status, app.said) {
        (Some((text, false)), true) => format!("{text}{}", crate::i18n::clause_sep(lang)),
        _ => String::new(),
    };
    app.status = Some(match result {
        Ok(saved) => {
            let mut text = format!(
                "{said}{}{}{}",
                Msg::Saved.text(lang),
                ui::colon(lang),
                path.display()
            );
            if saved.merged > 0 {
                text.push_str(&crate::i18n::merged_note(saved.merged, lang));
            }
            let overridden: Vec<&str> = saved
                .overridden
                .iter()
                .map(|&i| profile.settings[i].label.get(lang))
                .collect();
            let warn = !overridden.is_empty();
            if warn {
                text.push_str(Msg::OverrodeOtherWindow.text(lang));
                text.push_str(&overridden.join(match lang {
                    Lang::En => ", ",
                    Lang::Zh => "、",
                }));
            }
            let entry = &mut app.entries[app.current];
            entry.selection = saved.selection.clone();
            entry.saved = saved.selection;
            (text, warn)
        }
        Err(e) => {
            let why = match &e {
                store::SaveError::Io(io) => crate::i18n::io_error(io, lang),
                other => other.to_string(),
            };
            (save_failed(&path, &why, lang), true)
        }
    });
}

/// Write the Markdown checklist of the open app and say where.
pub fn export(app: &mut App<'_>) {
    let lang = app.lang;
    let profile = app.profile();
    let Some(dir) = store::export_dir() else {
        return;
    };
    let path = dir.join(format!("{}-checklist.md", profile.app.id));
    let checked = Checked {
        profile,
        report: app.report(),
        state: app.entries[app.current]
            .state_path
            .as_ref()
            .map(|p| p.display().to_string()),
        key: None,
    };
    let text = markdown::render(
        &checked,
        Style {
            lang,
            color: false,
            catalog: app.catalog,
        },
    );
    app.status = Some(match store::save_atomic(&path, &text) {
        Ok(()) => (
            format!(
                "{}{}{}",
                Msg::ExportedTo.text(lang),
                ui::colon(lang),
                path.display()
            ),
            false,
        ),
        Err(e) => (
            save_failed(&path, &crate::i18n::io_error(&e, lang), lang),
            true,
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(text: &str) -> Profile {
        let source = crate::source::SourceText::from_string("test.toml", text);
        crate::profile::parse_profile(&source, catalog::builtin(), "test.toml", false).unwrap()
    }

    #[test]
    fn an_undo_list_carried_over_a_reload_keeps_what_still_exists() {
        let text = include_str!("../../profiles/duoshan.toml");
        let before = profile(text);
        let change = |setting: usize, with_previous| app::Change {
            setting,
            before: (None, None),
            after: (Some(1), None),
            with_previous,
        };
        let changes = [change(0, false), change(1, true), change(2, false)];
        let carried: Vec<CarriedChange> = changes
            .iter()
            .map(|c| CarriedChange {
                setting: before.settings[c.setting].id.clone(),
                before: name_value(&before, c.setting, &c.before),
                after: name_value(&before, c.setting, &c.after),
                with_previous: c.with_previous,
            })
            .collect();
        // The same profile: everything comes back as it was.
        assert_eq!(bind_undo(&before, &carried), changes);
        // The first setting removed from the file: its change is dropped, and the change
        // chained to it no longer reaches into the one before.
        let first = &before.settings[0].id;
        let start = text.find("[[settings]]").unwrap();
        let end = start + 1 + text[start + 1..].find("[[settings]]\n").unwrap();
        let edited = profile(&format!("{}{}", &text[..start], &text[end..]));
        assert!(edited.settings.iter().all(|s| &s.id != first));
        let bound = bind_undo(&edited, &carried);
        assert_eq!(bound.len(), 2);
        assert!(!bound[0].with_previous, "{bound:?}");
        assert_eq!(edited.settings[bound[0].setting].id, before.settings[1].id);
    }
}
