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
