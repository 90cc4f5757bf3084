"""Texts for the parity fixtures: invented clinic notes (no patient data) and tokenizer edge cases."""

import random

FOUR_QUESTIONS = [
    "What drug was injected into the right eye?",
    "What drug was injected into the left eye?",
    "What is the visual acuity of the right eye?",
    "What is the visual acuity of the left eye?",
]

LONG_NOTE = (
    "Medical retina clinic, treat-and-extend review.\n"
    "Hx: wet AMD both eyes, diagnosed 2021. R eye loaded with Eylea x3 then extended to 8/52. "
    "L eye started Lucentis 2022, switched to Vabysmo in March after persistent SRF on OCT.\n"
    "Today: pt reports mild distortion L>R, no pain, no flashes or floaters. Drives in daylight only.\n"
    "VA: R 6/9-1 (prev 6/9), L 6/18+2 (prev 6/24). PH R 6/7.5, L 6/12.\n"
    "IOP 14/16 mmHg. Anterior segments quiet, lenses PCIOL both.\n"
    "OCT R: dry macula, CST 268, no IRF/SRF, stable PED. OCT L: small amount of SRF nasally, CST 312, "
    "IRF resolved since last visit.\n"
    "Plan discussed with patient, consent confirmed, risks explained (endophthalmitis 1:2000, RD, raised IOP).\n"
    "Procedure: R) Eylea 2mg IVT given under aseptic technique, inferotemporal, 4mm from limbus. "
    "L) Vabysmo 6mg IVT given supero-temporal. Post-injection IOP check: finger soft both, perceives light.\n"
    "Extend R to 10/52, keep L at 6/52 as fluid persists. Rev 6/52 with OCT both eyes.\n"
    "Note: previously had Avastin OD in 2020 at another unit (not today). Ozurdex was considered for L "
    "but deferred given IOP history. Pt asked about Eylea HD, will discuss at next visit.\n"
    "Letter to GP and optometrist. Next injection booked. Nurse-led clinic for R if stable x2 visits.\n"
    "Signed: medical retina fellow, on behalf of consultant. Reviewed OCT images with patient on screen, "
    "explained that the left eye still shows activity and that intervals will be shortened if vision drops. "
    "Patient understands and agrees. Advised to call the eye casualty line urgently if red painful eye, "
    "sudden drop in vision or increasing floaters in the next week. Leaflet given. Transport arranged."
)

QA_CASES = [
    {"name": "terse one-liner", "context": "4/52 rev + l) eylea", "questions": FOUR_QUESTIONS},
    {"name": "both eyes terse", "context": "R) 6/9 L) 6/12 dry, rev 3/12", "questions": FOUR_QUESTIONS},
    {
        "name": "multi-line with headers",
        "context": "VA: R 6/12 L 6/24\nOCT: R dry, L SRF+\nPlan:\n1. L) Eylea 2mg IVT today\n2. R obs, rev 8/52",
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "US style",
        "context": "VA cc OD 20/40 OS 20/25. Avastin OD #4 given. RTC 4 wks",
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "missing spaces",
        "context": "r)avastin l)eylea,VA R6/9 L6/60",
        "questions": FOUR_QUESTIONS + ["Which eye got Avastin?"],
    },
    {
        "name": "CRLF, tabs and no-break spaces",
        "context": "VA:\tR\u00a06/6\r\nL\u00a0CF 1m\r\nInj:\tL) Vabysmo\u00a06mg\r\nR) nil today",
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "accents and emoji",
        "context": "Pt Ren\u00e9e M\u00fcller \U0001F441\ufe0f seen. VA R 6/9 \u2192 L 6/12. "
                   "Lucentis\u00ae 0.5mg R) given \U0001F489\U0001F44D\U0001F3FD. Caf\u00e9 chat re: driving.",
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "declined and deferred drugs",
        "context": "Eylea offered for L eye but declined by patient. Ozurdex deferred. No injection today. "
                   "VA R 6/18 L HM.",
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "unrelated questions",
        "context": "IOP 14/16. Review in 6/12 with fields. Dilated fundus exam normal.",
        "questions": ["What drug was injected into the right eye?", "Who is the consultant?",
                      "What is the visual acuity of the left eye?"],
    },
    {
        "name": "low vision notations",
        "context": "VA R PL, L NPL. BCVA unchanged. R) triamcinolone 4mg IVTA given for CMO.",
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "ETDRS letters",
        "context": "ETDRS R 72 letters, L 81ltrs. Faricimab (Vabysmo) R given. L observe.",
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "special token typed in note",
        "context": "VA R 6/9 [SEP] L 6/6. [cls] Eylea R) today.",
        "questions": FOUR_QUESTIONS[:2],
    },
    {
        "name": "long note with default windows",
        "context": LONG_NOTE,
        "questions": FOUR_QUESTIONS,
    },
    {
        "name": "long note with small windows",
        "context": LONG_NOTE,
        "questions": FOUR_QUESTIONS,
        "options": {"max_seq_len": 64, "doc_stride": 24},
    },
    {
        "name": "short windows with short answers",
        "context": "R) eylea 2mg IVT #7, VA 6/12+1. L) lucentis 0.5mg IVT #3, VA 6/36. Rev 6/52 both eyes, "
                   "OCT at each visit, T&E protocol.",
        "questions": FOUR_QUESTIONS,
        "options": {"max_seq_len": 40, "doc_stride": 10, "max_answer_len": 4},
    },
    {
        "name": "CJK and full-width",
        "context": "\u53f3\u773c VA\uff1a6/9\u3000\u5de6\u773c 6/12\u3002Eylea \u6ce8\u5c04 R.",
        "questions": FOUR_QUESTIONS[:2],
    },
]


