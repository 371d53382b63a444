package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"parvis/access"
	"parvis/meeting"
	"parvis/storage/db"
)

// The authorization matrix: every state a person can be in, against every route of every surface,
// with the status each must get. The routes come from the server itself (the front door's table of
// surfaces, Fiber's router, the Allow header of both DAV handlers): a route added without its row
// here fails TestAuthorizationMatrix, and so does an action of access's policy that no row exercises.

// roleNeeded restates the policy for the test, independently of access/policy.go: the least role of
// the group's own people that may perform each action, and whether administrators may without one.
var roleNeeded = map[access.Action]struct {
	least db.Role
	admin bool
}{
	access.FilesSee: {db.RoleGuest, false}, access.FilesRead: {db.RoleGuest, false}, access.FilesWrite: {db.RoleMember, false},
	access.FilesHistory: {db.RoleGuest, false}, access.FilesRestore: {db.RoleMember, false}, access.LocksBreak: {db.RoleAnimator, false},
	access.TrashRead: {db.RoleMember, false}, access.TrashPurge: {db.RoleAnimator, false},
	access.SharesRead: {db.RoleMember, false}, access.SharesWrite: {db.RoleMember, false},
	access.PubsRead: {db.RoleGuest, false}, access.Publish: {db.RoleAnimator, false},
	access.CalendarRead: {db.RoleGuest, false}, access.CalendarWrite: {db.RoleMember, false},
	access.CalendarPublish: {db.RoleAnimator, false},
	access.ContactsRead:    {db.RoleGuest, false}, access.ContactsWrite: {db.RoleMember, false},
	access.LinksRead: {db.RoleGuest, false}, access.LinksWrite: {db.RoleMember, false},
	access.InvitationsSend: {db.RoleMember, false}, access.InvitationsMany: {db.RoleAnimator, false},
	access.PollsRead: {db.RoleGuest, false}, access.PollsAnswer: {db.RoleGuest, false}, access.PollsWrite: {db.RoleAnimator, false},
	access.MinutesRead: {db.RoleGuest, false}, access.MinutesWrite: {db.RoleMember, false}, access.MinutesValidate: {db.RoleAnimator, false},
	access.PeopleRead: {db.RoleGuest, true}, access.RequestsDecide: {db.RoleAnimator, false},
	access.PeopleInvite: {db.RoleAnimator, true}, access.RolesGrant: {db.RoleAnimator, true},
	access.ListsRead: {db.RoleGuest, false}, access.ListsModerate: {db.RoleAnimator, false}, access.ListsManage: {db.RoleAnimator, false},
}

// mstate is one state a person can be in, as the matrix's columns.
type mstate struct {
	name     string
	email    string  // "" when signed out
	password string  // what DAV and API requests send
	role     db.Role // in atelier, for those whose standing there is a role
	admin    bool
	signIn   bool   // may open a web session
	inGroup  bool   // holds a role in atelier that is not in force (dues unpaid)
	badCreds bool   // the credentials sent are refused (suspended, revoked, two-factor)
	from     string // loopback address to send from, for those whose credentials are refused
	web      *browser
	csrf     string
	id       int64 // person id, for the DAV homes (anna's when signed out)
	// associate: a member of the association through another group (bob, of bureau).
	associate bool
}

// Classes of routes that are not about one group's data.
const (
	classPublic = "public" // no sign-in: what anyone gets
	classSelf   = "self"   // the signed-in person's own account
	classAdmin  = "admin"  // the administration
	classJoin   = "join"   // asking to join a group: for those not in it
	// classPublished: atelier's validated minutes published to every member of the association:
	// its own people and the members of other groups read them, nobody else.
	classPublished = "published"
)

// mrow is one route of the matrix.
type mrow struct {
	route  string        // the surface's route as enumerated: "web GET /groups/:slug/agenda", "webdav PUT"
	action access.Action // for a group's data; "" with a class
	class  string
	joins  string // for classJoin: the group asked, when not atelier
	ok     int    // what a person allowed gets
	page   bool   // sent by the person's browser (a form with its CSRF token), not with Basic credentials
	// build makes the request for one state, preparing what it acts on (as anna) when the action
	// consumes it, so that each state finds its own.
	build func(f *mfix, st *mstate) req
	// outcome, when set, reads the answer as a status: for a route whose refusal is inside a 200
	// (a free-busy request answers each recipient in its body).
	outcome func(code int, body string) int
}

// mfix is the world the matrix runs in.
type mfix struct {
	t      *testing.T
	ts     *testServer
	annaID int64
	n      int
}

// uniq returns a fresh name for something a row prepares.
func (f *mfix) uniq(prefix string) string { f.n++; return fmt.Sprintf("%s-%d", prefix, f.n) }

func (f *mfix) jsonID(method, path, body string) string {
	var out struct{ ID int64 }
	f.ts.apiJSON(f.t, map[string]int{"POST": 201}[method], method, path, anna, body, &out)
	return fmt.Sprint(out.ID)
}

// trashed puts a file in atelier's trash and returns its trash id.
func (f *mfix) trashed() string {
	name := f.uniq("corbeille")
	f.ts.must(f.t, 201, req{method: "PUT", path: "/dav/files/atelier/" + name, user: anna, body: "x"})
	f.ts.must(f.t, 204, req{method: "DELETE", path: "/dav/files/atelier/" + name, user: anna})
	var list struct{ Items []struct{ ID int64 } }
	f.ts.apiJSON(f.t, 200, "GET", "/api/groups/atelier/trash", anna, "", &list)
	return fmt.Sprint(list.Items[0].ID)
}

// versioned writes a file twice and returns its path and the id of its first version.
func (f *mfix) versioned() (string, string) {
	name := "/" + f.uniq("versions")
	f.ts.must(f.t, 201, req{method: "PUT", path: "/dav/files/atelier" + name, user: anna, body: "v1"})
	f.ts.must(f.t, 204, req{method: "PUT", path: "/dav/files/atelier" + name, user: anna, body: "v2"})
	var vs struct{ Versions []struct{ ID int64 } }
	f.ts.apiJSON(f.t, 200, "GET", "/api/groups/atelier/versions?path="+name, anna, "", &vs)
	return name, fmt.Sprint(vs.Versions[0].ID)
}

// object puts an event, a task or a contact in atelier's collection and returns its UID.
func (f *mfix) object(coll string) string {
	uid := f.uniq(coll)
	body := map[string]func(string) string{"agenda": event, "taches": todo, "contacts": vcard}[coll](uid)
	space := "calendars"
	if coll == "contacts" {
		space = "addressbooks"
	}
	f.ts.must(f.t, 201, req{method: "PUT", path: fmt.Sprintf("/dav/%s/%d/atelier~%s/%s", space, f.annaID, coll, uid), user: anna, body: body,
		headers: []string{"Content-Type", contentTypeFor(coll)}})
	return uid
}

// joiner makes someone ask to join atelier and returns the request's id.
func (f *mfix) joiner() string {
	email := f.uniq("candidat") + "@example.org"
	f.person(email)
	var out struct{ ID int64 }
	f.ts.apiJSON(f.t, 201, "POST", "/api/groups/atelier/requests", email, `{"message": "bonjour"}`, &out)
	return fmt.Sprint(out.ID)
}

// member makes a member of atelier and returns their person id.
func (f *mfix) member() string {
	email := f.uniq("membre") + "@example.org"
	f.person(email)
	if err := f.ts.srv.in.access.Grant(context.Background(), access.CLI, "atelier", email, db.RoleMember, time.Time{}); err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprint(personID(f.t, f.ts, email))
}

