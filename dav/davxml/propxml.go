package davxml

import (
	"errors"
	"io"
)

// Propfind is a parsed PROPFIND body (RFC 4918 §14.20).
type Propfind struct {
	AllProp  bool   // <allprop/> or an empty body
	PropName bool   // <propname/>
	Props    []Name // <prop>…</prop>
	Include  []Name // <include> with allprop
}

// ParsePropfind parses a PROPFIND body. An empty body (io.EOF at once, or only white space) means
// allprop (RFC 4918 §9.1).
// Malformed XML, a wrong root element, or none of allprop/propname/prop yields an error (the handler
// answers 400). So does a combination the DTD forbids (two of them, or include without allprop).
// Unknown children of <propfind> are ignored, as §17 asks for extensibility.
func ParsePropfind(r io.Reader) (Propfind, error) {
	x := newXMLReader(r)
	if err := x.root(Name{SpaceDAV, "propfind"}); err != nil {
		if err == errEmptyBody {
			return Propfind{AllProp: true}, nil
		}
		return Propfind{}, err
	}
	var pf Propfind
	hasInclude := false
	kinds := 0
	for {
		t, err := x.next()
		if err != nil {
			return Propfind{}, unexpectedEOF(err)
		}
		if t.kind == tokEnd {
			break
		}
		if t.kind != tokStart {
			continue
		}
		if t.name.Space != SpaceDAV {
			if err := x.skip(); err != nil {
				return Propfind{}, err
			}
			continue
		}
		switch t.name.Local {
		case "allprop":
			pf.AllProp = true
			kinds++
			err = x.skip()
		case "propname":
			pf.PropName = true
			kinds++
			err = x.skip()
		case "prop":
			kinds++
			pf.Props, err = x.childNames(pf.Props)
		case "include":
			hasInclude = true
			pf.Include, err = x.childNames(pf.Include)
		default:
			err = x.skip()
		}
		if err != nil {
			return Propfind{}, err
		}
	}
	if err := x.finish(); err != nil {
		return Propfind{}, err
	}
	switch {
	case kinds == 0:
		return Propfind{}, errors.New("dav: propfind without allprop, propname or prop")
	case kinds > 1:
		return Propfind{}, errors.New("dav: propfind with more than one of allprop, propname, prop")
	case hasInclude && !pf.AllProp:
		return Propfind{}, errors.New("dav: propfind include without allprop")
	}
	return pf, nil
}

// childNames appends the names of the child elements of the element just started (a <prop> or
// <include>) to names, ignoring their content, and consumes its end tag.
func (x *xmlReader) childNames(names []Name) ([]Name, error) {
	for {
		t, err := x.next()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		switch t.kind {
		case tokEnd:
			return names, nil
		case tokStart:
			names = append(names, t.name)
			if err := x.skip(); err != nil {
				return nil, err
			}
		}
	}
}

// PropOp is one set or remove instruction of a PROPPATCH, in document order.
type PropOp struct {
	Remove bool
	Name   Name
	// Value is the property element re-serialised as a self-contained XML fragment: the whole element
	// <p:name xmlns:p="ns" ...attrs...>children</p:name>, with every namespace used inside declared on the
	// element where it is used, xml:lang kept as an attribute, character data escaped. nil for Remove.
	// An xml:lang inherited from an enclosing element of the request is written on the property
	// element, so the stored value carries its language (RFC 4918 §4.3).
	Value []byte
}

// ParsePropPatch parses a PROPPATCH body (propertyupdate with set/remove in any order and number).
// Errors on malformed XML, wrong root, a set/remove without <prop>, or a propertyupdate with no
// set/remove at all. Max input is the caller's job.
func ParsePropPatch(r io.Reader) ([]PropOp, error) {
	x := newXMLReader(r)
	if err := x.root(Name{SpaceDAV, "propertyupdate"}); err != nil {
		return nil, unexpectedEOF(err)
	}
	var ops []PropOp
	instructions := 0
	for {
		t, err := x.next()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		if t.kind == tokEnd {
			break
		}
		if t.kind != tokStart {
			continue
		}
		if t.name != (Name{SpaceDAV, "set"}) && t.name != (Name{SpaceDAV, "remove"}) {
			if err := x.skip(); err != nil {
				return nil, err
			}
			continue
		}
		instructions++
		if ops, err = x.propPatchInstruction(ops, t.name.Local == "remove"); err != nil {
			return nil, err
		}
	}
	if err := x.finish(); err != nil {
		return nil, err
	}
	if instructions == 0 {
		return nil, errors.New("dav: propertyupdate without set or remove")
	}
	return ops, nil
}

// propPatchInstruction reads the content of a <set> or <remove> whose start tag was just read.
func (x *xmlReader) propPatchInstruction(ops []PropOp, remove bool) ([]PropOp, error) {
	sawProp := false
	for {
		t, err := x.next()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		if t.kind == tokEnd {
			break
		}
		if t.kind != tokStart {
			continue
		}
		if t.name != (Name{SpaceDAV, "prop"}) {
			if err := x.skip(); err != nil {
				return nil, err
			}
			continue
		}
		sawProp = true
		for {
			p, err := x.next()
			if err != nil {
				return nil, unexpectedEOF(err)
			}
			if p.kind == tokEnd {
				break
			}
			if p.kind != tokStart {
				continue
			}
			op := PropOp{Remove: remove, Name: p.name}
			if remove {
				err = x.skip()
			} else {
				op.Value, err = x.captureElement(p)
			}
			if err != nil {
				return nil, err
			}
			ops = append(ops, op)
		}
	}
	if !sawProp {
		return nil, errors.New("dav: set or remove without prop")
	}
	return ops, nil
}
