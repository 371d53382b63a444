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
)

// Day is a day with its weekday in lang: "lun. 12 janv. 2027", "Mon 12 Jan 2027".
func Day(lang string, t time.Time) string {
	if lang == "fr" {
		return fmt.Sprintf("%s %d %s %d", frDays[t.Weekday()], t.Day(), frMonths[t.Month()-1], t.Year())
	}
	return t.Format("Mon 2 Jan 2006")
}
