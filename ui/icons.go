package ui

import (
	"html/template"
	"path"
	"strings"

	"parvis/calendar"
)

// iconKinds maps file extensions to the icon that says what a file is at a glance: people look
// for "the spreadsheet" or "the photos" before they read names.
var iconKinds = map[string]string{
	".odt": "file-text", ".doc": "file-text", ".docx": "file-text", ".txt": "file-text", ".md": "file-text", ".pdf": "file-text", ".rtf": "file-text",
	".ods": "file-spreadsheet", ".xls": "file-spreadsheet", ".xlsx": "file-spreadsheet", ".csv": "file-spreadsheet",
	".odp": "presentation", ".ppt": "presentation", ".pptx": "presentation",
	".jpg": "file-image", ".jpeg": "file-image", ".png": "file-image", ".gif": "file-image", ".webp": "file-image", ".svg": "file-image", ".heic": "file-image",
	".zip": "file-archive", ".tar": "file-archive", ".gz": "file-archive", ".7z": "file-archive", ".rar": "file-archive",
	".mp3": "file-music", ".ogg": "file-music", ".opus": "file-music", ".flac": "file-music", ".wav": "file-music", ".m4a": "file-music",
	".mp4": "file-play", ".webm": "file-play", ".mkv": "file-play", ".mov": "file-play", ".avi": "file-play",
}

// fileIcon is the icon of a listing's entry.
func fileIcon(name string, isDir bool) template.HTML {
	if isDir {
		return icon("folder")
	}
	if k, ok := iconKinds[strings.ToLower(path.Ext(name))]; ok {
		return icon(k)
	}
	return icon("file")
}

// eventIcon is the icon of an agenda's kind of meeting: a collectif gathers people, an AG is the
// association's institution.
func eventIcon(kind string) template.HTML {
	switch kind {
	case calendar.KindCollectif:
		return icon("users")
	case calendar.KindAG:
		return icon("landmark")
	}
	return icon("calendar")
}

// icon draws one of the vendored Lucide icons (ui/static/vendor/lucide, rebuilt by scripts/icons.sh).
// It is decoration: hidden from screen readers, the text beside it says the same.
func icon(name string) template.HTML {
	return template.HTML(`<svg class="icon" aria-hidden="true" focusable="false"><use href="/static/vendor/lucide/icons.svg#` +
		template.HTMLEscapeString(name) + `"></use></svg>`)
}
