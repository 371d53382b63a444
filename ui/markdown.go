package ui

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Minutes are written in Markdown and shown as HTML. goldmark (CommonMark, with GitHub's tables,
// task lists and strikethrough) renders them safely by default: raw HTML in the text is dropped and
// links to javascript:, vbscript:, file: or data: addresses are not made, so a text written by one
// member cannot run a script in another's page.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// markdownHTML renders a Markdown text for a page.
func markdownHTML(src string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(b.String()) // goldmark's safe mode: no raw HTML, no dangerous links
}
