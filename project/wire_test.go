package project

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tacit-qda/tacit/coding"
)

func demoProject(t *testing.T) *Project {
	t.Helper()
	return openDemo(t, Options{Actor: "tester"})
}

// openDemo builds the demo project in a temporary directory and opens it
// with opts; the test's cleanup closes it.
func openDemo(t *testing.T, opts Options) *Project {
	t.Helper()
	dir := t.TempDir()
	if _, err := BuildDemo(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	p, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// loopback is a Transport that runs the operation on ops through JSON, as
// an HTTP server would.
func loopback(ops Operations) Transport {
	return func(ctx context.Context, op string, req, res any) error {
		body, err := json.Marshal(req)
		if err != nil {
			return err
		}
		out, err := Call(ctx, ops, op, body)
		if err != nil {
			b, _ := json.Marshal(ToWire(err))
			var w WireError
			if err := json.Unmarshal(b, &w); err != nil {
				return err
			}
			return w.Err()
		}
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return json.Unmarshal(b, res)
	}
}

func TestOpTableCoversOperations(t *testing.T) {
	it := reflect.TypeOf((*Operations)(nil)).Elem()
	if it.NumMethod() != len(opTable) {
		t.Errorf("Operations has %d methods, opTable %d names", it.NumMethod(), len(opTable))
	}
	// Every method of Remote sends the name of its own operation: call
	// each with a transport that records the name and check it is in the
	// table, once.
	seen := map[string]string{}
	r := &Remote{Transport: func(ctx context.Context, op string, req, res any) error {
		seen["last"] = op
		return nil
	}}
	rv := reflect.ValueOf(r)
	for i := 0; i < it.NumMethod(); i++ {
		m := it.Method(i)
		arg := reflect.New(m.Type.In(1)).Elem()
		rv.MethodByName(m.Name).Call([]reflect.Value{reflect.ValueOf(context.Background()), arg})
		op := seen["last"]
		if _, ok := opTable[op]; !ok {
			t.Errorf("Remote.%s sends %q, which is not in opTable", m.Name, op)
		}
		if prev, dup := seen[op]; dup {
			t.Errorf("Remote.%s and Remote.%s both send %q", prev, m.Name, op)
		}
		seen[op] = m.Name
		// The table's function for op must be this method: its request
		// type must match.
		if _, err := Call(context.Background(), r, op, []byte(`{"no_such_field": 1}`)); err == nil || !strings.Contains(err.Error(), "no_such_field") {
			t.Errorf("Call(%q) with an unknown field: %v", op, err)
		}
	}
}

func TestRemoteMatchesLocal(t *testing.T) {
	p := demoProject(t)
	ctx := context.Background()
	r := &Remote{Transport: loopback(p)}

	local, err := p.Show(ctx, ShowRequest{Doc: "client-moshe"})
	if err != nil {
		t.Fatal(err)
	}
	far, err := r.Show(ctx, ShowRequest{Doc: "client-moshe"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(local, far) {
		t.Errorf("show differs over the wire")
	}

	// A change made remotely is made, with the actor of the context.
	tag, err := r.Tag(WithActor(ctx, "dana"), TagRequest{Doc: "client-moshe", Codes: []string{"Respectful attitude"}, Turns: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tag.Codings) != 1 {
		t.Fatalf("tag made %d codings", len(tag.Codings))
	}
	cs, err := p.Codings(ctx, CodingsRequest{Doc: "client-moshe", Coder: "dana"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cs.Codings {
		found = found || c.ID == tag.Codings[0].ID
	}
	if !found {
		t.Errorf("the remote tag by dana is not among dana's codings")
	}

	// Errors keep their kind and message.
	_, lerr := p.Show(ctx, ShowRequest{Doc: "no-such-doc"})
	_, rerr := r.Show(ctx, ShowRequest{Doc: "no-such-doc"})
	if lerr == nil || rerr == nil || lerr.Error() != rerr.Error() || coding.ErrorKind(rerr) != coding.ENotFound {
		t.Errorf("local error %v, remote error %v (kind %s)", lerr, rerr, coding.ErrorKind(rerr))
	}
	if _, err := Call(ctx, p, "no.such.op", nil); coding.ErrorKind(err) != coding.ENotFound {
		t.Errorf("unknown operation: %v", err)
	}
}
