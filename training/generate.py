#!/usr/bin/env python3
"""Seeded generator of ophthalmology injection-clinic notes with exact answer spans.

Each note answers four questions (drug injected into the right / left eye today, visual acuity of the right /
left eye); an answer is a character span of the note as typed, or None (SQuAD 2.0 style unanswerable).
Notes are composed from fragment grammars (lexicon.py, the format lists below) in several layouts: terse
one-liners, multi-line notes with headers, per-eye lines, numbered plans, US narrative and SOAP. They carry
hard negatives: drugs discussed / declined / deferred / planned / stopped / given earlier, acuity look-alikes
(weeks, months, days, IOP, dates, near vision, pinhole and earlier values) and "OD" meaning once daily.

Items and formats wrapped in H(...) are held out: the train split never uses them, the held-out split prefers
them (and the SOAP layout is held-out only), so the held-out split measures generalisation.

usage: generate.py --split train --notes 3000 --seed 1 --out notes.jsonl
"""
import argparse
import json
import random
import sys
from string import Formatter

import datetime

from lexicon import (BIOSIMILARS, BOTH_EYES, BOTH_PROSE, CLINICIANS, DECIMAL, DEFER_REASONS, DIAGNOSES, DOSES, DROPS,
                     DRUGS, DX_FINDINGS, GLUE_OK, GP_NAMES, H, HIGH_DOSE, LETTER_SUFFIX, LETTERS_FMT, LOGMAR,
                     LOW_VISION, NON_IVT, NON_IVT_SENT, OCT_FINDINGS, PATIENT_NAMES, PH_FMT, PREV_FMT,
                     PROSE_LOW_VISION, REASONS, SIDE_PAIRS, SIGNERS, SNELLEN_IMPERIAL, SNELLEN_METRIC, SYNTH_SUFFIXES, SYNTH_SYLLABLES,
                     SYSTEMIC)

# What most injection clinics give; drawn more often than the long tail of DRUGS.
COMMON_DRUGS = ["eylea", "Eylea", "aflibercept", "lucentis", "ranibizumab", "avastin", "bevacizumab", "vabysmo",
                "faricimab", "ozurdex", "Eylea HD", "beovu", "anti-VEGF", "Lucentis", "Avastin", "Vabysmo"]
FIELDS = ["drug.right", "drug.left", "acuity.right", "acuity.left"]
QUESTIONS = {
    "drug.right": "What drug was injected into the right eye?",
    "drug.left": "What drug was injected into the left eye?",
    "acuity.right": "What is the visual acuity of the right eye?",
    "acuity.left": "What is the visual acuity of the left eye?",
}
EYES = ("right", "left")

# ---- fragment formats: {m} eye marker, {v} acuity (tagged), {d} drug (tagged), {x} dose/count suffix ----
EYE_VA_FMT = ["{m} {v}", "{m} {v}", "{m}{v}", "{m}: {v}", "{m} - {v}", "{m}={v}", "{v} {m}", "{v} ({m})",
              "{m} VA {v}", "{m}:{v}", H("{m} -> {v}"), H("{m} = {v}"), "{m} {v}.", "VA {m} {v}", H("{v}{m}")]
VA_HEADERS = {
    "metric": ["VA", "VA:", "Vision:", "V/A", "BCVA", "VA sc", "VA cc", "va", "Vision", "VA (Snellen)", "",
               "BCVA:", "Acuity:", "VA today", H("Visual acuity:"), H("V:"), "VA -", "Va"],
    "logmar": ["VA logMAR", "logMAR", "VA (logMAR):", "BCVA logMAR", "logMAR VA:", H("VA LogMAR")],
    "letters": ["ETDRS", "VA ETDRS", "BCVA (ETDRS)", "VA:", "ETDRS letters:", H("EDTRS")],
    "decimal": ["VA (decimal)", "VA dec", "decimal VA:", "VA"],
}
VA_SEPS = [" ", " ", ", ", "; ", " / ", "  ", " | ", ". ", ",", H(" & "), " and "]
MISSING_VA = ["not tested", "NT", "not done", "unable", "declined", "not recorded", "-", "n/a", "prosthesis",
              "not checked", H("unable to test"), "poor coop"]
BOTH_VA_FMT = ["{h} {v} {b}", "{h} {b} {v}", "{h} {v} {b}", "{h} {b}: {v}", H("{h} {v} in {b}")]

DRUG_POS_FMT = ["{d}{x} {m}", "{m} {d}{x}", "{m} {d}{x}", "{m}{d}{x}", "{d}{x} to {m}", "{d}{x} {m} given",
                "IVT {d}{x} {m}", "{m} IVT {d}{x}", "inj {d}{x} {m}", "{m} inj {d}{x}", "{d}{x} injected {m}",
                "{m}: {d}{x} given", "{m} - {d}{x} today", "intravitreal {d}{x} {m}", "{d}{x} {m} today",
                "{d}{x} IVI {m}", "{m} {d}{x} done", "{d}{x} given to {m}", "Injected {d}{x} into {me}",
                "{me} injected with {d}{x}", "{d}{x} ({m})", "{m} IVI {d}{x}", "+ {m} {d}{x}",
                H("{d}{x} -> {m}"), H("{m} rx {d}{x}"), H("given {d}{x} {m}"), "{d}{x} {m} ✓",
                "{m} {d}{x} inj today", "Intravitreal {d}{x} to {me} today", "{d}{x} {m} - given",
                "Intravitreal injection of {d}{x} into the {me}", "{me}: intravitreal {d}{x}",
                H("{me} treated with {d}{x}")]
DRUG_BOTH_FMT = ["{d}{x} {b}", "{b} {d}{x}", "{d}{x} {b} given", "IVT {d}{x} {b}", "{b} IVT {d}{x}",
                 "inj {d}{x} {b}", "{d}{x} to {b}", H("{b}: {d}{x}"), "{d}{x} {b} today", "{b} {d}{x} injections"]
SWITCH_POS_FMT = ["switched from {d0} to {d} {m} today", "switch {d0} -> {d}, {d}{x} {m} given",
                  "changed from {d0} to {d}{x} {m}", "{m} switched {d0} to {d}{x} today",
                  H("{d0} stopped, now {d}{x} {m} given"), "{m}: {d}{x} today (switched from {d0})"]
DRUG_NEG_FMT = ["discussed {d}", "{d} discussed", "discussed switching to {d}", "pt declined {d}",
                "declined {d} {m}", "{d} declined", "refused {d}", "pt refused {d} {m}", "{d} deferred ({r})",
                "defer {d} {m} - {r}", "{d} {m} deferred today", "plan {d} {m} next visit", "{d} {m} next time",
                "for {d} {m} in {wk}", "next: {d} {m}", "{d} stopped", "stop {d} {m}", "{d} {m} stopped - {r}",
                "last inj {d} {m} {wk} ago", "{d} {m} given {wk} ago", "had {d} {m} at last visit",
                "prev {d} x{n}", "previous tx: {d} x{n}", "consider {d} {m}", "?{d} {m} next visit",
                "{d} not given ({r})", "no {d} today", "{d} held", "hold {d} {m}", "{d} {m} on {date}",
                "s/p {d} {m}", "post {d} {m} 2/7", "completed loading x3 {d} {m}", "{d} {m} booked for {wk}",
                "will need {d} {m}", "listed for {d} {m}", "to start {d} {m} next visit", "Hx {d} {m} 2019",
                "switch to {d} next visit", "switched from {d} (last dose {wk} ago)", "{m} {d} not today - {r}",
                "{m} {d} next visit", "{m}: no inj ({r})", "{d} {m} cancelled - {r}",
                H("{d} postponed ({r})"), H("pt wishes to think about {d}"), H("{d} {m} previously"),
                H("{m} {d} last time"), H("may need {d} {m} in future"), "{d} {m} to be given next visit",
                "{d} {m} not given", "counselled re {d}", "leaflet given re {d}", "{d} {m} PRN if active",
                "Not for {d} {m}", "{d} {m} in {wk} if fluid"]
NOTHING_DONE = ["no inj today", "inj not given", "obs only", "DNA", "no tx today", "no injection", "observe",
                "nil today", "no IVT today", "obs", "no treatment needed", H("inj not indicated today")]
REVIEW = ["rev {wk}", "rev 6/12", "rv 3/12", "f/u {wk}", "RTC 4 wks", "RTC 6 weeks", "T&E extend to {wk}",
          "next inj {wk}", "PRN", "dc", "rev {wk} T&E", "rev 2/7 if pain", "rev {date}", "f/u 1/12",
          "rev 12/12", "rev {wk} + OCT", "rv {wk}", "review in {wk}", "T&E", "rev 9/12", "RTC 2 months",
          "return {wk}", H("fu {wk}"), "next appt {date}", "rev 6/12 in glaucoma clinic", "maintain {wk}",
          "shorten to {wk}", "extend to {wk}"]
WEEKS = ["4/52", "6/52", "8/52", "5/52", "10/52", "12/52", "3/52", "2/52", "16/52", "1/52", H("14/52")]
DROP_FMT = ["{g} QDS {m} 1/52", "{g} BD 1/52 then OD 1/52", "{g} OD", "{g} 1 drop OD", "{g} nocte {m}",
            "{g} QDS 1/52", "{g} TDS {m}", "{g} BD for 1 week then OD", "cont {g} OD", "{g} OD {m}",
            "{g} PRN", "{g} 2hrly {m}", "{g} ON", "{g} QDS for 2/7", H("{g} once daily (OD)")]
PROCEDURE = ["consent signed", "risks explained incl endophthalmitis 1/2000", "5% povidone", "lid speculum",
             "site marked", "IOP post inj 22", "inj inferotemporal 4mm from limbus", "batch no 1234A",
             "pt tolerated well", "no complications", "CAR counted", "PL checked post inj", "consent confirmed",
             "WHO checklist done", "endophthalmitis risk 1/1000 explained", "written consent", "LA: proxymetacaine",
             "IOP post 18", "perfusing CRA post inj", "povidone iodine 5%", "post inj IOP 24 -> 16",
             "risk of RD 1/1000"]
