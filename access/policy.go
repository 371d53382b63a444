package access

import (
	"fmt"
	"strings"

	"parvis/storage/db"
)

// Action is something a person may ask to do to a group's data. Every surface (WebDAV, CalDAV,
// CardDAV, the pages, the JSON API, the zip) names the action it is about to perform and asks
// Grant.Allow; the table below is the only place that says which role may do what.
type Action string

// The actions on a group's data.
const (
	// The file tree. A path goes with these: a reader of a publication gets them under what is
	// published only (and sees the folders on the way to it).
	FilesSee     Action = "files.see"     // see an entry in a listing, by name
	FilesRead    Action = "files.read"    // read a file, list a folder, copy or zip it out
	FilesWrite   Action = "files.write"   // create, change, move, delete, lock, set properties
	FilesHistory Action = "files.history" // list and download a file's previous versions
	FilesRestore Action = "files.restore" // put back a previous version or a trashed item
	LocksBreak   Action = "locks.break"   // remove someone else's lock: one who left may hold it for an hour
	TrashRead    Action = "trash.read"    // list the group's trash
	TrashPurge   Action = "trash.purge"   // delete for good from the trash
	SharesRead   Action = "shares.read"   // list the group's share links
	SharesWrite  Action = "shares.write"  // make, change and revoke share links
	PubsRead     Action = "publications.read"
	Publish      Action = "publications.write" // open a folder to another group or to every member

	// Agendas and task lists (calendar collections), address books, and the public ICS link.
	CalendarRead    Action = "calendar.read"
	CalendarWrite   Action = "calendar.write" // objects, and the collections themselves
	CalendarPublish Action = "calendar.publish"
	ContactsRead    Action = "contacts.read"
	ContactsWrite   Action = "contacts.write"

	// The group's bookmarks (the links page).
	LinksRead  Action = "links.read"
	LinksWrite Action = "links.write"

	// Invitations to the group's events, sent when an event people write lists attendees.
	InvitationsSend Action = "invitations.send" // invite people one by one, up to MaxInvitees
	InvitationsMany Action = "invitations.many" // invite more at once: a whole group, the association

	// Date polls of the group's meetings.
	PollsRead   Action = "polls.read"   // the group's polls and everyone's answers
	PollsAnswer Action = "polls.answer" // answer a poll, from the page or a mailed link
	PollsWrite  Action = "polls.write"  // open a poll, close it on a date (which makes the event)

	// Minutes of the group's meetings.
	MinutesRead     Action = "minutes.read"     // the group's minutes, drafts included
	MinutesWrite    Action = "minutes.write"    // write a draft, submit it, start a correction
	MinutesValidate Action = "minutes.validate" // validate submitted minutes, decide how far they reach

	// The group's mailing lists. Who receives, posts to and reads one is the list's own rule
	// (ListRightsOf); these are the group's say over them.
	ListsRead     Action = "lists.read"     // see the group's lists: names, addresses, who they reach
	ListsModerate Action = "lists.moderate" // approve or reject the messages held for moderation
	ListsManage   Action = "lists.manage"   // create a list, change its rules, delete it

	// The group's people.
	PeopleRead     Action = "people.read"     // the list of members, roles and expiries
	RequestsDecide Action = "requests.decide" // validate or refuse a request to join
	PeopleInvite   Action = "people.invite"   // invite someone, guests included
	RolesGrant     Action = "roles.grant"     // change someone's role, remove someone
)

// MaxInvitees is how many people an event may invite by mail on InvitationsSend alone: a board
// meeting fits, the whole association does not.
const MaxInvitees = 30

// rank orders the roles of a group's own people.
var rank = map[db.Role]int{db.RoleGuest: 1, db.RoleMember: 2, db.RoleAnimator: 3}

// rule is what an action takes: the least role among the group's own people, and for the file tree
// what a reader of a publication may do under it.
type rule struct {
	least  db.Role
	reader readerRule
	admin  bool // administrators may do it in any group: they manage people, not content
}

// readerRule is what a publication's reader may do with an action: nothing (404, like anyone
// outside the group), or the action where the publication allows it.
type readerRule int

const (
	readerNone  readerRule = iota
	readerSee              // on a published folder, what it holds, and the folders on the way to it
	readerRead             // on a published folder and what it holds
	readerWrite            // refused with 403 where they read (they see the thing), 404 elsewhere
)

