package davxml

import (
	"encoding/xml"
	"strings"
	"testing"
)

// TestEscapeCharDataRoundTrip: CRLF calendar data escaped as character data parses back to the
// same bytes, and costs five bytes per line end, not twelve.
func TestEscapeCharDataRoundTrip(t *testing.T) {
	in := "BEGIN:VCALENDAR\r\nSUMMARY:AG & <CA> \"2027\" 'été'\r\nEND:VCALENDAR\r\n"
	esc := EscapeCharData(in)
	var out struct {
		Data string `xml:",chardata"`
	}
	if err := xml.Unmarshal([]byte("<d>"+esc+"</d>"), &out); err != nil || out.Data != in {
		t.Fatalf("round trip: %q %v", out.Data, err)
	}
	if strings.Contains(esc, "&#xA;") || strings.Count(esc, "&#xD;") != 3 {
		t.Fatalf("escaping: %q", esc)
	}
}
