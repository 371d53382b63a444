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
		"Liens", "Aucun", "Aucune", "jours", "Rechercher", "Retour", "Nom", "Rôle", "Déposer", "Modifié", "Taille"},
	"fr": {"Files", "Save", "Password", "Sign in", "Sign out", "Delete", "Download", "Upload", "Tasks", "People",
		"Cancel", "Search", "Create", "Name", "Back", "Activate", "Refused", "Record", "None", "days", "Share",
		"Edit", "Month", "Week", "Today", "today", "the", "and", "your", "Your", "Size", "Modified", "Trash"},
}

// pageTexts gathers what a page shows or says: its text, its title, and the attributes read aloud or
// shown by its scripts.
const pageTexts = `(() => {
  const out = [document.title];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    { acceptNode: n => /^(SCRIPT|STYLE)$/.test(n.parentNode.nodeName) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  while (w.nextNode()) { const s = w.currentNode.nodeValue.trim(); if (s) out.push(s); }
  for (const el of document.body.querySelectorAll("*")) for (const a of el.attributes)
    if (["placeholder", "title", "aria-label", "alt"].includes(a.name) || a.name.startsWith("data-msg-")) out.push(a.value.trim());
  return out;
})()`

// setLanguage clicks the language switch of the page the context shows, unless it is in lang already.
func (e *e2e) setLanguage(ctx context.Context, lang string) {
	e.t.Helper()
	var current string
	e.run(ctx, "read the language", chromedp.Navigate(e.ts.URL+"/login"), chromedp.WaitReady("main", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.lang`, &current))
	if current != lang {
		e.run(ctx, "switch to "+lang, chromedp.Click(`header a[hreflang="`+lang+`"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`html[lang="`+lang+`"] main`, chromedp.ByQuery))
	}
}

// review opens each page in lang at a desktop's width, then at a phone's: screenshots of both, no
// sideways scroll on the phone, no raw message key, no word of the other language. Problems are
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
			e.run(p.ctx, fmt.Sprintf("%s (%s, %s)", p.name, lang, size.name),
				chromedp.EmulateViewport(size.width, size.height), p.open,
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
				chromedp.Evaluate(`Math.min(window.innerWidth, document.documentElement.clientWidth)`, &client),
				chromedp.Evaluate(pageTexts, &texts),
				chromedp.FullScreenshot(&shot, 90))
			name := fmt.Sprintf("%s-%s-%s.jpg", p.name, lang, size.name)
			if err := os.WriteFile(filepath.Join(e.shots, name), shot, 0o644); err != nil {
				e.t.Fatal(err)
			}
			if size.name == "phone" && scroll > client {
				e.t.Errorf("%s (%s) scrolls sideways on a phone: %d px wide for %d", p.name, lang, scroll, client)
			}
			e.checkTexts(p.name+" ("+lang+")", lang, texts)
		}
	}
}

// checkTexts reports raw message keys and words of the other language.
func (e *e2e) checkTexts(page, lang string, texts []string) {
	e.t.Helper()
	all := "\n" + strings.Join(texts, "\n") + "\n"
	for _, s := range texts {
		if rawKey.MatchString(s) {
			e.t.Errorf("%s shows a raw message key: %q", page, s)
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
