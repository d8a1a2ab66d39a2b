package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/server"
)

// While 'tacit serve' owns a project, other commands send their operation
// to it (as --coder), and without the local token they exit 3 naming it.
func TestCommandsForwardToServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo project")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	if _, err := project.BuildDemo(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dir, project.Options{Actor: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	srv, err := server.New(p, server.Options{Owner: "owner", LocalToken: "local-token", Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, "", "") }()
	defer func() { cancel(); <-done }()
	url := "http://" + ln.Addr().String()
	if err := project.WriteServerInfo(dir, project.ServerInfo{URL: url, PID: os.Getpid(), Started: time.Now(), Token: "local-token"}); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-p", dir, "--as", "noa", "tag", "client-moshe", "Context", "--range", "20:30"}, &out, &errb); code != 0 {
		t.Fatalf("tag through the server: exit %d: %s", code, errb.String())
	}
	v, err := p.DocumentView("client-moshe")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range v.Codings {
		found = found || c.Coder == "noa" && c.Start == 20 && c.End == 30 && c.Code == "Context"
	}
	if !found {
		t.Errorf("the forwarded tag is not in the project: %s", out.String())
	}
	out.Reset()
	if code := run([]string{"-p", dir, "--json", "codings", "--coder", "noa"}, &out, &errb); code != 0 || !strings.Contains(out.String(), `"noa"`) {
		t.Errorf("codings through the server: exit %d: %s %s", code, out.String(), errb.String())
	}
	// Without the token (another user) the command names the server.
	os.Remove(filepath.Join(dir, project.Dir, "serve.token"))
	errb.Reset()
	if code := run([]string{"-p", dir, "tag", "client-moshe", "Context", "--range", "30:40"}, &out, &errb); code != exitInUse || !strings.Contains(errb.String(), url) {
		t.Errorf("without the token: exit %d, %q", code, errb.String())
	}
}
