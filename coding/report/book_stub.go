package report

import "io"

// WriteHTML writes the book as one self-contained HTML file.
func (b *Book) WriteHTML(w io.Writer) error {
	return invalid("the HTML book is not written yet; use -o book.md.")
}

// WriteHTML writes the story chapter as one self-contained HTML file.
func (s *Story) WriteHTML(w io.Writer) error {
	return invalid("the HTML story is not written yet; use -o story.md.")
}

// WriteDOCX writes the book as a Word document.
func (b *Book) WriteDOCX(w io.Writer) error {
	return invalid("the Word book is not written yet; use -o book.md.")
}

// WriteDOCX writes the story chapter as a Word document.
func (s *Story) WriteDOCX(w io.Writer) error {
	return invalid("the Word story is not written yet; use -o story.md.")
}
