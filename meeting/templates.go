package meeting

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"parvis/access"
	"parvis/locale"
	"parvis/storage/db"
)

// The association's own templates of minutes are Markdown files of a folder named "Modèles" (or
// "Templates"): in a group's tree, or published to the writer's groups, as a secretariat publishes
// its templates to every member. Their placeholders are filled from the meeting: {{titre}} or
// {{title}}, {{date}}, {{présents}} or {{present}}, {{excusés}} or {{excused}}.

// templateFolders are the names of the folders whose Markdown files are templates (compared
// without case).
var templateFolders = []string{"modèles", "modeles", "templates"}

// maxTemplate is the largest template file read: a template is a page, not a document.
const maxTemplate = 64 << 10

// errTemplate refuses a template that is not one (not a Markdown file of a templates folder the
// writer reads, or too large).
var errTemplate = fmt.Errorf("%w: that file is not a template of minutes one may read", access.ErrInvalid)

// TemplateFile is a template file the writer reads: Key names it in a form.
type TemplateFile struct {
	Group db.Group
	Path  string
}

// Key is "slug:path", what the minutes form sends back.
func (t TemplateFile) Key() string { return t.Group.Slug + ":" + t.Path }

// isTemplatePath tells whether p is a Markdown file directly in a templates folder.
func isTemplatePath(p string) bool {
	dir := strings.ToLower(path.Base(path.Dir(p)))
	for _, f := range templateFolders {
		if dir == f {
			return strings.HasSuffix(strings.ToLower(p), ".md")
		}
	}
	return false
}

// TemplateFiles lists the template files p may start minutes from, in the groups p reads: at the
// root of their trees, and in or below the folders published to p.
func (s *Service) TemplateFiles(ctx context.Context, p db.Person, g access.Grant) ([]TemplateFile, error) {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return nil, err
	}
	grants, err := s.access.Groups(ctx, p)
	if err != nil {
		return nil, err
	}
	r := s.db.R(ctx)
	var out []TemplateFile
	for _, gr := range grants {
		for _, root := range gr.Roots() {
			dirs := []string{root}
			err := r.Children(gr.Group.ID, root, func(n db.Node) error {
				if n.IsDir {
					dirs = append(dirs, n.Path)
				}
				return nil
			})
			if err != nil && !errors.Is(err, db.ErrNotFound) {
				return nil, err
			}
			for _, dir := range dirs {
				err := r.Children(gr.Group.ID, dir, func(n db.Node) error {
					if !n.IsDir && isTemplatePath(n.Path) && gr.Allows(access.FilesRead, n.Path) {
						out = append(out, TemplateFile{Group: gr.Group, Path: n.Path})
					}
					return nil
				})
				if err != nil && !errors.Is(err, db.ErrNotFound) {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// TemplateFromFile starts minutes from the template file of key ("slug:path"), filled from the
// meeting it is of, in lang: refused unless p reads it and it is a template.
func (s *Service) TemplateFromFile(ctx context.Context, p db.Person, g access.Grant, key string, of Of, lang string) (Draft, error) {
	if err := g.Allow(access.MinutesWrite, ""); err != nil {
		return Draft{}, err
	}
	slug, file, ok := strings.Cut(key, ":")
	if !ok || !isTemplatePath(file) {
		return Draft{}, &access.FieldError{Field: "template", Err: errTemplate}
	}
	from, err := s.access.GroupAccess(ctx, p, slug)
	if err == nil {
		err = from.Allow(access.FilesRead, file)
	}
	if err != nil {
		return Draft{}, &access.FieldError{Field: "template", Err: errTemplate}
	}
	n, rd, err := s.files.StatOpen(ctx, from.Group.ID, file)
	if err != nil || rd == nil || n.Size > maxTemplate {
		if rd != nil {
			rd.Close()
		}
		return Draft{}, &access.FieldError{Field: "template", Err: errTemplate}
	}
	defer rd.Close()
	text, err := io.ReadAll(io.LimitReader(rd, maxTemplate))
	if err != nil {
		return Draft{}, err
	}
	f, err := s.meetingFacts(s.db.R(ctx), g.Group, of)
	if err != nil {
		return Draft{}, err
	}
	present, excused, day := f.presentIn(lang), strings.Join(f.excused, ", "), locale.Day(lang, f.heldOn)
	body := strings.NewReplacer("{{titre}}", f.title, "{{title}}", f.title, "{{date}}", day, "{{présents}}", present,
		"{{present}}", present, "{{excusés}}", excused, "{{excused}}", excused).Replace(string(text))
	return Draft{Title: f.title, HeldOn: f.heldOn, Body: body}, nil
}
