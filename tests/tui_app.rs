//! The auditor's update logic, driven without a terminal: actions in, state and effects out.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use privaudit::date::Date;
use privaudit::profile::Switch;
use privaudit::state::Selection;
use privaudit::text::Lang;
use privaudit::tui::app::{Action, App, Effect, Overlay, Screen};
use privaudit::tui::keys::{self, Context, action_for_key, bindings};
use privaudit::tui::memory::{Memory, UiLang};
use privaudit::tui::ui::footer;
use unicode_width::UnicodeWidthStr;

fn help(app: &App<'_>) -> Vec<(String, &'static str)> {
    keys::help_rows(app)
}

fn app(demo: bool) -> App<'static> {
    common::tui_app(Lang::En, demo)
}

fn press(app: &mut App<'_>, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        if let Some(action) =
            action_for_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
        {
            effects.push(app.update(action));
        }
    }
    effects
}

/// Put the dashboard cursor on the setting with this id.
fn select(app: &mut App<'_>, id: &str) -> usize {
    let row = app
        .order
        .iter()
        .position(|&s| app.profile().settings[s].id == id)
        .unwrap();
    app.update(Action::Select(row));
    app.selected_setting()
}

fn ctrl(app: &mut App<'_>, c: char) -> Option<Action> {
    action_for_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn status(app: &App<'_>) -> String {
    app.status
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default()
}

fn key(app: &mut App<'_>, code: KeyCode) -> Effect {
    let action = action_for_key(app, KeyEvent::new(code, KeyModifiers::NONE)).expect("mapped");
    app.update(action)
}

#[test]
fn walking_through_wechat_read_changes_what_has_a_switch_and_notes_the_rest() {
    let mut app = app(false);
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::None);
    assert_eq!(app.screen, Screen::Dashboard);
    assert_eq!(app.profile().app.id, "wechat-read");
    assert_eq!(app.report().score, 0);
    press(&mut app, "w");
    assert_eq!(app.screen, Screen::Walk);
    assert_eq!(app.walk.steps.len(), 5);
    // 3.3.0 had no switch for the friend import (asked once at login), the automatic
    // follows, the reading shown to friends or the leaderboard: `n` notes them and changes
    // nothing. Private reading has a switch: `d` changes it, and the change is saved.
    let steps: Vec<&str> = app
        .walk
        .steps
        .iter()
        .map(|&i| app.profile().settings[i].id.as_str())
        .collect();
    assert_eq!(
        steps,
        [
            "wechat-friend-import",
            "auto-follow-friends",
            "reading-info-to-friends",
            "private-reading",
            "reading-time-leaderboard"
        ]
    );
    // `d` by habit on a step without a switch changes nothing and stays on the step.
    assert_eq!(press(&mut app, "d"), [Effect::None]);
    assert_eq!(app.walk.pos, 0);
    assert!(app.status.as_ref().unwrap().1, "and says why");
    let effects = press(&mut app, "nnndn");
    assert_eq!(
        effects,
        [
            Effect::None,
            Effect::None,
            Effect::None,
            Effect::Save,
            Effect::None
        ],
        "only a real change is saved"
    );
    assert_eq!(app.screen, Screen::Summary);
    assert_eq!(app.walk.score_before, 0);
    let report = app.report();
    assert!(report.score > 0 && report.score < 100);
    let open: Vec<&str> = report.findings.iter().map(|f| f.setting).collect();
    assert_eq!(
        open,
        [
            "wechat-friend-import",
            "auto-follow-friends",
            "reading-info-to-friends",
            "reading-time-leaderboard"
        ],
        "noting a step without a switch does not pretend it was fixed"
    );
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Dashboard);
    assert_eq!(key(&mut app, KeyCode::Char('e')), Effect::Export);
}