func (f *mfix) person(email string) {
	if _, err := f.ts.srv.in.access.CreatePerson(context.Background(), access.CLI, access.NewPerson{Email: email, Password: pw}); err != nil {
		f.t.Fatal(err)
	}
}

// link makes a bookmark of atelier and returns its id.
func (f *mfix) link() string {
	ctx := context.Background()
	p, _ := f.ts.srv.in.db.R(ctx).PersonByEmail(anna)
	g, err := f.ts.srv.in.access.GroupAccess(ctx, p, "atelier")
	if err != nil {
		f.t.Fatal(err)
	}
	l, err := f.ts.srv.in.access.SaveLink(ctx, access.Actor{Person: p}, g, db.Link{Title: "Wiki", URL: "https://wiki.example.org"})
	if err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprint(l.ID)
}

// Request builders.
// poll opens a date poll of atelier as anna and returns its id and that of its first date.
func (f *mfix) poll() (string, string) {
	ctx := context.Background()
	p, _ := f.ts.srv.in.db.R(ctx).PersonByEmail(anna)
	g, err := f.ts.srv.in.access.GroupAccess(ctx, p, "atelier")
	if err != nil {
		f.t.Fatal(err)
	}
	start := time.Now().AddDate(0, 1, 0)
	poll, err := f.ts.srv.in.meetings.Open(ctx, p, g, meeting.Proposal{Title: f.uniq("Collectif"), Kind: "collectif",
		Deadline: time.Now().AddDate(0, 0, 7), Slots: []db.Slot{{Start: start, End: start.Add(time.Hour)}}})
	if err != nil {
		f.t.Fatal(err)
	}
	v, err := f.ts.srv.in.meetings.View(ctx, g, poll.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprint(poll.ID), fmt.Sprint(v.Slots[0].ID)
}

// minutes writes minutes of atelier as alice and brings them to status (draft, submitted,
// validated, or "members": validated and published to every member); it returns their id.
func (f *mfix) minutes(status string) string { return f.minutesOf(status, "") }

// minutesOf is minutes whose document is the file doc of atelier ("" for none).
func (f *mfix) minutesOf(status, doc string) string {
	ctx := context.Background()
	grant := func(email string) (db.Person, access.Grant) {
		p, _ := f.ts.srv.in.db.R(ctx).PersonByEmail(email)
		g, err := f.ts.srv.in.access.GroupAccess(ctx, p, "atelier")
		if err != nil {
			f.t.Fatal(err)
		}
		return p, g
	}
	writer, wg := grant(alice)
	animator, ag := grant(anna)
	mt := f.ts.srv.in.meetings
	m, err := mt.StartMinutes(ctx, writer, wg, meeting.Of{}, meeting.Draft{Title: f.uniq("Compte rendu"), HeldOn: time.Now(), Body: "Décisions.", Document: doc})
	steps := map[string]int{"draft": 0, "submitted": 1, "validated": 2, "members": 3}[status]
	if err == nil && steps >= 1 {
		err = mt.Submit(ctx, writer, wg, m.ID)
	}
	if err == nil && steps >= 2 {
		err = mt.Validate(ctx, animator, ag, m.ID)
	}
	if err == nil && steps >= 3 {
		_, err = mt.Publish(ctx, animator, ag, m.ID, access.PerimeterMembers)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprint(m.ID)
}

// publicMinutes are validated minutes of atelier published to anyone, their document
// /Docs/doc.txt: their link's path.
func (f *mfix) publicMinutes() string {
	ctx := context.Background()
	id := f.minutesOf("validated", "/Docs/doc.txt")
	p, _ := f.ts.srv.in.db.R(ctx).PersonByEmail(anna)
	g, _ := f.ts.srv.in.access.GroupAccess(ctx, p, "atelier")
	var n int64
	fmt.Sscan(id, &n)
	m, err := f.ts.srv.in.meetings.Publish(ctx, p, g, n, access.PerimeterPublic)
	if err != nil {
		f.t.Fatal(err)
	}
	return "/m/" + m.PublicToken
}

// pollLink opens a poll and gives anna a personal answer link to it, as its opening mail does.
func (f *mfix) pollLink() string {
	id, _ := f.poll()
	raw, hash := access.NewSecret()
	ctx := context.Background()
	p, _ := f.ts.srv.in.db.R(ctx).PersonByEmail(anna)
	err := f.ts.srv.in.db.Write(ctx, func(tx *db.Tx) error {
		var pollID int64
		fmt.Sscan(id, &pollID)
		return tx.AddPollLink(pollID, p.ID, hash)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return "/poll/" + raw
}

// invitingEvent is an event next year organized by organizer, inviting n people from outside.
func invitingEvent(uid, organizer string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN:VEVENT\nUID:%s\nDTSTAMP:20261121T100000Z\nDTSTART:%d0601T180000Z\nDTEND:%d0601T200000Z\nSUMMARY:AG\n",
		uid, time.Now().Year()+1, time.Now().Year()+1)
	fmt.Fprintf(&b, "ORGANIZER:mailto:%s\n", organizer)
	for i := range n {
		fmt.Fprintf(&b, "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:invite%d@partenaire.example\n", i)
	}
	b.WriteString("END:VEVENT\n")
	return ical(b.String())
}

// invitedMeeting has anna invite someone from outside to a new meeting of atelier and returns its UID.
func (f *mfix) invitedMeeting() string {
	uid := f.uniq("reunion")
	f.ts.must(f.t, 201, req{method: "PUT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/%s", f.annaID, uid), user: anna,
		body: invitingEvent(uid, anna, 1), headers: []string{"Content-Type", "text/calendar"}})
	return uid
}

// invitationLink has anna invite someone from outside to an event of atelier and returns an answer
// link of that invitation, as its mail carries.
func (f *mfix) invitationLink() string {
	ctx := context.Background()
	uid := f.uniq("invite")
	f.ts.must(f.t, 201, req{method: "PUT", path: fmt.Sprintf("/dav/calendars/%d/atelier~agenda/%s", f.annaID, uid), user: anna,
		body: invitingEvent(uid, anna, 1), headers: []string{"Content-Type", "text/calendar"}})
	r := f.ts.srv.in.db.R(ctx)
	g, _ := r.GroupBySlug("atelier")
	coll, err := r.Collection(g.ID, 0, db.KindCalendar, "agenda")
	if err != nil {
		f.t.Fatal(err)
	}
	invs, err := r.Invitations(coll.ID, uid)
	if err != nil || len(invs) != 1 {
		f.t.Fatalf("invitations of %s: %v, %v", uid, invs, err)
	}
	raw, hash := access.NewSecret()
	if err := f.ts.srv.in.db.Write(ctx, func(tx *db.Tx) error { return tx.AddInvitationLink(invs[0].ID, hash) }); err != nil {
		f.t.Fatal(err)
	}
	return "/invitation/" + raw
}

func get(path string) func(*mfix, *mstate) req {
	return func(*mfix, *mstate) req { return req{method: "GET", path: path} }
}

func send(method, path, body string) func(*mfix, *mstate) req {
	return func(*mfix, *mstate) req { return req{method: method, path: path, body: body} }
}

// form posts a form (the browser adds its CSRF token).
func form(path string, kv ...string) func(*mfix, *mstate) req {
	return func(*mfix, *mstate) req { return postForm(path, kv...) }
}

func postForm(path string, kv ...string) req {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return req{method: "POST", path: path, body: v.Encode()}
}

// freeBusyRequest is a VFREEBUSY REQUEST of from about who, for the coming month.
func freeBusyRequest(from, who string) string {
	now := time.Now().UTC()
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:fb\r\nDTSTAMP:" +
		now.Format("20060102T150405Z") + "\r\nDTSTART:" + now.Format("20060102T150405Z") + "\r\nDTEND:" +
		now.AddDate(0, 1, 0).Format("20060102T150405Z") + "\r\nORGANIZER:mailto:" + from + "\r\nATTENDEE:mailto:" + who +
		"\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n"
}

// cal is a CalDAV/CardDAV URL of the state's own home.
func cal(st *mstate, space, rest string) string {
	return fmt.Sprintf("/dav/%s/%d/%s", space, st.id, rest)
}

func calReq(method, space, rest, body string, headers ...string) func(*mfix, *mstate) req {
	return func(_ *mfix, st *mstate) req {
		return req{method: method, path: cal(st, space, rest), body: body, headers: headers}
	}
}

const (
	calQuery = `<?xml version="1.0"?><C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>` +
		`<C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>`
	propPatch = `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Nom</D:displayname></D:prop></D:set></D:propertyupdate>`
	deadProp  = `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:x-test"><D:set><D:prop><Z:note>x</Z:note></D:prop></D:set></D:propertyupdate>`
	mLockBody = `<?xml version="1.0"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>`
	bookMkcol = `<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><A:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>`
	unpublish = `<CS:unpublish-calendar xmlns:CS="http://calendarserver.org/ns/"/>`
)

// groupRows are the routes of a group's data, on every surface.
func groupRows() []mrow {
	d0, d1 := []string{"Depth", "0"}, []string{"Depth", "1"}
	xml := "application/xml"
	return []mrow{
		// WebDAV: the file tree.
		{route: "webdav GET", action: access.FilesRead, ok: 200, build: get("/dav/files/atelier/Docs/doc.txt")},
		{route: "webdav GET", action: access.FilesHistory, ok: 200, build: func(f *mfix, _ *mstate) req {
			p, v := f.versioned()
			return req{method: "GET", path: "/dav/files/atelier" + p + "?version=" + v}
		}},
		{route: "webdav HEAD", action: access.FilesRead, ok: 200, build: send("HEAD", "/dav/files/atelier/Docs/doc.txt", "")},
		{route: "webdav PROPFIND", action: access.FilesSee, ok: 207, build: func(*mfix, *mstate) req {
			return req{method: "PROPFIND", path: "/dav/files/atelier/Docs/", headers: d1}
		}},
		{route: "webdav PUT", action: access.FilesWrite, ok: 201, build: func(f *mfix, _ *mstate) req {
			return req{method: "PUT", path: "/dav/files/atelier/Docs/" + f.uniq("nouveau"), body: "x"}
		}},
		{route: "webdav DELETE", action: access.FilesWrite, ok: 204, build: func(f *mfix, _ *mstate) req {
			name := f.uniq("efface")
			f.ts.must(f.t, 201, req{method: "PUT", path: "/dav/files/atelier/Docs/" + name, user: anna, body: "x"})
			return req{method: "DELETE", path: "/dav/files/atelier/Docs/" + name}
		}},
		{route: "webdav MKCOL", action: access.FilesWrite, ok: 201, build: func(f *mfix, _ *mstate) req {
			return req{method: "MKCOL", path: "/dav/files/atelier/Docs/" + f.uniq("dossier")}
		}},
		{route: "webdav COPY", action: access.FilesWrite, ok: 201, build: func(f *mfix, _ *mstate) req {
			return req{method: "COPY", path: "/dav/files/atelier/Docs/doc.txt", headers: []string{"Destination", "/dav/files/atelier/Docs/" + f.uniq("copie")}}
		}},
		{route: "webdav MOVE", action: access.FilesWrite, ok: 201, build: func(f *mfix, _ *mstate) req {
			name := f.uniq("deplace")
			f.ts.must(f.t, 201, req{method: "PUT", path: "/dav/files/atelier/Docs/" + name, user: anna, body: "x"})
			return req{method: "MOVE", path: "/dav/files/atelier/Docs/" + name, headers: []string{"Destination", "/dav/files/atelier/Docs/" + name + "-b"}}
		}},
		{route: "webdav PROPPATCH", action: access.FilesWrite, ok: 207, build: send("PROPPATCH", "/dav/files/atelier/Docs/doc.txt", deadProp)},
		{route: "webdav LOCK", action: access.FilesWrite, ok: 201, build: func(f *mfix, _ *mstate) req {
			return req{method: "LOCK", path: "/dav/files/atelier/Docs/" + f.uniq("verrou"), body: mLockBody, headers: []string{"Content-Type", xml}}
		}},
		{route: "webdav UNLOCK", action: access.FilesWrite, ok: 409, build: func(*mfix, *mstate) req {
			return req{method: "UNLOCK", path: "/dav/files/atelier/Docs/doc.txt", headers: []string{"Lock-Token", "<opaquelocktoken:inconnu>"}}
		}},
		{route: "webdav UNLOCK", action: access.LocksBreak, ok: 204, build: func(f *mfix, _ *mstate) req {
			// A lock the group's animator holds: the others may not remove it, the animator may.
			name := "/dav/files/atelier/Docs/" + f.uniq("verrou-anna")
			_, h := f.ts.must(f.t, 201, req{method: "LOCK", path: name, user: anna, body: mLockBody, headers: []string{"Content-Type", xml}})
			return req{method: "UNLOCK", path: name, headers: []string{"Lock-Token", h.Get("Lock-Token")}}
		}},
		{route: "zip", action: access.FilesRead, ok: 200, build: get("/dav/files/atelier/Docs/?zip")},

		// CalDAV and CardDAV, in the state's own home.
		{route: "caldav GET", action: access.CalendarRead, ok: 200, build: calReq("GET", "calendars", "atelier~agenda/item", "")},
		{route: "caldav HEAD", action: access.CalendarRead, ok: 200, build: calReq("HEAD", "calendars", "atelier~taches/item", "")},
		{route: "caldav GET", action: access.ContactsRead, ok: 200, build: calReq("GET", "addressbooks", "atelier~contacts/item", "")},
		{route: "caldav PROPFIND", action: access.CalendarRead, ok: 207, build: calReq("PROPFIND", "calendars", "atelier~agenda/", "", d0...)},
		{route: "caldav PROPFIND", action: access.ContactsRead, ok: 207, build: calReq("PROPFIND", "addressbooks", "atelier~contacts/", "", d0...)},
		{route: "caldav REPORT", action: access.CalendarRead, ok: 207, build: calReq("REPORT", "calendars", "atelier~agenda/", calQuery, "Depth", "1", "Content-Type", xml)},
		{route: "caldav PUT", action: access.CalendarWrite, ok: 201, build: func(f *mfix, st *mstate) req {
			uid := f.uniq("evenement")
			return req{method: "PUT", path: cal(st, "calendars", "atelier~agenda/"+uid), body: event(uid), headers: []string{"Content-Type", "text/calendar"}}
		}},
		{route: "caldav PUT", action: access.ContactsWrite, ok: 201, build: func(f *mfix, st *mstate) req {
			uid := f.uniq("contact")
			return req{method: "PUT", path: cal(st, "addressbooks", "atelier~contacts/"+uid), body: vcard(uid), headers: []string{"Content-Type", "text/vcard"}}
		}},
		// An event its writer organizes, with attendees: the invitations go out, decided by access.
		{route: "caldav PUT", action: access.InvitationsSend, ok: 201, build: func(f *mfix, st *mstate) req {
			uid := f.uniq("invitation")
			return req{method: "PUT", path: cal(st, "calendars", "atelier~agenda/"+uid), body: invitingEvent(uid, st.email, 1),
				headers: []string{"Content-Type", "text/calendar"}}
		}},
		{route: "caldav PUT", action: access.InvitationsMany, ok: 201, build: func(f *mfix, st *mstate) req {
			uid := f.uniq("convocation")
			return req{method: "PUT", path: cal(st, "calendars", "atelier~agenda/"+uid), body: invitingEvent(uid, st.email, access.MaxInvitees+1),
				headers: []string{"Content-Type", "text/calendar"}}
		}},
		{route: "caldav DELETE", action: access.CalendarWrite, ok: 204, build: func(f *mfix, st *mstate) req {
			return req{method: "DELETE", path: cal(st, "calendars", "atelier~taches/"+f.object("taches"))}
		}},
		{route: "caldav PROPPATCH", action: access.CalendarWrite, ok: 207, build: calReq("PROPPATCH", "calendars", "atelier~agenda/", propPatch)},
		{route: "caldav MKCALENDAR", action: access.CalendarWrite, ok: 201, build: func(f *mfix, st *mstate) req {
			return req{method: "MKCALENDAR", path: cal(st, "calendars", "atelier~"+f.uniq("agenda")+"/")}
		}},
		{route: "caldav MKCOL", action: access.ContactsWrite, ok: 201, build: func(f *mfix, st *mstate) req {
			return req{method: "MKCOL", path: cal(st, "addressbooks", "atelier~"+f.uniq("carnet")+"/"), body: bookMkcol, headers: []string{"Content-Type", xml}}
		}},
		{route: "caldav POST", action: access.CalendarPublish, ok: 204, build: calReq("POST", "calendars", "atelier~agenda/", unpublish, "Content-Type", xml)},
		// A free-busy request about anna, POSTed to one's outbox: whoever reads atelier's agenda
		// sees her busy time; for anyone else she is an unknown address (3.7), as if not there.
		{route: "caldav POST", action: access.CalendarRead, ok: 200, build: func(f *mfix, st *mstate) req {
			return req{method: "POST", path: cal(st, "calendars", "outbox/"), body: freeBusyRequest(st.email, anna), headers: []string{"Content-Type", "text/calendar"}}
		}, outcome: func(code int, body string) int {
			if code == 200 && strings.Contains(body, "3.7;") {
				return 404
			}
			if code == 200 && !strings.Contains(body, "2.0;Success") {
				return 500
			}
			return code
		}},

		// The JSON API of the file pages and the people.
		{route: "web GET /api/groups/:slug/trash", action: access.TrashRead, ok: 200, build: get("/api/groups/atelier/trash")},
		{route: "web POST /api/groups/:slug/trash/:id/restore", action: access.FilesRestore, ok: 200, build: func(f *mfix, _ *mstate) req {
			return req{method: "POST", path: "/api/groups/atelier/trash/" + f.trashed() + "/restore", body: "{}"}
		}},
		{route: "web DELETE /api/groups/:slug/trash/:id", action: access.TrashPurge, ok: 204, build: func(f *mfix, _ *mstate) req {
			return req{method: "DELETE", path: "/api/groups/atelier/trash/" + f.trashed()}
		}},
		{route: "web DELETE /api/groups/:slug/trash", action: access.TrashPurge, ok: 200, build: send("DELETE", "/api/groups/atelier/trash", "")},
		{route: "web GET /api/groups/:slug/versions", action: access.FilesHistory, ok: 200, build: get("/api/groups/atelier/versions?path=/Docs/doc.txt")},
		{route: "web POST /api/groups/:slug/versions/:id/restore", action: access.FilesRestore, ok: 200, build: func(f *mfix, _ *mstate) req {
			p, v := f.versioned()
			return req{method: "POST", path: "/api/groups/atelier/versions/" + v + "/restore?path=" + p}
		}},
		{route: "web GET /api/groups/:slug/shares", action: access.SharesRead, ok: 200, build: get("/api/groups/atelier/shares")},
		{route: "web POST /api/groups/:slug/shares", action: access.SharesWrite, ok: 201, build: send("POST", "/api/groups/atelier/shares", `{"path": "/Docs/doc.txt"}`)},
		{route: "web DELETE /api/groups/:slug/shares/:id", action: access.SharesWrite, ok: 204, build: func(f *mfix, _ *mstate) req {
			return req{method: "DELETE", path: "/api/groups/atelier/shares/" + f.jsonID("POST", "/api/groups/atelier/shares", `{"path": "/Docs/doc.txt"}`)}
		}},
		{route: "web GET /api/groups/:slug/publications", action: access.PubsRead, ok: 200, build: get("/api/groups/atelier/publications")},
		{route: "web POST /api/groups/:slug/publications", action: access.Publish, ok: 201, build: func(f *mfix, _ *mstate) req {
			dir := "/" + f.uniq("publie")
			f.ts.must(f.t, 201, req{method: "MKCOL", path: "/dav/files/atelier" + dir, user: anna})
			return req{method: "POST", path: "/api/groups/atelier/publications", body: `{"path": "` + dir + `", "audience": "bureau"}`}
		}},
		{route: "web DELETE /api/groups/:slug/publications/:id", action: access.Publish, ok: 204, build: func(f *mfix, _ *mstate) req {
			dir := "/" + f.uniq("retire")
			f.ts.must(f.t, 201, req{method: "MKCOL", path: "/dav/files/atelier" + dir, user: anna})
			id := f.jsonID("POST", "/api/groups/atelier/publications", `{"path": "`+dir+`", "audience": "bureau"}`)
			return req{method: "DELETE", path: "/api/groups/atelier/publications/" + id}
		}},
		{route: "web POST /api/groups/:slug/invitations", action: access.PeopleInvite, ok: 201, build: func(f *mfix, _ *mstate) req {
			return req{method: "POST", path: "/api/groups/atelier/invitations", body: `{"email": "` + f.uniq("invite") + `@example.org", "role": "guest", "expires": "2099-06-30"}`}
		}},
		{route: "web GET /api/groups/:slug/requests", action: access.RequestsDecide, ok: 200, build: get("/api/groups/atelier/requests")},
		{route: "web POST /api/requests/:id/decision", action: access.RequestsDecide, ok: 200, build: func(f *mfix, _ *mstate) req {
			return req{method: "POST", path: "/api/requests/" + f.joiner() + "/decision", body: `{"accept": false, "reason": "complet"}`}
		}},

		// The group's pages.
		{route: "web GET /groups/:slug/files", action: access.FilesSee, ok: 200, page: true, build: get("/groups/atelier/files?path=/Docs")},
		{route: "web GET /groups/:slug/item", action: access.FilesSee, ok: 200, page: true, build: get("/groups/atelier/item?path=/Docs/doc.txt")},
		{route: "web GET /groups/:slug/trash", action: access.TrashRead, ok: 200, page: true, build: get("/groups/atelier/trash")},
		{route: "web GET /groups/:slug/links", action: access.LinksRead, ok: 200, page: true, build: get("/groups/atelier/links")},
		{route: "web POST /groups/:slug/links", action: access.LinksWrite, ok: 303, page: true, build: form("/groups/atelier/links", "title", "Wiki", "url", "https://wiki.example.org")},
		{route: "web GET /groups/:slug/links/:id/edit", action: access.LinksWrite, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/groups/atelier/links/" + f.link() + "/edit"}
		}},
		{route: "web POST /groups/:slug/links/:id", action: access.LinksWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/links/"+f.link(), "title", "Autre", "url", "https://autre.example.org")
		}},
		{route: "web POST /groups/:slug/links/:id/delete", action: access.LinksWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/links/" + f.link() + "/delete")
		}},
		{route: "web GET /groups/:slug/polls", action: access.PollsRead, ok: 200, page: true, build: get("/groups/atelier/polls")},
		{route: "web GET /groups/:slug/polls/new", action: access.PollsWrite, ok: 200, page: true, build: get("/groups/atelier/polls/new")},
		{route: "web POST /groups/:slug/polls", action: access.PollsWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			day := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
			return postForm("/groups/atelier/polls", "title", f.uniq("AG"), "kind", "AG", "deadline", time.Now().AddDate(0, 0, 7).Format(time.DateOnly),
				"slot_date", day, "slot_start", "18:00", "slot_end", "20:00")
		}},
		{route: "web GET /groups/:slug/polls/:id", action: access.PollsRead, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			id, _ := f.poll()
			return req{method: "GET", path: "/groups/atelier/polls/" + id}
		}},
		{route: "web POST /groups/:slug/polls/:id/answer", action: access.PollsAnswer, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			id, slot := f.poll()
			return postForm("/groups/atelier/polls/"+id+"/answer", "a-"+slot, "yes")
		}},
		{route: "web POST /groups/:slug/polls/:id/close", action: access.PollsWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			id, slot := f.poll()
			return postForm("/groups/atelier/polls/"+id+"/close", "slot", slot)
		}},
		{route: "web GET /groups/:slug/minutes/new", action: access.MinutesWrite, ok: 200, page: true, build: get("/groups/atelier/minutes/new")},
		{route: "web POST /groups/:slug/minutes", action: access.MinutesWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/minutes", "title", f.uniq("CR"), "held_on", time.Now().Format(time.DateOnly), "body", "Texte.")
		}},
		{route: "web GET /groups/:slug/minutes/:id", action: access.MinutesRead, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/groups/atelier/minutes/" + f.minutes("draft")}
		}},
		{route: "web GET /groups/:slug/minutes/:id/document", action: access.MinutesRead, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/groups/atelier/minutes/" + f.minutesOf("validated", "/Docs/doc.txt") + "/document"}
		}},
		{route: "web GET /groups/:slug/minutes/:id/edit", action: access.MinutesWrite, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/groups/atelier/minutes/" + f.minutes("draft") + "/edit"}
		}},
		{route: "web POST /groups/:slug/minutes/:id", action: access.MinutesWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/minutes/"+f.minutes("draft"), "title", "Autre", "held_on", time.Now().Format(time.DateOnly), "body", "Autre texte.")
		}},
		{route: "web POST /groups/:slug/minutes/:id/:step", action: access.MinutesWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/minutes/" + f.minutes("draft") + "/submit")
		}},
		{route: "web POST /groups/:slug/minutes/:id/:step", action: access.MinutesWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/minutes/" + f.minutes("validated") + "/correct")
		}},
		{route: "web POST /groups/:slug/minutes/:id/:step", action: access.MinutesValidate, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/minutes/" + f.minutes("submitted") + "/validate")
		}},
		{route: "web POST /groups/:slug/minutes/:id/:step", action: access.MinutesValidate, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/minutes/"+f.minutes("validated")+"/publish", "perimeter", "members")
		}},
		{route: "web GET /groups/:slug/people", action: access.PeopleRead, ok: 200, page: true, build: get("/groups/atelier/people")},
		{route: "web POST /groups/:slug/people/requests/:id", action: access.RequestsDecide, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/people/requests/"+f.joiner(), "decision", "refuse", "reason", "complet")
		}},
		{route: "web POST /groups/:slug/people/invite", action: access.PeopleInvite, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/people/invite", "email", f.uniq("invitee")+"@example.org", "role", "guest", "expires", "2099-06-30")
		}},
		{route: "web POST /groups/:slug/people/:pid/role", action: access.RolesGrant, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/people/"+f.member()+"/role", "role", "guest", "expires", "2099-06-30")
		}},
		{route: "web POST /groups/:slug/people/:pid/remove", action: access.RolesGrant, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/people/" + f.member() + "/remove")
		}},
		{route: "web GET /groups/:slug/agenda", action: access.CalendarRead, ok: 200, page: true, build: get("/groups/atelier/agenda")},
		{route: "web GET /groups/:slug/agenda/events", action: access.CalendarRead, ok: 200, page: true, build: get("/groups/atelier/agenda/events?start=2026-11-01T00:00:00Z&end=2027-01-01T00:00:00Z")},
		{route: "web GET /groups/:slug/agenda/new", action: access.CalendarWrite, ok: 200, page: true, build: get("/groups/atelier/agenda/new")},
		{route: "web POST /groups/:slug/agenda/new", action: access.CalendarWrite, ok: 303, page: true, build: form("/groups/atelier/agenda/new",
			"summary", "Collectif", "kind", "collectif", "start_date", "2027-01-12", "start_time", "18:00", "end_date", "2027-01-12", "end_time", "20:00")},
		{route: "web POST /groups/:slug/agenda/link", action: access.CalendarPublish, ok: 303, page: true, build: form("/groups/atelier/agenda/link")},
		{route: "web POST /groups/:slug/agenda/link/revoke", action: access.CalendarPublish, ok: 303, page: true, build: form("/groups/atelier/agenda/link/revoke")},
		// The edit page is also the event's page: guests see it read-only.
		{route: "web GET /groups/:slug/agenda/:uid", action: access.CalendarRead, ok: 200, page: true, build: get("/groups/atelier/agenda/ev")},
		{route: "web GET /groups/:slug/agenda/:uid/edit", action: access.CalendarRead, ok: 200, page: true, build: get("/groups/atelier/agenda/ev/edit")},
		{route: "web GET /groups/:slug/agenda/:uid/attendance", action: access.CalendarRead, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/groups/atelier/agenda/" + f.invitedMeeting() + "/attendance"}
		}},
		{route: "web POST /groups/:slug/agenda/:uid/attendance", action: access.MinutesWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "POST", path: "/groups/atelier/agenda/" + f.invitedMeeting() + "/attendance",
				body: url.Values{"addr": {"mailto:invite0@partenaire.example"}, "mode": {"EXCUSED"}}.Encode()}
		}},
		{route: "web POST /groups/:slug/agenda/:uid/edit", action: access.CalendarWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/agenda/"+f.object("agenda")+"/edit",
				"summary", "Collectif", "kind", "collectif", "start_date", "2027-01-12", "start_time", "18:00", "end_date", "2027-01-12", "end_time", "20:00")
		}},
		{route: "web POST /groups/:slug/agenda/:uid/delete", action: access.CalendarWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/agenda/" + f.object("agenda") + "/delete")
		}},
		{route: "web GET /groups/:slug/tasks", action: access.CalendarRead, ok: 200, page: true, build: get("/groups/atelier/tasks")},
		{route: "web GET /groups/:slug/tasks/new", action: access.CalendarWrite, ok: 200, page: true, build: get("/groups/atelier/tasks/new")},
		{route: "web POST /groups/:slug/tasks/new", action: access.CalendarWrite, ok: 303, page: true, build: form("/groups/atelier/tasks/new", "summary", "Préparer l'AG", "status", "NEEDS-ACTION")},
		{route: "web GET /groups/:slug/tasks/:uid/edit", action: access.CalendarRead, ok: 200, page: true, build: get("/groups/atelier/tasks/td/edit")},
		{route: "web POST /groups/:slug/tasks/:uid/edit", action: access.CalendarWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/tasks/"+f.object("taches")+"/edit", "summary", "Préparer l'AG", "status", "NEEDS-ACTION")
		}},
		{route: "web POST /groups/:slug/tasks/:uid/done", action: access.CalendarWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/tasks/" + f.object("taches") + "/done")
		}},
		{route: "web POST /groups/:slug/tasks/:uid/reopen", action: access.CalendarWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/tasks/" + f.object("taches") + "/reopen")
		}},
		{route: "web POST /groups/:slug/tasks/:uid/delete", action: access.CalendarWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/tasks/" + f.object("taches") + "/delete")
		}},
		{route: "web GET /groups/:slug/contacts", action: access.ContactsRead, ok: 200, page: true, build: get("/groups/atelier/contacts")},
		{route: "web GET /groups/:slug/contacts/new", action: access.ContactsWrite, ok: 200, page: true, build: get("/groups/atelier/contacts/new")},
		{route: "web POST /groups/:slug/contacts/new", action: access.ContactsWrite, ok: 303, page: true, build: form("/groups/atelier/contacts/new", "fn", "Mairie")},
		{route: "web GET /groups/:slug/contacts/:uid", action: access.ContactsRead, ok: 200, page: true, build: get("/groups/atelier/contacts/vc")},
		{route: "web GET /groups/:slug/contacts/:uid/edit", action: access.ContactsWrite, ok: 200, page: true, build: get("/groups/atelier/contacts/vc/edit")},
		{route: "web POST /groups/:slug/contacts/:uid/edit", action: access.ContactsWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/contacts/"+f.object("contacts")+"/edit", "fn", "Mairie")
		}},
		{route: "web POST /groups/:slug/contacts/:uid/delete", action: access.ContactsWrite, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/contacts/" + f.object("contacts") + "/delete")
		}},
	}
}

