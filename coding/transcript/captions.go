package transcript

import (
	"fmt"
	"html"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
	"golang.org/x/text/unicode/norm"
)

// Caption formats (WebVTT and SubRip).
//
// Reading is tolerant (§4.1 of the notes): a cue starts at any timing line
// "start --> end"; the lines up to the next timing line are its payload,
// except blank lines at its end, the next cue's identifier (the line right
// before a timing line: in SRT when it is a number, in VTT when a blank line
// precedes it) and VTT NOTE/STYLE/REGION blocks.
//
// Speakers: a WebVTT voice span "<v Name>", a "(Name)" line (Google Meet),
// or a "Name:" / "[SPEAKER_00]:" prefix at the start of a cue line; a prefix
// counts only when that name recurs in the file (or is a known role) and
// passes the same rejection rules as prose labels ("Note:" is text). A line
// starting with "- " (or ">> ", or a "-" line) marks a change to another,
// unnamed speaker. Consecutive cues of one speaker form one turn; an
// unlabelled cue continues the current turn. In a file with no speaker
// information at all, every cue is its own turn.
//
// YouTube automatic captions (inline <hh:mm:ss.mmm> word stamps plus
// ~10 ms "settle" cues) are de-duplicated by structure: cues of 20 ms or
// less are dropped and, of each other cue, only the lines with inline
// stamps are kept (else its last line).
//
// The Text is "Speaker: speech" (or "speech") per turn, turns separated by a
// blank line, ending in "\n".

type cue struct {
	start, end time.Duration
	lines      []string
}

type seg struct {
	voice   string // from <v Name> or (Name)
	paren   bool   // voice came from a "(Name)" line: needs recurrence
	dash    bool   // "- " speaker change
	c       cand   // "Name:" prefix candidate on the first line
	hasC    bool
	text    []string
	cueIdx  int
	lastCue int
}

func parseVTT(name, text string) (*Result, error) {
	lines := strings.Split(text, "\n")
	i := 0
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i == len(lines) || !isVTTHeaderLine(strings.TrimSpace(lines[i])) {
		return nil, withNext(invalid("%s: not a WebVTT file, because the first line is not \"WEBVTT\"", name), coding.NextNotVTT, "")
	}
	// header block up to the first blank line
	for i < len(lines) && strings.TrimSpace(lines[i]) != "" {
		i++
	}
	cues, warns := readCues(lines[i:], true)
	return buildCaptions(name, "WebVTT", cues, true, warns)
}

func parseSRT(name, text string) (*Result, error) {
	lines := strings.Split(text, "\n")
	cues, warns := readCues(lines, false)
	return buildCaptions(name, "SubRip", cues, false, warns)
}

func readCues(lines []string, vtt bool) ([]cue, []string) {
	var timing []int
	var times [][2]time.Duration
	bad := 0
	for i, ln := range lines {
		if !strings.Contains(ln, "-->") {
			continue
		}
		s, e, ok := parseTiming(ln)
		if !ok {
			bad++
			continue
		}
		timing = append(timing, i)
		times = append(times, [2]time.Duration{s, e})
	}
	var warns []string
	if bad > 0 {
		warns = append(warns, fmt.Sprintf("%s with \"-->\" could not be read as cue timings and were kept as text", coding.Plural(bad, "line", "lines")))
	}
	cues := make([]cue, 0, len(timing))
	for k, ti := range timing {
		end := len(lines)
		if k+1 < len(timing) {
			end = timing[k+1]
		}
		pay := lines[ti+1 : end]
		// the next cue's identifier
		if k+1 < len(timing) && len(pay) > 0 {
			last := strings.TrimSpace(pay[len(pay)-1])
			if last != "" {
				if vtt {
					if len(pay) >= 2 && strings.TrimSpace(pay[len(pay)-2]) == "" {
						pay = pay[:len(pay)-1]
					}
				} else if isAllDigits(last) {
					pay = pay[:len(pay)-1]
				}
			}
		}
		var keep []string
		blank := false
		inBlock := false
		for _, p := range pay {
			t := strings.TrimSpace(p)
			if t == "" {
				blank = true
				inBlock = false
				continue
			}
			if vtt && blank && (t == "NOTE" || strings.HasPrefix(t, "NOTE ") || strings.HasPrefix(t, "NOTE\t") || t == "STYLE" || t == "REGION") {
				inBlock = true
			}
			blank = false
			if inBlock {
				continue
			}
			keep = append(keep, p)
		}
		cues = append(cues, cue{start: times[k][0], end: times[k][1], lines: keep})
	}
	return cues, warns
}