#[test]
fn keep_asks_for_a_reason_and_an_optional_expiry() {
    let mut app = app(false);
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.profile().app.id, "douyin");
    press(&mut app, "wx");
    assert_eq!(
        app.overlay,
        Some(Overlay::Reason {
            text: String::new()
        })
    );
    // Letters typed into the prompt are text, not commands ("q" does not quit).
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::None);
    assert!(app.status.as_ref().unwrap().1, "an empty reason is refused");
    press(&mut app, "my friends, quietly");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Expiry { .. })));
    press(&mut app, "2027-02-30");
    key(&mut app, KeyCode::Enter);
    assert!(
        matches!(app.overlay, Some(Overlay::Expiry { .. })),
        "an impossible date is refused"
    );
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    press(&mut app, "2027-06-30");
    let setting = app.walk.steps[0];
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    let waiver = app.entries[app.current].selection.waivers[setting]
        .clone()
        .unwrap();
    assert_eq!(waiver.reason, "my friends, quietly");
    assert_eq!(waiver.expires, Date::new(2027, 6, 30));
    assert_eq!(app.walk.pos, 1);
    // s skips, b goes back to the step just kept.
    press(&mut app, "s");
    assert_eq!(app.walk.pos, 2);
    press(&mut app, "bb");
    assert_eq!(app.walk.pos, 0);
    let report = app.report();
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.index == setting && f.waived())
    );
}

#[test]
fn demo_mode_writes_nothing_and_resets() {
    let mut app = app(true);
    key(&mut app, KeyCode::Enter);
    press(&mut app, "wsssdq");
    assert_eq!(
        app.screen,
        Screen::Summary,
        "q stops the walk at its summary"
    );
    assert!(app.report().score > 0);
    assert_eq!(
        key(&mut app, KeyCode::Char('e')),
        Effect::None,
        "no export in demo mode"
    );
    assert!(app.status.as_ref().unwrap().0.contains("Demo mode"));
    press(&mut app, "R");
    assert_eq!(app.screen, Screen::Dashboard);
    assert_eq!(app.report().score, 0);
    assert_eq!(app.entries[0].selection, Selection::defaults(app.profile()));
}

#[test]
fn reset_is_only_for_demos() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    select(&mut app, "private-reading");
    assert_eq!(press(&mut app, "d"), [Effect::Save]);
    let before = app.entries[0].selection.clone();
    press(&mut app, "R");
    assert_eq!(app.entries[0].selection, before);
}

#[test]
fn picker_filters_as_you_type_in_either_language() {
    let mut app = app(false);
    press(&mut app, "/dou");
    assert_eq!(app.filtered().len(), 1);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.filtered().len(), 4);
    press(&mut app, "/");
    app.update(Action::Input('微'));
    app.update(Action::Input('信'));
    let ids: Vec<_> = app
        .filtered()
        .iter()
        .map(|&i| app.auditors[i].profile.app.id.clone())
        .collect();
    assert_eq!(ids, ["wechat-read", "wechat"]);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.profile().app.id, "wechat");
}

#[test]
fn q_goes_back_and_quits_from_the_top() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    press(&mut app, "r");
    assert_eq!(app.screen, Screen::Rulings);
    assert_eq!(key(&mut app, KeyCode::Char('q')), Effect::None);
    assert_eq!(app.screen, Screen::Dashboard);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Picker);
    assert_eq!(key(&mut app, KeyCode::Char('q')), Effect::Quit);
    let ctrl_c = action_for_key(
        &app,
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    );
    assert_eq!(ctrl_c, Some(Action::Quit));
}

#[test]
fn language_switch_and_help_overlay() {
    let mut app = app(false);
    press(&mut app, "L");
    assert_eq!(app.lang, Lang::Zh);
    press(&mut app, "?");
    assert_eq!(app.overlay, Some(Overlay::Help));
    press(&mut app, "x");
    assert_eq!(app.overlay, None);
    assert_eq!(
        app.screen,
        Screen::Picker,
        "the key that closes help does nothing else"
    );
}

#[test]
fn choosing_a_value_states_it_and_fixing_takes_the_recommendation() {
    let mut app = app(false);
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    // Douyin: settings with no known default start unassessed; the chooser states one.
    let unknown = app.report().unassessed.len();
    assert_eq!(unknown, 3);
    select(&mut app, "local-feed");
    assert_eq!(press(&mut app, "cj"), [Effect::None, Effect::None]);
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    assert_eq!(app.report().unassessed.len(), 2);
    let f = app
        .report()
        .findings
        .iter()
        .find(|f| f.setting == "local-feed")
        .map(|f| f.by_default);
    assert_eq!(
        f,
        Some(false),
        "a value the user states is their choice, not a default"
    );
    press(&mut app, "d");
    assert!(
        app.report()
            .findings
            .iter()
            .all(|f| f.setting != "local-feed")
    );
}

