package ui

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"parvis/calendar/calhttp"
	"parvis/storage/db"
)

// "Connect a device": for each common client, the exact address to type and a button that makes
// an app password named after the device, so that a member is set up in a minute.

// connectClient is one client's instructions. Its texts are message keys.
type connectClient struct {
	ID     string   // the form's "client" value and the section's anchor
	Title  string   // message key
	Steps  []string // message keys, in order
	Note   string   // message key, "" for none
	URL    string   // what to type
	Device string   // suggested name of the app password
	QR     bool     // the page shows the URL as a QR code (DAVx⁵ scans it)
	Action string   // where the button posts: the devices page, or the Apple profile
}

// connectClients lists the clients in the order of the page.
func (h *handler) connectClients() []connectClient {
	base := h.PublicURL
	files := base + "/dav/files/"
	return []connectClient{
		{ID: "davx", Title: "connect.davx.title", Steps: []string{"connect.davx.one", "connect.davx.two", "connect.davx.three"},
			URL: base, Device: "DAVx⁵ Android", QR: true},
		{ID: "apple", Title: "connect.apple.title", Steps: []string{"connect.apple.one", "connect.apple.two", "connect.apple.three"},
			Note: "connect.apple.note", URL: base, Device: "Apple iPhone", Action: "/account/connect/apple.mobileconfig"},
		{ID: "thunderbird", Title: "connect.thunderbird.title", Steps: []string{"connect.thunderbird.one", "connect.thunderbird.two"},
			URL: base, Device: "Thunderbird"},
		{ID: "gnome", Title: "connect.gnome.title", Steps: []string{"connect.gnome.one", "connect.gnome.two"},
			URL: base, Device: "GNOME"},
		{ID: "windows", Title: "connect.windows.title", Steps: []string{"connect.windows.one", "connect.windows.two"},
			Note: "connect.windows.note", URL: files, Device: "Windows"},
		{ID: "finder", Title: "connect.finder.title", Steps: []string{"connect.finder.one", "connect.finder.two"},
			URL: files, Device: "Mac Finder"},
		{ID: "linux", Title: "connect.linux.title", Steps: []string{"connect.linux.one", "connect.linux.two"},
			Note: "connect.linux.note", URL: davsURL(files), Device: "Linux"},
		{ID: "rclone", Title: "connect.rclone.title", Steps: []string{"connect.rclone.one", "connect.rclone.two"},
			URL: files, Device: "rclone"},
	}
}

// connectClient returns the client of a form's "client" value.
func (h *handler) connectClient(id string) (connectClient, bool) {
	for _, cl := range h.connectClients() {
		if cl.ID == id {
			return cl, true
		}
	}
	return connectClient{}, false
}

// davsURL is the address Linux file managers (GVfs, KIO) take: the scheme says WebDAV.
func davsURL(u string) string {
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		return "davs://" + rest
	}
	return "dav://" + strings.TrimPrefix(u, "http://")
}

func (h *handler) connectPage(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, "account_connect.html", page{Title: "connect.title", Person: c.Locals("person").(db.Person),
		Data: map[string]any{"Clients": h.connectClients()}})
}

// connectQR is the server's address as a QR code, for DAVx⁵'s "Login with URL".
func (h *handler) connectQR(c *fiber.Ctx) error {
	return sendQR(c, h.PublicURL)
}

// appleProfile answers the Apple configuration profile. It is a POST because it creates an app
// password (named "Apple …", revocable on the devices page); a GET would make one per prefetch.
func (h *handler) appleProfile(c *fiber.Ctx) error {
	p := c.Locals("person").(db.Person)
	host, port, ssl, err := parsePublicURL(h.PublicURL)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if !strings.HasPrefix(name, "Apple") {
		name = strings.TrimSpace("Apple " + name)
	}
	_, secret, err := h.Access.CreateAppPassword(c.UserContext(), p, name)
	if err != nil {
		return fiber.ErrBadRequest
	}
	lang := pageLanguage(c)
	body := mobileConfig(davAccount{Host: host, Port: port, SSL: ssl, Principal: calhttp.PrincipalPath(p.ID), User: p.Email, Password: secret},
		"Parvis — "+p.Email, translate(lang, "connect.apple.agendas"), translate(lang, "connect.apple.contacts"))
	noStore(c)
	c.Set("Content-Type", "application/x-apple-aspen-config")
	c.Set("Content-Disposition", `attachment; filename="parvis.mobileconfig"`)
	return c.Send(body)
}
