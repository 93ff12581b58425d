//! Drawing benchmarks (divan). Run: `cargo bench --bench tui`.
//!
//! `draw_dashboard_200x60` draws the dashboard of the largest built-in profile (Douyin:
//! 12 settings, the longest texts) into a 200x60 TestBackend, as one keypress would.
//! `floor_draw_empty_200x60` draws nothing into the same backend: the cost of a frame
//! (buffer reset and diff) that any ratatui program pays.

use privaudit::catalog;
use privaudit::date::Date;
use privaudit::registry::builtin_profiles;
use privaudit::text::Lang;
use privaudit::tui::app::{App, Entry};
use privaudit::tui::theme::Theme;
use privaudit::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

fn app(lang: Lang) -> App<'static> {
    let profiles = Box::leak(
        builtin_profiles(catalog::builtin())
            .unwrap()
            .into_boxed_slice(),
    );
    let entries = profiles.iter().map(Entry::defaults).collect();
    let mut app = App::new(
        catalog::builtin(),
        profiles,
        entries,
        lang,
        false,
        Date::new(2026, 11, 23).unwrap(),
    );
    let douyin = app
        .auditors
        .iter()
        .position(|a| a.profile.app.id == "douyin")
        .unwrap();
    app.open(douyin);
    app
}

#[divan::bench(args = [Lang::En, Lang::Zh])]
fn draw_dashboard_200x60(bencher: divan::Bencher, lang: Lang) {
    let app = app(lang);
    let theme = Theme::default_colors();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    bencher.bench_local(|| {
        terminal
            .draw(|frame| {
                ui::render(&app, &theme, frame);
            })
            .unwrap();
    });
}

#[divan::bench]
fn floor_draw_empty_200x60(bencher: divan::Bencher) {
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    bencher.bench_local(|| {
        terminal.draw(|_frame| {}).unwrap();
    });
}
