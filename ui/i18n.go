package ui

import (
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
)

// languages are the supported ones, French first: it is the default.
var languages = []language.Tag{language.French, language.English}

var matcher = language.NewMatcher(languages)

// pageLanguage picks the page language: the cookie set by the language switch, else the browser's
// preference, else French.
func pageLanguage(c *fiber.Ctx) string {
	if l := c.Cookies("lang"); l == "fr" || l == "en" {
		return l
	}
	tags, _, _ := language.ParseAcceptLanguage(c.Get("Accept-Language"))
	tag, _, _ := matcher.Match(tags...)
	base, _ := tag.Base()
	if base.String() == "en" {
		return "en"
	}
	return "fr"
}

// translate returns the message for key in lang; a missing key shows itself, and a test checks
// that none is missing.
func translate(lang, key string) string {
	if m, ok := messages[key]; ok {
		if s := m[lang]; s != "" {
			return s
		}
		return m["fr"]
	}
	return key
}

// addMessages adds one area's texts (each area of the interface keeps its own in messages_*.go).
// A key defined twice is a programming error, caught at start.
func addMessages(m map[string]map[string]string) {
	for k, v := range m {
		if _, dup := messages[k]; dup {
			panic("ui: message " + k + " defined twice")
		}
		messages[k] = v
	}
}

