package ui

import (
	"testing"

	"parvis/locale"
)

// TestConnectClientsTranslated: the connect page names its texts in Go, out of reach of
// TestEveryMessageTranslated, so each key is checked here.
func TestConnectClientsTranslated(t *testing.T) {
	h := &handler{Deps: Deps{PublicURL: "https://parvis.example.org"}}
	for _, cl := range h.connectClients() {
		keys := append([]string{cl.Title}, cl.Steps...)
		if cl.Note != "" {
			keys = append(keys, cl.Note)
		}
		for _, k := range keys {
			if !locale.Has("fr", k) || !locale.Has("en", k) {
				t.Errorf("client %s: message %q missing", cl.ID, k)
			}
		}
	}
	if got := davsURL("https://parvis.example.org/dav/files/"); got != "davs://parvis.example.org/dav/files/" {
		t.Errorf("davsURL: %s", got)
	}
}
