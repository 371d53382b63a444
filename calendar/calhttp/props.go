package calhttp

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"parvis/calendar"
	"parvis/dav/davxml"
	"parvis/storage/db"
)

// resource is one entry of a multistatus: a target, and for an object its row.
type resource struct {
	t          target
	obj        *db.Object
	publishURL string     // of a published calendar, read only when CS:publish-url is asked for
	expand     *expansion // calendar-data expanded into instances
}

func (res resource) href() string {
	switch res.t.kind {
	case resRoot:
		if res.t.bare {
			return "/"
		}
		return Prefix + "/"
	case resPrincipal:
		return principalHref(res.t.person)
	case resHome:
		return homeHref(res.t.space, res.t.person)
	case resCollection:
		return res.t.collHref()
	}
	return res.t.objectHref(res.obj.Name)
}

// allProps are the properties of an allprop PROPFIND, per resource kind (RFC 4918 asks for the
// live properties defined there; CalDAV's calendar-data is excluded, as RFC 4791 §9.6 allows).
var allProps = map[resKind][]xml.Name{
	resRoot:       {{Space: nsDAV, Local: "resourcetype"}, {Space: nsDAV, Local: "displayname"}, {Space: nsDAV, Local: "current-user-principal"}},
	resPrincipal:  {{Space: nsDAV, Local: "resourcetype"}, {Space: nsDAV, Local: "displayname"}, {Space: nsDAV, Local: "principal-URL"}, {Space: nsCalDAV, Local: "calendar-home-set"}, {Space: nsCardDAV, Local: "addressbook-home-set"}},
	resHome:       {{Space: nsDAV, Local: "resourcetype"}, {Space: nsDAV, Local: "displayname"}},
	resCollection: {{Space: nsDAV, Local: "resourcetype"}, {Space: nsDAV, Local: "displayname"}, {Space: nsCS, Local: "getctag"}, {Space: nsDAV, Local: "sync-token"}},
	resObject:     {{Space: nsDAV, Local: "resourcetype"}, {Space: nsDAV, Local: "getetag"}, {Space: nsDAV, Local: "getcontenttype"}, {Space: nsDAV, Local: "getcontentlength"}, {Space: nsDAV, Local: "getlastmodified"}},
}

// propstats answers the properties asked for one resource: found ones with 200, the others 404.
func propstats(res resource, names []xml.Name) []davxml.Propstat {
	ok := davxml.Propstat{Status: http.StatusOK}
	missing := davxml.Propstat{Status: http.StatusNotFound}
	tooLarge := davxml.Propstat{Status: http.StatusInsufficientStorage} // an expansion past calendar.MaxExpanded
	for _, n := range names {
		name := davxml.Name{Space: n.Space, Local: n.Local}
		if n == calendarData && res.t.kind == resObject && res.obj != nil && res.obj.Data != nil {
			if v, err := calendarDataXML(res); err != nil {
				tooLarge.Props = append(tooLarge.Props, davxml.Prop{Name: name})
			} else {
				ok.Props = append(ok.Props, davxml.Prop{Name: name, Value: v})
			}
			continue
		}
		if v, found := propValue(res, n); found {
			ok.Props = append(ok.Props, davxml.Prop{Name: name, Value: v})
		} else {
			missing.Props = append(missing.Props, davxml.Prop{Name: name})
		}
	}
	var out []davxml.Propstat
	if len(ok.Props) > 0 {
		out = append(out, ok)
	}
	if len(missing.Props) > 0 {
		out = append(out, missing)
	}
	if len(tooLarge.Props) > 0 {
		out = append(out, tooLarge)
	}
	return out
}

// calendarData is the CalDAV calendar-data property.
var calendarData = xml.Name{Space: nsCalDAV, Local: "calendar-data"}

func hrefXML(href string) []byte { return []byte("<D:href>" + davxml.EscapeText(href) + "</D:href>") }

// propValue computes one live property, as inner XML.
func propValue(res resource, n xml.Name) ([]byte, bool) {
	t := res.t
	switch n.Space {
	case nsDAV:
		return davProp(res, n.Local)
	case nsCalDAV:
		if t.kind == resPrincipal || t.kind == resRoot {
			return principalProp(t, n)
		}
		if t.space == "calendars" {
			return calendarProp(res, n.Local)
		}
	case nsCardDAV:
		if t.kind == resPrincipal || t.kind == resRoot {
			return principalProp(t, n)
		}
		if t.space == "addressbooks" {
			return cardProp(res, n.Local)
		}
	case nsCS:
		if n.Local == "getctag" && t.kind == resCollection {
			return []byte(davxml.EscapeText(syncToken(t.coll))), true
		}
		if n.Local == "publish-url" && res.publishURL != "" {
			return hrefXML(res.publishURL), true
		}
	case nsApple:
		if t.kind == resCollection && t.space == "calendars" {
			switch n.Local {
			case "calendar-color":
				return []byte(davxml.EscapeText(t.coll.Color)), t.coll.Color != ""
			case "calendar-order":
				return []byte(strconv.FormatInt(t.coll.Order, 10)), true
			}
		}
	}
	return nil, false
}

