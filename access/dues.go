package access

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"parvis/storage/db"
)

// DuesLine is the outcome of one line of a dues file.
type DuesLine struct {
	Line   int    `json:"line"`
	Email  string `json:"email"`
	OK     bool   `json:"ok"`
	Reason string `json:"reason,omitempty"`
	// Code names the reason for pages that word it in their language: noemail, noaccount, lookup,
	// amount, date.
	Code string `json:"code,omitempty"`
}

// DuesReport says what an import did, line by line.
type DuesReport struct {
	Imported int        `json:"imported"`
	Lines    []DuesLine `json:"lines"`
}

// Column names accepted, accents and case folded: the export of the usual French payment platforms
// (HelloAsso's "Email payeur", "Montant", "Date de la commande"…) and plain English headers.
var duesColumns = map[string][]string{
	"email":  {"email", "e-mail", "courriel", "email payeur", "email adherent", "adresse email", "mail"},
	"amount": {"montant", "amount", "montant du tarif", "montant total", "montant (€)", "montant en euros"},
	"date":   {"date", "date de la commande", "date du paiement", "date de paiement", "paid at"},
}

// ImportDues reads a CSV of payments (comma or semicolon separated, with a header line) and records
// the dues of every good line, all in one transaction; bad lines are reported with their reason and
// change nothing.
func (s *Service) ImportDues(ctx context.Context, by Actor, r io.Reader, source string) (DuesReport, error) {
	if !by.isAdmin() {
		return DuesReport{}, ErrForbidden
	}
	rows, err := readCSV(r)
	if err != nil {
		return DuesReport{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if len(rows) == 0 {
		return DuesReport{}, fmt.Errorf("%w: the file is empty", ErrInvalid)
	}
	cols, err := findColumns(rows[0])
	if err != nil {
		return DuesReport{}, err
	}
	var rep DuesReport
	err = s.db.Write(ctx, func(tx *db.Tx) error {
		rep = DuesReport{}
		for i, row := range rows[1:] {
			line := DuesLine{Line: i + 2}
			d, reason := parseDuesRow(tx.R(), row, cols, &line, s.policy.zone())
			if reason == "" {
				d.Source = source
				if err := tx.RecordDues(d); err != nil {
					return err
				}
				if err := s.activateWaiting(tx, d.PersonID, d.Year); err != nil {
					return err
				}
				line.OK = true
				rep.Imported++
			}
			line.Reason = reason
			rep.Lines = append(rep.Lines, line)
		}
		return tx.Audit(by.audit("dues.import", source, fmt.Sprintf("%d of %d lines", rep.Imported, len(rows)-1)))
	})
	s.grants.clear()
	s.queued(err)
	return rep, err
}

// parseDuesRow turns a line into dues, or says why it cannot.
func parseDuesRow(r db.Read, row []string, cols map[string]int, line *DuesLine, zone *time.Location) (db.Dues, string) {
	cell := func(k string) string {
		if i := cols[k]; i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	line.Email = cell("email")
	if line.Email == "" {
		line.Code = "noemail"
		return db.Dues{}, "no e-mail address"
	}
	p, err := r.PersonByEmail(line.Email)
	if errors.Is(err, db.ErrNotFound) {
		line.Code = "noaccount"
		return db.Dues{}, "no account with this e-mail address"
	} else if err != nil {
		line.Code = "lookup"
		return db.Dues{}, "lookup failed"
	}
	cents, ok := ParseAmount(cell("amount"))
	if !ok {
		line.Code = "amount"
		return db.Dues{}, fmt.Sprintf("amount %q is not a sum like 15,00", cell("amount"))
	}
	paid, ok := parseDate(cell("date"), zone)
	if !ok {
		line.Code = "date"
		return db.Dues{}, fmt.Sprintf("date %q is not like 02/01/2026 or 2026-01-02", cell("date"))
	}
	return db.Dues{PersonID: p.ID, Year: paid.In(zone).Year(), AmountCents: cents, PaidAt: paid}, ""
}

// readCSV reads a comma- or semicolon-separated file, BOM and all.
func readCSV(r io.Reader) ([][]string, error) {
	br := bufio.NewReader(r)
	if bom, _ := br.Peek(3); string(bom) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	head, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	first, _, _ := strings.Cut(string(head), "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return cr.ReadAll()
}

// findColumns locates the email, amount and date columns in a header line.
func findColumns(header []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range header {
		h = fold(h)
		for key, names := range duesColumns {
			for _, n := range names {
				if _, done := cols[key]; !done && h == fold(n) {
					cols[key] = i
				}
			}
		}
	}
	for _, key := range []string{"email", "amount", "date"} {
		if _, ok := cols[key]; !ok {
			return nil, fmt.Errorf("%w: no %s column in the header line (%s)", ErrInvalid, key, strings.Join(header, ", "))
		}
	}
	return cols, nil
}

// fold lower-cases and removes accents, so that "Prénom" and "prenom" match.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, _ := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	return out
}

// ParseAmount reads "15", "15,00", "15.5", "15,00 €", "1 015,00" into cents: how people write sums.
func ParseAmount(s string) (int64, bool) {
	s = strings.NewReplacer("€", "", "EUR", "", " ", "", "\u00a0", "", "\u202f", "").Replace(s)
	s = strings.Replace(s, ",", ".", 1)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e7 {
		return 0, false
	}
	return int64(f*100 + 0.5), true
}

// parseDate reads the usual export formats; a date without an offset is the association's day, so
// dues paid on December 31st in Nouméa count for that year.
func parseDate(s string, zone *time.Location) (time.Time, bool) {
	for _, layout := range []string{"02/01/2006 15:04:05", "02/01/2006 15:04", "02/01/2006", "2006-01-02 15:04:05", "2006-01-02T15:04:05Z07:00", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
