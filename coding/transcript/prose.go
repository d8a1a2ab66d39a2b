package transcript

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// Turn assembly for prose formats (text, markdown, docx, odt), following
// §7.3–7.4 of the format notes:
//
//   - Every line is scanned for one label candidate (labels.go). Per label
//     family the document-level statistics decide whether the file is
//     labelled: at least three hits (two when all are known roles), at most
//     40 distinct labels, 80% of the family's candidates held by the
//     accepted labels, and labels on at least 20% of the paragraphs or two
//     labels that alternate. A label is accepted when it occurs twice (three
//     times when it looks weak: lower case, sentence punctuation, long) or
//     is a known role (Interviewer, Q, A, Speaker 2, ...). The family with
//     the most accepted hits wins; only its labels start turns.
//   - Labelled file: an accepted label starts a turn; the following lines
//     and paragraphs without a label continue it (blank lines do not end a
//     turn). Text before the first label is preamble, not a turn. A label
//     alone on its line (Otter header, "### Name", "Name:") takes the
//     following paragraph(s) as its speech.
//   - One-sided file (a single inline label such as "MODERATOR:" among
//     unlabelled paragraphs): labelled lines are that speaker's turns and
//     every other paragraph is a turn without speaker.
//   - A Rev continuation line "(00:02:06):" starts a new turn of the
//     previous speaker, so that its time is kept.
//   - Unlabelled file: one turn per paragraph, without speaker; a line that
//     starts with a timestamp starts a new turn.
//   - Preamble and boilerplate are never turns: YAML front matter,
//     headings, rules, a title line, "Interview with ...", "Date: ..." lines
//     at the top, "Transcribed by ...", Teams "started transcription", Meet
//     "Meeting ended after ...".
//   - Times: a stamp before or after the label, or at the start of the
//     turn's first line, is the turn's TimeStart; TimeEnd is the next
//     turn's start when that turn is timed, else equal to TimeStart (unknown),
//     unless an explicit span end, or an f4 "#hh:mm:ss-d#" stamp at
//     the end of the turn, which marks its end). Zoom "[Name] 11:02:09"
//     wall-clock times are made relative to the first one.

type pturn struct {
	speaker    string
	start, end int // bytes; start < 0 while no speech yet
	hasT       bool
	st         stamp
	hasEndT    bool
	endT       time.Duration
	open       int // byte offset of the line that opened the turn (its label, or a stamp line before it)
}

type famStats struct {
	fam      family
	hits     int // lines with a candidate of this family
	hitsL    int // lines whose label is accepted
	accepted map[string]bool
	top      []string
	conc     float64
	coverage float64
	alt      float64
	allLex   bool
	caps     bool
	firmHits int // lines in a layout that is hardly ever prose ("**Name:**", "### Name")
	groups   int // accepted labels, numbered role labels ("Speaker 12", "P7") counting as one
}

// maxLabelGroups is the most distinct speakers (numbered role labels such as
// "Speaker 1" ... "Speaker 60" counting as one) a file may have before its
// label-like lines are taken for prose, unless labels open most paragraphs.
const maxLabelGroups = 40

// labelGroup returns the family a label belongs to for the document-level
// statistics: numbered role labels ("Speaker 12", "Participant 3", "P7",
// "Respondent 2", "SPEAKER_00") are one family however many there are, so a
// focus group of sixty numbered speakers looks like the labelled file it is.
func labelGroup(key string) string {
	k := strings.TrimRight(key, "0123456789 _-#.")
	if k != key && k != "" && lexicon[k] && strings.ContainsAny(key[len(k):], "0123456789") {
		return k + " #"
	}
	return key
}

// labelled applies the document-level decision of §7.3 to one family's
// statistics and, when it fails, says why in words for the warning.
func (s *famStats) labelled() (bool, string) {
	nL := len(s.accepted)
	switch {
	case !(s.hitsL >= 3 || (s.hitsL >= 2 && s.allLex) || (s.hitsL >= 2 && nL >= 2 && s.firmHits >= 2)) || nL < 1:
		return false, fmt.Sprintf("recurring labels start only %s", coding.Plural(s.hitsL, "line", "lines"))
	case s.fam == famBare && nL < 2:
		return false, "a single name alone on its lines is not enough"
	}
	// When labels open most paragraphs the file is labelled however many
	// speakers it has (a large meeting).
	if s.coverage >= 0.6 && s.fam != famBare {
		return true, ""
	}
	switch {
	case s.groups > maxLabelGroups:
		return false, fmt.Sprintf("%d distinct labels is more than the %d a file may have when labels open only %.0f%% of its paragraphs", s.groups, maxLabelGroups, 100*s.coverage)
	case s.conc < 0.8:
		return false, fmt.Sprintf("the most frequent labels make only %.0f%% of the label-like lines (80%% needed), so they may be prose", 100*s.conc)
	case !(s.coverage >= 0.2 || (nL >= 2 && s.alt >= 0.3)):
		return false, fmt.Sprintf("labels open only %.0f%% of the paragraphs and rarely alternate", 100*s.coverage)
	}
	return true, ""
}

