//! JUnit XML for CI dashboards: a test suite per report (app and state), a test case per
//! setting; a failure per unwaived finding, skipped for waived or unassessed settings.

use super::{Checked, Style};
use crate::audit::finding_message;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

pub fn document(checked: &[Checked<'_>], errors: &[String], style: Style<'_>) -> String {
    let mut report = Report::new("privaudit");
    for c in checked {
        let name = match &c.state {
            Some(state) => format!("{} ({state})", c.report.app),
            None => format!("{} (defaults)", c.report.app),
        };
        let mut suite = TestSuite::new(name);
        for (index, setting) in c.profile.settings.iter().enumerate() {
            let finding = c.report.findings.iter().find(|f| f.index == index);
            let status = match finding {
                Some(f) if f.waived() => {
                    let mut status = TestCaseStatus::skipped();
                    let reason = f.waiver.as_ref().map_or("", |w| w.reason.as_str());
                    status.set_message(format!("waived: {reason}"));
                    status
                }
                Some(f) => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_type(f.severity.id())
                        .set_message(format!(
                            "{} severity{}: {} -> {}",
                            f.severity.id(),
                            crate::audit::explain::certainty_badge(f, crate::text::Lang::En)
                                .map(|b| format!(" ({b})"))
                                .unwrap_or_default(),
                            f.current,
                            f.recommended
                        ))
                        .set_description(finding_message(c.profile, f, style.catalog, style.lang));
                    status
                }
                None if c.report.unassessed.contains(&setting.id.as_str()) => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_message("not assessed: default unknown and not set in the state");
                    status
                }
                None => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(setting.id.clone(), status);
            case.set_classname(c.report.app);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    if !errors.is_empty() {
        let mut suite = TestSuite::new("privaudit input errors");
        for (i, error) in errors.iter().enumerate() {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(error.clone());
            suite.add_test_case(TestCase::new(format!("input-{}", i + 1), status));
        }
        report.add_test_suite(suite);
    }
    report.to_string().expect("JUnit serialises") + "\n"
}
