//! The checklist answers (はい / いいえ / 判定不能) for items 2-⑦ and 2-⑧, over any subset of systems.

use super::edition::Edition;
use crate::model::evidence::{
    AccountEvidence, AccountStatus, Answer, BreachStatus, Item, PolicyEvidence, ReuseGroup,
};
use crate::model::tags::PolicyStatus;
use crate::model::{Code, Severity};
use crate::words::{self, Lang};
use std::collections::{BTreeMap, BTreeSet};

/// Dates and language for the answers.
#[derive(Debug, Clone)]
pub struct AnswerContext<'a> {
    /// The edition in force: the items' labels.
    pub edition: &'a Edition,
    pub checked_on: &'a str,
    pub target_date: &'a str,
    pub lang: Lang,
}

/// Which systems have account inputs that could not be read in full (input errors): their
/// accounts may be more than those audited. Only account-bearing inputs count: a policy file's
/// bad line or a pot file's bad line removes no account (rules.md: はい needs every in-scope
/// account to pass, so an account input not read whole leaves the answer open).
#[derive(Debug, Clone, Default)]
pub struct Unread {
    /// Inputs with errors that belong to no one system (an inventory naming its own, a file
    /// whose format could not be told): every system may have lost accounts.
    pub any_system: BTreeSet<String>,
    /// Inputs with errors, by the system they belong to.
    pub systems: BTreeMap<String, BTreeSet<String>>,
}

impl Unread {
    /// Record `file`, an account input of `system` (or of no one system) not read whole.
    pub fn add(&mut self, system: Option<&str>, file: &str) {
        match system {
            Some(s) => self
                .systems
                .entry(s.to_string())
                .or_default()
                .insert(file.to_string()),
            None => self.any_system.insert(file.to_string()),
        };
    }

    /// The inputs not read whole that may have held accounts of a system in `scope`.
    fn files(&self, scope: &BTreeSet<&str>) -> BTreeSet<&str> {
        self.systems
            .iter()
            .filter(|(s, _)| scope.contains(s.as_str()))
            .flat_map(|(_, f)| f)
            .chain(&self.any_system)
            .map(String::as_str)
            .collect()
    }
}

/// Answer both items over the systems in `scope`.
///
/// With no in-scope account at all, rules.md says いいえ with 備考 「対象外」: so it is when every
/// input was read. When account inputs of the scope had errors (an empty export, a file of
/// malformed lines), the accounts audited may not be all of them: an item is then never はい but
/// 判定不能 (undetermined) with the files named, while いいえ (a failure found) stands.
pub fn answer_items(
    scope: &BTreeSet<&str>,
    accounts: &[AccountEvidence],
    policies: &[PolicyEvidence],
    groups: &[ReuseGroup],
    unread: &Unread,
    cx: &AnswerContext<'_>,
) -> Vec<Item> {
    let accounts: Vec<&AccountEvidence> = accounts
        .iter()
        .filter(|a| scope.contains(&*a.system))
        .collect();
    let policies: Vec<&PolicyEvidence> = policies
        .iter()
        .filter(|p| scope.contains(&*p.system))
        .collect();
    let groups: Vec<&ReuseGroup> = groups
        .iter()
        .filter(|g| g.members.iter().any(|m| scope.contains(&*m.system)))
        .collect();
    let files = unread.files(scope);
    let unread = (!files.is_empty()).then(|| names(&files));
    vec![
        item7(&accounts, &policies, unread.as_deref(), cx),
        item8(&accounts, &groups, unread.as_deref(), cx),
    ]
}

/// The answer and remark for an item with no in-scope account (see [`answer_items`]).
fn nothing_in_scope(unread: Option<&str>, lang: Lang) -> (Answer, String) {
    match unread {
        Some(files) => (
            Answer::Undetermined,
            format!(
                "{}{}{}",
                words::remark_nothing_in_scope(lang, true),
                words::remark_sep(lang),
                words::remark_inputs_not_read_whole(lang, files)
            ),
        ),
        None => (
            Answer::No,
            words::remark_nothing_in_scope(lang, false).into(),
        ),
    }
}

