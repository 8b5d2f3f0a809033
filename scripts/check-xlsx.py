#!/usr/bin/env python3
"""Checks a kensa evidence.xlsx with an independent reader (openpyxl).

Usage:
    python3 -m venv /tmp/xl && /tmp/xl/bin/pip install openpyxl
    /tmp/xl/bin/python scripts/check-xlsx.py OUT/evidence.xlsx [OUT/evidence.json]

Checks that the workbook opens, has its sheets (Japanese or English names): 医療機関確認用 (not in a
bundle written with --vendor), one 事業者確認用 per vendor named `事業者確認用 (NAME)` with its 事業者名 in
the header block (a single 事業者確認用 for evidence without per-vendor lists), then the other sheets in
any order: the four data sheets (frozen, filtered), 統計 / Statistics, and others (是正計画 / Worklist;
前回比 / Baseline with --baseline); that no cell is a formula (account names are untrusted), and that
the checklist sheets show an answer for every item, their 確認日 and 目標日 as real dates (a datetime
with a yyyy-mm-dd format, not text) and a はい/いいえ list (data validation) on every answer cell.
With evidence.json (written by the same run, any --lang), also checks that the answers and 事業者名 on
every checklist sheet and the account names equal those of the JSON. Exits 1 on the first failure.
"""

import datetime
import json
import sys

import openpyxl

CHECKLIST_SHEETS = {
    "ja": ["医療機関確認用", "事業者確認用"],
    "en": ["For the facility", "For the vendor"],
}
DATA_SHEETS = {
    "ja": ["アカウント", "使い回し", "ポリシー", "入力"],
    "en": ["Accounts", "Reuse groups", "Policies", "Inputs"],
}
STATS_SHEET = {"ja": "統計", "en": "Statistics"}
DATE_HEADERS = {"ja": ("確認日", "目標日"), "en": ("Checked on", "Target date")}
# The choices of the answer list: はい/いいえ as on the MHLW form (判定不能 where it is the answer).
CHOICES = {"ja": ("はい", "いいえ"), "en": ("Yes", "No")}
VENDOR_NAME = {"ja": "事業者名", "en": "Vendor"}
VENDOR_NOT_NAMED = {"ja": "事業者名未記入", "en": "vendor not named"}
# Written last, and only when the run compared with an earlier evidence.json (--baseline).
BASELINE_SHEET = {"ja": "前回比", "en": "Baseline"}
ANSWERS = {
    "ja": {"yes": "はい", "no": "いいえ", "undetermined": "判定不能"},
    "en": {"yes": "Yes", "no": "No", "undetermined": "Undetermined"},
}
ANSWER_HEADER = {"ja": "はい・いいえ", "en": "Yes / No"}
NO_SYSTEMS = {"ja": "対象システムなし", "en": "No systems"}


