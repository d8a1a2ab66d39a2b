package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/internal/jsonx"
	"github.com/tacit-qda/tacit/project"
)

// codingFilter holds the flags of 'tacit codings'.
type codingFilter struct {
	req   project.CodingsRequest
	attrs []string
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		f := &codingFilter{}
		var ofl output
		cmd := &cobra.Command{
			Use:   "codings",
			Short: "List coded passages with their case, document, speaker, role and coder",
			Long: `List coded passages, filtered by code (with its sub-codes unless --exact),
document, case, coder, speaker, role or attribute. Each passage is printed
with its case, document, turn, speaker, coder and a little context; --json
and --csv (or --format json|csv|md|html, or -o FILE) give one row per coding:
id, doc, doc_name, case, code, coder, start, end, text, speaker, role, memo,
origin, created_at.`,
			Example: `  tacit codings --code "Principles/Respectful attitude"
  tacit codings --code Principles --role client --csv > principles.csv
  tacit codings --doc client-moshe --coder dana --json
  tacit codings --case "S1 Step by step" --attr department=addiction`,
			Args: argsN(0, 0, "no arguments (filters are flags)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if f.req.Context < 0 {
					return usagef("--context cannot be negative")
				}
				attrs, err := parseAttrs(f.attrs)
				if err != nil {
					return err
				}
				req := f.req
				req.Attrs = attrs
				var res *project.CodingsResult
				err = g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
					res, err = ops.Codings(ctx, req)
					return err
				})
				if err != nil {
					return err
				}
				rows := res.Codings
				return ofl.list(g, listing{
					title:   "Codings",
					columns: project.CodingsCSVHeader,
					makeRows: func() [][]string {
						out := make([][]string, len(rows))
						for i := range rows {
							out[i] = rows[i].CSV()
						}
						return out
					},
					writeJSON: func(w io.Writer) error {
						recs := make([]project.CodingRecord, len(rows))
						for i := range rows {
							recs[i] = rows[i].CodingRecord
						}
						return writeCodingsJSON(w, recs)
					},
					table: func(w io.Writer) error { return printCodings(w, rows) },
				})
			},
		}
		fl := cmd.Flags()
		fl.StringVar(&f.req.Code, "code", "", "only this code and its sub-codes")
		fl.BoolVar(&f.req.Exact, "exact", false, "with --code: leave out the sub-codes")
		fl.StringVar(&f.req.Doc, "doc", "", "only this document")
		fl.StringVar(&f.req.Case, "case", "", "only the documents of this case")
		fl.StringSliceVar(&f.req.Coders, "coder", nil, "only codings by these coders (comma-separated or repeated)")
		fl.StringVar(&f.req.Speaker, "speaker", "", "only passages spoken by this speaker")
		fl.StringVar(&f.req.Role, "role", "", "only passages whose speaker has this role (client, staff, ...)")
		fl.StringArrayVar(&f.attrs, "attr", nil, "only documents (or cases) with attribute key=value (repeatable)")
		fl.StringSliceVar(&f.req.Langs, "lang", nil, "only documents in these languages (en, he, ar, ...)")
		fl.IntVar(&f.req.Context, "context", 40, "characters of context on each side in the listing")
		addOutput(cmd, &ofl)
		root.AddCommand(cmd)
	})
}

func printCodings(out io.Writer, rows []project.CodingRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(out, "no codings match")
		return err
	}
	// Three lines per coding: buffered, not one write each.
	w := bufio.NewWriterSize(out, 64<<10)
	docs := map[uint64]bool{}
	cases := map[string]bool{}
	for _, r := range rows {
		docs[r.Doc] = true
		if r.Case != "" {
			cases[r.Case] = true
		}
		where := r.DocName
		if r.Case != "" {
			where = r.Case + " · " + where
		}
		sp := ""
		if r.Turn >= 0 {
			sp = fmt.Sprintf(" · turn %d", r.Turn)
			if r.Speaker != "" {
				sp += " " + r.Speaker
			}
			if r.Role != "" {
				sp += " (" + r.Role + ")"
			}
		}
		fmt.Fprintf(w, "[%d] %s\n    %s%s · %s · %d:%d\n", r.ID, r.Code, where, sp, r.Coder, r.Start, r.End)
		before, after := oneLine(r.Before), oneLine(r.After)
		if before != "" {
			before = "…" + before
		}
		if after != "" {
			after += "…"
		}
		w.WriteString("    " + before + "«")
		w.WriteString(oneLine(r.Text))
		w.WriteString("»" + after + "\n")
		if r.Memo != "" {
			fmt.Fprintf(w, "    memo: %s\n", oneLine(r.Memo))
		}
	}
	fmt.Fprintf(w, "%s in %s, %s\n", plural(len(rows), "coding"), plural(len(docs), "document"), plural(len(cases), "case"))
	return w.Flush()
}

// oneLine folds white space, keeping a leading or trailing space as one.
func oneLine(s string) string {
	// One pass, one copy: a coding may quote a whole 50 MB turn.
	edge := func(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }
	var b strings.Builder
	b.Grow(len(s) + 2)
	if s != "" && edge(s[0]) {
		b.WriteByte(' ')
	}
	wrote, space := false, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = wrote
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		wrote = true
	}
	if !wrote {
		if s != "" {
			return " "
		}
		return ""
	}
	if edge(s[len(s)-1]) {
		b.WriteByte(' ')
	}
	return b.String()
}

// plural writes "1 coding", "2 codings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// writeCodingsJSON writes rows as 'tacit codings --json' does, byte for
// byte what encoding/json with two-space indentation and no HTML escaping
// gives (TestCodingsJSONMatchesEncodingJSON), but without reflection and
// without a second pass to indent: at a thousand rows that pass cost a
// tenth of the command.
func writeCodingsJSON(w io.Writer, rows []project.CodingRecord) error {
	if len(rows) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	b := make([]byte, 0, 1024)
	bw.WriteString("[\n")
	for i := range rows {
		r := &rows[i]
		b = append(b[:0], "  {\n    \"id\": "...)
		b = strconv.AppendUint(b, r.ID, 10)
		b = append(b, ",\n    \"doc\": "...)
		b = strconv.AppendUint(b, r.Doc, 10)
		b = appendJSONField(b, "doc_name", r.DocName)
		b = appendJSONField(b, "case", r.Case)
		b = appendJSONField(b, "code", r.Code)
		b = appendJSONField(b, "coder", r.Coder)
		b = append(b, ",\n    \"start\": "...)
		b = strconv.AppendInt(b, int64(r.Start), 10)
		b = append(b, ",\n    \"end\": "...)
		b = strconv.AppendInt(b, int64(r.End), 10)
		b = appendJSONField(b, "text", r.Text)
		b = appendJSONField(b, "speaker", r.Speaker)
		b = appendJSONField(b, "role", r.Role)
		b = appendJSONField(b, "memo", r.Memo)
		b = appendJSONField(b, "origin", r.Origin)
		t, err := r.CreatedAt.MarshalJSON()
		if err != nil {
			return fmt.Errorf("coding %d: %w", r.ID, err)
		}
		b = append(b, ",\n    \"created_at\": "...)
		b = append(b, t...)
		b = append(b, "\n  }"...)
		if i < len(rows)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		bw.Write(b)
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

func appendJSONField(b []byte, name, value string) []byte {
	b = append(b, ",\n    \""...)
	b = append(b, name...)
	b = append(b, "\": "...)
	return appendJSONString(b, value)
}

// appendJSONString appends s as a JSON string, as encoding/json would.
func appendJSONString(b []byte, s string) []byte { return jsonx.AppendString(b, s) }
