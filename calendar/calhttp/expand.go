package calhttp

import (
	"errors"
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
// is served as stored rather than dropped from the answer, but one that would expand into more
// than calendar.MaxExpanded instances is refused (ErrTooManyInstances): its property answers 507.
func expandedData(data []byte, x *expansion, float *time.Location) ([]byte, error) {
	o, err := calendar.Parse(data)
	if err != nil {
		return data, nil
	}
	out, err := o.Expand(x.r, float)
	if errors.Is(err, calendar.ErrTooManyInstances) {
		return nil, err
	} else if err != nil {
		return data, nil
	}
	return out, nil
}

// calendarDataXML is the calendar-data property of an object, expanded if asked.
func calendarDataXML(res resource) ([]byte, error) {
	data := res.obj.Data
	if res.expand != nil {
		float := res.expand.float
		if float == nil {
			float = floatZone("", res.t.coll) // multiget: the object's collection's zone
		}
		var err error
		if data, err = expandedData(data, res.expand, float); err != nil {
			return nil, err
		}
	}
	return []byte(davxml.EscapeCharData(string(data))), nil
}