#[test]
fn page_keys_scroll_the_details_and_a_new_selection_starts_at_the_top() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.detail_scroll, 10);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.detail_scroll, 5);
    key(&mut app, KeyCode::Down);
    assert_eq!(
        app.detail_scroll, 0,
        "another setting's details start at the top"
    );
}

#[test]
fn the_chooser_lists_every_option_marks_the_current_one_and_esc_changes_nothing() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    let setting = select(&mut app, "private-reading");
    let options = app.profile().settings[setting].options.len();
    press(&mut app, "c");
    assert_eq!(
        app.overlay,
        Some(Overlay::Chooser { setting, row: 0 }),
        "nothing chosen yet: the cursor on \"not set\""
    );
    let rows = privaudit::tui::ui::chooser_rows(&app, setting);
    assert_eq!(rows.len(), options + 1);
    assert!(rows[0].0 && rows[0].1.starts_with("not set (the app's default)"));
    assert!(rows[1..].iter().all(|(current, _)| !current));
    // Every option with what it sends.
    for (row, option) in rows[1..]
        .iter()
        .zip(&app.profile().settings[setting].options)
    {
        assert!(row.1.starts_with(option.label.en.as_str()), "{}", row.1);
    }
    press(&mut app, "G");
    assert_eq!(key(&mut app, KeyCode::Esc), Effect::None);
    assert_eq!(app.overlay, None);
    assert_eq!(
        app.entries[0].selection.chosen[setting], None,
        "Esc cancels"
    );
    // Pick the last option; the chooser opens on it next time, marked current.
    press(&mut app, "cG");
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    assert_eq!(app.entries[0].selection.chosen[setting], Some(options - 1));
    press(&mut app, "c");
    assert_eq!(
        app.overlay,
        Some(Overlay::Chooser {
            setting,
            row: options
        })
    );
    assert!(privaudit::tui::ui::chooser_rows(&app, setting)[options].0);
    // "not set" gives the setting back to the app's default.
    press(&mut app, "g");
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    assert_eq!(app.entries[0].selection.chosen[setting], None);
    // Picking what is already set changes nothing and saves nothing.
    press(&mut app, "c");
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::None);
}

#[test]
fn undo_takes_back_changes_one_by_one_and_says_what_it_undid() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    let setting = select(&mut app, "private-reading");
    let start = app.entries[0].selection.clone();
    let s = app.profile().settings[setting].clone();
    let (label, rec) = (&s.label, &s.options[s.recommended].label);
    assert_eq!(press(&mut app, "d"), [Effect::Save]);
    assert_eq!(
        status(&app),
        format!(
            "Changed: {}: not set (the app's default) -> {}",
            label.en, rec.en
        ),
        "d says what it changed"
    );
    press(&mut app, "cg");
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    assert_eq!(press(&mut app, "u"), [Effect::Save], "an undo is saved");
    assert_eq!(
        status(&app),
        format!(
            "Undid: {}: not set (the app's default) -> {}",
            label.en, rec.en
        )
    );
    assert_eq!(
        app.entries[0].selection.chosen[setting],
        Some(s.recommended)
    );
    assert_eq!(press(&mut app, "u"), [Effect::Save]);
    assert_eq!(
        app.entries[0].selection, start,
        "two undos, two changes back"
    );
    assert_eq!(press(&mut app, "u"), [Effect::None]);
    assert_eq!(status(&app), "Nothing to undo for this app");
    // In Chinese, in Chinese words and punctuation.
    press(&mut app, "dL");
    press(&mut app, "u");
    assert_eq!(
        status(&app),
        format!("已撤销“{}”：{} → 未设置（沿用应用默认）", label.zh, rec.zh)
    );
}

#[test]
fn undo_takes_back_a_kept_exposure_and_returns_to_its_step() {
    let mut app = app(false);
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "wx");
    press(&mut app, "ok");
    key(&mut app, KeyCode::Enter);
    let setting = app.walk.steps[0];
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    assert_eq!(app.walk.pos, 1);
    assert!(app.entries[1].selection.waivers[setting].is_some());
    assert_eq!(press(&mut app, "u"), [Effect::Save]);
    assert!(app.entries[1].selection.waivers[setting].is_none());
    assert_eq!(app.walk.pos, 0, "back on the step whose change was undone");
    assert!(status(&app).starts_with("Undid: "), "{}", status(&app));
    assert!(status(&app).contains("(kept) ->"), "{}", status(&app));
}