SYMPTOMS = ["pt reports blurred vision", "no new symptoms", "c/o floaters {m}", "vision better", "distortion {m}",
            "asymptomatic", "feels vision worse {m}", "no pain", "some grittiness", "happy with progress",
            "new metamorphopsia {m}", "pt well", "no complaints", "reading harder", "drives"]
IOP_FMT = ["IOP {a}/{b}", "IOP R{a} L{b}", "IOP: {a}/{b} mmHg", "IOP {a}/{b} (GAT)", "IOPs {a} and {b}",
           "Pressures {a}/{b}", "IOP {m} {a}", "IOP {a},{b}", "IOP {a}/{b} iCare", H("Tonometry {a}/{b}")]
NEAR_FMT = ["NV: {m} N{a} {m2} N{b}", "near N{a} {m}", "N{a} OU", "near vision N{a}/N{b}", "N{a} {m}",
            "J{a} {m}", "NV N{a}", "reading N{a} with glasses", H("NVA {m} N{a}")]
VITALS = ["BP {a}/{b}", "BP {a}/{b} mmHg", "BM 7.2", "HbA1c 58", "BP {a}/{b} - ok to proceed", "Hb 132"]
DATE_FMT = ["Date: {date}", "{date}", "Seen {date}", "{date} MR clinic", "{date} {who}", "Clinic {date}"]
DRUG_HEADERS = ["Tx:", "Inj:", "Procedure:", "Today:", "IVT:", "Injection:", "Rx:", "Treatment:", "Plan:",
                "Plan -", "Done:", H("Intervention:")]

# ---- broadened layouts: GP letters, EHR exports, treatment logs, cancellations, both-eye shorthand, no-eye ----
# prose slots: {P}/{p} pronoun, {o} object, {Ps}/{ps} possessive, {eye} right/left, {d} drug, {x} dose, {wkw} interval
LETTER_VA_SENT = ["{Ps} vision is {vr} in the right eye and {vl} on the left.", "Visual acuity was {vr} right and {vl} left.",
                  "Vision measured {vr} in the right eye and {vl} in the left eye.",
                  "Unaided vision was {vr} right, {vl} left.", "{Ps} best corrected acuity is {vr} on the right and {vl} on the left.",
                  "Acuities today were right {vr} and left {vl}.", "Vision today: right eye {vr}, left eye {vl}.",
                  "The left eye sees {vl} and the right eye {vr}.", "{P} sees {vr} with the right eye and {vl} with the left.",
                  H("Vision stands at {vr} in {ps} right eye and {vl} in {ps} left."),
                  H("{Ps} acuity was {vl} left and {vr} right today.")]
LETTER_VA_ONE = ["Vision in the {eye} eye is {v}.", "{Ps} {eye} eye sees {v}.", "Acuity was {v} in the {eye} eye.",
                 "The {eye} eye measured {v} today.", H("{Ps} {eye} vision is now {v}.")]
LETTER_VA_BOTH = ["{Ps} vision is {v} {both}.", "Visual acuity was {v} {both}.", "{P} sees {v} {both}.",
                  "Vision today is {v} {both}.", H("Acuity remains {v} {both}.")]
LETTER_VA_MISSING = ["The {eye} eye could not be tested.", "The {eye} eye is a prosthesis.",
                     "Vision in the {eye} eye was not recorded.", H("{P} could not manage a vision test on the {eye}.")]
LETTER_TODAY = ["I gave {o} an injection of {d}{x} into the {eye} eye today.",
                "{P} received an intravitreal injection of {d}{x} to the {eye} eye today.",
                "We proceeded with {d}{x} to the {eye} eye.", "Today {p} had {ps} {nth} injection of {d} in the {eye} eye.",
                "The {eye} eye was treated with intravitreal {d}{x} today.",
                "An injection of {d}{x} was given into {ps} {eye} eye without complication.",
                "I injected the {eye} eye with {d}{x} today.", "{P} had {d}{x} to the {eye} eye today.",
                H("I have administered {d}{x} to the {eye} eye this morning."),
                H("{d}{x} was injected into the {eye} eye at today's visit.")]
LETTER_TODAY_BOTH = ["I injected both eyes with {d}{x} today.", "{P} had bilateral {d} injections today.",
                     "Both eyes were injected with {d}{x}.", "{P} received {d}{x} to both eyes today.",
                     "I gave {o} {d}{x} into each eye today.", H("{d}{x} was given to each eye today.")]
LETTER_NEG_TODAY = ["{P} declined {d} for the {eye} eye today.",
                    "The {eye} eye injection of {d} was deferred today because of {r}.",
                    "I did not inject the {eye} eye today as {p} has {r}.", "We held {d} in the {eye} eye today ({r}).",
                    "The {eye} eye is dry and did not need {d} today.", H("{d} to the {eye} eye was postponed owing to {r}.")]
LETTER_NEG_OTHER = ["I plan to give {o} {d} into the {eye} eye at the next visit.",
                    "I will see {o} again in {wkw} for a further injection of {d} in the {eye} eye.",
                    "We discussed switching the {eye} eye to {d}.", "{P} previously received {d} to the {eye} eye.",
                    "{P} had {d} in the {eye} eye {wkw} ago.", "If the fluid persists we may consider {d}.",
                    "{P} has had {n} injections of {d} to the {eye} eye so far.",
                    "{P} was treated with {d} in the {eye} eye until {year}.",
                    "Next visit: {d} to the {eye} eye.", H("{P} would like time to consider {d} for the {eye} eye."),
                    H("An injection of {d} is planned for the {eye} eye next time.")]
LETTER_INTRO = ["I reviewed {o} in the medical retina clinic today.", "I saw {o} in the injection clinic today.",
                "Thank you for referring this {age} year old {sex}.", "{P} attended for {ps} injection today.",
                "I saw this {age} year old {sex} today for review.", H("{P} was seen in the macular service today.")]
LETTER_SYMPTOM = ["{P} reports that {ps} vision is stable.", "{P} has noticed more distortion in the {eye} eye.",
                  "{P} has no new symptoms.", "{P} finds reading harder.", "{P} is still driving.",
                  "{P} describes a grey patch in the {eye} eye."]
LETTER_OCT = ["OCT showed subretinal fluid in the {eye} eye.", "OCT showed a dry macula on both sides.",
              "The OCT of the {eye} eye shows new intraretinal fluid.", "OCT shows persistent SRF {m}.",
              "The {eye} macula is dry on OCT.", "OCT: {m} {f}, {m2} {f2}."]
LETTER_PLAN = ["I will review {o} in {wkw}.", "{P} will be reviewed in {wkw} with an OCT.",
               "We will extend the interval to {wkw}.", "Please continue {ps} current medication.",
               "I have discharged {o} from the clinic.", "Follow up in {wkw}."]
LETTER_DEAR = ["Dear {gp},", "Dear {gp}", "Dear Colleague,", "Dear {gp}, "]
LETTER_RE = ["Re: {name}  DOB {dob}  Hosp no {hosp}", "Re: {name}, DOB {dob}, Hosp no {hosp}",
             "RE: {name} (DOB {dob})", "RE: review", "RE: medical retina review", "Re: {name}  DOB: {dob}  NHS no: {nhs}",
             "RE: {NAME}  D.O.B. {dob}  MRN {hosp}", H("Re: {name} | {dob} | {hosp}")]
LETTER_SIGN = ["Yours sincerely,\n\n{sig}", "Yours sincerely\n{sig}\nConsultant Ophthalmologist", "Kind regards,\n{sig}",
               "Yours faithfully,\n{sig}", "With best wishes\n{sig}", H("Best regards - {sig}")]
LETTER_DX_HEAD = ["Diagnosis:", "Diagnoses:", "Dx:", "Diagnosis -", H("Problems:")]
LETTER_DX = ["{E} eye {dx}", "{m} {dx}", "{dx} {m}", "{E} {dx}", "{dx} ({e} eye)", H("{dx} - {e}")]
LETTER_MEDS = ["Medication: {meds}.", "Current medication: {meds}.", "Meds: {meds}", "Drug history: {meds}.",
               H("Regular medicines: {meds}.")]
EMAIL_HEAD = ["Subject: {name} - injection clinic {date}", "Subject: IVT today {hosp}", "Subj: update re {name}",
              "Subject: {name} ({hosp})"]
EMAIL_HI = ["Hi {who},", "Hello {who},", "{who} -", "Hi all,"]
EMAIL_BYE = ["Thanks,\n{who}", "Cheers, {who}", "Many thanks\n{who}", "- {who}"]

EHR_KINDS = ["columns", "columns", "pipe", "tsv", "kv", "checklist", "hl7", H("csv")]
COL_HEADERS = [("Right", "Left"), ("OD", "OS"), ("RE", "LE"), ("R", "L"), ("Right eye", "Left eye"),
               ("RIGHT", "LEFT"), ("R)", "L)"), (H("Rt"), H("Lt")), (H("O.D."), H("O.S."))]
EHR_ROW = {"va": ["VA", "BCVA", "Vision", "VA sc", "VA cc", "Acuity", H("VA today")],
           "iop": ["IOP", "IOP (mmHg)", "Pressure", "IOP GAT"],
           "oct": ["OCT", "OCT macula", "Macula", "CST"],
           "drug": ["Injection", "IVT today", "Drug", "Agent", "Treatment", "Inj today", "Today", H("Administered")],
           "last": ["Last inj", "Previous", "Prev drug", "Last IVT", H("Prior tx")],
           "lens": ["Lens", "Ant seg", "AC"],
           "dx": ["Dx", "Diagnosis", "Condition"]}
EHR_EMPTY = ["-", "", "nil", "—", "none", "n/a", H("--")]
KV_LAT = {"right": ["Right", "RIGHT", "R", "OD", "Rt", "Right eye", H("Right (OD)")],
          "left": ["Left", "LEFT", "L", "OS", "Lt", "Left eye", H("Left (OS)")],
          "both": ["Both", "Bilateral", "OU", "R+L", "Both eyes", "BE", H("Both (OU)")]}