// otherRows are the routes that are not about one group's data: public, one's own account, the
// administration, asking to join.
func otherRows() []mrow {
	pub := func(route string, ok int, b func(*mfix, *mstate) req) mrow {
		return mrow{route: route, class: classPublic, ok: ok, build: b}
	}
	self := func(route string, ok int, page bool, b func(*mfix, *mstate) req) mrow {
		return mrow{route: route, class: classSelf, ok: ok, page: page, build: b}
	}
	adm := func(route string, ok int, page bool, b func(*mfix, *mstate) req) mrow {
		return mrow{route: route, class: classAdmin, ok: ok, page: page, build: b}
	}
	return []mrow{
		pub("healthz", 200, get("/healthz")),
		pub("metrics", 404, get("/metrics")), // no token configured: not served
		pub("webdav OPTIONS", 200, send("OPTIONS", "/dav/files/atelier/", "")),
		pub("caldav OPTIONS", 200, send("OPTIONS", "/dav/calendars/", "")),
		pub("webdav-probe", 200, send("OPTIONS", "/", "")),
		pub("share", 200, func(f *mfix, _ *mstate) req {
			link := f.ts.share(f.t, anna, `{"path": "/Docs/doc.txt"}`).URL
			return req{method: "GET", path: link[strings.Index(link, "/s/"):]}
		}),
		pub("share", 404, get("/s/inconnu")),
		pub("ics", 404, get("/ics/inconnu.ics")),
		pub("web GET /login", 200, get("/login")),
		pub("web GET /login/code", 200, get("/login/code")),
		pub("web GET /setup/:token", 404, get("/setup/inconnu")),
		pub("web GET /lang/:code", 200, get("/lang/en")),
		pub("web GET /password/:token", 404, get("/password/inconnu")),
		pub("web GET /forgot", 200, get("/forgot")),
		// A poll's mailed link answers for its person, whoever holds it, while that person may answer.
		pub("web GET /poll/:token", 200, func(f *mfix, _ *mstate) req { return req{method: "GET", path: f.pollLink()} }),
		pub("web GET /poll/:token", 404, get("/poll/inconnu")),
		// An invitation's mailed link answers that invitation, whoever holds it, until the meeting ends.
		pub("web GET /invitation/:token", 200, func(f *mfix, _ *mstate) req { return req{method: "GET", path: f.invitationLink()} }),
		pub("web GET /invitation/:token", 404, get("/invitation/inconnu")),
		pub("web GET /m/:token", 200, func(f *mfix, _ *mstate) req { return req{method: "GET", path: f.publicMinutes()} }),
		pub("web GET /m/:token", 404, get("/m/inconnu")),
		pub("web GET /m/:token/document", 200, func(f *mfix, _ *mstate) req { return req{method: "GET", path: f.publicMinutes() + "/document"} }),
		pub("web GET /m/:token/document", 404, get("/m/inconnu/document")),
		pub("web GET /signup", 200, get("/signup")),
		// Forms posted without the CSRF cookie and token are refused before anything else.
		pub("web POST /login", 403, form("/login", "email", alice, "password", pw)),
		pub("web POST /login/code", 403, form("/login/code", "code", "123456")),
		pub("web POST /logout", 403, form("/logout")),
		pub("web POST /setup/:token", 403, form("/setup/inconnu")),
		pub("web POST /password/:token", 403, form("/password/inconnu")),
		pub("web POST /poll/:token", 403, form("/poll/inconnu")),
		pub("web POST /invitation/:token", 403, form("/invitation/inconnu", "answer", "accepted")),
		pub("web POST /signup", 403, form("/signup")),
		pub("web POST /forgot", 403, form("/forgot", "email", alice)),

		self("web GET /", 200, true, get("/")),
		self("web GET /groups", 200, true, get("/groups")),
		self("web GET /minutes", 200, true, get("/minutes")),
		self("web POST /invitations/:id", 404, true, form("/invitations/999999", "answer", "accepted")),
		{route: "web GET /minutes/:id", class: classPublished, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/minutes/" + f.minutes("members")}
		}},
		{route: "web GET /minutes/:id/document", class: classPublished, ok: 200, page: true, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/minutes/" + f.minutesOf("members", "/Docs/doc.txt") + "/document"}
		}},
		self("web GET /account/", 200, true, get("/account/")),
		self("web POST /account/name", 200, true, form("/account/name", "name", "Moi")),
		self("web POST /account/invitations", 200, true, form("/account/invitations", "by_mail", "on")),
		self("web POST /account/password", 422, true, form("/account/password", "current", "faux", "password", "x")),
		self("web GET /account/devices", 200, true, get("/account/devices")),
		self("web POST /account/devices", 201, true, form("/account/devices", "name", "Téléphone")),
		self("web POST /account/devices/:id/revoke", 404, true, form("/account/devices/999999/revoke")),
		self("web GET /account/2fa", 200, true, get("/account/2fa")),
		self("web POST /account/2fa/start", 303, true, form("/account/2fa/start")),
		self("web GET /account/2fa/qr.png", 200, true, get("/account/2fa/qr.png")),
		self("web POST /account/2fa/confirm", 422, true, form("/account/2fa/confirm", "code", "000000")),
		self("web POST /account/2fa/disable", 422, true, form("/account/2fa/disable", "password", "faux")),
		self("web GET /account/sessions", 200, true, get("/account/sessions")),
		self("web POST /account/sessions/:id/revoke", 404, true, form("/account/sessions/999999/revoke")),
		self("web POST /account/sessions/revoke-others", 303, true, form("/account/sessions/revoke-others")),
		self("web GET /account/data", 200, true, get("/account/data")),
		self("web GET /account/data/erase", 200, true, get("/account/data/erase")),
		self("web POST /account/data/erase", 303, true, form("/account/data/erase")),
		self("web GET /account/connect", 200, true, get("/account/connect")),
		self("web GET /account/connect/qr.png", 200, true, get("/account/connect/qr.png")),
		self("web POST /account/connect/apple.mobileconfig", 200, true, form("/account/connect/apple.mobileconfig", "name", "iPhone")),
		self("web GET /api/me/app-passwords", 200, false, get("/api/me/app-passwords")),
		self("web POST /api/me/app-passwords", 201, false, send("POST", "/api/me/app-passwords", `{"name": "Ordinateur"}`)),
		self("web DELETE /api/me/app-passwords/:id", 404, false, send("DELETE", "/api/me/app-passwords/999999", "")),
		self("web GET /api/me/2fa", 200, false, get("/api/me/2fa")),
		self("web POST /api/me/2fa", 201, false, send("POST", "/api/me/2fa", "")),
		self("web POST /api/me/2fa/confirm", 400, false, send("POST", "/api/me/2fa/confirm", `{"code": "000000"}`)),
		self("web DELETE /api/me/2fa", 409, false, send("DELETE", "/api/me/2fa", `{"password": "faux"}`)),
		self("web GET /api/me/sessions", 200, false, get("/api/me/sessions")),
		self("web DELETE /api/me/sessions/:id", 404, false, send("DELETE", "/api/me/sessions/999999", "")),
		self("web POST /api/me/sessions/revoke-others", 200, false, send("POST", "/api/me/sessions/revoke-others", "")),
		self("web GET /api/me/export", 200, false, get("/api/me/export")),
		self("web POST /api/me/erasure-request", 202, false, send("POST", "/api/me/erasure-request", "")),

		{route: "web POST /groups/:slug/join", class: classJoin, ok: 303, page: true, build: form("/groups/atelier/join", "message", "bonjour")},
		// Over the API, to commun (the page above has asked atelier already): alice alone is in it.
		{route: "web POST /api/groups/:slug/requests", class: classJoin, ok: 201, joins: "commun", build: send("POST", "/api/groups/commun/requests", `{"message": "bonjour"}`)},

		adm("web GET /admin/", 200, true, get("/admin/")),
		adm("web GET /admin/people", 200, true, get("/admin/people")),
		adm("web POST /admin/people", 422, true, form("/admin/people", "email", "pas-une-adresse")),
		adm("web POST /admin/people/renewal", 422, true, form("/admin/people/renewal")),
		adm("web GET /admin/people/:id", 200, true, func(f *mfix, _ *mstate) req { return get("/admin/people/"+f.member())(f, nil) }),
		adm("web POST /admin/people/:id/suspend", 303, true, func(f *mfix, _ *mstate) req { return postForm("/admin/people/"+f.member()+"/suspend", "suspend", "1") }),
		adm("web POST /admin/people/:id/dues", 303, true, func(f *mfix, _ *mstate) req {
			return postForm("/admin/people/"+f.member()+"/dues", "year", "2026", "amount", "15")
		}),
		adm("web POST /admin/people/:id/link", 200, true, func(f *mfix, _ *mstate) req { return postForm("/admin/people/" + f.member() + "/link") }),
		adm("web POST /admin/people/:id/renewal", 303, true, func(f *mfix, _ *mstate) req { return postForm("/admin/people/" + f.member() + "/renewal") }),
		adm("web POST /admin/people/:id/admin", 303, true, func(f *mfix, _ *mstate) req { return postForm("/admin/people/"+f.member()+"/admin", "admin", "0") }),
		adm("web GET /admin/groups", 200, true, get("/admin/groups")),
		adm("web POST /admin/groups", 422, true, form("/admin/groups", "slug", "Mauvais Nom")),
		adm("web POST /admin/groups/:slug/quota", 303, true, form("/admin/groups/commun/quota", "quota", "10 GB")),
		adm("web POST /admin/groups/:slug/membership", 303, true, form("/admin/groups/commun/membership", "requires", "1")),
		adm("web GET /admin/requests", 200, true, get("/admin/requests")),
		adm("web POST /admin/requests/:id/activate", 409, true, func(f *mfix, _ *mstate) req { return postForm("/admin/requests/" + f.joiner() + "/activate") }),
		adm("web GET /admin/dues", 200, true, get("/admin/dues")),
		adm("web POST /admin/dues", 422, true, form("/admin/dues", "email", "personne")),
		adm("web POST /admin/dues/import", 422, true, form("/admin/dues/import")),
		adm("web GET /admin/review", 200, true, get("/admin/review")),
		adm("web GET /admin/audit", 200, true, get("/admin/audit")),
		adm("web GET /admin/erasure", 200, true, get("/admin/erasure")),
		adm("web GET /admin/erasure/:id", 404, true, get("/admin/erasure/999999")),
		adm("web POST /admin/erasure/:id", 404, true, form("/admin/erasure/999999")),
		adm("web GET /admin/outbox", 200, true, get("/admin/outbox")),
		adm("web GET /admin/storage", 200, true, get("/admin/storage")),
		adm("web GET /api/admin/requests", 200, false, get("/api/admin/requests")),
		adm("web POST /api/admin/requests/:id/activate", 400, false, func(f *mfix, _ *mstate) req {
			return req{method: "POST", path: "/api/admin/requests/" + f.joiner() + "/activate"}
		}),
		adm("web POST /api/admin/dues", 400, false, send("POST", "/api/admin/dues", `{}`)),
		adm("web POST /api/admin/dues/import", 400, false, send("POST", "/api/admin/dues/import", "")),
		adm("web GET /api/admin/erasure-requests", 200, false, get("/api/admin/erasure-requests")),
		adm("web GET /api/admin/groups/:slug/access-review.csv", 200, false, get("/api/admin/groups/atelier/access-review.csv")),
	}
}

