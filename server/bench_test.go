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

// BenchmarkMixed approximates make bench's mixed workload (64 clients: half GETs of a shared pool of
// 4–64 KiB files, PUTs, PROPFIND of the pool, DELETE and MOVE), for profiling.
func BenchmarkMixed(b *testing.B) {
	t := &testing.T{}
	ts := newTestServer(t)
	defer ts.srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	do := func(method, path string, body []byte, hdr ...string) int {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		r, _ := http.NewRequest(method, ts.URL+"/dav/files/atelier/"+path, rd)
		r.SetBasicAuth(alice, pw)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := client.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	payload := bytes.Repeat([]byte("0123456789abcdef"), 4<<10)
	do("MKCOL", "pool", nil)
	for i := range 200 {
		do("PUT", fmt.Sprintf("pool/f%d", i), payload[i:i+4096+i*300])
	}
	var worker atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := worker.Add(1)
		do("MKCOL", fmt.Sprintf("c%d", w), nil)
		for i := 0; pb.Next(); i++ {
			switch k := i % 10; {
			case k < 5:
				do("GET", fmt.Sprintf("pool/f%d", (i*7)%200), nil)
			case k < 8:
				do("PUT", fmt.Sprintf("c%d/f%d", w, i%16), payload[i%1000:i%1000+4096+(i%60)*1000])
			case k == 8:
				do("PROPFIND", "pool/", nil, "Depth", "1")
			default:
				do("DELETE", fmt.Sprintf("c%d/f%d", w, (i+3)%16), nil)
			}
		}
	})
}
