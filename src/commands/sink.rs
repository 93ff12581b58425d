//! Where a report goes: standard output ([`Out`]) or a file written whole or not at all.

use super::{Out, Outcome};
use crate::diag::print_error;
use crate::state::store::write_target;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where a write to `path` really lands, as one name: its links followed and its
/// directory made absolute, so `a.json`, `./a.json` and a link to it compare equal.
pub fn resolved(path: &Path) -> PathBuf {
    let target = write_target(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), target.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => target,
    }
}

/// Temporary report files being written, removed if the process is ended by a signal
/// (see [`remove_temporaries_on_signals`]).
static TEMPORARIES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn track(temp: &Path) {
    if let Ok(mut temps) = TEMPORARIES.lock() {
        temps.push(temp.to_path_buf());
    }
}

fn untrack(temp: &Path) {
    if let Ok(mut temps) = TEMPORARIES.lock() {
        temps.retain(|t| t != temp);
    }
}

/// When SIGINT, SIGTERM, SIGHUP or SIGQUIT ends the process (a CI job cancelled mid-batch),
/// remove the temporary report files first, so no `.NAME.PID.N.tmp` is left beside the
/// reports, then exit 128 + the signal's number as a shell would report it. The old reports
/// stay as they were.
pub fn remove_temporaries_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
        if let Ok(mut signals) =
            signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
        {
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // The lock is held until the process ends: no temporary file is made
                    // or put in place meanwhile.
                    let temps = TEMPORARIES.lock();
                    for temp in temps.iter().flat_map(|t| t.iter()) {
                        let _ = std::fs::remove_file(temp);
                    }
                    std::process::exit(128 + signal);
                }
            });
        }
    }
}

/// A report's destination. Like [`Out`], writing never fails from the writer's point of
/// view: a failure is recorded, later writes are dropped, and [`finish`](Sink::finish)
/// reports it.
pub enum Sink {
    Stdout(Out),
    File(ReportFile),
}

impl Sink {
    /// Standard output, or a new report file at `path` (its directory must exist).
    pub fn open(path: Option<&Path>) -> io::Result<Sink> {
        match path {
            None => Ok(Sink::Stdout(Out::default())),
            Some(path) => ReportFile::create(path).map(Sink::File),
        }
    }

    /// The reader went away (a closed pipe): output is pointless, but not an error.
    pub fn reader_gone(&self) -> bool {
        match self {
            Sink::Stdout(out) => out.reader_gone(),
            Sink::File(_) => false,
        }
    }

    /// A write failed: the command ends with exit 2.
    pub fn write_failed(&self) -> bool {
        match self {
            Sink::Stdout(out) => out.write_failed(),
            Sink::File(file) => file.failed.is_some(),
        }
    }

    /// Why writing failed, for the one message that says so.
    pub fn failure(&self) -> Option<String> {
        match self {
            Sink::Stdout(out) => out
                .write_failed()
                .then(|| "cannot write the output".to_owned()),
            Sink::File(file) => file
                .failed
                .as_ref()
                .map(|e| format!("cannot write {}: {e}", crate::text::sanitize(&file.shown))),
        }
    }

    /// Drop what was written: nothing reaches standard output that is still buffered, and
    /// a report file is not created (an old one stays as it was).
    pub fn discard(self) {
        match self {
            Sink::Stdout(out) => out.discard(),
            Sink::File(file) => file.abandon(),
        }
    }

