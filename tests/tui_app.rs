//! The auditor's update logic, driven without a terminal: actions in, state and effects out.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use privaudit::date::Date;
use privaudit::state::Selection;
use privaudit::text::Lang;
use privaudit::tui::app::{Action, App, Effect, Overlay, Screen};
use privaudit::tui::keys::action_for_key;

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
    // follows, the reading shown to friends or the leaderboard: `d` notes them and changes
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
    let effects = press(&mut app, "ddddd");
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
    press(&mut app, "wk");
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
    press(&mut app, "d");
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
fn changing_a_setting_cycles_its_options_and_fixing_takes_the_recommendation() {
    let mut app = app(false);
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    // Douyin: settings with no known default start unassessed; c sets the first option.
    let unknown = app.report().unassessed.len();
    assert_eq!(unknown, 3);
    let row = app
        .order
        .iter()
        .position(|&s| app.profile().settings[s].id == "local-feed")
        .unwrap();
    app.update(Action::Select(row));
    assert_eq!(press(&mut app, "c"), [Effect::Save]);
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
