//! Command-line arguments (clap derive). The library never sees these types: `cli::run` turns them
//! into validated options.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// kensa — evidence for the MHLW cybersecurity checklist items 2-⑦ (password strength) and
/// 2-⑧ (no password reuse) from exported credential files.
#[derive(Debug, Parser)]
#[command(name = "kensa", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit exported credentials and policies; write the evidence (the main job).
    Audit(Box<AuditArgs>),
    /// Read policy files only (secedit INF, `net accounts` output, login.defs, pwquality.conf and its .d
    /// directory, PAM files, faillock.conf, kensa policy TOML) and judge them.
    Policy(PolicyArgs),
    /// Check one password read from standard input (never echoed): verdict and reasons.
    Check(CheckArgs),
    /// The Pwned Passwords corpus offline: build an index, download the corpus, inspect an index.
    #[command(subcommand)]
    Hibp(HibpCommand),
    /// Re-check the inputs an evidence.json records and the report files of its set (SHA-256 and
    /// size, from evidence.sha256 and `run.reports`) and the evidence files' mode.
    Verify(VerifyArgs),
    /// Write a commented audit manifest from a folder of exports (formats detected from content).
    Init(InitArgs),
    /// Hand the hashes kensa could not verify to an external cracker, then read its pot file back
    /// with `kensa audit --potfile`.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output.
    Man,
    /// Print the JSON Schema (draft 2020-12) of evidence.json.
    Schema,
    /// Print the rules of a checklist edition: paths, thresholds, classes, lockout, provisional
    /// flag and source (R7 unless --edition or --rules says otherwise).
    Rules(RulesArgs),
}

/// Which edition's rules apply (`rules::edition`).
#[derive(Debug, Clone, Default, Args)]
pub struct EditionArgs {
    /// Checklist edition whose rules apply: R7, or R8 (provisional: guideline 第7.0版 as quoted,
    /// marked 「暫定」 in every report). Overrides the manifest's `edition`.
    #[arg(long, value_name = "R7|R8", conflicts_with = "rules")]
    pub edition: Option<String>,
    /// An edition file of your own, in the format of the built-in ones (`kensa rules --toml`):
    /// for a change MHLW publishes before kensa does. Its id must differ from R7 and R8; its path
    /// and SHA-256 are recorded in the evidence.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    pub edition: EditionArgs,
    /// Print JSON instead of text.
    #[arg(long, conflicts_with = "toml")]
    pub json: bool,
    /// Print the edition file itself (a starting point for --rules FILE).
    #[arg(long)]
    pub toml: bool,
    /// Language of the text: ja or en.
    #[arg(long, value_name = "ja|en", default_value = "ja")]
    pub lang: String,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every recorded input and report file is unchanged; 1 an input or a \
report changed or is missing, or evidence.sha256 and evidence.json disagree; 2 the evidence cannot be read."
)]
pub struct VerifyArgs {
    /// The evidence directory (holding evidence.json), or the evidence.json file itself.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder of exported files to scan (not recursive).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The manifest to write (default: DIR/audit.toml).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite an existing manifest.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum HibpCommand {
    /// Build a compact binary index from the downloader's sorted file or a per-prefix directory.
    Index(HibpIndexArgs),
    /// Download the whole range space through the range API (resumable), optionally then index it.
    Download(HibpDownloadArgs),
    /// Show what an index records (sources, sizes, dates, records) and verify its checksum.
    Info(HibpInfoArgs),
}

