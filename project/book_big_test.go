package project

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/tacit-qda/tacit/coding/report"
)

func TestBookBigProfile(t *testing.T) {
	root := os.Getenv("TACIT_BOOK_BIG")
	if root == "" {
		t.Skip("TACIT_BOOK_BIG not set")
	}
	p, err := Open(root, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	b, err := p.Book(context.Background(), BookRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"md", "html", "docx"} {
		if err := report.WriteBook(io.Discard, b, f); err != nil {
			t.Fatal(err)
		}
	}
}
