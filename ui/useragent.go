package ui

import "strings"

// agentSummary names a browser and its system in a few words ("Firefox · Linux") from a
// User-Agent header, so that a person recognises their devices in the sessions list; the full
// header is shown beside it. Order matters: Edge and Chrome also claim Safari, Chrome on iOS
// claims Safari, and Android claims Linux.
func agentSummary(ua string) string {
	browser := firstMatch(ua, [][2]string{{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"}, {"Edg/", "Edge"}, {"OPR/", "Opera"},
		{"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}})
	system := firstMatch(ua, [][2]string{{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"}})
	switch {
	case browser != "" && system != "":
		return browser + " · " + system
	case browser != "":
		return browser
	}
	return system
}

// firstMatch returns the name of the first pattern found in s, or "".
func firstMatch(s string, patterns [][2]string) string {
	for _, p := range patterns {
		if strings.Contains(s, p[0]) {
			return p[1]
		}
	}
	return ""
}
