//! `kensa policy FILE...`: policy files read as the audit reads them ([`engine::read_policy`]),
//! merged and judged by the rules of 2-⑦, printed as text or JSON.

use super::args::PolicyArgs;
use super::summary::policy_report;
use super::{lang_of, out, Outcome};
use crate::engine;
use crate::report;
use crate::rules::edition::Edition;
use crate::rules::policy;

pub(super) fn run(p: PolicyArgs) -> Result<Outcome, crate::error::Error> {
    let lang = lang_of(&p.lang)?;
    let ed = Edition::choose_or_default(p.edition.edition.as_deref(), p.edition.rules.as_deref())?;
    let mut fragments = Vec::new();
    let mut problems = 0;
    for arg in &p.files {
        let read = engine::read_policy(arg, engine::DEFAULT_MAX_INPUT_SIZE)?;
        for e in &read.errors {
            eprintln!(
                "kensa: {}: {}",
                report::visible(&e.source),
                report::visible(&e.message)
            );
            problems += 1;
        }
        fragments.extend(read.fragment);
    }
    let eff = policy::merge(&fragments, p.mfa, p.rotation_days);
    let v = policy::judge(&eff, &ed);
    if p.json {
        let j = serde_json::json!({
            "edition": ed.id,
            "sources": eff.sources,
            "status": v.status,
            "path": v.path,
            "effective": eff.to_evidence(),
            "findings": v.findings,
            "advisories": v.advisories,
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&j).unwrap_or_default()
        ));
    } else {
        out(&policy_report(&eff, &v, lang));
    }
    Ok(if problems > 0 {
        Outcome::Incomplete
    } else if v.status == crate::model::tags::PolicyStatus::Fail {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