#[test]
fn no_screen_offers_i_changed_it_for_a_setting_without_a_switch() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    // The dashboard opens on a setting this version has no switch for.
    let setting = app.selected_setting();
    assert_ne!(app.profile().settings[setting].switch, Switch::InApp);
    let footer = footer::text(&app, 200);
    assert!(!footer.contains("d recommended"), "{footer}");
    assert!(
        help(&app)
            .iter()
            .all(|(k, _)| !k.split('/').any(|k| k == "d"))
    );
    // `d` by habit: nothing changes, no walk is moved or shown, and it says why.
    assert_eq!(press(&mut app, "d"), [Effect::None]);
    assert_eq!(app.screen, Screen::Dashboard);
    assert_eq!(app.walk.steps.len(), 0);
    assert!(status(&app).contains("no switch"));
    // In the walk-through: "noted" and "skip", not "I changed it"; the step says what to
    // do instead.
    press(&mut app, "w");
    for lang in [Lang::En, Lang::Zh] {
        app.lang = lang;
        let footer = footer::text(&app, 200);
        assert!(
            !footer.contains("I changed it") && !footer.contains("我已修改"),
            "{footer}"
        );
        assert!(
            footer.contains("n noted") || footer.contains("n 知道了"),
            "{footer}"
        );
        assert!(
            footer.contains("s skip") || footer.contains("s 跳过"),
            "{footer}"
        );
        assert!(
            help(&app)
                .iter()
                .all(|(_, what)| !what.contains("I changed it") && !what.contains("我已修改"))
        );
    }
    app.lang = Lang::En;
    let step = app.profile().settings[app.walk.steps[0]].clone();
    let how = privaudit::audit::explain::how_to_change(app.profile(), &step, Lang::En);
    assert!(how.contains(step.instead.as_ref().unwrap().en.as_str()));
    // On a step with a switch, "I changed it" is offered and "noted" is not.
    press(&mut app, "nnn");
    assert_eq!(
        app.profile().settings[app.walk.steps[app.walk.pos]].switch,
        Switch::InApp
    );
    let footer = footer::text(&app, 200);
    assert!(
        footer.contains("d I changed it") && !footer.contains("noted"),
        "{footer}"
    );
    // `n` by habit here changes nothing and says which keys do.
    press(&mut app, "n");
    assert_eq!(app.walk.pos, 3);
    let (said, problem) = app.status.clone().unwrap();
    assert!(problem && said.contains("can be changed"), "{said}");
}

#[test]
fn keep_and_move_never_share_a_key_between_dashboard_and_walk() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    for c in ['k', 'j'] {
        let a = action_for_key(&app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        assert!(matches!(a, Some(Action::Up | Action::Down)));
    }
    assert_eq!(
        action_for_key(&app, KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)),
        None
    );
    press(&mut app, "w");
    for c in ['k', 'j', 'K'] {
        let a = action_for_key(&app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        assert_ne!(a, Some(Action::Keep), "{c}");
    }
    // No key is bound twice in a table (for any one state of the app), on any screen.
    for context in Context::ALL {
        let mut seen = Vec::new();
        for binding in bindings(&app, context) {
            for (k, _) in binding.keys {
                assert!(!seen.contains(k), "{k:?} twice in {context:?}");
                seen.push(*k);
            }
        }
    }
}

