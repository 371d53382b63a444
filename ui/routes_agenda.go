package ui

import "github.com/gofiber/fiber/v2"

// agendaRoutes lists a group's agenda, tasks and contacts pages. Every form posts; pages work
// without JavaScript, which only adds the month and week views of the agenda.
func (h *handler) agendaRoutes(app *fiber.App) {
	app.Get("/groups/:slug/agenda", h.signedIn(h.agendaPage))
	app.Get("/groups/:slug/agenda/events", h.signedIn(h.agendaEvents))
	app.Get("/groups/:slug/agenda/new", h.signedIn(h.eventNew))
	app.Post("/groups/:slug/agenda/new", h.signedIn(h.eventCreate))
	app.Post("/groups/:slug/agenda/link", h.signedIn(h.agendaLinkCreate))
	app.Post("/groups/:slug/agenda/link/revoke", h.signedIn(h.agendaLinkRevoke))
	app.Get("/groups/:slug/agenda/:uid", h.signedIn(h.eventView))
	app.Get("/groups/:slug/agenda/:uid/edit", h.signedIn(h.eventEdit))
	app.Post("/groups/:slug/agenda/:uid/edit", h.signedIn(h.eventUpdate))
	app.Post("/groups/:slug/agenda/:uid/delete", h.signedIn(h.eventDelete))
	app.Get("/groups/:slug/agenda/:uid/attendance", h.attendancePage)
	app.Post("/groups/:slug/agenda/:uid/attendance", h.attendanceSave)
	app.Get("/groups/:slug/tasks", h.signedIn(h.tasksPage))
	app.Get("/groups/:slug/tasks/new", h.signedIn(h.taskNew))
	app.Post("/groups/:slug/tasks/new", h.signedIn(h.taskCreate))
	app.Get("/groups/:slug/tasks/:uid/edit", h.signedIn(h.taskEdit))
	app.Post("/groups/:slug/tasks/:uid/edit", h.signedIn(h.taskUpdate))
	app.Post("/groups/:slug/tasks/:uid/done", h.signedIn(h.taskDone))
	app.Post("/groups/:slug/tasks/:uid/reopen", h.signedIn(h.taskReopen))
	app.Post("/groups/:slug/tasks/:uid/delete", h.signedIn(h.taskDelete))
	app.Get("/groups/:slug/contacts", h.signedIn(h.contactsPage))
	app.Get("/groups/:slug/contacts/new", h.signedIn(h.contactNew))
	app.Post("/groups/:slug/contacts/new", h.signedIn(h.contactCreate))
	app.Get("/groups/:slug/contacts/:uid", h.signedIn(h.contactView))
	app.Get("/groups/:slug/contacts/:uid/edit", h.signedIn(h.contactEdit))
	app.Post("/groups/:slug/contacts/:uid/edit", h.signedIn(h.contactUpdate))
	app.Post("/groups/:slug/contacts/:uid/delete", h.signedIn(h.contactDelete))
}