/// An answer that would be はい, or is 判定不能 already: with account inputs of the scope not
/// read whole (`unread`, the files), 判定不能 naming them first.
fn unless_unread(
    answer: Answer,
    remarks: String,
    unread: Option<&str>,
    lang: Lang,
) -> (Answer, String) {
    match unread {
        Some(files) if answer != Answer::No => (
            Answer::Undetermined,
            format!(
                "{}{}{remarks}",
                words::remark_inputs_not_read_whole(lang, files),
                words::remark_sep(lang)
            ),
        ),
        _ => (answer, remarks),
    }
}

/// The set of `names`, which come in runs of equal ones (accounts are in system order).
fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut set = BTreeSet::new();
    let mut last = None;
    for n in names {
        if last != Some(n) {
            set.insert(n);
            last = Some(n);
        }
    }
    set
}

fn names(set: &BTreeSet<&str>) -> String {
    set.iter().copied().collect::<Vec<_>>().join(", ")
}

fn item7(
    accounts: &[&AccountEvidence],
    policies: &[&PolicyEvidence],
    unread: Option<&str>,
    cx: &AnswerContext<'_>,
) -> Item {
    let in_scope: Vec<_> = accounts
        .iter()
        .filter(|a| a.status != AccountStatus::Skipped)
        .collect();
    let count = |s| in_scope.iter().filter(|a| a.status == s).count();
    let (failing, unverified, passing) = (
        count(AccountStatus::Fail),
        count(AccountStatus::Unverified),
        count(AccountStatus::Pass),
    );
    let failing_policies: BTreeSet<&str> = policies
        .iter()
        .filter(|p| p.status == PolicyStatus::Fail)
        .map(|p| &*p.system)
        .collect();
    let failing_systems = distinct(
        in_scope
            .iter()
            .filter(|a| a.status == AccountStatus::Fail)
            .map(|a| &*a.system),
    );
    let unverified_systems = distinct(
        in_scope
            .iter()
            .filter(|a| a.status == AccountStatus::Unverified)
            .map(|a| &*a.system),
    );
    let lookup_failed: Vec<&str> = in_scope
        .iter()
        .filter(|a| a.status == AccountStatus::Pass && a.breach.status == BreachStatus::Error)
        .map(|a| &*a.system)
        .collect();
    let lookups_failed = lookup_failed.len();
    let lookup_failed_systems = distinct(lookup_failed.into_iter());
    let lang = cx.lang;
    let (answer, remarks) = if in_scope.is_empty() && failing_policies.is_empty() {
        nothing_in_scope(unread, lang)
    } else if failing > 0 || !failing_policies.is_empty() {
        let mut parts = Vec::new();
        if failing > 0 {
            parts.push(words::remark_failing_accounts(
                lang,
                failing,
                &names(&failing_systems),
            ));
        }
        if !failing_policies.is_empty() {
            parts.push(words::remark_failing_policies(
                lang,
                &names(&failing_policies),
            ));
        }
        if unverified > 0 {
            parts.push(words::remark_unverified(
                lang,
                unverified,
                &names(&unverified_systems),
            ));
        }
        (Answer::No, parts.join(words::remark_sep(lang)))
    } else if unverified > 0 || passing == 0 {
        unless_unread(
            Answer::Undetermined,
            words::remark_undetermined(lang, unverified, &names(&unverified_systems)),
            unread,
            lang,
        )
    } else if lookups_failed > 0 {
        // 推定困難 includes "not in the breach corpus": a pass whose lookup failed is not shown.
        unless_unread(
            Answer::Undetermined,
            words::remark_lookups_failed(lang, lookups_failed, &names(&lookup_failed_systems)),
            unread,
            lang,
        )
    } else {
        unless_unread(
            Answer::Yes,
            words::remark_all_pass(lang, passing),
            unread,
            lang,
        )
    };
    Item {
        item: "2-7".into(),
        label: cx.edition.items.seven.label.ja.clone(),
        answer,
        checked_on: cx.checked_on.into(),
        target_date: (answer != Answer::Yes).then(|| cx.target_date.to_string()),
        remarks,
        failing: Some(failing),
        unverified: Some(unverified),
        passing: Some(passing),
        groups: None,
    }
}

