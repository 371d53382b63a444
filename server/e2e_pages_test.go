package server

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chromedp/chromedp"
)

// reviewed is a page of the review: whose browser context opens it, and how.
type reviewed struct {
	name string
	ctx  context.Context
	open chromedp.Action // navigates to the page and waits until it is drawn
}

// at navigates to path and waits for the selector that says the page is drawn.
func (e *e2e) at(path, ready string) chromedp.Action {
	return chromedp.Tasks{chromedp.Navigate(e.ts.URL + path), chromedp.WaitVisible(ready, chromedp.ByQuery)}
}

// rawKey is how a message key looks when a page prints it instead of its text.
var rawKey = regexp.MustCompile(`^[a-z]+(\.[a-z]+)+$`)

// otherLanguage lists words of one language that a page in the other should not show: the interface's
// own words, none of which the scenario's data (names, files, events) contains.
var otherLanguage = map[string][]string{
	"en": {"Fichiers", "Enregistrer", "Mot de passe", "Connexion", "Tâches", "Personnes", "Supprimer", "Télécharger",
		"Groupes", "Se déconnecter", "Mon compte", "Annuler", "Créer", "Adresse", "Cotisation", "cotisation", "Corbeille",
		"Liens", "Aucun", "Aucune", "jours", "Aujourd'hui", "Suivant", "Rechercher", "Retour", "Nom", "Rôle", "Déposer", "Modifié", "Taille"},
	"fr": {"Files", "Save", "Password", "Sign in", "Sign out", "Delete", "Download", "Upload", "Tasks", "People",
		"Cancel", "Search", "Create", "Name", "Back", "Activate", "Refused", "Record", "None", "days", "Share",
		"Edit", "Month", "Week", "Today", "today", "prev", "next", "the", "and", "your", "Your", "Size", "Modified", "Trash"},
}

// pageTexts gathers what a page shows or says: its title, its text as read (across elements, the
// visually hidden included), each text node but code (addresses, identifiers like the audit log's
// actions), and the attributes read aloud or shown by its scripts.
const pageTexts = `(() => {
  const out = [document.title, document.body.innerText];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    { acceptNode: n => /^(SCRIPT|STYLE|CODE|PRE)$/.test(n.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  while (w.nextNode()) { const s = w.currentNode.nodeValue.trim(); if (s) out.push(s); }
  for (const el of document.body.querySelectorAll("*")) for (const a of el.attributes)
    if (["placeholder", "title", "aria-label", "alt"].includes(a.name) || a.name.startsWith("data-msg-")) out.push(a.value.trim());
  return out;
})()`

// widest names the elements that stick out to the right of the window, innermost first, to say
// what makes a page scroll sideways.
const widest = `(() => {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > document.documentElement.clientWidth + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).replace(/ /g, ".") : "") + " (" + Math.round(r.right) + " px)");
  }
  return out.slice(0, 5).join(", ");
})()`

// brokenWords names the words that a table cell breaks across two lines (a hyphen, a dash between
// two times or a slash is a place to break, not a break inside a word).
const brokenWords = `(() => {
  const out = [];
  for (const cell of document.querySelectorAll("td, th")) {
    const w = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) {
      const n = w.currentNode;
      for (const m of n.nodeValue.matchAll(/[^\s\-\u2010\u2013\/]+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(c => c.width > 0).map(c => Math.round(c.top)));
        if (tops.size > 1) out.push(m[0]);
      }
    }
  }
  return out.slice(0, 5).join(", ");
})()`

// tallTitles names the card titles that wrap over more than two lines: a title squeezed into a
// narrow column reads as a column of words.
const tallTitles = `(() => {
  const out = [];
  for (const h of document.querySelectorAll(".card h2, .card h3, nav.tabs h1")) {
    if (!h.offsetParent) continue;
    const lines = Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight || "0"));
    if (lines > 2) out.push(h.textContent.trim().slice(0, 40) + " (" + lines + " lines)");
  }
  return out.slice(0, 5).join(", ");
})()`

// unstyledButtons names the buttons of the page that are none of the three kinds (primary: filled
// with the accent; secondary: outlined on white; danger: filled red) — FullCalendar's pressed view
// button aside, a darker primary.
const unstyledButtons = `(() => {
  const kinds = ["rgb(31, 95, 139)|rgb(255, 255, 255)", "rgb(255, 255, 255)|rgb(31, 95, 139)", "rgb(164, 23, 28)|rgb(255, 255, 255)"];
  const out = [];
  for (const b of document.querySelectorAll("main button, main a.button, main input[type=submit]")) {
    if (!b.offsetParent || b.matches(".fc-button-active, [aria-pressed=true]")) continue;
    const s = getComputedStyle(b);
    if (!kinds.includes(s.backgroundColor + "|" + s.color) || (!b.disabled && s.cursor !== "pointer"))
      out.push((b.textContent.trim() || b.className) + " (" + s.backgroundColor + " / " + s.color + ")");
  }
  return out.slice(0, 5).join(", ");
})()`

