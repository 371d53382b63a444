// Package caldav drives real CalDAV/CardDAV clients from Debian packages against a real `parvis
// serve`: python3-caldav (discovery from the bare server URL, calendars, task lists, recurring and
// all-day events, time-range search, sync, conditional writes, isolation between groups). A client
// missing is a failure, never a skip: scripts/test-deps.sh installs them.
package caldav
