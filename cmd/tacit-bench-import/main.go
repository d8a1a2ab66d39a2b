// Command tacit-bench-import measures import throughput: it generates a
// reproducible corpus of interviews and, in the same run, times (1) bare
// bleve batch indexing of the corpus's turns with tacit's mapping and
// (2) a full 'tacit import' of the files (parse, store, index), each in its
// own child process so that peak memory (max RSS) is measured per phase.
//
//	go run ./cmd/tacit-bench-import -n 1000 -words 8000
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/transcript"
	"github.com/tacit-qda/tacit/index"
	"github.com/tacit-qda/tacit/internal/corpusgen"
	"github.com/tacit-qda/tacit/project"
)

func main() {
	n := flag.Int("n", 1000, "interviews")
	words := flag.Int("words", 8000, "words per interview")
	seed := flag.Int64("seed", 1, "generator seed")
	phase := flag.String("phase", "", "internal: run one phase in this process")
	dir := flag.String("dir", "", "internal: corpus folder")
	flag.Parse()
	if *phase != "" {
		if err := runPhase(*phase, *dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := bench(*n, *words, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "tacit-bench-import:", err)
		os.Exit(1)
	}
}

type result struct {
	secs  float64
	maxRS int64 // KiB
}

func bench(n, words int, seed int64) error {
	tmp, err := os.MkdirTemp("", "tacit-bench-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	corpus := filepath.Join(tmp, "corpus")
	os.MkdirAll(corpus, 0o755)
	_, total, err := corpusgen.New(seed).WriteFiles(corpus, n, words)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("corpus: %d interviews x ~%d words = %.1f MB of text (seed %d)\n", n, words, float64(total)/1e6, seed)
	res := map[string]result{}
	for _, ph := range []string{"bleve", "tacit"} {
		cmd := exec.Command(self, "-phase", ph, "-dir", tmp)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("phase %s: %w", ph, err)
		}
		secs, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
		if err != nil {
			return fmt.Errorf("phase %s printed %q", ph, out)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		res[ph] = result{secs: secs, maxRS: ru.Maxrss}
	}
	mb := float64(total) / 1e6
	fmt.Printf("\n%-34s %9s %9s %12s\n", "phase", "seconds", "MB/s", "peak RSS MB")
	for _, ph := range []string{"bleve", "tacit"} {
		r := res[ph]
		label := map[string]string{"bleve": "bare bleve batch indexing (baseline)", "tacit": "tacit import (parse+store+index)"}[ph]
		fmt.Printf("%-34s %9.2f %9.2f %12.1f\n", label, r.secs, mb/r.secs, float64(r.maxRS)/1024)
	}
	fmt.Printf("\nratio tacit/bleve throughput: %.2f (target >= 0.75); tacit peak RSS %.0f MB (target < 300)\n",
		res["bleve"].secs/res["tacit"].secs, float64(res["tacit"].maxRS)/1024)
	return nil
}

func runPhase(phase, tmp string) error {
	corpus := filepath.Join(tmp, "corpus")
	entries, err := os.ReadDir(corpus)
	if err != nil {
		return err
	}
	var files []string
	for _, e := range entries {
		files = append(files, filepath.Join(corpus, e.Name()))
	}
	switch phase {
	case "bleve":
		// Parse first (not timed): the baseline gets ready-made turns.
		type parsed struct {
			name string
			res  *transcript.Result
		}
		var docs []parsed
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			r, err := transcript.Parse(filepath.Base(f), data, transcript.Options{})
			if err != nil {
				return err
			}
			docs = append(docs, parsed{filepath.Base(f), r})
		}
		m, err := index.NewMapping()
		if err != nil {
			return err
		}
		start := time.Now()
		idx, err := bleve.New(filepath.Join(tmp, "bare-index"), m)
		if err != nil {
			return err
		}
		b := idx.NewBatch()
		for di, d := range docs {
			off := coding.NewOffsets(d.res.Text)
			for _, t := range d.res.Turns {
				err := b.Index(fmt.Sprintf("%d/%d", di+1, t.Index), map[string]any{
					"_type": "turn", "text": off.Slice(t.Start, t.End), "doc": strconv.Itoa(di + 1),
					"doc_name": d.name, "case": "", "speaker": t.Speaker, "role": "", "lang": "en",
					"turn": float64(t.Index), "start": float64(t.Start)})
				if err != nil {
					return err
				}
				if b.Size() >= 1000 {
					if err := idx.Batch(b); err != nil {
						return err
					}
					b.Reset()
				}
			}
		}
		if err := idx.Batch(b); err != nil {
			return err
		}
		if err := idx.Close(); err != nil {
			return err
		}
		fmt.Println(time.Since(start).Seconds())
	case "tacit":
		root := filepath.Join(tmp, "project")
		start := time.Now()
		if err := project.Init(root, "en"); err != nil {
			return err
		}
		p, err := project.Open(root, project.Options{Actor: "bench"})
		if err != nil {
			return err
		}
		if _, err := p.Import(context.Background(), files, project.ImportOptions{Case: "bench"}, nil); err != nil {
			return err
		}
		if err := p.Close(); err != nil {
			return err
		}
		fmt.Println(time.Since(start).Seconds())
	default:
		return fmt.Errorf("unknown phase %q", phase)
	}
	return nil
}