#[test]
fn footer_and_help_come_from_the_key_table_and_fit() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(false);
        app.lang = lang;
        let help_word = if lang == Lang::En {
            "? help"
        } else {
            "? 帮助"
        };
        let check = |app: &App<'_>| {
            let text = footer::text(app, 80);
            assert!(text.width() <= 80, "{text}");
            if !keys::context(app).typing() && app.overlay.is_none() {
                assert!(text.ends_with(help_word), "{text}");
            }
            // Every key the footer offers does what its table row says.
            for binding in bindings(app, keys::context(app)) {
                if binding.hint.is_some() && binding.help.is_none() {
                    panic!("a footer entry without help: {binding:?}");
                }
            }
        };
        check(&app);
        key(&mut app, KeyCode::Enter);
        check(&app);
        press(&mut app, "w");
        check(&app);
        press(&mut app, "q");
        check(&app);
        press(&mut app, "q");
        press(&mut app, "r");
        check(&app);
        press(&mut app, "/");
        check(&app);
    }
    // The help lists the screen's own keys: the walk's keep is not on the dashboard's.
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    press(&mut app, "?");
    let dashboard = help(&app);
    assert!(dashboard.iter().any(|(k, _)| k == "c"));
    assert!(dashboard.iter().all(|(k, _)| k != "x"));
    press(&mut app, " w?");
    let walk = help(&app);
    assert!(walk.iter().any(|(k, w)| k == "x" && w.contains("reason")));
    assert!(walk.iter().all(|(k, _)| k != "c"));
}

#[test]
fn ctrl_l_redraws_and_ctrl_r_reloads() {
    let mut app = app(false);
    let redraw = ctrl(&mut app, 'l').unwrap();
    assert_eq!(app.update(redraw), Effect::Redraw);
    let reload = ctrl(&mut app, 'r').unwrap();
    assert_eq!(app.update(reload), Effect::Reload);
    key(&mut app, KeyCode::Enter);
    let reload = ctrl(&mut app, 'r').unwrap();
    assert_eq!(app.update(reload), Effect::Reload);
}

#[test]
fn demo_mode_is_marked_everywhere_offers_no_export_and_returns_no_save() {
    let mut app = app(true);
    let mut effects = Vec::new();
    let footer_marked = |app: &App<'_>| {
        let text = footer::text(app, 80);
        assert!(text.starts_with(" DEMO "), "{text}");
        assert!(!text.contains("export"), "{text}");
    };
    footer_marked(&app);
    effects.push(key(&mut app, KeyCode::Enter));
    footer_marked(&app);
    assert!(help(&app).iter().all(|(k, _)| k != "e"));
    effects.extend(press(&mut app, "cj"));
    effects.push(key(&mut app, KeyCode::Enter));
    effects.extend(press(&mut app, "uwsdxok"));
    footer_marked(&app);
    effects.push(key(&mut app, KeyCode::Enter));
    effects.push(key(&mut app, KeyCode::Enter));
    effects.extend(press(&mut app, "q"));
    footer_marked(&app);
    assert_eq!(app.screen, Screen::Summary);
    effects.extend(press(&mut app, "e"));
    assert_eq!(status(&app), "Demo mode: nothing is written", "e says why");
    effects.extend(press(&mut app, "qr"));
    footer_marked(&app);
    assert!(
        effects.iter().all(|e| *e == Effect::None),
        "a demo saves and exports nothing: {effects:?}"
    );
    assert_ne!(
        app.entries[0].selection,
        Selection::defaults(app.auditors[0].profile),
        "the demo changed things, in memory only"
    );
    // R in the picker resets every app, and says so.
    press(&mut app, "qq");
    assert_eq!(app.screen, Screen::Picker);
    press(&mut app, "R");
    assert_eq!(status(&app), "Every app reset to its defaults");
    assert!(
        app.entries
            .iter()
            .enumerate()
            .all(|(i, e)| e.selection == Selection::defaults(app.auditors[i].profile))
    );
    assert!(app.memory.skipped.is_empty());
}

