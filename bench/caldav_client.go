package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
)

// CalDAV requests. Paths are absolute ("/dav/calendars/…"), as hrefs are;
// the client's root is the server's origin.

// msProp holds the properties the workload reads from multistatus answers.
type msProp struct {
	CurrentUserPrincipal hrefSet `xml:"DAV: current-user-principal"`
	CalendarHomeSet      hrefSet `xml:"urn:ietf:params:xml:ns:caldav calendar-home-set"`
	ResourceType         struct {
		Calendar *struct{} `xml:"urn:ietf:params:xml:ns:caldav calendar"`
	} `xml:"DAV: resourcetype"`
	ETag         string `xml:"DAV: getetag"`
	CalendarData string `xml:"urn:ietf:params:xml:ns:caldav calendar-data"`
}

// hrefSet is a property whose value is DAV:href elements.
type hrefSet struct {
	Hrefs []string `xml:"DAV: href"`
}

type msPropstat struct {
	Status string `xml:"DAV: status"`
	Prop   msProp `xml:"DAV: prop"`
}

type msResponse struct {
	Hrefs    []string     `xml:"DAV: href"`
	Status   string       `xml:"DAV: status"`
	Propstat []msPropstat `xml:"DAV: propstat"`
}

// ok200 returns the properties of the response's 200 propstat, if any.
func (r msResponse) ok200() (msProp, bool) {
	for _, ps := range r.Propstat {
		if strings.Contains(ps.Status, " 200") {
			return ps.Prop, true
		}
	}
	return msProp{}, false
}

type multistatus struct {
	Responses []msResponse `xml:"DAV: response"`
	SyncToken string       `xml:"DAV: sync-token"`
}

func parseMultistatus(body []byte) (*multistatus, error) {
	var ms multistatus
	if err := xml.Unmarshal(body, &ms); err != nil {
		return nil, fmt.Errorf("multistatus is not valid XML: %w", err)
	}
	return &ms, nil
}

// hrefPath reduces an href (a path, or an absolute URL on the same server)
// to its path, as sent back in requests.
func hrefPath(href string) string {
	href = strings.TrimSpace(href)
	if u, err := url.Parse(href); err == nil && u.Scheme != "" {
		return u.EscapedPath()
	}
	return href
}

// xmlReq sends an XML request to the absolute path p and returns the whole
// answer, checking its status against ok.
func (c *client) xmlReq(ctx context.Context, method, p, depth, body string, ok ...int) ([]byte, error) {
	hdr := []string{"Content-Type", "application/xml; charset=utf-8"}
	if depth != "" {
		hdr = append(hdr, "Depth", depth)
	}
	var rd *strings.Reader
	size := int64(0)
	if body != "" {
		rd, size = strings.NewReader(body), int64(len(body))
	}
	rel := strings.TrimPrefix(p, "/")
	var r reply
	var err error
	if rd != nil {
		r, err = c.send(ctx, method, rel, rd, size, 1<<30, hdr...)
	} else {
		r, err = c.send(ctx, method, rel, nil, 0, 1<<30, hdr...)
	}
	if err != nil {
		return nil, err
	}
	return r.body, r.check(method, p, ok...)
}

// putICS stores an iCalendar object at the absolute path p; create asks
// for If-None-Match: * (a new object, as clients create them).
func (c *client) putICS(ctx context.Context, p string, data []byte, create bool) error {
	hdr := []string{"Content-Type", "text/calendar; charset=utf-8"}
	if create {
		hdr = append(hdr, "If-None-Match", "*")
	}
	rel := strings.TrimPrefix(p, "/")
	r, err := c.send(ctx, "PUT", rel, bytes.NewReader(data), int64(len(data)), 0, hdr...)
	if err != nil {
		return err
	}
	if create {
		return r.check("PUT", p, 201)
	}
	return r.check("PUT", p, 200, 201, 204)
}

const (
	propfindPrincipal = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:current-user-principal/></D:prop></D:propfind>`
	propfindHomeSet = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><C:calendar-home-set/></D:prop></D:propfind>`
	propfindHome = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:resourcetype/><D:displayname/><C:supported-calendar-component-set/></D:prop></D:propfind>`
	// propfindCalendar is what a client asks when it lists a calendar's
	// objects (DAVx⁵, Thunderbird): their ETags, types and names.
	propfindCalendar = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getetag/><D:getcontenttype/><D:displayname/></D:prop></D:propfind>`
	mkcalendarBody = `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
<D:displayname>Bench</D:displayname>
<C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
</D:prop></D:set></C:mkcalendar>`
	// monthQuery is a time-range calendar-query asking for the objects'
	// ETags and data, as khal, python-caldav or Evolution do.
	monthQuery = `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:getetag/><C:calendar-data/></D:prop>
<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
<C:time-range start="` + calQueryFrom + `" end="` + calQueryTo + `"/>
</C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`
)

