package ui

import (
	"errors"

	"parvis/access"
)

// weakPasswordKey picks the message for a refused password: too short, or too common.
func weakPasswordKey(err error) string {
	if errors.Is(err, access.ErrCommonPassword) {
		return "field.password.common"
	}
	return "field.password.weak"
}
