package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/report"
	"github.com/tacit-qda/tacit/project"
)

// bookFlags are the options of 'report book' and 'report story'.
type bookFlags struct {
	rf                    reportFlags
	most                  float64
	title, lang, template string
	principles            string
	quoteMax              int
	stories               []string
	noAgreement           bool
}

func (bf *bookFlags) add(cmd *cobra.Command, book bool) {
	bf.rf.addFilters(cmd)
	f := cmd.Flags()
	f.StringVarP(&bf.rf.o.format, "format", "f", "", "output format: md, html, docx or json (default: from -o's extension, else md)")
	f.StringVarP(&bf.rf.o.out, "output", "o", "", "write to this file instead of stdout")
	f.StringVar(&bf.lang, "lang", "", "language of the book's own headings: en, he or ar (default: the language of most documents)")
	f.StringVar(&bf.template, "template", "", "a YAML file naming the sections of each story chapter and the codes that feed them")
	f.StringVar(&bf.principles, "principles", "", "the code whose sub-codes are the principles (default: the top-level code Principles, else every top-level code)")
	f.IntVar(&bf.quoteMax, "quote-max", report.DefaultQuoteMax, "shorten quotes longer than this many characters in the middle, full text in a note (0: never)")
	if book {
		f.Float64Var(&bf.most, "most", report.DefaultMost, "share of stories a principle must exceed to count as recurring in most stories, in (0,1]")
		f.StringVar(&bf.title, "title", "", "the book's title (default: the project memo titled 'title', else the folder's name)")
		f.StringSliceVar(&bf.stories, "cases", nil, "the stories to make chapters of, in this order (default: every case)")
		f.BoolVar(&bf.noAgreement, "no-agreement", false, "leave out the inter-coder agreement appendix")
	}
}

func (bf *bookFlags) request() (project.BookRequest, error) {
	flt, err := bf.rf.filter()
	if err != nil {
		return project.BookRequest{}, err
	}
	req := project.BookRequest{Filter: flt, Most: bf.most, Title: bf.title, Lang: bf.lang, Stories: bf.stories,
		Principles: bf.principles, QuoteMax: bf.quoteMax, NoAgreement: bf.noAgreement}
	if bf.quoteMax == 0 {
		req.QuoteMax = -1
	}
	if bf.template != "" {
		data, err := os.ReadFile(bf.template)
		if err != nil {
			return req, coding.Errorf(coding.ENotFound, "cannot read the template %s: %v", bf.template, err)
		}
		if req.Template, err = report.ParseTemplate(data); err != nil {
			return req, fmt.Errorf("%s: %w", bf.template, err)
		}
	}
	return req, nil
}

// emit writes a book or a chapter to stdout or -o FILE (atomically).
func (bf *bookFlags) emit(g *globals, v any) error {
	format := bf.rf.o.format
	if format == "" && bf.rf.o.out == "" && g.json {
		format = report.FormatJSON
	}
	format, err := report.ParseBookFormat(format, bf.rf.o.out)
	if err != nil {
		return err
	}
	if err := bf.rf.o.refuseProjectFile(g); err != nil {
		return err
	}
	if err := g.writeOut(bf.rf.o.out, func(w io.Writer) error { return report.WriteBook(w, v, format) }); err != nil {
		return err
	}
	if bf.rf.o.out != "" && !g.json {
		fmt.Fprintf(g.stderr, "wrote %s (%s)\n", bf.rf.o.out, format)
	}
	return nil
}

func newStoryCmd(g *globals) *cobra.Command {
	var bf bookFlags
	cmd := &cobra.Command{
		Use:   "story CASE",
		Short: "One story's chapter of the book: summary, the principles coded in it with the client's and the staff's passages",
		Long: `The chapter of one story (case): its attributes, its summary (the case memo
titled "summary"), then one section per principle coded in the story, each
with the client's and the staff member's passages in interview order and the
coders' memos as notes, then the principles of the study not seen in it.
A template (--template story.yaml) names the sections and the codes that feed
each instead; see "The book" in the README.`,
		Example: `  tacit report story "S1 Step by step"
  tacit report story "S6 Leaving home" -o s6.html
  tacit report story "S1 Step by step" --template docs/story.yaml   # needs files: the template`,
		Args: argsN(1, 1, "one case (story) name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			req, err := bf.request()
			if err != nil {
				return err
			}
			s, err := call(g, cmd, readOnly, project.Operations.Story, project.StoryRequest{BookRequest: req, Case: args[0]})
			if err != nil {
				return err
			}
			return bf.emit(g, s)
		},
	}
	bf.add(cmd, false)
	return cmd
}

func newBookCmd(g *globals) *cobra.Command {
	var bf bookFlags
	cmd := &cobra.Command{
		Use:   "book",
		Short: "The study as a book: method, every story as a chapter, the principles chapter, codebook and agreement",
		Long: `The book of a learning-from-success study, in Markdown, HTML (one file, ready
to print to PDF) or Word (.docx, for an editor to take over): the front matter
(title, the project memo titled "method" as the method chapter, the list of
stories with their attributes), one chapter per story (as 'tacit report
story' writes it), the principles chapter (the recurrence of each principle
across the stories: all, most or some, seen from which side, with quotes and
the stories where it is absent), and appendices: the codebook and, when two
or more coders coded, their agreement. Every quote is the coded text.
Hebrew and Arabic studies get a right-to-left book with headings in their
language (--lang).`,
		Example: `  tacit report book -o book.html
  tacit report book -o book.docx
  tacit report book -o book.md --cases "S1 Step by step,S6 Leaving home"
  tacit report book --lang he -o book-he.docx`,
		Args: argsN(0, 0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if bf.most <= 0 || bf.most > 1 {
				return coding.Errorf(coding.EInvalid, "--most %v is outside (0,1]; give a share such as 0.5 or 0.66", bf.most)
			}
			req, err := bf.request()
			if err != nil {
				return err
			}
			// Each chapter is built as it is written, with the project
			// still open, so that a long book is never whole in memory.
			req.Lazy = true
			return g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) error {
				b, err := ops.Book(ctx, req)
				if err != nil {
					return err
				}
				return bf.emit(g, b)
			})
		},
	}
	bf.add(cmd, true)
	return cmd
}
