//! How the pseudo-terminal tests start the auditor: the real binary with its own home
//! (config and data directories inside it), English, a known TERM and no colour or test
//! switches inherited from the shell that runs the tests.

use portable_pty::CommandBuilder;
use std::path::Path;

/// `privaudit ARGS` as the pty tests run it, in `home`.
pub fn privaudit(home: &Path, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_privaudit"));
    cmd.args(args);
    isolated(cmd, home)
}

/// Any command (a shell that starts privaudit, say) in `home`, with the same environment.
pub fn isolated(mut cmd: CommandBuilder, home: &Path) -> CommandBuilder {
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "en_US.UTF-8");
    cmd.env_remove("LC_ALL");
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("PRIVAUDIT_TEST_PANIC");
    cmd
}