// dedupRolling removes YouTube's rolling duplicates (see the type doc).
func dedupRolling(cues []cue) ([]cue, bool) {
	short, tagged := false, false
	for _, c := range cues {
		if c.end-c.start <= 20*time.Millisecond {
			short = true
		}
		for _, l := range c.lines {
			if hasInlineStamp(l) {
				tagged = true
			}
		}
	}
	if !short || !tagged {
		return cues, false
	}
	out := cues[:0:0]
	for _, c := range cues {
		if c.end-c.start <= 20*time.Millisecond {
			continue
		}
		var keep []string
		for _, l := range c.lines {
			if hasInlineStamp(l) {
				keep = append(keep, l)
			}
		}
		if keep == nil && len(c.lines) > 0 {
			keep = c.lines[len(c.lines)-1:]
		}
		c.lines = keep
		out = append(out, c)
	}
	return out, true
}

func hasInlineStamp(l string) bool {
	for i := 0; i+2 < len(l); i++ {
		if l[i] == '<' && l[i+1] >= '0' && l[i+1] <= '9' {
			if j := strings.IndexByte(l[i:], '>'); j > 0 {
				if _, ok := parseClock(l[i+1:i+j], false); ok {
					return true
				}
			}
		}
	}
	return false
}

type piece struct {
	voice    string
	hasVoice bool
	text     string
}

