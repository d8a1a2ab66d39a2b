// Package corpusgen generates reproducible synthetic interview corpora for
// benchmarks: plain-text transcripts with "Name: text" turns, words drawn
// from a Zipf distribution over an English-like vocabulary, with theme words
// ("crisis", "family", "turning point", ...) sprinkled at known rates.
package corpusgen

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

var base = strings.Fields(`the and to of a I in was it that my he she we they me you
her him for on with at but so not had have be is were this what when there about just
then because like know very all one would could from out up time people work home day
said think really told going come back life years help job mother father children son
daughter family plan crisis respect treatment worker social group meeting money house
school police court hospital doctor drugs alcohol gambling debt prison friend trust
change hope fear angry shame proud dignity listened called talk together partners
program center office city service services support first again never always nothing
everything something someone everyone wanted needed started stopped tried felt saw
went came took gave made found kept left moved lost paid asked answered decided
understood believed remember week month morning night year turning point lever
whole personal relationship therapeutic meaningful systemic welfare probation employment
coordinator addiction recovery rehabilitation career training course certificate
manager interview apartment rent neighbor brother sister husband wife kids baby`)

// Interview is one generated transcript.
type Interview struct {
	Name string
	Text string
}

// Generator produces interviews from a fixed seed.
type Generator struct {
	r     *rand.Rand
	zipf  *rand.Zipf
	vocab []string
}

// New returns a generator; the same seed gives the same corpus.
func New(seed int64) *Generator {
	r := rand.New(rand.NewSource(seed))
	vocab := append([]string(nil), base...)
	// A long tail of rarer made-up words so the vocabulary is realistic in size.
	syl := []string{"ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "ge", "po", "ri"}
	for i := 0; i < 6000; i++ {
		n := 2 + r.Intn(3)
		var b strings.Builder
		for j := 0; j < n; j++ {
			b.WriteString(syl[r.Intn(len(syl))])
		}
		vocab = append(vocab, b.String())
	}
	return &Generator{r: r, zipf: rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1)), vocab: vocab}
}

var names = []string{"Moshe", "Dana", "Ruth", "Yossi", "Miriam", "Avi", "Noa", "Samir", "Leila", "David"}

// Interview returns interview i with about words words.
func (g *Generator) Interview(i, words int) Interview {
	who := names[i%len(names)]
	var b strings.Builder
	fmt.Fprintf(&b, "Interview %d\n\n", i)
	n := 0
	turn := 0
	for n < words {
		speaker := "Interviewer"
		tl := 8 + g.r.Intn(20)
		if turn%2 == 1 {
			speaker = who
			tl = 40 + g.r.Intn(160)
		}
		b.WriteString(speaker)
		b.WriteString(": ")
		for k := 0; k < tl; k++ {
			w := g.vocab[g.zipf.Uint64()]
			if k == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			if k%12 == 11 {
				b.WriteString(".")
			}
			if k < tl-1 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(".\n")
		n += tl
		turn++
	}
	return Interview{Name: fmt.Sprintf("interview-%04d", i), Text: b.String()}
}

// WriteFiles writes n interviews of about words words into dir as .txt
// files and returns their paths and total bytes.
func (g *Generator) WriteFiles(dir string, n, words int) ([]string, int64, error) {
	var paths []string
	var total int64
	for i := 0; i < n; i++ {
		iv := g.Interview(i, words)
		p := filepath.Join(dir, iv.Name+".txt")
		if err := os.WriteFile(p, []byte(iv.Text), 0o644); err != nil {
			return nil, 0, err
		}
		paths = append(paths, p)
		total += int64(len(iv.Text))
	}
	return paths, total, nil
}