// parseProse finds turns in normalised text. bold maps a line index to the
// byte length of a bold prefix (DOCX/ODT), or is nil.
//
// speakers forces a label layout ("colon", "bold", "heading", "header",
// "bracket", "bare"): every candidate of that layout is a label; "none"
// imports paragraphs without speakers; "" decides from the statistics.
func parseProse(text string, bold map[int]int, speakers string) *Result {
	lines := splitLines(text)
	res := &Result{Text: text}

	// YAML front matter.
	skip := make([]bool, len(lines))
	first := -1
	for i, ln := range lines {
		if strings.TrimSpace(text[ln[0]:ln[1]]) != "" {
			first = i
			break
		}
	}
	if first >= 0 && strings.TrimSpace(text[lines[first][0]:lines[first][1]]) == "---" {
		for j := first + 1; j < len(lines) && j < first+200; j++ {
			t := strings.TrimSpace(text[lines[j][0]:lines[j][1]])
			if t == "---" || t == "..." {
				for k := first; k <= j; k++ {
					skip[k] = true
				}
				break
			}
		}
	}

	// Bare "hh:mm:ss text" stamps count only when several lines use them.
	bare := 0
	for _, ln := range lines {
		s := text[ln[0]:ln[1]]
		p := skipSpace(s, 0)
		if p < len(s) && s[p] >= '0' && s[p] <= '9' {
			if st, _, ok := stampAt(s, p); ok && st.bare {
				bare++
				if bare >= 2 {
					break
				}
			}
		}
	}

	infos := make([]lineInfo, len(lines))
	para := -1
	prevBlank := true
	for i, ln := range lines {
		var li lineInfo
		if skip[i] {
			li.nonSpeech = true
		} else {
			li = scanLine(text[ln[0]:ln[1]], bare >= 2, bold[i])
		}
		li.start, li.end = ln[0], ln[1]
		if li.blank {
			prevBlank = true
		} else {
			if prevBlank {
				para++
			}
			prevBlank = false
		}
		li.para = para
		infos[i] = li
	}
	paras := para + 1

	// Document-level decision.
	var best *famStats
	var single *famStats
	var all []*famStats
	forced := familyByName(speakers)
	for f := famColon; f < numFamilies; f++ {
		if speakers != "" && f != forced {
			continue
		}
		s := familyStats(infos, f, paras, f == forced)
		if s.hits == 0 {
			continue
		}
		all = append(all, s)
		nL := len(s.accepted)

		// Two labelled lines are enough when both are known roles, or when
		// two different names stand in a layout that is hardly ever prose
		// (a short "**Interviewer:** ... **Dana:** ..." file).
		ok, _ := s.labelled()
		if f == forced && nL > 0 {
			ok = true
		}
		if ok && (best == nil || s.hitsL > best.hitsL) {
			best = s
		}
		inline := f == famColon || f == famBracket || f == famBold
		oneSided := (s.hitsL >= 2 && s.conc >= 0.8 && (s.allLex || s.caps || s.hitsL >= 3)) ||
			(s.allLex && s.caps && s.conc >= 0.5)
		if !ok && nL == 1 && inline && oneSided && (single == nil || s.hitsL > single.hitsL) {
			single = s
		}
	}
	mode := "plain"
	var fs *famStats
	switch {
	case best != nil:
		fs = best
		mode = "labelled"
		if len(best.accepted) == 1 && (best.fam == famColon || best.fam == famBracket || best.fam == famBold) {
			mode = "single"
		}
	case single != nil:
		fs = single
		mode = "single"
	}
	if mode == "single" {
		res.Warnings = append(res.Warnings, fmt.Sprintf("only one speaker label (%s) was found; the other paragraphs are turns without a speaker", fs.top[0]))
	}
	if mode == "plain" {
		var near []string
		sort.Slice(all, func(i, j int) bool { return all[i].hits > all[j].hits })
		first := family(famNone)
		for _, s := range all {
			if s.hits >= 2 && len(s.top) > 0 {
				_, why := s.labelled()
				if why == "" {
					why = "they do not recur enough"
				}
				near = append(near, fmt.Sprintf("%s labels such as %q (%d lines) were not taken because %s", familyNames[s.fam], s.top[0], s.hits, why))
				if first == famNone {
					first = s.fam
				}
			}
			if len(near) == 2 {
				break
			}
		}
		switch {
		case speakers == "none":
		case forced != famNone:
			res.Warnings = append(res.Warnings, fmt.Sprintf("no %s speaker labels were found, so paragraphs are turns without a speaker", familyNames[forced]))
		case len(near) > 0:
			res.Warnings = append(res.Warnings, "no speaker labels recognised, so paragraphs are turns without a speaker; "+strings.Join(near, "; ")+
				fmt.Sprintf("; to take them as labels anyway, import again with --speakers %s", familyNames[first]))
		}
	}
	if mode != "labelled" {
		markPreamble(text, infos, fs)
	}

	isLabel := func(li *lineInfo) bool {
		if fs == nil || li.c.fam != fs.fam {
			return false
		}
		return li.c.cont || fs.accepted[li.c.key]
	}

	var (
		turns    []pturn
		cur      *pturn
		pending  stamp
		hasPend  bool
		pendLine int
		curLine  int
		brk      = true
		lastName string
		clock    bool
	)
	closeTurn := func() {
		if cur == nil {
			return
		}
		t := *cur
		cur = nil
		if t.start < 0 {
			return
		}
		if st, j, ok := trailingF4(text[t.start:t.end]); ok {
			t.hasEndT, t.endT = true, st.t
			t.end = t.start + len(trimRightSpace(text[t.start:t.start+j]))
			if t.end <= t.start {
				return
			}
		}
		turns = append(turns, t)
	}
	extend := func(li *lineInfo, from int) {
		s := text[li.start:li.end]
		from = skipSpace(s, from)
		e := len(trimRightSpace(s))
		if from >= e {
			return
		}
		if cur.start < 0 {
			cur.start = li.start + from
		}
		cur.end = li.start + e
	}
	newTurn := func(speaker string) {
		closeTurn()
		cur = &pturn{speaker: speaker, start: -1, open: curLine}
		if hasPend {
			cur.hasT, cur.st = true, pending
			cur.open = pendLine
			hasPend = false
		}
	}
	for i := range infos {
		li := &infos[i]
		curLine = li.start
		if mode != "plain" && isLabel(li) {
			name := li.c.name
			if li.c.cont {
				name = lastName
			}
			newTurn(name)
			lastName = name
			if li.c.hasT {
				cur.hasT, cur.st = true, li.c.st
				clock = clock || li.c.clock
			}
			if li.c.speech < li.end-li.start {
				extend(li, li.c.speech)
			}
			brk = false
			continue
		}
		if li.blank {
			brk = true
			continue
		}
		if li.nonSpeech {
			if li.stampOnly {
				pending, hasPend, pendLine = li.lead, true, li.start
			}
			if mode == "plain" {
				brk = true
			}
			continue
		}
		from := 0
		startNew := false
		switch mode {
		case "plain":
			startNew = cur == nil || brk || li.hasLead
		case "single":
			startNew = cur == nil || (brk && cur.start >= 0) || (li.hasLead && cur.start >= 0)
		default:
			if cur == nil {
				hasPend = false
				continue // preamble
			}
		}
		if startNew {
			newTurn("")
		}
		if li.hasLead && cur.start < 0 && (!cur.hasT || startNew) {
			cur.hasT, cur.st = true, li.lead
			from = li.leadEnd
			hasPend = false
		}
		extend(li, from)
		brk = false
	}
	closeTurn()
	if mode == "plain" && hasPend {
		hasPend = false
	}
	res.Turns = finishTurns(text, turns, clock, &res.Warnings)
	res.headerEnd = len(text)
	if len(turns) > 0 {
		res.headerEnd = turns[0].open
	}
	return res
}

