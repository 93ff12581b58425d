//! `privaudit validate`: every problem in the profiles an author wrote.

use super::{Out, Outcome};
use crate::catalog;
use crate::profile::parse_profile;
use crate::source::read_profile_file;

/// Exit 0 when every profile is valid, 1 when a problem was found in one, 2 when a file
/// could not be read at all (missing, a directory, too large, not UTF-8, empty).
pub fn run(args: &crate::cli::ValidateArgs) -> Outcome {
    let catalog = catalog::builtin();
    let mut outcome = Outcome::Pass;
    let mut out = Out::default();
    for path in &args.files {
        let source = match read_profile_file(path) {
            Ok(source) => source,
            Err(problem) => {
                crate::diag::print_error(problem);
                outcome = Outcome::BadInput;
                continue;
            }
        };
        match parse_profile(&source, catalog, &source.name, false) {
            Ok(profile) => out.write(format!(
                "{}: ok (app `{}`, {} settings)\n",
                crate::text::sanitize(&source.name),
                profile.app.id,
                profile.settings.len()
            )),
            Err(problems) => {
                let text: String = problems.iter().map(|p| format!("{p}\n")).collect();
                out.write(text);
                if outcome == Outcome::Pass {
                    outcome = Outcome::Fail;
                }
            }
        }
    }
    out.finish(outcome)
}