// policy is the authorization table. Why each line is what it is:
//   - Guests read everything of the group and change nothing: they come for a few sessions.
//   - Members do the group's work: files, agendas, tasks, contacts, share links, the trash.
//   - Animators decide who is in and what leaves the group: publications, the agenda's public ICS
//     link (anyone holding it reads the agenda, so it is a publication too), purging the trash.
//     They fix the dates of meetings and validate the minutes (the association's rules say so):
//     they open and close polls, which everyone of the group, guests included, answers; members
//     write and submit the minutes, animators validate them and decide how far they reach.
//     Members invite people to the group's events one by one; mailing more than MaxInvitees at
//     once (a whole group, every member) is the animators' to decide, as a mass mailing is.
//   - A group's lists are its animators' to create and moderate, as a mass mailing is; who
//     receives and posts is each list's rule, computed from standing (access/lists.go).
//   - Administrators see and manage any group's people (they activate members, hand a group over)
//     but decide nothing in its place and read none of its content without a role of their own,
//     which is granted, and so in the audit log.
//   - A reader of a publication reads the published folders and nothing else: not the group's
//     agenda, contacts, history, trash or people, which answer 404 as for anyone outside.
var policy = map[Action]rule{
	FilesSee:        {least: db.RoleGuest, reader: readerSee},
	FilesRead:       {least: db.RoleGuest, reader: readerRead},
	FilesWrite:      {least: db.RoleMember, reader: readerWrite},
	FilesHistory:    {least: db.RoleGuest},
	FilesRestore:    {least: db.RoleMember},
	LocksBreak:      {least: db.RoleAnimator},
	TrashRead:       {least: db.RoleMember},
	TrashPurge:      {least: db.RoleAnimator},
	SharesRead:      {least: db.RoleMember},
	SharesWrite:     {least: db.RoleMember},
	PubsRead:        {least: db.RoleGuest},
	Publish:         {least: db.RoleAnimator},
	CalendarRead:    {least: db.RoleGuest},
	CalendarWrite:   {least: db.RoleMember},
	CalendarPublish: {least: db.RoleAnimator},
	ContactsRead:    {least: db.RoleGuest},
	ContactsWrite:   {least: db.RoleMember},
	LinksRead:       {least: db.RoleGuest},
	LinksWrite:      {least: db.RoleMember},
	InvitationsSend: {least: db.RoleMember},
	InvitationsMany: {least: db.RoleAnimator},
	PollsRead:       {least: db.RoleGuest},
	PollsAnswer:     {least: db.RoleGuest},
	PollsWrite:      {least: db.RoleAnimator},
	MinutesRead:     {least: db.RoleGuest},
	MinutesWrite:    {least: db.RoleMember},
	MinutesValidate: {least: db.RoleAnimator},
	ListsRead:       {least: db.RoleGuest},
	ListsModerate:   {least: db.RoleAnimator},
	ListsManage:     {least: db.RoleAnimator},
	PeopleRead:      {least: db.RoleGuest, admin: true},
	RequestsDecide:  {least: db.RoleAnimator},
	PeopleInvite:    {least: db.RoleAnimator, admin: true},
	RolesGrant:      {least: db.RoleAnimator, admin: true},
}

// CollectionActions are the actions that reading and writing a group collection of this kind
// (db.KindCalendar: agendas and task lists, db.KindAddressBook) are.
func CollectionActions(kind string) (read, write Action) {
	if kind == db.KindAddressBook {
		return ContactsRead, ContactsWrite
	}
	return CalendarRead, CalendarWrite
}

// Actions lists every action of the table, for the tests that check each has its rows.
func Actions() []Action {
	out := make([]Action, 0, len(policy))
	for a := range policy {
		out = append(out, a)
	}
	return out
}

// Allow answers whether the grant lets its holder do a to the group's resource at path (a file
// path for the file actions, ignored otherwise): nil, ErrNoAccess when the person must not even
// learn that the resource exists (answered 404), or ErrForbidden when they see it but may not do
// this (403).
func (g Grant) Allow(a Action, path string) error {
	r, ok := policy[a]
	if !ok {
		panic(fmt.Sprintf("access: action %q is not in the policy", a))
	}
	if g.Role == RoleReader {
		return g.allowReader(r.reader, path)
	}
	have, ok := rank[g.Role]
	if !ok {
		return ErrNoAccess
	}
	if have < rank[r.least] {
		return ErrForbidden
	}
	return nil
}

// Allows is Allow as a yes or no, for filtering listings and showing buttons.
func (g Grant) Allows(a Action, path string) bool { return g.Allow(a, path) == nil }

func (g Grant) allowReader(r readerRule, p string) error {
	switch r {
	case readerSee:
		if g.covers(p) || g.onTheWay(p) {
			return nil
		}
	case readerRead:
		if g.covers(p) {
			return nil
		}
	case readerWrite:
		if g.covers(p) {
			return ErrForbidden
		}
	}
	return ErrNoAccess
}

// covers tells whether p is a published folder or lies under one.
func (g Grant) covers(p string) bool {
	for _, pub := range g.Only {
		if p == pub || strings.HasPrefix(p, pub+"/") || pub == "/" {
			return true
		}
	}
	return false
}

// onTheWay tells whether p is a folder on the way to a published one.
func (g Grant) onTheWay(p string) bool {
	for _, pub := range g.Only {
		if p == "/" || strings.HasPrefix(pub, p+"/") {
			return true
		}
	}
	return false
}

// Roots are the folders of the group the grant reads from: the whole tree for the group's own
// people, the published folders for a reader of its publications.
func (g Grant) Roots() []string {
	if g.Role == RoleReader {
		return g.Only
	}
	return []string{"/"}
}

// member tells whether the grant comes from belonging to the group (not from reading what it
// publishes): only those are cached, as the answer of a membership.
func (g Grant) member() bool {
	_, ok := rank[g.Role]
	return ok
}

// Administers tells whether p may use the administration (activations, dues, accounts, groups,
// storage, the audit log): the instance-level question, next to Allow's group-level one. It gives
// no access to any group's content.
func Administers(p db.Person) bool { return p.IsAdmin && !p.Suspended }
