//! What every integration test needs once: the real `kensa` binary, an audit into a fresh directory
//! read back as the typed [`Evidence`] (the schema is itself a test), an account by name, the
//! fixtures' paths, and a local Pwned Passwords range server ([`range_server`]).

pub mod range_server;

use kensa::model::evidence::{AccountEvidence, Evidence, Item, ReuseGroup};
use kensa::model::{Code, Finding};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The checkout (where `Cargo.toml` is).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>`.
pub fn fixtures(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The example facility's folder, `examples/koro-hospital`.
pub fn example_dir() -> PathBuf {
    root().join("examples/koro-hospital")
}

/// The example facility's manifest.
pub fn example() -> PathBuf {
    example_dir().join("audit.toml")
}

/// Runs `kensa` with `args`, stdin closed.
pub fn kensa(args: &[&str]) -> Output {
    command(args).output().expect("run kensa")
}

/// Runs `kensa` in `dir` (so file arguments are named as a user would name them).
pub fn kensa_in(dir: &Path, args: &[&str]) -> Output {
    command(args).current_dir(dir).output().expect("run kensa")
}

/// Runs `kensa` without the caller's `NO_COLOR` and with `env` set.
pub fn kensa_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = command(args);
    c.env_remove("NO_COLOR");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run kensa")
}

/// Runs `kensa` with `input` on its stdin.
pub fn kensa_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut c = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kensa");
    c.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    c.wait_with_output().unwrap()
}

/// The exit code (a panic when kensa was killed by a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `kensa audit --out <fresh dir>/report --no-progress ARGS`: the output, the evidence, and the
/// directory holding `report/` (kept alive by the caller).
pub fn audit(args: &[&str]) -> (Output, Evidence, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (o, ev) = audit_into(&dir.path().join("report"), args);
    (o, ev, dir)
}

/// [`audit`], run in `cwd`.
pub fn audit_in(cwd: &Path, args: &[&str]) -> (Output, Evidence, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let o = kensa_in(cwd, &audit_args(&out, args));
    let ev = evidence(&out, &o);
    (o, ev, dir)
}

/// `kensa audit --out OUT --no-progress ARGS`: the output and the evidence.
pub fn audit_into(out: &Path, args: &[&str]) -> (Output, Evidence) {
    let o = kensa(&audit_args(out, args));
    let ev = evidence(out, &o);
    (o, ev)
}

/// The evidence.json in the report directory `out` written by the run `o`, typed.
pub fn evidence(out: &Path, o: &Output) -> Evidence {
    let text = std::fs::read_to_string(out.join("evidence.json"))
        .unwrap_or_else(|_| panic!("no evidence.json; stderr: {}", stderr(o)));
    serde_json::from_str(&text).expect("evidence.json reads as Evidence")
}

/// The evidence.json in `out` as JSON, for the tests about the file itself (key names, keys left
/// out, what the command line adds beside the evidence).
pub fn evidence_json(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("evidence.json")).expect("evidence.json");
    serde_json::from_str(&text).expect("evidence.json parses")
}

/// The account whose system is `sys` and whose name (without a `DOMAIN\` prefix) is `name`.
pub fn account<'a>(ev: &'a Evidence, sys: &str, name: &str) -> &'a AccountEvidence {
    ev.accounts
        .iter()
        .find(|a| &*a.system == sys && short(&a.account) == name)
        .unwrap_or_else(|| panic!("no account {sys}/{name}"))
}

/// [`account`] in the JSON of the evidence, for the keys a row leaves out.
pub fn account_json<'a>(ev: &'a Value, sys: &str, name: &str) -> &'a Value {
    ev["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["system"] == sys && short(a["account"].as_str().unwrap()) == name)
        .unwrap_or_else(|| panic!("no account {sys}/{name}"))
}

/// The codes of some findings.
pub fn codes(findings: &[Finding]) -> BTreeSet<Code> {
    findings.iter().map(|f| f.code).collect()
}

/// The answer to checklist item `id` (`2-7`, `2-8`).
pub fn item<'a>(ev: &'a Evidence, id: &str) -> &'a Item {
    ev.items
        .iter()
        .find(|i| i.item == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

/// The reuse group of an account that is in one.
pub fn group_of<'a>(ev: &'a Evidence, a: &AccountEvidence) -> &'a ReuseGroup {
    let id = a.reuse_group.as_deref().expect("in a reuse group");
    ev.reuse_groups.iter().find(|g| g.id == id).unwrap()
}

/// The name a value has in the evidence: a string as it is, anything else (`null`, a number) as
/// JSON text. Closed sets are compared through it, so a test reads the same whether the field is
/// a string or an enum that serializes to that name.
pub fn name<T: Serialize + ?Sized>(t: &T) -> String {
    match serde_json::to_value(t).expect("serializes") {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// A file's permission bits (`0o600`: the owner's only).
pub fn mode_of(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// True when hashcat can be run; otherwise prints a notice and returns false, or panics under
/// `KENSA_REQUIRE_HASHCAT=1` (CI, where hashcat is installed and the comparisons must run).
pub fn have_hashcat(test: &str) -> bool {
    let found = Command::new("hashcat")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        if std::env::var("KENSA_REQUIRE_HASHCAT").as_deref() == Ok("1") {
            panic!("{test}: hashcat is not on PATH but KENSA_REQUIRE_HASHCAT=1");
        }
        eprintln!("{test}: hashcat is not on PATH; skipping the comparison with hashcat");
    }
    found
}

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kensa"));
    c.args(args).stdin(Stdio::null());
    c
}

fn audit_args<'a>(out: &'a Path, args: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["audit", "--out", out.to_str().unwrap(), "--no-progress"];
    a.extend_from_slice(args);
    a
}

/// An account name without its `DOMAIN\` prefix.
fn short(account: &str) -> &str {
    account.rsplit('\\').next().unwrap()
}