CLINIC_LINES = [
    "4/52 rev + l) eylea", "R) 6/9 L) 6/12 dry, rev 3/12", "VA cc OD 20/40 OS 20/25. Avastin OD #4 given.",
    "r)avastin l)eylea", "R)eylea,VA R6/9", "BD for 1 week then OD", "6/24 PH 6/12", "CF 1m", "CF 3ft", "HM",
    "PL / LP", "NPL / NLP", "6/9-1, 6/12+2", "20/400", "logMAR 0.30", "72 letters", "81ltrs", "N5 N6 N8", "J1..J14",
    "IOP 14/16 mmHg", "12/03/24", "(was 6/9)", "(prev 6/12)", "rev 6/12", "2/7", "T&E", "PRN", "loading (x3)", "DNA",
    "nAMD / wet AMD", "DMO / DME", "RVO / CRVO / BRVO", "PDR / NPDR", "SRF / IRF", "CST / CMT", "NVI / NVG",
    "Eylea HD 8mg", "eyelea", "eyela", "lucentus", "vabismo", "ranibuzumab", "eylea 2mg", "0.5mg", "#3",
    "anti-VEGF", "IVT/IVI/inj", "IVB/IVR", "Ozurdex (dex)", "Iluvien & Yutiq", "IVTA, Triesence, Kenalog",
    "Syfovre (pegcetacoplan)", "Izervay", "Jetrea", "vancomycin+ceftazidime", "R+L", "both eyes", "OU", "bilat",
    "R.E.", "O.D.", "O.S.", "rt", "lt", "R)", "l)", "VA: R 6/9 L 6/12\nPlan: L) Vabysmo", "f/u RTC 4 wks",
    "Hx: PDR, PRP x2", "OCT: dry, no SRF/IRF", "PED stable", "CSR resolving", "ERM peel 2019",
    "VA R 6/7.5 L 6/5", "20/20 = 6/6", "85 letters = logMAR 0.0", "VA R 0.8 L 1.0 (decimal)", "PHNI",
    "cc / sc", "unaided / aided", "BCVA R 6/9", "rev 3/12 c OCT", "obs", "cont", "nil", "tx", "Dx", "dc",
]

PUNCTUATION = [
    "!!!", "???", "...", "---", "***", "6/9!!", "(R)", "[L]", "{x}", "a--b", "a—b–c", "«quoted»", "“smart” ‘quotes’",
    "¡Hola!", "¿Qué?", "a/b/c/d", "1.5.2024", "x_y_z", "@home #tag $5 %20 ^2 &co *star +plus =eq |pipe ~tilde `tick`",
    "\\backslash\\", "'apostrophe'", "\"double\"", "semi;colon:colon", "a,b,c", "<tag>", "§ ¶ † ‡ • …", "‰ ′ ″ ‹ ›",
    "。、「」『』", "（括弧）", "!?!?", "¿¡", "a.b.c.d.e.f", "::", "->", "=>", "<=>",
]

