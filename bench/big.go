package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"
)

// bigTimeout bounds each single-file transfer (1 GiB at ≥ 9 MB/s).
const bigTimeout = 2 * time.Minute

// runBig PUTs then GETs one BigSize file streamed from a generator (the
// client never holds it in memory), then records the server's peak RSS. The
// script runs this phase on a freshly started server, so the peak is that
// of the two transfers (plus start-up).
func (b *bench) runBig(ctx context.Context) {
	size := b.cfg.BigSize
	const rel = "big/one.bin"
	gen := newPattern(b.payload)

	err := func() error {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return b.c.mkcol(ctx, "big/")
	}()
	if err != nil {
		b.fail(fmt.Errorf("setup: %w", err), "bigput_mbs", "bigget_mbs")
	} else {
		b.bigPut(ctx, rel, size, gen)
		b.bigGet(ctx, rel, size, gen)
	}
	b.rss("big_rss_mib")
}

func (b *bench) bigPut(ctx context.Context, rel string, size int64, gen pattern) {
	ctx, cancel := context.WithTimeout(ctx, bigTimeout)
	defer cancel()
	start := time.Now()
	r, err := b.c.send(ctx, "PUT", rel, gen.reader(size), size, 0, "Content-Type", "application/octet-stream")
	if err == nil {
		err = r.check("PUT", rel)
	}
	if err != nil {
		b.fail(err, "bigput_mbs")
		return
	}
	d := time.Since(start)
	b.set("bigput_mbs", float64(size)/1e6/d.Seconds(), fmt.Sprintf("%.2f s", d.Seconds()))
}

func (b *bench) bigGet(ctx context.Context, rel string, size int64, gen pattern) {
	ctx, cancel := context.WithTimeout(ctx, bigTimeout)
	defer cancel()
	start := time.Now()
	n, err := func() (int64, error) {
		resp, err := b.c.request(ctx, "GET", rel, nil, 0)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("GET %s: HTTP %d", rel, resp.StatusCode)
		}
		return gen.verify(resp.Body)
	}()
	if err == nil && n != size {
		err = fmt.Errorf("GET %s: got %d bytes, want %d", rel, n, size)
	}
	if err != nil {
		b.fail(err, "bigget_mbs")
		return
	}
	d := time.Since(start)
	b.set("bigget_mbs", float64(size)/1e6/d.Seconds(), fmt.Sprintf("%.2f s", d.Seconds()))
}

// pattern is an endless repetition of a buffer: the content of the big file.
type pattern struct{ buf []byte }

func newPattern(buf []byte) pattern { return pattern{buf: buf} }

// reader returns a reader of the first n bytes of the pattern.
func (p pattern) reader(n int64) io.Reader { return &patternReader{p: p, left: n} }

type patternReader struct {
	p    pattern
	pos  int64
	left int64
}

func (r *patternReader) Read(dst []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	dst = dst[:min(int64(len(dst)), r.left)]
	n := 0
	for n < len(dst) {
		off := int((r.pos + int64(n)) % int64(len(r.p.buf)))
		n += copy(dst[n:], r.p.buf[off:])
	}
	r.pos += int64(n)
	r.left -= int64(n)
	return n, nil
}

// verify reads src to its end, checks it against the pattern and returns
// how many bytes it held.
func (p pattern) verify(src io.Reader) (int64, error) {
	buf := make([]byte, 256<<10)
	var pos int64
	for {
		n, err := src.Read(buf)
		for i := 0; i < n; {
			off := int((pos + int64(i)) % int64(len(p.buf)))
			k := min(n-i, len(p.buf)-off)
			if !bytes.Equal(buf[i:i+k], p.buf[off:off+k]) {
				return pos, fmt.Errorf("content differs from what was PUT near byte %d", pos+int64(i))
			}
			i += k
		}
		pos += int64(n)
		if err == io.EOF {
			return pos, nil
		}
		if err != nil {
			return pos, err
		}
	}
}
