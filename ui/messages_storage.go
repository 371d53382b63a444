package ui

func init() {
	addMessages(map[string]map[string]string{
		"storage.title":          {"fr": "Stockage et copie de secours", "en": "Storage and backup copy"},
		"storage.primary":        {"fr": "Stockage principal", "en": "Primary store"},
		"storage.kind.fs":        {"fr": "disque local", "en": "local disk"},
		"storage.kind.s3":        {"fr": "S3", "en": "S3"},
		"storage.up":             {"fr": "répond", "en": "up"},
		"storage.down":           {"fr": "ne répond pas depuis", "en": "down since"},
		"storage.spool":          {"fr": "En attente sur le disque local", "en": "Waiting on local disk"},
		"storage.spool.of":       {"fr": "sur", "en": "of"},
		"storage.partner":        {"fr": "Copie chez l'association partenaire", "en": "Copy at the partner association"},
		"storage.partner.none":   {"fr": "Aucune association partenaire n'est configurée (replication.endpoint) : une panne du serveur peut tout perdre.", "en": "No partner association is configured (replication.endpoint): losing this server can lose everything."},
		"storage.partner.ok":     {"fr": "joignable", "en": "reachable"},
		"storage.partner.down":   {"fr": "injoignable", "en": "unreachable"},
		"storage.backlog":        {"fr": "Fichiers pas encore copiés", "en": "Files not yet copied"},
		"storage.backlog.oldest": {"fr": "le plus ancien attend depuis", "en": "the oldest has waited since"},
		"storage.deletions":      {"fr": "Suppressions prévues chez le partenaire", "en": "Removals scheduled at the partner"},
		"storage.copied":         {"fr": "Copiés depuis le démarrage", "en": "Copied since start"},
		"storage.db":             {"fr": "Dernière copie de la base", "en": "Last database copy"},
		"storage.db.never":       {"fr": "aucune depuis le démarrage", "en": "none since start"},
		"storage.db.took":        {"fr": "durée", "en": "took"},
		"storage.error":          {"fr": "Dernière erreur", "en": "Last error"},
		"storage.copies":         {"fr": "Copies de la base chez le partenaire", "en": "Database copies at the partner"},
		"storage.copies.error":   {"fr": "La liste des copies n'a pas pu être lue.", "en": "The list of copies could not be read."},
		"storage.copies.none":    {"fr": "Aucune copie pour l'instant.", "en": "No copy yet."},
		"storage.copies.when":    {"fr": "Prise le", "en": "Taken"},
		"storage.copies.size":    {"fr": "Taille", "en": "Size"},
	})
}
