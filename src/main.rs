use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = privaudit::cli::Cli::parse();
    privaudit::commands::run(cli.command).into()
}
