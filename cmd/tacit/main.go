// Command tacit is a qualitative-coding engine for interview transcripts:
// import transcripts into a project, code them with a codebook, search them,
// and report which principles recur across stories.
//
// Exit codes: 0 ok, 1 error, 2 usage, 3 project in use, 4 not found,
// 5 project database damaged, 130 interrupted.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/coding"
)

// Exit codes.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInUse       = 3
	exitNotFound    = 4
	exitDamaged     = 5
	exitInterrupted = 130
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// usageError marks errors in the command line itself.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run executes the command line and returns the exit code. Errors are
// printed once to stderr, as one line (as JSON with --json).
func run(args []string, stdout, stderr io.Writer) int {
	// bleve logs what it skips in a damaged index ("unable to load
	// snapshot ...") through the standard logger; tacit says it in one
	// line of its own and rebuilds the index.
	log.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	g := &globals{stdout: stdout, stderr: stderr}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := execute(ctx, root)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	if strings.HasPrefix(err.Error(), "unknown command ") {
		// cobra's own error for an unknown top-level command.
		code = exitUsage
	}
	msg := strings.TrimSpace(err.Error())
	msg = withNext(msg, nextStep(err))
	if g.json {
		b, _ := json.Marshal(map[string]any{"error": msg, "code": code})
		fmt.Fprintln(stderr, string(b))
	} else {
		fmt.Fprintln(stderr, "tacit: "+msg)
	}
	return code
}

// execute runs the command and turns a panic that escaped it into an
// error: no stack trace ever reaches the user. (The store and the index
// turn their own panics on damaged files into errors of kind EDamaged or
// into an index rebuild; this is the last line.)
func execute(ctx context.Context, root *cobra.Command) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error (%v); nothing was changed by the failed step; run 'tacit check', and report this if it repeats", r)
		}
	}()
	return root.ExecuteContext(ctx)
}

func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	if errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	switch coding.ErrorKind(err) {
	case coding.EInUse:
		return exitInUse
	case coding.ENotFound:
		return exitNotFound
	case coding.EDamaged:
		return exitDamaged
	}
	return exitError
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "tacit",
		Short: "Qualitative coding of interview transcripts",
		Long: `tacit imports interview transcripts into a project, codes them with a
codebook, searches them, and reports which principles recur across stories.

Start with 'tacit demo' to see a sample study, or 'tacit init DIR'.

Exit status: 0 ok, 1 error, 2 usage error, 3 project in use by another
process, 4 not found, 5 the project database is damaged, 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVarP(&g.projectDir, "project", "p", "", "project folder (default: $TACIT_PROJECT, else the nearest folder with .tacit)")
	root.PersistentFlags().BoolVar(&g.json, "json", false, "print JSON (stable field names) instead of tables")
	root.PersistentFlags().StringVar(&g.as, "as", "", "the coder making changes (default: $TACIT_CODER, else the OS user)")
	root.PersistentFlags().StringVar(&g.coder, "coder", "", "deprecated for the coder making changes: use --as; in codings, search, words, reports and agreement --coder is a filter")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		// Where --coder is the global flag (the command has no --coder
		// filter of its own), it is the old spelling of --as.
		if fl := cmd.Flags().Lookup("coder"); fl != nil && fl == root.PersistentFlags().Lookup("coder") &&
			fl.Changed && g.as != "" && !coding.SameValue(g.as, g.coder) {
			return usagef("--as %s and --coder %s name two different coders making the change; --coder is the old spelling of --as, so give only --as", g.as, g.coder)
		}
		return nil
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%v; see '%s --help'", err, c.CommandPath())
	})
	for _, add := range commands {
		add(root, g)
	}
	guardGroups(root)
	groupCommands(root)
	return root
}

// commandGroups orders the help listing by the work a researcher does.
var commandGroups = []struct {
	id, title string
	commands  []string
}{
	{"project", "Project and transcripts:", []string{"init", "demo", "import", "export", "docs", "show", "cases", "attr", "speaker", "replace", "orphans"}},
	{"coding", "Codebook and coding:", []string{"code", "codebook", "tag", "untag", "autocode", "codings", "memo", "log", "undo"}},
	{"search", "Search:", []string{"search", "words"}},
	{"report", "Reports:", []string{"report", "agreement"}},
	{"maint", "Maintenance:", []string{"check", "reindex", "backup", "compact", "upgrade", "salvage"}},
	{"serve", "Team:", []string{"serve", "user"}},
}

func groupCommands(root *cobra.Command) {
	byName := map[string]*cobra.Command{}
	for _, c := range root.Commands() {
		byName[c.Name()] = c
	}
	for _, g := range commandGroups {
		root.AddGroup(&cobra.Group{ID: g.id, Title: g.title})
		for _, n := range g.commands {
			if c := byName[n]; c != nil {
				c.GroupID = g.id
			}
		}
	}
}

// guardGroups makes every command that only groups subcommands ("tacit
// report", "tacit code") print its help when called bare, and give a usage
// error naming the subcommands for an unknown one, instead of cobra's
// default of printing help and exiting 0.
func guardGroups(c *cobra.Command) {
	for _, sub := range c.Commands() {
		guardGroups(sub)
	}
	if !c.HasSubCommands() || c.Run != nil || c.RunE != nil {
		return
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		var names []string
		for _, s := range cmd.Commands() {
			if s.IsAvailableCommand() {
				names = append(names, s.Name())
			}
		}
		return usagef("unknown command %q for %q; use one of: %s", args[0], cmd.CommandPath(), strings.Join(names, ", "))
	}
}

// commands registers the subcommands; each file adds its own in init.
var commands []func(root *cobra.Command, g *globals)

func register(f func(root *cobra.Command, g *globals)) { commands = append(commands, f) }

// argsN returns a cobra.PositionalArgs that gives a usage error naming what
// is expected.
func argsN(min, max int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || (max >= 0 && len(args) > max) {
			return usagef("%s takes %s; see '%s --help'", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}
