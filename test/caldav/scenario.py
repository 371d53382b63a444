"""python3-caldav against a running Parvis: see pycaldav_test.go.

Expectations of the time-range search are computed here, independently of the server, with
dateutil's rrule and zoneinfo."""
import os
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import caldav
from caldav.lib import error
from dateutil import rrule

URL = os.environ["PARVIS_URL"]
PARIS = ZoneInfo("Europe/Paris")


def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

# (uid, local start in Paris or a date, duration, RRULE or None)
EVENTS = [
    ("collectif", datetime(2027, 3, 1, 18, 0), timedelta(hours=2), "FREQ=WEEKLY;BYDAY=MO;COUNT=10"),
    ("ag", datetime(2027, 4, 10, 14, 0), timedelta(hours=4), None),
    ("fevrier", datetime(2027, 2, 3, 9, 0), timedelta(hours=1), None),
    ("journee-portes-ouvertes", date(2027, 3, 28), timedelta(days=1), None),
    ("permanence", datetime(2027, 1, 6, 17, 30), timedelta(hours=1), "FREQ=MONTHLY;BYDAY=1WE"),
]


def ics(uid, start, dur, rule):
    if isinstance(start, datetime):
        times = "DTSTART;TZID=Europe/Paris:%s\nDTEND;TZID=Europe/Paris:%s\n" % (
            start.strftime("%Y%m%dT%H%M%S"), (start + dur).strftime("%Y%m%dT%H%M%S"))
    else:
        times = "DTSTART;VALUE=DATE:%s\nDTEND;VALUE=DATE:%s\n" % (
            start.strftime("%Y%m%d"), (start + dur).strftime("%Y%m%d"))
    rr = "RRULE:%s\n" % rule if rule else ""
    return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Parvis//scenario//FR\n" + VTIMEZONE +
            "BEGIN:VEVENT\nUID:%s\nDTSTAMP:20261121T100000Z\n%s%sSUMMARY:%s\nEND:VEVENT\nEND:VCALENDAR\n"
            % (uid, times, rr, uid))


def instances(start, dur, rule, until):
    """Instances as aware (start, end) pairs; dates are read as UTC days, as the server does for
    a query without a time zone."""
    if isinstance(start, datetime):
        local = start.replace(tzinfo=PARIS)
        starts = list(rrule.rrulestr(rule, dtstart=start).between(start, until, inc=True)) if rule else [start]
        return [(s.replace(tzinfo=PARIS), s.replace(tzinfo=PARIS) + dur) for s in starts] if rule else [(local, local + dur)]
    s = datetime(start.year, start.month, start.day, tzinfo=timezone.utc)
    return [(s, s + dur)]


def expected(lo, hi):
    out = set()
    for uid, start, dur, rule in EVENTS:
        for s, e in instances(start, dur, rule, datetime(2028, 1, 1)):
            if s < hi and e > lo:
                out.add(uid)
    return out


alice = caldav.DAVClient(url=URL, username=os.environ["ALICE"], password=os.environ["ALICE_PW"])
principal = alice.principal()
check(principal.url.path.startswith("/dav/principals/"), "principal from the root URL: %s" % principal.url)
cals = {str(c.url).rstrip("/").rsplit("/", 1)[-1]: c for c in principal.calendars()}
check("atelier~agenda" in cals and "atelier~taches" in cals and "agenda" in cals, "home set lists %s" % sorted(cals))
print("ok: discovery")

reunions = principal.make_calendar(name="Réunions", cal_id="reunions")
tasks = principal.make_calendar(name="Tâches perso", cal_id="taches-perso", supported_calendar_component_set=["VTODO"])
names = {str(c.url).rstrip("/").rsplit("/", 1)[-1]: c.get_display_name() for c in principal.calendars()}
check(names.get("reunions") == "Réunions" and names.get("taches-perso") == "Tâches perso", "new calendars: %s" % names)
print("ok: collections")

agenda = cals["atelier~agenda"]
for uid, start, dur, rule in EVENTS:
    agenda.save_event(ics(uid, start, dur, rule))
for lo, hi in [
    (datetime(2027, 3, 27, 22, 0, tzinfo=timezone.utc), datetime(2027, 4, 6, tzinfo=timezone.utc)),
    (datetime(2027, 3, 29, 16, 30, tzinfo=timezone.utc), datetime(2027, 3, 29, 16, 45, tzinfo=timezone.utc)),
    (datetime(2027, 4, 10, 12, 0, tzinfo=timezone.utc), datetime(2027, 5, 3, tzinfo=timezone.utc)),
    (datetime(2027, 12, 1, tzinfo=timezone.utc), datetime(2027, 12, 2, tzinfo=timezone.utc)),
]:
    found = agenda.search(start=lo, end=hi, event=True, expand=False)
    got = {o.icalendar_instance.walk("VEVENT")[0]["UID"] for o in found}
    want = expected(lo, hi)
    check(got == want, "search %s–%s: got %s, want %s" % (lo, hi, sorted(got), sorted(want)))
print("ok: search")

