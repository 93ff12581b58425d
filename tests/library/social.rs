//! Social, fitness and payment apps offered outside China: Strava (adult and under-18),
//! Venmo, LinkedIn, Facebook and Instagram. Each profile's verdicts at the app's defaults
//! follow the dossier's tags (§3F, §7C-§7E, §7G); and a fictional profile written with the
//! newer vocabulary is judged by the documented rules alone, through the real binary.

use super::{findings_at_defaults, profile, today};
use crate::common::{Env, json, run};
use privaudit::audit::Auditor;
use privaudit::audit::drift::{ChangeKind, Direction, profile_drift};
use privaudit::catalog;
use privaudit::evidence::Evidence;
use privaudit::profile::{LabelKind, Link, Market, Profile, Setting, Switch};
use privaudit::state::Selection;
use privaudit::text::Lang;
use privaudit::vocab::{Audience, DataCategory};
use std::collections::BTreeMap;

/// The built-in profiles this group wrote.
const GROUP: [&str; 6] = [
    "strava",
    "strava-under-18",
    "venmo",
    "linkedin",
    "facebook",
    "instagram",
];

/// Findings at the app's defaults: setting id -> (severity, certainty).
fn verdicts(profile: &Profile) -> BTreeMap<String, (String, String)> {
    findings_at_defaults(profile)
        .into_iter()
        .map(|(setting, severity, certainty)| (setting, (severity, certainty)))
        .collect()
}

fn expected(rows: &[(&str, &str, &str)]) -> BTreeMap<String, (String, String)> {
    rows.iter()
        .map(|(s, sev, cert)| (s.to_string(), (sev.to_string(), cert.to_string())))
        .collect()
}

/// Settings reported as not assessed at the defaults (no default known).
fn unassessed(profile: &Profile) -> Vec<String> {
    let auditor = Auditor::new(profile, catalog::builtin());
    let report = auditor.audit(&Selection::defaults(profile), today());
    report.unassessed.iter().map(|s| s.to_string()).collect()
}

/// Findings of an account state that sets the given options (others at their defaults):
/// setting id -> (severity, whether it is by default).
fn verdicts_with(profile: &Profile, chosen: &[(&str, &str)]) -> BTreeMap<String, (String, bool)> {
    let mut selection = Selection::defaults(profile);
    for (setting, option) in chosen {
        let index = profile
            .settings
            .iter()
            .position(|s| s.id == *setting)
            .unwrap_or_else(|| panic!("{} has no setting {setting}", profile.app.id));
        let option = profile.settings[index]
            .option_index(option)
            .unwrap_or_else(|| panic!("{setting} has no option {option}"));
        selection.chosen[index] = Some(option);
    }
    let auditor = Auditor::new(profile, catalog::builtin());
    let report = auditor.audit(&selection, today());
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.setting.to_owned(),
                (f.severity.id().to_owned(), f.by_default),
            )
        })
        .collect()
}

fn setting<'p>(profile: &'p Profile, id: &str) -> &'p Setting {
    profile
        .setting(id)
        .unwrap_or_else(|| panic!("{} has no setting {id}", profile.app.id))
}

fn default_id<'p>(profile: &'p Profile, id: &str) -> Option<&'p str> {
    setting(profile, id).default_option().map(|o| o.id.as_str())
}

fn option_flows(
    profile: &Profile,
    setting_id: &str,
    option: &str,
) -> Vec<(DataCategory, Audience)> {
    let s = setting(profile, setting_id);
    let i = s.option_index(option).unwrap();
    s.options[i].flows.iter().map(|f| (f.data, f.to)).collect()
}

// ---------------------------------------------------------------------------------------
// What every profile of the group shares
// ---------------------------------------------------------------------------------------

