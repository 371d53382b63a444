package files

import (
	"context"
	"fmt"
)

// Contents is what CheckContents found referenced: every content key a file or version uses, and
// those of them kept in the database rather than the blob store.
type Contents struct {
	Referenced, Inline map[string]bool
}

// CheckContents verifies that every referenced content exists with its size (in the blob store, or
// inline in the database) and counts the stored contents nothing references (a warning: garbage
// collection removes them after its grace period). report receives each finding: a problem (the
// instance is damaged) or a warning.
func (s *Service) CheckContents(ctx context.Context, report func(problem bool, text string)) (Contents, error) {
	inline := map[string]int64{}
	c := Contents{Referenced: map[string]bool{}, Inline: map[string]bool{}}
	r := s.db.R(ctx)
	if err := r.InlineBlobSizes(func(key string, size int64) error { inline[key], c.Inline[key] = size, true; return nil }); err != nil {
		return c, err
	}
	err := r.Blobs(func(key string, size int64) error {
		c.Referenced[key] = true
		got, ok := inline[key]
		var err error
		if !ok {
			got, err = s.blobs.Stat(ctx, key)
		}
		if err != nil {
			report(true, fmt.Sprintf("content %s is missing from the blob store (%v)", key, err))
		} else if got != size {
			report(true, fmt.Sprintf("content %s has %d bytes, %d expected", key, got, size))
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	orphans, orphanBytes := 0, int64(0)
	err = s.blobs.Walk(ctx, func(key string, size int64) error {
		if !c.Referenced[key] {
			orphans, orphanBytes = orphans+1, orphanBytes+size
		}
		return nil
	})
	if err != nil {
		return c, err
	}
	for key, size := range inline {
		if !c.Referenced[key] {
			orphans, orphanBytes = orphans+1, orphanBytes+size
		}
	}
	if orphans > 0 {
		report(false, fmt.Sprintf("%d stored contents (%d bytes) are referenced by no file", orphans, orphanBytes))
	}
	return c, nil
}
