package transcript

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// family groups label layouts; one family is chosen per file so that, say,
// "Note:" lines cannot sneak in through the colon form while the file is
// really an Otter export.
type family uint8

const (
	famNone    family = iota
	famColon          // "Name: text", "NAME :", "**Name:** text", "@Name:", "00:03 Name: text", "Name:" alone
	famBold           // "**Name** text", a bold leading name in DOCX/ODT
	famHeading        // "### Name" followed by the speech
	famHeader         // "Name  0:05" (Otter/Teams), "Name (00:01:02):" (Rev), "[Name] 11:02:09" (Zoom)
	famBracket        // "[id1] text", "[SPEAKER_00]: text"
	famBare           // "Name" alone on a line, followed by the speech
	numFamilies
)

var familyNames = [...]string{"none", "colon", "bold", "heading", "header", "bracket", "bare"}

// cand is a speaker-label candidate at the start of a line.
type cand struct {
	fam    family
	name   string // as written: trimmed, inner white space folded, bidi marks removed
	key    string // coding.NormSpeaker(name)
	weak   bool   // needs stronger recurrence (sentence punctuation, lower case, long)
	lex    bool   // a known role label (Interviewer, Q, A, Speaker 2, ...)
	cont   bool   // Rev "(00:02:06):" line: same speaker continues
	clock  bool   // header time is wall-clock ("[Name] 11:02:09", Zoom)
	speech int    // byte index in the line where the speech starts; len(line) when on the following lines
	firm   bool   // a layout that is hardly ever prose: "**Name:**", "Name  0:05", "Name (00:01:02):"
	st     stamp
	hasT   bool
}

// lineInfo is what the scanner learns about one line.
type lineInfo struct {
	start, end int // byte offsets of the line in the text (end excludes "\n")
	blank      bool
	nonSpeech  bool // heading, rule, stamp-only line, export boilerplate
	stampOnly  bool
	lead       stamp // timestamp at the start of the line
	hasLead    bool
	leadEnd    int // byte index in the line after the leading stamp and spaces
	c          cand
	para       int // index of the paragraph (block of non-blank lines)
}

// isSpaceRune reports white space for scanning, including NBSP, narrow NBSP
// and zero-width/bidi formatting characters that editors put around labels.
func isSpaceRune(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u202f', '\u2007', '\u200b', '\u200c', '\u200d', '\u2060',
		'\u200e', '\u200f', '\u061c', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e',
		'\u2066', '\u2067', '\u2068', '\u2069', '\u3000':
		return true
	}
	return unicode.IsSpace(r) // the other Unicode spaces (U+2002 EN SPACE ...)
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c == ' ' || c == '\t' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return i
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isSpaceRune(r) {
			return i
		}
		i += n
	}
	return i
}

