//! A small hand-built evidence for the report tests: every account status, a reuse group, a policy,
//! an advisory, an input error and hostile account names.

use crate::model::evidence::*;
use crate::model::{
    Code, Finding, InputError, ManagedBy, Scheme, Severity, SkipReason, SystemKind,
};

/// Markup, a line break, a NUL and an escape sequence: reports escape the first and show the rest.
pub(crate) const EVIL_NAME: &str = "<script>alert(\"x\")</script>|`tick`\nline2\0\x1b[31m";
pub(crate) const FORMULA_NAME: &str = "=HYPERLINK(\"http://x\",'a')";

fn item(id: &str, label: &str, answer: Answer, remarks: &str) -> Item {
    Item {
        item: id.into(),
        label: label.into(),
        answer,
        checked_on: "2026-11-24".into(),
        target_date: (answer == Answer::No).then(|| "2027-03-31".into()),
        remarks: remarks.into(),
        failing: None,
        unverified: None,
        passing: None,
        groups: None,
    }
}

fn account(system: &str, name: &str, status: AccountStatus) -> AccountEvidence {
    AccountEvidence {
        system: system.into(),
        account: name.into(),
        source: format!("{system}.txt:1"),
        scheme: Scheme::Nt,
        hash_prefix: None,
        plaintext_known: false,
        recovered_by: None,
        length: None,
        status,
        path: None,
        skip_reason: None,
        findings: vec![],
        breach: Breach {
            status: BreachStatus::Unchecked,
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

/// The sample evidence; `complete` sets `ev.complete`.
pub(crate) fn sample(complete: bool) -> Evidence {
    let mut i7 = item("2-7", "令和7年度版 2-⑦", Answer::No, "ad01 に不合格 1 件");
    i7.failing = Some(2);
    i7.unverified = Some(1);
    i7.passing = Some(1);
    let mut i8 = item("2-8", "令和7年度版 2-⑧", Answer::No, "R1");
    i8.groups = Some(1);
    let v7 = item("2-7", "令和7年度版 2-⑦", Answer::Yes, "");
    let v8 = item(
        "2-8",
        "令和7年度版 2-⑧",
        Answer::Undetermined,
        "rt01 未検証",
    );

    let mut pass = account("ad01", "suzuki", AccountStatus::Pass);
    pass.plaintext_known = true;
    pass.recovered_by = Some(Method::Potfile);
    pass.length = Some(16);
    pass.path = Some(PassPath::Len13);
    pass.breach = Breach {
        status: BreachStatus::NotFound,
        count: None,
        via: Some(Via::Sha1),
    };

    let mut fail = account("ad01", "yoshida", AccountStatus::Fail);
    fail.source = "ad01-ntds.txt:4".into();
    fail.plaintext_known = true;
    fail.recovered_by = Some(Method::Wordlist);
    fail.length = Some(10);
    fail.findings = vec![
        Finding::fail(
            Code::TooShort,
            "10 < 13 without two-factor or rotation ≤ 60 days",
        ),
        Finding::fail(Code::Breached, "seen 1207 times"),
        Finding::fail(Code::ReusedAcrossSystems, "R1"),
        Finding::warn(Code::NonAscii, "2 non-ASCII characters"),
    ];
    fail.breach = Breach {
        status: BreachStatus::Found,
        count: Some(1207),
        via: Some(Via::Ntlm),
    };
    fail.reuse_group = Some("R1".into());

    let mut evil = account("pc-01", EVIL_NAME, AccountStatus::Fail);
    evil.findings = vec![Finding::fail(Code::EmptyPassword, "")];
    evil.breach.status = BreachStatus::Error;

    let mut formula = account("pc-01", FORMULA_NAME, AccountStatus::Pass);
    formula.path = Some(PassPath::Len8Mfa);

    let mut unverified = account("rt01", "admin", AccountStatus::Unverified);
    unverified.scheme = Scheme::Sha512crypt;
    unverified.hash_prefix = Some("$6$rounds=999999999$abcdef".into());
    unverified.source = "rt01-shadow:2".into();
    // A cost bomb: one try is over the budget per hash, so nothing was tried.
    unverified.salted = Some(Box::new(SaltedWork {
        tries: 0,
        cost: 3_609_999_996,
        complete: false,
        skipped: Some(SaltedSkip::CostExceedsBudget),
        params: Some("rounds=999999999".into()),
    }));

    let mut skipped = account("ad01", "WS01$", AccountStatus::Skipped);
    skipped.skip_reason = Some(SkipReason::Machine);

    let mut reused = account("rt01", "yoshida", AccountStatus::Fail);
    reused.findings = vec![Finding::fail(Code::ReusedAcrossSystems, "R1")];
    reused.reuse_group = Some("R1".into());

    Evidence {
        schema: SCHEMA.into(),
        tool: Tool {
            name: "kensa".into(),
            version: "0.1.0".into(),
        },
        edition: "R7".into(),
        facility: "コロ病院".into(),
        checked_on: "2026-11-24".into(),
        checked_on_source: Some(DateSource::Manifest),
        complete,
        items: vec![i7.clone(), i8.clone()],
        checklists: vec![
            Checklist {
                managed_by: ManagedBy::Institution,
                title: "医療機関確認用".into(),
                vendor: None,
                systems: vec!["ad01".into(), "pc-01".into()],
                items: vec![i7, i8],
            },
            Checklist {
                managed_by: ManagedBy::Vendor,
                title: "事業者確認用".into(),
                vendor: None,
                systems: vec!["rt01".into()],
                items: vec![v7.clone(), v8.clone()],
            },
        ],
        vendor_checklists: vec![Checklist {
            managed_by: ManagedBy::Vendor,
            title: "事業者確認用".into(),
            vendor: Some("MedNet Systems".into()),
            systems: vec!["rt01".into()],
            items: vec![v7, v8],
        }],
        systems: vec![
            SystemSummary {
                id: "ad01".into(),
                name: Some("院内ドメイン".into()),
                kind: SystemKind::Server,
                managed_by: ManagedBy::Institution,
                vendor: None,
                mfa: false,
                accounts: 3,
                failing: 1,
                unverified: 0,
                passing: 1,
                skipped: 1,
                policy: PolicyStatus::Fail,
                target_date: None,
            },
            SystemSummary {
                id: "pc-01".into(),
                name: None,
                kind: SystemKind::TerminalPc,
                managed_by: ManagedBy::Institution,
                vendor: None,
                mfa: true,
                accounts: 2,
                failing: 1,
                unverified: 0,
                passing: 1,
                skipped: 0,
                policy: PolicyStatus::None,
                target_date: None,
            },
            SystemSummary {
                id: "rt01".into(),
                name: Some("ルータ".into()),
                kind: SystemKind::NetworkDevice,
                managed_by: ManagedBy::Vendor,
                vendor: Some("MedNet Systems".into()),
                mfa: false,
                accounts: 2,
                failing: 1,
                unverified: 1,
                passing: 0,
                skipped: 0,
                policy: PolicyStatus::None,
                target_date: None,
            },
        ],
        accounts: vec![pass, skipped, fail, evil, formula, unverified, reused],
        reuse_groups: vec![ReuseGroup {
            id: "R1".into(),
            scope: ReuseScope::CrossSystem,
            severity: Severity::Fail,
            evidence: Proof::IdenticalUnsaltedHash,
            proofs: vec![Proof::IdenticalUnsaltedHash, Proof::VerifiedPlaintext],
            systems: vec!["ad01".into(), "rt01".into()],
            members: vec![
                Member {
                    system: "ad01".into(),
                    account: "yoshida".into(),
                },
                Member {
                    system: "rt01".into(),
                    account: "yoshida".into(),
                },
            ],
            links: vec![Link {
                from: Member {
                    system: "ad01".into(),
                    account: "yoshida".into(),
                },
                to: Member {
                    system: "rt01".into(),
                    account: "yoshida".into(),
                },
                evidence: Proof::VerifiedPlaintext,
            }],
            default_password: false,
            outside_members: 0,
        }],
        policies: vec![PolicyEvidence {
            system: "ad01".into(),
            sources: vec!["ad01-secedit.inf".into()],
            status: PolicyStatus::Fail,
            path: None,
            effective: EffectivePolicy {
                min_length: Some(8),
                require: vec!["3-of-4".into()],
                max_age_days: Some(90),
                mfa: false,
                max_length: None,
                lockout_threshold: Some(10),
                lockout_duration_minutes: Some(30),
                lockout_reset_minutes: Some(30),
            },
            findings: vec![
                Finding::fail(Code::PolicyRotationTooLong, "90 > 60 days"),
                Finding::fail(Code::PolicyComposition, "complexity is 3 of 4 categories"),
            ],
        }],
        advisories: vec![Advisory {
            system: "ad01".into(),
            account: None,
            finding: Finding::info(Code::NistRotationDiscouraged, "maximum age 90 days"),
        }],
        input_errors: vec![InputError {
            source: "bad.txt:7".into(),
            message: "expected 7 fields, found 3".into(),
        }],
        inputs: vec![InputSummary {
            path: "ad01-ntds.txt".into(),
            format: "pwdump".into(),
            sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into(),
            size: 4096,
            systems: vec!["ad01".into()],
            records: 12,
            errors: 1,
            encoding: Some(Encoding::Utf8),
        }],
        recovery: Recovery {
            recovered: [(Method::Potfile, 1), (Method::Wordlist, 1)]
                .into_iter()
                .collect(),
            candidates_unsalted: 5000,
            salted_hashes: 1,
            salted_budget: 100_000,
            salted_total: 1_000_000,
            salted_units: 40_000,
            salted_verifications: 5000,
            cross_verifications: 3,
            potfile_lines_matched: 1,
            potfile_lines_rejected: 0,
            potfile_lines_skipped: 1,
        },
        breach_check: BreachCheck {
            mode: BreachMode::Online,
            status: if complete {
                BreachCheckStatus::Complete
            } else {
                BreachCheckStatus::Incomplete
            },
            lookups: 31,
            found: 1,
            errors: if complete { 0 } else { 1 },
            dataset: "api.pwnedpasswords.com".into(),
            date: Some("2026-11-01".into()),
            attribution: HIBP_ATTRIBUTION.into(),
            gave_up: None,
        },
        rules: String::new(),
        manifest: None,
        input_paths: Vec::new(),
        baseline: None,
        // As the engine would say of this evidence: the one salted hash never tried, and when
        // incomplete the bad line of bad.txt and the failed lookup.
        completeness: Some(Completeness {
            inputs: if complete {
                Part::complete()
            } else {
                Part {
                    files: vec!["bad.txt".into()],
                    ..Part::because(PartStatus::Incomplete, PartReason::InputErrors, Some(1))
                }
            },
            recovery: Part::because(
                PartStatus::Incomplete,
                PartReason::SaltedHashesNotTried,
                Some(1),
            ),
            breach_check: if complete {
                Part::complete()
            } else {
                Part::because(PartStatus::Incomplete, PartReason::LookupsFailed, Some(1))
            },
        }),
        edition_rules: Some(
            crate::rules::edition::Edition::builtin("R7")
                .unwrap()
                .to_evidence(),
        ),
        scope: None,
        masked_accounts: false,
        run: None,
    }
}
