package lists

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"parvis/storage/db"
)

// bounced takes a message to a copy's bounce address (list+bounce-ID-SIG): the copy ID failed, so
// its person's address is flagged for administrators, who count more than a hundred wrong
// addresses among an association's members. A delay notice (a DSN saying "delayed", a 4.x.x
// status) flags nothing; a forged or unknown tag is accepted and ignored, so that probing learns
// nothing.
func (s *Service) bounced(ctx context.Context, l db.List, tag string, raw []byte) error {
	idText, sig, ok := strings.Cut(strings.TrimPrefix(tag, "bounce-"), "-")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil {
		return nil
	}
	action, status, diagnostic := dsnFields(raw)
	if action == "delayed" || strings.HasPrefix(status, "4") || action == "delivered" || action == "relayed" {
		return nil
	}
	return s.db.Write(ctx, func(tx *db.Tx) error {
		want, err := s.sign(tx, "bounce", fmt.Sprint(id))
		if err != nil {
			return err
		}
		got, err := hex.DecodeString(sig)
		if err != nil || !hmac.Equal(got, want[:5]) {
			return nil
		}
		d, err := tx.R().ListDeliveryByID(id)
		if errors.Is(err, db.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		reason := strings.TrimSpace(strings.Join([]string{status, diagnostic}, " "))
		if reason == "" {
			reason = "bounce to " + l.Address
		}
		return tx.RecordBounce(d.PersonID, d.Address+": "+reason)
	})
}

// dsnFields reads the Action, Status and Diagnostic-Code of a delivery status notification
// (RFC 3464), wherever they are in the message: bounces come in many shapes, and the fields are
// what they share.
func dsnFields(raw []byte) (action, status, diagnostic string) {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(k) {
		case "action":
			action = strings.ToLower(v)
		case "status":
			status = v
		case "diagnostic-code":
			diagnostic = v
		}
	}
	return action, status, diagnostic
}