func davProp(res resource, local string) ([]byte, bool) {
	t := res.t
	switch local {
	case "resourcetype":
		return resourceType(t), true
	case "displayname":
		return displayName(t)
	case "current-user-principal":
		return hrefXML(principalHref(t.person)), true
	case "principal-URL":
		return hrefXML(principalHref(t.person)), t.kind == resPrincipal
	case "principal-collection-set":
		return hrefXML(Prefix + "/"), t.kind == resRoot || t.kind == resPrincipal
	case "owner":
		return hrefXML(principalHref(t.person)), t.kind != resObject && t.slug == ""
	case "current-user-privilege-set":
		return privileges(t), true
	case "supported-report-set":
		return supportedReports(t), true
	case "sync-token":
		return []byte(davxml.EscapeText(syncToken(t.coll))), t.kind == resCollection
	case "getetag":
		if res.obj != nil {
			return []byte(davxml.EscapeText(`"` + res.obj.ETag + `"`)), true
		}
	case "getcontenttype":
		if res.obj != nil {
			return []byte(contentType(t.space)), true
		}
	case "getcontentlength":
		if res.obj != nil {
			return []byte(strconv.FormatInt(res.obj.Size, 10)), true
		}
	case "getlastmodified":
		if res.obj != nil {
			return []byte(res.obj.ModifiedAt.UTC().Format(http.TimeFormat)), true
		}
	}
	return nil, false
}

func resourceType(t target) []byte {
	switch t.kind {
	case resPrincipal:
		return []byte("<D:collection/><D:principal/>")
	case resRoot, resHome:
		return []byte("<D:collection/>")
	case resCollection:
		switch t.coll.Kind {
		case db.KindInbox:
			return []byte(`<D:collection/><C:schedule-inbox xmlns:C="` + nsCalDAV + `"/>`)
		case kindOutbox:
			return []byte(`<D:collection/><C:schedule-outbox xmlns:C="` + nsCalDAV + `"/>`)
		}
		if t.coll.Kind == db.KindAddressBook {
			return []byte(`<D:collection/><A:addressbook xmlns:A="` + nsCardDAV + `"/>`)
		}
		return []byte(`<D:collection/><C:calendar xmlns:C="` + nsCalDAV + `"/>`)
	}
	return nil
}

func displayName(t target) ([]byte, bool) {
	switch t.kind {
	case resRoot:
		return []byte("Parvis"), true
	case resPrincipal:
		name := t.person.Name
		if name == "" {
			name = t.person.Email
		}
		return []byte(davxml.EscapeText(name)), true
	case resHome:
		if t.space == "calendars" {
			return []byte("Agendas"), true
		}
		return []byte("Carnets d’adresses"), true
	case resCollection:
		return []byte(davxml.EscapeText(t.coll.DisplayName)), true
	}
	return nil, false
}

// privileges is current-user-privilege-set (RFC 3744 §5.4): clients show a collection read-only when
// it lacks write, which is how a guest's phone knows not to offer editing.
func privileges(t target) []byte {
	var b strings.Builder
	privs := []string{"<D:read/>", "<D:read-current-user-privilege-set/>"}
	switch t.coll.Kind {
	case db.KindInbox: // its messages are delivered by the server, read and deleted by the person
		privs = append(privs, "<D:unbind/>", `<C:schedule-deliver xmlns:C="`+nsCalDAV+`"/>`)
		t.writable = false
	case kindOutbox:
		privs = append(privs, `<C:schedule-send xmlns:C="`+nsCalDAV+`"/>`)
		t.writable = false
	}
	if t.space == "calendars" {
		privs = append(privs, `<C:read-free-busy xmlns:C="`+nsCalDAV+`"/>`)
	}
	if t.writable || t.kind == resHome {
		privs = append(privs, "<D:write/>", "<D:write-properties/>", "<D:write-content/>", "<D:bind/>", "<D:unbind/>")
	}
	for _, p := range privs {
		b.WriteString("<D:privilege>" + p + "</D:privilege>")
	}
	return []byte(b.String())
}

