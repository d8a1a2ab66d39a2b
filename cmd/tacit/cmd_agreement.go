package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/coding/agreement"
	"github.com/tacit-qda/tacit/project"
)

type agreementOpts struct {
	coders        []string
	unit          string
	codes         []string
	exact         bool
	exclusive     bool
	uncoded       string
	docs          []string
	cases, langs  []string
	attrs         []string
	disagreements bool
	out           output
}

func init() {
	register(func(root *cobra.Command, g *globals) {
		var o agreementOpts
		cmd := &cobra.Command{
			Use:   "agreement",
			Short: "Inter-coder agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha",
			Long: `Compare how coders applied the codebook to the same documents.

Binary mode (default): for each code, each unit (turn, sentence, paragraph,
doc, case or char) is coded or not by each coder; per code and pooled over
codes tacit prints the units, percent agreement, Cohen's kappa (two coders),
Fleiss' kappa and Krippendorff's alpha (nominal), with the counts behind
them. A coding covers every unit it overlaps. Sub-codes count for their
parent unless --exact.

Exclusive mode (--exclusive): the codes given by --codes (a parent code means
its children) are the values of one nominal variable; two values on one unit
are reported as a conflict.

Only documents that every compared coder has coded are compared, unless
--docs lists them; the output names them. A coefficient that is undefined
(no variation) is printed as such, never as NaN.`,
			Example: `  tacit agreement --coders dana,yossi
  tacit agreement --coders dana,yossi --unit case
  tacit agreement --coders dana,yossi --unit char --code "Principles/Crisis as a lever for change"
  tacit agreement --coders dana,yossi --codes Tone --exclusive
  tacit agreement --coders dana,yossi --disagreements -o disagreements.html`,
			Args: argsN(0, 0, "no arguments (name the coders with --coders)"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runAgreement(cmd, g, &o)
			},
		}
		f := cmd.Flags()
		f.StringSliceVar(&o.coders, "coders", nil, "the coders to compare, comma-separated (at least two)")
		f.StringVar(&o.unit, "unit", "turn", "unit of comparison: "+strings.Join(agreement.UnitKinds, ", "))
		f.StringSliceVar(&o.codes, "code", nil, "the codes to compare (default: every code the coders applied); repeatable")
		f.StringSliceVar(&o.codes, "codes", nil, "same as --code; with --exclusive a parent code (its children are the values) or a list of codes")
		f.BoolVar(&o.exact, "exact", false, "count codings of a code only, not of its sub-codes")
		f.BoolVar(&o.exclusive, "exclusive", false, "treat the codes as the values of one nominal variable")
		f.StringVar(&o.uncoded, "uncoded", "include", "units no coder coded: include (count as agreement on absence) or exclude")
		f.StringSliceVar(&o.coders, "coder", nil, "same as --coders")
		f.StringSliceVar(&o.docs, "docs", nil, "compare these documents (default: those every coder coded)")
		f.StringSliceVar(&o.docs, "doc", nil, "same as --docs")
		f.StringSliceVar(&o.cases, "case", nil, "only the documents of these cases (that every coder coded)")
		f.StringArrayVar(&o.attrs, "attr", nil, "only documents (or cases) with attribute key=value (repeatable: all of them)")
		f.StringSliceVar(&o.langs, "lang", nil, "only documents in these languages (en, he, ar, ...)")
		f.BoolVar(&o.disagreements, "disagreements", false, "list the units where the coders differ, for a consensus meeting")
		addOutput(cmd, &o.out)
		root.AddCommand(cmd)
	})
}

func runAgreement(cmd *cobra.Command, g *globals, o *agreementOpts) error {
	if len(o.coders) < 2 {
		return coding.Errorf(coding.EInvalid, "agreement needs at least two coders; name them with --coders dana,yossi")
	}
	if o.uncoded != agreement.UncodedInclude && o.uncoded != agreement.UncodedExclude {
		return usagef("--uncoded takes include or exclude, not %q", o.uncoded)
	}
	if _, err := o.out.resolve(g); err != nil {
		return err
	}
	attrs, err := parseAttrs(o.attrs)
	if err != nil {
		return err
	}
	var rep *project.AgreementReport
	err = g.do(cmd, readOnly, func(ctx context.Context, ops project.Operations) (err error) {
		rep, err = ops.Agreement(ctx, project.AgreementRequest{Coders: o.coders, Unit: o.unit, Codes: o.codes, Exact: o.exact,
			Exclusive: o.exclusive, Uncoded: o.uncoded, Docs: o.docs, Disagreements: o.disagreements,
			Cases: o.cases, Attrs: attrs, Langs: o.langs})
		return err
	})
	if err != nil {
		return err
	}
	return o.out.emit(g, func(w io.Writer, format string) error { return agreement.Write(w, rep, format) })
}
