package access

import (
	"context"
	"fmt"
	"time"

	"parvis/storage/db"
)

// AuditPage is how many entries one page of the audit log shows.
const AuditPage = 50

// SearchAudit returns one page (0, 1, …) of the audit entries matching f, newest first, and whether
// older ones follow; administrators only.
func (s *Service) SearchAudit(ctx context.Context, by Actor, f db.AuditFilter, page int) ([]db.AuditEntry, bool, error) {
	if !by.isAdmin() {
		return nil, false, ErrForbidden
	}
	return s.db.R(ctx).AuditSearch(f, max(page, 0)*AuditPage, AuditPage)
}

// ExpireAudit deletes the entries older than the retention (config: audit_retention) and says how
// many; housekeeping calls it. The deletion itself is recorded, so a gap in the log is explained.
func (s *Service) ExpireAudit(ctx context.Context, retention time.Duration) (int64, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		cutoff := db.Now().Add(-retention)
		var err error
		if n, err = tx.DeleteAuditBefore(cutoff); err != nil || n == 0 {
			return err
		}
		return tx.Audit(Actor{Label: "system"}.audit("audit.expire", "", fmt.Sprintf("%d entries before %s", n, cutoff.Format(time.DateOnly))))
	})
	return n, err
}
