//! The words of the per-vendor checklists, the bundles for one vendor (`--vendor`) and masked
//! account names (`--mask-accounts`), in Japanese and English.

use super::{pick, Lang};
use crate::model::evidence::Evidence;

/// The words of the per-vendor lists and of the bundle and masking notes.
#[derive(Debug)]
pub struct ShareLabels {
    /// The 事業者名 line of a per-vendor checklist.
    pub vendor_name: &'static str,
    /// The name shown for vendor-managed systems whose vendor the manifest does not name.
    pub vendor_not_named: &'static str,
    /// The key of the line saying what a bundle covers.
    pub scope: &'static str,
    /// The key of the line saying account names are masked.
    pub masked: &'static str,
    /// Its value.
    pub masked_value: &'static str,
}

pub fn share_labels(lang: Lang) -> &'static ShareLabels {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

static JA: ShareLabels = ShareLabels {
    vendor_name: "事業者名",
    vendor_not_named: "事業者名未記入",
    scope: "対象範囲",
    masked: "アカウント名",
    masked_value: "伏せ字で表示（例：ya***a）",
};

static EN: ShareLabels = ShareLabels {
    vendor_name: "Vendor",
    vendor_not_named: "vendor not named",
    scope: "Scope",
    masked: "Account names",
    masked_value: "masked (e.g. ya***a)",
};

/// A vendor's name as printed: the name, or 「事業者名未記入」 when the manifest gives none.
pub fn vendor_shown(lang: Lang, vendor: Option<&str>) -> String {
    match vendor {
        Some(v) => v.to_string(),
        None => share_labels(lang).vendor_not_named.to_string(),
    }
}

/// What a bundle covers: only the systems of `vendor`.
pub fn scope_value(lang: Lang, vendor: &str) -> String {
    match lang {
        Lang::Ja => format!("{vendor} の管理するシステムのみ（事業者向け抜粋）"),
        Lang::En => format!("only the systems managed by {vendor} (extract for the vendor)"),
    }
}

/// In a bundle: how many accounts outside it share a group's password (never named).
pub fn outside_members(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Ja => format!("対象外のシステムの {n} アカウントとも共用"),
        Lang::En => format!("also shared by {n} accounts on systems outside this extract"),
    }
}

/// The checklist line of the terminal summary for one vendor.
pub fn terminal_vendor(lang: Lang, vendor: &str) -> String {
    format!("{}: {vendor}", pick(lang, "事業者確認用", "For the vendor"))
}

/// The lines every report's header (and the terminal summary) adds for evidence made to be
/// shared: the vendor a bundle covers (`--vendor`) and that account names are masked
/// (`--mask-accounts`).
pub fn share_fields(ev: &Evidence, lang: Lang) -> Vec<(String, String)> {
    let s = share_labels(lang);
    let mut out = Vec::new();
    if let Some(scope) = &ev.scope {
        out.push((s.scope.to_string(), scope_value(lang, &scope.vendor)));
    }
    if ev.masked_accounts {
        out.push((s.masked.to_string(), s.masked_value.to_string()));
    }
    out
}
