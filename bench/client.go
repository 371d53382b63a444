package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client sends WebDAV requests below one root URL over a pool of
// keep-alive connections sized for the widest workload.
type client struct {
	root       string // WebDAV root, always ending in "/"
	user, pass string // HTTP Basic credentials; none when user is empty
	hc         *http.Client
}

func newClient(root, user, pass string, conns int) (*client, error) {
	u, err := url.Parse(root)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("bad -url %q: want http://HOST:PORT/PATH/", root)
	}
	if !strings.HasSuffix(root, "/") {
		root += "/"
	}
	tr := &http.Transport{
		Proxy:                 nil, // never route loopback traffic through an environment proxy
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          4 * conns,
		MaxIdleConnsPerHost:   4 * conns,
		MaxConnsPerHost:       0,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
		ResponseHeaderTimeout: 0, // each call carries its own context deadline
		WriteBufferSize:       64 << 10,
		ReadBufferSize:        64 << 10,
	}
	hc := &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &client{root: root, user: user, pass: pass, hc: hc}, nil
}

// url is the absolute URL of rel, a path relative to the root.
func (c *client) url(rel string) string { return c.root + rel }

// request sends one request; the caller must read and close the body.
// size is the body's length (-1 when unknown). hdr alternates names and values.
func (c *client) request(ctx context.Context, method, rel string, body io.Reader, size int64, hdr ...string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.url(rel), body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.ContentLength = size
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// Like neon (davfs2), WinHTTP or a browser, retry a request once on a new
	// connection when the server closed an idle keep-alive connection just as
	// the request went out: that is how HTTP/1.1 works, not a server error.
	// Go does so only for requests it may replay: ones marked with an
	// (unsent, because empty) idempotency key, whose body can be re-read.
	req.Header["Idempotency-Key"] = []string{}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.pass)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // drop the repeated method and URL
		}
		if dl, ok := ctx.Deadline(); ok && errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no answer within %s", dl.Sub(start).Round(time.Second))
		}
		return nil, fmt.Errorf("%s %s: %w", method, rel, err)
	}
	return resp, nil
}

// reply is a response read to its end.
type reply struct {
	status   int
	location string // the Location header, for redirections
	n        int64  // body bytes received
	body     []byte // the first bytes of the body (all of it when asked)
}

// send performs one request and reads the whole response body, keeping its
// first keep bytes (at least 256, for error messages); the rest is discarded.
func (c *client) send(ctx context.Context, method, rel string, body io.Reader, size int64, keep int, hdr ...string) (reply, error) {
	resp, err := c.request(ctx, method, rel, body, size, hdr...)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	var kept bytes.Buffer
	n, err := io.Copy(&kept, io.LimitReader(resp.Body, int64(max(keep, 256))))
	if err == nil {
		var rest int64
		rest, err = io.Copy(io.Discard, resp.Body)
		n += rest
	}
	r := reply{status: resp.StatusCode, location: resp.Header.Get("Location"), n: n, body: kept.Bytes()}
	if err != nil {
		return r, fmt.Errorf("%s %s: reading response: %w", method, rel, err)
	}
	return r, nil
}

// check returns an error naming the request unless the status is one of ok
// (any 2xx when ok is empty).
func (r reply) check(method, rel string, ok ...int) error {
	if len(ok) == 0 && r.status >= 200 && r.status < 300 {
		return nil
	}
	for _, s := range ok {
		if r.status == s {
			return nil
		}
	}
	snippet := strings.Join(strings.Fields(string(r.body)), " ")
	if len(snippet) > 120 {
		snippet = snippet[:120] + "…"
	}
	if snippet != "" {
		snippet = " (" + snippet + ")"
	}
	return fmt.Errorf("%s %s: HTTP %d%s", method, rel, r.status, snippet)
}

// mkcol creates a collection; rel ends in "/". An existing one is fine.
func (c *client) mkcol(ctx context.Context, rel string) error {
	r, err := c.send(ctx, "MKCOL", rel, nil, 0, 0)
	if err != nil {
		return err
	}
	return r.check("MKCOL", rel, 201, 405) // 405: already exists
}

// put uploads data to rel.
func (c *client) put(ctx context.Context, rel string, data []byte) error {
	r, err := c.send(ctx, "PUT", rel, bytes.NewReader(data), int64(len(data)), 0,
		"Content-Type", "application/octet-stream")
	if err != nil {
		return err
	}
	return r.check("PUT", rel)
}

// get downloads rel and checks that it holds exactly want.
func (c *client) get(ctx context.Context, rel string, want []byte) error {
	r, err := c.send(ctx, "GET", rel, nil, 0, len(want)+1)
	if err != nil {
		return err
	}
	if err := r.check("GET", rel, 200); err != nil {
		return err
	}
	if r.n != int64(len(want)) || !bytes.Equal(r.body, want) {
		return fmt.Errorf("GET %s: got %d bytes that differ from the %d PUT", rel, r.n, len(want))
	}
	return nil
}

// propfindBody asks for the properties a file manager shows in a listing.
const propfindBody = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/><D:getcontenttype/></D:prop></D:propfind>`

// propfind lists the collection rel with Depth 1 and returns the raw
// multistatus body when keepBody is set.
func (c *client) propfind(ctx context.Context, rel string, keepBody bool) ([]byte, error) {
	keep := 0
	if keepBody {
		keep = 1 << 30
	}
	r, err := c.send(ctx, "PROPFIND", rel, strings.NewReader(propfindBody), int64(len(propfindBody)), keep,
		"Depth", "1", "Content-Type", "application/xml; charset=utf-8")
	if err != nil {
		return nil, err
	}
	return r.body, r.check("PROPFIND", rel, 207)
}

// countResponses counts the DAV:response elements of a multistatus body.
func countResponses(body []byte) (int, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("multistatus is not valid XML: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Space == "DAV:" && se.Name.Local == "response" {
			n++
		}
	}
}

// del removes rel.
func (c *client) del(ctx context.Context, rel string) error {
	r, err := c.send(ctx, "DELETE", rel, nil, 0, 0)
	if err != nil {
		return err
	}
	return r.check("DELETE", rel)
}

// move renames src to dst, which must not exist.
func (c *client) move(ctx context.Context, src, dst string) error {
	r, err := c.send(ctx, "MOVE", src, nil, 0, 0, "Destination", c.url(dst), "Overwrite", "F")
	if err != nil {
		return err
	}
	return r.check("MOVE", src, 201, 204)
}
