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

from lexicon import (BOTH_EYES, CLINICIANS, DECIMAL, DIAGNOSES, DOSES, DROPS, DRUGS, GLUE_OK, H, LETTER_SUFFIX,
                     LETTERS_FMT, LOGMAR, LOW_VISION, OCT_FINDINGS, PH_FMT, PREV_FMT, REASONS, SIDE_PAIRS,
                     SNELLEN_IMPERIAL, SNELLEN_METRIC, SYNTH_SUFFIXES, SYNTH_SYLLABLES)

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

LAYOUTS = ["terse", "terse", "lines", "lines", "per_eye", "numbered", "narrative", H("soap")]


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
        return marker.strip("()") + " eye"

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
        facts, system = self.facts()
        pair = self.marker_pair()
        layout = self.pick(LAYOUTS)
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
        return {"text": stripped, "layout": layout, "answers": answers}


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
