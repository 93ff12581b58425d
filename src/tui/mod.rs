//! The interactive auditor. Everything that touches the terminal lives under this module;
//! nothing here decides what is risky (the engine does).

pub mod app;
pub mod keys;
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
    let catalog = catalog::builtin();
    let (profiles, open, skipped) = match load_profiles(options, catalog) {
        Ok(found) => found,
        Err(problems) => return fail_with(&problems),
    };
    let lang = options
        .lang
        .or(config.lang.map(Into::into))
        .unwrap_or_else(config::system_lang);
    let entries = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| load_entry(p, options, open == Some(i)))
        .collect();
    let mut app = App::new(
        catalog,
        &profiles,
        entries,
        lang,
        options.demo,
        Date::today(),
    );
    if let Some(index) = open {
        app.open(index);
    }
    if let Some(problem) = skipped.first() {
        // A broken user profile should not lock a person out of the others: say which file
        // and where, and carry on without it.
        app.status = Some((
            format!("{}: {problem}", Msg::ProfileSkipped.text(lang)),
            true,
        ));
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = Theme::pick(config.theme, no_color);
    let mut guard = match TerminalGuard::enter(config.mouse) {
        Ok(guard) => guard,
        Err(e) => {
            crate::diag::print_error(format_args!("cannot use the terminal: {e}"));
            return Outcome::BadInput;
        }
    };
    match event_loop(&mut guard, &mut app, &theme) {
        Ok(()) => Outcome::Pass,
        Err(e) => {
            drop(guard);
            crate::diag::print_error(format_args!("{e:#}"));
            Outcome::BadInput
        }
    }
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

/// Draw, wait for an event, act; redraw only when something changed. Blocking on the next
/// event means an idle auditor uses no CPU.
fn event_loop(guard: &mut TerminalGuard, app: &mut App<'_>, theme: &Theme) -> anyhow::Result<()> {
    let mut hits = ui::Hits::default();
    let mut dirty = true;
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
            Event::Mouse(mouse) => keys::action_for_mouse(&hits, mouse),
            Event::Resize(..) => {
                dirty = true;
                None
            }
            _ => None,
        };
        let Some(action) = action else { continue };
        dirty = true;
        match app.update(action) {
            Effect::None => {}
            Effect::Quit => return Ok(()),
            Effect::Suspend => guard.suspend().context("suspending and resuming")?,
            Effect::Save => save(app),
            Effect::Export => export(app),
        }
        if action == Action::Quit {
            return Ok(());
        }
    }
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
    app.status = Some(match result {
        Ok(saved) => {
            let mut text = format!("{}: {}", Msg::Saved.text(lang), path.display());
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
        Err(e) => (
            format!("{}: {}: {e}", Msg::SaveFailed.text(lang), path.display()),
            true,
        ),
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
            format!("{} {}", Msg::ExportedTo.text(lang), path.display()),
            false,
        ),
        Err(e) => (
            format!("{}: {}: {e}", Msg::SaveFailed.text(lang), path.display()),
            true,
        ),
    });
}
