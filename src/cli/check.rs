//! `kensa check`: one password (from the terminal or standard input, never an argument) judged
//! by the 2-⑦ rules the audit applies, and looked up in Pwned Passwords when asked.

use super::args::CheckArgs;
use super::summary::check_report;
use super::{lang_of, out, Outcome};
use crate::breach::online::{OnlineOptions, OnlineSource};
use crate::breach::{BreachSource, Lookup, Query};
use crate::error::{Error, ExitClass};
use crate::recover::wordlists::Wordlists;
use crate::rules::edition::Edition;
use crate::rules::guess::GuessContext;
use crate::rules::seven;
use std::io::IsTerminal;

pub(super) fn run(c: CheckArgs) -> Result<Outcome, Error> {
    let lang = lang_of(&c.lang)?;
    let pw = read_password()?;
    let lists = Wordlists::builtin();
    let words: Vec<String> = c.context.iter().map(|w| w.to_lowercase()).collect();
    let g = GuessContext {
        account: &c.account,
        context_words: &words,
        lists: &lists,
    };
    let a = seven::assess(pw.expose(), &g);
    let ctx = seven::AccountContext {
        mfa: c.mfa,
        max_age_days: c.rotation_days,
        pin_exempt: false,
        default_applies: true,
        age_exceeded: None,
    };
    let ed = Edition::choose_or_default(c.edition.edition.as_deref(), c.edition.rules.as_deref())?;
    let mut v = seven::decide(&a, &ctx, &ed);
    let mut breach = "unchecked".to_string();
    let mut lookup_failed = false;
    match c.hibp.as_str() {
        "off" => {}
        "online" => {
            let src = OnlineSource::new(OnlineOptions {
                base_url: c.hibp_url.clone(),
                deadline: c.hibp_deadline.0,
                ..Default::default()
            })?;
            let q = Query::Sha1(crate::hash::sha1(pw.expose()));
            match src.lookup(&[q], &|_| {}).pop() {
                Some(Lookup::Found(n)) => {
                    breach = "found".into();
                    v.path = None;
                    v.findings.push(crate::rules::stored::breached(
                        n,
                        crate::model::tags::Via::Sha1,
                    ));
                }
                Some(Lookup::NotFound) => breach = "not_found".into(),
                Some(Lookup::Error(e)) => {
                    breach = "error".into();
                    lookup_failed = true;
                    eprintln!("kensa: breach lookup failed: {e}");
                }
                None => {}
            }
        }
        other => {
            return Err(Error::usage(format!(
                "--hibp: `{other}` is not online or off"
            )))
        }
    }
    let pass = v.path.is_some();
    if c.json {
        let j = serde_json::json!({
            "edition": ed.id,
            "status": if pass { "pass" } else { "fail" },
            "path": v.path,
            "length": a.length,
            "findings": v.findings,
            "breach": breach,
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&j).unwrap_or_default()
        ));
    } else {
        out(&check_report(pass, lang, &v, a.length, &breach));
    }
    Ok(if lookup_failed {
        Outcome::Incomplete
    } else if pass {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn read_password() -> Result<crate::model::Secret, Error> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let p = rpassword::prompt_password("password: ")
            .map_err(|e| Error::new(ExitClass::Input, format!("cannot read the password: {e}")))?;
        return Ok(crate::model::Secret::new(p));
    }
    let mut line = zeroize::Zeroizing::new(String::new());
    std::io::BufRead::read_line(&mut stdin.lock(), &mut line).map_err(|e| {
        Error::new(
            ExitClass::Input,
            format!("cannot read the password from standard input: {e}"),
        )
    })?;
    let p = line.trim_end_matches(['\n', '\r']);
    Ok(crate::model::Secret::new(p))
}
