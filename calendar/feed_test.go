package calendar

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/emersion/go-ical"
)

const feedParis = "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE\n"

func feedObject(body string) []byte {
	return []byte(strings.ReplaceAll("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//y//FR\n"+body+"END:VCALENDAR\n", "\n", "\r\n"))
}

// TestFeed writes objects into a feed and compares the whole document with one written by hand.
func TestFeed(t *testing.T) {
	tests := []struct {
		name    string
		objects [][]byte
		want    string // the components, between the header and END:VCALENDAR, "\n" for CRLF
	}{
		{"time zones written once", [][]byte{
			feedObject(feedParis + "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Paris:20260602T183000\nSUMMARY:Collectif\nEND:VEVENT\n"),
			feedObject(feedParis + "BEGIN:VEVENT\nUID:b\nDTSTART;TZID=Europe/Paris:20260620T140000\nSUMMARY:AG\nCATEGORIES:AG\nEND:VEVENT\n"),
		}, feedParis + "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Paris:20260602T183000\nSUMMARY:Collectif\nEND:VEVENT\n" +
			"BEGIN:VEVENT\nUID:b\nDTSTART;TZID=Europe/Paris:20260620T140000\nSUMMARY:AG\nCATEGORIES:AG\nEND:VEVENT\n"},
		{"private and confidential objects left out", [][]byte{
			feedObject("BEGIN:VEVENT\nUID:p\nDTSTART:20260602T183000Z\nCLASS:PRIVATE\nEND:VEVENT\n"),
			feedObject("BEGIN:VEVENT\nUID:c\nDTSTART:20260602T183000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:c\nRECURRENCE-ID:20260609T183000Z\n" +
				"DTSTART:20260609T183000Z\nclass:confidential\nEND:VEVENT\n"),
			feedObject("BEGIN:VEVENT\nUID:pub\nDTSTART:20260602T183000Z\nCLASS:PUBLIC\nEND:VEVENT\n"),
		}, "BEGIN:VEVENT\nUID:pub\nDTSTART:20260602T183000Z\nCLASS:PUBLIC\nEND:VEVENT\n"},
		{"attendees, organizer, words, visio and alarms dropped, folded lines kept whole", [][]byte{
			feedObject("BEGIN:VEVENT\nUID:m\nDTSTART:20260602T183000Z\nORGANIZER;CN=\"Anne: animatrice\":mailto:anne@example.org\n" +
				"ATTENDEE;CN=Paul;PARTSTAT=ACCEPTED:mailto:paul@exam\n ple.org\nDESCRIPTION:Ordre du jour : budget\\, \n\tprojets\n" +
				"LOCATION:Salle B\nCONFERENCE;VALUE=URI;FEATURE=VIDEO:https://visio.example.org/collectif\nURL:https://visio.example.org/c\n" +
				"SUMMARY:Collectif\nBEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-PT15M\nDESCRIPTION:Rappel\nEND:VALARM\nEND:VEVENT\n"),
		}, "BEGIN:VEVENT\nUID:m\nDTSTART:20260602T183000Z\nLOCATION:Salle B\nSUMMARY:Collectif\nEND:VEVENT\n"},
		{"line ends made CRLF, tasks kept", [][]byte{
			[]byte("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTODO\nUID:t\nSUMMARY:Réserver la salle\nEND:VTODO\nEND:VCALENDAR\n"),
		}, "BEGIN:VTODO\nUID:t\nSUMMARY:Réserver la salle\nEND:VTODO\n"},
	}
	header := "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Parvis//Public calendar//FR\nCALSCALE:GREGORIAN\nMETHOD:PUBLISH\n" +
		"NAME:Atelier — agenda\nX-WR-CALNAME:Atelier — agenda\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\nX-PUBLISHED-TTL:PT1H\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			f := NewFeed(bufio.NewWriter(&buf), "Atelier — agenda", "PT1H")
			for _, o := range tt.objects {
				f.Add(o)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(header+tt.want+"END:VCALENDAR\n", "\n", "\r\n")
			if buf.String() != want {
				t.Errorf("feed is\n%s\nwant\n%s", buf.String(), want)
			}
			if _, err := ical.NewDecoder(&buf).Decode(); err != nil {
				t.Errorf("go-ical cannot read the feed: %v", err)
			}
		})
	}
}

// TestFeedHeaderFolding checks that a long calendar name is escaped and folded on a character
// boundary, and reads back whole.
func TestFeedHeaderFolding(t *testing.T) {
	name := strings.Repeat("Réunions; comptes rendus, ", 5)
	var buf bytes.Buffer
	if err := NewFeed(bufio.NewWriter(&buf), name, "PT1H").Close(); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(buf.String(), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
	}
	cal, err := ical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := cal.Props.Text("X-WR-CALNAME"); got != name {
		t.Errorf("name read back as %q", got)
	}
}
