package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestPatternRoundTrip(t *testing.T) {
	p := newPattern([]byte("0123456789"))
	data, err := io.ReadAll(p.reader(25))
	if err != nil || string(data) != "0123456789012345678901234" {
		t.Fatalf("reader = %q, %v", data, err)
	}
	if n, err := p.verify(bytes.NewReader(data)); n != 25 || err != nil {
		t.Fatalf("verify = %d, %v", n, err)
	}
	data[13] = 'x'
	if _, err := p.verify(bytes.NewReader(data)); err == nil {
		t.Fatal("verify accepted corrupted content")
	}
}

func TestCountResponses(t *testing.T) {
	body := `<?xml version="1.0"?><a:multistatus xmlns:a="DAV:"><a:response/><a:response/>` +
		`<x:response xmlns:x="urn:other"/></a:multistatus>`
	if n, err := countResponses([]byte(body)); n != 2 || err != nil {
		t.Fatalf("countResponses = %d, %v", n, err)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	if p := percentile(d, 99); p != 99 {
		t.Errorf("p99 = %d, want 99", p)
	}
	if p := percentile(d, 50); p != 50 {
		t.Errorf("p50 = %d, want 50", p)
	}
}

func TestParallelStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	_, _, err := parallel(context.Background(), 1000, 4, func(ctx context.Context, i int) error {
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct {
		c    cell
		unit string
		want string
	}{
		{cell{Value: 12700.4}, "ops/s", "12,700"},
		{cell{Value: 86.04}, "ms", "86.0"},
		{cell{Value: 3.456}, "ms", "3.46"},
		{cell{Value: 123.4}, "MiB", "123.4"},
		{cell{Err: "x"}, "ms", "failed: x"},
	} {
		if got := formatCell(c.c, c.unit); got != c.want {
			t.Errorf("formatCell(%v, %s) = %q, want %q", c.c, c.unit, got, c.want)
		}
	}
	if got := mdEscape("a | b\nc", 90); got != "a / b c" {
		t.Errorf("mdEscape = %q", got)
	}
	if got := newConfig(false).rows(); !strings.Contains(got[6].Label, "1 GiB") {
		t.Errorf("big row label = %q", got[6].Label)
	}
}
