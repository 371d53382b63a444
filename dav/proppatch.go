package dav

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"

	"parvis/dav/davxml"
	"parvis/files"
	"parvis/storage/db"
)

// msNamespace holds the Win32* properties Windows' WebDAV redirector sets after every upload; it
// gives up on the file if they fail, so they are kept as dead properties, and the modification time
// is applied to the file as well.
const msNamespace = "urn:schemas-microsoft-com:"

// proppatch sets and removes dead properties, all or none (RFC 4918 §9.2): a protected DAV:
// property fails with 403 and makes every other instruction fail with 424.
func (h *Handler) proppatch(w http.ResponseWriter, r *http.Request, p db.Person, t target) error {
	if err := writable(t); err != nil {
		return err
	}
	ops, err := davxml.ParsePropPatch(davxml.LimitBody(r, h.MaxXMLBody))
	if err != nil {
		return xmlBodyError(err, "malformed PROPPATCH body")
	}
	c, err := h.newConditions(r, p, t)
	if err != nil {
		return err
	}
	var stats []davxml.Propstat
	if protected := protectedOps(ops); len(protected) > 0 {
		if _, err := h.Files.Stat(r.Context(), t.groupID(), t.path); err != nil {
			return err
		}
		stats = []davxml.Propstat{{Status: http.StatusForbidden, Props: protected, Error: []byte("<D:cannot-modify-protected-property/>")}}
		if rest := otherOps(ops); len(rest) > 0 {
			stats = append(stats, davxml.Propstat{Status: http.StatusFailedDependency, Props: rest})
		}
	} else {
		err := h.Files.SetProperties(r.Context(), t.groupID(), t.path, c.check(scope{groupID: t.groupID(), path: t.path}), changes(ops))
		if err != nil {
			return err
		}
		stats = []davxml.Propstat{{Status: http.StatusOK, Props: names(ops)}}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.WriteHeader(http.StatusMultiStatus)
	ms := davxml.NewMultistatusWriter(w)
	n, _ := h.Files.Stat(r.Context(), t.groupID(), t.path)
	ms.Propstats(h.href(t.grant.Group, t.path, n.IsDir), stats)
	return ms.Close()
}

// changes are the files service's instructions for ops; Windows' Win32LastModifiedTime also sets
// the file's modification time.
func changes(ops []davxml.PropOp) []files.PropChange {
	out := make([]files.PropChange, len(ops))
	for i, op := range ops {
		out[i] = files.PropChange{Remove: op.Remove, Space: op.Name.Space, Name: op.Name.Local, Value: op.Value}
		if !op.Remove && op.Name == (davxml.Name{Space: msNamespace, Local: "Win32LastModifiedTime"}) {
			out[i].Modified, _ = win32Time(op.Value)
		}
	}
	return out
}

// win32Time reads the date Windows puts in Win32LastModifiedTime (an HTTP date).
func win32Time(elem []byte) (time.Time, bool) {
	var v struct {
		Text string `xml:",chardata"`
	}
	if xml.NewDecoder(bytes.NewReader(elem)).Decode(&v) != nil {
		return time.Time{}, false
	}
	t, err := http.ParseTime(string(bytes.TrimSpace([]byte(v.Text))))
	return t, err == nil
}

func protectedOps(ops []davxml.PropOp) []davxml.Prop {
	var out []davxml.Prop
	for _, op := range ops {
		if op.Name.Space == davxml.SpaceDAV {
			out = append(out, davxml.Prop{Name: op.Name})
		}
	}
	return out
}

func otherOps(ops []davxml.PropOp) []davxml.Prop {
	var out []davxml.Prop
	for _, op := range ops {
		if op.Name.Space != davxml.SpaceDAV {
			out = append(out, davxml.Prop{Name: op.Name})
		}
	}
	return out
}

func names(ops []davxml.PropOp) []davxml.Prop {
	out := make([]davxml.Prop, len(ops))
	for i, op := range ops {
		out[i] = davxml.Prop{Name: op.Name}
	}
	return out
}
