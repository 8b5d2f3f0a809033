//! The `kensa` binary: parse arguments, run, exit with the code of the outcome or of the error's
//! class (contract §5).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match kensa::cli::args::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(kensa::cli::run(cli))
}
