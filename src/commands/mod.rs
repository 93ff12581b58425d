//! What each subcommand does; `main.rs` only parses arguments and maps the outcome to an
//! exit code.

mod check;
mod completions;
mod diff;
mod explain;
mod list;
mod new;
mod schema;
pub(crate) mod sink;
mod validate;

use crate::cli::Command;
use crate::diag::print_error;
pub use crate::outcome::{Outcome, fail_with};
use std::io::{BufWriter, StdoutLock, Write};
use std::sync::atomic::{AtomicBool, Ordering};

pub fn run(cli: crate::cli::Cli) -> Outcome {
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Explain(args)) => explain::run(&args),
        Some(Command::Validate(args)) => validate::run(&args),
        Some(Command::New(args)) => new::run(&args),
        Some(Command::Diff(args)) => diff::run(&args),
        Some(Command::Schema(args)) => schema::run(&args),
        Some(Command::Completions(args)) => completions::run(&args),
        Some(Command::Man) => completions::man(),
        Some(Command::Open(args)) => crate::tui::run(&crate::tui::Options {
            app: args.app,
            state: args.state,
            demo: args.demo,
            lang: args.lang,
        }),
        None => crate::tui::run(&crate::tui::Options {
            demo: cli.open.demo,
            lang: cli.open.lang,
            ..crate::tui::Options::default()
        }),
    }
}

/// Standard output for a command. A reader that went away (`privaudit ... | head`) ends
/// the output quietly: there is no one left to tell. Any other failed write (a full disk,
/// a closed descriptor) is an error: output was lost, and a script must not take the exit
/// code for success.
pub struct Out {
    inner: BufWriter<StdoutLock<'static>>,
    closed: bool,
    failed: Option<std::io::Error>,
}

impl Default for Out {
    fn default() -> Self {
        Out {
            inner: BufWriter::with_capacity(64 * 1024, std::io::stdout().lock()),
            closed: false,
            failed: stdout_missing(),
        }
    }
}

/// Set (by the binary, before the runtime starts) when the process began with stdout
/// closed. The runtime then puts /dev/null there, and every write would succeed into
/// nothing; [`Out`] reports it as the write error it is.
pub static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

fn stdout_missing() -> Option<std::io::Error> {
    STDOUT_CLOSED_AT_START
        .load(Ordering::SeqCst)
        .then(|| std::io::Error::other("standard output is closed"))
}

impl Out {
    pub fn write(&mut self, bytes: impl AsRef<[u8]>) {
        if self.stopped() {
            return;
        }
        if let Err(e) = self.inner.write_all(bytes.as_ref()) {
            self.note(e);
        }
    }

    /// Nothing more will be written: stop producing output.
    pub fn stopped(&self) -> bool {
        self.closed || self.failed.is_some()
    }

    /// The reader went away (a closed pipe): output is pointless, but not an error.
    pub fn reader_gone(&self) -> bool {
        self.closed
    }

    /// A write failed: the command ends with exit 2.
    pub fn write_failed(&self) -> bool {
        self.failed.is_some()
    }

    fn note(&mut self, e: std::io::Error) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            self.closed = true;
        } else {
            self.failed = Some(e);
        }
    }

    /// Drop what is buffered without writing it (output abandoned before anything was
    /// flushed, for bad input).
    pub fn discard(self) {
        let _ = self.inner.into_parts();
    }

    /// Flush, and turn a failed write into exit 2 with one message; otherwise `outcome`.
    pub fn finish(mut self, outcome: Outcome) -> Outcome {
        let _ = Write::flush(&mut self);
        match self.failed.take() {
            Some(e) => {
                print_error(format_args!("cannot write the output: {e}"));
                // The buffer still holds what could not be written; dropping it must not
                // try again and fail a second time.
                self.discard();
                Outcome::BadInput
            }
            None => outcome,
        }
    }
}

/// Writing never fails from the writer's point of view: a failure is recorded, later
/// writes are dropped, and [`Out::finish`] reports it. Producers check
/// [`Out::write_failed`] to stop early and [`Out::reader_gone`] to stop rendering.
impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Out::write(self, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.stopped()
            && let Err(e) = self.inner.flush()
        {
            self.note(e);
        }
        Ok(())
    }
}

/// Write `text` to stdout and finish with `outcome` (see [`Out`]).
pub fn emit(text: &str, outcome: Outcome) -> Outcome {
    let mut out = Out::default();
    out.write(text);
    out.finish(outcome)
}
