package refiqda

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one element of a parsed XML document, with names reduced to their
// local part (the namespace is ignored, which is how namespace variants of
// the REFI-QDA schemas are accepted).
type node struct {
	name     string
	attrs    []xml.Attr
	children []*node
	text     strings.Builder
	line     int
	keepText bool
}

// textElements are the elements whose text tacit reads; the text of the
// others (white space between elements, mostly) is not kept.
var textElements = map[string]bool{"description": true, "plaintextcontent": true, "textvalue": true,
	"booleanvalue": true, "integervalue": true, "floatvalue": true, "datevalue": true, "datetimevalue": true}

// Limits on what parseTree accepts.
const (
	maxDepth    = 256
	maxElements = 20_000_000
)

// attr returns the attribute with this local name, compared
// case-insensitively, trimmed.
func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// rawAttr is attr without trimming.
func (n *node) rawAttr(name string) (string, bool) {
	for _, a := range n.attrs {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value, true
		}
	}
	return "", false
}

// all returns the children with this local name (case-insensitive).
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.children {
		if strings.EqualFold(c.name, name) {
			out = append(out, c)
		}
	}
	return out
}

// first returns the first child with this local name, or nil.
func (n *node) first(name string) *node {
	for _, c := range n.children {
		if strings.EqualFold(c.name, name) {
			return c
		}
	}
	return nil
}

// childText returns the text of the first child with this name, or "".
func (n *node) childText(name string) string {
	if c := n.first(name); c != nil {
		return c.text.String()
	}
	return ""
}

var errDoctype = errors.New("a DOCTYPE is not allowed in a REFI-QDA file")

// parseTree parses an XML document into a tree. It refuses a DOCTYPE (so no
// entity can be declared at all; encoding/xml would not resolve an external
// one anyway), caps the depth, and strips a leading UTF-8 BOM.
func parseTree(data []byte) (*node, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if root, ok := fastTree(data); ok {
		return root, nil
	}
	return slowTree(data)
}

// slowTree is parseTree with encoding/xml: the reference, for what
// fastTree leaves to it, and the source of every error message.
func slowTree(data []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(charset string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return r, nil
		}
		return nil, fmt.Errorf("the XML is declared %q; REFI-QDA files are UTF-8", charset)
	}
	var root *node
	var stack []*node
	count := 0
	for {
		// RawToken: no namespace translation (names are matched by their
		// local part anyway) and fewer copies; end tags are checked here.
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.TrimSpace(bytes.ToUpper(t)), []byte("DOCTYPE")) {
				return nil, errDoctype
			}
		case xml.StartElement:
			count++
			if count > maxElements {
				return nil, fmt.Errorf("more than %d XML elements", maxElements)
			}
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("XML nested deeper than %d elements", maxDepth)
			}
			line, _ := d.InputPos()
			n := &node{name: t.Name.Local, attrs: t.Attr, line: line, keepText: textElements[strings.ToLower(t.Name.Local)]}
			if len(stack) == 0 {
				if root != nil {
					return nil, errors.New("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1].name != t.Name.Local {
				line, _ := d.InputPos()
				return nil, fmt.Errorf("line %d: unexpected end element </%s>", line, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				if n := stack[len(stack)-1]; n.keepText {
					n.text.Write(t)
				}
			}
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("element <%s> is not closed", stack[len(stack)-1].name)
	}
	if root == nil {
		return nil, errors.New("no XML element found")
	}
	return root, nil
}
