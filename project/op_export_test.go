package project

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/tacit-qda/tacit/coding/report"
)

// TestRemoteExportAndBook: an export sent over the wire gives the bytes a
// local export writes, and a book sent over the wire can be written (the
// principles chapter once lost its shortened quotes on the way).
func TestRemoteExportAndBook(t *testing.T) {
	p := demoProject(t)
	ctx := context.Background()
	r := &Remote{Transport: loopback(p)}
	for _, kind := range []string{ExportKindQDC, ExportKindCodings, ExportKindProject, ExportKindQDPX} {
		var local bytes.Buffer
		if _, err := p.ExportTo(ctx, ExportRequest{Kind: kind, Format: "csv"}, &local); err != nil {
			t.Fatal(err)
		}
		res, err := r.Export(ctx, ExportRequest{Kind: kind, Format: "csv"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Data) == 0 || (kind != ExportKindQDPX && kind != ExportKindProject && !bytes.Equal(res.Data, local.Bytes())) {
			t.Errorf("%s: %d bytes over the wire, %d locally", kind, len(res.Data), local.Len())
		}
	}
	if _, err := r.Export(ctx, ExportRequest{Kind: "pdf"}); err == nil {
		t.Error("an unknown export kind was accepted")
	}
	b, err := r.Book(ctx, BookRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"md", "html", "docx"} {
		if err := report.WriteBook(io.Discard, b, f); err != nil {
			t.Errorf("write the book sent over the wire as %s: %v", f, err)
		}
	}
}