// familyByName returns the label family a --speakers value names, famNone
// for "" and "none".
func familyByName(name string) family {
	for f, n := range familyNames {
		if n == name && f != int(famNone) {
			return family(f)
		}
	}
	return famNone
}

// SpeakerLayouts returns the values Options.Speakers accepts.
func SpeakerLayouts() []string {
	return append([]string(nil), familyNames[:]...)
}

func familyStats(infos []lineInfo, f family, paras int, force bool) *famStats {
	s := &famStats{fam: f, accepted: map[string]bool{}}
	strong := map[string]int{}
	weak := map[string]int{}
	lex := map[string]bool{}
	display := map[string]string{}
	var order []string
	for i := range infos {
		c := &infos[i].c
		if c.fam != f {
			continue
		}
		s.hits++
		if c.cont {
			continue
		}
		if _, seen := display[c.key]; !seen {
			display[c.key] = c.name
			order = append(order, c.key)
		}
		if c.weak {
			weak[c.key]++
		} else {
			strong[c.key]++
		}
		if c.lex {
			lex[c.key] = true
		}
	}
	firm := map[string]bool{}
	firmHits := 0
	for i := range infos {
		if c := &infos[i].c; c.fam == f && c.firm && !c.weak {
			firm[c.key] = true
			firmHits++
		}
	}
	s.firmHits = firmHits
	for _, k := range order {
		if force || strong[k] >= 2 || strong[k]+weak[k] >= 3 || (lex[k] && strong[k]+weak[k] >= 1) {
			s.accepted[k] = true
		}
	}
	// Once two labels are established, or the layout recurs, a name seen
	// once in a layout that is hardly ever prose ("Name  0:05",
	// "**Name:**", "Name (00:01:02):") is a speaker too. One established
	// label (a known role such as Interviewer) and the layout twice is
	// enough: "**Interviewer:** ...", "**Dana:** ..." in a short file.
	if len(s.accepted) >= 2 || firmHits >= 3 || (len(s.accepted) >= 1 && firmHits >= 2) {
		for _, k := range order {
			if firm[k] {
				s.accepted[k] = true
			}
		}
	}
	// In a file where most paragraphs open with an accepted label, a
	// capitalised name that opens a paragraph once is a speaker too (a
	// guest who speaks once; also makes caption exports re-import alike).
	if len(s.accepted) > 0 && paras > 0 {
		opened := 0
		for i := range infos {
			if c := &infos[i].c; c.fam == f && s.accepted[c.key] {
				opened++
			}
		}
		// The same for files with one turn per line: when most non-blank
		// lines open with an accepted label, a capitalised name that opens
		// a line once is a speaker too ("Ann: ...", "Bob: ...", "Ann: ...").
		lines := 0
		for i := range infos {
			if !infos[i].blank && !infos[i].nonSpeech {
				lines++
			}
		}
		byPara := float64(opened) >= 0.5*float64(paras)
		byLine := lines > 0 && float64(opened) >= 0.5*float64(lines)
		if byPara || byLine {
			for i := range infos {
				c := &infos[i].c
				if c.fam == f && !c.cont && !c.weak && !s.accepted[c.key] && strong[c.key] == 1 &&
					(byLine || i == 0 || infos[i-1].blank) && capitalised(c.name) && len(strings.Fields(c.key)) <= 4 {
					s.accepted[c.key] = true
				}
			}
		}
	}
	s.allLex = len(s.accepted) > 0
	s.caps = len(s.accepted) > 0
	byGroup := map[string]int{}
	for k := range s.accepted {
		byGroup[labelGroup(k)] += strong[k] + weak[k]
		if !lex[k] {
			s.allLex = false
		}
		if strings.ToUpper(display[k]) != display[k] || !hasUpper(display[k]) {
			s.caps = false
		}
	}
	s.groups = len(byGroup)
	counts := make([]int, 0, len(byGroup))
	for _, n := range byGroup {
		counts = append(counts, n)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(counts)))
	topN := len(counts)
	if topN > 12 {
		topN = 12
	}
	topHits := 0
	for _, n := range counts[:topN] {
		topHits += n
	}
	prev := ""
	pairs, diff := 0, 0
	for i := range infos {
		c := &infos[i].c
		if c.fam != f {
			continue
		}
		if c.cont {
			s.hitsL++
			topHits++
			continue
		}
		if !s.accepted[c.key] {
			continue
		}
		s.hitsL++
		if prev != "" {
			pairs++
			if prev != c.key {
				diff++
			}
		}
		prev = c.key
	}
	if s.hits > 0 {
		s.conc = float64(topHits) / float64(s.hits)
	}
	if paras > 0 {
		s.coverage = float64(s.hitsL) / float64(paras)
	}
	if pairs > 0 {
		s.alt = float64(diff) / float64(pairs)
	}
	// top labels by count, for messages
	keys := append([]string(nil), order...)
	sort.SliceStable(keys, func(i, j int) bool {
		return strong[keys[i]]+weak[keys[i]] > strong[keys[j]]+weak[keys[j]]
	})
	for _, k := range keys {
		s.top = append(s.top, display[k])
	}
	return s
}