KV_KEYS = {"lat": ["Laterality", "Eye", "Site", "Side", H("Treated eye")],
           "agent": ["Agent", "Drug", "Medication", "Product", "Injected", H("Agent given")],
           "proc": ["Procedure", "Proc", "Procedure type"], "batch": ["Batch", "Batch no", "Lot", "Lot no"],
           "op": ["Operator", "Injector", "Performed by", "Clinician", H("Injected by")]}
TICKS = ["[x]", "[X]", "[✓]", "(x)", H("☑")]
UNTICKS = ["[ ]", "[ ]", "[ ]", "( )", H("☐")]
HL7_LAT = {"right": ["RT", "R", "OD", "RIGHT", H("RE")], "left": ["LT", "L", "OS", "LEFT", H("LE")],
           "both": ["BIL", "OU", "B", "BOTH", H("RL")]}

LOG_HEAD = ["Injection history:", "Treatment log", "IVT record", "Injections:", "Tx history", "Injection log - {E} eye",
            "Previous injections", H("Intravitreal record:")]
LOG_ROW = ["{date}  {m}  {d}{x}", "{date} - {m} {d}{x}", "{date} {d}{x} {m}", "{date} | {m} | {d}{x}",
           "{date}: {d}{x} ({m})", "{n}. {date} {m} {d}{x}", H("{date} >> {m} {d}{x}")]
TODAY_MARK = ["  <- today", " (today)", "  TODAY", " ** today **", " <-- today", " - today", H(" << today"),
              H(" [today]")]
LOG_COUNT = ["{m} eye: {n} injections to date", "{m}: {n} injections total", "Total injections {m} {n}",
             "{n} inj {m} to date", "Injection no. {n} {m}", H("{m} running total {n}")]
IMPLANT = ["{d} {m} in situ (inserted {mon})", "{d} {m} {k}/12 ago - still in place", "{m} {d} implant in situ since {mon}",
           "{d} {m} given {k}/12 ago", H("{d} implant {m} from {mon} still present")]
LOG_SWITCH = ["switched from {d0} to {d} today", "{m} switched from {d0} to {d} today", "switch {d0} -> {d} today",
              H("{d0} changed to {d} today")]

CANCEL_WHOLE = ["DNA", "Did not attend - rebook {wk}", "Pt DNA x2, letter to GP", "List cancelled ({r}) - rebooked {date}",
                "Clinic cancelled, rebooked {wk}", "Pt rang to cancel - rebooked {date}", H("Appt cancelled by pt, rebook {wk}")]
CANCEL_EYE = ["{m} {d} deferred - {r}", "{m}: inj deferred ({r}), rebook 1/52", "IVT {m} cancelled: {r}",
              "Deferred {m} today due to {r}", "{m} not injected - {r}", "declined {m} inj today", "{d} {m} held - {r}",
              "pt declined {d} {m}, wishes to think", "{m} {d} rebooked for {date} ({r})", "{m} {d} - not given ({r})",
              "{d} {m} cancelled - {r}, rebooked {wk}", H("{m} injection postponed: {r}"), H("{d} {m} withheld - {r}")]
CANCEL_BOTH = ["Both eyes deferred - {r}", "No injections today ({r}), rebook {wk}", "OU inj deferred - {r}",
               "{d} R+L deferred: {r}", "IVT cancelled both eyes - {r}", H("bilateral inj postponed ({r})")]

BOTH_SHORT = ["R+L {d}{x}", "{d}{x} R+L", "OU {d}{x}", "{d}{x} OU", "bilateral {d}{x}", "bilat {d}{x}",
              "both eyes injected with {d}{x}", "{d}{x} both eyes", "BE: {d}{x}", "bilat IVT {d}{x}",
              "{d}{x} x2 (R+L)", "R&L {d}{x}", "{d}{x} to both eyes today", "IVT {d}{x} OU today",
              H("{d}{x} bilaterally"), H("B/E {d}{x}"), H("{d}{x} each eye")]

ONE_EYE_HEAD = ["{E} eye {dx}", "{M} eye - {dx}", "Eye: {E}", "{E} eye clinic", "{M} {dx}", "{E} eye only",
                "Treating {e} eye", "{dx} {M} eye", H("Study eye: {E}"), H("{E} eye pt ({dx})")]
NO_EYE_DRUG = ["Plan: {d}{x} today", "{d}{x} given", "IVT {d}{x} #{n}", "Injection: {d}{x}", "{d}{x} inj today",
               "Tx: {d}{x} ✓", "{d}{x} today, rev {wk}", "inj {d}{x} done", "Intravitreal {d}{x} given today",
               H("{d}{x} administered"), H("proceed {d}{x}")]

LAYOUTS = (["terse", "lines", "per_eye", "numbered", "narrative", "terse", "lines"] * 2 +
           ["letter"] * 4 + ["ehr"] * 4 + ["log"] * 3 + ["cancel"] * 2 + ["both"] * 2 + ["noeye"] * 2 +
           [H("soap"), H("email")])
HELD_MARKERS = {str(m) for pair in SIDE_PAIRS for m in pair if isinstance(m, H)}
NEW_LAYOUTS = ("letter", "ehr", "log", "cancel", "both", "noeye", "email")


def tag(text, *fields):
    return [(text, frozenset(fields))]


def fill(fmt, **slots):
    """Render a format string into segments, keeping the tags of fragment slots."""
    out = []
    for literal, name, _, _ in Formatter().parse(fmt):
        if literal:
            out.append((literal, frozenset()))
        if name is not None:
            value = slots[name]
            out.extend(value if isinstance(value, list) else [(value, frozenset())])
    return out


def can_glue(marker, word):
    """Whether a marker can be typed stuck to the next word and still split from it ("R)eylea", "R6/9")."""
    return marker in GLUE_OK and (marker.endswith(")") or word[:1].isdigit())


def rstrip_segs(segs):
    """Drop trailing whitespace of untagged segments (a tagged value never ends in whitespace)."""
    segs = list(segs)
    while segs and not segs[-1][1]:
        text = segs[-1][0].rstrip()
        if text:
            segs[-1] = (text, segs[-1][1])
            break
        segs.pop()
    return segs


def join(frags, sep):
    out = []
    for i, frag in enumerate(frags):
        if i:
            out.append((sep, frozenset()))
        out.extend(frag)
    return out


