package samples

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// turn is one speaker's spoken text as this test extracts it. The
// extraction is deliberately simple and knows the label conventions used in
// the study; the real importer is tested against these files elsewhere.
type turn struct {
	speaker string
	text    string
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

func norm1(s string) string { return strings.ToLower(fold(s)) }

var (
	reTag      = regexp.MustCompile(`<[^>]*>`)
	reVoice    = regexp.MustCompile(`^<v(?:\.[^ >]*)? ([^>]+)>`)
	reLabel    = regexp.MustCompile(`^(?:\[\d{2}:\d{2}:\d{2}\] )?(?:\*\*)?([^:*\n]{1,40}?)(?::\*\*|:)(?: (.*))?$`)
	reOtter    = regexp.MustCompile(`^(\S.*?) {2,}\d{1,2}:\d{2}(?::\d{2})?\s*$`)
	reColor    = regexp.MustCompile(`^#[0-9a-f]{6}$`)
	validRoles = map[string]bool{"interviewer": true, "client": true, "staff": true}
)

// labels returns the speaker labels of the study (normalised), plus "a",
// the answer label of the Q:/A: transcript, which roles.json leaves out.
func labels(t *testing.T) map[string]bool {
	t.Helper()
	roles, err := Roles()
	if err != nil {
		t.Fatal(err)
	}
	l := map[string]bool{"a": true}
	for k := range roles {
		l[norm1(k)] = true
	}
	return l
}

// splitLabel splits "Name: text" when Name is a known label.
func splitLabel(s string, known map[string]bool) (speaker, text string, ok bool) {
	m := reLabel.FindStringSubmatch(s)
	if m == nil || !known[norm1(m[1])] {
		return "", "", false
	}
	return m[1], m[2], true
}

// textTurns splits a plain-text or Markdown transcript into turns. Lines
// before the first label (a heading, YAML front matter) are preamble.
func textTurns(src string, known map[string]bool) []turn {
	var out []turn
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		if m := reOtter.FindStringSubmatch(line); m != nil && known[norm1(m[1])] {
			out = append(out, turn{speaker: m[1]})
			continue
		}
		if sp, text, ok := splitLabel(line, known); ok {
			out = append(out, turn{speaker: sp, text: text})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].text += "\n" + line
		}
	}
	return out
}

// cueTurns returns one turn per WebVTT or SRT cue: the speaker comes from a
// <v Name> voice tag or a "NAME:" prefix, and tags are stripped.
func cueTurns(src string, known map[string]bool) []turn {
	var out []turn
	for _, block := range regexp.MustCompile(`\n[ \t]*\n`).Split(strings.ReplaceAll(src, "\r\n", "\n"), -1) {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		i := 0
		for i < len(lines) && !strings.Contains(lines[i], "-->") {
			i++
		}
		if i == len(lines) {
			continue // header, NOTE block
		}
		payload := strings.Join(lines[i+1:], "\n")
		var tr turn
		if m := reVoice.FindStringSubmatch(payload); m != nil {
			tr.speaker = m[1]
		}
		payload = reTag.ReplaceAllString(payload, "")
		if sp, text, ok := splitLabel(strings.SplitN(payload, "\n", 2)[0], known); ok && tr.speaker == "" {
			tr.speaker = sp
			payload = text + strings.TrimPrefix(payload, strings.SplitN(payload, "\n", 2)[0])
		}
		tr.text = payload
		out = append(out, tr)
	}
	return out
}

// docxTurns returns one turn per paragraph of word/document.xml that starts
// with a known "Name:" label (the title paragraph is preamble).
func docxTurns(b []byte, known map[string]bool) ([]turn, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	f, err := zr.Open("word/document.xml")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	var out []turn
	var para strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "p":
				para.Reset()
			case "t":
				inText = true
			case "tab":
				para.WriteString("\t")
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "t":
				inText = false
			case "p":
				if sp, text, ok := splitLabel(para.String(), known); ok {
					out = append(out, turn{speaker: sp, text: text})
				}
			}
		case xml.CharData:
			if inText {
				para.Write(tok)
			}
		}
	}
	return out, nil
}

// studyTurns extracts the turns of a study file by its extension.
func studyTurns(t *testing.T, name string, known map[string]bool) []turn {
	t.Helper()
	b, err := ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var turns []turn
	switch path.Ext(name) {
	case ".docx":
		turns, err = docxTurns(b, known)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	case ".vtt", ".srt":
		turns = cueTurns(string(b), known)
	default:
		turns = textTurns(string(b), known)
	}
	return turns
}