// messages are the interface texts, by key then language: the common ones here, the others added by
// each area's messages_*.go.
var messages = map[string]map[string]string{
	"colon":                {"fr": " :", "en": ":"}, // French puts a space before a colon, English none
	"app.tagline":          {"fr": "L'espace partagé de l'association", "en": "The association's shared space"},
	"nav.logout":           {"fr": "Se déconnecter", "en": "Sign out"},
	"nav.account":          {"fr": "Mon compte", "en": "My account"},
	"nav.admin":            {"fr": "Administration", "en": "Administration"},
	"tab.files":            {"fr": "Fichiers", "en": "Files"},
	"tab.agenda":           {"fr": "Agenda", "en": "Agenda"},
	"tab.tasks":            {"fr": "Tâches", "en": "Tasks"},
	"tab.contacts":         {"fr": "Contacts", "en": "Contacts"},
	"tab.links":            {"fr": "Liens", "en": "Links"},
	"tab.people":           {"fr": "Personnes", "en": "People"},
	"nav.lang":             {"fr": "English", "en": "Français"},
	"login.title":          {"fr": "Connexion", "en": "Sign in"},
	"login.email":          {"fr": "Adresse e-mail", "en": "E-mail address"},
	"login.password":       {"fr": "Mot de passe", "en": "Password"},
	"login.submit":         {"fr": "Se connecter", "en": "Sign in"},
	"login.bad":            {"fr": "E-mail ou mot de passe incorrect.", "en": "Wrong e-mail or password."},
	"login.throttled":      {"fr": "Trop d'essais. Réessayez dans 15 minutes.", "en": "Too many attempts. Try again in 15 minutes."},
	"login.forgot":         {"fr": "Mot de passe oublié ?", "en": "Forgot your password?"},
	"password.title":       {"fr": "Choisir votre mot de passe", "en": "Choose your password"},
	"password.intro":       {"fr": "Au moins 10 caractères. Votre identifiant :", "en": "At least 10 characters. Your identifier:"},
	"password.submit":      {"fr": "Enregistrer et entrer", "en": "Save and enter"},
	"password.invalid":     {"fr": "Ce lien n'est plus valable : il a déjà servi ou a expiré. Demandez-en un nouveau.", "en": "This link is no longer valid: it was used or has expired. Ask for a new one."},
	"forgot.title":         {"fr": "Mot de passe oublié", "en": "Forgotten password"},
	"forgot.submit":        {"fr": "Recevoir un lien", "en": "Send me a link"},
	"forgot.sent":          {"fr": "Si cette adresse a un compte, un lien vient de lui être envoyé.", "en": "If this address has an account, a link was just sent to it."},
	"signup.title":         {"fr": "Créer un compte", "en": "Create an account"},
	"signup.intro":         {"fr": "Votre adresse e-mail sera votre identifiant. Vous recevrez un lien pour choisir votre mot de passe, puis vous pourrez demander à rejoindre des groupes.", "en": "Your e-mail address will be your identifier. You will receive a link to choose your password; then you can ask to join groups."},
	"signup.submit":        {"fr": "Créer le compte", "en": "Create the account"},
	"signup.sent":          {"fr": "Un lien pour choisir votre mot de passe vient d'être envoyé à votre adresse.", "en": "A link to choose your password was just sent to your address."},
	"signup.exists":        {"fr": "Un compte existe déjà avec cette adresse : une adresse e-mail correspond à un seul compte. Si c'est le vôtre, utilisez « Mot de passe oublié ».", "en": "An account exists with this address already: one e-mail address is one account. If it is yours, use \"Forgot your password?\"."},
	"login.signup":         {"fr": "Créer un compte", "en": "Create an account"},
	"outbox.title":         {"fr": "Courriers envoyés et en attente", "en": "Sent and waiting mail"},
	"files.title":          {"fr": "Fichiers", "en": "Files"},
	"files.where":          {"fr": "Vous êtes ici", "en": "You are here"},
	"files.name":           {"fr": "Nom", "en": "Name"},
	"files.size":           {"fr": "Taille", "en": "Size"},
	"files.modified":       {"fr": "Modifié", "en": "Modified"},
	"files.empty":          {"fr": "Ce dossier est vide.", "en": "This folder is empty."},
	"files.drop":           {"fr": "Déposez ici des fichiers ou des dossiers, ou choisissez-les :", "en": "Drop files or folders here, or choose them:"},
	"files.pick":           {"fr": "Fichiers", "en": "Files"},
	"files.pickfolder":     {"fr": "Un dossier entier", "en": "A whole folder"},
	"files.newfolder":      {"fr": "Nouveau dossier", "en": "New folder"},
	"files.newfolder.name": {"fr": "Nom du nouveau dossier :", "en": "Name of the new folder:"},
	"files.delete":         {"fr": "Mettre à la corbeille", "en": "Move to trash"},
	"files.delete.confirm": {"fr": "Mettre à la corbeille (restaurable) :", "en": "Move to the trash (restorable):"},
	"files.upload.done":    {"fr": "envoyé", "en": "sent"},
	"files.upload.failed":  {"fr": "échec", "en": "failed"},
	"files.upload.cancel":  {"fr": "Annuler", "en": "Cancel"},
	"outbox.intro":         {"fr": "Sans serveur de courrier configuré, les messages restent ici : copiez le lien et transmettez-le à la personne.", "en": "Without a mail server configured, messages stay here: copy the link and pass it on."},
	"outbox.sent":          {"fr": "envoyé à", "en": "sent at"},
	"outbox.failed":        {"fr": "échec, nouvel essai prévu", "en": "failed, will retry"},
	"outbox.waiting":       {"fr": "en attente", "en": "waiting"},
	"outbox.empty":         {"fr": "Aucun courrier.", "en": "No mail."},
	"home.title":           {"fr": "Mes groupes", "en": "My groups"},
	"home.none":            {"fr": "Vous ne faites encore partie d'aucun groupe.", "en": "You are not in any group yet."},
	"home.folder":          {"fr": "Dossier partagé (WebDAV)", "en": "Shared folder (WebDAV)"},
	"home.connect":         {"fr": "Pour monter tous vos dossiers, utilisez cette adresse avec votre e-mail et votre mot de passe :", "en": "To mount all your folders, use this address with your e-mail and password:"},
	"role.animator":        {"fr": "animateur·ice", "en": "animator"},
	"role.member":          {"fr": "membre", "en": "member"},
	"role.guest":           {"fr": "invité·e", "en": "guest"},
	"role.reader":          {"fr": "lecture des dossiers publiés", "en": "reads the published folders"},
	"usage.of":             {"fr": "utilisés sur", "en": "used of"},
	"usage.used":           {"fr": "utilisés", "en": "used"},
	"usage.kept":           {"fr": "corbeille et versions, hors quota :", "en": "trash and versions, not counted:"},
	"setup.title":          {"fr": "Créer le premier compte administrateur", "en": "Create the first administrator account"},
	"setup.intro":          {"fr": "Ce lien ne sert qu'une fois. Choisissez un mot de passe d'au moins 10 caractères.", "en": "This link works once. Choose a password of at least 10 characters."},
	"setup.name":           {"fr": "Nom", "en": "Name"},
	"setup.submit":         {"fr": "Créer le compte", "en": "Create the account"},
	"setup.invalid":        {"fr": "Ce lien n'est plus valable : il a déjà servi ou a expiré. Redémarrez le serveur pour en obtenir un nouveau.", "en": "This link is no longer valid: it was used or has expired. Restart the server to get a new one."},
	"field.email.invalid":  {"fr": "Ce n'est pas une adresse e-mail valide.", "en": "This is not a valid e-mail address."},
	"field.password.weak":  {"fr": "Mot de passe trop court : au moins 10 caractères.", "en": "Password too short: at least 10 characters."},
	"field.email.taken":    {"fr": "Un compte existe déjà avec cette adresse.", "en": "An account with this address exists already."},
	"error.notfound":       {"fr": "Page introuvable", "en": "Page not found"},
	"error.forbidden":      {"fr": "Accès refusé", "en": "Access denied"},
	"error.internal":       {"fr": "Une erreur est survenue. Réessayez plus tard.", "en": "Something went wrong. Please try again later."},
	"error.back":           {"fr": "Retour à l'accueil", "en": "Back to the home page"},
	// Two-step sign-in and password strength.
	"code.title":            {"fr": "Code de vérification", "en": "Verification code"},
	"code.intro":            {"fr": "La validation en deux étapes est activée : saisissez le code à 6 chiffres affiché par votre application d'authentification.", "en": "Two-step verification is on: type the 6-digit code shown by your authenticator app."},
	"code.label":            {"fr": "Code", "en": "Code"},
	"code.bad":              {"fr": "Code incorrect ou déjà utilisé.", "en": "Wrong or already used code."},
	"code.recovery":         {"fr": "Téléphone perdu ? Saisissez l'un de vos codes de secours à la place.", "en": "Lost your phone? Type one of your recovery codes instead."},
	"field.password.common": {"fr": "Ce mot de passe fait partie des plus courants : il serait deviné en quelques essais. Choisissez-en un autre, par exemple quelques mots sans rapport entre eux.", "en": "This password is among the most common ones: it would be guessed in a few tries. Choose another, for instance a few unrelated words."},
}
