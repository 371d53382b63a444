package share

import (
	"html/template"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/dustin/go-humanize"

	"parvis/locale"
	"parvis/storage/db"
)

// entry is a line of a folder's listing.
type entry struct {
	Name, Size, Href string
	IsDir            bool
}

// view is what the page template receives.
type view struct {
	Lang, Kind, Title, Base, Sub string
	Link                         *link
	Entries                      []entry
	Size                         string
	Msg                          func(string) string
}

// show answers GET /s/<token>: a file's page, a folder's listing, or a drop link's upload form.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, l *link) {
	if l.Kind == "drop" {
		h.page(w, r, http.StatusOK, "drop", l)
		return
	}
	if !l.root.IsDir {
		h.render(w, r, http.StatusOK, view{Kind: "file", Title: path.Base(l.root.Path), Link: l, Size: humanize.Bytes(uint64(l.root.Size))})
		return
	}
	sub := r.URL.Query().Get("path")
	dir, ok := l.inside(sub)
	if !ok {
		h.page(w, r, http.StatusNotFound, "gone", nil)
		return
	}
	var entries []entry
	err := h.Files.List(r.Context(), l.GroupID, dir, func(n db.Node) error {
		name := path.Base(n.Path)
		rel := strings.TrimPrefix(n.Path, l.root.Path)
		e := entry{Name: name, IsDir: n.IsDir}
		if n.IsDir {
			e.Href = l.base + "/?path=" + url.QueryEscape(rel)
		} else {
			e.Href = l.base + "/download?path=" + url.QueryEscape(rel)
			e.Size = humanize.Bytes(uint64(n.Size))
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		h.page(w, r, http.StatusNotFound, "gone", nil)
		return
	}
	title := path.Base(l.root.Path)
	if s := strings.Trim(sub, "/"); s != "" {
		title += " / " + s
	}
	h.render(w, r, http.StatusOK, view{Kind: "folder", Title: title, Link: l, Entries: entries, Sub: sub})
}

// page renders a message page (gone, password, drop, …).
func (h *Handler) page(w http.ResponseWriter, r *http.Request, status int, kind string, l *link) {
	h.render(w, r, status, view{Kind: kind, Link: l})
}

func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, v view) {
	v.Lang = lang(r)
	v.Msg = func(key string) string { return msg(v.Lang, key) }
	if v.Link != nil {
		v.Base = v.Link.base
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := pageTmpl.Execute(w, v); err != nil {
		h.Log.Warn("share: page", "err", err)
	}
}

var pageTmpl = template.Must(template.New("share").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Title}}{{.Title}} · {{end}}Parvis</title><link rel="stylesheet" href="/static/parvis.css"></head>
<body><header><span class="brand">Parvis</span></header><main>
{{if eq .Kind "gone"}}<h1>{{call .Msg "gone"}}</h1><p>{{call .Msg "gone.help"}}</p>
{{else if eq .Kind "throttled"}}<h1>{{call .Msg "throttled"}}</h1>
{{else if eq .Kind "full"}}<h1>{{call .Msg "full"}}</h1><p>{{call .Msg "full.kept"}} {{.Size}}. {{call .Msg "full.refused"}} {{.Sub}}{{call .Msg "full.after"}}</p><p>{{call .Msg "full.help"}}</p>
{{else if eq .Kind "unavailable"}}<h1>{{call .Msg "unavailable"}}</h1><p><a href="{{.Base}}/">{{call .Msg "drop.more"}}</a></p>
{{else if or (eq .Kind "password") (eq .Kind "password-wrong")}}
<h1>{{call .Msg "password.title"}}</h1>
<form method="post" action="{{.Base}}/" class="card">
{{if eq .Kind "password-wrong"}}<p class="error" role="alert">{{call .Msg "password.wrong"}}</p>{{end}}
<label for="password">{{call .Msg "password"}}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<button type="submit">{{call .Msg "open"}}</button></form>
{{else if eq .Kind "file"}}<h1>{{.Title}}</h1>
<p class="card"><a href="{{.Base}}/download">{{call .Msg "download"}}</a> ({{.Size}})</p>
{{else if eq .Kind "folder"}}<h1>{{.Title}}</h1>
<p><a href="{{.Base}}/zip?path={{.Sub}}">{{call .Msg "zip"}}</a></p>
<ul class="card">{{range .Entries}}<li><a href="{{.Href}}">{{.Name}}{{if .IsDir}}/{{end}}</a> {{.Size}}</li>
{{else}}<li>{{call $.Msg "empty"}}</li>{{end}}</ul>
{{else if eq .Kind "drop"}}<h1>{{call .Msg "drop.title"}}</h1><p>{{call .Msg "drop.help"}}</p>
<form method="post" action="{{.Base}}/upload" enctype="multipart/form-data" class="card" id="drop-form"
 data-units="{{call .Msg "drop.units"}}" data-decimal="{{call .Msg "drop.decimal"}}" data-msg-failed="{{call .Msg "drop.failed"}}">
<label for="files">{{call .Msg "drop.files"}}</label><input id="files" name="file" type="file" multiple required>
<button type="submit">{{call .Msg "drop.send"}}</button>
<p id="drop-progress" role="status" hidden><progress max="100" value="0"></progress> <span></span></p></form>
<script src="/static/drop.js" defer></script>
{{else if eq .Kind "dropped"}}<h1>{{call .Msg "dropped"}}</h1><p><a href="{{.Base}}/">{{call .Msg "drop.more"}}</a></p>
{{end}}</main></body></html>`))

// lang picks French unless the browser prefers English.
func lang(r *http.Request) string {
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	if strings.HasPrefix(al, "en") {
		return "en"
	}
	return "fr"
}

// msg is the text of key on the share pages: visitor.* in the catalogues of package locale, what a
// visitor without an account reads.
func msg(lang, key string) string { return locale.Text(lang, "visitor."+key) }