func TestLoadAll(t *testing.T) {
	m, err := Manifest()
	if err != nil || len(m) < 12 {
		t.Fatalf("Manifest: %d entries, %v", len(m), err)
	}
	c, err := Cases()
	if err != nil || len(c) < 6 {
		t.Fatalf("Cases: %d entries, %v", len(c), err)
	}
	cb, err := Codebook()
	if err != nil || len(cb) < 10 {
		t.Fatalf("Codebook: %d entries, %v", len(cb), err)
	}
	cd, err := Codings()
	if err != nil || len(cd) < 80 {
		t.Fatalf("Codings: %d entries, %v", len(cd), err)
	}
	r, err := Roles()
	if err != nil || len(r) < 10 {
		t.Fatalf("Roles: %d entries, %v", len(r), err)
	}
}

func TestReadFileRejectsBadNames(t *testing.T) {
	for _, name := range []string{"", ".", "../embed.go", "/manifest.json", "s1-step-by-step/../../embed.go", "nope.json"} {
		if _, err := ReadFile(name); err == nil {
			t.Errorf("ReadFile(%q) succeeded", name)
		}
	}
	if _, err := fs.ReadFile(Study(), "manifest.json"); err != nil {
		t.Errorf("Study() cannot read manifest.json: %v", err)
	}
}

