// Package lang chooses and provides the bleve analyzers tacit indexes transcripts with:
// English, Hebrew and Arabic analyzers of its own, bleve's analyzers for other languages,
// language detection by script, and the word folding and stop lists that word-frequency
// lists need.
//
// # Choosing an analyzer
//
// A document's language is the --lang given at import, else Detect(text, projectLang)
// (Hebrew and Arabic letters are unmistakable), else the project's language. Its text is
// indexed with AnalyzerName(lang) and queried with QueryAnalyzerName(lang), set explicitly
// on every MatchQuery / MatchPhraseQuery leaf (a query string's leaves too). A search box
// over a mixed corpus is a disjunction of one MatchQuery per QueryAnalyzers(langs...).
//
// All analyzers are registered in bleve's global registry by this package's init (see
// Register): an index mapping only names them. Every binary that opens a tacit index must
// import this package. Because the analysis is code and not mapping JSON, store Version in
// the index and rebuild the index when it changes.
//
// # One analyzer, three scripts
//
// tacit_en, tacit_he and tacit_ar use bleve's unicode tokenizer (UAX #29 words), fold
// Arabic-Indic digits to ASCII, then route each token by the script of its first letter:
//
//   - Hebrew: tacit's Hebrew chain (below);
//   - Arabic: bleve's "ar" chain: to_lower, NFKC, stop_ar, normalize_ar, stemmer_ar;
//   - anything else: bleve's "en" chain (possessive_en, to_lower, stop words, stemmer_porter),
//     except that the stop list keeps the negations "no" and "not".
//
// So Hebrew text with English words in it gets lower-cased, stemmed English terms, and an
// English interview quoting a Hebrew word gets the Hebrew treatment. For pure English text
// tacit_en yields exactly bleve's "en" terms, for pure Arabic text tacit_ar exactly "ar"
// (except that ٢٠٢٣ becomes 2023).
// tacit_plain is the same router with only lower-casing for the third group.
//
// Every filter changes Token.Term only. Start and End stay the byte offsets of the surface
// word in the original text (niqqud, tashkeel and bidi marks included), and Position its
// word position, so highlights and term locations slice the stored text to the whole
// surface word. No character filter is used: one that changes lengths would shift every
// later offset.
//
// # Hebrew
//
// Index chain (tacit_he and the other index analyzers):
//
//  1. normalise (FilterHeNormalize): NFKC; remove non-spacing marks (niqqud, te'amim,
//     dagesh, shin/sin dots) and format characters (RLM, LRM, ZWJ); unify gershayim
//     look-alikes (״ “ ” and a doubled apostrophe) to U+0022 and geresh look-alikes
//     (׳ ‘ ’ `) to the ASCII apostrophe; drop a trailing U+0022, and a trailing geresh
//     unless it follows ג ז צ ח ת (ג'ט "jet" is not גט); write
//     final letters by position (the last letter takes its final form, others the medial
//     form), so כָּבוֹד -> כבוד and a typed שלומ -> שלום;
//  2. stop (FilterHeStop): a short list, the bare proclitic letters left over from ה-IDF or
//     ב-2023, a few proclitic pairs, and של את על זה כי או גם רק אבל הוא היא. Negation (לא,
//     אין) and homographs with meaning (אם, עם, שם) are kept;
//  3. expand (FilterHeExpand): keep the token and add, at the same Position with the same
//     Start/End, every form left after stripping a legal proclitic chain
//     [ו] [ש | כש | מש | לכש] [ב | כ | ל | מ] [ה] of up to 4 letters (ה not after ב כ ל),
//     so בכבוד is indexed as בכבוד + כבוד and וכשהגענו as וכשהגענו + כשהגענו + שהגענו +
//     הגענו + גענו. A form is added only if at least 3 letters remain (2 if the rest is
//     on a short allowlist: לב ים יד שר בן בת אם אב עם גן חג דם), it is not a stop word,
//     and the word is not protected (ברית כלב בשר כשר שבת לבן מים שמים מיד ליד כאב מגן
//     מדינה מחלה שמחה שמירה שמונה מספר משפחה משרד מקרה); stripping stops at a protected
//     form (וכלב gives כלב, never לב). An acronym with 3+ letters also gets its quote-less
//     form (צה"ל -> צהל, דו"ח -> דוח); a prefix before an acronym is stripped only if 2
//     letters stay before the quote (מע"מ never gives ע"מ). A proclitic glued to a Latin
//     word or a number (בGoogle, ב2023) also yields the remainder through the English chain.
//
// Query chain (the "_query" twins): steps 1 and 2, then acronyms of 3+ letters lose their
// quote; there is no expansion, so each query word is one term at one position (which a
// MatchQuery with operator AND needs). Consequences:
//
//   - כבוד finds כבוד, כָּבוֹד, בכבוד, והכבוד, בְּכָבוֹד, שהכבוד, מהכבוד, וכשהכבוד;
//   - בכבוד finds only בכבוד (and ובכבוד, שבכבוד ...): a prefixed query is exact;
//   - בית is never cut down to ית, and ית, רית do not find בית, ברית; extra junk index terms
//     (רית from a word not protected, גענו) cost a little space and are never queried;
//   - phrase queries work, as every added form shares its word's position: "בית ספר" finds
//     לבית ספר;
//   - false matches remain where the remainder is a real word and the word is not
//     protected (query קום also finds מקום). Extend the lists per project with the analyzer
//     config keys he_protected, he_short_ok, he_stop (see Register), built from the corpus;
//   - suffixes and spelling variants are not handled: כבוד does not find כבודו, תוכנית
//     does not find תכנית;
//   - added forms count in the field length, so documents with many prefixed words score
//     slightly lower under length normalisation.
//
// # Arabic
//
// bleve's chain: alef variants, alef maksura, teh marbuta, tashkeel and tatweel are
// normalised; one prefix of ال وال بال كال فال لل و is stripped, and the light10 suffixes.
// كتاب finds والكتاب and كِتاب; مدرسة finds بالمدرسة. At index time tacit adds one step
// (arabicExpandFilter, before normalisation): the forms left after the proclitics the
// stemmer leaves alone, an optional و or ف then ب ك ل, or a bare ف, with at least 3
// letters left, at the same position, so احترام finds باحترام and كتب finds فكتب; the
// query side does not strip. Extra forms can match falsely (كتاب also yields تاب).
// Known misses: hamza seats (مسؤول vs مسئول), س (future), broken plurals; known false
// matches: short stems (مكان and مكة both become مك). Arabic-Indic digits are folded.
//
// # English
//
// bleve's "en". Stop-word removal leaves gaps in positions, and bleve's phrase query
// treats a gap as "any one word": the phrase "rights of the child" still matches its text
// (and also "rights of a child"); a phrase that is only stop words ("to be or not to be")
// matches nothing; and since "not" and "no" are stop words, the phrase "not happy" also
// matches "happy" alone (after the leading stop word is dropped).
package lang
