// Package stream gives tests large contents without holding them: the constant-memory tests of the
// server and of the S3 store send gigabytes through a reader that computes its bytes.
package stream

import "io"

// Pattern returns a reader of n bytes of a repeating pattern; the same n gives the same bytes, so a
// second reader is the expected content to compare a download with.
func Pattern(n int64) io.Reader { return &pattern{left: n} }

type pattern struct{ left int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.left))
	for i := range n {
		b[i] = byte(i * 31)
	}
	p.left -= int64(n)
	return n, nil
}
