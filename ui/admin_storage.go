package ui

import (
	"parvis/access"
	"parvis/locale"

	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"parvis/storage/db"
	"parvis/storage/replica"
)

// storageView is what the storage page shows: the primary store, the spool, the partner's copy.
type storageView struct {
	Kind     string
	Status   replica.Status
	Backlog  db.Backlog
	Copies   []copyView
	CopiesOK bool // the partner's list of copies could be read
	Sizes    storageSizes
}

// storageSizes are the view's byte counts, written for people.
type storageSizes struct {
	Spool, SpoolMax, Backlog, Copied, LastDB string
}

func (v *storageView) fillSizes(lang string) {
	b := func(n int64) string { return locale.Bytes(lang, n) }
	v.Sizes = storageSizes{Spool: b(v.Status.SpoolBytes), SpoolMax: b(v.Status.SpoolMax), Backlog: b(v.Backlog.Bytes),
		Copied: b(v.Status.BytesCopied), LastDB: b(v.Status.LastDBSize)}
}

// copyView is one database copy on the partner.
type copyView struct {
	At   time.Time
	Size string
}

// maxCopiesShown bounds the list of database copies (retention keeps about a hundred).
const maxCopiesShown = 30

// storagePage shows administrators whether the association's data is safe: is the primary store up,
// how much waits for the partner and since when, when the database was last copied, what failed.
// Others get 404, as for a page that does not exist.
func (h *handler) storagePage(c *fiber.Ctx) error {
	p, ok := h.person(c)
	if !ok {
		return errSignedOut
	}
	if !access.Administers(p) {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	v := storageView{Kind: h.StorageKind}
	if h.Monitor != nil {
		v.Status = h.Monitor.Status()
	}
	var err error
	if v.Backlog, err = replica.Backlog(ctx, h.DB); err != nil {
		return err
	}
	v.fillSizes(pageLanguage(c))
	v.Copies, v.CopiesOK = h.partnerCopies(ctx, pageLanguage(c))
	return h.render(c, fiber.StatusOK, "storage.html", page{Title: "storage.title", Person: p, Data: v})
}

// partnerCopies lists the newest database copies; the partner being down is shown, not an error.
func (h *handler) partnerCopies(ctx context.Context, lang string) ([]copyView, bool) {
	if h.Snapshots == nil {
		return nil, true
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	snaps, err := h.Snapshots(ctx)
	if err != nil {
		h.Log.Warn("storage page: partner's copies", "err", err)
		return nil, false
	}
	var out []copyView
	for i := len(snaps) - 1; i >= 0 && len(out) < maxCopiesShown; i-- {
		out = append(out, copyView{At: snaps[i].At, Size: locale.Bytes(lang, snaps[i].Size)})
	}
	return out, true
}

// Thresholds of the home page's storage warnings: a content waiting this long for the partner, or a
// database copy this old, means the second copy is falling behind.
const (
	backlogWarnAfter = 15 * time.Minute
	dbCopyWarnAfter  = time.Hour
)

// storageWarnings are the message keys of what administrators should know on their home page.
func (h *handler) storageWarnings(ctx context.Context, now time.Time) []string {
	if h.Monitor == nil {
		return nil
	}
	st := h.Monitor.Status()
	var out []string
	if st.PrimaryDown {
		out = append(out, "home.storage.primary")
	}
	if !st.Enabled {
		return append(out, "home.storage.nopartner")
	}
	if st.PartnerDown {
		out = append(out, "home.storage.partner")
	}
	if b, err := replica.Backlog(ctx, h.DB); err == nil && !b.Oldest.IsZero() && now.Sub(b.Oldest) > backlogWarnAfter {
		out = append(out, "home.storage.backlog")
	}
	if !st.LastDBShipment.IsZero() && now.Sub(st.LastDBShipment) > dbCopyWarnAfter {
		out = append(out, "home.storage.db")
	}
	return out
}
