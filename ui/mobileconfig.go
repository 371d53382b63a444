package ui

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// An Apple configuration profile (.mobileconfig) that adds the person's agendas (CalDAV) and
// contacts (CardDAV) to an iPhone, iPad or Mac in one tap. It is unsigned: signing needs a
// certificate the association does not have, and iOS installs unsigned profiles after saying so
// ("Not verified"). It carries a fresh app password so that it works as it is.

// plistEntry is one key of a plist dictionary; Value is a string, an int, a bool or []plistDict.
type plistEntry struct {
	Key   string
	Value any
}

type plistDict []plistEntry

// davAccount is what both payloads say: where the server is and who signs in.
type davAccount struct {
	Host      string
	Port      int
	SSL       bool
	Principal string // path of the person's principal, e.g. /dav/principals/7/
	User      string
	Password  string
}

// parsePublicURL reads host, port and TLS from the server's public address.
func parsePublicURL(public string) (host string, port int, ssl bool, err error) {
	u, err := url.Parse(public)
	if err != nil || u.Hostname() == "" {
		return "", 0, false, fmt.Errorf("ui: public URL %q: %v", public, err)
	}
	ssl = u.Scheme == "https"
	port = 80
	if ssl {
		port = 443
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return "", 0, false, fmt.Errorf("ui: public URL port: %w", err)
		}
	}
	return u.Hostname(), port, ssl, nil
}

// davPayload is one account payload; kind is "CalDAV" or "CardDAV", which names its keys.
func davPayload(kind, name string, a davAccount, idPrefix string) plistDict {
	id := uuid.NewString()
	return plistDict{
		{kind + "AccountDescription", name},
		{kind + "HostName", a.Host},
		{kind + "Port", a.Port},
		{kind + "PrincipalURL", a.Principal},
		{kind + "UseSSL", a.SSL},
		{kind + "Username", a.User},
		{kind + "Password", a.Password},
		{"PayloadDisplayName", name},
		{"PayloadIdentifier", idPrefix + "." + strings.ToLower(kind) + "." + id},
		{"PayloadType", "com.apple." + strings.ToLower(kind) + ".account"},
		{"PayloadUUID", id},
		{"PayloadVersion", 1},
	}
}

// mobileConfig builds the whole profile; agendas and contacts name the two accounts in the
// person's language.
func mobileConfig(a davAccount, title, agendas, contacts string) []byte {
	idPrefix := "parvis." + a.Host
	id := uuid.NewString()
	root := plistDict{
		{"PayloadContent", []plistDict{
			davPayload("CalDAV", agendas, a, idPrefix),
			davPayload("CardDAV", contacts, a, idPrefix),
		}},
		{"PayloadDisplayName", title},
		{"PayloadIdentifier", idPrefix + "." + id},
		{"PayloadRemovalDisallowed", false},
		{"PayloadType", "Configuration"},
		{"PayloadUUID", id},
		{"PayloadVersion", 1},
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString(`<plist version="1.0">` + "\n")
	writePlistDict(&b, root, "")
	b.WriteString("</plist>\n")
	return []byte(b.String())
}

// writePlistDict writes a dictionary; strings are escaped, so a name or password cannot break out.
func writePlistDict(b *strings.Builder, d plistDict, indent string) {
	b.WriteString(indent + "<dict>\n")
	in := indent + "\t"
	for _, e := range d {
		b.WriteString(in + "<key>" + escapeXML(e.Key) + "</key>\n")
		switch v := e.Value.(type) {
		case string:
			b.WriteString(in + "<string>" + escapeXML(v) + "</string>\n")
		case int:
			b.WriteString(in + "<integer>" + strconv.Itoa(v) + "</integer>\n")
		case bool:
			b.WriteString(in + "<" + strconv.FormatBool(v) + "/>\n")
		case []plistDict:
			b.WriteString(in + "<array>\n")
			for _, sub := range v {
				writePlistDict(b, sub, in+"\t")
			}
			b.WriteString(in + "</array>\n")
		}
	}
	b.WriteString(indent + "</dict>\n")
}

func escapeXML(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