todo = tasks.save_todo("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Parvis//scenario//FR\nBEGIN:VTODO\nUID:compte-rendu\n"
                       "DTSTAMP:20261121T100000Z\nDUE:20270415T170000Z\nSUMMARY:Compte rendu de l'AG\nEND:VTODO\nEND:VCALENDAR\n")
check(len(tasks.todos()) == 1, "one pending task")
todo.complete()
check(len(tasks.todos()) == 0, "no pending task once completed")
done = tasks.todos(include_completed=True)
check(len(done) == 1 and done[0].icalendar_instance.walk("VTODO")[0]["STATUS"] == "COMPLETED", "completed task kept")
print("ok: task completion")

snapshot = agenda.objects_by_sync_token()
check(len(list(snapshot)) == len(EVENTS), "full sync lists every event")
ag = agenda.event_by_uid("ag")
old_etag = alice.request(str(ag.url), "HEAD").headers["ETag"]
ag.data = ag.data.replace("SUMMARY:ag", "SUMMARY:Assemblée générale")
ag.save()
changes = agenda.objects_by_sync_token(sync_token=snapshot.sync_token)
urls = [str(o.url) for o in changes]
check(len(urls) == 1 and urls[0].endswith(str(ag.url).rsplit("/", 1)[-1]), "incremental sync: %s" % urls)
print("ok: incremental sync")

resp = alice.put(str(ag.url), ag.data.replace("Assemblée", "AG"), {"If-Match": old_etag, "Content-Type": "text/calendar"})
check(resp.status == 412, "stale If-Match answers %s" % resp.status)
check("Assemblée générale" in agenda.event_by_uid("ag").data, "the lost update did not happen")
print("ok: stale etag")

# Meetings as an association holds them: a kind (CATEGORIES), a place, a visio link, attendees. They
# are only stored and served: the bytes must come back identical, line ends and folding included.
MEETINGS = {
    "collectif-mai": "CATEGORIES:collectif\r\nLOCATION:Maison des associations\\, salle 2\r\n"
                     "CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Visio du collectif:https://visio.example.org/\r\n"
                     " collectif-mai?pwd=abc\r\nURL:https://asso.example.org/collectif/2027-05\r\n"
                     "ORGANIZER;CN=Anne Martin:mailto:anne@example.org\r\n"
                     "ATTENDEE;CN=\"Élodie Durand\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:elodie@example.org\r\n"
                     "ATTENDEE;CN=Paul;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:paul@example.org\r\n",
    "ag-2027": "CATEGORIES:AG\r\nLOCATION:Salle des fêtes\r\nX-PARVIS-QUORUM:50\r\n",
    "partenaires": "CATEGORIES:other,partenaires\r\nCONFERENCE;VALUE=URI;FEATURE=VIDEO:https://meet.example.org/p\r\n",
}
for uid, props in MEETINGS.items():
    raw = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Parvis//scenario//FR\r\nBEGIN:VEVENT\r\nUID:%s\r\n"
           "DTSTAMP:20261121T100000Z\r\nDTSTART:20270515T160000Z\r\nDTEND:20270515T180000Z\r\nSUMMARY:%s\r\n%s"
           "END:VEVENT\r\nEND:VCALENDAR\r\n" % (uid, uid, props))
    url = str(agenda.url) + uid + ".ics"
    resp = alice.put(url, raw, {"Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"})
    check(resp.status == 201, "PUT %s: %s" % (uid, resp.status))
    # python3-caldav's responses turn CRLF into LF; its requests session (with the credentials
    # it negotiated) gives the bytes as the server sent them.
    body = alice.session.get(url, auth=alice.auth).content
    check(body == raw.encode("utf-8"), "%s came back altered:\n%r\nsent:\n%r" % (uid, body, raw))
    ev = agenda.event_by_uid(uid).icalendar_instance.walk("VEVENT")[0]
    check(str(ev["UID"]) == uid, "event_by_uid(%s)" % uid)
ev = agenda.event_by_uid("collectif-mai").icalendar_instance.walk("VEVENT")[0]
check(str(ev["LOCATION"]) == "Maison des associations, salle 2" and len(ev["ATTENDEE"]) == 2
      and "collectif-mai?pwd=abc" in str(ev["CONFERENCE"]), "collectif-mai as read by icalendar: %s" % ev)
kinds = {k: sorted(str(o.icalendar_instance.walk("VEVENT")[0]["UID"]) for o in agenda.search(category=k, event=True))
         for k in ("collectif", "AG", "partenaires")}
check(kinds == {"collectif": ["collectif-mai"], "AG": ["ag-2027"], "partenaires": ["partenaires"]}, "search by kind: %s" % kinds)
print("ok: meeting kinds")

bob = caldav.DAVClient(url=URL, username=os.environ["BOB"], password=os.environ["BOB_PW"])
bob_cals = [str(c.url) for c in bob.principal().calendars()]
check(not any("atelier" in u for u in bob_cals), "bob's home lists atelier: %s" % bob_cals)
check(bob.request(str(ag.url)).status == 404, "bob reads alice's group event")
try:
    caldav.Calendar(client=bob, url=str(agenda.url)).events()
    check(False, "bob lists atelier's agenda")
except error.DAVError:
    pass
print("ok: isolation")
