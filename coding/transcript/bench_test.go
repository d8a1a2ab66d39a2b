package transcript

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

var words = strings.Fields(`so I think the first time we came to the centre was after the move and honestly
we did not know anyone there yes the worker was kind she listened and then she asked about
the children the school the rent and what we needed next week not only today`)

// genTranscript builds an interview of about n words in "Name: text"
// paragraphs with occasional stamps, accents and prose colons.
func genTranscript(n int) string {
	rng := rand.New(rand.NewSource(42))
	var b strings.Builder
	b.WriteString("Interview 12 – family support\n\n")
	speakers := []string{"Interviewer", "Dana Levi"}
	count, turn := 0, 0
	for count < n {
		fmt.Fprintf(&b, "%s: ", speakers[turn%2])
		if turn%5 == 0 {
			fmt.Fprintf(&b, "[%02d:%02d:%02d] ", turn/60, turn%60, (turn*7)%60)
		}
		m := 20 + rng.Intn(80)
		for i := 0; i < m; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			w := words[rng.Intn(len(words))]
			if rng.Intn(40) == 0 {
				w = "café"
			}
			b.WriteString(w)
			if rng.Intn(12) == 0 {
				b.WriteByte('.')
			}
		}
		b.WriteString(".\n\n")
		if turn%7 == 3 {
			b.WriteString("Note: she paused here for a while.\n\n")
		}
		count += m
		turn++
	}
	return b.String()
}

// BenchmarkParseText parses a generated 8,000-word transcript (~50 KB).
func BenchmarkParseText(b *testing.B) {
	data := []byte(genTranscript(8000))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.txt", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseVTT parses the same speech as WebVTT cues.
func BenchmarkParseVTT(b *testing.B) {
	r, err := Parse("bench.txt", []byte(genTranscript(8000)), Options{})
	if err != nil {
		b.Fatal(err)
	}
	var v strings.Builder
	v.WriteString("WEBVTT\n\n")
	o := coding.NewOffsets(r.Text)
	for i, t := range r.Turns {
		fmt.Fprintf(&v, "%d\n00:%02d:%02d.000 --> 00:%02d:%02d.500\n<v %s>%s</v>\n\n", i+1, (i/60)%60, i%60, (i/60)%60, i%60, t.Speaker, o.Slice(t.Start, t.End))
	}
	data := []byte(v.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.vtt", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGeneratedTranscript checks the benchmark input parses as intended
// and that parsing time grows linearly (ratio of 4x input, measured in one
// run, loose bound; no absolute times).
func TestGeneratedTranscript(t *testing.T) {
	text := genTranscript(8000)
	if len(text) < 40_000 || len(text) > 70_000 {
		t.Fatalf("generated %d bytes", len(text))
	}
	r, err := Parse("bench.txt", []byte(text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := checkResult(r); err != nil {
		t.Fatal(err)
	}
	sc := speakerCounts(r)
	if len(sc) != 2 || sc["Interviewer"] == 0 || sc["Dana Levi"] == 0 {
		t.Fatalf("speakers %v", sc)
	}
	if !spoken(r)[0].HasTime {
		t.Error("first turn lost its [hh:mm:ss] stamp")
	}
	small := testing.Benchmark(func(b *testing.B) {
		d := []byte(genTranscript(4000))
		for b.Loop() {
			Parse("a.txt", d, Options{})
		}
	})
	big := testing.Benchmark(func(b *testing.B) {
		d := []byte(genTranscript(16000))
		for b.Loop() {
			Parse("a.txt", d, Options{})
		}
	})
	if small.NsPerOp() > 0 {
		ratio := float64(big.NsPerOp()) / float64(small.NsPerOp())
		t.Logf("4x input took %.1fx time (%v vs %v per parse)", ratio, big.NsPerOp(), small.NsPerOp())
		if ratio > 12 {
			t.Errorf("parsing looks super-linear: 4x input took %.1fx time", ratio)
		}
	}
}