func trimRightSpace(s string) string {
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if !isSpaceRune(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

// cleanName removes bidi/zero-width marks, folds white space and trims.
func cleanName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		// Spaces and control characters (a line break from "&#10;" in a
		// VTT voice, say) separate words; marks are dropped.
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = true
			continue
		}
		if isSpaceRune(r) {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func isNameRune(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) {
		return true
	}
	switch r {
	case ' ', '.', ',', '\'', '’', '-', '_', '/', '&', '(', ')', '[', ']', '\u00a0', '\u202f',
		'\u200e', '\u200f', '\u061c', '\u2066', '\u2067', '\u2068', '\u2069', '\u202a', '\u202b', '\u202c',
		'׳', '״', 'ـ':
		return true
	}
	return false
}

// Well-known keys that are not speakers (§7.2 rule 5).
var stopKeys = map[string]bool{
	"note": true, "notes": true, "nb": true, "n.b": true, "ps": true, "p.s": true, "re": true, "subject": true,
	"date": true, "time": true, "duration": true, "length": true, "location": true, "place": true,
	"title": true, "project": true, "file": true, "audio file": true, "filename": true, "language": true,
	"keywords": true, "transcript": true, "transcription": true, "attendees": true, "participants": true,
	"example": true, "for example": true, "e.g": true, "eg": true, "i.e": true, "ie": true, "warning": true,
	"todo": true, "update": true, "source": true, "url": true, "link": true, "email": true, "e-mail": true,
	"tel": true, "phone": true, "address": true, "summary": true, "tags": true, "topic": true, "topics": true,
	"agenda": true, "recorded": true, "recording": true, "interview date": true, "date of interview": true,
	"transcribed by": true, "transcriber": true, "author": true, "version": true, "status": true,
	"answer": false, "http": true, "https": true, "ftp": true, "mailto": true, "www": true,
	"tip": true, "hint": true, "important": true, "caution": true, "remember": true, "reminder": true,
	"edit": true, "edited": true, "update 1": true, "disclaimer": true, "copyright": true,
	"so": true, "and": true, "but": true, "well": true, "yes": true, "no": true, "ok": true, "okay": true,
	"the answer": true, "the question": true, "the problem": true, "the point": true, "the thing": true,
	"the reason": true, "the result": true, "the goal": true, "the idea": true, "in short": true,
	"in other words": true, "basically": true, "first": true, "second": true, "third": true, "finally": true,
	"step": true, "task": true, "question": true, "chapter": true, "part": true, "section": true,
	"datum": true, "ort": true, "dauer": true, "titel": true, "anmerkung": true, "hinweis": true,
	"remarque": true, "lieu": true, "durée": true, "notitie": true, "opmerking": true,
}

// Keys of the form "<word> <number>" that are structure, not speakers.
var stopNumbered = map[string]bool{
	"step": true, "chapter": true, "question": true, "part": true, "task": true, "section": true,
	"figure": true, "table": true, "item": true, "point": true, "phase": true, "option": true,
	"example": true, "page": true, "session": true, "round": true, "exercise": true, "slide": true,
	"day": true, "week": true, "module": true, "unit": true, "lesson": true, "scenario": true,
}

// Verbs that end reported speech ("He said: ...", rule 4).
var speechVerbs = map[string]bool{
	"said": true, "says": true, "say": true, "asked": true, "asks": true, "ask": true, "replied": true,
	"replies": true, "told": true, "tells": true, "thought": true, "thinks": true, "think": true,
	"wrote": true, "writes": true, "answered": true, "answers": true, "added": true, "adds": true,
	"explained": true, "explains": true, "noted": true, "notes": true, "stated": true, "states": true,
	"continued": true, "went": true, "goes": true, "go": true, "was like": true, "like": true,
	"shouted": true, "yelled": true, "whispered": true, "mentioned": true, "argued": true, "claimed": true,
	"responded": true, "concluded": true, "insisted": true, "announced": true, "suggested": true,
	"sagte": true, "sagt": true, "fragte": true, "fragt": true, "meinte": true, "meint": true,
	"dit": true, "demandé": true, "répondu": true, "zei": true, "vroeg": true, "zegt": true,
	"dijo": true, "preguntó": true, "disse": true, "perguntou": true,
	"is": true, "are": true, "was": true, "were": true, "be": true, "mean": true, "means": true,
	"follows": true, "following": true, "below": true, "example": true, "then": true,
}

// Annotation words that may look like bracketed labels (§5).
var annotationWords = map[string]bool{
	"laughs": true, "laughter": true, "laughing": true, "laugh": true, "inaudible": true, "crosstalk": true,
	"cross talk": true, "foreign language": true, "pause": true, "silence": true, "music": true,
	"applause": true, "unintelligible": true, "unclear": true, "overlapping": true, "overlap": true,
	"sighs": true, "sigh": true, "coughs": true, "cough": true, "noise": true, "background noise": true,
	"break": true, "interruption": true, "phone rings": true, "indistinct": true, "redacted": true,
	"name": true, "company": true, "place": true, "city": true, "?": true, "...": true, "…": true,
	"lacht": true, "seufzt": true, "unv": true, "unv.": true, "unverständlich": true, "musik": true,
	"pausa": true, "rires": true, "rire": true, "musique": true, "applaus": true, "blank_audio": true,
	"no audio": true, "silence.": true, "inaudible.": true, "chuckles": true, "giggles": true,
	"clears throat": true, "sneezes": true, "static": true, "beep": true, "ringing": true, "end": true,
}

// Known role labels (§7.3 lexicon); a trailing number is allowed.
var lexicon = map[string]bool{
	"interviewer": true, "interviewee": true, "respondent": true, "moderator": true, "facilitator": true,
	"participant": true, "q": true, "a": true, "i": true, "b": true, "ip": true, "int": true, "res": true,
	"resp": true, "mod": true, "speaker": true, "unknown speaker": true, "unknown": true, "speaker_": true,
	"s": true, "p": true, "person": true, "sprecher": true, "sprecherin": true, "befragte": true,
	"befragter": true, "interviewerin": true, "host": true, "guest": true, "researcher": true,
	"question": false, "client": true, "staff": true, "worker": true, "social worker": true,
	"caseworker": true, "coordinator": true, "counsellor": true, "counselor": true, "therapist": true,
	"patient": true, "student": true, "teacher": true, "parent": true, "mother": true, "father": true,
	"mentor": true, "mentee": true, "observer": true, "narrator": true, "pa": true, "id": true,
	"intervieweur": true, "interviewé": true, "interviewée": true, "enquêteur": true, "enquêté": true,
	"entrevistador": true, "entrevistado": true, "entrevistada": true, "intervistatore": true,
	"מראיין": true, "מראיינת": true, "מרואיין": true, "מרואיינת": true, "המראיין": true, "המרואיין": true,
	"מנחה": true, "משתתף": true, "משתתפת": true, "עובד": true, "עובדת": true, "לקוח": true, "לקוחה": true,
	"المحاور": true, "المحاورة": true, "الضيف": true, "الضيفة": true, "المشارك": true, "المشاركة": true,
	"المقابل": true, "الباحث": true, "الباحثة": true, "السائل": true, "المجيب": true,
}

func isLexicon(key string) bool {
	if lexicon[key] {
		return true
	}
	k := strings.TrimRight(key, "0123456789 _-#.")
	if k != key && k != "" && lexicon[k] {
		return true
	}
	return false
}

// validName applies the per-candidate rejection rules of §7.2 to a name.
// markup means the name was delimited by markup (bold, heading, bracket,
// DOCX bold), which makes periods and longer names acceptable.
func validName(raw string, markup bool) (name, key string, weak, lex, ok bool) {
	name = cleanName(raw)
	if name == "" || utf8.RuneCountInString(name) > 63 {
		return "", "", false, false, false
	}
	first, _ := utf8.DecodeRuneInString(name)
	if !(unicode.IsLetter(first) || unicode.IsDigit(first)) {
		return "", "", false, false, false
	}
	hasLetter := false
	for _, r := range name {
		if unicode.IsLetter(r) {
			hasLetter = true
			break
		}
	}
	if !hasLetter {
		return "", "", false, false, false
	}
	key = coding.NormSpeaker(name)
	tokens := strings.Fields(key)
	if len(tokens) > 8 || (!markup && len(tokens) > 6) {
		return "", "", false, false, false
	}
	if stopKeys[strings.TrimRight(key, ".")] || annotationWords[key] {
		return "", "", false, false, false
	}
	if len(tokens) >= 2 && stopNumbered[tokens[0]] && len(tokens) <= 3 {
		return "", "", false, false, false
	}
	if len(tokens) == 1 {
		// "Step1", "Q3a" are fine as speakers only when in the lexicon.
		base := strings.TrimRight(key, "0123456789")
		if base != key && stopNumbered[base] {
			return "", "", false, false, false
		}
	}
	last := tokens[len(tokens)-1]
	if speechVerbs[last] && len(tokens) > 1 {
		return "", "", false, false, false
	}
	if annotationWords[tokens[0]] && len(tokens) > 1 {
		return "", "", false, false, false
	}
	lex = isLexicon(key)
	if !markup {
		if strings.ContainsAny(name, "\"“”«»") {
			return "", "", false, false, false
		}
		if strings.Contains(name, ". ") || strings.Contains(name, "? ") || strings.Contains(name, "! ") ||
			strings.Contains(name, "; ") || strings.HasSuffix(name, ".") || strings.HasSuffix(name, ",") {
			weak = true
		}
		if len(tokens) > 4 {
			weak = true
		}
	}
	if unicode.IsLower(first) && !lex && !markup {
		weak = true
	}
	// Outline numbers ("4.c Click the buttons:", "2 Login") are structure.
	if len(tokens) > 1 && tokens[0][0] >= '0' && tokens[0][0] <= '9' {
		return "", "", false, false, false
	}
	return name, key, weak, lex, true
}

// emphasis markers that may wrap a label, with their closers.
var emphasis = [...][2]string{
	{"**", "**"}, {"__", "__"}, {"<strong>", "</strong>"}, {"<b>", "</b>"}, {"<u>", "</u>"},
	{"<em>", "</em>"}, {"<i>", "</i>"}, {"*", "*"}, {"_", "_"},
}

func isColonAt(s string, i int) (int, bool) {
	if i < len(s) && s[i] == ':' {
		return 1, true
	}
	if strings.HasPrefix(s[i:], "：") {
		return len("："), true
	}
	return 0, false
}

// afterLabel handles what follows a label's colon: white space, an
// optional stamp, then the speech. ok is false when the colon is glued to
// more text ("https://", "eg:DataUse").
func afterLabel(ln string, j int, c *cand) bool {
	if j >= len("：") && ln[j-len("："):j] == "：" {
		// CJK practice: no space after a full-width colon
	} else if j < len(ln) {
		r, _ := utf8.DecodeRuneInString(ln[j:])
		if !isSpaceRune(r) {
			return false
		}
	}
	j = skipSpace(ln, j)
	if st, k, ok := stampAt(ln, j); ok && !st.bare && !st.f4 {
		c.st, c.hasT = st, true
		j = skipSpace(ln, k)
	} else if ok && st.bare {
		// "S00: 00:00:04 text": a bare stamp right after a label.
		k2 := skipSpace(ln, k)
		if k2 > k || k == len(ln) {
			c.st, c.hasT = st, true
			j = k2
		}
	}
	c.speech = j
	return true
}

// wholeClock reports whether s (trimmed) is exactly a clock time.
func wholeClock(s string) (stamp, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return stamp{}, false
	}
	if st, j, ok := stampAt(s, 0); ok && j == len(s) {
		return st, true
	}
	if n := clockLen(s, 0); n == len(s) {
		if t, ok := parseClock(s, false); ok {
			return stamp{t: t, bare: true}, true
		}
	}
	return stamp{}, false
}

