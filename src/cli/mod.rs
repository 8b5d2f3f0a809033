//! The command-line layer: validated options from arguments, one file per subcommand over the
//! library's calls, and the outcome mapped to the exit codes of contract §5 in one place.

pub mod args;
mod audit;
mod check;
mod export;
mod hibp;
mod init;
mod policy;
mod progress;
mod rules;
mod schema;
mod summary;
mod verify;

use crate::engine::AuditOptions;
use crate::error::{Error, ExitClass};
use crate::report::Lang;
use args::{Cli, Command, SourceArgs};
use clap::CommandFactory;
use std::io::Write;

pub(crate) use progress::Progress;

/// The outcome of a command, mapped to an exit code in one place (contract §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Evidence complete, nothing selected by `--fail-on` found.
    Clean,
    /// Evidence complete, a selected finding found.
    Findings,
    /// Usage error, unreadable/malformed input, failed lookups.
    Incomplete,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
            Outcome::Incomplete => 2,
        }
    }
}

/// Run a parsed command line; the process exit code (contract §5): the outcome's, or the class's
/// of the error that stopped the command.
pub fn run(cli: Cli) -> u8 {
    let r = match cli.command {
        Command::Audit(a) => audit::run(*a),
        Command::Policy(p) => policy::run(p),
        Command::Check(c) => check::run(c),
        Command::Rules(r) => rules::run(r),
        Command::Hibp(h) => hibp::run(h),
        Command::Verify(v) => verify::run(v),
        Command::Init(i) => init::run(i),
        Command::Export(e) => export::run(e),
        Command::Schema => schema::run(),
        Command::Completions(c) => {
            let mut buf = Vec::new();
            clap_complete::generate(c.shell, &mut args::Cli::command(), "kensa", &mut buf);
            out(&String::from_utf8_lossy(&buf));
            Ok(Outcome::Clean)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(args::Cli::command())
                .render(&mut buf)
                .map_err(|e| {
                    Error::new(
                        ExitClass::Output,
                        format!("cannot render the manual page: {e}"),
                    )
                })
                .map(|_| {
                    out(&String::from_utf8_lossy(&buf));
                    Outcome::Clean
                })
        }
    };
    match r {
        Ok(o) => o.exit_code(),
        Err(e) => {
            eprintln!("kensa: error: {e}");
            e.exit_code()
        }
    }
}

impl SourceArgs {
    /// The options of an audit over these inputs (dates, language and reuse strictness at their
    /// defaults: the caller sets what it has flags for).
    fn options(&self) -> AuditOptions {
        AuditOptions {
            manifest: self.manifest.clone(),
            files: self.files.clone(),
            wordlists: self.wordlist.clone(),
            default_wordlists: !self.no_default_wordlists,
            potfiles: self.potfile.clone(),
            check_date: None,
            target_date: None,
            strict_reuse: false,
            salted_budget: self.salted_budget,
            salted_total: self.salted_total,
            lang: Lang::Ja,
            today: chrono::Local::now().date_naive().to_string(),
            max_input_size: self.max_input_size,
            edition: None,
        }
    }

    /// Size the global thread pool (`--threads`).
    fn init_threads(&self) -> Result<(), Error> {
        if let Some(n) = self.threads {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global()
                .map_err(|e| Error::usage(format!("--threads: {e}")))?;
        }
        Ok(())
    }
}

/// Write to stdout, treating a broken pipe as success.
fn out(s: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(s.as_bytes()).and_then(|_| o.flush());
}

fn lang_of(s: &str) -> Result<Lang, Error> {
    Lang::from_name(s).ok_or_else(|| Error::usage(format!("--lang: `{s}` is not ja or en")))
}

/// A `--max-input-size` value: bytes, or a number with a binary `K`, `M`, `G` or `T` suffix
/// (`KiB`, `MB`… are read alike).
pub(crate) fn parse_size(s: &str) -> Result<u64, Error> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(digits);
    let n: u64 = n.parse().map_err(|_| {
        Error::usage(format!(
            "`{s}` is not a size (bytes, or a number with K, M, G or T)"
        ))
    })?;
    let shift = match unit
        .trim()
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => {
            return Err(Error::usage(format!(
                "`{s}`: unknown unit (use K, M, G or T)"
            )))
        }
    };
    n.checked_mul(1u64 << shift)
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::usage(format!("`{s}` is not a size kensa can use")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;

    #[test]
    fn input_size_limits_read_with_binary_units() {
        assert_eq!(parse_size("8G"), Ok(8 << 30));
        assert_eq!(parse_size("512m"), Ok(512 << 20));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("2 TB"), Ok(2 << 40));
        assert_eq!(
            engine::DEFAULT_MAX_INPUT_SIZE,
            parse_size("8G").unwrap(),
            "the flag's default is the engine's"
        );
        for bad in ["", "G", "0", "8X", "-1", "99999999999T"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
