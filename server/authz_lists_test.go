package server

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"parvis/access"
	"parvis/storage/db"
)

// The mailing lists' rows of the authorization matrix. atelier's list reaches the whole group,
// guests included (so that every role of atelier reads it), members of other groups never; its
// animators moderate and manage it.

const matrixList = "atelier-tous"

// list is atelier's list of the matrix, made on first use.
func (f *mfix) list() db.List {
	ctx := context.Background()
	l, err := f.ts.srv.in.db.R(ctx).ListByAddress(matrixList)
	if err == nil {
		return l
	}
	l, err = f.ts.srv.in.access.CreateList(ctx, access.CLI, "atelier", access.NewList{Address: matrixList, Name: "Tout l'atelier",
		Audience: "all", Posters: "audience", Others: "moderate", ReplyTo: "list"})
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

// listPage is a path under the matrix's list.
func (f *mfix) listPage(tail string) string {
	f.list()
	return "/groups/atelier/lists/" + matrixList + tail
}

// received hands the list a message from an address and returns its id.
func (f *mfix) received(from, body string) string {
	f.list()
	raw := "From: " + from + "\r\nTo: " + matrixList + "@" + listsDomain + "\r\nSubject: " + f.uniq("Sujet") +
		"\r\nMessage-ID: <" + f.uniq("m") + "@example.org>\r\n" + body
	got, err := f.ts.srv.lists.Receive(context.Background(), matrixList+"@"+listsDomain, []byte(raw))
	if err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprint(got.Message.ID)
}

// held is a message from a stranger, waiting for a moderator.
func (f *mfix) held() string { return f.received("inconnu@example.net", "\r\nBonjour.\r\n") }

// archived is anna's message with one attachment, distributed.
func (f *mfix) archived() string {
	return f.received(anna, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nCi-joint.\r\n"+
		"--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"note.txt\"\r\n\r\nnote\r\n--b--\r\n")
}

// spareList is a list of atelier made for one state to delete.
func (f *mfix) spareList() string {
	l, err := f.ts.srv.in.access.CreateList(context.Background(), access.CLI, "atelier", access.NewList{Address: f.uniq("jetable"),
		Audience: "all", Posters: "audience", Others: "moderate", ReplyTo: "list"})
	if err != nil {
		f.t.Fatal(err)
	}
	return l.Address
}

func listRows() []mrow {
	page := func(route string, a access.Action, ok int, b func(*mfix, *mstate) req) mrow {
		return mrow{route: route, action: a, ok: ok, page: true, build: b}
	}
	rules := []string{"name", "Tout l'atelier", "audience", "all", "posters", "audience", "others", "moderate", "reply_to", "list"}
	return []mrow{
		page("web GET /groups/:slug/lists", access.ListsRead, 200, get("/groups/atelier/lists")),
		page("web GET /groups/:slug/lists/new", access.ListsManage, 200, get("/groups/atelier/lists/new")),
		page("web POST /groups/:slug/lists", access.ListsManage, 303, func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/lists", append([]string{"address", f.uniq("liste")}, rules...)...)
		}),
		page("web GET /groups/:slug/lists/:address", access.ListsRead, 200, func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: f.listPage("?q=Sujet")}
		}),
		page("web POST /groups/:slug/lists/:address", access.ListsManage, 303, func(f *mfix, _ *mstate) req {
			return postForm(f.listPage(""), rules...)
		}),
		page("web GET /groups/:slug/lists/:address/edit", access.ListsManage, 200, func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: f.listPage("/edit")}
		}),
		page("web POST /groups/:slug/lists/:address/delete", access.ListsManage, 303, func(f *mfix, _ *mstate) req {
			return postForm("/groups/atelier/lists/" + f.spareList() + "/delete")
		}),
		page("web POST /groups/:slug/lists/:address/post", access.ListsRead, 303, func(f *mfix, _ *mstate) req {
			return postForm(f.listPage("/post"), "subject", f.uniq("Depuis la page"), "text", "Bonjour à tous.")
		}),
		page("web POST /groups/:slug/lists/:address/mode", access.ListsRead, 303, func(f *mfix, _ *mstate) req {
			return postForm(f.listPage("/mode"), "mode", "digest")
		}),
		page("web GET /groups/:slug/lists/:address/held", access.ListsModerate, 200, func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: f.listPage("/held")}
		}),
		page("web POST /groups/:slug/lists/:address/held/:id/:decision", access.ListsModerate, 303, func(f *mfix, _ *mstate) req {
			return postForm(f.listPage("/held/" + f.held() + "/approve"))
		}),
		page("web POST /groups/:slug/lists/:address/held/:id/:decision", access.ListsModerate, 303, func(f *mfix, _ *mstate) req {
			return postForm(f.listPage("/held/" + f.held() + "/reject"))
		}),
		page("web GET /groups/:slug/lists/:address/messages/:id", access.ListsRead, 200, func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: f.listPage("/messages/" + f.archived())}
		}),
		page("web GET /groups/:slug/lists/:address/messages/:id/attachments/:n", access.ListsRead, 200, func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: f.listPage("/messages/" + f.archived() + "/attachments/1")}
		}),
		// The unsubscribe link of a copy mutes its person's list, whoever holds it; one click from a
		// mail client posts without a page, so without a CSRF token.
		{route: "web GET /lists/unsubscribe/:token", class: classPublic, ok: 200, build: func(f *mfix, _ *mstate) req {
			return req{method: "GET", path: "/lists/unsubscribe/" + f.unsubscribeToken()}
		}},
		{route: "web POST /lists/unsubscribe/:token", class: classPublic, ok: 200, build: func(f *mfix, _ *mstate) req {
			return req{method: "POST", path: "/lists/unsubscribe/" + f.unsubscribeToken(), body: "List-Unsubscribe=One-Click",
				headers: []string{"Content-Type", "application/x-www-form-urlencoded"}}
		}},
		{route: "web POST /lists/unsubscribe/:token", class: classPublic, ok: 404, build: func(f *mfix, _ *mstate) req {
			return req{method: "POST", path: "/lists/unsubscribe/" + strings.Replace(f.unsubscribeToken(), ".", ".9", 1)}
		}},
		// A list's members in force, for a list server: the feed password opens it, nothing else
		// does (a person's own password included), and a stranger cannot probe list names.
		{route: "web GET /lists/feed/:address", class: classPublic, ok: 200, build: feed(matrixList, access.ListFeedUser, feedPassword)},
		{route: "web GET /lists/feed/:address", class: classPublic, ok: 401, build: feed(matrixList, access.ListFeedUser, feedPassword+"x")},
		{route: "web GET /lists/feed/:address", class: classPublic, ok: 401, build: feed(matrixList, anna, pw)},
		{route: "web GET /lists/feed/:address", class: classPublic, ok: 401, build: feed("inconnue", access.ListFeedUser, "")},
		{route: "web GET /lists/feed/:address", class: classPublic, ok: 404, build: feed("inconnue", access.ListFeedUser, feedPassword)},
		{route: "web GET /admin/bounces", class: classAdmin, ok: 200, page: true, build: get("/admin/bounces")},
		{route: "web POST /admin/bounces/:id/clear", class: classAdmin, ok: 303, page: true, build: func(f *mfix, _ *mstate) req {
			return postForm(fmt.Sprintf("/admin/bounces/%d/clear", f.annaID))
		}},
	}
}

// feedPassword is the lists' feed password in the tests that open the feeds.
const feedPassword = "le-mot-de-passe-du-flux-sympa"

// feed asks for a list's member feed with HTTP Basic credentials (none when both are empty).
func feed(address, user, password string) func(*mfix, *mstate) req {
	return func(f *mfix, _ *mstate) req {
		f.list()
		r := req{method: "GET", path: "/lists/feed/" + address}
		if user != "" || password != "" {
			r.headers = []string{"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))}
		}
		return r
	}
}

// unsubscribeToken is anna's unsubscribe token for the matrix's list.
func (f *mfix) unsubscribeToken() string {
	tok, err := f.ts.srv.lists.UnsubscribeToken(context.Background(), f.list(), f.annaID)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}