#[derive(Debug, Args)]
pub struct HibpIndexArgs {
    /// Corpus: the downloader's single file sorted by hash (`HASH:COUNT`), or a per-prefix directory.
    #[arg(required = true, value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    /// The index file to write.
    #[arg(long, short = 'o', value_name = "INDEX")]
    pub out: PathBuf,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct HibpDownloadArgs {
    /// Directory for the per-prefix files (00000.txt … FFFFF.txt) and the download manifest.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
    /// Download NTLM hashes (`mode=ntlm`) instead of SHA-1.
    #[arg(long)]
    pub ntlm: bool,
    /// Only this range of prefixes, e.g. `00000-0FFFF` (inclusive).
    #[arg(long, value_name = "FIRST-LAST")]
    pub range: Option<String>,
    /// Re-check files already downloaded (conditional requests with the recorded ETag).
    #[arg(long)]
    pub refresh: bool,
    /// Build an index from the directory afterwards.
    #[arg(long, value_name = "INDEX")]
    pub index: Option<PathBuf>,
    /// Base URL of the range API (a mirror).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://api.pwnedpasswords.com"
    )]
    pub hibp_url: String,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
    /// Retries of a failed request, with exponential backoff.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub retries: u32,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct HibpInfoArgs {
    /// A kensa index file.
    #[arg(value_name = "INDEX")]
    pub index: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// What to read and how hard kensa tries to recover plaintexts: shared by `audit` and `export`.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// The audit manifest (TOML): facility, systems and their input files.
    #[arg(long, short = 'm', value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Input files (`PATH` or `FORMAT:PATH`); without a manifest each file is one system named after its stem.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,
    /// Extra wordlist (one password per line); repeatable.
    #[arg(long, value_name = "FILE")]
    pub wordlist: Vec<PathBuf>,
    /// Do not use the wordlists built into kensa.
    #[arg(long)]
    pub no_default_wordlists: bool,
    /// hashcat/john pot file with recovered plaintexts (re-verified before use); repeatable.
    #[arg(long, value_name = "FILE")]
    pub potfile: Vec<PathBuf>,
    /// Work allowed per salted hash, in units of one NT hash (about 80 ns of one core; a hash's
    /// cost parameters scale what one try takes): the default is about 8 s of one core on the
    /// 2-core reference machine of BENCHMARKS.md. A hash whose single verification costs more is
    /// never tried, not even against a pot-file line; the evidence says so and names the cost.
    #[arg(long, value_name = "UNITS", default_value_t = crate::recover::DEFAULT_SALTED_BUDGET)]
    pub salted_budget: u64,
    /// Salted work for the whole audit, in units of one NT hash (the default is about 6.4 s of one
    /// core): spent on the likeliest candidates of every salted hash first (plaintexts already
    /// known, then names and common passwords).
    #[arg(long, value_name = "UNITS", default_value_t = crate::recover::DEFAULT_SALTED_TOTAL)]
    pub salted_total: u64,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Largest input, pot file or wordlist to read, each being read into memory whole: bytes, or
    /// with a K, M, G or T suffix (binary). A larger file stops the command before any work.
    #[arg(long, value_name = "SIZE", default_value = "8G", value_parser = super::parse_size)]
    pub max_input_size: u64,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The hashes still unverified after kensa's own recovery, one file per hashcat mode (hashes
    /// only, never account names), and a job sheet (JOBS.md, jobs.json).
    Hashcat(ExportHashcatArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 the files are written; 2 usage error, unreadable or malformed input \
(the files are still written from what could be read), or the directory cannot be written."
)]
pub struct ExportHashcatArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Directory for the hash files and the job sheet (created if missing; files mode 0600).
    /// Files of an earlier export there are replaced; other files are left alone.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// No progress display.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 evidence complete and nothing selected by --fail-on found; \