def fail(msg):
    print(f"check-xlsx: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def checklist_answers(ws, lang):
    """The (item cell, answer) rows of a checklist sheet, or None when it says no systems.

    Also checks each item row: 確認日 (and 目標日 when there is one) are dates, not text, shown
    yyyy-mm-dd; the answer cell has a list validation offering はい and いいえ."""
    rows = list(ws.iter_rows(values_only=True))
    header = next((i for i, r in enumerate(rows) if ANSWER_HEADER[lang] in r), None)
    if header is None:
        if not any(NO_SYSTEMS[lang] in (c or "") for r in rows for c in r if isinstance(c, str)):
            fail(f"sheet {ws.title}: neither an answer table nor {NO_SYSTEMS[lang]}")
        return None
    col = rows[header].index(ANSWER_HEADER[lang])
    date_cols = [rows[header].index(h) for h in DATE_HEADERS[lang]]
    out = []
    for i, r in enumerate(rows[header + 1:]):
        if r[0] is None:
            break
        excel_row = header + 2 + i
        for dc in date_cols:
            cell = ws.cell(row=excel_row, column=dc + 1)
            if cell.value is None and dc == date_cols[1]:
                continue  # no 目標日 for はい
            if not isinstance(cell.value, datetime.datetime) or not cell.is_date:
                fail(f"{ws.title}!{cell.coordinate}: {cell.value!r} is not a date")
            if cell.number_format.replace("\\", "") != "yyyy-mm-dd":
                fail(f"{ws.title}!{cell.coordinate}: date format {cell.number_format!r}")
        answer = ws.cell(row=excel_row, column=col + 1)
        lists = [
            dv
            for dv in ws.data_validations.dataValidation
            if dv.type == "list" and answer.coordinate in dv.sqref
        ]
        if not lists:
            fail(f"{ws.title}!{answer.coordinate}: no answer list")
        choices = lists[0].formula1.strip('"').split(",")
        if any(c not in choices for c in CHOICES[lang]) or r[col] not in choices:
            fail(f"{ws.title}!{answer.coordinate}: list {choices} lacks {CHOICES[lang]} or {r[col]!r}")
        out.append((r[0], r[col]))
    return out


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    wb = openpyxl.load_workbook(sys.argv[1])
    names = wb.sheetnames
    lang = None
    for k in DATA_SHEETS:
        inst, vend = CHECKLIST_SHEETS[k]
        n = 0
        while n < len(names) and (
            names[n] == inst or names[n] == vend or names[n].startswith(vend + " (")
        ):
            n += 1
        rest = names[n:]
        if n and all(d in rest for d in DATA_SHEETS[k] + [STATS_SHEET[k]]):
            lang, checklist_titles = k, names[:n]
    if lang is None:
        fail(f"unexpected sheets {names}")
    inst, vend = CHECKLIST_SHEETS[lang]
    for i, title in enumerate(checklist_titles):
        ok = title == vend or title.startswith(vend + " (") or (title == inst and i == 0)
        if not ok or len(title) > 31:
            fail(f"unexpected checklist sheet {title!r} in {names}")
    if not any(t == vend or t.startswith(vend + " (") for t in checklist_titles):
        fail(f"no 事業者確認用 sheet in {names}")
    print(f"sheets ({lang}): {', '.join(names)}")

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    fail(f"formula in {ws.title}!{c.coordinate}: {c.value!r}")
        if ws.title in DATA_SHEETS[lang] and ws.freeze_panes is None:
            fail(f"sheet {ws.title} has no frozen header")
        if ws.title in DATA_SHEETS[lang] and not ws.auto_filter.ref:
            fail(f"sheet {ws.title} has no autofilter")

    answers = {}
    vendors = {}
    for title in checklist_titles:
        rows = checklist_answers(wb[title], lang)
        answers[title] = rows
        vendors[title] = next(
            (r[1] for r in wb[title].iter_rows(values_only=True) if r[0] == VENDOR_NAME[lang]), None
        )
        if rows is not None:
            for item, ans in rows:
                if ans not in ANSWERS[lang].values():
                    fail(f"{title}: item {item!r} has answer {ans!r}")
        print(f"{title}: {rows if rows is not None else NO_SYSTEMS[lang]}")

    stats = wb[STATS_SHEET[lang]]
    if not any(isinstance(c, int) for r in stats.iter_rows(values_only=True) for c in r):
        fail(f"sheet {stats.title}: no counts")

    if len(sys.argv) == 3:
        with open(sys.argv[2], encoding="utf-8") as f:
            ev = json.load(f)
        # The checklists the sheets show, in their order (vendor None: no 事業者名 line).
        by = {c["managed_by"]: c for c in ev.get("checklists", [])}
        want_lists = []
        if "scope" not in ev:
            want_lists.append((by.get("institution"), None))
        if ev.get("vendor_checklists"):
            for c in ev["vendor_checklists"]:
                want_lists.append((c, c.get("vendor") or VENDOR_NOT_NAMED[lang]))
        else:
            want_lists.append((by.get("vendor"), None))
        if len(want_lists) != len(checklist_titles):
            fail(f"checklist sheets {checklist_titles} differ from the JSON's {len(want_lists)} lists")
        for title, (want, vendor) in zip(checklist_titles, want_lists):
            got = answers[title]
            if vendors[title] != vendor:
                fail(f"{title}: 事業者名 {vendors[title]!r} differs from the JSON's {vendor!r}")
            if want is None or (not want["systems"] and not want["items"]):
                if got is not None:
                    fail(f"{title}: JSON has no such checklist but the sheet has answers")
                continue
            if got is None:
                fail(f"{title}: JSON has a checklist but the sheet says no systems")
            want_answers = [ANSWERS[lang][i["answer"]] for i in want["items"]]
            if [a for _, a in got] != want_answers:
                fail(f"{title}: answers {got} differ from the JSON's {want_answers}")
        accounts = wb[DATA_SHEETS[lang][0]]
        rows = list(accounts.iter_rows(min_row=2, values_only=True))
        got = [(r[0], r[1]) for r in rows if r[0] is not None]
        want = [(a["system"], a["account"]) for a in ev["accounts"]]
        if got != want:
            fail(f"accounts differ from the JSON: {len(got)} rows vs {len(want)} accounts")
        print(f"consistent with {sys.argv[2]}: answers and {len(want)} accounts")
    print("check-xlsx: OK")


if __name__ == "__main__":
    main()
