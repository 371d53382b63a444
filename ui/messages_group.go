package ui

// The texts of a group's pages: files (beyond the listing's basics), trash, versions, share links,
// links, people, and the list of groups.
func init() {
	addMessages(map[string]map[string]string{
		"files.zip":       {"fr": "Télécharger ce dossier (zip)", "en": "Download this folder (zip)"},
		"files.trash":     {"fr": "Corbeille", "en": "Trash"},
		"files.sort.name": {"fr": "Nom", "en": "Name"},
		"files.sort.size": {"fr": "Taille", "en": "Size"},
		"files.sort.date": {"fr": "Modifié", "en": "Modified"},
		"files.actions":   {"fr": "Actions", "en": "Actions"},
		"files.details":   {"fr": "Détails", "en": "Details"},
	})
}
