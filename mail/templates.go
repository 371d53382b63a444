package mail

import (
	"time"

	"parvis/locale"
)

// Message is a rendered mail.
type Message struct {
	Subject, Body string
}

// Data fills a template.
type Data struct {
	Name, Group, Link, Site string
	Role                    string // the role's code (member, animator, guest), named in the mail's language
	Days                    int
	Until                   time.Time // a last day (a guest's access, a poll's answers), written Day in the mail's language
	Day                     string
	Title                   string    // a poll's or a meeting's title
	At                      time.Time // when a meeting takes place, written When in the mail's language
	AllDay                  bool      // At is a day: When says the day only
	When                    string
	Place, Visio            string // where a meeting takes place, its visio address
	Document                string // the address of a meeting's agenda (ordre du jour)
	Person, Message, Reason string // the requests' mails: who asks, their words, a refusal's reason
}

// RenderBoth fills the named mail in French then English, in one message: for people whose
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

// Render fills the named mail (mail.<name>.subject and .body in the catalogues of package locale)
// in lang, French when the language is unknown.
func Render(name, lang string, d Data) (Message, error) {
	d.Role = roleName(lang, d.Role)
	if !d.Until.IsZero() {
		d.Day = locale.Day(lang, d.Until)
	}
	if !d.At.IsZero() {
		d.When = locale.Day(lang, d.At)
		if !d.AllDay {
			d.When += " " + d.At.Format("15:04")
		}
	}
	s, err := locale.Render(lang, "mail."+name+".subject", d)
	if err != nil {
		return Message{}, err
	}
	b, err := locale.Render(lang, "mail."+name+".body", d)
	if err != nil {
		return Message{}, err
	}
	return Message{Subject: s, Body: b}, nil
}

// roleName names the role of code in lang; no role, no name.
func roleName(lang, code string) string {
	if code == "" {
		return ""
	}
	return locale.Text(lang, "role."+code)
}