// expect is the status st gets on r, from roleNeeded and the state, independently of the server.
func expect(r mrow, st *mstate) int {
	refused := func() int { // not signed in, or credentials refused
		switch {
		case !r.page:
			return 401
		case strings.HasPrefix(r.route, "web POST"):
			return 403 // no session, no CSRF cookie: refused before the handler
		}
		return 303 // sent to the sign-in page
	}
	signedIn := st.email != "" && !st.badCreds && (r.page && st.signIn || !r.page)
	switch r.class {
	case classPublic:
		return r.ok
	case classSelf, classJoin:
		if !signedIn {
			return refused()
		}
		if r.class == classJoin && r.joins == "commun" {
			if st.email == alice {
				return 409
			}
			return r.ok
		}
		if r.class == classJoin && (st.role != "" || st.inGroup) {
			return 409 // already in the group
		}
		return r.ok
	case classPublished:
		if !signedIn {
			return refused()
		}
		if st.role == "" && !st.associate {
			return 404
		}
		return r.ok
	case classAdmin:
		if !signedIn {
			return refused()
		}
		if !st.admin {
			if r.page {
				return 404 // the administration does not exist for them
			}
			return 403
		}
		return r.ok
	}
	if !signedIn {
		return refused()
	}
	need := roleNeeded[r.action]
	switch {
	case st.admin && need.admin:
		return r.ok
	case st.role == "":
		return 404 // outsiders, publication readers, the suspended, expired guests: nothing of atelier exists
	case rankOf(st.role) < rankOf(need.least):
		return 403
	}
	return r.ok
}