func TestManifest(t *testing.T) {
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := Cases()
	if err != nil {
		t.Fatal(err)
	}
	caseAttrs := map[string]map[string]string{}
	for _, c := range cases {
		if _, dup := caseAttrs[c.Case]; dup {
			t.Errorf("case %q listed twice in cases.json", c.Case)
		}
		caseAttrs[c.Case] = c.Attributes
	}
	seen := map[string]bool{}
	sides := map[string]map[string]int{}
	langs := map[string]bool{}
	for _, e := range m {
		if seen[e.File] {
			t.Errorf("%s listed twice", e.File)
		}
		seen[e.File] = true
		b, err := ReadFile(e.File)
		if err != nil {
			t.Errorf("%s: %v", e.File, err)
			continue
		}
		if path.Ext(e.File) != ".docx" {
			if !utf8.Valid(b) {
				t.Errorf("%s is not UTF-8", e.File)
			}
			if !norm.NFC.IsNormal(b) {
				t.Errorf("%s is not NFC; the importer normalises to NFC and quotes would not match", e.File)
			}
		}
		a := caseAttrs[e.Case]
		if len(a) == 0 {
			t.Errorf("%s: case %q has no attributes in cases.json", e.File, e.Case)
		}
		for _, k := range []string{"department", "population", "year"} {
			if a != nil && a[k] == "" {
				t.Errorf("case %q lacks attribute %q", e.Case, k)
			}
		}
		role := e.Attributes["role"]
		if role != "client" && role != "staff" {
			t.Errorf("%s: role attribute %q, want client or staff", e.File, role)
		}
		if sides[e.Case] == nil {
			sides[e.Case] = map[string]int{}
		}
		sides[e.Case][role]++
		switch e.Lang {
		case "", "he", "ar":
			langs[e.Lang] = true
		default:
			t.Errorf("%s: unexpected lang %q", e.File, e.Lang)
		}
	}
	for c := range caseAttrs {
		if sides[c]["client"] == 0 || sides[c]["staff"] == 0 {
			t.Errorf("case %q needs a client and a staff interview, has %v", c, sides[c])
		}
	}
	if !langs["he"] || !langs["ar"] {
		t.Errorf("study should include Hebrew and Arabic transcripts, has %v", langs)
	}
	// Every transcript in the tree is in the manifest.
	err = fs.WalkDir(Study(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(p, "/") && !seen[p] {
			t.Errorf("%s is in the study but not in manifest.json", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFormatsVaried(t *testing.T) {
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	exts := map[string]bool{}
	for _, e := range m {
		exts[path.Ext(e.File)] = true
	}
	for _, x := range []string{".txt", ".md", ".vtt", ".srt", ".docx"} {
		if !exts[x] {
			t.Errorf("no %s transcript in the study", x)
		}
	}
}

func TestCodebook(t *testing.T) {
	cb, err := Codebook()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	children := map[string]int{}
	for _, c := range cb {
		if seen[c.Path] {
			t.Errorf("code %q listed twice", c.Path)
		}
		if parent, _, ok := cutLast(c.Path); ok {
			if !seen[parent] {
				t.Errorf("code %q listed before its parent %q", c.Path, parent)
			}
			children[parent]++
		}
		seen[c.Path] = true
		if strings.TrimSpace(c.Description) == "" {
			t.Errorf("code %q has no description", c.Path)
		}
		if !reColor.MatchString(c.Color) {
			t.Errorf("code %q: colour %q is not #rrggbb", c.Path, c.Color)
		}
	}
	if children["Principles"] < 7 {
		t.Errorf("Principles has %d children, want at least 7", children["Principles"])
	}
	if children["Tone"] < 2 {
		t.Errorf("Tone has %d children, want at least 2", children["Tone"])
	}
	if children["Context"] < 1 {
		t.Errorf("Context has no children")
	}
}

// cutLast splits "A/B/C" into "A/B" and "C".
func cutLast(p string) (parent, name string, ok bool) {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return "", p, false
	}
	return p[:i], p[i+1:], true
}

func TestRoles(t *testing.T) {
	roles, err := Roles()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range roles {
		if !validRoles[v] {
			t.Errorf("speaker %q has role %q", k, v)
		}
	}
	// Every transcript splits into turns of known speakers, with an
	// interviewer and at least one other speaker.
	known := labels(t)
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range m {
		turns := studyTurns(t, e.File, known)
		if len(turns) < 10 {
			t.Errorf("%s: %d turns, want at least 10", e.File, len(turns))
		}
		speakers := map[string]bool{}
		for _, tr := range turns {
			if tr.speaker == "" {
				t.Errorf("%s: a cue without a speaker: %.40q", e.File, tr.text)
			}
			speakers[norm1(tr.speaker)] = true
		}
		interviewer := false
		for s := range speakers {
			for k, v := range roles {
				if norm1(k) == s && v == "interviewer" {
					interviewer = true
				}
			}
		}
		if !interviewer || len(speakers) < 2 {
			t.Errorf("%s: speakers %v, want an interviewer and an interviewee", e.File, speakers)
		}
	}
}

func TestCodings(t *testing.T) {
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	cb, err := Codebook()
	if err != nil {
		t.Fatal(err)
	}
	codings, err := Codings()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, e := range m {
		files[e.File] = true
	}
	codes := map[string]bool{}
	for _, c := range cb {
		codes[c.Path] = true
	}
	known := labels(t)
	turnsOf := map[string][]turn{}
	rawOf := map[string]string{}
	coders := map[string]int{}
	dup := map[string]bool{}
	for i, c := range codings {
		where := fmt.Sprintf("coding %d (%s, %s, %.30q)", i, c.File, c.Coder, c.Quote)
		if !files[c.File] {
			t.Errorf("%s: file not in manifest", where)
			continue
		}
		if !codes[c.Code] {
			t.Errorf("%s: code %q not in codebook", where, c.Code)
		}
		if c.Coder == "" {
			t.Errorf("%s: no coder", where)
		}
		coders[c.Coder]++
		k := c.File + "\x00" + c.Code + "\x00" + c.Coder + "\x00" + c.Quote
		if dup[k] {
			t.Errorf("%s: duplicate coding", where)
		}
		dup[k] = true
		q := fold(c.Quote)
		if q == "" || q != c.Quote {
			t.Errorf("%s: quote is empty or has untidy white space", where)
			continue
		}
		turns, ok := turnsOf[c.File]
		if !ok {
			turns = studyTurns(t, c.File, known)
			turnsOf[c.File] = turns
			if ext := path.Ext(c.File); ext == ".txt" || ext == ".md" {
				b, _ := ReadFile(c.File)
				rawOf[c.File] = fold(string(b))
			}
		}
		// Exactly once inside one turn, and not again across a turn boundary.
		n := 0
		var all []string
		for _, tr := range turns {
			ft := fold(tr.text)
			n += strings.Count(ft, q)
			all = append(all, ft)
		}
		if n != 1 {
			t.Errorf("%s: quote found %d times inside turns, want 1", where, n)
		}
		if got := strings.Count(strings.Join(all, " "), q); got != 1 {
			t.Errorf("%s: quote found %d times in the spoken text, want 1", where, got)
		}
		if raw, ok := rawOf[c.File]; ok {
			if got := strings.Count(raw, q); got != 1 {
				t.Errorf("%s: quote found %d times in the raw file, want 1", where, got)
			}
		}
	}
	// Tone children are exclusive: one coder gives a passage at most one.
	tone := map[string]string{}
	for _, c := range codings {
		if !strings.HasPrefix(c.Code, "Tone/") {
			continue
		}
		k := c.File + "\x00" + c.Coder + "\x00" + c.Quote
		if prev, ok := tone[k]; ok && prev != c.Code {
			t.Errorf("%s: %s gives %.30q both %s and %s", c.File, c.Coder, c.Quote, prev, c.Code)
		}
		tone[k] = c.Code
	}
	if coders["dana"] == 0 || coders["yossi"] == 0 || len(coders) != 2 {
		t.Errorf("coders %v, want dana and yossi", coders)
	}
}

// TestAgreementHighButNotPerfect keeps the agreement demo interesting: the
// two coders agree on most passages (the same code on the same or an
// overlapping span), and disagree on some: another code, a missed passage,
// a different span.
func TestAgreementHighButNotPerfect(t *testing.T) {
	codings, err := Codings()
	if err != nil {
		t.Fatal(err)
	}
	var dana, yossi []CodingDef
	for _, c := range codings {
		switch c.Coder {
		case "dana":
			dana = append(dana, c)
		case "yossi":
			yossi = append(yossi, c)
		}
	}
	exact, overlap := 0, 0
	used := make([]bool, len(yossi))
	for _, d := range dana {
		for j, y := range yossi {
			if used[j] || y.File != d.File || y.Code != d.Code {
				continue
			}
			if y.Quote == d.Quote {
				exact++
			} else if !strings.Contains(y.Quote, d.Quote) && !strings.Contains(d.Quote, y.Quote) {
				continue
			}
			overlap++
			used[j] = true
			break
		}
	}
	union := len(dana) + len(yossi) - overlap
	ratio := float64(overlap) / float64(union)
	t.Logf("dana %d, yossi %d: identical %d, same code on overlapping spans %d of %d (%.2f)",
		len(dana), len(yossi), exact, overlap, union, ratio)
	if ratio < 0.6 || ratio > 0.95 {
		t.Errorf("agreement %.2f, want between 0.6 and 0.95", ratio)
	}
	if exact == overlap {
		t.Errorf("no coding pair differs only in its span; the demo should show one")
	}
}

// TestRecurrenceIsUneven checks the shape the recurrence report is meant to
// show: a principle in every story, some in most, some in few.
func TestRecurrenceIsUneven(t *testing.T) {
	codings, err := Codings()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	caseOf := map[string]string{}
	cases := map[string]bool{}
	for _, e := range m {
		caseOf[e.File] = e.Case
		cases[e.Case] = true
	}
	stories := map[string]map[string]bool{}
	for _, c := range codings {
		if c.Coder != "dana" || !strings.HasPrefix(c.Code, "Principles/") {
			continue
		}
		if stories[c.Code] == nil {
			stories[c.Code] = map[string]bool{}
		}
		stories[c.Code][caseOf[c.File]] = true
	}
	all, few := 0, 0
	for code, s := range stories {
		t.Logf("%-50s %d/%d", code, len(s), len(cases))
		switch {
		case len(s) == len(cases):
			all++
		case len(s)*2 < len(cases):
			few++
		}
	}
	if all == 0 || few < 2 {
		t.Errorf("principles in all stories: %d, in few: %d; want at least 1 and 2", all, few)
	}
	if n := len(stories["Principles/Respectful attitude"]); n != len(cases) {
		t.Errorf("Respectful attitude in %d of %d stories, want all", n, len(cases))
	}
}

// TestSearchWords keeps the words the README and the search demo rely on.
func TestSearchWords(t *testing.T) {
	m, err := Manifest()
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range m {
		if path.Ext(e.File) == ".docx" {
			for _, tr := range studyTurns(t, e.File, labels(t)) {
				all.WriteString(tr.text + "\n")
			}
			continue
		}
		b, err := ReadFile(e.File)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	text := strings.ToLower(all.String())
	for _, w := range []string{"crisis", "turning point", "respect", "family", "plan", "כבוד", "בכבוד", "והכבוד", "כָּבוֹד", "משבר", "احترام"} {
		if !strings.Contains(text, w) {
			t.Errorf("no transcript contains %q", w)
		}
	}
}
