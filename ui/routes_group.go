package ui

import "github.com/gofiber/fiber/v2"

// groupRoutes lists the pages of this area.
func (h *handler) groupRoutes(app *fiber.App) {
	app.Get("/groups", h.groupsPage)
	app.Get("/groups/:slug/item", h.itemPage)
	app.Get("/groups/:slug/trash", h.trashPage)
	app.Post("/groups/:slug/join", h.groupJoin)
	app.Get("/groups/:slug/links", h.linksPage)
	app.Post("/groups/:slug/links", h.linkSave)
	app.Get("/groups/:slug/links/:id/edit", h.linkEdit)
	app.Post("/groups/:slug/links/:id", h.linkSave)
	app.Post("/groups/:slug/links/:id/delete", h.linkDelete)
	app.Get("/groups/:slug/polls", h.pollsPage)
	app.Get("/groups/:slug/polls/new", h.pollNew)
	app.Post("/groups/:slug/polls", h.pollCreate)
	app.Get("/groups/:slug/polls/:id", h.pollPage)
	app.Post("/groups/:slug/polls/:id/answer", h.pollAnswer)
	app.Post("/groups/:slug/polls/:id/close", h.pollClose)
	app.Get("/groups/:slug/minutes/new", h.minutesNew)
	app.Post("/groups/:slug/minutes", h.minutesSave)
	app.Get("/groups/:slug/minutes/:id", h.minutesView)
	app.Get("/groups/:slug/minutes/:id/edit", h.minutesEdit)
	app.Post("/groups/:slug/minutes/:id", h.minutesSave)
	app.Post("/groups/:slug/minutes/:id/:step", h.minutesStep)
	app.Get("/minutes", h.publishedMinutes)
	app.Get("/minutes/:id", h.publishedMinutesView)
	app.Get("/m/:token", h.publicMinutes)
	app.Get("/poll/:token", h.pollLinkPage)
	app.Post("/poll/:token", h.pollLinkAnswer)
	app.Get("/groups/:slug/people", h.peoplePage)
	app.Post("/groups/:slug/people/requests/:id", h.peopleDecide)
	app.Post("/groups/:slug/people/invite", h.peopleInvite)
	app.Post("/groups/:slug/people/:pid/role", h.peopleChange)
	app.Post("/groups/:slug/people/:pid/remove", h.peopleRemove)
	h.agendaRoutes(app)
}
