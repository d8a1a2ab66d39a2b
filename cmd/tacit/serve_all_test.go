package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/tacit-qda/tacit/project"
	"github.com/tacit-qda/tacit/server"
)

// TestEveryCommandWhileServed: while 'tacit serve' owns the project, every
// command either sends its operation to the server or exits 3 naming the
// server's URL; none fails on the lock or changes the store behind the
// server's back. Every leaf command of the CLI must be in the table below,
// so a new command cannot forget to choose.
func TestEveryCommandWhileServed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo project and runs every command")
	}
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "demo")
	if _, err := project.BuildDemo(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	p, err := project.Open(dir, project.Options{Actor: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	srv, err := server.New(p, server.Options{Owner: "owner", LocalToken: "local-token", Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var ops atomic.Int64
	h := srv.Handler()
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/op/") {
			ops.Add(1)
		}
		h.ServeHTTP(w, r)
	})}
	go hs.Serve(ln)
	defer hs.Close()
	url := "http://" + ln.Addr().String()
	if err := project.WriteServerInfo(dir, project.ServerInfo{URL: url, PID: os.Getpid(), Started: time.Now(), Token: "local-token"}); err != nil {
		t.Fatal(err)
	}
	file := func(name, text string) string {
		f := filepath.Join(tmp, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	txt := file("new-interview.txt", "Interviewer: How did it start?\nDana: With one small step.\n")
	moshe := file("moshe.txt", "")
	if res, err := p.Show(context.Background(), project.ShowRequest{Doc: "client-moshe"}); err == nil {
		moshe = file("moshe.txt", res.Text)
	}
	csv := file("codings.csv", "document,code,text\nclient-moshe,Context,small steps\n")
	out := func(name string) string { return filepath.Join(tmp, "out", name) }
	os.MkdirAll(filepath.Join(tmp, "out"), 0o755)
	const (
		forwarded = "forwarded" // sends its operation to the server
		refused   = "refused"   // exits 3 naming the server
		elsewhere = "elsewhere" // works on another folder, not the served project
	)
	type want struct {
		args []string
		how  string
	}
	table := map[string]want{
		"agreement":           {[]string{"agreement", "--coders", "dana,yossi"}, forwarded},
		"attr list":           {[]string{"attr", "list"}, forwarded},
		"attr set":            {[]string{"attr", "set", "S1 Step by step", "wave=2"}, forwarded},
		"attr unset":          {[]string{"attr", "unset", "S1 Step by step", "wave"}, forwarded},
		"autocode":            {[]string{"autocode", "Tone/Hopeful", "--query", "hope"}, forwarded},
		"backup":              {[]string{"backup", out("backup.db")}, forwarded},
		"cases merge":         {[]string{"cases", "merge", "S7 A second chance", "S6 Leaving home"}, forwarded},
		"cases rename":        {[]string{"cases", "rename", "S1 Step by step", "S1 Steps"}, forwarded},
		"cases rm":            {[]string{"cases", "rm", "S2 A new career", "--force"}, forwarded},
		"check":               {[]string{"check"}, forwarded},
		"code add":            {[]string{"code", "add", "Tone/Curious"}, forwarded},
		"code delete":         {[]string{"code", "delete", "Tone/Curious"}, forwarded},
		"code edit":           {[]string{"code", "edit", "Tone/Hopeful", "--description", "looks ahead"}, forwarded},
		"code list":           {[]string{"code", "list"}, forwarded},
		"code merge":          {[]string{"code", "merge", "Tone/Critical", "Tone/Ambivalent"}, forwarded},
		"code move":           {[]string{"code", "move", "Tone/Hopeful", "Context"}, forwarded},
		"code rename":         {[]string{"code", "rename", "Context/Barriers", "Obstacles"}, forwarded},
		"code show":           {[]string{"code", "show", "Context"}, forwarded},
		"codebook export":     {[]string{"codebook", "export", out("codebook.json")}, forwarded},
		"codebook import":     {[]string{"codebook", "import", out("codebook.json")}, forwarded},
		"codings":             {[]string{"codings", "--code", "Context"}, forwarded},
		"codings import":      {[]string{"codings", "import", csv}, refused},
		"compact":             {[]string{"compact"}, forwarded},
		"demo":                {[]string{"demo", filepath.Join(tmp, "demo2")}, elsewhere},
		"docs":                {[]string{"docs"}, forwarded},
		"docs mv":             {[]string{"docs", "mv", "staff-rana", "--no-case"}, forwarded},
		"docs rename":         {[]string{"docs", "rename", "staff-rana", "staff-rana2"}, forwarded},
		"docs rm":             {[]string{"docs", "rm", "staff-rana2", "--force"}, forwarded},
		"export codings":      {[]string{"export", "codings", "-o", out("codings.csv")}, forwarded},
		"export project":      {[]string{"export", "project", "-o", out("project.json")}, forwarded},
		"export qdc":          {[]string{"export", "qdc", out("codebook.qdc")}, forwarded},
		"export qdpx":         {[]string{"export", "qdpx", out("project.qdpx")}, forwarded},
		"import":              {[]string{"import", txt}, forwarded},
		"init":                {[]string{"init", filepath.Join(tmp, "new")}, elsewhere},
		"log":                 {[]string{"log"}, forwarded},
		"memo add":            {[]string{"memo", "add", "project", "a note"}, forwarded},
		"memo delete":         {[]string{"memo", "delete", "1"}, forwarded},
		"memo edit":           {[]string{"memo", "edit", "2", "new text"}, forwarded},
		"memo list":           {[]string{"memo", "list"}, forwarded},
		"memo show":           {[]string{"memo", "show", "2"}, forwarded},
		"orphans":             {[]string{"orphans"}, forwarded},
		"reindex":             {[]string{"reindex"}, forwarded},
		"replace":             {[]string{"replace", "client-moshe", moshe}, forwarded},
		"report book":         {[]string{"report", "book", "-o", out("book.md")}, forwarded},
		"report codebook":     {[]string{"report", "codebook"}, forwarded},
		"report cooccurrence": {[]string{"report", "cooccurrence"}, forwarded},
		"report matrix":       {[]string{"report", "matrix"}, forwarded},
		"report recurrence":   {[]string{"report", "recurrence"}, forwarded},
		"report story":        {[]string{"report", "story", "S3 True dignity"}, forwarded},
		"salvage":             {[]string{"salvage", filepath.Join(tmp, "salvaged")}, refused},
		"search":              {[]string{"search", "family"}, forwarded},
		"serve":               {[]string{"serve", "--addr", "127.0.0.1:0"}, refused},
		"show":                {[]string{"show", "client-olga"}, forwarded},
		"speaker list":        {[]string{"speaker", "list"}, forwarded},
		"speaker rename":      {[]string{"speaker", "rename", "client-olga", "Olga", "Olga K."}, forwarded},
		"speaker role":        {[]string{"speaker", "role", "Olga K.", "client"}, forwarded},
		"tag":                 {[]string{"tag", "client-olga", "Context", "--range", "10:20"}, forwarded},
		"undo":                {[]string{"undo"}, forwarded},
		"untag":               {[]string{"untag", "1", "--force"}, forwarded},
		"upgrade":             {[]string{"upgrade"}, forwarded},
		"user add":            {[]string{"user", "add", "rivka", "--password-stdin"}, forwarded},
		"user list":           {[]string{"user", "list"}, forwarded},
		"user remove":         {[]string{"user", "remove", "rivka"}, forwarded},
		"words":               {[]string{"words"}, forwarded},
	}
	var leaves []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if !c.HasSubCommands() && c.Runnable() && c.Name() != "help" && c.Name() != "completion" {
			leaves = append(leaves, strings.TrimPrefix(c.CommandPath(), "tacit "))
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(newRootCmd(&globals{}))
	sort.Strings(leaves)
	for _, name := range leaves {
		w, ok := table[name]
		if !ok {
			t.Errorf("'tacit %s' is not in the table: say whether it is forwarded to a running server or refused", name)
			continue
		}
		if name == "user add" {
			r, wr, _ := os.Pipe()
			wr.WriteString("a long enough password\n")
			wr.Close()
			old := os.Stdin
			os.Stdin = r
			defer func() { os.Stdin = old }()
		}
		before := ops.Load()
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"-p", dir, "--as", "owner"}, w.args...), &stdout, &stderr)
		sent := ops.Load() - before
		switch w.how {
		case forwarded:
			if sent == 0 || code != exitOK {
				t.Errorf("tacit %s: exit %d after %d operations sent to the server, want it forwarded: %s", strings.Join(w.args, " "), code, sent, stderr.String())
			}
		case refused:
			if code != exitInUse || !strings.Contains(stderr.String(), url) || sent != 0 {
				t.Errorf("tacit %s: exit %d, %d operations sent, %q; want exit 3 naming %s", strings.Join(w.args, " "), code, sent, stderr.String(), url)
			}
		case elsewhere:
			if code != exitOK || sent != 0 {
				t.Errorf("tacit %s: exit %d, %d operations sent: %s", strings.Join(w.args, " "), code, sent, stderr.String())
			}
		}
	}
	rep, err := p.Check(context.Background())
	if err != nil || len(rep.Problems) > 0 {
		t.Errorf("check after every command: %v %+v", err, rep)
	}
}
