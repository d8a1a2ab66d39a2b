package transcript

import (
	"encoding/binary"
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestDecodeUTF16 decodes random code units (paired and unpaired
// surrogates among them) in both byte orders as utf16.Decode does.
func TestDecodeUTF16(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pick := []uint16{'a', ' ', 0x05D0, 0x0627, 0xFFFD, 0xD83D, 0xDE00, 0xDBFF, 0xDC00, 0xD800, 0xDFFF, 0xE000}
	for trial := 0; trial < 2000; trial++ {
		u := make([]uint16, rng.Intn(12))
		for i := range u {
			u[i] = pick[rng.Intn(len(pick))]
		}
		want := string(utf16.Decode(u))
		wantReplaced := strings.Count(want, "\uFFFD") > countFFFD(u)
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			body := make([]byte, 2*len(u))
			for i, c := range u {
				order.PutUint16(body[2*i:], c)
			}
			got, replaced := decodeUTF16(body, order)
			if got != want || replaced != wantReplaced {
				t.Fatalf("%s %04x: got %q %v, want %q %v", order, u, got, replaced, want, wantReplaced)
			}
		}
	}
}

func countFFFD(u []uint16) int {
	n := 0
	for _, c := range u {
		if c == 0xFFFD {
			n++
		}
	}
	return n
}

// TestDecodeUTF16Memory: decoding a UTF-16 file allocates about the size
// of its text once, not slices of units and runes besides (3.75 times the
// file in all before: a 100 MB file peaked at 682 MB during import).
func TestDecodeUTF16Memory(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a 16 MB file (skipped with -short)")
	}
	var b strings.Builder
	for i := 0; b.Len() < 8<<20; i++ {
		b.WriteString([]string{"hello ", "שלום ", "مرحبا ", "😀 "}[i%4])
	}
	u := utf16.Encode([]rune(b.String()))
	data := make([]byte, 2+2*len(u))
	data[0], data[1] = 0xFF, 0xFE
	for i, c := range u {
		binary.LittleEndian.PutUint16(data[2+2*i:], c)
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, enc, _, err := decode("big.txt", data, "")
	runtime.ReadMemStats(&after)
	if err != nil || enc != "utf-16le" || len(s) != b.Len() {
		t.Fatalf("decode: %v %q, %d bytes of text, want %d", err, enc, len(s), b.Len())
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("decoding %d bytes of UTF-16 allocated %d bytes (text %d)", len(data), alloc, len(s))
	if limit := uint64(len(data)) * 3 / 2; alloc > limit {
		t.Errorf("decoding %d bytes of UTF-16 allocated %d bytes, more than %d", len(data), alloc, limit)
	}
}