// labelAt looks for a speaker label at ln[q:] (q is past indentation,
// margin numbers, bullets and a leading stamp). afterStamp is set when a
// stamp preceded the label (MAXQDA/oTranscribe forms).
func labelAt(ln string, q int, afterStamp bool) cand {
	var c cand
	rest := ln[q:]
	if rest == "" {
		return c
	}
	// Emphasised label: **Name:** / **Name**: / **Name** text / **Name** 0:00
	for _, em := range emphasis {
		if !strings.HasPrefix(rest, em[0]) {
			continue
		}
		inner := rest[len(em[0]):]
		lim := len(inner)
		if lim > 300 {
			lim = 300
		}
		k := strings.Index(inner[:lim], em[1])
		if k <= 0 {
			break
		}
		body := inner[:k]
		after := q + len(em[0]) + k + len(em[1])
		colon := false
		if strings.HasSuffix(body, ":") {
			body, colon = body[:len(body)-1], true
		} else if strings.HasSuffix(body, "：") {
			body, colon = body[:len(body)-len("：")], true
		} else if n, ok := isColonAt(ln, after); ok {
			after += n
			colon = true
		}
		name, key, weak, lex, ok := validName(body, true)
		if !ok || strings.ContainsAny(body, "*_<>") {
			return cand{}
		}
		c = cand{name: name, key: key, weak: weak, lex: lex}
		if colon {
			c.fam, c.firm = famColon, true
			if !afterLabel(ln, after, &c) {
				return cand{}
			}
			return c
		}
		tail := strings.TrimSpace(ln[after:])
		if st, ok := wholeClock(tail); ok && tail != "" {
			c.fam, c.st, c.hasT, c.speech = famHeader, st, true, len(ln)
			return c
		}
		c.fam = famBold
		if tail == "" {
			c.speech = len(ln)
			return c
		}
		if !afterLabel(ln, after, &c) {
			return cand{}
		}
		return c
	}
	// [Name] text, [SPEAKER_00]: text, [Name] 11:02:09
	if rest[0] == '[' {
		k := strings.IndexByte(rest, ']')
		if k <= 1 || k > 130 {
			return c
		}
		body := rest[1:k]
		if _, ok := parseStampBody(body); ok {
			return c
		}
		if annotationWords[strings.ToLower(strings.TrimSpace(body))] {
			return c
		}
		name, key, weak, lex, ok := validName(body, true)
		if !ok {
			return c
		}
		c = cand{fam: famBracket, name: name, key: key, weak: weak, lex: lex}
		after := q + k + 1
		tail := strings.TrimSpace(ln[after:])
		if st, ok := wholeClock(tail); ok {
			c.fam, c.st, c.hasT, c.speech, c.clock, c.firm = famHeader, st, true, len(ln), true, true
			return c
		}
		if n, ok := isColonAt(ln, after); ok {
			after += n
		}
		if !afterLabel(ln, after, &c) {
			return cand{}
		}
		return c
	}
	trimmed := trimRightSpace(rest)
	// Rev: "Name (00:01:02):" and continuation "(00:02:06):"
	if strings.HasSuffix(trimmed, "):") {
		if k := strings.LastIndexByte(trimmed, '('); k >= 0 {
			if st, ok := parseStampBody(trimmed[k+1 : len(trimmed)-2]); ok {
				if strings.TrimSpace(trimmed[:k]) == "" {
					return cand{fam: famHeader, cont: true, st: st, hasT: true, speech: len(ln)}
				}
				name, key, weak, lex, ok := validName(trimmed[:k], false)
				if ok {
					return cand{fam: famHeader, name: name, key: key, weak: weak, lex: lex, st: st, hasT: true, speech: len(ln), firm: true}
				}
				return cand{}
			}
		}
	}
	if rest[0] == '(' {
		// "00:00:00 (A): hi" after a stamp
		k := strings.IndexByte(rest, ')')
		if afterStamp && k > 1 {
			if n, ok := isColonAt(rest, k+1); ok {
				name, key, weak, lex, ok := validName(rest[1:k], true)
				if ok {
					c = cand{fam: famColon, name: name, key: key, weak: weak, lex: lex}
					if afterLabel(ln, q+k+1+n, &c) {
						return c
					}
				}
			}
		}
		return cand{}
	}
	start := q
	if rest[0] == '@' || (rest[0] == '#' && len(rest) > 1 && rest[1] != ' ' && rest[1] != '#') {
		start++
	}
	// Otter / Teams header: "Name  0:05", "Name\t1:02:03", "Name 0:05" (weak).
	if k := lastSpaceRun(trimmed); k > 0 {
		sepStart, sepEnd := k, k
		for sepStart > 0 && (trimmed[sepStart-1] == ' ' || trimmed[sepStart-1] == '\t') {
			sepStart--
		}
		tail := trimmed[sepEnd:]
		if n := clockLen(tail, 0); n == len(tail) && n > 0 {
			if t, ok := parseClock(tail, false); ok {
				sep := trimmed[sepStart:sepEnd]
				name, key, weak, lex, ok := validName(trimmed[:sepStart], false)
				if ok && !strings.ContainsAny(name, ":：") {
					c = cand{fam: famHeader, name: name, key: key, weak: weak, lex: lex,
						st: stamp{t: t}, hasT: true, speech: len(ln)}
					// a single space ("Ann Lee 0:05", collapsed by some tool)
					// needs plain recurrence; two spaces or a TAB is firm
					c.firm = len(sep) >= 2 || strings.Contains(sep, "\t")
					return c
				}
				return cand{}
			}
		}
	}
	// Plain "Name: text" / "Name :" / "Name:" alone / old Rev "Name: (03:07)".
	j := start
	runes := 0
	for j < len(ln) && runes <= 64 {
		r, n := utf8.DecodeRuneInString(ln[j:])
		if r == '\t' || !isNameRune(r) {
			break
		}
		j += n
		runes++
	}
	if n, ok := isColonAt(ln, j); ok && j > start {
		name, key, weak, lex, ok := validName(ln[start:j], false)
		if !ok {
			return cand{}
		}
		c = cand{fam: famColon, name: name, key: key, weak: weak, lex: lex}
		tail := strings.TrimSpace(ln[j+n:])
		if len(tail) > 2 && tail[0] == '(' && tail[len(tail)-1] == ')' {
			if st, ok := parseStampBody(tail[1 : len(tail)-1]); ok {
				c.fam, c.st, c.hasT, c.speech = famHeader, st, true, len(ln)
				return c
			}
		}
		if !afterLabel(ln, j+n, &c) {
			return cand{}
		}
		return c
	}
	// A bare name alone on its line ("Interviewer" then the speech below).
	if j == len(ln) || strings.TrimSpace(ln[j:]) == "" {
		body := strings.TrimSpace(ln[start:])
		if afterStamp || body == "" || utf8.RuneCountInString(body) > 40 || strings.ContainsAny(body, ".,?!;") {
			return cand{}
		}
		name, key, weak, lex, ok := validName(body, false)
		if !ok || len(strings.Fields(key)) > 4 {
			return cand{}
		}
		first, _ := utf8.DecodeRuneInString(name)
		if unicode.IsLower(first) {
			return cand{}
		}
		return cand{fam: famBare, name: name, key: key, weak: weak, lex: lex, speech: len(ln)}
	}
	return cand{}
}