#[test]
fn skipped_steps_stay_skipped_when_the_walk_resumes_and_w_restarts() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    press(&mut app, "w");
    let steps = app.walk.steps.clone();
    assert_eq!(steps.len(), 5);
    press(&mut app, "sn");
    assert_eq!(app.walk.pos, 2);
    // Leave, and come back: the same step, the same walk.
    press(&mut app, "qq");
    assert_eq!(app.screen, Screen::Dashboard);
    press(&mut app, "w");
    assert_eq!((app.screen, app.walk.pos), (Screen::Walk, 2));
    let ids = |app: &App<'_>, steps: &[usize]| -> Vec<String> {
        steps
            .iter()
            .map(|&i| app.profile().settings[i].id.clone())
            .collect()
    };
    let skipped: Vec<String> = app.memory.skipped["wechat-read"].iter().cloned().collect();
    let mut expected = ids(&app, &steps[..2]);
    expected.sort();
    assert_eq!(skipped, expected, "skipped and noted steps are remembered");
    // Finish the walk; a new one leaves the skipped ones out.
    press(&mut app, "sds");
    assert_eq!(app.screen, Screen::Summary);
    press(&mut app, "w");
    assert_eq!(app.screen, Screen::Summary, "only skipped steps are left");
    assert!(status(&app).contains("W starts over"), "{}", status(&app));
    // W brings them all back, from the first.
    press(&mut app, "W");
    assert_eq!(app.screen, Screen::Walk);
    assert_eq!(app.walk.pos, 0);
    assert_eq!(
        app.walk.steps.len(),
        4,
        "the fixed one is gone, the skipped ones are back"
    );
    assert!(!app.memory.skipped.contains_key("wechat-read"));
}

#[test]
fn the_auditor_remembers_the_language_and_the_last_app() {
    let mut app = app(false);
    press(&mut app, "jj");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.memory.last_app.as_deref(), Some("duoshan"));
    press(&mut app, "L");
    assert_eq!(app.memory.lang, Some(UiLang::Zh));
    // The file: written atomically, read back the same.
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("ui.toml");
    app.memory
        .skipped
        .entry("douyin".into())
        .or_default()
        .insert("local-feed".into());
    app.memory.save(&path).unwrap();
    let (back, problem) = Memory::load(&path);
    assert_eq!(problem, None);
    assert_eq!(back, app.memory);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("last-app = \"duoshan\""), "{text}");
    // Nothing there: nothing remembered, no problem.
    assert_eq!(
        Memory::load(&dir.path().join("none.toml")),
        (Memory::default(), None)
    );
    // A broken file is ignored, with its file, line and column.
    for broken in [
        "lang = \"fr\"\n",
        "last-app = [\n",
        "\u{0}\u{1}binary",
        "skipped = 3\n",
    ] {
        std::fs::write(&path, broken).unwrap();
        let (memory, problem) = Memory::load(&path);
        assert_eq!(memory, Memory::default());
        let problem = problem.expect("a problem");
        assert!(problem.contains("ui.toml"), "{problem}");
    }
}

#[test]
fn search_narrows_the_dashboard_and_the_rulings_as_you_type() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    let all = app.order.len();
    press(&mut app, "/priv");
    assert!(app.typing(), "letters are text while searching");
    assert_eq!(app.order.len(), 1);
    assert_eq!(
        app.profile().settings[app.selected_setting()].id,
        "private-reading"
    );
    key(&mut app, KeyCode::Enter);
    assert!(!app.typing());
    assert_eq!(app.order.len(), 1, "Enter keeps the search");
    assert!(footer::text(&app, 100).contains("Search: priv"));
    press(&mut app, "d");
    assert!(
        app.report()
            .findings
            .iter()
            .all(|f| f.setting != "private-reading")
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.order.len(), all, "Esc clears it");
    assert_eq!(app.screen, Screen::Dashboard);
    // In Chinese, and by id; no match leaves nothing selected (and d does nothing).
    press(&mut app, "/");
    app.update(Action::Input('私'));
    app.update(Action::Input('密'));
    assert_eq!(app.order.len(), 1);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.order.len(), all);
    press(&mut app, "/zzz");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.selected(), None);
    let before = app.entries[0].selection.clone();
    press(&mut app, "dc");
    assert_eq!(app.overlay, None, "no chooser for no setting");
    assert_eq!(app.entries[0].selection, before);
    press(&mut app, "q");
    // The rulings browser: rulings by title or case number, articles by citation.
    press(&mut app, "r");
    let every = app.rulings_visible().len();
    press(&mut app, "/");
    for c in "Huang".chars() {
        app.update(Action::Input(c));
    }
    let found = app.rulings_visible();
    assert!(!found.is_empty() && found.len() < every);
    for &i in &found {
        assert!(app.catalog.rulings[i].title.get(Lang::En).contains("Huang"));
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.ruling_item(), Some(found[0]));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.rulings_visible().len(), every);
    assert_eq!(app.screen, Screen::Rulings);
}

