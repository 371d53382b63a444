package ui

// The texts of a group's pages: files (beyond the listing's basics), trash, versions, share links,
// links, people, and the list of groups.
func init() {
	addMessages(map[string]map[string]string{
		"files.zip":            {"fr": "Télécharger ce dossier (zip)", "en": "Download this folder (zip)"},
		"files.trash":          {"fr": "Corbeille", "en": "Trash"},
		"files.sort.name":      {"fr": "Nom", "en": "Name"},
		"files.sort.size":      {"fr": "Taille", "en": "Size"},
		"files.sort.date":      {"fr": "Modifié", "en": "Modified"},
		"files.actions":        {"fr": "Actions", "en": "Actions"},
		"files.details":        {"fr": "Détails", "en": "Details"},
		"links.title":          {"fr": "Liens du groupe", "en": "The group's links"},
		"links.none":           {"fr": "Aucun lien pour l'instant.", "en": "No links yet."},
		"links.add":            {"fr": "Ajouter un lien", "en": "Add a link"},
		"links.edit":           {"fr": "Modifier", "en": "Edit"},
		"links.save":           {"fr": "Enregistrer", "en": "Save"},
		"links.back":           {"fr": "Retour aux liens", "en": "Back to the links"},
		"links.delete":         {"fr": "Supprimer", "en": "Delete"},
		"links.delete.confirm": {"fr": "Supprimer le lien :", "en": "Delete the link:"},
		"links.url":            {"fr": "Adresse (https://…)", "en": "Address (https://…)"},
		"links.linktitle":      {"fr": "Titre (facultatif)", "en": "Title (optional)"},
		"links.note":           {"fr": "Note (facultative)", "en": "Note (optional)"},
		"links.url.invalid":    {"fr": "Seules les adresses web commençant par http:// ou https:// sont acceptées.", "en": "Only web addresses starting with http:// or https:// are accepted."},
		"links.too.long":       {"fr": "Trop long : titre 200 caractères, adresse 2048, note 2000 au plus.", "en": "Too long: at most 200 characters for the title, 2048 for the address, 2000 for the note."},
	})
}