func rankOf(r db.Role) int {
	return slices.Index([]db.Role{db.RoleGuest, db.RoleMember, db.RoleAnimator}, r)
}

// TestAuthorizationMatrix runs every route of every surface for every state against a real server.
func TestAuthorizationMatrix(t *testing.T) {
	cfg := testConfig(t)
	cfg.SuspendAfter = "01-01" // dues unpaid this year take group access away
	cfg.Lists.Domain, cfg.Lists.FeedPassword = listsDomain, feedPassword
	populate(t, cfg)
	ts := serveConfig(t, cfg)
	ctx := context.Background()
	acc := ts.srv.in.access
	f := &mfix{t: t, ts: ts, annaID: personID(t, ts, anna)}
	year := db.Now().Year()

	for _, e := range []string{"passe", "retard", "bloque", "admin", "personne", "deuxf", "moi", "appareil"} {
		if _, err := acc.CreatePerson(ctx, access.CLI, access.NewPerson{Email: e + "@example.org", Password: pw, Admin: e == "admin"}); err != nil {
			t.Fatal(err)
		}
	}
	grant := func(email string, role db.Role, until time.Time) {
		if err := acc.Grant(ctx, access.CLI, "atelier", email, role, until); err != nil {
			t.Fatal(err)
		}
	}
	grant("passe@example.org", db.RoleGuest, time.Now().Add(-time.Hour))
	grant("retard@example.org", db.RoleAnimator, time.Time{})
	grant("bloque@example.org", db.RoleMember, time.Time{})
	grant("deuxf@example.org", db.RoleMember, time.Time{})
	grant("appareil@example.org", db.RoleMember, time.Time{})
	for _, e := range []string{anna, alice, bob, "bloque@example.org", "deuxf@example.org", "moi@example.org", "admin@example.org", "appareil@example.org"} {
		if err := acc.RecordDues(ctx, access.CLI, e, year, 1500, "matrice"); err != nil {
			t.Fatal(err)
		}
	}
	// Content: a private folder with a file and its history, the group's collections, a folder
	// published to every member (bob, of bureau, reads it and nothing else).
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/Docs", user: anna})
	ts.must(t, 201, req{method: "MKCOL", path: "/dav/files/atelier/Public", user: anna})
	ts.must(t, 201, req{method: "PUT", path: "/dav/files/atelier/Docs/doc.txt", user: anna, body: "v1"})
	ts.must(t, 204, req{method: "PUT", path: "/dav/files/atelier/Docs/doc.txt", user: anna, body: "doc"})
	ts.fillCollections(t, anna, "atelier")
	ts.apiJSON(t, 201, "POST", "/api/groups/atelier/publications", anna, `{"path": "/Public", "audience": "all"}`, nil)

	ts.enrolTwoFactor(t, "deuxf@example.org")
	var app struct {
		ID       int64
		Password string
	}
	ts.apiJSON(t, 201, "POST", "/api/me/app-passwords", "appareil@example.org", `{"name": "ancien téléphone"}`, &app)
	ts.must(t, 204, req{method: "DELETE", path: fmt.Sprintf("/api/me/app-passwords/%d", app.ID), user: "appareil@example.org"})
	if err := acc.Suspend(ctx, access.CLI, "bloque@example.org", true); err != nil {
		t.Fatal(err)
	}

	// The columns. Those allowed the most come last, so that no refused attempt finds a resource
	// already consumed by an allowed one; each allowed one prepares its own.
	states := []*mstate{
		{name: "signed out"},
		{name: "revoked app password", email: "appareil@example.org", password: app.Password, badCreds: true, from: "127.0.0.2"},
		{name: "two-factor, account password over DAV", email: "deuxf@example.org", password: pw, badCreds: true, from: "127.0.0.3"},
		{name: "suspended by an administrator", email: "bloque@example.org", password: pw, badCreds: true, from: "127.0.0.4"},
		{name: "nobody", email: "personne@example.org", password: pw, signIn: true},
		{name: "publication reader", email: bob, password: pw, signIn: true, associate: true},
		{name: "expired guest", email: "passe@example.org", password: pw, signIn: true},
		{name: "animator, dues unpaid", email: "retard@example.org", password: pw, signIn: true, inGroup: true},
		{name: "administrator", email: "admin@example.org", password: pw, signIn: true, admin: true},
		{name: "guest", email: gus, password: pw, signIn: true, role: db.RoleGuest},
		{name: "member", email: alice, password: pw, signIn: true, role: db.RoleMember},
		{name: "animator", email: anna, password: pw, signIn: true, role: db.RoleAnimator},
	}
	for _, st := range states {
		st.id = f.annaID
		if st.email != "" {
			st.id = personID(t, ts, st.email)
		}
		if st.signIn {
			st.web, st.csrf = signInBrowser(t, ts, st.email)
		}
	}
	// The state that exercises one's own account is its own person, so that its changes touch
	// nobody else's rows.
	moi := &mstate{name: "signed in", email: "moi@example.org", password: pw, signIn: true}
	moi.web, moi.csrf = signInBrowser(t, ts, moi.email)
	moi.id = personID(t, ts, moi.email)

	rows := append(append(groupRows(), otherRows()...), listRows()...)
	checkCoverage(t, ts, rows)
	for _, r := range rows {
		cols := states
		switch r.class {
		case classPublic:
			cols = states[:1]
		case classSelf:
			cols = []*mstate{states[0], states[1], moi}
		case classAdmin:
			cols = []*mstate{states[0], states[2], states[10], states[8]}
		}
		for _, st := range cols {
			want := expect(r, st)
			got, body := runRow(t, f, r, st)
			if r.outcome != nil {
				got = r.outcome(got, body)
			}
			if got == 429 && want == 401 && st.badCreds {
				got = 401 // the throttle answers for refused credentials once they repeat: refused all the same
			}
			if got != want {
				t.Errorf("%s [%s] as %s: %d, want %d\n%.300s", r.route, r.action, st.name, got, want, body)
			}
		}
	}
}

