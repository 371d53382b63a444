"""Two python3-caldav clients scheduling a meeting through Parvis (RFC 6638): see
pycaldav_test.go. Alice organizes in her own agenda and invites Bob; the server delivers the
invitation to Bob's inbox and agenda, Bob's accept reaches Alice's copy and inbox, and Alice's
cancellation removes Bob's copy."""
import os
import sys
from datetime import datetime, timedelta, timezone

import caldav
from caldav.lib import error

URL = os.environ["PARVIS_URL"]


def check(cond, what):
    if not cond:
        print("FAILED:", what)
        sys.exit(1)


def inbox_methods(principal):
    out = {}
    for item in principal.schedule_inbox().get_items():
        item.load()
        out.setdefault(str(item.icalendar_instance.get("method", "")), []).append(item)
    return out


alice = caldav.DAVClient(url=URL, username=os.environ["ALICE"], password=os.environ["ALICE_PW"])
bob = caldav.DAVClient(url=URL, username=os.environ["BOB"], password=os.environ["BOB_PW"])
check(alice.check_scheduling_support(), "the server announces calendar-auto-schedule")
pa, pb = alice.principal(), bob.principal()
check(pb.calendar_user_address_set()[0] == "mailto:" + os.environ["BOB"], "Bob's calendar address: %s" % pb.calendar_user_address_set())
check(str(pa.schedule_inbox().url).endswith("/inbox/") and str(pa.schedule_outbox().url).endswith("/outbox/"), "boxes")
print("ok: scheduling discovery")

agenda_a, agenda_b = pa.calendar(cal_id="agenda"), pb.calendar(cal_id="agenda")
before_b = {str(i.url) for i in pb.schedule_inbox().get_items()}
start = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)
uid = "collectif-%d@parvis.test" % int(start.timestamp())
ics = ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Parvis//scheduling//FR\nBEGIN:VEVENT\nUID:%s\nDTSTAMP:20261201T100000Z\n"
       "DTSTART:%s\nDTEND:%s\nSUMMARY:Collectif de décembre\nLOCATION:Maison des associations\nEND:VEVENT\nEND:VCALENDAR\n"
       % (uid, start.strftime("%Y%m%dT%H%M%SZ"), (start + timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")))
agenda_a.save_with_invites(ics, [pa, pb.get_vcal_address()])
new = [i for i in pb.schedule_inbox().get_items() if str(i.url) not in before_b]
check(len(new) == 1 and new[0].is_invite_request(), "Bob's inbox: %d new items" % len(new))
copy = agenda_b.event_by_uid(uid)
check("Collectif de décembre" in copy.data, "the meeting is in Bob's agenda")
check(not inbox_methods(pa), "the organizer's inbox stays empty: %s" % inbox_methods(pa))
print("ok: invitation delivered")

new[0].accept_invite(calendar=agenda_b)
org = agenda_a.event_by_uid(uid)
bob_line = [a for a in org.icalendar_instance.walk("VEVENT")[0].get("attendee", []) if a.lower() == "mailto:" + os.environ["BOB"]]
check(bob_line and bob_line[0].params.get("PARTSTAT") == "ACCEPTED", "Alice's copy: %s" % org.data)
replies = inbox_methods(pa).get("REPLY", [])
check(len(replies) == 1, "Alice's inbox: %s" % inbox_methods(pa))
check(len([e for e in agenda_b.events() if uid in e.data]) == 1, "Bob keeps one copy")
print("ok: answer reaches the organizer")

org.delete()
try:
    agenda_b.event_by_uid(uid)
    check(False, "Bob's copy survived the cancellation")
except error.NotFoundError:
    pass
check(len(inbox_methods(pb).get("CANCEL", [])) == 1, "Bob's inbox after the cancellation: %s" % inbox_methods(pb))
for item in replies:
    item.delete()
check(not inbox_methods(pa), "Alice emptied her inbox")
print("ok: cancellation")