/// Open WeChat Read and start its walk; the first step (a switch) is at `app.walk.pos`.
fn walking(app: &mut App<'_>) {
    key(app, KeyCode::Enter);
    press(app, "w");
    assert_eq!(app.screen, Screen::Walk);
}

#[test]
fn a_keep_date_already_past_is_refused_and_esc_says_nothing_was_kept() {
    let mut app = app(false);
    walking(&mut app);
    let step = app.walk.steps[app.walk.pos];
    press(&mut app, "xshared");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "2020-01-01");
    key(&mut app, KeyCode::Enter);
    let (said, problem) = app.status.clone().unwrap();
    assert!(problem && said.contains("passed"), "{said}");
    assert!(matches!(app.overlay, Some(Overlay::Expiry { .. })));
    assert!(app.entries[app.current].selection.waivers[step].is_none());
    // Esc: the keep is dropped, and said so.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, None);
    assert!(app.status.clone().unwrap().0.contains("Not kept"));
    // Today itself is the last day a waiver counts: accepted, and said as a keep.
    press(&mut app, "xshared");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "2026-11-23");
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    let said = app.status.clone().unwrap().0;
    assert!(
        said.starts_with("Kept: ") && said.contains("reason: shared; until 2026-11-23"),
        "{said}"
    );
}

#[test]
fn a_status_line_is_cleared_by_moving_on() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    press(&mut app, "d");
    assert!(app.status.is_some(), "d says what it changed");
    press(&mut app, "j");
    assert_eq!(app.status, None, "moving to another row clears it");
}

#[test]
fn a_resumed_walk_leaves_out_steps_settled_meanwhile() {
    let mut app = app(false);
    walking(&mut app);
    let steps = app.walk.steps.clone();
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Dashboard);
    // Fix, on the dashboard, the first step that has a switch; then resume.
    let fixed = *steps
        .iter()
        .find(|&&s| app.profile().settings[s].switch == Switch::InApp)
        .unwrap();
    let row = app.order.iter().position(|&s| s == fixed).unwrap();
    app.update(Action::Select(row));
    press(&mut app, "d");
    press(&mut app, "w");
    assert_eq!(app.screen, Screen::Walk);
    assert!(
        !app.walk.steps.contains(&fixed),
        "the fixed setting is not offered again: {:?}",
        app.walk.steps
    );
    assert_eq!(app.walk.steps.len(), steps.len() - 1);
}

#[test]
fn quitting_with_changes_that_could_not_be_saved_asks_twice() {
    let mut app = app(false);
    // A change whose save failed: the selection differs from what is on disk.
    app.entries[0].selection.chosen[0] = Some(1);
    assert_eq!(app.unsaved(), 1);
    assert_eq!(press(&mut app, "q"), [Effect::None]);
    let (said, problem) = app.status.clone().unwrap();
    assert!(problem && said.contains("could not be saved"), "{said}");
    assert_eq!(press(&mut app, "q"), [Effect::Quit]);
    // Anything in between asks again.
    let mut app = app_with_unsaved();
    press(&mut app, "q");
    press(&mut app, "j");
    assert_eq!(press(&mut app, "q"), [Effect::None]);
    // A demo has nothing to lose.
    let mut demo = common::tui_app(Lang::En, true);
    demo.entries[0].selection.chosen[0] = Some(1);
    assert_eq!(press(&mut demo, "q"), [Effect::Quit]);
}

fn app_with_unsaved() -> App<'static> {
    let mut app = app(false);
    app.entries[0].selection.chosen[0] = Some(1);
    app
}

#[test]
fn j_and_k_scroll_a_walk_step_a_line_at_a_time() {
    let mut app = app(false);
    walking(&mut app);
    app.scroll_room = privaudit::tui::app::ScrollRoom { max: 3, page: 10 };
    press(&mut app, "jjjjj");
    assert_eq!(app.detail_scroll, 3, "no further than the end");
    press(&mut app, "k");
    assert_eq!(app.detail_scroll, 2);
    assert_eq!(app.screen, Screen::Walk);
}

