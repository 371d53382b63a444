package ui

func init() {
	addMessages(map[string]map[string]string{})
}