func supportedReports(t target) []byte {
	var reports []string
	switch {
	case t.kind == resCollection && t.coll.Kind == kindOutbox:
	case t.kind == resCollection && t.coll.Kind == db.KindInbox:
		reports = []string{`<C:calendar-query xmlns:C="` + nsCalDAV + `"/>`, `<C:calendar-multiget xmlns:C="` + nsCalDAV + `"/>`, "<D:sync-collection/>"}
	case t.kind == resCollection && t.space == "calendars":
		reports = []string{`<C:calendar-query xmlns:C="` + nsCalDAV + `"/>`, `<C:calendar-multiget xmlns:C="` + nsCalDAV + `"/>`,
			`<C:free-busy-query xmlns:C="` + nsCalDAV + `"/>`, "<D:sync-collection/>"}
	case t.kind == resRoot || t.kind == resPrincipal:
		reports = []string{"<D:principal-property-search/>", "<D:principal-search-property-set/>"}
	case t.kind == resCollection:
		reports = []string{`<A:addressbook-query xmlns:A="` + nsCardDAV + `"/>`, `<A:addressbook-multiget xmlns:A="` + nsCardDAV + `"/>`, "<D:sync-collection/>"}
	}
	var b strings.Builder
	for _, r := range reports {
		b.WriteString("<D:supported-report><D:report>" + r + "</D:report></D:supported-report>")
	}
	return []byte(b.String())
}

func principalProp(t target, n xml.Name) ([]byte, bool) {
	switch n {
	case xml.Name{Space: nsCalDAV, Local: "calendar-home-set"}:
		return hrefXML(homeHref("calendars", t.person)), true
	case xml.Name{Space: nsCardDAV, Local: "addressbook-home-set"}:
		return hrefXML(homeHref("addressbooks", t.person)), true
	case xml.Name{Space: nsCalDAV, Local: "calendar-user-address-set"}:
		return append(hrefXML("mailto:"+t.person.Email), hrefXML(principalHref(t.person))...), true
	case xml.Name{Space: nsCalDAV, Local: "schedule-inbox-URL"}:
		return hrefXML(homeHref("calendars", t.person) + inboxSeg + "/"), true
	case xml.Name{Space: nsCalDAV, Local: "schedule-outbox-URL"}:
		return hrefXML(homeHref("calendars", t.person) + outboxSeg + "/"), true
	case xml.Name{Space: nsCalDAV, Local: "calendar-user-type"}:
		return []byte("INDIVIDUAL"), true
	}
	return nil, false
}

func calendarProp(res resource, local string) ([]byte, bool) {
	t := res.t

	if t.kind != resCollection {
		return nil, false
	}
	switch local {
	case "schedule-default-calendar-URL":
		return hrefXML(t.defaultCalendar), t.coll.Kind == db.KindInbox && t.defaultCalendar != ""
	case "calendar-description":
		return []byte(davxml.EscapeText(t.coll.Description)), true
	case "calendar-timezone":
		return []byte(davxml.EscapeText(t.coll.Timezone)), t.coll.Timezone != ""
	case "supported-calendar-component-set":
		var b strings.Builder
		for _, c := range t.coll.Components {
			b.WriteString(`<C:comp xmlns:C="` + nsCalDAV + `" name="` + davxml.EscapeText(c) + `"/>`)
		}
		return []byte(b.String()), true
	case "supported-calendar-data":
		return []byte(`<C:calendar-data xmlns:C="` + nsCalDAV + `" content-type="text/calendar" version="2.0"/>`), true
	case "max-resource-size":
		return []byte(strconv.Itoa(calendar.MaxObjectSize)), true
	}
	return nil, false
}

func cardProp(res resource, local string) ([]byte, bool) {
	t := res.t
	if t.kind == resObject && local == "address-data" && res.obj != nil {
		return []byte(davxml.EscapeCharData(string(res.obj.Data))), res.obj.Data != nil
	}
	if t.kind != resCollection {
		return nil, false
	}
	switch local {
	case "addressbook-description":
		return []byte(davxml.EscapeText(t.coll.Description)), true
	case "supported-address-data":
		return []byte(`<A:address-data-type xmlns:A="` + nsCardDAV + `" content-type="text/vcard" version="3.0"/>` +
			`<A:address-data-type xmlns:A="` + nsCardDAV + `" content-type="text/vcard" version="4.0"/>`), true
	case "max-resource-size":
		return []byte(strconv.Itoa(calendar.MaxCardSize)), true
	}
	return nil, false
}

func contentType(space string) string {
	if space == "addressbooks" {
		return "text/vcard; charset=utf-8"
	}
	return "text/calendar; charset=utf-8"
}

func isVCard(ct string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "text/vcard")
}
