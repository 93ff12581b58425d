//! Where a report goes: standard output ([`Out`]) or a file written whole or not at all.

use super::{Out, Outcome};
use crate::diag::print_error;
use crate::state::store::write_target;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

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
/// report.
pub struct ReportFile {
    /// The path as given, for messages.
    shown: String,
    target: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
    failed: Option<io::Error>,
}

impl ReportFile {
    fn create(path: &Path) -> io::Result<ReportFile> {
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
        Ok(ReportFile {
            shown: path.display().to_string(),
            target,
            temp,
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
            file.sync_all()?;
            // An existing report keeps its permissions.
            if let Ok(meta) = std::fs::metadata(&self.target) {
                file.set_permissions(meta.permissions())?;
            }
            drop(file);
            std::fs::rename(&self.temp, &self.target)
        })();
        result.map_err(|e| {
            let _ = std::fs::remove_file(&self.temp);
            format!("cannot write {shown}: {e}")
        })
    }

    fn abandon(mut self) {
        self.writer = None;
        let _ = std::fs::remove_file(&self.temp);
    }
}

impl Drop for ReportFile {
    /// A report never finished (a panic, an early return) leaves no temporary file.
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.writer = None;
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}
