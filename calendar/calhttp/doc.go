// Package calhttp serves the groups' and people's agendas, task lists and address books over CalDAV
// (RFC 4791) and CardDAV (RFC 6352), with sync-collection (RFC 6578), MKCALENDAR, extended MKCOL
// (RFC 5689), PROPPATCH and the scheduling inbox and outbox (RFC 6638).
//
// # Our own handler, not go-webdav's caldav.Handler
//
// go-webdav's caldav and carddav servers decide what a URL is by counting its segments, answer only
// for the exact principal and home of the current user, re-encode objects on GET (a failing encoder
// yields a truncated 200), always answer 201 to PUT, have no MKCALENDAR, PROPPATCH, sync-collection
// or getctag, build every multistatus in memory, and cannot be extended with properties because they
// live in an internal package (research/dav-libraries.md §3–4). Wrapping them in an interceptor would
// leave us re-implementing most methods while still routing the rest through code we would have to
// second-guess. This package is a plain net/http handler instead: it reuses the files handler's
// streaming multistatus writer and PROPFIND parser (package dav), go-ical and go-vcard to validate,
// and package calendar for recurrence and filters. Objects are served byte-identical from storage,
// conditional requests are evaluated inside the write transaction, and every path a request names
// (including multiget hrefs) is resolved and authorized by the same function as the request URI.
//
// # URL layout
//
//	/dav/                                     context root: current-user-principal, home sets
//	/dav/principals/<id>/                     the person's principal (id: the person's number)
//	/dav/calendars/<id>/                      calendar home: the person's own and their groups' calendars
//	/dav/calendars/<id>/<name>/               a personal agenda or task list
//	/dav/calendars/<id>/<group>~<name>/       a group's agenda or task list, as seen by this person
//	/dav/calendars/<id>/inbox/                the person's scheduling inbox (RFC 6638: messages delivered)
//	/dav/calendars/<id>/outbox/               their scheduling outbox (POST a free-busy request)
//	/dav/calendars/<id>/<collection>/<object> a calendar object resource
//	/dav/addressbooks/<id>/…                  the same for address books
//
// Why: CalDAV clients find collections by listing the home set with Depth 1, and several of them
// (vdirsyncer, DAVx⁵, Apple) expect the collections to be children of the home. Group collections are
// therefore listed inside every member's home, under a name that carries the group's slug; "~" cannot
// occur in a slug, and personal collections may not use it, so the name parses without ambiguity.
// Homes and principals carry the person's id, not their e-mail, so that URLs survive a change of
// address; another person's id answers 404, exactly like a group one is not in.
package calhttp
