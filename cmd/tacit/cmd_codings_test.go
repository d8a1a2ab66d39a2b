package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/project"
)

// BenchmarkCodingsCommand runs 'tacit codings --code "Code 042" --exact
// --json' in process against a generated project (see store's
// TestGenerateProject):
//
//	TACIT_GEN_PROJECT=/tmp/big go test ./store -run TestGenerateProject
//	TACIT_BENCH_PROJECT=/tmp/big go test ./cmd/tacit -run X -bench Codings
//
// or against the project of 'go run ./cmd/tacit-bench -keep' (TMP/project) with
// TACIT_BENCH_CODE="Empowerment/facet 1".
func BenchmarkCodingsCommand(b *testing.B) {
	dir := os.Getenv("TACIT_BENCH_PROJECT")
	if dir == "" {
		b.Skip("set TACIT_BENCH_PROJECT to a generated project")
	}
	code := os.Getenv("TACIT_BENCH_CODE") // for a project of tacit-bench -keep
	if code == "" {
		code = "Code 042"
	}
	for i := 0; i < b.N; i++ {
		var out, errb bytes.Buffer
		if code := run([]string{"-p", dir, "codings", "--code", code, "--exact", "--json"}, &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

// BenchmarkTagCommand runs 'tacit tag' in process on a generated project.
func BenchmarkTagCommand(b *testing.B) {
	dir := os.Getenv("TACIT_BENCH_PROJECT")
	if dir == "" {
		b.Skip("set TACIT_BENCH_PROJECT to a generated project")
	}
	for i := 0; i < b.N; i++ {
		var out, errb bytes.Buffer
		if code := run([]string{"-p", dir, "--coder", "bench", "tag", "doc-0300", "Code 042", "--range", "10:" + itoa(20+i%500)}, &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

func itoa(i int) string {
	var buf [20]byte
	n := len(buf)
	for {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			break
		}
	}
	return string(buf[n:])
}

// encodingJSON is what 'tacit codings --json' printed through
// encoding/json before writeCodingsJSON replaced it.
func encodingJSON(t testing.TB, v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestCodingsJSONMatchesEncodingJSON(t *testing.T) {
	tricky := []string{"", "plain", `quote " and \ back`, "tab\tnew\nline\r\b\f\x00\x1f\x7f", "<html> & 'x'",
		"עברית ✓ 😀", "bad \xff utf8 \xe2\x82", "line\u2028para\u2029", "\u00e9\u0301"}
	for _, rows := range [][]project.CodingRecord{nil, {}, {{ID: 1, Doc: 2, DocName: "d", Code: "A/B", Coder: "dana", Start: 0, End: 5,
		Text: "hello", Origin: "manual", CreatedAt: time.Date(2024, 3, 1, 9, 0, 0, 120000000, time.UTC)}}} {
		var got bytes.Buffer
		if err := writeCodingsJSON(&got, rows); err != nil {
			t.Fatal(err)
		}
		if want := encodingJSON(t, nonNil(rows)); got.String() != want {
			t.Errorf("got\n%s\nwant\n%s", got.String(), want)
		}
	}
	var rows []project.CodingRecord
	for i, s := range tricky {
		rows = append(rows, project.CodingRecord{ID: uint64(i) << 40, Doc: uint64(i), DocName: s, Case: s, Code: s, Coder: s, Start: i, End: -i,
			Text: s, Speaker: s, Role: s, Memo: s, Origin: s, CreatedAt: time.Date(1999, 1, 2, 3, 4, 5, i, time.FixedZone("x", 3600*i))})
	}
	var got bytes.Buffer
	if err := writeCodingsJSON(&got, rows); err != nil {
		t.Fatal(err)
	}
	if want := encodingJSON(t, rows); got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got.String(), want)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\x1f\u2028", "\xff\xe2\x82", "שלום <&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.TrimSuffix(encodingJSON(t, s), "\n")
		if got := string(appendJSONString(nil, s)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}
