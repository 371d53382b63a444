package server

import (
	"context"
)

// adminChores is the housekeeping of people rather than files: guests are told before their access
// ends, those who have not answered a poll are reminded before its deadline, and the audit log
// forgets what is older than its retention. Expired guests need no chore:
// access stops answering for them at the end date.
func (s *Server) adminChores(ctx context.Context) {
	in, log := s.in, s.log
	if n, err := in.access.WarnExpiringGuests(ctx); err != nil && ctx.Err() == nil {
		log.Warn("housekeeping: guests' expiry warnings", "err", err)
	} else if n > 0 {
		log.Info("housekeeping: guests told their access ends soon", "count", n)
	}
	if n, err := in.meetings.Remind(ctx); err != nil && ctx.Err() == nil {
		log.Warn("housekeeping: poll reminders", "err", err)
	} else if n > 0 {
		log.Info("housekeeping: people reminded of polls waiting for their answer", "count", n)
	}
	if n, err := in.access.ExpireAudit(ctx, in.cfg.AuditRetention.Duration); err != nil && ctx.Err() == nil {
		log.Warn("housekeeping: audit retention", "err", err)
	} else if n > 0 {
		log.Info("housekeeping: audit entries past retention deleted", "count", n)
	}
}