#[test]
fn every_profile_of_the_group_is_offered_outside_china_and_cites_chinese_rulings_only_by_analogy() {
    for id in GROUP {
        let p = profile(id);
        assert_eq!(p.app.market, Some(Market::OutsideChina), "{id}");
        assert_eq!(p.app.reviewed.as_deref(), Some("2026-11-26"), "{id}");
        assert!(!p.app.sources.is_empty(), "{id} names no sources");
        let note = p.app.note.as_ref().expect("an app note");
        assert!(
            note.en.contains("by analogy") && note.en.contains("not binding"),
            "{id}: the app note must say the rulings are persuasive by analogy only"
        );
        assert!(
            note.zh.contains("类比") && note.zh.contains("没有约束力"),
            "{id}"
        );
        for s in &p.settings {
            assert!(!s.sources.is_empty(), "{id}/{}: no sources", s.id);
            for r in &s.rulings {
                assert_eq!(r.link, Link::Analogy, "{id}/{}: {}", s.id, r.id);
            }
            assert!(
                s.laws.iter().any(|l| l == "gdpr-25" || l == "gdpr-7"),
                "{id}/{}: ties to no GDPR article",
                s.id
            );
        }
    }
}

/// Chinese text is Chinese: no English word left but the proper nouns (app, company and
/// product names, a web address, a profile id), and full-width punctuation.
#[test]
fn chinese_text_leaves_no_english_and_uses_full_width_punctuation() {
    const PROPER_NOUNS: [&str; 13] = [
        "linkedin.com/psettings/privacy/email",
        "privaudit",
        "strava-under-18",
        "BuzzFeed News",
        "Instagram",
        "Messenger",
        "Facebook",
        "Outlook",
        "instagram",
        "Strava",
        "Venmo",
        "Metro",
        "Meta",
    ];
    let check = |where_: &str, text: &str| {
        let mut rest = text.to_owned();
        for noun in PROPER_NOUNS {
            rest = rest.replace(noun, "");
        }
        assert!(
            !rest.chars().any(|c| c.is_ascii_alphabetic()),
            "{where_}: English left in Chinese text: {text}"
        );
        for c in [',', ';', '(', ')', '"', '!', '?'] {
            assert!(!rest.contains(c), "{where_}: half-width {c:?} in: {text}");
        }
        assert!(
            !rest.contains(": ") && !rest.contains(". "),
            "{where_}: {text}"
        );
    };
    for id in GROUP {
        let p = profile(id);
        check(id, &p.app.name.zh);
        check(id, &p.app.version.zh);
        check(id, &p.app.note.as_ref().unwrap().zh);
        for s in &p.settings {
            let at = format!("{id}/{}", s.id);
            check(&at, &s.label.zh);
            for crumb in &s.path.zh {
                check(&at, crumb);
            }
            for text in [&s.note, &s.caveat, &s.instead, &s.evidence.default_note]
                .into_iter()
                .flatten()
            {
                check(&at, &text.zh);
            }
            for o in &s.options {
                check(&at, &o.label.zh);
            }
            // Every face quotes labels in “”: a label quoting itself would nest them.
            for label in std::iter::once(&s.label).chain(s.options.iter().map(|o| &o.label)) {
                assert!(!label.zh.contains(['“', '”']), "{at}: {}", label.zh);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Strava
// ---------------------------------------------------------------------------------------

#[test]
fn strava_adult_defaults_expose_routes_and_workouts_to_anyone_on_verified_defaults() {
    let p = profile("strava");
    assert_eq!(p.app.family, "strava");
    assert_eq!(
        verdicts(&p),
        expected(&[
            // Everyone by default [V]: precise location and health to anyone (4 x 4 = 16,
            // high) and a confirmed default raises it.
            ("activities", "critical", "verified"),
            ("group-activities", "critical", "verified"),
            ("flyby", "critical", "verified"),
            // The opt-out model is verified (2018); the data go to Strava for de-identified
            // aggregates (precise location x operator, raised by the default), and that
            // Followers activities feed them rests on one source.
            ("aggregated-data-usage", "medium", "single-source"),
            ("profile-page", "high", "verified"),
            // The adult default is only inferred [U]: not raised, marked unconfirmed.
            ("map-visibility", "high", "unverified"),
        ])
    );
    // The Training Log starts private [V]: a confirmed default that exposes nothing.
    assert_eq!(default_id(&p, "training-log"), Some("private"));
    assert_eq!(
        setting(&p, "training-log").evidence.default,
        Some(Evidence::Verified)
    );
    // No adult default is known for Local Legends or for promoting activities [U].
    assert_eq!(
        unassessed(&p),
        ["local-legends", "promote-activities-to-followers"]
    );
    let map = setting(&p, "map-visibility");
    assert_eq!(map.evidence.default, Some(Evidence::Unverified));
    assert!(map.evidence.default_note.is_some());
}

#[test]
fn strava_heatmap_settings_name_the_2018_event_and_followers_are_unapproved_at_adult_defaults() {
    let p = profile("strava");
    let catalog = catalog::builtin();
    assert!(catalog.event("strava-heatmap-2018").is_some());
    for id in ["activities", "aggregated-data-usage"] {
        assert_eq!(setting(&p, id).events, ["strava-heatmap-2018"], "{id}");
    }
    // Contributing gives routes to Strava for de-identified aggregates: no source says
    // others see your own routes through them, so nobody beyond Strava is named.
    for profile in [&p, &profile("strava-under-18")] {
        assert_eq!(
            option_flows(profile, "aggregated-data-usage", "contribute"),
            [(DataCategory::PreciseLocation, Audience::Operator)]
        );
        let data = setting(profile, "aggregated-data-usage");
        assert_eq!(data.evidence.flows, Evidence::SingleSource);
        assert_eq!(data.evidence.path, Some(Evidence::Unverified));
        let note = data.note.as_ref().unwrap();
        assert!(note.en.contains("military bases") && !note.en.contains("layout"));
        assert!(note.zh.contains("军事基地") && !note.zh.contains("布局"));
        // Who sees a map depends on the Activities setting: the options' audience is assumed.
        let map = setting(profile, "map-visibility");
        assert_eq!(map.evidence.flows, Evidence::Unverified);
    }
    // The adult default rests on the 2018 opt-out announcement, which the note says.
    let adult_note = setting(&p, "aggregated-data-usage")
        .evidence
        .default_note
        .as_ref()
        .unwrap();
    assert!(adult_note.en.contains("2018") && adult_note.zh.contains("2018"));
    assert!(option_flows(&p, "aggregated-data-usage", "dont-contribute").is_empty());
    // The heatmap caveat says Followers activities still feed it (a fact a reader could miss).
    let caveat = setting(&p, "aggregated-data-usage")
        .caveat
        .as_ref()
        .unwrap();
    assert!(caveat.en.contains("Followers") && caveat.zh.contains("关注者"));
    // At the adult Profile Page default (Everyone) anyone may follow without asking.
    assert!(
        option_flows(&p, "activities", "followers")
            .iter()
            .all(|(_, to)| *to == Audience::Followers)
    );
    // Followers still see routes: the adult recommendation stays Only You, so choosing
    // Followers keeps a finding (4 x 3 = 12: high, chosen, so not raised).
    let chosen = verdicts_with(&p, &[("activities", "followers")]);
    assert_eq!(chosen["activities"], ("high".to_owned(), false));
}

#[test]
fn strava_under_18_is_a_version_of_strava_with_the_narrower_defaults_the_dossier_lists() {
    let adult = profile("strava");
    let minor = profile("strava-under-18");
    assert_eq!(minor.app.family, "strava");
    assert!(minor.app.version.en.contains("2021-09-03"));
    let ids = |p: &Profile| p.settings.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&adult), ids(&minor), "one app, the same controls");
    for (id, adult_default, minor_default) in [
        ("profile-page", "everyone", "followers"),
        ("activities", "everyone", "followers"),
        ("group-activities", "everyone", "followers"),
        ("map-visibility", "nothing-hidden", "start-end-hidden"),
        ("aggregated-data-usage", "contribute", "dont-contribute"),
    ] {
        assert_eq!(default_id(&adult, id), Some(adult_default), "adult {id}");
        assert_eq!(default_id(&minor, id), Some(minor_default), "under-18 {id}");
        assert_eq!(
            setting(&minor, id).evidence.default,
            Some(Evidence::Verified),
            "under-18 {id}"
        );
    }
    assert_eq!(default_id(&adult, "local-legends"), None);
    assert_eq!(default_id(&minor, "local-legends"), Some("no-one"));
    // The under-18 page lists neither Flyby nor the Training Log: no default is claimed.
    assert_eq!(
        unassessed(&minor),
        ["flyby", "training-log", "promote-activities-to-followers"]
    );
    // With the Profile Page at Followers, followers must ask first: approved.
    assert!(
        option_flows(&minor, "activities", "followers")
            .iter()
            .all(|(_, to)| *to == Audience::Approved)
    );
    assert!(verdicts(&minor).is_empty(), "{:?}", verdicts(&minor));

    // The diff between the two shows every changed default moving away from exposure.
    let changes = profile_drift(&adult, &minor);
    assert!(
        changes
            .iter()
            .all(|c| c.direction != Direction::TowardExposure),
        "{changes:?}"
    );
    let kind = |id: &str| {
        changes
            .iter()
            .find(|c| c.setting == id)
            .map(|c| (c.change, c.direction))
    };
    for id in [
        "profile-page",
        "activities",
        "group-activities",
        "map-visibility",
        "aggregated-data-usage",
    ] {
        assert_eq!(
            kind(id),
            Some((ChangeKind::Changed, Direction::AwayFromExposure)),
            "{id}"
        );
    }
    assert_eq!(
        kind("local-legends").map(|k| k.0),
        Some(ChangeKind::DefaultNowKnown)
    );
    assert_eq!(
        kind("flyby").map(|k| k.0),
        Some(ChangeKind::DefaultNowUnknown)
    );
    assert_eq!(
        kind("training-log").map(|k| k.0),
        Some(ChangeKind::DefaultNowUnknown)
    );
}

// ---------------------------------------------------------------------------------------
// Venmo
// ---------------------------------------------------------------------------------------

#[test]
fn venmo_payments_and_friends_lists_are_public_by_secondary_defaults() {
    let p = profile("venmo");
    assert!(p.app.version.en.contains("before the 2026 redesign"));
    assert_eq!(
        verdicts(&p),
        expected(&[
            // financial x public = 16, high; a secondary default raises it.
            ("default-privacy-setting", "critical", "secondary"),
            ("friends-list", "critical", "secondary"),
            (
                "appear-in-other-users-friends-lists",
                "critical",
                "secondary"
            ),
            // contacts to the app (4) and you to people who hold your number (3): low, raised.
            ("phone-contacts", "medium", "secondary"),
        ])
    );
    // Facebook Connect acts only once Facebook is connected: no default is claimed.
    assert_eq!(unassessed(&p), ["facebook-connect"]);
    // No Venmo help page was available: nothing may be more than secondary.
    for s in &p.settings {
        assert_ne!(s.evidence.label, Evidence::Verified, "{}", s.id);
        assert_ne!(s.evidence.flows, Evidence::Verified, "{}", s.id);
        assert_ne!(s.evidence.default, Some(Evidence::Verified), "{}", s.id);
    }
}

#[test]
fn venmo_never_claims_amounts_are_shown_and_names_the_ftc_settlement_and_the_2026_report() {
    let p = profile("venmo");
    let privacy = setting(&p, "default-privacy-setting");
    assert_eq!(privacy.events, ["venmo-ftc-2018"]);
    assert!(catalog::builtin().event("venmo-ftc-2018").is_some());
    let caveat = privacy.caveat.as_ref().unwrap();
    assert!(caveat.en.contains("Amounts are hidden at every level"));
    assert!(caveat.zh.contains("金额都是隐藏的"));
    // Past transactions are a one-off action: described, not modelled as a setting.
    assert!(caveat.en.contains("Past transactions") && caveat.en.contains("cannot be undone"));
    // The dossier (§7D) says the change *to private* cannot be undone, not any change.
    assert!(
        caveat
            .en
            .contains("changing them all to Private cannot be undone")
    );
    assert!(caveat.zh.contains("全部改为“私密”后无法撤销"));
    assert!(p.setting("past-transactions").is_none());
    // The default is limited to accounts opened before the redesign, and the app note
    // reports the 2026 change as a single report.
    let note = privacy.evidence.default_note.as_ref().unwrap();
    assert!(note.en.contains("before the 2026 redesign"));
    let app_note = p.app.note.as_ref().unwrap();
    assert!(app_note.en.contains("Friends only") && app_note.en.contains("one report"));
    // Only the payment setting carries financial data.
    for s in &p.settings {
        let financial = s
            .options
            .iter()
            .flat_map(|o| &o.flows)
            .any(|f| f.data == DataCategory::Financial);
        assert_eq!(financial, s.id == "default-privacy-setting", "{}", s.id);
    }
}

#[test]
fn venmo_states_private_payments_clear_them_and_facebook_connect_carries_friends_in() {
    let p = profile("venmo");
    let after = verdicts_with(
        &p,
        &[
            ("default-privacy-setting", "private"),
            ("friends-list", "private"),
            ("appear-in-other-users-friends-lists", "off"),
            ("phone-contacts", "off"),
        ],
    );
    assert!(after.is_empty(), "{after:?}");
    // Friends-only payments still reach friends: financial x friends = 8, medium, chosen.
    let friends = verdicts_with(&p, &[("default-privacy-setting", "friends")]);
    assert_eq!(
        friends["default-privacy-setting"],
        ("medium".to_owned(), false)
    );
    // Facebook Connect on: the friend list comes from another app (breadth 3) and
    // social-graph (3) -> 9, medium; cited like Huang v. Tencent's friend import.
    let connected = verdicts_with(&p, &[("facebook-connect", "on")]);
    assert_eq!(connected["facebook-connect"], ("medium".to_owned(), false));
    let s = setting(&p, "facebook-connect");
    assert!(s.cites_ruling("huang-v-tencent-2020"));
    assert!(
        s.options[0]
            .flows
            .iter()
            .any(|f| f.from.id() == "other-apps")
    );
}

// ---------------------------------------------------------------------------------------
// LinkedIn
// ---------------------------------------------------------------------------------------

#[test]
fn linkedin_defaults_follow_the_dossier_tags_old_sources_included() {
    let p = profile("linkedin");
    assert_eq!(
        verdicts(&p),
        expected(&[
            // Email to connections and their connected apps (4 x 3 = 12, high), raised by the
            // verified default; only as sure as the one 2018 guide that names the options.
            ("email-visibility", "critical", "single-source"),
            // Name and headline reach only the member whose profile you open: approved.
            ("profile-viewing-options", "medium", "verified"),
            ("public-profile-visibility", "high", "secondary"),
            ("connections-visibility", "high", "verified"),
            ("share-profile-updates", "medium", "secondary"),
            ("contact-import-invitations", "medium", "verified"),
        ])
    );
    // Importing is the user's own act: there is no default to judge.
    assert_eq!(unassessed(&p), ["contact-import"]);
    let email = setting(&p, "email-visibility");
    assert_eq!(
        option_flows(&p, "email-visibility", "first-degree-connections"),
        [
            (DataCategory::EmailAddress, Audience::Friends),
            (DataCategory::EmailAddress, Audience::OtherApps),
        ]
    );
    assert_eq!(email.evidence.default, Some(Evidence::Verified));
    // The old help pages are named as old where a default rests on them.
    let note = setting(&p, "connections-visibility")
        .evidence
        .default_note
        .as_ref()
        .unwrap();
    assert!(note.en.contains("2015") && note.zh.contains("2015"));
    // Posts and activity: the 2015 page says only that the default *may* be Everyone and
    // names no options or path, so it is a fact in the app note, not a judged setting.
    assert!(p.setting("posts-and-activity-visibility").is_none());
    let app_note = p.app.note.as_ref().unwrap();
    assert!(app_note.en.contains("may be that everyone on LinkedIn"));
    // Viewing someone's profile shows you to that one member, never to a wider audience.
    for option in ["name-and-headline", "private-profile-characteristics"] {
        assert!(
            option_flows(&p, "profile-viewing-options", option)
                .iter()
                .all(|(_, to)| *to == Audience::Approved),
            "{option}"
        );
    }
    let public = setting(&p, "public-profile-visibility")
        .caveat
        .as_ref()
        .unwrap();
    assert!(!public.en.contains("number of") && !public.zh.contains("数量"));
    // Pre-ticked invitations are not consent: GDPR art. 7 and recital 32.
    let invitations = setting(&p, "contact-import-invitations");
    assert!(invitations.laws.iter().any(|l| l == "gdpr-7"));
    assert!(invitations.note.as_ref().unwrap().en.contains("recital 32"));
    // Profile discovery by email or phone is known only from memory [U]: left out.
    for s in &p.settings {
        assert!(
            !s.id.contains("discovery") && !s.label.en.contains("discovery"),
            "{}",
            s.id
        );
    }
    assert!(setting(&p, "contact-import").cites_ruling("ling-v-douyin-2020"));
}

// ---------------------------------------------------------------------------------------
// Meta: Facebook and Instagram
// ---------------------------------------------------------------------------------------

#[test]
fn facebook_contact_uploading_starts_off_and_being_suggested_from_others_uploads_has_no_switch() {
    let p = profile("facebook");
    assert_eq!(
        verdicts(&p),
        expected(&[
            // Your number and email held (4 x 1) and you offered to people who hold them
            // (1 x 3): low, raised by the verified default.
            ("suggested-from-others-uploads", "medium", "verified"),
        ])
    );
    assert!(unassessed(&p).is_empty());
    let upload = setting(&p, "contact-uploading");
    assert_eq!(upload.default_option().unwrap().id, "off");
    assert_eq!(upload.evidence.default, Some(Evidence::Verified));
    assert!(upload.cites_ruling("ling-v-douyin-2020"));
    // "Contact Uploading" is Meta's name for the feature in its help notice, not a label
    // seen on a Facebook screen.
    assert_eq!(upload.label_kind, LabelKind::Descriptive);
    // Switched on it sends the whole address book to Meta: contacts x the app = 4, low.
    let on = verdicts_with(&p, &[("contact-uploading", "on")]);
    assert_eq!(on["contact-uploading"], ("low".to_owned(), false));
    // No opt-out from People You May Know is known: no switch is invented for it.
    let suggested = setting(&p, "suggested-from-others-uploads");
    assert_eq!(suggested.switch, Switch::None);
    assert!(
        suggested
            .instead
            .as_ref()
            .unwrap()
            .en
            .contains("no opt-out is known")
    );
    assert!(suggested.cites_ruling("ling-v-douyin-2020"));
    for s in &p.settings {
        let offers_you_to_others = s
            .options
            .iter()
            .flat_map(|o| &o.flows)
            .any(|f| f.data == DataCategory::ProfileIdentity && f.to == Audience::Network);
        if offers_you_to_others {
            assert_eq!(s.switch, Switch::None, "{}: an invented way out", s.id);
        }
    }
}

#[test]
fn instagram_is_its_own_app_with_an_unconfirmed_activity_status_default() {
    let p = profile("instagram");
    assert_eq!(p.app.family, "instagram");
    assert_eq!(
        verdicts(&p),
        expected(&[
            // activity x friends = 4, low; a single-source default raises nothing.
            ("show-activity-status", "low", "single-source"),
        ])
    );
    let auditor = Auditor::new(&p, catalog::builtin());
    let report = auditor.audit(&Selection::defaults(&p), today());
    assert!(report.findings[0].unconfirmed_default());
    // Connecting contacts starts off (Meta's notice covers Instagram).
    assert_eq!(default_id(&p, "connect-contacts"), Some("off"));
    assert_eq!(
        setting(&p, "connect-contacts").evidence.default,
        Some(Evidence::Verified)
    );
    assert_eq!(
        setting(&p, "connect-contacts").evidence.label,
        Evidence::SingleSource
    );
}

// ---------------------------------------------------------------------------------------
// Through the binary: check and explain in both languages
// ---------------------------------------------------------------------------------------

#[test]
fn check_and_explain_speak_both_languages_for_every_profile_of_the_group() {
    let env = Env::new();
    for id in GROUP {
        let p = profile(id);
        let findings = verdicts(&p);
        for (lang, no_state) in [("en", "app defaults"), ("zh", "应用默认设置")] {
            let r = run(env
                .cmd()
                .args(["check", id, "--lang", lang, "--color", "never"]));
            let code = if findings.is_empty() { 0 } else { 1 };
            assert_eq!(r.code, code, "{id} {lang}: {}", r.stderr);
            assert!(r.stdout.contains(no_state), "{id} {lang}: {}", r.stdout);
            // The closing "not assessed" line names settings by id too; findings are above it.
            let findings_part: String = r
                .stdout
                .lines()
                .filter(|l| !l.starts_with("Not assessed") && !l.starts_with("未评估"))
                .collect::<Vec<_>>()
                .join("\n");
            for s in &p.settings {
                let listed = findings_part.contains(&format!("[{}]", s.id));
                assert_eq!(
                    listed,
                    findings.contains_key(&s.id),
                    "{id} {lang}: {} listed iff it is a finding",
                    s.id
                );
                let label = if lang == "en" {
                    &s.label.en
                } else {
                    &s.label.zh
                };
                assert!(!listed || r.stdout.contains(label.as_str()), "{id} {lang}");
            }
        }
        for s in &p.settings {
            for lang in [Lang::En, Lang::Zh] {
                let code = if lang == Lang::En { "en" } else { "zh" };
                let r = run(env
                    .cmd()
                    .args(["explain", &format!("{id}/{}", s.id), "--lang", code]));
                assert_eq!(r.code, 0, "{id}/{}: {}", s.id, r.stderr);
                assert!(r.stdout.contains(s.label.get(lang)), "{id}/{}", s.id);
                if let Some(note) = &s.note {
                    // The note is wrapped or not, but its first words are there.
                    let start: String = note.get(lang).chars().take(12).collect();
                    assert!(
                        r.stdout.contains(&start),
                        "{id}/{} {code}: {}",
                        s.id,
                        r.stdout
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// A fictional app privaudit never saw, loaded as a user profile
// ---------------------------------------------------------------------------------------

const FIXTURE: &str = "tests/fixtures/library/fictional-cycle-diary.toml";

/// The README's severity rule, written out from its tables: sensitivity x breadth gives
/// the base (12 or more high, 6 or more medium, else low), and a confirmed default in
/// effect raises it one level.
fn documented_severity(sensitivity: u32, breadth: u32, confirmed_default: bool) -> &'static str {
    const LADDER: [&str; 4] = ["low", "medium", "high", "critical"];
    let product = sensitivity * breadth;
    let base = if product >= 12 {
        2
    } else if product >= 6 {
        1
    } else {
        0
    };
    LADDER[base + usize::from(confirmed_default)]
}

fn documented_weight(severity: &str) -> u32 {
    match severity {
        "low" => 1,
        "medium" => 3,
        "high" => 6,
        "critical" => 10,
        other => panic!("unknown severity {other}"),
    }
}

/// What the README's rules say of the fixture at its defaults: (setting, severity,
/// certainty, unconfirmed default).
fn fixture_expectations() -> Vec<(&'static str, &'static str, &'static str, bool)> {
    // README weights: health, biometric, minor-data, email-address 4; followers, network,
    // other-apps 3; friends 2.
    vec![
        // health -> followers, verified default
        (
            "cycle-sharing",
            documented_severity(4, 3, true),
            "verified",
            false,
        ),
        // email-address -> network, secondary default
        (
            "find-me-by-email",
            documented_severity(4, 3, true),
            "secondary",
            false,
        ),
        // biometric -> other-apps, unverified default: not raised
        (
            "face-unlock-partner-sync",
            documented_severity(4, 3, false),
            "unverified",
            true,
        ),
        // minor-data -> friends, single-source default (and label): not raised
        (
            "child-diary-sharing",
            documented_severity(4, 2, false),
            "single-source",
            true,
        ),
    ]
}

fn assert_fixture_report(report: &serde_json::Value, how: &str) {
    let findings = report["findings"].as_array().unwrap();
    let got: Vec<(String, String, String, bool)> = findings
        .iter()
        .map(|f| {
            (
                f["setting"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["certainty"].as_str().unwrap().to_owned(),
                f["unconfirmed_default"].as_bool().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, bool)> = fixture_expectations()
        .into_iter()
        .map(|(s, sev, cert, unc)| (s.to_owned(), sev.to_owned(), cert.to_owned(), unc))
        .collect();
    assert_eq!(got, want, "{how}");
    assert!(findings.iter().all(|f| f["by_default"] == true), "{how}");
    // The pregnancy badge starts at the recommendation: no finding. The insurer setting
    // states no default: not assessed.
    assert_eq!(
        report["unassessed"],
        serde_json::json!(["insurer-payment-sharing"]),
        "{how}"
    );
    // The scores, from the README's formula: possible sums the worst finding each judged
    // setting could give by default.
    let possible: u32 = [
        documented_severity(4, 4, true), // cycle-sharing at Everyone: health -> public
        documented_severity(4, 3, true), // find-me-by-email
        documented_severity(4, 3, false), // face-unlock-partner-sync
        documented_severity(4, 2, false), // child-diary-sharing
        documented_severity(4, 3, true), // pregnancy-badge at On: health -> followers
    ]
    .into_iter()
    .map(documented_weight)
    .sum();
    let exposed: u32 = fixture_expectations()
        .iter()
        .map(|(_, sev, _, _)| documented_weight(sev))
        .sum();
    let exposed_confirmed: u32 = fixture_expectations()
        .iter()
        .filter(|(_, _, cert, _)| matches!(*cert, "verified" | "secondary"))
        .map(|(_, sev, _, _)| documented_weight(sev))
        .sum();
    assert_eq!(
        report["score"],
        100 * (possible - exposed) / possible,
        "{how}"
    );
    assert_eq!(
        report["score_confirmed"],
        100 * (possible - exposed_confirmed) / possible,
        "{how}"
    );
    // The ruling is cited by analogy, the GDPR as the EU comparison.
    let email = findings
        .iter()
        .find(|f| f["setting"] == "find-me-by-email")
        .unwrap();
    assert_eq!(
        email["rulings"],
        serde_json::json!([{ "id": "ling-v-douyin-2020", "link": "analogy" }])
    );
    assert!(
        email["citations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["law"] == "gdpr-25" && c["layer"] == "eu-comparison"),
        "{how}: {}",
        email["citations"]
    );
}

#[test]
fn a_fictional_app_is_audited_by_the_documented_rules_from_a_file_and_from_the_user_directory() {
    let env = Env::new();
    // As a file named on the command line.
    let (code, doc) = json(env.cmd().args(["check", FIXTURE, "--format", "json"]));
    assert_eq!(
        code, 1,
        "findings at or above the default threshold fail the check"
    );
    assert_eq!(doc["reports"][0]["app"]["id"], "fictional-cycle-diary");
    assert_fixture_report(&doc["reports"][0], "check FILE");

    // As the user's own profile, found by its id: no code, no list to edit.
    env.file(
        "config/privaudit/profiles/fictional-cycle-diary.toml",
        std::fs::read(FIXTURE).unwrap(),
    );
    let (code, rows) = json(env.cmd().args(["list", "--format", "json"]));
    assert_eq!(code, 0);
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "fictional-cycle-diary")
        .expect("the user profile is listed")
        .clone();
    assert_eq!(row["source"], "user");
    assert_eq!(row["settings"], 6);
    let (code, doc) = json(
        env.cmd()
            .args(["check", "fictional-cycle-diary", "--format", "json"]),
    );
    assert_eq!(code, 1);
    assert_fixture_report(&doc["reports"][0], "check ID (user profile)");

    // Both languages name the new data and audiences in their own words.
    let en = run(env
        .cmd()
        .args(["check", "fictional-cycle-diary", "--color", "never"]));
    for words in [
        "health and fitness data -> your followers",
        "email address -> people who may know you",
        "face, voice or fingerprint data -> other apps and companies",
        "a child's information -> friends",
        "unconfirmed default",
    ] {
        assert!(en.stdout.contains(words), "{words}: {}", en.stdout);
    }
    let zh = run(env.cmd().args([
        "check",
        "fictional-cycle-diary",
        "--lang",
        "zh",
        "--color",
        "never",
    ]));
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    for words in [
        "健康和运动数据 → 关注你的人",
        "电子邮箱 → 可能认识你的人",
        "生物识别信息 → 其他应用和公司",
        "未成年人信息 → 好友",
        "严重风险",
        "默认值未证实",
        "经期日记（虚构）",
    ] {
        assert!(zh.stdout.contains(words), "{words}: {}", zh.stdout);
    }
    let explain = run(env.cmd().args([
        "explain",
        "fictional-cycle-diary/cycle-sharing",
        "--lang",
        "zh",
    ]));
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    assert!(explain.stdout.contains("与谁分享我的周期分析"));
    assert!(explain.stdout.contains("健康和运动数据 → 关注你的人"));
}