class NoteMaker:
    def __init__(self, seed, split):
        self.rng = random.Random(seed)
        self.split = split

    # ---- choosing vocabulary and formats with the split's hold-out rule ----
    def pick(self, items):
        train = [x for x in items if not isinstance(x, H)]
        held = [x for x in items if isinstance(x, H)]
        if self.split == "heldout" and held and self.rng.random() < 0.5:
            return str(self.rng.choice(held))
        return str(self.rng.choice(train))

    def chance(self, p):
        return self.rng.random() < p

    # ---- vocabulary renderers ----
    def case(self, word):
        if any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word) or "-" in word:
            return word if self.chance(0.8) else word.lower()
        r = self.rng.random()
        if r < 0.5:
            return word.lower()
        if r < 0.8:
            return word[:1].upper() + word[1:].lower()
        if r < 0.9:
            return word.upper()
        return word

    def synthetic_drug(self):
        n = self.rng.randint(1, 3)
        return "".join(self.rng.choice(SYNTH_SYLLABLES) for _ in range(n)) + self.rng.choice(SYNTH_SUFFIXES)

    def typo(self, word):
        i = self.rng.randrange(1, len(word) - 1)
        kind = self.rng.randrange(3)
        if kind == 0:
            return word[:i] + word[i + 1:]
        if kind == 1:
            return word[:i] + word[i] + word[i:]
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]

    def drug_name(self):
        if self.chance(0.12):
            name = self.synthetic_drug()
        elif self.chance(0.4):
            name = self.pick(COMMON_DRUGS)
        else:
            name = self.pick(DRUGS)
        if " " not in name and len(name) > 4 and self.chance(0.05):
            name = self.typo(name)
        return name

    def drug_suffix(self, name):
        parts = []
        doses = DOSES.get(name) or DOSES.get(name.lower())
        if doses and self.chance(0.3):
            parts.append(" " + self.rng.choice(doses))
        if self.chance(0.15):
            parts.append(self.rng.choice([" #{}", " (#{})", " inj {}", " #{}", " no.{}"]).format(self.rng.randint(1, 30)))
        return "".join(parts)

    def acuity(self, system):
        if self.chance(0.1):
            return self.pick(LOW_VISION)
        if system == "logmar":
            return self.pick(LOGMAR)
        if system == "decimal":
            return self.pick(DECIMAL)
        if system == "letters":
            n = self.rng.randint(5, 95)
            if self.split == "train" and 60 <= n <= 64:
                n += 5
            fmt = self.pick(LETTERS_FMT)
            return fmt.format(n=n) if self.chance(0.7) else str(n)
        value = self.pick(SNELLEN_IMPERIAL if system == "imperial" else SNELLEN_METRIC)
        if self.chance(0.18):
            value += self.pick(LETTER_SUFFIX)
        return value

    def weeks(self):
        return self.pick(WEEKS)

    def date(self):
        d, m, y = self.rng.randint(1, 28), self.rng.randint(1, 12), self.rng.choice([23, 24, 25, 2024, 2025])
        return self.rng.choice(["{:02d}/{:02d}/{}", "{}/{}/{}", "{:02d}.{:02d}.{}"]).format(d, m, y)

    def slots(self, side=None):
        return dict(r=self.pick(REASONS), wk=self.weeks(), n=str(self.rng.randint(2, 12)), date=self.date(),
                    who=self.pick(CLINICIANS), a=str(self.rng.randint(9, 24)), b=str(self.rng.randint(9, 24)))

    # ---- note-level choices ----
    def markers(self, pair):
        right, left = pair
        return {"right": right, "left": left}

    def marker_pair(self):
        return tuple(str(x) for x in self.rng.choice(
            [p for p in SIDE_PAIRS if not isinstance(p[0], H)] if self.split == "train" or self.chance(0.5)
            else [p for p in SIDE_PAIRS if isinstance(p[0], H)]))

    def eye_word(self, marker, side):
        if "eye" in marker:
            return marker
        if self.chance(0.5):
            return self.rng.choice(["right eye", "Right eye", "RE", "R eye", "RIGHT EYE"] if side == "right" else
                                   ["left eye", "Left eye", "LE", "L eye", "LEFT EYE"])
        word = marker.strip("()") + " eye"
        if self.split == "train" and word in HELD_MARKERS:  # "rt" + " eye" would type the held-out "rt eye"
            return side + " eye"
        return word

    # ---- blocks ----
    def va_value(self, value, fields, system):
        out = []
        if self.chance(0.08):
            out += tag(self.rng.choice(["sc ", "unaided ", "cc ", "UA ", "aided "]))
        out += tag(value, *fields)
        r = self.rng.random()
        if r < 0.15:
            ph = self.pick(PH_FMT).format(v=self.acuity(system))
            out += tag(self.rng.choice([" ", " ", ", ", " "]) + ph)
        elif r < 0.27:
            out += tag(" " + self.pick(PREV_FMT).format(v=self.acuity(system)))
        elif r < 0.30:
            out += tag(" N{}".format(self.rng.choice([5, 6, 8, 10, 12])))
        return out

    def va_block(self, facts, pair, system, multiline):
        header = self.pick(VA_HEADERS[system if system in VA_HEADERS else "metric"])
        right, left = facts["acuity.right"], facts["acuity.left"]
        if right is not None and right == left and self.chance(0.5):
            v = self.va_value(right, ("acuity.right", "acuity.left"), system)
            return fill(self.pick(BOTH_VA_FMT), h=header, v=v, b=self.pick(BOTH_EYES)), None
        items = []
        fmt_all = self.pick(EYE_VA_FMT)
        for eye in EYES:
            m = pair[0] if eye == "right" else pair[1]
            value = facts["acuity." + eye]
            if value is None:
                if self.chance(0.3):
                    items.append(fill("{m} {v}", m=m, v=self.pick(MISSING_VA)))
                continue
            fmt = fmt_all if self.chance(0.8) else self.pick(EYE_VA_FMT)
            if "{m}{v}" in fmt and not can_glue(m, value):
                fmt = "{m} {v}"
            if "{v}{m}" in fmt and not (m in GLUE_OK and m[0].isalpha()):
                fmt = "{v} {m}"
            if "({m})" in fmt and m.startswith("("):
                fmt = "{v} {m}"
            items.append(fill(fmt, m=m, v=self.va_value(value, ("acuity." + eye,), system)))
        if not items:
            return None, None
        if self.chance(0.15):
            items.reverse()
        if multiline:
            lead = self.rng.choice(["", "", "- ", "  "])
            body = join([tag(lead) + it for it in items], "\n")
            return (tag(header.rstrip() + "\n") + body if header else body), None
        body = join(items, self.pick(VA_SEPS))
        return (tag(header + " ") + body if header else body), None

    def drug_items(self, facts, pair):
        """Positive drug mentions, one fragment per mention."""
        right, left = facts["drug.right"], facts["drug.left"]
        items = []
        if right is not None and left is not None and right == left and self.chance(0.55):
            d = tag(self.case(right), "drug.right", "drug.left")
            items.append(fill(self.pick(DRUG_BOTH_FMT), d=d, x=self.drug_suffix(right), b=self.pick(BOTH_EYES)))
            return items
        shared_fmt = self.pick(DRUG_POS_FMT)
        typed = {}
        for eye in EYES:
            name = facts["drug." + eye]
            if name is None:
                continue
            m = pair[0] if eye == "right" else pair[1]
            typed.setdefault(name, self.case(name))
            d = tag(typed[name], "drug." + eye)
            if self.chance(0.07):
                old = self.drug_name()
                while old.lower() == name.lower():
                    old = self.drug_name()
                old = self.case(old)
                fmt = self.pick(SWITCH_POS_FMT)
                # the tagged mention is the one given today (the last {d}); earlier copies are untagged text
                segs = fill(fmt, d0=old, d=tag(d[0][0]), x=self.drug_suffix(name), m=m)
                for i in range(len(segs) - 1, -1, -1):
                    if segs[i][0] == d[0][0]:
                        segs[i] = d[0]
                        break
                items.append(segs)
                continue
            fmt = shared_fmt if self.chance(0.75) else self.pick(DRUG_POS_FMT)
            if "{m}{d}" in fmt and not can_glue(m, name):
                fmt = "{m} {d}{x}"
            items.append(fill(fmt, d=d, x=self.drug_suffix(name), m=m, me=self.eye_word(m, eye)))
        return items

    def negative_drug(self, pair, facts):
        """A drug mention that is not an injection today, never contradicting the note's injections."""
        free = [i for i, eye in enumerate(EYES) if facts["drug." + eye] is None]
        given = {facts["drug." + eye].lower() for eye in EYES if facts["drug." + eye]}
        if len(free) == 2 and self.chance(0.15):
            m = self.pick(BOTH_EYES)
        else:
            m = pair[self.rng.choice(free)] if free else self.rng.choice(pair)
        name = self.drug_name()
        while name.lower() in given:
            name = self.drug_name()
        fmt = self.pick(DRUG_NEG_FMT)
        while not free and ("no inj" in fmt or "not today" in fmt or "not given" in fmt):
            fmt = self.pick(DRUG_NEG_FMT)
        s = self.slots()
        return fill(fmt, d=self.case(name), m=m, **{k: s[k] for k in ("r", "wk", "n", "date")})

    def noise(self, kind, pair):
        s = self.slots()
        m = self.rng.choice(pair)
        if kind == "oct":
            if self.chance(0.5):
                return tag("OCT: {} {}, {} {}".format(pair[0], self.pick(OCT_FINDINGS), pair[1], self.pick(OCT_FINDINGS)))
            return tag(self.rng.choice(["OCT {}", "OCT: {}", "OCT {} " + m, "oct {}", "OCT - {}"]).format(self.pick(OCT_FINDINGS)))
        if kind == "dx":
            return tag(self.rng.choice(["Dx: {} {}", "{} {}", "Hx {} {}", "{} {} - active", "known {} {}"]).format(
                self.pick(DIAGNOSES), self.rng.choice([m, m, "OU", "both eyes", "bilat"])))
        if kind == "iop":
            return tag(self.pick(IOP_FMT).format(m=m, a=s["a"], b=s["b"]))
        if kind == "near":
            return tag(self.pick(NEAR_FMT).format(m=pair[0], m2=pair[1], a=self.rng.choice([5, 6, 8, 10, 12, 2, 3]),
                                                 b=self.rng.choice([5, 6, 8, 10, 12, 14])))
        if kind == "review":
            return tag(self.pick(REVIEW).format(wk=s["wk"], date=s["date"]))
        if kind == "drop":
            return tag(self.pick(DROP_FMT).format(g=self.pick(DROPS), m=m))
        if kind == "proc":
            return tag(self.pick(PROCEDURE))
        if kind == "symptom":
            return tag(self.pick(SYMPTOMS).format(m=m))
        if kind == "vitals":
            return tag(self.pick(VITALS).format(a=self.rng.randint(110, 190), b=self.rng.randint(60, 100)))
        if kind == "date":
            return tag(self.pick(DATE_FMT).format(date=s["date"], who=s["who"]))
        if kind == "nothing":
            return tag(self.pick(NOTHING_DONE))
        raise ValueError(kind)

    # ---- facts ----
    def facts(self):
        system = self.rng.choices(["metric", "imperial", "logmar", "letters", "decimal"], [50, 22, 10, 12, 6])[0]
        f = {}
        for eye in EYES:
            f["acuity." + eye] = self.acuity(system) if self.chance(0.78) else None
            f["drug." + eye] = self.drug_name() if self.chance(0.5) else None
        if f["acuity.right"] and f["acuity.left"] and self.chance(0.12):
            f["acuity.left"] = f["acuity.right"]
        if f["drug.right"] and f["drug.left"] and self.chance(0.5):
            f["drug.left"] = f["drug.right"]
        return f, system

    # ---- layouts ----
    def note(self):
        self.style = set()
        layout = self.pick(LAYOUTS)
        if layout in NEW_LAYOUTS:
            facts, system = self.new_facts(prose=layout in ("letter", "email"))
            if layout == "email":
                segs = self.letter_note(facts, system, email=True)
            else:
                segs = getattr(self, layout + "_note")(facts, system)
            return self.render(segs, layout)
        facts, system = self.facts()
        pair = self.marker_pair()
        if layout == "per_eye":
            segs = self.per_eye_note(facts, pair, system)
        else:
            segs = self.block_note(facts, pair, system, layout)
        return self.render(segs, layout)

    def distractors(self, pair, facts):
        kinds = ["oct", "dx", "iop", "near", "review", "drop", "proc", "symptom", "vitals", "date"]
        weights = [14, 8, 8, 4, 18, 5, 6, 5, 3, 6]
        n = self.rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5])
        picked = [self.rng.choices(kinds, weights)[0] for _ in range(n)]
        out = [(k, self.noise(k, pair)) for k in picked]
        for _ in range(self.rng.choice([0, 0, 0, 1, 1, 2])):
            out.append(("neg", self.negative_drug(pair, facts)))
        if facts["drug.right"] is None and facts["drug.left"] is None and self.chance(0.3):
            out.append(("nothing", self.noise("nothing", pair)))
        return out

    def block_note(self, facts, pair, system, layout):
        other = self.marker_pair() if self.chance(0.2) else pair
        multiline = layout in ("lines", "numbered", "soap")
        va, _ = self.va_block(facts, pair, system, multiline and self.chance(0.5))
        drugs = self.drug_items(facts, other)
        extra = self.distractors(pair, facts)
        if layout == "numbered":
            plan = [d for d in drugs] + [f for k, f in extra if k in ("neg", "review", "drop", "nothing")]
            rest = [f for k, f in extra if k not in ("neg", "review", "drop", "nothing")]
            self.rng.shuffle(plan)
            head = [va] if va else []
            head += rest
            self.rng.shuffle(head)
            numbered = [tag(self.rng.choice(["{}. ", "{}) ", "{} - "]).format(i + 1)) + p for i, p in enumerate(plan)]
            lines = head + ([tag(self.rng.choice(["Plan:", "Plan", "P:", "Plan -"]))] if plan else []) + numbered
            return join(lines, "\n")
        if layout == "soap":
            subj = [f for k, f in extra if k == "symptom"] or [tag("no new symptoms")]
            obj = ([va] if va else []) + [f for k, f in extra if k in ("oct", "iop", "near", "vitals")]
            assess = [f for k, f in extra if k == "dx"] or [tag(self.pick(DIAGNOSES))]
            plan = drugs + [f for k, f in extra if k in ("neg", "review", "drop", "nothing", "proc")]
            parts = [tag("S: ") + join(subj, ". "), tag("O: ") + join(obj, ", ") if obj else tag("O: -"),
                     tag("A: ") + join(assess, ", "), tag("P: ") + join(plan, ", ") if plan else tag("P: rev")]
            return join(parts, self.rng.choice(["\n", " "]))
        blocks = []
        if va:
            blocks.append(("va", va))
        if drugs:
            if self.chance(0.25):
                header = self.pick(DRUG_HEADERS)
                blocks.append(("drug", tag(header + " ") + join(drugs, self.rng.choice([", ", " ", "; ", " + "]))))
            else:
                blocks += [("drug", d) for d in drugs]
        blocks += extra
        self.rng.shuffle(blocks)
        # dates lead, reviews tend to trail
        blocks.sort(key=lambda kb: 0 if kb[0] == "date" else (2 if kb[0] == "review" and self.chance(0.7) else 1))
        frags = [b for _, b in blocks]
        if not frags:
            frags = [self.noise("review", pair)]
        if layout == "narrative":
            intro = self.rng.choice(["", "", "Pt seen today. ", "{} yo {} with {}. ".format(
                self.rng.randint(45, 95), self.rng.choice(["M", "F", "male", "female"]), self.pick(DIAGNOSES))])
            return tag(intro) + join([f + tag(".") for f in frags], " ")
        if layout == "lines":
            return join(frags, "\n")
        return join(frags, self.rng.choice([" ", ", ", ". ", "; ", " - ", " + ", "  ", ",", ". "]))

    def per_eye_note(self, facts, pair, system):
        lines = []
        for eye in EYES:
            m = pair[0] if eye == "right" else pair[1]
            parts = []
            value, name = facts["acuity." + eye], facts["drug." + eye]
            if value is not None:
                parts.append(tag(self.rng.choice(["", "", "VA ", "va ", "VA: "])) +
                             self.va_value(value, ("acuity." + eye,), system))
            if self.chance(0.6):
                parts.append(tag(self.rng.choice(["", "OCT ", "OCT: "]) + self.pick(OCT_FINDINGS)))
            if name is not None:
                fmt = self.rng.choice(["{d}{x}", "{d}{x} given", "IVT {d}{x}", "inj {d}{x}", "{d}{x} today",
                                       "{d}{x} inj", "+ {d}{x}", "for {d}{x} today"])
                parts.append(fill(fmt, d=tag(self.case(name), "drug." + eye), x=self.drug_suffix(name)))
            elif self.chance(0.35):
                s = self.slots()
                parts.append(tag(self.rng.choice(["obs", "no inj", "{d} next visit", "declined {d}", "{d} deferred",
                                                  "had {d} {wk} ago", "plan {d} in {wk}", "obs, consider {d}",
                                                  "nil"]).format(d=self.case(self.drug_name()), wk=s["wk"])))
            if not parts and not self.chance(0.5):
                continue
            sep = self.rng.choice([", ", ". ", " ", "; ", " - "])
            lead = self.rng.choice(["{} ", "{}: ", "{} - ", "{}:"]).format(m)
            if parts and can_glue(m, "".join(t for t, _ in parts[0])) and self.chance(0.2):
                lead = m
            lines.append(tag(lead) + join(parts, sep) if parts else tag(lead + self.rng.choice(["nil", "obs", "-", "stable"])))
        extra = [f for _, f in self.distractors(pair, facts)]
        self.rng.shuffle(extra)
        k = self.rng.randint(0, len(extra))
        lines = extra[:k] + lines + extra[k:] if self.chance(0.5) else lines + extra
        if not lines:
            lines = [self.noise("review", pair)]
        return join(lines, self.rng.choice(["\n", "\n", " ", ". "]))

    # ==== broadened layouts ====
    def pick_pair(self, pairs):
        held = [p for p in pairs if isinstance(p[0], H)]
        if self.split == "heldout" and held and self.chance(0.5):
            return tuple(str(x) for x in self.rng.choice(held))
        return tuple(str(x) for x in self.rng.choice([p for p in pairs if not isinstance(p[0], H)]))

    def new_drug(self, name):
        r = self.rng.random()
        if r < 0.15:
            return self.pick(BIOSIMILARS)
        if r < 0.20:
            return self.pick(HIGH_DOSE)
        return name

    def new_facts(self, prose=False):
        f, system = self.facts()
        renamed, words = {}, {}
        for eye in EYES:
            name = f["drug." + eye]
            if name is not None:
                f["drug." + eye] = renamed.setdefault(name, self.new_drug(name))
            value = f["acuity." + eye]
            if prose and value is not None and (value in LOW_VISION or self.chance(0.06)):
                f["acuity." + eye] = words.setdefault(value, self.pick(PROSE_LOW_VISION))
        return f, system

    def drug_segs(self, name, *fields, typed=None):
        return tag(typed or self.case(name), *fields) + tag(self.drug_suffix(name))

    def today(self):
        return datetime.date(2024, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 700))

    def fmt_date(self, d, style):
        return ["{:02d}/{:02d}/{:02d}", "{:02d}/{:02d}/{:04d}", "{:02d}.{:02d}.{:02d}", "{:02d}-{:02d}-{:04d}"][style].format(
            d.day, d.month, d.year % 100 if style in (0, 2) else d.year)

    def prose_ctx(self):
        she = self.chance(0.5)
        P, o, ps = ("She", "her", "her") if she else ("He", "him", "his")
        name = self.pick([x for x in PATIENT_NAMES if x.startswith(("Mrs", "Ms", "Miss")) == she])
        n = self.rng.randint(2, 30)
        return dict(P=P, p=P.lower(), o=o, ps=ps, Ps=ps.capitalize(), name=name, NAME=name.upper(),
                    sex=self.rng.choice(["lady", "woman"] if she else ["gentleman", "man"]), age=self.rng.randint(48, 96),
                    dob=self.fmt_date(datetime.date(self.rng.randint(1925, 1975), self.rng.randint(1, 12),
                                                    self.rng.randint(1, 28)), self.rng.choice([0, 1, 1, 2])),
                    hosp="{}{:06d}".format(self.rng.choice("KRLMH"), self.rng.randint(0, 999999)),
                    nhs="{} {} {}".format(self.rng.randint(400, 999), self.rng.randint(100, 999), self.rng.randint(1000, 9999)),
                    gp=self.pick(GP_NAMES), sig=self.pick(SIGNERS), who=self.pick(CLINICIANS),
                    wkw=self.rng.choice(["4 weeks", "6 weeks", "eight weeks", "8 weeks", "3 months", "four weeks",
                                         "12 weeks", "two months"]),
                    year=str(self.rng.randint(2012, 2023)), n=str(n), r=self.pick(DEFER_REASONS),
                    nth=self.rng.choice(["second", "third", "fourth", "fifth", "{}th".format(n + 3)]),
                    date=self.date(), wk=self.weeks())

    def letter_dx(self, facts, pair):
        items = []
        for eye in EYES:
            if facts["drug." + eye] is None and self.chance(0.4):
                continue
            m = pair[0] if eye == "right" else pair[1]
            dx = self.pick(DIAGNOSES) if self.chance(0.6) else self.pick(DX_FINDINGS)
            items.append(self.pick(LETTER_DX).format(E=eye.capitalize(), e=eye, m=m, dx=dx))
        if not items:
            return None
        head = self.pick(LETTER_DX_HEAD)
        if self.chance(0.5):
            return tag(head + "\n" + "\n".join("{}. {}".format(i + 1, x) for i, x in enumerate(items)))
        return tag(head + " " + ", ".join(items))

    def prose_acuity(self, value, fields, system):
        out = tag(value, *fields)
        if system == "logmar" and value in LOGMAR and self.chance(0.7):
            out += tag(" logMAR")
        return out

    def letter_va(self, facts, system, ctx):
        r, l = facts["acuity.right"], facts["acuity.left"]
        if r is None and l is None:
            return [tag("Vision was not recorded today.")] if self.chance(0.2) else []
        if r is not None and r == l and self.chance(0.6):
            self.style.add("both_va")
            v = self.prose_acuity(r, ("acuity.right", "acuity.left"), system)
            return [fill(self.pick(LETTER_VA_BOTH), v=v, both=self.pick(BOTH_PROSE), **ctx)]
        if r is not None and l is not None:
            return [fill(self.pick(LETTER_VA_SENT), vr=self.prose_acuity(r, ("acuity.right",), system),
                         vl=self.prose_acuity(l, ("acuity.left",), system), **ctx)]
        out = []
        for eye in EYES:
            value = facts["acuity." + eye]
            if value is None:
                if self.chance(0.5):
                    out.append(fill(self.pick(LETTER_VA_MISSING), **dict(ctx, eye=eye)))
            else:
                out.append(fill(self.pick(LETTER_VA_ONE), v=self.prose_acuity(value, ("acuity." + eye,), system),
                                **dict(ctx, eye=eye)))
        return out

    def letter_treatment(self, facts, ctx):
        r, l = facts["drug.right"], facts["drug.left"]
        if r is not None and r == l and self.chance(0.6):
            self.style.add("both_drug")
            return [fill(self.pick(LETTER_TODAY_BOTH), d=tag(self.case(r), "drug.right", "drug.left"),
                         x=self.drug_suffix(r), **ctx)]
        out = []
        for eye in EYES:
            name = facts["drug." + eye]
            if name is not None:
                out.append(fill(self.pick(LETTER_TODAY), d=tag(self.case(name), "drug." + eye), x=self.drug_suffix(name),
                                **dict(ctx, eye=eye)))
        return out

    def letter_negatives(self, facts, ctx, k):
        out = []
        free = [e for e in EYES if facts["drug." + e] is None]
        if free and self.chance(0.35):
            out.append(tag(self.pick(LETTER_NEG_TODAY).format(**dict(ctx, eye=self.rng.choice(free),
                                                                     d=self.case(self.drug_name())))))
        for _ in range(k):
            out.append(tag(self.pick(LETTER_NEG_OTHER).format(**dict(ctx, eye=self.rng.choice(EYES),
                                                                     d=self.case(self.drug_name())))))
        return out

    def letter_note(self, facts, system, email=False):
        ctx = self.prose_ctx()
        pair = self.marker_pair()
        long = not email and self.chance(0.42)
        if long:
            self.style.add("long")
        head = []
        if email:
            head.append(tag(self.pick(EMAIL_HEAD).format(**ctx)))
            head.append(tag(self.pick(EMAIL_HI).format(who=self.pick(CLINICIANS))))
        else:
            lines = [tag(self.pick(LETTER_DEAR).format(**ctx))]
            if long or self.chance(0.6):
                lines.insert(self.rng.choice([0, 1]), tag(self.pick(LETTER_RE).format(**ctx)))
            head += lines
            dx = self.letter_dx(facts, pair) if (long or self.chance(0.5)) else None
            if dx:
                head.append(dx)
            if long or self.chance(0.25):
                meds = self.rng.sample([str(x) for x in SYSTEMIC if self.split == "heldout" or not isinstance(x, H)],
                                       self.rng.randint(2, 6 if long else 3))
                if long and self.chance(0.5):
                    head.append(tag("Medication:\n" + "\n".join("- " + x for x in meds)))
                else:
                    head.append(tag(self.pick(LETTER_MEDS).format(meds=", ".join(meds))))
        body = []
        if long or self.chance(0.5):
            body.append(tag(self.pick(LETTER_INTRO).format(**ctx)))
        if long and self.chance(0.8):
            body.append(tag(self.rng.choice([
                "{P} has a history of {dx} in the {eye} eye, first treated in {year}.",
                "{P} was diagnosed with {dx} in {year} and has had regular injections since.",
                "{P} has been on a treat and extend regime for {dx}."]).format(
                    dx=self.pick(DIAGNOSES), **dict(ctx, eye=self.rng.choice(EYES)))))
        for p_ in (0.7 if long else 0.25,):
            if self.chance(p_):
                body.append(tag(self.pick(LETTER_SYMPTOM).format(**dict(ctx, eye=self.rng.choice(EYES)))))
        body += self.letter_va(facts, system, ctx)
        if self.chance(0.6 if long else 0.15):
            a, b = self.rng.randint(10, 24), self.rng.randint(10, 24)
            body.append(tag(self.rng.choice(["Intraocular pressures were {} and {} mmHg.", "IOP {}/{}.",
                                             "Pressures were {} right and {} left."]).format(a, b)))
        if self.chance(0.8 if long else 0.35):
            body.append(tag(self.pick(LETTER_OCT).format(eye=self.rng.choice(EYES), m=pair[0], m2=pair[1],
                                                         f=self.pick(OCT_FINDINGS), f2=self.pick(OCT_FINDINGS))))
        acts = self.letter_treatment(facts, ctx) + self.letter_negatives(
            facts, ctx, self.rng.choice([1, 2]) if long else self.rng.choice([0, 0, 1]))
        self.rng.shuffle(acts)
        body += acts
        if self.chance(0.7 if long else 0.2):
            body.append(tag(self.pick(NON_IVT_SENT).format(**dict(ctx, eye=self.rng.choice(EYES)))))
        if long or self.chance(0.5):
            body.append(tag(self.pick(LETTER_PLAN).format(**ctx)))
        if long and self.chance(0.5):
            body.append(tag("Please do not hesitate to contact me if you have any concerns."))
        if email:
            tail = [tag(self.pick(EMAIL_BYE).format(who=self.pick(CLINICIANS)))]
        else:
            tail = [tag(self.pick(LETTER_SIGN).format(**ctx))] if (long or self.chance(0.6)) else []
            if long and self.chance(0.4):
                tail.append(tag("cc: {}; patient".format(ctx["gp"])))
        para = "\n\n" if long and self.chance(0.5) else "\n"
        parts = [join(head, "\n")] if head else []
        parts.append(join(body, self.rng.choice([" ", " ", "\n"])))
        parts += tail
        return join(parts, para if not email else "\n")

    # ---- EHR exports ----
    def cell_va(self, facts, eye):
        v = facts["acuity." + eye]
        if v is None:
            return tag(self.rng.choice(["-", "NT", "", "not tested", "-"]))
        out = tag(v, "acuity." + eye)
        if self.chance(0.08):
            out += tag(" " + self.pick(PREV_FMT).format(v=self.acuity("metric")))
        return out

    def cell_drug(self, facts, eye, typed):
        name = facts["drug." + eye]
        if name is None:
            return tag(self.pick(EHR_EMPTY))
        typed.setdefault(name, self.case(name))
        return self.drug_segs(name, "drug." + eye, typed=typed[name])

    def ehr_rows(self, facts):
        """(label, right cell, left cell) rows of an eye-by-column export."""
        typed = {}
        rows = []
        if facts["acuity.right"] or facts["acuity.left"] or self.chance(0.5):
            rows.append((self.pick(EHR_ROW["va"]), self.cell_va(facts, "right"), self.cell_va(facts, "left")))
        if self.chance(0.5):
            rows.append((self.pick(EHR_ROW["iop"]), tag(str(self.rng.randint(9, 30))), tag(str(self.rng.randint(9, 30)))))
        if self.chance(0.25):
            rows.append((self.pick(EHR_ROW["dx"]), tag(self.pick(DX_FINDINGS)), tag(self.pick(DX_FINDINGS))))
        if self.chance(0.45):
            rows.append((self.pick(EHR_ROW["oct"]), tag(self.pick(OCT_FINDINGS)), tag(self.pick(OCT_FINDINGS))))
        if self.chance(0.3):
            rows.append((self.pick(EHR_ROW["last"]), tag(self.case(self.drug_name()) if self.chance(0.7) else "-"),
                         tag(self.case(self.drug_name()) if self.chance(0.7) else "-")))
        drug_row = (self.pick(EHR_ROW["drug"]), self.cell_drug(facts, "right", typed), self.cell_drug(facts, "left", typed))
        rows.insert(self.rng.randint(len(rows) // 2, len(rows)), drug_row)
        if self.chance(0.2):
            rows.append(("Drops", tag(self.pick(DROPS) if self.chance(0.6) else "-"), tag(self.pick(DROPS))))
        if self.chance(0.15):
            rows.append((self.pick(EHR_ROW["lens"]), tag(self.rng.choice(["PCIOL", "NS+", "clear", "PCO"])),
                         tag(self.rng.choice(["PCIOL", "NS++", "clear", "quiet"]))))
        return rows

    def ehr_note(self, facts, system):
        kind = self.pick(EHR_KINDS)
        self.style.add("ehr:" + kind)
        ctx = self.prose_ctx()
        pre, post = [], []
        if self.chance(0.5):
            pre.append(tag(self.rng.choice(["Encounter: MR clinic {date}", "Patient: {NAME}  MRN {hosp}",
                                            "Clinic: {date}  Clinician: {who}", "Date of visit: {date}",
                                            "Report generated {date} 10:42"]).format(**ctx)))
        if kind == "kv":
            body = self.ehr_kv(facts, ctx)
        elif kind == "checklist":
            body = self.ehr_checklist(facts)
        elif kind == "hl7":
            body = self.ehr_hl7(facts, ctx)
        else:
            body = self.ehr_table(facts, kind)
        if self.chance(0.3):
            post.append(tag("Meds: " + ", ".join(self.rng.sample(
                [str(x) for x in SYSTEMIC if self.split == "heldout" or not isinstance(x, H)], 2))))
        if self.chance(0.25):
            post.append(tag(self.pick(NON_IVT).format(m=self.rng.choice(["R", "L", "RE", "LE", "OD", "OS"]))))
        if self.chance(0.4):
            post.append(tag("Plan: " + self.pick(REVIEW).format(wk=self.weeks(), date=self.date())))
        return join(pre + [body] + post, "\n")

    def table_lines(self, cells, kind):
        """cells: rows of segment lists; rendered aligned, piped, tab- or comma-separated."""
        out = []
        if kind == "columns":
            n = len(cells[0])
            gap = self.rng.choice([2, 3, 4, 6])
            widths = [max(sum(len(t) for t, _ in row[i]) for row in cells) + gap for i in range(n)]
            for row in cells:
                line = []
                for i, cell in enumerate(row):
                    line += cell
                    if i < n - 1:
                        line += tag(" " * (widths[i] - sum(len(t) for t, _ in cell)))
                out.append(rstrip_segs(line))
            return out
        sep = {"pipe": " | ", "tsv": "\t", "csv": ","}[kind]
        outer = kind == "pipe" and self.chance(0.7)
        for k, row in enumerate(cells):
            line = tag("| ") if outer else []
            line += join(row, sep)
            if outer:
                line += tag(" |")
            out.append(rstrip_segs(line) if not outer else line)
            if k == 0 and kind == "pipe" and self.chance(0.7):
                out.append(tag(("|" if outer else "") + "|".join(["---"] * len(row)) + ("|" if outer else "")))
        return out

    def ehr_table(self, facts, kind):
        hr, hl = self.pick_pair(COL_HEADERS)
        rows = self.ehr_rows(facts)
        swap = self.chance(0.2)
        if swap:
            self.style.add("columns_swapped")
        if kind == "columns" or self.chance(0.5):
            # a non-empty corner cell: a blank one at the start of a note would be stripped and shift the header
            head = [tag(self.rng.choice(["Eye", "Eye", "Exam", "Field", "Test"])), tag(hl if swap else hr),
                    tag(hr if swap else hl)]
            cells = [head] + [[tag(lab)] + ([c_l, c_r] if swap else [c_r, c_l]) for lab, c_r, c_l in rows]
        else:  # one row per eye
            head = [tag("Eye")] + [tag(lab) for lab, _, _ in rows]
            r_row = [tag(hr)] + [c for _, c, _ in rows]
            l_row = [tag(hl)] + [c for _, _, c in rows]
            cells = [head] + ([l_row, r_row] if swap else [r_row, l_row])
        return join(self.table_lines(cells, kind), "\n")

    def ehr_kv(self, facts, ctx):
        lines = []
        if self.chance(0.6):
            lines.append(tag(self.rng.choice(["INTRAVITREAL INJECTION RECORD", "Procedure record", "IVT procedure note",
                                              "Injection episode"])))
        if self.chance(0.5):
            lines.append(tag("Date: " + ctx["date"]))
        kva = self.rng.choice(["VA {E}: ", "VA ({e1}): ", "{E} VA: ", "BCVA {E}: "])
        for eye in EYES:
            if facts["acuity." + eye] is not None or self.chance(0.3):
                lines.append(tag(kva.format(E=eye.capitalize(), e1=eye[0].upper())) + self.cell_va(facts, eye))
        r, l = facts["drug.right"], facts["drug.left"]
        keys = {k: self.pick(v) for k, v in KV_KEYS.items()}
        records = []
        if r is not None and r == l and self.chance(0.5):
            self.style.add("both_drug")
            records.append(("both", self.drug_segs(r, "drug.right", "drug.left")))
        else:
            records += [(eye, self.drug_segs(facts["drug." + eye], "drug." + eye)) for eye in EYES
                        if facts["drug." + eye] is not None]
        if not records:
            lines.append(tag(self.rng.choice(["Injection given: No", "{}: not performed".format(keys["proc"]),
                                              "Procedure: none today"])))
            if self.chance(0.6):
                lines.append(tag("Reason: " + self.pick(DEFER_REASONS)))
            if self.chance(0.3):
                lines.append(tag("Previous {}: {}".format(keys["agent"].lower(), self.case(self.drug_name()))))
        for i, (eye, dsegs) in enumerate(records):
            if len(records) > 1:
                lines.append(tag("Procedure {}:".format(i + 1)))
            elif self.chance(0.5):
                lines.append(tag("{}: Intravitreal injection".format(keys["proc"])))
            lat, agent = tag("{}: {}".format(keys["lat"], self.pick(KV_LAT[eye]))), tag(keys["agent"] + ": ") + dsegs
            lines += [lat, agent] if self.chance(0.75) else [agent, lat]
            if self.chance(0.6):
                lines.append(tag("{}: {}{:04d}{}".format(keys["batch"], self.rng.choice(["AB", "K", "LOT", "X"]),
                                                        self.rng.randint(0, 9999), self.rng.choice(["", "A", "B"]))))
            if self.chance(0.6):
                lines.append(tag("{}: {}".format(keys["op"], self.pick(SIGNERS).split(",")[0])))
        if self.chance(0.4):
            lines.append(tag(self.rng.choice(["Complications: none", "IOP post: 18", "Post-op: G. chloramphenicol QDS 1/52",
                                              "Consent: written", "Anaesthetic: proxymetacaine"])))
        return join(lines, "\n")

    def ehr_checklist(self, facts):
        t, u = self.pick(TICKS), self.pick(UNTICKS)
        box = lambda on: t if on else u
        sep = self.rng.choice(["  ", " ", "   "])
        lines = []
        kva = self.rng.choice(["VA R {} L {}", "VA: R {} / L {}"])
        if facts["acuity.right"] or facts["acuity.left"]:
            a, b = kva.split("{}")[0], kva.split("{}")[1]
            lines.append(tag(a) + self.cell_va(facts, "right") + tag(b) + self.cell_va(facts, "left"))
        r, l = facts["drug.right"], facts["drug.left"]

        def options(given, fields):
            names = [given] if given else []
            while len(names) < self.rng.randint(3, 5):
                cand = self.pick(COMMON_DRUGS + BIOSIMILARS)
                if cand.lower() not in {x.lower() for x in names}:
                    names.append(cand)
            self.rng.shuffle(names)
            segs = []
            for i, nm in enumerate(names):
                if i:
                    segs += tag(sep)
                segs += tag(box(nm == given) + " ") + (tag(self.case(nm), *fields) if nm == given else tag(self.case(nm)))
            return segs

        if r is None and l is None:
            lines.append(tag("Injection given: {} Yes{}{} No".format(u, sep, t)))
            if self.chance(0.5):
                lines.append(tag("Drug: ") + options(None, ()))
        elif r is not None and l is not None and r != l:
            for eye, m in zip(EYES, self.pick_pair(COL_HEADERS)):
                lines.append(tag(m + ": ") + options(facts["drug." + eye], ("drug." + eye,)))
        else:
            name = r or l
            fields = tuple("drug." + e for e in EYES if facts["drug." + e] is not None)
            if len(fields) == 2:
                self.style.add("both_drug")
            lines.append(tag("Eye: {} Right{}{} Left".format(box(r is not None), sep, box(l is not None))))
            lines.append(tag(self.rng.choice(["Drug: ", "Agent: ", ""])) + options(name, fields))
        if self.chance(0.4):
            lines.append(tag("{} Consent{}{} Povidone{}{} Complications".format(t, sep, t, sep, u)))
        self.rng.shuffle(lines) if self.chance(0.2) else None
        return join(lines, "\n")

    def ehr_hl7(self, facts, ctx):
        segs = []
        today = self.today()
        ts = today.strftime("%Y%m%d")
        if self.chance(0.7):
            segs.append(tag("MSH|^~\\&|{}|EYE|EPR|TRUST|{}{:04d}||ORU^R01|MSG{:05d}|P|2.4".format(
                self.rng.choice(["MEDISOFT", "OPENEYES", "EPIC", "CERNER"]), ts, self.rng.randint(800, 1700),
                self.rng.randint(0, 99999))))
        if self.chance(0.6):
            surname, first = ctx["name"].split(" ")[-1].upper(), ctx["name"].split(" ")[1].upper()
            dob = datetime.date(self.rng.randint(1930, 1975), self.rng.randint(1, 12), self.rng.randint(1, 28))
            segs.append(tag("PID|1||{}^^^HOSP||{}^{}||{}|{}".format(ctx["hosp"], surname, first, dob.strftime("%Y%m%d"),
                                                                    "F" if ctx["P"] == "She" else "M")))
        obx = self.rng.choice(["VA^{E}", "VA^{E} EYE", "VA_{e1}", "BCVA^{E}", "VISUAL ACUITY^{E}"])
        k = 1
        for eye in EYES:
            if facts["acuity." + eye] is not None:
                label = obx.format(E=eye.upper(), e1=eye[0].upper())
                segs.append(tag("OBX|{}|ST|{}||".format(k, label)) + tag(facts["acuity." + eye], "acuity." + eye) + tag("||"))
                k += 1
        if self.chance(0.4):
            segs.append(tag("OBX|{}|NM|IOP^{}||{}|mmHg|".format(k, self.rng.choice(["RIGHT", "LEFT"]), self.rng.randint(9, 28))))
        lat = {e: self.pick(HL7_LAT[e]) for e in ("right", "left", "both")}
        pfmt = self.rng.choice(["PROC|IVT|{lat}|", "PROC|{n}|IVT|{lat}|", "PR1|{n}||IVT^INTRAVITREAL INJECTION|{lat}|"])
        up = self.chance(0.6)
        r, l = facts["drug.right"], facts["drug.left"]
        procs = []
        if r is not None and r == l and self.chance(0.5):
            self.style.add("both_drug")
            procs.append(("both", r, ("drug.right", "drug.left")))
        else:
            procs += [(e, facts["drug." + e], ("drug." + e,)) for e in EYES if facts["drug." + e] is not None]
        for i, (e, name, fields) in enumerate(procs):
            typed = name.upper() if up else self.case(name)
            segs.append(tag(pfmt.format(lat=lat[e], n=i + 1)) + tag(typed, *fields) +
                        tag(self.drug_suffix(name).upper() if up else self.drug_suffix(name)) + tag("|" + ts if self.chance(0.3) else ""))
        if self.chance(0.35):
            old = self.drug_name()
            segs.append(tag("NTE|1||LAST IVT {} {} {}".format(old.upper() if up else old, lat[self.rng.choice(EYES)],
                                                              self.date())))
        free = [e for e in EYES if facts["drug." + e] is None]
        if free and self.chance(0.3):
            segs.append(tag("NTE|2||{} IVT DEFERRED - {}".format(lat[self.rng.choice(free)], self.pick(DEFER_REASONS).upper())))
        return join(segs, "\n")

    # ---- treatment logs ----
    def log_note(self, facts, system):
        pair = self.marker_pair()
        long = self.chance(0.55)
        if long:
            self.style.add("long")
        today, ds = self.today(), self.rng.choice([0, 0, 1, 2, 3])
        header_date = self.chance(0.5)
        by_date = header_date and self.chance(0.35)
        typed, rows = {}, []
        mark = self.pick(TODAY_MARK)
        row_fmt = self.pick(LOG_ROW)
        counts = {}
        extra = []
        for eye in EYES:
            m = pair[0] if eye == "right" else pair[1]
            name = facts["drug." + eye]
            if name is None and self.chance(0.4):
                continue
            old = name
            if name is None or self.chance(0.2):
                old = self.drug_name()
                while name is not None and old.lower() == name.lower():
                    old = self.drug_name()
            k = self.rng.randint(3, 9) if long else self.rng.randint(1, 3)
            counts[eye] = k + (name is not None) + self.rng.choice([0, 0, 3, 8])
            gap = self.rng.choice([28, 35, 42, 56, 70])
            for i in range(k, 0, -1):
                d = today - datetime.timedelta(days=gap * i + self.rng.randint(-3, 3))
                rows.append((d, eye, fill(row_fmt, date=self.fmt_date(d, ds), m=m, d=self.case(old),
                                          x=self.drug_suffix(old), n="{n}")))
            if name is not None:
                typed[name] = typed.get(name) or self.case(name)
                segs = fill(row_fmt, date=self.fmt_date(today, ds), m=m, d=self.drug_segs(name, "drug." + eye, typed=typed[name]),
                            x="", n="{n}")
                rows.append((today, eye, segs + ([] if by_date else tag(mark))))
                if old.lower() != name.lower() and self.chance(0.5):
                    self.style.add("switch")
                    extra.append(fill(self.pick(LOG_SWITCH), d0=self.case(old), d=tag(typed[name], "drug." + eye), m=m))
            elif self.chance(0.3):
                rows.append((today, eye, tag("{} {} {} - {}".format(self.fmt_date(today, ds), m,
                                                                   self.rng.choice(["deferred", "no inj", "obs", "declined"]),
                                                                   self.pick(DEFER_REASONS))) + ([] if by_date else tag(mark))))
        rows.sort(key=lambda r: (r[0], r[1]), reverse=self.chance(0.25))
        lines = []
        if header_date:
            lines.append(tag(self.rng.choice(["Clinic date: {}", "Date: {}", "Seen {}", "Today {}"]).format(self.fmt_date(today, ds))))
        if self.chance(0.85) and (facts["acuity.right"] or facts["acuity.left"]):
            va, _ = self.va_block(facts, pair, system, False)
            if va:
                lines.append(va)
        if rows:
            lines.append(tag(self.pick(LOG_HEAD).format(E=self.rng.choice(EYES).capitalize())))
            for i, (_, _, segs) in enumerate(rows):
                lines.append([(t.replace("{n}", str(i + 1)), f) for t, f in segs])
        for eye, n in counts.items():
            if self.chance(0.4):
                m = pair[0] if eye == "right" else pair[1]
                fmt = self.pick(LOG_COUNT)
                if self.split == "train" and m + " eye" in HELD_MARKERS:
                    fmt = "{m}: {n} injections total"
                lines.append(tag(fmt.format(m=m, n=n)))
        if self.chance(0.3 if not long else 0.6):
            self.style.add("implant")
            lines.append(tag(self.pick(IMPLANT).format(
                d=self.rng.choice(["Iluvien", "Ozurdex", "ozurdex", "Yutiq", "dex implant", "Susvimo"]),
                m=self.rng.choice(pair), mon=self.rng.choice(["03/2023", "Jan 2024", "06/23", "Nov 2023"]),
                k=self.rng.randint(2, 30))))
        lines += extra
        if self.chance(0.4 if long else 0.15):
            lines.append(self.noise("oct", pair))
        if self.chance(0.25):
            lines.append(tag(self.pick(NON_IVT).format(m=self.rng.choice(pair))))
        if not any(facts["drug." + e] for e in EYES) and self.chance(0.5):
            lines.append(self.noise("nothing", pair))
        if self.chance(0.5):
            lines.append(self.noise("review", pair))
        return join(lines, "\n")

    # ---- cancellations, both-eye shorthand, no-eye / one-eye ----
    def cancel_note(self, facts, system):
        pair = self.marker_pair()
        s = self.slots()
        reason = self.pick(DEFER_REASONS)
        if self.chance(0.15):
            self.style.add("dna")
            for f in FIELDS:
                facts[f] = None
            reason = self.rng.choice(["no surgeon", "staff sickness", "no drug supply", "IT failure", "fire alarm"])
            out = [tag(self.pick(CANCEL_WHOLE).format(r=reason, wk=s["wk"], date=s["date"]))]
            if self.chance(0.5):
                out.append(self.noise("date", pair))
            if self.chance(0.3):
                out.append(tag("prev {} {}".format(self.case(self.drug_name()), self.rng.choice(pair))))
            return join(out, self.rng.choice([". ", "\n", " - "]))
        if facts["drug.right"] and facts["drug.left"]:
            facts["drug." + self.rng.choice(EYES)] = None
        given = [facts["drug." + e] for e in EYES if facts["drug." + e]]
        free = [e for e in EYES if facts["drug." + e] is None]
        frags = []
        va, _ = self.va_block(facts, pair, system, False)
        if va:
            frags.append(va)
        frags += self.drug_items(facts, pair)
        if len(free) == 2 and self.chance(0.5):
            frags.append(tag(self.pick(CANCEL_BOTH).format(r=reason, wk=s["wk"], d=self.case(self.drug_name()))))
        else:
            for eye in free:
                m = pair[0] if eye == "right" else pair[1]
                name = given[0] if given and self.chance(0.5) else self.drug_name()
                frags.append(tag(self.pick(CANCEL_EYE).format(m=m, d=self.case(name), r=self.pick(DEFER_REASONS),
                                                              wk=s["wk"], date=s["date"])))
        if self.chance(0.4):
            frags.append(tag(self.rng.choice(["rebooked {wk}", "rebook 1/52", "rev {wk}", "re-list {wk}"]).format(wk=s["wk"])))
        if self.chance(0.2):
            frags.append(tag(self.pick(NON_IVT).format(m=self.rng.choice(pair))))
        head = frags[:1] if va else []
        rest = frags[len(head):]
        self.rng.shuffle(rest)
        return join(head + rest, self.rng.choice(["\n", ". ", ", ", " - ", "; "]))

    def both_note(self, facts, system):
        pair = self.marker_pair()
        name = facts["drug.right"] or facts["drug.left"] or self.new_drug(self.drug_name())
        facts["drug.right"] = facts["drug.left"] = name
        self.style.add("both_drug")
        item = fill(self.pick(BOTH_SHORT), d=tag(self.case(name), "drug.right", "drug.left"), x=self.drug_suffix(name))
        frags = [item]
        va, _ = self.va_block(facts, pair, system, False)
        if va:
            frags.insert(0, va)
        extra = [f for k, f in self.distractors(pair, facts) if k != "neg"]
        if self.chance(0.35):
            extra.append(tag(self.rng.choice(["G. pred forte QDS OU", "N6 OU", "IOP 15 OU", "lubricants OU", "OCT dry OU",
                                              "PRP OU", "G. chloramphenicol QDS OU 1/52"])))
        self.rng.shuffle(extra)
        k = self.rng.randint(0, len(extra))
        frags = frags[:1] + extra[:k] + frags[1:] + extra[k:]
        return join(frags, self.rng.choice([" ", ", ", ". ", "\n", "; ", " - "]))

    def noeye_note(self, facts, system):
        pair = self.marker_pair()
        s = self.slots()
        name = self.new_drug(self.drug_name())
        frags = []
        if self.chance(0.5):
            self.style.add("noeye_drug")
            facts["drug.right"] = facts["drug.left"] = None
            va, _ = self.va_block(facts, pair, system, False) if self.chance(0.8) else (None, None)
            if va:
                frags.append(va)
            frags.append(fill(self.pick(NO_EYE_DRUG), d=self.case(name), x=self.drug_suffix(name), wk=s["wk"], n=s["n"]))
        else:
            self.style.add("one_eye")
            eye = self.rng.choice(EYES)
            other = "left" if eye == "right" else "right"
            facts["drug." + other] = facts["acuity." + other] = None
            facts["drug." + eye] = name if self.chance(0.8) else None
            m = pair[0] if eye == "right" else pair[1]
            frags.append(tag(self.pick(ONE_EYE_HEAD).format(E=eye.capitalize(), e=eye, M=self.rng.choice(["R", "Rt"] if eye == "right" else ["L", "Lt"]),
                                                            dx=self.pick(DIAGNOSES))))
            if facts["acuity." + eye] is not None:
                frags.append(tag(self.rng.choice(["VA ", "VA: ", "BCVA ", "Vision ", ""])) +
                             self.va_value(facts["acuity." + eye], ("acuity." + eye,), system))
            if self.chance(0.5):
                frags.append(tag(self.rng.choice(["OCT ", "OCT: ", ""]) + self.pick(OCT_FINDINGS)))
            if facts["drug." + eye] is not None:
                frags.append(fill(self.pick(NO_EYE_DRUG), d=tag(self.case(name), "drug." + eye), x=self.drug_suffix(name),
                                  wk=s["wk"], n=s["n"]))
            else:
                frags.append(tag(self.rng.choice(["obs", "no inj today", "dry - extend", "{} deferred ({})".format(
                    self.case(name), self.pick(DEFER_REASONS))])))
        for kind in ("review", "proc", "vitals", "date"):
            if self.chance(0.2):
                frags.append(self.noise(kind, pair))
        return join(frags, self.rng.choice(["\n", ". ", " ", ", "]))

    def render(self, segs, layout):
        text, answers = "", {f: None for f in FIELDS}
        for piece, fields in segs:
            for f in fields:
                if answers[f] is None:
                    answers[f] = {"text": piece, "start": len(text)}
            text += piece
        stripped = text.strip()
        shift = len(text) - len(text.lstrip())
        for a in answers.values():
            if a:
                a["start"] -= shift
                assert stripped[a["start"]:a["start"] + len(a["text"])] == a["text"]
        return {"text": stripped, "layout": layout, "answers": answers, "style": sorted(self.style)}


def generate(n, seed, split):
    maker = NoteMaker(seed, split)
    return [dict(id="{}-{}".format(split, i), split=split, **maker.note()) for i in range(n)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["train", "heldout"], default="train")
    ap.add_argument("--notes", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-")
    args = ap.parse_args(argv)
    notes = generate(args.notes, args.seed, args.split)
    out = sys.stdout if args.out == "-" else open(args.out, "w")
    for note in notes:
        out.write(json.dumps(note, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