// setLanguage clicks the language switch of the page the context shows, unless it is in lang already.
func (e *e2e) setLanguage(ctx context.Context, lang string) {
	e.t.Helper()
	var current string
	e.run(ctx, "read the language", chromedp.Navigate(e.ts.URL+"/login"), chromedp.WaitReady("main", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.lang`, &current))
	if current != lang {
		e.run(ctx, "switch to "+lang, follow(`header a[hreflang="`+lang+`"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`html[lang="`+lang+`"] main`, chromedp.ByQuery))
	}
}

// review opens each page in lang at a desktop's width, then at a phone's: screenshots of both, no
// sideways scroll on the phone, no word broken inside a table cell, every button of a styled kind,
// no raw message key, no word of the other language. Problems are
// reported together, page by page.
func (e *e2e) review(lang string, pages []reviewed) {
	e.t.Helper()
	for _, p := range pages {
		for _, size := range []struct {
			name          string
			width, height int64
		}{{"desktop", 1280, 800}, {"phone", 390, 844}} {
			var shot []byte
			var scroll, client int
			var texts []string
			var wide, broken, unstyled, tall string
			e.run(p.ctx, fmt.Sprintf("%s (%s, %s)", p.name, lang, size.name),
				chromedp.EmulateViewport(size.width, size.height), p.open,
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
				chromedp.Evaluate(`Math.min(window.innerWidth, document.documentElement.clientWidth)`, &client),
				chromedp.Evaluate(pageTexts, &texts),
				chromedp.Evaluate(widest, &wide),
				chromedp.Evaluate(brokenWords, &broken),
				chromedp.Evaluate(unstyledButtons, &unstyled),
				chromedp.Evaluate(tallTitles, &tall),
				chromedp.FullScreenshot(&shot, 100))
			name := fmt.Sprintf("%s-%s-%s.png", p.name, lang, size.name)
			if err := os.WriteFile(filepath.Join(e.shots, name), shot, 0o644); err != nil {
				e.t.Fatal(err)
			}
			if size.name == "phone" && scroll > client {
				e.t.Errorf("%s (%s) scrolls sideways on a phone: %d px wide for %d: %s", p.name, lang, scroll, client, wide)
			}
			if broken != "" {
				e.t.Errorf("%s (%s, %s) breaks words inside table cells: %s", p.name, lang, size.name, broken)
			}
			if tall != "" {
				e.t.Errorf("%s (%s, %s) has card titles over more than two lines: %s", p.name, lang, size.name, tall)
			}
			if unstyled != "" {
				e.t.Errorf("%s (%s, %s) has buttons of no styled kind: %s", p.name, lang, size.name, unstyled)
			}
			if size.name == "phone" {
				e.checkTexts(p.name+" ("+lang+")", lang, texts)
			}
		}
	}
}

// frenchSpacing is a space before a colon, semicolon, question or exclamation mark: French
// typography, wrong in English.
var frenchSpacing = regexp.MustCompile(`[\p{L}\p{N})»] [:;?!]`)

// checkTexts reports raw message keys, words of the other language and, in English, French spacing.
func (e *e2e) checkTexts(page, lang string, texts []string) {
	e.t.Helper()
	all := "\n" + strings.Join(texts, "\n") + "\n"
	for _, s := range texts {
		if rawKey.MatchString(s) {
			e.t.Errorf("%s shows a raw message key: %q", page, s)
		}
	}
	if lang == "en" {
		for _, s := range texts {
			if frenchSpacing.MatchString(s) {
				e.t.Errorf("%s puts a space before punctuation, the French way: %q", page, s)
			}
		}
	}
	for _, w := range otherLanguage[lang] {
		re := regexp.MustCompile(`(^|[^\p{L}])` + regexp.QuoteMeta(w) + `($|[^\p{L}])`)
		if loc := re.FindStringIndex(all); loc != nil {
			from, to := max(0, loc[0]-60), min(len(all), loc[1]+60)
			e.t.Errorf("%s shows %q of the other language: …%s…", page, w, strings.ReplaceAll(all[from:to], "\n", " | "))
		}
	}
}
