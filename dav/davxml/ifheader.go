package davxml

// The grammar follows RFC 4918 §10.4. The structure (untagged lists versus tagged lists, a resource
// tag applying to the lists after it) follows golang.org/x/net/webdav/if.go, which is BSD-licensed,
// "Copyright 2014 The Go Authors"; this parser is a rewrite that is stricter than that one: state
// tokens must be Coded-URLs, entity tags must be quoted strings, and a resource tag must be followed by
// at least one list.

import (
	"errors"
	"strings"
)

// IfHeader is a parsed RFC 4918 §10.4 If header: lists are ORed, conditions inside a list are ANDed.
type IfHeader struct{ Lists []IfList }

// IfList is one parenthesised list of conditions, all of which must hold.
type IfList struct {
	Resource   string // the tagged resource URL as written (without <>), "" for an untagged list
	Conditions []IfCondition
}

// IfCondition is one condition of a list: a state token or an entity tag, possibly negated.
// Exactly one of Token and ETag is set.
type IfCondition struct {
	Not   bool
	Token string // state token (a Coded-URL's content), or ""
	ETag  string // entity tag including its quotes, e.g. `"abc"` or `W/"abc"`, or ""
}

// ParseIf parses an If header value; a syntax error yields an error (the handler answers 400).
//
//	If = "If" ":" ( 1*No-tag-list | 1*Tagged-list )
//	No-tag-list = List
//	Tagged-list = Resource-Tag 1*List
//	List = "(" 1*Condition ")"
//	Condition = ["Not"] (State-token | "[" entity-tag "]")
//
// Linear white space may appear between any two tokens; "Not" is matched case-insensitively, as ABNF
// strings are.
func ParseIf(h string) (IfHeader, error) {
	p := ifParser{s: h}
	p.skipWS()
	if p.eof() {
		return IfHeader{}, errors.New("dav: empty If header")
	}
	tagged := p.s[p.i] == '<'
	var hdr IfHeader
	resource := ""
	needList := false // a resource tag has been read and no list yet
	for {
		p.skipWS()
		if p.eof() {
			break
		}
		switch p.s[p.i] {
		case '<':
			if !tagged {
				return IfHeader{}, errors.New("dav: If header mixes untagged lists and resource tags")
			}
			if needList {
				return IfHeader{}, errors.New("dav: If header resource tag without a list")
			}
			tag, err := p.angle()
			if err != nil {
				return IfHeader{}, err
			}
			resource, needList = tag, true
		case '(':
			l, err := p.list()
			if err != nil {
				return IfHeader{}, err
			}
			l.Resource = resource
			hdr.Lists = append(hdr.Lists, l)
			needList = false
		default:
			return IfHeader{}, errors.New("dav: unexpected character in If header")
		}
	}
	if needList {
		return IfHeader{}, errors.New("dav: If header resource tag without a list")
	}
	return hdr, nil
}

type ifParser struct {
	s string
	i int
}

func (p *ifParser) eof() bool { return p.i >= len(p.s) }

func (p *ifParser) skipWS() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// angle reads "<" URI ">" and returns the URI, which must be non-empty and hold no white space.
func (p *ifParser) angle() (string, error) {
	p.i++ // '<'
	j := strings.IndexByte(p.s[p.i:], '>')
	if j < 0 {
		return "", errors.New("dav: unterminated <…> in If header")
	}
	u := p.s[p.i : p.i+j]
	if u == "" || strings.ContainsAny(u, " \t\r\n<") {
		return "", errors.New("dav: invalid URI in If header")
	}
	p.i += j + 1
	return u, nil
}

// list reads "(" 1*Condition ")".
func (p *ifParser) list() (IfList, error) {
	p.i++ // '('
	var l IfList
	for {
		p.skipWS()
		if p.eof() {
			return IfList{}, errors.New("dav: unterminated list in If header")
		}
		if p.s[p.i] == ')' {
			p.i++
			if len(l.Conditions) == 0 {
				return IfList{}, errors.New("dav: empty list in If header")
			}
			return l, nil
		}
		c, err := p.condition()
		if err != nil {
			return IfList{}, err
		}
		l.Conditions = append(l.Conditions, c)
	}
}

// condition reads ["Not"] (State-token | "[" entity-tag "]").
func (p *ifParser) condition() (IfCondition, error) {
	var c IfCondition
	if len(p.s)-p.i >= 3 && strings.EqualFold(p.s[p.i:p.i+3], "not") {
		c.Not = true
		p.i += 3
		p.skipWS()
		if p.eof() {
			return IfCondition{}, errors.New("dav: Not without a condition in If header")
		}
	}
	switch p.s[p.i] {
	case '<':
		tok, err := p.angle()
		if err != nil {
			return IfCondition{}, err
		}
		c.Token = tok
	case '[':
		p.i++
		etag, err := p.entityTag()
		if err != nil {
			return IfCondition{}, err
		}
		p.skipWS()
		if p.eof() || p.s[p.i] != ']' {
			return IfCondition{}, errors.New("dav: unterminated [entity-tag] in If header")
		}
		p.i++
		c.ETag = etag
	default:
		return IfCondition{}, errors.New("dav: invalid condition in If header")
	}
	return c, nil
}

// entityTag reads entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE (RFC 9110 §8.8.3), returning it as
// written. etagc excludes '"', so ']' inside the quotes is part of the tag.
func (p *ifParser) entityTag() (string, error) {
	p.skipWS()
	start := p.i
	if strings.HasPrefix(p.s[p.i:], "W/") {
		p.i += 2
	}
	if p.eof() || p.s[p.i] != '"' {
		return "", errors.New("dav: entity tag in If header is not a quoted string")
	}
	p.i++
	for ; p.i < len(p.s); p.i++ {
		c := p.s[p.i]
		if c == '"' {
			p.i++
			return p.s[start:p.i], nil
		}
		// RFC 9110's etagc excludes spaces, but RFC 4918's own examples use them ("I am an ETag"),
		// so only control characters are refused.
		if c < 0x20 || c == 0x7f {
			return "", errors.New("dav: invalid character in entity tag in If header")
		}
	}
	return "", errors.New("dav: unterminated entity tag in If header")
}
