package locale

import (
	"fmt"
	"time"
)

// Dates as people read them on pages and in mails. Go's time package only knows English names;
// the French ones are here.

var (
	frDays   = []string{"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."}
	frMonths = []string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}
	frLong   = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// Date is a date as people write it in lang: "2 décembre 2026" (1er for the first of the month),
// "2 December 2026". The caller puts t in the association's zone.
func Date(lang string, t time.Time) string {
	if lang == "fr" {
		day := fmt.Sprint(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return day + " " + frLong[t.Month()-1] + " " + fmt.Sprint(t.Year())
	}
	return t.Format("2 January 2006")
}

// DateTime is a date and a time of day in lang: "2 décembre 2026 à 14:05", "2 December 2026, 14:05".
func DateTime(lang string, t time.Time) string {
	if lang == "fr" {
		return Date(lang, t) + " à " + t.Format("15:04")
	}
	return Date(lang, t) + ", " + t.Format("15:04")
}

// Day is a day with its weekday in lang: "lun. 12 janv. 2027", "Mon 12 Jan 2027".
func Day(lang string, t time.Time) string {
	if lang == "fr" {
		return fmt.Sprintf("%s %d %s %d", frDays[t.Weekday()], t.Day(), frMonths[t.Month()-1], t.Year())
	}
	return t.Format("Mon 2 Jan 2006")
}