#[test]
fn a_demo_reset_is_undone_in_one_step() {
    let mut app = common::tui_app(Lang::En, true);
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.profile().app.id, "douyin");
    press(&mut app, "djdjdjdjdjd");
    let changed = app.entries[app.current].selection.clone();
    let defaults = Selection::defaults(app.profile());
    let differ = (0..defaults.chosen.len())
        .filter(|&i| changed.chosen[i] != defaults.chosen[i])
        .count();
    assert!(differ >= 2, "two settings or more changed: {differ}");
    press(&mut app, "R");
    assert_eq!(
        app.entries[app.current].selection,
        Selection::defaults(app.profile())
    );
    assert_eq!(press(&mut app, "u"), [Effect::None], "a demo saves nothing");
    assert_eq!(app.entries[app.current].selection, changed);
    assert!(app.status.clone().unwrap().0.contains("Undid the reset"));
}

#[test]
fn the_chooser_cannot_set_a_setting_this_version_has_no_switch_for() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    // WeChat Read's reading shown to friends has no switch in 3.3.0 (built in).
    let row = app
        .order
        .iter()
        .position(|&s| app.profile().settings[s].switch == Switch::None)
        .unwrap();
    app.update(Action::Select(row));
    let setting = app.selected().unwrap();
    let default = app.profile().settings[setting].default.unwrap();
    let other = (0..app.profile().settings[setting].options.len())
        .find(|&o| o != default)
        .unwrap();
    press(&mut app, "c");
    for _ in 0..=other {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::None);
    assert!(matches!(app.overlay, Some(Overlay::Chooser { .. })));
    assert!(app.status.clone().unwrap().0.contains("no switch"));
    assert_eq!(app.entries[app.current].selection.chosen[setting], None);
    // Its built-in behaviour can be stated.
    key(&mut app, KeyCode::Esc);
    press(&mut app, "c");
    for _ in 0..=default {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(key(&mut app, KeyCode::Enter), Effect::Save);
    assert_eq!(
        app.entries[app.current].selection.chosen[setting],
        Some(default)
    );
}

#[test]
fn the_picker_lists_versions_of_one_app_together_under_its_name() {
    use privaudit::text::Localized;
    use privaudit::tui::app::Entry;
    use ratatui::{Terminal, backend::TestBackend};
    let mut profiles = common::the_rulings_apps();
    // An older Douyin, listed last (as a user's profile would be).
    let mut older = profiles
        .iter()
        .find(|p| p.app.id == "douyin")
        .unwrap()
        .clone();
    older.app.id = "douyin-old".into();
    older.app.family = "douyin".into();
    older.app.version = Localized::new("4.3.1", "4.3.1");
    profiles.push(older);
    let profiles = Box::leak(profiles.into_boxed_slice());
    let entries = profiles.iter().map(Entry::defaults).collect();
    let mut app = App::new(
        privaudit::catalog::builtin(),
        profiles,
        entries,
        Lang::En,
        false,
        Date::new(2026, 11, 23).unwrap(),
    );
    let ids: Vec<&str> = app
        .filtered()
        .iter()
        .map(|&i| app.auditors[i].profile.app.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["wechat-read", "douyin", "douyin-old", "duoshan", "wechat"]
    );
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| {
            privaudit::tui::ui::render(&app, &privaudit::tui::theme::Theme::plain(), frame);
        })
        .unwrap();
    let screen: Vec<String> = terminal
        .backend()
        .buffer()
        .content
        .chunks(80)
        .map(|row| row.iter().map(|c| c.symbol()).collect())
        .collect();
    let douyin = screen
        .iter()
        .position(|l| l.contains("Douyin /"))
        .unwrap_or_else(|| panic!("{screen:#?}"));
    assert!(screen[douyin + 1].contains("└ same app"), "{screen:#?}");
    assert!(screen[douyin + 1].contains("4.3.1"), "{screen:#?}");
    // Enter on that row opens the older version, not the next profile in file order.
    press(&mut app, "jj");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.profile().app.id, "douyin-old");
}

#[test]
fn esc_closes_the_exposure_map_before_it_leaves_the_app() {
    let mut app = app(false);
    key(&mut app, KeyCode::Enter);
    select(&mut app, "private-reading");
    press(&mut app, "m");
    assert!(app.show_map);
    key(&mut app, KeyCode::Esc);
    assert!(!app.show_map);
    assert_eq!(app.screen, Screen::Dashboard);
    assert_eq!(
        app.profile().settings[app.selected_setting()].id,
        "private-reading"
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Picker);
}
