package replica

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// A restore marks its data directory until it completes: a server started on a half-restored
// directory would serve files whose contents are missing and ship that state to the partner.

// unfinishedFile is the marker's name in the data directory.
const unfinishedFile = "restore-unfinished"

// markUnfinished writes the marker, saying when the restore started.
func markUnfinished(dataDir string, started time.Time) error {
	text := fmt.Sprintf("A restore from the partner started here on %s and has not completed.\n"+
		"Run `parvis restore --from-partner --identity FILE --resume` to complete it.\n", started.Format(time.DateTime))
	return os.WriteFile(filepath.Join(dataDir, unfinishedFile), []byte(text), 0o640)
}

// markDone removes the marker once every content is restored.
func markDone(dataDir string) error {
	err := os.Remove(filepath.Join(dataDir, unfinishedFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// CheckRestored refuses a data directory whose restore has not completed, saying how to complete
// it. The server checks it before it starts; the marker can be removed by hand to serve anyway
// (contents lost on the partner too cannot be restored by resuming).
func CheckRestored(dataDir string) error {
	marker := filepath.Join(dataDir, unfinishedFile)
	if _, err := os.Stat(marker); errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	return fmt.Errorf("a restore from the partner into %s has not completed (%s): the server does not start on a "+
		"half-restored directory. Resume it with `parvis restore --from-partner --identity FILE --resume`; if the "+
		"partner lost contents for good, delete %s to serve what there is", dataDir, marker, marker)
}
