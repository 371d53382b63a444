package caldav

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// davClient speaks plain HTTP to the server under test, to create, change and list items on the
// server side of a sync without going through the client being tested.
type davClient struct {
	base, user, password string
}

func (c davClient) do(method, path, ctype, body string, hdr ...string) (*http.Response, string, error) {
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	req.SetBasicAuth(c.user, c.password)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

var hrefRe = regexp.MustCompile(`<[A-Za-z]*:?href>([^<]*)</`)

// principalID asks the context root for the current-user-principal and returns the person's id
// segment of it, with which the collection URLs are built.
func (c davClient) principalID(t *testing.T) string {
	t.Helper()
	body := `<propfind xmlns="DAV:"><prop><current-user-principal/></prop></propfind>`
	resp, out, err := c.do("PROPFIND", "/dav/", "application/xml", body, "Depth", "0")
	if err != nil || resp.StatusCode != http.StatusMultiStatus {
		t.Fatalf("PROPFIND /dav/: %v %v %s", err, resp, out)
	}
	for _, m := range hrefRe.FindAllStringSubmatch(out, -1) {
		if id, ok := strings.CutPrefix(m[1], "/dav/principals/"); ok {
			return strings.TrimSuffix(id, "/")
		}
	}
	t.Fatalf("no principal in %s", out)
	return ""
}

// putAll creates items (resource name → content) in a collection, eight at a time, each with
// If-None-Match: *.
func (c davClient) putAll(t *testing.T, coll string, items map[string]string, ctype string) {
	t.Helper()
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []string
	for name, item := range items {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			resp, out, err := c.do(http.MethodPut, coll+url.PathEscape(name), ctype, item, "If-None-Match", "*")
			if err != nil || resp.StatusCode != http.StatusCreated {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("PUT %s: %v %v %s", name, err, resp, out))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d PUTs failed, first: %s", len(errs), errs[0])
	}
}

// multistatus is what the tests read of a sync-collection answer.
type multistatus struct {
	Responses []struct {
		Href     string `xml:"href"`
		Propstat []struct {
			Status string `xml:"status"`
			Prop   struct {
				ETag     string `xml:"getetag"`
				CalData  string `xml:"calendar-data"`
				CardData string `xml:"address-data"`
			} `xml:"prop"`
		} `xml:"propstat"`
	} `xml:"response"`
}

// remoteItem is an object as the server holds it.
type remoteItem struct {
	href, etag, data string
}

// list reads every object of a collection with one sync-collection REPORT (empty token), keyed by UID.
func (c davClient) list(t *testing.T, coll string, card bool) map[string]remoteItem {
	t.Helper()
	data := `<C:calendar-data xmlns:C="urn:ietf:params:xml:ns:caldav"/>`
	if card {
		data = `<A:address-data xmlns:A="urn:ietf:params:xml:ns:carddav"/>`
	}
	body := `<sync-collection xmlns="DAV:"><sync-token/><sync-level>1</sync-level><prop><getetag/>` + data + `</prop></sync-collection>`
	resp, out, err := c.do("REPORT", coll, "application/xml", body)
	if err != nil || resp.StatusCode != http.StatusMultiStatus {
		t.Fatalf("REPORT %s: %v %v %s", coll, err, resp, out)
	}
	var ms multistatus
	if err := xml.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("REPORT %s: %v", coll, err)
	}
	items := map[string]remoteItem{}
	for _, r := range ms.Responses {
		for _, ps := range r.Propstat {
			d := ps.Prop.CalData + ps.Prop.CardData
			if d == "" {
				continue
			}
			uid := uidOf(d)
			if _, dup := items[uid]; dup || uid == "" {
				t.Errorf("%s: UID %q twice or missing", coll, uid)
			}
			items[uid] = remoteItem{href: r.Href, etag: ps.Prop.ETag, data: d}
		}
	}
	return items
}

// remove deletes an object with If-Match, as a client that saw it would.
func (c davClient) remove(t *testing.T, it remoteItem) {
	t.Helper()
	resp, out, err := c.do(http.MethodDelete, it.href, "", "", "If-Match", it.etag)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE %s: %v %v %s", it.href, err, resp, out)
	}
}
