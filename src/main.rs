use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = privaudit::cli::Cli::parse();
    privaudit::commands::run(cli).into()
}

/// Before `main`, the Rust runtime reopens a closed stdin, stdout or stderr on /dev/null,
/// so `privaudit check app >&-` would write its report into nothing and exit as if it had
/// been read. This constructor runs earlier, while a closed descriptor is still closed,
/// and notes it so that the command can fail with a message instead.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_CLOSED_STDOUT: extern "C" fn() = {
    extern "C" fn note() {
        // SAFETY: F_GETFD only reads the descriptor's flags; it fails with EBADF when
        // descriptor 1 is not open, and has no other effect.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            privaudit::commands::STDOUT_CLOSED_AT_START
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
    note
};
