package agreement

import (
	"strings"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// mkDoc builds a document from "Speaker: text" lines, one turn per line
// (the turn is the text after the label), as an importer would.
func mkDoc(id uint64, name, cas string, lines ...string) Doc {
	d := Doc{ID: id, Name: name, Case: cas}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\n")
		}
		label, text, _ := strings.Cut(l, ": ")
		b.WriteString(label + ": ")
		start := utf8.RuneCountInString(b.String())
		b.WriteString(text)
		d.Turns = append(d.Turns, coding.Turn{Index: i, Speaker: label, Start: start, End: start + utf8.RuneCountInString(text)})
	}
	d.Text = b.String()
	return d
}

// at returns a coding of the first occurrence of sub in d's text.
func at(d Doc, coder, code, sub string) Coding {
	i := strings.Index(d.Text, sub)
	if i < 0 {
		panic("no " + sub + " in " + d.Name)
	}
	s := utf8.RuneCountInString(d.Text[:i])
	return Coding{Doc: d.ID, Code: code, Coder: coder, Start: s, End: s + utf8.RuneCountInString(sub)}
}

const (
	crisis  = "Principles/Crisis as lever"
	respect = "Principles/Respect"
	family  = "Principles/Whole family"
	pos     = "Tone/Positive"
	neg     = "Tone/Negative"
)

// example is a small hand-built project: story 1 has a client interview
// (English) and a staff interview (Hebrew), coded by dana and yossi; story 2
// was coded by dana only. Turns: T0..T2 in doc 1, T3..T4 in doc 2.
func example() ([]Doc, []Coding) {
	d1 := mkDoc(1, "story1-client", "Story 1",
		"Dana: I was in crisis. Then things changed.",
		"Interviewer: Tell me more.",
		"Dana: The worker respected me.")
	d2 := mkDoc(2, "story1-staff", "Story 1",
		"עובדת: המשבר היה הזדמנות. עבדנו עם כל המשפחה.",
		"מראיין: ספרי עוד.")
	d3 := mkDoc(3, "story2-client", "Story 2",
		"Avi: Nobody listened until she came.")
	codings := []Coding{
		// binary codes
		at(d1, "dana", crisis, "I was in crisis"),
		at(d2, "dana", crisis, "המשבר היה הזדמנות"),
		at(d1, "dana", respect, "respected"),
		at(d2, "dana", family, "עבדנו עם כל המשפחה"),
		at(d1, "yossi", crisis, "crisis. Then things"),
		at(d1, "yossi", respect, "The worker respected me"),
		at(d1, "yossi", respect, "Tell me more"),
		at(d2, "yossi", family, "כל המשפחה"),
		// the Tone group
		at(d1, "dana", pos, "Then things changed"),
		at(d1, "dana", pos, "The worker"),
		at(d1, "dana", neg, "Tell me"),
		at(d2, "dana", pos, "המשבר"),
		at(d2, "dana", neg, "הזדמנות"),
		at(d1, "yossi", pos, "I was"),
		at(d1, "yossi", neg, "respected me"),
		at(d1, "yossi", neg, "more"),
		// story 2: dana only
		at(d3, "dana", respect, "Nobody listened"),
	}
	return []Doc{d1, d2, d3}, codings
}

func exampleInput() Input {
	docs, codings := example()
	return Input{Coders: []string{"dana", "yossi"}, Docs: docs, Codings: codings}
}
