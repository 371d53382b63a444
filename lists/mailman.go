package lists

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"parvis/storage/db"
)

// An association that keeps its Mailman 3 gets each Parvis list's members fed to the Mailman list
// of the same address, through Mailman's REST API: who is a member of the group and up to date
// with dues is Parvis's answer there too. Parvis adds the people in force (pre-confirmed, without a
// welcome mail) and removes the others; delivery settings (digests, mutes) stay Mailman's. It syncs
// when someone's standing changes, and every ten minutes for what changes with the date alone
// (a guest's access ending, the dues' suspension day).

// Mailman is how to reach a Mailman 3 REST API: its base address (http://127.0.0.1:8001/3.1) and
// the REST user's credentials.
type Mailman struct {
	URL, User, Password string
}

// SyncResult is what a sync changed on one Mailman list.
type SyncResult struct {
	List           string // its address
	Added, Removed int
	Created        bool // the list did not exist on Mailman
	Members        int  // its members after the sync
}

// mailmanClient calls the REST API.
type mailmanClient struct {
	m    Mailman
	http *http.Client
}

func (c mailmanClient) do(ctx context.Context, method, path string, form url.Values, out any) (int, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	u := path
	if !strings.HasPrefix(path, "http") {
		u = strings.TrimRight(c.m.URL, "/") + path
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, err
	}
	req.SetBasicAuth(c.m.User, c.m.Password)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("lists: Mailman at %s: %w", c.m.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 && resp.StatusCode != http.StatusNotFound {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return resp.StatusCode, fmt.Errorf("lists: Mailman %s %s: %s %s", method, path, resp.Status, strings.TrimSpace(string(msg)))
	}
	if out != nil && resp.StatusCode == http.StatusOK {
		return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode, nil
}

// SyncMailman brings every list's Mailman roster in line with its members in force.
func (s *Service) SyncMailman(ctx context.Context) ([]SyncResult, error) {
	if s.cfg.Mailman.URL == "" || !s.Enabled() {
		return nil, nil
	}
	c := mailmanClient{m: s.cfg.Mailman, http: &http.Client{Timeout: 30 * time.Second}}
	lists, err := s.db.R(ctx).AllLists()
	if err != nil {
		return nil, err
	}
	if err := c.ensureDomain(ctx, s.cfg.Domain); err != nil {
		return nil, err
	}
	var out []SyncResult
	var errs []error
	for _, l := range lists {
		res, err := s.syncMailmanList(ctx, c, l)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, res)
	}
	return out, errors.Join(errs...)
}

func (c mailmanClient) ensureDomain(ctx context.Context, domain string) error {
	code, err := c.do(ctx, http.MethodGet, "/domains/"+url.PathEscape(domain), nil, nil)
	if err != nil || code != http.StatusNotFound {
		return err
	}
	_, err = c.do(ctx, http.MethodPost, "/domains", url.Values{"mail_host": {domain}}, nil)
	return err
}

// roster is a Mailman list's members: address → the member's REST address, for removal.
func (c mailmanClient) roster(ctx context.Context, listID string) (map[string]string, error) {
	var page struct {
		Entries []struct {
			Email    string `json:"email"`
			SelfLink string `json:"self_link"`
		} `json:"entries"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/lists/"+url.PathEscape(listID)+"/roster/member", nil, &page); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(page.Entries))
	for _, e := range page.Entries {
		out[strings.ToLower(e.Email)] = e.SelfLink
	}
	return out, nil
}

func (s *Service) syncMailmanList(ctx context.Context, c mailmanClient, l db.List) (SyncResult, error) {
	res := SyncResult{List: s.Address(l)}
	listID := s.listID(l)
	code, err := c.do(ctx, http.MethodGet, "/lists/"+url.PathEscape(listID), nil, nil)
	if err != nil {
		return res, err
	}
	if code == http.StatusNotFound {
		if _, err := c.do(ctx, http.MethodPost, "/lists", url.Values{"fqdn_listname": {s.Address(l)}}, nil); err != nil {
			return res, err
		}
		res.Created = true
	}
	people, err := s.access.ListRecipients(s.db.R(ctx), l)
	if err != nil {
		return res, err
	}
	have, err := c.roster(ctx, listID)
	if err != nil {
		return res, err
	}
	want := make(map[string]db.Person, len(people))
	for _, p := range people {
		want[strings.ToLower(p.Email)] = p
	}
	for email, p := range want {
		if _, ok := have[email]; ok {
			continue
		}
		form := url.Values{"list_id": {listID}, "subscriber": {p.Email}, "display_name": {p.Name}, "pre_verified": {"true"},
			"pre_confirmed": {"true"}, "pre_approved": {"true"}, "send_welcome_message": {"false"}}
		if _, err := c.do(ctx, http.MethodPost, "/members", form, nil); err != nil {
			return res, err
		}
		res.Added++
	}
	for email, link := range have {
		if _, ok := want[email]; ok {
			continue
		}
		if _, err := c.do(ctx, http.MethodDelete, link, nil, nil); err != nil {
			return res, err
		}
		res.Removed++
	}
	res.Members = len(want)
	return res, nil
}

// RunMailman syncs the rosters until ctx ends: after a change of standing (a second after the
// last of a burst, as a dues import changes hundreds) and every ten minutes.
func (s *Service) RunMailman(ctx context.Context) {
	if s.cfg.Mailman.URL == "" || !s.Enabled() {
		return
	}
	changed := make(chan struct{}, 1)
	s.access.OnStandingChange(func() {
		select {
		case changed <- struct{}{}:
		default: // a sync is already due
		}
	})
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		results, err := s.SyncMailman(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Warn("lists: Mailman sync", "err", err)
		}
		for _, r := range results {
			if r.Added+r.Removed > 0 || r.Created {
				s.log.Info("lists: Mailman roster synced", "list", r.List, "added", r.Added, "removed", r.Removed, "members", r.Members)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-changed:
			select { // let a burst of changes end
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			for len(changed) > 0 {
				<-changed
			}
		}
	}
}