// syncBody is a sync-collection REPORT asking for ETags (RFC 6578): the
// client then multigets what changed.
func syncBody(token string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>` + xmlEscape(token) + `</D:sync-token>` +
		`<D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`
}

// multigetBody asks for the ETag and data of every href.
func multigetBody(hrefs []string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
<D:prop><D:getetag/><C:calendar-data/></D:prop>
`)
	for _, h := range hrefs {
		b.WriteString("<D:href>" + xmlEscape(h) + "</D:href>\n")
	}
	b.WriteString("</C:calendar-multiget>")
	return b.String()
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// discoverCalendar finds the calendar the workload fills, as a client
// given only the server's URL would: PROPFIND /.well-known/caldav
// (following redirections), else the root, for current-user-principal;
// then the principal's calendar-home-set; then the home's Depth 1 listing.
// If the home holds a calendar whose last path segment is name, that one is
// used (parvis: the group agenda "bench~agenda"); otherwise name/ is created
// in the home with MKCALENDAR. It returns the calendar's path and how it
// was found.
func (c *client) discoverCalendar(ctx context.Context, name string) (string, string, error) {
	principal, how, err := c.findPrincipal(ctx)
	if err != nil {
		return "", "", err
	}
	body, err := c.xmlReq(ctx, "PROPFIND", principal, "0", propfindHomeSet, 207)
	if err != nil {
		return "", "", fmt.Errorf("calendar-home-set: %w", err)
	}
	ms, err := parseMultistatus(body)
	if err != nil {
		return "", "", err
	}
	home := ""
	for _, r := range ms.Responses {
		if p, ok := r.ok200(); ok && len(p.CalendarHomeSet.Hrefs) > 0 {
			home = hrefPath(p.CalendarHomeSet.Hrefs[0])
		}
	}
	if home == "" {
		return "", "", fmt.Errorf("principal %s has no calendar-home-set", principal)
	}
	if !strings.HasSuffix(home, "/") {
		home += "/"
	}
	how += fmt.Sprintf(", principal %s, home %s", principal, home)
	body, err = c.xmlReq(ctx, "PROPFIND", home, "1", propfindHome, 207)
	if err != nil {
		return "", "", fmt.Errorf("listing the calendar home: %w", err)
	}
	if ms, err = parseMultistatus(body); err != nil {
		return "", "", err
	}
	for _, r := range ms.Responses {
		if len(r.Hrefs) == 0 {
			continue
		}
		p := hrefPath(r.Hrefs[0])
		if prop, ok := r.ok200(); ok && prop.ResourceType.Calendar != nil &&
			strings.TrimSuffix(p[strings.LastIndexByte(strings.TrimSuffix(p, "/"), '/')+1:], "/") == name {
			if !strings.HasSuffix(p, "/") {
				p += "/"
			}
			return p, how + ", existing calendar " + name, nil
		}
	}
	cal := home + name + "/"
	if _, err := c.xmlReq(ctx, "MKCALENDAR", cal, "", mkcalendarBody, 201); err != nil {
		return "", "", err
	}
	return cal, how + ", calendar created with MKCALENDAR", nil
}

// findPrincipal asks /.well-known/caldav, following up to 5 redirections,
// then the root, for the current-user-principal.
func (c *client) findPrincipal(ctx context.Context) (string, string, error) {
	var tried []string
	for _, start := range []string{"/.well-known/caldav", "/"} {
		p := start
		for range 6 {
			r, err := c.send(ctx, "PROPFIND", strings.TrimPrefix(p, "/"), strings.NewReader(propfindPrincipal),
				int64(len(propfindPrincipal)), 1<<20, "Depth", "0", "Content-Type", "application/xml; charset=utf-8")
			if err != nil {
				return "", "", err
			}
			if r.status >= 300 && r.status < 400 {
				loc := r.location
				if loc == "" {
					break
				}
				p = hrefPath(loc)
				continue
			}
			if r.status != 207 {
				tried = append(tried, fmt.Sprintf("%s: HTTP %d", p, r.status))
				break
			}
			ms, err := parseMultistatus(r.body)
			if err != nil {
				return "", "", err
			}
			for _, resp := range ms.Responses {
				if prop, ok := resp.ok200(); ok && len(prop.CurrentUserPrincipal.Hrefs) > 0 {
					return hrefPath(prop.CurrentUserPrincipal.Hrefs[0]), "discovered from " + start + " via " + p, nil
				}
			}
			tried = append(tried, p+": no current-user-principal")
			break
		}
	}
	return "", "", fmt.Errorf("no current-user-principal (%s)", strings.Join(tried, "; "))
}
