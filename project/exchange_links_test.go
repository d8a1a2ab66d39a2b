package project

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestImportLinksAndSets checks that nothing of <Links> and <Sets> is lost:
// a link from a note attaches the note as a memo to the passage's coding,
// the code, the document; other links go into the project memo "links";
// sets of sources become the document attribute "set" (and go back out as
// sets), sets of codes or notes a project memo; the report lists them all.
func TestImportLinksAndSets(t *testing.T) {
	const (
		gS2   = "33333333-0000-0000-0000-000000000002"
		gSel1 = "44444444-0000-0000-0000-000000000001"
		gSel2 = "44444444-0000-0000-0000-000000000002"
		gN1   = "66666666-0000-0000-0000-000000000001"
		gN2   = "66666666-0000-0000-0000-000000000002"
		gN3   = "66666666-0000-0000-0000-000000000003"
		gN4   = "66666666-0000-0000-0000-000000000004"
		gN5   = "66666666-0000-0000-0000-000000000005"
	)
	src := `<TextSource guid="` + gS + `" name="talk" plainTextPath="internal://` + gS + `.txt">
   <PlainTextSelection guid="` + gSel1 + `" name="first line" startPosition="5" endPosition="15">
     <Coding guid="55555555-5555-5555-5555-555555555555"><CodeRef targetGUID="` + gA + `"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="` + gSel2 + `" name="second line" startPosition="21" endPosition="32"/>
 </TextSource>
 <TextSource guid="` + gS2 + `" name="plain" plainTextPath="internal://` + gS2 + `.txt"/>`
	rest := `<Notes>
  <Note guid="` + gN1 + `" name="annotation"><PlainTextContent>Ana means it</PlainTextContent></Note>
  <Note guid="` + gN2 + `" name="code memo"><PlainTextContent>About respect</PlainTextContent></Note>
  <Note guid="` + gN3 + `" name="doc memo"><PlainTextContent>A plain text</PlainTextContent></Note>
  <Note guid="` + gN4 + `" name="free"><PlainTextContent>Loose thought</PlainTextContent></Note>
  <Note guid="` + gN5 + `" name="comment"><PlainTextContent>Ben again</PlainTextContent></Note>
 </Notes>
 <Links>
  <Link guid="77777777-0000-0000-0000-000000000001" name="annotates" direction="OneWay" originGUID="{` + strings.ToUpper(gN1) + `}" targetGUID="` + gSel1 + `"/>
  <Link guid="77777777-0000-0000-0000-000000000002" direction="OneWay" originGUID="` + gA + `" targetGUID="` + gN2 + `"/>
  <Link guid="77777777-0000-0000-0000-000000000003" name="about" originGUID="` + gN3 + `" targetGUID="` + gS2 + `"/>
  <Link guid="77777777-0000-0000-0000-000000000004" name="goes with" direction="Bidirectional" originGUID="` + gA + `" targetGUID="` + gB + `"/>
  <Link guid="77777777-0000-0000-0000-000000000005" name="dangling" originGUID="` + gN4 + `" targetGUID="99999999-0000-0000-0000-000000000000"/>
  <Link guid="77777777-0000-0000-0000-000000000006" name="on comment" originGUID="` + gN5 + `" targetGUID="` + gSel2 + `"/>
 </Links>
 <Sets>
  <Set guid="88888888-0000-0000-0000-000000000001" name="Wave 1"><MemberSource targetGUID="` + gS + `"/><MemberSource targetGUID="` + gS2 + `"/></Set>
  <Set guid="88888888-0000-0000-0000-000000000002" name="Wave 2"><MemberSource targetGUID="` + gS + `"/></Set>
  <Set guid="88888888-0000-0000-0000-000000000003" name="Key codes"><Description>for the paper</Description><MemberCode targetGUID="` + gA + `"/><MemberCode targetGUID="` + gB + `"/><MemberNote targetGUID="` + gN4 + `"/></Set>
 </Sets>`
	doc := strings.Replace(qde(src), "</Project>", rest+"\n</Project>", 1)
	data := qdpx(t, "project.qde", doc, "sources/"+gS+".txt", "Ana: first line\nBen: second line\n", "sources/"+gS2+".txt", "A plain text.\n")
	p := newProject(t)
	rep, err := importFile(t, p, data, "partner.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.AsMemos) != 7 {
		t.Errorf("as memos: %d\n%s", len(rep.AsMemos), strings.Join(rep.AsMemos, "\n"))
	}
	report := strings.Join(rep.AsMemos, "\n")
	for _, want := range []string{
		`annotates: note "annotation" → the passage "first line" of talk (the note is a memo on the coding of that passage)`,
		`link 77777777: code Respect → note "code memo" (the note is a memo on the code)`,
		`about: note "doc memo" → source plain (the note is a memo on the document)`,
		`goes with: code Respect ↔ code Respect/Deep (in the project memo "links")`,
		`dangling: note "free" → object 99999999-0000-0000-0000-000000000000`,
		`on comment: note "comment" → the passage "second line" of talk (the note is a memo on the document, the passage having no code)`,
		`set Key codes: 2 codes, 0 sources, 1 notes`,
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report does not say %q:\n%s", want, report)
		}
	}
	v := viewOf(t, p)
	if v.DocAttrs["talk"]["set"] != "Wave 1; Wave 2" || v.DocAttrs["plain"]["set"] != "Wave 1" {
		t.Errorf("set attributes: %v", v.DocAttrs)
	}
	memos := strings.Join(v.Memos, "\n")
	for _, want := range []string{
		"coding|talk|Respect|tester|5|15|first line||Ana means it",
		"code|Respect|About respect",
		"doc|plain|A plain text",
		"doc|talk|Ben again",
		"project||Loose thought",
		"project||for the paper\n- code Respect\n- code Respect/Deep\n- note \"free\"",
		"- goes with: code Respect ↔ code Respect/Deep\n- dangling: note \"free\"",
	} {
		if !strings.Contains(memos, want) {
			t.Errorf("no memo %q among\n%s", want, memos)
		}
	}

	// Out again: the attribute "set" is written as sets, not as a
	// variable, and comes back the same.
	var buf bytes.Buffer
	res, err := p.ExportQDPX(context.Background(), ExportQDPXRequest{}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	// Wave 1 and Wave 2 (sets of sources, from the attribute), Key codes
	// (from its memo); the link between the two codes (from the memo
	// "links"; the dangling one stays in that memo, as a note).
	if res.Sets != 3 || res.Links != 1 {
		t.Errorf("exported %d sets and %d links, want 3 and 1", res.Sets, res.Links)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open("project.qde")
	if err != nil {
		t.Fatal(err)
	}
	qdeText, _ := io.ReadAll(f)
	xmllint(t, qdeText, "Project-mrt2019.xsd")
	if !strings.Contains(string(qdeText), `name="Wave 2">`) || strings.Contains(string(qdeText), `<Variable guid="`) && strings.Contains(string(qdeText), `name="set"`) {
		t.Errorf("sets not written as sets:\n%s", qdeText)
	}
	q := newProject(t)
	if _, err := importFile(t, q, buf.Bytes(), "back.qdpx", ImportExchangeRequest{}); err != nil {
		t.Fatal(err)
	}
	w := viewOf(t, q)
	if w.DocAttrs["talk"]["set"] != "Wave 1; Wave 2" || w.DocAttrs["plain"]["set"] != "Wave 1" {
		t.Errorf("set attributes after a round trip: %v", w.DocAttrs)
	}
	for _, want := range []string{`name="Key codes">`, `<Description>for the paper</Description>`, `<MemberCode targetGUID="` + gA + `"/>`,
		`<Link guid="`, `name="goes with" direction="Bidirectional" originGUID="` + gA + `" targetGUID="` + gB + `"/>`} {
		if !strings.Contains(string(qdeText), want) {
			t.Errorf("the export lacks %s:\n%s", want, qdeText)
		}
	}
	// The set of codes and the link come back as the same memos (the
	// link in a memo "links" of its own, the dangling one in the old).
	backMemos := strings.Join(w.Memos, "\n")
	for _, want := range []string{
		"project||for the paper\n- code Respect\n- code Respect/Deep\n- note \"free\"",
		"(tacit keeps no links):\n- goes with: code Respect ↔ code Respect/Deep",
		"(tacit keeps no links):\n- dangling: note \"free\"",
	} {
		if !strings.Contains(backMemos, want) {
			t.Errorf("after a round trip, no memo %q among\n%s", want, backMemos)
		}
	}
	// A second round trip changes nothing more.
	buf.Reset()
	if _, err := q.ExportQDPX(context.Background(), ExportQDPXRequest{}, &buf); err != nil {
		t.Fatal(err)
	}
	r := newProject(t)
	if _, err := importFile(t, r, buf.Bytes(), "back.qdpx", ImportExchangeRequest{}); err != nil {
		t.Fatal(err)
	}
	if again := viewOf(t, r); !reflect.DeepEqual(again.Memos, w.Memos) || !reflect.DeepEqual(again.DocAttrs, w.DocAttrs) {
		t.Errorf("a second round trip changed the memos or attributes:\n%q\n%q", again.Memos, w.Memos)
	}
}

// TestImportUndo checks undo after an exchange import: one that adds
// documents is not undoable (and keeps no journal; the documents are taken
// out with 'tacit docs rm'), one that only adds codings to documents the
// project has is undone whole.
func TestImportUndo(t *testing.T) {
	ctx := context.Background()
	src := `<TextSource guid="` + gS + `" name="talk" plainTextPath="internal://` + gS + `.txt">
   <PlainTextSelection guid="44444444-0000-0000-0000-000000000001" name="first line" startPosition="5" endPosition="15">
     <Coding guid="55555555-5555-5555-5555-555555555555"><CodeRef targetGUID="` + gA + `"/></Coding></PlainTextSelection>
 </TextSource>`
	text := "Ana: first line\nBen: second line\n"
	coded := qdpx(t, "project.qde", qde(src), "sources/"+gS+".txt", text)
	bare := qdpx(t, "project.qde", qde(`<TextSource guid="`+gS+`" name="talk" plainTextPath="internal://`+gS+`.txt"/>`), "sources/"+gS+".txt", text)

	p := newProject(t)
	if _, err := importFile(t, p, coded, "a.qdpx", ImportExchangeRequest{}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Undo(ctx, UndoRequest{}); err == nil || !strings.Contains(err.Error(), "cannot be undone") {
		t.Errorf("undo of an import with documents: %v", err)
	}

	q := newProject(t)
	if _, err := importFile(t, q, bare, "bare.qdpx", ImportExchangeRequest{}); err != nil {
		t.Fatal(err)
	}
	before := viewOf(t, q)
	rep, err := importFile(t, q, coded, "a.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Documents != 0 || rep.Imported.DocumentsMatched != 1 || rep.Imported.Codings != 1 {
		t.Fatalf("second import %+v", rep.Imported)
	}
	if _, err := q.Undo(ctx, UndoRequest{}); err != nil {
		t.Fatalf("undo of an import of codings: %v", err)
	}
	after := viewOf(t, q)
	if len(after.Codings) != 0 || strings.Join(after.Codes, ",") != strings.Join(before.Codes, ",") {
		t.Errorf("after undo: codings %q, codes %q (before: %q)", after.Codings, after.Codes, before.Codes)
	}
}
