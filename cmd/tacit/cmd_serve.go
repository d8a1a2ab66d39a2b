package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/tacit-qda/tacit/coding"
	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/server"
)

func init() {
	register(func(root *cobra.Command, g *globals) {
		var addr, cert, key string
		cmd := &cobra.Command{
			Use:   "serve",
			Short: "Open the project in the browser for a team of coders",
			Long: `Serve the project as a web app: stories, a reader to code transcripts by
selecting text, the codebook and the audit log, with live updates between
coders. It binds 127.0.0.1:7420 unless --addr says otherwise, and prints a
one-time link that logs you in as an admin. Other coders log in with the
accounts made by 'tacit user add'.

While it runs the server owns the project: it records its address and a
local token (readable only by you) in the project folder, and other tacit
commands on the project are refused with exit status 3, naming the server.
Stop it with Ctrl-C.`,
			Example: `  tacit serve
  tacit serve --addr 0.0.0.0:7420 --tls-cert cert.pem --tls-key key.pem`,
			Args: argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if (cert == "") != (key == "") {
					return usagef("give both --tls-cert and --tls-key, or neither")
				}
				p, err := g.open(false)
				if err != nil {
					return err
				}
				defer p.Close()
				ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				if _, err := p.Index(ctx); err != nil {
					return err
				}
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return coding.Errorf(coding.EInvalid, "cannot listen on %s: %v", addr, err)
				}
				tok := make([]byte, 32)
				if _, err := rand.Read(tok); err != nil {
					return err
				}
				local := base64.RawURLEncoding.EncodeToString(tok)
				srv, err := server.New(p, server.Options{Secure: cert != "", Owner: p.Actor, LocalToken: local,
					Logf: func(f string, a ...any) { fmt.Fprintf(g.stderr, "tacit serve: "+f+"\n", a...) }})
				if err != nil {
					ln.Close()
					return err
				}
				scheme := "http"
				if cert != "" {
					scheme = "https"
				}
				host := ln.Addr().String()
				url := scheme + "://" + host
				if err := project.WriteServerInfo(p.Root, project.ServerInfo{URL: url, PID: os.Getpid(), Started: time.Now().UTC(), Token: local}); err != nil {
					ln.Close()
					return fmt.Errorf("record the server in the project folder: %w", err)
				}
				defer project.RemoveServerInfo(p.Root)
				if g.json {
					_ = g.printJSON(map[string]any{"url": url, "login_url": url + "/login/once?token=" + srv.LoginToken()})
				} else {
					fmt.Fprintf(g.stdout, "tacit serve: %s on %s\n", p.Root, url)
					fmt.Fprintf(g.stdout, "log in as %s (admin), once, with:\n  %s/login/once?token=%s\n", p.Actor, url, srv.LoginToken())
					if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() && cert == "" {
						fmt.Fprintln(g.stdout, "warning: serving to the network without TLS; passwords travel in clear (use --tls-cert and --tls-key)")
					}
					fmt.Fprintln(g.stdout, "stop with Ctrl-C")
				}
				err = srv.Serve(ctx, ln, cert, key)
				if ctx.Err() != nil {
					fmt.Fprintln(g.stderr, "tacit serve: stopped")
					return nil
				}
				return err
			},
		}
		cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:7420", "address to listen on (host:port)")
		cmd.Flags().StringVar(&cert, "tls-cert", "", "serve HTTPS with this certificate (PEM)")
		cmd.Flags().StringVar(&key, "tls-key", "", "the private key of --tls-cert (PEM)")
		root.AddCommand(cmd)

		user := &cobra.Command{
			Use:   "user",
			Short: "Manage the accounts of 'tacit serve'",
		}
		var stdinPW, admin, update bool
		add := &cobra.Command{
			Use:   "add NAME",
			Short: "Create an account (coder, or --admin), or --update its password",
			Long: `Create an account for 'tacit serve'. The password is read from standard
input with --password-stdin (the first line), else asked for twice on the
terminal; it is stored as an argon2id hash. Coders code as themselves and
manage their own codings and memos; admins also manage the codebook, every
coding and the accounts.`,
			Example: "  echo 'correct horse battery' | tacit user add dana --password-stdin\n  echo 'another passphrase' | tacit user add lead --admin --password-stdin",
			Args:    argsN(1, 1, "one user name"),
			RunE: func(cmd *cobra.Command, args []string) error {
				pw, err := readPassword(cmd.InOrStdin(), g, stdinPW)
				if err != nil {
					return err
				}
				acc, err := call(g, cmd, writable, project.Operations.UserAdd, project.AddUserRequest{Name: args[0], Password: pw, Admin: admin, Update: update})
				if err != nil {
					return err
				}
				if g.json {
					return g.printJSON(acc)
				}
				role := "coder"
				if acc.Admin {
					role = "admin"
				}
				verb := "added"
				if update {
					verb = "updated"
				}
				fmt.Fprintf(g.stdout, "%s user %s (%s)\n", verb, acc.Name, role)
				return nil
			},
		}
		add.Flags().BoolVar(&stdinPW, "password-stdin", false, "read the password from the first line of standard input")
		add.Flags().BoolVar(&admin, "admin", false, "the user may manage the codebook, all codings and the accounts")
		add.Flags().BoolVar(&update, "update", false, "change the password (and role) of an existing user")
		user.AddCommand(add)

		var listOut output
		list := &cobra.Command{
			Use:   "list",
			Short: "List the accounts",
			Args:  argsN(0, 0, "no arguments"),
			RunE: func(cmd *cobra.Command, args []string) error {
				res, err := call(g, cmd, readOnly, project.Operations.UserList, project.UserListRequest{})
				if err != nil {
					return err
				}
				us := res.Users
				role := func(u project.Account) string {
					if u.Admin {
						return "admin"
					}
					return "coder"
				}
				l := listing{title: "Accounts", json: nonNil(us), columns: []string{"name", "role"}}
				for _, u := range us {
					l.rows = append(l.rows, []string{u.Name, role(u)})
				}
				l.table = func(w io.Writer) error {
					if len(us) == 0 {
						fmt.Fprintln(w, "no accounts yet; 'tacit user add NAME --password-stdin' creates one")
						return nil
					}
					tw := newTable(w, "NAME", "ROLE")
					for _, u := range us {
						row(tw, u.Name, role(u))
					}
					return tw.Flush()
				}
				return listOut.list(g, l)
			},
		}
		addOutput(list, &listOut)
		user.AddCommand(list)

		rm := &cobra.Command{
			Use:   "remove NAME",
			Short: "Delete an account (its codings stay)",
			Args:  argsN(1, 1, "one user name"),
			RunE: func(cmd *cobra.Command, args []string) error {
				if _, err := call(g, cmd, writable, project.Operations.UserRemove, project.UserRemoveRequest{Name: args[0]}); err != nil {
					return err
				}
				if !g.json {
					fmt.Fprintf(g.stdout, "removed user %s\n", args[0])
				}
				return nil
			},
		}
		user.AddCommand(rm)
		root.AddCommand(user)
	})
}

// readPassword reads a password from stdin (--password-stdin) or asks for
// it twice on the terminal.
func readPassword(stdin io.Reader, g *globals, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", usagef("no password on standard input")
		}
		return pw, nil
	}
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usagef("give the password with --password-stdin, or run on a terminal to be asked for it")
	}
	fmt.Fprint(g.stderr, "password: ")
	a, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(g.stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(g.stderr, "again: ")
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(g.stderr)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", coding.Errorf(coding.EInvalid, "the two passwords differ")
	}
	return string(a), nil
}