UNICODE_CASES = [
    "café", "naïve résumé", "Müller São Paulo", "Ångström", "Ærøskøbing", "crème brûlée", "Dvořák", "Łódź",
    "e\u0301 combining acute", "a\u0308\u0301 two marks", "\u0301 leading mark", "Ä\u0301",
    "ΟΔΟΣ ΣΊΣΥΦΟΣ", "Σ σ ς", "İstanbul", "ıi İI", "Straße STRASSE ẞ", "ﬁnancial ﬂow", "ﬓ Armenian ligature",
    "Привет мир", "Ёлка", "שלום עולם", "مرحبا بالعالم", "नमस्ते दुनिया", "สวัสดีครับ", "안녕하세요", "한국어 텍스트",
    "日本語のテキスト", "中文文本测试", "漢字かな混じり文", "𠀀𠀁 ext B", "豈 更 compat", "⺩⺼ radicals",
    "ＡＢＣ１２３ full width", "①②③", "½ ¼ ¾", "x² y³", "° µ Ω", "∑ ≤ ≥ ± × ÷", "™ © ®", "€ £ ¥ ₹",
    "👁️ eye", "💉 injection", "👍🏽 skin tone", "👨‍⚕️ doctor ZWJ", "🥲 newer emoji", "🫠 melting", "🇬🇧 flag",
    "a\u200bb zero width space", "a\u200cb ZWNJ", "a\u200db ZWJ", "\ufeffBOM start", "soft\u00adhyphen",
    "next\u0085line", "line\u2028sep", "para\u2029sep", "nb\u00a0space", "thin\u2009space", "narrow\u202fnb",
    "ideographic\u3000space", "tab\tseparated", "cr\ronly", "crlf\r\nline", "vt\u000bff\u000c", "nul\u0000byte",
    "replacement\ufffdchar", "private\ue000use", "unassigned\u0378char", "nonchar\uffff", "last\U0010ffff",
    "bell\u0007 esc\u001b del\u007f", "c1\u0080\u009f", "ogham\u1680space", "mongolian\u180evowel",
    "ell\u2026ipsis", "\u2060word joiner", "bidi\u202eoverride\u202c",
    # Scalars whose class differs between Unicode 8.0 (tokenizers' tables) and today.
    "a\u061db", "a\u0890b", "a\u08d3b", "a\u1734b", "a\u1885b", "a\u166db", "a\U000111c9b", "a\ua9bdb",
    "a\U0001171eb", "a\U00011938b", "\u1e9e", "\u2c2f", "\ua7cb", "\u1c90\u1c91 Mtavruli", "\uab70 Cherokee",
    "\u13a0\u13a1 Cherokee upper", "\U00010570 Vithkuqi", "\u2e52\u2e5d", "\u0fce", "\u08e2x",
]

LONG_WORDS = [
    "a" * 99, "a" * 100, "a" * 101, "b" * 150, "ab" * 50, "pneumonoultramicroscopicsilicovolcanoconiosis",
    "intravitreal" * 9, "é" * 100, "é" * 101, "e\u0301" * 60, "e\u0301" * 101, "Ä" * 120,
    "x" * 100 + " short", "word " + "y" * 101 + " tail", "z" * 98 + "é\u0301",
    "\U0001F441" * 101, "中" * 150, "a" * 50 + "-" + "b" * 60,
]

WHITESPACE = [
    "", " ", "   ", "\t", "\n", "\r\n", "\u00a0", "\u3000", " \t\r\n\u00a0\u3000 ", "  leading", "trailing  ",
    "multiple   inner    spaces", "\n\nblank\n\nlines\n", "mixed \t\u00a0\u2009\u3000 whitespace",
]

SPECIAL_TOKENS = [
    "[SEP]", "[CLS] text", "text [SEP] more", "[sep] lowercase", "[UNK]x", "[[SEP]]", "[SE P]", "[MASK][PAD]",
    "a[SEP]b", "[CLS][SEP][UNK]", "[SEP", "SEP]",
]


def random_strings(seed: int, count: int):
    rng = random.Random(seed)
    pools = [
        (0x20, 0x7E, 10), (0xA0, 0x24F, 4), (0x300, 0x36F, 2), (0x370, 0x52F, 2), (0x590, 0x6FF, 1),
        (0x900, 0xDFF, 2), (0x1100, 0x11FF, 1), (0x1E00, 0x1FFF, 2), (0x2000, 0x206F, 2), (0x2070, 0x2BFF, 2),
        (0x3000, 0x30FF, 2), (0x4E00, 0x9FFF, 2), (0xAC00, 0xD7A3, 1), (0xF900, 0xFFFD, 2),
        (0x10000, 0x1FFFF, 3), (0x20000, 0x2FFFF, 1), (0xE0000, 0xE01EF, 1),
    ]
    weights = [w for _, _, w in pools]
    out = []
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(8, 40)):
            lo, hi, _ = rng.choices(pools, weights)[0]
            cp = rng.randint(lo, hi)
            if 0xD800 <= cp <= 0xDFFF:
                continue
            chars.append(chr(cp))
            if rng.random() < 0.15:
                chars.append(rng.choice([" ", " ", "\t", "\n", "\u00a0"]))
        out.append("".join(chars))
    return out


def tokenizer_strings(seed: int):
    strings = CLINIC_LINES + PUNCTUATION + UNICODE_CASES + LONG_WORDS + WHITESPACE + SPECIAL_TOKENS
    strings += [case["context"] for case in QA_CASES]
    strings += random_strings(seed, 80)
    return strings