func hasUpper(s string) bool {
	for _, r := range s {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// markPreamble marks leading title/metadata paragraphs as non-speech in
// files that are not fully labelled.
func markPreamble(text string, infos []lineInfo, fs *famStats) {
	firstPara := true
	for i := 0; i < len(infos); {
		li := &infos[i]
		if li.blank || li.nonSpeech {
			i++
			continue
		}
		if fs != nil && li.c.fam == fs.fam && fs.accepted[li.c.key] {
			return
		}
		// the paragraph's lines
		j := i
		for j < len(infos) && !infos[j].blank && infos[j].para == li.para {
			j++
		}
		pre := true
		for k := i; k < j; k++ {
			t := strings.TrimSpace(text[infos[k].start:infos[k].end])
			if infos[k].nonSpeech {
				continue
			}
			if isPreambleLine(t) {
				continue
			}
			if firstPara && j-i == 1 && j < len(infos) && isTitleLine(t) && hasMoreSpeech(infos[j:]) {
				continue
			}
			pre = false
			break
		}
		if !pre {
			return
		}
		for k := i; k < j; k++ {
			infos[k].nonSpeech = true
		}
		firstPara = false
		i = j
	}
}

func hasMoreSpeech(infos []lineInfo) bool {
	for i := range infos {
		if !infos[i].blank && !infos[i].nonSpeech {
			return true
		}
	}
	return false
}

// isTitleLine: a short line without sentence punctuation at the end.
func isTitleLine(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > 100 {
		return false
	}
	if n := len(strings.Fields(t)); n > 12 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	if strings.ContainsRune(".?!…,;:\"”)", last) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(t)
	return !unicode.IsLower(first)
}

var preamblePrefixes = []string{
	"interview with ", "interview by ", "interview of ", "transcript of ", "transcription of ",
	"transcript for ", "recorded on ", "recorded at ", "recorded by ", "recording date",
	"interviewed by ", "conducted by ", "interview conducted ", "date of interview",
}

func isPreambleLine(t string) bool {
	l := strings.ToLower(t)
	for _, p := range preamblePrefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	if i := strings.IndexAny(l, ":："); i > 0 && i < 40 {
		key := strings.TrimSpace(l[:i])
		if stopKeys[key] || strings.HasSuffix(key, " date") || strings.HasSuffix(key, " name") {
			return true
		}
	}
	return false
}

// splitLines returns [start,end) byte offsets of each line (without "\n").
func splitLines(text string) [][2]int {
	n := strings.Count(text, "\n") + 1
	out := make([][2]int, 0, n)
	s := 0
	for {
		i := strings.IndexByte(text[s:], '\n')
		if i < 0 {
			out = append(out, [2]int{s, len(text)})
			break
		}
		out = append(out, [2]int{s, s + i})
		s += i + 1
	}
	return out
}

// finishTurns fills times and converts byte offsets to code points.
func finishTurns(text string, ts []pturn, clock bool, warns *[]string) []coding.Turn {
	out := make([]coding.Turn, len(ts))
	var base time.Duration
	if clock {
		for _, t := range ts {
			if t.hasT {
				base = t.st.t
				break
			}
		}
		*warns = append(*warns, "times are wall-clock times; they were made relative to the first one")
	}
	back := 0
	for i := range ts {
		t := &ts[i]
		o := &out[i]
		o.Index = i
		o.Speaker = t.speaker
		switch {
		case t.hasT:
			o.HasTime = true
			o.TimeStart = t.st.t - base
			switch {
			case t.st.hasEnd:
				o.TimeEnd = t.st.end - base
			case t.hasEndT:
				o.TimeEnd = t.endT
			default:
				// the next turn's start when it is known; else unknown (= start)
				o.TimeEnd = o.TimeStart
				if j := i + 1; j < len(ts) && ts[j].hasT {
					if next := ts[j].st.t - base; next >= o.TimeStart {
						o.TimeEnd = next
					} else if o.TimeStart-next > 5*time.Second {
						back++
					}
				}
			}
		case t.hasEndT:
			o.HasTime = true
			o.TimeEnd = t.endT
			if i > 0 && out[i-1].HasTime && out[i-1].TimeEnd <= t.endT {
				o.TimeStart = out[i-1].TimeEnd
			}
		}
		if o.TimeEnd < o.TimeStart {
			o.TimeEnd = o.TimeStart
		}
	}
	if back > 0 {
		*warns = append(*warns, fmt.Sprintf("timestamps go back in time at %s; they were kept as written", coding.Plural(back, "turn", "turns")))
	}
	// byte -> code point offsets, one pass (turns are sorted).
	pos, runes := 0, 0
	adv := func(b int) int {
		if b < pos {
			return -1
		}
		runes += utf8.RuneCountInString(text[pos:b])
		pos = b
		return runes
	}
	for i := range ts {
		out[i].Start = adv(ts[i].start)
		out[i].End = adv(ts[i].end)
	}
	return out
}
