package access

import (
	"context"

	"parvis/storage/db"
)

type personKey struct{}

// WithPerson returns a context carrying the authenticated person, set by the front door's
// authentication and read by every protocol handler.
func WithPerson(ctx context.Context, p db.Person) context.Context {
	return context.WithValue(ctx, personKey{}, p)
}

// PersonFrom returns the authenticated person of a request context.
func PersonFrom(ctx context.Context) (db.Person, bool) {
	p, ok := ctx.Value(personKey{}).(db.Person)
	return p, ok && p.ID != 0
}
