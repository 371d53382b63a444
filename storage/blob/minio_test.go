package blob

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// startMinIO runs a real MinIO server on loopback for one test (scripts/test-deps.sh installs the
// pinned binary) and returns a store on a fresh bucket.
func startMinIO(t *testing.T) *S3 {
	t.Helper()
	bin, err := exec.LookPath("minio")
	if err != nil {
		gopath, _ := exec.Command("go", "env", "GOPATH").Output()
		bin = filepath.Join(string(bytes.TrimSpace(gopath)), "bin", "minio")
		if _, err := os.Stat(bin); err != nil {
			t.Fatal("minio is not installed: run scripts/test-deps.sh")
		}
	}
	addr, console := freeLoopback(t), freeLoopback(t)
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", console, t.TempDir())
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER=parvis-test", "MINIO_ROOT_PASSWORD=parvis-test-secret",
		"MINIO_UPDATE=off", "MINIO_BROWSER=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/minio/health/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("minio did not start:\n%s", out.String())
		}
	}
	s, err := OpenS3(context.Background(), S3Config{Endpoint: addr, Bucket: "parvis-test", AccessKey: "parvis-test",
		SecretKey: "parvis-test-secret", PathStyle: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func freeLoopback(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
