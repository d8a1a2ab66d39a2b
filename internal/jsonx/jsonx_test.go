package jsonx

import (
	"bytes"
	"encoding/json"
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
		"\u2028\u2029 x", "\x01\x1f\x7f", "bad:\xff\xfe end", "שרה דיברה איתי בכבוד", "emoji 😀 é", "12345678\"12345678"} {
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
