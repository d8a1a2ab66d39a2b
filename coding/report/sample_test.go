package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tacit-qda/tacit/coding"
)

// line is one turn of a hand-built transcript.
type line struct{ speaker, text string }

// builder makes documents whose turns and codings are found by substring,
// so the sample reads like the interviews it stands for.
type builder struct {
	ds      *Dataset
	texts   map[uint64]string
	calls   int // Passages calls
	codings []coding.Coding
}

func newBuilder() *builder {
	b := &builder{ds: &Dataset{}, texts: map[uint64]string{}}
	b.ds.Passages = func(ps []Passage) error {
		b.calls++
		return passagesFrom(b.texts, ps)
	}
	return b
}

func (b *builder) addCase(id uint64, name string, attrs map[string]string) {
	b.ds.Cases = append(b.ds.Cases, coding.Case{ID: id, Name: name, Attrs: attrs})
}

func (b *builder) addDoc(id, caseID uint64, name string, attrs map[string]string, lines ...line) {
	var sb strings.Builder
	var turns []coding.Turn
	for i, l := range lines {
		prefix := l.speaker + ": "
		sb.WriteString(prefix)
		start := utf8.RuneCountInString(sb.String())
		sb.WriteString(l.text)
		turns = append(turns, coding.Turn{Index: i, Speaker: l.speaker, Start: start, End: start + utf8.RuneCountInString(l.text)})
		sb.WriteString("\n")
	}
	text := sb.String()
	b.texts[id] = text
	b.ds.Docs = append(b.ds.Docs, coding.Document{ID: id, Name: name, CaseID: caseID, Attrs: attrs, Turns: turns,
		Chars: utf8.RuneCountInString(text), Format: "txt"})
}

func (b *builder) addCode(id, parent uint64, name, desc string) {
	b.ds.Codes = append(b.ds.Codes, coding.Code{ID: id, ParentID: parent, Name: name, Description: desc})
}

// code applies code to the first occurrence of phrase in document doc.
func (b *builder) code(doc, code uint64, coder, phrase string, opts ...func(*coding.Coding)) {
	text := b.texts[doc]
	i := strings.Index(text, phrase)
	if i < 0 {
		panic(fmt.Sprintf("phrase %q not in document %d", phrase, doc))
	}
	start := utf8.RuneCountInString(text[:i])
	c := coding.Coding{ID: uint64(len(b.codings) + 1), DocID: doc, CodeID: code, Start: start,
		End: start + utf8.RuneCountInString(phrase), Coder: coder, Origin: coding.OriginManual}
	for _, o := range opts {
		o(&c)
	}
	b.codings = append(b.codings, c)
	b.ds.Codings = CodingsOf(b.codings)
}

func key(c *coding.Coding) { c.Key = true }

func memo(m string) func(*coding.Coding) { return func(c *coding.Coding) { c.Memo = m } }

// Code ids of the sample codebook.
const (
	cPrinciples = 1
	cRespect    = 2
	cFamily     = 3
	cPartners   = 4
	cInside     = 5
	cOutside    = 6
	cCrisis     = 7
	cBarriers   = 8
)