fn item8(
    accounts: &[&AccountEvidence],
    groups: &[&ReuseGroup],
    unread: Option<&str>,
    cx: &AnswerContext<'_>,
) -> Item {
    let in_scope: Vec<_> = accounts
        .iter()
        .filter(|a| a.status != AccountStatus::Skipped)
        .collect();
    let failing_groups: Vec<&&ReuseGroup> = groups
        .iter()
        .filter(|g| g.severity == Severity::Fail)
        .collect();
    let defaults: Vec<_> = in_scope
        .iter()
        .filter(|a| {
            a.findings
                .iter()
                .any(|f| f.code == Code::DefaultPassword && f.severity == Severity::Fail)
        })
        .collect();
    let unknown = in_scope.iter().filter(|a| !a.plaintext_known).count();
    let lang = cx.lang;
    let (answer, remarks) = if in_scope.is_empty() {
        nothing_in_scope(unread, lang)
    } else if !failing_groups.is_empty() || !defaults.is_empty() {
        let mut parts = Vec::new();
        if !failing_groups.is_empty() {
            let ids: Vec<&str> = failing_groups.iter().map(|g| g.id.as_str()).collect();
            // The systems of this checklist's scope only: a vendor's sheet names its own
            // systems, never the facility's or another vendor's that share the password.
            let mine: BTreeSet<&str> = accounts.iter().map(|a| &*a.system).collect();
            let systems: BTreeSet<&str> = failing_groups
                .iter()
                .flat_map(|g| g.members.iter().map(|m| &*m.system))
                .filter(|s| mine.contains(s))
                .collect();
            parts.push(words::remark_reuse_groups(
                lang,
                ids.len(),
                &ids.join(", "),
                &names(&systems),
            ));
        }
        if !defaults.is_empty() {
            let systems = distinct(defaults.iter().map(|a| &*a.system));
            parts.push(words::remark_defaults(
                lang,
                defaults.len(),
                &names(&systems),
            ));
        }
        (Answer::No, parts.join(words::remark_sep(lang)))
    } else {
        let mut r = words::remark_no_reuse(lang, in_scope.len());
        if unknown > 0 {
            r.push_str(&words::remark_compared_by_hash(lang, unknown));
        }
        if groups.iter().any(|g| g.severity != Severity::Fail) {
            r.push_str(words::remark_within_system_warned(lang));
        }
        unless_unread(Answer::Yes, r, unread, lang)
    };
    Item {
        item: "2-8".into(),
        label: cx.edition.items.eight.label.ja.clone(),
        answer,
        checked_on: cx.checked_on.into(),
        target_date: (answer != Answer::Yes).then(|| cx.target_date.to_string()),
        remarks,
        failing: None,
        unverified: None,
        passing: None,
        groups: Some(failing_groups.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> AnswerContext<'static> {
        AnswerContext {
            edition: Edition::builtin("R7").unwrap(),
            checked_on: "2026-11-30",
            target_date: "2027-03-31",
            lang: Lang::Ja,
        }
    }

    #[test]
    fn no_account_is_not_applicable_when_read_and_undetermined_when_not() {
        let scope: BTreeSet<&str> = ["web"].into();
        let read = Unread::default();
        let items = answer_items(&scope, &[], &[], &[], &read, &cx());
        for i in &items {
            assert_eq!(
                (i.answer, i.remarks.as_str()),
                (Answer::No, "対象外（監査対象のアカウントなし）")
            );
        }
        for (system, file) in [(None, "inventory.csv"), (Some("web"), "web-shadow")] {
            let mut unread = Unread::default();
            unread.add(system, file);
            let items = answer_items(&scope, &[], &[], &[], &unread, &cx());
            for i in &items {
                assert_eq!(i.answer, Answer::Undetermined, "{}", i.item);
                assert!(i.remarks.starts_with("判定不能"), "{}", i.remarks);
                assert!(i.remarks.contains(file), "{}", i.remarks);
                assert_eq!(i.target_date.as_deref(), Some("2027-03-31"));
            }
        }
        // Another system's unread input says nothing of this scope.
        let mut other = Unread::default();
        other.add(Some("ad01"), "ad01-ntds.txt");
        let items = answer_items(&scope, &[], &[], &[], &other, &cx());
        assert!(items.iter().all(|i| i.answer == Answer::No));
    }

    fn account(system: &str, name: &str, status: AccountStatus) -> AccountEvidence {
        AccountEvidence {
            system: system.into(),
            account: name.into(),
            source: format!("{system}.txt:1"),
            scheme: crate::model::Scheme::Nt,
            hash_prefix: None,
            plaintext_known: true,
            recovered_by: None,
            length: Some(14),
            status,
            path: None,
            skip_reason: None,
            findings: Vec::new(),
            breach: crate::model::evidence::Breach {
                status: crate::model::evidence::BreachStatus::NotFound,
                count: None,
                via: None,
            },
            reuse_group: None,
            salted: None,
            password_last_set: None,
            password_never_expires: false,
            privileged: false,
        }
    }

    #[test]
    fn yes_becomes_undetermined_when_an_account_input_of_the_scope_was_not_read_whole() {
        let scope: BTreeSet<&str> = ["web"].into();
        let accounts = [account("web", "admin", AccountStatus::Pass)];
        let read = Unread::default();
        let items = answer_items(&scope, &accounts, &[], &[], &read, &cx());
        assert!(items.iter().all(|i| i.answer == Answer::Yes));

        let mut unread = Unread::default();
        unread.add(Some("web"), "web-shadow");
        for i in answer_items(&scope, &accounts, &[], &[], &unread, &cx()) {
            assert_eq!(i.answer, Answer::Undetermined, "{}", i.item);
            assert!(
                i.remarks
                    .starts_with("判定不能：読み取りきれなかった入力（web-shadow）"),
                "{}",
                i.remarks
            );
            assert_eq!(i.target_date.as_deref(), Some("2027-03-31"));
        }
        // A failure found stays いいえ: missing accounts cannot make it pass.
        let failing = [account("web", "admin", AccountStatus::Fail)];
        let items = answer_items(&scope, &failing, &[], &[], &unread, &cx());
        assert_eq!(items[0].answer, Answer::No);
        assert!(!items[0].remarks.contains("web-shadow"));
        // An input of another system, or one of no system, as the scope decides.
        let mut other = Unread::default();
        other.add(Some("ad01"), "ad01-ntds.txt");
        let items = answer_items(&scope, &accounts, &[], &[], &other, &cx());
        assert!(items.iter().all(|i| i.answer == Answer::Yes));
        other.add(None, "vendor.csv");
        let items = answer_items(&scope, &accounts, &[], &[], &other, &cx());
        assert!(items.iter().all(|i| i.answer == Answer::Undetermined));
        assert!(items[0].remarks.contains("vendor.csv") && !items[0].remarks.contains("ad01"));
    }

    #[test]
    fn a_pass_whose_breach_lookup_failed_keeps_2_7_from_yes() {
        let scope: BTreeSet<&str> = ["web"].into();
        let mut looked_up = account("web", "admin", AccountStatus::Pass);
        looked_up.breach.status = crate::model::evidence::BreachStatus::Error;
        let accounts = [looked_up, account("web", "ops", AccountStatus::Pass)];
        let items = answer_items(&scope, &accounts, &[], &[], &Unread::default(), &cx());
        assert_eq!(items[0].answer, Answer::Undetermined);
        assert!(
            items[0].remarks.contains("漏えい照会に失敗") && items[0].remarks.contains("web"),
            "{}",
            items[0].remarks
        );
        assert_eq!(items[0].target_date.as_deref(), Some("2027-03-31"));
        // 2-⑧ does not rest on the breach corpus.
        assert_eq!(items[1].answer, Answer::Yes);
        // A failing account still makes it いいえ.
        let mut failing = accounts.clone();
        failing[1].status = AccountStatus::Fail;
        let items = answer_items(&scope, &failing, &[], &[], &Unread::default(), &cx());
        assert_eq!(items[0].answer, Answer::No);
    }
}
