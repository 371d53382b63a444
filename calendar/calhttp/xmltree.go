package calhttp

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"parvis/dav/davxml"
)

// node is an element of a parsed request body (REPORT, MKCALENDAR, MKCOL, PROPPATCH). The bodies are
// small and their structure varies by report, so they are read into a tree with namespaces resolved by
// encoding/xml, and each report walks the part it needs. Depth and element count are capped: a body
// within MaxXMLBody still cannot make the tree blow up.
type node struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*node
	text     strings.Builder
}

const (
	maxTreeDepth = 32
	maxTreeNodes = 20_000
)

var errXML = errors.New("malformed XML body")

// parseTree reads one XML document. It fails on malformed XML, more than one root, or the caps.
func parseTree(r io.Reader) (*node, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	var stack []*node
	var root *node
	count := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if root == nil || len(stack) > 0 {
				return nil, errXML
			}
			return root, nil
		}
		if errors.Is(err, davxml.ErrBodyTooLarge) {
			return nil, err
		} else if err != nil {
			return nil, errXML
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > maxTreeNodes || len(stack) >= maxTreeDepth || root != nil && len(stack) == 0 {
				return nil, errXML
			}
			n := &node{name: t.Name, attrs: t.Attr}
			if len(stack) == 0 {
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, errXML
			}
		}
	}
}

func (n *node) is(space, local string) bool { return n.name.Space == space && n.name.Local == local }

// child returns the first child with this name, or nil; the child of nil is nil, so that paths
// into optional elements chain.
func (n *node) child(space, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.is(space, local) {
			return c
		}
	}
	return nil
}

// all returns the children with this name.
func (n *node) all(space, local string) []*node {
	var out []*node
	for _, c := range n.children {
		if c.is(space, local) {
			out = append(out, c)
		}
	}
	return out
}

func (n *node) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) value() string { return strings.TrimSpace(n.text.String()) }

// propNames lists the property names asked for in a DAV:prop element.
func (n *node) propNames() []xml.Name {
	if n == nil {
		return nil
	}
	out := make([]xml.Name, 0, len(n.children))
	for _, c := range n.children {
		out = append(out, c.name)
	}
	return out
}
