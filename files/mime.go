package files

import (
	"mime"
	"net/url"
	"strings"
)

// officeTypes are the content types of the files associations share most. Go knows only a few types
// by itself and otherwise reads the host's /etc/mime.types, so without this table the same file could
// be served as a document on one machine and as bytes on another.
var officeTypes = map[string]string{
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odp":  "application/vnd.oasis.opendocument.presentation",
	".odg":  "application/vnd.oasis.opendocument.graphics",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".doc":  "application/msword",
	".xls":  "application/vnd.ms-excel",
	".ppt":  "application/vnd.ms-powerpoint",
	".txt":  "text/plain; charset=utf-8",
	".md":   "text/markdown; charset=utf-8",
	".csv":  "text/csv; charset=utf-8",
	".ics":  "text/calendar; charset=utf-8",
	".vcf":  "text/vcard; charset=utf-8",
	".zip":  "application/zip",
	".mp3":  "audio/mpeg",
	".ogg":  "audio/ogg",
	".mp4":  "video/mp4",
	".webm": "video/webm",
	".epub": "application/epub+zip",
}

func init() {
	for ext, typ := range officeTypes {
		mime.AddExtensionType(ext, typ)
	}
}

// Attachment is the Content-Disposition that offers a download under a file's name (RFC 6266,
// accents kept in filename*, an ASCII stand-in in filename for old clients).
func Attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return `attachment; filename="` + ascii + `"; filename*=UTF-8''` + url.PathEscape(name)
}
