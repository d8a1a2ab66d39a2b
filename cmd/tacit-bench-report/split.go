package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/project"
)

// split1 runs one report the way 'tacit report NAME --json' does (open the
// project read-only, load the dataset, compute, write JSON) in this fresh
// process and prints the milliseconds of each step and the heap allocated
// in total (MB) as a JSON array.
func split1(root, name string) error {
	var compute func(ds *report.Dataset) (any, error)
	switch name {
	case "recurrence":
		compute = func(ds *report.Dataset) (any, error) {
			return report.Recurrence(ds, report.RecurrenceOptions{Most: report.DefaultMost, Quotes: 1})
		}
	case "matrix":
		compute = func(ds *report.Dataset) (any, error) {
			return report.Matrix(ds, report.MatrixOptions{Cols: "case"})
		}
	case "cooccurrence":
		compute = func(ds *report.Dataset) (any, error) {
			return report.Cooccurrence(ds, report.CooccurrenceOptions{Unit: "turn", Min: 1})
		}
	default:
		return fmt.Errorf("no report %q", name)
	}
	ms := func(t time.Time) float64 { return float64(time.Since(t)) / 1e6 }
	t := time.Now()
	p, err := project.Open(root, project.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer p.Close()
	open := ms(t)
	t = time.Now()
	ds, err := p.Dataset()
	if err != nil {
		return err
	}
	load := ms(t)
	t = time.Now()
	rep, err := compute(ds)
	if err != nil {
		return err
	}
	comp := ms(t)
	t = time.Now()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	w := bufio.NewWriter(null)
	if err := report.Write(w, rep, report.FormatJSON); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	write := ms(t)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return json.NewEncoder(os.Stdout).Encode([]float64{open, load, comp, write, float64(m.TotalAlloc) / 1e6})
}