// lastSpaceRun returns the index just after the last run of spaces/tabs in
// s, or -1.
func lastSpaceRun(s string) int {
	i := strings.LastIndexAny(s, " \t")
	if i < 0 {
		return -1
	}
	return i + 1
}

// isBoilerplate reports export boilerplate lines that are never speech.
func isBoilerplate(t string) bool {
	if len(t) > 200 {
		return false
	}
	l := strings.ToLower(t)
	switch {
	case strings.HasPrefix(l, "transcribed by "), strings.HasPrefix(l, "transcribed with "),
		strings.HasPrefix(l, "meeting ended after "),
		strings.HasPrefix(l, "this editable transcript was computer generated"),
		strings.HasSuffix(l, " started transcription"), strings.HasSuffix(l, " stopped transcription"),
		strings.HasPrefix(l, "<!--") && strings.HasSuffix(l, "-->"):
		return true
	}
	if len(t) >= 3 {
		c := t[0]
		if c == '-' || c == '*' || c == '_' || c == '=' {
			all := true
			for i := 0; i < len(t); i++ {
				if t[i] != c && t[i] != ' ' {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
	}
	return false
}

// scanLine analyses one line. allowBare enables bare "hh:mm:ss text"
// stamps (decided per document). bold is the byte length of a bold prefix
// from DOCX/ODT, or 0.
func scanLine(ln string, allowBare bool, bold int) lineInfo {
	var li lineInfo
	p := skipSpace(ln, 0)
	if p == len(ln) {
		li.blank = true
		return li
	}
	t := trimRightSpace(ln[p:])
	if isBoilerplate(t) {
		li.nonSpeech = true
		return li
	}
	li.leadEnd = p
	// Markdown heading.
	if ln[p] == '#' {
		h := p
		for h < len(ln) && ln[h] == '#' {
			h++
		}
		if h-p <= 6 && h < len(ln) && (ln[h] == ' ' || ln[h] == '\t') {
			li.nonSpeech = true
			body := strings.TrimSpace(ln[h:])
			if st, ok := wholeClock(body); ok {
				li.stampOnly, li.lead, li.hasLead = true, st, true
				return li
			}
			body = stripEmphasis(body)
			body = strings.TrimSuffix(strings.TrimSuffix(body, ":"), "：")
			if name, key, weak, lex, ok := validName(body, true); ok && !strings.ContainsAny(body, ".?!") {
				li.c = cand{fam: famHeading, name: name, key: key, weak: weak, lex: lex, speech: len(ln), firm: true}
			}
			return li
		}
	}
	// DOCX/ODT bold prefix.
	if bold > 0 && bold <= len(ln) {
		body := strings.TrimSpace(ln[:bold])
		after := bold
		colon := false
		if strings.HasSuffix(body, ":") || strings.HasSuffix(body, "：") {
			body = strings.TrimSuffix(strings.TrimSuffix(body, ":"), "：")
			colon = true
		} else if n, ok := isColonAt(ln, skipSpace(ln, after)); ok {
			after = skipSpace(ln, after) + n
			colon = true
		}
		if name, key, weak, lex, ok := validName(body, true); ok {
			c := cand{fam: famBold, name: name, key: key, weak: weak, lex: lex}
			if colon {
				c.fam = famColon
			}
			tail := strings.TrimSpace(ln[after:])
			if st, ok := wholeClock(tail); ok {
				c.fam, c.st, c.hasT, c.speech = famHeader, st, true, len(ln)
				li.c = c
				return li
			}
			if tail == "" {
				c.speech = len(ln)
				li.c = c
				return li
			}
			if afterLabel(ln, after, &c) {
				li.c = c
				return li
			}
			if !colon {
				c.speech = skipSpace(ln, after)
				li.c = c
				return li
			}
		}
	}
	// Rev continuation "(00:02:06):" (the same speaker goes on).
	if t[0] == '(' && strings.HasSuffix(t, "):") {
		if st, ok := parseStampBody(t[1 : len(t)-2]); ok {
			li.c = cand{fam: famHeader, cont: true, st: st, hasT: true, speech: len(ln), firm: true}
			return li
		}
	}
	q := p
	// Margin line numbers ("12    Dan: text", text extracted from PDFs).
	if ln[q] >= '0' && ln[q] <= '9' {
		k := q
		for k < len(ln) && k-q < 6 && ln[k] >= '0' && ln[k] <= '9' {
			k++
		}
		if k < len(ln) && (ln[k] == '\t' || strings.HasPrefix(ln[k:], "  ")) {
			if k2 := skipSpace(ln, k); k2 < len(ln) {
				q = k2
			}
		}
	}
	// List bullets and block quotes.
	if q+1 < len(ln) && (ln[q] == '-' || ln[q] == '*' || ln[q] == '+' || ln[q] == '>') && (ln[q+1] == ' ' || ln[q+1] == '\t') {
		q = skipSpace(ln, q+1)
	}
	if st, k, ok := stampAt(ln, q); ok && (allowBare || !st.bare) {
		k2 := skipSpace(ln, k)
		if k2 == len(ln) {
			li.nonSpeech, li.stampOnly, li.lead, li.hasLead = true, true, st, true
			return li
		}
		glued := k2 == k
		c := labelAt(ln, k2, true)
		if glued && st.bare && c.fam != famColon {
			// "10:30am" or "12:30pm": not a stamp.
			li.c = labelAt(ln, q, false)
			return li
		}
		li.lead, li.hasLead, li.leadEnd = st, true, k2
		if c.fam != famNone && !c.hasT {
			c.st, c.hasT = st, true
		}
		li.c = c
		return li
	}
	li.c = labelAt(ln, q, false)
	return li
}

func stripEmphasis(s string) string {
	for _, em := range emphasis {
		if len(s) > len(em[0])+len(em[1]) && strings.HasPrefix(s, em[0]) && strings.HasSuffix(s, em[1]) {
			return strings.TrimSpace(s[len(em[0]) : len(s)-len(em[1])])
		}
	}
	return s
}
