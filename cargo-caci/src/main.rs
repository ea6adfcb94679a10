//! `cargo caci init`: see the crate's documentation.

use std::process::ExitCode;

use cargo_caci::cli::{Command, USAGE, parse};

fn main() -> ExitCode {
    match parse(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Init(options)) => match cargo_caci::init::run(&options) {
            Ok(report) => {
                print!("{}", report.output);
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Err(error) => {
            eprintln!("error: {error}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
