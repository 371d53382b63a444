package server

import (
	"encoding/xml"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestConnectPage: each client's card gives its address; DAVx⁵'s is also a QR code of the
// server's base URL.
func TestConnectPage(t *testing.T) {
	ts := newPublicTestServer(t)
	b := accountBrowser(t, ts, alice, "fr")
	page := mustGet(t, b, "/account/connect")
	base := ts.cfg.PublicURL()
	for id, want := range map[string]string{"davx": base, "apple": base, "windows": base + "/dav/files/",
		"linux": "dav://" + strings.TrimPrefix(base, "http://") + "/dav/files/", "rclone": base + "/dav/files/"} {
		if got := elementText(t, page, "url-"+id); got != want {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	checkQR(t, b, "/account/connect/qr.png", base)
}

// TestAppleProfile: the profile is a plist with a CalDAV and a CardDAV payload for this server and
// person, distinct UUIDs, and a fresh app password that opens the principal over CalDAV.
func TestAppleProfile(t *testing.T) {
	ts := newPublicTestServer(t)
	b := accountBrowser(t, ts, alice, "en")
	status, body, h := b.submit("/account/connect", "/account/connect/apple.mobileconfig", url.Values{"name": {"iPhone"}, "client": {"apple"}})
	if status != 200 || h.Get("Content-Type") != "application/x-apple-aspen-config" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("profile: %d %q\n%s", status, h.Get("Content-Type"), body)
	}
	root := parsePlist(t, body)
	payloads, _ := root["PayloadContent"].([]any)
	if root["PayloadType"] != "Configuration" || len(payloads) != 2 {
		t.Fatalf("root: %v", root)
	}
	u, _ := url.Parse(ts.cfg.PublicURL())
	port, _ := strconv.Atoi(u.Port())
	uuids := map[any]bool{root["PayloadUUID"]: true}
	var password string
	for i, kind := range []string{"CalDAV", "CardDAV"} {
		p, _ := payloads[i].(map[string]any)
		if p["PayloadType"] != "com.apple."+strings.ToLower(kind)+".account" || p[kind+"HostName"] != u.Hostname() ||
			p[kind+"Port"] != port || p[kind+"UseSSL"] != false || p[kind+"Username"] != alice {
			t.Fatalf("%s payload: %v", kind, p)
		}
		if pp, _ := p[kind+"PrincipalURL"].(string); !strings.HasPrefix(pp, "/dav/principals/") {
			t.Fatalf("%s principal: %v", kind, p)
		}
		uuids[p["PayloadUUID"]] = true
		password, _ = p[kind+"Password"].(string)
	}
	if len(uuids) != 3 {
		t.Fatalf("payload UUIDs repeat: %v", uuids)
	}
	cal := payloads[0].(map[string]any)
	if c := davStatus(t, ts, cal["CalDAVPrincipalURL"].(string), alice, password); c != 207 {
		t.Fatalf("PROPFIND of the principal with the profile's password: %d", c)
	}
	if bobs := davStatus(t, ts, cal["CalDAVPrincipalURL"].(string), bob, pw); bobs != 404 {
		t.Fatalf("the principal is not alice's own: bob gets %d", bobs)
	}
	if list := mustGet(t, b, "/account/devices"); !strings.Contains(list, "Apple iPhone") {
		t.Fatal("the profile's app password is not listed as Apple iPhone")
	}
}

// parsePlist reads an XML property list of dicts, arrays, strings, integers and booleans.
func parsePlist(t *testing.T, doc string) map[string]any {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("plist: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "dict" {
			v, err := plistValue(d, se)
			if err != nil {
				t.Fatalf("plist: %v", err)
			}
			return v.(map[string]any)
		}
	}
}

// plistValue reads the value that start opens.
func plistValue(d *xml.Decoder, start xml.StartElement) (any, error) {
	switch start.Name.Local {
	case "dict", "array":
		var list []any
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			if _, end := tok.(xml.EndElement); end {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				v, err := plistValue(d, se)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
		}
		if start.Name.Local == "array" {
			return list, nil
		}
		m := map[string]any{}
		for i := 0; i+1 < len(list); i += 2 {
			m[list[i].(string)] = list[i+1]
		}
		return m, nil
	case "true", "false":
		return start.Name.Local == "true", d.Skip()
	}
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return nil, err
	}
	if start.Name.Local == "integer" {
		return strconv.Atoi(s)
	}
	return s, nil
}

// TestRcloneSnippet: the rclone.conf section shown after creating an rclone device password works
// as is with the real rclone.
func TestRcloneSnippet(t *testing.T) {
	if _, err := exec.LookPath("rclone"); err != nil {
		t.Skip("rclone not installed")
	}
	ts := newPublicTestServer(t)
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/compte-rendu.txt", user: alice, body: "ordre du jour"})
	b := accountBrowser(t, ts, alice, "fr")
	status, body, _ := b.submit("/account/connect", "/account/devices", url.Values{"name": {"rclone"}, "client": {"rclone"}})
	if status != 201 {
		t.Fatalf("create: %d\n%s", status, body)
	}
	conf := elementText(t, body, "rclone-conf")
	secret := elementText(t, body, "new-password")
	if !strings.Contains(conf, "type = webdav\n") || !strings.Contains(conf, "vendor = other\n") || strings.Contains(conf, secret) {
		t.Fatalf("snippet:\n%s", conf)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "rclone.conf")
	if err := os.WriteFile(path, []byte(html.UnescapeString(conf)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("rclone", "--config", path, "lsf", "parvis:atelier")
	cmd.Env = append(os.Environ(), "RCLONE_CACHE_DIR="+dir, "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "compte-rendu.txt" {
		t.Fatalf("rclone lsf: %v\n%s", err, out)
	}
}
