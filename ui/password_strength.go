package ui

import (
	"errors"

	"parvis/access"
)

// weakPasswordKey picks the message for a refused password: too short, too common, or the old one
// again after a forced renewal.
func weakPasswordKey(err error) string {
	if errors.Is(err, access.ErrReusedPassword) {
		return "field.password.reused"
	}
	if errors.Is(err, access.ErrCommonPassword) {
		return "field.password.common"
	}
	return "field.password.weak"
}
