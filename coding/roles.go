package coding

import (
	"strings"
	"unicode"
)

// RoleInterviewer is the role of the person who asks the questions.
const RoleInterviewer = "interviewer"

// interviewerLabels are speaker labels that name the interviewer (or the
// moderator of a group) by function, compared after NormSpeaker, without a
// trailing number ("Interviewer 2"), Hebrew points or Arabic diacritics.
// Interviewee labels that differ by one letter (מרואיין) are not here.
var interviewerLabels = map[string]bool{
	"interviewer": true, "interviewers": true, "int": true, "int.": true, "i": true, "q": true,
	"question": true, "moderator": true, "mod": true, "facilitator": true, "interviewerin": true,
	"intervieweur": true, "intervieweuse": true, "enquêteur": true, "enquêtrice": true,
	"animateur": true, "animatrice": true, "entrevistador": true, "entrevistadora": true,
	"moderador": true, "moderadora": true, "intervistatore": true, "intervistatrice": true,
	// Hebrew: interviewer (m/f, with the article), facilitator, "ש" for שאלה (question)
	"מראיין": true, "מראיינת": true, "המראיין": true, "המראיינת": true, "מראיינים": true,
	"מנחה": true, "המנחה": true, "מנחת": true, "ש": true, "שאלה": true,
	// Arabic: interviewer (m/f), the one who interviews, facilitator, asker, "س" for سؤال
	"المحاور": true, "المحاورة": true, "محاور": true, "محاورة": true, "المقابل": true,
	"المقابلة": true, "الميسر": true, "الميسرة": true, "ميسر": true, "ميسرة": true,
	"السائل": true, "السائلة": true, "س": true, "سؤال": true,
}

// IsInterviewerLabel reports whether a speaker label names the interviewer
// by function (Interviewer, Int, I, Q, Moderator, Facilitator, מראיינת,
// المحاور, ...).
func IsInterviewerLabel(label string) bool {
	k := NormSpeaker(label)
	k = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) || r == 'ـ' { // niqqud, harakat, tatweel
			return -1
		}
		return r
	}, k)
	if interviewerLabels[k] {
		return true
	}
	t := strings.TrimRight(k, "0123456789٠١٢٣٤٥٦٧٨٩ _-#.")
	return t != k && interviewerLabels[t]
}

// DefaultRole is the role a speaker has without a mapping: interviewer for
// a label that names the interviewer, else "" (the document's role attribute
// then applies).
func DefaultRole(speaker string) string {
	if IsInterviewerLabel(speaker) {
		return RoleInterviewer
	}
	return ""
}

// GuessInterviewer returns the speaker of doc who asks the questions, for a
// document whose labels are names ("Dan:", "Moshe:") rather than functions:
// the one speaker with at least two turns, most of them questions, who asks
// at least twice as often as anyone else. It returns "" when a label names
// the interviewer already, or when no speaker stands out.
func GuessInterviewer(doc *Document, text string) string {
	off := NewOffsets(text)
	type count struct{ turns, questions int }
	by := map[string]*count{}
	var order []string
	for _, t := range doc.Turns {
		if t.Header || t.Speaker == "" {
			continue
		}
		if IsInterviewerLabel(t.Speaker) {
			return ""
		}
		k := NormSpeaker(t.Speaker)
		c := by[k]
		if c == nil {
			c = &count{}
			by[k] = c
			order = append(order, t.Speaker)
		}
		c.turns++
		if strings.ContainsAny(off.Slice(t.Start, t.End), "?؟") {
			c.questions++
		}
	}
	if len(order) < 2 {
		return ""
	}
	best, second := "", 0.0
	bestShare := 0.0
	for _, sp := range order {
		c := by[NormSpeaker(sp)]
		share := float64(c.questions) / float64(c.turns)
		switch {
		case share > bestShare:
			second, bestShare, best = bestShare, share, sp
		case share > second:
			second = share
		}
	}
	if best == "" || by[NormSpeaker(best)].turns < 2 || bestShare < 0.5 || second > bestShare/2 {
		return ""
	}
	return best
}

// IsInterviewer reports whether speaker is the interviewer of doc without
// a role mapping: a label that names the function, or the speaker named by
// the document's "interviewer" attribute (names separated by commas; import
// sets it to the speaker who asks the questions when no label says so).
func IsInterviewer(doc *Document, speaker string) bool {
	if IsInterviewerLabel(speaker) {
		return true
	}
	if v := doc.Attrs["interviewer"]; v != "" {
		k := NormSpeaker(speaker)
		for _, n := range strings.Split(v, ",") {
			if NormSpeaker(n) == k {
				return true
			}
		}
	}
	return false
}
