// Package caldav drives real CalDAV/CardDAV clients from Debian packages against a real `parvis
// serve`: python3-caldav (discovery from the bare server URL, calendars, task lists, recurring and
// all-day events, time-range search, sync, conditional writes, meetings stored byte for byte,
// isolation between groups), vdirsyncer (two-way sync of an agenda, a task list and an address book
// with conflicts and deletions on both sides) and khal (listing what vdirsyncer synced), and the
// public subscription link of a calendar read without credentials. A client missing is a failure,
// never a skip: scripts/test-deps.sh installs them.
package caldav