// runRow sends a row's request as a state: with the browser's session (and CSRF token) for pages,
// with Basic credentials otherwise. States whose credentials are refused send from their own
// loopback address, so that the sign-in throttle they trip locks out nobody else.
func runRow(t *testing.T, f *mfix, r mrow, st *mstate) (int, string) {
	t.Helper()
	q := r.build(f, st)
	if r.page {
		b := st.web
		if b == nil {
			b = newBrowser(t, f.ts.URL, "fr")
		}
		var form url.Values
		if q.method == "POST" {
			form, _ = url.ParseQuery(q.body)
			if st.csrf != "" {
				form.Set("_csrf", st.csrf)
			}
		}
		code, body, _ := b.do(q.method, q.path, form)
		return code, body
	}
	hr, err := http.NewRequest(q.method, f.ts.URL+q.path, strings.NewReader(q.body))
	if err != nil {
		t.Fatal(err)
	}
	if st.email != "" {
		hr.SetBasicAuth(st.email, st.password)
	}
	if strings.HasPrefix(q.path, "/api/") && q.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(q.headers); i += 2 {
		hr.Header.Set(q.headers[i], q.headers[i+1])
	}
	client := http.DefaultClient
	if st.from != "" {
		client = &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(st.from)}}).DialContext}}
	}
	resp, err := client.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// checkCoverage fails for a route of the server that no row exercises, and for an action of the
