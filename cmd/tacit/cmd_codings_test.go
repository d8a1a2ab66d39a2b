package main

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkCodingsCommand runs 'tacit codings --code "Code 042" --exact
// --json' in process against a generated project (see store's
// TestGenerateProject):
//
//	TACIT_GEN_PROJECT=/tmp/big go test ./store -run TestGenerateProject
//	TACIT_BENCH_PROJECT=/tmp/big go test ./cmd/tacit -run X -bench Codings
func BenchmarkCodingsCommand(b *testing.B) {
	dir := os.Getenv("TACIT_BENCH_PROJECT")
	if dir == "" {
		b.Skip("set TACIT_BENCH_PROJECT to a generated project")
	}
	for i := 0; i < b.N; i++ {
		var out, errb bytes.Buffer
		if code := run([]string{"-p", dir, "codings", "--code", "Code 042", "--exact", "--json"}, &out, &errb); code != 0 {
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
