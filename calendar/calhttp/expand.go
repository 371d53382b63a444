package calhttp

import (
	"time"

	"parvis/calendar"
	"parvis/dav/davxml"
)

// expansion is what calendar-data's expand element (RFC 4791 §9.6.5) asks of calendar-query and
// calendar-multiget: each object's instances in a range, in UTC.
type expansion struct {
	r     calendar.TimeRange
	float *time.Location // floating times: the query's time zone; nil for the collection's (floatZone)
}

// parseExpand reads the expand element of a report's DAV:prop, if any; its start and end are both
// required.
func parseExpand(prop *node) (*expansion, error) {
	ex := prop.child(nsCalDAV, "calendar-data").child(nsCalDAV, "expand")
	if ex == nil {
		return nil, nil
	}
	_, hasS := ex.attr("start")
	_, hasE := ex.attr("end")
	r, err := parseTimeRange(ex)
	if err != nil || !hasS || !hasE {
		return nil, errBadRequest
	}
	return &expansion{r: r}, nil
}

// expandedData is an object's calendar-data as expanded; an object that does not parse or expand
// is served as stored rather than dropped from the answer.
func expandedData(data []byte, x *expansion, float *time.Location) []byte {
	o, err := calendar.Parse(data)
	if err != nil {
		return data
	}
	out, err := o.Expand(x.r, float)
	if err != nil {
		return data
	}
	return out
}

func calendarDataXML(res resource) []byte {
	data := res.obj.Data
	if res.expand != nil {
		float := res.expand.float
		if float == nil {
			float = floatZone("", res.t.coll) // multiget: the object's collection's zone
		}
		data = expandedData(data, res.expand, float)
	}
	return []byte(davxml.EscapeCharData(string(data)))
}
