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
	Person, Message, Reason       string // the requests' mails: who asks, their words, a refusal's reason
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
	"request.new": {
		"fr": mk(`{{.Person}} demande à rejoindre {{.Group}}`, `Bonjour,

{{.Person}} demande à rejoindre le groupe « {{.Group}} »{{if .Message}} :

{{.Message}}{{else}}.{{end}}

Vous animez ce groupe : acceptez ou refusez (avec une raison) sur la page des personnes du groupe :

{{.Link}}
`),
		"en": mk(`{{.Person}} asks to join {{.Group}}`, `Hello,

{{.Person}} asks to join the group "{{.Group}}"{{if .Message}}:

{{.Message}}{{else}}.{{end}}

You animate this group: accept or refuse (with a reason) on the group's people page:

{{.Link}}
`),
	},
	"request.validated": {
		"fr": mk(`Votre demande pour {{.Group}} est acceptée`, `Bonjour{{if .Name}} {{.Name}}{{end}},

Les animateur·ices du groupe « {{.Group}} » ont accepté votre demande. Elle sera active dès qu'un·e
administrateur·ice l'aura activée (une fois votre cotisation de l'année enregistrée).

{{.Link}}
`),
		"en": mk(`Your request for {{.Group}} was accepted`, `Hello{{if .Name}} {{.Name}}{{end}},

The animators of the group "{{.Group}}" accepted your request. It will be active once an
administrator has activated it (once your dues for the year are recorded).

{{.Link}}
`),
	},
	"request.refused": {
		"fr": mk(`Votre demande pour {{.Group}} est refusée`, `Bonjour{{if .Name}} {{.Name}}{{end}},

Les animateur·ices du groupe « {{.Group}} » ont refusé votre demande, pour cette raison :

{{.Reason}}

{{.Link}}
`),
		"en": mk(`Your request for {{.Group}} was refused`, `Hello{{if .Name}} {{.Name}}{{end}},

The animators of the group "{{.Group}}" refused your request, for this reason:

{{.Reason}}

{{.Link}}
`),
	},
	"request.active": {
		"fr": mk(`Bienvenue dans {{.Group}}`, `Bonjour{{if .Name}} {{.Name}}{{end}},

Vous faites maintenant partie du groupe « {{.Group}} » : son dossier, son agenda et ses contacts vous
sont ouverts.

{{.Link}}
`),
		"en": mk(`Welcome to {{.Group}}`, `Hello{{if .Name}} {{.Name}}{{end}},

You are now a member of the group "{{.Group}}": its folder, agenda and contacts are open to you.

{{.Link}}
`),
	},
}

// RenderBoth fills the named template in French then English, in one message: for people whose
// language the server does not know (it keeps none per person).
func RenderBoth(name string, d Data) (Message, error) {
	fr, err := Render(name, "fr", d)
	if err != nil {
		return Message{}, err
	}
	en, err := Render(name, "en", d)
	if err != nil {
		return Message{}, err
	}
	return Message{Subject: fr.Subject + " / " + en.Subject, Body: fr.Body + "\n— English —\n\n" + en.Body}, nil
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