// policy that no row exercises.
func checkCoverage(t *testing.T, ts *testServer, rows []mrow) {
	t.Helper()
	have := map[string]bool{}
	acts := map[access.Action]bool{}
	for _, r := range rows {
		have[r.route] = true
		acts[r.action] = true
	}
	var routes []string
	for _, s := range ts.srv.front.table {
		routes = append(routes, s.name)
	}
	for _, r := range ts.srv.front.web.GetRoutes(true) {
		if r.Method != http.MethodHead {
			routes = append(routes, "web "+r.Method+" "+r.Path)
		}
	}
	for surface, path := range map[string]string{"webdav": "/dav/files/atelier/", "caldav": "/dav/calendars/"} {
		_, _, h := ts.do(t, req{method: "OPTIONS", path: path})
		for _, m := range strings.Split(h.Get("Allow"), ",") {
			routes = append(routes, surface+" "+strings.TrimSpace(m))
		}
	}
	for _, r := range routes {
		if r == "web" || r == "webdav" || r == "caldav" {
			continue // their routes are listed one by one
		}
		if !have[r] {
			t.Errorf("route %q has no row in the authorization matrix", r)
		}
	}
	for _, a := range access.Actions() {
		if !acts[a] {
			t.Errorf("action %q of the policy has no row in the authorization matrix", a)
		}
		if _, ok := roleNeeded[a]; !ok {
			t.Errorf("action %q of the policy is not restated in roleNeeded", a)
		}
	}
}
