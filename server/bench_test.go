package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
)

// BenchmarkPutSmall measures 4 KiB uploads through the whole server, for profiling
// (go test -bench PutSmall -cpuprofile cpu.out ./server). Comparisons with other servers are in
// make bench.
func BenchmarkPutSmall(b *testing.B) {
	t := &testing.T{}
	ts := newTestServer(t)
	defer ts.srv.Close()
	body := bytes.Repeat([]byte("x"), 4096)
	var n atomic.Int64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			data := append([]byte(fmt.Sprint(i)), body...)
			r, _ := http.NewRequest("PUT", fmt.Sprintf("%s/dav/files/atelier/f%d", ts.URL, i), bytes.NewReader(data))
			r.SetBasicAuth(alice, pw)
			resp, err := client.Do(r)
			if err != nil || resp.StatusCode != 201 {
				b.Fatalf("PUT: %v %v", err, resp)
			}
			resp.Body.Close()
		}
	})
}

// BenchmarkGetSmall measures 4 KiB downloads through the whole server, for profiling.
func BenchmarkGetSmall(b *testing.B) {
	t := &testing.T{}
	ts := newTestServer(t)
	defer ts.srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	body := bytes.Repeat([]byte("x"), 4096)
	for i := range 100 {
		r, _ := http.NewRequest("PUT", fmt.Sprintf("%s/dav/files/atelier/f%d", ts.URL, i), bytes.NewReader(append([]byte(fmt.Sprint(i)), body...)))
		r.SetBasicAuth(alice, pw)
		resp, err := client.Do(r)
		if err != nil || resp.StatusCode != 201 {
			b.Fatalf("PUT: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r, _ := http.NewRequest("GET", fmt.Sprintf("%s/dav/files/atelier/f%d", ts.URL, n.Add(1)%100), nil)
			r.SetBasicAuth(alice, pw)
			resp, err := client.Do(r)
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("GET: %v %v", err, resp)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}
