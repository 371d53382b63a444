package mail

import (
	"bytes"
	"fmt"
	"text/template"
)

// Message is a rendered mail.
type Message struct {
	Subject, Body string
}

// Data fills a template.
type Data struct {
	Name, Group, Role, Link, Site string
	Days                          int
}

type tmpl struct {
	subject, body *template.Template
}

func mk(subject, body string) tmpl {
	return tmpl{template.Must(template.New("s").Parse(subject)), template.Must(template.New("b").Parse(body))}
}

// templates are the messages, by name then language; French first.
var templates = map[string]map[string]tmpl{
	"invitation": {
		"fr": mk(`Invitation au groupe {{.Group}}`, `Bonjour{{if .Name}} {{.Name}}{{end}},

Vous êtes invité·e à rejoindre le groupe « {{.Group}} » ({{.Role}}) sur {{.Site}}.
Pour choisir votre mot de passe et accéder au groupe, ouvrez ce lien (valable {{.Days}} jours, une seule fois) :

{{.Link}}

Votre identifiant est cette adresse e-mail.
`),
		"en": mk(`Invitation to the group {{.Group}}`, `Hello{{if .Name}} {{.Name}}{{end}},

You are invited to join the group "{{.Group}}" ({{.Role}}) on {{.Site}}.
To choose your password and open the group, follow this link (valid {{.Days}} days, once):

{{.Link}}

Your identifier is this e-mail address.
`),
	},
	"password": {
		"fr": mk(`Choisir votre mot de passe`, `Bonjour{{if .Name}} {{.Name}}{{end}},

Pour choisir un nouveau mot de passe sur {{.Site}}, ouvrez ce lien (valable {{.Days}} jours, une seule fois) :

{{.Link}}

Si vous n'avez rien demandé, ignorez ce message : votre mot de passe actuel reste valable.
`),
		"en": mk(`Choose your password`, `Hello{{if .Name}} {{.Name}}{{end}},

To choose a new password on {{.Site}}, follow this link (valid {{.Days}} days, once):

{{.Link}}

If you did not ask for it, ignore this message: your current password stays valid.
`),
	},
}

// Render fills the named template in lang (French when unknown).
func Render(name, lang string, d Data) (Message, error) {
	byLang, ok := templates[name]
	if !ok {
		return Message{}, fmt.Errorf("mail: no template %q", name)
	}
	t, ok := byLang[lang]
	if !ok {
		t = byLang["fr"]
	}
	var s, b bytes.Buffer
	if err := t.subject.Execute(&s, d); err != nil {
		return Message{}, err
	}
	if err := t.body.Execute(&b, d); err != nil {
		return Message{}, err
	}
	return Message{Subject: s.String(), Body: b.String()}, nil
}
