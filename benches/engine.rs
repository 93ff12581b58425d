//! Engine benchmarks (divan). Run: `cargo bench --bench engine`.
//!
//! `floor_parse_state` is the least work a check of one state needs (parsing its TOML);
//! `check_state` does the whole per-state job (parse, bind to the profile, audit, render
//! the JSON Lines report), so their ratio is what privaudit adds on top of parsing.

use privaudit::audit::Auditor;
use privaudit::catalog;
use privaudit::date::Date;
use privaudit::registry::builtin_profiles;
use privaudit::report::json::LineCache;
use privaudit::report::{Checked, Detail, Style, json};
use privaudit::source::SourceText;
use privaudit::state::{Selection, parse_state_toml};
use privaudit::text::Lang;

fn main() {
    divan::main();
}

const STATE: &str = "app = \"douyin\"\n[settings]\nrecommend-me-to-people-who-may-know-me = \"off\"\nfollow-list-visibility = \"mutual\"\nlocal-feed = \"on\"\n[waivers.online-status]\nreason = \"my friends like to see me online\"\n";

#[divan::bench(args = ["wechat-read", "douyin", "duoshan", "wechat"])]
fn audit_defaults(bencher: divan::Bencher, app: &str) {
    let catalog = catalog::builtin();
    let profile = builtin_profiles(catalog)
        .unwrap()
        .into_iter()
        .find(|p| p.app.id == app)
        .unwrap();
    let selection = Selection::defaults(&profile);
    let today = Date::new(2026, 11, 23).unwrap();
    let auditor = Auditor::new(&profile, catalog);
    bencher.bench(|| auditor.audit(&selection, today).score);
}

#[divan::bench]
fn floor_parse_state() -> toml::Table {
    toml::from_str(divan::black_box(STATE)).unwrap()
}

#[divan::bench]
fn check_state(bencher: divan::Bencher) {
    let catalog = catalog::builtin();
    let profile = builtin_profiles(catalog)
        .unwrap()
        .into_iter()
        .find(|p| p.app.id == "douyin")
        .unwrap();
    let today = Date::new(2026, 11, 23).unwrap();
    let style = Style {
        lang: Lang::En,
        color: false,
        catalog,
    };
    let auditor = Auditor::new(&profile, catalog);
    let cache = LineCache::new(&auditor, style, Detail::Full);
    bencher.bench(|| {
        let source = SourceText::from_string("state.toml", divan::black_box(STATE));
        let state = parse_state_toml(&source).unwrap();
        let selection = state.bind(&profile).unwrap();
        let checked = Checked {
            profile: &profile,
            report: auditor.audit(&selection, today),
            state: Some(source.name.clone()),
            key: None,
        };
        json::line(&checked, style, Some(&cache))
    });
}

#[divan::bench]
fn load_builtin_profiles() -> usize {
    builtin_profiles(catalog::builtin()).unwrap().len()
}