// sample is a small learning-from-success study: four stories (one in
// Hebrew) with a client and a staff interview each, and one interview that
// belongs to no story.
func sample() *builder {
	b := newBuilder()
	b.ds.Roles = coding.RoleMap{Project: map[string]string{
		"dana": "client", "yossi": "client", "amal": "client", "נועה": "client",
		"ruth": "staff", "miriam": "staff", "khaled": "staff", "שרה": "staff",
		"interviewer": "interviewer",
	}}
	b.addCode(cPrinciples, 0, "Principles", "Principles of action common to the stories.")
	b.addCode(cRespect, cPrinciples, "Respectful attitude", "The worker treats the client with respect at all times.")
	b.addCode(cFamily, cPrinciples, "Whole family", "The plan takes in the whole family.")
	b.addCode(cPartners, cPrinciples, "Many partners", "Success has many partners.")
	b.addCode(cInside, cPartners, "Inside welfare", "Partners inside the welfare system.")
	b.addCode(cOutside, cPartners, "Outside welfare", "Partners outside the welfare system.")
	b.addCode(cCrisis, cPrinciples, "Crisis as lever", "A crisis used as a lever for change.")
	b.addCode(cBarriers, 0, "Barriers", "What stood in the way.")

	b.addCase(1, "Story 1", map[string]string{"department": "youth"})
	b.addCase(2, "Story 2", map[string]string{"department": "adults"})
	b.addCase(3, "Story 10", map[string]string{"department": "adults"})
	b.addCase(4, "סיפור נועה", map[string]string{"department": "youth"})
	b.addCase(5, "Story 5 (not yet interviewed)", map[string]string{"department": "youth"})

	b.addDoc(11, 1, "Interview with Dana", map[string]string{"role": "client"},
		line{"Interviewer", "What helped you most?"},
		line{"Dana", "Ruth always spoke to me with respect, even when I shouted at her."},
		line{"Dana", "She brought my mother and my brother into the meetings, all of us together."},
		line{"Interviewer", "And after the eviction?"},
		line{"Dana", "The eviction was the worst week, and it was the week everything started to change."})
	b.addDoc(12, 1, "Interview with Ruth", map[string]string{"role": "staff"},
		line{"Interviewer", "How did you work with Dana?"},
		line{"Ruth", "I never raised my voice; respect was the ground we stood on."},
		line{"Ruth", "The school counsellor and the housing office were partners from the first month."})
	b.addDoc(21, 2, "Interview with Yossi", map[string]string{"role": "client"},
		line{"Yossi", "Miriam listened. Nobody had listened to me before, not like that."},
		line{"Yossi", "My employer gave me a second chance because Miriam called him."})
	b.addDoc(22, 2, "Interview with Miriam", map[string]string{"role": "staff"},
		line{"Miriam", "We met his wife and his children; the plan was for the family, not only for him."},
		line{"Miriam", "Respect first, always: he decided, I suggested."})
	b.addDoc(31, 3, "Interview with Amal", nil,
		line{"Amal", "Khaled treated me like a person, with dignity, from the first day."},
		line{"Amal", "When I lost the job I thought it was the end, but it was the beginning."})
	b.addDoc(32, 3, "Interview with Khaled", nil,
		line{"Khaled", "The mosque committee, the clinic and the employment office all helped."},
		line{"Khaled", "We used the job loss to open the question of training."})
	b.addDoc(41, 4, "ראיון עם נועה", map[string]string{"role": "client"},
		line{"נועה", "שרה תמיד דיברה איתי בכבוד, גם כשלא הסכמתי איתה."},
		line{"נועה", "היא הזמינה את אמא שלי ואת אחי לפגישות."})
	b.addDoc(42, 4, "ראיון עם שרה", map[string]string{"role": "staff"},
		line{"שרה", "הכבוד היה הבסיס לכל מה שעשינו יחד."},
		line{"שרה", "עבדנו עם בית הספר ועם המתנ\"ס."})
	b.addDoc(51, 0, "Loose interview", map[string]string{"department": "adults", "role": "staff"},
		line{"Speaker 1", "The team treated every family with respect and patience."})

	b.code(11, cRespect, "ann", "Ruth always spoke to me with respect, even when I shouted at her.", key)
	b.code(11, cRespect, "bob", "spoke to me with respect")
	b.code(11, cFamily, "ann", "She brought my mother and my brother into the meetings, all of us together.")
	b.code(11, cCrisis, "ann", "The eviction was the worst week, and it was the week everything started to change.", memo("The crisis as the turning point."))
	b.code(12, cRespect, "ann", "I never raised my voice; respect was the ground we stood on.")
	b.code(12, cInside, "ann", "the housing office were partners from the first month")
	b.code(12, cOutside, "bob", "The school counsellor and the housing office were partners")
	b.code(21, cRespect, "ann", "Miriam listened. Nobody had listened to me before, not like that.")
	b.code(21, cOutside, "ann", "My employer gave me a second chance because Miriam called him.")
	b.code(22, cFamily, "ann", "We met his wife and his children; the plan was for the family, not only for him.")
	b.code(22, cRespect, "bob", "Respect first, always: he decided, I suggested.")
	b.code(31, cRespect, "ann", "Khaled treated me like a person, with dignity, from the first day.")
	b.code(31, cCrisis, "ann", "When I lost the job I thought it was the end, but it was the beginning.")
	b.code(32, cOutside, "ann", "The mosque committee, the clinic and the employment office all helped.")
	b.code(32, cInside, "ann", "the employment office")
	b.code(32, cCrisis, "bob", "We used the job loss to open the question of training.")
	b.code(41, cRespect, "ann", "שרה תמיד דיברה איתי בכבוד, גם כשלא הסכמתי איתה.")
	b.code(41, cFamily, "ann", "היא הזמינה את אמא שלי ואת אחי לפגישות.")
	b.code(42, cRespect, "ann", "הכבוד היה הבסיס לכל מה שעשינו יחד.")
	b.code(42, cOutside, "ann", "עבדנו עם בית הספר ועם המתנ\"ס.")
	b.code(51, cRespect, "bob", "The team treated every family with respect and patience.")
	b.code(51, cFamily, "bob", "every family")
	return b
}
