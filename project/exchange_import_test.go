package project

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/store"
)

// view is a project reduced to what an exchange must carry, keyed by names
// so that two projects can be compared.
type view struct {
	Docs     map[string]string            // name -> text
	DocAttrs map[string]map[string]string // name -> attributes
	DocCase  map[string]string            // name -> case
	Codes    []string                     // path|guid|colour|description
	Codings  []string                     // doc|code|coder|start|end|text|memo
	Cases    map[string]map[string]string // name -> attributes
	Memos    []string                     // kind|target|text
}

func viewOf(t *testing.T, p *Project) view {
	t.Helper()
	v := view{Docs: map[string]string{}, DocAttrs: map[string]map[string]string{}, DocCase: map[string]string{}, Cases: map[string]map[string]string{}}
	err := p.Store.View(func(tx *store.Tx) error {
		docs, err := tx.Documents(false)
		if err != nil {
			return err
		}
		names := map[uint64]string{}
		cases, err := tx.Cases()
		if err != nil {
			return err
		}
		caseNames := map[uint64]string{}
		for _, c := range cases {
			caseNames[c.ID] = c.Name
			a := c.Attrs
			if a == nil {
				a = map[string]string{}
			}
			v.Cases[c.Name] = a
		}
		for _, d := range docs {
			names[d.ID] = d.Name
			text, err := tx.Text(d.ID)
			if err != nil {
				return err
			}
			v.Docs[d.Name] = text
			a := d.Attrs
			if a == nil {
				a = map[string]string{}
			}
			v.DocAttrs[d.Name] = a
			v.DocCase[d.Name] = caseNames[d.CaseID]
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		cb.Walk(func(c *coding.Code, _ int) {
			v.Codes = append(v.Codes, strings.Join([]string{cb.Path(c.ID), strings.ToLower(c.GUID), c.Color, c.Description}, "|"))
		})
		codingName := map[uint64]string{}
		err = tx.Codings(func(c *coding.Coding) error {
			text, err := tx.TextSlice(c.DocID, c.Start, c.End)
			if err != nil {
				return err
			}
			s := fmt.Sprintf("%s|%s|%s|%d|%d|%s|%s", names[c.DocID], cb.Path(c.CodeID), c.Coder, c.Start, c.End, text, c.Memo)
			codingName[c.ID] = s
			v.Codings = append(v.Codings, s)
			return nil
		})
		if err != nil {
			return err
		}
		memos, err := tx.Memos("", 0)
		if err != nil {
			return err
		}
		for _, m := range memos {
			target := ""
			switch m.Target {
			case coding.MemoDoc:
				target = names[m.TargetID]
			case coding.MemoCase:
				target = caseNames[m.TargetID]
			case coding.MemoCode:
				target = cb.Path(m.TargetID)
			case coding.MemoCoding:
				target = codingName[m.TargetID]
			}
			v.Memos = append(v.Memos, m.Target+"|"+target+"|"+m.Text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(v.Codes)
	sort.Strings(v.Codings)
	sort.Strings(v.Memos)
	return v
}

var roundTripTexts = []string{
	"Interviewer: How did it start?\nDana: ‏שלום, קראו לי מר לוי. זה היה הכבוד הראשון.\nInterviewer: And then?\nDana: המשבר היה נקודת מפנה.\n",
	"Interviewer: What helped?\nSara: كان العامل الاجتماعي يحترمني دائما. العائلة كلها كانت جزءا من الخطة.\n",
	"Interviewer: Emoji? 😀\nNoa: Yes 👍🏽 we laughed 😂 a lot, and then 🎉 the party.\nInterviewer: 🙏 thanks\n",
	"Interviewer: Line endings\r\nOmar: one line\r\nsecond line with café and naïve\r\nInterviewer: ok\r\n",
	"Interviewer: Mixed\nLi: English, עברית, العربية and 中文 together 🌍.\n",
}

// buildRandomProject makes a project from the texts above with random
// codes, codings by two coders, cases, attributes and memos on every kind
// of target.
func buildRandomProject(t *testing.T, seed uint64) *Project {
	t.Helper()
	p := newProject(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	src := t.TempDir()
	ctx := context.Background()
	for i, text := range roundTripTexts {
		f := write(t, src, fmt.Sprintf("doc%d-%d.txt", seed, i), text)
		opt := ImportOptions{Attrs: map[string]string{"role": []string{"client", "staff"}[rng.IntN(2)], "wave": fmt.Sprint(rng.IntN(3))}}
		if rng.IntN(3) > 0 {
			opt.Case = fmt.Sprintf("Story %d", rng.IntN(3))
		}
		if _, err := p.Import(ctx, []string{f}, opt, nil); err != nil {
			t.Fatal(err)
		}
	}
	paths := []string{"Principles/Respect", "Principles/Family", "Principles/Crisis as a lever", "Context", "Tone/Humour 😀"}
	colors := []string{"#2a9d8f", "", "#e76f51", "#264653", ""}
	err := p.Store.Update(func(tx *store.Tx) error {
		for i, path := range paths {
			if _, _, err := tx.AddCode("tester", path, fmt.Sprintf("desc %d: כבוד", i), colors[i]); err != nil {
				return err
			}
		}
		cb, err := tx.Codes()
		if err != nil {
			return err
		}
		docs, err := tx.Documents(true)
		if err != nil {
			return err
		}
		cases, err := tx.Cases()
		if err != nil {
			return err
		}
		for _, c := range cases {
			if c.Attrs == nil {
				c.Attrs = map[string]string{}
			}
			c.Attrs["site"] = "north"
			if err := tx.PutCase(c); err != nil {
				return err
			}
		}
		for _, d := range docs {
			for k := 0; k < 4; k++ {
				s := rng.IntN(d.Chars - 1)
				e := s + 1 + rng.IntN(min(40, d.Chars-s))
				code := cb.ByPath(paths[rng.IntN(len(paths))])
				coder := []string{"dana", "yossi"}[rng.IntN(2)]
				if _, _, err := tx.Tag(coder, store.TagRequest{Doc: d, CodeIDs: []uint64{code.ID}, Spans: []coding.Span{{Start: s, End: e}}, Memo: []string{"", "a coding memo"}[rng.IntN(2)]}); err != nil {
					return err
				}
			}
		}
		var some coding.Coding
		if err := tx.Codings(func(c *coding.Coding) error { some = *c; return nil }); err != nil {
			return err
		}
		memos := []*coding.Memo{
			{Target: coding.MemoProject, Title: "Project", Text: "the whole study"},
			{Target: coding.MemoDoc, TargetID: docs[0].ID, Title: "Doc", Text: "about the first interview, שלום"},
			{Target: coding.MemoCode, TargetID: cb.ByPath(paths[0]).ID, Text: "what respect means"},
			{Target: coding.MemoCoding, TargetID: some.ID, Text: "why this passage"},
		}
		if len(cases) > 0 {
			memos = append(memos, &coding.Memo{Target: coding.MemoCase, TargetID: cases[0].ID, Text: "the story in short"})
		}
		for _, m := range memos {
			if err := tx.AddMemo("dana", m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func importFile(t *testing.T, p *Project, data []byte, name string, req ImportExchangeRequest) (*ImportReport, error) {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	req.File = f
	return p.ImportExchange(context.Background(), req)
}

// TestRoundTripProperty exports generated projects (Hebrew, Arabic, emoji,
// CRLF sources) as .qdpx (both position units) and as JSON, imports each
// into an empty project, and compares everything an exchange must carry.
func TestRoundTripProperty(t *testing.T) {
	ctx := context.Background()
	for seed := uint64(1); seed <= 4; seed++ {
		p := buildRandomProject(t, seed)
		want := viewOf(t, p)
		for _, tc := range []struct {
			name string
			ext  string
			exp  func(w *bytes.Buffer) error
		}{
			{"qdpx-chars", ".qdpx", func(w *bytes.Buffer) error { _, err := p.ExportQDPX(ctx, ExportQDPXRequest{}, w); return err }},
			{"qdpx-utf16", ".qdpx", func(w *bytes.Buffer) error {
				_, err := p.ExportQDPX(ctx, ExportQDPXRequest{UTF16: true}, w)
				return err
			}},
			{"json", ".json", func(w *bytes.Buffer) error { _, err := p.ExportProject(ctx, w); return err }},
		} {
			t.Run(fmt.Sprintf("seed%d/%s", seed, tc.name), func(t *testing.T) {
				var buf bytes.Buffer
				if err := tc.exp(&buf); err != nil {
					t.Fatal(err)
				}
				q := newProject(t)
				req := ImportExchangeRequest{}
				if tc.name == "qdpx-utf16" {
					req.Positions = "utf16"
				}
				rep, err := importFile(t, q, buf.Bytes(), "x"+tc.ext, req)
				if err != nil {
					t.Fatal(err)
				}
				if len(rep.Conflicts) > 0 {
					t.Errorf("conflicts on an empty project: %v", rep.Conflicts)
				}
				got := viewOf(t, q)
				compareViews(t, want, got)
				if probs := checkProblems(t, q); len(probs) > 0 {
					t.Errorf("check after import: %v", probs)
				}
			})
		}
	}
}

func checkProblems(t *testing.T, p *Project) []string {
	t.Helper()
	rep, err := p.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep.Problems
}

func compareViews(t *testing.T, want, got view) {
	t.Helper()
	if !reflect.DeepEqual(want.Docs, got.Docs) {
		t.Errorf("documents differ:\nwant %q\ngot  %q", want.Docs, got.Docs)
	}
	if !reflect.DeepEqual(want.DocAttrs, got.DocAttrs) {
		t.Errorf("document attributes differ:\nwant %v\ngot  %v", want.DocAttrs, got.DocAttrs)
	}
	if !reflect.DeepEqual(want.DocCase, got.DocCase) {
		t.Errorf("cases of documents differ:\nwant %v\ngot  %v", want.DocCase, got.DocCase)
	}
	if !reflect.DeepEqual(want.Cases, got.Cases) {
		t.Errorf("cases differ:\nwant %v\ngot  %v", want.Cases, got.Cases)
	}
	if !reflect.DeepEqual(want.Codes, got.Codes) {
		t.Errorf("codebooks differ:\nwant %q\ngot  %q", want.Codes, got.Codes)
	}
	if !reflect.DeepEqual(want.Codings, got.Codings) {
		t.Errorf("codings differ:\nwant %q\ngot  %q", want.Codings, got.Codings)
	}
	if !reflect.DeepEqual(want.Memos, got.Memos) {
		t.Errorf("memos differ:\nwant %q\ngot  %q", want.Memos, got.Memos)
	}
}

// TestImportDryRunWritesNothing checks that --dry-run gives the report of
// a real import and leaves the project as it was.
func TestImportDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	p := buildRandomProject(t, 9)
	var buf bytes.Buffer
	if _, err := p.ExportQDPX(ctx, ExportQDPXRequest{}, &buf); err != nil {
		t.Fatal(err)
	}
	q := newProject(t)
	var rev uint64
	q.Store.View(func(tx *store.Tx) error { rev = tx.Revision(); return nil })
	dry, err := importFile(t, q, buf.Bytes(), "x.qdpx", ImportExchangeRequest{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	var rev2 uint64
	q.Store.View(func(tx *store.Tx) error { rev2 = tx.Revision(); return nil })
	if rev2 != rev {
		t.Errorf("a dry run changed the store revision from %d to %d", rev, rev2)
	}
	if !dry.DryRun || dry.Imported.Documents != len(roundTripTexts) || dry.Imported.Codings == 0 {
		t.Errorf("dry-run report %+v", dry.Imported)
	}
	real, err := importFile(t, q, buf.Bytes(), "x.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if real.Imported != dry.Imported {
		t.Errorf("the dry run said %+v, the import did %+v", dry.Imported, real.Imported)
	}
	// Importing again adds nothing: documents by content, codes by GUID,
	// codings de-duplicated.
	again, err := importFile(t, q, buf.Bytes(), "x.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	i := again.Imported
	if i.Documents != 0 || i.Codes != 0 || i.Codings != 0 || i.Memos == 0 && false || i.DocumentsMatched != len(roundTripTexts) || i.CodingsDuplicate != real.Imported.Codings {
		t.Errorf("second import %+v", i)
	}
}

// qdpx builds an archive from name/content pairs.
func qdpx(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	gA = "11111111-1111-1111-1111-111111111111"
	gB = "22222222-2222-2222-2222-222222222222"
	gS = "33333333-3333-3333-3333-333333333333"
)

func qde(sources string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:4" name="p" origin="Hand">
 <Users><User guid="{AAAAAAAA-1111-1111-1111-111111111111}" name="Ana"/></Users>
 <CodeBook><Codes><Code guid="{` + strings.ToUpper(gA) + `}" name="Respect" isCodable="1" color="#F00"><Code guid="` + gB + `" name="Deep" isCodable="true"/></Code></Codes></CodeBook>
 <Sources>` + sources + `</Sources>
</Project>`
}

// TestImportQuirks covers what real files do: namespace variants, braced
// upper-case GUIDs, a BOM and CRLF, Sources/ in upper case, a plain path, a
// selection outside its text, a CodeRef to nowhere, a missing source file.
func TestImportQuirks(t *testing.T) {
	text := "\ufeffAna: first line\r\nBen: second 😀 line\r\n"
	src := `<TextSource guid="` + gS + `" name="talk" plainTextPath="internal://` + strings.ToUpper(gS) + `.txt">
   <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" name="first line" startPosition="5" endPosition="15" creatingUser="AAAAAAAA-1111-1111-1111-111111111111">
     <Coding guid="55555555-5555-5555-5555-555555555555" creatingUser="aaaaaaaa-1111-1111-1111-111111111111"><CodeRef targetGUID="` + gB + `"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="66666666-6666-6666-6666-666666666666" startPosition="22" endPosition="35">
     <Coding guid="77777777-7777-7777-7777-777777777777"><CodeRef targetGUID="{` + strings.ToUpper(gA) + `}"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="88888888-8888-8888-8888-888888888888" startPosition="0" endPosition="999">
     <Coding guid="99999999-9999-9999-9999-999999999999"><CodeRef targetGUID="` + gA + `"/></Coding></PlainTextSelection>
   <PlainTextSelection guid="aaaaaaaa-9999-9999-9999-999999999999" startPosition="0" endPosition="3">
     <Coding guid="bbbbbbbb-9999-9999-9999-999999999999"><CodeRef targetGUID="cccccccc-0000-0000-0000-000000000000"/></Coding></PlainTextSelection>
 </TextSource>
 <TextSource guid="dddddddd-0000-0000-0000-000000000000" name="gone" plainTextPath="internal://dddddddd-0000-0000-0000-000000000000.txt"/>
 <TextSource guid="eeeeeeee-0000-0000-0000-000000000000" plainTextPath="plain.txt"/>
 <AudioSource guid="ffffffff-0000-0000-0000-000000000000" name="tape" path="relative:///tape.m4a"/>`
	data := qdpx(t, "Project.QDE", qde(src), "Sources/"+strings.ToUpper(gS)+".txt", text, "sources/plain.txt", "Plain text file.\n")
	p := newProject(t)
	rep, err := importFile(t, p, data, "partner.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Documents != 2 || rep.Imported.Codes != 2 || rep.Imported.Codings != 2 || rep.Imported.CodingsNotPlaced != 2 {
		t.Errorf("imported %+v", rep.Imported)
	}
	reasons := fmt.Sprint(rep.NotImported)
	for _, want := range []string{"outside the text", "cccccccc-0000-0000-0000-000000000000 is not in the codebook", "not in the archive", "audio source"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("the report does not say %q: %s", want, reasons)
		}
	}
	v := viewOf(t, p)
	if v.Docs["talk"] != "Ana: first line\nBen: second 😀 line\n" || v.Docs["plain"] != "Plain text file.\n" {
		t.Errorf("documents %q", v.Docs)
	}
	want := []string{
		"talk|Respect/Deep|Ana|5|15|first line|",
		"talk|Respect|Ana|21|34|second 😀 line|",
	}
	// The second selection has no creating user: the importing actor.
	want[1] = "talk|Respect|tester|21|34|second 😀 line|"
	sort.Strings(want)
	if !reflect.DeepEqual(v.Codings, want) {
		t.Errorf("codings\n got %q\nwant %q", v.Codings, want)
	}
	if len(v.Codes) != 2 || v.Codes[1] != "Respect|"+gA+"|#ff0000|" {
		t.Errorf("codes %q", v.Codes)
	}
}

// TestImportRefusesBadArchives checks the safety limits: zip slip, no
// .qde, a DOCTYPE (external entities), a zip bomb.
func TestImportRefusesBadArchives(t *testing.T) {
	p := newProject(t)
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"slip", qdpx(t, "project.qde", qde(""), "../evil.txt", "x"), "outside the archive"},
		{"noqde", qdpx(t, "sources/a.txt", "x"), "no project.qde"},
		{"xxe", qdpx(t, "project.qde", `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project name="x">&x;</Project>`), "DOCTYPE"},
		{"notzip", []byte("hello"), "not a ZIP"},
		{"badxml", qdpx(t, "project.qde", "<Project"), "not readable XML"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := importFile(t, p, tc.data, "x.qdpx", ImportExchangeRequest{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	t.Run("bomb", func(t *testing.T) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("project.qde")
		w.Write([]byte(qde("")))
		w, _ = zw.Create("sources/big.txt")
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		for i := 0; i < 600; i++ { // 600 MB of "a", a few hundred KB compressed
			w.Write(chunk)
		}
		zw.Close()
		_, err := importFile(t, p, buf.Bytes(), "bomb.qdpx", ImportExchangeRequest{})
		if err == nil || !strings.Contains(err.Error(), "more than") {
			t.Errorf("error %v, want a size limit", err)
		}
	})
	var rev uint64
	p.Store.View(func(tx *store.Tx) error { rev = tx.Revision(); return nil })
	if rev != 0 {
		t.Errorf("refused imports changed the project (revision %d)", rev)
	}
}

// TestImportConflictsAreReported imports a codebook whose colour and
// description differ from the project's: reported, not overwritten.
func TestImportConflictsAreReported(t *testing.T) {
	p := newProject(t)
	if err := p.Store.Update(func(tx *store.Tx) error {
		_, _, err := tx.AddCode("tester", "Respect", "ours", "#00ff00")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	qdeText := strings.Replace(qde(""), "<Sources></Sources>", "", 1)
	qdeText = strings.Replace(qdeText, `<Code guid="`+gB+`" name="Deep" isCodable="true"/>`, `<Description>theirs</Description>`, 1)
	rep, err := importFile(t, p, qdpx(t, "project.qde", qdeText), "x.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Conflicts) != 2 {
		t.Errorf("conflicts %q", rep.Conflicts)
	}
	v := viewOf(t, p)
	if len(v.Codes) != 1 || !strings.HasSuffix(v.Codes[0], "|#00ff00|ours") {
		t.Errorf("codes %q", v.Codes)
	}
}

func TestImportErrorWritesNothing(t *testing.T) {
	p := newProject(t)
	// A JSON project file whose turns lie outside the text is refused
	// before anything is written.
	bad := `{"format":"tacit-project","version":1,"documents":[{"id":1,"name":"a","text":"hi","turns":[{"index":0,"start":0,"end":99}]}],"cases":[],"codes":[],"codings":[],"memos":[],"roles":{},"events":[]}`
	_, err := importFile(t, p, []byte(bad), "bad.json", ImportExchangeRequest{})
	if err == nil || coding.ErrorKind(err) != coding.EInvalid {
		t.Fatalf("error %v", err)
	}
	if !errors.Is(err, err) {
		t.Fatal()
	}
	var rev uint64
	p.Store.View(func(tx *store.Tx) error { rev = tx.Revision(); return nil })
	if rev != 0 {
		t.Errorf("a refused import changed the project")
	}
}

// TestImportDOCXOnlySource: a text source with only a DOCX (no plain
// text) is imported from the DOCX, with a warning that its selections may
// be off; the selection here falls on the same words.
func TestImportDOCXOnlySource(t *testing.T) {
	var docx bytes.Buffer
	zw := zip.NewWriter(&docx)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Ana: hello there</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	src := `<TextSource guid="` + gS + `" name="docx only" richTextPath="internal://` + gS + `.docx">
   <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" name="hello" startPosition="5" endPosition="10">
     <Coding guid="55555555-5555-5555-5555-555555555555"><CodeRef targetGUID="` + gA + `"/></Coding></PlainTextSelection></TextSource>`
	p := newProject(t)
	rep, err := importFile(t, p, qdpx(t, "project.qde", qde(src), "sources/"+gS+".docx", docx.String()), "d.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Documents != 1 || rep.Imported.Codings != 1 || !strings.Contains(fmt.Sprint(rep.Warnings), "taken from the DOCX") {
		t.Errorf("report %+v %q", rep.Imported, rep.Warnings)
	}
	v := viewOf(t, p)
	if len(v.Codings) != 1 || !strings.Contains(v.Codings[0], "|hello|") {
		t.Errorf("codings %q (text %q)", v.Codings, v.Docs)
	}
}

// TestImportFailureLeavesIndexClean: a .qdpx import writes each document's
// turns to the search index while it reads the file; when the transaction
// then fails, the store is as it was and so is the index (no turns of
// documents the store does not hold, its revision the store's), with no
// rebuild; the same import then succeeds and leaves both complete.
func TestImportFailureLeavesIndexClean(t *testing.T) {
	ctx := context.Background()
	p := buildRandomProject(t, 5)
	var buf bytes.Buffer
	if _, err := p.ExportQDPX(ctx, ExportQDPXRequest{}, &buf); err != nil {
		t.Fatal(err)
	}
	q := newProject(t)
	src := t.TempDir()
	if _, err := q.Import(ctx, []string{write(t, src, "other.txt", "Interviewer: Hello?\nAna: Something else entirely, zebras.\n")}, ImportOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	var rev uint64
	q.Store.View(func(tx *store.Tx) error { rev = tx.Revision(); return nil })
	boom := errors.New("disk gone")
	exchangeFault = func(docs int) error {
		if docs == 3 {
			return boom
		}
		return nil
	}
	_, err := importFile(t, q, buf.Bytes(), "x.qdpx", ImportExchangeRequest{})
	exchangeFault = nil
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want the fault", err)
	}
	var rev2 uint64
	q.Store.View(func(tx *store.Tx) error { rev2 = tx.Revision(); return nil })
	if rev2 != rev {
		t.Fatalf("a failed import changed the store revision from %d to %d", rev, rev2)
	}
	if probs := checkProblems(t, q); len(probs) > 0 {
		t.Fatalf("check after a failed import: %v", probs)
	}
	rebuilt := false
	q.OnRebuild = func() { rebuilt = true }
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	q2, err := Open(q.Root, Options{Actor: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	q2.OnRebuild = func() { rebuilt = true }
	res, err := q2.Search(ctx, SearchRequest{Query: "laughed"})
	if err != nil {
		t.Fatal(err)
	}
	if rebuilt || res.Total != 0 {
		t.Fatalf("after the failed import: rebuilt %v, %d hits of a word only the file has", rebuilt, res.Total)
	}
	rep, err := importFile(t, q2, buf.Bytes(), "x.qdpx", ImportExchangeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported.Documents != len(roundTripTexts) {
		t.Fatalf("imported %+v", rep.Imported)
	}
	if probs := checkProblems(t, q2); len(probs) > 0 {
		t.Fatalf("check after the import: %v", probs)
	}
	if res, err = q2.Search(ctx, SearchRequest{Query: "laughed"}); err != nil || res.Total == 0 || rebuilt {
		t.Fatalf("after the import: %v, %d hits, rebuilt %v", err, res.Total, rebuilt)
	}
}