// splitTags removes markup from a cue line. For WebVTT it reports voice
// spans as separate pieces and decodes entities; for SRT it strips HTML-like
// tags and {\...} override blocks.
func splitTags(l string, vtt bool) []piece {
	var out []piece
	var b strings.Builder
	cur := piece{}
	flush := func() {
		cur.text = b.String()
		if vtt {
			cur.text = html.UnescapeString(cur.text)
		}
		out = append(out, cur)
		b.Reset()
	}
	for i := 0; i < len(l); {
		c := l[i]
		if c == '<' {
			j := strings.IndexByte(l[i:], '>')
			if j > 0 {
				tag := l[i+1 : i+j]
				if isTag(tag) {
					if vtt && (strings.HasPrefix(tag, "v ") || strings.HasPrefix(tag, "v.") || strings.HasPrefix(tag, "v\t")) {
						v := ""
						if k := strings.IndexAny(tag, " \t"); k >= 0 {
							v = cleanName(html.UnescapeString(tag[k+1:]))
						}
						if b.Len() > 0 || cur.hasVoice {
							flush()
						}
						cur = piece{voice: v, hasVoice: v != ""}
					}
					i += j + 1
					continue
				}
			}
		}
		if c == '{' && !vtt && i+1 < len(l) && l[i+1] == '\\' {
			if j := strings.IndexByte(l[i:], '}'); j > 0 {
				i += j + 1
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	flush()
	return out
}

func isTag(t string) bool {
	if t == "" {
		return false
	}
	c := t[0]
	if c == '/' {
		t = t[1:]
		if t == "" {
			return false
		}
		c = t[0]
	}
	if c >= '0' && c <= '9' {
		_, ok := parseClock(t, false)
		return ok
	}
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// cleanSpeech folds control characters and runs of white space, trims, NFC.
func cleanSpeech(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u00a0' || r == '\ufeff' || r == '\u2028' || r == '\u2029' || r == '\u0085' || r == ' ' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	out := b.String()
	if !norm.NFC.IsNormalString(out) {
		out = norm.NFC.String(out)
	}
	return out
}

func buildCaptions(name, kind string, cues []cue, vtt bool, warns []string) (*Result, error) {
	if len(cues) == 0 {
		return nil, withNext(invalid("%s: no %s cues were found (no \"00:00:01,000 --> 00:00:04,000\" timing lines)", name, kind), coding.NextFormatText, "")
	}
	res := &Result{Warnings: warns}
	cues, rolled := dedupRolling(cues)
	if rolled {
		res.Warnings = append(res.Warnings, "rolling YouTube captions were de-duplicated")
	}
	var segs []seg
	dashes := 0
	for ci, c := range cues {
		var cur *seg
		start := func(s seg) {
			s.cueIdx, s.lastCue = ci, ci
			segs = append(segs, s)
			cur = &segs[len(segs)-1]
		}
		nextDash := false
		for _, l := range c.lines {
			for pi, p := range splitTags(l, vtt) {
				t := cleanSpeech(p.text)
				if p.hasVoice && (cur == nil || cur.voice != p.voice || cur.paren) {
					start(seg{voice: p.voice})
				}
				if t == "" {
					continue
				}
				if t == "-" || t == "–" {
					nextDash = true
					continue
				}
				dash := nextDash
				nextDash = false
				if pi == 0 || !p.hasVoice {
					for _, pre := range []string{"- ", "– ", "— ", ">> ", "&gt;&gt; "} {
						if strings.HasPrefix(t, pre) {
							t = strings.TrimSpace(t[len(pre):])
							dash = true
							break
						}
					}
					if t == "" || t == "-" {
						nextDash = dash
						continue
					}
				}
				if len(t) > 2 && t[0] == '(' && t[len(t)-1] == ')' && !strings.ContainsAny(t[1:len(t)-1], "()") {
					if nm, _, _, _, ok := validName(t[1:len(t)-1], true); ok && utf8.RuneCountInString(nm) <= 40 && !annotationWords[strings.ToLower(nm)] {
						start(seg{voice: nm, paren: true, dash: dash})
						continue
					}
				}
				lc := labelAt(t, 0, false)
				if (lc.fam == famColon || lc.fam == famBracket) && lc.speech <= len(t) {
					if dash {
						dashes++
					}
					var v string
					if cur != nil && !dash {
						v = cur.voice
					}
					start(seg{voice: v, dash: dash, c: lc, hasC: true})
					cur.text = append(cur.text, t)
					continue
				}
				if dash {
					dashes++
					start(seg{dash: true})
				} else if cur == nil {
					start(seg{})
				}
				cur.text = append(cur.text, t)
			}
		}
	}
	// Which "Name:" prefixes and "(Name)" lines are speakers.
	strong, weak := map[string]int{}, map[string]int{}
	lex := map[string]bool{}
	parens := map[string]int{}
	for _, s := range segs {
		if s.hasC {
			if s.c.weak {
				weak[s.c.key]++
			} else {
				strong[s.c.key]++
			}
			lex[s.c.key] = lex[s.c.key] || s.c.lex
		}
		if s.paren {
			parens[s.voice]++
		}
	}
	accepted := func(k string) bool {
		return strong[k] >= 2 || strong[k]+weak[k] >= 3 || (lex[k] && strong[k]+weak[k] > 0)
	}
	// Once the file is seen to use prefixes (or "(Name)" lines), a
	// capitalised name that occurs once is a speaker too (a guest who says
	// one thing).
	prefixed, parened := false, false
	for k := range strong {
		prefixed = prefixed || accepted(k)
	}
	for _, n := range parens {
		parened = parened || n >= 2
	}
	once := func(s *seg) bool {
		return !s.c.weak && prefixed && capitalised(s.c.name)
	}
	info := dashes >= 2
	for i := range segs {
		s := &segs[i]
		if s.paren && parens[s.voice] < 2 && !(parened && capitalised(s.voice)) {
			// a one-off "(applause)"-like line: text, not a speaker
			s.text = append([]string{"(" + s.voice + ")"}, s.text...)
			s.voice, s.paren = "", false
		}
		if s.hasC && (accepted(s.c.key) || once(s)) {
			s.voice = s.c.name
			s.text[0] = s.text[0][s.c.speech:]
			info = true
		} else if s.hasC {
			s.hasC = false
		}
		if s.voice != "" {
			info = true
		}
	}
	type cturn struct {
		speaker    string
		named      bool
		parts      []string
		start, end time.Duration
		lastCue    int
	}
	var turns []cturn
	for _, s := range segs {
		c := cues[s.cueIdx]
		var speech []string
		for _, t := range s.text {
			if t = strings.TrimSpace(t); t != "" {
				speech = append(speech, t)
			}
		}
		named := s.voice != ""
		n := len(turns)
		appendTo := false
		switch {
		case named:
			appendTo = n > 0 && turns[n-1].named && turns[n-1].speaker == s.voice && !s.dash
		case s.dash:
		default:
			// an unlabelled cue continues the turn; so does the rest of a
			// cue after a rejected "Word:" prefix
			appendTo = n > 0 && (info || turns[n-1].lastCue == s.cueIdx)
		}
		if !appendTo {
			if len(speech) == 0 && !named {
				continue
			}
			turns = append(turns, cturn{speaker: s.voice, named: named, start: c.start, end: c.end})
			n++
		}
		t := &turns[n-1]
		t.lastCue = s.cueIdx
		t.parts = append(t.parts, speech...)
		if c.end > t.end {
			t.end = c.end
		}
	}
	var b strings.Builder
	runes := 0
	write := func(s string) {
		b.WriteString(s)
		runes += utf8.RuneCountInString(s)
	}
	for _, t := range turns {
		speech := cleanSpeech(strings.Join(t.parts, " "))
		if speech == "" {
			continue
		}
		if len(res.Turns) > 0 {
			write("\n\n")
		}
		if t.speaker != "" {
			write(t.speaker + ": ")
		}
		st := runes
		write(speech)
		end := t.end
		if end < t.start {
			end = t.start
		}
		res.Turns = append(res.Turns, coding.Turn{
			Index: len(res.Turns), Speaker: t.speaker, Start: st, End: runes,
			HasTime: true, TimeStart: t.start, TimeEnd: end,
		})
	}
	if b.Len() > 0 {
		write("\n")
	}
	res.Text = b.String()
	return res, nil
}

// capitalised reports whether every word of a name starts with an upper-case
// letter or a digit (or the script has no case).
func capitalised(name string) bool {
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLower(r) {
			return false
		}
	}
	return name != ""
}
