package server

import (
	"context"
	"fmt"
	"time"

	"parvis/access"
	"parvis/storage/db"
)

// adminChores is the housekeeping of people rather than files: guests are told before their access
// ends, and the audit log forgets what is older than its retention. Expired guests need no chore:
// access stops answering for them at the end date.
func (s *Server) adminChores(ctx context.Context) {
	in, log := s.in, s.log
	if n, err := in.access.WarnExpiringGuests(ctx, in.queueGuestNotice); err != nil && ctx.Err() == nil {
		log.Warn("housekeeping: guests' expiry warnings", "err", err)
	} else if n > 0 {
		log.Info("housekeeping: guests told their access ends soon", "count", n)
		s.mail.Wake()
	}
	if n, err := in.access.ExpireAudit(ctx, in.cfg.AuditRetention.Duration); err != nil && ctx.Err() == nil {
		log.Warn("housekeeping: audit retention", "err", err)
	} else if n > 0 {
		log.Info("housekeeping: audit entries past retention deleted", "count", n)
	}
}

// queueGuestNotice queues the guest's warning and a note to each animator of the group, in the
// transaction that remembers the warning was given. People's language is not stored: French first,
// then English, like the association's other bilingual notices.
func (in *Instance) queueGuestNotice(tx *db.Tx, n access.GuestNotice) error {
	g := n.Guest
	day := g.ExpiresAt.Add(-time.Second).Format("02/01/2006") // access lasts through the day before
	site := in.cfg.PublicURL()
	body := fmt.Sprintf("Bonjour,\n\nVotre accès d'invité·e au groupe « %s » sur %s se termine le %s. "+
		"Pour le prolonger, demandez-le aux animateur·ices du groupe.\n\n---\n\nHello,\n\nYour guest access to the group \"%s\" on %s "+
		"ends on %s. To extend it, ask the group's animators.\n", g.Group.Name, site, day, g.Group.Name, site, day)
	if _, err := tx.QueueMail(g.Email, "Votre accès invité se termine bientôt / Your guest access ends soon", body); err != nil {
		return err
	}
	note := fmt.Sprintf("L'accès d'invité·e de %s au groupe « %s » se termine le %s. Pour le prolonger, invitez de nouveau "+
		"cette personne avec une autre date.\n\n---\n\nThe guest access of %s to the group \"%s\" ends on %s. To extend it, invite "+
		"them again with another date.\n\n%s/\n", g.Email, g.Group.Name, day, g.Email, g.Group.Name, day, site)
	for _, a := range n.Animators {
		if _, err := tx.QueueMail(a.Email, "Fin d'accès d'un·e invité·e / A guest's access ends soon: "+g.Email, note); err != nil {
			return err
		}
	}
	return nil
}