1 a finding selected by --fail-on found; 2 usage error, unreadable or malformed input, or failed breach lookups \
(the evidence is still written, marked incomplete)."
)]
pub struct AuditArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Directory for the evidence files (mode 0600). The set is replaced as a whole: written to a
    /// private staging directory inside it, then swapped in; files of formats not written this
    /// time are removed, and on any error the previous set stays untouched. Checked before the audit.
    #[arg(long, short = 'o', value_name = "DIR", default_value = "kensa-report")]
    pub out: PathBuf,
    /// Report formats, comma-separated: json, md, html, csv, xlsx, or all.
    #[arg(
        long,
        value_name = "LIST",
        default_value = "json,md,html,csv",
        value_delimiter = ','
    )]
    pub format: Vec<String>,
    /// Language of the human reports: ja or en.
    #[arg(long, value_name = "ja|en", default_value = "ja")]
    pub lang: String,
    /// Breach check: `online` (Pwned Passwords range API, k-anonymity), `off`, or PATH of an offline corpus; repeatable.
    #[arg(long, value_name = "online|off|PATH", default_value = "online")]
    pub hibp: Vec<String>,
    /// Base URL of the range API (a mirror). Redirects are followed only within its origin
    /// (scheme, host, port; at most 5, no loop) and a range body over 4 MiB is refused: either is
    /// an error, not retried.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://api.pwnedpasswords.com"
    )]
    pub hibp_url: String,
    /// How long the online breach lookups may take in all: `90s`, `10m`, `1h`, `500ms` (a bare
    /// number is seconds; `0`: no deadline). At the deadline, or at once when the API evidently
    /// does not answer (two rounds of requests with no answer at all), the lookups left are given
    /// up: errors (exit 2), never "not found", told in one message.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = deadline)]
    pub hibp_deadline: Deadline,
    /// Keep range bodies in this directory and reuse them while younger than --hibp-cache-max-age.
    #[arg(long, value_name = "DIR")]
    pub hibp_cache: Option<PathBuf>,
    /// Maximum age of a cached range body, in days.
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub hibp_cache_max_age: u64,
    /// Retries of a failed range request (5xx, 429, network errors), with exponential backoff.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub hibp_retries: u32,
    /// An earlier evidence.json: mark findings new / unchanged / resolved (matched by names, never secrets).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// What makes the exit code 1: any, reuse, weak, breached, policy, undetermined, new,
    /// new-reuse, none (comma-separated, combinable: `reuse,undetermined`). `any` is every failing
    /// finding (reuse, weak, breached, policy); it does not include `undetermined`, an item
    /// answered 判定不能 because accounts could not be verified: add it to fail on that too. new
    /// and new-reuse compare with --baseline, and without it act as any and reuse.
    #[arg(
        long,
        value_name = "LIST",
        default_value = "any",
        value_delimiter = ','
    )]
    pub fail_on: Vec<String>,
    /// 確認日 (check date), YYYY-MM-DD; default: the manifest's checked_on, else today.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub check_date: Option<String>,
    /// 目標日 (target date for いいえ), YYYY-MM-DD; default: 31 March ending the fiscal year.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub target_date: Option<String>,
    /// Accounts of one system sharing a password fail 2-⑧ too (default: a warning).
    #[arg(long)]
    pub strict_reuse: bool,
    /// Write a bundle for handing over to one vendor: only the systems the manifest says NAME
    /// manages (their accounts, policies, reuse groups cut to them, inputs), answered as that
    /// vendor's 事業者確認用. An unknown NAME is a usage error listing the vendors.
    #[arg(long, value_name = "NAME")]
    pub vendor: Option<String>,
    /// Mask account names in every output (`yamada` → `ya***a`; three characters or fewer:
    /// first character + `***`), for reports shared outside the facility.
    #[arg(long)]
    pub mask_accounts: bool,
    #[command(flatten)]
    pub edition: EditionArgs,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// No progress display.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub edition: EditionArgs,
    /// Policy files (`PATH` or `FORMAT:PATH`; a pwquality.conf.d directory), merged as the policy of one system.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// The system has two-factor authentication.
    #[arg(long)]
    pub mfa: bool,
    /// Enforced maximum password age in days (when no file says it).
    #[arg(long, value_name = "DAYS")]
    pub rotation_days: Option<i64>,
    /// Language of the text: ja or en (the same default as `audit --lang`).
    #[arg(long, value_name = "ja|en", default_value = "ja")]
    pub lang: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub edition: EditionArgs,
    /// The account name (a password containing it is guessable).
    #[arg(long, value_name = "NAME", default_value = "")]
    pub account: String,
    /// Facility, people or product names that make a password guessable; repeatable.
    #[arg(long = "context", value_name = "WORD")]
    pub context: Vec<String>,
    /// The system has two-factor authentication.
    #[arg(long)]
    pub mfa: bool,
    /// Enforced maximum password age in days.
    #[arg(long, value_name = "DAYS")]
    pub rotation_days: Option<i64>,
    /// Also look the password up in Pwned Passwords: `online` (k-anonymity) or `off`.
    #[arg(long, value_name = "online|off", default_value = "off")]
    pub hibp: String,
    /// Base URL of the range API (redirects only within its origin; bodies over 4 MiB refused).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://api.pwnedpasswords.com"
    )]
    pub hibp_url: String,
    /// How long the online lookup may take in all: `90s`, `10m`, `1h` (`0`: no deadline).
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = deadline)]
    pub hibp_deadline: Deadline,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Language of the text: ja or en (the same default as `audit --lang`).
    #[arg(long, value_name = "ja|en", default_value = "ja")]
    pub lang: String,
}

/// `--hibp-deadline`: how long the online breach lookups may take in all (`None`: no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline(pub Option<Duration>);

/// Parses `90s`, `10m`, `1h`, `500ms` or a bare number of seconds; any zero means no deadline.
pub fn deadline(s: &str) -> Result<Deadline, crate::error::Error> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let bad = || {
        crate::error::Error::usage(format!(
            "`{s}` is not a duration such as 90s, 10m, 1h or 500ms (0: no deadline)"
        ))
    };
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let ms = match unit.trim() {
        "ms" => Some(1),
        "" | "s" => Some(1_000),
        "m" | "min" => Some(60_000),
        "h" => Some(3_600_000),
        _ => None,
    }
    .ok_or_else(bad)?;
    let total = n.checked_mul(ms).ok_or_else(bad)?;
    Ok(Deadline((total > 0).then(|| Duration::from_millis(total))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines() {
        let d = |s| deadline(s).map(|d| d.0);
        assert_eq!(d("90s"), Ok(Some(Duration::from_secs(90))));
        assert_eq!(d("10m"), Ok(Some(Duration::from_secs(600))));
        assert_eq!(d("1h"), Ok(Some(Duration::from_secs(3600))));
        assert_eq!(d("500ms"), Ok(Some(Duration::from_millis(500))));
        assert_eq!(d("45"), Ok(Some(Duration::from_secs(45))));
        assert_eq!(d(" 2 min "), Ok(Some(Duration::from_secs(120))));
        assert_eq!(d("0"), Ok(None));
        assert_eq!(d("0s"), Ok(None));
        for bad in [
            "",
            "m",
            "-5s",
            "1.5m",
            "10 minutes",
            "1d",
            "99999999999999999h",
        ] {
            assert!(d(bad).is_err(), "{bad}");
        }
    }
}