    /// Finish writing: `outcome`, or exit 2 with one message if a write failed.
    pub fn finish(self, outcome: Outcome) -> Outcome {
        match self {
            Sink::Stdout(out) => out.finish(outcome),
            Sink::File(file) => match file.commit() {
                Ok(()) => outcome,
                Err(message) => {
                    print_error(message);
                    Outcome::BadInput
                }
            },
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => Write::write(out, buf),
            Sink::File(file) => {
                file.write(buf);
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => Write::flush(out),
            Sink::File(file) => {
                if file.failed.is_none()
                    && let Some(writer) = &mut file.writer
                    && let Err(e) = writer.flush()
                {
                    file.failed = Some(e);
                }
                Ok(())
            }
        }
    }
}

/// A report file written to a temporary file beside it and renamed over it when the
/// report is complete: a reader (a CI step uploading it) sees the old file or the new one,
/// never half of one. A path that is a symbolic link keeps being one; its target gets the
/// report. A path that is not a regular file (`/dev/null`, a FIFO, a terminal) is written
/// to directly: replacing a device with a file would be wrong, and it has no old content
/// to keep.
pub struct ReportFile {
    /// The path as given, for messages.
    shown: String,
    target: PathBuf,
    /// The temporary file, or `None` when writing straight to a device or FIFO.
    temp: Option<PathBuf>,
    writer: Option<BufWriter<File>>,
    failed: Option<io::Error>,
}

impl ReportFile {
    fn create(path: &Path) -> io::Result<ReportFile> {
        // The kernel follows links (and /proc's magic ones) to what is really there.
        if let Ok(meta) = std::fs::metadata(path)
            && !meta.is_file()
            && !meta.is_dir()
        {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(ReportFile {
                shown: path.display().to_string(),
                target: path.to_path_buf(),
                temp: None,
                writer: Some(BufWriter::with_capacity(64 * 1024, file)),
                failed: None,
            });
        }
        let target = write_target(path)?;
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if target.is_dir() {
            return Err(io::Error::other("is a directory"));
        }
        // Reports go where CI expects them: a directory that is not there is a mistake to
        // tell, not one to paper over by creating it.
        if !dir.is_dir() {
            return Err(io::Error::other(format!(
                "its directory {} does not exist",
                dir.display()
            )));
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Unique per process and per file: two reports of one run never share one.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        track(&temp);
        Ok(ReportFile {
            shown: path.display().to_string(),
            target,
            temp: Some(temp),
            writer: Some(BufWriter::with_capacity(64 * 1024, file)),
            failed: None,
        })
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        if let Some(writer) = &mut self.writer
            && let Err(e) = writer.write_all(bytes)
        {
            self.failed = Some(e);
        }
    }

    /// Put the complete report in place, or say why it could not be.
    fn commit(mut self) -> Result<(), String> {
        let shown = crate::text::sanitize(&self.shown);
        let result = (|| -> io::Result<()> {
            if let Some(e) = self.failed.take() {
                return Err(e);
            }
            let writer = self.writer.take().expect("written once");
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            let Some(temp) = &self.temp else {
                // A device or FIFO: written, nothing to put in place.
                return Ok(());
            };
            file.sync_all()?;
            // An existing report keeps its permissions.
            if let Ok(meta) = std::fs::metadata(&self.target) {
                file.set_permissions(meta.permissions())?;
            }
            drop(file);
            std::fs::rename(temp, &self.target)?;
            untrack(temp);
            // The rename itself survives a crash once the directory is synced (not every
            // platform lets a directory be synced; the rename is done either way).
            if let Some(dir) = self.target.parent()
                && let Ok(dir) = File::open(if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                })
            {
                let _ = dir.sync_all();
            }
            Ok(())
        })();
        result.map_err(|e| {
            if let Some(temp) = &self.temp {
                let _ = std::fs::remove_file(temp);
                untrack(temp);
            }
            format!("cannot write {shown}: {e}")
        })
    }

    fn abandon(mut self) {
        self.writer = None;
        if let Some(temp) = &self.temp {
            let _ = std::fs::remove_file(temp);
            untrack(temp);
        }
    }
}

impl Drop for ReportFile {
    /// A report never finished (a panic, an early return) leaves no temporary file.
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            if let Some(temp) = &self.temp {
                let _ = std::fs::remove_file(temp);
                untrack(temp);
            }
        }
    }
}
