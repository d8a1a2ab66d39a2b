package jsonx

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func want(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain ASCII text longer than eight", "tab\there \"q\" \\ <b>&</b>",
		"\u2028\u2029 x", "\x01\x1f\x7f", "bad:\xff\xfe end", "שרה דיברה איתי בכבוד", "emoji 😀 é", "12345678\"12345678",
		"\xc2\x80\xdf\xbf é ß ש ع", "\xc1\xbf overlong", "cut \xc2", "\xc2A \xdf\xc0 \xe0\x80"} {
		if got := string(AppendString(nil, s)); got != want(t, s) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want(t, s))
		}
	}
}

// FuzzAppendString holds AppendString to encoding/json on any bytes.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\x1f\u2028", "\xff\xe2\x82", "שלום <&>", "12345678\\12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := string(AppendString([]byte("x"), s)); got != "x"+want(t, s) {
			t.Errorf("AppendString(%q) = %s, want x%s", s, got, want(t, s))
		}
	})
}

// BenchmarkAppendString writes quotes of English, of Hebrew and of both.
func BenchmarkAppendString(b *testing.B) {
	for _, tc := range []struct{ name, s string }{
		{"ascii", strings.Repeat("the family and the crisis, respect ", 8)},
		{"hebrew", strings.Repeat("שרה דיברה איתי בכבוד על המשפחה ", 8)},
		{"mixed", strings.Repeat("respect כבוד family משפחה and ", 8)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.s)))
			buf := make([]byte, 0, 4096)
			for b.Loop() {
				buf = AppendString(buf[:0], tc.s)
			}
		})
	}
}
